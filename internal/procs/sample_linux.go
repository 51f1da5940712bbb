//go:build linux

package procs

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// clockTick is the unit of /proc/stat: USER_HZ, 100 on every Linux.
const clockTick = 10 * time.Millisecond

// Reader samples the processors this process may run on.
type Reader struct {
	cpus  unix.CPUSet
	count int
	start time.Time
}

// NewReader returns a Reader for the processors in the process's affinity
// mask, as sched_getaffinity reports it now.
func NewReader() (*Reader, error) {
	r := &Reader{start: time.Now()}
	if err := unix.SchedGetaffinity(0, &r.cpus); err != nil {
		return nil, fmt.Errorf("procs: sched_getaffinity: %w", err)
	}
	r.count = r.cpus.Count()
	return r, nil
}

// CPUs is the number of processors the Reader looks at.
func (r *Reader) CPUs() int { return r.count }

// Read returns the processors' busy time from /proc/stat and the
// process's own from getrusage.
func (r *Reader) Read() (Sample, error) {
	f, err := os.Open("/proc/stat")
	if err != nil {
		return Sample{}, fmt.Errorf("procs: %w", err)
	}
	defer f.Close()
	busy, err := busyTicks(f, &r.cpus)
	if err != nil {
		return Sample{}, err
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return Sample{}, fmt.Errorf("procs: getrusage: %w", err)
	}
	self := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return Sample{At: time.Since(r.start), Busy: time.Duration(busy) * clockTick, Self: self}, nil
}

// busyTicks adds up the non-idle ticks of the cpuN lines of a /proc/stat
// whose N is in cpus: user, nice, system, irq, softirq and steal (guest
// time is already in user and nice).
func busyTicks(r io.Reader, cpus *unix.CPUSet) (uint64, error) {
	var total uint64
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Bytes()
		if !bytes.HasPrefix(line, []byte("cpu")) {
			continue
		}
		fields := bytes.Fields(line)
		n, err := strconv.Atoi(string(fields[0][3:]))
		if err != nil || !cpus.IsSet(n) {
			continue // the "cpu" line of totals, or another processor
		}
		if len(fields) < 9 {
			return 0, fmt.Errorf("procs: /proc/stat: short line %q", line)
		}
		for _, i := range []int{1, 2, 3, 6, 7, 8} {
			v, err := strconv.ParseUint(string(fields[i]), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("procs: /proc/stat: %w", err)
			}
			total += v
		}
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("procs: /proc/stat: %w", err)
	}
	return total, nil
}
