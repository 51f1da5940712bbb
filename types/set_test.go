package types

import (
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"testing"
)

// setCheck compares a set with its model: length, membership, each member
// listed exactly once, intsets in ascending order.
func setCheck(t *testing.T, s *Set, model map[string]bool) {
	t.Helper()
	if s.Len() != len(model) {
		t.Fatalf("Len = %d, model has %d", s.Len(), len(model))
	}
	seen := map[string]bool{}
	var prev int64
	first := true
	s.Members(func(m []byte) bool {
		k := string(m)
		if seen[k] {
			t.Fatalf("member %q listed twice", k)
		}
		seen[k] = true
		if !model[k] {
			t.Fatalf("member %q not in model", k)
		}
		if s.IsIntset() {
			v, err := strconv.ParseInt(k, 10, 64)
			if err != nil {
				t.Fatalf("intset member %q is not an integer", k)
			}
			if !first && v <= prev {
				t.Fatalf("intset out of order: %d after %d", v, prev)
			}
			prev, first = v, false
		}
		return true
	})
	if len(seen) != len(model) {
		t.Fatalf("listed %d members, model has %d", len(seen), len(model))
	}
	for k := range model {
		if !s.Contains([]byte(k)) {
			t.Fatalf("Contains(%q) = false", k)
		}
	}
	if s.Len() > 0 {
		var sc Scratch
		for i := 0; i < 10; i++ {
			if m := s.Random(&sc); !model[string(m)] {
				t.Fatalf("Random() = %q, not in model", m)
			}
		}
	}
	if s.table() != nil {
		// Every member sits in the probe run of its home slot.
		mask := len(s.table().slots) - 1
		for i, slot := range s.table().slots {
			if slot == 0 {
				continue
			}
			for j := int(slot>>32) & mask; j != i; j = (j + 1) & mask {
				if s.table().slots[j] == 0 {
					t.Fatalf("slot %d: an empty slot %d between it and its home", i, j)
				}
			}
		}
	}
}

func randomMember(r *rand.Rand, intsOnly bool) string {
	switch n := r.IntN(10); {
	case intsOnly || n < 4:
		switch r.IntN(4) {
		case 0:
			return strconv.Itoa(r.IntN(100) - 50)
		case 1:
			return strconv.Itoa(r.IntN(1<<20) - 1<<19)
		case 2:
			return strconv.FormatInt(r.Int64()-1<<62, 10)
		default:
			return strconv.Itoa(r.IntN(300))
		}
	case n < 8:
		return "m" + strconv.Itoa(r.IntN(400))
	case n < 9:
		return string(make([]byte, 60+r.IntN(10)))
	default:
		return ""
	}
}

func TestSetRandomOperationsMatchModel(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		r := rand.New(rand.NewPCG(seed, 7))
		s := NewSet()
		model := map[string]bool{}
		intsOnly := seed%2 == 0
		maxIntset := []int{0, 3, 512, 1000}[seed%4]
		for op := 0; op < 3000; op++ {
			m := randomMember(r, intsOnly)
			switch r.IntN(10) {
			case 0, 1, 2, 3, 4:
				if got, want := s.Add([]byte(m), maxIntset), !model[m]; got != want {
					t.Fatalf("seed %d op %d: Add(%q) = %v, want %v", seed, op, m, got, want)
				}
				model[m] = true
			case 5, 6:
				if got, want := s.Remove([]byte(m)), model[m]; got != want {
					t.Fatalf("seed %d op %d: Remove(%q) = %v, want %v", seed, op, m, got, want)
				}
				delete(model, m)
			case 7:
				if s.Len() > 0 {
					p := s.Pop()
					if !model[string(p)] {
						t.Fatalf("seed %d op %d: Pop returned %q, not a member", seed, op, p)
					}
					delete(model, string(p))
				}
			case 8:
				if n := s.Len(); n > 1 {
					k := 1 + r.IntN(n-1)
					popped := map[string]bool{}
					s.PopRandom(k, func(m []byte) {
						if popped[string(m)] || !model[string(m)] {
							t.Fatalf("seed %d op %d: PopRandom gave %q twice or not a member", seed, op, m)
						}
						popped[string(m)] = true
					})
					if len(popped) != k {
						t.Fatalf("PopRandom(%d) gave %d members", k, len(popped))
					}
					for m := range popped {
						delete(model, m)
					}
				}
			default:
				if got := s.Contains([]byte(m)); got != model[m] {
					t.Fatalf("seed %d op %d: Contains(%q) = %v", seed, op, m, got)
				}
			}
			if op%97 == 0 {
				setCheck(t, s, model)
			}
		}
		setCheck(t, s, model)
		c := s.Copy().(*Set)
		setCheck(t, c, model)
		c.Add([]byte("only-in-copy"), maxIntset)
		if s.Contains([]byte("only-in-copy")) {
			t.Fatal("Copy shares state with the original")
		}
	}
}

