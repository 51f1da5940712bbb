package integration

import (
	"os"
	"strconv"
	"testing"
	"time"
)

// randomSeeds returns the seeds a random differential test runs: the one
// PETREL_DIFF_SEED names, to replay a failure, or else defaults and,
// outside -short, one from the clock.
func randomSeeds(t *testing.T, defaults ...int64) []int64 {
	if v := os.Getenv("PETREL_DIFF_SEED"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			t.Fatalf("PETREL_DIFF_SEED: %v", err)
		}
		return []int64{n}
	}
	if testing.Short() {
		return defaults
	}
	return append(defaults, time.Now().UnixNano()%1_000_000)
}

// randomBudget returns how many commands a random differential test runs
// per seed: full, or short under -short, unless PETREL_DIFF_COMMANDS says.
func randomBudget(t *testing.T, full, short int) int {
	if v := os.Getenv("PETREL_DIFF_COMMANDS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			t.Fatalf("PETREL_DIFF_COMMANDS: %v", err)
		}
		return n
	}
	if testing.Short() {
		return short
	}
	return full
}
