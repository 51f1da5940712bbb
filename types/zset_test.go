package types

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func collect(z *ZSet, walk func(ZIterFunc)) []ZEntry {
	var out []ZEntry
	walk(func(m []byte, s float64) { out = append(out, ZEntry{string(m), s}) })
	return out
}

func entriesEqual(a, b []ZEntry) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Member != b[i].Member || a[i].Score != b[i].Score {
			return false
		}
	}
	return true
}

// checkAgainst compares every read path of z with the model.
func checkAgainst(t *testing.T, z *ZSet, ref refModel, rng *rand.Rand) {
	t.Helper()
	want := ref.sorted()
	if z.Len() != len(want) {
		t.Fatalf("Len %d, want %d", z.Len(), len(want))
	}
	if got := collect(z, z.Each); !entriesEqual(got, want) {
		t.Fatalf("Each: %v, want %v", got, want)
	}
	if z.sl != nil {
		checkSkiplist(t, z.sl)
	}
	for i, e := range want {
		r, s, ok := z.Rank([]byte(e.Member), false)
		if !ok || r != i || s != e.Score {
			t.Fatalf("Rank(%q) = %d,%v,%v; want %d,%v", e.Member, r, s, ok, i, e.Score)
		}
		if r, _, _ := z.Rank([]byte(e.Member), true); r != len(want)-1-i {
			t.Fatalf("reverse rank of %q = %d", e.Member, r)
		}
		if m, s := z.ElementAt(i); string(m) != e.Member || s != e.Score {
			t.Fatalf("ElementAt(%d) = %q,%v", i, m, s)
		}
	}
	if _, ok := z.Score([]byte("absent")); ok {
		t.Fatalf("absent member found")
	}
	if len(want) == 0 {
		return
	}
	// rank ranges both ways
	start := rng.IntN(len(want))
	end := start + rng.IntN(len(want)-start)
	if got := collect(z, func(f ZIterFunc) { z.RangeByRank(start, end, false, f) }); !entriesEqual(got, want[start:end+1]) {
		t.Fatalf("RangeByRank(%d,%d) = %v", start, end, got)
	}
	rev := slices.Clone(want)
	slices.Reverse(rev)
	if got := collect(z, func(f ZIterFunc) { z.RangeByRank(start, end, true, f) }); !entriesEqual(got, rev[start:end+1]) {
		t.Fatalf("reverse RangeByRank(%d,%d) = %v", start, end, got)
	}
	// score and lex ranges with offsets and limits
	sr := &ScoreRange{Min: float64(rng.IntN(12)), Max: float64(rng.IntN(12)), MinEx: rng.IntN(2) == 0, MaxEx: rng.IntN(2) == 0}
	lr := &LexRange{Min: LexBound{Value: []byte(fmt.Sprintf("m%d", rng.IntN(40))), Ex: rng.IntN(2) == 0},
		Max: LexBound{Value: []byte(fmt.Sprintf("m%d", rng.IntN(40))), Ex: rng.IntN(2) == 0}}
	if rng.IntN(4) == 0 {
		lr.Min = LexBound{Inf: -1, Ex: true}
	}
	if rng.IntN(4) == 0 {
		lr.Max = LexBound{Inf: 1, Ex: true}
	}
	ranges := []ZRange{ByScore(sr)}
	if want[0].Score == want[len(want)-1].Score {
		// lexicographic ranges are only defined when all scores are equal
		ranges = append(ranges, ByLex(lr))
	}
	for _, r := range ranges {
		var in []ZEntry
		for _, e := range want {
			if r.aboveMin([]byte(e.Member), e.Score) && r.belowMax([]byte(e.Member), e.Score) {
				in = append(in, e)
			}
		}
		if r.Empty() && len(in) > 0 {
			t.Fatalf("range %+v called empty but holds %v", r, in)
		}
		if got := z.Count(r); got != len(in) {
			t.Fatalf("Count(%+v) = %d, want %d", r, got, len(in))
		}
		offset, limit := rng.IntN(4), rng.IntN(6)-1
		pick := func(list []ZEntry) []ZEntry {
			if offset >= len(list) {
				return nil
			}
			list = list[offset:]
			if limit >= 0 && limit < len(list) {
				list = list[:limit]
			}
			return list
		}
		if got := collect(z, func(f ZIterFunc) { z.RangeBy(r, false, offset, limit, f) }); !entriesEqual(got, pick(in)) {
			t.Fatalf("RangeBy(%+v, off %d, lim %d) = %v, want %v", r, offset, limit, got, pick(in))
		}
		rin := slices.Clone(in)
		slices.Reverse(rin)
		if got := collect(z, func(f ZIterFunc) { z.RangeBy(r, true, offset, limit, f) }); !entriesEqual(got, pick(rin)) {
			t.Fatalf("reverse RangeBy(%+v, off %d, lim %d) = %v, want %v", r, offset, limit, got, pick(rin))
		}
	}
}

