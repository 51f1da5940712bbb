package server

import (
	"bytes"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"petrel/internal/num"
	"petrel/store"
	"petrel/types"
)

// Sorted-set commands (types.ZSet). Replies, errors and the order in which
// arguments are checked follow Redis 7.0.15's t_zset.c; ZRANK/ZREVRANK's
// WITHSCORE follows Redis 7.2.

const (
	errZNaN         = "ERR resulting score is not a number (NaN)"
	errZNotFloat    = "ERR min or max is not a float"
	errZNotLex      = "ERR min or max not valid string range item"
	errZXXNX        = "ERR XX and NX options at the same time are not compatible"
	errZGTLTNX      = "ERR GT, LT, and/or NX options at the same time are not compatible"
	errZIncrPair    = "ERR INCR option supports a single increment-element pair"
	errZWeight      = "ERR weight value is not a float"
	errZPositive    = "ERR value is out of range, must be positive"
	errZNumkeys     = "ERR numkeys should be greater than 0"
	errZCount       = "ERR count should be greater than 0"
	errZLimitNeg    = "ERR LIMIT can't be negative"
	errZLimitRank   = "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"
	errZScoresLex   = "ERR syntax error, WITHSCORES not supported in combination with BYLEX"
	errZRandRange   = "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"
	errZRandRangeWS = "ERR value is out of range"
)

func zLimits(x *Ctx) types.ZLimits {
	l := x.Limits()
	return types.ZLimits{MaxEntries: l.ZsetMaxListpackEntries, MaxValue: l.ZsetMaxListpackValue}
}

// zLookup returns key's sorted set (nil if the key is missing); ok is false
// after a WRONGTYPE reply. write selects lookupKeyWrite, which counts no
// keyspace hit or miss.
func zLookup(x *Ctx, key []byte, write bool) (z *types.ZSet, ok bool) {
	var e *store.Entry
	if write {
		e = x.LookupWrite(key)
	} else {
		e = x.Lookup(key)
	}
	if e == nil {
		return nil, true
	}
	if z, ok = e.Obj().(*types.ZSet); !ok {
		x.Error(ErrWrongType)
	}
	return z, ok
}

// zStore makes z the value of key, replacing any value and its TTL, as
// Redis's setKey does for a new object.
func zStore(x *Ctx, key []byte, z *types.ZSet) {
	strStampNew(x, x.DB.SetObject(key, z))
}

// zChanged signals n changes to key, raising event, and drops the key
// (raising "del") when it became empty.
func zChanged(x *Ctx, key []byte, z *types.ZSet, n int, event string) {
	if n <= 0 {
		return
	}
	x.Notify(NotifyZset, event, key)
	if z.Len() == 0 {
		x.DB.Delete(key)
		x.Notify(NotifyGeneric, "del", key)
	}
	x.Modified(key)
	if n > 1 {
		x.Dirty(int64(n - 1))
	}
}

// zWriteLen starts a reply of n members, with their scores if withScores:
// flat in RESP2, [member, score] pairs in RESP3.
func zWriteLen(x *Ctx, n int, withScores bool) {
	if withScores && x.W.Proto < 3 {
		n *= 2
	}
	x.W.WriteArrayLen(n)
}

func zWriteEntry(x *Ctx, m []byte, s float64, withScores bool) {
	if withScores && x.W.Proto >= 3 {
		x.W.WriteArrayLen(2)
	}
	x.W.WriteBulk(m)
	if withScores {
		zWriteScore(x, s)
	}
}

// zWriteScore writes a score as Redis's addReplyDouble does ("%.17g"),
// formatting integral scores below 1e17, whose "%.17g" is their integer
// digits, without the general conversion.
func zWriteScore(x *Ctx, s float64) {
	if s == math.Trunc(s) && s > -1e17 && s < 1e17 && (s != 0 || !math.Signbit(s)) {
		var tmp [32]byte
		if x.W.Proto >= 3 {
			b := append(tmp[:0], ',')
			b = strconv.AppendInt(b, int64(s), 10)
			x.W.WriteRaw(append(b, '\r', '\n'))
			return
		}
		x.W.WriteBulk(strconv.AppendInt(tmp[:0], int64(s), 10))
		return
	}
	x.W.WriteDouble(s)
}

// ---- range arguments ----

// zParseBoundFloat reads a score bound as zslParseRange does with C's
// strtod: leading white space is skipped, the number must reach the end of
// the string (or a NUL byte), overflow reads as an infinity and the empty
// string as 0. NaN is refused.
func zParseBoundFloat(b []byte) (float64, bool) {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	if len(b) == 0 {
		return 0, true
	}
	s := strings.TrimLeft(string(b), " \t\n\v\f\r")
	if s == "" || strings.IndexByte(s, '_') >= 0 {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
			// C also reads hexadecimal without a binary exponent.
			hv, ok := num.ParseFloat([]byte(s))
			if !ok {
				return 0, false
			}
			v = hv
		}
	}
	return v, !math.IsNaN(v)
}

func zParseScoreRange(min, max []byte) (types.ScoreRange, bool) {
	var r types.ScoreRange
	var ok1, ok2 bool
	if len(min) > 0 && min[0] == '(' {
		r.MinEx = true
		min = min[1:]
	}
	if len(max) > 0 && max[0] == '(' {
		r.MaxEx = true
		max = max[1:]
	}
	r.Min, ok1 = zParseBoundFloat(min)
	r.Max, ok2 = zParseBoundFloat(max)
	return r, ok1 && ok2
}

