package integration

import (
	"fmt"
	"math/rand"
	"os"
	"strconv"
	"strings"
	"testing"
)

// A seeded random walk over streams: entries added with explicit IDs
// (mostly increasing, sometimes equal or smaller), trimmed, deleted and
// ranged over; consumer groups created, moved, read, acknowledged,
// claimed and inspected; over four stream keys, a string key for
// WRONGTYPE, and now and then a wrong arity or a syntax error.
//
// The protocol and the node limits follow the seed, so a replay with
// PETREL_DIFF_SEED=n runs exactly as the failing subtest did: the entry
// limit of a node (3, 10, the default 100, 1 or none) and now and then its
// byte limit decide where nodes split, which XINFO STREAM's radix-tree
// counts and approximate trimming show; CONFIG SET changes them mid-walk.
// Bursts of XADDs make streams of many nodes, and the walk ends with a
// full look at every key (XRANGE, XINFO STREAM FULL, DEBUG DIGEST-VALUE).
// PETREL_DIFF_COMMANDS=n changes the number of commands per seed, and
// PETREL_DIFF_HISTORY=file writes every command of a failing walk there,
// one per line in redis-cli's quoting, for reducing it.
//
// No ID is left to the clock ("*"), and idle times only ever meet
// thresholds far from the elapsed time of a run (0 or an hour, with
// deliveries made an hour or more old by XCLAIM IDLE and TIME), so every
// reply compares byte for byte except the idle and seen times masked by
// the XPENDING, XINFO CONSUMERS and XINFO STREAM FULL rules of
// diff_stream_test.go.
//
// Steered away from two known differences: XREAD never gets "+" as an ID,
// which Petrel reads as Redis 7.4 does (the last entry, as the streams
// issue asks) where Redis 7.0 replies "Invalid stream ID"; and under a
// node byte limit below 4096 only short values are added, away from a use
// after free in Redis's own streamAppendItem (see value).
func TestDiffStreamRandom(t *testing.T) {
	seeds := randomSeeds(t, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 31)
	budget := randomBudget(t, 2000, 400)
	for _, seed := range seeds {
		seed, proto := seed, 2+int(seed&1)
		// Nodes of 3, 10, 100 (the default), 1 or unlimited entries; of
		// at most 160 bytes for one seed in four tens.
		entries := []string{"3", "10", "100", "1", "0"}[(seed/2)%5]
		nodeBytes := []string{"4096", "4096", "4096", "160"}[(seed/10)%4]
		t.Run(fmt.Sprintf("seed=%d/resp%d/node%s-%s", seed, proto, entries, nodeBytes), func(t *testing.T) {
			t.Parallel()
			s := newSession(t, startPair(t, "--stream-node-max-entries", entries,
				"--stream-node-max-bytes", nodeBytes, "--enable-debug-command", "yes"), proto)
			var first string
			s.onMismatch = func(msg string) {
				if first == "" {
					first = msg
				}
			}
			nb, _ := strconv.Atoi(nodeBytes)
			g := newStreamGen(seed, nb)
			var history, lines []string
			for n := 0; n < budget+len(streamSweep); n++ {
				args := g.args()
				if n >= budget {
					// A last look at everything each key holds.
					args = streamSweep[n-budget]
				}
				st := cmd(args...)
				history = append(history, fmt.Sprintf("%5d  %s", n+1, st.text))
				lines = append(lines, quoteArgs(args))
				s.run([]step{st})
				if first != "" {
					if f := os.Getenv("PETREL_DIFF_HISTORY"); f != "" {
						if err := os.WriteFile(f, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
							t.Errorf("PETREL_DIFF_HISTORY: %v", err)
						}
					}
					from := max(0, len(history)-40)
					t.Fatalf("seed %d: first difference at command %d; replay with PETREL_DIFF_SEED=%d\n%s\n--- preceding commands ---\n%s",
						seed, n+1, seed, first, strings.Join(history[from:], "\n"))
				}
			}
		})
	}
}

// streamSweep ends every walk: each key's entries, groups, consumers and
// pending lists in full, and its digest.
var streamSweep = func() [][]string {
	var out [][]string
	for _, k := range []string{"x0", "x1", "x2", "x3"} {
		out = append(out, []string{"XRANGE", k, "-", "+"}, []string{"XINFO", "STREAM", k, "FULL", "COUNT", "0"},
			[]string{"DEBUG", "DIGEST-VALUE", k})
	}
	return out
}()

// quoteArgs writes a command as a redis-cli line.
func quoteArgs(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " \"'\\\x00") {
			out[i] = strconv.Quote(a)
		} else {
			out[i] = a
		}
	}
	return strings.Join(out, " ")
}

