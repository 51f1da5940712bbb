package server

import (
	"math/bits"
	"sync/atomic"
	"time"
)

// statStripes spreads counters every command bumps over cache lines: clients
// on different cores counting the same command would otherwise pass one
// line back and forth on every call. A client counts in the stripe of its
// ID; readers add the stripes up.
const statStripes = 8

// statID is the id c counts in statistics by: a script's internal client
// counts as the client running the script, so that scripts on different
// loops do not share the internal clients' one stripe.
func (c *Client) statID() int64 {
	if c.scriptCaller != nil {
		return c.scriptCaller.c.ID
	}
	return c.ID
}

// stripe is the stripe client id counts in.
func stripe(id int64) int { return int(uint64(id) % statStripes) }

// cmdCounters are one stripe of a command's counters, a cache line of its
// own.
type cmdCounters struct {
	calls    atomic.Int64
	usec     atomic.Int64
	rejected atomic.Int64
	failed   atomic.Int64
	_        [32]byte
}

// cmdStats are one command's INFO commandstats and latencystats figures.
type cmdStats struct {
	stripes [statStripes]cmdCounters
	hist    latencyHist
}

// of returns the counters client id bumps.
func (st *cmdStats) of(id int64) *cmdCounters { return &st.stripes[stripe(id)] }

// totals adds the stripes up.
func (st *cmdStats) totals() (calls, usec, rejected, failed int64) {
	for i := range st.stripes {
		c := &st.stripes[i]
		calls += c.calls.Load()
		usec += c.usec.Load()
		rejected += c.rejected.Load()
		failed += c.failed.Load()
	}
	return
}

func (st *cmdStats) reset() {
	for i := range st.stripes {
		c := &st.stripes[i]
		c.calls.Store(0)
		c.usec.Store(0)
		c.rejected.Store(0)
		c.failed.Store(0)
	}
	st.hist.reset()
}

// stripedCounter is a server-wide counter bumped on every command, striped
// as cmdStats are.
type stripedCounter struct {
	stripes [statStripes]struct {
		n atomic.Int64
		_ [56]byte
	}
}

func (sc *stripedCounter) add(id, n int64) { sc.stripes[stripe(id)].n.Add(n) }

func (sc *stripedCounter) load() int64 {
	var n int64
	for i := range sc.stripes {
		n += sc.stripes[i].n.Load()
	}
	return n
}

func (sc *stripedCounter) reset() {
	for i := range sc.stripes {
		sc.stripes[i].n.Store(0)
	}
}

// latencyHist is a log-linear histogram of durations in nanoseconds: 64
// power-of-two ranges each split into 16 linear buckets, giving percentiles
// within about 6%, lock-free to record.
type latencyHist struct {
	counts [64 * 16]atomic.Int64
}

func (h *latencyHist) record(d time.Duration) {
	v := uint64(max(d, 1))
	e := bits.Len64(v) - 1 // v in [2^e, 2^(e+1))
	var sub uint64
	if e >= 4 {
		sub = (v >> (e - 4)) & 15
	} else {
		sub = (v << (4 - e)) & 15
	}
	h.counts[e*16+int(sub)].Add(1)
}

func (h *latencyHist) reset() {
	for i := range h.counts {
		h.counts[i].Store(0)
	}
}

func (h *latencyHist) total() int64 {
	var n int64
	for i := range h.counts {
		n += h.counts[i].Load()
	}
	return n
}

// percentile returns the upper bound of the bucket holding the p-th
// percentile, in microseconds.
func (h *latencyHist) percentile(p float64) float64 {
	n := h.total()
	if n == 0 {
		return 0
	}
	rank := int64(p / 100 * float64(n))
	if rank >= n {
		rank = n - 1
	}
	var seen int64
	for i := range h.counts {
		seen += h.counts[i].Load()
		if seen > rank {
			e, sub := i/16, uint64(i%16)
			var upper float64
			if e >= 4 {
				upper = float64((uint64(16) + sub + 1) << (e - 4))
			} else {
				upper = float64(uint64(1)<<e) * (1 + float64(sub+1)/16)
			}
			return upper / 1000
		}
	}
	return 0
}
