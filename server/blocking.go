package server

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"net"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"petrel/resp"
	"petrel/store"
	"petrel/types"
)

// Blocking commands (BLPOP, BLMOVE, BZPOPMIN, XREAD BLOCK, ...).
//
// A blocking handler first tries its non-blocking form with its keys' shards
// locked. If it must wait, it calls Ctx.Block, which queues a waiter on each
// key (FIFO per key, as Redis serves them) while the shard locks are still
// held, so no write can slip in between the check and the registration.
//
// A write that may feed a waiter calls Ctx.Modified, which, when anyone is
// blocked, notes the key as ready. Before the writer releases its shard locks
// (at the end of the command, or of the whole EXEC), the executor serves the
// ready keys' waiters in order by running each waiter's serve function on the
// waiter's own client, whose goroutine is parked: the element goes straight
// to the blocked client and no other command can take it first.
//
// Lock order: shard locks, then blockRegistry.mu. A waiter that times out or
// is unblocked takes only blockRegistry.mu.

// ServeFunc tries to serve a blocked client from key: it runs with the key's
// shard locked and writes the client's reply through x, reporting whether it
// did (false leaves the client blocked, e.g. the key is empty or now holds
// another type). Its Ctx has the waiter's database and time.
type ServeFunc func(x *Ctx, key []byte) bool

type waiterState uint8

const (
	waiting waiterState = iota
	serving
	done
)

type waiter struct {
	c        *Client
	cmd      *Command
	out      *resp.Writer // the reply written by serve or on unblocking
	why      unblockReason
	db       int
	keys     []string
	serve    ServeFunc
	deadline time.Time // zero: wait for ever
	// extraKeys are keys, beyond the served one, that serve changes
	// (BLMOVE's destination); their shards are locked to serve.
	extraKeys []string

	state    waiterState // guarded by blockRegistry.mu
	turn     *turnTicket // set when served: its place among those served
	finished chan struct{}
	retry    bool // woken without being served: run the command again
	quiet    bool // CLIENT REPLY OFF or SKIP was in force when it blocked
	// timedOut writes the reply to a timeout or CLIENT UNBLOCK; nil
	// writes a null array, as the key-blocking commands reply.
	timedOut func(*resp.Writer)
}

type dbKey struct {
	db  int
	key string
}

type blockRegistry struct {
	mu    sync.Mutex
	byKey map[dbKey][]*waiter
	// byClient holds every waiter, WAIT's too, which waits on no key.
	byClient map[*Client]*waiter
	count    atomic.Int64 // blocked clients, for INFO and a lock-free fast path
	// moving counts the blocked clients with extra keys (BLMOVE): only
	// then does a write need extraShards' lookup under mu.
	moving atomic.Int64
}

// Block parks the client until one of keys can serve it, the timeout passes
// (a zero timeout waits for ever), or it is unblocked. The handler must not
// write a reply when it calls Block; serve writes it later. extraKeys are
// other keys serve touches (BLMOVE's destination), in the same database.
func (x *Ctx) Block(keys [][]byte, timeout time.Duration, serve ServeFunc, extraKeys ...[]byte) {
	x.block(keys, timeout, serve, nil, extraKeys)
}

// BlockUntil parks the client on no key: it wakes when the timeout passes
// (a zero timeout waits for ever) or it is unblocked, and then replies
// with reply (WAIT, which no replica answers).
func (x *Ctx) BlockUntil(timeout time.Duration, reply func(*resp.Writer)) {
	x.block(nil, timeout, nil, reply, nil)
}

func (x *Ctx) block(keys [][]byte, timeout time.Duration, serve ServeFunc, timedOut func(*resp.Writer), extraKeys [][]byte) {
	w := &waiter{c: x.c, cmd: x.Cmd, db: x.c.db, serve: serve, timedOut: timedOut, finished: make(chan struct{}),
		out: &resp.Writer{Proto: x.W.Proto}}
	if timeout > 0 && timeout < 100*365*24*time.Hour { // longer is for ever in practice
		w.deadline = time.Now().Add(timeout)
	}
	for _, k := range keys {
		w.keys = append(w.keys, string(k))
	}
	for _, k := range extraKeys {
		w.extraKeys = append(w.extraKeys, string(k))
	}
	r := &x.s.blocked
	r.mu.Lock()
	if r.byKey == nil {
		r.byKey = make(map[dbKey][]*waiter)
		r.byClient = make(map[*Client]*waiter)
	}
	r.byClient[w.c] = w
	for _, k := range w.keys {
		dk := dbKey{w.db, k}
		r.byKey[dk] = append(r.byKey[dk], w)
	}
	r.count.Add(1)
	if len(w.extraKeys) > 0 {
		r.moving.Add(1)
	}
	r.mu.Unlock()
	w.quiet = x.c.replyMode != replyOn
	x.c.blockedOn = w
	x.c.setFlag(cflagBlocked, true)
}

