package rdb

import (
	"encoding/binary"
	"math"
	"strconv"
)

// The compact encodings of older RDB versions, read only: ziplists
// (Redis < 7), intsets and zipmaps (Redis < 2.6). Redis validates ziplists
// and zipmaps fully whatever sanitize-dump-payload says, because it
// converts them on load; so does this.

// Ziplist layout:
//
//	zlbytes  uint32 LE, the whole ziplist
//	zltail   uint32 LE, offset of the last entry
//	zllen    uint16 LE, entries (65535: count by walking)
//	entries  prevlen encoding [data]
//	zlend    0xFF
//
// prevlen is the previous entry's size: one byte below 254, else 0xFE and
// 4 bytes LE. The encoding byte selects a string with a 6-bit length
// (00llllll), a 14-bit big-endian length (01llllll +1 byte) or a 32-bit
// big-endian one (10______ +4 bytes), or an integer: 16, 32, 64, 24 or
// 8-bit (0xC0, 0xD0, 0xE0, 0xF0, 0xFE, data LE), or 0 to 12 in the
// encoding byte itself (0xF1..0xFD).

const zlHeaderSize = 10

type zlReader struct {
	b        []byte
	off      int
	n        int
	prevSize int
	last     int // offset of the last entry read
}

func newZLReader(b []byte) (zlReader, error) {
	if len(b) < zlHeaderSize+1 {
		return zlReader{}, corrupt("ziplist of %d bytes", len(b))
	}
	if uint64(binary.LittleEndian.Uint32(b)) != uint64(len(b)) {
		return zlReader{}, corrupt("ziplist size field %d, blob %d", binary.LittleEndian.Uint32(b), len(b))
	}
	if b[len(b)-1] != 0xFF {
		return zlReader{}, corrupt("ziplist without terminator")
	}
	if binary.LittleEndian.Uint32(b[4:]) > uint32(len(b)-1) {
		return zlReader{}, corrupt("ziplist tail offset past the end")
	}
	return zlReader{b: b, off: zlHeaderSize, last: zlHeaderSize}, nil
}

// next returns the next entry; ok is false at the end, where the tail
// offset and count fields are checked.
func (r *zlReader) next() (s []byte, v int64, isInt, ok bool, err error) {
	b, p := r.b, r.off
	end := len(b) - 1
	if p >= end {
		if int(binary.LittleEndian.Uint32(b[4:])) != r.last {
			return nil, 0, false, false, corrupt("ziplist tail offset %d, last entry at %d", binary.LittleEndian.Uint32(b[4:]), r.last)
		}
		if c := int(binary.LittleEndian.Uint16(b[8:])); c != math.MaxUint16 && c != r.n {
			return nil, 0, false, false, corrupt("ziplist count field %d, %d entries", c, r.n)
		}
		return nil, 0, false, false, nil
	}
	start := p
	var prev int
	if b[p] < 0xFE {
		prev = int(b[p])
		p++
	} else if b[p] == 0xFE {
		if p+5 > end {
			return nil, 0, false, false, corrupt("ziplist prevlen past the end")
		}
		prev = int(binary.LittleEndian.Uint32(b[p+1:]))
		p += 5
	} else {
		return nil, 0, false, false, corrupt("ziplist end marker inside the entries")
	}
	if prev != r.prevSize {
		return nil, 0, false, false, corrupt("ziplist prevlen %d, previous entry %d bytes", prev, r.prevSize)
	}
	if p >= end {
		return nil, 0, false, false, corrupt("ziplist entry past the end")
	}
	e := b[p]
	var hdr, dlen int
	switch {
	case e>>6 == 0:
		hdr, dlen = 1, int(e&0x3F)
	case e>>6 == 1:
		if p+2 > end {
			return nil, 0, false, false, corrupt("ziplist entry past the end")
		}
		hdr, dlen = 2, int(e&0x3F)<<8|int(b[p+1])
	case e>>6 == 2:
		if p+5 > end {
			return nil, 0, false, false, corrupt("ziplist entry past the end")
		}
		n := binary.BigEndian.Uint32(b[p+1:])
		if uint64(n) > uint64(end) {
			return nil, 0, false, false, corrupt("ziplist string past the end")
		}
		hdr, dlen = 5, int(n)
	default:
		hdr, isInt = 1, true
		switch {
		case e == 0xC0:
			dlen = 2
		case e == 0xD0:
			dlen = 4
		case e == 0xE0:
			dlen = 8
		case e == 0xF0:
			dlen = 3
		case e == 0xFE:
			dlen = 1
		case e >= 0xF1 && e <= 0xFD:
			v = int64(e&0x0F) - 1
		default:
			return nil, 0, false, false, corrupt("ziplist encoding byte %#x", e)
		}
	}
	if p+hdr+dlen > end {
		return nil, 0, false, false, corrupt("ziplist entry past the end")
	}
	d := b[p+hdr : p+hdr+dlen]
	if isInt {
		switch e {
		case 0xC0:
			v = int64(int16(binary.LittleEndian.Uint16(d)))
		case 0xD0:
			v = int64(int32(binary.LittleEndian.Uint32(d)))
		case 0xE0:
			v = int64(binary.LittleEndian.Uint64(d))
		case 0xF0:
			v = int64(int32(uint32(d[0])|uint32(d[1])<<8|uint32(d[2])<<16) << 8 >> 8)
		case 0xFE:
			v = int64(int8(d[0]))
		}
	} else {
		s = d
	}
	r.off = p + hdr + dlen
	r.prevSize = r.off - start
	r.last = start
	r.n++
	return s, v, isInt, true, nil
}

