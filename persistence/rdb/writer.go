package rdb

import (
	"encoding/binary"
	"io"
	"math"
	"strconv"

	"petrel/internal/lzf"
	"petrel/internal/num"
)

// Writer writes RDB data. It buffers what it is given and passes it on to
// its io.Writer in large writes, keeping a CRC-64 of everything written;
// a Writer without an io.Writer just accumulates (see Bytes), which is how
// DUMP payloads are built.
//
// The first write error is sticky: later writes do nothing and Err (or
// Flush) reports it.
type Writer struct {
	w       io.Writer
	buf     []byte
	summed  int    // buf[:summed] is included in crc
	crc     uint64 // of everything written before buf[summed:]
	flushed int64  // bytes handed to w
	err     error
	opts    *Options

	lp   []byte // listpack being built
	comp []byte // LZF output
}

// flushAt is the buffered size past which a streaming Writer writes out.
const flushAt = 64 << 10

// NewWriter returns a Writer on w; a nil w accumulates everything in
// memory. opts may be nil.
func NewWriter(w io.Writer, opts *Options) *Writer {
	return &Writer{w: w, opts: opts}
}

// NewAppendWriter returns an accumulating Writer whose output goes after
// dst's contents (dst is not part of the checksum).
func NewAppendWriter(dst []byte, opts *Options) *Writer {
	return &Writer{buf: dst, summed: len(dst), opts: opts}
}

// Err returns the first write error.
func (w *Writer) Err() error { return w.err }

// Bytes returns what an accumulating Writer holds.
func (w *Writer) Bytes() []byte { return w.buf }

// Written returns how many bytes were written so far, buffered or not.
func (w *Writer) Written() int64 { return w.flushed + int64(len(w.buf)) }

// Sum returns the CRC-64 of everything written so far.
func (w *Writer) Sum() uint64 {
	w.crc = CRC64(w.crc, w.buf[w.summed:])
	w.summed = len(w.buf)
	return w.crc
}

// Flush writes out what is buffered.
func (w *Writer) Flush() error {
	if w.w == nil || w.err != nil {
		return w.err
	}
	w.Sum()
	if len(w.buf) > 0 {
		n, err := w.w.Write(w.buf)
		w.flushed += int64(n)
		if err == nil && n < len(w.buf) {
			err = io.ErrShortWrite
		}
		w.err = err
	}
	w.buf = w.buf[:0]
	w.summed = 0
	return w.err
}

func (w *Writer) maybeFlush() {
	if w.w != nil && len(w.buf) >= flushAt {
		w.Flush()
	}
}

// WriteRaw writes p as it is.
func (w *Writer) WriteRaw(p []byte) {
	if w.err != nil {
		return
	}
	if w.w != nil && len(p) >= flushAt {
		w.Flush()
		w.crc = CRC64(w.crc, p)
		if w.err == nil {
			n, err := w.w.Write(p)
			w.flushed += int64(n)
			if err == nil && n < len(p) {
				err = io.ErrShortWrite
			}
			w.err = err
		}
		return
	}
	w.buf = append(w.buf, p...)
	w.maybeFlush()
}

// WriteByte writes one byte (a type byte or an opcode). It returns Err.
func (w *Writer) WriteByte(b byte) error {
	if w.err == nil {
		w.buf = append(w.buf, b)
		w.maybeFlush()
	}
	return w.err
}

// WriteType writes a value type byte.
func (w *Writer) WriteType(t Type) { w.WriteByte(byte(t)) }

// WriteLen writes a length in RDB's variable-size encoding: 6 bits in one
// byte, 14 bits in two, then 32 or 64 bits big endian after a marker byte.
func (w *Writer) WriteLen(n uint64) {
	if w.err != nil {
		return
	}
	w.buf = appendLen(w.buf, n)
	w.maybeFlush()
}

func appendLen(b []byte, n uint64) []byte {
	switch {
	case n < 1<<6:
		return append(b, byte(n))
	case n < 1<<14:
		return append(b, byte(n>>8)|0x40, byte(n))
	case n <= math.MaxUint32:
		b = append(b, 0x80)
		return binary.BigEndian.AppendUint32(b, uint32(n))
	}
	b = append(b, 0x81)
	return binary.BigEndian.AppendUint64(b, n)
}

// LenSize is the size of an RDB length prefix for n (appendLen's encoding).
func LenSize(n uint64) int {
	switch {
	case n < 1<<6:
		return 1
	case n < 1<<14:
		return 2
	case n <= math.MaxUint32:
		return 5
	}
	return 9
}

// Special string encodings: the low 6 bits of a length byte with the top
// two bits set.
const (
	encInt8  = 0
	encInt16 = 1
	encInt32 = 2
	encLZF   = 3
)

// WriteString writes a string as Redis's rdbSaveRawString does: a short
// string that is a canonical 32-bit integer as that integer, a string of
// more than 20 bytes LZF-compressed if Options.Compress is on and that
// saves at least 4 bytes, anything else as its length and bytes.
func (w *Writer) WriteString(s []byte) {
	if w.err != nil {
		return
	}
	if len(s) <= 11 {
		if v, ok := num.ParseInt(s); ok && v >= math.MinInt32 && v <= math.MaxInt32 {
			w.buf = appendIntString(w.buf, v)
			w.maybeFlush()
			return
		}
	}
	if w.opts.compress() && len(s) > 20 {
		if c := w.compress(s); c != nil {
			w.buf = append(w.buf, 0xC0|encLZF)
			w.buf = appendLen(w.buf, uint64(len(c)))
			w.buf = appendLen(w.buf, uint64(len(s)))
			w.WriteRaw(c)
			return
		}
	}
	w.buf = appendLen(w.buf, uint64(len(s)))
	w.WriteRaw(s)
}

// compress returns s's LZF compression if it is at least 4 bytes
// shorter, else nil.
func (w *Writer) compress(s []byte) []byte {
	if cap(w.comp) < len(s)-4 {
		w.comp = make([]byte, len(s)-4)
	}
	return lzf.Compress(w.comp[:len(s)-4], s)
}

// appendIntString appends v, which fits 32 bits, in the smallest integer
// string encoding.
func appendIntString(b []byte, v int64) []byte {
	switch {
	case v >= math.MinInt8 && v <= math.MaxInt8:
		return append(b, 0xC0|encInt8, byte(v))
	case v >= math.MinInt16 && v <= math.MaxInt16:
		return append(b, 0xC0|encInt16, byte(v), byte(v>>8))
	}
	return binary.LittleEndian.AppendUint32(append(b, 0xC0|encInt32), uint32(v))
}

// WriteInt writes an integer as a string, as Redis saves integer-encoded
// strings.
func (w *Writer) WriteInt(v int64) {
	var tmp [20]byte
	w.WriteString(strconv.AppendInt(tmp[:0], v, 10))
}

// WriteMillis writes a time in milliseconds as 8 little-endian bytes
// (rdbSaveMillisecondTime).
func (w *Writer) WriteMillis(ms int64) {
	if w.err != nil {
		return
	}
	w.buf = binary.LittleEndian.AppendUint64(w.buf, uint64(ms))
	w.maybeFlush()
}

// WriteBinaryDouble writes a float64 as its 8 IEEE 754 bytes, little
// endian (RDB 8 and later).
func (w *Writer) WriteBinaryDouble(f float64) {
	if w.err != nil {
		return
	}
	w.buf = binary.LittleEndian.AppendUint64(w.buf, math.Float64bits(f))
	w.maybeFlush()
}
