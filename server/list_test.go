package server

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"petrel/config"
)

// Every expected reply below was checked against Redis 7.0.15.

// lb is a bulk string reply.
func lb(s string) string { return fmt.Sprintf("$%d\r\n%s\r\n", len(s), s) }

// la is an array reply of the given raw replies.
func la(items ...string) string {
	return fmt.Sprintf("*%d\r\n", len(items)) + strings.Join(items, "")
}

// lbs is an array of bulk strings.
func lbs(items ...string) string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = lb(s)
	}
	return la(out...)
}

func li(n int) string { return fmt.Sprintf(":%d\r\n", n) }

// lrun runs whitespace-separated commands and their exact replies.
func lrun(t *testing.T, c *rawClient, cases [][2]string) {
	t.Helper()
	rc := make([]replyCase, len(cases))
	for i, tc := range cases {
		rc[i] = replyCase{strings.Fields(tc[0]), tc[1]}
	}
	runCases(t, c, rc)
}

// lresp3 switches the connection to RESP3.
func lresp3(t *testing.T, c *rawClient) {
	t.Helper()
	if r := c.Do("HELLO", "3"); !strings.HasPrefix(r, "%") {
		t.Fatalf("HELLO 3: %q", r)
	}
}

// lwaitBlocked waits until n clients are blocked.
func lwaitBlocked(t *testing.T, s *Server, n int64) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for s.blocked.count.Load() != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d clients blocked, want %d", s.blocked.count.Load(), n)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

const (
	lWrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
	lNotInt    = "-ERR value is not an integer or out of range\r\n"
	lSyntax    = "-ERR syntax error\r\n"
	lPositive  = "-ERR value is out of range, must be positive\r\n"
)

func TestListPushAndLen(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	lrun(t, c, [][2]string{
		{"LPUSHX l a", li(0)},
		{"RPUSHX l a b", li(0)},
		{"EXISTS l", li(0)},
		{"LPUSH l a b c", li(3)},
		{"LPUSHX l x y", li(5)},
		{"RPUSHX l z", li(6)},
		{"LRANGE l 0 -1", lbs("y", "x", "c", "b", "a", "z")},
		{"RPUSH l 1 -2 007", li(9)},
		{"LRANGE l 6 -1", lbs("1", "-2", "007")},
		{"LLEN l", li(9)},
		{"LLEN nosuch", li(0)},
		{"LPUSH l", "-ERR wrong number of arguments for 'lpush' command\r\n"},
		{"SET s x", "+OK\r\n"},
		{"LPUSH s a", lWrongType},
		{"LPUSHX s a", lWrongType},
		{"RPUSH s a", lWrongType},
		{"LLEN s", lWrongType},
		{"TYPE l", "+list\r\n"},
		{"OBJECT ENCODING l", lb("quicklist")},
	})
}

func TestListPopCountAndNullShapes(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	lrun(t, c, [][2]string{
		{"LPOP nokey", "$-1\r\n"},
		{"LPOP nokey 0", "*-1\r\n"},
		{"RPOP nokey 2", "*-1\r\n"},
		{"LPOP nokey -1", lPositive},
		{"LPOP nokey abc", lPositive},
		{"RPUSH l a b c", li(3)},
		{"LPOP l 0", "*0\r\n"},
		{"LPOP l -1", lPositive},
		{"LPOP l 2", lbs("a", "b")},
		{"LPOP l 5", lbs("c")},
		{"EXISTS l", li(0)},
		{"RPUSH l 1 2 3 4", li(4)},
		{"RPOP l", lb("4")},
		{"RPOP l 2", lbs("3", "2")},
		{"LPOP l", lb("1")},
		{"EXISTS l", li(0)},
		{"LPOP l 1 2", "-ERR wrong number of arguments for 'lpop' command\r\n"},
		{"SET s x", "+OK\r\n"},
		{"LPOP s", lWrongType},
		{"LPOP s 0", lWrongType},
		{"LPOP s -1", lPositive},
	})
	lresp3(t, c)
	lrun(t, c, [][2]string{
		{"LPOP nokey", "_\r\n"},
		{"LPOP nokey 2", "_\r\n"},
		{"RPOP nokey 0", "_\r\n"},
		{"RPUSH l a", li(1)},
		{"LPOP l 0", "*0\r\n"},
		{"RPOP l 3", lbs("a")},
	})
}