func TestSetEncodingConversions(t *testing.T) {
	s := NewSet()
	for i := 0; i < 512; i++ {
		s.Add([]byte(strconv.Itoa(i*1000)), 512)
	}
	if s.Encoding() != "intset" {
		t.Fatalf("512 integers: %s, want intset", s.Encoding())
	}
	s.Add([]byte("513000"), 512)
	if s.Encoding() != "hashtable" || s.table() == nil {
		t.Fatalf("513 integers: %s (table %v), want hashtable", s.Encoding(), s.table() != nil)
	}

	s = NewSet()
	s.Add([]byte("1"), 512)
	s.Add([]byte("x"), 512)
	if s.Encoding() != "hashtable" || !s.isSmall() {
		t.Fatalf("a string member: %s, small %v", s.Encoding(), s.isSmall())
	}
	for i := 0; i < setSmallEntries-2; i++ {
		s.Add([]byte("m"+strconv.Itoa(i)), 512)
	}
	if !s.isSmall() || s.Len() != setSmallEntries {
		t.Fatalf("at %d members small = %v", s.Len(), s.isSmall())
	}
	s.Add([]byte("one more"), 512)
	if s.table() == nil {
		t.Fatal("over setSmallEntries the set should be a table")
	}

	s = NewSet()
	s.Add([]byte("a"), 512)
	s.Add(make([]byte, setSmallValue+1), 512)
	if s.table() == nil {
		t.Fatal("a member over setSmallValue should make a table")
	}

	// An intset over the limit holding few members becomes packed.
	s = NewSet()
	for i := 0; i < 4; i++ {
		s.Add([]byte(strconv.Itoa(i)), 3)
	}
	if !s.isSmall() {
		t.Fatalf("4 integers with max 3: small = %v", s.isSmall())
	}
	// Removing never converts back.
	s.Remove([]byte("0"))
	s.Remove([]byte("1"))
	if s.Encoding() != "hashtable" {
		t.Fatal("a hashtable set went back to intset")
	}
}

func TestSetIntsetWidthsAndOrder(t *testing.T) {
	s := NewSet()
	vals := []int64{5, -3, 40000, -40000, 1 << 40, -(1 << 40), 0, 32767, -32768, 1<<63 - 1, -1 << 63}
	for i, v := range vals {
		s.Add([]byte(strconv.FormatInt(v, 10)), 512)
		want := slices.Clone(vals[:i+1])
		slices.Sort(want)
		var got []int64
		s.Members(func(m []byte) bool {
			v, _ := strconv.ParseInt(string(m), 10, 64)
			got = append(got, v)
			return true
		})
		if !slices.Equal(got, want) {
			t.Fatalf("after %d: %v, want %v", v, got, want)
		}
	}
	if s.intWidth() != 8 {
		t.Fatalf("width %d, want 8", s.intWidth())
	}
	for _, bad := range []string{"01", "-0", "+1", " 1", "1 ", "9223372036854775808", ""} {
		if s.Contains([]byte(bad)) {
			t.Fatalf("Contains(%q) on an intset", bad)
		}
	}
}

func TestSetRandomDistinctAndRepeat(t *testing.T) {
	for _, n := range []int{5, 100, 300, 5000} {
		for _, ints := range []bool{true, false} {
			s := NewSet()
			for i := 0; i < n; i++ {
				m := strconv.Itoa(i)
				if !ints {
					m = "m" + m
				}
				s.Add([]byte(m), 512)
			}
			for _, k := range []int{1, n / 3, n - 1} {
				if k < 1 {
					continue
				}
				got := map[string]bool{}
				s.RandomDistinct(k, func(m []byte) {
					if got[string(m)] || !s.Contains(m) {
						t.Fatalf("n=%d k=%d: %q repeated or not a member", n, k, m)
					}
					got[string(m)] = true
				})
				if len(got) != k {
					t.Fatalf("n=%d k=%d: got %d members", n, k, len(got))
				}
			}
			count := 0
			s.RandomRepeat(50, func(m []byte) bool {
				if !s.Contains(m) {
					t.Fatalf("RandomRepeat gave %q", m)
				}
				count++
				return true
			})
			if count != 50 {
				t.Fatalf("RandomRepeat gave %d", count)
			}
		}
	}
}

// TestSetRandomIsRoughlyUniform draws often from a small table and checks
// every member comes up about as often as the others.
func TestSetRandomIsRoughlyUniform(t *testing.T) {
	for _, prefix := range []string{"", "m"} { // intset, packed
		s := NewSet()
		for i := 0; i < 10; i++ {
			s.Add([]byte(prefix+strconv.Itoa(i)), 512)
		}
		counts := map[string]int{}
		var sc Scratch
		for i := 0; i < 20000; i++ {
			counts[string(s.Random(&sc))]++
		}
		for m, c := range counts {
			if c < 1600 || c > 2400 {
				t.Fatalf("%q drawn %d times of 20000 among 10", m, c)
			}
		}
	}
	s := NewSet()
	for i := 0; i < 1000; i++ {
		s.Add([]byte("member:"+strconv.Itoa(i)), 512)
	}
	counts := make([]int, 1000)
	var sc Scratch
	for i := 0; i < 200000; i++ {
		v, _ := strconv.Atoi(string(s.Random(&sc))[len("member:"):])
		counts[v]++
	}
	sort.Ints(counts)
	if counts[0] < 100 || counts[999] > 320 {
		t.Fatalf("table draws range %d..%d for an expected 200", counts[0], counts[999])
	}
}

