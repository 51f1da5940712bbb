package scripting

import (
	"strconv"
	"strings"
	"testing"
)

// luaSyntaxCases are broken scripts and the compile error Redis 7.0.15
// (Lua 5.1.5) gives for each, as observed from the real server (EVAL and
// SCRIPT LOAD reply "ERR Error compiling script (new function): " and this).
var luaSyntaxCases = []struct{ src, want string }{
	{"if x then", "user_script:1: 'end' expected near '<eof>'"},
	{"if x then else", "user_script:1: 'end' expected near '<eof>'"},
	{"if x then elseif y then", "user_script:1: 'end' expected near '<eof>'"},
	{"if x", "user_script:1: 'then' expected near '<eof>'"},
	{"if then end", "user_script:1: unexpected symbol near 'then'"},
	{"if x then y = 1 elseif end", "user_script:1: unexpected symbol near 'end'"},
	{"while true", "user_script:1: 'do' expected near '<eof>'"},
	{"while true do", "user_script:1: 'end' expected near '<eof>'"},
	{"while do end", "user_script:1: unexpected symbol near 'do'"},
	{"while true do x = 1", "user_script:1: 'end' expected near '<eof>'"},
	{"do", "user_script:1: 'end' expected near '<eof>'"},
	{"do x = 1", "user_script:1: 'end' expected near '<eof>'"},
	{"do end end", "user_script:1: '<eof>' expected near 'end'"},
	{"repeat x = 1", "user_script:1: 'until' expected near '<eof>'"},
	{"repeat until", "user_script:1: unexpected symbol near '<eof>'"},
	{"repeat local a = 1 until", "user_script:1: unexpected symbol near '<eof>'"},
	{"repeat break until true x", "user_script:1: '=' expected near '<eof>'"},
	{"for", "user_script:1: '<name>' expected near '<eof>'"},
	{"for i", "user_script:1: '=' or 'in' expected near '<eof>'"},
	{"for i = 1", "user_script:1: ',' expected near '<eof>'"},
	{"for i = 1,", "user_script:1: unexpected symbol near '<eof>'"},
	{"for i = 1, 2", "user_script:1: 'do' expected near '<eof>'"},
	{"for i = 1, 2 do", "user_script:1: 'end' expected near '<eof>'"},
	{"for i = 1, 2, 3, 4 do end", "user_script:1: 'do' expected near ','"},
	{"for i, j = 1, 2 do end", "user_script:1: 'in' expected near '='"},
	{"for i in", "user_script:1: unexpected symbol near '<eof>'"},
	{"for i in x", "user_script:1: 'do' expected near '<eof>'"},
	{"for i in x do", "user_script:1: 'end' expected near '<eof>'"},
	{"for 1 = 1, 2 do end", "user_script:1: '<name>' expected near '1'"},
	{"for i, 2 in x do end", "user_script:1: '<name>' expected near '2'"},
	{"for a.b = 1, 2 do end", "user_script:1: '=' or 'in' expected near '.'"},
	{"for i = 1 2 do end", "user_script:1: ',' expected near '2'"},
	{"function", "user_script:1: '<name>' expected near '<eof>'"},
	{"function f", "user_script:1: '(' expected near '<eof>'"},
	{"function f(", "user_script:1: <name> or '...' expected near '<eof>'"},
	{"function f(a,", "user_script:1: <name> or '...' expected near '<eof>'"},
	{"function f(a b)", "user_script:1: ')' expected near 'b'"},
	{"function f(...) return ... end return f(", "user_script:1: unexpected symbol near '<eof>'"},
	{"function f(..., a) end", "user_script:1: ')' expected near ','"},
	{"function f(1) end", "user_script:1: <name> or '...' expected near '1'"},
	{"function a.b.c:d.e() end", "user_script:1: '(' expected near '.'"},
	{"function a:b:c() end", "user_script:1: '(' expected near ':'"},
	{"function f() ", "user_script:1: 'end' expected near '<eof>'"},
	{"function f()\nend\nend", "user_script:3: '<eof>' expected near 'end'"},
	{"function 1() end", "user_script:1: '<name>' expected near '1'"},
	{"function f.1() end", "user_script:1: '(' expected near '.1'"},
	{"local", "user_script:1: '<name>' expected near '<eof>'"},
	{"local function", "user_script:1: '<name>' expected near '<eof>'"},
	{"local function f", "user_script:1: '(' expected near '<eof>'"},
	{"local function f(", "user_script:1: <name> or '...' expected near '<eof>'"},
	{"local function (", "user_script:1: '<name>' expected near '('"},
	{"local 1", "user_script:1: '<name>' expected near '1'"},
	{"local a,", "user_script:1: '<name>' expected near '<eof>'"},
	{"local a = ", "user_script:1: unexpected symbol near '<eof>'"},
	{"local a b", "user_script:1: '=' expected near '<eof>'"},
	{"local a, 2 = 1", "user_script:1: '<name>' expected near '2'"},
	{"local function f() return end x", "user_script:1: '=' expected near '<eof>'"},
	{"return 1 2", "user_script:1: '<eof>' expected near '2'"},
	{"return (1", "user_script:1: ')' expected near '<eof>'"},
	{"return 1,", "user_script:1: unexpected symbol near '<eof>'"},
	{"return 1 +", "user_script:1: unexpected symbol near '<eof>'"},
	{"return return", "user_script:1: unexpected symbol near 'return'"},
	{"return 1; x = 2", "user_script:1: '<eof>' expected near 'x'"},
	{"return;;", "user_script:1: '<eof>' expected near ';'"},
	{"return 1 \"x\"", "user_script:1: '<eof>' expected near '\"x\"'"},
	{"return x y", "user_script:1: '<eof>' expected near 'y'"},
	{"return f(", "user_script:1: unexpected symbol near '<eof>'"},
	{"return f(1,", "user_script:1: unexpected symbol near '<eof>'"},
	{"return f(1 2)", "user_script:1: ')' expected near '2'"},
	{"return {", "user_script:1: unexpected symbol near '<eof>'"},
	{"return {1,", "user_script:1: unexpected symbol near '<eof>'"},
	{"return {1 2}", "user_script:1: '}' expected near '2'"},
	{"return {[1] 2}", "user_script:1: '=' expected near '2'"},
	{"return {x = }", "user_script:1: unexpected symbol near '}'"},
	{"return {[1] = 2", "user_script:1: '}' expected near '<eof>'"},
	{"return {;}", "user_script:1: unexpected symbol near ';'"},
	{"return {,}", "user_script:1: unexpected symbol near ','"},
	{"return {1;;2}", "user_script:1: unexpected symbol near ';'"},
	{"break", "user_script:1: no loop to break near '<eof>'"},
	{"break\n\nx = 1", "user_script:3: no loop to break near 'x'"},
	{"do break end", "user_script:1: no loop to break near 'end'"},
	{"if x then break end", "user_script:1: no loop to break near 'end'"},
	{"while true do break x = 1 end", "user_script:1: 'end' expected near 'x'"},
	{"local function f() break end", "user_script:1: no loop to break near 'end'"},
	{"while true do local function f() break end end", "user_script:1: no loop to break near 'end'"},
	{"repeat local function f() break end until x", "user_script:1: no loop to break near 'end'"},
	{"x", "user_script:1: '=' expected near '<eof>'"},
	{"x.y", "user_script:1: '=' expected near '<eof>'"},
	{"x[1]", "user_script:1: '=' expected near '<eof>'"},
	{"x:y", "user_script:1: function arguments expected near '<eof>'"},
	{"a.b:c", "user_script:1: function arguments expected near '<eof>'"},
	{"a.b:c = 1", "user_script:1: function arguments expected near '='"},
	{"a.b:c x", "user_script:1: function arguments expected near 'x'"},
	{"f() = 1", "user_script:1: unexpected symbol near '='"},
	{"x, f() = 1", "user_script:1: syntax error near '='"},
	{"x, y", "user_script:1: '=' expected near '<eof>'"},
	{"x, y =", "user_script:1: unexpected symbol near '<eof>'"},
	{"(x) = 1", "user_script:1: syntax error near '='"},
	{"(f()) = 1", "user_script:1: syntax error near '='"},
	{"(f())", "user_script:1: syntax error near '<eof>'"},
	{"1 = 2", "user_script:1: unexpected symbol near '1'"},
	{"x = = 1", "user_script:1: unexpected symbol near '='"},
	{"x = 1 = 2", "user_script:1: unexpected symbol near '='"},
	{"x ==", "user_script:1: '=' expected near '=='"},
	{"x.1 = 2", "user_script:1: '=' expected near '.1'"},
	{"x.[1] = 2", "user_script:1: '<name>' expected near '['"},
	{"x[1 = 2", "user_script:1: ']' expected near '='"},
	{"x[] = 1", "user_script:1: unexpected symbol near ']'"},
	{"function g() f{...} end", "user_script:1: cannot use '...' outside a vararg function near '...'"},
	{"function g() return ... end", "user_script:1: cannot use '...' outside a vararg function near '...'"},
	{"local function g(a) return ... end", "user_script:1: cannot use '...' outside a vararg function near '...'"},
	{"return function() return ... end", "user_script:1: cannot use '...' outside a vararg function near '...'"},
	{"return function(...) return function() return ... end end", "user_script:1: cannot use '...' outside a vararg function near '...'"},
	{"f\n(g)", "user_script:2: ambiguous syntax (function call x new statement) near '('"},
	{"local x = f\n(g)", "user_script:2: ambiguous syntax (function call x new statement) near '('"},
	{"a = b\n(c)()", "user_script:2: ambiguous syntax (function call x new statement) near '('"},
	{"x = 1 +", "user_script:1: unexpected symbol near '<eof>'"},
	{"x = 1 + + 2", "user_script:1: unexpected symbol near '+'"},
	{"x = not", "user_script:1: unexpected symbol near '<eof>'"},
	{"x = #", "user_script:1: unexpected symbol near '<eof>'"},
	{"x = - -", "user_script:1: unexpected symbol near '<eof>'"},
	{"x = 1 ..", "user_script:1: unexpected symbol near '<eof>'"},
	{"x = 1 and", "user_script:1: unexpected symbol near '<eof>'"},
	{"x = or 1", "user_script:1: unexpected symbol near 'or'"},
	{"x = 1 < < 2", "user_script:1: unexpected symbol near '<'"},
	{"x = a ~ b", "user_script:1: unexpected symbol near '~'"},
	{"x = a != b", "user_script:1: unexpected symbol near '!'"},
	{"x = a ! b", "user_script:1: unexpected symbol near '!'"},
	{"x = a += 1", "user_script:1: unexpected symbol near '='"},
	{"x += 1", "user_script:1: '=' expected near '+'"},
	{"x = a // b", "user_script:1: unexpected symbol near '/'"},
	{"x = a & b", "user_script:1: unexpected symbol near '&'"},
	{"x = a >> 1", "user_script:1: unexpected symbol near '>'"},
	{"x = @", "user_script:1: unexpected symbol near '@'"},
	{"x = $", "user_script:1: unexpected symbol near '$'"},
	{"x = `a`", "user_script:1: unexpected symbol near '`'"},
	{"x = 1 // 2", "user_script:1: unexpected symbol near '/'"},
	{"goto x", "user_script:1: '=' expected near 'x'"},
	{"::a::", "user_script:1: unexpected symbol near ':'"},
	{"x = a::b", "user_script:1: '<name>' expected near ':'"},
	{"local x <const> = 1", "user_script:1: unexpected symbol near '<'"},
	{"x = 0x", "user_script:1: malformed number near '0x'"},
	{"x = 0xg", "user_script:1: malformed number near '0xg'"},
	{"x = 1e", "user_script:1: malformed number near '1e'"},
	{"x = 1e+", "user_script:1: malformed number near '1e+'"},
	{"x = 1e5x", "user_script:1: malformed number near '1e5x'"},
	{"x = 3..2", "user_script:1: malformed number near '3..2'"},
	{"x = 3...", "user_script:1: malformed number near '3...'"},
	{"x = 1.2.3", "user_script:1: malformed number near '1.2.3'"},
	{"x = .5.", "user_script:1: malformed number near '.5.'"},
	{"x = 5..", "user_script:1: malformed number near '5..'"},
	{"x = 0x1.8", "user_script:1: unexpected symbol near '.8'"},
	{"return 0x1.8", "user_script:1: '<eof>' expected near '.8'"},
	{"x = 1_000", "user_script:1: malformed number near '1_000'"},
	{"x = 1E-", "user_script:1: malformed number near '1E-'"},
	{"x = 12abc", "user_script:1: malformed number near '12abc'"},
	{"x = 0b101", "user_script:1: malformed number near '0b101'"},
	{"x = .e5", "user_script:1: unexpected symbol near '.'"},
	{"x = 1ee5", "user_script:1: malformed number near '1ee5'"},
	{"x = \"\\300\"", "user_script:1: escape sequence too large near '\"'"},
	{"x = \"\\256\"", "user_script:1: escape sequence too large near '\"'"},
	{"x = \"abc\\999\"", "user_script:1: escape sequence too large near '\"abc'"},
	{"x = 'abc", "user_script:1: unfinished string near '<eof>'"},
	{"x = 'abc\ny'", "user_script:1: unfinished string near ''abc'"},
	{"x = \"abc\n", "user_script:1: unfinished string near '\"abc'"},
	{"x = 'a\\\nb' x", "user_script:2: '=' expected near '<eof>'"},
	{"x = 'a\\", "user_script:1: unfinished string near '<eof>'"},
	{"x = '", "user_script:1: unfinished string near '<eof>'"},
	{"x = \"", "user_script:1: unfinished string near '<eof>'"},
	{"x = [[abc", "user_script:1: unfinished long string near '<eof>'"},
	{"x = [==[abc]]", "user_script:1: unfinished long string near '<eof>'"},
	{"x = [==[abc]=]", "user_script:1: unfinished long string near '<eof>'"},
	{"x = [=abc", "user_script:1: invalid long string delimiter near '[='"},
	{"x = [==x", "user_script:1: invalid long string delimiter near '[=='"},
	{"x = [[a [[b]] c]]", "user_script:1: '=' expected near ']'"},
	{"x = [=[a [[b]] c]=] y", "user_script:1: '=' expected near '<eof>'"},
	{"--[[ unfinished", "user_script:1: unfinished long comment near '<eof>'"},
	{"--[==[ unfinished ]]", "user_script:1: unfinished long comment near '<eof>'"},
	{"--[=[ a [[ b ]=] x", "user_script:1: '=' expected near '<eof>'"},
	{"--[==x\nx = 1 y", "user_script:2: '=' expected near '<eof>'"},
	{"x = [[\nabc\n]] y", "user_script:3: '=' expected near '<eof>'"},
	{"x = [[\n\nabc]] y", "user_script:3: '=' expected near '<eof>'"},
	{"x = 1 -- c\n y", "user_script:2: '=' expected near '<eof>'"},
	{"x = 'a' 'b'", "user_script:1: unexpected symbol near ''b''"},
	{"x = \"a\\tb\" y", "user_script:1: '=' expected near '<eof>'"},
	{"x = \"a\\0b\" y", "user_script:1: '=' expected near '<eof>'"},
	{"x = 1 [[a\nb]]", "user_script:2: unexpected symbol near '[[a b]]'"},
	{"x = \"\\65\\066\" y", "user_script:1: '=' expected near '<eof>'"},
	{"x = '\\r' y", "user_script:1: '=' expected near '<eof>'"},
	{"\x01", "user_script:1: unexpected symbol near 'char(1)'"},
	{"x = \x7f", "user_script:1: unexpected symbol near 'char(127)'"},
	{"x = \xc3\x83\xc2\xa9", "user_script:1: unexpected symbol near '\xc3'"},
	{"\x1bLua", "user_script:1: unexpected symbol near 'char(27)'"},
	{"return 1\x00 2", "user_script:1: '<eof>' expected near '2'"},
	{"x = 1;;", "user_script:1: unexpected symbol near ';'"},
	{";", "user_script:1: unexpected symbol near ';'"},
	{";;x = 1", "user_script:1: unexpected symbol near ';'"},
	{"x = 1;; y = 2", "user_script:1: unexpected symbol near ';'"},
	{"local t = {} t.x.y.z", "user_script:1: '=' expected near '<eof>'"},
	{"t[1][2]", "user_script:1: '=' expected near '<eof>'"},
	{"t[1][2] = ", "user_script:1: unexpected symbol near '<eof>'"},
	{"a.b.c.d", "user_script:1: '=' expected near '<eof>'"},
	{"a.b.c.d = 1, 2,", "user_script:1: unexpected symbol near '<eof>'"},
	{"return {f = function() end x}", "user_script:1: '}' expected near 'x'"},
	{"x = function", "user_script:1: '(' expected near '<eof>'"},
	{"x = function(", "user_script:1: <name> or '...' expected near '<eof>'"},
	{"x = function() end end", "user_script:1: '<eof>' expected near 'end'"},
	{"x = function() return 1 2 end", "user_script:1: 'end' expected near '2'"},
	{"if x then return 1 else return 2 end x", "user_script:1: '=' expected near '<eof>'"},
	{"if x then return 1 x = 1 end", "user_script:1: 'end' expected near 'x'"},
	{"if x then\n\nelse\n\nelseif y then end", "user_script:5: 'end' expected (to close 'if' at line 1) near 'elseif'"},
	{"while x do\n  y = 1\n", "user_script:3: 'end' expected (to close 'while' at line 1) near '<eof>'"},
	{"for i = 1, 10 do\n  print(i)\n", "user_script:3: 'end' expected (to close 'for' at line 1) near '<eof>'"},
	{"function f()\n  if x then\n    return 1\n  \nend", "user_script:5: 'end' expected (to close 'function' at line 1) near '<eof>'"},
	{"local t = {\n  a = 1,\n  b = 2\n", "user_script:4: '}' expected (to close '{' at line 1) near '<eof>'"},
	{"return f(\n1,\n2\n", "user_script:4: ')' expected (to close '(' at line 1) near '<eof>'"},
	{"return (\n1\n", "user_script:3: ')' expected (to close '(' at line 1) near '<eof>'"},
	{"local x = [[\nabc\ndef", "user_script:3: unfinished long string near '<eof>'"},
	{"local s = 'abc\n'", "user_script:1: unfinished string near ''abc'"},
	{"x = {\n[1] = 2\n[3] = 4\n}", "user_script:3: '}' expected (to close '{' at line 1) near '['"},
	{"if a then\nb()\nelseif c then\nd()\nelse\ne()\n", "user_script:7: 'end' expected (to close 'if' at line 1) near '<eof>'"},
	{"repeat\nx = 1\n", "user_script:3: 'until' expected (to close 'repeat' at line 1) near '<eof>'"},
	{"do\n do\n do\n end\n end\n", "user_script:6: 'end' expected (to close 'do' at line 1) near '<eof>'"},
	{"x = 1\ny = 2\nz = = 3", "user_script:3: unexpected symbol near '='"},
	{"local a\nlocal b\nlocal c 1", "user_script:3: unexpected symbol near '1'"},
	{"f(\n)\n(", "user_script:3: ambiguous syntax (function call x new statement) near '('"},
	{"return\n1\n2", "user_script:3: '<eof>' expected near '2'"},
	{"x = \n\n\n", "user_script:4: unexpected symbol near '<eof>'"},
	{"x = 'a'\n\n'b'", "user_script:3: unexpected symbol near ''b''"},
	{"while true do end break", "user_script:1: no loop to break near '<eof>'"},
	{"local function f(...) local function g() return ... end end", "user_script:1: cannot use '...' outside a vararg function near '...'"},
	{"x = a.b.c:d 'str' {1} [2] = 3", "user_script:1: unexpected symbol near '='"},
	{"a:b'x':c{}:d = 1", "user_script:1: function arguments expected near '='"},
	{"x = not not not", "user_script:1: unexpected symbol near '<eof>'"},
	{"x = ((1)", "user_script:1: ')' expected near '<eof>'"},
	{"x = ((1)))", "user_script:1: unexpected symbol near ')'"},
	{"x = {{{}}", "user_script:1: '}' expected near '<eof>'"},
	{"x = {{}}}", "user_script:1: unexpected symbol near '}'"},
	{"x = f(g(h(1))", "user_script:1: ')' expected near '<eof>'"},
	{"if (x then end", "user_script:1: ')' expected near 'then'"},
	{"return [[]]..[[", "user_script:1: unfinished long string near '<eof>'"},
	{"return #{", "user_script:1: unexpected symbol near '<eof>'"},
	{"local a = 1 local a = 2 local", "user_script:1: '<name>' expected near '<eof>'"},
	{"return -", "user_script:1: unexpected symbol near '<eof>'"},
	{"return - 1 -", "user_script:1: unexpected symbol near '<eof>'"},
	{"return 2^", "user_script:1: unexpected symbol near '<eof>'"},
	{"return 2^-", "user_script:1: unexpected symbol near '<eof>'"},
	{"return 1 .. 2 ..", "user_script:1: unexpected symbol near '<eof>'"},
	{"x = 1 y = 2 z", "user_script:1: '=' expected near '<eof>'"},
	{"f() g() h", "user_script:1: '=' expected near '<eof>'"},
	{"x = { [1] = 1, [2] = 2, 3 = 3 }", "user_script:1: '}' expected near '='"},
	{"x = {a.b = 1}", "user_script:1: '}' expected near '='"},
	{"x = {'a' = 1}", "user_script:1: '}' expected near '='"},
	{"x = {f() = 1}", "user_script:1: '}' expected near '='"},
	{"local x.y = 1", "user_script:1: unexpected symbol near '.'"},
	{"local x[1] = 1", "user_script:1: unexpected symbol near '['"},
	{"local function x.y() end", "user_script:1: '(' expected near '.'"},
	{"local function x:y() end", "user_script:1: '(' expected near ':'"},
	{"local x = 1, 2,", "user_script:1: unexpected symbol near '<eof>'"},
	{"x, 1 = 2", "user_script:1: unexpected symbol near '1'"},
	{"x, (y) = 1, 2", "user_script:1: syntax error near '='"},
	{"x, y() = 1, 2", "user_script:1: syntax error near '='"},
	{"x, y:z() = 1", "user_script:1: syntax error near '='"},
	{"x.y, = 1", "user_script:1: unexpected symbol near '='"},
	{"return true false", "user_script:1: '<eof>' expected near 'false'"},
	{"return nil nil", "user_script:1: '<eof>' expected near 'nil'"},
	{"return ... ...", "user_script:1: '<eof>' expected near '...'"},
	{"return 1 ... ", "user_script:1: '<eof>' expected near '...'"},
	{"return ... (1)", "user_script:1: '<eof>' expected near '('"},
	{"x = true()", "user_script:1: unexpected symbol near ')'"},
	{"x = nil.x", "user_script:1: unexpected symbol near '.'"},
	{"x = 'a':upper()", "user_script:1: unexpected symbol near ':'"},
	{"x = {}.x", "user_script:1: unexpected symbol near '.'"},
	{"x = 1 .x", "user_script:1: unexpected symbol near '.'"},
	{"x = 1:x()", "user_script:1: unexpected symbol near ':'"},
	{"return function() end()", "user_script:1: '<eof>' expected near '('"},
	{"x = \"\\\n\" y", "user_script:2: '=' expected near '<eof>'"},
	{"x = 1\r\ny = = 2", "user_script:2: unexpected symbol near '='"},
	{"if x then\r\n\r\ny = 1", "user_script:3: 'end' expected (to close 'if' at line 1) near '<eof>'"},
	{"x = 'abc\r\n'", "user_script:1: unfinished string near ''abc'"},
	{"x = 'a\\\r\nb' y", "user_script:2: '=' expected near '<eof>'"},
	{"x = [[\r\na\r\nb]] y", "user_script:3: '=' expected near '<eof>'"},
	{"f\r\n(g)", "user_script:2: ambiguous syntax (function call x new statement) near '('"},
	{"--[[\r\n\r\n]] x", "user_script:3: '=' expected near '<eof>'"},
	{"return (\r\n1\r\n\r\n", "user_script:4: ')' expected (to close '(' at line 1) near '<eof>'"},
	{"x = 1\n\ry = = 2", "user_script:2: unexpected symbol near '='"},
	{"if x then\n\r\n\ry = 1", "user_script:3: 'end' expected (to close 'if' at line 1) near '<eof>'"},
	{"x = 'abc\n\r'", "user_script:1: unfinished string near ''abc'"},
	{"x = 'a\\\n\rb' y", "user_script:2: '=' expected near '<eof>'"},
	{"x = [[\n\ra\n\rb]] y", "user_script:3: '=' expected near '<eof>'"},
	{"f\n\r(g)", "user_script:2: ambiguous syntax (function call x new statement) near '('"},
	{"--[[\n\r\n\r]] x", "user_script:3: '=' expected near '<eof>'"},
	{"return (\n\r1\n\r\n\r", "user_script:4: ')' expected (to close '(' at line 1) near '<eof>'"},
	{"x = 1\ry = = 2", "user_script:2: unexpected symbol near '='"},
	{"if x then\r\ry = 1", "user_script:3: 'end' expected (to close 'if' at line 1) near '<eof>'"},
	{"x = 'abc\r'", "user_script:1: unfinished string near ''abc'"},
	{"x = 'a\\\rb' y", "user_script:2: '=' expected near '<eof>'"},
	{"x = [[\ra\rb]] y", "user_script:3: '=' expected near '<eof>'"},
	{"f\r(g)", "user_script:2: ambiguous syntax (function call x new statement) near '('"},
	{"--[[\r\r]] x", "user_script:3: '=' expected near '<eof>'"},
	{"return (\r1\r\r", "user_script:4: ')' expected (to close '(' at line 1) near '<eof>'"},
	{"x = 1\ny = = 2", "user_script:2: unexpected symbol near '='"},
	{"if x then\n\ny = 1", "user_script:3: 'end' expected (to close 'if' at line 1) near '<eof>'"},
	{"x = 'abc\n'", "user_script:1: unfinished string near ''abc'"},
	{"x = 'a\\\nb' y", "user_script:2: '=' expected near '<eof>'"},
	{"x = [[\na\nb]] y", "user_script:3: '=' expected near '<eof>'"},
	{"f\n(g)", "user_script:2: ambiguous syntax (function call x new statement) near '('"},
	{"--[[\n\n]] x", "user_script:3: '=' expected near '<eof>'"},
	{"return (\n1\n\n", "user_script:4: ')' expected (to close '(' at line 1) near '<eof>'"},
	{"x = 1\x0cy = = 2", "user_script:1: unexpected symbol near '='"},
	{"x = 1\x0by", "user_script:1: '=' expected near '<eof>'"},
	{"x\t=\t=", "user_script:1: unexpected symbol near '='"},
	{"x = \xc2\x80", "user_script:1: unexpected symbol near '\xc2'"},
}

