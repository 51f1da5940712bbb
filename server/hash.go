package server

import (
	"bytes"
	"math"
	"math/big"
	"slices"
	"strconv"

	"petrel/config"
	"petrel/internal/num"
	"petrel/store"
	"petrel/types"
)

// The hash command family. Hashes are types.Hash values; field expiry
// (Redis 7.4) lives in the hash itself, and hashes with fields due to
// expire are also tracked for active expiry (hash_expire.go).
//
// Fields whose expiry has passed stay in the hash until something removes
// them, as in Redis: commands that look a field up (HGET, HEXISTS,
// HINCRBY...) delete it on the way, which touches the key's watchers, HLEN
// still counts it, and the listing commands (HGETALL, HSCAN...) skip it. A
// hash emptied that way, or by any command, is deleted at once.
//
// Values returned by types.Hash point into the hash, so every value is
// written to the reply before the hash changes again.

// Error texts of this family. Those of field expiry and of HGETDEL,
// HGETEX and HSETEX follow Redis 8.0.
const (
	errHashNotInt        = "ERR hash value is not an integer"
	errHashNotFloat      = "ERR hash value is not a float"
	errHashNaNInf        = "ERR value is NaN or Infinity"
	errHashRandRange     = "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"
	errHashRandRangeWV   = "ERR value is out of range"
	errHashFieldsMissing = "ERR Mandatory argument FIELDS is missing or not at the right position"
	errHashNumFields     = "ERR Number of fields must be a positive integer"
	errHashNumFieldsGT0  = "ERR Parameter `numFields` should be greater than 0"
	errHashNumFieldsArgs = "ERR The `numfields` parameter must match the number of arguments"
	errHashExpireNeg     = "ERR invalid expire time, must be >= 0"
	errHashSetexFields   = "ERR invalid number of fields"
	errHashSetexCond     = "ERR Only one of FXX or FNX arguments can be specified"
	errHashSetexExpire   = "ERR Only one of EX, PX, EXAT, PXAT or KEEPTTL arguments can be specified"
	errHashSetexMissing  = "ERR missing expire time"
)

// hashMaxExpire is the latest field expiry Redis accepts, in unix
// milliseconds (its HFE_MAX_ABS_TIME_MSEC, 2^46-1).
const hashMaxExpire = (1<<48 - 1) >> 2

func hashLimits(x *Ctx) types.HashLimits {
	l := x.Limits()
	return types.HashLimits{MaxEntries: l.HashMaxListpackEntries, MaxValue: l.HashMaxListpackValue}
}

// hashOf returns the hash held by e (nil for a missing key); on another
// type it replies WRONGTYPE and reports false.
func hashOf(x *Ctx, e *store.Entry) (*types.Hash, bool) {
	if e == nil {
		return nil, true
	}
	if h, ok := e.Obj().(*types.Hash); ok {
		return h, true
	}
	x.Error(ErrWrongType)
	return nil, false
}

// hashRead looks key up for reading.
func hashRead(x *Ctx, key []byte) (*types.Hash, bool) { return hashOf(x, x.Lookup(key)) }

// hashWrite looks key up for writing.
func hashWrite(x *Ctx, key []byte) (*types.Hash, bool) { return hashOf(x, x.LookupWrite(key)) }

// hashCreate stores a new empty hash at key.
func hashCreate(x *Ctx, key []byte) *types.Hash {
	h := types.NewHash()
	x.DB.SetObject(key, h)
	return h
}

// hashChanged finishes a command that changed the hash at key, after the
// command raised its own events: an emptied hash is deleted (raising
// "del"), a hash with fields due to expire is tracked for active expiry,
// and the key counts as modified. changes is what the command adds to the
// count of changes since the last save, as in Redis (fields set or
// deleted); 0 means that only expired fields were removed on the way, which
// touches watchers but is no change of the data.
func hashChanged(x *Ctx, key []byte, h *types.Hash, changes int) {
	if h.Len() == 0 {
		x.DB.Delete(key)
		x.Notify(NotifyGeneric, "del", key)
	} else if at := h.NextExpiry(); at != 0 {
		x.s.hashScheduleExpiry(x.DB, key, at)
	}
	if changes == 0 {
		x.DB.Touch(key)
		return
	}
	x.Modified(key)
	x.Dirty(int64(changes - 1))
}

