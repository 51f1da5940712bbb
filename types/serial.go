package types

import "encoding/binary"

// Accessors for serialization (persistence/rdb: DUMP, RESTORE, RDB files):
// they expose values as stored, including what the commands hide (expired
// hash fields, deleted stream entries, node boundaries), and rebuild them
// the same way.

// EachWithExpiry calls fn for every field, expired or not, with its value
// and expiry (0: none), in the encoding's order, until fn returns false;
// serialization writes fields as they are, as Redis does. fn must not
// change the hash.
func (h *Hash) EachWithExpiry(fn func(field, value []byte, at int64) bool) {
	if h.ht != nil {
		h.ht.each(func(e *hashEntry) bool { return fn(e.field(), e.value(), e.expireAt()) })
		return
	}
	for off := 1; off < len(h.lp); {
		it := hashReadItem(h.lp, off)
		if !fn(it.f, it.v, it.at) {
			return
		}
		off = it.end
	}
}

// StreamNodeView is one node of a stream as serialization sees it: Redis
// stores each node as a listpack keyed by its master ID.
type StreamNodeView struct{ n *streamNode }

// StreamNodeEntry is one entry of a node, deleted ones included.
type StreamNodeEntry struct {
	ID      StreamID
	Deleted bool
	// SameFields says that the entry's fields are the node's master
	// fields (Redis then stores only the values).
	SameFields bool
	// Fields holds field, value, field, value...; it is only valid
	// during the callback that receives it.
	Fields [][]byte
}

// EachNode calls fn for every node in order until fn returns false.
func (s *Stream) EachNode(fn func(StreamNodeView) bool) {
	for _, n := range s.nodes {
		if !fn(StreamNodeView{n}) {
			return
		}
	}
}

// Master returns the node's master ID, the ID of its first entry.
func (v StreamNodeView) Master() StreamID { return v.n.master }

// Counts returns the node's live and deleted entries.
func (v StreamNodeView) Counts() (live, deleted int) { return int(v.n.live), int(v.n.deleted) }

// MasterFields returns the node's master fields (aliasing the node).
func (v StreamNodeView) MasterFields() [][]byte {
	b := v.n.blob
	out := make([][]byte, 0, v.n.nMaster)
	_, off := binary.Uvarint(b)
	for range v.n.nMaster {
		var f []byte
		f, off = readStr(b, off)
		out = append(out, f)
	}
	return out
}

// Entries calls fn for every entry of the node in order, deleted ones
// included, until fn returns false.
func (v StreamNodeView) Entries(fn func(StreamNodeEntry) bool) {
	n := v.n
	var fv [][]byte
	for off := int(n.entries); off < len(n.blob); {
		flags, id, next, fields := n.decode(off, fv[:0], true)
		fv = fields // its memory serves the next entry
		if !fn(StreamNodeEntry{ID: id, Deleted: flags&entryDeleted != 0, SameFields: flags&entrySameFields != 0, Fields: fv}) {
			return
		}
		off = next
	}
}

// LoadNode starts a node with the given master ID and master fields at
// the end of the stream, to rebuild a stream node by node as a snapshot
// holds it; LoadEntry fills it. IDs must ascend, from the master ID on.
func (s *Stream) LoadNode(master StreamID, masterFields [][]byte) {
	s.dropEmptyTail()
	fv := make([][]byte, 2*len(masterFields))
	for i, f := range masterFields {
		fv[2*i] = f
	}
	s.nodes = append(s.nodes, newStreamNode(master, fv))
}

// LoadEntry appends an entry, possibly deleted, to the node LoadNode
// started. It changes the length, but not LastID, FirstID, MaxDeletedID
// or EntriesAdded, which a snapshot records and the loader sets; call
// FinishLoad at the end.
func (s *Stream) LoadEntry(id StreamID, fv [][]byte, deleted bool) {
	n := s.nodes[len(s.nodes)-1]
	off := len(n.blob)
	n.append(id, fv)
	s.length++
	if deleted {
		n.markDeleted(off)
		s.length--
	}
}

// FinishLoad ends a load: nodes left without live entries are dropped, as
// the commands never keep one.
func (s *Stream) FinishLoad() {
	s.dropEmptyTail()
	for _, n := range s.nodes {
		n.shrink()
	}
}

func (s *Stream) dropEmptyTail() {
	if k := len(s.nodes); k > 0 && s.nodes[k-1].live == 0 {
		s.removeNode(k - 1)
	}
}
