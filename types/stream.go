package types

import (
	"bytes"
	"encoding/binary"
	"math"
	"sort"
	"strconv"

	"petrel/internal/num"
)

// StreamID is a stream entry ID: milliseconds and a sequence number,
// ordered as one 128-bit number.
type StreamID struct {
	Ms, Seq uint64
}

// MaxStreamID is the largest possible ID, "+" in ranges.
var MaxStreamID = StreamID{math.MaxUint64, math.MaxUint64}

// Compare returns -1, 0 or 1 as a is smaller than, equal to or greater than b.
func (a StreamID) Compare(b StreamID) int {
	switch {
	case a.Ms < b.Ms:
		return -1
	case a.Ms > b.Ms:
		return 1
	case a.Seq < b.Seq:
		return -1
	case a.Seq > b.Seq:
		return 1
	}
	return 0
}

// Less reports whether a < b.
func (a StreamID) Less(b StreamID) bool { return a.Compare(b) < 0 }

// IsZero reports whether the ID is 0-0.
func (a StreamID) IsZero() bool { return a.Ms == 0 && a.Seq == 0 }

// Next returns the ID just after a; ok is false if a is the largest ID.
func (a StreamID) Next() (StreamID, bool) {
	if a.Seq < math.MaxUint64 {
		return StreamID{a.Ms, a.Seq + 1}, true
	}
	if a.Ms < math.MaxUint64 {
		return StreamID{a.Ms + 1, 0}, true
	}
	return a, false
}

// Prev returns the ID just before a; ok is false if a is 0-0.
func (a StreamID) Prev() (StreamID, bool) {
	if a.Seq > 0 {
		return StreamID{a.Ms, a.Seq - 1}, true
	}
	if a.Ms > 0 {
		return StreamID{a.Ms - 1, math.MaxUint64}, true
	}
	return a, false
}

// Append appends the ID as "ms-seq".
func (a StreamID) Append(dst []byte) []byte {
	dst = strconv.AppendUint(dst, a.Ms, 10)
	dst = append(dst, '-')
	return strconv.AppendUint(dst, a.Seq, 10)
}

// String returns the ID as "ms-seq".
func (a StreamID) String() string { return string(a.Append(nil)) }

// StreamLimits are the stream-node-max-bytes and stream-node-max-entries
// settings in force; zero means no limit.
type StreamLimits struct {
	MaxBytes   int64
	MaxEntries int64
}

// Entry flags, as Redis's stream listpacks have them.
const (
	entryDeleted    = 1
	entrySameFields = 2
)

// streamNode holds a run of consecutive entries in one blob:
//
//	master fields  uvarint(count) then uvarint(len) bytes per field
//	entries        flags byte, uvarint(ms - master.Ms),
//	               varint(seq - master.Seq), then either the values alone
//	               (flags has entrySameFields: the fields are the master
//	               fields) or uvarint(n) and n field/value pairs, each
//	               uvarint(len) bytes
//
// The master ID and fields come from the node's first entry, as in Redis.
// Deleted entries stay in the blob, flagged, until the whole node goes.
type streamNode struct {
	master  StreamID
	last    StreamID // the last entry's ID, deleted or not
	blob    []byte
	live    int32
	deleted int32
	nMaster int32  // number of master fields
	entries uint32 // offset of the first entry in blob
	lpBody  uint32 // Redis's listpack size for this node minus its two counters
}

// lpBytes is the size Redis's listpack for this node would have, which
// decides, as in Redis, when a node is full.
func (n *streamNode) lpBytes() int64 {
	return int64(n.lpBody) + lpIntElemSize(int64(n.live)) + lpIntElemSize(int64(n.deleted))
}

// lpIntSize is the encoded size of an integer listpack element, without
// its back length.
func lpIntSize(v int64) int64 {
	switch {
	case v >= 0 && v <= 127:
		return 1
	case v >= -4096 && v <= 4095:
		return 2
	case v >= math.MinInt16 && v <= math.MaxInt16:
		return 3
	case v >= -(1<<23) && v < 1<<23:
		return 4
	case v >= math.MinInt32 && v <= math.MaxInt32:
		return 5
	}
	return 9
}

