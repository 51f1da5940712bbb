package scripting

import (
	"math"
	"strconv"
	"unicode/utf8"

	lua "github.com/yuin/gopher-lua"
)

// cjson is Lua CJSON 2.1.0 as Redis 7.0 bundles it. Its settings live in
// the module table's functions (a C upvalue in Redis), so they last from
// one script to the next in an interpreter, and cjson.new() makes a table
// with settings of its own.

// cjsonNull is cjson.null, Redis's NULL light userdata: the one value
// every cjson table, decode and cmsgpack agree on.
var cjsonNull = &lua.LUserData{Metatable: lua.LNil}

// Invalid number modes of encode_invalid_numbers.
const (
	cjsonInvalidOff = iota
	cjsonInvalidOn
	cjsonInvalidNull
)

// cjsonConfig is one cjson table's settings.
type cjsonConfig struct {
	sparseConvert  bool
	sparseRatio    int
	sparseSafe     int
	encodeMaxDepth int
	decodeMaxDepth int
	precision      int
	encodeInvalid  int
	decodeInvalid  bool
	keepBuffer     bool
	buf            []byte // the kept encode buffer
}

// maxKeptBuffer bounds the encode buffer an interpreter keeps between calls.
const maxKeptBuffer = 1 << 20

// openCjson builds a cjson table with default settings (cjson, and each
// cjson.new()).
func openCjson(L *lua.LState) *lua.LTable {
	cfg := &cjsonConfig{
		sparseRatio:    2,
		sparseSafe:     10,
		encodeMaxDepth: 1000,
		decodeMaxDepth: 1000,
		precision:      14,
		decodeInvalid:  true,
		keepBuffer:     true,
	}
	t := L.CreateTable(0, 13)
	for _, f := range []struct {
		name string
		fn   lua.LGFunction
	}{
		{"encode", cfg.encode},
		{"decode", cfg.decode},
		{"encode_sparse_array", cfg.setEncodeSparseArray},
		{"encode_max_depth", cfg.setEncodeMaxDepth},
		{"decode_max_depth", cfg.setDecodeMaxDepth},
		{"encode_number_precision", cfg.setEncodeNumberPrecision},
		{"encode_keep_buffer", cfg.setEncodeKeepBuffer},
		{"encode_invalid_numbers", cfg.setEncodeInvalidNumbers},
		{"decode_invalid_numbers", cfg.setDecodeInvalidNumbers},
		{"new", func(L *lua.LState) int { L.Push(openCjson(L)); return 1 }},
	} {
		t.RawSetString(f.name, L.NewFunction(f.fn))
	}
	t.RawSetString("null", cjsonNull)
	t.RawSetString("_NAME", lua.LString("cjson"))
	t.RawSetString("_VERSION", lua.LString("2.1.0"))
	return t
}

// cfgArgs is json_arg_init: at most max arguments.
func cfgArgs(L *lua.LState, max int) {
	if L.GetTop() > max {
		argError(L, max+1, "found too many arguments")
	}
}

// intOption is json_integer_option: argument i, when given, must be an
// integer in [min, max] (the error always names argument #1, as cjson's).
func intOption(L *lua.LState, i int, setting *int, min, max int) lua.LValue {
	if i <= L.GetTop() && L.Get(i) != lua.LNil {
		v := int(checkInt(L, i))
		if v < min || v > max {
			argError(L, 1, "expected integer between "+strconv.Itoa(min)+" and "+strconv.Itoa(max))
		}
		*setting = v
	}
	return lua.LNumber(*setting)
}

// enumOption is json_enum_option: argument i, when given, is a boolean or
// one of options by name. Settings 0 and 1 read back as booleans.
func enumOption(L *lua.LState, i int, setting *int, options ...string) lua.LValue {
	if options == nil {
		options = []string{"off", "on"}
	}
	if i <= L.GetTop() && L.Get(i) != lua.LNil {
		if b, ok := L.Get(i).(lua.LBool); ok {
			*setting = 0
			if b {
				*setting = 1
			}
		} else {
			name := checkLString(L, i)
			found := false
			for k, o := range options {
				if o == name {
					*setting, found = k, true
					break
				}
			}
			if !found {
				argError(L, i, "invalid option '"+name+"'")
			}
		}
	}
	if *setting <= 1 {
		return lua.LBool(*setting == 1)
	}
	return lua.LString(options[*setting])
}

