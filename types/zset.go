package types

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"slices"
	"unsafe"

	"petrel/internal/num"
)

// ZSet is a sorted set. Small sets use a compact encoding that OBJECT
// ENCODING reports as "listpack": one byte slice holding the count and then
// every (member, score) pair in order, scanned linearly. Past the
// zset-max-listpack-* thresholds a set turns into a "skiplist": a skiplist
// with spans plus a member index (skiplist.go). As in Redis, a set never
// turns back by itself; only results built whole (ZRANGESTORE,
// ZUNIONSTORE...) pick their encoding from their final size.
//
// The compact form costs a struct of three words plus the blob:
//
//	count    uint16, little endian (0xFFFF: count by scanning)
//	entries  uvarint(len(member)) member score
//
// A score is a uvarint: an even value is a zigzag-encoded integer shifted
// left once; 1 is followed by the float64's 8 bytes. Like Redis's listpack,
// which stores integral scores as integers, the compact form keeps no
// negative zero.
type ZSet struct {
	lp    *byte // compact blob; its length and capacity follow
	lpLen uint32
	lpCap uint32
	sl    *zskiplist // non-nil: skiplist encoding
}

// ZLimits are the zset-max-listpack-entries and zset-max-listpack-value
// thresholds in force.
type ZLimits struct {
	MaxEntries int
	MaxValue   int
}

// ZEntry is one member with its score.
type ZEntry struct {
	Member string
	Score  float64
}

// NewZSet returns an empty sorted set, compact unless skiplist is true.
func NewZSet(skiplist bool) *ZSet {
	z := &ZSet{}
	if skiplist {
		z.sl = newZskiplist(0)
	}
	return z
}

// NewZSetFromSorted builds a set from entries sorted by (score, member)
// without duplicates, compact if it is within lim.
func NewZSetFromSorted(entries []ZEntry, lim ZLimits) *ZSet {
	z := &ZSet{}
	longest, size := 0, 2
	for _, e := range entries {
		longest = max(longest, len(e.Member))
		size += zlUvarintLen(uint64(len(e.Member))) + len(e.Member) + zlScoreLen(e.Score)
	}
	if len(entries) <= lim.MaxEntries && longest <= lim.MaxValue {
		if len(entries) == 0 {
			return z
		}
		b := slices.Grow([]byte(nil), size)[:2]
		for _, e := range entries {
			b = binary.AppendUvarint(b, uint64(len(e.Member)))
			b = append(b, e.Member...)
			b = zlAppendScore(b, e.Score)
		}
		z.setBlob(b)
		z.lpSetCount(len(entries))
		return z
	}
	z.sl = newZskiplist(len(entries))
	a := newZslAppender(z.sl)
	for _, e := range entries {
		a.add(e.Score, e.Member, zslHash(unsafe.Slice(unsafe.StringData(e.Member), len(e.Member))))
	}
	a.finish()
	return z
}

// Type implements Value.
func (z *ZSet) Type() string { return "zset" }

// Encoding implements Value.
func (z *ZSet) Encoding() string {
	if z.sl != nil {
		return "skiplist"
	}
	return "listpack"
}

// IsCompact reports whether the set uses the listpack encoding.
func (z *ZSet) IsCompact() bool { return z.sl == nil }

// Copy implements Value.
func (z *ZSet) Copy() Value {
	if z.sl == nil {
		c := &ZSet{}
		if b := z.blob(); len(b) > 0 {
			c.setBlob(append(slices.Grow([]byte(nil), len(b)), b...))
		}
		return c
	}
	c := &ZSet{sl: newZskiplist(z.sl.length)}
	a := newZslAppender(c.sl)
	for n := z.sl.head.next; n != nil; n = n.next {
		a.add(n.score, n.member, n.hash)
	}
	a.finish()
	return c
}

// Len returns the number of members.
func (z *ZSet) Len() int {
	if z.sl != nil {
		return z.sl.length
	}
	return z.lpCount()
}

// Score returns member's score.
func (z *ZSet) Score(member []byte) (float64, bool) {
	if z.sl != nil {
		if n := z.sl.find(member); n != nil {
			return n.score, true
		}
		return 0, false
	}
	_, s, _, ok := z.lpFind(member)
	return s, ok
}