func lpBacklen(n int64) int64 {
	switch {
	case n <= 127:
		return 1
	case n < 16383:
		return 2
	case n < 2097151:
		return 3
	case n < 268435455:
		return 4
	}
	return 5
}

func lpIntElemSize(v int64) int64 {
	n := lpIntSize(v)
	return n + lpBacklen(n)
}

// lpStrElemSize is the listpack size of a string element, which listpacks
// store as an integer when it reads as one.
func lpStrElemSize(b []byte) int64 {
	if len(b) <= 20 {
		if v, ok := num.ParseInt(b); ok {
			return lpIntElemSize(v)
		}
	}
	l := int64(len(b))
	var n int64
	switch {
	case l < 64:
		n = 1 + l
	case l < 4096:
		n = 2 + l
	default:
		n = 5 + l
	}
	return n + lpBacklen(n)
}

// lpMaxSize is Redis's cap on a stream listpack.
const lpMaxSize = 1 << 30

func appendStr(dst, s []byte) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

func readStr(b []byte, off int) ([]byte, int) {
	l, n := binary.Uvarint(b[off:])
	off += n
	return b[off : off+int(l)], off + int(l)
}

func newStreamNode(id StreamID, fv [][]byte) *streamNode {
	n := &streamNode{master: id}
	nf := len(fv) / 2
	n.nMaster = int32(nf)
	n.blob = binary.AppendUvarint(make([]byte, 0, 256), uint64(nf))
	body := int64(7) + lpIntElemSize(int64(nf)) + lpIntElemSize(0)
	for i := 0; i < nf; i++ {
		n.blob = appendStr(n.blob, fv[2*i])
		body += lpStrElemSize(fv[2*i])
	}
	n.entries = uint32(len(n.blob))
	n.lpBody = uint32(min(body, math.MaxUint32))
	return n
}

// sameFields reports whether fv's fields are the node's master fields.
func (n *streamNode) sameFields(fv [][]byte) bool {
	if len(fv)/2 != int(n.nMaster) {
		return false
	}
	_, off := binary.Uvarint(n.blob)
	for i := 0; i < len(fv); i += 2 {
		var f []byte
		f, off = readStr(n.blob, off)
		if !bytes.Equal(f, fv[i]) {
			return false
		}
	}
	return true
}

func (n *streamNode) append(id StreamID, fv [][]byte) {
	flags := byte(0)
	same := n.sameFields(fv)
	if same {
		flags = entrySameFields
	}
	msd := id.Ms - n.master.Ms
	seqd := int64(id.Seq - n.master.Seq)
	n.blob = append(n.blob, flags)
	n.blob = binary.AppendUvarint(n.blob, msd)
	n.blob = binary.AppendVarint(n.blob, seqd)
	nf := int64(len(fv) / 2)
	size := lpIntElemSize(int64(flags)) + lpIntElemSize(int64(msd)) + lpIntElemSize(seqd)
	if same {
		for i := 1; i < len(fv); i += 2 {
			n.blob = appendStr(n.blob, fv[i])
			size += lpStrElemSize(fv[i])
		}
		size += lpIntElemSize(nf + 3)
	} else {
		n.blob = binary.AppendUvarint(n.blob, uint64(nf))
		size += lpIntElemSize(nf)
		for _, s := range fv {
			n.blob = appendStr(n.blob, s)
			size += lpStrElemSize(s)
		}
		size += lpIntElemSize(2*nf + 4)
	}
	n.lpBody = uint32(min(int64(n.lpBody)+size, math.MaxUint32))
	n.live++
	n.last = id
}

// decode reads the entry at off: its flags, ID and the offset after it.
// When want, the entry's fields and values are appended to fv and
// returned; fv may be a caller's stack memory, since nothing stores it.
func (n *streamNode) decode(off int, fv [][]byte, want bool) (flags byte, id StreamID, next int, fields [][]byte) {
	flags, id, at := n.head(off)
	next, fields = n.body(flags, at, fv, want)
	return flags, id, next, fields
}

