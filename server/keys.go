package server

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"petrel/internal/glob"
	"petrel/internal/num"
	"petrel/store"
	"petrel/types"
)

// The generic key commands: DEL, UNLINK, EXISTS, TYPE, RENAME, RENAMENX,
// COPY, MOVE, KEYS, SCAN, RANDOMKEY, TOUCH, the EXPIRE family, TTL and
// friends, PERSIST and OBJECT.
//
// Which lookups count keyspace hits and misses, and which refresh a key's
// LRU clock, follows Redis 7.0: reads count (EXISTS, TYPE and TTL too, but
// without touching the LRU), writes (DEL, RENAME, EXPIRE...) count nothing.

// Error texts of this family.
const (
	errSameObject   = "ERR source and destination objects are the same"
	errIntRange     = "ERR value is out of range, value must between -2147483648 and 2147483647"
	errInvalidCur   = "ERR invalid cursor"
	errExpireNXFlag = "ERR NX and XX, GT or LT options at the same time are not compatible"
	errExpireGTLT   = "ERR GT and LT options at the same time are not compatible"
	errLFUOff       = "ERR An LFU maxmemory policy is not selected, access frequency not tracked. " +
		"Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."
	errLFUOn = "ERR An LFU maxmemory policy is selected, idle time not tracked. " +
		"Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."
)

// objSharedIntegers is Redis's OBJ_SHARED_INTEGERS: string values holding
// 0..9999 share one object each (see Server.sharedIntegers).
const objSharedIntegers = 10000

// peekKey is Redis's lookupKeyReadWithFlags(LOOKUP_NOTOUCH): it expires a
// stale key and counts a keyspace hit or miss, but leaves the LRU clock alone.
func peekKey(x *Ctx, key []byte) *store.Entry { return peekKeyQuiet(x, key, false) }

// peekKeyQuiet is peekKey, raising no keymiss event when quiet
// (LOOKUP_NONOTIFY too, as OBJECT looks keys up).
func peekKeyQuiet(x *Ctx, key []byte, quiet bool) *store.Entry {
	e := x.DB.Lookup(key, x.Now)
	if e == nil {
		x.s.stats.keyspaceMisses.add(x.c.statID(), 1)
		if !quiet {
			x.Notify(NotifyKeyMiss, "keymiss", key)
		}
	} else {
		x.s.stats.keyspaceHits.add(x.c.statID(), 1)
	}
	return e
}

// keyTypeName is what TYPE reports for e ("none" for a missing key).
func keyTypeName(e *store.Entry) string {
	switch {
	case e == nil:
		return "none"
	case e.IsString():
		return "string"
	default:
		return e.Obj().(types.Value).Type()
	}
}

func keyEncodingName(e *store.Entry) string {
	if e.IsString() {
		return e.StringEncoding()
	}
	return e.Obj().(types.Value).Encoding()
}

func cmdDel(x *Ctx) { delKeys(x) }

// UNLINK frees values in the background in Redis; Petrel's garbage
// collector already does, so it is DEL.
func cmdUnlink(x *Ctx) { delKeys(x) }

func delKeys(x *Ctx) {
	var n int64
	for _, k := range x.Args[1:] {
		// A key whose TTL passed is expired, not deleted: it does not count.
		if x.DB.Lookup(k, x.Now) != nil && x.DB.Delete(k) {
			x.Modified(k)
			x.Notify(NotifyGeneric, "del", k)
			n++
		}
	}
	x.W.WriteInt(n)
}

func cmdExists(x *Ctx) {
	var n int64
	for _, k := range x.Args[1:] {
		if peekKey(x, k) != nil {
			n++
		}
	}
	x.W.WriteInt(n)
}

func cmdTouch(x *Ctx) {
	var n int64
	for _, k := range x.Args[1:] {
		if x.Lookup(k) != nil {
			n++
		}
	}
	x.W.WriteInt(n)
}

func cmdType(x *Ctx) { x.W.WriteSimple(keyTypeName(peekKey(x, x.Args[1]))) }

func cmdRename(x *Ctx) { renameKey(x, false) }

func cmdRenamenx(x *Ctx) { renameKey(x, true) }

