package server

import (
	"strconv"
	"sync"
	"testing"
)

// Expected replies below were recorded from Redis 7.0.15 (run in the C
// locale).

// TestSortOptionsAndErrors pins SORT's option parsing: later ASC/DESC, LIMIT
// and STORE win, missing arguments and unknown words are syntax errors,
// LIMIT's integers, SORT_RO without STORE, WRONGTYPE after the options,
// missing keys, and LIMIT's clamping of huge and negative values.
func TestSortOptionsAndErrors(t *testing.T) {
	runSetCases(t, []replyCase{
		{[]string{"rpush", "l", "3", "1", "2"}, ":3\r\n"},
		{[]string{"set", "str", "x"}, "+OK\r\n"},
		{[]string{"sort", "l"}, "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"},
		{[]string{"sort", "l", "asc"}, "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"},
		{[]string{"sort", "l", "desc"}, "*3\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n1\r\n"},
		{[]string{"sort", "l", "asc", "desc"}, "*3\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n1\r\n"},
		{[]string{"sort", "l", "desc", "asc"}, "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"},
		{[]string{"sort", "l", "limit", "0"}, "-ERR syntax error\r\n"},
		{[]string{"sort", "l", "limit", "x", "1"}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"sort", "l", "limit", "0", "x"}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"sort", "l", "limit", "1.5", "1"}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"sort", "l", "foo"}, "-ERR syntax error\r\n"},
		{[]string{"sort", "l", "store"}, "-ERR syntax error\r\n"},
		{[]string{"sort_ro", "l", "store", "d"}, "-ERR syntax error\r\n"},
		{[]string{"sort_ro", "l"}, "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"},
		{[]string{"sort_ro", "l", "desc", "limit", "0", "1"}, "*1\r\n$1\r\n3\r\n"},
		{[]string{"sort", "l", "by"}, "-ERR syntax error\r\n"},
		{[]string{"sort", "l", "get"}, "-ERR syntax error\r\n"},
		{[]string{"sort", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sort", "str", "foo"}, "-ERR syntax error\r\n"},
		{[]string{"sort", "str", "limit", "0", "x"}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"sort_ro", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sort", "nokey"}, "*0\r\n"},
		{[]string{"sort", "nokey", "store", "d"}, ":0\r\n"},
		{[]string{"sort", "nokey", "by", "w:*", "get", "#"}, "*0\r\n"},
		{[]string{"sort", "l", "limit", "2", "9223372036854775807"}, "*1\r\n$1\r\n3\r\n"},
		{[]string{"sort", "l", "limit", "1", "9223372036854775807"}, "*2\r\n$1\r\n2\r\n$1\r\n3\r\n"},
		{[]string{"sort", "l", "limit", "-5", "2"}, "*2\r\n$1\r\n1\r\n$1\r\n2\r\n"},
		{[]string{"sort", "l", "limit", "1", "-1"}, "*2\r\n$1\r\n2\r\n$1\r\n3\r\n"},
		{[]string{"sort", "l", "limit", "5", "1"}, "*0\r\n"},
		{[]string{"sort", "l", "limit", "0", "0"}, "*0\r\n"},
		{[]string{"sort", "l", "limit", "-9223372036854775808", "-9223372036854775808"}, "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"},
		{[]string{"sort", "l", "LIMIT", "0", "1", "LIMIT", "1", "5"}, "*2\r\n$1\r\n2\r\n$1\r\n3\r\n"},
		{[]string{"sort", "l", "STORE", "a", "STORE", "b"}, ":3\r\n"},
		{[]string{"exists", "a"}, ":0\r\n"},
		{[]string{"lrange", "b", "0", "-1"}, "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"},
		{[]string{"sort"}, "-ERR wrong number of arguments for 'sort' command\r\n"},
		{[]string{"sort_ro"}, "-ERR wrong number of arguments for 'sort_ro' command\r\n"},
	}, []replyCase{
		{[]string{"rpush", "l", "3", "1", "2"}, ":3\r\n"},
		{[]string{"set", "str", "x"}, "+OK\r\n"},
		{[]string{"sort", "l"}, "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"},
		{[]string{"sort", "l", "asc"}, "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"},
		{[]string{"sort", "l", "desc"}, "*3\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n1\r\n"},
		{[]string{"sort", "l", "asc", "desc"}, "*3\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n1\r\n"},
		{[]string{"sort", "l", "desc", "asc"}, "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"},
		{[]string{"sort", "l", "limit", "0"}, "-ERR syntax error\r\n"},
		{[]string{"sort", "l", "limit", "x", "1"}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"sort", "l", "limit", "0", "x"}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"sort", "l", "limit", "1.5", "1"}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"sort", "l", "foo"}, "-ERR syntax error\r\n"},
		{[]string{"sort", "l", "store"}, "-ERR syntax error\r\n"},
		{[]string{"sort_ro", "l", "store", "d"}, "-ERR syntax error\r\n"},
		{[]string{"sort_ro", "l"}, "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"},
		{[]string{"sort_ro", "l", "desc", "limit", "0", "1"}, "*1\r\n$1\r\n3\r\n"},
		{[]string{"sort", "l", "by"}, "-ERR syntax error\r\n"},
		{[]string{"sort", "l", "get"}, "-ERR syntax error\r\n"},
		{[]string{"sort", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sort", "str", "foo"}, "-ERR syntax error\r\n"},
		{[]string{"sort", "str", "limit", "0", "x"}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"sort_ro", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"sort", "nokey"}, "*0\r\n"},
		{[]string{"sort", "nokey", "store", "d"}, ":0\r\n"},
		{[]string{"sort", "nokey", "by", "w:*", "get", "#"}, "*0\r\n"},
		{[]string{"sort", "l", "limit", "2", "9223372036854775807"}, "*1\r\n$1\r\n3\r\n"},
		{[]string{"sort", "l", "limit", "1", "9223372036854775807"}, "*2\r\n$1\r\n2\r\n$1\r\n3\r\n"},
		{[]string{"sort", "l", "limit", "-5", "2"}, "*2\r\n$1\r\n1\r\n$1\r\n2\r\n"},
		{[]string{"sort", "l", "limit", "1", "-1"}, "*2\r\n$1\r\n2\r\n$1\r\n3\r\n"},
		{[]string{"sort", "l", "limit", "5", "1"}, "*0\r\n"},
		{[]string{"sort", "l", "limit", "0", "0"}, "*0\r\n"},
		{[]string{"sort", "l", "limit", "-9223372036854775808", "-9223372036854775808"}, "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"},
		{[]string{"sort", "l", "LIMIT", "0", "1", "LIMIT", "1", "5"}, "*2\r\n$1\r\n2\r\n$1\r\n3\r\n"},
		{[]string{"sort", "l", "STORE", "a", "STORE", "b"}, ":3\r\n"},
		{[]string{"exists", "a"}, ":0\r\n"},
		{[]string{"lrange", "b", "0", "-1"}, "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"},
		{[]string{"sort"}, "-ERR wrong number of arguments for 'sort' command\r\n"},
		{[]string{"sort_ro"}, "-ERR wrong number of arguments for 'sort_ro' command\r\n"},
	})
}

