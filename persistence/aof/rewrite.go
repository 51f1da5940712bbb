package aof

import (
	"io"
	"strconv"

	"petrel/internal/num"
	"petrel/persistence/rdb"
	"petrel/types"
)

// itemsPerCmd is how many elements Redis puts in one command of a
// rewritten AOF (AOF_REWRITE_ITEMS_PER_CMD): a list of 70 elements becomes
// an RPUSH of 64 and one of 6.
const itemsPerCmd = 64

// flushAt is the buffered size from which RewriteRDB writes to w.
const flushAt = 64 << 10

// RewriteRDB reads an RDB snapshot from r and writes to w the commands that
// rebuild it, as Redis writes an AOF base file with aof-use-rdb-preamble
// no: FUNCTION LOAD for each function library, then for each database with
// keys a SELECT and, per key, SET (strings), RPUSH, SADD, ZADD, HMSET (at
// most 64 elements a command), XADD/XSETID/XGROUP/XCLAIM (streams),
// HPEXPIREAT for hash fields with a TTL, and PEXPIREAT for a key with a
// TTL. opts are the RDB reader's options. With aof-timestamp-enabled
// Redis starts the file with a timestamp annotation ([AppendTimestamp]),
// which the caller writes first.
func RewriteRDB(w io.Writer, r io.Reader, opts *rdb.Options) error {
	rw := rewriter{w: w, db: -1}
	rr := rdb.NewReader(r, opts)
	_, err := rdb.ReadFile(rr, rdb.FileHandler{
		Function: func(code []byte) error {
			rw.buf = AppendCommand(rw.buf, [][]byte{[]byte("FUNCTION"), []byte("LOAD"), code})
			return rw.maybeFlush()
		},
		Key: func(k *rdb.Key) error {
			if k.DB != rw.db {
				rw.buf = AppendSelect(rw.buf, k.DB)
				rw.db = k.DB
			}
			rw.key(k)
			return rw.maybeFlush()
		},
	})
	if err != nil {
		return err
	}
	return rw.flush()
}

// rewriter buffers the commands RewriteRDB writes.
type rewriter struct {
	w   io.Writer
	buf []byte
	db  int
	num [48]byte
}

func (rw *rewriter) maybeFlush() error {
	if len(rw.buf) < flushAt {
		return nil
	}
	return rw.flush()
}

func (rw *rewriter) flush() error {
	if len(rw.buf) == 0 {
		return nil
	}
	_, err := rw.w.Write(rw.buf)
	rw.buf = rw.buf[:0]
	return err
}

// head starts a command of n arguments.
func (rw *rewriter) head(n int) {
	rw.buf = append(rw.buf, '*')
	rw.buf = strconv.AppendInt(rw.buf, int64(n), 10)
	rw.buf = append(rw.buf, '\r', '\n')
}

func (rw *rewriter) bulk(b []byte) { rw.buf = appendBulk(rw.buf, b) }

func (rw *rewriter) str(s string) {
	rw.buf = append(rw.buf, '$')
	rw.buf = strconv.AppendInt(rw.buf, int64(len(s)), 10)
	rw.buf = append(rw.buf, '\r', '\n')
	rw.buf = append(rw.buf, s...)
	rw.buf = append(rw.buf, '\r', '\n')
}

func (rw *rewriter) int(v int64) { rw.bulk(strconv.AppendInt(rw.num[:0], v, 10)) }

func (rw *rewriter) uint(v uint64) { rw.bulk(strconv.AppendUint(rw.num[:0], v, 10)) }

func (rw *rewriter) id(id types.StreamID) { rw.bulk(id.Append(rw.num[:0])) }

// batcher emits the elements of one collection as commands of at most
// itemsPerCmd elements each, starting each with name and key.
type batcher struct {
	rw      *rewriter
	name    string
	key     []byte
	left    int // elements not yet emitted
	inCmd   int // elements still to come in the current command
	perElem int // arguments per element
}

func (b *batcher) next() {
	if b.inCmd == 0 {
		b.inCmd = min(b.left, itemsPerCmd)
		b.rw.head(2 + b.inCmd*b.perElem)
		b.rw.str(b.name)
		b.rw.bulk(b.key)
	}
	b.inCmd--
	b.left--
}

