package integration

import (
	"strings"
	"testing"

	"petrel/integration/harness"
)

// Redis 7 functions: FUNCTION LOAD / DELETE / FLUSH / LIST / STATS / KILL
// and FCALL / FCALL_RO compared with redis-server, and libraries carried by
// RDB files and the AOF in both directions.

const libCounter = "#!lua name=counter\n" +
	"local function incr(keys, args) return redis.call('INCRBY', keys[1], args[1] or 1) end\n" +
	"local function peek(keys, args) return redis.call('GET', keys[1]) end\n" +
	"redis.register_function('c_incr', incr)\n" +
	"redis.register_function{function_name='c_peek', callback=peek, flags={'no-writes'}, description='read it'}\n"

// libOne has one function: FUNCTION LIST's order of several functions is a
// hash order Redis seeds at random per process.
const libOne = "#!lua name=one\nredis.register_function{function_name='one', callback=function() return 1 end, flags={'no-writes', 'allow-oom'}, description='the one'}\n"

const libBad = "#!lua name=bad\nredis.register_function('b', function() return redis.call('nosuch') end)\n"

func TestDiffFunctions(t *testing.T) {
	runSequences(t, []sequence{
		{name: "load-call-list-delete", steps: steps(
			"FCALL c_incr 1 n", cmd("FUNCTION", "LOAD", libCounter), cmd("FUNCTION", "LOAD", libCounter),
			cmd("FUNCTION", "LOAD", "REPLACE", libCounter), "FCALL c_incr 1 n", "FCALL c_incr 1 n 5",
			"FCALL C_INCR 1 n", "FCALL c_incr x n", "FCALL c_incr -1", "FCALL c_incr 2 n",
			"FCALL_RO c_peek 1 n", "FCALL_RO c_incr 1 n", "FCALL c_peek 1 n",
			"FUNCTION DELETE counter", cmd("FUNCTION", "LOAD", libOne), "FCALL one 0", "FCALL_RO one 0",
			"FUNCTION LIST", "FUNCTION LIST WITHCODE", "FUNCTION LIST LIBRARYNAME o*", "FUNCTION LIST LIBRARYNAME nomatch",
			"FUNCTION LIST WITHCODE LIBRARYNAME one", "FUNCTION LIST BOGUS", "FUNCTION LIST LIBRARYNAME", "FUNCTION STATS",
			cmd("FUNCTION", "LOAD", libCounter), cmd("FUNCTION", "LOAD", libBad), "FCALL b 0",
			"FUNCTION DELETE nosuch", "FUNCTION DELETE bad", "FUNCTION DELETE counter", "FCALL c_incr 1 n",
			"FUNCTION FLUSH BOGUS", "FUNCTION FLUSH SYNC x", "function flush sync x", "FUNCTION FLUSH", "FUNCTION FLUSH ASYNC", "FUNCTION LIST", "FUNCTION KILL",
			"FUNCTION RESTORE x y z", "FUNCTION RESTORE bad", "FUNCTION RESTORE bad BOGUS", "FUNCTION HELP",
			"FUNCTION nosuch", "GET n",
		)},
		{name: "load-errors", steps: steps(
			`FUNCTION LOAD "return 1"`, "FUNCTION LOAD \"#!lua\nreturn 1\"", "FUNCTION LOAD \"#!lua name=x\nreturn 1\"",
			"FUNCTION LOAD \"#!lua name=x\nredis.register_function('f', 1)\"",
			"FUNCTION LOAD \"#!lua name=x\nredis.register_function('f', function() end, 'extra')\"",
			"FUNCTION LOAD \"#!lua name=x\nredis.call('set','a','1')\"", "FUNCTION LOAD \"#!nolua name=x\n\"",
			"FUNCTION LOAD \"#!lua name=x foo=bar\n\"", "FUNCTION LOAD \"#!lua name=1x\n\"", "FUNCTION LOAD",
			"FUNCTION LOAD REPLACE", "FUNCTION LOAD BOGUS code",
		)},
	})
}

func TestFunctionLibrariesMoveBetweenPetrelAndRedis(t *testing.T) {
	harness.RequireRedis(t)
	for _, via := range []string{"rdb", "aof"} {
		t.Run(via, func(t *testing.T) {
			args := []string{}
			if via == "aof" {
				args = []string{"--appendonly", "yes"}
			}
			for _, writer := range []string{"petrel", "redis"} {
				dir := t.TempDir()
				var w *harness.Server
				if writer == "petrel" {
					w = harness.StartPetrel(t, append(args, "--dir", dir)...)
				} else {
					w = harness.StartRedis(t, append(args, "--dir", dir)...)
				}
				c := w.Dial(t)
				if got := c.Do("FUNCTION", "LOAD", libCounter); got != "$7\r\ncounter\r\n" {
					t.Fatalf("%s FUNCTION LOAD: %q", writer, got)
				}
				c.Do("FCALL", "c_incr", "1", "n", "41")
				if via == "rdb" {
					if got := c.Do("SAVE"); got != "+OK\r\n" {
						t.Fatalf("%s SAVE: %q", writer, got)
					}
				}
				w.Stop()
				for _, reader := range []string{"petrel", "redis"} {
					var r *harness.Server
					d := copyDir(t, dir)
					if reader == "petrel" {
						r = harness.StartPetrel(t, append(args, "--dir", d)...)
					} else {
						r = harness.StartRedis(t, append(args, "--dir", d)...)
					}
					rc := r.Dial(t)
					if got := rc.Do("FCALL", "c_incr", "1", "n"); got != ":42\r\n" {
						t.Errorf("%s wrote, %s read via %s: FCALL c_incr = %q\n%s", writer, reader, via, got,
							strings.Join(strings.Split(r.Log(), "\n")[max(0, strings.Count(r.Log(), "\n")-8):], "\n"))
					}
					r.Stop()
				}
			}
		})
	}
}
