package types

import (
	"fmt"
	"runtime"
	"testing"
)

func TestScratchListMem(t *testing.T) {
	for _, kind := range []string{"str", "int", "v64", "xxx"} {
		{
			vals := make([][][]byte, 1000)
			for i := range vals {
				vals[i] = make([][]byte, 1000)
				for j := range vals[i] {
					var v []byte
					switch kind {
					case "str":
						v = []byte(fmt.Sprintf("element:%d", j))
					case "int":
						v = []byte(fmt.Sprint(i*1000 + j))
					case "v64":
						v = []byte(fmt.Sprintf("%056d%08d", 0, j))
					case "xxx":
						v = []byte("xxx")
					}
					vals[i][j] = v
				}
			}
			var lists []*List
			var m0, m1 runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&m0)
			for i := 0; i < 1000; i++ {
				l := NewList()
				for j := 0; j < 1000; j++ {
					l.Push(vals[i][j], true, -2)
				}
				lists = append(lists, l)
			}
			runtime.ReadMemStats(&m1)
			total := m1.TotalAlloc - m0.TotalAlloc
			runtime.GC()
			runtime.ReadMemStats(&m1)
			live := m1.HeapAlloc - m0.HeapAlloc
			var usage int64
			for _, l := range lists {
				usage += l.MemoryUsage(0)
			}
			t.Logf("%s: live %d B/list, allocated %d B/list (fmt garbage included), usage %d", kind, live/1000, total/1000, usage/1000)
			runtime.KeepAlive(lists)
		}
	}
}
