package server

import (
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Loop affinity. Clients whose batches spend long writing one shard are
// moved to that shard's home loop: with the clients of one hot key spread
// over the loops, the loops take turns on the key's data and each turn
// starts with cache misses on the other processor (ZADD into a set of half
// a million members at -P 16: 5.3-5.9 µs of CPU per request over two
// loops, 4.3-4.5 on one). Short commands stay spread out, since their
// reads, parsing and replies gain more from the second processor than the
// shared data costs (LPOP at -P 16: a tenth slower on one loop), and so
// do reads, which leave the data shared rather than bouncing.

const (
	// affinityMinBatch is how long a client's batches' writes must hold a
	// single shard, on average, for it to move to that shard's home loop:
	// several times what reading a batch and writing its replies costs. It
	// goes back to the loop it was given first once the average is below
	// half that, so a client near the line does not move back and forth.
	affinityMinBatch = 20 * time.Microsecond
	// affinityWeight is the weight of the average's past: a batch counts for
	// 1/affinityWeight, so one batch that happened to be slow moves nobody.
	affinityWeight = 8
)

// loopAffinity is what a client's batches did with the shards.
type loopAffinity struct {
	// homed says c counts in Server.homes for homeShard. It is atomic
	// because CLIENT KILL retires a client from another's goroutine; it
	// changes under loopHomes.mu.
	homed     atomic.Bool
	homeShard uint32        // the shard c is homed on
	homeLoop  int           // ... and its loop, an index of Server.loops
	used      bool          // a command of the batch locked shards
	mixed     bool          // ... not all the same lowest one, or all of them
	first     uint32        // the batch's one shard
	writeNs   time.Duration // time the batch's writes held it
	shard     uint32        // the shard the average is about
	avg       time.Duration // moving average of writeNs for shard's batches
	moveTo    *eventLoop    // where to go once the batch's replies are written
}

// note adds a command that held the shards of ls for d to the batch. A
// command stands for the lowest shard it locks.
func (a *loopAffinity) note(ls *lockSet, readonly bool, d time.Duration) {
	switch {
	case ls.all:
		a.used, a.mixed = true, true
	case len(ls.shards) == 0:
		return // PING and the like
	case !a.used:
		a.used, a.first = true, ls.shards[0]
	case a.first != ls.shards[0]:
		a.mixed = true
	}
	if !readonly {
		a.writeNs += d
	}
}

// destination ends the batch and returns the loop c should be served by
// from now on: the home loop of the shard its writes hold long, the loop
// it was given first once they no longer do, or where it is while its
// writes are between the two (cur, which loopOf gives for such a client
// unless the loops in use changed).
func (s *Server) destination(c *Client, cur *eventLoop) *eventLoop {
	a := &c.aff
	to := a.moveTo // decided before the replies went out
	a.moveTo = nil
	if a.used {
		var sample time.Duration
		if !a.mixed {
			sample = a.writeNs
		}
		if a.mixed || a.first != a.shard {
			a.shard, a.avg = a.first, sample
		} else {
			a.avg += (sample - a.avg) / affinityWeight
		}
		switch {
		case a.mixed || a.avg < affinityMinBatch/2:
			s.homes.leave(c)
			to = s.pickLoop(c)
		case a.avg >= affinityMinBatch:
			to = s.loops[s.homes.join(c, a.shard, cur, s.loopsInUse())]
		}
		a.used, a.mixed, a.writeNs = false, false, 0
	}
	if to == nil {
		// Where it belongs otherwise, unless SetProcessors changed that.
		to = s.loopOf(c)
	}
	return to
}

// loopOf is the loop c is served by when it attaches: its shard's home
// while it has one (a client detached to wait comes back there), else the
// loop it was given first.
func (s *Server) loopOf(c *Client) *eventLoop {
	if c.aff.homed.Load() && c.aff.homeLoop < len(s.loopsInUse()) {
		return s.loops[c.aff.homeLoop]
	}
	return s.pickLoop(c)
}

// loopsInUse are the loops that take clients: the first so many of loops,
// as SetProcessors leaves them.
func (s *Server) loopsInUse() []*eventLoop {
	if n := int(s.activeLoops.Load()); n > 0 && n < len(s.loops) {
		return s.loops[:n]
	}
	return s.loops
}

// retired says l takes no clients now; those it has move to the loops in
// use.
func (s *Server) retired(l *eventLoop) bool { return !slices.Contains(s.loopsInUse(), l) }

// loopHomes gives each shard whose clients move to one loop that loop: the
// one its first such client was on, unless another loop has fewer clients
// homed on it, so that two hot keys share the loops rather than one.
type loopHomes struct {
	mu     sync.Mutex
	shards map[uint32]*loopHome
	load   map[int]int // clients homed on each loop
}

type loopHome struct{ loop, clients int }

// join homes c on shard and returns the shard's loop, an index of loops,
// the loops in use; cur is c's loop now. A home on a loop no longer in
// use moves, with all its clients.
func (h *loopHomes) join(c *Client, shard uint32, cur *eventLoop, loops []*eventLoop) int {
	a := &c.aff
	if a.homed.Load() && a.homeShard == shard && a.homeLoop < len(loops) {
		return a.homeLoop
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.leaveLocked(c)
	if h.shards == nil {
		h.shards, h.load = make(map[uint32]*loopHome), make(map[int]int)
	}
	home := h.shards[shard]
	switch {
	case home == nil:
		home = &loopHome{loop: h.leastLoaded(cur, loops)}
		h.shards[shard] = home
	case home.loop >= len(loops):
		h.load[home.loop] -= home.clients
		home.loop = h.leastLoaded(cur, loops)
		h.load[home.loop] += home.clients
	}
	home.clients++
	h.load[home.loop]++
	a.homeShard, a.homeLoop = shard, home.loop
	a.homed.Store(true)
	return home.loop
}

// leastLoaded is the loop with the fewest clients homed on it, cur's if
// that is one of them.
func (h *loopHomes) leastLoaded(cur *eventLoop, loops []*eventLoop) int {
	best := max(slices.Index(loops, cur), 0)
	for i := range loops {
		if h.load[i] < h.load[best] {
			best = i
		}
	}
	return best
}

// leave takes c out of its shard's home, if it has one.
func (h *loopHomes) leave(c *Client) {
	if !c.aff.homed.Load() {
		return
	}
	h.mu.Lock()
	h.leaveLocked(c)
	h.mu.Unlock()
}

func (h *loopHomes) leaveLocked(c *Client) {
	a := &c.aff
	if !a.homed.Load() {
		return
	}
	a.homed.Store(false)
	home := h.shards[a.homeShard]
	h.load[home.loop]--
	if home.clients--; home.clients == 0 {
		delete(h.shards, a.homeShard)
	}
}
