package server

import (
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"petrel/config"
)

func TestSlowlogHelpAndErrors(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"SLOWLOG", "HELP"}, "*12\r\n+SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+GET [<count>]\r\n+    Return top <count> entries from the slowlog (default: 10, -1 mean all).\r\n+    Entries are made of:\r\n+    id, timestamp, time in microseconds, arguments array, client IP and port,\r\n+    client name\r\n+LEN\r\n+    Return the length of the slowlog.\r\n+RESET\r\n+    Reset the slowlog.\r\n+HELP\r\n+    Prints this help.\r\n"},
		{[]string{"SLOWLOG"}, "-ERR wrong number of arguments for 'slowlog' command\r\n"},
		{[]string{"SLOWLOG", "bogus"}, "-ERR unknown subcommand 'bogus'. Try SLOWLOG HELP.\r\n"},
		{[]string{"SLOWLOG", "GET", "x"}, "-ERR count should be greater than or equal to -1\r\n"},
		{[]string{"SLOWLOG", "GET", "-2"}, "-ERR count should be greater than or equal to -1\r\n"},
		{[]string{"SLOWLOG", "get", "1", "2"}, "-ERR unknown subcommand or wrong number of arguments for 'get'. Try SLOWLOG HELP.\r\n"},
		{[]string{"SLOWLOG", "LEN", "x"}, "-ERR wrong number of arguments for 'slowlog|len' command\r\n"},
		{[]string{"SLOWLOG", "GET", "-1"}, "*0\r\n"},
		{[]string{"SLOWLOG", "LEN"}, ":0\r\n"},
		{[]string{"SLOWLOG", "RESET"}, "+OK\r\n"},
	})
}

func TestSlowlogEntries(t *testing.T) {
	s := startTestServer(t, func(cfg *config.Config) { cfg.SlowlogLogSlowerThan = 0 })
	c := dialRaw(t, s)
	c.Do("SLOWLOG", "RESET")
	c.Do("CLIENT", "SETNAME", "nm")
	c.Do("SET", "foo", "bar")
	got := c.Do("SLOWLOG", "GET", "2")
	peer := regexp.QuoteMeta(c.conn.LocalAddr().String())
	entry := func(id string, args ...string) string {
		var b strings.Builder
		b.WriteString(`\*6\r\n:` + id + `\r\n:\d{10}\r\n:\d+\r\n\*` + itoa(int64(len(args))) + `\r\n`)
		for _, a := range args {
			b.WriteString(`\$` + itoa(int64(len(a))) + `\r\n` + regexp.QuoteMeta(a) + `\r\n`)
		}
		b.WriteString(`\$\d+\r\n` + peer + `\r\n\$2\r\nnm\r\n`)
		return b.String()
	}
	// Newest first; ids keep counting across RESET (which was entry 0).
	want := `^\*2\r\n` + entry("2", "SET", "foo", "bar") + entry("1", "CLIENT", "SETNAME", "nm") + `$`
	if !regexp.MustCompile(want).MatchString(got) {
		t.Errorf("SLOWLOG GET 2: %q", got)
	}
	runCases(t, c, []replyCase{
		{[]string{"SLOWLOG", "LEN"}, ":4\r\n"},
		{[]string{"SLOWLOG", "GET", "0"}, "*0\r\n"},
		{[]string{"SLOWLOG", "RESET"}, "+OK\r\n"},
		{[]string{"SLOWLOG", "LEN"}, ":1\r\n"}, // the RESET itself
	})
	long := strings.Repeat("x", 200)
	args := []string{"ECHO", long}
	c.Do(args...)
	got = c.Do("SLOWLOG", "GET", "1")
	if !strings.Contains(got, "$147\r\n"+strings.Repeat("x", 128)+"... (72 more bytes)\r\n") {
		t.Errorf("long argument not cut as Redis does: %q", got)
	}
}

// A script's commands are logged under the address Redis gives a client
// without a connection, "?:0", and no name.
func TestSlowlogShowsScriptCommandsWithoutAnAddress(t *testing.T) {
	s := startTestServer(t, func(cfg *config.Config) { cfg.SlowlogLogSlowerThan = 0 })
	c := dialRaw(t, s)
	c.Do("SLOWLOG", "RESET")
	c.Do("EVAL", "return redis.call('set','k','1')", "0")
	got := c.Do("SLOWLOG", "GET", "10")
	if want := "*3\r\n$3\r\nset\r\n$1\r\nk\r\n$1\r\n1\r\n$3\r\n?:0\r\n$0\r\n\r\n"; !strings.Contains(got, want) {
		t.Errorf("SLOWLOG GET after EVAL: %q, want the SET's entry ending %q", got, want)
	}
}

