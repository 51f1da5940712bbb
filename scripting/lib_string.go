package scripting

import (
	"bytes"
	"math"
	"slices"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"petrel/internal/num"
)

// string.format as Lua 5.1 has it (lstrlib.c's str_format), which Redis's
// scripts get: each directive goes to C's sprintf with at most five flags
// and two-digit width and precision, numbers convert as luaL_checknumber
// converts them, %s takes only strings and numbers, %q quotes as Lua 5.1
// does, and what sprintf writes ends at its first NUL. gopher-lua hands the
// directives to Go's fmt instead, which differs for %q, %s of numbers, %u,
// infinities, negative %x and every error.

// formatFlags are the flags a directive may have, each at most once-ish:
// Lua counts them, not which they are.
const formatFlags = "-+ #0"

// luaStringFormat is string.format.
func luaStringFormat(L *lua.LState) int {
	top := L.GetTop()
	format := checkLString(L, 1)
	var b []byte
	arg := 1
	for i := 0; i < len(format); {
		c := format[i]
		i++
		if c != '%' {
			b = append(b, c)
			continue
		}
		if i < len(format) && format[i] == '%' {
			b = append(b, '%')
			i++
			continue
		}
		arg++
		if arg > top {
			argError(L, arg, "no value")
		}
		var d directive
		i = d.scan(L, format, i)
		switch d.verb {
		case 'c':
			// sprintf writes the NUL of %c, padding and all; Lua keeps
			// what comes before it.
			c := string([]byte{byte(int32(luaToInt(checkNumber(L, arg))))})
			b = append(b, cString(string(d.pad(nil, c, false)))...)
		case 'd', 'i':
			n := luaToInt(checkNumber(L, arg))
			mag := uint64(n)
			if n < 0 {
				mag = -mag
			}
			b = d.integer(b, mag, n < 0, 10, "")
		case 'o':
			b = d.integer(b, luaToUnsigned(checkNumber(L, arg)), false, 8, "")
		case 'u':
			b = d.integer(b, luaToUnsigned(checkNumber(L, arg)), false, 10, "")
		case 'x':
			b = d.integer(b, luaToUnsigned(checkNumber(L, arg)), false, 16, "0x")
		case 'X':
			b = d.integer(b, luaToUnsigned(checkNumber(L, arg)), false, 16, "0X")
		case 'e', 'E', 'f', 'g', 'G':
			b = d.float(b, checkNumber(L, arg))
		case 'q':
			b = appendLuaQuoted(b, checkLString(L, arg))
		case 's':
			s := checkLString(L, arg)
			if d.prec < 0 && len(s) >= 100 {
				b = append(b, s...) // Lua 5.1 does not format long strings
				continue
			}
			s = cString(s)
			if d.prec >= 0 && len(s) > d.prec {
				s = s[:d.prec]
			}
			b = d.pad(b, s, false)
		default:
			// luaL_error's %c of a NUL (a '%' that ends the format) adds nothing.
			bad := ""
			if d.verb != 0 {
				bad = string(d.verb)
			}
			libRaise(L, "invalid option '%"+bad+"' to 'format'")
		}
	}
	L.Push(lua.LString(b))
	return 1
}

// directive is one parsed "%[flags][width][.precision]verb".
type directive struct {
	minus, plus, space, alt, zero bool
	width                         int
	prec                          int // -1 when absent
	verb                          byte
}

// scan parses the directive starting at format[i] (after the '%') and
// returns the index after its verb, raising Lua 5.1's errors.
func (d *directive) scan(L *lua.LState, format string, i int) int {
	at := func(i int) byte { // the C string's NUL past the end
		if i < len(format) {
			return format[i]
		}
		return 0
	}
	start := i
	for ; at(i) != 0 && strings.IndexByte(formatFlags, at(i)) >= 0; i++ {
		switch at(i) {
		case '-':
			d.minus = true
		case '+':
			d.plus = true
		case ' ':
			d.space = true
		case '#':
			d.alt = true
		case '0':
			d.zero = true
		}
	}
	if i-start > len(formatFlags) {
		libRaise(L, "invalid format (repeated flags)")
	}
	digits := func(i int) (int, int) {
		n := 0
		for k := 0; k < 2 && isDigit(at(i)); k++ {
			n = n*10 + int(at(i)-'0')
			i++
		}
		return n, i
	}
	d.width, i = digits(i)
	d.prec = -1
	if at(i) == '.' {
		d.prec, i = digits(i + 1)
	}
	if isDigit(at(i)) {
		libRaise(L, "invalid format (width or precision too long)")
	}
	d.verb = at(i)
	if i < len(format) {
		i++
	}
	return i
}

