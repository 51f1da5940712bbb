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
// Functions the chunk makes once per run from fixed values are hoisted too
// (see hoistClosures): queue libraries' scripts define dozens of helpers on
// every run, and making them was a tenth of the server's time under BullMQ.
type hoisted struct {
	proto    *lua.FunctionProto
	vals     []hoistedVal     // what each upvalue holds
	closures []hoistedClosure // the functions made once per interpreter
	keys     int              // the upvalue holding KEYS, or -1
	argv     int              // the upvalue holding ARGV, or -1
}

// hoistedVal is what an upvalue holds: a global, a global's field, the
// chunk's constant konst-1, or the function hoisted.closures[closure-1]
// makes.
type hoistedVal struct {
	global, field  string
	konst, closure int
}

// hoistedClosure is a function the chunk made on every run: it is made
// once, when the chunk's function is, from proto, and its upvalue i is the
// chunk's upvalue captures[i].
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
	h.hoistClosures(p, code, data)
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
		if hv.konst != 0 {
			uv.SetValue(h.proto.Constants[hv.konst-1])
		} else if i != h.keys && i != h.argv && hv.closure == 0 {
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

// hoistClosures hoists the functions the chunk makes in code that runs
// once per run, in order (runsOnce: at top level, outside loops and
// conditional blocks), whose every captured local holds a fixed value from
// before the function is made, or is the function itself, as in
//
//	local rcall = redis.call
//	local waitKey = KEYS[1] -- per run: functions capturing it stay
//	local function helper(key) return rcall('GET', key) end
//
// A local's value is fixed when its register's last write in the whole
// chunk runs once, reads a fixed global (an upvalue in code), a constant
// or a hoisted function, and no function writes it through an upvalue. The
// function's CLOSURE then becomes an upvalue read of a function made once
// per interpreter: no script can tell, since a function has no state but
// its upvalues and environment, and Redis's sandbox has no setfenv, debug
// library or table that outlives a run to keep one in.
func (h *hoisted) hoistClosures(p *lua.FunctionProto, code []uint32, data []bool) {
	once := runsOnce(code, data)
	last, upWritten := registerWrites(p, code, data)
	var fixed [256]int // the upvalue holding a fixed register's value, plus one
	for pc := 0; pc < len(code) && len(h.vals) < maxHoisted; pc++ {
		if data[pc] || !once[pc] {
			continue
		}
		inst := code[pc]
		a := instA(inst)
		switch instOp(inst) {
		case lua.OP_GETUPVAL:
			if up := instB(inst); last[a] == pc && up != h.keys && up != h.argv && up < len(h.vals) {
				fixed[a] = up + 1
			}
			continue
		case lua.OP_LOADK:
			if last[a] == pc {
				fixed[a] = len(h.vals) + 1
				h.vals = append(h.vals, hoistedVal{konst: instBx(inst) + 1})
			}
			continue
		case lua.OP_CLOSURE:
		default:
			continue
		}
		bx := instBx(inst)
		if bx >= len(p.FunctionPrototypes) {
			return
		}
		q := p.FunctionPrototypes[bx]
		n := int(q.NumUpvalues)
		if pc+n >= len(code) {
			return
		}
		up := len(h.vals)
		captures := make([]int, n)
		for i := range captures {
			c := code[pc+1+i]
			j := instB(c)
			switch {
			case instOp(c) != lua.OP_MOVE || upWritten[j]:
				captures = nil
			case j == a && last[a] == pc:
				captures[i] = up // itself
			case fixed[j] != 0 && last[j] < pc:
				captures[i] = fixed[j] - 1
			default:
				captures = nil
			}
			if captures == nil {
				break
			}
		}
		if captures != nil {
			h.closures = append(h.closures, hoistedClosure{proto: q, up: up, captures: captures})
			h.vals = append(h.vals, hoistedVal{closure: len(h.closures)})
			if last[a] == pc {
				fixed[a] = up + 1
			}
			code[pc] = makeABC(lua.OP_GETUPVAL, a, up, 0)
			// the capture words become a jump over them, or one NOP
			switch {
			case n == 1:
				code[pc+1] = makeABC(lua.OP_NOP, 0, 0, 0)
			case n > 1:
				code[pc+1] = uint32(lua.OP_JMP)<<instOpShift | uint32(n-1+instSbxBias)
			}
		}
		pc += n
	}
}

// runsOnce marks the instructions of a chunk that every run executes once,
// in order, until it returns or fails: those no jump or skip passes over
// and no loop repeats. Whatever runs once before one of them has run
// before it.
func runsOnce(code []uint32, data []bool) []bool {
	cover := make([]int, len(code)+1) // +1 at a span's start, -1 past its end
	span := func(lo, hi int) {        // lo through hi may be skipped or repeated
		lo, hi = max(lo, 0), min(hi, len(code)-1)
		if lo <= hi {
			cover[lo]++
			cover[hi+1]--
		}
	}
	for pc := 0; pc < len(code); pc++ {
		if data[pc] {
			continue
		}
		inst := code[pc]
		switch instOp(inst) {
		case lua.OP_JMP, lua.OP_FORPREP, lua.OP_FORLOOP:
			if t := pc + 1 + instBx(inst) - instSbxBias; t > pc {
				span(pc+1, t-1)
			} else {
				span(t, pc)
			}
		case lua.OP_EQ, lua.OP_LT, lua.OP_LE, lua.OP_TEST, lua.OP_TESTSET, lua.OP_TFORLOOP:
			span(pc+1, pc+1)
		case lua.OP_LOADBOOL:
			if instC(inst) != 0 {
				span(pc+1, pc+1)
			}
		}
	}
	once := make([]bool, len(code))
	depth := 0
	for pc := range code {
		depth += cover[pc]
		once[pc] = depth == 0
	}
	return once
}

// registerWrites returns, for each register of p's chunk, the last
// instruction that may write it (-1 if none) and whether a function the
// chunk makes writes it through an upvalue. A call may write every
// register from its base up: the callee's frame and results go there.
func registerWrites(p *lua.FunctionProto, code []uint32, data []bool) (last [256]int, upWritten [256]bool) {
	var upFrom [256]int // the last call-like write of every register from r up
	for r := range last {
		last[r], upFrom[r] = -1, -1
	}
	write := func(pc, lo, hi int) {
		for r := max(lo, 0); r <= min(hi, 255); r++ {
			last[r] = pc
		}
	}
	for pc := 0; pc < len(code); pc++ {
		if data[pc] {
			continue
		}
		inst := code[pc]
		a := instA(inst)
		switch instOp(inst) {
		case lua.OP_SETGLOBAL, lua.OP_SETUPVAL, lua.OP_SETTABLE, lua.OP_SETTABLEKS,
			lua.OP_JMP, lua.OP_EQ, lua.OP_LT, lua.OP_LE, lua.OP_TEST, lua.OP_RETURN,
			lua.OP_SETLIST, lua.OP_CLOSE, lua.OP_NOP:
			// they write no register
		case lua.OP_LOADNIL:
			write(pc, a, instB(inst))
		case lua.OP_SELF:
			write(pc, a, a+1)
		case lua.OP_FORLOOP:
			write(pc, a, a+3)
		case lua.OP_CALL, lua.OP_TAILCALL, lua.OP_TFORLOOP, lua.OP_VARARG:
			upFrom[a] = pc
		case lua.OP_MOVEN:
			write(pc, a, a)
			for i := 1; i <= instC(inst) && pc+i < len(code); i++ {
				b := instA(code[pc+i])
				write(pc, b, b)
			}
		case lua.OP_CLOSURE:
			write(pc, a, a)
			bx := instBx(inst)
			if bx >= len(p.FunctionPrototypes) {
				upFrom[0] = pc
				continue
			}
			q := p.FunctionPrototypes[bx]
			written := writtenUpvalues(q)
			for i := range min(int(q.NumUpvalues), len(code)-pc-1) {
				if c := code[pc+1+i]; instOp(c) == lua.OP_MOVE && written[i] {
					upWritten[instB(c)] = true
				}
			}
		default:
			write(pc, a, a)
		}
	}
	from := -1
	for r := range last {
		from = max(from, upFrom[r])
		last[r] = max(last[r], from)
	}
	return last, upWritten
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
