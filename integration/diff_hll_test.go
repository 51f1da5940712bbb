package integration

import (
	"fmt"
	"math/rand"
	"strconv"
	"strings"
	"testing"

	"petrel/integration/harness"
)

// HyperLogLogs: every command, option and error, corrupt values written with
// SET, the sparse to dense promotion at its limits, exact PFCOUNT on large
// random inputs, the values' bytes after every kind of update, and values
// moved between the two servers in both directions.

func init() {
	notifySeqs = append(notifySeqs, notifySeq{"hyperloglog", []string{
		"PFADD h a b", "PFADD h a", "PFADD h", "PFADD e", "PFCOUNT h", "PFCOUNT h", "PFCOUNT h e nokey",
		"PFMERGE m h e", "PFMERGE m", "PFMERGE newdst nokey2", "PFDEBUG TODENSE m", "PFDEBUG TODENSE m",
		"PFDEBUG GETREG h", "PFDEBUG ENCODING h", "PFDEBUG DECODE e", "SET s x", "PFADD s a", "PFMERGE m s",
		"PFCOUNT nokey", "PFDEBUG ENCODING nokey", "LPUSH l a", "PFADD l a",
	}})
}

// hllHdr is a sketch header with the given encoding and an invalid cache.
func hllHdr(enc byte) string {
	return "HYLL" + string([]byte{enc}) + strings.Repeat("\x00", 10) + "\x80"
}

// hllDenseValue packs register values into a dense sketch.
func hllDenseValue(reg func(i int) uint8) string {
	regs := make([]byte, 12288)
	for i := 0; i < 16384; i++ {
		v := uint(reg(i))
		b, fb := i*6/8, uint(i*6%8)
		regs[b] |= byte(v << fb)
		if b+1 < len(regs) {
			regs[b+1] |= byte(v >> (8 - fb))
		}
	}
	return hllHdr(0) + string(regs)
}

func hllElems(prefix string, from, to int) []string {
	out := make([]string, 0, to-from)
	for i := from; i < to; i++ {
		out = append(out, prefix+strconv.Itoa(i))
	}
	return out
}

func pfadd(key string, elems ...string) step {
	return cmd(append([]string{"PFADD", key}, elems...)...)
}