// pad appends body padded to the width, on the left with zeros after any
// sign or prefix (signLen bytes of body) when zeros is set.
func (d *directive) pad(b []byte, body string, zeros bool) []byte {
	fill := d.width - len(body)
	switch {
	case fill <= 0:
		return append(b, body...)
	case d.minus:
		b = append(b, body...)
		return append(b, strings.Repeat(" ", fill)...)
	case zeros:
		sign := 0
		if len(body) > 0 && (body[0] == '-' || body[0] == '+' || body[0] == ' ') {
			sign = 1
		}
		if len(body) > sign+1 && body[sign] == '0' && (body[sign+1] == 'x' || body[sign+1] == 'X') {
			sign += 2
		}
		b = append(b, body[:sign]...)
		b = append(b, strings.Repeat("0", fill)...)
		return append(b, body[sign:]...)
	default:
		b = append(b, strings.Repeat(" ", fill)...)
		return append(b, body...)
	}
}

// integer appends mag (negated if neg) in base as C's %d, %o, %u, %x, %X.
func (d *directive) integer(b []byte, mag uint64, neg bool, base int, altPrefix string) []byte {
	digits := strconv.FormatUint(mag, base)
	if d.verb == 'X' {
		digits = strings.ToUpper(digits)
	}
	if d.prec == 0 && mag == 0 {
		digits = "" // C prints no digits for a zero of precision 0
	}
	if d.prec > len(digits) {
		digits = strings.Repeat("0", d.prec-len(digits)) + digits
	}
	prefix := ""
	switch {
	case d.verb != 'd' && d.verb != 'i':
		if d.alt && base == 8 && !strings.HasPrefix(digits, "0") {
			digits = "0" + digits
		}
		if d.alt && base == 16 && mag != 0 {
			prefix = altPrefix
		}
	case neg:
		prefix = "-"
	case d.plus:
		prefix = "+"
	case d.space:
		prefix = " "
	}
	return d.pad(b, prefix+digits, d.zero && !d.minus && d.prec < 0)
}

// float appends f as C's %e, %E, %f, %g or %G, with glibc's spellings of
// infinities and NaNs.
func (d *directive) float(b []byte, f float64) []byte {
	var body []byte
	switch {
	case math.Signbit(f):
		body = append(body, '-')
	case d.plus:
		body = append(body, '+')
	case d.space:
		body = append(body, ' ')
	}
	upper := d.verb == 'E' || d.verb == 'G'
	if math.IsInf(f, 0) || math.IsNaN(f) {
		word := "inf"
		if math.IsNaN(f) {
			word = "nan"
		}
		if upper {
			word = strings.ToUpper(word)
		}
		return d.pad(b, string(append(body, word...)), false)
	}
	prec := d.prec
	if prec < 0 {
		prec = 6
	}
	a := math.Abs(f)
	switch d.verb {
	case 'f':
		body = strconv.AppendFloat(body, a, 'f', prec, 64)
		if d.alt && prec == 0 {
			body = append(body, '.')
		}
	case 'e', 'E':
		body = appendExp(body, a, prec, d.alt)
	default: // g, G
		if prec == 0 {
			prec = 1
		}
		if !d.alt {
			body = num.AppendG(body, a, prec)
			break
		}
		body = appendAltG(body, a, prec)
	}
	s := string(body)
	if upper {
		s = strings.ToUpper(s)
	}
	return d.pad(b, s, d.zero && !d.minus)
}

// appendAltG appends a (not negative) as glibc's %#.<prec>g, which keeps
// the trailing zeros %g removes, and the point. glibc chooses the style
// from a's exponent before rounding; when rounding to prec digits carries
// into a new one, a fixed-point number loses a decimal, or, having none,
// turns exponential with none ("%#.2g" of 99.5 is "1.e+02", where the C
// standard says "1.0e+02"), and an exponential one whose exponent rises
// to -4 turns fixed-point.
func appendAltG(b []byte, a float64, prec int) []byte {
	x := decimalExponent(a)
	if x < -4 || x >= prec {
		e := strconv.AppendFloat(nil, a, 'e', prec-1, 64)
		if exponentOf(e) == -4 { // 9.99e-05 rounded up
			return appendFixed(b, a, prec-1+4)
		}
		return appendExp(b, a, prec-1, true)
	}
	frac := prec - 1 - x
	f := strconv.AppendFloat(nil, a, 'f', frac, 64)
	if exponentOfFixed(f) > x { // the rounding carried
		if frac == 0 {
			return appendExp(b, a, 0, true)
		}
		frac--
	}
	return appendFixed(b, a, frac)
}

