package integration

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"petrel/integration/harness"
)

// These tests run the real redis-cli against Petrel (and the reference, to
// pin the expected output). They are skipped when redis-cli is missing.

// cli runs redis-cli against srv with args, feeding stdin, for at most
// limit, and returns its combined output and exit error.
func cli(t *testing.T, srv *harness.Server, stdin []byte, limit time.Duration, args ...string) (string, error) {
	t.Helper()
	bin := harness.RequireTool(t, "redis-cli")
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	argv := append([]string{"-h", "127.0.0.1", "-p", strconv.Itoa(srv.Port)}, args...)
	var cmd *exec.Cmd
	// Line-buffer redis-cli's stdout so the modes that only stop when
	// killed (--stat, --latency) have flushed what they printed.
	if sb, err := exec.LookPath("stdbuf"); err == nil {
		cmd = exec.CommandContext(ctx, sb, append([]string{"-oL", bin}, argv...)...)
	} else {
		cmd = exec.CommandContext(ctx, bin, argv...)
	}
	cmd.Stdin = bytes.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestRedisCliPing(t *testing.T) {
	forEachServer(t, nil, func(t *testing.T, srv *harness.Server) {
		out, err := cli(t, srv, nil, 10*time.Second, "ping")
		if err != nil || out != "PONG\n" {
			t.Errorf("redis-cli ping = %q, %v", out, err)
		}
		out, err = cli(t, srv, nil, 10*time.Second, "set", "greeting", "hello world")
		if err != nil || out != "OK\n" {
			t.Errorf("redis-cli set = %q, %v", out, err)
		}
		out, err = cli(t, srv, nil, 10*time.Second, "get", "greeting")
		if err != nil || out != "hello world\n" {
			t.Errorf("redis-cli get = %q, %v", out, err)
		}
		out, err = cli(t, srv, nil, 10*time.Second, "nosuchcommand", "x")
		if err != nil || out != "ERR unknown command 'nosuchcommand', with args beginning with: 'x' \n\n" {
			t.Errorf("redis-cli nosuchcommand = %q, %v", out, err)
		}
	})
}

func TestRedisCliRepeat(t *testing.T) {
	forEachServer(t, nil, func(t *testing.T, srv *harness.Server) {
		out, err := cli(t, srv, nil, 10*time.Second, "-r", "3", "incr", "x")
		if err != nil || out != "1\n2\n3\n" {
			t.Errorf("redis-cli -r 3 incr x = %q, %v", out, err)
		}
	})
}

func TestRedisCliPipeMassInsert(t *testing.T) {
	const n = 20000
	forEachServer(t, nil, func(t *testing.T, srv *harness.Server) {
		var b bytes.Buffer
		for i := 0; i < n; i++ {
			b.Write(harness.Encode("SET", "mass:"+strconv.Itoa(i), strings.Repeat("v", i%100)))
		}
		file := filepath.Join(t.TempDir(), "mass-insert.txt")
		if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(file)
		out, err := cli(t, srv, data, 60*time.Second, "--pipe")
		if err != nil || !strings.Contains(out, fmt.Sprintf("errors: 0, replies: %d", n)) {
			t.Errorf("redis-cli --pipe: %v\n%s", err, out)
		}
		if r := srv.Dial(t).Do("DBSIZE"); r != fmt.Sprintf(":%d\r\n", n) {
			t.Errorf("DBSIZE after mass insert = %q", r)
		}
	})
}

func TestRedisCliScanPattern(t *testing.T) {
	forEachServer(t, nil, func(t *testing.T, srv *harness.Server) {
		c := srv.Dial(t)
		var want []string
		for i := 0; i < 300; i++ {
			c.Do("SET", "user:"+strconv.Itoa(i), "x")
			c.Do("SET", "other:"+strconv.Itoa(i), "x")
			want = append(want, "user:"+strconv.Itoa(i))
		}
		out, err := cli(t, srv, nil, 20*time.Second, "--scan", "--pattern", "user:*")
		if err != nil {
			t.Fatalf("redis-cli --scan: %v\n%s", err, out)
		}
		got := strings.Fields(out)
		sort.Strings(got)
		sort.Strings(want)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("redis-cli --scan --pattern user:* returned %d keys, want the 300 user keys exactly once:\n%s",
				len(got), truncate(out, 500))
		}
	})
}

func TestRedisCliBigkeys(t *testing.T) {
	forEachServer(t, nil, func(t *testing.T, srv *harness.Server) {
		c := srv.Dial(t)
		c.Do("MSET", "user:1", "a", "user:2", "b", "other", "c", "big", strings.Repeat("x", 3000))
		out, err := cli(t, srv, nil, 20*time.Second, "--bigkeys")
		if err != nil {
			t.Fatalf("redis-cli --bigkeys: %v\n%s", err, out)
		}
		for _, want := range []string{
			"Sampled 4 keys in the keyspace!",
			`Biggest string found '"big"' has 3000 bytes`,
			"4 strings with 3003 bytes (100.00% of keys, avg size 750.75)",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("redis-cli --bigkeys output lacks %q:\n%s", want, out)
			}
		}
	})
}

var latencyLine = regexp.MustCompile(`(?m)^(\d+) (\d+) (\d+\.\d+) (\d+)$`)

func TestRedisCliLatency(t *testing.T) {
	forEachServer(t, nil, func(t *testing.T, srv *harness.Server) {
		out, _ := cli(t, srv, nil, 2*time.Second, "--latency", "-i", "0.2")
		m := latencyLine.FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("redis-cli --latency printed no 'min max avg samples' line:\n%q", out)
		}
		if samples, _ := strconv.Atoi(m[4]); samples == 0 {
			t.Errorf("redis-cli --latency measured no samples: %q", out)
		}
		if strings.Contains(out, "ERR") || strings.Contains(out, "rror") {
			t.Errorf("redis-cli --latency reported an error:\n%s", out)
		}
	})
}

var statLine = regexp.MustCompile(`(?m)^(\d+)\s+[\d.]+[KMGB]?\s+(\d+)\s+(\d+)\s+(\d+) \(\+(\d+)\)\s+(\d+) *$`)

func TestRedisCliStat(t *testing.T) {
	forEachServer(t, nil, func(t *testing.T, srv *harness.Server) {
		c := srv.Dial(t)
		c.Do("MSET", "a", "1", "b", "2", "c", "3")
		c.Close()
		out, _ := cli(t, srv, nil, 2*time.Second, "--stat", "-i", "0.2")
		if !strings.Contains(out, "keys       mem      clients blocked requests            connections") {
			t.Errorf("redis-cli --stat printed no header:\n%s", out)
		}
		lines := statLine.FindAllStringSubmatch(out, -1)
		if len(lines) < 2 {
			t.Fatalf("redis-cli --stat printed %d data lines, want at least 2:\n%s", len(lines), out)
		}
		for _, l := range lines {
			// The client that set the keys may still be counted at first.
			if l[1] != "3" || (l[2] != "1" && l[2] != "2") || l[3] != "0" {
				t.Errorf("redis-cli --stat line %q: want 3 keys, 1 client (2 at first), 0 blocked", l[0])
			}
		}
		if lines[len(lines)-1][5] == "0" {
			t.Errorf("redis-cli --stat: request count did not grow between samples:\n%s", out)
		}
	})
}
