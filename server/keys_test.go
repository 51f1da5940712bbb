package server

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"petrel/config"
	"petrel/store"
)

// The expected replies in this file were taken from Redis 7.0.15. Setting
// PETREL_KEYS_REF=host:port runs the reply tables against that server
// instead (it is flushed first), to re-check them.

// keysServer starts a Petrel server with active expiry off, so that keys
// with a passed TTL stay until a command touches them, as the lazy-expiry
// cases need.
func keysServer(t *testing.T) *Server {
	t.Helper()
	return startTestServer(t, func(c *config.Config) { c.ActiveExpireEnabled = false })
}

// dialKeys connects to s, or to the reference server when one is set.
func dialKeys(t *testing.T, s *Server) *rawClient {
	t.Helper()
	addr := os.Getenv("PETREL_KEYS_REF")
	if addr == "" {
		return dialRaw(t, s)
	}
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	c := &rawClient{t: t, conn: conn, rd: bufio.NewReader(conn)}
	c.Do("FLUSHALL")
	c.Do("DEBUG", "SET-ACTIVE-EXPIRE", "0")
	t.Cleanup(func() { c.Do("DEBUG", "SET-ACTIVE-EXPIRE", "1") })
	return c
}

// usingRef reports whether the tables run against a reference server, where
// Petrel's internals cannot be inspected.
func usingRef() bool { return os.Getenv("PETREL_KEYS_REF") != "" }

func kc(args ...string) []string { return args }

// kBulks encodes a RESP array of bulk strings.
func kBulks(items ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(items))
	for _, s := range items {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(s), s)
	}
	return b.String()
}

// kParseBulks decodes a flat RESP array of bulk strings, sorted.
func kParseBulks(t *testing.T, raw string) []string {
	t.Helper()
	rd := bufio.NewReader(strings.NewReader(raw))
	line, _ := rd.ReadString('\n')
	if !strings.HasPrefix(line, "*") {
		t.Fatalf("not an array: %q", raw)
	}
	n, _ := strconv.Atoi(strings.TrimSpace(line[1:]))
	out := make([]string, 0, n)
	for i := 0; i < n; i++ {
		hdr, _ := rd.ReadString('\n')
		l, _ := strconv.Atoi(strings.TrimSpace(hdr[1:]))
		buf := make([]byte, l+2)
		if _, err := io.ReadFull(rd, buf); err != nil {
			t.Fatal(err)
		}
		out = append(out, string(buf[:l]))
	}
	sort.Strings(out)
	return out
}

const (
	kOK    = "+OK\r\n"
	kZero  = ":0\r\n"
	kOne   = ":1\r\n"
	kNull2 = "$-1\r\n"
	kNull3 = "_\r\n"
)

func TestKeysDelUnlinkExistsTouch(t *testing.T) {
	c := dialKeys(t, keysServer(t))
	runCases(t, c, []replyCase{
		{kc("MSET", "a", "1", "b", "2", "c", "3"), kOK},
		{kc("EXISTS", "a"), kOne},
		{kc("EXISTS", "a", "a", "b", "nope"), ":3\r\n"}, // duplicates count
		{kc("EXISTS", "nope"), kZero},
		{kc("TOUCH", "a", "a", "nope"), ":2\r\n"},
		{kc("DEL", "a", "a", "nope"), kOne}, // a duplicate deletes once
		{kc("EXISTS", "a"), kZero},
		{kc("UNLINK", "b", "c", "nope"), ":2\r\n"},
		{kc("DEL", "b"), kZero},
		{kc("DEL"), "-ERR wrong number of arguments for 'del' command\r\n"},
		{kc("UNLINK"), "-ERR wrong number of arguments for 'unlink' command\r\n"},
		{kc("EXISTS"), "-ERR wrong number of arguments for 'exists' command\r\n"},
		{kc("TOUCH"), "-ERR wrong number of arguments for 'touch' command\r\n"},
		{kc("SET", "", "empty"), kOK}, // the empty key is a key
		{kc("EXISTS", ""), kOne},
		{kc("DEL", ""), kOne},
	})
}

func TestKeysType(t *testing.T) {
	c := dialKeys(t, keysServer(t))
	runCases(t, c, []replyCase{
		{kc("SET", "s", "v"), kOK},
		{kc("TYPE", "s"), "+string\r\n"},
		{kc("TYPE", "nope"), "+none\r\n"},
		{kc("SET", "n", "12"), kOK},
		{kc("TYPE", "n"), "+string\r\n"},
		{kc("TYPE"), "-ERR wrong number of arguments for 'type' command\r\n"},
		{kc("TYPE", "a", "b"), "-ERR wrong number of arguments for 'type' command\r\n"},
	})
}

func TestKeysRename(t *testing.T) {
	c := dialKeys(t, keysServer(t))
	runCases(t, c, []replyCase{
		{kc("RENAME", "nope", "x"), "-ERR no such key\r\n"},
		{kc("RENAME", "nope", "nope"), "-ERR no such key\r\n"},
		{kc("RENAMENX", "nope", "x"), "-ERR no such key\r\n"},
		{kc("RENAMENX", "nope", "nope"), "-ERR no such key\r\n"},
		{kc("SET", "a", "1"), kOK},
		{kc("RENAME", "a", "a"), kOK},
		{kc("RENAMENX", "a", "a"), kZero},
		{kc("RENAME", "a", "b"), kOK},
		{kc("EXISTS", "a"), kZero},
		{kc("GET", "b"), "$1\r\n1\r\n"},
		{kc("SET", "c", "3"), kOK},
		{kc("RENAMENX", "b", "c"), kZero},
		{kc("GET", "c"), "$1\r\n3\r\n"},
		{kc("RENAMENX", "b", "d"), kOne},
		{kc("GET", "d"), "$1\r\n1\r\n"},
		{kc("RENAME", "d", "c"), kOK}, // overwrites
		{kc("GET", "c"), "$1\r\n1\r\n"},
		{kc("EXISTS", "d"), kZero},
		// The TTL travels with the value and replaces the target's.
		{kc("SET", "t", "v"), kOK},
		{kc("PEXPIREAT", "t", "4102444800123"), kOne},
		{kc("SET", "u", "w"), kOK},
		{kc("PEXPIREAT", "u", "4102444800999"), kOne},
		{kc("RENAME", "t", "u"), kOK},
		{kc("PEXPIRETIME", "u"), ":4102444800123\r\n"},
		{kc("SET", "p", "v"), kOK},
		{kc("RENAME", "p", "u"), kOK},
		{kc("PEXPIRETIME", "u"), ":-1\r\n"},
		// the encoding travels too
		{kc("SET", "r", "x"), kOK},
		{kc("APPEND", "r", "y"), ":2\r\n"},
		{kc("RENAME", "r", "r2"), kOK},
		{kc("OBJECT", "ENCODING", "r2"), "$3\r\nraw\r\n"},
		{kc("RENAME", "a"), "-ERR wrong number of arguments for 'rename' command\r\n"},
		{kc("RENAMENX", "a", "b", "c"), "-ERR wrong number of arguments for 'renamenx' command\r\n"},
	})
}

