package scripting

import "testing"

// dumpSession is a session on redis-server 7.0.15: FUNCTION DUMP's exact
// bytes (LZF-compressed as rdbcompression does by default, or not when
// that saves nothing), then FUNCTION RESTORE's policies and errors, with
// payloads made by hand (FUNCTION2 records, the release candidates' older
// record, other RDB types, truncated strings and LZF data, versions 9 and
// 11, bad checksums).
var dumpSession = []fnCase{
	{2, []string{"FUNCTION", "FLUSH"}, "+OK\r\n"},
	{2, []string{"FUNCTION", "LOAD", "#!lua name=x\nredis.register_function{function_name='f', callback=function() return 1 end, flags={'no-writes','allow-oom','allow-stale','no-cluster','allow-cross-slot-keys'}, description='hello'}"}, "$1\r\nx\r\n"},
	{2, []string{"FUNCTION", "FLUSH"}, "+OK\r\n"},
	{2, []string{"FUNCTION", "LOAD", "#!lua name=s\nredis.register_function('s', function() return 1 end)"}, "$1\r\ns\r\n"},
	{2, []string{"FUNCTION", "DUMP"}, "$79\r\n\xf5@B#!lua name=s\nredis.register_function('s', function() return 1 end)\n\x00\xa0\xf4\xe2\x89RV\xe8\xcc\r\n"},
	{2, []string{"FUNCTION", "FLUSH"}, "+OK\r\n"},
	{2, []string{"FUNCTION", "DUMP"}, "$10\r\n\n\x00]\x9b\\@\x0f\x7f\xa2\xda\r\n"},
	{2, []string{"FUNCTION", "FLUSH"}, "+OK\r\n"},
	{2, []string{"FUNCTION", "LOAD", "#!lua name=s\nredis.register_function('s', function() return 1 end)"}, "$1\r\ns\r\n"},
	{2, []string{"FUNCTION", "RESTORE", "xxx"}, "-ERR DUMP payload version or checksum are wrong\r\n"},
	{2, []string{"FUNCTION", "RESTORE", "xxxxxxxxxxxxxxxxxxxx"}, "-ERR DUMP payload version or checksum are wrong\r\n"},
	{2, []string{"FUNCTION", "RESTORE", "\xf5@B#!lua name=z\nredis.register_function('z', function() return 1 end)\x0b\x00\xc4\x84\xec\xd6*\xdfWY"}, "-ERR DUMP payload version or checksum are wrong\r\n"},
	{2, []string{"FUNCTION", "RESTORE", "\xf5@B#!lua name=z\nredis.register_function('z', function() return 1 end)\x0b\x00\xc4\x84\xec\xd6*\xdfWY", "bad"}, "-ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.\r\n"},
	{2, []string{"FUNCTION", "RESTORE", "\xf5@B#!lua name=s\nredis.register_function('s', function() return 1 end)\n\x00\xa0\xf4\xe2\x89RV\xe8\xcc", "bad"}, "-ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.\r\n"},
	{2, []string{"FUNCTION", "RESTORE", "\n\x00]\x9b\\@\x0f\x7f\xa2\xda"}, "+OK\r\n"},
	{2, []string{"FUNCTION", "RESTORE", "\x00\x01k\x01v\n\x00\xb2\xde`\xe0\xaa\xa2\xba\x1c"}, "-ERR given type is not a function\r\n"},
	{2, []string{"FUNCTION", "RESTORE", "\xf5@B#!lua name=s\nredis.register_function('s', function() return 1 end)\n\x00\xa0\xf4\xe2\x89RV\xe8\xcc"}, "-ERR Library s already exists\r\n"},
	{2, []string{"FUNCTION", "RESTORE", "\xf5@B#!lua name=s\nredis.register_function('s', function() return 1 end)\n\x00\xa0\xf4\xe2\x89RV\xe8\xcc", "append"}, "-ERR Library s already exists\r\n"},
	{2, []string{"FUNCTION", "RESTORE", "\xf5@B#!lua name=t\nredis.register_function('s', function() return 1 end)\n\x00\x02\x15\xb0>o+\x82\xb7"}, "-ERR Function s already exists\r\n"},
	{2, []string{"FUNCTION", "RESTORE", "\xf5@B#!lua name=t\nredis.register_function('S', function() return 1 end)\n\x00\x9eG\xa4\xa5\xfd\xeb\xf0!", "REPLACE"}, "-ERR Function S already exists\r\n"},
	{2, []string{"FUNCTION", "RESTORE", "\xf5@B#!lua name=s\nredis.register_function('t', function() return 1 end)\xf5@B#!lua name=u\nredis.register_function('t', function() return 1 end)\n\x00o&\x1c\x90\x1c[\x93x", "REPLACE"}, "-ERR Function t already exists\r\n"},
	{2, []string{"FUNCTION", "RESTORE", "\xf5@B#!lua name=s\nredis.register_function('t', function() return 1 end)\xf5@B#!lua name=s\nredis.register_function('u', function() return 1 end)\n\x00\xc2#\xe3\x8d\xd2\xc2\x86\xc7", "FLUSH"}, "-ERR Library 's' already exists\r\n"},
	{2, []string{"FUNCTION", "RESTORE", "\xf5\x08return 1\n\x00\xa1\x8f\xb9\xbc\x97%1\x99", "FLUSH"}, "-ERR Missing library metadata\r\n"},
	{2, []string{"FUNCTION", "RESTORE", "\xf5\x15#!lua name=z\nreturn +\n\x00\xc0\xa6Q\x0bI\xabp\xf4", "FLUSH"}, "-ERR Error compiling function: user_function:2: unexpected symbol near '+'\r\n"},
	{2, []string{"FUNCTION", "RESTORE", "\xf5\x15#!lua name=z\nreturn 1\n\x00\xf4\x02o\xc5R\xa0*\xa7", "FLUSH"}, "-ERR No functions registered\r\n"},
	{2, []string{"FUNCTION", "RESTORE", "\xf5\x15#!lua name=z\nerror(1)\n\x00\x12i\xf1b\xba^%\x8d", "FLUSH"}, "-ERR Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'error'\r\n"},
	{2, []string{"FUNCTION", "RESTORE", "\xf5@B#!lua name=z\nredis.register_function('z', function() return 1 end)\xf6\n\x00\x0f\x14 \xbcJX\xf6^", "FLUSH"}, "-ERR Failed loading library name\r\n"},
	{2, []string{"FUNCTION", "RESTORE", "\xf5\n\x00?\x97u!\x84\xd9\\\xa4", "FLUSH"}, "-ERR Failed loading library payload\r\n"},
	{2, []string{"FUNCTION", "RESTORE", "\xf5@B#!lua name=z\nredis.register_function('z', function() return 1 end)\xff\n\x00P\x11\x87\x8b\x95s\xf9\xda", "FLUSH"}, "-ERR given type is not a function\r\n"},
	{2, []string{"FUNCTION", "RESTORE", "\xf6\x03lua@B#!lua name=z\nredis.register_function('z', function() return 1 end)\n\x00?\xd8K\xf7#n\xae\xd8", "FLUSH"}, "-ERR Failed loading library blob\r\n"},
	{2, []string{"FUNCTION", "RESTORE", "\xf6\x03pre\x03lua\x007redis.register_function('pre', function() return 7 end)\n\x00\xa9\n\xf0\x95\xc6M=\xfd", "FLUSH"}, "+OK\r\n"},
	{2, []string{"FCALL", "pre", "0"}, ":7\r\n"},
	{2, []string{"FUNCTION", "LIST", "WITHCODE"}, "*1\r\n*8\r\n$12\r\nlibrary_name\r\n$3\r\npre\r\n$6\r\nengine\r\n$3\r\nLUA\r\n$9\r\nfunctions\r\n*1\r\n*6\r\n$4\r\nname\r\n$3\r\npre\r\n$11\r\ndescription\r\n$-1\r\n$5\r\nflags\r\n*0\r\n$12\r\nlibrary_code\r\n$70\r\n#!lua name=pre\nredis.register_function('pre', function() return 7 end)\r\n"},
	{2, []string{"FUNCTION", "RESTORE", "\xf6\x04pre2\x03lua\x01\x10some description8redis.register_function('pre2', function() return 8 end)\n\x00\x9b\xc4\x848*\xe0@\x9d", "APPEND"}, "+OK\r\n"},
	{2, []string{"FCALL", "pre2", "0"}, ":8\r\n"},
	{2, []string{"FUNCTION", "RESTORE", "\xf6\x04pre3\x03lua\x01\n\x00\xfd\xbc\x9ap\xfe\xd6-/", "APPEND"}, "-ERR Failed loading library description\r\n"},
	{2, []string{"FUNCTION", "RESTORE", "\xf6\x04pre3\n\x00\x8c\x12\x8b\xf8B`{\x9c", "APPEND"}, "-ERR Failed loading engine name\r\n"},
	{2, []string{"FUNCTION", "RESTORE", "\xf6\x04pre3\x03lua\n\x006\x16\xd4\x9e\xa2\x81\x03l", "APPEND"}, "-ERR Failed loading library blob\r\n"},
	{2, []string{"FUNCTION", "RESTORE", "\xf5@B#!lua name=z\nredis.register_function('z', function() return 1 end)\xf5@B#!lua name=y\nredis.register_function('y', function() return 1 end)\t\x00$\x12\xf8X\x1c\xef\xc4\xb8", "FLUSH"}, "+OK\r\n"},
	{2, []string{"FUNCTION", "STATS"}, "*4\r\n$14\r\nrunning_script\r\n$-1\r\n$7\r\nengines\r\n*2\r\n$3\r\nLUA\r\n*4\r\n$15\r\nlibraries_count\r\n:2\r\n$15\r\nfunctions_count\r\n:2\r\n"},
	{2, []string{"FCALL", "pre", "0"}, "-ERR Function not found\r\n"},
	{2, []string{"FCALL", "z", "0"}, ":1\r\n"},
	{2, []string{"FUNCTION", "RESTORE", "\xf5@B#!lua name=z\nredis.register_function('z', function() return 2 end)\xf5@B#!lua name=w\nredis.register_function('w', function() return 2 end)\n\x00\xda\x06\xf7*\xf9<\xc9U", "REPLACE"}, "+OK\r\n"},
	{2, []string{"FCALL", "z", "0"}, ":2\r\n"},
	{2, []string{"FCALL", "w", "0"}, ":2\r\n"},
	{2, []string{"FCALL", "y", "0"}, ":1\r\n"},
	{2, []string{"FUNCTION", "STATS"}, "*4\r\n$14\r\nrunning_script\r\n$-1\r\n$7\r\nengines\r\n*2\r\n$3\r\nLUA\r\n*4\r\n$15\r\nlibraries_count\r\n:3\r\n$15\r\nfunctions_count\r\n:3\r\n"},
	{2, []string{"FUNCTION", "RESTORE", "\xf5@B#!lua name=v\nredis.register_function('v', function() return 1 end)\xf5@B#!lua name=y\nredis.register_function('q', function() return 1 end)\n\x00J\xd5d\xcd\xe3\x97-,", "APPEND"}, "-ERR Library y already exists\r\n"},
	{2, []string{"FUNCTION", "RESTORE", "\xf5@B#!lua name=v\nredis.register_function('v', function() return 1 end)\xf5@B#!lua name=q\nredis.register_function('y', function() return 1 end)\n\x00H\x9ezK\x95e\x04\xf4", "REPLACE"}, "-ERR Function y already exists\r\n"},
	{2, []string{"FCALL", "v", "0"}, "-ERR Function not found\r\n"},
	{2, []string{"FUNCTION", "RESTORE", "\xf5\x0f#!lua name\n\x00\xe3zM\xc1,\xd2K\xfa", "FLUSH"}, "-ERR Invalid metadata value given: name\r\n"},
	{2, []string{"FUNCTION", "RESTORE", "\xf5\xc3\x05@Babcde\n\x00\xe7Gz\xcc\xc2\xb9\xa9I", "FLUSH"}, "-ERR Failed loading library payload\r\n"},
	{2, []string{"FUNCTION", "RESTORE", "\n\x00]\x9b\\@\x0f\x7f\xa2\xda", "FLUSH"}, "+OK\r\n"},
	{2, []string{"FUNCTION", "STATS"}, "*4\r\n$14\r\nrunning_script\r\n$-1\r\n$7\r\nengines\r\n*2\r\n$3\r\nLUA\r\n*4\r\n$15\r\nlibraries_count\r\n:0\r\n$15\r\nfunctions_count\r\n:0\r\n"},
}

func TestFunctionDumpAndRestoreMatchRedis(t *testing.T) {
	runFnCases(t, NewEngine(), dumpSession)
}