func boolSetting(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (cfg *cjsonConfig) setEncodeSparseArray(L *lua.LState) int {
	cfgArgs(L, 3)
	// read every argument before pushing results over absent ones
	convert := boolSetting(cfg.sparseConvert)
	c := enumOption(L, 1, &convert)
	cfg.sparseConvert = convert == 1
	ratio := intOption(L, 2, &cfg.sparseRatio, 0, math.MaxInt32)
	safe := intOption(L, 3, &cfg.sparseSafe, 0, math.MaxInt32)
	L.Push(c)
	L.Push(ratio)
	L.Push(safe)
	return 3
}

func (cfg *cjsonConfig) setEncodeMaxDepth(L *lua.LState) int {
	cfgArgs(L, 1)
	L.Push(intOption(L, 1, &cfg.encodeMaxDepth, 1, math.MaxInt32))
	return 1
}

func (cfg *cjsonConfig) setDecodeMaxDepth(L *lua.LState) int {
	cfgArgs(L, 1)
	L.Push(intOption(L, 1, &cfg.decodeMaxDepth, 1, math.MaxInt32))
	return 1
}

func (cfg *cjsonConfig) setEncodeNumberPrecision(L *lua.LState) int {
	cfgArgs(L, 1)
	L.Push(intOption(L, 1, &cfg.precision, 1, 14))
	return 1
}

func (cfg *cjsonConfig) setEncodeKeepBuffer(L *lua.LState) int {
	cfgArgs(L, 1)
	keep := boolSetting(cfg.keepBuffer)
	L.Push(enumOption(L, 1, &keep))
	cfg.keepBuffer = keep == 1
	if !cfg.keepBuffer {
		cfg.buf = nil
	}
	return 1
}

func (cfg *cjsonConfig) setEncodeInvalidNumbers(L *lua.LState) int {
	cfgArgs(L, 1)
	L.Push(enumOption(L, 1, &cfg.encodeInvalid, "off", "on", "null"))
	return 1
}

func (cfg *cjsonConfig) setDecodeInvalidNumbers(L *lua.LState) int {
	cfgArgs(L, 1)
	dec := boolSetting(cfg.decodeInvalid)
	L.Push(enumOption(L, 1, &dec))
	cfg.decodeInvalid = dec == 1
	return 1
}

// ---- encode ----

type jsonEncoder struct {
	L   *lua.LState
	cfg *cjsonConfig
	buf []byte
}

func (cfg *cjsonConfig) encode(L *lua.LState) int {
	if L.GetTop() != 1 {
		argError(L, 1, "expected 1 argument")
	}
	e := jsonEncoder{L: L, cfg: cfg}
	if cfg.keepBuffer {
		e.buf = cfg.buf[:0]
	}
	// The argument occupies the one stack slot cjson starts with.
	e.value(L.Get(1), 0, 1)
	L.Push(lua.LString(e.buf))
	if cfg.keepBuffer && cap(e.buf) <= maxKeptBuffer {
		cfg.buf = e.buf
	}
	return 1
}

// fail raises "Cannot serialise <type of v>: reason".
func (e *jsonEncoder) fail(v lua.LValue, reason string) {
	libRaise(e.L, "Cannot serialise "+v.Type().String()+": "+reason)
}

// value appends v. depth counts the enclosing tables and slots the Lua
// stack slots cjson would hold at this point, for its lua_checkstack.
func (e *jsonEncoder) value(v lua.LValue, depth, slots int) {
	switch x := v.(type) {
	case lua.LString:
		e.string(string(x))
	case lua.LNumber:
		e.number(v, float64(x))
	case lua.LBool:
		if x {
			e.buf = append(e.buf, "true"...)
		} else {
			e.buf = append(e.buf, "false"...)
		}
	case *lua.LTable:
		depth++
		if depth > e.cfg.encodeMaxDepth || slots+3 > luaMaxCStack {
			libRaise(e.L, "Cannot serialise, excessive nesting ("+strconv.Itoa(depth)+")")
		}
		t := readTarget(x)
		if n := e.arrayLength(t); n > 0 {
			e.array(t, n, depth, slots)
		} else {
			e.object(t, depth, slots)
		}
	case *lua.LNilType:
		e.buf = append(e.buf, "null"...)
	default:
		if v == cjsonNull {
			e.buf = append(e.buf, "null"...)
			return
		}
		e.fail(v, "type not supported")
	}
}

// arrayLength is lua_array_length: the largest key when every key is a
// positive integer and the array is not excessively sparse, else -1 (an
// object). Its int is C's: keys past 2^31 turn into INT_MIN.
func (e *jsonEncoder) arrayLength(t *lua.LTable) int {
	max, items := int32(0), 0
	for k, _ := t.Next(lua.LNil); k != lua.LNil; k, _ = t.Next(k) {
		n, ok := k.(lua.LNumber)
		if !ok || n == 0 || float64(n) != math.Floor(float64(n)) || n < 1 {
			return -1
		}
		if float64(n) > float64(max) {
			max = cInt32(float64(n))
		}
		items++
	}
	cfg := e.cfg
	// items * ratio is C's int product, which wraps
	if cfg.sparseRatio > 0 && max > int32(items)*int32(cfg.sparseRatio) && int(max) > cfg.sparseSafe {
		if !cfg.sparseConvert {
			e.fail(t, "excessively sparse array")
		}
		return -1
	}
	return int(max)
}

// cInt32 is C's (int) cast of a double on x86-64: out of range is INT_MIN.
func cInt32(f float64) int32 {
	if f >= -2147483648 && f < 2147483648 {
		return int32(f)
	}
	return math.MinInt32
}

func (e *jsonEncoder) array(t *lua.LTable, n, depth, slots int) {
	e.buf = append(e.buf, '[')
	for i := 1; i <= n; i++ {
		if i > 1 {
			e.buf = append(e.buf, ',')
		}
		e.value(rawGetIndex(t, i), depth, slots+1)
	}
	e.buf = append(e.buf, ']')
}

func (e *jsonEncoder) object(t *lua.LTable, depth, slots int) {
	e.buf = append(e.buf, '{')
	first := true
	eachPair(e.L, t, func(k, v lua.LValue) {
		if !first {
			e.buf = append(e.buf, ',')
		}
		first = false
		switch key := k.(type) {
		case lua.LNumber:
			e.buf = append(e.buf, '"')
			e.number(k, float64(key))
			e.buf = append(e.buf, '"', ':')
		case lua.LString:
			e.string(string(key))
			e.buf = append(e.buf, ':')
		default:
			e.fail(k, "table key must be a number or string")
		}
		e.value(v, depth, slots+2)
	})
	e.buf = append(e.buf, '}')
}

func (e *jsonEncoder) number(v lua.LValue, f float64) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		switch e.cfg.encodeInvalid {
		case cjsonInvalidOff:
			e.fail(v, "must not be NaN or Inf")
		case cjsonInvalidNull:
			e.buf = append(e.buf, "null"...)
			return
		}
		// "on": every NaN is "nan"; infinities print as printf does
		if math.IsNaN(f) {
			e.buf = append(e.buf, "nan"...)
			return
		}
	}
	e.buf = appendNumberG(e.buf, f, e.cfg.precision)
}

