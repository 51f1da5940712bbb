package eviction

import (
	"strconv"
	"testing"
)

func TestPoolAdmitsWhatOfferWouldKeep(t *testing.T) {
	var p Pool
	for i := 0; i < PoolSize; i++ {
		if !p.Admits(0) {
			t.Fatalf("a pool holding %d of %d refuses a candidate", i, PoolSize)
		}
		p.Offer(Candidate{Key: strconv.Itoa(i), Score: uint64(10 + i)})
	}
	for _, tc := range []struct {
		score uint64
		want  bool
	}{{9, false}, {10, false}, {11, true}, {100, true}} {
		if got := p.Admits(tc.score); got != tc.want {
			t.Errorf("full pool, worst score 10: Admits(%d) = %v, want %v", tc.score, got, tc.want)
		}
		before := p
		p.Offer(Candidate{Key: "new", Score: tc.score})
		if kept := p != before; kept != tc.want {
			t.Errorf("Offer of score %d changed the pool: %v, but Admits said %v", tc.score, kept, tc.want)
		}
		p = before
	}
}
