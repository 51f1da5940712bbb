package scripting

import "testing"

// table.sort is Lua 5.1's quicksort: equal elements end in Lua's order, an
// inconsistent comparator gets Lua's error (or sees the nil past the end),
// and the comparator runs as often as in Redis. Replies from Redis 7.0.15.
var tableSortCases = []libCase{
	{2, `local t={} for i=1,20 do t[i]={k=i%3,v=i} end table.sort(t, function(a,b) return a.k<b.k end) local r={} for i=1,20 do r[i]=t[i].v end return r`, "*20\r\n:15\r\n:9\r\n:6\r\n:12\r\n:18\r\n:3\r\n:13\r\n:1\r\n:16\r\n:19\r\n:10\r\n:4\r\n:7\r\n:17\r\n:2\r\n:11\r\n:8\r\n:14\r\n:5\r\n:20\r\n"},
	{2, `local t={} for i=1,30 do t[i]=(i*13)%17 end table.sort(t) return t`, "*30\r\n:0\r\n:1\r\n:1\r\n:2\r\n:2\r\n:3\r\n:3\r\n:4\r\n:5\r\n:5\r\n:6\r\n:6\r\n:7\r\n:7\r\n:8\r\n:9\r\n:9\r\n:10\r\n:10\r\n:11\r\n:11\r\n:12\r\n:13\r\n:13\r\n:14\r\n:14\r\n:15\r\n:15\r\n:16\r\n:16\r\n"},
	{2, `local t={} for i=1,30 do t[i]=(i*13)%17 end table.sort(t, function(a,b) return a>b end) return t`, "*30\r\n:16\r\n:16\r\n:15\r\n:15\r\n:14\r\n:14\r\n:13\r\n:13\r\n:12\r\n:11\r\n:11\r\n:10\r\n:10\r\n:9\r\n:9\r\n:8\r\n:7\r\n:7\r\n:6\r\n:6\r\n:5\r\n:5\r\n:4\r\n:3\r\n:3\r\n:2\r\n:2\r\n:1\r\n:1\r\n:0\r\n"},
	{2, `local n=0 local t={} for i=1,100 do t[i]=(i*37)%101 end table.sort(t, function(a,b) n=n+1 return a<b end) return n`, ":616\r\n"},
	{2, `local t={'b','c','a','ab'} table.sort(t) return t`, "*4\r\n$1\r\na\r\n$2\r\nab\r\n$1\r\nb\r\n$1\r\nc\r\n"},
	{2, `local t={2,1} table.sort(t, nil) return t`, "*2\r\n:1\r\n:2\r\n"},
	{2, `local t={3,1,2,5,4} table.sort(t, function(a,b) return true end) return t`, "-ERR user_script:1: invalid order function for sorting script: 2b16f957b6fb954e84caeb3e3a54d04cbef99a03, on @user_script:1.\r\n"},
	{2, `local t={} for i=1,30 do t[i]=i end table.sort(t, function(a,b) return false end) return t`, "*30\r\n:1\r\n:20\r\n:21\r\n:19\r\n:17\r\n:18\r\n:16\r\n:22\r\n:24\r\n:28\r\n:23\r\n:27\r\n:25\r\n:26\r\n:29\r\n:15\r\n:13\r\n:5\r\n:6\r\n:4\r\n:2\r\n:3\r\n:14\r\n:7\r\n:9\r\n:12\r\n:8\r\n:11\r\n:10\r\n:30\r\n"},
	{2, `local t={5,3,5,1,5,2,5} table.sort(t, function(a,b) return a<=b end) return t`, "-ERR user_script:1: attempt to compare nil with number script: 73d5c258f9ec66d97b403acd06b1d13560440cd0, on @user_script:1.\r\n"},
	{2, `local t={} for i=1,40 do t[i]=(i*7)%11 end table.sort(t, function(a,b) return a<=b end) return t`, "-ERR user_script:1: invalid order function for sorting script: 28f4ba04265ca881f749cd3c58a2b4226be528d4, on @user_script:1.\r\n"},
	{2, `local t={'b','a',3} table.sort(t) return t`, "-ERR attempt to compare number with string script: 799ecc81e27b5f92d1c6c4691b16b30fdef47ee5, on @user_script:1.\r\n"},
	{2, `local t={{},{},{}} table.sort(t) return 1`, "-ERR attempt to compare two table values script: 78b96f8fd74e188c5335b9b4ef9a8198d6dbe698, on @user_script:1.\r\n"},
	{2, `local t={2,1,nil,4} table.sort(t) return t`, "-ERR attempt to compare nil with number script: 845fc6d56ec6824e142fbac28dfdf8d7c31b1503, on @user_script:1.\r\n"},
	{2, `return {pcall(table.sort, {1,'x'})}`, "*2\r\n$-1\r\n$37\r\nattempt to compare string with number\r\n"},
	{2, `local a=setmetatable({},{__lt=function() return true end}) local b=setmetatable({},{__lt=function() return true end}) local t={a,b} table.sort(t) return 1`, "-ERR attempt to compare two table values script: cf615a61d941ce7851f42c24c5983e4885e9464c, on @user_script:1.\r\n"},
	{2, `local m={__lt=function(x,y) return x.v<y.v end} local t={} for i=1,10 do t[i]=setmetatable({v=(i*3)%7},m) end table.sort(t) local r={} for i=1,10 do r[i]=t[i].v end return r`, "*10\r\n:0\r\n:1\r\n:2\r\n:2\r\n:3\r\n:3\r\n:4\r\n:5\r\n:6\r\n:6\r\n"},
	{2, `local t={3,2,1} table.sort(t, 'x') return t`, "-ERR user_script:1: bad argument #2 to 'sort' (function expected, got string) script: 4db239f7044b830be29e5e7e438e30f4ac84f058, on @user_script:1.\r\n"},
	{2, `table.sort(KEYS)`, "$-1\r\n"},
}

