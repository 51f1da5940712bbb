package integration

import "testing"

// TestDiffExpiry compares setting, reading and removing TTLs, and keys
// actually expiring.
func TestDiffExpiry(t *testing.T) {
	runSequences(t, []sequence{
		{name: "expire-ttl-persist", steps: steps(
			"SET k v", "TTL k", "PTTL k", "TTL missing", "PTTL missing", "EXPIRETIME k", "EXPIRETIME missing",
			"PEXPIRETIME k", "PEXPIRETIME missing", "EXPIRE k 100", "TTL k", "PTTL k", "EXPIRE missing 100",
			"PEXPIRE k 100000", "TTL k", "EXPIREAT k "+farFuture, "EXPIRETIME k", "PEXPIRETIME k",
			"PEXPIREAT k "+farFuture+"123", "PEXPIRETIME k", "EXPIRETIME k", "PERSIST k", "PERSIST k",
			"PERSIST missing", "TTL k", "EXPIRE k", "PERSIST", "TTL", "PTTL a b", "EXPIRETIME", "PERSIST a b",
		)},
		{name: "expire-options", steps: steps(
			"SET k v", "EXPIRE k 100 XX", "EXPIRE k 100 GT", "EXPIRE k 100 LT", "TTL k", "PERSIST k",
			"EXPIRE k 100 NX", "EXPIRE k 200 NX", "EXPIRE k 200 XX", "TTL k", "EXPIRE k 100 GT", "EXPIRE k 300 GT",
			"TTL k", "EXPIRE k 400 LT", "EXPIRE k 50 LT", "TTL k", "EXPIRE k 10 NX XX", "EXPIRE k 10 GT LT",
			"EXPIRE k 10 NX GT", "EXPIRE k 10 XX GT", "EXPIRE k 10 BOGUS", "EXPIRE k 10 nx", "EXPIRE k 10 xx lt",
			"TTL k", "PEXPIRE k 5000 GT", "PEXPIRE k 500000 gt", "PTTL k", "EXPIREAT k "+farFuture+" LT",
			"EXPIREAT k "+farFuture+" GT", "EXPIRETIME k", "PEXPIREAT k 1 NX", "EXPIRE missing 10 XX",
			"EXPIRE missing 10 NX", "EXPIRE k 10 GT GT", "EXPIRE k 10 XX XX",
		)},
		{name: "expire-errors-and-deletion", steps: steps(
			"SET k v", "EXPIRE k abc", "EXPIRE k 1.5", `EXPIRE k ""`, "EXPIRE k 9223372036854775807",
			"EXPIRE k 9223372036854775", "EXPIRE k 9223372036854776", "PEXPIRE k 9223372036854775807",
			"PEXPIRE k 9223372036854775000", "EXPIREAT k 9223372036854775807", "PEXPIREAT k 9223372036854775807",
			"EXPIRE k -9223372036854775808", "TTL k", "EXPIRE k -1", "GET k", "EXISTS k",
			"SET k v", "EXPIRE k 0", "EXISTS k", "SET k v", "PEXPIRE k -5", "EXISTS k", "SET k v",
			"PEXPIREAT k 1", "EXISTS k", "SET k v", "EXPIREAT k 1", "EXISTS k", "SET k v", "EXPIREAT k 0 NX",
			"EXISTS k", "SET k v", "EXPIRE k -1 GT", "EXISTS k", "EXPIRE k -1 LT", "EXISTS k",
		)},
		{name: "keys-expire", steps: steps(
			"SET k v PX 100", "SET k2 v EX 1", "SET k3 v", "PEXPIRE k3 150", "SET k4 v PX 200", "PERSIST k4",
			"MSET l1 v l2 v", "PEXPIRE l1 100",
			"!sleep 400", "GET k", "EXISTS k", "TTL k", "PTTL k3", "EXISTS k3", "GET k4", "TTL k4", "MGET l1 l2",
			"GET k2", "!sleep 1000", "GET k2", "TTL k2", "EXISTS k2 k3", "DBSIZE", "KEYS *",
			"SET k v PX 100", "!sleep 300", "SET k v2 NX", "GET k", "SET e v PX 100", "!sleep 300", "INCR e",
			"SET a v PX 100", "!sleep 300", "APPEND a x", "GET a", "SET r v PX 100", "!sleep 300", "RENAME r r2",
			"SET g v PX 100", "!sleep 300", "GETSET g w", "SET x v PX 100", "!sleep 300", "EXPIRE x 100",
			"SET y v PX 100", "!sleep 300", "PERSIST y", "SET c v PX 100", "!sleep 300", "COPY c c2", "EXISTS c2",
		)},
		{name: "ttl-kept-or-cleared", steps: steps(
			"SET k v EX 100", "SET k v2 KEEPTTL", "TTL k", "SET k v3", "TTL k", "SET k v EX 100", "GETSET k v",
			"TTL k", "SET k 1 EX 100", "INCR k", "TTL k", "INCRBYFLOAT k 1.5", "TTL k", "APPEND k x", "TTL k",
			"SETRANGE k 0 y", "TTL k", "MSET k v", "TTL k", "SET k v EX 100", "SETNX k w", "TTL k",
			"SET k v EX 100", "GETDEL k", "SET k v", "TTL k", "SET k v EX 100", "SET k v XX", "TTL k",
			"SET k v EX 100", "SET k v XX KEEPTTL", "TTL k", "SET k v EX 100", "SETEX k 200 w", "TTL k",
		)},
		{name: "expiry-and-active-expire", steps: steps(
			"SET a v PX 100", "SET b v PX 100", "SET c v PX 100", "SET d v", "!sleep 1500", "DBSIZE",
			"INFO keyspace", "GET a", "DBSIZE",
		)},
	})
}