// TestSortNumericWeights pins how weights are read: C strtod on the C string
// (leading space, hex, inf, trailing bytes after a NUL accepted; trailing
// space, NaN, overflow and underflow refused) and numeric ties broken by the
// elements' bytes, reversed by DESC.
func TestSortNumericWeights(t *testing.T) {
	runSetCases(t, []replyCase{
		{[]string{"rpush", "l", "a", "b", "c", "d", "e", "f", "g", "h"}, ":8\r\n"},
		{[]string{"set", "w:a", ""}, "+OK\r\n"},
		{[]string{"set", "w:b", " 1"}, "+OK\r\n"},
		{[]string{"set", "w:c", "0x10"}, "+OK\r\n"},
		{[]string{"set", "w:d", "inf"}, "+OK\r\n"},
		{[]string{"set", "w:e", "-inf"}, "+OK\r\n"},
		{[]string{"set", "w:f", "1\x00abc"}, "+OK\r\n"},
		{[]string{"set", "w:g", "+5"}, "+OK\r\n"},
		{[]string{"set", "w:h", ".5"}, "+OK\r\n"},
		{[]string{"sort", "l", "by", "w:*"}, "*8\r\n$1\r\ne\r\n$1\r\na\r\n$1\r\nh\r\n$1\r\nb\r\n$1\r\nf\r\n$1\r\ng\r\n$1\r\nc\r\n$1\r\nd\r\n"},
		{[]string{"sort", "l", "by", "w:*", "desc"}, "*8\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\ng\r\n$1\r\nf\r\n$1\r\nb\r\n$1\r\nh\r\n$1\r\na\r\n$1\r\ne\r\n"},
		{[]string{"set", "w:h", "1 "}, "+OK\r\n"},
		{[]string{"sort", "l", "by", "w:*"}, "-ERR One or more scores can't be converted into double\r\n"},
		{[]string{"set", "w:h", "nan"}, "+OK\r\n"},
		{[]string{"sort", "l", "by", "w:*"}, "-ERR One or more scores can't be converted into double\r\n"},
		{[]string{"set", "w:h", "  "}, "+OK\r\n"},
		{[]string{"sort", "l", "by", "w:*"}, "-ERR One or more scores can't be converted into double\r\n"},
		{[]string{"set", "w:h", "1e"}, "+OK\r\n"},
		{[]string{"sort", "l", "by", "w:*"}, "-ERR One or more scores can't be converted into double\r\n"},
		{[]string{"set", "w:h", "1_0"}, "+OK\r\n"},
		{[]string{"sort", "l", "by", "w:*"}, "-ERR One or more scores can't be converted into double\r\n"},
		{[]string{"set", "w:h", "0x1p3"}, "+OK\r\n"},
		{[]string{"sort", "l", "by", "w:*"}, "*8\r\n$1\r\ne\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nf\r\n$1\r\ng\r\n$1\r\nh\r\n$1\r\nc\r\n$1\r\nd\r\n"},
		{[]string{"rpush", "n", "10", "9", "1e1", "-0", "0", "x"}, ":6\r\n"},
		{[]string{"sort", "n"}, "-ERR One or more scores can't be converted into double\r\n"},
		{[]string{"lrem", "n", "0", "x"}, ":1\r\n"},
		{[]string{"sort", "n"}, "*5\r\n$2\r\n-0\r\n$1\r\n0\r\n$1\r\n9\r\n$2\r\n10\r\n$3\r\n1e1\r\n"},
		{[]string{"sort", "n", "desc"}, "*5\r\n$3\r\n1e1\r\n$2\r\n10\r\n$1\r\n9\r\n$1\r\n0\r\n$2\r\n-0\r\n"},
		{[]string{"sort", "n", "alpha"}, "*5\r\n$2\r\n-0\r\n$1\r\n0\r\n$2\r\n10\r\n$3\r\n1e1\r\n$1\r\n9\r\n"},
		{[]string{"rpush", "t", "2", "1", "2", "01", "1.0"}, ":5\r\n"},
		{[]string{"sort", "t"}, "*5\r\n$2\r\n01\r\n$1\r\n1\r\n$3\r\n1.0\r\n$1\r\n2\r\n$1\r\n2\r\n"},
		{[]string{"sort", "t", "desc"}, "*5\r\n$1\r\n2\r\n$1\r\n2\r\n$3\r\n1.0\r\n$1\r\n1\r\n$2\r\n01\r\n"},
		// Overflow and underflow come last: Redis 7.0 tests errno without
		// clearing it, so a stale ERANGE can fail the next numeric SORT too.
		{[]string{"set", "w:h", "1e-310"}, "+OK\r\n"},
		{[]string{"sort", "l", "by", "w:*"}, "-ERR One or more scores can't be converted into double\r\n"},
		{[]string{"set", "w:h", "1e400"}, "+OK\r\n"},
		{[]string{"sort", "l", "by", "w:*"}, "-ERR One or more scores can't be converted into double\r\n"},
	}, []replyCase{
		{[]string{"rpush", "l", "a", "b", "c", "d", "e", "f", "g", "h"}, ":8\r\n"},
		{[]string{"set", "w:a", ""}, "+OK\r\n"},
		{[]string{"set", "w:b", " 1"}, "+OK\r\n"},
		{[]string{"set", "w:c", "0x10"}, "+OK\r\n"},
		{[]string{"set", "w:d", "inf"}, "+OK\r\n"},
		{[]string{"set", "w:e", "-inf"}, "+OK\r\n"},
		{[]string{"set", "w:f", "1\x00abc"}, "+OK\r\n"},
		{[]string{"set", "w:g", "+5"}, "+OK\r\n"},
		{[]string{"set", "w:h", ".5"}, "+OK\r\n"},
		{[]string{"sort", "l", "by", "w:*"}, "*8\r\n$1\r\ne\r\n$1\r\na\r\n$1\r\nh\r\n$1\r\nb\r\n$1\r\nf\r\n$1\r\ng\r\n$1\r\nc\r\n$1\r\nd\r\n"},
		{[]string{"sort", "l", "by", "w:*", "desc"}, "*8\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\ng\r\n$1\r\nf\r\n$1\r\nb\r\n$1\r\nh\r\n$1\r\na\r\n$1\r\ne\r\n"},
		{[]string{"set", "w:h", "1 "}, "+OK\r\n"},
		{[]string{"sort", "l", "by", "w:*"}, "-ERR One or more scores can't be converted into double\r\n"},
		{[]string{"set", "w:h", "nan"}, "+OK\r\n"},
		{[]string{"sort", "l", "by", "w:*"}, "-ERR One or more scores can't be converted into double\r\n"},
		{[]string{"set", "w:h", "  "}, "+OK\r\n"},
		{[]string{"sort", "l", "by", "w:*"}, "-ERR One or more scores can't be converted into double\r\n"},
		{[]string{"set", "w:h", "1e"}, "+OK\r\n"},
		{[]string{"sort", "l", "by", "w:*"}, "-ERR One or more scores can't be converted into double\r\n"},
		{[]string{"set", "w:h", "1_0"}, "+OK\r\n"},
		{[]string{"sort", "l", "by", "w:*"}, "-ERR One or more scores can't be converted into double\r\n"},
		{[]string{"set", "w:h", "0x1p3"}, "+OK\r\n"},
		{[]string{"sort", "l", "by", "w:*"}, "*8\r\n$1\r\ne\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nf\r\n$1\r\ng\r\n$1\r\nh\r\n$1\r\nc\r\n$1\r\nd\r\n"},
		{[]string{"rpush", "n", "10", "9", "1e1", "-0", "0", "x"}, ":6\r\n"},
		{[]string{"sort", "n"}, "-ERR One or more scores can't be converted into double\r\n"},
		{[]string{"lrem", "n", "0", "x"}, ":1\r\n"},
		{[]string{"sort", "n"}, "*5\r\n$2\r\n-0\r\n$1\r\n0\r\n$1\r\n9\r\n$2\r\n10\r\n$3\r\n1e1\r\n"},
		{[]string{"sort", "n", "desc"}, "*5\r\n$3\r\n1e1\r\n$2\r\n10\r\n$1\r\n9\r\n$1\r\n0\r\n$2\r\n-0\r\n"},
		{[]string{"sort", "n", "alpha"}, "*5\r\n$2\r\n-0\r\n$1\r\n0\r\n$2\r\n10\r\n$3\r\n1e1\r\n$1\r\n9\r\n"},
		{[]string{"rpush", "t", "2", "1", "2", "01", "1.0"}, ":5\r\n"},
		{[]string{"sort", "t"}, "*5\r\n$2\r\n01\r\n$1\r\n1\r\n$3\r\n1.0\r\n$1\r\n2\r\n$1\r\n2\r\n"},
		{[]string{"sort", "t", "desc"}, "*5\r\n$1\r\n2\r\n$1\r\n2\r\n$3\r\n1.0\r\n$1\r\n1\r\n$2\r\n01\r\n"},
		// Overflow and underflow come last: Redis 7.0 tests errno without
		// clearing it, so a stale ERANGE can fail the next numeric SORT too.
		{[]string{"set", "w:h", "1e-310"}, "+OK\r\n"},
		{[]string{"sort", "l", "by", "w:*"}, "-ERR One or more scores can't be converted into double\r\n"},
		{[]string{"set", "w:h", "1e400"}, "+OK\r\n"},
		{[]string{"sort", "l", "by", "w:*"}, "-ERR One or more scores can't be converted into double\r\n"},
	})
}

