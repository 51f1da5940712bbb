package bitops

import (
	"math/rand/v2"
	"testing"
)

// benchSize is large enough to leave the caches, as a big bitmap does.
const benchSize = 16 << 20

func benchInput(seed uint64) []byte {
	return randBytes(rand.New(rand.NewPCG(seed, seed)), benchSize)
}

func BenchmarkCount(b *testing.B) {
	p := benchInput(1)
	b.SetBytes(int64(len(p)))
	for b.Loop() {
		Count(p)
	}
}

// BenchmarkPosClear finds a clear bit at the very end of an all-ones
// bitmap, the worst case of BITPOS key 0.
func BenchmarkPosClear(b *testing.B) {
	p := make([]byte, benchSize)
	for i := range p {
		p[i] = 0xff
	}
	p[len(p)-1] = 0xfe
	b.SetBytes(int64(len(p)))
	for b.Loop() {
		if Pos(p, 0) != int64(len(p))*8-1 {
			b.Fatal("wrong position")
		}
	}
}

func benchApply(b *testing.B, op Op, nsrc int) {
	srcs := make([][]byte, nsrc)
	for i := range srcs {
		srcs[i] = benchInput(uint64(i + 2))
	}
	dst := make([]byte, benchSize)
	b.SetBytes(int64(benchSize * nsrc))
	for b.Loop() {
		Apply(op, dst, srcs)
	}
}

func BenchmarkApplyAnd2(b *testing.B)   { benchApply(b, And, 2) }
func BenchmarkApplyOr2(b *testing.B)    { benchApply(b, Or, 2) }
func BenchmarkApplyXor4(b *testing.B)   { benchApply(b, Xor, 4) }
func BenchmarkApplyNot(b *testing.B)    { benchApply(b, Not, 1) }
func BenchmarkApplyDiff3(b *testing.B)  { benchApply(b, Diff, 3) }
func BenchmarkApplyOne3(b *testing.B)   { benchApply(b, One, 3) }
func BenchmarkApplyAndOr3(b *testing.B) { benchApply(b, AndOr, 3) }
