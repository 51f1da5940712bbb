// Package integration holds Petrel's end-to-end tests: differential tests
// that send the same input to Petrel and to a real redis-server and compare
// the raw replies byte for byte, tests with the go-redis client, tests of
// limits and bad input over raw sockets, and tests with redis-cli and
// redis-benchmark. Every server runs as its own process on a free port.
package integration

import (
	"testing"

	"petrel/integration/harness"
)

func TestMain(m *testing.M) { harness.Main(m) }
