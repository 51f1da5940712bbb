package aof

import (
	"bytes"
	"errors"
	"io"
	"os"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
)

// readAll reads every command of data, returning them as strings joined by
// spaces, the final Offset and the final error.
func readAll(data []byte) (cmds []string, off int64, err error) {
	r := NewReader(bytes.NewReader(data))
	for {
		args, err := r.Next()
		if err != nil {
			return cmds, r.Offset(), err
		}
		s := make([]string, len(args))
		for i, a := range args {
			s[i] = string(a)
		}
		cmds = append(cmds, strings.Join(s, " "))
	}
}

const (
	setA    = "*3\r\n$3\r\nset\r\n$1\r\na\r\n$1\r\n1\r\n" // 27 bytes
	multi   = "*1\r\n$5\r\nMULTI\r\n"                     // 15 bytes
	execCmd = "*1\r\n$4\r\nEXEC\r\n"
	ping    = "*1\r\n$4\r\nPING\r\n" // 14 bytes
)

// The files of TestReader were each loaded by redis-server 7.0.15 as the
// incremental file of an AOF: "ok" ones loaded, "truncated" ones were
// truncated at the offset shown (aof-load-truncated yes) or refused (no),
// "bad" ones were refused with "Bad file format reading the append only
// file".
func TestReader(t *testing.T) {
	type kind int
	const (
		ok kind = iota
		truncated
		revertMulti
		bad
	)
	a1021 := strings.Repeat("x", 1021)
	tests := []struct {
		name string
		in   string
		cmds []string
		want kind
		off  int64 // the TruncatedError's or FormatError's offset
	}{
		{"empty file", "", nil, ok, 0},
		{"one command", setA, []string{"set a 1"}, ok, 0},
		{"annotations skipped", "#TS:1\r\n" + setA + "#TS:2\r\n", []string{"set a 1"}, ok, 0},
		{"unterminated annotation at the end", setA + "#TS:123", []string{"set a 1"}, ok, 0},
		{"annotation of 1023 bytes", "#" + a1021 + "\n" + setA, []string{"set a 1"}, ok, 0},
		{"junk after the count", setA + "*3junk\r\n$3\r\nset\r\n$1\r\nb\r\n$1\r\n2\r\n", []string{"set a 1", "set b 2"}, ok, 0},
		{"space after the count", setA + "*1 \r\n" + ping[4:], []string{"set a 1", "PING"}, ok, 0},
		{"junk after the length", setA + "*3\r\n$3junk\r\nset\r\n$1\r\nb\r\n$1\r\n2\r\n", []string{"set a 1", "set b 2"}, ok, 0},
		{"bytes after an argument are not checked", setA + "*3\r\n$3\r\nsetXY$1\r\nb\r\n$1\r\n2\r\n", []string{"set a 1", "set b 2"}, ok, 0},
		{"count wraps like C's atoi", setA + "*4294967297\r\n" + ping[4:], []string{"set a 1", "PING"}, ok, 0},
		{"transaction", setA + multi + setA + execCmd, []string{"set a 1", "MULTI", "set a 1", "EXEC"}, ok, 0},
		{"argument longer than a line", "*1\r\n$2000\r\n" + strings.Repeat("B", 2000) + "\r\n", []string{strings.Repeat("B", 2000)}, ok, 0},
		{"empty argument", "*2\r\n$3\r\nget\r\n$0\r\n\r\n", []string{"get "}, ok, 0},

		{"cut inside an argument", setA + "*3\r\n$3\r\nset\r\n$1\r\nb\r\n$1\r\n2", []string{"set a 1"}, truncated, 27},
		{"cut before the last LF", setA + "*3\r\n$3\r\nset\r\n$1\r\nb\r\n$1\r\n2\r", []string{"set a 1"}, truncated, 27},
		{"cut after the star", setA + "*", []string{"set a 1"}, truncated, 27},
		{"cut after the count", setA + "*3", []string{"set a 1"}, truncated, 27},
		{"cut in a length line", setA + "*3\r\n$3", []string{"set a 1"}, truncated, 27},
		{"cut at the start", "*3\r\n$3\r\nse", nil, truncated, 0},
		{"huge count", setA + "*2147483647\r\n", []string{"set a 1"}, truncated, 27},
		{"huge length", setA + "*1\r\n$999999999999\r\nabc", []string{"set a 1"}, truncated, 27},
		{"transaction without EXEC", setA + multi + setA, []string{"set a 1", "MULTI", "set a 1"}, revertMulti, 27},
		// Redis truncates at 83, after the SET inside the transaction; the
		// Reader drops the whole open transaction (see Next).
		{"cut inside a transaction", setA + ping + multi + setA + "*3\r\n$3\r\nset\r\n$1\r\nb",
			[]string{"set a 1", "PING", "MULTI", "set a 1"}, truncated, 41},

		{"not a command", setA + "x\r\n", []string{"set a 1"}, bad, 27},
		{"zero count", setA + "*0\r\n", []string{"set a 1"}, bad, 27},
		{"negative count", setA + "*-1\r\n", []string{"set a 1"}, bad, 27},
		{"empty count", setA + "*\r\n", []string{"set a 1"}, bad, 27},
		{"huge count wraps negative", setA + "*99999999999999999999\r\n", []string{"set a 1"}, bad, 27},
		{"not a bulk", setA + "*3\r\n+3\r\nset\r\n", []string{"set a 1"}, bad, 31},
		{"negative length", setA + "*3\r\n$-1\r\nset\r\n", []string{"set a 1"}, bad, 31},
		{"LF line ends", "*3\n$3\nset\n$1\na\n$1\n1\n", nil, bad, 11},
		{"annotation of 1024 bytes", "#" + a1021 + "x\n" + setA, nil, bad, 1023},
		{"annotation of 1024 bytes with CRLF", "#" + a1021 + "\r\n" + setA, nil, bad, 1023},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cmds, _, err := readAll([]byte(tc.in))
			if !reflect.DeepEqual(cmds, tc.cmds) {
				t.Errorf("commands = %q, want %q", cmds, tc.cmds)
			}
			var te *TruncatedError
			var fe *FormatError
			switch tc.want {
			case ok:
				if err != io.EOF {
					t.Fatalf("err = %v, want io.EOF", err)
				}
			case truncated, revertMulti:
				if !errors.Is(err, ErrTruncated) || !errors.As(err, &te) {
					t.Fatalf("err = %v, want a TruncatedError", err)
				}
				if te.Offset != tc.off || te.Multi != (tc.want == revertMulti) {
					t.Fatalf("err = %+v, want offset %d, multi %v", te, tc.off, tc.want == revertMulti)
				}
			case bad:
				if !errors.Is(err, ErrBadFormat) || !errors.As(err, &fe) {
					t.Fatalf("err = %v, want a FormatError", err)
				}
				if fe.Offset != tc.off {
					t.Fatalf("err = %v, want offset %d", err, tc.off)
				}
			}
		})
	}
}

