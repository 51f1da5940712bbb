package scripting

import "math"

// What Lua 5.1's code generator would keep in registers while compiling,
// for the syntax checker. A function has 250 registers; running out is the
// compile error "function or expression too complex", and it depends on
// how each expression is placed: constants an instruction names directly
// (the first 256 of a function) take no register, folded arithmetic on
// numerals none either, while a call's arguments each take one. Only the
// register and constant bookkeeping is kept; no code is produced.

// expKind is what an expression is while being compiled, in the order Lua
// lists them (assignable ones from eLocal to eIndexed).
type expKind uint8

const (
	eVoid     expKind = iota // no value
	eNil                     // nil
	eTrue                    // true
	eFalse                   // false
	eK                       // constant number info
	eKNum                    // numeral nval
	eLocal                   // local in register info
	eUpval                   // upvalue
	eGlobal                  // global, its name constant info
	eIndexed                 // table in register info, key aux (a register or 256+constant)
	eJmp                     // comparison: a jump
	eReloc                   // an instruction that can put its result anywhere
	eNonReloc                // a value in register info
	eCall                    // a call whose function is in register info
	eVararg                  // ...
)

// The kinds of a relocatable instruction that matter later.
const (
	relocOther = iota
	relocNot
	relocConcat
)

// expDesc is an expression being compiled; t and f are whether jumps to
// its true or false exits are pending.
type expDesc struct {
	k     expKind
	reloc uint8
	t, f  bool
	info  int
	aux   int
	nval  float64
	line  int32 // a global's or index's noted node (lualines.go), 0 for none
}

// luaConsts is a function's constant table: only its size matters, so
// only the values' identities are kept.
type luaConsts struct {
	nk                  int
	nums                map[float64]int
	strs                map[string]int
	kNil, kTrue, kFalse int
	zeroSign            int8 // the sign of the first 0 or -0 entered, 0 for none
}

func (c *luaConsts) init() { c.kNil, c.kTrue, c.kFalse = -1, -1, -1 }

func (c *luaConsts) add() int {
	c.nk++
	return c.nk - 1
}

func (c *luaConsts) stringK(s string) int { return internK(c, &c.strs, s) }

// numberK: Lua keys constants by value, so 0 and -0 share one, the
// first entered.
func (c *luaConsts) numberK(v float64) int {
	if v == 0 && c.zeroSign == 0 {
		c.zeroSign = 1
		if math.Signbit(v) {
			c.zeroSign = -1
		}
	}
	return internK(c, &c.nums, v)
}

// internK returns k's constant index in table m, adding it if new.
func internK[K comparable](c *luaConsts, m *map[K]int, k K) int {
	if i, ok := (*m)[k]; ok {
		return i
	}
	if *m == nil {
		*m = make(map[K]int)
	}
	i := c.add()
	(*m)[k] = i
	return i
}

func (c *luaConsts) boolK(b bool) int {
	k := &c.kFalse
	if b {
		k = &c.kTrue
	}
	if *k < 0 {
		*k = c.add()
	}
	return *k
}

func (c *luaConsts) nilK() int {
	if c.kNil < 0 {
		c.kNil = c.add()
	}
	return c.kNil
}

func (p *luaParser) checkStack(n int) {
	if p.fs.freereg+n >= luaMaxStack {
		p.syntaxError("function or expression too complex")
	}
}

func (p *luaParser) reserveRegs(n int) {
	p.checkStack(n)
	p.fs.freereg += n
}

// freeReg releases a register unless it holds a local (or is a constant).
func (p *luaParser) freeReg(r int) {
	if r < 256 && r >= len(p.fs.act) {
		p.fs.freereg--
	}
}

func (p *luaParser) freeExp(e *expDesc) {
	if e.k == eNonReloc {
		p.freeReg(e.info)
	}
}

func hasJumps(e *expDesc) bool  { return e.t || e.f }
func isNumeral(e *expDesc) bool { return e.k == eKNum && !hasJumps(e) }
func hasMultRet(k expKind) bool { return k == eCall || k == eVararg }

// setReturns makes a call or ... give several values; ... then takes a
// register.
func (p *luaParser) setReturns(e *expDesc) {
	if e.k == eVararg {
		p.reserveRegs(1)
	}
}

func (p *luaParser) setOneRet(e *expDesc) {
	switch e.k {
	case eCall:
		e.k = eNonReloc
	case eVararg:
		e.k, e.reloc = eReloc, relocOther
	}
}

