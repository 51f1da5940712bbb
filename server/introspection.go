package server

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"petrel/internal/num"
	"petrel/store"
)

// SLOWLOG, LATENCY and MEMORY.

// SLOWLOG.

var slowlogHelp = []string{
	"SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"GET [<count>]",
	"    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
	"    Entries are made of:",
	"    id, timestamp, time in microseconds, arguments array, client IP and port,",
	"    client name",
	"LEN",
	"    Return the length of the slowlog.",
	"RESET",
	"    Reset the slowlog.",
	"HELP",
	"    Prints this help.",
}

func cmdSlowlogHelp(x *Ctx) { writeHelp(x, slowlogHelp) }

func cmdSlowlogGet(x *Ctx) {
	if len(x.Args) > 3 {
		subcommandSyntaxError(x)
		return
	}
	count := int64(10)
	if len(x.Args) == 3 {
		n, ok := num.ParseInt(x.Args[2])
		if !ok || n < -1 {
			x.Error("ERR count should be greater than or equal to -1")
			return
		}
		count = n
	}
	l := &x.s.slowlog
	l.mu.Lock()
	entries := l.entries
	if count >= 0 && int64(len(entries)) > count {
		entries = entries[:count]
	}
	// Entries are never changed once logged, so a copy of the slice is
	// enough to write them without the lock.
	entries = slices.Clone(entries)
	l.mu.Unlock()
	w := x.W
	w.WriteArrayLen(len(entries))
	for _, e := range entries {
		w.WriteArrayLen(6)
		w.WriteInt(e.id)
		w.WriteInt(e.at)
		w.WriteInt(e.usec)
		w.WriteStringArray(e.args)
		w.WriteBulkString(e.peer)
		w.WriteBulkString(e.name)
	}
}

func cmdSlowlogLen(x *Ctx) {
	l := &x.s.slowlog
	l.mu.Lock()
	n := len(l.entries)
	l.mu.Unlock()
	x.W.WriteInt(int64(n))
}

func cmdSlowlogReset(x *Ctx) {
	x.s.slowlog.reset()
	x.W.WriteOK()
}

// LATENCY.

var latencyHelp = []string{
	"LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"DOCTOR",
	"    Return a human readable latency analysis report.",
	"GRAPH <event>",
	"    Return an ASCII latency graph for the <event> class.",
	"HISTORY <event>",
	"    Return time-latency samples for the <event> class.",
	"LATEST",
	"    Return the latest latency samples for all events.",
	"RESET [<event> ...]",
	"    Reset latency data of one or more <event> classes.",
	"    (default: reset all data for all event classes)",
	"HISTOGRAM [COMMAND ...]",
	"    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
	"    If no commands are specified then all histograms are replied.",
	"HELP",
	"    Prints this help.",
}

func cmdLatencyHelp(x *Ctx) { writeHelp(x, latencyHelp) }

func cmdLatencyLatest(x *Ctx) {
	events := x.s.latency.snapshot()
	w := x.W
	w.WriteArrayLen(len(events))
	for _, ev := range events {
		last := ev.samples[len(ev.samples)-1]
		w.WriteArrayLen(4)
		w.WriteBulkString(ev.name)
		w.WriteInt(last.at)
		w.WriteInt(last.ms)
		w.WriteInt(ev.max)
	}
}

func cmdLatencyHistory(x *Ctx) {
	ev, ok := x.s.latency.event(string(x.Args[2]))
	if !ok {
		x.W.WriteArrayLen(0)
		return
	}
	w := x.W
	w.WriteArrayLen(len(ev.samples))
	for _, smp := range ev.samples {
		w.WriteArrayLen(2)
		w.WriteInt(smp.at)
		w.WriteInt(smp.ms)
	}
}

func cmdLatencyReset(x *Ctx) {
	names := make([]string, len(x.Args)-2)
	for i, a := range x.Args[2:] {
		names[i] = string(a)
	}
	x.W.WriteInt(int64(x.s.latency.reset(names)))
}

