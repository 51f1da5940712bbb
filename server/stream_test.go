package server

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"petrel/config"
)

// Expected replies below were taken from Redis 7.0.15.

func TestXaddIDsAndErrors(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"XADD", "s", "0-0", "a", "1"}, "-ERR The ID specified in XADD must be greater than 0-0\r\n"},
		{[]string{"XADD", "s", "1-1", "a"}, "-ERR wrong number of arguments for 'xadd' command\r\n"},
		{[]string{"XADD", "s", "MAXLEN", "~", "5"}, "-ERR wrong number of arguments for 'xadd' command\r\n"}, // options take every argument
		{[]string{"XADD", "s", "NOMKSTREAM"}, "-ERR wrong number of arguments for 'xadd' command\r\n"},
		{[]string{"XADD", "s", "1-x", "a", "1"}, "-ERR Invalid stream ID specified as stream command argument\r\n"},
		{[]string{"XADD", "s", "5-*", "a", "1"}, "$3\r\n5-0\r\n"},
		{[]string{"XADD", "s", "5-*", "a", "1"}, "$3\r\n5-1\r\n"},
		{[]string{"XADD", "s", "4-*", "a", "1"}, "-ERR The ID specified in XADD is equal or smaller than the target stream top item\r\n"},
		{[]string{"XADD", "s", " 6", "a", "1"}, "$3\r\n6-0\r\n"},
		{[]string{"XADD", "s", "MAXLEN", "-1", "*", "a", "1"}, "-ERR The MAXLEN argument must be >= 0.\r\n"},
		{[]string{"XADD", "s", "MAXLEN", "1", "LIMIT", "10", "*", "a", "1"}, "-ERR syntax error, LIMIT cannot be used without the special ~ option\r\n"},
		{[]string{"XADD", "s", "LIMIT", "10", "*", "a", "1"}, "-ERR syntax error, LIMIT cannot be used without specifying a trimming strategy\r\n"},
		{[]string{"XADD", "s", "MAXLEN", "1", "MINID", "1", "*", "a", "1"}, "-ERR syntax error, MAXLEN and MINID options at the same time are not compatible\r\n"},
		{[]string{"XADD", "nokey", "NOMKSTREAM", "*", "a", "1"}, "$-1\r\n"},
		{[]string{"XADD", "s", "18446744073709551615-18446744073709551615", "a", "1"}, "$41\r\n18446744073709551615-18446744073709551615\r\n"},
		{[]string{"XADD", "s", "*", "a", "1"}, "-ERR The stream has exhausted the last possible ID, unable to add more items\r\n"},
		{[]string{"XADD", "t", "MAXLEN", "=", "0", "10-0", "a", "1"}, "$4\r\n10-0\r\n"},
		{[]string{"XLEN", "t"}, ":0\r\n"},
		{[]string{"EXISTS", "t"}, ":1\r\n"},
		{[]string{"SET", "str", "x"}, "+OK\r\n"},
		{[]string{"XADD", "str", "*", "a", "1"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"TYPE", "s"}, "+stream\r\n"},
		{[]string{"OBJECT", "ENCODING", "s"}, "$6\r\nstream\r\n"},
	})
}

