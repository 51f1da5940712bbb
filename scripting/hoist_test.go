package scripting

import (
	"slices"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

func TestHoistingLeavesNoGlobalReadInTheMainChunk(t *testing.T) {
	p, err := compile("for i = 1, 5 do redis.call('INCR', KEYS[1]) redis.call('GET', ARGV[1]) end local f = function() return KEYS end return f", "user_script")
	if err != nil {
		t.Fatal(err)
	}
	h := hoistGlobals(p)
	if h == nil {
		t.Fatal("a chunk reading globals was not hoisted")
	}
	for pc, inst := range h.proto.Code {
		if int(inst>>instOpShift) == lua.OP_GETGLOBAL {
			t.Fatalf("instruction %d still reads a global", pc)
		}
	}
	want := []hoistedVal{{global: "redis", field: "call"}, {global: "KEYS"}, {global: "ARGV"}, {closure: 1}}
	if !slices.Equal(h.vals, want) || h.keys != 1 || h.argv != 2 {
		t.Fatalf("values %v keys %d argv %d", h.vals, h.keys, h.argv)
	}
	// the compiled script itself is left as it was
	found := false
	for _, inst := range p.Code {
		found = found || int(inst>>instOpShift) == lua.OP_GETGLOBAL
	}
	if !found {
		t.Fatal("hoisting changed the original chunk")
	}
}

// Globals read through upvalues give what the lookups gave, in each of the
// three environments, in nested functions (which keep their lookups), and
// a missing global still raises Redis's error. Replies as Redis 7.0.15 gave
// them.
func TestHoistedGlobalsReadAsLookupsDo(t *testing.T) {
	for _, c := range []struct{ script, want string }{
		{"return {type(redis.call), KEYS[1], ARGV[1], tostring(string.len('abc'))}", "*4\r\n$8\r\nfunction\r\n$1\r\nk\r\n$1\r\na\r\n$1\r\n3\r\n"},
		// envReal: the script assigns to a table it made
		{"local t = {} t.x = KEYS[1] return {t.x, ARGV[1], math.max(1, 2)}", "*3\r\n$1\r\nk\r\n$1\r\na\r\n:2\r\n"},
		// envProxy: the script assigns a global (which fails)
		{"local ok = pcall(function() KEYS = {} end) return {ok and 1 or 0, KEYS[1], ARGV[1]}", "*3\r\n:0\r\n$1\r\nk\r\n$1\r\na\r\n"},
		{"local ok, err = pcall(function() redis = 1 end) return {err, type(redis)}", "*2\r\n$49\r\nuser_script:1: Attempt to modify a readonly table\r\n$5\r\ntable\r\n"},
		{"local function f() return KEYS[1] .. ARGV[1] end return f() .. KEYS[1]", "$3\r\nkak\r\n"},
		{"return _G.KEYS[1] .. KEYS[1]", "$2\r\nkk\r\n"},
		{"return _G.KEYS == KEYS and _G.redis == redis", ":1\r\n"},
		{"local x = KEYS[1] return nosuch", "-ERR user_script:1: Script attempted to access nonexistent global variable 'nosuch' script: a48592cb99b7e9c3871833e6556ef3c6124579bd, on @user_script:1.\r\n"},
	} {
		e := NewEngine()
		for run := range 2 { // the second run reuses the interpreter's function
			if got := evalReply(t, e, 2, c.script, []string{"k"}, []string{"a"}); got != c.want {
				t.Errorf("%s (run %d): got %q want %q", c.script, run, got, c.want)
			}
		}
	}
}

// Hoisting is invisible: each script replies exactly as its unhoisted
// chunk does, errors and their positions included.
func TestHoistingChangesNoReply(t *testing.T) {
	scripts := []string{
		"return redis.call('PING')",
		"return {redis.pcall('GET', KEYS[1]), string.format('%d-%s', 5, ARGV[1])}",
		"local r = 0 for i = 1, 3 do if redis.call('PING') and i > 1 then r = r + i end end return r",
		"local t = {} for i = 1, 3 do t[i] = (i % 2 == 0) and string.rep('x', i) or redis.sha1hex(tostring(i)) end return t",
		"return tostring.x",
		"return redis.nosuch()",
		"return _G.nosuch",
		"return _G.redis.call('PING')",
		"return KEYS.x",
		"KEYS.x = 'set' return KEYS.x",
		"local redis = {call = function() return 'mine' end} return redis.call()",
		"return math.huge > 1 and cjson.encode({1, 2}) or bit.band(3, 1)",
		"while true do if redis.call('PING') then break end end return 1",
		"return nosuch.call()",
		"return #KEYS + #ARGV",
		"local ok, e = pcall(function() return string.nosuch(1) end) return e",
		"error(redis.error_reply('my error'))",
		"return redis.call('GET')",
		"local t = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, string.len('abc')} return t[52]",
		"local a, b, c = 1, 2, 3 local x = a b = c return {x, b, redis.status_reply('OK')}",
		// functions hoisted, and functions that capture what changes
		strings.Replace(preludeScript(5), "KEYS[1]", "'nosuch'", 1),
		"local function f(n) if n > 0 then return n + f(n - 1) end return 0 end return f(4)",
		"local function f() return 1 end local function g() f = function() return 2 end end local a = f() g() return {a, f()}",
		"local function f() end local t = {[f] = 1} return t[f]",
		"local rcall = redis.call local function f() end return f.x",
		"local rcall = redis.call local function f() end return rcall.x + 1",
		"local rcall = redis.call local function f() end return #f",
		"local function f() return KEYS[1] .. ARGV[1] end local function g() return f() end return g()",
		"local n = 0 local function inc() n = n + 1 return n end inc() return inc()",
		"local function counter() local n = 0 return function() n = n + 1 return n end end local c = counter() c() return c()",
		"local s = string.format local function f(x) return s('%d', x) end return f(7)",
		"local f = function(...) return select('#', ...) end return f(1, nil, 3)",
		"local a = redis.call local b = redis.call local function f() return a == b end return f()",
		"local function f() end local function g() end return f == g",
		"local x = nosuch local function f() return x end return f()",
		"local function f() error('in f') end local function g() f() end g()",
		"local function f() return nosuch end return f()",
		"local x local function f() return x end local a = f() x = redis.call return {a == nil and 1 or 0, f() == redis.call and 1 or 0}",
		"local rcall if ARGV[1] == 'a' then rcall = redis.call end local function f() return type(rcall) end return f()",
		"if #KEYS > 0 then end local n = 3 local function f(k) return n * k end return f(2)",
		"local function f() end local function g() f = nil end local function h() return f end g() return type(h())",
		"local r = {} for i = 1, 3 do local function g() return i end r[i] = g() end return r",
	}
	hoistedEngine, plainEngine := NewEngine(), NewEngine()
	for _, script := range scripts {
		s, err := plainEngine.Load([]byte(script))
		if err != nil {
			t.Fatalf("%s: %s", script, err.Msg)
		}
		s.hoist = nil
		for run := range 2 {
			want := evalReply(t, plainEngine, 2, script, []string{"k"}, []string{"a"})
			if got := evalReply(t, hoistedEngine, 2, script, []string{"k"}, []string{"a"}); got != want {
				t.Errorf("%s (run %d): got %q, unhoisted %q", script, run, got, want)
			}
		}
	}
}

// KEYS and ARGV get new tables between runs when a script changed theirs
// beyond their elements; read as fields of _G they must not be fixed.
func TestGlobalsTableFieldsFollowNewKeysAndArgv(t *testing.T) {
	e := NewEngine()
	for i, c := range []struct {
		script string
		keys   []string
		want   string
	}{
		{"local t = {} t.x = 1 return KEYS[1]", []string{"k1"}, "$2\r\nk1\r\n"},
		{"return _G.KEYS[1] .. _G.ARGV[1]", []string{"k2"}, "$4\r\nk2a2\r\n"},
		{"KEYS.z = 1 ARGV.z = 1 return KEYS[1]", []string{"k3"}, "$2\r\nk3\r\n"},
		{"return _G.KEYS[1] .. _G.ARGV[1]", []string{"k4"}, "$4\r\nk4a4\r\n"},
		{"return _G.KEYS[1] .. _G.ARGV[1]", []string{"k5"}, "$4\r\nk5a5\r\n"},
	} {
		argv := []string{"a" + c.keys[0][1:]}
		if got := evalReply(t, e, 2, c.script, c.keys, argv); got != c.want {
			t.Errorf("run %d, %s: got %q want %q", i, c.script, got, c.want)
		}
	}
}

// A function is made once per interpreter when the chunk makes it once
// per run and every local it captures holds a fixed value from before:
// written once, by code that runs once, from a fixed global, a constant
// or such a function, and by no function through an upvalue.
func TestFunctionsMadeOncePerRunFromFixedLocalsAreHoisted(t *testing.T) {
	for _, c := range []struct {
		script string
		want   int // functions hoisted
	}{
		{preludeScript(30), 30},
		{"local function f() end local function g() return f() end return g()", 2},
		{"local function f(n) if n > 0 then return f(n - 1) end return 0 end return f(3)", 1},
		{"local rcall = redis.call local f = function() return rcall('PING') end return f()", 1},
		{"local n = 10 local function f() return n end return f()", 1},
		{"local a, b = redis.call, redis.pcall local function f() return a, b end return 1", 1},
		{"(function() end)() return 1", 1},
		// a local written per run, or after the function is made
		{"local k = KEYS[1] local function f() return k end return f()", 0},
		{"local rcall = redis.call local k = KEYS[1] local function f() return rcall('GET', k) end local function g() return rcall('PING') end return g()", 1},
		{"local t = {} local function f() return t end return f()", 0},
		{"local function f() end local function g() return f end f = nil return g()", 1},
		{"local function f() return f end f = nil return 1", 0},
		{"local a = redis.call local function f() return a end a = nil return f()", 0},
		{"local x local function f() return x end local a = f() x = redis.call return f()", 0},
		// a local a function writes through an upvalue, or a function it makes does
		{"local function f() end local function g() f = nil end local function h() return f end return 1", 1},
		{"local function f() end local function g() return function() f = 1 end end local function h() return f end return 1", 1},
		// after a branch, in one, in loops
		{"if ARGV[1] then end local rcall = redis.call local function f() return rcall end return f()", 1},
		{"local rcall if ARGV[1] then rcall = redis.call end local function f() return rcall end return f()", 0},
		{"if ARGV[1] then local function f() end end return 1", 0},
		{"for i = 1, 2 do local function f() end end return 1", 0},
		{"while ARGV[1] do local function f() end break end return 1", 0},
		{"local function f() end for i = 1, 2 do local function g() return f end end return 1", 1},
	} {
		p, err := compile(c.script, "user_script")
		if err != nil {
			t.Fatalf("%s: %v", c.script, err)
		}
		got := 0
		if h := hoistGlobals(p); h != nil {
			got = len(h.closures)
		}
		if got != c.want {
			t.Errorf("%s: %d functions hoisted, want %d", c.script, got, c.want)
		}
	}
}
