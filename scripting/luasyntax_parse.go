package scripting

import "strconv"

// The parser half of the Lua 5.1 syntax checker: Lua 5.1's grammar, one
// function per rule, consuming tokens in the order Lua's parser does so
// that the first error (and the token it is near) is the one Lua reports.

// luaFunc is a function being parsed: its scopes, locals, upvalues, and
// the registers and constants its code would use.
type luaFunc struct {
	prev    *luaFunc
	line    int // line of its "function" (0 for the main chunk)
	vararg  bool
	act     []string // active local variables, by register
	pend    []string // declared locals not yet in scope
	ups     []luaUpval
	bl      *luaBlock
	freereg int // first free register
	luaConsts
}

type luaUpval struct{ kind, idx int }

// luaBlock is a scope; breakable for loops.
type luaBlock struct {
	prev      *luaBlock
	nact      int
	breakable bool
}

// lhsAssign chains the targets of a multiple assignment.
type lhsAssign struct {
	prev *lhsAssign
	v    expDesc
}

func (p *luaParser) next() {
	p.lastLine = p.line
	if p.hasAhead {
		p.t, p.hasAhead = p.ahead, false
	} else {
		p.t = p.lex()
	}
}

func (p *luaParser) lookahead() {
	p.ahead, p.hasAhead = p.lex(), true
}

func (p *luaParser) errorExpected(t int) {
	p.syntaxError("'" + luaTokenString(t) + "' expected")
}

func (p *luaParser) check(t int) {
	if p.t.kind != t {
		p.errorExpected(t)
	}
}

func (p *luaParser) checkNextTok(t int) {
	p.check(t)
	p.next()
}

func (p *luaParser) testNext(t int) bool {
	if p.t.kind == t {
		p.next()
		return true
	}
	return false
}

// checkMatch expects the token closing what opened at line where; Lua
// names the opening only when it is on another line than the lexer.
func (p *luaParser) checkMatch(what, who, where int) {
	if p.testNext(what) {
		return
	}
	if where == p.line {
		p.errorExpected(what)
	}
	p.syntaxError("'" + luaTokenString(what) + "' expected (to close '" + luaTokenString(who) +
		"' at line " + strconv.Itoa(where) + ")")
}

func (p *luaParser) strCheckName() string {
	p.check(tkName)
	s := p.t.str
	p.next()
	return s
}

func (p *luaParser) enterLevel() {
	p.level++
	if p.level > luaMaxCalls {
		p.lexError("chunk has too many syntax levels", 0)
	}
}

func (p *luaParser) errorLimit(fs *luaFunc, limit int, what string) {
	where := "main function"
	if fs.line != 0 {
		where = "function at line " + strconv.Itoa(fs.line)
	}
	p.lexError(where+" has more than "+strconv.Itoa(limit)+" "+what, 0)
}

// newLocal declares the n-th local of a statement; adjustLocals brings the
// first n declared ones into scope.
func (p *luaParser) newLocal(name string, n int) {
	fs := p.fs
	if len(fs.act)+n+1 > luaMaxVars {
		p.errorLimit(fs, luaMaxVars, "local variables")
	}
	fs.pend = append(fs.pend, name)
}

func (p *luaParser) adjustLocals(n int) {
	fs := p.fs
	fs.act = append(fs.act, fs.pend[:n]...)
	fs.pend = fs.pend[:copy(fs.pend, fs.pend[n:])]
}

func (p *luaParser) enterBlock(bl *luaBlock, breakable bool) {
	fs := p.fs
	*bl = luaBlock{prev: fs.bl, nact: len(fs.act), breakable: breakable}
	fs.bl = bl
}

func (p *luaParser) leaveBlock(bl *luaBlock) {
	fs := p.fs
	fs.bl = bl.prev
	fs.act = fs.act[:bl.nact]
	fs.freereg = bl.nact
}

