package server

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"petrel/config"
)

// Replies verified against redis-server 7.0.15.

func pushOrArray(proto int, n int) string {
	if proto == 3 {
		return fmt.Sprintf(">%d\r\n", n)
	}
	return fmt.Sprintf("*%d\r\n", n)
}

func TestSubscribeRepliesCountChannelsAndPatternsApartFromShardChannels(t *testing.T) {
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			s := startTestServer(t)
			c := dialRaw(t, s)
			if proto == 3 {
				c.Do("HELLO", "3")
			}
			p := pushOrArray(proto, 3)
			null := "$-1\r\n"
			if proto == 3 {
				null = "_\r\n"
			}
			steps := []struct {
				cmd  []string
				want []string
			}{
				{[]string{"SUBSCRIBE", "a", "b"}, []string{p + "$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n", p + "$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n"}},
				{[]string{"SUBSCRIBE", "a"}, []string{p + "$9\r\nsubscribe\r\n$1\r\na\r\n:2\r\n"}},
				{[]string{"PSUBSCRIBE", "x*"}, []string{p + "$10\r\npsubscribe\r\n$2\r\nx*\r\n:3\r\n"}},
				{[]string{"SSUBSCRIBE", "s1"}, []string{p + "$10\r\nssubscribe\r\n$2\r\ns1\r\n:1\r\n"}},
				{[]string{"UNSUBSCRIBE", "a", "zz"}, []string{p + "$11\r\nunsubscribe\r\n$1\r\na\r\n:2\r\n", p + "$11\r\nunsubscribe\r\n$2\r\nzz\r\n:2\r\n"}},
				{[]string{"SUNSUBSCRIBE"}, []string{p + "$12\r\nsunsubscribe\r\n$2\r\ns1\r\n:0\r\n"}},
				{[]string{"SUNSUBSCRIBE"}, []string{p + "$12\r\nsunsubscribe\r\n" + null + ":0\r\n"}},
				{[]string{"PUNSUBSCRIBE"}, []string{p + "$12\r\npunsubscribe\r\n$2\r\nx*\r\n:1\r\n"}},
				{[]string{"UNSUBSCRIBE"}, []string{p + "$11\r\nunsubscribe\r\n$1\r\nb\r\n:0\r\n"}},
				{[]string{"UNSUBSCRIBE"}, []string{p + "$11\r\nunsubscribe\r\n" + null + ":0\r\n"}},
			}
			for _, st := range steps {
				c.Send(encode(st.cmd...))
				for _, w := range st.want {
					if got := c.Read(); got != w {
						t.Errorf("%q: got %q, want %q", st.cmd, got, w)
					}
				}
			}
		})
	}
}

func TestSubscribedRESP2ClientMayOnlyRunSubscriptionCommands(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	c.Do("SUBSCRIBE", "a")
	runCases(t, c, []replyCase{
		{[]string{"GET", "a"}, "-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n"},
		{[]string{"HELLO", "3"}, "-ERR Can't execute 'hello': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n"},
		{[]string{"CLIENT", "LIST"}, "-ERR Can't execute 'client|list': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n"},
		{[]string{"PING"}, "*2\r\n$4\r\npong\r\n$0\r\n\r\n"},
		{[]string{"PING", "hi"}, "*2\r\n$4\r\npong\r\n$2\r\nhi\r\n"},
		{[]string{"RESET"}, "+RESET\r\n"},
		{[]string{"GET", "a"}, "$-1\r\n"},
		{[]string{"PING"}, "+PONG\r\n"},
	})
	// only shard channels: still the subscribed context
	c.Do("SSUBSCRIBE", "s")
	runCases(t, c, []replyCase{
		{[]string{"GET", "a"}, "-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n"},
		{[]string{"SUNSUBSCRIBE", "s"}, "*3\r\n$12\r\nsunsubscribe\r\n$1\r\ns\r\n:0\r\n"},
		{[]string{"GET", "a"}, "$-1\r\n"},
	})
}

