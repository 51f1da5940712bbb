package server

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Expected replies below were recorded from Redis 7.0.15.

// TestSetAddRemoveMembership pins SADD, SREM, SCARD, SMEMBERS, SISMEMBER and
// SMISMEMBER on intsets and hashtables, missing keys included.
func TestSetAddRemoveMembership(t *testing.T) {
	runSetCases(t, []replyCase{
		{[]string{"sadd", "s", "3", "1", "2"}, ":3\r\n"},
		{[]string{"sadd", "s", "2", "4"}, ":1\r\n"},
		{[]string{"scard", "s"}, ":4\r\n"},
		{[]string{"smembers", "s"}, "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n"},
		{[]string{"sismember", "s", "1"}, ":1\r\n"},
		{[]string{"sismember", "s", "9"}, ":0\r\n"},
		{[]string{"sismember", "s", "01"}, ":0\r\n"},
		{[]string{"smismember", "s", "1", "9", "4"}, "*3\r\n:1\r\n:0\r\n:1\r\n"},
		{[]string{"smismember", "nokey", "a", "b"}, "*2\r\n:0\r\n:0\r\n"},
		{[]string{"sismember", "nokey", "a"}, ":0\r\n"},
		{[]string{"scard", "nokey"}, ":0\r\n"},
		{[]string{"smembers", "nokey"}, "*0\r\n"},
		{[]string{"srem", "s", "1", "9"}, ":1\r\n"},
		{[]string{"srem", "nokey", "a"}, ":0\r\n"},
		{[]string{"srem", "s", "2", "3", "4"}, ":3\r\n"},
		{[]string{"exists", "s"}, ":0\r\n"},
		{[]string{"sadd", "h", "b", "a", "c"}, ":3\r\n"},
		{[]string{"scard", "h"}, ":3\r\n"},
		{[]string{"sismember", "h", "a"}, ":1\r\n"},
		{[]string{"srem", "h", "a", "zz"}, ":1\r\n"},
		{[]string{"scard", "h"}, ":2\r\n"},
		{[]string{"object", "encoding", "h"}, "$9\r\nhashtable\r\n"},
		{[]string{"sadd", "", ""}, ":1\r\n"},
		{[]string{"sismember", "", ""}, ":1\r\n"},
		{[]string{"scard", ""}, ":1\r\n"},
	}, []replyCase{
		{[]string{"sadd", "s", "3", "1", "2"}, ":3\r\n"},
		{[]string{"sadd", "s", "2", "4"}, ":1\r\n"},
		{[]string{"scard", "s"}, ":4\r\n"},
		{[]string{"smembers", "s"}, "~4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n"},
		{[]string{"sismember", "s", "1"}, ":1\r\n"},
		{[]string{"sismember", "s", "9"}, ":0\r\n"},
		{[]string{"sismember", "s", "01"}, ":0\r\n"},
		{[]string{"smismember", "s", "1", "9", "4"}, "*3\r\n:1\r\n:0\r\n:1\r\n"},
		{[]string{"smismember", "nokey", "a", "b"}, "*2\r\n:0\r\n:0\r\n"},
		{[]string{"sismember", "nokey", "a"}, ":0\r\n"},
		{[]string{"scard", "nokey"}, ":0\r\n"},
		{[]string{"smembers", "nokey"}, "~0\r\n"},
		{[]string{"srem", "s", "1", "9"}, ":1\r\n"},
		{[]string{"srem", "nokey", "a"}, ":0\r\n"},
		{[]string{"srem", "s", "2", "3", "4"}, ":3\r\n"},
		{[]string{"exists", "s"}, ":0\r\n"},
		{[]string{"sadd", "h", "b", "a", "c"}, ":3\r\n"},
		{[]string{"scard", "h"}, ":3\r\n"},
		{[]string{"sismember", "h", "a"}, ":1\r\n"},
		{[]string{"srem", "h", "a", "zz"}, ":1\r\n"},
		{[]string{"scard", "h"}, ":2\r\n"},
		{[]string{"object", "encoding", "h"}, "$9\r\nhashtable\r\n"},
		{[]string{"sadd", "", ""}, ":1\r\n"},
		{[]string{"sismember", "", ""}, ":1\r\n"},
		{[]string{"scard", ""}, ":1\r\n"},
	})
}

