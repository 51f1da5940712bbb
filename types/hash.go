package types

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
	"math/bits"
	"math/rand/v2"
	"unsafe"

	"petrel/internal/scancursor"
)

// Hash is a hash value: fields mapped to values, each field optionally with
// an expiry time (Redis 7.4's hash field expiration).
//
// Small hashes use a compact encoding, one byte blob Redis would call a
// listpack: a flags byte, then per field
//
//	uvarint(len(field)<<1 | hasTTL) field uvarint(len(value)) value [ttl]
//
// where ttl is the expiry in unix milliseconds as 8 little-endian bytes.
// Fields are in insertion order, except that fields with an expiry come
// first, ordered by expiry time, as in Redis's listpackex. A hash leaves the
// compact encoding for a hash table when it gets more fields than
// hash-max-listpack-entries or a field or value longer than
// hash-max-listpack-value, and never goes back, as in Redis.
//
// Methods that return fields or values return slices of the hash's memory,
// valid until the hash next changes. Fields and values passed in must not
// alias the hash's memory.
type Hash struct {
	lp []byte     // compact encoding: flags byte, fields; nil when new or when ht is set
	ht *hashTable // hash table encoding
}

// HashLimits are the thresholds of the compact encoding.
type HashLimits struct {
	MaxEntries int // hash-max-listpack-entries
	MaxValue   int // hash-max-listpack-value
}

// Per-field results of SetFieldExpire, HEXPIRE's reply codes.
const (
	HashExpireNoField = -2 // no such field
	HashExpireNotMet  = 0  // the NX, XX, GT or LT condition was not met
	HashExpireSet     = 1  // the expiry was set
	HashExpireDeleted = 2  // the time was not in the future: field deleted
)

// Per-field results of PersistField, HPERSIST's reply codes.
const (
	HashPersistNoField = -2
	HashPersistNoTTL   = -1
	HashPersistDone    = 1
)

// Conditions of SetFieldExpire (HEXPIRE's NX, XX, GT and LT).
const (
	HashCondNX = 1 << iota
	HashCondXX
	HashCondGT
	HashCondLT
)

// hashFlagEx marks a compact hash that had field expiry commands applied:
// Redis reports it as listpackex from then on.
const hashFlagEx = 1

// NewHash returns an empty hash.
func NewHash() *Hash { return &Hash{} }

// Type implements Value.
func (h *Hash) Type() string { return "hash" }

// Encoding implements Value: listpack, listpackex or hashtable.
func (h *Hash) Encoding() string {
	switch {
	case h.ht != nil:
		return "hashtable"
	case len(h.lp) > 0 && h.lp[0]&hashFlagEx != 0:
		return "listpackex"
	}
	return "listpack"
}

// Copy implements Value.
func (h *Hash) Copy() Value {
	c := &Hash{}
	if h.ht != nil {
		c.ht = h.ht.clone()
	} else if h.lp != nil {
		c.lp = hashAlloc(len(h.lp))
		copy(c.lp, h.lp)
	}
	return c
}

// Reserve makes room in a compact hash for extra more bytes of fields, so
// that a command adding several fields allocates once (HSET's fields are
// measured with HashItemSize).
func (h *Hash) Reserve(extra int) {
	if h.ht != nil || extra <= 0 {
		return
	}
	if h.lp == nil {
		h.lp = hashAlloc(1 + extra)[:1]
		h.lp[0] = 0
		return
	}
	if cap(h.lp)-len(h.lp) < extra {
		nb := hashAlloc(len(h.lp) + extra)
		copy(nb, h.lp)
		h.lp = nb[:len(h.lp)]
	}
}

// HashItemSize is the room a field and its value take in the compact
// encoding.
func HashItemSize(field, value []byte) int { return hashItemSize(field, value, 0) }

// IsCompact reports whether the hash uses the compact encoding.
func (h *Hash) IsCompact() bool { return h.ht == nil }

// EnableFieldExpiry switches a compact hash to the listpackex encoding, as
// Redis does the first time a field expiry command touches it.
func (h *Hash) EnableFieldExpiry() {
	if h.ht != nil {
		return
	}
	if h.lp == nil {
		h.lp = hashAlloc(1)
	}
	h.lp[0] |= hashFlagEx
}