func TestXrangeBoundsCountAndResp3(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	e1 := "*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"
	e2 := "*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n"
	cases := []replyCase{
		{[]string{"XADD", "s", "1-1", "a", "1"}, "$3\r\n1-1\r\n"},
		{[]string{"XADD", "s", "2-1", "b", "2"}, "$3\r\n2-1\r\n"},
		{[]string{"XRANGE", "s", "-", "+"}, "*2\r\n" + e1 + e2},
		{[]string{"XRANGE", "s", "(1-1", "+"}, "*1\r\n" + e2},
		{[]string{"XRANGE", "s", "-", "(2-1"}, "*1\r\n" + e1},
		{[]string{"XRANGE", "s", "1", "2"}, "*2\r\n" + e1 + e2},
		{[]string{"XREVRANGE", "s", "+", "-", "COUNT", "1"}, "*1\r\n" + e2},
		{[]string{"XRANGE", "s", "(", "+"}, "-ERR Invalid stream ID specified as stream command argument\r\n"},
		{[]string{"XRANGE", "s", "(18446744073709551615-18446744073709551615", "+"}, "-ERR invalid start ID for the interval\r\n"},
		{[]string{"XRANGE", "s", "-", "(0-0"}, "-ERR invalid end ID for the interval\r\n"},
		{[]string{"XRANGE", "s", "-", "+", "COUNT"}, "-ERR syntax error\r\n"},
		{[]string{"XRANGE", "nokey", "-", "+", "COUNT", "0"}, "*0\r\n"},
	}
	runCases(t, c, append(cases, replyCase{[]string{"XRANGE", "s", "-", "+", "COUNT", "0"}, "*-1\r\n"}))
	zsResp3(t, c)
	runCases(t, c, []replyCase{
		{[]string{"XRANGE", "s", "-", "+", "COUNT", "0"}, "_\r\n"},
		{[]string{"XREAD", "STREAMS", "s", "1-1"}, "%1\r\n$1\r\ns\r\n*1\r\n" + e2},
		{[]string{"XREAD", "STREAMS", "s", "$"}, "_\r\n"},
		// Redis 7.4's "+": the last entry
		{[]string{"XREAD", "STREAMS", "s", "+"}, "%1\r\n$1\r\ns\r\n*1\r\n" + e2},
	})
}

func TestXgroupPendingAckAndInfo(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"XGROUP", "CREATE", "s", "g", "$"}, "-ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.\r\n"},
		{[]string{"XGROUP", "CREATE", "s", "g", "0", "MKSTREAM"}, "+OK\r\n"},
		{[]string{"XGROUP", "CREATE", "s", "g", "$"}, "-BUSYGROUP Consumer Group name already exists\r\n"},
		{[]string{"XGROUP", "CREATE", "s", "g4", "0", "ENTRIESREAD", "-5"}, "-ERR value for ENTRIESREAD must be positive or -1\r\n"},
		{[]string{"XGROUP", "SETID", "s", "nog", "0"}, "-NOGROUP No such consumer group 'nog' for key name 's'\r\n"},
		{[]string{"XADD", "s", "1-0", "a", "1"}, "$3\r\n1-0\r\n"},
		{[]string{"XADD", "s", "2-0", "b", "2"}, "$3\r\n2-0\r\n"},
		{[]string{"XREADGROUP", "GROUP", "g", "c1", "COUNT", "1", "STREAMS", "s", ">"}, "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"},
		{[]string{"XREADGROUP", "GROUP", "g", "c2", "STREAMS", "s", ">"}, "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n"},
		{[]string{"XREADGROUP", "GROUP", "g", "c2", "STREAMS", "s", ">"}, "*-1\r\n"},
		{[]string{"XDEL", "s", "2-0"}, ":1\r\n"},
		{[]string{"XREADGROUP", "GROUP", "g", "c2", "STREAMS", "s", "0"}, "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n2-0\r\n*-1\r\n"},
		{[]string{"XPENDING", "s", "g"}, "*4\r\n:2\r\n$3\r\n1-0\r\n$3\r\n2-0\r\n*2\r\n*2\r\n$2\r\nc1\r\n$1\r\n1\r\n*2\r\n$2\r\nc2\r\n$1\r\n1\r\n"},
		{[]string{"XPENDING", "s", "g", "-", "+"}, "-ERR syntax error\r\n"},
		{[]string{"XPENDING", "s", "nog"}, "-NOGROUP No such key 's' or consumer group 'nog'\r\n"},
		{[]string{"XACK", "s", "g", "1-0", "2-0", "9-0"}, ":2\r\n"},
		{[]string{"XPENDING", "s", "g"}, "*4\r\n:0\r\n$-1\r\n$-1\r\n*-1\r\n"},
		{[]string{"XINFO", "GROUPS", "s"}, "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:2\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n2-0\r\n$12\r\nentries-read\r\n:2\r\n$3\r\nlag\r\n:0\r\n"},
		{[]string{"XINFO", "STREAM", "s"}, "*20\r\n$6\r\nlength\r\n:1\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$3\r\n2-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n2-0\r\n$13\r\nentries-added\r\n:2\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-0\r\n$6\r\ngroups\r\n:1\r\n$11\r\nfirst-entry\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n$10\r\nlast-entry\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"},
		{[]string{"XGROUP", "DELCONSUMER", "s", "g", "c1"}, ":0\r\n"},
		{[]string{"XGROUP", "DESTROY", "s", "g"}, ":1\r\n"},
		{[]string{"XGROUP", "CREATE", "s", "g", "0", "foo"}, "-ERR unknown subcommand or wrong number of arguments for 'CREATE'. Try XGROUP HELP.\r\n"},
	})
}