// hashLazyExpired finishes a lookup that found expired fields and removed
// them, as Redis's lazy field expiry does: it raises "hexpired", then
// deletes the hash if that emptied it ("del").
func hashLazyExpired(x *Ctx, key []byte, h *types.Hash) {
	x.Notify(NotifyHash, "hexpired", key)
	hashChanged(x, key, h, 0)
}

func cmdHset(x *Ctx)  { hashSetGeneric(x, false) }
func cmdHmset(x *Ctx) { hashSetGeneric(x, true) }

func hashSetGeneric(x *Ctx, hmset bool) {
	if len(x.Args)%2 == 1 {
		x.Errorf("ERR wrong number of arguments for '%s' command", x.Cmd.Name)
		return
	}
	key := x.Args[1]
	h, ok := hashWrite(x, key)
	if !ok {
		return
	}
	if h == nil {
		h = hashCreate(x, key)
	}
	lim := hashLimits(x)
	if pairs := (len(x.Args) - 2) / 2; pairs > 1 && pairs <= lim.MaxEntries && h.IsCompact() {
		hashReserve(h, x.Args[2:], lim)
	}
	created := 0
	for i := 2; i < len(x.Args); i += 2 {
		if h.Set(x.Args[i], x.Args[i+1], false, x.Now, lim) {
			created++
		}
	}
	// Redis raises "hset" even when no value changed.
	x.Notify(NotifyHash, "hset", key)
	hashChanged(x, key, h, (len(x.Args)-2)/2)
	if hmset {
		x.W.WriteOK()
	} else {
		x.W.WriteInt(int64(created))
	}
}

// hashReserve makes room in a compact hash for the field/value pairs a
// command is about to set, so that it grows once instead of once per
// field; not when the pairs are bound to convert it to a hash table.
func hashReserve(h *types.Hash, pairs [][]byte, lim types.HashLimits) {
	need := 0
	for i := 0; i+1 < len(pairs); i += 2 {
		f, v := pairs[i], pairs[i+1]
		if len(f) > lim.MaxValue || len(v) > lim.MaxValue {
			return
		}
		need += types.HashItemSize(f, v)
	}
	h.Reserve(need)
}

func cmdHsetnx(x *Ctx) {
	key, field := x.Args[1], x.Args[2]
	h, ok := hashWrite(x, key)
	if !ok {
		return
	}
	if h == nil {
		h = hashCreate(x, key)
	} else if _, found, expired := h.Get(field, x.Now); found {
		x.W.WriteInt(0)
		return
	} else if expired {
		h = hashExpiredBeforeSet(x, key, h)
	}
	h.Set(field, x.Args[3], false, x.Now, hashLimits(x))
	x.Notify(NotifyHash, "hset", key)
	hashChanged(x, key, h, 1)
	x.W.WriteInt(1)
}

func cmdHget(x *Ctx) {
	key := x.Args[1]
	h, ok := hashRead(x, key)
	if !ok {
		return
	}
	if h == nil {
		x.W.WriteNull()
		return
	}
	v, found, expired := h.Get(x.Args[2], x.Now)
	if found {
		x.W.WriteBulk(v)
	} else {
		x.W.WriteNull()
	}
	if expired {
		hashLazyExpired(x, key, h)
	}
}

func cmdHmget(x *Ctx) {
	key := x.Args[1]
	h, ok := hashRead(x, key)
	if !ok {
		return
	}
	fields := x.Args[2:]
	x.W.WriteArrayLen(len(fields))
	lazy := false
	for _, f := range fields {
		if h == nil {
			x.W.WriteNull()
			continue
		}
		v, found, expired := h.Get(f, x.Now)
		if found {
			x.W.WriteBulk(v)
		} else {
			x.W.WriteNull()
		}
		lazy = lazy || expired
	}
	if lazy {
		hashLazyExpired(x, key, h) // one event for all the fields
	}
}

func cmdHdel(x *Ctx) {
	key := x.Args[1]
	h, ok := hashWrite(x, key)
	if !ok {
		return
	}
	deleted := 0
	if h != nil {
		// An expired field not yet removed still counts as deleted, as
		// in Redis.
		for _, f := range x.Args[2:] {
			if h.Delete(f) {
				deleted++
			}
		}
		if deleted > 0 {
			x.Notify(NotifyHash, "hdel", key)
			hashChanged(x, key, h, deleted)
		}
	}
	x.W.WriteInt(int64(deleted))
}

