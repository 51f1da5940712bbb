package integration

import (
	"strings"
	"testing"

	"petrel/integration/harness"
)

// TestDiffErrors compares the generic error replies: arity, unknown
// commands (with their argument preview) and unknown subcommands.
func TestDiffErrors(t *testing.T) {
	long := strings.Repeat("a", 200)
	runSequences(t, []sequence{
		{name: "arity", steps: steps(
			"GET", "GET a b", "SET a", "MGET", "MSET a", "DEL", "EXISTS", "EXPIRE a", "TTL", "RENAME a",
			"INCR", "INCRBY a", "APPEND a", "GETRANGE a 0", "SETRANGE a 0", "SELECT", "ECHO", "TYPE",
			"MULTI a", "WATCH", "KEYS", "DBSIZE a", "TIME a", "LASTSAVE a", "SWAPDB 0", "MOVE a",
			"CONFIG", "CONFIG GET", "CONFIG SET a", "CONFIG HELP a", "CLIENT", "CLIENT SETNAME", "CLIENT KILL",
			"COMMAND GETKEYS", "COMMAND COUNT a", "OBJECT", "OBJECT ENCODING", "MEMORY",
			"MEMORY USAGE", "SLOWLOG", "SLOWLOG LEN a", "LATENCY", "LATENCY GRAPH", "get", "GeT a b c",
		)},
		{name: "unknown-command", steps: steps(
			"NOSUCH", "NOSUCH a", "NOSUCH a b c", "nosuch A B", `NOSUCH "with space" x`, `""`, `"" a`,
			`"no such" x`, cmd("NOSUCH", long), cmd("NOSUCH", long, long, long), cmd(long, "x"),
			cmd("NOSUCH", "a\r\nb", "c\nd"), cmd("NOSUCH", "it's"), cmd("NOSUCH", "\x00\xff"), cmd("NOSUCH", ""),
			cmd(append([]string{"NOSUCH"}, strings.Split(strings.Repeat("arg ", 40), " ")...)...),
			cmd("NO\nSUCH", "x"), "CONFIG|GET maxclients", "GET|X a",
		)},
		{name: "unknown-subcommand", steps: steps(
			"CONFIG BOGUS", "CONFIG bogus a b", "CLIENT bogus", "OBJECT bogus x", "COMMAND bogus",
			"MEMORY bogus", "SLOWLOG bogus", "LATENCY bogus", cmd("CONFIG", long), `CONFIG ""`,
			cmd("CLIENT", "a\r\nb"), "CONFIG GET|X", "config Help", "CLIENT HELP", "OBJECT HELP",
			"COMMAND HELP", "MEMORY HELP", "SLOWLOG HELP", "LATENCY HELP", "CONFIG HELP",
		)},
	})
}

// TestDiffWrongType compares WRONGTYPE errors of string commands on a key
// of another type. It needs a non-string type, so it is skipped until
// Petrel implements one (lists, sets or hashes).
func TestDiffWrongType(t *testing.T) {
	harness.RequireRedis(t)
	c := harness.StartPetrel(t).Dial(t)
	var create string
	for _, try := range []string{"RPUSH l a", "SADD l a", "HSET l f v", "ZADD l 1 a"} {
		args := harness.MustSplit(try)
		if r := c.Do(args...); !strings.HasPrefix(r, "-ERR unknown command") {
			create = try
			break
		}
		c.Do("DEL", "l")
	}
	if create == "" {
		t.Skip("Petrel implements no non-string type yet (RPUSH, SADD, HSET, ZADD unknown): WRONGTYPE comparisons skipped")
	}
	runSequences(t, []sequence{{name: "wrongtype", steps: steps(
		create, "GET l", "SET l v GET", "GETSET l v", "GETDEL l", "GETEX l", "APPEND l x", "STRLEN l",
		"INCR l", "DECRBY l 2", "INCRBYFLOAT l 1", "GETRANGE l 0 -1", "SETRANGE l 0 x", "SUBSTR l 0 1",
		"MGET l", "LCS l l", "SET s str", "LCS s l", "TYPE l", "OBJECT ENCODING l", "EXISTS l",
		"RENAME l l2", "TYPE l2", "COPY l2 l3", "TYPE l3", "SCAN 0 TYPE string COUNT 100",
		"SET l2 v", "TYPE l2", "MULTI", "GET l3", "GET s", "EXEC",
	)}})
}
