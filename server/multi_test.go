package server

import (
	"strings"
	"testing"
)

// A transaction already doomed queues nothing more, as in Redis: CLIENT
// LIST's multi= stops counting after a queuing error, or once a watched key
// has changed, though every command is still answered QUEUED.
func TestDoomedTransactionQueuesNothingMore(t *testing.T) {
	s := startTestServer(t)
	c, other := dialRaw(t, s), dialRaw(t, s)
	count := func(id string) string {
		t.Helper()
		lines := clientLines(t, other.Do("CLIENT", "LIST", "ID", id))
		if len(lines) != 1 {
			t.Fatalf("CLIENT LIST: %v", lines)
		}
		return lines[0]["multi"]
	}
	id := strings.TrimPrefix(strings.TrimSpace(c.Do("CLIENT", "ID")), ":")
	runCases(t, c, []replyCase{
		{[]string{"MULTI"}, "+OK\r\n"},
		{[]string{"SET", "a", "1"}, "+QUEUED\r\n"},
		{[]string{"LPUSH"}, "-ERR wrong number of arguments for 'lpush' command\r\n"},
		{[]string{"SET", "b", "2"}, "+QUEUED\r\n"},
	})
	if got := count(id); got != "1" {
		t.Errorf("after a queuing error: multi=%s, want 1", got)
	}
	c.Do("DISCARD")
	c.Do("WATCH", "k")
	runCases(t, c, []replyCase{{[]string{"MULTI"}, "+OK\r\n"}, {[]string{"SET", "a", "1"}, "+QUEUED\r\n"}})
	other.Do("SET", "k", "x")
	runCases(t, c, []replyCase{{[]string{"SET", "b", "2"}, "+QUEUED\r\n"}, {[]string{"SET", "c", "3"}, "+QUEUED\r\n"}})
	if got := count(id); got != "1" {
		t.Errorf("after the watched key changed: multi=%s, want 1", got)
	}
	runCases(t, c, []replyCase{{[]string{"EXEC"}, "*-1\r\n"}})
}
