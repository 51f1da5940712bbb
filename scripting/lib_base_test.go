package scripting

import "testing"

// error() and the runtime and argument errors of the base library,
// replies from Redis 7.0.15.
var baseErrorCases = []libCase{
	{2, `return error('msg', 0)`, "-ERR msg script: 5f860bdee4c574bc09b6a13a4a4f887c2c237d87, on @user_script:1.\r\n"},
	{2, `return error('msg', 2)`, "-ERR msg script: 8007759669eb2e37dabd536f29c8b9a6d291d877, on @user_script:1.\r\n"},
	{2, `return error('msg')`, "-ERR user_script:1: msg script: 76439657bcdf311418a949f5247eb5a711587919, on @user_script:1.\r\n"},
	{2, `return error()`, "-ERR nil script: a77e03577bcbdf9c551cd52371d6913878cb8079, on @user_script:1.\r\n"},
	{2, `return error(nil)`, "-ERR nil script: c187af98584b843fc1d70a806b60fc42a4ae234d, on @user_script:1.\r\n"},
	{2, `return error(42)`, "-ERR user_script:1: 42 script: 95e7812e6663f5aad2f867e45dcfc740705f84b5, on @user_script:1.\r\n"},
	{2, `return error(1.5)`, "-ERR user_script:1: 1.5 script: c76cabfdb2d65a571b1fed2d33303e21cd198126, on @user_script:1.\r\n"},
	{2, `return {pcall(error, 'x', 0)}`, "*2\r\n$-1\r\n$1\r\nx\r\n"},
	{2, `return {pcall(error)}`, "*1\r\n$-1\r\n"},
	{2, `return {pcall(error, 'x')}`, "*2\r\n$-1\r\n$1\r\nx\r\n"},
	{2, `return {pcall(error, 'x', 2)}`, "*2\r\n$-1\r\n$16\r\nuser_script:1: x\r\n"},
	{2, `local function f() error('deep', 2) end f()`, "-ERR user_script:1: deep script: 694ab57d1a5e766cc7e5dafb39e86d8b30bdd2ca, on @user_script:1.\r\n"},
	{2, `local function f() error('deep', 3) end f()`, "-ERR deep script: bbc028307ec0b8b7cb86af6ccc14968a0c251845, on @user_script:1.\r\n"},
	{2, `local function f() error('lvl1') end f()`, "-ERR user_script:1: lvl1 script: 64a1ad2427076dbb83a4a7727f5bb9625ded4e8b, on @user_script:1.\r\n"},
	{2, `return {xpcall(function() error('boom') end, function(e) return 'handled: ' .. e end)}`, "*2\r\n$-1\r\n$28\r\nhandled: user_script:1: boom\r\n"},
	{2, `error({err='MY custom'})`, "-MY custom script: 784d3ae9e6566ecb57138d89d618d989007a9bc6, on @user_script:1.\r\n"},
	{2, `return {pcall(error, {err='t'})}`, "*2\r\n$-1\r\n$1\r\nt\r\n"},
	{2, `return tostring('abc' + 0)`, "-ERR user_script:1: attempt to perform arithmetic on a string value script: 6547ae29fed06b916a4852c8cda2ef5570131c8d, on @user_script:1.\r\n"},
	{2, `return tostring(1 + 'abc')`, "-ERR user_script:1: attempt to perform arithmetic on a string value script: 3a7ff3e07833adc9f8d8175b2a5ac9f9a2dc6330, on @user_script:1.\r\n"},
	{2, `return tostring('1' + {})`, "-ERR user_script:1: attempt to perform arithmetic on a table value script: c2f55fcacb55b7cdd0a75973b770068ab9841924, on @user_script:1.\r\n"},
	{2, `return tostring(nil + 1)`, "-ERR user_script:1: attempt to perform arithmetic on a nil value script: 9cbe39144eefefd9fb9a5a74a0bba62cd20207b0, on @user_script:1.\r\n"},
	{2, `return tostring(1 - nil)`, "-ERR user_script:1: attempt to perform arithmetic on a nil value script: 3a9ee627fe8e5a5b16a13a1db62128167436cb57, on @user_script:1.\r\n"},
	{2, `return tostring({} * 2)`, "-ERR user_script:1: attempt to perform arithmetic on a table value script: c09e62e94fad43aef396559307ad0047e6e5df87, on @user_script:1.\r\n"},
	{2, `return tostring('5' * '2')`, "$2\r\n10\r\n"},
	{2, `return select(0, 1)`, "-ERR user_script:1: bad argument #1 to 'select' (index out of range) script: 32893df36dedb8df4ecec50d0c09fbcff852263f, on @user_script:1.\r\n"},
	{2, `return select(-5, 1, 2, 3)`, "-ERR user_script:1: bad argument #1 to 'select' (index out of range) script: b987dac425e8534c255962fded6ae41a5c9e3024, on @user_script:1.\r\n"},
	{2, `return tostring(math.min(1, 'x'))`, "-ERR user_script:1: bad argument #2 to 'min' (number expected, got string) script: f9293989626addf2751318aaadb424cc88093400, on @user_script:1.\r\n"},
}