// redisErrorText is a message as an error reply carries it: Redis turns
// line breaks into spaces.
func redisErrorText(s string) string {
	return strings.NewReplacer("\r", " ", "\n", " ").Replace(s)
}

func TestLuaSyntaxErrorMatchesLua51(t *testing.T) {
	for _, c := range luaSyntaxCases {
		msg, found := luaSyntaxError(c.src, "user_script")
		if !found || redisErrorText(msg) != c.want {
			t.Errorf("%q:\n got %q (found %v)\nwant %q", c.src, msg, found, c.want)
		}
	}
}

func luaNames(n int) string {
	names := make([]string, n)
	for i := range names {
		names[i] = "v" + strconv.Itoa(i)
	}
	return strings.Join(names, ",")
}

func luaRepeatList(item string, n int) string {
	return strings.TrimSuffix(strings.Repeat(item+",", n), ",")
}

// TestLuaSyntaxLimits pins Lua's compile-time limits at their edges:
// nesting (200 C levels, one taken by the chunk), 200 locals and 60
// upvalues per function, the variables of one assignment (200 less the
// nesting) and 250 registers. want "" means Lua compiles it.
func TestLuaSyntaxLimits(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"198 parentheses", "return " + strings.Repeat("(", 198) + "1" + strings.Repeat(")", 198), ""},
		{"199 parentheses", "return " + strings.Repeat("(", 199) + "1" + strings.Repeat(")", 199),
			"user_script:1: chunk has too many syntax levels"},
		{"199 blocks", strings.Repeat("do ", 199) + strings.Repeat("end ", 199), ""},
		{"200 blocks", strings.Repeat("do ", 200) + strings.Repeat("end ", 200),
			"user_script:1: chunk has too many syntax levels"},
		{"199 concatenations", "return " + strings.Repeat("'a'..", 198) + "'a'", ""},
		{"200 locals", "local " + luaNames(200), ""},
		{"201 locals", "local " + luaNames(201), "user_script:1: main function has more than 200 local variables"},
		{"201 local statements", strings.Repeat("local v\n", 201), "user_script:202: main function has more than 200 local variables"},
		{"200 parameters", "function f(" + luaNames(200) + ") end", ""},
		{"200 parameters and arg", "function f(" + luaNames(200) + ", ...) end",
			"user_script:1: function at line 1 has more than 200 local variables"},
		{"200 parameters and self", "function t:m(" + luaNames(200) + ") end",
			"user_script:1: function at line 1 has more than 200 local variables"},
		{"60 upvalues", "local " + luaNames(60) + "\nreturn function()\nreturn " + luaNames(60) + "\nend", ""},
		{"61 upvalues", "local " + luaNames(61) + "\nreturn function()\nreturn " + luaNames(61) + "\nend",
			"user_script:4: function at line 2 has more than 60 upvalues"},
		{"200 assigned", luaRepeatList("a", 200) + " = 1", ""},
		{"201 assigned", luaRepeatList("a", 201) + " = 1", "user_script:1: main function has more than 199 variables in assignment"},
		{"200 assigned in a block", "do " + luaRepeatList("a", 200) + " = 1 end",
			"user_script:1: main function has more than 198 variables in assignment"},
		{"249 returned", "return " + luaRepeatList("1", 249), ""},
		{"250 returned", "return " + luaRepeatList("1", 250), "user_script:1: function or expression too complex near '<eof>'"},
		{"248 arguments", "f(" + luaRepeatList("1", 248) + ")", ""},
		{"249 arguments", "f(" + luaRepeatList("1", 249) + ")", "user_script:1: function or expression too complex near '<eof>'"},
		{"247 indexed arguments", "return redis.call('mset'," + luaRepeatList("ARGV[1]", 247) + ")", ""},
		{"248 indexed arguments", "return redis.call('mset'," + luaRepeatList("ARGV[1]", 248) + ")",
			"user_script:1: function or expression too complex near '['"},
		{"false tested from a register", "return " + luaRepeatList("1", 249) + ",false and g",
			"user_script:1: function or expression too complex near 'g'"},
		{"true needs no register", "return " + luaRepeatList("1", 249) + ",true and g",
			"user_script:1: function or expression too complex near '<eof>'"},
	}
	for _, c := range cases {
		msg, found := luaSyntaxError(c.src, "user_script")
		if msg != c.want || found != (c.want != "") {
			t.Errorf("%s: got %q (found %v), want %q", c.name, msg, found, c.want)
		}
	}
}