// Len returns the number of fields, counting those whose expiry has passed
// but that were not removed yet (Redis's HLEN does too).
func (h *Hash) Len() int {
	if h.ht != nil {
		return h.ht.count
	}
	n := 0
	for off := 1; off < len(h.lp); n++ {
		off = hashSkipItem(h.lp, off)
	}
	return n
}

// LiveLen returns the number of fields not expired at now.
func (h *Hash) LiveLen(now int64) int {
	if h.ht != nil {
		if h.ht.volatile == 0 {
			return h.ht.count
		}
		n := 0
		h.ht.each(func(e *hashEntry) bool {
			if !e.expiredAt(now) {
				n++
			}
			return true
		})
		return n
	}
	n := 0
	for off := 1; off < len(h.lp); {
		it := hashReadItem(h.lp, off)
		if !hashExpired(it.at, now) {
			n++
		}
		off = it.end
	}
	return n
}

// hashExpired reports whether an expiry (0: none) has passed at now.
func hashExpired(at, now int64) bool { return at != 0 && at <= now }

// Get returns field's value. A field expired at now is deleted on the way
// and reported as expired, not found.
func (h *Hash) Get(field []byte, now int64) (v []byte, ok, expired bool) {
	if h.ht != nil {
		e := h.ht.find(field)
		if e == nil {
			return nil, false, false
		}
		if e.expiredAt(now) {
			h.ht.remove(field)
			return nil, false, true
		}
		return e.value(), true, false
	}
	it, _, found := h.lpFind(field)
	if !found {
		return nil, false, false
	}
	if hashExpired(it.at, now) {
		h.lpSplice(it.start, it.end, 0)
		return nil, false, true
	}
	return it.v, true, false
}

// FieldExpireAt returns field's expiry (0 for none) and whether the field
// exists and is live at now. It changes nothing.
func (h *Hash) FieldExpireAt(field []byte, now int64) (at int64, ok bool) {
	if h.ht != nil {
		e := h.ht.find(field)
		if e == nil || e.expiredAt(now) {
			return 0, false
		}
		return e.expireAt(), true
	}
	it, _, found := h.lpFind(field)
	if !found || hashExpired(it.at, now) {
		return 0, false
	}
	return it.at, true
}

// Set stores value at field and reports whether it created the field (a
// field expired at now counts as created). keepTTL keeps a live field's
// expiry, as HINCRBY and HSETEX KEEPTTL do; otherwise an overwrite drops it.
// The encoding changes to a hash table when lim says so.
func (h *Hash) Set(field, value []byte, keepTTL bool, now int64, lim HashLimits) bool {
	if h.ht == nil && (len(field) > lim.MaxValue || len(value) > lim.MaxValue) {
		h.convert()
	}
	if h.ht != nil {
		return h.ht.set(field, value, keepTTL, now)
	}
	it, n, found := h.lpFind(field)
	if !found {
		h.lpInsert(len(h.lp), field, value, 0)
		if n+1 > lim.MaxEntries {
			h.convert()
		}
		return true
	}
	expired := hashExpired(it.at, now)
	if !expired && (it.at == 0 || keepTTL) {
		h.lpReplace(it, field, value, it.at)
		return false
	}
	// The expiry goes: the field moves to the end, with the fields
	// without one.
	h.lpSplice(it.start, it.end, 0)
	h.lpInsert(len(h.lp), field, value, 0)
	return expired
}

// Delete removes field, expired or not, and reports whether it was there.
func (h *Hash) Delete(field []byte) bool {
	if h.ht != nil {
		return h.ht.remove(field) != nil
	}
	it, _, found := h.lpFind(field)
	if found {
		h.lpSplice(it.start, it.end, 0)
	}
	return found
}