func (p *luaParser) openFunc(line int) *luaFunc {
	fs := &luaFunc{prev: p.fs, line: line}
	fs.luaConsts.init()
	p.fs = fs
	p.funcs = append(p.funcs, fs)
	return fs
}

func luaBlockFollow(t int) bool {
	switch t {
	case tkElse, tkElseif, tkEnd, tkUntil, tkEOS:
		return true
	}
	return false
}

// parseMain parses the whole chunk, a vararg function.
func (p *luaParser) parseMain() {
	fs := p.openFunc(0)
	fs.vararg = true
	p.next()
	p.chunk()
	p.check(tkEOS)
}

func (p *luaParser) chunk() {
	p.enterLevel()
	last := false
	for !last && !luaBlockFollow(p.t.kind) {
		last = p.statement()
		p.testNext(';')
		p.fs.freereg = len(p.fs.act)
	}
	p.level--
}

func (p *luaParser) block() {
	var bl luaBlock
	p.enterBlock(&bl, false)
	p.chunk()
	p.leaveBlock(&bl)
}

// statement parses one statement and reports whether it must be the last
// of its block (return and break).
func (p *luaParser) statement() bool {
	line := p.line
	switch p.t.kind {
	case tkIf:
		p.ifStat(line)
	case tkWhile:
		p.whileStat(line)
	case tkDo:
		p.next()
		p.block()
		p.checkMatch(tkEnd, tkDo, line)
	case tkFor:
		p.forStat(line)
	case tkRepeat:
		p.repeatStat(line)
	case tkFunction:
		p.funcStat(line)
	case tkLocal:
		p.next()
		if p.testNext(tkFunction) {
			p.localFunc()
		} else {
			p.localStat()
		}
	case tkReturn:
		p.next()
		p.retStat()
		return true
	case tkBreak:
		p.next()
		p.breakStat()
		return true
	default:
		p.exprStat()
	}
	return false
}

func (p *luaParser) cond() {
	var v expDesc
	p.expr(&v)
	if v.k == eNil {
		v.k = eFalse
	}
	p.goIfTrue(&v)
}

func (p *luaParser) testThenBlock() {
	p.next()
	p.cond()
	p.checkNextTok(tkThen)
	p.block()
}

func (p *luaParser) ifStat(line int) {
	p.testThenBlock()
	for p.t.kind == tkElseif {
		p.testThenBlock()
	}
	if p.t.kind == tkElse {
		p.next()
		p.block()
	}
	p.checkMatch(tkEnd, tkIf, line)
}

func (p *luaParser) whileStat(line int) {
	p.next()
	p.cond()
	var bl luaBlock
	p.enterBlock(&bl, true)
	p.checkNextTok(tkDo)
	p.block()
	p.checkMatch(tkEnd, tkWhile, line)
	p.leaveBlock(&bl)
}

func (p *luaParser) repeatStat(line int) {
	var loop, scope luaBlock
	p.enterBlock(&loop, true)
	p.enterBlock(&scope, false)
	p.next()
	p.chunk()
	p.checkMatch(tkUntil, tkRepeat, line)
	p.cond() // sees the body's locals
	p.leaveBlock(&scope)
	p.leaveBlock(&loop)
}

func (p *luaParser) forStat(line int) {
	var bl luaBlock
	p.enterBlock(&bl, true)
	p.next()
	name := p.strCheckName()
	switch p.t.kind {
	case '=':
		p.forNum(name)
	case ',', tkIn:
		p.forList(name)
	default:
		p.syntaxError("'=' or 'in' expected")
	}
	p.checkMatch(tkEnd, tkFor, line)
	p.leaveBlock(&bl)
}

func (p *luaParser) exp1() {
	var e expDesc
	p.expr(&e)
	p.exp2nextreg(&e)
}

func (p *luaParser) forNum(name string) {
	p.newLocal("(for index)", 0)
	p.newLocal("(for limit)", 1)
	p.newLocal("(for step)", 2)
	p.newLocal(name, 3)
	p.checkNextTok('=')
	p.exp1()
	p.checkNextTok(',')
	p.exp1()
	if p.testNext(',') {
		p.exp1()
	} else {
		p.fs.numberK(1)
		p.reserveRegs(1)
	}
	p.forBody(1, true)
}

