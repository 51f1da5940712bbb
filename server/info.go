package server

import (
	"crypto/rand"
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"os"
	"petrel/pubsub"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"petrel/store"
)

// INFO: the sections and fields of Redis 7.0, in its order, with Petrel's
// real figures wherever it has them and Redis's idle values for subsystems
// it does not have (persistence, replication, scripting, cluster).

// infoState holds what INFO needs beyond the server's counters: the
// replication ID, memory figures and the sampled per-second rates.
type infoState struct {
	replID     atomic.Pointer[string]
	startupMem atomic.Int64 // heap in use when the server started serving
	peakMem    atomic.Int64

	mu         sync.Mutex // guards the samplers
	lastSample time.Time
	lastOps    int64
	lastIn     int64
	lastOut    int64
	ops        rateSampler
	netIn      rateSampler
	netOut     rateSampler
}

// rateSampler averages the last 16 per-second rates, as Redis's
// instantaneous metrics do.
type rateSampler struct {
	samples [16]float64
	next    int
}

func (r *rateSampler) add(v float64) {
	r.samples[r.next] = v
	r.next = (r.next + 1) % len(r.samples)
}

func (r *rateSampler) mean() float64 {
	var sum float64
	for _, v := range r.samples {
		sum += v
	}
	return sum / float64(len(r.samples))
}

// metricSamplePeriod is how often the rates are sampled, as in Redis.
const metricSamplePeriod = 100 * time.Millisecond