// streamGen produces stream commands. It keeps, per key, the highest
// millisecond it has used and the IDs it has added, so that most new IDs
// are increasing and most IDs it names (to delete, range over, acknowledge
// or claim) are, or were, in the stream. The model is approximate: the
// servers decide, and both must decide alike.
type streamGen struct {
	rng   *rand.Rand
	top   map[string]uint64   // highest ms used on a key
	added map[string][]string // IDs added to a key, latest last
	first bool
	delIn int        // commands until x3, made a string, is deleted
	queue [][]string // commands to send next (a burst of XADDs)
	// nodeBytes is stream-node-max-bytes: below 4096 only short values
	// are added (see value).
	nodeBytes int
}

func newStreamGen(seed int64, nodeBytes int) *streamGen {
	return &streamGen{rng: rand.New(rand.NewSource(seed)), top: map[string]uint64{}, added: map[string][]string{},
		first: true, nodeBytes: nodeBytes}
}

func (g *streamGen) n(k int) int { return g.rng.Intn(k) }

func (g *streamGen) pick(list ...string) string { return list[g.n(len(list))] }

func (g *streamGen) itoa(n int) string { return strconv.Itoa(n) }

// key is a stream key, now and then the string key.
func (g *streamGen) key() string {
	switch g.n(120) {
	case 0, 1:
		return "str"
	case 2:
		// Error messages quote names as C strings.
		return "k\x00ey"
	}
	return "x" + g.itoa(g.n(4))
}

func (g *streamGen) group() string {
	switch g.n(20) {
	case 0:
		return g.pick("nog", "nog", "g\x00z")
	case 1, 2, 3, 4, 5:
		return "g2"
	}
	return "g1"
}

func (g *streamGen) consumer() string {
	if g.n(50) == 0 {
		return g.pick("c\x00d", "", "c 1")
	}
	return "c" + g.itoa(1+g.n(3))
}

// known is an ID added to the key, one of the latest mostly.
func (g *streamGen) known(k string) (string, bool) {
	ids := g.added[k]
	if len(ids) == 0 {
		return "", false
	}
	if g.n(3) == 0 {
		return ids[g.n(len(ids))], true
	}
	return ids[max(0, len(ids)-1-g.n(12))], true
}

// id names an entry: mostly one that was added, or any ID below the top,
// in either form (ms-seq or ms alone).
func (g *streamGen) id(k string) string {
	if g.n(3) > 0 {
		if id, ok := g.known(k); ok {
			return id
		}
	}
	ms := g.n(int(g.top[k]) + 2)
	switch g.n(12) {
	case 0:
		return g.itoa(ms)
	case 1:
		return g.pick("0", "0-0", "0-1", "18446744073709551615-18446744073709551615")
	}
	return fmt.Sprintf("%d-%d", ms, g.n(3))
}

// bound is an interval bound: an ID, an exclusive one, or the ends.
func (g *streamGen) bound(k string, low bool) string {
	switch g.n(10) {
	case 0, 1:
		if low {
			return "-"
		}
		return "+"
	case 2:
		return "(" + g.id(k)
	case 3:
		if g.n(8) == 0 {
			return g.pick("(-", "(+", "-", "+", "abc", "1-x")
		}
	}
	return g.id(k)
}

// addID is the ID of a new entry: mostly above the last one, sometimes
// with "ms-*", sometimes equal or smaller to provoke an error.
func (g *streamGen) addID(k string) string {
	top := g.top[k]
	var id string
	switch r := g.n(20); {
	case r < 12:
		top += uint64(1 + g.n(3))
		if g.n(30) == 0 {
			// A jump changes the radix tree's shape (its keys are
			// big-endian IDs).
			top += []uint64{250, 1 << 16, 1 << 32, 1_700_000_000_000}[g.n(4)]
		}
		id = fmt.Sprintf("%d-%d", top, g.n(3))
	case r < 14:
		id = fmt.Sprintf("%d-*", top)
	case r < 16:
		top += uint64(1 + g.n(2))
		id = fmt.Sprintf("%d-*", top)
	case r < 17:
		top += uint64(1 + g.n(2))
		id = strconv.FormatUint(top, 10)
	case r < 18:
		id = fmt.Sprintf("%d-%d", top, g.n(4))
	case r < 19:
		id = fmt.Sprintf("%d-%d", g.n(int(top)+1), g.n(3))
	default:
		id = g.pick("0-0", "0-*", "0-1", "abc", "5-x", "-1")
	}
	g.top[k] = top
	if ms, seq, ok := strings.Cut(id, "-"); isDigits(ms) && (!ok || isDigits(seq)) {
		if !ok {
			seq = "0"
		}
		g.added[k] = append(g.added[k], ms+"-"+seq)
	}
	return id
}