func cmdLatencyGraph(x *Ctx) {
	name := string(x.Args[2])
	ev, ok := x.s.latency.event(name)
	if !ok {
		x.Errorf("ERR No samples available for event '%s'", name)
		return
	}
	x.W.WriteVerbatim("txt", latencyGraph(name, ev, time.Now().Unix()))
}

// latencyGraphCols is the graph's width: one column per sample, wrapped.
const latencyGraphCols = 80

// latencyGraph draws an event's samples as Redis's LATENCY GRAPH does: a
// four-row filled sparkline scaled between the lowest and highest sample,
// one column per sample, with how long ago each sample was taken written
// vertically below it.
func latencyGraph(name string, ev latencyEventView, now int64) []byte {
	lo, hi := ev.samples[0].ms, ev.samples[0].ms
	for _, s := range ev.samples {
		lo, hi = min(lo, s.ms), max(hi, s.ms)
	}
	out := fmt.Appendf(nil, "%s - high %d ms, low %d ms (all time high %d ms)\n", name, hi, lo, ev.max)
	out = append(out, strings.Repeat("-", latencyGraphCols)...)
	out = append(out, '\n')
	values := make([]int64, len(ev.samples))
	labels := make([]string, len(ev.samples))
	for i, s := range ev.samples {
		values[i] = s.ms
		labels[i] = agoLabel(now - s.at)
	}
	for start := 0; start < len(values); start += latencyGraphCols {
		if start > 0 {
			out = append(out, '\n')
		}
		end := min(start+latencyGraphCols, len(values))
		out = appendSparkline(out, values[start:end], labels[start:end], lo, hi)
	}
	return out
}

// agoLabel names an age in the largest whole unit: 5s, 3m, 2h, 1d.
func agoLabel(sec int64) string {
	switch {
	case sec < 60:
		return strconv.FormatInt(sec, 10) + "s"
	case sec < 3600:
		return strconv.FormatInt(sec/60, 10) + "m"
	case sec < 86400:
		return strconv.FormatInt(sec/3600, 10) + "h"
	}
	return strconv.FormatInt(sec/86400, 10) + "d"
}

const (
	sparkRows = 4
	sparkFill = "_o#" // levels within a row, lowest first; '|' fills below
)

// appendSparkline renders values as rows of characters: each row spans
// three levels of the value's range, rows below a column's top are filled
// with '|', then a blank row and the labels, one character per row.
func appendSparkline(out []byte, values []int64, labels []string, lo, hi int64) []byte {
	steps := int64(sparkRows * len(sparkFill))
	span := hi - lo
	if span == 0 {
		span = 1
	}
	level := make([]int64, len(values))
	for i, v := range values {
		level[i] = min(max((v-lo)*steps/span, 0), steps-1)
	}
	row := make([]byte, len(values))
	for r := 0; r < sparkRows; r++ {
		base := int64((sparkRows - 1 - r) * len(sparkFill))
		for i, l := range level {
			switch k := l - base; {
			case k < 0:
				row[i] = ' '
			case k < int64(len(sparkFill)):
				row[i] = sparkFill[k]
			default:
				row[i] = '|'
			}
		}
		out = append(append(out, row...), '\n')
	}
	longest := 0
	for _, l := range labels {
		longest = max(longest, len(l))
	}
	if longest == 0 {
		return out
	}
	for i := range row {
		row[i] = ' '
	}
	out = append(append(out, row...), '\n')
	for k := 0; k < longest; k++ {
		for i, l := range labels {
			row[i] = ' '
			if k < len(l) {
				row[i] = l[k]
			}
		}
		out = append(append(out, row...), '\n')
	}
	return out
}

func cmdLatencyDoctor(x *Ctx) {
	x.W.WriteVerbatim("txt", x.s.latencyReport(time.Now().Unix()))
}

