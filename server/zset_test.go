package server

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The replyCase tables at the end of this file were recorded from Redis
// 7.0.15 (each table on a fresh server with the default zset-max-listpack-*
// settings). ZRANK/ZREVRANK WITHSCORE, from Redis 7.2, is checked by hand
// against its documentation.

// zsAnyHello marks a HELLO step, whose reply carries a connection id.
const zsAnyHello = "<hello>"

// zsRun runs a recorded table on one connection of a fresh server.
func zsRun(t *testing.T, cases []replyCase) {
	t.Helper()
	s := startTestServer(t)
	c := dialRaw(t, s)
	for _, tc := range cases {
		got := c.Do(tc.cmd...)
		if tc.want == zsAnyHello {
			if !strings.HasPrefix(got, "%") {
				t.Fatalf("HELLO 3: %q", got)
			}
			continue
		}
		if got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.cmd, got, tc.want)
		}
	}
}

func zsBulk(s string) string { return fmt.Sprintf("$%d\r\n%s\r\n", len(s), s) }

func TestZaddOptionsConflictsAndErrors(t *testing.T)       { zsRun(t, zsAddCases) }
func TestZaddIncrAndZincrby(t *testing.T)                  { zsRun(t, zsIncrCases) }
func TestZsetReadsCountsAndRemovals(t *testing.T)          { zsRun(t, zsReadCases) }
func TestZrangeEveryFormAndItsErrors(t *testing.T)         { zsRun(t, zsRangeCases) }
func TestZrangestoreStoresReplacesAndDeletes(t *testing.T) { zsRun(t, zsRangestoreCases) }
func TestZremrangeByRankScoreLex(t *testing.T)             { zsRun(t, zsRemrangeCases) }
func TestZpopAndZmpopShapesAndErrors(t *testing.T)         { zsRun(t, zsPopCases) }
func TestZsetPopRepliesInResp3(t *testing.T)               { zsRun(t, zsPopResp3Cases) }
func TestZsetAlgebraUnionInterDiffCard(t *testing.T)       { zsRun(t, zsAlgebraCases) }
func TestZrandmemberAndZscanOnSmallSets(t *testing.T)      { zsRun(t, zsRandScanCases) }
func TestZsetEncodingConversionsFollowRedis(t *testing.T) {
	zsRun(t, zsEncodingCases)
}

// The compact and skiplist encodings must answer alike: replay the tables
// that do not show the encoding (OBJECT ENCODING, ZSCAN) with every set a
// skiplist.
func TestZsetSkiplistEncodingAnswersAlike(t *testing.T) {
	tables := [][]replyCase{zsAddCases, zsIncrCases, zsReadCases, zsRangeCases, zsRangestoreCases,
		zsRemrangeCases, zsPopCases, zsPopResp3Cases, zsAlgebraCases}
	for _, cases := range tables {
		s := startTestServer(t)
		c := dialRaw(t, s)
		c.Do("CONFIG", "SET", "zset-max-listpack-entries", "0")
		for _, tc := range cases {
			got := c.Do(tc.cmd...)
			switch {
			case tc.want == zsAnyHello:
			case strings.EqualFold(tc.cmd[0], "zscore") && tc.want == zsBulk("0") && got == zsBulk("-0"):
				// a skiplist keeps the negative zero a listpack drops
			default:
				if got != tc.want {
					t.Errorf("%q: got %q, want %q", tc.cmd, got, tc.want)
				}
			}
		}
	}
}

func TestZrankWithScoreFromRedis72(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"ZADD", "z", "1", "a", "2.5", "b"}, ":2\r\n"},
		{[]string{"ZRANK", "z", "b", "WITHSCORE"}, "*2\r\n:1\r\n$3\r\n2.5\r\n"},
		{[]string{"ZREVRANK", "z", "b", "withscore"}, "*2\r\n:0\r\n$3\r\n2.5\r\n"},
		{[]string{"ZRANK", "z", "nosuch", "WITHSCORE"}, "*-1\r\n"},
		{[]string{"ZRANK", "nokey", "a", "WITHSCORE"}, "*-1\r\n"},
		{[]string{"ZRANK", "nokey", "a"}, "$-1\r\n"},
		{[]string{"ZRANK", "z", "a", "WITHSCORES"}, "-ERR syntax error\r\n"},
		{[]string{"ZRANK", "z", "a", "WITHSCORE", "x"}, "-ERR wrong number of arguments for 'zrank' command\r\n"},
		{[]string{"ZREVRANK", "z", "a", "WITHSCORE", "x"}, "-ERR wrong number of arguments for 'zrevrank' command\r\n"},
		{[]string{"ZRANK", "z"}, "-ERR wrong number of arguments for 'zrank' command\r\n"},
		{[]string{"SET", "s", "v"}, "+OK\r\n"},
		{[]string{"ZRANK", "s", "a", "WITHSCORE"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"ZRANK", "s", "a", "BOGUS"}, "-ERR syntax error\r\n"},
	})
	zsResp3(t, c)
	runCases(t, c, []replyCase{
		{[]string{"ZRANK", "z", "b", "WITHSCORE"}, "*2\r\n:1\r\n,2.5\r\n"},
		{[]string{"ZRANK", "z", "nosuch", "WITHSCORE"}, "_\r\n"},
		{[]string{"ZRANK", "z", "nosuch"}, "_\r\n"},
	})
}

// zsResp3 switches a connection to RESP3.
func zsResp3(t *testing.T, c *rawClient) {
	t.Helper()
	if r := c.Do("HELLO", "3"); !strings.HasPrefix(r, "%") {
		t.Fatalf("HELLO 3: %q", r)
	}
}

// zsParse decodes one raw reply: arrays (and maps, sets, pushes) become
// []any, bulk and simple strings and doubles string, integers int64, nulls
// nil; errors become an error value.
func zsParse(t *testing.T, raw string) any {
	t.Helper()
	v, rest := zsParseOne(t, raw)
	if rest != "" {
		t.Fatalf("trailing bytes after reply: %q", rest)
	}
	return v
}

func zsParseOne(t *testing.T, raw string) (any, string) {
	t.Helper()
	i := strings.Index(raw, "\r\n")
	if i < 1 {
		t.Fatalf("bad reply %q", raw)
	}
	head, body, rest := raw[0], raw[1:i], raw[i+2:]
	switch head {
	case '+', ',':
		return body, rest
	case '-':
		return fmt.Errorf("%s", body), rest
	case ':':
		n, _ := strconv.ParseInt(body, 10, 64)
		return n, rest
	case '_':
		return nil, rest
	case '$':
		n, _ := strconv.Atoi(body)
		if n < 0 {
			return nil, rest
		}
		return rest[:n], rest[n+2:]
	case '*', '~', '%':
		n, _ := strconv.Atoi(body)
		if n < 0 {
			return nil, rest
		}
		if head == '%' {
			n *= 2
		}
		out := []any{}
		for k := 0; k < n; k++ {
			var v any
			v, rest = zsParseOne(t, rest)
			out = append(out, v)
		}
		return out, rest
	}
	t.Fatalf("unexpected reply type in %q", raw)
	return nil, ""
}

// zsFill makes key a sorted set of n members "m<i>" with score i.
func zsFill(t *testing.T, c *rawClient, key string, n int) {
	t.Helper()
	args := []string{"ZADD", key}
	for i := 0; i < n; i++ {
		args = append(args, strconv.Itoa(i), "m"+strconv.Itoa(i))
	}
	if got := c.Do(args...); got != fmt.Sprintf(":%d\r\n", n) {
		t.Fatalf("ZADD: %q", got)
	}
}

func TestZrandmemberShapesAndMembership(t *testing.T) {
	s := startTestServer(t)
	for _, size := range []int{10, 300} {
		for _, proto := range []int{2, 3} {
			c := dialRaw(t, s)
			if proto == 3 {
				zsResp3(t, c)
			}
			key := fmt.Sprintf("z%d", size)
			c.Do("DEL", key)
			zsFill(t, c, key, size)
			enc := "listpack"
			if size > 128 {
				enc = "skiplist"
			}
			if got := c.Do("OBJECT", "ENCODING", key); got != zsBulk(enc) {
				t.Fatalf("encoding %q", got)
			}
			isMember := func(m any) int {
				str, _ := m.(string)
				if !strings.HasPrefix(str, "m") {
					t.Fatalf("not a member: %v", m)
				}
				i, err := strconv.Atoi(str[1:])
				if err != nil || i >= size {
					t.Fatalf("not a member: %v", m)
				}
				return i
			}
			isMember(zsParse(t, c.Do("ZRANDMEMBER", key)))
			for _, count := range []int{1, 3, size - 1, size, size + 5, -1, -7, -(size + 20)} {
				for _, ws := range []bool{false, true} {
					args := []string{"ZRANDMEMBER", key, strconv.Itoa(count)}
					if ws {
						args = append(args, "WITHSCORES")
					}
					list, ok := zsParse(t, c.Do(args...)).([]any)
					if !ok {
						t.Fatalf("%v: not an array", args)
					}
					want := min(count, size)
					if count < 0 {
						want = -count
					}
					// pairs: RESP3 nests [member, score], RESP2 is flat
					var members, scores []any
					switch {
					case ws && proto == 3:
						for _, p := range list {
							pair := p.([]any)
							if len(pair) != 2 {
								t.Fatalf("%v: pair %v", args, pair)
							}
							members, scores = append(members, pair[0]), append(scores, pair[1])
						}
					case ws:
						for k := 0; k+1 < len(list); k += 2 {
							members, scores = append(members, list[k]), append(scores, list[k+1])
						}
						if len(list)%2 != 0 {
							t.Fatalf("%v: odd flat reply", args)
						}
					default:
						members = list
					}
					if len(members) != want {
						t.Fatalf("%v: %d members, want %d", args, len(members), want)
					}
					seen := map[int]bool{}
					for k, m := range members {
						i := isMember(m)
						if count > 0 && seen[i] {
							t.Fatalf("%v: %v twice", args, m)
						}
						seen[i] = true
						if ws && scores[k] != strconv.Itoa(i) {
							t.Fatalf("%v: score of %v is %v", args, m, scores[k])
						}
					}
					if count >= size {
						// the whole set, in order
						for k, m := range members {
							if isMember(m) != k {
								t.Fatalf("%v: not in order", args)
							}
						}
					}
				}
			}
		}
	}
}