// TestLuaSyntaxLoadstringNesting: loadstring compiles from inside a
// running script, one C call deeper, so one level less nesting fits.
func TestLuaSyntaxLoadstringNesting(t *testing.T) {
	src := "return " + strings.Repeat("(", 198) + "1" + strings.Repeat(")", 198)
	if msg, found := luaSyntaxErrorFrom(src, "user_script", 0); found {
		t.Errorf("at depth 0: %q", msg)
	}
	msg, _ := luaSyntaxErrorFrom(src, `[string "x"]`, 1)
	if want := `[string "x"]:1: chunk has too many syntax levels`; msg != want {
		t.Errorf("at depth 1: got %q, want %q", msg, want)
	}
}

// luaValidScripts compile in Redis 7.0.15; several are ones gopher-lua
// (or a careless checker) gets wrong: [[ inside a long string, a call on
// the next line after a constructor or numeral, hexadecimal floats, a NUL
// taken into a numeral or a "..".
var luaValidScripts = []string{
	"return",
	"return {a = 1, b}",
	"x:y()",
	"f{...}",
	"f\n'str'",
	"f\n{1}",
	"x = (f\n)(1)",
	"x = 0x1p4",
	"return 0x1p4",
	"x = 08",
	"x = 0X1F",
	"x = 1.e5",
	"x = \"\\255\"",
	"x = \"\\1234\"",
	"x = '\\q'",
	"--[[ a [[ b ]]",
	"x = 1\x00",
	"x = a.\x00b",
	"local a = {f = function() end,}",
	"a = 1\n(f)()",
	"a = {}\n(f)()",
	"return ... + 1",
	"return select('#', ...)",
	"local a, b, c = ...",
	"local t = {...}",
	"function t:m(...) return self, ... end",
	"x = a.b.c:d 'str' {1} [2]",
	"a:b'x':c{}.d = 1",
	"x = (((1)))",
	"local x = y z = 1",
	"x, y.z, w[1] = 1",
	"return (...)",
	"x = ('a'):upper()",
	"x = ({}).x",
	"return (function() end)()",
	lockReleaseScript,
	rateLimiterScript,
	"local t = {} for i = 1, 10 do t[#t+1] = i * 2 end return t",
	"for k, v in pairs({a = 1}) do redis.call('set', k, v) end",
	"local function fib(n) if n < 2 then return n end return fib(n-1) + fib(n-2) end return fib(10)",
	"repeat local x = 1 until x == 1",
	"while true do break end",
	"while true do do break end end",
	"repeat if x then break end until true",
	"return #'abc' .. -1 .. not nil .. 2^-3^2",
	"local x = - - -1 return x",
	"return [==[a]]b]=]c]==]",
	"--[==[ comment ]] still ]==] return 1",
	"-- comment only",
	"",
	"return;",
	"local t = {1, 2, 3; n = 3, [4] = 4,}",
	"local s = 'a\\\nb\\065\\t\\'\\\\'",
	"local s = \"\\z\\x41\\q\"",
	"return 0x10, 1e10, .5, 5., 3e-2, 0XaBc",
	"local a, b = 1 a, b = b, a",
	"local t = {} t[1], t[2] = 1, 2",
	"local a = {} local i = 1 i, a[i] = i + 1, 20",
	"function a.b.c:d(...) return self, ... end",
	"local o = {} function o.f() end function o:g() end",
	"return (f or g)(1)",
	"return ('x'):rep(3)",
	"f{1} f'x' f[[y]] f()",
	"return function(...) local arg = arg return arg end",
	"local a; (a or f)()",
}