// SetFieldExpire applies HEXPIRE's rules to field: cond is 0 or one of
// HashCondNX, HashCondXX, HashCondGT, HashCondLT (a field without expiry
// counts as never expiring); at is the new expiry in unix milliseconds. A
// time not after now deletes the field. A field found expired at now is
// deleted and reported missing. It returns one of the HashExpire codes.
func (h *Hash) SetFieldExpire(field []byte, at int64, cond int, now int64) int {
	if h.ht != nil {
		return h.ht.setExpire(field, at, cond, now)
	}
	it, _, found := h.lpFind(field)
	if !found {
		return HashExpireNoField
	}
	if hashExpired(it.at, now) {
		h.lpSplice(it.start, it.end, 0)
		return HashExpireNoField
	}
	if !hashCondMet(it.at, at, cond) {
		return HashExpireNotMet
	}
	if at <= now {
		h.lpSplice(it.start, it.end, 0)
		return HashExpireDeleted
	}
	h.lpMove(it, at)
	return HashExpireSet
}

// hashCondMet checks HEXPIRE's condition for a field whose expiry is prev
// (0: none) against the new time at.
func hashCondMet(prev, at int64, cond int) bool {
	if prev == 0 {
		return cond&(HashCondXX|HashCondGT) == 0
	}
	switch {
	case cond&HashCondNX != 0:
		return false
	case cond&HashCondGT != 0:
		return at > prev
	case cond&HashCondLT != 0:
		return at < prev
	}
	return true
}

// PersistField removes field's expiry and returns one of the HashPersist
// codes; a field expired at now is reported missing (and left for expiry
// to remove).
func (h *Hash) PersistField(field []byte, now int64) int {
	if h.ht != nil {
		e := h.ht.find(field)
		switch {
		case e == nil || e.expiredAt(now):
			return HashPersistNoField
		case !e.hasTTL():
			return HashPersistNoTTL
		}
		h.ht.setEntryTTL(e, 0)
		return HashPersistDone
	}
	it, _, found := h.lpFind(field)
	switch {
	case !found || hashExpired(it.at, now):
		return HashPersistNoField
	case it.at == 0:
		return HashPersistNoTTL
	}
	h.lpMove(it, 0)
	return HashPersistDone
}

// HasVolatile reports whether any field has an expiry.
func (h *Hash) HasVolatile() bool {
	if h.ht != nil {
		return h.ht.volatile > 0
	}
	return h.NextExpiry() != 0
}

// NextExpiry returns the earliest field expiry, or 0 if no field has one.
func (h *Hash) NextExpiry() int64 {
	if h.ht != nil {
		it, ok := h.ht.expTop()
		if !ok {
			return 0
		}
		return it.at
	}
	if len(h.lp) <= 1 {
		return 0
	}
	// Fields with an expiry come first, earliest first.
	return hashReadItem(h.lp, 1).at
}

// ExpireFields deletes up to max fields (all if max <= 0) whose expiry is
// at or before now and returns how many it deleted.
func (h *Hash) ExpireFields(now int64, max int) int {
	if h.ht != nil {
		return h.ht.expireFields(now, max)
	}
	n := 0
	for off := 1; off < len(h.lp) && (max <= 0 || n < max); {
		it := hashReadItem(h.lp, off)
		if it.at == 0 {
			break // the rest have no expiry
		}
		if it.at > now {
			off = it.end
			continue
		}
		h.lpSplice(it.start, it.end, 0)
		n++
	}
	return n
}

// Each calls fn for every field live at now with its value, in the
// encoding's order, until fn returns false. fn must not change the hash.
func (h *Hash) Each(now int64, fn func(field, value []byte) bool) {
	if h.ht != nil {
		h.ht.each(func(e *hashEntry) bool {
			if e.expiredAt(now) {
				return true
			}
			return fn(e.field(), e.value())
		})
		return
	}
	for off := 1; off < len(h.lp); {
		it := hashReadItem(h.lp, off)
		if !hashExpired(it.at, now) && !fn(it.f, it.v) {
			return
		}
		off = it.end
	}
}

// DigestEach calls fn with every field and its value, for DEBUG DIGEST and
// DEBUG OBJECT.
func (h *Hash) DigestEach(fn func(parts ...[]byte)) {
	h.Each(-1<<63, func(f, v []byte) bool {
		fn(f, v)
		return true
	})
}

