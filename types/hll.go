package types

import (
	"encoding/binary"
	"math"
	"math/bits"
	"strconv"
)

// HyperLogLog sketches in Redis's own string format, so that PFADD and
// friends work on plain string values that GET, SET and APPEND also see, and
// a value moved between Redis and Petrel keeps working byte for byte.
//
// The layout (Redis's documented format):
//
//	"HYLL" | encoding (0 dense, 1 sparse) | 3 unused bytes | 8-byte cardinality
//
// followed by 16384 six-bit registers. The cardinality is little endian; the
// top bit of its last byte set means "not cached". Dense registers are
// packed LSB first, four to three bytes. The sparse form is a run-length
// code of opcodes:
//
//	00xxxxxx           ZERO: 1-64 registers set to 0
//	01xxxxxx yyyyyyyy  XZERO: 1-16384 registers set to 0
//	1vvvvvxx           VAL: 1-4 registers set to 1-32
//
// A sparse sketch turns dense when a register needs a value above 32 or its
// size would pass hll-sparse-max-bytes. Every walk over sparse data is
// bounded by the data's length: values written with SET may be corrupt.
const (
	// HLLRegisters is the number of registers (2^14).
	HLLRegisters = 1 << hllP
	// HLLHeaderSize is the size of the header before the registers.
	HLLHeaderSize = 16
	// HLLDenseSize is the exact size of a dense sketch.
	HLLDenseSize = HLLHeaderSize + (HLLRegisters*hllBits+7)/8

	hllP        = 14
	hllQ        = 64 - hllP // hash bits left for the run of zeros
	hllBits     = 6
	hllRegMax   = 1<<hllBits - 1
	hllIndexMsk = HLLRegisters - 1

	hllEncDense  = 0
	hllEncSparse = 1

	hllZeroMaxLen  = 64
	hllValMaxValue = 32
	hllValMaxLen   = 4

	hllAlphaInf = 0.721347520444481703680 // 1 / (2 ln 2)
	hllHashSeed = 0xadc83b19
)

// HLLResult is what adding to a sketch did.
type HLLResult int

// Results of HLLAdd and HLLSet.
const (
	HLLCorrupt   HLLResult = -1 // sparse data that does not cover 16384 registers
	HLLUnchanged HLLResult = 0
	HLLChanged   HLLResult = 1
)

// IsHLL reports whether v passes Redis's check for a HyperLogLog value: the
// header, a known encoding and, if dense, the exact dense size. Sparse data
// is only checked when it is walked.
func IsHLL(v []byte) bool {
	if len(v) < HLLHeaderSize || v[0] != 'H' || v[1] != 'Y' || v[2] != 'L' || v[3] != 'L' {
		return false
	}
	switch v[4] {
	case hllEncDense:
		return len(v) == HLLDenseSize
	case hllEncSparse:
		return true
	}
	return false
}

// NewHLL returns an empty sketch: sparse, one XZERO covering every
// register, and a valid cached cardinality of 0.
func NewHLL() []byte {
	v := make([]byte, HLLHeaderSize+2, HLLHeaderSize+16)
	copy(v, "HYLL")
	v[4] = hllEncSparse
	putXZero(v[HLLHeaderSize:], HLLRegisters)
	return v
}

// HLLIsDense reports whether a valid sketch uses the dense encoding.
func HLLIsDense(v []byte) bool { return v[4] == hllEncDense }

// HLLCachedCount returns the cached cardinality, if it is valid.
func HLLCachedCount(v []byte) (uint64, bool) {
	if v[15]&0x80 != 0 {
		return 0, false
	}
	return binary.LittleEndian.Uint64(v[8:16]), true
}

// HLLSetCachedCount stores a cardinality in the header. A value with the
// top bit set (what Redis's estimator yields when it divides by zero) marks
// the cache invalid again, as it does in Redis.
func HLLSetCachedCount(v []byte, n uint64) { binary.LittleEndian.PutUint64(v[8:16], n) }

// HLLInvalidate marks the cached cardinality stale.
func HLLInvalidate(v []byte) { v[15] |= 0x80 }

