package types

import (
	"hash/maphash"
	"math/bits"
	"math/rand/v2"
	"unsafe"

	"petrel/internal/scancursor"
)

// The big sorted-set encoding: a skiplist with spans, ordered by (score,
// member bytes), so ranks cost O(log n), plus a member index. The index is
// intrusive: every node carries its hash and the link of its bucket's chain,
// so a member costs one node and one string, with no map entry besides.
// The bucket array is a power of two, which lets ZSCAN walk it with the
// reverse-binary cursor that keeps SCAN's guarantee across resizes.

const (
	// zslMaxLevel is the tallest a node can be, as in Redis.
	zslMaxLevel = 32
	// zslMinBuckets is the smallest index size.
	zslMinBuckets = 8
)

var zslSeed = maphash.MakeSeed()

func zslHash(m []byte) uint32 { return uint32(maphash.Bytes(zslSeed, m)) }

// zslLevel is a node's link at one level above the first: the next node at
// that level, that node's score, and how many first-level steps it skips. A
// nil forward's span is the number of nodes after this one.
//
// The forward's score is kept in the link so that a walk deciding whether to
// step right reads only the node it stands on: the step it does not take,
// one per level, costs no cache miss (ZADD on half a million members spends
// most of its time waiting for those).
type zslLevel struct {
	forward *zslNode
	score   float64
	span    int
}

// zslNode is one member. Its first level is inline (its span is always 1)
// since three nodes in four have no other; a taller node's upper levels
// follow it in the same allocation (zslNode2 and the like), so no pointer
// leads to them.
type zslNode struct {
	member    string
	score     float64
	backward  *zslNode // nil for the first node
	next      *zslNode // first-level forward link
	nextScore float64  // next's score
	hnext     *zslNode // next node in the same index bucket
	hash      uint32
	level     uint8
}

// Taller nodes are allocated together with their upper levels, which then
// sit next to the node in memory: a walk down the list touches one place
// per node instead of two.
type (
	zslNode2 struct {
		n zslNode
		l [1]zslLevel
	}
	zslNode4 struct {
		n zslNode
		l [3]zslLevel
	}
	zslNode8 struct {
		n zslNode
		l [7]zslLevel
	}
	zslNode32 struct {
		n zslNode
		l [zslMaxLevel - 1]zslLevel
	}
)

// zslUpperOffset is where a node's upper levels start, counted from the
// node; every zslNodeN lays them out there (TestSkiplistNodeLayout).
const zslUpperOffset = unsafe.Offsetof(zslNode2{}.l)

// up returns n's link at level i >= 1. Only nodes of a higher level have
// one: the pointer stays inside n's zslNodeN allocation.
func (n *zslNode) up(i int) *zslLevel {
	return (*zslLevel)(unsafe.Add(unsafe.Pointer(n), zslUpperOffset+uintptr(i-1)*unsafe.Sizeof(zslLevel{})))
}

func (n *zslNode) fwd(i int) *zslNode {
	if i == 0 {
		return n.next
	}
	return n.up(i).forward
}

// fwdLess reports whether n's forward at level i exists and sorts before
// (score, member), reading the forward itself only on a tie of scores.
func (n *zslNode) fwdLess(i int, score float64, member string) bool {
	var f *zslNode
	var fs float64
	if i == 0 {
		f, fs = n.next, n.nextScore
	} else {
		l := n.up(i)
		f, fs = l.forward, l.score
	}
	return sortsBefore(f, fs, score, member)
}

// sortsBefore reports whether node f, whose score is fs (read from the
// link to it), exists and sorts before (score, member): its member is read
// only on a tie of scores.
func sortsBefore(f *zslNode, fs, score float64, member string) bool {
	return f != nil && (fs < score || (fs == score && f.member < member))
}

// setFwd links n to f at level i.
func (n *zslNode) setFwd(i int, f *zslNode) {
	var fs float64
	if f != nil {
		fs = f.score
	}
	if i == 0 {
		n.next, n.nextScore = f, fs
		return
	}
	l := n.up(i)
	l.forward, l.score = f, fs
}