func isDigits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

func (g *streamGen) fields() []string {
	var out []string
	for i, n := 0, 1+g.n(3); i < n; i++ {
		f := g.pick("a", "b", "c", "f", "long-field-name")
		if g.n(2) == 0 {
			f = "f" + g.itoa(i)
		}
		out = append(out, f, g.value())
	}
	return out
}

// value is a field's value: small mostly, sometimes at the edges of the
// listpack encodings of integers and strings, which decide node sizes.
//
// Steer (remove once redis-server is fixed): under a node byte limit
// below 4096 only short values, so that a new node's first entry always
// fits the listpack Redis preallocates (the limit's size). When it does
// not, Redis 7.0's streamAppendItem may leave the radix tree pointing at
// a freed listpack (valkey-io/valkey#4705): the reference then replies
// wrongly or crashes. Petrel is right there.
func (g *streamGen) value() string {
	if g.n(4) > 0 || (g.nodeBytes > 0 && g.nodeBytes < 4096) {
		return g.pick("1", "2", "-3", "x", "yy", "v"+g.itoa(g.n(100)))
	}
	return g.pick("", "0", "-0", "01", "1.5", "127", "128", "-4096", "4095", "8191", "-32768", "32767",
		"8388607", "-8388609", "2147483647", "1099511627776", "9223372036854775807", "-9223372036854775808",
		"9223372036854775808", strings.Repeat("z", 63), strings.Repeat("z", 64), strings.Repeat("w", 200))
}

// trim is a MAXLEN or MINID clause, exact or approximate, perhaps with a
// LIMIT (an error with "=" or without "~").
func (g *streamGen) trim(k string) []string {
	var out []string
	if g.n(2) == 0 {
		out = append(out, g.pick("MAXLEN", "maxlen"))
	} else {
		out = append(out, "MINID")
	}
	switch g.n(3) {
	case 0:
		out = append(out, "=")
	case 1:
		out = append(out, "~")
	}
	if out[0] == "MINID" {
		if g.n(15) == 0 {
			out = append(out, g.pick("abc", "-", "+", "(5"))
		} else {
			out = append(out, g.id(k))
		}
	} else {
		if g.n(20) == 0 {
			out = append(out, g.pick("-1", "abc", "1.5"))
		} else {
			out = append(out, g.itoa(g.n([]int{4, 12, 40, 200}[g.n(4)])))
		}
	}
	if g.n(4) == 0 {
		out = append(out, "LIMIT", g.pick("0", "1", "2", "3", "5", "100", "-1"))
	}
	return out
}

func (g *streamGen) count() []string {
	switch g.n(5) {
	case 0:
		return nil
	case 1:
		return []string{"COUNT", g.pick("0", "-1", "abc", "1", "2")}
	}
	return []string{"COUNT", g.itoa(1 + g.n(5))}
}

