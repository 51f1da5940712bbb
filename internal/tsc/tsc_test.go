package tsc

import (
	"testing"
	"time"
)

// Both kinds of Timer tell a sleep's length within a few percent, before
// and after calibration.
func TestTimerMeasuresASleep(t *testing.T) {
	for _, counter := range []bool{false, supported() && kernelUsesTSC()} {
		tm := newTimer(counter)
		for _, calibrate := range []bool{false, true} {
			if calibrate {
				tm.Calibrate()
			}
			start := tm.Now()
			time.Sleep(20 * time.Millisecond)
			from, to := tm.Span(start, tm.Now())
			d := time.Duration(to - from)
			if d < 19*time.Millisecond || d > 200*time.Millisecond {
				t.Errorf("counter %v, calibrated %v: a 20ms sleep measured %v", counter, calibrate, d)
			}
		}
	}
}

// A span converts both readings with one rate: a calibration running
// meanwhile cannot stretch a short span.
func TestSpanIsNotSkewedByACalibration(t *testing.T) {
	tm := newTimer(supported() && kernelUsesTSC())
	time.Sleep(20 * time.Millisecond)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 2000; i++ {
			tm.Calibrate()
		}
	}()
	worst := int64(0)
	for i := 0; i < 20000; i++ {
		r := tm.Now()
		start, end := tm.Span(r, r)
		worst = max(worst, end-start, start-end)
	}
	<-done
	if worst != 0 {
		t.Fatalf("a span of one reading measured %d ns", worst)
	}
}

func TestReadingsBeforeTheStartAreZero(t *testing.T) {
	tm := newTimer(true)
	if got, _ := tm.Span(0, 0); got != 0 {
		t.Fatalf("got %d", got)
	}
}

func BenchmarkNow(b *testing.B) {
	tm := New()
	var sink uint64
	for b.Loop() {
		sink += tm.Now()
	}
	_ = sink
}

func BenchmarkTimeSince(b *testing.B) {
	start := time.Now()
	var sink time.Duration
	for b.Loop() {
		sink += time.Since(start)
	}
	_ = sink
}
