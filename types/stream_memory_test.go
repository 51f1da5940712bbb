package types

import (
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// buildMemoryStream makes a stream of n entries as Redis's defaults lay it
// out (4096-byte, 100-entry nodes); with groups it adds group "g" with
// half the entries pending for "alice" and a quarter for "bob", and an
// empty group "g2".
func buildMemoryStream(n int, groups bool) *Stream {
	s := NewStream()
	lim := StreamLimits{MaxBytes: 4096, MaxEntries: 100}
	payload := []byte(strings.Repeat("x", 20))
	for i := 0; i < n; i++ {
		fv := [][]byte{
			[]byte("name"), []byte("user:" + strconv.Itoa(i)),
			[]byte("count"), []byte(strconv.Itoa(i)),
			[]byte("payload"), payload,
		}
		s.Add(StreamID{Ms: uint64(i + 1)}, fv, lim)
	}
	if !groups {
		return s
	}
	g := s.CreateGroup([]byte("g"), StreamID{}, 0)
	s.CreateGroup([]byte("g2"), s.LastID, int64(s.EntriesAdded))
	deliver := func(c *StreamConsumer, count int) {
		it := s.Iter(g.LastID, MaxStreamID, false)
		for k := 0; k < count; k++ {
			id, _, ok := it.Next()
			if !ok {
				break
			}
			if id == g.LastID {
				k--
				continue
			}
			pe := &PendingEntry{ID: id, Consumer: c, DeliveryTime: 1, DeliveryCount: 1}
			g.PEL.Set(pe)
			c.PEL.Set(pe)
			s.MarkDelivered(g, id)
		}
	}
	deliver(g.CreateConsumer([]byte("alice"), 1), n/2)
	deliver(g.CreateConsumer([]byte("bob"), 1), n/4)
	return s
}

// MEMORY USAGE must tell what a stream costs: its estimate (all nodes
// looked at) is checked against the heap the same streams take.
func TestStreamMemoryUsageMatchesHeap(t *testing.T) {
	for _, tc := range []struct {
		entries, copies int
		groups          bool
	}{
		{10, 2000, false},
		{10, 2000, true},
		{1000, 50, false},
		{1000, 50, true},
		{100000, 2, false},
		{100000, 2, true},
	} {
		name := strconv.Itoa(tc.entries)
		if tc.groups {
			name += "/groups"
		}
		t.Run(name, func(t *testing.T) {
			streams := make([]*Stream, tc.copies)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			for i := range streams {
				streams[i] = buildMemoryStream(tc.entries, tc.groups)
			}
			runtime.GC()
			runtime.ReadMemStats(&after)
			heap := float64(after.HeapAlloc-before.HeapAlloc) / float64(tc.copies)
			est := float64(streams[0].MemoryUsage(0))
			t.Logf("estimate %.0f, heap %.0f bytes per stream", est, heap)
			if est < 0.85*heap || est > 1.15*heap {
				t.Errorf("MEMORY USAGE estimate %.0f bytes, the heap holds %.0f per stream", est, heap)
			}
			runtime.KeepAlive(streams)
		})
	}
}

// Sampling looks at the first nodes and the last one; for a stream of
// like nodes it gives what looking at all of them gives, give or take the
// nodes' small differences, and it grows with the data.
func TestStreamMemoryUsageSampling(t *testing.T) {
	s := buildMemoryStream(100000, false)
	all, sampled := s.MemoryUsage(0), s.MemoryUsage(5)
	if d := float64(sampled-all) / float64(all); d < -0.05 || d > 0.05 {
		t.Errorf("SAMPLES 5 gives %d, all nodes %d", sampled, all)
	}
	if got := s.MemoryUsage(s.NodeCount() + 10); got != all {
		t.Errorf("more samples than nodes gives %d, all nodes %d", got, all)
	}
	small := buildMemoryStream(1000, false).MemoryUsage(5)
	if small*50 > sampled || small < 10*NewStream().MemoryUsage(5) {
		t.Errorf("1000 entries: %d bytes, 100000 entries: %d, empty: %d", small, sampled, NewStream().MemoryUsage(5))
	}
	withGroups := buildMemoryStream(100000, true).MemoryUsage(5)
	// 75000 pending entries, each a PendingEntry and a slot in two maps.
	if min := sampled + 75000*(pendingEntrySize+16); withGroups < min {
		t.Errorf("with 75000 pending entries: %d bytes, want at least %d", withGroups, min)
	}
}
