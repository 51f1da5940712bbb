package types

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"unsafe"

	"petrel/internal/num"
	"petrel/internal/scancursor"
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
//   - table: setTable, an open-addressing hash table whose members live in
//     one byte arena, with no per-member pointers. OBJECT ENCODING
//     "hashtable".
//
// A set only moves towards the table: intset to small or table, small to
// table, never back, so OBJECT ENCODING changes where Redis's does.
//
// The packed forms live in one byte slice, the blob, whose first byte
// says which: the intset's element width (2, 4 or 8), or setTagSmall
// followed by the member count. An empty blob is an empty intset. To keep
// a small set at 16 bytes plus its blob (Redis spends 16 on the object plus
// its intset), the struct holds the blob's data pointer, length and
// capacity, or with c == setIsTable a pointer to the hash table. Member
// slices returned by the reading methods alias the set (or a scratch
// buffer for intset members) and are valid until the set is next modified.
type Set struct {
	p    unsafe.Pointer // *byte of the blob, or *setTable
	n, c uint32         // the blob's length and capacity
}

// setIsTable in Set.c marks p as a *setTable.
const setIsTable = math.MaxUint32

// blob returns the packed form (nil for a table); writes through it change
// the set, but its length and capacity only change with setBlob.
func (s *Set) blob() []byte {
	if s.p == nil || s.c == setIsTable {
		return nil
	}
	return unsafe.Slice((*byte)(s.p), s.c)[:s.n]
}

func (s *Set) setBlob(b []byte) {
	if cap(b) == 0 {
		*s = Set{}
		return
	}
	if uint64(cap(b)) >= setIsTable {
		panic("set blob exceeds 4 GiB")
	}
	s.p, s.n, s.c = unsafe.Pointer(unsafe.SliceData(b)), uint32(len(b)), uint32(cap(b))
}

// table returns the hash table, or nil for a packed set.
func (s *Set) table() *setTable {
	if s.c != setIsTable {
		return nil
	}
	return (*setTable)(s.p)
}

func (s *Set) setTable(t *setTable) { s.p, s.n, s.c = unsafe.Pointer(t), 0, setIsTable }

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

func (s *Set) isIntset() bool { return s.c != setIsTable && s.tag() != setTagSmall }

func (s *Set) isSmall() bool { return s.tag() == setTagSmall }

// tag is the blob's first byte, 0 for an empty blob or a table.
func (s *Set) tag() byte {
	if s.n == 0 || s.c == setIsTable {
		return 0
	}
	return *(*byte)(s.p)
}

// Copy returns a deep copy.
func (s *Set) Copy() Value {
	c := &Set{}
	if s.c == setIsTable {
		c.setTable(s.table().clone())
	} else if b := s.blob(); len(b) > 0 {
		nb := setAlloc(len(b))
		copy(nb, b)
		c.setBlob(nb)
	}
	return c
}

// Len returns the number of members.
func (s *Set) Len() int {
	switch tag := s.tag(); {
	case s.c == setIsTable:
		return s.table().count
	case tag == 0:
		return 0
	case tag == setTagSmall:
		return int(s.blob()[1])
	default:
		return (int(s.n) - 1) / int(tag)
	}
}

