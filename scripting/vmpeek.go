package scripting

import (
	"math"
	"reflect"
	"unsafe"

	lua "github.com/yuin/gopher-lua"
)

// Lua 5.1 names the variable behind a runtime error ("attempt to call
// global 'KEYS' (a table value)") from the erroring instruction and the
// registers it read. gopher-lua keeps both but exports neither: a frame's
// instruction counter sits in Debug's unexported frame, the registers in
// LState's unexported registry. These functions find them through
// reflection, and only read them. They depend on gopher-lua v1.1.2's
// layout; TestRuntimeErrorsNameTheirVariable fails if an upgrade moves the
// fields, and every caller copes with ok false by giving the message
// without a name.

// debugFrame returns the call frame dbg describes.
func debugFrame(dbg *lua.Debug) (reflect.Value, bool) {
	frame := reflect.ValueOf(dbg).Elem().FieldByName("frame")
	if !frame.IsValid() || frame.Kind() != reflect.Pointer || frame.IsNil() {
		return reflect.Value{}, false
	}
	return frame.Elem(), true
}

// framePosition returns the index of the instruction dbg's Lua function
// is executing and the register its R(0) is.
func framePosition(dbg *lua.Debug) (pc, base int, ok bool) {
	f, ok := debugFrame(dbg)
	if !ok {
		return 0, 0, false
	}
	pcField, baseField := f.FieldByName("Pc"), f.FieldByName("LocalBase")
	if !pcField.IsValid() || !baseField.IsValid() || pcField.Kind() != reflect.Int || baseField.Kind() != reflect.Int {
		return 0, 0, false
	}
	return int(pcField.Int()) - 1, int(baseField.Int()), true
}

// registerValue returns register i (absolute) of L. Reflection finds the
// register; the value is read through its address, since reflection
// hands out no value from an unexported field.
func registerValue(L *lua.LState, i int) (lua.LValue, bool) {
	reg := reflect.ValueOf(L).Elem().FieldByName("reg")
	if !reg.IsValid() || reg.Kind() != reflect.Pointer || reg.IsNil() {
		return nil, false
	}
	array := reg.Elem().FieldByName("array")
	if !array.IsValid() || array.Kind() != reflect.Slice || i < 0 || i >= array.Len() {
		return nil, false
	}
	slot := array.Index(i)
	if slot.Type() != reflect.TypeFor[lua.LValue]() {
		return nil, false
	}
	v := *(*lua.LValue)(unsafe.Pointer(slot.UnsafeAddr()))
	if v == nil {
		v = lua.LNil
	}
	return v, true
}

// regValue describes the value in one of the interpreter's registers:
// its Lua type, and whether an arithmetic operation converts it to a number
// (a number, or a string that reads as one).
type regValue struct {
	typ     string
	numeric bool
	text    bool // a string or a number: what concatenation takes
}

// register describes register i (absolute) of L.
func register(L *lua.LState, i int) (regValue, bool) {
	v, ok := registerValue(L, i)
	if !ok {
		return regValue{}, false
	}
	rv := regValue{typ: v.Type().String()}
	switch x := v.(type) {
	case lua.LString:
		_, rv.numeric = luaStrToNumber(string(x))
		rv.text = true
	case lua.LNumber:
		rv.numeric, rv.text = true, true
	}
	return rv, true
}

// frameArgs returns how many arguments dbg's function was called with.
func frameArgs(dbg *lua.Debug) (int, bool) {
	f, ok := debugFrame(dbg)
	if !ok {
		return 0, false
	}
	n := f.FieldByName("NArgs")
	if !n.IsValid() || n.Kind() != reflect.Int {
		return 0, false
	}
	return int(n.Int()), true
}

// callersCall reports whether every frame that called dbg's, down to the
// bottom of its thread, is a Lua function executing a call instruction:
// whether dbg's function was reached by calls alone, not through a Go
// function or a call the VM makes itself (a metamethod, a for-in
// iterator). ok is false where the frames cannot be read.
func callersCall(dbg *lua.Debug) (calls, ok bool) {
	frame, ok := debugFrame(dbg)
	if !ok {
		return false, false
	}
	fnType := reflect.TypeFor[*lua.LFunction]()
	for f := frame.FieldByName("Parent"); !f.IsNil(); f = f.Elem().FieldByName("Parent") {
		fnField, pcField := f.Elem().FieldByName("Fn"), f.Elem().FieldByName("Pc")
		if !fnField.IsValid() || fnField.Type() != fnType || !pcField.IsValid() || pcField.Kind() != reflect.Int {
			return false, false
		}
		fn := *(**lua.LFunction)(unsafe.Pointer(fnField.UnsafeAddr()))
		pc := int(pcField.Int()) - 1
		if fn == nil || fn.IsG || fn.Proto == nil || pc < 0 || pc >= len(fn.Proto.Code) {
			return false, true
		}
		if op := int(fn.Proto.Code[pc] >> 26); op != lua.OP_CALL && op != lua.OP_TAILCALL {
			return false, true
		}
	}
	return true, true
}

// tableHasSlot reports whether key has a slot in t, holding a value or
// cleared during a traversal: the keys Lua 5.1's next accepts. gopher-lua's
// Next treats any other key as the first, so next(t, "absent") went on
// from there. The array part is t's unexported array, the rest its
// unexported key index, k2i.
func tableHasSlot(t *lua.LTable, key lua.LValue) (has, ok bool) {
	v := reflect.ValueOf(t).Elem()
	array, k2i := v.FieldByName("array"), v.FieldByName("k2i")
	if !array.IsValid() || array.Kind() != reflect.Slice || !k2i.IsValid() || k2i.Kind() != reflect.Map ||
		k2i.Type().Key() != reflect.TypeFor[lua.LValue]() {
		return false, false
	}
	if n, isNum := key.(lua.LNumber); isNum && n >= 1 && float64(n) == math.Trunc(float64(n)) && float64(n) <= float64(array.Len()) {
		return true, true
	}
	if k2i.IsNil() {
		return false, true
	}
	return k2i.MapIndex(reflect.ValueOf(&key).Elem()).IsValid(), true
}

// frameNRet locates, once, the current call frame of an LState and the
// results its caller wants (NRet: 0 for a call statement, -1 for all), as
// offsets into gopher-lua's unexported structs, so that redis.call can skip
// making a reply no one reads. ok is false if v1.1.2's layout has moved.
var frameNRet = func() (frame, nret uintptr, ok bool) {
	f, found := reflect.TypeFor[lua.LState]().FieldByName("currentFrame")
	if !found || f.Type.Kind() != reflect.Pointer || f.Type.Elem().Kind() != reflect.Struct {
		return 0, 0, false
	}
	n, found := f.Type.Elem().FieldByName("NRet")
	if !found || n.Type.Kind() != reflect.Int {
		return 0, 0, false
	}
	return f.Offset, n.Offset, true
}

var frameOffset, nretOffset, frameNRetOK = frameNRet()

// resultsDiscarded reports whether the code calling the Go function L runs
// keeps none of its results: a call statement, or a tail call of one.
func resultsDiscarded(L *lua.LState) bool {
	if !frameNRetOK {
		return false
	}
	frame := *(*unsafe.Pointer)(unsafe.Add(unsafe.Pointer(L), frameOffset))
	return frame != nil && *(*int)(unsafe.Add(frame, nretOffset)) == 0
}
