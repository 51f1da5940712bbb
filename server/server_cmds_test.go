package server

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"petrel/config"
)

// bulkBody returns the payload of a raw bulk string or verbatim reply.
func bulkBody(t *testing.T, raw string) string {
	t.Helper()
	if raw == "" || (raw[0] != '$' && raw[0] != '=') {
		t.Fatalf("not a bulk reply: %q", raw)
	}
	i := strings.Index(raw, "\r\n")
	n, err := strconv.Atoi(raw[1:i])
	if err != nil || len(raw) != i+2+n+2 {
		t.Fatalf("malformed bulk reply: %q", raw)
	}
	body := raw[i+2 : i+2+n]
	if raw[0] == '=' {
		if !strings.HasPrefix(body, "txt:") {
			t.Fatalf("verbatim reply without txt format: %q", raw)
		}
		body = body[4:]
	}
	return body
}

// infoFields parses INFO text into section titles and field name/values.
func infoFields(text string) (titles []string, names []string, values map[string]string) {
	values = map[string]string{}
	for _, line := range strings.Split(text, "\r\n") {
		switch {
		case line == "":
		case strings.HasPrefix(line, "# "):
			titles = append(titles, line[2:])
		default:
			k, v, _ := strings.Cut(line, ":")
			names = append(names, k)
			values[k] = v
		}
	}
	return titles, names, values
}

func debugEnabled(cfg *config.Config) { cfg.EnableDebugCommand = "yes" }

func TestInfoSectionSelection(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	defaults := "Server Clients Memory Persistence Stats Replication CPU Modules Errorstats Cluster Keyspace"
	every := "Server Clients Memory Persistence Stats Replication CPU Modules Commandstats Errorstats Latencystats Cluster Keyspace"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, defaults},
		{[]string{"default"}, defaults},
		{[]string{"all"}, every},
		{[]string{"everything"}, every},
		{[]string{"server", "clients"}, "Server Clients"},
		{[]string{"Server"}, "Server"},
		{[]string{"keyspace", "server"}, "Server Keyspace"},
		{[]string{"server", "server"}, "Server"},
		{[]string{"default", "commandstats"}, "Server Clients Memory Persistence Stats Replication CPU Modules Commandstats Errorstats Cluster Keyspace"},
		{[]string{"all", "bogus"}, every},
		{[]string{"everything", "server"}, every},
		{[]string{"modules"}, "Modules"},
		{[]string{"module_list"}, "Modules"},
		{[]string{"commandstats"}, "Commandstats"},
		{[]string{"bogus"}, ""},
	} {
		titles, _, _ := infoFields(bulkBody(t, c.Do(append([]string{"INFO"}, tc.args...)...)))
		if got := strings.Join(titles, " "); got != tc.want {
			t.Errorf("INFO %q: sections %q, want %q", tc.args, got, tc.want)
		}
	}
}

func TestInfoExactReplies(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"INFO", "bogus"}, "$0\r\n\r\n"},
		{[]string{"INFO", "cluster"}, "$30\r\n# Cluster\r\ncluster_enabled:0\r\n\r\n"},
		{[]string{"INFO", "modules", "cluster"}, "$43\r\n# Modules\r\n\r\n# Cluster\r\ncluster_enabled:0\r\n\r\n"},
		{[]string{"INFO", "keyspace"}, "$12\r\n# Keyspace\r\n\r\n"},
		{[]string{"HELLO", "3"}, c.helloReply(t)},
		{[]string{"INFO", "cluster"}, "=34\r\ntxt:# Cluster\r\ncluster_enabled:0\r\n\r\n"},
		{[]string{"INFO", "bogus"}, "=4\r\ntxt:\r\n"},
	})
}

// helloReply is the raw HELLO 3 reply for c's connection, whose ID the test
// does not know in advance; it asks for it with CLIENT ID first.
func (c *rawClient) helloReply(t *testing.T) string {
	id := strings.TrimSuffix(strings.TrimPrefix(c.Do("CLIENT", "ID"), ":"), "\r\n")
	return "%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:" + id +
		"\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n"
}

// redisInfoDefault is the field list of Redis 7.0.15's plain INFO (its
// errorstat_ and keyspace lines left out), captured from redis-server.
const redisInfoDefault = `# Server redis_version redis_git_sha1 redis_git_dirty redis_build_id redis_mode os arch_bits monotonic_clock multiplexing_api atomicvar_api gcc_version process_id process_supervised run_id tcp_port server_time_usec uptime_in_seconds uptime_in_days hz configured_hz lru_clock executable config_file io_threads_active
# Clients connected_clients cluster_connections maxclients client_recent_max_input_buffer client_recent_max_output_buffer blocked_clients tracking_clients clients_in_timeout_table
# Memory used_memory used_memory_human used_memory_rss used_memory_rss_human used_memory_peak used_memory_peak_human used_memory_peak_perc used_memory_overhead used_memory_startup used_memory_dataset used_memory_dataset_perc allocator_allocated allocator_active allocator_resident total_system_memory total_system_memory_human used_memory_lua used_memory_vm_eval used_memory_lua_human used_memory_scripts_eval number_of_cached_scripts number_of_functions number_of_libraries used_memory_vm_functions used_memory_vm_total used_memory_vm_total_human used_memory_functions used_memory_scripts used_memory_scripts_human maxmemory maxmemory_human maxmemory_policy allocator_frag_ratio allocator_frag_bytes allocator_rss_ratio allocator_rss_bytes rss_overhead_ratio rss_overhead_bytes mem_fragmentation_ratio mem_fragmentation_bytes mem_not_counted_for_evict mem_replication_backlog mem_total_replication_buffers mem_clients_slaves mem_clients_normal mem_cluster_links mem_aof_buffer mem_allocator active_defrag_running lazyfree_pending_objects lazyfreed_objects
# Persistence loading async_loading current_cow_peak current_cow_size current_cow_size_age current_fork_perc current_save_keys_processed current_save_keys_total rdb_changes_since_last_save rdb_bgsave_in_progress rdb_last_save_time rdb_last_bgsave_status rdb_last_bgsave_time_sec rdb_current_bgsave_time_sec rdb_saves rdb_last_cow_size rdb_last_load_keys_expired rdb_last_load_keys_loaded aof_enabled aof_rewrite_in_progress aof_rewrite_scheduled aof_last_rewrite_time_sec aof_current_rewrite_time_sec aof_last_bgrewrite_status aof_rewrites aof_rewrites_consecutive_failures aof_last_write_status aof_last_cow_size module_fork_in_progress module_fork_last_cow_size
# Stats total_connections_received total_commands_processed instantaneous_ops_per_sec total_net_input_bytes total_net_output_bytes total_net_repl_input_bytes total_net_repl_output_bytes instantaneous_input_kbps instantaneous_output_kbps instantaneous_input_repl_kbps instantaneous_output_repl_kbps rejected_connections sync_full sync_partial_ok sync_partial_err expired_keys expired_stale_perc expired_time_cap_reached_count expire_cycle_cpu_milliseconds evicted_keys evicted_clients total_eviction_exceeded_time current_eviction_exceeded_time keyspace_hits keyspace_misses pubsub_channels pubsub_patterns pubsubshard_channels latest_fork_usec total_forks migrate_cached_sockets slave_expires_tracked_keys active_defrag_hits active_defrag_misses active_defrag_key_hits active_defrag_key_misses total_active_defrag_time current_active_defrag_time tracking_total_keys tracking_total_items tracking_total_prefixes unexpected_error_replies total_error_replies dump_payload_sanitizations total_reads_processed total_writes_processed io_threaded_reads_processed io_threaded_writes_processed reply_buffer_shrinks reply_buffer_expands
# Replication role connected_slaves master_failover_state master_replid master_replid2 master_repl_offset second_repl_offset repl_backlog_active repl_backlog_size repl_backlog_first_byte_offset repl_backlog_histlen
# CPU used_cpu_sys used_cpu_user used_cpu_sys_children used_cpu_user_children used_cpu_sys_main_thread used_cpu_user_main_thread
# Modules
# Errorstats
# Cluster cluster_enabled
# Keyspace`

