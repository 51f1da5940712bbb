package scripting

import (
	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/ast"
)

// Runtime errors name the local variable behind a bad value as Lua 5.1
// does ("attempt to index local 'x'"), from the scopes of the function's
// locals (DbgLocals). gopher-lua v1.1.2 records them wrongly in two ways:
//
//   - a block's end is written into DbgLocals at its locals' register
//     numbers, not at their own entries: once a later local reuses a
//     register (any local after a loop or a do block), entries get other
//     locals' ends and the last ones none;
//   - a for loop's hidden locals start before its expressions are
//     evaluated, so "for k in pairs(nil)" blamed '(for generator)', where
//     Lua's start after them and name 'pairs'.
//
// The second is mended from the entries themselves. For the first, the
// script is compiled once more with every statement's line number
// replaced by a label, in an order that gives each block a range of
// labels (scopeLabeler): the second compile's code is the first's, and its
// line table tells which statement made each instruction, so a local's
// scope ends at the last instruction made inside its block.

// fixScopes mends the local scopes of p, compiled from code (with goto
// spelled gotoAs) as name, and of its nested functions. Where it cannot,
// it leaves them as they were: localsKnown then tells the error naming not
// to trust them.
func fixScopes(p *lua.FunctionProto, code, gotoAs, name string) {
	// A local gopher-lua never ended has EndPc 0, and a StartPc above 0:
	// only the first locals start at 0, and they end right.
	broken := false
	eachProto(p, func(p *lua.FunctionProto) {
		startForLocals(p)
		for _, l := range p.DbgLocals {
			broken = broken || l.EndPc < l.StartPc
		}
	})
	if !broken {
		return
	}
	var ends [][]int
	if !labelledEnds(p, code, gotoAs, name, &ends) {
		// Leave the scopes untrusted (localsKnown), empty ones included.
		eachProto(p, func(p *lua.FunctionProto) {
			for _, l := range p.DbgLocals {
				if l.EndPc < l.StartPc {
					l.EndPc = l.StartPc - 2
				}
			}
		})
		return
	}
	i := 0
	eachProto(p, func(p *lua.FunctionProto) {
		for j, l := range p.DbgLocals {
			l.EndPc = ends[i][j]
		}
		i++
	})
}

// labelledEnds compiles code once more, labelled (scopeLabeler), and
// works out the ends of the locals of p and its nested functions from it.
func labelledEnds(p *lua.FunctionProto, code, gotoAs, name string, ends *[][]int) bool {
	chunk, err := parseRewritten(code, name, gotoAs, nil)
	if err != nil {
		return false
	}
	sl := &scopeLabeler{funcs: make(map[int]*funcScopes)}
	sl.function(0, nil, chunk)
	labelled, err := lua.Compile(chunk, name)
	return err == nil && sl.ends(p, labelled, ends)
}

// eachProto calls f for p and its nested functions, depth first.
func eachProto(p *lua.FunctionProto, f func(*lua.FunctionProto)) {
	f(p)
	for _, sub := range p.FunctionPrototypes {
		eachProto(sub, f)
	}
}

// startForLocals starts a for loop's three hidden locals where its loop
// variables start, less one: at the FORPREP or the JMP that begins the
// loop, once its expressions are evaluated, as in Lua 5.1.
func startForLocals(p *lua.FunctionProto) {
	ls := p.DbgLocals
	for i := 0; i+3 < len(ls); i++ {
		if n := ls[i].Name; n == "(for index)" || n == "(for generator)" {
			for j := i; j < i+3; j++ {
				ls[j].StartPc = ls[i+3].StartPc - 1
			}
		}
	}
}

// localsKnown reports whether p's local scopes can be trusted: no local
// ends before the instruction before its start (an empty scope ends just
// there). A local gopher-lua never ended (see above) ends at 0.
func localsKnown(p *lua.FunctionProto) bool {
	for _, l := range p.DbgLocals {
		if l.EndPc < l.StartPc-1 {
			return false
		}
	}
	return true
}

// scopeDecl is a local as the labelled compile sees it: in scope in the
// code labelled from to to.
type scopeDecl struct{ from, to int }

// funcScopes are a function's locals, in the order gopher-lua's compiler
// registers them (the order of DbgLocals).
type funcScopes struct{ decls []scopeDecl }

// scopeLabeler labels a syntax tree for the second compile: each statement
// gets a label of its own, in source order, and so does each function,
// which its proto then carries as LineDefined. The expressions of a
// statement carry its label, except that a repeat's condition is labelled
// after the loop's body, whose locals it sees. So the statements of a block,
// and everything in them, hold the labels from its first statement's to the
// last label given inside it.
type scopeLabeler struct {
	last  int
	funcs map[int]*funcScopes // by function label; the main chunk is 0
}

func (sl *scopeLabeler) next() int {
	sl.last++
	return sl.last
}

// function labels a function's body; params are its locals before the
// body's (self, the parameters, arg).
func (sl *scopeLabeler) function(label int, params []string, body []ast.Stmt) {
	f := &funcScopes{}
	sl.funcs[label] = f
	for range params {
		f.decls = append(f.decls, scopeDecl{from: label})
	}
	sl.block(f, body, nil)
	for i := range params {
		f.decls[i].to = sl.last
	}
}

