package types

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"
	"unsafe"
)

// checkSkiplist verifies every structural invariant: first-level order and
// back links, the span of every upper link (a nil link's span counts the
// nodes after its node), the forward's score every link caches, the level,
// the tail and the member index.
func checkSkiplist(t *testing.T, sl *zskiplist) {
	t.Helper()
	rank := map[*zslNode]int{sl.head: 0}
	var prev *zslNode
	n := 0
	for x := sl.head.next; x != nil; x = x.next {
		n++
		rank[x] = n
		if x.backward != prev {
			t.Fatalf("node %q: backward link is wrong", x.member)
		}
		if prev != nil && !sortsBefore(prev, prev.score, x.score, x.member) {
			t.Fatalf("nodes out of order: (%v,%q) before (%v,%q)", prev.score, prev.member, x.score, x.member)
		}
		if x.backward != nil && x.backward.nextScore != x.score || x.backward == nil && sl.head.nextScore != x.score {
			t.Fatalf("node %q: the link to it caches a stale score", x.member)
		}
		if int(x.level) > sl.level {
			t.Fatalf("node %q has level %d above the list's %d", x.member, x.level, sl.level)
		}
		prev = x
	}
	if n != sl.length {
		t.Fatalf("length %d, but %d nodes", sl.length, n)
	}
	if sl.tail != prev {
		t.Fatalf("tail is wrong")
	}
	if sl.level > 1 && sl.head.fwd(sl.level-1) == nil {
		t.Fatalf("level %d is empty", sl.level)
	}
	for i := 1; i < sl.level; i++ {
		for x := sl.head; ; {
			f := x.fwd(i)
			want := sl.length - rank[x]
			if f != nil {
				if int(f.level) <= i {
					t.Fatalf("level %d links to a node of level %d", i, f.level)
				}
				want = rank[f] - rank[x]
				if x.up(i).score != f.score {
					t.Fatalf("level %d link after rank %d caches score %v, want %v", i, rank[x], x.up(i).score, f.score)
				}
			}
			if x.span(i) != want {
				t.Fatalf("level %d span after rank %d is %d, want %d", i, rank[x], x.span(i), want)
			}
			if f == nil {
				break
			}
			x = f
		}
	}
	indexed := 0
	for _, b := range sl.buckets {
		for x := b; x != nil; x = x.hnext {
			indexed++
			if x.hash != zslHash([]byte(x.member)) {
				t.Fatalf("member %q indexed with a stale hash", x.member)
			}
		}
	}
	if indexed != sl.length {
		t.Fatalf("index holds %d members, list %d", indexed, sl.length)
	}
	for x := sl.head.next; x != nil; x = x.next {
		if sl.find([]byte(x.member)) != x {
			t.Fatalf("member %q not found through the index", x.member)
		}
		if r := sl.rank(x); r != rank[x] {
			t.Fatalf("rank of %q is %d, want %d", x.member, r, rank[x])
		}
		if sl.byRank(rank[x]) != x {
			t.Fatalf("byRank(%d) is not %q", rank[x], x.member)
		}
	}
}

// refModel is the obvious sorted set the skiplist is checked against.
type refModel map[string]float64

func (m refModel) sorted() []ZEntry {
	out := make([]ZEntry, 0, len(m))
	for k, v := range m {
		out = append(out, ZEntry{k, v})
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Score < out[j].Score || (out[i].Score == out[j].Score && out[i].Member < out[j].Member)
	})
	return out
}

func TestSkiplistInvariantsUnderRandomOperations(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	sl := newZskiplist(0)
	ref := refModel{}
	for step := 0; step < 20000; step++ {
		m := fmt.Sprintf("m%d", rng.IntN(600))
		score := float64(rng.IntN(50))
		switch op := rng.IntN(10); {
		case op < 5:
			if n := sl.find([]byte(m)); n != nil {
				sl.updateScore(n, score)
			} else {
				sl.insert(score, []byte(m))
			}
			ref[m] = score
		case op < 8:
			if n := sl.find([]byte(m)); n != nil {
				sl.remove(n)
			}
			delete(ref, m)
		case op < 9:
			// delete a rank range
			if sl.length > 0 {
				start := 1 + rng.IntN(sl.length)
				k := 1 + rng.IntN(5)
				sorted := ref.sorted()
				removed := sl.deleteFrom(sl.byRank(start), k, func(*zslNode) bool { return true })
				for i := start - 1; i < start-1+removed; i++ {
					delete(ref, sorted[i].Member)
				}
			}
		default:
			if n := sl.tail; n != nil {
				sl.remove(n)
				delete(ref, n.member)
			}
		}
		if step%500 == 0 {
			checkSkiplist(t, sl)
		}
	}
	checkSkiplist(t, sl)
	want := ref.sorted()
	i := 0
	for x := sl.head.next; x != nil; x = x.next {
		if x.member != want[i].Member || x.score != want[i].Score {
			t.Fatalf("position %d: (%v,%q), want (%v,%q)", i, x.score, x.member, want[i].Score, want[i].Member)
		}
		i++
	}
}