// Value formats of INFO fields, as Redis prints them.
var infoValueFormats = map[string]string{
	"redis_version":               `7\.0\.15`,
	"redis_mode":                  `standalone`,
	"arch_bits":                   `64|32`,
	"process_id":                  `[1-9][0-9]*`,
	"run_id":                      `[0-9a-f]{40}`,
	"server_time_usec":            `[0-9]{16}`,
	"uptime_in_seconds":           `[0-9]+`,
	"hz":                          `10`,
	"lru_clock":                   `[0-9]+`,
	"executable":                  `/.+`,
	"connected_clients":           `1`,
	"maxclients":                  `10000`,
	"used_memory":                 `[1-9][0-9]*`,
	"used_memory_human":           `[0-9]+(\.[0-9]{2}[KMGTP])?B?`,
	"used_memory_rss":             `[1-9][0-9]*`,
	"used_memory_peak_perc":       `[0-9]+\.[0-9]{2}%`,
	"used_memory_dataset_perc":    `[0-9]+\.[0-9]{2}%`,
	"total_system_memory_human":   `[0-9]+\.[0-9]{2}[KMGTP]`,
	"maxmemory":                   `0`,
	"maxmemory_human":             `0B`,
	"maxmemory_policy":            `noeviction`,
	"mem_fragmentation_ratio":     `[0-9]+\.[0-9]{2}`,
	"current_fork_perc":           `0\.00`,
	"rdb_last_save_time":          `[0-9]{10}`,
	"rdb_last_bgsave_status":      `ok`,
	"total_connections_received":  `1`,
	"instantaneous_ops_per_sec":   `[0-9]+`,
	"instantaneous_input_kbps":    `[0-9]+\.[0-9]{2}`,
	"total_net_input_bytes":       `[1-9][0-9]*`,
	"role":                        `master`,
	"connected_slaves":            `0`,
	"master_replid":               `[0-9a-f]{40}`,
	"master_replid2":              `0{40}`,
	"second_repl_offset":          `-1`,
	"repl_backlog_size":           `1048576`,
	"used_cpu_sys":                `[0-9]+\.[0-9]{6}`,
	"used_cpu_user":               `[0-9]+\.[0-9]{6}`,
	"used_cpu_user_main_thread":   `[0-9]+\.[0-9]{6}`,
	"cluster_enabled":             `0`,
	"io_threads_active":           `0`,
	"rdb_changes_since_last_save": `0`,
}

func TestInfoFieldsMatchRedis(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	text := bulkBody(t, c.Do("INFO"))
	_, names, values := infoFields(text)
	// Rebuild the "# Title field field ..." listing section by section.
	var got strings.Builder
	i := 0
	for _, line := range strings.Split(text, "\r\n") {
		switch {
		case line == "":
		case strings.HasPrefix(line, "# "):
			if i > 0 {
				got.WriteString("\n")
			}
			got.WriteString(line)
			i++
		case strings.HasPrefix(line, "errorstat_"), strings.HasPrefix(line, "db"):
		default:
			k, _, _ := strings.Cut(line, ":")
			got.WriteString(" " + k)
		}
	}
	if got.String() != redisInfoDefault {
		t.Errorf("INFO fields differ from Redis 7.0.15's:\ngot:  %s\nwant: %s", got.String(), redisInfoDefault)
	}
	if len(names) == 0 {
		t.Fatal("no fields")
	}
	for k, re := range infoValueFormats {
		v, ok := values[k]
		if !ok {
			t.Errorf("INFO lacks %s", k)
			continue
		}
		if !regexp.MustCompile(`^(` + re + `)$`).MatchString(v) {
			t.Errorf("INFO %s:%s does not match %s", k, v, re)
		}
	}
	if values["run_id"] == values["master_replid"] {
		t.Errorf("master_replid equals run_id; Redis draws them separately")
	}
}