// head reads the flags and ID of the entry at off and returns where its
// fields start.
func (n *streamNode) head(off int) (flags byte, id StreamID, at int) {
	b := n.blob
	flags = b[off]
	off++
	msd, k := binary.Uvarint(b[off:])
	off += k
	seqd, k := binary.Varint(b[off:])
	off += k
	return flags, StreamID{n.master.Ms + msd, n.master.Seq + uint64(seqd)}, off
}

// body walks the fields of an entry with flags that start at off, and
// returns the offset after the entry; when want, it appends the fields and
// values to fv.
func (n *streamNode) body(flags byte, off int, fv [][]byte, want bool) (next int, fields [][]byte) {
	b := n.blob
	if flags&entrySameFields != 0 {
		if !want {
			for i := 0; i < int(n.nMaster); i++ {
				l, k := binary.Uvarint(b[off:])
				off += k + int(l)
			}
			return off, fv
		}
		_, moff := binary.Uvarint(b)
		for i := 0; i < int(n.nMaster); i++ {
			var f, v []byte
			f, moff = readStr(b, moff)
			v, off = readStr(b, off)
			fv = append(fv, f, v)
		}
		return off, fv
	}
	cnt, k := binary.Uvarint(b[off:])
	off += k
	for i := 0; i < 2*int(cnt); i++ {
		var s []byte
		s, off = readStr(b, off)
		if want {
			fv = append(fv, s)
		}
	}
	return off, fv
}

// offsets returns the offsets of every entry of the node, in order.
func (n *streamNode) offsets(dst []uint32) []uint32 {
	for off := int(n.entries); off < len(n.blob); {
		dst = append(dst, uint32(off))
		_, _, off, _ = n.decode(off, nil, false)
	}
	return dst
}

func (n *streamNode) markDeleted(off int) {
	n.blob[off] |= entryDeleted
	n.live--
	n.deleted++
}

// shrink drops the spare capacity of a node that will not grow again.
func (n *streamNode) shrink() {
	if cap(n.blob) > len(n.blob) {
		n.blob = append(make([]byte, 0, len(n.blob)), n.blob...)
	}
}

// Stream is a Redis stream: entries in nodes ordered by ID, plus the
// stream's counters and its consumer groups.
type Stream struct {
	nodes        []*streamNode
	length       uint64
	LastID       StreamID // the last ID added (XADD) or set (XSETID)
	MaxDeletedID StreamID // the largest ID XDEL removed
	FirstID      StreamID // the first live entry's ID, 0-0 when empty
	EntriesAdded uint64   // entries ever added
	groups       []*StreamGroup
}

// NewStream returns an empty stream.
func NewStream() *Stream { return &Stream{} }

// Type implements Value.
func (s *Stream) Type() string { return "stream" }

// Encoding implements Value.
func (s *Stream) Encoding() string { return "stream" }

// Len returns the number of live entries.
func (s *Stream) Len() uint64 { return s.length }

// NodeCount returns the number of nodes (Redis's radix-tree-keys).
func (s *Stream) NodeCount() int { return len(s.nodes) }

// Copy implements Value.
func (s *Stream) Copy() Value {
	c := *s
	c.nodes = make([]*streamNode, len(s.nodes))
	for i, n := range s.nodes {
		nn := *n
		nn.blob = append([]byte(nil), n.blob...)
		c.nodes[i] = &nn
	}
	c.groups = nil
	for _, g := range s.groups {
		c.groups = append(c.groups, g.copy())
	}
	return &c
}

// Add appends an entry with fv (field, value, field, value...) under id,
// which the caller has checked is greater than LastID.
func (s *Stream) Add(id StreamID, fv [][]byte, lim StreamLimits) {
	var tail *streamNode
	if len(s.nodes) > 0 {
		tail = s.nodes[len(s.nodes)-1]
		maxBytes := lim.MaxBytes
		if maxBytes <= 0 || maxBytes > lpMaxSize {
			maxBytes = lpMaxSize
		}
		var tot int64
		for _, b := range fv {
			tot += int64(len(b))
		}
		if tail.lpBytes()+tot >= maxBytes ||
			(lim.MaxEntries > 0 && int64(tail.live+tail.deleted) >= lim.MaxEntries) {
			tail.shrink()
			tail = nil
		}
	}
	if tail == nil {
		tail = newStreamNode(id, fv)
		s.nodes = append(s.nodes, tail)
	}
	tail.append(id, fv)
	s.length++
	s.EntriesAdded++
	s.LastID = id
	if s.length == 1 {
		s.FirstID = id
	}
}

