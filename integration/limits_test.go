package integration

import (
	"strings"
	"testing"
	"time"

	"petrel/integration/harness"
)

// These tests drive the protocol limits and connection policies over raw
// sockets, against Petrel and (to pin the expectations) the reference.

// expectReplyThenClose sends data and checks the exact reply and that the
// server closes the connection afterwards.
func expectReplyThenClose(t *testing.T, c *harness.Conn, data []byte, want string) {
	t.Helper()
	if err := c.Write(data); err != nil && !harness.IsClosed(err) {
		t.Fatalf("write: %v", err)
	}
	got, closed := c.ReadAvailable(2 * time.Second)
	if string(got) != want || !closed {
		t.Errorf("after %q: got %q (closed: %v), want %q then close", truncate(string(data), 60), got, closed, want)
	}
}

func TestLimitProtoMaxBulkLen(t *testing.T) {
	forEachServer(t, []string{"--proto-max-bulk-len", "1mb"}, func(t *testing.T, srv *harness.Server) {
		c := srv.Dial(t)
		if r := c.Do("SET", "k", strings.Repeat("v", 1<<20)); r != "+OK\r\n" {
			t.Errorf("SET of exactly proto-max-bulk-len bytes = %q, want +OK", r)
		}
		expectReplyThenClose(t, srv.Dial(t), []byte("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048577\r\n"),
			"-ERR Protocol error: invalid bulk length\r\n")
		// The limit applies to the declared length: nothing is buffered first.
		if r := srv.Dial(t).Do("STRLEN", "k"); r != ":1048576\r\n" {
			t.Errorf("STRLEN = %q", r)
		}
	})
}

func TestLimitClientQueryBufferDisconnectsHugeUnfinishedCommand(t *testing.T) {
	forEachServer(t, []string{"--client-query-buffer-limit", "1mb"}, func(t *testing.T, srv *harness.Server) {
		c := srv.Dial(t)
		// A 10 MB argument is allowed by proto-max-bulk-len, but holding
		// 2 MB of it unfinished exceeds the 1 MB query buffer limit.
		payload := "*2\r\n$3\r\nSET\r\n$10000000\r\n" + strings.Repeat("a", 2_000_000)
		c.Write([]byte(payload)) // may fail with a reset once the server closes
		got, closed := c.ReadAvailable(5 * time.Second)
		if !closed || len(got) != 0 {
			t.Errorf("client holding 2MB of an unfinished command: got %q, closed %v; want closed without a reply", got, closed)
		}
		if r := srv.Dial(t).Do("PING"); r != "+PONG\r\n" {
			t.Errorf("PING from another client = %q", r)
		}
		// Complete commands bigger than the limit in total are fine when
		// each is consumed as it arrives.
		ok := srv.Dial(t)
		var b strings.Builder
		for i := 0; i < 3000; i++ {
			b.Write(harness.Encode("SET", "k", strings.Repeat("x", 1000)))
		}
		if err := ok.Write([]byte(b.String())); err != nil {
			t.Fatal(err)
		}
		if r, err := ok.ReadN(3000); err != nil || strings.Count(string(r), "+OK\r\n") != 3000 {
			t.Errorf("3MB of pipelined complete commands: %v (%d OK replies)", err, strings.Count(string(r), "+OK\r\n"))
		}
	})
}

func TestLimitMaxClients(t *testing.T) {
	forEachServer(t, []string{"--maxclients", "2"}, func(t *testing.T, srv *harness.Server) {
		// The readiness probe may still be counted for a moment.
		var a *harness.Conn
		for deadline := time.Now().Add(3 * time.Second); ; {
			a = srv.Dial(t)
			r, _ := a.Roundtrip(harness.Encode("PING"))
			if string(r) == "+PONG\r\n" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("first client: PING = %q", r)
			}
			time.Sleep(50 * time.Millisecond)
		}
		b := srv.Dial(t)
		if r := b.Do("PING"); r != "+PONG\r\n" {
			t.Fatalf("second client: PING = %q", r)
		}
		third := srv.Dial(t)
		got, closed := third.ReadAvailable(2 * time.Second)
		if string(got) != "-ERR max number of clients reached\r\n" || !closed {
			t.Errorf("third client got %q (closed %v), want the max clients error and a close", got, closed)
		}
		a.Close()
		for deadline := time.Now().Add(3 * time.Second); ; {
			c := srv.Dial(t)
			r, _ := c.Roundtrip(harness.Encode("PING"))
			if string(r) == "+PONG\r\n" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("after a client left, a new client still gets %q", r)
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}

func TestLimitIdleTimeoutClosesIdleClients(t *testing.T) {
	forEachServer(t, []string{"--timeout", "1"}, func(t *testing.T, srv *harness.Server) {
		idle := srv.Dial(t)
		busy := srv.Dial(t)
		if r := idle.Do("PING"); r != "+PONG\r\n" {
			t.Fatalf("PING = %q", r)
		}
		start := time.Now()
		for time.Since(start) < 2500*time.Millisecond {
			if r := busy.Do("PING"); r != "+PONG\r\n" {
				t.Fatalf("active client: PING = %q after %v", r, time.Since(start))
			}
			time.Sleep(200 * time.Millisecond)
		}
		if st := idle.Probe(2 * time.Second); st != harness.Closed {
			t.Errorf("client idle for %v with timeout 1: %s, want closed", time.Since(start), st)
		}
	})
}

func TestLimitRequirePass(t *testing.T) {
	forEachServer(t, []string{"--requirepass", "s3cret"}, func(t *testing.T, srv *harness.Server) {
		c := srv.Dial(t)
		for _, cmd := range [][]string{{"PING"}, {"GET", "k"}, {"SET", "k", "v"}, {"CLIENT", "LIST"}} {
			if r := c.Do(cmd...); r != "-NOAUTH Authentication required.\r\n" {
				t.Errorf("%q before AUTH = %q", cmd, r)
			}
		}
		// Redis looks the command up before checking authentication.
		if r := c.Do("NOSUCH"); r != "-ERR unknown command 'NOSUCH', with args beginning with: \r\n" {
			t.Errorf("unknown command before AUTH = %q", r)
		}
		if r := c.Do("AUTH", "wrong"); r != "-WRONGPASS invalid username-password pair or user is disabled.\r\n" {
			t.Errorf("AUTH wrong = %q", r)
		}
		if r := c.Do("AUTH", "s3cret"); r != "+OK\r\n" {
			t.Errorf("AUTH = %q", r)
		}
		if r := c.Do("SET", "k", strings.Repeat("v", 20000)); r != "+OK\r\n" {
			t.Errorf("SET of 20000 bytes after AUTH = %q", r)
		}
		expectReplyThenClose(t, srv.Dial(t), []byte("*11\r\n"), "-ERR Protocol error: unauthenticated multibulk length\r\n")
		expectReplyThenClose(t, srv.Dial(t), []byte("*2\r\n$3\r\nGET\r\n$16385\r\n"), "-ERR Protocol error: unauthenticated bulk length\r\n")
		h := srv.Dial(t)
		if r := h.Do("HELLO", "3", "AUTH", "default", "s3cret"); !strings.HasPrefix(r, "%7\r\n$6\r\nserver\r\n") {
			t.Errorf("HELLO 3 AUTH = %q", r)
		}
		if r := h.Do("GET", "nosuch"); r != "_\r\n" {
			t.Errorf("GET after HELLO 3 AUTH = %q, want a RESP3 null", r)
		}
	})
}
