package server

import (
	"math"
	"slices"

	"petrel/internal/num"
	"petrel/store"
	"petrel/types"
)

// The set command family. Sets are types.Set values: an intset while every
// member is an integer and there are at most set-max-intset-entries of
// them, else "hashtable" (internally packed while small). Member slices
// handed out by types.Set alias the set or a scratch buffer, so each one is
// written to the reply (or copied) before the set changes.

// Error texts of this family.
const (
	errSetPopCount   = "ERR value is out of range, must be positive"
	errSetRandRange  = "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"
	errSetNumkeys    = "ERR numkeys should be greater than 0"
	errSetNumkeysBig = "ERR Number of keys can't be greater than number of args"
	errSetLimitNeg   = "ERR LIMIT can't be negative"
)

// setOf returns the set held by e (nil for a missing key); on another type
// it replies WRONGTYPE and reports false.
func setOf(x *Ctx, e *store.Entry) (*types.Set, bool) {
	if e == nil {
		return nil, true
	}
	if s, ok := e.Obj().(*types.Set); ok {
		return s, true
	}
	x.Error(ErrWrongType)
	return nil, false
}

func setRead(x *Ctx, key []byte) (*types.Set, bool)  { return setOf(x, x.Lookup(key)) }
func setWrite(x *Ctx, key []byte) (*types.Set, bool) { return setOf(x, x.LookupWrite(key)) }

// setStore stores s at key, replacing whatever (and whichever TTL) was
// there.
func setStore(x *Ctx, key []byte, s *types.Set) {
	strStampNew(x, x.DB.SetObject(key, s))
}

// setMaxIntset is set-max-intset-entries.
func setMaxIntset(x *Ctx) int { return x.Limits().SetMaxIntsetEntries }

// setEmptied deletes the key of a set that has just lost its last member,
// raising "del" after the command's own event.
func setEmptied(x *Ctx, key []byte, s *types.Set) {
	if s.Len() == 0 {
		x.DB.Delete(key)
		x.Notify(NotifyGeneric, "del", key)
	}
}

func cmdSadd(x *Ctx) {
	key := x.Args[1]
	s, ok := setWrite(x, key)
	if !ok {
		return
	}
	if s == nil {
		s = types.NewSet()
		setStore(x, key, s)
	}
	added := s.AddAll(x.Args[2:], setMaxIntset(x))
	if added > 0 {
		x.Modified(key)
		x.Dirty(int64(added - 1)) // Redis counts each member
		x.Notify(NotifySet, "sadd", key)
	}
	x.W.WriteInt(int64(added))
}

func cmdSrem(x *Ctx) {
	key := x.Args[1]
	s, ok := setWrite(x, key)
	if !ok {
		return
	}
	if s == nil {
		x.W.WriteInt(0)
		return
	}
	removed := 0
	for _, m := range x.Args[2:] {
		if s.Remove(m) {
			removed++
			if s.Len() == 0 {
				break
			}
		}
	}
	if removed > 0 {
		x.Notify(NotifySet, "srem", key)
		setEmptied(x, key, s)
		x.Modified(key)
		x.Dirty(int64(removed - 1))
	}
	x.W.WriteInt(int64(removed))
}

func cmdSmembers(x *Ctx) {
	s, ok := setRead(x, x.Args[1])
	if !ok {
		return
	}
	if s == nil {
		x.W.WriteSetLen(0)
		return
	}
	x.W.WriteSetLen(s.Len())
	s.Members(func(m []byte) bool {
		x.W.WriteBulk(m)
		return true
	})
}

func cmdSismember(x *Ctx) {
	s, ok := setRead(x, x.Args[1])
	if !ok {
		return
	}
	if s != nil && s.Contains(x.Args[2]) {
		x.W.WriteInt(1)
	} else {
		x.W.WriteInt(0)
	}
}

func cmdSmismember(x *Ctx) {
	s, ok := setRead(x, x.Args[1])
	if !ok {
		return
	}
	x.W.WriteArrayLen(len(x.Args) - 2)
	for _, m := range x.Args[2:] {
		if s != nil && s.Contains(m) {
			x.W.WriteInt(1)
		} else {
			x.W.WriteInt(0)
		}
	}
}

func cmdScard(x *Ctx) {
	s, ok := setRead(x, x.Args[1])
	if !ok {
		return
	}
	if s == nil {
		x.W.WriteInt(0)
		return
	}
	x.W.WriteInt(int64(s.Len()))
}

