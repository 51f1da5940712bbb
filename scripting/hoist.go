package scripting

import (
	lua "github.com/yuin/gopher-lua"
)

// A script cannot change its globals: every way to assign one fails
// (SETGLOBAL, rawset on _G, a loadstring chunk's assignment all reach a
// read-only table), and the engine sets KEYS and ARGV only before a run. So
// within a run each global a script reads has one value, and its main chunk
// can read that value from an upvalue filled when the function is made,
// instead of looking the name up in a Go map at every access; redis.call
// in a loop reads two globals per call.
//
// hoisted is a script's main chunk with its GETGLOBAL instructions turned
// into GETUPVAL ones. Where a global read is followed by a read of a
// constant field of it (redis.call, string.format) and the global is a
// read-only library table, the field's value is fixed as well: the pair
// becomes one GETUPVAL and a NOP. Nested functions keep their lookups: their
// upvalues are bound by the closure instruction that makes them.
//
// The functions a chunk's opening statements make are hoisted too (see
// hoistOpening): queue libraries' scripts define dozens of helpers on every
// run, and making them was a tenth of the server's time under BullMQ.
type hoisted struct {
	proto    *lua.FunctionProto
	vals     []hoistedVal     // what each upvalue holds
	closures []hoistedClosure // the functions made once per interpreter
	keys     int              // the upvalue holding KEYS, or -1
	argv     int              // the upvalue holding ARGV, or -1
}

// hoistedVal is what an upvalue holds: a global, a global's field, or
// (closure > 0) the function hoisted.closures[closure-1] makes.
type hoistedVal struct {
	global, field string
	closure       int
}

// hoistedClosure is a function an opening statement made on every run: it
// is made once, when the chunk's function is, from proto, and its upvalue i
// is the chunk's upvalue captures[i].
type hoistedClosure struct {
	proto    *lua.FunctionProto
	up       int // the chunk's upvalue holding it
	captures []int
}

// maxHoisted is how many distinct values a chunk may read from upvalues (a
// function has at most 255); a chunk reading more keeps its lookups.
const maxHoisted = 255

// The fields of gopher-lua's instructions: a 6-bit opcode on top, then A (8
// bits), C (9) and B (9); Bx is C and B together, sBx is Bx less its
// middle, and a B or C with rkConst set names a constant.
const (
	instOpShift = 26
	instAShift  = 18
	instAMask   = 0xff
	instBMask   = 0x1ff
	instCShift  = 9
	instBxMask  = 0x3ffff
	instSbxBias = instBxMask >> 1
	rkConst     = 1 << 8
)

func instOp(inst uint32) int { return int(inst >> instOpShift) }
func instA(inst uint32) int  { return int(inst>>instAShift) & instAMask }
func instB(inst uint32) int  { return int(inst) & instBMask }
func instC(inst uint32) int  { return int(inst>>instCShift) & instBMask }
func instBx(inst uint32) int { return int(inst & instBxMask) }

func makeABC(op, a, b, c int) uint32 {
	return uint32(op)<<instOpShift | uint32(a)<<instAShift | uint32(c)<<instCShift | uint32(b)
}

// codeShape marks the words of p's code that are not instructions (data
// after SETLIST, the capture pseudo-instructions after CLOSURE and MOVEN)
// and the instructions a jump or a skip can land on.
func codeShape(p *lua.FunctionProto) (data, target []bool) {
	n := len(p.Code)
	data, target = make([]bool, n+2), make([]bool, n+2)
	mark := func(pc int) {
		if pc >= 0 && pc < len(target) {
			target[pc] = true
		}
	}
	for pc := 0; pc < n; pc++ {
		inst := p.Code[pc]
		skip := 0
		switch instOp(inst) {
		case lua.OP_JMP, lua.OP_FORPREP, lua.OP_FORLOOP:
			mark(pc + 1 + instBx(inst) - instSbxBias)
		case lua.OP_EQ, lua.OP_LT, lua.OP_LE, lua.OP_TEST, lua.OP_TESTSET, lua.OP_TFORLOOP:
			mark(pc + 2)
		case lua.OP_LOADBOOL:
			if instC(inst) != 0 {
				mark(pc + 2)
			}
		case lua.OP_SETLIST:
			if instC(inst) == 0 {
				skip = 1
			}
		case lua.OP_MOVEN:
			skip = instC(inst)
		case lua.OP_CLOSURE:
			if bx := instBx(inst); bx < len(p.FunctionPrototypes) {
				skip = int(p.FunctionPrototypes[bx].NumUpvalues)
			}
		}
		for i := 1; i <= skip && pc+i < n; i++ {
			data[pc+i] = true
		}
		pc += skip
	}
	return data, target
}