// latencyReport is LATENCY DOCTOR's analysis: per event, how many spikes,
// their average and mean deviation, how often they came and the worst one,
// then advice that depends on which events were seen.
func (s *Server) latencyReport(now int64) []byte {
	events := s.latency.snapshot()
	s.cfg.RLock()
	threshold := s.cfg.LatencyMonitorThreshold
	slowerThan, slowMax := s.cfg.SlowlogLogSlowerThan, s.cfg.SlowlogMaxLen
	s.cfg.RUnlock()
	if len(events) == 0 && threshold == 0 {
		return []byte("I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n")
	}
	var out []byte
	var slowlogOff, slowlogHigh, slowCommands, slowFast bool
	for i, ev := range events {
		if i == 0 {
			out = append(out, "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n"...)
		}
		n := int64(len(ev.samples))
		var sum int64
		oldest := ev.samples[0].at
		for _, smp := range ev.samples {
			sum += smp.ms
			oldest = min(oldest, smp.at)
		}
		avg := sum / n
		var dev int64
		for _, smp := range ev.samples {
			d := avg - smp.ms
			if d < 0 {
				d = -d
			}
			dev += d
		}
		period := max(now-oldest, 1)
		out = fmt.Appendf(out, "%d. %s: %d latency spikes (average %dms, mean deviation %dms, period %.2f sec). Worst all time event %dms.",
			i+1, ev.name, n, avg, dev/n, float64(period)/float64(n), ev.max)
		switch ev.name {
		case "command":
			if slowerThan < 0 || slowMax == 0 {
				slowlogOff = true
			} else if slowerThan/1000 > threshold {
				slowlogHigh = true
			}
			slowCommands = true
		case "fast-command":
			slowFast = true
		}
		out = append(out, '\n')
	}
	if !slowlogOff && !slowlogHigh && !slowCommands && !slowFast {
		if len(events) == 0 {
			return append(out, "Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n"...)
		}
		return append(out, "\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n"...)
	}
	out = append(out, "\nI have a few advices for you:\n\n"...)
	if slowlogOff {
		out = fmt.Appendf(out, "- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than %d'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n", threshold*1000)
	}
	if slowlogHigh {
		out = fmt.Appendf(out, "- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than %d'.\n", threshold*1000)
	}
	if slowCommands {
		out = append(out, "- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n"...)
	}
	if slowFast {
		out = append(out, "- Commands that should take constant time were slow, which usually means the server did not get the CPU time it needed. You should try to:\n"+
			"  1) Lower the system load.\n"+
			"  2) Run the server on a computer / VM of its own if other software shares the system.\n"+
			"  3) Check if you have a \"noisy neighbour\" problem.\n"+
			"  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n"...)
	}
	if slowCommands {
		out = append(out, "- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n"...)
	}
	return out
}

// LATENCY HISTOGRAM reports each command's latencies as cumulative counts
// at power-of-two bounds from 1024ns, the shape Redis's HDR histograms give.

// latencyHistogramMaxStep is the bucket holding one second, beyond which
// Redis's histograms clamp.
const latencyHistogramMaxStep = 20

func cmdLatencyHistogram(x *Ctx) {
	var cmds []*Command
	add := func(c *Command) {
		if c.stats.hist.total() > 0 {
			cmds = append(cmds, c)
		}
	}
	if len(x.Args) == 2 {
		for _, c := range x.s.allCommandsSorted() {
			add(c)
		}
	} else {
		for _, a := range x.Args[2:] {
			c := x.s.lookupFullName(a)
			if c == nil {
				continue
			}
			if c.Handler != nil {
				add(c)
			}
			subs := make([]*Command, 0, len(c.Subcommands))
			for _, sc := range c.Subcommands {
				subs = append(subs, sc)
			}
			slices.SortFunc(subs, func(a, b *Command) int { return strings.Compare(a.Name, b.Name) })
			for _, sc := range subs {
				add(sc)
			}
		}
	}
	w := x.W
	w.WriteMapLen(len(cmds))
	var buckets []histBucket
	for _, c := range cmds {
		buckets = c.stats.hist.powerOfTwoBuckets(buckets[:0])
		w.WriteBulkString(c.Name)
		w.WriteMapLen(2)
		w.WriteBulkString("calls")
		w.WriteInt(c.stats.hist.total())
		w.WriteBulkString("histogram_usec")
		w.WriteMapLen(len(buckets))
		for _, b := range buckets {
			w.WriteInt(b.usec)
			w.WriteInt(b.cumulative)
		}
	}
}