func (p *luaParser) forList(name string) {
	p.newLocal("(for generator)", 0)
	p.newLocal("(for state)", 1)
	p.newLocal("(for control)", 2)
	p.newLocal(name, 3)
	n := 4
	for p.testNext(',') {
		p.newLocal(p.strCheckName(), n)
		n++
	}
	p.checkNextTok(tkIn)
	// TFORLOOP, which calls the iterator, takes the line after "in"
	p.noteAt(lineGenFor, p.line)
	var e expDesc
	p.adjustAssign(3, p.explist1(&e), &e)
	p.checkStack(3)
	p.forBody(n-3, false)
}

func (p *luaParser) forBody(nvars int, numeric bool) {
	p.adjustLocals(3)
	p.checkNextTok(tkDo)
	if numeric {
		// FORPREP, which checks the bounds, is made once "do" is read
		p.noteAt(lineNumFor, p.lastLine)
	}
	var bl luaBlock
	p.enterBlock(&bl, false)
	p.adjustLocals(nvars)
	p.reserveRegs(nvars)
	p.block()
	p.leaveBlock(&bl)
}

func (p *luaParser) funcStat(line int) {
	p.next()
	var v, b expDesc
	p.singleVar(&v)
	needSelf := false
	for p.t.kind == '.' {
		p.field(&v)
	}
	if p.t.kind == ':' {
		needSelf = true
		p.field(&v)
		// gopher-lua's tree has no index node for the method's name
		p.lines[lineIndex] = p.lines[lineIndex][:len(p.lines[lineIndex])-1]
		v.line = 0
	}
	p.body(&b, needSelf, line)
	kind, n := lineName, v.line
	if v.k == eIndexed {
		kind = lineIndex
	}
	p.storeVar(&v, &b)
	// "the definition happens in the first line" (luaK_fixline)
	if needSelf {
		p.noteAt(lineMethod, line)
	} else if n > 0 {
		p.lines[kind][n-1] = int32(line)
	}
}

func (p *luaParser) localFunc() {
	fs := p.fs
	p.newLocal(p.strCheckName(), 0)
	v := expDesc{k: eLocal, info: fs.freereg}
	p.reserveRegs(1)
	p.adjustLocals(1)
	var b expDesc
	p.body(&b, false, p.line)
	p.storeVar(&v, &b)
}

func (p *luaParser) localStat() {
	n := 0
	for {
		p.newLocal(p.strCheckName(), n)
		n++
		if !p.testNext(',') {
			break
		}
	}
	var e expDesc
	nexps := 0
	if p.testNext('=') {
		nexps = p.explist1(&e)
	}
	p.adjustAssign(n, nexps, &e)
	p.adjustLocals(n)
}

func (p *luaParser) exprStat() {
	var v lhsAssign
	p.primaryExp(&v.v)
	if v.v.k != eCall {
		p.restAssign(&v, 1)
	}
}

func (p *luaParser) restAssign(lh *lhsAssign, nvars int) {
	fs := p.fs
	if lh.v.k < eLocal || lh.v.k > eIndexed {
		p.syntaxError("syntax error")
	}
	if p.testNext(',') {
		nv := lhsAssign{prev: lh}
		p.primaryExp(&nv.v)
		if nv.v.k == eLocal {
			p.checkConflict(lh, &nv.v)
		}
		if limit := luaMaxCalls - p.level; nvars > limit {
			p.errorLimit(fs, limit, "variables in assignment")
		}
		p.restAssign(&nv, nvars+1)
	} else {
		p.checkNextTok('=')
		var e expDesc
		nexps := p.explist1(&e)
		if nexps == nvars {
			p.setOneRet(&e)
			p.storeVar(&lh.v, &e)
			return
		}
		p.adjustAssign(nvars, nexps, &e)
		if nexps > nvars {
			fs.freereg -= nexps - nvars
		}
	}
	e := expDesc{k: eNonReloc, info: fs.freereg - 1}
	p.storeVar(&lh.v, &e)
}

