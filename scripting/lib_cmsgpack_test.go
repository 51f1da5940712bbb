package scripting

import (
	"testing"

	"petrel/resp"
)

// cmsgpack.pack, replies from Redis 7.0.15.
var cmsgpackPackCases = []libCase{
	{2, `return {cmsgpack._NAME, cmsgpack._VERSION, cmsgpack._COPYRIGHT, cmsgpack._DESCRIPTION}`, "*4\r\n$8\r\ncmsgpack\r\n$18\r\nlua-cmsgpack 0.4.0\r\n$40\r\nCopyright (C) 2012, Salvatore Sanfilippo\r\n$36\r\nMessagePack C implementation for Lua\r\n"},
	{2, `local t={} for k,v in pairs(cmsgpack) do table.insert(t,k..':'..type(v)) end table.sort(t) return t`, "*8\r\n$17\r\n_COPYRIGHT:string\r\n$19\r\n_DESCRIPTION:string\r\n$12\r\n_NAME:string\r\n$15\r\n_VERSION:string\r\n$13\r\npack:function\r\n$15\r\nunpack:function\r\n$21\r\nunpack_limit:function\r\n$19\r\nunpack_one:function\r\n"},
	{2, `return cmsgpack.pack(1)`, "$1\r\n\x01\r\n"},
	{2, `return cmsgpack.pack(-1)`, "$1\r\n\xff\r\n"},
	{2, `return cmsgpack.pack(127,128,255,256,65535,65536,4294967295,4294967296)`, "$30\r\n\x7f\xcc\x80\xcc\xff\xcd\x01\x00\xcd\xff\xff\xce\x00\x01\x00\x00\xce\xff\xff\xff\xff\xcf\x00\x00\x00\x01\x00\x00\x00\x00\r\n"},
	{2, `return cmsgpack.pack(-32,-33,-128,-129,-32768,-32769,-2147483648,-2147483649)`, "$30\r\n\xe0\xd0\xdf\xd0\x80\xd1\xff\x7f\xd1\x80\x00\xd2\xff\xff\x7f\xff\xd2\x80\x00\x00\x00\xd3\xff\xff\xff\xff\x7f\xff\xff\xff\r\n"},
	{2, `return cmsgpack.pack(2^53)`, "$9\r\n\xcf\x00 \x00\x00\x00\x00\x00\x00\r\n"},
	{2, `return cmsgpack.pack(2^53+1)`, "$9\r\n\xcf\x00 \x00\x00\x00\x00\x00\x00\r\n"},
	{2, `return cmsgpack.pack(2^63)`, "$5\r\n\xca_\x00\x00\x00\r\n"},
	{2, `return cmsgpack.pack(2^64)`, "$5\r\n\xca_\x80\x00\x00\r\n"},
	{2, `return cmsgpack.pack(-2^63)`, "$9\r\n\xd3\x80\x00\x00\x00\x00\x00\x00\x00\r\n"},
	{2, `return cmsgpack.pack(-2^63-1e5)`, "$9\r\n\xcb\xc3\xe0\x00\x00\x00\x00\x001\r\n"},
	{2, `return cmsgpack.pack(1e30)`, "$9\r\n\xcbF)>Y9\xa0\x8c\xea\r\n"},
	{2, `return cmsgpack.pack(-1e30)`, "$9\r\n\xcb\xc6)>Y9\xa0\x8c\xea\r\n"},
	{2, `return cmsgpack.pack(1.5)`, "$5\r\n\xca?\xc0\x00\x00\r\n"},
	{2, `return cmsgpack.pack(0.1)`, "$9\r\n\xcb?\xb9\x99\x99\x99\x99\x99\x9a\r\n"},
	{2, `return cmsgpack.pack(1/3)`, "$9\r\n\xcb?\xd5UUUUUU\r\n"},
	{2, `return cmsgpack.pack(1e300)`, "$9\r\n\xcb~7\xe4<\x88\x00u\x9c\r\n"},
	{2, `return cmsgpack.pack(0.5, -0.5, 3.4e38, 1e-45)`, "$28\r\n\xca?\x00\x00\x00\xca\xbf\x00\x00\x00\xcbG\xef\xf93\xc7\x8c\xdf\xad\xcb6\x96\xd6\x01\xad7j\xb9\r\n"},
	{2, `return cmsgpack.pack(4294967295.5)`, "$9\r\n\xcbA\xef\xff\xff\xff\xf0\x00\x00\r\n"},
	{2, `return cmsgpack.pack(1/0)`, "$5\r\n\xca\x7f\x80\x00\x00\r\n"},
	{2, `return cmsgpack.pack(0/0)`, "$9\r\n\xcb\xff\xf8\x00\x00\x00\x00\x00\x00\r\n"},
	{2, `return cmsgpack.pack(-0.0)`, "$1\r\n\x00\r\n"},
	{2, `return cmsgpack.pack('abc')`, "$4\r\n\xa3abc\r\n"},
	{2, `return cmsgpack.pack('')`, "$1\r\n\xa0\r\n"},
	{2, `return cmsgpack.pack(string.rep('x',31))`, "$32\r\n\xbfxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n"},
	{2, `return cmsgpack.pack(string.rep('x',32))`, "$34\r\n\xd9 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n"},
	{2, `return string.sub(cmsgpack.pack(string.rep('x',255)),1,3)`, "$3\r\n\xd9\xffx\r\n"},
	{2, `return #cmsgpack.pack(string.rep('x',256))`, ":259\r\n"},
	{2, `return string.sub(cmsgpack.pack(string.rep('x',256)),1,3)`, "$3\r\n\xda\x01\x00\r\n"},
	{2, `return string.sub(cmsgpack.pack(string.rep('x',65535)),1,3)`, "$3\r\n\xda\xff\xff\r\n"},
	{2, `return string.sub(cmsgpack.pack(string.rep('x',65536)),1,5)`, "$5\r\n\xdb\x00\x01\x00\x00\r\n"},
	{2, `return cmsgpack.pack(true,false,nil)`, "$3\r\n\xc3\xc2\xc0\r\n"},
	{2, `return cmsgpack.pack({1,2,3})`, "$4\r\n\x93\x01\x02\x03\r\n"},
	{2, `return cmsgpack.pack({a=1})`, "$4\r\n\x81\xa1a\x01\r\n"},
	{2, `return cmsgpack.pack({})`, "$1\r\n\x90\r\n"},
	{2, `return cmsgpack.pack({1,nil,3})`, "$5\r\n\x82\x01\x01\x03\x03\r\n"},
	{2, `return cmsgpack.pack({[1]=1,[3]=3})`, "$5\r\n\x82\x01\x01\x03\x03\r\n"},
	{2, `return cmsgpack.pack({1,2,a=3})`, "$8\r\n\x83\x01\x01\x02\x02\xa1a\x03\r\n"},
	{2, `return cmsgpack.pack({[1]=1,[2]=2,[2^31]=3})`, "$11\r\n\x83\x01\x01\x02\x02\xce\x80\x00\x00\x00\x03\r\n"},
	{2, `return cmsgpack.pack({[1.5]=1})`, "$7\r\n\x81\xca?\xc0\x00\x00\x01\r\n"},
	{2, `return cmsgpack.pack({[-1]=1})`, "$3\r\n\x81\xff\x01\r\n"},
	{2, `return cmsgpack.pack({[0]=1})`, "$3\r\n\x81\x00\x01\r\n"},
	{2, `return cmsgpack.pack({true})`, "$2\r\n\x91\xc3\r\n"},
	{2, `return cmsgpack.pack({{}, {{}}})`, "$4\r\n\x92\x90\x91\x90\r\n"},
	{2, `local t={} for i=1,20 do t[i]=i end return cmsgpack.pack(t)`, "$23\r\n\xdc\x00\x14\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\r\n"},
	{2, `local t={} for i=1,70000 do t[i]=1 end return string.sub(cmsgpack.pack(t),1,5)`, "$5\r\n\xdd\x00\x01\x11p\r\n"},
	{2, `local t={} for i=1,16 do t['k'..i]=i end return string.sub(cmsgpack.pack(t),1,3)`, "$3\r\n\xde\x00\x10\r\n"},
	{2, `return cmsgpack.pack(cjson.null)`, "$1\r\n\xc0\r\n"},
	{2, `return cmsgpack.pack(function() end)`, "$1\r\n\xc0\r\n"},
	{2, `return cmsgpack.pack({f=function() end})`, "$4\r\n\x81\xa1f\xc0\r\n"},
	{2, `return cmsgpack.pack(coroutine.create(function() end))`, "$1\r\n\xc0\r\n"},
	{2, `return #cmsgpack.pack(redis)`, ":280\r\n"},
	{2, `return string.sub(cmsgpack.pack(redis),1,3)`, "$3\r\n\xde\x00\x17\r\n"},
	{2, `local t={} t[1]=t return cmsgpack.pack(t)`, "$17\r\n\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\xc0\r\n"},
	{2, `local t={} t.t=t return cmsgpack.pack(t)`, "$49\r\n\x81\xa1t\x81\xa1t\x81\xa1t\x81\xa1t\x81\xa1t\x81\xa1t\x81\xa1t\x81\xa1t\x81\xa1t\x81\xa1t\x81\xa1t\x81\xa1t\x81\xa1t\x81\xa1t\x81\xa1t\x81\xa1t\xc0\r\n"},
	{2, `return cmsgpack.pack({1,2,3}, {x=1}, 'a', 1.25, -7, true, nil, false)`, "$19\r\n\x93\x01\x02\x03\x81\xa1x\x01\xa1a\xca?\xa0\x00\x00\xf9\xc3\xc0\xc2\r\n"},
	{2, `return cmsgpack.pack()`, "-ERR user_script:1: bad argument #0 to 'pack' (MessagePack pack needs input.) script: 6bc235afa55de88253e203cc5fe5844792e25209, on @user_script:1.\r\n"},
	{2, `return {pcall(cmsgpack.pack)}`, "*2\r\n$-1\r\n$54\r\nbad argument #0 to '?' (MessagePack pack needs input.)\r\n"},
}

