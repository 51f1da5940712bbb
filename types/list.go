package types

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"slices"
	"strconv"
	"sync"

	"petrel/internal/lzf"
	"petrel/internal/num"
)

// List is the list value: a quicklist, a sequence of nodes each holding a
// run of elements packed into one byte slice, so a list costs a few bytes
// of overhead per element instead of a slice header and an allocation.
//
// Entry format, chosen so a node can be walked in both directions:
//
//	tag      uvarint: len<<1 for a string, zigzag(v)<<1|1 for an integer
//	data     the string's bytes (none for an integer)
//	backlen  the size of tag+data, as base-128 digits read right to left:
//	         the last byte holds the low 7 bits, 0x80 marks more to its left
//
// Integers are strings that Redis would store as integers (canonical
// decimal int64), kept as their value, which is what makes lists of numbers
// as small as Redis's listpacks.
//
// Nodes live in a slice with free room at both ends so pushes and pops at
// either end are O(1) amortized; within a node the entries occupy b[off:],
// and the room before off takes pushes at the head without moving the rest.
// Node sizes follow list-max-listpack-size (the fill argument of the
// mutating methods): a negative fill caps a node's bytes at 4, 8, 16, 32 or
// 64 KiB, a positive one its element count (and its bytes at 8 KiB).
//
// Compression follows list-compress-depth as Redis's quicklist does: the
// depth nodes at each end stay raw, where pushes and pops work, and every
// node between them holds its entries LZF-compressed, unless they are
// shorter than minCompressBytes or compress to fewer than
// minCompressImprove bytes less. Reads decompress a node into a temporary
// buffer; changes decompress it in place and compress it again afterwards
// (settle), as do nodes that enter or leave the raw ends when nodes come
// and go. Like Redis, a list keeps the depth it was created with.
//
// Values returned by the reading methods alias the list's memory (or the
// caller's scratch for integers, or a decompressed copy) and are valid
// until the list is next modified.
type List struct {
	nodes  []lnode // live nodes are nodes[lo:hi]; len(nodes) == cap(nodes)
	lo, hi int
	count  int
	depth  int // raw nodes at each end; 0 compresses nothing
}

type lnode struct {
	b   []byte // raw: the entries are b[off:]; packed: their LZF compression
	off int32  // raw: where the entries start; packed: their size
	// n counts the entries. Node limits keep it below 4097 (an entry
	// takes at least 2 of a node's at most 8 KiB), as Redis keeps its
	// nodes' counts in 16 bits.
	n      uint16
	packed bool // b holds the entries LZF-compressed
	// dense marks a raw node in the compressed middle whose entries, as
	// they are, compress too little: no use trying again until they change.
	dense bool
}

// Scratch is where integer elements are formatted when read.
type Scratch [20]byte

// NewList returns an empty list.
func NewList() *List { return &List{} }

// Type reports "list".
func (l *List) Type() string { return "list" }

// Encoding reports "quicklist": Redis 7.0 gives every list that encoding,
// whatever its size.
func (l *List) Encoding() string { return "quicklist" }

// Len returns the number of elements.
func (l *List) Len() int { return l.count }

// Copy returns a deep copy, with the same compress depth.
func (l *List) Copy() Value {
	c := &List{count: l.count, hi: l.hi - l.lo, depth: l.depth}
	c.nodes = make([]lnode, c.hi)
	for i := range c.nodes {
		src := &l.nodes[l.lo+i]
		if src.packed {
			c.nodes[i] = *src
			c.nodes[i].b = slices.Clone(src.b)
			continue
		}
		c.nodes[i] = lnode{b: slices.Clone(src.b[src.off:]), n: src.n, dense: src.dense}
	}
	return c
}

// MaxCompressDepth is the largest list-compress-depth a list applies, as in
// Redis, which keeps it in 16 bits.
const MaxCompressDepth = 1<<16 - 1

// SetCompressDepth sets how many nodes at each end stay uncompressed (0:
// none is compressed), list-compress-depth. Redis applies the setting to
// the lists it creates, so the server calls this on a new list.
func (l *List) SetCompressDepth(depth int) {
	l.depth = min(max(depth, 0), MaxCompressDepth)
	for i := 0; i < l.nlen(); i++ {
		l.fix(i)
	}
}

// CompressDepth returns the list's compress depth.
func (l *List) CompressDepth() int { return l.depth }

// --- entries ---

const (
	// maxNodeSafety is the byte cap of a node under a positive fill,
	// Redis's SIZE_SAFETY_LIMIT.
	maxNodeSafety = 8192
	// maxFill is the largest per-node element count, Redis's FILL_MAX.
	maxFill = 1<<15 - 1
)

