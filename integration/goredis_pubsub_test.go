package integration

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"petrel/integration/harness"
)

// Pub/sub and client-side caching end to end with go-redis v9, in RESP2
// and RESP3, against Petrel and the reference redis-server.

// psReceive reads the next push of any kind, failing the test on error.
func psReceive(t *testing.T, ctx context.Context, ps *redis.PubSub) any {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	v, err := ps.Receive(ctx)
	if err != nil {
		t.Fatalf("Receive: %v", err)
	}
	return v
}

func TestGoRedisPubSubSubscribePublishReceive(t *testing.T) {
	forEachServerAndProtocol(t, func(t *testing.T, srv *harness.Server, rdb *redis.Client) {
		ctx := ctxT(t)
		ps := rdb.Subscribe(ctx, "news", "sport")
		defer ps.Close()
		eq(t, "first confirmation", psReceive(t, ctx, ps), nil, any(&redis.Subscription{Kind: "subscribe", Channel: "news", Count: 1}))
		eq(t, "second confirmation", psReceive(t, ctx, ps), nil, any(&redis.Subscription{Kind: "subscribe", Channel: "sport", Count: 2}))
		if err := ps.PSubscribe(ctx, "n*", "*t"); err != nil {
			t.Fatal(err)
		}
		eq(t, "pattern confirmation", psReceive(t, ctx, ps), nil, any(&redis.Subscription{Kind: "psubscribe", Channel: "n*", Count: 3}))
		eq(t, "pattern confirmation", psReceive(t, ctx, ps), nil, any(&redis.Subscription{Kind: "psubscribe", Channel: "*t", Count: 4}))
		if err := ps.SSubscribe(ctx, "shard"); err != nil {
			t.Fatal(err)
		}
		eq(t, "shard confirmation", psReceive(t, ctx, ps), nil, any(&redis.Subscription{Kind: "ssubscribe", Channel: "shard", Count: 1}))

		n, err := rdb.Publish(ctx, "news", "hello").Result()
		eq(t, "PUBLISH news (channel and pattern)", n, err, int64(2))
		eq(t, "message", psReceive(t, ctx, ps), nil, any(&redis.Message{Channel: "news", Payload: "hello"}))
		eq(t, "pmessage", psReceive(t, ctx, ps), nil, any(&redis.Message{Channel: "news", Pattern: "n*", Payload: "hello"}))

		n, err = rdb.Publish(ctx, "nobody", "x").Result()
		eq(t, "PUBLISH nobody (pattern only)", n, err, int64(1))
		eq(t, "pmessage", psReceive(t, ctx, ps), nil, any(&redis.Message{Channel: "nobody", Pattern: "n*", Payload: "x"}))
		n, err = rdb.Publish(ctx, "elsewhere", "x").Result()
		eq(t, "PUBLISH elsewhere", n, err, int64(0))

		n, err = rdb.SPublish(ctx, "shard", "s").Result()
		eq(t, "SPUBLISH shard", n, err, int64(1))
		eq(t, "smessage", psReceive(t, ctx, ps), nil, any(&redis.Message{Channel: "shard", Payload: "s"}))
		n, err = rdb.Publish(ctx, "shard", "not to shard subscribers").Result()
		eq(t, "PUBLISH to a shard channel's name", n, err, int64(0))

		binary := "\x00\xff\r\n*1\r\n$0\r\n"
		for _, payload := range []string{binary, "", strings.Repeat("x", 200_000)} {
			n, err = rdb.Publish(ctx, "sport", payload).Result()
			eq(t, "PUBLISH sport", n, err, int64(2))
			msg, err := ps.ReceiveMessage(ctx)
			if err != nil || msg.Channel != "sport" || msg.Pattern != "" || msg.Payload != payload {
				t.Fatalf("message of %d bytes: %+v, %v", len(payload), msg, err)
			}
			msg, err = ps.ReceiveMessage(ctx)
			if err != nil || msg.Channel != "sport" || msg.Pattern != "*t" || msg.Payload != payload {
				t.Fatalf("pmessage of %d bytes: %+v, %v", len(payload), msg, err)
			}
		}

		if err := ps.Unsubscribe(ctx, "news"); err != nil {
			t.Fatal(err)
		}
		eq(t, "unsubscribe confirmation", psReceive(t, ctx, ps), nil, any(&redis.Subscription{Kind: "unsubscribe", Channel: "news", Count: 3}))
		if err := ps.PUnsubscribe(ctx, "n*"); err != nil {
			t.Fatal(err)
		}
		eq(t, "punsubscribe confirmation", psReceive(t, ctx, ps), nil, any(&redis.Subscription{Kind: "punsubscribe", Channel: "n*", Count: 2}))
		if err := ps.SUnsubscribe(ctx, "shard"); err != nil {
			t.Fatal(err)
		}
		eq(t, "sunsubscribe confirmation", psReceive(t, ctx, ps), nil, any(&redis.Subscription{Kind: "sunsubscribe", Channel: "shard", Count: 0}))
		n, err = rdb.Publish(ctx, "news", "gone").Result()
		eq(t, "PUBLISH news after UNSUBSCRIBE", n, err, int64(0))

		// PING on a subscribed connection answers in the subscriber form.
		if err := ps.Ping(ctx, "hi"); err != nil {
			t.Fatal(err)
		}
		eq(t, "pong", psReceive(t, ctx, ps), nil, any(&redis.Pong{Payload: "hi"}))
	})
}

