package server

import (
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// SCRIPT KILL finds the running script's host, but the script may end and
// its pooled host serve another EVAL before the kill takes the host's lock:
// the kill then leaves the new script alone (and -race sees no unguarded
// access to the host's kill state).
func TestScriptKillRacesWithHostReuse(t *testing.T) {
	s := startTestServer(t)
	var stop atomic.Bool
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := dialRaw(t, s)
			for !stop.Load() {
				got := c.Do("EVAL", "return 1", "0")
				if got != ":1\r\n" && !strings.Contains(got, "killed") {
					t.Errorf("EVAL: %q", got)
					return
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		c := dialRaw(t, s)
		for !stop.Load() {
			c.Do("SCRIPT", "KILL")
		}
	}()
	time.Sleep(3 * time.Second)
	stop.Store(true)
	wg.Wait()
}