// TestSetWrongTypeAndArity pins WRONGTYPE from every set command on a string
// key, and arity errors coming first.
func TestSetWrongTypeAndArity(t *testing.T) {
	runSetCases(t, []replyCase{
		{[]string{"set", "str", "x"}, "+OK\r\n"},
		{[]string{"sadd", "str", "a"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"srem", "str", "a"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"smembers", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sismember", "str", "a"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"smismember", "str", "a"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"scard", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"spop", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"spop", "str", "1"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"srandmember", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"srandmember", "str", "2"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"smove", "str", "d", "a"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sinter", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sunion", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sdiff", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sinterstore", "d", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sscan", "str", "0"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sadd"}, "-ERR wrong number of arguments for 'sadd' command\r\n"},
		{[]string{"sadd", "s"}, "-ERR wrong number of arguments for 'sadd' command\r\n"},
		{[]string{"srem", "s"}, "-ERR wrong number of arguments for 'srem' command\r\n"},
		{[]string{"smembers"}, "-ERR wrong number of arguments for 'smembers' command\r\n"},
		{[]string{"smembers", "a", "b"}, "-ERR wrong number of arguments for 'smembers' command\r\n"},
		{[]string{"sismember", "s"}, "-ERR wrong number of arguments for 'sismember' command\r\n"},
		{[]string{"smismember", "s"}, "-ERR wrong number of arguments for 'smismember' command\r\n"},
		{[]string{"scard", "a", "b"}, "-ERR wrong number of arguments for 'scard' command\r\n"},
		{[]string{"spop"}, "-ERR wrong number of arguments for 'spop' command\r\n"},
		{[]string{"smove", "a", "b"}, "-ERR wrong number of arguments for 'smove' command\r\n"},
		{[]string{"sinter"}, "-ERR wrong number of arguments for 'sinter' command\r\n"},
		{[]string{"sinterstore", "d"}, "-ERR wrong number of arguments for 'sinterstore' command\r\n"},
		{[]string{"sintercard", "1"}, "-ERR wrong number of arguments for 'sintercard' command\r\n"},
		{[]string{"sscan", "s"}, "-ERR wrong number of arguments for 'sscan' command\r\n"},
		{[]string{"get", "str"}, "$1\r\nx\r\n"},
	}, []replyCase{
		{[]string{"set", "str", "x"}, "+OK\r\n"},
		{[]string{"sadd", "str", "a"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"srem", "str", "a"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"smembers", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sismember", "str", "a"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"smismember", "str", "a"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"scard", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"spop", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"spop", "str", "1"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"srandmember", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"srandmember", "str", "2"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"smove", "str", "d", "a"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sinter", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sunion", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sdiff", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sinterstore", "d", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sscan", "str", "0"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sadd"}, "-ERR wrong number of arguments for 'sadd' command\r\n"},
		{[]string{"sadd", "s"}, "-ERR wrong number of arguments for 'sadd' command\r\n"},
		{[]string{"srem", "s"}, "-ERR wrong number of arguments for 'srem' command\r\n"},
		{[]string{"smembers"}, "-ERR wrong number of arguments for 'smembers' command\r\n"},
		{[]string{"smembers", "a", "b"}, "-ERR wrong number of arguments for 'smembers' command\r\n"},
		{[]string{"sismember", "s"}, "-ERR wrong number of arguments for 'sismember' command\r\n"},
		{[]string{"smismember", "s"}, "-ERR wrong number of arguments for 'smismember' command\r\n"},
		{[]string{"scard", "a", "b"}, "-ERR wrong number of arguments for 'scard' command\r\n"},
		{[]string{"spop"}, "-ERR wrong number of arguments for 'spop' command\r\n"},
		{[]string{"smove", "a", "b"}, "-ERR wrong number of arguments for 'smove' command\r\n"},
		{[]string{"sinter"}, "-ERR wrong number of arguments for 'sinter' command\r\n"},
		{[]string{"sinterstore", "d"}, "-ERR wrong number of arguments for 'sinterstore' command\r\n"},
		{[]string{"sintercard", "1"}, "-ERR wrong number of arguments for 'sintercard' command\r\n"},
		{[]string{"sscan", "s"}, "-ERR wrong number of arguments for 'sscan' command\r\n"},
		{[]string{"get", "str"}, "$1\r\nx\r\n"},
	})
}

// TestSetPopAndRandmemberEdges pins the deterministic corners of SPOP and
// SRANDMEMBER: counts of 0, negative and huge counts, missing keys, whole-
// set replies in the intset's order, and reply types (SPOP's count form is a
// set, SRANDMEMBER's an array).
func TestSetPopAndRandmemberEdges(t *testing.T) {
	runSetCases(t, []replyCase{
		{[]string{"sadd", "s", "5", "3", "1"}, ":3\r\n"},
		{[]string{"spop", "s", "0"}, "*0\r\n"},
		{[]string{"spop", "s", "-1"}, "-ERR value is out of range, must be positive\r\n"},
		{[]string{"spop", "s", "abc"}, "-ERR value is out of range, must be positive\r\n"},
		{[]string{"spop", "nokey", "-1"}, "-ERR value is out of range, must be positive\r\n"},
		{[]string{"spop", "nokey", "0"}, "*0\r\n"},
		{[]string{"spop", "nokey"}, "$-1\r\n"},
		{[]string{"spop", "nokey", "2"}, "*0\r\n"},
		{[]string{"spop", "s", "1", "2"}, "-ERR syntax error\r\n"},
		{[]string{"spop", "s", "3"}, "*3\r\n$1\r\n1\r\n$1\r\n3\r\n$1\r\n5\r\n"},
		{[]string{"exists", "s"}, ":0\r\n"},
		{[]string{"sadd", "s", "7", "8"}, ":2\r\n"},
		{[]string{"spop", "s", "9223372036854775807"}, "*2\r\n$1\r\n7\r\n$1\r\n8\r\n"},
		{[]string{"sadd", "s", "9"}, ":1\r\n"},
		{[]string{"spop", "s"}, "$1\r\n9\r\n"},
		{[]string{"exists", "s"}, ":0\r\n"},
		{[]string{"spop", "s"}, "$-1\r\n"},
		{[]string{"sadd", "h", "x"}, ":1\r\n"},
		{[]string{"spop", "h", "5"}, "*1\r\n$1\r\nx\r\n"},
		{[]string{"srandmember", "nokey"}, "$-1\r\n"},
		{[]string{"srandmember", "nokey", "5"}, "*0\r\n"},
		{[]string{"srandmember", "nokey", "-5"}, "*0\r\n"},
		{[]string{"srandmember", "nokey", "abc"}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"srandmember", "nokey", "1", "2"}, "-ERR syntax error\r\n"},
		{[]string{"srandmember", "nokey", "-9223372036854775808"}, "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n"},
		{[]string{"sadd", "r", "10", "20", "30"}, ":3\r\n"},
		{[]string{"srandmember", "r", "0"}, "*0\r\n"},
		{[]string{"srandmember", "r", "3"}, "*3\r\n$2\r\n10\r\n$2\r\n20\r\n$2\r\n30\r\n"},
		{[]string{"srandmember", "r", "100"}, "*3\r\n$2\r\n10\r\n$2\r\n20\r\n$2\r\n30\r\n"},
		{[]string{"srandmember", "r", "9223372036854775807"}, "*3\r\n$2\r\n10\r\n$2\r\n20\r\n$2\r\n30\r\n"},
		{[]string{"srandmember", "r", "-9223372036854775808"}, "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n"},
		{[]string{"srandmember", "r", "1.5"}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"sadd", "one", "x"}, ":1\r\n"},
		{[]string{"srandmember", "one"}, "$1\r\nx\r\n"},
		{[]string{"srandmember", "one", "1"}, "*1\r\n$1\r\nx\r\n"},
		{[]string{"srandmember", "one", "-3"}, "*3\r\n$1\r\nx\r\n$1\r\nx\r\n$1\r\nx\r\n"},
		{[]string{"srandmember", "one", "2"}, "*1\r\n$1\r\nx\r\n"},
		{[]string{"spop", "one"}, "$1\r\nx\r\n"},
	}, []replyCase{
		{[]string{"sadd", "s", "5", "3", "1"}, ":3\r\n"},
		{[]string{"spop", "s", "0"}, "~0\r\n"},
		{[]string{"spop", "s", "-1"}, "-ERR value is out of range, must be positive\r\n"},
		{[]string{"spop", "s", "abc"}, "-ERR value is out of range, must be positive\r\n"},
		{[]string{"spop", "nokey", "-1"}, "-ERR value is out of range, must be positive\r\n"},
		{[]string{"spop", "nokey", "0"}, "~0\r\n"},
		{[]string{"spop", "nokey"}, "_\r\n"},
		{[]string{"spop", "nokey", "2"}, "~0\r\n"},
		{[]string{"spop", "s", "1", "2"}, "-ERR syntax error\r\n"},
		{[]string{"spop", "s", "3"}, "~3\r\n$1\r\n1\r\n$1\r\n3\r\n$1\r\n5\r\n"},
		{[]string{"exists", "s"}, ":0\r\n"},
		{[]string{"sadd", "s", "7", "8"}, ":2\r\n"},
		{[]string{"spop", "s", "9223372036854775807"}, "~2\r\n$1\r\n7\r\n$1\r\n8\r\n"},
		{[]string{"sadd", "s", "9"}, ":1\r\n"},
		{[]string{"spop", "s"}, "$1\r\n9\r\n"},
		{[]string{"exists", "s"}, ":0\r\n"},
		{[]string{"spop", "s"}, "_\r\n"},
		{[]string{"sadd", "h", "x"}, ":1\r\n"},
		{[]string{"spop", "h", "5"}, "~1\r\n$1\r\nx\r\n"},
		{[]string{"srandmember", "nokey"}, "_\r\n"},
		{[]string{"srandmember", "nokey", "5"}, "*0\r\n"},
		{[]string{"srandmember", "nokey", "-5"}, "*0\r\n"},
		{[]string{"srandmember", "nokey", "abc"}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"srandmember", "nokey", "1", "2"}, "-ERR syntax error\r\n"},
		{[]string{"srandmember", "nokey", "-9223372036854775808"}, "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n"},
		{[]string{"sadd", "r", "10", "20", "30"}, ":3\r\n"},
		{[]string{"srandmember", "r", "0"}, "*0\r\n"},
		{[]string{"srandmember", "r", "3"}, "*3\r\n$2\r\n10\r\n$2\r\n20\r\n$2\r\n30\r\n"},
		{[]string{"srandmember", "r", "100"}, "*3\r\n$2\r\n10\r\n$2\r\n20\r\n$2\r\n30\r\n"},
		{[]string{"srandmember", "r", "9223372036854775807"}, "*3\r\n$2\r\n10\r\n$2\r\n20\r\n$2\r\n30\r\n"},
		{[]string{"srandmember", "r", "-9223372036854775808"}, "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n"},
		{[]string{"srandmember", "r", "1.5"}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"sadd", "one", "x"}, ":1\r\n"},
		{[]string{"srandmember", "one"}, "$1\r\nx\r\n"},
		{[]string{"srandmember", "one", "1"}, "*1\r\n$1\r\nx\r\n"},
		{[]string{"srandmember", "one", "-3"}, "*3\r\n$1\r\nx\r\n$1\r\nx\r\n$1\r\nx\r\n"},
		{[]string{"srandmember", "one", "2"}, "*1\r\n$1\r\nx\r\n"},
		{[]string{"spop", "one"}, "$1\r\nx\r\n"},
	})
}

