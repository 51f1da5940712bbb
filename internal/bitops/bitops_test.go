package bitops

import (
	"math/rand/v2"
	"testing"
)

// bitAt is the naive reading every kernel is checked against.
func bitAt(b []byte, i int) int {
	if i/8 >= len(b) {
		return 0
	}
	return int(b[i/8]>>(7-i%8)) & 1
}

func randBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// sparse returns n bytes that are mostly 0x00 or mostly 0xff, so the word
// skipping paths of Pos are exercised, with an odd byte here and there.
func sparse(r *rand.Rand, n int, fill byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = fill
		if r.IntN(200) == 0 {
			b[i] = byte(r.Uint32())
		}
	}
	return b
}

// lengths cover empty input, every tail length around the 8- and 32-byte
// unrolled loops, and more than one BITOP chunk.
var lengths = []int{0, 1, 2, 7, 8, 9, 15, 31, 32, 33, 63, 64, 65, 100, 4095, 4096, 4097, 9000}

func TestCountMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range lengths {
		for _, off := range []int{0, 1, 3} { // unaligned starts
			b := randBytes(r, n+off)[off:]
			want := int64(0)
			for i := 0; i < 8*len(b); i++ {
				want += int64(bitAt(b, i))
			}
			if got := Count(b); got != want {
				t.Fatalf("Count(len %d, off %d) = %d, want %d", n, off, got, want)
			}
		}
	}
}

func TestPosMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range lengths {
		for _, fill := range []byte{0x00, 0xff} {
			for round := 0; round < 4; round++ {
				b := sparse(r, n, fill)
				if round == 0 { // nothing but fill: no bit of the other kind
					for i := range b {
						b[i] = fill
					}
				}
				for bit := 0; bit <= 1; bit++ {
					want := int64(-1)
					for i := 0; i < 8*len(b); i++ {
						if bitAt(b, i) == bit {
							want = int64(i)
							break
						}
					}
					if got := Pos(b, bit); got != want {
						t.Fatalf("Pos(len %d fill %#x, %d) = %d, want %d", n, fill, bit, got, want)
					}
				}
			}
		}
	}
}

func TestBitfieldRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for round := 0; round < 20000; round++ {
		p := randBytes(r, 12)
		orig := append([]byte(nil), p...)
		n := uint(1 + r.IntN(64))
		off := uint64(r.IntN(96 - int(n) + 1))
		var want uint64
		for i := uint(0); i < n; i++ {
			want = want<<1 | uint64(bitAt(p, int(off)+int(i)))
		}
		if got := GetUnsigned(p, off, n); got != want {
			t.Fatalf("GetUnsigned(off %d, n %d) = %#x, want %#x", off, n, got, want)
		}
		wantSigned := int64(want)
		if n < 64 && want>>(n-1) == 1 {
			wantSigned = int64(want) - int64(1)<<n
		}
		if got := GetSigned(p, off, n); got != wantSigned {
			t.Fatalf("GetSigned(off %d, n %d) = %d, want %d", off, n, got, wantSigned)
		}
		v := r.Uint64()
		SetUnsigned(p, off, n, v)
		for i := 0; i < 96; i++ {
			want := bitAt(orig, i)
			if uint64(i) >= off && uint64(i) < off+uint64(n) {
				want = int(v>>(uint64(n)-1-(uint64(i)-off))) & 1
			}
			if got := bitAt(p, i); got != want {
				t.Fatalf("SetUnsigned(off %d, n %d, %#x): bit %d = %d, want %d", off, n, v, i, got, want)
			}
		}
	}
}

func TestGetPastTheEndReadsZero(t *testing.T) {
	p := []byte{0xff}
	if got := GetUnsigned(p, 4, 8); got != 0xf0 {
		t.Fatalf("GetUnsigned across the end = %#x, want 0xf0", got)
	}
	if got := GetSigned(p, 0, 64); got != -72057594037927936 {
		t.Fatalf("GetSigned(i64 over 0xff) = %d", got)
	}
	if got := GetUnsigned(nil, 1000, 63); got != 0 {
		t.Fatalf("GetUnsigned(nil) = %d", got)
	}
}

