//go:build !race

package server

// raceDetector reports whether the tests run under -race.
const raceDetector = false