func TestInfoCountersFollowCommands(t *testing.T) {
	s := startTestServer(t, debugEnabled, func(cfg *config.Config) { cfg.Save = nil })
	c := dialRaw(t, s)
	stat := func(section, field string) int64 {
		t.Helper()
		_, _, values := infoFields(bulkBody(t, c.Do("INFO", section)))
		n, err := strconv.ParseInt(values[field], 10, 64)
		if err != nil {
			t.Fatalf("INFO %s %s: %q", section, field, values[field])
		}
		return n
	}
	before := stat("stats", "total_commands_processed")
	c.Do("PING")
	c.Do("PING")
	// The INFO itself counts once it has run, as in Redis.
	if got := stat("stats", "total_commands_processed"); got != before+3 {
		t.Errorf("total_commands_processed %d, want %d", got, before+3)
	}
	c.Do("SET", "k", "v")
	c.Do("GET", "k")
	c.Do("GET", "nokey")
	if hits, misses := stat("stats", "keyspace_hits"), stat("stats", "keyspace_misses"); hits != 1 || misses != 1 {
		t.Errorf("keyspace_hits %d, keyspace_misses %d, want 1 and 1", hits, misses)
	}
	if got := stat("persistence", "rdb_changes_since_last_save"); got != 1 {
		t.Errorf("rdb_changes_since_last_save %d after one SET, want 1", got)
	}
	if got := stat("stats", "total_net_output_bytes"); got == 0 {
		t.Errorf("total_net_output_bytes is 0 after replies")
	}
	c.Do("NOSUCHCOMMAND")
	_, _, es := infoFields(bulkBody(t, c.Do("INFO", "errorstats")))
	if es["errorstat_ERR"] != "count=1" {
		t.Errorf("errorstat_ERR %q, want count=1", es["errorstat_ERR"])
	}
	if got := stat("stats", "total_error_replies"); got != 1 {
		t.Errorf("total_error_replies %d, want 1", got)
	}
}

func TestInfoCommandAndLatencyStats(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	c.Do("PING")
	c.Do("PING")
	c.Do("CLIENT", "ID")
	c.Do("CLIENT", "NOSUCH") // counts in no command's stats, as in Redis
	c.Do("GET")              // rejected: wrong arity
	_, _, v := infoFields(bulkBody(t, c.Do("INFO", "commandstats")))
	statLine := regexp.MustCompile(`^calls=(\d+),usec=\d+,usec_per_call=\d+\.\d{2},rejected_calls=(\d+),failed_calls=(\d+)$`)
	for _, tc := range []struct{ name, calls, rejected string }{
		{"cmdstat_ping", "2", "0"},
		{"cmdstat_client|id", "1", "0"},
		{"cmdstat_get", "0", "1"},
	} {
		m := statLine.FindStringSubmatch(v[tc.name])
		if m == nil || m[1] != tc.calls || m[2] != tc.rejected {
			t.Errorf("%s:%s, want calls=%s rejected_calls=%s", tc.name, v[tc.name], tc.calls, tc.rejected)
		}
	}
	if _, ok := v["cmdstat_client"]; ok {
		t.Errorf("an unknown subcommand counted for its container")
	}
	_, _, l := infoFields(bulkBody(t, c.Do("INFO", "latencystats")))
	pctLine := regexp.MustCompile(`^p50=\d+\.\d{3},p99=\d+\.\d{3},p99\.9=\d+\.\d{3}$`)
	if !pctLine.MatchString(l["latency_percentiles_usec_ping"]) {
		t.Errorf("latency_percentiles_usec_ping:%s", l["latency_percentiles_usec_ping"])
	}
	if _, ok := l["latency_percentiles_usec_get"]; ok {
		t.Errorf("a command that never ran has latency percentiles")
	}
}

// The commands a script runs count in commandstats as Redis counts them,
// whichever client ran the script.
func TestScriptCommandsCountInCommandstats(t *testing.T) {
	s := startTestServer(t)
	a, b := dialRaw(t, s), dialRaw(t, s)
	script := "redis.call('incr', KEYS[1]) return redis.call('get', KEYS[1])"
	if got := a.Do("EVAL", script, "1", "k"); got != "$1\r\n1\r\n" {
		t.Fatalf("EVAL: %q", got)
	}
	if got := b.Do("EVAL", script, "1", "k"); got != "$1\r\n2\r\n" {
		t.Fatalf("EVAL: %q", got)
	}
	_, _, v := infoFields(bulkBody(t, a.Do("INFO", "commandstats")))
	for _, name := range []string{"cmdstat_eval", "cmdstat_incr", "cmdstat_get"} {
		if !regexp.MustCompile(`^calls=2,`).MatchString(v[name]) {
			t.Errorf("%s:%s, want calls=2", name, v[name])
		}
	}
}

// A command inside EXEC is timed by the timer, not the clock: its
// duration still reaches commandstats and the latency histograms.
func TestCommandsInsideExecAreTimed(t *testing.T) {
	s := startTestServer(t, debugEnabled)
	c := dialRaw(t, s)
	c.Do("MULTI")
	c.Do("DEBUG", "SLEEP", "0.05")
	if got := c.Do("EXEC"); got != "*1\r\n+OK\r\n" {
		t.Fatalf("EXEC: %q", got)
	}
	_, _, v := infoFields(bulkBody(t, c.Do("INFO", "commandstats")))
	m := regexp.MustCompile(`^calls=1,usec=(\d+),`).FindStringSubmatch(v["cmdstat_debug"])
	if m == nil {
		t.Fatalf("cmdstat_debug:%s", v["cmdstat_debug"])
	}
	if usec, _ := strconv.Atoi(m[1]); usec < 50000 || usec > 5000000 {
		t.Errorf("a 50 ms DEBUG SLEEP inside EXEC took %d usec", usec)
	}
	_, _, l := infoFields(bulkBody(t, c.Do("INFO", "latencystats")))
	p50 := regexp.MustCompile(`^p50=(\d+)\.\d{3},`).FindStringSubmatch(l["latency_percentiles_usec_debug"])
	if p50 == nil {
		t.Fatalf("latency_percentiles_usec_debug:%s", l["latency_percentiles_usec_debug"])
	}
	if usec, _ := strconv.Atoi(p50[1]); usec < 40000 {
		t.Errorf("p50 of a 50 ms DEBUG SLEEP is %d usec", usec)
	}
}