// checkConflict: a local assigned in a multiple assignment may be a table
// or key of an earlier target, which then uses a copy in a new register.
func (p *luaParser) checkConflict(lh *lhsAssign, v *expDesc) {
	extra := p.fs.freereg
	conflict := false
	for ; lh != nil; lh = lh.prev {
		if lh.v.k == eIndexed {
			if lh.v.info == v.info {
				conflict, lh.v.info = true, extra
			}
			if lh.v.aux == v.info {
				conflict, lh.v.aux = true, extra
			}
		}
	}
	if conflict {
		p.reserveRegs(1)
	}
}

func (p *luaParser) retStat() {
	if luaBlockFollow(p.t.kind) || p.t.kind == ';' {
		return
	}
	var e expDesc
	n := p.explist1(&e)
	switch {
	case e.k == eCall || e.k == eVararg:
		p.setReturns(&e)
	case n == 1:
		p.exp2anyreg(&e)
	default:
		p.exp2nextreg(&e)
	}
}

func (p *luaParser) breakStat() {
	for bl := p.fs.bl; bl != nil; bl = bl.prev {
		if bl.breakable {
			return
		}
	}
	p.syntaxError("no loop to break")
}

func (p *luaParser) body(e *expDesc, needSelf bool, line int) {
	fs := p.openFunc(line)
	p.checkNextTok('(')
	if needSelf {
		p.newLocal("self", 0)
		p.adjustLocals(1)
	}
	p.parList()
	p.checkNextTok(')')
	p.chunk()
	p.checkMatch(tkEnd, tkFunction, line)
	p.fs = fs.prev
	*e = expDesc{k: eReloc}
}

func (p *luaParser) parList() {
	fs := p.fs
	n := 0
	if p.t.kind != ')' {
		for {
			switch p.t.kind {
			case tkName:
				p.newLocal(p.strCheckName(), n)
				n++
			case tkDots:
				p.next()
				p.newLocal("arg", n) // Lua 5.0's implicit table of the extra arguments
				n++
				fs.vararg = true
			default:
				p.syntaxError("<name> or '...' expected")
			}
			if fs.vararg || !p.testNext(',') {
				break
			}
		}
	}
	p.adjustLocals(n)
	p.reserveRegs(len(fs.act))
}

// singleVar resolves a name: a local, an upvalue (declared in each
// function between here and the local's), or a global.
func (p *luaParser) singleVar(v *expDesc) {
	n := p.note(lineName)
	name := p.strCheckName()
	k, i := p.singleVarAux(p.fs, name)
	*v = expDesc{k: k, info: i, line: n}
	if k == eGlobal {
		v.info = p.fs.stringK(name)
	}
}

func (p *luaParser) singleVarAux(fs *luaFunc, name string) (expKind, int) {
	if fs == nil {
		return eGlobal, 0
	}
	for i := len(fs.act) - 1; i >= 0; i-- {
		if fs.act[i] == name {
			return eLocal, i
		}
	}
	k, i := p.singleVarAux(fs.prev, name)
	if k == eGlobal {
		return eGlobal, 0
	}
	return eUpval, p.indexUpvalue(fs, int(k), i)
}

func (p *luaParser) indexUpvalue(fs *luaFunc, kind, idx int) int {
	for i, u := range fs.ups {
		if u.kind == kind && u.idx == idx {
			return i
		}
	}
	if len(fs.ups)+1 > luaMaxUpvals {
		p.errorLimit(fs, luaMaxUpvals, "upvalues")
	}
	fs.ups = append(fs.ups, luaUpval{kind, idx})
	return len(fs.ups) - 1
}

func (p *luaParser) checkName(e *expDesc) {
	*e = expDesc{k: eK, info: p.fs.stringK(p.strCheckName())}
}

