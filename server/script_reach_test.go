package server

import (
	"testing"

	"petrel/scripting"
)

// A script's runs lock what its earlier runs were seen to reach: its KEYS'
// shards, its database (keys built from ARGV, as job queues build them),
// or everything (another database). The known reach only widens, and a
// run that reaches further than its locks still runs whole and atomic.
func TestScriptsLockWhatTheyWereSeenToReach(t *testing.T) {
	const (
		declared = "return redis.call('GET', KEYS[1])"
		inDB     = "redis.call('SET', ARGV[1], 'v') return 1"
		farLater = "redis.call('SET', ARGV[1], 'v') if ARGV[2] == 'far' then redis.call('SELECT', 5) redis.call('SET', 'farkey', 'x') end return 1"
		farFirst = "if ARGV[2] == 'far' then redis.call('SELECT', 5) redis.call('SET', 'first', 'x') redis.call('SELECT', 0) end redis.call('SET', ARGV[1], 'v') return 1"
		flushes  = "redis.call('FLUSHALL') return 1"
	)
	type run struct {
		script string
		args   []string
		want   LockMode // the lock mode of the script's next run
	}
	cases := []struct {
		name string
		runs []run
	}{
		{"a script within its KEYS locks them", []run{
			{declared, []string{"1", "k"}, LockKeys},
			{declared, []string{"1", "k"}, LockKeys},
		}},
		{"a script with keys from ARGV locks its database", []run{
			{inDB, []string{"0", "job:1"}, LockDB},
			{inDB, []string{"0", "job:2"}, LockDB},
		}},
		{"another database after a write widens to every lock", []run{
			{farLater, []string{"0", "job:1", "near"}, LockDB},
			{farLater, []string{"0", "job:2", "far"}, LockAll},
			{farLater, []string{"0", "job:3", "near"}, LockAll},
		}},
		{"another database before any write restarts with every lock", []run{
			{farFirst, []string{"0", "job:1", "near"}, LockDB},
			{farFirst, []string{"0", "job:2", "far"}, LockAll},
		}},
		{"a command over every database locks everything", []run{
			{flushes, []string{"0"}, LockAll},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := startTestServer(t)
			c := dialRaw(t, s)
			for i, r := range tc.runs {
				if got := c.Do(append([]string{"EVAL", r.script}, r.args...)...); got != ":1\r\n" && got != "$-1\r\n" {
					t.Fatalf("run %d: %q", i, got)
				}
				if got := s.scripts.reach([]byte(scripting.SHA1Hex([]byte(r.script)))).lockMode(); got != r.want {
					t.Fatalf("after run %d: lock mode %v, want %v", i, got, r.want)
				}
			}
		})
	}
	// What the widening runs wrote, each once.
	s := startTestServer(t)
	c := dialRaw(t, s)
	c.Do("EVAL", farFirst, "0", "job:1", "near")
	c.Do("EVAL", farFirst, "0", "job:2", "far")
	c.Do("EVAL", farLater, "0", "job:3", "near")
	c.Do("EVAL", farLater, "0", "job:4", "far")
	for _, q := range []struct {
		cmd  []string
		want string
	}{
		{[]string{"MGET", "job:1", "job:2", "job:3", "job:4"}, "*4\r\n$1\r\nv\r\n$1\r\nv\r\n$1\r\nv\r\n$1\r\nv\r\n"},
		{[]string{"SELECT", "5"}, "+OK\r\n"},
		{[]string{"MGET", "first", "farkey"}, "*2\r\n$1\r\nx\r\n$1\r\nx\r\n"},
	} {
		if got := c.Do(q.cmd...); got != q.want {
			t.Fatalf("%v: %q, want %q", q.cmd, got, q.want)
		}
	}
}
