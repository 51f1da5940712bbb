package rdb

import (
	"bytes"
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"

	"petrel/internal/num"
	"petrel/types"
)

// Object is one value: a string, or one of the types package's values.
type Object struct {
	Str []byte      // the string's bytes, when Val is nil
	Val types.Value // *types.List, *types.Set, *types.ZSet, *types.Hash or *types.Stream
}

// maxFieldExpire is the latest field expiry Redis 7.4 stores
// (EB_EXPIRE_TIME_MAX).
const maxFieldExpire = 1<<48 - 1

// Quicklist node containers.
const (
	containerPlain  = 1
	containerPacked = 2
)

// plainThreshold is the element size from which Redis gives a list element
// a node of its own, stored as it is (packed_threshold's default).
const plainThreshold = 1 << 30

// ObjectType returns the type WriteValue writes o with, and the oldest RDB
// version that has it.
func ObjectType(o Object) (Type, int, error) {
	switch v := o.Val.(type) {
	case nil:
		return TypeString, Version, nil
	case *types.List:
		return TypeListQuicklist2, Version, nil
	case *types.Set:
		if v.IsIntset() {
			return TypeSetIntset, Version, nil
		}
		return TypeSet, Version, nil
	case *types.ZSet:
		if v.IsCompact() {
			return TypeZsetListpack, Version, nil
		}
		return TypeZset2, Version, nil
	case *types.Hash:
		switch {
		case v.IsCompact() && (v.Encoding() == "listpackex" || v.HasVolatile()):
			return TypeHashListpackEx, VersionHashFieldExpiry, nil
		case v.IsCompact():
			return TypeHashListpack, Version, nil
		case v.HasVolatile():
			return TypeHashMetadata, VersionHashFieldExpiry, nil
		}
		return TypeHash, Version, nil
	case *types.Stream:
		return TypeStreamListpacks2, Version, nil
	}
	return 0, 0, fmt.Errorf("rdb: cannot serialize a %s value", o.Val.Type())
}

// WriteObject writes o's type byte and value, and returns the type.
func (w *Writer) WriteObject(o Object) (Type, error) {
	t, _, err := ObjectType(o)
	if err != nil {
		return 0, err
	}
	w.WriteType(t)
	return t, w.WriteValue(t, o)
}

// WriteValue writes o's value (without the type byte) in the encoding of
// t, which must be what ObjectType returns for o.
func (w *Writer) WriteValue(t Type, o Object) error {
	switch v := o.Val.(type) {
	case nil:
		w.WriteString(o.Str)
	case *types.List:
		w.writeList(v)
	case *types.Set:
		w.writeSet(t, v)
	case *types.ZSet:
		w.writeZset(t, v)
	case *types.Hash:
		w.writeHash(t, v)
	case *types.Stream:
		w.writeStream(v)
	default:
		return fmt.Errorf("rdb: cannot serialize a %s value", o.Val.Type())
	}
	return w.err
}

// nodeFits reports whether a quicklist node of size bytes and count
// elements is within list-max-listpack-size (fill): a byte limit of 4 KiB
// to 64 KiB for fill -1 to -5, else at most fill elements and 8 KiB.
func nodeFits(size, count, fill int) bool {
	if fill < 0 {
		return size <= 4096<<(min(-fill, 5)-1)
	}
	return count <= fill && size <= 8192
}

