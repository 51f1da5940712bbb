package server

import (
	"slices"
	"strings"
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

// latencyEventView is a copy of one event's data for LATENCY's replies.
type latencyEventView struct {
	name    string
	samples []latencySample // oldest first, never empty
	max     int64
}

// snapshot copies every event with samples, sorted by name.
func (m *latencyMonitor) snapshot() []latencyEventView {
	m.mu.Lock()
	out := make([]latencyEventView, 0, len(m.events))
	for name, ev := range m.events {
		if len(ev.samples) > 0 {
			out = append(out, latencyEventView{name: name, samples: slices.Clone(ev.samples), max: ev.max})
		}
	}
	m.mu.Unlock()
	slices.SortFunc(out, func(a, b latencyEventView) int { return strings.Compare(a.name, b.name) })
	return out
}

// event copies one event's data; ok is false if it has no samples.
func (m *latencyMonitor) event(name string) (latencyEventView, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ev := m.events[name]
	if ev == nil || len(ev.samples) == 0 {
		return latencyEventView{}, false
	}
	return latencyEventView{name: name, samples: slices.Clone(ev.samples), max: ev.max}, true
}

// reset forgets the named events, or every event when names is empty, and
// returns how many it forgot.
func (m *latencyMonitor) reset(names []string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(names) == 0 {
		n := len(m.events)
		m.events = nil
		return n
	}
	n := 0
	for _, name := range names {
		if _, ok := m.events[name]; ok {
			delete(m.events, name)
			n++
		}
	}
	return n
}