// hoistGlobals returns p with the main chunk's global reads turned into
// upvalue reads, or nil when p reads no global or too many.
func hoistGlobals(p *lua.FunctionProto) *hoisted {
	if p.NumUpvalues != 0 {
		return nil
	}
	data, target := codeShape(p)
	h := &hoisted{keys: -1, argv: -1}
	index := make(map[hoistedVal]int)
	upvalue := func(v hoistedVal) (int, bool) {
		up, seen := index[v]
		if !seen {
			if len(h.vals) == maxHoisted {
				return 0, false
			}
			up = len(h.vals)
			index[v] = up
			h.vals = append(h.vals, v)
		}
		return up, true
	}
	code := make([]uint32, len(p.Code))
	copy(code, p.Code)
	for pc := 0; pc < len(code); pc++ {
		inst := code[pc]
		if data[pc] || instOp(inst) != lua.OP_GETGLOBAL {
			continue
		}
		name, ok := constString(p, instBx(inst))
		if !ok {
			return nil
		}
		a := instA(inst)
		v := hoistedVal{global: name}
		fused := false
		if !perRun(name) && pc+1 < len(code) && !data[pc+1] && !target[pc+1] {
			next := code[pc+1]
			if instOp(next) == lua.OP_GETTABLEKS && instA(next) == a && instB(next) == a && instC(next)&rkConst != 0 {
				if field, ok := constString(p, instC(next)&^rkConst); ok && !perRun(field) {
					v.field, fused = field, true
				}
			}
		}
		up, ok := upvalue(v)
		if !ok {
			return nil
		}
		code[pc] = makeABC(lua.OP_GETUPVAL, a, up, 0)
		if fused {
			code[pc+1] = makeABC(lua.OP_NOP, 0, 0, 0)
			pc++
		}
	}
	if i, ok := index[hoistedVal{global: "KEYS"}]; ok {
		h.keys = i
	}
	if i, ok := index[hoistedVal{global: "ARGV"}]; ok {
		h.argv = i
	}
	h.hoistOpening(p, code, data, target)
	if len(h.vals) == 0 {
		return nil
	}
	names := make([]string, len(h.vals))
	for i, v := range h.vals {
		names[i] = v.global
		if v.field != "" {
			names[i] += "." + v.field
		}
	}
	cp := *p
	cp.Code = code
	cp.NumUpvalues = uint8(len(h.vals))
	cp.DbgUpvalues = names
	h.proto = &cp
	return h
}

// perRun reports whether name is a global the engine sets for each run:
// its value is fixed within a run only, also read as a field (_G.KEYS).
func perRun(name string) bool { return name == "KEYS" || name == "ARGV" }

// constString returns p's constant i if it is a string.
func constString(p *lua.FunctionProto, i int) (string, bool) {
	if i < 0 || i >= len(p.Constants) {
		return "", false
	}
	s, ok := p.Constants[i].(lua.LString)
	return string(s), ok
}

