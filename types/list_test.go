package types

import (
	"bytes"
	"fmt"
	"math/rand"
	"slices"
	"strconv"
	"strings"
	"testing"

	"petrel/internal/lzf"
)

// listCheck verifies the list's internal invariants against its model and
// the node limits of fill, and that exactly the nodes in the middle are
// compressed, save those that compress too little.
func listCheck(t *testing.T, l *List, model [][]byte, fill int, step string) {
	t.Helper()
	if l.Len() != len(model) {
		t.Fatalf("%s: Len %d, model %d", step, l.Len(), len(model))
	}
	lim := limitsFor(fill)
	total := 0
	var got [][]byte
	var sc Scratch
	for ni := 0; ni < l.nlen(); ni++ {
		orig := l.node(ni)
		listCheckCompression(t, l, ni, step)
		var buf []byte
		nd := orig.view(&buf)
		if nd.n == 0 {
			t.Fatalf("%s: empty node %d", step, ni)
		}
		if nd.overLimits(lim) {
			t.Fatalf("%s: node %d over limits: %d bytes, %d entries", step, ni, nd.used(), nd.n)
		}
		off := int(nd.off)
		for k := 0; k < int(nd.n); k++ {
			v, end := entryAt(nd.b, off, &sc)
			if entryStart(nd.b, end) != off {
				t.Fatalf("%s: node %d entry %d: backlen does not lead back", step, ni, k)
			}
			got = append(got, slices.Clone(v))
			off = end
		}
		if off != len(nd.b) {
			t.Fatalf("%s: node %d has %d stray bytes", step, ni, len(nd.b)-off)
		}
		total += int(nd.n)
	}
	if total != l.count {
		t.Fatalf("%s: nodes hold %d, count %d", step, total, l.count)
	}
	for i := range model {
		if !bytes.Equal(got[i], model[i]) {
			t.Fatalf("%s: element %d is %q, model %q", step, i, got[i], model[i])
		}
	}
}

// listCheckCompression checks node ni's form against its position.
func listCheckCompression(t *testing.T, l *List, ni int, step string) {
	t.Helper()
	nd := l.node(ni)
	inner := l.depth > 0 && ni >= l.depth && ni < l.nlen()-l.depth
	if nd.packed {
		if !inner {
			t.Fatalf("%s: node %d of %d compressed within depth %d of an end", step, ni, l.nlen(), l.depth)
		}
		if nd.dense {
			t.Fatalf("%s: node %d packed and dense", step, ni)
		}
		if _, err := lzf.Decompress(nil, nd.b, int(nd.off)); err != nil {
			t.Fatalf("%s: node %d does not decompress: %v", step, ni, err)
		}
		return
	}
	if !inner {
		return
	}
	used := nd.used()
	worth := used >= minCompressBytes &&
		lzf.Compress(make([]byte, used-minCompressImprove-1), nd.b[nd.off:]) != nil
	if worth {
		t.Fatalf("%s: node %d of %d (depth %d, %d bytes, dense %v) left raw in the middle",
			step, ni, l.nlen(), l.depth, used, nd.dense)
	}
}

// listRandValue draws values of every shape: integers (that pack as
// integers, and near misses that must stay strings), short and long
// strings, empty strings, and values larger than a node.
func listRandValue(r *rand.Rand) []byte {
	switch r.Intn(10) {
	case 0:
		return []byte(strconv.FormatInt(r.Int63n(200)-100, 10))
	case 1:
		return []byte(strconv.FormatInt(r.Int63()-r.Int63(), 10))
	case 2:
		return []byte([]string{"-0", "007", "+1", "9223372036854775808", "-9223372036854775808",
			"4611686018427387904", "-4611686018427387905", "1 ", ""}[r.Intn(9)])
	case 3:
		return bytes.Repeat([]byte{'L'}, 100+r.Intn(20000))
	case 4:
		// Compressible, and small enough to share small nodes.
		return bytes.Repeat([]byte{byte('a' + r.Intn(3))}, 10+r.Intn(60))
	default:
		return []byte(fmt.Sprintf("v%d", r.Intn(30)))
	}
}