func TestBaseErrorsMatchRedis(t *testing.T) { runLibCases(t, baseErrorCases) }

// tonumber, table.insert and concat, math.max and min: their arguments
// and errors, replies from Redis 7.0.15.
var baseArgumentCases = []libCase{
	{2, `return table.concat({1, 2, {}}, ',')`, "-ERR user_script:1: invalid value (table) at index 3 in table for 'concat' script: 5b2e968ce4bb14a0ab77ce8b92aa1049f8cbc213, on @user_script:1.\r\n"},
	{2, `return table.concat({{}})`, "-ERR user_script:1: invalid value (table) at index 1 in table for 'concat' script: 261c19e191dcb2d0c328c14699a9c12d03a123cf, on @user_script:1.\r\n"},
	{2, `return table.insert({}, 1, 2, 3)`, "-ERR user_script:1: wrong number of arguments to 'insert' script: 23d104d901364527d93721191e9f4f0f956e3669, on @user_script:1.\r\n"},
	{2, `return table.insert({})`, "-ERR user_script:1: wrong number of arguments to 'insert' script: 6f70a70c2df6fc28a7e15d263f1f68d15705541e, on @user_script:1.\r\n"},
	{2, `local t = {1,2,3} table.insert(t, 2, 9) return t`, "*4\r\n:1\r\n:9\r\n:2\r\n:3\r\n"},
	{2, `local t = {1} table.insert(t, 'x') return t`, "*2\r\n:1\r\n$1\r\nx\r\n"},
	{2, `return math.max()`, "-ERR user_script:1: bad argument #1 to 'max' (number expected, got no value) script: ea184ab21d1cc115e2cbb27490136c9d0e484013, on @user_script:1.\r\n"},
	{2, `return math.min()`, "-ERR user_script:1: bad argument #1 to 'min' (number expected, got no value) script: 91f61f3d71e1eba70cf6bb32adb691a6cab4bc6b, on @user_script:1.\r\n"},
	{2, `return math.max(3, 1, 2)`, ":3\r\n"},
	{2, `return math.min('2', 5)`, ":2\r\n"},
	{2, `return math.max('x')`, "-ERR user_script:1: bad argument #1 to 'max' (number expected, got string) script: e96f858cf98031f6b37b1d25522b4c2cdf7e3bc9, on @user_script:1.\r\n"},
	{2, `return tostring(tonumber('10', 99))`, "-ERR user_script:1: bad argument #2 to 'tonumber' (base out of range) script: 58afb9c9c1fe925178d473afa80e3c4cb4ba8b34, on @user_script:1.\r\n"},
	{2, `return tostring(tonumber('10', 1))`, "-ERR user_script:1: bad argument #2 to 'tonumber' (base out of range) script: 0921817ee8e2f2e64f2a6a822e76456aabec1f8d, on @user_script:1.\r\n"},
	{2, `return tostring(tonumber('ff', 16))`, "$3\r\n255\r\n"},
	{2, `return tostring(tonumber('10', 36))`, "$2\r\n36\r\n"},
	{2, `return tostring(tonumber('10', 10))`, "$2\r\n10\r\n"},
	{2, `return tostring(tonumber(10, 16))`, "$2\r\n16\r\n"},
	{2, `return tostring(tonumber('10', '16'))`, "$2\r\n16\r\n"},
	{2, `return tostring(tonumber('10', 'x'))`, "-ERR user_script:1: bad argument #2 to 'tonumber' (number expected, got string) script: ceb6ae6bafd91297be75217edc1a4efd229723c5, on @user_script:1.\r\n"},
	{2, `return tostring(tonumber('-1', 16))`, "$18\r\n1.844674407371e+19\r\n"},
	{2, `return tostring(tonumber(' ff ', 16))`, "$3\r\n255\r\n"},
	{2, `return tostring(tonumber('0x1f', 16))`, "$2\r\n31\r\n"},
	{2, `return tostring(tonumber('0x', 16))`, "$3\r\nnil\r\n"},
	{2, `return tostring(tonumber('0xg', 16))`, "$3\r\nnil\r\n"},
	{2, `return tostring(tonumber('zz', 36))`, "$4\r\n1295\r\n"},
	{2, `return tostring(tonumber('ffffffffffffffffff', 16))`, "$18\r\n1.844674407371e+19\r\n"},
	{2, `return tostring(tonumber('12a', 10))`, "$3\r\nnil\r\n"},
	{2, `return tostring(tonumber('1e2'))`, "$3\r\n100\r\n"},
	{2, `return tostring(tonumber('  0x10  '))`, "$2\r\n16\r\n"},
	{2, `return tostring(tonumber())`, "-ERR user_script:1: bad argument #1 to 'tonumber' (value expected) script: 8c873c0d9eeec7f3a36259b507fcc93afeb875f2, on @user_script:1.\r\n"},
	{2, `return tostring(tonumber(nil))`, "$3\r\nnil\r\n"},
	{2, `return tostring(tonumber({}))`, "$3\r\nnil\r\n"},
	{2, `return tostring(tonumber('', 16))`, "$3\r\nnil\r\n"},
	{2, `return tostring(tonumber('7', 8))`, "$1\r\n7\r\n"},
	{2, `return tostring(tonumber('8', 8))`, "$3\r\nnil\r\n"},
	{2, `return tostring(tonumber('+12', 8))`, "$2\r\n10\r\n"},
	{2, `return tostring(tonumber('1 2', 16))`, "$3\r\nnil\r\n"},
	{2, `return tostring(tonumber(true, 16))`, "-ERR user_script:1: bad argument #1 to 'tonumber' (string expected, got boolean) script: 0b09affc50b077b02055a9218f6232295057efc3, on @user_script:1.\r\n"},
	{2, `return tostring(tonumber('10', 10.9))`, "$2\r\n10\r\n"},
}