// ZAddFlag selects ZADD's options.
type ZAddFlag uint8

// ZADD options.
const (
	ZAddNX ZAddFlag = 1 << iota
	ZAddXX
	ZAddGT
	ZAddLT
	ZAddIncr
)

// ZAddResult says what Add did.
type ZAddResult uint8

// Outcomes of Add.
const (
	// ZAddNop: nothing done because of NX, XX, GT or LT.
	ZAddNop ZAddResult = iota
	// ZAddAdded: a new member.
	ZAddAdded
	// ZAddUpdated: an existing member got a different score.
	ZAddUpdated
	// ZAddSame: an existing member kept its score.
	ZAddSame
	// ZAddNaN: the increment would make the score NaN; nothing changed.
	ZAddNaN
)

// Add adds member or updates its score following ZADD's options, and
// returns what it did and the member's resulting score. A compact set
// becomes a skiplist when the new member would cross lim.
func (z *ZSet) Add(score float64, member []byte, flags ZAddFlag, lim ZLimits) (ZAddResult, float64) {
	if z.sl == nil {
		off, cur, next, found := z.lpFind(member)
		if found {
			res, s := zApplyAdd(cur, score, flags)
			if res == ZAddUpdated {
				z.lpSplice(off, next-off, nil)
				z.lpPlace(s, member)
			}
			return res, s
		}
		if flags&ZAddXX != 0 {
			return ZAddNop, 0
		}
		if z.lpCount()+1 <= lim.MaxEntries && len(member) <= lim.MaxValue {
			z.lpInsert(score, member)
			return ZAddAdded, score
		}
		z.toSkiplist()
	}
	if n := z.sl.find(member); n != nil {
		res, s := zApplyAdd(n.score, score, flags)
		if res == ZAddUpdated {
			z.sl.updateScore(n, s)
		}
		return res, s
	}
	if flags&ZAddXX != 0 {
		return ZAddNop, 0
	}
	z.sl.insert(score, member)
	return ZAddAdded, score
}

// zApplyAdd decides the fate of an existing member with score cur.
func zApplyAdd(cur, score float64, flags ZAddFlag) (ZAddResult, float64) {
	if flags&ZAddNX != 0 {
		return ZAddNop, cur
	}
	if flags&ZAddIncr != 0 {
		score += cur
		if math.IsNaN(score) {
			return ZAddNaN, cur
		}
	}
	if (flags&ZAddLT != 0 && score >= cur) || (flags&ZAddGT != 0 && score <= cur) {
		return ZAddNop, cur
	}
	if score != cur {
		return ZAddUpdated, score
	}
	return ZAddSame, score
}

// Remove deletes member and reports whether it was present.
func (z *ZSet) Remove(member []byte) bool {
	if z.sl != nil {
		n := z.sl.find(member)
		if n == nil {
			return false
		}
		z.sl.remove(n)
		return true
	}
	off, _, next, ok := z.lpFind(member)
	if !ok {
		return false
	}
	z.lpDelete(off, next, 1)
	return true
}

// Rank returns member's 0-based rank, counted from the highest score if
// rev, and its score.
func (z *ZSet) Rank(member []byte, rev bool) (int, float64, bool) {
	var r int
	var score float64
	if z.sl != nil {
		n := z.sl.find(member)
		if n == nil {
			return 0, 0, false
		}
		r, score = z.sl.rank(n)-1, n.score
	} else {
		b := z.blob()
		found := false
		for off := 2; off < len(b); r++ {
			m, s, next := zlEntry(b, off)
			if bytes.Equal(m, member) {
				score, found = s, true
				break
			}
			off = next
		}
		if !found {
			return 0, 0, false
		}
	}
	if rev {
		r = z.Len() - 1 - r
	}
	return r, score, true
}

// ZIterFunc receives members in order; member may alias the set and is
// only valid until the set changes.
type ZIterFunc func(member []byte, score float64)

// Each calls fn for every member in ascending order; fn must not change
// the set.
func (z *ZSet) Each(fn ZIterFunc) {
	if z.sl != nil {
		for n := z.sl.head.next; n != nil; n = n.next {
			fn(n.memberBytes(), n.score)
		}
		return
	}
	b := z.blob()
	for off := 2; off < len(b); {
		m, s, next := zlEntry(b, off)
		fn(m, s)
		off = next
	}
}

