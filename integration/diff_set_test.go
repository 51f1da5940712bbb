package integration

import (
	"fmt"
	"math/rand"
	"strconv"
	"strings"
	"testing"

	"petrel/integration/harness"
)

// Sets: every command, option and error, intsets and hash tables and the
// points where a set changes encoding, and a seeded random walk.

func init() {
	// A hash table set lists its members in its own order, which differs
	// between the two servers: these replies compare as sets. Intsets are
	// ordered, and the server tests pin that order.
	for _, name := range []string{"SMEMBERS", "SINTER", "SUNION", "SDIFF"} {
		rules[name] = rule{norm: sortElems}
	}
	// Random members differ from run to run: compare the shape only.
	rules["SRANDMEMBER"] = rule{norm: maskAll}
	rules["SPOP"] = rule{norm: maskAll}
	rules["SSCAN"] = rule{norm: normSscan}
}

// normSscan compares a complete SSCAN (cursor 0) as a set of members; an
// unfinished scan returns what the buckets it visited hold, so only its
// type is compared.
func normSscan(_ []string, v harness.Value) harness.Value {
	if v.Type != '*' || len(v.Elems) != 2 {
		return v
	}
	if v.Elems[0].Str != "0" {
		return harness.Value{Type: '+', Str: "<unfinished scan>"}
	}
	out := v
	out.Elems = []harness.Value{v.Elems[0], v.Elems[1].SortElems()}
	return out
}

// setMembers returns n members: integers from first, or prefixed strings.
func setMembers(prefix string, first, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = prefix + strconv.Itoa(first+i)
	}
	return out
}

