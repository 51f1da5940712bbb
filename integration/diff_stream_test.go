package integration

import (
	"fmt"
	"strings"
	"testing"

	"petrel/integration/harness"
)

// Streams: every command, option and error against the reference server,
// node splitting and trimming at small node limits (XINFO STREAM shows the
// node and radix-tree counts), consumer groups, claims and blocking reads
// with several clients. IDs are explicit wherever a reply shows them.

func init() {
	rules["XADD"] = rule{norm: normXadd}
	rules["XPENDING"] = rule{norm: normXpending}
	rules["XINFO|STREAM"] = rule{norm: normStreamTimes}
	rules["XINFO|CONSUMERS"] = rule{norm: normXinfoConsumers}
}

// normXadd masks the ID of an XADD that let the server pick it ("*" or
// "ms-*" with a fresh stream), which follows each server's clock.
func normXadd(args []string, v harness.Value) harness.Value {
	for _, a := range args {
		if a == "*" {
			return masked(v)
		}
	}
	return v
}

// normXpending masks the idle time of each entry of the extended form,
// measured on two clocks.
func normXpending(_ []string, v harness.Value) harness.Value {
	if v.Type != '*' {
		return v
	}
	out := v
	out.Elems = append([]harness.Value(nil), v.Elems...)
	for i, e := range out.Elems {
		if e.Type == '*' && len(e.Elems) == 4 {
			e.Elems = append([]harness.Value(nil), e.Elems...)
			e.Elems[2] = masked(e.Elems[2])
			out.Elems[i] = e
		}
	}
	return out
}

// normStreamTimes masks the clock readings of XINFO STREAM FULL: seen
// times and the delivery times inside "pending" lists.
func normStreamTimes(_ []string, v harness.Value) harness.Value {
	if !v.IsAggregate() {
		return v
	}
	out := v
	out.Elems = append([]harness.Value(nil), v.Elems...)
	isMap := v.Type == '%' || (len(v.Elems)%2 == 0 && len(v.Elems) > 0 && v.Elems[0].Type == '$')
	for i := range out.Elems {
		if isMap && i%2 == 1 {
			switch out.Elems[i-1].Str {
			case "seen-time", "active-time":
				out.Elems[i] = masked(out.Elems[i])
				continue
			case "pending":
				out.Elems[i] = maskDeliveryTimes(out.Elems[i])
				continue
			}
		}
		out.Elems[i] = normStreamTimes(nil, out.Elems[i])
	}
	return out
}

func maskDeliveryTimes(v harness.Value) harness.Value {
	out := v
	out.Elems = append([]harness.Value(nil), v.Elems...)
	for i, e := range out.Elems {
		e.Elems = append([]harness.Value(nil), e.Elems...)
		switch len(e.Elems) {
		case 4: // group PEL: id, consumer, delivery time, count
			e.Elems[2] = masked(e.Elems[2])
		case 3: // consumer PEL: id, delivery time, count
			e.Elems[1] = masked(e.Elems[1])
		}
		out.Elems[i] = e
	}
	return out
}

// normXinfoConsumers masks each consumer's idle time and drops the
// "inactive" field Petrel reports as Redis 7.2 does (7.0 lacks it).
func normXinfoConsumers(_ []string, v harness.Value) harness.Value {
	if v.Type != '*' {
		return v
	}
	out := v
	out.Elems = make([]harness.Value, len(v.Elems))
	for i, c := range v.Elems {
		nc := c
		nc.Elems = nil
		for j := 0; j+1 < len(c.Elems); j += 2 {
			switch c.Elems[j].Str {
			case "inactive":
				continue
			case "idle":
				nc.Elems = append(nc.Elems, c.Elems[j], masked(c.Elems[j+1]))
			default:
				nc.Elems = append(nc.Elems, c.Elems[j], c.Elems[j+1])
			}
		}
		out.Elems[i] = nc
	}
	return out
}

// xblocked sends a blocking command on connection conn without reading its
// reply; a later "@conn !read" compares what it finally gets.
func xblocked(conn int, args ...string) step {
	st := raw(conn, string(harness.Encode(args...)), 0)
	st.text = fmt.Sprintf("@%d %s (no reply yet)", conn, strings.Join(args, " "))
	return st
}

