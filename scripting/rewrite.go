package scripting

import (
	"math"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/ast"
)

// Some of Lua 5.1's operations differ in gopher-lua's VM, which offers no
// hook to change them, so the syntax tree is rewritten before compiling:
// each such operation becomes a call of a Go function that does it as Lua
// 5.1 does.
//
//   - a .. b .. c: concatChain (concat.go), for Lua's number printing;
//   - a % b: luaMod (arith.go), for Lua's a - floor(a/b)*b and its
//     conversion of strings;
//   - a ^ b: luaPow (arith.go), for C's pow, which rounds otherwise than
//     Go's math.Pow;
//   - -a, unless a is a constant: luaUnm (arith.go), which converts strings
//     as Lua does where gopher-lua reads Go's syntax ("010" is octal), and
//     keeps the sign of -0;
//   - for i = a, b, c: each bound that is not a numeral goes through
//     forNumber (arith.go), as Lua converts strings there ("for i = 1,
//     ARGV[1]") and gopher-lua refuses them;
//   - a table constructor with keyed fields: sizedTable (tableorder.go),
//     which notes the room Lua's makes for them;
//   - t.k = nil, where t is a name: setDeadKey (tableorder.go) first,
//     which notes the node Lua gives k if t has none, or k's removal;
//   - a call's arguments or a return's values, when there are more than
//     listRegisters: spreadList, which gives them from a table. Lua 5.1
//     has 250 registers a function, gopher-lua's compiler 200, and such a
//     list takes a register each (redis.call('DEL', ...) of 240 names
//     compiles in Redis); a constructor fills its table 50 at a time.
//
// Constant folding follows Lua 5.1's, since a function's constants that
// compare equal are one (0 and -0: the first): gopher-lua's compiler folds
// a division of two constants even by zero, which Lua leaves to run time
// (-2/(1/0) became a -0 constant, which a later 0 then shared), so the
// dividend of such a division is read from a hidden global instead
// (hiddenNumber); and Lua folds a % or ^ of two constants, which the
// call would not.
//
// Two of gopher-lua's compiler's faults are steered around in the tree
// too: a loop whose body may start with a jump gets a hidden local first
// (guardLoopHead), and "local f = function" a second value, so that f
// inside is the global, as in Lua.
//
// The tree names each function as a global no identifier can spell; after
// compiling, loadHidden turns those reads into loads of a constant holding
// the function, so no globals table has it and a call costs no lookup.

// The globals the rewritten tree reads.
const (
	concatChainName = "\x00concat"
	modName         = "\x00mod"
	powName         = "\x00pow"
	unmName         = "\x00unm"
	forNumberName   = "\x00fornum"
	sizedTableName  = "\x00sized"
	spreadListName  = "\x00spread"
	setDeadKeyName  = "\x00dead"
	// a hidden global loaded as the number its name spells after this
	numberPrefix = "\x00n:"
)

// The functions as Lua values, shared by every interpreter: they have no
// upvalues or environment of their own to change.
var (
	concatChainFn = &lua.LFunction{IsG: true, GFunction: concatChain}
	modFn         = &lua.LFunction{IsG: true, GFunction: luaMod}
	powFn         = &lua.LFunction{IsG: true, GFunction: luaPow}
	unmFn         = &lua.LFunction{IsG: true, GFunction: luaUnm}
	forNumberFn   = &lua.LFunction{IsG: true, GFunction: forNumber}
	sizedTableFn  = &lua.LFunction{IsG: true, GFunction: sizedTable}
	spreadListFn  = &lua.LFunction{IsG: true, GFunction: spreadList}
	setDeadKeyFn  = &lua.LFunction{IsG: true, GFunction: setDeadKey}
)

var hiddenFns = map[string]*lua.LFunction{
	concatChainName: concatChainFn,
	modName:         modFn,
	powName:         powFn,
	unmName:         unmFn,
	forNumberName:   forNumberFn,
	sizedTableName:  sizedTableFn,
	spreadListName:  spreadListFn,
	setDeadKeyName:  setDeadKeyFn,
}

