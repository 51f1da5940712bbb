package scripting

import (
	"strconv"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// Tables of string keys, after an array part or not, are visited in the
// order of Lua 5.1's hash nodes, by pairs and next and by cjson.encode,
// cmsgpack.pack and {map=...} replies: built by assignments, by a
// constructor (which makes room for its keyed fields first), by both, or
// by cjson.decode, with keys removed at the end, or removed and set again.
// Replies from Redis 7.0.15.
var tableOrderCases = []libCase{
	{2, `local t = {} for i, k in ipairs({'alpha', 'beta', 'gamma', 'delta', 'eps'}) do t[k] = i end local o = {} for k in pairs(t) do o[#o + 1] = k end return table.concat(o, ',')`, "$26\r\nbeta,eps,delta,gamma,alpha\r\n"},
	{2, `return cjson.encode({name = 'x', age = 3, city = 'y', zip = 1, a = 1, b = 2})`, "$51\r\n{\"a\":1,\"name\":\"x\",\"zip\":1,\"b\":2,\"age\":3,\"city\":\"y\"}\r\n"},
	{2, `local t = {name = 'x', age = 3} t.city = 'y' t.zip = 1 return cjson.encode(t)`, "$39\r\n{\"name\":\"x\",\"city\":\"y\",\"age\":3,\"zip\":1}\r\n"},
	{2, `return cjson.encode(cjson.decode('{"zeta":1,"alpha":2,"mid":3,"omega":4,"beta":5}'))`, "$47\r\n{\"mid\":3,\"beta\":5,\"omega\":4,\"alpha\":2,\"zeta\":1}\r\n"},
	{2, `local s = cmsgpack.pack({name = 'x', age = 3, city = 'y'}) return (string.gsub(s, '.', function(c) return string.format('%02x', string.byte(c)) end))`, "$40\r\n83a463697479a179a46e616d65a178a361676503\r\n"},
	{2, `return {map = {name = 'x', age = 3, city = 'y', zip = 1}}`, "*8\r\n$3\r\nage\r\n:3\r\n$4\r\ncity\r\n$1\r\ny\r\n$4\r\nname\r\n$1\r\nx\r\n$3\r\nzip\r\n:1\r\n"},
	{2, `local t = {x = 1, y = 2, z = 3, w = 4} local o = {} local k = next(t) while k do o[#o + 1] = k k = next(t, k) end return table.concat(o)`, "$4\r\nyxwz\r\n"},
	{2, `local t = {'p', 'q', name = 'x', age = 3, city = 'y', zip = 1} local o = {} for k in pairs(t) do o[#o + 1] = tostring(k) end return table.concat(o, ',')`, "$21\r\n1,2,age,city,name,zip\r\n"},
	{2, `local t = {} for i = 1, 3 do t[i] = i end t.name = 'x' t.age = 3 t.city = 'y' return cjson.encode(t)`, "$49\r\n{\"1\":1,\"2\":2,\"3\":3,\"city\":\"y\",\"age\":3,\"name\":\"x\"}\r\n"},
	{2, `local t = {name = 'x', age = 3, city = 'y', zip = 1, a = 1, b = 2} t.zip = nil t.a = nil return cjson.encode(t)`, "$37\r\n{\"name\":\"x\",\"b\":2,\"age\":3,\"city\":\"y\"}\r\n"},
	{2, `local t = {} t.alpha = 1 t.beta = 2 t.gamma = 3 t.delta = 4 t.eps = 5 t.beta = nil t.eps = nil t.beta = 6 local o = {} for k in pairs(t) do o[#o + 1] = k end return table.concat(o, ',')`, "$22\r\nbeta,delta,gamma,alpha\r\n"},
	// A key set to nil where there was none takes a node, dead: the next
	// growth does not count it, and a key whose main position it is takes
	// the node over. BullMQ's repeat options, as a script and as msgpack.
	{2, `local t = {} t.every = 200 t.limit = 2 t.count = 2 t.offset = nil t.startDate = nil return cjson.encode(t)`, "$33\r\n{\"every\":200,\"count\":2,\"limit\":2}\r\n"},
	{2, `local t = cmsgpack.unpack('\134\165every\100\165limit\2\165count\2\166offset\192\169startDate\192\167endDate\192') return cjson.encode(t)`, "$33\r\n{\"every\":100,\"count\":2,\"limit\":2}\r\n"},
	{2, `local t = cmsgpack.unpack('\136\162l5\0\164w1t5\192\164lyuv\1\166a8wxfx\192\168m9lxgd5f\2\161b\3\169Ai449fz1r\192\171p7s99eqxmkh\4') t.t2miq = nil t.mu0hn27 = 17 local o = {} for k in pairs(t) do o[#o + 1] = k end return table.concat(o, ' ')`, "$38\r\nm9lxgd5f lyuv b p7s99eqxmkh l5 mu0hn27\r\n"},
	{2, `local s = {} local t = setmetatable({}, {__newindex = function(_, k) s[#s + 1] = k end}) t.every = 1 t.limit = 2 t.count = 3 t.offset = nil t.startDate = nil return s`, "*5\r\n$5\r\nevery\r\n$5\r\nlimit\r\n$5\r\ncount\r\n$6\r\noffset\r\n$9\r\nstartDate\r\n"},
	// A key removed (t.k = nil) is dead from then on: a key added after may
	// take its node, and the next growth drops it.
	{2, `local t = {a = 1, b = 2, c = 3} t.b = nil t.d = 4 t.e = 5 return cjson.encode(t)`, "$25\r\n{\"a\":1,\"d\":4,\"c\":3,\"e\":5}\r\n"},
	{2, `local t = {} t.alpha = 1 t.beta = 2 t.gamma = 3 t.alpha = nil t.delta = 4 t.eps = 5 t.zeta = 6 t.eta = 7 t.beta = nil t.theta = 8 return cjson.encode(t)`, "$56\r\n{\"eta\":7,\"theta\":8,\"zeta\":6,\"eps\":5,\"gamma\":3,\"delta\":4}\r\n"},
	{2, "local t\nt.x = nil", "-ERR user_script:2: attempt to index local 't' (a nil value) script: caec9f8a888f5354c11c5f5cc29add049436cc52, on @user_script:2.\r\n"},
}

func TestTablesOfStringKeysGoInLuasOrder(t *testing.T) { runLibCases(t, tableOrderCases) }

// luaStringHash is Lua 5.1's: seeded with the length, at most 32 bytes
// hashed from the end.
func TestLuaStringHash(t *testing.T) {
	for _, c := range []struct {
		s    string
		want uint32
	}{
		{"", 0},
		{"a", 0x80},
		{"ab", 0x1429},
	} {
		if got := luaStringHash(c.s); got != c.want {
			t.Errorf("luaStringHash(%q) = %#x, want %#x", c.s, got, c.want)
		}
	}
}

// BenchmarkLuaKeyOrder is the cost of placing a table's string keys as
// Lua does, paid once per traversal (pairs, cjson.encode).
func BenchmarkLuaKeyOrder(b *testing.B) {
	for _, n := range []int{4, 10, 1000} {
		t := &lua.LTable{}
		for i := 0; i < n; i++ {
			t.RawSetString("key:"+strconv.Itoa(i), lua.LTrue)
		}
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			var sc orderScratch
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				luaKeyOrder(t, tableNote{}, &sc)
			}
		})
	}
}
