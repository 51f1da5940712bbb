package scripting

import (
	"encoding/binary"
	"math"
	"strconv"

	lua "github.com/yuin/gopher-lua"
)

// cmsgpack is lua-cmsgpack 0.4.0 as Redis 7.0 bundles it, on Lua 5.1
// numbers: a number is packed as the smallest integer encoding when it is
// an exact int64, else as a float when a float holds it exactly, else as a
// double. Tables whose keys are exactly 1..n pack as arrays, others as
// maps. Strings pack as str8/16/32 (never bin); unpack refuses the
// formats the packer never writes (bin, ext, fixext).

// cmsgpackMaxNesting is LUACMSGPACK_MAX_NESTING: deeper tables pack as
// nil, so self-references end.
const cmsgpackMaxNesting = 16

// openCmsgpack builds the cmsgpack table.
func openCmsgpack(L *lua.LState) *lua.LTable {
	p := &msgpacker{}
	t := L.CreateTable(0, 8)
	t.RawSetString("pack", L.NewFunction(p.pack))
	t.RawSetString("unpack", L.NewFunction(cmsgpackUnpack))
	t.RawSetString("unpack_one", L.NewFunction(cmsgpackUnpackOne))
	t.RawSetString("unpack_limit", L.NewFunction(cmsgpackUnpackLimit))
	t.RawSetString("_NAME", lua.LString("cmsgpack"))
	t.RawSetString("_VERSION", lua.LString("lua-cmsgpack 0.4.0"))
	t.RawSetString("_COPYRIGHT", lua.LString("Copyright (C) 2012, Salvatore Sanfilippo"))
	t.RawSetString("_DESCRIPTION", lua.LString("MessagePack C implementation for Lua"))
	return t
}

// msgpacker keeps pack's buffer between calls of one interpreter.
type msgpacker struct {
	buf []byte
}

func (p *msgpacker) pack(L *lua.LState) int {
	n := L.GetTop()
	if n == 0 {
		argError(L, 0, "MessagePack pack needs input.")
	}
	if 2*n > luaMaxCStack {
		argError(L, 0, "Too many arguments for MessagePack pack.")
	}
	buf := p.buf[:0]
	for i := 1; i <= n; i++ {
		buf = mpEncode(L, buf, L.Get(i), 0)
	}
	L.Push(lua.LString(buf))
	if cap(buf) <= maxKeptBuffer {
		p.buf = buf
	}
	return 1
}

func mpEncode(L *lua.LState, buf []byte, v lua.LValue, level int) []byte {
	switch x := v.(type) {
	case lua.LString:
		return mpAppendString(buf, string(x))
	case lua.LBool:
		if x {
			return append(buf, 0xc3)
		}
		return append(buf, 0xc2)
	case lua.LNumber:
		f := float64(x)
		// IS_INT64_EQUIVALENT: (int64_t)f == f, where out of range
		// casts give INT64_MIN.
		if !math.IsInf(f, 0) && float64(luaToInt(f)) == f {
			return mpAppendInt(buf, luaToInt(f))
		}
		return mpAppendDouble(buf, f)
	case *lua.LTable:
		if level == cmsgpackMaxNesting {
			return append(buf, 0xc0)
		}
		t := readTarget(x)
		if n, ok := mpArrayLength(t); ok {
			buf = mpAppendHeader(buf, 0x90, 0xdc, n)
			for i := 1; i <= n; i++ {
				buf = mpEncode(L, buf, rawGetIndex(t, i), level+1)
			}
			return buf
		}
		n := 0
		for k, _ := t.Next(lua.LNil); k != lua.LNil; k, _ = t.Next(k) {
			n++
		}
		buf = mpAppendHeader(buf, 0x80, 0xde, n)
		eachPair(L, t, func(k, v lua.LValue) {
			buf = mpEncode(L, buf, k, level+1)
			buf = mpEncode(L, buf, v, level+1)
		})
		return buf
	}
	// nil, functions, userdata (cjson.null), coroutines
	return append(buf, 0xc0)
}

