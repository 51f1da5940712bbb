package scripting

import (
	"runtime"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// Boxed numbers are ordinary LNumber values, equal to what was boxed,
// across slab boundaries and after a collection.
func TestNumBoxGivesPlainNumbers(t *testing.T) {
	var b numBox
	var vals []lua.LValue
	for i := 0; i < 3*numSlabLen+7; i++ {
		vals = append(vals, b.box(lua.LNumber(i)-0.5))
	}
	runtime.GC()
	for i, v := range vals {
		n, ok := v.(lua.LNumber)
		if !ok || n != lua.LNumber(i)-0.5 || v.Type() != lua.LTNumber {
			t.Fatalf("value %d: got %#v (%v)", i, v, v.Type())
		}
		if v != lua.LValue(lua.LNumber(i)-0.5) {
			t.Fatalf("value %d does not compare equal to its number", i)
		}
	}
}