func cmdHlen(x *Ctx) {
	h, ok := hashRead(x, x.Args[1])
	if !ok {
		return
	}
	n := 0
	if h != nil {
		n = h.Len()
	}
	x.W.WriteInt(int64(n))
}

func cmdHstrlen(x *Ctx) { hashFieldInt(x, func(v []byte) int64 { return int64(len(v)) }) }

func cmdHexists(x *Ctx) { hashFieldInt(x, func([]byte) int64 { return 1 }) }

// hashFieldInt replies with fn of the field's value, or 0 for a missing
// field.
func hashFieldInt(x *Ctx, fn func(v []byte) int64) {
	key := x.Args[1]
	h, ok := hashRead(x, key)
	if !ok {
		return
	}
	if h == nil {
		x.W.WriteInt(0)
		return
	}
	v, found, expired := h.Get(x.Args[2], x.Now)
	if found {
		x.W.WriteInt(fn(v))
	} else {
		x.W.WriteInt(0)
	}
	if expired {
		hashLazyExpired(x, key, h)
	}
}

const (
	hashKeys = 1 << iota
	hashVals
)

func cmdHkeys(x *Ctx)   { hashGetAll(x, hashKeys) }
func cmdHvals(x *Ctx)   { hashGetAll(x, hashVals) }
func cmdHgetall(x *Ctx) { hashGetAll(x, hashKeys|hashVals) }

// hashGetAll lists the live fields, values or both (a map then).
func hashGetAll(x *Ctx, what int) {
	h, ok := hashRead(x, x.Args[1])
	if !ok {
		return
	}
	n := 0
	if h != nil {
		n = h.LiveLen(x.Now)
	}
	if what == hashKeys|hashVals {
		x.W.WriteMapLen(n)
	} else {
		x.W.WriteArrayLen(n)
	}
	if n == 0 {
		return
	}
	h.Each(x.Now, func(f, v []byte) bool {
		if what&hashKeys != 0 {
			x.W.WriteBulk(f)
		}
		if what&hashVals != 0 {
			x.W.WriteBulk(v)
		}
		return true
	})
}

func cmdHincrby(x *Ctx) {
	incr, ok := num.ParseInt(x.Args[3])
	if !ok {
		x.Error(ErrNotInt)
		return
	}
	key, field := x.Args[1], x.Args[2]
	h, ok := hashWrite(x, key)
	if !ok {
		return
	}
	if h == nil {
		h = hashCreate(x, key)
	}
	var cur int64
	v, found, expired := h.Get(field, x.Now)
	if found {
		if cur, ok = num.ParseInt(v); !ok {
			x.Error(errHashNotInt)
			return
		}
	} else if expired {
		h = hashExpiredBeforeSet(x, key, h)
	}
	if (incr < 0 && cur < 0 && incr < math.MinInt64-cur) ||
		(incr > 0 && cur > 0 && incr > math.MaxInt64-cur) {
		x.Error(ErrOverflow)
		return
	}
	n := cur + incr
	var tmp [24]byte
	h.Set(field, strconv.AppendInt(tmp[:0], n, 10), true, x.Now, hashLimits(x))
	x.Notify(NotifyHash, "hincrby", key)
	hashChanged(x, key, h, 1)
	x.W.WriteInt(n)
}

func cmdHincrbyfloat(x *Ctx) {
	incr, ok := types.ParseLongDouble(x.Args[3])
	if !ok {
		x.Error(ErrNotFloat)
		return
	}
	if incr.IsInf() {
		x.Error(errHashNaNInf)
		return
	}
	key, field := x.Args[1], x.Args[2]
	h, ok := hashWrite(x, key)
	if !ok {
		return
	}
	if h == nil {
		h = hashCreate(x, key)
	}
	cur := new(big.Float)
	v, found, expired := h.Get(field, x.Now)
	if found {
		if cur, ok = types.ParseLongDouble(v); !ok {
			x.Error(errHashNotFloat)
			return
		}
	} else if expired {
		h = hashExpiredBeforeSet(x, key, h)
	}
	sum, ok := types.AddLongDouble(cur, incr)
	if !ok {
		x.Error(errNaNOrInf)
		return
	}
	var tmp [64]byte
	val := types.AppendLongDoubleHuman(tmp[:0], sum)
	h.Set(field, val, true, x.Now, hashLimits(x))
	x.Notify(NotifyHash, "hincrbyfloat", key)
	hashChanged(x, key, h, 1)
	if x.propagating() {
		// The value as stored, so a replay cannot round differently.
		x.PropagateAs(argHset, key, field, append([]byte(nil), val...))
	}
	x.W.WriteBulk(val)
}

