package types

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"strconv"

	"petrel/internal/num"
)

// Set is the set value. It has three representations:
//
//   - intset: while every member is an integer and there are at most
//     set-max-intset-entries of them, a sorted array of int64 values packed
//     in one byte slice at the narrowest width (2, 4 or 8 bytes) that holds
//     them all, as Redis's intset. OBJECT ENCODING reports "intset".
//   - small: up to setSmallEntries members of at most setSmallValue bytes
//     each, packed in one byte slice as length-prefixed strings and scanned
//     linearly. Redis 7.0 has no compact encoding for such sets (listpack
//     sets arrived in 7.2) and reports "hashtable"; so does Petrel, but the
//     packed form costs a fraction of a hash table's memory.
//   - table: setTable, a chained hash table whose members live in one byte
//     arena, with no per-member pointers. OBJECT ENCODING "hashtable".
//
// A set only moves towards the table: intset to small or table, small to
// table, never back, so OBJECT ENCODING changes where Redis's does.
//
// b holds the intset or small form; its first byte says which: the
// intset's element width (2, 4 or 8), or setTagSmall followed by the member
// count. An empty b is an empty intset. Member slices returned by the
// reading methods alias the set (or a scratch buffer for intset members)
// and are valid until the set is next modified.
type Set struct {
	b []byte
	t *setTable
}

const (
	setTagSmall = 1
	// setSmallEntries and setSmallValue bound the packed form: beyond
	// them a linear scan costs more than hashing.
	setSmallEntries = 128
	setSmallValue   = 64
	setSmallHeader  = 2 // tag, count
)

// NewSet returns an empty set (an empty intset).
func NewSet() *Set { return &Set{} }

// Type reports "set".
func (s *Set) Type() string { return "set" }

// Encoding reports "intset" or "hashtable", as Redis 7.0 would.
func (s *Set) Encoding() string {
	if s.isIntset() {
		return "intset"
	}
	return "hashtable"
}

// IsIntset reports whether the set is an intset.
func (s *Set) IsIntset() bool { return s.isIntset() }

func (s *Set) isIntset() bool { return s.t == nil && (len(s.b) == 0 || s.b[0] != setTagSmall) }

func (s *Set) isSmall() bool { return s.t == nil && len(s.b) > 0 && s.b[0] == setTagSmall }

// Copy returns a deep copy.
func (s *Set) Copy() Value {
	c := &Set{}
	if s.t != nil {
		c.t = s.t.clone()
	} else if len(s.b) > 0 {
		c.b = setAlloc(len(s.b))
		copy(c.b, s.b)
	}
	return c
}

// Len returns the number of members.
func (s *Set) Len() int {
	switch {
	case s.t != nil:
		return len(s.t.ents)
	case len(s.b) == 0:
		return 0
	case s.b[0] == setTagSmall:
		return int(s.b[1])
	default:
		return (len(s.b) - 1) / int(s.b[0])
	}
}

// Contains reports whether member is in the set.
func (s *Set) Contains(member []byte) bool {
	switch {
	case s.t != nil:
		_, ok := s.t.find(member, setHash(member))
		return ok
	case s.isSmall():
		return s.smallFind(member) >= 0
	default:
		v, ok := num.ParseInt(member)
		if !ok {
			return false
		}
		_, found := s.intFind(v)
		return found
	}
}

// Add inserts member and reports whether it was new. maxIntset is
// set-max-intset-entries: an intset that would grow beyond it, or gets a
// member that is not an integer, converts.
func (s *Set) Add(member []byte, maxIntset int) bool {
	if s.t != nil {
		return s.t.add(member, setHash(member))
	}
	if s.isIntset() {
		v, ok := num.ParseInt(member)
		if ok {
			i, found := s.intFind(v)
			if found {
				return false
			}
			if s.Len()+1 <= maxIntset {
				s.intInsert(i, v)
				return true
			}
		}
		s.convertFromIntset(s.Len()+1, len(member))
		if s.t != nil {
			return s.t.add(member, setHash(member))
		}
	}
	if s.smallFind(member) >= 0 {
		return false
	}
	if s.Len() < setSmallEntries && len(member) <= setSmallValue {
		s.smallAppend(member)
		return true
	}
	s.toTable(s.Len() + 1)
	return s.t.add(member, setHash(member))
}

