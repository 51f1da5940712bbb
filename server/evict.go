package server

import (
	"math/rand/v2"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"

	"petrel/eviction"
	"petrel/store"
)

// maxmemory and eviction, as Redis does them: before each command, while
// used memory is over maxmemory, keys chosen by maxmemory-policy are
// deleted; when nothing can be evicted, commands flagged denyoom get the OOM
// error.
//
// Used memory estimates the live data in the Go heap, as Redis's
// used_memory counts what its allocator holds: the heap the last garbage
// collection found live, plus the share of the bytes allocated since that
// the previous cycles retained, less the estimated size of the keys evicted
// since. The heap's allocated bytes alone would count garbage: a workload
// overwriting values that fit would see its dead values as used memory and
// evict live keys for them until the next collection, and a cache would
// hold fewer keys than maxmemory allows by the garbage of a whole cycle.
// Evictions are counted as freed at once for the same reason (their memory
// returns to the heap only when the collector runs), which keeps one burst
// of writes from evicting far more than needed. The garbage lives in the
// headroom of the runtime's memory limit, which follows maxmemory, so the
// collector works harder as the heap nears it; every collection then gives
// an exact live figure, so an estimate that ran low is corrected within a
// cycle.
//
// Concurrency: eviction runs on the command's goroutine before the
// command takes its locks, and locks one shard at a time; the candidate
// pool has its own mutex, taken with no shard lock held.

type evictState struct {
	maxmemory atomic.Int64
	policy    atomic.Uint32
	samples   atomic.Int64
	tenacity  atomic.Int64

	heapMu       sync.Mutex // one heap reader at a time
	gcMu         sync.Mutex // one forced collection at a time; guards gcAt, gcDirty
	gcAt         time.Time
	gcDirty      int64
	heapAt       atomic.Int64
	heapBytes    atomic.Int64 // estimated live bytes before evictions
	gcCycles     atomic.Uint64
	freedSinceGC atomic.Int64
	liveAtGC     uint64       // heapMu: live heap marked by the last collection
	liveExact    atomic.Int64 // liveAtGC, for readers without heapMu
	verifying    atomic.Bool  // a collection checks an estimate over the cap
	allocsAtGC   uint64       // heapMu: cumulative allocation when it was seen
	retained     float64      // heapMu: share of allocation that stays live

	mu        sync.Mutex // pool, nextDB, the non-empty database cache
	pool      eviction.Pool
	nextDB    int
	dbsAt     time.Time
	dbHasKeys []bool

	evicted    atomic.Int64 // INFO evicted_keys
	background atomic.Bool  // a goroutine goes on evicting past the time limit
}

// heapRefresh is how stale the heap reading may be.
const heapRefresh = time.Millisecond

// refreshEvictConfig caches the eviction settings and sets the runtime's
// memory limit from maxmemory. The config lock is held.
func (s *Server) refreshEvictConfig() {
	ev := &s.evict
	old := ev.maxmemory.Load()
	max := int64(s.cfg.MaxMemory)
	ev.maxmemory.Store(max)
	ev.policy.Store(uint32(eviction.ParsePolicy(s.cfg.MaxMemoryPolicy)))
	ev.samples.Store(int64(s.cfg.MaxMemorySamples))
	ev.tenacity.Store(s.cfg.GetInt("maxmemory-eviction-tenacity"))
	if max != old {
		if max > 0 {
			// Room above the cap for garbage not yet collected and the
			// runtime's own structures; the collector runs more often as
			// the process nears it instead of letting it grow. Measured
			// (bench/eviction.sh, 64mb): RSS 1.17-1.20x maxmemory, as
			// Redis's 1.18x; 1/8 + 16 MiB gave 1.33x but a write load
			// past the cap cost 2.5x less GC CPU.
			debug.SetMemoryLimit(max + max/16 + 8<<20)
		} else {
			debug.SetMemoryLimit(-1 >> 1)
		}
	}
}

var evictMetricNames = [...]string{"/memory/classes/heap/objects:bytes", "/gc/cycles/total:gc-cycles",
	"/gc/heap/live:bytes", "/gc/heap/allocs:bytes"}

