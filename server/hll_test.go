package server

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// Replies below were captured from Redis 7.0.15; HyperLogLog replies are
// the same in RESP2 and RESP3, so every table runs in both.

// hllHeader is a sketch header with the given encoding and an invalid
// cached cardinality.
func hllHeader(enc byte) string {
	return "HYLL" + string([]byte{enc}) + "\x00\x00\x00" + strings.Repeat("\x00", 7) + "\x80"
}

// hllDense builds a dense sketch from register values, packed six bits per
// register, least significant bits first.
func hllDense(reg func(i int) uint8) string {
	regs := make([]byte, 12288)
	for i := 0; i < 16384; i++ {
		v := uint(reg(i))
		bit := i * 6
		b, fb := bit/8, uint(bit%8)
		regs[b] |= byte(v << fb)
		if b+1 < len(regs) {
			regs[b+1] |= byte(v >> (8 - fb))
		}
	}
	return hllHeader(0) + string(regs)
}

// hllSeq returns the elements "from" ... "to-1".
func hllSeq(from, to int) []string {
	out := make([]string, 0, to-from)
	for i := from; i < to; i++ {
		out = append(out, strconv.Itoa(i))
	}
	return out
}

// runHLLCases runs cases on a fresh server in RESP2 and in RESP3.
func runHLLCases(t *testing.T, cases []replyCase) {
	t.Helper()
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("resp%d", proto), func(t *testing.T) {
			s := startTestServer(t)
			c := dialRaw(t, s)
			if proto == 3 {
				c.Do("HELLO", "3")
			}
			runCases(t, c, cases)
		})
	}
}

func TestHLLAddCountMergeAndDebug(t *testing.T) {
	runHLLCases(t, []replyCase{
		{[]string{"PFADD", "h", "a", "b", "c"}, ":1\r\n"},
		{[]string{"PFADD", "h", "a"}, ":0\r\n"},
		{[]string{"PFADD", "h"}, ":0\r\n"},
		{[]string{"PFADD", "new"}, ":1\r\n"},
		{[]string{"GET", "new"}, "$18\r\nHYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xff\r\n"},
		{[]string{"PFCOUNT", "h"}, ":3\r\n"},
		{[]string{"PFCOUNT", "nokey"}, ":0\r\n"},
		{[]string{"GET", "h"}, "$27\r\nHYLL\x01\x00\x00\x00\x03\x00\x00\x00\x00\x00\x00\x00`\xf3\x80P\xb1\x84K\xfb\x80BZ\r\n"},
		{[]string{"TYPE", "h"}, "+string\r\n"},
		{[]string{"OBJECT", "ENCODING", "h"}, "$3\r\nraw\r\n"},
		{[]string{"STRLEN", "h"}, ":27\r\n"},
		{[]string{"PFADD", "h", "d"}, ":1\r\n"},
		{[]string{"GET", "h"}, "$30\r\nHYLL\x01\x00\x00\x00\x03\x00\x00\x00\x00\x00\x00\x80\\{\x80Dv\x80P\xb1\x84K\xfb\x80BZ\r\n"},
		{[]string{"PFCOUNT", "h"}, ":4\r\n"},
		{[]string{"PFADD", "h2", "c", "d", "e"}, ":1\r\n"},
		{[]string{"PFCOUNT", "h", "h2"}, ":5\r\n"},
		{[]string{"PFCOUNT", "h", "h2", "nokey"}, ":5\r\n"},
		{[]string{"GET", "h"}, "$30\r\nHYLL\x01\x00\x00\x00\x04\x00\x00\x00\x00\x00\x00\x00\\{\x80Dv\x80P\xb1\x84K\xfb\x80BZ\r\n"},
		{[]string{"PFMERGE", "m", "h", "h2"}, "+OK\r\n"},
		{[]string{"PFCOUNT", "m"}, ":5\r\n"},
		{[]string{"GET", "m"}, "$33\r\nHYLL\x01\x00\x00\x00\x05\x00\x00\x00\x00\x00\x00\x00\\{\x80Dv\x80P\xb1\x84I\x8c\x80Bm\x80BZ\r\n"},
		{[]string{"PFMERGE", "m"}, "+OK\r\n"},
		{[]string{"PFMERGE", "m2"}, "+OK\r\n"},
		{[]string{"GET", "m2"}, "$18\r\nHYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xff\r\n"},
		{[]string{"PFMERGE", "nokey2", "nokey3"}, "+OK\r\n"},
		{[]string{"EXISTS", "nokey2"}, ":1\r\n"},
		{[]string{"PFDEBUG", "ENCODING", "m"}, "+sparse\r\n"},
		{[]string{"PFDEBUG", "DECODE", "m"}, "$69\r\nZ:7292 v:1,1 Z:1143 v:1,1 Z:4274 v:2,1 Z:2445 v:1,1 Z:622 v:1,1 Z:603\r\n"},
		{[]string{"PFDEBUG", "decode", "h"}, "$57\r\nZ:7292 v:1,1 Z:1143 v:1,1 Z:4274 v:2,1 Z:3068 v:1,1 Z:603\r\n"},
	})
}