// limits is a node's capacity under a fill setting.
type limits struct {
	bytes int
	count int // 0: no count limit
}

// nodeBytesDivisor scales the byte sizes of negative fills down: a node of
// -2 holds 2 KiB, not Redis's 8 KiB. Redis 7.0 shows node sizes nowhere
// (OBJECT ENCODING is always "quicklist"), and a garbage-collected node
// cannot be grown in place as Redis reallocs its listpacks, so smaller
// nodes are what keep the partly filled end nodes' spare room and the
// garbage of their growth small; the setting keeps its relative meaning.
const nodeBytesDivisor = 8

func limitsFor(fill int) limits {
	if fill < 0 {
		if fill < -5 {
			fill = -5
		}
		return limits{bytes: 4096 << (-fill - 1) / nodeBytesDivisor}
	}
	// Under a count limit Redis lets a node take another element only
	// while it holds fewer than fill, so 0 behaves as 1.
	return limits{bytes: maxNodeSafety, count: max(min(fill, maxFill), 1)}
}

// presize is the capacity of a node started at an end of a list that has
// outgrown its first node: such a list is likely to keep growing, so the
// node gets its full size at once instead of being copied as it fills.
func (lim limits) presize(size int) int {
	if lim.count > 0 {
		return min(lim.bytes, size*lim.count)
	}
	return lim.bytes
}

// used is the size of the node's entries (uncompressed).
func (n *lnode) used() int {
	if n.packed {
		return int(n.off)
	}
	return len(n.b) - int(n.off)
}

func (n *lnode) allows(size int, lim limits) bool {
	return n.used()+size <= lim.bytes && (lim.count == 0 || int(n.n) < lim.count)
}

func uvarintLen(v uint64) int { return max(1, (bits.Len64(v)+6)/7) }

func zigzag(v int64) uint64   { return uint64(v<<1) ^ uint64(v>>63) }
func unzigzag(u uint64) int64 { return int64(u>>1) ^ -int64(u&1) }

// elem is a value prepared for storing.
type elem struct {
	v    []byte
	tag  uint64
	tlen int // bytes of the tag
	body int // tag + data
	size int // whole entry
}

func makeElem(v []byte) elem {
	e := elem{v: v}
	if iv, ok := num.ParseInt(v); ok && zigzag(iv) < 1<<63 {
		e.tag = zigzag(iv)<<1 | 1
		e.tlen = uvarintLen(e.tag)
		e.body = e.tlen
	} else {
		e.tag = uint64(len(v)) << 1
		e.tlen = uvarintLen(e.tag)
		e.body = e.tlen + len(v)
	}
	e.size = e.body + uvarintLen(uint64(e.body))
	return e
}

// put writes the entry into dst, which is exactly e.size bytes.
func (e *elem) put(dst []byte) {
	binary.PutUvarint(dst, e.tag)
	if e.tag&1 == 0 {
		copy(dst[e.tlen:], e.v)
	}
	putBacklen(dst[e.body:], uint64(e.body))
}

func putBacklen(dst []byte, s uint64) {
	for i := len(dst) - 1; i >= 0; i-- {
		c := byte(s & 0x7f)
		s >>= 7
		if i > 0 {
			c |= 0x80
		}
		dst[i] = c
	}
}

// readTag decodes the tag at b[off:], returning it and its length.
func readTag(b []byte, off int) (uint64, int) {
	if c := b[off]; c < 0x80 {
		return uint64(c), 1
	}
	return binary.Uvarint(b[off:])
}

// entryEnd returns the offset just past the entry starting at off.
func entryEnd(b []byte, off int) int {
	tag, tn := readTag(b, off)
	body := tn
	if tag&1 == 0 {
		body += int(tag >> 1)
	}
	return off + body + uvarintLen(uint64(body))
}

// entryStart returns the offset of the entry ending at end.
func entryStart(b []byte, end int) int {
	c := b[end-1]
	if c < 0x80 {
		return end - 1 - int(c)
	}
	s, n := 0, 0
	for {
		c := b[end-1-n]
		s |= int(c&0x7f) << (7 * n)
		n++
		if c&0x80 == 0 {
			break
		}
	}
	return end - n - s
}

// entryAt decodes the entry at off: its value (integers formatted into sc)
// and the offset past it.
func entryAt(b []byte, off int, sc *Scratch) ([]byte, int) {
	tag, tn := readTag(b, off)
	var v []byte
	body := tn
	if tag&1 != 0 {
		v = strconv.AppendInt(sc[:0], unzigzag(tag>>1), 10)
	} else {
		l := int(tag >> 1)
		v = b[off+tn : off+tn+l]
		body += l
	}
	if body < 0x80 {
		return v, off + body + 1
	}
	return v, off + body + uvarintLen(uint64(body))
}

