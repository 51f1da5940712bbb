package server

import (
	"strings"
	"testing"
	"time"
)

// A: UNWATCH queued inside MULTI self-deadlocks EXEC.
func TestRegressionUnwatchInExec(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	c.Do("WATCH", "k")
	c.Do("MULTI")
	if r := c.Do("UNWATCH"); r != "+QUEUED\r\n" {
		t.Fatalf("unwatch: %q", r)
	}
	c.Send(encode("EXEC"))
	done := make(chan string, 1)
	go func() {
		c.conn.SetReadDeadline(time.Now().Add(2 * time.Second))
		b := make([]byte, 100)
		n, err := c.conn.Read(b)
		done <- string(b[:n]) + " err=" + errString(err)
	}()
	r := <-done
	t.Logf("EXEC reply: %q", r)
	// Other client touching k hangs too.
	d := dialRaw(t, s)
	d.Send(encode("SET", "k", "v"))
	d.conn.SetReadDeadline(time.Now().Add(time.Second))
	b := make([]byte, 100)
	n, err := d.conn.Read(b)
	t.Logf("other client SET k: %q err=%v", b[:n], err)
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// D: AUTH pipelined with a >16KiB argument.

// E: CLIENT REPLY SKIP then blocking command: reply should be skipped.
func TestRegressionReplySkipBlocking(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	d := dialRaw(t, s)
	c.Send(encode("CLIENT", "REPLY", "SKIP"))
	c.Send(encode("BLPOP", "q", "0"))
	time.Sleep(100 * time.Millisecond)
	d.Do("RPUSH", "q", "x")
	r := c.Do("PING")
	t.Logf("after SKIP+BLPOP, PING read: %q (want +PONG)", r)
	if !strings.HasPrefix(r, "+PONG") {
		t.Errorf("skipped reply was sent: %q", r)
	}
}

// G: a waiter of another type ahead starves a servable waiter.
func TestRegressionMixedWaiters(t *testing.T) {
	s := startTestServer(t)
	z := dialRaw(t, s)
	l := dialRaw(t, s)
	w := dialRaw(t, s)
	z.Send(encode("BZPOPMIN", "k", "0"))
	time.Sleep(50 * time.Millisecond)
	l.Send(encode("BLPOP", "k", "1"))
	time.Sleep(50 * time.Millisecond)
	w.Do("LPUSH", "k", "a")
	r := l.Read()
	t.Logf("BLPOP got %q (Redis: *2 k a)", r)
	t.Logf("LLEN k = %q", w.Do("LLEN", "k"))
}

// H: RENAME / MOVE / SWAPDB into a key a client waits on.
func TestRegressionRenameWakes(t *testing.T) {
	s := startTestServer(t)
	l := dialRaw(t, s)
	w := dialRaw(t, s)
	w.Do("RPUSH", "src", "a")
	l.Send(encode("BLPOP", "dst", "1"))
	time.Sleep(50 * time.Millisecond)
	w.Do("RENAME", "src", "dst")
	t.Logf("BLPOP after RENAME: %q (Redis: *2 dst a)", l.Read())

	l2 := dialRaw(t, s)
	l2.Do("SELECT", "1")
	w.Do("RPUSH", "m", "a")
	l2.Send(encode("BLPOP", "m", "1"))
	time.Sleep(50 * time.Millisecond)
	w.Do("MOVE", "m", "1")
	t.Logf("BLPOP after MOVE: %q (Redis: *2 m a)", l2.Read())

	l3 := dialRaw(t, s)
	l3.Do("SELECT", "2")
	w.Do("RPUSH", "sw", "a")
	l3.Send(encode("BLPOP", "sw", "1"))
	time.Sleep(50 * time.Millisecond)
	w.Do("SWAPDB", "0", "2")
	t.Logf("BLPOP after SWAPDB: %q (Redis: *2 sw a)", l3.Read())
}

// F: CLIENT KILL of a client waiting out CLIENT PAUSE: its write still runs.
func TestRegressionKillDuringPause(t *testing.T) {
	s := startTestServer(t)
	a := dialRaw(t, s)
	v := dialRaw(t, s)
	id := strings.TrimSpace(strings.TrimPrefix(v.Do("CLIENT", "ID"), ":"))
	a.Do("CLIENT", "PAUSE", "500", "WRITE")
	v.Send(encode("SET", "killed", "yes"))
	time.Sleep(100 * time.Millisecond)
	t.Logf("kill: %q", a.Do("CLIENT", "KILL", "ID", id))
	time.Sleep(700 * time.Millisecond)
	t.Logf("GET killed after unpause: %q (Redis: $-1)", a.Do("GET", "killed"))
}