func TestLatencyHelpAndErrors(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"LATENCY", "HELP"}, "*17\r\n+LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+DOCTOR\r\n+    Return a human readable latency analysis report.\r\n+GRAPH <event>\r\n+    Return an ASCII latency graph for the <event> class.\r\n+HISTORY <event>\r\n+    Return time-latency samples for the <event> class.\r\n+LATEST\r\n+    Return the latest latency samples for all events.\r\n+RESET [<event> ...]\r\n+    Reset latency data of one or more <event> classes.\r\n+    (default: reset all data for all event classes)\r\n+HISTOGRAM [COMMAND ...]\r\n+    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.\r\n+    If no commands are specified then all histograms are replied.\r\n+HELP\r\n+    Prints this help.\r\n"},
		{[]string{"LATENCY", "bogus"}, "-ERR unknown subcommand 'bogus'. Try LATENCY HELP.\r\n"},
		{[]string{"LATENCY", "HISTORY"}, "-ERR wrong number of arguments for 'latency|history' command\r\n"},
		{[]string{"LATENCY", "LATEST"}, "*0\r\n"},
		{[]string{"LATENCY", "HISTORY", "command"}, "*0\r\n"},
		{[]string{"LATENCY", "RESET"}, ":0\r\n"},
		{[]string{"LATENCY", "RESET", "a", "b"}, ":0\r\n"},
		{[]string{"LATENCY", "GRAPH", "command"}, "-ERR No samples available for event 'command'\r\n"},
		{[]string{"LATENCY", "DOCTOR"}, "$288\r\nI'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n\r\n"},
		{[]string{"LATENCY", "HISTOGRAM", "nosuch"}, "*0\r\n"},
	})
}

func TestLatencyMonitorEvents(t *testing.T) {
	s := startTestServer(t, debugEnabled, func(cfg *config.Config) { cfg.LatencyMonitorThreshold = 10 })
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"LATENCY", "DOCTOR"}, "$196\r\nDave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n\r\n"},
		{[]string{"DEBUG", "SLEEP", "0.02"}, "+OK\r\n"},
	})
	latest := c.Do("LATENCY", "LATEST")
	m := regexp.MustCompile(`^\*1\r\n\*4\r\n\$7\r\ncommand\r\n:(\d{10})\r\n:(\d+)\r\n:(\d+)\r\n$`).FindStringSubmatch(latest)
	if m == nil || m[2] != m[3] || len(m[2]) < 2 {
		t.Fatalf("LATENCY LATEST: %q", latest)
	}
	runCases(t, c, []replyCase{
		{[]string{"LATENCY", "HISTORY", "command"}, "*1\r\n*2\r\n:" + m[1] + "\r\n:" + m[2] + "\r\n"},
	})
	graph := bulkBody(t, c.Do("LATENCY", "GRAPH", "command"))
	wantGraph := "command - high " + m[2] + " ms, low " + m[2] + " ms (all time high " + m[2] + " ms)\n" +
		strings.Repeat("-", 80) + "\n \n \n \n_\n \n"
	if !strings.HasPrefix(graph, wantGraph) || !regexp.MustCompile(`\n\d\ns\n$`).MatchString(graph) {
		t.Errorf("LATENCY GRAPH: %q", graph)
	}
	doctor := bulkBody(t, c.Do("LATENCY", "DOCTOR"))
	wantDoctor := regexp.MustCompile(`^Dave, I have observed latency spikes in this Redis instance\. You don't mind talking about it, do you Dave\?\n\n` +
		`1\. command: 1 latency spikes \(average ` + m[2] + `ms, mean deviation 0ms, period \d+\.00 sec\)\. Worst all time event ` + m[2] + `ms\.\n\n` +
		`I have a few advices for you:\n\n` +
		`- Check your Slow Log to understand what are the commands you are running which are too slow to execute\. Please check https://redis\.io/commands/slowlog for more information\.\n` +
		`- Deleting, expiring or evicting \(because of maxmemory policy\) large objects is a blocking operation\. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects\.\n$`)
	if !wantDoctor.MatchString(doctor) {
		t.Errorf("LATENCY DOCTOR: %q", doctor)
	}
	runCases(t, c, []replyCase{
		{[]string{"LATENCY", "RESET", "nosuch", "command"}, ":1\r\n"},
		{[]string{"LATENCY", "LATEST"}, "*0\r\n"},
	})
}