func TestLuaSyntaxAcceptsValidScripts(t *testing.T) {
	for _, src := range luaValidScripts {
		if msg, found := luaSyntaxError(src, "user_script"); found {
			t.Errorf("%q: %s", src, msg)
		}
	}
}

const lockReleaseScript = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`

const rateLimiterScript = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if n > tonumber(ARGV[1]) then return 0 end
return 1`

// TestCompileReportsLua51Errors: compile checks with Lua 5.1's rules
// first, for scripts, functions and loadstring alike, including code
// gopher-lua would accept.
func TestCompileReportsLua51Errors(t *testing.T) {
	cases := []struct{ src, name, want string }{
		{"if x then", "user_script", "user_script:1: 'end' expected near '<eof>'"},
		{"\nreturn 1 2", "user_function", "user_function:2: '<eof>' expected near '2'"},
		{"x = 'abc\ny'", `[string "x = 'abc..."]`, `[string "x = 'abc..."]:1: unfinished string near ''abc'`},
		{"goto done", "user_script", "user_script:1: '=' expected near 'done'"},
		{"while true do break x = 1 end", "user_script", "user_script:1: 'end' expected near 'x'"},
		{"f\n(g)", "user_script", "user_script:2: ambiguous syntax (function call x new statement) near '('"},
		{"return " + strings.Repeat("(", 198) + "1" + strings.Repeat(")", 198), `[string "x"]`,
			`[string "x"]:1: chunk has too many syntax levels`},
	}
	for _, c := range cases {
		_, err := compile(c.src, c.name)
		if err == nil || err.Error() != c.want {
			t.Errorf("%q: got %v, want %q", c.src, err, c.want)
		}
	}
}