func (p *luaParser) dischargeVars(e *expDesc) {
	switch e.k {
	case eLocal:
		e.k = eNonReloc
	case eUpval:
		e.k, e.reloc = eReloc, relocOther
	case eGlobal:
		p.made(lineName, e.line)
		e.k, e.reloc, e.line = eReloc, relocOther, 0
	case eIndexed:
		p.freeReg(e.aux)
		p.freeReg(e.info)
		p.made(lineIndex, e.line)
		e.k, e.reloc, e.line = eReloc, relocOther, 0
	case eCall, eVararg:
		p.setOneRet(e)
	}
}

func (p *luaParser) discharge2reg(e *expDesc, reg int) {
	p.dischargeVars(e)
	switch e.k {
	case eKNum:
		p.fs.numberK(e.nval)
	case eNil, eTrue, eFalse, eK, eReloc, eNonReloc:
	default:
		return
	}
	e.k, e.info = eNonReloc, reg
}

func (p *luaParser) discharge2anyreg(e *expDesc) {
	if e.k != eNonReloc {
		p.reserveRegs(1)
		p.discharge2reg(e, p.fs.freereg-1)
	}
}

func (p *luaParser) exp2reg(e *expDesc, reg int) {
	p.discharge2reg(e, reg)
	*e = expDesc{k: eNonReloc, info: reg}
}

func (p *luaParser) exp2nextreg(e *expDesc) {
	p.dischargeVars(e)
	p.freeExp(e)
	p.reserveRegs(1)
	p.exp2reg(e, p.fs.freereg-1)
}

func (p *luaParser) exp2anyreg(e *expDesc) int {
	p.dischargeVars(e)
	if e.k == eNonReloc {
		if !hasJumps(e) {
			return e.info
		}
		if e.info >= len(p.fs.act) {
			p.exp2reg(e, e.info)
			return e.info
		}
	}
	p.exp2nextreg(e)
	return e.info
}

func (p *luaParser) exp2val(e *expDesc) {
	if hasJumps(e) {
		p.exp2anyreg(e)
	} else {
		p.dischargeVars(e)
	}
}

// exp2RK gives an operand: a constant (256+index) if it is one of the
// function's first 256 constants, else a register.
func (p *luaParser) exp2RK(e *expDesc) int {
	fs := p.fs
	p.exp2val(e)
	switch e.k {
	case eKNum, eTrue, eFalse, eNil:
		if fs.nk <= luaMaxIndexRK {
			switch e.k {
			case eNil:
				e.info = fs.nilK()
			case eKNum:
				e.info = fs.numberK(e.nval)
			default:
				e.info = fs.boolK(e.k == eTrue)
			}
			e.k = eK
			return 256 + e.info
		}
	case eK:
		if e.info <= luaMaxIndexRK {
			return 256 + e.info
		}
	}
	return p.exp2anyreg(e)
}

func (p *luaParser) storeVar(v, e *expDesc) {
	switch v.k {
	case eLocal:
		p.freeExp(e)
		p.exp2reg(e, v.info)
		return
	case eUpval:
		p.exp2anyreg(e)
	case eGlobal:
		p.exp2anyreg(e)
		p.made(lineName, v.line)
	case eIndexed:
		p.exp2RK(e)
		p.made(lineIndex, v.line)
	}
	p.freeExp(e)
}

// self compiles obj:name, which puts the method and obj in two registers.
func (p *luaParser) self(e, key *expDesc) {
	p.exp2anyreg(e)
	p.freeExp(e)
	fn := p.fs.freereg
	p.reserveRegs(2)
	p.exp2RK(key)
	p.freeExp(key)
	*e = expDesc{k: eNonReloc, info: fn}
}

func (p *luaParser) indexed(t, k *expDesc) {
	t.aux = p.exp2RK(k)
	t.k = eIndexed
}

// jumpOnCond tests a value: a "not" is tested directly, anything else from
// a register.
func (p *luaParser) jumpOnCond(e *expDesc) {
	if e.k == eReloc && e.reloc == relocNot {
		return
	}
	p.discharge2anyreg(e)
	p.freeExp(e)
}

func (p *luaParser) goIfTrue(e *expDesc) {
	p.dischargeVars(e)
	switch e.k {
	case eK, eKNum, eTrue:
	case eJmp:
		e.f = true
	default: // false too: Lua 5.1 tests it from a register
		p.jumpOnCond(e)
		e.f = true
	}
	e.t = false
}