func renameKey(x *Ctx, nx bool) {
	src, dst := x.Args[1], x.Args[2]
	if x.LookupWrite(src) == nil {
		x.Error(ErrNoSuchKey)
		return
	}
	if bytes.Equal(src, dst) {
		if nx {
			x.W.WriteInt(0)
		} else {
			x.W.WriteOK()
		}
		return
	}
	if x.DB.Lookup(dst, x.Now) != nil && nx {
		x.W.WriteInt(0)
		return
	}
	x.DB.Rename(src, dst)
	// One change for persistence, two keys for WATCH and tracking.
	x.Modified(src)
	x.signalModified(x.DB, dst)
	x.Notify(NotifyGeneric, "rename_from", src)
	x.Notify(NotifyGeneric, "rename_to", dst)
	x.noteReadyIn(x.DB, dst) // a list renamed onto dst may serve its waiters
	if nx {
		x.W.WriteInt(1)
	} else {
		x.W.WriteOK()
	}
}

// targetDB reads a database number as Redis's getIntFromObjectOrReply
// plus selectDb do, replying with their errors.
func targetDB(x *Ctx, arg []byte) (int, bool) {
	v, ok := num.ParseInt(arg)
	if !ok {
		x.Error(ErrNotInt)
		return 0, false
	}
	if v < math.MinInt32 || v > math.MaxInt32 {
		x.Error(errIntRange)
		return 0, false
	}
	if v < 0 || v >= int64(x.s.store.NumDBs()) {
		x.Error(ErrDBIndex)
		return 0, false
	}
	return int(v), true
}

// changedIn records a change of key in db, which may be another database
// than the selected one.
func changedIn(x *Ctx, db *store.DB, key []byte) {
	if db == x.DB {
		x.Modified(key)
		return
	}
	x.signalModified(db, key)
	x.Dirty(1)
	x.noteReadyIn(db, key)
}

func cmdCopy(x *Ctx) {
	src, dstKey := x.Args[1], x.Args[2]
	dst := x.DB
	replace := false
	for i := 3; i < len(x.Args); i++ {
		opt := x.Args[i]
		switch {
		case bytes.EqualFold(opt, []byte("replace")):
			replace = true
		case bytes.EqualFold(opt, []byte("db")) && i+1 < len(x.Args):
			id, ok := targetDB(x, x.Args[i+1])
			if !ok {
				return
			}
			dst = x.s.store.DB(id)
			i++
		default:
			x.Error(ErrSyntax)
			return
		}
	}
	if dst == x.DB && bytes.Equal(src, dstKey) {
		x.Error(errSameObject)
		return
	}
	e := x.Lookup(src)
	if e == nil {
		x.W.WriteInt(0)
		return
	}
	if dst.Lookup(dstKey, x.Now) != nil && !replace {
		x.W.WriteInt(0)
		return
	}
	var obj any
	if !e.IsString() {
		obj = e.Obj().(types.Value).Copy()
	}
	n := x.DB.CopyTo(e, dst, dstKey, obj, x.DB.ExpireAt(e))
	// The copy is a new object in Redis, with fresh LRU or LFU data.
	if lfuPolicy(x) {
		n.SetLRU(lfuMinutes()<<8 | lfuInitVal)
	} else {
		n.SetLRU(lruClock())
	}
	changedIn(x, dst, dstKey)
	x.NotifyIn(dst, NotifyGeneric, "copy_to", dstKey)
	x.W.WriteInt(1)
}

func cmdMove(x *Ctx) {
	key := x.Args[1]
	id, ok := targetDB(x, x.Args[2])
	if !ok {
		return
	}
	dst := x.s.store.DB(id)
	if dst == x.DB {
		x.Error(errSameObject)
		return
	}
	if x.LookupWrite(key) == nil || dst.Lookup(key, x.Now) != nil {
		x.W.WriteInt(0)
		return
	}
	x.DB.MoveTo(dst, key)
	x.Modified(key)
	x.signalModified(dst, key)
	x.Notify(NotifyGeneric, "move_from", key)
	x.NotifyIn(dst, NotifyGeneric, "move_to", key)
	x.noteReadyIn(dst, key)
	x.W.WriteInt(1)
}

// isMatchAll reports whether a pattern is the lone "*" that KEYS and SCAN
// treat as "every key" without matching (it would miss the empty key).
func isMatchAll(pat []byte) bool { return len(pat) == 1 && pat[0] == '*' }

