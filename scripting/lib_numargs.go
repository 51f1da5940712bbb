package scripting

import (
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// Lua 5.1's libraries read a number argument with lua_tonumber, which
// takes a string holding a number in Lua's own syntax ("3", " 0x10 ",
// "1e2"), and a string argument with lua_tolstring, which takes a number.
// gopher-lua's integer arguments take no string at all (string.sub(s,
// ARGV[1]) failed), its other number arguments read Go's syntax, where
// "010" is octal and "1_0" is ten, and some string arguments take no
// number. These wrappers convert such arguments as Lua does before
// gopher-lua's function sees them, and refuse what Lua refuses, in Lua's
// words.

// libArgs lists the arguments of one library function to convert.
type libArgs struct {
	str1     bool  // argument 1 is a string, checked first
	numbers  []int // required number arguments
	optional []int // optional number arguments
	all      bool  // every argument is a number, at least one
	strings  []int // optional string arguments
}

// fixedArgs lists, per library ("" for the base library), the functions
// gopher-lua implements whose arguments need converting.
var fixedArgs = map[string]map[string]libArgs{
	"string": {"len": {str1: true}, "reverse": {str1: true}},
	"math": {"abs": one, "acos": one, "asin": one, "atan": one, "atan2": two, "ceil": one, "cos": one,
		"cosh": one, "exp": one, "floor": one, "fmod": two, "frexp": one,
		"log": one, "max": {all: true}, "min": {all: true}, "pow": two,
		"sin": one, "sinh": one, "sqrt": one, "tan": one, "tanh": one},
}

// two is a function of two numbers, read in one C call expression, whose
// arguments Redis's gcc build evaluates right to left: the second is
// checked first (math.fmod() blames argument #2).
var one, two = libArgs{numbers: []int{1}}, libArgs{numbers: []int{2, 1}}

// fixLibraryArgs wraps the functions of fixedArgs in G, and replaces
// string.byte, sub and rep, whose numbers gopher-lua reads otherwise.
func fixLibraryArgs(L *lua.LState, G *lua.LTable) {
	for lib, fns := range fixedArgs {
		t := G
		if lib != "" {
			var ok bool
			if t, ok = G.RawGetString(lib).(*lua.LTable); !ok {
				continue
			}
		}
		for name, args := range fns {
			if fn, ok := t.RawGetString(name).(*lua.LFunction); ok && fn.IsG {
				t.RawSetString(name, L.NewFunction(args.wrap(fn.GFunction)))
			}
		}
	}
	if t, ok := G.RawGetString("string").(*lua.LTable); ok {
		t.RawSetString("byte", L.NewFunction(luaStringByte))
		t.RawSetString("sub", L.NewFunction(luaStringSub))
		t.RawSetString("rep", L.NewFunction(luaStringRep))
	}
}

func (a libArgs) wrap(fn lua.LGFunction) lua.LGFunction {
	return func(L *lua.LState) int {
		if a.str1 {
			L.Replace(1, lua.LString(checkLString(L, 1)))
		}
		if a.all {
			for i := 1; i <= max(1, L.GetTop()); i++ {
				toNumberArg(L, i)
			}
		}
		for _, i := range a.numbers {
			toNumberArg(L, i)
		}
		for _, i := range a.optional {
			if i <= L.GetTop() && L.Get(i) != lua.LNil {
				toNumberArg(L, i)
			}
		}
		for _, i := range a.strings {
			if n, ok := L.Get(i).(lua.LNumber); ok {
				L.Replace(i, lua.LString(luaNumberString(float64(n))))
			}
		}
		return fn(L)
	}
}

// toNumberArg makes argument i a number as luaL_checknumber reads it, or
// raises Lua's error.
func toNumberArg(L *lua.LState, i int) {
	if _, ok := L.Get(i).(lua.LNumber); !ok {
		L.Replace(i, lua.LNumber(checkNumber(L, i)))
	}
}

// luaStringByte is Lua 5.1's string.byte: the codes of s[i..j], j
// defaulting to i, positions counted from the end when negative.
func luaStringByte(L *lua.LState) int {
	s := checkLString(L, 1)
	l := int64(len(s))
	posi := strPos(optInteger(L, 2, 1), l)
	pose := strPos(optInteger(L, 3, posi), l)
	posi = max(posi, 1)
	pose = min(pose, l)
	if posi > pose {
		return 0
	}
	for _, c := range []byte(s[posi-1 : pose]) {
		L.Push(lua.LNumber(c))
	}
	return int(pose - posi + 1)
}

// luaStringSub is Lua 5.1's string.sub: s[i..j], j defaulting to -1,
// positions counted from the end when negative and converted as C
// converts them (a NaN or huge position is the most negative integer, so
// string.sub(s, 0/0) is all of s, where gopher-lua's gave "").
func luaStringSub(L *lua.LState) int {
	s := checkLString(L, 1)
	l := int64(len(s))
	start := max(strPos(checkInteger(L, 2), l), 1)
	end := min(strPos(optInteger(L, 3, -1), l), l)
	if start > end {
		L.Push(lua.LString(""))
	} else {
		L.Push(lua.LString(s[start-1 : end]))
	}
	return 1
}

// luaStringRep is Lua 5.1's string.rep(s, n): n is a C int, as
// luaL_checkint reads it, so 2^31 wraps to a negative count and gives "",
// where gopher-lua's went on to build a 2 GiB string.
func luaStringRep(L *lua.LState) int {
	s := checkLString(L, 1)
	n := checkInt(L, 2)
	if n <= 0 || s == "" {
		L.Push(lua.LString(""))
	} else {
		L.Push(lua.LString(strings.Repeat(s, int(n))))
	}
	return 1
}

// strPos is Lua 5.1's posrelat: a negative position counts from the end.
func strPos(pos, l int64) int64 {
	if pos < 0 {
		pos += l + 1
	}
	return max(pos, 0)
}
