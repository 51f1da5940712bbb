package integration

import (
	"strconv"
	"testing"
)

// SORT and SORT_RO on lists, sets and sorted sets: options and errors,
// numeric weights, BY and GET patterns with string keys and hash fields,
// ALPHA ordering, STORE, and the side effect on compact sorted sets.
//
// Numeric weights that overflow or underflow come last in a sequence:
// Redis 7.0 tests strtod's errno without clearing it first, so a stale
// ERANGE may fail the next numeric SORT on the reference server, depending
// on what else its thread did in between.

func TestDiffSort(t *testing.T) {
	var many []string
	for i := 0; i < 300; i++ {
		many = append(many, strconv.Itoa((i*37)%300))
	}
	runSequences(t, []sequence{
		{name: "options", steps: steps(
			"RPUSH l 3 1 2", "SET str x", "SORT l", "SORT l ASC", "SORT l DESC", "SORT l asc desc", "SORT l desc asc",
			"SORT l LIMIT 0", "SORT l LIMIT x 1", "SORT l LIMIT 0 x", "SORT l LIMIT 1.5 1", "SORT l FOO", "SORT l STORE",
			"SORT_RO l STORE d", "SORT_RO l", "SORT_RO l DESC LIMIT 0 1", "SORT l BY", "SORT l GET", "SORT str",
			"SORT str FOO", "SORT str LIMIT 0 x", "SORT_RO str", "SORT nokey", "SORT nokey STORE d",
			"SORT nokey BY w:* GET #", "SORT l LIMIT 2 9223372036854775807", "SORT l LIMIT 1 9223372036854775807",
			"SORT l LIMIT -5 2", "SORT l LIMIT 1 -1", "SORT l LIMIT 5 1", "SORT l LIMIT 0 0",
			"SORT l LIMIT -9223372036854775808 -9223372036854775808", "SORT l LIMIT 0 1 LIMIT 1 5",
			"SORT l STORE a STORE b", "EXISTS a", "LRANGE b 0 -1", "SORT", "SORT_RO",
			"COMMAND GETKEYS SORT k STORE d", "COMMAND GETKEYS SORT k STORE get STORE d",
			"COMMAND GETKEYS SORT k LIMIT STORE x STORE d BY store", "COMMAND GETKEYS SORT_RO k STORE d",
			"COMMAND GETKEYSANDFLAGS SORT k BY w:* STORE d", "COMMAND GETKEYSANDFLAGS SORT_RO k",
		)},
		{name: "weights", steps: steps(
			"RPUSH l a b c d e f g h", `SET w:a ""`, `SET w:b " 1"`, "SET w:c 0x10", "SET w:d inf", "SET w:e -inf",
			`SET w:f "1\x00abc"`, "SET w:g +5", "SET w:h .5", "SORT l BY w:*", "SORT l BY w:* DESC",
			`SET w:h "1 "`, "SORT l BY w:*", "SET w:h nan", "SORT l BY w:*", `SET w:h "  "`, "SORT l BY w:*",
			"SET w:h 1e", "SORT l BY w:*", "SET w:h 0x1p3", "SORT l BY w:*", "RPUSH n 10 9 1e1 -0 0 x", "SORT n",
			"LREM n 0 x", "SORT n", "SORT n DESC", "SORT n ALPHA", "RPUSH t 2 1 2 01 1.0", "SORT t", "SORT t DESC",
			cmd(append([]string{"RPUSH", "many"}, many...)...), "SORT many", "SORT many DESC LIMIT 10 5",
			"SORT many ALPHA LIMIT 0 20", "SET w:h 1e-310", "SORT l BY w:*", "SET w:h 1e400", "SORT l BY w:*",
		)},
		{name: "patterns", steps: steps(
			"RPUSH l 3 1 2 10", "SET w:1 30", "SET w:2 20", "SET w:3 10", "HSET h:1 f 3 g x", "HSET h:2 f 1",
			"HSET h:10 f 2 g y", "SET o:1 one", "SET o:2 two", "SORT l BY w:*", "SORT l BY w:* DESC",
			"SORT l BY w:* GET o:* GET #", "SORT l BY h:*->f", "SORT l BY h:*->f GET h:*->g GET # GET o:*",
			"SORT l BY h:*->", "SORT l GET h:*->", "SORT l GET foo", "SORT l GET # GET #", "SORT l GET *",
			"SORT l GET **", "SORT l BY w:* LIMIT 1 2 GET o:*", "SORT l ALPHA BY h:*->g", "SORT l ALPHA BY h:*->g DESC",
			"SORT l BY w:*->f", "SORT l GET w:*->f", "SORT l BY h:*", "SORT l GET h:*", "SORT l BY nosort GET o:*",
			"SORT l BY nosort DESC LIMIT 1 2", "SORT l BY #", "SORT l BY nosort BY w:*", "SORT l BY w:* BY nosort",
			"SET pre1post v1", "SET pre2post v2", "SORT l GET pre*post", "HSET hh:1 a->b v", "SORT l GET hh:*->a->b",
			`SET "k\x00*1" nul`, `SORT l GET "k\x00*"`, `SORT l GET "#\x00x"`, "SORT_RO l BY w:* GET o:*",
			"SET w:1 notanumber", "SORT l BY w:* ALPHA", "SORT l BY w:*", "RPUSH one 1", "SORT one BY nokey:*",
			"SORT one BY nokey:* ALPHA",
		)},
		{name: "store", steps: steps(
			"RPUSH l 3 1 2 10", "SET o:1 one", "SET o:2 two", "SORT l STORE d", "LRANGE d 0 -1", "TYPE d",
			"OBJECT ENCODING d", "SORT l GET o:* GET # STORE d", "LRANGE d 0 -1", "SORT l LIMIT 9 9 STORE d",
			"EXISTS d", "SET ttl v", "EXPIRE ttl 100", "SORT l STORE ttl", "TTL ttl", "SORT l STORE l",
			"LRANGE l 0 -1", "SORT nokey STORE l", "EXISTS l", "RPUSH m a b", "SORT m STORE d2", "EXISTS d2",
			"RPUSH m2 b a", "SORT m2 ALPHA STORE m2", "LRANGE m2 0 -1",
		)},
		{name: "sets-and-sorted-sets", steps: steps(
			"SET w:1 30", "SET w:2 20", "SADD s 3 1 2 10", "SORT s", "SORT s DESC", "SORT s ALPHA", "SORT s ALPHA DESC",
			"SORT s BY w:*", "SORT s BY nosort", "SORT s BY nosort LIMIT 1 2", "SORT s BY nosort STORE d",
			"LRANGE d 0 -1", "SORT_RO s LIMIT 1 1", "SADD hs 10 9 8 x", "SORT hs BY nosort STORE d", "LRANGE d 0 -1",
			"SORT hs ALPHA", "SORT hs", "ZADD z 5 a 3 b 4 c", "OBJECT ENCODING z", "SORT z ALPHA", "OBJECT ENCODING z",
			"SORT z BY nosort", "SORT z BY nosort DESC", "SORT z BY nosort LIMIT 1 5", "SORT z BY nosort DESC LIMIT 1 1",
			"SORT z BY nosort LIMIT 0 1", "SORT z BY nosort LIMIT 5 1", "SORT z", "ZADD z2 1 x", "SORT_RO z2 BY nosort",
			"OBJECT ENCODING z2", "ZADD z3 1 x", "EXPIRE z3 100", "SORT z3", "OBJECT ENCODING z3", "TTL z3",
			"SET x:a 1", "SET x:b 1", "SET x:c 0", "SORT z BY x:*", "SORT z BY x:* DESC", "SORT z BY x:* STORE zd",
			"LRANGE zd 0 -1", "ZADD nz 1 10 2 2 3 -5", "SORT nz", "SORT nz DESC LIMIT 0 2", "SORT nz BY nosort GET #",
		)},
		{name: "alpha", steps: steps(
			`RPUSH l a B b A "\xc3\xa9" z "a\x00z" "a\x00b" a ab`, "SORT l ALPHA", "SORT l ALPHA DESC",
			"SORT l ALPHA STORE d", "LRANGE d 0 -1", "SORT l ALPHA DESC STORE d", "LRANGE d 0 -1", "SORT l BY nosort",
			"SORT l ALPHA LIMIT 2 3", "RPUSH n 1 2 3 4", "SET w:1 b", `SET w:2 "a\x00z"`, `SET w:3 "a\x00b"`,
			"SORT n BY w:* ALPHA", "SORT n BY w:* ALPHA DESC", "SORT n BY w:* ALPHA STORE d", "LRANGE d 0 -1",
			"SORT n BY w:* ALPHA DESC STORE d", "LRANGE d 0 -1",
		)},
		{name: "transactions", steps: steps(
			"RPUSH l 2 1", "MULTI", "SORT l", "SORT l STORE d", "SORT l BY w:* GET #", "SORT l FOO", "LRANGE d 0 -1", "EXEC",
			"WATCH d", "@2 SORT l STORE d", "MULTI", "LLEN d", "EXEC",
			"WATCH d", "@2 SORT nokey STORE nokey2", "MULTI", "LLEN d", "EXEC",
			"WATCH d", "@2 SORT nokey STORE d", "MULTI", "LLEN d", "EXEC",
		)},
	})
}