// hashExpiredBeforeSet is hashLazyExpired for a command about to set the
// field it found expired: when that emptied the hash, the key is deleted
// and a new hash (without the old key's TTL) takes its place, as Redis
// does. It returns the hash to set the field in.
func hashExpiredBeforeSet(x *Ctx, key []byte, h *types.Hash) *types.Hash {
	hashLazyExpired(x, key, h)
	if h.Len() == 0 {
		return hashCreate(x, key)
	}
	return h
}

// ---- HRANDFIELD ----

func cmdHrandfield(x *Ctx) {
	args := x.Args
	if len(args) >= 3 {
		l, ok := num.ParseInt(args[2])
		if !ok {
			x.Error(ErrNotInt)
			return
		}
		if l == math.MinInt64 {
			x.Error(errHashRandRange)
			return
		}
		if len(args) > 4 || (len(args) == 4 && !strEqFold(args[3], "withvalues")) {
			x.Error(ErrSyntax)
			return
		}
		withValues := len(args) == 4
		if withValues && (l < -math.MaxInt64/2 || l > math.MaxInt64/2) {
			x.Error(errHashRandRangeWV)
			return
		}
		hashRandWithCount(x, l, withValues)
		return
	}
	h := hashRandTarget(x)
	if h == nil {
		if !x.failed {
			x.W.WriteNull()
		}
		return
	}
	f, _ := h.Random()
	x.W.WriteBulk(f)
}

// hashRandTarget returns the hash HRANDFIELD samples, with its expired
// fields removed first (Redis 7.4 does so, to sample live fields only); nil
// when the key is missing or emptied by that, or (after replying) of
// another type.
func hashRandTarget(x *Ctx) *types.Hash {
	key := x.Args[1]
	h, ok := hashRead(x, key)
	if !ok || h == nil {
		return nil
	}
	if h.ExpireFields(x.Now, 0) > 0 {
		hashLazyExpired(x, key, h)
		if h.Len() == 0 {
			return nil
		}
	}
	return h
}

func hashRandWithCount(x *Ctx, l int64, withValues bool) {
	h := hashRandTarget(x)
	if h == nil || l == 0 {
		if !x.failed {
			x.W.WriteArrayLen(0)
		}
		return
	}
	pairs := withValues && x.W.Proto > 2
	writeLen := func(n int) {
		if withValues && !pairs {
			n *= 2
		}
		x.W.WriteArrayLen(n)
	}
	limit := hashReplyLimit(x)
	emit := func(f, v []byte) bool {
		if pairs {
			x.W.WriteArrayLen(2)
		}
		x.W.WriteBulk(f)
		if withValues {
			x.W.WriteBulk(v)
		}
		return x.W.Len() < limit
	}
	size := h.Len()
	if l < 0 || l == 1 {
		count := int(max(l, -l))
		writeLen(count)
		h.RandomRepeat(count, emit)
		if x.W.Len() >= limit {
			hashReplyOverflow(x)
		}
		return
	}
	if l >= int64(size) {
		writeLen(size)
		h.Each(x.Now, func(f, v []byte) bool {
			emit(f, v)
			return true
		})
		return
	}
	writeLen(int(l))
	h.RandomDistinct(int(l), func(f, v []byte) { emit(f, v) })
}

// hashReplyLimit is the size at which a reply made of random repeats stops
// growing: the normal clients' hard output buffer limit, or 1 GiB without
// one. Redis keeps writing until the limit closes the client; without a
// limit it would exhaust memory, which a Go server cannot survive.
func hashReplyLimit(x *Ctx) int {
	x.s.cfg.RLock()
	hard := x.s.cfg.ClientOutputBufferLimits[config.ClientNormal].Hard
	x.s.cfg.RUnlock()
	if hard == 0 || hard > 1<<30 {
		return 1 << 30
	}
	return int(hard)
}

// hashReplyOverflow closes the client whose reply hit hashReplyLimit, as
// Redis closes a client over its output buffer limit.
func hashReplyOverflow(x *Ctx) {
	x.s.logf(LogWarning, "Client %s scheduled to be closed ASAP for overcoming of output buffer limits.", x.c.describe())
	x.c.closeAfter = true
}