// appendFixed appends a as C's %#.<frac>f.
func appendFixed(b []byte, a float64, frac int) []byte {
	b = strconv.AppendFloat(b, a, 'f', frac, 64)
	if frac == 0 {
		b = append(b, '.')
	}
	return b
}

// decimalExponent is the exponent of a (positive or 0) in scientific
// notation, before any rounding: 2 for 999.7.
func decimalExponent(a float64) int {
	if a == 0 {
		return 0
	}
	return exponentOf(strconv.AppendFloat(nil, a, 'e', -1, 64))
}

// exponentOf reads the exponent of a number Go formatted with 'e'.
func exponentOf(e []byte) int {
	x, _ := strconv.Atoi(string(e[bytes.LastIndexByte(e, 'e')+1:]))
	return x
}

// exponentOfFixed is the decimal exponent of a number Go formatted with
// 'f': where its first nonzero digit is.
func exponentOfFixed(f []byte) int {
	point := bytes.IndexByte(f, '.')
	if point < 0 {
		point = len(f)
	}
	for i, c := range f {
		if c >= '1' && c <= '9' {
			if i < point {
				return point - i - 1
			}
			return point - i
		}
	}
	return 0
}

// appendExp appends a (not negative) as C's %.<prec>e: Go's format, with
// the point kept for alt.
func appendExp(b []byte, a float64, prec int, alt bool) []byte {
	e := strconv.AppendFloat(nil, a, 'e', prec, 64)
	if alt && prec == 0 {
		e = slices.Insert(e, bytes.IndexByte(e, 'e'), '.')
	}
	return append(b, e...)
}

// cString is what C sees of s: everything before its first NUL.
func cString(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

// appendLuaQuoted appends s as Lua 5.1's %q writes it: in double quotes,
// with '"', '\\' and newline escaped by a backslash, carriage return as
// \r and NUL as \000; every other byte as it is.
func appendLuaQuoted(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\\', '\n':
			b = append(b, '\\', c)
		case '\r':
			b = append(b, `\r`...)
		case 0:
			b = append(b, `\000`...)
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

// luaStringChar is string.char: every argument a number from 0 to 255.
func luaStringChar(L *lua.LState) int {
	n := L.GetTop()
	b := make([]byte, n)
	for i := 1; i <= n; i++ {
		c := int32(luaToInt(checkNumber(L, i)))
		if c < 0 || c > 255 {
			argError(L, i, "invalid value")
		}
		b[i-1] = byte(c)
	}
	L.Push(lua.LString(b))
	return 1
}

// luaStringCase returns string.upper or string.lower as Lua 5.1 has them
// in Redis: C's toupper/tolower in the C locale, byte by byte, so only
// ASCII letters change. gopher-lua's read the string as UTF-8 and turned
// every byte of binary data that is not valid UTF-8 into U+FFFD.
func luaStringCase(upper bool) lua.LGFunction {
	from, to := byte('a'), byte('z')
	if !upper {
		from, to = 'A', 'Z'
	}
	return func(L *lua.LState) int {
		s := checkLString(L, 1)
		b := []byte(s)
		for i, c := range b {
			if c >= from && c <= to {
				b[i] = c ^ 0x20
			}
		}
		L.Push(lua.LString(b))
		return 1
	}
}

// luaToUnsigned is C's (unsigned long) of a double as gcc compiles it for
// x86-64, which Lua 5.1's %o, %u and %x use: from 2^63 up, the signed
// conversion of f - 2^63 with the top bit flipped, so 2^64 and +inf (out
// of range: 0x8000000000000000 before the flip) print 0; below it, and
// for a NaN, the signed conversion.
func luaToUnsigned(f float64) uint64 {
	const two63 = 9223372036854775808.0
	if f >= two63 {
		return uint64(luaToInt(f-two63)) ^ 1<<63
	}
	return uint64(luaToInt(f))
}