// FuzzLuaSyntax runs the checker on arbitrary sources: it must end, never
// panic, and word every error as "user_script:<line>: ...".
func FuzzLuaSyntax(f *testing.F) {
	for _, c := range luaSyntaxCases {
		f.Add(c.src)
	}
	for _, src := range luaValidScripts {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		msg, found := luaSyntaxError(src, "user_script")
		if found && !strings.HasPrefix(msg, "user_script:") {
			t.Fatalf("%q: message %q", src, msg)
		}
		// What Lua compiles, gopher-lua must compile as it is given it.
		if _, err := compile(src, "user_script"); !found && err != nil {
			t.Fatalf("%q: Lua compiles it, Petrel: %v", src, err)
		}
	})
}

// gopher-lua's lexer does not read a hex numeral with a binary exponent,
// which Lua 5.1 reads with strtod: the checker hands gopher-lua the source
// with those numerals in decimal, on the same lines, and nothing else
// changed.
func TestHexExponentNumeralsReachGopherLuaInDecimal(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"return 0x1p4", "return 16 "},
		{"return 0X1P4..'a', 0x10, 1e5", "return 16 ..'a', 0x10, 1e5"},
		{"local x = 0x1p1100 -- 0x1p4\nreturn '0x1p4', 0xAp2", "local x = 1e400  -- 0x1p4\nreturn '0x1p4', 40 "},
		{"return [[0x1p4]]", "return [[0x1p4]]"},
	} {
		src, msg, bad := luaCheck(tc.src, "user_script", 0)
		if code := src.code; bad || code != tc.want {
			t.Errorf("%q: %q (%s), want %q", tc.src, code, msg, tc.want)
		}
	}
}

