package server

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"petrel/config"
)

// The cases of the tests below for the commands of Redis 7.0 were recorded
// from Redis 7.0.15; those of field expiry, HGETDEL, HGETEX and HSETEX follow
// Redis 7.4 and 8.0 as documented.

func hashDebugOn(cfg *config.Config) { cfg.EnableDebugCommand = "yes" }

func TestHashCommandsReplies(t *testing.T) {
	s := startTestServer(t)
	runCases(t, dialRaw(t, s), []replyCase{
		// HSET, HMSET and their arity, which counts field-value pairs
		{[]string{"hset", "h"}, "-ERR wrong number of arguments for 'hset' command\r\n"},
		{[]string{"hset", "h", "a"}, "-ERR wrong number of arguments for 'hset' command\r\n"},
		{[]string{"hset", "h", "a", "1", "b"}, "-ERR wrong number of arguments for 'hset' command\r\n"},
		{[]string{"hset", "h", "a", "1", "b", "2"}, ":2\r\n"},
		{[]string{"hset", "h", "a", "1", "c", "3"}, ":1\r\n"},
		{[]string{"HSET", "h", "A", "1"}, ":1\r\n"},
		{[]string{"hgetall", "h"}, "*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nA\r\n$1\r\n1\r\n"},
		{[]string{"hmset", "h", "x", "1"}, "+OK\r\n"},
		{[]string{"hmset", "h", "x"}, "-ERR wrong number of arguments for 'hmset' command\r\n"},
		{[]string{"hsetnx", "h", "a", "5"}, ":0\r\n"},
		{[]string{"hsetnx", "h", "z", "5"}, ":1\r\n"},
		{[]string{"hsetnx", "h"}, "-ERR wrong number of arguments for 'hsetnx' command\r\n"},
		// HGET, HMGET
		{[]string{"hget", "h", "a"}, "$1\r\n1\r\n"},
		{[]string{"hget", "h", "nope"}, "$-1\r\n"},
		{[]string{"hget", "nokey", "a"}, "$-1\r\n"},
		{[]string{"hmget", "h", "a", "nope", "b"}, "*3\r\n$1\r\n1\r\n$-1\r\n$1\r\n2\r\n"},
		{[]string{"hmget", "nokey", "a", "b"}, "*2\r\n$-1\r\n$-1\r\n"},
		{[]string{"hmget", "h"}, "-ERR wrong number of arguments for 'hmget' command\r\n"},
		// HDEL, HLEN, HSTRLEN, HEXISTS
		{[]string{"hdel", "h", "nope"}, ":0\r\n"},
		{[]string{"hdel", "h", "a", "nope", "b", "A"}, ":3\r\n"},
		{[]string{"hdel", "nokey", "a"}, ":0\r\n"},
		{[]string{"hlen", "h"}, ":3\r\n"},
		{[]string{"hlen", "nokey"}, ":0\r\n"},
		{[]string{"hstrlen", "h", "c"}, ":1\r\n"},
		{[]string{"hstrlen", "h", "nope"}, ":0\r\n"},
		{[]string{"hstrlen", "nokey", "nope"}, ":0\r\n"},
		{[]string{"hexists", "h", "c"}, ":1\r\n"},
		{[]string{"hexists", "h", "nope"}, ":0\r\n"},
		{[]string{"hexists", "nokey", "c"}, ":0\r\n"},
		{[]string{"hkeys", "h"}, "*3\r\n$1\r\nc\r\n$1\r\nx\r\n$1\r\nz\r\n"},
		{[]string{"hvals", "h"}, "*3\r\n$1\r\n3\r\n$1\r\n1\r\n$1\r\n5\r\n"},
		{[]string{"hgetall", "nokey"}, "*0\r\n"},
		{[]string{"hkeys", "nokey"}, "*0\r\n"},
		{[]string{"hvals", "nokey"}, "*0\r\n"},
		// an emptied hash is deleted
		{[]string{"hdel", "h", "c", "x", "z"}, ":3\r\n"},
		{[]string{"exists", "h"}, ":0\r\n"},
		// empty and binary fields and values
		{[]string{"hset", "e", "", "", "\x00\r\n", "\xff"}, ":2\r\n"},
		{[]string{"hget", "e", ""}, "$0\r\n\r\n"},
		{[]string{"hget", "e", "\x00\r\n"}, "$1\r\n\xff\r\n"},
		{[]string{"hstrlen", "e", "\x00\r\n"}, ":1\r\n"},
		{[]string{"hgetall", "e"}, "*4\r\n$0\r\n\r\n$0\r\n\r\n$3\r\n\x00\r\n\r\n$1\r\n\xff\r\n"},
		// every command against the wrong type
		{[]string{"set", "s", "v"}, "+OK\r\n"},
		{[]string{"hget", "s", "a"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"hmget", "s", "a"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"hgetall", "s"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"hkeys", "s"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"hvals", "s"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"hlen", "s"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"hstrlen", "s", "a"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"hexists", "s", "a"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"hset", "s", "a", "b"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"hmset", "s", "a", "b"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"hsetnx", "s", "a", "b"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"hdel", "s", "a"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"hrandfield", "s"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"hrandfield", "s", "1"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"hscan", "s", "0"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"hincrby", "s", "a", "1"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"hincrbyfloat", "s", "a", "1"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		// argument errors come before the type check
		{[]string{"hrandfield", "s", "x"}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"hscan", "s", "x"}, "-ERR invalid cursor\r\n"},
		{[]string{"hincrby", "s", "a", "x"}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"hincrbyfloat", "s", "a", "x"}, "-ERR value is not a valid float\r\n"},
	})
}