// takeFwd gives n at level i the forward that o has there, with its score,
// without reading the forward.
func (n *zslNode) takeFwd(i int, o *zslNode) {
	if i == 0 {
		n.next, n.nextScore = o.next, o.nextScore
		return
	}
	nl, ol := n.up(i), o.up(i)
	nl.forward, nl.score = ol.forward, ol.score
}

func (n *zslNode) span(i int) int {
	if i == 0 {
		return 1
	}
	return n.up(i).span
}

func (n *zslNode) addSpan(i, d int) {
	if i > 0 {
		n.up(i).span += d
	}
}

func (n *zslNode) setSpan(i, v int) {
	if i > 0 {
		n.up(i).span = v
	}
}

// memberBytes returns the member as bytes without copying; callers must not
// modify them.
func (n *zslNode) memberBytes() []byte {
	return unsafe.Slice(unsafe.StringData(n.member), len(n.member))
}

func newZslNode(level int, score float64, member string, hash uint32) *zslNode {
	var n *zslNode
	switch {
	case level == 1:
		n = &zslNode{}
	case level == 2:
		n = &(&zslNode2{}).n
	case level <= 4:
		n = &(&zslNode4{}).n
	case level <= 8:
		n = &(&zslNode8{}).n
	default:
		n = &(&zslNode32{}).n
	}
	n.member, n.score, n.hash, n.level = member, score, hash, uint8(level)
	return n
}

// zslRandomLevel draws a level with Redis's P = 1/4: every further level
// needs two more zero bits at the bottom of a random word.
func zslRandomLevel() int {
	l := 1 + bits.TrailingZeros64(rand.Uint64())/2
	return min(l, zslMaxLevel)
}

type zskiplist struct {
	head    *zslNode // of the top level, in a zslNode32
	tail    *zslNode
	length  int
	level   int
	buckets []*zslNode // member index, chained through hnext
}

func newZskiplist(sizeHint int) *zskiplist {
	sl := &zskiplist{level: 1, head: newZslNode(zslMaxLevel, 0, "", 0)}
	nb := zslMinBuckets
	for nb < sizeHint {
		nb <<= 1
	}
	sl.buckets = make([]*zslNode, nb)
	return sl
}

// find returns the node of member, or nil.
func (sl *zskiplist) find(member []byte) *zslNode {
	h := zslHash(member)
	for n := sl.buckets[h&uint32(len(sl.buckets)-1)]; n != nil; n = n.hnext {
		if n.hash == h && n.member == string(member) {
			return n
		}
	}
	return nil
}

func (sl *zskiplist) indexAdd(n *zslNode) {
	if sl.length > len(sl.buckets) {
		sl.rehash(len(sl.buckets) * 2)
	}
	i := n.hash & uint32(len(sl.buckets)-1)
	n.hnext = sl.buckets[i]
	sl.buckets[i] = n
}

func (sl *zskiplist) indexRemove(n *zslNode) {
	p := &sl.buckets[n.hash&uint32(len(sl.buckets)-1)]
	for *p != n {
		p = &(*p).hnext
	}
	*p = n.hnext
	n.hnext = nil
	if len(sl.buckets) > zslMinBuckets && sl.length*8 < len(sl.buckets) {
		sl.rehash(max(zslMinBuckets, 1<<bits.Len(uint(sl.length))))
	}
}

func (sl *zskiplist) rehash(size int) {
	nb := make([]*zslNode, size)
	m := uint32(size - 1)
	for _, n := range sl.buckets {
		for n != nil {
			next := n.hnext
			i := n.hash & m
			n.hnext = nb[i]
			nb[i] = n
			n = next
		}
	}
	sl.buckets = nb
}

// insert adds a member that is not present and returns its node.
func (sl *zskiplist) insert(score float64, member []byte) *zslNode {
	n := newZslNode(zslRandomLevel(), score, string(member), zslHash(member))
	sl.link(n)
	sl.length++
	sl.indexAdd(n)
	return n
}