func TestListRandomOpsMatchModel(t *testing.T) {
	for _, tc := range []struct{ fill, depth int }{
		{-2, 0}, {-1, 0}, {-5, 0}, {-6, 0}, {0, 0}, {1, 0}, {3, 0}, {16, 0}, {128, 0},
		{-2, 1}, {-1, 1}, {0, 1}, {1, 1}, {2, 1}, {3, 1}, {16, 1},
		{-2, 2}, {-1, 2}, {1, 2}, {2, 2}, {5, 2}, {4, 3},
	} {
		fill := tc.fill
		t.Run(fmt.Sprintf("fill%d/depth%d", fill, tc.depth), func(t *testing.T) {
			r := rand.New(rand.NewSource(int64(fill)*10 + int64(tc.depth) + 99))
			l := NewList()
			l.SetCompressDepth(tc.depth)
			var model [][]byte
			var sc Scratch
			for step := 0; step < 4000; step++ {
				op := r.Intn(12)
				name := fmt.Sprint(step, " op ", op)
				switch op {
				case 0, 1:
					v := listRandValue(r)
					tail := op == 1
					l.Push(v, tail, fill)
					if tail {
						model = append(model, v)
					} else {
						model = slices.Insert(model, 0, v)
					}
				case 2:
					tail := r.Intn(2) == 0
					v, ok := l.Pop(tail, &sc)
					if ok != (len(model) > 0) {
						t.Fatalf("%s: pop ok %v with %d elements", name, ok, len(model))
					}
					if ok {
						want := model[0]
						if tail {
							want = model[len(model)-1]
							model = model[:len(model)-1]
						} else {
							model = model[1:]
						}
						if !bytes.Equal(v, want) {
							t.Fatalf("%s: popped %q, want %q", name, v, want)
						}
					}
				case 3:
					if len(model) > 0 {
						i := r.Intn(len(model))
						if v := l.Index(i, &sc); !bytes.Equal(v, model[i]) {
							t.Fatalf("%s: index %d is %q, want %q", name, i, v, model[i])
						}
					}
				case 4:
					if len(model) > 0 {
						i := r.Intn(len(model))
						v := listRandValue(r)
						l.Set(i, v, fill)
						model[i] = v
					}
				case 5:
					pivot := listRandValue(r)
					v := listRandValue(r)
					after := r.Intn(2) == 0
					found := l.Insert(pivot, after, v, fill)
					i := slices.IndexFunc(model, func(e []byte) bool { return bytes.Equal(e, pivot) })
					if found != (i >= 0) {
						t.Fatalf("%s: insert found %v, model %d", name, found, i)
					}
					if i >= 0 {
						if after {
							i++
						}
						model = slices.Insert(model, i, v)
					}
				case 6:
					v := listRandValue(r)
					count := r.Intn(7) - 3
					got := l.Remove(v, count, fill)
					model, _ = listModelRemove(model, v, count, got, t, name)
				case 7:
					if len(model) > 0 && r.Intn(4) == 0 {
						head, tail := r.Intn(len(model)/4+1), r.Intn(len(model)/4+1)
						l.Trim(head, tail)
						if head+tail >= len(model) {
							model = nil
						} else {
							model = model[head : len(model)-tail]
						}
					}
				case 8:
					if len(model) > 0 {
						start := r.Intn(len(model))
						n := r.Intn(len(model) - start + 1)
						it := l.Iter(start, n)
						for k := 0; k < n; k++ {
							v, ok := it.Next()
							if !ok || !bytes.Equal(v, model[start+k]) {
								t.Fatalf("%s: iter from %d, element %d: %q %v, want %q", name, start, k, v, ok, model[start+k])
							}
						}
						if _, ok := it.Next(); ok {
							t.Fatalf("%s: iterator went past %d elements", name, n)
						}
					}
				case 9:
					v := listRandValue(r)
					reverse := r.Intn(2) == 0
					skip, maxlen, want := r.Intn(3), r.Intn(len(model)+2), r.Intn(4)
					var got []int
					l.Pos(v, reverse, skip, maxlen, func(i int) bool {
						got = append(got, i)
						return want == 0 || len(got) < want
					})
					exp := listModelPos(model, v, reverse, skip, maxlen, want)
					if !slices.Equal(got, exp) {
						t.Fatalf("%s: pos %q rev %v skip %d maxlen %d count %d: %v, want %v", name, v, reverse, skip, maxlen, want, got, exp)
					}
				case 10:
					c := l.Copy().(*List)
					if c.CompressDepth() != tc.depth {
						t.Fatalf("%s: copy has depth %d", name, c.CompressDepth())
					}
					listCheck(t, c, model, fill, name+" (copy)")
					c.Push([]byte("only-in-copy"), true, fill)
					c.Set(c.Len()/2, []byte("also-only-in-copy"), fill)
				case 11:
					if r.Intn(50) == 0 {
						l.Trim(len(model), 0)
						model = nil
					}
				}
				listCheck(t, l, model, fill, name)
			}
		})
	}
}

