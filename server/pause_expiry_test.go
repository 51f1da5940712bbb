package server

import (
	"strings"
	"testing"
	"time"
)

// Redis 7 stops the active expiry cycle while clients are paused, so the
// dataset does not change under a failover; expiry resumes afterwards.
func TestActiveExpirySuspendedWhileClientsArePaused(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	expired := func() string {
		info := c.Do("INFO", "stats")
		for _, line := range strings.Split(info, "\r\n") {
			if v, ok := strings.CutPrefix(line, "expired_keys:"); ok {
				return v
			}
		}
		t.Fatalf("no expired_keys in %q", info)
		return ""
	}
	runCases(t, c, []replyCase{
		{[]string{"SET", "k", "v", "PX", "50"}, "+OK\r\n"},
		{[]string{"CLIENT", "PAUSE", "600", "WRITE"}, "+OK\r\n"},
	})
	time.Sleep(400 * time.Millisecond)
	if got := expired(); got != "0" {
		t.Fatalf("expired_keys during the pause = %s, want 0", got)
	}
	runCases(t, c, []replyCase{{[]string{"CLIENT", "UNPAUSE"}, "+OK\r\n"}})
	deadline := time.Now().Add(3 * time.Second)
	for expired() != "1" {
		if time.Now().After(deadline) {
			t.Fatal("the key was not expired after the pause ended")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
