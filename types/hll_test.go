package types

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"strconv"
	"testing"
)

// Expected values in these tests were captured from Redis 7.0.15.

const hllHdrInvalid = "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80"

func sha(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

// ownedSparse copies a sparse sketch as the PFADD handler does.
func ownedSparse(s string) []byte {
	v := make([]byte, len(s), len(s)+16)
	copy(v, s)
	return v
}

func addAll(t *testing.T, v []byte, elems ...string) []byte {
	t.Helper()
	for _, e := range elems {
		var r HLLResult
		if v, r = HLLAdd(v, []byte(e), 3000); r == HLLCorrupt {
			t.Fatalf("adding %q: corrupt", e)
		}
	}
	return v
}

func TestHLLNewIsRedisEmptySketch(t *testing.T) {
	want := "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x7f\xff"
	if got := string(NewHLL()); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	if n, ok := HLLCachedCount(NewHLL()); !ok || n != 0 {
		t.Fatalf("cached count %d %v, want 0 true", n, ok)
	}
}

func TestHLLHashPicksRedisRegisterAndCount(t *testing.T) {
	// Elements "", "x", "xx" ... cover every tail length of MurmurHash64A
	// and two full 8-byte blocks.
	want := []struct{ idx, count int }{
		{5938, 2}, {16374, 2}, {1289, 1}, {8026, 6}, {11435, 1}, {9577, 1},
		{10446, 1}, {4290, 2}, {5076, 2}, {2779, 5}, {1893, 5}, {10224, 4},
		{2948, 2}, {4709, 1}, {6417, 2}, {12070, 1}, {10349, 1}, {13758, 2},
	}
	for n, w := range want {
		idx, count := hllPos(bytes.Repeat([]byte("x"), n))
		if idx != w.idx || int(count) != w.count {
			t.Errorf("len %d: register %d count %d, want %d %d", n, idx, count, w.idx, w.count)
		}
	}
}

func TestHLLAddWritesRedisBytes(t *testing.T) {
	tests := []struct {
		elems []string
		want  string
	}{
		{[]string{"a"}, hllHdrInvalid + "q\xa6\x84NW"},
		{[]string{"a", "b", "c"}, hllHdrInvalid + "`\xf3\x80P\xb1\x84K\xfb\x80BZ"},
		{[]string{"c", "b", "a", "a"}, hllHdrInvalid + "`\xf3\x80P\xb1\x84K\xfb\x80BZ"},
	}
	for _, tc := range tests {
		v := addAll(t, NewHLL(), tc.elems...)
		if string(v) != tc.want {
			t.Errorf("%q: got %q, want %q", tc.elems, v, tc.want)
		}
	}
}

func TestHLLAddReportsChanges(t *testing.T) {
	v := NewHLL()
	var r HLLResult
	if v, r = HLLAdd(v, []byte("a"), 3000); r != HLLChanged {
		t.Fatalf("first add: %d", r)
	}
	if _, r = HLLAdd(v, []byte("a"), 3000); r != HLLUnchanged {
		t.Fatalf("second add: %d", r)
	}
	d, _ := HLLToDense(v)
	if d, r = HLLAdd(d, []byte("a"), 3000); r != HLLUnchanged {
		t.Fatalf("dense re-add: %d", r)
	}
	if _, r = HLLAdd(d, []byte("b"), 3000); r != HLLChanged {
		t.Fatalf("dense add: %d", r)
	}
}

func TestHLLCountCachesAsRedis(t *testing.T) {
	v := addAll(t, NewHLL(), "a", "b", "c")
	if _, ok := HLLCachedCount(v); ok {
		t.Fatal("cache valid after add")
	}
	n, ok := HLLCount(v)
	if !ok || n != 3 {
		t.Fatalf("count %d %v", n, ok)
	}
	HLLSetCachedCount(v, n)
	want := "HYLL\x01\x00\x00\x00\x03\x00\x00\x00\x00\x00\x00\x00`\xf3\x80P\xb1\x84K\xfb\x80BZ"
	if string(v) != want {
		t.Fatalf("got %q, want %q", v, want)
	}
	if c, ok := HLLCachedCount(v); !ok || c != 3 {
		t.Fatalf("cached %d %v", c, ok)
	}
	v = addAll(t, v, "d")
	if v[8] != 3 || v[15] != 0x80 {
		t.Fatalf("an add must only set the invalid bit: %q", v[:16])
	}
}

func TestHLLEstimatorMatchesRedisOnSequences(t *testing.T) {
	// PFADD seq 0 1 2 ... with PFCOUNT at each checkpoint, in Redis.
	checks := []struct {
		n     int
		count uint64
		dense bool
	}{
		{1, 1, false}, {10, 10, false}, {100, 100, false}, {1000, 1001, false},
		{5000, 4985, true}, {10000, 9987, true}, {100000, 99565, true}, {200000, 200305, true},
	}
	v := NewHLL()
	next := 0
	for _, c := range checks {
		for ; next < c.n; next++ {
			v = addAll(t, v, strconv.Itoa(next))
		}
		n, ok := HLLCount(v)
		if !ok || n != c.count || HLLIsDense(v) != c.dense {
			t.Errorf("n=%d: count %d dense %v, want %d %v", c.n, n, HLLIsDense(v), c.count, c.dense)
		}
	}
}

func TestHLLBytesMatchRedisAfterManyAdds(t *testing.T) {
	// SHA-256 of GET after PFADD seq 0..999, after PFCOUNT, after PFADD up
	// to 199999 (dense by then), and after PFCOUNT again.
	v := NewHLL()
	step := func(from, to int, wantAdd, wantCount string) {
		for i := from; i < to; i++ {
			v = addAll(t, v, strconv.Itoa(i))
		}
		HLLInvalidate(v)
		if got := sha(v); got != wantAdd {
			t.Errorf("after adding to %d: sha %s, want %s", to, got, wantAdd)
		}
		n, _ := HLLCount(v)
		HLLSetCachedCount(v, n)
		if got := sha(v); got != wantCount {
			t.Errorf("after counting at %d: sha %s, want %s", to, got, wantCount)
		}
	}
	step(0, 1000, "69f56acb25eb29c671c402490a3f48ced31626444549899df85500aa1545d08f",
		"7aba7a1e51e42bb6394317e057e944f80a42330cb58e14380ab40e4ba864bc39")
	step(1000, 200000, "f567a3d69efaf19817c21c6eb2a68e7295afbee7dfd6df9245b087c9933f6aa7",
		"7a5930ce0caecbef5cbe0ffb91067786090f6bec15f0dc0dd4864e3552f4b8dd")
}

// denseOf builds a dense sketch with an invalid cache from register values.
func denseOf(reg func(i int) uint8) []byte {
	v := make([]byte, HLLDenseSize)
	copy(v, "HYLL")
	v[15] = 0x80
	for i := 0; i < HLLRegisters; i++ {
		denseSet(v[HLLHeaderSize:], i, reg(i))
	}
	return v
}

func TestHLLEstimatorExtremes(t *testing.T) {
	tests := []struct {
		name string
		reg  func(int) uint8
		want uint64
	}{
		{"all zero", func(int) uint8 { return 0 }, 0},
		{"all one", func(int) uint8 { return 1 }, 23637},
		{"every value", func(i int) uint8 { return uint8(i % 64) }, 375261},
		// Every register at Q or above: Redis divides by zero and its
		// integer conversion yields 1<<63 (PFCOUNT replies LLONG_MIN).
		{"all 50", func(int) uint8 { return 50 }, 1 << 63},
		{"all 51", func(int) uint8 { return 51 }, 1 << 63},
		{"all 63", func(int) uint8 { return 63 }, 1 << 63},
	}
	for _, tc := range tests {
		v := denseOf(tc.reg)
		if n, ok := HLLCount(v); !ok || n != tc.want {
			t.Errorf("%s: count %d %v, want %d", tc.name, n, ok, tc.want)
		}
		var r HLLRegs
		r.Merge(v)
		if n := r.Count(); n != tc.want {
			t.Errorf("%s: union count %d, want %d", tc.name, n, tc.want)
		}
	}
}

func TestHLLDenseRegistersRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	regs := make([]byte, HLLDenseSize-HLLHeaderSize)
	want := make([]uint8, HLLRegisters)
	for round := 0; round < 20; round++ {
		for n := 0; n < 5000; n++ {
			i := rng.IntN(HLLRegisters)
			if n%7 == 0 {
				i = HLLRegisters - 1 - rng.IntN(4) // the last bytes
			}
			want[i] = uint8(rng.IntN(64))
			denseSet(regs, i, want[i])
		}
		for i, w := range want {
			if got := denseGet(regs, i); got != w {
				t.Fatalf("round %d register %d: got %d, want %d", round, i, got, w)
			}
		}
	}
	var h [64]int
	denseHisto(regs, &h)
	var want64 [64]int
	for _, w := range want {
		want64[w]++
	}
	if h != want64 {
		t.Fatalf("histogram %v, want %v", h, want64)
	}
}