func TestHLLErrors(t *testing.T) {
	runHLLCases(t, []replyCase{
		{[]string{"SET", "s", "foo"}, "+OK\r\n"},
		{[]string{"PFADD", "s", "a"}, "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n"},
		{[]string{"PFCOUNT", "s"}, "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n"},
		{[]string{"PFCOUNT", "nokey", "s"}, "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n"},
		{[]string{"PFMERGE", "s"}, "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n"},
		{[]string{"PFMERGE", "d", "s"}, "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n"},
		{[]string{"EXISTS", "d"}, ":0\r\n"},
		{[]string{"PFDEBUG", "ENCODING", "s"}, "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n"},
		{[]string{"LPUSH", "l", "a"}, ":1\r\n"},
		{[]string{"PFADD", "l", "a"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"PFCOUNT", "l"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"PFCOUNT", "l", "s"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"PFMERGE", "d", "l"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"PFDEBUG", "GETREG", "l"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{[]string{"PFADD"}, "-ERR wrong number of arguments for 'pfadd' command\r\n"},
		{[]string{"PFCOUNT"}, "-ERR wrong number of arguments for 'pfcount' command\r\n"},
		{[]string{"PFMERGE"}, "-ERR wrong number of arguments for 'pfmerge' command\r\n"},
		{[]string{"PFDEBUG"}, "-ERR wrong number of arguments for 'pfdebug' command\r\n"},
		{[]string{"PFDEBUG", "GETREG"}, "-ERR wrong number of arguments for 'pfdebug' command\r\n"},
		{[]string{"PFDEBUG", "GETREG", "x", "y"}, "-ERR wrong number of arguments for 'pfdebug' command\r\n"},
		{[]string{"PFSELFTEST", "x"}, "-ERR wrong number of arguments for 'pfselftest' command\r\n"},
		{[]string{"PFADD", "h", "a"}, ":1\r\n"},
		{[]string{"PFDEBUG", "nosuch", "h"}, "-ERR Unknown PFDEBUG subcommand 'nosuch'\r\n"},
		{[]string{"PFDEBUG", "nosuch", "nokey"}, "-ERR The specified key does not exist\r\n"},
		{[]string{"PFDEBUG", "a\x00b", "h"}, "-ERR Unknown PFDEBUG subcommand 'a'\r\n"},
		{[]string{"PFDEBUG", "a\r\nb", "h"}, "-ERR Unknown PFDEBUG subcommand 'a  b'\r\n"},
		{[]string{"PFDEBUG", "ENCODING", "nokey"}, "-ERR The specified key does not exist\r\n"},
		{[]string{"PFDEBUG", "TODENSE", "nokey"}, "-ERR The specified key does not exist\r\n"},
		{[]string{"SET", "i", "12"}, "+OK\r\n"},
		{[]string{"PFADD", "i", "x"}, "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n"},
		{[]string{"SET", "e", ""}, "+OK\r\n"},
		{[]string{"PFCOUNT", "e"}, "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n"},
	})
}

// Values written with SET: corrupt sparse data is refused or updated
// exactly as Redis does, and odd dense registers give Redis's estimates.
func TestHLLCorruptAndExtremeValues(t *testing.T) {
	runHLLCases(t, []replyCase{
		{[]string{"SET", "k", "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80"}, "+OK\r\n"},
		{[]string{"PFCOUNT", "k"}, "-INVALIDOBJ Corrupted HLL object detected\r\n"},
		{[]string{"PFCOUNT", "k", "k"}, "-INVALIDOBJ Corrupted HLL object detected\r\n"},
		{[]string{"PFADD", "k", "a"}, "-INVALIDOBJ Corrupted HLL object detected\r\n"},
		{[]string{"PFDEBUG", "DECODE", "k"}, "$0\r\n\r\n"},
		{[]string{"PFDEBUG", "GETREG", "k"}, "-INVALIDOBJ Corrupted HLL object detected\r\n"},
		{[]string{"PFDEBUG", "TODENSE", "k"}, "-INVALIDOBJ Corrupted HLL object detected\r\n"},
		{[]string{"PFMERGE", "k"}, "-INVALIDOBJ Corrupted HLL object detected\r\n"},
		{[]string{"PFMERGE", "z", "k"}, "-INVALIDOBJ Corrupted HLL object detected\r\n"},
		{[]string{"EXISTS", "z"}, ":0\r\n"},
		{[]string{"SET", "k", "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f"}, "+OK\r\n"},
		{[]string{"PFCOUNT", "k"}, "-INVALIDOBJ Corrupted HLL object detected\r\n"},
		{[]string{"PFDEBUG", "DECODE", "k"}, "$7\r\nZ:16129\r\n"},
		{[]string{"SET", "k", "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xff\x00"}, "+OK\r\n"},
		{[]string{"PFCOUNT", "k"}, "-INVALIDOBJ Corrupted HLL object detected\r\n"},
		{[]string{"PFCOUNT", "k", "k"}, "-INVALIDOBJ Corrupted HLL object detected\r\n"},
		{[]string{"PFADD", "k", "a"}, ":1\r\n"},
		{[]string{"GET", "k"}, "$22\r\nHYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80q\xa6\x84NW\x00\r\n"},
		{[]string{"SET", "k", "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xfe"}, "+OK\r\n"},
		{[]string{"PFCOUNT", "k"}, "-INVALIDOBJ Corrupted HLL object detected\r\n"},
		{[]string{"PFADD", "k", "a"}, ":1\r\n"},
		{[]string{"GET", "k"}, "$21\r\nHYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80q\xa6\x84NV\r\n"},
		{[]string{"PFCOUNT", "k"}, "-INVALIDOBJ Corrupted HLL object detected\r\n"},
		{[]string{"SET", "k", "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xfe\x83"}, "+OK\r\n"},
		{[]string{"PFCOUNT", "k", "k"}, "-INVALIDOBJ Corrupted HLL object detected\r\n"},
		{[]string{"PFADD", "k", "a"}, ":1\r\n"},
		{[]string{"GET", "k"}, "$22\r\nHYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80q\xa6\x84NV\x83\r\n"},
		{[]string{"SET", "k", "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xfe@"}, "+OK\r\n"},
		{[]string{"PFCOUNT", "k"}, ":0\r\n"},
		{[]string{"GET", "k"}, "$19\r\nHYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x7f\xfe@\r\n"},
		{[]string{"PFADD", "k", "a"}, ":1\r\n"},
		{[]string{"GET", "k"}, "$22\r\nHYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80q\xa6\x84NV@\r\n"},
		{[]string{"SET", "k", "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80B\x0c\x80L"}, "+OK\r\n"},
		{[]string{"PFADD", "k", "6680", "33799", "6"}, "-INVALIDOBJ Corrupted HLL object detected\r\n"},
		{[]string{"GET", "k"}, "$26\r\nHYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80B\x0c\x80C\xef\x90G\x9e\x80@\r\n"},
		{[]string{"PFCOUNT", "k"}, "-INVALIDOBJ Corrupted HLL object detected\r\n"},
		{[]string{"SET", "k", "HYLL\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xff"}, "+OK\r\n"},
		{[]string{"PFCOUNT", "k"}, "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n"},
		{[]string{"PFADD", "k", "a"}, "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n"},
		{[]string{"SET", "k", hllHeader(0) + strings.Repeat("\x00", 100)}, "+OK\r\n"},
		{[]string{"PFCOUNT", "k"}, "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n"},
		{[]string{"SET", "k", "HYLX\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xff"}, "+OK\r\n"},
		{[]string{"PFCOUNT", "k"}, "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n"},
		{[]string{"SET", "k", "HYLL\x01"}, "+OK\r\n"},
		{[]string{"PFCOUNT", "k"}, "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n"},
		{[]string{"SET", "k", "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x7f"}, "+OK\r\n"},
		{[]string{"PFCOUNT", "k"}, ":0\r\n"},
		{[]string{"SET", "k", "HYLL\x01\x00\x00\x00\xff\xff\xff\xff\xff\xff\xff\x7f\x7f\xff"}, "+OK\r\n"},
		{[]string{"PFCOUNT", "k"}, ":9223372036854775807\r\n"},
		{[]string{"PFCOUNT", "k", "k"}, ":0\r\n"},
		{[]string{"SET", "k", hllDense(func(int) uint8 { return 51 })}, "+OK\r\n"},
		{[]string{"PFCOUNT", "k"}, ":-9223372036854775808\r\n"},
		{[]string{"GETRANGE", "k", "0", "15"}, "$16\r\nHYLL\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\r\n"},
		{[]string{"PFCOUNT", "k", "k"}, ":-9223372036854775808\r\n"},
		{[]string{"SET", "k", hllDense(func(int) uint8 { return 1 })}, "+OK\r\n"},
		{[]string{"PFCOUNT", "k"}, ":23637\r\n"},
		{[]string{"GETRANGE", "k", "0", "15"}, "$16\r\nHYLL\x00\x00\x00\x00U\\\x00\x00\x00\x00\x00\x00\r\n"},
		{[]string{"SET", "k", hllDense(func(i int) uint8 { return uint8(i % 64) })}, "+OK\r\n"},
		{[]string{"PFCOUNT", "k"}, ":375261\r\n"},
		{[]string{"PFADD", "k", "a"}, ":0\r\n"},
		{[]string{"GETRANGE", "k", "0", "15"}, "$16\r\nHYLL\x00\x00\x00\x00\xdd\xb9\x05\x00\x00\x00\x00\x00\r\n"},
	})
}

// Encoding changes (sparse to dense at 33 and at hll-sparse-max-bytes, by
// PFMERGE of a dense input, by PFDEBUG TODENSE), the raw string encoding
// PF commands give a value, and TTLs kept through updates.
func TestHLLEncodingsAndPromotion(t *testing.T) {
	runHLLCases(t, []replyCase{
		{[]string{"PFADD", "h", "a", "b", "c"}, ":1\r\n"},
		{[]string{"PFDEBUG", "ENCODING", "h"}, "+sparse\r\n"},
		{[]string{"PFDEBUG", "TODENSE", "h"}, ":1\r\n"},
		{[]string{"PFDEBUG", "TODENSE", "h"}, ":0\r\n"},
		{[]string{"PFDEBUG", "ENCODING", "h"}, "+dense\r\n"},
		{[]string{"PFDEBUG", "DECODE", "h"}, "-ERR HLL encoding is not sparse\r\n"},
		{[]string{"PFCOUNT", "h"}, ":3\r\n"},
		{[]string{"STRLEN", "h"}, ":12304\r\n"},
		{[]string{"GETRANGE", "h", "0", "20"}, "$21\r\nHYLL\x00\x00\x00\x00\x03\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\r\n"},
		{[]string{"PFADD", "s", "a"}, ":1\r\n"},
		{[]string{"GET", "s"}, "$21\r\nHYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80q\xa6\x84NW\r\n"},
		{[]string{"SET", "e", "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80q\xa6\x84NW"}, "+OK\r\n"},
		{[]string{"OBJECT", "ENCODING", "e"}, "$6\r\nembstr\r\n"},
		{[]string{"PFCOUNT", "e"}, ":1\r\n"},
		{[]string{"OBJECT", "ENCODING", "e"}, "$3\r\nraw\r\n"},
		{[]string{"SET", "e", "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80q\xa6\x84NW"}, "+OK\r\n"},
		{[]string{"PFCOUNT", "e", "e"}, ":1\r\n"},
		{[]string{"OBJECT", "ENCODING", "e"}, "$6\r\nembstr\r\n"},
		{[]string{"PFDEBUG", "ENCODING", "e"}, "+sparse\r\n"},
		{[]string{"OBJECT", "ENCODING", "e"}, "$3\r\nraw\r\n"},
		{[]string{"SET", "e", "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80q\xa6\x84NW"}, "+OK\r\n"},
		{[]string{"PFMERGE", "x", "e"}, "+OK\r\n"},
		{[]string{"OBJECT", "ENCODING", "e"}, "$6\r\nembstr\r\n"},
		{append([]string{"PFADD", "big"}, hllSeq(0, 200)...), ":1\r\n"},
		{[]string{"PFDEBUG", "ENCODING", "big"}, "+sparse\r\n"},
		{[]string{"STRLEN", "big"}, ":507\r\n"},
		{[]string{"CONFIG", "SET", "hll-sparse-max-bytes", "30"}, "+OK\r\n"},
		{[]string{"PFADD", "p", "a", "b", "c"}, ":1\r\n"},
		{[]string{"PFDEBUG", "ENCODING", "p"}, "+sparse\r\n"},
		{[]string{"PFADD", "p", "d"}, ":1\r\n"},
		{[]string{"PFDEBUG", "ENCODING", "p"}, "+sparse\r\n"},
		{[]string{"STRLEN", "p"}, ":30\r\n"},
		{[]string{"PFCOUNT", "p"}, ":4\r\n"},
		{[]string{"CONFIG", "SET", "hll-sparse-max-bytes", "0"}, "+OK\r\n"},
		{[]string{"PFADD", "z0"}, ":1\r\n"},
		{[]string{"PFDEBUG", "ENCODING", "z0"}, "+sparse\r\n"},
		{[]string{"PFADD", "z0", "a"}, ":1\r\n"},
		{[]string{"PFDEBUG", "ENCODING", "z0"}, "+dense\r\n"},
		{[]string{"CONFIG", "SET", "hll-sparse-max-bytes", "3000"}, "+OK\r\n"},
		{[]string{"PFADD", "sp", "a"}, ":1\r\n"},
		{[]string{"PFMERGE", "sp", "h"}, "+OK\r\n"},
		{[]string{"PFDEBUG", "ENCODING", "sp"}, "+dense\r\n"},
		{[]string{"PFCOUNT", "sp"}, ":3\r\n"},
		{[]string{"PFADD", "sp2", "x"}, ":1\r\n"},
		{[]string{"PFMERGE", "sp2", "s"}, "+OK\r\n"},
		{[]string{"PFDEBUG", "ENCODING", "sp2"}, "+sparse\r\n"},
		{[]string{"GET", "sp2"}, "$23\r\nHYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80q\xa6\x84NM\x84\x08\r\n"},
		{[]string{"APPEND", "s", "x"}, ":22\r\n"},
		{[]string{"PFCOUNT", "s"}, "-INVALIDOBJ Corrupted HLL object detected\r\n"},
		{[]string{"PFDEBUG", "DECODE", "s"}, "$28\r\nZ:12711 v:2,1 Z:3672 Z:14337\r\n"},
		{[]string{"SET", "t", "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80q\xa6\x84NW"}, "+OK\r\n"},
		{[]string{"EXPIRE", "t", "100"}, ":1\r\n"},
		{[]string{"PFADD", "t", "zz"}, ":1\r\n"},
		{[]string{"TTL", "t"}, ":100\r\n"},
		{[]string{"PFMERGE", "t", "h"}, "+OK\r\n"},
		{[]string{"TTL", "t"}, ":100\r\n"},
		{[]string{"PFCOUNT", "t"}, ":4\r\n"},
		{[]string{"TTL", "t"}, ":100\r\n"},
	})
}

func TestHLLGetregListsRegistersAndTurnsDense(t *testing.T) {
	// a, b and c set registers 12711 to 2, 8436 and 15780 to 1.
	regs := make([]string, 16384)
	for i := range regs {
		regs[i] = ":0\r\n"
	}
	regs[8436], regs[12711], regs[15780] = ":1\r\n", ":2\r\n", ":1\r\n"
	want := "*16384\r\n" + strings.Join(regs, "")
	runHLLCases(t, []replyCase{
		{[]string{"PFADD", "g", "a", "b", "c"}, ":1\r\n"},
		{[]string{"PFDEBUG", "GETREG", "g"}, want},
		{[]string{"PFDEBUG", "ENCODING", "g"}, "+dense\r\n"},
		{[]string{"PFDEBUG", "GETREG", "g"}, want},
		{[]string{"PFCOUNT", "g"}, ":3\r\n"},
	})
}

func TestHLLSelftest(t *testing.T) {
	runHLLCases(t, []replyCase{{[]string{"PFSELFTEST"}, "+OK\r\n"}})
}

// Redis raises pfadd for a PFADD that changed something and for every
// PFMERGE, on the destination; PFCOUNT and PFDEBUG raise nothing, even when
// they rewrite the value.
func TestHLLKeyspaceEvents(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	sub := dialRaw(t, s)
	sub.Do("PSUBSCRIBE", "__keyevent@*")
	runCases(t, c, []replyCase{
		{[]string{"CONFIG", "SET", "notify-keyspace-events", "KEA"}, "+OK\r\n"},
		{[]string{"PFADD", "a", "x"}, ":1\r\n"},                                              // pfadd a
		{[]string{"PFADD", "a", "x"}, ":0\r\n"},                                              // none
		{[]string{"PFADD", "a"}, ":0\r\n"},                                                   // none
		{[]string{"PFADD", "b"}, ":1\r\n"},                                                   // pfadd b
		{[]string{"PFCOUNT", "a"}, ":1\r\n"},                                                 // none
		{[]string{"PFCOUNT", "a", "b"}, ":1\r\n"},                                            // none
		{[]string{"PFMERGE", "c", "a", "b"}, "+OK\r\n"},                                      // pfadd c
		{[]string{"PFMERGE", "c"}, "+OK\r\n"},                                                // pfadd c
		{[]string{"PFDEBUG", "TODENSE", "c"}, ":1\r\n"},                                      // none
		{[]string{"PFDEBUG", "GETREG", "b"}, "*16384\r\n" + strings.Repeat(":0\r\n", 16384)}, // none
		{[]string{"SET", "s", "x"}, "+OK\r\n"},                                               // set s
		{[]string{"PFADD", "s", "a"}, "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n"},
		{[]string{"PFMERGE", "c", "s"}, "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n"},
		{[]string{"SET", "end", "x"}, "+OK\r\n"}, // set end
	})
	ev := func(event, key string) string {
		ch := "__keyevent@0__:" + event
		return fmt.Sprintf("*4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", len(ch), ch, len(key), key)
	}
	for _, want := range []string{
		ev("pfadd", "a"), ev("pfadd", "b"), ev("pfadd", "c"), ev("pfadd", "c"), ev("set", "s"), ev("set", "end"),
	} {
		if got := sub.Read(); got != want {
			t.Fatalf("got %q, want %q", got, want)
		}
	}
}

// hllDirty reads rdb_changes_since_last_save.
func hllDirty(t *testing.T, c *rawClient) int {
	t.Helper()
	info := c.Do("INFO", "persistence")
	i := strings.Index(info, "rdb_changes_since_last_save:")
	if i < 0 {
		t.Fatalf("no rdb_changes_since_last_save in %q", info)
	}
	rest := info[i+len("rdb_changes_since_last_save:"):]
	n, err := strconv.Atoi(rest[:strings.IndexByte(rest, '\r')])
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Which commands touch a watched key and how many changes they count, as
// Redis: PFCOUNT touches only when it caches a new estimate, PFADD counts
// one change per register raised (plus one for creating the key), PFDEBUG
// counts a conversion to dense but touches nothing.
func TestHLLWatchAndDirty(t *testing.T) {
	s := startTestServer(t)
	w := dialRaw(t, s)
	c := dialRaw(t, s)
	tests := []struct {
		setup   [][]string
		cmd     []string
		touched bool
		dirty   int
	}{
		{nil, []string{"PFADD", "k", "a"}, true, 2},
		{nil, []string{"PFADD", "k", "a", "b", "c"}, true, 4},
		{nil, []string{"PFADD", "k"}, true, 1},
		{[][]string{{"PFADD", "k", "a"}}, []string{"PFADD", "k", "a"}, false, 0},
		{[][]string{{"PFADD", "k", "a"}}, []string{"PFADD", "k", "b", "a", "c"}, true, 2},
		{[][]string{{"PFADD", "k", "a"}}, []string{"PFCOUNT", "k"}, true, 1},
		{[][]string{{"PFADD", "k", "a"}, {"PFCOUNT", "k"}}, []string{"PFCOUNT", "k"}, false, 0},
		{[][]string{{"PFADD", "k", "a"}}, []string{"PFCOUNT", "k", "k"}, false, 0},
		{nil, []string{"PFCOUNT", "k"}, false, 0},
		{[][]string{{"PFADD", "k", "a"}}, []string{"PFMERGE", "k"}, true, 1},
		{[][]string{{"PFADD", "k", "a"}}, []string{"PFMERGE", "other", "k"}, false, 1},
		{[][]string{{"PFADD", "k", "a"}}, []string{"PFDEBUG", "TODENSE", "k"}, false, 1},
		{[][]string{{"PFADD", "k", "a"}, {"PFDEBUG", "TODENSE", "k"}}, []string{"PFDEBUG", "TODENSE", "k"}, false, 0},
		{[][]string{{"PFADD", "k", "a"}}, []string{"PFDEBUG", "ENCODING", "k"}, false, 0},
		{[][]string{{"PFADD", "k", "a"}, {"PFDEBUG", "TODENSE", "k"}}, []string{"PFADD", "k", "zz"}, true, 1},
	}
	for _, tc := range tests {
		c.Do("FLUSHALL")
		for _, st := range tc.setup {
			c.Do(st...)
		}
		w.Do("WATCH", "k")
		before := hllDirty(t, c)
		c.Do(tc.cmd...)
		dirty := hllDirty(t, c) - before
		w.Do("MULTI")
		w.Do("PING")
		touched := w.Do("EXEC") == "*-1\r\n"
		if touched != tc.touched || dirty != tc.dirty {
			t.Errorf("%q after %q: touched %v dirty %d, want %v %d", tc.cmd, tc.setup, touched, dirty, tc.touched, tc.dirty)
		}
	}
}
