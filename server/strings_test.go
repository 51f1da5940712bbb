package server

import (
	"strings"
	"testing"
	"time"

	"petrel/config"
	"petrel/store"
)

// Every expected reply below was checked against Redis 7.0.15.

const (
	strWrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
	strNotInt    = "-ERR value is not an integer or out of range\r\n"
	strNotFloat  = "-ERR value is not a valid float\r\n"
	strSyntax    = "-ERR syntax error\r\n"
	strNull      = "$-1\r\n"
	strOK        = "+OK\r\n"
)

func strArgs(s string) []string { return strings.Fields(s) }

// strRun runs whitespace-separated commands; use it where no argument
// needs spaces or is empty.
func strRun(t *testing.T, c *rawClient, cases [][2]string) {
	t.Helper()
	rc := make([]replyCase, len(cases))
	for i, tc := range cases {
		rc[i] = replyCase{strArgs(tc[0]), tc[1]}
	}
	runCases(t, c, rc)
}

// strOther is a value of no string type, standing for a list or hash.
type strOther struct{}

// strPutOther stores a non-string value at key in database 0.
func strPutOther(s *Server, key string) {
	db := s.store.DB(0)
	sh := db.Shard(store.ShardIndex([]byte(key)))
	sh.Lock()
	defer sh.Unlock()
	db.SetObject([]byte(key), strOther{})
}

// strKeyState reports a key's expiry (unix ms, 0 for none), its string
// encoding, and whether it exists, reading the keyspace directly.
func strKeyState(s *Server, key string) (expireAt int64, enc string, ok bool) {
	db := s.store.DB(0)
	sh := db.Shard(store.ShardIndex([]byte(key)))
	sh.Lock()
	defer sh.Unlock()
	e := db.Lookup([]byte(key), time.Now().UnixMilli())
	if e == nil {
		return 0, "", false
	}
	if e.IsString() {
		enc = e.StringEncoding()
	}
	return db.ExpireAt(e), enc, true
}

// strTTL returns the key's remaining time to live in ms, -1 without a TTL
// and -2 when missing, like PTTL.
func strTTL(s *Server, key string) int64 {
	at, _, ok := strKeyState(s, key)
	switch {
	case !ok:
		return -2
	case at == 0:
		return -1
	}
	return at - time.Now().UnixMilli()
}

func strWantTTL(t *testing.T, s *Server, key string, lo, hi int64) {
	t.Helper()
	if ttl := strTTL(s, key); ttl < lo || ttl > hi {
		t.Errorf("TTL of %q: got %d ms, want %d..%d", key, ttl, lo, hi)
	}
}

func strWantEncoding(t *testing.T, s *Server, key, want string) {
	t.Helper()
	if _, enc, _ := strKeyState(s, key); enc != want {
		t.Errorf("encoding of %q: got %q, want %q", key, enc, want)
	}
}

func TestStringsGetAndPlainSet(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	strRun(t, c, [][2]string{
		{"GET k", strNull},
		{"SET k v", strOK},
		{"GET k", "$1\r\nv\r\n"},
		{"SET k other", strOK},
		{"GET k", "$5\r\nother\r\n"},
		{"GET k extra", "-ERR wrong number of arguments for 'get' command\r\n"},
		{"SET k", "-ERR wrong number of arguments for 'set' command\r\n"},
	})
	runCases(t, c, []replyCase{
		{[]string{"SET", "e", ""}, strOK},
		{[]string{"GET", "e"}, "$0\r\n\r\n"},
	})
}

func TestStringsSetOptionSyntax(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	strRun(t, c, [][2]string{
		{"SET k v nx nx", strOK}, // a repeated option is accepted
		{"SET k v xx nx", strSyntax},
		{"SET k v nx xx", strSyntax},
		{"SET k v ex 10 px 20", strSyntax},
		{"SET k v EX 5 PXAT 5", strSyntax},
		{"SET k v keepttl ex 10", strSyntax},
		{"SET k v ex 10 keepttl", strSyntax},
		{"SET k v ex", strSyntax},
		{"SET k v persist", strSyntax},
		{"SET k v foo", strSyntax},
		{"SET k v nxx", strSyntax},
		{"SET k v keepttl keepttl", strOK},
		{"SET k v get get", "$1\r\nv\r\n"},
		{"SET k v ex ex", strNotInt}, // the option word is taken as the value
		{"SET k v ex abc", strNotInt},
		{"SET k v ex 1.5", strNotInt},
		{"SET k v ex 0", "-ERR invalid expire time in 'set' command\r\n"},
		{"SET k v ex -1", "-ERR invalid expire time in 'set' command\r\n"},
		{"SET k v px 0", "-ERR invalid expire time in 'set' command\r\n"},
		{"SET k v exat 0", "-ERR invalid expire time in 'set' command\r\n"},
		{"SET k v pxat 0", "-ERR invalid expire time in 'set' command\r\n"},
		// Overflow of seconds to ms, and of now + relative time.
		{"SET k v exat 9223372036854775807", "-ERR invalid expire time in 'set' command\r\n"},
		{"SET k v ex 9223372036854775", "-ERR invalid expire time in 'set' command\r\n"},
		{"SET k v px 9223372036854775807", "-ERR invalid expire time in 'set' command\r\n"},
		{"SET k v exat 9223372036854775", strOK},
		{"SET k v pxat 9223372036854775807", strOK},
	})
}

