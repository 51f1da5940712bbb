package integration

import "testing"

// TestDiffConnection compares connection-level commands: PING, ECHO,
// SELECT, HELLO, AUTH, CLIENT, QUIT, RESET and MONITOR.
func TestDiffConnection(t *testing.T) {
	runSequences(t, []sequence{
		{name: "ping-echo", steps: steps(
			"PING", "PING hello", `PING ""`, "PING a b",
			"ECHO hi", `ECHO ""`, "ECHO", "ECHO a b",
			`ECHO "\x00\xff binary"`,
			"ping", "PiNg x",
		)},
		{name: "select", steps: steps(
			"SELECT 0", "SELECT 15", "SELECT 16", "SELECT -1", "SELECT abc", "SELECT 1.5",
			"SELECT 2147483648", "SELECT -2147483649", "SELECT 2147483647", "SELECT 9223372036854775807",
			"MULTI", "SELECT 2147483648", "EXEC",
			`SELECT ""`, "SELECT 9999999999999999999999", "SELECT", "SELECT 1 2",
			"SELECT 3", "SET k db3", "SELECT 0", "GET k", "SELECT 3", "GET k",
			"@2 GET k",
		)},
		{name: "hello", steps: steps(
			"HELLO", "HELLO 2", "HELLO 3", "HELLO 2", "HELLO 4", "HELLO 1", "HELLO 0", "HELLO -1",
			"HELLO abc", "HELLO 3 SETNAME myname", "CLIENT GETNAME",
			`HELLO 3 SETNAME "bad name"`, "HELLO 3 SETNAME", "HELLO 3 AUTH", "HELLO 3 AUTH default",
			"HELLO 3 AUTH default anything", "HELLO 3 AUTH nosuchuser pw", "HELLO 3 FOO",
			"HELLO 2 SETNAME a SETNAME b", "CLIENT GETNAME",
			// each option acts as it is read
			"HELLO 2 SETNAME SETNAME -x", "CLIENT GETNAME", `HELLO 3 AUTH nobody pass SETNAME "a b"`,
			"HELLO 2 AUTH AUTH nobody x", "HELLO 2 SETNAME n AUTH nobody bad", "CLIENT GETNAME",
		)},
		{name: "auth-without-password", steps: steps(
			"AUTH", "AUTH x", "AUTH default x", "AUTH nosuchuser x", "AUTH a b c",
		)},
		{name: "auth-with-password", args: []string{"--requirepass", "s3cret"}, steps: steps(
			"PING", "GET k", "ECHO x", "SELECT 1", "CLIENT GETNAME", "MULTI",
			"NOSUCHCOMMAND", "AUTH wrong", "AUTH default wrong", "AUTH nosuchuser s3cret",
			"HELLO 3", "HELLO 2 AUTH default wrong", "AUTH s3cret", "PING", "SET k v", "GET k",
			"@2 HELLO 2 AUTH default s3cret", "@2 GET k", "@3 AUTH default s3cret", "@3 GET k",
		)},
		{name: "client-name", steps: steps(
			"CLIENT GETNAME", "CLIENT SETNAME conn1", "CLIENT GETNAME", `CLIENT SETNAME ""`,
			"CLIENT GETNAME", `CLIENT SETNAME "with space"`, `CLIENT SETNAME "new\nline"`,
			`CLIENT SETNAME "caf\xc3\xa9"`, "CLIENT SETNAME a b", "CLIENT SETNAME", "CLIENT GETNAME x",
			"@2 CLIENT SETNAME second", "CLIENT LIST", "@2 CLIENT INFO",
		)},
		{name: "client-id-info-list", steps: steps(
			"CLIENT ID", "CLIENT ID x", "CLIENT INFO", "CLIENT INFO x", "CLIENT LIST",
			"CLIENT LIST TYPE normal", "CLIENT LIST TYPE NORMAL", "CLIENT LIST TYPE master",
			"CLIENT LIST TYPE replica", "CLIENT LIST TYPE pubsub", "CLIENT LIST TYPE bogus",
			"CLIENT LIST ID", "CLIENT LIST ID abc", "CLIENT LIST ID 999999", "CLIENT LIST FOO",
			"SELECT 5", "MULTI", "CLIENT INFO", "EXEC", "CLIENT INFO",
		)},
		{name: "client-misc", steps: steps(
			"CLIENT", "CLIENT NOSUCH", "CLIENT HELP", "CLIENT help x",
			"CLIENT GETREDIR", "CLIENT TRACKINGINFO", "CLIENT CACHING yes", "CLIENT CACHING maybe",
			"CLIENT NO-EVICT on", "CLIENT NO-EVICT off", "CLIENT NO-EVICT maybe",
			"CLIENT UNBLOCK 123456", "CLIENT UNBLOCK abc", "CLIENT UNBLOCK 1 TIMEOUT", "CLIENT UNBLOCK 1 bogus",
			// CLIENT SETINFO is Redis 7.2's and Petrel has it on purpose (go-redis
			// sends it on connect); 7.0.15 rejects it, so it is tested in server/.
			"CLIENT KILL", "CLIENT KILL 1.2.3.4:5", "CLIENT KILL ID abc", "CLIENT KILL ID 999999",
			"CLIENT KILL TYPE bogus", "CLIENT KILL USER nosuch", "CLIENT KILL SKIPME maybe",
			"CLIENT KILL ADDR 1.2.3.4:5", "CLIENT KILL LADDR 1.2.3.4:5", "CLIENT KILL MAXAGE 999999",
			"CLIENT KILL ID",
		)},
		{name: "client-kill-others", steps: steps(
			"@2 PING", "@3 PING", "CLIENT KILL TYPE normal SKIPME yes", "@2 !state", "@3 !state", "PING",
		)},
		{name: "client-reply", steps: steps(
			"CLIENT REPLY ON", "CLIENT REPLY maybe",
			raw(1, "*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$4\r\nSKIP\r\n*2\r\n$4\r\nECHO\r\n$1\r\na\r\n*2\r\n$4\r\nECHO\r\n$1\r\nb\r\n", 1),
			raw(1, "*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$3\r\nOFF\r\n*2\r\n$4\r\nECHO\r\n$1\r\nc\r\n*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$2\r\nON\r\n", 1),
			"ECHO d",
		)},
		{name: "client-pause", steps: steps(
			"CLIENT PAUSE", "CLIENT PAUSE abc", "CLIENT PAUSE -1", "CLIENT PAUSE 100 BOGUS",
			"CLIENT PAUSE 100 WRITE", "GET k", "CLIENT UNPAUSE", "SET k v", "CLIENT PAUSE 100 ALL",
			"CLIENT UNPAUSE", "GET k", "CLIENT UNPAUSE x",
		)},
		{name: "quit", steps: steps("PING", "QUIT", "!state", "@2 QUIT extra args", "@2 !state")},
		{name: "reset", steps: steps(
			"SELECT 2", "CLIENT SETNAME n", "MULTI", "SET a 1", "RESET", "CLIENT GETNAME", "CLIENT INFO",
			"EXEC", "WATCH a", "RESET", "MULTI", "EXEC", "RESET x",
		)},
		{name: "monitor", steps: steps(
			"PING", "@2 MONITOR", "SET k v", "@2 !read", "SELECT 4", "@2 !read", `GET "a b"`, "@2 !read",
			"@2 PING", "@2 !read", "QUIT", "@2 !read", "@2 QUIT",
		)},
		// A script's command comes before the commands it runs, which
		// show "lua" for the client; a refused or failing script still
		// shows, its refused commands do not.
		{name: "monitor-scripts", steps: steps(
			"@2 MONITOR", `EVAL "redis.call('SET', KEYS[1], 'v') return redis.call('GET', 'k')" 1 k`,
			"@2 !read", "@2 !read", "@2 !read",
			"EVAL_RO \"return redis.call('DEL', 'k')\" 0", "@2 !read",
			"EVAL \"return 1\" -1", "@2 !read",
			"EVALSHA 0000000000000000000000000000000000000000 0", "@2 !read",
			`FUNCTION LOAD "#!lua name=monlib\nredis.register_function('monf', function(keys) redis.call('SELECT', 3) return redis.call('INCR', keys[1]) end)"`,
			"@2 !read", "FCALL monf 1 n", "@2 !read", "@2 !read", "@2 !read",
			"MULTI", "@2 !read", `EVAL "return redis.call('PING')" 0`, "EXEC", "@2 !read", "@2 !read", "@2 !read",
			"FUNCTION DELETE monlib", "@2 !read",
		)},
	})
}