func TestDiffHLL(t *testing.T) {
	sp := hllHdr(1)
	runSequences(t, []sequence{
		{name: "basics", steps: steps(
			"PFADD h a b c", "PFADD h a", "PFADD h", "PFADD new", "GET new", "PFCOUNT h", "PFCOUNT nokey", "GET h",
			"TYPE h", "OBJECT ENCODING h", "STRLEN h", "PFADD h d", "GET h", "PFCOUNT h", "PFADD h2 c d e",
			"PFCOUNT h h2", "PFCOUNT h h2 nokey", "PFCOUNT h h h", "GET h", "PFMERGE m h h2", "PFCOUNT m", "GET m",
			"PFMERGE m", "GET m", "PFMERGE m2", "GET m2", "PFMERGE nokey2 nokey3", "GET nokey2",
			"PFDEBUG ENCODING m", "PFDEBUG DECODE m", "PFDEBUG decode h", "PFDEBUG Encoding h",
			`PFADD bin "" "\x00" "\xff\xfe" "a\x00b"`, "GET bin", "PFCOUNT bin",
			"PFADD g a b c", "PFDEBUG GETREG g", "PFDEBUG ENCODING g", "GET g", "PFSELFTEST",
			"MULTI", "PFADD t x", "PFCOUNT t", "PFMERGE t2 t", "GET t2", "EXEC",
		)},
		{name: "errors", steps: steps(
			"SET s foo", "PFADD s a", "PFCOUNT s", "PFCOUNT nokey s", "PFMERGE s", "PFMERGE d s", "EXISTS d",
			"PFDEBUG ENCODING s", "LPUSH l a", "PFADD l a", "PFCOUNT l", "PFCOUNT l s", "PFCOUNT s l",
			"PFMERGE d l", "PFDEBUG GETREG l", "PFADD", "PFCOUNT", "PFMERGE", "PFDEBUG", "PFDEBUG GETREG",
			"PFDEBUG GETREG x y", "PFSELFTEST x", "PFADD h a", "PFDEBUG nosuch h", "PFDEBUG nosuch nokey",
			`PFDEBUG "a\x00b" h`, `PFDEBUG "a\r\nb" h`, "PFDEBUG ENCODING nokey", "PFDEBUG TODENSE nokey",
			"PFDEBUG DECODE nokey", "SET i 12", "PFADD i x", `SET e ""`, "PFCOUNT e", "PFMERGE e",
			"HSET hs f v", "PFMERGE hs", "PFCOUNT h hs", "MULTI", "PFADD s a", "PFADD h z", "EXEC",
		)},
		{name: "corrupt", steps: steps(
			cmd("SET", "k", sp), "PFCOUNT k", "PFCOUNT k k", "PFADD k a", "PFDEBUG DECODE k", "PFDEBUG GETREG k",
			"PFDEBUG TODENSE k", "PFMERGE k", "PFMERGE z k", "EXISTS z", "PFMERGE k z", "GET k",
			cmd("SET", "k", sp+"\x7f"), "PFCOUNT k", "PFDEBUG DECODE k", "PFADD k a", "GET k",
			cmd("SET", "k", sp+"\x7f\xff\x00"), "PFCOUNT k", "PFCOUNT k k", "PFADD k a", "GET k",
			cmd("SET", "k", sp+"\x7f\xff\x80"), "PFCOUNT k", "PFCOUNT k k", "PFDEBUG TODENSE k", "PFADD k a", "GET k",
			cmd("SET", "k", sp+"\x7f\xfe"), "PFCOUNT k", "PFADD k a", "GET k", "PFCOUNT k", "PFMERGE k2 k",
			cmd("SET", "k", sp+"\x7f\xfe\x83"), "PFCOUNT k k", "PFADD k a", "GET k",
			cmd("SET", "k", sp+"\x7f\xfe\x40"), "PFCOUNT k", "PFCOUNT k k", "GET k", "PFDEBUG DECODE k", "PFADD k a", "GET k",
			cmd("SET", "k", sp+"B\x0c\x80L"), "PFADD k 6680 33799 6", "GET k", "PFCOUNT k",
			cmd("SET", "k", sp+"B\x0c\x80L"), "PFADD k 6680 33799 952000 62734", "GET k",
			cmd("SET", "k", sp+"\x7f\xff"), "PFADD k a", "GET k", "PFCOUNT k",
			cmd("SET", "k", "HYLL\x02"+sp[5:]+"\x7f\xff"), "PFCOUNT k", "PFADD k a", "PFMERGE k", "PFDEBUG ENCODING k",
			cmd("SET", "k", "HYLL\x00"+sp[5:]+strings.Repeat("\x00", 100)), "PFCOUNT k", "PFADD k a",
			cmd("SET", "k", hllDenseValue(func(int) uint8 { return 0 })+"x"), "PFCOUNT k",
			cmd("SET", "k", "HYLX\x01"+sp[5:]+"\x7f\xff"), "PFCOUNT k",
			cmd("SET", "k", "HYLL\x01"), "PFCOUNT k", "PFADD k a",
			cmd("SET", "k", sp[:15]+"\x00\x7f"), "PFCOUNT k", "PFCOUNT k k",
			cmd("SET", "k", "HYLL\x01\x00\x00\x00"+strings.Repeat("\xff", 7)+"\x7f\x7f\xff"), "PFCOUNT k", "PFCOUNT k k",
			cmd("SET", "k", hllDenseValue(func(int) uint8 { return 51 })), "PFCOUNT k", "GETRANGE k 0 15",
			"PFCOUNT k", "PFCOUNT k k",
			cmd("SET", "k", hllDenseValue(func(int) uint8 { return 63 })), "PFCOUNT k", "PFMERGE m k", "PFCOUNT m",
			cmd("SET", "k", hllDenseValue(func(int) uint8 { return 1 })), "PFCOUNT k", "GETRANGE k 0 15",
			cmd("SET", "k", hllDenseValue(func(i int) uint8 { return uint8(i % 64) })), "PFCOUNT k", "PFADD k a",
			"GETRANGE k 0 15", "PFMERGE k2 k", "GET k2", "PFDEBUG GETREG k",
			"APPEND h x", "PFADD h y", "PFCOUNT h", "PFDEBUG DECODE h", "PFADD h a", "GET h",
		)},
		{name: "encodings", steps: steps(
			"PFADD h a b c", "PFDEBUG ENCODING h", "PFDEBUG TODENSE h", "PFDEBUG TODENSE h", "PFDEBUG ENCODING h",
			"PFDEBUG DECODE h", "PFCOUNT h", "STRLEN h", "GETRANGE h 0 20", "PFADD s a", "GET s",
			cmd("SET", "e", hllHdr(1)+"q\xa6\x84NW"), "OBJECT ENCODING e", "PFCOUNT e", "OBJECT ENCODING e",
			cmd("SET", "e", hllHdr(1)+"q\xa6\x84NW"), "PFCOUNT e e", "OBJECT ENCODING e", "PFDEBUG ENCODING e",
			"OBJECT ENCODING e", cmd("SET", "e", hllHdr(1)+"q\xa6\x84NW"), "PFMERGE x e", "OBJECT ENCODING e",
			"PFADD e zz", "OBJECT ENCODING e", pfadd("big", hllElems("", 0, 200)...), "PFDEBUG ENCODING big",
			"STRLEN big", "GET big", "CONFIG SET hll-sparse-max-bytes 30", "PFADD p a b c", "PFDEBUG ENCODING p",
			"PFADD p d", "PFDEBUG ENCODING p", "STRLEN p", "PFADD p e f g", "PFDEBUG ENCODING p", "GET p",
			"PFCOUNT p", "CONFIG SET hll-sparse-max-bytes 0", "PFADD z0", "PFDEBUG ENCODING z0", "PFADD z0 a",
			"PFDEBUG ENCODING z0", "GET z0", "PFMERGE z1 s", "PFDEBUG ENCODING z1", "GET z1",
			"CONFIG SET hll-sparse-max-bytes 3000", "PFADD sp a", "PFMERGE sp h", "PFDEBUG ENCODING sp", "GET sp",
			"PFCOUNT sp", "PFADD sp2 x", "PFMERGE sp2 s", "PFDEBUG ENCODING sp2", "GET sp2",
			pfadd("b1", hllElems("x", 0, 300)...), pfadd("b2", hllElems("y", 0, 300)...),
			"PFMERGE b3 b1 b2", "PFDEBUG ENCODING b3", "STRLEN b3", "GET b3", "PFCOUNT b3", "PFCOUNT b1 b2",
			"CONFIG SET hll-sparse-max-bytes 500", "PFMERGE b4 b1 b2", "PFDEBUG ENCODING b4", "GET b4",
			"CONFIG SET hll-sparse-max-bytes 3000", pfadd("v", hllElems("", 0, 20)...), "PFADD v 33", "GET v",
			cmd("SET", "t", hllHdr(1)+"q\xa6\x84NW"), "EXPIRE t 100", "PFADD t zz", "TTL t", "PFMERGE t h",
			"TTL t", "PFCOUNT t", "TTL t", "GET t",
		)},
		{name: "cache", steps: steps(
			"PFADD c a b c", "GET c", "PFCOUNT c", "GET c", "PFCOUNT c", "PFADD c a", "GET c", "PFADD c zz",
			"GET c", "PFCOUNT c c", "GET c", "PFCOUNT c", "GET c", "PFDEBUG TODENSE c", "GET c", "PFCOUNT c",
			"PFADD c yy", "GET c", "PFCOUNT c", "GET c", "PFMERGE c", "GET c", "PFCOUNT c", "GET c",
		)},
	})
}