// matcher tests entries for equality with a value without decoding them.
type matcher struct {
	v     []byte
	iv    int64
	isInt bool
}

func newMatcher(v []byte) matcher {
	e := makeElem(v)
	m := matcher{v: v, isInt: e.tag&1 != 0}
	if m.isInt {
		m.iv = unzigzag(e.tag >> 1)
	}
	return m
}

// match reports whether the entry at off equals the value, and returns the
// offset past it. Every value has one encoding, so an integer entry never
// equals a string value and the other way round.
func (m *matcher) match(b []byte, off int) (bool, int) {
	tag, tn := readTag(b, off)
	body := tn
	eq := false
	if tag&1 != 0 {
		eq = m.isInt && unzigzag(tag>>1) == m.iv
	} else {
		l := int(tag >> 1)
		eq = !m.isInt && l == len(m.v) && bytes.Equal(b[off+tn:off+tn+l], m.v)
		body += l
	}
	return eq, off + body + uvarintLen(uint64(body))
}

// --- node storage ---

// growCap picks a node buffer's new capacity for need bytes: doubling,
// so a node growing one element at a time is copied O(log n) times, but
// never past the node's limit, so a full node wastes less than an element.
func growCap(used, need, limit int) int {
	c := max(2*used, need, 16)
	if c > limit {
		c = max(need, limit)
	}
	return c
}

// reserveBack makes room for k more bytes after the entries.
func (n *lnode) reserveBack(k int, lim limits) {
	if cap(n.b)-len(n.b) >= k {
		return
	}
	used := n.used()
	nb := slices.Grow([]byte(nil), growCap(used, used+k, lim.bytes))
	n.b = append(nb, n.b[n.off:]...)
	n.off = 0
}

// reserveFront makes room for k more bytes before the entries.
func (n *lnode) reserveFront(k int, lim limits) {
	if int(n.off) >= k {
		return
	}
	used := n.used()
	nb := slices.Grow([]byte(nil), growCap(used, used+k, lim.bytes))
	nb = nb[:cap(nb)]
	off := len(nb) - used
	copy(nb[off:], n.b[n.off:])
	n.b, n.off = nb, int32(off)
}

func (n *lnode) appendElem(e *elem, lim limits) {
	n.dense = false
	n.reserveBack(e.size, lim)
	end := len(n.b)
	n.b = n.b[:end+e.size]
	e.put(n.b[end:])
	n.n++
}

func (n *lnode) prependElem(e *elem, lim limits) {
	n.dense = false
	n.reserveFront(e.size, lim)
	n.off -= int32(e.size)
	e.put(n.b[n.off : int(n.off)+e.size])
	n.n++
}

// splice replaces the bytes b[a:z] (absolute offsets at entry boundaries)
// with e's entry, or removes them when e is nil.
func (n *lnode) splice(a, z int, e *elem, lim limits) {
	n.dense = false
	size := 0
	if e != nil {
		size = e.size
	}
	delta := size - (z - a)
	switch {
	case delta > 0:
		// Grow toward the end with the smaller tail to move.
		if a-int(n.off) < len(n.b)-z && int(n.off) >= delta {
			copy(n.b[int(n.off)-delta:], n.b[n.off:a])
			n.off -= int32(delta)
			a -= delta
		} else {
			if cap(n.b)-len(n.b) < delta {
				rel := a - int(n.off)
				relz := z - int(n.off)
				n.reserveBack(delta, limits{bytes: max(lim.bytes, n.used()+delta)})
				a, z = int(n.off)+rel, int(n.off)+relz
			}
			old := len(n.b)
			n.b = n.b[:old+delta]
			copy(n.b[z+delta:], n.b[z:old])
		}
	case delta < 0:
		if a-int(n.off) < len(n.b)-z {
			copy(n.b[int(n.off)-delta:], n.b[n.off:a])
			n.off -= int32(delta)
			a -= delta
		} else {
			copy(n.b[a+size:], n.b[z:])
			n.b = n.b[:len(n.b)+delta]
		}
	}
	if e != nil {
		e.put(n.b[a : a+size])
	}
}

// skipForward returns the offset of the k-th entry (from 0) of the node.
func (n *lnode) skipForward(k int) int {
	off := int(n.off)
	for ; k > 0; k-- {
		off = entryEnd(n.b, off)
	}
	return off
}

