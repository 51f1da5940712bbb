package server

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"strings"
	"testing"
)

// Every expected reply below comes from Redis 7.0.15, except the BITOP
// operations Redis 8.2 added, computed by hand from Redis's documentation.
// With PETREL_BITMAP_REF=host:port the Redis 7.0 tables run against that
// server instead of Petrel, which re-checks them against the reference.

const (
	bitErrOffset = "-ERR bit offset is not an integer or out of range\r\n"
	bitErrValue  = "-ERR bit is not an integer or out of range\r\n"
	bitErrType   = "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n"
	bitNil       = "{nil}" // the null reply, $-1 in RESP2 and _ in RESP3
)

// bitCase is one command, split on spaces unless args is set, and its raw
// reply, in which bitNil stands for the protocol's null.
type bitCase struct {
	cmd  string
	want string
	args []string
}

// bitRunBoth runs cases on a fresh connection in RESP2 then in RESP3, each
// time after FLUSHALL, against Petrel or the reference named by
// PETREL_BITMAP_REF (unless petrelOnly).
func bitRunBoth(t *testing.T, petrelOnly bool, cases []bitCase) {
	t.Helper()
	for _, proto := range []string{"2", "3"} {
		t.Run("resp"+proto, func(t *testing.T) {
			c := bitDial(t, petrelOnly)
			c.Do("FLUSHALL")
			null := "$-1\r\n"
			if proto == "3" {
				c.Do("HELLO", "3")
				null = "_\r\n"
			}
			for _, tc := range cases {
				args := tc.args
				if args == nil {
					args = strings.Fields(tc.cmd)
				}
				want := strings.ReplaceAll(tc.want, bitNil, null)
				if got := c.Do(args...); got != want {
					t.Errorf("%q: got %q, want %q", args, got, want)
				}
			}
		})
	}
}

func bitDial(t *testing.T, petrelOnly bool) *rawClient {
	t.Helper()
	if ref := os.Getenv("PETREL_BITMAP_REF"); ref != "" && !petrelOnly {
		conn, err := net.Dial("tcp", ref)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		return &rawClient{t: t, conn: conn, rd: bufio.NewReader(conn)}
	}
	return dialRaw(t, startTestServer(t))
}

func bitInts(vals ...int64) string {
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(vals))
	for _, v := range vals {
		fmt.Fprintf(&b, ":%d\r\n", v)
	}
	return b.String()
}

func TestBitmapSetbitGetbit(t *testing.T) {
	bitRunBoth(t, false, []bitCase{
		{"SETBIT k 7 1", ":0\r\n", nil},
		{"GET k", "$1\r\n\x01\r\n", nil},
		{"SETBIT k 7 1", ":1\r\n", nil},
		{"SETBIT k 7 0", ":1\r\n", nil},
		{"SETBIT k 100 1", ":0\r\n", nil},
		{"STRLEN k", ":13\r\n", nil},
		{"GETBIT k 100", ":1\r\n", nil},
		{"GETBIT k 101", ":0\r\n", nil},
		{"GETBIT k 99999", ":0\r\n", nil},
		{"GETBIT k 4294967295", ":0\r\n", nil},
		{"GETBIT nokey 0", ":0\r\n", nil},
		{"OBJECT ENCODING k", "$3\r\nraw\r\n", nil},
		// The bit commands read an integer-encoded value as its digits and
		// leave it raw once they have looked it up for writing.
		{"SET i2 255", "+OK\r\n", nil},
		{"SETBIT i2 2 1", ":1\r\n", nil},
		{"SETBIT i2 4 1", ":0\r\n", nil},
		{"GET i2", "$3\r\n:55\r\n", nil},
		{"SET i 1", "+OK\r\n", nil},
		{"SETBIT i 0 0", ":0\r\n", nil},
		{"OBJECT ENCODING i", "$3\r\nraw\r\n", nil},
		{"SET t v EX 100", "+OK\r\n", nil},
		{"SETBIT t 0 1", ":0\r\n", nil},
		{"TTL t", ":100\r\n", nil},
		{"", "$1\r\n\xf6\r\n", []string{"GET", "t"}},
		// Errors: the offset first, then the bit, then the key's type.
		{"SETBIT k 4294967296 1", bitErrOffset, nil},
		{"SETBIT k -1 1", bitErrOffset, nil},
		{"SETBIT k abc 1", bitErrOffset, nil},
		{"SETBIT k +1 1", bitErrOffset, nil},
		{"SETBIT k #1 1", bitErrOffset, nil},
		{"SETBIT k 4294967295 x", bitErrValue, nil},
		{"SETBIT k 0 2", bitErrValue, nil},
		{"SETBIT k 0 -1", bitErrValue, nil},
		{"SETBIT k 0 01", bitErrValue, nil},
		{"LPUSH l a", ":1\r\n", nil},
		{"SETBIT l x 1", bitErrOffset, nil},
		{"SETBIT l 0 5", bitErrValue, nil},
		{"SETBIT l 0 1", strWrongType, nil},
		{"GETBIT l x", bitErrOffset, nil},
		{"GETBIT l 0", strWrongType, nil},
		{"GETBIT k -1", bitErrOffset, nil},
		{"SETBIT k 1", "-ERR wrong number of arguments for 'setbit' command\r\n", nil},
	})
}

