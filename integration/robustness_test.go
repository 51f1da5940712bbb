package integration

import (
	"math/rand"
	"strings"
	"sync"
	"testing"
	"time"

	"petrel/integration/harness"
)

// fuzzFragments are pieces of valid and almost valid protocol that random
// input is assembled from, so the parser is pushed down its deeper paths
// rather than failing on the first byte.
var fuzzFragments = []string{
	"*", "$", "\r\n", "\n", "\r", "-1", "0", "1", "3", "65536", "999999999999", "-", "+", ":", "\"", "'", "\\x",
	"\\", " ", "\t", "\x00", "\xff", "SET", "GET", "MULTI", "EXEC", "PING", "k", "v", "*1\r\n$4\r\nPING\r\n",
	"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$", "HELLO 3\r\n", "EX", "PX", "-9223372036854775808", "\"\\x4", "*2\r\n",
}

func fuzzInput(rng *rand.Rand) []byte {
	var b []byte
	for n := 1 + rng.Intn(60); n > 0; n-- {
		if rng.Intn(4) == 0 {
			junk := make([]byte, 1+rng.Intn(32))
			rng.Read(junk)
			b = append(b, junk...)
			continue
		}
		b = append(b, fuzzFragments[rng.Intn(len(fuzzFragments))]...)
	}
	return b
}

// TestRobustRandomBytesDoNotCrashServer throws random and half-valid bytes
// at many connections; afterwards the server must still be running and
// answer PING on a new connection.
func TestRobustRandomBytesDoNotCrashServer(t *testing.T) {
	conns := 300
	if testing.Short() {
		conns = 60
	}
	forEachServer(t, nil, func(t *testing.T, srv *harness.Server) {
		var wg sync.WaitGroup
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func(seed int64) {
				defer wg.Done()
				rng := rand.New(rand.NewSource(seed))
				for i := 0; i < conns/4; i++ {
					c, err := harness.DialErr(t, srv.Addr)
					if err != nil {
						t.Errorf("dial: %v", err)
						return
					}
					for j := 0; j < 1+rng.Intn(5); j++ {
						if c.Write(fuzzInput(rng)) != nil {
							break
						}
					}
					c.ReadAvailable(5 * time.Millisecond)
					c.Close()
				}
			}(int64(w))
		}
		wg.Wait()
		if !srv.Running() {
			t.Fatalf("server exited after random input\n%s", srv.Log())
		}
		if r := srv.Dial(t).Do("PING"); r != "+PONG\r\n" {
			t.Errorf("PING after random input = %q", r)
		}
	})
}

// robustArgs are arguments that commonly trip parsers: empty, huge, signed,
// binary, option names in the wrong place.
var robustArgs = []string{
	"", "0", "1", "-1", "abc", "k", "k2", "9223372036854775807", "-9223372036854775808", "18446744073709551616",
	"1.5", "inf", "nan", "*", "?", "[", "\\", "\x00", "\xff\xfe", "EX", "PX", "EXAT", "PXAT", "NX", "XX", "GT", "LT",
	"GET", "KEEPTTL", "PERSIST", "DB", "REPLACE", "COUNT", "MATCH", "TYPE", "LEN", "IDX", "MINMATCHLEN",
	"WITHMATCHLEN", "SAMPLES", "ASYNC", "SYNC", "ID", "ADDR", "SKIPME", "FILTERBY", "ACLCAT", "PATTERN", "AUTH",
	"SETNAME", "3", "2", "100", "-100", strings.Repeat("z", 2000),
}

// robustSkip are commands random arguments could turn against the test
// itself (stopping the server, pausing or killing clients, switching the
// connection's mode or protocol, locking the default user out, connecting
// elsewhere), not crash candidates. Commands flagged blocking or pubsub are
// skipped too: they may legitimately never reply.
var robustSkip = map[string]bool{
	"shutdown": true, "monitor": true, "quit": true, "debug": true, "client|kill": true, "client|pause": true,
	"client|reply": true, "config|set": true, "hello": true, "auth": true, "reset": true, "multi": true,
	"client|tracking": true, "replicaof": true, "slaveof": true, "sync": true, "psync": true, "failover": true,
	"migrate": true, "acl|setuser": true, "acl|deluser": true, "acl|load": true, "cluster": true,
}

// robustSkipFlags are COMMAND INFO flags of commands that may not reply.
var robustSkipFlags = []string{"blocking", "pubsub"}