func TestReaderOffsetAndMulti(t *testing.T) {
	r := NewReader(strings.NewReader("#TS:1\r\n" + setA + multi + ping + execCmd))
	steps := []struct {
		cmd     string
		off     int64
		inMulti bool
	}{
		{"set", 34, false}, {"MULTI", 49, true}, {"PING", 63, true}, {"EXEC", 77, false},
	}
	for _, s := range steps {
		args, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		if string(args[0]) != s.cmd || r.Offset() != s.off || r.InMulti() != s.inMulti {
			t.Fatalf("got %s at %d (multi %v), want %s at %d (multi %v)", args[0], r.Offset(), r.InMulti(), s.cmd, s.off, s.inMulti)
		}
	}
	if _, err := r.Next(); err != io.EOF {
		t.Fatalf("err = %v, want io.EOF", err)
	}
	if _, err := r.Next(); err != io.EOF {
		t.Fatalf("second err = %v, want io.EOF again", err)
	}
}

func TestReaderReturnsReadErrors(t *testing.T) {
	boom := errors.New("boom")
	for _, in := range []string{"", setA, setA + "*3\r\n$3\r\nse"} {
		r := NewReader(io.MultiReader(strings.NewReader(in), iotest.ErrReader(boom)))
		var err error
		for err == nil {
			_, err = r.Next()
		}
		if err != boom {
			t.Errorf("%q then a read error: err = %v, want the read error", in, err)
		}
	}
}

