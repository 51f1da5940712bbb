package server

import (
	"math"
	"math/big"
	"strconv"

	"petrel/internal/num"
	"petrel/store"
	"petrel/types"
)

// The string command family. Values live in the entry itself; every write
// replaces the value with a fresh copy (store.DB.SetString), so a value
// slice read from an entry stays valid while the reply is written.

// Options of SET and GETEX, as bits.
const (
	strOptNX = 1 << iota
	strOptXX
	strOptGet
	strOptKeepTTL
	strOptPersist
	strOptEX
	strOptPX
	strOptEXAT
	strOptPXAT

	strOptExpire = strOptEX | strOptPX | strOptEXAT | strOptPXAT
)

const (
	errStrTooLong   = "ERR string exceeds maximum allowed size (proto-max-bulk-len)"
	errNaNOrInf     = "ERR increment would produce NaN or Infinity"
	errDecrOverflow = "ERR decrement would overflow"
	errOffsetRange  = "ERR offset is out of range"
	errLCSType      = "ERR The specified keys must contain string values"
	errLCSIdxLen    = "ERR If you want both the length and indexes, please just use IDX."
	errLCSTooLong   = "ERR String too long for LCS"
	errLCSMemLimit  = "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"
	errLCSAlloc     = "ERR Insufficient memory, failed allocating transient memory for LCS"
)

// strEqFold reports whether b equals lower, an all-letters lower-case word,
// ignoring case.
func strEqFold(b []byte, lower string) bool {
	if len(b) != len(lower) {
		return false
	}
	for i := range b {
		if b[i]|0x20 != lower[i] {
			return false
		}
	}
	return true
}

// strStampNew gives a value that replaces another one the access data of a
// freshly created object. New keys need no call: the keyspace stamps them.
func strStampNew(x *Ctx, e *store.Entry) { e.SetLRU(x.s.newAccessData()) }

// strParseOpts reads the options of SET (getex false) or GETEX. Redis
// accepts an option again as long as it does not conflict with another one
// ("EX 1 EX 2" keeps the last); conflicts, unknown words and a missing
// expire value are syntax errors.
func strParseOpts(x *Ctx, args [][]byte, getex bool) (flags int, expArg []byte, ok bool) {
	for i := 0; i < len(args); i++ {
		opt := args[i]
		f, valid := 0, false
		switch {
		case !getex && strEqFold(opt, "nx"):
			f, valid = strOptNX, flags&strOptXX == 0
		case !getex && strEqFold(opt, "xx"):
			f, valid = strOptXX, flags&strOptNX == 0
		case !getex && strEqFold(opt, "get"):
			f, valid = strOptGet, true
		case !getex && strEqFold(opt, "keepttl"):
			f, valid = strOptKeepTTL, flags&strOptExpire == 0
		case getex && strEqFold(opt, "persist"):
			f, valid = strOptPersist, flags&strOptExpire == 0
		default:
			switch {
			case strEqFold(opt, "ex"):
				f = strOptEX
			case strEqFold(opt, "px"):
				f = strOptPX
			case strEqFold(opt, "exat"):
				f = strOptEXAT
			case strEqFold(opt, "pxat"):
				f = strOptPXAT
			}
			valid = f != 0 && i+1 < len(args) &&
				flags&(strOptKeepTTL|strOptPersist|strOptExpire&^f) == 0
			if valid {
				i++
				expArg = args[i]
			}
		}
		if !valid {
			x.Error(ErrSyntax)
			return 0, nil, false
		}
		flags |= f
	}
	return flags, expArg, true
}

// strExpireAt turns the expire argument of an EX/PX/EXAT/PXAT option into
// an absolute unix time in milliseconds, replying with Redis's error when it
// is not an integer, not positive, or overflows.
func strExpireAt(x *Ctx, arg []byte, flags int) (int64, bool) {
	v, ok := num.ParseInt(arg)
	if !ok {
		x.Error(ErrNotInt)
		return 0, false
	}
	seconds := flags&(strOptEX|strOptEXAT) != 0
	if v <= 0 || (seconds && v > math.MaxInt64/1000) {
		x.Errorf(ErrInvalidExp, x.Cmd.Name)
		return 0, false
	}
	if seconds {
		v *= 1000
	}
	if flags&(strOptEX|strOptPX) != 0 {
		if v > math.MaxInt64-x.Now {
			x.Errorf(ErrInvalidExp, x.Cmd.Name)
			return 0, false
		}
		v += x.Now
	}
	return v, true
}