func TestGoRedisPubSubIntrospection(t *testing.T) {
	forEachServerAndProtocol(t, func(t *testing.T, srv *harness.Server, rdb *redis.Client) {
		ctx := ctxT(t)
		a := rdb.Subscribe(ctx, "a1", "a2", "b1")
		defer a.Close()
		b := rdb.Subscribe(ctx, "a1")
		defer b.Close()
		c := rdb.PSubscribe(ctx, "x*", "y*")
		defer c.Close()
		d := rdb.SSubscribe(ctx, "s1", "s2")
		defer d.Close()
		for _, ps := range []*redis.PubSub{a, a, a, b, c, c, d, d} {
			psReceive(t, ctx, ps) // every confirmation, so all are registered
		}
		chans, err := rdb.PubSubChannels(ctx, "*").Result()
		sort.Strings(chans)
		eq(t, "PUBSUB CHANNELS *", chans, err, []string{"a1", "a2", "b1"})
		chans, err = rdb.PubSubChannels(ctx, "b*").Result()
		eq(t, "PUBSUB CHANNELS b*", chans, err, []string{"b1"})
		numsub, err := rdb.PubSubNumSub(ctx, "a1", "a2", "nosuch").Result()
		eq(t, "PUBSUB NUMSUB", numsub, err, map[string]int64{"a1": 2, "a2": 1, "nosuch": 0})
		numpat, err := rdb.PubSubNumPat(ctx).Result()
		eq(t, "PUBSUB NUMPAT", numpat, err, int64(2))
		shards, err := rdb.PubSubShardChannels(ctx, "*").Result()
		sort.Strings(shards)
		eq(t, "PUBSUB SHARDCHANNELS", shards, err, []string{"s1", "s2"})
		shardsub, err := rdb.PubSubShardNumSub(ctx, "s1", "s3").Result()
		eq(t, "PUBSUB SHARDNUMSUB", shardsub, err, map[string]int64{"s1": 1, "s3": 0})

		// Closing a subscriber drops its subscriptions.
		b.Close()
		c.Close()
		psWaitFor(t, "b's and c's subscriptions to go", func() bool {
			numsub, _ := rdb.PubSubNumSub(ctx, "a1").Result()
			numpat, _ := rdb.PubSubNumPat(ctx).Result()
			return numsub["a1"] == 1 && numpat == 0
		})
	})
}

