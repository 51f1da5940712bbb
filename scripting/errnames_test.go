package scripting

import (
	"strings"
	"testing"
)

// Runtime errors worded as Lua 5.1 words them, naming the variable that
// held the bad value (a local, global, field, upvalue or method) where Lua
// can tell it: calls, indexing, arithmetic, concatenation, length and
// comparison, in the script, in pcall and in xpcall's handler. Replies from
// Redis 7.0.15.
var runtimeErrorCases = []libCase{
	{2, `return KEYS()`, "-ERR user_script:1: attempt to call global 'KEYS' (a table value) script: 3985c2516543d64279efbc5d992bb58353f392e6, on @user_script:1.\r\n"},
	{2, `local x return x.y`, "-ERR user_script:1: attempt to index local 'x' (a nil value) script: 5026afb925e5414a3d45601cf8756c61c12bbcd0, on @user_script:1.\r\n"},
	{2, `local t = {} return t.a.b`, "-ERR user_script:1: attempt to index field 'a' (a nil value) script: 42326c67aad50f3282f524d2107872e4a105501a, on @user_script:1.\r\n"},
	{2, `return ARGV[1] + 1`, "-ERR user_script:1: attempt to perform arithmetic on field '?' (a nil value) script: 84834ee62a493ae7cb74fa5841a3a02222e583ba, on @user_script:1.\r\n"},
	{2, `local a = nil return a + 1`, "-ERR user_script:1: attempt to perform arithmetic on local 'a' (a nil value) script: bfbfc76bcc2499e441a651d32de5edd206a4c378, on @user_script:1.\r\n"},
	{2, `return #nil`, "-ERR user_script:1: attempt to get length of a nil value script: 6d6abd31d8721234b1ee1a830316ae36ef2693e2, on @user_script:1.\r\n"},
	{2, `local x = 1 return x .. {}`, "-ERR user_script:1: attempt to concatenate a table value script: 17a7c9f971e8ae96cf4b390809d010bd437dc087, on @user_script:1.\r\n"},
	{2, `return 1 < 'x'`, "-ERR user_script:1: attempt to compare number with string script: 6eb39b93a508ef218c3d802c1e5162ad876dfecf, on @user_script:1.\r\n"},
	{2, `return {} < {}`, "-ERR user_script:1: attempt to compare two table values script: fe12717409b91d7c0c64c39528a098f1c423fefe, on @user_script:1.\r\n"},
	{2, `local t = {} t.x.y = 1`, "-ERR user_script:1: attempt to index field 'x' (a nil value) script: a3e688812e3164b24d5a4a070bf45fd27d50fc57, on @user_script:1.\r\n"},
	{2, `return redis.nosuch()`, "-ERR user_script:1: attempt to call field 'nosuch' (a nil value) script: 064c0d38ec6d45fb37cd950fd37e609359986738, on @user_script:1.\r\n"},
	{2, `return string.nosuch('a')`, "-ERR user_script:1: attempt to call field 'nosuch' (a nil value) script: bff6cd66f1d97d5cc44ff64d9fe6d4ee31629109, on @user_script:1.\r\n"},
	{2, `local s = 'abc' return s:nosuch()`, "-ERR user_script:1: attempt to call method 'nosuch' (a nil value) script: 9e5fe8b0ec47b0a27cbf661cc7f205878180855a, on @user_script:1.\r\n"},
	{2, `local t = setmetatable({}, {}) return t()`, "-ERR user_script:1: attempt to call local 't' (a table value) script: 48cd183eaf0f66c926ecca45d70d6ed5e23d7169, on @user_script:1.\r\n"},
	{2, `local function f() local up = nil return function() return up.x end end return f()()`, "-ERR user_script:1: attempt to index upvalue 'up' (a nil value) script: 70699eab5e79afe3f5247f8874e3fa6ffbfe60b4, on @user_script:1.\r\n"},
	{2, `return -{}`, "-ERR user_script:1: attempt to perform arithmetic on a table value script: 95c805f07fef0f190a24e3197cab48b4e80c185b, on @user_script:1.\r\n"},
	{2, `return math.floor('x')`, "-ERR user_script:1: bad argument #1 to 'floor' (number expected, got string) script: 7cf2c038a55f1ca159d6ef112dff26587d2f619f, on @user_script:1.\r\n"},
	{2, `return ('x')()`, "-ERR user_script:1: attempt to call a string value script: fa60faf27a57aff7250cdb60d007ea0d9bbe01b2, on @user_script:1.\r\n"},
	{2, `return nil .. 'a'`, "-ERR user_script:1: attempt to concatenate a nil value script: 3d444276312333a483c3b0b674116ddd43688f09, on @user_script:1.\r\n"},
	{2, `return {pcall(function() local x return x.y end)}`, "*2\r\n$-1\r\n$55\r\nuser_script:1: attempt to index local 'x' (a nil value)\r\n"},
	{2, `return {pcall(function() return KEYS() end)}`, "*2\r\n$-1\r\n$60\r\nuser_script:1: attempt to call global 'KEYS' (a table value)\r\n"},
	{2, `return {pcall(function() return nosuch_fn() end)}`, "*2\r\n$-1\r\n$81\r\nuser_script:1: Script attempted to access nonexistent global variable 'nosuch_fn'\r\n"},
	{2, `local ok, e = pcall(function() local t = {} t.x.y = 1 end) return e`, "$55\r\nuser_script:1: attempt to index field 'x' (a nil value)\r\n"},
	{2, `local ok, e = pcall(function() return ('a')() end) return e`, "$45\r\nuser_script:1: attempt to call a string value\r\n"},
	{2, `local ok, e = pcall(function() return #5 end) return e`, "$54\r\nuser_script:1: attempt to get length of a number value\r\n"},
	{2, `local t = {a = {}} return t.a.b.c`, "-ERR user_script:1: attempt to index field 'b' (a nil value) script: 02dda29840032568e2a5215d63adbfa21263c36d, on @user_script:1.\r\n"},
	{2, `local a, b = 1 return a + b`, "-ERR user_script:1: attempt to perform arithmetic on local 'b' (a nil value) script: 7288f289c52e9dbd47db3aa6b3778ae1df6a7482, on @user_script:1.\r\n"},
	{2, `local a, b = 1 return b + a`, "-ERR user_script:1: attempt to perform arithmetic on local 'b' (a nil value) script: 98a654653174097c80aab3dd4f2db4f630d691d2, on @user_script:1.\r\n"},
	{2, `local a = 'x' return a + 1`, "-ERR user_script:1: attempt to perform arithmetic on local 'a' (a string value) script: 0c08afa40ffbd2e619ae66bb0417516b8d9d4753, on @user_script:1.\r\n"},
	{2, `local a = '10' return a + {}`, "-ERR user_script:1: attempt to perform arithmetic on a table value script: d6b61b10300460fc2bbcb8ef2c8ec3ad01909c1a, on @user_script:1.\r\n"},
	{2, `local a = '10' local b = {} return a * b`, "-ERR user_script:1: attempt to perform arithmetic on local 'b' (a table value) script: ccb8e8fe8b24b23454e901b871e7b4d741e59e76, on @user_script:1.\r\n"},
	{2, `return 1 + nil`, "-ERR user_script:1: attempt to perform arithmetic on a nil value script: e8f647a6e338d050a115f7d097171925636246d4, on @user_script:1.\r\n"},
	{2, `local t = {} return t[1] + 1`, "-ERR user_script:1: attempt to perform arithmetic on field '?' (a nil value) script: 3ca433cbab2876ed3c24ec35cde4fef620d58af5, on @user_script:1.\r\n"},
	{2, `local t = {} return t.n + 1`, "-ERR user_script:1: attempt to perform arithmetic on field 'n' (a nil value) script: 7967cb8d705a393749ed1d84a50060ab28ab84dd, on @user_script:1.\r\n"},
	{2, `local t = {} local k = 'z' return t[k] + 1`, "-ERR user_script:1: attempt to perform arithmetic on field '?' (a nil value) script: f4e0fbc271245dab9297c0a6fc1aa29fd82edf71, on @user_script:1.\r\n"},
	{2, `local t = {} local k = 'z' return t[k].y`, "-ERR user_script:1: attempt to index field '?' (a nil value) script: c3b7f63c06eedf96f21f46896cf6ea71b0298010, on @user_script:1.\r\n"},
	{2, `local x = {} return -x`, "-ERR user_script:1: attempt to perform arithmetic on local 'x' (a table value) script: 11a910ed1518b8e22ddff99c23c669f2a26d1971, on @user_script:1.\r\n"},
	{2, `local s = 'a' local t = {} return s .. t`, "-ERR user_script:1: attempt to concatenate local 't' (a table value) script: a7c975a5051ab405b07e4d2a13c71762caaef05e, on @user_script:1.\r\n"},
	{2, `local s = 'a' local t = {} return t .. s`, "-ERR user_script:1: attempt to concatenate local 't' (a table value) script: 139e03b98b4a5d4d0d1e591ead599ad93c8c3fd9, on @user_script:1.\r\n"},
	{2, `local a, b, c = 'a', nil, 'c' return a .. b .. c`, "-ERR user_script:1: attempt to concatenate local 'b' (a nil value) script: 2b2de1fad3d84ced3403c48ca2ff14040d760823, on @user_script:1.\r\n"},
	{2, `local a, b, c = 'a', 'b', nil return a .. b .. c`, "-ERR user_script:1: attempt to concatenate local 'c' (a nil value) script: ddb74316e63bbba3f9eea7ff85b12e580644dfcc, on @user_script:1.\r\n"},
	{2, `local a, b, c = nil, 'b', 'c' return a .. b .. c`, "-ERR user_script:1: attempt to concatenate local 'a' (a nil value) script: 2afd2b205aa2db9ccb477e4dc7f7d7fbb864711e, on @user_script:1.\r\n"},
	{2, `local a, b = {}, {} return a .. b`, "-ERR user_script:1: attempt to concatenate local 'a' (a table value) script: 8d4dec599f294fce8f6d18afccac4fdb2d57cc05, on @user_script:1.\r\n"},
	{2, `return 'x' .. {} .. 'y'`, "-ERR user_script:1: attempt to concatenate a table value script: 02470f7187884a1eb9f759ad7e8b7b25ee6647cb, on @user_script:1.\r\n"},
	{2, `local t = {} return #t.x`, "-ERR user_script:1: attempt to get length of field 'x' (a nil value) script: c29ce8508978c5bbbca49b5a60fc9b756557c48f, on @user_script:1.\r\n"},
	{2, `local n = nil return #n`, "-ERR user_script:1: attempt to get length of local 'n' (a nil value) script: 6a41b3194cfc24a408104a7821d24665585e6eae, on @user_script:1.\r\n"},
	{2, `for i = nil, 2 do end`, "-ERR user_script:1: 'for' initial value must be a number script: 9027890cfaf5c9e8d609782aa7706a05466ffe64, on @user_script:1.\r\n"},
	{2, `for i = 1, 'x' do end`, "-ERR user_script:1: 'for' limit must be a number script: d8bd80086cdb91c430b99e2009d520ef8213df01, on @user_script:1.\r\n"},
	{2, `for i = 1, 2, {} do end`, "-ERR user_script:1: 'for' step must be a number script: 1a0080fd3fab6b7236e6e29e53f013e50b6033a5, on @user_script:1.\r\n"},
	{2, `local function f(a) return a.b end return f(nil)`, "-ERR user_script:1: attempt to index local 'a' (a nil value) script: 15a90ddd60fce5b51b6d0fbffb80da3273f12958, on @user_script:1.\r\n"},
	{2, `local function f(a) return a() end return f(1)`, "-ERR user_script:1: attempt to call local 'a' (a number value) script: 3ff2333b41123a324972cf1d1ec216cb11d7286e, on @user_script:1.\r\n"},
	{2, `local function f(...) local x = ... return x.y end return f()`, "-ERR user_script:1: attempt to index local 'x' (a nil value) script: 7c50247fdb545a2d58a5c79251f490725e382bec, on @user_script:1.\r\n"},
	{2, `local u = nil local function f() return u() end return f()`, "-ERR user_script:1: attempt to call upvalue 'u' (a nil value) script: e40774563bdd81bf99cb8751b5e9fb727b1faeb6, on @user_script:1.\r\n"},
	{2, `local t = setmetatable({}, {__index = function(t, k) return nil end}) return t.x.y`, "-ERR user_script:1: attempt to index field 'x' (a nil value) script: a230e97b2c77fbde6f09763c790470e7a3f1f54f, on @user_script:1.\r\n"},
	{2, `return redis.call('GET', KEYS[1]).x`, "-ERR Lua redis lib command arguments must be strings or integers script: bdc0249ddb710fe23339be6b9743904fbace96ca, on @user_script:1.\r\n"},
	{2, `return string.len.x`, "-ERR user_script:1: attempt to index field 'len' (a function value) script: 323549079ae531b459599212d42108814cfdadc4, on @user_script:1.\r\n"},
	{2, `return string.x.y`, "-ERR user_script:1: attempt to index field 'x' (a nil value) script: 0508883d138d1a050c2b382afe1008a710393d79, on @user_script:1.\r\n"},
	{2, `return math.nosuch(1)`, "-ERR user_script:1: attempt to call field 'nosuch' (a nil value) script: c30fa31af05aab16fda8cd4575dddb9358e18e43, on @user_script:1.\r\n"},
	{2, `return cjson.nosuch()`, "-ERR user_script:1: attempt to call field 'nosuch' (a nil value) script: bf8e650e126a3e3e716b97afaae7e4e644a74cbc, on @user_script:1.\r\n"},
	{2, `return _G.x.y`, "-ERR user_script:1: Script attempted to access nonexistent global variable 'x' script: 5cb6ad0ed35b6637a8898133a88e603a8a943484, on @user_script:1.\r\n"},
	{2, `local r = redis return r.nosuch()`, "-ERR user_script:1: attempt to call field 'nosuch' (a nil value) script: c8f3ed5b48cdfaa48668417593ef1217e0e43c28, on @user_script:1.\r\n"},
	{2, `local t = {f = 1} return t:f()`, "-ERR user_script:1: attempt to call method 'f' (a number value) script: 1292c24db9681e9886f1ff18825010641893a61b, on @user_script:1.\r\n"},
	{2, `local t = {} return t.a:b()`, "-ERR user_script:1: attempt to index field 'a' (a nil value) script: 6796f8a49d80aa4b5e1b94284838afe822975dd7, on @user_script:1.\r\n"},
	{2, `return (nil)()`, "-ERR user_script:1: attempt to call a nil value script: 9a580917c1ccb482759b1037669ca8296e267644, on @user_script:1.\r\n"},
	{2, `return ({})[1]()`, "-ERR user_script:1: attempt to call field '?' (a nil value) script: 6c36b4471a3b8d625b40ad02c24c4457c940dbfa, on @user_script:1.\r\n"},
	{2, `local x = 1`, "$-1\r\n"},
	{2, `local y = nil`, "$-1\r\n"},
	{2, `return x + y`, "-ERR user_script:1: Script attempted to access nonexistent global variable 'x' script: 0985a1042168bd51930d7e78f56e3d7dfe646931, on @user_script:1.\r\n"},
	{2, `local t = {}`, "$-1\r\n"},
	{2, `t.a = nil`, "-ERR user_script:1: Script attempted to access nonexistent global variable 't' script: 4945513728d37086fdf6831d4c0ee683486d9095, on @user_script:1.\r\n"},
	{2, `return t.a.b`, "-ERR user_script:1: Script attempted to access nonexistent global variable 't' script: d07eb57f604ad01c79af619dd656edea2bf7c2d9, on @user_script:1.\r\n"},
	{2, `for i = 1, 3 do local v = nil if i == 2 then return v.x end end`, "-ERR user_script:1: attempt to index local 'v' (a nil value) script: 6a6c3084c5f00ff033a1da72312c7caf01ee8cc8, on @user_script:1.\r\n"},
	{2, `local t = {1, 2} for k, v in pairs(t) do return v.x end`, "-ERR user_script:1: attempt to index local 'v' (a number value) script: a8c5181a96ce03f5fcce158b01c174e88c4e0e54, on @user_script:1.\r\n"},
	{2, `local t = {} while true do return t.q.w end`, "-ERR user_script:1: attempt to index field 'q' (a nil value) script: 5cd920d1c88c9614665c890d48d4a9031ffda745, on @user_script:1.\r\n"},
	{2, `local i = 0 repeat i = i + 1 local z = nil if i > 1 then return z.x end until false`, "-ERR user_script:1: attempt to index local 'z' (a nil value) script: 9de2f5300a861c53f0aea8ae4d2859f4a5e345df, on @user_script:1.\r\n"},
	{2, `return tostring(nil) .. nil`, "-ERR user_script:1: attempt to concatenate a nil value script: 3182be7354fb07aa0fcf57d3439e308f6f38bcf7, on @user_script:1.\r\n"},
	{2, `local a = {} local b = a.c return b.d`, "-ERR user_script:1: attempt to index local 'b' (a nil value) script: 05ec4137df1a9585dd2c7f9248c5c29399835f50, on @user_script:1.\r\n"},
	{2, `local a = {} a.b = {} return a.b.c.d`, "-ERR user_script:1: attempt to index field 'c' (a nil value) script: 3b63751a14ad6d8b48afcaef60cc528732dca04a, on @user_script:1.\r\n"},
	{2, `return #KEYS[5]`, "-ERR user_script:1: attempt to get length of field '?' (a nil value) script: 855f024e042122fcd6eb7b9c5e349db3e43e8ca3, on @user_script:1.\r\n"},
	{2, `return KEYS[1] .. nil`, "-ERR user_script:1: attempt to concatenate field '?' (a nil value) script: f702c4d88d91dfff5498ef26c1fe816aab5f52ff, on @user_script:1.\r\n"},
	{2, `return ARGV[1]()`, "-ERR user_script:1: attempt to call field '?' (a nil value) script: 91b80ea34ab12f922c1395f8b04677e9d056d87b, on @user_script:1.\r\n"},
	{2, `local t = {} return t > 1`, "-ERR user_script:1: attempt to compare number with table script: 1c38fb3974e5342b7f59d63b4e734e7c391e1f47, on @user_script:1.\r\n"},
	{2, `local t = {} return 1 < t`, "-ERR user_script:1: attempt to compare number with table script: 480d56e9e084ae0549573232a0928094c9fa9821, on @user_script:1.\r\n"},
	{2, `return {} <= {}`, "-ERR user_script:1: attempt to compare two table values script: 4312056a4bcc339c5cab1aad3b1873fcb6b0b216, on @user_script:1.\r\n"},
	{2, `return 'a' < 1`, "-ERR user_script:1: attempt to compare string with number script: 1bcc9b60c52cffd4347d71c33042b3e1c737e638, on @user_script:1.\r\n"},
	{2, `return nil < nil`, "-ERR user_script:1: attempt to compare two nil values script: 4ccfcdee938c86aafbfb363879c193afa2828b25, on @user_script:1.\r\n"},
	{2, `return true < false`, "-ERR user_script:1: attempt to compare two boolean values script: 8f1c1f73f08f129d63e54169e8186c8378b4961e, on @user_script:1.\r\n"},
	{2, `local x = 1
local y = nil
return x + y`, "-ERR user_script:3: attempt to perform arithmetic on local 'y' (a nil value) script: bb6ad6315488cfc1e335cd6cbd6d68529992af81, on @user_script:3.\r\n"},
	{2, `local t = {}
t.a = nil
return t.a.b`, "-ERR user_script:3: attempt to index field 'a' (a nil value) script: ff21b9d74efa2a613b5c7ff1b333f080b04dfb25, on @user_script:3.\r\n"},
	{2, `local function f()
  local q
  return q.w
end
return f()`, "-ERR user_script:3: attempt to index local 'q' (a nil value) script: 286eb5eda7136f7590f24f191d1c508043369236, on @user_script:3.\r\n"},
	{2, `return {xpcall(function() local x return x.y end, function(e) return 'H: ' .. e end)}`, "*2\r\n$-1\r\n$58\r\nH: user_script:1: attempt to index local 'x' (a nil value)\r\n"},
	{2, `return {xpcall(function() return KEYS() end, function(e) return e end)}`, "*2\r\n$-1\r\n$60\r\nuser_script:1: attempt to call global 'KEYS' (a table value)\r\n"},
	{2, `return {xpcall(function() return 1 + nil end, function(e) return e end)}`, "*2\r\n$-1\r\n$59\r\nuser_script:1: attempt to perform arithmetic on a nil value\r\n"},
	{2, `return {xpcall(function() error('plain') end, function(e) return e end)}`, "*2\r\n$-1\r\n$20\r\nuser_script:1: plain\r\n"},
	{2, `return {xpcall(nil, function(e) return e end)}`, "*2\r\n$-1\r\n$27\r\nattempt to call a nil value\r\n"},
	{2, `local f = loadstring('local z return z.q') return {pcall(f)}`, "*2\r\n$-1\r\n$73\r\n[string \"local z return z.q\"]:1: attempt to index local 'z' (a nil value)\r\n"},
	{2, `local f = loadstring('return nosuch.q') return {pcall(f)}`, "*2\r\n$-1\r\n$93\r\n[string \"return nosuch.q\"]:1: Script attempted to access nonexistent global variable 'nosuch'\r\n"},
	{2, `local f = loadstring('local z return z.q') return f()`, "-ERR [string \"local z return z.q\"]:1: attempt to index local 'z' (a nil value) script: 7c225f8a5c065214ac42fa543b5f160b551dbcf3, on local z return z.q:1.\r\n"},
	{2, `local ok, e = pcall(function() return ('x'):bad() end) return e`, "$57\r\nuser_script:1: attempt to call method 'bad' (a nil value)\r\n"},
	{2, `return {pcall(function() local t = setmetatable({}, {__add = function(a, b) return a.x.y end}) return t + 1 end)}`, "*2\r\n$-1\r\n$55\r\nuser_script:1: attempt to index field 'x' (a nil value)\r\n"},
	{2, `return {pcall(function() local t = setmetatable({}, {__index = function(t, k) return k.z end}) return t.q end)}`, "*1\r\n:1\r\n"},
	{2, `local a = {} a[1] = a[2].x`, "-ERR user_script:1: attempt to index field '?' (a nil value) script: 98947e5f7a89646d46b9330c27da6d9fb4c3d2b8, on @user_script:1.\r\n"},
	{2, `local s = 'x' return s.y.z`, "-ERR user_script:1: attempt to index field 'y' (a nil value) script: b2f915d0924af67045868c899a4b017b9b0d5637, on @user_script:1.\r\n"},
	{2, `local s = 'x' s.y = 1`, "-ERR user_script:1: attempt to index local 's' (a string value) script: 71708e1c7c1c2eae5e9e9dc5e7ceb063e392bd3f, on @user_script:1.\r\n"},
	{2, `return (1).x`, "-ERR user_script:1: attempt to index a number value script: 8dafef730431c47f824516e33f15550265e38fdb, on @user_script:1.\r\n"},
	{2, `local n = 5 n.x = 1`, "-ERR user_script:1: attempt to index local 'n' (a number value) script: 7e5bcbad6cf3e8f144f5d9f03b3164bd1835c153, on @user_script:1.\r\n"},
	{2, `return math.huge.x`, "-ERR user_script:1: attempt to index field 'huge' (a number value) script: 4ca9c13174d55de8a54a2928a6394a05f973fec7, on @user_script:1.\r\n"},
	{2, `return {xpcall(5, function(e) return e end)}`, "*2\r\n$-1\r\n$30\r\nattempt to call a number value\r\n"},
	{2, `return {xpcall(function() error('a') end, function(e) error('b') end)}`, "*2\r\n$-1\r\n$23\r\nerror in error handling\r\n"},
	{2, `return {xpcall(function() error('a') end, nil)}`, "*2\r\n$-1\r\n$23\r\nerror in error handling\r\n"},
	{2, `return {xpcall(function() return 1, 2, 3 end, print)}`, "-ERR user_script:1: Script attempted to access nonexistent global variable 'print' script: 202df5244f9db053cca5af3a0e187420e624fb92, on @user_script:1.\r\n"},
	{2, `return {xpcall(function() error({1}) end, function(e) return type(e) end)}`, "*2\r\n$-1\r\n$5\r\ntable\r\n"},
	{2, `return {xpcall(function() error('a') end)}`, "-ERR user_script:1: bad argument #2 to 'xpcall' (value expected) script: 55ccdb530f1ac9c336b3580fde53b5548cf55e91, on @user_script:1.\r\n"},
	{2, `return {xpcall(setmetatable({}, {__call = function() return 'called' end}), function(e) return e end)}`, "*2\r\n:1\r\n$6\r\ncalled\r\n"},
	{2, `return {xpcall(function() return redis.call('nosuchcmd') end, function(e) return e end)}`, "*2\r\n$-1\r\n-ERR Unknown Redis command called from script\r\n"},
	{2, `return {xpcall(function() return redis.call('nosuchcmd') end, function(e) return e.err end)}`, "*2\r\n$-1\r\n$44\r\nERR Unknown Redis command called from script\r\n"},
	{2, `return {xpcall(function() local t = {} return #t.x end, function(e) return e end)}`, "*2\r\n$-1\r\n$63\r\nuser_script:1: attempt to get length of field 'x' (a nil value)\r\n"},
	// metatables (an __index chain that ends in a value that cannot be
	// indexed is named by its type only), loops, varargs
	{2, `local t = setmetatable({}, {__index = 5}) return t.x`, "-ERR user_script:1: attempt to index a number value script: 20a340b4f3a37268c1cfe52f1e2ecfb66fbce080, on @user_script:1.\r\n"},
	{2, `local t = setmetatable({}, {__index = 'abc'}) return t.x.y`, "-ERR user_script:1: attempt to index field 'x' (a nil value) script: 0886ed502b853d92ebf6b7c72065253ad3d63e71, on @user_script:1.\r\n"},
	{2, `local t = setmetatable({}, {__index = {}}) return t.x.y`, "-ERR user_script:1: attempt to index field 'x' (a nil value) script: e5bfbe415d7a395a33937dc962655417c69321d1, on @user_script:1.\r\n"},
	{2, `local t = setmetatable({}, {__call = 5}) return t()`, "-ERR user_script:1: attempt to call local 't' (a table value) script: d70e4858ff0122de3951c3053039bd0cd94f7c39, on @user_script:1.\r\n"},
	{2, `for k, v in pairs({a = 1}) do return k.x.y end`, "-ERR user_script:1: attempt to index field 'x' (a nil value) script: 5818b76bc5d51646b801675156e7790d5bf308fc, on @user_script:1.\r\n"},
	{2, `for k, v in ipairs({}) do end return nosuch_local_thing`, "-ERR user_script:1: Script attempted to access nonexistent global variable 'nosuch_local_thing' script: 0bd01753f4a3b2b8924f64883012fee86711bf5e, on @user_script:1.\r\n"},
	{2, `local a = {} local b = a return b.c.d`, "-ERR user_script:1: attempt to index field 'c' (a nil value) script: 079a25e87a3f359f4b29444b557264c964e27613, on @user_script:1.\r\n"},
	{2, `local function f(x) x = nil return x.y end return f(1)`, "-ERR user_script:1: attempt to index local 'x' (a nil value) script: 9d6831b492a507d17b4bd31925edcab1c51040e6, on @user_script:1.\r\n"},
	{2, `return (function(...) return (...).x end)()`, "-ERR user_script:1: attempt to index a nil value script: 64362b216e3363f0453c5c2c77283bcfd146f6e7, on @user_script:1.\r\n"},
	{2, `return select('#', nil) .. {}`, "-ERR user_script:1: attempt to concatenate a table value script: c2ff14e81da827abb68e605f2cdd031a41a416f7, on @user_script:1.\r\n"},
	// A metamethod that is not a function is called, and fails as a call;
	// one that is works.
	{2, `local t = setmetatable({}, {__add = 5}) return t + 1`, "-ERR user_script:1: attempt to call a number value script: 7ad8a8dac69140723337ea145a8305d8b211a84f, on @user_script:1.\r\n"},
	{2, `local t = setmetatable({}, {__add = 5}) return 1 + t`, "-ERR user_script:1: attempt to call a number value script: 64cf34475fbb5089db117d3d672d8e1ded3a59dd, on @user_script:1.\r\n"},
	{2, `local t = setmetatable({}, {__sub = 'x'}) return t - t`, "-ERR user_script:1: attempt to call a string value script: 30c4d2bf907695c62b3b5ec7bc1b4a832335bab8, on @user_script:1.\r\n"},
	{2, `local t = setmetatable({}, {__mul = true}) return 2 * t`, "-ERR user_script:1: attempt to call a boolean value script: 880c54a38450a64c933f6a056153dc1802d6afc7, on @user_script:1.\r\n"},
	{2, `local t = setmetatable({}, {__div = {}}) return t / 2`, "-ERR user_script:1: attempt to call a table value script: a02c84c87f7edeac8fbcf07254a6229dacb00df5, on @user_script:1.\r\n"},
	{2, `local t = setmetatable({}, {__mod = 5}) return t % 2`, "-ERR user_script:1: attempt to call a number value script: 9eac672d4d7a42540be2dad30e910478d5935ea1, on @user_script:1.\r\n"},
	{2, `local t = setmetatable({}, {__pow = 5}) return t ^ 2`, "-ERR user_script:1: attempt to call a number value script: b5396948eed6b59316fd722b69394cad3b85d6c3, on @user_script:1.\r\n"},
	{2, `local t = setmetatable({}, {__unm = 5}) return -t`, "-ERR user_script:1: attempt to call a number value script: 0d18c221eea7b318ec127a270cf77a65c05b648d, on @user_script:1.\r\n"},
	{2, `local t = setmetatable({}, {__concat = 5}) return t .. 'x'`, "-ERR user_script:1: attempt to call a number value script: e642ac7ca1f50d64e4d88accacec49745c162f08, on @user_script:1.\r\n"},
	{2, `local t = setmetatable({}, {__concat = 5}) return 'x' .. t`, "-ERR user_script:1: attempt to call a number value script: 2235e4d2007fbcec74967084df55475058c8ba63, on @user_script:1.\r\n"},
	{2, `local t = setmetatable({}, {__concat = 5}) return 'a' .. t .. 'b' .. 'c'`, "-ERR user_script:1: attempt to call a number value script: 4322fcd1c447ed851976122bf06f8de247894db5, on @user_script:1.\r\n"},
	{2, `local t = setmetatable({}, {__concat = 5}) local u = {} return u .. t`, "-ERR user_script:1: attempt to call a number value script: 083af60fd5d411a8a93d5ccc4c6888c5c9de6409, on @user_script:1.\r\n"},
	{2, `local t = setmetatable({}, {__concat = 5}) local u = {} return t .. u`, "-ERR user_script:1: attempt to call a number value script: 8d03d12f7938a690c4aa3d03ee7bfbd2b16014a7, on @user_script:1.\r\n"},
	{2, `local a = setmetatable({}, {__add = 5}) local b = setmetatable({}, {__add = 'y'}) return b + a`, "-ERR user_script:1: attempt to call a string value script: 667132103daccdbe794abf44c380a21ce76be44d, on @user_script:1.\r\n"},
	{2, `local t = setmetatable({}, {__sub = 5}) return t + 1`, "-ERR user_script:1: attempt to perform arithmetic on local 't' (a table value) script: 5a0ce2f39689d982061eb5c952ba51ca3e273c9f, on @user_script:1.\r\n"},
	{2, `local t = setmetatable({}, {__add = function(a, b) return 42 end}) return t + 1`, ":42\r\n"},
	{2, `local t = setmetatable({}, {__concat = function(a, b) return 'ok' end}) return t .. 'x' .. 'y'`, "$2\r\nok\r\n"},
	// The same for comparisons (when both operands hold the same one) and
	// tostring.
	{2, `local t = setmetatable({}, {__tostring = 1}) return tostring(t)`, "-ERR attempt to call a number value script: 6fcece03cfe3759647f6948c9b79a6ad8a669275, on @user_script:1.\r\n"},
	{2, `local t = setmetatable({}, {__tostring = 1}) local ok, e = pcall(tostring, t) return e`, "$30\r\nattempt to call a number value\r\n"},
	{2, `local t = setmetatable({}, {__tostring = function() return 'T' end}) return tostring(t)`, "$1\r\nT\r\n"},
	{2, `local mt = {__lt = 1} local t = setmetatable({}, mt) local u = setmetatable({}, mt) return t < u`, "-ERR user_script:1: attempt to call a number value script: d5e0212b519545e663d87d5bc0165c2aeeeb082f, on @user_script:1.\r\n"},
	{2, `local mt = {__le = 1} local t = setmetatable({}, mt) local u = setmetatable({}, mt) return t <= u`, "-ERR user_script:1: attempt to call a number value script: e59ec45f36413be6dde29bd1c895549052368d1a, on @user_script:1.\r\n"},
	{2, `local mt = {__lt = 1} local t = setmetatable({}, mt) local u = setmetatable({}, mt) return t <= u`, "-ERR user_script:1: attempt to call a number value script: 9ee2967284f783244bc1bb526c494f18c19445d8, on @user_script:1.\r\n"},
	{2, `local t = setmetatable({}, {__lt = 1}) local u = setmetatable({}, {__lt = 1}) return t < u`, "-ERR user_script:1: attempt to call a number value script: baec22b149f76f641881c8bd1deb635ef758749f, on @user_script:1.\r\n"},
	{2, `local t = setmetatable({}, {__lt = 1}) local u = setmetatable({}, {__lt = 2}) return t < u`, "-ERR user_script:1: attempt to compare two table values script: 35739de39b9ab8a9a6c66320a3cfe1e5eeecec80, on @user_script:1.\r\n"},
	{2, `local mt = {__lt = 1} local t = setmetatable({}, mt) local u = setmetatable({}, mt) return t > u`, "-ERR user_script:1: attempt to call a number value script: 4453b8d0721acb3efa188e8df173e1729694315e, on @user_script:1.\r\n"},
	{2, `local mt = {__lt = function() return true end} local t = setmetatable({}, mt) local u = setmetatable({}, mt) return t < u`, ":1\r\n"},
	{2, `local mt = {__lt = 'x'} local t = setmetatable({}, mt) local u = setmetatable({}, mt) local ok, e = pcall(function() return t < u end) return e`, "$45\r\nuser_script:1: attempt to call a string value\r\n"},
	{2, `local t = setmetatable({}, {__lt = 1}) return t < 1`, "-ERR user_script:1: attempt to compare table with number script: a1295a6ab4bc3ec1ee94144cc2b51ab63df0c62d, on @user_script:1.\r\n"},
}