// Lua 5.1's lexer takes a NUL for any character check_next looks for
// (strchr finds the terminator), so "1\x00" is a numeral and ".\x00" is
// "..", reads \v and \f as spaces, and "--[=" without a second bracket
// as a short comment; gopher-lua's refuses all of these. The checker hands
// gopher-lua the source as Lua read it, on the same lines.
func TestLuaOnlyLexemesReachGopherLuaRewritten(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"return 1\x00", "return 1 "},
		{"return .5\x00 + 1", "return 0.5  + 1"},
		{"return a.\x00b, ..\x00", "return a..b, ..."},
		{"local A\v= 3\freturn A", "local A = 3 return A"},
		{"--[=\nreturn 1 --[==x", "-- =\nreturn 1 -- ==x"},
		{"return '\x00\v' --[[\x00]]", "return '\x00\v' --[[\x00]]"},
	} {
		src, msg, bad := luaCheck(tc.src, "user_script", 0)
		if bad || src.code != tc.want {
			t.Errorf("%q: %q (%s), want %q", tc.src, src.code, msg, tc.want)
		}
	}
}

// goto is a plain name in Lua 5.1 and a reserved word to gopher-lua's
// lexer: the checker hands gopher-lua the source with each goto name
// spelled as a name the source does not hold, on the same lines.
func TestGotoNamesReachGopherLuaRenamed(t *testing.T) {
	for _, tc := range []struct{ src, want, gotoAs string }{
		{"return 1", "return 1", ""},
		{"local goto = 0x1p4 return goto", "local goto_ = 16  return goto_", "goto_"},
		{"local goto_ = 1\nt.goto = 'goto'", "local goto_ = 1\nt.goto__ = 'goto'", "goto__"},
		{"return gotox, xgoto, 0x1p1 + goto", "return gotox, xgoto, 2  + goto_", "goto_"},
	} {
		src, msg, bad := luaCheck(tc.src, "user_script", 0)
		if code, gotoAs := src.code, src.gotoAs; bad || code != tc.want || gotoAs != tc.gotoAs {
			t.Errorf("%q: %q as %q (%s), want %q as %q", tc.src, code, gotoAs, msg, tc.want, tc.gotoAs)
		}
	}
}

