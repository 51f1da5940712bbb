package integration

import "testing"

// TestDiffTransactions compares MULTI/EXEC/DISCARD/WATCH, queuing errors
// (EXECABORT), runtime errors inside EXEC and optimistic locking across
// connections.
func TestDiffTransactions(t *testing.T) {
	runSequences(t, []sequence{
		{name: "multi-exec-discard", steps: steps(
			"MULTI", "SET a 1", "INCR a", "GET a", "PING", "ECHO x", "EXEC", "EXEC", "DISCARD",
			"MULTI", "MULTI", "DISCARD", "MULTI", "EXEC", "MULTI", "SET a 5", "DISCARD", "GET a",
			"MULTI x", "EXEC x", "DISCARD x", "MULTI", "EXEC x", "DISCARD",
		)},
		{name: "execabort-on-queuing-errors", steps: steps(
			"MULTI", "SET a", "NOSUCHCMD", "SET a 1", "EXEC", "GET a",
			"MULTI", "SET a 1", "GET", "EXEC", "EXEC", "GET a",
			"MULTI", "SET b 1", "NOSUCH x y", "DISCARD", "GET b",
			"MULTI", "CONFIG", "EXEC", "MULTI", "OBJECT BOGUS", "EXEC",
		)},
		{name: "runtime-errors-inside-exec", steps: steps(
			"SET s str", "MULTI", "INCR s", "SET b 2", "SET c 3 BOGUS", "EXPIRE c abc", "GET b", "EXEC", "MGET s b c",
			"MULTI", "RENAME missing x", "SELECT 99", "INCRBYFLOAT s 1", "EXEC",
		)},
		{name: "commands-not-allowed-in-multi", steps: steps(
			"MULTI", "WATCH a", "MULTI", "EXEC", "MULTI", "UNWATCH", "EXEC",
			"MULTI", "MONITOR", "EXEC", "MULTI", "SHUTDOWN", "EXEC",
		)},
		{name: "select-and-reply-types-inside-multi", steps: steps(
			"MULTI", "SELECT 1", "SET a 1", "GET a", "GET missing", "MGET a missing", "HELLO", "EXEC", "GET a",
			"SELECT 0", "GET a", "MULTI", "INCRBYFLOAT f 1.5", "SET t v EX 100", "TTL t", "TYPE t",
			"OBJECT ENCODING t", "EXISTS t", "EXEC",
		)},
		{name: "watch-aborts-on-other-connection-write", steps: steps(
			"SET a 0", "WATCH a", "@2 SET a 1", "MULTI", "SET a 2", "EXEC", "GET a",
			"WATCH a", "MULTI", "SET a 3", "EXEC", "GET a",
			"WATCH a", "@2 GET a", "MULTI", "INCR a", "EXEC",
			"WATCH a b", "@2 SET b x", "MULTI", "SET a 10", "EXEC", "GET a",
		)},
		{name: "watch-missing-key", steps: steps(
			"WATCH m", "@2 SET m 1", "MULTI", "GET m", "EXEC",
			"WATCH n", "@2 DEL n", "MULTI", "GET n", "EXEC",
			"WATCH n", "@2 SET n x", "@2 DEL n", "MULTI", "GET n", "EXEC",
		)},
		{name: "watch-own-write-and-unwatch", steps: steps(
			"SET a 0", "WATCH a", "SET a 1", "MULTI", "GET a", "EXEC",
			"WATCH a", "UNWATCH", "@2 SET a 2", "MULTI", "GET a", "EXEC",
			"WATCH a", "MULTI", "DISCARD", "@2 SET a 3", "MULTI", "GET a", "EXEC",
			"WATCH a", "MULTI", "SET a", "EXEC", "@2 SET a 4", "MULTI", "GET a", "EXEC",
			"UNWATCH x", "WATCH",
		)},
		{name: "watch-expire-flush-swapdb", steps: steps(
			"SET a 0", "WATCH a", "@2 EXPIRE a 100", "MULTI", "GET a", "EXEC",
			"WATCH a", "@2 PERSIST a", "MULTI", "GET a", "EXEC",
			"WATCH a", "@2 FLUSHALL", "MULTI", "GET a", "EXEC",
			"SET a 1", "WATCH a", "@2 FLUSHDB", "MULTI", "GET a", "EXEC",
			"WATCH a", "@2 FLUSHDB", "MULTI", "GET a", "EXEC",
			"SET a 1", "WATCH a", "@2 SWAPDB 0 1", "MULTI", "GET a", "EXEC",
			"SET b 1", "WATCH b", "@2 SELECT 1", "@2 SET b 2", "MULTI", "GET b", "EXEC",
			"SET c 1", "WATCH c", "@2 SELECT 0", "@2 RENAME c d", "MULTI", "GET c", "EXEC",
			"SET e 1", "WATCH e", "@2 MOVE e 3", "MULTI", "GET e", "EXEC",
			"SET f 1", "WATCH f", "@2 GETDEL f", "MULTI", "GET f", "EXEC",
			"SET g 1", "WATCH g", "@2 COPY f g", "@2 SET h 1", "@2 COPY h g REPLACE", "MULTI", "GET g", "EXEC",
		)},
		{name: "watch-key-that-expires", steps: steps(
			"SET k v PX 100", "WATCH k", "!sleep 300", "MULTI", "GET k", "EXEC",
			"SET j v PX 100", "!sleep 300", "WATCH j", "MULTI", "GET j", "EXEC",
		)},
		{name: "watch-in-other-db", steps: steps(
			"SELECT 1", "SET a 1", "WATCH a", "@2 SET a 2", "MULTI", "GET a", "EXEC",
			"WATCH a", "@2 SELECT 1", "@2 SET a 2", "MULTI", "GET a", "EXEC",
		)},
		{name: "quit-and-reset-in-multi", steps: steps(
			"MULTI", "SET a 1", "RESET", "EXEC", "GET a", "MULTI", "SET a 1", "QUIT", "!state", "@2 GET a",
		)},
	})
}
