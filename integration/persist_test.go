package integration

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"petrel/integration/harness"
)

// RDB files across implementations: Petrel's dump.rdb passes
// redis-check-rdb and loads into Redis with the same contents, Redis's
// loads into Petrel, a damaged file stops Petrel's start-up, and a BGSAVE
// taken under concurrent writes is a consistent, loadable cut.

// persistExtras are keys beyond dumpValues: TTLs, other databases, big
// and compressible values.
func persistExtras() [][]string {
	big := strings.Repeat("compressible ", 40000)
	return [][]string{
		{"SET", "ttl:string", "v", "PX", "3600000"},
		{"RPUSH", "ttl:list", "a", "b"}, {"PEXPIRE", "ttl:list", "7200000"},
		{"SET", "string:big", big},
		{"SET", "string:int", "-12345"},
		{"SELECT", "3"}, {"SET", "db3:a", "x"}, {"HSET", "db3:h", "f", "v"}, {"EXPIRE", "db3:h", "5000"},
		{"SELECT", "15"}, {"ZADD", "db15:z", "1", "a"},
		{"SELECT", "0"},
	}
}

// fillBoth runs the setup commands on c and returns the keys by database.
func fillBoth(t *testing.T, conns ...*harness.Conn) map[int][]string {
	keys := map[int][]string{}
	db := 0
	for _, v := range append(dumpValues(), persistExtras()...) {
		for _, c := range conns {
			if reply := c.Do(v...); strings.HasPrefix(reply, "-") {
				t.Fatalf("%s: %q", truncate(strings.Join(v, " "), 80), reply)
			}
		}
		switch strings.ToUpper(v[0]) {
		case "SELECT":
			db, _ = strconv.Atoi(v[1])
			continue
		case "PEXPIRE", "EXPIRE":
			continue
		}
		if k := dumpKey(v); !slices.Contains(keys[db], k) {
			keys[db] = append(keys[db], k)
		}
	}
	return keys
}

// compareContents reads every key in both servers with type-specific
// reads, and its TTL to the second.
func compareContents(t *testing.T, a, b *harness.Conn, keys map[int][]string) {
	t.Helper()
	for db, ks := range keys {
		a.Do("SELECT", strconv.Itoa(db))
		b.Do("SELECT", strconv.Itoa(db))
		if x, y := a.Do("DBSIZE"), b.Do("DBSIZE"); x != y {
			t.Errorf("db %d DBSIZE: %q vs %q", db, x, y)
		}
		for _, key := range ks {
			typ := a.Do("TYPE", key)
			if got := b.Do("TYPE", key); got != typ {
				t.Errorf("db %d TYPE %s: %q vs %q", db, key, typ, got)
				continue
			}
			reads := dumpReads[strings.TrimSpace(strings.TrimPrefix(typ, "+"))]
			reads = append(reads, dumpRead{args: []string{"OBJECT", "ENCODING"}})
			for _, rd := range reads {
				if rd.copiesOnly {
					continue
				}
				args := append([]string{}, rd.args...)
				if i := slices.Index(args, ""); i >= 0 {
					args[i] = key
				} else {
					args = append(args, key)
				}
				var out [2]string
				for i, c := range []*harness.Conn{a, b} {
					v, _, err := harness.Parse([]byte(c.Do(args...)))
					if err != nil {
						t.Fatalf("%q: %v", args, err)
					}
					if rd.sorted {
						v = v.SortPairs()
						if args[0] != "HGETALL" {
							v = v.SortElems()
						}
					}
					out[i] = string(v.Raw())
				}
				if out[0] != out[1] {
					t.Errorf("db %d %q: %q vs %q", db, args, truncate(out[0], 200), truncate(out[1], 200))
				}
			}
			ta, _ := strconv.Atoi(strings.Trim(a.Do("TTL", key), ":\r\n"))
			tb, _ := strconv.Atoi(strings.Trim(b.Do("TTL", key), ":\r\n"))
			if ta-tb > 2 || tb-ta > 2 {
				t.Errorf("db %d TTL %s: %d vs %d", db, key, ta, tb)
			}
		}
	}
	a.Do("SELECT", "0")
	b.Do("SELECT", "0")
}

func checkRDB(t *testing.T, path string) {
	t.Helper()
	bin := harness.RequireTool(t, "redis-check-rdb")
	out, err := exec.Command(bin, path).CombinedOutput()
	if err != nil || !strings.Contains(string(out), `\o/ RDB looks OK! \o/`) {
		t.Errorf("redis-check-rdb %s: %v\n%s", path, err, out)
	}
}