func TestKeysCopy(t *testing.T) {
	c := dialKeys(t, keysServer(t))
	runCases(t, c, []replyCase{
		{kc("COPY", "nope", "nope"), "-ERR source and destination objects are the same\r\n"},
		{kc("COPY", "nope", "x"), kZero},
		{kc("SET", "a", "hello"), kOK},
		{kc("COPY", "a", "a"), "-ERR source and destination objects are the same\r\n"},
		{kc("COPY", "a", "a", "DB", "0"), "-ERR source and destination objects are the same\r\n"},
		{kc("COPY", "a", "b"), kOne},
		{kc("GET", "b"), "$5\r\nhello\r\n"},
		{kc("SET", "a", "world"), kOK},
		{kc("COPY", "a", "b"), kZero},
		{kc("GET", "b"), "$5\r\nhello\r\n"},
		{kc("COPY", "a", "b", "replace"), kOne},
		{kc("GET", "b"), "$5\r\nworld\r\n"},
		{kc("COPY", "a", "a", "db", "1"), kOne},
		{kc("COPY", "a", "a", "db", "1"), kZero},
		{kc("COPY", "a", "a", "REPLACE", "DB", "1"), kOne},
		{kc("COPY", "a", "b", "replace", "replace", "db", "1", "db", "2"), kOne}, // the last DB wins
		{kc("SELECT", "2"), kOK},
		{kc("GET", "b"), "$5\r\nworld\r\n"},
		{kc("SELECT", "1"), kOK},
		{kc("GET", "a"), "$5\r\nworld\r\n"},
		{kc("EXISTS", "b"), kZero},
		{kc("SELECT", "0"), kOK},
		// options
		{kc("COPY", "a", "b", "db", "16"), "-ERR DB index is out of range\r\n"},
		{kc("COPY", "a", "b", "db", "-1"), "-ERR DB index is out of range\r\n"},
		{kc("COPY", "a", "b", "db", "x"), "-ERR value is not an integer or out of range\r\n"},
		{kc("COPY", "a", "b", "db", "01"), "-ERR value is not an integer or out of range\r\n"},
		{kc("COPY", "a", "b", "db", "2147483648"), "-ERR value is out of range, value must between -2147483648 and 2147483647\r\n"},
		{kc("COPY", "a", "b", "db", "-2147483649"), "-ERR value is out of range, value must between -2147483648 and 2147483647\r\n"},
		{kc("COPY", "a", "b", "db"), "-ERR syntax error\r\n"},
		{kc("COPY", "a", "b", "foo"), "-ERR syntax error\r\n"},
		{kc("COPY", "a", "b", "db", "x", "foo"), "-ERR value is not an integer or out of range\r\n"},
		{kc("COPY", "a", "b", "foo", "db", "x"), "-ERR syntax error\r\n"},
		{kc("COPY", "a"), "-ERR wrong number of arguments for 'copy' command\r\n"},
		// The copy keeps the TTL and the encoding; a small integer copy is
		// no longer shared.
		{kc("PEXPIREAT", "a", "4102444800777"), kOne},
		{kc("COPY", "a", "t"), kOne},
		{kc("PEXPIRETIME", "t"), ":4102444800777\r\n"},
		{kc("COPY", "a", "t", "db", "3"), kOne},
		{kc("SELECT", "3"), kOK},
		{kc("PEXPIRETIME", "t"), ":4102444800777\r\n"},
		{kc("SELECT", "0"), kOK},
		{kc("SET", "i", "42"), kOK},
		{kc("COPY", "i", "i2"), kOne},
		{kc("OBJECT", "ENCODING", "i2"), "$3\r\nint\r\n"},
		{kc("OBJECT", "REFCOUNT", "i"), ":2147483647\r\n"},
		{kc("OBJECT", "REFCOUNT", "i2"), kOne},
		{kc("RENAME", "i2", "i3"), kOK},
		{kc("OBJECT", "REFCOUNT", "i3"), kOne},
		{kc("SET", "r", "x"), kOK},
		{kc("APPEND", "r", "y"), ":2\r\n"},
		{kc("COPY", "r", "r2"), kOne},
		{kc("OBJECT", "ENCODING", "r2"), "$3\r\nraw\r\n"},
		{kc("SET", "e", strings.Repeat("x", 30)), kOK},
		{kc("COPY", "e", "e2"), kOne},
		{kc("OBJECT", "ENCODING", "e2"), "$6\r\nembstr\r\n"},
	})
}

func TestKeysMove(t *testing.T) {
	c := dialKeys(t, keysServer(t))
	runCases(t, c, []replyCase{
		{kc("MOVE", "nope", "0"), "-ERR source and destination objects are the same\r\n"},
		{kc("MOVE", "nope", "1"), kZero},
		{kc("MOVE", "a", "16"), "-ERR DB index is out of range\r\n"},
		{kc("MOVE", "a", "-1"), "-ERR DB index is out of range\r\n"},
		{kc("MOVE", "a", "x"), "-ERR value is not an integer or out of range\r\n"},
		{kc("MOVE", "a", "01"), "-ERR value is not an integer or out of range\r\n"},
		{kc("MOVE", "a", "2147483648"), "-ERR value is out of range, value must between -2147483648 and 2147483647\r\n"},
		{kc("MOVE", "a"), "-ERR wrong number of arguments for 'move' command\r\n"},
		{kc("SET", "a", "1"), kOK},
		{kc("PEXPIREAT", "a", "4102444800555"), kOne},
		{kc("MOVE", "a", "1"), kOne},
		{kc("EXISTS", "a"), kZero},
		{kc("SET", "a", "other"), kOK},
		{kc("MOVE", "a", "1"), kZero}, // already there
		{kc("GET", "a"), "$5\r\nother\r\n"},
		{kc("SELECT", "1"), kOK},
		{kc("GET", "a"), "$1\r\n1\r\n"},
		{kc("PEXPIRETIME", "a"), ":4102444800555\r\n"},
		{kc("OBJECT", "REFCOUNT", "a"), ":2147483647\r\n"},
		{kc("MOVE", "a", "1"), "-ERR source and destination objects are the same\r\n"},
		{kc("MOVE", "a", "0"), kZero},
		{kc("DEL", "a"), kOne},
		{kc("SELECT", "0"), kOK},
		{kc("MOVE", "a", "1"), kOne},
	})
}