func TestRuntimeErrorsNameTheirVariable(t *testing.T) { runLibCases(t, runtimeErrorCases) }

// Argument errors of library functions as Lua 5.1's luaL_argerror words
// them: a missing argument is "no value", the function is named after the
// call (a method's self is not counted), called from pcall it is '?' with
// no position; select and table.insert check their arguments in Lua's
// order. Replies from Redis 7.0.15.
var argumentErrorCases = []libCase{
	{2, `return string.rep('x')`, "-ERR user_script:1: bad argument #2 to 'rep' (number expected, got no value) script: 47d77d22ae4a022a28128d68e8457534cf85d7f7, on @user_script:1.\r\n"},
	{2, `return string.rep()`, "-ERR user_script:1: bad argument #1 to 'rep' (string expected, got no value) script: 312a592c4be4cbcb6748209b815c8eb090f3ca71, on @user_script:1.\r\n"},
	{2, `return string.rep(nil, 2)`, "-ERR user_script:1: bad argument #1 to 'rep' (string expected, got nil) script: cc921ccaf602d457b76846ddb7be2f894606a29b, on @user_script:1.\r\n"},
	{2, `return string.sub()`, "-ERR user_script:1: bad argument #1 to 'sub' (string expected, got no value) script: c4fdb02d1f07f7ae9db45e41fde95abd80cd25d5, on @user_script:1.\r\n"},
	{2, `return math.floor()`, "-ERR user_script:1: bad argument #1 to 'floor' (number expected, got no value) script: f87055e9418b88d58d8590029f0bb965fd22f6b8, on @user_script:1.\r\n"},
	{2, `return tonumber()`, "-ERR user_script:1: bad argument #1 to 'tonumber' (value expected) script: f4853cecaf5a268432ec56257ce33f680863445e, on @user_script:1.\r\n"},
	{2, `return table.concat()`, "-ERR user_script:1: bad argument #1 to 'concat' (table expected, got no value) script: 4e82d28d37c0e676d5de5af94111c333026e27ce, on @user_script:1.\r\n"},
	{2, `return string.format()`, "-ERR user_script:1: bad argument #1 to 'format' (string expected, got no value) script: ddb6e5ff8bc518fef03b57c74ce0c5114dc72779, on @user_script:1.\r\n"},
	{2, `return string.byte()`, "-ERR user_script:1: bad argument #1 to 'byte' (string expected, got no value) script: 30371f269decc301bbc519c7032935369e3d5607, on @user_script:1.\r\n"},
	{2, `return cjson.encode()`, "-ERR user_script:1: bad argument #1 to 'encode' (expected 1 argument) script: fc593ea31f478c7ed65c77495cc63edeb9153530, on @user_script:1.\r\n"},
	{2, `return {pcall(string.rep)}`, "*2\r\n$-1\r\n$54\r\nbad argument #1 to '?' (string expected, got no value)\r\n"},
	{2, `return {pcall(math.floor)}`, "*2\r\n$-1\r\n$54\r\nbad argument #1 to '?' (number expected, got no value)\r\n"},
	{2, `return {pcall(string.rep, 'x')}`, "*2\r\n$-1\r\n$54\r\nbad argument #2 to '?' (number expected, got no value)\r\n"},
	{2, `return string.len()`, "-ERR user_script:1: bad argument #1 to 'len' (string expected, got no value) script: b5f8c1050f99d8350e545dcd384511cf8aeba80a, on @user_script:1.\r\n"},
	{2, `return type()`, "-ERR user_script:1: bad argument #1 to 'type' (value expected) script: 49749cbfc8696dfdf0abcd40bf0d1d0a6ea3ea0d, on @user_script:1.\r\n"},
	{2, `return setmetatable()`, "-ERR user_script:1: bad argument #1 to 'setmetatable' (table expected, got no value) script: 57df074193a7369d4535b7190dff901374e79006, on @user_script:1.\r\n"},
	{2, `return ipairs()`, "-ERR user_script:1: bad argument #1 to 'ipairs' (table expected, got no value) script: 6de33eb13609a71abf7df9036b0d27d1aca54c9c, on @user_script:1.\r\n"},
	{2, `return unpack()`, "-ERR user_script:1: bad argument #1 to 'unpack' (table expected, got no value) script: 93b21496134e25d14acc217e82ee755627640c04, on @user_script:1.\r\n"},
	{2, `return table.insert()`, "-ERR user_script:1: bad argument #1 to 'insert' (table expected, got no value) script: 0dab6db585362a9d69971513a549fd107d3c6928, on @user_script:1.\r\n"},
	{2, `return string.upper()`, "-ERR user_script:1: bad argument #1 to 'upper' (string expected, got no value) script: b636cb51ba9d9f06dedbbd6493525f96a16682e8, on @user_script:1.\r\n"},
	{2, `return math.max()`, "-ERR user_script:1: bad argument #1 to 'max' (number expected, got no value) script: ea184ab21d1cc115e2cbb27490136c9d0e484013, on @user_script:1.\r\n"},
	{2, `return redis.sha1hex()`, "-ERR wrong number of arguments script: 3c7ce947ae74a835cc575b6ee87fb27503cb7ba4, on @user_script:1.\r\n"},
	{2, `return bit.band()`, "-ERR user_script:1: bad argument #1 to 'band' (number expected, got no value) script: 5cf53f885283a4f44a8fe7ad7e7fccaed4113e62, on @user_script:1.\r\n"},
	{2, `return struct.pack()`, "-ERR user_script:1: bad argument #1 to 'pack' (string expected, got no value) script: c9b8aed4f0633591e6252db264bf8b86b82828d5, on @user_script:1.\r\n"},
	{2, `return cmsgpack.pack()`, "-ERR user_script:1: bad argument #0 to 'pack' (MessagePack pack needs input.) script: 6bc235afa55de88253e203cc5fe5844792e25209, on @user_script:1.\r\n"},
	{2, `return select()`, "-ERR user_script:1: bad argument #1 to 'select' (number expected, got no value) script: 2ccf9a60abb0c74205f313c782f23ecbb4da27f6, on @user_script:1.\r\n"},
	{2, `return tostring()`, "-ERR user_script:1: bad argument #1 to 'tostring' (value expected) script: b3870418043f3698962b400fd4ccc5dd4e449625, on @user_script:1.\r\n"},
	{2, `return ('x'):rep()`, "-ERR user_script:1: bad argument #1 to 'rep' (number expected, got no value) script: 34a8d07f686fb82df662606a4335db20b367f14a, on @user_script:1.\r\n"},
	{2, `local s = 'x' return s:rep()`, "-ERR user_script:1: bad argument #1 to 'rep' (number expected, got no value) script: 7a336cb17f2459fed457f7e74199847b412995b3, on @user_script:1.\r\n"},
	{2, `return {select('#', 1, 2, 3)}`, "*1\r\n:3\r\n"},
	{2, `return {select('#')}`, "*1\r\n:0\r\n"},
	{2, `return {select('#x', 1)}`, "*1\r\n:1\r\n"},
	{2, `return {select(2, 'a', 'b', 'c')}`, "*2\r\n$1\r\nb\r\n$1\r\nc\r\n"},
	{2, `return {select(-1, 'a', 'b', 'c')}`, "*1\r\n$1\r\nc\r\n"},
	{2, `return {select('2', 'a', 'b', 'c')}`, "*2\r\n$1\r\nb\r\n$1\r\nc\r\n"},
	{2, `return {select(2.9, 'a', 'b', 'c')}`, "*2\r\n$1\r\nb\r\n$1\r\nc\r\n"},
	{2, `return {select(10, 'a', 'b')}`, "*0\r\n"},
	{2, `return {select('x', 'a')}`, "-ERR user_script:1: bad argument #1 to 'select' (number expected, got string) script: af7011a8ad4e63108f168871fc479cd6e3ba5396, on @user_script:1.\r\n"},
	{2, `return {select(-3, 'a', 'b')}`, "-ERR user_script:1: bad argument #1 to 'select' (index out of range) script: cb5e044b4df60fb9ef78aceabf76edceea46eb7a, on @user_script:1.\r\n"},
	{2, `return table.insert(1, 2)`, "-ERR user_script:1: bad argument #1 to 'insert' (table expected, got number) script: 780d9f0285e9241d69ef7b7d7368f90a2f1b50e7, on @user_script:1.\r\n"},
	{2, `return table.insert({}, 1, 2, 3)`, "-ERR user_script:1: wrong number of arguments to 'insert' script: 23d104d901364527d93721191e9f4f0f956e3669, on @user_script:1.\r\n"},
	{2, `return table.insert({})`, "-ERR user_script:1: wrong number of arguments to 'insert' script: 6f70a70c2df6fc28a7e15d263f1f68d15705541e, on @user_script:1.\r\n"},
	{2, `local t = {} table.insert(t, 'a') table.insert(t, 1, 'b') return t`, "*2\r\n$1\r\nb\r\n$1\r\na\r\n"},
	{2, `return string.rep('x', 'y')`, "-ERR user_script:1: bad argument #2 to 'rep' (number expected, got string) script: d263cd42e64ebfe5e89e9552a13fde4e89209682, on @user_script:1.\r\n"},
	{2, `return ('x'):rep('y')`, "-ERR user_script:1: bad argument #1 to 'rep' (number expected, got string) script: a9917c56dfbf88d072651271fa0fa553c6cabb02, on @user_script:1.\r\n"},
	{2, `return string.sub('abc', {})`, "-ERR user_script:1: bad argument #2 to 'sub' (number expected, got table) script: bf860346408e0d2168e3dc6f5d962ed231515ef5, on @user_script:1.\r\n"},
	{2, `local t = {} return t:concat()`, "-ERR user_script:1: attempt to call method 'concat' (a nil value) script: 3f64f164e817cfe5257be6a70f484efad3910d3f, on @user_script:1.\r\n"},
	{2, `return math.floor({})`, "-ERR user_script:1: bad argument #1 to 'floor' (number expected, got table) script: 950d43839b5b3b653656b44a592c3a3a9274ae86, on @user_script:1.\r\n"},
	{2, `local f = string.rep return f()`, "-ERR user_script:1: bad argument #1 to 'f' (string expected, got no value) script: ff6084316ca11fc1fedf57601e952ef9c1e1b45f, on @user_script:1.\r\n"},
	{2, `local m = math return m.floor()`, "-ERR user_script:1: bad argument #1 to 'floor' (number expected, got no value) script: 9470671005632c2d74a3ea91c0b2fec72dc6c1ed, on @user_script:1.\r\n"},
	{2, `return (string.rep)()`, "-ERR user_script:1: bad argument #1 to 'rep' (string expected, got no value) script: fcad7d783ee2320acad21519a440a49daddd7ff6, on @user_script:1.\r\n"},
	{2, `return pcall(nil)`, "$-1\r\n"},
	{2, `return {pcall(select)}`, "*2\r\n$-1\r\n$54\r\nbad argument #1 to '?' (number expected, got no value)\r\n"},
	{2, `return {pcall(setmetatable, 1)}`, "*2\r\n$-1\r\n$51\r\nbad argument #1 to '?' (table expected, got number)\r\n"},
	{2, `return {xpcall(string.rep, function(e) return e end)}`, "*2\r\n$-1\r\n$54\r\nbad argument #1 to '?' (string expected, got no value)\r\n"},
	// select's index is a C int
	{2, `return {select(2^53, 1)}`, "-ERR user_script:1: bad argument #1 to 'select' (index out of range) script: f52fdfa5c1d32828ffe45088223897709254b4f9, on @user_script:1.\r\n"},
	{2, `return {select(2^32 + 1, 'a', 'b')}`, "*2\r\n$1\r\na\r\n$1\r\nb\r\n"},
	{2, `return {select(-2^32 + 2, 'a', 'b')}`, "*1\r\n$1\r\nb\r\n"},
}