func runRandomZSet(t *testing.T, lim ZLimits, seed uint64, oneScore bool) {
	rng := rand.New(rand.NewPCG(seed, 7))
	z := NewZSet(false)
	ref := refModel{}
	wasBig := false
	for step := 0; step < 4000; step++ {
		m := fmt.Sprintf("m%d", rng.IntN(40))
		if rng.IntN(50) == 0 {
			m += string(bytes.Repeat([]byte{'x'}, 70))
		}
		score := float64(rng.IntN(12))
		if rng.IntN(10) == 0 {
			score += 0.5
		}
		if oneScore {
			score = 0
		}
		switch op := rng.IntN(20); {
		case op < 8:
			flags := []ZAddFlag{0, ZAddNX, ZAddXX, ZAddGT, ZAddLT, ZAddIncr, ZAddIncr | ZAddXX}[rng.IntN(7)]
			cur, had := ref[m]
			res, s := z.Add(score, []byte(m), flags, lim)
			switch {
			case !had && flags&ZAddXX != 0:
				if res != ZAddNop {
					t.Fatalf("XX added a member")
				}
			case !had:
				if res != ZAddAdded || s != score {
					t.Fatalf("add of a new member: %v %v", res, s)
				}
				ref[m] = score
			default:
				want := score
				if flags&ZAddIncr != 0 {
					want += cur
				}
				switch {
				case flags&ZAddNX != 0, flags&ZAddGT != 0 && want <= cur, flags&ZAddLT != 0 && want >= cur:
					if res != ZAddNop {
						t.Fatalf("%v on existing: got %v", flags, res)
					}
				case want == cur:
					if res != ZAddSame {
						t.Fatalf("same score: %v", res)
					}
				default:
					if res != ZAddUpdated || s != want {
						t.Fatalf("update: %v %v want %v", res, s, want)
					}
					ref[m] = want
				}
			}
		case op < 12:
			if z.Remove([]byte(m)) != (func() bool { _, ok := ref[m]; return ok })() {
				t.Fatalf("Remove(%q) disagrees", m)
			}
			delete(ref, m)
		case op < 13:
			if n := z.Len(); n > 0 {
				start := rng.IntN(n)
				end := start + rng.IntN(min(4, n-start))
				sorted := ref.sorted()
				if got := z.RemoveRangeByRank(start, end); got != end-start+1 {
					t.Fatalf("RemoveRangeByRank removed %d", got)
				}
				for _, e := range sorted[start : end+1] {
					delete(ref, e.Member)
				}
			}
		case op < 14:
			r := &ScoreRange{Min: float64(rng.IntN(12)), Max: float64(rng.IntN(12))}
			n := 0
			for k, v := range ref {
				if v >= r.Min && v <= r.Max {
					delete(ref, k)
					n++
				}
			}
			if got := z.RemoveRangeBy(ByScore(r)); got != n {
				t.Fatalf("RemoveRangeBy removed %d, want %d", got, n)
			}
		case op < 16:
			max := rng.IntN(2) == 0
			k := 1 + rng.IntN(3)
			sorted := ref.sorted()
			if max {
				slices.Reverse(sorted)
			}
			got := collect(z, func(f ZIterFunc) { z.Pop(max, k, f) })
			if !entriesEqual(got, sorted[:min(k, len(sorted))]) {
				t.Fatalf("Pop(max=%v, %d) = %v, want %v", max, k, got, sorted[:min(k, len(sorted))])
			}
			for _, e := range got {
				delete(ref, e.Member)
			}
		default:
			checkAgainst(t, z, ref, rng)
		}
		if !z.IsCompact() {
			wasBig = true
		} else if wasBig {
			t.Fatalf("a skiplist turned compact by itself")
		}
		if z.IsCompact() && (z.Len() > lim.MaxEntries) {
			t.Fatalf("compact set of %d members over the limit %d", z.Len(), lim.MaxEntries)
		}
		if z.Len() == 0 && !wasBig && z.lp != nil {
			t.Fatalf("empty compact set still holds a blob")
		}
	}
	checkAgainst(t, z, ref, rng)
	c := z.Copy().(*ZSet)
	checkAgainst(t, c, ref, rng)
	if c.Encoding() != z.Encoding() {
		t.Fatalf("copy changed the encoding")
	}
	if z.Len() > 0 {
		z.Pop(false, z.Len(), func([]byte, float64) {})
		checkAgainst(t, c, ref, rng) // the copy shares nothing
	}
}