// And scripts then see goto where they named it: replies from Redis 7.0.15.
var gotoNameCases = []libCase{
	{2, `local goto = 1 return goto`, ":1\r\n"},
	{2, `goto = 5 return goto`, "-ERR user_script:1: Attempt to modify a readonly table script: 335aef84525e39b4bf0d86fd027862fcc317fbd3, on @user_script:1.\r\n"},
	{2, `local t = {goto = 2} return t.goto`, ":2\r\n"},
	{2, `local t = {} function t.goto(x) return x * 2 end return t.goto(4)`, ":8\r\n"},
	{2, `local t = {v = 3} function t:goto(x) return self.v + x end return t:goto(4)`, ":7\r\n"},
	{2, `for goto, v in pairs({7}) do return goto + v end`, ":8\r\n"},
	{2, `local function f(goto) return goto + 1 end return f(1)`, ":2\r\n"},
	{2, `local goto; return goto.x`, "-ERR user_script:1: attempt to index local 'goto' (a nil value) script: 9210f243b38a582942f3c3c72bd6d6729330ef93, on @user_script:1.\r\n"},
	{2, `local goto_ = 1; local goto = 2 return goto_ + goto`, ":3\r\n"},
	{2, `return loadstring("local goto = 6 return goto")()`, ":6\r\n"},
}