func TestListRangeIndexSet(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	lrun(t, c, [][2]string{
		{"RPUSH l a b c d e f", li(6)},
		{"LRANGE l 0 -100", "*0\r\n"},
		{"LRANGE l -100 100", lbs("a", "b", "c", "d", "e", "f")},
		{"LRANGE l 5 3", "*0\r\n"},
		{"LRANGE l -2 -1", lbs("e", "f")},
		{"LRANGE l 6 10", "*0\r\n"},
		{"LRANGE l 9223372036854775807 -9223372036854775808", "*0\r\n"},
		{"LRANGE l -9223372036854775808 9223372036854775807", lbs("a", "b", "c", "d", "e", "f")},
		{"LRANGE l a 1", lNotInt},
		{"LRANGE nos 0 -1", "*0\r\n"},
		{"LRANGE nos a b", lNotInt},
		{"LINDEX l 0", lb("a")},
		{"LINDEX l -1", lb("f")},
		{"LINDEX l 100", "$-1\r\n"},
		{"LINDEX l x", lNotInt},
		{"LINDEX nos x", "$-1\r\n"},
		{"LSET l 0 Q", "+OK\r\n"},
		{"LSET l -1 Z", "+OK\r\n"},
		{"LSET l 100 Q", "-ERR index out of range\r\n"},
		{"LSET l -100 Q", "-ERR index out of range\r\n"},
		{"LSET nos 0 a", "-ERR no such key\r\n"},
		{"LSET nos x a", "-ERR no such key\r\n"},
		{"LSET l x a", lNotInt},
		{"LRANGE l 0 -1", lbs("Q", "b", "c", "d", "e", "Z")},
		{"SET s x", "+OK\r\n"},
		{"LRANGE s 0 1", lWrongType},
		{"LRANGE s a b", lNotInt},
		{"LINDEX s 0", lWrongType},
		{"LINDEX s x", lWrongType},
		{"LSET s 0 a", lWrongType},
	})
}

func TestListInsertRemTrim(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	lrun(t, c, [][2]string{
		{"RPUSH l a b c b a", li(5)},
		{"SET s x", "+OK\r\n"},
		{"LINSERT l before b X", li(6)},
		{"LINSERT l AFTER b Y", li(7)},
		{"LINSERT l after nope Y", li(-1)},
		{"LINSERT l middle b Y", lSyntax},
		{"LINSERT nos before a b", li(0)},
		{"LINSERT nos middle a b", lSyntax},
		{"LINSERT s before a b", lWrongType},
		{"LINSERT s middle a b", lSyntax},
		{"LRANGE l 0 -1", lbs("a", "X", "b", "Y", "c", "b", "a")},
		{"LREM l 0 b", li(2)},
		{"LREM l x b", lNotInt},
		{"LREM nos x b", lNotInt},
		{"LREM nos 1 b", li(0)},
		{"LREM s 1 b", lWrongType},
		{"LREM s x b", lNotInt},
		{"RPUSH m a a b a a", li(5)},
		{"LREM m -2 a", li(2)},
		{"LRANGE m 0 -1", lbs("a", "a", "b")},
		{"LREM m 1 a", li(1)},
		{"LREM m 5 b", li(1)},
		{"LRANGE m 0 -1", lbs("a")},
		{"LREM m 0 a", li(1)},
		{"EXISTS m", li(0)},
		{"RPUSH q 1 2 1 2 1", li(5)},
		{"LREM q -9223372036854775808 1", li(3)},
		{"LRANGE q 0 -1", lbs("2", "2")},
		{"LTRIM l 1 -2", "+OK\r\n"},
		{"LRANGE l 0 -1", lbs("X", "Y", "c")},
		{"LTRIM l x 1", lNotInt},
		{"LTRIM nos 0 1", "+OK\r\n"},
		{"LTRIM nos x 1", lNotInt},
		{"LTRIM s 0 1", lWrongType},
		{"LTRIM l -100 100", "+OK\r\n"},
		{"LRANGE l 0 -1", lbs("X", "Y", "c")},
		{"LTRIM l 5 1", "+OK\r\n"},
		{"EXISTS l", li(0)},
	})
}

