package server

import (
	"testing"
	"time"
)

// With no replica, WAIT answers 0 at once when 0 replicas suffice, and
// otherwise after its timeout; its arguments fail as Redis's do.
func TestWaitWithoutReplicas(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"WAIT", "0", "0"}, ":0\r\n"},
		{[]string{"WAIT", "-1", "0"}, ":0\r\n"},
		{[]string{"WAIT", "0", "9223372036854775807"}, ":0\r\n"}, // no range check in 7.0
		{[]string{"WAIT", "x", "0"}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"WAIT", "99999999999999999999", "0"}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"WAIT", "0", "x"}, "-ERR timeout is not an integer or out of range\r\n"},
		{[]string{"WAIT", "1", "1.5"}, "-ERR timeout is not an integer or out of range\r\n"},
		{[]string{"WAIT", "0", "-1"}, "-ERR timeout is negative\r\n"},
		{[]string{"WAIT", "1"}, "-ERR wrong number of arguments for 'wait' command\r\n"},
		{[]string{"EVAL", "return redis.pcall('WAIT', 0, 0)", "0"}, "-ERR This Redis command is not allowed from script\r\n"},
		{[]string{"MULTI"}, "+OK\r\n"},
		{[]string{"WAIT", "5", "0"}, "+QUEUED\r\n"},
		{[]string{"EXEC"}, "*1\r\n:0\r\n"}, // a transaction does not block
	})
	start := time.Now()
	runCases(t, c, []replyCase{{[]string{"WAIT", "1", "50"}, ":0\r\n"}})
	if waited := time.Since(start); waited < 50*time.Millisecond {
		t.Errorf("WAIT 1 50 answered after %v", waited)
	}
}

// A WAIT for ever is a blocked client: INFO counts it, CLIENT UNBLOCK
// ends it with the count of replicas (0) or with an error.
func TestWaitBlocksUntilUnblocked(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	blocked := dialRaw(t, s)
	unblockEachWay(t, c, blocked, []string{"WAIT", "1", "0"}, ":0\r\n")
	// A client that goes away while it waits is no longer blocked.
	blocked.Send(encode("WAIT", "1", "0"))
	waitBlockedClients(t, c, "1")
	blocked.conn.Close()
	waitBlockedClients(t, c, "0")
}

func TestRoleOfAPrimaryWithoutReplicas(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"ROLE"}, "*3\r\n$6\r\nmaster\r\n:0\r\n*0\r\n"},
		{[]string{"ROLE", "x"}, "-ERR wrong number of arguments for 'role' command\r\n"},
		{[]string{"EVAL", "return redis.pcall('ROLE')", "0"}, "-ERR This Redis command is not allowed from script\r\n"},
	})
}
