package integration

import (
	"testing"

	"petrel/integration/harness"
)

// Lua scripts: EVAL and friends, the script cache, the sandbox's errors,
// reply conversion in both protocols, read-only scripts and shebang flags,
// keys a script did not declare, SELECT inside a script, transactions around
// scripts, and BUSY / SCRIPT KILL with a second client.

const lockRelease = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`

const rateLimiter = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if n > tonumber(ARGV[1]) then return 0 end
return 1`

func TestDiffScripting(t *testing.T) {
	runSequences(t, []sequence{
		{name: "lock-release-and-rate-limit", steps: steps(
			"SET lock token1", cmd("EVAL", lockRelease, "1", "lock", "other"), "GET lock",
			cmd("EVAL", lockRelease, "1", "lock", "token1"), "GET lock", cmd("EVAL", lockRelease, "1", "lock", "token1"),
			cmd("EVAL", rateLimiter, "1", "rl", "2", "100000"), cmd("EVAL", rateLimiter, "1", "rl", "2", "100000"),
			cmd("EVAL", rateLimiter, "1", "rl", "2", "100000"), "GET rl", "PTTL rl",
		)},
		{name: "arguments-and-cache", steps: steps(
			`EVAL "return 1" abc`, `EVAL "return 1" -1`, `EVAL "return 1" 5 a`, `EVAL "return #KEYS + #ARGV" 2 a b c`,
			`EVAL "return {KEYS[1], ARGV[1], ARGV[2]}" 1 k a b`, "EVAL", `EVAL "return 1"`,
			`SCRIPT LOAD "return 'cached'"`, "EVALSHA 8dd3bd7e8f4b1dd4db0ba1e2e1e0a3ac3de2d1ed 0",
			`EVALSHA ffffffffffffffffffffffffffffffffffffffff 0`, "EVALSHA abc 0",
			`SCRIPT LOAD "return +"`, `SCRIPT EXISTS 8dd3bd7e8f4b1dd4db0ba1e2e1e0a3ac3de2d1ed nope`,
			`SCRIPT LOAD "return 1"`, "EVALSHA e0e1f9fabfc9d4800c877a703b823ac0578ff8db 0",
			"EVALSHA E0E1F9FABFC9D4800C877A703B823AC0578FF8DB 0", "SCRIPT EXISTS e0e1f9fabfc9d4800c877a703b823ac0578ff8db",
			"SCRIPT FLUSH foo", "SCRIPT FLUSH ASYNC", "SCRIPT EXISTS e0e1f9fabfc9d4800c877a703b823ac0578ff8db",
			"EVALSHA e0e1f9fabfc9d4800c877a703b823ac0578ff8db 0", "SCRIPT FLUSH SYNC", "SCRIPT FLUSH",
			"SCRIPT KILL", "SCRIPT DEBUG foo", "SCRIPT DEBUG no", "SCRIPT HELP", "SCRIPT nosuch", "SCRIPT",
		)},
		{name: "errors-from-commands-and-lua", steps: steps(
			"SET s x", `EVAL "return redis.call('incr','s')" 0`, `EVAL "return redis.pcall('incr','s')" 0`,
			`EVAL "return redis.call('nosuch')" 0`, `EVAL "return redis.call()" 0`, `EVAL "return redis.call('get')" 0`,
			`EVAL "return redis.call('multi')" 0`, `EVAL "return redis.call('eval','return 1','0')" 0`,
			`EVAL "return redis.call('subscribe','c')" 0`, `EVAL "return redis.call('get', {})" 0`,
			`EVAL "error('x')" 0`, `EVAL "error({err='MY custom'})" 0`, `EVAL "return nil + 1" 0`,
			`EVAL "return +" 0`, `EVAL "x = 1" 0`, `EVAL "return undefined_global" 0`,
			`EVAL "return redis.error_reply('MY err')" 0`, `EVAL "return redis.status_reply('FINE')" 0`,
			`EVAL "return {err='plain'}" 0`, `EVAL "return redis.pcall('hset','s','f','v')" 0`,
			"INFO errorstats",
		)},
		{name: "reply-conversion", steps: steps(
			`EVAL "return {1,2,{3,'x'},nil,4}" 0`, `EVAL "return 3.99" 0`, `EVAL "return -3.99" 0`,
			`EVAL "return true" 0`, `EVAL "return false" 0`, `EVAL "return nil" 0`, `EVAL "return {}" 0`,
			`EVAL "return 'str'" 0`, `EVAL "return {ok='OK'}" 0`, `EVAL "return {double=3.5}" 0`,
			`EVAL "return {map={a=1}}" 0`, `EVAL "return {set={a=true}}" 0`, `EVAL "return {big_number='123'}" 0`,
			`EVAL "return {verbatim_string={format='txt', string='hi'}}" 0`,
			"HSET h a 1", `EVAL "return redis.call('hgetall','h')" 0`,
			`EVAL "redis.setresp(3); return redis.call('hgetall','h')" 0`,
			`EVAL "redis.setresp(3); return redis.call('hget','h','nope')" 0`,
			`EVAL "redis.setresp(3); local r = redis.call('hgetall','h'); return type(r.map)" 0`,
			`EVAL "return redis.call('hget','h','nope')" 0`, `EVAL "return type(redis.call('get','nokey'))" 0`,
			"ZADD z 1.5 m", `EVAL "redis.setresp(3); return redis.call('zscore','z','m')" 0`,
			`EVAL "return redis.call('zscore','z','m')" 0`, `EVAL "redis.setresp(3); return redis.call('exists','z')" 0`,
			`EVAL "return redis.call('ping')" 0`, `EVAL "return redis.sha1hex('')" 0`,
			`EVAL "return redis.REDIS_VERSION" 0`, `EVAL "return redis.setresp(4)" 0`,
		)},
		{name: "read-only-and-shebang", steps: steps(
			`EVAL_RO "return redis.call('get','a')" 0`, `EVAL_RO "return redis.call('set','a','1')" 0`,
			"EVAL_RO \"#!lua\nreturn 1\" 0", "EVAL_RO \"#!lua flags=no-writes\nreturn redis.call('get','a')\" 0",
			"EVAL \"#!lua flags=no-writes\nreturn redis.call('set','a','1')\" 0", "EVAL \"#!lua flags=bogus\nreturn 1\" 0",
			"EVAL \"#!notlua\nreturn 1\" 0", "EVAL \"#!lua flags=allow-oom,no-writes\nreturn 2\" 0",
			`SCRIPT LOAD "return redis.call('get','a')"`, "EVALSHA_RO 5c8d4a6ba2dd0fdcc7ae52f8d0e0dd62dbd5be69 0",
			"EXISTS a",
		)},
		{name: "databases-and-undeclared-keys", steps: steps(
			`EVAL "redis.call('select',3); return redis.call('set','x','y')" 0`, "GET x", "SELECT 3", "GET x", "SELECT 0",
			`EVAL "redis.call('set','undeclared','1'); return redis.call('get','undeclared')" 0`,
			`EVAL "redis.call('set','u1','1'); redis.call('set','u2','2'); redis.call('set','u3','3'); return redis.call('mget','u1','u2','u3')" 0`,
			`EVAL "local k = redis.call('keys','u*') table.sort(k) return k" 0`, `EVAL "return redis.call('dbsize')" 0`,
			`EVAL "redis.call('set',KEYS[1],'a'); return redis.call('incr','undeclared')" 1 declared`,
			"GET undeclared", "GET declared",
			// Learned to stay within its KEYS, then reaching further: before
			// a write (run again with every shard), and after one.
			"SET far1 f1", "SET far2 f2",
			`EVAL "if ARGV[1] == 'x' then return redis.call('get', ARGV[2]) end return redis.call('get', KEYS[1])" 1 declared y`,
			`EVAL "if ARGV[1] == 'x' then return redis.call('get', ARGV[2]) end return redis.call('get', KEYS[1])" 1 declared x far1`,
			`EVAL "redis.call('incr', KEYS[1]) if ARGV[1] == 'x' then return redis.call('append', ARGV[2], '!') end return 0" 1 declared y`,
			`EVAL "redis.call('incr', KEYS[1]) if ARGV[1] == 'x' then return redis.call('append', ARGV[2], '!') end return 0" 1 declared x far2`,
			"MGET declared far1 far2",
		)},
		{name: "blocking-commands-and-transactions", steps: steps(
			`EVAL "return redis.call('blpop','nol',0)" 0`, "RPUSH l a", `EVAL "return redis.call('blpop','l',0)" 0`,
			"MULTI", `EVAL "return redis.call('incr','c')" 0`, `EVAL "return redis.call('incr','c')" 0`, "EXEC",
			"WATCH w", `EVAL "return redis.call('set','w','1')" 0`, "MULTI", "GET w", "EXEC",
			`EVAL "redis.call('rpush','q','x'); return redis.call('lrange','q',0,-1)" 0`,
			raw(2, string(harness.Encode("BLPOP", "q2", "0")), 0),
			`EVAL "redis.call('rpush','q2','a'); redis.call('rpush','q2','b'); return redis.call('llen','q2')" 0`,
			"@2 !read", "LRANGE q2 0 -1",
		)},
		{name: "libraries-and-limits", steps: steps(
			`EVAL "return cjson.encode({1, 2, {a = 'x/y'}})" 0`, `EVAL "return cjson.decode('[1,2,{\"a\":null}]')[2]" 0`,
			`EVAL "return cjson.decode('{bad')" 0`, `EVAL "return cmsgpack.pack({1, 2, 'x'})" 0`,
			`EVAL "return {cmsgpack.unpack(cmsgpack.pack(1, 'two', 3.5))}" 0`, `EVAL "return bit.tohex(bit.bxor(0xff, 0x0f), -4)" 0`,
			`EVAL "return struct.unpack('>I2', struct.pack('>I2', 513))" 0`, `EVAL "return setmetatable(cjson.null, {})" 0`,
			`EVAL "return tostring(123456789012345)" 0`, `EVAL "return tostring(tonumber('inf'))" 0`,
			`EVAL "local t = {} for i = 1, 7999 do t[i] = i end return #{unpack(t)}" 0`,
			`EVAL "local t = {} for i = 1, 8000 do t[i] = i end return #{unpack(t)}" 0`,
			`EVAL "local function f(n) if n == 0 then return 0 end return 1 + f(n - 1) end return f(15000)" 0`,
			`EVAL "local function f(n) if n == 0 then return 0 end return 1 + f(n - 1) end return f(30000)" 0`,
			`EVAL "return redis.call('ping')" 0`,
		)},
		// The globals and libraries are read-only in each of the three
		// environments Petrel picks from a script's code (see scripting's
		// scriptEnv), and chunks made by loadstring are named as Lua 5.1
		// names them.
		{name: "readonly-globals-and-loadstring", steps: steps(
			`EVAL "redis.call = nil" 0`, `EVAL "rawset(redis, 'call', 1)" 0`, `EVAL "table.insert(string, 1)" 0`,
			`EVAL "local t = {} t.x = 1 rawset(redis, 'x', 1)" 0`, `EVAL "local t = {} t.x = 1 return redis.x" 0`,
			`EVAL "local t = {} t.x = 1 KEYS = 1" 0`, `EVAL "local f = function() y = 2 end f()" 0`,
			`EVAL "return type(getmetatable(redis))" 0`, `EVAL "return _G.redis == redis" 0`,
			`EVAL "return KEYS[1] .. ARGV[1]" 1 a b`, `EVAL "return KEYS[1]" 0`,
			`EVAL "local t = {} t.x = 1 return ARGV[1]" 0 c`,
			`EVAL "loadstring('z = 1')() return 1" 0`, `EVAL "loadstring('z = 1', 'foo')() return 1" 0`,
			`EVAL "loadstring('z = 1', '@foo')() return 1" 0`, `EVAL "loadstring('z = 1', '=foo')() return 1" 0`,
			`EVAL "loadstring('z = 1', '0123456789012345678901234567890123456789012345678901234567890123456789')() return 1" 0`,
			cmd("EVAL", "loadstring('local a = 1\\nlocal f = function() z = 1 end f()')() return 1", "0"),
			`EVAL "return type(getmetatable(_G).__index)" 0`, `EVAL "return type(getmetatable(cjson))" 0`,
			`EVAL "local f, e = loadstring('return 1 +', 'x') return e" 0`, `EVAL "local f, e = loadstring('return \"abc') return e" 0`,
			`EVAL "return loadstring()" 0`, `EVAL "return loadstring('return 1', {})" 0`, `EVAL "return {load('x')}" 0`,
			`EVAL "return loadstring('return ...')(1, 2)" 0`, `EVAL "return 1 +" 0`, `EVAL "x = [[abc" 0`,
		)},
		{name: "busy-and-kill", steps: steps(
			"CONFIG SET busy-reply-threshold 100",
			raw(2, string(harness.Encode("EVAL", "local i = 0 while true do i = i + 1 end", "0")), 0),
			"!sleep 300", "GET x", "PING", "SCRIPT KILL", "@2 !read", "PING", "@2 GET x",
		), protos: []int{2}},
		// Compile errors in Lua 5.1.5's words: the message, the line, the
		// token it is near, and the limits Lua enforces while compiling.
		{name: "compile-errors", steps: steps(
			`EVAL "if x then" 0`, `EVAL "return (1" 0`, `EVAL "function f(" 0`, `EVAL "return 1 2" 0`,
			cmd("EVAL", "x = 'abc\ny", "0"), cmd("EVAL", "if x then\n  y = 1\n", "0"), `EVAL "x = = 1" 0`,
			`EVAL "x = 0x" 0`, `EVAL "x = 3..2" 0`, cmd("EVAL", `return "\300"`, "0"), cmd("EVAL", "x = [==[abc", "0"),
			`EVAL "a.b:c = 1" 0`, cmd("EVAL", "f\n(g)", "0"), `EVAL "function f() return ... end" 0`,
			`EVAL "break" 0`, `EVAL "while true do break x = 1 end" 0`, `EVAL "goto done" 0`, `SCRIPT LOAD "f() = 1"`,
			cmd("EVAL", luaTooDeep, "0"), cmd("EVAL", luaTooManyLocals, "0"), cmd("EVAL", luaTooManyReturns, "0"),
			cmd("FUNCTION", "LOAD", "#!lua name=x\nlocal function ("),
			cmd("EVAL", "local f, e = loadstring(ARGV[1]) return e", "0", "repeat x = 1"),
		)},
	})
}