func TestArgumentErrorsAsLuaWordsThem(t *testing.T) { runLibCases(t, argumentErrorCases) }

// pcall of something that cannot be called fails in C code, without a
// position; Redis's pcall with no arguments calls its own placeholder,
// true. Replies from Redis 7.0.15.
var pcallCallCases = []libCase{
	{2, `return {pcall()}`, "*2\r\n$-1\r\n$31\r\nattempt to call a boolean value\r\n"},
	{2, `return {pcall(pcall)}`, "*3\r\n:1\r\n$-1\r\n$31\r\nattempt to call a boolean value\r\n"},
	{2, `return {pcall(nil)}`, "*2\r\n$-1\r\n$27\r\nattempt to call a nil value\r\n"},
	{2, `return {pcall(1, 2)}`, "*2\r\n$-1\r\n$30\r\nattempt to call a number value\r\n"},
	{2, `return {pcall(function(...) return select('#', ...) end, 1, 2)}`, "*2\r\n:1\r\n:2\r\n"},
	{2, `return {pcall(setmetatable({}, {__call = function(self, a) return a end}), 7)}`, "*2\r\n:1\r\n:7\r\n"},
	{2, `return {pcall({})}`, "*2\r\n$-1\r\n$29\r\nattempt to call a table value\r\n"},
	{2, `return {pcall('x')}`, "*2\r\n$-1\r\n$30\r\nattempt to call a string value\r\n"},
	{2, `local ok, e = pcall(function() redis.call('nosuch') end) return e`, "$44\r\nERR Unknown Redis command called from script\r\n"},
	{2, `return {pcall(error, {err='x'})}`, "*2\r\n$-1\r\n$1\r\nx\r\n"},
}

