package scripting

import (
	"math"

	lua "github.com/yuin/gopher-lua"
)

// Redis's Lua math.random is its own lrand48: a 48-bit linear congruential
// generator shared by every script, seeded once per server (Redis 7.0 no
// longer reseeds it for each script), and reseeded by math.randomseed.
const (
	rand48Seed = 0x1234ABCD330E
	rand48A    = 0x5DEECE66D
	rand48C    = 0xB
	rand48Mask = 1<<48 - 1
	rand48Max  = 0x7fffffff
)

func (e *Engine) lrand48() int64 {
	e.rngMu.Lock()
	e.rng = (e.rng*rand48A + rand48C) & rand48Mask
	r := int64(e.rng >> 17)
	e.rngMu.Unlock()
	return r
}

func (e *Engine) mathRandom(L *lua.LState) int {
	r := float64(e.lrand48()%rand48Max) / float64(rand48Max)
	switch L.GetTop() {
	case 0:
		L.Push(lua.LNumber(r))
	case 1:
		// Bounds are C ints (luaL_checkint), so 2^31 wraps below 1.
		u := checkInt(L, 1)
		if u < 1 {
			argError(L, 1, "interval is empty")
		}
		L.Push(lua.LNumber(math.Floor(r*float64(u)) + 1))
	case 2:
		l, u := checkInt(L, 1), checkInt(L, 2)
		if l > u {
			argError(L, 2, "interval is empty")
		}
		L.Push(lua.LNumber(math.Floor(r*float64(u-l+1)) + float64(l))) // u-l+1 wraps as C's int does
	default:
		libRaise(L, "wrong number of arguments")
	}
	return 1
}

func (e *Engine) mathRandomseed(L *lua.LState) int {
	seed := checkInt(L, 1)
	e.rngMu.Lock()
	e.rng = (uint64(uint32(seed))<<16 | 0x330E) & rand48Mask
	e.rngMu.Unlock()
	return 0
}