func listModelRemove(model [][]byte, v []byte, count, got int, t *testing.T, name string) ([][]byte, int) {
	t.Helper()
	var idx []int
	for i, e := range model {
		if bytes.Equal(e, v) {
			idx = append(idx, i)
		}
	}
	switch {
	case count > 0 && len(idx) > count:
		idx = idx[:count]
	case count < 0 && len(idx) > -count:
		idx = idx[len(idx)+count:]
	}
	if got != len(idx) {
		t.Fatalf("%s: removed %d, want %d", name, got, len(idx))
	}
	out := model[:0:0]
	for i, e := range model {
		if !slices.Contains(idx, i) {
			out = append(out, e)
		}
	}
	return out, len(idx)
}

func listModelPos(model [][]byte, v []byte, reverse bool, skip, maxlen, count int) []int {
	var out []int
	seen := 0
	for s := 0; s < len(model); s++ {
		if maxlen > 0 && s >= maxlen {
			break
		}
		i := s
		if reverse {
			i = len(model) - 1 - s
		}
		if bytes.Equal(model[i], v) {
			if seen >= skip {
				out = append(out, i)
				if count > 0 && len(out) >= count {
					break
				}
			}
			seen++
		}
	}
	return out
}

func TestListIntegersPackSmall(t *testing.T) {
	for _, tc := range []struct {
		v    string
		size int
	}{
		{"0", 2}, {"-1", 2}, {"31", 2}, {"-32", 2}, {"32", 3}, {"1000000", 5},
		{"4611686018427387903", 11},
		{"9223372036854775807", 21}, // beyond the packed range: a 19-byte string
		{"-0", 4}, {"01", 4}, {"abc", 5},
	} {
		if e := makeElem([]byte(tc.v)); e.size != tc.size {
			t.Errorf("%q: entry of %d bytes, want %d", tc.v, e.size, tc.size)
		}
	}
}

func TestListNodesFollowFill(t *testing.T) {
	for _, tc := range []struct {
		fill, n            int
		minNodes, maxNodes int
	}{
		// "value" entries are 7 bytes
		{-2, 10000, 10000 * 7 / (8192 / nodeBytesDivisor), 10000*7/(8192/nodeBytesDivisor) + 2},
		{-1, 10000, 10000 * 7 / (4096 / nodeBytesDivisor), 10000*7/(4096/nodeBytesDivisor) + 2},
		{4, 100, 25, 25},
		{0, 10, 10, 10},
	} {
		l := NewList()
		for i := 0; i < tc.n; i++ {
			l.Push([]byte("value"), i%2 == 0, tc.fill)
		}
		if n := l.nlen(); n < tc.minNodes || n > tc.maxNodes {
			t.Errorf("fill %d, %d elements: %d nodes, want %d..%d", tc.fill, tc.n, n, tc.minNodes, tc.maxNodes)
		}
	}
}

