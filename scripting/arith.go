package scripting

import (
	"math"

	lua "github.com/yuin/gopher-lua"
)

// luaMod is Lua 5.1's % (luai_nummod): a - floor(a/b)*b, where gopher-lua
// takes fmod's remainder, which differs for fractions (1 % 0.1 is 0, not
// 0.1), quotients past 2^53 and infinities; on numbers or strings that
// convert as Lua converts them ("010" is ten), else the operands' __mod.
var luaMod = numberArith("__mod", luaModNumbers)

// luaModNumbers is Lua 5.1's remainder of two numbers.
func luaModNumbers(x, y float64) float64 { return x - math.Floor(x/y)*y }

// luaPow is Lua 5.1's ^: numPow (C's pow), where gopher-lua's VM takes
// Go's math.Pow, which differs in the last digits; on numbers or strings
// as luaMod.
var luaPow = numberArith("__pow", numPow)

// luaUnm is Lua 5.1's unary minus: of a number, of a string that converts
// as Lua converts it, else the operand's __unm, called as Lua calls it
// with the operand twice.
func luaUnm(L *lua.LState) int {
	v := L.Get(1)
	if f, ok := toNumberC(v); ok {
		L.Push(lua.LNumber(-f))
		return 1
	}
	return arithMeta(L, "__unm", v, v)
}

// arithMeta is Lua 5.1's call_binTM for an operation on a and b that are
// not both numbers: the metamethod for event of the first that is not a
// string (strings have none in Lua; the string metatable's here are
// numberArith), else of the second, called with both. Without one it
// raises gopher-lua's wording of the error, which errnames.go rewords,
// naming the operand as Lua does; a metamethod that is not callable fails
// as a call.
func arithMeta(L *lua.LState, event string, a, b lua.LValue) int {
	var tm lua.LValue = lua.LNil
	for _, v := range [2]lua.LValue{a, b} {
		if _, isStr := v.(lua.LString); !isStr && tm == lua.LNil {
			tm = L.GetMetaField(v, event)
		}
	}
	switch {
	case tm == lua.LNil && event == "__unm":
		L.RaiseError("__unm undefined")
	case tm == lua.LNil:
		L.RaiseError("cannot perform %s operation between %s and %s", event[2:], a.Type(), b.Type())
	case !callable(L, tm):
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

// gopher-lua's VM, meeting a string operand of + - * / or ^, looks for the
// operands' metamethod before it converts strings, and converts them with
// Go's syntax ("010" is 8, "1_0" is ten, "1e400" is no number). So the
// string metatable holds these events (hidden from getmetatable), which
// convert as Lua 5.1 does (toNumberC) and compute as the VM would.
// The constant folding of the tree rewrite (gopherConst) computes the
// same operations, by their operators.
var stringArithEvents = []struct {
	operator, event string
	op              func(x, y float64) float64
}{
	{"+", "__add", func(x, y float64) float64 { return x + y }},
	{"-", "__sub", func(x, y float64) float64 { return x - y }},
	{"*", "__mul", func(x, y float64) float64 { return x * y }},
	{"/", "__div", func(x, y float64) float64 { return x / y }},
	{"^", "__pow", numPow},
}

// stringArithFns are stringArithEvents as Lua values, shared by every
// interpreter as the hidden functions are.
var stringArithFns = func() map[string]*lua.LFunction {
	fns := make(map[string]*lua.LFunction, len(stringArithEvents))
	for _, ev := range stringArithEvents {
		fns[ev.event] = &lua.LFunction{IsG: true, GFunction: numberArith(ev.event, ev.op)}
	}
	return fns
}()

// numberArith is Lua 5.1's arithmetic operation op, whose metamethod is
// event: op on two operands that convert to numbers, else arithMeta.
func numberArith(event string, op func(x, y float64) float64) lua.LGFunction {
	return func(L *lua.LState) int {
		a, b := L.Get(1), L.Get(2)
		x, okA := toNumberC(a)
		y, okB := toNumberC(b)
		if okA && okB {
			L.Push(lua.LNumber(op(x, y)))
			return 1
		}
		return arithMeta(L, event, a, b)
	}
}

// stringArithFn reports whether f is one of the string metatable's
// arithmetic metamethods.
func stringArithFn(f lua.LValue) bool {
	for _, fn := range stringArithFns {
		if f == lua.LValue(fn) {
			return true
		}
	}
	return false
}
