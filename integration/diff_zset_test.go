package integration

import (
	"fmt"
	"math/rand"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"petrel/integration/harness"
)

// Sorted sets: every command, option and error, both encodings and the
// points where a set changes encoding, blocking pops with several clients,
// and a seeded random walk.

func init() {
	// Random members differ from run to run: compare the shape only.
	rules["ZRANDMEMBER"] = rule{norm: maskAll}
	rules["ZSCAN"] = rule{norm: normZscan}
}

// normZscan compares a complete ZSCAN (cursor 0) as a set of pairs, since a
// skiplist is walked in hash-table order; an unfinished scan returns what
// its hash table holds in the buckets it visited, so only its type is
// compared.
func normZscan(_ []string, v harness.Value) harness.Value {
	if v.Type != '*' || len(v.Elems) != 2 {
		return v
	}
	if v.Elems[0].Str != "0" {
		return harness.Value{Type: '+', Str: "<unfinished scan>"}
	}
	out := v
	out.Elems = []harness.Value{v.Elems[0], v.Elems[1].SortPairs()}
	return out
}

// zblocked sends a blocking command on connection conn without reading its
// reply; a later "@conn !read" compares what it finally gets.
func zblocked(conn int, args ...string) step {
	st := raw(conn, string(harness.Encode(args...)), 0)
	st.text = fmt.Sprintf("@%d %s (no reply yet)", conn, strings.Join(args, " "))
	return st
}

// zsettle lets a command sent with zblocked reach the server and block.
const zsettle = "!sleep 60"