func (rw *rewriter) key(k *rdb.Key) {
	key := k.Key
	switch v := k.Value.Val.(type) {
	case nil:
		rw.head(3)
		rw.str("SET")
		rw.bulk(key)
		rw.bulk(k.Value.Str)
	case *types.List:
		b := batcher{rw: rw, name: "RPUSH", key: key, left: v.Len(), perElem: 1}
		it := v.Iter(0, v.Len())
		for {
			e, ok := it.Next()
			if !ok {
				break
			}
			b.next()
			rw.bulk(e)
		}
	case *types.Set:
		b := batcher{rw: rw, name: "SADD", key: key, left: v.Len(), perElem: 1}
		v.Members(func(m []byte) bool {
			b.next()
			rw.bulk(m)
			return true
		})
	case *types.ZSet:
		b := batcher{rw: rw, name: "ZADD", key: key, left: v.Len(), perElem: 2}
		v.Each(func(m []byte, score float64) {
			b.next()
			rw.bulk(num.AppendFloat17(rw.num[:0], score))
			rw.bulk(m)
		})
	case *types.Hash:
		rw.hash(key, v)
	case *types.Stream:
		rw.stream(key, v)
	}
	if k.ExpireAt != 0 {
		rw.head(3)
		rw.str("PEXPIREAT")
		rw.bulk(key)
		rw.int(k.ExpireAt)
	}
}

func (rw *rewriter) hash(key []byte, h *types.Hash) {
	n := 0
	h.EachWithExpiry(func(_, _ []byte, _ int64) bool { n++; return true })
	b := batcher{rw: rw, name: "HMSET", key: key, left: n, perElem: 2}
	h.EachWithExpiry(func(f, v []byte, _ int64) bool {
		b.next()
		rw.bulk(f)
		rw.bulk(v)
		return true
	})
	if !h.HasVolatile() {
		return
	}
	h.EachWithExpiry(func(f, _ []byte, at int64) bool {
		if at != 0 {
			rw.head(6)
			rw.str("HPEXPIREAT")
			rw.bulk(key)
			rw.int(at)
			rw.str("FIELDS")
			rw.str("1")
			rw.bulk(f)
		}
		return true
	})
}

// stream writes a stream as Redis rewrites one: its entries (XADD), its
// last ID and counters (XSETID), then its groups, their consumers and
// pending entries.
func (rw *rewriter) stream(key []byte, s *types.Stream) {
	if s.Len() > 0 {
		it := s.Iter(types.StreamID{}, types.MaxStreamID, false)
		for {
			id, fv, ok := it.Next()
			if !ok {
				break
			}
			rw.head(3 + len(fv))
			rw.str("XADD")
			rw.bulk(key)
			rw.id(id)
			for _, x := range fv {
				rw.bulk(x)
			}
		}
	} else {
		// XADD then trimmed to nothing creates the key empty.
		rw.head(7)
		rw.str("XADD")
		rw.bulk(key)
		rw.str("MAXLEN")
		rw.str("0")
		rw.str("0-1")
		rw.str("x")
		rw.str("y")
	}
	rw.head(7)
	rw.str("XSETID")
	rw.bulk(key)
	rw.id(s.LastID)
	rw.str("ENTRIESADDED")
	rw.uint(s.EntriesAdded)
	rw.str("MAXDELETEDID")
	rw.id(s.MaxDeletedID)
	for _, g := range s.Groups() {
		rw.head(7)
		rw.str("XGROUP")
		rw.str("CREATE")
		rw.bulk(key)
		rw.str(g.Name)
		rw.id(g.LastID)
		rw.str("ENTRIESREAD")
		rw.int(g.EntriesRead)
		for _, c := range g.Consumers() {
			if c.PEL.Len() == 0 {
				rw.head(5)
				rw.str("XGROUP")
				rw.str("CREATECONSUMER")
				rw.bulk(key)
				rw.str(g.Name)
				rw.str(c.Name)
				continue
			}
			c.PEL.Ascend(types.StreamID{}, func(pe *types.PendingEntry) bool {
				rw.head(12)
				rw.str("XCLAIM")
				rw.bulk(key)
				rw.str(g.Name)
				rw.str(c.Name)
				rw.str("0")
				rw.id(pe.ID)
				rw.str("TIME")
				rw.int(pe.DeliveryTime)
				rw.str("RETRYCOUNT")
				rw.uint(pe.DeliveryCount)
				rw.str("JUSTID")
				rw.str("FORCE")
				return true
			})
		}
	}
}