func (p *luaParser) field(v *expDesc) {
	p.exp2anyreg(v)
	n := p.note(lineIndex)
	p.next()
	var key expDesc
	p.checkName(&key)
	p.indexed(v, &key)
	v.line = n
}

func (p *luaParser) yindex(v *expDesc) {
	p.next()
	p.expr(v)
	p.exp2val(v)
	p.checkNextTok(']')
}

func (p *luaParser) prefixExp(v *expDesc) {
	switch p.t.kind {
	case '(':
		line := p.line
		p.next()
		p.expr(v)
		p.checkMatch(')', '(', line)
		p.dischargeVars(v)
	case tkName:
		p.singleVar(v)
	default:
		p.syntaxError("unexpected symbol")
	}
}

func (p *luaParser) primaryExp(v *expDesc) {
	p.prefixExp(v)
	for {
		switch p.t.kind {
		case '.':
			p.field(v)
		case '[':
			p.exp2anyreg(v)
			n := p.note(lineIndex)
			var key expDesc
			p.yindex(&key)
			p.indexed(v, &key)
			v.line = n
		case ':':
			p.next()
			var key expDesc
			p.checkName(&key)
			p.self(v, &key)
			p.funcArgs(v)
		case '(', tkString, '{':
			p.exp2nextreg(v)
			p.funcArgs(v)
		default:
			return
		}
	}
}

func (p *luaParser) funcArgs(f *expDesc) {
	line := p.line
	// Lua numbers the call with its arguments' first line (luaK_fixline)
	p.noteAt(lineCall, line)
	var args expDesc
	switch p.t.kind {
	case '(':
		if line != p.lastLine {
			p.syntaxError("ambiguous syntax (function call x new statement)")
		}
		p.next()
		if p.t.kind != ')' {
			p.explist1(&args)
			p.setReturns(&args)
		}
		p.checkMatch(')', '(', line)
	case '{':
		p.constructor(&args)
	case tkString:
		args = expDesc{k: eK, info: p.fs.stringK(p.t.str)}
		p.next()
	default:
		p.syntaxError("function arguments expected")
	}
	base := f.info
	if args.k != eCall && args.k != eVararg && args.k != eVoid {
		p.exp2nextreg(&args)
	}
	*f = expDesc{k: eCall, info: base}
	p.fs.freereg = base + 1
}

func (p *luaParser) simpleExp(v *expDesc) {
	switch p.t.kind {
	case tkNumber:
		*v = expDesc{k: eKNum, nval: p.t.num}
	case tkString:
		*v = expDesc{k: eK, info: p.fs.stringK(p.t.str)}
	case tkNil:
		*v = expDesc{k: eNil}
	case tkTrue:
		*v = expDesc{k: eTrue}
	case tkFalse:
		*v = expDesc{k: eFalse}
	case tkDots:
		if !p.fs.vararg {
			p.syntaxError("cannot use '...' outside a vararg function")
		}
		*v = expDesc{k: eVararg}
	case '{':
		p.constructor(v)
		return
	case tkFunction:
		p.next()
		p.body(v, false, p.line)
		return
	default:
		p.primaryExp(v)
		return
	}
	p.next()
}