func TestBaseArgumentsMatchRedis(t *testing.T) { runLibCases(t, baseArgumentCases) }

// The math library's results, NaNs' signs included, replies from Redis
// 7.0.15. ^ and math.pow are glibc's pow to the last bit, folded or not
// (Go's math.Pow differs in 1.05^6's last digit).
var mathCases = []libCase{
	{2, `return tostring(math.fmod(7, 0))`, "$4\r\n-nan\r\n"},
	{2, `return tostring(math.fmod(-7, 0))`, "$4\r\n-nan\r\n"},
	{2, `return tostring(math.fmod(1/0, 1))`, "$4\r\n-nan\r\n"},
	{2, `return tostring(math.fmod(7, 1/0))`, "$1\r\n7\r\n"},
	{2, `return tostring(math.fmod(0/0, 1))`, "$4\r\n-nan\r\n"},
	{2, `return tostring(math.fmod(-7, 3))`, "$2\r\n-1\r\n"},
	{2, `return tostring(math.sqrt(-1))`, "$4\r\n-nan\r\n"},
	{2, `return tostring(math.log(-1))`, "$4\r\n-nan\r\n"},
	{2, `return tostring(math.acos(2))`, "$3\r\nnan\r\n"},
	{2, `return tostring(0/0)`, "$4\r\n-nan\r\n"},
	{2, `return tostring(-(0/0))`, "$3\r\nnan\r\n"},
	{2, `return tostring(math.huge - math.huge)`, "$4\r\n-nan\r\n"},
	{2, `return tostring(math.huge * 0)`, "$4\r\n-nan\r\n"},
	{2, `return tostring(math.floor(0/0))`, "$4\r\n-nan\r\n"},
	{2, `return tostring(math.ceil(1/0))`, "$3\r\ninf\r\n"},
	{2, `return tostring(math.pow(-8, 1/3))`, "$4\r\n-nan\r\n"},
	{2, `return tostring(math.exp(-1000))`, "$1\r\n0\r\n"},
	{2, `return tostring(math.atan2(1, 1))`, "$16\r\n0.78539816339745\r\n"},
	{2, `return tostring(math.atan2(0, -1))`, "$15\r\n3.1415926535898\r\n"},
	{2, `return tostring(math.cosh(1))`, "$15\r\n1.5430806348152\r\n"},
	{2, `return tostring(math.sinh(1))`, "$15\r\n1.1752011936438\r\n"},
	{2, `return tostring(math.tanh(1))`, "$16\r\n0.76159415595576\r\n"},
	{2, `return tostring(math.deg(math.pi))`, "$3\r\n180\r\n"},
	{2, `return tostring(math.rad(180))`, "$15\r\n3.1415926535898\r\n"},
	{2, `return tostring(math.frexp(0))`, "$1\r\n0\r\n"},
	{2, `return {math.frexp(-3)}`, "*2\r\n:0\r\n:2\r\n"},
	{2, `return tostring(math.ldexp(1, 1024))`, "$3\r\ninf\r\n"},
	{2, `return tostring(math.log10(-1))`, "$3\r\nnan\r\n"},
	{2, `return tostring(math.abs(0/0))`, "$3\r\nnan\r\n"},
	{2, `return tostring(math.max(0/0, 1))`, "$4\r\n-nan\r\n"},
	{2, `return tostring(math.max(1, 0/0))`, "$1\r\n1\r\n"},
	{2, `return tostring(math.min(0/0, 1))`, "$4\r\n-nan\r\n"},
	{2, `return tostring(5.5 % -2)`, "$4\r\n-0.5\r\n"},
	{2, `return tostring(2^1024)`, "$3\r\ninf\r\n"},
	{2, `return tostring(-2^1024)`, "$4\r\n-inf\r\n"},
	{2, `return tostring(math.fmod(-(0/0), 1))`, "$3\r\nnan\r\n"},
	{2, `return tostring(math.pow(-(0/0), 2))`, "$3\r\nnan\r\n"},
	{2, `return string.format("%.17g", 1.05^6)`, "$18\r\n1.3400956406250004\r\n"},
	{2, `local x = 1.05 return string.format("%.17g", x^6)`, "$18\r\n1.3400956406250004\r\n"},
	{2, `return string.format("%.17g", math.pow(1.05, 6))`, "$18\r\n1.3400956406250004\r\n"},
	{2, `return string.format("%.17g", "1.0042"^41318)`, "$22\r\n1.6133462711071493e+75\r\n"},
	{2, `local x = 13 return string.format("%.17g", x^1.5)`, "$18\r\n46.872166581031863\r\n"},
	{2, `local x = 5e-324 return string.format("%.17g", x^0.5)`, "$23\r\n2.2227587494850775e-162\r\n"},
	{2, `local x = -8 return tostring(x^0.5)`, "$4\r\n-nan\r\n"},
	{2, `local x = -0 return tostring(x^1)`, "$2\r\n-0\r\n"},
	{2, `local x = 0/0 return tostring((-x)^1)`, "$3\r\nnan\r\n"},
}