func TestBitmapOffsetLimitFollowsProtoMaxBulkLen(t *testing.T) {
	bitRunBoth(t, false, []bitCase{
		{"CONFIG SET proto-max-bulk-len 1mb", "+OK\r\n", nil},
		{"SETBIT big 8388607 1", ":0\r\n", nil},
		{"SETBIT big 8388608 1", bitErrOffset, nil},
		{"GETBIT big 8388608", bitErrOffset, nil},
		{"STRLEN big", ":1048576\r\n", nil},
		{"BITCOUNT big", ":1\r\n", nil},
		{"BITPOS big 1", ":8388607\r\n", nil},
		{"BITPOS big 0 -1", ":8388600\r\n", nil},
		{"BITFIELD big GET u8 8388600", bitInts(1), nil},
		{"BITFIELD big GET u8 8388608", bitErrOffset, nil},
		{"BITFIELD big SET u8 8388601 1", bitInts(2), nil},
		{"STRLEN big", ":1048577\r\n", nil},
		{"BITFIELD big GET i64 #131071", bitInts(0), nil},
		{"BITFIELD big GET u2 8388607", bitInts(1), nil},
		{"BITFIELD big GET i64 #131072", bitErrOffset, nil},
		{"CONFIG SET proto-max-bulk-len 512mb", "+OK\r\n", nil},
	})
}

func TestBitmapBitcount(t *testing.T) {
	bitRunBoth(t, false, []bitCase{
		{"SET k foobar", "+OK\r\n", nil},
		{"BITCOUNT k", ":26\r\n", nil},
		{"BITCOUNT k 1 1", ":6\r\n", nil},
		{"BITCOUNT k 1 1 bit", ":1\r\n", nil},
		{"BITCOUNT k 1 1 BiT", ":1\r\n", nil},
		{"BITCOUNT k 1 1 byte", ":6\r\n", nil},
		{"BITCOUNT k -2 -1", ":7\r\n", nil},
		{"BITCOUNT k -1 -2", ":0\r\n", nil},
		{"BITCOUNT k 5 2", ":0\r\n", nil},
		{"BITCOUNT k 0 100", ":26\r\n", nil},
		{"BITCOUNT k -100 -1", ":26\r\n", nil},
		{"BITCOUNT k -100 -100", ":4\r\n", nil},
		{"BITCOUNT k 0 -100", ":4\r\n", nil},
		{"BITCOUNT k 5 7 bit", ":2\r\n", nil},
		{"BITCOUNT k 3 3 bit", ":0\r\n", nil},
		{"BITCOUNT k 9 46 bit", ":22\r\n", nil},
		{"BITCOUNT k -3 -1 bit", ":1\r\n", nil},
		{"BITCOUNT k -2 -5 bit", ":0\r\n", nil},
		{"BITCOUNT k 7 8 bit", ":0\r\n", nil},
		{"BITCOUNT k 0 1000 bit", ":26\r\n", nil},
		{"BITCOUNT k 9223372036854775807 -1", ":0\r\n", nil},
		{"BITCOUNT k -9223372036854775808 -1 bit", ":26\r\n", nil},
		// Redis 7.0 reads the key first: a missing key is 0 and a wrong
		// type fails whatever the other arguments are.
		{"BITCOUNT nokey", ":0\r\n", nil},
		{"BITCOUNT nokey 1", ":0\r\n", nil},
		{"BITCOUNT nokey a 1 foo", ":0\r\n", nil},
		{"LPUSH l a", ":1\r\n", nil},
		{"BITCOUNT l", strWrongType, nil},
		{"BITCOUNT l a 1", strWrongType, nil},
		{"BITCOUNT k 1", strSyntax, nil},
		{"BITCOUNT k 1 1 foo", strSyntax, nil},
		{"BITCOUNT k 1 1 bit x", strSyntax, nil},
		{"BITCOUNT k a 1", strNotInt, nil},
		{"BITCOUNT k 1 a foo", strNotInt, nil},
		// Two negatives the wrong way round answer 0 before the unit is read.
		{"BITCOUNT k -1 -2 foo", ":0\r\n", nil},
		{"", ":0\r\n", []string{"BITCOUNT", "k", "0", "0", "bit\x00"}},
		{"", ":1\r\n", []string{"BITCOUNT", "k", "1", "1", "bit\x00"}},
		{`SET e ""`, "+OK\r\n", []string{"SET", "e", ""}},
		{"BITCOUNT e", ":0\r\n", nil},
		{"BITCOUNT e 0 -1 bit", ":0\r\n", nil},
		{"SET n 12345", "+OK\r\n", nil},
		{"BITCOUNT n", ":17\r\n", nil},
	})
}