// Remove deletes member and reports whether it was there.
func (s *Set) Remove(member []byte) bool {
	switch {
	case s.t != nil:
		return s.t.remove(member, setHash(member))
	case s.isSmall():
		off := s.smallFind(member)
		if off < 0 {
			return false
		}
		s.smallDelete(off, 1+len(member))
		return true
	default:
		v, ok := num.ParseInt(member)
		if !ok {
			return false
		}
		i, found := s.intFind(v)
		if !found {
			return false
		}
		s.intDelete(i)
		return true
	}
}

// Members calls fn for every member, in the set's order (ascending for an
// intset), until fn returns false. fn must not change the set.
func (s *Set) Members(fn func(member []byte) bool) {
	switch {
	case s.t != nil:
		t := s.t
		for i := range t.ents {
			if !fn(t.member(t.ents[i].off)) {
				return
			}
		}
	case s.isSmall():
		b := s.b
		for off := setSmallHeader; off < len(b); {
			n := int(b[off])
			if !fn(b[off+1 : off+1+n]) {
				return
			}
			off += 1 + n
		}
	default:
		var sc [20]byte
		n := s.Len()
		for i := 0; i < n; i++ {
			if !fn(strconv.AppendInt(sc[:0], s.intAt(i), 10)) {
				return
			}
		}
	}
}

// DigestEach calls fn with every member, for DEBUG DIGEST.
func (s *Set) DigestEach(fn func(parts ...[]byte)) {
	s.Members(func(m []byte) bool {
		fn(m)
		return true
	})
}

// At returns the member at position i of the set's order, formatting an
// intset member into sc.
func (s *Set) At(i int, sc *Scratch) []byte {
	switch {
	case s.t != nil:
		return s.t.member(s.t.ents[i].off)
	case s.isSmall():
		off := s.smallOffset(i)
		return s.b[off+1 : off+1+int(s.b[off])]
	default:
		return strconv.AppendInt(sc[:0], s.intAt(i), 10)
	}
}

// Random returns a member chosen uniformly; the set must not be empty.
func (s *Set) Random(sc *Scratch) []byte { return s.At(rand.IntN(s.Len()), sc) }

// RandomRepeat calls fn count times with a uniformly chosen member each
// time (repeats allowed), as SRANDMEMBER with a negative count; it stops
// early when fn returns false.
func (s *Set) RandomRepeat(count int, fn func(member []byte) bool) {
	var sc Scratch
	n := s.Len()
	if s.isSmall() && count > 8 {
		// Index the packed members once instead of walking for each draw.
		offs := s.smallOffsets()
		for ; count > 0; count-- {
			off := offs[rand.IntN(n)]
			if !fn(s.b[off+1 : off+1+int(s.b[off])]) {
				return
			}
		}
		return
	}
	for ; count > 0; count-- {
		if !fn(s.At(rand.IntN(n), &sc)) {
			return
		}
	}
}

// RandomDistinct calls fn with count distinct members chosen uniformly,
// in random order; count must be less than Len.
func (s *Set) RandomDistinct(count int, fn func(member []byte)) {
	var sc Scratch
	n := s.Len()
	var offs []int
	if s.isSmall() {
		offs = s.smallOffsets()
	}
	at := func(i int) []byte {
		if offs != nil {
			off := offs[i]
			return s.b[off+1 : off+1+int(s.b[off])]
		}
		return s.At(i, &sc)
	}
	if count*4 >= n {
		// A partial Fisher-Yates shuffle of all positions.
		idx := make([]int32, n)
		for i := range idx {
			idx[i] = int32(i)
		}
		for i := 0; i < count; i++ {
			j := i + rand.IntN(n-i)
			idx[i], idx[j] = idx[j], idx[i]
			fn(at(int(idx[i])))
		}
		return
	}
	// Few out of many: draw positions, skipping those already drawn.
	seen := make(map[int]struct{}, count)
	for len(seen) < count {
		i := rand.IntN(n)
		if _, dup := seen[i]; dup {
			continue
		}
		seen[i] = struct{}{}
		fn(at(i))
	}
}