func TestDiffSet(t *testing.T) {
	ints513 := append([]string{"SADD", "big"}, setMembers("", 1, 513)...)
	ints512 := append([]string{"SADD", "i512"}, setMembers("", 1, 512)...)
	strs := append([]string{"SADD", "hs"}, setMembers("m", 0, 300)...)
	long := strings.Repeat("x", 100)
	runSequences(t, []sequence{
		{name: "basics", steps: steps(
			"SADD s 3 1 2", "SADD s 2 4", "SCARD s", "SMEMBERS s", "SISMEMBER s 1", "SISMEMBER s 9", "SISMEMBER s 01",
			"SMISMEMBER s 1 9 4", "SMISMEMBER nokey a b", "SISMEMBER nokey a", "SCARD nokey", "SMEMBERS nokey",
			"SREM s 1 9", "SREM nokey a", "SREM s 2 3 4", "EXISTS s", "SADD h b a c", "SMEMBERS h", "SREM h a zz a",
			`SADD "" ""`, `SISMEMBER "" ""`, `SADD bin "a\x00b" "\xff"`, `SISMEMBER bin "a\x00b"`, "SMEMBERS bin",
			"TYPE h", "SADD h a b c d", "SCARD h", "SET str x", "SADD str a", "SREM str a", "SMEMBERS str",
			"SISMEMBER str a", "SMISMEMBER str a", "SCARD str", "SPOP str", "SRANDMEMBER str", "SMOVE str d a",
			"SINTER str", "SSCAN str 0", "SADD", "SADD s", "SREM s", "SMEMBERS", "SISMEMBER s", "SMISMEMBER s",
			"SCARD a b", "SPOP", "SMOVE a b", "SINTER", "SINTERSTORE d", "SINTERCARD 1", "SSCAN s", "GET str",
		)},
		{name: "encodings", args: []string{"--enable-debug-command", "yes"}, steps: steps(
			cmd(ints512...), "OBJECT ENCODING i512", "SCARD i512", "SADD i512 512", "OBJECT ENCODING i512",
			cmd(ints513...), "OBJECT ENCODING big", "SREM big 513", "OBJECT ENCODING big", "SCARD big",
			"SADD w -9223372036854775808 9223372036854775807 0 -1 32768 -32769 2147483648", "SMEMBERS w",
			"OBJECT ENCODING w", "SISMEMBER w -32769", "SREM w 0 -1", "SMEMBERS w", "OBJECT ENCODING w",
			"SADD n -0 01 +1 00 \" 1\" 1.0", "OBJECT ENCODING n", "SADD x 1 2", "SADD x a", "OBJECT ENCODING x",
			"SREM x a", "OBJECT ENCODING x", cmd("SADD", "lm", long), "OBJECT ENCODING lm",
			"CONFIG SET set-max-intset-entries 3", "SADD c 1 2 3", "OBJECT ENCODING c", "SADD c 4",
			// A repeated member counts once; SPOP of most of a set leaves a
			// new set, an intset again.
			"SADD dup 1 1 2 2 3 3", "OBJECT ENCODING dup", "SADD sp 1 2 3 4 5 6 7 8 9 10", "SPOP sp 9",
			"OBJECT ENCODING sp", "SADD sp8 1 2 3 4 5 6 7 8 9 10", "SPOP sp8 8", "OBJECT ENCODING sp8",
			"OBJECT ENCODING c", "SREM c 4 3", "OBJECT ENCODING c", "SADD b1 1 2", "SADD c1 3 4",
			"SUNIONSTORE d b1 c1", "OBJECT ENCODING d", "SUNIONSTORE d b1", "OBJECT ENCODING d",
			"CONFIG SET set-max-intset-entries 0", "SADD e 1", "OBJECT ENCODING e", "SMOVE b1 f 1",
			"OBJECT ENCODING f", "SINTERSTORE g b1", "OBJECT ENCODING g", "CONFIG SET set-max-intset-entries 512",
			// SDIFFSTORE's algorithm choice shows in the result's encoding.
			"SADD s0 1 2 3 x", "SADD a x", "SADD b y", "SADD cc z", "SDIFFSTORE d s0 a b cc", "OBJECT ENCODING d",
			"SDIFFSTORE d s0 a b", "OBJECT ENCODING d", "SDIFFSTORE d s0 a nokey nokey2 nokey3", "OBJECT ENCODING d",
			"SADD one 1", "SADD two 2", "SDIFFSTORE d big one", "OBJECT ENCODING d", "SDIFFSTORE d big one two",
			"OBJECT ENCODING d", "SINTERSTORE d big i512", "OBJECT ENCODING d", "SUNIONSTORE d i512 one",
			"OBJECT ENCODING d", "DEBUG DIGEST-VALUE i512 big w n x c d", "COPY big bigc", "DEBUG DIGEST-VALUE bigc",
			"OBJECT ENCODING bigc", "COPY w wc", "SMEMBERS wc", "OBJECT ENCODING wc",
		)},
		{name: "algebra", steps: steps(
			"SET str x", "SADD a 1 2 3 4", "SADD b 2 3 4 5", "SADD c 3 4 100", "SADD h 3 4 x y", "SADD h2 x z",
			"SINTER a b", "SINTER a b c", "SINTER c a b", "SINTER a h", "SINTER h h2", "SINTER a nokey", "SINTER nokey",
			"SINTER a a", "SUNION a b", "SUNION a h h2 nokey", "SUNION nokey", "SDIFF a b", "SDIFF h a", "SDIFF a h",
			"SDIFF h h2 a", "SDIFF a nokey", "SDIFF nokey a", "SDIFF a a", "SINTER a str", "SINTER nokey str",
			"SUNION nokey str", "SDIFF str nokey", "SINTERSTORE d nokey str", "SUNIONSTORE d nokey str",
			"SDIFFSTORE d a str", "SINTERSTORE d a b", "SMEMBERS d", "OBJECT ENCODING d", "SINTERSTORE d a h",
			"OBJECT ENCODING d", "SUNIONSTORE d a h", "SMEMBERS d", "OBJECT ENCODING d", "SDIFFSTORE d h a",
			"SMEMBERS d", "OBJECT ENCODING d", "SINTERSTORE d a nokey", "EXISTS d", "SET d2 v", "SUNIONSTORE d2 nokey",
			"EXISTS d2", "SET t v", "EXPIRE t 100", "SUNIONSTORE t a", "TTL t", "TYPE t", "SINTERSTORE a a b",
			"SMEMBERS a", "SUNIONSTORE a a c h", "SMEMBERS a", "SDIFFSTORE a a a", "EXISTS a",
		)},
		{name: "intercard", steps: steps(
			"SET str x", "SADD a 1 2 3 4", "SADD b 2 3 4 5", "SADD h 2 3 x", "SINTERCARD 0 a", "SINTERCARD -1 a",
			"SINTERCARD x a", "SINTERCARD 3 a b", "SINTERCARD 99999999999999999999 a", "SINTERCARD 2 a b",
			"SINTERCARD 2 a b LIMIT 2", "SINTERCARD 2 a b limit 0", "SINTERCARD 2 a b LIMIT 100", "SINTERCARD 3 a b h",
			"SINTERCARD 2 a b LIMIT -1", "SINTERCARD 2 a b LIMIT x", "SINTERCARD 2 a b LIMIT", "SINTERCARD 2 a b FOO",
			"SINTERCARD 2 a b LIMIT 1 LIMIT 3", "SINTERCARD 1 a b", "SINTERCARD 1 str", "SINTERCARD 2 nokey str",
			"SINTERCARD 2 a nokey", "SINTERCARD 2 a a", "COMMAND GETKEYS SINTERCARD 2 a b",
			"COMMAND GETKEYS SINTERCARD 3 a b", "COMMAND GETKEYS SINTERCARD x a",
		)},
		{name: "pop-randmember", steps: steps(
			"SADD s 5 3 1", "SPOP s 0", "SPOP s -1", "SPOP s abc", "SPOP nokey -1", "SPOP nokey 0", "SPOP nokey",
			"SPOP nokey 2", "SPOP s 1 2", "SPOP s 3", "EXISTS s", "SADD s 7 8", "SPOP s 9223372036854775807",
			"SADD s 9", "SPOP s", "EXISTS s", "SADD h x", "SPOP h 5", "SRANDMEMBER nokey", "SRANDMEMBER nokey 5",
			"SRANDMEMBER nokey -5", "SRANDMEMBER nokey abc", "SRANDMEMBER nokey 1 2",
			"SRANDMEMBER nokey -9223372036854775808", "SADD r 10 20 30", "SRANDMEMBER r 0", "SRANDMEMBER r 3",
			"SRANDMEMBER r 100", "SRANDMEMBER r 2", "SRANDMEMBER r -7", "SRANDMEMBER r", "SRANDMEMBER r 1.5",
			"SADD one x", "SRANDMEMBER one", "SRANDMEMBER one 1", "SRANDMEMBER one -3", "SPOP one",
			cmd(strs...), "SPOP hs 10", "SCARD hs", "SPOP hs 250", "SCARD hs", "SPOP hs", "SCARD hs",
			"SRANDMEMBER hs -20", "SRANDMEMBER hs 30", "SPOP hs 100", "EXISTS hs",
		)},
		{name: "move", steps: steps(
			"SET str x", "SMOVE nokey d a", "SMOVE nokey str a", "SMOVE str str a", "SADD s 1 a", "SMOVE s str 2",
			"SMOVE s str 1", "SMOVE s d zz", "SMOVE s d 1", "OBJECT ENCODING d", "SMEMBERS d", "SMOVE s d a",
			"EXISTS s", "OBJECT ENCODING d", "SMEMBERS d", "SADD s2 a", "SMOVE s2 d a", "EXISTS s2", "SCARD d",
			"SADD s3 5", "SMOVE s3 s3 5", "SMOVE s3 s3 6", "SMEMBERS s3", "EXPIRE d 100", "SADD s4 q", "SMOVE s4 d q",
			"TTL d",
		)},
		{name: "scan", steps: steps(
			"SET str x", "SADD i 1 2 3 10 20", "SSCAN nokey 0 COUNT 0", "SSCAN nokey x", "SSCAN str x",
			"SSCAN str 0 COUNT 0", "SSCAN i 0 COUNT 0", "SSCAN i 0 COUNT -1", "SSCAN i 0 COUNT x", "SSCAN i 0 MATCH",
			"SSCAN i 0 MATCH 1*", "SSCAN i 5", "SSCAN i 0 TYPE string", "SSCAN i -1", "SSCAN i 18446744073709551615",
			"SSCAN i 18446744073709551616", "SSCAN i 0 COUNT 1", "SSCAN i 0 NOVALUES", "SSCAN i 0 MATCH * COUNT 1",
			`SSCAN i " 1"`, `SSCAN i ""`, "SADD h a b c", "SSCAN h 0", "SSCAN h 0 MATCH b",
			cmd(strs...), "SSCAN hs 0 COUNT 10000", "SSCAN hs 0 COUNT 10000 MATCH m1?",
		)},
		{name: "transactions", steps: steps(
			"MULTI", "SADD s a b", "SCARD s", "SPOP s -1", "SREM s a", "SMEMBERS s", "EXEC",
			"WATCH s", "@2 SADD s b", "MULTI", "SCARD s", "EXEC",
			"WATCH s", "@2 SADD s c", "MULTI", "SCARD s", "EXEC",
			"WATCH s", "@2 SREM s nope", "MULTI", "SCARD s", "EXEC",
			"WATCH d", "@2 SINTERSTORE d s", "MULTI", "SCARD d", "EXEC",
			"WATCH d", "@2 SMOVE s d zz", "MULTI", "SCARD d", "EXEC",
			"WATCH s", "@2 SPOP s 0", "MULTI", "SCARD s", "EXEC",
		)},
	})
}