func TestZscanWalksASkiplistCompletely(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	zsFill(t, c, "z", 1000)
	c.Do("ZADD", "z", "0.5", "half", "1e20", "big", "-0", "negzero")
	seen := map[string]string{}
	cursor := "0"
	for calls := 0; ; calls++ {
		r := zsParse(t, c.Do("ZSCAN", "z", cursor, "COUNT", "37")).([]any)
		cursor = r[0].(string)
		flat := r[1].([]any)
		for k := 0; k < len(flat); k += 2 {
			seen[flat[k].(string)] = flat[k+1].(string)
		}
		if cursor == "0" {
			break
		}
		if calls > 10000 {
			t.Fatalf("ZSCAN does not end")
		}
	}
	if len(seen) != 1003 {
		t.Fatalf("saw %d members", len(seen))
	}
	for i := 0; i < 1000; i++ {
		if seen["m"+strconv.Itoa(i)] != strconv.Itoa(i) {
			t.Fatalf("m%d scored %q", i, seen["m"+strconv.Itoa(i)])
		}
	}
	for m, want := range map[string]string{"half": "0.5", "big": "1e+20", "negzero": "-0"} {
		if seen[m] != want {
			t.Errorf("%s: %q, want %q", m, seen[m], want)
		}
	}
	// MATCH filters members
	r := zsParse(t, c.Do("ZSCAN", "z", "0", "MATCH", "m99?", "COUNT", "100000")).([]any)
	if r[0] != "0" || len(r[1].([]any)) != 20 {
		t.Fatalf("MATCH m99?: %v", r)
	}
}

// zsWaitBlocked waits until n clients are blocked.
func zsWaitBlocked(t *testing.T, s *Server, n int64) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for s.blocked.count.Load() != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d clients blocked, want %d", s.blocked.count.Load(), n)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func TestBzpopServesWaitersInOrder(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	w1, w2, w3 := dialRaw(t, s), dialRaw(t, s), dialRaw(t, s)
	w1.Send(encode("BZPOPMIN", "nokey", "z", "0"))
	zsWaitBlocked(t, s, 1)
	w2.Send(encode("BZPOPMAX", "z", "0"))
	zsWaitBlocked(t, s, 2)
	w3.Send(encode("BZMPOP", "0", "2", "other", "z", "MIN", "COUNT", "5"))
	zsWaitBlocked(t, s, 3)
	runCases(t, c, []replyCase{
		{[]string{"ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"}, ":4\r\n"},
	})
	for _, tc := range []struct {
		c    *rawClient
		want string
	}{
		{w1, "*3\r\n$1\r\nz\r\n$1\r\na\r\n$1\r\n1\r\n"},
		{w2, "*3\r\n$1\r\nz\r\n$1\r\nd\r\n$1\r\n4\r\n"},
		{w3, "*2\r\n$1\r\nz\r\n*2\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n"},
	} {
		if got := tc.c.Read(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
	runCases(t, c, []replyCase{{[]string{"EXISTS", "z"}, ":0\r\n"}})

	// More waiters than members: the rest stay blocked.
	w1.Send(encode("BZPOPMIN", "z", "0"))
	zsWaitBlocked(t, s, 1)
	w2.Send(encode("BZPOPMIN", "z", "0"))
	zsWaitBlocked(t, s, 2)
	c.Do("ZADD", "z", "5", "e")
	if got := w1.Read(); got != "*3\r\n$1\r\nz\r\n$1\r\ne\r\n$1\r\n5\r\n" {
		t.Fatalf("w1: %q", got)
	}
	zsWaitBlocked(t, s, 1)
	c.Do("ZADD", "z", "6", "f")
	if got := w2.Read(); got != "*3\r\n$1\r\nz\r\n$1\r\nf\r\n$1\r\n6\r\n" {
		t.Fatalf("w2: %q", got)
	}
}

func TestBzpopRepliesInResp3AndTimesOut(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	w := dialRaw(t, s)
	zsResp3(t, w)
	w.Send(encode("BZMPOP", "0", "1", "z", "MAX"))
	zsWaitBlocked(t, s, 1)
	c.Do("ZADD", "z", "1.5", "a")
	if got := w.Read(); got != "*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\na\r\n,1.5\r\n" {
		t.Fatalf("BZMPOP in RESP3: %q", got)
	}
	w.Send(encode("BZPOPMIN", "z", "0"))
	zsWaitBlocked(t, s, 1)
	c.Do("ZADD", "z", "2", "b")
	if got := w.Read(); got != "*3\r\n$1\r\nz\r\n$1\r\nb\r\n,2\r\n" {
		t.Fatalf("BZPOPMIN in RESP3: %q", got)
	}
	start := time.Now()
	if got := w.Do("BZPOPMAX", "z", "0.1"); got != "_\r\n" {
		t.Fatalf("RESP3 timeout: %q", got)
	}
	if d := time.Since(start); d < 90*time.Millisecond {
		t.Fatalf("timed out after %v", d)
	}
	if got := c.Do("BZMPOP", "0.05", "1", "z", "MIN"); got != "*-1\r\n" {
		t.Fatalf("RESP2 timeout: %q", got)
	}
}

func TestBzpopWaitsOutOtherTypesAndRunsInMulti(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	w := dialRaw(t, s)
	w.Send(encode("BZPOPMIN", "k", "0"))
	zsWaitBlocked(t, s, 1)
	// a string under the key does not serve (nor fail) the waiter
	runCases(t, c, []replyCase{
		{[]string{"SET", "k", "v"}, "+OK\r\n"},
		{[]string{"DEL", "k"}, ":1\r\n"},
	})
	zsWaitBlocked(t, s, 1)
	// a transaction's writes serve it when EXEC ends
	runCases(t, c, []replyCase{
		{[]string{"MULTI"}, "+OK\r\n"},
		{[]string{"ZADD", "k", "1", "a"}, "+QUEUED\r\n"},
		{[]string{"ZADD", "k", "0", "b"}, "+QUEUED\r\n"},
		{[]string{"EXEC"}, "*2\r\n:1\r\n:1\r\n"},
	})
	if got := w.Read(); got != "*3\r\n$1\r\nk\r\n$1\r\nb\r\n$1\r\n0\r\n" {
		t.Fatalf("served after EXEC: %q", got)
	}
	// inside MULTI the blocking forms never wait
	runCases(t, c, []replyCase{
		{[]string{"MULTI"}, "+OK\r\n"},
		{[]string{"BZPOPMIN", "nokey", "0"}, "+QUEUED\r\n"},
		{[]string{"BZMPOP", "0", "1", "nokey", "MIN"}, "+QUEUED\r\n"},
		{[]string{"BZPOPMAX", "k", "0"}, "+QUEUED\r\n"},
		{[]string{"EXEC"}, "*3\r\n*-1\r\n*-1\r\n*3\r\n$1\r\nk\r\n$1\r\na\r\n$1\r\n1\r\n"},
	})
	if s.blocked.count.Load() != 0 {
		t.Fatalf("a client is still blocked")
	}
}

func TestZsetWritesTouchWatchedKeys(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	other := dialRaw(t, s)
	c.Do("ZADD", "z", "1", "a", "2", "b")
	for _, tc := range []struct {
		cmd     []string
		touches bool
	}{
		{[]string{"ZADD", "z", "1", "a"}, false},
		{[]string{"ZADD", "z", "NX", "5", "a"}, false},
		{[]string{"ZADD", "z", "3", "a"}, true},
		{[]string{"ZINCRBY", "z", "1", "a"}, true},
		{[]string{"ZREM", "z", "nosuch"}, false},
		{[]string{"ZREMRANGEBYSCORE", "z", "100", "200"}, false},
		{[]string{"ZPOPMIN", "z", "0"}, false},
		{[]string{"ZPOPMIN", "z"}, true},
		{[]string{"ZRANGESTORE", "z", "nokey", "0", "-1"}, true},
		{[]string{"ZUNIONSTORE", "z", "1", "nokey"}, true}, // an empty result deletes z
		{[]string{"ZREMRANGEBYRANK", "z", "5", "10"}, false},
	} {
		c.Do("DEL", "z")
		c.Do("ZADD", "z", "1", "a", "2", "b")
		c.Do("WATCH", "z")
		c.Do("MULTI")
		c.Do("PING")
		other.Do(tc.cmd...)
		want := "*1\r\n+PONG\r\n"
		if tc.touches {
			want = "*-1\r\n"
		}
		if got := c.Do("EXEC"); got != want {
			t.Errorf("%q: EXEC gave %q, want %q", tc.cmd, got, want)
		}
	}
}

func TestZsetNumkeysKeyPositions(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"zunionstore", "d", "2", "a", "b", "WEIGHTS", "1", "2"}, "[1 3 4]"},
		{[]string{"zunionstore", "d", "5", "a", "b"}, "[]"},
		{[]string{"zunionstore", "d", "x", "a"}, "[]"},
		{[]string{"zunionstore", "d", "2abc", "a", "b"}, "[3 4 1]"}, // Redis's atoi fallback
		{[]string{"zinter", "2", "a", "b", "WITHSCORES"}, "[2 3]"},
		{[]string{"zintercard", "0", "a"}, "[]"},
		{[]string{"zmpop", "1", "a", "MIN"}, "[2]"},
		{[]string{"bzmpop", "0", "2", "a", "b", "MIN"}, "[3 4]"},
		{[]string{"bzpopmin", "a", "b", "0"}, "[1 2]"},
	} {
		args := make([][]byte, len(tc.args))
		for i, a := range tc.args {
			args[i] = []byte(a)
		}
		var cmd *Command
		for _, c := range allCommands() {
			if c.Name == tc.args[0] {
				cmd = c
			}
		}
		if got := fmt.Sprint(cmd.KeyPositions(args, nil)); got != tc.want {
			t.Errorf("%v: keys at %s, want %s", tc.args, got, tc.want)
		}
	}
}

