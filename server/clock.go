package server

import (
	"sync/atomic"
	"time"
)

// wallClock tells the wall-clock time from one monotonic clock read, where
// time.Now reads both clocks (twice the cost on every command). The offset
// between the two is read again by the cron, so a step of the system clock
// reaches commands within one cron period; a slew moves both clocks alike.
type wallClock struct {
	base   time.Time    // the server's start, with its monotonic reading
	offset atomic.Int64 // unix nanoseconds at base's monotonic reading
}

func (w *wallClock) init(base time.Time) {
	w.base = base
	w.offset.Store(base.UnixNano())
}

// resync reads both clocks again.
func (w *wallClock) resync() {
	t := time.Now()
	w.offset.Store(t.UnixNano() - int64(t.Sub(w.base)))
}

// elapsed is the monotonic time since base: the one clock read.
func (w *wallClock) elapsed() time.Duration { return time.Since(w.base) }

// unixMilli is the wall clock at elapsed time mono, in unix milliseconds.
func (w *wallClock) unixMilli(mono time.Duration) int64 {
	return (w.offset.Load() + int64(mono)) / int64(time.Millisecond)
}

// at is the time at elapsed time mono, with a monotonic reading.
func (w *wallClock) at(mono time.Duration) time.Time { return w.base.Add(mono) }
