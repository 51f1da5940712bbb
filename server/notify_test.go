package server

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"petrel/config"
)

// Keyspace events of the commands, seen through a real subscriber. Each
// command is followed by a marker published on a channel the subscription
// also matches, so the events are pinned to the command that raised them.
// The events of Redis 7.0's commands are also compared against a real
// redis-server by integration/diff_notify_test.go; these tests pin a
// handful of them plus the hash field expiry events, which Redis 7.0 lacks
// and which follow Redis 7.4/8.0.

const notifyTestMarker = "__keyevent@99__:__marker__"

// notifyClient is a command connection with a subscriber to every keyspace
// and keyevent channel.
type notifyClient struct {
	t        *testing.T
	cmd, sub *rawClient
}

func newNotifyClient(t *testing.T, s *Server) *notifyClient {
	t.Helper()
	n := &notifyClient{t: t, cmd: dialRaw(t, s), sub: dialRaw(t, s)}
	if got := n.cmd.Do("CONFIG", "SET", "notify-keyspace-events", "KEA"); got != "+OK\r\n" {
		t.Fatalf("CONFIG SET: %q", got)
	}
	if got := n.sub.Do("PSUBSCRIBE", "__key*__:*"); !strings.HasPrefix(got, "*3\r\n$10\r\npsubscribe\r\n") {
		t.Fatalf("PSUBSCRIBE: %q", got)
	}
	return n
}

// events runs a command and returns the events it raised as "event key"
// (prefixed with "dbN " outside database 0), checking that every keyevent
// message follows its keyspace twin.
func (n *notifyClient) events(args ...string) []string {
	n.t.Helper()
	n.cmd.Do(args...)
	return n.until()
}

// until publishes a marker and returns the events received before it.
func (n *notifyClient) until() []string {
	n.t.Helper()
	n.cmd.Do("PUBLISH", notifyTestMarker, "m")
	var out []string
	var space string // the keyspace message waiting for its keyevent twin
	for {
		ch, msg := n.next()
		switch {
		case ch == notifyTestMarker:
			if space != "" {
				n.t.Fatalf("keyspace message %q without its keyevent twin", space)
			}
			return out
		case strings.HasPrefix(ch, "__keyspace@"):
			if space != "" {
				n.t.Fatalf("keyspace message %q without its keyevent twin", space)
			}
			space = ch + " " + msg
		case strings.HasPrefix(ch, "__keyevent@"):
			db, event, _ := strings.Cut(strings.TrimPrefix(ch, "__keyevent@"), "__:")
			if want := "__keyspace@" + db + "__:" + msg + " " + event; space != want {
				n.t.Fatalf("keyevent %s %s follows %q, want %q", ch, msg, space, want)
			}
			space = ""
			if db != "0" {
				event = "db" + db + " " + event
			}
			out = append(out, event+" "+msg)
		default:
			n.t.Fatalf("unexpected channel %q", ch)
		}
	}
}

// next reads one pmessage and returns its channel and message.
func (n *notifyClient) next() (channel, message string) {
	n.t.Helper()
	raw := n.sub.Read()
	// *4 $8 pmessage $<n> pattern $<n> channel $<n> message
	parts := strings.Split(raw, "\r\n")
	if len(parts) != 10 || parts[2] != "pmessage" {
		n.t.Fatalf("not a pmessage: %q", raw)
	}
	return parts[6], parts[8]
}

// notifyCase is one command and the events it must raise, in order.
type notifyCase struct {
	cmd  []string
	want []string
}

func runNotifyCases(t *testing.T, n *notifyClient, cases []notifyCase) {
	t.Helper()
	for _, tc := range cases {
		got := n.events(tc.cmd...)
		if strings.Join(got, ", ") != strings.Join(tc.want, ", ") {
			t.Errorf("%q raised %q, want %q", tc.cmd, got, tc.want)
		}
	}
}

// notifyArgs splits a test command line at spaces; "" stands for an empty
// argument.
func notifyArgs(line string) []string {
	args := strings.Fields(line)
	for i, a := range args {
		if a == `""` {
			args[i] = ""
		}
	}
	return args
}