func TestBitmapBitpos(t *testing.T) {
	bitRunBoth(t, false, []bitCase{
		{"SET k foobar", "+OK\r\n", nil},
		{"", "+OK\r\n", []string{"SET", "ones", "\xff\xff\xff"}},
		{"", "+OK\r\n", []string{"SET", "e", ""}},
		{"BITPOS k 1", ":1\r\n", nil},
		{"BITPOS k 0", ":0\r\n", nil},
		{"BITPOS k 1 -1 -1", ":41\r\n", nil},
		{"BITPOS k 0 -1 -1", ":40\r\n", nil},
		{"BITPOS k 1 7 9 bit", ":9\r\n", nil},
		{"BITPOS k 0 7 9 bit", ":7\r\n", nil},
		{"BITPOS k 1 2 2 bit", ":2\r\n", nil},
		{"BITPOS k 1 3 3 bit", ":-1\r\n", nil},
		{"BITPOS k 1 45 46 bit", ":46\r\n", nil},
		{"BITPOS k 1 47 47 bit", ":-1\r\n", nil},
		{"BITPOS k 0 -3 -1 bit", ":45\r\n", nil},
		{"BITPOS k 1 0 0 BYTE", ":1\r\n", nil},
		{"BITPOS k 1 0 0 BiT", ":-1\r\n", nil},
		// All ones: with no end the string reads as zero-padded; with an
		// end there is no clear bit in range.
		{"BITPOS ones 0", ":24\r\n", nil},
		{"BITPOS ones 1", ":0\r\n", nil},
		{"BITPOS ones 0 0", ":24\r\n", nil},
		{"BITPOS ones 0 1", ":24\r\n", nil},
		{"BITPOS ones 0 -100", ":24\r\n", nil},
		{"BITPOS ones 0 0 -1", ":-1\r\n", nil},
		{"BITPOS ones 0 0 100", ":-1\r\n", nil},
		{"BITPOS ones 0 2 -1 bit", ":-1\r\n", nil},
		{"BITPOS ones 1 2 -1 bit", ":2\r\n", nil},
		{"BITPOS ones 0 100", ":-1\r\n", nil},
		{"BITPOS ones 0 5 3", ":-1\r\n", nil},
		{"BITPOS e 0", ":-1\r\n", nil},
		{"BITPOS e 1", ":-1\r\n", nil},
		{"BITPOS e 0 0 -1", ":-1\r\n", nil},
		// The bit first, then the key (a missing one answers before any
		// range argument is read), then the range.
		{"BITPOS nokey 1", ":-1\r\n", nil},
		{"BITPOS nokey 0", ":0\r\n", nil},
		{"BITPOS nokey 0 1 2 foo", ":0\r\n", nil},
		{"BITPOS nokey 3", "-ERR The bit argument must be 1 or 0.\r\n", nil},
		{"BITPOS k 2", "-ERR The bit argument must be 1 or 0.\r\n", nil},
		{"BITPOS k -1", "-ERR The bit argument must be 1 or 0.\r\n", nil},
		{"BITPOS k a", strNotInt, nil},
		{"LPUSH l a", ":1\r\n", nil},
		{"BITPOS l 1 a", strWrongType, nil},
		{"BITPOS l 2", "-ERR The bit argument must be 1 or 0.\r\n", nil},
		{"BITPOS k 1 a", strNotInt, nil},
		{"BITPOS k 1 0 a", strNotInt, nil},
		{"BITPOS k 1 0 a foo", strSyntax, nil},
		{"BITPOS k 1 a 0 foo", strNotInt, nil},
		{"BITPOS k 1 0 1 bit x", strSyntax, nil},
		{"BITPOS ones 0 2 bit", strNotInt, nil},
	})
}

