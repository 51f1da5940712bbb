package scripting

import (
	"runtime"
	"testing"
	"time"
)

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
	// A metamethod that is a function was called; the error came after it.
	// Resumes nest 199 deep at most; a coroutine that resumed the running one,
	// directly or not, is "normal"; a coroutine outlives the one that made it.
	{2, `local t = setmetatable({}, {__concat = function(a, b) return {} end}) return "a" .. t .. "b"`, "-ERR user_script:1: attempt to concatenate local 't' (a table value) script: b850c5e8cf7de792ce34a70aff961c98a5c9a35a, on @user_script:1.\r\n"},
	{2, `local a local r a = coroutine.create(function() local b = coroutine.create(function() local c = coroutine.create(function() return coroutine.resume(a) end) return coroutine.resume(c) end) return coroutine.resume(b) end) return {coroutine.resume(a)}`, "*5\r\n:1\r\n:1\r\n:1\r\n$-1\r\n$30\r\ncannot resume normal coroutine\r\n"},
	{2, `local a a = coroutine.create(function() local b = coroutine.create(function() return coroutine.status(a) end) return coroutine.resume(b) end) return {coroutine.resume(a)}`, "*3\r\n:1\r\n:1\r\n$6\r\nnormal\r\n"},
	{2, `local function f(n) local co = coroutine.create(f) local ok, v = coroutine.resume(co, n+1) if not ok then return {n, v} end return v end return f(0)`, "*2\r\n:199\r\n$16\r\nC stack overflow\r\n"},
	{2, `local function f(n) if n == 0 then return 0 end local co = coroutine.create(f) local ok, v = coroutine.resume(co, n-1) if not ok then return v end return v + 1 end return f(150)`, ":150\r\n"},
	{2, `local inner local outer = coroutine.wrap(function() inner = coroutine.create(function(x) coroutine.yield(x*2) return "end" end) coroutine.yield("o1") return "o2" end) local a=outer() local b={coroutine.resume(inner,21)} local c=outer() local d={coroutine.resume(inner)} return {a,b[1],b[2],c,d[1],d[2],coroutine.status(inner)}`, "*7\r\n$2\r\no1\r\n:1\r\n:42\r\n$2\r\no2\r\n:1\r\n$3\r\nend\r\n$4\r\ndead\r\n"},
	{2, `return coroutine.status(5)`, "-ERR user_script:1: bad argument #1 to 'status' (coroutine expected) script: b267bce89e2f6b62c098df749e88c3cc22b0f0c4, on @user_script:1.\r\n"},
	{2, `return coroutine.resume(5)`, "-ERR user_script:1: bad argument #1 to 'resume' (coroutine expected) script: 861156f230dd63a9aa88704cf04ffeb090f4bc09, on @user_script:1.\r\n"},
	{2, `local co = coroutine.create(function() return coroutine.status(coroutine.running()) end) return {coroutine.resume(co)}`, "*2\r\n:1\r\n$7\r\nrunning\r\n"},
	{2, `local co = coroutine.wrap(function() error(1/3, 0) end) local ok, e = pcall(co) return e`, "$16\r\n0.33333333333333\r\n"},
	{2, `local co = coroutine.wrap(function() error(1/3, 0) end) return co()`, "-ERR user_script:1: 0.33333333333333 script: c7890055dded74d8aef509829917e15743b7ff18, on @user_script:1.\r\n"},
	// Lua 5.1 cannot yield across a call made from C: pcall, table.sort,
	// string.gsub, tostring, a metamethod, a for-in iterator.
	{2, `local co = coroutine.create(function() local co2 = coroutine.wrap(function() coroutine.yield(1) end) return co2() end) return {coroutine.resume(co)}`, "*2\r\n:1\r\n:1\r\n"},
	{2, `local co = coroutine.create(function() local t = setmetatable({}, {__tostring = function() coroutine.yield(1) return 'x' end}) return tostring(t) end) return {coroutine.resume(co)}`, "*2\r\n$-1\r\n$50\r\nattempt to yield across metamethod/C-call boundary\r\n"},
	{2, `local co = coroutine.create(function() local t = {3,2,1} table.sort(t, function(a, b) coroutine.yield(1) return a < b end) end) return {coroutine.resume(co)}`, "*2\r\n$-1\r\n$50\r\nattempt to yield across metamethod/C-call boundary\r\n"},
	{2, `local co = coroutine.create(function() redis.call('ping') coroutine.yield(1) end) return {coroutine.resume(co)}`, "*2\r\n:1\r\n:1\r\n"},
	{2, `local co = coroutine.create(function() return pcall(coroutine.yield, 1) end) return {coroutine.resume(co)}`, "*3\r\n:1\r\n$-1\r\n$50\r\nattempt to yield across metamethod/C-call boundary\r\n"},
	{2, `local co = coroutine.create(function() return select(2, coroutine.yield(1)) end) coroutine.resume(co) return {coroutine.resume(co, 1, 2)}`, "*2\r\n:1\r\n:2\r\n"},
	{2, `local co = coroutine.create(function() return unpack({coroutine.yield(1)}) end) return {coroutine.resume(co)}`, "*2\r\n:1\r\n:1\r\n"},
	{2, `local co = coroutine.create(function() return xpcall(function() coroutine.yield(1) end, function(e) return 'h:' .. e end) end) return {coroutine.resume(co)}`, "*3\r\n:1\r\n$-1\r\n$52\r\nh:attempt to yield across metamethod/C-call boundary\r\n"},
	{2, `local co = coroutine.wrap(function() for x in function() coroutine.yield(1) end do end return 2 end) return co()`, "-ERR user_script:1: attempt to yield across metamethod/C-call boundary script: 7bf189635f5164dae5c26f68f3c41139e76e921c, on @user_script:1.\r\n"},
	{2, `local co = coroutine.wrap(function() local a = {pcall(error, 'e')} coroutine.yield(a[2]) return 1 end) return co()`, "$1\r\ne\r\n"},
	{2, `local co = coroutine.wrap(function() local function g() coroutine.yield(5) end g() return 6 end) return co()`, ":5\r\n"},
	{2, `local co = coroutine.wrap(function() local function g() return coroutine.yield(5) end return g() end) return {co(), co(9)}`, "*2\r\n:5\r\n:9\r\n"},
	{2, `local co = coroutine.wrap(function() local ok, e = pcall(coroutine.yield, 1) return e end) return co()`, "$50\r\nattempt to yield across metamethod/C-call boundary\r\n"},
	{2, `local co = coroutine.wrap(function() local ok, e = pcall(function() coroutine.yield(1) end) return e end) return co()`, "$50\r\nattempt to yield across metamethod/C-call boundary\r\n"},
	{2, `local co = coroutine.wrap(function() local s = string.gsub('ab', '.', function(c) coroutine.yield(c) end) return s end) return co()`, "-ERR user_script:1: attempt to yield across metamethod/C-call boundary script: 8f7c4458287e14f55508d3668d9fbf90fcd3552e, on @user_script:1.\r\n"},
	{2, `local co = coroutine.wrap(function() return (function() return (function() coroutine.yield(3) return 4 end)() end)() end) return {co(), co()}`, "*2\r\n:3\r\n:4\r\n"},
	{2, `local co = coroutine.wrap(function() return coroutine.yield(coroutine.yield(1)) end) return {co(), co(2), co(3)}`, "*3\r\n:1\r\n:2\r\n:3\r\n"},
	{2, `local t = setmetatable({}, {__add = function(a,b) coroutine.yield(7) end}) local co = coroutine.wrap(function() return t + 1 end) return co()`, "-ERR user_script:1: attempt to yield across metamethod/C-call boundary script: 7474eba4356f7677e53231ab1da28472f31ebe19, on @user_script:1.\r\n"},
	{2, `local t = setmetatable({}, {__index = function(t,k) coroutine.yield(k) end}) local co = coroutine.wrap(function() return t.x end) return co()`, "-ERR user_script:1: attempt to yield across metamethod/C-call boundary script: fd6e1c766d5fb73e3d49ccaa4ca0d99b7d46e6b2, on @user_script:1.\r\n"},
	{2, `local t = {3,1,2} local co = coroutine.wrap(function() table.sort(t, function(a,b) coroutine.yield() return a<b end) end) return co()`, "-ERR user_script:1: attempt to yield across metamethod/C-call boundary script: e25d0b31375def443770cb2e31b5dd4aad117f76, on @user_script:1.\r\n"},
	{2, `local x = 1 return coroutine.yield()`, "-ERR attempt to yield across metamethod/C-call boundary script: d9607a4ab08b786ca6df41abdcc0953963d811ae, on @user_script:1.\r\n"},
}