func TestNotifyEventsOfCoreCommandsMatchRedis70(t *testing.T) {
	n := newNotifyClient(t, startTestServer(t))
	var cases []notifyCase
	for _, c := range []struct {
		line string
		want []string
	}{
		{"SET k v EX 100", []string{"set k", "expire k"}},
		{"SET k w NX GET", nil},
		{"GETEX k PERSIST", []string{"persist k"}},
		{"GETEX k PERSIST", nil},
		{"EXPIRE k 0", []string{"del k"}},
		{"MSET a 1 b 2 a 3", []string{"set a", "set b", "set a"}},
		{"INCRBYFLOAT a 1.5", []string{"incrbyfloat a"}},
		{"DECR b", []string{"incrby b"}},
		{`SETRANGE a 0 ""`, nil},
		{"RENAME a c", []string{"rename_from a", "rename_to c"}},
		{"MOVE c 1", []string{"move_from c", "db1 move_to c"}},
		{"COPY b d DB 2", []string{"db2 copy_to d"}},
		{"DEL b d nokey", []string{"del b"}},
		{"RPUSH l x", []string{"rpush l"}},
		// Redis 7.0 raises the push before the pop.
		{"LMOVE l l2 LEFT RIGHT", []string{"rpush l2", "lpop l", "del l"}},
		{"LTRIM l2 0 -1", []string{"ltrim l2"}},
		{"SADD s m", []string{"sadd s"}},
		{"SMOVE s t m", []string{"srem s", "del s", "sadd t"}},
		{"SINTERSTORE t nokey", []string{"del t"}},
		{"ZADD z INCR 2 m", []string{"zincr z"}},
		{"ZADD z 2 m", nil},
		{"ZREMRANGEBYSCORE z 0 5", []string{"zremrangebyscore z", "del z"}},
		{"HINCRBYFLOAT h f 1.5", []string{"hincrbyfloat h"}},
		{"HSET h f 1.5", []string{"hset h"}},
		{"HDEL h f", []string{"hdel h", "del h"}},
		{"SORT l2 ALPHA STORE st", []string{"sortstore st"}},
		{"SORT nokey STORE st", []string{"del st"}},
		{"FLUSHALL", nil},
	} {
		cases = append(cases, notifyCase{notifyArgs(c.line), c.want})
	}
	runNotifyCases(t, n, cases)
}

func TestNotifyBlockedPopIsRaisedWhenTheWaiterIsServed(t *testing.T) {
	s := startTestServer(t)
	n := newNotifyClient(t, s)
	waiter := dialRaw(t, s)
	waiter.Send(encode("BLMOVE", "src", "dst", "LEFT", "RIGHT", "0"))
	waitBlockedClients(t, n.cmd, "1")
	runNotifyCases(t, n, []notifyCase{
		{[]string{"RPUSH", "src", "a"}, []string{"rpush src", "rpush dst", "lpop src", "del src"}},
	})
	if got := waiter.Read(); got != "$1\r\na\r\n" {
		t.Fatalf("BLMOVE replied %q", got)
	}
}