// hllHash is MurmurHash64A, the hash Redis feeds its sketches.
func hllHash(data []byte, seed uint64) uint64 {
	const m = 0xc6a4a7935bd1e995
	const r = 47
	h := seed ^ uint64(len(data))*m
	for len(data) >= 8 {
		k := binary.LittleEndian.Uint64(data)
		k *= m
		k ^= k >> r
		k *= m
		h ^= k
		h *= m
		data = data[8:]
	}
	if n := len(data); n > 0 {
		for i := n - 1; i >= 0; i-- {
			h ^= uint64(data[i]) << (8 * uint(i))
		}
		h *= m
	}
	h ^= h >> r
	h *= m
	h ^= h >> r
	return h
}

// hllPos returns the register an element maps to and the value it offers:
// the position of the first set bit above the index bits, at most Q+1.
func hllPos(elem []byte) (int, uint8) {
	h := hllHash(elem, hllHashSeed)
	idx := int(h & hllIndexMsk)
	h >>= hllP
	h |= 1 << hllQ // bounds the count at Q+1
	return idx, uint8(bits.TrailingZeros64(h) + 1)
}

// Dense registers.

func denseGet(regs []byte, i int) uint8 {
	bit := i * hllBits
	b, fb := bit>>3, uint(bit&7)
	v := uint(regs[b]) >> fb
	if b+1 < len(regs) {
		v |= uint(regs[b+1]) << (8 - fb)
	}
	return uint8(v & hllRegMax)
}

func denseSet(regs []byte, i int, val uint8) {
	bit := i * hllBits
	b, fb := bit>>3, uint(bit&7)
	regs[b] = regs[b]&^byte(hllRegMax<<fb) | byte(uint(val)<<fb)
	if fb > 8-hllBits && b+1 < len(regs) {
		fb8 := 8 - fb
		regs[b+1] = regs[b+1]&^byte(hllRegMax>>fb8) | byte(uint(val)>>fb8)
	}
}

// denseUpdate raises register i to val if it is lower.
func denseUpdate(regs []byte, i int, val uint8) HLLResult {
	if denseGet(regs, i) >= val {
		return HLLUnchanged
	}
	denseSet(regs, i, val)
	return HLLChanged
}

// denseHisto counts the registers of each value, four registers (three
// bytes) at a time, into four histograms so that runs of equal registers
// do not wait on one counter.
func denseHisto(regs []byte, h *[64]int) {
	var hs [4][64]int32
	for j := 0; j+2 < len(regs); j += 3 {
		b0, b1, b2 := regs[j], regs[j+1], regs[j+2]
		hs[0][b0&hllRegMax]++
		hs[1][(b0>>6|b1<<2)&hllRegMax]++
		hs[2][(b1>>4|b2<<4)&hllRegMax]++
		hs[3][b2>>2]++
	}
	for i := range h {
		h[i] += int(hs[0][i] + hs[1][i] + hs[2][i] + hs[3][i])
	}
}

// Sparse opcodes.

func isZero(b byte) bool  { return b&0xc0 == 0 }
func isXZero(b byte) bool { return b&0xc0 == 0x40 }
func isVal(b byte) bool   { return b&0x80 != 0 }

func zeroLen(b byte) int      { return int(b&0x3f) + 1 }
func valLen(b byte) int       { return int(b&0x3) + 1 }
func valValue(b byte) int     { return int(b>>2&0x1f) + 1 }
func valByte(val, n int) byte { return byte((val-1)<<2|(n-1)) | 0x80 }

// xzeroLen reads an XZERO at s[p]. An XZERO cut short by the end of the
// data takes its second byte from past the end, as Redis reads the byte
// after its string there (see pastEnd).
func xzeroLen(s []byte, p int) int {
	var lo byte
	if p+1 < len(s) {
		lo = s[p+1]
	} else {
		lo = pastEnd(s)
	}
	return (int(s[p]&0x3f)<<8 | int(lo)) + 1
}