func TestZSetRandomOperationsMatchModel(t *testing.T) {
	for i, lim := range []ZLimits{{128, 64}, {16, 64}, {0, 64}, {5, 3}, {1000, 1000}} {
		t.Run(fmt.Sprintf("limits=%d,%d", lim.MaxEntries, lim.MaxValue), func(t *testing.T) {
			runRandomZSet(t, lim, uint64(i+1), false)
		})
		t.Run(fmt.Sprintf("one-score/limits=%d,%d", lim.MaxEntries, lim.MaxValue), func(t *testing.T) {
			runRandomZSet(t, lim, uint64(i+100), true)
		})
	}
}

func TestZSetConvertsAtRedisThresholds(t *testing.T) {
	lim := ZLimits{MaxEntries: 3, MaxValue: 5}
	z := NewZSet(false)
	for i, m := range []string{"a", "b", "c"} {
		z.Add(float64(i), []byte(m), 0, lim)
	}
	if z.Encoding() != "listpack" {
		t.Fatalf("3 entries at the limit: %s", z.Encoding())
	}
	z.Add(9, []byte("b"), 0, lim) // updates never convert
	z.Add(1, []byte("d"), ZAddXX, lim)
	if z.Encoding() != "listpack" {
		t.Fatalf("update converted: %s", z.Encoding())
	}
	z.Add(3, []byte("d"), 0, lim)
	if z.Encoding() != "skiplist" {
		t.Fatalf("4th entry: %s", z.Encoding())
	}
	z.Remove([]byte("d"))
	z.Remove([]byte("c"))
	if z.Encoding() != "skiplist" {
		t.Fatalf("deletes converted back: %s", z.Encoding())
	}

	z = NewZSet(false)
	z.Add(1, []byte("12345"), 0, lim)
	if z.Encoding() != "listpack" {
		t.Fatalf("value at the limit: %s", z.Encoding())
	}
	z.Add(1, []byte("123456"), 0, lim)
	if z.Encoding() != "skiplist" {
		t.Fatalf("value over the limit: %s", z.Encoding())
	}

	sorted := []ZEntry{{"a", 1}, {"b", 2}, {"c", 3}}
	if e := NewZSetFromSorted(sorted, lim).Encoding(); e != "listpack" {
		t.Fatalf("built result of 3: %s", e)
	}
	if e := NewZSetFromSorted(append(sorted, ZEntry{"d", 4}), lim).Encoding(); e != "skiplist" {
		t.Fatalf("built result of 4: %s", e)
	}
	if e := NewZSetFromSorted([]ZEntry{{"123456", 1}}, lim).Encoding(); e != "skiplist" {
		t.Fatalf("built result with a long member: %s", e)
	}
}