func TestKeysExpireOptions(t *testing.T) {
	c := dialKeys(t, keysServer(t))
	runCases(t, c, []replyCase{
		{kc("SET", "a", "1"), kOK},
		{kc("EXPIRE", "a", "100", "nx", "xx"), "-ERR NX and XX, GT or LT options at the same time are not compatible\r\n"},
		{kc("EXPIRE", "a", "100", "NX", "GT"), "-ERR NX and XX, GT or LT options at the same time are not compatible\r\n"},
		{kc("EXPIRE", "a", "100", "lt", "nx"), "-ERR NX and XX, GT or LT options at the same time are not compatible\r\n"},
		{kc("EXPIRE", "a", "100", "gt", "lt"), "-ERR GT and LT options at the same time are not compatible\r\n"},
		{kc("EXPIRE", "a", "100", "nx", "gt", "lt"), "-ERR NX and XX, GT or LT options at the same time are not compatible\r\n"},
		{kc("EXPIRE", "a", "100", "foo"), "-ERR Unsupported option foo\r\n"},
		{kc("EXPIRE", "a", "100", "NX", "XX", "foo"), "-ERR Unsupported option foo\r\n"}, // options are read before they are checked
		{kc("EXPIRE", "a", "100", "fo\x00o"), "-ERR Unsupported option fo\r\n"},
		{kc("EXPIRE", "a", "x", "nx", "xx"), "-ERR NX and XX, GT or LT options at the same time are not compatible\r\n"},
		{kc("EXPIRE", "a", "x"), "-ERR value is not an integer or out of range\r\n"},
		{kc("EXPIRE", "nope", "x"), "-ERR value is not an integer or out of range\r\n"},
		{kc("EXPIRE", "a", "1.5"), "-ERR value is not an integer or out of range\r\n"},
		{kc("EXPIRE", "nope", "100"), kZero},
		{kc("EXPIRE", "a"), "-ERR wrong number of arguments for 'expire' command\r\n"},
		// no TTL yet
		{kc("EXPIRE", "a", "100", "xx"), kZero},
		{kc("EXPIRE", "a", "100", "gt"), kZero}, // no TTL is infinite
		{kc("EXPIRE", "a", "100", "xx", "gt"), kZero},
		{kc("EXPIRE", "a", "100", "nx", "nx"), kOne},
		{kc("EXPIRE", "a", "50", "nx"), kZero},
		{kc("TTL", "a"), ":100\r\n"},
		{kc("EXPIRE", "a", "50", "xx"), kOne},
		{kc("EXPIRE", "a", "40", "gt"), kZero},
		{kc("EXPIRE", "a", "60", "GT"), kOne},
		{kc("EXPIRE", "a", "70", "lt"), kZero},
		{kc("EXPIRE", "a", "30", "xx", "lt"), kOne},
		{kc("TTL", "a"), ":30\r\n"},
		{kc("PERSIST", "a"), kOne},
		{kc("EXPIRE", "a", "100", "lt"), kOne}, // no TTL is infinite
		{kc("TTL", "a"), ":100\r\n"},
		{kc("PERSIST", "a"), kOne},
		{kc("PERSIST", "a"), kZero},
		{kc("PERSIST", "nope"), kZero},
		// a time already past deletes the key and answers 1
		{kc("EXPIRE", "a", "-5", "gt"), kZero},
		{kc("EXPIRE", "a", "-5", "lt"), kOne},
		{kc("EXISTS", "a"), kZero},
		{kc("SET", "a", "1"), kOK},
		{kc("EXPIRE", "a", "0"), kOne},
		{kc("EXISTS", "a"), kZero},
		{kc("SET", "a", "1"), kOK},
		{kc("PEXPIREAT", "a", "0"), kOne},
		{kc("EXISTS", "a"), kZero},
		{kc("SET", "a", "1"), kOK},
		{kc("EXPIREAT", "a", "1"), kOne},
		{kc("EXISTS", "a"), kZero},
		{kc("SET", "a", "1"), kOK},
		{kc("PEXPIRE", "a", "-1"), kOne},
		{kc("EXISTS", "a"), kZero},
		{kc("SET", "a", "1"), kOK},
		{kc("PEXPIREAT", "a", "-9223372036854775808"), kOne},
		{kc("EXISTS", "a"), kZero},
	})
}

func TestKeysExpireOverflow(t *testing.T) {
	c := dialKeys(t, keysServer(t))
	runCases(t, c, []replyCase{
		{kc("SET", "a", "1"), kOK},
		{kc("EXPIRE", "a", "9223372036854775807"), "-ERR invalid expire time in 'expire' command\r\n"},
		{kc("EXPIRE", "a", "9223372036854775"), "-ERR invalid expire time in 'expire' command\r\n"},
		{kc("EXPIRE", "a", "9223372036854774"), "-ERR invalid expire time in 'expire' command\r\n"},
		{kc("EXPIRE", "a", "-9223372036854775808"), "-ERR invalid expire time in 'expire' command\r\n"},
		{kc("PEXPIRE", "a", "9223372036854775807"), "-ERR invalid expire time in 'pexpire' command\r\n"},
		{kc("EXPIREAT", "a", "9223372036854775807"), "-ERR invalid expire time in 'expireat' command\r\n"},
		{kc("EXPIREAT", "a", "9223372036854776"), "-ERR invalid expire time in 'expireat' command\r\n"},
		{kc("EXPIREAT", "a", "-9223372036854776"), "-ERR invalid expire time in 'expireat' command\r\n"},
		{kc("EXPIRE", "nope", "9223372036854775807"), "-ERR invalid expire time in 'expire' command\r\n"},
		{kc("EXISTS", "a"), kOne},
		{kc("EXPIREAT", "a", "9223372036854775"), kOne},
		{kc("EXPIRETIME", "a"), ":9223372036854775\r\n"},
		{kc("PEXPIREAT", "a", "9223372036854775807"), kOne},
		{kc("PEXPIRETIME", "a"), ":9223372036854775807\r\n"},
		{kc("EXPIRETIME", "a"), ":9223372036854776\r\n"}, // rounded, no overflow
	})
}