func (p *luaParser) goIfFalse(e *expDesc) {
	p.dischargeVars(e)
	switch e.k {
	case eNil, eFalse:
	case eJmp:
		e.t = true
	default: // true too, from a register
		p.jumpOnCond(e)
		e.t = true
	}
	e.f = false
}

func (p *luaParser) codeNot(e *expDesc) {
	p.dischargeVars(e)
	switch e.k {
	case eNil, eFalse:
		e.k = eTrue
	case eK, eKNum, eTrue:
		e.k = eFalse
	case eReloc, eNonReloc:
		p.discharge2anyreg(e)
		p.freeExp(e)
		e.k, e.reloc = eReloc, relocNot
	}
	e.t, e.f = e.f, e.t
}

// prefix compiles a unary operator (tkNot, '-' or '#') applied to e.
func (p *luaParser) prefix(op int, e *expDesc) {
	zero := expDesc{k: eKNum}
	switch op {
	case '-':
		if !isNumeral(e) {
			p.exp2anyreg(e)
		}
		p.codeArith(opUnm, e, &zero)
	case tkNot:
		p.codeNot(e)
	default:
		p.exp2anyreg(e)
		p.codeArith(opLen, e, &zero)
	}
}

// Unary operators for codeArith, after the binary ones.
const (
	opUnm = opOr + 1 + iota
	opLen
)

func (p *luaParser) infix(op int, v *expDesc) {
	switch op {
	case opAnd:
		p.goIfTrue(v)
	case opOr:
		p.goIfFalse(v)
	case opConcat:
		p.exp2nextreg(v)
	case opAdd, opSub, opMul, opDiv, opMod, opPow:
		if !isNumeral(v) {
			p.exp2RK(v)
		}
	default:
		p.exp2RK(v)
	}
}

func (p *luaParser) posfix(op int, e1, e2 *expDesc) {
	switch op {
	case opAnd:
		p.dischargeVars(e2)
		f := e1.f || e2.f
		*e1 = *e2
		e1.f = f
	case opOr:
		p.dischargeVars(e2)
		t := e1.t || e2.t
		*e1 = *e2
		e1.t = t
	case opConcat:
		p.exp2val(e2)
		if e2.k == eReloc && e2.reloc == relocConcat {
			// a..(b..c) is one instruction over consecutive registers
			p.freeExp(e1)
			e1.k, e1.reloc, e1.info = eReloc, relocConcat, e2.info
		} else {
			p.exp2nextreg(e2)
			p.codeArith(opConcat, e1, e2)
		}
	case opAdd, opSub, opMul, opDiv, opMod, opPow:
		p.codeArith(op, e1, e2)
	default: // comparisons
		p.exp2RK(e1)
		p.exp2RK(e2)
		p.freeExp(e2)
		p.freeExp(e1)
		e1.k = eJmp
	}
}

// codeArith compiles an arithmetic operation (or concatenation), folding
// numerals unless the result would be NaN or a division by zero.
func (p *luaParser) codeArith(op int, e1, e2 *expDesc) {
	if constFold(op, e1, e2) {
		return
	}
	if op != opUnm && op != opLen {
		p.exp2RK(e2)
	}
	p.exp2RK(e1)
	p.freeExp(e2)
	p.freeExp(e1)
	e1.k, e1.reloc = eReloc, relocOther
	if op == opConcat {
		e1.reloc = relocConcat
	}
}

func constFold(op int, e1, e2 *expDesc) bool {
	if !isNumeral(e1) || !isNumeral(e2) {
		return false
	}
	a, b := e1.nval, e2.nval
	var r float64
	switch op {
	case opAdd:
		r = a + b
	case opSub:
		r = a - b
	case opMul:
		r = a * b
	case opDiv:
		if b == 0 {
			return false
		}
		r = a / b
	case opMod:
		if b == 0 {
			return false
		}
		r = a - math.Floor(a/b)*b
	case opPow:
		r = numPow(a, b)
	case opUnm:
		r = -a
	default:
		return false
	}
	if r != r {
		return false
	}
	e1.nval = r
	return true
}

// adjustAssign makes nexps values (the last e) fill nvars registers.
func (p *luaParser) adjustAssign(nvars, nexps int, e *expDesc) {
	extra := nvars - nexps
	if hasMultRet(e.k) {
		extra = max(extra+1, 0)
		p.setReturns(e)
		if extra > 1 {
			p.reserveRegs(extra - 1)
		}
		return
	}
	if e.k != eVoid {
		p.exp2nextreg(e)
	}
	if extra > 0 {
		p.reserveRegs(extra)
	}
}