func TestPcallOfWhatCannotBeCalled(t *testing.T) { runLibCases(t, pcallCallCases) }

// A caught error closes the variables of the frames it unwinds, as an error
// caught without a handler does: closures made in the failed call keep
// their own values. xpcall's handler is called again with an error it
// raises itself. Replies from Redis 7.0.15.
var caughtErrorCases = []libCase{
	{2, `pcall(error,'x') local t={} for i=1,2 do pcall(function() local x=i*10 t[i]=function() return x end error('b') end) end return {t[1](),t[2]()}`, "*2\r\n:10\r\n:20\r\n"},
	{2, `local t={} for i=1,2 do pcall(function() local x=i*10 t[i]=function() return x end error('b') end) end return {t[1](),t[2]()}`, "*2\r\n:10\r\n:20\r\n"},
	{2, `local t={} for i=1,2 do xpcall(function() local x=i*10 t[i]=function() return x end error('b') end, function(e) return e end) end return {t[1](),t[2]()}`, "*2\r\n:10\r\n:20\r\n"},
	{2, `local t={} for i=1,2 do pcall(function() local x=i*10 t[i]=function() return x end local y = nil return y.z end) end return {t[1](),t[2]()}`, "*2\r\n:10\r\n:20\r\n"},
	{2, `local function h(e) return e.."!" end return {xpcall(function() error() end,h)}`, "*2\r\n$-1\r\n$62\r\nuser_script:1: attempt to concatenate local 'e' (a nil value)!\r\n"},
	{2, `local n = 0 local function h(e) n = n + 1 if n < 3 then error('again' .. n) end return e end return {xpcall(function() error('first') end, h)}`, "*2\r\n$-1\r\n$21\r\nuser_script:1: again2\r\n"},
	{2, `return {xpcall(function() error('a') end, function(e) error('b') end)}`, "*2\r\n$-1\r\n$23\r\nerror in error handling\r\n"},
	{2, `local a=1 do local b=nil a=b.c end`, "-ERR user_script:1: attempt to index local 'b' (a nil value) script: d8505859b780cebe766357aab49b5aa269f5d31b, on @user_script:1.\r\n"},
}

