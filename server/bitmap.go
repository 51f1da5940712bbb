package server

import (
	"bytes"
	"math"
	"math/bits"
	"strings"

	"petrel/internal/bitops"
	"petrel/internal/num"
	"petrel/store"
)

// The bitmap command family: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP,
// BITFIELD and BITFIELD_RO, on ordinary string values. Bit 0 is the most
// significant bit of a string's first byte. Writes change the value in
// place (store.Entry.MutableStr), as Redis does, so setting one bit of a
// large bitmap costs no copy of it; the bulk scans run on internal/bitops's
// word kernels. Lengthening a string does copy it: the keyspace keeps no
// spare capacity after a value, unlike Redis's sds, so a bitmap grown a
// byte at a time by rising offsets costs a copy per new byte.

const (
	errBitOffset       = "ERR bit offset is not an integer or out of range"
	errBitValue        = "ERR bit is not an integer or out of range"
	errBitArg          = "ERR The bit argument must be 1 or 0."
	errBitopNot        = "ERR BITOP NOT must be called with a single source key."
	errBitopTwoSources = "ERR BITOP %s must be called with at least two source keys."
	errBitfieldType    = "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is."
	errBitfieldOvf     = "ERR Invalid OVERFLOW type specified"
	errBitfieldRO      = "ERR BITFIELD_RO only supports the GET subcommand"
)

// bitMaxStrLen is the longest string the keyspace can hold (its length is a
// uint32). Redis's own bound on offsets, proto-max-bulk-len, is below it
// unless raised past 4 GB.
const bitMaxStrLen = math.MaxUint32

// bitOffset parses a bit offset as Redis does: a non-negative integer whose
// byte, offset/8, is below proto-max-bulk-len. With hash (BITFIELD), "#n"
// means n fields of width bits; the product wraps on overflow as it does in
// Redis, so "#2^58" with i64 is offset 0.
func bitOffset(x *Ctx, arg []byte, hash bool, width int) (uint64, bool) {
	useHash := hash && len(arg) > 0 && arg[0] == '#'
	if useHash {
		arg = arg[1:]
	}
	v, ok := num.ParseInt(arg)
	if ok && useHash {
		v *= int64(width)
	}
	if !ok || v < 0 || v>>3 >= x.s.protoMaxBulk.Load() {
		x.Error(errBitOffset)
		return 0, false
	}
	return uint64(v), true
}

// bitWritable returns key's string for writing, made long enough to hold
// bit maxBit: a missing key is created with zero bytes, a shorter string is
// zero-padded. grew reports whether the key was created or lengthened,
// which counts as a change even when no bit flips.
func bitWritable(x *Ctx, key []byte, maxBit uint64) (p []byte, grew, ok bool) {
	e := x.LookupWrite(key)
	if e != nil && !e.IsString() {
		x.Error(ErrWrongType)
		return nil, false, false
	}
	need := maxBit>>3 + 1
	if need > bitMaxStrLen {
		x.Error(errBitOffset)
		return nil, false, false
	}
	old := -1 // a new key always counts as grown
	if e == nil {
		e = x.DB.SetString(key, nil, store.EncRaw, false)
	} else {
		old = len(e.Str())
	}
	p = e.MutableStr(int(need))
	return p, len(p) > old, true
}

func cmdSetbit(x *Ctx) {
	off, ok := bitOffset(x, x.Args[2], false, 0)
	if !ok {
		return
	}
	on, ok := num.ParseInt(x.Args[3])
	if !ok || on&^1 != 0 {
		x.Error(errBitValue)
		return
	}
	key := x.Args[1]
	p, grew, ok := bitWritable(x, key, off)
	if !ok {
		return
	}
	mask := byte(0x80) >> (off & 7)
	old := p[off>>3]&mask != 0
	if grew || old != (on == 1) {
		if on == 1 {
			p[off>>3] |= mask
		} else {
			p[off>>3] &^= mask
		}
		x.Modified(key)
		x.Notify(NotifyString, "setbit", key)
	}
	x.W.WriteInt(bitInt(old))
}

func bitInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func cmdGetbit(x *Ctx) {
	off, ok := bitOffset(x, x.Args[2], false, 0)
	if !ok {
		return
	}
	e := x.Lookup(x.Args[1])
	if e == nil {
		x.W.WriteInt(0)
		return
	}
	if !e.IsString() {
		x.Error(ErrWrongType)
		return
	}
	p := e.Str()
	x.W.WriteInt(bitInt(off>>3 < uint64(len(p)) && p[off>>3]&(0x80>>(off&7)) != 0))
}

// bitParseUnit reads BITCOUNT's and BITPOS's BIT|BYTE argument.
func bitParseUnit(x *Ctx, arg []byte) (isBit, ok bool) {
	switch {
	case bitWordIs(arg, "bit"):
		return true, true
	case bitWordIs(arg, "byte"):
		return false, true
	}
	x.Error(ErrSyntax)
	return false, false
}

// bitClampRange turns a start/end pair into indexes within [0, total) as
// Redis does: negatives count from the end, the end is clamped to the last
// index. The result may be empty (start > end).
func bitClampRange(start, end, total int64) (int64, int64) {
	if start < 0 {
		start = max(total+start, 0)
	}
	if end < 0 {
		end = max(total+end, 0)
	}
	return start, min(end, total-1)
}

func cmdBitcount(x *Ctx) {
	// Redis 7.0 looks the key up before reading any other argument: a
	// missing key counts 0 and a wrong type fails whatever follows.
	e := x.Lookup(x.Args[1])
	if e == nil {
		x.W.WriteInt(0)
		return
	}
	if !e.IsString() {
		x.Error(ErrWrongType)
		return
	}
	p := e.Str()
	switch len(x.Args) {
	case 2:
		x.W.WriteInt(bitops.Count(p))
		return
	case 4, 5:
	default:
		x.Error(ErrSyntax)
		return
	}
	start, ok1 := num.ParseInt(x.Args[2])
	end, ok2 := num.ParseInt(x.Args[3])
	if !ok1 || !ok2 {
		x.Error(ErrNotInt)
		return
	}
	if start < 0 && end < 0 && start > end {
		// Decided before the unit is even read.
		x.W.WriteInt(0)
		return
	}
	isBit := false
	if len(x.Args) == 5 {
		var ok bool
		if isBit, ok = bitParseUnit(x, x.Args[4]); !ok {
			return
		}
	}
	total := int64(len(p))
	if isBit {
		total *= 8
	}
	start, end = bitClampRange(start, end, total)
	if start > end {
		x.W.WriteInt(0)
		return
	}
	if !isBit {
		x.W.WriteInt(bitops.Count(p[start : end+1]))
		return
	}
	first, last := start>>3, end>>3
	n := bitops.Count(p[first : last+1])
	// Take out the bits of the edge bytes that lie outside the range.
	n -= int64(bits.OnesCount8(p[first] &^ (0xff >> (start & 7))))
	n -= int64(bits.OnesCount8(p[last] & (0xff >> (end&7 + 1))))
	x.W.WriteInt(n)
}

func cmdBitpos(x *Ctx) {
	bit, ok := num.ParseInt(x.Args[2])
	if !ok {
		x.Error(ErrNotInt)
		return
	}
	if bit != 0 && bit != 1 {
		x.Error(errBitArg)
		return
	}
	// A missing key is an endless run of zeros, whatever the range says.
	e := x.Lookup(x.Args[1])
	if e == nil {
		x.W.WriteInt(-bit)
		return
	}
	if !e.IsString() {
		x.Error(ErrWrongType)
		return
	}
	p := e.Str()
	total := int64(len(p))
	start, end := int64(0), total-1
	isBit, endGiven := false, false
	switch argc := len(x.Args); argc {
	case 3:
	case 4, 5, 6:
		if start, ok = num.ParseInt(x.Args[3]); !ok {
			x.Error(ErrNotInt)
			return
		}
		if argc == 6 {
			if isBit, ok = bitParseUnit(x, x.Args[5]); !ok {
				return
			}
		}
		if argc >= 5 {
			if end, ok = num.ParseInt(x.Args[4]); !ok {
				x.Error(ErrNotInt)
				return
			}
			endGiven = true
		}
		if isBit { // only with an end, which argc 6 has
			total *= 8
		}
		start, end = bitClampRange(start, end, total)
	default:
		x.Error(ErrSyntax)
		return
	}
	if start > end {
		x.W.WriteInt(-1)
		return
	}
	if !isBit {
		start, end = start*8, end*8+7
	}
	pos := bitPosIn(p, start, end, int(bit))
	if pos < 0 && bit == 0 && !endGiven {
		// Without an end the string counts as zero-padded on the right.
		pos = end + 1
	}
	x.W.WriteInt(pos)
}