// pastEnd returns the byte after the data. Redis's strings end with a NUL
// there, but an update of a sparse sketch whose last XZERO is cut short
// writes one byte of its replacement over it, and later updates in the same
// command read it back. Working copies of sparse sketches keep that byte in
// their spare capacity; values read from the keyspace have none and read 0.
func pastEnd(s []byte) byte {
	if cap(s) > len(s) {
		return s[:len(s)+1][len(s)]
	}
	return 0
}

// roomFor returns v with capacity for n more bytes plus the byte after
// them, keeping the byte after v (pastEnd).
func roomFor(v []byte, n int) []byte {
	if cap(v) >= len(v)+n+1 {
		return v
	}
	out := make([]byte, len(v), 2*len(v)+n+1)
	copy(out[:len(v)+1], v[:min(len(v)+1, cap(v))])
	return out
}

func putXZero(s []byte, n int) {
	n--
	s[0] = byte(n>>8) | 0x40
	s[1] = byte(n)
}

// putZeros writes the shortest opcode for a run of n zero registers.
func putZeros(s []byte, n int) int {
	if n > hllZeroMaxLen {
		putXZero(s, n)
		return 2
	}
	s[0] = byte(n - 1)
	return 1
}

// sparseHisto counts the registers of each value in sparse data; ok is
// false when the opcodes do not add up to exactly 16384 registers.
func sparseHisto(s []byte, h *[64]int) bool {
	idx := 0
	for p := 0; p < len(s); {
		b := s[p]
		switch {
		case isZero(b):
			n := zeroLen(b)
			idx += n
			h[0] += n
			p++
		case isXZero(b):
			n := xzeroLen(s, p)
			idx += n
			h[0] += n
			p += 2
		default:
			n := valLen(b)
			idx += n
			h[valValue(b)] += n
			p++
		}
	}
	return idx == HLLRegisters
}

// sparseEach calls fn for every run of non-zero registers; ok is false if
// the opcodes do not cover exactly 16384 registers. A value run past the
// last register stops the walk before fn writes out of bounds.
func sparseEach(s []byte, fn func(first, n int, val uint8)) bool {
	idx := 0
	for p := 0; p < len(s); {
		b := s[p]
		switch {
		case isZero(b):
			idx += zeroLen(b)
			p++
		case isXZero(b):
			idx += xzeroLen(s, p)
			p += 2
		default:
			n := valLen(b)
			if idx+n > HLLRegisters {
				return false
			}
			fn(idx, n, uint8(valValue(b)))
			idx += n
			p++
		}
	}
	return idx == HLLRegisters
}

// HLLToDense returns the dense form of a sparse sketch, keeping the header
// (cached cardinality and unused bytes included); a dense sketch is
// returned as it is. ok is false for corrupt sparse data.
func HLLToDense(v []byte) (out []byte, ok bool) {
	if v[4] == hllEncDense {
		return v, true
	}
	d := make([]byte, HLLDenseSize)
	copy(d, v[:HLLHeaderSize])
	d[4] = hllEncDense
	regs := d[HLLHeaderSize:]
	ok = sparseEach(v[HLLHeaderSize:], func(first, n int, val uint8) {
		for i := first; i < first+n; i++ {
			denseSet(regs, i, val)
		}
	})
	if !ok {
		return v, false
	}
	return d, true
}

// HLLAdd adds one element. It may change v in place or return a new slice
// (the sparse form grows, shrinks or turns dense), so v must belong to the
// caller; a sparse v should have spare capacity. sparseMax is
// hll-sparse-max-bytes.
func HLLAdd(v, elem []byte, sparseMax int64) ([]byte, HLLResult) {
	idx, count := hllPos(elem)
	return HLLSet(v, idx, count, sparseMax)
}

// HLLSet raises register idx to count if it is lower, with HLLAdd's rules.
func HLLSet(v []byte, idx int, count uint8, sparseMax int64) ([]byte, HLLResult) {
	switch v[4] {
	case hllEncDense:
		return v, denseUpdate(v[HLLHeaderSize:], idx, count)
	case hllEncSparse:
		return sparseSet(v, idx, count, sparseMax)
	}
	return v, HLLCorrupt
}

