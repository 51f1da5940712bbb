package config

import (
	"math"
	"sort"
	"strings"
)

// Bounds of the C types Redis stores its numeric directives in.
const (
	intMax   = math.MaxInt32
	intMin   = math.MinInt32
	uintMax  = math.MaxUint32
	longMax  = math.MaxInt64
	llongMax = math.MaxInt64
)

// ullongMax is ULLONG_MAX as the int64 bits stored for unsigned directives.
const ullongMax = -1

// E marks a directive Petrel acts on; the others are accepted, kept and
// reported, and a start-up notice says they have no effect.
const E = fEffect

func yn(name, alias string, fl dflag, def bool, f func(*Config) *bool) *Directive {
	return &Directive{Name: name, Alias: alias, kind: kBool, flags: fl, def: yesNoString(def), boolean: f}
}

func numeric(name, alias string, fl dflag, nk numKind, min, max int64, def string, f *numAccess) *Directive {
	return &Directive{Name: name, Alias: alias, kind: kNum, flags: fl, nk: nk, min: min, max: max, def: def, num: f}
}

func unsigned(d *Directive) *Directive { d.uns = true; return d }

func enumOf(name string, fl dflag, items []enumItem, def string, f func(*Config) *string) *Directive {
	return &Directive{Name: name, kind: kEnum, flags: fl, enum: items, def: def, enumPtr: f}
}

func str(name, alias string, fl dflag, def string, f func(*Config) *string) *Directive {
	return &Directive{Name: name, Alias: alias, kind: kString, flags: fl, def: def, str: f}
}

func special(name, alias string, fl dflag, def string, set func(*Config, []string) string,
	get func(*Config) string, rewrite func(*Config, *Directive, *rewriteState)) *Directive {
	return &Directive{Name: name, Alias: alias, kind: kSpecial, flags: fl, def: def, setFn: set, getFn: get, rewriteFn: rewrite}
}

func withExact(d *Directive, exact func(*Config) string) *Directive {
	d.exactFn = exact
	return d
}

func withSetMin(d *Directive, min int64) *Directive {
	d.setMin = min
	return d
}

func withCheck(d *Directive, check func(*Config, string) string) *Directive {
	d.check = check
	return d
}

var (
	protectedAction  = names("no", "yes", "local")
	shutdownFlagEnum = []enumItem{{"default", ShutdownDefault}, {"save", ShutdownSave},
		{"nosave", ShutdownNoSave}, {"now", ShutdownNow}, {"force", ShutdownForce}}
	oomScoreAdjEnum = []enumItem{{"no", 0}, {"yes", 1}, {"relative", 1}, {"absolute", 2}}
)