// EachUntil calls fn for members in ascending order until it returns
// false; fn must not change the set.
func (z *ZSet) EachUntil(fn func(member []byte, score float64) bool) {
	if z.sl != nil {
		for n := z.sl.head.next; n != nil; n = n.next {
			if !fn(n.memberBytes(), n.score) {
				return
			}
		}
		return
	}
	b := z.blob()
	for off := 2; off < len(b); {
		m, s, next := zlEntry(b, off)
		if !fn(m, s) {
			return
		}
		off = next
	}
}

// MemberLister is what the sorted-set algebra (ZUNIONSTORE and friends)
// needs from a plain set, whose members all count with score 1. Len and
// Contains([]byte) bool are used too when the set has them.
type MemberLister interface {
	Value
	// Members calls fn for every member until fn returns false.
	Members(fn func(member []byte) bool)
}

// DigestEach feeds DEBUG DIGEST each member with its score as "%.17g".
func (z *ZSet) DigestEach(fn func(parts ...[]byte)) {
	var buf [32]byte
	z.Each(func(m []byte, s float64) {
		fn(m, num.AppendFloat17(buf[:0], s))
	})
}

// ElementAt returns the member at 0-based rank i (ascending).
func (z *ZSet) ElementAt(i int) ([]byte, float64) {
	if z.sl != nil {
		n := z.sl.byRank(i + 1)
		return n.memberBytes(), n.score
	}
	b := z.blob()
	off := 2
	for ; i > 0; i-- {
		off = zlSkip(b, off)
	}
	m, s, _ := zlEntry(b, off)
	return m, s
}

// RangeByRank calls fn for ranks start to end (0-based, inclusive, within
// the set), counted from the highest score if rev.
func (z *ZSet) RangeByRank(start, end int, rev bool, fn ZIterFunc) {
	count := end - start + 1
	if z.sl != nil {
		if !rev {
			for n := z.sl.byRank(start + 1); n != nil && count > 0; n, count = n.next, count-1 {
				fn(n.memberBytes(), n.score)
			}
		} else {
			for n := z.sl.byRank(z.sl.length - start); n != nil && count > 0; n, count = n.backward, count-1 {
				fn(n.memberBytes(), n.score)
			}
		}
		return
	}
	b := z.blob()
	if !rev {
		off := 2
		for i := 0; i < start; i++ {
			off = zlSkip(b, off)
		}
		for ; count > 0; count-- {
			m, s, next := zlEntry(b, off)
			fn(m, s)
			off = next
		}
		return
	}
	var buf [128]int32
	offs := zlOffsets(b, buf[:0])
	for i := len(offs) - 1 - start; count > 0; i, count = i-1, count-1 {
		m, s, _ := zlEntry(b, int(offs[i]))
		fn(m, s)
	}
}

// ZRange is a score or lexicographic interval of ZRANGEBYSCORE,
// ZRANGEBYLEX and friends: ByScore or ByLex makes one. It is a small value
// rather than an interface so that the interval it points to stays on the
// caller's stack, and the walks test each member without a dynamic call.
type ZRange struct {
	score *ScoreRange // nil for a lexicographic interval
	lex   *LexRange
}

// ByScore is the score interval r.
func ByScore(r *ScoreRange) ZRange { return ZRange{score: r} }

// ByLex is the lexicographic interval r.
func ByLex(r *LexRange) ZRange { return ZRange{lex: r} }

// Empty reports whether no member can fall within the interval.
func (r ZRange) Empty() bool {
	if r.score != nil {
		return r.score.Empty()
	}
	return r.lex.Empty()
}

func (r ZRange) aboveMin(member []byte, score float64) bool {
	if r.score != nil {
		return r.score.aboveMin(member, score)
	}
	return r.lex.aboveMin(member, score)
}

func (r ZRange) belowMax(member []byte, score float64) bool {
	if r.score != nil {
		return r.score.belowMax(member, score)
	}
	return r.lex.belowMax(member, score)
}

// ScoreRange is a score interval; Ex marks an exclusive bound.
type ScoreRange struct {
	Min, Max     float64
	MinEx, MaxEx bool
}

