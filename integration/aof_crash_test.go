package integration

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"petrel/integration/harness"
)

// Crash safety of the AOF: Petrel is killed with SIGKILL at random moments
// while clients write, then restarted on the same directory. Every write it
// acknowledged must be there after the restart. Replies are sent only after
// the log is written to the file (and fsynced with always), so a process
// crash loses nothing under either policy; everysec only risks the last
// second if the machine itself goes down, which a test cannot do.

// crashWriter is one client's acknowledged writes: an INCR counter and a
// list pushed 0, 1, 2, ...
type crashWriter struct {
	key   string
	acked int64 // last acknowledged INCR result (also the list length)
}

// run writes until the connection fails (the kill).
func (w *crashWriter) run(c *harness.Conn) {
	for {
		n := w.acked + 1
		if err := c.Write(append(harness.Encode("INCR", w.key+":n"),
			harness.Encode("RPUSH", w.key+":l", strconv.FormatInt(n, 10))...)); err != nil {
			return
		}
		r1, err1 := c.Read()
		r2, err2 := c.Read()
		if err1 != nil || err2 != nil {
			return
		}
		if string(r1) != fmt.Sprintf(":%d\r\n", n) || string(r2) != fmt.Sprintf(":%d\r\n", n) {
			return // checked after the restart
		}
		w.acked = n
	}
}

// check verifies the restarted server holds every acknowledged write, and
// at most the one in flight beyond it.
func (w *crashWriter) check(t *testing.T, c *harness.Conn, round int) {
	t.Helper()
	v := c.Do("GET", w.key+":n")
	var got int64
	if !strings.HasPrefix(v, "$-1") {
		var err error
		_, body, _ := strings.Cut(v, "\r\n")
		if got, err = strconv.ParseInt(strings.TrimSpace(body), 10, 64); err != nil {
			t.Fatalf("round %d: GET %s:n = %q", round, w.key, v)
		}
	}
	if got < w.acked || got > w.acked+1 {
		t.Fatalf("round %d: %s:n = %d after the restart, but %d was acknowledged", round, w.key, got, w.acked)
	}
	llen := c.Do("LLEN", w.key+":l")
	if llen != fmt.Sprintf(":%d\r\n", got) {
		t.Fatalf("round %d: LLEN %s:l = %q, counter %d (a transaction-less pair must both be there or both not)", round, w.key, llen, got)
	}
	w.acked = got
}

func TestAOFKeepsAcknowledgedWritesAcrossKill9(t *testing.T) {
	rounds := 10
	if testing.Short() {
		rounds = 3
	}
	for _, policy := range []string{"always", "everysec"} {
		t.Run(policy, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
			writers := make([]*crashWriter, 4)
			for i := range writers {
				writers[i] = &crashWriter{key: fmt.Sprintf("w%d", i)}
			}
			for round := 0; round <= rounds; round++ {
				p := harness.StartPetrel(t, "--dir", dir, "--appendonly", "yes", "--appendfsync", policy)
				check := p.Dial(t)
				for _, w := range writers {
					w.check(t, check, round)
				}
				check.Close()
				if round == rounds {
					p.Stop()
					break
				}
				var wg sync.WaitGroup
				for _, w := range writers {
					c := p.Dial(t)
					wg.Add(1)
					go func() {
						defer wg.Done()
						defer c.Close()
						w.run(c)
					}()
				}
				time.Sleep(time.Duration(50+rng.IntN(300)) * time.Millisecond)
				p.Kill()
				wg.Wait()
			}
			var total int64
			for _, w := range writers {
				total += w.acked
			}
			if total == 0 {
				t.Fatalf("no write was acknowledged in %d rounds", rounds)
			}
			t.Logf("%s: %d kills, %d acknowledged INCR+RPUSH pairs all found again", policy, rounds, total)
		})
	}
}

// lastIncr returns the path of the newest incremental AOF file in dir.
func lastIncr(t *testing.T, dir string) string {
	t.Helper()
	m, err := os.ReadFile(filepath.Join(dir, "appendonlydir", "appendonly.aof.manifest"))
	if err != nil {
		t.Fatal(err)
	}
	var name string
	for _, line := range strings.Split(string(m), "\n") {
		f := strings.Fields(line)
		if len(f) == 6 && f[5] == "i" {
			name = f[1]
		}
	}
	if name == "" {
		t.Fatalf("no incr file in manifest:\n%s", m)
	}
	return filepath.Join(dir, "appendonlydir", name)
}

func TestAOFTornTailFollowsAofLoadTruncated(t *testing.T) {
	dir := t.TempDir()
	p := harness.StartPetrel(t, "--dir", dir, "--appendonly", "yes", "--appendfsync", "always")
	c := p.Dial(t)
	for i := 0; i < 10; i++ {
		c.Do("RPUSH", "l", strconv.Itoa(i))
	}
	p.Kill()
	incr := lastIncr(t, dir)
	f, err := os.OpenFile(incr, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("*3\r\n$5\r\nRPUSH\r\n$1\r\nl\r\n$2\r\n1") // torn in its last argument
	f.Close()
	whole, _ := os.Stat(incr)

	// aof-load-truncated no: Redis refuses to start, and so does Petrel.
	code, out := runPetrel(t, "--dir", dir, "--appendonly", "yes", "--aof-load-truncated", "no")
	if code == 0 || !strings.Contains(out, "Unexpected end of file reading the append only file") {
		t.Fatalf("aof-load-truncated no: exit %d, log:\n%s", code, out)
	}

	// yes (the default): the torn command is cut off and the rest loads.
	p2 := harness.StartPetrel(t, "--dir", dir, "--appendonly", "yes")
	c2 := p2.Dial(t)
	if got := c2.Do("LLEN", "l"); got != ":10\r\n" {
		t.Fatalf("LLEN after loading a torn AOF = %q, want :10", got)
	}
	if !strings.Contains(p2.Log(), "!!! Truncating the AOF") {
		t.Fatalf("no truncation logged:\n%s", p2.Log())
	}
	if st, _ := os.Stat(incr); st.Size() >= whole.Size() {
		t.Fatalf("the file was not truncated: %d bytes, %d before", st.Size(), whole.Size())
	}
	// The log goes on after the cut: a new write survives another restart.
	c2.Do("RPUSH", "l", "after")
	p2.Kill()
	p3 := harness.StartPetrel(t, "--dir", dir, "--appendonly", "yes")
	if got := p3.Dial(t).Do("LINDEX", "l", "-1"); got != "$5\r\nafter\r\n" {
		t.Fatalf("LINDEX l -1 after the second restart = %q", got)
	}
}