// writeList writes a list as a quicklist 2: its node count, then per node
// its container and a listpack (or, for a huge element, the element
// alone). Nodes are filled up to list-max-listpack-size; a first pass
// finds their boundaries, since the count comes first.
func (w *Writer) writeList(l *types.List) {
	fill := w.opts.limits().ListMaxListpackSize
	var counts []int // elements per node; 0 for a plain node
	size, n := lpHeaderSize+1, 0
	it := l.Iter(0, l.Len())
	for v, ok := it.Next(); ok; v, ok = it.Next() {
		if len(v) >= plainThreshold {
			if n > 0 {
				counts = append(counts, n)
			}
			counts = append(counts, 0)
			size, n = lpHeaderSize+1, 0
			continue
		}
		es := lpElemSize(v)
		if n > 0 && !nodeFits(size+es, n+1, fill) {
			counts = append(counts, n)
			size, n = lpHeaderSize+1, 0
		}
		size += es
		n++
	}
	if n > 0 {
		counts = append(counts, n)
	}
	w.WriteLen(uint64(len(counts)))
	it = l.Iter(0, l.Len())
	var lp lpBuilder
	for _, c := range counts {
		if c == 0 {
			v, _ := it.Next()
			w.WriteLen(containerPlain)
			w.WriteString(v)
			continue
		}
		w.WriteLen(containerPacked)
		lp.reset(w.lp)
		for range c {
			v, _ := it.Next()
			lp.add(v)
		}
		w.writeListpack(&lp)
	}
}

func (w *Writer) writeListpack(lp *lpBuilder) {
	b := lp.finish()
	w.lp = lp.b
	if b == nil {
		w.err = fmt.Errorf("rdb: listpack exceeds 4 GiB")
		return
	}
	w.WriteString(b)
}

func (w *Writer) writeSet(t Type, s *types.Set) {
	if t == TypeSet {
		w.WriteLen(uint64(s.Len()))
		s.Members(func(m []byte) bool {
			w.WriteString(m)
			return w.err == nil
		})
		return
	}
	// An intset: Redis's blob, elements at the narrowest width that holds
	// them all, ascending (the order Members gives).
	vals := make([]int64, 0, s.Len())
	width := 2
	s.Members(func(m []byte) bool {
		v, _ := num.ParseInt(m)
		vals = append(vals, v)
		switch {
		case v < math.MinInt32 || v > math.MaxInt32:
			width = 8
		case (v < math.MinInt16 || v > math.MaxInt16) && width < 4:
			width = 4
		}
		return true
	})
	b := make([]byte, 8, 8+len(vals)*width)
	b[0] = byte(width)
	b[4], b[5], b[6], b[7] = byte(len(vals)), byte(len(vals)>>8), byte(len(vals)>>16), byte(len(vals)>>24)
	for _, v := range vals {
		for i := range width {
			b = append(b, byte(v>>(8*i)))
		}
	}
	w.WriteString(b)
}

// appendScore formats a score as Redis 7.0's d2string does for listpacks:
// integral values below 2^52 as integers, others as "%.17g".
func appendScore(dst []byte, f float64) []byte {
	switch {
	case f == 0 && math.Signbit(f):
		return append(dst, "-0"...)
	case f > -4503599627370495 && f < 4503599627370496 && f == math.Trunc(f):
		return strconv.AppendInt(dst, int64(f), 10)
	}
	return num.AppendFloat17(dst, f)
}

func (w *Writer) writeZset(t Type, z *types.ZSet) {
	if t == TypeZset2 {
		// Highest score first, as Redis writes them (its loader then
		// always inserts at the head).
		w.WriteLen(uint64(z.Len()))
		z.RangeByRank(0, z.Len()-1, true, func(m []byte, s float64) {
			w.WriteString(m)
			w.WriteBinaryDouble(s)
		})
		return
	}
	var lp lpBuilder
	lp.reset(w.lp)
	var sc [32]byte
	z.Each(func(m []byte, s float64) {
		lp.add(m)
		lp.add(appendScore(sc[:0], s))
	})
	w.writeListpack(&lp)
}

