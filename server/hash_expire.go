package server

import (
	"sync"
	"sync/atomic"
	"time"

	"petrel/store"
	"petrel/types"
)

// Active expiry of hash fields. Commands remove expired fields they touch
// (hash.go); this removes the others in the background, and deletes a hash
// when its last field expires, as Redis 7.4's active expiry does.
//
// Each shard of each database keeps a schedule of the hashes in it that
// have fields with an expiry: a min-heap of (time, key) plus, per key, the
// time it is due. Commands that give a field an expiry schedule the key
// (hashScheduleExpiry) with the shard's lock held; the expiry cycle, with
// the same lock, pops what is due, removes the expired fields and
// reschedules the key for its next expiry. Heap items whose time is no
// longer the key's due time are stale and skipped, so commands never need
// to unschedule anything: a key found deleted, replaced or without expiring
// fields is dropped when it comes up.
//
// Hashes that change keys behind the family's back (RENAME, MOVE, COPY,
// SWAPDB) are found again by a slow sweep over the keyspace, a bounded
// number of keys per cycle, which also drops schedule entries whose key no
// longer holds such a hash. The sweep runs while such hashes may exist: it
// stops after two full passes in a row find none, and restarts with the
// next schedule.
//
// The state is created, and its cron goroutine started, the first time a
// field of the server gets an expiry, so servers that never use field
// expiry pay nothing.

// hashExpiries maps a *Server to its *hashExpiryState.
var hashExpiries sync.Map

type hashExpiryState struct {
	s    *Server
	once sync.Once

	mu  sync.Mutex                      // serialises additions to dbs
	dbs atomic.Pointer[[]*hashExpiryDB] // by database id; nil until used

	// sweep position and state, owned by the cron goroutine
	sweeping    atomic.Bool // the sweep is wanted
	sweepDB     int
	sweepShard  int
	sweepCursor uint64 // bucket cursor in the shard
	sweepFound  bool   // the current pass met a hash with expiring fields
	sweepEmpty  int    // passes in a row that met none
}

type hashExpiryDB struct {
	db     *store.DB
	shards [store.NumShards]hashExpiryShard
}

// hashExpiryShard is guarded by the lock of the store shard it describes,
// except pending, which is a hint read without it.
type hashExpiryShard struct {
	pending atomic.Int32 // len(heap)
	due     map[string]int64
	heap    []hashDue
}

type hashDue struct {
	at  int64
	key string
}

// hashExpiryState returns the server's state, creating it (and starting
// its cron) on first use.
func (s *Server) hashExpiryState() *hashExpiryState {
	if v, ok := hashExpiries.Load(s); ok {
		return v.(*hashExpiryState)
	}
	v, _ := hashExpiries.LoadOrStore(s, &hashExpiryState{s: s})
	st := v.(*hashExpiryState)
	st.once.Do(func() { go st.cron() })
	return st
}

