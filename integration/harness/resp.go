package harness

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// Value is one parsed RESP2/RESP3 reply. Normalisers rewrite Values and
// encode them back with Raw, so two servers' replies can be compared as
// protocol text after the legitimately varying parts are masked.
type Value struct {
	// Type is the reply's type byte: + - : $ * _ , # ( = % ~ > ! (an
	// attribute '|' is kept in Attr of the value it annotates).
	Type byte
	// Str holds the payload of simple, error, integer, bulk, double,
	// boolean, big number, verbatim and blob error replies (verbatim
	// includes its "txt:" prefix), exactly as sent.
	Str string
	// Null marks $-1 and *-1 (RESP2 nulls); RESP3's null is Type '_'.
	Null bool
	// Elems holds aggregate elements; maps and attributes alternate key,
	// value.
	Elems []Value
	// Attr is the attribute map ('|') sent before this value, if any.
	Attr *Value
}

// Raw encodes the value back into protocol text.
func (v Value) Raw() []byte {
	var b bytes.Buffer
	v.encode(&b)
	return b.Bytes()
}

func (v Value) encode(b *bytes.Buffer) {
	if v.Attr != nil {
		v.Attr.encode(b)
	}
	switch v.Type {
	case '+', '-', ':', ',', '#', '(':
		b.WriteByte(v.Type)
		b.WriteString(v.Str)
		b.WriteString("\r\n")
	case '_':
		b.WriteString("_\r\n")
	case '$', '=', '!':
		if v.Null {
			fmt.Fprintf(b, "%c-1\r\n", v.Type)
			return
		}
		fmt.Fprintf(b, "%c%d\r\n%s\r\n", v.Type, len(v.Str), v.Str)
	case '*', '~', '>':
		if v.Null {
			fmt.Fprintf(b, "%c-1\r\n", v.Type)
			return
		}
		fmt.Fprintf(b, "%c%d\r\n", v.Type, len(v.Elems))
		for _, e := range v.Elems {
			e.encode(b)
		}
	case '%', '|':
		fmt.Fprintf(b, "%c%d\r\n", v.Type, len(v.Elems)/2)
		for _, e := range v.Elems {
			e.encode(b)
		}
	}
}

// String renders the raw text quoted, for failure messages.
func (v Value) String() string { return strconv.Quote(string(v.Raw())) }

// IsError reports whether the value is an error reply.
func (v Value) IsError() bool { return v.Type == '-' || v.Type == '!' }

// IsAggregate reports whether the value holds elements.
func (v Value) IsAggregate() bool { return strings.IndexByte("*~>%|", v.Type) >= 0 }

// Int returns the integer of an integer reply.
func (v Value) Int() (int64, bool) {
	if v.Type != ':' {
		return 0, false
	}
	n, err := strconv.ParseInt(v.Str, 10, 64)
	return n, err == nil
}

// SortElems sorts an aggregate's elements by their encoding (maps by
// key/value pair), for replies whose order is unspecified (KEYS, SMEMBERS).
func (v Value) SortElems() Value {
	if !v.IsAggregate() || v.Null {
		return v
	}
	out := v
	if v.Type == '%' || v.Type == '|' {
		type kv struct {
			k, v Value
			key  string
		}
		pairs := make([]kv, 0, len(v.Elems)/2)
		for i := 0; i+1 < len(v.Elems); i += 2 {
			pairs = append(pairs, kv{v.Elems[i], v.Elems[i+1], string(v.Elems[i].Raw()) + string(v.Elems[i+1].Raw())})
		}
		sort.SliceStable(pairs, func(i, j int) bool { return pairs[i].key < pairs[j].key })
		out.Elems = make([]Value, 0, len(v.Elems))
		for _, p := range pairs {
			out.Elems = append(out.Elems, p.k, p.v)
		}
		return out
	}
	out.Elems = append([]Value(nil), v.Elems...)
	sort.SliceStable(out.Elems, func(i, j int) bool {
		return string(out.Elems[i].Raw()) < string(out.Elems[j].Raw())
	})
	return out
}

// SortPairs sorts a map, or a RESP2 array that flattens one (key, value,
// key, value...), by key/value pair, keeping each key with its value.
func (v Value) SortPairs() Value {
	if !v.IsAggregate() || v.Null || len(v.Elems)%2 != 0 {
		return v
	}
	m := v
	m.Type = '%'
	sorted := m.SortElems()
	sorted.Type = v.Type
	return sorted
}

// ErrShortReply means the input ended inside a reply.
var ErrShortReply = errors.New("incomplete reply")

// Parse parses one reply from the start of raw and returns it with the
// unparsed remainder.
func Parse(raw []byte) (Value, []byte, error) {
	rd := bufio.NewReader(bytes.NewReader(raw))
	var b bytes.Buffer
	v, err := readValue(rd, &b)
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			err = ErrShortReply
		}
		return Value{}, raw, err
	}
	return v, raw[b.Len():], nil
}

// ParseAll parses a byte string holding whole replies.
func ParseAll(raw []byte) ([]Value, error) {
	var out []Value
	for len(raw) > 0 {
		v, rest, err := Parse(raw)
		if err != nil {
			return out, err
		}
		out = append(out, v)
		raw = rest
	}
	return out, nil
}

// ReadReply reads one complete reply from rd and returns its exact bytes.
// An attribute is returned together with the reply it precedes.
func ReadReply(rd *bufio.Reader) ([]byte, error) {
	var b bytes.Buffer
	_, err := readValue(rd, &b)
	if err != nil && b.Len() > 0 && errors.Is(err, io.EOF) {
		err = fmt.Errorf("%w after %q", io.ErrUnexpectedEOF, b.Bytes())
	}
	return b.Bytes(), err
}