// TestSortByAndGetPatterns pins BY and GET patterns: string keys, hash
// fields with ->, #, patterns without '*', the first '*' only, NUL bytes in
// patterns, a missing BY value (0, or first under ALPHA), and BY without '*'
// meaning no sort at all.
func TestSortByAndGetPatterns(t *testing.T) {
	runSetCases(t, []replyCase{
		{[]string{"rpush", "l", "3", "1", "2", "10"}, ":4\r\n"},
		{[]string{"set", "w:1", "30"}, "+OK\r\n"},
		{[]string{"set", "w:2", "20"}, "+OK\r\n"},
		{[]string{"set", "w:3", "10"}, "+OK\r\n"},
		{[]string{"hset", "h:1", "f", "3", "g", "x"}, ":2\r\n"},
		{[]string{"hset", "h:2", "f", "1"}, ":1\r\n"},
		{[]string{"hset", "h:10", "f", "2", "g", "y"}, ":2\r\n"},
		{[]string{"set", "o:1", "one"}, "+OK\r\n"},
		{[]string{"set", "o:2", "two"}, "+OK\r\n"},
		{[]string{"sort", "l", "by", "w:*"}, "*4\r\n$2\r\n10\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n1\r\n"},
		{[]string{"sort", "l", "by", "w:*", "desc"}, "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n"},
		{[]string{"sort", "l", "by", "w:*", "get", "o:*", "get", "#"}, "*8\r\n$-1\r\n$2\r\n10\r\n$-1\r\n$1\r\n3\r\n$3\r\ntwo\r\n$1\r\n2\r\n$3\r\none\r\n$1\r\n1\r\n"},
		{[]string{"sort", "l", "by", "h:*->f"}, "*4\r\n$1\r\n3\r\n$1\r\n2\r\n$2\r\n10\r\n$1\r\n1\r\n"},
		{[]string{"sort", "l", "by", "h:*->f", "get", "h:*->g", "get", "#", "get", "o:*"}, "*12\r\n$-1\r\n$1\r\n3\r\n$-1\r\n$-1\r\n$1\r\n2\r\n$3\r\ntwo\r\n$1\r\ny\r\n$2\r\n10\r\n$-1\r\n$1\r\nx\r\n$1\r\n1\r\n$3\r\none\r\n"},
		{[]string{"sort", "l", "by", "h:*->"}, "*4\r\n$1\r\n1\r\n$2\r\n10\r\n$1\r\n2\r\n$1\r\n3\r\n"},
		{[]string{"sort", "l", "get", "h:*->"}, "*4\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n"},
		{[]string{"sort", "l", "get", "foo"}, "*4\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n"},
		{[]string{"sort", "l", "get", "#", "get", "#"}, "*8\r\n$1\r\n1\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n3\r\n$2\r\n10\r\n$2\r\n10\r\n"},
		{[]string{"sort", "l", "get", "*"}, "*4\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n"},
		{[]string{"sort", "l", "get", "**"}, "*4\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n"},
		{[]string{"sort", "l", "by", "w:*", "limit", "1", "2", "get", "o:*"}, "*2\r\n$-1\r\n$3\r\ntwo\r\n"},
		{[]string{"sort", "l", "alpha", "by", "h:*->g"}, "*4\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n1\r\n$2\r\n10\r\n"},
		{[]string{"sort", "l", "alpha", "by", "h:*->g", "desc"}, "*4\r\n$2\r\n10\r\n$1\r\n1\r\n$1\r\n3\r\n$1\r\n2\r\n"},
		{[]string{"sort", "l", "by", "w:*->f"}, "*4\r\n$1\r\n1\r\n$2\r\n10\r\n$1\r\n2\r\n$1\r\n3\r\n"},
		{[]string{"sort", "l", "get", "w:*->f"}, "*4\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n"},
		{[]string{"sort", "l", "by", "h:*"}, "*4\r\n$1\r\n1\r\n$2\r\n10\r\n$1\r\n2\r\n$1\r\n3\r\n"},
		{[]string{"sort", "l", "get", "h:*"}, "*4\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n"},
		{[]string{"sort", "l", "by", "nosort", "get", "o:*"}, "*4\r\n$-1\r\n$3\r\none\r\n$3\r\ntwo\r\n$-1\r\n"},
		{[]string{"sort", "l", "by", "nosort", "desc", "limit", "1", "2"}, "*2\r\n$1\r\n2\r\n$1\r\n1\r\n"},
		{[]string{"sort", "l", "by", "#"}, "*4\r\n$1\r\n3\r\n$1\r\n1\r\n$1\r\n2\r\n$2\r\n10\r\n"},
		{[]string{"sort", "l", "by", "nosort", "by", "w:*"}, "*4\r\n$1\r\n3\r\n$1\r\n1\r\n$1\r\n2\r\n$2\r\n10\r\n"},
		{[]string{"sort", "l", "by", "w:*", "by", "nosort"}, "*4\r\n$1\r\n3\r\n$1\r\n1\r\n$1\r\n2\r\n$2\r\n10\r\n"},
		{[]string{"set", "pre1post", "v1"}, "+OK\r\n"},
		{[]string{"set", "pre2post", "v2"}, "+OK\r\n"},
		{[]string{"sort", "l", "get", "pre*post"}, "*4\r\n$2\r\nv1\r\n$2\r\nv2\r\n$-1\r\n$-1\r\n"},
		{[]string{"hset", "hh:1", "a->b", "v"}, ":1\r\n"},
		{[]string{"sort", "l", "get", "hh:*->a->b"}, "*4\r\n$1\r\nv\r\n$-1\r\n$-1\r\n$-1\r\n"},
		{[]string{"set", "k\x00*1", "nul"}, "+OK\r\n"},
		{[]string{"sort", "l", "get", "k\x00*"}, "*4\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n"},
		{[]string{"sort", "l", "get", "#\x00x"}, "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n"},
		{[]string{"set", "w:1", "notanumber"}, "+OK\r\n"},
		{[]string{"sort", "l", "by", "w:*"}, "-ERR One or more scores can't be converted into double\r\n"},
		{[]string{"sort", "l", "by", "w:*", "alpha"}, "*4\r\n$2\r\n10\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n1\r\n"},
		{[]string{"rpush", "big", "1"}, ":1\r\n"},
		{[]string{"sort", "big", "by", "nokey:*"}, "*1\r\n$1\r\n1\r\n"},
		{[]string{"sort", "big", "by", "nokey:*", "alpha"}, "*1\r\n$1\r\n1\r\n"},
	}, []replyCase{
		{[]string{"rpush", "l", "3", "1", "2", "10"}, ":4\r\n"},
		{[]string{"set", "w:1", "30"}, "+OK\r\n"},
		{[]string{"set", "w:2", "20"}, "+OK\r\n"},
		{[]string{"set", "w:3", "10"}, "+OK\r\n"},
		{[]string{"hset", "h:1", "f", "3", "g", "x"}, ":2\r\n"},
		{[]string{"hset", "h:2", "f", "1"}, ":1\r\n"},
		{[]string{"hset", "h:10", "f", "2", "g", "y"}, ":2\r\n"},
		{[]string{"set", "o:1", "one"}, "+OK\r\n"},
		{[]string{"set", "o:2", "two"}, "+OK\r\n"},
		{[]string{"sort", "l", "by", "w:*"}, "*4\r\n$2\r\n10\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n1\r\n"},
		{[]string{"sort", "l", "by", "w:*", "desc"}, "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n"},
		{[]string{"sort", "l", "by", "w:*", "get", "o:*", "get", "#"}, "*8\r\n_\r\n$2\r\n10\r\n_\r\n$1\r\n3\r\n$3\r\ntwo\r\n$1\r\n2\r\n$3\r\none\r\n$1\r\n1\r\n"},
		{[]string{"sort", "l", "by", "h:*->f"}, "*4\r\n$1\r\n3\r\n$1\r\n2\r\n$2\r\n10\r\n$1\r\n1\r\n"},
		{[]string{"sort", "l", "by", "h:*->f", "get", "h:*->g", "get", "#", "get", "o:*"}, "*12\r\n_\r\n$1\r\n3\r\n_\r\n_\r\n$1\r\n2\r\n$3\r\ntwo\r\n$1\r\ny\r\n$2\r\n10\r\n_\r\n$1\r\nx\r\n$1\r\n1\r\n$3\r\none\r\n"},
		{[]string{"sort", "l", "by", "h:*->"}, "*4\r\n$1\r\n1\r\n$2\r\n10\r\n$1\r\n2\r\n$1\r\n3\r\n"},
		{[]string{"sort", "l", "get", "h:*->"}, "*4\r\n_\r\n_\r\n_\r\n_\r\n"},
		{[]string{"sort", "l", "get", "foo"}, "*4\r\n_\r\n_\r\n_\r\n_\r\n"},
		{[]string{"sort", "l", "get", "#", "get", "#"}, "*8\r\n$1\r\n1\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n3\r\n$2\r\n10\r\n$2\r\n10\r\n"},
		{[]string{"sort", "l", "get", "*"}, "*4\r\n_\r\n_\r\n_\r\n_\r\n"},
		{[]string{"sort", "l", "get", "**"}, "*4\r\n_\r\n_\r\n_\r\n_\r\n"},
		{[]string{"sort", "l", "by", "w:*", "limit", "1", "2", "get", "o:*"}, "*2\r\n_\r\n$3\r\ntwo\r\n"},
		{[]string{"sort", "l", "alpha", "by", "h:*->g"}, "*4\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n1\r\n$2\r\n10\r\n"},
		{[]string{"sort", "l", "alpha", "by", "h:*->g", "desc"}, "*4\r\n$2\r\n10\r\n$1\r\n1\r\n$1\r\n3\r\n$1\r\n2\r\n"},
		{[]string{"sort", "l", "by", "w:*->f"}, "*4\r\n$1\r\n1\r\n$2\r\n10\r\n$1\r\n2\r\n$1\r\n3\r\n"},
		{[]string{"sort", "l", "get", "w:*->f"}, "*4\r\n_\r\n_\r\n_\r\n_\r\n"},
		{[]string{"sort", "l", "by", "h:*"}, "*4\r\n$1\r\n1\r\n$2\r\n10\r\n$1\r\n2\r\n$1\r\n3\r\n"},
		{[]string{"sort", "l", "get", "h:*"}, "*4\r\n_\r\n_\r\n_\r\n_\r\n"},
		{[]string{"sort", "l", "by", "nosort", "get", "o:*"}, "*4\r\n_\r\n$3\r\none\r\n$3\r\ntwo\r\n_\r\n"},
		{[]string{"sort", "l", "by", "nosort", "desc", "limit", "1", "2"}, "*2\r\n$1\r\n2\r\n$1\r\n1\r\n"},
		{[]string{"sort", "l", "by", "#"}, "*4\r\n$1\r\n3\r\n$1\r\n1\r\n$1\r\n2\r\n$2\r\n10\r\n"},
		{[]string{"sort", "l", "by", "nosort", "by", "w:*"}, "*4\r\n$1\r\n3\r\n$1\r\n1\r\n$1\r\n2\r\n$2\r\n10\r\n"},
		{[]string{"sort", "l", "by", "w:*", "by", "nosort"}, "*4\r\n$1\r\n3\r\n$1\r\n1\r\n$1\r\n2\r\n$2\r\n10\r\n"},
		{[]string{"set", "pre1post", "v1"}, "+OK\r\n"},
		{[]string{"set", "pre2post", "v2"}, "+OK\r\n"},
		{[]string{"sort", "l", "get", "pre*post"}, "*4\r\n$2\r\nv1\r\n$2\r\nv2\r\n_\r\n_\r\n"},
		{[]string{"hset", "hh:1", "a->b", "v"}, ":1\r\n"},
		{[]string{"sort", "l", "get", "hh:*->a->b"}, "*4\r\n$1\r\nv\r\n_\r\n_\r\n_\r\n"},
		{[]string{"set", "k\x00*1", "nul"}, "+OK\r\n"},
		{[]string{"sort", "l", "get", "k\x00*"}, "*4\r\n_\r\n_\r\n_\r\n_\r\n"},
		{[]string{"sort", "l", "get", "#\x00x"}, "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n"},
		{[]string{"set", "w:1", "notanumber"}, "+OK\r\n"},
		{[]string{"sort", "l", "by", "w:*"}, "-ERR One or more scores can't be converted into double\r\n"},
		{[]string{"sort", "l", "by", "w:*", "alpha"}, "*4\r\n$2\r\n10\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n1\r\n"},
		{[]string{"rpush", "big", "1"}, ":1\r\n"},
		{[]string{"sort", "big", "by", "nokey:*"}, "*1\r\n$1\r\n1\r\n"},
		{[]string{"sort", "big", "by", "nokey:*", "alpha"}, "*1\r\n$1\r\n1\r\n"},
	})
}

