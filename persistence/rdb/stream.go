package rdb

import (
	"encoding/binary"
	"strconv"

	"petrel/types"
)

// Streams. Redis stores a stream as its nodes, each a 16-byte big-endian
// master ID and a listpack, then the stream's counters, then its consumer
// groups with their pending entries and consumers. A node's listpack starts
// with a master entry and holds the entries after it, deleted ones
// included:
//
//	master entry  live-count deleted-count n field-1 .. field-n 0
//	entry         flags ms-diff seq-diff [n field-1 value-1 ..] lp-count
//
// where flags has 1 for a deleted entry and 2 when its fields are the
// master fields (only the values are stored then), the ID is stored as
// differences from the master ID, and lp-count is the number of elements
// of the entry (to walk backwards).
//
// Petrel writes STREAM_LISTPACKS_2, as Redis 7.0 does, and reads version 1
// (Redis 5 and 6) and 3 (Redis 7.2, which adds the consumers' active time)
// too.

const (
	streamFlagDeleted    = 1
	streamFlagSameFields = 2
)

func appendStreamID(b []byte, id types.StreamID) []byte {
	b = binary.BigEndian.AppendUint64(b, id.Ms)
	return binary.BigEndian.AppendUint64(b, id.Seq)
}

func (w *Writer) writeStream(s *types.Stream) {
	n := 0
	s.EachNode(func(types.StreamNodeView) bool { n++; return true })
	w.WriteLen(uint64(n))
	var lp lpBuilder
	var key [16]byte
	s.EachNode(func(nv types.StreamNodeView) bool {
		master := nv.Master()
		w.WriteString(appendStreamID(key[:0], master))
		lp.reset(w.lp)
		live, deleted := nv.Counts()
		fields := nv.MasterFields()
		lp.addInt(int64(live))
		lp.addInt(int64(deleted))
		lp.addInt(int64(len(fields)))
		for _, f := range fields {
			lp.add(f)
		}
		lp.addInt(0)
		nv.Entries(func(e types.StreamNodeEntry) bool {
			flags := int64(0)
			if e.Deleted {
				flags |= streamFlagDeleted
			}
			if e.SameFields {
				flags |= streamFlagSameFields
			}
			lp.addInt(flags)
			lp.addInt(int64(e.ID.Ms - master.Ms))
			lp.addInt(int64(e.ID.Seq - master.Seq))
			nf := int64(len(e.Fields) / 2)
			if e.SameFields {
				for i := 1; i < len(e.Fields); i += 2 {
					lp.add(e.Fields[i])
				}
				lp.addInt(nf + 3)
			} else {
				lp.addInt(nf)
				for _, f := range e.Fields {
					lp.add(f)
				}
				lp.addInt(2*nf + 4)
			}
			return true
		})
		w.writeListpack(&lp)
		return w.err == nil
	})
	w.WriteLen(s.Len())
	for _, id := range []types.StreamID{s.LastID, s.FirstID, s.MaxDeletedID} {
		w.WriteLen(id.Ms)
		w.WriteLen(id.Seq)
	}
	w.WriteLen(s.EntriesAdded)
	groups := s.Groups()
	w.WriteLen(uint64(len(groups)))
	var raw [16]byte
	for _, g := range groups {
		w.WriteString([]byte(g.Name))
		w.WriteLen(g.LastID.Ms)
		w.WriteLen(g.LastID.Seq)
		w.WriteLen(uint64(g.EntriesRead)) // -1 (unknown) as Redis writes it
		w.WriteLen(uint64(g.PEL.Len()))
		g.PEL.Ascend(types.StreamID{}, func(pe *types.PendingEntry) bool {
			w.WriteRaw(appendStreamID(raw[:0], pe.ID))
			w.WriteMillis(pe.DeliveryTime)
			w.WriteLen(pe.DeliveryCount)
			return true
		})
		consumers := g.Consumers()
		w.WriteLen(uint64(len(consumers)))
		for _, c := range consumers {
			w.WriteString([]byte(c.Name))
			w.WriteMillis(c.SeenTime)
			w.WriteLen(uint64(c.PEL.Len()))
			c.PEL.Ascend(types.StreamID{}, func(pe *types.PendingEntry) bool {
				w.WriteRaw(appendStreamID(raw[:0], pe.ID))
				return true
			})
		}
	}
}

func (r *Reader) readStreamID() (types.StreamID, error) {
	ms, err := r.ReadLen()
	if err != nil {
		return types.StreamID{}, err
	}
	seq, err := r.ReadLen()
	return types.StreamID{Ms: ms, Seq: seq}, err
}