func TestStringsSetConditionsAndGet(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	strRun(t, c, [][2]string{
		{"SET k v NX", strOK},
		{"SET k w NX", strNull},
		{"GET k", "$1\r\nv\r\n"},
		{"SET k v nx get", "$1\r\nv\r\n"}, // GET replies even when NX aborts
		{"SET missing v xx", strNull},
		{"GET missing", strNull},
		{"SET missing v xx get", strNull},
		{"SET k2 v nx get", strNull},
		{"SET k2 v2 nx get", "$1\r\nv\r\n"},
		{"SET k2 v3 xx get", "$1\r\nv\r\n"},
		{"GET k2", "$2\r\nv3\r\n"},
		{"SET k v ex 10 get nx", "$1\r\nv\r\n"},
		{"SET k x Get", "$1\r\nv\r\n"},
		{"GET k", "$1\r\nx\r\n"},
	})
	// Syntax and expire errors come before the type check.
	strPutOther(s, "l")
	strRun(t, c, [][2]string{
		{"SET l v get ex abc", strNotInt},
		{"SET l v get ex 0", "-ERR invalid expire time in 'set' command\r\n"},
		{"SET l v get", strWrongType},
		{"SET l v nx get", strWrongType},
		{"SET l v nx", strNull},
		{"SET l v xx", strOK}, // SET overwrites any type
		{"GET l", "$1\r\nv\r\n"},
	})
}

func TestStringsSetExpiry(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	strRun(t, c, [][2]string{{"SET k v ex 100", strOK}})
	strWantTTL(t, s, "k", 99_000, 100_000)
	strRun(t, c, [][2]string{{"SET k v ex 10 ex 20", strOK}}) // last one wins
	strWantTTL(t, s, "k", 19_000, 20_000)
	strRun(t, c, [][2]string{{"SET k v2 keepttl", strOK}})
	strWantTTL(t, s, "k", 19_000, 20_000)
	strRun(t, c, [][2]string{{"SET k v3", strOK}})
	strWantTTL(t, s, "k", -1, -1)
	strRun(t, c, [][2]string{{"SET k v px 5000", strOK}})
	strWantTTL(t, s, "k", 4_000, 5_000)
	future := time.Now().Add(time.Hour)
	strRun(t, c, [][2]string{{"SET k v pxat " + strItoa(future.UnixMilli()), strOK}})
	strWantTTL(t, s, "k", 3_590_000, 3_600_000)
	strRun(t, c, [][2]string{{"SET k v exat " + strItoa(future.Unix()), strOK}})
	strWantTTL(t, s, "k", 3_590_000, 3_600_000)
	// KEEPTTL on a key without TTL, and on a missing key.
	strRun(t, c, [][2]string{{"SET n v keepttl", strOK}})
	strWantTTL(t, s, "n", -1, -1)
	// A time in the past is accepted; the key is gone on its next access.
	strRun(t, c, [][2]string{
		{"SET k v exat 1", strOK},
		{"GET k", strNull},
		{"SET k v", strOK},
		{"SET k w pxat 1 get", "$1\r\nv\r\n"},
		{"GET k", strNull},
		{"SETEX k 100 v", strOK},
	})
	strWantTTL(t, s, "k", 99_000, 100_000)
	strRun(t, c, [][2]string{{"PSETEX k 100000 v", strOK}})
	strWantTTL(t, s, "k", 99_000, 100_000)
	strRun(t, c, [][2]string{{"GETSET k w", "$1\r\nv\r\n"}}) // GETSET drops the TTL
	strWantTTL(t, s, "k", -1, -1)
	strRun(t, c, [][2]string{{"SETEX k 100 v", strOK}, {"MSET k v", strOK}})
	strWantTTL(t, s, "k", -1, -1)
}