// hiddenCall is a call of the hidden function name with args, rewritten
// first, standing for the operation at e.
func hiddenCall(name string, e ast.PositionHolder, args ...ast.Expr) *ast.FuncCallExpr {
	for i, a := range args {
		args[i] = rewriteExpr(a)
	}
	return rewrittenCall(name, e, args...)
}

// rewrittenCall is hiddenCall of arguments rewritten already.
func rewrittenCall(name string, e ast.PositionHolder, args ...ast.Expr) *ast.FuncCallExpr {
	for _, a := range args {
		oneValue(a) // an operand is one value
	}
	fn := &ast.IdentExpr{Value: name}
	// one value, and never a tail call: the caller's frame must stay for
	// the error naming, as the operation's own instruction's would
	call := &ast.FuncCallExpr{Func: fn, Args: args, AdjustRet: true}
	placeAt(e, fn, call)
	return call
}

// placeAt gives nodes the lines of at, the source they stand for.
func placeAt(at ast.PositionHolder, nodes ...ast.PositionHolder) {
	for _, n := range nodes {
		n.SetLine(at.Line())
		n.SetLastLine(at.LastLine())
	}
}

// oneValue makes e, when it is a call or ..., give one value, as (e) does.
func oneValue(e ast.Expr) {
	switch e := e.(type) {
	case *ast.FuncCallExpr:
		e.AdjustRet = true
	case *ast.Comma3Expr:
		e.AdjustRet = true
	}
}

// rewriteStmts rewrites the operations of stmts (see above).
func rewriteStmts(stmts []ast.Stmt) {
	for i, s := range stmts {
		rewriteStmt(s)
		if a, ok := s.(*ast.AssignStmt); ok {
			stmts[i] = withDeadKeyNote(a)
		}
	}
}

// withDeadKeyNote returns a, or for t.k = nil (t a name, k a string) a
// block of setDeadKey(t, k) and a.
func withDeadKeyNote(a *ast.AssignStmt) ast.Stmt {
	if len(a.Lhs) != 1 || len(a.Rhs) != 1 {
		return a
	}
	field, isField := a.Lhs[0].(*ast.AttrGetExpr)
	if _, isNil := a.Rhs[0].(*ast.NilExpr); !isNil || !isField {
		return a
	}
	table, isName := field.Object.(*ast.IdentExpr)
	key, isString := field.Key.(*ast.StringExpr)
	if !isName || !isString {
		return a
	}
	t := &ast.IdentExpr{Value: table.Value}
	k := &ast.StringExpr{Value: key.Value}
	fn := &ast.IdentExpr{Value: setDeadKeyName}
	call := &ast.FuncCallExpr{Func: fn, Args: []ast.Expr{t, k}}
	note := &ast.FuncCallStmt{Expr: call}
	block := &ast.DoBlockStmt{Stmts: []ast.Stmt{note, a}}
	placeAt(a, t, k, fn, call, note, block)
	return block
}

