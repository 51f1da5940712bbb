package scripting

import "testing"

// The redis library's own errors are error replies ({err="ERR ..."}, which
// pcall gives back as their text); err and ok replies end at a NUL, as C
// reads them; rawset returns its table, tostring what __tostring returns,
// and error at level 0 its value as it is. Checked against Redis 7.0.15.
var replyAndBaseCases = []libCase{
	{2, `local t = {} rawset(t, 'a', 1) return t.a`, ":1\r\n"},
	{2, `local t={} return rawset(t,1,1)==t`, ":1\r\n"},
	{2, `return error(7, 0)`, "-ERR 7 script: 96b39e757a62400c5a1b15594de67b5120a5b4a3, on @user_script:1.\r\n"},
	{2, `return error(7.5)`, "-ERR user_script:1: 7.5 script: 49ae1beb004b2a781d3dc6c8eda0ac35db294d97, on @user_script:1.\r\n"},
	{2, `return redis.error_reply('a\0b')`, "-ERR a\r\n"},
	{2, `return redis.error_reply('x\r
y')`, "-ERR Error compiling script (new function): user_script:1: unfinished string near ''x '\r\n"},
	{2, `return redis.log('x', 'y')`, "-ERR First argument must be a number (log level). script: abaa422549b33ecc9a0466b3166971ce5a4734f0, on @user_script:1.\r\n"},
	{2, `return redis.log(99, 'x')`, "-ERR Invalid debug level. script: d1ccc394357733a87e4372af693b49d6582b5c58, on @user_script:1.\r\n"},
	{2, `return redis.setresp(5)`, "-ERR RESP version must be 2 or 3. script: 741597f436b3f9242f02867aeac24fd11fe1b97d, on @user_script:1.\r\n"},
	{2, `return redis.sha1hex()`, "-ERR wrong number of arguments script: 3c7ce947ae74a835cc575b6ee87fb27503cb7ba4, on @user_script:1.\r\n"},
	{2, `return redis.status_reply('a\0b')`, "+a\r\n"},
	{2, `return tostring(setmetatable({},{__tostring=function() return 5 end}))`, ":5\r\n"},
	{2, `return tostring(setmetatable({},{__tostring=function() return nil end}))`, "$-1\r\n"},
	{2, `return tostring(setmetatable({},{__tostring=function(t) return 'T' end}))`, "$1\r\nT\r\n"},
	{2, `return type(tostring(setmetatable({},{__tostring=function() return {} end})))`, "$5\r\ntable\r\n"},
	{2, `return {err='\0x'}`, "-\r\n"},
	{2, `return {err='a
'}`, "-ERR Error compiling script (new function): user_script:1: unfinished string near ''a'\r\n"},
	{2, `return {err='a
b'}`, "-ERR Error compiling script (new function): user_script:1: unfinished string near ''a'\r\n"},
	{2, `return {ok='\0'}`, "+\r\n"},
	{2, `return {ok='a\r
b'}`, "-ERR Error compiling script (new function): user_script:1: unfinished string near ''a '\r\n"},
	{2, `return {pcall(error, 'x', 0)}`, "*2\r\n$-1\r\n$1\r\nx\r\n"},
	{2, `return {pcall(error, 7.5)}`, "*2\r\n$-1\r\n$3\r\n7.5\r\n"},
	{2, `return {pcall(error,7,0)}`, "*2\r\n$-1\r\n:7\r\n"},
	{2, `return {pcall(rawset, 1, 1, 1)}`, "*2\r\n$-1\r\n$51\r\nbad argument #1 to '?' (table expected, got number)\r\n"},
	{2, `return {pcall(redis.breakpoint)}`, "*2\r\n:1\r\n$-1\r\n"},
	{2, `return {pcall(redis.call)}`, "*2\r\n$-1\r\n$64\r\nERR Please specify at least one argument for this redis lib call\r\n"},
	{2, `return {pcall(redis.error_reply)}`, "*2\r\n:1\r\n-ERR wrong number or type of arguments\r\n"},
	{2, `return {pcall(redis.log)}`, "*2\r\n$-1\r\n$47\r\nERR redis.log() requires two arguments or more.\r\n"},
	{2, `return {pcall(redis.log, 'x', 'y')}`, "*2\r\n$-1\r\n$48\r\nERR First argument must be a number (log level).\r\n"},
	{2, `return {pcall(redis.log, 99, 'x')}`, "*2\r\n$-1\r\n$24\r\nERR Invalid debug level.\r\n"},
	{2, `return {pcall(redis.set_repl)}`, "*2\r\n$-1\r\n$44\r\nERR redis.set_repl() requires two arguments.\r\n"},
	{2, `return {pcall(redis.set_repl, 99)}`, "*2\r\n$-1\r\n$81\r\nERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.\r\n"},
	{2, `return {pcall(redis.setresp)}`, "*2\r\n$-1\r\n$42\r\nERR redis.setresp() requires one argument.\r\n"},
	{2, `return {pcall(redis.setresp, 5)}`, "*2\r\n$-1\r\n$32\r\nERR RESP version must be 2 or 3.\r\n"},
	{2, `return {pcall(redis.sha1hex)}`, "*2\r\n$-1\r\n$29\r\nERR wrong number of arguments\r\n"},
	{2, `return {pcall(redis.status_reply)}`, "*2\r\n:1\r\n-ERR wrong number or type of arguments\r\n"},
	{2, `return {redis.status_reply('a\0b'), redis.error_reply('c\0d')}`, "*2\r\n+a\r\n-ERR c\r\n"},
	{2, `return {xpcall(function() redis.setresp() end, function(e) return e end)}`, "*2\r\n$-1\r\n-ERR redis.setresp() requires one argument.\r\n"},
	{2, `return {xpcall(redis.sha1hex, function(e) return type(e) end)}`, "*2\r\n$-1\r\n$5\r\ntable\r\n"},
}

func TestRedisLibraryErrorsAndBaseReturnsAsRedis(t *testing.T) { runLibCases(t, replyAndBaseCases) }