// zParseLexBound reads "-", "+", "(member" or "[member".
func zParseLexBound(b []byte) (types.LexBound, bool) {
	if len(b) == 0 {
		return types.LexBound{}, false
	}
	switch b[0] {
	case '+', '-':
		// Redis looks at the C string, which ends at a NUL byte.
		if len(b) > 1 && b[1] != 0 {
			return types.LexBound{}, false
		}
		if b[0] == '+' {
			return types.LexBound{Inf: 1, Ex: true}, true
		}
		return types.LexBound{Inf: -1, Ex: true}, true
	case '(':
		return types.LexBound{Value: b[1:], Ex: true}, true
	case '[':
		return types.LexBound{Value: b[1:]}, true
	}
	return types.LexBound{}, false
}

func zParseLexRange(min, max []byte) (types.LexRange, bool) {
	lo, ok1 := zParseLexBound(min)
	hi, ok2 := zParseLexBound(max)
	return types.LexRange{Min: lo, Max: hi}, ok1 && ok2
}

// zClampRanks turns ZRANGE-style indexes into a valid inclusive range of
// the n members, or reports that it is empty.
func zClampRanks(start, end int64, n int) (int, int, bool) {
	ln := int64(n)
	if start < 0 {
		start += ln
	}
	if end < 0 {
		end += ln
	}
	if start < 0 {
		start = 0
	}
	if start > end || start >= ln {
		return 0, 0, false
	}
	if end >= ln {
		end = ln - 1
	}
	return int(start), int(end), true
}

// ---- ZADD, ZINCRBY ----

func cmdZadd(x *Ctx)    { zaddGeneric(x, 0) }
func cmdZincrby(x *Ctx) { zaddGeneric(x, types.ZAddIncr) }

func zaddGeneric(x *Ctx, flags types.ZAddFlag) {
	args := x.Args
	key := args[1]
	ch := false
	i := 2
opts:
	for ; i < len(args); i++ {
		a := args[i]
		switch {
		case strEqFold(a, "nx"):
			flags |= types.ZAddNX
		case strEqFold(a, "xx"):
			flags |= types.ZAddXX
		case strEqFold(a, "ch"):
			ch = true
		case strEqFold(a, "incr"):
			flags |= types.ZAddIncr
		case strEqFold(a, "gt"):
			flags |= types.ZAddGT
		case strEqFold(a, "lt"):
			flags |= types.ZAddLT
		default:
			break opts
		}
	}
	pairs := len(args) - i
	if pairs == 0 || pairs%2 != 0 {
		x.Error(ErrSyntax)
		return
	}
	pairs /= 2
	nx, xx := flags&types.ZAddNX != 0, flags&types.ZAddXX != 0
	gt, lt := flags&types.ZAddGT != 0, flags&types.ZAddLT != 0
	incr := flags&types.ZAddIncr != 0
	if nx && xx {
		x.Error(errZXXNX)
		return
	}
	if (gt && nx) || (lt && nx) || (gt && lt) {
		x.Error(errZGTLTNX)
		return
	}
	if incr && pairs > 1 {
		x.Error(errZIncrPair)
		return
	}
	var scoreBuf [32]float64
	scores := scoreBuf[:0]
	for j := 0; j < pairs; j++ {
		s, ok := num.ParseFloat(args[i+2*j])
		if !ok {
			x.Error(ErrNotFloat)
			return
		}
		scores = append(scores, s)
	}
	z, ok := zLookup(x, key, true)
	if !ok {
		return
	}
	lim := zLimits(x)
	added, updated, processed := 0, 0, 0
	var score float64
	if z == nil {
		if xx {
			zaddReply(x, incr, ch, 0, 0, 0, 0)
			return
		}
		// As Redis 7.0, the first member alone picks the encoding.
		z = types.NewZSet(lim.MaxEntries == 0 || lim.MaxValue < len(args[i+1]))
		zStore(x, key, z)
		if z.IsCompact() && pairs > 1 && pairs <= lim.MaxEntries {
			size := 0
			for j := 0; j < pairs && size >= 0; j++ {
				if m := args[i+2*j+1]; len(m) <= lim.MaxValue {
					size += types.ZCompactSize(scores[j], m)
				} else {
					size = -1 // it will become a skiplist
				}
			}
			z.Reserve(size)
		}
	}
	for j := 0; j < pairs; j++ {
		res, s := z.Add(scores[j], args[i+2*j+1], flags, lim)
		switch res {
		case types.ZAddNaN:
			x.Error(errZNaN)
			zChanged(x, key, z, added+updated, zaddEvent(incr))
			return
		case types.ZAddAdded:
			added++
		case types.ZAddUpdated:
			updated++
		}
		if res != types.ZAddNop {
			processed++
		}
		score = s
	}
	zChanged(x, key, z, added+updated, zaddEvent(incr))
	zaddReply(x, incr, ch, added, updated, processed, score)
}

// zaddEvent names the event of ZADD: "zincr" in its INCR form (and for
// ZINCRBY), else "zadd".
func zaddEvent(incr bool) string {
	if incr {
		return "zincr"
	}
	return "zadd"
}

