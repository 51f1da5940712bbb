package integration

import (
	"fmt"
	"math/rand"
	"strconv"
	"strings"
	"testing"

	"petrel/integration/harness"
)

// blocked sends a (blocking) command on connection conn without reading
// its reply; a later "@conn !read" compares what it finally gets.
func blocked(conn int, args ...string) step {
	st := raw(conn, string(harness.Encode(args...)), 0)
	st.text = fmt.Sprintf("@%d %s (no reply yet)", conn, strings.Join(args, " "))
	return st
}

// settle gives a command sent with blocked time to reach the server and
// block before the step that should serve it.
const settle = "!sleep 60"

// TestDiffLists compares the list commands: replies, errors, null shapes,
// encodings, and the blocking commands with several clients.
func TestDiffLists(t *testing.T) {
	big := strings.Repeat("b", 20_000)
	runSequences(t, []sequence{
		{name: "push-pop", steps: steps(
			"LPUSHX l a", "RPUSHX l a b", "LPUSH l a b c", "LPUSHX l x y", "RPUSHX l z", "LRANGE l 0 -1",
			"LLEN l", "LLEN nosuch", "LPUSH l", "TYPE l", "OBJECT ENCODING l",
			"LPOP nokey", "LPOP nokey 0", "LPOP nokey 2", "RPOP nokey -1", "LPOP nokey abc",
			"LPOP l 0", "LPOP l -1", "LPOP l abc", "LPOP l 2", "RPOP l 2", "RPOP l", "LPOP l 10", "EXISTS l",
			"LPOP l 1 2", "RPUSH l 1 -2 007 3.5 9223372036854775807 -9223372036854775808 0 -0", "LRANGE l 0 -1",
			"SET s x", "LPOP s", "LPOP s 0", "LPOP s -1", "LPUSH s a", "LPUSHX s a", "LLEN s",
			`RPUSH e "" "" x`, "LRANGE e 0 -1", "LPOP e", `RPUSH bin "\x00\xff\r\n"`, "LRANGE bin 0 -1",
			cmd("RPUSH", "big", big, "small", big), cmd("LRANGE", "big", "0", "-1"), "LINDEX big 1",
		)},
		{name: "range-index-set", steps: steps(
			"RPUSH l a b c d e f", "LRANGE l 0 -100", "LRANGE l -100 100", "LRANGE l 5 3", "LRANGE l -2 -1",
			"LRANGE l 6 10", "LRANGE l 9223372036854775807 -9223372036854775808",
			"LRANGE l -9223372036854775808 9223372036854775807", "LRANGE l a 1", "LRANGE nos 0 -1",
			"LRANGE nos a b", "LINDEX l 0", "LINDEX l -1", "LINDEX l 100", "LINDEX l -7", "LINDEX l x",
			"LINDEX nos x", "LSET l 0 Q", "LSET l -1 Z", "LSET l 100 Q", "LSET l -100 Q", "LSET nos 0 a",
			"LSET nos x a", "LSET l x a", "LSET l 2 12345", "LRANGE l 0 -1", "SET s x", "LRANGE s 0 1",
			"LRANGE s a b", "LINDEX s 0", "LINDEX s x", "LSET s 0 a", "LSET s x a",
		)},
		{name: "insert-rem-trim", steps: steps(
			"RPUSH l a b c b a", "SET s x", "LINSERT l before b X", "LINSERT l AFTER b Y", "LINSERT l after nope Y",
			"LINSERT l middle b Y", "LINSERT nos before a b", "LINSERT nos middle a b", "LINSERT s before a b",
			"LINSERT s middle a b", "LRANGE l 0 -1", "LREM l 0 b", "LREM l x b", "LREM nos x b", "LREM nos 1 b",
			"LREM s 1 b", "LREM s x b", "RPUSH m a a b a a", "LREM m -2 a", "LRANGE m 0 -1", "LREM m 1 a",
			"LREM m 5 b", "LREM m 0 a", "EXISTS m", "RPUSH q 1 2 1 2 1", "LREM q -9223372036854775808 1",
			"LRANGE q 0 -1", "RPUSH n 10 010 10", "LREM n 0 10", "LRANGE n 0 -1",
			"LTRIM l 1 -2", "LRANGE l 0 -1", "LTRIM l x 1", "LTRIM nos 0 1", "LTRIM nos x 1", "LTRIM s 0 1",
			"LTRIM s x 1", "LTRIM l -100 100", "LRANGE l 0 -1", "LTRIM l 5 1", "EXISTS l",
			"RPUSH l 1 2 3", "LTRIM l 0 0", "LRANGE l 0 -1", "LTRIM l -1 -2", "EXISTS l",
		)},
		{name: "lpos", steps: steps(
			"RPUSH l a b c 1 2 3 c c", "SET s x", "LPOS l c", "LPOS l c RANK 2", "LPOS l c RANK -1",
			"LPOS l c RANK 0", "LPOS l c RANK x", "LPOS l c RANK -9223372036854775808",
			"LPOS l c RANK -9223372036854775808 COUNT 1", "LPOS l c RANK 9223372036854775807",
			"LPOS l c RANK -9223372036854775807 COUNT 0", "LPOS l c COUNT 0", "LPOS l c COUNT 2",
			"LPOS l c COUNT -1", "LPOS l c COUNT x", "LPOS l c MAXLEN 0", "LPOS l c MAXLEN 3",
			"LPOS l c MAXLEN 3 COUNT 0", "LPOS l c MAXLEN -1", "LPOS l c MAXLEN x", "LPOS l c bogus 1",
			"LPOS l c RANK", "LPOS l c RANK 1 COUNT", "LPOS nos c", "LPOS nos c COUNT 1", "LPOS s c",
			"LPOS s c COUNT 1", "LPOS nos c RANK 0", "LPOS s c RANK 0", "LPOS l z COUNT 0", "LPOS l z",
			"LPOS l c RANK -2 COUNT 0", "LPOS l c RANK 2 RANK 3", "LPOS l c RANK -1 MAXLEN 2 COUNT 0",
			"LPOS l c rank 1 rank 0", "LPOS l c count -1 rank 0", "LPOS l c rank 0 count -1", "LPOS l",
			"LPOS l 3 RANK -1 COUNT 5", "LPOS l 1",
		)},
		{name: "lmove-lmpop", steps: steps(
			"RPUSH a 1 2 3", "SET s x", "LMOVE a b left right", "LMOVE a b LEFT middle", "LMOVE a b up left",
			"LMOVE nos b left right", "LMOVE nos b bad right", "LMOVE s b left right", "LMOVE a s left right",
			"LMOVE nos s left right", "LMOVE a a left right", "LRANGE a 0 -1", "RPOPLPUSH a b",
			"RPOPLPUSH nos b", "RPOPLPUSH s b", "RPOPLPUSH a s", "LRANGE b 0 -1", "LMOVE a a right right",
			"RPUSH one x", "LMOVE one one left left", "LMOVE one two left left", "EXISTS one", "LRANGE two 0 -1",
			"DEL a b", "RPUSH a 1 2 3", "RPUSH b x y", "LMPOP 2 nos a left", "LMPOP 2 nos b right COUNT 5",
			"LMPOP 1 nos left", "LMPOP 0 a left", "LMPOP -1 a left", "LMPOP x a left", "LMPOP 3 a left",
			"LMPOP 2 a b", "LMPOP 1 a middle", "LMPOP 1 a left COUNT 0", "LMPOP 1 a left COUNT -1",
			"LMPOP 1 a left COUNT x", "LMPOP 1 a left COUNT", "LMPOP 1 a left COUNT 1 COUNT 1",
			"LMPOP 1 a left foo", "LMPOP 2 s a left", "LMPOP 2 a s left COUNT 10", "LMPOP 2 a s left",
			"LMPOP 9223372036854775807 a left", "LMPOP 1", "LMPOP 1 a",
			"COMMAND GETKEYS LMPOP 2 a b left", "COMMAND GETKEYS LMPOP 5 a left",
			"COMMAND GETKEYS BLMPOP 0 2 a b left COUNT 3", "COMMAND GETKEYS BLMOVE a b left left 0",
			"COMMAND INFO lpush lpop lmpop blmpop blpop blmove lpos",
		)},
		{name: "many-nodes", args: []string{"--list-max-listpack-size", "3"}, steps: steps(
			"RPUSH l 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20", "LPUSH l a b c d e f g",
			"LRANGE l 0 -1", "LRANGE l 5 12", "LINDEX l 13", "LINDEX l -9", cmd("LSET", "l", "8", big),
			"LINSERT l BEFORE 10 x", "LINSERT l AFTER 10 y", "LPOS l 10", "LREM l 0 a", "LREM l -1 y",
			"LTRIM l 2 -3", "LRANGE l 0 -1", "LLEN l", "RPOP l 4", "LPOP l 3", "LRANGE l 0 -1",
			"CONFIG SET list-max-listpack-size -1", cmd("RPUSH", "l", big, big), "LINSERT l BEFORE 11 z",
			"LRANGE l 0 -1", "OBJECT ENCODING l",
		)},
		{name: "blocking-immediate-and-timeouts", steps: steps(
			"RPUSH a 1 2 3", "SET s x", "BLPOP a 0", "BRPOP nos a 0", "BLPOP s a 0", "BLPOP nos s a 0",
			"BLPOP a x", "BLPOP a -1", `BLPOP a ""`, "BLPOP a nan", `BLPOP a " 1"`,
			"BLMPOP x 1 nos left", "BLMPOP x 0 nos left", "BLMPOP x 1 nos middle",
			"BLMPOP 0 1 nos left COUNT x", "BLMOVE a b middle left x", "BLMOVE a b left left x",
			"BRPOPLPUSH a b x", "RPUSH a 4 5", "BLMPOP 0 2 nos a RIGHT COUNT 2", "BLMOVE a b RIGHT LEFT 0",
			"BRPOPLPUSH b c 0", "BLMOVE c s LEFT LEFT 0", "BLPOP nos 0.01", "BRPOP nos 0.01",
			"BLMOVE nos b left right 0.01", "BRPOPLPUSH nos b 0.01", "BLMPOP 0.01 1 nos left",
			"BLMOVE nos s left right 0.01",
		)},
		{name: "blocking-inside-multi", steps: steps(
			"MULTI", "BLMOVE nos b left right 0", "BRPOPLPUSH nos b 0", "BLPOP nos 0", "BRPOP nos 0",
			"BLMPOP 0 1 nos left", "EXEC", "RPUSH a 1 2 3", "MULTI", "BLMOVE a b left right 0", "BLPOP a 0",
			"BLMPOP 0 1 a left COUNT 5", "EXEC",
		)},
		{name: "blocking-fifo", steps: steps(
			blocked(2, "BLPOP", "k", "0"), settle, blocked(3, "BRPOP", "k", "0"), settle,
			blocked(4, "BLMPOP", "0", "1", "k", "LEFT", "COUNT", "2"), settle,
			"RPUSH k 1 2 3 4 5", "@2 !read", "@3 !read", "@4 !read", "LRANGE k 0 -1",
			"DEL k", blocked(2, "BLPOP", "k", "0"), settle, blocked(3, "BLPOP", "k", "0"), settle,
			"RPUSH k a", "@2 !read", "RPUSH k b", "@3 !read", "EXISTS k",
		)},
		{name: "blocking-multi-key-and-exec", steps: steps(
			"RPUSH k3 x", "@2 BLPOP k1 k3 k2 0",
			blocked(2, "BLPOP", "k1", "k2", "0"), settle, blocked(3, "BRPOP", "k2", "0"), settle,
			"MULTI", "LPUSH k2 a b", "LPUSH k1 c", "EXEC", "@2 !read", "@3 !read", "LRANGE k1 0 -1", "EXISTS k2",
			blocked(2, "BRPOP", "k", "0"), settle, "MULTI", "LPUSH k a", "LPOP k", "EXEC",
			"RPUSH k z", "@2 !read",
			blocked(2, "BLPOP", "w", "0"), settle, "SET w str", "DEL w", "RPUSH w ok", "@2 !read",
		)},
		{name: "blmove-chain-and-wrongtype", steps: steps(
			blocked(2, "BLMOVE", "a", "b", "LEFT", "RIGHT", "0"), settle, blocked(3, "BLPOP", "b", "0"), settle,
			"LPUSH a x", "@2 !read", "@3 !read", "EXISTS a b",
			blocked(2, "BRPOPLPUSH", "src", "dst", "0"), settle, "SET dst str", "LPUSH src x", "@2 !read",
			"LRANGE src 0 -1",
			blocked(2, "BLMOVE", "p", "p", "RIGHT", "LEFT", "0"), settle, "RPUSH p 1", "@2 !read", "LRANGE p 0 -1",
		)},
		{name: "blocking-timeout-and-unblock", steps: steps(
			blocked(2, "BLPOP", "k", "0.1"), "!sleep 400", "@2 !read",
			blocked(2, "BLMOVE", "k", "d", "LEFT", "LEFT", "0.1"), "!sleep 400", "@2 !read",
			blocked(2, "BLMPOP", "0.1", "2", "a", "k", "RIGHT"), "!sleep 400", "@2 !read",
			"CLIENT UNBLOCK 999999", "CLIENT UNBLOCK 999999 ERROR", "CLIENT UNBLOCK 1 bogus",
		)},
	})
}

