package server

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"petrel/config"
	"petrel/persistence/aof"
)

// These pin the forms the command families write to the AOF where they
// carry logic of their own: blocked clients served by another client's
// write, and rewrites that depend on the data. The differential test
// (integration/diff_aof_test.go) compares every form with redis-server;
// these run without it.

// startAOFServer starts a test server logging to an AOF with appendfsync
// always (so a reply means the entry is on disk) and returns the path of
// its incremental file.
func startAOFServer(t *testing.T, extra ...config.Pair) (*Server, string) {
	t.Helper()
	var dir string
	s := startTestServer(t, func(cfg *config.Config) {
		dir = cfg.Dir
		cfg.EnableDebugCommand = "yes" // DEBUG LOADAOF replays the log
		pairs := append([]config.Pair{{Name: "appendonly", Value: "yes"}, {Name: "appendfsync", Value: "always"}}, extra...)
		if msg := cfg.Set(pairs, true, nil); msg != "" {
			t.Fatal(msg)
		}
	})
	if err := s.LoadAOF(); err != nil {
		t.Fatal(err)
	}
	return s, filepath.Join(dir, "appendonlydir", "appendonly.aof.1.incr.aof")
}

// aofMillisRe matches unix times in milliseconds, which the clock chooses.
var aofMillisRe = regexp.MustCompile(`\b1[0-9]{12}\b`)

// readAOFLog returns the commands in the AOF file at path, one line each,
// words joined by spaces and clock times shown as <ms>.
func readAOFLog(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := aof.NewReader(f)
	var out []string
	for {
		args, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("reading %s: %v", path, err)
		}
		words := make([]string, len(args))
		for i, a := range args {
			words[i] = string(a)
		}
		out = append(out, aofMillisRe.ReplaceAllString(strings.Join(words, " "), "<ms>"))
	}
}

// aofStep is one step of a propagation test: a command sent on connection
// conn, read at once unless noRead (a command that blocks), or when read is
// set only the reply of the command conn sent before.
type aofStep struct {
	conn   int
	cmd    []string
	noRead bool
	read   bool
}