// naiveOp computes one result bit of op from the sources' bits.
func naiveOp(op Op, in []int) int {
	or := func(v []int) int {
		r := 0
		for _, b := range v {
			r |= b
		}
		return r
	}
	switch op {
	case And:
		r := 1
		for _, b := range in {
			r &= b
		}
		return r
	case Or:
		return or(in)
	case Xor:
		r := 0
		for _, b := range in {
			r ^= b
		}
		return r
	case Not:
		return 1 - in[0]
	case Diff:
		return in[0] &^ or(in[1:])
	case Diff1:
		return or(in[1:]) &^ in[0]
	case AndOr:
		return in[0] & or(in[1:])
	case One:
		n := 0
		for _, b := range in {
			n += b
		}
		if n == 1 {
			return 1
		}
		return 0
	}
	panic("unknown op")
}

func TestApplyMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	ops := []Op{And, Or, Xor, Not, Diff, Diff1, AndOr, One}
	for _, op := range ops {
		for round := 0; round < 60; round++ {
			nsrc := 1 + r.IntN(5)
			switch op {
			case Not:
				nsrc = 1
			case Diff, Diff1, AndOr:
				nsrc = max(nsrc, 2)
			}
			srcs := make([][]byte, nsrc)
			maxlen := 0
			for i := range srcs {
				n := lengths[r.IntN(len(lengths))]
				if r.IntN(3) == 0 {
					srcs[i] = sparse(r, n, 0xff)
				} else {
					srcs[i] = randBytes(r, n)
				}
				maxlen = max(maxlen, n)
			}
			dst := randBytes(r, maxlen) // garbage Apply must overwrite
			Apply(op, dst, srcs)
			in := make([]int, nsrc)
			for i := 0; i < 8*maxlen; i++ {
				for j, s := range srcs {
					in[j] = bitAt(s, i)
				}
				if got, want := bitAt(dst, i), naiveOp(op, in); got != want {
					t.Fatalf("op %d round %d: bit %d = %d, want %d (source lengths %v)",
						op, round, i, got, want, srcLens(srcs))
				}
			}
		}
	}
}

func srcLens(srcs [][]byte) []int {
	out := make([]int, len(srcs))
	for i, s := range srcs {
		out[i] = len(s)
	}
	return out
}

// Single-byte examples of every operation, computed by hand from the
// definitions in Redis's BITOP documentation.
func TestApplyHandComputed(t *testing.T) {
	a, b, c := []byte{0b1001_1010}, []byte{0b0110_0110}, []byte{0b1100_0011}
	for _, tc := range []struct {
		op   Op
		srcs [][]byte
		want byte
	}{
		{And, [][]byte{a, b, c}, 0b0000_0010 & 0b1100_0011},
		{Or, [][]byte{a, b, c}, 0b1111_1111},
		{Xor, [][]byte{a, b, c}, 0b1001_1010 ^ 0b0110_0110 ^ 0b1100_0011},
		{Not, [][]byte{a}, 0b0110_0101},
		{Diff, [][]byte{a, b, c}, 0b1001_1010 &^ (0b0110_0110 | 0b1100_0011)},
		{Diff1, [][]byte{a, b, c}, (0b0110_0110 | 0b1100_0011) &^ 0b1001_1010},
		{AndOr, [][]byte{a, b, c}, 0b1001_1010 & (0b0110_0110 | 0b1100_0011)},
		{One, [][]byte{a, b, c}, 0b0011_1101},
		{One, [][]byte{a}, 0b1001_1010},
	} {
		dst := make([]byte, 1)
		Apply(tc.op, dst, tc.srcs)
		if dst[0] != tc.want {
			t.Errorf("op %d: got %08b, want %08b", tc.op, dst[0], tc.want)
		}
	}
}