// Contains reports whether member is in the set.
func (s *Set) Contains(member []byte) bool {
	switch {
	case s.c == setIsTable:
		_, ok := s.table().find(member, setHash(member))
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
	if s.c == setIsTable {
		return s.table().add(member, setHash(member))
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
		if s.c == setIsTable {
			return s.table().add(member, setHash(member))
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
	return s.table().add(member, setHash(member))
}

// AddAll adds members as Add does and returns how many were new. An
// empty set is first given room for all of them at once, in the form they
// will end up in, so that SADD of many members allocates once.
func (s *Set) AddAll(members [][]byte, maxIntset int) int {
	if s.p == nil && len(members) > 1 {
		s.reserve(members, maxIntset)
	}
	added := 0
	for _, m := range members {
		if s.Add(m, maxIntset) {
			added++
		}
	}
	return added
}

// reserve sizes an empty set's storage for members.
func (s *Set) reserve(members [][]byte, maxIntset int) {
	n := len(members)
	ints, w, size, longest := true, 2, setSmallHeader, 0
	for _, m := range members {
		if ints {
			if v, ok := num.ParseInt(m); ok {
				w = max(w, intWidthFor(v))
			} else {
				ints = false
			}
		}
		size += 1 + len(m)
		longest = max(longest, len(m))
	}
	if ints && n > maxIntset {
		// Repeated members count once, as they do for Redis's intset.
		n = distinctInts(members)
	}
	switch {
	case ints && n <= maxIntset:
		b := setAlloc(1 + n*w)[:1]
		b[0] = byte(w)
		s.setBlob(b)
	case n <= setSmallEntries && longest <= setSmallValue:
		b := setAlloc(size)[:setSmallHeader]
		b[0] = setTagSmall
		s.setBlob(b)
	default:
		s.setTable(newSetTable(n))
	}
}

// Rebuild gives the set the form a new set of its members would take: an
// intset again when they are all integers and few enough. Redis's SPOP
// moves the members it keeps into a new set when it pops most of them.
func (s *Set) Rebuild(maxIntset int) {
	if s.isIntset() {
		return
	}
	members := make([][]byte, 0, s.Len())
	s.Members(func(m []byte) bool {
		members = append(members, bytes.Clone(m))
		return true
	})
	fresh := NewSet()
	fresh.AddAll(members, maxIntset)
	*s = *fresh
}

// distinctInts counts the distinct values of members, which all parse as
// integers.
func distinctInts(members [][]byte) int {
	vs := make([]int64, len(members))
	for i, m := range members {
		vs[i], _ = num.ParseInt(m)
	}
	slices.Sort(vs)
	return len(slices.Compact(vs))
}

// Remove deletes member and reports whether it was there.
func (s *Set) Remove(member []byte) bool {
	switch {
	case s.c == setIsTable:
		return s.table().remove(member, setHash(member))
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
	case s.c == setIsTable:
		t := s.table()
		for _, slot := range t.slots {
			if slot != 0 && !fn(t.member(slot)) {
				return
			}
		}
	case s.isSmall():
		b := s.blob()
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

// at returns the member at position i of a packed set's order, formatting
// an intset member into sc.
func (s *Set) at(i int, sc *Scratch) []byte {
	switch {
	case s.isSmall():
		off := s.smallOffset(i)
		return s.blob()[off+1 : off+1+int(s.blob()[off])]
	default:
		return strconv.AppendInt(sc[:0], s.intAt(i), 10)
	}
}

// setPicker reads members by position for the random commands: an index
// for the packed forms, a slot for the hash table.
type setPicker struct {
	s    *Set
	offs []int // the small form's member offsets
	sc   Scratch
}

func (s *Set) picker() *setPicker {
	p := &setPicker{s: s}
	if s.isSmall() {
		p.offs = s.smallOffsets()
	}
	return p
}

// random returns a uniformly chosen position.
func (p *setPicker) random() int {
	if p.s.c == setIsTable {
		return p.s.table().randomSlot()
	}
	return rand.IntN(p.s.Len())
}

func (p *setPicker) member(pos int) []byte {
	s := p.s
	switch {
	case s.c == setIsTable:
		return s.table().member(s.table().slots[pos])
	case p.offs != nil:
		off := p.offs[pos]
		return s.blob()[off+1 : off+1+int(s.blob()[off])]
	default:
		return strconv.AppendInt(p.sc[:0], s.intAt(pos), 10)
	}
}

// positions lists every member's position.
func (p *setPicker) positions() []int32 {
	s := p.s
	out := make([]int32, 0, s.Len())
	if s.c == setIsTable {
		for i, slot := range s.table().slots {
			if slot != 0 {
				out = append(out, int32(i))
			}
		}
		return out
	}
	for i := 0; i < s.Len(); i++ {
		out = append(out, int32(i))
	}
	return out
}

// Random returns a member chosen uniformly; the set must not be empty.
// An intset member is formatted into sc.
func (s *Set) Random(sc *Scratch) []byte {
	if s.c == setIsTable {
		return s.table().member(s.table().slots[s.table().randomSlot()])
	}
	return s.at(rand.IntN(s.Len()), sc)
}

// RandomRepeat calls fn count times with a uniformly chosen member each
// time (repeats allowed), as SRANDMEMBER with a negative count; it stops
// early when fn returns false.
func (s *Set) RandomRepeat(count int, fn func(member []byte) bool) {
	p := s.picker()
	for ; count > 0; count-- {
		if !fn(p.member(p.random())) {
			return
		}
	}
}

// RandomDistinct calls fn with count distinct members chosen uniformly,
// in random order; count must be less than Len.
func (s *Set) RandomDistinct(count int, fn func(member []byte)) {
	p := s.picker()
	if count*4 >= s.Len() {
		// A partial Fisher-Yates shuffle of all positions.
		pos := p.positions()
		for i := 0; i < count; i++ {
			j := i + rand.IntN(len(pos)-i)
			pos[i], pos[j] = pos[j], pos[i]
			fn(p.member(int(pos[i])))
		}
		return
	}
	// Few out of many: draw positions, skipping those already drawn.
	seen := make(map[int]struct{}, count)
	for len(seen) < count {
		i := p.random()
		if _, dup := seen[i]; dup {
			continue
		}
		seen[i] = struct{}{}
		fn(p.member(i))
	}
}

// PopRandom removes count members chosen uniformly (count less than Len)
// and calls fn with each, in random order, before it is removed.
func (s *Set) PopRandom(count int, fn func(member []byte)) {
	if t := s.table(); t != nil {
		for ; count > 0; count-- {
			i := t.randomSlot()
			fn(t.member(t.slots[i]))
			t.removeSlot(i)
			t.maybeShrink()
		}
		return
	}
	// Packed forms: draw positions with a partial Fisher-Yates shuffle,
	// then rebuild once without them.
	p := s.picker()
	n := s.Len()
	pos := p.positions()
	chosen := make([]bool, n)
	for k := 0; k < count; k++ {
		j := k + rand.IntN(n-k)
		pos[k], pos[j] = pos[j], pos[k]
		chosen[pos[k]] = true
		fn(p.member(int(pos[k])))
	}
	s.removePositions(chosen, n-count)
}

// Pop removes a uniformly chosen member and returns it (a copy); the set
// must not be empty.
func (s *Set) Pop() []byte {
	if t := s.table(); t != nil {
		i := t.randomSlot()
		m := bytes.Clone(t.member(t.slots[i]))
		t.removeSlot(i)
		t.maybeShrink()
		return m
	}
	var sc Scratch
	i := rand.IntN(s.Len())
	m := bytes.Clone(s.at(i, &sc))
	if s.isSmall() {
		s.smallDelete(s.smallOffset(i), 1+len(m))
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
	if s.c != setIsTable {
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
		cursor = s.table().scanBucket(cursor, func(m []byte) {
			seen++
			fn(m)
		})
		budget--
		if cursor == 0 || budget <= 0 || seen >= count {
			return cursor
		}
	}
}

// MemoryUsage estimates the bytes the set holds, for MEMORY USAGE: the
// struct and the blob, or the table with its arena and slots.
func (s *Set) MemoryUsage(samples int) int64 {
	const header = 16
	if s.c != setIsTable {
		return header + int64(cap(s.blob()))
	}
	t := s.table()
	return header + 48 + int64(cap(t.arena)) + int64(cap(t.slots))*8
}

// --- intset ---

func (s *Set) intWidth() int {
	if s.n == 0 {
		return 2
	}
	return int(*(*byte)(s.p))
}

func (s *Set) intAt(i int) int64 { return intsetAt(s.blob(), i) }

// intsetAt reads the i-th member of the intset blob b.
func intsetAt(b []byte, i int) int64 {
	w := int(b[0])
	p := 1 + i*w
	switch w {
	case 2:
		return int64(int16(binary.LittleEndian.Uint16(b[p:])))
	case 4:
		return int64(int32(binary.LittleEndian.Uint32(b[p:])))
	default:
		return int64(binary.LittleEndian.Uint64(b[p:]))
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
	b := s.blob()
	lo, hi := 0, n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if intsetAt(b, m) < v {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < n && intsetAt(b, lo) == v
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
		s.setBlob(nb)
		return
	}
	b := s.blob()
	if len(b) == 0 {
		b = setAlloc(1 + w)[:1]
		b[0] = byte(w)
	}
	b = setGrow(b, w)
	b = b[:len(b)+w]
	p := 1 + i*w
	copy(b[p+w:], b[p:])
	intPut(b[p:], w, v)
	s.setBlob(b)
}

func (s *Set) intDelete(i int) {
	w := s.intWidth()
	p := 1 + i*w
	b := s.blob()
	copy(b[p:], b[p+w:])
	s.setBlob(b[:len(b)-w])
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
	s.setBlob(nb)
}

// --- small (packed strings) ---

// smallFind returns the offset of member's length byte, or -1.
func (s *Set) smallFind(member []byte) int {
	b := s.blob()
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
	b := s.blob()
	off := setSmallHeader
	for ; i > 0; i-- {
		off += 1 + int(b[off])
	}
	return off
}

func (s *Set) smallOffsets() []int {
	b := s.blob()
	offs := make([]int, 0, s.Len())
	for off := setSmallHeader; off < len(b); off += 1 + int(b[off]) {
		offs = append(offs, off)
	}
	return offs
}

func (s *Set) smallAppend(member []byte) {
	b := setGrow(s.blob(), 1+len(member))
	b = append(b, byte(len(member)))
	b = append(b, member...)
	b[1]++
	s.setBlob(b)
}

func (s *Set) smallDelete(off, size int) {
	b := s.blob()
	copy(b[off:], b[off+size:])
	b = b[:len(b)-size]
	b[1]--
	s.setBlob(b)
	s.maybeTrim()
}

// removePositions keeps only the members of a packed set whose position is
// not marked, keep of them.
func (s *Set) removePositions(drop []bool, keep int) {
	b := s.blob()
	if s.isSmall() {
		w := setSmallHeader
		i := 0
		for off := setSmallHeader; off < len(b); i++ {
			size := 1 + int(b[off])
			if !drop[i] {
				copy(b[w:], b[off:off+size])
				w += size
			}
			off += size
		}
		b = b[:w]
		b[1] = byte(keep)
	} else {
		wd := s.intWidth()
		w := 1
		for i := range drop {
			if !drop[i] {
				copy(b[w:w+wd], b[1+i*wd:])
				w += wd
			}
		}
		b = b[:w]
	}
	s.setBlob(b)
	s.maybeTrim()
}

// maybeTrim gives back memory when a packed set has shrunk to well under
// its allocation.
func (s *Set) maybeTrim() {
	if b := s.blob(); cap(b) > 64 && len(b) < cap(b)/2 {
		nb := setAlloc(len(b))
		copy(nb, b)
		s.setBlob(nb)
	}
}

// toTable converts a packed set to the hash table, sized for n members.
func (s *Set) toTable(n int) {
	t := newSetTable(n)
	s.Members(func(m []byte) bool {
		t.add(m, setHash(m))
		return true
	})
	s.setTable(t)
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

// setTable is an open-addressing hash table with linear probing over a
// power-of-two array of slots. Members are stored back to back in arena,
// each as a uvarint length and its bytes; a slot holds a member's 32-bit
// hash in its high half and its arena offset plus one in its low half (0
// is an empty slot), so a probe compares hashes without touching the arena
// and a lookup costs about one cache miss for the slot and one for the
// member. Deletion shifts the following entries back (no tombstones) and
// leaves the member's bytes in the arena as garbage, reclaimed by
// compacting when it reaches half the arena.
//
// A member's home bucket is its hash masked to the table size, and it sits
// in the run of occupied slots starting there; SSCAN walks home buckets
// in reverse-binary order, which keeps Redis's guarantee across resizes.
// A uniform random member is a random slot drawn until one is occupied
// (the table is kept at least 1/8 full).
//
// Offsets are 32 bits: a set's members may total up to 4 GiB.
type setTable struct {
	arena   []byte
	slots   []uint64
	count   int
	garbage int
}

const setTableMinSlots = 8

// setSlotsFor is the slot count for n members: at most 3/4 full.
func setSlotsFor(n int) int {
	size := setTableMinSlots
	for size*3 < n*4 {
		size <<= 1
	}
	return size
}

func newSetTable(n int) *setTable {
	return &setTable{slots: make([]uint64, setSlotsFor(n))}
}

func (t *setTable) clone() *setTable {
	c := &setTable{slots: make([]uint64, len(t.slots)), count: t.count}
	c.arena = make([]byte, 0, len(t.arena)-t.garbage)
	for i, slot := range t.slots {
		if slot == 0 {
			continue
		}
		off := uint32(slot) - 1
		c.slots[i] = slot&^0xffffffff | uint64(len(c.arena)+1)
		c.arena = append(c.arena, t.arena[off:int(off)+t.entrySize(off)]...)
	}
	return c
}

func (t *setTable) member(slot uint64) []byte {
	b := t.arena[uint32(slot)-1:]
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

func (t *setTable) mask() int { return len(t.slots) - 1 }

// find returns member's slot and true, or the empty slot ending its probe.
func (t *setTable) find(member []byte, h uint32) (int, bool) {
	mask := t.mask()
	for i := int(h) & mask; ; i = (i + 1) & mask {
		slot := t.slots[i]
		if slot == 0 {
			return i, false
		}
		if uint32(slot>>32) == h && string(t.member(slot)) == string(member) {
			return i, true
		}
	}
}

func (t *setTable) add(member []byte, h uint32) bool {
	i, ok := t.find(member, h)
	if ok {
		return false
	}
	if len(t.arena)+binary.MaxVarintLen64+len(member) >= math.MaxUint32 {
		panic("set members exceed 4 GiB")
	}
	off := len(t.arena)
	t.arena = binary.AppendUvarint(t.arena, uint64(len(member)))
	t.arena = append(t.arena, member...)
	t.slots[i] = uint64(h)<<32 | uint64(off+1)
	t.count++
	if t.count*4 > len(t.slots)*3 {
		t.rehash(len(t.slots) * 2)
	}
	return true
}

func (t *setTable) remove(member []byte, h uint32) bool {
	i, ok := t.find(member, h)
	if !ok {
		return false
	}
	t.removeSlot(i)
	t.maybeShrink()
	return true
}

// removeSlot empties slot i, moving back the entries after it whose probe
// would otherwise cross the hole.
func (t *setTable) removeSlot(i int) {
	t.garbage += t.entrySize(uint32(t.slots[i]) - 1)
	t.count--
	mask := t.mask()
	for j := (i + 1) & mask; t.slots[j] != 0; j = (j + 1) & mask {
		home := int(t.slots[j]>>32) & mask
		// The entry at j may fill the hole at i unless its home lies
		// cyclically in (i, j].
		if (j > i && (home <= i || home > j)) || (j < i && home <= i && home > j) {
			t.slots[i] = t.slots[j]
			i = j
		}
	}
	t.slots[i] = 0
	if t.garbage > 1024 && t.garbage > len(t.arena)/2 {
		t.compact()
	}
}

// randomSlot returns an occupied slot chosen uniformly.
func (t *setTable) randomSlot() int {
	for {
		if i := rand.IntN(len(t.slots)); t.slots[i] != 0 {
			return i
		}
	}
}

// maybeShrink resizes a table that has fallen under 1/8 full, as Redis
// resizes tables under 10% full, so random draws stay cheap.
func (t *setTable) maybeShrink() {
	if len(t.slots) > setTableMinSlots && t.count*8 < len(t.slots) {
		t.rehash(setSlotsFor(t.count))
	}
}

// compact rewrites the arena without the removed members' bytes.
func (t *setTable) compact() {
	arena := make([]byte, 0, len(t.arena)-t.garbage+len(t.arena)/8)
	for i, slot := range t.slots {
		if slot == 0 {
			continue
		}
		off := uint32(slot) - 1
		t.slots[i] = slot&^0xffffffff | uint64(len(arena)+1)
		arena = append(arena, t.arena[off:int(off)+t.entrySize(off)]...)
	}
	t.arena = arena
	t.garbage = 0
}

func (t *setTable) rehash(size int) {
	old := t.slots
	t.slots = make([]uint64, size)
	mask := size - 1
	for _, slot := range old {
		if slot == 0 {
			continue
		}
		i := int(slot>>32) & mask
		for t.slots[i] != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = slot
	}
}

// scanBucket calls fn for the members whose home is the cursor's bucket
// and returns the next cursor in reverse-binary order.
func (t *setTable) scanBucket(cursor uint64, fn func([]byte)) uint64 {
	mask := uint64(t.mask())
	b := cursor & mask
	for i := b; t.slots[i] != 0; i = (i + 1) & mask {
		if slot := t.slots[i]; uint64(slot>>32)&mask == b {
			fn(t.member(slot))
		}
	}
	return scancursor.Next(cursor, mask)
}