func (r *zlReader) nextString(scratch *[20]byte) ([]byte, bool, error) {
	s, v, isInt, ok, err := r.next()
	if isInt {
		s = strconv.AppendInt(scratch[:0], v, 10)
	}
	return s, ok, err
}

// Intset layout: encoding uint32 LE (the element width: 2, 4 or 8), length
// uint32 LE, then the elements, sorted ascending, little endian.

// intsetValues decodes an intset. The header must be consistent and the
// set not empty; with deep validation the elements must be strictly
// ascending, as Redis's intsetValidateIntegrity checks.
func intsetValues(b []byte, deep bool) ([]int64, error) {
	if len(b) < 8 {
		return nil, corrupt("intset of %d bytes", len(b))
	}
	w := binary.LittleEndian.Uint32(b)
	if w != 2 && w != 4 && w != 8 {
		return nil, corrupt("intset encoding %d", w)
	}
	n := uint64(binary.LittleEndian.Uint32(b[4:]))
	if 8+n*uint64(w) != uint64(len(b)) {
		return nil, corrupt("intset of %d elements in %d bytes", n, len(b))
	}
	if n == 0 {
		return nil, corrupt("empty intset")
	}
	vals := make([]int64, n)
	for i := range vals {
		d := b[8+i*int(w):]
		switch w {
		case 2:
			vals[i] = int64(int16(binary.LittleEndian.Uint16(d)))
		case 4:
			vals[i] = int64(int32(binary.LittleEndian.Uint32(d)))
		default:
			vals[i] = int64(binary.LittleEndian.Uint64(d))
		}
		if deep && i > 0 && vals[i] <= vals[i-1] {
			return nil, corrupt("intset not strictly ascending")
		}
	}
	return vals, nil
}

// Zipmap layout: a count byte (254 or more: count by walking), then per
// pair: key length, key, value length, a free byte, value, free bytes; then
// 0xFF. A length is one byte below 254, else 0xFE and 4 bytes LE.

type zmReader struct {
	b   []byte
	off int
	n   int
}

func newZMReader(b []byte) (zmReader, error) {
	if len(b) < 2 {
		return zmReader{}, corrupt("zipmap of %d bytes", len(b))
	}
	return zmReader{b: b, off: 1}, nil
}

func (r *zmReader) length() (int, error) {
	b, p := r.b, r.off
	if p >= len(b) {
		return 0, corrupt("zipmap past the end")
	}
	if b[p] < 0xFE {
		r.off++
		return int(b[p]), nil
	}
	if b[p] == 0xFF || p+5 > len(b) {
		return 0, corrupt("zipmap length past the end")
	}
	r.off += 5
	return int(binary.LittleEndian.Uint32(b[p+1:])), nil
}

// next returns the next pair; ok is false at the end marker, which must
// be the last byte.
func (r *zmReader) next() (key, val []byte, ok bool, err error) {
	b := r.b
	if r.off >= len(b) {
		return nil, nil, false, corrupt("zipmap without end marker")
	}
	if b[r.off] == 0xFF {
		if r.off != len(b)-1 {
			return nil, nil, false, corrupt("zipmap data after the end marker")
		}
		if c := int(b[0]); c < 0xFE && c != r.n {
			return nil, nil, false, corrupt("zipmap count %d, %d pairs", c, r.n)
		}
		return nil, nil, false, nil
	}
	kl, err := r.length()
	if err != nil {
		return nil, nil, false, err
	}
	if kl > len(b)-r.off {
		return nil, nil, false, corrupt("zipmap key past the end")
	}
	key = b[r.off : r.off+kl]
	r.off += kl
	vl, err := r.length()
	if err != nil {
		return nil, nil, false, err
	}
	if r.off >= len(b) {
		return nil, nil, false, corrupt("zipmap past the end")
	}
	free := int(b[r.off])
	r.off++
	if vl > len(b)-r.off || free > len(b)-r.off-vl {
		return nil, nil, false, corrupt("zipmap value past the end")
	}
	val = b[r.off : r.off+vl]
	r.off += vl + free
	r.n++
	return key, val, true, nil
}