func TestBitmapBitop(t *testing.T) {
	bitRunBoth(t, false, []bitCase{
		{"MSET k foobar k2 abcdef n 12", "+OK\r\n", nil},
		{"", "+OK\r\n", []string{"SET", "short", "\xff"}},
		{"BITOP AND d k k2", ":6\r\n", nil},
		{"GET d", "$6\r\n`bc`ab\r\n", nil},
		{"OBJECT ENCODING d", "$3\r\nraw\r\n", nil},
		{"BITOP OR d k k2", ":6\r\n", nil},
		{"GET d", "$6\r\ngoofev\r\n", nil},
		{"BITOP XOR d k k2", ":6\r\n", nil},
		{"GET d", "$6\r\n\x07\x0d\x0c\x06\x04\x14\r\n", nil},
		{"BITOP not d short", ":1\r\n", nil},
		{"GET d", "$1\r\n\x00\r\n", nil},
		// Shorter sources and missing keys read as zero bytes.
		{"BITOP AND d k short", ":6\r\n", nil},
		{"GET d", "$6\r\nf\x00\x00\x00\x00\x00\r\n", nil},
		{"BITOP OR d k nokey", ":6\r\n", nil},
		{"GET d", "$6\r\nfoobar\r\n", nil},
		{"BITOP AND d k nokey", ":6\r\n", nil},
		{"GET d", "$6\r\n\x00\x00\x00\x00\x00\x00\r\n", nil},
		{"BITOP OR d n", ":2\r\n", nil},
		{"OBJECT ENCODING d", "$3\r\nraw\r\n", nil},
		// The destination may be a source; it loses its TTL.
		{"BITOP AND k k k2", ":6\r\n", nil},
		{"GET k", "$6\r\n`bc`ab\r\n", nil},
		{"SET t v EX 100", "+OK\r\n", nil},
		{"BITOP OR t k2", ":6\r\n", nil},
		{"TTL t", ":-1\r\n", nil},
		// An empty result deletes the destination, whatever it held.
		{"LPUSH l x", ":1\r\n", nil},
		{"BITOP OR l nokey nokey2", ":0\r\n", nil},
		{"EXISTS l", ":0\r\n", nil},
		{"BITOP NOT d nokey", ":0\r\n", nil},
		{"EXISTS d", ":0\r\n", nil},
		{"LPUSH l x", ":1\r\n", nil},
		{"BITOP OR d k l", strWrongType, nil},
		{"BITOP OR l k", ":6\r\n", nil},
		{"TYPE l", "+string\r\n", nil},
		{"BITOP xyz d k", strSyntax, nil},
		{"", ":6\r\n", []string{"BITOP", "and\x00x", "d", "k"}},
		{"BITOP not d k k2", "-ERR BITOP NOT must be called with a single source key.\r\n", nil},
		{"BITOP and d", "-ERR wrong number of arguments for 'bitop' command\r\n", nil},
	})
}

// TestBitmapBitopRedis82Ops checks DIFF, DIFF1, ANDOR and ONE against
// results worked out by hand, bit by bit, from their definitions: with X the
// first source and Y1..Yn the others, DIFF is X and not(Y1 or ...), DIFF1
// is not X and (Y1 or ...), ANDOR is X and (Y1 or ...), ONE the bits set in
// exactly one source.
func TestBitmapBitopRedis82Ops(t *testing.T) {
	// a = 10011010 11110000, b = 01100110, c = 11000011 00001111 10101010
	setup := []bitCase{
		{"", "+OK\r\n", []string{"SET", "a", "\x9a\xf0"}},
		{"", "+OK\r\n", []string{"SET", "b", "\x66"}},
		{"", "+OK\r\n", []string{"SET", "c", "\xc3\x0f\xaa"}},
	}
	bitRunBoth(t, true, append(setup, []bitCase{
		// b|c = 11100111 00001111 10101010
		{"BITOP DIFF d a b c", ":3\r\n", nil},
		{"GET d", "$3\r\n\x18\xf0\x00\r\n", nil}, // 00011000 11110000 00000000
		{"BITOP diff1 d a b c", ":3\r\n", nil},
		{"GET d", "$3\r\n\x65\x0f\xaa\r\n", nil}, // 01100101 00001111 10101010
		{"BITOP AndOr d a b c", ":3\r\n", nil},
		{"GET d", "$3\r\n\x82\x00\x00\r\n", nil}, // 10000010 00000000 00000000
		// counts per bit: 2 2 1 1 1 1 3 1 | 1 1 1 1 1 1 1 1 | 1 0 1 0 1 0 1 0
		{"BITOP ONE d a b c", ":3\r\n", nil},
		{"GET d", "$3\r\n\x3d\xff\xaa\r\n", nil},
		{"BITOP ONE d a a", ":2\r\n", nil},
		{"GET d", "$2\r\n\x00\x00\r\n", nil},
		{"BITOP ONE d a", ":2\r\n", nil},
		{"GET d", "$2\r\n\x9a\xf0\r\n", nil},
		// A missing X reads as zeros: DIFF and ANDOR give zero bytes as long
		// as the longest source, DIFF1 the union of the others.
		{"BITOP DIFF d nokey c", ":3\r\n", nil},
		{"GET d", "$3\r\n\x00\x00\x00\r\n", nil},
		{"BITOP DIFF1 d nokey b", ":1\r\n", nil},
		{"GET d", "$1\r\nf\r\n", nil},
		{"BITOP ANDOR d c nokey", ":3\r\n", nil},
		{"GET d", "$3\r\n\x00\x00\x00\r\n", nil},
		{"BITOP DIFF d nokey nokey2", ":0\r\n", nil},
		{"EXISTS d", ":0\r\n", nil},
		{"BITOP DIFF d a", "-ERR BITOP DIFF must be called with at least two source keys.\r\n", nil},
		{"BITOP diff1 d a", "-ERR BITOP DIFF1 must be called with at least two source keys.\r\n", nil},
		{"BITOP andOR d a", "-ERR BITOP ANDOR must be called with at least two source keys.\r\n", nil},
		{"LPUSH l x", ":1\r\n", nil},
		{"BITOP ONE d a l", strWrongType, nil},
	}...))
}