func strItoa(n int64) string {
	var b [24]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

func TestStringsSetnxSetexPsetex(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	strPutOther(s, "l")
	strRun(t, c, [][2]string{
		{"SETNX k z", ":1\r\n"},
		{"SETNX k z2", ":0\r\n"},
		{"GET k", "$1\r\nz\r\n"},
		{"SETNX l z", ":0\r\n"},
		{"SETEX k 0 v", "-ERR invalid expire time in 'setex' command\r\n"},
		{"SETEX k -5 v", "-ERR invalid expire time in 'setex' command\r\n"},
		{"SETEX k abc v", strNotInt},
		{"SETEX k 9223372036854775 v", "-ERR invalid expire time in 'setex' command\r\n"},
		{"PSETEX k 0 v", "-ERR invalid expire time in 'psetex' command\r\n"},
		{"PSETEX k 9223372036854775807 v", "-ERR invalid expire time in 'psetex' command\r\n"},
		{"GET k", "$1\r\nz\r\n"},
		{"SETEX l 10 v", strOK},
		{"GET l", "$1\r\nv\r\n"},
	})
}

func TestStringsWrongType(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	strPutOther(s, "l")
	strRun(t, c, [][2]string{
		{"GET l", strWrongType},
		{"GETSET l x", strWrongType},
		{"GETDEL l", strWrongType},
		{"GETEX l", strWrongType},
		{"GETEX l ex 0", strWrongType}, // the type is checked before the time
		{"GETEX l ex abc", strWrongType},
		{"GETEX l foo", strSyntax}, // but after the syntax
		{"APPEND l x", strWrongType},
		{"STRLEN l", strWrongType},
		{"INCR l", strWrongType},
		{"DECR l", strWrongType},
		{"INCRBY l 1", strWrongType},
		{"INCRBY l x", strNotInt}, // the increment is checked first
		{"DECRBY l 1", strWrongType},
		{"INCRBYFLOAT l 1", strWrongType},
		{"INCRBYFLOAT l x", strWrongType}, // the type is checked first
		{"GETRANGE l 0 1", strWrongType},
		{"GETRANGE l a 1", strNotInt},
		{"SUBSTR l 0 1", strWrongType},
		{"SETRANGE l 0 x", strWrongType},
		{"SETRANGE l -1 x", "-ERR offset is out of range\r\n"},
		{"MGET l", "*1\r\n$-1\r\n"},
		{"MSETNX l 1 e 2", ":0\r\n"},
		{"LCS l k", "-ERR The specified keys must contain string values\r\n"},
		{"LCS k l", "-ERR The specified keys must contain string values\r\n"},
		{"LCS l k bad options", "-ERR The specified keys must contain string values\r\n"},
		{"MSET l 5", strOK},
		{"GET l", "$1\r\n5\r\n"},
	})
	runCases(t, c, []replyCase{{[]string{"SETRANGE", "x", "0", ""}, ":0\r\n"}})
	strPutOther(s, "l2")
	runCases(t, c, []replyCase{{[]string{"SETRANGE", "l2", "0", ""}, strWrongType}})
}

func TestStringsGetexGetdelGetset(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	strRun(t, c, [][2]string{
		{"GETEX nokey", strNull},
		{"GETEX nokey ex abc", strNull}, // the time is not read for a missing key
		{"GETEX nokey ex 0", strNull},
		{"GETEX nokey foo", strSyntax},
		{"SET k v", strOK},
		{"GETEX k", "$1\r\nv\r\n"},
		{"GETEX k ex", strSyntax},
		{"GETEX k persist ex 10", strSyntax},
		{"GETEX k ex 10 persist", strSyntax},
		{"GETEX k PX 100000 pxat 5", strSyntax},
		{"GETEX k keepttl", strSyntax},
		{"GETEX k nx", strSyntax},
		{"GETEX k get", strSyntax},
		{"GETEX k ex abc", strNotInt},
		{"GETEX k ex 0", "-ERR invalid expire time in 'getex' command\r\n"},
		{"GETEX k exat -5", "-ERR invalid expire time in 'getex' command\r\n"},
		{"GETEX k px -1", "-ERR invalid expire time in 'getex' command\r\n"},
		{"GETEX k px 9223372036854775807", "-ERR invalid expire time in 'getex' command\r\n"},
		{"GETEX k ex 9223372036854775", "-ERR invalid expire time in 'getex' command\r\n"},
		{"GETEX k exat 9223372036854776", "-ERR invalid expire time in 'getex' command\r\n"},
		{"GETEX k ex 10 ex 20", "$1\r\nv\r\n"},
	})
	strWantTTL(t, s, "k", 19_000, 20_000)
	strRun(t, c, [][2]string{{"GETEX k px 50000", "$1\r\nv\r\n"}})
	strWantTTL(t, s, "k", 49_000, 50_000)
	strRun(t, c, [][2]string{{"GETEX k exat " + strItoa(time.Now().Unix()+100), "$1\r\nv\r\n"}})
	strWantTTL(t, s, "k", 98_000, 100_000)
	strRun(t, c, [][2]string{{"GETEX k persist persist", "$1\r\nv\r\n"}})
	strWantTTL(t, s, "k", -1, -1)
	// A time already past deletes the key at once, after replying.
	strRun(t, c, [][2]string{
		{"GETEX k exat 1", "$1\r\nv\r\n"},
		{"GET k", strNull},
		{"SET k v", strOK},
		{"GETEX k pxat 1", "$1\r\nv\r\n"},
	})
	if _, _, ok := strKeyState(s, "k"); ok {
		t.Error("GETEX PXAT in the past left the key")
	}
	strRun(t, c, [][2]string{
		{"SET k v", strOK},
		{"GETDEL k", "$1\r\nv\r\n"},
		{"GETDEL k", strNull},
		{"GET k", strNull},
		{"GETSET gs x", strNull},
		{"GETSET gs y", "$1\r\nx\r\n"},
		{"GET gs", "$1\r\ny\r\n"},
	})
}

func TestStringsMgetMsetMsetnx(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	strRun(t, c, [][2]string{
		{"SET a 1", strOK},
		{"MGET a b", "*2\r\n$1\r\n1\r\n$-1\r\n"},
		{"MSET a", "-ERR wrong number of arguments for 'mset' command\r\n"},
		{"MSET a 1 b", "-ERR wrong number of arguments for 'mset' command\r\n"},
		{"MSET a 1 b 2 a 3", strOK},
		{"MGET a b nokey", "*3\r\n$1\r\n3\r\n$1\r\n2\r\n$-1\r\n"},
		{"MSETNX a 1 c 2", ":0\r\n"},
		{"GET c", strNull},
		{"MSETNX c 1 d 2 c 3", ":1\r\n"},
		{"MGET c d", "*2\r\n$1\r\n3\r\n$1\r\n2\r\n"},
		{"MSETNX e 1 f", "-ERR wrong number of arguments for 'msetnx' command\r\n"},
		{"MSETNX e", "-ERR wrong number of arguments for 'msetnx' command\r\n"},
	})
	// Keys spread over many shards.
	var mset, mget []string
	var want strings.Builder
	want.WriteString("*100\r\n")
	mset = append(mset, "MSET")
	mget = append(mget, "MGET")
	for i := 0; i < 100; i++ {
		k := "key:" + strItoa(int64(i))
		mset = append(mset, k, strItoa(int64(i*i)))
		mget = append(mget, k)
		v := strItoa(int64(i * i))
		want.WriteString("$" + strItoa(int64(len(v))) + "\r\n" + v + "\r\n")
	}
	runCases(t, c, []replyCase{{mset, strOK}, {mget, want.String()}})
}

func TestStringsAppendStrlen(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"APPEND", "a", "hello"}, ":5\r\n"},
		{[]string{"APPEND", "a", " world"}, ":11\r\n"},
		{[]string{"GET", "a"}, "$11\r\nhello world\r\n"},
		{[]string{"STRLEN", "a"}, ":11\r\n"},
		{[]string{"STRLEN", "nokey"}, ":0\r\n"},
		{[]string{"APPEND", "e", ""}, ":0\r\n"}, // creates the key
		{[]string{"GET", "e"}, "$0\r\n\r\n"},
		{[]string{"SETEX", "t", "100", "ab"}, strOK},
		{[]string{"APPEND", "t", "cd"}, ":4\r\n"},
		{[]string{"GET", "t"}, "$4\r\nabcd\r\n"},
	})
	strWantTTL(t, s, "t", 99_000, 100_000) // APPEND keeps the TTL
	strWantEncoding(t, s, "a", "raw")
	strWantEncoding(t, s, "e", "embstr")
	runCases(t, c, []replyCase{
		{[]string{"APPEND", "n", "123"}, ":3\r\n"},
	})
	strWantEncoding(t, s, "n", "int") // a new key is encoded like SET's value
	runCases(t, c, []replyCase{{[]string{"APPEND", "n", ""}, ":3\r\n"}})
	strWantEncoding(t, s, "n", "raw") // appending, even nothing, makes it raw
}