// strCheckLen refuses a string that would grow past proto-max-bulk-len
// (or overflow while computing its length).
func strCheckLen(x *Ctx, base, extra int64) bool {
	total := base + extra
	if total < base || total > x.s.protoMaxBulk.Load() {
		x.Error(errStrTooLong)
		return false
	}
	return true
}

// strSet stores val at key as SET does (auto encoding, TTL dropped unless
// keepTTL). Callers look the key up for writing first, so a stale key is
// expired (and counted) before it is overwritten.
func strSet(x *Ctx, key, val []byte, keepTTL bool) *store.Entry {
	e := x.DB.SetString(key, val, store.EncAuto, keepTTL)
	x.Modified(key)
	return e
}

// strSetEvent is strSet for the SET family (SET, SETNX, SETEX, MSET,
// GETSET...), which raise the "set" keyspace event.
func strSetEvent(x *Ctx, key, val []byte, keepTTL bool) *store.Entry {
	e := strSet(x, key, val, keepTTL)
	x.Notify(NotifyString, "set", key)
	return e
}

func cmdGet(x *Ctx) {
	e := x.Lookup(x.Args[1])
	switch {
	case e == nil:
		x.W.WriteNull()
	case !e.IsString():
		x.Error(ErrWrongType)
	default:
		x.W.WriteBulk(e.Str())
	}
}

func cmdSet(x *Ctx) {
	key, val := x.Args[1], x.Args[2]
	if len(x.Args) == 3 {
		// The benchmark's hot path: no options to parse.
		x.LookupWrite(key)
		strSetEvent(x, key, val, false)
		x.W.WriteOK()
		return
	}
	flags, expArg, ok := strParseOpts(x, x.Args[3:], false)
	if !ok {
		return
	}
	var at int64
	if flags&strOptExpire != 0 {
		if at, ok = strExpireAt(x, expArg, flags); !ok {
			return
		}
	}
	if flags&strOptGet != 0 {
		e := x.Lookup(key)
		switch {
		case e == nil:
			x.W.WriteNull()
		case !e.IsString():
			x.Error(ErrWrongType)
			return
		default:
			x.W.WriteBulk(e.Str())
		}
	}
	old := x.LookupWrite(key)
	if (flags&strOptNX != 0 && old != nil) || (flags&strOptXX != 0 && old == nil) {
		if flags&strOptGet == 0 {
			x.W.WriteNull()
		}
		return
	}
	e := strSetEvent(x, key, val, flags&strOptKeepTTL != 0)
	if at != 0 {
		// A time already past is stored as is: the key then expires on
		// its next access, as in Redis 7.0.
		x.DB.SetExpireAt(e, at)
		x.Notify(NotifyGeneric, "expire", key)
	}
	if x.propagating() {
		strSetPropagate(x, flags, at)
	}
	if flags&strOptGet == 0 {
		x.W.WriteOK()
	}
}

// strSetPropagate gives SET with options the form Redis logs: an expiry
// becomes an absolute PXAT (NX, XX and GET then vanish with it), and
// otherwise only the GET words are dropped, the rest kept as sent.
func strSetPropagate(x *Ctx, flags int, at int64) {
	if at != 0 {
		x.PropagateAs(argSet, x.Args[1], x.Args[2], argPXAT, propInt(at))
		return
	}
	if flags&strOptGet == 0 {
		return
	}
	args := make([][]byte, 0, len(x.Args)-1)
	for i, a := range x.Args {
		if i < 3 || !strEqFold(a, "get") {
			args = append(args, a)
		}
	}
	x.PropagateAs(args...)
}

func cmdSetnx(x *Ctx) {
	key := x.Args[1]
	if x.LookupWrite(key) != nil {
		x.W.WriteInt(0)
		return
	}
	strSetEvent(x, key, x.Args[2], false)
	x.W.WriteInt(1)
}

func cmdSetex(x *Ctx) { strSetWithExpire(x, strOptEX) }

func cmdPsetex(x *Ctx) { strSetWithExpire(x, strOptPX) }