// nodeFor returns the index of the last node whose master ID is <= id, or
// -1 if there is none.
func (s *Stream) nodeFor(id StreamID) int {
	i := sort.Search(len(s.nodes), func(i int) bool { return id.Less(s.nodes[i].master) })
	return i - 1
}

// Delete marks the entry id deleted; it reports whether a live entry was
// there. The caller updates MaxDeletedID and FirstID (Redis's XDEL does,
// trimming does not); see RefreshFirstID.
func (s *Stream) Delete(id StreamID) bool {
	ni := s.nodeFor(id)
	if ni < 0 {
		return false
	}
	n := s.nodes[ni]
	if n.last.Less(id) {
		return false
	}
	for off := int(n.entries); off < len(n.blob); {
		flags, eid, next, _ := n.decode(off, nil, false)
		if eid == id {
			if flags&entryDeleted != 0 {
				return false
			}
			n.markDeleted(off)
			s.length--
			if n.live == 0 {
				s.removeNode(ni)
			}
			return true
		}
		if id.Less(eid) {
			return false
		}
		off = next
	}
	return false
}

func (s *Stream) removeNode(i int) {
	copy(s.nodes[i:], s.nodes[i+1:])
	s.nodes[len(s.nodes)-1] = nil
	s.nodes = s.nodes[:len(s.nodes)-1]
}

// RefreshFirstID recomputes FirstID after entries were removed.
func (s *Stream) RefreshFirstID() {
	s.FirstID = StreamID{}
	if s.length == 0 {
		return
	}
	it := s.Iter(StreamID{}, MaxStreamID, false)
	if id, _, ok := it.Next(); ok {
		s.FirstID = id
	}
}

// Edge returns the first (last when rev) live entry's ID.
func (s *Stream) Edge(rev bool) (StreamID, bool) {
	it := s.Iter(StreamID{}, MaxStreamID, rev)
	id, _, ok := it.Next()
	return id, ok
}

// Trim strategies.
const (
	TrimMaxLen = iota + 1
	TrimMinID
)

// Trim removes entries from the head as Redis's streamTrim does: whole
// nodes while they fit the strategy, then (unless approx) entries of the
// next node one by one. limit caps the entries removed (0: no cap; only
// whole nodes are capped, as in Redis). It returns the number removed and
// updates FirstID.
func (s *Stream) Trim(strategy int, maxLen uint64, minID StreamID, approx bool, limit int64) int64 {
	var removed int64
	for len(s.nodes) > 0 {
		if strategy == TrimMaxLen && s.length <= maxLen {
			break
		}
		n := s.nodes[0]
		entries := int64(n.live)
		if limit > 0 && removed+entries > limit {
			break
		}
		var whole bool
		if strategy == TrimMaxLen {
			whole = s.length-uint64(entries) >= maxLen
		} else {
			whole = n.last.Less(minID)
		}
		if whole {
			s.removeNode(0)
			s.length -= uint64(entries)
			removed += entries
			continue
		}
		if approx {
			break
		}
		for off := int(n.entries); off < len(n.blob); {
			flags, id, next, _ := n.decode(off, nil, false)
			if strategy == TrimMaxLen {
				if s.length <= maxLen {
					break
				}
			} else if !id.Less(minID) {
				break
			}
			if flags&entryDeleted == 0 {
				n.markDeleted(off)
				s.length--
				removed++
			}
			off = next
		}
		break
	}
	s.RefreshFirstID()
	return removed
}

// StreamIter walks live entries between two IDs, inclusive, forwards or
// backwards. The fields it returns alias the stream and a scratch slice:
// they are valid until the next call or a change to the stream.
type StreamIter struct {
	s          *Stream
	start, end StreamID
	rev        bool
	ni         int
	off        int
	offs       []uint32
	oi         int
	fv         [][]byte
	done       bool
}