// cmsgpack.unpack, unpack_one and unpack_limit, replies from Redis 7.0.15.
var cmsgpackUnpackCases = []libCase{
	{2, `return {cmsgpack.unpack(cmsgpack.pack(1,'a',{1,2},{a=1}))}`, "*4\r\n:1\r\n$1\r\na\r\n*2\r\n:1\r\n:2\r\n*0\r\n"},
	{2, `return cmsgpack.unpack(cmsgpack.pack({a={b={c={1,2,3}}}})).a.b.c`, "*3\r\n:1\r\n:2\r\n:3\r\n"},
	{2, `return cmsgpack.unpack('\147\1\2\3')`, "*3\r\n:1\r\n:2\r\n:3\r\n"},
	{2, `return cmsgpack.unpack('\192')`, "$-1\r\n"},
	{2, `return type(cmsgpack.unpack('\192'))`, "$3\r\nnil\r\n"},
	{2, `return cmsgpack.unpack('\195')`, ":1\r\n"},
	{2, `return {cmsgpack.unpack('\192\192\1')}`, "*0\r\n"},
	{2, `return cmsgpack.unpack('\203\63\248\0\0\0\0\0\0')`, ":1\r\n"},
	{2, `return tostring(cmsgpack.unpack('\203\63\248\0\0\0\0\0\0'))`, "$3\r\n1.5\r\n"},
	{2, `return tostring(cmsgpack.unpack('\202\63\192\0\0'))`, "$3\r\n1.5\r\n"},
	{2, `return cmsgpack.unpack('\129\161a\1').a`, ":1\r\n"},
	{2, `return cmsgpack.unpack('\130\161a\1\161a\192')`, "*0\r\n"},
	{2, `return cmsgpack.unpack('\145\129\161a\145\1')[1].a[1]`, ":1\r\n"},
	{2, `return cmsgpack.unpack('')`, "$-1\r\n"},
	{2, `return {cmsgpack.unpack('\1\2\3\4\5')}`, "*5\r\n:1\r\n:2\r\n:3\r\n:4\r\n:5\r\n"},
	{2, `return {cmsgpack.unpack('\204\255')}`, "*1\r\n:255\r\n"},
	{2, `return {cmsgpack.unpack('\208\255')}`, "*1\r\n:-1\r\n"},
	{2, `return {cmsgpack.unpack('\205\255\255')}`, "*1\r\n:65535\r\n"},
	{2, `return {cmsgpack.unpack('\209\255\127')}`, "*1\r\n:-129\r\n"},
	{2, `return {cmsgpack.unpack('\206\255\255\255\255')}`, "*1\r\n:4294967295\r\n"},
	{2, `return {cmsgpack.unpack('\210\255\255\255\255')}`, "*1\r\n:-1\r\n"},
	{2, `return {cmsgpack.unpack('\210\128\0\0\0')}`, "*1\r\n:-2147483648\r\n"},
	{2, `return tostring(cmsgpack.unpack('\207\255\255\255\255\255\255\255\255'))`, "$2\r\n-1\r\n"},
	{2, `return tostring(cmsgpack.unpack('\207\127\255\255\255\255\255\255\255'))`, "$19\r\n9.2233720368548e+18\r\n"},
	{2, `return tostring(cmsgpack.unpack('\211\128\0\0\0\0\0\0\0'))`, "$20\r\n-9.2233720368548e+18\r\n"},
	{2, `return {cmsgpack.unpack('\211\255\255\255\255\255\255\255\255')}`, "*1\r\n:-1\r\n"},
	{2, `return cmsgpack.unpack('\217\3abc')`, "$3\r\nabc\r\n"},
	{2, `return {cmsgpack.unpack('\218\0\1a')}`, "*1\r\n$1\r\na\r\n"},
	{2, `return {cmsgpack.unpack('\219\0\0\0\1a')}`, "*1\r\n$1\r\na\r\n"},
	{2, `return cmsgpack.unpack('\220\0\2\1\2')`, "*2\r\n:1\r\n:2\r\n"},
	{2, `return {cmsgpack.unpack('\221\0\0\0\2\1\2')}`, "*1\r\n*2\r\n:1\r\n:2\r\n"},
	{2, `return {cmsgpack.unpack('\222\0\1\1\2')}`, "*1\r\n*1\r\n:2\r\n"},
	{2, `return {cmsgpack.unpack('\223\0\0\0\1\1\2')}`, "*1\r\n*1\r\n:2\r\n"},
	{2, `return cmsgpack.unpack('\145\192')`, "*0\r\n"},
	{2, `return {cmsgpack.unpack('\129\145\1\2')}`, "*1\r\n*0\r\n"},
	{2, `return {cmsgpack.unpack(1)}`, "*1\r\n:49\r\n"},
	{2, `return {cmsgpack.unpack(12)}`, "*2\r\n:49\r\n:50\r\n"},
	{2, `return {cmsgpack.unpack('\1', 2, 3)}`, "*1\r\n:1\r\n"},
	{2, `return cmsgpack.unpack()`, "-ERR user_script:1: bad argument #1 to 'unpack' (string expected, got no value) script: 78103c0f3f46e5897cb5d2fad8dfb28bd38e0eeb, on @user_script:1.\r\n"},
	{2, `return {cmsgpack.unpack({})}`, "-ERR user_script:1: bad argument #1 to 'unpack' (string expected, got table) script: a9c33dfccf30a08a7d54486285626120782eb84b, on @user_script:1.\r\n"},
	{2, `return cmsgpack.unpack('\147\1')`, "-ERR user_script:1: Missing bytes in input. script: ee8eb1e54a0c380beeff7d6d892383fdfd307c7a, on @user_script:1.\r\n"},
	{2, `return {cmsgpack.unpack('\145\145')}`, "-ERR user_script:1: Missing bytes in input. script: afc406a631517e4b53794a438941e02d2b7c1fcd, on @user_script:1.\r\n"},
	{2, `return {cmsgpack.unpack('\204')}`, "-ERR user_script:1: Missing bytes in input. script: 33df3dbc3e12d67c14c026ea80daf9fdef104a89, on @user_script:1.\r\n"},
	{2, `return {cmsgpack.unpack('\217')}`, "-ERR user_script:1: Missing bytes in input. script: 73251b960d5bdd24d51d2a72f46a555368e41990, on @user_script:1.\r\n"},
	{2, `return {cmsgpack.unpack('\218\0')}`, "-ERR user_script:1: Missing bytes in input. script: bad08f96a2849debbdc6a435ff89a296c135352b, on @user_script:1.\r\n"},
	{2, `return {cmsgpack.unpack('\219\0\0\0\5a')}`, "-ERR user_script:1: Missing bytes in input. script: e109fac63cdd0e2712e0f8946072b1328d379801, on @user_script:1.\r\n"},
	{2, `return {cmsgpack.unpack('\202\0\0\0')}`, "-ERR user_script:1: Missing bytes in input. script: 4b7f570b5db9edcc912266e4012c70ad444ec329, on @user_script:1.\r\n"},
	{2, `return {cmsgpack.unpack('\203\0\0\0\0\0\0\0')}`, "-ERR user_script:1: Missing bytes in input. script: 828cf0b8f23281f09abe4ad48b3135e959ab1e28, on @user_script:1.\r\n"},
	{2, `return {cmsgpack.unpack('\207\0\0\0\0\0\0\0')}`, "-ERR user_script:1: Missing bytes in input. script: 1a2c38d3a49ca843b12e24f85bf99be45901a1ea, on @user_script:1.\r\n"},
	{2, `return {cmsgpack.unpack('\224\255\191\160')}`, "-ERR user_script:1: Missing bytes in input. script: bc0a50a99f2dff76e7a2e271a79edc29442e8175, on @user_script:1.\r\n"},
	{2, `return {cmsgpack.unpack('\129\1')}`, "-ERR user_script:1: Missing bytes in input. script: 6fc535faf2c8c59f5e4e940b685aa32b0464e5c2, on @user_script:1.\r\n"},
	{2, `return {cmsgpack.unpack('\220\255\255')}`, "-ERR user_script:1: Missing bytes in input. script: 00cb0eed98215701413585963de136b39e2dd30a, on @user_script:1.\r\n"},
	{2, `return {cmsgpack.unpack('\221\255\255\255\255\1')}`, "-ERR user_script:1: Missing bytes in input. script: e94712df26f7713bc1aa1694c5d7fae5d126187f, on @user_script:1.\r\n"},
	{2, `return cmsgpack.unpack('\193')`, "-ERR user_script:1: Bad data format in input. script: dc135bd7bc2955014f03280e151acf74360378e7, on @user_script:1.\r\n"},
	{2, `return cmsgpack.unpack('\196\3abc')`, "-ERR user_script:1: Bad data format in input. script: c3d9d8a9c0ed342606c0f40aa269ff7d8ae68236, on @user_script:1.\r\n"},
	{2, `return {cmsgpack.unpack('\199\1\1a')}`, "-ERR user_script:1: Bad data format in input. script: 336f67aba22a51f5c035cf181abbe180839e1913, on @user_script:1.\r\n"},
	{2, `return cmsgpack.unpack('\213\1\2\3')`, "-ERR user_script:1: Bad data format in input. script: b00bdfda1aad6f532ed6753028dc8cc50d4f29af, on @user_script:1.\r\n"},
	{2, `return cmsgpack.unpack('\129\192\1')`, "-ERR table index is nil script: fc5ecea28c7c4519bafde8e9710d8f45499f865b, on @user_script:1.\r\n"},
	{2, `return cmsgpack.unpack('\129\203\127\248\0\0\0\0\0\0\1')`, "-ERR table index is NaN script: bc8ba215d56db633c8105748d36712b8f07e636f, on @user_script:1.\r\n"},
	{2, `return {cmsgpack.unpack_one('\1\2\3')}`, "*2\r\n:1\r\n:1\r\n"},
	{2, `return {cmsgpack.unpack_one('\1\2\3', 1)}`, "*2\r\n:2\r\n:2\r\n"},
	{2, `return {cmsgpack.unpack_one('\1\2', 2)}`, "*1\r\n:-1\r\n"},
	{2, `return {cmsgpack.unpack_one('')}`, "*1\r\n:-1\r\n"},
	{2, `return {cmsgpack.unpack_one('\1', '0')}`, "*2\r\n:-1\r\n:1\r\n"},
	{2, `return {cmsgpack.unpack_one('\1', 0.9)}`, "*2\r\n:-1\r\n:1\r\n"},
	{2, `return {cmsgpack.unpack_one('\1\2', 1.9)}`, "*2\r\n:-1\r\n:2\r\n"},
	{2, `return {cmsgpack.unpack_one('\1', 'x')}`, "-ERR user_script:1: bad argument #2 to 'unpack_one' (number expected, got string) script: 4a8c2ec58ca5b774526c5be4c2f3d012586f6b8e, on @user_script:1.\r\n"},
	{2, `return {cmsgpack.unpack_one('abc', -1)}`, "-ERR user_script:1: Invalid request to unpack with offset of -1 and limit of 3. script: a746602c6408ed7b0f473ebea3887d374e0cd959, on @user_script:1.\r\n"},
	{2, `return {cmsgpack.unpack_one('\1\2', 3)}`, "-ERR user_script:1: Start offset 3 greater than input length 2. script: 4dd1957e2fb6238b3c12a82c8f70c31d6dffa8bb, on @user_script:1.\r\n"},
	{2, `return {cmsgpack.unpack_one('\1\2', 2^32+1)}`, "-ERR user_script:1: Start offset 1 greater than input length 2. script: 17714c4f54084ab4cf306857f21ca5f42545ae85, on @user_script:1.\r\n"},
	{2, `return {cmsgpack.unpack_limit('\1\2\3', 2)}`, "*3\r\n:2\r\n:1\r\n:2\r\n"},
	{2, `return {cmsgpack.unpack_limit('\1\2\3', 2, 1)}`, "*3\r\n:-1\r\n:2\r\n:3\r\n"},
	{2, `return {cmsgpack.unpack_limit('\1\2\3', 2, 3)}`, "*1\r\n:-1\r\n"},
	{2, `return {cmsgpack.unpack_limit('\1\2\3', 0)}`, "*3\r\n:1\r\n:2\r\n:3\r\n"},
	{2, `return {cmsgpack.unpack_limit('\1\2\3', 0, 1)}`, "*1\r\n:1\r\n"},
	{2, `return {cmsgpack.unpack_limit('\1\2\3', 1, nil)}`, "*2\r\n:1\r\n:1\r\n"},
	{2, `return {cmsgpack.unpack_limit('\192\192\1', 2)}`, "*1\r\n:2\r\n"},
	{2, `return {cmsgpack.unpack_limit('\1\2\3', 2, 5)}`, "-ERR user_script:1: Start offset 5 greater than input length 3. script: e687b3f3402baa68a5652bf7733cadb6ea05889e, on @user_script:1.\r\n"},
	{2, `return {cmsgpack.unpack_limit('\1\2\3', -1)}`, "-ERR user_script:1: Invalid request to unpack with offset of 0 and limit of 3. script: a61504c604879e3b4b9e8da20ce1ee48942ccd0b, on @user_script:1.\r\n"},
	{2, `return {cmsgpack.unpack_limit('\1\2\3')}`, "-ERR user_script:1: bad argument #2 to 'unpack_limit' (number expected, got no value) script: 7fb246eac09ff0e796fd213b6e11737bb6c4c4e6, on @user_script:1.\r\n"},
	{2, `return {cmsgpack.unpack_limit('\1\2\3', 'x')}`, "-ERR user_script:1: bad argument #2 to 'unpack_limit' (number expected, got string) script: 651f19bd4c401bfe4e72a107d8796004e54cfb56, on @user_script:1.\r\n"},
	{2, `local ok,e = pcall(cmsgpack.unpack, string.rep('\145', 5000)..'\1') return e`, "$51\r\nstack overflow (in function mp_decode_to_lua_array)\r\n"},
	{2, `local ok,e = pcall(cmsgpack.unpack, string.rep('\145', 3998)..'\1') return {ok, type(e)}`, "*2\r\n:1\r\n$5\r\ntable\r\n"},
	{2, `local ok,e = pcall(cmsgpack.unpack, string.rep('\129\1', 5000)..'\1') return e`, "$88\r\nstack overflow (too many return values at once; use unpack_one or unpack_limit instead.)\r\n"},
	{2, `local ok,e = pcall(cmsgpack.unpack, string.rep('\129', 9000)..'\1') return e`, "$88\r\nstack overflow (too many return values at once; use unpack_one or unpack_limit instead.)\r\n"},
	{2, `local ok,e = pcall(cmsgpack.unpack, string.rep('\1', 9000)) return e`, "$88\r\nstack overflow (too many return values at once; use unpack_one or unpack_limit instead.)\r\n"},
	{2, `local t = {cmsgpack.unpack(string.rep('\1', 4000))} return #t`, ":4000\r\n"},
	{3, `return cmsgpack.unpack('\147\192\194\195')`, "*0\r\n"},
}

func TestCmsgpackPackMatchesRedis(t *testing.T) { runLibCases(t, cmsgpackPackCases) }

func TestCmsgpackUnpackMatchesRedis(t *testing.T) { runLibCases(t, cmsgpackUnpackCases) }

func BenchmarkCmsgpackPackUnpack(b *testing.B) {
	e := NewEngine()
	s, err := e.Load([]byte("local t = cmsgpack.unpack(cmsgpack.pack({id=12345, name='widget', tags={'a','b','c'}, price=12.5, stock={warehouse=3}})) return t.id"))
	if err != nil {
		b.Fatal(err.Msg)
	}
	w := resp.NewWriter()
	b.ReportAllocs()
	for b.Loop() {
		w.Reset()
		if err := e.Run(s, lockHost{}, nil, nil, w); err != nil {
			b.Fatal(err.Msg)
		}
	}
	if string(w.Bytes()) != ":12345\r\n" {
		b.Fatalf("reply %q", w.Bytes())
	}
}
