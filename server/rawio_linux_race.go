//go:build linux && race

package server

import "syscall"

// rawReadWrite makes the read or write system call (trap) on fd through
// the syscall package, whose Read and Write tell the race detector that a
// socket orders the goroutines that use it (a test's client and a loop).
func rawReadWrite(trap uintptr, fd int, b []byte) (int, error) {
	if trap == syscall.SYS_READ {
		return syscall.Read(fd, b)
	}
	return syscall.Write(fd, b)
}