// SPOP key [count]: without a count one member or null; with one, a set
// reply of up to count members. The emptied key is deleted.
func cmdSpop(x *Ctx) {
	if len(x.Args) > 3 {
		x.Error(ErrSyntax)
		return
	}
	key := x.Args[1]
	if len(x.Args) == 3 {
		setPopCount(x, key)
		return
	}
	s, ok := setWrite(x, key)
	if !ok {
		return
	}
	if s == nil {
		x.W.WriteNull()
		return
	}
	m := s.Pop()
	x.Notify(NotifySet, "spop", key)
	setEmptied(x, key, s)
	x.Modified(key)
	if x.propagating() {
		x.PropagateAs(argSrem, key, m)
	}
	x.W.WriteBulk(m)
}

// spopMoveStrategyMul is Redis's SPOP_MOVE_STRATEGY_MUL: SPOP with a count
// at least this many times what it leaves builds a new set of the rest.
const spopMoveStrategyMul = 5

func setPopCount(x *Ctx, key []byte) {
	n, ok := num.ParseInt(x.Args[2])
	if !ok || n < 0 {
		x.Error(errSetPopCount)
		return
	}
	s, ok := setWrite(x, key)
	if !ok {
		return
	}
	if s == nil || n == 0 {
		x.W.WriteSetLen(0)
		return
	}
	size := s.Len()
	if n >= int64(size) {
		// The whole set, in its own order, then the key goes.
		x.W.WriteSetLen(size)
		s.Members(func(m []byte) bool {
			x.W.WriteBulk(m)
			return true
		})
		x.DB.Delete(key)
		x.Modified(key)
		x.Dirty(int64(size - 1))
		x.Notify(NotifySet, "spop", key)
		x.Notify(NotifyGeneric, "del", key)
		if x.propagating() {
			x.propDelete(key, "") // DEL whatever lazyfree says, as Redis 7.0
		}
		return
	}
	x.W.WriteSetLen(int(n))
	if x.propagating() {
		// One SREM per member, MULTI-wrapped when several, as Redis 7.0
		// logs it.
		x.PropagateNone()
		s.PopRandom(int(n), func(m []byte) {
			x.W.WriteBulk(m)
			x.Also(argSrem, key, slices.Clone(m))
		})
	} else {
		s.PopRandom(int(n), func(m []byte) { x.W.WriteBulk(m) })
	}
	if left := size - int(n); left*spopMoveStrategyMul <= int(n) {
		s.Rebuild(setMaxIntset(x))
	}
	x.Modified(key)
	x.Notify(NotifySet, "spop", key)
	x.Dirty(n - 1)
}

// SRANDMEMBER key [count]: a negative count allows repeats; a positive
// one returns distinct members, the whole set when count reaches its size.
func cmdSrandmember(x *Ctx) {
	if len(x.Args) > 3 {
		x.Error(ErrSyntax)
		return
	}
	if len(x.Args) == 2 {
		s, ok := setRead(x, x.Args[1])
		if !ok {
			return
		}
		if s == nil {
			x.W.WriteNull()
			return
		}
		var sc types.Scratch
		x.W.WriteBulk(s.Random(&sc))
		return
	}
	l, ok := num.ParseInt(x.Args[2])
	if !ok {
		x.Error(ErrNotInt)
		return
	}
	if l == math.MinInt64 {
		x.Error(errSetRandRange)
		return
	}
	s, ok := setRead(x, x.Args[1])
	if !ok {
		return
	}
	if s == nil || l == 0 {
		x.W.WriteArrayLen(0)
		return
	}
	size := s.Len()
	if l < 0 || l == 1 {
		count := -l
		if l == 1 {
			count = 1
		}
		// A huge count would exhaust memory before Redis's output buffer
		// limit could stop it; the reply stops at that limit instead.
		x.W.WriteArrayLen(int(count))
		limit := hashReplyLimit(x)
		s.RandomRepeat(int(min(count, math.MaxInt32)), func(m []byte) bool {
			x.W.WriteBulk(m)
			return x.W.Len() < limit
		})
		if x.W.Len() >= limit {
			hashReplyOverflow(x)
		}
		return
	}
	if l >= int64(size) {
		x.W.WriteArrayLen(size)
		s.Members(func(m []byte) bool {
			x.W.WriteBulk(m)
			return true
		})
		return
	}
	x.W.WriteArrayLen(int(l))
	s.RandomDistinct(int(l), func(m []byte) { x.W.WriteBulk(m) })
}

