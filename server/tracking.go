package server

import (
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"petrel/internal/num"
	"petrel/store"
)

// Client-side caching (CLIENT TRACKING), as Redis 7 does it.
//
// In the default mode the server remembers, per key name (in every
// database, as Redis does), the ids of the tracking clients that read it;
// the first write to the key sends each of them one invalidation and forgets
// them. In BCAST mode clients register key prefixes instead and hear about
// every write under them, batched per prefix at the end of each command.
//
// Concurrency: keys are remembered and invalidated with the key's shard lock
// held, so a read and the write that invalidates it cannot cross. The
// table's stripes and the prefix registry are leaf locks taken after shard
// locks; invalidations are queued as pushes (client.go), never written under
// these locks.

// trackingConf is a client's tracking mode. It is replaced, never mutated,
// so writers on other goroutines can read it without locks.
type trackingConf struct {
	redirect int64
	bcast    bool
	optin    bool
	optout   bool
	noloop   bool
	prefixes []string
}

const trackingStripes = 256

type trackingTable struct {
	stripes [trackingStripes]struct {
		mu   sync.Mutex
		keys map[string]map[int64]struct{} // key -> ids of the clients that read it
	}
	keys    atomic.Int64 // tracking_total_keys
	items   atomic.Int64 // tracking_total_items
	clients atomic.Int64 // tracking_clients
	bcast   atomic.Int64 // of them, those in BCAST mode

	prefMu   sync.RWMutex
	prefixes map[string]map[*Client]struct{}
}

// trackingOn reports whether any client tracks; the write path checks it
// before doing anything else.
func (s *Server) trackingOn() bool { return s.tracking.clients.Load() > 0 }

// bcastPending collects a command's writes under BCAST prefixes so each
// prefix's clients get them in one message.
type bcastPending struct {
	prefix string
	key    string
	writer int64
}

// trackingRemember records the keys of a read-only command run by a client
// in the default tracking mode. The command's shard locks are held.
func (s *Server) trackingRemember(c *Client, cmd *Command, args [][]byte) {
	conf := c.trackConf.Load()
	if conf == nil || conf.bcast {
		return
	}
	if (conf.optin && !c.cachingYes) || (conf.optout && c.cachingNo) {
		return
	}
	c.keyBuf = cmd.KeyPositions(args, c.keyBuf[:0])
	for _, p := range c.keyBuf {
		key := args[p]
		st := &s.tracking.stripes[store.ShardIndex(key)]
		st.mu.Lock()
		if st.keys == nil {
			st.keys = make(map[string]map[int64]struct{})
		}
		ids := st.keys[string(key)]
		if ids == nil {
			ids = make(map[int64]struct{}, 1)
			st.keys[string(key)] = ids
			s.tracking.keys.Add(1)
		}
		if _, ok := ids[c.ID]; !ok {
			ids[c.ID] = struct{}{}
			s.tracking.items.Add(1)
		}
		st.mu.Unlock()
	}
	s.trackingLimitKeys()
}

// trackingLimitKeys keeps the table within tracking-table-max-keys by
// invalidating random keys, as Redis does when the table is full.
func (s *Server) trackingLimitKeys() {
	max := s.trackingMaxKeys.Load()
	if max <= 0 {
		return
	}
	for tries := 0; s.tracking.keys.Load() > max && tries < 1000; tries++ {
		st := &s.tracking.stripes[rand.IntN(trackingStripes)]
		st.mu.Lock()
		var victim string
		var ids map[int64]struct{}
		for k, v := range st.keys {
			victim, ids = k, v
			break
		}
		if ids != nil {
			delete(st.keys, victim)
			s.tracking.keys.Add(-1)
			s.tracking.items.Add(-int64(len(ids)))
		}
		st.mu.Unlock()
		for id := range ids {
			if t := s.clientByID(id); t != nil {
				s.sendInvalidation(t, [][]byte{[]byte(victim)}, false, nil)
			}
		}
	}
}