// bitPosIn returns the first bit equal to bit among bits [from, to] of p,
// or -1.
func bitPosIn(p []byte, from, to int64, bit int) int64 {
	first, last := from>>3, to>>3
	if first == last {
		return bitPosInByte(p[first], from&7, to&7, bit, first)
	}
	if pos := bitPosInByte(p[first], from&7, 7, bit, first); pos >= 0 {
		return pos
	}
	if pos := bitops.Pos(p[first+1:last], bit); pos >= 0 {
		return (first+1)*8 + pos
	}
	return bitPosInByte(p[last], 0, to&7, bit, last)
}

// bitPosInByte looks for bit among bits [from, to] of c, the byte at index
// at; it returns the bit's position in the string, or -1.
func bitPosInByte(c byte, from, to int64, bit int, at int64) int64 {
	if bit == 0 {
		c = ^c
	}
	c &= 0xff >> from
	c &^= 0xff >> (to + 1)
	if c == 0 {
		return -1
	}
	return at*8 + int64(bits.LeadingZeros8(c))
}

// bitopNames maps BITOP's operation words to kernels.
var bitopNames = []struct {
	name string
	op   bitops.Op
}{
	{"and", bitops.And}, {"or", bitops.Or}, {"xor", bitops.Xor}, {"not", bitops.Not},
	{"diff", bitops.Diff}, {"diff1", bitops.Diff1}, {"andor", bitops.AndOr}, {"one", bitops.One},
}

func cmdBitop(x *Ctx) {
	opArg := x.Args[1]
	op, found := bitops.Op(0), false
	for _, n := range bitopNames {
		if bitWordIs(opArg, n.name) {
			op, found = n.op, true
			break
		}
	}
	if !found {
		x.Error(ErrSyntax)
		return
	}
	keys := x.Args[3:]
	switch op {
	case bitops.Not:
		if len(keys) != 1 {
			x.Error(errBitopNot)
			return
		}
	case bitops.Diff, bitops.Diff1, bitops.AndOr:
		if len(keys) < 2 {
			x.Errorf(errBitopTwoSources, strings.ToUpper(string(cString(opArg))))
			return
		}
	}
	var stack [8][]byte
	srcs := stack[:0]
	maxLen := 0
	for _, k := range keys {
		var s []byte
		if e := x.Lookup(k); e != nil {
			if !e.IsString() {
				x.Error(ErrWrongType)
				return
			}
			s = e.Str()
		}
		srcs = append(srcs, s)
		maxLen = max(maxLen, len(s))
	}
	dest := x.Args[2]
	if maxLen == 0 {
		// An empty result deletes the destination, even one whose TTL has
		// passed unnoticed, as Redis's dbDelete does.
		if x.DB.Delete(dest) {
			x.Modified(dest)
			x.Notify(NotifyGeneric, "del", dest)
		}
		x.W.WriteInt(0)
		return
	}
	// The destination gets a new buffer, so sources that are the
	// destination itself keep reading their old bytes.
	x.LookupWrite(dest)
	e := x.DB.SetString(dest, nil, store.EncRaw, false)
	bitops.Apply(op, e.MutableStr(maxLen), srcs)
	x.Modified(dest)
	x.Notify(NotifyString, "set", dest)
	x.W.WriteInt(int64(maxLen))
}