// skipBackward returns the offset just past the entry k places before the
// node's last one, that is the end of entry n-1-k.
func (n *lnode) skipBackward(k int) int {
	end := len(n.b)
	for ; k > 0; k-- {
		end = entryStart(n.b, end)
	}
	return end
}

// offsetOf returns the offset of the node's entry i, walking from the
// nearer end.
func (n *lnode) offsetOf(i int) int {
	if i <= int(n.n)/2 {
		return n.skipForward(i)
	}
	return entryStart(n.b, n.skipBackward(int(n.n)-1-i))
}

// --- compression ---

const (
	// minCompressBytes is the size below which a node is not compressed,
	// Redis's MIN_COMPRESS_BYTES.
	minCompressBytes = 48
	// minCompressImprove is Redis's MIN_COMPRESS_IMPROVE: a node stays
	// raw unless compressing it saves more than this many bytes.
	minCompressImprove = 8
	// maxPooledBuf caps the size of the buffers kept for reuse.
	maxPooledBuf = 1 << 16
)

// nodeBufs holds buffers for compressing nodes and for reading compressed
// ones.
var nodeBufs = sync.Pool{New: func() any { return new([]byte) }}

func getBuf() *[]byte { return nodeBufs.Get().(*[]byte) }

func putBuf(p *[]byte) {
	if cap(*p) <= maxPooledBuf {
		nodeBufs.Put(p)
	}
}

// pack compresses the raw node's entries if that saves enough, else marks
// it dense.
func (n *lnode) pack() {
	used := n.used()
	if used < minCompressBytes {
		return
	}
	bp := getBuf()
	room := used - minCompressImprove - 1
	buf := slices.Grow((*bp)[:0], room)[:room]
	*bp = buf
	if c := lzf.Compress(buf, n.b[n.off:]); c != nil {
		n.b, n.off, n.packed, n.dense = slices.Clone(c), int32(used), true, false
	} else {
		n.dense = true
	}
	putBuf(bp)
}

// unpack decompresses the packed node in place.
func (n *lnode) unpack() {
	raw, err := lzf.Decompress(make([]byte, 0, n.off), n.b, int(n.off))
	if err != nil {
		panic("types: corrupt compressed list node: " + err.Error())
	}
	n.b, n.off, n.packed = raw, 0, false
}

// view returns the node with readable entries: the node itself when raw,
// else a raw copy decompressed into *buf.
func (n *lnode) view(buf *[]byte) lnode {
	if !n.packed {
		return *n
	}
	raw, err := lzf.Decompress((*buf)[:0], n.b, int(n.off))
	if err != nil {
		panic("types: corrupt compressed list node: " + err.Error())
	}
	*buf = raw
	return lnode{b: raw, n: n.n}
}

// open makes node i raw for a change to its entries.
func (l *List) open(i int) *lnode {
	nd := l.node(i)
	if nd.packed {
		nd.unpack()
	}
	nd.dense = false
	return nd
}

// inner reports whether position i lies in the compressed middle.
func (l *List) inner(i int) bool {
	return l.depth > 0 && i >= l.depth && i < l.nlen()-l.depth
}

// fix gives node i the form its position calls for.
func (l *List) fix(i int) {
	nd := l.node(i)
	switch {
	case l.inner(i):
		if !nd.packed && !nd.dense {
			nd.pack()
		}
	case nd.packed:
		nd.unpack()
	default:
		nd.dense = false
	}
}

// settle restores the compression layout after a change that left the
// nodes at positions [a, b) new or changed, and moved the others headShift
// places away from the head (negative: toward it) and tailShift places
// away from the tail. Besides the changed nodes, only moved nodes that
// crossed the edge of a raw end need another form, so the work does not
// grow with the list or the depth.
func (l *List) settle(a, b, headShift, tailShift int) {
	if l.depth == 0 {
		return
	}
	last := l.nlen() - 1
	for i := max(a, 0); i < min(b, last+1); i++ {
		l.fix(i)
	}
	lo, hi := crossed(l.depth, headShift)
	for i := max(lo, 0); i < min(hi, last+1); i++ {
		l.fix(i)
	}
	lo, hi = crossed(l.depth, tailShift)
	for d := max(lo, 0); d < min(hi, last+1); d++ {
		l.fix(last - d)
	}
}

// settleAll gives every node its form, after changes all over the list.
func (l *List) settleAll() {
	if l.depth > 0 {
		for i := 0; i < l.nlen(); i++ {
			l.fix(i)
		}
	}
}

