package scripting

import (
	"reflect"

	lua "github.com/yuin/gopher-lua"
)

// Lua 5.1 names the variable behind a runtime error ("attempt to call
// global 'KEYS' (a table value)") from the erroring instruction and the
// registers it read. gopher-lua keeps both but exports neither: a frame's
// instruction counter sits in Debug's unexported frame, the registers in
// LState's unexported registry. These functions read them through
// reflection, which may read unexported fields though not change them. They
// depend on gopher-lua v1.1.2's layout; TestRuntimeErrorsNameTheirVariable
// fails if an upgrade moves the fields, and every caller copes with ok
// false by giving the message without a name.

// framePosition returns the index of the instruction dbg's Lua function
// is executing and the register its R(0) is.
func framePosition(dbg *lua.Debug) (pc, base int, ok bool) {
	frame := reflect.ValueOf(dbg).Elem().FieldByName("frame")
	if !frame.IsValid() || frame.Kind() != reflect.Pointer || frame.IsNil() {
		return 0, 0, false
	}
	f := frame.Elem()
	pcField, baseField := f.FieldByName("Pc"), f.FieldByName("LocalBase")
	if !pcField.IsValid() || !baseField.IsValid() || pcField.Kind() != reflect.Int || baseField.Kind() != reflect.Int {
		return 0, 0, false
	}
	return int(pcField.Int()) - 1, int(baseField.Int()), true
}

// registerInterface returns register i as the reflected interface value it
// holds.
func registerInterface(L *lua.LState, i int) (reflect.Value, bool) {
	reg := reflect.ValueOf(L).Elem().FieldByName("reg")
	if !reg.IsValid() || reg.Kind() != reflect.Pointer || reg.IsNil() {
		return reflect.Value{}, false
	}
	array := reg.Elem().FieldByName("array")
	if !array.IsValid() || array.Kind() != reflect.Slice || i < 0 || i >= array.Len() {
		return reflect.Value{}, false
	}
	v := array.Index(i)
	if v.Kind() != reflect.Interface {
		return reflect.Value{}, false
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

var (
	typeLString  = reflect.TypeOf(lua.LString(""))
	typeLNumber  = reflect.TypeOf(lua.LNumber(0))
	typeLBool    = reflect.TypeOf(lua.LBool(false))
	typeLTable   = reflect.TypeOf((*lua.LTable)(nil))
	typeFunction = reflect.TypeOf((*lua.LFunction)(nil))
	typeUserData = reflect.TypeOf((*lua.LUserData)(nil))
	typeThread   = reflect.TypeOf((*lua.LState)(nil))
)

// register reads register i (absolute) of L.
func register(L *lua.LState, i int) (regValue, bool) {
	v, ok := registerInterface(L, i)
	if !ok {
		return regValue{}, false
	}
	if v.IsNil() {
		return regValue{typ: "nil"}, true
	}
	v = v.Elem()
	switch v.Type() {
	case typeLString:
		_, isNum := luaStrToNumber(v.String())
		return regValue{typ: "string", numeric: isNum, text: true}, true
	case typeLNumber:
		return regValue{typ: "number", numeric: true, text: true}, true
	case typeLBool:
		return regValue{typ: "boolean"}, true
	case typeLTable:
		return regValue{typ: "table"}, true
	case typeFunction:
		return regValue{typ: "function"}, true
	case typeUserData:
		return regValue{typ: "userdata"}, true
	case typeThread:
		return regValue{typ: "thread"}, true
	}
	return regValue{typ: "nil"}, true // LNil, gopher-lua's only other value
}

// registerMetafield returns field event of the metatable of the table or
// userdata in register i, if it has one.
func registerMetafield(L *lua.LState, i int, event string) (lua.LValue, bool) {
	v, ok := registerInterface(L, i)
	if !ok || v.IsNil() {
		return nil, false
	}
	var mt lua.LValue
	switch e := v.Elem(); e.Type() {
	case typeLTable:
		mt = (*lua.LTable)(e.UnsafePointer()).Metatable
	case typeUserData:
		mt = (*lua.LUserData)(e.UnsafePointer()).Metatable
	default:
		return nil, false
	}
	tbl, ok := mt.(*lua.LTable)
	if !ok {
		return nil, false
	}
	if tm := tbl.RawGetString(event); tm != lua.LNil {
		return tm, true
	}
	return nil, false
}

// frameArgs returns how many arguments dbg's function was called with.
func frameArgs(dbg *lua.Debug) (int, bool) {
	frame := reflect.ValueOf(dbg).Elem().FieldByName("frame")
	if !frame.IsValid() || frame.Kind() != reflect.Pointer || frame.IsNil() {
		return 0, false
	}
	n := frame.Elem().FieldByName("NArgs")
	if !n.IsValid() || n.Kind() != reflect.Int {
		return 0, false
	}
	return int(n.Int()), true
}
