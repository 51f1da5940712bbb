package server

import (
	"strings"
	"testing"
	"time"
)

// A rewrite turning the AOF on that is cancelled after its barrier (CONFIG
// SET appendonly yes, then no) forgets its temporary incremental file, so
// a later BGREWRITEAOF with the AOF off does not try to rename it.
func TestCancelledEnablingForgetsItsTempIncr(t *testing.T) {
	s := startTestServer(t, withDebug)
	c := dialRaw(t, s)
	c.Do("DEBUG", "POPULATE", "300000")
	if got := c.Do("CONFIG", "SET", "appendonly", "yes"); got != "+OK\r\n" {
		t.Fatalf("appendonly yes: %q", got)
	}
	// wait for the barrier (logging on) and cancel the walk
	for deadline := time.Now().Add(5 * time.Second); !s.aof.on.Load(); {
		if time.Now().After(deadline) {
			t.Fatal("the rewrite never passed its barrier")
		}
		time.Sleep(50 * time.Microsecond)
	}
	if got := c.Do("CONFIG", "SET", "appendonly", "no"); got != "+OK\r\n" {
		t.Fatalf("appendonly no: %q", got)
	}
	s.aof.wmu.Lock()
	stale := s.aof.tempIncr
	s.aof.wmu.Unlock()
	if !strings.Contains(c.Do("INFO", "persistence"), "aof_last_bgrewrite_status:err") {
		t.Skip("the rewrite finished before it was cancelled")
	}
	if stale {
		got := c.Do("BGREWRITEAOF")
		for deadline := time.Now().Add(10 * time.Second); strings.Contains(c.Do("INFO", "persistence"), "aof_rewrite_in_progress:1"); {
			if time.Now().After(deadline) {
				t.Fatal("the rewrite did not end")
			}
			time.Sleep(5 * time.Millisecond)
		}
		t.Fatalf("a cancelled enabling rewrite left aof.tempIncr set with the AOF off; BGREWRITEAOF %q then ends with %q",
			got, func() string {
				for _, l := range strings.Split(c.Do("INFO", "persistence"), "\r\n") {
					if strings.HasPrefix(l, "aof_last_bgrewrite_status") {
						return l
					}
				}
				return ""
			}())
	}
}