// sparseSet updates one register of a sparse sketch in place. It finds the
// opcode covering the register and replaces it with the shortest sequence
// that splits it around the register (at most XZERO VAL XZERO), then joins
// equal neighbouring VAL opcodes, exactly as Redis does, so that both
// servers produce the same bytes.
func sparseSet(v []byte, idx int, count uint8, sparseMax int64) ([]byte, HLLResult) {
	if count > hllValMaxValue {
		return promote(v, idx, count)
	}
	end := len(v)
	p, prev, first, span := HLLHeaderSize, -1, 0, 0
	oplen := 1
	for p < end {
		b := v[p]
		oplen = 1
		switch {
		case isZero(b):
			span = zeroLen(b)
		case isVal(b):
			span = valLen(b)
		default:
			span = xzeroLen(v, p)
			oplen = 2
		}
		if idx <= first+span-1 {
			break
		}
		prev = p
		p += oplen
		first += span
	}
	if span == 0 || p >= end {
		return v, HLLCorrupt
	}
	next := p + oplen
	if next >= end {
		next = -1
	}
	b := v[p]
	switch {
	case isVal(b):
		if valValue(b) >= int(count) {
			return v, HLLUnchanged
		}
		if valLen(b) == 1 {
			v[p] = valByte(int(count), 1)
			return sparseMerge(v, prev), HLLChanged
		}
	case isZero(b) && zeroLen(b) == 1:
		v[p] = valByte(int(count), 1)
		return sparseMerge(v, prev), HLLChanged
	}

	var seq [5]byte
	n := 0
	last := first + span - 1
	if isVal(b) {
		cur := valValue(b)
		if idx != first {
			seq[n] = valByte(cur, idx-first)
			n++
		}
		seq[n] = valByte(int(count), 1)
		n++
		if idx != last {
			seq[n] = valByte(cur, last-idx)
			n++
		}
	} else {
		if idx != first {
			n += putZeros(seq[n:], idx-first)
		}
		seq[n] = valByte(int(count), 1)
		n++
		if idx != last {
			n += putZeros(seq[n:], last-idx)
		}
	}

	delta := n - oplen
	if delta > 0 && int64(end+delta) > sparseMax {
		return promote(v, idx, count)
	}
	newLen := end + delta
	v = roomFor(v, max(delta, 0))
	full := v[:max(end, newLen)+1]
	if delta != 0 && next >= 0 {
		copy(full[next+delta:], full[next:end])
	}
	full[newLen] = 0
	// An XZERO cut short by the end of the data has one byte less than its
	// replacement: that byte lands past the end (pastEnd), as in Redis.
	copy(full[p:], seq[:n])
	return sparseMerge(full[:newLen], prev), HLLChanged
}

// sparseMerge joins adjacent VAL opcodes of equal value around a change,
// scanning at most five opcodes from the one before it, then invalidates
// the cached cardinality.
func sparseMerge(v []byte, prev int) []byte {
	p := prev
	if p < 0 {
		p = HLLHeaderSize
	}
	end := len(v)
	for scan := 5; p < end && scan > 0; scan-- {
		b := v[p]
		if isXZero(b) {
			p += 2
			continue
		}
		if isZero(b) {
			p++
			continue
		}
		if p+1 < end && isVal(v[p+1]) {
			val := valValue(b)
			if val == valValue(v[p+1]) {
				if n := valLen(b) + valLen(v[p+1]); n <= hllValMaxLen {
					v[p+1] = valByte(val, n)
					copy(v[p:], v[p+1:end])
					end--
					v = v[:end]
					v[:end+1][end] = 0
					continue
				}
			}
		}
		p++
	}
	HLLInvalidate(v)
	return v
}

// promote turns a sparse sketch dense and sets the register there.
func promote(v []byte, idx int, count uint8) ([]byte, HLLResult) {
	d, ok := HLLToDense(v)
	if !ok {
		return v, HLLCorrupt
	}
	denseUpdate(d[HLLHeaderSize:], idx, count)
	return d, HLLChanged
}