var zsAddCases = []replyCase{
	{[]string{"zadd", "z", "1", "a", "2", "b", "3", "c"}, ":3\r\n"},
	{[]string{"zadd", "z", "nx", "5", "a", "6", "d"}, ":1\r\n"},
	{[]string{"zadd", "z", "xx", "ch", "7", "a", "8", "e"}, ":1\r\n"},
	{[]string{"zadd", "z", "ch", "7", "a", "2", "b"}, ":0\r\n"},
	{[]string{"zadd", "z", "gt", "ch", "1", "a", "3", "b"}, ":1\r\n"},
	{[]string{"zadd", "z", "lt", "ch", "1", "a", "3", "b"}, ":1\r\n"},
	{[]string{"zadd", "z", "xx", "gt", "0", "a", "9", "b", "9", "nosuch"}, ":0\r\n"},
	{[]string{"zrange", "z", "0", "-1", "withscores"}, "*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n6\r\n$1\r\nb\r\n$1\r\n9\r\n"},
	{[]string{"zadd", "z", "nx", "xx", "1", "a"}, "-ERR XX and NX options at the same time are not compatible\r\n"},
	{[]string{"zadd", "z", "gt", "lt", "1", "a"}, "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n"},
	{[]string{"zadd", "z", "gt", "nx", "1", "a"}, "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n"},
	{[]string{"zadd", "z", "lt", "nx", "1", "a"}, "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n"},
	{[]string{"zadd", "z", "incr", "1", "a", "2", "b"}, "-ERR INCR option supports a single increment-element pair\r\n"},
	{[]string{"zadd", "z"}, "-ERR wrong number of arguments for 'zadd' command\r\n"},
	{[]string{"zadd", "z", "1"}, "-ERR wrong number of arguments for 'zadd' command\r\n"},
	{[]string{"zadd", "z", "1", "a", "2"}, "-ERR syntax error\r\n"},
	{[]string{"zadd", "z", "nx"}, "-ERR wrong number of arguments for 'zadd' command\r\n"},
	{[]string{"zadd", "z", "abc", "a"}, "-ERR value is not a valid float\r\n"},
	{[]string{"zadd", "z", "nan", "a"}, "-ERR value is not a valid float\r\n"},
	{[]string{"zadd", "z", " 1", "a"}, "-ERR value is not a valid float\r\n"},
	{[]string{"zadd", "z", "1 ", "a"}, "-ERR value is not a valid float\r\n"},
	{[]string{"zadd", "z", "1", "a", "nx"}, "-ERR syntax error\r\n"},
	{[]string{"zadd", "z", "nx", "xx", "abc", "a"}, "-ERR XX and NX options at the same time are not compatible\r\n"},
	{[]string{"zadd", "z", "1e400", "a"}, "-ERR value is not a valid float\r\n"},
	{[]string{"zadd", "z", "0x10", "hex"}, ":1\r\n"},
	{[]string{"zscore", "z", "hex"}, "$2\r\n16\r\n"},
	{[]string{"zadd", "new", "xx", "1", "a"}, ":0\r\n"},
	{[]string{"exists", "new"}, ":0\r\n"},
	{[]string{"zadd", "new2", "xx", "ch", "1", "a", "2", "b"}, ":0\r\n"},
	{[]string{"exists", "new2"}, ":0\r\n"},
	{[]string{"set", "s", "v"}, "+OK\r\n"},
	{[]string{"zadd", "s", "1", "a"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{[]string{"zadd", "s", "xx", "1", "a"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{[]string{"zadd", "s", "abc", "a"}, "-ERR value is not a valid float\r\n"},
	{[]string{"zadd", "z", "inf", "i", "-inf", "j"}, ":2\r\n"},
	{[]string{"zrange", "z", "0", "-1", "withscores"}, "*14\r\n$1\r\nj\r\n$4\r\n-inf\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n6\r\n$1\r\nb\r\n$1\r\n9\r\n$3\r\nhex\r\n$2\r\n16\r\n$1\r\ni\r\n$3\r\ninf\r\n"},
}

var zsIncrCases = []replyCase{
	{[]string{"zadd", "z", "incr", "1", "a"}, "$1\r\n1\r\n"},
	{[]string{"zadd", "z", "incr", "1.5", "a"}, "$3\r\n2.5\r\n"},
	{[]string{"zadd", "z", "nx", "incr", "1", "a"}, "$-1\r\n"},
	{[]string{"zadd", "z", "xx", "incr", "1", "b"}, "$-1\r\n"},
	{[]string{"zadd", "z", "gt", "incr", "-1", "a"}, "$-1\r\n"},
	{[]string{"zadd", "z", "lt", "incr", "-1", "a"}, "$3\r\n1.5\r\n"},
	{[]string{"zadd", "z", "lt", "incr", "0", "a"}, "$-1\r\n"},
	{[]string{"zadd", "z", "incr", "0", "a"}, "$3\r\n1.5\r\n"},
	{[]string{"zadd", "z", "gt", "incr", "1", "new"}, "$1\r\n1\r\n"},
	{[]string{"zadd", "z", "incr", "inf", "a"}, "$3\r\ninf\r\n"},
	{[]string{"zadd", "z", "incr", "-inf", "a"}, "-ERR resulting score is not a number (NaN)\r\n"},
	{[]string{"zscore", "z", "a"}, "$3\r\ninf\r\n"},
	{[]string{"zincrby", "z", "1", "b"}, "$1\r\n1\r\n"},
	{[]string{"zincrby", "z", "-2.5", "b"}, "$4\r\n-1.5\r\n"},
	{[]string{"zincrby", "z", "nx", "b"}, "-ERR syntax error\r\n"},
	{[]string{"zincrby", "z", "abc", "b"}, "-ERR value is not a valid float\r\n"},
	{[]string{"zincrby", "z", "nan", "b"}, "-ERR value is not a valid float\r\n"},
	{[]string{"zincrby", "z", " 1", "b"}, "-ERR value is not a valid float\r\n"},
	{[]string{"zincrby", "z"}, "-ERR wrong number of arguments for 'zincrby' command\r\n"},
	{[]string{"zincrby", "z", "1", "a", "extra"}, "-ERR wrong number of arguments for 'zincrby' command\r\n"},
	{[]string{"zincrby", "newkey", "5", "m"}, "$1\r\n5\r\n"},
	{[]string{"zrange", "newkey", "0", "-1", "withscores"}, "*2\r\n$1\r\nm\r\n$1\r\n5\r\n"},
	{[]string{"zadd", "z", "-0", "negz"}, ":1\r\n"},
	{[]string{"zscore", "z", "negz"}, "$1\r\n0\r\n"},
	{[]string{"zadd", "z", "incr", "-0", "negz2"}, "$2\r\n-0\r\n"},
	{[]string{"set", "s", "v"}, "+OK\r\n"},
	{[]string{"zincrby", "s", "1", "a"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
}

var zsReadCases = []replyCase{
	{[]string{"zadd", "z", "1", "a", "2", "b", "3", "c", "3", "d", "0.5", "e"}, ":5\r\n"},
	{[]string{"zcard", "z"}, ":5\r\n"},
	{[]string{"zcard", "nokey"}, ":0\r\n"},
	{[]string{"zscore", "z", "a"}, "$1\r\n1\r\n"},
	{[]string{"zscore", "z", "e"}, "$3\r\n0.5\r\n"},
	{[]string{"zscore", "z", "nosuch"}, "$-1\r\n"},
	{[]string{"zscore", "nokey", "a"}, "$-1\r\n"},
	{[]string{"zmscore", "z", "a", "nosuch", "e"}, "*3\r\n$1\r\n1\r\n$-1\r\n$3\r\n0.5\r\n"},
	{[]string{"zmscore", "nokey", "a", "b"}, "*2\r\n$-1\r\n$-1\r\n"},
	{[]string{"zmscore", "z"}, "-ERR wrong number of arguments for 'zmscore' command\r\n"},
	{[]string{"zrank", "z", "a"}, ":1\r\n"},
	{[]string{"zrank", "z", "d"}, ":4\r\n"},
	{[]string{"zrank", "z", "nosuch"}, "$-1\r\n"},
	{[]string{"zrank", "nokey", "a"}, "$-1\r\n"},
	{[]string{"zrevrank", "z", "a"}, ":3\r\n"},
	{[]string{"zrevrank", "z", "e"}, ":4\r\n"},
	{[]string{"zcount", "z", "-inf", "+inf"}, ":5\r\n"},
	{[]string{"zcount", "z", "(1", "3"}, ":3\r\n"},
	{[]string{"zcount", "z", "1", "(3"}, ":2\r\n"},
	{[]string{"zcount", "z", "(3", "(3"}, ":0\r\n"},
	{[]string{"zcount", "z", "3", "3"}, ":2\r\n"},
	{[]string{"zcount", "z", "4", "1"}, ":0\r\n"},
	{[]string{"zcount", "z", "x", "3"}, "-ERR min or max is not a float\r\n"},
	{[]string{"zcount", "z", "1", "(x"}, "-ERR min or max is not a float\r\n"},
	{[]string{"zcount", "z", "", ""}, ":0\r\n"},
	{[]string{"zcount", "z", " 1", "2"}, ":2\r\n"},
	{[]string{"zcount", "z", "1e400", "inf"}, ":0\r\n"},
	{[]string{"zcount", "nokey", "1", "2"}, ":0\r\n"},
	{[]string{"zlexcount", "z", "-", "+"}, ":5\r\n"},
	{[]string{"zlexcount", "z", "[a", "(c"}, ":0\r\n"},
	{[]string{"zlexcount", "z", "a", "c"}, "-ERR min or max not valid string range item\r\n"},
	{[]string{"zlexcount", "z", "", "+"}, "-ERR min or max not valid string range item\r\n"},
	{[]string{"zlexcount", "z", "-", "-"}, ":0\r\n"},
	{[]string{"zlexcount", "z", "+", "-"}, ":0\r\n"},
	{[]string{"zlexcount", "nokey", "-", "+"}, ":0\r\n"},
	{[]string{"zrem", "z", "a", "nosuch", "e"}, ":2\r\n"},
	{[]string{"zrem", "z", "nosuch"}, ":0\r\n"},
	{[]string{"zrem", "nokey", "a"}, ":0\r\n"},
	{[]string{"zrem", "z", "b", "c", "d"}, ":3\r\n"},
	{[]string{"exists", "z"}, ":0\r\n"},
	{[]string{"set", "s", "v"}, "+OK\r\n"},
	{[]string{"zcard", "s"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{[]string{"zscore", "s", "a"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{[]string{"zmscore", "s", "a"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{[]string{"zrank", "s", "a"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{[]string{"zcount", "s", "1", "2"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{[]string{"zcount", "s", "x", "2"}, "-ERR min or max is not a float\r\n"},
	{[]string{"zlexcount", "s", "-", "+"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{[]string{"zrem", "s", "a"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
}

var zsRangeCases = []replyCase{
	{[]string{"zadd", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "6", "f"}, ":6\r\n"},
	{[]string{"zadd", "l", "0", "a", "0", "b", "0", "c", "0", "d", "0", "e", "0", "f", "0", "g"}, ":7\r\n"},
	{[]string{"zrange", "z", "0", "-1"}, "*6\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\nf\r\n"},
	{[]string{"zrange", "z", "0", "-1", "withscores"}, "*12\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n$1\r\nf\r\n$1\r\n6\r\n"},
	{[]string{"zrange", "z", "2", "3", "withscores"}, "*4\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n"},
	{[]string{"zrange", "z", "-3", "-1"}, "*3\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\nf\r\n"},
	{[]string{"zrange", "z", "-100", "100"}, "*6\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\nf\r\n"},
	{[]string{"zrange", "z", "5", "2"}, "*0\r\n"},
	{[]string{"zrange", "z", "10", "20"}, "*0\r\n"},
	{[]string{"zrange", "z", "0", "-1", "rev"}, "*6\r\n$1\r\nf\r\n$1\r\ne\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n"},
	{[]string{"zrange", "z", "0", "1", "REV", "WITHSCORES"}, "*4\r\n$1\r\nf\r\n$1\r\n6\r\n$1\r\ne\r\n$1\r\n5\r\n"},
	{[]string{"zrange", "z", "1", "4", "byscore"}, "*4\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n"},
	{[]string{"zrange", "z", "(1", "4", "byscore", "withscores"}, "*6\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n"},
	{[]string{"zrange", "z", "4", "1", "byscore", "rev"}, "*4\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n"},
	{[]string{"zrange", "z", "4", "1", "byscore", "rev", "limit", "1", "2"}, "*2\r\n$1\r\nc\r\n$1\r\nb\r\n"},
	{[]string{"zrange", "z", "1", "4", "byscore", "limit", "1", "2"}, "*2\r\n$1\r\nb\r\n$1\r\nc\r\n"},
	{[]string{"zrange", "z", "1", "4", "byscore", "limit", "1", "-1"}, "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n"},
	{[]string{"zrange", "z", "1", "4", "byscore", "limit", "-1", "2"}, "*0\r\n"},
	{[]string{"zrange", "z", "1", "4", "byscore", "limit", "0", "0"}, "*0\r\n"},
	{[]string{"zrange", "z", "1", "4", "byscore", "limit", "10", "1"}, "*0\r\n"},
	{[]string{"zrange", "z", "0", "-1", "limit", "0", "1"}, "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n"},
	{[]string{"zrange", "z", "0", "-1", "limit", "0", "-1"}, "*6\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\nf\r\n"},
	{[]string{"zrange", "l", "-", "+", "bylex"}, "*7\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\nf\r\n$1\r\ng\r\n"},
	{[]string{"zrange", "l", "[b", "(e", "bylex"}, "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n"},
	{[]string{"zrange", "l", "(e", "[b", "bylex", "rev"}, "*3\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n"},
	{[]string{"zrange", "l", "+", "-", "bylex", "rev", "limit", "1", "3"}, "*3\r\n$1\r\nf\r\n$1\r\ne\r\n$1\r\nd\r\n"},
	{[]string{"zrange", "l", "-", "+", "bylex", "withscores"}, "-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n"},
	{[]string{"zrange", "l", "-", "+", "bylex", "limit", "1"}, "-ERR syntax error\r\n"},
	{[]string{"zrange", "l", "-", "+", "bylex", "limit", "x", "1"}, "-ERR value is not an integer or out of range\r\n"},
	{[]string{"zrange", "z", "0", "-1", "foo"}, "-ERR syntax error\r\n"},
	{[]string{"zrange", "z", "0", "-1", "rev", "rev"}, "-ERR syntax error\r\n"},
	{[]string{"zrange", "z", "0", "-1", "byscore", "bylex"}, "-ERR syntax error\r\n"},
	{[]string{"zrange", "z", "a", "b"}, "-ERR value is not an integer or out of range\r\n"},
	{[]string{"zrange", "z", "0", "9223372036854775808"}, "-ERR value is not an integer or out of range\r\n"},
	{[]string{"zrange", "z", "x", "1", "byscore"}, "-ERR min or max is not a float\r\n"},
	{[]string{"zrange", "l", "a", "b", "bylex"}, "-ERR min or max not valid string range item\r\n"},
	{[]string{"zrange", "nokey", "0", "-1"}, "*0\r\n"},
	{[]string{"zrange", "nokey", "0", "-1", "withscores"}, "*0\r\n"},
	{[]string{"set", "s", "v"}, "+OK\r\n"},
	{[]string{"zrange", "s", "0", "-1"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{[]string{"zrange", "s", "0", "-1", "foo"}, "-ERR syntax error\r\n"},
	{[]string{"zrevrange", "z", "0", "2"}, "*3\r\n$1\r\nf\r\n$1\r\ne\r\n$1\r\nd\r\n"},
	{[]string{"zrevrange", "z", "0", "2", "withscores"}, "*6\r\n$1\r\nf\r\n$1\r\n6\r\n$1\r\ne\r\n$1\r\n5\r\n$1\r\nd\r\n$1\r\n4\r\n"},
	{[]string{"zrevrange", "z", "0", "2", "rev"}, "-ERR syntax error\r\n"},
	{[]string{"zrevrange", "z", "0", "2", "limit", "0", "1"}, "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n"},
	{[]string{"zrangebyscore", "z", "-inf", "+inf"}, "*6\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\nf\r\n"},
	{[]string{"zrangebyscore", "z", "(2", "(5"}, "*2\r\n$1\r\nc\r\n$1\r\nd\r\n"},
	{[]string{"zrangebyscore", "z", "2", "5", "limit", "1", "2", "withscores"}, "*4\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n"},
	{[]string{"zrangebyscore", "z", "2", "5", "rev"}, "-ERR syntax error\r\n"},
	{[]string{"zrangebyscore", "z", "5", "2"}, "*0\r\n"},
	{[]string{"zrangebyscore", "z", "(", "(5"}, "*4\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n"},
	{[]string{"zrangebyscore", "z", "0x2", "5"}, "*4\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n"},
	{[]string{"zrangebyscore", "z", "2 ", "5"}, "-ERR min or max is not a float\r\n"},
	{[]string{"zrangebyscore", "z", "nan", "5"}, "-ERR min or max is not a float\r\n"},
	{[]string{"zrangebyscore", "z", "-infinity", "infinity"}, "*6\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\nf\r\n"},
	{[]string{"zrangebyscore", "z", "2\x00zz", "5"}, "*4\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n"},
	{[]string{"zrevrangebyscore", "z", "+inf", "-inf"}, "*6\r\n$1\r\nf\r\n$1\r\ne\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n"},
	{[]string{"zrevrangebyscore", "z", "5", "2", "withscores", "limit", "1", "2"}, "*4\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\nc\r\n$1\r\n3\r\n"},
	{[]string{"zrevrangebyscore", "z", "(5", "(2"}, "*2\r\n$1\r\nd\r\n$1\r\nc\r\n"},
	{[]string{"zrevrangebyscore", "z", "2", "5"}, "*0\r\n"},
	{[]string{"zrangebylex", "l", "-", "+"}, "*7\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\nf\r\n$1\r\ng\r\n"},
	{[]string{"zrangebylex", "l", "(c", "[e"}, "*2\r\n$1\r\nd\r\n$1\r\ne\r\n"},
	{[]string{"zrangebylex", "l", "[c", "[c"}, "*1\r\n$1\r\nc\r\n"},
	{[]string{"zrangebylex", "l", "(c", "[c"}, "*0\r\n"},
	{[]string{"zrangebylex", "l", "-", "+", "limit", "2", "2"}, "*2\r\n$1\r\nc\r\n$1\r\nd\r\n"},
	{[]string{"zrangebylex", "l", "-", "+", "withscores"}, "-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n"},
	{[]string{"zrangebylex", "l", "", "-"}, "-ERR min or max not valid string range item\r\n"},
	{[]string{"zrangebylex", "l", "+\x00", "-"}, "*0\r\n"},
	{[]string{"zrevrangebylex", "l", "+", "-"}, "*7\r\n$1\r\ng\r\n$1\r\nf\r\n$1\r\ne\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n"},
	{[]string{"zrevrangebylex", "l", "[e", "(b", "limit", "1", "1"}, "*1\r\n$1\r\nd\r\n"},
	{[]string{"zrevrangebylex", "l", "-", "+"}, "*0\r\n"},
}

var zsRangestoreCases = []replyCase{
	{[]string{"zadd", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "6", "f"}, ":6\r\n"},
	{[]string{"zadd", "l", "0", "a", "0", "b", "0", "c", "0", "d"}, ":4\r\n"},
	{[]string{"zrangestore", "d", "z", "0", "-1"}, ":6\r\n"},
	{[]string{"zrange", "d", "0", "-1", "withscores"}, "*12\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n$1\r\nf\r\n$1\r\n6\r\n"},
	{[]string{"zrangestore", "d", "z", "1", "2", "rev"}, ":2\r\n"},
	{[]string{"zrange", "d", "0", "-1", "withscores"}, "*4\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n"},
	{[]string{"zrangestore", "d", "z", "2", "4", "byscore", "limit", "1", "1"}, ":1\r\n"},
	{[]string{"zrange", "d", "0", "-1", "withscores"}, "*2\r\n$1\r\nc\r\n$1\r\n3\r\n"},
	{[]string{"zrangestore", "d", "z", "5", "2", "byscore", "rev"}, ":4\r\n"},
	{[]string{"zrange", "d", "0", "-1", "withscores"}, "*8\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n"},
	{[]string{"zrangestore", "d", "l", "(a", "[d", "bylex"}, ":3\r\n"},
	{[]string{"zrange", "d", "0", "-1", "withscores"}, "*6\r\n$1\r\nb\r\n$1\r\n0\r\n$1\r\nc\r\n$1\r\n0\r\n$1\r\nd\r\n$1\r\n0\r\n"},
	{[]string{"zrangestore", "d", "z", "0", "-1", "withscores"}, "-ERR syntax error\r\n"},
	{[]string{"zrangestore", "d", "z", "0", "-1", "limit", "0", "1"}, "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n"},
	{[]string{"zrangestore", "d", "nokey", "0", "-1"}, ":0\r\n"},
	{[]string{"exists", "d"}, ":0\r\n"},
	{[]string{"zrangestore", "d", "z", "0", "0"}, ":1\r\n"},
	{[]string{"zrangestore", "d", "z", "10", "20"}, ":0\r\n"},
	{[]string{"exists", "d"}, ":0\r\n"},
	{[]string{"set", "s", "v"}, "+OK\r\n"},
	{[]string{"zrangestore", "d", "s", "0", "-1"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{[]string{"set", "str", "x"}, "+OK\r\n"},
	{[]string{"zrangestore", "str", "z", "0", "0"}, ":1\r\n"},
	{[]string{"type", "str"}, "+zset\r\n"},
	{[]string{"zadd", "t", "1", "x"}, ":1\r\n"},
	{[]string{"expire", "t", "100"}, ":1\r\n"},
	{[]string{"zrangestore", "t", "z", "0", "0"}, ":1\r\n"},
	{[]string{"ttl", "t"}, ":-1\r\n"},
	{[]string{"zrangestore", "z", "z", "1", "1"}, ":1\r\n"},
	{[]string{"zrange", "z", "0", "-1", "withscores"}, "*2\r\n$1\r\nb\r\n$1\r\n2\r\n"},
}

var zsRemrangeCases = []replyCase{
	{[]string{"zadd", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "6", "f"}, ":6\r\n"},
	{[]string{"zremrangebyrank", "z", "0", "0"}, ":1\r\n"},
	{[]string{"zremrangebyrank", "z", "-2", "-1"}, ":2\r\n"},
	{[]string{"zremrangebyrank", "z", "5", "10"}, ":0\r\n"},
	{[]string{"zremrangebyrank", "z", "2", "1"}, ":0\r\n"},
	{[]string{"zremrangebyrank", "z", "x", "1"}, "-ERR value is not an integer or out of range\r\n"},
	{[]string{"zremrangebyrank", "z", "1", "x"}, "-ERR value is not an integer or out of range\r\n"},
	{[]string{"zremrangebyrank", "nokey", "0", "1"}, ":0\r\n"},
	{[]string{"zrange", "z", "0", "-1"}, "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n"},
	{[]string{"zremrangebyscore", "z", "(2", "3"}, ":1\r\n"},
	{[]string{"zremrangebyscore", "z", "x", "3"}, "-ERR min or max is not a float\r\n"},
	{[]string{"zremrangebyscore", "z", "100", "200"}, ":0\r\n"},
	{[]string{"zremrangebyscore", "nokey", "1", "2"}, ":0\r\n"},
	{[]string{"zrange", "z", "0", "-1", "withscores"}, "*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nd\r\n$1\r\n4\r\n"},
	{[]string{"zadd", "l", "0", "a", "0", "b", "0", "c", "0", "d"}, ":4\r\n"},
	{[]string{"zremrangebylex", "l", "[b", "(d"}, ":2\r\n"},
	{[]string{"zremrangebylex", "l", "x", "y"}, "-ERR min or max not valid string range item\r\n"},
	{[]string{"zremrangebylex", "l", "+", "-"}, ":0\r\n"},
	{[]string{"zremrangebylex", "l", "-", "+"}, ":2\r\n"},
	{[]string{"exists", "l"}, ":0\r\n"},
	{[]string{"zremrangebyrank", "z", "0", "-1"}, ":2\r\n"},
	{[]string{"exists", "z"}, ":0\r\n"},
	{[]string{"set", "s", "v"}, "+OK\r\n"},
	{[]string{"zremrangebyrank", "s", "0", "1"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{[]string{"zremrangebyscore", "s", "0", "1"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{[]string{"zremrangebylex", "s", "-", "+"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{[]string{"zremrangebyscore", "s", "x", "1"}, "-ERR min or max is not a float\r\n"},
}

var zsPopCases = []replyCase{
	{[]string{"zadd", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "6", "f"}, ":6\r\n"},
	{[]string{"zpopmin", "z"}, "*2\r\n$1\r\na\r\n$1\r\n1\r\n"},
	{[]string{"zpopmax", "z"}, "*2\r\n$1\r\nf\r\n$1\r\n6\r\n"},
	{[]string{"zpopmin", "z", "2"}, "*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n"},
	{[]string{"zpopmax", "z", "0"}, "*0\r\n"},
	{[]string{"zpopmin", "z", "-1"}, "-ERR value is out of range, must be positive\r\n"},
	{[]string{"zpopmin", "z", "x"}, "-ERR value is out of range, must be positive\r\n"},
	{[]string{"zpopmin", "z", "1", "2"}, "-ERR syntax error\r\n"},
	{[]string{"zpopmin", "nokey"}, "*0\r\n"},
	{[]string{"zpopmin", "nokey", "3"}, "*0\r\n"},
	{[]string{"zpopmax", "z", "100"}, "*4\r\n$1\r\ne\r\n$1\r\n5\r\n$1\r\nd\r\n$1\r\n4\r\n"},
	{[]string{"exists", "z"}, ":0\r\n"},
	{[]string{"set", "s", "v"}, "+OK\r\n"},
	{[]string{"zpopmin", "s"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{[]string{"zpopmin", "s", "0"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{[]string{"zpopmin", "s", "-1"}, "-ERR value is out of range, must be positive\r\n"},
	{[]string{"zadd", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "6", "f"}, ":6\r\n"},
	{[]string{"zadd", "y", "10", "x"}, ":1\r\n"},
	{[]string{"zmpop", "1", "z", "min"}, "*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"},
	{[]string{"zmpop", "2", "nokey", "z", "max", "count", "2"}, "*2\r\n$1\r\nz\r\n*2\r\n*2\r\n$1\r\nf\r\n$1\r\n6\r\n*2\r\n$1\r\ne\r\n$1\r\n5\r\n"},
	{[]string{"zmpop", "2", "nokey", "y", "min", "count", "10"}, "*2\r\n$1\r\ny\r\n*1\r\n*2\r\n$1\r\nx\r\n$2\r\n10\r\n"},
	{[]string{"exists", "y"}, ":0\r\n"},
	{[]string{"zmpop", "1", "nokey", "min"}, "*-1\r\n"},
	{[]string{"zmpop", "2", "s", "z", "min"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{[]string{"zmpop", "2", "z", "s", "min"}, "*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n"},
	{[]string{"zmpop", "0", "z", "min"}, "-ERR numkeys should be greater than 0\r\n"},
	{[]string{"zmpop", "x", "z", "min"}, "-ERR numkeys should be greater than 0\r\n"},
	{[]string{"zmpop", "1", "z", "foo"}, "-ERR syntax error\r\n"},
	{[]string{"zmpop", "2", "z", "min"}, "-ERR syntax error\r\n"},
	{[]string{"zmpop", "1", "z", "min", "count", "0"}, "-ERR count should be greater than 0\r\n"},
	{[]string{"zmpop", "1", "z", "min", "count", "x"}, "-ERR count should be greater than 0\r\n"},
	{[]string{"zmpop", "1", "z", "min", "count", "1", "count", "1"}, "-ERR syntax error\r\n"},
	{[]string{"zmpop", "1", "z", "min", "count"}, "-ERR syntax error\r\n"},
	{[]string{"zmpop", "9223372036854775807", "z", "min"}, "-ERR syntax error\r\n"},
	{[]string{"zmpop", "1", "z", "MAX", "COUNT", "1"}, "*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n"},
}

var zsPopResp3Cases = []replyCase{
	{[]string{"hello", "3"}, zsAnyHello},
	{[]string{"zadd", "z", "1", "a", "2", "b", "3", "c", "4", "d"}, ":4\r\n"},
	{[]string{"zpopmin", "z"}, "*2\r\n$1\r\na\r\n,1\r\n"},
	{[]string{"zpopmin", "z", "1"}, "*1\r\n*2\r\n$1\r\nb\r\n,2\r\n"},
	{[]string{"zpopmax", "z", "2"}, "*2\r\n*2\r\n$1\r\nd\r\n,4\r\n*2\r\n$1\r\nc\r\n,3\r\n"},
	{[]string{"zpopmin", "nokey"}, "*0\r\n"},
	{[]string{"zpopmin", "z", "0"}, "*0\r\n"},
	{[]string{"zmpop", "1", "z", "min"}, "_\r\n"},
	{[]string{"zmpop", "1", "nokey", "min"}, "_\r\n"},
	{[]string{"zadd", "z", "1.5", "a", "3", "c"}, ":2\r\n"},
	{[]string{"bzpopmin", "z", "0"}, "*3\r\n$1\r\nz\r\n$1\r\na\r\n,1.5\r\n"},
	{[]string{"bzmpop", "0", "1", "z", "max"}, "*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nc\r\n,3\r\n"},
	{[]string{"zadd", "z", "2", "b"}, ":1\r\n"},
	{[]string{"bzmpop", "0", "1", "z", "max", "count", "3"}, "*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nb\r\n,2\r\n"},
}

var zsAlgebraCases = []replyCase{
	{[]string{"zadd", "a", "1", "x", "2", "y", "3", "z"}, ":3\r\n"},
	{[]string{"zadd", "b", "10", "y", "20", "z", "30", "w"}, ":3\r\n"},
	{[]string{"zadd", "c", "0.5", "z"}, ":1\r\n"},
	{[]string{"zunion", "2", "a", "b"}, "*4\r\n$1\r\nx\r\n$1\r\ny\r\n$1\r\nz\r\n$1\r\nw\r\n"},
	{[]string{"zunion", "2", "a", "b", "withscores"}, "*8\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$2\r\n12\r\n$1\r\nz\r\n$2\r\n23\r\n$1\r\nw\r\n$2\r\n30\r\n"},
	{[]string{"zunion", "2", "a", "b", "weights", "2", "3", "withscores"}, "*8\r\n$1\r\nx\r\n$1\r\n2\r\n$1\r\ny\r\n$2\r\n34\r\n$1\r\nz\r\n$2\r\n66\r\n$1\r\nw\r\n$2\r\n90\r\n"},
	{[]string{"zunion", "2", "a", "b", "weights", "2", "3", "aggregate", "min", "withscores"}, "*8\r\n$1\r\nx\r\n$1\r\n2\r\n$1\r\ny\r\n$1\r\n4\r\n$1\r\nz\r\n$1\r\n6\r\n$1\r\nw\r\n$2\r\n90\r\n"},
	{[]string{"zunion", "2", "a", "b", "aggregate", "max", "withscores"}, "*8\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$2\r\n10\r\n$1\r\nz\r\n$2\r\n20\r\n$1\r\nw\r\n$2\r\n30\r\n"},
	{[]string{"zunion", "3", "a", "b", "nokey", "withscores"}, "*8\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$2\r\n12\r\n$1\r\nz\r\n$2\r\n23\r\n$1\r\nw\r\n$2\r\n30\r\n"},
	{[]string{"zinter", "2", "a", "b", "withscores"}, "*4\r\n$1\r\ny\r\n$2\r\n12\r\n$1\r\nz\r\n$2\r\n23\r\n"},
	{[]string{"zinter", "3", "a", "b", "c", "withscores"}, "*2\r\n$1\r\nz\r\n$4\r\n23.5\r\n"},
	{[]string{"zinter", "3", "a", "b", "c", "aggregate", "min", "withscores"}, "*2\r\n$1\r\nz\r\n$3\r\n0.5\r\n"},
	{[]string{"zinter", "2", "a", "nokey", "withscores"}, "*0\r\n"},
	{[]string{"zinter", "2", "a", "a", "withscores"}, "*6\r\n$1\r\nx\r\n$1\r\n2\r\n$1\r\ny\r\n$1\r\n4\r\n$1\r\nz\r\n$1\r\n6\r\n"},
	{[]string{"zinter", "2", "a", "b", "weights", "0", "inf", "withscores"}, "*4\r\n$1\r\ny\r\n$3\r\ninf\r\n$1\r\nz\r\n$3\r\ninf\r\n"},
	{[]string{"zunion", "2", "a", "b", "weights", "0", "inf", "withscores"}, "*8\r\n$1\r\nx\r\n$1\r\n0\r\n$1\r\nw\r\n$3\r\ninf\r\n$1\r\ny\r\n$3\r\ninf\r\n$1\r\nz\r\n$3\r\ninf\r\n"},
	{[]string{"zunion", "2", "a", "b", "weights", "inf", "-inf", "withscores"}, "*8\r\n$1\r\nw\r\n$4\r\n-inf\r\n$1\r\ny\r\n$1\r\n0\r\n$1\r\nz\r\n$1\r\n0\r\n$1\r\nx\r\n$3\r\ninf\r\n"},
	{[]string{"zinter", "2", "a", "b", "weights", "inf", "-inf", "withscores"}, "*4\r\n$1\r\ny\r\n$1\r\n0\r\n$1\r\nz\r\n$1\r\n0\r\n"},
	{[]string{"zinter", "2", "a", "b", "weights", "inf", "-inf", "aggregate", "max", "withscores"}, "*4\r\n$1\r\ny\r\n$3\r\ninf\r\n$1\r\nz\r\n$3\r\ninf\r\n"},
	{[]string{"zinter", "2", "a", "b", "weights", "inf", "-inf", "aggregate", "min", "withscores"}, "*4\r\n$1\r\ny\r\n$4\r\n-inf\r\n$1\r\nz\r\n$4\r\n-inf\r\n"},
	{[]string{"zunion", "2", "a", "b", "weights", "-1", "-1", "withscores"}, "*8\r\n$1\r\nw\r\n$3\r\n-30\r\n$1\r\nz\r\n$3\r\n-23\r\n$1\r\ny\r\n$3\r\n-12\r\n$1\r\nx\r\n$2\r\n-1\r\n"},
	{[]string{"zdiff", "2", "a", "b"}, "*1\r\n$1\r\nx\r\n"},
	{[]string{"zdiff", "2", "a", "b", "withscores"}, "*2\r\n$1\r\nx\r\n$1\r\n1\r\n"},
	{[]string{"zdiff", "3", "a", "b", "c", "withscores"}, "*2\r\n$1\r\nx\r\n$1\r\n1\r\n"},
	{[]string{"zdiff", "2", "nokey", "a"}, "*0\r\n"},
	{[]string{"zdiff", "2", "a", "a"}, "*0\r\n"},
	{[]string{"zdiff", "1", "a", "weights", "1"}, "-ERR syntax error\r\n"},
	{[]string{"zdiff", "1", "a", "aggregate", "sum"}, "-ERR syntax error\r\n"},
	{[]string{"zunionstore", "d", "2", "a", "b"}, ":4\r\n"},
	{[]string{"zrange", "d", "0", "-1", "withscores"}, "*8\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$2\r\n12\r\n$1\r\nz\r\n$2\r\n23\r\n$1\r\nw\r\n$2\r\n30\r\n"},
	{[]string{"zinterstore", "d", "2", "a", "b", "weights", "1", "2"}, ":2\r\n"},
	{[]string{"zrange", "d", "0", "-1", "withscores"}, "*4\r\n$1\r\ny\r\n$2\r\n22\r\n$1\r\nz\r\n$2\r\n43\r\n"},
	{[]string{"zdiffstore", "d", "2", "a", "b"}, ":1\r\n"},
	{[]string{"zrange", "d", "0", "-1", "withscores"}, "*2\r\n$1\r\nx\r\n$1\r\n1\r\n"},
	{[]string{"zinterstore", "d", "2", "a", "nokey"}, ":0\r\n"},
	{[]string{"exists", "d"}, ":0\r\n"},
	{[]string{"zunionstore", "d", "2", "a", "b", "withscores"}, "-ERR syntax error\r\n"},
	{[]string{"zunionstore", "d", "0", "a"}, "-ERR at least 1 input key is needed for 'zunionstore' command\r\n"},
	{[]string{"zunion", "0", "a"}, "-ERR at least 1 input key is needed for 'zunion' command\r\n"},
	{[]string{"zunion", "-1", "a"}, "-ERR at least 1 input key is needed for 'zunion' command\r\n"},
	{[]string{"zunion", "x", "a"}, "-ERR value is not an integer or out of range\r\n"},
	{[]string{"zunion", "3", "a", "b"}, "-ERR syntax error\r\n"},
	{[]string{"zunion", "1", "a", "weights"}, "-ERR syntax error\r\n"},
	{[]string{"zunion", "1", "a", "weights", "x"}, "-ERR weight value is not a float\r\n"},
	{[]string{"zunion", "2", "a", "b", "weights", "1"}, "-ERR syntax error\r\n"},
	{[]string{"zunion", "1", "a", "aggregate"}, "-ERR syntax error\r\n"},
	{[]string{"zunion", "1", "a", "aggregate", "foo"}, "-ERR syntax error\r\n"},
	{[]string{"zunion", "1", "a", "aggregate", "min", "aggregate", "max", "withscores", "withscores"}, "*6\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$1\r\n2\r\n$1\r\nz\r\n$1\r\n3\r\n"},
	{[]string{"zunion", "1", "a", "foo"}, "-ERR syntax error\r\n"},
	{[]string{"set", "s", "v"}, "+OK\r\n"},
	{[]string{"zunion", "2", "a", "s"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{[]string{"zunion", "2", "s", "a", "foo"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{[]string{"zinterstore", "d", "2", "a", "s"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{[]string{"zintercard", "2", "a", "b"}, ":2\r\n"},
	{[]string{"zintercard", "2", "a", "b", "limit", "1"}, ":1\r\n"},
	{[]string{"zintercard", "2", "a", "b", "limit", "0"}, ":2\r\n"},
	{[]string{"zintercard", "2", "a", "b", "limit", "-1"}, "-ERR LIMIT can't be negative\r\n"},
	{[]string{"zintercard", "2", "a", "b", "limit", "x"}, "-ERR LIMIT can't be negative\r\n"},
	{[]string{"zintercard", "1", "a", "withscores"}, "-ERR syntax error\r\n"},
	{[]string{"zintercard", "0", "a"}, "-ERR at least 1 input key is needed for 'zintercard' command\r\n"},
	{[]string{"zintercard", "2", "a"}, "-ERR syntax error\r\n"},
	{[]string{"zintercard", "2", "a", "nokey"}, ":0\r\n"},
	{[]string{"zintercard", "2", "a", "s"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{[]string{"zadd", "t1", "0.1", "m"}, ":1\r\n"},
	{[]string{"zadd", "t2", "0.2", "m"}, ":1\r\n"},
	{[]string{"zadd", "t3", "0.3", "m"}, ":1\r\n"},
	{[]string{"zunion", "3", "t1", "t2", "t3", "withscores"}, "*2\r\n$1\r\nm\r\n$19\r\n0.60000000000000009\r\n"},
	{[]string{"zunion", "3", "t3", "t2", "t1", "withscores"}, "*2\r\n$1\r\nm\r\n$19\r\n0.59999999999999998\r\n"},
	{[]string{"zinter", "3", "t3", "t1", "t2", "withscores"}, "*2\r\n$1\r\nm\r\n$19\r\n0.60000000000000009\r\n"},
	{[]string{"zunionstore", "a", "2", "a", "b"}, ":4\r\n"},
	{[]string{"zrange", "a", "0", "-1", "withscores"}, "*8\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$2\r\n12\r\n$1\r\nz\r\n$2\r\n23\r\n$1\r\nw\r\n$2\r\n30\r\n"},
	{[]string{"hello", "3"}, zsAnyHello},
	{[]string{"zunion", "2", "a", "b", "withscores"}, "*4\r\n*2\r\n$1\r\nx\r\n,1\r\n*2\r\n$1\r\ny\r\n,22\r\n*2\r\n$1\r\nz\r\n,43\r\n*2\r\n$1\r\nw\r\n,60\r\n"},
	{[]string{"zinter", "1", "a"}, "*4\r\n$1\r\nx\r\n$1\r\ny\r\n$1\r\nz\r\n$1\r\nw\r\n"},
}

var zsRandScanCases = []replyCase{
	{[]string{"zadd", "z", "1", "a"}, ":1\r\n"},
	{[]string{"zrandmember", "z"}, "$1\r\na\r\n"},
	{[]string{"zrandmember", "z", "1"}, "*1\r\n$1\r\na\r\n"},
	{[]string{"zrandmember", "z", "1", "withscores"}, "*2\r\n$1\r\na\r\n$1\r\n1\r\n"},
	{[]string{"zrandmember", "z", "-3", "withscores"}, "*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n1\r\n"},
	{[]string{"zrandmember", "z", "5", "withscores"}, "*2\r\n$1\r\na\r\n$1\r\n1\r\n"},
	{[]string{"zrandmember", "z", "0"}, "*0\r\n"},
	{[]string{"zrandmember", "nokey"}, "$-1\r\n"},
	{[]string{"zrandmember", "nokey", "5"}, "*0\r\n"},
	{[]string{"zrandmember", "z", "x"}, "-ERR value is not an integer or out of range\r\n"},
	{[]string{"zrandmember", "z", "-9223372036854775808"}, "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n"},
	{[]string{"zrandmember", "z", "4611686018427387904", "withscores"}, "-ERR value is out of range\r\n"},
	{[]string{"zrandmember", "z", "1", "withscore"}, "-ERR syntax error\r\n"},
	{[]string{"zrandmember", "z", "1", "withscores", "x"}, "-ERR syntax error\r\n"},
	{[]string{"set", "s", "v"}, "+OK\r\n"},
	{[]string{"zrandmember", "s"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{[]string{"zrandmember", "s", "1"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{[]string{"zadd", "y", "0.1", "a", "1e20", "b", "1e-20", "c", "3", "d", "-0", "e", "inf", "f", "123456789012345678", "h", "-inf", "i", "4611686018427387904", "j", "4611686018427387905", "k"}, ":10\r\n"},
	{[]string{"zscan", "y", "0"}, "*2\r\n$1\r\n0\r\n*20\r\n$1\r\ni\r\n$4\r\n-inf\r\n$1\r\ne\r\n$1\r\n0\r\n$1\r\nc\r\n$22\r\n9.9999999999999995e-21\r\n$1\r\na\r\n$19\r\n0.10000000000000001\r\n$1\r\nd\r\n$1\r\n3\r\n$1\r\nh\r\n$18\r\n123456789012345680\r\n$1\r\nj\r\n$19\r\n4611686018427387904\r\n$1\r\nk\r\n$19\r\n4611686018427387904\r\n$1\r\nb\r\n$5\r\n1e+20\r\n$1\r\nf\r\n$3\r\ninf\r\n"},
	{[]string{"zscan", "y", "0", "count", "1"}, "*2\r\n$1\r\n0\r\n*20\r\n$1\r\ni\r\n$4\r\n-inf\r\n$1\r\ne\r\n$1\r\n0\r\n$1\r\nc\r\n$22\r\n9.9999999999999995e-21\r\n$1\r\na\r\n$19\r\n0.10000000000000001\r\n$1\r\nd\r\n$1\r\n3\r\n$1\r\nh\r\n$18\r\n123456789012345680\r\n$1\r\nj\r\n$19\r\n4611686018427387904\r\n$1\r\nk\r\n$19\r\n4611686018427387904\r\n$1\r\nb\r\n$5\r\n1e+20\r\n$1\r\nf\r\n$3\r\ninf\r\n"},
	{[]string{"zscan", "y", "0", "match", "[a-c]"}, "*2\r\n$1\r\n0\r\n*6\r\n$1\r\nc\r\n$22\r\n9.9999999999999995e-21\r\n$1\r\na\r\n$19\r\n0.10000000000000001\r\n$1\r\nb\r\n$5\r\n1e+20\r\n"},
	{[]string{"zscan", "y", "0", "count", "0"}, "-ERR syntax error\r\n"},
	{[]string{"zscan", "y", "0", "count", "x"}, "-ERR value is not an integer or out of range\r\n"},
	{[]string{"zscan", "y", "0", "foo", "bar"}, "-ERR syntax error\r\n"},
	{[]string{"zscan", "y", "0", "count"}, "-ERR syntax error\r\n"},
	{[]string{"zscan", "y", "x"}, "-ERR invalid cursor\r\n"},
	{[]string{"zscan", "y", "0", "type", "zset"}, "-ERR syntax error\r\n"},
	{[]string{"zscan", "nokey", "0"}, "*2\r\n$1\r\n0\r\n*0\r\n"},
	{[]string{"zscan", "nokey", "0", "count", "0"}, "*2\r\n$1\r\n0\r\n*0\r\n"},
	{[]string{"zscan", "s", "0"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{[]string{"zscan", "s", "x"}, "-ERR invalid cursor\r\n"},
	{[]string{"hello", "3"}, zsAnyHello},
	{[]string{"zscan", "y", "0", "match", "[d-f]"}, "*2\r\n$1\r\n0\r\n*6\r\n$1\r\ne\r\n$1\r\n0\r\n$1\r\nd\r\n$1\r\n3\r\n$1\r\nf\r\n$3\r\ninf\r\n"},
	{[]string{"zrandmember", "z", "-2", "withscores"}, "*2\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\na\r\n,1\r\n"},
	{[]string{"zrandmember", "z", "1", "withscores"}, "*1\r\n*2\r\n$1\r\na\r\n,1\r\n"},
}

var zsEncodingCases = []replyCase{
	{[]string{"zadd", "a", "1", "m"}, ":1\r\n"},
	{[]string{"object", "encoding", "a"}, "$8\r\nlistpack\r\n"},
	{[]string{"zadd", "b", "1", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}, ":1\r\n"},
	{[]string{"object", "encoding", "b"}, "$8\r\nskiplist\r\n"},
	{[]string{"zadd", "d", "1", "x", "2", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}, ":2\r\n"},
	{[]string{"object", "encoding", "d"}, "$8\r\nskiplist\r\n"},
	{[]string{"zadd", "a", "2", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}, ":1\r\n"},
	{[]string{"object", "encoding", "a"}, "$8\r\nskiplist\r\n"},
	{[]string{"zrem", "a", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}, ":1\r\n"},
	{[]string{"object", "encoding", "a"}, "$8\r\nskiplist\r\n"},
	{[]string{"config", "set", "zset-max-listpack-entries", "3"}, "+OK\r\n"},
	{[]string{"zadd", "g", "1", "a", "2", "b", "3", "c"}, ":3\r\n"},
	{[]string{"object", "encoding", "g"}, "$8\r\nlistpack\r\n"},
	{[]string{"zadd", "g", "4", "a"}, ":0\r\n"},
	{[]string{"zadd", "g", "xx", "4", "d"}, ":0\r\n"},
	{[]string{"object", "encoding", "g"}, "$8\r\nlistpack\r\n"},
	{[]string{"zadd", "g", "4", "d"}, ":1\r\n"},
	{[]string{"object", "encoding", "g"}, "$8\r\nskiplist\r\n"},
	{[]string{"zadd", "h", "1", "a", "2", "b", "3", "c", "4", "d"}, ":4\r\n"},
	{[]string{"zrangestore", "r", "h", "0", "2"}, ":3\r\n"},
	{[]string{"object", "encoding", "r"}, "$8\r\nlistpack\r\n"},
	{[]string{"zrangestore", "r", "h", "0", "3"}, ":4\r\n"},
	{[]string{"object", "encoding", "r"}, "$8\r\nskiplist\r\n"},
	{[]string{"zpopmin", "g", "2"}, "*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n"},
	{[]string{"zunionstore", "u", "1", "g"}, ":2\r\n"},
	{[]string{"object", "encoding", "u"}, "$8\r\nlistpack\r\n"},
	{[]string{"zinterstore", "i", "2", "h", "h"}, ":4\r\n"},
	{[]string{"object", "encoding", "i"}, "$8\r\nskiplist\r\n"},
	{[]string{"zdiffstore", "df", "1", "h"}, ":4\r\n"},
	{[]string{"object", "encoding", "df"}, "$8\r\nskiplist\r\n"},
	{[]string{"zremrangebyrank", "h", "0", "2"}, ":3\r\n"},
	{[]string{"object", "encoding", "h"}, "$8\r\nskiplist\r\n"},
	{[]string{"copy", "h", "h2"}, ":1\r\n"},
	{[]string{"object", "encoding", "h2"}, "$8\r\nskiplist\r\n"},
	{[]string{"config", "set", "zset-max-listpack-entries", "0"}, "+OK\r\n"},
	{[]string{"zadd", "k", "1", "a"}, ":1\r\n"},
	{[]string{"object", "encoding", "k"}, "$8\r\nskiplist\r\n"},
	{[]string{"zincrby", "k2", "1", "a"}, "$1\r\n1\r\n"},
	{[]string{"object", "encoding", "k2"}, "$8\r\nskiplist\r\n"},
	{[]string{"config", "set", "zset-max-listpack-entries", "128"}, "+OK\r\n"},
	{[]string{"config", "set", "zset-max-listpack-value", "0"}, "+OK\r\n"},
	{[]string{"zadd", "k3", "1", "a"}, ":1\r\n"},
	{[]string{"object", "encoding", "k3"}, "$8\r\nskiplist\r\n"},
	{[]string{"zadd", "k4", "1", ""}, ":1\r\n"},
	{[]string{"object", "encoding", "k4"}, "$8\r\nlistpack\r\n"},
	{[]string{"config", "set", "zset-max-listpack-value", "64"}, "+OK\r\n"},
}

// Benchmarks of the sorted-set hot paths through the whole command path
// (see bench_test.go): ZADD as redis-benchmark's zadd test runs it (one
// set growing to a million random members), ZADD creating ten-member
// sets, and ZRANGE of 100 members from a big and a compact set.

var (
	genZaddBig = func(r *rand.Rand) []string {
		return []string{"ZADD", "myzset", strconv.Itoa(r.IntN(1_000_000)), "element:" + strconv.Itoa(r.IntN(1_000_000))}
	}
	genZadd10 = func(r *rand.Rand) []string {
		args := []string{"ZADD", "zkey:" + strconv.Itoa(r.IntN(benchKeyspace))}
		for i := range 10 {
			args = append(args, strconv.Itoa(i+1), "member:"+strconv.Itoa(i))
		}
		return args
	}
	// genZaddHot is redis-benchmark's zadd with -r 1000: twelve-digit
	// scores and members, so the set stays a thousand, cache-resident.
	genZaddHot = func(r *rand.Rand) []string {
		return []string{"ZADD", "myzset", fmt.Sprintf("%012d", r.IntN(1000)), fmt.Sprintf("element:%012d", r.IntN(1000))}
	}
	genZrangeBig   = func(*rand.Rand) []string { return []string{"ZRANGE", "big", "0", "99"} }
	genZrangeSmall = func(*rand.Rand) []string { return []string{"ZRANGE", "small", "0", "99", "WITHSCORES"} }
)

func zsBenchFill(tb testing.TB, s *Server, key string, n int) {
	var batches [][]byte
	for i := 0; i < n; i += 100 {
		var b []byte
		for j := i; j < i+100 && j < n; j++ {
			b = appendCommand(b, "ZADD", key, strconv.Itoa(j), "element:"+strconv.Itoa(j))
		}
		batches = append(batches, b)
	}
	c, _ := benchClient(s, batches)
	drive(tb, s, c, n)
	s.removeClient(c)
}

// BenchmarkZaddBigSet inserts random members into one set of a million
// (the benchmark's batches are all distinct, unlike benchDispatch's few
// thousand, so nearly every ZADD inserts).
func BenchmarkZaddBigSet(b *testing.B) {
	s := newBenchServer()
	zsBenchFill(b, s, "myzset", 500_000)
	rng := rand.New(rand.NewPCG(7, 7))
	batches := make([][]byte, 1<<18)
	for i := range batches {
		batches[i] = appendCommand(nil, genZaddBig(rng)...)
	}
	c, _ := benchClient(s, batches)
	b.ReportAllocs()
	b.ResetTimer()
	drive(b, s, c, b.N)
}

// BenchmarkZaddHotSet updates random members of one thousand-member set.
func BenchmarkZaddHotSet(b *testing.B) {
	benchDispatch(b, genZaddHot, 16, func(tb testing.TB, s *Server) {
		rng := rand.New(rand.NewPCG(3, 3))
		for range 5000 {
			mustReply(tb, s, ":", genZaddHot(rng)...)
		}
	})
}

func BenchmarkZaddTenMemberSets(b *testing.B) {
	benchDispatch(b, genZadd10, 1, func(tb testing.TB, s *Server) { mustReply(tb, s, ":10", genZadd10(rand.New(rand.NewPCG(1, 1)))...) })
}

func BenchmarkZrange100Skiplist(b *testing.B) {
	benchDispatch(b, genZrangeBig, 1, func(tb testing.TB, s *Server) {
		zsBenchFill(tb, s, "big", 10000)
		mustReply(tb, s, "*100\r\n", "ZRANGE", "big", "0", "99")
	})
}

func BenchmarkZrange100Listpack(b *testing.B) {
	benchDispatch(b, genZrangeSmall, 1, func(tb testing.TB, s *Server) {
		zsBenchFill(tb, s, "small", 100)
		mustReply(tb, s, "*200\r\n", "ZRANGE", "small", "0", "99", "WITHSCORES")
	})
}

// BenchmarkZrangebyscore reads score windows of a skiplist set, as a
// sliding-window rate limiter does with ZCOUNT and ZRANGEBYSCORE.
func BenchmarkZrangebyscore(b *testing.B) {
	for _, w := range []struct {
		name string
		args []string
		want string
	}{
		{"zcount", []string{"ZCOUNT", "big", "(100", "200"}, ":100"},
		{"limit10", []string{"ZRANGEBYSCORE", "big", "100", "+inf", "LIMIT", "0", "10"}, "*10"},
	} {
		b.Run(w.name, func(b *testing.B) {
			benchDispatch(b, func(*rand.Rand) []string { return w.args }, 1, func(tb testing.TB, s *Server) {
				zsBenchFill(tb, s, "big", 10000)
				mustReply(tb, s, w.want, w.args...)
			})
		})
	}
}

var zsSetInputCases = []replyCase{
	{[]string{"sadd", "s1", "x", "y", "q"}, ":3\r\n"},
	{[]string{"sadd", "s2", "1", "2", "3"}, ":3\r\n"},
	{[]string{"zadd", "z", "1", "x", "5", "y", "7", "w"}, ":3\r\n"},
	{[]string{"zunion", "2", "z", "s1", "withscores"}, "*8\r\n$1\r\nq\r\n$1\r\n1\r\n$1\r\nx\r\n$1\r\n2\r\n$1\r\ny\r\n$1\r\n6\r\n$1\r\nw\r\n$1\r\n7\r\n"},
	{[]string{"zunion", "2", "s1", "s2", "withscores"}, "*12\r\n$1\r\n1\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n1\r\n$1\r\n3\r\n$1\r\n1\r\n$1\r\nq\r\n$1\r\n1\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$1\r\n1\r\n"},
	{[]string{"zinter", "2", "z", "s1", "withscores"}, "*4\r\n$1\r\nx\r\n$1\r\n2\r\n$1\r\ny\r\n$1\r\n6\r\n"},
	{[]string{"zinter", "2", "s1", "z", "withscores", "aggregate", "max"}, "*4\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$1\r\n5\r\n"},
	{[]string{"zinter", "2", "s1", "z", "weights", "2", "3", "withscores"}, "*4\r\n$1\r\nx\r\n$1\r\n5\r\n$1\r\ny\r\n$2\r\n17\r\n"},
	{[]string{"zdiff", "2", "s1", "z", "withscores"}, "*2\r\n$1\r\nq\r\n$1\r\n1\r\n"},
	{[]string{"zdiff", "2", "z", "s1", "withscores"}, "*2\r\n$1\r\nw\r\n$1\r\n7\r\n"},
	{[]string{"zunionstore", "d", "2", "s1", "s2"}, ":6\r\n"},
	{[]string{"zrange", "d", "0", "-1", "withscores"}, "*12\r\n$1\r\n1\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n1\r\n$1\r\n3\r\n$1\r\n1\r\n$1\r\nq\r\n$1\r\n1\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$1\r\n1\r\n"},
	{[]string{"object", "encoding", "d"}, "$8\r\nlistpack\r\n"},
	{[]string{"zinterstore", "d", "2", "s2", "s2"}, ":3\r\n"},
	{[]string{"zrange", "d", "0", "-1", "withscores"}, "*6\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n2\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n2\r\n"},
	{[]string{"zintercard", "2", "s1", "z"}, ":2\r\n"},
	{[]string{"zintercard", "2", "s1", "s1", "limit", "1"}, ":1\r\n"},
	{[]string{"zdiffstore", "d", "1", "s1"}, ":3\r\n"},
	{[]string{"zrange", "d", "0", "-1", "withscores"}, "*6\r\n$1\r\nq\r\n$1\r\n1\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$1\r\n1\r\n"},
	{[]string{"zrange", "s1", "0", "-1"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{[]string{"zadd", "s1", "1", "a"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
}