// Scan implements HSCAN: it calls fn for fields live at now from the
// position cursor names and returns the next cursor, 0 when done. The
// compact encoding is returned whole in one call, as Redis does. A hash
// table is walked bucket by bucket with a reverse-binary cursor, so a field
// present for the whole scan is returned at least once even if the table is
// resized in between; a call stops once count items (fields and values
// counted separately unless noValues) were collected or ten times count
// buckets were visited, as in Redis.
func (h *Hash) Scan(cursor uint64, count int, noValues bool, now int64, fn func(field, value []byte)) uint64 {
	if h.ht == nil {
		h.Each(now, func(f, v []byte) bool {
			fn(f, v)
			return true
		})
		return 0
	}
	per := 2
	if noValues {
		per = 1
	}
	maxBuckets := count * 10
	if count > 1<<40 {
		maxBuckets = 1 << 62
	}
	items := 0
	for buckets := 0; ; {
		cursor = h.ht.scanBucket(cursor, func(e *hashEntry) {
			if !e.expiredAt(now) {
				fn(e.field(), e.value())
				items += per
			}
		})
		buckets++
		if cursor == 0 || buckets >= maxBuckets || items >= count {
			return cursor
		}
	}
}

// Random returns a random field and its value; the hash must not be empty.
func (h *Hash) Random() (field, value []byte) {
	if h.ht != nil {
		e := h.ht.random()
		return e.field(), e.value()
	}
	k := rand.IntN(h.Len())
	for off := 1; ; k-- {
		it := hashReadItem(h.lp, off)
		if k == 0 {
			return it.f, it.v
		}
		off = it.end
	}
}

// RandomRepeat calls fn count times with a random field each time, fields
// possibly repeating (HRANDFIELD with a negative count), until fn returns
// false. The hash must not be empty.
func (h *Hash) RandomRepeat(count int, fn func(field, value []byte) bool) {
	if h.ht != nil {
		for ; count > 0; count-- {
			e := h.ht.random()
			if !fn(e.field(), e.value()) {
				return
			}
		}
		return
	}
	offs := h.lpOffsets()
	for ; count > 0; count-- {
		it := hashReadItem(h.lp, offs[rand.IntN(len(offs))])
		if !fn(it.f, it.v) {
			return
		}
	}
}

// RandomDistinct calls fn with count distinct random fields, count being
// below Len (HRANDFIELD with a positive count). The compact encoding yields
// them in its own order, as Redis does; a hash table in random order.
func (h *Hash) RandomDistinct(count int, fn func(field, value []byte)) {
	if h.ht == nil {
		// Selection sampling: each field is taken with probability
		// (still needed) / (still left).
		left := h.Len()
		for off := 1; off < len(h.lp) && count > 0; left-- {
			it := hashReadItem(h.lp, off)
			if rand.IntN(left) < count {
				fn(it.f, it.v)
				count--
			}
			off = it.end
		}
		return
	}
	t := h.ht
	if count*3 > t.count {
		// Close to the whole table: drop random entries from a full list.
		all := make([]*hashEntry, 0, t.count)
		t.each(func(e *hashEntry) bool {
			all = append(all, e)
			return true
		})
		for len(all) > count {
			i := rand.IntN(len(all))
			all[i] = all[len(all)-1]
			all = all[:len(all)-1]
		}
		for _, e := range all {
			fn(e.field(), e.value())
		}
		return
	}
	seen := make(map[*hashEntry]struct{}, count)
	for len(seen) < count {
		e := t.random()
		if _, dup := seen[e]; dup {
			continue
		}
		seen[e] = struct{}{}
		fn(e.field(), e.value())
	}
}

// MemoryUsage estimates the bytes the value holds, extrapolating a hash
// table's entries from the first samples ones (all if samples <= 0).
func (h *Hash) MemoryUsage(samples int) int64 {
	n := int64(unsafe.Sizeof(Hash{}))
	if h.ht == nil {
		return n + int64(cap(h.lp))
	}
	t := h.ht
	n += int64(unsafe.Sizeof(hashTable{})) + 8*int64(len(t.buckets)) + 16*int64(cap(t.exp))
	var sum, seen int64
	t.each(func(e *hashEntry) bool {
		if samples > 0 && seen >= int64(samples) {
			return false
		}
		seen++
		sum += int64(unsafe.Sizeof(hashEntry{})) + hashSizeClass(int64(e.dataLen()))
		return true
	})
	if seen > 0 {
		n += sum * int64(t.count) / seen
	}
	return n
}