// bitWordIs reports whether b is the lower-case word w in any case, ending
// at a NUL byte if it has one: Redis compares these words with strcasecmp,
// which stops there.
func bitWordIs(b []byte, w string) bool {
	b = cString(b)
	if len(b) != len(w) {
		return false
	}
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != w[i] {
			return false
		}
	}
	return true
}

// BITFIELD

// Overflow behaviours of BITFIELD's SET and INCRBY.
const (
	bfWrap = iota
	bfSat
	bfFail
)

// bfOp is one parsed BITFIELD operation.
type bfOp struct {
	offset uint64
	value  int64 // SET's value or INCRBY's increment
	kind   byte  // 'g'et, 's'et or 'i'ncrby
	ovf    uint8
	width  uint
	signed bool
}

// bitfieldType parses "i<1..64>" or "u<1..63>". Like Redis, it reads the
// width only up to a NUL byte and wants the letter in lower case.
func bitfieldType(x *Ctx, arg []byte) (width uint, signed, ok bool) {
	if len(arg) == 0 || (arg[0] != 'i' && arg[0] != 'u') {
		x.Error(errBitfieldType)
		return 0, false, false
	}
	signed = arg[0] == 'i'
	digits := arg[1:]
	if i := bytes.IndexByte(digits, 0); i >= 0 {
		digits = digits[:i]
	}
	n, ok := num.ParseInt(digits)
	if !ok || n < 1 || (signed && n > 64) || (!signed && n > 63) {
		x.Error(errBitfieldType)
		return 0, false, false
	}
	return uint(n), signed, true
}

func cmdBitfield(x *Ctx) { bitfield(x, false) }

func cmdBitfieldRo(x *Ctx) { bitfield(x, true) }

func bitfield(x *Ctx, readOnlyCmd bool) {
	var stack [8]bfOp
	ops := stack[:0]
	ovf := uint8(bfWrap)
	writes := false
	var maxBit uint64
	args := x.Args
	for j := 2; j < len(args); j++ {
		rest := len(args) - j - 1
		var kind byte
		switch w := args[j]; {
		case bitWordIs(w, "get") && rest >= 2:
			kind = 'g'
		case bitWordIs(w, "set") && rest >= 3:
			kind = 's'
		case bitWordIs(w, "incrby") && rest >= 3:
			kind = 'i'
		case bitWordIs(w, "overflow") && rest >= 1:
			j++
			switch t := args[j]; {
			case bitWordIs(t, "wrap"):
				ovf = bfWrap
			case bitWordIs(t, "sat"):
				ovf = bfSat
			case bitWordIs(t, "fail"):
				ovf = bfFail
			default:
				x.Error(errBitfieldOvf)
				return
			}
			continue
		default:
			x.Error(ErrSyntax)
			return
		}
		width, signed, ok := bitfieldType(x, args[j+1])
		if !ok {
			return
		}
		off, ok := bitOffset(x, args[j+2], true, int(width))
		if !ok {
			return
		}
		op := bfOp{offset: off, kind: kind, ovf: ovf, width: width, signed: signed}
		if kind != 'g' {
			writes = true
			maxBit = max(maxBit, off+uint64(width)-1)
			if op.value, ok = num.ParseInt(args[j+3]); !ok {
				x.Error(ErrNotInt)
				return
			}
			j++
		}
		ops = append(ops, op)
		j += 2
	}

	key := x.Args[1]
	var p []byte
	grew := false
	if !writes {
		if e := x.Lookup(key); e != nil {
			if !e.IsString() {
				x.Error(ErrWrongType)
				return
			}
			p = e.Str()
		}
	} else {
		if readOnlyCmd {
			x.Error(errBitfieldRO)
			return
		}
		var ok bool
		if p, grew, ok = bitWritable(x, key, maxBit); !ok {
			return
		}
	}

	x.W.WriteArrayLen(len(ops))
	changes := 0
	for i := range ops {
		op := &ops[i]
		if op.kind == 'g' {
			if op.signed {
				x.W.WriteInt(bitops.GetSigned(p, op.offset, op.width))
			} else {
				x.W.WriteInt(int64(bitops.GetUnsigned(p, op.offset, op.width)))
			}
			continue
		}
		old, next, reply, ok := bfCompute(p, op)
		if !ok {
			x.W.WriteNull()
			continue
		}
		x.W.WriteInt(reply)
		bitops.SetUnsigned(p, op.offset, op.width, next)
		if grew || old != next {
			changes++
		}
	}
	if changes > 0 {
		x.Modified(key)
		x.Dirty(int64(changes - 1)) // Redis counts every change
		x.Notify(NotifyString, "setbit", key)
	}
}