// TestSetScanReturnsEveryStableMember scans a table while it grows and
// shrinks between calls: every member present throughout must show up.
func TestSetScanReturnsEveryStableMember(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for round := 0; round < 10; round++ {
		s := NewSet()
		for i := 0; i < 300; i++ {
			s.Add([]byte("stable"+strconv.Itoa(i)), 512)
		}
		seen := map[string]bool{}
		cursor := uint64(0)
		extra := 0
		for calls := 0; ; calls++ {
			cursor = s.Scan(cursor, 5, func(m []byte) { seen[string(m)] = true })
			if cursor == 0 {
				break
			}
			// Grow or shrink the table between calls.
			if r.IntN(2) == 0 {
				for i := 0; i < 200; i++ {
					s.Add([]byte("extra"+strconv.Itoa(extra)), 512)
					extra++
				}
			} else {
				for i := 0; i < extra; i++ {
					s.Remove([]byte("extra" + strconv.Itoa(i)))
				}
			}
			if calls > 100000 {
				t.Fatal("scan does not terminate")
			}
		}
		for i := 0; i < 300; i++ {
			if !seen["stable"+strconv.Itoa(i)] {
				t.Fatalf("round %d: stable%d never returned", round, i)
			}
		}
	}
}

func TestSetTableCompactsAfterRemovals(t *testing.T) {
	s := NewSet()
	for i := 0; i < 10000; i++ {
		s.Add([]byte("member-"+strconv.Itoa(i)), 512)
	}
	for i := 0; i < 9990; i++ {
		s.Remove([]byte("member-" + strconv.Itoa(i)))
	}
	if s.table().garbage > len(s.table().arena)/2+1024 {
		t.Fatalf("garbage %d of arena %d", s.table().garbage, len(s.table().arena))
	}
	if len(s.table().slots) > 128 {
		t.Fatalf("%d slots for %d members", len(s.table().slots), s.Len())
	}
	model := map[string]bool{}
	for i := 9990; i < 10000; i++ {
		model["member-"+strconv.Itoa(i)] = true
	}
	setCheck(t, s, model)
}

func BenchmarkSetAddTable(b *testing.B) {
	s := NewSet()
	keys := make([][]byte, 1<<20)
	for i := range keys {
		keys[i] = []byte("element:" + strconv.Itoa(i))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.Add(keys[i&(1<<20-1)], 512)
	}
}

// TestSetTableProbingInvariants drives a bare hash table through random
// adds and removes at sizes where probe runs wrap around the end of the
// slots, checking after each step that every member is findable from its
// home slot and that the count matches.
func TestSetTableProbingInvariants(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	for round := 0; round < 50; round++ {
		s := &Set{}
		s.setTable(newSetTable(0))
		model := map[string]bool{}
		universe := 4 + r.IntN(60)
		for op := 0; op < 2000; op++ {
			m := "k" + strconv.Itoa(r.IntN(universe))
			if r.IntN(2) == 0 {
				if got := s.Add([]byte(m), 0); got == model[m] {
					t.Fatalf("round %d op %d: Add(%q) = %v", round, op, m, got)
				}
				model[m] = true
			} else {
				if got := s.Remove([]byte(m)); got != model[m] {
					t.Fatalf("round %d op %d: Remove(%q) = %v", round, op, m, got)
				}
				delete(model, m)
			}
			if op%7 == 0 {
				setCheck(t, s, model)
			}
		}
		setCheck(t, s, model)
	}
}

// TestSetAddAllMatchesAdd checks that sizing a new set up front changes
// nothing but its allocation: same members, count and encoding as adding
// one by one, and an exactly sized intset.
func TestSetAddAllMatchesAdd(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for round := 0; round < 300; round++ {
		n := 2 + r.IntN(200)
		ints := r.IntN(2) == 0
		members := make([][]byte, n)
		for i := range members {
			members[i] = []byte(randomMember(r, ints))
		}
		maxIntset := []int{0, 5, 512}[r.IntN(3)]
		one, all := NewSet(), NewSet()
		added := 0
		for _, m := range members {
			if one.Add(m, maxIntset) {
				added++
			}
		}
		if got := all.AddAll(members, maxIntset); got != added {
			t.Fatalf("AddAll added %d, Add %d", got, added)
		}
		if one.Encoding() != all.Encoding() || one.Len() != all.Len() {
			t.Fatalf("AddAll: %s/%d, Add: %s/%d", all.Encoding(), all.Len(), one.Encoding(), one.Len())
		}
		model := map[string]bool{}
		one.Members(func(m []byte) bool { model[string(m)] = true; return true })
		setCheck(t, all, model)
	}
	s := NewSet()
	s.AddAll([][]byte{[]byte("1"), []byte("2"), []byte("3"), []byte("70000")}, 512)
	if b := s.blob(); len(b) != 1+4*4 || cap(b) != 24 {
		t.Fatalf("intset of four 32-bit members: len %d cap %d", len(b), cap(b))
	}
}