// Iter returns an iterator over the live entries with start <= ID <= end.
func (s *Stream) Iter(start, end StreamID, rev bool) *StreamIter {
	it := &StreamIter{}
	s.InitIter(it, start, end, rev)
	return it
}

// InitIter resets it to walk s between start and end, reusing its memory.
func (s *Stream) InitIter(it *StreamIter, start, end StreamID, rev bool) {
	*it = StreamIter{s: s, start: start, end: end, rev: rev, offs: it.offs[:0], fv: it.fv[:0]}
	if end.Less(start) || len(s.nodes) == 0 {
		it.done = true
		return
	}
	if !rev {
		it.ni = max(s.nodeFor(start), 0)
		it.off = -1
	} else {
		it.ni = s.nodeFor(end)
		if it.ni < 0 {
			it.done = true
			return
		}
		it.oi = -1
	}
}

// Next returns the next entry; ok is false at the end.
func (it *StreamIter) Next() (id StreamID, fv [][]byte, ok bool) {
	id, it.fv, ok = it.NextInto(it.fv[:0])
	return id, it.fv, ok
}

// NextInto is Next with the fields appended to fv, which may be a caller's
// stack memory: a short entry then costs no allocation.
func (it *StreamIter) NextInto(fv [][]byte) (id StreamID, fields [][]byte, ok bool) {
	return it.next(fv, true)
}

// NextID is Next without the fields, for counting.
func (it *StreamIter) NextID() (id StreamID, ok bool) {
	id, _, ok = it.next(nil, false)
	return id, ok
}

func (it *StreamIter) next(fv [][]byte, want bool) (id StreamID, fields [][]byte, ok bool) {
	if it.done {
		return StreamID{}, nil, false
	}
	nodes := it.s.nodes
	if !it.rev {
		for it.ni < len(nodes) {
			n := nodes[it.ni]
			if it.off < 0 {
				if n.last.Less(it.start) {
					it.ni++
					continue
				}
				it.off = int(n.entries)
			}
			for it.off < len(n.blob) {
				flags, eid, at := n.head(it.off)
				if it.end.Less(eid) {
					it.done = true
					return StreamID{}, nil, false
				}
				take := flags&entryDeleted == 0 && !eid.Less(it.start)
				next, fields := n.body(flags, at, fv, want && take)
				it.off = next
				if take {
					return eid, fields, true
				}
			}
			it.ni++
			it.off = -1
		}
		it.done = true
		return StreamID{}, nil, false
	}
	for it.ni >= 0 {
		n := nodes[it.ni]
		if it.oi < 0 {
			if n.master.Less(it.start) && n.last.Less(it.start) {
				break
			}
			it.offs = n.offsets(it.offs[:0])
			it.oi = len(it.offs)
		}
		for it.oi > 0 {
			it.oi--
			off := int(it.offs[it.oi])
			flags, eid, at := n.head(off)
			if eid.Less(it.start) {
				it.done = true
				return StreamID{}, nil, false
			}
			if flags&entryDeleted != 0 || it.end.Less(eid) {
				continue
			}
			_, fields := n.body(flags, at, fv, want)
			return eid, fields, true
		}
		it.ni--
		it.oi = -1
	}
	it.done = true
	return StreamID{}, nil, false
}

// Get returns the fields of entry id, if it is live.
func (s *Stream) Get(id StreamID) ([][]byte, bool) {
	it := s.Iter(id, id, false)
	_, fv, ok := it.Next()
	return fv, ok
}

// RaxNodes returns the node count the radix tree Redis keys the stream's
// nodes by would have (XINFO STREAM's radix-tree-nodes): a compressed trie
// over the 16-byte big-endian master IDs.
func (s *Stream) RaxNodes() int {
	if len(s.nodes) == 0 {
		return 1
	}
	keys := make([][16]byte, len(s.nodes))
	for i, n := range s.nodes {
		binary.BigEndian.PutUint64(keys[i][:8], n.master.Ms)
		binary.BigEndian.PutUint64(keys[i][8:], n.master.Seq)
	}
	return raxCount(keys, 0)
}