// hllPairDo sends the same command to both servers and fails on different
// replies; it returns the reference's reply.
func hllPairDo(t *testing.T, r, p *harness.Conn, args ...string) string {
	t.Helper()
	a, b := r.Do(args...), p.Do(args...)
	if a != b {
		t.Fatalf("%s:\n  redis:  %s\n  petrel: %s", truncate(fmt.Sprintf("%q", args), 120),
			truncate(strconv.Quote(a), 300), truncate(strconv.Quote(b), 300))
	}
	return a
}

// hllRandomElems returns n elements of mixed shapes: numbers, words and
// binary strings of every tail length MurmurHash64A handles.
func hllRandomElems(rng *rand.Rand, n int) []string {
	out := make([]string, n)
	for i := range out {
		switch rng.Intn(3) {
		case 0:
			out[i] = strconv.Itoa(rng.Intn(1 << 30))
		case 1:
			out[i] = "e:" + strconv.FormatInt(rng.Int63(), 36)
		default:
			b := make([]byte, rng.Intn(20))
			rng.Read(b)
			out[i] = string(b)
		}
	}
	return out
}

// TestDiffHLLLargeRandomInputs checks PFCOUNT exactly, and the value's
// bytes, on up to 200k random elements per key and several seeds, then the
// union of all keys through PFCOUNT and PFMERGE.
func TestDiffHLLLargeRandomInputs(t *testing.T) {
	p := startPair(t)
	r, q := p.redis.Dial(t), p.petrel.Dial(t)
	sizes := []int{0, 1, 7, 150, 900, 3000, 20000, 200000}
	var keys []string
	for seed := int64(1); seed <= 4; seed++ {
		rng := rand.New(rand.NewSource(seed))
		key := "seed" + strconv.FormatInt(seed, 10)
		keys = append(keys, key)
		added := 0
		for _, target := range sizes {
			if seed > 2 && target > 20000 {
				target = 20000 + rng.Intn(60000)
			}
			for added < target {
				n := min(target-added, 2000)
				hllPairDo(t, r, q, append([]string{"PFADD", key}, hllRandomElems(rng, n)...)...)
				added += n
			}
			hllPairDo(t, r, q, "PFCOUNT", key)
			hllPairDo(t, r, q, "PFDEBUG", "ENCODING", key)
			hllPairDo(t, r, q, "GET", key)
			if rng.Intn(2) == 0 { // the cached estimate is written back
				hllPairDo(t, r, q, "PFCOUNT", key)
				hllPairDo(t, r, q, "GET", key)
			}
		}
	}
	hllPairDo(t, r, q, append([]string{"PFCOUNT"}, keys...)...)
	hllPairDo(t, r, q, append([]string{"PFMERGE", "all"}, keys...)...)
	hllPairDo(t, r, q, "PFCOUNT", "all")
	hllPairDo(t, r, q, "GET", "all")
	// A sparse destination absorbing a dense source, and the reverse.
	hllPairDo(t, r, q, "PFADD", "small", "x", "y")
	hllPairDo(t, r, q, "PFMERGE", "small", "seed1")
	hllPairDo(t, r, q, "GET", "small")
	hllPairDo(t, r, q, "PFMERGE", "seed2", "small", "seed3")
	hllPairDo(t, r, q, "GET", "seed2")
	hllPairDo(t, r, q, "PFCOUNT", "seed2")
}