func (w *Writer) writeHash(t Type, h *types.Hash) {
	switch t {
	case TypeHash:
		w.WriteLen(uint64(h.Len()))
		h.EachWithExpiry(func(f, v []byte, _ int64) bool {
			w.WriteString(f)
			w.WriteString(v)
			return w.err == nil
		})
	case TypeHashMetadata:
		// The earliest expiry, then each field's expiry relative to it,
		// plus one (0 stands for none).
		minAt := int64(math.MaxInt64)
		h.EachWithExpiry(func(_, _ []byte, at int64) bool {
			if at != 0 {
				minAt = min(minAt, at)
			}
			return true
		})
		w.WriteMillis(minAt)
		w.WriteLen(uint64(h.Len()))
		h.EachWithExpiry(func(f, v []byte, at int64) bool {
			if at == 0 {
				w.WriteLen(0)
			} else {
				w.WriteLen(uint64(at-minAt) + 1)
			}
			w.WriteString(f)
			w.WriteString(v)
			return w.err == nil
		})
	default:
		ex := t == TypeHashListpackEx
		if ex {
			w.WriteMillis(h.NextExpiry())
		}
		var lp lpBuilder
		lp.reset(w.lp)
		h.EachWithExpiry(func(f, v []byte, at int64) bool {
			lp.add(f)
			lp.add(v)
			if ex {
				lp.addInt(at)
			}
			return true
		})
		w.writeListpack(&lp)
	}
}

// ReadObject reads a type byte and the value that follows.
func (r *Reader) ReadObject() (Object, Type, error) {
	t, err := r.ReadType()
	if err != nil {
		return Object{}, 0, err
	}
	o, err := r.ReadValue(t)
	return o, t, err
}

// ReadValue reads a value of type t into the in-memory encoding Redis
// would load it in under the Options' limits.
func (r *Reader) ReadValue(t Type) (Object, error) {
	switch t {
	case TypeString:
		s, err := r.ReadString()
		return Object{Str: bytes.Clone(s)}, err
	case TypeList, TypeListZiplist, TypeListQuicklist, TypeListQuicklist2:
		l, err := r.readList(t)
		return Object{Val: l}, err
	case TypeSet, TypeSetIntset, TypeSetListpack:
		s, err := r.readSet(t)
		return Object{Val: s}, err
	case TypeZset, TypeZset2, TypeZsetZiplist, TypeZsetListpack:
		z, err := r.readZset(t)
		return Object{Val: z}, err
	case TypeHash, TypeHashZipmap, TypeHashZiplist, TypeHashListpack,
		TypeHashListpackEx, TypeHashListpackExPre, TypeHashMetadata, TypeHashMetadataPreGA:
		h, err := r.readHash(t)
		return Object{Val: h}, err
	case TypeStreamListpacks, TypeStreamListpacks2, TypeStreamListpacks3:
		s, err := r.readStream(t)
		return Object{Val: s}, err
	case TypeModulePreGA, TypeModule2:
		return Object{}, corrupt("module values are not supported")
	}
	return Object{}, corrupt("unknown value type %d", t)
}

var errEmpty = corrupt("empty value")

func (r *Reader) readList(t Type) (*types.List, error) {
	lim := r.opts.limits()
	l := types.NewList()
	l.SetCompressDepth(lim.ListCompressDepth)
	push := func(v []byte) { l.Push(v, true, lim.ListMaxListpackSize) }
	var sc [20]byte
	switch t {
	case TypeList:
		n, err := r.readCount(1)
		if err != nil {
			return nil, err
		}
		for range n {
			s, err := r.ReadString()
			if err != nil {
				return nil, err
			}
			push(s)
		}
	case TypeListZiplist:
		b, err := r.ReadString()
		if err != nil {
			return nil, err
		}
		if err := eachZiplist(b, &sc, push); err != nil {
			return nil, err
		}
	default:
		nodes, err := r.readCount(1)
		if err != nil {
			return nil, err
		}
		for range nodes {
			container := uint64(containerPacked)
			if t == TypeListQuicklist2 {
				if container, err = r.ReadLen(); err != nil {
					return nil, err
				}
				if container != containerPlain && container != containerPacked {
					return nil, corrupt("quicklist container %d", container)
				}
			}
			b, err := r.ReadString()
			if err != nil {
				return nil, err
			}
			if len(b) == 0 {
				return nil, corrupt("empty quicklist node")
			}
			switch {
			case container == containerPlain:
				push(b)
			case t == TypeListQuicklist:
				err = eachZiplist(b, &sc, push)
			default:
				err = r.eachListpack(b, &sc, push)
			}
			if err != nil {
				return nil, err
			}
		}
	}
	if l.Len() == 0 {
		return nil, errEmpty
	}
	return l, nil
}