// Counters are kept per stripe of client IDs; what INFO shows is their sum
// over clients in every stripe.
func TestCommandCountsAddUpOverManyClients(t *testing.T) {
	s := startTestServer(t)
	const clients, each = 2*statStripes + 3, 3
	var wg sync.WaitGroup
	for i := range clients {
		c := dialRaw(t, s)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				c.Do("PING")
			}
			c.Do("GET") // rejected
			key := "s:" + strconv.Itoa(i)
			c.Do("SET", key, "abc")
			c.Do("INCR", key) // failed
		}()
	}
	wg.Wait()
	c := dialRaw(t, s)
	_, _, v := infoFields(bulkBody(t, c.Do("INFO", "commandstats")))
	statLine := regexp.MustCompile(`^calls=(\d+),usec=\d+,usec_per_call=\d+\.\d{2},rejected_calls=(\d+),failed_calls=(\d+)$`)
	for _, tc := range []struct{ name, calls, rejected, failed string }{
		{"cmdstat_ping", strconv.Itoa(clients * each), "0", "0"},
		{"cmdstat_get", "0", strconv.Itoa(clients), "0"},
		{"cmdstat_incr", strconv.Itoa(clients), "0", strconv.Itoa(clients)},
	} {
		m := statLine.FindStringSubmatch(v[tc.name])
		if m == nil || m[1] != tc.calls || m[2] != tc.rejected || m[3] != tc.failed {
			t.Errorf("%s:%s, want calls=%s rejected_calls=%s failed_calls=%s", tc.name, v[tc.name], tc.calls, tc.rejected, tc.failed)
		}
	}
	_, _, st := infoFields(bulkBody(t, c.Do("INFO", "stats")))
	// PINGs, SETs and INCRs; the INFO commandstats before adds one
	if want := strconv.Itoa(clients*(each+2) + 1); st["total_commands_processed"] != want {
		t.Errorf("total_commands_processed:%s, want %s", st["total_commands_processed"], want)
	}
}

func TestInfoKeyspace(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	c.Do("SET", "a", "1")
	c.Do("SET", "b", "1")
	c.Do("EXPIRE", "b", "100")
	c.Do("SELECT", "3")
	c.Do("SET", "c", "1")
	text := bulkBody(t, c.Do("INFO", "keyspace"))
	re := regexp.MustCompile(`^# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=(\d+)\r\ndb3:keys=1,expires=0,avg_ttl=0\r\n$`)
	m := re.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("INFO keyspace: %q", text)
	}
	if ttl, _ := strconv.Atoi(m[1]); ttl <= 95000 || ttl > 100000 {
		t.Errorf("avg_ttl %d for one key with a 100s TTL", ttl)
	}
}

func TestInfoInsideExec(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	c.Do("SET", "a", "1")
	runCases(t, c, []replyCase{
		{[]string{"MULTI"}, "+OK\r\n"},
		{[]string{"DBSIZE"}, "+QUEUED\r\n"},
		{[]string{"INFO", "keyspace"}, "+QUEUED\r\n"},
		{[]string{"EXEC"}, "*2\r\n:1\r\n$44\r\n# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n\r\n"},
	})
}

func TestTimeLastsaveDbsize(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	m := regexp.MustCompile(`^\*2\r\n\$10\r\n(\d{10})\r\n\$\d\r\n(\d{1,6})\r\n$`).FindStringSubmatch(c.Do("TIME"))
	if m == nil {
		t.Fatalf("TIME reply malformed")
	}
	if sec, _ := strconv.ParseInt(m[1], 10, 64); sec < time.Now().Unix()-2 || sec > time.Now().Unix()+2 {
		t.Errorf("TIME seconds %d far from now", sec)
	}
	if !regexp.MustCompile(`^:\d{10}\r\n$`).MatchString(c.Do("LASTSAVE")) {
		t.Errorf("LASTSAVE malformed")
	}
	runCases(t, c, []replyCase{
		{[]string{"TIME", "x"}, "-ERR wrong number of arguments for 'time' command\r\n"},
		{[]string{"DBSIZE", "x"}, "-ERR wrong number of arguments for 'dbsize' command\r\n"},
		{[]string{"DBSIZE"}, ":0\r\n"},
		{[]string{"SET", "a", "1"}, "+OK\r\n"},
		{[]string{"SET", "b", "1"}, "+OK\r\n"},
		{[]string{"DBSIZE"}, ":2\r\n"},
		{[]string{"SELECT", "1"}, "+OK\r\n"},
		{[]string{"DBSIZE"}, ":0\r\n"},
	})
	c.Do("HELLO", "3")
	if !regexp.MustCompile(`^\*2\r\n\$10\r\n\d{10}\r\n\$\d\r\n\d{1,6}\r\n$`).MatchString(c.Do("TIME")) {
		t.Errorf("TIME under RESP3 is not an array of two bulk strings")
	}
}

func TestSwapdb(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"SWAPDB"}, "-ERR wrong number of arguments for 'swapdb' command\r\n"},
		{[]string{"SWAPDB", "0"}, "-ERR wrong number of arguments for 'swapdb' command\r\n"},
		{[]string{"SWAPDB", "x", "1"}, "-ERR invalid first DB index\r\n"},
		{[]string{"SWAPDB", "0", "x"}, "-ERR invalid second DB index\r\n"},
		{[]string{"SWAPDB", "99999999999999999999", "1"}, "-ERR invalid first DB index\r\n"},
		{[]string{"SWAPDB", "1", "2147483648"}, "-ERR invalid second DB index\r\n"},
		{[]string{"SWAPDB", "1", "-2147483649"}, "-ERR invalid second DB index\r\n"},
		{[]string{"SWAPDB", "-1", "1"}, "-ERR DB index is out of range\r\n"},
		{[]string{"SWAPDB", "0", "16"}, "-ERR DB index is out of range\r\n"},
		{[]string{"SET", "a", "in0"}, "+OK\r\n"},
		{[]string{"SWAPDB", "0", "0"}, "+OK\r\n"},
		{[]string{"GET", "a"}, "$3\r\nin0\r\n"},
		{[]string{"SWAPDB", "0", "1"}, "+OK\r\n"},
		{[]string{"GET", "a"}, "$-1\r\n"},
		{[]string{"SELECT", "1"}, "+OK\r\n"},
		{[]string{"GET", "a"}, "$3\r\nin0\r\n"},
	})
}

func TestSwapdbTouchesWatchers(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	other := dialRaw(t, s)
	other.Do("SELECT", "1")
	other.Do("SET", "k", "v")
	runCases(t, c, []replyCase{
		{[]string{"WATCH", "k"}, "+OK\r\n"},
		{[]string{"MULTI"}, "+OK\r\n"},
		{[]string{"PING"}, "+QUEUED\r\n"},
	})
	other.Do("SWAPDB", "0", "1")
	runCases(t, c, []replyCase{{[]string{"EXEC"}, "*-1\r\n"}})
}