// hashSizeClass approximates the allocator's rounding of an n-byte block.
func hashSizeClass(n int64) int64 {
	switch {
	case n <= 0:
		return 0
	case n <= 64:
		return (n + 7) &^ 7
	case n <= 256:
		return (n + 15) &^ 15
	}
	return (n + 127) &^ 127
}

// convert moves a compact hash into a hash table, keeping field expiries.
func (h *Hash) convert() {
	t := newHashTable(h.Len())
	for off := 1; off < len(h.lp); {
		it := hashReadItem(h.lp, off)
		t.insert(newHashEntry(it.f, it.v, it.at))
		off = it.end
	}
	h.ht = t
	h.lp = nil
}

// ---- compact encoding ----

// hashItem is one field of the compact encoding, located at [start, end).
type hashItem struct {
	f, v       []byte
	at         int64
	start, end int
}

func hashUvarint(b []byte, off int) (uint64, int) {
	if c := b[off]; c < 0x80 {
		return uint64(c), 1
	}
	return binary.Uvarint(b[off:])
}

func hashUvarintLen(v uint64) int { return max(1, (bits.Len64(v)+6)/7) }

func hashReadItem(lp []byte, off int) hashItem {
	it := hashItem{start: off}
	l, n := hashUvarint(lp, off)
	off += n
	fl := int(l >> 1)
	it.f = lp[off : off+fl : off+fl]
	off += fl
	vl, n := hashUvarint(lp, off)
	off += n
	it.v = lp[off : off+int(vl) : off+int(vl)]
	off += int(vl)
	if l&1 != 0 {
		it.at = int64(binary.LittleEndian.Uint64(lp[off:]))
		off += 8
	}
	it.end = off
	return it
}

// hashSkipItem returns the offset after the item at off.
func hashSkipItem(lp []byte, off int) int {
	l, n := hashUvarint(lp, off)
	off += n + int(l>>1)
	vl, n := hashUvarint(lp, off)
	off += n + int(vl)
	if l&1 != 0 {
		off += 8
	}
	return off
}

func hashItemSize(f, v []byte, at int64) int {
	n := hashUvarintLen(uint64(len(f))<<1) + len(f) + hashUvarintLen(uint64(len(v))) + len(v)
	if at != 0 {
		n += 8
	}
	return n
}

func hashPutItem(dst, f, v []byte, at int64) {
	tag := uint64(len(f)) << 1
	if at != 0 {
		tag |= 1
	}
	n := binary.PutUvarint(dst, tag)
	n += copy(dst[n:], f)
	n += binary.PutUvarint(dst[n:], uint64(len(v)))
	n += copy(dst[n:], v)
	if at != 0 {
		binary.LittleEndian.PutUint64(dst[n:], uint64(at))
	}
}

// hashAlloc returns an n-byte slice whose capacity is the whole block the
// allocator hands out, so later growth within it needs no copy.
func hashAlloc(n int) []byte {
	return append([]byte(nil), make([]byte, n)...)[:n]
}

// lpFind looks field up; when it is missing, n is the number of fields.
func (h *Hash) lpFind(field []byte) (it hashItem, n int, found bool) {
	lp := h.lp
	for off := 1; off < len(lp); n++ {
		l, k := hashUvarint(lp, off)
		fl := int(l >> 1)
		if fl == len(field) && bytes.Equal(lp[off+k:off+k+fl], field) {
			return hashReadItem(lp, off), n, true
		}
		off = hashSkipItem(lp, off)
	}
	return hashItem{}, n, false
}

// lpOffsets returns the offset of every item.
func (h *Hash) lpOffsets() []int {
	var offs []int
	for off := 1; off < len(h.lp); off = hashSkipItem(h.lp, off) {
		offs = append(offs, off)
	}
	return offs
}

// lpSplice replaces lp[start:end] with sz bytes for the caller to fill.
// The blob is reallocated when it must grow past its block, or shrinks to
// less than half of it, so its memory follows its size.
func (h *Hash) lpSplice(start, end, sz int) {
	old := h.lp
	oldLen := len(old)
	newLen := oldLen - (end - start) + sz
	if newLen <= cap(old) && (newLen >= oldLen || newLen*2 >= cap(old) || cap(old) <= 64) {
		buf := old[:max(oldLen, newLen)]
		copy(buf[start+sz:], buf[end:oldLen])
		h.lp = buf[:newLen]
		return
	}
	size := newLen
	if newLen > oldLen {
		// Growing: some headroom saves a copy (and its garbage) per
		// field when fields come one command at a time.
		size += newLen / 4
	}
	nb := hashAlloc(size)[:newLen]
	copy(nb, old[:start])
	copy(nb[start+sz:], old[end:])
	h.lp = nb
}