// raxCount counts the rax nodes for sorted, distinct keys from byte depth d:
// a node for the run of bytes all keys share (or for the branch where they
// part), then the nodes below.
func raxCount(keys [][16]byte, d int) int {
	if d == 16 {
		return 1
	}
	first, last := keys[0], keys[len(keys)-1]
	if first[d] == last[d] {
		e := d
		for e < 16 && first[e] == last[e] {
			e++
		}
		return 1 + raxCount(keys, e)
	}
	total := 1
	for i := 0; i < len(keys); {
		j := i
		for j < len(keys) && keys[j][d] == keys[i][d] {
			j++
		}
		total += raxCount(keys[i:j], d+1)
		i = j
	}
	return total
}

// NextID returns the ID "*" gives: now's milliseconds, or the last ID's
// next sequence when the clock has not moved past it. ok is false when the
// stream's last ID is the largest possible.
func (s *Stream) NextID(now uint64) (StreamID, bool) {
	if now > s.LastID.Ms {
		return StreamID{now, 0}, true
	}
	return s.LastID.Next()
}

// EstimateEntriesRead is Redis's streamEstimateDistanceFromFirstEverEntry:
// the logical read counter of id, or -1 when it cannot be known.
func (s *Stream) EstimateEntriesRead(id StreamID) int64 {
	if s.EntriesAdded == 0 {
		return 0
	}
	if s.length == 0 && id.Compare(s.LastID) < 1 {
		return int64(s.EntriesAdded)
	}
	switch c := id.Compare(s.LastID); {
	case c == 0:
		return int64(s.EntriesAdded)
	case c > 0:
		return -1
	}
	cmpFirst := id.Compare(s.FirstID)
	if s.MaxDeletedID.IsZero() || s.MaxDeletedID.Less(s.FirstID) {
		if cmpFirst < 0 {
			return int64(s.EntriesAdded - s.length)
		} else if cmpFirst == 0 {
			return int64(s.EntriesAdded - s.length + 1)
		}
	}
	return -1
}

// RangeHasTombstones is Redis's streamRangeHasTombstones: whether an
// XDEL'ed entry may lie between start and end (nil: open).
func (s *Stream) RangeHasTombstones(start, end *StreamID) bool {
	if s.length == 0 || s.MaxDeletedID.IsZero() {
		return false
	}
	if s.MaxDeletedID.Less(s.FirstID) {
		return false
	}
	st, en := StreamID{}, MaxStreamID
	if start != nil {
		st = *start
	}
	if end != nil {
		en = *end
	}
	return st.Compare(s.MaxDeletedID) <= 0 && s.MaxDeletedID.Compare(en) <= 0
}

// Lag returns a group's lag as XINFO GROUPS computes it; ok is false when
// it cannot be known.
func (s *Stream) Lag(g *StreamGroup) (int64, bool) {
	if s.EntriesAdded == 0 {
		return 0, true
	}
	if g.EntriesRead != -1 && !s.RangeHasTombstones(&g.LastID, nil) {
		return int64(s.EntriesAdded) - g.EntriesRead, true
	}
	if er := s.EstimateEntriesRead(g.LastID); er != -1 {
		return int64(s.EntriesAdded) - er, true
	}
	return 0, false
}

// MarkDelivered advances g past id after id was delivered to it, keeping
// its read counter as Redis does.
func (s *Stream) MarkDelivered(g *StreamGroup, id StreamID) {
	if !g.LastID.Less(id) {
		return
	}
	if g.EntriesRead != -1 && !s.RangeHasTombstones(&id, nil) {
		g.EntriesRead++
	} else if s.EntriesAdded != 0 {
		g.EntriesRead = s.EstimateEntriesRead(id)
	}
	g.LastID = id
}

// PendingEntry is one entry of a group's pending entries list: delivered
// to Consumer and not yet acknowledged.
type PendingEntry struct {
	ID            StreamID
	Consumer      *StreamConsumer
	DeliveryTime  int64 // unix ms of the last delivery
	DeliveryCount uint64
}

