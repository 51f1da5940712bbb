package scripting

import (
	"unsafe"

	lua "github.com/yuin/gopher-lua"
)

// numBox turns numbers into Lua values without a heap allocation each.
// Converting an LNumber to an LValue makes Go box the float64 on the heap
// (8 bytes, one allocation per command reply a script receives); numBox
// hands out slots of a slab instead, as gopher-lua's VM does for its own
// arithmetic. A slab lives as long as any value boxed in it.
type numBox struct {
	slab []lua.LNumber
}

const numSlabLen = 256

// iface is the layout of a non-empty interface value.
type iface struct {
	tab  unsafe.Pointer
	data unsafe.Pointer
}

// numberTab is the interface table of LNumber as an LValue, read from a
// boxed number once at start-up; it never changes after.
var numberTab = func() unsafe.Pointer {
	var v lua.LValue = lua.LNumber(0)
	return (*iface)(unsafe.Pointer(&v)).tab
}()

// box returns n as an LValue.
func (b *numBox) box(n lua.LNumber) lua.LValue {
	if len(b.slab) == 0 {
		b.slab = make([]lua.LNumber, numSlabLen)
	}
	p := &b.slab[0]
	*p = n
	b.slab = b.slab[1:]
	var v lua.LValue
	*(*iface)(unsafe.Pointer(&v)) = iface{tab: numberTab, data: unsafe.Pointer(p)}
	return v
}
