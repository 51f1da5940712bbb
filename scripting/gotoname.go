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
	walkInOrder(stmts, func(n ast.PositionHolder) {
		switch n := n.(type) {
		case *ast.IdentExpr:
			rename(&n.Value)
		case *ast.StringExpr:
			rename(&n.Value) // t.goto's key, and {goto = 1}'s
		case *ast.FuncCallExpr:
			rename(&n.Method)
		case *ast.FunctionExpr:
			if n.ParList != nil {
				renameAll(n.ParList.Names)
			}
		case *ast.LocalAssignStmt:
			renameAll(n.Names)
		case *ast.NumberForStmt:
			rename(&n.Name)
		case *ast.GenericForStmt:
			renameAll(n.Names)
		case *ast.FuncDefStmt:
			rename(&n.Name.Method)
		}
	})
}