// StreamConsumer is a consumer of a group.
type StreamConsumer struct {
	Name       string
	SeenTime   int64 // unix ms of its last attempted interaction
	ActiveTime int64 // unix ms of its last successful interaction, -1: never
	PEL        PendingMap
}

// StreamGroup is a consumer group.
type StreamGroup struct {
	Name        string
	LastID      StreamID
	EntriesRead int64 // -1: unknown
	PEL         PendingMap
	consumers   []*StreamConsumer // by name
}

// Groups returns the stream's groups ordered by name.
func (s *Stream) Groups() []*StreamGroup { return s.groups }

// Group returns the group named name, or nil.
func (s *Stream) Group(name []byte) *StreamGroup {
	i, ok := s.groupIndex(name)
	if !ok {
		return nil
	}
	return s.groups[i]
}

func (s *Stream) groupIndex(name []byte) (int, bool) {
	i := sort.Search(len(s.groups), func(i int) bool { return s.groups[i].Name >= string(name) })
	return i, i < len(s.groups) && s.groups[i].Name == string(name)
}

// CreateGroup adds a group; it returns nil if the name is taken.
func (s *Stream) CreateGroup(name []byte, last StreamID, entriesRead int64) *StreamGroup {
	i, ok := s.groupIndex(name)
	if ok {
		return nil
	}
	g := &StreamGroup{Name: string(name), LastID: last, EntriesRead: entriesRead}
	s.groups = append(s.groups, nil)
	copy(s.groups[i+1:], s.groups[i:])
	s.groups[i] = g
	return g
}

// DestroyGroup removes a group; it reports whether it existed.
func (s *Stream) DestroyGroup(name []byte) bool {
	i, ok := s.groupIndex(name)
	if !ok {
		return false
	}
	s.groups = append(s.groups[:i], s.groups[i+1:]...)
	return true
}

// Consumers returns the group's consumers ordered by name.
func (g *StreamGroup) Consumers() []*StreamConsumer { return g.consumers }

func (g *StreamGroup) consumerIndex(name []byte) (int, bool) {
	i := sort.Search(len(g.consumers), func(i int) bool { return g.consumers[i].Name >= string(name) })
	return i, i < len(g.consumers) && g.consumers[i].Name == string(name)
}

// Consumer returns the consumer named name, or nil.
func (g *StreamGroup) Consumer(name []byte) *StreamConsumer {
	i, ok := g.consumerIndex(name)
	if !ok {
		return nil
	}
	return g.consumers[i]
}

// CreateConsumer adds a consumer seen at now; it returns nil if the name is
// taken.
func (g *StreamGroup) CreateConsumer(name []byte, now int64) *StreamConsumer {
	i, ok := g.consumerIndex(name)
	if ok {
		return nil
	}
	c := &StreamConsumer{Name: string(name), SeenTime: now, ActiveTime: -1}
	g.consumers = append(g.consumers, nil)
	copy(g.consumers[i+1:], g.consumers[i:])
	g.consumers[i] = c
	return c
}

// DeleteConsumer removes a consumer and its pending entries from the
// group; it returns how many entries it had pending, or -1 if it did not
// exist.
func (g *StreamGroup) DeleteConsumer(name []byte) int64 {
	i, ok := g.consumerIndex(name)
	if !ok {
		return -1
	}
	c := g.consumers[i]
	n := int64(c.PEL.Len())
	c.PEL.Ascend(StreamID{}, func(pe *PendingEntry) bool {
		g.PEL.Delete(pe.ID)
		return true
	})
	g.consumers = append(g.consumers[:i], g.consumers[i+1:]...)
	return n
}

func (g *StreamGroup) copy() *StreamGroup {
	ng := &StreamGroup{Name: g.Name, LastID: g.LastID, EntriesRead: g.EntriesRead}
	byName := make(map[*StreamConsumer]*StreamConsumer, len(g.consumers))
	for _, c := range g.consumers {
		nc := &StreamConsumer{Name: c.Name, SeenTime: c.SeenTime, ActiveTime: c.ActiveTime}
		byName[c] = nc
		ng.consumers = append(ng.consumers, nc)
	}
	g.PEL.Ascend(StreamID{}, func(pe *PendingEntry) bool {
		np := *pe
		np.Consumer = byName[pe.Consumer]
		ng.PEL.Set(&np)
		np.Consumer.PEL.Set(&np)
		return true
	})
	return ng
}