func eachZiplist(b []byte, sc *[20]byte, fn func([]byte)) error {
	zl, err := newZLReader(b)
	if err != nil {
		return err
	}
	for {
		s, ok, err := zl.nextString(sc)
		if err != nil || !ok {
			return err
		}
		fn(s)
	}
}

func (r *Reader) eachListpack(b []byte, sc *[20]byte, fn func([]byte)) error {
	lp, err := newLPReader(b, r.opts.deep())
	if err != nil {
		return err
	}
	for {
		s, ok, err := lp.nextString(sc)
		if err != nil || !ok {
			return err
		}
		fn(s)
	}
}

// arena collects strings in one buffer.
type arena struct {
	buf  []byte
	ends []int
}

func (a *arena) add(s []byte) {
	a.buf = append(a.buf, s...)
	a.ends = append(a.ends, len(a.buf))
}

func (a *arena) strings() [][]byte {
	out := make([][]byte, len(a.ends))
	start := 0
	for i, end := range a.ends {
		out[i] = a.buf[start:end:end]
		start = end
	}
	return out
}

func (r *Reader) readSet(t Type) (*types.Set, error) {
	var members arena
	var sc [20]byte
	deep := r.opts.deep()
	// Redis refuses duplicates in a plain set always, in the compact forms
	// only under deep validation (its intset check is that the elements
	// ascend strictly, which also orders them).
	dupsFatal := deep || t == TypeSet
	switch t {
	case TypeSet:
		n, err := r.readCount(1)
		if err != nil {
			return nil, err
		}
		for range n {
			if members.buf, err = r.AppendString(members.buf); err != nil {
				return nil, err
			}
			members.ends = append(members.ends, len(members.buf))
		}
	case TypeSetIntset:
		b, err := r.ReadString()
		if err != nil {
			return nil, err
		}
		vals, err := intsetValues(b, deep)
		if err != nil {
			return nil, err
		}
		for _, v := range vals {
			members.add(strconv.AppendInt(sc[:0], v, 10))
		}
	case TypeSetListpack:
		b, err := r.ReadString()
		if err != nil {
			return nil, err
		}
		if err := r.eachListpack(b, &sc, members.add); err != nil {
			return nil, err
		}
	}
	if len(members.ends) == 0 {
		return nil, errEmpty
	}
	s := types.NewSet()
	all := members.strings()
	if s.AddAll(all, r.opts.limits().SetMaxIntsetEntries) != len(all) && dupsFatal {
		return nil, corrupt("duplicate set members")
	}
	return s, nil
}

// scoreOf reads a listpack or ziplist score: an integer, or text as C's
// strtod reads it.
func scoreOf(s []byte, v int64, isInt bool) (float64, error) {
	if isInt {
		return float64(v), nil
	}
	f, err := strconv.ParseFloat(string(s), 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
			return 0, corrupt("score %q", s)
		}
	}
	return f, nil
}

type pairReader interface {
	next() (s []byte, v int64, isInt, ok bool, err error)
}