// KEYS holds every shard of the database (LockDB), so the keys it replies
// with stay valid while it writes them. Like Redis it skips keys whose TTL
// passed but leaves them for expiry to remove.
func cmdKeys(x *Ctx) {
	pat := x.Args[1]
	all := isMatchAll(pat)
	var keys [][]byte
	for i := 0; i < store.NumShards; i++ {
		x.DB.EachInShard(i, func(e *store.Entry) bool {
			k := e.Key()
			if (all || glob.Match(pat, k, false)) && !x.DB.Expired(e, x.Now) {
				keys = append(keys, k)
			}
			return true
		})
	}
	x.W.WriteArrayLen(len(keys))
	for _, k := range keys {
		x.W.WriteBulk(k)
	}
}

// SCAN's cursor packs the shard being walked into its low store.ShardBits
// bits and that shard's own reverse-binary bucket cursor above them. Shards
// are walked in order, and within a shard the bucket cursor keeps Redis's
// guarantee across table growth and shrinking, so a key present for the
// whole scan is returned at least once.
func cmdScan(x *Ctx) {
	cursor, ok := parseScanCursor(x.Args[1])
	if !ok {
		x.Error(errInvalidCur)
		return
	}
	opts, ok := parseScanOptions(x, x.Args[2:], scanWithType)
	if !ok {
		return
	}
	count := opts.count
	sc := keyScan{x: x, pat: opts.pattern, typ: opts.typ}
	shard := int(cursor & (store.NumShards - 1))
	bucket := cursor >> store.ShardBits
	// As in Redis, visit buckets until COUNT keys were seen (before
	// filtering) or ten times COUNT buckets were visited.
	budget := count * 10
	if count > math.MaxInt64/10 {
		budget = math.MaxInt64
	}
	var seen int64
	var raw [][]byte // one shard's keys, before filtering
	for {
		x.LockShardSelf(shard)
		if keys, _ := x.DB.ShardSize(shard); keys == 0 {
			bucket = 0 // an empty shard costs nothing
		} else {
			raw = raw[:0]
			for {
				bucket = x.DB.ScanShard(shard, bucket, func(e *store.Entry) {
					raw = append(raw, e.Key())
				})
				budget--
				if bucket == 0 || budget <= 0 || seen+int64(len(raw)) >= count {
					break
				}
			}
			seen += int64(len(raw))
			sc.filter(raw)
		}
		x.UnlockShardSelf(shard)
		if bucket == 0 {
			shard++
			if shard == store.NumShards {
				cursor = 0
				break
			}
		}
		if budget <= 0 || seen >= count {
			cursor = bucket<<store.ShardBits | uint64(shard)
			break
		}
	}

	x.W.WriteArrayLen(2)
	var tmp [20]byte
	x.W.WriteBulk(strconv.AppendUint(tmp[:0], cursor, 10))
	x.W.WriteArrayLen(len(sc.ends))
	start := 0
	for _, end := range sc.ends {
		x.W.WriteBulk(sc.buf[start:end])
		start = end
	}
}

// keyScan filters the keys one SCAN call collects and keeps copies of those
// it returns, since their shards are unlocked before the reply is written.
type keyScan struct {
	x        *Ctx
	pat, typ []byte
	buf      []byte // kept keys, back to back
	ends     []int  // end offset of each kept key in buf
}

// filter applies MATCH, TYPE and expiry to keys of one shard, in Redis's
// order, with the shard's lock held.
func (sc *keyScan) filter(keys [][]byte) {
	x := sc.x
	for _, k := range keys {
		if sc.pat != nil && !glob.Match(sc.pat, k, false) {
			continue
		}
		if sc.typ != nil {
			// Redis looks the key up to learn its type, which counts a hit
			// or miss and expires it; an expired key is then "none", and
			// passes TYPE none.
			if !strings.EqualFold(string(sc.typ), keyTypeName(peekKey(x, k))) {
				continue
			}
		} else if e := x.DB.LookupNoExpire(k); e != nil && x.DB.Expired(e, x.Now) {
			x.DB.Lookup(k, x.Now) // expires it
			continue
		}
		sc.buf = append(sc.buf, k...)
		sc.ends = append(sc.ends, len(sc.buf))
	}
}

// RANDOMKEY locks one shard at a time. A few random probes find a
// non-empty shard at once unless the database is nearly empty; a sweep from
// a random shard then settles it. Keys whose TTL passed are expired on the
// way, and another is drawn, as in Redis.
func cmdRandomkey(x *Ctx) {
	const probes = 8
	for range probes {
		if randomKeyIn(x, rand.IntN(store.NumShards)) {
			return
		}
	}
	start := rand.IntN(store.NumShards)
	for i := range store.NumShards {
		if randomKeyIn(x, (start+i)%store.NumShards) {
			return
		}
	}
	x.W.WriteNull()
}

