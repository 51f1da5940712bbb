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
// as a call of concatChain with the chain's operands (rewrite.go), which
// joins them as Lua 5.1's CONCAT does. Its errors are named from the
// calling instruction as CONCAT's are (errnames.go).

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

// concatCall is the call of concatChain that e, a chain of .., compiles
// as: a .. b .. c nests to the right, and the chain is one call.
func concatCall(e *ast.StringConcatOpExpr) ast.Expr {
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
	return hiddenCall(concatChainName, e, append(args, link)...)
}