// SMOVE source destination member.
func cmdSmove(x *Ctx) {
	src, dst, m := x.Args[1], x.Args[2], x.Args[3]
	se := x.LookupWrite(src)
	de := x.LookupWrite(dst)
	if se == nil {
		x.W.WriteInt(0)
		return
	}
	ss, ok := setOf(x, se)
	if !ok {
		return
	}
	ds, ok := setOf(x, de)
	if !ok {
		return
	}
	if ss == ds {
		if ss.Contains(m) {
			x.W.WriteInt(1)
		} else {
			x.W.WriteInt(0)
		}
		return
	}
	if !ss.Remove(m) {
		x.W.WriteInt(0)
		return
	}
	x.Notify(NotifySet, "srem", src)
	setEmptied(x, src, ss)
	x.Modified(src)
	if ds == nil {
		ds = types.NewSet()
		setStore(x, dst, ds)
	}
	if ds.Add(m, setMaxIntset(x)) {
		x.Modified(dst)
		x.Notify(NotifySet, "sadd", dst)
	}
	x.W.WriteInt(1)
}

// --- set algebra ---

// setLoad looks up every key for SINTER and friends (reads, counted as
// hits and misses even for the STORE forms, as in Redis); missing keys are
// nil. A key of another type replies WRONGTYPE and reports false, whatever
// the other keys hold.
func setLoad(x *Ctx, keys [][]byte) ([]*types.Set, bool) {
	sets := make([]*types.Set, len(keys))
	for i, k := range keys {
		s, ok := setOf(x, x.Lookup(k))
		if !ok {
			return nil, false
		}
		sets[i] = s
	}
	return sets, true
}

// setResult is a result being collected: its members back to back.
type setResult struct {
	buf  []byte
	ends []int
}

func (r *setResult) add(m []byte) {
	r.buf = append(r.buf, m...)
	r.ends = append(r.ends, len(r.buf))
}

func (r *setResult) write(x *Ctx) {
	x.W.WriteSetLen(len(r.ends))
	start := 0
	for _, end := range r.ends {
		x.W.WriteBulk(r.buf[start:end])
		start = end
	}
}

// setStoreResult finishes a *STORE command: a non-empty result replaces
// dst and raises event (the command's name), an empty one deletes it
// ("del"); the reply is the result's size.
func setStoreResult(x *Ctx, dst []byte, res *types.Set, event string) {
	if res.Len() > 0 {
		setStore(x, dst, res)
		x.Modified(dst)
		x.Notify(NotifySet, event, dst)
	} else if x.DB.Delete(dst) {
		x.Modified(dst)
		x.Notify(NotifyGeneric, "del", dst)
	}
	x.W.WriteInt(int64(res.Len()))
}

func cmdSinter(x *Ctx)      { setInter(x, x.Args[1:], nil, false, 0) }
func cmdSinterstore(x *Ctx) { setInter(x, x.Args[2:], x.Args[1], false, 0) }

// SINTERCARD numkeys key [key ...] [LIMIT limit]
func cmdSintercard(x *Ctx) {
	n, ok := num.ParseInt(x.Args[1])
	if !ok || n < 1 {
		x.Error(errSetNumkeys)
		return
	}
	if n > int64(len(x.Args)-2) {
		x.Error(errSetNumkeysBig)
		return
	}
	keys := x.Args[2 : 2+n]
	var limit int64
	for i := 2 + int(n); i < len(x.Args); i++ {
		if strEqFold(x.Args[i], "limit") && i+1 < len(x.Args) {
			l, ok := num.ParseInt(x.Args[i+1])
			if !ok || l < 0 {
				x.Error(errSetLimitNeg)
				return
			}
			limit = l
			i++
			continue
		}
		x.Error(ErrSyntax)
		return
	}
	setInter(x, keys, nil, true, limit)
}

// sintercardKeys is SINTERCARD's KeysFunc: the numkeys keys after the
// numkeys argument, none when they do not fit (the handler then replies
// with the error, and COMMAND GETKEYS with "Invalid arguments").
func sintercardKeys(args [][]byte) []int {
	if len(args) < 2 {
		return nil
	}
	n, ok := num.ParseInt(args[1])
	if !ok || n < 1 || n > int64(len(args)-2) {
		return nil
	}
	out := make([]int, n)
	for i := range out {
		out[i] = 2 + i
	}
	return out
}