func TestStringsLengthLimit(t *testing.T) {
	s := startTestServer(t, func(cfg *config.Config) { cfg.ProtoMaxBulkLen = 1000 })
	c := dialRaw(t, s)
	tooLong := "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n"
	runCases(t, c, []replyCase{
		{[]string{"SETRANGE", "k", "1000", "x"}, tooLong},
		{[]string{"SETRANGE", "k", "9223372036854775807", "x"}, tooLong},
		{[]string{"SETRANGE", "k", "1000", ""}, ":0\r\n"},
		{[]string{"SETRANGE", "k", "999", "x"}, ":1000\r\n"},
		{[]string{"APPEND", "k", "y"}, tooLong},
		{[]string{"APPEND", "k", ""}, ":1000\r\n"},
		{[]string{"SETRANGE", "k", "999", "z"}, ":1000\r\n"},
		{[]string{"SETRANGE", "k", "5000", ""}, ":1000\r\n"},
		{[]string{"STRLEN", "k"}, ":1000\r\n"},
		// The LCS table would take 4 bytes a cell: (15+1)*(15+1)*4 > 1000.
		{[]string{"SET", "a", strings.Repeat("a", 15)}, strOK},
		{[]string{"LCS", "a", "a", "LEN"}, "-ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len\r\n"},
		{[]string{"SET", "b", strings.Repeat("a", 14)}, strOK},
		{[]string{"LCS", "a", "b", "LEN"}, ":14\r\n"},
	})
	if _, enc, _ := strKeyState(s, "k"); enc != "raw" {
		t.Errorf("SETRANGE result encoding %q, want raw", enc)
	}
}