// xsettle lets a command sent with xblocked reach the server and block.
const xsettle = "!sleep 60"

func TestDiffStream(t *testing.T) {
	runSequences(t, []sequence{
		{name: "xadd-xrange-xread", steps: steps(
			"xadd s 0-0 a 1", "xadd s 1-1 a", "xadd s abc a 1", "xadd s 1-x a 1",
			"xadd s 5-* a 1", "xadd s 5-* a 1", "xadd s 4-* a 1", "xadd s 5-1 a 1",
			"xadd s maxlen -1 * a 1", "xadd s maxlen 1 limit 10 * a 1", "xadd s limit 10 * a 1", "xadd s limit 0 6-0 a 1",
			"xadd s maxlen 1 minid 1 * a 1", "xadd s maxlen ~ 1 limit -1 * a 1", "xadd s minid abc * a 1", "xadd s nomkstream nomkstream 10-0 a 1",
			"xadd nokey nomkstream * a 1", "set str x", "xadd str * a 1", "xadd s maxlen abc * a 1",
			"xadd s 18446744073709551615-18446744073709551615 a 1", "xadd s 7-0 a 1", "xadd s2 18446744073709551615-* a 1", "xadd s3 0-* a 1",
			"xadd s4 -5 a 1", "xadd s4 5- a 1", `xadd s4 " 5" a 1`, "xadd s4 5-18446744073709551616 a 1",
			"xadd s4 00005-0001 a 1", "xadd s4 +6 a 1", "xadd s4 maxlen = 0 10 a 1", "xlen s4",
			"xadd s4 minid = 100 11 a 1", "xadd s4 MAXLEN ~ 5 LIMIT 0 12 a 1", "xadd s4 maxlen", "xadd s4 maxlen 5",
			"xadd s4 13-0 a", "xlen s4", "xlen str", "xlen nokey",
			"del s", "xadd s 1-1 a 1", "xadd s 2-1 b 2 c 3", "xrange s - +",
			"xrange s ( +", "xrange s (1-1 +", "xrange s - (2-1", "xrange s 1 2",
			"xrange s - + count", "xrange s - + count -1", "xrange s - + count 0", "xrange nokey - + count 0",
			"xrange s - + count abc", "xrange s - + foo 1", "xrange s (18446744073709551615-18446744073709551615 +", "xrange s - (0-0",
			"xrevrange s + -", "xrevrange s (2-1 -", "xrevrange s 2 1", "xrevrange s + - count 1",
			"xrange nokey - +", "xrange s + -", "xrange s 2-* +", "xrange s (- +",
			"xrange str - +", "xread streams s s2 0", "xread count 1 streams s s2 0 0", "xread count -1 streams s 0",
			"xread count abc streams s 0", "xread block -1 streams s 0", "xread block abc streams s 0", "xread foo streams s 0",
			"xread streams s $", "xread streams s (0", "xread streams s -", "xread streams nokey 0",
			"xread streams s >", "xreadgroup group g c streams s >", "xread group g c streams s 0", "xread noack streams s 0",
			"xread streams str 0", "xread streams s str 0 0", "xread block 10 count 1 streams s 0", "xread streams s 1",
			"xread streams s 0-*", "xread count 0 streams s 0", "xreadgroup count 1 block 0 streams s 0", "xreadgroup group g c streams s",
			"xreadgroup group g c streams s s2 >", "xread count 1 streams s s2 0 0", "xread streams nokey 0", "xrange s - + count 0",
			"xrange s - + count 1",
		)},
		{name: "groups-pending-info-setid-trim", steps: steps(
			"xgroup create s g $", "xgroup create s g $ mkstream", "xgroup create s g $", "xgroup create s g2 abc",
			"xgroup create s g3 0 entriesread 5", "xgroup create s g4 0 entriesread -5", "xgroup create s g5 0 entriesread abc", "xgroup create s g6 0 foo",
			"xgroup create s g7 0 mkstream entriesread", "xgroup setid s nog 0", "xgroup setid s g 0 entriesread 3", "xgroup setid s g - entriesread 3",
			"xgroup setid s g + entriesread -1", "xgroup setid s g 5 entriesread x", "xgroup setid s g 5 foo 1", "xgroup setid nokey g 0",
			"xgroup destroy s nog", "xgroup destroy nokey g", "xgroup createconsumer s g c1", "xgroup createconsumer s g c1",
			"xgroup createconsumer s nog c1", "xgroup createconsumer nokey g c1", "xgroup delconsumer s g c1", "xgroup delconsumer s g c1",
			"xgroup delconsumer s nog c1", "xgroup foo s g", "xgroup create s", "xgroup create s g 0 entriesread 1 entriesread 2",
			"xgroup setid s g $ foo", "xgroup help", "xgroup help x", "xgroup destroy s g",
			"xgroup create s g8 0-*", "xgroup create s g8 -", "xgroup setid s g3 (0", "xinfo groups s",
			"xgroup create str g 0", "xgroup create str g 0 mkstream", "del s", "xadd s 1-0 a 1",
			"xadd s 2-0 b 2", "xadd s 3-0 c 3", "xgroup create s g 0", "xreadgroup group g c1 count 1 streams s >",
			"xreadgroup group g c2 streams s >", "xreadgroup group g c2 streams s >", "xreadgroup group g c1 streams s 0", "xreadgroup group g c3 streams s 0",
			"xdel s 2-0", "xreadgroup group g c2 streams s 0", "xreadgroup group g c2 streams s (0", "xreadgroup group g c2 streams s $",
			"xreadgroup group g c2 streams s 2", "xreadgroup group g c2 streams s +", "xreadgroup group g c2 count 1 streams s 0", "xpending s g",
			"xpending s nog", "xpending nokey g", "xpending s g - +", "xpending s g - + abc",
			"xpending s g - + -1", "xpending s g idle abc - + 1", "xpending s g idle 10", "xpending s g - + 10 nobody",
			"xack s g 1-0 2-0 9-0", "xack s g abc", "xack s nog 1-0", "xack s nog abc",
			"xack nokey g 1-0", "xack str g 1-0", "xpending s g", "xreadgroup group g c4 noack streams s 0",
			"xadd s 4-0 d 4", "xreadgroup group g c4 noack streams s >", "xpending s g", "xpending s g - + 0",
			"xinfo groups s", "xgroup create s g2 0", "xgroup create s g3 $", "xgroup create s g4 2-0 entriesread 1",
			"xinfo groups s", "xadd s 5-0 e 5", "xreadgroup group g2 c streams s >", "xinfo groups s",
			"xdel s 5-0", "xinfo groups s", "xinfo stream s", "xadd s 6-0 f 6",
			"xinfo groups s", "xreadgroup group g4 c count 1 streams s >", "xinfo groups s", "xtrim s maxlen 1",
			"xinfo groups s", "xinfo stream s", "xinfo stream s foo", "xinfo stream s full foo 1",
			"xinfo stream s full count", "xinfo stream nokey", "xinfo stream nokey foo", "xinfo groups nokey",
			"xinfo consumers s nog", "xinfo consumers nokey g", "xinfo help", "xinfo foo",
			"xinfo stream str", "xinfo stream s", "xinfo groups s", "xpending s g",
			"xgroup create s5 g $ mkstream", "xpending s5 g", "xpending s5 g", "xinfo stream s5",
			"xsetid s5 5-0", "xsetid s6 5-0", "xadd s6 3-0 a 1", "xsetid s6 2-0",
			"xsetid s6 3-0", "xsetid s6 5", "xsetid s6 6-0 entriesadded 0", "xsetid s6 6-0 entriesadded 5 maxdeletedid 7-0",
			"xsetid s6 6-0 entriesadded 5 maxdeletedid 6-0", "xsetid s6 6-0 entriesadded -1", "xsetid s6 6-0 entriesadded abc", "xsetid s6 6-0 maxdeletedid abc",
			"xsetid s6 6-0 foo", "xsetid s6 6-0 entriesadded", "xinfo stream s6", "xsetid s6 6-*",
			"xsetid s6 $", "xsetid str 1-0", "xdel s6 abc", "xdel s6 3-0 3-0 9-0",
			"xdel nokey 1-0", "xdel s6 1", "xinfo stream s6", "xtrim s6",
			"xtrim s6 maxlen", "xtrim s6 foo 1", "xtrim s6 maxlen 1 limit 1", "xtrim s6 maxlen ~ 1 limit 1",
			"xtrim nokey maxlen 1", "xtrim s6 minid ~ 0 foo", "xtrim str maxlen 0", "xtrim s6 maxlen = 0",
			"xtrim s6 maxlen ~", "xtrim s6 maxlen 5 maxlen 6", "xtrim s6 limit 5",
		)},
		{name: "claims-and-nodes", steps: steps(
			"xadd s 1-0 a 1", "xadd s 2-0 b 2", "xadd s 3-0 c 3", "xgroup create s g 0",
			"xreadgroup group g c1 streams s >", "xdel s 2-0", "xclaim s g c2 0 1-0 2-0 3-0", "xclaim s g c2 0 1-0 justid",
			"xclaim s g c3 abc 1-0", "xclaim s g c3 -5 1-0", "xclaim s g c3 0 abc", "xclaim s g c3 0 1-0 idle abc",
			"xclaim s g c3 0 1-0 idle -5 justid", "xclaim s g c3 0 1-0 time abc", "xclaim s g c3 0 1-0 retrycount abc", "xclaim s g c3 0 1-0 retrycount -1 justid",
			"xclaim s g c3 0 1-0 lastid abc", "xclaim s g c3 0 1-0 foo", "xclaim s nog c3 0 1-0", "xclaim nokey g c3 0 1-0",
			"xclaim str g c3 0 1-0", "xclaim s g c3 0 5-0 force justid", "xadd s 5-0 e 5", "xclaim s g c3 0 5-0 force justid retrycount 7",
			"xclaim s g c3 0 9-0 force lastid 20-0 justid", "xinfo groups s", "xclaim s g c3 100000 1-0 justid", "xclaim s g c5 0 1-0 3-0 retrycount 2",
			"xinfo consumers s nog", "xgroup delconsumer s g c5", "xpending s g", "xinfo groups s",
			"del s", "xadd s 1-0 a 1", "xadd s 2-0 b 2", "xadd s 3-0 c 3",
			"xgroup create s g 0", "xreadgroup group g c1 streams s >", "xdel s 2-0", "xautoclaim s g c2 0 0 count 1",
			"xautoclaim s g c2 0 0", "xautoclaim s g c2 0 0 justid", "xautoclaim s g c2 0 0 count 0", "xautoclaim s g c2 0 0 count -1",
			"xautoclaim s g c2 0 0 count 4398046511104", "xautoclaim s g c2 abc 0", "xautoclaim s g c2 0 abc", "xautoclaim s g c2 0 0 foo",
			"xautoclaim s g c2 0 (0", "xautoclaim s nog c2 0 0", "xautoclaim nokey g c2 0 0", "xautoclaim str g c2 0 0",
			"xautoclaim nokey g c2 0 0 foo", "xautoclaim s g c2 -1 0", "xautoclaim s g c2 100000 0", "xautoclaim s g c2 0 0 count abc",
			"xautoclaim s g c2 0 4-0", "xautoclaim s g c2 0 3", "xautoclaim s g c2 0 (18446744073709551615-18446744073709551615", "xadd s 4-0 d 4",
			"xadd s 5-0 d 5", "xadd s 6-0 d 6", "xreadgroup group g c1 streams s >", "xdel s 4-0 5-0",
			"xautoclaim s g c3 0 0 count 1 justid", "xautoclaim s g c3 0 0 count 2 justid", "xpending s g - + 10 c3", "del s",
			"config set stream-node-max-entries 3", "xadd s 1-0 a 1", "xadd s 2-0 a 1", "xadd s 3-0 a 1",
			"xadd s 4-0 a 1", "xadd s 5-0 a 1 b 2", "xadd s 6-0 a 1 b 2", "xadd s 7-0 a 1 b 2",
			"xadd s 8-0 a 1", "xadd s 9-0 a 1", "xadd s 10-0 a 1", "xadd s 11-0 a 1",
			"xinfo stream s", "xtrim s maxlen ~ 5", "xtrim s maxlen ~ 2 limit 2", "xtrim s maxlen ~ 2 limit 3",
			"xinfo stream s", "xdel s 8-0", "xtrim s minid ~ 9", "xtrim s minid ~ 10",
			"xinfo stream s", "xtrim s minid 11", "xinfo stream s", "xadd s maxlen ~ 0 12-0 z 1",
			"xadd s maxlen ~ 0 13-0 z 1", "xadd s maxlen ~ 0 14-0 z 1", "xinfo stream s", "config set stream-node-max-entries 100",
			"config set stream-node-max-bytes 50", "del s", "xadd s 1-0 field1 value1", "xadd s 2-0 field1 value1",
			"xadd s 3-0 field1 value1", "xadd s 4-0 field1 value1", "xadd s 5-0 field1 value1", "xadd s 6-0 1234 123456789012",
			"xadd s 7-0 1234 -12", "xadd s 8-0 1234 -12", "xadd s 9-0 1234 -12", "xadd s 10-0 1234 -12",
			"xadd s 11-0 1234 -12", "xinfo stream s", "config set stream-node-max-bytes 4096", "xadd s 12-0 a 1",
			"xadd s 1000000-0 a 1", "xadd s 1000000000-0 a 1", "xadd s 1000000000000-5 a 1", "xinfo stream s",
			"xrevrange s + - count 3", "xrange s 5 9",
		)},
		{name: "full-and-consumers", steps: steps(
			"XADD s 1-0 a 1", "XADD s 2-0 b 2", "XADD s 3-0 c 3 d 4", "XGROUP CREATE s g 0", "XGROUP CREATE s g2 $",
			"XREADGROUP GROUP g c1 COUNT 1 STREAMS s >", "XREADGROUP GROUP g c2 STREAMS s >", "XGROUP CREATECONSUMER s g c0",
			"XINFO STREAM s FULL", "XINFO STREAM s FULL COUNT 1", "XINFO STREAM s FULL COUNT 0", "XINFO STREAM s FULL COUNT -5",
			"XINFO STREAM s FULL COUNT abc", "XINFO CONSUMERS s g", "XINFO CONSUMERS s g2", "XDEL s 1-0", "XINFO STREAM s FULL",
			"XREADGROUP GROUP g c1 STREAMS s 0", "XINFO STREAM s FULL", "XACK s g 1-0 2-0", "XINFO STREAM s FULL",
			"XGROUP DELCONSUMER s g c2", "XINFO STREAM s FULL", "XINFO GROUPS s",
			"OBJECT ENCODING s", "TYPE s", "COPY s s2", "XINFO STREAM s2 FULL", "XRANGE s2 - +", "XADD s2 4-0 e 5",
			"XLEN s", "XLEN s2", "RENAME s2 s3", "XINFO GROUPS s3", "DEL s3", "XADD s * x 1", "XADD s MAXLEN 2 * x 2", "XLEN s",
		)},
		// What Redis checks first: XADD's arity after options that took every
		// argument, XDEL's key before its IDs, XGROUP SETID's options before
		// the key, XSETID's top item before ENTRIESADDED; and what a zero
		// MAXDELETEDID and a negative FULL COUNT mean.
		{name: "checks-in-redis-order", steps: steps(
			"XADD s MAXLEN ~ 5", "XADD s MINID = 5", "XADD s MAXLEN ~ 51 LIMIT 25", "XADD s MAXLEN ~ x", "XADD s NOMKSTREAM",
			"XDEL nokey -", "SET str x", "XDEL str 1-a", "XADD s 1-0 f v", "XDEL s 1-a 1-0", "XLEN s",
			"XGROUP SETID nokey g 0 ENTRIESREAD", "XGROUP SETID s g 0 ENTRIESREAD +5", "XGROUP SETID str g 0 ENTRIESREAD -2",
			"XGROUP SETID s g 0 MKSTREAM", "XGROUP CREATE s g 0", "XGROUP SETID s g 0 ENTRIESREAD 5 ENTRIESREAD 6",
			"XGROUP SETID s g 0 ENTRIESREAD 5", "XINFO GROUPS s",
			"XADD t 1-0 f v", "XADD t 2-0 f v", "XSETID t 1-0 ENTRIESADDED 0", "XDEL t 1-0", "XSETID t 3-0 MAXDELETEDID 0",
			"XSETID t 3-0 MAXDELETEDID 0-1", "XINFO STREAM t",
			"XADD u 1-0 f v", "XADD u 2-0 f v", "XADD u 3-0 f v", "XADD u 4-0 f v", "XADD u 5-0 f v", "XADD u 6-0 f v",
			"XADD u 7-0 f v", "XADD u 8-0 f v", "XADD u 9-0 f v", "XADD u 10-0 f v", "XADD u 11-0 f v",
			"XINFO STREAM u FULL COUNT -1", "XINFO STREAM u FULL COUNT 0",
		)},
		{name: "read-plus-and-dollar", steps: steps(
			"XREAD STREAMS s $", "XADD s 1-0 a 1", "XADD s 2-0 b 2", "XREAD COUNT 5 STREAMS s $",
			"XREAD STREAMS s 1-0", "XREAD STREAMS s 2-0", "XREAD STREAMS s 1", "XDEL s 2-0", "XREAD STREAMS s 1-0",
		)},
	})
}

