package integration

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"petrel/integration/harness"
)

// These tests run Petrel alone with a small maxmemory and write several
// times that much through go-redis pipelines, watching the process's
// resident memory from /proc as the write goes on.

const (
	evictMaxmemory = 32 << 20 // --maxmemory 32mb
	evictValueSize = 1024
	evictPipeline  = 500
	evictWriters   = 4
)

// evictWriteBytes is how much the tests write: about 150 MB, less under
// the race detector, whose build of Petrel is several times slower.
func evictWriteBytes() int {
	if harness.RaceEnabled {
		return 48 << 20
	}
	return 150 << 20
}

// serverPid is the server's process id, from INFO's process_id.
func serverPid(t *testing.T, ctx context.Context, rdb *redis.Client) int {
	t.Helper()
	pid, err := strconv.Atoi(infoField(t, ctx, rdb, "server", "process_id"))
	if err != nil {
		t.Fatalf("INFO process_id: %v", err)
	}
	return pid
}

func infoField(t *testing.T, ctx context.Context, rdb *redis.Client, section, name string) string {
	t.Helper()
	info, err := rdb.Info(ctx, section).Result()
	if err != nil {
		t.Fatalf("INFO %s: %v", section, err)
	}
	for _, line := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, name+":"); ok {
			return v
		}
	}
	t.Fatalf("INFO %s has no %s", section, name)
	return ""
}

func infoInt(t *testing.T, ctx context.Context, rdb *redis.Client, section, name string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(infoField(t, ctx, rdb, section, name), 10, 64)
	if err != nil {
		t.Fatalf("INFO %s: %v", name, err)
	}
	return n
}

// processRSS reads VmRSS of pid in bytes.
func processRSS(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}

// rssSampler records the peak RSS of pid, read every 5 ms until stop.
type rssSampler struct {
	peak atomic.Int64
	stop chan struct{}
	done sync.WaitGroup
}

