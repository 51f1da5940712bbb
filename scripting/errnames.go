package scripting

import (
	"reflect"
	"runtime"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// Lua 5.1 words a runtime error after the operation and, where it can tell,
// the variable that held the bad value: "attempt to index local 'x' (a nil
// value)". It tells that from the bytecode: a local active at the erroring
// instruction, or else the instruction that last loaded the register (a
// global, a field, an upvalue, a method). gopher-lua raises its own texts
// without names; nameRuntimeError rewrites them while the erroring frame
// still exists, in the message handlers of a script's or function's call,
// of a library's loading, of pcall and of xpcall.

// gopher-lua's texts for the errors Lua 5.1 names a variable in.
const (
	gopherCall    = "attempt to call a non-function object"
	gopherIndex   = "attempt to index a non-table object("
	gopherArith   = "cannot perform "
	gopherConcat  = "cannot perform concat operation between "
	gopherUnm     = "__unm undefined"
	gopherLen     = "__len undefined"
	gopherCompare = "attempt to compare "
	gopherArg     = "bad argument #"
)

// nameRuntimeError returns msg, an error raised in the Lua function at
// stack level 1 of L (the handler being level 0), worded as Lua 5.1 words
// it. Messages it does not know, and errors raised in Go functions, come
// back as they were.
func (st *state) nameRuntimeError(L *lua.LState, msg string) string {
	return st.nameRuntimeErrorAt(L, msg, 1)
}

// nameRuntimeErrorAt is nameRuntimeError for an error raised at stack
// level raised: 1 in a message handler, 0 as the error is raised.
func (st *state) nameRuntimeErrorAt(L *lua.LState, msg string, raised int) string {
	prefix, body := splitPosition(msg)
	if strings.HasPrefix(body, gopherArg) {
		return st.nameArgError(L, msg, body, raised)
	}
	verb := ""
	switch {
	case strings.HasPrefix(body, gopherCompare):
		verb = "compare"
	case body == gopherCall:
		verb = "call"
	case strings.HasPrefix(body, gopherIndex):
		verb = "index"
	case strings.HasPrefix(body, gopherConcat):
		verb = "concatenate"
	case strings.HasPrefix(body, gopherArith), body == gopherUnm:
		verb = "perform arithmetic on"
	case body == gopherLen:
		verb = "get length of"
	default:
		return msg
	}
	fn, pc, base, ok := erroringInstruction(L, raised)
	// (% and unary minus compiled as calls call every metamethod they find)
	if ok && (verb == "compare" || verb == "concatenate" ||
		verb == "perform arithmetic on" && instOp(fn.Proto.Code[pc]) != lua.OP_CALL) {
		if tm, found := uncalledMetamethod(L, fn.Proto.Code[pc], base); found {
			// Lua 5.1 calls whatever the metatable holds for the event: a
			// value that is not a function fails as a call, where gopher-lua
			// skips it and fails the operation.
			return prefix + string(uncallable(tm))
		}
	}
	if verb == "compare" {
		// "attempt to compare table with table": Lua 5.1 says "two table
		// values" when both sides have one type; it names no variable.
		rest := body[len(gopherCompare):]
		if l, r, ok := strings.Cut(rest, " with "); ok && l == r {
			return prefix + "attempt to compare two " + l + " values"
		}
		return msg
	}
	if !ok {
		return msg
	}
	code := fn.Proto.Code
	reg, val, ok := badOperand(L, fn.Proto, code[pc], base, verb)
	if !ok {
		return msg
	}
	what := article(val.typ) + " value"
	if verb == "index" {
		// The operand's __index chain may have led to the value that
		// cannot be indexed; Lua names the operand only when it is that
		// value.
		if typ, _, _ := strings.Cut(body[len(gopherIndex):], ")"); typ != val.typ {
			return prefix + "attempt to index " + article(typ) + " value"
		}
	}
	if kind, name := st.objName(fn, pc, reg); kind != "" {
		what = kind + " '" + name + "' (" + what + ")"
	}
	return prefix + "attempt to " + verb + " " + what
}

// splitPosition splits "user_script:1: text" into its position prefix
// (with the ": ") and the text.
func splitPosition(s string) (prefix, body string) {
	if i := strings.Index(s, ": "); i >= 0 && strings.Contains(s[:i], ":") {
		return s[:i+2], s[i+2:]
	}
	return "", s
}

// badOperand finds, for the instruction inst of p that failed with verb, the
// register holding the value Lua 5.1 reports and that value: noRegister
// for a constant, which Lua names not. It reports false when it cannot
// tell, or the instruction is not one that fails so.
func badOperand(L *lua.LState, p *lua.FunctionProto, inst uint32, base int, verb string) (int, regValue, bool) {
	a, b, c := instA(inst), instB(inst), instC(inst)
	at := func(r int) (int, regValue, bool) {
		v, ok := register(L, base+r)
		return r, v, ok
	}
	switch op := instOp(inst); verb {
	case "call":
		if op == lua.OP_CALL || op == lua.OP_TAILCALL {
			return at(a)
		}
	case "index":
		switch op {
		case lua.OP_GETTABLE, lua.OP_GETTABLEKS, lua.OP_SELF:
			return at(b)
		case lua.OP_SETTABLE, lua.OP_SETTABLEKS:
			return at(a)
		}
	case "get length of":
		if op == lua.OP_LEN {
			return at(b)
		}
	case "perform arithmetic on":
		switch op {
		case lua.OP_UNM:
			return at(b)
		case lua.OP_CALL:
			// %, ^ or unary minus compiled as a call (luaMod, luaPow, luaUnm): its
			// arguments
			if r, v, ok := at(a + 1); !ok || !v.numeric {
				return r, v, ok
			}
			return at(a + 2)
		case lua.OP_ADD, lua.OP_SUB, lua.OP_MUL, lua.OP_DIV, lua.OP_MOD, lua.OP_POW:
			// Lua blames the first operand unless it converts to a
			// number; a constant operand has no name.
			if b&rkConst == 0 {
				r, v, ok := at(b)
				if !ok || !v.numeric {
					return r, v, ok
				}
			} else if c&rkConst != 0 {
				return 0, regValue{}, false
			} else if !numericConst(p, b) {
				// a constant string that is no number: Lua blames it
				return noRegister, regValue{typ: "string"}, true
			}
			if c&rkConst == 0 {
				return at(c)
			}
		}
	case "concatenate":
		if b, c, ok := concatOperands(inst); ok {
			// Lua joins from the right, as many strings at once as it can:
			// the pair that fails holds the rightmost value that is not a
			// string or number, or that value and a bad one to its left.
			for r := c; r >= b; r-- {
				v, ok := register(L, base+r)
				if !ok {
					return 0, regValue{}, false
				}
				if v.text {
					continue
				}
				if r == c && r > b {
					if left, ok := register(L, base+r-1); !ok || !left.text {
						return r - 1, left, ok
					}
				}
				return r, v, true
			}
		}
	}
	return 0, regValue{}, false
}

// noRegister is badOperand's register for a constant operand.
const noRegister = -1

// numericConst reports whether constant rk of p is a number or a string
// that converts to one.
func numericConst(p *lua.FunctionProto, rk int) bool {
	i := rk &^ rkConst
	if i >= len(p.Constants) {
		return false
	}
	_, ok := toNumberC(p.Constants[i])
	return ok
}

// concatOperands returns the registers a concatenation joins: CONCAT's B
// to C, or the arguments of the CALL of concatChain that compiled .. stands
// for (concat.go), whose errors are the only ones a CALL raises as a
// concatenation's.
func concatOperands(inst uint32) (b, c int, ok bool) {
	switch instOp(inst) {
	case lua.OP_CONCAT:
		return instB(inst), instC(inst), true
	case lua.OP_CALL:
		if n := instB(inst) - 1; n > 0 {
			return instA(inst) + 1, instA(inst) + n, true
		}
	}
	return 0, 0, false
}

// hiddenFn reports whether f is one of the functions rewritten operations
// call.
func hiddenFn(f lua.LValue) bool {
	for _, fn := range hiddenFns {
		if f == lua.LValue(fn) {
			return true
		}
	}
	return false
}

// arithEvents are the binary arithmetic instructions' metamethods.
var arithEvents = map[int]string{
	lua.OP_ADD: "__add", lua.OP_SUB: "__sub", lua.OP_MUL: "__mul",
	lua.OP_DIV: "__div", lua.OP_MOD: "__mod", lua.OP_POW: "__pow",
}

// erroringInstruction finds the Lua function at stack level raised, the
// index of the instruction it is executing and the register its R(0) is.
func erroringInstruction(L *lua.LState, raised int) (fn *lua.LFunction, pc, base int, ok bool) {
	dbg, ok := L.GetStack(raised)
	if !ok {
		return nil, 0, 0, false
	}
	f, err := L.GetInfo("f", dbg, lua.LNil)
	if hiddenFn(f) || stringArithFn(f) {
		// an operation compiled as a call (rewrite.go), or done by a
		// string's metamethod (arith.go): the caller's instruction is the
		// operation's
		return erroringInstruction(L, raised+1)
	}
	fn, isFn := f.(*lua.LFunction)
	if err != nil || !isFn || fn.IsG || fn.Proto == nil {
		return nil, 0, 0, false
	}
	pc, base, ok = framePosition(dbg)
	if !ok || pc < 0 || pc >= len(fn.Proto.Code) {
		return nil, 0, 0, false
	}
	return fn, pc, base, true
}

// uncalledMetamethod returns the metamethod Lua 5.1 calls for inst, an
// arithmetic, concatenation or comparison gopher-lua failed, when it is
// one gopher-lua could not call. An operator takes the first operand's,
// else the second's; a comparison needs both operands to hold the same
// one (call_orderTM), and a <= without __le falls back to __lt.
func uncalledMetamethod(L *lua.LState, inst uint32, base int) (lua.LValue, bool) {
	b, c := instB(inst), instC(inst)
	meta := func(rk int, event string) lua.LValue {
		if rk&rkConst != 0 {
			return lua.LNil // a number or a string: no operator metamethods
		}
		v, ok := registerValue(L, base+rk)
		if !ok {
			return lua.LNil
		}
		return L.GetMetaField(v, event)
	}
	shared := func(event string) lua.LValue {
		if l := meta(b, event); l != lua.LNil && l == meta(c, event) {
			return l
		}
		return lua.LNil
	}
	var tm lua.LValue = lua.LNil
	switch op := instOp(inst); op {
	case lua.OP_ADD, lua.OP_SUB, lua.OP_MUL, lua.OP_DIV, lua.OP_MOD, lua.OP_POW:
		if tm = meta(b, arithEvents[op]); tm == lua.LNil {
			tm = meta(c, arithEvents[op])
		}
	case lua.OP_UNM:
		tm = meta(b, "__unm")
	case lua.OP_CONCAT, lua.OP_CALL:
		// The pair that fails (see badOperand): the rightmost value that
		// is not text with its left neighbour when it is the last operand,
		// else with the text joined to its right.
		b, c, _ := concatOperands(inst)
		for r := c; r >= b; r-- {
			v, ok := register(L, base+r)
			if !ok {
				return nil, false
			}
			if v.text {
				continue
			}
			if r == c && r > b {
				if tm = meta(r-1, "__concat"); tm == lua.LNil {
					tm = meta(r, "__concat")
				}
			} else {
				tm = meta(r, "__concat")
			}
			break
		}
	case lua.OP_LT:
		tm = shared("__lt")
	case lua.OP_LE:
		if tm = shared("__le"); tm == lua.LNil {
			tm = shared("__lt")
		}
	}
	// A function was called, and the error came after it. A table with
	// __call would be called by Lua 5.1 (gopher-lua cannot): its
	// operation's own message is no worse than a wrong call error.
	if tm == lua.LNil || callable(L, tm) {
		return nil, false
	}
	return tm, true
}

// objName is Lua 5.1's getobjname: what register reg of fn held at
// instruction pc, as a kind ("local", "global", "field", "upvalue",
// "method") and a name, or "" when it cannot tell.
func (st *state) objName(fn *lua.LFunction, pc, reg int) (kind, name string) {
	p := fn.Proto
	if reg == noRegister || !localsKnown(p) {
		// A register may hold a local Lua would name; naming what last
		// set it instead could name the wrong variable.
		return "", ""
	}
	if name, ok := localName(p, reg, pc); ok {
		return "local", name
	}
	last, ok := lastSetter(p, pc, reg)
	if !ok {
		return "", ""
	}
	inst := p.Code[last]
	switch instOp(inst) {
	case lua.OP_GETGLOBAL:
		if name, ok := constString(p, instBx(inst)); ok {
			return "global", name
		}
	case lua.OP_MOVE, lua.OP_MOVEN:
		if b := instB(inst); b < instA(inst) {
			return st.objName(fn, pc, b)
		}
	case lua.OP_GETTABLE, lua.OP_GETTABLEKS:
		return "field", keyName(p, last, instC(inst))
	case lua.OP_SELF:
		return "method", keyName(p, last, instC(inst))
	case lua.OP_GETUPVAL:
		u := instB(inst)
		if h := st.hoistedOf(p); h != nil && u < len(h.vals) {
			// a global or a library's field the chunk reads from an
			// upvalue it was given (see hoisted)
			if v := h.vals[u]; v.closure != 0 || v.konst != 0 {
				return "", "" // made by CLOSURE in the chunk, or a constant
			} else if v.field != "" {
				return "field", v.field
			} else {
				return "global", v.global
			}
		}
		if u < len(p.DbgUpvalues) {
			return "upvalue", p.DbgUpvalues[u]
		}
		return "upvalue", "?"
	}
	return "", ""
}

// localName is the local variable in register reg at instruction pc:
// locals are listed in the order they take registers, each active from its
// StartPc through its EndPc (gopher-lua's EndPc is the scope's last
// instruction, where Lua 5.1's is the one after).
func localName(p *lua.FunctionProto, reg, pc int) (string, bool) {
	n := reg + 1
	for _, l := range p.DbgLocals {
		if l.StartPc > pc {
			break
		}
		if pc <= l.EndPc {
			if n--; n == 0 {
				return l.Name, true
			}
		}
	}
	return "", false
}

// constName is the name Lua 5.1 gives a key operand: the constant string
// it names, else "?".
func constName(p *lua.FunctionProto, rk int) string {
	if rk&rkConst != 0 {
		if name, ok := constString(p, rk&^rkConst); ok {
			return name
		}
	}
	return "?"
}

// keyName is constName for the key operand of the instruction at pc.
// Where Lua 5.1 names a constant key, gopher-lua sometimes loads it into
// a register first (string.gmatch in a for's list): a temporary register
// a LOADK of a string constant set names that string (a local holding one
// is no constant to Lua).
func keyName(p *lua.FunctionProto, pc, rk int) string {
	if rk&rkConst != 0 {
		return constName(p, rk)
	}
	if _, isLocal := localName(p, rk, pc); isLocal {
		return "?"
	}
	if last, ok := lastSetter(p, pc, rk); ok && instOp(p.Code[last]) == lua.OP_LOADK {
		if name, ok := constString(p, instBx(p.Code[last])); ok {
			return name
		}
	}
	return "?"
}

// lastSetter is Lua 5.1's symbolic execution: the last instruction before
// lastpc that set register reg, following forward jumps that do not pass
// lastpc. It reports false when no instruction did (the register is the
// function's argument or was set before a loop's back jump).
func lastSetter(p *lua.FunctionProto, lastpc, reg int) (int, bool) {
	last := -1
	code := p.Code
	for pc := 0; pc < lastpc && pc < len(code); pc++ {
		inst := code[pc]
		op, a, b, c := instOp(inst), instA(inst), instB(inst), instC(inst)
		if setsA(op) && a == reg {
			last = pc
		}
		switch op {
		case lua.OP_LOADNIL:
			if a <= reg && reg <= b {
				last = pc
			}
		case lua.OP_SELF:
			if reg == a+1 {
				last = pc
			}
		case lua.OP_CALL, lua.OP_TAILCALL:
			if reg >= a {
				last = pc
			}
		case lua.OP_TFORLOOP:
			if reg >= a+2 {
				last = pc
			}
		case lua.OP_JMP, lua.OP_FORLOOP, lua.OP_FORPREP:
			if dest := pc + 1 + instBx(inst) - instSbxBias; pc < dest && dest <= lastpc {
				pc = dest - 1
			}
		case lua.OP_SETLIST:
			if c == 0 {
				pc++
			}
		case lua.OP_CLOSURE:
			if bx := instBx(inst); bx < len(p.FunctionPrototypes) {
				pc += int(p.FunctionPrototypes[bx].NumUpvalues)
			}
		}
	}
	return last, last >= 0
}

// setsA reports whether op writes its register A, as Lua 5.1's opcode
// table marks it (TEST and TESTSET included, as Lua 5.1 has them).
func setsA(op int) bool {
	switch op {
	case lua.OP_MOVE, lua.OP_MOVEN, lua.OP_LOADK, lua.OP_LOADBOOL, lua.OP_LOADNIL, lua.OP_GETUPVAL,
		lua.OP_GETGLOBAL, lua.OP_GETTABLE, lua.OP_GETTABLEKS, lua.OP_NEWTABLE, lua.OP_SELF,
		lua.OP_ADD, lua.OP_SUB, lua.OP_MUL, lua.OP_DIV, lua.OP_MOD, lua.OP_POW,
		lua.OP_UNM, lua.OP_NOT, lua.OP_LEN, lua.OP_CONCAT, lua.OP_TEST, lua.OP_TESTSET,
		lua.OP_CALL, lua.OP_TAILCALL, lua.OP_FORLOOP, lua.OP_FORPREP, lua.OP_CLOSURE, lua.OP_VARARG:
		return true
	}
	return false
}

// nameArgError words "bad argument #n to 'f' (...)", raised by the Go
// function at stack level raised, as Lua 5.1's luaL_argerror does: an argument
// past those given is "no value", not nil; the function is named by the
// instruction that called it (a method's arguments are counted without its
// self, and a bad self is "calling 'f' on bad self"); called from a Go
// function (pcall), it is '?' and the message has no position.
func (st *state) nameArgError(L *lua.LState, msg, body string, raised int) string {
	num, rest, ok := strings.Cut(body[len(gopherArg):], " to ")
	n, err := strconv.Atoi(num)
	_, why, ok2 := strings.Cut(rest, " (")
	if !ok || !ok2 || err != nil || !strings.HasSuffix(why, ")") {
		return msg
	}
	why = strings.TrimSuffix(why, ")")
	raiser, ok := L.GetStack(raised)
	if !ok {
		return msg
	}
	f, _ := L.GetInfo("f", raiser, lua.LNil)
	fn, isFn := f.(*lua.LFunction)
	if !isFn || !fn.IsG {
		return msg
	}
	// gopher-lua's own checks say nil for a missing argument; Petrel's
	// library functions word it as their Redis counterparts do already.
	if nargs, ok := frameArgs(raiser); ok && n > nargs && strings.HasSuffix(why, ", got nil") && gopherLuaFunction(fn) {
		why = strings.TrimSuffix(why, "nil") + "no value"
	}
	level := raised + 1
	if st.through[fn] {
		level++ // called on by a wrapper: the wrapper's caller called it
	}
	prefix, name := "", "?"
	if caller, ok := L.GetStack(level); ok {
		cf, _ := L.GetInfo("f", caller, lua.LNil)
		if cfn, ok := cf.(*lua.LFunction); ok && !cfn.IsG && cfn.Proto != nil {
			prefix, _ = splitPosition(msg)
			if pc, _, ok := framePosition(caller); ok && pc >= 0 && pc < len(cfn.Proto.Code) {
				inst := cfn.Proto.Code[pc]
				if op := instOp(inst); op == lua.OP_CALL || op == lua.OP_TAILCALL {
					kind, fname := st.objName(cfn, pc, instA(inst))
					if kind != "" {
						name = fname
					}
					if kind == "method" {
						if n--; n == 0 {
							return prefix + "calling '" + name + "' on bad self (" + why + ")"
						}
					}
				}
			}
		}
	}
	return prefix + gopherArg + strconv.Itoa(n) + " to '" + name + "' (" + why + ")"
}

// gopherLuaFunction reports whether fn is one of gopher-lua's own library
// functions rather than one Petrel wrote.
func gopherLuaFunction(fn *lua.LFunction) bool {
	f := runtime.FuncForPC(reflect.ValueOf(fn.GFunction).Pointer())
	return f != nil && strings.HasPrefix(f.Name(), "github.com/yuin/gopher-lua.")
}
