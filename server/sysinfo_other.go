//go:build !linux

package server

import "runtime"

// System facts INFO reports; outside Linux only what the runtime knows.

func osName() string { return runtime.GOOS + " " + runtime.GOARCH }

func residentMemory() int64 { return 0 }

func totalSystemMemory() int64 { return 0 }

func cpuTimes() (sys, user, childSys, childUser int64) { return 0, 0, 0, 0 }
