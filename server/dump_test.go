package server

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"petrel/persistence/rdb"
)

// helloDump is redis-server 7.0.15's DUMP of the string "hello".
const helloDump = "\x00\x05hello\x0a\x00\x63\x72\xdf\x76\x65\x34\x20\x0a"

// sealDump appends the DUMP footer (version, CRC-64) to a type byte and
// value.
func sealDump(body string, version int) string {
	b := append([]byte(body), byte(version), byte(version>>8))
	return string(binary.LittleEndian.AppendUint64(b, rdb.CRC64(0, b)))
}

func dumpErrorCases(null string) []replyCase {
	unsortedIntset := sealDump("\x0b\x0c\x02\x00\x00\x00\x02\x00\x00\x00\x05\x00\x01\x00", 10)
	return []replyCase{
		{[]string{"DUMP", "nokey"}, null},
		{[]string{"SET", "k", "hello"}, "+OK\r\n"},
		{[]string{"DUMP", "k"}, bulk(helloDump)},
		{[]string{"DUMP"}, "-ERR wrong number of arguments for 'dump' command\r\n"},
		{[]string{"RESTORE", "k", "0"}, "-ERR wrong number of arguments for 'restore' command\r\n"},
		// An existing key is refused before the TTL and payload are read,
		// but after the options.
		{[]string{"RESTORE", "k", "0", helloDump}, "-BUSYKEY Target key name already exists.\r\n"},
		{[]string{"RESTORE", "k", "abc", "junk"}, "-BUSYKEY Target key name already exists.\r\n"},
		{[]string{"RESTORE", "k", "abc", "junk", "foo"}, "-ERR syntax error\r\n"},
		{[]string{"RESTORE", "n", "abc", helloDump}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"RESTORE", "n", "-1", helloDump}, "-ERR Invalid TTL value, must be >= 0\r\n"},
		{[]string{"RESTORE", "n", "-1", "junk", "REPLACE"}, "-ERR Invalid TTL value, must be >= 0\r\n"},
		{[]string{"RESTORE", "n", "0", helloDump, "IDLETIME"}, "-ERR syntax error\r\n"},
		{[]string{"RESTORE", "n", "0", helloDump, "IDLETIME", "-1"}, "-ERR Invalid IDLETIME value, must be >= 0\r\n"},
		{[]string{"RESTORE", "n", "0", helloDump, "IDLETIME", "x"}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"RESTORE", "n", "0", helloDump, "FREQ", "256"}, "-ERR Invalid FREQ value, must be >= 0 and <= 255\r\n"},
		{[]string{"RESTORE", "n", "0", helloDump, "FREQ", "-1"}, "-ERR Invalid FREQ value, must be >= 0 and <= 255\r\n"},
		{[]string{"RESTORE", "n", "0", helloDump, "freq", "1", "idletime", "1"}, "-ERR syntax error\r\n"},
		{[]string{"RESTORE", "n", "0", helloDump, "idletime", "1", "freq", "1"}, "-ERR syntax error\r\n"},
		{[]string{"RESTORE", "n", "0", "junk"}, "-ERR DUMP payload version or checksum are wrong\r\n"},
		{[]string{"RESTORE", "n", "0", ""}, "-ERR DUMP payload version or checksum are wrong\r\n"},
		{[]string{"RESTORE", "n", "0", helloDump[:len(helloDump)-1] + "x"}, "-ERR DUMP payload version or checksum are wrong\r\n"},
		// Versions up to Redis 7.4's 12 are read; newer ones are not.
		{[]string{"RESTORE", "n", "0", sealDump("\x00\x01x", 13)}, "-ERR DUMP payload version or checksum are wrong\r\n"},
		{[]string{"RESTORE", "n", "0", sealDump("\x00\x01x", 12)}, "+OK\r\n"},
		{[]string{"GET", "n"}, "$1\r\nx\r\n"},
		{[]string{"RESTORE", "n2", "0", sealDump("\x00\x05ab", 10)}, "-ERR Bad data format\r\n"},
		{[]string{"RESTORE", "n2", "0", sealDump("\x08\x00", 10)}, "-ERR Bad data format\r\n"},
		{[]string{"RESTORE", "n2", "0", sealDump("\x02\x00", 10)}, "-ERR Bad data format\r\n"},
		{[]string{"EXISTS", "n2"}, ":0\r\n"},
		{[]string{"RESTORE", "k", "0", helloDump, "REPLACE", "REPLACE", "ABSTTL"}, "+OK\r\n"},
		{[]string{"PTTL", "k"}, ":-1\r\n"},
		// A TTL already in the past creates nothing; with REPLACE the old
		// key goes.
		{[]string{"RESTORE", "gone", "1", helloDump, "ABSTTL"}, "+OK\r\n"},
		{[]string{"EXISTS", "gone"}, ":0\r\n"},
		{[]string{"RESTORE", "k", "1", helloDump, "ABSTTL", "REPLACE"}, "+OK\r\n"},
		{[]string{"EXISTS", "k"}, ":0\r\n"},
		{[]string{"RESTORE", "k", "9223372036854775807", helloDump}, "+OK\r\n"},
		{[]string{"EXISTS", "k"}, ":0\r\n"},
		{[]string{"RESTORE", "k", "100000", helloDump}, "+OK\r\n"},
		{[]string{"OBJECT", "ENCODING", "k"}, "$6\r\nembstr\r\n"},
		// sanitize-dump-payload decides whether a corrupt but usable
		// value is refused.
		{[]string{"RESTORE", "s", "0", unsortedIntset}, "+OK\r\n"},
		{[]string{"CONFIG", "SET", "sanitize-dump-payload", "yes"}, "+OK\r\n"},
		{[]string{"RESTORE", "s", "0", unsortedIntset, "REPLACE"}, "-ERR Bad data format\r\n"},
		{[]string{"CONFIG", "SET", "sanitize-dump-payload", "clients"}, "+OK\r\n"},
		{[]string{"RESTORE", "s", "0", unsortedIntset, "REPLACE"}, "-ERR Bad data format\r\n"},
		{[]string{"CONFIG", "SET", "sanitize-dump-payload", "no"}, "+OK\r\n"},
	}
}