func TestCaughtErrorsCloseTheirFramesVariables(t *testing.T) { runLibCases(t, caughtErrorCases) }

// gopher-lua records wrong local scopes once a later local reuses a
// register, and starts a for loop's hidden locals too early (fixScopes):
// the errors still name variables as Redis 7.0.15 does.
func TestLocalsAfterLoopsAndBlocksAreNamed(t *testing.T) {
	e := NewEngine()
	for _, c := range []struct{ script, redis string }{
		{`for i=1,2 do end local v=nil return v+1`,
			"-ERR user_script:1: attempt to perform arithmetic on local 'v' (a nil value)"},
		{`if ARGV[1] then local tmp=1 end local v=false return v.x`,
			"-ERR user_script:1: attempt to index local 'v' (a boolean value)"},
		{`for i=1,2 do end local f=string.rep return f()`,
			"-ERR user_script:1: bad argument #1 to 'f' (string expected, got no value)"},
		{`do local a = 1 end local b, c = nil, 2 return b.x`,
			"-ERR user_script:1: attempt to index local 'b' (a nil value)"},
		{`for i=1,2 do end return string.rep()`,
			"-ERR user_script:1: bad argument #1 to 'rep' (string expected, got no value)"},
		{`for k,v in pairs({}) do end local x x.y=1`,
			"-ERR user_script:1: attempt to index local 'x' (a nil value)"},
		{`local n = 0 for i=1,3 do n = n + i end local s = nil return s .. 'x'`,
			"-ERR user_script:1: attempt to concatenate local 's' (a nil value)"},
		{`for k in pairs(nil) do end`,
			"-ERR user_script:1: bad argument #1 to 'pairs' (table expected, got nil)"},
		{`for i = 1, 2 do local q = i end local t = {} for i = 1, 2 do local u = t.x.y end`,
			"-ERR user_script:1: attempt to index field 'x' (a nil value)"},
		{`local function f(a) for i=1,2 do end local z = a return z.k end return f()`,
			"-ERR user_script:1: attempt to index local 'z' (a nil value)"},
		{`while true do local w = 1 break end repeat local r = nil until r == nil local m = nil return m()`,
			"-ERR user_script:1: attempt to call local 'm' (a nil value)"},
		{`do local a = 1 end return (nil)()`,
			"-ERR user_script:1: attempt to call a nil value"},
	} {
		got := evalReply(t, e, 2, c.script, nil, []string{"a"})
		if !strings.HasPrefix(got, c.redis+" script: ") {
			t.Errorf("%s: got %q, want %q", c.script, got, c.redis)
		}
	}
}