func zaddReply(x *Ctx, incr, ch bool, added, updated, processed int, score float64) {
	switch {
	case incr && processed > 0:
		zWriteScore(x, score)
	case incr:
		x.W.WriteNull()
	case ch:
		x.W.WriteInt(int64(added + updated))
	default:
		x.W.WriteInt(int64(added))
	}
}

// ---- simple reads and writes ----

func cmdZrem(x *Ctx) {
	key := x.Args[1]
	z, ok := zLookup(x, key, true)
	if !ok {
		return
	}
	if z == nil {
		x.W.WriteInt(0)
		return
	}
	deleted := 0
	for _, m := range x.Args[2:] {
		if z.Remove(m) {
			deleted++
			if z.Len() == 0 {
				break
			}
		}
	}
	zChanged(x, key, z, deleted, "zrem")
	x.W.WriteInt(int64(deleted))
}

func cmdZcard(x *Ctx) {
	z, ok := zLookup(x, x.Args[1], false)
	if !ok {
		return
	}
	if z == nil {
		x.W.WriteInt(0)
		return
	}
	x.W.WriteInt(int64(z.Len()))
}

func cmdZcount(x *Ctx) {
	r, ok := zParseScoreRange(x.Args[2], x.Args[3])
	if !ok {
		x.Error(errZNotFloat)
		return
	}
	zCountIn(x, types.ByScore(&r))
}

func cmdZlexcount(x *Ctx) {
	r, ok := zParseLexRange(x.Args[2], x.Args[3])
	if !ok {
		x.Error(errZNotLex)
		return
	}
	zCountIn(x, types.ByLex(&r))
}

func zCountIn(x *Ctx, r types.ZRange) {
	z, ok := zLookup(x, x.Args[1], false)
	if !ok {
		return
	}
	if z == nil {
		x.W.WriteInt(0)
		return
	}
	x.W.WriteInt(int64(z.Count(r)))
}

func cmdZscore(x *Ctx) {
	z, ok := zLookup(x, x.Args[1], false)
	if !ok {
		return
	}
	if z != nil {
		if s, found := z.Score(x.Args[2]); found {
			zWriteScore(x, s)
			return
		}
	}
	x.W.WriteNull()
}

func cmdZmscore(x *Ctx) {
	z, ok := zLookup(x, x.Args[1], false)
	if !ok {
		return
	}
	x.W.WriteArrayLen(len(x.Args) - 2)
	for _, m := range x.Args[2:] {
		if z != nil {
			if s, found := z.Score(m); found {
				zWriteScore(x, s)
				continue
			}
		}
		x.W.WriteNull()
	}
}

func cmdZrank(x *Ctx)    { zrankGeneric(x, false) }
func cmdZrevrank(x *Ctx) { zrankGeneric(x, true) }

// zrankGeneric serves ZRANK and ZREVRANK with Redis 7.2's WITHSCORE, whose
// misses reply with a null array.
func zrankGeneric(x *Ctx, rev bool) {
	if len(x.Args) > 4 {
		x.Errorf("ERR wrong number of arguments for '%s' command", x.Cmd.Name)
		return
	}
	withScore := false
	if len(x.Args) == 4 {
		if !strEqFold(x.Args[3], "withscore") {
			x.Error(ErrSyntax)
			return
		}
		withScore = true
	}
	z, ok := zLookup(x, x.Args[1], false)
	if !ok {
		return
	}
	if z != nil {
		if r, s, found := z.Rank(x.Args[2], rev); found {
			if withScore {
				x.W.WriteArrayLen(2)
				x.W.WriteInt(int64(r))
				zWriteScore(x, s)
			} else {
				x.W.WriteInt(int64(r))
			}
			return
		}
	}
	if withScore {
		x.W.WriteNullArray()
	} else {
		x.W.WriteNull()
	}
}

// ---- ZRANGE and friends ----

type zrangeKind uint8

const (
	zrAuto zrangeKind = iota
	zrRank
	zrScore
	zrLex
)

type zrangeDir uint8

const (
	zdAuto zrangeDir = iota
	zdFwd
	zdRev
)

func cmdZrange(x *Ctx)      { zrangeGeneric(x, 1, false, zrAuto, zdAuto) }
func cmdZrangestore(x *Ctx) { zrangeGeneric(x, 2, true, zrAuto, zdAuto) }
func cmdZrevrange(x *Ctx)   { zrangeGeneric(x, 1, false, zrRank, zdRev) }
func cmdZrangebyscore(x *Ctx) {
	zrangeGeneric(x, 1, false, zrScore, zdFwd)
}
func cmdZrevrangebyscore(x *Ctx) {
	zrangeGeneric(x, 1, false, zrScore, zdRev)
}
func cmdZrangebylex(x *Ctx)    { zrangeGeneric(x, 1, false, zrLex, zdFwd) }
func cmdZrevrangebylex(x *Ctx) { zrangeGeneric(x, 1, false, zrLex, zdRev) }