func randomHexID() string {
	var b [20]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// replicationID returns master_replid, making one on first use.
func (st *infoState) replicationID() string {
	if p := st.replID.Load(); p != nil {
		return *p
	}
	id := randomHexID()
	st.replID.CompareAndSwap(nil, &id)
	return *st.replID.Load()
}

// changeReplID gives the server a new replication ID (DEBUG CHANGE-REPL-ID).
func (st *infoState) changeReplID() {
	id := randomHexID()
	st.replID.Store(&id)
}

// statsCron samples the per-second rates and the memory peak; the server's
// cron calls it every tick.
func (s *Server) statsCron() {
	st := &s.info
	used := s.usedMemory()
	if st.startupMem.Load() == 0 {
		st.startupMem.CompareAndSwap(0, used)
	}
	s.notePeak(used)

	now := time.Now()
	st.mu.Lock()
	defer st.mu.Unlock()
	elapsed := now.Sub(st.lastSample)
	// Ticks come every 1/hz; allow for a tick arriving a little early.
	if elapsed < metricSamplePeriod*9/10 {
		return
	}
	ops, in, out := s.stats.totalCommands.load(), s.stats.netInputBytes.load(), s.stats.netOutputBytes.load()
	if !st.lastSample.IsZero() {
		sec := elapsed.Seconds()
		st.ops.add(float64(ops-st.lastOps) / sec)
		st.netIn.add(float64(in-st.lastIn) / sec)
		st.netOut.add(float64(out-st.lastOut) / sec)
	}
	st.lastSample, st.lastOps, st.lastIn, st.lastOut = now, ops, in, out
}

func (s *Server) notePeak(used int64) {
	for {
		p := s.info.peakMem.Load()
		if used <= p || s.info.peakMem.CompareAndSwap(p, used) {
			return
		}
	}
}

// heapFigures are the Go heap's sizes in bytes.
type heapFigures struct {
	objects  int64 // live (and not yet swept) objects: what is allocated
	inUse    int64 // spans holding objects: INFO's used_memory
	resident int64 // heap memory not returned to the OS
}

var heapMetricNames = []string{
	"/memory/classes/heap/objects:bytes",
	"/memory/classes/heap/unused:bytes",
	"/memory/classes/heap/free:bytes",
}

// heapStats reads the heap's sizes without stopping the world.
func heapStats() heapFigures {
	var samples [3]metrics.Sample
	for i, n := range heapMetricNames {
		samples[i].Name = n
	}
	metrics.Read(samples[:])
	v := func(i int) int64 {
		if samples[i].Value.Kind() != metrics.KindUint64 {
			return 0
		}
		return int64(samples[i].Value.Uint64())
	}
	objects, unused, free := v(0), v(1), v(2)
	return heapFigures{objects: objects, inUse: objects + unused, resident: objects + unused + free}
}

// infoSection is one INFO section; def marks those plain INFO shows.
type infoSection struct {
	name  string
	title string
	def   bool
	gen   func(s *Server, g *infoGen)
}

var infoSections = []infoSection{
	{"server", "Server", true, (*Server).infoServer},
	{"clients", "Clients", true, (*Server).infoClients},
	{"memory", "Memory", true, (*Server).infoMemory},
	{"persistence", "Persistence", true, (*Server).infoPersistence},
	{"stats", "Stats", true, (*Server).infoStats},
	{"replication", "Replication", true, (*Server).infoReplication},
	{"cpu", "CPU", true, (*Server).infoCPU},
	{"modules", "Modules", true, func(*Server, *infoGen) {}},
	{"commandstats", "Commandstats", false, (*Server).infoCommandstats},
	{"errorstats", "Errorstats", true, (*Server).infoErrorstats},
	{"latencystats", "Latencystats", false, (*Server).infoLatencystats},
	{"cluster", "Cluster", true, func(_ *Server, g *infoGen) { g.int("cluster_enabled", 0) }},
	{"keyspace", "Keyspace", true, (*Server).infoKeyspace},
	// Petrel's own figures, only for INFO petrel: Redis's sections stay
	// exactly Redis's for the tools that parse them.
	{"petrel", "Petrel", false, (*Server).infoPetrel},
}

// infoPetrel has what Petrel does that Redis does not: scripts that
// touched keys they did not declare and so locked beyond their KEYS.
func (s *Server) infoPetrel(g *infoGen) {
	g.int("scripts_undeclared_keys_fallbacks", s.scripts.fallbacks.Load())
	g.int("scripts_known_to_use_undeclared_keys", int64(s.scripts.nUndecl.Load()))
}

// infoGen accumulates INFO's text.
type infoGen struct {
	b   []byte
	x   *Ctx
	now time.Time
	ks  *keyspaceSummary // computed once, when a section needs it
}

func (g *infoGen) str(k, v string) {
	g.b = append(g.b, k...)
	g.b = append(g.b, ':')
	g.b = append(g.b, v...)
	g.b = append(g.b, '\r', '\n')
}

func (g *infoGen) int(k string, v int64) {
	g.b = append(g.b, k...)
	g.b = append(g.b, ':')
	g.b = strconv.AppendInt(g.b, v, 10)
	g.b = append(g.b, '\r', '\n')
}

// fixed writes v with two decimals, as Redis's "%.2f".
func (g *infoGen) fixed(k string, v float64) { g.str(k, strconv.FormatFloat(v, 'f', 2, 64)) }

// genInfo builds INFO's reply for the requested sections. As in Redis,
// sections come in their fixed order whatever the arguments' order, unknown
// names are ignored, "default" (and no argument) means the default
// sections, and "all" and "everything" mean every section.
func (s *Server) genInfo(x *Ctx, args [][]byte) []byte {
	want := make([]bool, len(infoSections))
	if len(args) == 0 {
		for i, sec := range infoSections {
			want[i] = sec.def
		}
	}
	for _, a := range args {
		name := strings.ToLower(string(a))
		switch name {
		case "default":
			for i, sec := range infoSections {
				want[i] = want[i] || sec.def
			}
		case "all", "everything":
			for i, sec := range infoSections {
				want[i] = want[i] || sec.name != "petrel"
			}
		case "module_list":
			name = "modules"
			fallthrough
		default:
			for i, sec := range infoSections {
				if sec.name == name {
					want[i] = true
				}
			}
		}
	}
	g := &infoGen{x: x, now: time.Now()}
	first := true
	for i, sec := range infoSections {
		if !want[i] {
			continue
		}
		if !first {
			g.b = append(g.b, '\r', '\n')
		}
		first = false
		g.b = append(g.b, "# "...)
		g.b = append(g.b, sec.title...)
		g.b = append(g.b, '\r', '\n')
		sec.gen(s, g)
	}
	return g.b
}

var (
	executableOnce sync.Once
	executablePath string
)

func executable() string {
	executableOnce.Do(func() {
		if p, err := os.Executable(); err == nil {
			executablePath = p
		}
	})
	return executablePath
}

// buildID stands in for Redis's build id: a stable hex number for this
// version.
var buildID = func() string {
	h := sha1.Sum([]byte("petrel " + Version))
	return strconv.FormatUint(binary.BigEndian.Uint64(h[:8]), 16)
}()

func (s *Server) infoServer(g *infoGen) {
	s.cfg.RLock()
	port, hz, cfgFile, supervised := s.cfg.Port, s.cfg.Hz, s.cfg.ConfigFile, s.cfg.Supervised
	s.cfg.RUnlock()
	if supervised != "systemd" && supervised != "upstart" {
		supervised = "no"
	}
	uptime := int64(g.now.Sub(s.clock.base) / time.Second)
	g.str("redis_version", Version)
	g.str("redis_git_sha1", "00000000")
	g.int("redis_git_dirty", 0)
	g.str("redis_build_id", buildID)
	g.str("redis_mode", "standalone")
	g.str("os", osName())
	g.int("arch_bits", strconv.IntSize)
	g.str("monotonic_clock", "POSIX clock_gettime")
	g.str("multiplexing_api", "epoll")
	g.str("atomicvar_api", "c11-builtin")
	g.str("gcc_version", "0.0.0") // not built with GCC
	g.int("process_id", int64(os.Getpid()))
	g.str("process_supervised", supervised)
	g.str("run_id", s.runID)
	g.int("tcp_port", int64(port))
	g.int("server_time_usec", g.now.UnixMicro())
	g.int("uptime_in_seconds", uptime)
	g.int("uptime_in_days", uptime/86400)
	g.int("hz", int64(hz))
	g.int("configured_hz", int64(hz))
	g.int("lru_clock", int64(uint32(g.now.Unix())&(1<<24-1)))
	g.str("executable", executable())
	g.str("config_file", cfgFile)
	g.int("io_threads_active", 0)
}

// clientSummary is what INFO reports about the connected clients.
type clientSummary struct {
	count, blocked         int64
	maxIn, maxOut          int64
	memNormal, memMonitors int64
}

func (s *Server) summarizeClients() clientSummary {
	var cs clientSummary
	for _, c := range s.snapshotClients() {
		cs.count++
		if c.hasFlag(cflagBlocked) {
			cs.blocked++
		}
		sh := &c.shown
		in := sh.qbufCap.Load()
		c.infoMu.Lock()
		out := int64(len(c.async))
		c.infoMu.Unlock()
		cs.maxIn = max(cs.maxIn, in)
		cs.maxOut = max(cs.maxOut, out)
		mem := in + sh.rbs.Load() + sh.multiMem.Load() + out + clientStructSize
		if c.hasFlag(cflagMonitor) {
			cs.memMonitors += mem
		} else {
			cs.memNormal += mem
		}
	}
	return cs
}

func (s *Server) infoClients(g *infoGen) {
	cs := s.summarizeClients()
	g.int("connected_clients", cs.count)
	g.int("cluster_connections", 0)
	g.int("maxclients", s.maxClients.Load())
	g.int("client_recent_max_input_buffer", cs.maxIn)
	g.int("client_recent_max_output_buffer", cs.maxOut)
	g.int("blocked_clients", cs.blocked)
	g.int("tracking_clients", s.tracking.clients.Load())
	g.int("clients_in_timeout_table", s.clientsWithTimeout())
}

// clientsWithTimeout counts the clients blocked with a timeout, Redis's
// timeout table.
func (s *Server) clientsWithTimeout() int64 {
	r := &s.blocked
	r.mu.Lock()
	defer r.mu.Unlock()
	var n int64
	for _, w := range r.byClient {
		if !w.deadline.IsZero() {
			n++
		}
	}
	return n
}

// keyspaceSummary counts keys per database, taken one shard at a time.
type keyspaceSummary struct {
	keys, expires []int64
	ttlSum        []int64
	ttlCount      []int64
	totalKeys     int64
	totalExpires  int64
}

// ttlSamplesPerShard bounds the keys avg_ttl looks at in each shard.
const ttlSamplesPerShard = 16

func (s *Server) summarizeKeyspace(x *Ctx, now int64) *keyspaceSummary {
	n := s.store.NumDBs()
	ks := &keyspaceSummary{keys: make([]int64, n), expires: make([]int64, n),
		ttlSum: make([]int64, n), ttlCount: make([]int64, n)}
	for d := 0; d < n; d++ {
		db := s.store.DB(d)
		for i := 0; i < store.NumShards; i++ {
			// Inside EXEC a LockSelf command finds every shard locked.
			if !x.allLocked {
				db.Shard(i).Lock()
			}
			k, e := db.ShardSize(i)
			var sum int64
			var cnt int
			if e > 0 {
				sum, cnt = db.SampleTTLs(i, now, ttlSamplesPerShard)
			}
			if !x.allLocked {
				db.Shard(i).Unlock()
			}
			ks.keys[d] += int64(k)
			ks.expires[d] += int64(e)
			ks.ttlSum[d] += sum
			ks.ttlCount[d] += int64(cnt)
		}
		ks.totalKeys += ks.keys[d]
		ks.totalExpires += ks.expires[d]
	}
	return ks
}

func (g *infoGen) keyspace(s *Server) *keyspaceSummary {
	if g.ks == nil {
		g.ks = s.summarizeKeyspace(g.x, g.now.UnixMilli())
	}
	return g.ks
}

// bytesToHuman formats a byte count as Redis's INFO does.
func bytesToHuman(n int64) string {
	f := float64(n)
	switch {
	case n < 0:
		return strconv.FormatInt(n, 10) + "B"
	case n < 1<<10:
		return strconv.FormatInt(n, 10) + "B"
	case n < 1<<20:
		return strconv.FormatFloat(f/(1<<10), 'f', 2, 64) + "K"
	case n < 1<<30:
		return strconv.FormatFloat(f/(1<<20), 'f', 2, 64) + "M"
	case n < 1<<40:
		return strconv.FormatFloat(f/(1<<30), 'f', 2, 64) + "G"
	case n < 1<<50:
		return strconv.FormatFloat(f/(1<<40), 'f', 2, 64) + "T"
	case n < 1<<60:
		return strconv.FormatFloat(f/(1<<50), 'f', 2, 64) + "P"
	}
	return strconv.FormatInt(n, 10) + "B"
}

// Per-key bookkeeping beyond the key and value bytes: the entry, its hash
// bucket slot, and for keys with a TTL their slot in the expiry list.
const (
	entryOverhead  = int64(unsafe.Sizeof(store.Entry{})) + 8
	expireOverhead = 16
)

// memorySummary gathers the figures INFO memory and MEMORY STATS share.
type memorySummary struct {
	heap                       heapFigures
	used, peak, startup, rss   int64
	overhead, dataset          int64
	clientsNormal, clientsMons int64
	keysOverhead               int64
	keys                       int64
}

func (s *Server) summarizeMemory(g *infoGen) memorySummary {
	var m memorySummary
	m.heap = heapStats()
	m.used = s.usedMemory()
	s.notePeak(m.used)
	m.peak = s.info.peakMem.Load()
	m.startup = min(s.info.startupMem.Load(), m.used)
	m.rss = residentMemory()
	cs := s.summarizeClients()
	m.clientsNormal, m.clientsMons = cs.memNormal, cs.memMonitors
	ks := g.keyspace(s)
	m.keys = ks.totalKeys
	m.keysOverhead = ks.totalKeys*entryOverhead + ks.totalExpires*expireOverhead
	m.overhead = m.startup + m.clientsNormal + m.clientsMons + m.keysOverhead
	m.dataset = max(0, m.used-m.overhead)
	return m
}

func ratio(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func (s *Server) infoMemory(g *infoGen) {
	m := s.summarizeMemory(g)
	s.cfg.RLock()
	maxmem, policy := int64(s.cfg.MaxMemory), s.cfg.MaxMemoryPolicy
	s.cfg.RUnlock()
	h := m.heap
	g.int("used_memory", m.used)
	g.str("used_memory_human", bytesToHuman(m.used))
	g.int("used_memory_rss", m.rss)
	g.str("used_memory_rss_human", bytesToHuman(m.rss))
	g.int("used_memory_peak", m.peak)
	g.str("used_memory_peak_human", bytesToHuman(m.peak))
	g.str("used_memory_peak_perc", strconv.FormatFloat(ratio(m.used, m.peak)*100, 'f', 2, 64)+"%")
	g.int("used_memory_overhead", m.overhead)
	g.int("used_memory_startup", m.startup)
	g.int("used_memory_dataset", m.dataset)
	g.str("used_memory_dataset_perc", strconv.FormatFloat(ratio(m.dataset, m.used-m.startup)*100, 'f', 2, 64)+"%")
	g.int("allocator_allocated", h.objects)
	g.int("allocator_active", h.inUse)
	g.int("allocator_resident", h.resident)
	g.int("total_system_memory", totalSystemMemory())
	g.str("total_system_memory_human", bytesToHuman(totalSystemMemory()))
	// The Lua interpreters' own memory is Go heap gopher-lua does not
	// account for: the VM fields stay 0; the scripts' sizes are real.
	nScripts, scriptMem := s.scriptMemory()
	g.int("used_memory_lua", 0)
	g.int("used_memory_vm_eval", 0)
	g.str("used_memory_lua_human", "0B")
	g.int("used_memory_scripts_eval", scriptMem)
	g.int("number_of_cached_scripts", int64(nScripts))
	nLibs, nFuncs := s.scripts.engine.Functions().Count()
	funcMem := s.scripts.engine.Functions().Memory()
	g.int("number_of_functions", int64(nFuncs))
	g.int("number_of_libraries", int64(nLibs))
	g.int("used_memory_vm_functions", 0)
	g.int("used_memory_vm_total", 0)
	g.str("used_memory_vm_total_human", "0B")
	g.int("used_memory_functions", funcMem)
	g.int("used_memory_scripts", scriptMem+funcMem)
	g.str("used_memory_scripts_human", bytesToHuman(scriptMem+funcMem))
	g.int("maxmemory", maxmem)
	g.str("maxmemory_human", bytesToHuman(maxmem))
	g.str("maxmemory_policy", policy)
	g.fixed("allocator_frag_ratio", ratio(h.inUse, h.objects))
	g.int("allocator_frag_bytes", h.inUse-h.objects)
	g.fixed("allocator_rss_ratio", ratio(h.resident, h.inUse))
	g.int("allocator_rss_bytes", h.resident-h.inUse)
	g.fixed("rss_overhead_ratio", ratio(m.rss, h.resident))
	g.int("rss_overhead_bytes", m.rss-h.resident)
	g.fixed("mem_fragmentation_ratio", ratio(m.rss, m.used))
	g.int("mem_fragmentation_bytes", m.rss-m.used)
	g.int("mem_not_counted_for_evict", 0)
	g.int("mem_replication_backlog", 0)
	g.int("mem_total_replication_buffers", 0)
	g.int("mem_clients_slaves", m.clientsMons)
	g.int("mem_clients_normal", m.clientsNormal)
	g.int("mem_cluster_links", 0)
	g.int("mem_aof_buffer", 0)
	g.str("mem_allocator", runtime.Version())
	g.int("active_defrag_running", 0)
	g.int("lazyfree_pending_objects", 0)
	g.int("lazyfreed_objects", 0)
}

func (s *Server) infoPersistence(g *infoGen) {
	// Petrel saves and rewrites without forking (snapshot.go).
	g.int("loading", b2i(s.persist.loading.Load()))
	g.int("async_loading", 0)
	g.int("current_cow_peak", 0)
	g.int("current_cow_size", 0)
	g.int("current_cow_size_age", 0)
	g.str("current_fork_perc", "0.00")
	g.int("current_save_keys_processed", 0)
	g.int("current_save_keys_total", 0)
	s.infoPersistenceRDB(g)        // persist.go
	s.infoPersistenceAOF(g, false) // aof_rewrite.go
	g.int("module_fork_in_progress", 0)
	g.int("module_fork_last_cow_size", 0)
	s.infoPersistenceAOF(g, true)
}

func (s *Server) infoStats(g *infoGen) {
	st := &s.info
	st.mu.Lock()
	ops, in, out := st.ops.mean(), st.netIn.mean(), st.netOut.mean()
	st.mu.Unlock()
	g.int("total_connections_received", s.stats.totalConnections.Load())
	g.int("total_commands_processed", s.stats.totalCommands.load())
	g.int("instantaneous_ops_per_sec", int64(ops))
	g.int("total_net_input_bytes", s.stats.netInputBytes.load())
	g.int("total_net_output_bytes", s.stats.netOutputBytes.load())
	g.int("total_net_repl_input_bytes", 0)
	g.int("total_net_repl_output_bytes", 0)
	g.fixed("instantaneous_input_kbps", in/1024)
	g.fixed("instantaneous_output_kbps", out/1024)
	g.str("instantaneous_input_repl_kbps", "0.00")
	g.str("instantaneous_output_repl_kbps", "0.00")
	g.int("rejected_connections", s.stats.rejectedConnections.Load())
	g.int("sync_full", 0)
	g.int("sync_partial_ok", 0)
	g.int("sync_partial_err", 0)
	g.int("expired_keys", s.store.ExpiredKeys.Load())
	g.str("expired_stale_perc", "0.00")
	g.int("expired_time_cap_reached_count", 0)
	g.int("expire_cycle_cpu_milliseconds", 0)
	g.int("evicted_keys", s.evict.evicted.Load())
	g.int("evicted_clients", 0)
	g.int("total_eviction_exceeded_time", 0)
	g.int("current_eviction_exceeded_time", 0)
	g.int("keyspace_hits", s.stats.keyspaceHits.load())
	g.int("keyspace_misses", s.stats.keyspaceMisses.load())
	g.int("pubsub_channels", int64(s.pubsub.NumNames(pubsub.Channels)))
	g.int("pubsub_patterns", int64(s.pubsub.NumNames(pubsub.Patterns)))
	g.int("pubsubshard_channels", int64(s.pubsub.NumNames(pubsub.ShardChannels)))
	g.int("latest_fork_usec", 0)
	g.int("total_forks", 0)
	g.int("migrate_cached_sockets", 0)
	g.int("slave_expires_tracked_keys", 0)
	g.int("active_defrag_hits", 0)
	g.int("active_defrag_misses", 0)
	g.int("active_defrag_key_hits", 0)
	g.int("active_defrag_key_misses", 0)
	g.int("total_active_defrag_time", 0)
	g.int("current_active_defrag_time", 0)
	g.int("tracking_total_keys", s.tracking.keys.Load())
	g.int("tracking_total_items", s.tracking.items.Load())
	g.int("tracking_total_prefixes", int64(s.trackingPrefixCount()))
	g.int("unexpected_error_replies", 0)
	g.int("total_error_replies", s.stats.totalErrorReplies.Load())
	g.int("dump_payload_sanitizations", 0)
	g.int("total_reads_processed", s.stats.reads.load())
	g.int("total_writes_processed", s.stats.writes.load())
	g.int("io_threaded_reads_processed", 0)
	g.int("io_threaded_writes_processed", 0)
	g.int("reply_buffer_shrinks", 0)
	g.int("reply_buffer_expands", 0)
}

func (s *Server) infoReplication(g *infoGen) {
	g.str("role", "master")
	g.int("connected_slaves", 0)
	g.str("master_failover_state", "no-failover")
	g.str("master_replid", s.info.replicationID())
	g.str("master_replid2", "0000000000000000000000000000000000000000")
	g.int("master_repl_offset", 0)
	g.int("second_repl_offset", -1)
	g.int("repl_backlog_active", 0)
	g.int("repl_backlog_size", s.cfg.GetInt("repl-backlog-size"))
	g.int("repl_backlog_first_byte_offset", 0)
	g.int("repl_backlog_histlen", 0)
}

// appendSecUsec formats microseconds as Redis's "%ld.%06ld" seconds.
func appendSecUsec(dst []byte, us int64) []byte {
	dst = strconv.AppendInt(dst, us/1e6, 10)
	dst = append(dst, '.')
	frac := strconv.FormatInt(us%1e6, 10)
	for i := len(frac); i < 6; i++ {
		dst = append(dst, '0')
	}
	return append(dst, frac...)
}

func (s *Server) infoCPU(g *infoGen) {
	sys, user, csys, cuser := cpuTimes()
	sec := func(k string, us int64) { g.str(k, string(appendSecUsec(nil, us))) }
	sec("used_cpu_sys", sys)
	sec("used_cpu_user", user)
	sec("used_cpu_sys_children", csys)
	sec("used_cpu_user_children", cuser)
	// Petrel has no main thread: its goroutines share the process's time.
	sec("used_cpu_sys_main_thread", sys)
	sec("used_cpu_user_main_thread", user)
}

// allCommandsSorted lists every command and subcommand by full name: the
// ones that run (containers with a handler of their own included).
func (s *Server) allCommandsSorted() []*Command {
	var out []*Command
	for _, c := range s.cmds {
		if c.Handler != nil {
			out = append(out, c)
		}
		for _, sc := range c.Subcommands {
			out = append(out, sc)
		}
	}
	slices.SortFunc(out, func(a, b *Command) int { return strings.Compare(a.Name, b.Name) })
	return out
}

func (s *Server) infoCommandstats(g *infoGen) {
	for _, c := range s.allCommandsSorted() {
		st := c.stats
		calls, usec, rejected, failed := st.totals()
		if calls == 0 && rejected == 0 && failed == 0 {
			continue
		}
		perCall := 0.0
		if calls > 0 {
			perCall = float64(usec) / float64(calls)
		}
		b := g.b
		b = append(b, "cmdstat_"...)
		b = append(b, c.Name...)
		b = append(b, ":calls="...)
		b = strconv.AppendInt(b, calls, 10)
		b = append(b, ",usec="...)
		b = strconv.AppendInt(b, usec, 10)
		b = append(b, ",usec_per_call="...)
		b = strconv.AppendFloat(b, perCall, 'f', 2, 64)
		b = append(b, ",rejected_calls="...)
		b = strconv.AppendInt(b, rejected, 10)
		b = append(b, ",failed_calls="...)
		b = strconv.AppendInt(b, failed, 10)
		g.b = append(b, '\r', '\n')
	}
}

func (s *Server) infoErrorstats(g *infoGen) {
	s.stats.errorsMu.Lock()
	codes := make([]string, 0, len(s.stats.errors))
	for code := range s.stats.errors {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	for _, code := range codes {
		g.str("errorstat_"+code, "count="+strconv.FormatInt(s.stats.errors[code], 10))
	}
	s.stats.errorsMu.Unlock()
}

// defaultLatencyPercentiles is latency-tracking-info-percentiles' default.
var defaultLatencyPercentiles = []float64{50, 99, 99.9}

func (s *Server) latencyPercentiles() []float64 {
	s.cfg.RLock()
	defer s.cfg.RUnlock()
	if s.cfg.LatencyTrackingInfoPercentiles == nil {
		return defaultLatencyPercentiles
	}
	return slices.Clone(s.cfg.LatencyTrackingInfoPercentiles)
}

func (s *Server) infoLatencystats(g *infoGen) {
	pcts := s.latencyPercentiles()
	for _, c := range s.allCommandsSorted() {
		if c.stats.hist.total() == 0 {
			continue
		}
		b := append(g.b, "latency_percentiles_usec_"...)
		b = append(b, c.Name...)
		b = append(b, ':')
		for i, p := range pcts {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, 'p')
			b = strconv.AppendFloat(b, p, 'f', -1, 64)
			b = append(b, '=')
			b = strconv.AppendFloat(b, c.stats.hist.percentile(p), 'f', 3, 64)
		}
		g.b = append(b, '\r', '\n')
	}
}

func (s *Server) infoKeyspace(g *infoGen) {
	ks := g.keyspace(s)
	for d := range ks.keys {
		if ks.keys[d] == 0 {
			continue
		}
		var avg int64
		if ks.ttlCount[d] > 0 {
			avg = ks.ttlSum[d] / ks.ttlCount[d]
		}
		b := append(g.b, "db"...)
		b = strconv.AppendInt(b, int64(d), 10)
		b = append(b, ":keys="...)
		b = strconv.AppendInt(b, ks.keys[d], 10)
		b = append(b, ",expires="...)
		b = strconv.AppendInt(b, ks.expires[d], 10)
		b = append(b, ",avg_ttl="...)
		b = strconv.AppendInt(b, avg, 10)
		g.b = append(b, '\r', '\n')
	}
}