func TestSkiplistAppenderBuildsValidLists(t *testing.T) {
	for _, n := range []int{0, 1, 2, 5, 100, 3000} {
		sl := newZskiplist(n)
		a := newZslAppender(sl)
		for i := 0; i < n; i++ {
			m := fmt.Sprintf("%06d", i)
			a.add(float64(i/3), m, zslHash([]byte(m)))
		}
		a.finish()
		checkSkiplist(t, sl)
		// and it keeps working afterwards
		for i := 0; i < n/2; i++ {
			sl.insert(float64(i), []byte(fmt.Sprintf("x%d", i)))
			sl.remove(sl.head.next)
		}
		checkSkiplist(t, sl)
	}
}

func TestSkiplistScanReturnsEveryMemberAcrossResizes(t *testing.T) {
	sl := newZskiplist(0)
	for i := 0; i < 1000; i++ {
		sl.insert(float64(i), []byte(fmt.Sprintf("keep%d", i)))
	}
	seen := map[string]bool{}
	cursor := uint64(0)
	calls := 0
	for {
		cursor = sl.scan(cursor, func(n *zslNode) { seen[n.member] = true })
		calls++
		// grow and shrink the index between calls
		switch calls % 40 {
		case 10:
			for i := 0; i < 3000; i++ {
				sl.insert(0, []byte(fmt.Sprintf("tmp%d", i)))
			}
		case 30:
			for i := 0; i < 3000; i++ {
				sl.remove(sl.find([]byte(fmt.Sprintf("tmp%d", i))))
			}
		}
		if cursor == 0 {
			break
		}
	}
	for i := 0; i < 1000; i++ {
		if !seen[fmt.Sprintf("keep%d", i)] {
			t.Fatalf("keep%d was never returned", i)
		}
	}
}

// TestSkiplistNodeLayout pins what zslNode.up relies on: every node type
// puts its upper levels at the same offset.
func TestSkiplistNodeLayout(t *testing.T) {
	for name, off := range map[string]uintptr{
		"zslNode2":  unsafe.Offsetof(zslNode2{}.l),
		"zslNode4":  unsafe.Offsetof(zslNode4{}.l),
		"zslNode8":  unsafe.Offsetof(zslNode8{}.l),
		"zslNode32": unsafe.Offsetof(zslNode32{}.l),
	} {
		if off != zslUpperOffset {
			t.Errorf("%s has its levels at %d, want %d", name, off, zslUpperOffset)
		}
	}
	if size := unsafe.Sizeof(zslNode{}); size > 64 {
		t.Errorf("a first-level node takes %d bytes, more than a cache line", size)
	}
}

func TestSkiplistRandomLevelDistribution(t *testing.T) {
	counts := make([]int, zslMaxLevel+1)
	const n = 400000
	for i := 0; i < n; i++ {
		counts[zslRandomLevel()]++
	}
	// P(level >= k) = 4^-(k-1)
	for k, want := range map[int]float64{1: 0.75, 2: 0.1875, 3: 0.046875} {
		got := float64(counts[k]) / n
		if got < want*0.9 || got > want*1.1 {
			t.Errorf("level %d drawn with probability %.4f, want about %.4f", k, got, want)
		}
	}
}

// BenchmarkZSetAddToBigSet adds random members to a set of half a million,
// as redis-benchmark's zadd test does.
func BenchmarkZSetAddToBigSet(b *testing.B) {
	z := NewZSet(true)
	lim := ZLimits{128, 64}
	rng := rand.New(rand.NewPCG(1, 1))
	for i := 0; i < 500_000; i++ {
		z.Add(float64(rng.IntN(1_000_000)), []byte(fmt.Sprintf("element:%d", rng.IntN(1_000_000))), 0, lim)
	}
	members := make([][]byte, 1<<16)
	for i := range members {
		members[i] = []byte(fmt.Sprintf("element:%d", rng.IntN(1_000_000)))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		z.Add(float64(rng.IntN(1_000_000)), members[i&(1<<16-1)], 0, lim)
	}
}

// BenchmarkZSetAddRandomScores is redis-benchmark's zadd on a set of a
// thousand (cache-resident) and of a hundred thousand members: random
// twelve-digit members and scores, so most calls move a member.
func BenchmarkZSetAddRandomScores(b *testing.B) {
	for _, size := range []int{1000, 100000} {
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