func strSetWithExpire(x *Ctx, unit int) {
	at, ok := strExpireAt(x, x.Args[2], unit)
	if !ok {
		return
	}
	key := x.Args[1]
	x.LookupWrite(key)
	e := strSetEvent(x, key, x.Args[3], false)
	x.DB.SetExpireAt(e, at)
	x.Notify(NotifyGeneric, "expire", key)
	if x.propagating() {
		x.PropagateAs(argSet, key, x.Args[3], argPXAT, propInt(at))
	}
	x.W.WriteOK()
}

func cmdMget(x *Ctx) {
	x.W.WriteArrayLen(len(x.Args) - 1)
	for _, key := range x.Args[1:] {
		if e := x.Lookup(key); e != nil && e.IsString() {
			x.W.WriteBulk(e.Str())
		} else {
			x.W.WriteNull()
		}
	}
}

func cmdMset(x *Ctx) {
	if len(x.Args)%2 == 0 {
		x.Errorf("ERR wrong number of arguments for '%s' command", x.Cmd.Name)
		return
	}
	strMsetAll(x)
	x.W.WriteOK()
}

func cmdMsetnx(x *Ctx) {
	if len(x.Args)%2 == 0 {
		x.Errorf("ERR wrong number of arguments for '%s' command", x.Cmd.Name)
		return
	}
	for i := 1; i < len(x.Args); i += 2 {
		if x.LookupWrite(x.Args[i]) != nil {
			x.W.WriteInt(0)
			return
		}
	}
	strMsetAll(x)
	x.W.WriteInt(1)
}

// strMsetAll stores every key/value pair of MSET's arguments in order, so
// a repeated key ends with its last value.
func strMsetAll(x *Ctx) {
	for i := 1; i < len(x.Args); i += 2 {
		key := x.Args[i]
		x.LookupWrite(key)
		strSetEvent(x, key, x.Args[i+1], false)
	}
}

func cmdGetset(x *Ctx) {
	key := x.Args[1]
	e := x.Lookup(key)
	switch {
	case e == nil:
		x.W.WriteNull()
	case !e.IsString():
		x.Error(ErrWrongType)
		return
	default:
		x.W.WriteBulk(e.Str())
	}
	strSetEvent(x, key, x.Args[2], false)
	if x.propagating() {
		x.PropagateAs(argSet, key, x.Args[2])
	}
}

func cmdGetdel(x *Ctx) {
	key := x.Args[1]
	e := x.Lookup(key)
	switch {
	case e == nil:
		x.W.WriteNull()
	case !e.IsString():
		x.Error(ErrWrongType)
	default:
		x.W.WriteBulk(e.Str())
		x.DB.Delete(key)
		x.Modified(key)
		x.Notify(NotifyGeneric, "del", key)
		if x.propagating() {
			x.propDelete(key, "lazyfree-lazy-user-del")
		}
	}
}

func cmdGetex(x *Ctx) {
	flags, expArg, ok := strParseOpts(x, x.Args[2:], true)
	if !ok {
		return
	}
	key := x.Args[1]
	e := x.Lookup(key)
	if e == nil {
		x.W.WriteNull()
		return
	}
	if !e.IsString() {
		x.Error(ErrWrongType)
		return
	}
	var at int64
	if flags&strOptExpire != 0 {
		if at, ok = strExpireAt(x, expArg, flags); !ok {
			return
		}
	}
	x.W.WriteBulk(e.Str())
	switch {
	case flags&(strOptEXAT|strOptPXAT) != 0 && at <= x.Now:
		// Unlike SET, GETEX deletes a key given a time already past.
		x.DB.Delete(key)
		x.Modified(key)
		x.Notify(NotifyGeneric, "del", key)
		if x.propagating() {
			x.propDelete(key, "lazyfree-lazy-expire")
		}
	case at != 0:
		x.DB.SetExpireAt(e, at)
		x.Modified(key)
		x.Notify(NotifyGeneric, "expire", key)
		if x.propagating() {
			x.PropagateAs(argPexpireat, key, propInt(at))
		}
	case flags&strOptPersist != 0:
		if x.DB.Persist(e) {
			x.Modified(key)
			x.Notify(NotifyGeneric, "persist", key)
			if x.propagating() {
				x.PropagateAs(argPersist, key)
			}
		}
	}
}

