package scripting

import "testing"

// The coroutine library refuses and reports as Lua 5.1's does, wrap puts
// its caller's position before an error it passes on, and errors inside a
// coroutine name their variable. Replies from Redis 7.0.15.
var coroutineCases = []libCase{
	{2, `local co = coroutine.wrap(function() error('boom') end) return co()`, "-ERR user_script:1: user_script:1: boom script: 3e78174f6debc87ae621e7ff734d4ddcc5d9c90a, on @user_script:1.\r\n"},
	{2, `local co = coroutine.wrap(function() error('boom', 0) end) return co()`, "-ERR user_script:1: boom script: 8534417d0ee11623fa9c2d0afcc68201bb907251, on @user_script:1.\r\n"},
	{2, `local co = coroutine.wrap(function() error({1}) end) local ok, e = pcall(co) return type(e)`, "$5\r\ntable\r\n"},
	{2, `local co = coroutine.wrap(function() return 1 end) co() return co()`, "-ERR user_script:1: cannot resume dead coroutine script: a1c8d1eabc5b9c0d710da3fff9853c246697d29e, on @user_script:1.\r\n"},
	{2, `local co = coroutine.wrap(function() return 1 end) co() local ok, e = pcall(co) return e`, "$28\r\ncannot resume dead coroutine\r\n"},
	{2, `local co = coroutine.wrap(function(a) local b = coroutine.yield(a + 1) return b * 2 end) return {co(1), co(5)}`, "*2\r\n:2\r\n:10\r\n"},
	{2, `local co = coroutine.wrap(function() local x = nil; return x.y end) return co()`, "-ERR user_script:1: user_script:1: attempt to index local 'x' (a nil value) script: f6f7434200b6742ccf11f162787c533e3b78fabc, on @user_script:1.\r\n"},
	{2, `local co = coroutine.wrap(function() local x = nil; return x.y end) local ok, e = pcall(co) return e`, "$55\r\nuser_script:1: attempt to index local 'x' (a nil value)\r\n"},
	{2, `local co co = coroutine.wrap(function() return co() end) return co()`, "-ERR user_script:1: user_script:1: cannot resume running coroutine script: 48cef01ae7402502bbb1faa4543e74a4cf98dc28, on @user_script:1.\r\n"},
	{2, `local co = coroutine.create(function() error('boom') end) return {coroutine.resume(co)}`, "*2\r\n$-1\r\n$19\r\nuser_script:1: boom\r\n"},
	{2, `local co = coroutine.create(function() return 1 end) coroutine.resume(co) return {coroutine.resume(co)}`, "*2\r\n$-1\r\n$28\r\ncannot resume dead coroutine\r\n"},
	{2, `local co = coroutine.create(function() error({}) end) local ok, e = coroutine.resume(co) return type(e)`, "$5\r\ntable\r\n"},
	{2, `return coroutine.wrap(5)`, "-ERR user_script:1: bad argument #1 to 'wrap' (Lua function expected) script: dbf8c4283330d2848350d50f771f2cf32cfba1cf, on @user_script:1.\r\n"},
	{2, `return coroutine.create(5)`, "-ERR user_script:1: bad argument #1 to 'create' (Lua function expected) script: be1c1b21aab6bb6ceed8a13ebc7895dcec06503b, on @user_script:1.\r\n"},
	{2, `local f = coroutine.wrap(function() error('x') end) local ok, e = pcall(f) return e`, "$16\r\nuser_script:1: x\r\n"},
	{2, `local t = {} local co = coroutine.wrap(function() return t + 1 end) local ok, e = pcall(co) return e`, "$75\r\nuser_script:1: attempt to perform arithmetic on upvalue 't' (a table value)\r\n"},
	{2, `return coroutine.status(coroutine.create(function() end))`, "$9\r\nsuspended\r\n"},
	{2, `local co = coroutine.create(function() coroutine.yield(1) end) coroutine.resume(co) return coroutine.status(co)`, "$9\r\nsuspended\r\n"},
	{2, `return tostring(coroutine.running())`, "$3\r\nnil\r\n"},
	{2, `local co = coroutine.wrap(function() return coroutine.yield() end) co() return co('a', 'b')`, "$1\r\na\r\n"},
	{2, `local ok, e = pcall(coroutine.yield, 1) return e`, "$50\r\nattempt to yield across metamethod/C-call boundary\r\n"},
	{2, `local co = coroutine.create(function(...) return select('#', coroutine.yield(...)) end) local a = {coroutine.resume(co, 1, nil, 3)} local b = {coroutine.resume(co, nil, nil)} return {#a, a[2], a[4], b[2]}`, "*4\r\n:4\r\n:1\r\n:3\r\n:2\r\n"},
	{2, `local co = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end return 'done' end) return {co(), co(), co(), co()}`, "*4\r\n:1\r\n:2\r\n:3\r\n$4\r\ndone\r\n"},
	{2, `return tostring(coroutine.running() == nil)`, "$4\r\ntrue\r\n"},
	{2, `local co = coroutine.create(function() return coroutine.status(coroutine.running()) end) return {coroutine.resume(co)}`, "*2\r\n:1\r\n$7\r\nrunning\r\n"},
	{2, `local co = coroutine.create(function() error({code = 1}) end) local ok, e = coroutine.resume(co) return e.code`, ":1\r\n"},
	{2, `local co = coroutine.create(function() local s = string.rep() end) return {coroutine.resume(co)}`, "*2\r\n$-1\r\n$71\r\nuser_script:1: bad argument #1 to 'rep' (string expected, got no value)\r\n"},
	{2, `local co = coroutine.create(function() local x = ARGV[5] .. 'a' end) return {coroutine.resume(co)}`, "*2\r\n$-1\r\n$61\r\nuser_script:1: attempt to concatenate field '?' (a nil value)\r\n"},
	{2, `local co = coroutine.create(function() error('lvl', 2) end) return {coroutine.resume(co)}`, "*2\r\n$-1\r\n$3\r\nlvl\r\n"},
	{2, `coroutine.yield(1) return 1`, "-ERR attempt to yield across metamethod/C-call boundary script: 1c309a9ee0e3129226feb15b82d4bd53fa2e116f, on @user_script:1.\r\n"},
}

func TestCoroutinesAsLuaRunsThem(t *testing.T) { runLibCases(t, coroutineCases) }