// mpArrayLength is table_is_an_array: every key an integer in 1..INT_MAX
// and as many keys as the largest.
func mpArrayLength(t *lua.LTable) (int, bool) {
	count, max := 0, 0
	for k, _ := t.Next(lua.LNil); k != lua.LNil; k, _ = t.Next(k) {
		n, ok := k.(lua.LNumber)
		if !ok || n <= 0 || n > math.MaxInt32 || float64(n) != math.Trunc(float64(n)) {
			return 0, false
		}
		if int(n) > max {
			max = int(n)
		}
		count++
	}
	return max, max == count
}

func mpAppendString(buf []byte, s string) []byte {
	switch n := len(s); {
	case n < 32:
		buf = append(buf, 0xa0|byte(n))
	case n <= 0xff:
		buf = append(buf, 0xd9, byte(n))
	case n <= 0xffff:
		buf = append(buf, 0xda, byte(n>>8), byte(n))
	default:
		buf = append(buf, 0xdb)
		buf = binary.BigEndian.AppendUint32(buf, uint32(n))
	}
	return append(buf, s...)
}

// mpAppendHeader writes an array or map header: the fix form up to 15
// entries, then the 16 bit and the 32 bit forms (big16+1).
func mpAppendHeader(buf []byte, fix, big16 byte, n int) []byte {
	switch {
	case n <= 15:
		return append(buf, fix|byte(n))
	case n <= 0xffff:
		return append(buf, big16, byte(n>>8), byte(n))
	}
	buf = append(buf, big16+1)
	return binary.BigEndian.AppendUint32(buf, uint32(n))
}

func mpAppendInt(buf []byte, n int64) []byte {
	if n >= 0 {
		switch {
		case n <= 127:
			return append(buf, byte(n))
		case n <= 0xff:
			return append(buf, 0xcc, byte(n))
		case n <= 0xffff:
			return append(buf, 0xcd, byte(n>>8), byte(n))
		case n <= 0xffffffff:
			return binary.BigEndian.AppendUint32(append(buf, 0xce), uint32(n))
		}
		return binary.BigEndian.AppendUint64(append(buf, 0xcf), uint64(n))
	}
	switch {
	case n >= -32:
		return append(buf, byte(n))
	case n >= -128:
		return append(buf, 0xd0, byte(n))
	case n >= -32768:
		return append(buf, 0xd1, byte(n>>8), byte(n))
	case n >= -2147483648:
		return binary.BigEndian.AppendUint32(append(buf, 0xd2), uint32(n))
	}
	return binary.BigEndian.AppendUint64(append(buf, 0xd3), uint64(n))
}

func mpAppendDouble(buf []byte, d float64) []byte {
	if f := float32(d); float64(f) == d {
		return binary.BigEndian.AppendUint32(append(buf, 0xca), math.Float32bits(f))
	}
	return binary.BigEndian.AppendUint64(append(buf, 0xcb), math.Float64bits(d))
}

func cmsgpackUnpack(L *lua.LState) int {
	return mpUnpackFull(L, 0, 0, L.GetTop())
}

func cmsgpackUnpackOne(L *lua.LState) int {
	offset := optInteger(L, 2, 0)
	return mpUnpackFull(L, 1, offset, 1)
}

func cmsgpackUnpackLimit(L *lua.LState) int {
	limit := checkInteger(L, 2)
	offset := optInteger(L, 3, 0)
	return mpUnpackFull(L, limit, offset, 1)
}

const mpTooManyValues = "stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)"

// Decoding outcomes besides success.
const (
	mpOK = iota
	mpEOF
	mpBadFormat
)

type mpDecoder struct {
	L    *lua.LState
	data string
	pos  int
	err  int
}

