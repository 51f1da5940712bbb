package harness

import (
	"bufio"
	"bytes"
	"reflect"
	"testing"
)

func TestReadReplyReturnsExactBytesOfEveryType(t *testing.T) {
	replies := []string{
		"+OK\r\n",
		"-ERR bad\r\n",
		":-12\r\n",
		"$5\r\nhe\r\nl\r\n",
		"$-1\r\n",
		"*-1\r\n",
		"*0\r\n",
		"*2\r\n$1\r\na\r\n*1\r\n:1\r\n",
		"_\r\n",
		",3.14\r\n",
		",inf\r\n",
		"#t\r\n",
		"(3492890328409238509324850943850943825024385\r\n",
		"=15\r\ntxt:Some string\r\n",
		"!9\r\nSYNTAX xx\r\n",
		"%2\r\n+a\r\n:1\r\n+b\r\n_\r\n",
		"~2\r\n+x\r\n+y\r\n",
		">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$1\r\nm\r\n",
		"|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n*1\r\n:2\r\n",
	}
	var all bytes.Buffer
	for _, r := range replies {
		all.WriteString(r)
	}
	rd := bufio.NewReader(&all)
	for _, want := range replies {
		got, err := ReadReply(rd)
		if err != nil || string(got) != want {
			t.Errorf("ReadReply = %q, %v; want %q", got, err, want)
		}
		v, rest, err := Parse([]byte(want))
		if err != nil || len(rest) != 0 || string(v.Raw()) != want {
			t.Errorf("Parse(%q) re-encodes as %q (rest %q, err %v)", want, v.Raw(), rest, err)
		}
	}
}

func TestReadReplyRejectsTruncatedAndMalformedInput(t *testing.T) {
	for _, in := range []string{"$5\r\nab\r\n", "*2\r\n:1\r\n", "+OK\n", "?x\r\n", "$3\r\nabcde\r\n", ""} {
		if got, err := ReadReply(bufio.NewReader(bytes.NewBufferString(in))); err == nil {
			t.Errorf("ReadReply(%q) = %q, want an error", in, got)
		}
	}
}

func TestSortElemsOrdersArraysAndMapPairs(t *testing.T) {
	v, _, _ := Parse([]byte("*3\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nb\r\n"))
	if got := string(v.SortElems().Raw()); got != "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n" {
		t.Errorf("sorted array = %q", got)
	}
	flat, _, _ := Parse([]byte("*4\r\n+b\r\n:1\r\n+a\r\n:2\r\n"))
	if got := string(flat.SortPairs().Raw()); got != "*4\r\n+a\r\n:2\r\n+b\r\n:1\r\n" {
		t.Errorf("pair-sorted flat array = %q", got)
	}
	m, _, _ := Parse([]byte("%2\r\n+b\r\n:1\r\n+a\r\n:2\r\n"))
	if got := string(m.SortElems().Raw()); got != "%2\r\n+a\r\n:2\r\n+b\r\n:1\r\n" {
		t.Errorf("sorted map = %q", got)
	}
}

func TestSplitArgsFollowsRedisQuoting(t *testing.T) {
	cases := []struct {
		in   string
		want []string
		bad  bool
	}{
		{in: "set k v", want: []string{"set", "k", "v"}},
		{in: `  set "a b"  'c d' `, want: []string{"set", "a b", "c d"}},
		{in: `"\x41\x4a\n\t\\\"" '\'' ""`, want: []string{"AJ\n\t\\\"", "'", ""}},
		{in: `"\xZZ"`, want: []string{"xZZ"}},
		{in: `"abc`, bad: true},
		{in: `'abc`, bad: true},
		{in: `"a"b`, bad: true},
		{in: "", want: nil},
	}
	for _, c := range cases {
		got, err := SplitArgs(c.in)
		if c.bad != (err != nil) || !reflect.DeepEqual(got, c.want) {
			t.Errorf("SplitArgs(%q) = %q, %v; want %q (error %v)", c.in, got, err, c.want, c.bad)
		}
	}
}

func TestEncodeBuildsBulkArrays(t *testing.T) {
	if got := string(Encode("SET", "k", "")); got != "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n" {
		t.Errorf("Encode = %q", got)
	}
}
