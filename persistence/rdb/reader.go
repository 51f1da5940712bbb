package rdb

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"slices"
	"strconv"

	"petrel/internal/lzf"
)

// Reader reads RDB data from a byte slice or an io.Reader.
//
// Reading from a slice bounds every length by what remains of it, so no
// input makes the Reader allocate more than a small multiple of the
// input's size. Reading from an io.Reader, whose size is unknown, strings
// are read in chunks, so memory grows with the data actually read rather
// than with the lengths the input claims.
type Reader struct {
	src []byte // slice mode: the input
	pos int

	br  *bufio.Reader // stream mode
	tmp []byte
	off int64

	crcOn bool
	crc   uint64

	opts *Options
	str  []byte // the string ReadString returned last
	lzf  []byte // compressed data being read
}

// NewReader returns a Reader on r.
func NewReader(r io.Reader, opts *Options) *Reader {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 64<<10)
	}
	return &Reader{br: br, opts: opts}
}

// NewBytesReader returns a Reader on b.
func NewBytesReader(b []byte, opts *Options) *Reader {
	return &Reader{src: b, opts: opts}
}

// Offset returns how many bytes were read.
func (r *Reader) Offset() int64 {
	if r.br == nil {
		return int64(r.pos)
	}
	return r.off
}

// Remaining returns how many bytes a slice Reader has left, or -1 for an
// io.Reader.
func (r *Reader) Remaining() int {
	if r.br != nil {
		return -1
	}
	return len(r.src) - r.pos
}

// StartChecksum starts a CRC-64 of the bytes read from now on.
func (r *Reader) StartChecksum() { r.crcOn, r.crc = true, 0 }

// Checksum returns the CRC-64 of what was read since StartChecksum.
func (r *Reader) Checksum() uint64 { return r.crc }

var errShort = corrupt("unexpected end of data")

// chunk is the most a stream Reader allocates ahead of the data it has.
const chunk = 1 << 20

// take consumes n bytes and returns them; the slice is valid until the
// next read.
func (r *Reader) take(n uint64) ([]byte, error) {
	var p []byte
	if r.br == nil {
		if n > uint64(len(r.src)-r.pos) {
			r.pos = len(r.src)
			return nil, errShort
		}
		p = r.src[r.pos : r.pos+int(n)]
		r.pos += int(n)
	} else {
		if n > math.MaxInt-chunk {
			return nil, errShort
		}
		r.tmp = r.tmp[:0]
		for uint64(len(r.tmp)) < n {
			k := min(int(n)-len(r.tmp), chunk)
			start := len(r.tmp)
			r.tmp = slices.Grow(r.tmp, k)[:start+k]
			got, err := io.ReadFull(r.br, r.tmp[start:])
			r.off += int64(got)
			if err != nil {
				if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
					return nil, errShort
				}
				return nil, err
			}
		}
		p = r.tmp
	}
	if r.crcOn {
		r.crc = CRC64(r.crc, p)
	}
	return p, nil
}

// ReadRaw reads n bytes as they are; the slice is valid until the next
// read.
func (r *Reader) ReadRaw(n int) ([]byte, error) {
	if n < 0 {
		return nil, errShort
	}
	return r.take(uint64(n))
}

// ReadByte reads one byte.
func (r *Reader) ReadByte() (byte, error) {
	if r.br == nil {
		if r.pos >= len(r.src) {
			return 0, errShort
		}
		c := r.src[r.pos]
		r.pos++
		if r.crcOn {
			r.crc = CRC64(r.crc, r.src[r.pos-1:r.pos])
		}
		return c, nil
	}
	p, err := r.take(1)
	if err != nil {
		return 0, err
	}
	return p[0], nil
}

// ReadType reads a type byte or opcode.
func (r *Reader) ReadType() (Type, error) {
	c, err := r.ReadByte()
	return Type(c), err
}