// link threads n, whose level and score are set, into the list.
func (sl *zskiplist) link(n *zslNode) {
	var update [zslMaxLevel]*zslNode
	var rank [zslMaxLevel]int
	sl.path(n.score, n.member, &update, &rank)
	lvl := int(n.level)
	if lvl > sl.level {
		for i := sl.level; i < lvl; i++ {
			rank[i] = 0
			update[i] = sl.head
			sl.head.setSpan(i, sl.length)
		}
		sl.level = lvl
	}
	for i := 0; i < lvl; i++ {
		n.takeFwd(i, update[i])
		update[i].setFwd(i, n)
		n.setSpan(i, update[i].span(i)-(rank[0]-rank[i]))
		update[i].setSpan(i, rank[0]-rank[i]+1)
	}
	for i := lvl; i < sl.level; i++ {
		update[i].addSpan(i, 1)
	}
	if update[0] != sl.head {
		n.backward = update[0]
	} else {
		n.backward = nil
	}
	if n.next != nil {
		n.next.backward = n
	} else {
		sl.tail = n
	}
}

// path fills update with the last node before (score, member) at every
// level and, when rank is not nil, rank with those nodes' ranks (0 for the
// head). The upper levels and the first are walked in separate loops, so no
// step asks which kind of level it is on.
func (sl *zskiplist) path(score float64, member string, update *[zslMaxLevel]*zslNode, rank *[zslMaxLevel]int) {
	x := sl.head
	r := 0
	for i := sl.level - 1; i >= 1; i-- {
		for {
			l := x.up(i)
			f := l.forward
			if !sortsBefore(f, l.score, score, member) {
				break
			}
			r += l.span
			x = f
		}
		update[i] = x
		if rank != nil {
			rank[i] = r
		}
	}
	for f := x.next; sortsBefore(f, x.nextScore, score, member); f = x.next {
		r++
		x = f
	}
	update[0] = x
	if rank != nil {
		rank[0] = r
	}
}

// unlink takes n out of the list; update is its path.
func (sl *zskiplist) unlink(n *zslNode, update *[zslMaxLevel]*zslNode) {
	for i := 0; i < sl.level; i++ {
		if update[i].fwd(i) == n {
			update[i].addSpan(i, n.span(i)-1)
			update[i].takeFwd(i, n)
		} else {
			update[i].addSpan(i, -1)
		}
	}
	if n.next != nil {
		n.next.backward = n.backward
	} else {
		sl.tail = n.backward
	}
	for sl.level > 1 && sl.head.fwd(sl.level-1) == nil {
		sl.level--
	}
	sl.length--
}

// remove deletes n from the list and the index.
func (sl *zskiplist) remove(n *zslNode) {
	var update [zslMaxLevel]*zslNode
	sl.path(n.score, n.member, &update, nil)
	sl.unlink(n, &update)
	sl.indexRemove(n)
}

// updateScore moves n to its place for a new score. When the node stays
// between its neighbours it is changed in place, as Redis does.
func (sl *zskiplist) updateScore(n *zslNode, score float64) {
	// Only a first-level node: a taller one's score is also cached in
	// links whose holders only a walk finds.
	if n.level == 1 && (n.backward == nil || n.backward.score < score) && (n.next == nil || n.nextScore > score) {
		n.score = score
		prev := n.backward
		if prev == nil {
			prev = sl.head
		}
		prev.nextScore = score
		return
	}
	var update [zslMaxLevel]*zslNode
	sl.path(n.score, n.member, &update, nil)
	sl.unlink(n, &update)
	for i := 0; i < int(n.level); i++ {
		n.setFwd(i, nil)
	}
	n.backward = nil
	n.score = score
	sl.link(n)
	sl.length++
}

// rank returns the 1-based rank of n.
func (sl *zskiplist) rank(n *zslNode) int {
	r := 0
	x := sl.head
	for i := sl.level - 1; i >= 0; i-- {
		for f := x.fwd(i); f != nil && (f == n || x.fwdLess(i, n.score, n.member)); f = x.fwd(i) {
			r += x.span(i)
			x = f
		}
		if x == n {
			return r
		}
	}
	return 0
}