// zrangeGeneric serves every ZRANGE form; the source key is at first, the
// destination of ZRANGESTORE at 1. The command fixes the kind and direction
// of the range, or leaves them to BYSCORE, BYLEX and REV.
func zrangeGeneric(x *Ctx, first int, store bool, kind zrangeKind, dir zrangeDir) {
	args := x.Args
	key := args[first]
	minIdx, maxIdx := first+1, first+2
	withScores := false
	offset, limit := int64(0), int64(-1)
	for j := first + 3; j < len(args); j++ {
		a := args[j]
		left := len(args) - j - 1
		switch {
		case !store && strEqFold(a, "withscores"):
			withScores = true
		case strEqFold(a, "limit") && left >= 2:
			var ok bool
			if offset, ok = num.ParseInt(args[j+1]); !ok {
				x.Error(ErrNotInt)
				return
			}
			if limit, ok = num.ParseInt(args[j+2]); !ok {
				x.Error(ErrNotInt)
				return
			}
			j += 2
		case dir == zdAuto && strEqFold(a, "rev"):
			dir = zdRev
		case kind == zrAuto && strEqFold(a, "bylex"):
			kind = zrLex
		case kind == zrAuto && strEqFold(a, "byscore"):
			kind = zrScore
		default:
			x.Error(ErrSyntax)
			return
		}
	}
	if kind == zrAuto {
		kind = zrRank
	}
	rev := dir == zdRev
	if limit != -1 && kind == zrRank {
		x.Error(errZLimitRank)
		return
	}
	if withScores && kind == zrLex {
		x.Error(errZScoresLex)
		return
	}
	if rev && kind != zrRank {
		minIdx, maxIdx = maxIdx, minIdx
	}
	var start, end int64
	var r types.ZRange
	switch kind {
	case zrRank:
		var ok bool
		if start, ok = num.ParseInt(args[minIdx]); !ok {
			x.Error(ErrNotInt)
			return
		}
		if end, ok = num.ParseInt(args[maxIdx]); !ok {
			x.Error(ErrNotInt)
			return
		}
	case zrScore:
		sr, ok := zParseScoreRange(args[minIdx], args[maxIdx])
		if !ok {
			x.Error(errZNotFloat)
			return
		}
		r = types.ByScore(&sr)
	case zrLex:
		lr, ok := zParseLexRange(args[minIdx], args[maxIdx])
		if !ok {
			x.Error(errZNotLex)
			return
		}
		r = types.ByLex(&lr)
	}
	z, ok := zLookup(x, key, false)
	if !ok {
		return
	}
	if store {
		var out []types.ZEntry
		if z != nil {
			collect := func(m []byte, s float64) { out = append(out, types.ZEntry{Member: string(m), Score: s}) }
			if kind == zrRank {
				if lo, hi, ok := zClampRanks(start, end, z.Len()); ok {
					z.RangeByRank(lo, hi, rev, collect)
				}
			} else {
				z.RangeBy(r, rev, zLimitArg(offset), zLimitArg(limit), collect)
			}
		}
		zListpackZeros(out, kind == zrRank, zLimits(x))
		zStoreResult(x, args[1], out, rev, "zrangestore")
		return
	}
	if z == nil {
		x.W.WriteArrayLen(0)
		return
	}
	if kind == zrRank {
		lo, hi, ok := zClampRanks(start, end, z.Len())
		if !ok {
			x.W.WriteArrayLen(0)
			return
		}
		zWriteLen(x, hi-lo+1, withScores)
		z.RangeByRank(lo, hi, rev, func(m []byte, s float64) { zWriteEntry(x, m, s, withScores) })
		return
	}
	// The length is known only at the end: gather the members (they stay
	// valid, nothing changes the set meanwhile).
	var buf [16]zMemberRef
	found := buf[:0]
	z.RangeBy(r, rev, zLimitArg(offset), zLimitArg(limit), func(m []byte, s float64) {
		found = append(found, zMemberRef{m, s})
	})
	zWriteLen(x, len(found), withScores)
	for _, f := range found {
		zWriteEntry(x, f.m, f.s, withScores)
	}
}

// zListpackZeros gives a -0 score +0 in the members, in the order Redis
// emits them, that ZRANGESTORE adds to its destination while that is
// still a listpack, which turns -0 into 0. The destination starts as one
// unless a rank range is known to exceed zset-max-listpack-entries, and
// converts before the first member past either limit.
func zListpackZeros(out []types.ZEntry, knownLen bool, l types.ZLimits) {
	if knownLen && len(out) > l.MaxEntries {
		return
	}
	for i := range out {
		if i+1 > l.MaxEntries || len(out[i].Member) > l.MaxValue {
			return
		}
		if out[i].Score == 0 {
			out[i].Score = 0 // -0 too
		}
	}
}

// zMemberRef is a member read from a set that does not change while it is
// held.
type zMemberRef struct {
	m []byte
	s float64
}

// zLimitArg clamps an int64 LIMIT argument to int (a no-op on 64-bit).
func zLimitArg(v int64) int {
	if v > math.MaxInt {
		return math.MaxInt
	}
	if v < math.MinInt {
		return math.MinInt
	}
	return int(v)
}