// lookupFullName finds a command by its full name, "get" or "config|get",
// in any case.
func (s *Server) lookupFullName(name []byte) *Command {
	n := strings.ToLower(string(name))
	parent, sub, isSub := strings.Cut(n, "|")
	c := s.cmds[parent]
	if c == nil || !isSub {
		return c
	}
	return c.Subcommands[sub]
}

type histBucket struct{ usec, cumulative int64 }

// powerOfTwoBuckets returns, for each bound 1024ns·2^k where the count
// grows, the bound (in microseconds, as Redis reports the top of its bucket)
// and how many durations were at most that long.
func (h *latencyHist) powerOfTwoBuckets(dst []histBucket) []histBucket {
	total := h.total()
	var cum, prev int64
	next := 0 // first histogram slot not yet counted
	for k := 0; cum < total; k++ {
		limit := len(h.counts)
		if k < latencyHistogramMaxStep {
			limit = (10 + k) * 16 // slots of durations below 2^(10+k) ns
		}
		for ; next < limit; next++ {
			cum += h.counts[next].Load()
		}
		if cum > prev {
			bound := int64(1024) << k
			dst = append(dst, histBucket{usec: (bound + bound/128 - 1) / 1000, cumulative: cum})
		}
		prev = cum
		if k >= latencyHistogramMaxStep {
			break
		}
	}
	return dst
}

// MEMORY.

var memoryHelp = []string{
	"MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"DOCTOR",
	"    Return memory problems reports.",
	"MALLOC-STATS",
	"    Return internal statistics report from the memory allocator.",
	"PURGE",
	"    Attempt to purge dirty pages for reclamation by the allocator.",
	"STATS",
	"    Return information about the memory usage of the server.",
	"USAGE <key> [SAMPLES <count>]",
	"    Return memory in bytes used by <key> and its value. Nested values are",
	"    sampled up to <count> times (default: 5, 0 means sample all).",
	"HELP",
	"    Prints this help.",
}

func cmdMemoryHelp(x *Ctx) { writeHelp(x, memoryHelp) }

// memoryUsager lets a value type report its own size for MEMORY USAGE,
// looking at up to samples nested elements (0: all).
type memoryUsager interface {
	MemoryUsage(samples int) int64
}

// defaultMemorySamples is MEMORY USAGE's default SAMPLES.
const defaultMemorySamples = 5

func cmdMemoryUsage(x *Ctx) {
	samples := int64(defaultMemorySamples)
	for j := 3; j < len(x.Args); j++ {
		if strings.EqualFold(string(x.Args[j]), "samples") && j+1 < len(x.Args) {
			n, ok := nonNegativeArg(x, x.Args[j+1], ErrNotInt, ErrSyntax)
			if !ok {
				return
			}
			samples = n
			j++
			continue
		}
		x.Error(ErrSyntax)
		return
	}
	e := x.DB.Lookup(x.Args[2], x.Now)
	if e == nil {
		x.W.WriteNull()
		return
	}
	x.W.WriteInt(entryMemory(x.DB, e, int(samples)))
}

// entryMemory estimates the bytes a key costs: its entry and hash slot, the
// allocation holding the key (and a string value), a TTL's slot, and a
// non-string value's own estimate.
func entryMemory(db *store.DB, e *store.Entry, samples int) int64 {
	n := entryOverhead
	kv := len(e.Key())
	if e.IsString() {
		kv += len(e.Str())
	}
	n += allocSize(int64(kv))
	if db.ExpireAt(e) != 0 {
		n += expireOverhead
	}
	if !e.IsString() {
		n += valueMemory(e.Obj(), samples)
	}
	return n
}

// valueMemory estimates a non-string value's size: its own report if it
// gives one, else its elements, extrapolated from the first samples ones.
func valueMemory(v any, samples int) int64 {
	if mu, ok := v.(memoryUsager); ok {
		return mu.MemoryUsage(samples)
	}
	de, ok := v.(digestElements)
	if !ok {
		return 0
	}
	const perElement = 16 // the element's slot in its container
	var count, sampled, bytes int64
	de.DigestEach(func(parts ...[]byte) {
		count++
		if samples > 0 && sampled >= int64(samples) {
			return
		}
		sampled++
		bytes += perElement
		for _, p := range parts {
			bytes += allocSize(int64(len(p)))
		}
	})
	if sampled == 0 {
		return 0
	}
	return bytes * count / sampled
}

