package store

import "unsafe"

// Entry is one key in a shard's hash table. A string value lives in the same
// allocation as the key (kv holds the key's bytes followed by the value's), so
// a small string key costs this struct plus one byte array; other value types
// hang off obj.
//
// An Entry belongs to its shard and may only be read or changed with the
// shard's lock held. Entries are not reused after deletion.
type Entry struct {
	next *Entry
	kv   *byte // key bytes then, for strings, value bytes
	klen uint32
	vlen uint32
	obj  any   // non-string value; nil for strings
	exp  int32 // index in the shard's expiring list, -1 if the key has no TTL
	meta uint32
}

// meta bits: the low 24 bits are the LRU clock or LFU data, as in Redis.
const (
	lruBits     = 24
	lruMask     = 1<<lruBits - 1
	flagRaw     = 1 << 24 // string stored with the "raw" encoding
	flagIntText = 1 << 25 // string that Redis would store as an integer
	// flagSpare marks a string grown in place: its allocation holds
	// spareCap(klen+vlen) bytes, room to grow into without copying.
	flagSpare = 1 << 27
)

// spareCap is the allocation a string grown in place gets for n bytes of key
// and value: the next power of two up to 1 MiB, then whole MiBs, as Redis's
// strings grow (double, then 1 MiB at a time). It is the same for every n
// in a class, so a grown entry's capacity need not be stored.
func spareCap(n int) int {
	const mib = 1 << 20
	if n <= mib {
		c := 16
		for c < n {
			c <<= 1
		}
		return c
	}
	return (n + mib - 1) / mib * mib
}

// Key returns the key. The slice aliases the entry and must not be modified.
func (e *Entry) Key() []byte {
	if e.kv == nil {
		return nil
	}
	return unsafe.Slice(e.kv, int(e.klen)+int(e.vlen))[:e.klen:e.klen]
}

// KeyString returns a copy of the key as a string.
func (e *Entry) KeyString() string { return string(e.Key()) }

// Str returns a string value; it must not be modified. Only valid when
// IsString reports true.
func (e *Entry) Str() []byte {
	if e.vlen == 0 {
		return []byte{}
	}
	all := unsafe.Slice(e.kv, int(e.klen)+int(e.vlen))
	return all[e.klen:]
}

// StrForUpdate returns a string value's bytes for a change in place that
// keeps its length, as Redis updates a HyperLogLog's registers and cached
// cardinality without copying the string. The caller holds the shard lock
// and keeps no reference to the bytes once it releases the lock.
func (e *Entry) StrForUpdate() []byte { return e.Str() }

// IsString reports whether the entry holds a string value.
func (e *Entry) IsString() bool { return e.obj == nil }

// Obj returns a non-string value.
func (e *Entry) Obj() any { return e.obj }

// LRU returns the 24-bit LRU clock or LFU data of the key.
func (e *Entry) LRU() uint32 { return e.meta & lruMask }

// SetLRU stores the 24-bit LRU clock or LFU data.
func (e *Entry) SetLRU(v uint32) { e.meta = e.meta&^lruMask | v&lruMask }

// StringEncoding reports the encoding Redis would give this string value:
// "int", "embstr" or "raw".
func (e *Entry) StringEncoding() string {
	switch {
	case e.meta&flagIntText != 0:
		return "int"
	case e.meta&flagRaw != 0 || e.vlen > 44:
		return "raw"
	default:
		return "embstr"
	}
}

// StringEnc selects how a new string value is to be reported by OBJECT
// ENCODING.
type StringEnc uint8

const (
	// EncAuto picks int, embstr or raw from the value, as Redis's
	// tryObjectEncoding does for values stored by SET and friends.
	EncAuto StringEnc = iota
	// EncRaw forces raw, as Redis does for values built by APPEND and SETRANGE.
	EncRaw
	// EncInt marks a value produced by INCR and friends.
	EncInt
	// EncStr is embstr or raw by length, never int: a string object Redis
	// builds without trying the integer encoding (INCRBYFLOAT's result).
	EncStr
)