func TestDiffSetRandom(t *testing.T) {
	seeds := randomSeeds(t, 41, 42, 43)
	budget := randomBudget(t, 2000, 400)
	for i, seed := range seeds {
		// The intset limit moves the conversion point: tiny, small, default.
		seed, proto, limit := seed, 2+i%2, []string{"4", "0", "512"}[i%3]
		t.Run(fmt.Sprintf("seed=%d/resp%d/intset%s", seed, proto, limit), func(t *testing.T) {
			t.Parallel()
			s := newSession(t, startPair(t, "--set-max-intset-entries", limit, "--enable-debug-command", "yes"), proto)
			var first string
			s.onMismatch = func(msg string) {
				if first == "" {
					first = msg
				}
			}
			g := &setGen{rng: rand.New(rand.NewSource(seed))}
			var history []string
			for n := 0; n < budget; n++ {
				st := cmd(g.args()...)
				history = append(history, fmt.Sprintf("%5d  %s", n+1, st.text))
				s.run([]step{st})
				if first != "" {
					from := max(0, len(history)-30)
					t.Fatalf("seed %d: first difference at command %d; replay with PETREL_DIFF_SEED=%d\n%s\n--- preceding commands ---\n%s",
						seed, n+1, seed, first, strings.Join(history[from:], "\n"))
				}
			}
		})
	}
}