// PopRandom removes count members chosen uniformly (count less than Len)
// and calls fn with each, in random order, before it is removed.
func (s *Set) PopRandom(count int, fn func(member []byte)) {
	if s.t != nil {
		t := s.t
		for ; count > 0; count-- {
			i := rand.IntN(len(t.ents))
			fn(t.member(t.ents[i].off))
			t.removeAt(i)
		}
		t.maybeShrink()
		return
	}
	// Packed forms: draw positions with a partial Fisher-Yates shuffle,
	// then rebuild once without them.
	n := s.Len()
	var offs []int
	if s.isSmall() {
		offs = s.smallOffsets()
	}
	idx := make([]int32, n)
	for i := range idx {
		idx[i] = int32(i)
	}
	chosen := make([]bool, n)
	var sc Scratch
	for k := 0; k < count; k++ {
		j := k + rand.IntN(n-k)
		idx[k], idx[j] = idx[j], idx[k]
		i := int(idx[k])
		chosen[i] = true
		if offs != nil {
			off := offs[i]
			fn(s.b[off+1 : off+1+int(s.b[off])])
		} else {
			fn(strconv.AppendInt(sc[:0], s.intAt(i), 10))
		}
	}
	s.removePositions(chosen, n-count)
}

// Pop removes a uniformly chosen member and returns it (a copy); the set
// must not be empty.
func (s *Set) Pop() []byte {
	if s.t != nil {
		i := rand.IntN(len(s.t.ents))
		m := bytes.Clone(s.t.member(s.t.ents[i].off))
		s.t.removeAt(i)
		s.t.maybeShrink()
		return m
	}
	var sc Scratch
	i := rand.IntN(s.Len())
	m := bytes.Clone(s.At(i, &sc))
	if s.isSmall() {
		off := s.smallOffset(i)
		s.smallDelete(off, 1+len(m))
	} else {
		s.intDelete(i)
	}
	return m
}

// Scan calls fn with a batch of members for SSCAN and returns the next
// cursor (0 when done). The packed forms return everything at once; the
// hash table visits buckets in reverse-binary cursor order until count
// members were seen or ten times count buckets were visited, as Redis
// does, so a member present for a whole scan is returned at least once
// even if the table grows or shrinks in between.
func (s *Set) Scan(cursor uint64, count int, fn func(member []byte)) uint64 {
	if s.t == nil {
		s.Members(func(m []byte) bool {
			fn(m)
			return true
		})
		return 0
	}
	budget := count * 10
	if count > math.MaxInt/10 {
		budget = math.MaxInt
	}
	seen := 0
	for {
		cursor = s.t.scanBucket(cursor, func(m []byte) {
			seen++
			fn(m)
		})
		budget--
		if cursor == 0 || budget <= 0 || seen >= count {
			return cursor
		}
	}
}

// MemoryUsage estimates the bytes the set holds, for MEMORY USAGE.
func (s *Set) MemoryUsage(samples int) int64 {
	const header = 32
	if s.t == nil {
		return header + int64(cap(s.b))
	}
	t := s.t
	return header + 80 + int64(cap(t.arena)) + int64(cap(t.ents))*12 + int64(cap(t.heads))*4
}

// --- intset ---

func (s *Set) intWidth() int {
	if len(s.b) == 0 {
		return 2
	}
	return int(s.b[0])
}

func (s *Set) intAt(i int) int64 {
	w := int(s.b[0])
	p := 1 + i*w
	switch w {
	case 2:
		return int64(int16(binary.LittleEndian.Uint16(s.b[p:])))
	case 4:
		return int64(int32(binary.LittleEndian.Uint32(s.b[p:])))
	default:
		return int64(binary.LittleEndian.Uint64(s.b[p:]))
	}
}