// readKeys are one to three distinct keys for XREAD and XREADGROUP.
func (g *streamGen) readKeys() []string {
	ks := []string{g.key()}
	for len(ks) < 3 && g.n(3) == 0 {
		k := g.key()
		if !containsStr(ks, k) {
			ks = append(ks, k)
		}
	}
	return ks
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (g *streamGen) args() []string {
	if g.first {
		g.first = false
		return []string{"SET", "str", "v"}
	}
	if len(g.queue) > 0 {
		a := g.queue[0]
		g.queue = g.queue[1:]
		return a
	}
	if g.delIn > 0 {
		if g.delIn--; g.delIn == 0 {
			return []string{"DEL", "x3"}
		}
	}
	k := g.key()
	switch r := g.n(100); {
	case r < 22: // XADD
		if g.n(60) == 0 {
			// A burst of entries makes streams of several nodes at any limit.
			for i, n := 0, 10+g.n(150); i < n; i++ {
				g.queue = append(g.queue, append([]string{"XADD", k, g.addID(k)}, g.fields()...))
			}
			return []string{"XLEN", k}
		}
		a := []string{"XADD", k}
		if g.n(10) == 0 {
			a = append(a, "NOMKSTREAM")
		}
		if g.n(4) == 0 {
			a = append(a, g.trim(k)...)
		}
		a = append(a, g.addID(k))
		if g.n(60) == 0 {
			return append(a, "lonely")
		}
		return append(a, g.fields()...)
	case r < 25:
		a := []string{"XDEL", k}
		for i, n := 0, 1+g.n(3); i < n; i++ {
			a = append(a, g.id(k))
		}
		return a
	case r < 28:
		return append([]string{"XTRIM", k}, g.trim(k)...)
	case r < 30:
		return []string{"XLEN", k}
	case r < 35:
		a := []string{"XRANGE", k, g.bound(k, true), g.bound(k, false)}
		if g.n(3) == 0 {
			a = append(a, "COUNT", g.pick("0", "-1", "1", "2", "3", "10"))
		}
		return a
	case r < 38:
		a := []string{"XREVRANGE", k, g.bound(k, false), g.bound(k, true)}
		if g.n(3) == 0 {
			a = append(a, "COUNT", g.pick("0", "-1", "1", "2", "3", "10"))
		}
		return a
	case r < 40: // XSETID
		top := g.top[k]
		var id string
		switch g.n(4) {
		case 0:
			id = g.id(k)
		default:
			top += uint64(g.n(3))
			id = fmt.Sprintf("%d-%d", top, g.n(3))
			g.top[k] = top
		}
		a := []string{"XSETID", k, id}
		if g.n(2) == 0 {
			a = append(a, "ENTRIESADDED", g.pick("0", "1", "5", "20", "100", "-1", g.itoa(len(g.added[k]))))
		}
		if g.n(2) == 0 {
			a = append(a, "MAXDELETEDID", g.pick(g.id(k), "0-0", fmt.Sprintf("%d-0", top+5)))
		}
		return a
	case r < 45: // XGROUP CREATE
		a := []string{"XGROUP", "CREATE", k, g.group(), g.pick("$", "0", "0-0", g.id(k), g.id(k))}
		if g.n(2) == 0 {
			a = append(a, "MKSTREAM")
		}
		if g.n(3) == 0 {
			a = append(a, "ENTRIESREAD", g.pick("0", "1", "3", "10", "-1", "-2"))
		}
		return a
	case r < 47:
		a := []string{"XGROUP", "SETID", k, g.group(), g.pick("$", "0", g.id(k), g.id(k))}
		if g.n(2) == 0 {
			a = append(a, "ENTRIESREAD", g.pick("0", "1", "3", "10", "-1", "-2"))
		}
		return a
	case r < 48:
		if g.n(2) == 0 {
			return []string{"XGROUP", "DESTROY", k, g.group()}
		}
		return []string{"XGROUP", "CREATECONSUMER", k, g.group(), g.consumer()}
	case r < 49:
		return []string{"XGROUP", "DELCONSUMER", k, g.group(), g.consumer()}
	case r < 58: // XREADGROUP
		a := append([]string{"XREADGROUP", "GROUP", g.group(), g.consumer()}, g.count()...)
		if g.n(5) == 0 {
			a = append(a, "NOACK")
		}
		ks := g.readKeys()
		a = append(append(a, "STREAMS"), ks...)
		for _, rk := range ks {
			if g.n(4) == 0 {
				a = append(a, g.pick("0", "0-0", g.id(rk), "$"))
			} else {
				a = append(a, ">")
			}
		}
		return a
	case r < 61: // XREAD
		a := append([]string{"XREAD"}, g.count()...)
		ks := g.readKeys()
		a = append(append(a, "STREAMS"), ks...)
		for _, rk := range ks {
			if g.n(30) == 0 {
				// Steer: no "+", which Petrel reads as Redis 7.4 does (the
				// last entry) where 7.0 replies with an error.
				a = append(a, g.pick(">", "-", "5-", "-5", "1-x"))
			} else {
				a = append(a, g.pick("0", "$", g.id(rk), g.id(rk), "(0"))
			}
		}
		return a
	case r < 65:
		a := []string{"XACK", k, g.group()}
		for i, n := 0, 1+g.n(3); i < n; i++ {
			a = append(a, g.id(k))
		}
		return a
	case r < 67:
		return []string{"XPENDING", k, g.group()}
	case r < 70:
		a := []string{"XPENDING", k, g.group()}
		if g.n(3) == 0 {
			a = append(a, "IDLE", g.pick("0", "3600000"))
		}
		a = append(a, g.bound(k, true), g.bound(k, false), g.pick("0", "1", "3", "10", "-1"))
		if g.n(2) == 0 {
			a = append(a, g.consumer())
		}
		return a
	case r < 75: // XCLAIM
		a := []string{"XCLAIM", k, g.group(), g.consumer(), g.pick("0", "0", "0", "3600000")}
		for i, n := 0, 1+g.n(3); i < n; i++ {
			a = append(a, g.id(k))
		}
		for g.n(2) == 0 {
			switch g.n(7) {
			case 0:
				a = append(a, "JUSTID")
			case 1:
				a = append(a, "FORCE")
			case 2:
				a = append(a, "RETRYCOUNT", g.pick("0", "1", "5"))
			case 3:
				a = append(a, "LASTID", g.id(k))
			case 4:
				a = append(a, "IDLE", g.pick("0", "7200000", "-5"))
			case 5:
				a = append(a, "TIME", g.pick("1", "1000"))
			default:
				a = append(a, "JUSTID")
			}
		}
		return a
	case r < 79: // XAUTOCLAIM
		a := []string{"XAUTOCLAIM", k, g.group(), g.consumer(), g.pick("0", "0", "0", "3600000"),
			g.pick("0", "0-0", "-", g.id(k), "("+g.id(k))}
		if g.n(2) == 0 {
			a = append(a, "COUNT", g.pick("1", "2", "3", "10", "0"))
		}
		if g.n(3) == 0 {
			a = append(a, "JUSTID")
		}
		return a
	case r < 84: // XINFO STREAM
		a := []string{"XINFO", "STREAM", k}
		if g.n(2) == 0 {
			a = append(a, "FULL")
			if g.n(2) == 0 {
				a = append(a, "COUNT", g.pick("0", "1", "2", "5"))
			}
		}
		return a
	case r < 86:
		return []string{"XINFO", "GROUPS", k}
	case r < 88:
		return []string{"XINFO", "CONSUMERS", k, g.group()}
	case r < 91:
		return []string{g.pick("TYPE", "EXISTS", "XLEN"), k}
	case r < 92:
		switch g.n(8) {
		case 7:
			// Nodes made before are bigger or smaller than the new limit.
			if g.n(3) == 0 {
				v := g.pick("0", "100", "300", "4096")
				g.nodeBytes, _ = strconv.Atoi(v)
				return []string{"CONFIG", "SET", "stream-node-max-bytes", v}
			}
			return []string{"CONFIG", "SET", "stream-node-max-entries", g.pick("1", "2", "3", "10", "100", "0")}
		case 0:
			if g.delIn == 0 {
				g.delIn = 5 + g.n(20)
			}
			return []string{"SET", "x3", "v"}
		case 1:
			return []string{"COPY", k, g.key(), "REPLACE"}
		}
		return []string{"DEL", k}
	case r < 94:
		return []string{"DEBUG", "DIGEST-VALUE", k}
	}
	// Wrong arity and syntax errors.
	return strings.Fields(g.pick(
		"XADD "+k, "XADD "+k+" 1-0", "XADD "+k+" MAXLEN", "XADD "+k+" FOO 1-0 a 1", "XADD "+k+" LIMIT 5 999-0 a 1",
		"XRANGE "+k+" -", "XREVRANGE "+k, "XRANGE "+k+" - + COUNT", "XRANGE "+k+" - + LIMIT 1",
		"XDEL "+k, "XTRIM "+k, "XTRIM "+k+" MAXLEN", "XTRIM "+k+" FOO 1", "XLEN",
		"XSETID "+k, "XSETID "+k+" 5-0 ENTRIESADDED", "XSETID "+k+" 5-0 FOO 1",
		"XGROUP CREATE "+k+" g1", "XGROUP CREATE "+k+" g1 0 FOO", "XGROUP SETID "+k+" g1", "XGROUP DESTROY "+k,
		"XGROUP CREATECONSUMER "+k+" g1", "XGROUP DELCONSUMER "+k+" g1", "XGROUP FOO "+k,
		"XREADGROUP GROUP g1 c1 STREAMS "+k, "XREADGROUP GROUP g1 STREAMS "+k+" >", "XREADGROUP STREAMS "+k+" >",
		"XREAD STREAMS "+k+" x1 0", "XREAD COUNT 1 "+k, "XREAD STREAMS "+k+" >",
		"XACK "+k+" g1", "XPENDING "+k, "XPENDING "+k+" g1 - +", "XPENDING "+k+" g1 - + 10 c1 extra",
		"XCLAIM "+k+" g1 c1 0", "XCLAIM "+k+" g1 c1 0 1-0 FOO", "XAUTOCLAIM "+k+" g1 c1 0", "XAUTOCLAIM "+k+" g1 c1 0 0 COUNT",
		"XINFO STREAM", "XINFO STREAM "+k+" FULL COUNT", "XINFO GROUPS", "XINFO CONSUMERS "+k, "XINFO FOO "+k,
	))
}
