// Package tsc measures short durations with the processor's time-stamp
// counter where the kernel itself keeps time with it: a reading costs a
// third of a monotonic clock read through Go's runtime. The server times
// every command of a script or EXEC (commandstats, latency histograms, the
// slow log), ten of them per call of a ten-command script.
package tsc

import (
	"math"
	"os"
	"strings"
	"sync/atomic"
	"time"
)

// clocksource names the kernel's clock; "tsc" means the kernel found the
// counter invariant and synchronized across processors, and reads it for
// its own clock_gettime.
const clocksource = "/sys/devices/system/clocksource/clocksource0/current_clocksource"

// Timer converts counter readings to nanoseconds since its start. Without a
// usable counter its readings are the monotonic clock's own nanoseconds.
//
// Its calibration is a ratio of counter ticks to monotonic nanoseconds over
// the time since start: Calibrate refines it (a cron's job). Until the
// first, a conversion works it out from a fresh clock read, and keeps it
// once enough time has passed to make it exact. A Timer is safe for
// concurrent use.
type Timer struct {
	counter   bool
	startTick uint64
	start     time.Time
	nsPerTick atomic.Uint64 // float64 bits; 0 until calibrated
}

// New returns a Timer that uses the counter when the kernel's clocksource
// is the TSC on this architecture.
func New() *Timer {
	return newTimer(supported() && kernelUsesTSC())
}

func newTimer(counter bool) *Timer {
	t := &Timer{counter: counter, start: time.Now()}
	if counter {
		t.startTick = read()
	}
	return t
}

func kernelUsesTSC() bool {
	b, err := os.ReadFile(clocksource)
	return err == nil && strings.TrimSpace(string(b)) == "tsc"
}

// Now is a reading to give Span.
func (t *Timer) Now() uint64 {
	if t.counter {
		return read()
	}
	return uint64(time.Since(t.start))
}

// Span converts two readings, start and end, to nanoseconds since the
// Timer's start, with one rate: a Calibrate between two conversions would
// skew their difference by the change of rate over the whole time since
// the Timer's start.
func (t *Timer) Span(start, end uint64) (startNanos, endNanos int64) {
	if !t.counter {
		return int64(start), int64(end)
	}
	ratio := t.ratio()
	return t.nanos(start, ratio), t.nanos(end, ratio)
}

func (t *Timer) ratio() float64 {
	if r := math.Float64frombits(t.nsPerTick.Load()); r != 0 {
		return r
	}
	return t.firstRatio()
}

func (t *Timer) nanos(reading uint64, ratio float64) int64 {
	if reading < t.startTick {
		return 0
	}
	return int64(float64(reading-t.startTick) * ratio)
}

// Calibrate measures the counter's rate again over the whole time since
// the Timer's start, which makes it more exact as the server runs.
func (t *Timer) Calibrate() {
	if t.counter {
		ratio, _ := t.ratioNow()
		t.nsPerTick.Store(math.Float64bits(ratio))
	}
}

// settled is how long after its start a Timer's rate is exact enough to
// keep (to a part in 100,000) without a Calibrate.
const settled = 10 * time.Millisecond

// firstRatio works the rate out before the first Calibrate, and keeps it
// once the Timer has run long enough.
func (t *Timer) firstRatio() float64 {
	ratio, over := t.ratioNow()
	if ratio != 0 && over >= settled {
		t.nsPerTick.CompareAndSwap(0, math.Float64bits(ratio))
	}
	return ratio
}

// ratioNow measures the rate over the time since the Timer's start, and
// returns that time; the rate is 0 if no tick or no time has passed.
func (t *Timer) ratioNow() (float64, time.Duration) {
	tick, ns := read(), time.Since(t.start)
	if tick <= t.startTick || ns <= 0 {
		return 0, ns
	}
	return float64(ns) / float64(tick-t.startTick), ns
}
