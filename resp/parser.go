package resp

import (
	"bytes"
	"errors"
	"io"

	"petrel/internal/num"
)

// Limits are the protocol limits Redis enforces on a client's input.
type Limits struct {
	// MaxBulkLen is proto-max-bulk-len: the largest bulk argument accepted.
	MaxBulkLen int64
	// MaxQueryBuffer is client-query-buffer-limit: the most bytes a single
	// pending command may occupy before the client is disconnected.
	MaxQueryBuffer int64
	// Unauthenticated applies the tight limits Redis uses before AUTH when
	// a password is required (10 arguments, 16 KiB per argument).
	Unauthenticated bool
}

// DefaultLimits are Redis's defaults.
var DefaultLimits = Limits{MaxBulkLen: 512 << 20, MaxQueryBuffer: 1 << 30}

// maxInlineSize is PROTO_INLINE_MAX_SIZE: the longest inline command line and
// the longest multibulk/bulk length line.
const maxInlineSize = 64 * 1024

// ProtocolError is a malformed request. Msg is the text Redis replies with,
// after "ERR "; the connection must be closed after replying.
type ProtocolError struct{ Msg string }

func (e *ProtocolError) Error() string { return e.Msg }

// ErrQueryBufferLimit reports a pending command larger than
// client-query-buffer-limit. Redis closes such a client without a reply.
var ErrQueryBufferLimit = errors.New("query buffer limit reached")

// Parser reads commands from a connection. It parses RESP arrays of bulk
// strings and inline commands, keeping its progress through a partly received
// command so a large argument arriving in many reads is scanned once.
//
// Arguments returned by Next point into the parser's buffer and are valid
// only until the next call to Next or Fill.
type Parser struct {
	rd     io.Reader
	Limits Limits

	buf  []byte
	r, w int // unread input is buf[r:w]; a pending command starts at r

	// progress through a multibulk command starting at r
	inMulti   bool
	remaining int      // bulk arguments still to read
	pos       int      // parse offset relative to r
	bulkLen   int      // length of the bulk being read, -1 if its header is not yet read
	spans     [][2]int // argument offsets relative to r
	args      [][]byte
}

// NewParser returns a parser reading from rd.
func NewParser(rd io.Reader) *Parser {
	return &Parser{rd: rd, Limits: DefaultLimits, buf: make([]byte, 16*1024), bulkLen: -1}
}

// Buffered reports how many input bytes are held but not yet consumed.
func (p *Parser) Buffered() int { return p.w - p.r }

// BufferCap reports the capacity of the query buffer, for CLIENT LIST's qbuf.
func (p *Parser) BufferCap() int { return cap(p.buf) }

// Next returns the next complete command from the buffered input without
// reading. ok is false when more input is needed; call Fill then. A command
// with no arguments (an empty inline line, *0) is skipped.
func (p *Parser) Next() (args [][]byte, ok bool, err error) {
	for p.r < p.w {
		if !p.inMulti && p.buf[p.r] != '*' {
			args, ok, err = p.parseInline()
		} else {
			args, ok, err = p.parseMulti()
		}
		if err != nil || !ok {
			return nil, false, err
		}
		if len(args) > 0 {
			return args, true, nil
		}
	}
	return nil, false, nil
}

// Fill reads more input from the connection, blocking until some arrives.
func (p *Parser) Fill() error {
	if p.r == p.w {
		p.r, p.w = 0, 0
		if cap(p.buf) > 256*1024 {
			p.buf = make([]byte, 16*1024) // give back memory of a past large command
		}
	}
	need := 0
	if p.inMulti && p.bulkLen >= 0 {
		need = p.pos + p.bulkLen + 2 // the whole bulk in one buffer
	}
	if p.w == len(p.buf) || (need > 0 && p.r+need > len(p.buf)) {
		pending := p.w - p.r
		size := len(p.buf)
		for size < pending+4096 || size < need {
			size *= 2
		}
		if size != len(p.buf) {
			nb := make([]byte, size)
			copy(nb, p.buf[p.r:p.w])
			p.buf = nb
		} else {
			copy(p.buf, p.buf[p.r:p.w])
		}
		p.r, p.w = 0, pending
	}
	n, err := p.rd.Read(p.buf[p.w:])
	p.w += n
	if n > 0 {
		err = nil
	}
	if p.Limits.MaxQueryBuffer > 0 && int64(p.w-p.r) > p.Limits.MaxQueryBuffer {
		return ErrQueryBufferLimit
	}
	return err
}

func (p *Parser) parseInline() ([][]byte, bool, error) {
	data := p.buf[p.r:p.w]
	nl := bytes.IndexByte(data, '\n')
	if nul := bytes.IndexByte(data, 0); nul >= 0 && (nl < 0 || nul < nl) {
		// Redis finds the line end with strchr, which stops at a NUL: the
		// line never ends and the request eventually grows too big.
		nl = -1
	}
	if nl < 0 {
		if len(data) > maxInlineSize {
			return nil, false, &ProtocolError{"Protocol error: too big inline request"}
		}
		return nil, false, nil
	}
	line := data[:nl]
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	args, ok := SplitArgs(line)
	if !ok {
		return nil, false, &ProtocolError{"Protocol error: unbalanced quotes in request"}
	}
	p.r += nl + 1
	return args, true, nil
}

