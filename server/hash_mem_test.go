package server

import (
	"fmt"
	"os"
	"runtime"
	"testing"
)

// TestHashMemoryPerKey bounds the live heap a small hash costs: 100,000
// hashes of 10 small fields (Redis 7.0 takes about 305 bytes of RSS per
// such key). It only runs with PETREL_MEMTEST=1, being slow.
func TestHashMemoryPerKey(t *testing.T) {
	if os.Getenv("PETREL_MEMTEST") != "1" {
		t.Skip("set PETREL_MEMTEST=1")
	}
	s := startTestServer(t)
	c := dialRaw(t, s)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	const n = 100000
	for i := 0; i < n; i += 1000 {
		var batch []byte
		for j := i; j < i+1000; j++ {
			args := []string{"HSET", fmt.Sprintf("hash:%08d", j)}
			for k := 0; k < 10; k++ {
				args = append(args, fmt.Sprintf("field%d", k), fmt.Sprintf("value%05d", (j*7+k)%100000))
			}
			batch = append(batch, encode(args...)...)
		}
		c.Send(batch)
		for j := 0; j < 1000; j++ {
			c.Read()
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	perKey := (after.HeapAlloc - before.HeapAlloc) / n
	t.Logf("live heap per key: %d bytes", perKey)
	if perKey > 320 {
		t.Fatalf("a 10-field hash costs %d bytes of live heap, want at most 320", perKey)
	}
}