// block labels a block's statements, then a repeat's condition if any,
// and ends the locals declared in it (labels start at 1: a local whose
// end is 0 has none yet) at the last label given.
func (sl *scopeLabeler) block(f *funcScopes, stmts []ast.Stmt, until ast.Expr) {
	first := len(f.decls)
	for _, s := range stmts {
		sl.stmt(f, s)
	}
	if until != nil {
		sl.expr(until, sl.next())
	}
	for i := first; i < len(f.decls); i++ {
		if f.decls[i].to == 0 { // not a nested block's, which ended already
			f.decls[i].to = sl.last
		}
	}
}

// declare registers locals of f in scope from label on (ended by block).
func (f *funcScopes) declare(n, from int) {
	for i := 0; i < n; i++ {
		f.decls = append(f.decls, scopeDecl{from: from})
	}
}

func (sl *scopeLabeler) stmt(f *funcScopes, s ast.Stmt) {
	l := sl.next()
	s.SetLine(l)
	s.SetLastLine(l)
	switch s := s.(type) {
	case *ast.AssignStmt:
		sl.exprs(s.Lhs, l)
		sl.exprs(s.Rhs, l)
	case *ast.LocalAssignStmt:
		if len(s.Names) == 1 && len(s.Exprs) == 1 {
			if _, ok := s.Exprs[0].(*ast.FunctionExpr); ok {
				// local function f: f is a local before its body
				f.declare(1, l)
				sl.exprs(s.Exprs, l)
				return
			}
		}
		sl.exprs(s.Exprs, l)
		f.declare(len(s.Names), l)
	case *ast.FuncCallStmt:
		sl.expr(s.Expr, l)
	case *ast.DoBlockStmt:
		sl.block(f, s.Stmts, nil)
	case *ast.WhileStmt:
		sl.expr(s.Condition, l)
		sl.block(f, s.Stmts, nil)
	case *ast.RepeatStmt:
		sl.block(f, s.Stmts, s.Condition)
	case *ast.IfStmt:
		sl.expr(s.Condition, l)
		sl.block(f, s.Then, nil)
		sl.block(f, s.Else, nil)
	case *ast.NumberForStmt:
		// the hidden locals, then the loop variable, in one block
		first := len(f.decls)
		f.declare(3, l)
		sl.expr(s.Init, l)
		sl.expr(s.Limit, l)
		if s.Step != nil {
			sl.expr(s.Step, l)
		}
		f.declare(1, l+1)
		sl.block(f, s.Stmts, nil)
		for i := first; i < first+4; i++ {
			f.decls[i].to = sl.last
		}
	case *ast.GenericForStmt:
		first := len(f.decls)
		f.declare(3, l)
		sl.exprs(s.Exprs, l)
		f.declare(len(s.Names), l+1)
		sl.block(f, s.Stmts, nil)
		for i := first; i < first+3+len(s.Names); i++ {
			f.decls[i].to = sl.last
		}
	case *ast.FuncDefStmt:
		if s.Name.Func != nil {
			sl.expr(s.Name.Func, l)
			sl.expr(s.Func, l)
			return
		}
		sl.expr(s.Name.Receiver, l)
		sl.funcExpr(s.Func, true)
	case *ast.ReturnStmt:
		sl.exprs(s.Exprs, l)
	}
}

func (sl *scopeLabeler) exprs(es []ast.Expr, l int) {
	for _, e := range es {
		sl.expr(e, l)
	}
}

// expr gives e and its subexpressions label l, and functions in it their
// own labels.
func (sl *scopeLabeler) expr(e ast.Expr, l int) {
	if e == nil {
		return
	}
	if fe, ok := e.(*ast.FunctionExpr); ok {
		sl.funcExpr(fe, false)
		return
	}
	e.SetLine(l)
	e.SetLastLine(l)
	eachSubexpr(e, func(sub ast.Expr) { sl.expr(sub, l) })
}

// funcExpr labels a function: method ones have self first, and vararg ones
// arg last, as gopher-lua registers them in a nested function.
func (sl *scopeLabeler) funcExpr(fe *ast.FunctionExpr, method bool) {
	l := sl.next()
	fe.SetLine(l)
	fe.SetLastLine(l)
	var params []string
	if method {
		params = append(params, "self")
	}
	params = append(params, fe.ParList.Names...)
	if fe.ParList.HasVargs && lua.CompatVarArg {
		params = append(params, "arg")
	}
	sl.function(l, params, fe.Stmts)
}

// ends works out, for p and the functions nested in it (in eachProto's
// order), where each local's scope ends: the last instruction of the
// labelled compile q made in its scope, or the one before its start when
// none is. It reports false when q's shape is not p's.
func (sl *scopeLabeler) ends(p, q *lua.FunctionProto, out *[][]int) bool {
	f := sl.funcs[q.LineDefined]
	if f == nil || len(f.decls) != len(p.DbgLocals) || len(q.Code) != len(p.Code) ||
		len(q.DbgSourcePositions) != len(q.Code) || len(q.FunctionPrototypes) != len(p.FunctionPrototypes) {
		return false
	}
	ends := make([]int, len(f.decls))
	for i, d := range f.decls {
		start := p.DbgLocals[i].StartPc
		ends[i] = start - 1
		for pc := max(start, 0); pc < len(q.Code); pc++ {
			if l := q.DbgSourcePositions[pc]; d.from <= l && l <= d.to {
				ends[i] = pc
			}
		}
	}
	*out = append(*out, ends)
	for i, sub := range p.FunctionPrototypes {
		if !sl.ends(sub, q.FunctionPrototypes[i], out) {
			return false
		}
	}
	return true
}
