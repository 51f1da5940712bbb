package store

// Keyspace operations of the generic key commands (RENAME, MOVE, COPY) and
// the expiry test SCAN, KEYS and RANDOMKEY need.

// flagCopied marks a string value made by COPY. Redis duplicates the object
// then, so even a small integer it would otherwise share gets a reference
// count of its own (OBJECT REFCOUNT reports 1, not the shared 2147483647).
// setData clears it with the other encoding bits when the value changes.
const flagCopied = 1 << 26

// Copied reports whether the string value was made by COPY and so is not one
// of Redis's shared integers.
func (e *Entry) Copied() bool { return e.meta&flagCopied != 0 }

// Expired reports whether e has a TTL that is due at now (unix
// milliseconds). The caller holds e's shard lock.
func (db *DB) Expired(e *Entry, now int64) bool {
	if e.exp < 0 {
		return false
	}
	return db.shardOfEntry(e).expiring[e.exp].at <= now
}

// Rename gives src's value, TTL and metadata (LRU, string encoding) to dst,
// replacing whatever dst held, and removes src. It reports false if src does
// not exist. src and dst must differ; the caller holds both shard locks and
// has already expired src if its TTL passed.
func (db *DB) Rename(src, dst []byte) bool {
	hs, shs := db.locate(src)
	e := shs.table.find(hs, src)
	if e == nil {
		return false
	}
	at := db.ExpireAt(e)
	db.Delete(dst)
	n := &Entry{klen: uint32(len(dst)), exp: -1, obj: e.obj, meta: e.meta &^ flagSpare}
	n.kv = joinKV(dst, e.valueBytes())
	n.vlen = e.vlen
	hd, shd := db.locate(dst)
	shd.table.insert(hd, n)
	db.added(dst)
	if at != 0 {
		db.SetExpireAt(n, at)
	}
	shs.table.remove(hs, src)
	db.unlinkExpiring(shs, e)
	return true
}

// MoveTo moves key, with its TTL and metadata, from db to dst. It reports
// false, changing nothing, if db has no such key or dst already has one. The
// caller holds the key's shard lock in both databases.
func (db *DB) MoveTo(dst *DB, key []byte) bool {
	h, sh := db.locate(key)
	e := sh.table.find(h, key)
	_, shd := dst.locate(key)
	if e == nil || shd.table.find(h, key) != nil {
		return false
	}
	at := db.ExpireAt(e)
	sh.table.remove(h, key)
	db.unlinkExpiring(sh, e)
	// Entries are not reused; the new one shares the old one's immutable
	// key and value bytes.
	n := &Entry{kv: e.kv, klen: e.klen, vlen: e.vlen, obj: e.obj, exp: -1, meta: e.meta}
	shd.table.insert(h, n)
	dst.added(key)
	if at != 0 {
		dst.SetExpireAt(n, at)
	}
	return true
}

// CopyTo stores in dst, under dstKey, a copy of e (an entry of db): the
// string's bytes and encoding, or obj, which the caller duplicates from
// e.Obj() since the store does not know value types. The copy expires at
// expireAt (unix milliseconds, 0 for never) and replaces whatever dstKey
// held. Its LRU is left for the caller to set. The caller holds the shard
// locks of e in db and of dstKey in dst.
func (db *DB) CopyTo(e *Entry, dst *DB, dstKey []byte, obj any, expireAt int64) *Entry {
	dst.Delete(dstKey)
	n := &Entry{klen: uint32(len(dstKey)), exp: -1}
	if e.obj == nil {
		n.kv = joinKV(dstKey, e.valueBytes())
		n.vlen = e.vlen
		n.meta = e.meta&^(lruMask|flagSpare) | flagCopied
	} else {
		n.kv = joinKV(dstKey, nil)
		n.obj = obj
	}
	h, sh := dst.locate(dstKey)
	sh.table.insert(h, n)
	dst.added(dstKey)
	if expireAt != 0 {
		dst.SetExpireAt(n, expireAt)
	}
	return n
}

// valueBytes returns the string value's bytes (nil for other types).
func (e *Entry) valueBytes() []byte {
	if e.obj != nil || e.vlen == 0 {
		return nil
	}
	return e.Str()
}

// joinKV allocates the key-then-value buffer an Entry points to.
func joinKV(key, val []byte) *byte {
	if len(key)+len(val) == 0 {
		return nil
	}
	buf := make([]byte, len(key)+len(val))
	copy(buf, key)
	copy(buf[len(key):], val)
	return &buf[0]
}