// function makes the hoisted chunk's function in an interpreter whose
// globals are globals, with env as its environment, or returns nil when one
// of its values is not fixed there: a missing global (whose read must raise
// Redis's nonexistent-global error), or a field of a table that is not
// read-only or that lacks the field. KEYS and ARGV are filled per run
// (setArgs). target gives the table behind a proxy and readonly tells the
// tables no script can change.
func (h *hoisted) function(L *lua.LState, env, globals *lua.LTable, target func(*lua.LTable) *lua.LTable, readonly func(lua.LValue) bool) *lua.LFunction {
	fn := L.NewFunctionFromProto(h.proto)
	fn.Env = env
	for i, hv := range h.vals {
		uv := &lua.Upvalue{} // closed: it holds its own value
		if i != h.keys && i != h.argv && hv.closure == 0 {
			v := globals.RawGetString(hv.global)
			if v == lua.LNil {
				return nil
			}
			if hv.field != "" {
				t, ok := v.(*lua.LTable)
				if !ok || !readonly(t) {
					return nil
				}
				if v = target(t).RawGetString(hv.field); v == lua.LNil {
					return nil
				}
			}
			uv.SetValue(v)
		}
		fn.Upvalues[i] = uv
	}
	// A closure's upvalues are the chunk's own: none is ever written.
	for _, c := range h.closures {
		cl := L.NewFunctionFromProto(c.proto)
		cl.Env = env
		fn.Upvalues[c.up].SetValue(cl)
		for i, up := range c.captures {
			cl.Upvalues[i] = fn.Upvalues[up]
		}
	}
	return fn
}

// setArgs gives fn, made by function, this run's KEYS and ARGV tables.
func (h *hoisted) setArgs(fn *lua.LFunction, keys, argv *lua.LTable) {
	if h.keys >= 0 {
		fn.Upvalues[h.keys].SetValue(keys)
	}
	if h.argv >= 0 {
		fn.Upvalues[h.argv].SetValue(argv)
	}
}

// hoistOpening hoists the functions made by the chunk's opening statements,
// those before its first jump target or other instruction: local
// declarations, each a global read (already an upvalue read in code) or a
// function, in register order, as in
//
//	local rcall = redis.call
//	local function helper(key) return rcall('GET', key) end
//
// Each such function captures only earlier opening locals (or itself), so
// with the globals fixed its upvalues hold the same values on every run. Its
// CLOSURE instruction becomes an upvalue read, and the function is made
// once per interpreter: no script can tell, since a function has no state
// but its upvalues and environment, and Redis's sandbox has no setfenv,
// debug library or table that outlives a run to keep one in. An opening
// local written later (by the chunk, or through an upvalue) ends the
// opening before it: its closures must see the new value.
func (h *hoisted) hoistOpening(p *lua.FunctionProto, code []uint32, data, target []bool) {
	type opening struct {
		pc, up  int   // the statement's first instruction; the upvalue it reads, or -1
		capture []int // a function's captured registers
	}
	var locals []opening
	pc := 0
scan:
	for pc < len(code) && !data[pc] && !target[pc] {
		inst, reg := code[pc], len(locals)
		if instA(inst) != reg {
			break
		}
		switch instOp(inst) {
		case lua.OP_GETUPVAL:
			up := instB(inst)
			if up == h.keys || up == h.argv {
				break scan
			}
			locals = append(locals, opening{pc: pc, up: up})
			pc++
			if pc < len(code) && instOp(code[pc]) == lua.OP_NOP && !target[pc] {
				pc++ // the field read fused into the GETUPVAL
			}
		case lua.OP_CLOSURE:
			bx := instBx(inst)
			if bx >= len(p.FunctionPrototypes) {
				break scan
			}
			n := int(p.FunctionPrototypes[bx].NumUpvalues)
			if pc+n >= len(code) {
				break scan
			}
			capture := make([]int, n)
			for i := range capture {
				c := code[pc+1+i]
				if instOp(c) != lua.OP_MOVE || instB(c) > reg {
					break scan
				}
				capture[i] = instB(c)
			}
			locals = append(locals, opening{pc: pc, up: -1, capture: capture})
			pc += 1 + n
		default:
			break scan
		}
	}
	n := min(len(locals), lowestWritten(p, code, data, pc, len(locals)))
	for reg := range n {
		l := &locals[reg]
		if l.capture == nil {
			continue
		}
		if len(h.vals) == maxHoisted {
			break
		}
		l.up = len(h.vals)
		c := hoistedClosure{proto: p.FunctionPrototypes[instBx(code[l.pc])], up: l.up, captures: make([]int, len(l.capture))}
		for i, r := range l.capture {
			c.captures[i] = locals[r].up
		}
		h.closures = append(h.closures, c)
		h.vals = append(h.vals, hoistedVal{closure: len(h.closures)})
		code[l.pc] = makeABC(lua.OP_GETUPVAL, reg, l.up, 0)
		// the capture words become a jump over them, or one NOP
		switch k := len(l.capture); {
		case k == 1:
			code[l.pc+1] = makeABC(lua.OP_NOP, 0, 0, 0)
		case k > 1:
			code[l.pc+1] = uint32(lua.OP_JMP)<<instOpShift | uint32(k-1+instSbxBias)
		}
	}
}

