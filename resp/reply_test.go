package resp

import (
	"errors"
	"testing"
)

// ReplyReader reads each kind of element's header, payload and count, and
// refuses bytes that are not a reply.
func TestReplyReaderReadsElements(t *testing.T) {
	type elem struct {
		kind byte
		n    int
		data string
	}
	for _, tc := range []struct {
		name string
		in   string
		want []elem
	}{
		{"integer", ":-42\r\n", []elem{{':', 0, "-42"}}},
		{"status", "+OK\r\n", []elem{{'+', 0, "OK"}}},
		{"error with a lone CR", "-ERR a\rb\r\n", []elem{{'-', 0, "ERR a\rb"}}},
		{"bulk holding CRLF", "$4\r\na\r\nb\r\n", []elem{{'$', 4, "a\r\nb"}}},
		{"empty bulk", "$0\r\n\r\n", []elem{{'$', 0, ""}}},
		{"null bulk", "$-1\r\n", []elem{{'$', -1, ""}}},
		{"array", "*2\r\n:1\r\n$1\r\nx\r\n", []elem{{'*', 2, ""}, {':', 0, "1"}, {'$', 1, "x"}}},
		{"map and double", "%1\r\n+k\r\n,1.5\r\n", []elem{{'%', 1, ""}, {'+', 0, "k"}, {',', 0, "1.5"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var r ReplyReader
			r.Reset([]byte(tc.in))
			for i, w := range tc.want {
				kind, n, data, err := r.Next()
				if err != nil || kind != w.kind || n != w.n || string(data) != w.data {
					t.Fatalf("element %d: got %q %d %q %v, want %q %d %q", i, kind, n, data, err, w.kind, w.n, w.data)
				}
			}
			if r.More() {
				t.Fatalf("bytes left over")
			}
		})
	}
}

func TestReplyReaderRefusesMalformedInput(t *testing.T) {
	for _, in := range []string{"", ":1", ":1\r", "$5\r\nab\r\n", "$x\r\n", "*-2\r\n", "?\r\n", "$3\r\nabcde"} {
		var r ReplyReader
		r.Reset([]byte(in))
		if _, _, _, err := r.Next(); !errors.Is(err, ErrBadReply) {
			t.Errorf("%q: got %v, want ErrBadReply", in, err)
		}
	}
}