// bfCompute works out a SET or INCRBY: the field's old and new contents
// (as raw bits), the reply, and false when OVERFLOW FAIL refuses the write.
func bfCompute(p []byte, op *bfOp) (old, next uint64, reply int64, ok bool) {
	n := op.width
	old = bitops.GetUnsigned(p, op.offset, n)
	if op.signed {
		cur := bitops.GetSigned(p, op.offset, n)
		hi := int64(math.MaxInt64) >> (64 - n) // the field's largest value
		lo := -hi - 1
		var v int64
		var over, under bool
		if op.kind == 's' {
			v = op.value
			// Redis computes hi-v in 64 bits, and for a narrower field a v
			// far enough below lo wraps it negative: such a v counts as
			// above the range (SAT stores hi).
			over = v > hi || n < 64 && int64(uint64(hi)-uint64(v)) < 0
			under = !over && v < lo
		} else {
			d := op.value
			// max-cur and lo-cur cannot overflow for narrower fields; for
			// 64 bits they are only needed when cur has the sign that keeps
			// them in range.
			over = d > 0 && (n < 64 || cur >= 0) && d > hi-cur
			under = d < 0 && (n < 64 || cur < 0) && d < lo-cur
			v = int64(uint64(cur) + uint64(d))
		}
		switch {
		case (over || under) && op.ovf == bfFail:
			return 0, 0, 0, false
		case over && op.ovf == bfSat:
			v = hi
		case under && op.ovf == bfSat:
			v = lo
		default: // in range, or wrapping: keep the low n bits, sign-extended
			v = v << (64 - n) >> (64 - n)
		}
		next = uint64(v) & (math.MaxUint64 >> (64 - n))
		if op.kind == 's' {
			return old, next, cur, true
		}
		return old, next, v, true
	}
	hi := uint64(1)<<n - 1
	var v uint64
	var over, under bool
	if op.kind == 's' {
		// A negative value reads as a huge unsigned one, as in Redis.
		v = uint64(op.value)
		over = v > hi
	} else {
		d := op.value
		over = d > 0 && d > int64(hi-old)
		under = d < 0 && d < -int64(old)
		v = old + uint64(d)
	}
	switch {
	case (over || under) && op.ovf == bfFail:
		return 0, 0, 0, false
	case over && op.ovf == bfSat:
		v = hi
	case under && op.ovf == bfSat:
		v = 0
	default:
		v &= hi
	}
	if op.kind == 's' {
		return old, v, int64(old), true
	}
	return old, v, int64(v), true
}

func init() {
	variableKeyFlags["bitfield"] = bitfieldKeyFlags
}

// bitfieldKeyFlags gives BITFIELD's key the flags COMMAND GETKEYSANDFLAGS
// reports: read-only when every operation is a GET (OVERFLOW aside),
// read-write as soon as one writes or the arguments stop making sense.
func bitfieldKeyFlags(args [][]byte, _ int) []string {
	for i := 2; i < len(args); i++ {
		rest := len(args) - i - 1
		switch a := args[i]; {
		case bitWordIs(a, "get") && rest >= 2:
			i += 2
		case bitWordIs(a, "overflow") && rest >= 1:
			i++
		default: // SET, INCRBY, or a syntax error
			return []string{"RW", "access", "update"}
		}
	}
	return []string{"RO", "access"}
}