func TestSubscribedRESP3ClientRunsAnyCommand(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	c.Do("HELLO", "3")
	c.Do("SUBSCRIBE", "a")
	runCases(t, c, []replyCase{
		{[]string{"SET", "k", "v"}, "+OK\r\n"},
		{[]string{"GET", "k"}, "$1\r\nv\r\n"},
		{[]string{"PING"}, "+PONG\r\n"},
	})
	pub := dialRaw(t, s)
	if got := pub.Do("PUBLISH", "a", "hello"); got != ":1\r\n" {
		t.Fatalf("PUBLISH: %q", got)
	}
	if got := c.Read(); got != ">3\r\n$7\r\nmessage\r\n$1\r\na\r\n$5\r\nhello\r\n" {
		t.Fatalf("push: %q", got)
	}
	if got := c.Do("GET", "k"); got != "$1\r\nv\r\n" {
		t.Fatalf("GET after push: %q", got)
	}
}

func TestPublishCountsEveryMatchingPatternSubscription(t *testing.T) {
	s := startTestServer(t)
	sub := dialRaw(t, s)
	sub.Send(encode("SUBSCRIBE", "ch"))
	sub.Read()
	sub.Send(encode("PSUBSCRIBE", "c*", "*h", "nomatch"))
	sub.Read()
	sub.Read()
	sub.Read()
	other := dialRaw(t, s)
	other.Do("PSUBSCRIBE", "c?")
	pub := dialRaw(t, s)
	runCases(t, pub, []replyCase{
		{[]string{"PUBLISH", "ch", "m"}, ":4\r\n"},
		{[]string{"PUBLISH", "nobody", "m"}, ":0\r\n"},
		{[]string{"SPUBLISH", "ch", "m"}, ":0\r\n"},
		{[]string{"PUBSUB", "NUMPAT"}, ":4\r\n"},
		{[]string{"PUBSUB", "NUMSUB", "ch", "c*", "x"}, "*6\r\n$2\r\nch\r\n:1\r\n$2\r\nc*\r\n:0\r\n$1\r\nx\r\n:0\r\n"},
		{[]string{"PUBSUB", "CHANNELS"}, "*1\r\n$2\r\nch\r\n"},
		{[]string{"PUBSUB", "CHANNELS", "x*"}, "*0\r\n"},
		{[]string{"PUBSUB", "CHANNELS", "a", "b"}, "-ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB HELP.\r\n"},
		{[]string{"PUBSUB", "SHARDCHANNELS"}, "*0\r\n"},
		{[]string{"PUBSUB", "SHARDNUMSUB", "x"}, "*2\r\n$1\r\nx\r\n:0\r\n"},
		{[]string{"PUBSUB", "NUMPAT", "x"}, "-ERR wrong number of arguments for 'pubsub|numpat' command\r\n"},
		{[]string{"PUBLISH", "a"}, "-ERR wrong number of arguments for 'publish' command\r\n"},
	})
	// the channel subscription first, then one pmessage per matching pattern
	if got := sub.Read(); got != "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$1\r\nm\r\n" {
		t.Fatalf("message: %q", got)
	}
	pm := []string{sub.Read(), sub.Read()}
	sort.Strings(pm)
	want := []string{"*4\r\n$8\r\npmessage\r\n$2\r\n*h\r\n$2\r\nch\r\n$1\r\nm\r\n", "*4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$2\r\nch\r\n$1\r\nm\r\n"}
	if pm[0] != want[0] || pm[1] != want[1] {
		t.Fatalf("pmessages: %q", pm)
	}
	if got := other.Read(); got != "*4\r\n$8\r\npmessage\r\n$2\r\nc?\r\n$2\r\nch\r\n$1\r\nm\r\n" {
		t.Fatalf("other: %q", got)
	}
}