func TestHLLSparseTurnsDenseForBigValues(t *testing.T) {
	v := ownedSparse(string(NewHLL()))
	v, r := HLLSet(v, 100, 32, 3000)
	if r != HLLChanged || HLLIsDense(v) {
		t.Fatalf("32 must stay sparse: %d dense=%v", r, HLLIsDense(v))
	}
	v, r = HLLSet(v, 200, 33, 3000)
	if r != HLLChanged || !HLLIsDense(v) || len(v) != HLLDenseSize {
		t.Fatalf("33 must turn dense: %d len %d", r, len(v))
	}
	if HLLRegister(v, 100) != 32 || HLLRegister(v, 200) != 33 || HLLRegister(v, 101) != 0 {
		t.Fatal("registers lost in promotion")
	}
	if string(v[:4]) != "HYLL" || v[4] != 0 || v[15] != 0x80 {
		t.Fatalf("header %q", v[:16])
	}
}

func TestHLLSparseTurnsDenseAtSizeLimit(t *testing.T) {
	for _, limit := range []int64{0, 18, 25, 100, 3000} {
		v := ownedSparse(string(NewHLL()))
		for i := 0; !HLLIsDense(v); i++ {
			if i == 100000 {
				t.Fatalf("limit %d: still sparse at %d bytes", limit, len(v))
			}
			before := len(v)
			var r HLLResult
			v, r = HLLAdd(v, []byte(strconv.Itoa(i)), limit)
			if r == HLLCorrupt {
				t.Fatal("corrupt")
			}
			if !HLLIsDense(v) && len(v) > before && int64(len(v)) > limit {
				t.Fatalf("limit %d: sparse grew to %d bytes", limit, len(v))
			}
		}
	}
}