// mpUnpackFull decodes up to limit values from offset (0 and 0: all of
// them, without the next offset). slots is how many arguments cmsgpack's
// C function still holds on the Lua stack, for its stack checks.
func mpUnpackFull(L *lua.LState, limit, offset int64, slots int) int {
	s := checkLString(L, 1)
	decodeAll := limit == 0 && offset == 0
	if offset < 0 || limit < 0 {
		libRaise(L, "Invalid request to unpack with offset of "+strconv.Itoa(int(int32(offset)))+" and limit of "+strconv.Itoa(int(int32(len(s))))+".")
	}
	if uint64(offset) > uint64(len(s)) {
		libRaise(L, "Start offset "+strconv.Itoa(int(int32(offset)))+" greater than input length "+strconv.Itoa(int(int32(len(s))))+".")
	}
	if decodeAll {
		limit = math.MaxInt32
	}
	d := mpDecoder{L: L, data: s, pos: int(offset)}
	defer recoverOverflow(L, L.GetTop(), mpTooManyValues)
	if !decodeAll {
		L.Push(lua.LNil) // the next offset goes first, once known
	}
	first := L.GetTop()
	cnt := int64(0)
	for ; d.pos < len(s) && cnt < limit; cnt++ {
		v := d.value(slots + int(cnt))
		switch d.err {
		case mpEOF:
			libRaise(L, "Missing bytes in input.")
		case mpBadFormat:
			libRaise(L, "Bad data format in input.")
		}
		L.Push(v)
	}
	if !decodeAll {
		next := lua.LNumber(-1)
		if d.pos < len(s) {
			next = lua.LNumber(d.pos)
		}
		L.Replace(first, next)
		cnt++
	}
	return int(cnt)
}

// need reports whether n more bytes are there, flagging EOF if not.
func (d *mpDecoder) need(n int) bool {
	if len(d.data)-d.pos < n {
		d.err = mpEOF
		return false
	}
	return true
}

func (d *mpDecoder) be(i, n int) uint64 {
	var v uint64
	for k := 0; k < n; k++ {
		v = v<<8 | uint64(d.data[i+k])
	}
	return v
}