// TestDiffListWatch checks which list commands touch a WATCHed key.
func TestDiffListWatch(t *testing.T) {
	var seqs []sequence
	for i, c := range []string{
		"LTRIM l 0 -1", "LREM l 0 zz", "LINSERT l before zz x", "LPOP l 0", "LSET l 0 a", "LPUSHX nos a",
		"LMOVE l l left left", "LPOS l a", "LMPOP 1 nos left", "BLPOP l 0", "RPUSH l c",
	} {
		seqs = append(seqs, sequence{name: fmt.Sprint("watch-", i), protos: []int{2}, steps: steps(
			"RPUSH l a b", "WATCH l nos", c, "MULTI", "PING", "EXEC",
		)})
	}
	runSequences(t, seqs)
}

// TestDiffListRandom drives both servers with seeded random list commands
// on a few keys, with nodes of a few elements so that every operation
// crosses node boundaries. PETREL_DIFF_SEED=n replays one seed.
func TestDiffListRandom(t *testing.T) {
	seeds := randomSeeds(t, 11, 12)
	budget := randomBudget(t, 2000, 400)
	for i, seed := range seeds {
		seed, proto, fill := seed, 2+i%2, []string{"3", "-1", "-2"}[i%3]
		t.Run(fmt.Sprintf("seed=%d/resp%d/fill%s", seed, proto, fill), func(t *testing.T) {
			t.Parallel()
			s := newSession(t, startPair(t, "--list-max-listpack-size", fill), proto)
			var first string
			s.onMismatch = func(msg string) {
				if first == "" {
					first = msg
				}
			}
			g := &listGen{rng: rand.New(rand.NewSource(seed))}
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

// listGen produces list commands over a small key space, with elements
// drawn from a small set so that LPOS, LREM and LINSERT find matches.
type listGen struct{ rng *rand.Rand }

func (g *listGen) pick(list ...string) string { return list[g.rng.Intn(len(list))] }

func (g *listGen) key() string { return "l" + strconv.Itoa(g.rng.Intn(4)) }

func (g *listGen) elem() string {
	switch g.rng.Intn(10) {
	case 0:
		return strings.Repeat("v", 1+g.rng.Intn(3000))
	case 1:
		return g.pick("", "-0", "007", "9223372036854775807", "-9223372036854775808", "4611686018427387904")
	case 2, 3:
		return strconv.Itoa(g.rng.Intn(20) - 5)
	default:
		return string(rune('a' + g.rng.Intn(6)))
	}
}

func (g *listGen) index() string {
	if g.rng.Intn(15) == 0 {
		return g.pick("x", "9223372036854775807", "-9223372036854775808")
	}
	return strconv.Itoa(g.rng.Intn(40) - 20)
}

func (g *listGen) elems() []string {
	out := make([]string, 1+g.rng.Intn(6))
	for i := range out {
		out[i] = g.elem()
	}
	return out
}

func (g *listGen) args() []string {
	k := g.key()
	side := func() string { return g.pick("LEFT", "RIGHT", "left") }
	switch g.rng.Intn(24) {
	case 0, 1, 2:
		return append([]string{g.pick("LPUSH", "RPUSH"), k}, g.elems()...)
	case 3:
		return append([]string{g.pick("LPUSHX", "RPUSHX"), k}, g.elems()...)
	case 4, 5:
		a := []string{g.pick("LPOP", "RPOP"), k}
		if g.rng.Intn(2) == 0 {
			a = append(a, g.pick("0", "1", "3", "10", "-1"))
		}
		return a
	case 6:
		return []string{"LLEN", k}
	case 7, 8:
		return []string{"LRANGE", k, g.index(), g.index()}
	case 9:
		return []string{"LINDEX", k, g.index()}
	case 10:
		return []string{"LSET", k, g.index(), g.elem()}
	case 11:
		return []string{"LINSERT", k, g.pick("BEFORE", "AFTER"), g.elem(), g.elem()}
	case 12:
		return []string{"LREM", k, g.pick("0", "1", "2", "-1", "-3"), g.elem()}
	case 13:
		return []string{"LTRIM", k, g.index(), g.index()}
	case 14:
		a := []string{"LPOS", k, g.elem()}
		for _, opt := range []string{"RANK", "COUNT", "MAXLEN"} {
			if g.rng.Intn(2) == 0 {
				v := strconv.Itoa(g.rng.Intn(7) - 3)
				if opt != "RANK" {
					v = strconv.Itoa(g.rng.Intn(5))
				}
				a = append(a, opt, v)
			}
		}
		return a
	case 15:
		return []string{"LMOVE", k, g.key(), side(), side()}
	case 16:
		return []string{"RPOPLPUSH", k, g.key()}
	case 17:
		a := []string{"LMPOP", "2", k, g.key(), side()}
		if g.rng.Intn(2) == 0 {
			a = append(a, "COUNT", g.pick("1", "2", "5"))
		}
		return a
	case 18:
		return []string{g.pick("BLPOP", "BRPOP"), k, g.key(), "0.01"}
	case 19:
		return []string{"BLMOVE", k, g.key(), side(), side(), "0.01"}
	case 20:
		if g.rng.Intn(4) == 0 {
			return []string{"SET", k, "str"}
		}
		return []string{"DEL", k}
	case 21:
		return []string{"TYPE", k}
	case 22:
		return []string{"OBJECT", "ENCODING", k}
	default:
		return []string{"LRANGE", k, "0", "-1"}
	}
}