// trackingInvalidate tells the clients that cached key that it changed.
// writer is the client whose command changed it (nil for expiry); pending,
// when not nil, collects BCAST matches to send at the end of the command.
func (s *Server) trackingInvalidate(key []byte, writer *Client, pending *[]bcastPending, self *Ctx) {
	var writerID int64
	if writer != nil {
		writerID = writer.ID
	}
	if s.tracking.keys.Load() > 0 {
		st := &s.tracking.stripes[store.ShardIndex(key)]
		st.mu.Lock()
		ids := st.keys[string(key)]
		if ids != nil {
			delete(st.keys, string(key))
			s.tracking.keys.Add(-1)
			s.tracking.items.Add(-int64(len(ids)))
		}
		st.mu.Unlock()
		for id := range ids {
			t := s.clientByID(id)
			if t == nil {
				continue
			}
			conf := t.trackConf.Load()
			if conf == nil || conf.bcast || (conf.noloop && id == writerID) {
				continue
			}
			s.sendInvalidation(t, [][]byte{key}, false, self)
		}
	}
	var now []bcastPending
	if pending == nil {
		pending = &now
	}
	s.tracking.prefMu.RLock()
	for p := range s.tracking.prefixes {
		if strings.HasPrefix(string(key), p) {
			*pending = append(*pending, bcastPending{prefix: p, key: string(key), writer: writerID})
		}
	}
	s.tracking.prefMu.RUnlock()
	// Sent after RUnlock: sendBcast read-locks prefMu itself, and a second
	// read lock would deadlock behind a waiting CLIENT TRACKING.
	if len(now) > 0 {
		s.sendBcast(now)
	}
}

