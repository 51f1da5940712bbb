package types

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

// stRefEntry is one entry of the reference model: a plain sorted slice.
type stRefEntry struct {
	id StreamID
	fv []string
}

func stFV(fv []string) [][]byte {
	out := make([][]byte, len(fv))
	for i, s := range fv {
		out[i] = []byte(s)
	}
	return out
}

func stCollect(s *Stream, start, end StreamID, rev bool) []stRefEntry {
	var out []stRefEntry
	it := s.Iter(start, end, rev)
	for {
		id, fv, ok := it.Next()
		if !ok {
			return out
		}
		e := stRefEntry{id: id}
		for _, b := range fv {
			e.fv = append(e.fv, string(b))
		}
		out = append(out, e)
	}
}

func stRefRange(ref []stRefEntry, start, end StreamID, rev bool) []stRefEntry {
	var out []stRefEntry
	for _, e := range ref {
		if !e.id.Less(start) && !end.Less(e.id) {
			out = append(out, e)
		}
	}
	if rev {
		slices.Reverse(out)
	}
	return out
}

func stSameEntries(a, b []stRefEntry) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].id != b[i].id || !slices.Equal(a[i].fv, b[i].fv) {
			return false
		}
	}
	return true
}

func stCheck(t *testing.T, s *Stream, ref []stRefEntry) {
	t.Helper()
	if s.Len() != uint64(len(ref)) {
		t.Fatalf("Len %d, want %d", s.Len(), len(ref))
	}
	all := stCollect(s, StreamID{}, MaxStreamID, false)
	if !stSameEntries(all, ref) {
		t.Fatalf("forward walk differs: %v vs %v", all, ref)
	}
	if rev := stCollect(s, StreamID{}, MaxStreamID, true); !stSameEntries(rev, stRefRange(ref, StreamID{}, MaxStreamID, true)) {
		t.Fatalf("reverse walk differs")
	}
	want := StreamID{}
	if len(ref) > 0 {
		want = ref[0].id
	}
	if s.FirstID != want {
		t.Fatalf("FirstID %v, want %v", s.FirstID, want)
	}
	var live int64
	for _, n := range s.nodes {
		live += int64(n.live)
		if n.live == 0 && n.deleted == 0 {
			t.Fatalf("empty node kept")
		}
	}
	if uint64(live) != s.Len() {
		t.Fatalf("node counts %d, length %d", live, s.Len())
	}
}

func TestStreamNodesSplitAtEntryAndByteLimits(t *testing.T) {
	s := NewStream()
	lim := StreamLimits{MaxBytes: 4096, MaxEntries: 10}
	for i := 1; i <= 25; i++ {
		s.Add(StreamID{uint64(i), 0}, stFV([]string{"a", "1"}), lim)
	}
	if s.NodeCount() != 3 {
		t.Fatalf("nodes %d, want 3", s.NodeCount())
	}
	// A byte limit smaller than one entry gives each entry its own node.
	s = NewStream()
	lim = StreamLimits{MaxBytes: 20, MaxEntries: 100}
	for i := 1; i <= 5; i++ {
		s.Add(StreamID{uint64(i), 0}, stFV([]string{"field", "some value"}), lim)
	}
	if s.NodeCount() != 5 {
		t.Fatalf("nodes %d, want 5", s.NodeCount())
	}
	// Deleted entries still count toward the entry limit.
	s = NewStream()
	lim = StreamLimits{MaxBytes: 0, MaxEntries: 3}
	for i := 1; i <= 3; i++ {
		s.Add(StreamID{uint64(i), 0}, stFV([]string{"a", "1"}), lim)
	}
	s.Delete(StreamID{2, 0})
	s.Add(StreamID{4, 0}, stFV([]string{"a", "1"}), lim)
	if s.NodeCount() != 2 {
		t.Fatalf("nodes %d, want 2", s.NodeCount())
	}
}

func TestStreamSameFieldsAndMixedEntriesDecode(t *testing.T) {
	s := NewStream()
	lim := StreamLimits{MaxBytes: 4096, MaxEntries: 100}
	ref := []stRefEntry{
		{StreamID{1, 5}, []string{"a", "1", "b", "2"}},
		{StreamID{1, 6}, []string{"a", "x", "b", ""}},
		{StreamID{2, 0}, []string{"b", "1", "a", "2"}},
		{StreamID{2, 1}, []string{"a", "1"}},
		{StreamID{9, 3}, []string{"a", "1", "b", "2", "c", "3"}},
	}
	for _, e := range ref {
		s.Add(e.id, stFV(e.fv), lim)
	}
	stCheck(t, s, ref)
	if s.nodes[0].blob[s.nodes[0].entries]&entrySameFields == 0 {
		t.Fatalf("first entry not flagged same-fields")
	}
}

func TestStreamApproxTrimRemovesOnlyWholeNodes(t *testing.T) {
	s := NewStream()
	lim := StreamLimits{MaxEntries: 10}
	for i := 1; i <= 35; i++ {
		s.Add(StreamID{uint64(i), 0}, stFV([]string{"a", "1"}), lim)
	}
	if n := s.Trim(TrimMaxLen, 12, StreamID{}, true, 0); n != 20 || s.Len() != 15 {
		t.Fatalf("approx MAXLEN removed %d, left %d", n, s.Len())
	}
	if n := s.Trim(TrimMinID, 0, StreamID{31, 0}, true, 0); n != 10 || s.FirstID != (StreamID{31, 0}) {
		t.Fatalf("approx MINID removed %d, first %v", n, s.FirstID)
	}
	if n := s.Trim(TrimMaxLen, 0, StreamID{}, true, 4); n != 0 {
		t.Fatalf("LIMIT smaller than a node removed %d", n)
	}
	if n := s.Trim(TrimMaxLen, 3, StreamID{}, false, 0); n != 2 || s.FirstID != (StreamID{33, 0}) {
		t.Fatalf("exact MAXLEN removed %d, first %v", n, s.FirstID)
	}
}

