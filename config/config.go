// Package config reads redis.conf files and command lines in redis-server's
// grammar into a typed configuration, and serves CONFIG GET/SET/REWRITE.
package config

import "sync"

// Config is Petrel's typed configuration. The exported fields hold the values
// in force; read them with RLock held (or through the server's cached copies)
// and change them only through Set, which takes the write lock.
type Config struct {
	mu sync.RWMutex

	Port                    int
	Bind                    []string
	UnixSocket              string
	UnixSocketPerm          uint32
	ProtectedMode           bool
	RequirePass             string
	Databases               int
	Timeout                 int // seconds; 0 disables
	TCPKeepalive            int // seconds
	MaxClients              int
	ProtoMaxBulkLen         int64
	ClientQueryBufferLimit  int64
	Hz                      int
	LogLevel                string
	LogFile                 string
	PidFile                 string
	Dir                     string
	SlowlogLogSlowerThan    int64 // microseconds; negative disables
	SlowlogMaxLen           int
	LatencyMonitorThreshold int64 // milliseconds
	AlwaysShowLogo          bool
	EnableDebugCommand      string // yes, no, local
	ActiveExpireEnabled     bool
}

// Defaults returns Redis 7's defaults.
func Defaults() *Config {
	return &Config{
		Port:                   6379,
		Bind:                   []string{"127.0.0.1", "-::1"},
		ProtectedMode:          true,
		Databases:              16,
		TCPKeepalive:           300,
		MaxClients:             10000,
		ProtoMaxBulkLen:        512 << 20,
		ClientQueryBufferLimit: 1 << 30,
		Hz:                     10,
		LogLevel:               "notice",
		Dir:                    ".",
		SlowlogLogSlowerThan:   10000,
		SlowlogMaxLen:          128,
		EnableDebugCommand:     "no",
		ActiveExpireEnabled:    true,
	}
}

// RLock takes the read lock for reading fields.
func (c *Config) RLock() { c.mu.RLock() }

// RUnlock releases the read lock.
func (c *Config) RUnlock() { c.mu.RUnlock() }
