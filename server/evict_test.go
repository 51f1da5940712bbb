package server

import (
	"fmt"
	"strings"
	"testing"

	"petrel/store"
)

// Under maxmemory 1 byte the process is always over the cap, so these tests
// see exactly when Redis's rules evict and when they refuse.

const oomReply = "-OOM command not allowed when used memory > 'maxmemory'.\r\n"

func TestNoevictionRefusesOnlyDenyoomCommands(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"SET", "k", "v"}, "+OK\r\n"},
		{[]string{"CONFIG", "SET", "maxmemory", "1"}, "+OK\r\n"},
		{[]string{"SET", "k2", "v"}, oomReply},
		{[]string{"APPEND", "k", "x"}, oomReply},
		{[]string{"LPUSH", "l", "x"}, oomReply},
		{[]string{"GET", "k"}, "$1\r\nv\r\n"},
		{[]string{"INCR", "n"}, oomReply},
		{[]string{"EXPIRE", "k", "100"}, ":1\r\n"},
		{[]string{"MULTI"}, "+OK\r\n"},
		{[]string{"GET", "k"}, oomReply}, // queueing is refused too
		{[]string{"EXEC"}, "-EXECABORT Transaction discarded because of previous errors.\r\n"},
		{[]string{"DEL", "k"}, ":1\r\n"},
		{[]string{"CONFIG", "SET", "maxmemory", "0"}, "+OK\r\n"},
		{[]string{"SET", "k2", "v"}, "+OK\r\n"},
	})
}

func TestExecWithDenyoomCommandsIsRefusedOverTheCap(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"MULTI"}, "+OK\r\n"},
		{[]string{"SET", "k", "v"}, "+QUEUED\r\n"},
		{[]string{"CONFIG", "SET", "maxmemory", "1"}, "+QUEUED\r\n"},
		{[]string{"EXEC"}, "*2\r\n+OK\r\n+OK\r\n"},
		{[]string{"MULTI"}, "+OK\r\n"}, // not denyoom, and not yet in MULTI
		{[]string{"GET", "k"}, oomReply},
		{[]string{"DISCARD"}, "+OK\r\n"},
	})
	s2 := startTestServer(t)
	c2 := dialRaw(t, s2)
	c2.Do("MULTI")
	c2.Do("SET", "k", "v")
	dialRaw(t, s2).Do("CONFIG", "SET", "maxmemory", "1")
	runCases(t, c2, []replyCase{{[]string{"EXEC"}, "-EXECABORT Transaction discarded because of: OOM command not allowed when used memory > 'maxmemory'.\r\n"}})
}

func TestEveryEvictingPolicyEmptiesTheKeyspaceUnderAnImpossibleCap(t *testing.T) {
	for _, policy := range []string{"allkeys-lru", "allkeys-lfu", "allkeys-random", "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"} {
		t.Run(policy, func(t *testing.T) {
			s := startTestServer(t)
			c := dialRaw(t, s)
			c.Do("CONFIG", "SET", "maxmemory-policy", policy)
			// no time limit: evictions all happen before the command runs
			c.Do("CONFIG", "SET", "maxmemory-eviction-tenacity", "100")
			for i := 0; i < 100; i++ {
				c.Do("SET", fmt.Sprint("persistent", i), "v")
				c.Do("SET", fmt.Sprint("volatile", i), "v", "EX", "1000")
			}
			c.Do("SELECT", "3")
			c.Do("SET", "other-db", "v", "EX", "1000")
			c.Do("CONFIG", "SET", "maxmemory", "1")
			want := ":0\r\n"
			if strings.HasPrefix(policy, "volatile") {
				want = ":100\r\n" // keys without a TTL are never evicted
			}
			runCases(t, c, []replyCase{
				{[]string{"SELECT", "0"}, "+OK\r\n"},
				{[]string{"DBSIZE"}, want},
				{[]string{"SET", "k", "v"}, oomReply}, // nothing left to evict
				{[]string{"GET", "persistent1"}, map[bool]string{true: "$1\r\nv\r\n", false: "$-1\r\n"}[strings.HasPrefix(policy, "volatile")]},
				{[]string{"CONFIG", "SET", "maxmemory", "0"}, "+OK\r\n"},
				{[]string{"SELECT", "3"}, "+OK\r\n"},
				{[]string{"DBSIZE"}, ":0\r\n"},
			})
			if info := c.Do("INFO", "stats"); !strings.Contains(info, "evicted_keys:101\r\n") && !strings.Contains(info, "evicted_keys:201\r\n") {
				t.Errorf("evicted_keys wrong in %q", info)
			}
		})
	}
}

// setAccessData rewrites a key's LRU/LFU field, as time passing would.
func setAccessData(s *Server, key string, data uint32) {
	db := s.store.DB(0)
	sh := db.Shard(store.ShardIndex([]byte(key)))
	sh.Lock()
	db.LookupNoExpire([]byte(key)).SetLRU(data)
	sh.Unlock()
}

// evictHalf evicts n keys directly, as the command path would, and returns
// how many of the evicted keys had names starting with prefix.
func evictAndCount(t *testing.T, s *Server, c *rawClient, n int, prefix string) int {
	t.Helper()
	before := map[string]bool{}
	for _, k := range strings.Split(strings.TrimSpace(keysOf(c)), "\n") {
		before[k] = true
	}
	for i := 0; i < n; i++ {
		if _, ok := s.evictOne(s.evictPolicy(), nil); !ok {
			t.Fatal("nothing to evict")
		}
	}
	hits := 0
	after := map[string]bool{}
	for _, k := range strings.Split(strings.TrimSpace(keysOf(c)), "\n") {
		after[k] = true
	}
	for k := range before {
		if !after[k] && strings.HasPrefix(k, prefix) {
			hits++
		}
	}
	return hits
}