func (p *luaParser) constructor(t *expDesc) {
	fs := p.fs
	line := p.line
	*t = expDesc{k: eReloc}
	n := p.note(lineTable)
	p.exp2nextreg(t) // the table's register
	var item expDesc // the list item not yet stored
	tostore := 0
	p.checkNextTok('{')
	for p.t.kind != '}' {
		if item.k != eVoid {
			p.exp2nextreg(&item)
			item.k = eVoid
			if tostore == luaFlushEvery {
				fs.freereg = t.info + 1
				tostore = 0
			}
		}
		switch p.t.kind {
		case tkName:
			p.lookahead()
			if p.ahead.kind != '=' {
				p.expr(&item)
				tostore++
			} else {
				p.recField()
			}
		case '[':
			// "table index is nil" is raised by the store, made after the
			// value; gopher-lua numbers every keyed store with the
			// constructor's line, which takes that of the first store
			// that may fail
			if p.recField() && p.lines[lineTable][n-1] == 0 {
				p.made(lineTable, n)
			}
		default:
			p.expr(&item)
			tostore++
		}
		if !p.testNext(',') && !p.testNext(';') {
			break
		}
	}
	p.checkMatch('}', '{', line)
	if tostore > 0 {
		switch item.k {
		case eCall, eVararg:
			p.setReturns(&item)
		case eVoid:
		default:
			p.exp2nextreg(&item)
		}
		fs.freereg = t.info + 1
	}
}

// recField compiles a keyed field of a constructor, and reports whether
// its store may fail: its key is no string, number or boolean constant.
func (p *luaParser) recField() (mayFail bool) {
	fs := p.fs
	reg := fs.freereg
	var key, val expDesc
	if p.t.kind == tkName {
		p.checkName(&key)
	} else {
		p.yindex(&key)
	}
	switch key.k {
	case eK, eKNum, eTrue, eFalse:
	default:
		mayFail = true
	}
	p.checkNextTok('=')
	p.exp2RK(&key)
	p.expr(&val)
	p.exp2RK(&val)
	fs.freereg = reg
	return mayFail
}

func (p *luaParser) explist1(v *expDesc) int {
	n := 1
	p.expr(v)
	for p.testNext(',') {
		p.exp2nextreg(v)
		p.expr(v)
		n++
	}
	return n
}

func (p *luaParser) expr(v *expDesc) { p.subExpr(v, 0) }

// Operators and their left and right priorities (right below left for
// the right-associative ones).
const (
	opNone = iota
	opAdd
	opSub
	opMul
	opDiv
	opMod
	opPow
	opConcat
	opNe
	opEq
	opLt
	opLe
	opGt
	opGe
	opAnd
	opOr
)

var luaPriority = [...]struct{ left, right int }{
	opAdd: {6, 6}, opSub: {6, 6}, opMul: {7, 7}, opDiv: {7, 7}, opMod: {7, 7},
	opPow: {10, 9}, opConcat: {5, 4},
	opNe: {3, 3}, opEq: {3, 3}, opLt: {3, 3}, opLe: {3, 3}, opGt: {3, 3}, opGe: {3, 3},
	opAnd: {2, 2}, opOr: {1, 1},
}

const luaUnaryPriority = 8

func luaBinOp(t int) int {
	switch t {
	case '+':
		return opAdd
	case '-':
		return opSub
	case '*':
		return opMul
	case '/':
		return opDiv
	case '%':
		return opMod
	case '^':
		return opPow
	case tkConcat:
		return opConcat
	case tkNe:
		return opNe
	case tkEq:
		return opEq
	case '<':
		return opLt
	case tkLe:
		return opLe
	case '>':
		return opGt
	case tkGe:
		return opGe
	case tkAnd:
		return opAnd
	case tkOr:
		return opOr
	}
	return opNone
}

// subExpr parses operators binding tighter than limit and returns the
// first operator it left.
func (p *luaParser) subExpr(v *expDesc, limit int) int {
	p.enterLevel()
	switch u := p.t.kind; u {
	case tkNot, '-', '#':
		n := p.note(lineUnary)
		p.next()
		p.subExpr(v, luaUnaryPriority)
		p.prefix(u, v)
		p.made(lineUnary, n)
	default:
		p.simpleExp(v)
	}
	op := luaBinOp(p.t.kind)
	for op != opNone && luaPriority[op].left > limit {
		var v2 expDesc
		n := p.note(lineBinary)
		p.next()
		p.infix(op, v)
		next := p.subExpr(&v2, luaPriority[op].right)
		p.posfix(op, v, &v2)
		p.made(lineBinary, n)
		op = next
	}
	p.level--
	return op
}