// InExec reports whether the command runs inside EXEC, where blocking
// commands behave as their non-blocking forms.
func (x *Ctx) InExec() bool { return x.c.inExec }

// ParseTimeout reads a blocking command's timeout in seconds (fractions
// allowed) exactly as Redis 7.0 does: the value is read as a long double,
// turned into ceil(seconds*1000) milliseconds with C's conversion (an
// infinite or too large value becomes the most negative integer, hence
// "timeout is negative"), and a zero result waits for ever. ok is false after
// an error reply.
func (x *Ctx) ParseTimeout(arg []byte) (time.Duration, bool) {
	f, okf := types.ParseLongDouble(arg)
	if !okf {
		x.Error("ERR timeout is not a float or out of range")
		return 0, false
	}
	ms := int64(math.MinInt64)
	if !f.IsInf() {
		v := new(big.Float).SetPrec(64).Mul(f, big.NewFloat(1000))
		i, acc := v.Int(nil) // truncates toward zero
		if acc == big.Below {
			i.Add(i, big.NewInt(1)) // ceil of a positive fraction
		}
		if i.IsInt64() {
			ms = i.Int64()
		}
	}
	if ms < 0 {
		x.Error("ERR timeout is negative")
		return 0, false
	}
	if ms > math.MaxInt64/int64(time.Millisecond) {
		// Centuries: Redis 7.0 adds them to the clock, unchecked, and
		// waits as if for ever.
		return math.MaxInt64, true
	}
	return time.Duration(ms) * time.Millisecond, true
}

func (r *blockRegistry) removeLocked(w *waiter) {
	for _, k := range w.keys {
		dk := dbKey{w.db, k}
		q := r.byKey[dk]
		for i, x := range q {
			if x == w {
				q = append(q[:i:i], q[i+1:]...)
				break
			}
		}
		if len(q) == 0 {
			delete(r.byKey, dk)
		} else {
			r.byKey[dk] = q
		}
	}
	delete(r.byClient, w.c)
	r.count.Add(-1)
	if len(w.extraKeys) > 0 {
		r.moving.Add(-1)
	}
}

// nextTurn gives a client just served by a push its place after the one
// served before it: each runs its pipelined commands once the one before
// has run its own, as Redis runs unblocked clients in order.
func (s *Server) nextTurn() *turnTicket {
	s.turnMu.Lock()
	defer s.turnMu.Unlock()
	return nextTicket(&s.turnLast)
}

// extraShards appends the shards of the extra keys (BLMOVE's destination)
// of the clients blocked on key, so that a write to key takes them in
// order with its own locks and serves the first waiter for sure: taken
// later with TryLock, a busy destination made that waiter retry from the
// back of the queue while the next one was served.
func (r *blockRegistry) extraShards(db int, key []byte, shards []uint32) []uint32 {
	r.mu.Lock()
	for _, w := range r.byKey[dbKey{db, string(key)}] {
		for _, k := range w.extraKeys {
			shards = append(shards, uint32(w.db<<store.ShardBits|store.ShardIndex([]byte(k))))
		}
	}
	r.mu.Unlock()
	return shards
}

// noteReady records that key changed while clients are blocked, so its
// waiters are tried before the writer's locks are released.
func (x *Ctx) noteReady(key []byte) {
	if x.s.blocked.count.Load() == 0 {
		return
	}
	x.ready = append(x.ready, dbKey{x.DB.ID, string(key)})
}

// noteReadyIn is noteReady for a key of another database (MOVE, COPY DB).
func (x *Ctx) noteReadyIn(db *store.DB, key []byte) {
	if x.s.blocked.count.Load() == 0 {
		return
	}
	x.ready = append(x.ready, dbKey{db.ID, string(key)})
}

// noteBlockedKeysIn marks every key clients wait on in the given databases
// as ready (SWAPDB); serving skips those that cannot serve anyone. The
// caller holds every shard lock.
func (x *Ctx) noteBlockedKeysIn(dbs ...int) {
	r := &x.s.blocked
	if r.count.Load() == 0 {
		return
	}
	r.mu.Lock()
	for dk := range r.byKey {
		for _, d := range dbs {
			if dk.db == d {
				x.ready = append(x.ready, dk)
			}
		}
	}
	r.mu.Unlock()
}