// maxParseLen bounds lengths a reply may declare, so a corrupt reply fails
// instead of allocating without limit.
const maxParseLen = 1 << 30

func readValue(rd *bufio.Reader, b *bytes.Buffer) (Value, error) {
	line, err := rd.ReadString('\n')
	b.WriteString(line)
	if err != nil {
		return Value{}, err
	}
	if len(line) < 3 || line[len(line)-2] != '\r' {
		return Value{}, fmt.Errorf("malformed reply line %q", line)
	}
	t, body := line[0], line[1:len(line)-2]
	v := Value{Type: t}
	switch t {
	case '+', '-', ':', ',', '#', '(':
		v.Str = body
		return v, nil
	case '_':
		if body != "" {
			return v, fmt.Errorf("malformed null %q", line)
		}
		return v, nil
	case '$', '=', '!':
		n, err := strconv.Atoi(body)
		if err != nil || n > maxParseLen || n < -1 {
			return v, fmt.Errorf("malformed length in %q", line)
		}
		if n == -1 {
			v.Null = true
			return v, nil
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(rd, buf); err != nil {
			b.Write(buf)
			return v, io.ErrUnexpectedEOF
		}
		b.Write(buf)
		if buf[n] != '\r' || buf[n+1] != '\n' {
			return v, fmt.Errorf("bulk of length %d not followed by CRLF", n)
		}
		v.Str = string(buf[:n])
		return v, nil
	case '*', '~', '>', '%', '|':
		n, err := strconv.Atoi(body)
		if err != nil || n > maxParseLen || n < -1 {
			return v, fmt.Errorf("malformed length in %q", line)
		}
		if n == -1 {
			v.Null = true
			return v, nil
		}
		if t == '%' || t == '|' {
			n *= 2
		}
		v.Elems = make([]Value, 0, min(n, 1024))
		for i := 0; i < n; i++ {
			e, err := readValue(rd, b)
			if err != nil {
				return v, err
			}
			v.Elems = append(v.Elems, e)
		}
		if t == '|' {
			// An attribute annotates the reply that follows it.
			next, err := readValue(rd, b)
			if err != nil {
				return v, err
			}
			attr := v
			next.Attr = &attr
			return next, nil
		}
		return v, nil
	}
	return v, fmt.Errorf("unknown reply type in %q", line)
}

// Encode builds a RESP array of bulk strings, the form clients send
// commands in.
func Encode(args ...string) []byte {
	n := 16
	for _, a := range args {
		n += len(a) + 16
	}
	b := make([]byte, 0, n)
	b = append(b, '*')
	b = strconv.AppendInt(b, int64(len(args)), 10)
	b = append(b, '\r', '\n')
	for _, a := range args {
		b = append(b, '$')
		b = strconv.AppendInt(b, int64(len(a)), 10)
		b = append(b, '\r', '\n')
		b = append(b, a...)
		b = append(b, '\r', '\n')
	}
	return b
}

// SplitArgs splits a command line the way redis-cli and Redis's inline
// parser do: whitespace separates arguments; "double quotes" allow \n \r \t
// \b \a \\ \" and \xHH escapes; 'single quotes' allow only \'. It returns
// an error for unbalanced quotes or a closing quote not followed by space.
func SplitArgs(line string) ([]string, error) {
	var out []string
	i := 0
	for {
		for i < len(line) && isSpace(line[i]) {
			i++
		}
		if i >= len(line) {
			return out, nil
		}
		var cur []byte
		switch line[i] {
		case '"':
			i++
			for {
				if i >= len(line) {
					return nil, fmt.Errorf("unbalanced quotes in %q", line)
				}
				c := line[i]
				if c == '\\' && i+3 < len(line) && line[i+1] == 'x' && isHex(line[i+2]) && isHex(line[i+3]) {
					h, _ := strconv.ParseUint(line[i+2:i+4], 16, 8)
					cur = append(cur, byte(h))
					i += 4
					continue
				}
				if c == '\\' && i+1 < len(line) {
					esc := line[i+1]
					switch esc {
					case 'n':
						esc = '\n'
					case 'r':
						esc = '\r'
					case 't':
						esc = '\t'
					case 'b':
						esc = '\b'
					case 'a':
						esc = '\a'
					}
					cur = append(cur, esc)
					i += 2
					continue
				}
				if c == '"' {
					i++
					if i < len(line) && !isSpace(line[i]) {
						return nil, fmt.Errorf("closing quote must be followed by a space in %q", line)
					}
					break
				}
				cur = append(cur, c)
				i++
			}
		case '\'':
			i++
			for {
				if i >= len(line) {
					return nil, fmt.Errorf("unbalanced quotes in %q", line)
				}
				c := line[i]
				if c == '\\' && i+1 < len(line) && line[i+1] == '\'' {
					cur = append(cur, '\'')
					i += 2
					continue
				}
				if c == '\'' {
					i++
					if i < len(line) && !isSpace(line[i]) {
						return nil, fmt.Errorf("closing quote must be followed by a space in %q", line)
					}
					break
				}
				cur = append(cur, c)
				i++
			}
		default:
			for i < len(line) && !isSpace(line[i]) {
				cur = append(cur, line[i])
				i++
			}
		}
		out = append(out, string(cur))
	}
}

// MustSplit is SplitArgs for literal command lines in tests.
func MustSplit(line string) []string {
	args, err := SplitArgs(line)
	if err != nil {
		panic(err)
	}
	return args
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f'
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}
