package scripting

import (
	"math"
	"reflect"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"petrel/internal/num"
)

// Helpers shared by the Go-written C libraries (cjson, cmsgpack, bit,
// struct): Lua 5.1's luaL_* argument checks and error texts, and the C
// library's number conversions, which the libraries' messages and results
// depend on.

// luaMaxCStack is Lua 5.1's LUAI_MAXCSTACK: lua_checkstack refuses to let
// a C function's frame grow past it. The C libraries' depth and result
// limits come from this check, so they are reproduced by counting the
// slots the C code would have used.
const luaMaxCStack = 8000

// libRaise raises msg as luaL_error does: prefixed with "source:line: " of
// the Lua code that called the library function, or bare when the caller
// is itself a Go function (pcall(cjson.decode, s) gives no position).
func libRaise(L *lua.LState, msg string) {
	L.Error(lua.LString(luaWhere(L, 1)+msg), 0)
}

// calledName is the name Lua 5.1 gives the running Go function in
// argument errors: how the calling Lua code referred to it, or "?" when
// it was called from Go (pcall, ...).
func calledName(L *lua.LState) string {
	caller, ok := L.GetStack(1)
	if !ok {
		return "?"
	}
	if _, err := L.GetInfo("S", caller, lua.LNil); err != nil || caller.What == "G" {
		return "?"
	}
	self, ok := L.GetStack(0)
	if !ok {
		return "?"
	}
	if _, err := L.GetInfo("n", self, lua.LNil); err != nil {
		return "?"
	}
	switch name := self.Name; {
	case name == "", name == "?", name[0] == '<', name[0] == '(':
		return "?"
	default:
		return name
	}
}

// argError is luaL_argerror: "bad argument #n to 'name' (msg)".
func argError(L *lua.LState, n int, msg string) {
	libRaise(L, "bad argument #"+strconv.Itoa(n)+" to '"+calledName(L)+"' ("+msg+")")
}

// typeError is luaL_typerror: "<want> expected, got <type of argument n>".
func typeError(L *lua.LState, n int, want string) {
	argError(L, n, want+" expected, got "+typeNameAt(L, n))
}

// typeNameAt is luaL_typename: an absent argument is "no value".
func typeNameAt(L *lua.LState, n int) string {
	if n > L.GetTop() || n < 1 {
		return "no value"
	}
	return L.Get(n).Type().String()
}

// toNumberC is lua_tonumber: numbers, and strings Lua reads as numbers.
func toNumberC(v lua.LValue) (float64, bool) {
	switch x := v.(type) {
	case lua.LNumber:
		return float64(x), true
	case lua.LString:
		return luaStrToNumber(string(x))
	}
	return 0, false
}

// checkNumber is luaL_checknumber.
func checkNumber(L *lua.LState, n int) float64 {
	if n <= L.GetTop() {
		if f, ok := toNumberC(L.Get(n)); ok {
			return f
		}
	}
	typeError(L, n, "number")
	return 0
}

// checkInteger is luaL_checkinteger: lua_tointeger's truncating cast.
func checkInteger(L *lua.LState, n int) int64 {
	return luaToInt(checkNumber(L, n))
}

// checkInt is luaL_checkint: a number as lua_tointeger makes it, cut to a
// C int.
func checkInt(L *lua.LState, n int) int32 { return int32(checkInteger(L, n)) }

// checkTable is luaL_checktype(L, n, LUA_TTABLE): argument n as a table.
func checkTable(L *lua.LState, n int) *lua.LTable {
	t, ok := L.Get(n).(*lua.LTable)
	if !ok {
		typeError(L, n, "table")
	}
	return t
}

// optInteger is luaL_optinteger: def for an absent or nil argument.
func optInteger(L *lua.LState, n int, def int64) int64 {
	if n > L.GetTop() || L.Get(n) == lua.LNil {
		return def
	}
	return checkInteger(L, n)
}

// checkLString is luaL_checklstring: a string, or a number converted as
// Lua 5.1 converts numbers to strings ("%.14g").
func checkLString(L *lua.LState, n int) string {
	if n <= L.GetTop() {
		switch x := L.Get(n).(type) {
		case lua.LString:
			return string(x)
		case lua.LNumber:
			return luaNumberString(float64(x))
		}
	}
	typeError(L, n, "string")
	return ""
}

// luaNumberString is Lua 5.1's number to string conversion, "%.14g".
func luaNumberString(f float64) string {
	var tmp [32]byte
	return string(appendNumberG(tmp[:0], f, 14))
}