func TestFlushdbFlushall(t *testing.T) {
	s := startTestServer(t, func(cfg *config.Config) { cfg.Save = nil })
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"FLUSHDB", "x"}, "-ERR syntax error\r\n"},
		{[]string{"FLUSHDB", "async", "sync"}, "-ERR syntax error\r\n"},
		{[]string{"FLUSHALL", "x"}, "-ERR syntax error\r\n"},
		{[]string{"FLUSHALL", "sync", "x"}, "-ERR syntax error\r\n"},
		{[]string{"SET", "a", "1"}, "+OK\r\n"},
		{[]string{"SELECT", "2"}, "+OK\r\n"},
		{[]string{"SET", "b", "1"}, "+OK\r\n"},
		{[]string{"SET", "c", "1"}, "+OK\r\n"},
		{[]string{"FLUSHDB", "ASYNC"}, "+OK\r\n"},
		{[]string{"DBSIZE"}, ":0\r\n"},
		{[]string{"SELECT", "0"}, "+OK\r\n"},
		{[]string{"DBSIZE"}, ":1\r\n"},
		{[]string{"FLUSHDB", "sync"}, "+OK\r\n"},
		{[]string{"SET", "a", "1"}, "+OK\r\n"},
		{[]string{"SELECT", "5"}, "+OK\r\n"},
		{[]string{"SET", "a", "1"}, "+OK\r\n"},
		{[]string{"FLUSHALL"}, "+OK\r\n"},
		{[]string{"DBSIZE"}, ":0\r\n"},
		{[]string{"SELECT", "0"}, "+OK\r\n"},
		{[]string{"DBSIZE"}, ":0\r\n"},
	})
	// Without save points, Redis counts each removed key as a change:
	// 5 SETs, then 2 + 1 + 2 keys flushed.
	_, _, v := infoFields(bulkBody(t, c.Do("INFO", "persistence")))
	if v["rdb_changes_since_last_save"] != "10" {
		t.Errorf("rdb_changes_since_last_save %s, want 10", v["rdb_changes_since_last_save"])
	}
}

func TestFlushallWithSavePointsResetsChanges(t *testing.T) {
	s := startTestServer(t) // the default save points
	c := dialRaw(t, s)
	c.Do("SET", "a", "1")
	before := time.Now().Unix()
	runCases(t, c, []replyCase{{[]string{"FLUSHALL"}, "+OK\r\n"}})
	_, _, v := infoFields(bulkBody(t, c.Do("INFO", "persistence")))
	if v["rdb_changes_since_last_save"] != "0" {
		t.Errorf("rdb_changes_since_last_save %s after FLUSHALL with save points, want 0", v["rdb_changes_since_last_save"])
	}
	if last, _ := strconv.ParseInt(v["rdb_last_save_time"], 10, 64); last < before {
		t.Errorf("rdb_last_save_time %d not updated by FLUSHALL", last)
	}
}

func TestFlushTouchesWatchers(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	other := dialRaw(t, s)
	c.Do("SET", "k", "v")
	runCases(t, c, []replyCase{
		{[]string{"WATCH", "k"}, "+OK\r\n"},
		{[]string{"MULTI"}, "+OK\r\n"},
		{[]string{"PING"}, "+QUEUED\r\n"},
	})
	other.Do("FLUSHDB")
	runCases(t, c, []replyCase{{[]string{"EXEC"}, "*-1\r\n"}})
}

var monitorLine = regexp.MustCompile(`^\+\d{10}\.\d{6} \[(\d+) 127\.0\.0\.1:\d+\]((?: "(?:[^"\\]|\\.)*")+)\r\n$`)

// monitoring starts a server with a client in MONITOR mode and another.
func monitoring(t *testing.T) (mon, c *rawClient) {
	s := startTestServer(t)
	mon, c = dialRaw(t, s), dialRaw(t, s)
	runCases(t, mon, []replyCase{{[]string{"MONITOR"}, "+OK\r\n"}})
	return mon, c
}

func TestMonitorFeed(t *testing.T) {
	mon, c := monitoring(t)
	c.Do("SET", "k", "a b\"\n")
	c.Do("CONFIG", "GET", "maxclients") // admin commands are not shown
	c.Do("SELECT", "2")
	c.Do("GET", "k")
	for _, want := range []struct{ db, args string }{
		{"0", ` "SET" "k" "a b\"\n"`},
		{"2", ` "SELECT" "2"`}, // fed after it ran, with the new database
		{"2", ` "GET" "k"`},
	} {
		line := mon.Read()
		m := monitorLine.FindStringSubmatch(line)
		if m == nil || m[1] != want.db || m[2] != want.args {
			t.Errorf("monitor line %q, want db %s args %s", line, want.db, want.args)
		}
	}
}

// A script's command is shown before the commands it runs, which show
// "lua" as their client, as Redis's EVAL and FCALL feed MONITOR.
func TestMonitorShowsScriptsBeforeTheirCommands(t *testing.T) {
	mon, c := monitoring(t)
	c.Do("EVAL", "redis.call('SELECT', 2) return redis.call('SET', 'k', 'v')", "0")
	c.Do("EVAL", "return 1", "-1")
	for _, want := range []string{
		`] "EVAL" "redis.call('SELECT', 2) return redis.call('SET', 'k', 'v')" "0"` + "\r\n",
		` [2 lua] "SELECT" "2"` + "\r\n",
		` [2 lua] "SET" "k" "v"` + "\r\n",
		`] "EVAL" "return 1" "-1"` + "\r\n", // refused, and shown
	} {
		if line := mon.Read(); !strings.HasSuffix(line, want) {
			t.Errorf("monitor line %q, want it to end %q", line, want)
		}
	}
}

