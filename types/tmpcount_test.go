package types

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func BenchmarkTmpZAddSmall(b *testing.B) {
	for _, size := range []int{1000, 1000000} {
		b.Run(fmt.Sprint(size), func(b *testing.B) {
			z := NewZSet(true)
			lim := ZLimits{128, 64}
			rng := rand.New(rand.NewPCG(1, 1))
			for i := 0; i < size; i++ {
				z.Add(float64(rng.IntN(size)), []byte(fmt.Sprintf("element:%012d", rng.IntN(size))), 0, lim)
			}
			members := make([][]byte, 1<<16)
			for i := range members {
				members[i] = []byte(fmt.Sprintf("element:%012d", rng.IntN(size)))
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				z.Add(float64(rng.IntN(size)), members[i&(1<<16-1)], 0, lim)
			}
		})
	}
}