func TestDumpRestoreErrorsRESP2(t *testing.T) {
	s := startTestServer(t)
	runCases(t, dialRaw(t, s), dumpErrorCases("$-1\r\n"))
}

func TestDumpRestoreErrorsRESP3(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	c.Do("HELLO", "3")
	runCases(t, c, dumpErrorCases("_\r\n"))
}

func TestRestoreKeepsTTL(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	c.Do("RESTORE", "k", "5000", helloDump)
	ttl, _ := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(c.Do("PTTL", "k"), ":")))
	if ttl <= 4000 || ttl > 5000 {
		t.Fatalf("PTTL after RESTORE with 5000: %d", ttl)
	}
	at := time.Now().Add(time.Hour).UnixMilli()
	c.Do("RESTORE", "a", strconv.FormatInt(at, 10), helloDump, "ABSTTL")
	if got := c.Do("PEXPIRETIME", "a"); got != ":"+strconv.FormatInt(at, 10)+"\r\n" {
		t.Fatalf("PEXPIRETIME after ABSTTL %d: %q", at, got)
	}
}

// TestDumpRestoreRoundTripEveryType dumps values of every type and
// encoding and restores them under another name.
func TestDumpRestoreRoundTripEveryType(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	long := strings.Repeat("x", 100)
	setup := [][]string{
		{"SET", "str", "hello"}, {"SET", "int", "12345"}, {"SET", "raw", long},
		{"RPUSH", "list", "a", "1", "-70000", long},
		{"SADD", "intset", "1", "2", "-5000000000"}, {"SADD", "set", "a", "b", "1"},
		{"ZADD", "zlp", "1", "a", "2.5", "b", "-inf", "c"}, {"ZADD", "zsl", "1", "a", "inf", long},
		{"HSET", "hlp", "f", "v", "n", "1"}, {"HSET", "hht", "f", long},
		{"HSET", "hex", "f", "v", "g", "w"}, {"HPEXPIRE", "hex", "100000", "FIELDS", "1", "f"},
		{"HSET", "hhtex", "f", long, "g", "w"}, {"HPEXPIRE", "hhtex", "100000", "FIELDS", "1", "g"},
		{"XADD", "stream", "1-1", "a", "1"}, {"XADD", "stream", "2-2", "a", "2", "b", long}, {"XADD", "stream", "3-0", "a", "3"},
		{"XDEL", "stream", "2-2"}, {"XGROUP", "CREATE", "stream", "g", "0"},
		{"XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "stream", ">"},
	}
	for _, cmd := range setup {
		c.Do(cmd...)
	}
	reads := map[string][][]string{
		"str": {{"GET"}}, "int": {{"GET"}}, "raw": {{"GET"}},
		"list":   {{"LRANGE", "", "0", "-1"}},
		"intset": {{"SORT", "", "ALPHA"}}, "set": {{"SORT", "", "ALPHA"}},
		"zlp": {{"ZRANGE", "", "0", "-1", "WITHSCORES"}}, "zsl": {{"ZRANGE", "", "0", "-1", "WITHSCORES"}},
		"hlp": {{"HGETALL"}}, "hht": {{"HLEN"}, {"HMGET", "", "f"}},
		"hex":    {{"HGETALL"}, {"HPEXPIRETIME", "", "FIELDS", "2", "f", "g"}},
		"hhtex":  {{"HLEN"}, {"HMGET", "", "f", "g"}, {"HPEXPIRETIME", "", "FIELDS", "2", "f", "g"}},
		"stream": {{"XRANGE", "", "-", "+"}, {"XINFO", "STREAM", "", "FULL"}},
	}
	for key, rs := range reads {
		p := c.Do("DUMP", key)
		payload := p[strings.Index(p, "\r\n")+2 : len(p)-2]
		if got := c.Do("RESTORE", key+"-copy", "0", payload); got != "+OK\r\n" {
			t.Fatalf("RESTORE of %s's dump: %q", key, got)
		}
		for _, k := range []string{"OBJECT ENCODING", "TYPE"} {
			args := append(strings.Fields(k), key)
			want := c.Do(args...)
			args[len(args)-1] = key + "-copy"
			if got := c.Do(args...); got != want {
				t.Errorf("%s %s: copy %q, original %q", k, key, got, want)
			}
		}
		for _, r := range rs {
			args := append([]string{}, r...)
			if i := slices.Index(args, ""); i >= 0 {
				args[i] = key
			} else {
				args = append(args, key)
			}
			want := c.Do(args...)
			args[slices.Index(args, key)] = key + "-copy"
			if got := c.Do(args...); got != want {
				t.Errorf("%q: copy %q, original %q", args, got, want)
			}
		}
	}
}

func TestRestoreIdletimeAndFreq(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"RESTORE", "a", "0", helloDump, "IDLETIME", "1000"}, "+OK\r\n"},
		{[]string{"OBJECT", "IDLETIME", "a"}, ":1000\r\n"},
		// Redis scales the idle time through milliseconds in 64 bits: the
		// largest one overflows to one second in the future.
		{[]string{"RESTORE", "b", "0", helloDump, "IDLETIME", "9223372036854775807"}, "+OK\r\n"},
		{[]string{"OBJECT", "IDLETIME", "b"}, ":16777214\r\n"},
		{[]string{"RESTORE", "c", "0", helloDump, "FREQ", "100"}, "+OK\r\n"},
		{[]string{"OBJECT", "IDLETIME", "c"}, ":0\r\n"},
		{[]string{"CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"}, "+OK\r\n"},
		{[]string{"RESTORE", "d", "0", helloDump, "FREQ", "100"}, "+OK\r\n"},
		{[]string{"OBJECT", "FREQ", "d"}, ":100\r\n"},
		{[]string{"RESTORE", "e", "0", helloDump, "IDLETIME", "100"}, "+OK\r\n"},
		{[]string{"OBJECT", "FREQ", "e"}, ":5\r\n"},
		{[]string{"CONFIG", "SET", "maxmemory-policy", "noeviction"}, "+OK\r\n"},
	})
}