func TestListHugeElementGetsOwnNode(t *testing.T) {
	l := NewList()
	l.Push([]byte("a"), true, -2)
	big := strings.Repeat("x", 100_000)
	l.Push([]byte(big), true, -2)
	l.Push([]byte("b"), true, -2)
	if l.nlen() != 3 {
		t.Fatalf("%d nodes, want 3", l.nlen())
	}
	var sc Scratch
	if v := l.Index(1, &sc); string(v) != big {
		t.Fatalf("big element corrupted")
	}
	l.Set(0, []byte(big), -2)
	listCheck(t, l, [][]byte{[]byte(big), []byte(big), []byte("b")}, -2, "set")
}

func TestListSetSplitsFullNode(t *testing.T) {
	l := NewList()
	var model [][]byte
	for i := 0; i < 2000; i++ {
		v := []byte(fmt.Sprintf("element-%d", i))
		l.Push(v, true, -1)
		model = append(model, v)
	}
	v := bytes.Repeat([]byte("y"), 3000)
	l.Set(100, v, -1)
	model[100] = v
	listCheck(t, l, model, -1, "set")
}

func TestListEncodingIsQuicklist(t *testing.T) {
	l := NewList()
	l.Push([]byte("a"), true, -2)
	if l.Type() != "list" || l.Encoding() != "quicklist" {
		t.Fatalf("type %q encoding %q", l.Type(), l.Encoding())
	}
}

func TestListQueueKeepsNodeSliceBounded(t *testing.T) {
	l := NewList()
	var sc Scratch
	for i := 0; i < 200_000; i++ {
		l.Push([]byte("queued-element"), true, -1)
		if l.Len() > 5000 {
			l.Pop(false, &sc)
		}
	}
	if c := len(l.nodes); c > 4*l.nlen()+4 {
		t.Fatalf("node slice of %d for %d live nodes", c, l.nlen())
	}
}

// listForms counts a list's packed, dense and other raw nodes.
func listForms(l *List) (packed, dense, raw int) {
	for i := 0; i < l.nlen(); i++ {
		switch nd := l.node(i); {
		case nd.packed:
			packed++
		case nd.dense:
			dense++
		default:
			raw++
		}
	}
	return
}

func TestListCompressesInnerNodesOnly(t *testing.T) {
	for _, depth := range []int{1, 2, 5} {
		l := NewList()
		l.SetCompressDepth(depth)
		var model [][]byte
		for i := 0; i < 3000; i++ {
			v := []byte(fmt.Sprintf("session:%d:user:%d", i%50, i%7))
			l.Push(v, i%3 != 0, -2)
			if i%3 != 0 {
				model = append(model, v)
			} else {
				model = slices.Insert(model, 0, v)
			}
		}
		listCheck(t, l, model, -2, fmt.Sprint("depth ", depth))
		packed, dense, raw := listForms(l)
		if packed != l.nlen()-2*depth || dense != 0 || raw != 2*depth {
			t.Fatalf("depth %d: %d nodes: %d packed, %d dense, %d raw", depth, l.nlen(), packed, dense, raw)
		}
		plain := NewList()
		for _, v := range model {
			plain.Push(v, true, -2)
		}
		if l.MemoryUsage(0)*4 > plain.MemoryUsage(0)*3 {
			t.Fatalf("depth %d: %d bytes, uncompressed %d", depth, l.MemoryUsage(0), plain.MemoryUsage(0))
		}
	}
}