func rewriteStmt(s ast.Stmt) {
	switch s := s.(type) {
	case *ast.AssignStmt:
		rewriteExprs(s.Lhs)
		rewriteExprs(s.Rhs)
	case *ast.LocalAssignStmt:
		rewriteExprs(s.Exprs)
		if len(s.Names) == 1 && len(s.Exprs) == 1 && s.LastLine() == 0 {
			if _, ok := s.Exprs[0].(*ast.FunctionExpr); ok {
				// "local f = function ... end", which gopher-lua's parser
				// leaves without a last line, unlike "local function f":
				// gopher-lua compiles both with f already declared, but
				// in the first f inside is the global. A second value,
				// discarded, takes it off that path.
				nilv := &ast.NilExpr{}
				nilv.SetLine(s.Line())
				s.Exprs = append(s.Exprs, nilv)
			}
		}
	case *ast.FuncCallStmt:
		s.Expr = rewriteExpr(s.Expr)
	case *ast.DoBlockStmt:
		rewriteStmts(s.Stmts)
	case *ast.WhileStmt:
		s.Condition = rewriteExpr(s.Condition)
		rewriteStmts(s.Stmts)
		switch {
		case constantAtom(leftmost(s.Condition)):
			// no code, or a jump out of a loop that never runs
			s.Stmts = guardLoopHead(s.Stmts)
		case hasConstantLogic(s.Condition):
			// The condition itself, the loop's head, may start with a
			// jump: while true do <guard> if not cond then break end ...
			exit := &ast.IfStmt{Condition: &ast.UnaryNotOpExpr{Expr: s.Condition}, Then: []ast.Stmt{&ast.BreakStmt{}}}
			for _, n := range []ast.PositionHolder{exit, exit.Condition, exit.Then[0]} {
				n.SetLine(s.Condition.Line())
			}
			s.Stmts = append([]ast.Stmt{newLoopGuard(s.Condition.Line()), exit}, s.Stmts...)
			s.Condition = &ast.TrueExpr{}
		}
	case *ast.RepeatStmt:
		s.Condition = rewriteExpr(s.Condition)
		rewriteStmts(s.Stmts)
		s.Stmts = guardLoopHead(s.Stmts)
	case *ast.IfStmt:
		s.Condition = rewriteExpr(s.Condition)
		rewriteStmts(s.Then)
		rewriteStmts(s.Else)
	case *ast.NumberForStmt:
		s.Init, s.Limit = forBound(s.Init), forBound(s.Limit)
		if s.Step != nil {
			s.Step = forBound(s.Step)
		}
		rewriteStmts(s.Stmts)
	case *ast.GenericForStmt:
		rewriteExprs(s.Exprs)
		rewriteStmts(s.Stmts)
		s.Stmts = guardLoopHead(s.Stmts)
	case *ast.FuncDefStmt:
		if s.Name != nil && s.Name.Func != nil {
			s.Name.Func = rewriteExpr(s.Name.Func)
		}
		rewriteExpr(s.Func)
	case *ast.ReturnStmt:
		rewriteExprs(s.Exprs)
		s.Exprs = spreadLong(s.Exprs, s)
	}
}

// gopher-lua v1.1.2's jump-to-jump optimization follows a chain of jumps
// by reading each JMP's operand as a label, but walks the code forwards,
// so a JMP before the one it optimizes holds a distance already: a loop
// whose back jump lands on a JMP (a generic for whose body starts with a
// break, or with if false ...) jumped elsewhere, stopped looping or never
// ended (yuin/gopher-lua#540). A loop whose head may be a JMP gets a
// hidden local first, a LOADNIL, which is no JMP.
const loopGuardName = "\x00guard"

// guardLoopHead returns a loop's body, with the hidden local first if the
// body may start with a JMP.
func guardLoopHead(body []ast.Stmt) []ast.Stmt {
	if len(body) == 0 || !mayStartWithJump(body[0]) {
		return body
	}
	return append([]ast.Stmt{newLoopGuard(body[0].Line())}, body...)
}

// newLoopGuard is the hidden local that starts a guarded loop body.
func newLoopGuard(line int) ast.Stmt {
	g := &ast.LocalAssignStmt{Names: []string{loopGuardName}}
	g.SetLine(line)
	g.SetLastLine(line)
	return g
}

