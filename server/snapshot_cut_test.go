package server

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"sort"
	"strings"
	"testing"
	"time"

	"petrel/config"
	"petrel/store"
)

// plantGate stores a value over the RDB writer's flush threshold in the
// first segment the walker visits (db 0, shard 0, segment 0): the walker
// flushes there and blocks in gateWriter before any other segment.
func plantGate(t *testing.T, c *rawClient) {
	t.Helper()
	for i := 0; ; i++ {
		k := fmt.Sprint("gate", i)
		if sh, seg := store.KeyUnit([]byte(k)); sh == 0 && seg == 0 {
			c.Do("SELECT", "0")
			if got := c.Do("SET", k, strings.Repeat("g", 80<<10)); got != "+OK\r\n" {
				t.Fatalf("SET gate: %q", got)
			}
			return
		}
	}
}

// lockedSnapshot returns the keyspace's RDB as it is now.
func lockedSnapshot(t *testing.T, s *Server) []byte {
	t.Helper()
	var b bytes.Buffer
	s.store.LockAll()
	_, err := s.writeSnapshot(context.Background(), &b, snapshotOpts{locked: true, checksum: true})
	s.store.UnlockAll()
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pausedSnapshot starts a snapshot and returns once its barrier passed and
// its walker waits after the first segment; resume lets it finish and
// returns the file.
func pausedSnapshot(t *testing.T, s *Server) (resume func() ([]byte, int64)) {
	t.Helper()
	g := newGateWriter()
	done := make(chan error, 1)
	var info SnapshotInfo
	go func() {
		var err error
		info, err = s.WriteSnapshot(context.Background(), g, false)
		done <- err
	}()
	select {
	case <-g.reached:
	case <-time.After(10 * time.Second):
		t.Fatal("the snapshot never reached the gate")
	}
	return func() ([]byte, int64) {
		close(g.release)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		return g.buf.Bytes(), info.CapturedEarly
	}
}

// rdbState loads an RDB file into a fresh server (a duplicate key fails)
// and returns db:key -> digest (and expiry), plus the function libraries.
func rdbState(t *testing.T, b []byte) map[string]string {
	t.Helper()
	cfg := config.Defaults()
	cfg.Dir = t.TempDir()
	s := New(cfg, NewLogger(io.Discard, LogWarning))
	s.store.LockAll()
	err := s.loadRDBFrom(bytes.NewReader(b), true, false)
	out := map[string]string{}
	for d := 0; d < s.store.NumDBs(); d++ {
		db := s.store.DB(d)
		for i := 0; i < store.NumShards; i++ {
			db.EachInShard(i, func(e *store.Entry) bool {
				var kd [20]byte
				kd = valueDigest(kd, db, e)
				out[fmt.Sprintf("%d:%s", d, e.Key())] = fmt.Sprintf("%s ttl=%d", hex.EncodeToString(kd[:]), db.ExpireAt(e))
				return true
			})
		}
	}
	libs := s.scripts.engine.Functions().Codes()
	sort.Strings(libs)
	out["functions"] = strings.Join(libs, "\n---\n")
	s.store.UnlockAll()
	if err != nil {
		t.Fatalf("loading the snapshot: %v", err)
	}
	return out
}

func diffStates(want, got map[string]string) string {
	var b strings.Builder
	keys := map[string]bool{}
	for k := range want {
		keys[k] = true
	}
	for k := range got {
		keys[k] = true
	}
	var ks []string
	for k := range keys {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	n := 0
	for _, k := range ks {
		if want[k] != got[k] && n < 20 {
			n++
			w, g := want[k], got[k]
			if len(w) > 60 {
				w = w[:60]
			}
			if len(g) > 60 {
				g = g[:60]
			}
			fmt.Fprintf(&b, "  %s: at barrier %q, in snapshot %q\n", k, w, g)
		}
	}
	return b.String()
}

// fillKeyspace writes keys of every type in databases 0 and 1.
func fillKeyspace(t *testing.T, c *rawClient) {
	t.Helper()
	for _, db := range []string{"0", "1"} {
		c.Do("SELECT", db)
		for i := 0; i < 30; i++ {
			c.Do("SET", fmt.Sprint("s", i), fmt.Sprint("v", i, "-", db))
			c.Do("RPUSH", fmt.Sprint("l", i), "3", "1", "2")
			c.Do("SADD", fmt.Sprint("set", i), "a", "b", fmt.Sprint(i))
			c.Do("ZADD", fmt.Sprint("z", i), "1", "a", "2", fmt.Sprint(i))
			c.Do("HSET", fmt.Sprint("h", i), "f", "1", "g", fmt.Sprint(i))
		}
		c.Do("GEOADD", "geo", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania")
		c.Do("XADD", "st", "1-1", "f", "v")
		c.Do("XADD", "st", "2-1", "f", "v")
		c.Do("XGROUP", "CREATE", "st", "g", "0")
		c.Do("PFADD", "hll1", "a", "b")
		c.Do("PFADD", "hll2", "c")
		c.Do("SET", "w1", "weight")
	}
	c.Do("SELECT", "0")
}

type snapScenario struct {
	name   string
	aof    bool
	before func(t *testing.T, s *Server, c *rawClient) // before the barrier
	during func(t *testing.T, s *Server, c *rawClient) // while the walker waits
}

func runSnapScenario(t *testing.T, sc snapScenario) {
	var s *Server
	if sc.aof {
		s, _ = startAOFServer(t)
	} else {
		s = startTestServer(t, withDebug)
	}
	c := dialRaw(t, s)
	fillKeyspace(t, c)
	if sc.before != nil {
		sc.before(t, s, c)
	}
	plantGate(t, c)
	want := rdbState(t, lockedSnapshot(t, s))
	resume := pausedSnapshot(t, s)
	sc.during(t, s, c)
	b, early := resume()
	got := rdbState(t, b)
	if diffStates(want, rdbState(t, lockedSnapshot(t, s))) == "" {
		t.Fatalf("%s: the scenario changed nothing", sc.name)
	}
	t.Logf("%s: captured early %d", sc.name, early)
	if d := diffStates(want, got); d != "" {
		t.Fatalf("%s: the snapshot is not the keyspace at its barrier:\n%s", sc.name, d)
	}
}

func doExpect(t *testing.T, c *rawClient, want string, args ...string) {
	t.Helper()
	if got := c.Do(args...); want != "" && !strings.HasPrefix(got, want) {
		t.Fatalf("%v: %q, want %q...", args, got, want)
	}
}

// Every write path keeps the cut: with the walker paused after its first
// segment, each command runs, and the file must hold the keyspace (values,
// TTLs, function libraries) as it was at the barrier, with no key twice.
func TestSnapshotCutHoldsForEveryWritePath(t *testing.T) {
	scenarios := []snapScenario{
		{name: "sort by store", during: func(t *testing.T, s *Server, c *rawClient) {
			doExpect(t, c, ":", "SORT", "l1", "BY", "nosuch*", "STORE", "s2")
			doExpect(t, c, ":", "SORT", "l3", "STORE", "l4")
			doExpect(t, c, ":", "SORT", "l5", "STORE", "l5")
		}},
		{name: "georadius store", during: func(t *testing.T, s *Server, c *rawClient) {
			doExpect(t, c, ":", "GEORADIUS", "geo", "15", "37", "200", "km", "STORE", "s3")
			doExpect(t, c, ":", "GEORADIUSBYMEMBER", "geo", "Palermo", "500", "km", "STOREDIST", "s4")
			doExpect(t, c, ":", "GEOSEARCHSTORE", "s5", "geo", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km")
		}},
		{name: "streams", during: func(t *testing.T, s *Server, c *rawClient) {
			doExpect(t, c, "*", "XREADGROUP", "GROUP", "g", "alice", "STREAMS", "st", ">")
			doExpect(t, c, "*", "XAUTOCLAIM", "st", "g", "bob", "0", "0")
			doExpect(t, c, "", "XADD", "st", "*", "a", "b")
			doExpect(t, c, ":", "XACK", "st", "g", "1-1")
		}},
		{name: "rename copy move", during: func(t *testing.T, s *Server, c *rawClient) {
			doExpect(t, c, "+OK", "RENAME", "s6", "s7")
			doExpect(t, c, ":1", "RENAMENX", "l6", "newlist")
			doExpect(t, c, ":1", "COPY", "set6", "set7", "DB", "1", "REPLACE")
			doExpect(t, c, ":1", "MOVE", "z6", "2")
			doExpect(t, c, ":0", "MOVE", "z7", "1")
			doExpect(t, c, ":1", "COPY", "h6", "h7", "REPLACE")
		}},
		{name: "swapdb", during: func(t *testing.T, s *Server, c *rawClient) {
			doExpect(t, c, "+OK", "SWAPDB", "0", "1")
			doExpect(t, c, "+OK", "SET", "s8", "after")
		}},
		{name: "flushdb", during: func(t *testing.T, s *Server, c *rawClient) {
			doExpect(t, c, "+OK", "SELECT", "1")
			doExpect(t, c, "+OK", "FLUSHDB")
			doExpect(t, c, "+OK", "SELECT", "0")
			doExpect(t, c, "+OK", "FLUSHALL")
		}},
		{name: "multi", during: func(t *testing.T, s *Server, c *rawClient) {
			c.Send(append(append(append(append(append(append(append(append(
				encode("MULTI"),
				encode("SET", "s9", "x")...),
				encode("SELECT", "1")...),
				encode("DEL", "s9", "l9")...),
				encode("MOVE", "set9", "0")...),
				encode("EVAL", "redis.call('INCR', 'counter') redis.call('SELECT', 0) return redis.call('DEL', 'h9')", "0")...),
				encode("COPY", "z9", "z10", "DB", "0", "REPLACE")...),
				encode("SELECT", "0")...),
				encode("EXEC")...))
			for i := 0; i < 8; i++ {
				c.Read()
			}
			if got := c.Read(); !strings.HasPrefix(got, "*7") {
				t.Fatalf("EXEC: %q", got)
			}
		}},
		{name: "scripts", during: func(t *testing.T, s *Server, c *rawClient) {
			doExpect(t, c, ":", "EVAL", "redis.call('SELECT', 1) redis.call('DEL', 's10') redis.call('RPUSH', 'l10', 'x') return 1", "0")
			doExpect(t, c, ":", "EVAL", "redis.call('SET', KEYS[1], 'y') return redis.call('DEL', ARGV[1])", "1", "s11", "s12")
			doExpect(t, c, ":", "EVAL", "redis.call('SET', KEYS[1], 'y') return redis.call('DEL', ARGV[1])", "1", "s13", "s14")
			doExpect(t, c, "", "FUNCTION", "LOAD", "#!lua name=lib\nredis.register_function('f', function(k) return redis.call('DEL', k[1]) end)")
			doExpect(t, c, ":", "FCALL", "f", "1", "s15")
		}},
		{name: "restore dump", before: func(t *testing.T, s *Server, c *rawClient) {
		}, during: func(t *testing.T, s *Server, c *rawClient) {
			dump := c.Do("DUMP", "l16")
			lines := strings.SplitN(dump, "\r\n", 2)
			payload := strings.TrimSuffix(lines[1], "\r\n")
			doExpect(t, c, "+OK", "RESTORE", "s16", "0", payload, "REPLACE")
			doExpect(t, c, "+OK", "RESTORE", "brandnew", "0", payload)
		}},
		{name: "debug populate", during: func(t *testing.T, s *Server, c *rawClient) {
			doExpect(t, c, "+OK", "DEBUG", "POPULATE", "100", "s")
		}},
		{name: "stores", during: func(t *testing.T, s *Server, c *rawClient) {
			doExpect(t, c, ":", "SINTERSTORE", "s17", "set1", "set2")
			doExpect(t, c, ":", "ZUNIONSTORE", "s18", "2", "z1", "z2")
			doExpect(t, c, ":", "ZRANGESTORE", "s19", "z3", "0", "-1")
			doExpect(t, c, ":", "BITOP", "OR", "s20", "s21", "s22")
			doExpect(t, c, "+OK", "PFMERGE", "hll1", "hll2")
			doExpect(t, c, "*", "LMPOP", "2", "nolist", "l21", "LEFT")
			doExpect(t, c, "*", "ZMPOP", "2", "nozset", "z21", "MIN")
			doExpect(t, c, "$", "GETDEL", "s23")
			doExpect(t, c, "$", "GETEX", "s24", "EX", "1000")
			doExpect(t, c, ":", "HINCRBY", "h24", "f", "3")
			doExpect(t, c, "*", "SPOP", "set24", "2")
			doExpect(t, c, ":", "PEXPIRE", "s25", "100000")
		}},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) { runSnapScenario(t, sc) })
	}
}

// Serving blocked clients and eviction keep the cut.
func TestSnapshotCutHoldsForBlockedAndEviction(t *testing.T) {
	t.Run("blmove and xreadgroup served", func(t *testing.T) {
		runSnapScenario(t, snapScenario{name: "blocked", before: func(t *testing.T, s *Server, c *rawClient) {
			b1 := dialRaw(t, s)
			b1.Send(encode("BLMOVE", "bsrc", "l26", "LEFT", "RIGHT", "0"))
			// The group reads what it has first, so carol's read blocks.
			c.Do("XREADGROUP", "GROUP", "g", "dave", "STREAMS", "st", ">")
			b2 := dialRaw(t, s)
			b2.Send(encode("XREADGROUP", "GROUP", "g", "carol", "BLOCK", "0", "STREAMS", "st", ">"))
			for deadline := time.Now().Add(5 * time.Second); s.blocked.count.Load() < 2; {
				if time.Now().After(deadline) {
					t.Fatal("clients did not block")
				}
				time.Sleep(time.Millisecond)
			}
		}, during: func(t *testing.T, s *Server, c *rawClient) {
			doExpect(t, c, ":", "LPUSH", "bsrc", "x", "y")
			doExpect(t, c, "", "XADD", "st", "*", "new", "entry")
			for deadline := time.Now().Add(5 * time.Second); s.blocked.count.Load() > 0; {
				if time.Now().After(deadline) {
					t.Fatal("blocked clients were not served")
				}
				time.Sleep(time.Millisecond)
			}
		}})
	})
	t.Run("eviction", func(t *testing.T) {
		runSnapScenario(t, snapScenario{name: "evict", during: func(t *testing.T, s *Server, c *rawClient) {
			doExpect(t, c, "+OK", "CONFIG", "SET", "maxmemory-policy", "allkeys-random")
			doExpect(t, c, "+OK", "CONFIG", "SET", "maxmemory", "1")
			c.Do("SET", "trigger", "x")
			c.Do("SET", "trigger2", "x")
			doExpect(t, c, "+OK", "CONFIG", "SET", "maxmemory", "0")
		}})
	})
}

// DEBUG LOADAOF empties and reloads the keyspace: a running snapshot first
// captures it whole, so keys the log does not hold (DEBUG POPULATE's, a
// script's writes after redis.set_repl(redis.REPL_NONE)) are still in the
// file.
func TestSnapshotCutHoldsForDebugLoadaof(t *testing.T) {
	runSnapScenario(t, snapScenario{name: "debug loadaof", aof: true, before: func(t *testing.T, s *Server, c *rawClient) {
		doExpect(t, c, "+OK", "DEBUG", "POPULATE", "50", "populated")
	}, during: func(t *testing.T, s *Server, c *rawClient) {
		doExpect(t, c, "+OK", "DEBUG", "LOADAOF")
	}})
}
