package scripting

import (
	"math"

	lua "github.com/yuin/gopher-lua"
)

// bit is LuaBitOp 1.0 as Redis bundles it: 32-bit operations on Lua
// numbers, results as signed 32-bit numbers.

// openBit builds the bit table.
func openBit(L *lua.LState) *lua.LTable {
	t := L.CreateTable(0, 12)
	for _, f := range []struct {
		name string
		fn   lua.LGFunction
	}{
		{"tobit", func(L *lua.LState) int { return bitReturn(L, bitArg(L, 1)) }},
		{"bnot", func(L *lua.LState) int { return bitReturn(L, ^bitArg(L, 1)) }},
		{"band", func(L *lua.LState) int { return bitFold(L, func(a, b uint32) uint32 { return a & b }) }},
		{"bor", func(L *lua.LState) int { return bitFold(L, func(a, b uint32) uint32 { return a | b }) }},
		{"bxor", func(L *lua.LState) int { return bitFold(L, func(a, b uint32) uint32 { return a ^ b }) }},
		{"lshift", func(L *lua.LState) int { return bitShift(L, func(b, n uint32) uint32 { return b << n }) }},
		{"rshift", func(L *lua.LState) int { return bitShift(L, func(b, n uint32) uint32 { return b >> n }) }},
		{"arshift", func(L *lua.LState) int { return bitShift(L, func(b, n uint32) uint32 { return uint32(int32(b) >> n) }) }},
		{"rol", func(L *lua.LState) int { return bitShift(L, func(b, n uint32) uint32 { return b<<n | b>>(32-n) }) }},
		{"ror", func(L *lua.LState) int { return bitShift(L, func(b, n uint32) uint32 { return b<<(32-n) | b>>n }) }},
		{"bswap", bitBswap},
		{"tohex", bitTohex},
	} {
		t.RawSetString(f.name, L.NewFunction(f.fn))
	}
	return t
}

// bitArg is LuaBitOp's barg: the number's low 32 bits after adding
// 2^52+2^51, which rounds to the nearest integer (ties to even) and wraps
// modulo 2^32 (a NaN gives its payload's low bits, as the hardware
// addition keeps them). Anything lua_tonumber cannot read is an error.
func bitArg(L *lua.LState, n int) uint32 {
	var f float64
	ok := n <= L.GetTop()
	if ok {
		f, ok = toNumberC(L.Get(n))
	}
	if !ok {
		typeError(L, n, "number")
	}
	return uint32(math.Float64bits(f + 6755399441055744.0))
}

func bitReturn(L *lua.LState, b uint32) int {
	L.Push(lua.LNumber(int32(b)))
	return 1
}

// bitFold combines every argument with op, reading the first and then the
// others from the last one down, as LuaBitOp does (so errors name the
// last bad argument).
func bitFold(L *lua.LState, op func(a, b uint32) uint32) int {
	b := bitArg(L, 1)
	for i := L.GetTop(); i > 1; i-- {
		b = op(b, bitArg(L, i))
	}
	return bitReturn(L, b)
}

func bitShift(L *lua.LState, op func(b, n uint32) uint32) int {
	b := bitArg(L, 1)
	n := bitArg(L, 2) & 31
	return bitReturn(L, op(b, n))
}

func bitBswap(L *lua.LState) int {
	b := bitArg(L, 1)
	return bitReturn(L, b>>24|(b>>8)&0xff00|(b&0xff00)<<8|b<<24)
}

// bitTohex formats n hex digits (8 by default, at most 8), upper case
// for a negative n.
func bitTohex(L *lua.LState) int {
	b := bitArg(L, 1)
	n := int32(8)
	if L.GetTop() >= 2 {
		n = int32(bitArg(L, 2))
	}
	digits := "0123456789abcdef"
	if n < 0 {
		n = -n
		digits = "0123456789ABCDEF"
	}
	if n > 8 || n < 0 { // -INT_MIN stays negative; Redis's build prints 8 digits
		n = 8
	}
	var buf [8]byte
	for i := n - 1; i >= 0; i-- {
		buf[i] = digits[b&15]
		b >>= 4
	}
	L.Push(lua.LString(buf[:n]))
	return 1
}
