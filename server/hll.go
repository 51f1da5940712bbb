package server

import (
	"sync"

	"petrel/store"
	"petrel/types"
)

// The HyperLogLog family. A sketch is an ordinary string value in Redis's
// own format (types/hll.go), so GET, SET, APPEND and TYPE see it as Redis
// shows it and values move between the two servers unchanged. Dense
// sketches are updated in place, as Redis does; sparse ones are rewritten
// into a private copy and stored back, since they change length.

const (
	errHLLWrongType = "WRONGTYPE Key is not a valid HyperLogLog string value."
	errHLLCorrupt   = "INVALIDOBJ Corrupted HLL object detected"
)

// hllRegsPool recycles the 16 KiB register arrays of PFCOUNT with several
// keys and PFMERGE.
var hllRegsPool = sync.Pool{New: func() any { return new(types.HLLRegs) }}

// hllValid replies with Redis's error and reports false unless e holds a
// HyperLogLog.
func hllValid(x *Ctx, e *store.Entry) bool {
	if !e.IsString() {
		x.Error(ErrWrongType)
		return false
	}
	if !types.IsHLL(e.Str()) {
		x.Error(errHLLWrongType)
		return false
	}
	return true
}

// hllUnshare gives the key a value of its own with the raw encoding before
// it is changed, as Redis's dbUnshareStringValue does: OBJECT ENCODING then
// reports raw even when nothing else changed.
func hllUnshare(x *Ctx, key []byte, e *store.Entry) *store.Entry {
	if e.StringEncoding() != "raw" {
		e = x.DB.SetString(key, e.Str(), store.EncRaw, true)
	}
	return e
}

// hllOwnedCopy copies a sparse sketch with room to grow.
func hllOwnedCopy(v []byte) []byte {
	out := make([]byte, len(v), len(v)+16)
	copy(out, v)
	return out
}

// hllStore replaces the key's value with v (a buffer the command built),
// keeping its TTL.
func hllStore(x *Ctx, key, v []byte) {
	x.DB.SetString(key, v, store.EncRaw, true)
}

func cmdPfadd(x *Ctx) {
	key := x.Args[1]
	e := x.LookupWrite(key)
	var v []byte
	owned, changed := true, 0
	if e == nil {
		v = types.NewHLL()
		changed = 1 // creating the key counts as a change, even with no element
	} else {
		if !hllValid(x, e) {
			return
		}
		e = hllUnshare(x, key, e)
		v = e.StrForUpdate()
		switch {
		case len(x.Args) == 2:
			owned = false
		case types.HLLIsDense(v):
			owned = false // registers change in place
		default:
			v = hllOwnedCopy(v)
		}
	}
	sparseMax := x.Limits().HllSparseMaxBytes
	for _, elem := range x.Args[2:] {
		var r types.HLLResult
		v, r = types.HLLAdd(v, elem, sparseMax)
		switch r {
		case types.HLLChanged:
			changed++
		case types.HLLCorrupt:
			// Redis has already changed the value for the elements before
			// this one, but signals nothing.
			if changed > 0 && owned {
				hllStore(x, key, v)
			}
			x.Error(errHLLCorrupt)
			return
		}
	}
	if changed == 0 {
		x.W.WriteInt(0)
		return
	}
	types.HLLInvalidate(v)
	if owned {
		hllStore(x, key, v)
	}
	x.Modified(key)
	x.Dirty(int64(changed - 1)) // Redis counts every register changed
	x.Notify(NotifyString, "pfadd", key)
	x.W.WriteInt(1)
}

func cmdPfcount(x *Ctx) {
	if len(x.Args) > 2 {
		pfcountUnion(x)
		return
	}
	key := x.Args[1]
	e := x.Lookup(key)
	if e == nil {
		x.W.WriteInt(0)
		return
	}
	if !hllValid(x, e) {
		return
	}
	e = hllUnshare(x, key, e)
	v := e.StrForUpdate()
	if n, ok := types.HLLCachedCount(v); ok {
		x.W.WriteInt(int64(n))
		return
	}
	n, ok := types.HLLCount(v)
	if !ok {
		x.Error(errHLLCorrupt)
		return
	}
	// The estimate is cached in the value: a change Redis propagates, so
	// it touches the key although PFCOUNT is flagged read-only.
	types.HLLSetCachedCount(v, n)
	x.Modified(key)
	x.W.WriteInt(int64(n))
}