// PendingMap is an ordered map from IDs to pending entries: sorted chunks
// of bounded size, so that inserting or removing in the middle of a large
// list moves little memory.
type PendingMap struct {
	chunks [][]*PendingEntry
	n      int
}

const pendingChunk = 128

// Len returns the number of entries.
func (m *PendingMap) Len() int { return m.n }

// locate finds the chunk that holds or would hold id, and the position in it.
func (m *PendingMap) locate(id StreamID) (ci, i int, found bool) {
	ci = sort.Search(len(m.chunks), func(k int) bool {
		c := m.chunks[k]
		return !c[len(c)-1].ID.Less(id)
	})
	if ci == len(m.chunks) {
		if ci == 0 {
			return 0, 0, false
		}
		ci--
		return ci, len(m.chunks[ci]), false
	}
	c := m.chunks[ci]
	i = sort.Search(len(c), func(k int) bool { return !c[k].ID.Less(id) })
	return ci, i, i < len(c) && c[i].ID == id
}

// Get returns the entry for id, or nil.
func (m *PendingMap) Get(id StreamID) *PendingEntry {
	ci, i, ok := m.locate(id)
	if !ok {
		return nil
	}
	return m.chunks[ci][i]
}

// Set inserts pe, replacing any entry with its ID.
func (m *PendingMap) Set(pe *PendingEntry) {
	ci, i, ok := m.locate(pe.ID)
	if ok {
		m.chunks[ci][i] = pe
		return
	}
	m.n++
	if len(m.chunks) == 0 {
		m.chunks = append(m.chunks, []*PendingEntry{pe})
		return
	}
	c := m.chunks[ci]
	c = append(c, nil)
	copy(c[i+1:], c[i:])
	c[i] = pe
	if len(c) > pendingChunk {
		half := len(c) / 2
		right := append([]*PendingEntry(nil), c[half:]...)
		clear(c[half:])
		c = append(make([]*PendingEntry, 0, half), c[:half]...) // a copy, so the split-off half is freed
		m.chunks = append(m.chunks, nil)
		copy(m.chunks[ci+2:], m.chunks[ci+1:])
		m.chunks[ci+1] = right
	}
	m.chunks[ci] = c
}

// Delete removes and returns the entry for id, or nil.
func (m *PendingMap) Delete(id StreamID) *PendingEntry {
	ci, i, ok := m.locate(id)
	if !ok {
		return nil
	}
	c := m.chunks[ci]
	pe := c[i]
	copy(c[i:], c[i+1:])
	c[len(c)-1] = nil
	c = c[:len(c)-1]
	m.n--
	if len(c) == 0 {
		m.chunks = append(m.chunks[:ci], m.chunks[ci+1:]...)
	} else {
		m.chunks[ci] = c
	}
	return pe
}

// Ascend calls fn for the entries with ID >= from in order until it returns
// false. fn may delete the entry it is given, but make no other change.
func (m *PendingMap) Ascend(from StreamID, fn func(*PendingEntry) bool) {
	ci, i, _ := m.locate(from)
	for ci < len(m.chunks) {
		c := m.chunks[ci]
		if i >= len(c) {
			ci++
			i = 0
			continue
		}
		pe := c[i]
		if !fn(pe) {
			return
		}
		// fn may have removed pe: find our place again by ID
		if ci < len(m.chunks) && i < len(m.chunks[ci]) && m.chunks[ci][i] == pe {
			i++
			continue
		}
		next, ok := pe.ID.Next()
		if !ok {
			return
		}
		ci, i, _ = m.locate(next)
	}
}

// First returns the smallest entry, or nil.
func (m *PendingMap) First() *PendingEntry {
	if m.n == 0 {
		return nil
	}
	return m.chunks[0][0]
}

// Last returns the largest entry, or nil.
func (m *PendingMap) Last() *PendingEntry {
	if m.n == 0 {
		return nil
	}
	c := m.chunks[len(m.chunks)-1]
	return c[len(c)-1]
}