func TestHashIncrementsLikeRedis(t *testing.T) {
	s := startTestServer(t)
	runCases(t, dialRaw(t, s), []replyCase{
		{[]string{"hset", "h", "a", "1", "s", "foo", "f", "1.5", "big", "9223372036854775807", "w", "  12", "w2", "12 ", "e", ""}, ":7\r\n"},
		{[]string{"hincrby", "h", "a", "5"}, ":6\r\n"},
		{[]string{"hincrby", "h", "s", "1"}, "-ERR hash value is not an integer\r\n"},
		{[]string{"hincrby", "h", "f", "1"}, "-ERR hash value is not an integer\r\n"},
		{[]string{"hincrby", "h", "big", "1"}, "-ERR increment or decrement would overflow\r\n"},
		{[]string{"hincrby", "h", "a", "x"}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"hincrby", "h", "a", "1.5"}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"hincrby", "h", "new", "-3"}, ":-3\r\n"},
		{[]string{"hincrby", "h", "a", "9223372036854775807"}, "-ERR increment or decrement would overflow\r\n"},
		{[]string{"hincrby", "h", "a", "-9223372036854775808"}, ":-9223372036854775802\r\n"},
		{[]string{"hincrby", "h", "w", "1"}, "-ERR hash value is not an integer\r\n"},
		{[]string{"hincrby", "h", "w2", "1"}, "-ERR hash value is not an integer\r\n"},
		{[]string{"hincrby", "h", "e", "1"}, "-ERR hash value is not an integer\r\n"},
		{[]string{"hincrbyfloat", "h", "a", "1.5"}, "$22\r\n-9223372036854775800.5\r\n"},
		{[]string{"hincrbyfloat", "h", "s", "1"}, "-ERR hash value is not a float\r\n"},
		{[]string{"hincrbyfloat", "h", "a", "x"}, "-ERR value is not a valid float\r\n"},
		{[]string{"hincrbyfloat", "h", "a", "inf"}, "-ERR value is NaN or Infinity\r\n"},
		{[]string{"hincrbyfloat", "h", "a", "-inf"}, "-ERR value is NaN or Infinity\r\n"},
		{[]string{"hincrbyfloat", "h", "a", "nan"}, "-ERR value is not a valid float\r\n"},
		{[]string{"hincrbyfloat", "h", "a", ""}, "-ERR value is not a valid float\r\n"},
		{[]string{"hincrbyfloat", "h", "nf", "1e308"}, "$308\r\n99999999999999999996685879655845645660560099847415567207797047994921734868838061872100126921888539320446747225054013223152134749593960583597420814430196418767959100019603190778663109604507106667939153395788938914560543563061268364901618630217086589253444881623791300855757318142424510452728255046343928578048\r\n"},
		{[]string{"hincrbyfloat", "h", "nf", "1e308"}, "$309\r\n199999999999999999993371759311691291321120199694831134415594095989843469737676123744200253843777078640893494450108026446304269499187921167194841628860392837535918200039206381557326219209014213335878306791577877829121087126122536729803237260434173178506889763247582601711514636284849020905456510092687857156096\r\n"},
		{[]string{"hincrbyfloat", "h", "g", "0x10"}, "$2\r\n16\r\n"},
		{[]string{"hincrbyfloat", "h", "g", " 1"}, "-ERR value is not a valid float\r\n"},
		{[]string{"hincrbyfloat", "h", "g", "1 "}, "-ERR value is not a valid float\r\n"},
		{[]string{"hincrbyfloat", "h", "z", "3.0"}, "$1\r\n3\r\n"},
		{[]string{"hincrbyfloat", "h", "z", "0.1"}, "$3\r\n3.1\r\n"},
		{[]string{"hincrbyfloat", "h", "z", "0.2"}, "$3\r\n3.3\r\n"},
		{[]string{"hincrbyfloat", "h", "z", "-3.3"}, "$1\r\n0\r\n"},
		{[]string{"hincrbyfloat", "h", "w", "1"}, "-ERR hash value is not a float\r\n"},
		{[]string{"hincrbyfloat", "h", "w2", "1"}, "-ERR hash value is not a float\r\n"},
		{[]string{"hincrbyfloat", "h", "e", "1"}, "-ERR hash value is not a float\r\n"},
		{[]string{"hset", "h", "inf", "inf"}, ":1\r\n"},
		{[]string{"hincrbyfloat", "h", "inf", "1"}, "-ERR increment would produce NaN or Infinity\r\n"},
		{[]string{"hincrbyfloat", "h", "tiny", "1e-4950"}, "$1\r\n0\r\n"},
		{[]string{"hincrbyfloat", "h", "d", "5.0e3"}, "$4\r\n5000\r\n"},
		{[]string{"hincrbyfloat", "h", "d", "1.23456789012345678901"}, "$22\r\n5001.23456789012345691\r\n"},
		{[]string{"hget", "h", "d"}, "$22\r\n5001.23456789012345691\r\n"},
		{[]string{"hincrbyfloat", "h", "big", "1"}, "$19\r\n9223372036854775808\r\n"},
		{[]string{"object", "encoding", "h"}, "$9\r\nhashtable\r\n"},
		{[]string{"hincrbyfloat", "h", "z", "1e70"}, "$71\r\n10000000000000000000222479489586148259025995410601157579323600873193472\r\n"},
		{[]string{"object", "encoding", "h"}, "$9\r\nhashtable\r\n"},
	})
}

func TestHashEncodingsConvertAtTheLimitsAndNeverBack(t *testing.T) {
	s := startTestServer(t, hashDebugOn)
	runCases(t, dialRaw(t, s), []replyCase{
		// a field or value longer than hash-max-listpack-value converts
		{[]string{"hset", "h", "f", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}, ":1\r\n"},
		{[]string{"object", "encoding", "h"}, "$8\r\nlistpack\r\n"},
		{[]string{"hset", "h", "f", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}, ":0\r\n"},
		{[]string{"object", "encoding", "h"}, "$9\r\nhashtable\r\n"},
		{[]string{"hset", "h2", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "v"}, ":1\r\n"},
		{[]string{"object", "encoding", "h2"}, "$9\r\nhashtable\r\n"},
		{[]string{"hsetnx", "h3", "f", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}, ":1\r\n"},
		{[]string{"object", "encoding", "h3"}, "$9\r\nhashtable\r\n"},
		{[]string{"hset", "h5", "a", "1"}, ":1\r\n"},
		{[]string{"hsetnx", "h5", "a", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}, ":0\r\n"},
		{[]string{"object", "encoding", "h5"}, "$8\r\nlistpack\r\n"},
		// and never converts back
		{[]string{"hdel", "h", "f"}, ":1\r\n"},
		{[]string{"exists", "h"}, ":0\r\n"},
		{[]string{"hset", "h2", "x", "y"}, ":1\r\n"},
		{[]string{"hdel", "h2", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}, ":1\r\n"},
		{[]string{"object", "encoding", "h2"}, "$9\r\nhashtable\r\n"},
		// more fields than hash-max-listpack-entries convert
		{[]string{"config", "set", "hash-max-listpack-entries", "2"}, "+OK\r\n"},
		{[]string{"hset", "h6", "a", "1", "b", "2"}, ":2\r\n"},
		{[]string{"object", "encoding", "h6"}, "$8\r\nlistpack\r\n"},
		{[]string{"hset", "h6", "a", "3"}, ":0\r\n"},
		{[]string{"object", "encoding", "h6"}, "$8\r\nlistpack\r\n"},
		{[]string{"hset", "h6", "c", "3"}, ":1\r\n"},
		{[]string{"object", "encoding", "h6"}, "$9\r\nhashtable\r\n"},
		{[]string{"hset", "h7", "a", "1", "a", "2", "a", "3"}, ":1\r\n"},
		{[]string{"object", "encoding", "h7"}, "$8\r\nlistpack\r\n"},
		{[]string{"hset", "h8", "a", "1"}, ":1\r\n"},
		{[]string{"hincrby", "h8", "b", "1"}, ":1\r\n"},
		{[]string{"object", "encoding", "h8"}, "$8\r\nlistpack\r\n"},
		{[]string{"hincrby", "h8", "c", "1"}, ":1\r\n"},
		{[]string{"object", "encoding", "h8"}, "$9\r\nhashtable\r\n"},
		{[]string{"hset", "h9", "a", "1", "b", "2"}, ":2\r\n"},
		{[]string{"hsetnx", "h9", "c", "3"}, ":1\r\n"},
		{[]string{"object", "encoding", "h9"}, "$9\r\nhashtable\r\n"},
		{[]string{"config", "set", "hash-max-listpack-entries", "0"}, "+OK\r\n"},
		{[]string{"hset", "h10", "a", "1"}, ":1\r\n"},
		{[]string{"object", "encoding", "h10"}, "$9\r\nhashtable\r\n"},
		{[]string{"config", "set", "hash-max-listpack-entries", "512"}, "+OK\r\n"},
		{[]string{"config", "set", "hash-max-listpack-value", "0"}, "+OK\r\n"},
		{[]string{"hset", "h11", "", ""}, ":1\r\n"},
		{[]string{"object", "encoding", "h11"}, "$8\r\nlistpack\r\n"},
		{[]string{"hset", "h12", "a", ""}, ":1\r\n"},
		{[]string{"object", "encoding", "h12"}, "$9\r\nhashtable\r\n"},
		{[]string{"config", "set", "hash-max-listpack-value", "64"}, "+OK\r\n"},
		// a listpack keeps insertion order; an overwrite keeps the position
		{[]string{"hset", "o", "c", "1", "a", "2", "b", "3"}, ":3\r\n"},
		{[]string{"hset", "o", "a", "9"}, ":0\r\n"},
		{[]string{"hgetall", "o"}, "*6\r\n$1\r\nc\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n9\r\n$1\r\nb\r\n$1\r\n3\r\n"},
		{[]string{"hdel", "o", "c"}, ":1\r\n"},
		{[]string{"hset", "o", "c", "4", "d", "5"}, ":2\r\n"},
		{[]string{"hgetall", "o"}, "*8\r\n$1\r\na\r\n$1\r\n9\r\n$1\r\nb\r\n$1\r\n3\r\n$1\r\nc\r\n$1\r\n4\r\n$1\r\nd\r\n$1\r\n5\r\n"},
		{[]string{"hkeys", "o"}, "*4\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n"},
		{[]string{"hvals", "o"}, "*4\r\n$1\r\n9\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n"},
		{[]string{"type", "o"}, "+hash\r\n"},
		{[]string{"object", "encoding", "o"}, "$8\r\nlistpack\r\n"},
		{[]string{"copy", "o", "o2"}, ":1\r\n"},
		{[]string{"hgetall", "o2"}, "*8\r\n$1\r\na\r\n$1\r\n9\r\n$1\r\nb\r\n$1\r\n3\r\n$1\r\nc\r\n$1\r\n4\r\n$1\r\nd\r\n$1\r\n5\r\n"},
		{[]string{"debug", "digest-value", "o"}, "*1\r\n+26d94e728f30b7ec55ed81d11cd14f213fbd9a3e\r\n"},
		{[]string{"debug", "digest-value", "o2"}, "*1\r\n+26d94e728f30b7ec55ed81d11cd14f213fbd9a3e\r\n"},
	})
}