// serveReady serves the waiters of every key in ready, which a command made
// ready. held lists the shard locks the writer holds. Serving a waiter needs
// the served key's shard and any extra shards the waiter declared (BLMOVE's
// destination); shards not held are taken with TryLock, out of order but
// without waiting, and kept until every chained wake-up is done (a waiter
// whose shards are busy is woken to retry on its own instead).
func (s *Server) serveReady(ready []dbKey, held *lockSet, bcast *[]bcastPending) {
	sv := servePass{s: s, held: held, bcast: bcast, now: time.Now().UnixMilli()}
	defer sv.release()
	for len(ready) > 0 {
		dk := ready[0]
		ready = ready[1:]
		for {
			served, more := sv.serveOne(dk)
			ready = append(ready, more...)
			if !served {
				break
			}
		}
	}
}

// servePass is one serveReady pass: the writer's locks plus those taken since.
type servePass struct {
	s     *Server
	held  *lockSet
	taken []uint32
	// bcast, when set, collects the served commands' BCAST invalidations
	// into the writer's message, as Redis sends a key once per prefix.
	bcast *[]bcastPending
	now   int64 // the pass's time in unix milliseconds, one for every waiter
}

func (sv *servePass) holds(id uint32) bool {
	if sv.held.has(id) {
		return true
	}
	for _, t := range sv.taken {
		if t == id {
			return true
		}
	}
	return false
}

// acquire makes sure shard id is locked, taking it with TryLock if needed.
func (sv *servePass) acquire(id uint32) bool {
	if sv.holds(id) {
		return true
	}
	if !sv.s.shardByID(id).TryLock() {
		return false
	}
	sv.taken = append(sv.taken, id)
	return true
}

func (sv *servePass) release() {
	for _, id := range sv.taken {
		sv.s.shardByID(id).Unlock()
	}
}

// serveOne serves the first waiter of dk, in FIFO order, that can be served
// (a waiter of another type is passed over, as in Redis) and reports whether
// one was, and which keys serving it made ready in turn.
func (sv *servePass) serveOne(dk dbKey) (served bool, ready []dbKey) {
	s := sv.s
	r := &s.blocked
	keyShard := uint32(dk.db<<store.ShardBits | store.ShardIndex([]byte(dk.key)))
	if sv.holds(keyShard) {
		// A key whose time has passed serves nobody; looking it up to
		// find out would delete it now, before anyone read it, which
		// Redis does not (it readies only keys given a list, zset or
		// stream value). Its deletion readies it again (onExpired).
		db := s.store.DB(dk.db)
		if e := db.LookupNoExpire([]byte(dk.key)); e != nil && db.Expired(e, sv.now) {
			return false, nil
		}
	}
	r.mu.Lock()
	cands := append([]*waiter(nil), r.byKey[dk]...)
	r.mu.Unlock()
	for _, w := range cands {
		r.mu.Lock()
		if w.state != waiting {
			r.mu.Unlock()
			continue
		}
		w.state = serving
		r.mu.Unlock()

		ok := sv.acquire(keyShard)
		for _, k := range w.extraKeys {
			if ok {
				ok = sv.acquire(uint32(w.db<<store.ShardBits | store.ShardIndex([]byte(k))))
			}
		}
		var more []dbKey
		if ok {
			// Serving changes these keys: a running snapshot keeps them
			// as they were.
			if s.snap.active.Load() {
				s.snapshotCaptureKey(dk.db, []byte(dk.key))
				for _, k := range w.extraKeys {
					s.snapshotCaptureKey(w.db, []byte(k))
				}
			}
			served, more = sv.runServe(w, dk.key)
			ready = append(ready, more...)
		}
		r.mu.Lock()
		if served {
			w.turn = s.nextTurn()
		}
		if served || !ok {
			w.state = done
			w.retry = !served
			r.removeLocked(w)
			close(w.finished)
		} else {
			w.state = waiting
		}
		r.mu.Unlock()
		if served {
			return true, ready
		}
	}
	return false, ready
}