func TestKeysTTL(t *testing.T) {
	c := dialKeys(t, keysServer(t))
	runCases(t, c, []replyCase{
		{kc("TTL", "nope"), ":-2\r\n"},
		{kc("PTTL", "nope"), ":-2\r\n"},
		{kc("EXPIRETIME", "nope"), ":-2\r\n"},
		{kc("PEXPIRETIME", "nope"), ":-2\r\n"},
		{kc("SET", "a", "1"), kOK},
		{kc("TTL", "a"), ":-1\r\n"},
		{kc("PTTL", "a"), ":-1\r\n"},
		{kc("EXPIRETIME", "a"), ":-1\r\n"},
		{kc("PEXPIRETIME", "a"), ":-1\r\n"},
		// seconds are rounded to the nearest
		{kc("PEXPIREAT", "a", "4102444800499"), kOne},
		{kc("EXPIRETIME", "a"), ":4102444800\r\n"},
		{kc("PEXPIREAT", "a", "4102444800500"), kOne},
		{kc("EXPIRETIME", "a"), ":4102444801\r\n"},
		{kc("PEXPIRETIME", "a"), ":4102444800500\r\n"},
		{kc("EXPIREAT", "a", "4102444800"), kOne},
		{kc("PEXPIRETIME", "a"), ":4102444800000\r\n"},
		{kc("PEXPIRE", "a", "1600"), kOne},
		{kc("TTL", "a"), ":2\r\n"},
		{kc("PEXPIRE", "a", "100400"), kOne},
		{kc("TTL", "a"), ":100\r\n"},
		{kc("TTL"), "-ERR wrong number of arguments for 'ttl' command\r\n"},
		{kc("PTTL", "a", "b"), "-ERR wrong number of arguments for 'pttl' command\r\n"},
		{kc("EXPIRETIME"), "-ERR wrong number of arguments for 'expiretime' command\r\n"},
		{kc("PEXPIRETIME"), "-ERR wrong number of arguments for 'pexpiretime' command\r\n"},
		{kc("PERSIST"), "-ERR wrong number of arguments for 'persist' command\r\n"},
	})
	// PTTL counts down from the PEXPIRE: allow for the time the test took.
	c.Do("PEXPIRE", "a", "5000")
	got := c.Do("PTTL", "a")
	n, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(got, ":")))
	if err != nil || n > 5000 || n < 4000 {
		t.Errorf("PTTL after PEXPIRE 5000: %q", got)
	}
}

// TestKeysLazyExpiry pins that every command treats a key whose TTL passed
// as missing, and that DEL does not count it as deleted.
func TestKeysLazyExpiry(t *testing.T) {
	c := dialKeys(t, keysServer(t))
	for _, k := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i"} {
		c.Do("SET", k, "v", "PX", "20")
	}
	c.Do("SET", "live", "v")
	time.Sleep(40 * time.Millisecond)
	runCases(t, c, []replyCase{
		{kc("EXISTS", "a", "live"), kOne},
		{kc("DEL", "b", "live"), kOne},
		{kc("TYPE", "c"), "+none\r\n"},
		{kc("TTL", "d"), ":-2\r\n"},
		{kc("RENAME", "e", "x"), "-ERR no such key\r\n"},
		{kc("MOVE", "f", "1"), kZero},
		{kc("COPY", "g", "x"), kZero},
		{kc("PERSIST", "h"), kZero},
		{kc("EXPIRE", "i", "100"), kZero},
		{kc("KEYS", "*"), kBulks()},
		{kc("RANDOMKEY"), kNull2},
		{kc("SCAN", "0"), "*2\r\n$1\r\n0\r\n*0\r\n"},
	})
}

// TestKeysExpiredTarget pins that an expired destination counts as missing.
func TestKeysExpiredTarget(t *testing.T) {
	c := dialKeys(t, keysServer(t))
	c.Do("SET", "x", "old", "PX", "20")
	c.Do("SELECT", "1")
	c.Do("SET", "m", "old", "PX", "20")
	c.Do("SELECT", "0")
	time.Sleep(40 * time.Millisecond)
	runCases(t, c, []replyCase{
		{kc("SET", "a", "new"), kOK},
		{kc("RENAMENX", "a", "x"), kOne},
		{kc("COPY", "x", "y"), kOne},
		{kc("SET", "m", "moved"), kOK},
		{kc("MOVE", "m", "1"), kOne},
		{kc("SELECT", "1"), kOK},
		{kc("GET", "m"), "$5\r\nmoved\r\n"},
	})
}

func TestKeysObject(t *testing.T) {
	c := dialKeys(t, keysServer(t))
	help := "*15\r\n" +
		"+OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n" +
		"+ENCODING <key>\r\n" +
		"+    Return the kind of internal representation used in order to store the value\r\n" +
		"+    associated with a <key>.\r\n" +
		"+FREQ <key>\r\n" +
		"+    Return the access frequency index of the <key>. The returned integer is\r\n" +
		"+    proportional to the logarithm of the recent access frequency of the key.\r\n" +
		"+IDLETIME <key>\r\n" +
		"+    Return the idle time of the <key>, that is the approximated number of\r\n" +
		"+    seconds elapsed since the last access to the key.\r\n" +
		"+REFCOUNT <key>\r\n" +
		"+    Return the number of references of the value associated with the specified\r\n" +
		"+    <key>.\r\n" +
		"+HELP\r\n" +
		"+    Prints this help.\r\n"
	runCases(t, c, []replyCase{
		{kc("SET", "small", "5"), kOK},
		{kc("SET", "big", "10000"), kOK},
		{kc("SET", "neg", "-1"), kOK},
		{kc("SET", "str", "hello"), kOK},
		{kc("SET", "long", strings.Repeat("x", 45)), kOK},
		{kc("SET", "huge", "12345678901234567890"), kOK},
		{kc("OBJECT", "ENCODING", "small"), "$3\r\nint\r\n"},
		{kc("OBJECT", "ENCODING", "big"), "$3\r\nint\r\n"},
		{kc("OBJECT", "ENCODING", "str"), "$6\r\nembstr\r\n"},
		{kc("OBJECT", "ENCODING", "long"), "$3\r\nraw\r\n"},
		{kc("OBJECT", "ENCODING", "huge"), "$6\r\nembstr\r\n"},
		{kc("object", "encoding", "nope"), kNull2},
		{kc("OBJECT", "REFCOUNT", "small"), ":2147483647\r\n"},
		{kc("OBJECT", "REFCOUNT", "big"), kOne},
		{kc("OBJECT", "REFCOUNT", "neg"), kOne},
		{kc("OBJECT", "REFCOUNT", "str"), kOne},
		{kc("OBJECT", "REFCOUNT", "nope"), kNull2},
		{kc("OBJECT", "FREQ", "str"), "-ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n"},
		{kc("OBJECT", "FREQ", "nope"), kNull2},
		{kc("OBJECT", "IDLETIME", "nope"), kNull2},
		{kc("OBJECT", "HELP"), help},
		{kc("object", "help"), help},
		{kc("OBJECT"), "-ERR wrong number of arguments for 'object' command\r\n"},
		{kc("OBJECT", "foo"), "-ERR unknown subcommand 'foo'. Try OBJECT HELP.\r\n"},
		{kc("OBJECT", "HELP", "x"), "-ERR wrong number of arguments for 'object|help' command\r\n"},
		{kc("OBJECT", "ENCODING"), "-ERR wrong number of arguments for 'object|encoding' command\r\n"},
		{kc("OBJECT", "ENCODING", "a", "b"), "-ERR wrong number of arguments for 'object|encoding' command\r\n"},
	})
	c.Do("HELLO", "3")
	runCases(t, c, []replyCase{
		{kc("OBJECT", "ENCODING", "nope"), kNull3},
		{kc("OBJECT", "REFCOUNT", "nope"), kNull3},
		{kc("OBJECT", "IDLETIME", "nope"), kNull3},
		{kc("OBJECT", "FREQ", "nope"), kNull3},
		{kc("OBJECT", "HELP"), help},
		{kc("TTL", "nope"), ":-2\r\n"},
	})
}