func TestHashRESP3Replies(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	c.Do("HELLO", "3")
	runCases(t, c, []replyCase{
		{[]string{"hset", "h", "a", "1", "b", "2"}, ":2\r\n"},
		{[]string{"hgetall", "h"}, "%2\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n"},
		{[]string{"hgetall", "nokey"}, "%0\r\n"},
		{[]string{"hkeys", "h"}, "*2\r\n$1\r\na\r\n$1\r\nb\r\n"},
		{[]string{"hvals", "h"}, "*2\r\n$1\r\n1\r\n$1\r\n2\r\n"},
		{[]string{"hkeys", "nokey"}, "*0\r\n"},
		{[]string{"hget", "nokey", "a"}, "_\r\n"},
		{[]string{"hget", "h", "nope"}, "_\r\n"},
		{[]string{"hmget", "h", "a", "nope"}, "*2\r\n$1\r\n1\r\n_\r\n"},
		{[]string{"hmget", "nokey", "a"}, "*1\r\n_\r\n"},
		{[]string{"hrandfield", "nokey"}, "_\r\n"},
		{[]string{"hrandfield", "nokey", "3"}, "*0\r\n"},
		{[]string{"hrandfield", "nokey", "3", "withvalues"}, "*0\r\n"},
		{[]string{"hrandfield", "h", "2", "withvalues"}, "*2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n"},
		{[]string{"hrandfield", "h", "0", "withvalues"}, "*0\r\n"},
		{[]string{"hrandfield", "h", "0"}, "*0\r\n"},
		{[]string{"hscan", "h", "0"}, "*2\r\n$1\r\n0\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n"},
		{[]string{"hscan", "nokey", "0"}, "*2\r\n$1\r\n0\r\n*0\r\n"},
		{[]string{"hincrbyfloat", "h", "a", "1.5"}, "$3\r\n2.5\r\n"},
	})
}

func TestHashScanAndRandfieldArguments(t *testing.T) {
	s := startTestServer(t)
	runCases(t, dialRaw(t, s), []replyCase{
		{[]string{"hset", "h", "a", "1", "b", "2", "ab", "3"}, ":3\r\n"},
		{[]string{"hscan", "h", "0", "match", "a*"}, "*2\r\n$1\r\n0\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$2\r\nab\r\n$1\r\n3\r\n"},
		{[]string{"hscan", "h", "0", "MATCH", "*", "COUNT", "1"}, "*2\r\n$1\r\n0\r\n*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$2\r\nab\r\n$1\r\n3\r\n"},
		{[]string{"hscan", "h", "0", "count", "1"}, "*2\r\n$1\r\n0\r\n*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$2\r\nab\r\n$1\r\n3\r\n"},
		{[]string{"hscan", "h", "0", "count", "0"}, "-ERR syntax error\r\n"},
		{[]string{"hscan", "h", "0", "count", "-1"}, "-ERR syntax error\r\n"},
		{[]string{"hscan", "h", "0", "count", "x"}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"hscan", "h", "0", "match"}, "-ERR syntax error\r\n"},
		{[]string{"hscan", "h", "0", "count"}, "-ERR syntax error\r\n"},
		{[]string{"hscan", "h", "0", "foo", "bar"}, "-ERR syntax error\r\n"},
		{[]string{"hscan", "h", "x"}, "-ERR invalid cursor\r\n"},
		{[]string{"hscan", "h", "-1"}, "*2\r\n$1\r\n0\r\n*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$2\r\nab\r\n$1\r\n3\r\n"},
		{[]string{"hscan", "h", "5"}, "*2\r\n$1\r\n0\r\n*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$2\r\nab\r\n$1\r\n3\r\n"},
		{[]string{"hscan", "h", "18446744073709551615"}, "*2\r\n$1\r\n0\r\n*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$2\r\nab\r\n$1\r\n3\r\n"},
		{[]string{"hscan", "h", "18446744073709551616"}, "-ERR invalid cursor\r\n"},
		{[]string{"hscan", "h", "0", "match", "a*", "count", "5", "match", "b*"}, "*2\r\n$1\r\n0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n"},
		{[]string{"hscan", "h", "0", "type", "string"}, "-ERR syntax error\r\n"},
		{[]string{"hscan", "nokey", "x"}, "-ERR invalid cursor\r\n"},
		{[]string{"hscan", "nokey", "0", "count", "0"}, "*2\r\n$1\r\n0\r\n*0\r\n"},
		{[]string{"hscan", "h", "1", "match", "x"}, "*2\r\n$1\r\n0\r\n*0\r\n"},
		{[]string{"hscan", "h", " 1"}, "-ERR invalid cursor\r\n"},
		{[]string{"hscan", "h", ""}, "*2\r\n$1\r\n0\r\n*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$2\r\nab\r\n$1\r\n3\r\n"},
		{[]string{"hrandfield", "h", "x"}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"hrandfield", "h", "1.5"}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"hrandfield", "h", "1", "foo"}, "-ERR syntax error\r\n"},
		{[]string{"hrandfield", "h", "1", "withvalues", "x"}, "-ERR syntax error\r\n"},
		{[]string{"hrandfield", "h", "-9223372036854775808"}, "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n"},
		{[]string{"hrandfield", "h", "9223372036854775807", "withvalues"}, "-ERR value is out of range\r\n"},
		{[]string{"hrandfield", "h", "4611686018427387904", "withvalues"}, "-ERR value is out of range\r\n"},
		{[]string{"hrandfield", "h", "-4611686018427387904", "withvalues"}, "-ERR value is out of range\r\n"},
		{[]string{"hrandfield", "h", "4611686018427387903", "withvalues"}, "*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$2\r\nab\r\n$1\r\n3\r\n"},
		{[]string{"hrandfield", "h", "0"}, "*0\r\n"},
		{[]string{"hrandfield", "h", "0", "withvalues"}, "*0\r\n"},
		{[]string{"hrandfield", "h", "3"}, "*3\r\n$1\r\na\r\n$1\r\nb\r\n$2\r\nab\r\n"},
		{[]string{"hrandfield", "h", "3", "withvalues"}, "*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$2\r\nab\r\n$1\r\n3\r\n"},
		{[]string{"hrandfield", "h", "100", "WITHVALUES"}, "*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$2\r\nab\r\n$1\r\n3\r\n"},
		{[]string{"hrandfield", "nokey"}, "$-1\r\n"},
		{[]string{"hrandfield", "nokey", "5"}, "*0\r\n"},
	})
}