func TestTableSortIsLuasQuicksort(t *testing.T) { runLibCases(t, tableSortCases) }

// table.concat takes strings and numbers ("%.14g") between i and j, and
// names the index of anything else, with the caller's position (none
// under pcall). Replies from Redis 7.0.15.
var tableConcatCases = []libCase{
	{2, `return table.concat({{}})`, "-ERR user_script:1: invalid value (table) at index 1 in table for 'concat' script: 261c19e191dcb2d0c328c14699a9c12d03a123cf, on @user_script:1.\r\n"},
	{2, `return {pcall(table.concat, {{}})}`, "*2\r\n$-1\r\n$54\r\ninvalid value (table) at index 1 in table for 'concat'\r\n"},
	{2, `return table.concat({1,{}}, ',')`, "-ERR user_script:1: invalid value (table) at index 2 in table for 'concat' script: de88e28e8d1caef298412bd8b32e2bab3bcc65a4, on @user_script:1.\r\n"},
	{2, `return {pcall(table.concat, {1,2}, ',', 1, 3)}`, "*2\r\n$-1\r\n$52\r\ninvalid value (nil) at index 3 in table for 'concat'\r\n"},
	{2, `return table.concat({1,2}, {})`, "-ERR user_script:1: bad argument #2 to 'concat' (string expected, got table) script: 3d24a97d5caf3cebe6e3da9f25ea5f9de99a942f, on @user_script:1.\r\n"},
	{2, `return table.concat({1,2.5,'x',1e100, -0.0}, ', ')`, "$21\r\n1, 2.5, x, 1e+100, -0\r\n"},
	{2, `return table.concat({1,2,3}, '-', 2)`, "$3\r\n2-3\r\n"},
	{2, `return table.concat({1,2,3}, '-', 3, 2)`, "$0\r\n\r\n"},
	{2, `return table.concat({1,2,3}, '-', '2', '3')`, "$3\r\n2-3\r\n"},
	{2, `return table.concat({1,2,3}, 5)`, "$5\r\n15253\r\n"},
	{2, `return table.concat({1,2,3}, nil, 2)`, "$2\r\n23\r\n"},
	{2, `return table.concat({1,2,3}, '', 'x')`, "-ERR user_script:1: bad argument #3 to 'concat' (number expected, got string) script: c12e043aaa1440538695372e49cd1b0101aef616, on @user_script:1.\r\n"},
	{2, `return table.concat({1,2,3}, '', 1, 'y')`, "-ERR user_script:1: bad argument #4 to 'concat' (number expected, got string) script: b72a1fc8f83d74b8435111835db3e8070aeae7f7, on @user_script:1.\r\n"},
	{2, `return table.concat('x')`, "-ERR user_script:1: bad argument #1 to 'concat' (table expected, got string) script: d582fb468857bc2c9b9805a003c686114a803ae1, on @user_script:1.\r\n"},
	{2, `return table.concat()`, "-ERR user_script:1: bad argument #1 to 'concat' (table expected, got no value) script: 4e82d28d37c0e676d5de5af94111c333026e27ce, on @user_script:1.\r\n"},
	{2, `return {pcall(table.concat)}`, "*2\r\n$-1\r\n$53\r\nbad argument #1 to '?' (table expected, got no value)\r\n"},
	{2, `return table.concat({}, ',', 0, 0)`, "-ERR user_script:1: invalid value (nil) at index 0 in table for 'concat' script: 8fe2313fff3040740b39e1221094907c3976ec0a, on @user_script:1.\r\n"},
	{2, `return table.concat({[0]='z'}, ',', 0, 0)`, "$1\r\nz\r\n"},
	{2, `return table.concat(KEYS)`, "$0\r\n\r\n"},
	{2, `return table.concat({1,2,3}, '', 1.5, 2.7)`, "$2\r\n12\r\n"},
	{2, `return table.concat({true})`, "-ERR user_script:1: invalid value (boolean) at index 1 in table for 'concat' script: be42b740ca3b90804ed55bec3188e0e9671687fd, on @user_script:1.\r\n"},
	{2, `return table.concat({1, nil, 3}, ',')`, "-ERR user_script:1: invalid value (nil) at index 2 in table for 'concat' script: fa3ebe38c3bf205ccf555c33e79e3f27d13004e7, on @user_script:1.\r\n"},
	{2, `return table.concat({'a','b'}, '\0')`, "$3\r\na\x00b\r\n"},
}

