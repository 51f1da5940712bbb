package server

import (
	"sync"
	"sync/atomic"
	"time"
)

// latencyMonitor records latency spikes per event above
// latency-monitor-threshold milliseconds (LATENCY LATEST, HISTORY...).
type latencyMonitor struct {
	threshold atomic.Int64 // milliseconds; 0 disables
	mu        sync.Mutex
	events    map[string]*latencyEvent
}

type latencySample struct {
	at int64 // unix seconds
	ms int64
}

type latencyEvent struct {
	samples []latencySample // oldest first, at most 160
	max     int64
}

const latencyHistoryLen = 160

// observe records d under event when it reaches the threshold. Redis files
// slow commands under "command" and slow fast-flagged ones under
// "fast-command".
func (m *latencyMonitor) observe(event string, d time.Duration, fast bool) {
	th := m.threshold.Load()
	if th <= 0 {
		return
	}
	ms := d.Milliseconds()
	if ms < th {
		return
	}
	if fast && event == "command" {
		event = "fast-command"
	}
	m.add(event, ms)
}

func (m *latencyMonitor) add(event string, ms int64) {
	now := time.Now().Unix()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.events == nil {
		m.events = make(map[string]*latencyEvent)
	}
	ev := m.events[event]
	if ev == nil {
		ev = &latencyEvent{}
		m.events[event] = ev
	}
	if n := len(ev.samples); n > 0 && ev.samples[n-1].at == now {
		if ms > ev.samples[n-1].ms {
			ev.samples[n-1].ms = ms
		}
	} else {
		ev.samples = append(ev.samples, latencySample{at: now, ms: ms})
		if len(ev.samples) > latencyHistoryLen {
			ev.samples = ev.samples[1:]
		}
	}
	if ms > ev.max {
		ev.max = ms
	}
}
