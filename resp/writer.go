// Package resp implements the Redis serialization protocol: a request parser
// for the server side (RESP2 arrays and inline commands, with Redis's limits)
// and a reply writer that encodes each reply type in RESP2 or RESP3.
//
// The package knows nothing of commands or the keyspace.
package resp

import (
	"strconv"

	"petrel/internal/num"
)

// Writer appends encoded replies to an in-memory buffer. The encoding of the
// richer RESP3 types depends on Proto (2 or 3), which a client selects with
// HELLO. A Writer is not safe for concurrent use.
type Writer struct {
	buf   []byte
	Proto int
}

// NewWriter returns a RESP2 writer.
func NewWriter() *Writer { return &Writer{Proto: 2, buf: make([]byte, 0, 512)} }

// Bytes returns the encoded replies not yet taken.
func (w *Writer) Bytes() []byte { return w.buf }

// Len reports the number of buffered bytes.
func (w *Writer) Len() int { return len(w.buf) }

// Reset drops the buffered bytes but keeps the buffer's capacity.
func (w *Writer) Reset() { w.buf = w.buf[:0] }

// Truncate drops everything written after the first n bytes.
func (w *Writer) Truncate(n int) { w.buf = w.buf[:n] }

// WriteRaw appends already encoded protocol.
func (w *Writer) WriteRaw(b []byte) { w.buf = append(w.buf, b...) }

// WriteSimple writes a status reply such as +OK.
func (w *Writer) WriteSimple(s string) {
	w.buf = append(w.buf, '+')
	w.buf = append(w.buf, s...)
	w.buf = append(w.buf, '\r', '\n')
}

// WriteOK writes +OK.
func (w *Writer) WriteOK() { w.buf = append(w.buf, "+OK\r\n"...) }

// WriteError writes an error reply. msg must carry its own code, as in
// "ERR syntax error" or "WRONGTYPE ..."; line breaks are replaced by spaces
// as Redis does, so a reply can never be split.
func (w *Writer) WriteError(msg string) {
	w.buf = append(w.buf, '-')
	for i := 0; i < len(msg); i++ {
		c := msg[i]
		if c == '\r' || c == '\n' {
			c = ' '
		}
		w.buf = append(w.buf, c)
	}
	w.buf = append(w.buf, '\r', '\n')
}

// WriteInt writes an integer reply.
func (w *Writer) WriteInt(n int64) {
	w.buf = append(w.buf, ':')
	w.buf = strconv.AppendInt(w.buf, n, 10)
	w.buf = append(w.buf, '\r', '\n')
}

// WriteBulk writes a bulk string.
func (w *Writer) WriteBulk(b []byte) {
	w.buf = append(w.buf, '$')
	w.buf = strconv.AppendInt(w.buf, int64(len(b)), 10)
	w.buf = append(w.buf, '\r', '\n')
	w.buf = append(w.buf, b...)
	w.buf = append(w.buf, '\r', '\n')
}

// WriteBulkString writes a bulk string from a Go string.
func (w *Writer) WriteBulkString(s string) {
	w.buf = append(w.buf, '$')
	w.buf = strconv.AppendInt(w.buf, int64(len(s)), 10)
	w.buf = append(w.buf, '\r', '\n')
	w.buf = append(w.buf, s...)
	w.buf = append(w.buf, '\r', '\n')
}

// WriteBulkInt writes an integer as a bulk string.
func (w *Writer) WriteBulkInt(n int64) {
	var tmp [24]byte
	w.WriteBulk(strconv.AppendInt(tmp[:0], n, 10))
}

// WriteNull writes the null reply: $-1 in RESP2, _ in RESP3.
func (w *Writer) WriteNull() {
	if w.Proto >= 3 {
		w.buf = append(w.buf, "_\r\n"...)
		return
	}
	w.buf = append(w.buf, "$-1\r\n"...)
}

