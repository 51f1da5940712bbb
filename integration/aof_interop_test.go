package integration

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"petrel/integration/harness"
)

// AOF directories across implementations: a directory Petrel wrote (base
// and incremental files, before and after BGREWRITEAOF, with and without
// the RDB preamble) passes redis-check-aof and loads into Redis with the
// same contents; one Redis wrote loads into Petrel.

func checkAOF(t *testing.T, dir string) {
	t.Helper()
	bin := harness.RequireTool(t, "redis-check-aof")
	out, err := exec.Command(bin, filepath.Join(dir, "appendonlydir", "appendonly.aof.manifest")).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "All AOF files and manifest are valid") {
		t.Errorf("redis-check-aof %s: %v\n%s", dir, err, out)
	}
}

// waitRewrite waits for a background rewrite to finish.
func waitRewrite(t *testing.T, c *harness.Conn) {
	t.Helper()
	for i := 0; i < 500; i++ {
		info := c.Do("INFO", "persistence")
		if strings.Contains(info, "aof_rewrite_in_progress:0") && !strings.Contains(info, "aof_rewrite_scheduled:1") {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("BGREWRITEAOF did not finish in 5 s")
}

// copyDir copies the files of src (one level of subdirectories) into a new
// temporary directory, so two servers can each load their own copy.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// The reference for "loads identically" is Redis loading the same
// directory: a replayed stream, for one, is rebuilt in fewer nodes than the
// live one, in both servers.
func TestAOFDirectoriesMoveBetweenPetrelAndRedis(t *testing.T) {
	harness.RequireRedis(t)
	for _, preamble := range []string{"yes", "no"} {
		for _, rewrite := range []bool{false, true} {
			name := "preamble " + preamble
			if rewrite {
				name += " after BGREWRITEAOF"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				args := []string{"--appendonly", "yes", "--aof-use-rdb-preamble", preamble}
				for _, writer := range []string{"petrel", "redis"} {
					dir := t.TempDir()
					var w *harness.Server
					if writer == "petrel" {
						w = harness.StartPetrel(t, append(args, "--dir", dir)...)
					} else {
						w = harness.StartRedis(t, append(args, "--dir", dir)...)
					}
					c := w.Dial(t)
					keys := fillBoth(t, c)
					if rewrite {
						if got := c.Do("BGREWRITEAOF"); got != "+Background append only file rewriting started\r\n" {
							t.Fatalf("%s BGREWRITEAOF: %q", writer, got)
						}
						waitRewrite(t, c)
						c.Do("SET", "after:rewrite", "x")
						keys[0] = append(keys[0], "after:rewrite")
					}
					w.Stop()
					if writer == "petrel" {
						checkAOF(t, dir)
					}
					r := harness.StartRedis(t, append(args, "--dir", copyDir(t, dir), "--sanitize-dump-payload", "yes")...)
					p := harness.StartPetrel(t, append(args, "--dir", dir)...)
					compareContents(t, r.Dial(t), p.Dial(t), keys)
					if log := p.Log(); !strings.Contains(log, "DB loaded from append only file") {
						t.Errorf("%s-written: Petrel's load log:\n%s", writer, log)
					}
				}
			})
		}
	}
}
