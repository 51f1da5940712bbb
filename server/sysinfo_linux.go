package server

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
)

// System facts INFO reports, read from the kernel.

// osName is INFO's os field: uname's system, release and machine.
func osName() string {
	var u syscall.Utsname
	if syscall.Uname(&u) != nil {
		return "Linux"
	}
	return utsField(u.Sysname) + " " + utsField(u.Release) + " " + utsField(u.Machine)
}

// utsField reads a NUL-terminated uname field (int8 or uint8 by platform).
func utsField[T int8 | uint8](f [65]T) string {
	b := make([]byte, 0, len(f))
	for _, c := range f {
		if c == 0 {
			break
		}
		b = append(b, byte(c))
	}
	return string(b)
}

// residentMemory is the process's resident set size in bytes, from
// /proc/self/statm as Redis reads it.
func residentMemory() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := bytes.Fields(b)
	if len(f) < 2 {
		return 0
	}
	pages, err := strconv.ParseInt(string(f[1]), 10, 64)
	if err != nil {
		return 0
	}
	return pages * int64(os.Getpagesize())
}

// totalSystemMemory is the machine's physical memory in bytes.
func totalSystemMemory() int64 {
	var si syscall.Sysinfo_t
	if syscall.Sysinfo(&si) != nil {
		return 0
	}
	return int64(si.Totalram) * int64(si.Unit)
}

// cpuTimes returns the process's and its children's system and user CPU
// time in microseconds.
func cpuTimes() (sys, user, childSys, childUser int64) {
	var self, children syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children)
	tv := func(t syscall.Timeval) int64 { return int64(t.Sec)*1e6 + int64(t.Usec) }
	return tv(self.Stime), tv(self.Utime), tv(children.Stime), tv(children.Utime)
}