// TestRobustRandomArgumentsToEveryCommand sends random argument lists to
// every command Petrel's table lists: whatever the reply, the connection and
// the server must survive (a handler that panics must not take either down).
func TestRobustRandomArgumentsToEveryCommand(t *testing.T) {
	srv := harness.StartPetrel(t)
	c := srv.Dial(t)
	cmds := commandNames(t, c)
	rng := rand.New(rand.NewSource(1))
	rounds := 30
	if testing.Short() {
		rounds = 8
	}
	tested := 0
next:
	for _, cmd := range cmds {
		name := cmd.name
		if robustSkip[name] {
			continue
		}
		for _, f := range robustSkipFlags {
			if cmd.flags[f] {
				continue next
			}
		}
		tested++
		words := strings.Split(name, "|")
		for i := 0; i < rounds; i++ {
			args := append([]string(nil), words...)
			for n := rng.Intn(7); n > 0; n-- {
				args = append(args, robustArgs[rng.Intn(len(robustArgs))])
			}
			r, err := c.Roundtrip(harness.Encode(args...))
			if err != nil {
				t.Fatalf("%q: %v (reply so far %q); server running: %v\n%s", truncate(strings.Join(args, " "), 200), err, r, srv.Running(), srv.Log())
			}
			if strings.HasPrefix(string(r), "+QUEUED") {
				c.Do("DISCARD")
			}
		}
	}
	if r := srv.Dial(t).Do("PING"); r != "+PONG\r\n" {
		t.Errorf("PING after random arguments = %q", r)
	}
	t.Logf("%d commands and subcommands, %d random argument lists each", tested, rounds)
}

// commandInfo is a command's name and flags as COMMAND INFO reports them.
type commandInfo struct {
	name  string
	flags map[string]bool
}

func parseCommandInfo(v harness.Value) commandInfo {
	ci := commandInfo{flags: map[string]bool{}}
	if len(v.Elems) >= 3 {
		ci.name = strings.ToLower(v.Elems[0].Str)
		for _, f := range v.Elems[2].Elems {
			ci.flags[f.Str] = true
		}
	}
	return ci
}

// commandNames lists the commands and subcommands Petrel declares, with
// their flags, from COMMAND LIST and COMMAND INFO; while COMMAND is not
// available it falls back to the families of the issue.
func commandNames(t *testing.T, c *harness.Conn) []commandInfo {
	r := c.Do("COMMAND", "LIST")
	v, _, err := harness.Parse([]byte(r))
	if err != nil || v.Type != '*' || len(v.Elems) == 0 {
		t.Logf("COMMAND LIST unavailable (%q): using the built-in command list", truncate(r, 80))
		var out []commandInfo
		for _, name := range strings.Fields(`get set setnx setex psetex mget mset msetnx getset getdel getex append strlen incr decr
			incrby decrby incrbyfloat getrange setrange substr lcs del unlink exists type rename renamenx copy move keys
			scan randomkey touch expire pexpire expireat pexpireat ttl pttl expiretime pexpiretime persist
			object|encoding object|freq object|help object|idletime object|refcount exec discard watch unwatch
			ping echo select info time lastsave dbsize swapdb flushdb flushall client|getname client|setname client|id
			client|info client|list client|no-evict client|unblock client|getredir client|trackinginfo client|caching
			client|help config|get config|help config|resetstat config|rewrite command|count command|docs
			command|getkeys command|getkeysandflags command|help command|info command|list slowlog|get slowlog|len
			slowlog|reset slowlog|help latency|doctor latency|graph latency|help latency|histogram latency|history
			latency|latest latency|reset memory|doctor memory|help memory|malloc-stats memory|purge memory|stats
			memory|usage`) {
			out = append(out, commandInfo{name: name})
		}
		return out
	}
	var out []commandInfo
	for _, e := range v.Elems {
		info, _, err := harness.Parse([]byte(c.Do("COMMAND", "INFO", e.Str)))
		if err != nil || len(info.Elems) != 1 || len(info.Elems[0].Elems) < 3 {
			t.Fatalf("COMMAND INFO %s = %q", e.Str, info.Raw())
		}
		out = append(out, parseCommandInfo(info.Elems[0]))
		// COMMAND INFO's tenth field lists the subcommands, each an info array.
		if len(info.Elems[0].Elems) >= 10 {
			for _, sc := range info.Elems[0].Elems[9].Elems {
				out = append(out, parseCommandInfo(sc))
			}
		}
	}
	return out
}