func TestListPosOptions(t *testing.T) {
	const rankZero = "-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list\r\n"
	s := startTestServer(t)
	c := dialRaw(t, s)
	lrun(t, c, [][2]string{
		{"RPUSH l a b c 1 2 3 c c", li(8)},
		{"SET s x", "+OK\r\n"},
		{"LPOS l c", li(2)},
		{"LPOS l c RANK 2", li(6)},
		{"LPOS l c RANK -1", li(7)},
		{"LPOS l c RANK 0", rankZero},
		{"LPOS l c RANK x", lNotInt},
		{"LPOS l c COUNT 0", la(li(2), li(6), li(7))},
		{"LPOS l c COUNT 2", la(li(2), li(6))},
		{"LPOS l c COUNT -1", "-ERR COUNT can't be negative\r\n"},
		{"LPOS l c COUNT x", "-ERR COUNT can't be negative\r\n"},
		{"LPOS l c MAXLEN 3 COUNT 0", la(li(2))},
		{"LPOS l c MAXLEN -1", "-ERR MAXLEN can't be negative\r\n"},
		{"LPOS l c MAXLEN x", "-ERR MAXLEN can't be negative\r\n"},
		{"LPOS l c RANK -2 COUNT 0", la(li(6), li(2))},
		{"LPOS l c RANK -1 MAXLEN 2 COUNT 0", la(li(7), li(6))},
		{"LPOS l c RANK 2 RANK 3", li(7)},
		{"LPOS l 3 RANK -1 COUNT 5", la(li(5))},
		{"LPOS l c RANK 9223372036854775807", "$-1\r\n"},
		{"LPOS l c RANK -9223372036854775808", li(7)},
		// The minimum rank overflows in Redis: COUNT no longer stops it.
		{"LPOS l c RANK -9223372036854775808 COUNT 1", la(li(7), li(6), li(2))},
		{"LPOS l c RANK 0 COUNT -1", rankZero},
		{"LPOS l c COUNT -1 RANK 0", "-ERR COUNT can't be negative\r\n"},
		{"LPOS l c bogus 1", lSyntax},
		{"LPOS l c RANK", lSyntax},
		{"LPOS l z", "$-1\r\n"},
		{"LPOS l z COUNT 0", "*0\r\n"},
		{"LPOS nos c", "$-1\r\n"},
		{"LPOS nos c COUNT 1", "*0\r\n"},
		{"LPOS nos c RANK 0", rankZero},
		{"LPOS s c", lWrongType},
		{"LPOS s c RANK 0", rankZero},
	})
	lresp3(t, c)
	lrun(t, c, [][2]string{
		{"LPOS nos c", "_\r\n"},
		{"LPOS l z", "_\r\n"},
		{"LPOS nos c COUNT 1", "*0\r\n"},
	})
}

func TestListMoveAndRpoplpush(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	lrun(t, c, [][2]string{
		{"RPUSH a 1 2 3", li(3)},
		{"SET s x", "+OK\r\n"},
		{"LMOVE a b left right", lb("1")},
		{"LMOVE a b LEFT middle", lSyntax},
		{"LMOVE nos b bad right", lSyntax},
		{"LMOVE nos b left right", "$-1\r\n"},
		{"LMOVE s b left right", lWrongType},
		{"LMOVE a s left right", lWrongType},
		{"LMOVE nos s left right", "$-1\r\n"},
		{"LRANGE a 0 -1", lbs("2", "3")},
		{"LMOVE a a left right", lb("2")},
		{"LRANGE a 0 -1", lbs("3", "2")},
		{"RPOPLPUSH a b", lb("2")},
		{"RPOPLPUSH nos b", "$-1\r\n"},
		{"RPOPLPUSH s b", lWrongType},
		{"RPOPLPUSH a s", lWrongType},
		{"LRANGE b 0 -1", lbs("2", "1")},
		{"LMOVE a a right right", lb("3")},
		{"RPUSH one x", li(1)},
		{"LMOVE one one left left", lb("x")},
		{"LRANGE one 0 -1", lbs("x")},
		{"LMOVE one two left left", lb("x")},
		{"EXISTS one", li(0)},
		{"LRANGE two 0 -1", lbs("x")},
	})
	lresp3(t, c)
	lrun(t, c, [][2]string{
		{"LMOVE nos b left right", "_\r\n"},
		{"RPOPLPUSH nos b", "_\r\n"},
	})
}