// jsonEscapes holds cjson's escape for each byte, "" for none: control
// characters, '"', '\\', '/' and DEL; bytes from 0x80 pass through.
var jsonEscapes = func() (t [256]string) {
	const hex = "0123456789abcdef"
	for c := 0; c < 0x20; c++ {
		t[c] = `\u00` + string(hex[c>>4]) + string(hex[c&15])
	}
	t['\b'], t['\t'], t['\n'], t['\f'], t['\r'] = `\b`, `\t`, `\n`, `\f`, `\r`
	t['"'], t['\\'], t['/'] = `\"`, `\\`, `\/`
	t[0x7f] = `\u007f`
	return t
}()

func (e *jsonEncoder) string(s string) {
	e.buf = append(e.buf, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		if esc := jsonEscapes[s[i]]; esc != "" {
			e.buf = append(e.buf, s[start:i]...)
			e.buf = append(e.buf, esc...)
			start = i + 1
		}
	}
	e.buf = append(e.buf, s[start:]...)
	e.buf = append(e.buf, '"')
}

// ---- decode ----

// JSON token types, named in errors as cjson names them.
const (
	tObjBegin = iota
	tObjEnd
	tArrBegin
	tArrEnd
	tString
	tNumber
	tBoolean
	tNull
	tColon
	tComma
	tEnd
	tWhitespace
	tError
	tUnknown
)

