package types

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// hashModelField is the reference model's view of one field.
type hashModelField struct {
	v  string
	at int64
}

type hashModel map[string]hashModelField

func (m hashModel) live(now int64) map[string]string {
	out := map[string]string{}
	for f, x := range m {
		if !hashExpired(x.at, now) {
			out[f] = x.v
		}
	}
	return out
}

func hashLiveOf(h *Hash, now int64) map[string]string {
	out := map[string]string{}
	h.Each(now, func(f, v []byte) bool {
		if _, dup := out[string(f)]; dup {
			panic("field listed twice: " + string(f))
		}
		out[string(f)] = string(v)
		return true
	})
	return out
}

// hashCheck compares h with the model and checks the encodings' own
// invariants.
func hashCheck(t *testing.T, h *Hash, m hashModel, now int64) {
	t.Helper()
	if h.Len() != len(m) {
		t.Fatalf("Len %d, want %d", h.Len(), len(m))
	}
	want := m.live(now)
	if got := hashLiveOf(h, now); !mapsEqual(got, want) {
		t.Fatalf("live fields %v, want %v", got, want)
	}
	if h.LiveLen(now) != len(want) {
		t.Fatalf("LiveLen %d, want %d", h.LiveLen(now), len(want))
	}
	var next int64
	for _, x := range m {
		if x.at != 0 && (next == 0 || x.at < next) {
			next = x.at
		}
	}
	if got := h.NextExpiry(); got != next {
		t.Fatalf("NextExpiry %d, want %d", got, next)
	}
	if h.HasVolatile() != (next != 0) {
		t.Fatalf("HasVolatile %v with next expiry %d", h.HasVolatile(), next)
	}
	for f, x := range m {
		at, ok := h.FieldExpireAt([]byte(f), now)
		if ok != !hashExpired(x.at, now) || (ok && at != x.at) {
			t.Fatalf("FieldExpireAt(%q) = %d,%v; model %+v", f, at, ok, x)
		}
	}
	if h.ht == nil {
		// Fields with an expiry first, by time; then the others.
		prev, sawPlain := int64(0), false
		for off := 1; off < len(h.lp); {
			it := hashReadItem(h.lp, off)
			switch {
			case it.at == 0:
				sawPlain = true
			case sawPlain || it.at < prev:
				t.Fatalf("compact order broken at %q (expiry %d after %d)", it.f, it.at, prev)
			default:
				prev = it.at
			}
			off = it.end
		}
		return
	}
	vol := 0
	h.ht.each(func(e *hashEntry) bool {
		if e.hasTTL() {
			vol++
		}
		return true
	})
	if vol != h.ht.volatile {
		t.Fatalf("volatile count %d, want %d", h.ht.volatile, vol)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestHashRandomOperationsMatchModel(t *testing.T) {
	for _, lim := range []HashLimits{{MaxEntries: 8, MaxValue: 6}, {MaxEntries: 512, MaxValue: 64}, {MaxEntries: 0, MaxValue: 64}} {
		t.Run(fmt.Sprintf("entries=%d,value=%d", lim.MaxEntries, lim.MaxValue), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, uint64(lim.MaxEntries)))
			h, m := NewHash(), hashModel{}
			now := int64(1_000_000)
			field := func() string { return fmt.Sprintf("f%d", rng.IntN(24)) }
			for step := 0; step < 20000; step++ {
				if rng.IntN(8) == 0 {
					now += int64(rng.IntN(5))
				}
				f := field()
				fb := []byte(f)
				switch op := rng.IntN(10); op {
				case 0, 1, 2:
					v := strings.Repeat("v", rng.IntN(8))
					keep := rng.IntN(2) == 0
					created := h.Set(fb, []byte(v), keep, now, lim)
					old, had := m[f]
					wantCreated := !had || hashExpired(old.at, now)
					if created != wantCreated {
						t.Fatalf("step %d: Set(%q) created %v, want %v", step, f, created, wantCreated)
					}
					at := int64(0)
					if keep && !wantCreated {
						at = old.at
					}
					m[f] = hashModelField{v, at}
				case 3:
					_, had := m[f]
					if h.Delete(fb) != had {
						t.Fatalf("step %d: Delete(%q) = %v", step, f, !had)
					}
					delete(m, f)
				case 4:
					v, ok, expired := h.Get(fb, now)
					x, had := m[f]
					switch {
					case had && hashExpired(x.at, now):
						if ok || !expired {
							t.Fatalf("step %d: Get(%q) of an expired field = %v,%v", step, f, ok, expired)
						}
						delete(m, f)
					case had:
						if !ok || string(v) != x.v {
							t.Fatalf("step %d: Get(%q) = %q,%v, want %q", step, f, v, ok, x.v)
						}
					case ok || expired:
						t.Fatalf("step %d: Get(%q) of a missing field = %v,%v", step, f, ok, expired)
					}
				case 5, 6:
					at := now + int64(rng.IntN(20)) - 3
					cond := []int{0, HashCondNX, HashCondXX, HashCondGT, HashCondLT}[rng.IntN(5)]
					r := h.SetFieldExpire(fb, at, cond, now)
					x, had := m[f]
					want := HashExpireSet
					switch {
					case !had || hashExpired(x.at, now):
						want = HashExpireNoField
						delete(m, f)
					case !hashCondMet(x.at, at, cond):
						want = HashExpireNotMet
					case at <= now:
						want = HashExpireDeleted
						delete(m, f)
					default:
						m[f] = hashModelField{x.v, at}
					}
					if r != want {
						t.Fatalf("step %d: SetFieldExpire(%q, %d, %d) = %d, want %d (model %+v, now %d)", step, f, at, cond, r, want, x, now)
					}
				case 7:
					r := h.PersistField(fb, now)
					x, had := m[f]
					want := HashPersistDone
					switch {
					case !had || hashExpired(x.at, now):
						want = HashPersistNoField
					case x.at == 0:
						want = HashPersistNoTTL
					default:
						m[f] = hashModelField{x.v, 0}
					}
					if r != want {
						t.Fatalf("step %d: PersistField(%q) = %d, want %d", step, f, r, want)
					}
				case 8:
					n := h.ExpireFields(now, 0)
					want := 0
					for f, x := range m {
						if hashExpired(x.at, now) {
							delete(m, f)
							want++
						}
					}
					if n != want {
						t.Fatalf("step %d: ExpireFields removed %d, want %d", step, n, want)
					}
				case 9:
					if rng.IntN(50) == 0 {
						c := h.Copy().(*Hash)
						hashCheck(t, c, m, now)
						c.Set([]byte("copy-only"), []byte("x"), false, now, lim)
					}
				}
				hashCheck(t, h, m, now)
			}
		})
	}
}

