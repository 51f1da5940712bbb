package rdb

import (
	"encoding/binary"
	"math"
	"strconv"

	"petrel/internal/num"
)

// Listpacks, Redis's compact sequence of strings and integers:
//
//	total bytes  uint32 LE, the whole listpack
//	count        uint16 LE, elements (65535: too many, count by walking)
//	elements     encoding [data] backlen
//	terminator   0xFF
//
// An element's encoding byte selects a 7-bit unsigned integer (0xxxxxxx),
// a string of up to 63 bytes (10llllll), a 13-bit signed integer
// (110xxxxx +1 byte), a string of up to 4095 bytes (1110llll +1 byte), a
// string with a 32-bit length (0xF0 +4 bytes), or a 16, 24, 32 or 64-bit
// signed integer (0xF1..0xF4 and 2, 3, 4 or 8 bytes). Multi-byte fields are
// little endian. backlen is the size of encoding and data, in base-128
// digits stored so they can be read backwards from the next element: the
// first byte holds the most significant digit, the others have bit 7 set.

const (
	lpHeaderSize = 6
	lpEOF        = 0xFF
	lpMaxCount   = math.MaxUint16 // count field value meaning "unknown"
)

// lpIntSize is the size of v's integer encoding.
func lpIntSize(v int64) int {
	switch {
	case v >= 0 && v <= 127:
		return 1
	case v >= -4096 && v <= 4095:
		return 2
	case v >= math.MinInt16 && v <= math.MaxInt16:
		return 3
	case v >= -1<<23 && v <= 1<<23-1:
		return 4
	case v >= math.MinInt32 && v <= math.MaxInt32:
		return 5
	}
	return 9
}

// lpStrSize is the size of the string encoding of n bytes.
func lpStrSize(n int) int {
	switch {
	case n < 64:
		return 1 + n
	case n < 4096:
		return 2 + n
	}
	return 5 + n
}

// lpBacklenSize is the size of the backlen of an element of l bytes. The
// thresholds are Redis's, off by one at each step as Redis has them.
func lpBacklenSize(l int) int {
	switch {
	case l <= 127:
		return 1
	case l < 16383:
		return 2
	case l < 2097151:
		return 3
	case l < 268435455:
		return 4
	}
	return 5
}

// lpElemSize is the size a string takes as a listpack element, backlen
// included; strings that are canonical int64s are stored as integers, as
// Redis's lpAppend does.
func lpElemSize(s []byte) int {
	var l int
	if v, ok := lpStringToInt(s); ok {
		l = lpIntSize(v)
	} else {
		l = lpStrSize(len(s))
	}
	return l + lpBacklenSize(l)
}

// lpStringToInt is Redis's lpStringToInt64: s as an int64 if it is the
// canonical decimal form of one.
func lpStringToInt(s []byte) (int64, bool) {
	if len(s) == 0 || len(s) > 20 {
		return 0, false
	}
	return num.ParseInt(s)
}

// lpBuilder builds a listpack in a reusable buffer.
type lpBuilder struct {
	b []byte
	n int
}

func (lp *lpBuilder) reset(buf []byte) {
	lp.b = append(buf[:0], 0, 0, 0, 0, 0, 0)
	lp.n = 0
}

func (lp *lpBuilder) appendBacklen(l int) {
	switch lpBacklenSize(l) {
	case 1:
		lp.b = append(lp.b, byte(l))
	case 2:
		lp.b = append(lp.b, byte(l>>7), byte(l)|128)
	case 3:
		lp.b = append(lp.b, byte(l>>14), byte(l>>7)|128, byte(l)|128)
	case 4:
		lp.b = append(lp.b, byte(l>>21), byte(l>>14)|128, byte(l>>7)|128, byte(l)|128)
	default:
		lp.b = append(lp.b, byte(l>>28), byte(l>>21)|128, byte(l>>14)|128, byte(l>>7)|128, byte(l)|128)
	}
}

// addInt appends an integer element.
func (lp *lpBuilder) addInt(v int64) {
	start := len(lp.b)
	switch lpIntSize(v) {
	case 1:
		lp.b = append(lp.b, byte(v))
	case 2:
		u := uint64(v) & (1<<13 - 1)
		lp.b = append(lp.b, 0xC0|byte(u>>8), byte(u))
	case 3:
		lp.b = append(lp.b, 0xF1, byte(v), byte(v>>8))
	case 4:
		lp.b = append(lp.b, 0xF2, byte(v), byte(v>>8), byte(v>>16))
	case 5:
		lp.b = binary.LittleEndian.AppendUint32(append(lp.b, 0xF3), uint32(v))
	default:
		lp.b = binary.LittleEndian.AppendUint64(append(lp.b, 0xF4), uint64(v))
	}
	lp.appendBacklen(len(lp.b) - start)
	lp.n++
}

// add appends s, as an integer when it is the canonical form of one.
func (lp *lpBuilder) add(s []byte) {
	if v, ok := lpStringToInt(s); ok {
		lp.addInt(v)
		return
	}
	start := len(lp.b)
	switch n := len(s); {
	case n < 64:
		lp.b = append(lp.b, 0x80|byte(n))
	case n < 4096:
		lp.b = append(lp.b, 0xE0|byte(n>>8), byte(n))
	default:
		lp.b = binary.LittleEndian.AppendUint32(append(lp.b, 0xF0), uint32(n))
	}
	lp.b = append(lp.b, s...)
	lp.appendBacklen(len(lp.b) - start)
	lp.n++
}

