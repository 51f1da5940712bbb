package server

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// Hash workloads, as redis-benchmark's HSET (one big hash) and per-key
// small hashes.

var (
	genHsetBig = func(r *rand.Rand) []string {
		return []string{"HSET", "myhash", "element:" + strconv.Itoa(r.IntN(benchKeyspace)), "xxx"}
	}
	genHgetBig = func(r *rand.Rand) []string {
		return []string{"HGET", "myhash", "element:" + strconv.Itoa(r.IntN(benchKeyspace))}
	}
	genHsetSmall = func(r *rand.Rand) []string {
		return []string{"HSET", "h:" + strconv.Itoa(r.IntN(benchKeyspace)), "f1", "v1", "f2", "v2", "f3", "v3"}
	}
	genHgetallSmall = func(r *rand.Rand) []string { return []string{"HGETALL", "h:" + strconv.Itoa(r.IntN(benchKeyspace))} }
)

func checkHashBig(tb testing.TB, s *Server) {
	var batches [][]byte
	for i := 0; i < benchKeyspace; i += 100 {
		var b []byte
		for j := i; j < i+100; j++ {
			b = appendCommand(b, "HSET", "myhash", "element:"+strconv.Itoa(j), "xxx")
			b = appendCommand(b, "HSET", "h:"+strconv.Itoa(j), "f1", "v1", "f2", "v2", "f3", "v3")
		}
		batches = append(batches, b)
	}
	c, _ := benchClient(s, batches)
	drive(tb, s, c, 2*benchKeyspace)
	s.removeClient(c)
	mustReply(tb, s, "$3\r\nxxx", "HGET", "myhash", "element:1")
}

// BenchmarkDispatchHash runs the hash workloads at pipeline depth 16.
func BenchmarkDispatchHash(b *testing.B) {
	for _, w := range []struct {
		name string
		gen  genFunc
	}{
		{"hset-big", genHsetBig},
		{"hget-big", genHgetBig},
		{"hset-small", genHsetSmall},
		{"hgetall-small", genHgetallSmall},
	} {
		b.Run(w.name, func(b *testing.B) { benchDispatch(b, w.gen, 16, checkHashBig) })
	}
}