// TestSortStore pins STORE: the result is a list replacing any value and
// TTL, GET values missing are stored empty, an empty result deletes the
// destination, and the sorted key may be its own destination.
func TestSortStore(t *testing.T) {
	runSetCases(t, []replyCase{
		{[]string{"rpush", "l", "3", "1", "2", "10"}, ":4\r\n"},
		{[]string{"set", "o:1", "one"}, "+OK\r\n"},
		{[]string{"set", "o:2", "two"}, "+OK\r\n"},
		{[]string{"sort", "l", "store", "d"}, ":4\r\n"},
		{[]string{"lrange", "d", "0", "-1"}, "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n"},
		{[]string{"type", "d"}, "+list\r\n"},
		{[]string{"object", "encoding", "d"}, "$9\r\nquicklist\r\n"},
		{[]string{"sort", "l", "get", "o:*", "get", "#", "store", "d"}, ":8\r\n"},
		{[]string{"lrange", "d", "0", "-1"}, "*8\r\n$3\r\none\r\n$1\r\n1\r\n$3\r\ntwo\r\n$1\r\n2\r\n$0\r\n\r\n$1\r\n3\r\n$0\r\n\r\n$2\r\n10\r\n"},
		{[]string{"sort", "l", "limit", "9", "9", "store", "d"}, ":0\r\n"},
		{[]string{"exists", "d"}, ":0\r\n"},
		{[]string{"set", "ttl", "v"}, "+OK\r\n"},
		{[]string{"expire", "ttl", "100"}, ":1\r\n"},
		{[]string{"sort", "l", "store", "ttl"}, ":4\r\n"},
		{[]string{"ttl", "ttl"}, ":-1\r\n"},
		{[]string{"sort", "l", "store", "l"}, ":4\r\n"},
		{[]string{"lrange", "l", "0", "-1"}, "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n"},
		{[]string{"sort", "nokey", "store", "l"}, ":0\r\n"},
		{[]string{"exists", "l"}, ":0\r\n"},
		{[]string{"rpush", "m", "a", "b"}, ":2\r\n"},
		{[]string{"sort", "m", "store", "d2"}, "-ERR One or more scores can't be converted into double\r\n"},
		{[]string{"exists", "d2"}, ":0\r\n"},
	}, []replyCase{
		{[]string{"rpush", "l", "3", "1", "2", "10"}, ":4\r\n"},
		{[]string{"set", "o:1", "one"}, "+OK\r\n"},
		{[]string{"set", "o:2", "two"}, "+OK\r\n"},
		{[]string{"sort", "l", "store", "d"}, ":4\r\n"},
		{[]string{"lrange", "d", "0", "-1"}, "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n"},
		{[]string{"type", "d"}, "+list\r\n"},
		{[]string{"object", "encoding", "d"}, "$9\r\nquicklist\r\n"},
		{[]string{"sort", "l", "get", "o:*", "get", "#", "store", "d"}, ":8\r\n"},
		{[]string{"lrange", "d", "0", "-1"}, "*8\r\n$3\r\none\r\n$1\r\n1\r\n$3\r\ntwo\r\n$1\r\n2\r\n$0\r\n\r\n$1\r\n3\r\n$0\r\n\r\n$2\r\n10\r\n"},
		{[]string{"sort", "l", "limit", "9", "9", "store", "d"}, ":0\r\n"},
		{[]string{"exists", "d"}, ":0\r\n"},
		{[]string{"set", "ttl", "v"}, "+OK\r\n"},
		{[]string{"expire", "ttl", "100"}, ":1\r\n"},
		{[]string{"sort", "l", "store", "ttl"}, ":4\r\n"},
		{[]string{"ttl", "ttl"}, ":-1\r\n"},
		{[]string{"sort", "l", "store", "l"}, ":4\r\n"},
		{[]string{"lrange", "l", "0", "-1"}, "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n"},
		{[]string{"sort", "nokey", "store", "l"}, ":0\r\n"},
		{[]string{"exists", "l"}, ":0\r\n"},
		{[]string{"rpush", "m", "a", "b"}, ":2\r\n"},
		{[]string{"sort", "m", "store", "d2"}, "-ERR One or more scores can't be converted into double\r\n"},
		{[]string{"exists", "d2"}, ":0\r\n"},
	})
}