// mayStartWithJump reports whether gopher-lua may compile s to code whose
// first instruction is a JMP: a break, a condition whose first operand is
// a constant, a nested loop or block whose own head may be one, or a
// statement with a logical operation on a constant, which may start with
// one (an over-estimate: the guard costs one instruction a turn).
func mayStartWithJump(s ast.Stmt) bool {
	switch s := s.(type) {
	case *ast.BreakStmt, *ast.DoBlockStmt:
		return true
	case *ast.IfStmt:
		return conditionMayStartWithJump(s.Condition)
	case *ast.WhileStmt:
		return conditionMayStartWithJump(s.Condition)
	case *ast.RepeatStmt:
		return len(s.Stmts) == 0 || mayStartWithJump(s.Stmts[0])
	case *ast.LocalAssignStmt:
		return anyConstantLogic(s.Exprs)
	case *ast.AssignStmt:
		return anyConstantLogic(s.Lhs) || anyConstantLogic(s.Rhs)
	case *ast.ReturnStmt:
		return anyConstantLogic(s.Exprs)
	case *ast.FuncCallStmt:
		return hasConstantLogic(s.Expr)
	case *ast.NumberForStmt:
		return hasConstantLogic(s.Init) || hasConstantLogic(s.Limit) || (s.Step != nil && hasConstantLogic(s.Step))
	case *ast.GenericForStmt:
		return anyConstantLogic(s.Exprs)
	}
	return false
}

// conditionMayStartWithJump reports whether a condition's code may start
// with a JMP: when the operand it tests first is a constant, or an and/or
// on a constant is in it.
func conditionMayStartWithJump(e ast.Expr) bool {
	return constantAtom(leftmost(e)) || hasConstantLogic(e)
}

// leftmost is the operand a condition tests first.
func leftmost(e ast.Expr) ast.Expr {
	for {
		switch x := e.(type) {
		case *ast.LogicalOpExpr:
			e = x.Lhs
		case *ast.UnaryNotOpExpr:
			e = x.Expr
		default:
			return e
		}
	}
}

func constantAtom(e ast.Expr) bool {
	switch e.(type) {
	case *ast.TrueExpr, *ast.FalseExpr, *ast.NilExpr, *ast.NumberExpr, *ast.StringExpr:
		return true
	}
	return false
}

func anyConstantLogic(es []ast.Expr) bool {
	for _, e := range es {
		if hasConstantLogic(e) {
			return true
		}
	}
	return false
}

// hasConstantLogic reports whether e, outside the functions in it, has an
// and or or whose first operand is a constant.
func hasConstantLogic(e ast.Expr) bool {
	if l, ok := e.(*ast.LogicalOpExpr); ok && constantAtom(leftmost(l)) {
		return true
	}
	found := false
	eachSubexpr(e, func(sub ast.Expr) { found = found || hasConstantLogic(sub) })
	return found
}

// eachSubexpr calls f for each operand of e, not for the body of a
// function: the operands of an operator, a call's function, receiver and
// arguments, an index's table and key, a table constructor's keys and
// values.
func eachSubexpr(e ast.Expr, f func(ast.Expr)) {
	visit := func(es ...ast.Expr) {
		for _, sub := range es {
			if sub != nil {
				f(sub)
			}
		}
	}
	switch e := e.(type) {
	case *ast.AttrGetExpr:
		visit(e.Object, e.Key)
	case *ast.TableExpr:
		for _, fl := range e.Fields {
			visit(fl.Key, fl.Value)
		}
	case *ast.FuncCallExpr:
		visit(e.Func, e.Receiver)
		visit(e.Args...)
	case *ast.LogicalOpExpr:
		visit(e.Lhs, e.Rhs)
	case *ast.RelationalOpExpr:
		visit(e.Lhs, e.Rhs)
	case *ast.StringConcatOpExpr:
		visit(e.Lhs, e.Rhs)
	case *ast.ArithmeticOpExpr:
		visit(e.Lhs, e.Rhs)
	case *ast.UnaryMinusOpExpr:
		visit(e.Expr)
	case *ast.UnaryNotOpExpr:
		visit(e.Expr)
	case *ast.UnaryLenOpExpr:
		visit(e.Expr)
	}
}

// forBound is a numeric for's bound e, converted by forNumber unless it is
// a numeral (or a negated one), which needs no conversion.
func forBound(e ast.Expr) ast.Expr {
	n := e
	if u, ok := n.(*ast.UnaryMinusOpExpr); ok {
		n = u.Expr
	}
	if _, ok := n.(*ast.NumberExpr); ok {
		return rewriteExpr(e)
	}
	return hiddenCall(forNumberName, e, e)
}