func TestRDBFilesMoveBetweenPetrelAndRedis(t *testing.T) {
	harness.RequireRedis(t)
	for _, compress := range []string{"yes", "no"} {
		t.Run("rdbcompression "+compress, func(t *testing.T) {
			t.Parallel()
			// Petrel saves; Redis loads the file at start-up.
			pdir := t.TempDir()
			p := harness.StartPetrel(t, "--dir", pdir, "--rdbcompression", compress)
			pc := p.Dial(t)
			keys := fillBoth(t, pc)
			if got := pc.Do("SAVE"); got != "+OK\r\n" {
				t.Fatalf("SAVE: %q", got)
			}
			checkRDB(t, filepath.Join(pdir, "dump.rdb"))
			r := harness.StartRedis(t, "--dir", pdir, "--sanitize-dump-payload", "yes")
			compareContents(t, pc, r.Dial(t), keys)

			// Redis saves; Petrel loads it.
			rdir := t.TempDir()
			r2 := harness.StartRedis(t, "--dir", rdir, "--rdbcompression", compress)
			rc := r2.Dial(t)
			fillBoth(t, rc)
			if got := rc.Do("SAVE"); got != "+OK\r\n" {
				t.Fatalf("Redis SAVE: %q", got)
			}
			p2 := harness.StartPetrel(t, "--dir", rdir)
			compareContents(t, rc, p2.Dial(t), keys)
			if log := p2.Log(); !strings.Contains(log, "Loading RDB produced by version 7.0.15") ||
				!strings.Contains(log, "DB loaded from disk:") {
				t.Errorf("load log:\n%s", log)
			}
		})
	}
}

// runPetrel runs petrel-server to completion (it should exit) and returns
// its exit code and output.
func runPetrel(t *testing.T, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	port := harness.FreePort(t)
	cmd := exec.CommandContext(ctx, harness.PetrelBinary(t),
		append([]string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1"}, args...)...)
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("petrel did not exit: %s", out)
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	}
	return code, string(out)
}

func TestPetrelRefusesToStartOnDamagedRDB(t *testing.T) {
	dir := t.TempDir()
	p := harness.StartPetrel(t, "--dir", dir)
	pc := p.Dial(t)
	fillBoth(t, pc)
	pc.Do("SAVE")
	good, err := os.ReadFile(filepath.Join(dir, "dump.rdb"))
	if err != nil {
		t.Fatal(err)
	}
	p.Stop()
	bad := slices.Clone(good)
	bad[len(bad)-1] ^= 0x55 // the CRC itself
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"truncated", good[:len(good)*2/3], "Short read or OOM loading DB. Unrecoverable error, aborting now."},
		{"no trailer", good[:len(good)-8], "Short read or OOM loading DB. Unrecoverable error, aborting now."},
		{"checksum", bad, "Wrong RDB checksum"},
		{"signature", []byte("NOTREDIS0010"), "wrong signature"},
	} {
		d := t.TempDir()
		os.WriteFile(filepath.Join(d, "dump.rdb"), tc.data, 0o644)
		code, out := runPetrel(t, "--dir", d)
		if code == 0 || !strings.Contains(out, tc.want) || strings.Contains(out, "panic") ||
			strings.Contains(out, "Ready to accept connections") {
			t.Errorf("%s: exit %d, log:\n%s", tc.name, code, out)
		}
	}
}

func TestBgsaveUnderConcurrentWritesIsAConsistentCut(t *testing.T) {
	dir := t.TempDir()
	p := harness.StartPetrel(t, "--dir", dir, "--enable-debug-command", "yes")
	pc := p.Dial(t)
	pc.Do("DEBUG", "POPULATE", "100000")
	pc.Do("CONFIG", "SET", "rdb-key-save-delay", "1000") // 1 ms a shard: about 0.3 s
	// The writer sets two keys in different shards in one transaction; a
	// point-in-time file has them equal.
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	w := p.Dial(t)
	go func() {
		defer wg.Done()
		for i := 0; ctx.Err() == nil; i++ {
			v := strconv.Itoa(i)
			w.Send("MULTI")
			w.Send("SET", "pair:a", v)
			w.Send("SET", "pair:b{x}", v)
			w.Send("DEL", "key:"+strconv.Itoa(i%100000))
			w.Send("EXEC")
			for range 5 {
				w.Read()
			}
		}
	}()
	time.Sleep(50 * time.Millisecond)
	if got := pc.Do("BGSAVE"); got != "+Background saving started\r\n" {
		t.Fatalf("BGSAVE: %q", got)
	}
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(pc.Do("INFO", "persistence"), "rdb_bgsave_in_progress:0") {
		if time.Now().After(deadline) {
			t.Fatal("BGSAVE did not end")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	wg.Wait()
	if info := pc.Do("INFO", "persistence"); !strings.Contains(info, "rdb_last_bgsave_status:ok") {
		t.Fatalf("%s", info)
	}
	checkRDB(t, filepath.Join(dir, "dump.rdb"))
	p.Stop()
	p2 := harness.StartPetrel(t, "--dir", dir)
	c2 := p2.Dial(t)
	a, b := c2.Do("GET", "pair:a"), c2.Do("GET", "pair:b{x}")
	if a != b || a == "$-1\r\n" {
		t.Errorf("not a consistent cut: pair:a %q, pair:b %q", a, b)
	}
	n, _ := strconv.Atoi(strings.Trim(c2.Do("DBSIZE"), ":\r\n"))
	if n < 50000 || n > 100002 {
		t.Errorf("DBSIZE %d", n)
	}
}