// TestSortSetsAndSortedSets pins SORT on sets (BY nosort with STORE sorts
// ALPHA) and sorted sets (BY nosort keeps score order, DESC and LIMIT on
// ranks, and any SORT converting a compact sorted set to a skiplist, keeping
// its TTL).
func TestSortSetsAndSortedSets(t *testing.T) {
	runSetCases(t, []replyCase{
		{[]string{"set", "w:1", "30"}, "+OK\r\n"},
		{[]string{"set", "w:2", "20"}, "+OK\r\n"},
		{[]string{"sadd", "s", "3", "1", "2", "10"}, ":4\r\n"},
		{[]string{"sort", "s"}, "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n"},
		{[]string{"sort", "s", "desc"}, "*4\r\n$2\r\n10\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n1\r\n"},
		{[]string{"sort", "s", "alpha"}, "*4\r\n$1\r\n1\r\n$2\r\n10\r\n$1\r\n2\r\n$1\r\n3\r\n"},
		{[]string{"sort", "s", "alpha", "desc"}, "*4\r\n$1\r\n3\r\n$1\r\n2\r\n$2\r\n10\r\n$1\r\n1\r\n"},
		{[]string{"sort", "s", "by", "w:*"}, "*4\r\n$2\r\n10\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n1\r\n"},
		{[]string{"sort", "s", "by", "nosort"}, "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n"},
		{[]string{"sort", "s", "by", "nosort", "limit", "1", "2"}, "*2\r\n$1\r\n2\r\n$1\r\n3\r\n"},
		{[]string{"sort", "s", "by", "nosort", "store", "d"}, ":4\r\n"},
		{[]string{"lrange", "d", "0", "-1"}, "*4\r\n$1\r\n1\r\n$2\r\n10\r\n$1\r\n2\r\n$1\r\n3\r\n"},
		{[]string{"sort_ro", "s", "limit", "1", "1"}, "*1\r\n$1\r\n2\r\n"},
		{[]string{"sadd", "hs", "10", "9", "8", "x"}, ":4\r\n"},
		{[]string{"sort", "hs", "by", "nosort", "store", "d"}, ":4\r\n"},
		{[]string{"lrange", "d", "0", "-1"}, "*4\r\n$2\r\n10\r\n$1\r\n8\r\n$1\r\n9\r\n$1\r\nx\r\n"},
		{[]string{"sort", "hs", "alpha"}, "*4\r\n$2\r\n10\r\n$1\r\n8\r\n$1\r\n9\r\n$1\r\nx\r\n"},
		{[]string{"sort", "hs"}, "-ERR One or more scores can't be converted into double\r\n"},
		{[]string{"zadd", "z", "5", "a", "3", "b", "4", "c"}, ":3\r\n"},
		{[]string{"object", "encoding", "z"}, "$8\r\nlistpack\r\n"},
		{[]string{"sort", "z", "alpha"}, "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n"},
		{[]string{"object", "encoding", "z"}, "$8\r\nskiplist\r\n"},
		{[]string{"sort", "z", "by", "nosort"}, "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n"},
		{[]string{"sort", "z", "by", "nosort", "desc"}, "*3\r\n$1\r\na\r\n$1\r\nc\r\n$1\r\nb\r\n"},
		{[]string{"sort", "z", "by", "nosort", "limit", "1", "5"}, "*2\r\n$1\r\nc\r\n$1\r\na\r\n"},
		{[]string{"sort", "z", "by", "nosort", "desc", "limit", "1", "1"}, "*1\r\n$1\r\nc\r\n"},
		{[]string{"sort", "z", "by", "nosort", "limit", "0", "1"}, "*1\r\n$1\r\nb\r\n"},
		{[]string{"sort", "z", "by", "nosort", "limit", "5", "1"}, "*0\r\n"},
		{[]string{"sort", "z"}, "-ERR One or more scores can't be converted into double\r\n"},
		{[]string{"zadd", "z2", "1", "x"}, ":1\r\n"},
		{[]string{"sort_ro", "z2", "by", "nosort"}, "*1\r\n$1\r\nx\r\n"},
		{[]string{"object", "encoding", "z2"}, "$8\r\nskiplist\r\n"},
		{[]string{"zadd", "z3", "1", "x"}, ":1\r\n"},
		{[]string{"expire", "z3", "100"}, ":1\r\n"},
		{[]string{"sort", "z3"}, "-ERR One or more scores can't be converted into double\r\n"},
		{[]string{"object", "encoding", "z3"}, "$8\r\nskiplist\r\n"},
		{[]string{"ttl", "z3"}, ":100\r\n"},
		{[]string{"set", "x:a", "1"}, "+OK\r\n"},
		{[]string{"set", "x:b", "1"}, "+OK\r\n"},
		{[]string{"set", "x:c", "0"}, "+OK\r\n"},
		{[]string{"sort", "z", "by", "x:*"}, "*3\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nb\r\n"},
		{[]string{"sort", "z", "by", "x:*", "desc"}, "*3\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\nc\r\n"},
		{[]string{"sort", "z", "by", "x:*", "store", "zd"}, ":3\r\n"},
		{[]string{"lrange", "zd", "0", "-1"}, "*3\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nb\r\n"},
		{[]string{"zadd", "nz", "1", "10", "2", "2", "3", "-5"}, ":3\r\n"},
		{[]string{"sort", "nz"}, "*3\r\n$2\r\n-5\r\n$1\r\n2\r\n$2\r\n10\r\n"},
		{[]string{"sort", "nz", "desc", "limit", "0", "2"}, "*2\r\n$2\r\n10\r\n$1\r\n2\r\n"},
	}, []replyCase{
		{[]string{"set", "w:1", "30"}, "+OK\r\n"},
		{[]string{"set", "w:2", "20"}, "+OK\r\n"},
		{[]string{"sadd", "s", "3", "1", "2", "10"}, ":4\r\n"},
		{[]string{"sort", "s"}, "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n"},
		{[]string{"sort", "s", "desc"}, "*4\r\n$2\r\n10\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n1\r\n"},
		{[]string{"sort", "s", "alpha"}, "*4\r\n$1\r\n1\r\n$2\r\n10\r\n$1\r\n2\r\n$1\r\n3\r\n"},
		{[]string{"sort", "s", "alpha", "desc"}, "*4\r\n$1\r\n3\r\n$1\r\n2\r\n$2\r\n10\r\n$1\r\n1\r\n"},
		{[]string{"sort", "s", "by", "w:*"}, "*4\r\n$2\r\n10\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n1\r\n"},
		{[]string{"sort", "s", "by", "nosort"}, "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n"},
		{[]string{"sort", "s", "by", "nosort", "limit", "1", "2"}, "*2\r\n$1\r\n2\r\n$1\r\n3\r\n"},
		{[]string{"sort", "s", "by", "nosort", "store", "d"}, ":4\r\n"},
		{[]string{"lrange", "d", "0", "-1"}, "*4\r\n$1\r\n1\r\n$2\r\n10\r\n$1\r\n2\r\n$1\r\n3\r\n"},
		{[]string{"sort_ro", "s", "limit", "1", "1"}, "*1\r\n$1\r\n2\r\n"},
		{[]string{"sadd", "hs", "10", "9", "8", "x"}, ":4\r\n"},
		{[]string{"sort", "hs", "by", "nosort", "store", "d"}, ":4\r\n"},
		{[]string{"lrange", "d", "0", "-1"}, "*4\r\n$2\r\n10\r\n$1\r\n8\r\n$1\r\n9\r\n$1\r\nx\r\n"},
		{[]string{"sort", "hs", "alpha"}, "*4\r\n$2\r\n10\r\n$1\r\n8\r\n$1\r\n9\r\n$1\r\nx\r\n"},
		{[]string{"sort", "hs"}, "-ERR One or more scores can't be converted into double\r\n"},
		{[]string{"zadd", "z", "5", "a", "3", "b", "4", "c"}, ":3\r\n"},
		{[]string{"object", "encoding", "z"}, "$8\r\nlistpack\r\n"},
		{[]string{"sort", "z", "alpha"}, "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n"},
		{[]string{"object", "encoding", "z"}, "$8\r\nskiplist\r\n"},
		{[]string{"sort", "z", "by", "nosort"}, "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n"},
		{[]string{"sort", "z", "by", "nosort", "desc"}, "*3\r\n$1\r\na\r\n$1\r\nc\r\n$1\r\nb\r\n"},
		{[]string{"sort", "z", "by", "nosort", "limit", "1", "5"}, "*2\r\n$1\r\nc\r\n$1\r\na\r\n"},
		{[]string{"sort", "z", "by", "nosort", "desc", "limit", "1", "1"}, "*1\r\n$1\r\nc\r\n"},
		{[]string{"sort", "z", "by", "nosort", "limit", "0", "1"}, "*1\r\n$1\r\nb\r\n"},
		{[]string{"sort", "z", "by", "nosort", "limit", "5", "1"}, "*0\r\n"},
		{[]string{"sort", "z"}, "-ERR One or more scores can't be converted into double\r\n"},
		{[]string{"zadd", "z2", "1", "x"}, ":1\r\n"},
		{[]string{"sort_ro", "z2", "by", "nosort"}, "*1\r\n$1\r\nx\r\n"},
		{[]string{"object", "encoding", "z2"}, "$8\r\nskiplist\r\n"},
		{[]string{"zadd", "z3", "1", "x"}, ":1\r\n"},
		{[]string{"expire", "z3", "100"}, ":1\r\n"},
		{[]string{"sort", "z3"}, "-ERR One or more scores can't be converted into double\r\n"},
		{[]string{"object", "encoding", "z3"}, "$8\r\nskiplist\r\n"},
		{[]string{"ttl", "z3"}, ":100\r\n"},
		{[]string{"set", "x:a", "1"}, "+OK\r\n"},
		{[]string{"set", "x:b", "1"}, "+OK\r\n"},
		{[]string{"set", "x:c", "0"}, "+OK\r\n"},
		{[]string{"sort", "z", "by", "x:*"}, "*3\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nb\r\n"},
		{[]string{"sort", "z", "by", "x:*", "desc"}, "*3\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\nc\r\n"},
		{[]string{"sort", "z", "by", "x:*", "store", "zd"}, ":3\r\n"},
		{[]string{"lrange", "zd", "0", "-1"}, "*3\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nb\r\n"},
		{[]string{"zadd", "nz", "1", "10", "2", "2", "3", "-5"}, ":3\r\n"},
		{[]string{"sort", "nz"}, "*3\r\n$2\r\n-5\r\n$1\r\n2\r\n$2\r\n10\r\n"},
		{[]string{"sort", "nz", "desc", "limit", "0", "2"}, "*2\r\n$2\r\n10\r\n$1\r\n2\r\n"},
	})
}