func TestStringsIncrDecr(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"INCR", "n"}, ":1\r\n"},
		{[]string{"INCR", "n"}, ":2\r\n"},
		{[]string{"DECR", "m"}, ":-1\r\n"},
		{[]string{"INCRBY", "n", "10"}, ":12\r\n"},
		{[]string{"DECRBY", "n", "20"}, ":-8\r\n"},
		{[]string{"INCRBY", "n", "0"}, ":-8\r\n"},
		{[]string{"SET", "s", "12"}, strOK},
		{[]string{"APPEND", "s", "3"}, ":3\r\n"},
		{[]string{"INCR", "s"}, ":124\r\n"},
		{[]string{"OBJECT", "ENCODING", "s"}, "$3\r\nint\r\n"},
		// the value changes in place, its TTL stays, a longer value grows
		{[]string{"SET", "t", "99", "EX", "100"}, strOK},
		{[]string{"INCR", "t"}, ":100\r\n"},
		{[]string{"TTL", "t"}, ":100\r\n"},
		{[]string{"GET", "t"}, "$3\r\n100\r\n"},
		{[]string{"DECRBY", "t", "1000"}, ":-900\r\n"},
		{[]string{"GET", "t"}, "$4\r\n-900\r\n"},
		{[]string{"TTL", "t"}, ":100\r\n"},
		{[]string{"SET", "f", "1.5"}, strOK},
		{[]string{"INCR", "f"}, strNotInt},
		{[]string{"SET", "f", " 1"}, strOK},
		{[]string{"INCR", "f"}, strNotInt},
		{[]string{"SET", "f", "1 "}, strOK},
		{[]string{"INCR", "f"}, strNotInt},
		{[]string{"SET", "f", "+1"}, strOK},
		{[]string{"INCR", "f"}, strNotInt},
		{[]string{"SET", "f", "01"}, strOK},
		{[]string{"INCR", "f"}, strNotInt},
		{[]string{"SET", "f", "-0"}, strOK},
		{[]string{"INCR", "f"}, strNotInt},
		{[]string{"SET", "f", ""}, strOK},
		{[]string{"INCR", "f"}, strNotInt},
		{[]string{"SET", "f", "12345678901234567890"}, strOK},
		{[]string{"INCR", "f"}, strNotInt},
		{[]string{"SET", "m", "9223372036854775807"}, strOK},
		{[]string{"INCR", "m"}, "-ERR increment or decrement would overflow\r\n"},
		{[]string{"INCRBY", "m", "-1"}, ":9223372036854775806\r\n"},
		{[]string{"SET", "m", "-9223372036854775808"}, strOK},
		{[]string{"DECR", "m"}, "-ERR increment or decrement would overflow\r\n"},
		{[]string{"DECRBY", "m", "-9223372036854775808"}, "-ERR decrement would overflow\r\n"},
		{[]string{"DECRBY", "zz", "-9223372036854775808"}, "-ERR decrement would overflow\r\n"},
		{[]string{"INCRBY", "zz", "-9223372036854775808"}, ":-9223372036854775808\r\n"},
		{[]string{"DECRBY", "zz", "9223372036854775807"}, "-ERR increment or decrement would overflow\r\n"},
		{[]string{"INCRBY", "m", "abc"}, strNotInt},
		{[]string{"INCRBY", "m", "1.0"}, strNotInt},
		{[]string{"INCRBY", "m", " 1"}, strNotInt},
		{[]string{"DECRBY", "m", ""}, strNotInt},
		{[]string{"SETEX", "t", "100", "5"}, strOK},
		{[]string{"INCR", "t"}, ":6\r\n"},
	})
	strWantTTL(t, s, "t", 99_000, 100_000) // INCR keeps the TTL
	strWantEncoding(t, s, "s", "int")
}