// goSizeClasses are the Go allocator's small object size classes.
var goSizeClasses = []int64{8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256,
	288, 320, 352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408, 1536, 1792, 2048,
	2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472, 9728, 10240, 10880,
	12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768}

// allocSize is what the Go allocator hands out for a request of n bytes.
func allocSize(n int64) int64 {
	if n <= 0 {
		return 0
	}
	if i, _ := slices.BinarySearch(goSizeClasses, n); i < len(goSizeClasses) {
		return goSizeClasses[i]
	}
	const page = 8192
	return (n + page - 1) / page * page
}

func cmdMemoryStats(x *Ctx) {
	s := x.s
	g := &infoGen{x: x, now: time.Now()}
	m := s.summarizeMemory(g)
	ks := g.keyspace(s)
	h := m.heap
	netUsage := max(m.used-m.startup, 0)
	var perKey int64
	if m.keys > 0 {
		perKey = netUsage / m.keys
	}
	var dbs []int
	for d, n := range ks.keys {
		if n > 0 {
			dbs = append(dbs, d)
		}
	}
	w := x.W
	w.WriteMapLen(27 + len(dbs))
	pair := func(k string, v int64) {
		w.WriteBulkString(k)
		w.WriteInt(v)
	}
	double := func(k string, v float64) {
		w.WriteBulkString(k)
		w.WriteDouble(v)
	}
	pair("peak.allocated", m.peak)
	pair("total.allocated", m.used)
	pair("startup.allocated", m.startup)
	pair("replication.backlog", 0)
	pair("clients.slaves", m.clientsMons)
	pair("clients.normal", m.clientsNormal)
	pair("cluster.links", 0)
	pair("aof.buffer", 0)
	pair("lua.caches", 0)
	pair("functions.caches", 0)
	for _, d := range dbs {
		w.WriteBulkString("db." + strconv.Itoa(d))
		w.WriteMapLen(3)
		pair("overhead.hashtable.main", ks.keys[d]*entryOverhead)
		pair("overhead.hashtable.expires", ks.expires[d]*expireOverhead)
		pair("overhead.hashtable.slot-to-keys", 0)
	}
	pair("overhead.total", m.overhead)
	pair("keys.count", m.keys)
	pair("keys.bytes-per-key", perKey)
	pair("dataset.bytes", m.dataset)
	double("dataset.percentage", ratio(m.dataset, netUsage)*100)
	double("peak.percentage", ratio(m.used, m.peak)*100)
	pair("allocator.allocated", h.objects)
	pair("allocator.active", h.inUse)
	pair("allocator.resident", h.resident)
	double("allocator-fragmentation.ratio", ratio(h.inUse, h.objects))
	pair("allocator-fragmentation.bytes", h.inUse-h.objects)
	double("allocator-rss.ratio", ratio(h.resident, h.inUse))
	pair("allocator-rss.bytes", h.resident-h.inUse)
	double("rss-overhead.ratio", ratio(m.rss, h.resident))
	pair("rss-overhead.bytes", m.rss-h.resident)
	double("fragmentation", ratio(m.rss, m.used))
	pair("fragmentation.bytes", m.rss-m.used)
}

// Thresholds of MEMORY DOCTOR's checks, as in Redis.
const (
	doctorMinMemory      = 5 << 20   // below this there is nothing to say
	doctorPeakRatio      = 1.5       // peak this far above the current use
	doctorFragRatio      = 1.4       // RSS this far above the heap in use...
	doctorFragBytes      = 10 << 20  // ...and by at least this much
	doctorClientBufBytes = 200 << 10 // average per-client buffers
)