// hashReply is a parsed reply: a string (bulk or simple), an int64, nil
// for a null, an error as hashErr, or []any for an aggregate.
type hashErr string

func hashParse(raw string) (any, string) {
	line, rest, _ := strings.Cut(raw, "\r\n")
	body := line[1:]
	switch line[0] {
	case '+':
		return body, rest
	case '-':
		return hashErr(body), rest
	case ':':
		n, _ := strconv.ParseInt(body, 10, 64)
		return n, rest
	case '_':
		return nil, rest
	case '$':
		n, _ := strconv.Atoi(body)
		if n < 0 {
			return nil, rest
		}
		return rest[:n], rest[n+2:]
	case '*', '%', '~':
		n, _ := strconv.Atoi(body)
		if n < 0 {
			return nil, rest
		}
		if line[0] == '%' {
			n *= 2
		}
		out := make([]any, n)
		for i := range out {
			out[i], rest = hashParse(rest)
		}
		return out, rest
	}
	panic("unexpected reply " + raw)
}

func hashDo(t *testing.T, c *rawClient, args ...string) any {
	t.Helper()
	v, _ := hashParse(c.Do(args...))
	return v
}

func hashStrings(t *testing.T, v any) []string {
	t.Helper()
	items, ok := v.([]any)
	if !ok {
		t.Fatalf("not an array: %#v", v)
	}
	out := make([]string, len(items))
	for i, it := range items {
		s, ok := it.(string)
		if !ok {
			t.Fatalf("element %d is %#v", i, it)
		}
		out[i] = s
	}
	return out
}

func hashFill(t *testing.T, c *rawClient, key string, n int) map[string]string {
	t.Helper()
	want := map[string]string{}
	args := []string{"HSET", key}
	for i := 0; i < n; i++ {
		f, v := fmt.Sprint("f", i), fmt.Sprint("v", i)
		want[f] = v
		args = append(args, f, v)
	}
	if got := c.Do(args...); got != fmt.Sprintf(":%d\r\n", n) {
		t.Fatalf("HSET: %q", got)
	}
	return want
}

func TestHashRandfieldShapes(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	for _, n := range []int{5, 700} {
		key := fmt.Sprint("h", n)
		want := hashFill(t, c, key, n)
		for _, proto := range []string{"2", "3"} {
			c.Do("HELLO", proto)
			if f, ok := hashDo(t, c, "HRANDFIELD", key).(string); !ok || want[f] == "" {
				t.Fatalf("HRANDFIELD %s: %v", key, f)
			}
			for _, count := range []int{1, 3, n - 1, n, n + 5, -1, -3, -(2 * n)} {
				fields := hashStrings(t, hashDo(t, c, "HRANDFIELD", key, fmt.Sprint(count)))
				wantLen := min(count, n)
				if count < 0 {
					wantLen = -count
				}
				if len(fields) != wantLen {
					t.Fatalf("%s count %d: %d fields", key, count, len(fields))
				}
				seen := map[string]bool{}
				for _, f := range fields {
					if _, ok := want[f]; !ok {
						t.Fatalf("%s count %d: unknown field %q", key, count, f)
					}
					if count > 0 && seen[f] {
						t.Fatalf("%s count %d: %q repeated", key, count, f)
					}
					seen[f] = true
				}
				// WITHVALUES: flat pairs in RESP2, [field, value] arrays in RESP3.
				raw := hashDo(t, c, "HRANDFIELD", key, fmt.Sprint(count), "WITHVALUES").([]any)
				var pairs [][2]string
				if proto == "2" {
					flat := hashStrings(t, raw)
					for i := 0; i+1 < len(flat); i += 2 {
						pairs = append(pairs, [2]string{flat[i], flat[i+1]})
					}
					if len(flat) != 2*wantLen {
						t.Fatalf("%s count %d WITHVALUES: %d items", key, count, len(flat))
					}
				} else {
					for _, p := range raw {
						pv := hashStrings(t, p)
						if len(pv) != 2 {
							t.Fatalf("RESP3 pair %v", pv)
						}
						pairs = append(pairs, [2]string{pv[0], pv[1]})
					}
				}
				if len(pairs) != wantLen {
					t.Fatalf("%s count %d WITHVALUES: %d pairs", key, count, len(pairs))
				}
				for _, p := range pairs {
					if want[p[0]] != p[1] {
						t.Fatalf("%s: pair %v", key, p)
					}
				}
			}
		}
		c.Do("HELLO", "2")
	}
}

// TestHashRandfieldHugeCountClosesTheClient: a negative count beyond what
// fits in the output buffer limit closes the client instead of exhausting
// memory.
func TestHashRandfieldHugeCountClosesTheClient(t *testing.T) {
	s := startTestServer(t, func(cfg *config.Config) {
		cfg.ClientOutputBufferLimits[config.ClientNormal].Hard = 1 << 20
	})
	c := dialRaw(t, s)
	c.Do("HSET", "h", "a", "1")
	c.Send(encode("HRANDFIELD", "h", "-9223372036854775807"))
	c.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 1<<16)
	total := 0
	for {
		n, err := c.rd.Read(buf)
		total += n
		if err != nil {
			break
		}
	}
	if total < 1<<20 || total > 2<<20 {
		t.Fatalf("read %d bytes before the close", total)
	}
	if got := dialRaw(t, s).Do("HLEN", "h"); got != ":1\r\n" {
		t.Fatalf("server after the close: %q", got)
	}
}