func TestListMpop(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	lrun(t, c, [][2]string{
		{"RPUSH a 1 2 3", li(3)},
		{"RPUSH b x y", li(2)},
		{"SET s x", "+OK\r\n"},
		{"LMPOP 2 nos a left", la(lb("a"), lbs("1"))},
		{"LMPOP 2 nos b right COUNT 5", la(lb("b"), lbs("y", "x"))},
		{"LMPOP 1 nos left", "*-1\r\n"},
		{"LMPOP 0 a left", "-ERR numkeys should be greater than 0\r\n"},
		{"LMPOP -1 a left", "-ERR numkeys should be greater than 0\r\n"},
		{"LMPOP x a left", "-ERR numkeys should be greater than 0\r\n"},
		{"LMPOP 3 a left", lSyntax},
		{"LMPOP 2 a b", lSyntax},
		{"LMPOP 1 a middle", lSyntax},
		{"LMPOP 1 a left COUNT 0", "-ERR count should be greater than 0\r\n"},
		{"LMPOP 1 a left COUNT x", "-ERR count should be greater than 0\r\n"},
		{"LMPOP 1 a left COUNT", lSyntax},
		{"LMPOP 1 a left COUNT 1 COUNT 1", lSyntax},
		{"LMPOP 1 a left foo", lSyntax},
		{"LMPOP 9223372036854775807 a left", lSyntax},
		{"LMPOP 2 s a left", lWrongType},
		{"LMPOP 2 a s left COUNT 10", la(lb("a"), lbs("2", "3"))},
		{"LMPOP 2 a s left", lWrongType},
		{"LMPOP 1", "-ERR wrong number of arguments for 'lmpop' command\r\n"},
		{"COMMAND GETKEYS LMPOP 2 a b left", lbs("a", "b")},
		{"COMMAND GETKEYS BLMPOP 0 2 a b left COUNT 3", lbs("a", "b")},
		{"COMMAND GETKEYS LMPOP 5 a left", "-ERR Invalid arguments specified for command\r\n"},
		{"COMMAND GETKEYS BLMOVE a b left left 0", lbs("a", "b")},
	})
	lresp3(t, c)
	lrun(t, c, [][2]string{
		{"LMPOP 1 nos left", "_\r\n"},
		{"RPUSH a 1", li(1)},
		{"LMPOP 1 a left", la(lb("a"), lbs("1"))},
	})
}

// A list over many nodes: every operation keeps order across node edges,
// and small node sizes (list-max-listpack-size) are honoured at run time.
func TestListAcrossManyNodes(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	lrun(t, c, [][2]string{{"CONFIG SET list-max-listpack-size 4", "+OK\r\n"}})
	var want []string
	for i := 0; i < 50; i++ {
		v := fmt.Sprint("e", i)
		c.Do("RPUSH", "l", v)
		want = append(want, v)
	}
	runCases(t, c, []replyCase{
		{[]string{"LRANGE", "l", "0", "-1"}, lbs(want...)},
		{[]string{"LRANGE", "l", "21", "27"}, lbs(want[21:28]...)},
		{[]string{"LINDEX", "l", "37"}, lb("e37")},
		{[]string{"LSET", "l", "13", strings.Repeat("z", 10000)}, "+OK\r\n"},
		{[]string{"LINSERT", "l", "BEFORE", "e30", "new"}, li(51)},
		{[]string{"LPOS", "l", "new"}, li(30)},
		{[]string{"LREM", "l", "0", "new"}, li(1)},
		{[]string{"LTRIM", "l", "10", "-10"}, "+OK\r\n"},
		{[]string{"LLEN", "l"}, li(31)},
		{[]string{"LINDEX", "l", "3"}, lb(strings.Repeat("z", 10000))},
		{[]string{"LRANGE", "l", "29", "-1"}, lbs("e39", "e40")},
		{[]string{"OBJECT", "ENCODING", "l"}, lb("quicklist")},
	})
}

func TestListWatchTouches(t *testing.T) {
	for _, tc := range []struct {
		cmd     string
		touched bool
	}{
		{"LTRIM l 0 -1", true}, // Redis signals LTRIM even when it removes nothing
		{"LREM l 0 zz", false},
		{"LINSERT l BEFORE zz x", false},
		{"LPOP l 0", false},
		{"LSET l 0 a", true},
		{"LMOVE l l LEFT LEFT", true},
		{"LPUSHX nos a", false},
		{"LMPOP 1 nos LEFT", false},
		{"BLPOP l 0", true},
	} {
		t.Run(tc.cmd, func(t *testing.T) {
			s := startTestServer(t)
			c := dialRaw(t, s)
			want := "*1\r\n+PONG\r\n"
			if tc.touched {
				want = "*-1\r\n"
			}
			lrun(t, c, [][2]string{{"RPUSH l a b", li(2)}, {"WATCH l nos", "+OK\r\n"}})
			c.Do(strings.Fields(tc.cmd)...)
			lrun(t, c, [][2]string{{"MULTI", "+OK\r\n"}, {"PING", "+QUEUED\r\n"}, {"EXEC", want}})
		})
	}
}