func TestGotoIsANameAsInLua51(t *testing.T) { runLibCases(t, gotoNameCases) }

// A function's constants 0 and -0 are one, the first entered, in the
// order Lua 5.1's code generator enters them (a numeral left operand
// after the right one): replies from Redis 7.0.15.
var zeroConstantCases = []libCase{
	{2, `return tostring((-0) + (-1/0))`, "$4\r\n-inf\r\n"},
	{2, `local y = -0 local x = 0 return tostring(x)`, "$2\r\n-0\r\n"},
	{2, `local x = 0 local y = -0 return tostring(y)`, "$1\r\n0\r\n"},
	{2, `local function f() return tostring((-0) + (-1/0)) end return tostring(-0) .. f()`, "$6\r\n-0-inf\r\n"},
	{2, `return tostring((-0) - 0)`, "$2\r\n-0\r\n"},
}

func TestZeroConstantsTakeLuasSign(t *testing.T) { runLibCases(t, zeroConstantCases) }

// A runtime error inside a statement that spans lines names the line Lua
// gives the failing instruction: that of the last token read when it was
// made (lualines.go). Replies from Redis 7.0.15.
var luaLineCases = []libCase{
	{2, "local x = 1\nx = x +\n nope", "-ERR user_script:3: Script attempted to access nonexistent global variable 'nope' script: 587b7b3c67cef9e3a22ceee08bf1dbe318b53428, on @user_script:3.\r\n"},
	{2, "return tonumber(\n{}\n) +\n 1", "-ERR user_script:4: attempt to perform arithmetic on a nil value script: c913a3ef77cdb7d40043e168543b4b49597e4cf3, on @user_script:4.\r\n"},
	{2, "local t = {}\nt.a.b\n= 1", "-ERR user_script:3: attempt to index field 'a' (a nil value) script: 377acacce8657e73cbd81d78ee4d3e186aac8c7f, on @user_script:3.\r\n"},
	{2, "local t = {}\nfunction t.q.r()\nend", "-ERR user_script:2: attempt to index field 'q' (a nil value) script: c175ff2a9cbbb667f3bc513f29b74a8faa21192c, on @user_script:2.\r\n"},
	{2, "return 'a' .. 'b' ..\n{} .. 'c'", "-ERR user_script:2: attempt to concatenate a table value script: c1273d6fdf988b5fc0c39636a4826fcd5545b1ab, on @user_script:2.\r\n"},
	{2, "return\n#\nnil", "-ERR user_script:3: attempt to get length of a nil value script: 41b8ecc5ed86b4a39adca199b6d9abf3383b58d5, on @user_script:3.\r\n"},
	{2, "local s = nil\nreturn s:\nfoo()", "-ERR user_script:3: attempt to index local 's' (a nil value) script: 83eb67b12aaa2352b1ab9cac2d5de20e05e4affa, on @user_script:3.\r\n"},
	{2, "x\n= 1", "-ERR user_script:2: Attempt to modify a readonly table script: 33f72533f54a32f7f2c6635a2e6230b0e577a438, on @user_script:2.\r\n"},
	{2, "for i = 1, 'x'\ndo end", "-ERR user_script:2: 'for' limit must be a number script: de91cd02fa9ce215b7237a5b7ed98ef184ed4306, on @user_script:2.\r\n"},
	{2, "for k, v in\nnil\ndo end", "-ERR user_script:2: attempt to call a nil value script: 846411d978d06cc0c1eabd17e16b97c845baf47a, on @user_script:2.\r\n"},
	{2, "local t = {[1] = 1,\n[nil] =\n2}", "-ERR user_script:3: table index is nil script: 1c99081216708738decb1f18343c48a79f831eac, on @user_script:3.\r\n"},
	{2, "return {} <\n{}", "-ERR user_script:2: attempt to compare two table values script: 19cd7ff926d1a11ea56f2118977165cde8b23dac, on @user_script:2.\r\n"},
}

func TestRuntimeErrorsNameLuasLines(t *testing.T) { runLibCases(t, luaLineCases) }