// zsetCore are sequences run with both encodings: as they come (small sets
// are listpacks) and with zset-max-listpack-entries 0 (all skiplists).
var zsetCore = []sequence{
	{name: "zadd-options", steps: steps(
		"ZADD z 1 a 2 b 3 c", "ZADD z NX 5 a 6 d", "ZADD z XX CH 7 a 8 e", "ZADD z CH 7 a 2 b",
		"ZADD z GT CH 1 a 3 b", "ZADD z LT CH 1 a 3 b", "ZADD z XX GT 0 a 9 b 9 nosuch", "ZRANGE z 0 -1 WITHSCORES",
		"ZADD z NX XX 1 a", "ZADD z GT LT 1 a", "ZADD z GT NX 1 a", "ZADD z LT NX 1 a", "ZADD z INCR 1 a 2 b",
		"ZADD z", "ZADD z 1", "ZADD z 1 a 2", "ZADD z NX", "ZADD z abc a", "ZADD z nan a", `ZADD z " 1" a`,
		`ZADD z "1 " a`, "ZADD z 1 a NX", "ZADD z NX XX abc a", "ZADD z 1e400 a", "ZADD z 0x10 hex", "ZSCORE z hex",
		"ZADD new XX 1 a", "EXISTS new", "ZADD z inf i -inf j -0 negz 1e-300 tiny 5e-324 denorm", "ZRANGE z 0 -1 WITHSCORES",
		"ZSCORE z negz", "SET s v", "ZADD s 1 a", "ZADD s XX 1 a", "ZADD s abc a", "TYPE z",
	)},
	{name: "zadd-incr-zincrby", steps: steps(
		"ZADD z INCR 1 a", "ZADD z INCR 1.5 a", "ZADD z NX INCR 1 a", "ZADD z XX INCR 1 b", "ZADD z GT INCR -1 a",
		"ZADD z LT INCR -1 a", "ZADD z LT INCR 0 a", "ZADD z INCR 0 a", "ZADD z GT INCR 1 new",
		"ZADD z INCR inf a", "ZADD z INCR -inf a", "ZSCORE z a", "ZINCRBY z 1 b", "ZINCRBY z -2.5 b",
		"ZINCRBY z nx b", "ZINCRBY z abc b", "ZINCRBY z nan b", "ZINCRBY newkey 5 m", "ZRANGE newkey 0 -1 WITHSCORES",
		"ZADD z INCR -0 negz2", "ZINCRBY z 0.1 c", "ZINCRBY z 0.2 c", "ZSCORE z c", "SET s v", "ZINCRBY s 1 a",
	)},
	{name: "reads", steps: steps(
		"ZADD z 1 a 2 b 3 c 3 d 0.5 e", "ZCARD z", "ZCARD nokey", "ZSCORE z a", "ZSCORE z nosuch", "ZSCORE nokey a",
		"ZMSCORE z a nosuch e", "ZMSCORE nokey a b", "ZMSCORE z", "ZRANK z a", "ZRANK z d", "ZRANK z nosuch",
		"ZRANK nokey a", "ZREVRANK z a", "ZREVRANK z e", "ZCOUNT z -inf +inf", "ZCOUNT z (1 3", "ZCOUNT z 1 (3",
		"ZCOUNT z (3 (3", "ZCOUNT z 3 3", "ZCOUNT z 4 1", "ZCOUNT z x 3", "ZCOUNT z 1 (x", `ZCOUNT z "" ""`,
		`ZCOUNT z " 1" 2`, "ZCOUNT z 1e400 inf", "ZCOUNT nokey 1 2", "ZLEXCOUNT z - +", "ZLEXCOUNT z [a (c",
		"ZLEXCOUNT z a c", `ZLEXCOUNT z "" +`, "ZLEXCOUNT z - -", "ZLEXCOUNT z + -", "ZREM z a nosuch e",
		"ZREM z nosuch", "ZREM nokey a", "ZREM z b c d", "EXISTS z", "SET s v", "ZCARD s", "ZSCORE s a",
		"ZMSCORE s a", "ZRANK s a", "ZCOUNT s 1 2", "ZCOUNT s x 2", "ZLEXCOUNT s - +", "ZREM s a",
	)},
	{name: "zrange-forms", steps: steps(
		"ZADD z 1 a 2 b 3 c 4 d 5 e 6 f", "ZADD l 0 a 0 b 0 c 0 d 0 e 0 f 0 g",
		"ZRANGE z 0 -1", "ZRANGE z 0 -1 WITHSCORES", "ZRANGE z -3 -1", "ZRANGE z -100 100", "ZRANGE z 5 2",
		"ZRANGE z 10 20", "ZRANGE z 0 -1 REV", "ZRANGE z 0 1 rev withscores", "ZRANGE z 1 4 BYSCORE",
		"ZRANGE z (1 4 BYSCORE WITHSCORES", "ZRANGE z 4 1 BYSCORE REV", "ZRANGE z 4 1 BYSCORE REV LIMIT 1 2",
		"ZRANGE z 1 4 BYSCORE LIMIT 1 -1", "ZRANGE z 1 4 BYSCORE LIMIT -1 2", "ZRANGE z 1 4 BYSCORE LIMIT 0 0",
		"ZRANGE z 1 4 BYSCORE LIMIT 10 1", "ZRANGE z 0 -1 LIMIT 0 1", "ZRANGE z 0 -1 LIMIT 0 -1",
		"ZRANGE l - + BYLEX", "ZRANGE l [b (e BYLEX", "ZRANGE l (e [b BYLEX REV", "ZRANGE l + - BYLEX REV LIMIT 1 3",
		"ZRANGE l - + BYLEX WITHSCORES", "ZRANGE l - + BYLEX LIMIT 1", "ZRANGE l - + BYLEX LIMIT x 1",
		"ZRANGE z 0 -1 foo", "ZRANGE z 0 -1 REV REV", "ZRANGE z 0 -1 BYSCORE BYLEX", "ZRANGE z a b",
		"ZRANGE z 0 9223372036854775808", "ZRANGE z x 1 BYSCORE", "ZRANGE l a b BYLEX", "ZRANGE nokey 0 -1",
		"ZREVRANGE z 0 2", "ZREVRANGE z 0 2 WITHSCORES", "ZREVRANGE z 0 2 REV", "ZREVRANGE z 0 2 LIMIT 0 1",
		"ZRANGEBYSCORE z -inf +inf", "ZRANGEBYSCORE z (2 (5", "ZRANGEBYSCORE z 2 5 LIMIT 1 2 WITHSCORES",
		"ZRANGEBYSCORE z 2 5 REV", "ZRANGEBYSCORE z 5 2", `ZRANGEBYSCORE z "(" "(5"`, "ZRANGEBYSCORE z 0x2 5",
		`ZRANGEBYSCORE z "2 " 5`, "ZRANGEBYSCORE z nan 5", "ZRANGEBYSCORE z -infinity infinity",
		`ZRANGEBYSCORE z "2\x00zz" 5`, "ZREVRANGEBYSCORE z +inf -inf", "ZREVRANGEBYSCORE z 5 2 WITHSCORES LIMIT 1 2",
		"ZREVRANGEBYSCORE z (5 (2", "ZREVRANGEBYSCORE z 2 5", "ZRANGEBYLEX l - +", "ZRANGEBYLEX l (c [e",
		"ZRANGEBYLEX l [c [c", "ZRANGEBYLEX l (c [c", "ZRANGEBYLEX l - + LIMIT 2 2", "ZRANGEBYLEX l - + WITHSCORES",
		`ZRANGEBYLEX l "" -`, `ZRANGEBYLEX l "+\x00" -`, "ZREVRANGEBYLEX l + -", "ZREVRANGEBYLEX l [e (b LIMIT 1 1",
		"ZREVRANGEBYLEX l - +", "SET s v", "ZRANGE s 0 -1", "ZRANGE s 0 -1 foo", "ZRANGEBYLEX s - +",
	)},
	{name: "zrangestore", steps: steps(
		"ZADD z 1 a 2 b 3 c 4 d 5 e 6 f", "ZADD l 0 a 0 b 0 c 0 d",
		"ZRANGESTORE d z 0 -1", "ZRANGE d 0 -1 WITHSCORES", "ZRANGESTORE d z 1 2 REV", "ZRANGE d 0 -1 WITHSCORES",
		"ZRANGESTORE d z 2 4 BYSCORE LIMIT 1 1", "ZRANGE d 0 -1 WITHSCORES", "ZRANGESTORE d z 5 2 BYSCORE REV",
		"ZRANGE d 0 -1 WITHSCORES", "ZRANGESTORE d l (a [d BYLEX", "ZRANGE d 0 -1 WITHSCORES",
		"ZRANGESTORE d z 0 -1 WITHSCORES", "ZRANGESTORE d z 0 -1 LIMIT 0 1", "ZRANGESTORE d nokey 0 -1", "EXISTS d",
		"ZRANGESTORE d z 0 0", "ZRANGESTORE d z 10 20", "EXISTS d", "SET s v", "ZRANGESTORE d s 0 -1",
		"SET str x", "ZRANGESTORE str z 0 0", "TYPE str", "ZADD t 1 x", "EXPIRE t 100", "ZRANGESTORE t z 0 0",
		"TTL t", "ZRANGESTORE z z 1 1", "ZRANGE z 0 -1 WITHSCORES",
	)},
	{name: "zremrange", steps: steps(
		"ZADD z 1 a 2 b 3 c 4 d 5 e 6 f", "ZREMRANGEBYRANK z 0 0", "ZREMRANGEBYRANK z -2 -1", "ZREMRANGEBYRANK z 5 10",
		"ZREMRANGEBYRANK z 2 1", "ZREMRANGEBYRANK z x 1", "ZREMRANGEBYRANK nokey 0 1", "ZRANGE z 0 -1",
		"ZREMRANGEBYSCORE z (2 3", "ZREMRANGEBYSCORE z x 3", "ZREMRANGEBYSCORE z 100 200", "ZRANGE z 0 -1 WITHSCORES",
		"ZADD l 0 a 0 b 0 c 0 d", "ZREMRANGEBYLEX l [b (d", "ZREMRANGEBYLEX l x y", "ZREMRANGEBYLEX l + -",
		"ZREMRANGEBYLEX l - +", "EXISTS l", "ZREMRANGEBYRANK z 0 -1", "EXISTS z", "SET s v", "ZREMRANGEBYRANK s 0 1",
		"ZREMRANGEBYSCORE s 0 1", "ZREMRANGEBYLEX s - +",
	)},
	{name: "pops", steps: steps(
		"ZADD z 1 a 2 b 3 c 4 d 5 e 6 f", "ZPOPMIN z", "ZPOPMAX z", "ZPOPMIN z 2", "ZPOPMAX z 0", "ZPOPMIN z -1",
		"ZPOPMIN z x", "ZPOPMIN z 1 2", "ZPOPMIN nokey", "ZPOPMIN nokey 3", "ZPOPMAX z 100", "EXISTS z", "SET s v",
		"ZPOPMIN s", "ZPOPMIN s 0", "ZADD z 1 a 2 b 3 c 4 d 5 e 6 f", "ZADD y 10 x", "ZMPOP 1 z MIN",
		"ZMPOP 2 nokey z MAX COUNT 2", "ZMPOP 2 nokey y MIN COUNT 10", "EXISTS y", "ZMPOP 1 nokey MIN",
		"ZMPOP 2 s z MIN", "ZMPOP 2 z s MIN", "ZMPOP 0 z MIN", "ZMPOP x z MIN", "ZMPOP 1 z foo", "ZMPOP 2 z MIN",
		"ZMPOP 1 z MIN COUNT 0", "ZMPOP 1 z MIN COUNT x", "ZMPOP 1 z MIN COUNT 1 COUNT 1", "ZMPOP 1 z MIN COUNT",
		"ZMPOP 9223372036854775807 z MIN", "ZMPOP 1 z max count 1", "ZADD z 1 a 2 b 3 c 4 d", "BZPOPMIN z 0",
		"BZPOPMAX nokey z 0",
		"BZPOPMIN s 0", "BZPOPMIN z x", "BZPOPMIN z -1", "BZMPOP 0 2 nokey z MAX COUNT 5",
		"BZMPOP x 1 z MIN", "BZMPOP -1 1 z MIN", "BZMPOP 1 0 z MIN", "BZMPOP x 1 z foo", "BZMPOP 0 1 s MIN",
		"BZPOPMIN nokey 0.01", "BZMPOP 0.01 1 nokey MIN",
		"MULTI", "BZPOPMIN nokey 0", "BZMPOP 0 1 nokey MIN", "ZADD z 1 a", "BZPOPMAX z 0", "EXEC",
	)},
	{name: "algebra", steps: steps(
		"ZADD a 1 x 2 y 3 z", "ZADD b 10 y 20 z 30 w", "ZADD c 0.5 z", "ZUNION 2 a b", "ZUNION 2 a b WITHSCORES",
		"ZUNION 2 a b WEIGHTS 2 3 WITHSCORES", "ZUNION 2 a b WEIGHTS 2 3 AGGREGATE MIN WITHSCORES",
		"ZUNION 2 a b AGGREGATE MAX WITHSCORES", "ZUNION 3 a b nokey WITHSCORES", "ZINTER 2 a b WITHSCORES",
		"ZINTER 3 a b c WITHSCORES", "ZINTER 3 a b c AGGREGATE MIN WITHSCORES", "ZINTER 2 a nokey WITHSCORES",
		"ZINTER 2 a a WITHSCORES", "ZINTER 2 a b WEIGHTS 0 inf WITHSCORES", "ZUNION 2 a b WEIGHTS 0 inf WITHSCORES",
		"ZUNION 2 a b WEIGHTS inf -inf WITHSCORES", "ZINTER 2 a b WEIGHTS inf -inf WITHSCORES",
		"ZINTER 2 a b WEIGHTS inf -inf AGGREGATE MAX WITHSCORES", "ZUNION 2 a b WEIGHTS -1 -1 WITHSCORES",
		"ZDIFF 2 a b", "ZDIFF 2 a b WITHSCORES", "ZDIFF 3 a b c WITHSCORES", "ZDIFF 2 nokey a", "ZDIFF 2 a a",
		"ZDIFF 1 a WEIGHTS 1", "ZUNIONSTORE d 2 a b", "ZRANGE d 0 -1 WITHSCORES", "ZINTERSTORE d 2 a b WEIGHTS 1 2",
		"ZRANGE d 0 -1 WITHSCORES", "ZDIFFSTORE d 2 a b", "ZRANGE d 0 -1 WITHSCORES", "ZINTERSTORE d 2 a nokey",
		"EXISTS d", "ZUNIONSTORE d 2 a b WITHSCORES", "ZUNIONSTORE d 0 a", "ZUNION 0 a", "ZUNION -1 a", "ZUNION x a",
		"ZUNION 3 a b", "ZUNION 1 a WEIGHTS", "ZUNION 1 a WEIGHTS x", "ZUNION 2 a b WEIGHTS 1", "ZUNION 1 a AGGREGATE",
		"ZUNION 1 a AGGREGATE foo", "ZUNION 1 a AGGREGATE MIN AGGREGATE MAX WITHSCORES WITHSCORES", "ZUNION 1 a foo",
		"SET s v", "ZUNION 2 a s", "ZUNION 2 s a foo", "ZINTERSTORE d 2 a s", "ZINTERCARD 2 a b",
		"ZINTERCARD 2 a b LIMIT 1", "ZINTERCARD 2 a b LIMIT 0", "ZINTERCARD 2 a b LIMIT -1", "ZINTERCARD 2 a b LIMIT x",
		"ZINTERCARD 1 a WITHSCORES", "ZINTERCARD 0 a", "ZINTERCARD 2 a", "ZINTERCARD 2 a nokey", "ZINTERCARD 2 a s",
		"ZADD t1 0.1 m", "ZADD t2 0.2 m", "ZADD t3 0.3 m", "ZUNION 3 t1 t2 t3 WITHSCORES", "ZUNION 3 t3 t2 t1 WITHSCORES",
		"ZINTER 3 t3 t1 t2 WITHSCORES", "ZUNIONSTORE a 2 a b", "ZRANGE a 0 -1 WITHSCORES",
	)},
	{name: "random-and-scan", steps: steps(
		"ZADD z 1 a 2 b 3 c", "ZRANDMEMBER z", "ZRANDMEMBER z 2", "ZRANDMEMBER z 2 WITHSCORES", "ZRANDMEMBER z -5",
		"ZRANDMEMBER z -5 WITHSCORES", "ZRANDMEMBER z 10 WITHSCORES", "ZRANDMEMBER z 0", "ZRANDMEMBER nokey",
		"ZRANDMEMBER nokey 5", "ZRANDMEMBER z x", "ZRANDMEMBER z -9223372036854775808",
		"ZRANDMEMBER z 4611686018427387904 WITHSCORES", "ZRANDMEMBER z 1 WITHSCORE", "ZRANDMEMBER z 1 WITHSCORES x",
		"SET s v", "ZRANDMEMBER s", "ZRANDMEMBER s 1",
		"ZADD y 0.1 a 1e20 b 1e-20 c 3 d -0 e inf f 123456789012345678 h -inf i 4611686018427387904 j",
		"ZSCAN y 0 COUNT 100", "ZSCAN y 0 MATCH [a-c] COUNT 100", "ZSCAN y 0 COUNT 0", "ZSCAN y 0 COUNT x",
		"ZSCAN y 0 foo bar", "ZSCAN y 0 COUNT", "ZSCAN y x", "ZSCAN y 0 TYPE zset", "ZSCAN nokey 0",
		"ZSCAN nokey 0 COUNT 0", "ZSCAN s 0", "ZSCAN s x",
	)},
	{name: "dirty-and-keyspace-stats", steps: steps(
		"ZADD z 1 a 2 b 3 c", "ZADD z CH 1 a 5 b 6 d", "ZADD z NX 1 a", "ZINCRBY z 1 a", "ZREM z a b nosuch",
		"ZPOPMIN z 5", "ZADD z 1 a 2 b 3 c 4 d 5 e", "ZMPOP 1 z MAX COUNT 2", "ZREMRANGEBYRANK z 0 0",
		"ZREMRANGEBYSCORE z -inf +inf", "ZADD z 1 a 2 b 3 c 4 d 5 e", "ZRANGESTORE d z 0 2", "ZRANGESTORE d nokey 0 2",
		"ZRANGESTORE d nokey 0 2", "ZUNIONSTORE d 1 z", "ZINTERSTORE d 2 z nokey", "ZINTERSTORE d 2 z nokey",
		"ZADD l 0 a 0 b 0 c", "ZREMRANGEBYLEX l - +", "ZADD z INCR 1 a", "ZADD z XX 1 nosuch", "INFO persistence",
		"ZRANGE z 0 -1", "ZCARD z", "ZSCORE z a", "ZSCORE nokey a", "ZRANGESTORE d z 0 -1", "ZUNION 2 z d",
		"ZUNION 2 z nokey", "ZRANDMEMBER z", "ZRANDMEMBER nokey", "ZSCAN z 0", "ZSCAN nokey 0", "ZMSCORE z a",
		"ZMSCORE nokey a", "ZRANK nokey a", "ZINTER 2 nokey z", "ZINTERCARD 2 z nokey", "ZCOUNT nokey 0 1",
		"ZLEXCOUNT nokey - +", "BZPOPMIN z 0", "BZPOPMIN nokey2 0.01", "ZPOPMIN nokey", "ZREM nokey a",
		"INFO persistence", "INFO stats",
	)},
	{name: "command-getkeys", protos: []int{2}, steps: steps(
		"COMMAND GETKEYS ZUNIONSTORE d 2 a b WEIGHTS 1 2", "COMMAND GETKEYS ZUNIONSTORE d 0 a",
		"COMMAND GETKEYS ZUNIONSTORE d x a", "COMMAND GETKEYS ZUNIONSTORE d 5 a", `COMMAND GETKEYS ZUNIONSTORE d " 2" a b`,
		"COMMAND GETKEYS ZUNIONSTORE d 2abc a b", "COMMAND GETKEYS ZINTER 2 a b WITHSCORES", "COMMAND GETKEYS ZDIFF 1 a",
		"COMMAND GETKEYS ZINTERCARD 2 a b LIMIT 1", "COMMAND GETKEYS ZINTERCARD 1x a", "COMMAND GETKEYS ZMPOP 2 a b MIN",
		"COMMAND GETKEYS ZMPOP 3 a b MIN", "COMMAND GETKEYS ZMPOP 0 a MIN", "COMMAND GETKEYS BZMPOP 0 2 a b MIN",
		"COMMAND GETKEYS BZMPOP 0 x a MIN", "COMMAND GETKEYS BZPOPMIN a b 0", "COMMAND GETKEYS ZRANGESTORE d s 0 1",
		"COMMAND GETKEYSANDFLAGS ZUNIONSTORE d 2 a b", "COMMAND GETKEYSANDFLAGS ZRANGESTORE d s 0 1",
		"COMMAND GETKEYSANDFLAGS BZMPOP 0 2 a b MIN",
		"COMMAND INFO zadd zincrby zrem zcard zcount zlexcount zscore zmscore zrange zrangestore zrevrange",
		"COMMAND INFO zrangebyscore zrevrangebyscore zrangebylex zrevrangebylex zremrangebyrank zremrangebyscore",
		"COMMAND INFO zremrangebylex zpopmin zpopmax zmpop zrandmember zunion zinter zdiff zunionstore zinterstore",
		"COMMAND INFO zdiffstore zintercard zscan bzpopmin bzpopmax bzmpop",
		"COMMAND DOCS zadd zrangestore bzmpop zunionstore zscan",
	)},
	{name: "plain-sets-as-inputs", steps: steps(
		"SADD s1 x y q", "SADD s2 1 2 3", "ZADD z 1 x 5 y 7 w", "ZUNION 2 z s1 WITHSCORES", "ZUNION 2 s1 s2 WITHSCORES",
		"ZINTER 2 z s1 WITHSCORES", "ZINTER 2 s1 z WITHSCORES AGGREGATE MAX", "ZINTER 2 s1 z WEIGHTS 2 3 WITHSCORES",
		"ZDIFF 2 s1 z WITHSCORES", "ZDIFF 2 z s1 WITHSCORES", "ZUNIONSTORE d 2 s1 s2", "ZRANGE d 0 -1 WITHSCORES",
		"OBJECT ENCODING d", "ZINTERSTORE d 2 s2 s2", "ZRANGE d 0 -1 WITHSCORES", "ZINTERCARD 2 s1 z",
		"ZINTERCARD 2 s1 s1", "ZDIFFSTORE d 1 s1", "ZRANGE d 0 -1 WITHSCORES", "ZRANGE s1 0 -1", "ZCARD s1",
		"ZUNION 1 s2 WEIGHTS inf WITHSCORES", "ZINTER 2 s1 s2",
	)},
	{name: "keyspace-interplay", steps: steps(
		"ZADD z 1 a 2 b", "TYPE z", "EXPIRE z 100", "ZADD z 3 c", "TTL z", "COPY z z2", "ZRANGE z2 0 -1 WITHSCORES",
		"ZADD z2 9 a", "ZSCORE z a", "RENAME z2 z3", "ZCARD z3", "DEBUG DIGEST-VALUE z", "DEBUG DIGEST-VALUE z3",
		"OBJECT ENCODING z", "ZPOPMIN z 3", "EXISTS z", "ZADD z 1 a", "SELECT 1", "ZCARD z", "MOVE z 1", "SELECT 0",
		"MOVE z 1", "SELECT 1", "ZCARD z", "INFO keyspace", "FLUSHALL", "ZADD k 1 a", "GET k", "INCR k", "APPEND k x",
		"INFO stats",
	)},
}

