package server

import (
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"petrel/config"
)

// startOneLoopServer runs a server whose clients all share one event loop,
// so that anything one of them waits for could hold up the others.
func startOneLoopServer(t *testing.T, mutate ...func(*config.Config)) *Server {
	t.Helper()
	return startLoopsServer(t, 1, mutate...)
}

// startLoopsServer runs a server with n event loops.
func startLoopsServer(t *testing.T, n int, mutate ...func(*config.Config)) *Server {
	t.Helper()
	cfg := config.Defaults()
	cfg.Port = 0
	cfg.Bind = []string{"127.0.0.1"}
	cfg.Dir = t.TempDir()
	for _, m := range mutate {
		m(cfg)
	}
	s := New(cfg, NewLogger(io.Discard, LogWarning))
	s.loopCount = n
	if err := s.ListenOn("tcp", "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	go s.Serve()
	t.Cleanup(s.Close)
	return s
}

// replyPending reports whether c has no reply to read yet.
func replyPending(c *rawClient) bool {
	c.conn.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
	_, err := c.rd.Peek(1)
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func TestAClientThatWaitsDoesNotHoldUpTheOthersOnItsLoop(t *testing.T) {
	s := startOneLoopServer(t, func(c *config.Config) { c.BusyReplyThreshold = 100; c.EnableDebugCommand = "yes" })
	setup := dialRaw(t, s)
	setup.Do("SET", "big", strings.Repeat("x", 1<<20))
	tests := []struct {
		name   string
		waiter []string // sent by the first client, which then waits
		other  []string // the second client's command, answered meanwhile
		want   string
		end    []string // what lets the first client go, from the second
		reply  string   // the first client's reply in the end
	}{
		{"a blocking pop", []string{"BLPOP", "queue", "0"}, []string{"PING"}, "+PONG\r\n",
			[]string{"RPUSH", "queue", "job"}, "*2\r\n$5\r\nqueue\r\n$3\r\njob\r\n"},
		{"a long command", []string{"DEBUG", "SLEEP", "0.5"}, []string{"PING"}, "+PONG\r\n",
			nil, "+OK\r\n"},
		{"a busy script", []string{"EVAL", "while true do end", "0"}, []string{"GET", "k"},
			"-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n",
			[]string{"SCRIPT", "KILL"}, "-ERR Error running script (call to f_d7b38dc5ea3ab9c1bcb2d1bf2e1a8b8e8ed3b4ab): @user_script:1: Script killed by user with SCRIPT KILL...\r\n"},
		{"a paused write", []string{"SET", "k", "v"}, []string{"GET", "k"}, "$-1\r\n",
			[]string{"CLIENT", "UNPAUSE"}, "+OK\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			waiter, other := dialRaw(t, s), dialRaw(t, s)
			waiter.Do("PING")
			other.Do("PING")
			if tt.name == "a paused write" {
				other.Do("CLIENT", "PAUSE", "10000", "WRITE")
			}
			waiter.Send(encode(tt.waiter...))
			time.Sleep(150 * time.Millisecond) // the script passes the threshold
			if r := other.Do(tt.other...); r != tt.want {
				t.Errorf("%q while the other client waits = %q, want %q", tt.other, r, tt.want)
			}
			if !replyPending(waiter) {
				t.Fatalf("%q answered before anything let it go", tt.waiter)
			}
			if tt.end != nil {
				other.Do(tt.end...)
			}
			r := waiter.Read()
			if strings.HasPrefix(tt.reply, "-ERR Error running script") {
				if !strings.Contains(r, "Script killed by user with SCRIPT KILL") {
					t.Errorf("%q = %q, want it killed", tt.waiter, r)
				}
			} else if r != tt.reply {
				t.Errorf("%q = %q, want %q", tt.waiter, r, tt.reply)
			}
			if r := waiter.Do("PING"); r != "+PONG\r\n" {
				t.Errorf("PING after the wait = %q", r)
			}
		})
	}
}

func TestASlowReaderGetsEveryByteWithoutHoldingUpItsLoop(t *testing.T) {
	s := startOneLoopServer(t)
	slow, other := dialRaw(t, s), dialRaw(t, s)
	value := strings.Repeat("v", 1<<20)
	if r := other.Do("SET", "big", value); r != "+OK\r\n" {
		t.Fatalf("SET = %q", r)
	}
	const gets = 64 // far more than socket buffers hold
	var batch []byte
	for i := 0; i < gets; i++ {
		batch = append(batch, encode("GET", "big")...)
	}
	slow.Send(batch)
	time.Sleep(100 * time.Millisecond)
	if r := other.Do("PING"); r != "+PONG\r\n" {
		t.Errorf("PING while another client does not read = %q", r)
	}
	want := "$1048576\r\n" + value + "\r\n"
	for i := 0; i < gets; i++ {
		if r := slow.Read(); r != want {
			t.Fatalf("reply %d: %d bytes, want %d", i, len(r), len(want))
		}
	}
	if r := slow.Do("PING"); r != "+PONG\r\n" {
		t.Errorf("PING after the replies = %q", r)
	}
}

func TestRepliesHeldForTheEndOfTheBatchGoOutWhenOneClientCannotTakeItsOwn(t *testing.T) {
	s := startOneLoopServer(t, func(c *config.Config) { c.EnableDebugCommand = "yes" })
	setup, busy := dialRaw(t, s), dialRaw(t, s)
	value := strings.Repeat("v", 1<<18)
	setup.Do("SET", "big", value)
	var batch []byte
	for i := 0; i < 32; i++ { // more than socket buffers hold, made quickly
		batch = append(batch, encode("GET", "big")...)
	}
	// While the loop is busy, the slow client sends, then the others: the
	// next batch serves them in that order, and the slow one's write, which
	// the socket cannot take, comes before theirs.
	for round := 0; round < 5; round++ {
		slow := dialRaw(t, s)
		others := make([]*rawClient, 8)
		for i := range others {
			others[i] = dialRaw(t, s)
			others[i].Do("PING")
		}
		busy.Send(encode("DEBUG", "SLEEP", "0.005"))
		time.Sleep(time.Millisecond)
		slow.Send(batch)
		for _, o := range others {
			o.Send(encode("ECHO", "hello"))
		}
		if r := busy.Read(); r != "+OK\r\n" {
			t.Fatalf("DEBUG SLEEP = %q", r)
		}
		for i, o := range others {
			if r := o.Read(); r != "$5\r\nhello\r\n" {
				t.Fatalf("round %d, client %d: ECHO = %q while another does not read", round, i, r)
			}
		}
		want := "$262144\r\n" + value + "\r\n"
		for i := 0; i < 32; i++ {
			if r := slow.Read(); r != want {
				t.Fatalf("round %d, reply %d: %d bytes, want %d", round, i, len(r), len(want))
			}
		}
		for i, o := range append(others, slow) {
			if r := o.Do("PING"); r != "+PONG\r\n" {
				t.Fatalf("round %d, client %d: PING after = %q", round, i, r)
			}
		}
	}
}

func TestAClientKilledWhileIdleOnItsLoopIsGone(t *testing.T) {
	s := startOneLoopServer(t)
	idle, killer := dialRaw(t, s), dialRaw(t, s)
	id := strings.TrimSuffix(strings.TrimPrefix(idle.Do("CLIENT", "ID"), ":"), "\r\n")
	if r := killer.Do("CLIENT", "KILL", "ID", id); r != ":1\r\n" {
		t.Fatalf("CLIENT KILL ID %s = %q", id, r)
	}
	idle.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := idle.rd.ReadByte(); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("killed client's connection: %v, want it closed", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		r := killer.Do("CLIENT", "LIST")
		if strings.Count(r, "id=") == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("CLIENT LIST still shows the killed client: %q", r)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestTheIdleTimeoutSetAtRunTimeClosesClientsOnLoops(t *testing.T) {
	s := startOneLoopServer(t)
	idle, setter := dialRaw(t, s), dialRaw(t, s)
	idle.Do("PING")
	if r := setter.Do("CONFIG", "SET", "timeout", "1"); r != "+OK\r\n" {
		t.Fatalf("CONFIG SET timeout 1 = %q", r)
	}
	idle.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := idle.rd.ReadByte(); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("client idle past the timeout: %v, want it closed", err)
	}
}

func TestCommandsPipelinedAfterABlockingOneRunOnceItIsServed(t *testing.T) {
	s := startOneLoopServer(t)
	waiter, pusher := dialRaw(t, s), dialRaw(t, s)
	var batch []byte
	batch = append(batch, encode("BLPOP", "queue", "0")...)
	batch = append(batch, encode("SET", "after", "1")...)
	batch = append(batch, encode("GET", "after")...)
	waiter.Send(batch)
	time.Sleep(50 * time.Millisecond)
	if r := pusher.Do("GET", "after"); r != "$-1\r\n" {
		t.Errorf("GET after, while the pipeline's BLPOP waits = %q, want nil", r)
	}
	pusher.Do("RPUSH", "queue", "job")
	for _, want := range []string{"*2\r\n$5\r\nqueue\r\n$3\r\njob\r\n", "+OK\r\n", "$1\r\n1\r\n"} {
		if r := waiter.Read(); r != want {
			t.Errorf("reply = %q, want %q", r, want)
		}
	}
}