func TestXclaimAndXautoclaimDropDeletedEntries(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"XADD", "s", "1-0", "a", "1"}, "$3\r\n1-0\r\n"},
		{[]string{"XADD", "s", "2-0", "b", "2"}, "$3\r\n2-0\r\n"},
		{[]string{"XADD", "s", "3-0", "c", "3"}, "$3\r\n3-0\r\n"},
		{[]string{"XGROUP", "CREATE", "s", "g", "0"}, "+OK\r\n"},
		{[]string{"XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", ">"}, "*1\r\n*2\r\n$1\r\ns\r\n*3\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n"},
		{[]string{"XDEL", "s", "2-0"}, ":1\r\n"},
		{[]string{"XAUTOCLAIM", "s", "g", "c2", "0", "0", "COUNT", "1"}, "*3\r\n$3\r\n2-0\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*0\r\n"},
		{[]string{"XAUTOCLAIM", "s", "g", "c2", "0", "0", "JUSTID"}, "*3\r\n$3\r\n0-0\r\n*2\r\n$3\r\n1-0\r\n$3\r\n3-0\r\n*1\r\n$3\r\n2-0\r\n"},
		{[]string{"XAUTOCLAIM", "s", "g", "c2", "0", "0", "COUNT", "0"}, "-ERR COUNT must be > 0\r\n"},
		{[]string{"XCLAIM", "s", "g", "c3", "0", "1-0", "RETRYCOUNT", "7", "JUSTID"}, "*1\r\n$3\r\n1-0\r\n"},
		{[]string{"XCLAIM", "s", "g", "c3", "0", "1-0", "IDLE", "abc"}, "-ERR Invalid IDLE option argument for XCLAIM\r\n"},
		{[]string{"XCLAIM", "s", "g", "c3", "0", "abc"}, "-ERR Unrecognized XCLAIM option 'abc'\r\n"},
		{[]string{"XCLAIM", "s", "g", "c3", "0", "9-0", "FORCE", "LASTID", "20-0", "JUSTID"}, "*0\r\n"},
		{[]string{"XPENDING", "s", "g"}, "*4\r\n:2\r\n$3\r\n1-0\r\n$3\r\n3-0\r\n*2\r\n*2\r\n$2\r\nc2\r\n$1\r\n1\r\n*2\r\n$2\r\nc3\r\n$1\r\n1\r\n"},
	})
}

// TestStreamNodeLimitsShapeTrimming pins approximate trimming, which only
// drops whole nodes, to Redis's node boundaries.
func TestStreamNodeLimitsShapeTrimming(t *testing.T) {
	s := startTestServer(t, func(c *config.Config) { c.StreamNodeMaxEntries = 3 })
	c := dialRaw(t, s)
	for _, id := range []string{"1", "2", "3", "4", "5", "6", "7"} {
		c.Do("XADD", "s", id, "a", "1")
	}
	runCases(t, c, []replyCase{
		{[]string{"XTRIM", "s", "MAXLEN", "~", "5"}, ":0\r\n"},
		{[]string{"XTRIM", "s", "MAXLEN", "~", "4"}, ":3\r\n"},
		{[]string{"XTRIM", "s", "MAXLEN", "~", "0", "LIMIT", "2"}, ":0\r\n"},
		{[]string{"XTRIM", "s", "MINID", "6"}, ":2\r\n"},
		{[]string{"XRANGE", "s", "-", "+", "COUNT", "1"}, "*1\r\n*2\r\n$3\r\n6-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"},
	})
}