func TestListLeavesSmallAndIncompressibleNodesRaw(t *testing.T) {
	small := NewList()
	small.SetCompressDepth(1)
	for i := 0; i < 100; i++ {
		// Four 11-byte entries: 44 bytes, under minCompressBytes.
		small.Push([]byte("aaaaaaaaa"), true, 4)
	}
	if packed, dense, _ := listForms(small); packed != 0 || dense != 0 {
		t.Fatalf("small nodes: %d packed, %d dense", packed, dense)
	}
	random := NewList()
	random.SetCompressDepth(1)
	r := rand.New(rand.NewSource(7))
	for i := 0; i < 100; i++ {
		v := make([]byte, 200)
		r.Read(v)
		random.Push(v, true, 4)
	}
	if packed, dense, _ := listForms(random); packed != 0 || dense != random.nlen()-2 {
		t.Fatalf("random data: %d packed, %d dense of %d nodes", packed, dense, random.nlen())
	}
	// A dense node that becomes compressible is compressed.
	for i := 0; i < random.Len(); i++ {
		random.Set(i, bytes.Repeat([]byte{'z'}, 200), 4)
	}
	if packed, dense, _ := listForms(random); packed != random.nlen()-2 || dense != 0 {
		t.Fatalf("after LSETs: %d packed, %d dense of %d nodes", packed, dense, random.nlen())
	}
}

func TestListSetCompressDepthChangesExistingNodes(t *testing.T) {
	l := NewList()
	var model [][]byte
	for i := 0; i < 500; i++ {
		v := []byte(strings.Repeat(strconv.Itoa(i%10), 30))
		l.Push(v, true, 2)
		model = append(model, v)
	}
	for _, depth := range []int{3, 1, 0, 1000, MaxCompressDepth + 10, 2} {
		l.SetCompressDepth(depth)
		listCheck(t, l, model, 2, fmt.Sprint("depth ", depth))
		packed, _, _ := listForms(l)
		want := max(l.nlen()-2*min(depth, MaxCompressDepth), 0)
		if depth == 0 {
			want = 0
		}
		if packed != want {
			t.Fatalf("depth %d: %d packed, want %d", depth, packed, want)
		}
	}
}

func TestListQueueOnCompressedList(t *testing.T) {
	l := NewList()
	l.SetCompressDepth(1)
	var sc Scratch
	next, first := 0, 0
	for i := 0; i < 50_000; i++ {
		l.Push([]byte(fmt.Sprintf("job-%d-payload-payload", next)), true, -1)
		next++
		if l.Len() > 2000 {
			v, _ := l.Pop(false, &sc)
			if want := fmt.Sprintf("job-%d-payload-payload", first); string(v) != want {
				t.Fatalf("popped %q, want %q", v, want)
			}
			first++
		}
	}
	var model [][]byte
	for i := first; i < next; i++ {
		model = append(model, []byte(fmt.Sprintf("job-%d-payload-payload", i)))
	}
	listCheck(t, l, model, -1, "queue")
	if packed, _, _ := listForms(l); packed != l.nlen()-2 {
		t.Fatalf("%d of %d nodes packed", packed, l.nlen())
	}
}

func BenchmarkListPushPop(b *testing.B) {
	l := NewList()
	v := []byte("xxx")
	var sc Scratch
	for i := 0; i < b.N; i++ {
		l.Push(v, false, -2)
		if l.Len() > 10000 {
			l.Pop(true, &sc)
		}
	}
}

func BenchmarkListIter100(b *testing.B) {
	l := NewList()
	for i := 0; i < 10000; i++ {
		l.Push([]byte("xxx"), false, -2)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		it := l.Iter(0, 100)
		for _, ok := it.Next(); ok; _, ok = it.Next() {
		}
	}
}

func BenchmarkListPushPopCompressed(b *testing.B) {
	l := NewList()
	l.SetCompressDepth(1)
	v := []byte("user:1234:session:abcdef")
	var sc Scratch
	for i := 0; i < b.N; i++ {
		l.Push(v, false, -2)
		if l.Len() > 10000 {
			l.Pop(true, &sc)
		}
	}
}

func BenchmarkListIndexCompressed(b *testing.B) {
	l := NewList()
	l.SetCompressDepth(1)
	for i := 0; i < 10000; i++ {
		l.Push([]byte(fmt.Sprintf("user:%d:session", i%100)), true, -2)
	}
	var sc Scratch
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l.Index(5000, &sc)
	}
}