// HLLCount estimates the cardinality of a sketch; ok is false for corrupt
// sparse data.
func HLLCount(v []byte) (uint64, bool) {
	var h [64]int
	if v[4] == hllEncDense {
		denseHisto(v[HLLHeaderSize:], &h)
	} else if !sparseHisto(v[HLLHeaderSize:], &h) {
		return 0, false
	}
	return hllEstimate(&h), true
}

// HLLRegs holds one byte per register: the union of several sketches, as
// PFCOUNT with several keys and PFMERGE compute it.
type HLLRegs [HLLRegisters]uint8

// Merge raises every register to its value in sketch v; ok is false for
// corrupt sparse data.
func (r *HLLRegs) Merge(v []byte) bool {
	if v[4] == hllEncDense {
		regs := v[HLLHeaderSize:]
		for i, j := 0, 0; j+2 < len(regs); i, j = i+4, j+3 {
			b0, b1, b2 := regs[j], regs[j+1], regs[j+2]
			q := (*[4]uint8)(r[i : i+4])
			q[0] = max(q[0], b0&hllRegMax)
			q[1] = max(q[1], (b0>>6|b1<<2)&hllRegMax)
			q[2] = max(q[2], (b1>>4|b2<<4)&hllRegMax)
			q[3] = max(q[3], b2>>2)
		}
		return true
	}
	return sparseEach(v[HLLHeaderSize:], func(first, n int, val uint8) {
		for i := first; i < first+n; i++ {
			if val > r[i] {
				r[i] = val
			}
		}
	})
}

// Count estimates the cardinality of the union.
func (r *HLLRegs) Count() uint64 {
	var h [64]int
	for _, x := range r {
		h[x&63]++
	}
	return hllEstimate(&h)
}

// StoreInto raises the registers of sketch v to the union's, register by
// register in index order as PFMERGE does (so a sparse v grows and may turn
// dense exactly as in Redis). v must belong to the caller.
func (r *HLLRegs) StoreInto(v []byte, sparseMax int64) []byte {
	for i, x := range r {
		if x != 0 {
			v, _ = HLLSet(v, i, x, sparseMax)
		}
	}
	return v
}

// hllEstimate is Redis's estimator (Otmar Ertl, "New cardinality
// estimation algorithms for HyperLogLog sketches", arXiv:1702.01284) over
// the register histogram. The explicit conversions keep every step rounded
// to float64, so no fused multiply-add changes the last bits.
func hllEstimate(h *[64]int) uint64 {
	const m = float64(HLLRegisters)
	z := m * hllTau(float64(m-float64(h[hllQ+1]))/m)
	for j := hllQ; j >= 1; j-- {
		z += float64(h[j])
		z *= 0.5
	}
	z += float64(m * hllSigma(float64(h[0])/m))
	e := float64(float64(hllAlphaInf*m)*m) / z
	return roundToUint(e)
}

// roundToUint rounds half away from zero as C's llroundl, then converts as
// Redis's (uint64_t)(double) cast does on x86-64: a result out of the range
// of long long (infinity, when every register is at least Q+1) becomes
// LLONG_MIN, which reads back as 1<<63.
func roundToUint(e float64) uint64 {
	r := math.Round(e)
	if math.IsNaN(r) || r >= 1<<63 || r < -(1<<63) {
		return 1 << 63
	}
	return uint64(int64(r))
}

func hllSigma(x float64) float64 {
	if x == 1 {
		return math.Inf(1)
	}
	y, z := 1.0, x
	for {
		x *= x
		zp := z
		z += float64(x * y)
		y += y
		if z == zp {
			return z
		}
	}
}

func hllTau(x float64) float64 {
	if x == 0 || x == 1 {
		return 0
	}
	y, z := 1.0, 1-x
	for {
		x = math.Sqrt(x)
		zp := z
		y *= 0.5
		d := 1 - x
		z -= float64(float64(d*d) * y)
		if z == zp {
			return z / 3
		}
	}
}