func TestTableConcatIsLuas(t *testing.T) { runLibCases(t, tableConcatCases) }

// table.insert and table.remove as Lua 5.1 moves elements: positions are
// C ints, outside 1..#t insert still shifts and remove does nothing, and a
// read-only table fails only when something would be written. Replies from
// Redis 7.0.15.
var tableInsertRemoveCases = []libCase{
	{2, `local t={true,false} local r={pcall(table.insert, t,-1,0)} r[#r+1]=#t return {r[1], t[-1], t[0], t[1], t[2], t[3]}`, "*2\r\n:1\r\n:0\r\n"},
	{2, `local t={1,2,3} table.insert(t, 0, 9) return {t[0], t[1], t[2], t[3], t[4]}`, "*1\r\n:9\r\n"},
	{2, `local t={1,2,3} table.insert(t, 5, 9) return {t[1], t[2], t[3], t[4], t[5], #t}`, "*3\r\n:1\r\n:2\r\n:3\r\n"},
	{2, `local t={1,2,3} table.insert(t, 2, 9) return t`, "*4\r\n:1\r\n:9\r\n:2\r\n:3\r\n"},
	{2, `local t={1,2,3} table.insert(t, 9) return t`, "*4\r\n:1\r\n:2\r\n:3\r\n:9\r\n"},
	{2, `local t={1,2,3} table.insert(t, '2', 9) return t`, "*4\r\n:1\r\n:9\r\n:2\r\n:3\r\n"},
	{2, `local t={1,2,3} table.insert(t, 2.7, 9) return t`, "*4\r\n:1\r\n:9\r\n:2\r\n:3\r\n"},
	{2, `local t={1,2,3} return {pcall(table.insert, t, 'x', 9)}`, "*2\r\n$-1\r\n$52\r\nbad argument #2 to '?' (number expected, got string)\r\n"},
	{2, `local t={1,2,3} return {pcall(table.insert, t)}`, "*2\r\n$-1\r\n$37\r\nwrong number of arguments to 'insert'\r\n"},
	{2, `local t={1,2,3} return {pcall(table.insert, t, 1, 2, 3)}`, "*2\r\n$-1\r\n$37\r\nwrong number of arguments to 'insert'\r\n"},
	{2, `return {pcall(table.insert, 1, 2)}`, "*2\r\n$-1\r\n$51\r\nbad argument #1 to '?' (table expected, got number)\r\n"},
	{2, `return {pcall(table.insert)}`, "*2\r\n$-1\r\n$53\r\nbad argument #1 to '?' (table expected, got no value)\r\n"},
	{2, `table.insert(1, 2, 3)`, "-ERR user_script:1: bad argument #1 to 'insert' (table expected, got number) script: 995bb5a01ed9bfc70d3b012137ec9fe81842f0b3, on @user_script:1.\r\n"},
	{2, `local t={1,2,3} table.insert(t, 1, nil) return {#t, t[1], t[2]}`, "*1\r\n:4\r\n"},
	{2, `local t={5,3,8,1,9,2} local r={pcall(table.remove, t,nil)} return {r[1], r[2], #t}`, "*3\r\n:1\r\n:2\r\n:5\r\n"},
	{2, `local t={3,"1",2} local r={pcall(table.remove, t,-1)} return {#r, #t}`, "*2\r\n:1\r\n:3\r\n"},
	{2, `local t={1,2,3} return {table.remove(t, 1), t[1], t[2], t[3]}`, "*3\r\n:1\r\n:2\r\n:3\r\n"},
	{2, `local t={1,2,3} return {table.remove(t), #t}`, "*2\r\n:3\r\n:2\r\n"},
	{2, `local t={} return {table.remove(t)}`, "*0\r\n"},
	{2, `local t={} return {table.remove(t, 0)}`, "*0\r\n"},
	{2, `local t={1,2,3} return {table.remove(t, 4)}`, "*0\r\n"},
	{2, `local t={1,2,3} return {table.remove(t, '2'), t[2]}`, "*2\r\n:2\r\n:3\r\n"},
	{2, `local t={1,2,3} return {pcall(table.remove, t, 'x')}`, "*2\r\n$-1\r\n$52\r\nbad argument #2 to '?' (number expected, got string)\r\n"},
	{2, `return {pcall(table.remove, 'x')}`, "*2\r\n$-1\r\n$51\r\nbad argument #1 to '?' (table expected, got string)\r\n"},
	{2, `return {pcall(table.remove)}`, "*2\r\n$-1\r\n$53\r\nbad argument #1 to '?' (table expected, got no value)\r\n"},
	{2, `local t={[0]='z'} return {table.remove(t, 0)}`, "*0\r\n"},
	{2, `return {pcall(table.setn, {}, 3)}`, "*2\r\n$-1\r\n$18\r\n'setn' is obsolete\r\n"},
	{2, `return {pcall(table.setn, 9, 3)}`, "*2\r\n$-1\r\n$51\r\nbad argument #1 to '?' (table expected, got number)\r\n"},
	{2, `table.setn({}, 1)`, "-ERR user_script:1: 'setn' is obsolete script: 23f5fbfad52aa1d32869b8b6172113f32d6148d2, on @user_script:1.\r\n"},
	{2, `table.insert(redis, 1)`, "-ERR Attempt to modify a readonly table script: 153437512fbb40bf934091c90b83e1de3f0dda6c, on @user_script:1.\r\n"},
	{2, `table.remove(string)`, "$-1\r\n"},
	{2, `local t={1,2,3} table.insert(t, 2^32+2, 'x') return t`, "*4\r\n:1\r\n$1\r\nx\r\n:2\r\n:3\r\n"},
	{2, `local t={1,2,3} return {table.remove(t, 2^32+1), #t}`, "*2\r\n:1\r\n:2\r\n"},
	{2, `table.insert(redis, 1, 2, 3)`, "-ERR user_script:1: wrong number of arguments to 'insert' script: a6bb581d4ff081872d7f24ff120dbae817d21485, on @user_script:1.\r\n"},
	{2, `table.insert(redis, 'x', 1)`, "-ERR user_script:1: bad argument #2 to 'insert' (number expected, got string) script: ccb0ea7781dd7b67f4c39ca7a8cd41ffc6a6be6a, on @user_script:1.\r\n"},
	{2, `table.insert(string, 1, 1)`, "-ERR Attempt to modify a readonly table script: 0285a9bd61c762f67d5c389dd63558af9c6bbc32, on @user_script:1.\r\n"},
	{2, `table.remove(redis, 5)`, "$-1\r\n"},
	{2, `table.remove(string, 0)`, "$-1\r\n"},
	{2, `table.sort(redis)`, "$-1\r\n"},
	{2, `table.sort(cjson)`, "$-1\r\n"},
	{2, `table.sort(redis, function(a,b) return true end)`, "$-1\r\n"},
	{2, `return {pcall(table.sort, redis, 1)}`, "*2\r\n$-1\r\n$54\r\nbad argument #2 to '?' (function expected, got number)\r\n"},
}

