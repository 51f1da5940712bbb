package scripting

import "github.com/yuin/gopher-lua/ast"

// goto is a plain name in Lua 5.1 ("local goto = 1", "t.goto") and a
// reserved word to gopher-lua's lexer, which follows Lua 5.2. The source
// gopher-lua parses spells it as another name, one the script does not
// hold (forGopherLua), and renameGoto names it goto again in the parsed
// tree, so globals, fields, locals and error messages see goto.

// renameGoto renames gotoAs to goto throughout stmts.
func renameGoto(stmts []ast.Stmt, gotoAs string) {
	rename := func(s *string) {
		if *s == gotoAs {
			*s = "goto"
		}
	}
	renameAll := func(names []string) {
		for i := range names {
			rename(&names[i])
		}
	}
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
	expr = func(e ast.Expr) {
		switch e := e.(type) {
		case *ast.IdentExpr:
			rename(&e.Value)
		case *ast.StringExpr:
			rename(&e.Value) // t.goto's key, and {goto = 1}'s
		case *ast.AttrGetExpr:
			expr(e.Object)
			expr(e.Key)
		case *ast.TableExpr:
			for _, f := range e.Fields {
				if f.Key != nil {
					expr(f.Key)
				}
				expr(f.Value)
			}
		case *ast.FuncCallExpr:
			if e.Func != nil {
				expr(e.Func)
			}
			if e.Receiver != nil {
				expr(e.Receiver)
			}
			rename(&e.Method)
			exprs(e.Args)
		case *ast.LogicalOpExpr:
			expr(e.Lhs)
			expr(e.Rhs)
		case *ast.RelationalOpExpr:
			expr(e.Lhs)
			expr(e.Rhs)
		case *ast.StringConcatOpExpr:
			expr(e.Lhs)
			expr(e.Rhs)
		case *ast.ArithmeticOpExpr:
			expr(e.Lhs)
			expr(e.Rhs)
		case *ast.UnaryMinusOpExpr:
			expr(e.Expr)
		case *ast.UnaryNotOpExpr:
			expr(e.Expr)
		case *ast.UnaryLenOpExpr:
			expr(e.Expr)
		case *ast.FunctionExpr:
			if e.ParList != nil {
				renameAll(e.ParList.Names)
			}
			block(e.Stmts)
		}
	}
	stmt = func(s ast.Stmt) {
		switch s := s.(type) {
		case *ast.AssignStmt:
			exprs(s.Lhs)
			exprs(s.Rhs)
		case *ast.LocalAssignStmt:
			renameAll(s.Names)
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
			rename(&s.Name)
			expr(s.Init)
			expr(s.Limit)
			if s.Step != nil {
				expr(s.Step)
			}
			block(s.Stmts)
		case *ast.GenericForStmt:
			renameAll(s.Names)
			exprs(s.Exprs)
			block(s.Stmts)
		case *ast.FuncDefStmt:
			if s.Name != nil {
				if s.Name.Func != nil {
					expr(s.Name.Func)
				}
				if s.Name.Receiver != nil {
					expr(s.Name.Receiver)
				}
				rename(&s.Name.Method)
			}
			expr(s.Func)
		case *ast.ReturnStmt:
			exprs(s.Exprs)
		}
	}
	block(stmts)
}
