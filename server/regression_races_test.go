package server

import (
	"strings"
	"sync"
	"testing"
	"time"

	"petrel/config"
)

// B: SELECT with a leading zero inside MULTI: EXEC locks db 1, runs in db 0.
func TestRegressionSelectInExecRace(t *testing.T) {
	s := startTestServer(t)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		d := dialRaw(t, s)
		for {
			select {
			case <-stop:
				return
			default:
			}
			d.Do("INCR", "k")
		}
	}()
	c := dialRaw(t, s)
	for i := 0; i < 300; i++ {
		c.Do("MULTI")
		c.Do("SELECT", "01")
		c.Do("INCR", "k")
		r := c.Do("EXEC")
		if i == 0 {
			t.Logf("EXEC: %q", r)
		}
	}
	close(stop)
	wg.Wait()
}

// C: BLMOVE's push to dst serves a BLPOP waiter on dst with dst's shard unlocked.
func TestRegressionChainedServeRace(t *testing.T) {
	s := startTestServer(t)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() { // hammer dst
		defer wg.Done()
		d := dialRaw(t, s)
		for {
			select {
			case <-stop:
				return
			default:
			}
			d.Do("RPUSH", "dst", "z")
			d.Do("LPOP", "dst")
		}
	}()
	for i := 0; i < 200; i++ {
		a := dialRaw(t, s)
		b := dialRaw(t, s)
		p := dialRaw(t, s)
		a.Send(encode("BLMOVE", "src", "dst", "LEFT", "LEFT", "2"))
		time.Sleep(2 * time.Millisecond)
		b.Send(encode("BLPOP", "dst", "2"))
		time.Sleep(2 * time.Millisecond)
		p.Do("RPUSH", "src", "x")
		a.Read()
		b.Read()
		a.conn.Close()
		b.conn.Close()
		p.conn.Close()
	}
	close(stop)
	wg.Wait()
}

// D: AUTH pipelined before a >16KiB argument.
func TestRegressionAuthPipelined(t *testing.T) {
	s := startTestServer(t, func(cfg *config.Config) { cfg.RequirePass = "pw" })
	c := dialRaw(t, s)
	big := strings.Repeat("x", 20000)
	buf := append(encode("AUTH", "pw"), encode("SET", "k", big)...)
	c.Send(buf)
	t.Logf("AUTH: %q", c.Read())
	t.Logf("SET: %q (Redis: +OK)", c.Read())
}