func TestHashScanWalksABigHash(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	want := hashFill(t, c, "big", 1000)
	if got := c.Do("OBJECT", "ENCODING", "big"); got != "$9\r\nhashtable\r\n" {
		t.Fatalf("encoding %q", got)
	}
	scanAll := func(extra ...string) []string {
		var out []string
		cursor := "0"
		for calls := 0; ; calls++ {
			if calls > 2000 {
				t.Fatalf("scan does not end")
			}
			reply := hashDo(t, c, append([]string{"HSCAN", "big", cursor}, extra...)...).([]any)
			cursor = reply[0].(string)
			out = append(out, hashStrings(t, reply[1])...)
			if cursor == "0" {
				return out
			}
		}
	}
	pairs := scanAll("COUNT", "7")
	got := map[string]string{}
	for i := 0; i < len(pairs); i += 2 {
		got[pairs[i]] = pairs[i+1]
	}
	if len(got) != len(want) {
		t.Fatalf("scan returned %d distinct fields", len(got))
	}
	for f, v := range want {
		if got[f] != v {
			t.Fatalf("field %s: %q", f, got[f])
		}
	}
	for _, f := range scanAll("MATCH", "f1?", "NOVALUES") {
		if len(f) != 3 || f[:2] != "f1" {
			t.Fatalf("NOVALUES MATCH f1?: %q", f)
		}
	}
	runCases(t, c, []replyCase{
		{[]string{"HSET", "small", "a", "1", "b", "2"}, ":2\r\n"},
		{[]string{"HSCAN", "small", "0", "NOVALUES"}, "*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n"},
		{[]string{"HSCAN", "small", "0", "novalues", "match", "b"}, "*2\r\n$1\r\n0\r\n*1\r\n$1\r\nb\r\n"},
		{[]string{"HSCAN", "small", "0", "NOVALUES", "x"}, "-ERR syntax error\r\n"},
	})
}

// farTime is an absolute expiry far in the future (2100-01-01), so expiry
// times in replies are exact.
const farTime = "4102444800"

