package scripting

import "github.com/yuin/gopher-lua/ast"

// walkInOrder calls visit for every statement and expression of stmts, in
// the order of the token that makes each its own: a statement before its
// parts (a function definition after its name, before its body); an
// operator, an index and a call after their left operand, table or
// function and before the rest; other expressions before their parts.
func walkInOrder(stmts []ast.Stmt, visit func(n ast.PositionHolder)) {
	var stmt func(ast.Stmt)
	var expr func(ast.Expr)
	block := func(ss []ast.Stmt) {
		for _, s := range ss {
			stmt(s)
		}
	}
	exprs := func(es []ast.Expr) {
		for _, e := range es {
			expr(e)
		}
	}
	binary := func(n, lhs, rhs ast.Expr) {
		expr(lhs)
		visit(n)
		expr(rhs)
	}
	expr = func(e ast.Expr) {
		switch e := e.(type) {
		case *ast.AttrGetExpr:
			binary(e, e.Object, e.Key)
		case *ast.FuncCallExpr:
			if e.Func != nil {
				expr(e.Func)
			}
			if e.Receiver != nil {
				expr(e.Receiver)
			}
			visit(e)
			exprs(e.Args)
		case *ast.ArithmeticOpExpr:
			binary(e, e.Lhs, e.Rhs)
		case *ast.StringConcatOpExpr:
			binary(e, e.Lhs, e.Rhs)
		case *ast.RelationalOpExpr:
			binary(e, e.Lhs, e.Rhs)
		case *ast.LogicalOpExpr:
			binary(e, e.Lhs, e.Rhs)
		default:
			visit(e)
			switch e := e.(type) {
			case *ast.TableExpr:
				for _, f := range e.Fields {
					if f.Key != nil {
						expr(f.Key)
					}
					expr(f.Value)
				}
			case *ast.UnaryMinusOpExpr:
				expr(e.Expr)
			case *ast.UnaryNotOpExpr:
				expr(e.Expr)
			case *ast.UnaryLenOpExpr:
				expr(e.Expr)
			case *ast.FunctionExpr:
				block(e.Stmts)
			}
		}
	}
	stmt = func(s ast.Stmt) {
		if d, ok := s.(*ast.FuncDefStmt); ok {
			if d.Name.Func != nil {
				expr(d.Name.Func)
			}
			if d.Name.Receiver != nil {
				expr(d.Name.Receiver)
			}
			visit(d)
			expr(d.Func)
			return
		}
		visit(s)
		switch s := s.(type) {
		case *ast.AssignStmt:
			exprs(s.Lhs)
			exprs(s.Rhs)
		case *ast.LocalAssignStmt:
			exprs(s.Exprs)
		case *ast.FuncCallStmt:
			expr(s.Expr)
		case *ast.DoBlockStmt:
			block(s.Stmts)
		case *ast.WhileStmt:
			expr(s.Condition)
			block(s.Stmts)
		case *ast.RepeatStmt:
			block(s.Stmts)
			expr(s.Condition)
		case *ast.IfStmt:
			expr(s.Condition)
			block(s.Then)
			block(s.Else)
		case *ast.NumberForStmt:
			expr(s.Init)
			expr(s.Limit)
			if s.Step != nil {
				expr(s.Step)
			}
			block(s.Stmts)
		case *ast.GenericForStmt:
			exprs(s.Exprs)
			block(s.Stmts)
		case *ast.ReturnStmt:
			exprs(s.Exprs)
		}
	}
	block(stmts)
}