func TestCoroutinesAsLuaRunsThem(t *testing.T) { runLibCases(t, coroutineCases) }

// A coroutine left unfinished costs nothing once its script ends: it once
// kept a goroutine (gopher-lua's context for the thread) for the life of
// the pooled interpreter.
func TestUnfinishedCoroutinesLeaveNoGoroutines(t *testing.T) {
	e := NewEngine()
	script := "for i = 1, 2000 do local co = coroutine.create(function() coroutine.yield() end) coroutine.resume(co) end return 1"
	evalReply(t, e, 2, script, nil, nil)
	before := runtime.NumGoroutine()
	for i := 0; i < 3; i++ {
		if got := evalReply(t, e, 2, script, nil, nil); got != ":1\r\n" {
			t.Fatalf("reply %q", got)
		}
	}
	time.Sleep(10 * time.Millisecond)
	if after := runtime.NumGoroutine(); after > before+10 {
		t.Errorf("goroutines grew from %d to %d over 6000 unfinished coroutines", before, after)
	}
}

// SCRIPT KILL stops a loop inside a coroutine, and the script with it: the
// coroutine runs under the script's own kill context.
func TestKillStopsALoopInsideACoroutine(t *testing.T) {
	killLoopingScript(t, "while true do coroutine.resume(coroutine.create(function() while true do end end)) end")
}