func cmdAppend(x *Ctx) {
	key, suffix := x.Args[1], x.Args[2]
	e := x.LookupWrite(key)
	if e == nil {
		x.DB.SetString(key, suffix, store.EncAuto, false)
		x.Modified(key)
		x.Notify(NotifyString, "append", key)
		x.W.WriteInt(int64(len(suffix)))
		return
	}
	if !e.IsString() {
		x.Error(ErrWrongType)
		return
	}
	old := e.Str()
	if !strCheckLen(x, int64(len(old)), int64(len(suffix))) {
		return
	}
	// Redis appends even an empty suffix: the value turns raw and the key
	// counts as modified. The value grows in place, with spare room, so
	// repeated appends are not quadratic.
	n := len(old)
	val := e.MutableStr(n + len(suffix))
	copy(val[n:], suffix)
	x.Modified(key)
	x.Notify(NotifyString, "append", key)
	x.W.WriteInt(int64(len(val)))
}

func cmdStrlen(x *Ctx) {
	e := x.Lookup(x.Args[1])
	switch {
	case e == nil:
		x.W.WriteInt(0)
	case !e.IsString():
		x.Error(ErrWrongType)
	default:
		x.W.WriteInt(int64(len(e.Str())))
	}
}

func cmdIncr(x *Ctx) { strIncrBy(x, 1) }

func cmdDecr(x *Ctx) { strIncrBy(x, -1) }

func cmdIncrby(x *Ctx) {
	d, ok := num.ParseInt(x.Args[2])
	if !ok {
		x.Error(ErrNotInt)
		return
	}
	strIncrBy(x, d)
}

func cmdDecrby(x *Ctx) {
	d, ok := num.ParseInt(x.Args[2])
	if !ok {
		x.Error(ErrNotInt)
		return
	}
	if d == math.MinInt64 {
		x.Error(errDecrOverflow)
		return
	}
	strIncrBy(x, -d)
}

// strIncrBy adds delta to the integer at key (0 when missing), keeping the
// key's TTL.
func strIncrBy(x *Ctx, delta int64) {
	key := x.Args[1]
	e := x.LookupWrite(key)
	var cur int64
	if e != nil {
		if !e.IsString() {
			x.Error(ErrWrongType)
			return
		}
		v, ok := num.ParseInt(e.Str())
		if !ok {
			x.Error(ErrNotInt)
			return
		}
		cur = v
	}
	if (delta < 0 && cur < 0 && delta < math.MinInt64-cur) ||
		(delta > 0 && cur > 0 && delta > math.MaxInt64-cur) {
		x.Error(ErrOverflow)
		return
	}
	n := cur + delta
	var tmp [24]byte
	if val := strconv.AppendInt(tmp[:0], n, 10); e != nil {
		e.ReplaceString(val, store.EncInt)
	} else {
		x.DB.SetString(key, val, store.EncInt, true)
	}
	x.Modified(key)
	x.Notify(NotifyString, "incrby", key)
	x.W.WriteInt(n)
}

func cmdIncrbyfloat(x *Ctx) {
	key := x.Args[1]
	e := x.LookupWrite(key)
	cur := new(big.Float)
	if e != nil {
		if !e.IsString() {
			x.Error(ErrWrongType)
			return
		}
		v, ok := types.ParseLongDouble(e.Str())
		if !ok {
			x.Error(ErrNotFloat)
			return
		}
		cur = v
	}
	incr, ok := types.ParseLongDouble(x.Args[2])
	if !ok {
		x.Error(ErrNotFloat)
		return
	}
	sum, ok := types.AddLongDouble(cur, incr)
	if !ok {
		x.Error(errNaNOrInf)
		return
	}
	var tmp [64]byte
	val := types.AppendLongDoubleHuman(tmp[:0], sum)
	x.DB.SetString(key, val, store.EncStr, true)
	x.Modified(key)
	x.Notify(NotifyString, "incrbyfloat", key)
	if x.propagating() {
		// The value as stored, so a replay cannot round differently.
		x.PropagateAs(argSet, key, append([]byte(nil), val...), argKeepTTL)
	}
	x.W.WriteBulk(val)
}

func cmdGetrange(x *Ctx) {
	start, ok1 := num.ParseInt(x.Args[2])
	end, ok2 := num.ParseInt(x.Args[3])
	if !ok1 || !ok2 {
		x.Error(ErrNotInt)
		return
	}
	e := x.Lookup(x.Args[1])
	if e == nil {
		x.W.WriteBulk(nil)
		return
	}
	if !e.IsString() {
		x.Error(ErrWrongType)
		return
	}
	s := e.Str()
	n := int64(len(s))
	if start < 0 && end < 0 && start > end {
		x.W.WriteBulk(nil)
		return
	}
	if start < 0 {
		start = max(start+n, 0)
	}
	if end < 0 {
		end = max(end+n, 0)
	}
	end = min(end, n-1)
	if n == 0 || start > end {
		x.W.WriteBulk(nil)
		return
	}
	x.W.WriteBulk(s[start : end+1])
}