// lpInsert puts a new item at offset pos (len(lp) to append).
func (h *Hash) lpInsert(pos int, f, v []byte, at int64) {
	if h.lp == nil {
		h.lp = hashAlloc(1)
		pos = 1
	}
	sz := hashItemSize(f, v, at)
	h.lpSplice(pos, pos, sz)
	hashPutItem(h.lp[pos:pos+sz], f, v, at)
}

// lpReplace rewrites item it in place with a new value and expiry.
func (h *Hash) lpReplace(it hashItem, f, v []byte, at int64) {
	sz := hashItemSize(f, v, at)
	h.lpSplice(it.start, it.end, sz)
	hashPutItem(h.lp[it.start:it.start+sz], f, v, at)
}

// lpMove gives item it the expiry at (0: none) and moves it where the
// order wants it: among the fields with an expiry by time (after those
// expiring at the same time), or last for none.
func (h *Hash) lpMove(it hashItem, at int64) {
	buf := make([]byte, len(it.f)+len(it.v))
	f := buf[:copy(buf, it.f)]
	v := buf[len(f):]
	copy(v, it.v)
	h.lpSplice(it.start, it.end, 0)
	pos := len(h.lp)
	if at != 0 {
		for off := 1; off < len(h.lp); {
			cur := hashReadItem(h.lp, off)
			if cur.at == 0 || cur.at > at {
				pos = off
				break
			}
			off = cur.end
		}
	}
	h.lpInsert(pos, f, v, at)
}

// ---- hash table encoding ----

var hashSeed = maphash.MakeSeed()

func hashOfField(f []byte) uint64 { return maphash.Bytes(hashSeed, f) }

// hashEntry is one field of a hash table: a chain link and one block
// holding [expiry (8 bytes, if any)] field value.
type hashEntry struct {
	next *hashEntry
	data *byte
	// hash of the field, set by insert: a chain walk skips other fields
	// without reading their data, and a resize does not hash again
	hash uint64
	flen uint32 // hashDead once unlinked
	vlen uint32 // hashTTLBit: data starts with the expiry
}

const (
	hashTTLBit = 1 << 31
	hashDead   = ^uint32(0)
)

func newHashEntry(f, v []byte, at int64) *hashEntry {
	e := &hashEntry{}
	e.setData(f, v, at)
	return e
}

func (e *hashEntry) setData(f, v []byte, at int64) {
	n := len(f) + len(v)
	off := 0
	if at != 0 {
		n += 8
		off = 8
	}
	e.flen = uint32(len(f))
	e.vlen = uint32(len(v))
	if at != 0 {
		e.vlen |= hashTTLBit
	}
	if n == 0 {
		e.data = nil
		return
	}
	buf := make([]byte, n)
	if at != 0 {
		binary.LittleEndian.PutUint64(buf, uint64(at))
	}
	copy(buf[off:], f)
	copy(buf[off+len(f):], v)
	e.data = &buf[0]
}

func (e *hashEntry) hasTTL() bool { return e.vlen&hashTTLBit != 0 }

func (e *hashEntry) dataLen() int {
	n := int(e.flen) + int(e.vlen&^hashTTLBit)
	if e.hasTTL() {
		n += 8
	}
	return n
}

func (e *hashEntry) bytes() []byte {
	if e.data == nil {
		return nil
	}
	return unsafe.Slice(e.data, e.dataLen())
}

func (e *hashEntry) field() []byte {
	b := e.bytes()
	if e.hasTTL() {
		b = b[8:]
	}
	return b[:e.flen:e.flen]
}

func (e *hashEntry) value() []byte {
	b := e.bytes()
	if e.hasTTL() {
		b = b[8:]
	}
	return b[e.flen:len(b):len(b)]
}