// Empty reports whether no score can fall within the interval.
func (r *ScoreRange) Empty() bool {
	return r.Min > r.Max || (r.Min == r.Max && (r.MinEx || r.MaxEx))
}

func (r *ScoreRange) aboveMin(_ []byte, s float64) bool {
	if r.MinEx {
		return s > r.Min
	}
	return s >= r.Min
}

func (r *ScoreRange) belowMax(_ []byte, s float64) bool {
	if r.MaxEx {
		return s < r.Max
	}
	return s <= r.Max
}

// LexBound is one end of a lexicographic interval: "-" (Inf < 0), "+"
// (Inf > 0), or a member, exclusive if Ex.
type LexBound struct {
	Inf   int8
	Value []byte
	Ex    bool
}

// LexRange is a ZRANGEBYLEX interval.
type LexRange struct{ Min, Max LexBound }

// zCmpLex orders a member against a bound, infinities included.
func zCmpLex(a []byte, b *LexBound) int {
	if b.Inf != 0 {
		return -int(b.Inf)
	}
	return bytes.Compare(a, b.Value)
}

// Empty reports whether no member can fall within the interval.
func (r *LexRange) Empty() bool {
	var c int
	if r.Min.Inf != 0 || r.Max.Inf != 0 {
		c = int(r.Min.Inf) - int(r.Max.Inf)
	} else {
		c = bytes.Compare(r.Min.Value, r.Max.Value)
	}
	return c > 0 || (c == 0 && (r.Min.Ex || r.Max.Ex))
}

func (r *LexRange) aboveMin(m []byte, _ float64) bool {
	c := zCmpLex(m, &r.Min)
	if r.Min.Ex {
		return c > 0
	}
	return c >= 0
}

func (r *LexRange) belowMax(m []byte, _ float64) bool {
	c := zCmpLex(m, &r.Max)
	if r.Max.Ex {
		return c < 0
	}
	return c <= 0
}

// Ranges are walked as Redis walks them, which matters when a
// lexicographic range meets members of different scores (Redis calls the
// result unspecified, but a listpack's is deterministic): the walk starts
// at the first member at or above the minimum (from the end: the last at
// or below the maximum), gives up unless it is also within the other
// bound, and then goes on while members stay on the near side of the
// other bound. Nothing is in range at all when the last member is below
// the minimum or the first above the maximum.

// zlWithin reports whether r can hold members of a compact set whose
// entries start at offs.
func zlWithin(b []byte, offs []int32, r ZRange) bool {
	if r.Empty() || len(offs) == 0 {
		return false
	}
	m, s, _ := zlEntry(b, int(offs[len(offs)-1]))
	if !r.aboveMin(m, s) {
		return false
	}
	m, s, _ = zlEntry(b, int(offs[0]))
	return r.belowMax(m, s)
}

// zlFirstIn returns the index of the first entry in range, or -1.
func zlFirstIn(b []byte, offs []int32, r ZRange) int {
	if !zlWithin(b, offs, r) {
		return -1
	}
	for i, off := range offs {
		m, s, _ := zlEntry(b, int(off))
		if r.aboveMin(m, s) {
			if r.belowMax(m, s) {
				return i
			}
			return -1
		}
	}
	return -1
}

// zlLastIn returns the index of the last entry in range, or -1.
func zlLastIn(b []byte, offs []int32, r ZRange) int {
	if !zlWithin(b, offs, r) {
		return -1
	}
	for i := len(offs) - 1; i >= 0; i-- {
		m, s, _ := zlEntry(b, int(offs[i]))
		if r.belowMax(m, s) {
			if r.aboveMin(m, s) {
				return i
			}
			return -1
		}
	}
	return -1
}

func (sl *zskiplist) within(r ZRange) bool {
	if r.Empty() || sl.length == 0 {
		return false
	}
	return r.aboveMin(sl.tail.memberBytes(), sl.tail.score) && r.belowMax(sl.head.next.memberBytes(), sl.head.next.score)
}

// firstIn returns the first node in range and its 1-based rank.
func (sl *zskiplist) firstIn(r ZRange) (*zslNode, int) {
	if !sl.within(r) {
		return nil, 0
	}
	n, rank := sl.firstWhere(func(n *zslNode) bool { return !r.aboveMin(n.memberBytes(), n.score) })
	if n == nil || !r.belowMax(n.memberBytes(), n.score) {
		return nil, 0
	}
	return n, rank
}