func TestReaderArgsAreNotReused(t *testing.T) {
	r := NewReader(strings.NewReader(setA + "*3\r\n$3\r\nset\r\n$1\r\nb\r\n$1\r\n2\r\n"))
	first, _ := r.Next()
	_, _ = r.Next()
	first[0] = append(first[0], "x"...) // must not spill into the next argument
	if string(first[1]) != "a" || string(first[2]) != "1" {
		t.Fatalf("first command changed: %q", first)
	}
}

// TestReaderReadsRedisFiles reads the base and incremental files
// redis-server 7.0.15 wrote (see testdata/README.md).
func TestReaderReadsRedisFiles(t *testing.T) {
	tests := []struct {
		path  string
		count int
		first string
		last  string
	}{
		{"testdata/redis7/appendonlydir/appendonly.aof.3.base.aof", 20,
			"FUNCTION LOAD #!lua name=lib\nredis.register_function('one', function() return 1 end)", "SET other db2"},
		{"testdata/redis7/appendonlydir/appendonly.aof.3.incr.aof", 16, "SELECT 0", "set key with space v"},
	}
	for _, tc := range tests {
		data, err := os.ReadFile(tc.path)
		if err != nil {
			t.Fatal(err)
		}
		cmds, off, err := readAll(data)
		if err != io.EOF {
			t.Fatalf("%s: %v", tc.path, err)
		}
		if len(cmds) != tc.count || cmds[0] != tc.first || cmds[len(cmds)-1] != tc.last || off != int64(len(data)) {
			t.Errorf("%s: %d commands %q .. %q ending at %d", tc.path, len(cmds), cmds[0], cmds[len(cmds)-1], off)
		}
	}
}

func TestReaderHostileHeadersAllocateLittle(t *testing.T) {
	for _, in := range []string{
		"*2147483647\r\n" + strings.Repeat("$0\r\n\r\n", 10),
		"*1\r\n$9223372036854775807\r\n" + strings.Repeat("x", 100),
		"*1\r\n$999999999999\r\nabc",
	} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, _, err := readAll([]byte(in))
		runtime.ReadMemStats(&after)
		if !errors.Is(err, ErrTruncated) {
			t.Errorf("%.30q: err = %v, want ErrTruncated", in, err)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > 4<<20 {
			t.Errorf("%.30q: allocated %d bytes", in, n)
		}
	}
}

func TestTruncatedErrorLogLines(t *testing.T) {
	const f = "appendonly.aof.1.incr.aof"
	tests := []struct {
		err  *TruncatedError
		yes  bool
		want []string
	}{
		{&TruncatedError{Offset: 27}, true, []string{
			"!!! Warning: short read while loading the AOF file appendonly.aof.1.incr.aof!!!",
			"!!! Truncating the AOF appendonly.aof.1.incr.aof at offset 27 !!!",
			"AOF appendonly.aof.1.incr.aof loaded anyway because aof-load-truncated is enabled"}},
		{&TruncatedError{Offset: 27, Multi: true}, true, []string{
			"Revert incomplete MULTI/EXEC transaction in AOF file appendonly.aof.1.incr.aof",
			"!!! Warning: short read while loading the AOF file appendonly.aof.1.incr.aof!!!",
			"!!! Truncating the AOF appendonly.aof.1.incr.aof at offset 27 !!!",
			"AOF appendonly.aof.1.incr.aof loaded anyway because aof-load-truncated is enabled"}},
		{&TruncatedError{Offset: 27}, false, []string{
			"Unexpected end of file reading the append only file appendonly.aof.1.incr.aof. You can: " +
				"1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. " +
				"2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server."}},
	}
	for _, tc := range tests {
		if got := tc.err.LogLines(f, tc.yes); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("LogLines(%v) = %q, want %q", tc.yes, got, tc.want)
		}
	}
	fe := &FormatError{Offset: 3, Reason: "x"}
	want := "Bad file format reading the append only file appendonly.aof.1.incr.aof: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>"
	if got := fe.LogLine(f); got != want {
		t.Errorf("LogLine = %q", got)
	}
}