// randomKeyIn replies with a random live key of shard i and reports whether
// it found one.
func randomKeyIn(x *Ctx, i int) bool {
	x.LockShardSelf(i)
	defer x.UnlockShardSelf(i)
	for {
		e := x.DB.RandomInShard(i)
		if e == nil {
			return false
		}
		if !x.DB.Expired(e, x.Now) {
			x.W.WriteBulk(e.Key())
			return true
		}
		x.DB.Lookup(e.Key(), x.Now)
	}
}

func cmdExpire(x *Ctx)    { expireKey(x, x.Now, 1000) }
func cmdPexpire(x *Ctx)   { expireKey(x, x.Now, 1) }
func cmdExpireat(x *Ctx)  { expireKey(x, 0, 1000) }
func cmdPexpireat(x *Ctx) { expireKey(x, 0, 1) }

// Flags of the EXPIRE family.
const (
	expireNX = 1 << iota
	expireXX
	expireGT
	expireLT
)

// expireKey sets a TTL of Args[2] units (1000 for seconds) after base (the
// command's time, or 0 for absolute times). A time already past deletes
// the key.
func expireKey(x *Ctx, base, unit int64) {
	flags := 0
	for _, opt := range x.Args[3:] {
		switch {
		case bytes.EqualFold(opt, []byte("nx")):
			flags |= expireNX
		case bytes.EqualFold(opt, []byte("xx")):
			flags |= expireXX
		case bytes.EqualFold(opt, []byte("gt")):
			flags |= expireGT
		case bytes.EqualFold(opt, []byte("lt")):
			flags |= expireLT
		default:
			// Redis formats the option as a C string: it ends at a NUL.
			if i := bytes.IndexByte(opt, 0); i >= 0 {
				opt = opt[:i]
			}
			x.Errorf("ERR Unsupported option %s", opt)
			return
		}
	}
	if flags&expireNX != 0 && flags&(expireXX|expireGT|expireLT) != 0 {
		x.Error(errExpireNXFlag)
		return
	}
	if flags&expireGT != 0 && flags&expireLT != 0 {
		x.Error(errExpireGTLT)
		return
	}
	when, ok := num.ParseInt(x.Args[2])
	if !ok {
		x.Error(ErrNotInt)
		return
	}
	if when > math.MaxInt64/unit || when < math.MinInt64/unit || when*unit > math.MaxInt64-base {
		x.Errorf(ErrInvalidExp, x.Cmd.Name)
		return
	}
	when = when*unit + base

	key := x.Args[1]
	e := x.LookupWrite(key)
	if e == nil {
		x.W.WriteInt(0)
		return
	}
	if flags != 0 {
		cur := x.DB.ExpireAt(e)
		hasTTL := cur != 0
		if flags&expireNX != 0 && hasTTL ||
			flags&expireXX != 0 && !hasTTL ||
			// no TTL counts as infinite: nothing is greater
			flags&expireGT != 0 && (!hasTTL || when <= cur) ||
			flags&expireLT != 0 && hasTTL && when >= cur {
			x.W.WriteInt(0)
			return
		}
	}
	// A time already past deletes the key: "del" instead of "expire".
	event := "expire"
	if when <= x.Now {
		x.DB.Delete(key)
		event = "del"
	} else {
		x.DB.SetExpireAt(e, when)
	}
	x.Modified(key)
	x.Notify(NotifyGeneric, event, key)
	if x.propagating() {
		expirePropagate(x, when, base == 0 && unit == 1)
	}
	x.W.WriteInt(1)
}

// expirePropagate logs what the EXPIRE family did: a deletion when the time
// had passed, else an absolute PEXPIREAT with the client's options (PEXPIREAT
// itself as sent).
func expirePropagate(x *Ctx, when int64, pexpireat bool) {
	key := x.Args[1]
	switch {
	case when <= x.Now:
		x.propDelete(key, "lazyfree-lazy-expire")
	case !pexpireat:
		args := make([][]byte, 0, len(x.Args))
		args = append(args, argPexpireat, key, propInt(when))
		x.PropagateAs(append(args, x.Args[3:]...)...)
	}
}