// TestSortAlpha pins ALPHA ordering: C-locale strcoll (bytes up to the first
// NUL) when replying, binary comparison under STORE, and stability for equal
// strings.
func TestSortAlpha(t *testing.T) {
	runSetCases(t, []replyCase{
		{[]string{"rpush", "l", "a", "B", "b", "A", "\xc3\xa9", "z", "a\x00z", "a\x00b", "a", "ab"}, ":10\r\n"},
		{[]string{"sort", "l", "alpha"}, "*10\r\n$1\r\nA\r\n$1\r\nB\r\n$1\r\na\r\n$3\r\na\x00z\r\n$3\r\na\x00b\r\n$1\r\na\r\n$2\r\nab\r\n$1\r\nb\r\n$1\r\nz\r\n$2\r\n\xc3\xa9\r\n"},
		{[]string{"sort", "l", "alpha", "desc"}, "*10\r\n$2\r\n\xc3\xa9\r\n$1\r\nz\r\n$1\r\nb\r\n$2\r\nab\r\n$1\r\na\r\n$3\r\na\x00z\r\n$3\r\na\x00b\r\n$1\r\na\r\n$1\r\nB\r\n$1\r\nA\r\n"},
		{[]string{"sort", "l", "alpha", "store", "d"}, ":10\r\n"},
		{[]string{"lrange", "d", "0", "-1"}, "*10\r\n$1\r\nA\r\n$1\r\nB\r\n$1\r\na\r\n$1\r\na\r\n$3\r\na\x00b\r\n$3\r\na\x00z\r\n$2\r\nab\r\n$1\r\nb\r\n$1\r\nz\r\n$2\r\n\xc3\xa9\r\n"},
		{[]string{"sort", "l", "alpha", "desc", "store", "d"}, ":10\r\n"},
		{[]string{"lrange", "d", "0", "-1"}, "*10\r\n$2\r\n\xc3\xa9\r\n$1\r\nz\r\n$1\r\nb\r\n$2\r\nab\r\n$3\r\na\x00z\r\n$3\r\na\x00b\r\n$1\r\na\r\n$1\r\na\r\n$1\r\nB\r\n$1\r\nA\r\n"},
		{[]string{"sort", "l", "by", "nosort"}, "*10\r\n$1\r\na\r\n$1\r\nB\r\n$1\r\nb\r\n$1\r\nA\r\n$2\r\n\xc3\xa9\r\n$1\r\nz\r\n$3\r\na\x00z\r\n$3\r\na\x00b\r\n$1\r\na\r\n$2\r\nab\r\n"},
		{[]string{"sort", "l", "alpha", "limit", "2", "3"}, "*3\r\n$1\r\na\r\n$3\r\na\x00z\r\n$3\r\na\x00b\r\n"},
		{[]string{"rpush", "n", "1", "2", "3", "4"}, ":4\r\n"},
		{[]string{"set", "w:1", "b"}, "+OK\r\n"},
		{[]string{"set", "w:2", "a\x00z"}, "+OK\r\n"},
		{[]string{"set", "w:3", "a\x00b"}, "+OK\r\n"},
		{[]string{"sort", "n", "by", "w:*", "alpha"}, "*4\r\n$1\r\n4\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n1\r\n"},
		{[]string{"sort", "n", "by", "w:*", "alpha", "desc"}, "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n"},
		{[]string{"sort", "n", "by", "w:*", "alpha", "store", "d"}, ":4\r\n"},
		{[]string{"lrange", "d", "0", "-1"}, "*4\r\n$1\r\n4\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n1\r\n"},
		{[]string{"sort", "n", "by", "w:*", "alpha", "desc", "store", "d"}, ":4\r\n"},
		{[]string{"lrange", "d", "0", "-1"}, "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n"},
	}, []replyCase{
		{[]string{"rpush", "l", "a", "B", "b", "A", "\xc3\xa9", "z", "a\x00z", "a\x00b", "a", "ab"}, ":10\r\n"},
		{[]string{"sort", "l", "alpha"}, "*10\r\n$1\r\nA\r\n$1\r\nB\r\n$1\r\na\r\n$3\r\na\x00z\r\n$3\r\na\x00b\r\n$1\r\na\r\n$2\r\nab\r\n$1\r\nb\r\n$1\r\nz\r\n$2\r\n\xc3\xa9\r\n"},
		{[]string{"sort", "l", "alpha", "desc"}, "*10\r\n$2\r\n\xc3\xa9\r\n$1\r\nz\r\n$1\r\nb\r\n$2\r\nab\r\n$1\r\na\r\n$3\r\na\x00z\r\n$3\r\na\x00b\r\n$1\r\na\r\n$1\r\nB\r\n$1\r\nA\r\n"},
		{[]string{"sort", "l", "alpha", "store", "d"}, ":10\r\n"},
		{[]string{"lrange", "d", "0", "-1"}, "*10\r\n$1\r\nA\r\n$1\r\nB\r\n$1\r\na\r\n$1\r\na\r\n$3\r\na\x00b\r\n$3\r\na\x00z\r\n$2\r\nab\r\n$1\r\nb\r\n$1\r\nz\r\n$2\r\n\xc3\xa9\r\n"},
		{[]string{"sort", "l", "alpha", "desc", "store", "d"}, ":10\r\n"},
		{[]string{"lrange", "d", "0", "-1"}, "*10\r\n$2\r\n\xc3\xa9\r\n$1\r\nz\r\n$1\r\nb\r\n$2\r\nab\r\n$3\r\na\x00z\r\n$3\r\na\x00b\r\n$1\r\na\r\n$1\r\na\r\n$1\r\nB\r\n$1\r\nA\r\n"},
		{[]string{"sort", "l", "by", "nosort"}, "*10\r\n$1\r\na\r\n$1\r\nB\r\n$1\r\nb\r\n$1\r\nA\r\n$2\r\n\xc3\xa9\r\n$1\r\nz\r\n$3\r\na\x00z\r\n$3\r\na\x00b\r\n$1\r\na\r\n$2\r\nab\r\n"},
		{[]string{"sort", "l", "alpha", "limit", "2", "3"}, "*3\r\n$1\r\na\r\n$3\r\na\x00z\r\n$3\r\na\x00b\r\n"},
		{[]string{"rpush", "n", "1", "2", "3", "4"}, ":4\r\n"},
		{[]string{"set", "w:1", "b"}, "+OK\r\n"},
		{[]string{"set", "w:2", "a\x00z"}, "+OK\r\n"},
		{[]string{"set", "w:3", "a\x00b"}, "+OK\r\n"},
		{[]string{"sort", "n", "by", "w:*", "alpha"}, "*4\r\n$1\r\n4\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n1\r\n"},
		{[]string{"sort", "n", "by", "w:*", "alpha", "desc"}, "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n"},
		{[]string{"sort", "n", "by", "w:*", "alpha", "store", "d"}, ":4\r\n"},
		{[]string{"lrange", "d", "0", "-1"}, "*4\r\n$1\r\n4\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n1\r\n"},
		{[]string{"sort", "n", "by", "w:*", "alpha", "desc", "store", "d"}, ":4\r\n"},
		{[]string{"lrange", "d", "0", "-1"}, "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n"},
	})
}