func TestMathMatchesRedis(t *testing.T) { runLibCases(t, mathCases) }

// assert needs an argument and raises its message, a string or a number,
// with its caller's position (none under pcall). Replies from Redis 7.0.15.
var assertCases = []libCase{
	{2, `return assert()`, "-ERR user_script:1: bad argument #1 to 'assert' (value expected) script: 047adefaaa756725275304d0ea720b1df6811114, on @user_script:1.\r\n"},
	{2, `return {assert(1,2,3)}`, "*3\r\n:1\r\n:2\r\n:3\r\n"},
	{2, `return assert(false, 12)`, "-ERR user_script:1: 12 script: b74e50bd3bc7e7e84dabad19d957f0294ddf6ad9, on @user_script:1.\r\n"},
	{2, `return {pcall(assert, false, 'x')}`, "*2\r\n$-1\r\n$1\r\nx\r\n"},
	{2, `return {pcall(assert)}`, "*2\r\n$-1\r\n$39\r\nbad argument #1 to '?' (value expected)\r\n"},
	{2, `return assert(false, {})`, "-ERR user_script:1: bad argument #2 to 'assert' (string expected, got table) script: 63db95eb810d86481cf4cfc29214495bd21e396c, on @user_script:1.\r\n"},
	{2, `local function f() assert(false, 'in f') end return {pcall(f)}`, "*2\r\n$-1\r\n$19\r\nuser_script:1: in f\r\n"},
}

func TestAssertIsLuas(t *testing.T) { runLibCases(t, assertCases) }