// TestKeysObjectLFU pins OBJECT FREQ and IDLETIME under an LFU policy.
func TestKeysObjectLFU(t *testing.T) {
	c := dialKeys(t, keysServer(t))
	t.Cleanup(func() { c.Do("CONFIG", "SET", "maxmemory-policy", "noeviction") })
	lfuOn := "-ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n"
	lfuOff := "-ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n"
	runCases(t, c, []replyCase{
		{kc("SET", "a", "hello"), kOK},
		{kc("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"), kOK},
		{kc("COPY", "a", "b"), kOne},
		{kc("OBJECT", "FREQ", "b"), ":5\r\n"}, // a new value starts at 5
		{kc("OBJECT", "FREQ", "nope"), kNull2},
		{kc("OBJECT", "IDLETIME", "b"), lfuOn},
		{kc("OBJECT", "IDLETIME", "nope"), kNull2},
		{kc("CONFIG", "SET", "maxmemory-policy", "volatile-lfu"), kOK},
		{kc("OBJECT", "IDLETIME", "b"), lfuOn},
		{kc("CONFIG", "SET", "maxmemory-policy", "allkeys-lru"), kOK},
		{kc("OBJECT", "FREQ", "b"), lfuOff},
	})
}

func TestKeysLFUDecay(t *testing.T) {
	cases := []struct {
		data, now uint32
		decay     int64
		want      int64
	}{
		{100<<8 | 5, 100, 1, 5},
		{100<<8 | 5, 103, 1, 2},
		{100<<8 | 5, 110, 1, 0},
		{100<<8 | 20, 110, 2, 15},
		{100<<8 | 20, 110, 0, 20},   // no decay
		{0xfffe<<8 | 9, 2, 1, 6},    // the minute clock wrapped
		{100<<8 | 255, 100, 1, 255}, // saturated counter
	}
	for _, c := range cases {
		if got := lfuDecayed(c.data, c.now, c.decay); got != c.want {
			t.Errorf("lfuDecayed(%#x, %d, %d) = %d, want %d", c.data, c.now, c.decay, got, c.want)
		}
	}
}

func TestKeysIdleSeconds(t *testing.T) {
	cases := []struct {
		now, lru uint32
		want     int64
	}{
		{100, 100, 0},
		{100, 40, 60},
		{5, 1<<24 - 6, 10}, // the clock wrapped
	}
	for _, c := range cases {
		if got := idleSeconds(c.now, c.lru); got != c.want {
			t.Errorf("idleSeconds(%d, %d) = %d, want %d", c.now, c.lru, got, c.want)
		}
	}
}

func TestKeysKeys(t *testing.T) {
	c := dialKeys(t, keysServer(t))
	c.Do("MSET", "hello", "1", "hallo", "1", "hxllo", "1", "hllo", "1", "heeeello", "1", "", "1", "*", "1")
	want := map[string][]string{
		"*":        {"", "*", "hallo", "heeeello", "hello", "hllo", "hxllo"},
		"**":       {"*", "hallo", "heeeello", "hello", "hllo", "hxllo"}, // only a lone * matches the empty key
		"h?llo":    {"hallo", "hello", "hxllo"},
		"h*llo":    {"hallo", "heeeello", "hello", "hllo", "hxllo"},
		"h[ae]llo": {"hallo", "hello"},
		"h[^e]llo": {"hallo", "hxllo"},
		"h[a-b]*":  {"hallo"},
		"\\*":      {"*"},
		"":         {""},
		"nomatch":  {},
	}
	for pat, keys := range want {
		got := kParseBulks(t, c.Do("KEYS", pat))
		if strings.Join(got, ",") != strings.Join(keys, ",") || len(got) != len(keys) {
			t.Errorf("KEYS %q = %q, want %q", pat, got, keys)
		}
	}
	runCases(t, c, []replyCase{
		{kc("KEYS"), "-ERR wrong number of arguments for 'keys' command\r\n"},
		{kc("KEYS", "a", "b"), "-ERR wrong number of arguments for 'keys' command\r\n"},
	})
	c.Do("HELLO", "3")
	runCases(t, c, []replyCase{{kc("KEYS", "hel*"), kBulks("hello")}})
}

func TestKeysScanArguments(t *testing.T) {
	c := dialKeys(t, keysServer(t))
	done := func(keys ...string) string { return "*2\r\n$1\r\n0\r\n" + kBulks(keys...) }
	runCases(t, c, []replyCase{
		{kc("SET", "a", "1"), kOK},
		{kc("SCAN", "0"), done("a")},
		{kc("SCAN", ""), done("a")}, // strtoul reads "" as 0
		{kc("SCAN", "+0"), done("a")},
		{kc("SCAN", "00"), done("a")},
		{kc("SCAN", " 0"), "-ERR invalid cursor\r\n"},
		{kc("SCAN", "0 "), "-ERR invalid cursor\r\n"},
		{kc("SCAN", "0x1"), "-ERR invalid cursor\r\n"},
		{kc("SCAN", "abc"), "-ERR invalid cursor\r\n"},
		{kc("SCAN", "+"), "-ERR invalid cursor\r\n"},
		{kc("SCAN", "18446744073709551616"), "-ERR invalid cursor\r\n"},
		{kc("SCAN", "abc", "count", "0"), "-ERR invalid cursor\r\n"}, // the cursor is read first
		{kc("SCAN", "0", "count", "0"), "-ERR syntax error\r\n"},
		{kc("SCAN", "0", "count", "-1"), "-ERR syntax error\r\n"},
		{kc("SCAN", "0", "count", "x"), "-ERR value is not an integer or out of range\r\n"},
		{kc("SCAN", "0", "count", "9223372036854775808"), "-ERR value is not an integer or out of range\r\n"},
		{kc("SCAN", "0", "count"), "-ERR syntax error\r\n"},
		{kc("SCAN", "0", "match"), "-ERR syntax error\r\n"},
		{kc("SCAN", "0", "type"), "-ERR syntax error\r\n"},
		{kc("SCAN", "0", "foo", "bar"), "-ERR syntax error\r\n"},
		{kc("SCAN", "0", "count", "1", "foo"), "-ERR syntax error\r\n"},
		{kc("SCAN"), "-ERR wrong number of arguments for 'scan' command\r\n"},
		{kc("SCAN", "0", "COUNT", "10", "MATCH", "a*", "TYPE", "STRING"), done("a")},
		{kc("SCAN", "0", "count", "1", "count", "9223372036854775807"), done("a")},
		{kc("SCAN", "0", "type", "list"), done()},
		{kc("SCAN", "0", "type", "foo"), done()},
		{kc("SCAN", "0", "match", "b*"), done()},
		{kc("SET", "", "empty"), kOK},
		{kc("SCAN", "0", "match", "b*"), done()},
		{kc("SCAN", "0", "match", "?*"), done("a")},
	})
	// "*" and an absent MATCH take every key, the empty one included
	for _, args := range [][]string{{"SCAN", "0"}, {"SCAN", "0", "MATCH", "*"}} {
		got := c.Do(args...)
		rest := strings.TrimPrefix(got, "*2\r\n$1\r\n0\r\n")
		if rest == got || strings.Join(kParseBulks(t, rest), ",") != ",a" {
			t.Errorf("%q = %q", args, got)
		}
	}
	c.Do("HELLO", "3")
	runCases(t, c, []replyCase{{kc("SCAN", "0", "match", "a"), done("a")}})
}