// lastIn returns the last node in range and its 1-based rank.
func (sl *zskiplist) lastIn(r ZRange) (*zslNode, int) {
	if !sl.within(r) {
		return nil, 0
	}
	n, rank := sl.lastWhere(func(n *zslNode) bool { return r.belowMax(n.memberBytes(), n.score) })
	if n == nil || !r.aboveMin(n.memberBytes(), n.score) {
		return nil, 0
	}
	return n, rank
}

// RangeBy calls fn for the members within r, from the lowest (from the
// highest if rev), skipping the first offset of them and stopping after
// limit (a negative limit has none; a negative offset yields nothing).
func (z *ZSet) RangeBy(r ZRange, rev bool, offset, limit int, fn ZIterFunc) {
	if offset < 0 || limit == 0 {
		return
	}
	if z.sl != nil {
		if !rev {
			n, _ := z.sl.firstIn(r)
			for ; n != nil && offset > 0; offset-- {
				n = n.next
			}
			for ; n != nil && limit != 0 && r.belowMax(n.memberBytes(), n.score); n = n.next {
				fn(n.memberBytes(), n.score)
				limit--
			}
		} else {
			n, _ := z.sl.lastIn(r)
			for ; n != nil && offset > 0; offset-- {
				n = n.backward
			}
			for ; n != nil && limit != 0 && r.aboveMin(n.memberBytes(), n.score); n = n.backward {
				fn(n.memberBytes(), n.score)
				limit--
			}
		}
		return
	}
	b := z.blob()
	var buf [128]int32
	offs := zlOffsets(b, buf[:0])
	if !rev {
		i := zlFirstIn(b, offs, r)
		if i < 0 || offset >= len(offs)-i {
			return
		}
		for i += offset; i < len(offs) && limit != 0; i++ {
			m, s, _ := zlEntry(b, int(offs[i]))
			if !r.belowMax(m, s) {
				break
			}
			fn(m, s)
			limit--
		}
		return
	}
	i := zlLastIn(b, offs, r)
	if i < 0 || offset > i {
		return
	}
	for i -= offset; i >= 0 && limit != 0; i-- {
		m, s, _ := zlEntry(b, int(offs[i]))
		if !r.aboveMin(m, s) {
			break
		}
		fn(m, s)
		limit--
	}
}

// Count returns how many members fall within r (ZCOUNT, ZLEXCOUNT).
func (z *ZSet) Count(r ZRange) int {
	if z.sl != nil {
		first, firstRank := z.sl.firstIn(r)
		if first == nil {
			return 0
		}
		count := z.sl.length - (firstRank - 1)
		if last, lastRank := z.sl.lastIn(r); last != nil {
			count -= z.sl.length - lastRank
		}
		return count
	}
	n := 0
	z.RangeBy(r, false, 0, -1, func([]byte, float64) { n++ })
	return n
}

// RemoveRangeByRank deletes ranks start to end (0-based, inclusive, within
// the set) and returns how many it deleted.
func (z *ZSet) RemoveRangeByRank(start, end int) int {
	if z.sl != nil {
		return z.sl.deleteFrom(z.sl.byRank(start+1), end-start+1, func(*zslNode) bool { return true })
	}
	b := z.blob()
	from := 2
	for i := 0; i < start; i++ {
		from = zlSkip(b, from)
	}
	to := from
	for i := start; i <= end; i++ {
		to = zlSkip(b, to)
	}
	z.lpDelete(from, to, end-start+1)
	return end - start + 1
}

// RemoveRangeBy deletes the members within r and returns how many. As in
// Redis, a skiplist starts deleting at the first member at or above the
// minimum without the compact form's early checks.
func (z *ZSet) RemoveRangeBy(r ZRange) int {
	if z.sl != nil {
		first, _ := z.sl.firstWhere(func(n *zslNode) bool { return !r.aboveMin(n.memberBytes(), n.score) })
		return z.sl.deleteFrom(first, math.MaxInt, func(n *zslNode) bool { return r.belowMax(n.memberBytes(), n.score) })
	}
	b := z.blob()
	var buf [128]int32
	offs := zlOffsets(b, buf[:0])
	i := zlFirstIn(b, offs, r)
	if i < 0 {
		return 0
	}
	j := i
	for ; j < len(offs); j++ {
		m, s, _ := zlEntry(b, int(offs[j]))
		if !r.belowMax(m, s) {
			break
		}
	}
	to := len(b)
	if j < len(offs) {
		to = int(offs[j])
	}
	z.lpDelete(int(offs[i]), to, j-i)
	return j - i
}