// psWaitFor polls cond for up to 5 s.
func psWaitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// TestGoRedisPubSubManyMessagesInOrder publishes 10,000 messages from four
// concurrent pipelining publishers to one Channel() subscriber and one
// pattern subscriber: each must get every message exactly once, and each
// publisher's messages in the order it sent them.
func TestGoRedisPubSubManyMessagesInOrder(t *testing.T) {
	const publishers, perPublisher, batch = 4, 2500, 100
	forEachServerAndProtocol(t, func(t *testing.T, srv *harness.Server, rdb *redis.Client) {
		ctx := ctxT(t)
		sub := rdb.Subscribe(ctx, "stream")
		defer sub.Close()
		psub := rdb.PSubscribe(ctx, "str*")
		defer psub.Close()
		psReceive(t, ctx, sub)
		psReceive(t, ctx, psub)

		type result struct {
			got  [publishers]int // messages received per publisher
			errs []string
		}
		collect := func(ch <-chan *redis.Message, pattern string, out *result, done chan<- struct{}) {
			defer close(done)
			next := [publishers]int{}
			for n := 0; n < publishers*perPublisher; n++ {
				select {
				case m, ok := <-ch:
					if !ok {
						out.errs = append(out.errs, "channel closed")
						return
					}
					var p, seq int
					if _, err := fmt.Sscanf(m.Payload, "p%d:%d", &p, &seq); err != nil || p < 0 || p >= publishers || m.Channel != "stream" || m.Pattern != pattern {
						out.errs = append(out.errs, fmt.Sprintf("unexpected message %+v", m))
						return
					}
					if seq != next[p] {
						out.errs = append(out.errs, fmt.Sprintf("publisher %d: got message %d, want %d", p, seq, next[p]))
						return
					}
					next[p]++
					out.got[p]++
				case <-time.After(10 * time.Second):
					out.errs = append(out.errs, fmt.Sprintf("timed out after %d messages", n))
					return
				}
			}
		}
		var plain, pat result
		plainDone, patDone := make(chan struct{}), make(chan struct{})
		subCh, psubCh := sub.Channel(redis.WithChannelSize(1000)), psub.Channel(redis.WithChannelSize(1000))
		go collect(subCh, "", &plain, plainDone)
		go collect(psubCh, "str*", &pat, patDone)

		var wg sync.WaitGroup
		pubErrs := make(chan error, publishers)
		for p := range publishers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for start := 0; start < perPublisher; start += batch {
					cmds, err := rdb.Pipelined(ctx, func(pipe redis.Pipeliner) error {
						for seq := start; seq < start+batch; seq++ {
							pipe.Publish(ctx, "stream", fmt.Sprintf("p%d:%d", p, seq))
						}
						return nil
					})
					if err != nil {
						pubErrs <- err
						return
					}
					for _, c := range cmds {
						if n, _ := c.(*redis.IntCmd).Result(); n != 2 {
							pubErrs <- fmt.Errorf("PUBLISH reached %d subscribers, want 2", n)
							return
						}
					}
				}
			}()
		}
		wg.Wait()
		close(pubErrs)
		for err := range pubErrs {
			t.Fatal(err)
		}
		<-plainDone
		<-patDone
		for _, r := range []struct {
			name string
			res  *result
		}{{"subscriber", &plain}, {"pattern subscriber", &pat}} {
			if len(r.res.errs) > 0 {
				t.Errorf("%s: %s", r.name, strings.Join(r.res.errs, "; "))
			}
			for p, n := range r.res.got {
				if n != perPublisher {
					t.Errorf("%s: %d messages from publisher %d, want %d", r.name, n, p, perPublisher)
				}
			}
		}
		// Nothing more: each message was delivered once.
		select {
		case m := <-subCh:
			t.Errorf("subscriber: unexpected extra %v", m)
		case m := <-psubCh:
			t.Errorf("pattern subscriber: unexpected extra %v", m)
		case <-time.After(200 * time.Millisecond):
		}
	})
}