func (r *Reader) readZset(t Type) (*types.ZSet, error) {
	lim := r.opts.limits()
	zlim := types.ZLimits{MaxEntries: lim.ZsetMaxListpackEntries, MaxValue: lim.ZsetMaxListpackValue}
	var entries []types.ZEntry
	seen := map[string]struct{}{}
	// A compact encoding is kept by Redis whatever its members' sizes;
	// only its length decides. Duplicates are always refused, except in a
	// listpack without deep validation (the first one is kept).
	dupsFatal := true
	add := func(m []byte, score float64) error {
		if math.IsNaN(score) {
			return corrupt("NaN score")
		}
		if _, dup := seen[string(m)]; dup {
			if dupsFatal {
				return corrupt("duplicate sorted set member")
			}
			return nil
		}
		seen[string(m)] = struct{}{}
		entries = append(entries, types.ZEntry{Member: string(m), Score: score})
		return nil
	}
	switch t {
	case TypeZset, TypeZset2:
		n, err := r.readCount(2)
		if err != nil {
			return nil, err
		}
		for range n {
			m, err := r.ReadString()
			if err != nil {
				return nil, err
			}
			var score float64
			if t == TypeZset2 {
				score, err = r.ReadBinaryDouble()
			} else {
				score, err = r.ReadStringDouble()
			}
			if err != nil {
				return nil, err
			}
			if err := add(m, score); err != nil {
				return nil, err
			}
		}
	default:
		zlim.MaxValue = unlimited
		b, err := r.ReadString()
		if err != nil {
			return nil, err
		}
		var pr pairReader
		if t == TypeZsetZiplist {
			zl, err := newZLReader(b)
			if err != nil {
				return nil, err
			}
			pr = &zl
		} else {
			dupsFatal = r.opts.deep()
			lp, err := newLPReader(b, r.opts.deep())
			if err != nil {
				return nil, err
			}
			pr = &lp
		}
		var sc [20]byte
		for {
			ms, mv, mInt, ok, err := pr.next()
			if err != nil {
				return nil, err
			}
			if !ok {
				break
			}
			if mInt {
				ms = strconv.AppendInt(sc[:0], mv, 10)
			}
			ss, sv, sInt, ok, err := pr.next()
			if err != nil {
				return nil, err
			}
			if !ok {
				return nil, corrupt("sorted set member without a score")
			}
			score, err := scoreOf(ss, sv, sInt)
			if err != nil {
				return nil, err
			}
			if err := add(ms, score); err != nil {
				return nil, err
			}
		}
	}
	if len(entries) == 0 {
		return nil, errEmpty
	}
	slices.SortFunc(entries, func(a, b types.ZEntry) int {
		if c := cmp.Compare(a.Score, b.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.Member, b.Member)
	})
	return types.NewZSetFromSorted(entries, zlim), nil
}

// hashBuilder fills a hash with fields as they are read.
type hashBuilder struct {
	h         *types.Hash
	lim       types.HashLimits
	dupsFatal bool
	n         int
}

func (hb *hashBuilder) add(f, v []byte, at int64) error {
	if at < 0 || at > maxFieldExpire {
		return corrupt("field expiry %d", at)
	}
	compact := hb.h.IsCompact()
	if !hb.dupsFatal && compact {
		if _, dup, _ := hb.h.Get(f, math.MinInt64); dup {
			return nil // Redis would keep both; the first one wins its lookups
		}
	}
	if !hb.h.Set(f, v, false, math.MinInt64, hb.lim) {
		// Redis's hash tables refuse a duplicate, its listpacks only
		// under deep validation.
		if hb.dupsFatal || !compact {
			return corrupt("duplicate hash field")
		}
		return nil
	}
	if at != 0 {
		// Expiries already past are kept, as Redis keeps them: the
		// field expires (lazily or actively) like any other.
		hb.h.SetFieldExpire(f, at, 0, math.MinInt64)
	}
	hb.n++
	return nil
}