func TestHLLSparseAgreesWithDenseUnderRandomUpdates(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for round := 0; round < 30; round++ {
		sparse := ownedSparse(string(NewHLL()))
		dense, _ := HLLToDense(NewHLL())
		for n := 0; n < 300; n++ {
			i := rng.IntN(HLLRegisters)
			if rng.IntN(3) == 0 { // clustered updates exercise VAL runs and merges
				i = 5000 + rng.IntN(40)
			}
			val := uint8(1 + rng.IntN(32))
			var rs, rd HLLResult
			sparse, rs = HLLSet(sparse, i, val, 1<<20)
			dense, rd = HLLSet(dense, i, val, 1<<20)
			if rs != rd {
				t.Fatalf("round %d op %d: sparse %d dense %d", round, n, rs, rd)
			}
			if HLLIsDense(sparse) {
				t.Fatal("sparse turned dense below the limit")
			}
			conv, ok := HLLToDense(sparse)
			if !ok || !bytes.Equal(conv[HLLHeaderSize:], dense[HLLHeaderSize:]) {
				t.Fatalf("round %d op %d: registers differ (%s)", round, n, HLLDecode(sparse))
			}
		}
		cs, ok := HLLCount(sparse)
		cd, _ := HLLCount(dense)
		if !ok || cs != cd {
			t.Fatalf("counts differ: %d %d", cs, cd)
		}
	}
}