// zStoreResult stores a computed result at dst (sorted, or sorted in
// reverse when rev), raising event, and replies with its size; an empty
// result deletes dst ("del").
func zStoreResult(x *Ctx, dst []byte, out []types.ZEntry, rev bool, event string) {
	if len(out) == 0 {
		if x.DB.Delete(dst) {
			x.Modified(dst)
			x.Notify(NotifyGeneric, "del", dst)
		}
		x.W.WriteInt(0)
		return
	}
	if rev {
		slices.Reverse(out)
	}
	zStore(x, dst, types.NewZSetFromSorted(out, zLimits(x)))
	x.Modified(dst)
	x.Notify(NotifyZset, event, dst)
	x.W.WriteInt(int64(len(out)))
}

// ---- ZREMRANGEBY* ----

func cmdZremrangebyrank(x *Ctx) {
	start, ok1 := num.ParseInt(x.Args[2])
	if !ok1 {
		x.Error(ErrNotInt)
		return
	}
	end, ok2 := num.ParseInt(x.Args[3])
	if !ok2 {
		x.Error(ErrNotInt)
		return
	}
	key := x.Args[1]
	z, ok := zLookup(x, key, true)
	if !ok {
		return
	}
	if z == nil {
		x.W.WriteInt(0)
		return
	}
	lo, hi, ok := zClampRanks(start, end, z.Len())
	if !ok {
		x.W.WriteInt(0)
		return
	}
	n := z.RemoveRangeByRank(lo, hi)
	zChanged(x, key, z, n, "zremrangebyrank")
	x.W.WriteInt(int64(n))
}

func cmdZremrangebyscore(x *Ctx) {
	r, ok := zParseScoreRange(x.Args[2], x.Args[3])
	if !ok {
		x.Error(errZNotFloat)
		return
	}
	zRemoveIn(x, types.ByScore(&r), "zremrangebyscore")
}

func cmdZremrangebylex(x *Ctx) {
	r, ok := zParseLexRange(x.Args[2], x.Args[3])
	if !ok {
		x.Error(errZNotLex)
		return
	}
	zRemoveIn(x, types.ByLex(&r), "zremrangebylex")
}

func zRemoveIn(x *Ctx, r types.ZRange, event string) {
	key := x.Args[1]
	z, ok := zLookup(x, key, true)
	if !ok {
		return
	}
	if z == nil {
		x.W.WriteInt(0)
		return
	}
	n := z.RemoveRangeBy(r)
	zChanged(x, key, z, n, event)
	x.W.WriteInt(int64(n))
}

// ---- pops ----

func cmdZpopmin(x *Ctx) { zpopCommand(x, false) }
func cmdZpopmax(x *Ctx) { zpopCommand(x, true) }

func zpopCommand(x *Ctx, max bool) {
	if len(x.Args) > 3 {
		x.Error(ErrSyntax)
		return
	}
	count := int64(-1)
	if len(x.Args) == 3 {
		n, ok := num.ParseInt(x.Args[2])
		if !ok || n < 0 {
			x.Error(errZPositive)
			return
		}
		count = n
	}
	zpopGeneric(x, x.Args[1:2], max, false, count, x.W.Proto >= 3 && count != -1, false)
}

// zpopGeneric pops from the first existing key of keys (a WRONGTYPE key
// before it is an error). count is -1 for a single pop without COUNT. The
// reply is flat, or nested in [member, score] pairs, with the key first if
// emitKey; when no key exists it is an empty array, or the null array if
// nilWhenEmpty.
func zpopGeneric(x *Ctx, keys [][]byte, max, emitKey bool, count int64, nested, nilWhenEmpty bool) {
	var z *types.ZSet
	var key []byte
	for _, k := range keys {
		zz, ok := zLookup(x, k, true)
		if !ok {
			return
		}
		if zz != nil {
			z, key = zz, k
			break
		}
	}
	if z == nil {
		if nilWhenEmpty {
			x.W.WriteNullArray()
		} else {
			x.W.WriteArrayLen(0)
		}
		return
	}
	zpopFrom(x, key, z, max, emitKey, count, nested)
}

func zpopFrom(x *Ctx, key []byte, z *types.ZSet, max, emitKey bool, count int64, nested bool) {
	if count == 0 {
		x.W.WriteArrayLen(0)
		return
	}
	if count == -1 {
		count = 1
	}
	n := int(min(count, int64(z.Len())))
	switch {
	case !nested && !emitKey:
		x.W.WriteArrayLen(2 * n)
	case nested && !emitKey:
		x.W.WriteArrayLen(n)
	case !nested && emitKey:
		x.W.WriteArrayLen(2*n + 1)
		x.W.WriteBulk(key)
	default:
		x.W.WriteArrayLen(2)
		x.W.WriteBulk(key)
		x.W.WriteArrayLen(n)
	}
	z.Pop(max, n, func(m []byte, s float64) {
		if nested {
			x.W.WriteArrayLen(2)
		}
		x.W.WriteBulk(m)
		zWriteScore(x, s)
	})
	event := "zpopmin"
	if max {
		event = "zpopmax"
	}
	zChanged(x, key, z, n, event)
	if emitKey && x.propagating() {
		// ZMPOP and the blocking pops are logged as the plain pop: with
		// the number popped for the MPOP forms (nested), without a count
		// for BZPOPMIN and BZPOPMAX.
		name := argZpopmin
		if max {
			name = argZpopmax
		}
		if nested {
			x.PropagateAs(name, key, propInt(int64(n)))
		} else {
			x.PropagateAs(name, key)
		}
	}
}