// setGen produces set commands over a few keys and mostly integer members,
// so intsets form, convert and meet hash tables. SPOP only pops whole sets
// (or nothing), so both servers keep the same contents.
type setGen struct {
	rng *rand.Rand
}

func (g *setGen) pick(list ...string) string { return list[g.rng.Intn(len(list))] }

func (g *setGen) key() string { return "s" + strconv.Itoa(g.rng.Intn(5)) }

func (g *setGen) member() string {
	switch g.rng.Intn(20) {
	case 0:
		return g.pick("", "a\x00b", "\xff", "-0", "01", "9223372036854775807", "-9223372036854775808", "70000")
	case 1, 2, 3:
		return "m" + strconv.Itoa(g.rng.Intn(8))
	}
	return strconv.Itoa(g.rng.Intn(16) - 4)
}

func (g *setGen) members(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = g.member()
	}
	return out
}

func (g *setGen) keys() []string {
	out := []string{g.key()}
	for g.rng.Intn(2) == 0 {
		out = append(out, g.key())
	}
	return out
}

func (g *setGen) args() []string {
	k := g.key()
	switch g.rng.Intn(24) {
	case 0, 1, 2, 3, 4:
		return append([]string{"SADD", k}, g.members(1+g.rng.Intn(4))...)
	case 5, 6:
		return append([]string{"SREM", k}, g.members(1+g.rng.Intn(3))...)
	case 7:
		return []string{"SMEMBERS", k}
	case 8:
		return []string{"SISMEMBER", k, g.member()}
	case 9:
		return append([]string{"SMISMEMBER", k}, g.members(1+g.rng.Intn(3))...)
	case 10:
		return []string{"SCARD", k}
	case 11:
		return []string{"SMOVE", k, g.key(), g.member()}
	case 12:
		return append([]string{g.pick("SINTER", "SUNION", "SDIFF")}, g.keys()...)
	case 13, 14:
		return append([]string{g.pick("SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"), g.key()}, g.keys()...)
	case 15:
		ks := g.keys()
		a := append([]string{"SINTERCARD", strconv.Itoa(len(ks))}, ks...)
		if g.rng.Intn(2) == 0 {
			a = append(a, "LIMIT", strconv.Itoa(g.rng.Intn(4)))
		}
		return a
	case 16:
		return []string{"OBJECT", "ENCODING", k}
	case 17:
		return []string{"SPOP", k, g.pick("0", "100", "-1")}
	case 18:
		return []string{"SRANDMEMBER", k, g.pick("-3", "2", "100", "0")}
	case 19:
		return []string{"SSCAN", k, "0", "COUNT", "1000"}
	case 20:
		return []string{"DEBUG", "DIGEST-VALUE", k}
	case 21:
		return []string{g.pick("DEL", "TYPE", "EXISTS"), k}
	case 22:
		return []string{"SET", k, "str"}
	default:
		return append([]string{"SORT", k}, strings.Fields(g.pick("", "ALPHA", "DESC", "LIMIT 1 2", "ALPHA DESC LIMIT 0 3"))...)
	}
}