var jsonTokenNames = [...]string{"T_OBJ_BEGIN", "T_OBJ_END", "T_ARR_BEGIN", "T_ARR_END", "T_STRING", "T_NUMBER", "T_BOOLEAN", "T_NULL", "T_COLON", "T_COMMA", "T_END", "T_WHITESPACE", "T_ERROR", "T_UNKNOWN"}

// jsonCharTokens classifies a token's first byte; NUL ends the text, as
// in C.
var jsonCharTokens = func() (t [256]uint8) {
	for i := range t {
		t[i] = tError
	}
	t['{'], t['}'], t['['], t[']'], t[','], t[':'] = tObjBegin, tObjEnd, tArrBegin, tArrEnd, tComma, tColon
	t[0] = tEnd
	t[' '], t['\t'], t['\n'], t['\r'] = tWhitespace, tWhitespace, tWhitespace, tWhitespace
	for _, c := range "fiInNt\"+-0123456789" {
		t[c] = tUnknown
	}
	return t
}()

// jsonUnescapes maps the byte after a backslash to what it stands for; 0
// is an invalid escape and 'u' a Unicode escape.
var jsonUnescapes = func() (t [256]byte) {
	t['"'], t['\\'], t['/'] = '"', '\\', '/'
	t['b'], t['t'], t['n'], t['f'], t['r'], t['u'] = '\b', '\t', '\n', '\f', '\r', 'u'
	return t
}()

type jsonToken struct {
	typ   int
	index int // byte offset of the token
	str   string
	num   float64
	bool  bool
	err   string // what was found, for tError
}

type jsonDecoder struct {
	L     *lua.LState
	cfg   *cjsonConfig
	data  string
	pos   int
	depth int
	tmp   []byte
	stack []lua.LValue // values of the arrays and objects being read
	keys  []string     // keys of the objects being read
}

func (cfg *cjsonConfig) decode(L *lua.LState) int {
	if L.GetTop() != 1 {
		argError(L, 1, "expected 1 argument")
	}
	d := jsonDecoder{L: L, cfg: cfg, data: checkLString(L, 1)}
	if len(d.data) >= 2 && (d.data[0] == 0 || d.data[1] == 0) {
		libRaise(L, "JSON parser does not support UTF-16 or UTF-32")
	}
	var tok jsonToken
	d.next(&tok)
	v := d.value(&tok, 1)
	d.next(&tok)
	if tok.typ != tEnd {
		d.parseError("the end", &tok)
	}
	L.Push(v)
	return 1
}

// at returns the byte at i, NUL past the end (the C string's terminator).
func (d *jsonDecoder) at(i int) byte {
	if i < len(d.data) {
		return d.data[i]
	}
	return 0
}

func (d *jsonDecoder) parseError(expected string, tok *jsonToken) {
	found := tok.err
	if tok.typ != tError {
		found = jsonTokenNames[tok.typ]
	}
	libRaise(d.L, "Expected "+expected+" but found "+found+" at character "+strconv.Itoa(tok.index+1))
}

func (d *jsonDecoder) tokenError(tok *jsonToken, what string) {
	tok.typ, tok.index, tok.err = tError, d.pos, what
}

