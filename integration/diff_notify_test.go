package integration

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"petrel/integration/harness"
)

// The keyspace notification comparison: each sequence runs on a redis-server
// and on Petrel while a third connection is subscribed to every keyspace and
// keyevent channel, and the two event streams must be identical: the same
// events, classes, channels and keys, in the same order, raised by the same
// commands. After every command the worker publishes a step marker on a
// channel the pattern also matches, so each event is pinned to the command
// that raised it (a blocked client's pop belongs to the push that served
// it); a final marker tells the subscriber the sequence is over.

// notifyMarkerPrefix names the marker channels: database 99 does not
// exist, so no real event can be mistaken for one.
const notifyMarkerPrefix = "__keyevent@99__:__step__"

// notifyEndChannel is the channel of the final marker.
const notifyEndChannel = "__keyevent@99__:__notify_end__"

// notifySeq is a command sequence whose events are compared. A line
// starting with "&" is sent on a connection of its own, and the sequence
// goes on once that client is blocked (BLPOP and friends served later).
type notifySeq struct {
	name  string
	lines []string
}

var notifySeqs = []notifySeq{
	{"set-family", []string{
		"SET a 1", "SET a 2 NX", "SET a 3 XX", "SET b 3 XX", "SET a 4 EX 100", "SET a 5 KEEPTTL",
		"SET a 6 PX 100000 GET", "SET g 1 GET NX", "SET g 2 GET NX", "HSET h f v", "SET h 1 GET", "SET h 1",
		"SET a x EX 0", "SET a x EX abc", "SET a x BOGUS",
		"SETNX a 1", "SETNX n 1", "SETEX s 100 v", "PSETEX s2 100000 v", "SETEX s 0 v", "SETEX s abc v",
		"MSET m1 1 m2 2 m1 3", "MSETNX m1 1 m3 3", "MSETNX m3 1 m4 3", "MSET m1",
		"GETSET m1 x", "GETSET nogs x", "LPUSH l a", "GETSET l x",
		"GETDEL m1", "GETDEL m1", "GETDEL l",
	}},
	{"getex", []string{
		"SET k v", "GETEX k", "GETEX k EX 100", "GETEX k PX 100000", "GETEX k EXAT 99999999999",
		"GETEX k PXAT 99999999999999", "GETEX k PERSIST", "GETEX k PERSIST", "GETEX k PXAT 1", "GETEX k EX 10",
		"SET k v", "GETEX k EXAT 1", "SET k v", "GETEX k EX 0", "GETEX k EX 10 PERSIST", "GETEX nokey PERSIST",
	}},
	{"string-updates", []string{
		"APPEND ap x", "APPEND ap y", `APPEND ap ""`, "INCR i", "DECR i", "INCRBY i 5", "DECRBY i 2",
		"INCRBYFLOAT i 1.5", "INCRBY i 0", "INCRBYFLOAT nf 2", "SET s abc", "INCR s", "INCRBYFLOAT s 1", "DECRBY i abc",
		"SET max 9223372036854775807", "INCR max", `SETRANGE sr 0 ""`, "SETRANGE sr 2 ab", `SETRANGE sr 0 ""`,
		"SETRANGE sr 0 x", `SET e ""`, `SETRANGE e 0 ""`, "SETRANGE e -1 x", "GETRANGE sr 0 1", "LCS sr e",
		"STRLEN sr", "MGET sr e nokey", "LPUSH l a", "APPEND l x", "SETRANGE l 0 x", "INCR l",
	}},
	{"generic-keys", []string{
		"MSET a 1 b 2 c 3", "DEL a b z", "DEL a", "UNLINK c", "UNLINK c z", "SET a 1", "RENAME a b",
		"RENAME b b", "RENAME z y", "SET c 1", "RENAMENX b c", "RENAMENX b d", "RENAMENX d d",
		"COPY d e", "COPY d e", "COPY d e REPLACE", "COPY d e DB 1", "COPY d e DB 1 REPLACE", "COPY z e DB 1",
		"COPY d d", "MOVE d 2", "MOVE d 2", "SET d 1", "SELECT 2", "SET d 2", "SELECT 0", "MOVE d 2",
		"LPUSH l a", "HSET h f v", "RENAME l h", "SADD s m", "COPY s h REPLACE", "EXISTS h", "TOUCH h",
		"TYPE h", "TTL h", "RANDOMKEY", "KEYS *", "SCAN 0", "DBSIZE", "OBJECT ENCODING h",
		"SELECT 1", "SET x 1", "RENAME x y", "MOVE y 3", "SELECT 3", "COPY y z DB 0", "SELECT 0",
	}},
	{"expire-persist", []string{
		"SET e 1", "EXPIRE e 100", "EXPIRE e 100 NX", "PEXPIRE e 100000 XX", "EXPIRE e 200 GT",
		"EXPIRE e 50 GT", "EXPIRE e 10 LT", "EXPIRE e 20 LT", "EXPIREAT e 99999999999", "PEXPIREAT e 99999999999999",
		"PERSIST e", "PERSIST e", "PERSIST z", "EXPIRE e 10 XX", "EXPIRE z 10", "EXPIRE e abc", "EXPIRE e 10 BOGUS",
		"EXPIREAT e 1", "SET e 1", "EXPIRE e -1", "SET e 1", "EXPIRE e 0", "SET e 1", "PEXPIRE e 0",
		"SET e 1", "PEXPIREAT e 1", "TTL e", "PTTL e", "EXPIRETIME e",
	}},
	{"flush-swapdb", []string{
		"MSET a 1 b 2", "SELECT 1", "SET c 3", "SWAPDB 0 1", "SELECT 0", "DEL c", "FLUSHDB", "SET a 1",
		"FLUSHALL", "SET a 1", "FLUSHDB ASYNC", "SET a 1", "FLUSHALL SYNC", "DEL a",
	}},
	{"lists", []string{
		"LPUSH l a b c", "RPUSH l d", "LPUSHX nol a", "RPUSHX l e", "LPUSHX l z", "RPUSHX nol a",
		"LPOP l", "RPOP l 2", "LPOP l 0", "LPOP nol", "RPOP nol 2", "LSET l 0 X", "LSET l 9 X", "LSET nol 0 X",
		"LINSERT l BEFORE X Y", "LINSERT l AFTER nope Y", "LINSERT nol BEFORE a b", "LREM l 0 nope",
		"LREM l 1 Y", "LREM nol 1 a", "LTRIM l 0 -1", "LTRIM l 0 0", "LTRIM nol 0 1", "RPUSH l a b c",
		"LTRIM l 5 10", "RPUSH l a b c", "LREM l 0 a", "LREM l 0 b", "LREM l 0 c", "LREM l 0 X",
		"RPUSH l a b c", "LPOP l 3", "RPUSH l a", "RPOP l", "LRANGE l 0 -1", "LLEN l", "LINDEX l 0", "LPOS l a",
		"SET str x", "LPUSH str a", "LPOP str",
	}},
	{"list-moves", []string{
		"RPUSH l a b", "LMOVE l l2 LEFT RIGHT", "LMOVE l l2 RIGHT LEFT", "RPOPLPUSH l2 l2", "LMOVE l2 l2 LEFT RIGHT",
		"RPOPLPUSH l2 l3", "LMOVE nol l3 LEFT LEFT", "RPOPLPUSH nol l3", "SET s x", "RPOPLPUSH l2 s",
		"LMOVE l2 s LEFT LEFT", "RPUSH one x", "LMOVE one one LEFT LEFT", "LMOVE one two RIGHT RIGHT",
		"LMPOP 2 nol l3 LEFT COUNT 5", "LMPOP 2 nol l2 RIGHT", "RPUSH m a b c", "LMPOP 1 m LEFT COUNT 2",
		"LMPOP 1 m RIGHT COUNT 9", "LMPOP 1 nol LEFT",
		"RPUSH b1 a b c", "BLPOP b1 0", "BRPOP nob b1 0", "BLMPOP 0 1 b1 RIGHT COUNT 9", "RPUSH b2 x",
		"BLMOVE b2 b2 LEFT LEFT 0", "BRPOPLPUSH b2 b3 0", "BLMOVE b3 b4 RIGHT LEFT 0",
	}},
	{"blocked-lists", []string{
		"&BLPOP l 0", "LPUSH l a b", "RPUSH l c", "&BLPOP l2 0", "&BRPOP l2 0", "RPUSH l2 x", "RPUSH l2 y z",
		"&BLMOVE src dst LEFT RIGHT 0", "RPUSH src 1", "&BLMPOP 0 1 q LEFT COUNT 3", "RPUSH q 1 2",
		"&BLPOP e1 0", "MULTI", "RPUSH e1 a", "RPUSH e1 b", "EXEC",
		"&BRPOPLPUSH a1 a2 0", "&BLPOP a2 0", "RPUSH a1 v",
		"&BLPOP r1 0", "RPUSH r0 x", "RENAME r0 r1", "&BLPOP lm 0", "LPUSH tmp q", "LMOVE tmp lm LEFT LEFT",
		"&BLPOP mv 0", "SELECT 3", "RPUSH mv x", "MOVE mv 0", "SELECT 0",
		"&BLPOP cp 0", "RPUSH cpsrc x", "COPY cpsrc cp", "&BLPOP st 0", "RPUSH so 2 1", "SORT so STORE st",
	}},
	{"blocked-zsets", []string{
		"&BZPOPMIN z1 0", "ZADD z1 1 a 2 b", "&BZPOPMAX z2 0", "ZADD z2 1 a", "&BZMPOP 0 1 z3 MAX COUNT 5",
		"ZADD z3 1 a 2 b", "&BZPOPMIN z4 0", "ZADD src 1 a", "ZUNIONSTORE z4 1 src", "&BZMPOP 0 1 z5 MIN",
		"ZINCRBY z5 1 m",
	}},
	{"sets", []string{
		"SADD s a b", "SADD s a", "SREM s z", "SREM s a", "SREM s b", "SREM nos a", "SADD s a b c d", "SPOP s",
		"SPOP s 0", "SPOP s 2", "SPOP nos", "SPOP nos 3", "SPOP s 5", "SADD i 1 2 3", "SPOP i 3",
		"SADD big 1 2 3 4 5 6 7 8 9 10", "SPOP big 8", "SADD s a b", "SMOVE s t a", "SMOVE s t z",
		"SMOVE s t b", "SMOVE t t a", "SMOVE t t zz", "SMOVE nos t a", "SADD q a", "SADD q2 a", "SMOVE q q2 a",
		"SET str x", "SADD str a", "SADD u a", "SMOVE u str a", "SMOVE str u a", "SREM str a",
		"SISMEMBER u a", "SMEMBERS u", "SCARD u", "SRANDMEMBER u",
	}},
	{"set-stores", []string{
		"SADD u a b c", "SADD v b c d", "SINTERSTORE w u v", "SUNIONSTORE w u v", "SDIFFSTORE w u v",
		"SINTERSTORE w u nokey", "SINTERSTORE w u nokey", "SUNIONSTORE w2 nokey", "SDIFFSTORE w3 u u",
		"SADD w4 x", "SDIFFSTORE w4 u u", "SINTERSTORE u u", "ZADD z 1 a", "ZINTERSTORE z 1 z", "SET str x", "SUNIONSTORE str u", "SET str2 x",
		"SINTERSTORE w u str2", "SINTER u v", "SUNION u v", "SDIFF u v", "SINTERCARD 2 u v",
		"SDIFFSTORE nokey2 nokey u", "SUNIONSTORE w5 u v nokey",
	}},
	{"zsets", []string{
		"ZADD z 1 a 2 b", "ZADD z 1 a", "ZADD z 3 a", "ZADD z NX 5 a", "ZADD z XX 5 c", "ZADD z CH 6 a",
		"ZADD z INCR 1 a", "ZADD z INCR 0 a", "ZINCRBY z 0 a", "ZADD z NX INCR 1 a", "ZADD z GT 1 a", "ZADD z LT 9 a", "ZADD z GT CH 9 a",
		"ZADD n XX 1 a", "ZADD n INCR 1 a", "ZADD n INCR inf a", "ZADD n INCR -inf a", "ZADD n 1 a 2",
		"ZADD n nan a", "ZINCRBY z 1 b", "ZINCRBY z 1 new", "ZINCRBY z abc new", "ZREM z nope", "ZREM z new",
		"ZREM noz a", "ZSCORE z a", "ZRANGE z 0 -1", "ZCARD z", "SET str x", "ZADD str 1 a", "ZINCRBY str 1 a",
	}},
	{"zset-removals", []string{
		"ZADD z 1 a 2 b 3 c 4 d 5 e", "ZREMRANGEBYSCORE z 100 200", "ZREMRANGEBYSCORE z 0 1",
		"ZREMRANGEBYRANK z 5 10", "ZREMRANGEBYRANK z 0 0", "ZREMRANGEBYLEX z [x [z", "ZREMRANGEBYLEX z - (e",
		"ZREMRANGEBYLEX z - +", "ZREMRANGEBYSCORE noz 0 1", "ZADD z 1 a 2 b 3 c", "ZREM z a b c",
		"ZADD z 1 a 2 b 3 c", "ZPOPMIN z", "ZPOPMAX z 0", "ZPOPMAX z 5", "ZPOPMIN noz", "ZPOPMIN noz 2",
		"ZADD z 1 a 2 b 3 c", "ZMPOP 1 z MIN COUNT 2", "ZMPOP 2 noz z MAX", "ZMPOP 1 noz MIN",
		"ZADD y 2 b", "BZPOPMIN y 0", "ZADD y 2 b 3 c", "BZPOPMAX noz y 0", "BZMPOP 0 1 y MAX COUNT 3",
	}},
	{"zset-stores", []string{
		"ZADD z 1 a 2 b 3 c", "ZADD y 2 b 3 c 4 d", "ZUNIONSTORE u 2 z y", "ZINTERSTORE u 2 z y",
		"ZDIFFSTORE u 2 z y", "ZINTERSTORE u 2 z noz", "ZINTERSTORE u 2 z noz", "ZUNIONSTORE u2 1 noz",
		"ZDIFFSTORE u3 2 z z", "ZRANGESTORE r z 0 -1", "ZRANGESTORE r z 5 10", "ZRANGESTORE r2 z 5 10",
		"ZRANGESTORE r z (1 +inf BYSCORE", "ZRANGESTORE r z [a [b BYLEX", "ZRANGESTORE r z 0 0 REV",
		"SET str x", "ZUNIONSTORE str 1 z", "SET str2 x", "ZRANGESTORE str2 z 0 -1", "ZUNIONSTORE u 2 z str",
		"ZUNION 2 z y", "ZINTER 2 z y", "ZINTERCARD 2 z y",
	}},
	{"sort-store", []string{
		"RPUSH l 3 1 2", "SORT l STORE d", "SORT l STORE d", "SORT nol STORE d", "SORT nol STORE d",
		"SORT nol STORE d2", "SORT l LIMIT 5 5 STORE d3", "SORT l", "SORT_RO l", "SADD s 1", "SORT s STORE s",
		"ZADD z 1 a", "SORT z ALPHA STORE z", "SET w x", "SORT l STORE w", "SORT l BY nosort STORE w2",
		"MSET w_1 3 w_2 2 w_3 1", "SORT l BY w_* GET # STORE w3", "RPUSH bad x", "SORT bad STORE w4",
	}},
	{"hashes", []string{
		"HSET h a 1 b 2", "HSET h a 1", "HMSET h c 3", "HSETNX h a 1", "HSETNX h d 4", "HSETNX nh f v",
		"HDEL h z", "HDEL h a b", "HDEL nh2 a", "HINCRBY h x 0", "HINCRBY h c 1", "HINCRBYFLOAT h c 1.5", "HINCRBY h c x",
		"HINCRBY h c 1", "HSET h i 9223372036854775807", "HINCRBY h i 1", "HINCRBYFLOAT h c abc",
		"HINCRBYFLOAT h c inf", "HGET h c", "HMGET h c d", "HGETALL h", "HLEN h", "HEXISTS h c",
		"HSTRLEN h c", "HKEYS h", "HVALS h", "HRANDFIELD h", "HSCAN h 0", "HDEL h c d i", "HINCRBY h2 f 1",
		"HINCRBYFLOAT h3 f 1", "SET str 1", "HSET str a b", "HDEL h2 f z", "HSET big a 1 b 2 c 3",
		"HDEL big a b c zz", "HSET s x",
	}},
	{"transactions", []string{
		"MULTI", "SET a 1", "LPUSH l x", "SADD s m", "DEL a", "EXEC", "MULTI", "SET a 1", "DISCARD",
		"WATCH w", "SET w 1", "MULTI", "SET a 2", "EXEC", "MULTI", "INCR l", "SET b 1", "EXEC",
	}},
}