// TestSetMove pins SMOVE: missing source, type checks on both keys, same
// source and destination, the destination's encoding, the emptied source
// deleted.
func TestSetMove(t *testing.T) {
	runSetCases(t, []replyCase{
		{[]string{"set", "str", "x"}, "+OK\r\n"},
		{[]string{"smove", "nokey", "d", "a"}, ":0\r\n"},
		{[]string{"smove", "nokey", "str", "a"}, ":0\r\n"},
		{[]string{"smove", "str", "str", "a"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sadd", "s", "1", "a"}, ":2\r\n"},
		{[]string{"smove", "s", "str", "2"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"smove", "s", "str", "1"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"smove", "s", "d", "zz"}, ":0\r\n"},
		{[]string{"smove", "s", "d", "1"}, ":1\r\n"},
		{[]string{"object", "encoding", "d"}, "$6\r\nintset\r\n"},
		{[]string{"smembers", "d"}, "*1\r\n$1\r\n1\r\n"},
		{[]string{"smove", "s", "d", "a"}, ":1\r\n"},
		{[]string{"exists", "s"}, ":0\r\n"},
		{[]string{"object", "encoding", "d"}, "$9\r\nhashtable\r\n"},
		{[]string{"smembers", "d"}, "*2\r\n$1\r\n1\r\n$1\r\na\r\n"},
		{[]string{"sadd", "s2", "a"}, ":1\r\n"},
		{[]string{"smove", "s2", "d", "a"}, ":1\r\n"},
		{[]string{"exists", "s2"}, ":0\r\n"},
		{[]string{"scard", "d"}, ":2\r\n"},
		{[]string{"sadd", "s3", "5"}, ":1\r\n"},
		{[]string{"smove", "s3", "s3", "5"}, ":1\r\n"},
		{[]string{"smove", "s3", "s3", "6"}, ":0\r\n"},
		{[]string{"smembers", "s3"}, "*1\r\n$1\r\n5\r\n"},
	}, []replyCase{
		{[]string{"set", "str", "x"}, "+OK\r\n"},
		{[]string{"smove", "nokey", "d", "a"}, ":0\r\n"},
		{[]string{"smove", "nokey", "str", "a"}, ":0\r\n"},
		{[]string{"smove", "str", "str", "a"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sadd", "s", "1", "a"}, ":2\r\n"},
		{[]string{"smove", "s", "str", "2"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"smove", "s", "str", "1"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"smove", "s", "d", "zz"}, ":0\r\n"},
		{[]string{"smove", "s", "d", "1"}, ":1\r\n"},
		{[]string{"object", "encoding", "d"}, "$6\r\nintset\r\n"},
		{[]string{"smembers", "d"}, "~1\r\n$1\r\n1\r\n"},
		{[]string{"smove", "s", "d", "a"}, ":1\r\n"},
		{[]string{"exists", "s"}, ":0\r\n"},
		{[]string{"object", "encoding", "d"}, "$9\r\nhashtable\r\n"},
		{[]string{"smembers", "d"}, "~2\r\n$1\r\n1\r\n$1\r\na\r\n"},
		{[]string{"sadd", "s2", "a"}, ":1\r\n"},
		{[]string{"smove", "s2", "d", "a"}, ":1\r\n"},
		{[]string{"exists", "s2"}, ":0\r\n"},
		{[]string{"scard", "d"}, ":2\r\n"},
		{[]string{"sadd", "s3", "5"}, ":1\r\n"},
		{[]string{"smove", "s3", "s3", "5"}, ":1\r\n"},
		{[]string{"smove", "s3", "s3", "6"}, ":0\r\n"},
		{[]string{"smembers", "s3"}, "~1\r\n$1\r\n5\r\n"},
	})
}

// TestSetAlgebra pins SINTER, SUNION, SDIFF and their STORE forms on intsets
// (whose replies are ordered), missing keys, type errors before anything
// else, STORE replacing any value and TTL or deleting the destination.
func TestSetAlgebra(t *testing.T) {
	runSetCases(t, []replyCase{
		{[]string{"set", "str", "x"}, "+OK\r\n"},
		{[]string{"sadd", "a", "1", "2", "3", "4"}, ":4\r\n"},
		{[]string{"sadd", "b", "2", "3", "4", "5"}, ":4\r\n"},
		{[]string{"sadd", "c", "3", "4", "100"}, ":3\r\n"},
		{[]string{"sinter", "a", "b"}, "*3\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n"},
		{[]string{"sinter", "a", "b", "c"}, "*2\r\n$1\r\n3\r\n$1\r\n4\r\n"},
		{[]string{"sinter", "c", "a", "b"}, "*2\r\n$1\r\n3\r\n$1\r\n4\r\n"},
		{[]string{"sinter", "a"}, "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n"},
		{[]string{"sinter", "a", "nokey"}, "*0\r\n"},
		{[]string{"sinter", "nokey"}, "*0\r\n"},
		{[]string{"sinter", "a", "a"}, "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n"},
		{[]string{"sunion", "a", "b"}, "*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n"},
		{[]string{"sunion", "a", "b", "c", "nokey"}, "*6\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n$3\r\n100\r\n"},
		{[]string{"sunion", "nokey"}, "*0\r\n"},
		{[]string{"sdiff", "a", "b"}, "*1\r\n$1\r\n1\r\n"},
		{[]string{"sdiff", "b", "a"}, "*1\r\n$1\r\n5\r\n"},
		{[]string{"sdiff", "a", "b", "c"}, "*1\r\n$1\r\n1\r\n"},
		{[]string{"sdiff", "a", "nokey"}, "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n"},
		{[]string{"sdiff", "nokey", "a"}, "*0\r\n"},
		{[]string{"sdiff", "a", "a"}, "*0\r\n"},
		{[]string{"sinter", "a", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sinter", "nokey", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sinter", "str", "nokey"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sunion", "nokey", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sdiff", "nokey", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sdiff", "str", "nokey"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sinterstore", "d", "nokey", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sunionstore", "d", "nokey", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sdiffstore", "d", "a", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sinterstore", "d", "a", "b"}, ":3\r\n"},
		{[]string{"smembers", "d"}, "*3\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n"},
		{[]string{"object", "encoding", "d"}, "$6\r\nintset\r\n"},
		{[]string{"sunionstore", "d", "a", "b", "c"}, ":6\r\n"},
		{[]string{"smembers", "d"}, "*6\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n$3\r\n100\r\n"},
		{[]string{"sdiffstore", "d", "a", "b"}, ":1\r\n"},
		{[]string{"smembers", "d"}, "*1\r\n$1\r\n1\r\n"},
		{[]string{"sinterstore", "d", "a", "nokey"}, ":0\r\n"},
		{[]string{"exists", "d"}, ":0\r\n"},
		{[]string{"set", "d2", "v"}, "+OK\r\n"},
		{[]string{"sunionstore", "d2", "nokey"}, ":0\r\n"},
		{[]string{"exists", "d2"}, ":0\r\n"},
		{[]string{"sdiffstore", "d3", "nokey", "a"}, ":0\r\n"},
		{[]string{"exists", "d3"}, ":0\r\n"},
		{[]string{"set", "t", "v"}, "+OK\r\n"},
		{[]string{"expire", "t", "100"}, ":1\r\n"},
		{[]string{"sunionstore", "t", "a"}, ":4\r\n"},
		{[]string{"ttl", "t"}, ":-1\r\n"},
		{[]string{"type", "t"}, "+set\r\n"},
		{[]string{"smembers", "t"}, "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n"},
		{[]string{"sinterstore", "a", "a", "b"}, ":3\r\n"},
		{[]string{"smembers", "a"}, "*3\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n"},
		{[]string{"sunionstore", "a", "a", "c"}, ":4\r\n"},
		{[]string{"smembers", "a"}, "*4\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$3\r\n100\r\n"},
		{[]string{"sdiffstore", "a", "a", "a"}, ":0\r\n"},
		{[]string{"exists", "a"}, ":0\r\n"},
	}, []replyCase{
		{[]string{"set", "str", "x"}, "+OK\r\n"},
		{[]string{"sadd", "a", "1", "2", "3", "4"}, ":4\r\n"},
		{[]string{"sadd", "b", "2", "3", "4", "5"}, ":4\r\n"},
		{[]string{"sadd", "c", "3", "4", "100"}, ":3\r\n"},
		{[]string{"sinter", "a", "b"}, "~3\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n"},
		{[]string{"sinter", "a", "b", "c"}, "~2\r\n$1\r\n3\r\n$1\r\n4\r\n"},
		{[]string{"sinter", "c", "a", "b"}, "~2\r\n$1\r\n3\r\n$1\r\n4\r\n"},
		{[]string{"sinter", "a"}, "~4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n"},
		{[]string{"sinter", "a", "nokey"}, "~0\r\n"},
		{[]string{"sinter", "nokey"}, "~0\r\n"},
		{[]string{"sinter", "a", "a"}, "~4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n"},
		{[]string{"sunion", "a", "b"}, "~5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n"},
		{[]string{"sunion", "a", "b", "c", "nokey"}, "~6\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n$3\r\n100\r\n"},
		{[]string{"sunion", "nokey"}, "~0\r\n"},
		{[]string{"sdiff", "a", "b"}, "~1\r\n$1\r\n1\r\n"},
		{[]string{"sdiff", "b", "a"}, "~1\r\n$1\r\n5\r\n"},
		{[]string{"sdiff", "a", "b", "c"}, "~1\r\n$1\r\n1\r\n"},
		{[]string{"sdiff", "a", "nokey"}, "~4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n"},
		{[]string{"sdiff", "nokey", "a"}, "~0\r\n"},
		{[]string{"sdiff", "a", "a"}, "~0\r\n"},
		{[]string{"sinter", "a", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sinter", "nokey", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sinter", "str", "nokey"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sunion", "nokey", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sdiff", "nokey", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sdiff", "str", "nokey"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sinterstore", "d", "nokey", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sunionstore", "d", "nokey", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sdiffstore", "d", "a", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sinterstore", "d", "a", "b"}, ":3\r\n"},
		{[]string{"smembers", "d"}, "~3\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n"},
		{[]string{"object", "encoding", "d"}, "$6\r\nintset\r\n"},
		{[]string{"sunionstore", "d", "a", "b", "c"}, ":6\r\n"},
		{[]string{"smembers", "d"}, "~6\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n$3\r\n100\r\n"},
		{[]string{"sdiffstore", "d", "a", "b"}, ":1\r\n"},
		{[]string{"smembers", "d"}, "~1\r\n$1\r\n1\r\n"},
		{[]string{"sinterstore", "d", "a", "nokey"}, ":0\r\n"},
		{[]string{"exists", "d"}, ":0\r\n"},
		{[]string{"set", "d2", "v"}, "+OK\r\n"},
		{[]string{"sunionstore", "d2", "nokey"}, ":0\r\n"},
		{[]string{"exists", "d2"}, ":0\r\n"},
		{[]string{"sdiffstore", "d3", "nokey", "a"}, ":0\r\n"},
		{[]string{"exists", "d3"}, ":0\r\n"},
		{[]string{"set", "t", "v"}, "+OK\r\n"},
		{[]string{"expire", "t", "100"}, ":1\r\n"},
		{[]string{"sunionstore", "t", "a"}, ":4\r\n"},
		{[]string{"ttl", "t"}, ":-1\r\n"},
		{[]string{"type", "t"}, "+set\r\n"},
		{[]string{"smembers", "t"}, "~4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n"},
		{[]string{"sinterstore", "a", "a", "b"}, ":3\r\n"},
		{[]string{"smembers", "a"}, "~3\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n"},
		{[]string{"sunionstore", "a", "a", "c"}, ":4\r\n"},
		{[]string{"smembers", "a"}, "~4\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$3\r\n100\r\n"},
		{[]string{"sdiffstore", "a", "a", "a"}, ":0\r\n"},
		{[]string{"exists", "a"}, ":0\r\n"},
	})
}

// TestSetIntercard pins SINTERCARD's numkeys and LIMIT parsing and errors.
func TestSetIntercard(t *testing.T) {
	runSetCases(t, []replyCase{
		{[]string{"set", "str", "x"}, "+OK\r\n"},
		{[]string{"sadd", "a", "1", "2", "3", "4"}, ":4\r\n"},
		{[]string{"sadd", "b", "2", "3", "4", "5"}, ":4\r\n"},
		{[]string{"sintercard", "0", "a"}, "-ERR numkeys should be greater than 0\r\n"},
		{[]string{"sintercard", "-1", "a"}, "-ERR numkeys should be greater than 0\r\n"},
		{[]string{"sintercard", "x", "a"}, "-ERR numkeys should be greater than 0\r\n"},
		{[]string{"sintercard", "3", "a", "b"}, "-ERR Number of keys can't be greater than number of args\r\n"},
		{[]string{"sintercard", "99999999999999999999999", "a"}, "-ERR numkeys should be greater than 0\r\n"},
		{[]string{"sintercard", "2", "a", "b"}, ":3\r\n"},
		{[]string{"sintercard", "2", "a", "b", "limit", "2"}, ":2\r\n"},
		{[]string{"sintercard", "2", "a", "b", "limit", "0"}, ":3\r\n"},
		{[]string{"sintercard", "2", "a", "b", "LIMIT", "100"}, ":3\r\n"},
		{[]string{"sintercard", "2", "a", "b", "limit", "-1"}, "-ERR LIMIT can't be negative\r\n"},
		{[]string{"sintercard", "2", "a", "b", "limit", "x"}, "-ERR LIMIT can't be negative\r\n"},
		{[]string{"sintercard", "2", "a", "b", "limit"}, "-ERR syntax error\r\n"},
		{[]string{"sintercard", "2", "a", "b", "foo"}, "-ERR syntax error\r\n"},
		{[]string{"sintercard", "2", "a", "b", "LIMIT", "1", "LIMIT", "3"}, ":3\r\n"},
		{[]string{"sintercard", "1", "a", "b"}, "-ERR syntax error\r\n"},
		{[]string{"sintercard", "1", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sintercard", "2", "nokey", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sintercard", "2", "a", "nokey"}, ":0\r\n"},
		{[]string{"sintercard", "1", "a"}, ":4\r\n"},
		{[]string{"sintercard", "2", "a", "a"}, ":4\r\n"},
	}, []replyCase{
		{[]string{"set", "str", "x"}, "+OK\r\n"},
		{[]string{"sadd", "a", "1", "2", "3", "4"}, ":4\r\n"},
		{[]string{"sadd", "b", "2", "3", "4", "5"}, ":4\r\n"},
		{[]string{"sintercard", "0", "a"}, "-ERR numkeys should be greater than 0\r\n"},
		{[]string{"sintercard", "-1", "a"}, "-ERR numkeys should be greater than 0\r\n"},
		{[]string{"sintercard", "x", "a"}, "-ERR numkeys should be greater than 0\r\n"},
		{[]string{"sintercard", "3", "a", "b"}, "-ERR Number of keys can't be greater than number of args\r\n"},
		{[]string{"sintercard", "99999999999999999999999", "a"}, "-ERR numkeys should be greater than 0\r\n"},
		{[]string{"sintercard", "2", "a", "b"}, ":3\r\n"},
		{[]string{"sintercard", "2", "a", "b", "limit", "2"}, ":2\r\n"},
		{[]string{"sintercard", "2", "a", "b", "limit", "0"}, ":3\r\n"},
		{[]string{"sintercard", "2", "a", "b", "LIMIT", "100"}, ":3\r\n"},
		{[]string{"sintercard", "2", "a", "b", "limit", "-1"}, "-ERR LIMIT can't be negative\r\n"},
		{[]string{"sintercard", "2", "a", "b", "limit", "x"}, "-ERR LIMIT can't be negative\r\n"},
		{[]string{"sintercard", "2", "a", "b", "limit"}, "-ERR syntax error\r\n"},
		{[]string{"sintercard", "2", "a", "b", "foo"}, "-ERR syntax error\r\n"},
		{[]string{"sintercard", "2", "a", "b", "LIMIT", "1", "LIMIT", "3"}, ":3\r\n"},
		{[]string{"sintercard", "1", "a", "b"}, "-ERR syntax error\r\n"},
		{[]string{"sintercard", "1", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sintercard", "2", "nokey", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sintercard", "2", "a", "nokey"}, ":0\r\n"},
		{[]string{"sintercard", "1", "a"}, ":4\r\n"},
		{[]string{"sintercard", "2", "a", "a"}, ":4\r\n"},
	})
}

// TestSetEncodingConversions pins the points where OBJECT ENCODING changes,
// including SDIFFSTORE's algorithm choice, set-max-intset-entries changed at
// run time, non-canonical integers, and intset widths.
func TestSetEncodingConversions(t *testing.T) {
	runSetCases(t, []replyCase{
		{[]string{"sadd", "s0", "1", "2", "3", "x"}, ":4\r\n"},
		{[]string{"sadd", "a", "x"}, ":1\r\n"},
		{[]string{"sadd", "b", "y"}, ":1\r\n"},
		{[]string{"sadd", "c", "z"}, ":1\r\n"},
		{[]string{"sdiffstore", "d", "s0", "a", "b", "c"}, ":3\r\n"},
		{[]string{"object", "encoding", "d"}, "$9\r\nhashtable\r\n"},
		{[]string{"sdiffstore", "d", "s0", "a", "b"}, ":3\r\n"},
		{[]string{"object", "encoding", "d"}, "$6\r\nintset\r\n"},
		{[]string{"smembers", "d"}, "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"},
		{[]string{"sdiffstore", "d", "s0", "a"}, ":3\r\n"},
		{[]string{"object", "encoding", "d"}, "$6\r\nintset\r\n"},
		{[]string{"sdiffstore", "d", "s0", "a", "nokey", "nokey2", "nokey3"}, ":3\r\n"},
		{[]string{"object", "encoding", "d"}, "$6\r\nintset\r\n"},
		{[]string{"sdiffstore", "d", "s0", "s0"}, ":0\r\n"},
		{[]string{"exists", "d"}, ":0\r\n"},
		{[]string{"config", "set", "set-max-intset-entries", "3"}, "+OK\r\n"},
		{[]string{"sadd", "i", "1", "2", "3"}, ":3\r\n"},
		{[]string{"object", "encoding", "i"}, "$6\r\nintset\r\n"},
		{[]string{"sadd", "i", "4"}, ":1\r\n"},
		{[]string{"object", "encoding", "i"}, "$9\r\nhashtable\r\n"},
		{[]string{"srem", "i", "4", "3"}, ":2\r\n"},
		{[]string{"object", "encoding", "i"}, "$9\r\nhashtable\r\n"},
		{[]string{"sadd", "b1", "1", "2"}, ":2\r\n"},
		{[]string{"sadd", "c1", "3", "4"}, ":2\r\n"},
		{[]string{"sunionstore", "d", "b1", "c1"}, ":4\r\n"},
		{[]string{"object", "encoding", "d"}, "$9\r\nhashtable\r\n"},
		{[]string{"sunionstore", "d", "b1"}, ":2\r\n"},
		{[]string{"object", "encoding", "d"}, "$6\r\nintset\r\n"},
		{[]string{"smembers", "d"}, "*2\r\n$1\r\n1\r\n$1\r\n2\r\n"},
		{[]string{"config", "set", "set-max-intset-entries", "0"}, "+OK\r\n"},
		{[]string{"sadd", "e", "1"}, ":1\r\n"},
		{[]string{"object", "encoding", "e"}, "$9\r\nhashtable\r\n"},
		{[]string{"smove", "b1", "f", "1"}, ":1\r\n"},
		{[]string{"object", "encoding", "f"}, "$9\r\nhashtable\r\n"},
		{[]string{"sinterstore", "g", "b1"}, ":1\r\n"},
		{[]string{"object", "encoding", "g"}, "$9\r\nhashtable\r\n"},
		{[]string{"config", "set", "set-max-intset-entries", "512"}, "+OK\r\n"},
		{[]string{"sadd", "n", "-9223372036854775808", "9223372036854775807", "0", "-0", "01"}, ":5\r\n"},
		{[]string{"object", "encoding", "n"}, "$9\r\nhashtable\r\n"},
		{[]string{"sadd", "m", "00"}, ":1\r\n"},
		{[]string{"object", "encoding", "m"}, "$9\r\nhashtable\r\n"},
		{[]string{"sadd", "m2", " 1"}, ":1\r\n"},
		{[]string{"object", "encoding", "m2"}, "$9\r\nhashtable\r\n"},
		{[]string{"sadd", "w", "-9223372036854775808", "9223372036854775807", "0", "-1", "32768", "-32769", "2147483648"}, ":7\r\n"},
		{[]string{"smembers", "w"}, "*7\r\n$20\r\n-9223372036854775808\r\n$6\r\n-32769\r\n$2\r\n-1\r\n$1\r\n0\r\n$5\r\n32768\r\n$10\r\n2147483648\r\n$19\r\n9223372036854775807\r\n"},
		{[]string{"object", "encoding", "w"}, "$6\r\nintset\r\n"},
		{[]string{"sismember", "w", "-32769"}, ":1\r\n"},
		{[]string{"srem", "w", "0", "-1"}, ":2\r\n"},
		{[]string{"smembers", "w"}, "*5\r\n$20\r\n-9223372036854775808\r\n$6\r\n-32769\r\n$5\r\n32768\r\n$10\r\n2147483648\r\n$19\r\n9223372036854775807\r\n"},
		{[]string{"sadd", "x", "a"}, ":1\r\n"},
		{[]string{"sadd", "x", "1"}, ":1\r\n"},
		{[]string{"object", "encoding", "x"}, "$9\r\nhashtable\r\n"},
		{[]string{"srem", "x", "a"}, ":1\r\n"},
		{[]string{"object", "encoding", "x"}, "$9\r\nhashtable\r\n"},
	}, []replyCase{
		{[]string{"sadd", "s0", "1", "2", "3", "x"}, ":4\r\n"},
		{[]string{"sadd", "a", "x"}, ":1\r\n"},
		{[]string{"sadd", "b", "y"}, ":1\r\n"},
		{[]string{"sadd", "c", "z"}, ":1\r\n"},
		{[]string{"sdiffstore", "d", "s0", "a", "b", "c"}, ":3\r\n"},
		{[]string{"object", "encoding", "d"}, "$9\r\nhashtable\r\n"},
		{[]string{"sdiffstore", "d", "s0", "a", "b"}, ":3\r\n"},
		{[]string{"object", "encoding", "d"}, "$6\r\nintset\r\n"},
		{[]string{"smembers", "d"}, "~3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"},
		{[]string{"sdiffstore", "d", "s0", "a"}, ":3\r\n"},
		{[]string{"object", "encoding", "d"}, "$6\r\nintset\r\n"},
		{[]string{"sdiffstore", "d", "s0", "a", "nokey", "nokey2", "nokey3"}, ":3\r\n"},
		{[]string{"object", "encoding", "d"}, "$6\r\nintset\r\n"},
		{[]string{"sdiffstore", "d", "s0", "s0"}, ":0\r\n"},
		{[]string{"exists", "d"}, ":0\r\n"},
		{[]string{"config", "set", "set-max-intset-entries", "3"}, "+OK\r\n"},
		{[]string{"sadd", "i", "1", "2", "3"}, ":3\r\n"},
		{[]string{"object", "encoding", "i"}, "$6\r\nintset\r\n"},
		{[]string{"sadd", "i", "4"}, ":1\r\n"},
		{[]string{"object", "encoding", "i"}, "$9\r\nhashtable\r\n"},
		{[]string{"srem", "i", "4", "3"}, ":2\r\n"},
		{[]string{"object", "encoding", "i"}, "$9\r\nhashtable\r\n"},
		{[]string{"sadd", "b1", "1", "2"}, ":2\r\n"},
		{[]string{"sadd", "c1", "3", "4"}, ":2\r\n"},
		{[]string{"sunionstore", "d", "b1", "c1"}, ":4\r\n"},
		{[]string{"object", "encoding", "d"}, "$9\r\nhashtable\r\n"},
		{[]string{"sunionstore", "d", "b1"}, ":2\r\n"},
		{[]string{"object", "encoding", "d"}, "$6\r\nintset\r\n"},
		{[]string{"smembers", "d"}, "~2\r\n$1\r\n1\r\n$1\r\n2\r\n"},
		{[]string{"config", "set", "set-max-intset-entries", "0"}, "+OK\r\n"},
		{[]string{"sadd", "e", "1"}, ":1\r\n"},
		{[]string{"object", "encoding", "e"}, "$9\r\nhashtable\r\n"},
		{[]string{"smove", "b1", "f", "1"}, ":1\r\n"},
		{[]string{"object", "encoding", "f"}, "$9\r\nhashtable\r\n"},
		{[]string{"sinterstore", "g", "b1"}, ":1\r\n"},
		{[]string{"object", "encoding", "g"}, "$9\r\nhashtable\r\n"},
		{[]string{"config", "set", "set-max-intset-entries", "512"}, "+OK\r\n"},
		{[]string{"sadd", "n", "-9223372036854775808", "9223372036854775807", "0", "-0", "01"}, ":5\r\n"},
		{[]string{"object", "encoding", "n"}, "$9\r\nhashtable\r\n"},
		{[]string{"sadd", "m", "00"}, ":1\r\n"},
		{[]string{"object", "encoding", "m"}, "$9\r\nhashtable\r\n"},
		{[]string{"sadd", "m2", " 1"}, ":1\r\n"},
		{[]string{"object", "encoding", "m2"}, "$9\r\nhashtable\r\n"},
		{[]string{"sadd", "w", "-9223372036854775808", "9223372036854775807", "0", "-1", "32768", "-32769", "2147483648"}, ":7\r\n"},
		{[]string{"smembers", "w"}, "~7\r\n$20\r\n-9223372036854775808\r\n$6\r\n-32769\r\n$2\r\n-1\r\n$1\r\n0\r\n$5\r\n32768\r\n$10\r\n2147483648\r\n$19\r\n9223372036854775807\r\n"},
		{[]string{"object", "encoding", "w"}, "$6\r\nintset\r\n"},
		{[]string{"sismember", "w", "-32769"}, ":1\r\n"},
		{[]string{"srem", "w", "0", "-1"}, ":2\r\n"},
		{[]string{"smembers", "w"}, "~5\r\n$20\r\n-9223372036854775808\r\n$6\r\n-32769\r\n$5\r\n32768\r\n$10\r\n2147483648\r\n$19\r\n9223372036854775807\r\n"},
		{[]string{"sadd", "x", "a"}, ":1\r\n"},
		{[]string{"sadd", "x", "1"}, ":1\r\n"},
		{[]string{"object", "encoding", "x"}, "$9\r\nhashtable\r\n"},
		{[]string{"srem", "x", "a"}, ":1\r\n"},
		{[]string{"object", "encoding", "x"}, "$9\r\nhashtable\r\n"},
	})
}

// TestSetScan pins SSCAN's argument checks and a compact set returned whole
// with cursor 0.
func TestSetScan(t *testing.T) {
	runSetCases(t, []replyCase{
		{[]string{"set", "str", "x"}, "+OK\r\n"},
		{[]string{"sadd", "i", "1", "2", "3", "10", "20"}, ":5\r\n"},
		{[]string{"sscan", "nokey", "0", "count", "0"}, "*2\r\n$1\r\n0\r\n*0\r\n"},
		{[]string{"sscan", "nokey", "x"}, "-ERR invalid cursor\r\n"},
		{[]string{"sscan", "str", "x"}, "-ERR invalid cursor\r\n"},
		{[]string{"sscan", "str", "0", "count", "0"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sscan", "i", "0", "count", "0"}, "-ERR syntax error\r\n"},
		{[]string{"sscan", "i", "0", "count", "-1"}, "-ERR syntax error\r\n"},
		{[]string{"sscan", "i", "0", "count", "x"}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"sscan", "i", "0", "match"}, "-ERR syntax error\r\n"},
		{[]string{"sscan", "i", "0", "match", "1*"}, "*2\r\n$1\r\n0\r\n*2\r\n$1\r\n1\r\n$2\r\n10\r\n"},
		{[]string{"sscan", "i", "5"}, "*2\r\n$1\r\n0\r\n*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n$2\r\n20\r\n"},
		{[]string{"sscan", "i", "0", "type", "string"}, "-ERR syntax error\r\n"},
		{[]string{"sscan", "i", "-1"}, "*2\r\n$1\r\n0\r\n*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n$2\r\n20\r\n"},
		{[]string{"sscan", "i", "18446744073709551615"}, "*2\r\n$1\r\n0\r\n*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n$2\r\n20\r\n"},
		{[]string{"sscan", "i", "18446744073709551616"}, "-ERR invalid cursor\r\n"},
		{[]string{"sscan", "i", "0", "count", "1"}, "*2\r\n$1\r\n0\r\n*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n$2\r\n20\r\n"},
		{[]string{"sscan", "i", "0", "novalues"}, "-ERR syntax error\r\n"},
		{[]string{"sscan", "i", "0", "MATCH", "*", "COUNT", "1"}, "*2\r\n$1\r\n0\r\n*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n$2\r\n20\r\n"},
		{[]string{"sscan", "i", "0", "MATCH", "2?"}, "*2\r\n$1\r\n0\r\n*1\r\n$2\r\n20\r\n"},
		{[]string{"sadd", "h", "a"}, ":1\r\n"},
		{[]string{"sscan", "h", "0"}, "*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n"},
		{[]string{"sscan", "h", "0", "match", "b"}, "*2\r\n$1\r\n0\r\n*0\r\n"},
	}, []replyCase{
		{[]string{"set", "str", "x"}, "+OK\r\n"},
		{[]string{"sadd", "i", "1", "2", "3", "10", "20"}, ":5\r\n"},
		{[]string{"sscan", "nokey", "0", "count", "0"}, "*2\r\n$1\r\n0\r\n*0\r\n"},
		{[]string{"sscan", "nokey", "x"}, "-ERR invalid cursor\r\n"},
		{[]string{"sscan", "str", "x"}, "-ERR invalid cursor\r\n"},
		{[]string{"sscan", "str", "0", "count", "0"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sscan", "i", "0", "count", "0"}, "-ERR syntax error\r\n"},
		{[]string{"sscan", "i", "0", "count", "-1"}, "-ERR syntax error\r\n"},
		{[]string{"sscan", "i", "0", "count", "x"}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"sscan", "i", "0", "match"}, "-ERR syntax error\r\n"},
		{[]string{"sscan", "i", "0", "match", "1*"}, "*2\r\n$1\r\n0\r\n*2\r\n$1\r\n1\r\n$2\r\n10\r\n"},
		{[]string{"sscan", "i", "5"}, "*2\r\n$1\r\n0\r\n*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n$2\r\n20\r\n"},
		{[]string{"sscan", "i", "0", "type", "string"}, "-ERR syntax error\r\n"},
		{[]string{"sscan", "i", "-1"}, "*2\r\n$1\r\n0\r\n*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n$2\r\n20\r\n"},
		{[]string{"sscan", "i", "18446744073709551615"}, "*2\r\n$1\r\n0\r\n*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n$2\r\n20\r\n"},
		{[]string{"sscan", "i", "18446744073709551616"}, "-ERR invalid cursor\r\n"},
		{[]string{"sscan", "i", "0", "count", "1"}, "*2\r\n$1\r\n0\r\n*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n$2\r\n20\r\n"},
		{[]string{"sscan", "i", "0", "novalues"}, "-ERR syntax error\r\n"},
		{[]string{"sscan", "i", "0", "MATCH", "*", "COUNT", "1"}, "*2\r\n$1\r\n0\r\n*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n$2\r\n20\r\n"},
		{[]string{"sscan", "i", "0", "MATCH", "2?"}, "*2\r\n$1\r\n0\r\n*1\r\n$2\r\n20\r\n"},
		{[]string{"sadd", "h", "a"}, ":1\r\n"},
		{[]string{"sscan", "h", "0"}, "*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n"},
		{[]string{"sscan", "h", "0", "match", "b"}, "*2\r\n$1\r\n0\r\n*0\r\n"},
	})
}

// runSetCases runs the same steps in RESP2 and in RESP3, each on a fresh
// server.
func runSetCases(t *testing.T, resp2, resp3 []replyCase) {
	t.Helper()
	for proto, cases := range map[int][]replyCase{2: resp2, 3: resp3} {
		s := startTestServer(t)
		c := dialRaw(t, s)
		if proto == 3 {
			c.Do("HELLO", "3")
		}
		runCases(t, c, cases)
	}
}

// parseBulks splits a reply made of an aggregate header and bulk strings
// into those strings.
func parseBulks(t *testing.T, reply string) (header string, items []string) {
	t.Helper()
	i := strings.Index(reply, "\r\n")
	header, rest := reply[:i], reply[i+2:]
	for rest != "" {
		j := strings.Index(rest, "\r\n")
		n, err := strconv.Atoi(rest[1:j])
		if rest[0] != '$' || err != nil {
			t.Fatalf("not a bulk string in %q", reply)
		}
		items = append(items, rest[j+2:j+2+n])
		rest = rest[j+2+n+2:]
	}
	return header, items
}

// TestSetRandomRepliesShapes checks what can be checked of random
// replies: their type and length, membership, distinctness for positive
// counts, and SPOP removing exactly what it returned.
func TestSetRandomRepliesShapes(t *testing.T) {
	s := startTestServer(t)
	for _, proto := range []int{2, 3} {
		c := dialRaw(t, s)
		setHdr := "*"
		if proto == 3 {
			c.Do("HELLO", "3")
			setHdr = "~"
		}
		for _, kind := range []string{"int", "small", "big"} {
			members := map[string]bool{}
			c.Do("DEL", "s")
			n := 50
			if kind == "big" {
				n = 1000
			}
			for i := 0; i < n; i++ {
				m := strconv.Itoa(i)
				if kind != "int" {
					m = "m" + m
				}
				members[m] = true
				c.Do("SADD", "s", m)
			}
			for _, count := range []int{1, 2, 10, n / 2, n - 1, n, n + 5} {
				hdr, items := parseBulks(t, c.Do("SRANDMEMBER", "s", strconv.Itoa(count)))
				want := min(count, n)
				if hdr != "*"+strconv.Itoa(want) || len(items) != want {
					t.Fatalf("%s SRANDMEMBER %d: header %q, %d items", kind, count, hdr, len(items))
				}
				seen := map[string]bool{}
				for _, it := range items {
					if !members[it] || seen[it] {
						t.Fatalf("%s SRANDMEMBER %d: %q repeated or not a member", kind, count, it)
					}
					seen[it] = true
				}
				hdr, items = parseBulks(t, c.Do("SRANDMEMBER", "s", strconv.Itoa(-count)))
				if hdr != "*"+strconv.Itoa(count) || len(items) != count {
					t.Fatalf("%s SRANDMEMBER -%d: header %q, %d items", kind, count, hdr, len(items))
				}
				for _, it := range items {
					if !members[it] {
						t.Fatalf("%s SRANDMEMBER -%d: %q not a member", kind, count, it)
					}
				}
			}
			_, one := parseBulks(t, "*1\r\n"+c.Do("SRANDMEMBER", "s"))
			if !members[one[0]] {
				t.Fatalf("%s SRANDMEMBER: %q not a member", kind, one[0])
			}
			// Pop in batches until the set is gone.
			left := n
			for _, count := range []int{1, 3, n / 3, 2} {
				hdr, items := parseBulks(t, c.Do("SPOP", "s", strconv.Itoa(count)))
				if hdr != setHdr+strconv.Itoa(count) {
					t.Fatalf("%s SPOP %d: header %q", kind, count, hdr)
				}
				for _, it := range items {
					if !members[it] {
						t.Fatalf("%s SPOP %d: %q not a member or popped twice", kind, count, it)
					}
					delete(members, it)
					if got := c.Do("SISMEMBER", "s", it); got != ":0\r\n" {
						t.Fatalf("%s SPOP %d: %q still in the set", kind, count, it)
					}
				}
				left -= count
				if got := c.Do("SCARD", "s"); got != ":"+strconv.Itoa(left)+"\r\n" {
					t.Fatalf("%s after SPOP: SCARD %q, want %d", kind, got, left)
				}
			}
			_, one = parseBulks(t, "*1\r\n"+c.Do("SPOP", "s"))
			if !members[one[0]] {
				t.Fatalf("%s SPOP: %q not a member", kind, one[0])
			}
			delete(members, one[0])
			left--
			hdr, items := parseBulks(t, c.Do("SPOP", "s", strconv.Itoa(left+10)))
			if hdr != setHdr+strconv.Itoa(left) || len(items) != left {
				t.Fatalf("%s SPOP all: header %q", kind, hdr)
			}
			for _, it := range items {
				if !members[it] {
					t.Fatalf("%s SPOP all: %q", kind, it)
				}
			}
			if got := c.Do("EXISTS", "s"); got != ":0\r\n" {
				t.Fatalf("%s: the emptied set was not deleted", kind)
			}
		}
	}
}

// TestSetScanBigTable walks a hash table set with small COUNTs while it
// changes: every member present throughout comes back, the cursor ends at
// 0, and MATCH filters.
func TestSetScanBigTable(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	for i := 0; i < 1000; i++ {
		c.Do("SADD", "s", "m"+strconv.Itoa(i))
	}
	if got := c.Do("OBJECT", "ENCODING", "s"); got != "$9\r\nhashtable\r\n" {
		t.Fatalf("encoding %q", got)
	}
	seen := map[string]bool{}
	cursor := "0"
	for calls := 0; ; calls++ {
		reply := c.Do("SSCAN", "s", cursor, "COUNT", "7")
		// *2 $n cursor *k members...
		rest := reply[len("*2\r\n"):]
		j := strings.Index(rest, "\r\n")
		n, _ := strconv.Atoi(rest[1:j])
		cursor = rest[j+2 : j+2+n]
		_, items := parseBulks(t, rest[j+2+n+2:])
		for _, it := range items {
			seen[it] = true
		}
		// Members added and removed in between must not hide the others.
		c.Do("SADD", "s", "extra"+strconv.Itoa(calls))
		c.Do("SREM", "s", "extra"+strconv.Itoa(calls-3))
		if cursor == "0" {
			break
		}
		if calls > 10000 {
			t.Fatal("SSCAN does not end")
		}
	}
	for i := 0; i < 1000; i++ {
		if !seen["m"+strconv.Itoa(i)] {
			t.Fatalf("m%d never returned", i)
		}
	}
	// MATCH on a table.
	cursor = "0"
	var matched []string
	for {
		reply := c.Do("SSCAN", "s", cursor, "MATCH", "m99*", "COUNT", "100")
		rest := reply[len("*2\r\n"):]
		j := strings.Index(rest, "\r\n")
		n, _ := strconv.Atoi(rest[1:j])
		cursor = rest[j+2 : j+2+n]
		_, items := parseBulks(t, rest[j+2+n+2:])
		matched = append(matched, items...)
		if cursor == "0" {
			break
		}
	}
	slices.Sort(matched)
	matched = slices.Compact(matched)
	if want := []string{"m99", "m990", "m991", "m992", "m993", "m994", "m995", "m996", "m997", "m998", "m999"}; !slices.Equal(matched, want) {
		t.Fatalf("MATCH m99*: %v", matched)
	}
}

// TestSetHashtableReplies checks replies whose order Redis leaves to its
// hash table by comparing them sorted.
func TestSetHashtableReplies(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	c.Do("SADD", "a", "x", "y", "z", "1")
	c.Do("SADD", "b", "y", "z", "w")
	sorted := func(reply string) []string {
		_, items := parseBulks(t, reply)
		slices.Sort(items)
		return items
	}
	for _, tc := range []struct {
		cmd  []string
		want []string
	}{
		{[]string{"SMEMBERS", "a"}, []string{"1", "x", "y", "z"}},
		{[]string{"SINTER", "a", "b"}, []string{"y", "z"}},
		{[]string{"SUNION", "a", "b"}, []string{"1", "w", "x", "y", "z"}},
		{[]string{"SDIFF", "a", "b"}, []string{"1", "x"}},
		{[]string{"SRANDMEMBER", "a", "10"}, []string{"1", "x", "y", "z"}},
	} {
		if got := sorted(c.Do(tc.cmd...)); !slices.Equal(got, tc.want) {
			t.Errorf("%q: %v, want %v", tc.cmd, got, tc.want)
		}
	}
}

// TestSetWatchAndDirty checks that writes touch WATCHed keys and that
// no-op writes do not.
func TestSetWatchAndDirty(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	other := dialRaw(t, s)
	c.Do("SADD", "s", "a")
	for _, tc := range []struct {
		write   []string
		aborted bool
	}{
		{[]string{"SADD", "s", "a"}, false},
		{[]string{"SADD", "s", "b"}, true},
		{[]string{"SREM", "s", "zz"}, false},
		{[]string{"SREM", "s", "b"}, true},
		{[]string{"SMOVE", "s", "d", "zz"}, false},
		{[]string{"SMOVE", "s", "d", "a"}, true},
		{[]string{"SADD", "s", "a"}, true},
		{[]string{"SINTERSTORE", "s", "s"}, true},
		{[]string{"SPOP", "s", "0"}, false},
		{[]string{"SPOP", "s"}, true},
	} {
		c.Do("WATCH", "s")
		other.Do(tc.write...)
		c.Do("MULTI")
		c.Do("PING")
		got := c.Do("EXEC")
		if aborted := got == "*-1\r\n"; aborted != tc.aborted {
			t.Errorf("%q: EXEC %q, aborted %v want %v", tc.write, got, aborted, tc.aborted)
		}
	}
}

// BenchmarkDispatchSadd is redis-benchmark's sadd test: one set growing
// with random members.
func BenchmarkDispatchSadd(b *testing.B) {
	gen := func(r *rand.Rand) []string {
		return []string{"SADD", "myset", "element:" + strconv.Itoa(r.IntN(1000000))}
	}
	benchDispatch(b, gen, 16, nil)
}

// BenchmarkDispatchSaddSmallSets adds members to many small sets.
func BenchmarkDispatchSaddSmallSets(b *testing.B) {
	gen := func(r *rand.Rand) []string {
		return []string{"SADD", "set:" + strconv.Itoa(r.IntN(100000)), "member:" + strconv.Itoa(r.IntN(10))}
	}
	benchDispatch(b, gen, 16, nil)
}

// A repeated SADD member counts once against set-max-intset-entries, and
// SPOP that leaves at most a fifth of what it pops builds a new set of the
// rest, which is an intset again when it can be, as Redis's SPOP does.
func TestSetIntsetAfterRepeatsAndLargePops(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"config", "set", "set-max-intset-entries", "3"}, "+OK\r\n"},
		{[]string{"sadd", "dup", "1", "1", "2", "2", "3", "3"}, ":3\r\n"},
		{[]string{"object", "encoding", "dup"}, "$6\r\nintset\r\n"},
	})
	c.Do("SADD", "sp", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10")
	c.Do("SPOP", "sp", "7") // leaves 3, over a fifth of 7: the set stays
	runCases(t, c, []replyCase{{[]string{"object", "encoding", "sp"}, "$9\r\nhashtable\r\n"}})
	c.Do("SADD", "sp", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20")
	c.Do("SPOP", "sp", "11") // leaves 2: a new set
	runCases(t, c, []replyCase{
		{[]string{"object", "encoding", "sp"}, "$6\r\nintset\r\n"},
		{[]string{"scard", "sp"}, ":2\r\n"},
	})
}