// byRank returns the node at 1-based rank r, or nil.
func (sl *zskiplist) byRank(r int) *zslNode {
	if r < 1 || r > sl.length {
		return nil
	}
	traversed := 0
	x := sl.head
	for i := sl.level - 1; i >= 0; i-- {
		for f := x.fwd(i); f != nil && traversed+x.span(i) <= r; f = x.fwd(i) {
			traversed += x.span(i)
			x = f
		}
		if traversed == r {
			return x
		}
	}
	return nil
}

// firstWhere returns the first node for which past is false, given that
// past holds for a prefix of the list, with its 1-based rank.
func (sl *zskiplist) firstWhere(past func(*zslNode) bool) (*zslNode, int) {
	r := 0
	x := sl.head
	for i := sl.level - 1; i >= 0; i-- {
		for f := x.fwd(i); f != nil && past(f); f = x.fwd(i) {
			r += x.span(i)
			x = f
		}
	}
	return x.next, r + 1
}

// lastWhere returns the last node for which within holds, given that it
// holds for a prefix of the list (nil if for none), with its 1-based rank.
func (sl *zskiplist) lastWhere(within func(*zslNode) bool) (*zslNode, int) {
	r := 0
	x := sl.head
	for i := sl.level - 1; i >= 0; i-- {
		for f := x.fwd(i); f != nil && within(f); f = x.fwd(i) {
			r += x.span(i)
			x = f
		}
	}
	if x == sl.head {
		return nil, 0
	}
	return x, r
}

// deleteFrom removes up to n nodes starting at first (inclusive) while keep
// returns true for them, and returns how many it removed.
func (sl *zskiplist) deleteFrom(first *zslNode, n int, keep func(*zslNode) bool) int {
	if first == nil {
		return 0
	}
	var update [zslMaxLevel]*zslNode
	sl.path(first.score, first.member, &update, nil)
	removed := 0
	for x := first; x != nil && removed < n && keep(x); {
		next := x.next
		sl.unlink(x, &update)
		sl.indexRemove(x)
		removed++
		x = next
	}
	return removed
}

// appendMax adds a member known to sort after every present one; builders
// feed sorted input through it in O(1) per node.
type zslAppender struct {
	sl   *zskiplist
	last [zslMaxLevel]*zslNode
	rank [zslMaxLevel]int
}

func newZslAppender(sl *zskiplist) *zslAppender {
	a := &zslAppender{sl: sl}
	for i := range a.last {
		a.last[i] = sl.head
	}
	return a
}

func (a *zslAppender) add(score float64, member string, hash uint32) {
	sl := a.sl
	n := newZslNode(zslRandomLevel(), score, member, hash)
	lvl := int(n.level)
	if lvl > sl.level {
		sl.level = lvl
	}
	pos := sl.length + 1
	for i := 0; i < lvl; i++ {
		a.last[i].setFwd(i, n)
		a.last[i].setSpan(i, pos-a.rank[i])
		a.last[i] = n
		a.rank[i] = pos
	}
	if sl.tail != nil {
		n.backward = sl.tail
	}
	sl.tail = n
	sl.length++
	sl.indexAdd(n)
}

// finish sets the spans of the last node at every level (nil forwards
// count the nodes after them).
func (a *zslAppender) finish() {
	for i := 1; i < zslMaxLevel; i++ {
		a.last[i].setSpan(i, a.sl.length-a.rank[i])
	}
}

// scan visits the index bucket named by cursor and returns the next
// cursor, 0 when the walk is complete.
func (sl *zskiplist) scan(cursor uint64, fn func(n *zslNode)) uint64 {
	m := uint64(len(sl.buckets) - 1)
	for n := sl.buckets[cursor&m]; n != nil; n = n.hnext {
		fn(n)
	}
	return scancursor.Next(cursor, m)
}