// notifyClassConfigs are the notify-keyspace-events values the sequences
// also run under, one class and one channel kind at a time, which pins
// each event's class and channel.
var notifyClassConfigs = []string{"Kg", "K$", "Kl", "Ks", "Kh", "Kz", "Eg", "E$", "El", "Es", "Eh", "Ez"}

// TestDiffNotifyKeyspaceEvents compares the events of every sequence under
// KEA, and the class of every event under one-class settings.
func TestDiffNotifyKeyspaceEvents(t *testing.T) {
	p := startPair(t)
	sides := [2]*harness.Server{p.redis, p.petrel}
	for _, srv := range sides {
		ctl := srv.Dial(t)
		if got := ctl.Do("CONFIG", "SET", "notify-keyspace-events", "KEA"); got != "+OK\r\n" {
			t.Fatalf("%s: CONFIG SET notify-keyspace-events: %q", srv.Name, got)
		}
		t.Cleanup(func() { ctl.Do("CONFIG", "SET", "notify-keyspace-events", "") })
	}
	for _, cfg := range append([]string{"KEA"}, notifyClassConfigs...) {
		for _, sq := range notifySeqs {
			t.Run(cfg+"/"+sq.name, func(t *testing.T) {
				var got [2][]string
				for i, srv := range sides {
					got[i] = notifyRun(t, srv, cfg, sq)
				}
				if msg := notifyDiff(got[0], got[1]); msg != "" {
					t.Errorf("events differ (redis | petrel):\n%s", msg)
				}
			})
		}
	}
}