// sendBcast sends each prefix's keys to the clients registered for it, as
// Redis does: prefixes in sorted order, each key once and sorted, a NOLOOP
// client spared the keys it was the last to write.
func (s *Server) sendBcast(pending []bcastPending) {
	byPrefix := make(map[string]map[string]int64)
	for _, p := range pending {
		keys := byPrefix[p.prefix]
		if keys == nil {
			keys = make(map[string]int64)
			byPrefix[p.prefix] = keys
		}
		keys[p.key] = p.writer
	}
	prefixes := make([]string, 0, len(byPrefix))
	for p := range byPrefix {
		prefixes = append(prefixes, p)
	}
	sort.Strings(prefixes)
	s.tracking.prefMu.RLock()
	defer s.tracking.prefMu.RUnlock()
	for _, p := range prefixes {
		keys := make([]string, 0, len(byPrefix[p]))
		for k := range byPrefix[p] {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for t := range s.tracking.prefixes[p] {
			conf := t.trackConf.Load()
			if conf == nil {
				continue
			}
			var out [][]byte
			for _, k := range keys {
				if !(conf.noloop && byPrefix[p][k] == t.ID) {
					out = append(out, []byte(k))
				}
			}
			if len(out) > 0 {
				s.sendInvalidation(t, out, false, nil)
			}
		}
	}
}

// trackingFlushed sends every tracking client the null invalidation that
// FLUSHDB and FLUSHALL cause, and forgets every remembered key.
func (s *Server) trackingFlushed(self *Ctx) {
	if !s.trackingOn() {
		return
	}
	for i := range s.tracking.stripes {
		st := &s.tracking.stripes[i]
		st.mu.Lock()
		for _, ids := range st.keys {
			s.tracking.items.Add(-int64(len(ids)))
		}
		s.tracking.keys.Add(-int64(len(st.keys)))
		st.keys = nil
		st.mu.Unlock()
	}
	s.clientsMu.Lock()
	var targets []*Client
	for _, c := range s.clients {
		if c.trackConf.Load() != nil {
			targets = append(targets, c)
		}
	}
	s.clientsMu.Unlock()
	for _, t := range targets {
		s.sendInvalidation(t, nil, true, self)
	}
}

// selfOf returns x when x runs on its client's own goroutine, where a
// message for that very client may be written into x's output inline.
func selfOf(x *Ctx) *Ctx {
	if x == nil || x != &x.c.ctx || x.c.conn == nil {
		return nil
	}
	return x
}

// sendInvalidation queues an invalidation message for t, or for the client
// it redirects to: a RESP3 push, or for a RESP2 redirect target with
// subscriptions a message on __redis__:invalidate. null sends the flush
// form, keys otherwise.
func (s *Server) sendInvalidation(t *Client, keys [][]byte, null bool, self *Ctx) {
	conf := t.trackConf.Load()
	if conf == nil {
		return
	}
	to := t
	if conf.redirect != 0 {
		to = s.clientByID(conf.redirect)
		if to == nil {
			t.trackBroken.Store(true)
			if t.proto.Load() == 3 { // on every invalidation lost, as Redis tells it
				t.pushBytes(func(b []byte) []byte {
					b = append(b, ">2\r\n$21\r\ntracking-redir-broken\r\n:"...)
					b = strconv.AppendInt(b, conf.redirect, 10)
					return append(b, '\r', '\n')
				})
			}
			return
		}
	}
	resp3 := to.proto.Load() == 3
	if !resp3 && (conf.redirect == 0 || to.subscriptions() == 0) {
		return // RESP2 has no way to tell this connection
	}
	build := func(b []byte) []byte {
		if resp3 {
			b = append(b, ">2\r\n$10\r\ninvalidate\r\n"...)
		} else {
			b = append(b, "*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n"...)
		}
		if null {
			// Redis encodes the null in the tracking client's protocol,
			// whichever connection receives it.
			if t.proto.Load() == 3 {
				return append(b, "_\r\n"...)
			}
			return append(b, "$-1\r\n"...)
		}
		b = append(b, '*')
		b = strconv.AppendInt(b, int64(len(keys)), 10)
		b = append(b, '\r', '\n')
		for _, k := range keys {
			b = appendBulk(b, k)
		}
		return b
	}
	if self != nil && to != t && to == self.c {
		// The redirect target is the client whose command caused this:
		// Redis writes the message into its output at once, before the
		// command's reply.
		self.W.WriteRaw(build(nil))
		return
	}
	to.pushBytes(build)
}

// pushBytes queues a push built by build, under the client's output limit.
func (c *Client) pushBytes(build func([]byte) []byte) {
	c.infoMu.Lock()
	c.async = build(c.async)
	lim := c.srv.outputLimit(c)
	c.afterPushLocked(int(lim.Hard), int(lim.Soft), lim.SoftSeconds, true)
}

// setTracking switches the client's tracking mode.
func (s *Server) setTracking(c *Client, conf *trackingConf) {
	old := c.trackConf.Load()
	if old != nil && old.bcast {
		s.tracking.bcast.Add(-1)
		s.tracking.prefMu.Lock()
		for _, p := range old.prefixes {
			if set := s.tracking.prefixes[p]; set != nil {
				delete(set, c)
				if len(set) == 0 {
					delete(s.tracking.prefixes, p)
				}
			}
		}
		s.tracking.prefMu.Unlock()
	}
	switch {
	case old == nil && conf != nil:
		s.tracking.clients.Add(1)
		c.makePushable()
	case old != nil && conf == nil:
		s.tracking.clients.Add(-1)
	}
	if conf == nil {
		c.trackBroken.Store(false)
		c.cachingYes, c.cachingNo = false, false
	}
	if conf != nil && conf.bcast {
		s.tracking.bcast.Add(1)
		s.tracking.prefMu.Lock()
		if s.tracking.prefixes == nil {
			s.tracking.prefixes = make(map[string]map[*Client]struct{})
		}
		for _, p := range conf.prefixes {
			set := s.tracking.prefixes[p]
			if set == nil {
				set = make(map[*Client]struct{})
				s.tracking.prefixes[p] = set
			}
			set[c] = struct{}{}
		}
		s.tracking.prefMu.Unlock()
	}
	c.trackConf.Store(conf)
}

// cmdClientTracking is CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX p ...]
// [BCAST] [OPTIN] [OPTOUT] [NOLOOP], with Redis's checks in Redis's order.
func cmdClientTracking(x *Ctx) {
	args := x.Args
	conf := &trackingConf{}
	for j := 3; j < len(args); j++ {
		more := j+1 < len(args)
		switch opt := strings.ToLower(string(args[j])); {
		case opt == "redirect" && more:
			j++
			if conf.redirect != 0 {
				x.Error("ERR A client can only redirect to a single other client")
				return
			}
			id, ok := num.ParseInt(args[j])
			if !ok {
				x.Error(ErrNotInt)
				return
			}
			if x.s.clientByID(id) == nil {
				x.Error("ERR The client ID you want redirect to does not exist")
				return
			}
			conf.redirect = id
		case opt == "bcast":
			conf.bcast = true
		case opt == "optin":
			conf.optin = true
		case opt == "optout":
			conf.optout = true
		case opt == "noloop":
			conf.noloop = true
		case opt == "prefix" && more:
			j++
			conf.prefixes = append(conf.prefixes, string(args[j]))
		default:
			x.Error(ErrSyntax)
			return
		}
	}
	on, ok := onOff(args[2])
	if !ok {
		x.Error(ErrSyntax)
		return
	}
	c := x.c
	if !on {
		if c.trackConf.Load() != nil {
			x.s.setTracking(c, nil)
		}
		x.W.WriteOK()
		return
	}
	old := c.trackConf.Load()
	if len(conf.prefixes) > 0 && !conf.bcast {
		x.Error("ERR PREFIX option requires BCAST mode to be enabled")
		return
	}
	if old != nil {
		if old.bcast != conf.bcast {
			x.Error("ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.")
			return
		}
	}
	if conf.bcast && (conf.optin || conf.optout) {
		x.Error("ERR OPTIN and OPTOUT are not compatible with BCAST")
		return
	}
	if conf.optin && conf.optout {
		x.Error("ERR You can't specify both OPTIN mode and OPTOUT mode")
		return
	}
	if old != nil && ((conf.optin && old.optout) || (conf.optout && old.optin)) {
		x.Error("ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.")
		return
	}
	if conf.bcast {
		var existing []string
		if old != nil {
			existing = old.prefixes
		}
		if msg := prefixOverlap(existing, conf.prefixes); msg != "" {
			x.Error(msg)
			return
		}
		if len(conf.prefixes) == 0 {
			conf.prefixes = []string{""} // every key, with no overlap check
		}
		all := append(append([]string(nil), existing...), conf.prefixes...)
		sort.Strings(all)
		conf.prefixes = slices.Compact(all)
	}
	// Turning tracking on again sets the modes afresh: Redis's
	// enableTracking clears OPTIN, OPTOUT and NOLOOP before it sets them.
	x.s.setTracking(c, conf)
	x.W.WriteOK()
}

// prefixOverlap applies Redis's rule that a client's prefixes never
// overlap (one a prefix of another, equal ones included): each given
// prefix is checked against those already registered, then against the
// other given ones.
func prefixOverlap(existing, given []string) string {
	overlap := func(a, b string) bool { return strings.HasPrefix(a, b) || strings.HasPrefix(b, a) }
	for i, p := range given {
		for _, e := range existing {
			if overlap(p, e) {
				return "ERR Prefix '" + p + "' overlaps with an existing prefix '" + e + "'. Prefixes for a single client must not overlap."
			}
		}
		for j, q := range given {
			if i != j && overlap(p, q) {
				return "ERR Prefix '" + p + "' overlaps with another provided prefix '" + q + "'. Prefixes for a single client must not overlap."
			}
		}
	}
	return ""
}

// cmdClientCaching is CLIENT CACHING YES|NO, which applies to the next
// command in OPTIN or OPTOUT mode.
func cmdClientCaching(x *Ctx) {
	c := x.c
	conf := c.trackConf.Load()
	if conf == nil {
		x.Error("ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled")
		return
	}
	switch strings.ToLower(string(x.Args[2])) {
	case "yes":
		if !conf.optin {
			x.Error("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.")
			return
		}
		c.cachingYes = true
	case "no":
		if !conf.optout {
			x.Error("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.")
			return
		}
		c.cachingNo = true
	default:
		x.Error(ErrSyntax)
		return
	}
	x.W.WriteOK()
}

func cmdClientGetredir(x *Ctx) {
	conf := x.c.trackConf.Load()
	if conf == nil {
		x.W.WriteInt(-1)
		return
	}
	x.W.WriteInt(conf.redirect)
}

func cmdClientTrackinginfo(x *Ctx) {
	c, w := x.c, x.W
	conf := c.trackConf.Load()
	w.WriteMapLen(3)
	w.WriteBulkString("flags")
	if conf == nil {
		w.WriteSetLen(1)
		w.WriteBulkString("off")
		w.WriteBulkString("redirect")
		w.WriteInt(-1)
		w.WriteBulkString("prefixes")
		w.WriteArrayLen(0)
		return
	}
	flags := []string{"on"}
	if conf.bcast {
		flags = append(flags, "bcast")
	}
	if conf.optin {
		flags = append(flags, "optin")
		if c.cachingYes {
			flags = append(flags, "caching-yes")
		}
	}
	if conf.optout {
		flags = append(flags, "optout")
		if c.cachingNo {
			flags = append(flags, "caching-no")
		}
	}
	if conf.noloop {
		flags = append(flags, "noloop")
	}
	if c.trackBroken.Load() {
		flags = append(flags, "broken_redirect")
	}
	w.WriteSetLen(len(flags))
	for _, f := range flags {
		w.WriteBulkString(f)
	}
	w.WriteBulkString("redirect")
	if conf.redirect != 0 {
		w.WriteInt(conf.redirect)
	} else {
		w.WriteInt(0)
	}
	w.WriteBulkString("prefixes")
	if conf.bcast {
		w.WriteStringArray(conf.prefixes)
	} else {
		w.WriteArrayLen(0)
	}
}

func (s *Server) trackingPrefixCount() int {
	s.tracking.prefMu.RLock()
	defer s.tracking.prefMu.RUnlock()
	return len(s.tracking.prefixes)
}