// One publisher's messages go through a Delivery it reuses: a pipeline of
// messages of different lengths, on a channel and a shard channel, reaches
// RESP2 and RESP3 subscribers each exactly as sent, in order.
func TestPipelinedPublishesReachEverySubscriberIntact(t *testing.T) {
	s := startTestServer(t)
	sub2, sub3 := dialRaw(t, s), dialRaw(t, s)
	sub3.Do("HELLO", "3")
	for _, c := range []*rawClient{sub2, sub3} {
		c.Send(encode("SUBSCRIBE", "ch"))
		c.Read()
		c.Send(encode("SSUBSCRIBE", "ch"))
		c.Read()
	}
	payloads := []string{strings.Repeat("long", 40), "s", "", strings.Repeat("x", 1000), "mid-length"}
	pub := dialRaw(t, s)
	var batch []byte
	for _, p := range payloads {
		batch = append(batch, encode("PUBLISH", "ch", p)...)
		batch = append(batch, encode("SPUBLISH", "ch", p)...)
	}
	pub.Send(batch)
	for range payloads {
		pub.Read()
		pub.Read()
	}
	for _, c := range []struct {
		conn *rawClient
		head string
	}{{sub2, "*3\r\n"}, {sub3, ">3\r\n"}} {
		for _, p := range payloads {
			for _, kind := range []string{"message", "smessage"} {
				want := fmt.Sprintf("%s$%d\r\n%s\r\n$2\r\nch\r\n$%d\r\n%s\r\n", c.head, len(kind), kind, len(p), p)
				if got := c.conn.Read(); got != want {
					t.Fatalf("got %q, want %q", got, want)
				}
			}
		}
	}
}

func TestShardMessagesReachShardSubscribersOnly(t *testing.T) {
	s := startTestServer(t)
	sub := dialRaw(t, s)
	sub.Do("HELLO", "3")
	sub.Do("SSUBSCRIBE", "sc")
	pub := dialRaw(t, s)
	runCases(t, pub, []replyCase{
		{[]string{"PUBLISH", "sc", "x"}, ":0\r\n"},
		{[]string{"SPUBLISH", "sc", "y"}, ":1\r\n"},
		{[]string{"PUBSUB", "SHARDCHANNELS"}, "*1\r\n$2\r\nsc\r\n"},
		{[]string{"PUBSUB", "SHARDNUMSUB", "sc"}, "*2\r\n$2\r\nsc\r\n:1\r\n"},
	})
	if got := sub.Read(); got != ">3\r\n$8\r\nsmessage\r\n$2\r\nsc\r\n$1\r\ny\r\n" {
		t.Fatalf("smessage: %q", got)
	}
}

// TestMessageNeverOvertakesTheSubscribeReply pins the output ordering: a
// message published right after the subscription exists must reach the
// client after the SUBSCRIBE reply, never before it.
func TestMessageNeverOvertakesTheSubscribeReply(t *testing.T) {
	s := startTestServer(t)
	pub := dialRaw(t, s)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			pub.Send(encode("PUBLISH", "race", "m"))
			pub.Read()
		}
	}()
	defer func() { close(stop); wg.Wait() }()
	for i := 0; i < 200; i++ {
		c := dialRaw(t, s)
		c.Send(encode("SUBSCRIBE", "race"))
		if got := c.Read(); !strings.Contains(got, "subscribe") {
			t.Fatalf("round %d: first reply %q", i, got)
		}
		c.conn.Close()
	}
}

// TestSlowSubscriberIsDisconnectedAtItsOutputLimit shows a subscriber that
// never reads cannot make the server buffer more than its limit for it.
func TestSlowSubscriberIsDisconnectedAtItsOutputLimit(t *testing.T) {
	s := startTestServer(t, func(c *config.Config) {
		c.ClientOutputBufferLimits[config.ClientPubSub] = config.OutputBufferLimit{Hard: 256 << 10, Soft: 0}
	})
	slow := dialRaw(t, s)
	slow.Do("SUBSCRIBE", "flood")
	pub := dialRaw(t, s)
	msg := strings.Repeat("x", 4096)
	deadline := time.Now().Add(10 * time.Second)
	for sent := 0; ; sent++ {
		if pub.Do("PUBLISH", "flood", msg) == ":0\r\n" {
			break // the slow subscriber is gone
		}
		if time.Now().After(deadline) {
			t.Fatalf("subscriber still connected after %d messages", sent)
		}
		if sent%256 == 0 {
			checkPendingBelow(t, s, 256<<10)
		}
	}
	if got := pub.Do("PUBSUB", "NUMSUB", "flood"); got != "*2\r\n$5\r\nflood\r\n:0\r\n" {
		t.Fatalf("NUMSUB after disconnect: %q", got)
	}
}

func checkPendingBelow(t *testing.T, s *Server, limit int) {
	t.Helper()
	s.clientsMu.Lock()
	defer s.clientsMu.Unlock()
	for _, c := range s.clients {
		c.infoMu.Lock()
		n := len(c.async)
		c.infoMu.Unlock()
		if n > limit {
			t.Fatalf("client %d has %d bytes pending, limit %d", c.ID, n, limit)
		}
	}
}