// notifyRun runs one sequence on srv under the notify-keyspace-events
// value cfg and returns what the subscriber received: events as "channel
// message", markers as "step N: command".
func notifyRun(t *testing.T, srv *harness.Server, cfg string, sq notifySeq) []string {
	t.Helper()
	ctl := srv.Dial(t)
	defer ctl.Close()
	for _, c := range [][]string{{"FLUSHALL"}, {"CONFIG", "SET", "notify-keyspace-events", cfg}} {
		if got := ctl.Do(c...); got != "+OK\r\n" {
			t.Fatalf("%s: %q: %q", srv.Name, c, got)
		}
	}
	sub := srv.Dial(t)
	defer sub.Close()
	if got := sub.Do("PSUBSCRIBE", "__key*__:*"); !strings.HasPrefix(got, "*3\r\n$10\r\npsubscribe\r\n") {
		t.Fatalf("%s: PSUBSCRIBE: %q", srv.Name, got)
	}
	w := srv.Dial(t)
	defer w.Close()
	var blocked []*harness.Conn
	for i, line := range sq.lines {
		if strings.HasPrefix(line, "&") {
			c := srv.Dial(t)
			id := strings.TrimSuffix(strings.TrimPrefix(c.Do("CLIENT", "ID"), ":"), "\r\n")
			if err := c.Send(harness.MustSplit(line[1:])...); err != nil {
				t.Fatalf("%s: %s: %v", srv.Name, line, err)
			}
			notifyWaitFor(t, srv, line, func() bool {
				return strings.Contains(ctl.Do("CLIENT", "LIST", "ID", id), " flags=b ")
			})
			blocked = append(blocked, c)
			continue
		}
		w.Do(harness.MustSplit(line)...)
		w.Do("PUBLISH", notifyMarkerPrefix, strconv.Itoa(i))
	}
	w.Do("PUBLISH", notifyEndChannel, "end")
	events := notifyCollect(t, srv, sub, sq.lines)
	for _, c := range blocked {
		c.Close()
	}
	// Waiters left blocked must be gone before the next sequence reuses
	// their key names.
	notifyWaitFor(t, srv, "closing the blocked clients", func() bool { return notifyBlockedClients(t, ctl) == 0 })
	return events
}

