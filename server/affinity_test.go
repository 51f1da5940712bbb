//go:build linux

package server

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// affinityBatch is one batch of a client's commands: each locks shards
// (nil: none; allShards: everything) for d.
type affinityBatch []struct {
	shards   []uint32
	readonly bool
	d        time.Duration
}

var allShards = []uint32{1<<32 - 1}

func writes(shard uint32, d time.Duration) affinityBatch {
	return affinityBatch{{[]uint32{shard}, false, d}}
}

func TestLoopAffinityDestination(t *testing.T) {
	const home3 = 1 // shard 3's home loop of two
	repeat := func(n int, b affinityBatch) []affinityBatch {
		out := make([]affinityBatch, n)
		for i := range out {
			out[i] = b
		}
		return out
	}
	seq := func(parts ...[]affinityBatch) []affinityBatch {
		var out []affinityBatch
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	tests := []struct {
		name    string
		batches []affinityBatch
		want    []int // the loop after each batch
	}{
		{"long writes to one shard move the client to its home loop",
			repeat(3, writes(3, 40*time.Microsecond)), []int{home3, home3, home3}},
		{"short writes leave it where it was given",
			repeat(3, writes(3, 5*time.Microsecond)), []int{0, 0, 0}},
		{"one slow batch among short ones moves nobody",
			seq(repeat(3, writes(3, 2*time.Microsecond)), repeat(1, writes(3, 100*time.Microsecond)), repeat(1, writes(3, 2*time.Microsecond))),
			[]int{0, 0, 0, 0, 0}},
		{"long reads move nobody",
			repeat(2, affinityBatch{{[]uint32{3}, true, time.Millisecond}}), []int{0, 0}},
		{"writes over several shards move nobody",
			repeat(2, affinityBatch{{[]uint32{3}, false, 40 * time.Microsecond}, {[]uint32{5}, false, 40 * time.Microsecond}}), []int{0, 0}},
		{"a command locking everything counts as several shards",
			seq(repeat(1, writes(3, 40*time.Microsecond)), repeat(1, affinityBatch{{allShards, false, time.Millisecond}})),
			[]int{home3, 0}},
		{"a command with no keys leaves the batch as it was",
			seq(repeat(1, writes(3, 40*time.Microsecond)), repeat(2, affinityBatch{{nil, false, time.Millisecond}})),
			[]int{home3, home3, home3}},
		{"a batch over several shards sends a moved client back",
			seq(repeat(1, writes(3, 40*time.Microsecond)), repeat(1, affinityBatch{{[]uint32{3}, false, time.Microsecond}, {[]uint32{4}, false, time.Microsecond}})),
			[]int{home3, 0}},
		{"a moved client goes back only once its writes are well below the line",
			seq(repeat(1, writes(3, 40*time.Microsecond)), repeat(11, writes(3, 0))),
			[]int{home3, home3, home3, home3, home3, home3, home3, home3, home3, home3, home3, 0}},
		{"moving to another shard restarts the average",
			seq(repeat(1, writes(3, 40*time.Microsecond)), repeat(1, writes(4, 40*time.Microsecond))),
			[]int{home3, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &Server{loops: []*eventLoop{{}, {}}}
			// Another client, given loop 1, made it shard 3's home.
			runAffinityBatches(s, &Client{ID: 3}, []affinityBatch{writes(3, time.Millisecond)})
			got := runAffinityBatches(s, &Client{ID: 2}, tt.batches) // given loop 0
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("loops after each batch = %v, want %v", got, tt.want)
			}
		})
	}
}

// runAffinityBatches runs c's batches through the affinity and returns the
// index of c's loop after each.
func runAffinityBatches(s *Server, c *Client, batches []affinityBatch) []int {
	cur := c.loop.Load()
	if cur == nil {
		cur = s.pickLoop(c)
	}
	var got []int
	for _, b := range batches {
		for _, cmd := range b {
			ls := &lockSet{shards: cmd.shards}
			if len(cmd.shards) == 1 && cmd.shards[0] == allShards[0] {
				ls = &lockSet{all: true}
			}
			c.aff.note(ls, cmd.readonly, cmd.d)
		}
		cur = s.destination(c, cur)
		for i, l := range s.loops {
			if l == cur {
				got = append(got, i)
			}
		}
	}
	c.loop.Store(cur)
	return got
}

func TestLoopAffinitySharesTheLoopsBetweenHotShards(t *testing.T) {
	s := &Server{loops: []*eventLoop{{}, {}}}
	hot := []affinityBatch{writes(3, time.Millisecond)}
	warm := []affinityBatch{writes(5, time.Millisecond)}
	a, b, c := &Client{ID: 2}, &Client{ID: 4}, &Client{ID: 6} // all given loop 0
	steps := []struct {
		name    string
		c       *Client
		batches []affinityBatch
		want    int
	}{
		{"the first client of a hot shard makes its own loop the shard's home", a, hot, 0},
		{"the first client of a second hot shard goes to the loop with fewer", b, warm, 1},
		{"later clients of a hot shard join its home", c, hot, 0},
	}
	for _, st := range steps {
		if got := runAffinityBatches(s, st.c, st.batches); got[len(got)-1] != st.want {
			t.Errorf("%s: loop %d, want %d", st.name, got[len(got)-1], st.want)
		}
	}
	for _, c := range []*Client{a, b, c} {
		s.homes.leave(c)
	}
	if len(s.homes.shards) != 0 || s.homes.load[0] != 0 || s.homes.load[1] != 0 {
		t.Errorf("after every client left: homes %v, load %v; want none", s.homes.shards, s.homes.load)
	}
}

