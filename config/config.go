// Package config reads redis.conf files and redis-server command lines into
// Petrel's typed configuration, and implements the configuration side of
// CONFIG GET, CONFIG SET and CONFIG REWRITE.
//
// Loading happens in two steps. First the redis.conf grammar is parsed by
// hand into an ordered list of directives (file, line, name, arguments):
// viper cannot parse redis.conf itself, because the format is not one of its
// key/value formats. A line is a directive followed by arguments split by
// Redis's sdssplitargs rules (double quotes with C escapes, single quotes),
// one directive may repeat and accumulate (save, user, rename-command,
// loadmodule), "include" splices other files in place, names are
// case-insensitive, the last occurrence wins, and errors must point at the
// exact line with Redis's FATAL CONFIG FILE ERROR text. None of that maps
// onto viper's YAML/TOML/INI/env readers (INI would even take '#' and ';' and
// quotes differently). Each directive is checked against the typed table as
// it is read, in order, so errors match Redis's line by line.
//
// Then viper merges the layers: the table's defaults, the values the file
// and the command line produced, and environment overrides named
// PETREL_<NAME> (upper case, dashes as underscores, e.g. PETREL_MAXMEMORY or
// PETREL_MAXMEMORY_POLICY). The merged values are applied to a fresh Config
// through the same typed setters CONFIG SET uses.
package config

import (
	"os"
	"path/filepath"
	"sync"
)

// Config is Petrel's typed configuration. The exported fields hold the values
// in force; read them with RLock held (or through the server's cached copies)
// and change them only through Set, which takes the write lock.
//
// Directives Petrel does not act on are kept too (CONFIG GET shows them and
// CONFIG REWRITE writes them); read those by name with Get.
type Config struct {
	mu    sync.RWMutex
	setMu sync.Mutex // serialises CONFIG SET, apply step included

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
	Dir                     string // absolute once loaded; "." means the working directory
	SlowlogLogSlowerThan    int64  // microseconds; negative disables
	SlowlogMaxLen           int
	LatencyMonitorThreshold int64 // milliseconds
	AlwaysShowLogo          bool
	EnableDebugCommand      string // yes, no, local
	EnableProtectedConfigs  string // yes, no, local
	EnableModuleCommand     string // yes, no, local

	// ActiveExpireEnabled is not a directive: DEBUG SET-ACTIVE-EXPIRE
	// switches it.
	ActiveExpireEnabled bool

	Daemonize      bool
	Supervised     string
	SyslogEnabled  bool
	SyslogIdent    string
	SyslogFacility string

	// Save holds the RDB save points (save <seconds> <changes> ...).
	Save []SavePoint
	// ShutdownOnSigterm and ShutdownOnSigint are ShutdownFlags.
	ShutdownOnSigterm int
	ShutdownOnSigint  int
	ShutdownTimeout   int

	MaxMemory        uint64
	MaxMemoryPolicy  string
	MaxMemorySamples int
	// MaxMemoryClients is bytes, or minus a percentage of maxmemory.
	MaxMemoryClients int64

	// NotifyKeyspaceEvents is a set of Notify* flags.
	NotifyKeyspaceEvents int

	// Encoding thresholds (OBJECT ENCODING).
	HashMaxListpackEntries int64
	HashMaxListpackValue   int64
	ListMaxListpackSize    int64
	ListCompressDepth      int64
	SetMaxIntsetEntries    int64
	ZsetMaxListpackEntries int64
	ZsetMaxListpackValue   int64
	HllSparseMaxBytes      int64
	StreamNodeMaxBytes     int64
	StreamNodeMaxEntries   int64

	ActiveExpireEffort             int
	BusyReplyThreshold             int64 // milliseconds (lua-time-limit)
	AcllogMaxLen                   int64
	LatencyTracking                bool
	LatencyTrackingInfoPercentiles []float64
	TrackingTableMaxKeys           int64
	// ClientOutputBufferLimits is indexed by ClientNormal, ClientReplica,
	// ClientPubSub.
	ClientOutputBufferLimits [3]OutputBufferLimit

	// ReplicaOfHost and ReplicaOfPort hold replicaof ("" for a master).
	ReplicaOfHost string
	ReplicaOfPort int

	oomScoreAdjValues [3]int64

	// ConfigFile is the absolute path of the file the server was started
	// with ("" without one); CONFIG REWRITE writes it.
	ConfigFile string
	// Chdir makes setting dir change the process's working directory, as
	// Redis does; only the real server process sets it.
	Chdir bool

	// gen holds the values of the directives that have no typed field.
	gen []genValue
}

type genValue struct {
	i int64
	b bool
	s string
}

// SavePoint is one "save <seconds> <changes>" rule.
type SavePoint struct {
	Seconds int64
	Changes int64
}

// OutputBufferLimit is one class of client-output-buffer-limit.
type OutputBufferLimit struct {
	Hard, Soft  uint64
	SoftSeconds int64
}

// Client classes of client-output-buffer-limit.
const (
	ClientNormal = iota
	ClientReplica
	ClientPubSub
)

// Shutdown flags, as shutdown-on-sigterm and shutdown-on-sigint hold them.
const (
	ShutdownDefault = 0
	ShutdownSave    = 1
	ShutdownNoSave  = 2
	ShutdownNow     = 4
	ShutdownForce   = 8
)

// Defaults returns Redis 7.0's defaults, except bind: without a
// configuration Petrel listens on the loopback interfaces only
// ("127.0.0.1 -::1", as in the redis.conf Redis ships) where Redis's
// built-in default is "* -::*".
func Defaults() *Config {
	c := &Config{ActiveExpireEnabled: true, gen: make([]genValue, len(table))}
	for _, d := range table {
		if err := d.setValue(c, d.def); err != "" {
			panic("config: bad default for " + d.Name + ": " + err)
		}
	}
	return c
}

// SetActiveExpire switches the active expiry cycle (DEBUG SET-ACTIVE-EXPIRE).
func (c *Config) SetActiveExpire(on bool) {
	c.mu.Lock()
	c.ActiveExpireEnabled = on
	c.mu.Unlock()
}

// RLock takes the read lock for reading fields.
func (c *Config) RLock() { c.mu.RLock() }

// RUnlock releases the read lock.
func (c *Config) RUnlock() { c.mu.RUnlock() }

// Get returns a directive's value as CONFIG GET shows it, and whether the
// name (or alias) exists.
func (c *Config) Get(name string) (string, bool) {
	d := Lookup(name)
	if d == nil {
		return "", false
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return d.get(c), true
}

// GetInt returns the value of a numeric directive (0 if it is not one).
func (c *Config) GetInt(name string) int64 {
	d := Lookup(name)
	if d == nil || d.num == nil {
		return 0
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return d.num.get(c)
}

// GetBool returns the value of a yes/no directive.
func (c *Config) GetBool(name string) bool {
	d := Lookup(name)
	if d == nil || d.boolean == nil {
		return false
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return *d.boolean(c)
}

// AbsDir returns the dir directive as an absolute path.
func (c *Config) AbsDir() string {
	if c.Dir == "" || c.Dir == "." {
		wd, _ := os.Getwd()
		return wd
	}
	if abs, err := filepath.Abs(c.Dir); err == nil {
		return abs
	}
	return c.Dir
}

// AllowProtected applies the yes/no/local rule of enable-debug-command,
// enable-protected-configs and enable-module-command: local admits clients
// on a Unix socket or a loopback address.
func AllowProtected(setting string, local bool) bool {
	return setting == "yes" || (setting == "local" && local)
}