// runServe runs the waiter's serve function on a Ctx of its own (the
// waiter's goroutine may still be finishing the dispatch that blocked, so its
// Ctx and writer are not ours), turning a panic into an error reply.
func (sv *servePass) runServe(w *waiter, key string) (served bool, ready []dbKey) {
	s := sv.s
	wx := &Ctx{s: s, c: w.c, Cmd: w.cmd, W: w.out, DB: s.store.DB(w.db),
		Now: sv.now, allLocked: sv.held != nil && sv.held.all}
	mark := w.out.Len()
	defer func() {
		if rec := recover(); rec != nil {
			s.logf(LogWarning, "Panic serving a blocked '%s': %v\n%s", w.cmd.Name, rec, debug.Stack())
			w.out.Truncate(mark)
			wx.Error(fmt.Sprintf("ERR internal error while running '%s': %v", w.cmd.Name, rec))
			served, ready = true, nil
		}
	}()
	served = w.serve(wx, []byte(key))
	if !served {
		w.out.Truncate(mark)
	} else if s.propagating() {
		s.collectProp(wx)
		s.flushProp(w.c, wx)
	}
	if len(wx.bcast) > 0 {
		if sv.bcast != nil {
			*sv.bcast = append(*sv.bcast, wx.bcast...)
		} else {
			s.sendBcast(wx.bcast)
		}
	}
	return served, wx.ready // the waiter's writes may feed others (BLMOVE's push)
}

// waitBlocked parks the client's goroutine until its waiter finishes, times
// out, is unblocked or the client goes away. On a timeout the client gets
// the null reply Redis sends.
func (s *Server) waitBlocked(c *Client) {
	w := c.blockedOn
	c.flush()
	var timer <-chan time.Time
	if !w.deadline.IsZero() {
		t := time.NewTimer(time.Until(w.deadline))
		defer t.Stop()
		timer = t.C
	}
	// Keep reading while blocked, as Redis's event loop does, so a client
	// that disconnects is removed from the wait queues at once. Input that
	// arrives meanwhile stays buffered for after the wait.
	if c.deadlineSet { // blocked clients are exempt from the idle timeout
		c.conn.SetReadDeadline(time.Time{})
		c.deadlineSet = false
	}
	fillDone := make(chan error, 1)
	fill := func() { fillDone <- c.parser.Fill() }
	go fill()
	filling := true
wait:
	for {
		select {
		case <-w.finished:
			break wait
		case <-timer:
			s.finishWaiter(w, unblockTimeout)
		case <-c.closedCh:
			s.finishWaiter(w, unblockGone)
		case <-s.shutdown:
			s.finishWaiter(w, unblockGone)
		case err := <-fillDone:
			filling = false
			if err != nil {
				s.finishWaiter(w, unblockGone)
				c.closeAfter = true
				continue
			}
			go fill()
			filling = true
		}
	}
	if filling {
		c.conn.SetReadDeadline(time.Now()) // interrupt the pending read
		if err := <-fillDone; err != nil && !isTimeout(err) {
			c.closeAfter = true
		}
		c.conn.SetReadDeadline(time.Time{})
	}
	c.blockedOn = nil
	c.setFlag(cflagBlocked, false)
	c.turn = w.turn
	if !w.quiet {
		c.w.WriteRaw(w.out.Bytes())
	}
	if w.retry {
		w.retry = false
		c.retryBlocked = true
	}
}

type unblockReason uint8

const (
	unblockTimeout unblockReason = iota
	unblockError
	unblockGone
)

// finishWaiter ends a wait that no write served. It reports false if a
// writer is serving or has served the waiter meanwhile.
func (s *Server) finishWaiter(w *waiter, why unblockReason) bool {
	r := &s.blocked
	r.mu.Lock()
	if w.state != waiting {
		r.mu.Unlock()
		return false
	}
	w.state = done
	w.why = why
	w.retry = false
	w.out.Truncate(0)
	switch why {
	case unblockTimeout:
		if w.timedOut != nil {
			w.timedOut(w.out)
		} else {
			w.out.WriteNullArray()
		}
	case unblockError:
		w.out.WriteError("UNBLOCKED client unblocked via CLIENT UNBLOCK")
		s.countError("UNBLOCKED")
	}
	r.removeLocked(w)
	close(w.finished)
	r.mu.Unlock()
	return true
}

// unblockClient implements CLIENT UNBLOCK: it reports whether the client
// was blocked by a blocking command and is now released.
func (s *Server) unblockClient(c *Client, withError bool) bool {
	w := c.blockedOnShared()
	if w == nil {
		return false
	}
	why := unblockTimeout
	if withError {
		why = unblockError
	}
	return s.finishWaiter(w, why)
}

func (lsHeld *lockSet) has(id uint32) bool {
	if lsHeld == nil {
		return false
	}
	if lsHeld.all {
		return true
	}
	for _, x := range lsHeld.shards {
		if x == id {
			return true
		}
	}
	return false
}

// blockedOnShared returns the client's waiter, read by another goroutine
// (CLIENT UNBLOCK); it is published under the registry's lock.
func (c *Client) blockedOnShared() *waiter {
	r := &c.srv.blocked
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.byClient[c]
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