func cmdSubstr(x *Ctx) { cmdGetrange(x) }

func cmdSetrange(x *Ctx) {
	key, val := x.Args[1], x.Args[3]
	offset, ok := nonNegativeArg(x, x.Args[2], ErrNotInt, errOffsetRange)
	if !ok {
		return
	}
	e := x.LookupWrite(key)
	var old []byte
	if e != nil {
		if !e.IsString() {
			x.Error(ErrWrongType)
			return
		}
		old = e.Str()
	}
	if len(val) == 0 {
		// Nothing to write: no key is created and nothing changes.
		x.W.WriteInt(int64(len(old)))
		return
	}
	if !strCheckLen(x, offset, int64(len(val))) {
		return
	}
	size := max(int64(len(old)), offset+int64(len(val)))
	var buf []byte
	if e != nil {
		buf = e.MutableStr(int(size)) // in place, with room to grow
		copy(buf[offset:], val)
	} else {
		buf = make([]byte, size)
		copy(buf[offset:], val)
		x.DB.SetString(key, buf, store.EncRaw, true)
	}
	x.Modified(key)
	x.Notify(NotifyString, "setrange", key)
	x.W.WriteInt(int64(len(buf)))
}

func cmdLcs(x *Ctx) {
	ea, eb := x.Lookup(x.Args[1]), x.Lookup(x.Args[2])
	if (ea != nil && !ea.IsString()) || (eb != nil && !eb.IsString()) {
		x.Error(errLCSType)
		return
	}
	var a, b []byte
	if ea != nil {
		a = ea.Str()
	}
	if eb != nil {
		b = eb.Str()
	}
	var getIdx, getLen, withMatchLen bool
	var minMatchLen int64
	for i := 3; i < len(x.Args); i++ {
		opt := x.Args[i]
		switch {
		case strEqFold(opt, "idx"):
			getIdx = true
		case strEqFold(opt, "len"):
			getLen = true
		case strEqFold(opt, "withmatchlen"):
			withMatchLen = true
		case strEqFold(opt, "minmatchlen") && i+1 < len(x.Args):
			v, ok := num.ParseInt(x.Args[i+1])
			if !ok {
				x.Error(ErrNotInt)
				return
			}
			minMatchLen = max(v, 0)
			i++
		default:
			x.Error(ErrSyntax)
			return
		}
	}
	if getIdx && getLen {
		x.Error(errLCSIdxLen)
		return
	}
	if uint64(len(a)) >= math.MaxUint32-1 || uint64(len(b)) >= math.MaxUint32-1 {
		x.Error(errLCSTooLong)
		return
	}
	// Redis refuses a table (4 bytes a cell) larger than proto-max-bulk-len;
	// the same limit applies here whatever the table really takes.
	size, ok := types.LCSTableBytes(len(a), len(b))
	if !ok {
		x.Error(errLCSAlloc)
		return
	}
	if size > uint64(x.s.protoMaxBulk.Load()) {
		x.Error(errLCSMemLimit)
		return
	}
	if getLen {
		x.W.WriteInt(int64(types.LCSLen(a, b)))
		return
	}
	str, matches := types.LCS(a, b, minMatchLen, getIdx)
	if !getIdx {
		x.W.WriteBulk(str)
		return
	}
	x.W.WriteMapLen(2)
	x.W.WriteBulkString("matches")
	x.W.WriteArrayLen(len(matches))
	for _, m := range matches {
		if withMatchLen {
			x.W.WriteArrayLen(3)
		} else {
			x.W.WriteArrayLen(2)
		}
		x.W.WriteArrayLen(2)
		x.W.WriteInt(int64(m.AStart))
		x.W.WriteInt(int64(m.AEnd))
		x.W.WriteArrayLen(2)
		x.W.WriteInt(int64(m.BStart))
		x.W.WriteInt(int64(m.BEnd))
		if withMatchLen {
			x.W.WriteInt(int64(m.Len()))
		}
	}
	x.W.WriteBulkString("len")
	x.W.WriteInt(int64(len(str)))
}