// crossed returns the distances from an end, [lo, hi), at which nodes that
// moved shift places away from it (negative: toward it) may have crossed
// the edge of the raw end.
func crossed(depth, shift int) (int, int) {
	if shift >= 0 {
		return depth, depth + shift
	}
	return depth + shift, depth
}

// --- the node sequence ---
//
// Node positions below are relative to the first live node (0..nlen-1), so
// they stay valid when the node slice is reallocated.

func (l *List) nlen() int { return l.hi - l.lo }

func (l *List) node(i int) *lnode { return &l.nodes[l.lo+i] }

// makeRoom ensures a free slot before the first node (front) or after the
// last one. Growing keeps at most as much room on the other side as there
// are nodes, so a list used as a queue does not drift through ever larger
// slices.
func (l *List) makeRoom(front bool) {
	if front && l.lo > 0 || !front && l.hi < len(l.nodes) {
		return
	}
	live := l.nlen()
	grow := max(live, 1)
	before, after := min(l.lo, live), min(len(l.nodes)-l.hi, live)
	if front {
		before = grow
	} else {
		after = grow
	}
	nn := make([]lnode, before+live+after)
	copy(nn[before:], l.nodes[l.lo:l.hi])
	l.nodes, l.lo, l.hi = nn, before, before+live
}

// insertNode puts nd at position i, shifting later nodes one place.
func (l *List) insertNode(i int, nd lnode) {
	if i == 0 {
		l.makeRoom(true)
		l.lo--
		l.nodes[l.lo] = nd
		return
	}
	l.makeRoom(false)
	at := l.lo + i
	copy(l.nodes[at+1:l.hi+1], l.nodes[at:l.hi])
	l.hi++
	l.nodes[at] = nd
}

// removeNode drops the node at position i.
func (l *List) removeNode(i int) {
	at := l.lo + i
	switch {
	case at == l.lo:
		l.nodes[at] = lnode{}
		l.lo++
	case at == l.hi-1:
		l.nodes[at] = lnode{}
		l.hi--
	default:
		copy(l.nodes[at:], l.nodes[at+1:l.hi])
		l.hi--
		l.nodes[l.hi] = lnode{}
	}
	if l.lo == l.hi {
		l.nodes, l.lo, l.hi = nil, 0, 0
	}
}

// newNode returns a node holding just e with room for c bytes, the entry
// placed at the end of the room when the node is to grow toward the head.
func newNode(e *elem, c int, forHead bool) lnode {
	b := slices.Grow([]byte(nil), max(c, e.size))
	if forHead {
		b = b[:cap(b)]
		off := len(b) - e.size
		e.put(b[off:])
		return lnode{b: b, off: int32(off), n: 1}
	}
	b = b[:e.size]
	e.put(b)
	return lnode{b: b, n: 1}
}

// locate returns the position of the node holding element i and i's
// position within that node.
func (l *List) locate(i int) (int, int) {
	if i < l.count/2 {
		ni := 0
		for i >= int(l.node(ni).n) {
			i -= int(l.node(ni).n)
			ni++
		}
		return ni, i
	}
	j := l.count - 1 - i // position from the tail
	ni := l.nlen() - 1
	for j >= int(l.node(ni).n) {
		j -= int(l.node(ni).n)
		ni--
	}
	return ni, int(l.node(ni).n) - 1 - j
}

func (n *lnode) overLimits(lim limits) bool {
	return n.n > 1 && (n.used() > lim.bytes || lim.count > 0 && int(n.n) > lim.count)
}

// splitIfNeeded splits node ni in halves, recursively, while it holds more
// than its limits allow and more than one element, as a set or an insert in
// its middle can leave it.
func (l *List) splitIfNeeded(ni int, lim limits) {
	nd := l.node(ni)
	if !nd.overLimits(lim) {
		return
	}
	// Cut at the first entry boundary at or past half the bytes, keeping
	// at least one entry on each side.
	cut, k := entryEnd(nd.b, int(nd.off)), 1
	for k < int(nd.n)-1 && cut-int(nd.off) < nd.used()/2 {
		cut = entryEnd(nd.b, cut)
		k++
	}
	right := lnode{b: slices.Clone(nd.b[cut:]), n: nd.n - uint16(k)}
	nd.b = slices.Clip(nd.b[:cut])
	nd.n = uint16(k)
	l.insertNode(ni+1, right)
	// The right half first: splitting it does not move the left one.
	l.splitIfNeeded(ni+1, lim)
	l.splitIfNeeded(ni, lim)
}

