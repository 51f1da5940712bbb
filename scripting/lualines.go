package scripting

import "github.com/yuin/gopher-lua/ast"

// Lua 5.1 numbers each instruction with the line of the last token read
// when the code generator makes it, gopher-lua with the line where the
// node that makes it starts; a runtime error names that line. They differ
// inside expressions that span lines: in "x\n+ 1" Lua loads the global x
// once it has read the "+", on line 2; in "f(\n{}\n) +\n1" the addition is
// made after the "1", on line 4. So the syntax checker, which follows
// Lua's code generator, notes for each node that makes such an instruction
// the line Lua gives it, and applyLuaLines gives gopher-lua's node that
// line before it is compiled.
//
// Nodes of a kind are noted in the order of the token that makes them
// theirs (a name, the "." or "[" of an index, the arguments of a call, an
// operator), which is the order of an in-order walk of gopher-lua's tree.

// The kinds of noted nodes.
const (
	lineName   = iota // a variable: a global's load or store
	lineIndex         // t.k or t[k]: the table's get or set
	lineCall          // a call: the line of its arguments' first token
	lineBinary        // a binary operator
	lineUnary         // a unary operator
	lineMethod        // function t:m(): the store of the method
	lineNumFor        // a numeric for: the check of its bounds
	lineGenFor        // a generic for: the iterator's calls
	lineTable         // a constructor: its first [k] = v store
	lineKinds
)

// luaLines are the lines Lua gives the noted nodes, by kind, in order; 0
// where Lua made no instruction, which leaves gopher-lua's line.
type luaLines [lineKinds][]int32

// note adds a node of kind, its line unknown yet, and returns its number
// (its index plus one).
func (p *luaParser) note(kind int) int32 {
	p.lines[kind] = append(p.lines[kind], 0)
	return int32(len(p.lines[kind]))
}

// noteAt adds a node of kind whose line is known now.
func (p *luaParser) noteAt(kind, line int) {
	p.lines[kind] = append(p.lines[kind], int32(line))
}

// made gives noted node n (0: none) of kind the line of the last token
// read: Lua makes its instruction now.
func (p *luaParser) made(kind int, n int32) {
	if n > 0 {
		p.lines[kind][n-1] = int32(p.lastLine)
	}
}

// applyLuaLines gives the nodes of chunk the lines of lines, unless the
// tree holds another number of nodes of some kind than the checker noted,
// when it changes nothing and reports false.
func applyLuaLines(chunk []ast.Stmt, lines *luaLines) bool {
	var count [lineKinds]int
	walkLineNodes(chunk, func(kind int, _ ast.PositionHolder) { count[kind]++ })
	for kind := range count {
		if count[kind] != len(lines[kind]) {
			return false
		}
	}
	var next [lineKinds]int
	walkLineNodes(chunk, func(kind int, n ast.PositionHolder) {
		if line := lines[kind][next[kind]]; line > 0 {
			n.SetLine(int(line))
		}
		next[kind]++
	})
	return true
}

// walkLineNodes calls visit for each node of a noted kind, in the order
// the checker notes them.
func walkLineNodes(stmts []ast.Stmt, visit func(kind int, n ast.PositionHolder)) {
	walkInOrder(stmts, func(n ast.PositionHolder) {
		switch n := n.(type) {
		case *ast.IdentExpr:
			visit(lineName, n)
		case *ast.AttrGetExpr:
			visit(lineIndex, n)
		case *ast.FuncCallExpr:
			visit(lineCall, n)
		case *ast.TableExpr:
			visit(lineTable, n)
		case *ast.ArithmeticOpExpr, *ast.StringConcatOpExpr, *ast.RelationalOpExpr, *ast.LogicalOpExpr:
			visit(lineBinary, n)
		case *ast.UnaryMinusOpExpr, *ast.UnaryNotOpExpr, *ast.UnaryLenOpExpr:
			visit(lineUnary, n)
		case *ast.NumberForStmt:
			visit(lineNumFor, n)
		case *ast.GenericForStmt:
			visit(lineGenFor, n)
		case *ast.FuncDefStmt:
			if n.Name.Receiver != nil {
				// the method's store is made with the receiver's line
				visit(lineMethod, n.Name.Receiver)
			}
		}
	})
}
