package integration

import (
	"fmt"
	"math/rand"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A seeded random differential test of the conversions between Lua values
// and Redis replies, both ways, with EVAL on both servers.
//
// Lua -> reply: scripts return a random value (nested arrays with nil
// holes and hash parts, {ok=}, {err=}, {double=}, {map=}, {set=},
// {big_number=}, {verbatim_string=}, tables with several of these fields,
// numbers that truncate or overflow, booleans, nil, binary strings, the
// results of redis.status_reply and redis.error_reply), directly, through
// a function, from pcall, or raised with error(); with and without
// redis.setresp(3), on a RESP2 or a RESP3 client.
//
// Reply -> Lua: scripts call redis.call and redis.pcall with random
// commands over a small key space, with and without redis.setresp(3), and
// serialise what Lua received (every value with its type, tables with
// their keys sorted), a batch of commands per script; when a batch differs
// each command runs alone and the first that differs is reported. Some
// scripts return the converted value directly, so the round trip is
// compared as well.
//
// The protocol of the client follows the seed (2 + seed&1), so a replay
// runs in the same one. PETREL_DIFF_SEED=n replays one seed;
// PETREL_DIFF_COMMANDS=n changes the number of scripts per seed.
//
// The generator stays away from what is known and accepted to differ: the
// order a hash table's keys are visited in (Petrel keeps insertion order,
// Lua 5.1 hashes), so a {map=} or {set=} returned to the client has one
// key, or keys only in its array part (built positionally); a map or set
// from a command (HGETALL, SMEMBERS in RESP3) is returned directly only
// when it has at most one entry, and otherwise serialised with sorted
// keys; and an array reply of set members is sorted in Lua before it is
// serialised. Random commands (SPOP, SRANDMEMBER, HRANDFIELD with a count
// other than 0) are not generated. A verbatim string's format has at least
// three bytes (Redis copies three bytes of it whatever its length). A
// table raised with error() always has a string err field (Redis 7.0
// reads a missing one as a NULL C string). Negative zeros are made at run
// time, -#'' (steer O of diff_lua_random_test.go: a -0 numeral merges with
// a 0 constant in Lua 5.1, so 1/0 in the same script becomes -inf).

func TestDiffLuaRepliesRandom(t *testing.T) {
	runSeeds(t, randomSeeds(t, 1, 2, 3, 4), randomBudget(t, 800, 200), runLuaRepliesRandom)
}

// repliesPrelude defines the helpers of the reply -> Lua scripts. ser
// writes a value with its type (numbers both as tostring and with %.17g),
// and a table with its keys sorted. srt sorts an array of set members in
// place. direct returns a command's converted reply to the client as it
// is, unless it holds a map or set of several entries, whose order would
// differ: that is serialised instead.
var repliesPrelude = luaSer(8) + `local function show(...)
  local out = {}
  for i = 1, select('#', ...) do out[i] = ser((select(i, ...)), 0) end
  return select('#', ...) .. '#' .. table.concat(out, ' | ')
end
local function srt(v)
  if type(v) == 'table' and type(v[1]) == 'string' then table.sort(v) end
  return v
end
local function many(v)
  if type(v) ~= 'table' then return false end
  for _, f in ipairs({'map', 'set'}) do
    if type(v[f]) == 'table' then
      local n = 0
      for _ in pairs(v[f]) do n = n + 1 end
      if n > 1 then return true end
    end
  end
  for _, x in pairs(v) do if many(x) then return true end end
  return false
end
local function direct(v)
  if many(v) then return ser(v) end
  return v
end
local R = {}
`

func runLuaRepliesRandom(t *testing.T, seed int64, proto, budget int) {
	eval := luaEval(t, proto, 20*time.Second)
	g := &replyGen{dice: dice{rand.New(rand.NewSource(seed))}, proto: proto}
	var history []string
	fail := func(n int, script, msg string) {
		from := max(0, len(history)-25)
		script = strings.Replace(script, repliesPrelude, "<prelude: ser, show, srt, many, direct>\n", 1)
		t.Fatalf("seed %d (client RESP%d): first difference at script %d; replay with PETREL_DIFF_SEED=%d\nscript:\n%s\n%s\n--- preceding scripts ---\n%s",
			seed, proto, n, seed, script, msg, strings.Join(history[from:], "\n"))
	}
	short := func(script string) string {
		return strings.Replace(script, repliesPrelude, "<prelude> ", 1)
	}
	deadline := time.Now().Add(25 * time.Second)
	for n := 0; n < budget && time.Now().Before(deadline); n++ {
		var script string
		switch g.intn(10) {
		case 0, 1, 2, 3:
			script = g.toReplyScript()
		case 4, 5:
			script = g.directScript()
		default:
			// A batch of commands, each serialised as Lua received it.
			resp3 := g.one(2)
			calls := make([]string, 2+g.intn(8))
			for i := range calls {
				calls[i] = g.serCall()
			}
			script = repliesBatch(resp3, calls)
			history = append(history, fmt.Sprintf("%5d  batch%s:\n         %s", n+1, map[bool]string{true: " (setresp 3)"}[resp3], strings.Join(calls, "\n         ")))
			if msg := eval(script, fmt.Sprintf("batch script %d", n+1)); msg != "" {
				// The batch's commands changed the data: replay them one by
				// one is not possible on the same servers, so the batch is
				// reported, with the first call that differs when run
				// alone right after (often the same difference).
				for _, c := range calls {
					one := repliesBatch(resp3, []string{c})
					if msg1 := eval(one, "EVAL of "+c); msg1 != "" {
						fail(n+1, script, msg+"\n--- the first call differing alone afterwards ---\n"+c+"\n"+msg1)
					}
				}
				fail(n+1, script, msg+"\n(no call differs alone afterwards)")
			}
			continue
		}
		history = append(history, fmt.Sprintf("%5d  %s", n+1, short(script)))
		if msg := eval(script, "EVAL "+truncate(short(script), 300)); msg != "" {
			fail(n+1, script, msg)
		}
	}
}

// repliesBatch is a script that runs each call and returns what Lua
// received, serialised, one line per call.
func repliesBatch(resp3 bool, calls []string) string {
	var b strings.Builder
	b.WriteString(repliesPrelude)
	if resp3 {
		b.WriteString("redis.setresp(3)\n")
	}
	for _, c := range calls {
		fmt.Fprintf(&b, "R[#R + 1] = %s\n", c)
	}
	b.WriteString("return table.concat(R, '\\n')")
	return b.String()
}

type replyGen struct {
	dice
	proto int
	xid   int // the last stream ID generated, so most XADDs succeed
}

// ---- Lua -> reply

// num is a number literal: integers, fractions that truncate, negatives,
// huge values, infinities and NaNs.
func (g *replyGen) num() string {
	switch g.intn(10) {
	case 0:
		return strconv.Itoa(g.intn(2001) - 1000)
	case 1:
		return paren(strconv.FormatFloat((g.rng.Float64()*2-1)*pow10(g.intn(30)-10), 'g', -1, 64))
	case 2:
		// A negative zero, made at run time (steer O of
		// diff_lua_random_test.go: a -0 numeral merges with a 0 constant
		// in Lua 5.1, so 1/0 in the same script is -inf).
		return "(-#'')"
	default:
		return g.pick("0", "1", "-1", "3.7", "(-3.7)", "0.5", "(-0.5)", "0.99999", "1e15", "1e20", "(-1e20)",
			"2^53", "(2^53+1)", "2^63", "(-2^63)", "(2^63-1024)", "2^64", "(1/0)", "(-1/0)", "(0/0)", "(-(0/0))",
			"9007199254740993", "123456789.99", "1e-300", "0.1", "1e308", "(-1e308)", "2^31", "(-2^31-0.5)",
			"4294967296.5", "1.7976931348623157e308", "5e-324", "100", "1e16", "12345678912345.5")
	}
}

// str is a string literal, often with binary bytes or line breaks.
func (g *replyGen) str() string { return luaQuote(g.rawStr()) }

func (g *replyGen) rawStr() string {
	return (g.pick("", "a", "abc", "OK", "PONG", "x y", "\x00", "a\x00b", "\r\n", "a\r\nb", "a\nb", "\r",
		"\xff\xfe", "\xc3\xa9", "-ERR x", "ERR", "WRONGTYPE bad", "-", "- x", "-CODE", "1.5", "10", "-7", "nan", "inf",
		"txt", "mkd:x", "12345678901234567890", "-123", "1e5", "1\r\n2", " lead", "trail\n", "\n"))
}

// errStr is an error text: with or without a code, a leading minus,
// line breaks.
func (g *replyGen) errStr() string { return luaQuote(g.rawErr()) }

func (g *replyGen) rawErr() string {
	return (g.pick("ERR x", "MYERR something bad", "single", "-NEG code", "-x", "", " ", "ERR", "a\r\nb",
		"trailing\r\n", "ERR a\nb", "-", "NOSCRIPT x", "x\x00y", "WRONGTYPE Operation", "-ERR  two  spaces", "\xff"))
}

// scalar is a value that is not a table.
func (g *replyGen) scalar() string {
	switch g.intn(10) {
	case 0, 1, 2:
		return g.num()
	case 3, 4, 5:
		return g.str()
	case 6:
		return g.pick("true", "false")
	case 7:
		return "nil"
	case 8:
		if g.one(3) {
			return "redis.status_reply(" + g.pick("", "5", "'a', 'b'", "nil", "{}") + ")"
		}
		return "redis.status_reply(" + g.str() + ")"
	default:
		if g.one(3) {
			return "redis.error_reply(" + g.pick("", "5", "'a', 'b'", "nil", "{}") + ")"
		}
		return "redis.error_reply(" + g.errStr() + ")"
	}
}

// special is a table the reply conversion treats specially.
func (g *replyGen) special(d int) string {
	var l []string
	for _, f := range g.fields(d) {
		l = append(l, f.text)
	}
	return "{" + strings.Join(l, ", ") + "}"
}

// field is a field of a table constructor; kind names the special field
// it is when its value has the type Redis looks for ("" otherwise).
type field struct {
	kind, text string
}

// fields are the fields of a special table.
func (g *replyGen) fields(d int) []field {
	switch g.intn(13) {
	case 0:
		return []field{{"", "ok=" + g.pick(g.str(), g.str(), g.num(), "true", "{}")}}
	case 1:
		e := g.errStr()
		return []field{{"", "err=" + g.pick(e, e, g.num(), "false", "{}")}}
	case 2:
		return []field{{"", "double=" + g.pick(g.num(), g.num(), g.num(), "'1.5'", "true", "{}")}}
	case 3:
		return []field{{"", "big_number=" + g.pick(g.str(), "'12345678901234567890123'", "'-1'", "'1\\r\\n2'", g.num(), "{}")}}
	case 4:
		text, ok := g.verbatim()
		kind := ""
		if ok {
			kind = "verbatim"
		}
		return []field{{kind, "verbatim_string={" + text + "}"}}
	case 5, 6:
		return []field{{"mapset", "map=" + g.mapBody(d-1)}}
	case 7, 8:
		return []field{{"mapset", "set=" + g.setBody(d-1)}}
	case 9:
		// Several special fields: Redis looks at err, ok, double,
		// big_number, verbatim_string, map, set in that order.
		var fs []field
		for n := 2 + g.intn(2); n > 0; n-- {
			fs = append(fs, g.fields(d-1)...)
		}
		return fs
	case 10:
		// An array with special fields besides.
		fs := []field{{"", g.value(d - 1)}, {"", g.value(d - 1)}}
		return append(fs, g.fields(d-1)...)
	case 11:
		return []field{{"", g.pick("map", "set", "verbatim_string", "ok", "err", "double") + "=" + g.pick("'x'", "5", "true", "{}", "{1}")}}
	default:
		return []field{{"", g.pick("map={}", "set={}", "verbatim_string={}", "verbatim_string={format='txt'}",
			"verbatim_string={string='x'}", "OK='x'", "Err='x'", "['err ']='x'")}}
	}
}

// verbatim is the body of a verbatim_string table; ok reports that its
// format and string are both strings.
func (g *replyGen) verbatim() (string, bool) {
	format := g.pick("'txt'", "'mkd'", "'txt'", "'abcd'", "'xyz!'", "'a:b'")
	if !g.one(8) {
		return "format=" + format + ", string=" + g.str(), true
	}
	switch g.intn(4) {
	case 0:
		return "format=5, string='x'", false
	case 1:
		return "format='txt', string=5", false
	case 2:
		return "format='txt', string={}", false
	default:
		return "string='x', format='txt', extra=1", true
	}
}

// mapBody is the table of a {map=}: one key, or keys in the array part
// only, so both servers visit them in the same order.
func (g *replyGen) mapBody(d int) string {
	switch g.intn(4) {
	case 0:
		return "{}"
	case 1:
		return "{[" + g.mapKey() + "]=" + g.value(d) + "}"
	case 2:
		return "{" + g.pick("a", "k", "ok", "err", "map", "double", "x_y") + "=" + g.value(d) + "}"
	default:
		var l []string
		for n := 1 + g.intn(4); n > 0; n-- {
			l = append(l, g.nonNil(d))
		}
		return "{" + strings.Join(l, ", ") + "}"
	}
}

func (g *replyGen) mapKey() string {
	return g.pick("'a'", "''", "'\\0'", "1", "2", "1.5", "-3", "true", "false", "{}", "{1, 2}", "{ok='s'}", "{err='E e'}",
		"2^63", "(1/0)", "0.5")
}

func (g *replyGen) setBody(d int) string {
	switch g.intn(3) {
	case 0:
		return "{}"
	case 1:
		return "{[" + g.mapKey() + "]=" + g.pick("true", "false", "1", "'x'") + "}"
	default:
		var l []string
		for n := 1 + g.intn(4); n > 0; n-- {
			l = append(l, g.nonNil(d))
		}
		return "{" + strings.Join(l, ", ") + "}"
	}
}

// nonNil is a value for the array part of a map or set: a nil would leave
// a hole, and the keys after it in the hash part.
func (g *replyGen) nonNil(d int) string {
	for {
		if v := g.value(d); v != "nil" {
			return v
		}
	}
}

// value is a random Lua value of depth up to d.
func (g *replyGen) value(d int) string {
	if d <= 0 || g.one(3) {
		return g.scalar()
	}
	switch g.intn(6) {
	case 0, 1:
		var l []string
		for n := g.intn(6); n > 0; n-- {
			l = append(l, g.value(d-1))
		}
		return "{" + strings.Join(l, ", ") + "}"
	case 2:
		// Holes, and a hash part Redis ignores.
		var l []string
		for n := 1 + g.intn(4); n > 0; n-- {
			l = append(l, g.value(d-1))
		}
		kv := g.value(d - 1)
		switch g.intn(3) {
		case 0:
			l = append(l, "x="+kv)
		case 1:
			l = append(l, "["+strconv.Itoa(len(l)+2)+"]="+kv)
		default:
			l = append(l, "nil", g.value(d-1))
		}
		return "{" + strings.Join(l, ", ") + "}"
	default:
		return g.special(d)
	}
}

// toReplyScript returns a random value to the client, in one of several
// ways.
func (g *replyGen) toReplyScript() string {
	pre := ""
	if g.one(2) {
		pre = "redis.setresp(3) "
	}
	v := g.value(3)
	switch g.intn(12) {
	case 0:
		return pre + "return (function() return " + v + " end)()"
	case 1:
		return pre + "local ok, r = pcall(function() return " + v + " end) return r"
	case 2:
		return pre + "return {pcall(function() return " + v + " end)}"
	case 3:
		// A value raised and caught.
		return pre + "local ok, e = pcall(function() error(" + v + ", 0) end) return e"
	case 4:
		return pre + "return {pcall(error, " + v + ", 0)}"
	case 5:
		// Errors raised out of the script.
		switch g.intn(5) {
		case 0:
			return pre + "error(" + g.str() + ", 0)"
		case 1:
			return pre + "error(" + g.str() + ")"
		case 2:
			return pre + "error({err=" + g.errStr() + "})"
		case 3:
			return pre + "return error(redis.error_reply(" + g.errStr() + "))"
		default:
			return pre + "error({err=" + g.errStr() + ", " + g.pick("source='x'", "line=3", "source='s', line=7", "ok='y'") + "})"
		}
	case 6:
		// A value from a redis.call error, caught.
		return pre + "local ok, e = pcall(redis.call, " + g.pick("'NOSUCH'", "'GET'", "'INCR', 'ks'", "'LPUSH', 'ks', 'x'", "'SET', 'ks'") + ") return " + g.pick("e", "{ok, e}", "e.err", "{e, "+v+"}")
	case 7:
		// Deep nesting.
		return pre + "local t = " + v + " for i = 1, " + g.pick("10", "100", "300") + " do t = {t} end return t"
	default:
		return pre + "return " + v
	}
}

// ---- Reply -> Lua

var replyKeys = []string{"ks", "kn", "kh", "kl", "kz", "kS", "kx", "kf", "missing"}

// key is usually the key of the command's type, sometimes any key (a
// wrong type, or a missing key).
func (g *replyGen) key(own string) string {
	if g.one(6) {
		return luaQuote(replyKeys[g.intn(len(replyKeys))])
	}
	return luaQuote(own)
}

// arg is a command argument: usually a string, sometimes a Lua number
// (which Redis writes as text) or a value of another type.
func (g *replyGen) arg() string {
	switch g.intn(12) {
	case 0:
		return g.pick("0.1", "1.5", "1e20", "2^53", "(-#'')", "1/3", "1e-5", "123456789012345678", "-7", "(0/0)", "(1/0)", "3")
	case 1:
		if g.one(3) {
			return g.pick("true", "{}", "nil", "false")
		}
		return g.str()
	default:
		return luaQuote(g.pick("a", "b", "c", "10", "1.5", "", "x y", "\x00\xff", "-3", "9223372036854775807", "0.1", "007", " 5"))
	}
}

func (g *replyGen) member() string {
	return luaQuote(g.pick("a", "b", "c", "d", "1", "2", "10", "", "\xff"))
}

func (g *replyGen) score() string {
	return luaQuote(g.pick("1", "2", "1.5", "-3", "0.1", "inf", "-inf", "+inf", "1e300", "0", "-0", "3.0", "1e-7", "123456789012345678", "nan", "x"))
}

func (g *replyGen) field() string {
	return luaQuote(g.pick("f", "g", "h", "1", "", "n"))
}

func (g *replyGen) xid1() string {
	switch g.intn(6) {
	case 0:
		return g.pick("'0-0'", "'1-1'", "'x'", "'5'", "'18446744073709551615-18446744073709551615'")
	default:
		g.xid += 1 + g.intn(3)
		return "'" + strconv.Itoa(g.xid) + "-" + strconv.Itoa(g.intn(3)) + "'"
	}
}

// command is the argument list of a random command, in Lua.
func (g *replyGen) command() string {
	switch g.intn(40) {
	case 0:
		return "'SET', " + g.key("ks") + ", " + g.arg()
	case 1:
		return "'GET', " + g.key("ks")
	case 2:
		return "'INCR', " + g.key("kn")
	case 3:
		return "'INCRBY', " + g.key("kn") + ", " + g.pick("'5'", "'-100'", "'9223372036854775807'", "'-9223372036854775808'", "'4611686018427387904'", "7", "'x'", "1.5")
	case 4:
		return "'INCRBYFLOAT', " + g.key("kf") + ", " + g.pick("'1.5'", "'-0.25'", "'1e300'", "'0.1'", "'3'", "'inf'", "'x'", "'1e-20'", "0.1", "'-1e300'")
	case 5:
		return "'SET', " + g.key("kn") + ", " + g.pick("'9007199254740993'", "'-1'", "'100'", "'4611686018427387904'", "'0'")
	case 6, 7:
		s := "'HSET', " + g.key("kh")
		for n := 1 + g.intn(2); n > 0; n-- {
			s += ", " + g.field() + ", " + g.arg()
		}
		return s
	case 8:
		return "'HGETALL', " + g.key("kh")
	case 9:
		return "'HRANDFIELD', " + g.key("kh") + ", " + g.pick("'0'", "0")
	case 10:
		return "'HGET', " + g.key("kh") + ", " + g.field()
	case 11:
		return "'HINCRBYFLOAT', " + g.key("kh") + ", " + g.field() + ", " + g.pick("'1.5'", "'0.1'", "'-2'")
	case 12, 13:
		s := "'" + g.pick("LPUSH", "RPUSH") + "', " + g.key("kl")
		for n := 1 + g.intn(3); n > 0; n-- {
			s += ", " + g.arg()
		}
		return s
	case 14:
		return "'LRANGE', " + g.key("kl") + ", " + g.pick("0", "'0'", "'1'", "'-2'") + ", " + g.pick("-1", "'-1'", "'2'", "'0'")
	case 15:
		return "'LPOP', " + g.key("kl") + g.pick("", "", ", '2'", ", '0'")
	case 16, 17:
		s := "'SADD', " + g.key("kS")
		for n := 1 + g.intn(3); n > 0; n-- {
			s += ", " + g.member()
		}
		return s
	case 18:
		return "'" + g.pick("SMEMBERS", "SINTER", "SUNION") + "', " + g.key("kS")
	case 19:
		return "'SISMEMBER', " + g.key("kS") + ", " + g.member()
	case 20, 21:
		s := "'ZADD', " + g.key("kz")
		if g.one(5) {
			return s + ", 'INCR', " + g.score() + ", " + g.member()
		}
		for n := 1 + g.intn(2); n > 0; n-- {
			s += ", " + g.score() + ", " + g.member()
		}
		return s
	case 22:
		return "'ZRANGE', " + g.key("kz") + ", '0', '-1'" + g.pick(", 'WITHSCORES'", ", 'WITHSCORES'", "")
	case 23:
		return "'ZSCORE', " + g.key("kz") + ", " + g.member()
	case 24:
		return "'" + g.pick("ZINCRBY", "ZINCRBY") + "', " + g.key("kz") + ", " + g.score() + ", " + g.member()
	case 25:
		return "'" + g.pick("ZPOPMIN", "ZPOPMAX") + "', " + g.key("kz") + g.pick("", ", '2'")
	case 26, 27:
		s := "'XADD', " + g.key("kx") + ", " + g.xid1()
		for n := 1 + g.intn(2); n > 0; n-- {
			s += ", " + g.field() + ", " + g.arg()
		}
		return s
	case 28:
		return "'XRANGE', " + g.key("kx") + ", '-', '+'" + g.pick("", ", 'COUNT', '2'")
	case 29:
		return "'XREAD', 'COUNT', '2', 'STREAMS', " + g.key("kx") + ", " + g.pick("'0'", "'0-0'", "'99999'")
	case 30:
		return "'TYPE', " + g.key("ks")
	case 31:
		return "'EXISTS', " + g.key("ks") + ", " + g.key("kh")
	case 32:
		if g.one(3) {
			return "'DEL', " + g.key("ks")
		}
		return "'ECHO', " + g.arg()
	case 33:
		return "'PING'" + g.pick("", ", 'hello'", ", ''")
	case 34:
		return "'OBJECT', 'ENCODING', " + g.key(replyKeys[g.intn(len(replyKeys))])
	case 35:
		// Unknown commands, wrong arity, bad arguments.
		return g.pick("'NOSUCH'", "'nosuch', 'x'", "'GET'", "'SET', 'ks'", "'HSET', 'kh', 'f'", "'ZADD', 'kz', 'x', 'm'",
			"'INCR', 'ks', 'x'", "'LRANGE', 'kl', 'a', 'b'", "'XADD', 'kx'", "'OBJECT', 'NOSUCH'", "'PING', 'a', 'b'",
			"'ECHO'", "'EXISTS'", "'SUBSCRIBE', 'c'", "'MULTI'", "'EVAL', 'return 1', '0'", "'get', 'ks'")
	case 36:
		return "'" + g.pick("LPOP", "ZPOPMIN", "GET", "HGET", "XREAD") + "', " + g.pick("'missing'", "'missing', '2'", "'missing', 'f'", "'COUNT', '1', 'STREAMS', 'missing', '0'")
	case 37:
		return "'INFO', 'nosuchsection'"
	case 38:
		return "'ZRANGEBYSCORE', " + g.key("kz") + ", '-inf', '+inf', 'WITHSCORES', 'LIMIT', '0', '2'"
	default:
		return "'" + g.pick("LLEN", "HLEN", "SCARD", "ZCARD", "XLEN", "STRLEN") + "', " + g.key(replyKeys[g.intn(len(replyKeys))])
	}
}

// serCall is a call whose result the script serialises.
func (g *replyGen) serCall() string {
	c := g.command()
	wrap := "show"
	if isSetRead(c) {
		if g.one(2) {
			return "show(pcall(function() return srt(redis.call(" + c + ")) end))"
		}
		return "show(srt(redis.pcall(" + c + ")))"
	}
	switch g.intn(5) {
	case 0:
		return wrap + "(pcall(redis.call, " + c + "))"
	case 1:
		// A nested conversion: the reply as an element of a table.
		return wrap + "({redis.pcall(" + c + ")})"
	default:
		return wrap + "(redis.pcall(" + c + "))"
	}
}

// directScript returns a command's converted reply to the client.
func (g *replyGen) directScript() string {
	pre := ""
	if g.one(2) {
		pre = "redis.setresp(3)\n"
	}
	fn := g.pick("redis.call", "redis.pcall")
	body := "return direct(" + g.call(fn) + ")"
	if g.one(4) {
		// Two conversions in one reply.
		body = "local a = " + g.call(fn) + " local b = " + g.call(fn) + " return {direct(a), direct(b)}"
	}
	return repliesPrelude + pre + body
}

// call is a call of a random command with fn; set members are sorted.
func (g *replyGen) call(fn string) string {
	c := g.command()
	if isSetRead(c) {
		return "srt(" + fn + "(" + c + "))"
	}
	return fn + "(" + c + ")"
}

func isSetRead(c string) bool {
	return strings.HasPrefix(c, "'SMEMBERS'") || strings.HasPrefix(c, "'SINTER'") || strings.HasPrefix(c, "'SUNION'")
}