// Passwords never reach MONITOR: AUTH's arguments and HELLO's AUTH pair
// are shown redacted, as Redis shows them, whatever the outcome; a
// malformed AUTH is shown as sent.
func TestMonitorRedactsPasswords(t *testing.T) {
	mon, c := monitoring(t)
	c.Do("AUTH", "secret")
	c.Do("AUTH", "user", "secret")
	c.Do("HELLO", "2", "AUTH", "default", "secret")
	c.Do("AUTH", "a", "b", "c")
	for _, want := range []string{`] "AUTH" "(redacted)"`, `] "AUTH" "(redacted)" "(redacted)"`,
		`] "HELLO" "2" "AUTH" "(redacted)" "(redacted)"`, `] "AUTH" "a" "b" "c"`} {
		if line := mon.Read(); !strings.HasSuffix(line, want+"\r\n") {
			t.Errorf("monitor line %q, want it to end %q", line, want)
		}
	}
}

func TestMonitorClientCommands(t *testing.T) {
	s := startTestServer(t)
	mon := dialRaw(t, s)
	runCases(t, mon, []replyCase{
		{[]string{"MONITOR"}, "+OK\r\n"},
		{[]string{"GET", "a"}, "-ERR Replica can't interact with the keyspace\r\n"},
	})
	// A second MONITOR gets no reply at all; its own PING shows up in its
	// own feed after the reply.
	mon.Send(encode("MONITOR"))
	if got := mon.Do("PING"); got != "+PONG\r\n" {
		t.Fatalf("PING after a second MONITOR: %q", got)
	}
	if line := mon.Read(); !strings.HasSuffix(line, `] "PING"`+"\r\n") {
		t.Errorf("monitor's own PING not fed: %q", line)
	}
}

func TestMonitorInsideMulti(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"MULTI"}, "+OK\r\n"},
		{[]string{"MONITOR"}, "+QUEUED\r\n"},
		{[]string{"EXEC"}, "*1\r\n-ERR MONITOR isn't allowed for DENY BLOCKING client\r\n"},
		{[]string{"SET", "a", "1"}, "+OK\r\n"}, // still an ordinary client
	})
}

const errDebugDenied = "-ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.\r\n"

func TestDebugRefusedByConfig(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"DEBUG"}, "-ERR wrong number of arguments for 'debug' command\r\n"},
		{[]string{"DEBUG", "HELP"}, errDebugDenied},
		{[]string{"DEBUG", "bogus"}, errDebugDenied},
		{[]string{"MULTI"}, "+OK\r\n"},
		{[]string{"DEBUG", "SLEEP", "0"}, errDebugDenied},
		{[]string{"EXEC"}, "-EXECABORT Transaction discarded because of previous errors.\r\n"},
	})
	local := startTestServer(t, func(cfg *config.Config) { cfg.EnableDebugCommand = "local" })
	runCases(t, dialRaw(t, local), []replyCase{{[]string{"DEBUG", "SLEEP", "0"}, "+OK\r\n"}})
}

func TestDebugSubcommandErrors(t *testing.T) {
	s := startTestServer(t, debugEnabled)
	c := dialRaw(t, s)
	wrong := func(sub string) string {
		return "-ERR unknown subcommand or wrong number of arguments for '" + sub + "'. Try DEBUG HELP.\r\n"
	}
	runCases(t, c, []replyCase{
		{[]string{"DEBUG", "bogus"}, wrong("bogus")},
		{[]string{"DEBUG", "sleep"}, wrong("sleep")},
		{[]string{"DEBUG", "object"}, wrong("object")},
		{[]string{"DEBUG", "object", "a", "b"}, wrong("object")},
		{[]string{"DEBUG", "set-active-expire"}, wrong("set-active-expire")},
		{[]string{"DEBUG", "log"}, wrong("log")},
		{[]string{"DEBUG", "protocol"}, wrong("protocol")},
		{[]string{"DEBUG", "digest", "x"}, wrong("digest")},
		{[]string{"DEBUG", "object", "nokey"}, "-ERR no such key\r\n"},
		{[]string{"DEBUG", "populate", "-1"}, "-ERR value is out of range, must be positive\r\n"},
		{[]string{"DEBUG", "populate", "x"}, "-ERR value is out of range, must be positive\r\n"},
		{[]string{"DEBUG", "populate", "2", "p", "x"}, "-ERR value is out of range, must be positive\r\n"},
		{[]string{"DEBUG", "populate", "2", "p", "-1"}, "-ERR value is out of range, must be positive\r\n"},
		{[]string{"DEBUG", "protocol", "bogus"}, "-ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false\r\n"},
		{[]string{"DEBUG", "PANIC"}, "-ERR DEBUG PANIC refused: Petrel does not crash or restart on request\r\n"},
		{[]string{"DEBUG", "segfault"}, "-ERR DEBUG SEGFAULT refused: Petrel does not crash or restart on request\r\n"},
		{[]string{"PING"}, "+PONG\r\n"},
	})
}

func TestDebugProtocol(t *testing.T) {
	s := startTestServer(t, debugEnabled)
	c := dialRaw(t, s)
	resp2 := []replyCase{
		{[]string{"DEBUG", "PROTOCOL", "string"}, "$11\r\nHello World\r\n"},
		{[]string{"DEBUG", "PROTOCOL", "integer"}, ":12345\r\n"},
		{[]string{"DEBUG", "PROTOCOL", "double"}, "$5\r\n3.141\r\n"},
		{[]string{"DEBUG", "PROTOCOL", "bignum"}, "$37\r\n1234567999999999999999999999999999999\r\n"},
		{[]string{"DEBUG", "PROTOCOL", "null"}, "$-1\r\n"},
		{[]string{"DEBUG", "PROTOCOL", "array"}, "*3\r\n:0\r\n:1\r\n:2\r\n"},
		{[]string{"DEBUG", "PROTOCOL", "set"}, "*3\r\n:0\r\n:1\r\n:2\r\n"},
		{[]string{"DEBUG", "PROTOCOL", "map"}, "*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n"},
		{[]string{"DEBUG", "PROTOCOL", "attrib"}, "$39\r\nSome real reply following the attribute\r\n"},
		{[]string{"DEBUG", "PROTOCOL", "push"}, "-ERR RESP2 is not supported by this command\r\n"},
		{[]string{"DEBUG", "PROTOCOL", "verbatim"}, "$25\r\nThis is a verbatim\nstring\r\n"},
		{[]string{"DEBUG", "PROTOCOL", "true"}, ":1\r\n"},
		{[]string{"DEBUG", "PROTOCOL", "false"}, ":0\r\n"},
	}
	runCases(t, c, resp2)
	c.Do("HELLO", "3")
	runCases(t, c, []replyCase{
		{[]string{"DEBUG", "PROTOCOL", "double"}, ",3.141\r\n"},
		{[]string{"DEBUG", "PROTOCOL", "bignum"}, "(1234567999999999999999999999999999999\r\n"},
		{[]string{"DEBUG", "PROTOCOL", "null"}, "_\r\n"},
		{[]string{"DEBUG", "PROTOCOL", "set"}, "~3\r\n:0\r\n:1\r\n:2\r\n"},
		{[]string{"DEBUG", "PROTOCOL", "map"}, "%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n"},
		{[]string{"DEBUG", "PROTOCOL", "verbatim"}, "=29\r\ntxt:This is a verbatim\nstring\r\n"},
		{[]string{"DEBUG", "PROTOCOL", "true"}, "#t\r\n"},
		{[]string{"DEBUG", "PROTOCOL", "false"}, "#f\r\n"},
	})
	// The attribute and the push come before the reply proper.
	c.Send(encode("DEBUG", "PROTOCOL", "attrib"))
	if got := c.Read() + c.Read(); got != "|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n$39\r\nSome real reply following the attribute\r\n" {
		t.Errorf("DEBUG PROTOCOL attrib: %q", got)
	}
	c.Send(encode("DEBUG", "PROTOCOL", "push"))
	if got := c.Read() + c.Read(); got != ">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n$40\r\nSome real reply following the push reply\r\n" {
		t.Errorf("DEBUG PROTOCOL push: %q", got)
	}
}