func TestStringsIncrbyfloat(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"SET", "k", "10.5"}, strOK},
		{[]string{"INCRBYFLOAT", "k", "0.1"}, "$4\r\n10.6\r\n"},
		{[]string{"INCRBYFLOAT", "z", "0.1"}, "$3\r\n0.1\r\n"},
		{[]string{"INCRBYFLOAT", "z", "0.2"}, "$3\r\n0.3\r\n"},
		{[]string{"SET", "e", "1e5"}, strOK},
		{[]string{"INCRBYFLOAT", "e", "1"}, "$6\r\n100001\r\n"},
		{[]string{"INCRBYFLOAT", "e", "1e2"}, "$6\r\n100101\r\n"},
		{[]string{"SET", "h", "0x10"}, strOK},
		{[]string{"INCRBYFLOAT", "h", "1"}, "$2\r\n17\r\n"},
		{[]string{"INCRBYFLOAT", "z", "0x10"}, "$4\r\n16.3\r\n"},
		{[]string{"SET", "s", " 1"}, strOK},
		{[]string{"INCRBYFLOAT", "s", "1"}, strNotFloat},
		{[]string{"SET", "s", "1 "}, strOK},
		{[]string{"INCRBYFLOAT", "s", "1"}, strNotFloat},
		{[]string{"INCRBYFLOAT", "z", " 1"}, strNotFloat},
		{[]string{"INCRBYFLOAT", "z", "1 "}, strNotFloat},
		{[]string{"INCRBYFLOAT", "z", "nan"}, strNotFloat},
		{[]string{"INCRBYFLOAT", "z", "abc"}, strNotFloat},
		{[]string{"INCRBYFLOAT", "z", ""}, strNotFloat},
		{[]string{"INCRBYFLOAT", "z", "1_0"}, strNotFloat},
		{[]string{"SET", "i", "inf"}, strOK},
		{[]string{"INCRBYFLOAT", "i", "1"}, "-ERR increment would produce NaN or Infinity\r\n"},
		{[]string{"INCRBYFLOAT", "z", "inf"}, "-ERR increment would produce NaN or Infinity\r\n"},
		{[]string{"INCRBYFLOAT", "z", "-inf"}, "-ERR increment would produce NaN or Infinity\r\n"},
		{[]string{"INCRBYFLOAT", "big", "1e4932"}, "$4933\r\n1000000000000000000006018949387963891323837774254533114773785041352533019486608722407533327779433142773666525563666277682061860906440460336623416164931097542108653623739947237824273607755646282077337746770628281083461244709457643633409272844851420914666765408339856497738306756454137037618440476182982865954054046320908299555942321302503320602080070208203623921079151881460203745014774931620490030394998719312614654064081373493248877120892455186383753439197870978041502797716880193955403107721911638646256939484197293128160329482360996995779489224859264034146949087194820794222433687849284561987230134006305414553626323614864479565079390052761980633463640128979696615362545507608303960553830866145592644372289102918602696741767741297153998359263135897985849697638678310586803720024647593066044070323761747439375151949994191528876172274034561238465689530914002496208547488452249219821049217690359246594326188537200846025476936856707726986425804304053688317572380292690880454677852210458790733177421098965346383845533016192965653377533421097553773202105452559589360227732550843545717469715211293029277100649951579279463212875228768700827274629951331584994203243708412190948315614798641721054158397351395747758548328754270534225721361640356227816080094892433366902417454242382629232277544026609640255325557814321580325340352330660617642326696140257239552549121071985189443846777623334881929189773707008403466595204838733621633273383631944856989484138444978386656058755310848833689791896484998847550364264104800800578245511762594691161545730891319744107953897993101008217601269310629890308357893793344340072837782716410520818640099771094401772024731084835860689936533035726854175396195351768096519310944631445923638053214575993378468775292865871435742249777979822775014324475845899615096380079899099538453121043851821349178371736640702645304284254885437611441690360616466368202194307769462209963387690446576691969551571041941288302648912827345194286271122230347823246073498285153708579500062656222714954113329293953346495615947784091175883554988117167387650681525781361864450364992605079129770604793291076559668041153558254765774288831330658676910296506538343982699076824147706077401185501337053676875440863113630172067902223837838525802181406003942606507609826320015193807633035586661539150425605940691768637845815434184585255915074081317250319572700370579877977177644345205933505850374212779064837146242765034714569464306865784829936445754893825213995710137567750342556762329137973387913047300554841737506800154984198686923965286147079273203561004647365286049876790788288301130050437207489067798842078443360167772245834103629301041345252122743437501935254370757049878526838283810705343010153283985958550741661374001212323172562230037290597675029278865489570268803618001520280748588481858632332145422181524500970533738858652881625738158955840469334830106366243262210429210258173978186522208306814207038831590332622155464159216193005478809313772661406449321989529908990407599717265354887081027622412165764793106246309910984757869627982700885055259900973567128498437782671492610351088858271463387495833021819318548705558606395846070390500323204636339383655528123657438115225035433947543876805317781492691295772410403746456774175666884503175504415270824258750305653788473882671038340481278188648013647450190431469737277008003041204693859153544058059108384516541261521127088116402349679151317227395183628490922161336429757386698401928682323657056924758648793848799822907606679071280964393541325129231682456669123450140879120137931548652537601508656209183486928384515842973760163601756230697826779237275078471824258664382133759876151537532598429521999758431018087001817485300919479583171049967781322202936864648780744025361452947117776701129210049872555316467204668470989130203733391349501708713181244068921199587314823974568234174792429139799088587794666528769986602820375968045445209219875596678877912103336949894142378173648692130854177898020194629670311101994938157038765957014792056173739623614871557317714453597336202068774935086409386414223375141765601758268418764114651053088281009248246110195084364468926837572992870110411414878770616397817334529367403238061699632089293543118185299881280463481800696201966723511922556078483839325067415562633057448408746541808590342228476964416681055875561781810005936328191844815915658719683522845979901018335050006246392027657149580332319739660376707180429166280658258434773362764563277134220525779869893832824866422909928484939374964071386248088592408142723646533801882861736205992781965360090000802821408763787641023437653119263757280212773694655213507075717622521160227187157631635583682130089364682543007292042009976150135189415923413244100006421082817394988300265734422677548100741829682842668334472314928702968616204691717366798642916146473018363370523427203416579250811577900985980957404830019403600361860520985937973506956557739754741783354728589350876379371163141086538418113791886622720\r\n"},
		{[]string{"INCRBYFLOAT", "big", "1e4932"}, "-ERR increment would produce NaN or Infinity\r\n"},
		{[]string{"INCRBYFLOAT", "z", "1.2e4932"}, strNotFloat},
		{[]string{"SET", "q", "5"}, strOK},
		{[]string{"INCRBYFLOAT", "q", "3"}, "$1\r\n8\r\n"},
		{[]string{"INCRBYFLOAT", "q", "-3.0e0"}, "$1\r\n5\r\n"},
		{[]string{"INCRBYFLOAT", "q", "1.23456789012345678901234567890"}, "$19\r\n6.23456789012345679\r\n"},
		{[]string{"INCRBYFLOAT", "zr", "1e-20"}, "$1\r\n0\r\n"},
		{[]string{"INCRBYFLOAT", "zs", "-0.0"}, "$1\r\n0\r\n"},
		{[]string{"INCRBYFLOAT", "zt", "-0.000000000000000015"}, "$20\r\n-0.00000000000000002\r\n"},
		{[]string{"INCRBYFLOAT", "zw", ".5"}, "$3\r\n0.5\r\n"},
		{[]string{"SETEX", "t", "100", "1"}, strOK},
		{[]string{"INCRBYFLOAT", "t", "1"}, "$1\r\n2\r\n"},
	})
	strWantTTL(t, s, "t", 99_000, 100_000)
	strWantEncoding(t, s, "q", "embstr") // never int, unlike INCR's result
}