func newEntry(key, val []byte, obj any, enc StringEnc) *Entry {
	e := &Entry{klen: uint32(len(key)), exp: -1}
	e.setData(key, val, obj, enc)
	return e
}

func (e *Entry) setData(key, val []byte, obj any, enc StringEnc) {
	n := len(key)
	if obj == nil {
		n += len(val)
	}
	if obj == nil && e.obj == nil && e.kv != nil && int(e.klen)+int(e.vlen) == n {
		// A string replacing one of the same size (key is the entry's
		// own): the entry owns its bytes, so they are overwritten in
		// place, sparing an allocation per SET of a fixed-size value.
		copy(unsafe.Slice(e.kv, n)[len(key):], val)
		e.meta &= lruMask
		e.setStrFlags(val, enc)
		return
	}
	e.obj = obj
	e.meta &= lruMask
	if n == 0 {
		e.kv = nil
		e.vlen = 0
		return
	}
	buf := make([]byte, n)
	copy(buf, key)
	if obj == nil {
		copy(buf[len(key):], val)
		e.vlen = uint32(len(val))
		e.setStrFlags(val, enc)
	} else {
		e.vlen = 0
	}
	e.kv = &buf[0]
}

// setStrFlags records how OBJECT ENCODING reports the string value val.
func (e *Entry) setStrFlags(val []byte, enc StringEnc) {
	switch enc {
	case EncRaw:
		e.meta |= flagRaw
	case EncInt:
		e.meta |= flagIntText
	case EncStr:
	default:
		if looksLikeInt(val) {
			e.meta |= flagIntText
		}
	}
}

// looksLikeInt reports whether Redis would encode val as an integer: a
// canonical int64 of at most 20 characters.
func looksLikeInt(b []byte) bool {
	if len(b) == 0 || len(b) > 20 {
		return false
	}
	i := 0
	if b[0] == '-' {
		i = 1
		if len(b) == 1 {
			return false
		}
	}
	if b[i] == '0' {
		return len(b) == 1
	}
	var v uint64
	for ; i < len(b); i++ {
		c := b[i]
		if c < '0' || c > '9' {
			return false
		}
		d := uint64(c - '0')
		if v > (1<<64-1-d)/10 {
			return false
		}
		v = v*10 + d
	}
	if b[0] == '-' {
		return v <= 1<<63
	}
	return v <= 1<<63-1
}

// MutableStr returns the string value for changing in place, after growing
// it with zero bytes to at least n bytes. The value turns raw and loses the
// COPY mark, as Redis's bit commands unshare and decode a string before
// writing into it; its TTL and access data stay. Growing moves the
// value, so slices returned earlier by Str keep the old bytes; otherwise
// they see the changes. Only valid when IsString reports true; the caller
// holds the shard lock and keeps the slice no longer than the command.
//
// Growth is amortised: the allocation keeps spare room (spareCap), so a
// value grown a little at a time (APPEND, SETRANGE, SETBIT at rising
// offsets) is not copied on every call.
func (e *Entry) MutableStr(n int) []byte {
	if n > int(e.vlen) {
		old, need := int(e.klen)+int(e.vlen), int(e.klen)+n
		if e.meta&flagSpare != 0 && e.kv != nil && need <= spareCap(old) {
			all := unsafe.Slice(e.kv, need)
			clear(all[old:]) // the spare room is zero, but make it certain
		} else {
			buf := make([]byte, need, spareCap(need))
			if e.kv != nil {
				copy(buf, unsafe.Slice(e.kv, old))
			}
			e.kv = &buf[0]
		}
		e.vlen = uint32(n)
		e.meta |= flagSpare
	}
	e.meta = e.meta&(lruMask|flagSpare) | flagRaw
	return e.Str()
}