// lowestWritten returns the lowest of the chunk's first n registers that
// p writes at or after pc, or through a function's upvalue anywhere, or n
// if none is. Those registers are locals for the rest of the chunk, so only
// an assignment to one writes it; the instructions that write a register
// write their A first (and those after it).
func lowestWritten(p *lua.FunctionProto, code []uint32, data []bool, from, n int) int {
	low := n
	for pc := 0; pc < len(code); pc++ {
		inst := code[pc]
		if data[pc] {
			continue
		}
		switch op := instOp(inst); op {
		case lua.OP_CLOSURE:
			bx := instBx(inst)
			if bx >= len(p.FunctionPrototypes) {
				return 0
			}
			q := p.FunctionPrototypes[bx]
			written := writtenUpvalues(q)
			for i := range int(q.NumUpvalues) {
				if c := code[min(pc+1+i, len(code)-1)]; instOp(c) == lua.OP_MOVE && written[i] {
					low = min(low, instB(c))
				}
			}
			if pc >= from {
				low = min(low, instA(inst))
			}
		case lua.OP_MOVEN:
			if pc >= from {
				low = min(low, instA(inst))
				for i := 1; i <= instC(inst) && pc+i < len(code); i++ {
					low = min(low, instA(code[pc+i]))
				}
			}
		case lua.OP_SETGLOBAL, lua.OP_SETUPVAL, lua.OP_SETTABLE, lua.OP_SETTABLEKS,
			lua.OP_JMP, lua.OP_EQ, lua.OP_LT, lua.OP_LE, lua.OP_TEST, lua.OP_RETURN,
			lua.OP_SETLIST, lua.OP_CLOSE, lua.OP_NOP:
			// they write no register
		default:
			if pc >= from {
				low = min(low, instA(inst))
			}
		}
	}
	return low
}

// writtenUpvalues tells which of q's upvalues q writes, itself (SETUPVAL)
// or through a function it makes that captures it.
func writtenUpvalues(q *lua.FunctionProto) []bool {
	written := make([]bool, q.NumUpvalues)
	data, _ := codeShape(q)
	for pc, inst := range q.Code {
		if data[pc] {
			continue
		}
		switch instOp(inst) {
		case lua.OP_SETUPVAL:
			if b := instB(inst); b < len(written) {
				written[b] = true
			}
		case lua.OP_CLOSURE:
			bx := instBx(inst)
			if bx >= len(q.FunctionPrototypes) {
				continue
			}
			sub := q.FunctionPrototypes[bx]
			subWritten := writtenUpvalues(sub)
			for i := range min(int(sub.NumUpvalues), len(q.Code)-pc-1) {
				if c := q.Code[pc+1+i]; instOp(c) == lua.OP_GETUPVAL && subWritten[i] && instB(c) < len(written) {
					written[instB(c)] = true
				}
			}
		}
	}
	return written
}