// TestSortKeysAndLocking checks COMMAND GETKEYS for SORT (the sorted key
// and the last STORE destination, as Redis extracts them) and the lock
// mode: BY and GET patterns lock the whole database.
func TestSortKeysAndLocking(t *testing.T) {
	runCases(t, dialRaw(t, startTestServer(t)), []replyCase{
		{[]string{"command", "getkeys", "sort", "k", "store", "d"}, "*2\r\n$1\r\nk\r\n$1\r\nd\r\n"},
		{[]string{"command", "getkeys", "sort", "k", "limit", "store", "x", "store", "d", "by", "store"}, "*2\r\n$1\r\nk\r\n$1\r\nd\r\n"},
		{[]string{"command", "getkeys", "sort", "k", "get", "store", "store", "d"}, "*2\r\n$1\r\nk\r\n$1\r\nd\r\n"},
		{[]string{"command", "getkeys", "sort", "k", "store", "a", "store", "b"}, "*2\r\n$1\r\nk\r\n$1\r\nb\r\n"},
		{[]string{"command", "getkeys", "sort", "k", "store"}, "*1\r\n$1\r\nk\r\n"},
		{[]string{"command", "getkeys", "sort_ro", "k", "store", "d"}, "*1\r\n$1\r\nk\r\n"},
		{[]string{"command", "getkeys", "sort", "k", "store", "get", "store", "d"}, "*2\r\n$1\r\nk\r\n$3\r\nget\r\n"},
		{[]string{"command", "getkeysandflags", "sort", "k", "store", "d"}, "*2\r\n*2\r\n$1\r\nk\r\n*2\r\n+RO\r\n+access\r\n*2\r\n$1\r\nd\r\n*2\r\n+OW\r\n+update\r\n"},
	})
	b := func(args ...string) [][]byte {
		out := make([][]byte, len(args))
		for i, a := range args {
			out[i] = []byte(a)
		}
		return out
	}
	for _, tc := range []struct {
		args []string
		want LockMode
	}{
		{[]string{"sort", "k"}, LockKeys},
		{[]string{"sort", "k", "limit", "0", "1", "store", "d"}, LockKeys},
		{[]string{"sort", "k", "by", "w:*"}, LockDB},
		{[]string{"sort", "k", "GET", "#"}, LockDB},
		{[]string{"sort", "k", "store", "limit", "store", "d"}, LockDB}, // parser and key extraction disagree
	} {
		if got := sortLockMode(b(tc.args...)); got != tc.want {
			t.Errorf("sortLockMode(%q) = %d, want %d", tc.args, got, tc.want)
		}
	}
	if got := sortRoLockMode(b("sort_ro", "k", "by", "x:*")); got != LockDB {
		t.Errorf("sortRoLockMode with BY = %d", got)
	}
}