// minLearnAlloc is the allocation a cycle needs before what it retained
// updates the estimate (a forced collection of an idle server says
// nothing).
const minLearnAlloc = 1 << 20

// usedMemory is the memory figure maxmemory is compared with (INFO's
// used_memory).
func (s *Server) usedMemory() int64 {
	ev := &s.evict
	if time.Now().UnixNano()-ev.heapAt.Load() >= int64(heapRefresh) && ev.heapMu.TryLock() {
		s.readHeap()
		ev.heapMu.Unlock()
	}
	return max(ev.heapBytes.Load()-ev.freedSinceGC.Load(), 0)
}

// readHeap reads the heap figures and estimates the live bytes. heapMu is
// held.
func (s *Server) readHeap() {
	ev := &s.evict
	var samples [len(evictMetricNames)]metrics.Sample
	for i := range samples {
		samples[i].Name = evictMetricNames[i]
	}
	metrics.Read(samples[:])
	objects, cycles := samples[0].Value.Uint64(), samples[1].Value.Uint64()
	live, allocs := samples[2].Value.Uint64(), samples[3].Value.Uint64()
	if cycles == 0 {
		// No collection yet: nothing is known to be garbage.
		ev.heapBytes.Store(int64(objects))
		ev.heapAt.Store(time.Now().UnixNano())
		return
	}
	if cycles != ev.gcCycles.Load() {
		// A collection has seen the evictions; the live heap it found,
		// against the last one's, says how much of the allocation in
		// between stayed (net of the evictions).
		evicted := ev.freedSinceGC.Swap(0)
		if ev.liveAtGC == 0 {
			ev.retained = 1
		} else if a := allocs - ev.allocsAtGC; a >= minLearnAlloc {
			r := (float64(live) - float64(ev.liveAtGC) + float64(evicted)) / float64(a)
			ev.retained = (ev.retained + min(max(r, 0), 1)) / 2
		}
		ev.liveAtGC, ev.allocsAtGC = live, allocs
		ev.liveExact.Store(int64(live))
		ev.gcCycles.Store(cycles)
	}
	ev.heapBytes.Store(int64(ev.liveAtGC) + int64(ev.retained*float64(allocs-ev.allocsAtGC)))
	ev.heapAt.Store(time.Now().UnixNano())
}

// overMaxmemory reports whether used memory is past maxmemory, evicting
// first as the policy allows. It returns true when memory stays over the
// cap because nothing more could be evicted; refuse says the caller will
// then refuse the command, which is worth a garbage collection to be sure.
func (s *Server) overMaxmemory(refuse bool, by *Ctx) bool {
	max := s.evict.maxmemory.Load()
	if max <= 0 {
		return false
	}
	used := s.usedMemory()
	if used <= max || s.verifyBeforeEvicting(max, used) {
		return false
	}
	limit := eviction.TimeLimit(int(s.evict.tenacity.Load()))
	if s.evictUntil(used-max, limit, by) {
		return false
	}
	if !refuse || !s.collectBeforeRefusing() {
		return true
	}
	used = s.usedMemory()
	return used > max && !s.evictUntil(used-max, limit, by)
}

// verifyBeforeEvicting reports whether used memory crossed the cap only by
// the guessed share of the allocation since the last collection, which
// found the live heap more than 1/16 below the cap. The guess comes from
// earlier cycles, and a workload that changed (from adding keys to
// overwriting them) would have live keys evicted for garbage. Then a
// collection is started to measure, and nothing is evicted until it ends;
// if it finds the heap over the cap, eviction follows. More than 1/16 over
// the cap, eviction does not wait.
func (s *Server) verifyBeforeEvicting(max, used int64) bool {
	ev := &s.evict
	if used > max+max/16 || ev.liveExact.Load() >= max-max/16 {
		return false
	}
	if ev.verifying.CompareAndSwap(false, true) {
		go func() {
			defer ev.verifying.Store(false)
			runtime.GC()
			ev.heapMu.Lock()
			s.readHeap()
			ev.heapMu.Unlock()
		}()
	}
	return true
}