// compact drops empty nodes and merges neighbours that fit in one node,
// after removals in the middle of the list.
func (l *List) compact(lim limits) {
	for i := 0; i < l.nlen(); {
		a := l.node(i)
		if a.n == 0 {
			l.removeNode(i)
			continue
		}
		if i+1 >= l.nlen() {
			break
		}
		z := l.node(i + 1)
		if z.n == 0 {
			l.removeNode(i + 1)
			continue
		}
		if a.used()+z.used() > lim.bytes || lim.count > 0 && int(a.n)+int(z.n) > lim.count {
			i++
			continue
		}
		a, z = l.open(i), l.open(i+1)
		a.reserveBack(z.used(), lim)
		a.b = append(a.b, z.b[z.off:]...)
		a.n += z.n
		l.removeNode(i + 1)
	}
}

// --- public operations ---

// Push adds v at the tail (or the head).
func (l *List) Push(v []byte, tail bool, fill int) {
	e := makeElem(v)
	lim := limitsFor(fill)
	l.count++
	if l.nlen() == 0 {
		l.nodes = make([]lnode, 1)
		l.lo, l.hi = 0, 1
		l.nodes[0] = newNode(&e, e.size, !tail)
		return
	}
	if tail {
		nd := l.node(l.nlen() - 1)
		if nd.allows(e.size, lim) {
			nd.appendElem(&e, lim)
			return
		}
		l.makeRoom(false)
		l.nodes[l.hi] = newNode(&e, lim.presize(e.size), false)
		l.hi++
		l.settle(0, 0, 0, 1)
		return
	}
	nd := l.node(0)
	if nd.allows(e.size, lim) {
		nd.prependElem(&e, lim)
		return
	}
	l.makeRoom(true)
	l.lo--
	l.nodes[l.lo] = newNode(&e, lim.presize(e.size), true)
	l.settle(0, 0, 1, 0)
}

// Pop removes and returns the tail (or head) element; ok is false when the
// list is empty. The end nodes are never compressed.
func (l *List) Pop(tail bool, sc *Scratch) (v []byte, ok bool) {
	if l.count == 0 {
		return nil, false
	}
	l.count--
	if tail {
		ni := l.nlen() - 1
		nd := l.node(ni)
		start := entryStart(nd.b, len(nd.b))
		v, _ = entryAt(nd.b, start, sc)
		nd.b = nd.b[:start]
		if nd.n--; nd.n == 0 {
			l.removeNode(ni)
			l.settle(0, 0, 0, -1)
		}
		return v, true
	}
	nd := l.node(0)
	v, end := entryAt(nd.b, int(nd.off), sc)
	nd.off = int32(end)
	if nd.n--; nd.n == 0 {
		l.removeNode(0)
		l.settle(0, 0, -1, 0)
	}
	return v, true
}

// Index returns element i (0-based, already normalised to 0..Len-1).
func (l *List) Index(i int, sc *Scratch) []byte {
	ni, k := l.locate(i)
	nd := l.node(ni)
	if !nd.packed {
		v, _ := entryAt(nd.b, nd.offsetOf(k), sc)
		return v
	}
	bp := getBuf()
	vw := nd.view(bp)
	v, _ := entryAt(vw.b, vw.offsetOf(k), sc)
	// The buffer goes back to the pool: copy the element out of it.
	if len(v) <= len(sc) {
		v = append(sc[:0], v...)
	} else {
		v = slices.Clone(v)
	}
	putBuf(bp)
	return v
}

// Set replaces element i (0..Len-1) with v.
func (l *List) Set(i int, v []byte, fill int) {
	e := makeElem(v)
	lim := limitsFor(fill)
	ni, k := l.locate(i)
	nd := l.open(ni)
	a := nd.offsetOf(k)
	nd.splice(a, entryEnd(nd.b, a), &e, lim)
	l.splitAndSettle(ni, lim)
}

// splitAndSettle splits node ni, just changed, as its limits require,
// and settles the compression of the result.
func (l *List) splitAndSettle(ni int, lim limits) {
	before := l.nlen()
	l.splitIfNeeded(ni, lim)
	added := l.nlen() - before
	l.settle(ni, ni+added+1, added, added)
}

// Insert puts v before (or after) the first element equal to pivot and
// reports whether the pivot was found.
func (l *List) Insert(pivot []byte, after bool, v []byte, fill int) bool {
	m := newMatcher(pivot)
	var bp *[]byte
	defer func() {
		if bp != nil {
			putBuf(bp)
		}
	}()
	for ni := 0; ni < l.nlen(); ni++ {
		nd := l.node(ni)
		vw := *nd
		if nd.packed {
			if bp == nil {
				bp = getBuf()
			}
			vw = nd.view(bp)
		}
		off := int(vw.off)
		for k := 0; k < int(vw.n); k++ {
			eq, end := m.match(vw.b, off)
			if eq {
				at := off
				if after {
					at = end
				}
				l.insertAt(ni, at-int(vw.off), v, fill)
				return true
			}
			off = end
		}
	}
	return false
}

