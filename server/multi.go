package server

import (
	"petrel/internal/num"
	"petrel/store"
)

// MULTI, EXEC, DISCARD, WATCH and UNWATCH. A transaction's commands run with
// the union of their shard locks held, so the whole block is atomic across
// shards; a runtime error in one command does not roll back the others.

func cmdMulti(x *Ctx) {
	c := x.c
	if c.inMulti {
		x.Error("ERR MULTI calls can not be nested")
		return
	}
	c.inMulti = true
	c.multiError = false
	c.queue = c.queue[:0]
	c.setFlag(cflagMulti, true)
	x.W.WriteOK()
}

func (c *Client) discardMulti() {
	c.inMulti = false
	c.multiError = false
	for i := range c.queue {
		c.queue[i] = queued{}
	}
	c.queue = c.queue[:0]
	c.setFlag(cflagMulti, false)
}

func cmdDiscard(x *Ctx) {
	c := x.c
	if !c.inMulti {
		x.Error("ERR DISCARD without MULTI")
		return
	}
	c.discardMulti()
	x.s.unwatchAll(c)
	x.W.WriteOK()
}

// eachQueued calls fn for each command of c's transaction with the
// database it will run in (following the queued SELECTs).
func (s *Server) eachQueued(c *Client, fn func(q queued, db int)) {
	db := c.db
	for _, q := range c.queue {
		fn(q, db)
		if q.cmd.Name == "select" {
			if n, ok := num.ParseInt(q.args[1]); ok && n >= 0 && n < int64(s.store.NumDBs()) {
				db = int(n) // parsed exactly as cmdSelect will, so the locks follow it
			}
		}
	}
}

func cmdExec(x *Ctx) {
	c, s := x.c, x.s
	if !c.inMulti {
		x.Error("ERR EXEC without MULTI")
		return
	}
	if c.multiError {
		c.discardMulti()
		s.unwatchAll(c)
		x.Error("EXECABORT Transaction discarded because of previous errors.")
		return
	}
	// Lock everything the queued commands and the watched keys need.
	var ls lockSet
	s.eachQueued(c, func(q queued, db int) {
		if q.cmd.Lock == LockSelf || q.cmd.ServerLockFunc != nil {
			// Scripts may touch keys they do not declare and cannot be
			// started again inside a transaction: lock everything.
			ls.all = true
		}
		var one lockSet
		s.locksFor(c, q.cmd, q.args, db, &one)
		ls.add(one)
	})
	for _, wk := range c.watched {
		ls.shards = append(ls.shards, uint32(wk.db<<store.ShardBits|store.ShardIndex([]byte(wk.key))))
	}
	ls.normalize()
	if msg, ok := ls.lockUnlessBusy(s, x.Cmd); !ok {
		s.reject(c, x.Cmd, x.Args, msg)
		x.refused = true
		return
	}
	if s.ownsShards() {
		ls.setOwner(s, x)
	}
	released := false
	defer func() { // as in call: a panic must not leave the shards locked
		if !released {
			ls.unlock(s)
			c.inExec = false
		}
	}()
	if s.snap.active.Load() && mayWrite(c, x.Cmd) {
		s.snapshotCaptureLocked(c, &ls, nil, nil, c.db)
	}

	if c.watchState().Dirty.Load() || s.watchedKeyExpired(c, x.Now) {
		ls.unlock(s)
		released = true
		c.discardMulti()
		s.unwatchAll(c)
		x.W.WriteNullArray()
		return
	}
	// Redis forgets the watched keys as EXEC starts; do it now, under the
	// locks already held, so a queued UNWATCH has nothing left to lock.
	s.unwatchAllLocked(c)
	queue := c.queue
	c.inMulti = false // queued commands must run, not queue again
	saved := *x
	x.W.WriteArrayLen(len(queue))
	c.inExec = true
	for _, q := range queue {
		s.call(c, q.cmd, q.args, saved.Now, &ls)
	}
	c.inExec = false
	s.flushProp(c, x) // the whole transaction, before what it unblocks
	if len(x.ready) > 0 {
		s.serveReady(x.ready, &ls, &x.bcast) // waiters see the transaction's final state
	}
	ls.unlock(s)
	released = true
	saved.ready = x.ready[:0]
	saved.bcast = x.bcast // sent when EXEC ends (afterHandler)
	*x = saved
	c.queue = queue
	c.discardMulti()
	s.unwatchAll(c)
}

