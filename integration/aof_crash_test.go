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
// list pushed 1, 2, 3, ..., sent as a pipelined pair. A kill may fall
// between the two, so each is checked on its own.
type crashWriter struct {
	key     string
	counter int64 // last acknowledged INCR result
	length  int64 // last acknowledged RPUSH result (the list's length)
}

// run writes until the connection fails (the kill).
func (w *crashWriter) run(c *harness.Conn) {
	for {
		if err := c.Write(append(harness.Encode("INCR", w.key+":n"),
			harness.Encode("RPUSH", w.key+":l", strconv.FormatInt(w.length+1, 10))...)); err != nil {
			return
		}
		for _, field := range []*int64{&w.counter, &w.length} {
			r, err := c.Read()
			if err != nil {
				return
			}
			n, err := strconv.ParseInt(strings.TrimSpace(strings.TrimPrefix(string(r), ":")), 10, 64)
			if err != nil {
				return // checked after the restart
			}
			*field = n
		}
	}
}

// intOf reads an integer reply, or a bulk string holding one (nil is 0).
func intOf(t *testing.T, v string) int64 {
	t.Helper()
	if strings.HasPrefix(v, "$-1") {
		return 0
	}
	if _, body, ok := strings.Cut(v, "\r\n"); ok && strings.HasPrefix(v, "$") {
		v = body
	}
	n, err := strconv.ParseInt(strings.TrimSpace(strings.TrimPrefix(v, ":")), 10, 64)
	if err != nil {
		t.Fatalf("not an integer reply: %q", v)
	}
	return n
}

// check verifies the restarted server holds every acknowledged write, and
// at most the one in flight beyond it, then takes the server's state.
func (w *crashWriter) check(t *testing.T, c *harness.Conn, round int) {
	t.Helper()
	n := intOf(t, c.Do("GET", w.key+":n"))
	l := intOf(t, c.Do("LLEN", w.key+":l"))
	if n < w.counter || n > w.counter+1 {
		t.Fatalf("round %d: %s:n = %d after the restart, but %d was acknowledged", round, w.key, n, w.counter)
	}
	if l < w.length || l > w.length+1 {
		t.Fatalf("round %d: LLEN %s:l = %d after the restart, but %d was acknowledged", round, w.key, l, w.length)
	}
	if l > 0 {
		if last := c.Do("LINDEX", w.key+":l", "-1"); last != fmt.Sprintf("$%d\r\n%d\r\n", len(strconv.FormatInt(l, 10)), l) {
			t.Fatalf("round %d: the list's last element is %q, want %d", round, last, l)
		}
	}
	w.counter, w.length = n, l
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
				total += w.counter
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
