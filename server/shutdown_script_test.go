package server

import (
	"strings"
	"testing"
	"time"
)

// SHUTDOWN NOSAVE is what the UNKILLABLE error tells the user to run when a
// script that wrote never ends. With the AOF on, closing the log needs every
// shard lock, which the script holds: the shutdown kills it first.
func TestShutdownNosaveEndsAnUnkillableScriptWithAOF(t *testing.T) {
	s, _ := startAOFServer(t)
	hooked := make(chan struct{})
	s.ShutdownHook = func() { close(hooked) }

	a := dialRaw(t, s)
	a.Send(encode("EVAL", "redis.call('SET', 'k', 'v') while true do end", "0"))
	for deadline := time.Now().Add(5 * time.Second); ; {
		if _, ok := s.scripts.engine.Running(); ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the script never started")
		}
		time.Sleep(time.Millisecond)
	}
	b := dialRaw(t, s)
	if got := b.Do("SCRIPT", "KILL"); !strings.HasPrefix(got, "-UNKILLABLE") {
		// wait for the write to happen first
		time.Sleep(50 * time.Millisecond)
		if got = b.Do("SCRIPT", "KILL"); !strings.HasPrefix(got, "-UNKILLABLE") {
			t.Fatalf("SCRIPT KILL: %q", got)
		}
	}
	b.Send(encode("SHUTDOWN", "NOSAVE"))
	select {
	case <-hooked:
		return
	case <-time.After(5 * time.Second):
	}
	// Unstick the server so the test binary can finish (Close's sync.Once
	// would otherwise block t.Cleanup for ever).
	s.scripts.engine.KillAll()
	select {
	case <-hooked:
	case <-time.After(10 * time.Second):
	}
	t.Fatal("SHUTDOWN NOSAVE did not finish within 5s while an unkillable script ran with appendonly yes: Close -> stopAOF -> store.LockAll waits for the script's shard locks")
}