func TestLatencyGraphDrawsLikeRedis(t *testing.T) {
	// Samples and graphs recorded from Redis 7.0.15.
	ev := latencyEventView{max: 50, samples: []latencySample{
		{at: 1000 - 7, ms: 15}, {at: 1000 - 5, ms: 30}, {at: 1000 - 3, ms: 50}, {at: 1000 - 2, ms: 12}, {at: 1000 - 1, ms: 43},
	}}
	head := "command - high 50 ms, low 12 ms (all time high 50 ms)\n" + strings.Repeat("-", 80) + "\n"
	bars := "  # _\n  | |\n #| |\n_||_|\n     \n"
	if got := string(latencyGraph("command", ev, 1000)); got != head+bars+"75321\nsssss\n" {
		t.Errorf("graph:\n%s", got)
	}
	for i, age := range []int64{50, 48, 46, 45, 44} {
		ev.samples[i].at = 1000 - age
	}
	if got := string(latencyGraph("command", ev, 1000)); got != head+bars+"54444\n08654\nsssss\n" {
		t.Errorf("graph with two-digit ages:\n%s", got)
	}
	if got := agoLabel(3 * 3600); got != "3h" {
		t.Errorf("agoLabel(3h) = %s", got)
	}
	if got := agoLabel(2*86400 + 5); got != "2d" {
		t.Errorf("agoLabel(2d) = %s", got)
	}
	if got := agoLabel(150); got != "2m" {
		t.Errorf("agoLabel(150s) = %s", got)
	}
}

func TestLatencyHistogram(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	c.Do("PING")
	c.Do("PING")
	c.Do("CONFIG", "GET", "maxclients")
	entry := func(name, calls string) string {
		return `\$` + itoa(int64(len(name))) + `\r\n` + regexp.QuoteMeta(name) + `\r\n\*4\r\n\$5\r\ncalls\r\n:` + calls +
			`\r\n\$14\r\nhistogram_usec\r\n\*(\d+)\r\n((?::\d+\r\n)+)`
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"PING"}, `^\*2\r\n` + entry("ping", "2") + `$`},
		{[]string{"ping", "ping"}, `^\*4\r\n` + entry("ping", "2") + entry("ping", "2") + `$`},
		{[]string{"config"}, `^\*2\r\n` + entry("config|get", "1") + `$`},
		{[]string{"CONFIG|GET", "get"}, `^\*2\r\n` + entry("config|get", "1") + `$`},
	} {
		got := c.Do(append([]string{"LATENCY", "HISTOGRAM"}, tc.args...)...)
		if !regexp.MustCompile(tc.want).MatchString(got) {
			t.Errorf("LATENCY HISTOGRAM %q: %q", tc.args, got)
		}
	}
	c.Do("HELLO", "3")
	got := c.Do("LATENCY", "HISTOGRAM", "ping")
	if !regexp.MustCompile(`^%1\r\n\$4\r\nping\r\n%2\r\n\$5\r\ncalls\r\n:2\r\n\$14\r\nhistogram_usec\r\n%\d+\r\n(:\d+\r\n)+$`).MatchString(got) {
		t.Errorf("LATENCY HISTOGRAM in RESP3: %q", got)
	}
}

func TestHistogramBucketsLikeRedis(t *testing.T) {
	var h latencyHist
	for _, d := range []time.Duration{500, 900, 1500 * time.Nanosecond, 3 * time.Microsecond, 20 * time.Microsecond, 20 * time.Microsecond, 5 * time.Second} {
		h.record(d)
	}
	// Bounds are 1024ns·2^k reported as Redis reports the top of its HDR
	// bucket; durations beyond a second are clamped into the 1s bucket.
	want := []histBucket{{1, 2}, {2, 3}, {4, 4}, {33, 6}, {1082130, 7}}
	got := h.powerOfTwoBuckets(nil)
	if len(got) != len(want) {
		t.Fatalf("buckets %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("bucket %d: %v, want %v", i, got[i], want[i])
		}
	}
}

