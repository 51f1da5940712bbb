package integration

import (
	"strings"
	"testing"
)

// TestDiffKeys compares the generic keyspace commands.
func TestDiffKeys(t *testing.T) {
	runSequences(t, []sequence{
		{name: "del-unlink-exists-type", steps: steps(
			"MSET a 1 b 2", "EXISTS a b c a", "EXISTS c", "DEL a c", "DEL a", "DEL", "UNLINK b a", "UNLINK",
			"EXISTS a b", "TYPE a", "SET a 1", "TYPE a", "TYPE", "TYPE a b", "MSET x 1 y 2 z 3", "DEL x y z x",
			"EXISTS", "DBSIZE",
		)},
		{name: "rename-renamenx", steps: steps(
			"SET a 1", "RENAME a b", "GET a", "GET b", "RENAME missing x", "RENAME b b", "RENAME missing missing",
			"RENAMENX b c", "SET d 1", "RENAMENX c d", "RENAMENX c c", "RENAMENX missing z", "MGET b c d",
			"SET t v EX 100", "RENAME t t2", "TTL t2", "EXISTS t", "SET u v", "RENAME t2 u", "TTL u",
			"RENAME a", "RENAMENX a", "RENAME a b c",
		)},
		{name: "copy", steps: steps(
			"SET a 1", "COPY a b", "COPY a b", "SET a 2", "COPY a b REPLACE", "GET b", "COPY a a", "COPY a c DB 1",
			"COPY a c DB 16", "COPY a c DB -1", "COPY a c DB abc", "COPY missing x", "COPY a b BOGUS",
			"COPY a b DB", "COPY a a DB 1", "COPY a a DB 0", "COPY a b replace replace", "COPY a b DB 1 REPLACE",
			"SELECT 1", "MGET a b c", "SELECT 0", "SET t v EX 100", "COPY t t2", "TTL t2", "COPY a",
			"SET n 123", "COPY n n2", "OBJECT ENCODING n2",
		)},
		{name: "move", steps: steps(
			"SET a 1", "MOVE a 1", "MOVE a 1", "EXISTS a", "SELECT 1", "GET a", "MOVE a 0", "SELECT 0", "GET a",
			"SET a x", "SELECT 1", "SET a y", "MOVE a 0", "GET a", "MOVE a 1", "MOVE a 16", "MOVE a -1",
			"MOVE a abc", "MOVE missing 2", "SET t v PX 100000", "MOVE t 2", "SELECT 2", "PTTL t", "MOVE a",
		)},
		{name: "keys-patterns", steps: steps(
			`MSET user:1 a user:2 b user:10 c other d "a*b" e "a?b" f "[x]" g "h\\i" h ab i`,
			"KEYS *", "KEYS user:*", "KEYS user:?", "KEYS user:[12]", "KEYS user:[^1]*", "KEYS user:[!1]*",
			"KEYS *[0-9]", `KEYS "a\*b"`, `KEYS "a\?b"`, `KEYS "\[x\]"`, `KEYS "h\\\\i"`, "KEYS nomatch",
			"KEYS a*", "KEYS ?", "KEYS ??", "KEYS *:*", "KEYS [", "KEYS [a-", "KEYS user:[2-1]", `KEYS "*\\"`,
			"KEYS", "KEYS a b", "SELECT 1", "KEYS *",
		)},
		{name: "scan", steps: steps(
			"SCAN 0", "MSET user:1 a user:2 b user:10 c other d", "SCAN 0 COUNT 1000",
			"SCAN 0 MATCH user:* COUNT 1000", "SCAN 0 MATCH nomatch COUNT 1000", "SCAN 0 TYPE string COUNT 1000",
			"SCAN 0 TYPE list COUNT 1000", "SCAN 0 TYPE bogus COUNT 1000", "SCAN abc", "SCAN 1.5",
			"SCAN 18446744073709551616", "SCAN -18446744073709551616", "SCAN 0x10", "SCAN 0 COUNT 0", "SCAN 0 COUNT -1",
			"SCAN 0 COUNT abc", "SCAN 0 MATCH", "SCAN 0 BOGUS x", "SCAN 0 COUNT", "SCAN", "SCAN 0 match user:1 count 5",
		)},
		{name: "randomkey-touch", steps: steps(
			"RANDOMKEY", "SET a 1", "RANDOMKEY", "RANDOMKEY x", "MSET b 2 c 3", "RANDOMKEY",
			"TOUCH a b nosuch a", "TOUCH nosuch", "TOUCH", "DEL a b c", "RANDOMKEY",
		)},
		{name: "object", steps: steps(
			"SET i 12345", "OBJECT ENCODING i", "SET e short", "OBJECT ENCODING e",
			"SET r "+strings.Repeat("r", 44), "OBJECT ENCODING r", "SET r2 "+strings.Repeat("r", 45), "OBJECT ENCODING r2",
			"SET bigint 12345678901234567890", "OBJECT ENCODING bigint", "SET neg -1", "OBJECT ENCODING neg",
			"SET maxint 9223372036854775807", "OBJECT ENCODING maxint", "SET sp \" 1\"", "OBJECT ENCODING sp",
			"SET lz 01", "OBJECT ENCODING lz", "SET z 0", "OBJECT ENCODING z", "APPEND e x", "OBJECT ENCODING e",
			"INCR i", "OBJECT ENCODING i", "SETRANGE e 0 y", "OBJECT ENCODING e", "SET f 1.5", "OBJECT ENCODING f",
			"INCRBYFLOAT g 1.5", "OBJECT ENCODING g", "OBJECT ENCODING missing",
			"OBJECT REFCOUNT i", "OBJECT REFCOUNT z", "SET small 9999", "OBJECT REFCOUNT small", "SET notshared 10000",
			"OBJECT REFCOUNT notshared", "OBJECT REFCOUNT e", "OBJECT REFCOUNT missing",
			"OBJECT IDLETIME e", "OBJECT IDLETIME missing", "OBJECT FREQ e", "OBJECT FREQ missing",
			"OBJECT HELP", "OBJECT", "OBJECT BOGUS", "OBJECT ENCODING", "OBJECT ENCODING a b", "OBJECT help x",
			"GETRANGE e 0 -1", "OBJECT ENCODING e",
		)},
		{name: "object-freq-lfu", args: []string{"--maxmemory-policy", "allkeys-lfu"}, steps: steps(
			"!midminute", "SET k v", "OBJECT FREQ k", "OBJECT IDLETIME k", "OBJECT FREQ missing", "SET i 5", "OBJECT REFCOUNT i",
			"OBJECT ENCODING i",
		)},
		{name: "dbsize-swapdb-flush", steps: steps(
			"DBSIZE", "SELECT 1", "SET a 1", "DBSIZE", "SELECT 0", "DBSIZE", "SWAPDB 0 1", "DBSIZE", "GET a",
			"SWAPDB 0 16", "SWAPDB a b", "SWAPDB 0 b", "SWAPDB -1 0", "SWAPDB 0 0", "SWAPDB 1 0", "DBSIZE",
			"@2 SELECT 1", "@2 GET a", "SWAPDB 0 1", "@2 GET a", "SWAPDB",
			"MSET x 1 y 2", "FLUSHDB", "DBSIZE", "SET x 1", "FLUSHDB ASYNC", "SET x 1", "FLUSHDB SYNC",
			"FLUSHDB BOGUS", "FLUSHDB SYNC ASYNC", "DBSIZE", "SET x 1", "SELECT 1", "SET y 1",
			"FLUSHALL", "DBSIZE", "SELECT 0", "DBSIZE", "FLUSHALL SYNC", "FLUSHALL ASYNC", "FLUSHALL BOGUS",
			"DBSIZE x",
		)},
	})
}