func (st *hashExpiryState) forDB(db *store.DB) *hashExpiryDB {
	if dbs := st.dbs.Load(); dbs != nil && db.ID < len(*dbs) && (*dbs)[db.ID] != nil {
		return (*dbs)[db.ID]
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	var dbs []*hashExpiryDB
	if p := st.dbs.Load(); p != nil {
		dbs = *p
	}
	if db.ID < len(dbs) && dbs[db.ID] != nil {
		return dbs[db.ID]
	}
	dbs = append([]*hashExpiryDB(nil), dbs...)
	for len(dbs) <= db.ID {
		dbs = append(dbs, nil)
	}
	dbs[db.ID] = &hashExpiryDB{db: db}
	st.dbs.Store(&dbs)
	return dbs[db.ID]
}

// hashScheduleExpiry notes that the hash at key has a field expiring at at.
// The caller holds the key's shard lock.
func (s *Server) hashScheduleExpiry(db *store.DB, key []byte, at int64) {
	st := s.hashExpiryState()
	st.forDB(db).shards[store.ShardIndex(key)].schedule(string(key), at)
	st.sweeping.Store(true)
}

func (sh *hashExpiryShard) schedule(key string, at int64) {
	if sh.due == nil {
		sh.due = make(map[string]int64)
	}
	if cur, ok := sh.due[key]; ok && cur <= at {
		return // it comes up earlier and is rescheduled then
	}
	sh.due[key] = at
	if len(sh.heap) > 2*len(sh.due)+64 {
		sh.rebuild()
	}
	sh.heap = append(sh.heap, hashDue{at, key})
	for i := len(sh.heap) - 1; i > 0; {
		p := (i - 1) / 2
		if sh.heap[p].at <= sh.heap[i].at {
			break
		}
		sh.heap[p], sh.heap[i] = sh.heap[i], sh.heap[p]
		i = p
	}
	sh.pending.Store(int32(len(sh.heap)))
}

func (sh *hashExpiryShard) pop() hashDue {
	top := sh.heap[0]
	last := len(sh.heap) - 1
	sh.heap[0] = sh.heap[last]
	sh.heap[last] = hashDue{}
	sh.heap = sh.heap[:last]
	sh.down(0)
	sh.pending.Store(int32(len(sh.heap)))
	return top
}

func (sh *hashExpiryShard) down(i int) {
	for {
		l := 2*i + 1
		if l >= len(sh.heap) {
			return
		}
		c := l
		if r := l + 1; r < len(sh.heap) && sh.heap[r].at < sh.heap[l].at {
			c = r
		}
		if sh.heap[i].at <= sh.heap[c].at {
			return
		}
		sh.heap[i], sh.heap[c] = sh.heap[c], sh.heap[i]
		i = c
	}
}

// rebuild drops stale heap items.
func (sh *hashExpiryShard) rebuild() {
	h := make([]hashDue, 0, len(sh.due))
	for k, at := range sh.due {
		h = append(h, hashDue{at, k})
	}
	sh.heap = h
	for i := len(h)/2 - 1; i >= 0; i-- {
		sh.down(i)
	}
	sh.pending.Store(int32(len(sh.heap)))
}

// activeExpireHashFields removes up to budget expired hash fields from the
// hashes of shard i of db that are due at now, deleting hashes it empties,
// and returns how many fields it removed. It takes the shard's lock. It is
// the per-shard step of the field expiry cycle, for the server's active
// expiry cycle to call.
func (s *Server) activeExpireHashFields(db *store.DB, i int, now int64, budget int) int {
	return s.hashExpiryState().forDB(db).expire(s, i, now, budget)
}

func (hdb *hashExpiryDB) expire(s *Server, i int, now int64, budget int) int {
	db, sh := hdb.db, &hdb.shards[i]
	if sh.pending.Load() == 0 {
		return 0
	}
	lock := db.Shard(i)
	lock.Lock()
	defer lock.Unlock()
	removed := 0
	for len(sh.heap) > 0 && sh.heap[0].at <= now && removed < budget {
		it := sh.pop()
		if sh.due[it.key] != it.at {
			continue // stale
		}
		delete(sh.due, it.key)
		key := []byte(it.key)
		h := hashAtKey(db, key, now)
		if h == nil {
			continue
		}
		n := h.ExpireFields(now, budget-removed)
		removed += n
		if n > 0 {
			// One "hexpired" per hash and pass, as Redis 7.4 raises it.
			s.notifyIn(db, NotifyHash, "hexpired", key, nil)
		}
		switch {
		case h.Len() == 0:
			db.Delete(key)
			s.notifyIn(db, NotifyGeneric, "del", key, nil)
		case h.HasVolatile():
			sh.schedule(it.key, h.NextExpiry())
		}
		if n > 0 {
			db.Touch(key)
			s.stats.dirty.add(0, int64(n))
		}
	}
	return removed
}

// hashAtKey returns the hash at key if it has fields with an expiry.
func hashAtKey(db *store.DB, key []byte, now int64) *types.Hash {
	e := db.Lookup(key, now)
	if e == nil || e.IsString() {
		return nil
	}
	h, ok := e.Obj().(*types.Hash)
	if !ok || !h.HasVolatile() {
		return nil
	}
	return h
}

// cron runs the field expiry cycle hz times a second until shutdown, when
// active expiry is enabled.
func (st *hashExpiryState) cron() {
	s := st.s
	defer hashExpiries.Delete(s)
	s.cfg.RLock()
	hz := s.cfg.Hz
	s.cfg.RUnlock()
	if hz <= 0 {
		hz = 10
	}
	t := time.NewTicker(time.Second / time.Duration(hz))
	defer t.Stop()
	for {
		select {
		case <-s.Done():
			return
		case <-t.C:
			s.cfg.RLock()
			enabled := s.cfg.ActiveExpireEnabled
			s.cfg.RUnlock()
			if enabled {
				st.cycle(time.Second / time.Duration(hz) / 4)
			}
		}
	}
}

// hashFieldsPerShard bounds the fields one shard gives up per call, so
// one huge hash cannot hold its shard's lock for long.
const hashFieldsPerShard = 200

// cycle expires what is due in every shard, within the time budget, then
// advances the sweep (bounded on its own, so a busy expiry cannot starve it).
func (st *hashExpiryState) cycle(budget time.Duration) {
	start := time.Now()
	var dbs []*hashExpiryDB
	if p := st.dbs.Load(); p != nil {
		dbs = *p
	}
expiry:
	for _, hdb := range dbs {
		if hdb == nil {
			continue
		}
		for i := range hdb.shards {
			for hdb.shards[i].pending.Load() > 0 {
				n := hdb.expire(st.s, i, time.Now().UnixMilli(), hashFieldsPerShard)
				if n < hashFieldsPerShard || time.Since(start) > budget {
					break
				}
			}
			if time.Since(start) > budget {
				break expiry
			}
		}
	}
	if st.sweeping.Load() {
		st.sweep(hashSweepEntries)
	}
}

// hashSweepEntries bounds the keys one sweep step looks at.
const hashSweepEntries = 1000

// sweep advances the sweep over the keyspace by up to n keys, registering
// hashes with expiring fields that are not scheduled and, at the end of
// each shard, dropping schedule entries of keys that no longer hold one.
// After two full passes that met no such hash it stops, until the next
// schedule: one pass could miss a hash renamed behind it while it ran.
func (st *hashExpiryState) sweep(n int) {
	s := st.s
	total := s.store.NumDBs() * store.NumShards
	now := time.Now().UnixMilli()
	seen := 0
	for visited := 0; seen < n && visited < total; visited++ {
		db := s.store.DB(st.sweepDB)
		i := st.sweepShard
		sh := &st.forDB(db).shards[i]
		lock := db.Shard(i)
		lock.Lock()
		if keys, _ := db.ShardSize(i); keys > 0 {
			for {
				st.sweepCursor = db.ScanShard(i, st.sweepCursor, func(e *store.Entry) {
					seen++
					if e.IsString() {
						return
					}
					if h, ok := e.Obj().(*types.Hash); ok && h.HasVolatile() {
						st.sweepFound = true
						if k := e.KeyString(); sh.due[k] == 0 {
							sh.schedule(k, h.NextExpiry())
						}
					}
				})
				if st.sweepCursor == 0 || seen >= n {
					break
				}
			}
		} else {
			st.sweepCursor = 0
		}
		if st.sweepCursor == 0 {
			for k := range sh.due {
				if hashAtKey(db, []byte(k), now) == nil {
					delete(sh.due, k)
				}
			}
			if len(sh.heap) > 2*len(sh.due)+64 {
				sh.rebuild()
			}
		}
		lock.Unlock()
		if st.sweepCursor != 0 {
			return // the shard continues at the next step
		}
		st.sweepShard++
		if st.sweepShard < store.NumShards {
			continue
		}
		st.sweepShard = 0
		st.sweepDB++
		if st.sweepDB < s.store.NumDBs() {
			continue
		}
		st.sweepDB = 0
		if st.sweepFound {
			st.sweepEmpty = 0
		} else if st.sweepEmpty++; st.sweepEmpty >= 2 {
			st.sweeping.Store(false)
			st.sweepEmpty = 0
		}
		st.sweepFound = false
	}
}