// table lists every directive Redis 7.0 accepts, with Redis's types, bounds
// and defaults.
var table = []*Directive{
	// yes/no
	yn("rdbchecksum", "", fImmutable|E, true, nil),
	withCheck(yn("daemonize", "", fImmutable|E, false, func(c *Config) *bool { return &c.Daemonize }), checkDaemonize),
	yn("io-threads-do-reads", "", fImmutable, false, nil),
	yn("always-show-logo", "", fImmutable|E, false, func(c *Config) *bool { return &c.AlwaysShowLogo }),
	yn("protected-mode", "", E, true, func(c *Config) *bool { return &c.ProtectedMode }),
	yn("rdbcompression", "", E, true, nil),
	yn("rdb-del-sync-files", "", 0, false, nil),
	yn("activerehashing", "", 0, true, nil),
	yn("stop-writes-on-bgsave-error", "", E, true, nil),
	yn("set-proc-title", "", fImmutable, true, nil),
	yn("dynamic-hz", "", 0, true, nil),
	yn("lazyfree-lazy-eviction", "", E, false, nil),
	yn("lazyfree-lazy-expire", "", E, false, nil),
	yn("lazyfree-lazy-server-del", "", 0, false, nil),
	yn("lazyfree-lazy-user-del", "", E, false, nil),
	yn("lazyfree-lazy-user-flush", "", 0, false, nil),
	yn("repl-disable-tcp-nodelay", "", 0, false, nil),
	yn("repl-diskless-sync", "", 0, true, nil),
	yn("aof-rewrite-incremental-fsync", "", 0, true, nil),
	yn("no-appendfsync-on-rewrite", "", 0, false, nil),
	yn("cluster-require-full-coverage", "", 0, true, nil),
	yn("rdb-save-incremental-fsync", "", 0, true, nil),
	yn("aof-load-truncated", "", E, true, nil),
	yn("aof-use-rdb-preamble", "", E, true, nil),
	yn("aof-timestamp-enabled", "", E, false, nil),
	yn("cluster-replica-no-failover", "cluster-slave-no-failover", 0, false, nil),
	yn("replica-lazy-flush", "slave-lazy-flush", 0, false, nil),
	yn("replica-serve-stale-data", "slave-serve-stale-data", 0, true, nil),
	yn("replica-read-only", "slave-read-only", 0, true, nil),
	yn("replica-ignore-maxmemory", "slave-ignore-maxmemory", 0, true, nil),
	yn("jemalloc-bg-thread", "", 0, true, nil),
	yn("activedefrag", "", 0, false, nil),
	yn("syslog-enabled", "", fImmutable|E, false, func(c *Config) *bool { return &c.SyslogEnabled }),
	yn("cluster-enabled", "", fImmutable, false, nil),
	yn("appendonly", "", E, false, nil),
	yn("cluster-allow-reads-when-down", "", 0, false, nil),
	yn("cluster-allow-pubsubshard-when-down", "", 0, true, nil),
	yn("crash-log-enabled", "", 0, true, nil),
	yn("crash-memcheck-enabled", "", 0, true, nil),
	yn("use-exit-on-panic", "", fHidden, false, nil),
	yn("disable-thp", "", fImmutable, true, nil),
	yn("cluster-allow-replica-migration", "", 0, true, nil),
	yn("replica-announced", "", 0, true, nil),
	yn("latency-tracking", "", 0, true, func(c *Config) *bool { return &c.LatencyTracking }),
	yn("aof-disable-auto-gc", "", 0, false, nil),
	yn("replica-ignore-disk-write-errors", "", 0, false, nil),

	// strings
	str("aclfile", "", fImmutable, "", nil),
	str("unixsocket", "", fImmutable|fEmptyNull|E, "", func(c *Config) *string { return &c.UnixSocket }),
	str("pidfile", "", fImmutable|fEmptyNull|E, "", func(c *Config) *string { return &c.PidFile }),
	str("replica-announce-ip", "slave-announce-ip", fEmptyNull, "", nil),
	str("masteruser", "", fSensitive|fEmptyNull, "", nil),
	str("cluster-announce-ip", "", fEmptyNull, "", nil),
	str("cluster-config-file", "", fImmutable, "nodes.conf", nil),
	withCheck(str("cluster-announce-hostname", "", fEmptyNull, "", nil), checkHostname),
	str("syslog-ident", "", fImmutable|E, "redis", func(c *Config) *string { return &c.SyslogIdent }),
	withCheck(str("dbfilename", "", fProtected|E, "dump.rdb", nil), checkBaseName("dbfilename can't be a path, just a filename", "")),
	withCheck(str("appendfilename", "", fImmutable|E, "appendonly.aof", nil),
		checkBaseName("appendfilename can't be a path, just a filename", "appendfilename can't be empty")),
	withCheck(str("appenddirname", "", fImmutable|E, "appendonlydir", nil),
		checkBaseName("appenddirname can't be a path, just a dirname", "appenddirname can't be empty")),
	str("server_cpulist", "", fImmutable|fEmptyNull, "", nil),
	str("bio_cpulist", "", fImmutable|fEmptyNull, "", nil),
	str("aof_rewrite_cpulist", "", fImmutable|fEmptyNull, "", nil),
	str("bgsave_cpulist", "", fImmutable|fEmptyNull, "", nil),
	str("ignore-warnings", "", 0, "", nil),
	withCheck(str("proc-title-template", "", 0, "{title} {listen-addr} {server-mode}", nil), checkProcTitle),
	str("bind-source-addr", "", fEmptyNull, "", nil),
	str("logfile", "", fImmutable|E, "", func(c *Config) *string { return &c.LogFile }),
	str("masterauth", "", fSensitive|fEmptyNull, "", nil),
	str("requirepass", "", fSensitive|fEmptyNull|E, "", func(c *Config) *string { return &c.RequirePass }),

	// enums
	enumOf("supervised", fImmutable, names("upstart", "systemd", "auto", "no"), "no", func(c *Config) *string { return &c.Supervised }),
	enumOf("syslog-facility", fImmutable|E, names("user", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"),
		"local0", func(c *Config) *string { return &c.SyslogFacility }),
	enumOf("repl-diskless-load", 0, names("disabled", "on-empty-db", "swapdb"), "disabled", nil),
	enumOf("loglevel", E, names("debug", "verbose", "notice", "warning"), "notice", func(c *Config) *string { return &c.LogLevel }),
	enumOf("maxmemory-policy", E, names("volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl",
		"allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"), "noeviction", func(c *Config) *string { return &c.MaxMemoryPolicy }),
	enumOf("appendfsync", E, names("everysec", "always", "no"), "everysec", nil),
	enumOf("oom-score-adj", 0, oomScoreAdjEnum, "no", nil),
	enumOf("acl-pubsub-default", 0, names("allchannels", "resetchannels"), "resetchannels", nil),
	enumOf("sanitize-dump-payload", 0, names("no", "yes", "clients"), "no", nil),
	enumOf("enable-protected-configs", fImmutable|E, protectedAction, "no", func(c *Config) *string { return &c.EnableProtectedConfigs }),
	enumOf("enable-debug-command", fImmutable|E, protectedAction, "no", func(c *Config) *string { return &c.EnableDebugCommand }),
	enumOf("enable-module-command", fImmutable|E, protectedAction, "no", func(c *Config) *string { return &c.EnableModuleCommand }),
	enumOf("cluster-preferred-endpoint-type", 0, names("ip", "hostname", "unknown-endpoint"), "ip", nil),
	enumOf("propagation-error-behavior", 0, names("ignore", "panic", "panic-on-replicas"), "ignore", nil),
	{Name: "shutdown-on-sigint", kind: kFlags, flags: fMultiArg | E, enum: shutdownFlagEnum, def: "default",
		flagPtr: func(c *Config) *int { return &c.ShutdownOnSigint }},
	{Name: "shutdown-on-sigterm", kind: kFlags, flags: fMultiArg | E, enum: shutdownFlagEnum, def: "default",
		flagPtr: func(c *Config) *int { return &c.ShutdownOnSigterm }},

	// integers
	numeric("databases", "", fImmutable|E, nInt, 1, intMax, "16", field(func(c *Config) *int { return &c.Databases })),
	numeric("port", "", E, nInt, 0, 65535, "6379", field(func(c *Config) *int { return &c.Port })),
	numeric("io-threads", "", fImmutable, nInt, 1, 128, "1", nil),
	numeric("auto-aof-rewrite-percentage", "", E, nInt, 0, intMax, "100", nil),
	numeric("cluster-replica-validity-factor", "cluster-slave-validity-factor", 0, nInt, 0, intMax, "10", nil),
	numeric("list-max-listpack-size", "list-max-ziplist-size", E, nInt, intMin, intMax, "-2", field(func(c *Config) *int64 { return &c.ListMaxListpackSize })),
	numeric("tcp-keepalive", "", E, nInt, 0, intMax, "300", field(func(c *Config) *int { return &c.TCPKeepalive })),
	numeric("cluster-migration-barrier", "", 0, nInt, 0, intMax, "1", nil),
	numeric("active-defrag-cycle-min", "", 0, nInt, 1, 99, "1", nil),
	numeric("active-defrag-cycle-max", "", 0, nInt, 1, 99, "25", nil),
	numeric("active-defrag-threshold-lower", "", 0, nInt, 0, 1000, "10", nil),
	numeric("active-defrag-threshold-upper", "", 0, nInt, 0, 1000, "100", nil),
	numeric("lfu-log-factor", "", 0, nInt, 0, intMax, "10", nil),
	numeric("lfu-decay-time", "", 0, nInt, 0, intMax, "1", nil),
	numeric("replica-priority", "slave-priority", 0, nInt, 0, intMax, "100", nil),
	numeric("repl-diskless-sync-delay", "", 0, nInt, 0, intMax, "5", nil),
	numeric("maxmemory-samples", "", 0, nInt, 1, intMax, "5", field(func(c *Config) *int { return &c.MaxMemorySamples })),
	numeric("maxmemory-eviction-tenacity", "", 0, nInt, 0, 100, "10", nil),
	numeric("timeout", "", E, nInt, 0, intMax, "0", field(func(c *Config) *int { return &c.Timeout })),
	numeric("replica-announce-port", "slave-announce-port", 0, nInt, 0, 65535, "0", nil),
	numeric("tcp-backlog", "", fImmutable, nInt, 0, intMax, "511", nil),
	numeric("cluster-port", "", fImmutable, nInt, 0, 65535, "0", nil),
	numeric("cluster-announce-bus-port", "", 0, nInt, 0, 65535, "0", nil),
	numeric("cluster-announce-port", "", 0, nInt, 0, 65535, "0", nil),
	numeric("cluster-announce-tls-port", "", 0, nInt, 0, 65535, "0", nil),
	numeric("repl-timeout", "", 0, nInt, 1, intMax, "60", nil),
	numeric("repl-ping-replica-period", "repl-ping-slave-period", 0, nInt, 1, intMax, "10", nil),
	numeric("list-compress-depth", "", E, nInt, 0, intMax, "0", field(func(c *Config) *int64 { return &c.ListCompressDepth })),
	numeric("rdb-key-save-delay", "", fHidden|E, nInt, intMin, intMax, "0", nil),
	numeric("key-load-delay", "", fHidden, nInt, intMin, intMax, "0", nil),
	numeric("active-expire-effort", "", 0, nInt, 1, 10, "1", field(func(c *Config) *int { return &c.ActiveExpireEffort })),
	{Name: "hz", kind: kNum, flags: E, nk: nInt, min: 0, max: intMax, def: "10",
		num: field(func(c *Config) *int { return &c.Hz }), after: clampHz},
	numeric("min-replicas-to-write", "min-slaves-to-write", 0, nInt, 0, intMax, "0", nil),
	numeric("min-replicas-max-lag", "min-slaves-max-lag", 0, nInt, 0, intMax, "10", nil),
	numeric("watchdog-period", "", fHidden, nInt, 0, intMax, "0", nil),
	numeric("shutdown-timeout", "", 0, nInt, 0, intMax, "10", field(func(c *Config) *int { return &c.ShutdownTimeout })),
	numeric("repl-diskless-sync-max-replicas", "", 0, nInt, 0, intMax, "0", nil),
	unsigned(numeric("socket-mark-id", "", fImmutable, nInt, 0, uintMax, "0", nil)),
	unsigned(numeric("maxclients", "", E, nInt, 1, uintMax, "10000", field(func(c *Config) *int { return &c.MaxClients }))),
	unsigned(numeric("unixsocketperm", "", fImmutable|E, nOctal, 0, 0o777, "0", field(func(c *Config) *uint32 { return &c.UnixSocketPerm }))),
	unsigned(numeric("active-defrag-max-scan-fields", "", 0, nInt, 1, longMax, "1000", nil)),
	unsigned(numeric("slowlog-max-len", "", E, nInt, 0, longMax, "128", field(func(c *Config) *int { return &c.SlowlogMaxLen }))),
	unsigned(numeric("acllog-max-len", "", 0, nInt, 0, longMax, "128", field(func(c *Config) *int64 { return &c.AcllogMaxLen }))),
	numeric("busy-reply-threshold", "lua-time-limit", E, nInt, 0, longMax, "5000", field(func(c *Config) *int64 { return &c.BusyReplyThreshold })),
	numeric("cluster-node-timeout", "", 0, nInt, 0, llongMax, "15000", nil),
	numeric("slowlog-log-slower-than", "", E, nInt, -1, llongMax, "10000", field(func(c *Config) *int64 { return &c.SlowlogLogSlowerThan })),
	numeric("latency-monitor-threshold", "", E, nInt, 0, llongMax, "0", field(func(c *Config) *int64 { return &c.LatencyMonitorThreshold })),
	numeric("proto-max-bulk-len", "", E, nMem, 1024*1024, longMax, "536870912", field(func(c *Config) *int64 { return &c.ProtoMaxBulkLen })),
	numeric("stream-node-max-entries", "", 0, nInt, 0, llongMax, "100", field(func(c *Config) *int64 { return &c.StreamNodeMaxEntries })),
	withSetMin(numeric("repl-backlog-size", "", 0, nMem, 1, llongMax, "1048576", nil), 16384),
	unsigned(numeric("maxmemory", "", 0, nMem, 0, ullongMax, "0", field(func(c *Config) *uint64 { return &c.MaxMemory }))),
	unsigned(numeric("cluster-link-sendbuf-limit", "", 0, nMem, 0, ullongMax, "0", nil)),
	unsigned(numeric("hash-max-listpack-entries", "hash-max-ziplist-entries", E, nInt, 0, longMax, "512", field(func(c *Config) *int64 { return &c.HashMaxListpackEntries }))),
	unsigned(numeric("set-max-intset-entries", "", E, nInt, 0, longMax, "512", field(func(c *Config) *int64 { return &c.SetMaxIntsetEntries }))),
	unsigned(numeric("zset-max-listpack-entries", "zset-max-ziplist-entries", E, nInt, 0, longMax, "128", field(func(c *Config) *int64 { return &c.ZsetMaxListpackEntries }))),
	unsigned(numeric("active-defrag-ignore-bytes", "", 0, nMem, 1, llongMax, "104857600", nil)),
	unsigned(numeric("hash-max-listpack-value", "hash-max-ziplist-value", E, nMem, 0, longMax, "64", field(func(c *Config) *int64 { return &c.HashMaxListpackValue }))),
	unsigned(numeric("stream-node-max-bytes", "", 0, nMem, 0, longMax, "4096", field(func(c *Config) *int64 { return &c.StreamNodeMaxBytes }))),
	unsigned(numeric("zset-max-listpack-value", "zset-max-ziplist-value", E, nMem, 0, longMax, "64", field(func(c *Config) *int64 { return &c.ZsetMaxListpackValue }))),
	unsigned(numeric("hll-sparse-max-bytes", "", 0, nMem, 0, longMax, "3000", field(func(c *Config) *int64 { return &c.HllSparseMaxBytes }))),
	unsigned(numeric("tracking-table-max-keys", "", 0, nInt, 0, longMax, "1000000", field(func(c *Config) *int64 { return &c.TrackingTableMaxKeys }))),
	unsigned(numeric("client-query-buffer-limit", "", E, nMem, 1024*1024, longMax, "1073741824", field(func(c *Config) *int64 { return &c.ClientQueryBufferLimit }))),
	numeric("maxmemory-clients", "", 0, nMemPct, -100, longMax, "0", field(func(c *Config) *int64 { return &c.MaxMemoryClients })),
	numeric("repl-backlog-ttl", "", 0, nInt, 0, longMax, "3600", nil),
	numeric("auto-aof-rewrite-min-size", "", E, nMem, 0, llongMax, "67108864", nil),
	numeric("loading-process-events-interval-bytes", "", fHidden, nInt, 1024, intMax, "2097152", nil),

	// TLS (Petrel speaks plain TCP only)
	numeric("tls-port", "", 0, nInt, 0, 65535, "0", nil),
	numeric("tls-session-cache-size", "", 0, nInt, 0, intMax, "20480", nil),
	numeric("tls-session-cache-timeout", "", 0, nInt, 0, intMax, "300", nil),
	yn("tls-cluster", "", 0, false, nil),
	yn("tls-replication", "", 0, false, nil),
	enumOf("tls-auth-clients", 0, names("no", "yes", "optional"), "yes", nil),
	yn("tls-prefer-server-ciphers", "", 0, false, nil),
	yn("tls-session-caching", "", 0, true, nil),
	str("tls-cert-file", "", fEmptyNull, "", nil),
	str("tls-key-file", "", fEmptyNull, "", nil),
	str("tls-key-file-pass", "", fSensitive|fEmptyNull, "", nil),
	str("tls-client-cert-file", "", fEmptyNull, "", nil),
	str("tls-client-key-file", "", fEmptyNull, "", nil),
	str("tls-client-key-file-pass", "", fSensitive|fEmptyNull, "", nil),
	str("tls-dh-params-file", "", fEmptyNull, "", nil),
	str("tls-ca-cert-file", "", fEmptyNull, "", nil),
	str("tls-ca-cert-dir", "", fEmptyNull, "", nil),
	str("tls-protocols", "", fEmptyNull, "", nil),
	str("tls-ciphers", "", fEmptyNull, "", nil),
	str("tls-ciphersuites", "", fEmptyNull, "", nil),

	// special
	special("dir", "", fProtected|E, ".", setDir, getDir, rewriteDir),
	special("save", "", fMultiArg|E, "3600 1 300 100 60 10000", setSave, getSave, rewriteSave),
	special("client-output-buffer-limit", "", fMultiArg,
		"normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60", setOutputBufferLimit, getOutputBufferLimit, rewriteOutputBufferLimit),
	special("oom-score-adj-values", "", fMultiArg, "0 200 800", setOOMScoreAdjValues, getOOMScoreAdjValues, rewriteOOMScoreAdjValues),
	withExact(special("notify-keyspace-events", "", 0, "", setNotifyKeyspaceEvents, getNotifyKeyspaceEvents, rewriteNotifyKeyspaceEvents),
		func(c *Config) string { return keyspaceEventsExact(c.NotifyKeyspaceEvents) }),
	special("bind", "", fMultiArg|E, "127.0.0.1 -::1", setBind, getBind, rewriteBind),
	special("replicaof", "slaveof", fImmutable|fMultiArg, "", setReplicaOf, getReplicaOf, rewriteReplicaOf),
	special("latency-tracking-info-percentiles", "", fMultiArg|E, "50 99 99.9", setPercentiles, getPercentiles, rewritePercentiles),
}

// byName maps every name and alias to its directive.
var byName map[string]*Directive

// sortedNames lists names and aliases in order, for CONFIG GET patterns.
var sortedNames []string

func init() {
	byName = make(map[string]*Directive, 2*len(table))
	for i, d := range table {
		d.idx = i
		d.bindGeneric()
		byName[d.Name] = d
		sortedNames = append(sortedNames, d.Name)
		if d.Alias != "" {
			byName[d.Alias] = d
			sortedNames = append(sortedNames, d.Alias)
		}
	}
	sort.Strings(sortedNames)
}

// bindGeneric stores a directive without a typed field in Config.gen.
func (d *Directive) bindGeneric() {
	i := d.idx
	switch d.kind {
	case kBool:
		if d.boolean == nil {
			d.boolean = func(c *Config) *bool { return &c.gen[i].b }
		}
	case kNum:
		if d.num == nil {
			d.num = &numAccess{get: func(c *Config) int64 { return c.gen[i].i },
				set: func(c *Config, v int64) { c.gen[i].i = v }}
		}
	case kEnum:
		if d.enumPtr == nil {
			d.enumPtr = func(c *Config) *string { return &c.gen[i].s }
		}
	case kString:
		if d.str == nil {
			d.str = func(c *Config) *string { return &c.gen[i].s }
		}
	}
}

// Lookup finds a directive by name or alias, case-insensitively.
func Lookup(name string) *Directive {
	if d := byName[name]; d != nil {
		return d
	}
	return byName[strings.ToLower(name)]
}

// Directives returns the table, in Redis's order.
func Directives() []*Directive { return table }
