package resp

import (
	"errors"

	"petrel/internal/num"
)

// ErrBadReply reports bytes that are not a well-formed encoded reply.
var ErrBadReply = errors.New("resp: malformed reply")

// ReplyReader walks encoded replies (what a Writer produced, in RESP2 or
// RESP3) one element at a time without allocating: the caller recurses on
// aggregate headers itself. The scripting engine uses it to turn a command's
// reply into Lua values.
type ReplyReader struct {
	b   []byte
	pos int
}

// Reset makes the reader walk b from its start.
func (r *ReplyReader) Reset(b []byte) { r.b, r.pos = b, 0 }

// More reports whether unread bytes remain.
func (r *ReplyReader) More() bool { return r.pos < len(r.b) }

// Next reads the header of the next element. kind is its type byte ('+',
// '-', ':', '$', '*', '%', '~', '>', '|', ',', '(', '#', '_', '=', '!').
//
// For aggregates ('*', '%', '~', '>', '|') n is the element count (pairs
// for '%' and '|'), -1 for RESP2's null array, and the elements follow. For
// bulk kinds ('$', '=', '!') data is the payload and n its length, or -1
// with nil data for RESP2's null bulk. For every other kind data is the rest
// of the line and n is 0. data points into the buffer given to Reset.
func (r *ReplyReader) Next() (kind byte, n int, data []byte, err error) {
	if r.pos >= len(r.b) {
		return 0, 0, nil, ErrBadReply
	}
	kind = r.b[r.pos]
	end := lineEnd(r.b[r.pos:])
	if end < 0 {
		return 0, 0, nil, ErrBadReply
	}
	line := r.b[r.pos+1 : r.pos+end]
	r.pos += end + 2
	switch kind {
	case '*', '%', '~', '>', '|':
		v, ok := num.ParseInt(line)
		if !ok || v < -1 || v > int64(len(r.b)) {
			return 0, 0, nil, ErrBadReply
		}
		return kind, int(v), nil, nil
	case '$', '=', '!':
		v, ok := num.ParseInt(line)
		if !ok || v < -1 || v > int64(len(r.b)) {
			return 0, 0, nil, ErrBadReply
		}
		if v == -1 {
			return kind, -1, nil, nil
		}
		m := int(v)
		if r.pos+m+2 > len(r.b) || r.b[r.pos+m] != '\r' || r.b[r.pos+m+1] != '\n' {
			return 0, 0, nil, ErrBadReply
		}
		data = r.b[r.pos : r.pos+m]
		r.pos += m + 2
		return kind, m, data, nil
	case '+', '-', ':', ',', '(', '#', '_':
		return kind, 0, line, nil
	}
	return 0, 0, nil, ErrBadReply
}

// lineEnd returns where the first CRLF of b starts, or -1. Reply lines are
// short (a header, a number, a status): a byte loop beats bytes.Index's
// set-up for them.
func lineEnd(b []byte) int {
	for i := 0; i+1 < len(b); i++ {
		if b[i] == '\r' && b[i+1] == '\n' {
			return i
		}
	}
	return -1
}

// Skip reads and drops one whole element, aggregates included.
func (r *ReplyReader) Skip() error {
	kind, n, _, err := r.Next()
	if err != nil {
		return err
	}
	switch kind {
	case '%', '|':
		n *= 2
	case '*', '~', '>':
	default:
		return nil
	}
	for i := 0; i < n; i++ {
		if err := r.Skip(); err != nil {
			return err
		}
	}
	if kind == '|' {
		return r.Skip() // the attribute's value follows its map
	}
	return nil
}