// notifyCollect reads the subscriber's messages up to the end marker.
func notifyCollect(t *testing.T, srv *harness.Server, sub *harness.Conn, lines []string) []string {
	t.Helper()
	var out []string
	for {
		raw, err := sub.Read()
		if err != nil {
			t.Fatalf("%s: reading events after %q: %v", srv.Name, out, err)
		}
		v, _, err := harness.Parse(raw)
		if err != nil || len(v.Elems) != 4 || v.Elems[0].Str != "pmessage" {
			t.Fatalf("%s: not a pmessage: %q", srv.Name, raw)
		}
		ch, msg := v.Elems[2].Str, v.Elems[3].Str
		switch {
		case ch == notifyEndChannel:
			return out
		case ch == notifyMarkerPrefix:
			i, _ := strconv.Atoi(msg)
			out = append(out, fmt.Sprintf("-- after %s", lines[i]))
		default:
			out = append(out, ch+" "+msg)
		}
	}
}

// notifyBlockedClients reads blocked_clients from INFO clients.
func notifyBlockedClients(t *testing.T, ctl *harness.Conn) int {
	t.Helper()
	v, _, err := harness.Parse([]byte(ctl.Do("INFO", "clients")))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(v.Str, "\r\n") {
		if n, ok := strings.CutPrefix(l, "blocked_clients:"); ok {
			c, _ := strconv.Atoi(n)
			return c
		}
	}
	t.Fatalf("INFO clients has no blocked_clients: %q", v.Str)
	return 0
}

// notifyWaitFor polls until done reports true.
func notifyWaitFor(t *testing.T, srv *harness.Server, what string, done func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !done() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: blocked clients never settled after %s", srv.Name, what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// notifyDiff lays the two streams side by side from the first difference
// on, or returns "" when they are equal.
func notifyDiff(a, b []string) string {
	first := -1
	for i := 0; i < max(len(a), len(b)); i++ {
		if i >= len(a) || i >= len(b) || a[i] != b[i] {
			first = i
			break
		}
	}
	if first < 0 {
		return ""
	}
	var sb strings.Builder
	for i := max(0, first-3); i < max(len(a), len(b)) && i < first+25; i++ {
		var l, r string
		if i < len(a) {
			l = a[i]
		}
		if i < len(b) {
			r = b[i]
		}
		mark := "  "
		if l != r {
			mark = "! "
		}
		fmt.Fprintf(&sb, "%s%-60s | %s\n", mark, l, r)
	}
	return sb.String()
}
