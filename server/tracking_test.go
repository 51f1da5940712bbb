package server

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"petrel/config"
)

// Replies and message bytes verified against redis-server 7.0.15.

const (
	invalidateK   = ">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nk\r\n"
	invalidateK2  = ">2\r\n$10\r\ninvalidate\r\n*1\r\n$2\r\nk2\r\n"
	invalidateAll = ">2\r\n$10\r\ninvalidate\r\n_\r\n"
)

func TestTrackingDefaultModeInvalidatesReadKeysOnce(t *testing.T) {
	s := startTestServer(t)
	a, b := trackingClient(t, s), dialRaw(t, s)
	runCases(t, a, []replyCase{
		{[]string{"GET", "k"}, "_\r\n"},
		{[]string{"MGET", "k", "k2"}, "*2\r\n_\r\n_\r\n"},
	})
	b.Do("SET", "k", "1")
	if got := a.Read(); got != invalidateK {
		t.Fatalf("invalidation: %q", got)
	}
	b.Do("SET", "k", "2") // not read again since: no second message
	runCases(t, a, []replyCase{
		{[]string{"GET", "k"}, "$1\r\n2\r\n"},
	})
	// the writer's own invalidation follows its reply
	a.Send(encode("MSET", "k", "3", "k2", "3"))
	for _, want := range []string{"+OK\r\n", invalidateK, invalidateK2} {
		if got := a.Read(); got != want {
			t.Fatalf("got %q, want %q", got, want)
		}
	}
	runCases(t, a, []replyCase{
		{[]string{"CLIENT", "TRACKINGINFO"}, "%3\r\n$5\r\nflags\r\n~1\r\n$2\r\non\r\n$8\r\nredirect\r\n:0\r\n$8\r\nprefixes\r\n*0\r\n"},
		{[]string{"CLIENT", "GETREDIR"}, ":0\r\n"},
		{[]string{"GET", "k"}, "$1\r\n3\r\n"},
	})
	b.Do("FLUSHALL")
	if got := a.Read(); got != invalidateAll {
		t.Fatalf("flush invalidation: %q", got)
	}
}

func TestTrackingNoloopSkipsTheClientsOwnWrites(t *testing.T) {
	s := startTestServer(t)
	a, b := trackingClient(t, s, "NOLOOP"), dialRaw(t, s)
	a.Do("GET", "k")
	runCases(t, a, []replyCase{
		{[]string{"SET", "k", "1"}, "+OK\r\n"}, // no push follows
		{[]string{"GET", "k"}, "$1\r\n1\r\n"},
	})
	b.Do("SET", "k", "2")
	if got := a.Read(); got != invalidateK {
		t.Fatalf("invalidation: %q", got)
	}
}