// appendNumberG appends f as C's "%.<prec>g" (1 <= prec <= 17), with
// glibc's spellings of infinities and NaNs.
func appendNumberG(dst []byte, f float64, prec int) []byte {
	switch {
	case math.IsNaN(f):
		if math.Signbit(f) {
			return append(dst, "-nan"...)
		}
		return append(dst, "nan"...)
	case math.IsInf(f, 1):
		return append(dst, "inf"...)
	case math.IsInf(f, -1):
		return append(dst, "-inf"...)
	}
	// Integers with at most prec digits print exactly: the common case,
	// without going through decimal rounding.
	if f == math.Trunc(f) && math.Abs(f) < pow10[prec] {
		if f == 0 && math.Signbit(f) {
			return append(dst, "-0"...)
		}
		return strconv.AppendInt(dst, int64(f), 10)
	}
	return num.AppendG(dst, f, prec)
}

var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17}

// The NaNs glibc's strtod returns for "nan" and "-nan".
var (
	nanPos = math.Float64frombits(0x7ff8000000000000)
	nanNeg = math.Float64frombits(0xfff8000000000000)
)

// luaStrToNumber is Lua 5.1's luaO_str2d: strtod over the C string (it
// ends at the first NUL), surrounding white space allowed, nothing else.
func luaStrToNumber(s string) (float64, bool) {
	i := 0
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	f, n := strtod(s, i)
	if n == 0 {
		return 0, false
	}
	i += n
	if i < len(s) && (s[i] == 'x' || s[i] == 'X') {
		// strtod stopped at an 'x' it could not read as hexadecimal
		// ("0x"): Lua's strtoul retry stops there too.
		return 0, false
	}
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	if i < len(s) && s[i] != 0 {
		return 0, false
	}
	return f, true
}

func isCSpace(c byte) bool {
	return c == ' ' || (c >= '\t' && c <= '\r')
}

// strtod reads the longest number glibc's strtod accepts at s[i:] (no
// leading space): decimal and hexadecimal floats, "inf", "infinity",
// "nan" and "nan(chars)", each with an optional sign. It returns the value
// and how many bytes it read (0: no number).
func strtod(s string, i int) (float64, int) {
	start := i
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	if n := matchFold(s, i, "inf"); n > 0 {
		i += n
		if n := matchFold(s, i, "inity"); n > 0 {
			i += n
		}
		if neg {
			return math.Inf(-1), i - start
		}
		return math.Inf(1), i - start
	}
	if n := matchFold(s, i, "nan"); n > 0 {
		i += n
		if i < len(s) && s[i] == '(' {
			j := i + 1
			for j < len(s) && (isAlnum(s[j]) || s[j] == '_') {
				j++
			}
			if j < len(s) && s[j] == ')' {
				i = j + 1
			}
		}
		if neg {
			return nanNeg, i - start
		}
		return nanPos, i - start
	}
	if i+1 < len(s) && s[i] == '0' && (s[i+1] == 'x' || s[i+1] == 'X') {
		if f, n := strtodHex(s, i+2, neg); n > 0 {
			return f, i + 2 + n - start
		}
		// "0x" without hexadecimal digits: the "0" alone is the number
		if neg {
			return math.Copysign(0, -1), i + 1 - start
		}
		return 0, i + 1 - start
	}
	digits := 0
	mant := i
	for i < len(s) && isDigit(s[i]) {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
			digits++
		}
	}
	if digits == 0 {
		return 0, 0
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && isDigit(s[j]) {
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			i = j
		}
	}
	// The text is well formed by now: ParseFloat only reports a range
	// error, with the same ±Inf or (sub)normal value strtod returns.
	f, _ := strconv.ParseFloat(s[mant:i], 64)
	if neg {
		f = -f
	}
	return f, i - start
}

// strtodHex reads hexadecimal digits, an optional fraction and an optional
// binary exponent at s[i:] (after "0x").
func strtodHex(s string, i int, neg bool) (float64, int) {
	start := i
	digits := 0
	for i < len(s) && isHexDigit(s[i]) {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		j := i + 1
		for j < len(s) && isHexDigit(s[j]) {
			j++
			digits++
		}
		if digits > 0 {
			i = j
		}
	}
	if digits == 0 {
		return 0, 0
	}
	mant := s[start:i]
	exp := "0"
	if i < len(s) && (s[i] == 'p' || s[i] == 'P') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && isDigit(s[j]) {
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			exp = s[i+1 : j]
			i = j
		}
	}
	f, _ := strconv.ParseFloat("0x"+mant+"p"+exp, 64)
	if neg {
		f = -f
	}
	return f, i - start
}