// value decodes one value; slots counts the Lua stack slots the C decoder
// would use here (its luaL_checkstack calls fail past LUAI_MAXCSTACK).
func (d *mpDecoder) value(slots int) lua.LValue {
	if !d.need(1) {
		return lua.LNil
	}
	if slots+1 > luaMaxCStack {
		libRaise(d.L, mpTooManyValues)
	}
	p := d.pos
	c := d.data[p]
	switch c {
	case 0xcc, 0xd0:
		if !d.need(2) {
			return lua.LNil
		}
		d.pos += 2
		if c == 0xd0 {
			return lua.LNumber(int8(d.data[p+1]))
		}
		return lua.LNumber(d.data[p+1])
	case 0xcd, 0xd1:
		if !d.need(3) {
			return lua.LNil
		}
		d.pos += 3
		v := d.be(p+1, 2)
		if c == 0xd1 {
			return lua.LNumber(int16(v))
		}
		return lua.LNumber(v)
	case 0xce, 0xd2:
		if !d.need(5) {
			return lua.LNil
		}
		d.pos += 5
		v := d.be(p+1, 4)
		if c == 0xd2 {
			return lua.LNumber(int32(v))
		}
		return lua.LNumber(v)
	case 0xcf, 0xd3:
		// both through int64: uint64 values past 2^63 come back negative,
		// as lua_pushinteger makes them
		if !d.need(9) {
			return lua.LNil
		}
		d.pos += 9
		return lua.LNumber(int64(d.be(p+1, 8)))
	case 0xc0:
		d.pos++
		return lua.LNil
	case 0xc3:
		d.pos++
		return lua.LTrue
	case 0xc2:
		d.pos++
		return lua.LFalse
	case 0xca:
		if !d.need(5) {
			return lua.LNil
		}
		d.pos += 5
		return lua.LNumber(math.Float32frombits(uint32(d.be(p+1, 4))))
	case 0xcb:
		if !d.need(9) {
			return lua.LNil
		}
		d.pos += 9
		return lua.LNumber(math.Float64frombits(d.be(p+1, 8)))
	case 0xd9:
		if !d.need(2) {
			return lua.LNil
		}
		return d.str(2, int(d.data[p+1]))
	case 0xda:
		if !d.need(3) {
			return lua.LNil
		}
		return d.str(3, int(d.be(p+1, 2)))
	case 0xdb:
		if !d.need(5) {
			return lua.LNil
		}
		return d.str(5, int(d.be(p+1, 4)))
	case 0xdc, 0xde:
		if !d.need(3) {
			return lua.LNil
		}
		d.pos += 3
		if c == 0xdc {
			return d.array(int(d.be(p+1, 2)), slots)
		}
		return d.mapping(int(d.be(p+1, 2)), slots)
	case 0xdd, 0xdf:
		if !d.need(5) {
			return lua.LNil
		}
		d.pos += 5
		if c == 0xdd {
			return d.array(int(d.be(p+1, 4)), slots)
		}
		return d.mapping(int(d.be(p+1, 4)), slots)
	}
	switch {
	case c&0x80 == 0: // positive fixint
		d.pos++
		return lua.LNumber(c)
	case c&0xe0 == 0xe0: // negative fixint
		d.pos++
		return lua.LNumber(int8(c))
	case c&0xe0 == 0xa0: // fixstr
		return d.str(1, int(c&0x1f))
	case c&0xf0 == 0x90: // fixarray
		d.pos++
		return d.array(int(c&0x0f), slots)
	case c&0xf0 == 0x80: // fixmap
		d.pos++
		return d.mapping(int(c&0x0f), slots)
	}
	d.err = mpBadFormat
	return lua.LNil
}

// str reads a string of n bytes after a header of hdr bytes.
func (d *mpDecoder) str(hdr, n int) lua.LValue {
	if !d.need(hdr + n) {
		return lua.LNil
	}
	start := d.pos + hdr
	d.pos = start + n
	return lua.LString(d.data[start:d.pos])
}

func (d *mpDecoder) array(n, slots int) lua.LValue {
	// the table is on the stack now, and the decoder asks for one more slot
	if slots+2 > luaMaxCStack {
		libRaise(d.L, "stack overflow (in function mp_decode_to_lua_array)")
	}
	// every element takes at least a byte: do not trust n for capacity
	t := d.L.CreateTable(min(n, len(d.data)-d.pos), 0)
	for i := 1; i <= n; i++ {
		v := d.value(slots + 2) // the table and the index
		if d.err != mpOK {
			return t
		}
		if v != lua.LNil {
			t.RawSetInt(i, v)
		}
	}
	return t
}

func (d *mpDecoder) mapping(n, slots int) lua.LValue {
	t := d.L.CreateTable(0, min(n, (len(d.data)-d.pos)/2))
	for i := 0; i < n; i++ {
		k := d.value(slots + 1) // the table
		if d.err != mpOK {
			return t
		}
		v := d.value(slots + 2) // the table and the key
		if d.err != mpOK {
			return t
		}
		// lua_settable's checks, raised from C without a position
		switch key := k.(type) {
		case *lua.LNilType:
			d.L.Error(lua.LString("table index is nil"), 0)
		case lua.LNumber:
			if math.IsNaN(float64(key)) {
				d.L.Error(lua.LString("table index is NaN"), 0)
			}
		}
		if key, ok := k.(lua.LString); ok && v == lua.LNil {
			if kc, ok := d.L.Context().(*killCtx); ok {
				kc.st.noteDeadKey(t, key)
			}
		}
		t.RawSet(k, v)
	}
	return t
}
