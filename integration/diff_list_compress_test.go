package integration

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

// TestDiffListCompressedRandom drives both servers with the random list
// commands of TestDiffListRandom on lists whose inner nodes are compressed
// (list-compress-depth 1 and 2), with small nodes so that commands keep
// reaching compressed ones.
func TestDiffListCompressedRandom(t *testing.T) {
	budget := 1500
	if testing.Short() {
		budget = 300
	}
	for i, cfg := range []struct{ fill, depth string }{{"-1", "1"}, {"3", "1"}, {"-1", "2"}} {
		seed, proto := int64(31+i), 2+i%2
		t.Run(fmt.Sprintf("seed=%d/resp%d/fill%s/depth%s", seed, proto, cfg.fill, cfg.depth), func(t *testing.T) {
			t.Parallel()
			s := newSession(t, startPair(t, "--list-max-listpack-size", cfg.fill, "--list-compress-depth", cfg.depth), proto)
			var first string
			s.onMismatch = func(msg string) {
				if first == "" {
					first = msg
				}
			}
			g := &listGen{rng: rand.New(rand.NewSource(seed))}
			var history []string
			for n := 0; n < budget; n++ {
				st := cmd(g.args()...)
				history = append(history, fmt.Sprintf("%5d  %s", n+1, st.text))
				s.run([]step{st})
				if first != "" {
					from := max(0, len(history)-30)
					t.Fatalf("seed %d: first difference at command %d\n%s\n--- preceding commands ---\n%s",
						seed, n+1, first, strings.Join(history[from:], "\n"))
				}
			}
		})
	}
}
