package procs

import (
	"context"
	"errors"
	"testing"
	"time"
)

// windows feeds t one-second windows in which the rest of the machine kept
// others[i] processors busy and returns the count after each.
func windows(t *Tuner, others ...float64) []int {
	var s Sample
	got := []int{t.Next(s)}
	for _, o := range others {
		s.At += time.Second
		s.Busy += time.Duration((o + 0.5) * float64(time.Second)) // the process itself used half a processor
		s.Self += time.Second / 2
		got = append(got, t.Next(s))
	}
	return got
}

func TestTunerFollowsTheProcessorsOthersLeaveFree(t *testing.T) {
	tests := []struct {
		name      string
		cpus, max int
		others    []float64
		want      []int
	}{
		{"an idle machine keeps them all", 2, 2, []float64{0, 0.1, 0.2}, []int{2, 2, 2, 2}},
		{"a client on one processor leaves one", 2, 2, []float64{1, 1}, []int{2, 2, 1}},
		{"one busy window moves nothing", 2, 2, []float64{1, 0, 1, 0}, []int{2, 2, 2, 2, 2}},
		{"the count comes back once the client stops", 2, 2, []float64{1, 1, 0, 0}, []int{2, 2, 1, 1, 2}},
		{"inside the dead band it stays down", 2, 2, []float64{1, 1, 0.25, 0.25}, []int{2, 2, 1, 1, 1}},
		{"inside the dead band it stays up", 2, 2, []float64{0.45, 0.45}, []int{2, 2, 2}},
		{"just past the band it moves", 2, 2, []float64{0.55, 0.55}, []int{2, 2, 1}},
		{"never below one", 2, 2, []float64{2, 2, 2}, []int{2, 2, 1, 1}},
		{"never above the maximum", 8, 4, []float64{0, 0}, []int{4, 4, 4}},
		{"several at a time", 16, 16, []float64{11.9, 11.9, 3, 3}, []int{16, 16, 4, 4, 13}},
		{"two windows must agree on the count", 16, 16, []float64{12, 10, 10}, []int{16, 16, 16, 6}},
		{"more than the machine counts as all of it", 2, 2, []float64{5, 5}, []int{2, 2, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := windows(&Tuner{CPUs: tc.cpus, Max: tc.max}, tc.others...)
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
}

func TestTunerIgnoresAWindowWithoutTime(t *testing.T) {
	tu := &Tuner{CPUs: 2, Max: 2}
	tu.Next(Sample{At: time.Second})
	if n := tu.Next(Sample{At: time.Second, Busy: time.Hour}); n != 2 {
		t.Fatalf("got %d after an empty window, want 2", n)
	}
}

func TestRunSetsEachChangeOnceAndStopsWithItsContext(t *testing.T) {
	var s Sample
	reads := 0
	ctx, cancel := context.WithCancel(context.Background())
	read := func() (Sample, error) {
		reads++
		if reads == 6 {
			cancel()
		}
		s.At += time.Second
		s.Busy += time.Second // another program keeps one processor busy
		return s, nil
	}
	var sets []int
	err := Run(ctx, &Tuner{CPUs: 2, Max: 2}, time.Millisecond, read, func(n int) { sets = append(sets, n) })
	if err != nil || len(sets) != 1 || sets[0] != 1 {
		t.Fatalf("Run = %v, set calls %v; want nil and [1]", err, sets)
	}
}

func TestRunEndsOnAFailedRead(t *testing.T) {
	boom := errors.New("boom")
	err := Run(context.Background(), &Tuner{CPUs: 2, Max: 2}, time.Millisecond,
		func() (Sample, error) { return Sample{}, boom }, func(int) { t.Fatal("set called") })
	if !errors.Is(err, boom) {
		t.Fatalf("Run = %v, want %v", err, boom)
	}
}
