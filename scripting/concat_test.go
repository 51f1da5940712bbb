package scripting

import "testing"

// Numbers joined by .. are printed with Lua 5.1's "%.14g" (concat.go), in
// the main chunk and in functions, whatever the operand's origin; errors
// still name the variable that held a bad value. Replies from Redis 7.0.15.
var concatCases = []libCase{
	{2, `return (0.1+0.2) .. ''`, "$3\r\n0.3\r\n"},
	{2, `return 1e15 .. ''`, "$5\r\n1e+15\r\n"},
	{2, `return 1e100 .. ''`, "$6\r\n1e+100\r\n"},
	{2, `return 2^53 .. ''`, "$18\r\n9.007199254741e+15\r\n"},
	{2, `return -0.0 .. ''`, "$2\r\n-0\r\n"},
	{2, `return (1/0) .. ''`, "$3\r\ninf\r\n"},
	{2, `return (-1/0) .. ''`, "$4\r\n-inf\r\n"},
	{2, `return (0/0) .. ''`, "$4\r\n-nan\r\n"},
	{2, `return -(0/0) .. ''`, "$3\r\nnan\r\n"},
	{2, `return 123456789012345678 .. ''`, "$19\r\n1.2345678901235e+17\r\n"},
	{2, `return 3 .. ''`, "$1\r\n3\r\n"},
	{2, `return 1.5 .. 'x'`, "$4\r\n1.5x\r\n"},
	{2, `return 'x' .. 1.5 .. 'y' .. 2^60 .. (0.1*3)`, "$27\r\nx1.5y1.1529215046068e+180.3\r\n"},
	{2, `return #(1e15 .. '')`, ":5\r\n"},
	{2, `return ('x'):rep(2) .. 2^63`, "$21\r\nxx9.2233720368548e+18\r\n"},
	{2, `local t = {} t[1.5]=1 for k in pairs(t) do return k .. '' end`, "$3\r\n1.5\r\n"},
	{2, `local function f(a) return a .. '|' .. a*3 end return f(0.1)`, "$7\r\n0.1|0.3\r\n"},
	{2, `local x = 0.1 local y = 0.2 return x + y .. ''`, "$3\r\n0.3\r\n"},
	{2, `local a = {1.1, 2.2} return a[1] + a[2] .. ''`, "$3\r\n3.3\r\n"},
	{2, `return (1 .. 2) .. 3.3`, "$5\r\n123.3\r\n"},
	{2, `return 'a' .. (0.1 .. 0.2)`, "$7\r\na0.10.2\r\n"},
	{2, `local x = 0.7 return x .. x .. x`, "$9\r\n0.70.70.7\r\n"},
	{2, `return nil .. 'a'`, "-ERR user_script:1: attempt to concatenate a nil value script: 3d444276312333a483c3b0b674116ddd43688f09, on @user_script:1.\r\n"},
	{2, `local x; return x .. 'a'`, "-ERR user_script:1: attempt to concatenate local 'x' (a nil value) script: 306c4bec6cbccc158644c7074ee2f270df768a66, on @user_script:1.\r\n"},
	{2, `local x; return 'a' .. x`, "-ERR user_script:1: attempt to concatenate local 'x' (a nil value) script: 8e708cf2654a0291c50f0a71e3700eb55239d44f, on @user_script:1.\r\n"},
	{2, `local x = 1; return x .. {}`, "-ERR user_script:1: attempt to concatenate a table value script: a4bc4fb95a0153734663decdbcf8ea5bc660405c, on @user_script:1.\r\n"},
	{2, `local t = {} return t.x .. 'a'`, "-ERR user_script:1: attempt to concatenate field 'x' (a nil value) script: c8903d53e99bd607a4e9e6fa45b486d9102af199, on @user_script:1.\r\n"},
	{2, `local t = {} return 'a' .. t.x .. 'b'`, "-ERR user_script:1: attempt to concatenate field 'x' (a nil value) script: 08d0de3ce6f5146975140f635d332196fab8358b, on @user_script:1.\r\n"},
	{2, `return 'a' .. true`, "-ERR user_script:1: attempt to concatenate a boolean value script: 523ffaf379abfc2d03f89320ed20f7a17c3bbf1a, on @user_script:1.\r\n"},
	{2, `return 'a' .. undefinedglobal`, "-ERR user_script:1: Script attempted to access nonexistent global variable 'undefinedglobal' script: 1772a3908402a00802b987171e7a9be12cb45c19, on @user_script:1.\r\n"},
	{2, `return KEYS .. 'a'`, "-ERR user_script:1: attempt to concatenate global 'KEYS' (a table value) script: 8f05fce6f95f1dee56da41b816b20fad3121ae86, on @user_script:1.\r\n"},
	{2, `local function f() return nil end return f() .. 'x'`, "-ERR user_script:1: attempt to concatenate a nil value script: 34f0687aab0d20732fc7d46d7296607ed202e719, on @user_script:1.\r\n"},
	{2, `local function f() end return 'x' .. f()`, "-ERR user_script:1: attempt to concatenate a nil value script: 366353834c97411882b046e30a69fb90598dc0b5, on @user_script:1.\r\n"},
	{2, `local s = 0 for i = 1, 10 do s = s + 0.1 end return s .. ''`, "$1\r\n1\r\n"},
	{2, `return tostring(0.1+0.2) .. (0.1+0.2)`, "$6\r\n0.30.3\r\n"},
	{2, `return string.format('%s', 0.1+0.2) .. 0.3`, "$6\r\n0.30.3\r\n"},
	{2, `local n = tonumber('0x10') return n .. ''`, "$2\r\n16\r\n"},
	{2, `return 0x10 .. ''`, "$2\r\n16\r\n"},
	{2, `return 1e-5 .. ''`, "$5\r\n1e-05\r\n"},
	{2, `return 5e-324 .. ''`, "$20\r\n4.9406564584125e-324\r\n"},
	{2, `return 1.7976931348623157e308 .. ''`, "$20\r\n1.7976931348623e+308\r\n"},
	{2, `return 100000000000000 .. ''`, "$5\r\n1e+14\r\n"},
	{2, `return 99999999999999 .. ''`, "$14\r\n99999999999999\r\n"},
	{2, `return -123456789012345 .. ''`, "$20\r\n-1.2345678901234e+14\r\n"},
}

func TestConcatPrintsNumbersAsLua51(t *testing.T) { runLibCases(t, concatCases) }