// zmpopArgs parses ZMPOP's and BZMPOP's numkeys, keys, MIN|MAX and COUNT,
// numkeys being at numIdx.
func zmpopArgs(x *Ctx, numIdx int) (keys [][]byte, max bool, count int64, ok bool) {
	args := x.Args
	n, okn := num.ParseInt(args[numIdx])
	if !okn || n < 1 {
		x.Error(errZNumkeys)
		return nil, false, 0, false
	}
	if n >= int64(len(args)-numIdx-1) {
		x.Error(ErrSyntax)
		return nil, false, 0, false
	}
	whereIdx := numIdx + int(n) + 1
	switch {
	case strEqFold(args[whereIdx], "min"):
	case strEqFold(args[whereIdx], "max"):
		max = true
	default:
		x.Error(ErrSyntax)
		return nil, false, 0, false
	}
	count = -1
	for j := whereIdx + 1; j < len(args); j++ {
		if count == -1 && strEqFold(args[j], "count") && j+1 < len(args) {
			j++
			c, okc := num.ParseInt(args[j])
			if !okc || c < 1 {
				x.Error(errZCount)
				return nil, false, 0, false
			}
			count = c
			continue
		}
		x.Error(ErrSyntax)
		return nil, false, 0, false
	}
	if count == -1 {
		count = 1
	}
	return args[numIdx+1 : whereIdx], max, count, true
}

func cmdZmpop(x *Ctx) {
	keys, max, count, ok := zmpopArgs(x, 1)
	if !ok {
		return
	}
	zpopGeneric(x, keys, max, true, count, true, true)
}

func cmdBzpopmin(x *Ctx) { bzpopCommand(x, false) }
func cmdBzpopmax(x *Ctx) { bzpopCommand(x, true) }

func bzpopCommand(x *Ctx, max bool) {
	timeout, ok := x.ParseTimeout(x.Args[len(x.Args)-1])
	if !ok {
		return
	}
	zblockingPop(x, x.Args[1:len(x.Args)-1], timeout, max, -1, false)
}

func cmdBzmpop(x *Ctx) {
	keys, max, count, ok := zmpopArgs(x, 2)
	if !ok {
		return
	}
	timeout, ok := x.ParseTimeout(x.Args[1])
	if !ok {
		return
	}
	zblockingPop(x, keys, timeout, max, count, true)
}

// zblockingPop pops from the first non-empty key, or blocks until one of
// keys can serve the client. BZPOPMIN/BZPOPMAX (nested false) reply
// [key, member, score]; BZMPOP replies [key, [[member, score]...]].
func zblockingPop(x *Ctx, keys [][]byte, timeout time.Duration, max bool, count int64, nested bool) {
	for _, k := range keys {
		z, ok := zLookup(x, k, true)
		if !ok {
			return
		}
		if z != nil && z.Len() > 0 {
			zpopFrom(x, k, z, max, true, count, nested)
			return
		}
	}
	if x.InExec() {
		x.W.WriteNullArray()
		return
	}
	x.Block(keys, timeout, func(x *Ctx, key []byte) bool {
		e := x.LookupWrite(key)
		if e == nil {
			return false
		}
		z, ok := e.Obj().(*types.ZSet)
		if !ok || z.Len() == 0 {
			return false
		}
		zpopFrom(x, key, z, max, true, count, nested)
		return true
	})
}

// ---- ZRANDMEMBER ----

func cmdZrandmember(x *Ctx) {
	args := x.Args
	if len(args) >= 3 {
		l, ok := num.ParseInt(args[2])
		if !ok {
			x.Error(ErrNotInt)
			return
		}
		if l == math.MinInt64 {
			x.Error(errZRandRange)
			return
		}
		withScores := false
		if len(args) > 4 || (len(args) == 4 && !strEqFold(args[3], "withscores")) {
			x.Error(ErrSyntax)
			return
		}
		if len(args) == 4 {
			withScores = true
			if l < -math.MaxInt64/2 || l > math.MaxInt64/2 {
				x.Error(errZRandRangeWS)
				return
			}
		}
		zrandWithCount(x, l, withScores)
		return
	}
	z, ok := zLookup(x, args[1], false)
	if !ok {
		return
	}
	if z == nil {
		x.W.WriteNull()
		return
	}
	z.RandomWithReplacement(1, func(m []byte, _ float64) { x.W.WriteBulk(m) })
}

func zrandWithCount(x *Ctx, l int64, withScores bool) {
	z, ok := zLookup(x, x.Args[1], false)
	if !ok {
		return
	}
	if z == nil || l == 0 {
		x.W.WriteArrayLen(0)
		return
	}
	emit := func(m []byte, s float64) { zWriteEntry(x, m, s, withScores) }
	if l < 0 || l == 1 {
		count := zLimitArg(max(l, -l))
		zWriteLen(x, count, withScores)
		z.RandomWithReplacement(count, emit)
		return
	}
	count := zLimitArg(l)
	zWriteLen(x, min(count, z.Len()), withScores)
	z.RandomDistinct(count, emit)
}

// ---- ZUNION, ZINTER, ZDIFF and their STORE forms, ZINTERCARD ----

type zsetOp uint8

const (
	zopUnion zsetOp = iota
	zopInter
	zopDiff
)

type zaggregate uint8

const (
	zaggSum zaggregate = iota
	zaggMin
	zaggMax
)

