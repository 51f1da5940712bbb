package server

import (
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// pauseState implements CLIENT PAUSE: until the deadline, commands of the
// paused kind wait before running.
type pauseState struct {
	mu      sync.Mutex
	until   time.Time
	all     bool          // ALL rather than WRITE
	resumed chan struct{} // closed when the pause ends early
	on      bool
	// maybe is on, readable without mu: every command asks, and a mutex
	// all of them took was the busiest lock of the server
	maybe atomic.Bool
}

func (p *pauseState) active() bool {
	if !p.maybe.Load() {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.on && !time.Now().Before(p.until) {
		p.end() // over: later calls take the fast path again
	}
	return p.on
}

// end ends the pause; mu is held.
func (p *pauseState) end() {
	p.on = false
	p.maybe.Store(false)
	close(p.resumed)
}

// pauseClients starts or extends a pause. As in Redis, a later pause can
// only lengthen the deadline, and ALL wins over WRITE.
func (s *Server) pauseClients(d time.Duration, all bool) {
	p := &s.pause
	p.mu.Lock()
	defer p.mu.Unlock()
	until := time.Now().Add(d)
	if !p.on || !time.Now().Before(p.until) {
		p.on = true
		p.maybe.Store(true)
		p.all = all
		p.until = until
		p.resumed = make(chan struct{})
		return
	}
	if until.After(p.until) {
		p.until = until
	}
	p.all = p.all || all
}

func (s *Server) unpauseClients() {
	p := &s.pause
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.on {
		p.end()
	}
}

// waitUnpaused blocks a command that the current pause covers until the
// pause ends.
func (s *Server) waitUnpaused(c *Client, cmd *Command, args [][]byte) {
	for {
		p := &s.pause
		p.mu.Lock()
		if !p.on || !time.Now().Before(p.until) {
			p.mu.Unlock()
			return
		}
		// As in Redis, an ALL pause holds every command, CLIENT UNPAUSE
		// included; a WRITE pause holds those that may change the dataset,
		// and EXEC when its transaction has one.
		covered := p.all || pausedByWrite(cmd) ||
			(cmd.Name == "exec" && c.inMulti && slices.ContainsFunc(c.queue, func(q queued) bool { return pausedByWrite(q.cmd) }))
		if !covered {
			p.mu.Unlock()
			return
		}
		until, ch := p.until, p.resumed
		p.mu.Unlock()
		c.setLastCmd(cmd.Name) // CLIENT LIST shows what the client waits to run
		c.setFlag(cflagBlocked, true)
		c.leaveLoop()
		c.flush()
		select {
		case <-time.After(time.Until(until)):
		case <-ch:
		case <-s.shutdown:
		case <-c.closedCh: // killed while paused: the command must not run
			c.setFlag(cflagBlocked, false)
			return
		}
		c.setFlag(cflagBlocked, false)
	}
}

// pausedByWrite reports whether a WRITE pause holds cmd.
func pausedByWrite(cmd *Command) bool { return cmd.Flags&(FlagWrite|FlagMayReplicate) != 0 }