// ---- HSCAN ----

func cmdHscan(x *Ctx) {
	cursor, ok := parseScanCursor(x.Args[2])
	if !ok {
		x.Error(errInvalidCur)
		return
	}
	h, ok := hashRead(x, x.Args[1])
	if !ok {
		return
	}
	if h == nil {
		writeScanHeader(x, 0, 0)
		return
	}
	opts, ok := parseScanOptions(x, x.Args[3:], scanWithNoValues)
	if !ok {
		return
	}
	var found [][]byte
	next := h.Scan(cursor, int(min(opts.count, math.MaxInt32)), opts.noValues, x.Now, func(f, v []byte) {
		if !opts.matches(f) {
			return
		}
		found = append(found, f)
		if !opts.noValues {
			found = append(found, v)
		}
	})
	writeScanHeader(x, next, len(found))
	for _, b := range found {
		x.W.WriteBulk(b)
	}
}

// ---- field expiry (Redis 7.4) ----

// hashParseExpire reads a field expiry argument as Redis's HFE commands
// do: a non-negative integer of seconds (unitSeconds) or milliseconds,
// added to base (the command's time for relative forms, 0 for absolute
// ones), with the result no later than hashMaxExpire.
func hashParseExpire(x *Ctx, arg []byte, unitSeconds bool, base int64) (int64, bool) {
	v, ok := nonNegativeArg(x, arg, ErrNotInt, errHashExpireNeg)
	if !ok {
		return 0, false
	}
	if unitSeconds {
		if v > hashMaxExpire/1000 {
			x.Errorf(ErrInvalidExp, x.Cmd.Name)
			return 0, false
		}
		v *= 1000
	}
	if v > hashMaxExpire-base {
		x.Errorf(ErrInvalidExp, x.Cmd.Name)
		return 0, false
	}
	return v + base, true
}

// hashFieldsArg reads "FIELDS numfields field..." starting at Args[at]
// (the FIELDS keyword) and returns the fields. numMsg is the command's
// error for a count that is not a positive integer.
func hashFieldsArg(x *Ctx, at int, numMsg string) ([][]byte, bool) {
	if at < len(x.Args) && !strEqFold(x.Args[at], "fields") {
		x.Error(errHashFieldsMissing)
		return nil, false
	}
	if at+1 >= len(x.Args) {
		x.Errorf("ERR wrong number of arguments for '%s' command", x.Cmd.Name)
		return nil, false
	}
	n, ok := num.ParseInt(x.Args[at+1])
	if !ok || n < 1 {
		x.Error(numMsg)
		return nil, false
	}
	fields := x.Args[at+2:]
	if n != int64(len(fields)) {
		x.Error(errHashNumFieldsArgs)
		return nil, false
	}
	return fields, true
}

func cmdHexpire(x *Ctx)    { hashExpireGeneric(x, x.Now, true) }
func cmdHpexpire(x *Ctx)   { hashExpireGeneric(x, x.Now, false) }
func cmdHexpireat(x *Ctx)  { hashExpireGeneric(x, 0, true) }
func cmdHpexpireat(x *Ctx) { hashExpireGeneric(x, 0, false) }