func (e *hashEntry) expireAt() int64 {
	if !e.hasTTL() {
		return 0
	}
	return int64(binary.LittleEndian.Uint64(e.bytes()))
}

func (e *hashEntry) expiredAt(now int64) bool {
	return e.hasTTL() && e.expireAt() <= now
}

// hashExpItem is a heap entry: the entry's expiry when it was pushed. It is
// stale once the entry is gone or its expiry changed.
type hashExpItem struct {
	at int64
	e  *hashEntry
}

func (it hashExpItem) live() bool {
	return it.e.flen != hashDead && it.e.hasTTL() && it.e.expireAt() == it.at
}

// hashTable is a chained hash table of power-of-two size, resized in one
// step, with a min-heap of field expiries for active expiry.
type hashTable struct {
	buckets  []*hashEntry
	count    int
	volatile int // entries with an expiry
	exp      []hashExpItem
}

func newHashTable(hint int) *hashTable {
	n := 4
	for n < hint {
		n <<= 1
	}
	return &hashTable{buckets: make([]*hashEntry, n)}
}

func (t *hashTable) mask() uint64 { return uint64(len(t.buckets) - 1) }

func (t *hashTable) find(f []byte) *hashEntry {
	h := hashOfField(f)
	for e := t.buckets[h&t.mask()]; e != nil; e = e.next {
		if e.hash == h && e.flen == uint32(len(f)) && bytes.Equal(e.field(), f) {
			return e
		}
	}
	return nil
}

// insert adds e, whose field must be absent.
func (t *hashTable) insert(e *hashEntry) {
	if t.count >= len(t.buckets) {
		t.resize(len(t.buckets) * 2)
	}
	e.hash = hashOfField(e.field())
	i := e.hash & t.mask()
	e.next = t.buckets[i]
	t.buckets[i] = e
	t.count++
	if e.hasTTL() {
		t.volatile++
		t.expPush(hashExpItem{e.expireAt(), e})
	}
}

// remove unlinks the entry for f and returns it.
func (t *hashTable) remove(f []byte) *hashEntry {
	h := hashOfField(f)
	p := &t.buckets[h&t.mask()]
	for e := *p; e != nil; e = e.next {
		if e.hash == h && e.flen == uint32(len(f)) && bytes.Equal(e.field(), f) {
			*p = e.next
			e.next = nil
			t.count--
			if e.hasTTL() {
				t.volatile--
			}
			e.flen = hashDead
			if len(t.buckets) > 4 && t.count*8 < len(t.buckets) {
				t.resize(max(4, 1<<bits.Len(uint(t.count))))
			}
			return e
		}
		p = &e.next
	}
	return nil
}

func (t *hashTable) resize(n int) {
	nb := make([]*hashEntry, n)
	m := uint64(n - 1)
	for _, e := range t.buckets {
		for e != nil {
			next := e.next
			i := e.hash & m
			e.next = nb[i]
			nb[i] = e
			e = next
		}
	}
	t.buckets = nb
}

func (t *hashTable) each(fn func(*hashEntry) bool) {
	for _, e := range t.buckets {
		for e != nil {
			next := e.next
			if !fn(e) {
				return
			}
			e = next
		}
	}
}

// scanBucket visits the bucket named by cursor and returns the next cursor
// in reverse-binary order, 0 when the walk is complete.
func (t *hashTable) scanBucket(cursor uint64, fn func(*hashEntry)) uint64 {
	m := t.mask()
	for e := t.buckets[cursor&m]; e != nil; e = e.next {
		fn(e)
	}
	return scancursor.Next(cursor, m)
}

// random picks an entry: a random bucket, accepted with probability
// (chain length)/hashRandomChain, then a random entry of its chain. The
// acceptance step undoes the bias towards entries of short chains (exactly
// for chains up to hashRandomChain long, which at the table's load of at
// most one is nearly all of them).
func (t *hashTable) random() *hashEntry {
	m := t.mask()
	for {
		head := t.buckets[rand.Uint64()&m]
		n := 0
		for e := head; e != nil; e = e.next {
			n++
		}
		if n == 0 {
			continue
		}
		k := rand.IntN(max(n, hashRandomChain))
		if k >= n {
			continue
		}
		e := head
		for ; k > 0; k-- {
			e = e.next
		}
		return e
	}
}

