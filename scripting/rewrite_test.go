package scripting

import (
	"strconv"
	"strings"
	"testing"
)

// TestLongListsCompileAsInLua pins calls and returns of more values than
// gopher-lua's compiler has registers for (200; Lua has 250): they
// compile, give every value in order, nils and a last call's or ...'s
// values included, and name a failing operand as before. Replies from
// Redis 7.0.15.
func TestLongListsCompileAsInLua(t *testing.T) {
	numbers := func(n int) string {
		var b strings.Builder
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(i))
		}
		return b.String()
	}
	count := "local function f(...) return select('#', ...) end "
	runLibCases(t, []libCase{
		{2, "return select('#', " + luaRepeatList("nil", 240) + ")", ":240\r\n"},
		{2, count + "local function g() return 1, 2, 3 end return f(" + numbers(240) + ", g())", ":243\r\n"},
		{2, count + "local function h(...) return f(" + numbers(240) + ", ...) end return h(1, 2)", ":242\r\n"},
		{2, "local o = {} function o:m(...) return select('#', ...) end return o:m(" + numbers(240) + ")", ":240\r\n"},
		{2, "local function f() return " + luaRepeatList("7", 240) + " end local t = {f()} return {#t, t[1], t[240]}", "*3\r\n:240\r\n:7\r\n:7\r\n"},
		{2, count + "return f(" + numbers(120) + ", f(" + numbers(120) + "))", ":121\r\n"},
		{2, "local x " + count + "return f(" + numbers(240) + ", x + 1)",
			"-ERR user_script:1: attempt to perform arithmetic on local 'x' (a nil value) script: 105faabff5abc673dd4d4dfb6cde9ace41c83d00, on @user_script:1.\r\n"},
		{2, "return undefinedfn(" + numbers(240) + ")",
			"-ERR user_script:1: Script attempted to access nonexistent global variable 'undefinedfn' script: 48c40726d714667b8a7bdb87849d0ff741a43a83, on @user_script:1.\r\n"},
	})
}