// pfcountUnion estimates the union of several sketches, through a
// temporary that nothing caches.
func pfcountUnion(x *Ctx) {
	regs := hllRegsPool.Get().(*types.HLLRegs)
	defer hllRegsPool.Put(regs)
	*regs = types.HLLRegs{}
	for _, key := range x.Args[1:] {
		e := x.Lookup(key)
		if e == nil {
			continue
		}
		if !hllValid(x, e) {
			return
		}
		if !regs.Merge(e.Str()) {
			x.Error(errHLLCorrupt)
			return
		}
	}
	x.W.WriteInt(int64(regs.Count()))
}

func cmdPfmerge(x *Ctx) {
	regs := hllRegsPool.Get().(*types.HLLRegs)
	defer hllRegsPool.Put(regs)
	*regs = types.HLLRegs{}
	// The destination is a source too, as in Redis: it must be a sketch.
	anyDense := false
	for _, key := range x.Args[1:] {
		e := x.Lookup(key)
		if e == nil {
			continue
		}
		if !hllValid(x, e) {
			return
		}
		v := e.Str()
		if types.HLLIsDense(v) {
			anyDense = true
		}
		if !regs.Merge(v) {
			x.Error(errHLLCorrupt)
			return
		}
	}

	dst := x.Args[1]
	e := x.LookupWrite(dst)
	var v []byte
	owned := true
	if e == nil {
		v = types.NewHLL()
	} else {
		e = hllUnshare(x, dst, e)
		v = e.StrForUpdate()
		if types.HLLIsDense(v) {
			owned = false
		} else {
			v = hllOwnedCopy(v)
		}
	}
	if anyDense {
		// A dense input makes the destination dense at once, rather than
		// after a long sparse detour.
		d, ok := types.HLLToDense(v)
		if !ok {
			x.Error(errHLLCorrupt)
			return
		}
		v = d
	}
	v = regs.StoreInto(v, x.Limits().HllSparseMaxBytes)
	types.HLLInvalidate(v)
	if owned {
		hllStore(x, dst, v)
	}
	x.Modified(dst)
	// Redis raises pfadd: a merge is a mass add.
	x.Notify(NotifyString, "pfadd", dst)
	x.W.WriteOK()
}

func cmdPfdebug(x *Ctx) {
	sub, key := x.Args[1], x.Args[2]
	e := x.LookupWrite(key)
	if e == nil {
		x.Error("ERR The specified key does not exist")
		return
	}
	if !hllValid(x, e) {
		return
	}
	e = hllUnshare(x, key, e)
	v := e.Str()
	switch {
	case strEqFold(sub, "getreg"):
		if !types.HLLIsDense(v) {
			if v = pfdebugToDense(x, key, v); v == nil {
				return
			}
		}
		x.W.WriteArrayLen(types.HLLRegisters)
		for i := 0; i < types.HLLRegisters; i++ {
			x.W.WriteInt(int64(types.HLLRegister(v, i)))
		}
	case strEqFold(sub, "decode"):
		if types.HLLIsDense(v) {
			x.Error("ERR HLL encoding is not sparse")
			return
		}
		x.W.WriteBulk(types.HLLDecode(v))
	case strEqFold(sub, "encoding"):
		if types.HLLIsDense(v) {
			x.W.WriteSimple("dense")
		} else {
			x.W.WriteSimple("sparse")
		}
	case strEqFold(sub, "todense"):
		if types.HLLIsDense(v) {
			x.W.WriteInt(0)
			return
		}
		if pfdebugToDense(x, key, v) != nil {
			x.W.WriteInt(1)
		}
	default:
		x.Errorf("ERR Unknown PFDEBUG subcommand '%s'", cString(sub))
	}
}

// pfdebugToDense converts a sparse sketch for GETREG and TODENSE. Redis
// counts the change for propagation but neither touches the key nor raises
// an event. It returns nil after replying with an error.
func pfdebugToDense(x *Ctx, key, v []byte) []byte {
	d, ok := types.HLLToDense(v)
	if !ok {
		x.Error(errHLLCorrupt)
		return nil
	}
	hllStore(x, key, d)
	x.Dirty(1)
	return d
}

func cmdPfselftest(x *Ctx) {
	if msg := types.HLLSelfTest(); msg != "" {
		x.Error("TESTFAILED " + msg)
		return
	}
	x.W.WriteOK()
}