// hashExpireGeneric implements HEXPIRE and friends: key time [NX|XX|GT|LT]
// FIELDS numfields field...
func hashExpireGeneric(x *Ctx, base int64, unitSeconds bool) {
	key := x.Args[1]
	h, ok := hashWrite(x, key)
	if !ok {
		return
	}
	at, ok := hashParseExpire(x, x.Args[2], unitSeconds, base)
	if !ok {
		return
	}
	cond, fieldsAt := 0, 3
	switch opt := x.Args[3]; {
	case strEqFold(opt, "nx"):
		cond = types.HashCondNX
	case strEqFold(opt, "xx"):
		cond = types.HashCondXX
	case strEqFold(opt, "gt"):
		cond = types.HashCondGT
	case strEqFold(opt, "lt"):
		cond = types.HashCondLT
	}
	if cond != 0 {
		fieldsAt++
	}
	fields, ok := hashFieldsArg(x, fieldsAt, errHashNumFieldsGT0)
	if !ok {
		return
	}
	x.W.WriteArrayLen(len(fields))
	if h == nil {
		for range fields {
			x.W.WriteInt(types.HashExpireNoField)
		}
		return
	}
	h.EnableFieldExpiry()
	before, set, deleted := h.Len(), 0, 0
	for _, f := range fields {
		r := h.SetFieldExpire(f, at, cond, x.Now)
		switch r {
		case types.HashExpireSet:
			set++
		case types.HashExpireDeleted:
			deleted++
		}
		x.W.WriteInt(int64(r))
	}
	if h.Len() != before-deleted {
		// Fields found expired were removed on the way.
		x.Notify(NotifyHash, "hexpired", key)
	}
	// A time already past deletes the fields: "hdel" then, not "hexpire"
	// (the key-level EXPIRE raises "del" the same way).
	switch {
	case deleted > 0:
		x.Notify(NotifyHash, "hdel", key)
	case set > 0:
		x.Notify(NotifyHash, "hexpire", key)
	}
	if set+deleted > 0 || h.Len() != before {
		hashChanged(x, key, h, set+deleted)
	}
	if set+deleted > 0 && x.propagating() && (base != 0 || unitSeconds) {
		// Logged with the absolute time in milliseconds, so a replay
		// does not restart the countdown.
		args := slices.Clone(x.Args)
		args[0], args[2] = argHpexpireat, propInt(at)
		x.PropagateAs(args...)
	}
}

func cmdHttl(x *Ctx)         { hashTTLGeneric(x, false, false) }
func cmdHpttl(x *Ctx)        { hashTTLGeneric(x, true, false) }
func cmdHexpiretime(x *Ctx)  { hashTTLGeneric(x, false, true) }
func cmdHpexpiretime(x *Ctx) { hashTTLGeneric(x, true, true) }

// hashTTLGeneric implements HTTL and friends: per field -2 when missing (or
// expired), -1 without expiry, else the time left (or the expiry time for
// the *EXPIRETIME forms), seconds rounded up.
func hashTTLGeneric(x *Ctx, ms, abs bool) {
	h, ok := hashRead(x, x.Args[1])
	if !ok {
		return
	}
	fields, ok := hashFieldsArg(x, 2, errHashNumFields)
	if !ok {
		return
	}
	base := x.Now
	if abs {
		base = 0
	}
	x.W.WriteArrayLen(len(fields))
	for _, f := range fields {
		var at int64
		found := false
		if h != nil {
			at, found = h.FieldExpireAt(f, x.Now)
		}
		switch {
		case !found:
			x.W.WriteInt(-2)
		case at == 0:
			x.W.WriteInt(-1)
		case ms:
			x.W.WriteInt(at - base)
		default:
			x.W.WriteInt((at - base + 999) / 1000)
		}
	}
}

func cmdHpersist(x *Ctx) {
	key := x.Args[1]
	h, ok := hashWrite(x, key)
	if !ok {
		return
	}
	fields, ok := hashFieldsArg(x, 2, errHashNumFields)
	if !ok {
		return
	}
	x.W.WriteArrayLen(len(fields))
	changed := false
	for _, f := range fields {
		r := types.HashPersistNoField
		if h != nil {
			r = h.PersistField(f, x.Now)
		}
		changed = changed || r == types.HashPersistDone
		x.W.WriteInt(int64(r))
	}
	if changed {
		x.Notify(NotifyHash, "hpersist", key)
		hashChanged(x, key, h, 1)
	}
}

// ---- HGETDEL, HGETEX, HSETEX (Redis 8.0) ----

func cmdHgetdel(x *Ctx) {
	key := x.Args[1]
	h, ok := hashWrite(x, key)
	if !ok {
		return
	}
	fields, ok := hashFieldsArg(x, 2, errHashNumFields)
	if !ok {
		return
	}
	x.W.WriteArrayLen(len(fields))
	expired, deleted := false, 0
	for _, f := range fields {
		if h == nil {
			x.W.WriteNull()
			continue
		}
		v, found, exp := h.Get(f, x.Now)
		if !found {
			x.W.WriteNull()
			expired = expired || exp
			continue
		}
		x.W.WriteBulk(v)
		h.Delete(f)
		deleted++
	}
	if expired {
		x.Notify(NotifyHash, "hexpired", key)
	}
	if deleted > 0 {
		x.Notify(NotifyHash, "hdel", key)
	}
	if expired || deleted > 0 {
		hashChanged(x, key, h, deleted)
	}
}