func TestHLLDecodeDescribesOpcodes(t *testing.T) {
	v := addAll(t, NewHLL(), "a", "b", "c")
	if got := string(HLLDecode(v)); got != "Z:8436 v:1,1 Z:4274 v:2,1 Z:3068 v:1,1 Z:603" {
		t.Fatalf("got %q", got)
	}
	v = []byte(hllHdrInvalid + "\x00\x3f\x85\x7f")
	if got := string(HLLDecode(v)); got != "z:1 z:64 v:2,2 Z:16129" {
		t.Fatalf("got %q", got)
	}
	if got := HLLDecode([]byte(hllHdrInvalid)); len(got) != 0 {
		t.Fatalf("got %q", got)
	}
}

func TestHLLIsHLLChecksHeader(t *testing.T) {
	dense := denseOf(func(int) uint8 { return 0 })
	tests := []struct {
		name string
		v    string
		want bool
	}{
		{"sparse", string(NewHLL()), true},
		{"sparse header only", hllHdrInvalid, true},
		{"dense", string(dense), true},
		{"dense one byte short", string(dense[:len(dense)-1]), false},
		{"dense one byte long", string(dense) + "x", false},
		{"raw encoding", "HYLL\x02" + hllHdrInvalid[5:] + "\x7f\xff", false},
		{"unknown encoding", "HYLL\x03" + hllHdrInvalid[5:], false},
		{"bad magic", "HYLX" + hllHdrInvalid[4:] + "\x7f\xff", false},
		{"short", "HYLL\x01", false},
		{"empty", "", false},
	}
	for _, tc := range tests {
		if got := IsHLL([]byte(tc.v)); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestHLLDetectsCorruptSparse(t *testing.T) {
	tests := []struct {
		name string
		body string
	}{
		{"no opcodes", ""},
		{"too few registers", "\x7f\xfe"},
		{"too many registers", "\x7f\xff\x00"},
		{"value run past the end", "\x7f\xfe\x83"},
		{"value after a full cover", "\x7f\xff\x80"},
		{"cut-short XZERO", "\x7f"},
	}
	for _, tc := range tests {
		v := []byte(hllHdrInvalid + tc.body)
		if _, ok := HLLCount(v); ok {
			t.Errorf("%s: HLLCount accepted it", tc.name)
		}
		var r HLLRegs
		if r.Merge(v) {
			t.Errorf("%s: Merge accepted it", tc.name)
		}
		if _, ok := HLLToDense(v); ok {
			t.Errorf("%s: HLLToDense accepted it", tc.name)
		}
		if _, res := HLLSet(ownedSparse(string(v)), HLLRegisters-1, 40, 3000); res != HLLCorrupt {
			t.Errorf("%s: promotion accepted it", tc.name)
		}
	}
}

func TestHLLCorruptSparseUpdatesAsRedis(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		elems []string
		res   HLLResult
		want  string
	}{
		// The cut-short last XZERO reads 0 after the end (16383 + 1).
		{"cut-short XZERO completes the cover", "\x7f\xfe\x40", []string{"a"}, HLLChanged, "q\xa6\x84NV@"},
		// Splitting a cut-short XZERO leaves its last byte after the end,
		// where the next update reads it.
		{"byte after the end carries over", "B\x0c\x80L", []string{"6680", "33799", "952000"}, HLLChanged,
			"B\x0c\x80C\xef\x90G\x9e\x80\x10\x84@"},
		{"update outside the cover", "B\x0c\x80L", []string{"6680", "33799", "6"}, HLLCorrupt,
			"B\x0c\x80C\xef\x90G\x9e\x80@"},
		{"too few registers", "\x7f\xfe", []string{"a"}, HLLChanged, "q\xa6\x84NV"},
		{"trailing value", "\x7f\xfe\x83", []string{"a"}, HLLChanged, "q\xa6\x84NV\x83"},
	}
	for _, tc := range tests {
		v := ownedSparse(hllHdrInvalid + tc.body)
		var r HLLResult
		for _, e := range tc.elems {
			if v, r = HLLAdd(v, []byte(e), 3000); r == HLLCorrupt {
				break
			}
		}
		if r != tc.res || string(v[HLLHeaderSize:]) != tc.want {
			t.Errorf("%s: %d %q, want %d %q", tc.name, r, v[HLLHeaderSize:], tc.res, tc.want)
		}
	}
}

func TestHLLRandomBytesNeverPanic(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for n := 0; n < 20000; n++ {
		body := make([]byte, rng.IntN(12))
		for i := range body {
			body[i] = byte(rng.IntN(256))
		}
		v := append([]byte(hllHdrInvalid), body...)
		HLLCount(v)
		HLLDecode(v)
		HLLToDense(v)
		var r HLLRegs
		r.Merge(v)
		w := ownedSparse(string(v))
		for k := 0; k < 4; k++ {
			var res HLLResult
			w, res = HLLSet(w, rng.IntN(HLLRegisters), uint8(1+rng.IntN(40)), int64(rng.IntN(40)))
			if res == HLLCorrupt || HLLIsDense(w) {
				break
			}
		}
	}
}

func TestHLLRegsUnionAndStore(t *testing.T) {
	a := addAll(t, NewHLL(), "a", "b", "c")
	b := addAll(t, NewHLL(), "c", "d")
	var r HLLRegs
	if !r.Merge(a) || !r.Merge(b) {
		t.Fatal("merge failed")
	}
	if n := r.Count(); n != 4 {
		t.Fatalf("union count %d", n)
	}
	all := addAll(t, NewHLL(), "a", "b", "c", "d")
	dst := r.StoreInto(ownedSparse(string(NewHLL())), 3000)
	if !bytes.Equal(dst[HLLHeaderSize:], all[HLLHeaderSize:]) {
		t.Fatalf("stored %q, want %q", dst, all)
	}
	d, _ := HLLToDense(NewHLL())
	d = r.StoreInto(d, 3000)
	if n, _ := HLLCount(d); n != 4 {
		t.Fatalf("dense store count %d", n)
	}
}

func TestHLLSelfTestPasses(t *testing.T) {
	if msg := HLLSelfTest(); msg != "" {
		t.Fatal(msg)
	}
}

func BenchmarkHLLAddDense(b *testing.B) {
	v, _ := HLLToDense(NewHLL())
	elems := make([][]byte, 1024)
	for i := range elems {
		elems[i] = []byte("element:" + strconv.Itoa(i))
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		v, _ = HLLAdd(v, elems[i&1023], 3000)
	}
}

func BenchmarkHLLAddSparse(b *testing.B) {
	base := NewHLL()
	for i := 0; i < 200; i++ {
		base, _ = HLLAdd(base, []byte(strconv.Itoa(i)), 3000)
	}
	v := make([]byte, len(base), 3100)
	elems := make([][]byte, 64)
	for i := range elems {
		elems[i] = []byte("new:" + strconv.Itoa(i))
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i&63 == 0 {
			v = append(v[:0], base...)
		}
		v, _ = HLLAdd(v, elems[i&63], 3000)
	}
}

func BenchmarkHLLCountDense(b *testing.B) {
	v, _ := HLLToDense(NewHLL())
	for i := 0; i < 100000; i++ {
		v, _ = HLLAdd(v, []byte(strconv.Itoa(i)), 3000)
	}
	b.ReportAllocs()
	for b.Loop() {
		HLLCount(v)
	}
}

func BenchmarkHLLCountSparse(b *testing.B) {
	v := NewHLL()
	for i := 0; i < 500; i++ {
		v, _ = HLLAdd(v, []byte(strconv.Itoa(i)), 3000)
	}
	b.ReportAllocs()
	for b.Loop() {
		HLLCount(v)
	}
}

func BenchmarkHLLUnionCount(b *testing.B) {
	x, _ := HLLToDense(NewHLL())
	y := NewHLL()
	for i := 0; i < 100000; i++ {
		x, _ = HLLAdd(x, []byte(strconv.Itoa(i)), 3000)
	}
	for i := 0; i < 300; i++ {
		y, _ = HLLAdd(y, []byte("y"+strconv.Itoa(i)), 3000)
	}
	var r HLLRegs
	b.ReportAllocs()
	for b.Loop() {
		r = HLLRegs{}
		r.Merge(x)
		r.Merge(y)
		r.Count()
	}
}
