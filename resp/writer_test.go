package resp

import (
	"math"
	"testing"
)

func TestWriterEncodesEachTypePerProtocol(t *testing.T) {
	tests := []struct {
		name  string
		write func(w *Writer)
		resp2 string
		resp3 string
	}{
		{"null", func(w *Writer) { w.WriteNull() }, "$-1\r\n", "_\r\n"},
		{"null array", func(w *Writer) { w.WriteNullArray() }, "*-1\r\n", "_\r\n"},
		{"map", func(w *Writer) { w.WriteMapLen(1); w.WriteBulkString("a"); w.WriteInt(1) }, "*2\r\n$1\r\na\r\n:1\r\n", "%1\r\n$1\r\na\r\n:1\r\n"},
		{"set", func(w *Writer) { w.WriteSetLen(1); w.WriteBulkString("a") }, "*1\r\n$1\r\na\r\n", "~1\r\n$1\r\na\r\n"},
		{"push", func(w *Writer) { w.WritePushLen(0) }, "*0\r\n", ">0\r\n"},
		{"bool", func(w *Writer) { w.WriteBool(true); w.WriteBool(false) }, ":1\r\n:0\r\n", "#t\r\n#f\r\n"},
		{"double", func(w *Writer) { w.WriteDouble(1.1) }, "$18\r\n1.1000000000000001\r\n", ",1.1000000000000001\r\n"},
		{"double inf", func(w *Writer) { w.WriteDouble(math.Inf(-1)) }, "$4\r\n-inf\r\n", ",-inf\r\n"},
		{"double integral", func(w *Writer) { w.WriteDouble(3) }, "$1\r\n3\r\n", ",3\r\n"},
		{"double exponent", func(w *Writer) { w.WriteDouble(1e20) }, "$5\r\n1e+20\r\n", ",1e+20\r\n"},
		{"big number", func(w *Writer) { w.WriteBigNumber("123") }, "$3\r\n123\r\n", "(123\r\n"},
		{"verbatim", func(w *Writer) { w.WriteVerbatim("txt", []byte("hi")) }, "$2\r\nhi\r\n", "=6\r\ntxt:hi\r\n"},
		{"error newlines", func(w *Writer) { w.WriteError("ERR a\r\nb") }, "-ERR a  b\r\n", "-ERR a  b\r\n"},
	}
	for _, tc := range tests {
		for _, proto := range []int{2, 3} {
			w := &Writer{Proto: proto}
			tc.write(w)
			want := tc.resp2
			if proto == 3 {
				want = tc.resp3
			}
			if got := string(w.Bytes()); got != want {
				t.Errorf("%s RESP%d: got %q, want %q", tc.name, proto, got, want)
			}
		}
	}
}

func BenchmarkWriteBulk(b *testing.B) {
	w := NewWriter()
	v := make([]byte, 64)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		w.Reset()
		w.WriteBulk(v)
	}
}