// matchFold reports len(word) when s[i:] starts with word, ignoring ASCII
// case, else 0.
func matchFold(s string, i int, word string) int {
	if len(s)-i < len(word) {
		return 0
	}
	for k := 0; k < len(word); k++ {
		if s[i+k]|0x20 != word[k] {
			return 0
		}
	}
	return len(word)
}

func isDigit(c byte) bool    { return c >= '0' && c <= '9' }
func isHexDigit(c byte) bool { return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'f') }
func isAlnum(c byte) bool    { return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'z') }

// readTarget returns the table a library should read when given t: the
// table behind one of the sandbox's read-only proxies (cjson.encode(redis)
// serialises the redis table, as Redis does), else t. A proxy is an empty
// table whose metatable's __newindex is readonlyNewIndex; scripts cannot
// build one, since getmetatable never hands out a proxy's metatable.
func readTarget(t *lua.LTable) *lua.LTable {
	mt, ok := t.Metatable.(*lua.LTable)
	if !ok {
		return t
	}
	f, ok := mt.RawGetString("__newindex").(*lua.LFunction)
	if !ok || !f.IsG || reflect.ValueOf(f.GFunction).Pointer() != readonlyNewIndexPC {
		return t
	}
	if idx, ok := mt.RawGetString("__index").(*lua.LTable); ok {
		return idx
	}
	return t
}

var readonlyNewIndexPC = reflect.ValueOf(lua.LGFunction(readonlyNewIndex)).Pointer()

// recoverOverflow, deferred by a library function that pushes many
// results, turns gopher-lua's "registry overflow" into the library's own
// error. gopher-lua's value stack is fixed and shared by every frame, so
// it can fill before Lua 5.1's 8000 slots per C call; left alone, the
// overflow would also break the error handler's own pushes. top is the
// function's stack top before it pushed anything.
func recoverOverflow(L *lua.LState, top int, msg string) {
	r := recover()
	if r == nil {
		return
	}
	if ae, ok := r.(*lua.ApiError); ok && strings.HasSuffix(lua.LVAsString(ae.Object), "registry overflow") {
		L.SetTop(top)
		libRaise(L, msg)
	}
	panic(r)
}

// rawGetIndex is t[i] for a positive integer i: RawGetInt only looks in
// the array part, where gopher-lua keeps keys below MaxArrayIndex.
func rawGetIndex(t *lua.LTable, i int) lua.LValue {
	if i < lua.MaxArrayIndex {
		return t.RawGetInt(i)
	}
	return t.RawGetH(lua.LNumber(i))
}

// luaError is Lua 5.1's error(message [, level]): with a level, a string
// or number message becomes a string with the position of the function
// level levels up (none for a Go caller, such as the one that runs the
// script); any other value, or any at level 0, is raised as it is.
func luaError(L *lua.LState) int {
	level := int(optInteger(L, 2, 1))
	msg := L.Get(1)
	switch msg.(type) {
	case lua.LString, lua.LNumber:
		if level > 0 {
			msg = lua.LString(luaWhere(L, level) + checkLString(L, 1))
		}
	}
	L.Error(msg, 0)
	return 0
}

// luaAssert is Lua 5.1's assert: it needs an argument, and its message (a
// string or number, "assertion failed!" by default) gets its caller's
// position, none when the caller is not Lua code (pcall).
func luaAssert(L *lua.LState) int {
	if L.GetTop() == 0 {
		argError(L, 1, "value expected")
	}
	if !lua.LVAsBool(L.Get(1)) {
		msg := "assertion failed!"
		if L.Get(2) != lua.LNil {
			msg = checkLString(L, 2)
		}
		libRaise(L, msg)
	}
	return L.GetTop()
}

// luaWhere is luaL_where: "source:line: " of the function level levels up
// the stack, or "" when that is not Lua code.
func luaWhere(L *lua.LState, level int) string {
	if dbg, ok := L.GetStack(level); ok {
		if _, err := L.GetInfo("Sl", dbg, lua.LNil); err == nil && dbg.What != "G" && dbg.CurrentLine > 0 && dbg.Source != coroutineChunk {
			return dbg.Source + ":" + strconv.Itoa(dbg.CurrentLine) + ": "
		}
	}
	return ""
}

// luaToNumber is Lua 5.1's tonumber: in base 10, Lua's own reading of
// numbers (strtod: "nan", "inf", hex, spaces), which gopher-lua's narrows;
// in another base, C's strtoul over the string (numbers made strings
// first), spaces after it allowed.
func luaToNumber(L *lua.LState) int {
	base := optInteger(L, 2, 10)
	if base == 10 {
		if L.GetTop() < 1 {
			argError(L, 1, "value expected")
		}
		if f, ok := toNumberC(L.Get(1)); ok {
			L.Push(lua.LNumber(f))
		} else {
			L.Push(lua.LNil)
		}
		return 1
	}
	s := checkLString(L, 1)
	if base < 2 || base > 36 {
		argError(L, 2, "base out of range")
	}
	if n, ok := strToUnsigned(cString(s), int(base)); ok {
		L.Push(lua.LNumber(float64(n)))
	} else {
		L.Push(lua.LNil)
	}
	return 1
}