func cmdTtl(x *Ctx)         { replyTTL(x, false, false) }
func cmdPttl(x *Ctx)        { replyTTL(x, true, false) }
func cmdExpiretime(x *Ctx)  { replyTTL(x, false, true) }
func cmdPexpiretime(x *Ctx) { replyTTL(x, true, true) }

// replyTTL answers TTL (ms: PTTL; abs: the EXPIRETIME pair): -2 for a
// missing key, -1 for one without TTL. Seconds are rounded to the nearest.
func replyTTL(x *Ctx, ms, abs bool) {
	e := peekKey(x, x.Args[1])
	if e == nil {
		x.W.WriteInt(-2)
		return
	}
	at := x.DB.ExpireAt(e)
	if at == 0 {
		x.W.WriteInt(-1)
		return
	}
	v := at
	if !abs {
		v = max(at-x.Now, 0)
	}
	if !ms {
		v = v/1000 + (v%1000+500)/1000 // (v+500)/1000 without overflow
	}
	x.W.WriteInt(v)
}

func cmdPersist(x *Ctx) {
	key := x.Args[1]
	e := x.LookupWrite(key)
	if e == nil || !x.DB.Persist(e) {
		x.W.WriteInt(0)
		return
	}
	x.Modified(key)
	x.Notify(NotifyGeneric, "persist", key)
	x.W.WriteInt(1)
}

// objectKey looks up OBJECT's key, replying null when it is missing.
func objectKey(x *Ctx) *store.Entry {
	e := peekKeyQuiet(x, x.Args[2], true)
	if e == nil {
		x.W.WriteNull()
	}
	return e
}

func cmdObjectEncoding(x *Ctx) {
	if e := objectKey(x); e != nil {
		x.W.WriteBulkString(keyEncodingName(e))
	}
}

func cmdObjectFreq(x *Ctx) {
	e := objectKey(x)
	if e == nil {
		return
	}
	if !lfuPolicy(x) {
		x.Error(errLFUOff)
		return
	}
	x.W.WriteInt(lfuDecayed(e.LRU(), lfuMinutes(), x.s.access.decayTime.Load()))
}

func cmdObjectIdletime(x *Ctx) {
	e := objectKey(x)
	if e == nil {
		return
	}
	if lfuPolicy(x) {
		x.Error(errLFUOn)
		return
	}
	x.W.WriteInt(idleSeconds(lruClock(), e.LRU()))
}

// idleSeconds is Redis's estimateObjectIdleTime in seconds: the distance
// from the key's 24-bit LRU clock to now, allowing for one wrap-around.
func idleSeconds(now, lru uint32) int64 {
	if now >= lru {
		return int64(now - lru)
	}
	return int64(now) + int64(1<<24-1-lru)
}

func cmdObjectRefcount(x *Ctx) {
	e := objectKey(x)
	if e == nil {
		return
	}
	if isSharedInteger(x, e) {
		x.W.WriteInt(sharedIntRefcount)
		return
	}
	x.W.WriteInt(1)
}

// isSharedInteger reports whether Redis would hold e's value in one of its
// shared integer objects: an int-encoded string from 0 to 9999 that COPY did
// not duplicate, unless the maxmemory policy turns sharing off.
func isSharedInteger(x *Ctx, e *store.Entry) bool {
	if !e.IsString() || e.Copied() || e.StringEncoding() != "int" {
		return false
	}
	v, ok := num.ParseInt(e.Str())
	return ok && v >= 0 && v < objSharedIntegers && x.s.sharedIntegers()
}

var objectHelp = []string{
	"OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"ENCODING <key>",
	"    Return the kind of internal representation used in order to store the value",
	"    associated with a <key>.",
	"FREQ <key>",
	"    Return the access frequency index of the <key>. The returned integer is",
	"    proportional to the logarithm of the recent access frequency of the key.",
	"IDLETIME <key>",
	"    Return the idle time of the <key>, that is the approximated number of",
	"    seconds elapsed since the last access to the key.",
	"REFCOUNT <key>",
	"    Return the number of references of the value associated with the specified",
	"    <key>.",
	"HELP",
	"    Prints this help.",
}

func cmdObjectHelp(x *Ctx) {
	x.W.WriteArrayLen(len(objectHelp))
	for _, l := range objectHelp {
		x.W.WriteSimple(l)
	}
}