// A move waits for the batch's replies: they are written from the loop
// that ran the commands, and the client goes once they are out.
func TestLoopAffinityMovesAfterTheReplies(t *testing.T) {
	s := &Server{loops: []*eventLoop{{}, {}}}
	runAffinityBatches(s, &Client{ID: 3}, []affinityBatch{writes(3, time.Millisecond)})
	c := &Client{ID: 2}
	c.aff.note(&lockSet{shards: []uint32{3}}, false, time.Millisecond)
	if got := s.destination(c, s.loops[0]); got != s.loops[1] {
		t.Fatalf("destination after a long write to shard 3 is not its home loop")
	}
	c.aff.moveTo = s.loops[1] // what after() keeps while the replies wait
	if got := s.destination(c, s.loops[0]); got != s.loops[1] {
		t.Errorf("the flush that follows forgot the move")
	}
	if c.aff.moveTo != nil {
		t.Errorf("moveTo stays set after the move")
	}
}

// Clients writing one key with long scripts end up on one loop, and every
// reply still comes back, in order, across the moves.
func TestClientsWritingOneKeyLongShareItsLoop(t *testing.T) {
	s := startLoopsServer(t, 2)
	const clients, rounds, pipeline = 6, 20, 8
	script := "for i = 1, 50 do redis.call('INCR', KEYS[1]) end return redis.call('GET', KEYS[1])"
	var wg sync.WaitGroup
	ids := make([]int64, clients)
	var conns []*rawClient
	errs := make(chan error, clients)
	for i := 0; i < clients; i++ {
		rc := dialRaw(t, s)
		id, err := strconv.ParseInt(strings.TrimSpace(strings.TrimPrefix(rc.Do("CLIENT", "ID"), ":")), 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = id
		conns = append(conns, rc)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := 0; r < rounds; r++ {
				var b []byte
				for p := 0; p < pipeline; p++ {
					b = append(b, encode("EVAL", script, "1", "hot")...)
					b = append(b, encode("ECHO", strconv.Itoa(p))...)
				}
				rc.Send(b)
				for p := 0; p < pipeline; p++ {
					if got := rc.Read(); !strings.HasPrefix(got, "$") {
						errs <- fmt.Errorf("EVAL reply %q", got)
						return
					}
					want := fmt.Sprintf("$%d\r\n%d\r\n", len(strconv.Itoa(p)), p)
					if got := rc.Read(); got != want {
						errs <- fmt.Errorf("ECHO reply %q, want %q", got, want)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	check := dialRaw(t, s)
	total := strconv.Itoa(clients * rounds * pipeline * 50)
	if got, want := check.Do("GET", "hot"), fmt.Sprintf("$%d\r\n%s\r\n", len(total), total); got != want {
		t.Fatalf("GET hot = %q, want %q", got, want)
	}
	var loops []*eventLoop
	for _, id := range ids {
		loops = append(loops, s.clientByID(id).loop.Load())
	}
	for i, l := range loops {
		if l == nil || l != loops[0] {
			t.Fatalf("client %d is served by loop %p, client 0 by %p: they did not gather", i, l, loops[0])
		}
	}
	for _, rc := range conns {
		rc.conn.Close()
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		s.homes.mu.Lock()
		left := len(s.homes.shards)
		s.homes.mu.Unlock()
		if left == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d shards still have a home after their clients closed", left)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Clients killed while they write a hot key, by another client, leave its
// home as those that close do.
func TestKilledClientsLeaveTheirLoopsHome(t *testing.T) {
	s := startLoopsServer(t, 2)
	script := "for i = 1, 50 do redis.call('INCR', KEYS[1]) end return 1"
	killer := dialRaw(t, s)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		rc := dialRaw(t, s)
		rc.Do("PING") // registered before the kill looks for it
		wg.Add(1)
		go func() {
			defer wg.Done()
			var b []byte
			for p := 0; p < 8; p++ {
				b = append(b, encode("EVAL", script, "1", "hot")...)
			}
			// until the kill closes the connection, or a bound should it not
			for end := time.Now().Add(30 * time.Second); time.Now().Before(end); {
				if _, err := rc.conn.Write(b); err != nil {
					return
				}
				rc.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
				buf := make([]byte, 4096)
				if _, err := rc.conn.Read(buf); err != nil {
					return
				}
			}
		}()
	}
	homes := func() int {
		s.homes.mu.Lock()
		defer s.homes.mu.Unlock()
		return len(s.homes.shards)
	}
	for deadline := time.Now().Add(5 * time.Second); homes() == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the writers never got a home loop")
		}
	}
	if got := killer.Do("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"); got != ":4\r\n" {
		t.Errorf("CLIENT KILL = %q, want :4", got)
	}
	wg.Wait()
	for deadline := time.Now().Add(5 * time.Second); homes() != 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d shards still have a home after their clients were killed", homes())
		}
	}
}