func TestDiffZset(t *testing.T) {
	runSequences(t, zsetCore)
	var skiplist []sequence
	for _, sq := range zsetCore {
		sq.name += "/skiplist"
		sq.args = []string{"--zset-max-listpack-entries", "0"}
		skiplist = append(skiplist, sq)
	}
	runSequences(t, skiplist)
}

// TestDiffZsetEncodings checks where sets change encoding, which
// operations convert and which never convert back.
func TestDiffZsetEncodings(t *testing.T) {
	long := strings.Repeat("x", 65)
	runSequences(t, []sequence{
		{name: "thresholds", steps: steps(
			"ZADD a 1 m", "OBJECT ENCODING a", cmd("ZADD", "b", "1", long), "OBJECT ENCODING b",
			cmd("ZADD", "c", "1", strings.Repeat("y", 64)), "OBJECT ENCODING c", cmd("ZADD", "d", "1", "x", "2", long),
			"OBJECT ENCODING d", cmd("ZADD", "e", "NX", "1", long), "OBJECT ENCODING e", cmd("ZADD", "a", "2", long),
			"OBJECT ENCODING a", cmd("ZREM", "a", long), "OBJECT ENCODING a",
			"CONFIG SET zset-max-listpack-entries 3", "ZADD g 1 a 2 b 3 c", "OBJECT ENCODING g", "ZADD g 4 a",
			"ZADD g XX 4 d", "OBJECT ENCODING g", "ZADD g 4 d", "OBJECT ENCODING g", "ZADD h 1 a 2 b 3 c 4 d",
			"ZRANGESTORE r h 0 2", "OBJECT ENCODING r", "ZRANGESTORE r h 0 3", "OBJECT ENCODING r",
			"ZRANGESTORE r h -inf +inf BYSCORE LIMIT 0 2", "OBJECT ENCODING r", "ZPOPMIN g 2", "ZUNIONSTORE u 1 g",
			"OBJECT ENCODING u", "ZINTERSTORE i 2 h h", "OBJECT ENCODING i", "ZDIFFSTORE df 1 h", "OBJECT ENCODING df",
			"ZREMRANGEBYRANK h 0 2", "OBJECT ENCODING h", "COPY h h2", "OBJECT ENCODING h2",
			"CONFIG SET zset-max-listpack-entries 0", "ZADD k 1 a", "OBJECT ENCODING k", "ZINCRBY k2 1 a",
			"OBJECT ENCODING k2", "ZRANGESTORE r2 h 0 0", "OBJECT ENCODING r2",
			"CONFIG SET zset-max-listpack-entries 128", "CONFIG SET zset-max-listpack-value 0", "ZADD k3 1 a",
			"OBJECT ENCODING k3", `ZADD k4 1 ""`, "OBJECT ENCODING k4", "CONFIG SET zset-max-listpack-value 64",
			"ZADD big 1 a", cmd("ZADD", "big", "2", long), "ZREM big "+long, "ZUNIONSTORE small 1 big",
			"OBJECT ENCODING small", "ZADD n -0 z", "ZSCORE n z", "ZUNIONSTORE n2 1 n WEIGHTS -1", "ZSCORE n2 z",
		)},
		{name: "growth-past-128", steps: growZset()},
		// ZRANGESTORE fills a listpack until one of its limits is passed:
		// a -0 score stored before then is 0, one stored after stays -0.
		{name: "zrangestore-negative-zero", steps: steps(
			"CONFIG SET zset-max-listpack-entries 6", "ZADD z -2 e 1 "+long+" 2 a 3 b 4 c 5 d 6 f 7 g", "ZADD z -0 e",
			"ZSCORE z e", "ZRANGESTORE d z 0 -1", "ZSCORE d e", "ZRANGESTORE d z 0 3", "ZSCORE d e",
			"ZRANGESTORE d z -inf +inf BYSCORE", "ZSCORE d e", "ZRANGESTORE d z +inf -inf BYSCORE REV", "ZSCORE d e",
			"ZRANGESTORE d z 0 0 BYSCORE", "ZSCORE d e", "OBJECT ENCODING d", "ZRANGESTORE d z 0 -1 REV", "ZSCORE d e",
			"ZRANGESTORE d z [a [z BYLEX", "ZSCORE d e", "ZRANGESTORE d z 0 4 REV", "ZSCORE d e",
			"ZREM z "+long, "ZRANGESTORE d z 0 3 REV", "ZSCORE d e", "ZRANGESTORE d z 0 5", "ZSCAN d 0",
		)},
	})
}