func rewriteExprs(es []ast.Expr) {
	for i, e := range es {
		es[i] = rewriteExpr(e)
	}
}

// rewriteExpr rewrites the operations inside e and returns e, or the call
// that stands for it.
func rewriteExpr(e ast.Expr) ast.Expr {
	switch e := e.(type) {
	case *ast.NumberExpr:
		// A numeral beyond the largest double is inf to Lua's strtod;
		// gopher-lua's compiler makes a NaN of Go's range error.
		if f, err := strconv.ParseFloat(e.Value, 64); err != nil && math.IsInf(f, 1) {
			e.Value = "inf"
		}
	case *ast.StringConcatOpExpr:
		return concatCall(e)
	case *ast.ArithmeticOpExpr:
		e.Lhs, e.Rhs = rewriteExpr(e.Lhs), rewriteExpr(e.Rhs)
		switch e.Operator {
		case "%":
			if n, ok := folded(e, luaModNumbers); ok {
				return n
			}
			return rewrittenCall(modName, e, e.Lhs, e.Rhs)
		case "^":
			if n, ok := folded(e, numPow); ok {
				return n
			}
			return rewrittenCall(powName, e, e.Lhs, e.Rhs)
		case "/":
			e.Lhs = unfoldedDividend(e.Lhs, e.Rhs)
		}
	case *ast.AttrGetExpr:
		e.Object, e.Key = rewriteExpr(e.Object), rewriteExpr(e.Key)
	case *ast.TableExpr:
		for _, f := range e.Fields {
			f.Value = rewriteExpr(f.Value)
			if f.Key != nil {
				f.Key = rewriteExpr(f.Key)
				// A keyed field holds one value. gopher-lua's compiler
				// spreads a call's values that ends the constructor into
				// the array part even when it is keyed ({1, x = f()} had
				// t[2]); one value, as (f()) gives, is Lua's meaning.
				oneValue(f.Value)
			}
		}
		if keyed := keyedFields(e); keyed >= 2 {
			// Lua's constructor makes room for its keyed fields first,
			// which places their keys (tableorder.go)
			n := &ast.NumberExpr{Value: strconv.Itoa(keyed)}
			n.SetLine(e.Line())
			return rewrittenCall(sizedTableName, e, e, n)
		}
	case *ast.FuncCallExpr:
		if e.Func != nil {
			e.Func = rewriteExpr(e.Func)
		}
		if e.Receiver != nil {
			e.Receiver = rewriteExpr(e.Receiver)
		}
		rewriteExprs(e.Args)
		e.Args = spreadLong(e.Args, e)
	case *ast.LogicalOpExpr:
		e.Lhs, e.Rhs = rewriteExpr(e.Lhs), rewriteExpr(e.Rhs)
	case *ast.RelationalOpExpr:
		e.Lhs, e.Rhs = rewriteExpr(e.Lhs), rewriteExpr(e.Rhs)
	case *ast.UnaryMinusOpExpr:
		e.Expr = rewriteExpr(e.Expr)
		if _, ok := gopherConst(e.Expr); !ok {
			return rewrittenCall(unmName, e, e.Expr)
		}
		// a constant, which Lua folds as gopher-lua does: -2^63 is one
	case *ast.UnaryNotOpExpr:
		e.Expr = rewriteExpr(e.Expr)
	case *ast.UnaryLenOpExpr:
		e.Expr = rewriteExpr(e.Expr)
	case *ast.FunctionExpr:
		rewriteStmts(e.Stmts)
	}
	return e
}