// Expiry options of HGETEX and HSETEX.
const (
	hashOptEX = 1 << iota
	hashOptPX
	hashOptEXAT
	hashOptPXAT
	hashOptPersist
	hashOptKeepTTL
	hashOptFXX
	hashOptFNX

	hashOptTime = hashOptEX | hashOptPX | hashOptEXAT | hashOptPXAT
)

// hashTimeOpt recognises EX, PX, EXAT and PXAT.
func hashTimeOpt(b []byte) int {
	switch {
	case strEqFold(b, "ex"):
		return hashOptEX
	case strEqFold(b, "px"):
		return hashOptPX
	case strEqFold(b, "exat"):
		return hashOptEXAT
	case strEqFold(b, "pxat"):
		return hashOptPXAT
	}
	return 0
}

// hashParseTimeOpt reads the time of option opt (one of hashOptTime).
func hashParseTimeOpt(x *Ctx, opt int, arg []byte) (int64, bool) {
	base := int64(0)
	if opt&(hashOptEX|hashOptPX) != 0 {
		base = x.Now
	}
	return hashParseExpire(x, arg, opt&(hashOptEX|hashOptEXAT) != 0, base)
}

func cmdHgetex(x *Ctx) {
	key := x.Args[1]
	h, ok := hashWrite(x, key)
	if !ok {
		return
	}
	opt, fieldsAt := hashTimeOpt(x.Args[2]), 2
	var at int64
	switch {
	case opt != 0:
		if at, ok = hashParseTimeOpt(x, opt, x.Args[3]); !ok {
			return
		}
		fieldsAt = 4
	case strEqFold(x.Args[2], "persist"):
		opt, fieldsAt = hashOptPersist, 3
	}
	fields, ok := hashFieldsArg(x, fieldsAt, errHashNumFields)
	if !ok {
		return
	}
	x.W.WriteArrayLen(len(fields))
	if h == nil {
		for range fields {
			x.W.WriteNull()
		}
		return
	}
	if opt != 0 {
		h.EnableFieldExpiry()
	}
	expired, updated, deleted := false, 0, 0
	for _, f := range fields {
		v, found, exp := h.Get(f, x.Now)
		if !found {
			x.W.WriteNull()
			expired = expired || exp
			continue
		}
		x.W.WriteBulk(v)
		switch {
		case opt == hashOptPersist:
			if h.PersistField(f, x.Now) == types.HashPersistDone {
				updated++
			}
		case opt != 0:
			if h.SetFieldExpire(f, at, 0, x.Now) == types.HashExpireDeleted {
				deleted++
			} else {
				updated++
			}
		}
	}
	if expired {
		x.Notify(NotifyHash, "hexpired", key)
	}
	switch {
	case updated > 0 && opt == hashOptPersist:
		x.Notify(NotifyHash, "hpersist", key)
	case updated > 0:
		x.Notify(NotifyHash, "hexpire", key)
	case deleted > 0:
		x.Notify(NotifyHash, "hdel", key)
	}
	if expired || updated+deleted > 0 {
		hashChanged(x, key, h, updated+deleted)
	}
	if opt&hashOptTime != 0 && opt != hashOptPXAT && updated+deleted > 0 && x.propagating() {
		// Logged with the absolute time in milliseconds, as SET is.
		args := slices.Clone(x.Args)
		args[2], args[3] = argPXAT, propInt(at)
		x.PropagateAs(args...)
	}
}

