package server

import (
	"petrel/store"

	"fmt"
	"strings"
	"testing"
	"time"
)

// Effects buffered just as logging is turned off are owed to no one: a
// client waiting for them to be durable is released, not left spinning.
func TestWaitDurableReturnsAfterLoggingStops(t *testing.T) {
	s, _ := startAOFServer(t)
	c := dialRaw(t, s)
	if got := c.Do("CONFIG", "SET", "appendonly", "no"); got != "+OK\r\n" {
		t.Fatalf("CONFIG SET appendonly no: %q", got)
	}
	end := s.aof.appendOps([]propOp{{db: 0, args: [][]byte{[]byte("SET"), []byte("k"), []byte("v")}}})
	done := make(chan struct{})
	go func() {
		s.waitDurable(end)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("waitDurable never returned for effects buffered after the log was closed")
	}
}

// FUNCTION LOAD lands on one side of a rewrite's barrier: in the new base
// or in the new incremental file, never in both (a library loaded twice
// fails the replay) and never in neither.
func TestFunctionLoadDuringRewriteIsLoggedOnce(t *testing.T) {
	s, _ := startAOFServer(t)
	c := dialRaw(t, s)
	l := dialRaw(t, s)
	const libs = 40
	done := make(chan string, 1)
	go func() {
		for i := 0; i < libs; i++ {
			code := fmt.Sprintf("#!lua name=lib%d\nredis.register_function('f%d', function() return %d end)", i, i, i)
			name := fmt.Sprintf("lib%d", i)
			if got := l.Do("FUNCTION", "LOAD", code); got != fmt.Sprintf("$%d\r\n%s\r\n", len(name), name) {
				done <- fmt.Sprintf("FUNCTION LOAD lib%d: %q", i, got)
				return
			}
		}
		done <- ""
	}()
	for running := true; running; {
		select {
		case msg := <-done:
			if msg != "" {
				t.Fatal(msg)
			}
			running = false
		default:
			got := c.Do("BGREWRITEAOF")
			if !strings.HasPrefix(got, "+Background append only file rewriting") && !strings.HasPrefix(got, "-ERR Background append only file rewriting already in progress") {
				t.Fatalf("BGREWRITEAOF: %q", got)
			}
		}
	}
	for deadline := time.Now().Add(10 * time.Second); strings.Contains(c.Do("INFO", "persistence"), "aof_rewrite_in_progress:1"); {
		if time.Now().After(deadline) {
			t.Fatal("the rewrite did not end")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if got := c.Do("DEBUG", "LOADAOF"); got != "+OK\r\n" {
		t.Fatalf("DEBUG LOADAOF: %q", got)
	}
	for i := 0; i < libs; i++ {
		if got, want := c.Do("FCALL", fmt.Sprintf("f%d", i), "0"), fmt.Sprintf(":%d\r\n", i); got != want {
			t.Fatalf("FCALL f%d after the reload: %q want %q", i, got, want)
		}
	}
}

// DEBUG LOADAOF while a rewrite finishes reads the files it found: the
// rewrite installs its new base and deletes the old files only after the
// replay.
func TestDebugLoadAOFDuringRewriteReloadsEverything(t *testing.T) {
	s, _ := startAOFServer(t)
	c := dialRaw(t, s)
	for i := 0; i < 2000; i++ {
		c.Send(encode("SET", fmt.Sprintf("key:%d", i), strings.Repeat("v", 100)))
	}
	for i := 0; i < 2000; i++ {
		c.Read()
	}
	for round := 0; round < 30; round++ {
		c.Do("BGREWRITEAOF")
		time.Sleep(time.Duration(round%6) * time.Millisecond)
		if got := c.Do("DEBUG", "LOADAOF"); got != "+OK\r\n" {
			t.Fatalf("round %d: DEBUG LOADAOF: %q", round, got)
		}
		if got := c.Do("DBSIZE"); got != ":2000\r\n" {
			t.Fatalf("round %d: DBSIZE after DEBUG LOADAOF: %q", round, got)
		}
	}
}

// A reader is answered no sooner than the writer whose value it read: a
// reply never shows data the log (with appendfsync always, the disk) does
// not hold yet, as in Redis, where no reply leaves before the fsync.
func TestReadOfUnloggedWriteWaitsForTheLog(t *testing.T) {
	s, _ := startAOFServer(t)
	writer, reader := dialRaw(t, s), dialRaw(t, s)
	a := &s.aof
	a.wmu.Lock() // a disk that does not answer
	locked := true
	defer func() {
		if locked {
			a.wmu.Unlock()
		}
	}()
	writer.Send(encode("SET", "k", "v"))
	sh := s.store.DB(0).Shard(store.ShardIndex([]byte("k")))
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		sh.Lock()
		written := s.store.DB(0).LookupNoExpire([]byte("k")) != nil
		sh.Unlock()
		if written {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("SET did not run")
		}
	}
	reader.Send(encode("GET", "k"))
	reader.conn.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	if b, err := reader.rd.Peek(1); err == nil {
		t.Fatalf("GET answered %q before the write it read was logged", b)
	}
	a.wmu.Unlock()
	locked = false
	if got := writer.Read(); got != "+OK\r\n" {
		t.Fatalf("SET: %q", got)
	}
	if got := reader.Read(); got != "$1\r\nv\r\n" {
		t.Fatalf("GET: %q", got)
	}
}