func TestBitmapBitfieldOverflow(t *testing.T) {
	bitRunBoth(t, false, []bitCase{
		{"BITFIELD u SET u8 0 255", bitInts(0), nil},
		{"BITFIELD u INCRBY u8 0 1", bitInts(0), nil},
		{"BITFIELD u INCRBY u8 0 -1", bitInts(255), nil},
		{"BITFIELD u OVERFLOW SAT INCRBY u8 0 300", bitInts(255), nil},
		{"BITFIELD u OVERFLOW SAT INCRBY u8 0 -300", bitInts(0), nil},
		{"BITFIELD u OVERFLOW FAIL INCRBY u8 0 -1", "*1\r\n" + bitNil, nil},
		{"BITFIELD u OVERFLOW FAIL INCRBY u8 0 256", "*1\r\n" + bitNil, nil},
		{"BITFIELD u OVERFLOW FAIL INCRBY u8 0 255", bitInts(255), nil},
		{"BITFIELD u OVERFLOW WRAP INCRBY u8 0 1000", bitInts(231), nil},
		// SET of a negative value into an unsigned field overflows upwards.
		{"BITFIELD u OVERFLOW SAT SET u8 0 -1", bitInts(231), nil},
		{"BITFIELD u OVERFLOW WRAP SET u8 0 -2", bitInts(255), nil},
		{"BITFIELD u GET u8 0", bitInts(254), nil},
		{"BITFIELD u OVERFLOW FAIL SET u8 0 256", "*1\r\n" + bitNil, nil},
		{"BITFIELD u SET u63 0 9223372036854775807", bitInts(9151314442816847872), nil},
		{"BITFIELD u INCRBY u63 0 1", bitInts(0), nil},
		{"BITFIELD u OVERFLOW SAT INCRBY u63 0 -9223372036854775808", bitInts(0), nil},
		{"BITFIELD u OVERFLOW WRAP SET u63 0 -9223372036854775808", bitInts(0), nil},
		{"BITFIELD s SET i8 0 127", bitInts(0), nil},
		{"BITFIELD s INCRBY i8 0 1", bitInts(-128), nil},
		{"BITFIELD s OVERFLOW SAT INCRBY i8 0 1000", bitInts(127), nil},
		{"BITFIELD s OVERFLOW SAT INCRBY i8 0 -1000", bitInts(-128), nil},
		{"BITFIELD s OVERFLOW FAIL INCRBY i8 0 -1", "*1\r\n" + bitNil, nil},
		{"BITFIELD s OVERFLOW WRAP INCRBY i8 0 -129", bitInts(-1), nil},
		{"BITFIELD s OVERFLOW SAT SET i8 0 200", bitInts(-1), nil},
		{"BITFIELD s OVERFLOW WRAP SET i8 0 200", bitInts(127), nil},
		{"BITFIELD s GET i8 0", bitInts(-56), nil},
		{"BITFIELD s OVERFLOW SAT SET i8 0 -200", bitInts(-56), nil},
		{"BITFIELD s GET i8 0", bitInts(-128), nil},
		{"BITFIELD s SET i64 0 9223372036854775807", bitInts(-9223372036854775808), nil},
		{"BITFIELD s INCRBY i64 0 1", bitInts(-9223372036854775808), nil},
		{"BITFIELD s OVERFLOW SAT INCRBY i64 0 -9223372036854775808", bitInts(-9223372036854775808), nil},
		{"BITFIELD s OVERFLOW FAIL INCRBY i64 0 -1", "*1\r\n" + bitNil, nil},
		{"BITFIELD s OVERFLOW WRAP INCRBY i64 0 -1", bitInts(9223372036854775807), nil},
		{"BITFIELD s OVERFLOW SAT INCRBY i64 0 9223372036854775807", bitInts(9223372036854775807), nil},
		// Redis computes max-value in 64 bits, which wraps for a value far
		// below a narrower field's range: it counts as above it.
		{"BITFIELD w1 OVERFLOW SAT SET i10 0 -9223372036854775808 GET i10 0", bitInts(0, 511), nil},
		{"BITFIELD w2 OVERFLOW SAT SET i10 0 -9223372036854775296 GET i10 0", bitInts(0, -512), nil},
		{"BITFIELD w3 OVERFLOW SAT SET i10 0 -9223372036854775297 GET i10 0", bitInts(0, 511), nil},
		{"BITFIELD w4 OVERFLOW WRAP SET i10 0 -9223372036854775297 GET i10 0", bitInts(0, 511), nil},
		{"BITFIELD w5 OVERFLOW FAIL SET i10 0 -9223372036854775808 GET i10 0", "*2\r\n" + bitNil + ":0\r\n", nil},
		{"BITFIELD w6 OVERFLOW SAT SET i63 0 -9223372036854775808 GET i63 0", bitInts(0, 4611686018427387903), nil},
		{"BITFIELD w7 OVERFLOW SAT SET i64 0 -9223372036854775808 GET i64 0", bitInts(0, -9223372036854775808), nil},
		{"BITFIELD s SET i1 0 1", bitInts(0), nil},
		{"BITFIELD s GET i1 0 GET u1 0", bitInts(-1, 1), nil},
		{"BITFIELD s OVERFLOW SAT INCRBY i1 0 5", bitInts(0), nil},
		{"BITFIELD s OVERFLOW FAIL INCRBY i1 0 1", "*1\r\n" + bitNil, nil},
		{"BITFIELD s OVERFLOW WRAP INCRBY i1 0 1", bitInts(-1), nil},
		// Several operations, OVERFLOW applying to those after it.
		{"BITFIELD m SET i5 3 -7 GET i5 3 GET u5 3 INCRBY u7 5 100 OVERFLOW SAT INCRBY i3 10 100 OVERFLOW FAIL INCRBY i3 10 100 OVERFLOW WRAP INCRBY i3 10 100 GET u16 0",
			"*8\r\n:0\r\n:-7\r\n:25\r\n:116\r\n:3\r\n" + bitNil + ":-1\r\n:8056\r\n", nil},
		{"BITFIELD m INCRBY i5 #2 -3 INCRBY u3 #7 9 SET i4 #3 -8", bitInts(-7, 1, 2), nil},
		{"GET m", "$3\r\n\x1fx\x01\r\n", nil},
		{"BITFIELD k GET i8 0 GET u4 0 GET i64 1 GET u63 9", bitInts(0, 0, 0, 0), nil},
	})
}