// TestSortPatternsUnderConcurrentWrites runs SORT with BY and GET patterns
// against keys in every shard while other clients rewrite them, so the
// race detector sees any read made without the whole database locked.
func TestSortPatternsUnderConcurrentWrites(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	for i := 0; i < 50; i++ {
		c.Do("RPUSH", "l", strconv.Itoa(i))
		c.Do("SET", "w:"+strconv.Itoa(i), strconv.Itoa(50-i))
	}
	var wg sync.WaitGroup
	for g := 0; g < 3; g++ {
		w := dialRaw(t, s)
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				k := strconv.Itoa((i * 7) % 50)
				w.Do("SET", "w:"+k, strconv.Itoa(i+g))
				w.Do("HSET", "h:"+k, "f", strconv.Itoa(i))
			}
		}(g)
	}
	for i := 0; i < 100; i++ {
		if got := c.Do("SORT", "l", "BY", "w:*", "GET", "h:*->f", "GET", "#"); got[:5] != "*100\r" {
			t.Fatalf("SORT BY/GET: %.40q", got)
		}
		if got := c.Do("SORT", "l", "BY", "w:*", "STORE", "dst"); got != ":50\r\n" {
			t.Fatalf("SORT BY STORE: %q", got)
		}
	}
	wg.Wait()
}