func (r *Reader) readRawStreamID() (types.StreamID, error) {
	p, err := r.take(16)
	if err != nil {
		return types.StreamID{}, err
	}
	return types.StreamID{Ms: binary.BigEndian.Uint64(p), Seq: binary.BigEndian.Uint64(p[8:])}, nil
}

// streamLPEntry is one entry of a node's listpack.
type streamLPEntry struct {
	id      types.StreamID
	deleted bool
	fv      [][]byte
}

// eachStreamEntry walks a node's listpack: fn gets the master fields once,
// then every entry. Strings alias the listpack or arena.
func eachStreamEntry(b []byte, master types.StreamID, deep bool, start func(fields [][]byte), fn func(streamLPEntry)) error {
	lp, err := newLPReader(b, deep)
	if err != nil {
		return err
	}
	str := func() ([]byte, error) {
		s, v, isInt, ok, err := lp.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, corrupt("stream listpack ends inside an entry")
		}
		if isInt {
			return strconv.AppendInt(nil, v, 10), nil
		}
		return s, nil
	}
	integer := func() (int64, error) {
		_, v, isInt, ok, err := lp.next()
		if err != nil {
			return 0, err
		}
		if !ok || !isInt {
			return 0, corrupt("stream listpack: integer expected")
		}
		return v, nil
	}
	live, err := integer()
	if err != nil {
		return err
	}
	deleted, err := integer()
	if err != nil {
		return err
	}
	nMaster, err := integer()
	if err != nil {
		return err
	}
	if nMaster < 0 || nMaster > int64(len(b)) {
		return corrupt("stream master entry of %d fields", nMaster)
	}
	masterFields := make([][]byte, nMaster)
	for i := range masterFields {
		if masterFields[i], err = str(); err != nil {
			return err
		}
	}
	if z, err := integer(); err != nil || z != 0 {
		return corrupt("stream master entry without its terminator")
	}
	start(masterFields)
	var fv [][]byte
	entries := int64(0)
	for {
		_, flags, isInt, ok, err := lp.next()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		if !isInt || flags < 0 || flags > 3 {
			return corrupt("stream entry flags")
		}
		msd, err := integer()
		if err != nil {
			return err
		}
		seqd, err := integer()
		if err != nil {
			return err
		}
		e := streamLPEntry{
			id:      types.StreamID{Ms: master.Ms + uint64(msd), Seq: master.Seq + uint64(seqd)},
			deleted: flags&streamFlagDeleted != 0,
		}
		fv = fv[:0]
		nf := nMaster
		extra := int64(3)
		if flags&streamFlagSameFields == 0 {
			if nf, err = integer(); err != nil {
				return err
			}
			if nf < 0 || nf > int64(len(b)) {
				return corrupt("stream entry of %d fields", nf)
			}
			extra += nf + 1
			for range nf {
				f, err := str()
				if err != nil {
					return err
				}
				v, err := str()
				if err != nil {
					return err
				}
				fv = append(fv, f, v)
			}
		} else {
			for i := range nf {
				v, err := str()
				if err != nil {
					return err
				}
				fv = append(fv, masterFields[i], v)
			}
		}
		lpCount, err := integer()
		if err != nil {
			return err
		}
		if lpCount != nf+extra {
			return corrupt("stream entry lp-count %d, %d elements", lpCount, nf+extra)
		}
		e.fv = fv
		fn(e)
		entries++
	}
	if deep && entries != live+deleted {
		return corrupt("stream node of %d+%d entries holds %d", live, deleted, entries)
	}
	return nil
}