// Forced collections before an OOM refusal: at most one every
// forcedGCInterval after the keyspace changed, one a second otherwise.
const (
	forcedGCInterval     = 20 * time.Millisecond
	forcedGCIdleInterval = time.Second
)

// collectBeforeRefusing runs the garbage collector before a command is
// refused for memory, and reports whether it (or a concurrent caller) did.
// The heap figure goes on counting keys deleted by commands (DEL,
// FLUSHALL, overwritten values) until the collector runs, and a server that
// refuses every write allocates too little to start it: without this, a
// FLUSHALL at the cap would leave writes refused until the runtime's
// two-minute forced collection. Collections are spaced out so that a
// client hammering a full server with writes costs little.
func (s *Server) collectBeforeRefusing() bool {
	ev := &s.evict
	asked := time.Now()
	ev.gcMu.Lock()
	defer ev.gcMu.Unlock()
	if ev.gcAt.After(asked) {
		return true // collected while this caller waited
	}
	dirty := s.stats.dirty.load()
	since := asked.Sub(ev.gcAt)
	if since < forcedGCInterval || (dirty == ev.gcDirty && since < forcedGCIdleInterval) {
		return false
	}
	runtime.GC()
	ev.gcAt, ev.gcDirty = time.Now(), dirty
	ev.heapMu.Lock()
	s.readHeap()
	ev.heapMu.Unlock()
	return true
}

// evictUntil deletes keys until about toFree bytes are freed or limit has
// passed (then a background goroutine goes on). It reports false when
// nothing could be evicted.
func (s *Server) evictUntil(toFree int64, limit time.Duration, by *Ctx) bool {
	pol := eviction.Policy(s.evict.policy.Load())
	if pol == eviction.NoEviction {
		return false
	}
	start := time.Now()
	var freed int64
	for n := 1; freed < toFree; n++ {
		size, ok := s.evictOne(pol, by)
		if !ok {
			return false
		}
		freed += size
		if n%16 == 0 && time.Since(start) > limit {
			s.evictInBackground()
			return true
		}
	}
	return true
}