func TestBitmapBitfieldSyntax(t *testing.T) {
	bitRunBoth(t, false, []bitCase{
		{"BITFIELD k", "*0\r\n", nil},
		{"BITFIELD k GET u64 0", bitErrType, nil},
		{"BITFIELD k GET i65 0", bitErrType, nil},
		{"BITFIELD k GET i0 0", bitErrType, nil},
		{"BITFIELD k GET x8 0", bitErrType, nil},
		{"BITFIELD k GET U8 0", bitErrType, nil}, // the letter is case-sensitive
		{"BITFIELD k GET u08 0", bitErrType, nil},
		{"", bitErrType, []string{"BITFIELD", "k", "GET", "", "0"}},
		{"", bitInts(0), []string{"BITFIELD", "k", "GET", "u8\x00z", "0"}},
		{"BITFIELD k GET u8", strSyntax, nil},
		{"BITFIELD k SET u8 0", strSyntax, nil},
		{"BITFIELD k OVERFLOW", strSyntax, nil},
		{"BITFIELD k foo", strSyntax, nil},
		{"BITFIELD k GET u8 0 foo", strSyntax, nil},
		{"BITFIELD k OVERFLOW foo GET u8 0", "-ERR Invalid OVERFLOW type specified\r\n", nil},
		{"BITFIELD k SET u8 0 x", strNotInt, nil},
		{"BITFIELD k SET u8 0 1.5", strNotInt, nil},
		{"BITFIELD k SET u8 # 1", bitErrOffset, nil},
		{"BITFIELD k SET u8 #-0 1", bitErrOffset, nil},
		{"BITFIELD k GET u8 ##1", bitErrOffset, nil},
		{"BITFIELD k GET u8 #-1", bitErrOffset, nil},
		{"BITFIELD k GET u8 4294967296", bitErrOffset, nil},
		{"BITFIELD k GET i64 #67108864", bitErrOffset, nil},
		// "#n" multiplies with wrap-around, as Redis's C does.
		{"BITFIELD k GET i64 #288230376151711744", bitInts(0), nil},
		{"BITFIELD k SET u8 #1 1", bitInts(0), nil},
		{"GET k", "$2\r\n\x00\x01\r\n", nil},
		// Nothing runs when a later operation is malformed.
		{"BITFIELD k2 SET u8 #0 1 SET u8 0 x", strNotInt, nil},
		{"EXISTS k2", ":0\r\n", nil},
		{"LPUSH l a", ":1\r\n", nil},
		{"BITFIELD l", strWrongType, nil},
		{"BITFIELD l GET u8 0", strWrongType, nil},
		{"BITFIELD l GET u8 x", bitErrOffset, nil},
		// Bit commands unshare an integer only when they write.
		{"SET w 1", "+OK\r\n", nil},
		{"BITFIELD w GET u8 0", bitInts(49), nil},
		{"OBJECT ENCODING w", "$3\r\nint\r\n", nil},
		{"BITFIELD w SET u8 0 49", bitInts(49), nil},
		{"OBJECT ENCODING w", "$3\r\nraw\r\n", nil},
		// A refused write still creates or extends the key.
		{"BITFIELD w2 OVERFLOW FAIL INCRBY u2 0 10", "*1\r\n" + bitNil, nil},
		{"GET w2", "$1\r\n\x00\r\n", nil},
		{"BITFIELD w2 GET u8 0 OVERFLOW FAIL INCRBY u2 100 10", "*2\r\n:0\r\n" + bitNil, nil},
		{"STRLEN w2", ":13\r\n", nil},
	})
}