// Pop removes up to count members with the lowest scores (the highest if
// max), calling fn for each in the order they are popped, and returns how
// many it removed.
func (z *ZSet) Pop(max bool, count int, fn ZIterFunc) int {
	count = min(count, z.Len())
	if count <= 0 {
		return 0
	}
	if z.sl != nil {
		for i := 0; i < count; i++ {
			n := z.sl.head.next
			if max {
				n = z.sl.tail
			}
			fn(n.memberBytes(), n.score)
			z.sl.remove(n)
		}
		return count
	}
	b := z.blob()
	var from, to int
	if !max {
		from, to = 2, 2
		for i := 0; i < count; i++ {
			m, s, next := zlEntry(b, to)
			fn(m, s)
			to = next
		}
	} else {
		var buf [128]int32
		offs := zlOffsets(b, buf[:0])
		for i := len(offs) - 1; i >= len(offs)-count; i-- {
			m, s, _ := zlEntry(b, int(offs[i]))
			fn(m, s)
		}
		from, to = int(offs[len(offs)-count]), len(b)
	}
	z.lpDelete(from, to, count)
	return count
}

// RandomWithReplacement calls fn count times with a member drawn at
// random, repeats allowed (ZRANDMEMBER with a negative count).
func (z *ZSet) RandomWithReplacement(count int, fn ZIterFunc) {
	n := z.Len()
	if n == 0 {
		return
	}
	if z.sl != nil {
		for ; count > 0; count-- {
			m, s := z.ElementAt(rand.IntN(n))
			fn(m, s)
		}
		return
	}
	b := z.blob()
	var buf [128]int32
	offs := zlOffsets(b, buf[:0])
	for ; count > 0; count-- {
		m, s, _ := zlEntry(b, int(offs[rand.IntN(n)]))
		fn(m, s)
	}
}

// RandomDistinct calls fn for min(count, Len()) distinct members: all of
// them in order if count covers the set, else a random choice in random
// order.
func (z *ZSet) RandomDistinct(count int, fn ZIterFunc) {
	n := z.Len()
	if count >= n {
		z.Each(fn)
		return
	}
	if count*3 > n || z.sl == nil {
		// A partial Fisher-Yates shuffle of the ranks.
		idx := make([]int32, n)
		for i := range idx {
			idx[i] = int32(i)
		}
		var offs []int32
		b := z.blob()
		if z.sl == nil {
			offs = zlOffsets(b, make([]int32, 0, n))
		}
		for i := 0; i < count; i++ {
			j := i + rand.IntN(n-i)
			idx[i], idx[j] = idx[j], idx[i]
			if offs != nil {
				m, s, _ := zlEntry(b, int(offs[idx[i]]))
				fn(m, s)
			} else {
				m, s := z.ElementAt(int(idx[i]))
				fn(m, s)
			}
		}
		return
	}
	// Few members of a big set: draw until enough distinct ones came up.
	seen := make(map[int]struct{}, count)
	for len(seen) < count {
		r := rand.IntN(n)
		if _, dup := seen[r]; dup {
			continue
		}
		seen[r] = struct{}{}
		m, s := z.ElementAt(r)
		fn(m, s)
	}
}

// Scan visits part of the set for ZSCAN and returns the next cursor (0
// when done). A compact set is returned whole at once, as in Redis; a
// skiplist walks its member index, bucket by bucket, until count members
// were seen or ten times count buckets were visited.
func (z *ZSet) Scan(cursor uint64, count int, fn ZIterFunc) uint64 {
	if z.sl == nil {
		z.Each(fn)
		return 0
	}
	budget := count * 10
	if count > math.MaxInt/10 {
		budget = math.MaxInt
	}
	seen := 0
	for {
		cursor = z.sl.scan(cursor, func(n *zslNode) {
			fn(n.memberBytes(), n.score)
			seen++
		})
		budget--
		if cursor == 0 || budget <= 0 || seen >= count {
			return cursor
		}
	}
}