// WriteNullArray writes the null array: *-1 in RESP2, _ in RESP3.
func (w *Writer) WriteNullArray() {
	if w.Proto >= 3 {
		w.buf = append(w.buf, "_\r\n"...)
		return
	}
	w.buf = append(w.buf, "*-1\r\n"...)
}

func (w *Writer) writeLen(prefix byte, n int) {
	w.buf = append(w.buf, prefix)
	w.buf = strconv.AppendInt(w.buf, int64(n), 10)
	w.buf = append(w.buf, '\r', '\n')
}

// WriteArrayLen starts an array of n elements.
func (w *Writer) WriteArrayLen(n int) { w.writeLen('*', n) }

// WriteMapLen starts a map of n key/value pairs (an array of 2n in RESP2).
func (w *Writer) WriteMapLen(n int) {
	if w.Proto >= 3 {
		w.writeLen('%', n)
		return
	}
	w.writeLen('*', 2*n)
}

// WriteSetLen starts a set of n elements (an array in RESP2).
func (w *Writer) WriteSetLen(n int) {
	if w.Proto >= 3 {
		w.writeLen('~', n)
		return
	}
	w.writeLen('*', n)
}

// WritePushLen starts an out-of-band push of n elements (an array in RESP2).
func (w *Writer) WritePushLen(n int) {
	if w.Proto >= 3 {
		w.writeLen('>', n)
		return
	}
	w.writeLen('*', n)
}

// WriteAttributeLen starts an attribute map; RESP2 has no attributes, so
// callers must only use it in RESP3.
func (w *Writer) WriteAttributeLen(n int) { w.writeLen('|', n) }

// WriteBool writes a boolean: #t/#f in RESP3, :1/:0 in RESP2.
func (w *Writer) WriteBool(b bool) {
	if w.Proto >= 3 {
		if b {
			w.buf = append(w.buf, "#t\r\n"...)
		} else {
			w.buf = append(w.buf, "#f\r\n"...)
		}
		return
	}
	if b {
		w.buf = append(w.buf, ":1\r\n"...)
	} else {
		w.buf = append(w.buf, ":0\r\n"...)
	}
}

// AppendDouble formats d as Redis 7.0 does in replies: "%.17g", with inf,
// -inf and nan spelled out.
func AppendDouble(dst []byte, d float64) []byte { return num.AppendFloat17(dst, d) }

// WriteDouble writes a double: a bulk string in RESP2, a ,double in RESP3.
func (w *Writer) WriteDouble(d float64) {
	if w.Proto >= 3 {
		w.buf = append(w.buf, ',')
		w.buf = AppendDouble(w.buf, d)
		w.buf = append(w.buf, '\r', '\n')
		return
	}
	var tmp [40]byte
	w.WriteBulk(AppendDouble(tmp[:0], d))
}

// WriteBigNumber writes a big number: (n in RESP3, a bulk string in RESP2.
func (w *Writer) WriteBigNumber(n string) {
	if w.Proto >= 3 {
		w.buf = append(w.buf, '(')
		w.buf = append(w.buf, n...)
		w.buf = append(w.buf, '\r', '\n')
		return
	}
	w.WriteBulkString(n)
}

// WriteVerbatim writes a verbatim string with a three-letter format such as
// "txt": =len\r\ntxt:... in RESP3, a plain bulk string in RESP2.
func (w *Writer) WriteVerbatim(format string, s []byte) {
	if w.Proto >= 3 {
		w.buf = append(w.buf, '=')
		w.buf = strconv.AppendInt(w.buf, int64(len(s)+4), 10)
		w.buf = append(w.buf, '\r', '\n')
		w.buf = append(w.buf, format...)
		w.buf = append(w.buf, ':')
		w.buf = append(w.buf, s...)
		w.buf = append(w.buf, '\r', '\n')
		return
	}
	w.WriteBulk(s)
}

// WriteStringArray writes an array of bulk strings.
func (w *Writer) WriteStringArray(items []string) {
	w.WriteArrayLen(len(items))
	for _, s := range items {
		w.WriteBulkString(s)
	}
}