// TestGoRedisPubSubSlowSubscriberDisconnected subscribes a raw connection
// that never reads and publishes to it until the server drops it at its
// pubsub output buffer limit. The server's RSS must stay bounded while it
// does, and the limit must hit long before everything published has been
// queued.
func TestGoRedisPubSubSlowSubscriberDisconnected(t *testing.T) {
	const (
		msgSize = 16 << 10
		batch   = 64 // 1 MB per pipeline
		// The limit is 1 MB; the kernel's socket buffers hold a few MB
		// more (the subscriber's receive window is kept small). Without
		// the limit, 256 MB would be queued for the subscriber.
		dropBy    = 32 << 20
		maxTotal  = 256 << 20
		rssBudget = 64 << 20
	)
	forEachServerAndProtocol(t, func(t *testing.T, srv *harness.Server, rdb *redis.Client) {
		ctx := ctxT(t)
		if err := rdb.ConfigSet(ctx, "client-output-buffer-limit", "pubsub 1mb 512kb 60").Err(); err != nil {
			t.Fatal(err)
		}
		pid, err := psServerPid(ctx, rdb)
		if err != nil {
			t.Fatal(err)
		}
		nc := dialSmallWindow(t, srv.Addr)
		rd := bufio.NewReader(nc)
		nc.SetDeadline(time.Now().Add(10 * time.Second))
		if rdb.Options().Protocol == 3 {
			nc.Write(harness.Encode("HELLO", "3"))
			if _, err := harness.ReadReply(rd); err != nil {
				t.Fatal(err)
			}
		}
		nc.Write(harness.Encode("SUBSCRIBE", "firehose"))
		if r, err := harness.ReadReply(rd); err != nil || !strings.Contains(string(r), "firehose") {
			t.Fatalf("SUBSCRIBE: %q %v", r, err)
		}
		rss0 := psRSS(t, pid)
		maxRSS := rss0
		payload := strings.Repeat("m", msgSize)
		published := 0
		for ; published < maxTotal; published += batch * msgSize {
			cmds, err := rdb.Pipelined(ctx, func(pipe redis.Pipeliner) error {
				for range batch {
					pipe.Publish(ctx, "firehose", payload)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			maxRSS = max(maxRSS, psRSS(t, pid))
			if n, _ := cmds[len(cmds)-1].(*redis.IntCmd).Result(); n == 0 {
				break // the subscriber is gone
			}
		}
		t.Logf("%s: subscriber dropped after %d MB published; RSS %d MB before, at most %d MB during",
			srv.Name, published>>20, rss0>>20, maxRSS>>20)
		if published >= maxTotal {
			t.Fatalf("the subscriber was never disconnected (%d MB published)", published>>20)
		}
		if published > dropBy {
			t.Errorf("the subscriber was disconnected only after %d MB, want at most %d MB", published>>20, dropBy>>20)
		}
		budget := rssBudget
		if harness.RaceEnabled && srv.Name == "petrel" {
			budget *= 4 // the race detector's shadow memory
		}
		if maxRSS-rss0 > budget {
			t.Errorf("RSS grew by %d MB, budget %d MB", (maxRSS-rss0)>>20, budget>>20)
		}
		numsub, err := rdb.PubSubNumSub(ctx, "firehose").Result()
		eq(t, "NUMSUB after the disconnection", numsub, err, map[string]int64{"firehose": 0})
		// The subscriber finds its connection closed once it drains what
		// the kernel had buffered.
		nc.SetReadDeadline(time.Now().Add(10 * time.Second))
		n, err := psDrain(rd)
		if !harness.IsClosed(err) {
			t.Errorf("subscriber's connection after %d bytes: %v, want closed", n, err)
		}
		if n >= published {
			t.Errorf("the subscriber received all %d bytes published", n)
		}
	})
}

// psDrain reads to the end of the stream and counts the bytes.
func psDrain(rd *bufio.Reader) (int, error) {
	buf := make([]byte, 1<<16)
	total := 0
	for {
		n, err := rd.Read(buf)
		total += n
		if err != nil {
			return total, err
		}
	}
}

// dialSmallWindow connects with a small receive buffer, so the kernel
// holds little of what a reader that never reads is sent.
func dialSmallWindow(t *testing.T, addr string) net.Conn {
	t.Helper()
	d := net.Dialer{Timeout: 5 * time.Second, Control: func(_, _ string, rc syscall.RawConn) error {
		var serr error
		err := rc.Control(func(fd uintptr) {
			serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 16<<10)
		})
		if err != nil {
			return err
		}
		return serr
	}}
	nc, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	return nc
}

// psServerPid is the server's process id from INFO server.
func psServerPid(ctx context.Context, rdb *redis.Client) (int, error) {
	info, err := rdb.Info(ctx, "server").Result()
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, "process_id:"); ok {
			return strconv.Atoi(v)
		}
	}
	return 0, fmt.Errorf("no process_id in INFO server")
}

// psRSS reads a process's resident set size from /proc.
func psRSS(t *testing.T, pid int) int {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatalf("no VmRSS for pid %d", pid)
	return 0
}

// TestTrackingInvalidationArrivesWithTheWrite checks client-side caching
// over raw RESP3: after client B's write returns, client A's invalidation
// push is already on its way, readable within a second.
func TestTrackingInvalidationArrivesWithTheWrite(t *testing.T) {
	forEachServer(t, nil, func(t *testing.T, srv *harness.Server) {
		a, b := srv.Dial(t), srv.Dial(t)
		if r := a.Do("HELLO", "3"); !strings.HasPrefix(r, "%") {
			t.Fatalf("HELLO 3: %q", r)
		}
		if r := a.Do("CLIENT", "TRACKING", "ON"); r != "+OK\r\n" {
			t.Fatalf("CLIENT TRACKING ON: %q", r)
		}
		for i := range 200 {
			key := "k" + strconv.Itoa(i%7)
			a.Do("GET", key)
			if r := b.Do("SET", key, strconv.Itoa(i)); r != "+OK\r\n" {
				t.Fatalf("SET: %q", r)
			}
			a.Timeout = time.Second
			got, err := a.Read()
			want := fmt.Sprintf(">2\r\n$10\r\ninvalidate\r\n*1\r\n$%d\r\n%s\r\n", len(key), key)
			if err != nil || string(got) != want {
				t.Fatalf("round %d: invalidation %q, %v; want %q", i, got, err, want)
			}
		}
	})
}