// folded is e, a % b or a ^ b with its operands rewritten, computed by op
// and folded as Lua 5.1 folds it: two constants, for % a divisor other
// than 0, a result other than NaN.
func folded(e *ast.ArithmeticOpExpr, op func(x, y float64) float64) (ast.Expr, bool) {
	a, ok1 := gopherConst(e.Lhs)
	b, ok2 := gopherConst(e.Rhs)
	if !ok1 || !ok2 || (b == 0 && e.Operator == "%") {
		return nil, false
	}
	r := op(a, b)
	if math.IsNaN(r) {
		return nil, false
	}
	return numeral(r, e), true
}

// numeral is an expression gopher-lua's compiler reads as the number r,
// placed at e: a numeral, negated for -0 and -inf, which Go's syntax for
// numbers spells otherwise than gopher-lua reads them.
func numeral(r float64, e ast.PositionHolder) ast.Expr {
	value := "inf"
	if !math.IsInf(r, 0) {
		value = strconv.FormatFloat(math.Abs(r), 'g', -1, 64)
	}
	var n ast.Expr = &ast.NumberExpr{Value: value}
	placeAt(e, n)
	if math.Signbit(r) {
		n = &ast.UnaryMinusOpExpr{Expr: n}
		placeAt(e, n)
	}
	return n
}

// unfoldedDividend returns the dividend lhs of lhs/rhs, or, when
// gopher-lua would fold a division by zero there, a hidden global read of
// its value, which it cannot fold. The divisor stays a constant where Lua
// has one.
func unfoldedDividend(lhs, rhs ast.Expr) ast.Expr {
	a, lconst := gopherConst(lhs)
	b, rconst := gopherConst(rhs)
	if !lconst || !rconst || b != 0 {
		return lhs
	}
	id := &ast.IdentExpr{Value: numberPrefix + strconv.FormatUint(math.Float64bits(a), 16)}
	placeAt(lhs, id)
	return id
}

// numberConst returns the index of p's constant n, added if p has none.
// An equal constant is n itself: a dividend of 0 or -0 gives NaN either way.
func numberConst(p *lua.FunctionProto, n lua.LNumber) int {
	for i, c := range p.Constants {
		if c, ok := c.(lua.LNumber); ok && c == n {
			return i
		}
	}
	p.Constants = append(p.Constants, n)
	return len(p.Constants) - 1
}

// hiddenNumber is the number a hidden global's name spells, if it does.
func hiddenNumber(name string) (lua.LNumber, bool) {
	bits, ok := strings.CutPrefix(name, numberPrefix)
	if !ok {
		return 0, false
	}
	b, err := strconv.ParseUint(bits, 16, 64)
	return lua.LNumber(math.Float64frombits(b)), err == nil
}

// gopherConst reports whether gopher-lua's compiler folds e (rewritten) to
// a number, and which: numerals, and arithmetic other than % and ^ of
// those (unary minus of anything else, % and ^ are calls or numerals once
// rewritten).
func gopherConst(e ast.Expr) (float64, bool) {
	switch e := e.(type) {
	case *ast.NumberExpr:
		if e.Value == "inf" { // rewritten above
			return math.Inf(1), true
		}
		return luaStrtod(e.Value)
	case *ast.UnaryMinusOpExpr:
		v, ok := gopherConst(e.Expr)
		return -v, ok
	case *ast.ArithmeticOpExpr:
		a, ok1 := gopherConst(e.Lhs)
		b, ok2 := gopherConst(e.Rhs)
		if !ok1 || !ok2 {
			return 0, false
		}
		for _, ev := range stringArithEvents {
			if ev.operator == e.Operator {
				return ev.op(a, b), true
			}
		}
	}
	return 0, false
}