func (r *Reader) readStream(t Type) (*types.Stream, error) {
	deep := r.opts.deep()
	s := types.NewStream()
	nodes, err := r.readCount(2)
	if err != nil {
		return nil, err
	}
	var last types.StreamID
	first := true
	var key []byte
	for range nodes {
		if key, err = r.AppendString(key[:0]); err != nil {
			return nil, err
		}
		if len(key) != 16 {
			return nil, corrupt("stream node key of %d bytes", len(key))
		}
		master := types.StreamID{Ms: binary.BigEndian.Uint64(key), Seq: binary.BigEndian.Uint64(key[8:])}
		b, err := r.ReadString()
		if err != nil {
			return nil, err
		}
		// The node's entries must ascend from its master ID and follow
		// those of the nodes before: Petrel's lookups rely on the order.
		started := false
		check := func(id types.StreamID) error {
			if (!first && !last.Less(id)) || id.Less(master) {
				return corrupt("stream entry %s out of order", id)
			}
			last, first = id, false
			return nil
		}
		var orderErr error
		err = eachStreamEntry(b, master, deep, func(fields [][]byte) {
			s.LoadNode(master, fields)
			started = true
		}, func(e streamLPEntry) {
			if orderErr == nil {
				orderErr = check(e.id)
			}
			if orderErr == nil {
				s.LoadEntry(e.id, e.fv, e.deleted)
			}
		})
		if err == nil {
			err = orderErr
		}
		if err != nil {
			return nil, err
		}
		if !started {
			return nil, corrupt("empty stream node")
		}
	}
	s.FinishLoad()
	length, err := r.ReadLen()
	if err != nil {
		return nil, err
	}
	if deep && length != s.Len() {
		return nil, corrupt("stream length %d, %d entries", length, s.Len())
	}
	if s.LastID, err = r.readStreamID(); err != nil {
		return nil, err
	}
	if !first && s.LastID.Less(last) {
		return nil, corrupt("stream last ID %s before entry %s", s.LastID, last)
	}
	if t >= TypeStreamListpacks2 {
		if s.FirstID, err = r.readStreamID(); err != nil {
			return nil, err
		}
		if s.MaxDeletedID, err = r.readStreamID(); err != nil {
			return nil, err
		}
		if s.EntriesAdded, err = r.ReadLen(); err != nil {
			return nil, err
		}
	} else {
		s.EntriesAdded = s.Len()
		s.RefreshFirstID()
	}
	groups, err := r.readCount(3)
	if err != nil {
		return nil, err
	}
	for range groups {
		name, err := r.ReadString()
		if err != nil {
			return nil, err
		}
		name = append([]byte(nil), name...)
		lastID, err := r.readStreamID()
		if err != nil {
			return nil, err
		}
		entriesRead := s.EstimateEntriesRead(lastID)
		if t >= TypeStreamListpacks2 {
			v, err := r.ReadLen()
			if err != nil {
				return nil, err
			}
			entriesRead = int64(v)
		}
		g := s.CreateGroup(name, lastID, entriesRead)
		if g == nil {
			return nil, corrupt("duplicate consumer group %q", name)
		}
		pel, err := r.readCount(17)
		if err != nil {
			return nil, err
		}
		for range pel {
			id, err := r.readRawStreamID()
			if err != nil {
				return nil, err
			}
			pe := &types.PendingEntry{ID: id}
			if pe.DeliveryTime, err = r.ReadMillis(); err != nil {
				return nil, err
			}
			if pe.DeliveryCount, err = r.ReadLen(); err != nil {
				return nil, err
			}
			if g.PEL.Get(id) != nil {
				return nil, corrupt("duplicate pending entry %s", id)
			}
			g.PEL.Set(pe)
		}
		consumers, err := r.readCount(9)
		if err != nil {
			return nil, err
		}
		for range consumers {
			cname, err := r.ReadString()
			if err != nil {
				return nil, err
			}
			c := g.CreateConsumer(cname, 0)
			if c == nil {
				return nil, corrupt("duplicate consumer %q", cname)
			}
			if c.SeenTime, err = r.ReadMillis(); err != nil {
				return nil, err
			}
			c.ActiveTime = c.SeenTime
			if t >= TypeStreamListpacks3 {
				if c.ActiveTime, err = r.ReadMillis(); err != nil {
					return nil, err
				}
			}
			n, err := r.readCount(16)
			if err != nil {
				return nil, err
			}
			for range n {
				id, err := r.readRawStreamID()
				if err != nil {
					return nil, err
				}
				pe := g.PEL.Get(id)
				if pe == nil {
					return nil, corrupt("consumer's pending entry %s not in the group's", id)
				}
				if pe.Consumer != nil {
					return nil, corrupt("pending entry %s owned twice", id)
				}
				pe.Consumer = c
				c.PEL.Set(pe)
			}
		}
		// Every pending entry needs its consumer: Redis refuses orphans
		// under deep validation (and would crash on them later without);
		// Petrel drops them.
		var orphans []types.StreamID
		g.PEL.Ascend(types.StreamID{}, func(pe *types.PendingEntry) bool {
			if pe.Consumer == nil {
				orphans = append(orphans, pe.ID)
			}
			return true
		})
		if len(orphans) > 0 && deep {
			return nil, corrupt("pending entry without a consumer")
		}
		for _, id := range orphans {
			g.PEL.Delete(id)
		}
	}
	return s, nil
}
