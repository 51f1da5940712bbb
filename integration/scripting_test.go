package integration

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"petrel/integration/harness"
)

// Scripts that touch keys they do not declare stay atomic under
// concurrency: several clients run a transfer script that moves units
// between undeclared keys (some before writing, some after), while others
// INCR the same keys directly; the total is conserved, nothing deadlocks,
// and INFO petrel counts the fallbacks.

// transferScript moves one unit from ARGV[1] to ARGV[2], both undeclared;
// with ARGV[3] = "late" it writes a declared key first, so the undeclared
// keys are reached after a write and must be locked there.
const transferScript = `if ARGV[3] == 'late' then redis.call('INCR', KEYS[1]) end
local v = tonumber(redis.call('GET', ARGV[1]) or '0')
redis.call('SET', ARGV[1], v - 1)
redis.call('INCRBY', ARGV[2], 1)
return v`

func TestScriptsWithUndeclaredKeysStayAtomic(t *testing.T) {
	p := harness.StartPetrel(t)
	const accounts, workers, rounds = 16, 6, 150
	var clients []func() string
	for w := 0; w < workers; w++ {
		c := p.Dial(t)
		clients = append(clients, func() string {
			for i := 0; i < rounds; i++ {
				from := fmt.Sprintf("acct:%d", (w*7+i)%accounts)
				to := fmt.Sprintf("acct:%d", (w*3+i*5+1)%accounts)
				// Odd rounds write first, in a script never seen before (its
				// own SHA1), so the undeclared keys must be locked after a
				// write; even rounds run one script that is learned once.
				mode, body := "early", transferScript
				if i%2 == 1 {
					mode, body = "late", fmt.Sprintf("%s -- %d/%d", transferScript, w, i)
				}
				r := c.Do("EVAL", body, "1", fmt.Sprintf("counter:%d", w), from, to, mode)
				if strings.HasPrefix(r, "-") {
					return r
				}
			}
			return ""
		})
	}
	// Direct writers on the same keys: their INCR/DECR pairs keep the total.
	for w := 0; w < 2; w++ {
		c := p.Dial(t)
		clients = append(clients, func() string {
			for i := 0; i < rounds; i++ {
				k := fmt.Sprintf("acct:%d", (i*w+3)%accounts)
				if r := c.Do("MULTI"); r != "+OK\r\n" {
					return r
				}
				c.Do("INCRBY", k, "5")
				c.Do("DECRBY", fmt.Sprintf("acct:%d", (i+w)%accounts), "5")
				if r := c.Do("EXEC"); !strings.HasPrefix(r, "*2") {
					return r
				}
			}
			return ""
		})
	}
	runClients(t, clients)
	c := p.Dial(t)
	var total int64
	for i := 0; i < accounts; i++ {
		v := c.Do("GET", fmt.Sprintf("acct:%d", i))
		var n int64
		if !strings.HasPrefix(v, "$-1") {
			_, body, _ := strings.Cut(v, "\r\n")
			fmt.Sscan(strings.TrimSpace(body), &n)
		}
		total += n
	}
	if total != 0 {
		t.Fatalf("units are not conserved: the accounts sum to %d, want 0", total)
	}
	info := c.Do("INFO", "petrel")
	if !strings.Contains(info, fmt.Sprintf("scripts_known_to_use_undeclared_keys:%d", 1+workers*rounds/2)) ||
		strings.Contains(info, "scripts_undeclared_keys_fallbacks:0\r\n") {
		t.Fatalf("INFO petrel does not show the fallbacks:\n%s", info)
	}
}

// A script that selects another database and uses its declared key's name
// there touches a key it did not declare: that key is locked like any
// other undeclared one, so a read-modify-write against direct writers in
// that database loses nothing.
func TestAScriptUsingItsKeyNameInAnotherDatabaseStaysAtomic(t *testing.T) {
	p := harness.StartPetrel(t)
	const script = `redis.call('SELECT', 1)
local v = tonumber(redis.call('GET', KEYS[1]) or '0')
redis.call('SET', KEYS[1], v + 1)
return v`
	const workers, rounds = 4, 300
	var clients []func() string
	for w := 0; w < workers; w++ {
		scripted, direct := p.Dial(t), p.Dial(t)
		direct.Do("SELECT", "1")
		clients = append(clients, func() string {
			for i := 0; i < rounds; i++ {
				if r := scripted.Do("EVAL", script, "1", "counter"); !strings.HasPrefix(r, ":") {
					return r
				}
			}
			return ""
		}, func() string {
			for i := 0; i < rounds; i++ {
				if r := direct.Do("INCR", "counter"); !strings.HasPrefix(r, ":") {
					return r
				}
			}
			return ""
		})
	}
	runClients(t, clients)
	c := p.Dial(t)
	c.Do("SELECT", "1")
	if got, want := c.Do("GET", "counter"), fmt.Sprintf("%d", 2*workers*rounds); got != fmt.Sprintf("$%d\r\n%s\r\n", len(want), want) {
		t.Fatalf("counter in db 1 = %q, want %s: increments were lost", got, want)
	}
}

// runClients runs each client's work on a goroutine of its own and fails
// the test with the reply any of them did not expect (what it returns;
// "" for none).
func runClients(t *testing.T, clients []func() string) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan string, len(clients))
	for _, work := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if r := work(); r != "" {
				errs <- r
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatalf("a client got %q", e)
	}
}