// MemoryUsage estimates the bytes the value holds, for MEMORY USAGE;
// skiplist members beyond the first samples are extrapolated (0: all).
func (z *ZSet) MemoryUsage(samples int) int64 {
	const self = 24
	if z.sl == nil {
		return self + int64(z.lpCap)
	}
	sl := z.sl
	total := int64(self + int(unsafe.Sizeof(*sl)) + (zslMaxLevel-1)*16 + len(sl.buckets)*8)
	var sum int64
	k := 0
	for n := sl.head.next; n != nil && (samples <= 0 || k < samples); n = n.next {
		sum += int64(unsafe.Sizeof(*n)) + int64(len(n.member)) + int64(int(n.level)-1)*16
		k++
	}
	if k > 0 {
		total += sum * int64(sl.length) / int64(k)
	}
	return total
}

// ---- compact encoding ----

func (z *ZSet) blob() []byte {
	if z.lp == nil {
		return nil
	}
	return unsafe.Slice(z.lp, z.lpCap)[:z.lpLen]
}

func (z *ZSet) setBlob(b []byte) {
	if cap(b) == 0 {
		z.lp, z.lpLen, z.lpCap = nil, 0, 0
		return
	}
	z.lp = unsafe.SliceData(b[:cap(b)])
	z.lpLen, z.lpCap = uint32(len(b)), uint32(cap(b))
}

func (z *ZSet) lpCount() int {
	b := z.blob()
	if len(b) < 2 {
		return 0
	}
	if c := binary.LittleEndian.Uint16(b); c != 0xFFFF {
		return int(c)
	}
	n := 0
	for off := 2; off < len(b); off = zlSkip(b, off) {
		n++
	}
	return n
}

func (z *ZSet) lpSetCount(n int) {
	if n == 0 {
		z.setBlob(nil)
		return
	}
	binary.LittleEndian.PutUint16(z.blob(), uint16(min(n, 0xFFFF)))
}

// lpFind returns the offset of member's entry, its score and the offset of
// the next entry.
func (z *ZSet) lpFind(member []byte) (off int, score float64, next int, ok bool) {
	b := z.blob()
	for off = 2; off < len(b); {
		l, p := zlUvarint(b, off)
		end := p + int(l)
		if int(l) == len(member) && string(b[p:end]) == string(member) {
			score, next = zlScore(b, end)
			return off, score, next, true
		}
		off = zlSkipScore(b, end)
	}
	return 0, 0, 0, false
}

// ZCompactSize is the number of bytes a member with its score takes in the
// compact encoding, for Reserve.
func ZCompactSize(score float64, member []byte) int {
	return zlUvarintLen(uint64(len(member))) + len(member) + zlScoreLen(score)
}

// Reserve makes room for n more bytes of entries (see ZCompactSize) in a
// compact set, so that a ZADD of many members allocates it once. It does
// nothing to a skiplist.
func (z *ZSet) Reserve(n int) {
	if z.sl != nil || n <= 0 {
		return
	}
	b := z.blob()
	keep := max(len(b), 2)
	if keep+n <= cap(b) {
		return
	}
	nb := slices.Grow([]byte(nil), keep+n)[:keep]
	copy(nb, b)
	z.setBlob(nb)
}

// lpInsert adds a member that is not present at its place.
func (z *ZSet) lpInsert(score float64, member []byte) {
	n := z.lpCount()
	if n == 0 && z.lpCap < uint32(2+ZCompactSize(score, member)) {
		z.setBlob(slices.Grow([]byte(nil), 2+ZCompactSize(score, member))[:2])
	} else if n == 0 {
		z.setBlob(z.blob()[:2])
	}
	z.lpPlace(score, member)
	z.lpSetCount(n + 1)
}

// lpPlace writes the entry of a member that is not present at its place,
// leaving the count alone.
func (z *ZSet) lpPlace(score float64, member []byte) {
	b := z.blob()
	off := 2
	for off < len(b) {
		m, s, next := zlEntry(b, off)
		if s > score || (s == score && bytes.Compare(m, member) > 0) {
			break
		}
		off = next
	}
	var tmp [80]byte
	e := binary.AppendUvarint(tmp[:0], uint64(len(member)))
	e = append(e, member...)
	e = zlAppendScore(e, score)
	z.lpSplice(off, 0, e)
}

