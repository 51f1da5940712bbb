package integration

import (
	"context"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"petrel/integration/harness"
)

// benchmark runs redis-benchmark against srv and returns its output with
// the progress lines (ended by \r) removed.
func benchmark(t *testing.T, srv *harness.Server, args ...string) (string, error) {
	t.Helper()
	bin := harness.RequireTool(t, "redis-benchmark")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	argv := append([]string{"-h", "127.0.0.1", "-p", strconv.Itoa(srv.Port)}, args...)
	out, err := exec.CommandContext(ctx, bin, argv...).CombinedOutput()
	var kept []string
	for _, l := range strings.Split(strings.ReplaceAll(string(out), "\r", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.Contains(l, "rps=") {
			kept = append(kept, l)
		}
	}
	return strings.Join(kept, "\n"), err
}

// benchmarkDefaultTests are the tests redis-benchmark 7.0 runs by default.
var benchmarkDefaultTests = []string{
	"PING_INLINE", "PING_MBULK", "SET", "GET", "INCR", "LPUSH", "RPUSH", "LPOP", "RPOP", "SADD", "HSET",
	"SPOP", "ZADD", "ZPOPMIN", "LPUSH (needed to benchmark LRANGE)", "LRANGE_100 (first 100 elements)",
	"LRANGE_300 (first 300 elements)", "LRANGE_500 (first 500 elements)", "LRANGE_600 (first 600 elements)",
	"MSET (10 keys)",
}

// TestRedisBenchmarkDefaultSuiteCompletes runs redis-benchmark's default
// test set with a small request count: it must run every test to the end
// (redis-benchmark exits at the first error reply, so every command of the
// default set, lists, sets, hashes and sorted sets included, must work).
func TestRedisBenchmarkDefaultSuiteCompletes(t *testing.T) {
	forEachServer(t, nil, func(t *testing.T, srv *harness.Server) {
		out, err := benchmark(t, srv, "-n", "2000", "-q")
		if err != nil {
			t.Fatalf("redis-benchmark -n 2000 -q: %v\n%s", err, out)
		}
		for _, name := range benchmarkDefaultTests {
			if !strings.Contains(out, "\n"+name+": ") && !strings.HasPrefix(out, name+": ") {
				t.Errorf("redis-benchmark output has no result for %s:\n%s", name, out)
			}
		}
		if !srv.Running() {
			t.Errorf("server exited during redis-benchmark")
		}
	})
}

// TestRedisBenchmarkStringTestsPipelined runs the benchmark tests of the
// string commands with 20 clients pipelining 16 commands each; redis-benchmark
// stops at the first error reply, so every test must complete cleanly.
func TestRedisBenchmarkStringTestsPipelined(t *testing.T) {
	const clients, pipeline = 20, 16
	forEachServer(t, nil, func(t *testing.T, srv *harness.Server) {
		out, err := benchmark(t, srv, "-n", "5000", "-c", strconv.Itoa(clients), "-P", strconv.Itoa(pipeline), "-q",
			"-t", "ping,set,get,incr,mset")
		if err != nil {
			t.Fatalf("redis-benchmark: %v\n%s", err, out)
		}
		for _, name := range []string{"PING_INLINE", "PING_MBULK", "SET", "GET", "INCR", "MSET (10 keys)"} {
			if !strings.Contains(out, name+": ") {
				t.Errorf("no result for %s:\n%s", name, out)
			}
		}
		if strings.Contains(out, "ERR") || strings.Contains(out, "rror") {
			t.Errorf("redis-benchmark reported server errors:\n%s", out)
		}
		// With pipelining each client may overshoot by one batch.
		r := srv.Dial(t).Do("GET", "counter:__rand_int__")
		v, _, _ := harness.Parse([]byte(r))
		if n, err := strconv.Atoi(v.Str); err != nil || n < 5000 || n > 5000+clients*pipeline {
			t.Errorf("INCR counter after the INCR test = %q, want 5000 to %d", r, 5000+clients*pipeline)
		}
	})
}