// finish writes the terminator and the header and returns the listpack,
// or nil if it exceeds the 32-bit size field.
func (lp *lpBuilder) finish() []byte {
	lp.b = append(lp.b, lpEOF)
	if len(lp.b) > math.MaxUint32 {
		return nil
	}
	binary.LittleEndian.PutUint32(lp.b, uint32(len(lp.b)))
	binary.LittleEndian.PutUint16(lp.b[4:], uint16(min(lp.n, lpMaxCount)))
	return lp.b
}

// lpReader walks a listpack's elements, checking every bound.
type lpReader struct {
	b    []byte
	off  int // the next element
	n    int // elements read
	deep bool
}

// newLPReader checks a listpack's header: its size field must match the
// blob and the blob must end with the terminator, as Redis checks even
// without deep validation.
func newLPReader(b []byte, deep bool) (lpReader, error) {
	if len(b) < lpHeaderSize+1 {
		return lpReader{}, corrupt("listpack of %d bytes", len(b))
	}
	if int(binary.LittleEndian.Uint32(b)) != len(b) || uint64(len(b)) > math.MaxUint32 {
		return lpReader{}, corrupt("listpack size field %d, blob %d", binary.LittleEndian.Uint32(b), len(b))
	}
	if b[len(b)-1] != lpEOF {
		return lpReader{}, corrupt("listpack without terminator")
	}
	return lpReader{b: b, off: lpHeaderSize, deep: deep}, nil
}

// headerCount is the count field (lpMaxCount: unknown).
func (r *lpReader) headerCount() int { return int(binary.LittleEndian.Uint16(r.b[4:])) }

// next returns the next element, a string (aliasing the listpack) or an
// integer; ok is false at the terminator. The terminator must be the last
// byte, and with deep validation the count field must be right.
func (r *lpReader) next() (s []byte, v int64, isInt, ok bool, err error) {
	b, p := r.b, r.off
	end := len(b) - 1 // the terminator
	if p >= end {
		if r.deep && r.headerCount() != lpMaxCount && r.headerCount() != r.n {
			return nil, 0, false, false, corrupt("listpack count field %d, %d elements", r.headerCount(), r.n)
		}
		return nil, 0, false, false, nil
	}
	c := b[p]
	var l int // encoding and data
	need := func(k int) bool { return p+k <= end }
	switch {
	case c&0x80 == 0:
		l, v, isInt = 1, int64(c), true
	case c&0xC0 == 0x80:
		n := int(c & 0x3F)
		if !need(1 + n) {
			return nil, 0, false, false, corrupt("listpack string past the end")
		}
		l, s = 1+n, b[p+1:p+1+n]
	case c&0xE0 == 0xC0:
		if !need(2) {
			return nil, 0, false, false, corrupt("listpack integer past the end")
		}
		u := int64(c&0x1F)<<8 | int64(b[p+1])
		if u >= 1<<12 {
			u -= 1 << 13
		}
		l, v, isInt = 2, u, true
	case c&0xF0 == 0xE0:
		if !need(2) {
			return nil, 0, false, false, corrupt("listpack string past the end")
		}
		n := int(c&0x0F)<<8 | int(b[p+1])
		if !need(2 + n) {
			return nil, 0, false, false, corrupt("listpack string past the end")
		}
		l, s = 2+n, b[p+2:p+2+n]
	case c == 0xF0:
		if !need(5) {
			return nil, 0, false, false, corrupt("listpack string past the end")
		}
		n := uint64(binary.LittleEndian.Uint32(b[p+1:]))
		if n > uint64(end-p-5) {
			return nil, 0, false, false, corrupt("listpack string past the end")
		}
		l, s = 5+int(n), b[p+5:p+5+int(n)]
	case c >= 0xF1 && c <= 0xF4:
		size := [...]int{3, 4, 5, 9}[c-0xF1]
		if !need(size) {
			return nil, 0, false, false, corrupt("listpack integer past the end")
		}
		d := b[p+1 : p+size]
		switch c {
		case 0xF1:
			v = int64(int16(binary.LittleEndian.Uint16(d)))
		case 0xF2:
			v = int64(int32(uint32(d[0])|uint32(d[1])<<8|uint32(d[2])<<16) << 8 >> 8)
		case 0xF3:
			v = int64(int32(binary.LittleEndian.Uint32(d)))
		default:
			v = int64(binary.LittleEndian.Uint64(d))
		}
		l, isInt = size, true
	default:
		return nil, 0, false, false, corrupt("listpack encoding byte %#x", c)
	}
	bl := lpBacklenSize(l)
	if !need(l + bl) {
		return nil, 0, false, false, corrupt("listpack element past the end")
	}
	if r.deep {
		var got uint64
		for i, shift := p+l+bl-1, 0; i >= p+l; i, shift = i-1, shift+7 {
			got |= uint64(b[i]&127) << shift
		}
		flags := b[p+l]&128 == 0
		for i := p + l + 1; i < p+l+bl; i++ {
			flags = flags && b[i]&128 != 0
		}
		if got != uint64(l) || !flags {
			return nil, 0, false, false, corrupt("listpack backlen %d for an element of %d bytes", got, l)
		}
	}
	r.off = p + l + bl
	r.n++
	return s, v, isInt, true, nil
}

// nextString is next with an integer formatted into scratch (reused, so
// the caller copies it before the next call with the same scratch).
func (r *lpReader) nextString(scratch *[20]byte) ([]byte, bool, error) {
	s, v, isInt, ok, err := r.next()
	if isInt {
		s = strconv.AppendInt(scratch[:0], v, 10)
	}
	return s, ok, err
}
