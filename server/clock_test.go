package server

import (
	"testing"
	"time"
)

func TestWallClockTellsTheWallTimeAndResyncsAfterAStep(t *testing.T) {
	var w wallClock
	w.init(time.Now())
	near := func(when string) {
		t.Helper()
		got := w.unixMilli(w.elapsed())
		if want := time.Now().UnixMilli(); got < want-50 || got > want+50 {
			t.Fatalf("%s: unixMilli %d, time.Now %d", when, got, want)
		}
	}
	near("after init")
	w.offset.Store(w.offset.Load() - int64(time.Hour)) // the system clock stepped
	if got, want := w.unixMilli(w.elapsed()), time.Now().UnixMilli(); got > want-int64(time.Hour/time.Millisecond)+50 {
		t.Fatalf("the stale offset should lag an hour: %d vs %d", got, want)
	}
	w.resync()
	near("after resync")
	if at := w.at(w.elapsed()); time.Since(at) < 0 || time.Since(at) > 50*time.Millisecond {
		t.Fatalf("at: %v is not now", at)
	}
}