// loadHidden turns p's reads of the hidden globals, and its nested
// functions', into loads of constants holding their functions.
func loadHidden(p *lua.FunctionProto) {
	var slot map[string]int
	data, _ := codeShape(p)
	for pc, inst := range p.Code {
		if data[pc] || instOp(inst) != lua.OP_GETGLOBAL {
			continue
		}
		name, ok := constString(p, instBx(inst))
		if !ok {
			continue
		}
		var k int
		if fn, hidden := hiddenFns[name]; hidden {
			seen := false
			if k, seen = slot[name]; !seen {
				if slot == nil {
					slot = make(map[string]int, len(hiddenFns))
				}
				k = len(p.Constants)
				slot[name] = k
				p.Constants = append(p.Constants, fn)
			}
		} else if n, hidden := hiddenNumber(name); hidden {
			k = numberConst(p, n)
		} else {
			continue
		}
		p.Code[pc] = uint32(lua.OP_LOADK)<<instOpShift | uint32(instA(inst))<<instAShift | uint32(k)
	}
	for _, sub := range p.FunctionPrototypes {
		loadHidden(sub)
	}
}

// fixZeroConstants gives the constant 0 of p and its nested functions the
// sign Lua 5.1's has (zeroSigns, from the syntax checker, in the order
// the functions' sources start). A function's 0 and -0 are one constant in
// both compilers, the first entered, but gopher-lua enters an operation's
// operands left to right where Lua enters a numeral left operand's after
// the right one's: in (-0) + (-1/0) Lua's 0 is the divisor's, +0, and the
// sum -inf; gopher-lua's was -0, and the sum inf. Should the functions not
// line up, p stays as it is.
func fixZeroConstants(p *lua.FunctionProto, zeroSigns []int8) {
	var protos []*lua.FunctionProto
	eachProto(p, func(q *lua.FunctionProto) { protos = append(protos, q) })
	if len(protos) != len(zeroSigns) {
		return
	}
	for i, q := range protos {
		if zeroSigns[i] == 0 {
			continue
		}
		for j, c := range q.Constants {
			if n, ok := c.(lua.LNumber); ok && n == 0 {
				q.Constants[j] = lua.LNumber(math.Copysign(0, float64(zeroSigns[i])))
			}
		}
	}
}

// listRegisters is the longest list of a call's arguments or a return's
// values that is left in registers: gopher-lua's SETLIST batch
// (lua.FieldsPerFlush), so that a longer list takes no more registers as a
// table constructor.
const listRegisters = 50

// spreadLong returns es, rewritten already, or for a list longer than
// listRegisters the one call of spreadList that gives the same values, in
// the same order of evaluation: the fixed values in a table constructor,
// then a last expression that gives several values (a call, ...) as it is.
func spreadLong(es []ast.Expr, at ast.PositionHolder) []ast.Expr {
	if len(es) <= listRegisters {
		return es
	}
	fixed, tail := es, []ast.Expr(nil)
	if last := es[len(es)-1]; multiValued(last) {
		fixed, tail = es[:len(es)-1], es[len(es)-1:]
	}
	fields := make([]*ast.Field, len(fixed))
	for i, e := range fixed {
		fields[i] = &ast.Field{Value: e}
	}
	table := &ast.TableExpr{Fields: fields}
	count := &ast.NumberExpr{Value: strconv.Itoa(len(fixed))}
	fn := &ast.IdentExpr{Value: spreadListName}
	call := &ast.FuncCallExpr{Func: fn, Args: append([]ast.Expr{table, count}, tail...)}
	placeAt(at, table, count, fn, call)
	return []ast.Expr{call}
}

// multiValued reports whether e, last in a list, gives all its values.
func multiValued(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.FuncCallExpr:
		return !e.AdjustRet
	case *ast.Comma3Expr:
		return !e.AdjustRet
	}
	return false
}

// spreadList returns t[1..n] followed by its further arguments, for the
// call spreadLong makes: spreadList(t, n, ...).
func spreadList(L *lua.LState) int {
	t, _ := L.Get(1).(*lua.LTable)
	n, _ := L.Get(2).(lua.LNumber)
	top := L.GetTop()
	for i := 1; i <= int(n); i++ {
		L.Push(t.RawGetInt(i))
	}
	for i := 3; i <= top; i++ {
		L.Push(L.Get(i))
	}
	return int(n) + top - 2
}