// TestKeysScanTypeExpired pins Redis 7.0's TYPE filter quirk: the lookup
// that learns the type expires the key, which then reads as "none".
func TestKeysScanTypeExpired(t *testing.T) {
	s := keysServer(t)
	c := dialKeys(t, s)
	c.Do("SET", "k", "v", "PX", "10")
	c.Do("SET", "live", "v")
	time.Sleep(30 * time.Millisecond)
	runCases(t, c, []replyCase{
		{kc("SCAN", "0", "TYPE", "none"), "*2\r\n$1\r\n0\r\n" + kBulks("k")},
		{kc("SCAN", "0", "TYPE", "none"), "*2\r\n$1\r\n0\r\n" + kBulks()},
		{kc("EXISTS", "k"), kZero},
	})
}

// scanAll runs a full SCAN and calls between after each call.
func scanAll(t *testing.T, c *rawClient, count int, between func(call int)) (map[string]int, int) {
	t.Helper()
	seen := map[string]int{}
	cursor := "0"
	calls := 0
	for {
		raw := c.Do("SCAN", cursor, "COUNT", strconv.Itoa(count))
		rd := bufio.NewReader(strings.NewReader(raw))
		rd.ReadString('\n')
		rd.ReadString('\n')
		cur, _ := rd.ReadString('\n')
		cursor = strings.TrimSpace(cur)
		rest, _ := rd.Peek(rd.Buffered())
		for _, k := range kParseBulks(t, string(rest)) {
			seen[k]++
		}
		calls++
		if cursor == "0" {
			return seen, calls
		}
		if calls > 1_000_000 {
			t.Fatal("SCAN does not terminate")
		}
		if between != nil {
			between(calls)
		}
	}
}

// TestKeysScanGuarantee pins SCAN's guarantee: a key present for the whole
// scan is returned at least once, although other keys are added and
// removed between calls so that shard tables grow and shrink under it.
func TestKeysScanGuarantee(t *testing.T) {
	s := keysServer(t)
	c := dialKeys(t, s)
	const stable = 3000
	var b []string
	b = append(b, "MSET")
	for i := 0; i < stable; i++ {
		b = append(b, fmt.Sprintf("stable:%d", i), "v")
	}
	c.Do(b...)

	// Unchanged keyspace: every key, and the empty database.
	seen, _ := scanAll(t, c, 10, nil)
	if len(seen) != stable {
		t.Fatalf("quiet scan returned %d distinct keys, want %d", len(seen), stable)
	}

	// Grow: add keys between the first calls, so that the tables double
	// under the scan (about 12 keys a shard become about 50).
	extra := 0
	seen, calls := scanAll(t, c, 20, func(call int) {
		if call > 60 {
			return
		}
		args := []string{"MSET"}
		for j := 0; j < 150; j++ {
			args = append(args, fmt.Sprintf("grow:%d", extra), "v")
			extra++
		}
		c.Do(args...)
	})
	checkStable(t, "grow", seen, stable)
	if calls < 60 {
		t.Fatalf("scan took only %d calls: it did not interleave", calls)
	}

	// Shrink: delete the added keys between calls, so tables halve.
	next := 0
	seen, _ = scanAll(t, c, 20, func(int) {
		args := []string{"DEL"}
		for j := 0; j < 400 && next < extra; j++ {
			args = append(args, fmt.Sprintf("grow:%d", next))
			next++
		}
		if len(args) > 1 {
			c.Do(args...)
		}
	})
	checkStable(t, "shrink", seen, stable)
	if next < extra {
		t.Fatalf("only %d of %d keys deleted during the scan", next, extra)
	}

	// Both at once, with COUNT 1.
	churn := 0
	seen, _ = scanAll(t, c, 1, func(call int) {
		if call%2 == 0 {
			c.Do("MSET", fmt.Sprintf("churn:%d", churn), "v", fmt.Sprintf("churn:%d", churn+1), "v")
			churn += 2
		} else if churn > 0 {
			c.Do("DEL", fmt.Sprintf("churn:%d", churn-1), fmt.Sprintf("churn:%d", churn-2))
		}
	})
	checkStable(t, "churn", seen, stable)

}

func checkStable(t *testing.T, phase string, seen map[string]int, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		if seen[fmt.Sprintf("stable:%d", i)] == 0 {
			t.Fatalf("%s: stable:%d was never returned", phase, i)
		}
	}
}