// next refuses a key the table has no slot for, where gopher-lua went on
// from its first key; keys cleared while traversing stay valid. Replies
// from Redis 7.0.15.
var nextCases = []libCase{
	{2, `return {pcall(next, {a=1}, 'zz')}`, "*2\r\n$-1\r\n$21\r\ninvalid key to 'next'\r\n"},
	{2, `local t={a=1,b=2} for k in pairs(t) do t[k]=nil end return next(t)`, "$-1\r\n"},
	{2, `local t={1,2,3} return {next(t, 3)}`, "*0\r\n"},
	{2, `local t={1,2,3} return {pcall(next, t, 4)}`, "*2\r\n$-1\r\n$21\r\ninvalid key to 'next'\r\n"},
	{2, `local t={1,2,3} return {pcall(next, t, 2.5)}`, "*2\r\n$-1\r\n$21\r\ninvalid key to 'next'\r\n"},
	{2, `local t={1,2,3} return {pcall(next, t, 0)}`, "*2\r\n$-1\r\n$21\r\ninvalid key to 'next'\r\n"},
	{2, `local t={1,2,3} return {pcall(next, t, 0/0)}`, "*2\r\n$-1\r\n$21\r\ninvalid key to 'next'\r\n"},
	{2, `local t={1,2,3, x=1} return {next(t, 3)}`, "*2\r\n$1\r\nx\r\n:1\r\n"},
	{2, `local t={1,2,3, x=1} return {next(t, 'x')}`, "*0\r\n"},
	{2, `local t={} t[10]=1 t[20]=2 return {next(t, 10)}`, "*2\r\n:20\r\n:2\r\n"},
	{2, `local t={} t[10]=1 return {pcall(next, t, 11)}`, "*2\r\n$-1\r\n$21\r\ninvalid key to 'next'\r\n"},
	{2, `local t={a=1} t.a=nil return {pcall(next, t, 'a')}`, "*1\r\n:1\r\n"},
	{2, `local t={} for i=1,10 do t['k'..i]=i end local n=0 for k,v in pairs(t) do t[k]=nil n=n+1 end return n`, ":10\r\n"},
	{2, `local t={} for i=1,10 do t['k'..i]=i end local n=0 local k=next(t) while k do t[k]=nil n=n+1 k=next(t,k) end return n`, ":10\r\n"},
	{2, `local t={1,2,3} t[2]=nil return {pcall(next, t, 2)}`, "*3\r\n:1\r\n:3\r\n:3\r\n"},
	{2, `local t={1,2} t[3]=nil return {pcall(next, t, 3)}`, "*1\r\n:1\r\n"},
	{2, `return {pcall(next, KEYS, 'x')}`, "*2\r\n$-1\r\n$21\r\ninvalid key to 'next'\r\n"},
}

func TestNextRefusesKeysTheTableDoesNotHave(t *testing.T) { runLibCases(t, nextCases) }

// rawset's nil and NaN keys and setmetatable's second argument get Lua's
// own words; errors raised from C carry no position. Replies from Redis
// 7.0.15.
var rawsetCases = []libCase{
	{2, `setmetatable({}, 1)`, "-ERR user_script:1: bad argument #2 to 'setmetatable' (nil or table expected) script: 776d36312459124e28579bc808b73b75f7c90f53, on @user_script:1.\r\n"},
	{2, `setmetatable({}, 'x')`, "-ERR user_script:1: bad argument #2 to 'setmetatable' (nil or table expected) script: 747cc287079929f860302b021f3dec29fdaf6979, on @user_script:1.\r\n"},
	{2, `return {pcall(setmetatable, {}, 1)}`, "*2\r\n$-1\r\n$46\r\nbad argument #2 to '?' (nil or table expected)\r\n"},
	{2, `rawset({}, nil, 1)`, "-ERR table index is nil script: 219d887eafc60c03b9d7e9e8dd7832b40ad03ddb, on @user_script:1.\r\n"},
	{2, `rawset({}, 0/0, 1)`, "-ERR table index is NaN script: 5c101cdcd3537c8b1b044a20532395e1a3907d93, on @user_script:1.\r\n"},
	{2, `return {pcall(rawset, {}, 0/0, 1)}`, "*2\r\n$-1\r\n$18\r\ntable index is NaN\r\n"},
	{2, `return {pcall(rawset, {}, nil, 1)}`, "*2\r\n$-1\r\n$18\r\ntable index is nil\r\n"},
	{2, `rawset(1, nil, 1)`, "-ERR user_script:1: bad argument #1 to 'rawset' (table expected, got number) script: 020af8c601d9cd8b9dc5e8f2363bd16b654f93f7, on @user_script:1.\r\n"},
	{2, `rawset({}, 1)`, "-ERR user_script:1: bad argument #3 to 'rawset' (value expected) script: 6b4f029d043730f4844e516c10df0b262d48a943, on @user_script:1.\r\n"},
}

func TestRawsetAndSetmetatableCheckAsLuaDoes(t *testing.T) { runLibCases(t, rawsetCases) }
