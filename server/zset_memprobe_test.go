package server

import (
	"runtime"
	"strconv"
	"testing"
)

func TestZsetMemProbe(t *testing.T) {
	s := newBenchServer()
	var ms0, ms1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms0)
	const n = 100000
	var batches [][]byte
	for i := 0; i < n; i += 20 {
		var b []byte
		for j := i; j < i+20; j++ {
			for k := 0; k < 10; k++ {
				b = appendCommand(b, "ZADD", "key:"+strconv.Itoa(100000000+j)[1:], strconv.Itoa(k+1), "member:"+strconv.Itoa(k))
			}
		}
		batches = append(batches, b)
	}
	c, _ := benchClient(s, batches)
	runtime.ReadMemStats(&ms1)
	t.Logf("before load: heapalloc %d, totalalloc %d", ms1.HeapAlloc-ms0.HeapAlloc, ms1.TotalAlloc-ms0.TotalAlloc)
	ms0 = ms1
	drive(t, s, c, 10*n)
	runtime.ReadMemStats(&ms1)
	t.Logf("alloc during load per key: %d bytes, %d objects; heap inuse %d", (ms1.TotalAlloc-ms0.TotalAlloc)/n, (ms1.Mallocs-ms0.Mallocs)/n, ms1.HeapInuse/n)
	runtime.GC()
	runtime.ReadMemStats(&ms1)
	t.Logf("live per key after GC: %d (heapalloc %d)", (int64(ms1.HeapAlloc)-int64(ms0.HeapAlloc))/n, ms1.HeapAlloc)
	runtime.KeepAlive(batches)
}