func TestBitmapBitfieldRO(t *testing.T) {
	const roErr = "-ERR BITFIELD_RO only supports the GET subcommand\r\n"
	bitRunBoth(t, false, []bitCase{
		{"BITFIELD_RO k", "*0\r\n", nil},
		{"SET k AB", "+OK\r\n", nil},
		{"BITFIELD_RO k GET u8 0 GET i4 4 GET u16 0", bitInts(65, 1, 16706), nil},
		{"BITFIELD_RO k OVERFLOW SAT GET u8 8", bitInts(66), nil},
		{"BITFIELD_RO k SET u8 0 1", roErr, nil},
		{"BITFIELD_RO k GET u8 0 INCRBY u8 0 1", roErr, nil},
		{"BITFIELD_RO k SET u99 0 1", bitErrType, nil},
		{"BITFIELD_RO k SET u8 0 x", strNotInt, nil},
		{"BITFIELD_RO k OVERFLOW bad", "-ERR Invalid OVERFLOW type specified\r\n", nil},
		{"LPUSH l a", ":1\r\n", nil},
		{"BITFIELD_RO l GET u8 0", strWrongType, nil},
		{"BITFIELD_RO l SET u8 0 1", roErr, nil},
		{"GET k", "$2\r\nAB\r\n", nil},
	})
}