// evictInBackground keeps evicting while memory is over the cap, as Redis's
// eviction time proc does when a run hits its time limit.
func (s *Server) evictInBackground() {
	if !s.evict.background.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer s.evict.background.Store(false)
		for {
			max := s.evict.maxmemory.Load()
			if max <= 0 {
				return
			}
			used := s.usedMemory()
			if used <= max || !s.evictUntil(used-max, time.Millisecond, nil) {
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
}

// evictOne deletes one key chosen by the policy and returns its estimated
// size, or false when no key can be evicted.
func (s *Server) evictOne(pol eviction.Policy, by *Ctx) (int64, bool) {
	if pol.Random() {
		return s.evictRandom(pol.Volatile(), by)
	}
	for attempt := 0; attempt < 16; attempt++ {
		s.evict.mu.Lock()
		sampled := s.populatePool(pol)
		c, ok := s.evict.pool.PopBest()
		s.evict.mu.Unlock()
		if !ok {
			if sampled == 0 {
				return 0, false
			}
			continue
		}
		db := s.store.DB(c.DB)
		key := []byte(c.Key)
		sh := db.Shard(store.ShardIndex(key))
		sh.Lock()
		e := db.LookupNoExpire(key)
		if e == nil || (pol.Volatile() && db.ExpireAt(e) == 0) {
			sh.Unlock()
			continue // gone or changed since it was sampled
		}
		size := s.evictEntry(db, e, by)
		sh.Unlock()
		return size, true
	}
	return 0, false
}

// populatePool samples maxmemory-samples keys of each database with keys
// and offers them to the pool. As Redis's dictGetSomeKeys takes them from
// neighbouring buckets, the samples come from one random shard, several
// per lock, walked from a random bucket: each random probe of the whole
// keyspace costs cache misses on a bucket and a chain, and with one per
// sample, sampling was most of the cost of a write at the cap. A shard
// with fewer keys than wanted gives what it has and another shard the
// rest. s.evict.mu is held.
func (s *Server) populatePool(pol eviction.Policy) int {
	n := int(s.evict.samples.Load())
	sampled := 0
	sc := scorer{pol: pol, nowSec: uint32(time.Now().Unix()) & (1<<24 - 1), nowMin: lfuMinutes(), decay: s.access.decayTime.Load()}
	for dbi, has := range s.dbsWithKeys() {
		if !has {
			continue
		}
		db := s.store.DB(dbi)
		got := 0
		for shards := 0; got < n && shards < n; shards++ {
			i, ok := s.nonEmptyShard(db, pol.Volatile())
			if !ok {
				break
			}
			got += s.sampleShard(db, dbi, i, n-got, &sc)
		}
		sampled += got
	}
	return sampled
}

// scorer ranks a sampled key for the pool: the higher, the better a victim.
type scorer struct {
	pol    eviction.Policy
	nowSec uint32
	nowMin uint32
	decay  int64
}

func (sc *scorer) score(e *store.Entry, at int64) uint64 {
	switch {
	case sc.pol.TTL():
		return ^uint64(at)
	case sc.pol.LFU():
		return uint64(255 - lfuDecayed(e.LRU(), sc.nowMin, sc.decay))
	}
	idle := (sc.nowSec - e.LRU()) & (1<<24 - 1)
	return uint64(idle) * 1000
}

// sampleShard offers up to want keys of shard i of db (keys with a TTL
// under a volatile policy) to the pool and returns how many it sampled.
func (s *Server) sampleShard(db *store.DB, dbi, i, want int, sc *scorer) int {
	sh := db.Shard(i)
	sh.Lock()
	defer sh.Unlock()
	keys, expiring := db.ShardSize(i)
	got := 0
	if sc.pol.Volatile() {
		for want = min(want, expiring); got < want; got++ {
			e, at := db.RandomExpiringInShard(i)
			s.offer(dbi, e, sc.score(e, at))
		}
		return got
	}
	want = min(want, keys)
	// A table has at most ten buckets per key (it shrinks below that), so
	// this many steps find the keys wanted in all but freak cases.
	steps := 10*want + 16
	cursor := rand.Uint64()
	for ; got < want && steps > 0; steps-- {
		cursor = db.ScanShard(i, cursor, func(e *store.Entry) {
			if got < want {
				got++
				s.offer(dbi, e, sc.score(e, 0))
			}
		})
	}
	return got
}

// offer gives the pool a sampled key. Most samples score below the pool's
// worst once it is full; their keys are not copied (nor their memory
// read). The key's shard lock and s.evict.mu are held.
func (s *Server) offer(dbi int, e *store.Entry, score uint64) {
	if s.evict.pool.Admits(score) {
		s.evict.pool.Offer(eviction.Candidate{DB: dbi, Key: string(e.Key()), Score: score})
	}
}

// evictRandom deletes a random key (with a TTL when volatile), visiting the
// databases in turn as Redis does.
func (s *Server) evictRandom(volatile bool, by *Ctx) (int64, bool) {
	s.evict.mu.Lock()
	has := s.dbsWithKeys()
	start := s.evict.nextDB
	s.evict.nextDB++
	s.evict.mu.Unlock()
	for j := range has {
		dbi := (start + j) % len(has)
		if !has[dbi] {
			continue
		}
		db := s.store.DB(dbi)
		i, ok := s.nonEmptyShard(db, volatile)
		if !ok {
			continue
		}
		sh := db.Shard(i)
		sh.Lock()
		var e *store.Entry
		if volatile {
			e, _ = db.RandomExpiringInShard(i)
		} else {
			e = db.RandomInShard(i)
		}
		if e == nil {
			sh.Unlock()
			continue
		}
		size := s.evictEntry(db, e, by)
		sh.Unlock()
		return size, true
	}
	return 0, false
}

// nonEmptyShard finds a shard of db holding keys (with a TTL if volatile):
// random probes first, then a walk from a random start.
func (s *Server) nonEmptyShard(db *store.DB, volatile bool) (int, bool) {
	has := func(i int) bool {
		if volatile {
			return db.HasExpiring(i)
		}
		sh := db.Shard(i)
		sh.Lock()
		ok := db.ShardHasKeys(i)
		sh.Unlock()
		return ok
	}
	for probe := 0; probe < 8; probe++ {
		if i := rand.IntN(store.NumShards); has(i) {
			return i, true
		}
	}
	off := rand.IntN(store.NumShards)
	for k := 0; k < store.NumShards; k++ {
		if i := (off + k) % store.NumShards; has(i) {
			return i, true
		}
	}
	return 0, false
}

// dbsWithKeys says which databases hold keys, refreshed every 100ms (a
// database emptied meanwhile costs one fruitless walk). s.evict.mu is held;
// the slice returned is never changed afterwards.
func (s *Server) dbsWithKeys() []bool {
	ev := &s.evict
	if time.Since(ev.dbsAt) < 100*time.Millisecond && ev.dbHasKeys != nil {
		return ev.dbHasKeys
	}
	n := s.store.NumDBs()
	// A new slice each time: evictRandom reads the old one without the
	// mutex.
	has := make([]bool, n)
	for d := 0; d < n; d++ {
		db := s.store.DB(d)
		found := false
		for i := 0; i < store.NumShards && !found; i++ {
			sh := db.Shard(i)
			sh.Lock()
			found = db.ShardHasKeys(i)
			sh.Unlock()
		}
		has[d] = found
	}
	ev.dbHasKeys = has
	ev.dbsAt = time.Now()
	return ev.dbHasKeys
}

// evictEntry deletes an evicted key with what Redis does for it: WATCH is
// touched, the "evicted" event raised, tracking clients invalidated, the
// count kept. The key's shard lock is held. by is the command whose memory
// check evicts, or nil (background eviction): its own client gets the
// event among its output, before the command's reply, as in Redis.
func (s *Server) evictEntry(db *store.DB, e *store.Entry, by *Ctx) int64 {
	key := append([]byte(nil), e.Key()...)
	s.snapshotCaptureKey(db.ID, key) // a running snapshot keeps the key
	size := entryMemory(db, e, defaultMemorySamples)
	db.Delete(key)
	db.Touch(key)
	s.evict.evicted.Add(1)
	s.evict.freedSinceGC.Add(size)
	s.propagateDeletion(db, key, "lazyfree-lazy-eviction")
	s.notifyIn(db, NotifyEvicted, "evicted", key, by)
	if s.trackingOn() {
		s.trackingInvalidate(key, nil, nil, nil)
	}
	return size
}

// rejectedForMemory applies Redis's OOM rule before a command runs: with
// memory over the cap and nothing left to evict, commands flagged denyoom
// are refused, and so is everything a MULTI would queue (but not EXEC
// without denyoom commands, DISCARD, QUIT or RESET).
func (s *Server) rejectedForMemory(c *Client, cmd *Command) bool {
	c.oomBefore = false
	if s.evict.maxmemory.Load() <= 0 {
		return false
	}
	reject := cmd.Is(FlagDenyOOM)
	switch {
	case cmd.Name == "exec":
		for _, q := range c.queue {
			if q.cmd.Is(FlagDenyOOM) {
				reject = true
				break
			}
		}
	case c.inMulti && cmd.Name != "discard" && cmd.Name != "quit" && cmd.Name != "reset":
		reject = true
	}
	// Scripts refuse their denyoom calls on this state (oomBefore): the
	// script holds shard locks, and eviction needs them.
	// c.ctx writes to c.w (dispatchCommand set it): events for the client
	// itself go there, before the command's reply
	c.oomBefore = s.overMaxmemory(reject || runsScript(cmd), &c.ctx)
	return c.oomBefore && reject
}

// runsScript reports whether cmd runs (or, for EXEC, may run) a script or
// function, whose commands refuse on the memory state found before it.
func runsScript(cmd *Command) bool {
	switch cmd.Name {
	case "eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro", "exec":
		return true
	}
	return false
}

const errOOM = "OOM command not allowed when used memory > 'maxmemory'."

func (s *Server) evictPolicy() eviction.Policy { return eviction.Policy(s.evict.policy.Load()) }
