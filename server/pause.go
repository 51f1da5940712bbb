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
	// last is the latest client held by this pause: the held clients run
	// their commands in the order they were held, as Redis runs them.
	last *turnTicket
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
		p.last = nil
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

// turnTicket is a client's place among those a pause holds, or among
// those pushes served. done closes once its command (for a pause) or its
// pipelined input (once served) has run, letting the next one go on.
type turnTicket struct {
	done chan struct{}
	prev *turnTicket
}

// release lets the client held after this one run its command.
func (t *turnTicket) release() {
	if t != nil {
		t.prev = nil
		close(t.done)
	}
}

// nextTicket returns a new ticket placed after *last, and makes it *last.
func nextTicket(last **turnTicket) *turnTicket {
	t := &turnTicket{done: make(chan struct{}), prev: *last}
	*last = t
	return t
}

// waitTurn waits, once the pause is over, for the client held before this
// one to run its command. The wait is bounded, so a client that never gets
// there (its connection lost mid-command) holds nobody up for long.
func (t *turnTicket) waitTurn(c *Client) {
	if t == nil || t.prev == nil {
		return
	}
	prev := t.prev
	t.prev = nil // the chain of tickets must not keep every one alive
	timer := time.NewTimer(100 * time.Millisecond)
	defer timer.Stop()
	select {
	case <-prev.done:
	case <-timer.C:
	case <-c.closedCh:
	}
}

// waitUnpaused blocks a command that the current pause covers until the
// pause ends, then until the clients held before it have run theirs, as
// Redis runs held clients in order. It returns the client's ticket (nil if
// it was not held), which the caller releases once the command has run.
func (s *Server) waitUnpaused(c *Client, cmd *Command, args [][]byte) *turnTicket {
	var t *turnTicket
	for {
		p := &s.pause
		p.mu.Lock()
		if !p.on || !time.Now().Before(p.until) {
			p.mu.Unlock()
			t.waitTurn(c)
			return t
		}
		// As in Redis, an ALL pause holds every command, CLIENT UNPAUSE
		// included; a WRITE pause holds those that may change the dataset,
		// and EXEC when its transaction has one.
		covered := p.all || pausedByWrite(cmd) ||
			(cmd.Name == "exec" && c.inMulti && slices.ContainsFunc(c.queue, func(q queued) bool { return pausedByWrite(q.cmd) }))
		if !covered {
			p.mu.Unlock()
			t.waitTurn(c)
			return t
		}
		if t == nil {
			t = nextTicket(&p.last)
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
			t.release()
			return nil
		}
		c.setFlag(cflagBlocked, false)
	}
}

// pausedByWrite reports whether a WRITE pause holds cmd.
func pausedByWrite(cmd *Command) bool { return cmd.Flags&(FlagWrite|FlagMayReplicate) != 0 }