// strToUnsigned is C's strtoul(s, &end, base) required to read something
// and to leave nothing but white space after it.
func strToUnsigned(s string, base int) (uint64, bool) {
	i := 0
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	if base == 16 && i+2 < len(s) && s[i] == '0' && s[i+1]|0x20 == 'x' && digitValue(s[i+2]) < 16 {
		i += 2
	}
	var n uint64
	over := false
	start := i
	for ; i < len(s); i++ {
		d := digitValue(s[i])
		if d >= base {
			break
		}
		if n > (math.MaxUint64-uint64(d))/uint64(base) {
			over = true
		}
		n = n*uint64(base) + uint64(d)
	}
	if i == start {
		return 0, false
	}
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	if i != len(s) {
		return 0, false
	}
	switch {
	case over:
		n = math.MaxUint64
	case neg:
		n = -n
	}
	return n, true
}

// digitValue is c's value as a digit of a base up to 36, or 99.
func digitValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c|0x20 >= 'a' && c|0x20 <= 'z':
		return int(c|0x20-'a') + 10
	}
	return 99
}

// mathExtreme is Lua 5.1's math.max or min (better says which): at least
// one number (gopher-lua's says "wrong number of arguments").
func mathExtreme(L *lua.LState, better func(d, best float64) bool) int {
	best := checkNumber(L, 1)
	for i := 2; i <= L.GetTop(); i++ {
		if d := checkNumber(L, i); better(d, best) {
			best = d
		}
	}
	L.Push(lua.LNumber(best))
	return 1
}

// glibcNaN wraps a math function of Go's whose invalid cases (fmod(x, 0),
// log(-1), pow(-8, 1/3), sin(inf), asin(2)) return Go's NaN,
// 0x7ff8000000000001: glibc's return invalid instead (the processor's
// default NaN, which prints "-nan", for most; asin and acos a positive
// one), and pass a NaN argument on as it is: the first, or the last where
// glibc computes x + y with the last argument as x (atan2).
func glibcNaN(f *lua.LFunction, invalid float64, lastNaN bool) lua.LGFunction {
	return func(L *lua.LState) int {
		out, found := invalid, false
		for i := L.GetTop(); i >= 1; i-- {
			if a, ok := L.Get(i).(lua.LNumber); ok && math.IsNaN(float64(a)) && (!found || !lastNaN) {
				out, found = float64(a), true
			}
		}
		n := callThrough(L, f)
		r, ok := L.Get(-1).(lua.LNumber)
		if n != 1 || !ok || !math.IsNaN(float64(r)) {
			return n
		}
		L.Pop(1)
		L.Push(lua.LNumber(out))
		return 1
	}
}

// luaSelect is Lua 5.1's select: select('#', ...) counts its arguments,
// select(n, ...) returns those from the nth (from the end if negative).
func luaSelect(L *lua.LState) int {
	n := L.GetTop()
	if s, ok := L.Get(1).(lua.LString); ok && len(s) > 0 && s[0] == '#' {
		L.Push(lua.LNumber(n - 1))
		return 1
	}
	i := int64(checkInt(L, 1))
	if i < 0 {
		i += int64(n)
	} else if i > int64(n) {
		i = int64(n)
	}
	if i < 1 {
		argError(L, 1, "index out of range")
	}
	return n - int(i)
}

// luaAcos is Lua's math.acos, computed where |x| > 0.5 as 2*asin of
// sqrt((1-|x|)/2), whose terms are exact: Go's Acos takes Pi/2 - Asin(x),
// which loses digits near 1 (acos(0.9999999) was 0.00044721359911803,
// glibc's 0.00044721359910904). It agrees with glibc's to the 14 digits
// Lua prints but at rounding boundaries; the last bits may differ.
func luaAcos(L *lua.LState) int {
	x := checkNumber(L, 1)
	var y float64
	switch {
	case x > 0.5 && x <= 1:
		y = 2 * math.Asin(math.Sqrt((1-x)/2))
	case x < -0.5 && x >= -1:
		y = math.Pi - 2*math.Asin(math.Sqrt((1+x)/2))
	default:
		y = math.Acos(x)
	}
	L.Push(lua.LNumber(y))
	return 1
}

