// Package harness runs Petrel and a reference redis-server as real
// processes on free loopback ports and talks to them over raw RESP, for the
// end-to-end and differential tests in package integration.
package harness

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var build struct {
	once sync.Once
	dir  string
	bin  string
	err  error
}

// Main runs the tests and removes the binaries built for them. Call it from
// TestMain.
func Main(m *testing.M) {
	code := m.Run()
	if build.dir != "" {
		os.RemoveAll(build.dir)
	}
	os.Exit(code)
}

// ModuleRoot returns the directory holding Petrel's go.mod.
func ModuleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("not inside a Go module")
	}
	return filepath.Dir(gomod), nil
}

// PetrelBinary builds ./cmd/petrel-server once per test binary and returns
// its path. When the tests run under the race detector the server is built
// with it too, so races the end-to-end tests provoke inside the server are
// reported (see Server.Stop).
//
// PETREL_SERVER_BIN=/path/to/petrel-server uses an existing binary instead
// (CI builds once for several test runs; it also lets a developer test a
// known-good build while the tree is mid-edit).
func PetrelBinary(t testing.TB) string {
	t.Helper()
	if bin := os.Getenv("PETREL_SERVER_BIN"); bin != "" {
		return bin
	}
	first := false
	build.once.Do(func() {
		first = true
		root, err := ModuleRoot()
		if err != nil {
			build.err = err
			return
		}
		build.dir, err = os.MkdirTemp("", "petrel-integration-")
		if err != nil {
			build.err = err
			return
		}
		build.bin = filepath.Join(build.dir, "petrel-server")
		args := []string{"build", "-o", build.bin}
		if RaceEnabled {
			args = append(args, "-race")
		}
		args = append(args, "./cmd/petrel-server")
		cmd := exec.Command("go", args...)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			build.err = fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	})
	if build.err != nil {
		if !first {
			// The full compiler output went to the first test that asked.
			msg, _, _ := strings.Cut(build.err.Error(), "\n")
			t.Fatalf("building petrel-server failed (details in the first failing test): %s", msg)
		}
		t.Fatalf("building petrel-server: %v", build.err)
	}
	return build.bin
}