func TestServedBlockedClientsLogTheirPlainForm(t *testing.T) {
	cases := []struct {
		name  string
		steps []aofStep
		want  []string
	}{
		{name: "blmove-uses-lower-case-directions",
			steps: []aofStep{
				{conn: 2, cmd: []string{"BLMOVE", "src", "dst", "RIGHT", "Left", "5"}, noRead: true},
				{conn: 1, cmd: []string{"RPUSH", "src", "a", "b"}},
				{conn: 2, read: true},
			},
			want: []string{"SELECT 0", "RPUSH src a b", "LMOVE src dst right left"}},
		{name: "brpoplpush-becomes-rpoplpush",
			steps: []aofStep{
				{conn: 2, cmd: []string{"BRPOPLPUSH", "src", "dst", "5"}, noRead: true},
				{conn: 1, cmd: []string{"LPUSH", "src", "a"}},
				{conn: 2, read: true},
			},
			want: []string{"SELECT 0", "LPUSH src a", "RPOPLPUSH src dst"}},
		{name: "blmpop-counts-what-it-popped",
			steps: []aofStep{
				{conn: 2, cmd: []string{"BLMPOP", "5", "2", "x", "l", "RIGHT", "COUNT", "5"}, noRead: true},
				{conn: 1, cmd: []string{"RPUSH", "l", "a", "b"}},
				{conn: 2, read: true},
			},
			want: []string{"SELECT 0", "RPUSH l a b", "RPOP l 2"}},
		{name: "blpop-in-another-db",
			steps: []aofStep{
				{conn: 2, cmd: []string{"SELECT", "3"}},
				{conn: 2, cmd: []string{"BLPOP", "l", "5"}, noRead: true},
				{conn: 1, cmd: []string{"SELECT", "3"}},
				{conn: 1, cmd: []string{"RPUSH", "l", "a", "b"}},
				{conn: 2, read: true},
			},
			want: []string{"SELECT 3", "RPUSH l a b", "LPOP l"}},
		{name: "bzpopmax-and-bzmpop",
			steps: []aofStep{
				{conn: 2, cmd: []string{"BZPOPMAX", "z", "5"}, noRead: true},
				{conn: 3, cmd: []string{"BZMPOP", "5", "1", "z", "MIN", "COUNT", "9"}, noRead: true},
				{conn: 1, cmd: []string{"ZADD", "z", "1", "a", "2", "b", "3", "c"}},
				{conn: 2, read: true},
				{conn: 3, read: true},
			},
			want: []string{"SELECT 0", "ZADD z 1 a 2 b 3 c", "ZPOPMAX z", "ZPOPMIN z 2"}},
		{name: "xreadgroup-becomes-xclaim",
			steps: []aofStep{
				{conn: 1, cmd: []string{"XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"}},
				{conn: 2, cmd: []string{"XREADGROUP", "GROUP", "g", "c", "BLOCK", "5000", "STREAMS", "s", ">"}, noRead: true},
				{conn: 1, cmd: []string{"XADD", "s", "1-1", "f", "v"}},
				{conn: 2, read: true},
			},
			want: []string{"SELECT 0", "XGROUP CREATE s g $ MKSTREAM", "XADD s 1-1 f v",
				"XCLAIM s g c 0 1-1 TIME <ms> RETRYCOUNT 1 FORCE JUSTID LASTID 1-1"}},
		{name: "xreadgroup-noack-creates-the-consumer-and-moves-the-group",
			steps: []aofStep{
				{conn: 1, cmd: []string{"XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"}},
				{conn: 2, cmd: []string{"XREADGROUP", "GROUP", "g", "c", "BLOCK", "5000", "NOACK", "STREAMS", "s", ">"}, noRead: true},
				{conn: 1, cmd: []string{"XADD", "s", "1-1", "f", "v"}},
				{conn: 2, read: true},
			},
			want: []string{"SELECT 0", "XGROUP CREATE s g $ MKSTREAM", "XADD s 1-1 f v",
				"MULTI", "XGROUP CREATECONSUMER s g c", "XGROUP SETID s g 1-1 ENTRIESREAD 1", "EXEC"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, path := startAOFServer(t)
			conns := map[int]*rawClient{}
			blocked := 0
			for _, st := range tc.steps {
				c := conns[st.conn]
				if c == nil {
					c = dialRaw(t, s)
					conns[st.conn] = c
				}
				switch {
				case st.read:
					if r := c.Read(); strings.HasPrefix(r, "-") || r == "*-1\r\n" {
						t.Fatalf("conn %d was served %q", st.conn, r)
					}
				case st.noRead:
					c.Send(encode(st.cmd...))
					blocked++
					waitBlockedClients(t, dialRaw(t, s), string(rune('0'+blocked)))
				default:
					if r := c.Do(st.cmd...); strings.HasPrefix(r, "-") {
						t.Fatalf("%q: %q", st.cmd, r)
					}
				}
			}
			got := readAOFLog(t, path)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("logged:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
		})
	}
}

func TestRewrittenFormsFollowTheData(t *testing.T) {
	cases := []struct {
		name  string
		extra []config.Pair
		cmds  [][]string
		want  []string
	}{
		{name: "set-drops-every-get-and-keeps-the-rest",
			cmds: [][]string{{"set", "k", "x"}, {"set", "k", "get", "GeT", "xx", "get"}, {"set", "k", "v", "get", "nx"},
				{"set", "k", "v", "GET", "PX", "100000"}},
			want: []string{"SELECT 0", "set k x", "set k get xx", "SET k v PXAT <ms>"}},
		{name: "incrbyfloat-logs-the-value-it-stored",
			cmds: [][]string{{"INCRBYFLOAT", "f", "1e3"}, {"INCRBYFLOAT", "f", "0"}, {"HINCRBYFLOAT", "h", "f", "10.50"}},
			want: []string{"SELECT 0", "SET f 1000 KEEPTTL", "SET f 1000 KEEPTTL", "HSET h f 10.5"}},
		{name: "spop-logs-one-srem-per-member-or-the-deletion",
			cmds: [][]string{{"SADD", "s", "a", "b", "c"}, {"SPOP", "s", "2"}, {"SPOP", "s", "2"}},
			want: []string{"SELECT 0", "SADD s a b c", "MULTI", "SREM s *", "SREM s *", "EXEC", "DEL s"}},
		{name: "expire-in-the-past-unlinks-with-lazyfree-lazy-expire",
			extra: []config.Pair{{Name: "lazyfree-lazy-expire", Value: "yes"}},
			cmds:  [][]string{{"SET", "k", "v"}, {"EXPIRE", "k", "-1"}, {"SET", "k", "v"}, {"EXPIRE", "k", "100", "nx"}},
			want:  []string{"SELECT 0", "SET k v", "UNLINK k", "SET k v", "PEXPIREAT k <ms> nx"}},
		{name: "approximate-trim-of-a-whole-stream-logs-the-largest-id",
			extra: []config.Pair{{Name: "stream-node-max-entries", Value: "1"}},
			cmds: [][]string{{"XADD", "s", "1-1", "f", "v"}, {"XADD", "s", "2-1", "f", "v"},
				{"XADD", "s", "MINID", "~", "10", "3-*", "f", "v"}, {"XTRIM", "s", "MAXLEN", "~", "0"}},
			want: []string{"SELECT 0", "XADD s 1-1 f v", "XADD s 2-1 f v",
				"XADD s MINID = 18446744073709551615-18446744073709551615 3-0 f v"}},
		{name: "xclaim-moving-only-the-group-logs-setid",
			cmds: [][]string{{"XADD", "s", "1-1", "f", "v"}, {"XGROUP", "CREATE", "s", "g", "$"},
				{"XCLAIM", "s", "g", "c", "0", "9-9", "LASTID", "5-5"}},
			want: []string{"SELECT 0", "XADD s 1-1 f v", "XGROUP CREATE s g $", "XGROUP SETID s g 5-5 ENTRIESREAD -1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, path := startAOFServer(t, tc.extra...)
			c := dialRaw(t, s)
			for _, cmd := range tc.cmds {
				if r := c.Do(cmd...); strings.HasPrefix(r, "-") {
					t.Fatalf("%q: %q", cmd, r)
				}
			}
			got := readAOFLog(t, path)
			for i := range got {
				if i < len(tc.want) && strings.HasSuffix(tc.want[i], " *") {
					// a member chosen at random
					if j := strings.LastIndexByte(got[i], ' '); j > 0 {
						got[i] = got[i][:j] + " *"
					}
				}
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("logged:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
		})
	}
}

func TestHashFieldExpiryReplaysToTheSameTimes(t *testing.T) {
	s, path := startAOFServer(t)
	c := dialRaw(t, s)
	for _, cmd := range [][]string{
		{"HSET", "h", "a", "1", "b", "2", "d", "4"},
		{"HEXPIRE", "h", "100", "FIELDS", "1", "a"},
		{"HGETEX", "h", "PX", "200000", "FIELDS", "2", "b", "nofield"},
		{"HSETEX", "h", "FNX", "EX", "300", "FIELDS", "1", "c", "3"},
		{"HPEXPIREAT", "h", "9999999999999", "FIELDS", "1", "d"},
	} {
		if r := c.Do(cmd...); strings.HasPrefix(r, "-") {
			t.Fatalf("%q: %q", cmd, r)
		}
	}
	want := []string{"SELECT 0", "HSET h a 1 b 2 d 4", "HPEXPIREAT h <ms> FIELDS 1 a",
		"HGETEX h PXAT <ms> FIELDS 2 b nofield", "HSETEX h FNX PXAT <ms> FIELDS 1 c 3",
		"HPEXPIREAT h 9999999999999 FIELDS 1 d"}
	if got := readAOFLog(t, path); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("logged:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	times := []string{"HPEXPIRETIME", "h", "FIELDS", "4", "a", "b", "c", "d"}
	before := c.Do(times...)
	if r := c.Do("DEBUG", "LOADAOF"); r != "+OK\r\n" {
		t.Fatalf("DEBUG LOADAOF: %q", r)
	}
	if after := c.Do(times...); after != before {
		t.Errorf("field expiry times after replay %q, before %q", after, before)
	}
}