// HLLRegister returns register i of a dense sketch.
func HLLRegister(v []byte, i int) uint8 { return denseGet(v[HLLHeaderSize:], i) }

// HLLDecode describes the opcodes of a sparse sketch as PFDEBUG DECODE
// does: "z:len", "Z:len" and "v:value,len", separated by spaces.
func HLLDecode(v []byte) []byte {
	s := v[HLLHeaderSize:]
	out := make([]byte, 0, len(s)*6)
	for p := 0; p < len(s); {
		if len(out) > 0 {
			out = append(out, ' ')
		}
		b := s[p]
		switch {
		case isZero(b):
			out = append(out, "z:"...)
			out = strconv.AppendInt(out, int64(zeroLen(b)), 10)
			p++
		case isXZero(b):
			out = append(out, "Z:"...)
			out = strconv.AppendInt(out, int64(xzeroLen(s, p)), 10)
			p += 2
		default:
			out = append(out, "v:"...)
			out = strconv.AppendInt(out, int64(valValue(b)), 10)
			out = append(out, ',')
			out = strconv.AppendInt(out, int64(valLen(b)), 10)
			p++
		}
	}
	return out
}

// HLLSelfTest checks the sketch code as PFSELFTEST does: dense registers
// keep what is stored in them, sparse and dense sketches of the same
// elements agree register for register and in their estimates, and the
// estimates stay within five standard errors (5 × 1.04/√16384) of the true
// cardinality. It returns a description of the first failure, or "".
func HLLSelfTest() string {
	// Registers: fill every register with pseudo-random values and read
	// them back, many times over, so every bit position is exercised.
	regs := make([]byte, HLLDenseSize-HLLHeaderSize)
	want := make([]uint8, HLLRegisters)
	seed := uint64(0x9e3779b97f4a7c15)
	for round := 0; round < 64; round++ {
		for i := range want {
			seed = seed*6364136223846793005 + 1442695040888963407
			want[i] = uint8(seed>>58) & hllRegMax
			denseSet(regs, i, want[i])
		}
		for i, w := range want {
			if got := denseGet(regs, i); got != w {
				return "Register error at index " + strconv.Itoa(i) + ": set " +
					strconv.Itoa(int(w)) + ", get " + strconv.Itoa(int(got))
			}
		}
	}

	// Estimates: the same elements into a sparse and a dense sketch.
	const sparseMax = 3000
	sparse := NewHLL()
	dense, _ := HLLToDense(NewHLL())
	relErr := 5 * 1.04 / math.Sqrt(HLLRegisters)
	var elem [8]byte
	next := uint64(1)
	for n := uint64(1); n <= 1000000; n++ {
		binary.LittleEndian.PutUint64(elem[:], n)
		dense, _ = HLLAdd(dense, elem[:], sparseMax)
		if !HLLIsDense(sparse) {
			var r HLLResult
			if sparse, r = HLLAdd(sparse, elem[:], sparseMax); r == HLLCorrupt {
				return "sparse sketch corrupted after " + strconv.FormatUint(n, 10) + " elements"
			}
		}
		if n != next {
			continue
		}
		next = next*3/2 + 1
		dc, _ := HLLCount(dense)
		if !HLLIsDense(sparse) {
			sc, ok := HLLCount(sparse)
			if !ok || sc != dc {
				return "sparse and dense estimates differ at " + strconv.FormatUint(n, 10) +
					": " + strconv.FormatUint(sc, 10) + " vs " + strconv.FormatUint(dc, 10)
			}
			conv, ok := HLLToDense(sparse)
			if !ok || string(conv[HLLHeaderSize:]) != string(dense[HLLHeaderSize:]) {
				return "sparse and dense registers differ at " + strconv.FormatUint(n, 10)
			}
		}
		if diff := math.Abs(float64(dc) - float64(n)); diff > max(relErr*float64(n), 1) {
			return "too big error. card:" + strconv.FormatUint(n, 10) +
				" estimate:" + strconv.FormatUint(dc, 10)
		}
	}
	if !HLLIsDense(sparse) {
		return "sparse sketch never turned dense"
	}
	return ""
}
