//go:build linux

package procs

import (
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

const procStat = `cpu  1000 20 300 90000 50 7 11 5 0 0
cpu0 100 2 30 9000 5 1 2 3 40 0
cpu1 200 4 60 9000 5 2 3 1 0 0
cpu2 1 1 1 9000 5 1 1 1 0 0
intr 12345 0 0
ctxt 999
`

func TestBusyTicksCountsTheAffineProcessorsNonIdleTime(t *testing.T) {
	tests := []struct {
		name string
		cpus []int
		want uint64
	}{
		{"one processor", []int{0}, 100 + 2 + 30 + 1 + 2 + 3},
		{"two processors", []int{0, 1}, 138 + 200 + 4 + 60 + 2 + 3 + 1},
		{"a processor the file lacks", []int{7}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var set unix.CPUSet
			for _, c := range tc.cpus {
				set.Set(c)
			}
			got, err := busyTicks(strings.NewReader(procStat), &set)
			if err != nil || got != tc.want {
				t.Fatalf("busyTicks = %d, %v; want %d", got, err, tc.want)
			}
		})
	}
}

func TestBusyTicksRejectsAMalformedLine(t *testing.T) {
	var set unix.CPUSet
	set.Set(0)
	for _, text := range []string{"cpu0 1 2 3\n", "cpu0 1 2 3 4 5 6 x 8 9\n"} {
		if _, err := busyTicks(strings.NewReader(text), &set); err == nil {
			t.Errorf("busyTicks(%q) gave no error", text)
		}
	}
}

func TestReaderSamplesThisMachine(t *testing.T) {
	r, err := NewReader()
	if err != nil {
		t.Fatal(err)
	}
	a, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 1e7; i++ { // some processor time of our own
		_ = strings.Repeat("x", i%3)
	}
	b, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	if r.CPUs() < 1 || b.At <= a.At || b.Self <= a.Self || b.Busy < a.Busy {
		t.Fatalf("CPUs %d, samples %+v then %+v: want time, own time and busy time not to go back", r.CPUs(), a, b)
	}
}