// zOperand is one input of the set algebra: a sorted set, a plain set
// whose members score 1, or a missing key.
type zOperand struct {
	z      *types.ZSet
	set    types.MemberLister
	n      int
	weight float64
	index  map[string]struct{} // members of a plain set, built on demand
}

func (o *zOperand) each(fn func(m []byte, s float64) bool) {
	switch {
	case o.z != nil:
		o.z.EachUntil(fn)
	case o.set != nil:
		o.set.Members(func(m []byte) bool { return fn(m, 1) })
	}
}

func (o *zOperand) find(m []byte) (float64, bool) {
	switch {
	case o.z != nil:
		return o.z.Score(m)
	case o.set != nil:
		if c, ok := o.set.(interface{ Contains([]byte) bool }); ok {
			return 1, c.Contains(m)
		}
		if o.index == nil {
			o.index = make(map[string]struct{}, o.n)
			o.set.Members(func(m []byte) bool {
				o.index[string(m)] = struct{}{}
				return true
			})
		}
		_, ok := o.index[string(m)]
		return 1, ok
	}
	return 0, false
}

func zMemberCount(s types.MemberLister) int {
	if l, ok := s.(interface{ Len() int }); ok {
		return l.Len()
	}
	n := 0
	s.Members(func([]byte) bool { n++; return true })
	return n
}

func zAggregate(target *float64, v float64, agg zaggregate) {
	switch agg {
	case zaggSum:
		*target += v
		if math.IsNaN(*target) {
			*target = 0
		}
	case zaggMin:
		if v < *target {
			*target = v
		}
	case zaggMax:
		if v > *target {
			*target = v
		}
	}
}

// zsetOpStoreEvent names the event of ZUNIONSTORE, ZINTERSTORE and
// ZDIFFSTORE.
func zsetOpStoreEvent(op zsetOp) string {
	switch op {
	case zopInter:
		return "zinterstore"
	case zopDiff:
		return "zdiffstore"
	}
	return "zunionstore"
}

func cmdZunion(x *Ctx)      { zsetOpGeneric(x, nil, 1, zopUnion, false) }
func cmdZinter(x *Ctx)      { zsetOpGeneric(x, nil, 1, zopInter, false) }
func cmdZdiff(x *Ctx)       { zsetOpGeneric(x, nil, 1, zopDiff, false) }
func cmdZunionstore(x *Ctx) { zsetOpGeneric(x, x.Args[1], 2, zopUnion, false) }
func cmdZinterstore(x *Ctx) { zsetOpGeneric(x, x.Args[1], 2, zopInter, false) }
func cmdZdiffstore(x *Ctx)  { zsetOpGeneric(x, x.Args[1], 2, zopDiff, false) }
func cmdZintercard(x *Ctx)  { zsetOpGeneric(x, nil, 1, zopInter, true) }

func zsetOpGeneric(x *Ctx, dst []byte, numIdx int, op zsetOp, cardOnly bool) {
	args := x.Args
	setnum, ok := num.ParseInt(args[numIdx])
	if !ok {
		x.Error(ErrNotInt)
		return
	}
	if setnum < 1 {
		x.Errorf("ERR at least 1 input key is needed for '%s' command", x.Cmd.Name)
		return
	}
	if setnum > int64(len(args)-numIdx-1) {
		x.Error(ErrSyntax)
		return
	}
	ops := make([]zOperand, setnum)
	j := numIdx + 1
	for i := range ops {
		ops[i].weight = 1
		if e := x.Lookup(args[j]); e != nil {
			switch v := e.Obj().(type) {
			case *types.ZSet:
				ops[i].z, ops[i].n = v, v.Len()
			case types.MemberLister:
				if v.Type() != "set" {
					x.Error(ErrWrongType)
					return
				}
				ops[i].set, ops[i].n = v, zMemberCount(v)
			default:
				x.Error(ErrWrongType)
				return
			}
		}
		j++
	}
	agg := zaggSum
	withScores := false
	limit := int64(0)
	for j < len(args) {
		remaining := len(args) - j
		a := args[j]
		switch {
		case op != zopDiff && !cardOnly && remaining >= len(ops)+1 && strEqFold(a, "weights"):
			j++
			for i := range ops {
				w, ok := num.ParseFloat(args[j])
				if !ok {
					x.Error(errZWeight)
					return
				}
				ops[i].weight = w
				j++
			}
		case op != zopDiff && !cardOnly && remaining >= 2 && strEqFold(a, "aggregate"):
			switch v := args[j+1]; {
			case strEqFold(v, "sum"):
				agg = zaggSum
			case strEqFold(v, "min"):
				agg = zaggMin
			case strEqFold(v, "max"):
				agg = zaggMax
			default:
				x.Error(ErrSyntax)
				return
			}
			j += 2
		case dst == nil && !cardOnly && strEqFold(a, "withscores"):
			withScores = true
			j++
		case cardOnly && remaining >= 2 && strEqFold(a, "limit"):
			n, ok := num.ParseInt(args[j+1])
			if !ok || n < 0 {
				x.Error(errZLimitNeg)
				return
			}
			limit = n
			j += 2
		default:
			x.Error(ErrSyntax)
			return
		}
	}
	if op != zopDiff {
		// Smallest first, as Redis sorts them (stably, as glibc's qsort
		// does for small arrays), which also fixes the order in which
		// scores are added up.
		slices.SortStableFunc(ops, func(a, b zOperand) int { return a.n - b.n })
	}
	var out []types.ZEntry
	cardinality := int64(0)
	switch op {
	case zopInter:
		if ops[0].n == 0 {
			break
		}
		ops[0].each(func(m []byte, s float64) bool {
			score := ops[0].weight * s
			if math.IsNaN(score) {
				score = 0
			}
			for k := 1; k < len(ops); k++ {
				v, found := ops[k].find(m)
				if !found {
					return true
				}
				zAggregate(&score, v*ops[k].weight, agg)
			}
			if cardOnly {
				cardinality++
				return limit == 0 || cardinality < limit
			}
			out = append(out, types.ZEntry{Member: string(m), Score: score})
			return true
		})
	case zopUnion:
		seen := make(map[string]int, ops[len(ops)-1].n)
		for k := range ops {
			o := &ops[k]
			o.each(func(m []byte, s float64) bool {
				score := o.weight * s
				if math.IsNaN(score) {
					score = 0
				}
				if at, dup := seen[string(m)]; dup {
					zAggregate(&out[at].Score, score, agg)
				} else {
					seen[string(m)] = len(out)
					out = append(out, types.ZEntry{Member: string(m), Score: score})
				}
				return true
			})
		}
	case zopDiff:
		ops[0].each(func(m []byte, s float64) bool {
			for k := 1; k < len(ops); k++ {
				if _, found := ops[k].find(m); found {
					return true
				}
			}
			out = append(out, types.ZEntry{Member: string(m), Score: s})
			return true
		})
	}
	if cardOnly {
		x.W.WriteInt(cardinality)
		return
	}
	slices.SortFunc(out, func(a, b types.ZEntry) int {
		switch {
		case a.Score < b.Score:
			return -1
		case a.Score > b.Score:
			return 1
		}
		return strings.Compare(a.Member, b.Member)
	})
	if dst != nil {
		zStoreResult(x, dst, out, false, zsetOpStoreEvent(op))
		return
	}
	zWriteLen(x, len(out), withScores)
	for _, e := range out {
		if withScores && x.W.Proto >= 3 {
			x.W.WriteArrayLen(2)
		}
		x.W.WriteBulkString(e.Member)
		if withScores {
			zWriteScore(x, e.Score)
		}
	}
}