// TestKeysScanCursorEncoding pins how SCAN's cursor combines the shard
// number and the shard's bucket cursor.
func TestKeysScanCursorEncoding(t *testing.T) {
	if usingRef() {
		t.Skip("Petrel's cursor layout")
	}
	s := keysServer(t)
	c := dialRaw(t, s)
	c.Do("SET", "a", "1")
	shard := store.ShardIndex([]byte("a"))
	// A cursor naming a later shard skips the key; one naming its shard
	// finds it.
	if shard < store.NumShards-1 {
		got := c.Do("SCAN", strconv.Itoa(shard+1))
		if got != "*2\r\n$1\r\n0\r\n*0\r\n" {
			t.Errorf("SCAN past the key's shard = %q", got)
		}
	}
	if got := c.Do("SCAN", strconv.Itoa(shard)); got != "*2\r\n$1\r\n0\r\n"+kBulks("a") {
		t.Errorf("SCAN at the key's shard = %q", got)
	}
	// "-1" wraps to the largest cursor: the last shard, last bucket.
	if got := c.Do("SCAN", "-1"); !strings.HasPrefix(got, "*2\r\n$1\r\n0\r\n") {
		t.Errorf("SCAN -1 = %q", got)
	}
	for _, tc := range []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"0", 0, true}, {"", 0, true}, {"+7", 7, true}, {"-1", math.MaxUint64, true},
		{"-18446744073709551615", 1, true}, {"18446744073709551615", math.MaxUint64, true},
		{"18446744073709551616", 0, false}, {"-", 0, false}, {"1a", 0, false}, {" 1", 0, false},
		// A NUL ends the cursor, as it ends Redis's C string.
		{"\x00", 0, true}, {"5\x00x", 5, true}, {"+\x00", 0, false}, {"18446744073709551616\x00", 0, false},
	} {
		got, ok := parseScanCursor([]byte(tc.in))
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseScanCursor(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestKeysRandomkey(t *testing.T) {
	c := dialKeys(t, keysServer(t))
	runCases(t, c, []replyCase{
		{kc("RANDOMKEY"), kNull2},
		{kc("SET", "only", "1"), kOK},
		{kc("RANDOMKEY"), "$4\r\nonly\r\n"},
		{kc("RANDOMKEY", "x"), "-ERR wrong number of arguments for 'randomkey' command\r\n"},
	})
	c.Do("MSET", "a", "1", "b", "1", "c", "1")
	got := map[string]bool{}
	for i := 0; i < 200 && len(got) < 4; i++ {
		r := c.Do("RANDOMKEY")
		got[r] = true
	}
	if len(got) != 4 {
		t.Errorf("RANDOMKEY returned only %v out of four keys", got)
	}
	// Keys whose TTL passed are expired and skipped.
	c.Do("DEL", "a", "b", "c", "only")
	for i := 0; i < 50; i++ {
		c.Do("SET", fmt.Sprintf("gone:%d", i), "v", "PX", "10")
	}
	c.Do("SET", "live", "v")
	time.Sleep(30 * time.Millisecond)
	runCases(t, c, []replyCase{{kc("RANDOMKEY"), "$4\r\nlive\r\n"}})
	c.Do("DEL", "live")
	c.Do("HELLO", "3")
	runCases(t, c, []replyCase{{kc("RANDOMKEY"), kNull3}})
}

// TestKeysWatch pins which key commands make a WATCHed key dirty.
func TestKeysWatch(t *testing.T) {
	s := keysServer(t)
	c := dialKeys(t, s)
	other := dialKeys(t, s)
	watchCase := func(setup, change []string, watchDB, watchKey string, wantAbort bool) {
		t.Helper()
		other.Do("DEL", "a", "b")
		other.Do("SELECT", "1")
		other.Do("DEL", "a", "b")
		other.Do("SELECT", "0")
		if setup != nil {
			other.Do(setup...)
		}
		c.Do("SELECT", watchDB)
		c.Do("WATCH", watchKey)
		c.Do("MULTI")
		c.Do("PING")
		other.Do(change...)
		got := c.Do("EXEC")
		want := "*1\r\n+PONG\r\n"
		if wantAbort {
			want = "*-1\r\n"
		}
		if got != want {
			t.Errorf("WATCH %s/%s, %q: EXEC = %q, want %q", watchDB, watchKey, change, got, want)
		}
		c.Do("SELECT", "0")
	}
	watchCase(kc("SET", "a", "1"), kc("DEL", "a"), "0", "a", true)
	watchCase(nil, kc("DEL", "a"), "0", "a", false)
	watchCase(kc("SET", "a", "1"), kc("RENAME", "a", "b"), "0", "a", true)
	watchCase(kc("SET", "a", "1"), kc("RENAME", "a", "b"), "0", "b", true)
	watchCase(kc("SET", "a", "1"), kc("COPY", "a", "b"), "0", "a", false)
	watchCase(kc("SET", "a", "1"), kc("COPY", "a", "b"), "0", "b", true)
	watchCase(kc("SET", "a", "1"), kc("COPY", "a", "b", "DB", "1"), "1", "b", true)
	watchCase(kc("SET", "a", "1"), kc("MOVE", "a", "1"), "0", "a", true)
	watchCase(kc("SET", "a", "1"), kc("MOVE", "a", "1"), "1", "a", true)
	watchCase(kc("SET", "a", "1"), kc("EXPIRE", "a", "100"), "0", "a", true)
	watchCase(kc("SET", "a", "1"), kc("EXPIRE", "a", "100", "XX"), "0", "a", false)
	watchCase(kc("SET", "a", "1"), kc("PERSIST", "a"), "0", "a", false)
	watchCase(kc("SET", "a", "1"), kc("TOUCH", "a"), "0", "a", false)
	watchCase(kc("SET", "a", "1"), kc("EXPIRE", "a", "-1"), "0", "a", true)
}

// TestKeysStats pins which commands count keyspace hits and misses and how
// many changes each records, as Redis 7.0's INFO shows them.
func TestKeysStats(t *testing.T) {
	if usingRef() {
		t.Skip("reads Petrel's counters")
	}
	s := keysServer(t)
	c := dialRaw(t, s)
	cases := []struct {
		cmd                 []string
		hits, misses, dirty int64
	}{
		{kc("EXISTS", "a", "nope"), 1, 1, 0},
		{kc("TYPE", "a"), 1, 0, 0},
		{kc("TYPE", "nope"), 0, 1, 0},
		{kc("TTL", "a"), 1, 0, 0},
		{kc("PTTL", "nope"), 0, 1, 0},
		{kc("EXPIRETIME", "a"), 1, 0, 0},
		{kc("PEXPIRETIME", "nope"), 0, 1, 0},
		{kc("TOUCH", "a", "nope"), 1, 1, 0},
		{kc("OBJECT", "ENCODING", "a"), 1, 0, 0},
		{kc("OBJECT", "ENCODING", "nope"), 0, 1, 0},
		{kc("OBJECT", "IDLETIME", "a"), 1, 0, 0},
		{kc("OBJECT", "REFCOUNT", "a"), 1, 0, 0},
		{kc("OBJECT", "FREQ", "a"), 1, 0, 0},
		{kc("COPY", "a", "c"), 1, 0, 1},
		{kc("COPY", "nope", "c"), 0, 1, 0},
		{kc("COPY", "a", "c", "DB", "1"), 1, 0, 1},
		{kc("RENAME", "a", "d"), 0, 0, 1},
		{kc("RENAMENX", "b", "e"), 0, 0, 1},
		{kc("MOVE", "d", "1"), 0, 0, 1},
		{kc("EXPIRE", "e", "100"), 0, 0, 1},
		{kc("PERSIST", "e"), 0, 0, 1},
		{kc("PERSIST", "e"), 0, 0, 0},
		{kc("DEL", "e", "c", "nope"), 0, 0, 2},
		{kc("UNLINK", "nope"), 0, 0, 0},
		{kc("KEYS", "*"), 0, 0, 0},
		{kc("SCAN", "0"), 0, 0, 0},
		{kc("RANDOMKEY"), 0, 0, 0},
	}
	c.Do("MSET", "a", "1", "b", "1", "z", "1")
	for _, tc := range cases {
		h0, m0 := s.stats.keyspaceHits.load(), s.stats.keyspaceMisses.load()
		d0 := s.stats.dirty.load()
		c.Do(tc.cmd...)
		h, m, d := s.stats.keyspaceHits.load()-h0, s.stats.keyspaceMisses.load()-m0, s.stats.dirty.load()-d0
		if h != tc.hits || m != tc.misses || d != tc.dirty {
			t.Errorf("%q: hits %d misses %d dirty %d, want %d %d %d", tc.cmd, h, m, d, tc.hits, tc.misses, tc.dirty)
		}
	}
	// SCAN with TYPE looks each key up.
	h0 := s.stats.keyspaceHits.load()
	c.Do("SCAN", "0", "TYPE", "string")
	if h := s.stats.keyspaceHits.load() - h0; h != 1 {
		t.Errorf("SCAN TYPE: %d hits, want 1", h)
	}
}

// TestKeysIdletime pins which lookups refresh a key's LRU clock (OBJECT
// IDLETIME reads it; a second may tick between two commands).
func TestKeysIdletime(t *testing.T) {
	if usingRef() {
		t.Skip("sets Petrel's LRU clock directly")
	}
	s := keysServer(t)
	c := dialRaw(t, s)
	c.Do("SET", "k", "v")
	age := func(key string) {
		db := s.store.DB(0)
		sh := db.Shard(store.ShardIndex([]byte(key)))
		sh.Lock()
		db.LookupNoExpire([]byte(key)).SetLRU(lruClock() - 100)
		sh.Unlock()
	}
	idle := func(key string) int {
		got := c.Do("OBJECT", "IDLETIME", key)
		n, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(got, ":")))
		if err != nil {
			t.Fatalf("OBJECT IDLETIME %s = %q", key, got)
		}
		return n
	}
	if n := idle("k"); n > 1 {
		t.Errorf("new key: IDLETIME %d, want 0", n)
	}
	for _, args := range [][]string{
		kc("EXISTS", "k"), kc("TYPE", "k"), kc("TTL", "k"), kc("PTTL", "k"),
		kc("EXPIRETIME", "k"), kc("OBJECT", "ENCODING", "k"), kc("OBJECT", "IDLETIME", "k"),
		kc("SCAN", "0", "TYPE", "string"),
	} {
		age("k")
		c.Do(args...)
		if n := idle("k"); n < 100 || n > 101 {
			t.Errorf("after %q: IDLETIME %d, want 100", args, n)
		}
	}
	for _, args := range [][]string{
		kc("TOUCH", "k"), kc("COPY", "k", "k2", "REPLACE"), kc("EXPIRE", "k", "100"), kc("PERSIST", "k"),
	} {
		age("k")
		c.Do(args...)
		if n := idle("k"); n > 1 {
			t.Errorf("after %q: IDLETIME %d, want 0", args, n)
		}
	}
	// RENAME and MOVE look their key up for writing, which refreshes the
	// clock; COPY's copy is a new value.
	age("k")
	c.Do("RENAME", "k", "r")
	if n := idle("r"); n > 1 {
		t.Errorf("after RENAME: IDLETIME %d, want 0", n)
	}
	age("r")
	c.Do("MOVE", "r", "1")
	c.Do("SELECT", "1")
	if n := idle("r"); n > 1 {
		t.Errorf("after MOVE: IDLETIME %d, want 0", n)
	}
	c.Do("SELECT", "0")
	c.Do("SET", "src", "hello")
	age("src")
	c.Do("COPY", "src", "dup")
	if n := idle("dup"); n > 1 {
		t.Errorf("COPY's copy: IDLETIME %d, want 0", n)
	}
}