func TestListBlockingImmediate(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	lrun(t, c, [][2]string{
		{"RPUSH a 1 2 3", li(3)},
		{"SET s x", "+OK\r\n"},
		{"BLPOP a 0", lbs("a", "1")},
		{"BRPOP nos a 0", lbs("a", "3")},
		{"BLPOP s a 0", lWrongType},
		{"BLPOP nos s a 0", lWrongType},
		{"BLPOP a x", "-ERR timeout is not a float or out of range\r\n"},
		{"BLPOP a -1", "-ERR timeout is negative\r\n"},
		{"BLMPOP x 1 nos left", "-ERR timeout is not a float or out of range\r\n"},
		{"BLMPOP x 0 nos left", "-ERR numkeys should be greater than 0\r\n"},
		{"BLMPOP x 1 nos middle", lSyntax},
		{"BLMPOP 0 1 nos left COUNT x", "-ERR count should be greater than 0\r\n"},
		{"BLMOVE a b middle left x", lSyntax},
		{"BLMOVE a b left left x", "-ERR timeout is not a float or out of range\r\n"},
		{"BRPOPLPUSH a b x", "-ERR timeout is not a float or out of range\r\n"},
		{"RPUSH a 4 5", li(3)},
		{"BLMPOP 0 2 nos a RIGHT COUNT 2", la(lb("a"), lbs("5", "4"))},
		{"BLMOVE a b RIGHT LEFT 0", lb("2")},
		{"BRPOPLPUSH b c 0", lb("2")},
		{"BLMOVE c s LEFT LEFT 0", lWrongType},
		{"BLPOP nos 0.01", "*-1\r\n"},
		{"BRPOP nos 0.01", "*-1\r\n"},
		{"BLMOVE nos b left right 0.01", "*-1\r\n"},
		{"BRPOPLPUSH nos b 0.01", "*-1\r\n"},
		{"BLMPOP 0.01 1 nos left", "*-1\r\n"},
		// a missing source waits even when the destination is of another type
		{"BLMOVE nos s left right 0.01", "*-1\r\n"},
	})
	lresp3(t, c)
	lrun(t, c, [][2]string{
		{"BLPOP nos 0.01", "_\r\n"},
		{"BLMOVE nos b left right 0.01", "_\r\n"},
		{"BLMPOP 0.01 1 nos left", "_\r\n"},
	})
}

func TestListBlockingInsideMulti(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	lrun(t, c, [][2]string{
		{"MULTI", "+OK\r\n"},
		{"BLMOVE nos b left right 0", "+QUEUED\r\n"},
		{"BRPOPLPUSH nos b 0", "+QUEUED\r\n"},
		{"BLPOP nos 0", "+QUEUED\r\n"},
		{"BRPOP nos 0", "+QUEUED\r\n"},
		{"BLMPOP 0 1 nos left", "+QUEUED\r\n"},
		{"EXEC", la("$-1\r\n", "$-1\r\n", "*-1\r\n", "*-1\r\n", "*-1\r\n")},
		{"RPUSH a 1 2 3", li(3)},
		{"MULTI", "+OK\r\n"},
		{"BLMOVE a b left right 0", "+QUEUED\r\n"},
		{"BLPOP a 0", "+QUEUED\r\n"},
		{"BLMPOP 0 1 a left COUNT 5", "+QUEUED\r\n"},
		{"EXEC", la(lb("1"), lbs("a", "2"), la(lb("a"), lbs("3")))},
	})
	lresp3(t, c)
	lrun(t, c, [][2]string{
		{"MULTI", "+OK\r\n"},
		{"BLMOVE nos b left right 0", "+QUEUED\r\n"},
		{"BLPOP nos 0", "+QUEUED\r\n"},
		{"EXEC", "*2\r\n_\r\n_\r\n"},
	})
}