// growZset adds members one by one past the default 128, checking the
// encoding and ranks on the way.
func growZset() []step {
	var out []step
	for i := 0; i < 140; i++ {
		out = append(out, cmd("ZADD", "z", strconv.Itoa(i%7), "m"+strconv.Itoa(i)))
		if i%10 == 0 || (i >= 126 && i <= 130) {
			out = append(out, cmd("OBJECT", "ENCODING", "z"), cmd("ZRANK", "z", "m"+strconv.Itoa(i/2)),
				cmd("ZRANGE", "z", "10", "15", "WITHSCORES"))
		}
	}
	return append(out, cmd("ZRANGE", "z", "0", "-1", "WITHSCORES"), cmd("ZSCAN", "z", "0", "COUNT", "1000"))
}

func TestDiffZsetBlocking(t *testing.T) {
	runSequences(t, []sequence{
		{name: "fifo", steps: steps(
			zblocked(2, "BZPOPMIN", "nokey", "z", "0"), zsettle, zblocked(3, "BZPOPMAX", "z", "0"), zsettle,
			zblocked(4, "BZMPOP", "0", "2", "other", "z", "MIN", "COUNT", "5"), zsettle,
			"ZADD z 1 a 2 b 3 c 4 d", "@2 !read", "@3 !read", "@4 !read", "EXISTS z",
			zblocked(2, "BZPOPMIN", "z", "0"), zsettle, zblocked(3, "BZPOPMIN", "z", "0"), zsettle,
			"ZADD z 5 e", "@2 !read", "ZADD z 6 f", "@3 !read", "EXISTS z",
		)},
		{name: "multi-and-other-types", steps: steps(
			zblocked(2, "BZPOPMIN", "k1", "k2", "0"), zsettle, zblocked(3, "BZPOPMAX", "k2", "0"), zsettle,
			"MULTI", "ZADD k2 1 a 2 b", "ZADD k1 3 c", "EXEC", "@2 !read", "@3 !read", "ZRANGE k1 0 -1", "EXISTS k2",
			zblocked(2, "BZPOPMIN", "w", "0"), zsettle, "SET w str", "DEL w", "ZADD w 1 ok", "@2 !read",
			zblocked(2, "BZMPOP", "0", "1", "t", "MAX"), zsettle, "MULTI", "ZADD t 1 a", "ZPOPMIN t", "EXEC",
			"ZADD t 7 z", "@2 !read",
			zblocked(2, "BZPOPMIN", "u", "0"), zsettle, "ZADD u 1 a 2 b", "ZUNIONSTORE u2 1 u",
			"@2 !read", "ZRANGE u 0 -1",
			zblocked(2, "BZPOPMIN", "v", "0"), zsettle, "ZUNIONSTORE v 1 u", "@2 !read", "ZRANGE v 0 -1 WITHSCORES",
		)},
		{name: "other-writers-wake-waiters", steps: steps(
			zblocked(2, "BZPOPMIN", "k", "k", "0"), zsettle, "ZADD k 1 a", "@2 !read",
			zblocked(2, "BZPOPMIN", "r", "0"), zsettle, "ZADD src 1 a", "RENAME src r", "@2 !read",
			zblocked(2, "BZPOPMIN", "c", "0"), zsettle, "ZADD src 1 a", "COPY src c", "@2 !read",
			zblocked(2, "BZPOPMAX", "m", "0"), zsettle, "SELECT 1", "ZADD m 1 a", "MOVE m 0", "SELECT 0", "@2 !read",
			zblocked(2, "BZMPOP", "0", "1", "st", "MIN"), zsettle, "ZADD a 1 x 2 y", "ZRANGESTORE st a 0 0", "@2 !read",
			zblocked(2, "BZPOPMIN", "i", "0"), zsettle, "ZINCRBY i 3 q", "@2 !read",
		)},
		{name: "timeouts", steps: steps(
			"BZPOPMIN nokey 0.05", "BZPOPMAX nokey 0.05", "BZMPOP 0.05 1 nokey MIN",
			zblocked(2, "BZPOPMIN", "k", "0.1"), "!sleep 250", "@2 !read", "ZADD k 1 a", "ZCARD k",
		)},
	})
}