// The digests below were taken from Redis 7.0.15 for the same data.
func TestDebugDigestMatchesRedis(t *testing.T) {
	s := startTestServer(t, debugEnabled)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"DEBUG", "DIGEST"}, "+0000000000000000000000000000000000000000\r\n"},
		{[]string{"SET", "foo", "bar"}, "+OK\r\n"},
		{[]string{"SET", "n", "123"}, "+OK\r\n"},
		{[]string{"DEBUG", "DIGEST-VALUE", "foo", "n", "nokey"}, "*3\r\n+68467c70ae30376e7ce005bcc8827f5ba7fd67dc\r\n+89f7f51b707418f666d5b45e053bd5bbbf82ac2b\r\n+0000000000000000000000000000000000000000\r\n"},
		{[]string{"DEBUG", "DIGEST-VALUE"}, "*0\r\n"},
		{[]string{"DEL", "n"}, ":1\r\n"},
		{[]string{"DEBUG", "DIGEST"}, "+d2ab4820c1be0580ea28efbfe8bfa1dc05bb802a\r\n"},
		{[]string{"EXPIRE", "foo", "100"}, ":1\r\n"},
		{[]string{"DEBUG", "DIGEST-VALUE", "foo"}, "*1\r\n+8ec3828f7209dd3abdf6ee448de8b0c0bd53265f\r\n"},
		{[]string{"DEBUG", "DIGEST"}, "+8b0c6d22108f15467022bc27c005787072eb4c4b\r\n"},
		{[]string{"SET", "n", "123"}, "+OK\r\n"},
		{[]string{"DEBUG", "DIGEST"}, "+7568d5279aa6c244d229b00c2026ef70e142ae1c\r\n"},
		{[]string{"SELECT", "1"}, "+OK\r\n"},
		{[]string{"SET", "foo", "bar"}, "+OK\r\n"},
		{[]string{"DEBUG", "DIGEST"}, "+075687f8a77d1275a8540978627a62ee9a933a12\r\n"},
	})
}

// fakeList, fakeSet, fakeHash and fakeZset stand in for the collection
// types so the digest of each kind can be checked against Redis's.
type fakeValue struct {
	typ   string
	elems [][]string
}

func (f fakeValue) Type() string { return f.typ }
func (f fakeValue) DigestEach(fn func(parts ...[]byte)) {
	for _, e := range f.elems {
		parts := make([][]byte, len(e))
		for i, p := range e {
			parts[i] = []byte(p)
		}
		fn(parts...)
	}
}

func TestValueDigestOfCollections(t *testing.T) {
	// From Redis 7.0.15: RPUSH l a b; SADD s a b; HSET h f v; ZADD z 1.5 m.
	for _, tc := range []struct {
		v    fakeValue
		want string
	}{
		{fakeValue{"list", [][]string{{"a"}, {"b"}}}, "62f55a532623cf6c3d81081db480b6fd8461eb3f"},
		{fakeValue{"set", [][]string{{"b"}, {"a"}}}, "dd99329063ca0f1f28df2ac68d94b82fd95501c6"},
		{fakeValue{"hash", [][]string{{"f", "v"}}}, "90c76e9e9f4c62d642a34fc97c7dad503b51f906"},
		{fakeValue{"zset", [][]string{{"m", "1.5"}}}, "0b67afcf657d7aa53a5226bcca2f55ea7f2fff48"},
	} {
		d := collectionDigest(tc.v.typ, tc.v)
		if got := fmt.Sprintf("%x", d); got != tc.want {
			t.Errorf("%s digest %s, want %s", tc.v.typ, got, tc.want)
		}
	}
}

func TestDebugObject(t *testing.T) {
	s := startTestServer(t, debugEnabled)
	c := dialRaw(t, s)
	c.Do("SET", "foo", "bar")
	c.Do("SET", "n", "123")
	c.Do("SET", "big", "123456")
	c.Do("SET", "s", strings.Repeat("x", 50))
	for _, tc := range []struct{ key, want string }{
		{"foo", `refcount:1 encoding:embstr serializedlength:4 lru:\d+ lru_seconds_idle:\d+`},
		{"n", `refcount:2147483647 encoding:int serializedlength:2 lru:\d+ lru_seconds_idle:\d+`},
		{"big", `refcount:1 encoding:int serializedlength:5 lru:\d+ lru_seconds_idle:\d+`},
		{"s", `refcount:1 encoding:raw serializedlength:51 lru:\d+ lru_seconds_idle:\d+`},
	} {
		got := c.Do("DEBUG", "OBJECT", tc.key)
		if !regexp.MustCompile(`^\+Value at:0x[0-9a-f]+ ` + tc.want + "\r\n$").MatchString(got) {
			t.Errorf("DEBUG OBJECT %s: %q", tc.key, got)
		}
	}
}