func sampleRSS(t *testing.T, pid int) *rssSampler {
	t.Helper()
	if _, err := processRSS(pid); err != nil {
		t.Skipf("cannot read the server's RSS: %v", err)
	}
	s := &rssSampler{stop: make(chan struct{})}
	s.done.Add(1)
	go func() {
		defer s.done.Done()
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			if v, err := processRSS(pid); err == nil && v > s.peak.Load() {
				s.peak.Store(v)
			}
			select {
			case <-s.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return s
}

// Stop ends the sampling and returns the peak.
func (s *rssSampler) Stop() int64 {
	close(s.stop)
	s.done.Wait()
	return s.peak.Load()
}

// writeKeys SETs n new 1 KiB keys (prefix:writer:i) from evictWriters
// pipelining clients and returns the replies' errors by message.
func writeKeys(t *testing.T, ctx context.Context, rdb *redis.Client, prefix string, n int) map[string]int {
	t.Helper()
	value := strings.Repeat("v", evictValueSize)
	var mu sync.Mutex
	errs := map[string]int{}
	var wg sync.WaitGroup
	for w := 0; w < evictWriters; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += evictWriters * evictPipeline {
				pipe := rdb.Pipeline()
				var cmds []*redis.StatusCmd
				for j := i; j < min(n, i+evictWriters*evictPipeline); j += evictWriters {
					cmds = append(cmds, pipe.Set(ctx, fmt.Sprintf("%s:%d", prefix, j), value, 0))
				}
				pipe.Exec(ctx) // the errors are in cmds
				mu.Lock()
				for _, c := range cmds {
					if err := c.Err(); err != nil {
						errs[err.Error()]++
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return errs
}

func TestEvictionKeepsMemoryNearMaxmemoryUnderSustainedWrites(t *testing.T) {
	srv := harness.StartPetrel(t, "--maxmemory", "32mb", "--maxmemory-policy", "allkeys-lru")
	ctx := ctxT(t)
	rdb := newGoRedis(t, srv, 2)
	pid := serverPid(t, ctx, rdb)
	rss0, _ := processRSS(pid)
	sampler := sampleRSS(t, pid)

	n := evictWriteBytes() / evictValueSize
	start := time.Now()
	errs := writeKeys(t, ctx, rdb, "k", n)
	elapsed := time.Since(start)
	peak := sampler.Stop()
	if len(errs) > 0 {
		t.Errorf("SET errors under allkeys-lru: %v", errs)
	}

	rssEnd, _ := processRSS(pid)
	evicted := infoInt(t, ctx, rdb, "stats", "evicted_keys")
	used := infoInt(t, ctx, rdb, "memory", "used_memory")
	keys, err := rdb.DBSize(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	const mb = 1 << 20
	t.Logf("wrote %d keys (%d MB) in %v: RSS before %.1f MB, peak %.1f MB (%.2fx maxmemory), end %.1f MB; "+
		"evicted_keys %d, DBSIZE %d, used_memory %.1f MB (%.3fx maxmemory)",
		n, n*evictValueSize/mb, elapsed.Round(time.Millisecond), float64(rss0)/mb, float64(peak)/mb,
		float64(peak)/evictMaxmemory, float64(rssEnd)/mb, evicted, keys, float64(used)/mb, float64(used)/evictMaxmemory)

	if limit := int64(evictMaxmemory*5/2 + 30*mb); peak >= limit && !harness.RaceEnabled {
		// The race detector's shadow memory multiplies the RSS: the bound
		// holds only for a normal build.
		t.Errorf("peak RSS %.1f MB, want below 2.5 x maxmemory + 30 MB = %.1f MB", float64(peak)/mb, float64(limit)/mb)
	}
	if evicted <= 0 {
		t.Errorf("evicted_keys = %d, want > 0", evicted)
	}
	if keys <= 0 || keys > int64(n)/2 {
		t.Errorf("DBSIZE = %d after writing %d keys of %d bytes under maxmemory 32mb, want well below (at most half)", keys, n, evictValueSize)
	}
	if used > evictMaxmemory*11/10 {
		t.Errorf("used_memory = %d, want at most 1.1 x maxmemory = %d", used, evictMaxmemory*11/10)
	}
	// A surviving key still holds its whole value.
	if k, err := rdb.RandomKey(ctx).Result(); err != nil {
		t.Errorf("RANDOMKEY: %v", err)
	} else if v, err := rdb.Get(ctx, k).Result(); err != nil || len(v) != evictValueSize {
		t.Errorf("GET %s: %d bytes, %v; want its %d-byte value", k, len(v), err, evictValueSize)
	}
}

func TestNoevictionRefusesWritesAtMaxmemoryButServesReadsAndDeletes(t *testing.T) {
	srv := harness.StartPetrel(t, "--maxmemory", "32mb", "--maxmemory-policy", "noeviction")
	ctx := ctxT(t)
	rdb := newGoRedis(t, srv, 2)
	pid := serverPid(t, ctx, rdb)
	sampler := sampleRSS(t, pid)

	const oom = "OOM command not allowed when used memory > 'maxmemory'."
	if err := rdb.Set(ctx, "first", "v", 0).Err(); err != nil {
		t.Fatalf("SET below the cap: %v", err)
	}
	n := evictWriteBytes() / evictValueSize
	errs := writeKeys(t, ctx, rdb, "k", n)
	peak := sampler.Stop()
	keys, err := rdb.DBSize(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	used := infoInt(t, ctx, rdb, "memory", "used_memory")
	t.Logf("%d SETs: %d refused with OOM, DBSIZE %d, used_memory %.1f MB, peak RSS %.1f MB",
		n, errs[oom], keys, float64(used)/(1<<20), float64(peak)/(1<<20))
	if errs[oom] == 0 || len(errs) != 1 {
		t.Fatalf("errors of %d SETs past maxmemory 32mb under noeviction: %v; want only %q", n, errs, oom)
	}
	if keys <= 1 || keys+int64(errs[oom]) != int64(n)+1 {
		t.Errorf("DBSIZE = %d with %d of %d SETs refused; want every accepted key kept", keys, errs[oom], n)
	}
	if evicted := infoInt(t, ctx, rdb, "stats", "evicted_keys"); evicted != 0 {
		t.Errorf("evicted_keys = %d under noeviction", evicted)
	}
	if limit := int64(evictMaxmemory*5/2 + 30<<20); peak >= limit && !harness.RaceEnabled {
		t.Errorf("peak RSS %.1f MB, want below %.1f MB", float64(peak)/(1<<20), float64(limit)/(1<<20))
	}

	isErr(t, "SET at the cap", rdb.Set(ctx, "another", "v", 0).Err(), oom)
	isErr(t, "INCR at the cap", rdb.Incr(ctx, "counter").Err(), oom)
	v, err := rdb.Get(ctx, "first").Result()
	eq(t, "GET at the cap", v, err, "v")
	d, err := rdb.Del(ctx, "first").Result()
	eq(t, "DEL at the cap", d, err, int64(1))
	e, err := rdb.Exists(ctx, "first").Result()
	eq(t, "EXISTS after DEL", e, err, int64(0))

	// Once the keyspace is emptied, writes are accepted again at once (a
	// Go heap still counts the deleted values until a collection runs).
	if err := rdb.FlushAll(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for {
		err := rdb.Set(ctx, "after-flush", "v", 0).Err()
		if err == nil {
			break
		}
		if err.Error() != oom || time.Since(start) > 2*time.Second {
			t.Fatalf("SET after FLUSHALL, %v later: %v", time.Since(start).Round(time.Millisecond), err)
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Logf("SET accepted %v after FLUSHALL", time.Since(start).Round(time.Microsecond))
	if errs := writeKeys(t, ctx, rdb, "again", 1000); len(errs) > 0 {
		t.Errorf("1000 SETs after FLUSHALL: %v", errs)
	}
}

func TestOverwritingADatasetThatFitsEvictsNothing(t *testing.T) {
	// 16,384 keys of 1 KiB take about 21 MB in either server: under the
	// 32 MB cap, however many times they are overwritten. The old values
	// are garbage, not used memory.
	const keys = 16384
	forEachServer(t, []string{"--maxmemory", "32mb", "--maxmemory-policy", "allkeys-lru"}, func(t *testing.T, srv *harness.Server) {
		ctx := ctxT(t)
		rdb := newGoRedis(t, srv, 2)
		if errs := writeKeys(t, ctx, rdb, "k", keys); len(errs) > 0 {
			t.Fatalf("first write: %v", errs)
		}
		value := strings.Repeat("w", evictValueSize)
		for round := 0; round < 8; round++ {
			pipe := rdb.Pipeline()
			for i := 0; i < keys; i++ {
				pipe.Set(ctx, "k:"+strconv.Itoa((i*7919+round*131)%keys), value, 0)
			}
			if _, err := pipe.Exec(ctx); err != nil {
				t.Fatalf("overwrite round %d: %v", round, err)
			}
		}
		evicted := infoInt(t, ctx, rdb, "stats", "evicted_keys")
		n, err := rdb.DBSize(ctx).Result()
		t.Logf("%d keys overwritten 8 times: evicted_keys %d, DBSIZE %d, used_memory %.1f MB", keys, evicted, n,
			float64(infoInt(t, ctx, rdb, "memory", "used_memory"))/(1<<20))
		eq(t, "DBSIZE", n, err, int64(keys))
		if evicted != 0 {
			t.Errorf("evicted_keys = %d, want 0", evicted)
		}
	})
}