func (d *jsonDecoder) next(tok *jsonToken) {
	var c byte
	for {
		c = d.at(d.pos)
		tok.typ = int(jsonCharTokens[c])
		if tok.typ != tWhitespace {
			break
		}
		d.pos++
	}
	tok.index = d.pos
	switch tok.typ {
	case tError:
		d.tokenError(tok, "invalid token")
		return
	case tEnd:
		return
	case tUnknown:
	default:
		d.pos++
		return
	}
	rest := d.data[d.pos:]
	switch {
	case c == '"':
		d.stringToken(tok)
	case c == '-' || isDigit(c):
		if !d.cfg.decodeInvalid && d.invalidNumber() {
			d.tokenError(tok, "invalid number")
			return
		}
		d.numberToken(tok)
	case len(rest) >= 4 && rest[:4] == "true":
		tok.typ, tok.bool = tBoolean, true
		d.pos += 4
	case len(rest) >= 5 && rest[:5] == "false":
		tok.typ, tok.bool = tBoolean, false
		d.pos += 5
	case len(rest) >= 4 && rest[:4] == "null":
		tok.typ = tNull
		d.pos += 4
	case d.cfg.decodeInvalid && d.invalidNumber():
		// Only numbers JSON forbids (Inf, NaN, hex, '+'): anything else
		// is an invalid token rather than an invalid number.
		d.numberToken(tok)
	default:
		d.tokenError(tok, "invalid token")
	}
}

// invalidNumber is json_is_invalid_number: a number JSON does not allow
// (leading '+' or zeros, hexadecimal, inf, nan).
func (d *jsonDecoder) invalidNumber() bool {
	p := d.pos
	if d.at(p) == '+' {
		return true
	}
	if d.at(p) == '-' {
		p++
	}
	if c := d.at(p); c == '0' {
		c2 := d.at(p + 1)
		return c2|0x20 == 'x' || isDigit(c2)
	} else if c <= '9' {
		return false
	}
	return matchFold(d.data, p, "inf") > 0 || matchFold(d.data, p, "nan") > 0
}

func (d *jsonDecoder) numberToken(tok *jsonToken) {
	f, n := strtod(d.data, d.pos)
	if n == 0 {
		d.tokenError(tok, "invalid number")
		return
	}
	tok.typ, tok.num = tNumber, f
	d.pos += n
}

func (d *jsonDecoder) stringToken(tok *jsonToken) {
	d.pos++ // the opening quote
	start := d.pos
	escaped := false
	d.tmp = d.tmp[:0]
	for {
		c := d.at(d.pos)
		if c == '"' {
			break
		}
		if c == 0 {
			d.tokenError(tok, "unexpected end of string")
			return
		}
		if c == '\\' {
			if !escaped {
				d.tmp = append(d.tmp, d.data[start:d.pos]...)
				escaped = true
			}
			u := jsonUnescapes[d.at(d.pos+1)]
			if u == 'u' {
				if !d.unicodeEscape() {
					d.tokenError(tok, "invalid unicode escape code")
					return
				}
				continue
			}
			if u == 0 {
				d.tokenError(tok, "invalid escape code")
				return
			}
			d.tmp = append(d.tmp, u)
			d.pos += 2
			continue
		}
		if escaped {
			d.tmp = append(d.tmp, c)
		}
		d.pos++
	}
	tok.typ = tString
	if escaped {
		tok.str = string(d.tmp)
	} else {
		tok.str = d.data[start:d.pos]
	}
	d.pos++ // the closing quote
}

func (d *jsonDecoder) hex4(i int) int {
	v := 0
	for k := 0; k < 4; k++ {
		c := d.at(i + k)
		var h int
		switch {
		case isDigit(c):
			h = int(c - '0')
		case c|0x20 >= 'a' && c|0x20 <= 'f':
			h = int(c|0x20-'a') + 10
		default:
			return -1
		}
		v = v<<4 | h
	}
	return v
}

