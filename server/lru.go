package server

import (
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"time"

	"petrel/store"
)

// Per-key access data, as Redis keeps it in 24 bits: under an LRU (or no)
// maxmemory policy, the LRU clock in seconds; under an LFU policy, the last
// decrement time in minutes (16 bits) and a logarithmic access counter (8
// bits). The policy is read on every access, so the server caches it.

type accessPolicy struct {
	lfu       atomic.Bool
	logFactor atomic.Int64
	decayTime atomic.Int64
}

// lfuInitVal is the counter of a new key under an LFU policy (LFU_INIT_VAL).
const lfuInitVal = 5

func (s *Server) refreshAccessPolicy() {
	s.cfg.RLock()
	lfu := strings.HasSuffix(s.cfg.MaxMemoryPolicy, "-lfu")
	s.cfg.RUnlock()
	s.access.lfu.Store(lfu)
	s.access.logFactor.Store(s.cfg.GetInt("lfu-log-factor"))
	s.access.decayTime.Store(s.cfg.GetInt("lfu-decay-time"))
}

// lfuPolicy reports whether an LFU maxmemory policy is selected.
func lfuPolicy(x *Ctx) bool { return x.s.access.lfu.Load() }

// newAccessData is what a key created now carries.
func (s *Server) newAccessData() uint32 {
	if s.access.lfu.Load() {
		return lfuMinutes()<<8 | lfuInitVal
	}
	return lruClock()
}

func (x *Ctx) touchLRU(e *store.Entry) {
	if x.c.noTouch && x.Cmd.Name != "touch" {
		return
	}
	sec := x.Now / 1000 // the command's time: no clock read per key
	if !x.s.access.lfu.Load() {
		e.SetLRU(uint32(sec) & (1<<24 - 1))
		return
	}
	minutes := uint32(sec/60) & 0xffff
	counter := lfuDecayed(e.LRU(), minutes, x.s.access.decayTime.Load())
	counter = lfuLogIncr(counter, x.s.access.logFactor.Load())
	e.SetLRU(minutes<<8 | uint32(counter))
}

// lfuLogIncr is Redis's LFULogIncr: the counter grows with probability
// 1/((counter-LFU_INIT_VAL)*lfu_log_factor+1), saturating at 255.
func lfuLogIncr(counter, logFactor int64) int64 {
	if counter == 255 {
		return 255
	}
	base := float64(counter - lfuInitVal)
	if base < 0 {
		base = 0
	}
	if rand.Float64() < 1/(base*float64(logFactor)+1) {
		counter++
	}
	return counter
}

// lruClock is Redis's 24-bit LRU clock in seconds.
func lruClock() uint32 { return uint32(time.Now().Unix()) & (1<<24 - 1) }

// lfuMinutes is Redis's LFUGetTimeInMinutes: a 16-bit clock in minutes.
func lfuMinutes() uint32 { return uint32(time.Now().Unix()/60) & 0xffff }

// lfuDecayed is Redis's LFUDecrAndReturn: the key's access counter less
// one for every decayMinutes elapsed since its last decrement (the 16-bit
// minute clock may have wrapped once).
func lfuDecayed(data, nowMinutes uint32, decayMinutes int64) int64 {
	last, counter := int64(data>>8), int64(data&0xff)
	now := int64(nowMinutes)
	elapsed := now - last
	if now < last {
		elapsed = 0xffff - last + now
	}
	if decayMinutes > 0 {
		counter = max(counter-elapsed/decayMinutes, 0)
	}
	return counter
}
