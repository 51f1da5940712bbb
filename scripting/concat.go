package scripting

import (
	"strings"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/ast"
)

// Lua 5.1 turns a number into a string for .. with "%.14g": (0.1+0.2) .. ""
// is "0.3" and 2^53 .. "" is "9.007199254741e+15". gopher-lua's CONCAT
// prints Go's shortest form instead ("0.30000000000000004",
// "9007199254740992") and offers no hook. So each chain of .. is compiled
// as a call of concatChain with the chain's operands, which joins them as
// Lua 5.1's CONCAT does. The syntax tree names the function as a global no
// identifier can spell; after compiling, those reads become loads of a
// constant holding it, so no globals table has it and a call costs no
// lookup. Its errors are named from the calling instruction as CONCAT's
// are (errnames.go).

// concatChainName is the global the rewritten tree reads.
const concatChainName = "\x00concat"

// concatChainFn is concatChain as a Lua value. It is shared by every
// interpreter: it has no upvalues or environment of its own to change.
var concatChainFn = &lua.LFunction{IsG: true, GFunction: concatChain}

// concatChain is Lua 5.1's luaV_concat over its arguments: from the right,
// it joins as many strings and numbers at once as it can, and hands a pair
// with another value to __concat. The arguments, the caller's registers,
// stay as they were, which the error naming reads.
func concatChain(L *lua.LState) int {
	var buf [8]lua.LValue
	vals := buf[:0]
	for i := 1; i <= L.GetTop(); i++ {
		vals = append(vals, L.Get(i))
	}
	for len(vals) > 1 {
		top := len(vals) - 1
		if !lua.LVCanConvToString(vals[top-1]) || !lua.LVCanConvToString(vals[top]) {
			a, b := vals[top-1], vals[top]
			tm := L.GetMetaField(a, "__concat")
			if tm == lua.LNil {
				tm = L.GetMetaField(b, "__concat")
			}
			if _, ok := tm.(*lua.LFunction); !ok {
				// errnames.go words it, a call error where tm is not nil
				L.RaiseError("cannot perform concat operation between %s and %s", a.Type(), b.Type())
			}
			L.Push(tm)
			L.Push(a)
			L.Push(b)
			L.Call(2, 1)
			vals[top-1] = L.Get(-1)
			L.Pop(1)
			vals = vals[:top]
			continue
		}
		first := top - 1
		for first > 0 && lua.LVCanConvToString(vals[first-1]) {
			first--
		}
		vals[first] = joinText(vals[first:])
		vals = vals[:first+1]
	}
	if len(vals) == 0 {
		L.Push(lua.LNil)
	} else {
		L.Push(vals[0])
	}
	return 1
}

// joinText joins strings and numbers, the numbers printed as Lua 5.1
// prints them, in one allocation.
func joinText(vals []lua.LValue) lua.LString {
	size := 0
	for _, v := range vals {
		if s, ok := v.(lua.LString); ok {
			size += len(s)
		} else {
			size += 24 // a number's longest form
		}
	}
	var b strings.Builder
	b.Grow(size)
	var scratch [32]byte
	for _, v := range vals {
		switch v := v.(type) {
		case lua.LString:
			b.WriteString(string(v))
		case lua.LNumber:
			b.Write(appendNumber(scratch[:0], float64(v)))
		}
	}
	return lua.LString(b.String())
}

// rewriteConcat wraps the operands of every .. in stmts (see above).
func rewriteConcat(stmts []ast.Stmt) {
	for _, s := range stmts {
		concatStmt(s)
	}
}

func concatStmt(s ast.Stmt) {
	switch s := s.(type) {
	case *ast.AssignStmt:
		concatExprs(s.Lhs)
		concatExprs(s.Rhs)
	case *ast.LocalAssignStmt:
		concatExprs(s.Exprs)
	case *ast.FuncCallStmt:
		s.Expr = concatExpr(s.Expr)
	case *ast.DoBlockStmt:
		rewriteConcat(s.Stmts)
	case *ast.WhileStmt:
		s.Condition = concatExpr(s.Condition)
		rewriteConcat(s.Stmts)
	case *ast.RepeatStmt:
		s.Condition = concatExpr(s.Condition)
		rewriteConcat(s.Stmts)
	case *ast.IfStmt:
		s.Condition = concatExpr(s.Condition)
		rewriteConcat(s.Then)
		rewriteConcat(s.Else)
	case *ast.NumberForStmt:
		s.Init, s.Limit = concatExpr(s.Init), concatExpr(s.Limit)
		if s.Step != nil {
			s.Step = concatExpr(s.Step)
		}
		rewriteConcat(s.Stmts)
	case *ast.GenericForStmt:
		concatExprs(s.Exprs)
		rewriteConcat(s.Stmts)
	case *ast.FuncDefStmt:
		if s.Name != nil && s.Name.Func != nil {
			s.Name.Func = concatExpr(s.Name.Func)
		}
		concatExpr(s.Func)
	case *ast.ReturnStmt:
		concatExprs(s.Exprs)
	}
}