func TestStringsGetrangeSetrange(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	strRun(t, c, [][2]string{
		{"SET s hello", strOK},
		{"GETRANGE s 0 -1", "$5\r\nhello\r\n"},
		{"GETRANGE s -3 -1", "$3\r\nllo\r\n"},
		{"GETRANGE s 0 100", "$5\r\nhello\r\n"},
		{"GETRANGE s 3 1", "$0\r\n\r\n"},
		{"GETRANGE s -100 -99", "$1\r\nh\r\n"},
		{"GETRANGE s -100 1", "$2\r\nhe\r\n"},
		{"GETRANGE s 5 10", "$0\r\n\r\n"},
		{"GETRANGE s 4 10", "$1\r\no\r\n"},
		{"GETRANGE s -1 -5", "$0\r\n\r\n"},
		{"GETRANGE s 0 -100", "$1\r\nh\r\n"},
		{"GETRANGE s -1 -1", "$1\r\no\r\n"},
		{"GETRANGE s abc 1", strNotInt},
		{"GETRANGE s 0 x", strNotInt},
		{"GETRANGE s 0 9223372036854775807", "$5\r\nhello\r\n"},
		{"GETRANGE s -9223372036854775808 -1", "$5\r\nhello\r\n"},
		{"GETRANGE nokey 0 -1", "$0\r\n\r\n"},
		{"GETRANGE nokey abc 1", strNotInt},
		{"SUBSTR s 1 2", "$2\r\nel\r\n"},
		{"SET n 12345", strOK},
		{"GETRANGE n 1 2", "$2\r\n23\r\n"},
		{"SETRANGE sr -1 x", "-ERR offset is out of range\r\n"},
		{"SETRANGE sr abc x", strNotInt},
		{"SETRANGE sr 2 ab", ":4\r\n"},
		{"GET sr", "$4\r\n\x00\x00ab\r\n"},
		{"SETRANGE sr 1 XYZ", ":4\r\n"},
		{"GET sr", "$4\r\n\x00XYZ\r\n"},
		{"SETRANGE sr 6 !", ":7\r\n"},
		{"GET sr", "$7\r\n\x00XYZ\x00\x00!\r\n"},
		{"SET n 123", strOK},
		{"SETRANGE n 0 4", ":3\r\n"},
		{"GET n", "$3\r\n423\r\n"},
	})
	strWantEncoding(t, s, "n", "raw")
	runCases(t, c, []replyCase{
		{[]string{"SETRANGE", "none", "0", ""}, ":0\r\n"},
		{[]string{"GET", "none"}, strNull}, // an empty write creates nothing
		{[]string{"SET", "e", ""}, strOK},
		{[]string{"GETRANGE", "e", "0", "-1"}, "$0\r\n\r\n"},
		{[]string{"GETRANGE", "e", "0", "0"}, "$0\r\n\r\n"},
		{[]string{"SETRANGE", "e", "536870912", ""}, ":0\r\n"},
		{[]string{"SETRANGE", "s", "0", ""}, ":5\r\n"},
		{[]string{"SETEX", "t", "100", "abc"}, strOK},
		{[]string{"SETRANGE", "t", "1", "X"}, ":3\r\n"},
	})
	strWantTTL(t, s, "t", 99_000, 100_000)
	strRun(t, c, [][2]string{{"SET n 123", strOK}})
	runCases(t, c, []replyCase{{[]string{"SETRANGE", "n", "0", ""}, ":3\r\n"}})
	strWantEncoding(t, s, "n", "int") // nothing written: untouched
}

func TestStringsLCS(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	idx := "*4\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n"
	strRun(t, c, [][2]string{
		{"MSET key1 ohmytext key2 mynewtext", strOK},
		{"LCS key1 key2", "$6\r\nmytext\r\n"},
		{"LCS key1 key2 len", ":6\r\n"},
		{"LCS key1 key2 len len", ":6\r\n"},
		{"LCS key1 key2 idx", idx},
		{"LCS key1 key2 minmatchlen -5 idx", idx},
		{"LCS key1 key2 idx minmatchlen 4", "*4\r\n$7\r\nmatches\r\n*1\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n$3\r\nlen\r\n:6\r\n"},
		{"LCS key1 key2 idx minmatchlen 4 withmatchlen", "*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n$3\r\nlen\r\n:6\r\n"},
		{"LCS key1 key2 IDX WITHMATCHLEN", "*4\r\n$7\r\nmatches\r\n*2\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n*3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n:2\r\n$3\r\nlen\r\n:6\r\n"},
		{"LCS key1 key2 len idx", "-ERR If you want both the length and indexes, please just use IDX.\r\n"},
		{"LCS key1 key2 withmatchlen", "$6\r\nmytext\r\n"}, // ignored without IDX
		{"LCS key1 key2 minmatchlen 4", "$6\r\nmytext\r\n"},
		{"LCS key1 key2 minmatchlen", strSyntax},
		{"LCS key1 key2 minmatchlen abc", strNotInt},
		{"LCS key1 key2 foo", strSyntax},
		{"LCS zz1 zz2", "$0\r\n\r\n"},
		{"LCS zz1 zz2 idx", "*4\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n"},
		{"LCS zz1 zz2 len", ":0\r\n"},
		{"LCS key1 zz", "$0\r\n\r\n"},
		{"LCS key1 key1 idx", "*4\r\n$7\r\nmatches\r\n*1\r\n*2\r\n*2\r\n:0\r\n:7\r\n*2\r\n:0\r\n:7\r\n$3\r\nlen\r\n:8\r\n"},
		{"MSET a abcdef b xbcdyf", strOK},
		{"LCS a b", "$4\r\nbcdf\r\n"},
		{"LCS a b idx withmatchlen", "*4\r\n$7\r\nmatches\r\n*2\r\n*3\r\n*2\r\n:5\r\n:5\r\n*2\r\n:5\r\n:5\r\n:1\r\n*3\r\n*2\r\n:1\r\n:3\r\n*2\r\n:1\r\n:3\r\n:3\r\n$3\r\nlen\r\n:4\r\n"},
		{"LCS a b idx minmatchlen 2", "*4\r\n$7\r\nmatches\r\n*1\r\n*2\r\n*2\r\n:1\r\n:3\r\n*2\r\n:1\r\n:3\r\n$3\r\nlen\r\n:4\r\n"},
		{"LCS a", "-ERR wrong number of arguments for 'lcs' command\r\n"},
	})
}