func intPut(b []byte, w int, v int64) {
	switch w {
	case 2:
		binary.LittleEndian.PutUint16(b, uint16(v))
	case 4:
		binary.LittleEndian.PutUint32(b, uint32(v))
	default:
		binary.LittleEndian.PutUint64(b, uint64(v))
	}
}

func intWidthFor(v int64) int {
	switch {
	case v >= math.MinInt16 && v <= math.MaxInt16:
		return 2
	case v >= math.MinInt32 && v <= math.MaxInt32:
		return 4
	}
	return 8
}

// intFind returns v's position, or where it would go.
func (s *Set) intFind(v int64) (int, bool) {
	n := s.Len()
	if n == 0 || intWidthFor(v) > s.intWidth() {
		// Wider than every member: it sorts at one end.
		if v < 0 {
			return 0, false
		}
		return n, false
	}
	lo, hi := 0, n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if s.intAt(m) < v {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < n && s.intAt(lo) == v
}

func (s *Set) intInsert(i int, v int64) {
	n := s.Len()
	w := s.intWidth()
	if nw := intWidthFor(v); nw > w {
		// Upgrade every member to the new width.
		nb := setAlloc(1 + (n+1)*nw)
		nb[0] = byte(nw)
		for j := 0; j < n; j++ {
			k := j
			if j >= i {
				k++
			}
			intPut(nb[1+k*nw:], nw, s.intAt(j))
		}
		intPut(nb[1+i*nw:], nw, v)
		s.b = nb
		return
	}
	if len(s.b) == 0 {
		s.b = setAlloc(1 + w)[:1]
		s.b[0] = byte(w)
	}
	s.b = setGrow(s.b, w)
	s.b = s.b[:len(s.b)+w]
	p := 1 + i*w
	copy(s.b[p+w:], s.b[p:])
	intPut(s.b[p:], w, v)
}

func (s *Set) intDelete(i int) {
	w := s.intWidth()
	p := 1 + i*w
	copy(s.b[p:], s.b[p+w:])
	s.b = s.b[:len(s.b)-w]
	s.maybeTrim()
}

// convertFromIntset leaves the intset form for a set about to hold n
// members, the newest of length newLen.
func (s *Set) convertFromIntset(n, newLen int) {
	if n > setSmallEntries || newLen > setSmallValue {
		s.toTable(n)
		return
	}
	cnt := s.Len()
	var sc Scratch
	size := setSmallHeader
	for i := 0; i < cnt; i++ {
		size += 1 + len(strconv.AppendInt(sc[:0], s.intAt(i), 10))
	}
	nb := setAlloc(size + 1 + newLen)[:setSmallHeader]
	nb[0], nb[1] = setTagSmall, byte(cnt)
	for i := 0; i < cnt; i++ {
		m := strconv.AppendInt(sc[:0], s.intAt(i), 10)
		nb = append(nb, byte(len(m)))
		nb = append(nb, m...)
	}
	s.b = nb
}

// --- small (packed strings) ---

// smallFind returns the offset of member's length byte, or -1.
func (s *Set) smallFind(member []byte) int {
	b := s.b
	if len(member) > setSmallValue {
		return -1
	}
	l := byte(len(member))
	for off := setSmallHeader; off < len(b); {
		n := b[off]
		if n == l && string(b[off+1:off+1+int(n)]) == string(member) {
			return off
		}
		off += 1 + int(n)
	}
	return -1
}

func (s *Set) smallOffset(i int) int {
	off := setSmallHeader
	for ; i > 0; i-- {
		off += 1 + int(s.b[off])
	}
	return off
}

func (s *Set) smallOffsets() []int {
	offs := make([]int, 0, s.Len())
	for off := setSmallHeader; off < len(s.b); off += 1 + int(s.b[off]) {
		offs = append(offs, off)
	}
	return offs
}

func (s *Set) smallAppend(member []byte) {
	s.b = setGrow(s.b, 1+len(member))
	s.b = append(s.b, byte(len(member)))
	s.b = append(s.b, member...)
	s.b[1]++
}

func (s *Set) smallDelete(off, size int) {
	copy(s.b[off:], s.b[off+size:])
	s.b = s.b[:len(s.b)-size]
	s.b[1]--
	s.maybeTrim()
}

// removePositions keeps only the members of a packed set whose position is
// not marked, keep of them.
func (s *Set) removePositions(drop []bool, keep int) {
	if s.isSmall() {
		w := setSmallHeader
		i := 0
		for off := setSmallHeader; off < len(s.b); i++ {
			size := 1 + int(s.b[off])
			if !drop[i] {
				copy(s.b[w:], s.b[off:off+size])
				w += size
			}
			off += size
		}
		s.b = s.b[:w]
		s.b[1] = byte(keep)
	} else {
		wd := s.intWidth()
		w := 1
		for i := range drop {
			if !drop[i] {
				copy(s.b[w:w+wd], s.b[1+i*wd:])
				w += wd
			}
		}
		s.b = s.b[:w]
	}
	s.maybeTrim()
}

// maybeTrim gives back memory when a packed set has shrunk to well under
// its allocation.
func (s *Set) maybeTrim() {
	if cap(s.b) > 64 && len(s.b) < cap(s.b)/2 {
		nb := setAlloc(len(s.b))
		copy(nb, s.b)
		s.b = nb
	}
}

// toTable converts a packed set to the hash table, sized for n members.
func (s *Set) toTable(n int) {
	t := newSetTable(n)
	s.Members(func(m []byte) bool {
		t.add(m, setHash(m))
		return true
	})
	s.t = t
	s.b = nil
}

// setAlloc returns a slice of length n whose capacity is all the allocator
// gives for it.
func setAlloc(n int) []byte { return slices.Grow([]byte(nil), n)[:n] }

// setGrow makes room for need more bytes: exactly, rounded up to the
// allocator's size class, so small sets cost what Redis's exact
// reallocations cost; larger ones grow by an eighth more to stay
// amortized.
func setGrow(b []byte, need int) []byte {
	n := len(b)
	if cap(b)-n >= need {
		return b
	}
	want := n + need
	if want > 256 {
		want += want >> 3
	}
	nb := setAlloc(want)[:n]
	copy(nb, b)
	return nb
}

// --- hash table ---

var setSeed = maphash.MakeSeed()

func setHash(b []byte) uint32 {
	h := maphash.Bytes(setSeed, b)
	return uint32(h) ^ uint32(h>>32)
}

// setTable is a chained hash table with a power-of-two bucket count.
// Members are stored back to back in arena, each as a uvarint length and
// its bytes; ents lists the live members densely (so a uniform random
// member is one draw away) with each one's arena offset, cached hash and
// chain link; heads holds each bucket's first entry. Links are entry
// positions plus one, 0 ending a chain. Removing a member moves the last
// entry into its place and leaves its bytes in the arena as garbage,
// reclaimed by compacting when it reaches half the arena.
//
// Offsets are 32 bits: a set's members may total up to 4 GiB.
type setTable struct {
	arena   []byte
	ents    []setEnt
	heads   []uint32
	garbage int
}

type setEnt struct {
	off  uint32
	next uint32
	hash uint32
}

const setTableMinBuckets = 4

func newSetTable(n int) *setTable {
	size := setTableMinBuckets
	for size < n {
		size <<= 1
	}
	return &setTable{heads: make([]uint32, size), ents: make([]setEnt, 0, n)}
}

func (t *setTable) clone() *setTable {
	c := &setTable{
		arena: make([]byte, 0, len(t.arena)-t.garbage),
		ents:  slices.Clone(t.ents),
		heads: slices.Clone(t.heads),
	}
	for i := range c.ents {
		off := c.ents[i].off
		size := t.entrySize(off)
		c.ents[i].off = uint32(len(c.arena))
		c.arena = append(c.arena, t.arena[off:int(off)+size]...)
	}
	return c
}

func (t *setTable) member(off uint32) []byte {
	b := t.arena[off:]
	if b[0] < 0x80 {
		return b[1 : 1+int(b[0])]
	}
	l, n := binary.Uvarint(b)
	return b[n : n+int(l)]
}

func (t *setTable) entrySize(off uint32) int {
	b := t.arena[off:]
	if b[0] < 0x80 {
		return 1 + int(b[0])
	}
	l, n := binary.Uvarint(b)
	return n + int(l)
}

func (t *setTable) mask() uint32 { return uint32(len(t.heads) - 1) }

// find returns the position of member in ents.
func (t *setTable) find(member []byte, h uint32) (int, bool) {
	for link := t.heads[h&t.mask()]; link != 0; {
		e := &t.ents[link-1]
		if e.hash == h && string(t.member(e.off)) == string(member) {
			return int(link - 1), true
		}
		link = e.next
	}
	return 0, false
}

func (t *setTable) add(member []byte, h uint32) bool {
	if _, ok := t.find(member, h); ok {
		return false
	}
	if len(t.arena)+binary.MaxVarintLen64+len(member) > math.MaxUint32 {
		panic("set members exceed 4 GiB")
	}
	off := uint32(len(t.arena))
	t.arena = binary.AppendUvarint(t.arena, uint64(len(member)))
	t.arena = append(t.arena, member...)
	b := h & t.mask()
	t.ents = append(t.ents, setEnt{off: off, next: t.heads[b], hash: h})
	t.heads[b] = uint32(len(t.ents))
	if len(t.ents) > len(t.heads) {
		t.rehash(len(t.heads) * 2)
	}
	return true
}

func (t *setTable) remove(member []byte, h uint32) bool {
	i, ok := t.find(member, h)
	if !ok {
		return false
	}
	t.removeAt(i)
	t.maybeShrink()
	return true
}

// link returns the link that points at entry i.
func (t *setTable) link(i int) *uint32 {
	p := &t.heads[t.ents[i].hash&t.mask()]
	for *p != uint32(i+1) {
		p = &t.ents[*p-1].next
	}
	return p
}

// removeAt unlinks entry i and fills its place with the last entry.
func (t *setTable) removeAt(i int) {
	p := t.link(i)
	*p = t.ents[i].next
	t.garbage += t.entrySize(t.ents[i].off)
	last := len(t.ents) - 1
	if i != last {
		*t.link(last) = uint32(i + 1)
		t.ents[i] = t.ents[last]
	}
	t.ents = t.ents[:last]
	if t.garbage > 1024 && t.garbage > len(t.arena)/2 {
		t.compact()
	}
}

// maybeShrink halves the bucket array (and the entry slice) when the table
// is mostly empty, as Redis resizes tables under 10% full.
func (t *setTable) maybeShrink() {
	n := len(t.ents)
	if len(t.heads) > setTableMinBuckets && n*10 < len(t.heads) {
		size := setTableMinBuckets
		for size < n {
			size <<= 1
		}
		t.rehash(size)
		if cap(t.ents) > 2*n+8 {
			t.ents = slices.Clone(t.ents)
		}
	}
}

// compact rewrites the arena without the removed members' bytes.
func (t *setTable) compact() {
	arena := make([]byte, 0, len(t.arena)-t.garbage+len(t.arena)/8)
	for i := range t.ents {
		off := t.ents[i].off
		t.ents[i].off = uint32(len(arena))
		arena = append(arena, t.arena[off:int(off)+t.entrySize(off)]...)
	}
	t.arena = arena
	t.garbage = 0
}

func (t *setTable) rehash(size int) {
	t.heads = make([]uint32, size)
	mask := uint32(size - 1)
	for i := range t.ents {
		e := &t.ents[i]
		b := e.hash & mask
		e.next = t.heads[b]
		t.heads[b] = uint32(i + 1)
	}
}

// scanBucket calls fn for the members of the cursor's bucket and returns
// the next cursor in reverse-binary order.
func (t *setTable) scanBucket(cursor uint64, fn func([]byte)) uint64 {
	mask := uint64(len(t.heads) - 1)
	for link := t.heads[cursor&mask]; link != 0; {
		e := &t.ents[link-1]
		fn(t.member(e.off))
		link = e.next
	}
	cursor |= ^mask
	cursor = bits.Reverse64(cursor)
	cursor++
	return bits.Reverse64(cursor)
}