// insertAt inserts v at offset rel (an entry boundary) of node ni's
// entries.
func (l *List) insertAt(ni, rel int, v []byte, fill int) {
	e := makeElem(v)
	lim := limitsFor(fill)
	l.count++
	nd := l.node(ni)
	if nd.allows(e.size, lim) {
		nd = l.open(ni)
		at := int(nd.off) + rel
		nd.splice(at, at, &e, lim)
		nd.n++
		l.settle(ni, ni+1, 0, 0)
		return
	}
	// A full node: at one of its edges, use the neighbour there if it has
	// room, else a new node.
	switch {
	case rel == nd.used():
		if ni+1 < l.nlen() && l.node(ni+1).allows(e.size, lim) {
			l.open(ni+1).prependElem(&e, lim)
			l.settle(ni+1, ni+2, 0, 0)
		} else {
			l.insertNode(ni+1, newNode(&e, e.size, true))
			l.settle(ni+1, ni+2, 1, 1)
		}
	case rel == 0:
		if ni > 0 && l.node(ni-1).allows(e.size, lim) {
			l.open(ni-1).appendElem(&e, lim)
			l.settle(ni-1, ni, 0, 0)
		} else {
			l.insertNode(ni, newNode(&e, e.size, false))
			l.settle(ni, ni+1, 1, 1)
		}
	default:
		nd = l.open(ni)
		at := int(nd.off) + rel
		nd.splice(at, at, &e, lim)
		nd.n++
		l.splitAndSettle(ni, lim)
	}
}

// Remove deletes up to count elements equal to v, from the head when count
// is positive, from the tail when negative, all of them when zero, and
// returns how many it removed.
func (l *List) Remove(v []byte, count int, fill int) int {
	m := newMatcher(v)
	removed := 0
	bp := getBuf()
	if count >= 0 {
		for ni := 0; ni < l.nlen() && (count == 0 || removed < count); ni++ {
			k := 0
			if count > 0 {
				k = count - removed
			}
			nd := l.node(ni)
			if nd.packed {
				// Decompressed for good only if it has something to go.
				if vw := nd.view(bp); vw.countMatches(&m) == 0 {
					continue
				}
				nd = l.open(ni)
			}
			removed += nd.removeMatches(&m, 0, k)
		}
	} else {
		limit := -count
		for ni := l.nlen() - 1; ni >= 0 && removed < limit; ni-- {
			vw := l.node(ni).view(bp)
			total := vw.countMatches(&m)
			if k := min(total, limit-removed); k > 0 {
				removed += l.open(ni).removeMatches(&m, total-k, k)
			}
		}
	}
	putBuf(bp)
	if removed > 0 {
		l.count -= removed
		l.compact(limitsFor(fill))
		l.settleAll()
	}
	return removed
}

func (n *lnode) countMatches(m *matcher) int {
	c := 0
	off := int(n.off)
	for k := 0; k < int(n.n); k++ {
		eq, end := m.match(n.b, off)
		if eq {
			c++
		}
		off = end
	}
	return c
}

// removeMatches deletes the node's matches number skip to skip+limit-1
// (limit 0: all from skip on), compacting in place, and returns how many.
func (n *lnode) removeMatches(m *matcher, skip, limit int) int {
	off := int(n.off)
	w := off
	seen, removed := 0, 0
	count := int(n.n)
	for k := 0; k < count; k++ {
		eq, end := m.match(n.b, off)
		drop := false
		if eq {
			drop = seen >= skip && (limit == 0 || removed < limit)
			seen++
		}
		if drop {
			removed++
		} else {
			if w != off {
				copy(n.b[w:], n.b[off:end])
			}
			w += end - off
		}
		off = end
	}
	n.b = n.b[:w]
	n.n -= uint16(removed)
	if removed > 0 {
		n.dense = false
	}
	return removed
}

