package server

import (
	"sync"
	"sync/atomic"
	"time"
)

// slowLog keeps the newest commands that ran longer than
// slowlog-log-slower-than microseconds, up to slowlog-max-len entries.
type slowLog struct {
	threshold atomic.Int64 // microseconds; negative disables, 0 logs all
	mu        sync.Mutex
	maxLen    int
	entries   []slowEntry // newest first
	nextID    int64
}

type slowEntry struct {
	id   int64
	at   int64 // unix seconds
	usec int64
	args []string
	peer string
	name string
}

func (l *slowLog) configure(threshold int64, maxLen int) {
	l.threshold.Store(threshold)
	l.mu.Lock()
	l.maxLen = maxLen
	if len(l.entries) > maxLen {
		l.entries = l.entries[:maxLen]
	}
	l.mu.Unlock()
}

// Redis keeps at most 32 arguments and 128 bytes of each.
const (
	slowlogMaxArgc   = 32
	slowlogMaxArgLen = 128
)

// maybeAdd logs a command that took usec microseconds, if that reaches the
// threshold.
func (l *slowLog) maybeAdd(c *Client, args [][]byte, usec int64) {
	th := l.threshold.Load()
	if th < 0 || usec < th {
		return
	}
	n := len(args)
	if n > slowlogMaxArgc {
		n = slowlogMaxArgc
	}
	saved := make([]string, n)
	for i := 0; i < n; i++ {
		if i == slowlogMaxArgc-1 && len(args) > slowlogMaxArgc {
			saved[i] = "... (" + itoa(int64(len(args)-slowlogMaxArgc+1)) + " more arguments)"
			break
		}
		a := args[i]
		if len(a) > slowlogMaxArgLen {
			saved[i] = string(a[:slowlogMaxArgLen]) + "... (" + itoa(int64(len(a)-slowlogMaxArgLen)) + " more bytes)"
		} else {
			saved[i] = string(a)
		}
	}
	peer := c.addr
	if peer == "" {
		peer = "?:0" // a script's commands: Redis's address of a client without a connection
	}
	e := slowEntry{at: time.Now().Unix(), usec: usec, args: saved, peer: peer, name: c.getName()}
	l.mu.Lock()
	e.id = l.nextID
	l.nextID++
	l.entries = append([]slowEntry{e}, l.entries...)
	if len(l.entries) > l.maxLen {
		l.entries = l.entries[:l.maxLen]
	}
	l.mu.Unlock()
}

// reset empties the log (SLOWLOG RESET); entry ids keep counting.
func (l *slowLog) reset() {
	l.mu.Lock()
	l.entries = nil
	l.mu.Unlock()
}