// luaSinh and luaCosh are Lua's, as glibc computes them past exp's
// overflow: Go's take exp(x)/2, which is inf from |x| = 709.79 on, where
// the result is finite up to 710.47 (sinh(710) is 1.117e308).
func luaSinh(L *lua.LState) int {
	x := checkNumber(L, 1)
	if y, ok := halfExpLarge(x); ok {
		L.Push(lua.LNumber(math.Copysign(y, x)))
	} else {
		L.Push(lua.LNumber(math.Sinh(x)))
	}
	return 1
}

// luaCosh is luaSinh's even twin.
func luaCosh(L *lua.LState) int {
	x := checkNumber(L, 1)
	if y, ok := halfExpLarge(x); ok {
		L.Push(lua.LNumber(y))
	} else {
		L.Push(lua.LNumber(math.Cosh(x)))
	}
	return 1
}

// halfExpLarge is exp(|x|)/2 for an |x| whose exp overflows: exp(|x|/2)/2
// times exp(|x|/2), as glibc's sinh and cosh take it there.
func halfExpLarge(x float64) (float64, bool) {
	a := math.Abs(x)
	if a <= 709.782712893384 || math.IsInf(a, 1) {
		return 0, false
	}
	w := math.Exp(a / 2)
	return 0.5 * w * w, true
}

// luaLog10 is math.log10 with C's answer for powers of ten: Go's Log10
// works through log2, so math.log10(1e15) was 14.999999999999998 (a
// reply of 14) where C's log10 gives 15, and digit counts came out one
// short. Other values may still differ from glibc's in the last bit.
func luaLog10(L *lua.LState) int {
	L.Push(lua.LNumber(log10(checkNumber(L, 1))))
	return 1
}

func log10(x float64) float64 {
	if math.IsNaN(x) {
		return x // glibc passes a NaN on as it is (log10(-1) is +nan there too)
	}
	if x < 0 {
		return nanPos // glibc's log10 of a negative number, as its asin(2)
	}
	y := math.Log10(x)
	if subnormal(x) {
		y = math.Log10(x*0x1p54) - 54*math.Log10(2)
	}
	if k := math.Round(y); k >= -323 && k <= 308 && x == pow10Exact[int(k)+323] {
		return k
	}
	return y
}

// pow10Exact holds the doubles nearest to 1e-323 ... 1e308.
var pow10Exact = func() (t [632]float64) {
	for k := -323; k <= 308; k++ {
		t[k+323], _ = strconv.ParseFloat("1e"+strconv.Itoa(k), 64)
	}
	return t
}()

// luaLog is math.log with C's answer for subnormal numbers: Go's Log on
// amd64 is wrong below 2^-1022 (golang/go#56600: log(5e-324) was -709.09,
// not -744.44).
func luaLog(L *lua.LState) int {
	x := checkNumber(L, 1)
	if subnormal(x) {
		L.Push(lua.LNumber(math.Log(x*0x1p54) - 54*math.Ln2))
	} else {
		L.Push(lua.LNumber(math.Log(x)))
	}
	return 1
}

func subnormal(x float64) bool { return x > 0 && x < 0x1p-1022 }

// luaDeg and luaRad are math.deg and math.rad as Lua 5.1 computes them,
// x/(pi/180) and x*(pi/180), which round otherwise than gopher-lua's
// x*180/pi and x*pi/180 (math.rad(12) differed in the last digit).
func luaDeg(L *lua.LState) int {
	L.Push(lua.LNumber(checkNumber(L, 1) / (math.Pi / 180)))
	return 1
}

func luaRad(L *lua.LState) int {
	L.Push(lua.LNumber(checkNumber(L, 1) * (math.Pi / 180)))
	return 1
}

// luaLdexp is Lua 5.1's math.ldexp: the exponent is a C int, so
// math.ldexp(1e100, 2^32) is 1e100 where gopher-lua's gave inf.
func luaLdexp(L *lua.LState) int {
	e := checkInt(L, 2) // checked first, as fmod's second argument (two)
	L.Push(lua.LNumber(math.Ldexp(checkNumber(L, 1), int(e))))
	return 1
}

// luaModf is math.modf as glibc's modf answers it: an infinity's
// fraction is a zero of its sign, where Go's Modf gives NaN.
func luaModf(L *lua.LState) int {
	x := checkNumber(L, 1)
	ip, fp := math.Modf(x)
	if math.IsInf(x, 0) {
		ip, fp = x, math.Copysign(0, x)
	}
	L.Push(lua.LNumber(ip))
	L.Push(lua.LNumber(fp))
	return 2
}