func TestIsRDBPreamble(t *testing.T) {
	rdb, err := os.ReadFile("testdata/rewrite-base.rdb")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in   []byte
		want bool
	}{
		{rdb[:5], true},
		{rdb, true},
		{[]byte("REDI"), false},
		{[]byte("*2\r\n$"), false},
		{[]byte("redis"), false},
		{nil, false},
	}
	for _, tc := range tests {
		if got := IsRDBPreamble(tc.in); got != tc.want {
			t.Errorf("IsRDBPreamble(%.10q) = %v", tc.in, got)
		}
	}
}

// FuzzReader feeds arbitrary files to the Reader: it must never panic,
// offsets must stay within what was read, and commands it returns must come
// back unchanged through AppendCommand and a second Reader.
func FuzzReader(f *testing.F) {
	for _, p := range []string{
		"testdata/redis7/appendonlydir/appendonly.aof.3.base.aof",
		"testdata/redis7/appendonlydir/appendonly.aof.3.incr.aof",
	} {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		f.Add(data[:len(data)/2])
	}
	for _, s := range []string{
		setA + multi + setA, setA + "*3\r\n$3\r\nsetXY$1\r\nb\r\n$1\r\n2\r\n", "*2147483647\r\n",
		"*1\r\n$999999999999\r\nabc", "#" + strings.Repeat("x", 1100) + "\n" + setA, "*4294967297\r\n" + ping[4:],
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := NewReader(bytes.NewReader(data))
		var enc []byte
		var cmds [][][]byte
		last := int64(0)
		for {
			args, err := r.Next()
			if err != nil {
				var te *TruncatedError
				var fe *FormatError
				switch {
				case err == io.EOF:
				case errors.As(err, &te):
					if te.Offset > r.Offset() || te.Offset < 0 {
						t.Fatalf("truncation offset %d past the last command's end %d", te.Offset, r.Offset())
					}
				case errors.As(err, &fe):
					if fe.Offset < r.Offset() || fe.Offset > int64(len(data)) {
						t.Fatalf("format error offset %d outside [%d, %d]", fe.Offset, r.Offset(), len(data))
					}
				default:
					t.Fatalf("unexpected error %v", err)
				}
				break
			}
			if len(args) == 0 || r.Offset() <= last || r.Offset() > int64(len(data)) {
				t.Fatalf("%d args, offset %d after %d (len %d)", len(args), r.Offset(), last, len(data))
			}
			last = r.Offset()
			cmds = append(cmds, args)
			enc = AppendCommand(enc, args)
		}
		back, _, err := readAll(enc)
		var te *TruncatedError
		if (err != io.EOF && !(errors.As(err, &te) && te.Multi)) || len(back) != len(cmds) {
			t.Fatalf("re-encoded commands read back as %d commands, %v; want %d", len(back), err, len(cmds))
		}
		for i, c := range cmds {
			s := make([]string, len(c))
			for j, a := range c {
				s[j] = string(a)
			}
			if back[i] != strings.Join(s, " ") {
				t.Fatalf("command %d: %q became %q", i, strings.Join(s, " "), back[i])
			}
		}
	})
}
