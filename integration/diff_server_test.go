package integration

import (
	"testing"
	"time"

	"petrel/integration/harness"
)

// TestDiffServer compares the server and introspection commands: CONFIG,
// INFO, TIME, LASTSAVE, COMMAND, SLOWLOG, LATENCY, MEMORY and DEBUG.
func TestDiffServer(t *testing.T) {
	runSequences(t, []sequence{
		{name: "config-get", steps: steps(
			"CONFIG GET maxclients", "CONFIG GET timeout", "CONFIG GET port", "CONFIG GET bind",
			"CONFIG GET databases", "CONFIG GET requirepass", "CONFIG GET protected-mode", "CONFIG GET hz",
			"CONFIG GET tcp-keepalive", "CONFIG GET proto-max-bulk-len", "CONFIG GET client-query-buffer-limit",
			"CONFIG GET loglevel", "CONFIG GET logfile", "CONFIG GET pidfile", "CONFIG GET dir",
			"CONFIG GET slowlog-log-slower-than", "CONFIG GET slowlog-max-len", "CONFIG GET latency-monitor-threshold",
			"CONFIG GET always-show-logo", "CONFIG GET enable-debug-command", "CONFIG GET unixsocket",
			"CONFIG GET unixsocketperm", "CONFIG GET save", "CONFIG GET appendonly",
			"CONFIG GET MAXCLIENTS", "CONFIG GET nosuch", "CONFIG GET maxclients timeout", "CONFIG GET slowlog*",
			"CONFIG GET *max-len", "CONFIG GET proto-max-bulk-len?", "CONFIG GET maxclients maxclients",
			"CONFIG GET slowlog-max-len slowlog*",
		)},
		{name: "config-set", steps: steps(
			"CONFIG SET timeout 5", "CONFIG GET timeout", "CONFIG SET timeout abc", "CONFIG SET timeout -1",
			"CONFIG SET nosuch 1", "CONFIG SET maxclients 100 timeout 3", "CONFIG GET maxclients",
			"CONFIG GET timeout", "CONFIG SET maxclients 100 timeout", "CONFIG SET timeout 1 timeout 2",
			"CONFIG SET timeout 7 nosuch 1", "CONFIG GET timeout", "CONFIG SET timeout 8 maxclients abc",
			"CONFIG GET timeout", "CONFIG SET hz 500", "CONFIG GET hz", "CONFIG SET hz 0", "CONFIG GET hz",
			"CONFIG SET proto-max-bulk-len 1mb", "CONFIG GET proto-max-bulk-len", "CONFIG SET proto-max-bulk-len 1k",
			"CONFIG SET proto-max-bulk-len 1gb", "CONFIG SET client-query-buffer-limit 2mb",
			"CONFIG GET client-query-buffer-limit", "CONFIG SET loglevel verbose", "CONFIG SET loglevel bogus",
			"CONFIG GET loglevel", "CONFIG SET slowlog-max-len 10", "CONFIG SET slowlog-log-slower-than -1",
			"CONFIG GET slowlog*", "CONFIG SET latency-monitor-threshold 100", "CONFIG GET latency-monitor-threshold",
			"CONFIG SET protected-mode no", "CONFIG SET protected-mode maybe", "CONFIG SET port abc",
			"CONFIG SET databases 4", "CONFIG SET daemonize yes", "CONFIG SET requirepass pw", "PING",
			"CONFIG SET requirepass \"\"", "CONFIG SET TIMEOUT 9", "CONFIG GET timeout",
			"CONFIG SET maxclients 0", "CONFIG SET tcp-keepalive -5", "CONFIG SET always-show-logo yes",
		)},
		{name: "config-misc", steps: steps(
			"CONFIG RESETSTAT", "CONFIG RESETSTAT x", "CONFIG REWRITE", "CONFIG HELP", "CONFIG",
			"CONFIG GET", "CONFIG SET", "CONFIG SET timeout",
		)},
		{name: "info", steps: steps(
			"SET a 1", "SET b 2 EX 100", "GET a", "GET nosuch", "NOSUCH", "INCR a x", "INFO keyspace",
			"INFO server", "INFO clients", "INFO memory", "INFO persistence", "INFO stats", "INFO replication",
			"INFO cpu", "INFO modules", "INFO errorstats", "INFO cluster", "INFO commandstats", "INFO bogus",
			"INFO", "INFO default", "INFO all", "INFO everything", "INFO server clients", "INFO KEYSPACE",
			"INFO keyspace keyspace", "INFO latencystats",
		)},
		{name: "time-lastsave", steps: steps("TIME", "TIME x", "LASTSAVE", "LASTSAVE x")},
		// A primary with no replicas: WAIT answers 0, at once or after its
		// timeout, and ROLE says so.
		{name: "wait-and-role", steps: steps(
			"WAIT 0 0", "WAIT -1 0", "WAIT 1 50", "WAIT 0 9223372036854775807", "WAIT x 0", "WAIT 0 x", "WAIT 1 1.5",
			"WAIT 0 -1", "WAIT 99999999999999999999 0", "WAIT 1", "MULTI", "WAIT 5 0", "EXEC",
			`EVAL "return redis.pcall('WAIT', 0, 0)" 0`, `EVAL "return redis.pcall('ROLE')" 0`,
			"ROLE", "ROLE x", "COMMAND INFO wait role", "COMMAND DOCS wait role",
		)},
		// Redis 7.0 puts no upper bound on a blocking timeout.
		{name: "huge-blocking-timeouts", steps: steps(
			"RPUSH l a", "BLPOP l 9223372036854775", "BLPOP l 9223372036854776", "XADD s 1-1 a b",
			"XREAD BLOCK 9223372036854775807 STREAMS s 0",
		)},
		{name: "command", steps: steps(
			"COMMAND INFO get", "COMMAND INFO set mset getex object|encoding", "COMMAND INFO nosuch get",
			"COMMAND INFO config", "COMMAND INFO CONFIG|GET", "COMMAND INFO client|kill", "COMMAND INFO GET",
			"COMMAND INFO exec watch", "COMMAND INFO scan randomkey keys", "COMMAND INFO copy move swapdb",
			"COMMAND GETKEYS set a b", "COMMAND GETKEYS mset a 1 b 2", "COMMAND GETKEYS get",
			"COMMAND GETKEYS nosuch a", "COMMAND GETKEYS ping", "COMMAND GETKEYS lcs a b", "COMMAND GETKEYS mset a",
			"COMMAND GETKEYS object encoding k", "COMMAND GETKEYS memory usage k", "COMMAND GETKEYS copy a b db 1",
			"COMMAND GETKEYSANDFLAGS set a b", "COMMAND GETKEYSANDFLAGS getdel a", "COMMAND GETKEYSANDFLAGS mget a b",
			"COMMAND GETKEYSANDFLAGS rename a b", "COMMAND GETKEYSANDFLAGS copy a b", "COMMAND GETKEYSANDFLAGS move a 1",
			// A shard channel has a key spec, but it is not a key.
			"COMMAND GETKEYS SPUBLISH ch msg", "COMMAND GETKEYS SSUBSCRIBE c", "COMMAND GETKEYSANDFLAGS SUNSUBSCRIBE c",
			"COMMAND GETKEYS PUBLISH ch msg",
			"COMMAND DOCS get", "COMMAND DOCS set", "COMMAND DOCS config|get", "COMMAND DOCS nosuch",
			"COMMAND LIST FILTERBY ACLCAT string", "COMMAND LIST FILTERBY PATTERN getr*",
			"COMMAND LIST FILTERBY ACLCAT transaction", "COMMAND LIST FILTERBY BOGUS x", "COMMAND LIST FILTERBY",
			"COMMAND LIST FILTERBY MODULE nosuch", "COMMAND HELP",
		)},
		{name: "slowlog", steps: steps(
			"SLOWLOG LEN", "SLOWLOG GET", "CONFIG SET slowlog-log-slower-than 0", "SET a 1", "GET a",
			"CLIENT SETNAME me", "SLOWLOG LEN", "SLOWLOG GET 2", "SLOWLOG GET", "SLOWLOG GET -1", "SLOWLOG GET 0",
			"SLOWLOG GET abc", "SLOWLOG GET -2", "SLOWLOG RESET", "SLOWLOG LEN", "CONFIG SET slowlog-max-len 2",
			"PING", "PING", "PING", "SLOWLOG GET", "SLOWLOG RESET x", "SLOWLOG HELP",
		)},
		{name: "latency", steps: steps(
			"LATENCY LATEST", "LATENCY HISTORY command", "LATENCY RESET", "LATENCY RESET command nosuch",
			"LATENCY DOCTOR", "LATENCY GRAPH command", "LATENCY GRAPH nosuch", "SET a 1", "GET a", "GET a",
			"LATENCY HISTOGRAM get set", "LATENCY HISTOGRAM nosuch", "LATENCY HISTOGRAM",
			"CONFIG SET latency-monitor-threshold 100", "LATENCY HELP",
		)},
		{name: "memory", steps: steps(
			"SET k v", "MEMORY USAGE k", "MEMORY USAGE missing", "MEMORY USAGE k SAMPLES 5", "MEMORY USAGE k SAMPLES",
			"MEMORY USAGE k SAMPLES abc", "MEMORY USAGE k BOGUS", "MEMORY DOCTOR", "MEMORY STATS",
			"MEMORY MALLOC-STATS", "MEMORY PURGE", "MEMORY HELP", "MEMORY USAGE k SAMPLES 0",
		)},
		{name: "debug-disabled", steps: steps("DEBUG", "DEBUG SLEEP 0", "DEBUG OBJECT k", "DEBUG bogus")},
		{name: "debug-enabled", args: []string{"--enable-debug-command", "yes"}, steps: steps(
			"DEBUG SLEEP 0", "DEBUG SET-ACTIVE-EXPIRE 0", "SET k v PX 10", "!sleep 200", "DBSIZE",
			"DEBUG SET-ACTIVE-EXPIRE 1", "DEBUG bogus", "DEBUG JMAP",
			"CONFIG SET latency-monitor-threshold 20", "DEBUG SLEEP 0.1", "LATENCY LATEST", "LATENCY HISTORY command",
			"LATENCY RESET", "LATENCY LATEST",
		)},
		{name: "shutdown-errors", steps: steps("SHUTDOWN BOGUS", "SHUTDOWN NOSAVE SAVE", "SHUTDOWN ABORT")},
	})
}

// TestDiffShutdown compares SHUTDOWN: both servers reply nothing, close
// the connection and exit.
func TestDiffShutdown(t *testing.T) {
	for _, variant := range [][]string{{"SHUTDOWN"}, {"SHUTDOWN", "NOSAVE"}, {"SHUTDOWN", "NOW", "NOSAVE", "FORCE"}} {
		t.Run(variant[len(variant)-1], func(t *testing.T) {
			p := startPair(t)
			for _, srv := range []*harness.Server{p.redis, p.petrel} {
				srv.ExpectExit()
				c := srv.Dial(t)
				reply, err := c.Roundtrip(harness.Encode(variant...))
				if err == nil || !harness.IsClosed(err) || len(reply) != 0 {
					t.Errorf("%s: %q replied %q, %v; want the connection closed without a reply", srv.Name, variant, reply, err)
				}
				if !srv.WaitExit(10 * time.Second) {
					t.Errorf("%s: still running 10s after %q", srv.Name, variant)
				}
			}
		})
	}
}