// TestStreamRandomOperationsMatchModel runs adds, deletes, trims and range
// reads against a sorted-slice model with small nodes.
func TestStreamRandomOperationsMatchModel(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		r := rand.New(rand.NewPCG(seed, 7))
		s := NewStream()
		lim := StreamLimits{MaxBytes: int64(r.IntN(300) + 20), MaxEntries: int64(r.IntN(8))}
		var ref []stRefEntry
		var last StreamID
		for op := 0; op < 2000; op++ {
			switch k := r.IntN(10); {
			case k < 5:
				last = StreamID{last.Ms + uint64(r.IntN(3)), last.Seq + 1}
				if r.IntN(2) == 0 {
					last.Seq = uint64(r.IntN(3))
					last.Ms++
				}
				var fv []string
				fields := [][]string{{"a", "b", "c"}, {"a"}, {"x", "y"}}[r.IntN(3)]
				for _, f := range fields {
					fv = append(fv, f, strconv.Itoa(r.IntN(1000)))
				}
				s.Add(last, stFV(fv), lim)
				ref = append(ref, stRefEntry{last, fv})
			case k < 7:
				if len(ref) == 0 {
					continue
				}
				i := r.IntN(len(ref))
				if !s.Delete(ref[i].id) {
					t.Fatalf("seed %d: delete %v failed", seed, ref[i].id)
				}
				if s.Delete(ref[i].id) {
					t.Fatalf("seed %d: deleted twice", seed)
				}
				ref = slices.Delete(ref, i, i+1)
				s.RefreshFirstID()
			case k < 8:
				maxLen := uint64(r.IntN(len(ref) + 5))
				approx := r.IntN(2) == 0
				n := s.Trim(TrimMaxLen, maxLen, StreamID{}, approx, 0)
				if !approx && len(ref) > int(maxLen) && n != int64(len(ref))-int64(maxLen) {
					t.Fatalf("seed %d: exact trim removed %d", seed, n)
				}
				ref = ref[n:]
			case k < 9:
				if len(ref) == 0 {
					continue
				}
				min := ref[r.IntN(len(ref))].id
				approx := r.IntN(2) == 0
				n := s.Trim(TrimMinID, 0, min, approx, 0)
				if !approx && ref[n].id != min {
					t.Fatalf("seed %d: exact MINID left %v first", seed, ref[n].id)
				}
				ref = ref[n:]
			default:
				a := StreamID{uint64(r.IntN(int(last.Ms) + 2)), uint64(r.IntN(3))}
				b := StreamID{uint64(r.IntN(int(last.Ms) + 2)), uint64(r.IntN(3))}
				rev := r.IntN(2) == 0
				if got, want := stCollect(s, a, b, rev), stRefRange(ref, a, b, rev); !stSameEntries(got, want) {
					t.Fatalf("seed %d: range %v..%v rev=%v: %v, want %v", seed, a, b, rev, got, want)
				}
			}
			stCheck(t, s, ref)
		}
	}
}

func TestPendingMapKeepsOrderUnderRandomChanges(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	var m PendingMap
	ref := map[StreamID]bool{}
	for op := 0; op < 20000; op++ {
		id := StreamID{uint64(r.IntN(2000)), 0}
		if r.IntN(3) == 0 {
			if (m.Delete(id) != nil) != ref[id] {
				t.Fatalf("delete %v disagrees", id)
			}
			delete(ref, id)
		} else {
			m.Set(&PendingEntry{ID: id})
			ref[id] = true
		}
	}
	if m.Len() != len(ref) {
		t.Fatalf("Len %d, want %d", m.Len(), len(ref))
	}
	var prev *PendingEntry
	n := 0
	m.Ascend(StreamID{}, func(pe *PendingEntry) bool {
		if prev != nil && !prev.ID.Less(pe.ID) {
			t.Fatalf("out of order")
		}
		prev = pe
		n++
		if r.IntN(4) == 0 {
			m.Delete(pe.ID)
			delete(ref, pe.ID)
		}
		return true
	})
	if n != m.Len()+(n-len(ref)) || m.Len() != len(ref) {
		t.Fatalf("walked %d, left %d, want %d", n, m.Len(), len(ref))
	}
}

func TestRaxNodesCountsCompressedTrie(t *testing.T) {
	s := NewStream()
	if s.RaxNodes() != 1 {
		t.Fatalf("empty: %d", s.RaxNodes())
	}
	s.Add(StreamID{1, 0}, stFV([]string{"a", "1"}), StreamLimits{MaxEntries: 1})
	if s.RaxNodes() != 2 {
		t.Fatalf("one key: %d", s.RaxNodes())
	}
	s.Add(StreamID{2, 0}, stFV([]string{"a", "1"}), StreamLimits{MaxEntries: 1})
	// shared 7-byte prefix, a branch, then a 8-byte tail each: 1+1+2*2
	if got := s.RaxNodes(); got != 6 {
		t.Fatalf("two keys: %d", got)
	}
	_ = fmt.Sprint()
}