func concatExprs(es []ast.Expr) {
	for i, e := range es {
		es[i] = concatExpr(e)
	}
}

// concatExpr rewrites the .. expressions inside e and returns e.
func concatExpr(e ast.Expr) ast.Expr {
	switch e := e.(type) {
	case *ast.StringConcatOpExpr:
		// a .. b .. c nests to the right: one call for the chain
		var args []ast.Expr
		var link ast.Expr = e
		for {
			c, ok := link.(*ast.StringConcatOpExpr)
			if !ok {
				break
			}
			args = append(args, c.Lhs)
			link = c.Rhs
		}
		args = append(args, link)
		for i, a := range args {
			args[i] = concatExpr(a)
			// an operand is one value, as in (f())
			switch a := args[i].(type) {
			case *ast.FuncCallExpr:
				a.AdjustRet = true
			case *ast.Comma3Expr:
				a.AdjustRet = true
			}
		}
		fn := &ast.IdentExpr{Value: concatChainName}
		// one value, and never a tail call: the caller's frame must stay
		// for the error naming, as CONCAT's does
		call := &ast.FuncCallExpr{Func: fn, Args: args, AdjustRet: true}
		for _, n := range []ast.PositionHolder{fn, call} {
			n.SetLine(e.Line())
			n.SetLastLine(e.LastLine())
		}
		return call
	case *ast.AttrGetExpr:
		e.Object, e.Key = concatExpr(e.Object), concatExpr(e.Key)
	case *ast.TableExpr:
		for _, f := range e.Fields {
			if f.Key != nil {
				f.Key = concatExpr(f.Key)
			}
			f.Value = concatExpr(f.Value)
		}
	case *ast.FuncCallExpr:
		if e.Func != nil {
			e.Func = concatExpr(e.Func)
		}
		if e.Receiver != nil {
			e.Receiver = concatExpr(e.Receiver)
		}
		concatExprs(e.Args)
	case *ast.LogicalOpExpr:
		e.Lhs, e.Rhs = concatExpr(e.Lhs), concatExpr(e.Rhs)
	case *ast.RelationalOpExpr:
		e.Lhs, e.Rhs = concatExpr(e.Lhs), concatExpr(e.Rhs)
	case *ast.ArithmeticOpExpr:
		e.Lhs, e.Rhs = concatExpr(e.Lhs), concatExpr(e.Rhs)
	case *ast.UnaryMinusOpExpr:
		e.Expr = concatExpr(e.Expr)
	case *ast.UnaryNotOpExpr:
		e.Expr = concatExpr(e.Expr)
	case *ast.UnaryLenOpExpr:
		e.Expr = concatExpr(e.Expr)
	case *ast.FunctionExpr:
		rewriteConcat(e.Stmts)
	}
	return e
}

// loadConcatChain turns p's reads of concatChainName, and its nested
// functions', into loads of a constant holding concatChainFn.
func loadConcatChain(p *lua.FunctionProto) {
	k := -1
	data, _ := codeShape(p)
	for pc, inst := range p.Code {
		if data[pc] || instOp(inst) != lua.OP_GETGLOBAL {
			continue
		}
		if name, ok := constString(p, instBx(inst)); !ok || name != concatChainName {
			continue
		}
		if k < 0 {
			k = len(p.Constants)
			p.Constants = append(p.Constants, concatChainFn)
		}
		p.Code[pc] = uint32(lua.OP_LOADK)<<instOpShift | uint32(instA(inst))<<instAShift | uint32(k)
	}
	for _, sub := range p.FunctionPrototypes {
		loadConcatChain(sub)
	}
}