func TestDiffStreamBlocking(t *testing.T) {
	runSequences(t, []sequence{
		{name: "xread-fifo-and-dollar", steps: steps(
			xblocked(2, "XREAD", "BLOCK", "0", "STREAMS", "s", "t", "$", "$"), xsettle,
			xblocked(3, "XREAD", "COUNT", "1", "BLOCK", "0", "STREAMS", "t", "0"), xsettle,
			"XADD t 1-0 a 1", "@2 !read", "@3 !read",
			xblocked(2, "XREAD", "BLOCK", "0", "STREAMS", "t", "$"), xsettle,
			"MULTI", "XADD t 2-0 a 2", "XADD t 3-0 a 3", "EXEC", "@2 !read",
			"XREAD BLOCK 50 STREAMS t $", "XREAD BLOCK 50 STREAMS nokey 0",
		)},
		{name: "xreadgroup-several-consumers", steps: steps(
			"XGROUP CREATE s g $ MKSTREAM",
			xblocked(2, "XREADGROUP", "GROUP", "g", "c1", "COUNT", "1", "BLOCK", "0", "STREAMS", "s", ">"), xsettle,
			xblocked(3, "XREADGROUP", "GROUP", "g", "c2", "COUNT", "1", "BLOCK", "0", "STREAMS", "s", ">"), xsettle,
			xblocked(4, "XREADGROUP", "GROUP", "g", "c3", "NOACK", "BLOCK", "0", "STREAMS", "s", ">"), xsettle,
			"MULTI", "XADD s 1-0 a 1", "XADD s 2-0 a 2", "XADD s 3-0 a 3", "EXEC", "@2 !read", "@3 !read", "@4 !read",
			"XPENDING s g", "XINFO GROUPS s",
			"MULTI", "XREADGROUP GROUP g c1 BLOCK 0 STREAMS s >", "XREAD BLOCK 0 STREAMS s $", "EXEC",
			xblocked(2, "XREADGROUP", "GROUP", "g", "c1", "BLOCK", "0", "STREAMS", "s", ">"), xsettle,
			"MULTI", "XADD s 4-0 a 4", "XDEL s 4-0", "EXEC", "@2 !read",
		)},
		{name: "unblocked-by-delete-and-destroy", steps: steps(
			"XGROUP CREATE s g $ MKSTREAM",
			xblocked(2, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"), xsettle,
			xblocked(3, "XREAD", "BLOCK", "0", "STREAMS", "s", "$"), xsettle,
			"DEL s", "@2 !read", "XADD s 1-0 a 1", "@3 !read",
			"XGROUP CREATE s g $",
			xblocked(2, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"), xsettle,
			"XGROUP DESTROY s g", "@2 !read",
			"XGROUP CREATE s g $",
			xblocked(2, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"), xsettle,
			"SET s x", "@2 !read",
			"XREADGROUP GROUP g c BLOCK 50 STREAMS s >",
		)},
	})
}