func TestDebugPopulate(t *testing.T) {
	s := startTestServer(t, debugEnabled)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"SET", "key:1", "mine"}, "+OK\r\n"},
		{[]string{"DEBUG", "POPULATE", "3"}, "+OK\r\n"},
		{[]string{"DBSIZE"}, ":3\r\n"},
		{[]string{"GET", "key:0"}, "$7\r\nvalue:0\r\n"},
		{[]string{"GET", "key:1"}, "$4\r\nmine\r\n"},
		{[]string{"DEBUG", "POPULATE", "2", "pfx", "10"}, "+OK\r\n"},
		{[]string{"GET", "pfx:1"}, "$10\r\nvalue:1\x00\x00\x00\r\n"},
		{[]string{"DEBUG", "POPULATE", "1", "short", "3"}, "+OK\r\n"},
		{[]string{"GET", "short:0"}, "$3\r\nval\r\n"},
		{[]string{"DEBUG", "POPULATE", "0"}, "+OK\r\n"},
	})
}

func TestDebugMisc(t *testing.T) {
	s := startTestServer(t, debugEnabled)
	c := dialRaw(t, s)
	_, _, before := infoFields(bulkBody(t, c.Do("INFO", "replication")))
	runCases(t, c, []replyCase{
		{[]string{"DEBUG", "ERROR", "foo"}, "-foo\r\n"},
		{[]string{"DEBUG", "ERROR", "-X bar"}, "--X bar\r\n"},
		{[]string{"DEBUG", "SLEEP", "x"}, "+OK\r\n"},
		{[]string{"DEBUG", "SLEEP", "-1"}, "+OK\r\n"},
		{[]string{"DEBUG", "SLEEP", "1e-2"}, "+OK\r\n"},
		{[]string{"DEBUG", "LOG", "hello"}, "+OK\r\n"},
		{[]string{"DEBUG", "CHANGE-REPL-ID"}, "+OK\r\n"},
		{[]string{"DEBUG", "SET-ACTIVE-EXPIRE", "0"}, "+OK\r\n"},
	})
	// DEBUG ERROR's replies count in no statistics.
	if got := c.Do("INFO", "errorstats"); got != "$14\r\n# Errorstats\r\n\r\n" {
		t.Errorf("INFO errorstats after DEBUG ERROR: %q", got)
	}
	_, _, after := infoFields(bulkBody(t, c.Do("INFO", "replication")))
	if before["master_replid"] == after["master_replid"] {
		t.Errorf("DEBUG CHANGE-REPL-ID kept master_replid %s", after["master_replid"])
	}
	s.cfg.RLock()
	on := s.cfg.ActiveExpireEnabled
	s.cfg.RUnlock()
	if on {
		t.Errorf("DEBUG SET-ACTIVE-EXPIRE 0 left active expiry on")
	}
	c.Do("DEBUG", "SET-ACTIVE-EXPIRE", "1")
	s.cfg.RLock()
	on = s.cfg.ActiveExpireEnabled
	s.cfg.RUnlock()
	if !on {
		t.Errorf("DEBUG SET-ACTIVE-EXPIRE 1 left active expiry off")
	}
	start := time.Now()
	c.Do("DEBUG", "SLEEP", "0.2")
	if time.Since(start) < 200*time.Millisecond {
		t.Errorf("DEBUG SLEEP 0.2 returned after %v", time.Since(start))
	}
	help := c.Do("DEBUG", "HELP")
	if !strings.HasPrefix(help, "*45\r\n+DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n") ||
		!strings.HasSuffix(help, "+HELP\r\n+    Prints this help.\r\n") {
		t.Errorf("DEBUG HELP: %q", help)
	}
}

// TestCommandMicrosecondsAddUpOverSubMicrosecondCalls pins how commandstats
// and the slow log measure a command, as Redis does: two readings of a
// microsecond clock, so a thousand 300 ns calls add up to about 300 µs
// instead of 0.
func TestCommandMicrosecondsAddUpOverSubMicrosecondCalls(t *testing.T) {
	for _, tc := range []struct {
		start, end time.Duration
		want       int64
	}{
		{999, 1001, 1},
		{1001, 1999, 0},
		{0, 999, 0},
		{1500, 3499, 2},
	} {
		if got := usecBetween(tc.start, tc.end); got != tc.want {
			t.Errorf("usecBetween(%v, %v) = %d, want %d", tc.start, tc.end, got, tc.want)
		}
	}
	var total int64
	for i := 0; i < 1000; i++ {
		start := time.Duration(i) * 997 * time.Nanosecond
		total += usecBetween(start, start+300*time.Nanosecond)
	}
	if total < 250 || total > 350 {
		t.Errorf("1000 calls of 300 ns add up to %d µs, want about 300", total)
	}
}

// MONITOR as Redis feeds it at the edges: a refused EXEC is shown (the
// transaction is aborted), QUIT is (Redis 7.0 runs it as a command), and a
// subscribed RESP2 monitor is refused a read for its pub/sub context before
// it is refused as a replica.
func TestMonitorEdges(t *testing.T) {
	s := startTestServer(t)
	mon, c := dialRaw(t, s), dialRaw(t, s)
	runCases(t, mon, []replyCase{{[]string{"MONITOR"}, "+OK\r\n"}})
	runCases(t, c, []replyCase{
		{[]string{"EXEC", "x"}, "-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n"},
	})
	if line := mon.Read(); !strings.HasSuffix(line, `] "EXEC" "x"`+"\r\n") {
		t.Errorf("refused EXEC: monitor line %q", line)
	}
	c.Do("QUIT")
	other := dialRaw(t, s)
	other.Do("PING")
	for _, want := range []string{`] "QUIT"`, `] "PING"`} {
		if line := mon.Read(); !strings.HasSuffix(line, want+"\r\n") {
			t.Errorf("monitor line %q, want one ending %s", line, want)
		}
	}
	runCases(t, mon, []replyCase{{[]string{"SUBSCRIBE", "ch"}, "*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n"}})
	mon.Read() // its own SUBSCRIBE, fed to itself
	runCases(t, mon, []replyCase{
		{[]string{"GET", "a"}, "-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n"},
	})
}