func TestTrackingBcastSendsEachPrefixItsKeysPerCommand(t *testing.T) {
	s := startTestServer(t)
	a, b := dialRaw(t, s), dialRaw(t, s)
	a.Do("HELLO", "3")
	runCases(t, a, []replyCase{
		{[]string{"CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "a", "PREFIX", "ab"}, "-ERR Prefix 'a' overlaps with another provided prefix 'ab'. Prefixes for a single client must not overlap.\r\n"},
		{[]string{"CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "a", "PREFIX", "b", "NOLOOP"}, "+OK\r\n"},
		{[]string{"SET", "abd", "1"}, "+OK\r\n"},
		{[]string{"CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "c"}, "+OK\r\n"},
		// prefixes add up; NOLOOP, not given again, goes
		{[]string{"CLIENT", "TRACKINGINFO"}, "%3\r\n$5\r\nflags\r\n~2\r\n$2\r\non\r\n$5\r\nbcast\r\n$8\r\nredirect\r\n:0\r\n$8\r\nprefixes\r\n*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n"},
		{[]string{"CLIENT", "TRACKING", "ON", "PREFIX", "c"}, "-ERR PREFIX option requires BCAST mode to be enabled\r\n"},
	})
	b.Do("MSET", "abc", "1", "ax", "2", "zz", "3", "b1", "1")
	for _, want := range []string{
		">2\r\n$10\r\ninvalidate\r\n*2\r\n$3\r\nabc\r\n$2\r\nax\r\n",
		">2\r\n$10\r\ninvalidate\r\n*1\r\n$2\r\nb1\r\n",
	} {
		if got := a.Read(); got != want {
			t.Fatalf("got %q, want %q", got, want)
		}
	}
	if info := b.Do("INFO", "stats"); !strings.Contains(info, "tracking_total_prefixes:3\r\n") {
		t.Errorf("INFO stats lacks the prefix count")
	}
}

func TestTrackingOptinAndOptoutFollowClientCaching(t *testing.T) {
	s := startTestServer(t)
	a, b := dialRaw(t, s), dialRaw(t, s)
	a.Do("HELLO", "3")
	runCases(t, a, []replyCase{
		{[]string{"CLIENT", "CACHING", "YES"}, "-ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled\r\n"},
		{[]string{"CLIENT", "TRACKING", "ON", "OPTIN"}, "+OK\r\n"},
		{[]string{"GET", "k"}, "_\r\n"},
		{[]string{"CLIENT", "CACHING", "YES"}, "+OK\r\n"},
		{[]string{"GET", "x"}, "_\r\n"},
		{[]string{"CLIENT", "CACHING", "NO"}, "-ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.\r\n"},
		{[]string{"CLIENT", "TRACKING", "ON", "OPTOUT"}, "-ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.\r\n"},
	})
	b.Do("MSET", "k", "1", "x", "1")
	if got := a.Read(); got != ">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nx\r\n" {
		t.Fatalf("optin invalidation: %q", got)
	}
	runCases(t, a, []replyCase{
		{[]string{"CLIENT", "TRACKING", "OFF"}, "+OK\r\n"},
		{[]string{"CLIENT", "TRACKING", "ON", "OPTOUT"}, "+OK\r\n"},
		{[]string{"CLIENT", "CACHING", "NO"}, "+OK\r\n"},
		{[]string{"CLIENT", "TRACKINGINFO"}, "%3\r\n$5\r\nflags\r\n~3\r\n$2\r\non\r\n$6\r\noptout\r\n$10\r\ncaching-no\r\n$8\r\nredirect\r\n:0\r\n$8\r\nprefixes\r\n*0\r\n"},
		{[]string{"GET", "k"}, "$1\r\n1\r\n"}, // not tracked
		{[]string{"GET", "x"}, "$1\r\n1\r\n"}, // tracked
	})
	b.Do("MSET", "k", "2", "x", "2")
	if got := a.Read(); got != ">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nx\r\n" {
		t.Fatalf("optout invalidation: %q", got)
	}
}

func TestTrackingRedirectsToARESP2Subscriber(t *testing.T) {
	s := startTestServer(t)
	a, b, r := dialRaw(t, s), dialRaw(t, s), dialRaw(t, s)
	rid := strings.TrimSuffix(strings.TrimPrefix(r.Do("CLIENT", "ID"), ":"), "\r\n")
	runCases(t, a, []replyCase{
		{[]string{"CLIENT", "TRACKING", "ON", "REDIRECT", "99999"}, "-ERR The client ID you want redirect to does not exist\r\n"},
		{[]string{"CLIENT", "TRACKING", "ON", "REDIRECT", "x"}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"CLIENT", "TRACKING", "ON", "OPTIN", "OPTOUT"}, "-ERR You can't specify both OPTIN mode and OPTOUT mode\r\n"},
		{[]string{"CLIENT", "TRACKING", "ON", "BCAST", "OPTIN"}, "-ERR OPTIN and OPTOUT are not compatible with BCAST\r\n"},
		{[]string{"CLIENT", "TRACKING", "ON", "FOO"}, "-ERR syntax error\r\n"},
		{[]string{"CLIENT", "TRACKING", "MAYBE"}, "-ERR syntax error\r\n"},
		{[]string{"CLIENT", "TRACKING", "ON", "REDIRECT", rid}, "+OK\r\n"},
		{[]string{"CLIENT", "GETREDIR"}, ":" + rid + "\r\n"},
		{[]string{"GET", "k"}, "$-1\r\n"},
	})
	r.Do("SUBSCRIBE", "__redis__:invalidate")
	b.Do("SET", "k", "1")
	if got := r.Read(); got != "*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n*1\r\n$1\r\nk\r\n" {
		t.Fatalf("redirected invalidation: %q", got)
	}
	b.Do("FLUSHDB")
	if got := r.Read(); got != "*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n$-1\r\n" {
		t.Fatalf("redirected flush: %q", got)
	}
	if got := a.Do("CLIENT", "LIST", "ID", strings.TrimSpace(strings.TrimPrefix(a.Do("CLIENT", "ID"), ":"))); !strings.Contains(got, " flags=t ") || !strings.Contains(got, " redir="+rid+" ") {
		t.Errorf("CLIENT LIST: %q", got)
	}
}

// CLIENT TRACKING checks its options in Redis's order: PREFIX without BCAST,
// a BCAST switch, OPTIN or OPTOUT with BCAST, OPTIN with OPTOUT, then an
// OPTIN/OPTOUT switch. Replies from Redis 7.0.15.
func TestTrackingOptionConflictsInRedisOrder(t *testing.T) {
	s := startTestServer(t)
	const (
		bothModes    = "-ERR You can't specify both OPTIN mode and OPTOUT mode\r\n"
		withBcast    = "-ERR OPTIN and OPTOUT are not compatible with BCAST\r\n"
		switchBcast  = "-ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.\r\n"
		switchOptout = "-ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.\r\n"
	)
	runCases(t, dialRaw(t, s), []replyCase{
		{[]string{"CLIENT", "TRACKING", "ON", "BCAST", "OPTIN", "OPTOUT"}, withBcast},
		{[]string{"CLIENT", "TRACKING", "ON", "OPTIN", "OPTOUT", "BCAST"}, withBcast},
		{[]string{"CLIENT", "TRACKING", "ON", "PREFIX", "a", "OPTIN", "OPTOUT"}, "-ERR PREFIX option requires BCAST mode to be enabled\r\n"},
		{[]string{"CLIENT", "TRACKING", "ON", "OPTIN"}, "+OK\r\n"},
		{[]string{"CLIENT", "TRACKING", "ON", "OPTIN", "OPTOUT"}, bothModes},
		{[]string{"CLIENT", "TRACKING", "ON", "OPTOUT"}, switchOptout},
		{[]string{"CLIENT", "TRACKING", "ON", "BCAST", "OPTIN", "OPTOUT"}, switchBcast},
		{[]string{"CLIENT", "TRACKING", "OFF"}, "+OK\r\n"},
		{[]string{"CLIENT", "TRACKING", "ON", "BCAST"}, "+OK\r\n"},
		{[]string{"CLIENT", "TRACKING", "ON", "BCAST", "OPTIN", "OPTOUT"}, withBcast},
		{[]string{"CLIENT", "TRACKING", "ON", "OPTIN", "OPTOUT"}, switchBcast},
	})
}

// Each invalidation that cannot reach a closed redirect target is reported
// to the tracking client, as Redis reports it (three times for two SETs and
// a FLUSHALL).
func TestTrackingReportsABrokenRedirectEachTime(t *testing.T) {
	s := startTestServer(t)
	a, b, r := dialRaw(t, s), dialRaw(t, s), dialRaw(t, s)
	rid := strings.TrimSuffix(strings.TrimPrefix(r.Do("CLIENT", "ID"), ":"), "\r\n")
	a.Do("HELLO", "3")
	a.Do("CLIENT", "TRACKING", "ON", "REDIRECT", rid)
	a.Do("MGET", "k", "k2")
	r.conn.Close()
	waitFor(t, func() bool { return s.clientByID(mustAtoi(rid)) == nil })
	b.Do("SET", "k", "1")
	b.Do("SET", "k2", "1")
	b.Do("FLUSHALL")
	want := fmt.Sprintf(">2\r\n$21\r\ntracking-redir-broken\r\n:%s\r\n", rid)
	for i := 0; i < 3; i++ {
		if got := a.Read(); got != want {
			t.Fatalf("report %d: got %q, want %q", i+1, got, want)
		}
	}
	runCases(t, a, []replyCase{
		{[]string{"CLIENT", "TRACKINGINFO"}, "%3\r\n$5\r\nflags\r\n~2\r\n$2\r\non\r\n$15\r\nbroken_redirect\r\n$8\r\nredirect\r\n:" + rid + "\r\n$8\r\nprefixes\r\n*0\r\n"},
	})
}

func TestTrackingTableMaxKeysEvictsWithInvalidation(t *testing.T) {
	s := startTestServer(t, func(c *config.Config) { c.TrackingTableMaxKeys = 2 })
	a := trackingClient(t, s)
	a.Send(encode("MGET", "k1", "k2", "k3"))
	got := []string{a.Read(), a.Read()}
	if !strings.HasPrefix(got[0], "*3\r\n") || !strings.HasPrefix(got[1], ">2\r\n$10\r\ninvalidate\r\n*1\r\n") {
		t.Fatalf("got %q", got)
	}
	if info := a.Do("INFO", "stats"); !strings.Contains(info, "tracking_total_keys:2\r\n") {
		t.Errorf("INFO: keys not limited")
	}
}

func TestTrackingInvalidatesExpiredKeys(t *testing.T) {
	s := startTestServer(t)
	a, b := dialRaw(t, s), dialRaw(t, s)
	a.Do("HELLO", "3")
	b.Do("SET", "k", "v", "PX", "20")
	a.Do("CLIENT", "TRACKING", "ON")
	a.Do("GET", "k")
	if got := a.Read(); got != invalidateK {
		t.Fatalf("expiry invalidation: %q", got)
	}
	if info := b.Do("INFO", "clients"); !strings.Contains(info, "tracking_clients:1\r\n") {
		t.Errorf("INFO clients lacks tracking_clients:1")
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for i := 0; i < 500; i++ {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("condition not reached in 5s")
}

func mustAtoi(s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		panic(err)
	}
	return n
}

// Turning tracking on again replaces its modes, and the keys a rename or
// a copy writes are invalidated, whatever the database; checked against
// redis-server 7.0.15.
func TestTrackingModesResetAndRenameCopyInvalidate(t *testing.T) {
	s := startTestServer(t)
	a, b := dialRaw(t, s), dialRaw(t, s)
	a.Do("HELLO", "3")
	runCases(t, a, []replyCase{
		{[]string{"CLIENT", "TRACKING", "ON", "OPTIN", "NOLOOP"}, "+OK\r\n"},
		{[]string{"CLIENT", "TRACKING", "ON"}, "+OK\r\n"},
		{[]string{"CLIENT", "TRACKINGINFO"}, "%3\r\n$5\r\nflags\r\n~1\r\n$2\r\non\r\n$8\r\nredirect\r\n:0\r\n$8\r\nprefixes\r\n*0\r\n"},
		{[]string{"CLIENT", "CACHING", "YES"}, "-ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.\r\n"},
		{[]string{"GET", "k"}, "_\r\n"},
	})
	b.Do("SET", "src", "1")
	b.Do("RENAME", "src", "k")
	if got := a.Read(); got != invalidateK {
		t.Fatalf("RENAME onto a tracked key: %q", got)
	}
	runCases(t, a, []replyCase{{[]string{"SELECT", "1"}, "+OK\r\n"}, {[]string{"GET", "k"}, "_\r\n"}})
	b.Do("COPY", "k", "k", "DB", "1")
	if got := a.Read(); got != invalidateK {
		t.Fatalf("COPY to a tracked key in another database: %q", got)
	}
}

// LTRIM that removes nothing still signals its key, as Redis's does:
// tracking clients are told (checked against redis-server 7.0.15).
func TestTrackingLtrimThatKeepsEverythingInvalidates(t *testing.T) {
	s := startTestServer(t)
	a, b := trackingClient(t, s), dialRaw(t, s)
	b.Do("RPUSH", "k", "a", "b")
	runCases(t, a, []replyCase{{[]string{"LRANGE", "k", "0", "-1"}, "*2\r\n$1\r\na\r\n$1\r\nb\r\n"}})
	b.Do("LTRIM", "k", "0", "-1")
	if got := a.Read(); got != invalidateK {
		t.Fatalf("LTRIM keeping everything: %q", got)
	}
}

// A script's reads are remembered for the client running it, its writes
// spare that client under NOLOOP, and EVAL_RO's own keys are not read by
// it (only its commands read), as in Redis.
func TestTrackingFollowsScriptReadsAndWrites(t *testing.T) {
	s := startTestServer(t)
	a, b := trackingClient(t, s, "NOLOOP"), dialRaw(t, s)
	runCases(t, a, []replyCase{
		{[]string{"EVAL", "return redis.call('get', KEYS[1])", "1", "r"}, "_\r\n"},
		{[]string{"EVAL_RO", "return 1", "1", "notread"}, ":1\r\n"},
		{[]string{"GET", "w"}, "_\r\n"},
		{[]string{"EVAL", "return redis.call('set', KEYS[1], 'x')", "1", "w"}, "+OK\r\n"}, // NOLOOP: no push
	})
	b.Do("SET", "notread", "1")
	b.Do("SET", "r", "1")
	if got := a.Read(); got != ">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nr\r\n" {
		t.Fatalf("after another client's SET of the key the script read: %q", got)
	}
}

// A write over a key that had just expired sends a BCAST client one
// invalidation, as Redis collects the expiry and the write in one set.
func TestTrackingBcastCountsAnExpiredKeyOnceWithTheWriteOverIt(t *testing.T) {
	s := startTestServer(t, debugEnabled)
	a, b := trackingClient(t, s, "BCAST"), dialRaw(t, s)
	b.Do("DEBUG", "SET-ACTIVE-EXPIRE", "0")
	b.Do("SET", "c", "1", "PX", "1")
	expectInvalidation(t, a, "c")
	time.Sleep(5 * time.Millisecond)
	b.Do("SET", "c", "2")
	b.Do("SET", "marker", "x")
	expectInvalidation(t, a, "c")
	expectInvalidation(t, a, "marker") // and no second c before it
}

// trackingClient connects a RESP3 client with CLIENT TRACKING ON and the
// given options.
func trackingClient(t *testing.T, s *Server, options ...string) *rawClient {
	t.Helper()
	c := dialRaw(t, s)
	c.Do("HELLO", "3")
	runCases(t, c, []replyCase{{append([]string{"CLIENT", "TRACKING", "ON"}, options...), "+OK\r\n"}})
	return c
}

// expectInvalidation reads c's next reply, which must invalidate keys.
func expectInvalidation(t *testing.T, c *rawClient, keys ...string) {
	t.Helper()
	want := ">2\r\n$10\r\ninvalidate\r\n*" + itoa(int64(len(keys))) + "\r\n"
	for _, k := range keys {
		want += "$" + itoa(int64(len(k))) + "\r\n" + k + "\r\n"
	}
	if got := c.Read(); got != want {
		t.Fatalf("got %q, want the invalidation of %v", got, keys)
	}
}

// A push that serves a blocked client sends BCAST clients one message with
// the keys of both commands, as Redis does: [l2 l3] for a BLMOVE served by
// an RPUSH, not [l2] and then [l2 l3].
func TestTrackingBcastJoinsAServedCommandsKeysToThePush(t *testing.T) {
	s := startTestServer(t)
	a, b, w := trackingClient(t, s, "BCAST"), dialRaw(t, s), dialRaw(t, s)
	w.Send(encode("BLMOVE", "l2", "l3", "LEFT", "LEFT", "0"))
	waitBlockedClients(t, b, "1")
	b.Do("RPUSH", "l2", "a")
	b.Do("SET", "marker", "x")
	expectInvalidation(t, a, "l2", "l3")
	expectInvalidation(t, a, "marker") // and no [l2] before
	if got := w.Read(); got != "$1\r\na\r\n" {
		t.Fatalf("BLMOVE: %q", got)
	}
}

// When the client an invalidation is redirected to makes the write itself,
// the message reaches it before the write's reply, as Redis writes it into
// that client's output at once. The bytes are Redis 7.0.15's.
func TestTrackingRedirectTargetGetsItsOwnWritesInvalidationBeforeTheReply(t *testing.T) {
	s := startTestServer(t)
	target := dialRaw(t, s)
	target.Do("HELLO", "3")
	id := strings.TrimSuffix(strings.TrimPrefix(target.Do("CLIENT", "ID"), ":"), "\r\n")
	trackingClient(t, s, "REDIRECT", id).Do("GET", "a")
	expectPipelined(t, target, [][]string{{"SET", "a", "1"}, {"FLUSHALL"}},
		">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\na\r\n+OK\r\n>2\r\n$10\r\ninvalidate\r\n_\r\n+OK\r\n")
}