// Trim deletes head elements from the head and tail from the tail.
func (l *List) Trim(head, tail int) {
	if head+tail >= l.count {
		l.nodes, l.lo, l.hi, l.count = nil, 0, 0, 0
		return
	}
	l.count -= head + tail
	droppedHead, droppedTail := 0, 0
	for head > 0 {
		nd := l.node(0)
		if int(nd.n) <= head {
			head -= int(nd.n)
			l.removeNode(0)
			droppedHead++
			continue
		}
		nd = l.open(0)
		nd.off = int32(nd.skipForward(head))
		nd.n -= uint16(head)
		head = 0
	}
	for tail > 0 {
		ni := l.nlen() - 1
		nd := l.node(ni)
		if int(nd.n) <= tail {
			tail -= int(nd.n)
			l.removeNode(ni)
			droppedTail++
			continue
		}
		nd = l.open(ni)
		nd.b = nd.b[:nd.skipBackward(tail)]
		nd.n -= uint16(tail)
		tail = 0
	}
	l.settle(0, 0, -droppedHead, -droppedTail)
}

// Pos finds the elements equal to v: walking from the head (or from the
// tail when reverse), it skips the first skip matches, then calls emit with
// the index of each further match until emit returns false, looking at no
// more than maxlen elements (0: all).
func (l *List) Pos(v []byte, reverse bool, skip, maxlen int, emit func(index int) bool) {
	m := newMatcher(v)
	seen, scanned := 0, 0
	bp := getBuf()
	defer putBuf(bp)
	if !reverse {
		for ni := 0; ni < l.nlen(); ni++ {
			nd := l.node(ni).view(bp)
			off := int(nd.off)
			for k := 0; k < int(nd.n); k++ {
				if maxlen > 0 && scanned >= maxlen {
					return
				}
				eq, end := m.match(nd.b, off)
				if eq {
					if seen >= skip && !emit(scanned) {
						return
					}
					seen++
				}
				off = end
				scanned++
			}
		}
		return
	}
	for ni := l.nlen() - 1; ni >= 0; ni-- {
		nd := l.node(ni).view(bp)
		end := len(nd.b)
		for k := 0; k < int(nd.n); k++ {
			if maxlen > 0 && scanned >= maxlen {
				return
			}
			start := entryStart(nd.b, end)
			if eq, _ := m.match(nd.b, start); eq {
				if seen >= skip && !emit(l.count-1-scanned) {
					return
				}
				seen++
			}
			end = start
			scanned++
		}
	}
}

// ListIter walks a list's elements in order from some index. The values
// it returns are valid until the next call to Next (a compressed node is
// read from a buffer that the next one reuses) or a change to the list.
type ListIter struct {
	l    *List
	ni   int   // index of the current node in l.nodes
	cur  lnode // the current node, readable
	off  int   // the next entry's offset in cur
	left int   // elements still to return
	buf  *[]byte
	sc   Scratch
}

// Iter returns an iterator over n elements starting at index start (both
// already within the list).
func (l *List) Iter(start, n int) ListIter {
	it := ListIter{l: l, left: n}
	if n > 0 {
		ni, k := l.locate(start)
		it.ni = l.lo + ni
		it.load()
		it.off = it.cur.offsetOf(k)
	}
	return it
}

// load makes node it.ni the current one.
func (it *ListIter) load() {
	nd := &it.l.nodes[it.ni]
	if !nd.packed {
		it.cur = *nd
		return
	}
	if it.buf == nil {
		it.buf = getBuf()
	}
	it.cur = nd.view(it.buf)
}

// Next returns the next element, or ok false at the end.
func (it *ListIter) Next() (v []byte, ok bool) {
	if it.left == 0 {
		if it.buf != nil {
			putBuf(it.buf)
			it.buf = nil
		}
		return nil, false
	}
	it.left--
	if it.off >= len(it.cur.b) {
		it.ni++
		it.load()
		it.off = int(it.cur.off)
	}
	v, it.off = entryAt(it.cur.b, it.off, &it.sc)
	return v, true
}

// DigestEach calls fn with every element in order, for DEBUG DIGEST.
func (l *List) DigestEach(fn func(parts ...[]byte)) {
	it := l.Iter(0, l.count)
	for v, ok := it.Next(); ok; v, ok = it.Next() {
		fn(v)
	}
}

// MemoryUsage estimates the bytes the list holds, for MEMORY USAGE:
// the list and node headers, plus the node buffers, extrapolated from the
// first samples nodes (0: all).
func (l *List) MemoryUsage(samples int) int64 {
	const listSize, nodeSize = 48, 32
	n := int64(listSize + nodeSize*len(l.nodes))
	live := l.hi - l.lo
	if live == 0 {
		return n
	}
	k := live
	if samples > 0 && samples < live {
		k = samples
	}
	var sum int64
	for i := 0; i < k; i++ {
		sum += int64(cap(l.nodes[l.lo+i].b))
	}
	return n + sum*int64(live)/int64(k)
}
