package integration

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"petrel/integration/harness"
)

// pipelineBatch builds n deterministic commands (writes, reads, errors,
// inline lines) as one byte string, and the number of replies they get.
func pipelineBatch(n int, seed int64) (string, int) {
	rng := rand.New(rand.NewSource(seed))
	var b strings.Builder
	for i := 0; i < n; i++ {
		k := fmt.Sprintf("key:%d", rng.Intn(50))
		switch rng.Intn(10) {
		case 0:
			b.Write(harness.Encode("SET", k, fmt.Sprint(i)))
		case 1:
			b.Write(harness.Encode("GET", k))
		case 2:
			b.Write(harness.Encode("INCR", k))
		case 3:
			b.Write(harness.Encode("APPEND", k, "x"))
		case 4:
			b.Write(harness.Encode("MGET", k, "key:1", "missing"))
		case 5:
			b.Write(harness.Encode("DEL", k))
		case 6:
			fmt.Fprintf(&b, "EXISTS %s key:2\r\n", k)
		case 7:
			b.Write(harness.Encode("ECHO", strings.Repeat("e", rng.Intn(3000))))
		case 8:
			b.Write(harness.Encode("NOSUCH", k))
		default:
			b.Write(harness.Encode("GET"))
		}
	}
	return b.String(), n
}

// TestDiffPipelining sends many commands in one write, and the same split
// into tiny writes, and compares all replies in order.
func TestDiffPipelining(t *testing.T) {
	batch, n := pipelineBatch(1000, 1)
	small, m := pipelineBatch(200, 2)
	runSequences(t, []sequence{
		{name: "one-write-1000-commands", steps: steps(raw(1, batch, n), "DBSIZE", "PING")},
		{name: "split-into-3-byte-writes", steps: steps(
			step{conn: 1, raw: []byte(small), replies: m, chunk: 3, text: "200 commands written 3 bytes at a time"},
			"PING")},
		{name: "transaction-in-one-write", steps: steps(raw(1,
			"*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$4\r\nINCR\r\n$1\r\na\r\n*1\r\n$4\r\nEXEC\r\n*2\r\n$3\r\nGET\r\n$1\r\na\r\n", 5))},
		{name: "two-connections-interleaved", steps: steps(raw(1, batch, n), raw(2, small, m), raw(1, small, m), "DBSIZE")},
	})
}
