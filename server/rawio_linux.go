//go:build linux && !race

package server

import (
	"syscall"
	"unsafe"
)

// rawReadWrite makes the read or write system call (trap) on fd, raw (see
// eventloop_linux.go).
func rawReadWrite(trap uintptr, fd int, b []byte) (int, error) {
	var p unsafe.Pointer
	if len(b) > 0 {
		p = unsafe.Pointer(&b[0])
	}
	n, _, errno := syscall.RawSyscall(trap, uintptr(fd), uintptr(p), uintptr(len(b)))
	if errno != 0 {
		return -1, errno
	}
	return int(n), nil
}
