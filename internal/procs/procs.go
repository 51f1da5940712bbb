// Package procs keeps GOMAXPROCS at the number of processors that other
// programs leave free.
//
// Go runs as many threads as GOMAXPROCS says, whether or not the machine
// has processors to spare for them. When another program keeps some of the
// processors busy (a client on the same machine, an application sharing a
// small server, a noisy neighbour's steal time), the extra threads do not
// add work done: they wait for time slices, and every goroutine handed
// from one thread to another waits with them. On the 2-processor benchmark
// machine, with redis-benchmark using one processor, Petrel with
// GOMAXPROCS=1 answered more requests per second than with 2 in 6 of 7
// tests at -P 16, and ZADD into one big set at -P 1 had a p99 of 0.7 ms
// instead of 4.
//
// A Tuner looks at how much processor time the rest of the machine used
// in each window and moves GOMAXPROCS between 1 and its maximum, with a
// dead band and two windows of agreement so that it does not flap.
// Setting GOMAXPROCS stops the runtime's own updates of it from cgroup
// limits; the maximum is the count at start.
package procs

import (
	"context"
	"math"
	"time"
)

// Sample is the processor time used so far on the processors this process
// may run on.
type Sample struct {
	At   time.Duration // a monotonic clock reading
	Busy time.Duration // time those processors were not idle, by anyone
	Self time.Duration // this process's user and system time
}

// The tuner moves down to n processors when at most n+downSlack are free,
// and up to n when at least n-upSlack are; in between it stays. It leans
// towards fewer because its own surplus threads take time from the other
// programs, so what they use while it runs on too many understates what
// they want: redis-benchmark -P 1 used 0.72-0.88 of a processor beside
// Petrel on two, 0.92-1.04 beside Petrel on one.
const (
	downSlack = 0.5
	upSlack   = 0.2
)

// Tuner turns a series of Samples into a processor count. Its zero value
// is not usable: set CPUs and Max. It is not safe for concurrent use.
type Tuner struct {
	CPUs int // processors the process may run on
	Max  int // the most processors to use, and the count to start from

	cur  int
	want int // the previous window's choice, waiting for a second
	prev Sample
	have bool
}

// Next takes the sample that ends a window and returns the processor count
// to use from now on.
func (t *Tuner) Next(s Sample) int {
	if t.cur == 0 {
		t.cur = t.Max
	}
	prev, had := t.prev, t.have
	t.prev, t.have = s, true
	window := s.At - prev.At
	if !had || window <= 0 {
		return t.cur
	}
	others := float64((s.Busy-prev.Busy)-(s.Self-prev.Self)) / float64(window)
	others = math.Max(0, math.Min(others, float64(t.CPUs)))
	free := float64(t.CPUs) - others

	// The most processors that fit and the fewest that may; the epsilon
	// keeps 1.8 free from reading as 1.7999.
	up := int(math.Floor(free + upSlack + 1e-9))
	down := int(math.Ceil(free - downSlack - 1e-9))
	n := t.cur
	if up > t.cur {
		n = up
	} else if down < t.cur {
		n = down
	}
	n = max(1, min(n, t.Max))
	switch {
	case n == t.cur:
		t.want = 0
	case n == t.want:
		t.cur, t.want = n, 0
	default:
		t.want = n
	}
	return t.cur
}

// Run samples every interval until ctx ends and calls set whenever the
// processor count changes. read returns the next sample; a failed read
// ends Run, since the next one would fail the same way.
func Run(ctx context.Context, t *Tuner, interval time.Duration, read func() (Sample, error), set func(int)) error {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	cur := t.Max
	for {
		s, err := read()
		if err != nil {
			return err
		}
		if n := t.Next(s); n != cur {
			cur = n
			set(n)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}
