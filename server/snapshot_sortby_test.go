package server

import (
	"testing"
	"time"
)

// SORT ... BY/GET locks its whole database to read the keys its patterns
// name, but writes at most its STORE key: during a snapshot it captures
// that key only, not the database under its locks.
func TestSortByDuringSnapshotCapturesOnlyItsStoreKey(t *testing.T) {
	s := startTestServer(t, withDebug)
	c := dialRaw(t, s)
	c.Do("DEBUG", "POPULATE", "200000")
	c.Do("RPUSH", "l1", "3", "1", "2")
	plantGate(t, c)
	resume := pausedSnapshot(t, s)
	t0 := time.Now()
	if got := c.Do("SORT", "l1", "BY", "nosuch*"); got[:2] != "*3" {
		t.Fatalf("SORT: %q", got)
	}
	took := time.Since(t0)
	_, early := resume()
	t.Logf("SORT BY (no STORE) during the snapshot took %v, captured %d segments/keys", took, early)
	if early > 1 {
		t.Fatalf("a SORT BY that stores nothing captured %d units (took %v): the whole database, under its shard locks", early, took)
	}
}
