package scripting

import (
	"math"

	lua "github.com/yuin/gopher-lua"
)

// luaMod is Lua 5.1's % (luai_nummod): a - floor(a/b)*b, where gopher-lua
// takes fmod's remainder, which differs for fractions (1 % 0.1 is 0, not
// 0.1), quotients past 2^53 and infinities; on numbers or strings that
// convert as Lua converts them ("010" is ten), else the operands' __mod.
func luaMod(L *lua.LState) int {
	a, b := L.Get(1), L.Get(2)
	x, okA := toNumberC(a)
	y, okB := toNumberC(b)
	if okA && okB {
		L.Push(lua.LNumber(x - math.Floor(x/y)*y))
		return 1
	}
	tm := L.GetMetaField(a, "__mod")
	if tm == lua.LNil {
		tm = L.GetMetaField(b, "__mod")
	}
	if tm == lua.LNil {
		// errnames.go words it, naming the operand as Lua does
		L.RaiseError("cannot perform mod operation between %s and %s", a.Type(), b.Type())
	}
	if !callable(L, tm) {
		// Lua calls whatever the metatable holds, and fails as a call
		L.RaiseError("%s", uncallable(tm))
	}
	L.Push(tm)
	L.Push(a)
	L.Push(b)
	L.Call(2, 1)
	return 1
}

// forNumber is a numeric for's bound as Lua 5.1's FORPREP reads it: a
// string holding a number is that number. Anything else stays as it is,
// for gopher-lua's FORPREP to refuse in Lua's words ("'for' limit must be
// a number").
func forNumber(L *lua.LState) int {
	v := L.Get(1)
	if _, ok := v.(lua.LString); ok {
		if f, ok := toNumberC(v); ok {
			v = lua.LNumber(f)
		}
	}
	L.Push(v)
	return 1
}