// TestNotifyHashFieldExpiryCommands pins the events of HEXPIRE, HPERSIST,
// HGETDEL, HGETEX and HSETEX as Redis 8.0 raises them: "hexpire" when
// fields get a TTL, "hdel" instead when the time is already past (and
// "del" when that empties the hash), "hpersist", "hset" first for HSETEX.
func TestNotifyHashFieldExpiryCommands(t *testing.T) {
	n := newNotifyClient(t, startTestServer(t))
	var cases []notifyCase
	for _, c := range []struct {
		line string
		want []string
	}{
		{"HSET h a 1 b 2 c 3", []string{"hset h"}},
		{"HEXPIRE h 100 FIELDS 2 a nofield", []string{"hexpire h"}},
		{"HEXPIRE h 100 NX FIELDS 1 a", nil},
		{"HEXPIRE nokey 100 FIELDS 1 a", nil},
		{"HPEXPIREAT h 1 FIELDS 1 b", []string{"hdel h"}},
		{"HPERSIST h FIELDS 1 a", []string{"hpersist h"}},
		{"HPERSIST h FIELDS 1 a", nil},
		{"HGETEX h EX 100 FIELDS 1 c", []string{"hexpire h"}},
		{"HGETEX h PERSIST FIELDS 1 c", []string{"hpersist h"}},
		{"HGETEX h PERSIST FIELDS 1 c", nil},
		{"HGETEX h FIELDS 1 c", nil},
		{"HGETDEL h FIELDS 2 a nofield", []string{"hdel h"}},
		{"HGETDEL h FIELDS 1 nofield", nil},
		{"HGETEX h PXAT 1 FIELDS 1 c", []string{"hdel h", "del h"}},
		{"HSETEX h2 EX 100 FIELDS 1 f v", []string{"hset h2", "hexpire h2"}},
		{"HSETEX h2 FNX FIELDS 1 f v", nil},
		{"HSETEX h2 FXX KEEPTTL FIELDS 1 f w", []string{"hset h2"}},
		{"HSETEX h2 FXX FIELDS 1 nofield w", nil},
		{"HSETEX h2 PXAT 1 FIELDS 1 f v", []string{"hset h2", "hdel h2", "del h2"}},
		// A new key is created, then loses its fields at once.
		{"HSETEX h3 PXAT 1 FIELDS 1 f v", []string{"hset h3", "hdel h3", "del h3"}},
		{"EXISTS h3", nil},
		{"HSET h4 f v g w", []string{"hset h4"}},
		{"HPEXPIREAT h4 1 FIELDS 2 f g", []string{"hdel h4", "del h4"}},
	} {
		cases = append(cases, notifyCase{notifyArgs(c.line), c.want})
	}
	runNotifyCases(t, n, cases)
}

// TestNotifyHashFieldsExpiredOnAccess pins "hexpired" for fields a command
// finds expired, then "del" when that empties the hash, before the
// command's own event.
func TestNotifyHashFieldsExpiredOnAccess(t *testing.T) {
	n := newNotifyClient(t, startTestServer(t, func(cfg *config.Config) { cfg.ActiveExpireEnabled = false }))
	// expireSoon gives fields a 1 ms TTL and waits for it to pass.
	expireSoon := func(key string, fields ...string) {
		t.Helper()
		args := append([]string{"HPEXPIRE", key, "1", "FIELDS", strconv.Itoa(len(fields))}, fields...)
		if got := n.events(args...); strings.Join(got, ",") != "hexpire "+key {
			t.Fatalf("%q raised %q", args, got)
		}
		time.Sleep(5 * time.Millisecond)
	}
	steps := []struct {
		setup  []string // HSET arguments of a fresh hash; nil goes on with the last
		expire []string // key, fields
		line   string
		want   []string
	}{
		{[]string{"h", "f", "v", "g", "w"}, []string{"h", "f"}, "HGET h f", []string{"hexpired h"}},
		{nil, []string{"h", "g"}, "HMGET h g nofield", []string{"hexpired h", "del h"}},
		{[]string{"h", "f", "v", "g", "w"}, []string{"h", "f"}, "HEXISTS h f", []string{"hexpired h"}},
		{nil, []string{"h", "g"}, "HINCRBY h g 5", []string{"hexpired h", "del h", "hincrby h"}},
		{[]string{"h", "f", "v"}, []string{"h", "f"}, "HSETNX h f v", []string{"hexpired h", "del h", "hset h"}},
		{[]string{"h", "g", "w"}, []string{"h", "f", "g"}, "HRANDFIELD h", []string{"hexpired h", "del h"}},
		{[]string{"h", "f", "v", "g", "w"}, []string{"h", "f"}, "HGETDEL h FIELDS 2 f g", []string{"hexpired h", "hdel h", "del h"}},
		{[]string{"h", "f", "v", "g", "w"}, []string{"h", "f"}, "HSETEX h FNX FIELDS 1 f x", []string{"hexpired h", "hset h"}},
		{nil, []string{"h", "f"}, "HGETEX h EX 100 FIELDS 2 f g", []string{"hexpired h", "hexpire h"}},
	}
	for _, st := range steps {
		if st.setup != nil {
			n.events("DEL", st.setup[0])
			n.events(append([]string{"HSET"}, st.setup...)...)
		}
		expireSoon(st.expire[0], st.expire[1:]...)
		if got := n.events(notifyArgs(st.line)...); strings.Join(got, ", ") != strings.Join(st.want, ", ") {
			t.Errorf("%s raised %q, want %q", st.line, got, st.want)
		}
	}
}