// hllBulk extracts the payload of a bulk reply.
func hllBulk(t *testing.T, reply string) string {
	t.Helper()
	v, _, err := harness.Parse([]byte(reply))
	if err != nil || v.Type != '$' || v.Null {
		t.Fatalf("not a bulk string: %q", truncate(reply, 100))
	}
	return v.Str
}

// TestDiffHLLValuesMoveBetweenServers builds sketches on one server, copies
// them with GET and SET to the other, and checks that both servers then
// count, update and merge them identically, byte for byte.
func TestDiffHLLValuesMoveBetweenServers(t *testing.T) {
	p := startPair(t)
	r, q := p.redis.Dial(t), p.petrel.Dial(t)
	rng := rand.New(rand.NewSource(42))
	sources := []struct {
		name  string
		from  *harness.Conn
		n     int
		count bool // PFCOUNT before moving: the cache travels with the value
	}{
		{"r-small", r, 5, false}, {"r-cached", r, 40, true}, {"r-sparse", r, 800, false}, {"r-dense", r, 30000, true},
		{"p-small", q, 5, true}, {"p-sparse", q, 800, true}, {"p-dense", q, 30000, false}, {"p-big", q, 150000, true},
	}
	var moved []string
	for _, src := range sources {
		to := q
		if src.from == q {
			to = r
		}
		for added := 0; added < src.n; added += 2000 {
			src.from.Do(append([]string{"PFADD", src.name}, hllRandomElems(rng, min(2000, src.n-added))...)...)
		}
		if src.count {
			src.from.Do("PFCOUNT", src.name)
		}
		val := hllBulk(t, src.from.Do("GET", src.name))
		if got := to.Do("SET", src.name, val); got != "+OK\r\n" {
			t.Fatalf("SET %s: %q", src.name, got)
		}
		moved = append(moved, src.name)
	}
	for _, key := range moved {
		hllPairDo(t, r, q, "GET", key)
		hllPairDo(t, r, q, "PFCOUNT", key)
		hllPairDo(t, r, q, "GET", key)
		hllPairDo(t, r, q, "PFDEBUG", "ENCODING", key)
		hllPairDo(t, r, q, append([]string{"PFADD", key}, hllRandomElems(rng, 300)...)...)
		hllPairDo(t, r, q, "GET", key)
		hllPairDo(t, r, q, "PFCOUNT", key)
		hllPairDo(t, r, q, "GET", key)
	}
	hllPairDo(t, r, q, append([]string{"PFCOUNT"}, moved...)...)
	hllPairDo(t, r, q, "PFMERGE", "r-small", "p-small", "p-sparse")
	hllPairDo(t, r, q, "GET", "r-small")
	hllPairDo(t, r, q, "PFMERGE", "p-dense", "r-sparse", "r-cached")
	hllPairDo(t, r, q, "GET", "p-dense")
	hllPairDo(t, r, q, append([]string{"PFMERGE", "everything"}, moved...)...)
	hllPairDo(t, r, q, "GET", "everything")
	hllPairDo(t, r, q, "PFCOUNT", "everything")
	hllPairDo(t, r, q, "PFDEBUG", "TODENSE", "p-small")
	hllPairDo(t, r, q, "GET", "p-small")
}