// setInter is SINTER, SINTERSTORE (dst set) and SINTERCARD (card): the
// members of the smallest set found in all the others.
func setInter(x *Ctx, keys [][]byte, dst []byte, card bool, limit int64) {
	sets, ok := setLoad(x, keys)
	if !ok {
		return
	}
	if slices.Contains(sets, nil) {
		switch {
		case dst != nil:
			setStoreResult(x, dst, types.NewSet(), "sinterstore")
		case card:
			x.W.WriteInt(0)
		default:
			x.W.WriteSetLen(0)
		}
		return
	}
	// Smallest first, ties in argument order (glibc's qsort is a merge
	// sort), which decides the reply's order.
	slices.SortStableFunc(sets, func(a, b *types.Set) int { return a.Len() - b.Len() })
	var (
		res   *types.Set
		out   setResult
		count int64
	)
	if dst != nil {
		res = types.NewSet()
	}
	max := setMaxIntset(x)
	sets[0].Members(func(m []byte) bool {
		for _, o := range sets[1:] {
			if o != sets[0] && !o.Contains(m) {
				return true
			}
		}
		count++
		switch {
		case card:
			return limit == 0 || count < limit
		case res != nil:
			res.Add(m, max)
		default:
			out.add(m)
		}
		return true
	})
	switch {
	case card:
		x.W.WriteInt(count)
	case res != nil:
		setStoreResult(x, dst, res, "sinterstore")
	default:
		out.write(x)
	}
}

func cmdSunion(x *Ctx)      { setUnionDiff(x, x.Args[1:], nil, false) }
func cmdSunionstore(x *Ctx) { setUnionDiff(x, x.Args[2:], x.Args[1], false) }
func cmdSdiff(x *Ctx)       { setUnionDiff(x, x.Args[1:], nil, true) }
func cmdSdiffstore(x *Ctx)  { setUnionDiff(x, x.Args[2:], x.Args[1], true) }

// setUnionDiff is SUNION, SDIFF and their STORE forms. The result is built
// as a new set, so its encoding (and, for an intset, its order) is that of
// a set made by adding its members. SDIFF picks between Redis's two
// algorithms with Redis's cost estimate, because they can leave different
// encodings: the second adds the whole first set before removing.
func setUnionDiff(x *Ctx, keys [][]byte, dst []byte, diff bool) {
	sets, ok := setLoad(x, keys)
	if !ok {
		return
	}
	max := setMaxIntset(x)
	res := types.NewSet()
	switch {
	case !diff:
		for _, s := range sets {
			if s == nil {
				continue
			}
			s.Members(func(m []byte) bool {
				res.Add(m, max)
				return true
			})
		}
	case sets[0] == nil || slices.Contains(sets[1:], sets[0]):
		// Nothing to subtract from, or the first set subtracted from itself.
	default:
		var work1, work2 int64
		for _, s := range sets {
			if s != nil {
				work1 += int64(sets[0].Len())
				work2 += int64(s.Len())
			}
		}
		if work1/2 <= work2 {
			others := slices.DeleteFunc(slices.Clone(sets[1:]), func(s *types.Set) bool { return s == nil })
			// Largest first: a member is more likely found early.
			slices.SortStableFunc(others, func(a, b *types.Set) int { return b.Len() - a.Len() })
			sets[0].Members(func(m []byte) bool {
				for _, o := range others {
					if o.Contains(m) {
						return true
					}
				}
				res.Add(m, max)
				return true
			})
		} else {
			sets[0].Members(func(m []byte) bool {
				res.Add(m, max)
				return true
			})
			for _, s := range sets[1:] {
				if res.Len() == 0 {
					break
				}
				if s != nil {
					s.Members(func(m []byte) bool {
						res.Remove(m)
						return res.Len() > 0
					})
				}
			}
		}
	}
	if dst != nil {
		event := "sunionstore"
		if diff {
			event = "sdiffstore"
		}
		setStoreResult(x, dst, res, event)
		return
	}
	x.W.WriteSetLen(res.Len())
	res.Members(func(m []byte) bool {
		x.W.WriteBulk(m)
		return true
	})
}

// SSCAN key cursor [MATCH pattern] [COUNT count]
func cmdSscan(x *Ctx) {
	cursor, ok := parseScanCursor(x.Args[2])
	if !ok {
		x.Error(errInvalidCur)
		return
	}
	s, ok := setRead(x, x.Args[1])
	if !ok {
		return
	}
	if s == nil {
		writeScanHeader(x, 0, 0)
		return
	}
	opts, ok := parseScanOptions(x, x.Args[3:], 0)
	if !ok {
		return
	}
	var out setResult
	next := s.Scan(cursor, int(min(opts.count, math.MaxInt32)), func(m []byte) {
		if opts.matches(m) {
			out.add(m)
		}
	})
	writeScanHeader(x, next, len(out.ends))
	start := 0
	for _, end := range out.ends {
		x.W.WriteBulk(out.buf[start:end])
		start = end
	}
}