func TestHashFieldExpiryReplies(t *testing.T) {
	s := startTestServer(t)
	runCases(t, dialRaw(t, s), []replyCase{
		{[]string{"HSET", "h", "f1", "v1", "f2", "v2", "f3", "v3"}, ":3\r\n"},
		{[]string{"OBJECT", "ENCODING", "h"}, "$8\r\nlistpack\r\n"},
		{[]string{"HEXPIREAT", "h", farTime, "FIELDS", "2", "f1", "nope"}, "*2\r\n:1\r\n:-2\r\n"},
		{[]string{"OBJECT", "ENCODING", "h"}, "$10\r\nlistpackex\r\n"},
		{[]string{"HEXPIRETIME", "h", "FIELDS", "3", "f1", "f2", "nope"}, "*3\r\n:4102444800\r\n:-1\r\n:-2\r\n"},
		{[]string{"HPEXPIRETIME", "h", "FIELDS", "1", "f1"}, "*1\r\n:4102444800000\r\n"},
		{[]string{"HPEXPIREAT", "h", farTime + "001", "FIELDS", "1", "f1"}, "*1\r\n:1\r\n"},
		// Seconds are rounded up.
		{[]string{"HEXPIRETIME", "h", "FIELDS", "1", "f1"}, "*1\r\n:4102444801\r\n"},
		// NX, XX, GT and LT; no expiry counts as infinite.
		{[]string{"HEXPIREAT", "h", "4102444801", "NX", "FIELDS", "2", "f1", "f2"}, "*2\r\n:0\r\n:1\r\n"},
		{[]string{"HEXPIREAT", "h", "4102444900", "GT", "FIELDS", "3", "f1", "f2", "f3"}, "*3\r\n:1\r\n:1\r\n:0\r\n"},
		{[]string{"HEXPIREAT", "h", "4102444900", "GT", "FIELDS", "1", "f1"}, "*1\r\n:0\r\n"},
		{[]string{"HEXPIREAT", "h", "4102444850", "LT", "FIELDS", "3", "f1", "f2", "f3"}, "*3\r\n:1\r\n:1\r\n:1\r\n"},
		{[]string{"HEXPIREAT", "h", "4102444850", "LT", "FIELDS", "1", "f1"}, "*1\r\n:0\r\n"},
		{[]string{"HEXPIREAT", "h", "4102444860", "xx", "FIELDS", "1", "f3"}, "*1\r\n:1\r\n"},
		{[]string{"HEXPIRETIME", "h", "FIELDS", "3", "f1", "f2", "f3"}, "*3\r\n:4102444850\r\n:4102444850\r\n:4102444860\r\n"},
		// Fields with an expiry come first, by time.
		{[]string{"HGETALL", "h"}, "*6\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n$2\r\nv2\r\n$2\r\nf3\r\n$2\r\nv3\r\n"},
		{[]string{"HPERSIST", "h", "FIELDS", "3", "f1", "f3", "nope"}, "*3\r\n:1\r\n:1\r\n:-2\r\n"},
		{[]string{"HPERSIST", "h", "FIELDS", "1", "f1"}, "*1\r\n:-1\r\n"},
		{[]string{"HGETALL", "h"}, "*6\r\n$2\r\nf2\r\n$2\r\nv2\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf3\r\n$2\r\nv3\r\n"},
		{[]string{"OBJECT", "ENCODING", "h"}, "$10\r\nlistpackex\r\n"},
		// A time not in the future deletes the field; the last one takes the key.
		{[]string{"HEXPIREAT", "h", "1", "FIELDS", "2", "f2", "f2"}, "*2\r\n:2\r\n:-2\r\n"},
		{[]string{"HPEXPIRE", "h", "0", "NX", "FIELDS", "1", "f1"}, "*1\r\n:2\r\n"},
		{[]string{"HEXPIRE", "h", "0", "XX", "FIELDS", "1", "f3"}, "*1\r\n:0\r\n"},
		{[]string{"HEXPIRE", "h", "0", "FIELDS", "1", "f3"}, "*1\r\n:2\r\n"},
		{[]string{"EXISTS", "h"}, ":0\r\n"},
		// A missing key is an empty hash.
		{[]string{"HEXPIRE", "h", "10", "FIELDS", "2", "a", "b"}, "*2\r\n:-2\r\n:-2\r\n"},
		{[]string{"HTTL", "h", "FIELDS", "1", "a"}, "*1\r\n:-2\r\n"},
		{[]string{"HPERSIST", "h", "FIELDS", "1", "a"}, "*1\r\n:-2\r\n"},
		// Argument errors, in Redis's order.
		{[]string{"HSET", "h", "f", "v"}, ":1\r\n"},
		{[]string{"HEXPIRE", "h", "-1", "FIELDS", "1", "f"}, "-ERR invalid expire time, must be >= 0\r\n"},
		{[]string{"HEXPIRE", "h", "x", "FIELDS", "1", "f"}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"HEXPIRE", "h", "70368744177", "FIELDS", "1", "f"}, "-ERR invalid expire time in 'hexpire' command\r\n"},
		{[]string{"HPEXPIREAT", "h", "70368744177664", "FIELDS", "1", "f"}, "-ERR invalid expire time in 'hpexpireat' command\r\n"},
		{[]string{"HPEXPIREAT", "h", "70368744177663", "FIELDS", "1", "f"}, "*1\r\n:1\r\n"},
		{[]string{"HEXPIREAT", "h", "70368744178", "FIELDS", "1", "f"}, "-ERR invalid expire time in 'hexpireat' command\r\n"},
		{[]string{"HEXPIRE", "h", "10", "FIELDS", "0", "f"}, "-ERR Parameter `numFields` should be greater than 0\r\n"},
		{[]string{"HEXPIRE", "h", "10", "FIELDS", "x", "f"}, "-ERR Parameter `numFields` should be greater than 0\r\n"},
		{[]string{"HEXPIRE", "h", "10", "FIELDS", "2", "f"}, "-ERR The `numfields` parameter must match the number of arguments\r\n"},
		{[]string{"HEXPIRE", "h", "10", "FIELDS", "1", "f", "g"}, "-ERR The `numfields` parameter must match the number of arguments\r\n"},
		{[]string{"HEXPIRE", "h", "10", "FOO", "1", "f"}, "-ERR Mandatory argument FIELDS is missing or not at the right position\r\n"},
		{[]string{"HEXPIRE", "h", "10", "NX", "XX", "FIELDS", "1", "f"}, "-ERR Mandatory argument FIELDS is missing or not at the right position\r\n"},
		{[]string{"HEXPIRE", "h", "10", "FIELDS", "1"}, "-ERR wrong number of arguments for 'hexpire' command\r\n"},
		{[]string{"HTTL", "h", "FIELD", "1", "f"}, "-ERR Mandatory argument FIELDS is missing or not at the right position\r\n"},
		{[]string{"HTTL", "h", "FIELDS", "0", "f"}, "-ERR Number of fields must be a positive integer\r\n"},
		{[]string{"HPTTL", "h", "FIELDS", "-1", "f"}, "-ERR Number of fields must be a positive integer\r\n"},
		{[]string{"HEXPIRETIME", "h", "FIELDS", "2", "f"}, "-ERR The `numfields` parameter must match the number of arguments\r\n"},
		{[]string{"HPERSIST", "h", "FIELDS", "9223372036854775808", "f"}, "-ERR Number of fields must be a positive integer\r\n"},
		{[]string{"HPERSIST", "h", "FIELDS", "1"}, "-ERR wrong number of arguments for 'hpersist' command\r\n"},
		{[]string{"SET", "s", "v"}, "+OK\r\n"},
		{[]string{"HEXPIRE", "s", "x", "FIELDS", "1", "f"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"HTTL", "s", "FIELD", "1", "f"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"HPERSIST", "s", "FIELDS", "1", "f"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"HPEXPIRETIME", "s", "FIELDS", "1", "f"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	})
}

func TestHashFieldTTLCountsDown(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	c.Do("HSET", "h", "f", "v", "g", "v")
	c.Do("HPEXPIRE", "h", "100000", "FIELDS", "1", "f")
	c.Do("HEXPIRE", "h", "50", "FIELDS", "1", "g")
	ms := hashDo(t, c, "HPTTL", "h", "FIELDS", "2", "f", "g").([]any)
	if f := ms[0].(int64); f < 99000 || f > 100000 {
		t.Fatalf("HPTTL f = %d", f)
	}
	if g := ms[1].(int64); g < 49000 || g > 50000 {
		t.Fatalf("HPTTL g = %d", g)
	}
	if got := c.Do("HTTL", "h", "FIELDS", "2", "f", "g"); got != "*2\r\n:100\r\n:50\r\n" {
		t.Fatalf("HTTL rounds up: %q", got)
	}
	at := hashDo(t, c, "HPEXPIRETIME", "h", "FIELDS", "1", "f").([]any)[0].(int64)
	if now := time.Now().UnixMilli(); at < now+99000 || at > now+100000 {
		t.Fatalf("HPEXPIRETIME %d at %d", at, now)
	}
}

// TestHashLazyFieldExpiry pins what commands do with a field whose expiry
// passed before active expiry got to it.
func TestHashLazyFieldExpiry(t *testing.T) {
	s := startTestServer(t, func(cfg *config.Config) { cfg.ActiveExpireEnabled = false })
	c := dialRaw(t, s)
	expireSoon := func(key string, fields ...string) {
		t.Helper()
		args := append([]string{"HPEXPIRE", key, "1", "FIELDS", strconv.Itoa(len(fields))}, fields...)
		if got := c.Do(args...); !strings.HasPrefix(got, "*") || strings.Contains(got, ":-2") {
			t.Fatalf("%v: %q", args, got)
		}
	}
	c.Do("HSET", "h", "f1", "v1", "f2", "v2", "f3", "v3")
	expireSoon("h", "f1", "f2", "f3")
	c.Do("HSET", "m", "a", "1", "b", "2", "c", "3", "d", "4", "e", "5")
	expireSoon("m", "a", "c")
	c.Do("HSET", "n", "a", "10", "b", "2")
	expireSoon("n", "a")
	c.Do("HSET", "r", "a", "1", "b", "2", "c", "3")
	expireSoon("r", "a", "b")
	c.Do("HSET", "d", "a", "1", "b", "2")
	expireSoon("d", "a")
	c.Do("HSET", "x", "a", "1", "b", "2")
	expireSoon("x", "a")
	c.Do("HSET", "y", "a", "1")
	expireSoon("y", "a")
	time.Sleep(10 * time.Millisecond)
	runCases(t, c, []replyCase{
		// The key stays, HLEN counts expired fields, lookups remove them.
		{[]string{"EXISTS", "h"}, ":1\r\n"},
		{[]string{"HLEN", "h"}, ":3\r\n"},
		{[]string{"HEXISTS", "h", "f1"}, ":0\r\n"},
		{[]string{"HLEN", "h"}, ":2\r\n"},
		{[]string{"HGET", "h", "f2"}, "$-1\r\n"},
		{[]string{"HLEN", "h"}, ":1\r\n"},
		{[]string{"HSTRLEN", "h", "f3"}, ":0\r\n"},
		{[]string{"EXISTS", "h"}, ":0\r\n"},
		// Listings skip them without removing them.
		{[]string{"HGETALL", "m"}, "*6\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n"},
		{[]string{"HKEYS", "m"}, "*3\r\n$1\r\nb\r\n$1\r\nd\r\n$1\r\ne\r\n"},
		{[]string{"HVALS", "m"}, "*3\r\n$1\r\n2\r\n$1\r\n4\r\n$1\r\n5\r\n"},
		{[]string{"HSCAN", "m", "0"}, "*2\r\n$1\r\n0\r\n*6\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n"},
		{[]string{"HLEN", "m"}, ":5\r\n"},
		{[]string{"HMGET", "m", "a", "b", "c"}, "*3\r\n$-1\r\n$1\r\n2\r\n$-1\r\n"},
		{[]string{"HLEN", "m"}, ":3\r\n"},
		{[]string{"HTTL", "m", "FIELDS", "1", "a"}, "*1\r\n:-2\r\n"},
		// HINCRBY starts an expired field over, without expiry.
		{[]string{"HINCRBY", "n", "a", "1"}, ":1\r\n"},
		{[]string{"HTTL", "n", "FIELDS", "1", "a"}, "*1\r\n:-1\r\n"},
		// HRANDFIELD removes every expired field first.
		{[]string{"HRANDFIELD", "r", "5"}, "*1\r\n$1\r\nc\r\n"},
		{[]string{"HLEN", "r"}, ":1\r\n"},
		// HDEL counts an expired field it removes.
		{[]string{"HDEL", "d", "a"}, ":1\r\n"},
		// HSET creates over an expired field.
		{[]string{"HSET", "x", "a", "9"}, ":1\r\n"},
		{[]string{"HTTL", "x", "FIELDS", "1", "a"}, "*1\r\n:-1\r\n"},
		{[]string{"HRANDFIELD", "y"}, "$-1\r\n"},
		{[]string{"EXISTS", "y"}, ":0\r\n"},
	})
}

func TestHashActiveFieldExpiry(t *testing.T) {
	s := startTestServer(t, func(cfg *config.Config) { cfg.Hz = 100 })
	c := dialRaw(t, s)
	for _, size := range []int{1, 17, 600} {
		all := []string{"HPEXPIRE", fmt.Sprint("all", size), "30", "FIELDS", strconv.Itoa(size)}
		mix := []string{"HPEXPIRE", fmt.Sprint("mix", size), "30", "FIELDS", strconv.Itoa(size)}
		for i := 0; i < size; i++ {
			c.Do("HSET", fmt.Sprint("all", size), fmt.Sprint("f", i), "v")
			c.Do("HSET", fmt.Sprint("mix", size), fmt.Sprint("f", i), "v", fmt.Sprint("keep", i), "v")
			all = append(all, fmt.Sprint("f", i))
			mix = append(mix, fmt.Sprint("f", i))
		}
		c.Do(all...)
		c.Do(mix...)
	}
	// A renamed hash is found again by the sweep.
	c.Do("HSET", "old", "a", "1")
	c.Do("HPEXPIRE", "old", "30", "FIELDS", "1", "a")
	c.Do("RENAME", "old", "renamed")
	deadline := time.Now().Add(5 * time.Second)
	for {
		done := c.Do("EXISTS", "all1", "all17", "all600", "renamed") == ":0\r\n"
		for _, size := range []int{1, 17, 600} {
			done = done && c.Do("HLEN", fmt.Sprint("mix", size)) == fmt.Sprintf(":%d\r\n", size)
		}
		if done {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("fields not expired: EXISTS all1 %q all17 %q all600 %q renamed %q, HLEN mix600 %q",
				c.Do("EXISTS", "all1"), c.Do("EXISTS", "all17"), c.Do("EXISTS", "all600"), c.Do("EXISTS", "renamed"), c.Do("HLEN", "mix600"))
		}
		time.Sleep(10 * time.Millisecond)
	}
	if got := c.Do("OBJECT", "ENCODING", "mix600"); got != "$9\r\nhashtable\r\n" {
		t.Fatalf("mix600 encoding %q", got)
	}
}

func TestHashFieldExpiryTouchesWatchers(t *testing.T) {
	s := startTestServer(t, func(cfg *config.Config) { cfg.ActiveExpireEnabled = false })
	c, other := dialRaw(t, s), dialRaw(t, s)
	c.Do("HSET", "h", "a", "1", "b", "2")
	c.Do("HPEXPIRE", "h", "1", "FIELDS", "1", "a")
	time.Sleep(5 * time.Millisecond)
	runCases(t, c, []replyCase{
		{[]string{"WATCH", "h"}, "+OK\r\n"},
	})
	// Another client's lookup removes the expired field: a change of h.
	runCases(t, other, []replyCase{{[]string{"HGET", "h", "a"}, "$-1\r\n"}})
	runCases(t, c, []replyCase{
		{[]string{"MULTI"}, "+OK\r\n"},
		{[]string{"HGET", "h", "b"}, "+QUEUED\r\n"},
		{[]string{"EXEC"}, "*-1\r\n"},
		{[]string{"WATCH", "h"}, "+OK\r\n"},
		{[]string{"MULTI"}, "+OK\r\n"},
		{[]string{"HGET", "h", "b"}, "+QUEUED\r\n"},
		{[]string{"EXEC"}, "*1\r\n$1\r\n2\r\n"},
	})
}

func TestHashGetdelGetexSetex(t *testing.T) {
	s := startTestServer(t)
	runCases(t, dialRaw(t, s), []replyCase{
		// HSETEX
		{[]string{"HSETEX", "h", "FIELDS", "2", "a", "1", "b", "2"}, ":1\r\n"},
		{[]string{"OBJECT", "ENCODING", "h"}, "$8\r\nlistpack\r\n"},
		{[]string{"HSETEX", "h", "FNX", "FIELDS", "1", "a", "5"}, ":0\r\n"},
		{[]string{"HSETEX", "h", "FNX", "FIELDS", "1", "c", "3"}, ":1\r\n"},
		{[]string{"HSETEX", "h", "FXX", "FIELDS", "2", "a", "9", "zz", "1"}, ":0\r\n"},
		{[]string{"HGETALL", "h"}, "*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n"},
		{[]string{"HSETEX", "h", "FXX", "EXAT", farTime, "FIELDS", "2", "a", "9", "b", "8"}, ":1\r\n"},
		{[]string{"OBJECT", "ENCODING", "h"}, "$10\r\nlistpackex\r\n"},
		{[]string{"HEXPIRETIME", "h", "FIELDS", "3", "a", "b", "c"}, "*3\r\n:4102444800\r\n:4102444800\r\n:-1\r\n"},
		{[]string{"HSETEX", "h", "KEEPTTL", "FIELDS", "1", "a", "10"}, ":1\r\n"},
		{[]string{"HEXPIRETIME", "h", "FIELDS", "1", "a"}, "*1\r\n:4102444800\r\n"},
		{[]string{"HSETEX", "h", "FIELDS", "1", "a", "11"}, ":1\r\n"},
		{[]string{"HEXPIRETIME", "h", "FIELDS", "1", "a"}, "*1\r\n:-1\r\n"},
		{[]string{"HGETALL", "h"}, "*6\r\n$1\r\nb\r\n$1\r\n8\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\na\r\n$2\r\n11\r\n"},
		{[]string{"HSETEX", "nokey", "FXX", "FIELDS", "1", "a", "1"}, ":0\r\n"},
		{[]string{"EXISTS", "nokey"}, ":0\r\n"},
		{[]string{"HSETEX", "new", "PX", "0", "FIELDS", "1", "a", "1"}, ":1\r\n"},
		{[]string{"EXISTS", "new"}, ":0\r\n"},
		{[]string{"HSETEX", "new", "PXAT", farTime + "000", "FNX", "FIELDS", "1", "a", "1"}, ":1\r\n"},
		{[]string{"OBJECT", "ENCODING", "new"}, "$10\r\nlistpackex\r\n"},
		{[]string{"HPEXPIRETIME", "new", "FIELDS", "1", "a"}, "*1\r\n:4102444800000\r\n"},
		{[]string{"HSETEX", "h", "fields"}, "-ERR wrong number of arguments for 'hsetex' command\r\n"},
		{[]string{"HSETEX", "h", "fields", "1", "a"}, "-ERR wrong number of arguments for 'hsetex' command\r\n"},
		{[]string{"HSETEX", "h", "fields", "2", "a", "b"}, "-ERR wrong number of arguments for 'hsetex' command\r\n"},
		{[]string{"HSETEX", "h", "fields", "1", "a", "b", "c"}, "-ERR wrong number of arguments for 'hsetex' command\r\n"},
		{[]string{"HSETEX", "h", "nx", "fields", "1", "a", "b"}, "-ERR unknown argument: nx\r\n"},
		{[]string{"HSETEX", "h", "fxx", "fnx", "fields", "1", "a", "b"}, "-ERR Only one of FXX or FNX arguments can be specified\r\n"},
		{[]string{"HSETEX", "h", "fnx", "fnx", "fields", "1", "a", "b"}, "-ERR Only one of FXX or FNX arguments can be specified\r\n"},
		{[]string{"HSETEX", "h", "EX", "10", "PX", "10", "fields", "1", "a", "b"}, "-ERR Only one of EX, PX, EXAT, PXAT or KEEPTTL arguments can be specified\r\n"},
		{[]string{"HSETEX", "h", "KEEPTTL", "EXAT", "10", "fields", "1", "a", "b"}, "-ERR Only one of EX, PX, EXAT, PXAT or KEEPTTL arguments can be specified\r\n"},
		{[]string{"HSETEX", "h", "ex", "fields", "1", "a", "b"}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"HSETEX", "h", "EX", "-1", "fields", "1", "a", "b"}, "-ERR invalid expire time, must be >= 0\r\n"},
		{[]string{"HSETEX", "h", "EXAT", "70368744178", "fields", "1", "a", "b"}, "-ERR invalid expire time in 'hsetex' command\r\n"},
		{[]string{"HSETEX", "h", "fields", "x", "a", "b"}, "-ERR invalid number of fields\r\n"},
		{[]string{"HSETEX", "h", "fields", "0", "a", "b"}, "-ERR invalid number of fields\r\n"},
		// HGETEX
		{[]string{"HGETEX", "h", "FIELDS", "2", "a", "nope"}, "*2\r\n$2\r\n11\r\n$-1\r\n"},
		{[]string{"HGETEX", "h", "EXAT", farTime, "FIELDS", "2", "a", "nope"}, "*2\r\n$2\r\n11\r\n$-1\r\n"},
		{[]string{"HEXPIRETIME", "h", "FIELDS", "1", "a"}, "*1\r\n:4102444800\r\n"},
		{[]string{"HGETEX", "h", "PERSIST", "FIELDS", "1", "a"}, "*1\r\n$2\r\n11\r\n"},
		{[]string{"HEXPIRETIME", "h", "FIELDS", "1", "a"}, "*1\r\n:-1\r\n"},
		{[]string{"HGETEX", "h", "PXAT", "1", "FIELDS", "1", "a"}, "*1\r\n$2\r\n11\r\n"},
		{[]string{"HEXISTS", "h", "a"}, ":0\r\n"},
		{[]string{"HGETEX", "h", "XFIELDX", "1", "a"}, "-ERR Mandatory argument FIELDS is missing or not at the right position\r\n"},
		{[]string{"HGETEX", "h", "PXAT", "1", "1"}, "-ERR Mandatory argument FIELDS is missing or not at the right position\r\n"},
		{[]string{"HGETEX", "h", "PERSIST", "1", "FIELDS", "1", "a"}, "-ERR Mandatory argument FIELDS is missing or not at the right position\r\n"},
		{[]string{"HGETEX", "h", "FIELDS", "2", "a"}, "-ERR The `numfields` parameter must match the number of arguments\r\n"},
		{[]string{"HGETEX", "h", "FIELDS", "0", "a"}, "-ERR Number of fields must be a positive integer\r\n"},
		{[]string{"HGETEX", "h", "EX", "bla", "FIELDS", "1", "a"}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"HGETEX", "h", "PX", "-1", "FIELDS", "1", "a"}, "-ERR invalid expire time, must be >= 0\r\n"},
		{[]string{"HGETEX", "h", "EX", "70368744178", "FIELDS", "1", "a"}, "-ERR invalid expire time in 'hgetex' command\r\n"},
		{[]string{"HGETEX", "nokey", "EX", "10", "FIELDS", "2", "a", "b"}, "*2\r\n$-1\r\n$-1\r\n"},
		{[]string{"EXISTS", "nokey"}, ":0\r\n"},
		// HGETDEL
		{[]string{"HGETDEL", "h", "FIELDS", "2", "b", "nope"}, "*2\r\n$1\r\n8\r\n$-1\r\n"},
		{[]string{"HGETALL", "h"}, "*2\r\n$1\r\nc\r\n$1\r\n3\r\n"},
		{[]string{"HGETDEL", "h", "FIELDS", "2", "c", "c"}, "*2\r\n$1\r\n3\r\n$-1\r\n"},
		{[]string{"EXISTS", "h"}, ":0\r\n"},
		{[]string{"HGETDEL", "h", "FIELDS", "1", "c"}, "*1\r\n$-1\r\n"},
		{[]string{"HGETDEL", "h", "FIELD", "1", "c"}, "-ERR Mandatory argument FIELDS is missing or not at the right position\r\n"},
		{[]string{"HGETDEL", "h", "FIELDS", "0", "c"}, "-ERR Number of fields must be a positive integer\r\n"},
		{[]string{"HGETDEL", "h", "FIELDS", "2", "c"}, "-ERR The `numfields` parameter must match the number of arguments\r\n"},
		{[]string{"SET", "s", "1"}, "+OK\r\n"},
		{[]string{"HGETDEL", "s", "FIELD", "1", "c"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"HGETEX", "s", "EX", "x", "FIELDS", "1", "c"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"HSETEX", "s", "FIELDS", "1", "c", "d"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		// HSETEX checks its arguments before the key's type.
		{[]string{"HSETEX", "s", "FOO", "FIELDS", "1", "c", "d"}, "-ERR unknown argument: FOO\r\n"},
	})
}

func TestHashFieldExpirySurvivesCopyAndRename(t *testing.T) {
	s := startTestServer(t)
	runCases(t, dialRaw(t, s), []replyCase{
		{[]string{"HSET", "h", "a", "1", "b", "2"}, ":2\r\n"},
		{[]string{"HEXPIREAT", "h", farTime, "FIELDS", "1", "a"}, "*1\r\n:1\r\n"},
		{[]string{"COPY", "h", "c"}, ":1\r\n"},
		{[]string{"HEXPIRETIME", "c", "FIELDS", "2", "a", "b"}, "*2\r\n:4102444800\r\n:-1\r\n"},
		{[]string{"OBJECT", "ENCODING", "c"}, "$10\r\nlistpackex\r\n"},
		{[]string{"HPERSIST", "c", "FIELDS", "1", "a"}, "*1\r\n:1\r\n"},
		{[]string{"HEXPIRETIME", "h", "FIELDS", "1", "a"}, "*1\r\n:4102444800\r\n"},
		{[]string{"RENAME", "h", "r"}, "+OK\r\n"},
		{[]string{"HEXPIRETIME", "r", "FIELDS", "1", "a"}, "*1\r\n:4102444800\r\n"},
	})
}