func TestClientListShowsSubscriptions(t *testing.T) {
	s := startTestServer(t)
	sub := dialRaw(t, s)
	sub.Do("HELLO", "3")
	sub.Send(encode("SUBSCRIBE", "a", "b"))
	sub.Read()
	sub.Read()
	sub.Do("PSUBSCRIBE", "p*")
	sub.Do("SSUBSCRIBE", "s")
	got := sub.Do("CLIENT", "INFO")
	for _, want := range []string{" flags=P ", " sub=2 psub=1 ssub=1 "} {
		if !strings.Contains(got, want) {
			t.Errorf("CLIENT INFO %q lacks %q", got, want)
		}
	}
	info := dialRaw(t, s).Do("INFO", "stats")
	for _, want := range []string{"pubsub_channels:2\r\n", "pubsub_patterns:1\r\n", "pubsubshard_channels:1\r\n"} {
		if !strings.Contains(info, want) {
			t.Errorf("INFO lacks %q", want)
		}
	}
}

// TestKeyspaceEventsFromTheKeyspaceLayer pins the events raised below the
// commands: "new" on creation, "expired" on removal by TTL, "keymiss".
func TestKeyspaceEventsFromTheKeyspaceLayer(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	sub := dialRaw(t, s)
	sub.Do("PSUBSCRIBE", "__keyevent@*")
	runCases(t, c, []replyCase{
		{[]string{"CONFIG", "SET", "notify-keyspace-events", "Exnm"}, "+OK\r\n"},
		{[]string{"SET", "k", "v", "PX", "1"}, "+OK\r\n"},
		{[]string{"SET", "k2", "v"}, "+OK\r\n"},
	})
	time.Sleep(5 * time.Millisecond)
	runCases(t, c, []replyCase{{[]string{"GET", "k"}, "$-1\r\n"}})
	ev := func(event, key string) string {
		ch := "__keyevent@0__:" + event
		return fmt.Sprintf("*4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", len(ch), ch, len(key), key)
	}
	for _, want := range []string{ev("new", "k"), ev("new", "k2"), ev("expired", "k"), ev("keymiss", "k")} {
		if got := sub.Read(); got != want {
			t.Fatalf("got %q, want %q", got, want)
		}
	}
}

// TestAClosedSubscriberIsGoneOnceTheCloseIsAnswered pins Redis's order, in
// which a client is freed before anyone else is served: whoever has read
// QUIT's +OK, or CLIENT KILL's count, finds the closed client's
// subscriptions and its CLIENT LIST entry gone.
func TestAClosedSubscriberIsGoneOnceTheCloseIsAnswered(t *testing.T) {
	for _, tc := range []struct {
		name  string
		close func(sub, other *rawClient) (got, want string)
	}{
		{"QUIT", func(sub, _ *rawClient) (string, string) { return sub.Do("QUIT"), "+OK\r\n" }},
		{"CLIENT KILL", func(_, other *rawClient) (string, string) {
			return other.Do("CLIENT", "KILL", "SKIPME", "yes"), ":1\r\n"
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := startTestServer(t)
			other := dialRaw(t, s)
			for i := 0; i < 50; i++ {
				sub := dialRaw(t, s)
				sub.Do("CLIENT", "SETNAME", "closing")
				sub.Do("SUBSCRIBE", "ch")
				if got, want := tc.close(sub, other); got != want {
					t.Fatalf("%s: got %q, want %q", tc.name, got, want)
				}
				if got := other.Do("PUBLISH", "ch", "x"); got != ":0\r\n" {
					t.Fatalf("round %d: PUBLISH after %s reached %q subscribers, want :0", i, tc.name, got)
				}
				if got, want := other.Do("PUBSUB", "NUMSUB", "ch"), "*2\r\n$2\r\nch\r\n:0\r\n"; got != want {
					t.Fatalf("round %d: PUBSUB NUMSUB after %s: got %q, want %q", i, tc.name, got, want)
				}
				if got := other.Do("CLIENT", "LIST"); strings.Contains(got, "name=closing") {
					t.Fatalf("round %d: CLIENT LIST after %s still lists the client: %q", i, tc.name, got)
				}
			}
		})
	}
}