func TestMemoryCommands(t *testing.T) {
	// The heap is the process's: what earlier tests left is collected
	// first, or MEMORY DOCTOR would not find the instance empty.
	runtime.GC()
	s := startTestServer(t)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"MEMORY", "HELP"}, "*14\r\n+MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+DOCTOR\r\n+    Return memory problems reports.\r\n+MALLOC-STATS\r\n+    Return internal statistics report from the memory allocator.\r\n+PURGE\r\n+    Attempt to purge dirty pages for reclamation by the allocator.\r\n+STATS\r\n+    Return information about the memory usage of the server.\r\n+USAGE <key> [SAMPLES <count>]\r\n+    Return memory in bytes used by <key> and its value. Nested values are\r\n+    sampled up to <count> times (default: 5, 0 means sample all).\r\n+HELP\r\n+    Prints this help.\r\n"},
		{[]string{"MEMORY", "bogus"}, "-ERR unknown subcommand 'bogus'. Try MEMORY HELP.\r\n"},
		{[]string{"MEMORY", "USAGE"}, "-ERR wrong number of arguments for 'memory|usage' command\r\n"},
		{[]string{"MEMORY", "USAGE", "nokey"}, "$-1\r\n"},
		{[]string{"SET", "foo", "bar"}, "+OK\r\n"},
		{[]string{"MEMORY", "USAGE", "foo", "samples"}, "-ERR syntax error\r\n"},
		{[]string{"MEMORY", "USAGE", "foo", "samples", "x"}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"MEMORY", "USAGE", "foo", "samples", "-1"}, "-ERR syntax error\r\n"},
		{[]string{"MEMORY", "USAGE", "foo", "bogus"}, "-ERR syntax error\r\n"},
		{[]string{"MEMORY", "PURGE"}, "+OK\r\n"},
		{[]string{"MEMORY", "DOCTOR"}, "$268\r\nHi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n\r\n"},
	})
	small := c.Do("MEMORY", "USAGE", "foo")
	c.Do("SET", "big", strings.Repeat("x", 10000))
	big := c.Do("MEMORY", "USAGE", "big", "SAMPLES", "0")
	parse := func(raw string) int64 {
		m := regexp.MustCompile(`^:(\d+)\r\n$`).FindStringSubmatch(raw)
		if m == nil {
			t.Fatalf("MEMORY USAGE: %q", raw)
		}
		n, _ := strconv.ParseInt(m[1], 10, 64)
		return n
	}
	if s, b := parse(small), parse(big); s < 40 || s > 200 || b < 10000 || b > 11000 {
		t.Errorf("MEMORY USAGE estimates %d for a 3-byte string and %d for a 10000-byte one", s, b)
	}
	if got := c.Do("MEMORY", "MALLOC-STATS"); !strings.HasPrefix(got, "$") || !strings.Contains(got, "HeapAlloc:") {
		t.Errorf("MEMORY MALLOC-STATS: %q", got)
	}
}

// memoryStatsKeys are MEMORY STATS's fields in Redis 7.0.15's order, with one
// database holding keys.
var memoryStatsKeys = strings.Fields("peak.allocated total.allocated startup.allocated replication.backlog clients.slaves clients.normal cluster.links aof.buffer lua.caches functions.caches db.0 overhead.total keys.count keys.bytes-per-key dataset.bytes dataset.percentage peak.percentage allocator.allocated allocator.active allocator.resident allocator-fragmentation.ratio allocator-fragmentation.bytes allocator-rss.ratio allocator-rss.bytes rss-overhead.ratio rss-overhead.bytes fragmentation fragmentation.bytes")

func TestMemoryStatsShape(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	c.Do("SET", "a", "1")
	c.Do("HELLO", "3")
	got := c.Do("MEMORY", "STATS")
	var re strings.Builder
	re.WriteString(`^%28\r\n`)
	for _, k := range memoryStatsKeys {
		re.WriteString(`\$` + itoa(int64(len(k))) + `\r\n` + regexp.QuoteMeta(k) + `\r\n`)
		switch {
		case k == "db.0":
			re.WriteString(`%3\r\n\$23\r\noverhead\.hashtable\.main\r\n:\d+\r\n\$26\r\noverhead\.hashtable\.expires\r\n:0\r\n\$31\r\noverhead\.hashtable\.slot-to-keys\r\n:0\r\n`)
		case strings.HasSuffix(k, "percentage") || strings.HasSuffix(k, "ratio") || k == "fragmentation":
			re.WriteString(`,[0-9.e+-]+\r\n`)
		default:
			re.WriteString(`:-?\d+\r\n`)
		}
	}
	re.WriteString(`$`)
	if !regexp.MustCompile(re.String()).MatchString(got) {
		t.Errorf("MEMORY STATS: %q", got)
	}
	if !strings.Contains(got, "$10\r\nkeys.count\r\n:1\r\n") {
		t.Errorf("MEMORY STATS keys.count is not 1")
	}
}