func TestHashEncodingConversionIsOneWay(t *testing.T) {
	lim := HashLimits{MaxEntries: 4, MaxValue: 8}
	h := NewHash()
	for i := 0; i < 4; i++ {
		h.Set([]byte(fmt.Sprint("f", i)), []byte("v"), false, 0, lim)
	}
	if h.Encoding() != "listpack" {
		t.Fatalf("4 fields: %s", h.Encoding())
	}
	h.Set([]byte("f0"), []byte("12345678"), false, 0, lim)
	if h.Encoding() != "listpack" {
		t.Fatalf("value at the limit: %s", h.Encoding())
	}
	h.Set([]byte("f4"), []byte("v"), false, 0, lim)
	if h.Encoding() != "hashtable" {
		t.Fatalf("5 fields: %s", h.Encoding())
	}
	for i := 0; i < 5; i++ {
		h.Delete([]byte(fmt.Sprint("f", i)))
	}
	h.Set([]byte("a"), []byte("b"), false, 0, lim)
	if h.Encoding() != "hashtable" {
		t.Fatalf("emptied and refilled: %s", h.Encoding())
	}

	long := NewHash()
	long.Set([]byte("f"), []byte("123456789"), false, 0, lim)
	if long.Encoding() != "hashtable" {
		t.Fatalf("long value: %s", long.Encoding())
	}
	longField := NewHash()
	longField.Set([]byte("123456789"), nil, false, 0, lim)
	if longField.Encoding() != "hashtable" {
		t.Fatalf("long field: %s", longField.Encoding())
	}

	ex := NewHash()
	ex.Set([]byte("a"), []byte("1"), false, 0, lim)
	ex.EnableFieldExpiry()
	if ex.Encoding() != "listpackex" {
		t.Fatalf("after field expiry: %s", ex.Encoding())
	}
	ex.SetFieldExpire([]byte("a"), 100, 0, 0)
	ex.PersistField([]byte("a"), 0)
	if ex.Encoding() != "listpackex" {
		t.Fatalf("after persist: %s", ex.Encoding())
	}
	for i := 0; i < 5; i++ {
		ex.Set([]byte(fmt.Sprint("f", i)), []byte("v"), false, 0, lim)
	}
	if ex.Encoding() != "hashtable" {
		t.Fatalf("listpackex past the limit: %s", ex.Encoding())
	}
}