func TestStringsRESP3(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	c.Do("HELLO", "3")
	strRun(t, c, [][2]string{
		{"GET nokey", "_\r\n"},
		{"MSET key1 ohmytext key2 mynewtext a 1", strOK},
		{"MGET a nokey", "*2\r\n$1\r\n1\r\n_\r\n"},
		{"SET nx1 v nx", strOK},
		{"SET nx1 v nx", "_\r\n"},
		{"SET nx2 v nx get", "_\r\n"},
		{"GETEX nokey", "_\r\n"},
		{"GETEX key1 persist", "$8\r\nohmytext\r\n"},
		{"GETDEL nokey", "_\r\n"},
		{"GETSET nokey2 x", "_\r\n"},
		{"GETRANGE nokey 0 1", "$0\r\n\r\n"},
		{"INCRBYFLOAT f 1.5", "$3\r\n1.5\r\n"}, // a bulk string, not a double
		{"LCS key1 key2", "$6\r\nmytext\r\n"},
		{"LCS key1 key2 idx withmatchlen", "%2\r\n$7\r\nmatches\r\n*2\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n*3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n:2\r\n$3\r\nlen\r\n:6\r\n"},
		{"LCS zz zz idx", "%2\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n"},
	})
}

func TestStringsEncodings(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"SET", "i", "12"}, strOK},
		{[]string{"SET", "neg", "-9223372036854775808"}, strOK},
		{[]string{"SET", "z", "012"}, strOK},
		{[]string{"SET", "long", strings.Repeat("x", 45)}, strOK},
		{[]string{"SET", "short", strings.Repeat("x", 44)}, strOK},
		{[]string{"MSET", "m", "5"}, strOK},
		{[]string{"GETSET", "g", "5"}, strNull},
		{[]string{"SETEX", "se", "100", "5"}, strOK},
		{[]string{"MSETNX", "mn", "5"}, ":1\r\n"},
		{[]string{"INCRBYFLOAT", "fl", "8"}, "$1\r\n8\r\n"},
	})
	for key, want := range map[string]string{
		"i": "int", "neg": "int", "z": "embstr", "long": "raw", "short": "embstr",
		"m": "int", "g": "int", "se": "int", "mn": "int", "fl": "embstr",
	} {
		strWantEncoding(t, s, key, want)
	}
}

func TestStringsKeyspaceHitsAndMisses(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	strRun(t, c, [][2]string{
		{"SET k v", strOK},                           // a write: not counted
		{"GET k", "$1\r\nv\r\n"},                     // hit
		{"GET nokey", strNull},                       // miss
		{"MGET k nokey", "*2\r\n$1\r\nv\r\n$-1\r\n"}, // hit, miss
		{"SET k w get", "$1\r\nv\r\n"},               // hit
		{"INCR n", ":1\r\n"},                         // a write: not counted
		{"LCS k nokey", "$0\r\n\r\n"},                // hit, miss
	})
	if h, m := s.stats.keyspaceHits.load(), s.stats.keyspaceMisses.load(); h != 4 || m != 3 {
		t.Errorf("hits %d misses %d, want 4 and 3", h, m)
	}
}

// A write that changes nothing must not abort a transaction watching the
// key; one that does must.
func TestStringsWatchTouch(t *testing.T) {
	s := startTestServer(t)
	a, b := dialRaw(t, s), dialRaw(t, s)
	cases := []struct {
		cmd     []string
		touches bool
	}{
		{[]string{"SETRANGE", "w", "0", ""}, false},
		{[]string{"GETEX", "w"}, false},
		{[]string{"GETEX", "w", "PERSIST"}, false},
		{[]string{"SET", "w", "x", "NX"}, false},
		{[]string{"MSETNX", "w", "1", "q", "2"}, false},
		{[]string{"SET", "w", "x", "XX"}, true},
		{[]string{"APPEND", "w", ""}, true},
		{[]string{"INCRBYFLOAT", "w", "0"}, true},
		{[]string{"INCR", "w"}, true},
		{[]string{"GETEX", "w", "EX", "100"}, true},
		{[]string{"GETDEL", "w"}, true},
		{[]string{"SETRANGE", "w", "0", "1"}, true},
	}
	for _, tc := range cases {
		a.Do("SET", "w", "5")
		a.Do("WATCH", "w")
		b.Do(tc.cmd...)
		a.Do("MULTI")
		a.Do("PING")
		want := "*1\r\n+PONG\r\n"
		if tc.touches {
			want = "*-1\r\n"
		}
		if got := a.Do("EXEC"); got != want {
			t.Errorf("%q: EXEC got %q, want %q", tc.cmd, got, want)
		}
	}
}