func (p *Parser) parseMulti() ([][]byte, bool, error) {
	if !p.inMulti {
		data := p.buf[p.r:p.w]
		cr := bytes.IndexByte(data, '\r')
		if cr < 0 {
			if len(data) > maxInlineSize {
				return nil, false, &ProtocolError{"Protocol error: too big mbulk count string"}
			}
			return nil, false, nil
		}
		if cr+1 >= len(data) {
			return nil, false, nil // wait for the \n
		}
		n, ok := parseInt(data[1:cr])
		if !ok || n > 1<<31-1 {
			return nil, false, &ProtocolError{"Protocol error: invalid multibulk length"}
		}
		if n <= 0 {
			p.r += cr + 2
			return nil, true, nil
		}
		if n > 10 && p.Limits.Unauthenticated {
			return nil, false, &ProtocolError{"Protocol error: unauthenticated multibulk length"}
		}
		p.inMulti = true
		p.remaining = int(n)
		p.pos = cr + 2
		p.bulkLen = -1
		p.spans = p.spans[:0]
	}
	for p.remaining > 0 {
		data := p.buf[p.r:p.w]
		if p.bulkLen < 0 {
			rest := data[p.pos:]
			cr := bytes.IndexByte(rest, '\r')
			if cr < 0 {
				if len(rest) > maxInlineSize {
					return nil, false, &ProtocolError{"Protocol error: too big bulk count string"}
				}
				return nil, false, nil
			}
			if cr+1 >= len(rest) {
				return nil, false, nil
			}
			if rest[0] != '$' {
				return nil, false, &ProtocolError{"Protocol error: expected '$', got '" + string(rest[0]) + "'"}
			}
			n, ok := parseInt(rest[1:cr])
			if !ok || n < 0 || n > p.Limits.MaxBulkLen {
				return nil, false, &ProtocolError{"Protocol error: invalid bulk length"}
			}
			if n > 16384 && p.Limits.Unauthenticated {
				return nil, false, &ProtocolError{"Protocol error: unauthenticated bulk length"}
			}
			p.bulkLen = int(n)
			p.pos += cr + 2
		}
		if len(data)-p.pos < p.bulkLen+2 {
			return nil, false, nil
		}
		p.spans = append(p.spans, [2]int{p.pos, p.pos + p.bulkLen})
		p.pos += p.bulkLen + 2
		p.bulkLen = -1
		p.remaining--
	}
	base := p.buf[p.r:]
	p.args = p.args[:0]
	for _, s := range p.spans {
		p.args = append(p.args, base[s[0]:s[1]:s[1]])
	}
	p.r += p.pos
	p.inMulti = false
	p.pos = 0
	return p.args, true, nil
}

func parseInt(b []byte) (int64, bool) { return num.ParseInt(b) }

// SplitArgs splits an inline command line as Redis's sdssplitargs does:
// arguments separated by spaces, "double quotes" with \n \r \t \b \a \\ \"
// and \xHH escapes, 'single quotes' with only \' escaped. A closing quote must
// be followed by a space or the end of the line. ok is false for unbalanced
// quotes.
func SplitArgs(line []byte) (args [][]byte, ok bool) {
	i := 0
	for {
		for i < len(line) && isSpace(line[i]) {
			i++
		}
		if i >= len(line) {
			return args, true
		}
		var cur []byte
		inDQ, inSQ, done := false, false, false
		for !done {
			if inDQ {
				if i >= len(line) {
					return nil, false
				}
				c := line[i]
				if c == '\\' && i+3 < len(line) && line[i+1] == 'x' && isHex(line[i+2]) && isHex(line[i+3]) {
					cur = append(cur, hexVal(line[i+2])<<4|hexVal(line[i+3]))
					i += 3
				} else if c == '\\' && i+1 < len(line) {
					i++
					switch line[i] {
					case 'n':
						c = '\n'
					case 'r':
						c = '\r'
					case 't':
						c = '\t'
					case 'b':
						c = '\b'
					case 'a':
						c = '\a'
					default:
						c = line[i]
					}
					cur = append(cur, c)
				} else if c == '"' {
					if i+1 < len(line) && !isSpace(line[i+1]) {
						return nil, false
					}
					done = true
				} else {
					cur = append(cur, c)
				}
			} else if inSQ {
				if i >= len(line) {
					return nil, false
				}
				c := line[i]
				if c == '\\' && i+1 < len(line) && line[i+1] == '\'' {
					i++
					cur = append(cur, '\'')
				} else if c == '\'' {
					if i+1 < len(line) && !isSpace(line[i+1]) {
						return nil, false
					}
					done = true
				} else {
					cur = append(cur, c)
				}
			} else {
				if i >= len(line) {
					done = true
					break
				}
				switch c := line[i]; c {
				case ' ', '\n', '\r', '\t', 0:
					done = true
				case '"':
					inDQ = true
				case '\'':
					inSQ = true
				default:
					cur = append(cur, c)
				}
			}
			if i < len(line) {
				i++
			}
		}
		if cur == nil {
			cur = []byte{}
		}
		args = append(args, cur)
	}
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f' || c == 0
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func hexVal(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}