func TestDiffZsetWatch(t *testing.T) {
	var seqs []sequence
	for i, c := range []string{
		"ZADD z 1 a", "ZADD z 5 a", "ZADD z NX 1 q", "ZINCRBY z 0 a", "ZREM z nosuch", "ZREM z a",
		"ZREMRANGEBYRANK z 5 6", "ZREMRANGEBYSCORE z 0 1", "ZPOPMIN z 0", "ZPOPMAX z", "ZMPOP 1 z MIN",
		"ZRANGESTORE z nos 0 -1", "ZRANGESTORE nos2 z 0 -1", "ZUNIONSTORE z 1 z", "ZINTERSTORE other 1 z",
		"ZDIFFSTORE z 2 z z", "BZPOPMIN z 0",
	} {
		seqs = append(seqs, sequence{name: fmt.Sprint("watch-", i), protos: []int{2}, steps: steps(
			"ZADD z 1 a 2 b", "WATCH z nos", c, "MULTI", "PING", "EXEC",
		)})
	}
	runSequences(t, seqs)
}

// TestDiffZsetRandom drives both servers with seeded random sorted-set
// commands on a few keys, with a small listpack limit so that sets keep
// changing encoding. PETREL_DIFF_SEED=n replays one seed.
func TestDiffZsetRandom(t *testing.T) {
	type run struct {
		seed  int64
		proto int
		limit string // zset-max-listpack-entries
	}
	runs := []run{{21, 2, "6"}, {22, 3, "0"}, {23, 2, "128"}}
	if v := os.Getenv("PETREL_DIFF_SEED"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			t.Fatalf("PETREL_DIFF_SEED: %v", err)
		}
		runs = []run{{n, 2, "6"}, {n, 3, "0"}, {n, 3, "128"}}
	} else if !testing.Short() {
		fresh := time.Now().UnixNano() % 1_000_000
		runs = append(runs, run{fresh, 3, "6"})
	}
	budget := 2000
	if testing.Short() {
		budget = 400
	}
	if v := os.Getenv("PETREL_DIFF_COMMANDS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			t.Fatalf("PETREL_DIFF_COMMANDS: %v", err)
		}
		budget = n
	}
	for _, r := range runs {
		seed, proto, limit := r.seed, r.proto, r.limit
		t.Run(fmt.Sprintf("seed=%d/resp%d/entries%s", seed, proto, limit), func(t *testing.T) {
			t.Parallel()
			s := newSession(t, startPair(t, "--zset-max-listpack-entries", limit), proto)
			var first string
			s.onMismatch = func(msg string) {
				if first == "" {
					first = msg
				}
			}
			// Lexicographic ranges over members of different scores are
			// walked deterministically only in a listpack: the run that
			// keeps sets small mixes them in.
			g := &zsetGen{rng: rand.New(rand.NewSource(seed)), mixedLex: limit == "128"}
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

// zsetGen produces sorted-set commands over a small key space, with few
// distinct members and scores so that ties, updates and ranges meet. Keys
// x0 and x1 only ever hold score 0, for the lexicographic commands; with
// mixedLex those also run on the other keys, whose members then stay short
// so that sets stay listpacks.
type zsetGen struct {
	rng      *rand.Rand
	mixedLex bool
}

func (g *zsetGen) pick(list ...string) string { return list[g.rng.Intn(len(list))] }

func (g *zsetGen) key() string { return "z" + strconv.Itoa(g.rng.Intn(4)) }

func (g *zsetGen) member() string {
	if g.rng.Intn(30) == 0 {
		if g.mixedLex {
			return g.pick("", "a\x00b", "\xff")
		}
		return g.pick("", strings.Repeat("L", 70), "a\x00b", "\xff")
	}
	return string(rune('a' + g.rng.Intn(12)))
}

func (g *zsetGen) score() string {
	switch g.rng.Intn(12) {
	case 0:
		return g.pick("inf", "-inf", "0.5", "-0", "1e300", "abc", "3.25")
	default:
		return strconv.Itoa(g.rng.Intn(8) - 2)
	}
}

func (g *zsetGen) bound(lex bool) string {
	if lex {
		return g.pick("-", "+", "[", "(") + g.member()
	}
	return g.pick("", "(") + g.pick("-inf", "+inf", "0", "1", "2", "3", "5", "-1", "0.5")
}

func (g *zsetGen) index() string { return strconv.Itoa(g.rng.Intn(12) - 6) }

// lexKey is a key for the lexicographic commands.
func (g *zsetGen) lexKey() string {
	if g.mixedLex && g.rng.Intn(2) == 0 {
		return g.key()
	}
	return "x" + strconv.Itoa(g.rng.Intn(2))
}

func (g *zsetGen) args() []string {
	k := g.key()
	switch g.rng.Intn(33) {
	case 30:
		a := []string{"ZADD", "x" + strconv.Itoa(g.rng.Intn(2))}
		for n := 1 + g.rng.Intn(4); n > 0; n-- {
			a = append(a, "0", g.member())
		}
		return a
	case 31:
		return []string{"ZREM", "x" + strconv.Itoa(g.rng.Intn(2)), g.member()}
	case 32:
		a := []string{"ZRANGE", g.lexKey(), g.bound(true), g.bound(true), "BYLEX"}
		if g.rng.Intn(2) == 0 {
			a = append(a, "REV")
		}
		if g.rng.Intn(2) == 0 {
			a = append(a, "LIMIT", strconv.Itoa(g.rng.Intn(4)-1), strconv.Itoa(g.rng.Intn(5)-1))
		}
		return a
	case 0, 1, 2, 3, 4:
		a := []string{"ZADD", k}
		if g.rng.Intn(3) == 0 {
			a = append(a, g.pick("NX", "XX", "GT", "LT", "CH", "XX GT", "CH LT", "INCR"))
			a = strings.Fields(strings.Join(a, " "))
		}
		for n := 1 + g.rng.Intn(4); n > 0; n-- {
			a = append(a, g.score(), g.member())
		}
		return a
	case 5:
		return []string{"ZINCRBY", k, g.score(), g.member()}
	case 6, 7:
		return []string{"ZREM", k, g.member(), g.member()}
	case 8:
		return []string{g.pick("ZCARD", "TYPE", "OBJECT ENCODING"), k}
	case 9:
		return []string{g.pick("ZSCORE", "ZRANK", "ZREVRANK"), k, g.member()}
	case 10:
		return []string{"ZMSCORE", k, g.member(), g.member()}
	case 11:
		return []string{"ZCOUNT", k, g.bound(false), g.bound(false)}
	case 12:
		return []string{"ZLEXCOUNT", g.lexKey(), g.bound(true), g.bound(true)}
	case 13, 14:
		a := []string{g.pick("ZRANGE", "ZREVRANGE"), k, g.index(), g.index()}
		if g.rng.Intn(2) == 0 {
			a = append(a, "WITHSCORES")
		}
		return a
	case 15:
		a := []string{"ZRANGE", k, g.bound(false), g.bound(false), "BYSCORE"}
		if g.rng.Intn(2) == 0 {
			a = append(a, "REV")
		}
		if g.rng.Intn(2) == 0 {
			a = append(a, "LIMIT", strconv.Itoa(g.rng.Intn(4)-1), strconv.Itoa(g.rng.Intn(5)-1))
		}
		return append(a, "WITHSCORES")
	case 16:
		return []string{g.pick("ZRANGEBYLEX", "ZREVRANGEBYLEX", "ZREMRANGEBYLEX"), g.lexKey(), g.bound(true), g.bound(true)}
	case 17:
		return []string{g.pick("ZRANGEBYSCORE", "ZREVRANGEBYSCORE", "ZREMRANGEBYSCORE"), k, g.bound(false), g.bound(false)}
	case 18:
		return []string{"ZREMRANGEBYRANK", k, g.index(), g.index()}
	case 19:
		a := []string{g.pick("ZPOPMIN", "ZPOPMAX"), k}
		if g.rng.Intn(2) == 0 {
			a = append(a, strconv.Itoa(g.rng.Intn(4)))
		}
		return a
	case 20:
		return []string{"ZMPOP", "2", k, g.key(), g.pick("MIN", "MAX"), "COUNT", strconv.Itoa(1 + g.rng.Intn(3))}
	case 21:
		return []string{g.pick("ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"), g.key(), "2", k, g.key()}
	case 22:
		a := []string{g.pick("ZUNION", "ZINTER", "ZDIFF"), "2", k, g.key()}
		if a[0] != "ZDIFF" && g.rng.Intn(2) == 0 {
			a = append(a, "WEIGHTS", g.pick("1", "2", "-1", "0.5"), g.pick("1", "3", "0"))
		}
		if a[0] != "ZDIFF" && g.rng.Intn(2) == 0 {
			a = append(a, "AGGREGATE", g.pick("SUM", "MIN", "MAX"))
		}
		return append(a, "WITHSCORES")
	case 23:
		return []string{"ZINTERCARD", "2", k, g.key(), "LIMIT", strconv.Itoa(g.rng.Intn(3))}
	case 24:
		a := []string{"ZRANGESTORE", g.key(), k, g.index(), g.index()}
		if g.rng.Intn(2) == 0 {
			a = append(a, "REV")
		}
		return a
	case 25:
		return []string{"ZRANDMEMBER", k, strconv.Itoa(g.rng.Intn(9) - 4), "WITHSCORES"}
	case 26:
		return []string{"ZSCAN", k, "0", "COUNT", "1000"}
	case 27:
		return []string{g.pick("DEL", "EXISTS"), k}
	case 28:
		return []string{"SET", k, "str"}
	default:
		return []string{"DEBUG", "DIGEST-VALUE", k}
	}
}
