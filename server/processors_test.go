//go:build linux

package server

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// With one loop out of use, a hot shard's home and its clients move to the
// loops still in use, and so does a client that used no shard at all.
func TestLoopAffinityLeavesLoopsOutOfUse(t *testing.T) {
	s := &Server{loops: []*eventLoop{{}, {}}, loopCount: 2, maxProcs: 2}
	first := &Client{ID: 3} // given loop 1, makes it shard 3's home
	if got := runAffinityBatches(s, first, []affinityBatch{writes(3, time.Millisecond)}); got[0] != 1 {
		t.Fatalf("shard 3's first writer is on loop %d, want 1", got[0])
	}
	s.activeLoops.Store(1)

	if got := s.loopOf(first); got != s.loops[0] {
		t.Errorf("a client homed on a loop out of use attaches to loop %v, want loop 0", got)
	}
	second := &Client{ID: 5}
	second.loop.Store(s.loops[1])
	if got := runAffinityBatches(s, second, []affinityBatch{writes(3, time.Millisecond)}); got[0] != 0 {
		t.Errorf("a long writer of shard 3 went to loop %d, want its home's new loop 0", got[0])
	}
	if got := runAffinityBatches(s, first, []affinityBatch{writes(3, time.Millisecond)}); got[0] != 0 {
		t.Errorf("the home's first client stayed on loop %d, want 0", got[0])
	}
	if s.homes.load[0] != 2 || s.homes.load[1] != 0 {
		t.Errorf("clients homed per loop %v, want 2 on loop 0 and none on loop 1", s.homes.load)
	}
	idle := &Client{ID: 7}
	idle.loop.Store(s.loops[1])
	if got := runAffinityBatches(s, idle, []affinityBatch{{{nil, false, 0}}}); got[0] != 0 {
		t.Errorf("a client that used no shard stayed on loop %d, want 0", got[0])
	}
}

// SetProcessors(1) gathers every client, idle or busy, on the first loop,
// where each goes on being answered; SetProcessors back to the maximum
// sends each to the loop it was given first at its next command.
func TestSetProcessorsMovesClientsBetweenLoops(t *testing.T) {
	procs := runtime.GOMAXPROCS(0)
	t.Cleanup(func() { runtime.GOMAXPROCS(procs) })
	s := startLoopsServer(t, 2)
	s.maxProcs = 2
	var conns []*rawClient
	var ids []int64
	for i := 0; i < 4; i++ {
		rc := dialRaw(t, s)
		id, err := strconv.ParseInt(strings.TrimSpace(strings.TrimPrefix(rc.Do("CLIENT", "ID"), ":")), 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		conns, ids = append(conns, rc), append(ids, id)
	}
	loopsOf := func() string {
		var out []string
		for _, id := range ids {
			l := s.clientByID(id).loop.Load()
			switch l {
			case s.loops[0]:
				out = append(out, "0")
			case s.loops[1]:
				out = append(out, "1")
			default:
				out = append(out, "-")
			}
		}
		return strings.Join(out, " ")
	}
	given := func() string {
		var out []string
		for _, id := range ids {
			out = append(out, strconv.FormatInt(id%2, 10))
		}
		return strings.Join(out, " ")
	}
	waitFor := func(want string) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); loopsOf() != want; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("clients' loops %q, want %q", loopsOf(), want)
			}
		}
	}
	waitFor(given())

	s.SetProcessors(1)
	if got := runtime.GOMAXPROCS(0); got != 1 {
		t.Errorf("GOMAXPROCS = %d after SetProcessors(1)", got)
	}
	waitFor("0 0 0 0") // idle: the watchdog moves them
	// Reads, which never home a client on a shard's loop however long
	// they take (the race detector makes them long).
	for i, rc := range conns {
		if got := rc.Do("GET", fmt.Sprint("k", i)); got != "$-1\r\n" {
			t.Fatalf("GET on one loop = %q", got)
		}
	}
	if got := dialRaw(t, s).Do("PING"); got != "+PONG\r\n" {
		t.Fatalf("a new client's PING = %q", got)
	}

	s.SetProcessors(2)
	for i, rc := range conns {
		if got := rc.Do("GET", fmt.Sprint("k", i)); got != "$-1\r\n" {
			t.Fatalf("GET back on two loops = %q", got)
		}
	}
	waitFor(given())
}
