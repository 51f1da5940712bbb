//go:build unix

package server

import "syscall"

// allocOffHeap maps anonymous memory of n bytes, or falls back to the heap.
func allocOffHeap(n int) []byte {
	b, err := syscall.Mmap(-1, 0, n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return make([]byte, n)
	}
	return b
}

// freeOffHeap unmaps what allocOffHeap mapped (a heap fallback is left to
// the collector: Munmap refuses it).
func freeOffHeap(b []byte) { syscall.Munmap(b) }