// TestBitmapKeyspaceEvents pins the events Redis 7.0.15 raises: setbit for
// SETBIT and BITFIELD only when a bit changed or the string grew, set or
// del for BITOP's destination, nothing for reads.
func TestBitmapKeyspaceEvents(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	sub := dialRaw(t, s)
	sub.Do("PSUBSCRIBE", "__keyevent@*")
	runCases(t, c, []replyCase{
		{[]string{"CONFIG", "SET", "notify-keyspace-events", "KEA"}, "+OK\r\n"},
		{[]string{"SET", "a", "1"}, "+OK\r\n"},                             // set a
		{[]string{"SETBIT", "a", "0", "0"}, ":0\r\n"},                      // unchanged: none
		{[]string{"SETBIT", "a", "100", "0"}, ":0\r\n"},                    // grown: setbit a
		{[]string{"SETBIT", "a", "100", "1"}, ":0\r\n"},                    // setbit a
		{[]string{"SETBIT", "a", "100", "1"}, ":1\r\n"},                    // none
		{[]string{"GETBIT", "a", "100"}, ":1\r\n"},                         // none
		{[]string{"BITFIELD", "b", "SET", "u8", "0", "0"}, "*1\r\n:0\r\n"}, // created: setbit b
		{[]string{"BITFIELD", "b", "SET", "u8", "0", "0"}, "*1\r\n:0\r\n"}, // none
		{[]string{"BITFIELD", "b", "OVERFLOW", "FAIL", "INCRBY", "u2", "100", "10"}, "*1\r\n$-1\r\n"},
		{[]string{"BITFIELD", "b", "SET", "u8", "0", "1", "SET", "u8", "0", "0"}, "*2\r\n:0\r\n:1\r\n"}, // one setbit b
		{[]string{"BITFIELD", "b", "GET", "u8", "0"}, "*1\r\n:0\r\n"},
		{[]string{"BITOP", "AND", "d", "a", "a"}, ":13\r\n"}, // set d
		{[]string{"BITOP", "AND", "d", "nokey"}, ":0\r\n"},   // del d
		{[]string{"BITOP", "AND", "d", "nokey"}, ":0\r\n"},   // none
		{[]string{"SET", "end", "x"}, "+OK\r\n"},
	})
	ev := func(event, key string) string {
		ch := "__keyevent@0__:" + event
		return fmt.Sprintf("*4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", len(ch), ch, len(key), key)
	}
	for _, want := range []string{
		ev("set", "a"), ev("setbit", "a"), ev("setbit", "a"), ev("setbit", "b"), ev("setbit", "b"),
		ev("set", "d"), ev("del", "d"), ev("set", "end"),
	} {
		if got := sub.Read(); got != want {
			t.Fatalf("got %q, want %q", got, want)
		}
	}
}

// A bit command that changes nothing leaves a WATCH intact; one that flips
// a bit or grows the string aborts the transaction.
func TestBitmapWatchTouch(t *testing.T) {
	s := startTestServer(t)
	a, b := dialRaw(t, s), dialRaw(t, s)
	a.Do("SET", "w", "\x0f")
	for _, tc := range []struct {
		cmd     []string
		touches bool
	}{
		{[]string{"SETBIT", "w", "0", "0"}, false},
		{[]string{"BITFIELD", "w", "SET", "u4", "4", "15"}, false},
		{[]string{"BITFIELD", "w", "OVERFLOW", "FAIL", "INCRBY", "u4", "4", "1"}, false},
		{[]string{"GETBIT", "w", "0"}, false},
		{[]string{"BITFIELD", "w", "GET", "u8", "0"}, false},
		{[]string{"SETBIT", "w", "0", "1"}, true},
		{[]string{"SETBIT", "w", "9", "0"}, true},
		{[]string{"BITFIELD", "w", "INCRBY", "u4", "4", "1"}, true},
		{[]string{"BITOP", "NOT", "w", "w"}, true},
	} {
		a.Do("WATCH", "w")
		a.Do("MULTI")
		a.Do("PING")
		b.Do(tc.cmd...)
		want := "*1\r\n+PONG\r\n"
		if tc.touches {
			want = "*-1\r\n"
		}
		if got := a.Do("EXEC"); got != want {
			t.Errorf("%q: EXEC got %q, want %q", tc.cmd, got, want)
		}
	}
}

// TestBitmapLargeValue runs the word kernels through the commands on a
// value longer than a BITOP chunk, where edges and the bulk meet.
func TestBitmapLargeValue(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	val := []byte(strings.Repeat("\xff", 10000))
	val[9000] = 0xf7 // bit 72004 clear
	runCases(t, c, []replyCase{
		{[]string{"SET", "big", string(val)}, "+OK\r\n"},
		{[]string{"BITCOUNT", "big"}, ":79999\r\n"},
		{[]string{"BITCOUNT", "big", "3", "79996", "BIT"}, ":79993\r\n"},
		{[]string{"BITPOS", "big", "0"}, ":72004\r\n"},
		{[]string{"BITPOS", "big", "0", "9001"}, ":80000\r\n"},
		{[]string{"BITPOS", "big", "0", "9001", "-1"}, ":-1\r\n"},
		{[]string{"SETBIT", "other", "79999", "1"}, ":0\r\n"},
		{[]string{"BITOP", "AND", "d", "big", "other"}, ":10000\r\n"},
		{[]string{"BITCOUNT", "d"}, ":1\r\n"},
		{[]string{"BITOP", "XOR", "d", "big", "other"}, ":10000\r\n"},
		{[]string{"BITCOUNT", "d"}, ":79998\r\n"},
		{[]string{"BITPOS", "d", "0", "0", "-1", "BIT"}, ":72004\r\n"},
	})
}
