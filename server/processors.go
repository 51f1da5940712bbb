package server

import "runtime"

// SetProcessors has the server run on n of the processors it started
// with: it sets GOMAXPROCS and takes clients on a matching share of the
// event loops. Clients of the loops left out move at the end of their
// next batch, idle ones at the watchdog's next look. Loops outnumbering
// processors starve each other: a loop that always has input never parks,
// and Go's poller only looks for the other loop's input when something
// does (GOMAXPROCS=1 with two loops, redis-benchmark -P 1 on one hot key:
// p99 4.5 ms, against 0.8 with one loop).
func (s *Server) SetProcessors(n int) {
	n = max(1, min(n, s.maxProcs))
	if loops := s.loopCount; loops > 0 {
		s.activeLoops.Store(int32(max(1, (loops*n+s.maxProcs-1)/s.maxProcs)))
	}
	runtime.GOMAXPROCS(n)
}
