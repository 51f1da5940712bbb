package aof

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
)

// The cases of TestParseManifest were each run against redis-server
// 7.0.15 (a manifest in appenddirname, server started with appendonly
// yes): the accepted ones started, the refused ones logged these errors.
func TestParseManifest(t *testing.T) {
	const (
		b1 = "file appendonly.aof.1.base.rdb seq 1 type b\n"
		i1 = "file appendonly.aof.1.incr.aof seq 1 type i\n"
	)
	long := strings.Repeat("x", 1100)
	base1 := &FileInfo{Name: "appendonly.aof.1.base.rdb", Seq: 1, Type: TypeBase}
	tests := []struct {
		name string
		in   string
		// accepted: the manifest read
		base    *FileInfo
		incrs   []FileInfo
		history []FileInfo
		// refused
		err      string
		line     int
		lineText string
	}{
		{name: "base and incr as Redis writes them", in: b1 + i1, base: base1,
			incrs: []FileInfo{{"appendonly.aof.1.incr.aof", 1, TypeIncr}}},
		{name: "keys in any order", in: "type b seq 1 file appendonly.aof.1.base.rdb\n", base: base1},
		{name: "keys ignore case", in: "FILE appendonly.aof.1.base.rdb SEQ 1 TYPE b\n", base: base1},
		{name: "type is its first byte", in: "file appendonly.aof.1.base.rdb seq 1 type bogus\n", base: base1},
		{name: "seq is read like atoll", in: "file appendonly.aof.1.base.rdb seq 1abc type b\n", base: base1},
		{name: "negative seq is accepted", in: "file x seq -1 type b\n", base: &FileInfo{"x", -1, TypeBase}},
		{name: "unknown key pairs are ignored", in: "file appendonly.aof.1.base.rdb seq 1 type b extra val\n", base: base1},
		{name: "repeated key: last wins", in: "file a file b seq 1 type b\n", base: &FileInfo{"b", 1, TypeBase}},
		{name: "CRLF line end", in: "file appendonly.aof.1.base.rdb seq 1 type b\r\n", base: base1},
		{name: "tabs separate", in: "file\tappendonly.aof.1.base.rdb\tseq 1 type b\n", base: base1},
		{name: "double quoted name", in: "file \"appendonly.aof.1.base.rdb\" seq 1 type b\n", base: base1},
		{name: "single quoted name", in: "file 'appendonly.aof.1.base.rdb' seq 1 type b\n", base: base1},
		{name: "hex escape in quotes", in: "file \"appendonly.aof.\\x31.base.rdb\" seq 1 type b\n", base: base1},
		{name: "quoted name as Redis writes it",
			in:   "file \"my \\\"file\\xc3\\xa9\\t'x.aof.1.base.rdb\" seq 1 type b\n",
			base: &FileInfo{"my \"file\xc3\xa9\t'x.aof.1.base.rdb", 1, TypeBase}},
		{name: "empty quoted name", in: "file \"\" seq 1 type b\n", base: &FileInfo{"", 1, TypeBase}},
		{name: "comments only", in: "# only comment\n"},
		{name: "comment of 1024 bytes", in: "#" + strings.Repeat("x", 1022) + "\n"},
		{name: "history kept in order", in: "file h2 seq 2 type h\nfile h1 seq 1 type h\n",
			history: []FileInfo{{"h2", 2, TypeHistory}, {"h1", 1, TypeHistory}}},

		{name: "empty file", in: "", err: "Found an empty AOF manifest"},
		{name: "no final newline", in: b1 + strings.TrimSuffix(i1, "\n"), err: "The AOF manifest file contains too long line"},
		{name: "line over 1024 bytes", in: "file a seq 1 type b " + long + "\n", err: "The AOF manifest file contains too long line"},
		{name: "empty line", in: "\n", err: "Invalid AOF manifest file format", line: 1},
		{name: "blank line", in: "   \n", err: "Invalid AOF manifest file format", line: 1},
		{name: "empty line after a file", in: b1 + "\n", err: "Invalid AOF manifest file format", line: 2},
		{name: "comment over 1024 bytes continues as a line", in: "#" + long + "\n",
			err: "Invalid AOF manifest file format", line: 2, lineText: strings.Repeat("x", 77)},
		{name: "comment of 1025 bytes leaves an empty line", in: "#" + strings.Repeat("x", 1023) + "\n",
			err: "Invalid AOF manifest file format", line: 2},
		{name: "indented comment is a line", in: "  # indented comment\n" + b1,
			err: "Invalid AOF manifest file format", line: 1, lineText: "# indented comment"},
		{name: "unknown type", in: "file a seq 1 type x\n", err: "Unknown AOF file type", line: 1, lineText: "file a seq 1 type x"},
		{name: "type is case sensitive", in: "file a seq 1 type B\n", err: "Unknown AOF file type", line: 1, lineText: "file a seq 1 type B"},
		{name: "seq 0", in: "file a seq 0 type b\n", err: "Invalid AOF manifest file format", line: 1, lineText: "file a seq 0 type b"},
		{name: "seq not a number", in: "file a seq abc type b\n", err: "Invalid AOF manifest file format", line: 1, lineText: "file a seq abc type b"},
		{name: "last seq wins and is 0", in: "file a seq 1 type b seq 0\n", err: "Invalid AOF manifest file format", line: 1, lineText: "file a seq 1 type b seq 0"},
		{name: "odd argument count", in: "file a seq 1 type b extra\n", err: "Invalid AOF manifest file format", line: 1, lineText: "file a seq 1 type b extra"},
		{name: "missing type", in: "file a seq 1\n", err: "Invalid AOF manifest file format", line: 1, lineText: "file a seq 1"},
		{name: "missing file", in: "seq 1 type b x y\n", err: "Invalid AOF manifest file format", line: 1, lineText: "seq 1 type b x y"},
		{name: "empty type", in: "file a seq 1 type \"\"\n", err: "Invalid AOF manifest file format", line: 1, lineText: "file a seq 1 type \"\""},
		{name: "text after closing quote", in: "file \"a\"x seq 1 type b\n", err: "Invalid AOF manifest file format", line: 1, lineText: "file \"a\"x seq 1 type b"},
		{name: "unterminated quote", in: "file \"a seq 1 type b\n", err: "Invalid AOF manifest file format", line: 1, lineText: "file \"a seq 1 type b"},
		{name: "path", in: "file dir/a seq 1 type b\n", err: "File can't be a path, just a filename", line: 1, lineText: "file dir/a seq 1 type b"},
		{name: "backslash path", in: "file a\\b seq 1 type b\n", err: "File can't be a path, just a filename", line: 1, lineText: "file a\\b seq 1 type b"},
		{name: "two bases", in: b1 + b1, err: "Found duplicate base file information", line: 2, lineText: strings.TrimSuffix(b1, "\n")},
		{name: "incr seq repeats", in: "file a seq 2 type i\nfile b seq 2 type i\n",
			err: "Found a non-monotonic sequence number", line: 2, lineText: "file b seq 2 type i"},
		{name: "incr seq goes down", in: "file a seq 2 type i\nfile b seq 1 type i\n",
			err: "Found a non-monotonic sequence number", line: 2, lineText: "file b seq 1 type i"},
		{name: "negative incr seq", in: "file a seq -1 type i\n",
			err: "Found a non-monotonic sequence number", line: 1, lineText: "file a seq -1 type i"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := ParseManifest(strings.NewReader(tc.in))
			if tc.err != "" {
				var me *ManifestError
				if !errors.As(err, &me) {
					t.Fatalf("err = %v, want ManifestError %q", err, tc.err)
				}
				if me.Msg != tc.err || me.Line != tc.line || me.Text != tc.lineText {
					t.Fatalf("err = %q at line %d %q, want %q at line %d %q", me.Msg, me.Line, me.Text, tc.err, tc.line, tc.lineText)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(m.Base, tc.base) || !reflect.DeepEqual(m.Incrs, tc.incrs) || !reflect.DeepEqual(m.History, tc.history) {
				t.Fatalf("got base %v incrs %v history %v, want %v %v %v", m.Base, m.Incrs, m.History, tc.base, tc.incrs, tc.history)
			}
		})
	}
}

func TestManifestErrorLogLines(t *testing.T) {
	_, err := ParseManifest(strings.NewReader("file a seq 1 type x\n"))
	var me *ManifestError
	if !errors.As(err, &me) {
		t.Fatal(err)
	}
	want := []string{"\n*** FATAL AOF MANIFEST FILE ERROR ***\n",
		"Reading the manifest file, at line 1\n", ">>> 'file a seq 1 type x'\n", "Unknown AOF file type\n"}
	if got := me.LogLines(); !reflect.DeepEqual(got, want) {
		t.Errorf("LogLines = %q, want %q", got, want)
	}
	_, err = ParseManifest(strings.NewReader(""))
	if !errors.As(err, &me) {
		t.Fatal(err)
	}
	want = []string{"\n*** FATAL AOF MANIFEST FILE ERROR ***\n", "Found an empty AOF manifest\n"}
	if got := me.LogLines(); !reflect.DeepEqual(got, want) {
		t.Errorf("LogLines = %q, want %q", got, want)
	}
}

// TestManifestEncodeRoundTripsRedisFiles parses manifests redis-server
// wrote and encodes them back byte for byte.
func TestManifestEncodeRoundTripsRedisFiles(t *testing.T) {
	for _, path := range []string{"testdata/redis7/appendonlydir/appendonly.aof.manifest", "testdata/manifest-history"} {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		m, err := ParseManifest(strings.NewReader(string(data)))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if got := string(m.Encode()); got != string(data) {
			t.Errorf("%s: Encode = %q, want %q", path, got, data)
		}
	}
}

// TestManifestEncodeQuotesLikeRedis: Redis 7.0.15 started with
// appendfilename `my "fileé<TAB>'x.aof` wrote exactly this manifest.
func TestManifestEncodeQuotesLikeRedis(t *testing.T) {
	name := "my \"file\xc3\xa9\t'x.aof"
	m := &Manifest{}
	m.NewBase(name, true)
	m.AddIncr(name)
	want := "file \"my \\\"file\\xc3\\xa9\\t'x.aof.1.base.rdb\" seq 1 type b\n" +
		"file \"my \\\"file\\xc3\\xa9\\t'x.aof.1.incr.aof\" seq 1 type i\n"
	got := string(m.Encode())
	if got != want {
		t.Fatalf("Encode = %q, want %q", got, want)
	}
	back, err := ParseManifest(strings.NewReader(got))
	if err != nil {
		t.Fatal(err)
	}
	if back.Base.Name != m.Base.Name || back.Incrs[0].Name != m.Incrs[0].Name {
		t.Errorf("names did not round-trip: %q %q", back.Base.Name, back.Incrs[0].Name)
	}
}

func TestManifestQuotingRoundTripsEveryByte(t *testing.T) {
	var all []byte
	for c := 1; c < 256; c++ { // Redis sees C strings: no NUL
		all = append(all, byte(c))
	}
	for _, name := range []string{string(all), " ", "a b", "\"", "' ", "x\\x41"} {
		name = strings.ReplaceAll(strings.ReplaceAll(name, "/", ""), "\\", "")
		m := &Manifest{Base: &FileInfo{Name: name, Seq: 7, Type: TypeBase}}
		back, err := ParseManifest(strings.NewReader(string(m.Encode())))
		if err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		if back.Base.Name != name {
			t.Errorf("%q came back as %q", name, back.Base.Name)
		}
	}
}

// Redis writes a name with a single quote but nothing else to escape
// unquoted, and then cannot read it back (redis-server 7.0.15 started with
// appendfilename 'x.aof creates the AOF, then refuses its manifest on the
// next start). Encode and ParseManifest keep that behaviour.
func TestManifestSingleQuoteNameIsUnreadableAsInRedis(t *testing.T) {
	m := &Manifest{}
	m.NewBase("'x.aof", true)
	got := string(m.Encode())
	if want := "file 'x.aof.1.base.rdb seq 1 type b\n"; got != want {
		t.Fatalf("Encode = %q, want %q", got, want)
	}
	_, err := ParseManifest(strings.NewReader(got))
	var me *ManifestError
	if !errors.As(err, &me) || me.Msg != "Invalid AOF manifest file format" || me.Line != 1 {
		t.Fatalf("err = %v, want Invalid AOF manifest file format at line 1", err)
	}
}

func TestFileNames(t *testing.T) {
	tests := []struct{ got, want string }{
		{BaseName("appendonly.aof", 1, true), "appendonly.aof.1.base.rdb"},
		{BaseName("appendonly.aof", 12, false), "appendonly.aof.12.base.aof"},
		{IncrName("appendonly.aof", 3), "appendonly.aof.3.incr.aof"},
		{ManifestName("appendonly.aof"), "appendonly.aof.manifest"},
		{TempManifestName("appendonly.aof"), "temp-appendonly.aof.manifest"},
		{TempIncrName("appendonly.aof"), "temp-appendonly.aof.incr"},
		{TempRewriteName(42), "temp-rewriteaof-bg-42.aof"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// TestManifestRewriteSequence replays what redis-server 7.0.15 did, with
// aof-disable-auto-gc yes so history stays listed: start (base 1, incr 1),
// rewrite with aof-use-rdb-preamble no twice, then with yes. Each step's
// manifest is the text Redis wrote.
func TestManifestRewriteSequence(t *testing.T) {
	const name = "appendonly.aof"
	m := &Manifest{}
	m.NewBase(name, true)
	m.AddIncr(name)
	want := "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"
	if got := string(m.Encode()); got != want {
		t.Fatalf("start: %q, want %q", got, want)
	}
	rewrite := func(preamble bool) {
		m.AddIncr(name) // opened when the rewrite starts
		m.NewBase(name, preamble)
		m.MarkRewrittenIncrs(true)
	}
	rewrite(false)
	want = "file appendonly.aof.2.base.aof seq 2 type b\n" +
		"file appendonly.aof.1.incr.aof seq 1 type h\n" +
		"file appendonly.aof.1.base.rdb seq 1 type h\n" +
		"file appendonly.aof.2.incr.aof seq 2 type i\n"
	if got := string(m.Encode()); got != want {
		t.Fatalf("first rewrite: %q, want %q", got, want)
	}
	rewrite(true)
	want = "file appendonly.aof.3.base.rdb seq 3 type b\n" +
		"file appendonly.aof.2.incr.aof seq 2 type h\n" +
		"file appendonly.aof.2.base.aof seq 2 type h\n" +
		"file appendonly.aof.1.incr.aof seq 1 type h\n" +
		"file appendonly.aof.1.base.rdb seq 1 type h\n" +
		"file appendonly.aof.3.incr.aof seq 3 type i\n"
	if got := string(m.Encode()); got != want {
		t.Fatalf("second rewrite: %q, want %q", got, want)
	}
	h := m.TakeHistory()
	if len(h) != 4 || h[3].Name != "appendonly.aof.1.base.rdb" {
		t.Fatalf("history = %v", h)
	}
	want = "file appendonly.aof.3.base.rdb seq 3 type b\nfile appendonly.aof.3.incr.aof seq 3 type i\n"
	if got := string(m.Encode()); got != want {
		t.Fatalf("after deleting history: %q, want %q", got, want)
	}
}

// A failed rewrite leaves the incremental file it opened: the next
// successful one turns all the older ones into history, oldest first.
// redis-server 7.0.15 wrote these manifests after two rewrites were killed
// (the first before a restart) and a third succeeded.
func TestManifestFailedRewritesLeaveIncrs(t *testing.T) {
	const name = "appendonly.aof"
	m, err := ParseManifest(strings.NewReader("file appendonly.aof.1.base.rdb seq 1 type b\n" +
		"file appendonly.aof.1.incr.aof seq 1 type i\n" +
		"file appendonly.aof.2.incr.aof seq 2 type i\n"))
	if err != nil {
		t.Fatal(err)
	}
	m.AddIncr(name) // rewrite started, then killed
	want := "file appendonly.aof.1.base.rdb seq 1 type b\n" +
		"file appendonly.aof.1.incr.aof seq 1 type i\n" +
		"file appendonly.aof.2.incr.aof seq 2 type i\n" +
		"file appendonly.aof.3.incr.aof seq 3 type i\n"
	if got := string(m.Encode()); got != want {
		t.Fatalf("after the failed rewrite: %q, want %q", got, want)
	}
	m.AddIncr(name)
	m.NewBase(name, true)
	m.MarkRewrittenIncrs(true)
	want = "file appendonly.aof.2.base.rdb seq 2 type b\n" +
		"file appendonly.aof.1.incr.aof seq 1 type h\n" +
		"file appendonly.aof.2.incr.aof seq 2 type h\n" +
		"file appendonly.aof.3.incr.aof seq 3 type h\n" +
		"file appendonly.aof.1.base.rdb seq 1 type h\n" +
		"file appendonly.aof.4.incr.aof seq 4 type i\n"
	if got := string(m.Encode()); got != want {
		t.Fatalf("after the successful rewrite: %q, want %q", got, want)
	}
}

func TestManifestSeqsSurviveRebuild(t *testing.T) {
	old, err := ParseManifest(strings.NewReader("file b seq 4 type b\nfile i seq 9 type i\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := old.NextBaseSeq(); got != 5 {
		t.Errorf("NextBaseSeq = %d, want 5", got)
	}
	if got := old.NextIncrSeq(); got != 10 {
		t.Errorf("NextIncrSeq = %d, want 10", got)
	}
	// With the AOF off a rewrite keeps no incremental file; the next one
	// must still not reuse sequence 9.
	next := &Manifest{Base: &FileInfo{Name: "b5", Seq: 5, Type: TypeBase}}
	next.CarrySeqs(old)
	if got := next.NextIncrSeq(); got != 10 {
		t.Errorf("after CarrySeqs NextIncrSeq = %d, want 10", got)
	}
	if got := next.NextBaseSeq(); got != 6 {
		t.Errorf("after CarrySeqs NextBaseSeq = %d, want 6", got)
	}
	c := next.Clone()
	c.Base.Seq = 99
	c.AddIncr("x")
	if next.Base.Seq != 5 || len(next.Incrs) != 0 {
		t.Error("Clone shares state with the original")
	}
}
