package integration

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"
)

// TestDiffLuaTableOrderRandom builds tables of random string keys, after
// an array part or not, by a constructor, by assignments, by both, or by
// cjson.decode, and shows them in the order Lua's next visits their keys:
// through pairs, next, cjson.encode, cmsgpack.pack and an {map=...} reply.
// Lua 5.1 visits them in the order of its hash nodes, which Petrel
// reproduces for such tables (scripting/tableorder.go), with keys removed
// after the last was added, some set again, and keys set to nil where the
// table had none (t.k = nil, or a nil value in a map cmsgpack.unpack
// decodes), which take a node in Lua, and keys removed between additions.
// Not generated: a key removed or set to nil where there was none, then set
// again before the end (Lua's collector decides whether it keeps its
// node), and integer keys set after string keys, whose order Petrel does
// not follow.
func TestDiffLuaTableOrderRandom(t *testing.T) {
	runSeeds(t, randomSeeds(t, 1, 2), randomBudget(t, 400, 100), runLuaTableOrderRandom)
}

func runLuaTableOrderRandom(t *testing.T, seed int64, proto, budget int) {
	eval := luaEval(t, proto, 10*time.Second)
	g := dice{rand.New(rand.NewSource(seed))}
	name := func() string {
		const alpha = "abcdefghijklmnopqrstuvwxyz_ABCXYZ"
		var b strings.Builder
		b.WriteByte(alpha[g.intn(len(alpha))])
		for i, n := 0, g.intn(12); i < n; i++ {
			b.WriteByte("abcdefghijklmnopqrstuvwxyz_0123456789"[g.intn(37)])
		}
		return b.String()
	}
	seen := map[string]bool{}
	// fresh is a name no key of this table has: a key set to nil
	fresh := func() string {
		for {
			if s := name(); !seen[s] {
				seen[s] = true
				return s
			}
		}
	}
	for n := 1; n <= budget; n++ {
		clear(seen)
		var keys []string
		for i, k := 0, 1+g.intn(40); i < k; i++ {
			if s := name(); !seen[s] {
				seen[s] = true
				keys = append(keys, s)
			}
		}
		split := g.intn(len(keys) + 1)
		var fields []string
		items := 0
		if g.one(3) {
			// an array part first
			items = 1 + g.intn(6)
			for i := 0; i < items; i++ {
				fields = append(fields, fmt.Sprintf("'v%d'", i))
			}
		}
		for i, k := range keys[:split] {
			fields = append(fields, fmt.Sprintf("%s = %d", k, i))
		}
		build := "local t = {" + strings.Join(fields, ", ") + "}\n"
		switch {
		case items > 0 && g.one(2):
			build = fmt.Sprintf("local t = {}\nfor i = 1, %d do t[i] = i end\n", items)
			for i, k := range keys[:split] {
				build += fmt.Sprintf("t.%s = %d\n", k, i)
			}
		case items == 0 && g.one(4):
			build = "local t = cjson.decode('{" + jsonFields(keys[:split]) + "}')\n"
		case items == 0 && g.one(3):
			var fs []mpField
			for i, k := range keys[:split] {
				for g.one(4) {
					fs = append(fs, mpField{fresh(), -1})
				}
				fs = append(fs, mpField{k, i})
			}
			build = "local t = cmsgpack.unpack('" + mpMapLiteral(fs) + "')\n"
		}
		dead, removing := g.one(3), g.one(3)
		removed := map[string]bool{}
		for i, k := range keys[split:] {
			for dead && g.one(4) {
				build += fmt.Sprintf("t.%s = nil\n", fresh())
			}
			if removing && g.one(4) {
				// a key removed between additions, not set again
				if r := keys[g.intn(split+i+1)]; !removed[r] && r != k {
					removed[r] = true
					build += fmt.Sprintf("t.%s = nil\n", r)
				}
			}
			build += fmt.Sprintf("t.%s = %d\n", k, split+i)
		}
		if g.one(3) {
			// keys removed after the last was added, some set again
			for _, k := range keys {
				if !removed[k] && g.one(3) {
					build += fmt.Sprintf("t.%s = nil\n", k)
					if g.one(3) {
						build += fmt.Sprintf("t.%s = true\n", k)
					}
				}
			}
		}
		show := g.pick(
			"local o = {} for k, v in pairs(t) do o[#o + 1] = k .. '=' .. v end return table.concat(o, ' ')",
			"local o = {} local k = next(t) while k do o[#o + 1] = k k = next(t, k) end return table.concat(o, ' ')",
			"return cjson.encode(t)",
			"return cjson.encode({inner = t, n = 1})",
			"local s = cmsgpack.pack(t) return (string.gsub(s, '.', function(c) return string.format('%02x', string.byte(c)) end))",
			"return {map = t}",
		)
		script := build + show
		if msg := eval(script, fmt.Sprintf("script %d:\n%s", n, script)); msg != "" {
			t.Fatalf("seed %d: replay with PETREL_DIFF_SEED=%d\n%s", seed, seed, msg)
		}
	}
}

// jsonFields is keys as the fields of a JSON object, each its index.
func jsonFields(keys []string) string {
	fields := make([]string, len(keys))
	for i, k := range keys {
		fields[i] = fmt.Sprintf(`"%s":%d`, k, i)
	}
	return strings.Join(fields, ",")
}

// mpField is a key of a msgpack map and its value, nil when below 0.
type mpField struct {
	key   string
	value int
}

// mpMapLiteral is the msgpack map of fields (short keys, values below
// 128) as the body of a Lua string literal.
func mpMapLiteral(fields []mpField) string {
	var b []byte
	if len(fields) < 16 {
		b = append(b, 0x80|byte(len(fields)))
	} else {
		b = append(b, 0xde, byte(len(fields)>>8), byte(len(fields)))
	}
	for _, f := range fields {
		b = append(b, 0xa0|byte(len(f.key)))
		b = append(b, f.key...)
		if f.value < 0 {
			b = append(b, 0xc0)
		} else {
			b = append(b, byte(f.value))
		}
	}
	var lit strings.Builder
	for _, c := range b {
		fmt.Fprintf(&lit, "\\%d", c)
	}
	return lit.String()
}