func cmdHsetex(x *Ctx) {
	opts, at, timeAt, pairs, ok := hashSetexArgs(x)
	if !ok {
		return
	}
	key := x.Args[1]
	h, ok := hashWrite(x, key)
	if !ok {
		return
	}
	existed := h != nil
	if !existed {
		if opts&hashOptFXX != 0 {
			x.W.WriteInt(0)
			return
		}
		// Like Redis, the key is created before the fields are set, even
		// when a time already past then deletes them all.
		h = hashCreate(x, key)
	}
	expired := false
	if opts&(hashOptFXX|hashOptFNX) != 0 && existed {
		found := 0
		for i := 0; i < len(pairs); i += 2 {
			_, exists, exp := h.Get(pairs[i], x.Now)
			expired = expired || exp
			if exists {
				found++
			}
			if (opts&hashOptFXX != 0 && !exists) || (opts&hashOptFNX != 0 && exists) {
				break
			}
		}
		if (opts&hashOptFNX != 0 && found > 0) || (opts&hashOptFXX != 0 && found < len(pairs)/2) {
			if expired {
				hashLazyExpired(x, key, h)
			}
			x.W.WriteInt(0)
			return
		}
	}
	if opts&hashOptTime != 0 {
		h.EnableFieldExpiry()
	}
	lim := hashLimits(x)
	if n := len(pairs) / 2; n > 1 && n <= lim.MaxEntries && h.IsCompact() {
		hashReserve(h, pairs, lim)
	}
	keep := opts&(hashOptTime|hashOptKeepTTL) != 0
	updated, deleted := 0, 0
	for i := 0; i < len(pairs); i += 2 {
		h.Set(pairs[i], pairs[i+1], keep, x.Now, lim)
		if opts&hashOptTime != 0 {
			if h.SetFieldExpire(pairs[i], at, 0, x.Now) == types.HashExpireDeleted {
				deleted++
			} else {
				updated++
			}
		}
	}
	if expired {
		x.Notify(NotifyHash, "hexpired", key)
	}
	x.Notify(NotifyHash, "hset", key)
	switch {
	case deleted > 0:
		x.Notify(NotifyHash, "hdel", key)
	case updated > 0:
		x.Notify(NotifyHash, "hexpire", key)
	}
	hashChanged(x, key, h, len(pairs)/2)
	if opts&hashOptTime != 0 && opts&hashOptPXAT == 0 && x.propagating() {
		// Logged with the absolute time in milliseconds, as SET is.
		args := slices.Clone(x.Args)
		args[timeAt], args[timeAt+1] = argPXAT, propInt(at)
		x.PropagateAs(args...)
	}
	x.W.WriteInt(1)
}

// hashSetexArgs parses HSETEX's arguments before the key is looked up, as
// Redis does: [FNX|FXX] [EX|PX|EXAT|PXAT time|KEEPTTL] FIELDS numfields
// field value... It returns the options, the expiry, the position of its
// option word and the field/value pairs.
func hashSetexArgs(x *Ctx) (opts int, at int64, timeAt int, pairs [][]byte, ok bool) {
	args := x.Args
	arity := func() { x.Errorf("ERR wrong number of arguments for '%s' command", x.Cmd.Name) }
	for i := 2; i < len(args); i++ {
		arg := args[i]
		if strEqFold(arg, "fields") {
			if i >= len(args)-3 {
				arity()
				return 0, 0, 0, nil, false
			}
			n, ok := num.ParseInt(args[i+1])
			if !ok || n < 1 || n > math.MaxInt32 {
				x.Error(errHashSetexFields)
				return 0, 0, 0, nil, false
			}
			rest := len(args) - i - 2
			if rest%2 != 0 || n != int64(rest/2) {
				arity()
				return 0, 0, 0, nil, false
			}
			return opts, at, timeAt, args[i+2:], true
		}
		if t := hashTimeOpt(arg); t != 0 {
			if opts&(hashOptTime|hashOptKeepTTL) != 0 {
				x.Error(errHashSetexExpire)
				return 0, 0, 0, nil, false
			}
			if i >= len(args)-1 {
				x.Error(errHashSetexMissing)
				return 0, 0, 0, nil, false
			}
			timeAt = i
			i++
			if at, ok = hashParseTimeOpt(x, t, args[i]); !ok {
				return 0, 0, 0, nil, false
			}
			opts |= t
			continue
		}
		switch {
		case strEqFold(arg, "keepttl"):
			if opts&(hashOptTime|hashOptKeepTTL) != 0 {
				x.Error(errHashSetexExpire)
				return 0, 0, 0, nil, false
			}
			opts |= hashOptKeepTTL
		case strEqFold(arg, "fxx"), strEqFold(arg, "fnx"):
			if opts&(hashOptFXX|hashOptFNX) != 0 {
				x.Error(errHashSetexCond)
				return 0, 0, 0, nil, false
			}
			if strEqFold(arg, "fxx") {
				opts |= hashOptFXX
			} else {
				opts |= hashOptFNX
			}
		default:
			// Redis formats the argument as a C string: it ends at a NUL.
			if i := bytes.IndexByte(arg, 0); i >= 0 {
				arg = arg[:i]
			}
			x.Errorf("ERR unknown argument: %s", arg)
			return 0, 0, 0, nil, false
		}
	}
	arity()
	return 0, 0, 0, nil, false
}
