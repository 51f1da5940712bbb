package integration

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"petrel/integration/harness"
)

// The AOF's run-time settings: CONFIG SET appendonly yes/no, the automatic
// rewrite, aof-timestamp-enabled, DEBUG LOADAOF and INFO's aof fields.

// waitInfo polls INFO persistence until it contains want.
func waitInfo(t *testing.T, c *harness.Conn, want string) string {
	t.Helper()
	var info string
	for i := 0; i < 500; i++ {
		if info = c.Do("INFO", "persistence"); strings.Contains(info, want) {
			return info
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("INFO persistence never showed %q:\n%s", want, info)
	return ""
}

func manifest(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "appendonlydir", "appendonly.aof.manifest"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestConfigSetAppendonlyTurnsTheLogOnAndOff(t *testing.T) {
	dir := t.TempDir()
	p := harness.StartPetrel(t, "--dir", dir)
	c := p.Dial(t)
	c.Do("SET", "before", "1")
	if got := c.Do("CONFIG", "SET", "appendonly", "yes"); got != "+OK\r\n" {
		t.Fatalf("CONFIG SET appendonly yes: %q", got)
	}
	waitInfo(t, c, "aof_rewrite_in_progress:0")
	info := waitInfo(t, c, "aof_enabled:1")
	if !strings.Contains(info, "aof_rewrites:1") {
		t.Fatalf("turning the AOF on is a rewrite:\n%s", info)
	}
	// The base holds what was there; the incremental file what follows.
	if m := manifest(t, dir); m != "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n" {
		t.Fatalf("manifest:\n%s", m)
	}
	c.Do("SET", "after", "2")
	if got := c.Do("CONFIG", "SET", "appendonly", "no"); got != "+OK\r\n" {
		t.Fatalf("CONFIG SET appendonly no: %q", got)
	}
	waitInfo(t, c, "aof_enabled:0")
	c.Do("SET", "unlogged", "3")
	// On again: a new base and incremental file replace the old ones, with
	// the next sequence numbers, as Redis names them.
	c.Do("CONFIG", "SET", "appendonly", "yes")
	waitInfo(t, c, "aof_rewrites:2")
	waitInfo(t, c, "aof_rewrite_in_progress:0")
	if m := manifest(t, dir); m != "file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n" {
		t.Fatalf("manifest after turning the AOF on again:\n%s", m)
	}
	c.Do("DEL", "unlogged")
	c.Do("CONFIG", "SET", "appendonly", "no")
	waitInfo(t, c, "aof_enabled:0")
	c.Do("SET", "unlogged", "3")
	p.Stop()

	// A restart with the AOF loads both keys written before it was turned
	// off, and not the one written after.
	p2 := harness.StartPetrel(t, "--dir", dir, "--appendonly", "yes")
	c2 := p2.Dial(t)
	if got := c2.Do("MGET", "before", "after", "unlogged"); got != "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$-1\r\n" {
		t.Fatalf("MGET after the restart: %q", got)
	}
}

func TestAutomaticRewriteOnGrowth(t *testing.T) {
	dir := t.TempDir()
	p := harness.StartPetrel(t, "--dir", dir, "--appendonly", "yes",
		"--auto-aof-rewrite-percentage", "100", "--auto-aof-rewrite-min-size", "65536")
	c := p.Dial(t)
	value := strings.Repeat("v", 1000)
	for i := 0; i < 200; i++ { // about 200 KB of log, well past both limits
		c.Do("SET", "k", value)
	}
	waitInfo(t, c, "aof_rewrites:1")
	waitInfo(t, c, "aof_rewrite_in_progress:0")
	if !strings.Contains(p.Log(), "Starting automatic rewriting of AOF on") {
		t.Fatalf("no automatic rewrite logged:\n%s", p.Log())
	}
	if m := manifest(t, dir); !strings.Contains(m, "appendonly.aof.2.base.rdb seq 2 type b") {
		t.Fatalf("manifest after the rewrite:\n%s", m)
	}
	// The rewrite left one key of 1 KB: far below the growth that started it.
	info := c.Do("INFO", "persistence")
	size := regexp.MustCompile(`aof_current_size:(\d+)`).FindStringSubmatch(info)
	if size == nil || len(size[1]) > 5 {
		t.Fatalf("aof_current_size after the rewrite:\n%s", info)
	}
}

func TestAofTimestampsAnnotateTheLogAndLoad(t *testing.T) {
	dir := t.TempDir()
	p := harness.StartPetrel(t, "--dir", dir, "--appendonly", "yes", "--aof-timestamp-enabled", "yes")
	c := p.Dial(t)
	c.Do("SET", "a", "1")
	c.Do("SET", "b", "2")
	p.Stop()
	incr, err := os.ReadFile(lastIncr(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^#TS:\d{10}\r\n\*`).Match(incr) {
		t.Fatalf("the log does not start with a #TS annotation: %q", incr)
	}
	p2 := harness.StartPetrel(t, "--dir", dir, "--appendonly", "yes")
	if got := p2.Dial(t).Do("MGET", "a", "b"); got != "*2\r\n$1\r\n1\r\n$1\r\n2\r\n" {
		t.Fatalf("MGET after loading an annotated log: %q", got)
	}
}

func TestDebugLoadaofReloadsTheLog(t *testing.T) {
	p := harness.StartPetrel(t, "--dir", t.TempDir(), "--appendonly", "yes", "--enable-debug-command", "yes")
	c := p.Dial(t)
	c.Do("RPUSH", "l", "a", "b")
	c.Do("SET", "s", "x", "EX", "1000")
	if got := c.Do("DEBUG", "LOADAOF"); got != "+OK\r\n" {
		t.Fatalf("DEBUG LOADAOF: %q", got)
	}
	if got := c.Do("LRANGE", "l", "0", "-1"); got != "*2\r\n$1\r\na\r\n$1\r\nb\r\n" {
		t.Fatalf("LRANGE after DEBUG LOADAOF: %q", got)
	}
	if ttl := c.Do("TTL", "s"); ttl != ":1000\r\n" && ttl != ":999\r\n" {
		t.Fatalf("TTL after DEBUG LOADAOF: %q", ttl)
	}
}