const hashRandomChain = 4

func (t *hashTable) set(f, v []byte, keepTTL bool, now int64) bool {
	e := t.find(f)
	if e == nil {
		t.insert(newHashEntry(f, v, 0))
		return true
	}
	expired := e.expiredAt(now)
	at := e.expireAt()
	if expired || !keepTTL {
		at = 0
	}
	if e.hasTTL() && at == 0 {
		t.volatile--
	}
	e.setData(f, v, at) // a kept expiry is unchanged: its heap item stays valid
	return expired
}

// setEntryTTL gives e the expiry at (0: none).
func (t *hashTable) setEntryTTL(e *hashEntry, at int64) {
	had := e.hasTTL()
	switch {
	case had && at != 0:
		binary.LittleEndian.PutUint64(e.bytes(), uint64(at))
	default:
		f, v := e.field(), e.value()
		e.setData(f, v, at) // copies before the old block is dropped
	}
	switch {
	case !had && at != 0:
		t.volatile++
	case had && at == 0:
		t.volatile--
	}
	if at != 0 {
		t.expPush(hashExpItem{at, e})
	}
}

func (t *hashTable) setExpire(f []byte, at int64, cond int, now int64) int {
	e := t.find(f)
	if e == nil {
		return HashExpireNoField
	}
	if e.expiredAt(now) {
		t.remove(f)
		return HashExpireNoField
	}
	if !hashCondMet(e.expireAt(), at, cond) {
		return HashExpireNotMet
	}
	if at <= now {
		t.remove(f)
		return HashExpireDeleted
	}
	t.setEntryTTL(e, at)
	return HashExpireSet
}

func (t *hashTable) expireFields(now int64, max int) int {
	n := 0
	for max <= 0 || n < max {
		it, ok := t.expTop()
		if !ok || it.at > now {
			break
		}
		t.expPop()
		t.remove(it.e.field())
		n++
	}
	return n
}

// expTop returns the earliest live expiry, dropping stale heap items.
func (t *hashTable) expTop() (hashExpItem, bool) {
	for len(t.exp) > 0 {
		if t.exp[0].live() {
			return t.exp[0], true
		}
		t.expPop()
	}
	return hashExpItem{}, false
}

func (t *hashTable) expPush(it hashExpItem) {
	if len(t.exp) > 2*t.volatile+32 {
		t.expRebuild()
	}
	t.exp = append(t.exp, it)
	for i := len(t.exp) - 1; i > 0; {
		p := (i - 1) / 2
		if t.exp[p].at <= t.exp[i].at {
			break
		}
		t.exp[p], t.exp[i] = t.exp[i], t.exp[p]
		i = p
	}
}

func (t *hashTable) expPop() {
	last := len(t.exp) - 1
	t.exp[0] = t.exp[last]
	t.exp[last] = hashExpItem{}
	t.exp = t.exp[:last]
	t.expDown(0)
	if len(t.exp) == 0 {
		t.exp = nil
	}
}

func (t *hashTable) expDown(i int) {
	for {
		l := 2*i + 1
		if l >= len(t.exp) {
			return
		}
		c := l
		if r := l + 1; r < len(t.exp) && t.exp[r].at < t.exp[l].at {
			c = r
		}
		if t.exp[i].at <= t.exp[c].at {
			return
		}
		t.exp[i], t.exp[c] = t.exp[c], t.exp[i]
		i = c
	}
}

// expRebuild drops stale heap items: the heap is rebuilt from the entries
// that have an expiry.
func (t *hashTable) expRebuild() {
	exp := make([]hashExpItem, 0, t.volatile)
	t.each(func(e *hashEntry) bool {
		if e.hasTTL() {
			exp = append(exp, hashExpItem{e.expireAt(), e})
		}
		return true
	})
	t.exp = exp
	for i := len(exp)/2 - 1; i >= 0; i-- {
		t.expDown(i)
	}
}

func (t *hashTable) clone() *hashTable {
	c := &hashTable{buckets: make([]*hashEntry, len(t.buckets))}
	t.each(func(e *hashEntry) bool {
		c.insert(newHashEntry(e.field(), e.value(), e.expireAt()))
		return true
	})
	return c
}
