package store

import "sync/atomic"

// Watch is one client's WATCH state: Dirty becomes true when any key the
// client watches is written, expires or is flushed, and EXEC then aborts.
type Watch struct {
	Dirty atomic.Bool
}

// watcher is one client's interest in one key.
type watcher struct {
	w *Watch
	// expired: the key was logically expired when WATCHed. Its removal by
	// expiry is then not a change, as in Redis 7.
	expired bool
}

// WatchKey registers w on key; expired says the key had already expired.
// The caller holds the key's shard lock.
func (db *DB) WatchKey(key []byte, w *Watch, expired bool) {
	_, sh := db.locate(key)
	if sh.watched == nil {
		sh.watched = make(map[string][]*watcher)
	}
	k := string(key)
	for _, x := range sh.watched[k] {
		if x.w == w {
			return
		}
	}
	if len(sh.watched[k]) == 0 {
		db.watchedKeys.Add(1)
	}
	sh.watched[k] = append(sh.watched[k], &watcher{w: w, expired: expired})
}

// UnwatchKey removes w from key. The caller holds the key's shard lock.
func (db *DB) UnwatchKey(key []byte, w *Watch) {
	_, sh := db.locate(key)
	ws, ok := sh.watched[string(key)]
	if !ok {
		return
	}
	for i, x := range ws {
		if x.w == w {
			ws[i] = ws[len(ws)-1]
			ws = ws[:len(ws)-1]
			break
		}
	}
	if len(ws) == 0 {
		db.watchedKeys.Add(-1)
		delete(sh.watched, string(key))
	} else {
		sh.watched[string(key)] = ws
	}
}

// Touch marks every watcher of key dirty: Redis's signalModifiedKey. Every
// command that changes a key calls it. The caller holds the key's shard lock.
func (db *DB) Touch(key []byte) {
	if db.watchedKeys.Load() == 0 {
		return
	}
	_, sh := db.locate(key)
	db.touchShard(sh, key)
}

func (db *DB) touchShard(sh *Shard, key []byte) {
	if len(sh.watched) == 0 {
		return
	}
	ws := sh.watched[string(key)]
	if len(ws) == 0 {
		return
	}
	h := hashKey(key)
	for _, x := range ws {
		if x.expired {
			if sh.table.find(h, key) == nil {
				// the stale key is gone: logically nothing changed
				x.expired = false
				continue
			}
		}
		x.w.Dirty.Store(true)
	}
}

func markAll(ws []*watcher) {
	for _, x := range ws {
		x.w.Dirty.Store(true)
	}
}