// ---- ZSCAN ----

func cmdZscan(x *Ctx) {
	cursor, ok := parseScanCursor(x.Args[2])
	if !ok {
		x.Error(errInvalidCur)
		return
	}
	z, ok := zLookup(x, x.Args[1], false)
	if !ok {
		return
	}
	if z == nil {
		writeScanHeader(x, 0, 0)
		return
	}
	opts, ok := parseScanOptions(x, x.Args[3:], 0)
	if !ok {
		return
	}
	var found []zMemberRef
	next := z.Scan(cursor, zLimitArg(opts.count), func(m []byte, s float64) {
		if opts.matches(m) {
			found = append(found, zMemberRef{m, s})
		}
	})
	writeScanHeader(x, next, 2*len(found))
	compact := z.IsCompact()
	var tmp [32]byte
	for _, f := range found {
		x.W.WriteBulk(f.m)
		// A listpack holds integral scores as integers and prints them so.
		if compact && types.ScoreStoredAsInt(f.s) {
			x.W.WriteBulk(strconv.AppendInt(tmp[:0], int64(f.s), 10))
		} else {
			x.W.WriteBulk(num.AppendFloat17(tmp[:0], f.s))
		}
	}
}

// ---- key positions of the numkeys commands ----

// zNumkeysKeys returns the key positions of a command whose numkeys
// argument is at numIdx, the destination at 1 included when dst. As
// COMMAND GETKEYS in Redis, it first reads the count strictly, as the key
// specs do (destination first); failing that it falls back to Redis's
// getkeys procedure, which reads the count with atoi (keys first); a count
// that names no keys or more than there are arguments yields none. Every
// command line its handler accepts gets all its keys.
func zNumkeysKeys(numIdx int, dst bool) func(args [][]byte) []int {
	return func(args [][]byte) []int {
		if numIdx >= len(args) {
			return nil
		}
		room := int64(len(args) - numIdx - 1)
		n, ok := num.ParseInt(args[numIdx])
		specs := ok && n >= 1 && n <= room
		if !specs {
			n = zAtoi(args[numIdx])
			if n < 1 || n > room {
				return nil
			}
		}
		out := make([]int, 0, n+1)
		if dst && specs {
			out = append(out, 1)
		}
		for i := 1; int64(i) <= n; i++ {
			out = append(out, numIdx+i)
		}
		if dst && !specs {
			out = append(out, 1)
		}
		return out
	}
}

// zAtoi reads a count as C's atoi: leading white space, a sign, then the
// digits up to the first other byte (saturating instead of overflowing).
func zAtoi(b []byte) int64 {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] >= '\t' && b[i] <= '\r') {
		i++
	}
	neg := false
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		neg = b[i] == '-'
		i++
	}
	var v int64
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		if v < math.MaxInt32 {
			v = v*10 + int64(b[i]-'0')
		}
	}
	if neg {
		return -v
	}
	return v
}
