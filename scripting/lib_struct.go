package scripting

import (
	"encoding/binary"
	"math"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// struct is Roberto Ierusalimschy's struct library (0.2) as Redis 7.0
// bundles it, on x86-64: native little endian, long and size_t of 8 bytes,
// alignment at most 8 and integers of at most 32 bytes. Formats are C
// strings, so a NUL ends them.

const (
	structMaxIntSize = 32
	structMaxAlign   = 8
)

// openStruct builds the struct table.
func openStruct(L *lua.LState) *lua.LTable {
	t := L.CreateTable(0, 3)
	t.RawSetString("pack", L.NewFunction(structPack))
	t.RawSetString("unpack", L.NewFunction(structUnpack))
	t.RawSetString("size", L.NewFunction(structSize))
	return t
}

// structFormat walks a format string, holding the endianness and maximum
// alignment its options set.
type structFormat struct {
	L      *lua.LState
	fmt    string
	i      int
	little bool
	align  uint64
}

func newStructFormat(L *lua.LState, fmt string) structFormat {
	if nul := strings.IndexByte(fmt, 0); nul >= 0 {
		fmt = fmt[:nul]
	}
	return structFormat{L: L, fmt: fmt, little: true, align: 1}
}

func (f *structFormat) more() bool { return f.i < len(f.fmt) }

func (f *structFormat) next() byte {
	c := f.fmt[f.i]
	f.i++
	return c
}

// num reads a decimal count, def if none follows.
func (f *structFormat) num(def int) int {
	if !f.more() || !isDigit(f.fmt[f.i]) {
		return def
	}
	a := 0
	for f.more() && isDigit(f.fmt[f.i]) {
		d := int(f.fmt[f.i] - '0')
		if a > math.MaxInt32/10 || a*10 > math.MaxInt32-d {
			libRaise(f.L, "integral size overflow")
		}
		a = a*10 + d
		f.i++
	}
	return a
}

// size is optsize: the bytes an option takes, 0 for the options without
// a size of their own ('s', control characters, unknown letters).
func (f *structFormat) size(opt byte) uint64 {
	switch opt {
	case 'B', 'b':
		return 1
	case 'H', 'h':
		return 2
	case 'L', 'l', 'T', 'd':
		return 8
	case 'f':
		return 4
	case 'x':
		return 1
	case 'c':
		return uint64(f.num(1))
	case 'i', 'I':
		sz := f.num(4)
		if sz > structMaxIntSize {
			libRaise(f.L, "integral size "+strconv.Itoa(sz)+" is larger than limit of "+strconv.Itoa(structMaxIntSize))
		}
		return uint64(sz)
	}
	return 0
}

// toAlign is gettoalign: padding before an item of size at offset pos,
// with the library's arithmetic (which assumes power-of-2 sizes).
func (f *structFormat) toAlign(pos uint64, opt byte, size uint64) uint64 {
	if size == 0 || opt == 'c' {
		return 0
	}
	if size > f.align {
		size = f.align
	}
	return (size - (pos & (size - 1))) & (size - 1)
}

// control is controloptions: endianness, alignment, white space, or an
// invalid option.
func (f *structFormat) control(opt byte) {
	switch opt {
	case ' ':
	case '>':
		f.little = false
	case '<':
		f.little = true
	case '!':
		a := f.num(structMaxAlign)
		if a <= 0 || a&(a-1) != 0 {
			libRaise(f.L, "alignment "+strconv.Itoa(a)+" is not a power of 2")
		}
		f.align = uint64(a)
	default:
		argError(f.L, 1, "invalid format option '"+string([]byte{opt})+"'")
	}
}

// structPackArg checks that argument n exists; past the arguments pack's
// stack holds a nil (its buffer mark), which errors name.
func structPackArg(L *lua.LState, n int, want string) {
	if n > L.GetTop() {
		argError(L, n, want+" expected, got nil")
	}
}

// cDoubleToUint64 is gcc's x86-64 conversion of a double to an unsigned
// 64-bit integer: below 2^63 (and NaN) a signed conversion, else the
// signed conversion of d-2^63 with the top bit flipped.
func cDoubleToUint64(d float64) uint64 {
	if !(d >= 1<<63) {
		return uint64(luaToInt(d))
	}
	return uint64(luaToInt(d-(1<<63))) ^ 1<<63
}

func structPack(L *lua.LState) int {
	f := newStructFormat(L, checkLString(L, 1))
	var out []byte
	arg := 2
	total := uint64(0)
	for f.more() {
		opt := f.next()
		size := f.size(opt)
		pad := f.toAlign(total, opt, size)
		total += pad
		for ; pad > 0; pad-- {
			out = append(out, 0)
		}
		switch opt {
		case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I':
			structPackArg(L, arg, "number")
			n := checkNumber(L, arg)
			arg++
			var v uint64
			if n < 0 {
				v = uint64(luaToInt(n))
			} else {
				v = cDoubleToUint64(n)
			}
			out = structAppendInt(out, v, int(size), f.little)
		case 'x':
			out = append(out, 0)
		case 'f':
			structPackArg(L, arg, "number")
			bits := math.Float32bits(float32(checkNumber(L, arg)))
			arg++
			if f.little {
				out = binary.LittleEndian.AppendUint32(out, bits)
			} else {
				out = binary.BigEndian.AppendUint32(out, bits)
			}
		case 'd':
			structPackArg(L, arg, "number")
			bits := math.Float64bits(checkNumber(L, arg))
			arg++
			if f.little {
				out = binary.LittleEndian.AppendUint64(out, bits)
			} else {
				out = binary.BigEndian.AppendUint64(out, bits)
			}
		case 'c', 's':
			structPackArg(L, arg, "string")
			s := checkLString(L, arg)
			arg++
			if size == 0 {
				size = uint64(len(s))
			}
			if uint64(len(s)) < size {
				argError(L, arg, "string too short")
			}
			out = append(out, s[:size]...)
			if opt == 's' {
				out = append(out, 0)
				size++
			}
		default:
			f.control(opt)
		}
		total += size
	}
	L.Push(lua.LString(out))
	return 1
}

// structAppendInt writes the size low bytes of v (zeros past the eighth).
func structAppendInt(out []byte, v uint64, size int, little bool) []byte {
	start := len(out)
	for k := 0; k < size; k++ {
		out = append(out, 0)
	}
	b := out[start:]
	for k := 0; k < size && v != 0; k++ {
		if little {
			b[k] = byte(v)
		} else {
			b[size-1-k] = byte(v)
		}
		v >>= 8
	}
	return out
}

// structUint reads b as an unsigned integer (its last 8 bytes count).
func structUint(b string, little bool) uint64 {
	var v uint64
	for k := 0; k < len(b); k++ {
		i := k
		if little {
			i = len(b) - 1 - k
		}
		v = v<<8 | uint64(b[i])
	}
	return v
}

// structGetInt is getinteger: size bytes as an unsigned, or sign-extended
// from the top bit of the size (C's shift count wraps past 64 bits).
func structGetInt(b string, little, signed bool, size int) float64 {
	v := structUint(b, little)
	if !signed {
		return float64(v)
	}
	mask := ^uint64(0) << (uint(size*8-1) & 63)
	if v&mask != 0 {
		v |= mask
	}
	return float64(int64(v))
}

const structTooManyResults = "stack overflow (too many results)"

func structUnpack(L *lua.LState) int {
	f := newStructFormat(L, checkLString(L, 1))
	data := checkLString(L, 2)
	ld := uint64(len(data))
	pos := uint64(optInteger(L, 3, 1))
	if pos == 0 {
		argError(L, 3, "offset must be 1 or greater")
	}
	pos--
	nargs := L.GetTop()
	defer recoverOverflow(L, nargs, structTooManyResults)
	n := 0
	for f.more() {
		opt := f.next()
		size := f.size(opt)
		pos += f.toAlign(pos, opt, size)
		if size > ld || pos > ld-size {
			argError(L, 2, "data string too short")
		}
		if nargs+n+2 > luaMaxCStack {
			libRaise(L, structTooManyResults)
		}
		switch opt {
		case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I':
			L.Push(lua.LNumber(structGetInt(data[pos:pos+size], f.little, opt >= 'a', int(size))))
			n++
		case 'x':
		case 'f':
			L.Push(lua.LNumber(math.Float32frombits(uint32(structUint(data[pos:pos+4], f.little)))))
			n++
		case 'd':
			L.Push(lua.LNumber(math.Float64frombits(structUint(data[pos:pos+8], f.little))))
			n++
		case 'c':
			if size == 0 {
				// 'c0' takes its length from the previous result
				var prev float64
				ok := n > 0
				if ok {
					prev, ok = toNumberC(L.Get(-1))
				}
				if !ok {
					libRaise(L, "format 'c0' needs a previous size")
				}
				size = cDoubleToUint64(prev)
				L.Pop(1)
				n--
				if size > ld || pos > ld-size {
					argError(L, 2, "data string too short")
				}
			}
			L.Push(lua.LString(data[pos : pos+size]))
			n++
		case 's':
			e := strings.IndexByte(data[pos:], 0)
			if e < 0 {
				libRaise(L, "unfinished string in data")
			}
			size = uint64(e) + 1
			L.Push(lua.LString(data[pos : pos+uint64(e)]))
			n++
		default:
			f.control(opt)
		}
		pos += size
	}
	L.Push(lua.LNumber(int64(pos + 1)))
	return n + 1
}

func structSize(L *lua.LState) int {
	f := newStructFormat(L, checkLString(L, 1))
	pos := uint64(0)
	for f.more() {
		opt := f.next()
		size := f.size(opt)
		pos += f.toAlign(pos, opt, size)
		if opt == 's' {
			argError(L, 1, "option 's' has no fixed size")
		} else if opt == 'c' && size == 0 {
			argError(L, 1, "option 'c0' has no fixed size")
		}
		if !isAlnum(opt) {
			f.control(opt)
		}
		pos += size
	}
	L.Push(lua.LNumber(int64(pos)))
	return 1
}