func hashFields(h *Hash) []string {
	var out []string
	h.Each(0, func(f, _ []byte) bool {
		out = append(out, string(f))
		return true
	})
	return out
}

func TestHashCompactOrder(t *testing.T) {
	lim := HashLimits{MaxEntries: 100, MaxValue: 64}
	h := NewHash()
	for _, f := range []string{"a", "b", "c", "d"} {
		h.Set([]byte(f), []byte("1"), false, 0, lim)
	}
	h.Set([]byte("b"), []byte("2"), false, 0, lim)
	if got := hashFields(h); !slices.Equal(got, []string{"a", "b", "c", "d"}) {
		t.Fatalf("overwrite moved a field: %v", got)
	}
	h.SetFieldExpire([]byte("c"), 50, 0, 0)
	h.SetFieldExpire([]byte("d"), 30, 0, 0)
	h.SetFieldExpire([]byte("a"), 50, 0, 0)
	if got := hashFields(h); !slices.Equal(got, []string{"d", "c", "a", "b"}) {
		t.Fatalf("fields with expiry not first by time: %v", got)
	}
	h.Set([]byte("c"), []byte("3"), true, 0, lim)
	if got := hashFields(h); !slices.Equal(got, []string{"d", "c", "a", "b"}) {
		t.Fatalf("overwrite keeping the expiry moved a field: %v", got)
	}
	h.PersistField([]byte("d"), 0)
	h.Set([]byte("c"), []byte("4"), false, 0, lim)
	if got := hashFields(h); !slices.Equal(got, []string{"a", "b", "d", "c"}) {
		t.Fatalf("fields losing their expiry not moved last: %v", got)
	}
}

func TestHashScanReturnsEveryFieldAcrossResizes(t *testing.T) {
	lim := HashLimits{MaxEntries: 0, MaxValue: 64}
	h := NewHash()
	const stable = 300
	for i := 0; i < stable; i++ {
		h.Set([]byte(fmt.Sprint("s", i)), []byte("v"), false, 0, lim)
	}
	seen := map[string]bool{}
	var cursor uint64
	for round := 0; ; round++ {
		cursor = h.Scan(cursor, 5, false, 0, func(f, _ []byte) { seen[string(f)] = true })
		// Grow and shrink the table between calls.
		if round%2 == 0 {
			for i := 0; i < 200; i++ {
				h.Set([]byte(fmt.Sprint("t", round, "-", i)), []byte("v"), false, 0, lim)
			}
		} else {
			for i := 0; i < 200; i++ {
				h.Delete([]byte(fmt.Sprint("t", round-1, "-", i)))
			}
		}
		if cursor == 0 {
			break
		}
	}
	for i := 0; i < stable; i++ {
		if !seen[fmt.Sprint("s", i)] {
			t.Fatalf("field s%d present throughout the scan was not returned", i)
		}
	}
}

func TestHashScanSkipsExpiredFields(t *testing.T) {
	for _, lim := range []HashLimits{{MaxEntries: 512, MaxValue: 64}, {MaxEntries: 0, MaxValue: 64}} {
		h := NewHash()
		for i := 0; i < 10; i++ {
			h.Set([]byte(fmt.Sprint("f", i)), []byte("v"), false, 0, lim)
		}
		h.SetFieldExpire([]byte("f3"), 10, 0, 0)
		var got []string
		var cursor uint64
		for {
			cursor = h.Scan(cursor, 100, true, 20, func(f, _ []byte) { got = append(got, string(f)) })
			if cursor == 0 {
				break
			}
		}
		if len(got) != 9 || slices.Contains(got, "f3") {
			t.Fatalf("%s: scan returned %v", h.Encoding(), got)
		}
		if h.Len() != 10 {
			t.Fatalf("scan removed an expired field")
		}
	}
}