func (r *Reader) readHash(t Type) (*types.Hash, error) {
	lim := r.opts.limits()
	deep := r.opts.deep()
	hb := hashBuilder{
		h:         types.NewHash(),
		lim:       types.HashLimits{MaxEntries: lim.HashMaxListpackEntries, MaxValue: lim.HashMaxListpackValue},
		dupsFatal: deep || t == TypeHashZipmap || t == TypeHashZiplist,
	}
	var fs, vs [20]byte
	switch t {
	case TypeHash, TypeHashMetadata, TypeHashMetadataPreGA:
		var minAt uint64
		if t == TypeHashMetadata {
			m, err := r.ReadMillis()
			if err != nil {
				return nil, err
			}
			minAt = uint64(m)
		}
		n, err := r.readCount(2)
		if err != nil {
			return nil, err
		}
		if t != TypeHash {
			hb.h.EnableFieldExpiry()
		}
		if n > hb.lim.MaxEntries {
			// Too many fields: a hash table from the first one, as in
			// Redis.
			hb.lim.MaxEntries = 0
		}
		var f []byte
		for range n {
			var at uint64
			if t != TypeHash {
				if at, err = r.ReadLen(); err != nil {
					return nil, err
				}
				if t == TypeHashMetadata && at != 0 {
					at += minAt - 1
					if at < minAt {
						return nil, corrupt("field expiry overflows")
					}
				}
				if at > maxFieldExpire {
					return nil, corrupt("field expiry %d", at)
				}
			}
			if f, err = r.AppendString(f[:0]); err != nil {
				return nil, err
			}
			v, err := r.ReadString()
			if err != nil {
				return nil, err
			}
			if err := hb.add(f, v, int64(at)); err != nil {
				return nil, err
			}
		}
	case TypeHashZipmap:
		b, err := r.ReadString()
		if err != nil {
			return nil, err
		}
		zm, err := newZMReader(b)
		if err != nil {
			return nil, err
		}
		// Redis converts a zipmap by its length and its longest string,
		// as the limits do.
		for {
			k, v, ok, err := zm.next()
			if err != nil {
				return nil, err
			}
			if !ok {
				break
			}
			if err := hb.add(k, v, 0); err != nil {
				return nil, err
			}
		}
	default:
		// Ziplists and listpacks: kept compact whatever the sizes of
		// their strings, converted only for their length.
		hb.lim.MaxValue = unlimited
		ex := t == TypeHashListpackEx || t == TypeHashListpackExPre
		if t == TypeHashListpackEx {
			if _, err := r.ReadMillis(); err != nil {
				return nil, err
			}
		}
		b, err := r.ReadString()
		if err != nil {
			return nil, err
		}
		var pr pairReader
		if t == TypeHashZiplist {
			zl, err := newZLReader(b)
			if err != nil {
				return nil, err
			}
			pr = &zl
		} else {
			lp, err := newLPReader(b, deep)
			if err != nil {
				return nil, err
			}
			pr = &lp
		}
		if ex {
			hb.h.EnableFieldExpiry()
		}
		lastAt := int64(-1)
		for {
			f, ok, err := nextString(pr, &fs)
			if err != nil {
				return nil, err
			}
			if !ok {
				break
			}
			v, ok, err := nextString(pr, &vs)
			if err != nil {
				return nil, err
			}
			if !ok {
				return nil, corrupt("hash field without a value")
			}
			var at int64
			if ex {
				_, tv, isInt, ok, err := pr.next()
				if err != nil {
					return nil, err
				}
				if !ok || !isInt {
					return nil, corrupt("hash field without an expiry")
				}
				// Fields with an expiry come first, by time.
				if deep && tv != 0 && (lastAt == 0 || tv < lastAt) {
					return nil, corrupt("hash field expiries out of order")
				}
				at, lastAt = tv, tv
			}
			if err := hb.add(f, v, at); err != nil {
				return nil, err
			}
		}
	}
	if hb.n == 0 {
		return nil, errEmpty
	}
	return hb.h, nil
}

func nextString(pr pairReader, sc *[20]byte) ([]byte, bool, error) {
	s, v, isInt, ok, err := pr.next()
	if isInt {
		s = strconv.AppendInt(sc[:0], v, 10)
	}
	return s, ok, err
}