func TestListBlockingServesInOrder(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	w1, w2, w3 := dialRaw(t, s), dialRaw(t, s), dialRaw(t, s)
	// FIFO per key, each waiter popping from its own side.
	w1.Send(encode("BLPOP", "k", "0"))
	lwaitBlocked(t, s, 1)
	w2.Send(encode("BRPOP", "k", "0"))
	lwaitBlocked(t, s, 2)
	w3.Send(encode("BLMPOP", "0", "1", "k", "LEFT", "COUNT", "2"))
	lwaitBlocked(t, s, 3)
	lrun(t, c, [][2]string{{"RPUSH k 1 2 3 4 5", li(5)}})
	for _, tc := range []struct {
		c    *rawClient
		want string
	}{
		{w1, lbs("k", "1")},
		{w2, lbs("k", "5")},
		{w3, la(lb("k"), lbs("2", "3"))},
	} {
		if got := tc.c.Read(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
	lrun(t, c, [][2]string{{"LRANGE k 0 -1", lbs("4")}})

	// One element, two waiters: the first one gets it, the second waits on.
	lrun(t, c, [][2]string{{"DEL k", li(1)}})
	w1.Send(encode("BLPOP", "k", "0"))
	lwaitBlocked(t, s, 1)
	w2.Send(encode("BLPOP", "k", "0"))
	lwaitBlocked(t, s, 2)
	lrun(t, c, [][2]string{{"RPUSH k a", li(1)}})
	if got := w1.Read(); got != lbs("k", "a") {
		t.Errorf("first waiter got %q", got)
	}
	lwaitBlocked(t, s, 1)
	lrun(t, c, [][2]string{{"RPUSH k b", li(1)}})
	if got := w2.Read(); got != lbs("k", "b") {
		t.Errorf("second waiter got %q", got)
	}
	lrun(t, c, [][2]string{{"EXISTS k", li(0)}})
}

func TestListBlockingMultiKeysAndExec(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	w1, w2 := dialRaw(t, s), dialRaw(t, s)
	lrun(t, c, [][2]string{{"RPUSH k3 x", li(1)}})
	// BLPOP with several keys serves from the first non-empty in argument order.
	runCases(t, w1, []replyCase{{[]string{"BLPOP", "k1", "k3", "k2", "0"}, lbs("k3", "x")}})

	w1.Send(encode("BLPOP", "k1", "k2", "0"))
	w2.Send(encode("BRPOP", "k2", "0"))
	lwaitBlocked(t, s, 2)
	// Pushes inside MULTI serve only after EXEC, keys in the order written.
	lrun(t, c, [][2]string{
		{"MULTI", "+OK\r\n"},
		{"LPUSH k2 a b", "+QUEUED\r\n"},
		{"LPUSH k1 c", "+QUEUED\r\n"},
		{"EXEC", la(li(2), li(1))},
	})
	if got := w1.Read(); got != lbs("k2", "b") {
		t.Errorf("w1 got %q", got)
	}
	if got := w2.Read(); got != lbs("k2", "a") {
		t.Errorf("w2 got %q", got)
	}
	lrun(t, c, [][2]string{{"LRANGE k1 0 -1", lbs("c")}, {"EXISTS k2", li(0)}})

	// A push undone in the same transaction serves nobody.
	w1.Send(encode("BRPOP", "k", "0"))
	lwaitBlocked(t, s, 1)
	lrun(t, c, [][2]string{
		{"MULTI", "+OK\r\n"},
		{"LPUSH k a", "+QUEUED\r\n"},
		{"LPOP k", "+QUEUED\r\n"},
		{"EXEC", la(li(1), lb("a"))},
	})
	lwaitBlocked(t, s, 1)
	lrun(t, c, [][2]string{{"RPUSH k z", li(1)}})
	if got := w1.Read(); got != lbs("k", "z") {
		t.Errorf("w1 got %q", got)
	}
}

func TestListBlmoveChains(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	w1, w2 := dialRaw(t, s), dialRaw(t, s)
	// BLMOVE's push to the destination serves the destination's waiter.
	w1.Send(encode("BLMOVE", "a", "b", "LEFT", "RIGHT", "0"))
	w2.Send(encode("BLPOP", "b", "0"))
	lwaitBlocked(t, s, 2)
	lrun(t, c, [][2]string{{"LPUSH a x", li(1)}})
	if got := w1.Read(); got != lb("x") {
		t.Errorf("BLMOVE got %q", got)
	}
	if got := w2.Read(); got != lbs("b", "x") {
		t.Errorf("BLPOP got %q", got)
	}
	lrun(t, c, [][2]string{{"EXISTS a b", li(0)}})

	// A destination of another type: WRONGTYPE, and the element stays.
	w1.Send(encode("BRPOPLPUSH", "src", "dst", "0"))
	lwaitBlocked(t, s, 1)
	lrun(t, c, [][2]string{{"SET dst str", "+OK\r\n"}, {"LPUSH src x", li(1)}})
	if got := w1.Read(); got != lWrongType {
		t.Errorf("BRPOPLPUSH got %q", got)
	}
	lrun(t, c, [][2]string{{"LRANGE src 0 -1", lbs("x")}})
}

func TestListBlockingTimeoutsAndUnblock(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	w := dialRaw(t, s)
	id := strings.TrimSuffix(strings.TrimPrefix(w.Do("CLIENT", "ID"), ":"), "\r\n")

	start := time.Now()
	if got := w.Do("BLPOP", "k", "0.05"); got != "*-1\r\n" {
		t.Errorf("timeout reply %q", got)
	}
	if d := time.Since(start); d < 40*time.Millisecond || d > 2*time.Second {
		t.Errorf("0.05s timeout took %v", d)
	}

	w.Send(encode("BLPOP", "k", "0"))
	lwaitBlocked(t, s, 1)
	lrun(t, c, [][2]string{{"CLIENT UNBLOCK " + id + " TIMEOUT", li(1)}, {"CLIENT UNBLOCK " + id, li(0)}})
	if got := w.Read(); got != "*-1\r\n" {
		t.Errorf("unblock timeout gave %q", got)
	}
	w.Send(encode("BLMOVE", "k", "d", "LEFT", "LEFT", "0"))
	lwaitBlocked(t, s, 1)
	lrun(t, c, [][2]string{{"CLIENT UNBLOCK " + id + " ERROR", li(1)}})
	if got := w.Read(); got != "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n" {
		t.Errorf("unblock error gave %q", got)
	}
	lresp3(t, w)
	w.Send(encode("BLMPOP", "0", "2", "a", "k", "RIGHT"))
	lwaitBlocked(t, s, 1)
	lrun(t, c, [][2]string{{"CLIENT UNBLOCK " + id, li(1)}})
	if got := w.Read(); got != "_\r\n" {
		t.Errorf("RESP3 unblock gave %q", got)
	}
	if got := w.Do("BRPOPLPUSH", "k", "d", "0.01"); got != "_\r\n" {
		t.Errorf("RESP3 timeout gave %q", got)
	}
}

// Commands pipelined behind a blocking command run once it is served.
func TestListBlockingPipelined(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	w := dialRaw(t, s)
	w.Send(append(append(encode("BLPOP", "k", "0"), encode("PING")...), encode("BLPOP", "k", "0")...))
	lwaitBlocked(t, s, 1)
	lrun(t, c, [][2]string{{"RPUSH k a", li(1)}})
	if got := w.Read(); got != lbs("k", "a") {
		t.Errorf("first BLPOP got %q", got)
	}
	if got := w.Read(); got != "+PONG\r\n" {
		t.Errorf("PING got %q", got)
	}
	lwaitBlocked(t, s, 1)
	lrun(t, c, [][2]string{{"RPUSH k b", li(1)}})
	if got := w.Read(); got != lbs("k", "b") {
		t.Errorf("second BLPOP got %q", got)
	}
}

func TestListFillConfigTakesEffect(t *testing.T) {
	s := startTestServer(t, func(cfg *config.Config) { cfg.ListMaxListpackSize = 2 })
	c := dialRaw(t, s)
	lrun(t, c, [][2]string{
		{"RPUSH l a b c d e", li(5)},
		{"OBJECT ENCODING l", lb("quicklist")},
		{"LRANGE l 0 -1", lbs("a", "b", "c", "d", "e")},
		{"CONFIG SET list-max-listpack-size -5", "+OK\r\n"},
		{"LINSERT l AFTER c x", li(6)},
		{"LRANGE l 0 -1", lbs("a", "b", "c", "x", "d", "e")},
	})
}

// Benchmarks of the list commands through the dispatch path (see
// bench_test.go), the workloads of redis-benchmark's LPUSH, LPOP and
// LRANGE_100 tests on one key, and RPUSH over many keys.

func benchListPreload(tb testing.TB, s *Server) {
	args := []string{"LPUSH", "mylist"}
	for i := 0; i < 1000; i++ {
		args = append(args, "xxx")
	}
	mustReply(tb, s, ":1000", args...)
}

func BenchmarkDispatchListLpush(b *testing.B) {
	benchDispatch(b, func(*rand.Rand) []string { return []string{"LPUSH", "mylist", "xxx"} }, 1, nil)
}

func BenchmarkDispatchListRpushManyKeys(b *testing.B) {
	benchDispatch(b, func(r *rand.Rand) []string {
		return []string{"RPUSH", "list:" + strconv.Itoa(r.IntN(1000)), "element:" + strconv.Itoa(r.IntN(1000))}
	}, 1, nil)
}

func BenchmarkDispatchListLpop(b *testing.B) {
	// LPOP on a list kept non-empty by an LPUSH every other command.
	i := 0
	benchDispatch(b, func(*rand.Rand) []string {
		i++
		if i%2 == 0 {
			return []string{"LPUSH", "mylist", "xxx"}
		}
		return []string{"LPOP", "mylist"}
	}, 1, benchListPreload)
}

func BenchmarkDispatchListLrange100(b *testing.B) {
	benchDispatch(b, func(*rand.Rand) []string { return []string{"LRANGE", "mylist", "0", "99"} }, 1, benchListPreload)
}

// A push serves the first waiter even when its destination is busy: the
// pushing command locks the destinations of the clients blocked on its
// keys with its own locks. Taken afterwards with TryLock, a busy
// destination sent BLMOVE to the back of the queue and BLPOP, blocked
// second, got the element (Redis serves the first, always).
func TestBlockedMoveKeepsItsTurnWhileItsDestinationIsBusy(t *testing.T) {
	s := startTestServer(t)
	a, b, p := dialRaw(t, s), dialRaw(t, s), dialRaw(t, s)
	src, dst := keyInShard("src", 1), keyInShard("dst", 2)
	a.Send(encode("BLMOVE", src, dst, "LEFT", "RIGHT", "0"))
	waitBlockedClients(t, p, "1")
	b.Send(encode("BLPOP", src, "0"))
	waitBlockedClients(t, p, "2")
	busy := s.store.DB(0).Shard(2)
	busy.Lock()
	p.Send(encode("RPUSH", src, "e"))
	time.Sleep(50 * time.Millisecond) // RPUSH waits for the destination
	busy.Unlock()
	if got := p.Read(); got != ":1\r\n" {
		t.Fatalf("RPUSH: %q", got)
	}
	if got := a.Read(); got != "$1\r\ne\r\n" {
		t.Fatalf("BLMOVE, blocked first: %q", got)
	}
	waitBlockedClients(t, p, "1") // BLPOP still waits
	runCases(t, p, []replyCase{{[]string{"RPUSH", src, "f"}, ":1\r\n"}})
	if got := b.Read(); got != "*2\r\n$"+itoa(int64(len(src)))+"\r\n"+src+"\r\n$1\r\nf\r\n" {
		t.Fatalf("BLPOP: %q", got)
	}
}

// Clients served by one push run the commands they pipelined after their
// blocking one in the order they were served, as Redis runs unblocked
// clients in order.
func TestServedClientsRunTheirPipelinedCommandsInOrder(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	for round := 0; round < 5; round++ {
		c.Do("DEL", "out")
		var waiters []*rawClient
		for i := 0; i < 3; i++ {
			w := dialRaw(t, s)
			w.Send(append(encode("BLPOP", "l1", "0"), encode("RPUSH", "out", "c"+itoa(int64(i)))...))
			waitBlockedClients(t, c, itoa(int64(i+1)))
			waiters = append(waiters, w)
		}
		runCases(t, c, []replyCase{{[]string{"RPUSH", "l1", "a", "b", "c"}, ":3\r\n"}})
		for _, w := range waiters {
			w.Read() // BLPOP's reply
			w.Read() // RPUSH out's
		}
		runCases(t, c, []replyCase{{[]string{"LRANGE", "out", "0", "-1"}, "*3\r\n$2\r\nc0\r\n$2\r\nc1\r\n$2\r\nc2\r\n"}})
	}
}