// unicodeEscape decodes \uXXXX (or a \uXXXX\uXXXX surrogate pair) at pos
// into tmp as UTF-8.
func (d *jsonDecoder) unicodeEscape() bool {
	cp := d.hex4(d.pos + 2)
	if cp < 0 {
		return false
	}
	n := 6
	if cp&0xf800 == 0xd800 {
		if cp&0x400 != 0 {
			return false // a low surrogate first
		}
		if d.at(d.pos+6) != '\\' || d.at(d.pos+7) != 'u' {
			return false
		}
		low := d.hex4(d.pos + 8)
		if low < 0 || low&0xfc00 != 0xdc00 {
			return false
		}
		cp = ((cp&0x3ff)<<10 | low&0x3ff) + 0x10000
		n = 12
	}
	d.tmp = utf8.AppendRune(d.tmp, rune(cp))
	d.pos += n
	return true
}

// descend enters an array or object: slots is what cjson asks of
// lua_checkstack, used the stack slots the enclosing levels hold.
func (d *jsonDecoder) descend(used, slots int) {
	d.depth++
	if d.depth > d.cfg.decodeMaxDepth || used+slots > luaMaxCStack {
		libRaise(d.L, "Found too many nested data structures ("+strconv.Itoa(d.depth)+") at character "+strconv.Itoa(d.pos))
	}
}

// value converts the value starting with tok; used counts the Lua stack
// slots cjson would hold here.
func (d *jsonDecoder) value(tok *jsonToken, used int) lua.LValue {
	switch tok.typ {
	case tString:
		return lua.LString(tok.str)
	case tNumber:
		return lua.LNumber(tok.num)
	case tBoolean:
		return lua.LBool(tok.bool)
	case tObjBegin:
		return d.object(used)
	case tArrBegin:
		return d.array(used)
	case tNull:
		return cjsonNull
	}
	d.parseError("value", tok)
	return lua.LNil
}

func (d *jsonDecoder) object(used int) lua.LValue {
	d.descend(used, 3)
	var tok jsonToken
	d.next(&tok)
	if tok.typ == tObjEnd {
		d.depth--
		return d.L.CreateTable(0, 0)
	}
	// Keys and values wait on scratch stacks so the table is made at its
	// final size (gopher-lua's default tables preallocate generously).
	base, kbase := len(d.stack), len(d.keys)
	for {
		if tok.typ != tString {
			d.parseError("object key string", &tok)
		}
		d.keys = append(d.keys, tok.str)
		d.next(&tok)
		if tok.typ != tColon {
			d.parseError("colon", &tok)
		}
		d.next(&tok)
		d.stack = append(d.stack, d.value(&tok, used+2))
		d.next(&tok)
		if tok.typ == tObjEnd {
			d.depth--
			vals := d.stack[base:]
			t := d.L.CreateTable(0, len(vals))
			for i, k := range d.keys[kbase:] {
				t.RawSetString(k, vals[i])
			}
			clear(d.keys[kbase:])
			d.keys = d.keys[:kbase]
			d.pop(base)
			return t
		}
		if tok.typ != tComma {
			d.parseError("comma or object end", &tok)
		}
		d.next(&tok)
	}
}

func (d *jsonDecoder) array(used int) lua.LValue {
	d.descend(used, 2)
	var tok jsonToken
	d.next(&tok)
	if tok.typ == tArrEnd {
		d.depth--
		return d.L.CreateTable(0, 0)
	}
	base := len(d.stack)
	for {
		d.stack = append(d.stack, d.value(&tok, used+1))
		d.next(&tok)
		if tok.typ == tArrEnd {
			d.depth--
			items := d.stack[base:]
			t := d.L.CreateTable(len(items), 0)
			for i, v := range items {
				t.RawSetInt(i+1, v)
			}
			d.pop(base)
			return t
		}
		if tok.typ != tComma {
			d.parseError("comma or array end", &tok)
		}
		d.next(&tok)
	}
}

// pop drops the scratch stack back to base, letting go of its values.
func (d *jsonDecoder) pop(base int) {
	clear(d.stack[base:])
	d.stack = d.stack[:base]
}