func cmdMemoryDoctor(x *Ctx) {
	s := x.s
	g := &infoGen{x: x, now: time.Now()}
	m := s.summarizeMemory(g)
	if m.used < doctorMinMemory {
		x.W.WriteVerbatim("txt", []byte("Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n"))
		return
	}
	var issues []string
	if float64(m.peak) > float64(m.used)*doctorPeakRatio {
		issues = append(issues, " * Peak memory: In the past this instance used more than 150% the memory that is currently using. The allocator is normally not able to release memory after a peak, so you can expect to see a big fragmentation ratio, however this is actually harmless and is only due to the memory peak, and if the Redis instance Resident Set Size (RSS) is currently bigger than expected, the memory will be used as soon as you fill the Redis instance with more data. If the memory peak was only occasional and you want to try to reclaim memory, please try the MEMORY PURGE command, otherwise the only other option is to shutdown and restart the instance.\n\n")
	}
	if ratio(m.rss, m.used) > doctorFragRatio && m.rss-m.used > doctorFragBytes {
		issues = append(issues, fmt.Sprintf(" * High total RSS: This instance has a memory fragmentation and RSS overhead greater than 1.4 (this means that the Resident Set Size of the process is much larger than the heap the server uses: %s against %s). MEMORY PURGE returns unused heap pages to the operating system and may lower it.\n\n",
			bytesToHuman(m.rss), bytesToHuman(m.used)))
	}
	if n := int64(len(s.snapshotClients())); n > 0 && m.clientsNormal/n > doctorClientBufBytes {
		issues = append(issues, " * Big client buffers: The clients output buffers are in general too big; each client uses more than 200k on average. This may result from different causes, like Pub/Sub clients subscribed to channels but not receiving data fast enough, so that data piles on the output buffer, or clients sending commands with large replies or very large sequences of commands in the same pipeline. Please use the CLIENT LIST command in order to investigate the issue if it causes problems in your instance, or to understand better why certain clients are using a big amount of memory.\n\n")
	}
	if len(issues) == 0 {
		x.W.WriteVerbatim("txt", []byte("Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n"))
		return
	}
	out := []byte("Sam, I detected a few issues in this Redis instance memory implants:\n\n")
	for _, is := range issues {
		out = append(out, is...)
	}
	out = append(out, "I'm here to keep you safe, Sam. I want to help you.\n"...)
	x.W.WriteVerbatim("txt", out)
}

// cmdMemoryMallocStats reports the Go allocator's statistics, as Redis
// reports its allocator's.
func cmdMemoryMallocStats(x *Ctx) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	var b strings.Builder
	fmt.Fprintf(&b, "___ Begin Go allocator statistics (%s) ___\n", runtime.Version())
	line := func(name string, v uint64) { fmt.Fprintf(&b, "%-16s %d\n", name+":", v) }
	line("Sys", ms.Sys)
	line("HeapAlloc", ms.HeapAlloc)
	line("HeapSys", ms.HeapSys)
	line("HeapIdle", ms.HeapIdle)
	line("HeapInuse", ms.HeapInuse)
	line("HeapReleased", ms.HeapReleased)
	line("HeapObjects", ms.HeapObjects)
	line("TotalAlloc", ms.TotalAlloc)
	line("Mallocs", ms.Mallocs)
	line("Frees", ms.Frees)
	line("StackInuse", ms.StackInuse)
	line("StackSys", ms.StackSys)
	line("MSpanInuse", ms.MSpanInuse)
	line("MCacheInuse", ms.MCacheInuse)
	line("GCSys", ms.GCSys)
	line("OtherSys", ms.OtherSys)
	line("NextGC", ms.NextGC)
	line("NumGC", uint64(ms.NumGC))
	line("PauseTotalNs", ms.PauseTotalNs)
	b.WriteString("Size classes (size: mallocs, frees):\n")
	for _, c := range ms.BySize {
		if c.Mallocs > 0 {
			fmt.Fprintf(&b, "  %6d: %d, %d\n", c.Size, c.Mallocs, c.Frees)
		}
	}
	b.WriteString("___ End Go allocator statistics ___\n")
	x.W.WriteVerbatim("txt", []byte(b.String()))
}

func cmdMemoryPurge(x *Ctx) {
	debug.FreeOSMemory()
	x.W.WriteOK()
}