// TestKeysInMulti pins that the LockSelf and LockAll commands work inside
// EXEC, where every lock is already held.
func TestKeysInMulti(t *testing.T) {
	c := dialKeys(t, keysServer(t))
	runCases(t, c, []replyCase{
		{kc("SET", "a", "1"), kOK},
		{kc("MULTI"), kOK},
		{kc("SCAN", "0"), "+QUEUED\r\n"},
		{kc("RANDOMKEY"), "+QUEUED\r\n"},
		{kc("KEYS", "*"), "+QUEUED\r\n"},
		{kc("COPY", "a", "b", "DB", "2"), "+QUEUED\r\n"},
		{kc("MOVE", "a", "1"), "+QUEUED\r\n"},
		{kc("EXEC"), "*5\r\n*2\r\n$1\r\n0\r\n" + kBulks("a") + "$1\r\na\r\n" + kBulks("a") + kOne + kOne},
	})
}

// TestKeysConcurrentWalkers runs SCAN, RANDOMKEY and KEYS, which lock
// shards themselves or the whole database, while other clients write, so
// the race detector can check their locking; stable keys must still be
// found by every full SCAN.
func TestKeysConcurrentWalkers(t *testing.T) {
	if usingRef() {
		t.Skip("exercises Petrel's locking")
	}
	s := keysServer(t)
	c := dialRaw(t, s)
	args := []string{"MSET"}
	for i := 0; i < 500; i++ {
		args = append(args, fmt.Sprintf("stable:%d", i), "v")
	}
	c.Do(args...)
	stop := make(chan struct{})
	done := make(chan struct{})
	for w := 0; w < 2; w++ {
		wc := dialRaw(t, s)
		go func(w int) {
			defer func() { done <- struct{}{} }()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				k := fmt.Sprintf("w%d:%d", w, i%300)
				wc.Do("SET", k, "v", "PX", "5")
				wc.Do("RENAME", k, k+"r")
				wc.Do("DEL", k+"r")
			}
		}(w)
	}
	for round := 0; round < 5; round++ {
		seen, _ := scanAll(t, c, 7, func(int) { c.Do("RANDOMKEY") })
		checkStable(t, "concurrent", seen, 500)
		if got := len(kParseBulks(t, c.Do("KEYS", "stable:*"))); got != 500 {
			t.Fatalf("KEYS stable:* returned %d keys", got)
		}
	}
	close(stop)
	<-done
	<-done
}