// lpDelete removes the n entries held in bytes [from, to).
func (z *ZSet) lpDelete(from, to, n int) {
	left := z.lpCount() - n
	z.lpSplice(from, to-from, nil)
	z.lpSetCount(left)
}

// lpSplice replaces del bytes at off with ins. The blob grows to the
// allocator's size class, so most inserts fit without copying the set, and
// is reallocated when it shrinks below half its capacity.
func (z *ZSet) lpSplice(off, del int, ins []byte) {
	b := z.blob()
	oldLen := len(b)
	newLen := oldLen - del + len(ins)
	if newLen <= cap(b) && (newLen >= oldLen || newLen*2 >= cap(b) || cap(b) <= 64) {
		b = b[:max(oldLen, newLen)]
		copy(b[off+len(ins):], b[off+del:oldLen])
		copy(b[off:], ins)
		z.setBlob(b[:newLen])
		return
	}
	size := newLen
	if newLen > oldLen {
		// A quarter more room: sets built one ZADD at a time are copied a
		// few times instead of at every size class.
		size += newLen / 4
	}
	nb := slices.Grow([]byte(nil), size)[:newLen]
	copy(nb, b[:off])
	copy(nb[off:], ins)
	copy(nb[off+len(ins):], b[off+del:])
	z.setBlob(nb)
}

// toSkiplist converts the compact encoding.
func (z *ZSet) toSkiplist() {
	b := z.blob()
	sl := newZskiplist(z.lpCount())
	a := newZslAppender(sl)
	for off := 2; off < len(b); {
		m, s, next := zlEntry(b, off)
		a.add(s, string(m), zslHash(m))
		off = next
	}
	a.finish()
	z.setBlob(nil)
	z.sl = sl
}

func zlUvarint(b []byte, off int) (uint64, int) {
	if c := b[off]; c < 0x80 {
		return uint64(c), off + 1
	}
	v, n := binary.Uvarint(b[off:])
	return v, off + n
}

func zlUvarintLen(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}

// zlScoreInt reports whether the compact form stores s as an integer.
func zlScoreInt(s float64) bool { return s == math.Trunc(s) && math.Abs(s) < 1<<61 }

func zlScoreLen(s float64) int {
	if zlScoreInt(s) {
		i := int64(s)
		return zlUvarintLen((uint64(i<<1) ^ uint64(i>>63)) << 1)
	}
	return 9
}

func zlAppendScore(dst []byte, s float64) []byte {
	if zlScoreInt(s) {
		i := int64(s)
		return binary.AppendUvarint(dst, (uint64(i<<1)^uint64(i>>63))<<1)
	}
	dst = append(dst, 1)
	return binary.LittleEndian.AppendUint64(dst, math.Float64bits(s))
}

func zlScore(b []byte, off int) (float64, int) {
	u, off := zlUvarint(b, off)
	if u&1 == 0 {
		zz := u >> 1
		return float64(int64(zz>>1) ^ -int64(zz&1)), off
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(b[off:])), off + 8
}

func zlSkipScore(b []byte, off int) int {
	if b[off] == 1 {
		return off + 9
	}
	for b[off] >= 0x80 {
		off++
	}
	return off + 1
}

// zlEntry decodes the entry at off and returns the offset of the next.
func zlEntry(b []byte, off int) ([]byte, float64, int) {
	l, p := zlUvarint(b, off)
	end := p + int(l)
	s, next := zlScore(b, end)
	return b[p:end:end], s, next
}

func zlSkip(b []byte, off int) int {
	l, p := zlUvarint(b, off)
	return zlSkipScore(b, p+int(l))
}

// zlOffsets appends the offset of every entry, for walks from the end.
func zlOffsets(b []byte, dst []int32) []int32 {
	for off := 2; off < len(b); off = zlSkip(b, off) {
		dst = append(dst, int32(off))
	}
	return dst
}

// ScoreStoredAsInt reports whether Redis's listpack would hold score s as
// an integer (ZSCAN then prints it as one): integral and within half the
// int64 range.
func ScoreStoredAsInt(s float64) bool {
	return s >= -(1<<62) && s <= 1<<62 && s == math.Trunc(s)
}