func TestZSetCompactScoresRoundTrip(t *testing.T) {
	lim := ZLimits{128, 64}
	scores := []float64{0, 1, -1, 63, 64, -64, -65, 1 << 40, -(1 << 60), 1 << 61, 1 << 62, 1 << 63,
		0.1, -2.5, math.Inf(1), math.Inf(-1), math.MaxFloat64, math.SmallestNonzeroFloat64, 5e-324, 123456789012345678}
	z := NewZSet(false)
	for i, s := range scores {
		z.Add(s, []byte(fmt.Sprint(i)), 0, lim)
	}
	for i, s := range scores {
		got, ok := z.Score([]byte(fmt.Sprint(i)))
		if !ok || got != s {
			t.Errorf("score %v came back as %v", s, got)
		}
	}
	// Redis's listpack keeps integral scores as integers: no negative zero.
	z.Add(math.Copysign(0, -1), []byte("negzero"), 0, lim)
	if s, _ := z.Score([]byte("negzero")); math.Signbit(s) {
		t.Errorf("compact set kept -0")
	}
	big := NewZSet(true)
	big.Add(math.Copysign(0, -1), []byte("negzero"), 0, lim)
	if s, _ := big.Score([]byte("negzero")); !math.Signbit(s) {
		t.Errorf("skiplist lost -0")
	}
}

func TestZSetCountHeaderSaturates(t *testing.T) {
	lim := ZLimits{100000, 64}
	entries := make([]ZEntry, 70000)
	for i := range entries {
		entries[i] = ZEntry{fmt.Sprint(i), float64(i)}
	}
	z := NewZSetFromSorted(entries, lim)
	if z.Len() != 70000 || !z.IsCompact() {
		t.Fatalf("Len %d compact %v", z.Len(), z.IsCompact())
	}
	z.RemoveRangeByRank(0, 9999)
	if z.Len() != 60000 {
		t.Fatalf("Len after removal %d", z.Len())
	}
}

func TestZSetRandomMembers(t *testing.T) {
	lim := ZLimits{128, 64}
	for _, big := range []bool{false, true} {
		z := NewZSet(big)
		for i := 0; i < 50; i++ {
			z.Add(float64(i), []byte(fmt.Sprint(i)), 0, lim)
		}
		for _, count := range []int{1, 5, 20, 49, 50, 80} {
			seen := map[string]bool{}
			z.RandomDistinct(count, func(m []byte, s float64) {
				if seen[string(m)] {
					t.Fatalf("member %s twice", m)
				}
				seen[string(m)] = true
				if want, _ := z.Score(m); want != s {
					t.Fatalf("wrong score")
				}
			})
			if len(seen) != min(count, 50) {
				t.Fatalf("RandomDistinct(%d) gave %d", count, len(seen))
			}
		}
		hits := map[string]int{}
		z.RandomWithReplacement(50000, func(m []byte, _ float64) { hits[string(m)]++ })
		for i := 0; i < 50; i++ {
			if h := hits[fmt.Sprint(i)]; h < 700 || h > 1300 {
				t.Errorf("member %d drawn %d times of 50000", i, h)
			}
		}
	}
}

func TestZSetScanReturnsEverything(t *testing.T) {
	lim := ZLimits{128, 64}
	for _, n := range []int{10, 5000} {
		z := NewZSet(n > 128)
		for i := 0; i < n; i++ {
			z.Add(float64(i), []byte(fmt.Sprint(i)), 0, lim)
		}
		seen := map[string]int{}
		cursor := uint64(0)
		for {
			cursor = z.Scan(cursor, 10, func(m []byte, _ float64) { seen[string(m)]++ })
			if cursor == 0 {
				break
			}
		}
		if len(seen) != n {
			t.Fatalf("scan of %d saw %d", n, len(seen))
		}
	}
}
