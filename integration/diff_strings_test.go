package integration

import (
	"strings"
	"testing"
)

// farFuture is an absolute expiry (2100-01-01) used with EXAT/PXAT, so
// EXPIRETIME replies are exact on both servers.
const farFuture = "4102444800"

// TestDiffStrings compares the string commands, their options and errors.
func TestDiffStrings(t *testing.T) {
	big := strings.Repeat("x", 100_000)
	runSequences(t, []sequence{
		{name: "get-set", steps: steps(
			"GET k", "SET k v", "GET k", `SET k ""`, "GET k", `SET "" empty-key`, `GET ""`,
			`SET bin "\x00\x01\xff\r\n"`, "GET bin", "SET k v extra", "SET", "SET k", "GET", "GET a b",
			cmd("SET", "big", big), cmd("GET", "big"), "STRLEN big",
			"SET n 123", "GET n", "SET n -0", "GET n", "SET n 007", "GET n",
			"SET k1 v1", "set K1 upper", "GET k1", "GET K1",
		)},
		{name: "set-nx-xx-get", steps: steps(
			"SET k v NX", "SET k v2 NX", "GET k", "SET k v3 XX", "GET k", "SET missing v XX", "EXISTS missing",
			"SET k v NX XX", "SET k v XX NX", "SET k v nx", "SET k v4 xx", "SET k v5 GET", "SET new v GET",
			"SET k v6 NX GET", "SET k2 v NX GET", "SET k v7 XX GET", "SET k v GET GET", "SET k v NX NX",
			"SET k v BOGUS", "SET k v EX", "GET k",
		)},
		{name: "set-expiry-options", steps: steps(
			"SET k v EX 100", "TTL k", "PTTL k", "SET k v PX 100000", "TTL k", "SET k v EXAT "+farFuture,
			"EXPIRETIME k", "SET k v PXAT "+farFuture+"123", "PEXPIRETIME k", "SET k v2 KEEPTTL", "PEXPIRETIME k",
			"GET k", "SET k v3", "TTL k",
			"SET k v EX 0", "SET k v EX -1", "SET k v PX 0", "SET k v PX -100", "SET k v EXAT 0", "SET k v PXAT 0",
			"SET k v EX abc", "SET k v EX 1.5", `SET k v EX ""`, "SET k v EX 9223372036854775807",
			"SET k v PX 9223372036854775807", "SET k v EX 9223372036854775808", "SET k v EX 4611686018427387904",
			"SET k v EXAT 9223372036854775807", "SET k v PXAT 9223372036854775807",
			"SET k v EX 100 PX 100", "SET k v EX 100 KEEPTTL", "SET k v KEEPTTL PX 5", "SET k v EX 10 EX 20",
			"SET k v KEEPTTL KEEPTTL", "SET k v ex 100 nx", "SET k v px 100000 xx get", "TTL k",
			"SET past v EXAT 1", "GET past", "EXISTS past", "SET past v PXAT 1", "GET past",
			"SET k v KEEPTTL", "TTL k", "SET k v EX 100 GET", "TTL k",
		)},
		{name: "setnx-setex-psetex", steps: steps(
			"SETNX k v", "SETNX k v2", "GET k", "SETNX k", "SETNX k v x",
			"SETEX k 100 v", "TTL k", "GET k", "SETEX k 0 v", "SETEX k -5 v", "SETEX k abc v", "SETEX k 1.5 v",
			"SETEX k 9223372036854775807 v", "SETEX k 100", "GET k",
			"PSETEX p 100000 v", "PTTL p", "PSETEX p 0 v", "PSETEX p -1 v", "PSETEX p abc v",
			"PSETEX p 9223372036854775807 v", "GET p",
		)},
		{name: "mget-mset-msetnx", steps: steps(
			"MSET a 1 b 2 c 3", "MGET a b c nosuch", "MGET nosuch", "MSET a", "MSET a 1 b", "MSET",
			"MSET a x a y", "GET a", "MSETNX x 1 y 2", "MSETNX x 1 z 3", "MGET x y z", "MSETNX a",
			"MSETNX a 1 b", "MSETNX z 1 z 2", "GET z", "MGET", `MGET a "" b`,
		)},
		{name: "getset-getdel-getex", steps: steps(
			"GETSET k v", "GETSET k v2", "GET k", "GETSET k", "SET t v EX 100", "GETSET t w", "TTL t",
			"GETDEL k", "GETDEL k", "EXISTS k", "GETDEL", "GETDEL a b",
			"GETEX missing", "GETEX missing EX 10", "SET k v", "GETEX k", "GETEX k EX 100", "TTL k",
			"GETEX k PX 50000", "PTTL k", "GETEX k PERSIST", "TTL k", "GETEX k EXAT "+farFuture, "EXPIRETIME k",
			"GETEX k PXAT "+farFuture+"500", "PEXPIRETIME k", "GETEX k EX 0", "GETEX k EX -1", "GETEX k PX 0",
			"GETEX k EX", "GETEX k BOGUS", "GETEX k EX 10 PX 10", "GETEX k PERSIST EX 10", "GETEX k EX abc",
			"GETEX k EX 9223372036854775807", "GETEX k persist persist", "GETEX k ex 100 ex 200", "TTL k",
			"GETEX k EXAT 1", "GET k", "GETEX",
		)},
		{name: "append-strlen", steps: steps(
			"APPEND k abc", "APPEND k def", "GET k", "STRLEN k", "STRLEN missing", `APPEND k ""`, "STRLEN k",
			"SET n 10", "APPEND n 5", "GET n", "OBJECT ENCODING n", "APPEND", "APPEND k", "STRLEN",
			"SET t v EX 100", "APPEND t w", "TTL t", `APPEND bin "\x00\xff"`, "STRLEN bin",
			"SET i 12345", "STRLEN i", "SET neg -12", "STRLEN neg",
		)},
		{name: "incr-decr", steps: steps(
			"INCR n", "INCR n", "INCRBY n 10", "DECR n", "DECRBY n -5", "DECRBY n 5", "GET n", "OBJECT ENCODING n",
			"INCRBY n abc", "INCRBY n 1.5", `INCRBY n ""`, "INCRBY n 9223372036854775808", "INCR", "INCR a b",
			"INCRBY n", "SET s hello", "INCR s", "DECR s", "INCRBY s 1",
			"SET big 9223372036854775807", "INCR big", "INCRBY big 1", "DECR big", "GET big",
			"SET small -9223372036854775808", "DECR small", "DECRBY small 1", "INCRBY small -1", "INCR small",
			"DECRBY n -9223372036854775808", "INCRBY n -9223372036854775808", "GET n",
			"SET sp \" 1\"", "INCR sp", "SET sp \"1 \"", "INCR sp", "SET lz 01", "INCR lz", "SET pl +1", "INCR pl",
			"SET mz -0", "INCR mz", "SET hex 0x10", "INCR hex", "SET e 1e3", "INCR e",
			"SET t 5 EX 100", "INCR t", "TTL t", "SET long 12345678901234567890", "INCR long",
			"INCRBY fresh -7", "DECRBY fresh2 -7", "MGET fresh fresh2",
		)},
		{name: "incrbyfloat", steps: steps(
			"INCRBYFLOAT f 1.5", "INCRBYFLOAT f 0.1", "INCRBYFLOAT f 0.2", "INCRBYFLOAT f 5.0e3",
			"INCRBYFLOAT f -5000", "GET f", "INCRBYFLOAT g 0.1", "INCRBYFLOAT g 0.2", "GET g",
			"INCRBYFLOAT f abc", `INCRBYFLOAT f ""`, "INCRBYFLOAT f inf", "INCRBYFLOAT f -inf", "INCRBYFLOAT f nan",
			"INCRBYFLOAT f 1e400", "SET h 1e308", "INCRBYFLOAT h 1e308", "GET h",
			"SET i 3.0", "INCRBYFLOAT i 1", "SET j \" 1\"", "INCRBYFLOAT j 1", "INCRBYFLOAT j1 \" 1\"",
			"INCRBYFLOAT k 0x10", "INCRBYFLOAT l 1.1e-10", "INCRBYFLOAT l 10.50", "INCRBYFLOAT m 3.0e3",
			"INCRBYFLOAT n 1 ", "INCRBYFLOAT o \"1 \"", "INCRBYFLOAT p 1.", "INCRBYFLOAT q .5",
			"INCRBYFLOAT r 1e-320", "INCRBYFLOAT s 123456789012345678901234567890", "INCRBYFLOAT t -0.0",
			"INCRBYFLOAT u 1.23456789012345678", "INCRBYFLOAT v 100", "OBJECT ENCODING v",
			"SET w notafloat", "INCRBYFLOAT w 1", "SET x 10 EX 100", "INCRBYFLOAT x 1", "TTL x",
			"INCRBYFLOAT", "INCRBYFLOAT a", "INCRBYFLOAT y 2.5e+2", "INCRBYFLOAT z 1E2",
		)},
		{name: "getrange-setrange-substr", steps: steps(
			`SET s "Hello World"`, "GETRANGE s 0 4", "GETRANGE s -5 -1", "GETRANGE s 5 2", "GETRANGE s 0 -100",
			"GETRANGE s -100 -50", "GETRANGE s 100 200", "GETRANGE s 0 -1", "GETRANGE s 3 3", "GETRANGE s -1 -1",
			"GETRANGE missing 0 -1", "GETRANGE s a b", "GETRANGE s 0", "GETRANGE s 0 9223372036854775807",
			"GETRANGE s -9223372036854775808 9223372036854775807", "GETRANGE s 0 1.5",
			"SUBSTR s 0 4", "SUBSTR s -3 -1", "SUBSTR missing 0 1", "SUBSTR s 0",
			"SET n 12345", "GETRANGE n 1 3", "GETRANGE n -2 -1",
			"SETRANGE s 6 Redis", "GET s", "SETRANGE new 5 abc", "GET new", "STRLEN new",
			"SETRANGE s -1 x", "SETRANGE s 536870912 x", "SETRANGE s abc x",
			`SETRANGE missing 10 ""`, "EXISTS missing", `SETRANGE s 0 ""`, `SETRANGE s 100 ""`, "STRLEN s",
			"SETRANGE n 0 9", "GET n", "OBJECT ENCODING n", "SET t v EX 100", "SETRANGE t 0 w", "TTL t",
			"SETRANGE s 0", "SETRANGE", `SET e ""`, "GETRANGE e 0 -1", "GETRANGE e 0 0",
		)},
		{name: "lcs", steps: steps(
			"MSET a ohmytext b mynewtext", "LCS a b", "LCS a b LEN", "LCS a b IDX", "LCS a b IDX MINMATCHLEN 4",
			"LCS a b IDX WITHMATCHLEN", "LCS a b IDX MINMATCHLEN 4 WITHMATCHLEN", "LCS a b LEN IDX",
			"LCS a missing", "LCS missing missing2", "LCS missing a LEN", "LCS a b MINMATCHLEN -1",
			"LCS a b IDX MINMATCHLEN abc", "LCS a b BOGUS", "LCS a", "LCS a b MINMATCHLEN",
			"MSET c 1234 d 2341", "LCS c d IDX", "LCS a a", "LCS a a IDX WITHMATCHLEN",
			`MSET e "" f abc`, "LCS e f", "LCS e f IDX", "LCS a b idx len",
		)},
	})
}
