package server

import (
	"errors"

	"petrel/internal/num"
	"petrel/persistence/rdb"
	"petrel/store"
	"petrel/types"
)

// DUMP and RESTORE: a key's value serialized as Redis serializes it (an
// RDB-encoded value, the RDB version and a CRC-64), so that values move
// between Redis and Petrel in both directions. The encoding itself lives in
// persistence/rdb.

// Error texts of RESTORE.
const (
	errBusyKey        = "BUSYKEY Target key name already exists."
	errRestoreTTL     = "ERR Invalid TTL value, must be >= 0"
	errRestoreIdle    = "ERR Invalid IDLETIME value, must be >= 0"
	errRestoreFreq    = "ERR Invalid FREQ value, must be >= 0 and <= 255"
	errDumpPayload    = "ERR DUMP payload version or checksum are wrong"
	errBadDumpPayload = "ERR Bad data format"
)

// rdbOptions are the serialization settings in force: rdbcompression for
// writing; sanitize-dump-payload and the encoding thresholds for reading.
// Redis's "clients" setting sanitizes payloads from every client but its
// master, and Petrel has no master link, so it means "yes" here.
func rdbOptions(x *Ctx) *rdb.Options {
	l := x.Limits()
	compress, _ := x.s.cfg.Get("rdbcompression")
	sanitize, _ := x.s.cfg.Get("sanitize-dump-payload")
	return &rdb.Options{
		Compress: compress == "yes",
		Deep:     sanitize != "no",
		Limits: &rdb.Limits{
			ListMaxListpackSize:    l.ListMaxListpackSize,
			ListCompressDepth:      l.ListCompressDepth,
			SetMaxIntsetEntries:    l.SetMaxIntsetEntries,
			HashMaxListpackEntries: l.HashMaxListpackEntries,
			HashMaxListpackValue:   l.HashMaxListpackValue,
			ZsetMaxListpackEntries: l.ZsetMaxListpackEntries,
			ZsetMaxListpackValue:   l.ZsetMaxListpackValue,
		},
	}
}

// entryObject is the value an entry holds, as the rdb package takes it.
func entryObject(e *store.Entry) rdb.Object {
	if e.IsString() {
		return rdb.Object{Str: e.Str()}
	}
	return rdb.Object{Val: e.Obj().(types.Value)}
}

func cmdDump(x *Ctx) {
	e := x.Lookup(x.Args[1])
	if e == nil {
		x.W.WriteNull()
		return
	}
	p, err := rdb.AppendDump(nil, entryObject(e), rdbOptions(x))
	if err != nil {
		x.Errorf("ERR %v", err)
		return
	}
	x.W.WriteBulk(p)
}

// RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ
// frequency], checking its arguments in Redis's order: options, an
// existing key, the TTL, then the payload.
func cmdRestore(x *Ctx) {
	key := x.Args[1]
	replace, absTTL := false, false
	idle, freq := int64(-1), int64(-1)
	for j := 4; j < len(x.Args); j++ {
		opt, more := x.Args[j], len(x.Args)-j-1
		switch {
		case strEqFold(opt, "replace"):
			replace = true
		case strEqFold(opt, "absttl"):
			absTTL = true
		// IDLETIME and FREQ exclude each other: the second is a syntax
		// error, as in Redis.
		case strEqFold(opt, "idletime") && more >= 1 && freq == -1:
			v, ok := nonNegativeArg(x, x.Args[j+1], ErrNotInt, errRestoreIdle)
			if !ok {
				return
			}
			idle = v
			j++
		case strEqFold(opt, "freq") && more >= 1 && idle == -1:
			v, ok := num.ParseInt(x.Args[j+1])
			if !ok {
				x.Error(ErrNotInt)
				return
			}
			if v < 0 || v > 255 {
				x.Error(errRestoreFreq)
				return
			}
			freq = v
			j++
		default:
			x.Error(ErrSyntax)
			return
		}
	}
	if !replace && x.LookupWrite(key) != nil {
		x.Error(errBusyKey)
		return
	}
	ttl, ok := nonNegativeArg(x, x.Args[2], ErrNotInt, errRestoreTTL)
	if !ok {
		return
	}
	obj, err := rdb.ParseDump(x.Args[3], rdbOptions(x))
	if err != nil {
		if errors.Is(err, rdb.ErrDumpFooter) {
			x.Error(errDumpPayload)
		} else {
			x.Error(errBadDumpPayload)
		}
		return
	}
	deleted := replace && x.DB.Delete(key)
	if ttl != 0 && !absTTL {
		ttl += x.Now // wraps past the largest time, as in Redis, into the past
	}
	if ttl != 0 && ttl <= x.Now {
		// Already expired: nothing is created, and a replaced key is
		// just deleted.
		if deleted {
			x.Modified(key)
			x.Notify(NotifyGeneric, "del", key)
			if x.propagating() {
				x.propDelete(key, "")
			}
		}
		x.W.WriteOK()
		return
	}
	var e *store.Entry
	if obj.Val == nil {
		e = x.DB.SetString(key, obj.Str, store.EncAuto, false)
	} else {
		e = x.DB.SetObject(key, obj.Val)
	}
	if ttl != 0 {
		x.DB.SetExpireAt(e, ttl)
	}
	x.s.restoreAccessData(e, idle, freq)
	if h, ok := obj.Val.(*types.Hash); ok {
		if at := h.NextExpiry(); at != 0 {
			x.s.hashScheduleExpiry(x.DB, key, at)
		}
	}
	x.Modified(key)
	x.Notify(NotifyGeneric, "restore", key)
	if ttl != 0 && !absTTL && x.propagating() {
		// A relative TTL is logged as the absolute time it gave, so a
		// replay does not restart it.
		args := make([][]byte, 0, len(x.Args)+1)
		args = append(args, x.Args[:2]...)
		args = append(args, propInt(ttl))
		args = append(args, x.Args[3:]...)
		x.PropagateAs(append(args, argAbsTTL)...)
	}
	x.W.WriteOK()
}

// restoreAccessData applies FREQ under an LFU policy, or IDLETIME under
// any other (-1: not given), as Redis's objectSetLRUOrLFU does for RESTORE
// and for keys loaded from a file, overflows included: the idle time is
// scaled through milliseconds in 64 bits and the access time wraps around
// the 24-bit LRU clock.
func (s *Server) restoreAccessData(e *store.Entry, idle, freq int64) {
	if s.access.lfu.Load() {
		if freq >= 0 {
			e.SetLRU(lfuMinutes()<<8 | uint32(freq))
		}
		return
	}
	if idle < 0 {
		return
	}
	const lruClockMax = 1<<24 - 1
	idle = idle * 1000 / 1000
	at := int64(lruClock()) - idle
	if at < 0 {
		at += lruClockMax
	}
	e.SetLRU(uint32(at) & lruClockMax)
}
