package server

import (
	"sync"
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
}

func (p *pauseState) active() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.on && time.Now().Before(p.until)
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
		p.on = false
		close(p.resumed)
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
		covered := p.all || cmd.Is(FlagWrite) || cmd.Is(FlagMayReplicate)
		if !covered || cmd.Name == "client|unpause" {
			p.mu.Unlock()
			return
		}
		until, ch := p.until, p.resumed
		p.mu.Unlock()
		c.setFlag(cflagBlocked, true)
		c.flush()
		select {
		case <-time.After(time.Until(until)):
		case <-ch:
		case <-s.shutdown:
		}
		c.setFlag(cflagBlocked, false)
	}
}