// TestNotifyActiveHashFieldExpiry pins the events of the background field
// expiry: "hexpired" for the hash, then "del" when its last field went.
func TestNotifyActiveHashFieldExpiry(t *testing.T) {
	n := newNotifyClient(t, startTestServer(t))
	n.events("HSET", "h", "f", "v", "g", "w")
	n.events("HSET", "keep", "f", "v", "g", "w")
	n.events("HPEXPIRE", "keep", "1", "FIELDS", "1", "f")
	n.events("HPEXPIRE", "h", "1", "FIELDS", "2", "f", "g")
	var got []string
	deadline := time.Now().Add(5 * time.Second)
	for len(got) < 3 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		got = append(got, n.until()...)
	}
	// The two hashes may expire in either order; each one's events are in
	// order.
	var h, keep []string
	for _, e := range got {
		if strings.HasSuffix(e, " keep") {
			keep = append(keep, e)
		} else {
			h = append(h, e)
		}
	}
	if strings.Join(h, ", ") != "hexpired h, del h" || strings.Join(keep, ", ") != "hexpired keep" {
		t.Fatalf("active field expiry raised %q", got)
	}
}

// A RESP3 client subscribed to its own keyspace's events gets the ones its
// command raises below the command itself (a key created, a key found
// expired) before the command's reply, as Redis writes them.
func TestOwnEventsFromBelowTheCommandPrecedeItsReply(t *testing.T) {
	s := startTestServer(t, func(c *config.Config) { c.ActiveExpireEnabled = false })
	c := dialRaw(t, s)
	c.Do("HELLO", "3")
	c.Do("CONFIG", "SET", "notify-keyspace-events", "KEAn")
	c.Send(encode("SUBSCRIBE", "__keyevent@0__:new", "__keyevent@0__:expired"))
	c.Read()
	c.Read()
	push := func(event, key string) string {
		ch := "__keyevent@0__:" + event
		return ">3\r\n$7\r\nmessage\r\n$" + strconv.Itoa(len(ch)) + "\r\n" + ch + "\r\n$" + strconv.Itoa(len(key)) + "\r\n" + key + "\r\n"
	}
	for _, step := range []struct {
		args []string
		want []string
	}{
		{[]string{"SET", "nk", "v"}, []string{push("new", "nk"), "+OK\r\n"}},
		{[]string{"SET", "ek", "v", "PX", "1"}, []string{push("new", "ek"), "+OK\r\n"}},
		{[]string{"GET", "ek"}, []string{push("expired", "ek"), "_\r\n"}},
	} {
		if step.args[0] == "GET" {
			time.Sleep(5 * time.Millisecond)
		}
		c.Send(encode(step.args...))
		for i, want := range step.want {
			if got := c.Read(); got != want {
				t.Fatalf("%q, reply %d: got %q, want %q", step.args, i, got, want)
			}
		}
	}
}

// With A set, CONFIG GET prints notify-keyspace-events without n (KEA for
// KEAn), but setting KEAn after KEA is still a change: "new" events start.
func TestNotifyNewFlagAddedBehindAIsApplied(t *testing.T) {
	s := startTestServer(t)
	n := newNotifyClient(t, s) // KEA
	runNotifyCases(t, n, []notifyCase{
		{[]string{"CONFIG", "SET", "notify-keyspace-events", "KEAn"}, nil},
		{[]string{"SET", "a", "1"}, []string{"new a", "set a"}},
		{[]string{"CONFIG", "SET", "notify-keyspace-events", "KEA"}, nil},
		{[]string{"SET", "b", "1"}, []string{"set b"}},
	})
}