func keysOf(c *rawClient) string {
	r := c.Do("KEYS", "*")
	var out []string
	for _, line := range strings.Split(r, "\r\n") {
		if line != "" && line[0] != '*' && line[0] != '$' {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

func TestLRUEvictsIdleKeysFirst(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	c.Do("CONFIG", "SET", "maxmemory-policy", "allkeys-lru")
	c.Do("CONFIG", "SET", "maxmemory-samples", "10")
	now := lruClock()
	for i := 0; i < 200; i++ {
		c.Do("SET", fmt.Sprint("cold", i), "v")
		c.Do("SET", fmt.Sprint("hot", i), "v")
		setAccessData(s, fmt.Sprint("cold", i), (now-5000)&(1<<24-1))
	}
	if got := evictAndCount(t, s, c, 100, "cold"); got < 90 {
		t.Fatalf("only %d of 100 evicted keys were idle", got)
	}
}

func TestLFUKeepsTheHotSetUnderAScan(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	c.Do("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu")
	c.Do("CONFIG", "SET", "maxmemory-samples", "10")
	for i := 0; i < 200; i++ {
		c.Do("SET", fmt.Sprint("hot", i), "v")
		setAccessData(s, fmt.Sprint("hot", i), lfuMinutes()<<8|100)
	}
	for i := 0; i < 200; i++ { // a scan: each key read once
		c.Do("SET", fmt.Sprint("scan", i), "v")
		c.Do("GET", fmt.Sprint("scan", i))
	}
	if got := evictAndCount(t, s, c, 100, "scan"); got < 95 {
		t.Fatalf("only %d of 100 evicted keys came from the scan", got)
	}
}

func TestVolatileTTLEvictsTheNearestExpiryFirst(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	c.Do("CONFIG", "SET", "maxmemory-policy", "volatile-ttl")
	c.Do("CONFIG", "SET", "maxmemory-samples", "10")
	for i := 0; i < 200; i++ {
		c.Do("SET", fmt.Sprint("soon", i), "v", "EX", "100")
		c.Do("SET", fmt.Sprint("late", i), "v", "EX", "100000")
		c.Do("SET", fmt.Sprint("never", i), "v")
	}
	if got := evictAndCount(t, s, c, 100, "soon"); got < 90 {
		t.Fatalf("only %d of 100 evicted keys expired soonest", got)
	}
}

func TestEvictionRaisesEvictedEvents(t *testing.T) {
	s := startTestServer(t)
	c, sub := dialRaw(t, s), dialRaw(t, s)
	c.Do("SET", "k", "v")
	c.Do("CONFIG", "SET", "notify-keyspace-events", "Ee")
	sub.Do("SUBSCRIBE", "__keyevent@0__:evicted")
	c.Do("CONFIG", "SET", "maxmemory-policy", "allkeys-random")
	c.Do("CONFIG", "SET", "maxmemory", "1")
	c.Do("PING")
	if got := sub.Read(); got != "*3\r\n$7\r\nmessage\r\n$22\r\n__keyevent@0__:evicted\r\n$1\r\nk\r\n" {
		t.Fatalf("event %q", got)
	}
}

// A client subscribed to its own evicted events (RESP3) reads them before
// the reply of the command that evicted, and after CONFIG SET maxmemory's
// OK when setting the limit evicts at once (verified against redis-server
// 7.0.15).
func TestEvictedEventsReachTheEvictingClientAroundItsReplyAsInRedis(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	event := func(key string) string {
		return fmt.Sprintf(">3\r\n$7\r\nmessage\r\n$22\r\n__keyevent@0__:evicted\r\n$%d\r\n%s\r\n", len(key), key)
	}
	c.Do("HELLO", "3")
	c.Do("CONFIG", "SET", "notify-keyspace-events", "Ee")
	c.Do("SUBSCRIBE", "__keyevent@0__:evicted")
	steps := []struct {
		cmd  []string
		want []string // replies and pushes, in order
	}{
		{[]string{"SET", "k", "v"}, []string{"+OK\r\n"}},
		{[]string{"CONFIG", "SET", "maxmemory-policy", "noeviction"}, []string{"+OK\r\n"}},
		{[]string{"CONFIG", "SET", "maxmemory", "1"}, []string{"+OK\r\n"}},
		// the policy changes after this command's own memory check
		{[]string{"CONFIG", "SET", "maxmemory-policy", "allkeys-random"}, []string{"+OK\r\n"}},
		{[]string{"PING"}, []string{event("k"), "+PONG\r\n"}},
		{[]string{"CONFIG", "SET", "maxmemory", "0"}, []string{"+OK\r\n"}},
		{[]string{"SET", "k2", "v"}, []string{"+OK\r\n"}},
		{[]string{"CONFIG", "SET", "maxmemory", "1"}, []string{"+OK\r\n", event("k2")}},
		{[]string{"CONFIG", "SET", "maxmemory", "0"}, []string{"+OK\r\n"}},
	}
	for _, st := range steps {
		c.Send(encode(st.cmd...))
		for _, w := range st.want {
			if got := c.Read(); got != w {
				t.Fatalf("%q: got %q, want %q", st.cmd, got, w)
			}
		}
	}
}
