//go:build !race

package harness

// RaceEnabled reports whether the tests run under the race detector.
const RaceEnabled = false