func TestHashRandomIsRoughlyUniform(t *testing.T) {
	for _, size := range []int{10, 2000} {
		lim := HashLimits{MaxEntries: 512, MaxValue: 64}
		h := NewHash()
		for i := 0; i < size; i++ {
			h.Set([]byte(fmt.Sprint("f", i)), []byte(fmt.Sprint(i)), false, 0, lim)
		}
		draws := size * 200
		counts := map[string]int{}
		h.RandomRepeat(draws, func(f, v []byte) bool {
			if string(f) != "f"+string(v) {
				t.Fatalf("field %q paired with %q", f, v)
			}
			counts[string(f)]++
			return true
		})
		if len(counts) != size {
			t.Fatalf("%s: %d of %d fields drawn", h.Encoding(), len(counts), size)
		}
		// A chained table picks a bucket, then a field in it, as Redis's
		// dictGetRandomKey does: a field sharing its bucket with another is
		// drawn about half as often (~100 of 200), so only gross skew fails.
		for f, n := range counts {
			if n < 40 || n > 400 {
				t.Fatalf("%s: %s drawn %d times, expected about 200", h.Encoding(), f, n)
			}
		}
		for _, k := range []int{1, size / 4, size / 2, size - 1} {
			seen := map[string]bool{}
			h.RandomDistinct(k, func(f, _ []byte) {
				if seen[string(f)] {
					t.Fatalf("%s: RandomDistinct(%d) repeated %s", h.Encoding(), k, f)
				}
				seen[string(f)] = true
			})
			if len(seen) != k {
				t.Fatalf("%s: RandomDistinct(%d) gave %d fields", h.Encoding(), k, len(seen))
			}
		}
	}
}

func TestHashTableExpiryHeapSurvivesChurn(t *testing.T) {
	lim := HashLimits{MaxEntries: 0, MaxValue: 64}
	h := NewHash()
	rng := rand.New(rand.NewPCG(7, 7))
	m := hashModel{}
	for i := 0; i < 500; i++ {
		f := fmt.Sprint("f", i)
		h.Set([]byte(f), []byte("v"), false, 0, lim)
		m[f] = hashModelField{"v", 0}
	}
	// Many expiry changes leave stale heap items behind.
	for i := 0; i < 20000; i++ {
		f := fmt.Sprint("f", rng.IntN(500))
		at := int64(1000 + rng.IntN(1000))
		h.SetFieldExpire([]byte(f), at, 0, 0)
		m[f] = hashModelField{"v", at}
	}
	if len(h.ht.exp) > 2*h.ht.volatile+64 {
		t.Fatalf("heap holds %d items for %d expiring fields", len(h.ht.exp), h.ht.volatile)
	}
	hashCheck(t, h, m, 0)
	for now := int64(1000); now < 2100; now += 50 {
		h.ExpireFields(now, 7)
		h.ExpireFields(now, 0)
		for f, x := range m {
			if hashExpired(x.at, now) {
				delete(m, f)
			}
		}
		hashCheck(t, h, m, now)
	}
	if h.Len() != 0 {
		t.Fatalf("%d fields left after all expired", h.Len())
	}
}

func TestHashReserveAvoidsCopies(t *testing.T) {
	lim := HashLimits{MaxEntries: 512, MaxValue: 64}
	h := NewHash()
	need := 0
	for i := 0; i < 10; i++ {
		need += HashItemSize([]byte(fmt.Sprint("field", i)), []byte("value"))
	}
	h.Reserve(need)
	first := &h.lp[:1][0]
	for i := 0; i < 10; i++ {
		h.Set([]byte(fmt.Sprint("field", i)), []byte("value"), false, 0, lim)
	}
	if &h.lp[0] != first {
		t.Fatalf("the reserved block was replaced")
	}
	if h.Len() != 10 {
		t.Fatalf("Len %d", h.Len())
	}
}