// watchedKeyExpired reports whether a key that was live when WATCHed has
// since expired, which aborts EXEC as in Redis 7. The caller holds the
// watched keys' shard locks.
func (s *Server) watchedKeyExpired(c *Client, now int64) bool {
	for _, wk := range c.watched {
		if wk.expired {
			continue
		}
		db := s.store.DB(wk.db)
		e := db.LookupNoExpire([]byte(wk.key))
		if e != nil {
			if at := db.ExpireAt(e); at != 0 && at <= now {
				return true
			}
		}
	}
	return false
}

// cmdWatch registers each key under its shard's lock, taken here
// (LockSelf): WATCH is allow-busy, and Redis answers it while a script is
// busy. A key whose shard such a script holds cannot be registered then;
// the transaction is marked dirty instead, which is what a write by the
// script would do (EXEC fails, the client retries).
func cmdWatch(x *Ctx) {
	c := x.c
	if c.inMulti {
		x.Error("ERR WATCH inside MULTI is not allowed")
		return
	}
	w := c.watchState()
	// Redis 7: watching while dirty already is pointless but allowed.
	for _, k := range x.Args[1:] {
		key := string(k)
		dup := false
		for _, wk := range c.watched {
			if wk.db == c.db && wk.key == key {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		sh := x.DB.Shard(store.ShardIndex(k))
		if !sh.LockOr(x.s.scripts.stopOnBusy) {
			w.Dirty.Store(true)
			c.watched = append(c.watched, watchedKey{db: c.db, key: key})
			continue
		}
		e := x.DB.LookupNoExpire(k)
		expired := false
		if e != nil {
			at := x.DB.ExpireAt(e)
			expired = at != 0 && at <= x.Now
		}
		x.DB.WatchKey(k, w, expired)
		sh.Unlock()
		c.watched = append(c.watched, watchedKey{db: c.db, key: key, expired: expired})
	}
	x.W.WriteOK()
}

func cmdUnwatch(x *Ctx) {
	x.s.unwatchAll(x.c)
	x.W.WriteOK()
}

// unwatchAllLocked is unwatchAll for a caller that holds the shard locks of
// every watched key (EXEC).
func (s *Server) unwatchAllLocked(c *Client) {
	w := c.watchState()
	for _, wk := range c.watched {
		s.store.DB(wk.db).UnwatchKey([]byte(wk.key), w)
	}
	c.watched = c.watched[:0]
	w.Dirty.Store(false)
}

// unwatchAll forgets every key the client watches and clears its dirty flag.
// It takes the shard locks itself, so callers must not hold them. A shard
// a busy script holds is not waited for (UNWATCH, DISCARD and a refused
// EXEC answer at once in Redis): the client gets a new WATCH state, and
// the old one leaves those shards once the script lets them go.
func (s *Server) unwatchAll(c *Client) {
	w := c.watchState()
	var later []watchedKey
	for _, wk := range c.watched {
		if !s.unwatchKey(wk, w, s.scripts.stopOnBusy) {
			later = append(later, wk)
		}
	}
	c.watched = c.watched[:0]
	if len(later) == 0 {
		w.Dirty.Store(false)
		return
	}
	c.watch.Store(new(store.Watch))
	go func() {
		for _, wk := range later {
			s.unwatchKey(wk, w, neverStop)
		}
	}()
}

// unwatchKey unregisters w from a watched key under its shard's lock,
// waited for as store.Shard.LockOr waits with stop; it reports false,
// having done nothing, if it stopped waiting.
func (s *Server) unwatchKey(wk watchedKey, w *store.Watch, stop func() <-chan struct{}) bool {
	db := s.store.DB(wk.db)
	k := []byte(wk.key)
	sh := db.Shard(store.ShardIndex(k))
	if !sh.LockOr(stop) {
		return false
	}
	db.UnwatchKey(k, w)
	sh.Unlock()
	return true
}