// readLenOrEnc reads a length, or the special encoding of a string (the
// low 6 bits) with encoded set.
func (r *Reader) readLenOrEnc() (n uint64, encoded bool, err error) {
	c, err := r.ReadByte()
	if err != nil {
		return 0, false, err
	}
	switch c >> 6 {
	case 0:
		return uint64(c & 0x3F), false, nil
	case 1:
		c2, err := r.ReadByte()
		if err != nil {
			return 0, false, err
		}
		return uint64(c&0x3F)<<8 | uint64(c2), false, nil
	case 3:
		return uint64(c & 0x3F), true, nil
	}
	switch c {
	case 0x80:
		p, err := r.take(4)
		if err != nil {
			return 0, false, err
		}
		return uint64(binary.BigEndian.Uint32(p)), false, nil
	case 0x81:
		p, err := r.take(8)
		if err != nil {
			return 0, false, err
		}
		return binary.BigEndian.Uint64(p), false, nil
	}
	return 0, false, corrupt("length marker %#x", c)
}

// ReadLen reads a length.
func (r *Reader) ReadLen() (uint64, error) {
	n, enc, err := r.readLenOrEnc()
	if err == nil && enc {
		err = corrupt("string encoding where a length belongs")
	}
	return n, err
}

// readCount reads an element count and checks it against the input left,
// each element taking at least minSize bytes.
func (r *Reader) readCount(minSize int) (int, error) {
	n, err := r.ReadLen()
	if err != nil {
		return 0, err
	}
	if left := r.Remaining(); left >= 0 && n > uint64(left/minSize) || n > math.MaxInt32 {
		return 0, corrupt("%d elements in %d bytes", n, r.Remaining())
	}
	return int(n), nil
}

// ReadString reads a string in any of its encodings. The result is valid
// until the next ReadString.
func (r *Reader) ReadString() ([]byte, error) {
	var err error
	r.str, err = r.AppendString(r.str[:0])
	return r.str, err
}

// AppendString reads a string and appends it to dst.
func (r *Reader) AppendString(dst []byte) ([]byte, error) {
	n, enc, err := r.readLenOrEnc()
	if err != nil {
		return dst, err
	}
	if !enc {
		p, err := r.take(n)
		if err != nil {
			return dst, err
		}
		return append(dst, p...), nil
	}
	switch n {
	case encInt8, encInt16, encInt32:
		p, err := r.take(1 << n)
		if err != nil {
			return dst, err
		}
		var v int64
		switch n {
		case encInt8:
			v = int64(int8(p[0]))
		case encInt16:
			v = int64(int16(binary.LittleEndian.Uint16(p)))
		default:
			v = int64(int32(binary.LittleEndian.Uint32(p)))
		}
		return strconv.AppendInt(dst, v, 10), nil
	case encLZF:
		clen, err := r.ReadLen()
		if err != nil {
			return dst, err
		}
		ulen, err := r.ReadLen()
		if err != nil {
			return dst, err
		}
		p, err := r.take(clen)
		if err != nil {
			return dst, err
		}
		if ulen > math.MaxInt32*4 {
			return dst, corrupt("compressed string of %d bytes", ulen)
		}
		out, err := lzf.Decompress(dst, p, int(ulen))
		if err != nil {
			return dst, corrupt("LZF string: %v", err)
		}
		return out, nil
	}
	return dst, corrupt("string encoding %d", n)
}

// ReadMillis reads an 8-byte little-endian time in milliseconds.
func (r *Reader) ReadMillis() (int64, error) {
	p, err := r.take(8)
	if err != nil {
		return 0, err
	}
	return int64(binary.LittleEndian.Uint64(p)), nil
}

// ReadBinaryDouble reads an 8-byte IEEE 754 double, little endian.
func (r *Reader) ReadBinaryDouble() (float64, error) {
	p, err := r.take(8)
	if err != nil {
		return 0, err
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(p)), nil
}

// ReadStringDouble reads a double in the text form of RDB versions before
// 8: a length byte (253 NaN, 254 +inf, 255 -inf) and that many characters.
func (r *Reader) ReadStringDouble() (float64, error) {
	n, err := r.ReadByte()
	if err != nil {
		return 0, err
	}
	switch n {
	case 253:
		return math.NaN(), nil
	case 254:
		return math.Inf(1), nil
	case 255:
		return math.Inf(-1), nil
	}
	p, err := r.take(uint64(n))
	if err != nil {
		return 0, err
	}
	f, err := strconv.ParseFloat(string(p), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, corrupt("score %q", p)
	}
	return f, nil
}
