package integration

import (
	"strconv"
	"strings"
)

// Sources for the "compile-errors" scripting sequence that are too long to
// write out: each is one past a limit Lua 5.1 enforces while compiling
// (nesting, locals per function, registers), which gopher-lua does not.

var (
	luaTooDeep        = "return " + strings.Repeat("(", 199) + "1" + strings.Repeat(")", 199)
	luaTooManyLocals  = "local v" + luaNumberedList(",v", 201)
	luaTooManyReturns = "return 1" + strings.Repeat(",1", 249)
)

// luaNumberedList numbers 0 to n-1, each after the first preceded by sep.
func luaNumberedList(sep string, n int) string {
	var b strings.Builder
	b.WriteString("0")
	for i := 1; i < n; i++ {
		b.WriteString(sep + strconv.Itoa(i))
	}
	return b.String()
}