func TestTableInsertAndRemoveMoveAsLua(t *testing.T) { runLibCases(t, tableInsertRemoveCases) }

// unpack's range is two C ints whose count may overflow; table.maxn counts
// fractional keys; a protected metatable's error is raised from C.
// Replies from Redis 7.0.15.
var unpackMaxnCases = []libCase{
	{2, `return {unpack({true,false},2^31,10)}`, "-ERR user_script:1: too many results to unpack script: 5a16bcd4ec9e02fe5e71ea08e996021c0ae23f46, on @user_script:1.\r\n"},
	{2, `return {unpack({true,false},2^31)}`, "-ERR user_script:1: too many results to unpack script: 6ac5869b6e12e92bd140891d26a186c8fe7e16ec, on @user_script:1.\r\n"},
	{2, `return {pcall(unpack,{2^63,-2^63,1e15,1e16},2^31,nil)}`, "*2\r\n$-1\r\n$26\r\ntoo many results to unpack\r\n"},
	{2, `return {unpack({1,2,3})}`, "*3\r\n:1\r\n:2\r\n:3\r\n"},
	{2, `return {unpack({1,2,3}, 2)}`, "*2\r\n:2\r\n:3\r\n"},
	{2, `return {unpack({1,2,3}, 2, 5)}`, "*2\r\n:2\r\n:3\r\n"},
	{2, `return {unpack({1,2,3}, -1, 1)}`, "*0\r\n"},
	{2, `return {unpack({1,2,3}, '2', '3')}`, "*2\r\n:2\r\n:3\r\n"},
	{2, `return {unpack({1,2,3}, 3, 2)}`, "*0\r\n"},
	{2, `return {pcall(unpack, {}, 1, 7997)}`, "*1\r\n:1\r\n"},
	{2, `return {pcall(unpack, {}, 1, 7998)}`, "*2\r\n$-1\r\n$26\r\ntoo many results to unpack\r\n"},
	{2, `return #{unpack({}, 1, 7999)}`, "-ERR user_script:1: too many results to unpack script: 50b6779ea93f97cf2de9bf38f6a177dc00fd8540, on @user_script:1.\r\n"},
	{2, `return {pcall(unpack, {}, 1, 8000)}`, "*2\r\n$-1\r\n$26\r\ntoo many results to unpack\r\n"},
	{2, `return {pcall(unpack, {}, 'x')}`, "*2\r\n$-1\r\n$52\r\nbad argument #2 to '?' (number expected, got string)\r\n"},
	{2, `return {pcall(unpack, 'x')}`, "*2\r\n$-1\r\n$51\r\nbad argument #1 to '?' (table expected, got string)\r\n"},
	{2, `return {pcall(unpack)}`, "*2\r\n$-1\r\n$53\r\nbad argument #1 to '?' (table expected, got no value)\r\n"},
	{2, `return {unpack({1,2,3}, nil, 2)}`, "*2\r\n:1\r\n:2\r\n"},
	{2, `return {unpack({1,2,3}, 2^32+1, 2^32+2)}`, "*2\r\n:1\r\n:2\r\n"},
	{2, `return table.maxn({[2^53]=1})`, ":9007199254740992\r\n"},
	{2, `return tostring(table.maxn({[1.5]=1}))`, "$3\r\n1.5\r\n"},
	{2, `return table.maxn({1,2,3,[10]=1,x=5})`, ":10\r\n"},
	{2, `return table.maxn({})`, ":0\r\n"},
	{2, `return table.maxn({[-5]=1})`, ":0\r\n"},
	{2, `return tostring(table.maxn({[1e300]=1}))`, "$6\r\n1e+300\r\n"},
	{2, `return {pcall(table.maxn, 'x')}`, "*2\r\n$-1\r\n$51\r\nbad argument #1 to '?' (table expected, got string)\r\n"},
	{2, `return table.maxn(KEYS)`, ":0\r\n"},
	{2, `local mt={__metatable=false} local t=setmetatable({}, mt) return {pcall(setmetatable, t, {})}`, "*2\r\n$-1\r\n$35\r\ncannot change a protected metatable\r\n"},
	{2, `local mt={__metatable="locked"} local t=setmetatable({}, mt) return {pcall(setmetatable, t, nil)}`, "*2\r\n$-1\r\n$35\r\ncannot change a protected metatable\r\n"},
	{2, `local mt={__metatable="locked"} local t=setmetatable({}, mt) setmetatable(t, {})`, "-ERR user_script:1: cannot change a protected metatable script: 4a08bdb4db427f77a64e1302038961ee7041a4b2, on @user_script:1.\r\n"},
	{2, `local t=setmetatable({}, {}) setmetatable(t, nil) return getmetatable(t) == nil`, ":1\r\n"},
}

func TestUnpackMaxnAndProtectedMetatablesAsLua(t *testing.T) { runLibCases(t, unpackMaxnCases) }

// Inserting far below 1 moves elements for as long as Lua would (minutes
// here): SCRIPT KILL must still stop it.
func TestTableInsertFarBelowOneCanBeKilled(t *testing.T) {
	killLoopingScript(t, "local t={1,2,3} table.insert(t, -2^31+5, 'x')")
}