func TestRestoreKeyspaceEvents(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	sub := dialRaw(t, s)
	c.Do("CONFIG", "SET", "notify-keyspace-events", "Egn")
	sub.Do("SUBSCRIBE", "__keyevent@0__:new", "__keyevent@0__:restore", "__keyevent@0__:del")
	sub.Read()
	sub.Read()
	msg := func(event, key string) string {
		ch := "__keyevent@0__:" + event
		return fmt.Sprintf("*3\r\n$7\r\nmessage\r\n%s%s", bulk(ch), bulk(key))
	}
	steps := []struct {
		cmd    []string
		events []string
	}{
		{[]string{"RESTORE", "k", "0", helloDump}, []string{msg("new", "k"), msg("restore", "k")}},
		// REPLACE deletes and adds: the key is new again.
		{[]string{"RESTORE", "k", "0", helloDump, "REPLACE"}, []string{msg("new", "k"), msg("restore", "k")}},
		{[]string{"RESTORE", "k", "1", helloDump, "REPLACE", "ABSTTL"}, []string{msg("del", "k")}},
	}
	for _, st := range steps {
		if got := c.Do(st.cmd...); got != "+OK\r\n" {
			t.Fatalf("%q: %q", st.cmd, got)
		}
		for _, want := range st.events {
			if got := sub.Read(); got != want {
				t.Errorf("after %q: got %q, want %q", st.cmd, got, want)
			}
		}
	}
	// Nothing more: a past TTL on a missing key raises no event.
	c.Do("RESTORE", "x", "1", helloDump, "ABSTTL")
	c.Do("DEL", "nothing")
	sub.Send(encode("PING"))
	if got := sub.Read(); got != "*2\r\n$4\r\npong\r\n$0\r\n\r\n" {
		t.Errorf("unexpected event %q", got)
	}
}

func TestRestoreWakesBlockedClientsAndWatchers(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	p := c.Do("RPUSH", "src", "x")
	_ = p
	d := c.Do("DUMP", "src")
	payload := d[strings.Index(d, "\r\n")+2 : len(d)-2]

	blocked := dialRaw(t, s)
	blocked.Send(encode("BLPOP", "dst", "5"))
	time.Sleep(50 * time.Millisecond)

	w := dialRaw(t, s)
	w.Do("WATCH", "dst")
	w.Do("MULTI")
	w.Do("PING")
	if got := c.Do("RESTORE", "dst", "0", payload); got != "+OK\r\n" {
		t.Fatal(got)
	}
	if got := blocked.Read(); got != "*2\r\n$3\r\ndst\r\n$1\r\nx\r\n" {
		t.Errorf("BLPOP: %q", got)
	}
	if got := w.Do("EXEC"); got != "*-1\r\n" {
		t.Errorf("EXEC after RESTORE of a watched key: %q", got)
	}
}
