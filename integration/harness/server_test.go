package harness

import "testing"

// A server is ready only once its own process answers: another test's
// server that got the port first (the new one then fails to bind) is not it.
func TestReadinessProbeTellsTheServerByItsProcessID(t *testing.T) {
	s := StartPetrel(t)
	if err := ping(s.Addr, s.cmd.Process.Pid); err != nil {
		t.Fatalf("probe of the started server: %v", err)
	}
	if err := ping(s.Addr, s.cmd.Process.Pid+1); err == nil {
		t.Fatal("probe accepted another process's server on the port")
	}
}