func TestXreadBlockServesWaitersAndTimesOut(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	w1, w2, w3 := dialRaw(t, s), dialRaw(t, s), dialRaw(t, s)
	c.Do("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
	w1.Send(encode("XREADGROUP", "GROUP", "g", "c1", "COUNT", "1", "BLOCK", "0", "STREAMS", "s", ">"))
	zsWaitBlocked(t, s, 1)
	w2.Send(encode("XREADGROUP", "GROUP", "g", "c2", "COUNT", "1", "BLOCK", "0", "STREAMS", "s", ">"))
	zsWaitBlocked(t, s, 2)
	zsResp3(t, w3)
	w3.Send(encode("XREAD", "BLOCK", "0", "STREAMS", "other", "s", "$", "$"))
	zsWaitBlocked(t, s, 3)
	runCases(t, c, []replyCase{
		{[]string{"MULTI"}, "+OK\r\n"},
		{[]string{"XADD", "s", "1-0", "a", "1"}, "+QUEUED\r\n"},
		{[]string{"XADD", "s", "2-0", "a", "2"}, "+QUEUED\r\n"},
		{[]string{"EXEC"}, "*2\r\n$3\r\n1-0\r\n$3\r\n2-0\r\n"},
	})
	for _, tc := range []struct {
		c    *rawClient
		want string
	}{
		{w1, "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"},
		{w2, "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\na\r\n$1\r\n2\r\n"},
		{w3, "%1\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\na\r\n$1\r\n2\r\n"},
	} {
		if got := tc.c.Read(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
	start := time.Now()
	if got := w3.Do("XREAD", "BLOCK", "100", "STREAMS", "s", "$"); got != "_\r\n" {
		t.Fatalf("RESP3 timeout: %q", got)
	}
	if d := time.Since(start); d < 90*time.Millisecond {
		t.Fatalf("timed out after %v", d)
	}
	if got := c.Do("XREADGROUP", "GROUP", "g", "c1", "BLOCK", "50", "STREAMS", "s", ">"); got != "*-1\r\n" {
		t.Fatalf("RESP2 timeout: %q", got)
	}
	runCases(t, c, []replyCase{
		{[]string{"MULTI"}, "+OK\r\n"},
		{[]string{"XREADGROUP", "GROUP", "g", "c1", "BLOCK", "0", "STREAMS", "s", ">"}, "+QUEUED\r\n"},
		{[]string{"XREAD", "BLOCK", "0", "STREAMS", "s", "$"}, "+QUEUED\r\n"},
		{[]string{"EXEC"}, "*2\r\n*-1\r\n*-1\r\n"},
	})
}

// A stream that goes by FLUSHDB, FLUSHALL or expiry (lazy or active) tells
// its blocked group readers, as DEL does; a plain XREAD keeps waiting.
func TestXreadgroupBlockFailsWhenStreamIsFlushedOrExpires(t *testing.T) {
	for _, tc := range []struct {
		name string
		gone func(c *rawClient)
	}{
		{"flushdb", func(c *rawClient) { c.Do("FLUSHDB") }},
		{"flushall", func(c *rawClient) { c.Do("FLUSHALL", "ASYNC") }},
		{"active-expiry", func(c *rawClient) { c.Do("PEXPIRE", "s", "1") }},
		{"lazy-expiry", func(c *rawClient) {
			c.Do("DEBUG", "SET-ACTIVE-EXPIRE", "0")
			c.Do("PEXPIRE", "s", "1")
			time.Sleep(10 * time.Millisecond)
			c.Do("EXISTS", "s")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := startTestServer(t, debugEnabled)
			c, w, r := dialRaw(t, s), dialRaw(t, s), dialRaw(t, s)
			c.Do("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
			w.Send(encode("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"))
			zsWaitBlocked(t, s, 1)
			r.Send(encode("XREAD", "BLOCK", "0", "STREAMS", "s", "$"))
			zsWaitBlocked(t, s, 2)
			tc.gone(c)
			if got := w.Read(); got != "-UNBLOCKED the stream key no longer exists\r\n" {
				t.Fatalf("XREADGROUP: %q", got)
			}
			zsWaitBlocked(t, s, 1) // XREAD keeps waiting
		})
	}
}

func TestXreadgroupBlockFailsWhenStreamOrGroupGoes(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	w := dialRaw(t, s)
	r := dialRaw(t, s)
	c.Do("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
	w.Send(encode("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"))
	zsWaitBlocked(t, s, 1)
	r.Send(encode("XREAD", "BLOCK", "0", "STREAMS", "s", "$"))
	zsWaitBlocked(t, s, 2)
	c.Do("DEL", "s")
	if got := w.Read(); got != "-UNBLOCKED the stream key no longer exists\r\n" {
		t.Fatalf("after DEL: %q", got)
	}
	zsWaitBlocked(t, s, 1) // XREAD keeps waiting
	c.Do("XADD", "s", "1-0", "a", "1")
	if got := r.Read(); got != "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n" {
		t.Fatalf("XREAD after re-creation: %q", got)
	}
	c.Do("XGROUP", "CREATE", "s", "g", "$")
	w.Send(encode("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"))
	zsWaitBlocked(t, s, 1)
	c.Do("XGROUP", "DESTROY", "s", "g")
	if got := w.Read(); got != "-NOGROUP the consumer group this client was blocked on no longer exists\r\n" {
		t.Fatalf("after DESTROY: %q", got)
	}
}

// A key written while a client is blocked on it, and already expired when
// the write's command ends, is not deleted by the check of the blocked
// clients: Redis readies only keys given a list, zset or stream, and the
// key stays until something reads it.
func TestBlockedReaderDoesNotExpireAKeyEarly(t *testing.T) {
	s := startTestServer(t, debugEnabled)
	c, w := dialRaw(t, s), dialRaw(t, s)
	c.Do("DEBUG", "SET-ACTIVE-EXPIRE", "0")
	w.Send(encode("XREAD", "BLOCK", "0", "STREAMS", "k1", "$"))
	zsWaitBlocked(t, s, 1)
	runCases(t, c, []replyCase{
		{[]string{"MULTI"}, "+OK\r\n"},
		{[]string{"SET", "k1", "2", "PX", "1"}, "+QUEUED\r\n"},
		{[]string{"DEBUG", "SLEEP", "0.01"}, "+QUEUED\r\n"},
		{[]string{"EXEC"}, "*2\r\n+OK\r\n+OK\r\n"},
		{[]string{"DBSIZE"}, ":1\r\n"},
	})
	if _, _, v := infoFields(bulkBody(t, c.Do("INFO", "stats"))); v["expired_keys"] != "0" {
		t.Errorf("expired_keys %s after EXEC, want 0", v["expired_keys"])
	}
	zsWaitBlocked(t, s, 1)
}

// XREAD and XREADGROUP look each key up twice, as Redis 7.0 does: once
// with its ID and once to read it. Each lookup counts in INFO's
// keyspace_hits or keyspace_misses (figures from Redis 7.0.15).
func TestXreadCountsEachKeyTwiceInKeyspaceStats(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	c.Do("XADD", "s1", "1-1", "f", "v")
	c.Do("XGROUP", "CREATE", "s1", "g", "0")
	c.Do("CONFIG", "RESETSTAT")
	c.Do("XREAD", "STREAMS", "s1", "s2", "0", "0")
	c.Do("XREAD", "COUNT", "1", "STREAMS", "s1", "$")
	c.Do("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s1", ">")
	c.Do("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s1", "s2", ">", ">")
	stats := c.Do("INFO", "stats")
	for _, want := range []string{"keyspace_hits:7\r\n", "keyspace_misses:3\r\n"} {
		if !strings.Contains(stats, want) {
			t.Errorf("INFO stats lacks %q:\n%s", want, stats)
		}
	}
}

// BenchmarkDispatchXrange10 is compare.sh's XRANGE_10: the first ten
// entries of a 100-entry stream of three small fields. It allocates
// nothing, so a read-only load starts no collection.
func BenchmarkDispatchXrange10(b *testing.B) {
	benchDispatch(b, func(*rand.Rand) []string { return []string{"XRANGE", "st", "-", "+", "COUNT", "10"} }, 1,
		func(tb testing.TB, s *Server) {
			for i := 0; i < 100; i++ {
				mustReply(tb, s, "$", "XADD", "st", "*", "field1", "value1", "field2", "value2", "field3", "value3")
			}
		})
}
