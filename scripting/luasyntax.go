package scripting

import (
	"math"
	"strconv"
	"strings"
)

// A Lua 5.1 syntax checker. gopher-lua's yacc parser reports its own
// messages ("syntax error", other lines, other tokens) and accepts some
// programs Lua 5.1 refuses (deeply nested code, too many locals or
// registers, break before the end of a block, goto); Redis runs Lua 5.1.5.
// This lexer and recursive-descent parser follow Lua 5.1's grammar and
// stop at the first error, worded, numbered and located as Lua 5.1.5
// reports it: "chunk:line: message near 'token'". The parser also tracks
// what Lua's code generator would hold in registers and constants (see
// luasyntax_code.go), as running out of them is a compile error too.

// Lua's limits that apply while compiling.
const (
	luaMaxCalls   = 200 // LUAI_MAXCCALLS: nesting of blocks and expressions
	luaMaxVars    = 200 // local variables active in one function
	luaMaxUpvals  = 60  // upvalues of one function
	luaMaxStack   = 250 // registers of one function
	luaMaxIndexRK = 255 // constants an instruction can name directly
	luaFlushEvery = 50  // list items a table constructor stores at once
)

// Tokens: single characters are their own byte value; the rest follow.
const (
	tkAnd = 257 + iota
	tkBreak
	tkDo
	tkElse
	tkElseif
	tkEnd
	tkFalse
	tkFor
	tkFunction
	tkIf
	tkIn
	tkLocal
	tkNil
	tkNot
	tkOr
	tkRepeat
	tkReturn
	tkThen
	tkTrue
	tkUntil
	tkWhile
	tkConcat
	tkDots
	tkEq
	tkGe
	tkLe
	tkNe
	tkNumber
	tkName
	tkString
	tkEOS
)

var luaTokenNames = [...]string{
	"and", "break", "do", "else", "elseif", "end", "false", "for", "function",
	"if", "in", "local", "nil", "not", "or", "repeat", "return", "then", "true",
	"until", "while", "..", "...", "==", ">=", "<=", "~=", "<number>", "<name>",
	"<string>", "<eof>",
}

// luaReserved maps a reserved word to its token, 0 for other names.
func luaReserved(w string) int {
	if len(w) < 2 || len(w) > 8 || w[0] < 'a' || w[0] > 'w' {
		return 0
	}
	switch w {
	case "and":
		return tkAnd
	case "break":
		return tkBreak
	case "do":
		return tkDo
	case "else":
		return tkElse
	case "elseif":
		return tkElseif
	case "end":
		return tkEnd
	case "false":
		return tkFalse
	case "for":
		return tkFor
	case "function":
		return tkFunction
	case "if":
		return tkIf
	case "in":
		return tkIn
	case "local":
		return tkLocal
	case "nil":
		return tkNil
	case "not":
		return tkNot
	case "or":
		return tkOr
	case "repeat":
		return tkRepeat
	case "return":
		return tkReturn
	case "then":
		return tkThen
	case "true":
		return tkTrue
	case "until":
		return tkUntil
	case "while":
		return tkWhile
	}
	return 0
}

// luaTokenString names a token as messages show it: the character itself
// (char(N) for control characters), or the word or symbol.
func luaTokenString(t int) string {
	if t < 256 {
		if t < 32 || t == 127 {
			return "char(" + strconv.Itoa(t) + ")"
		}
		return string([]byte{byte(t)})
	}
	return luaTokenNames[t-tkAnd]
}

const luaEOZ = -1 // end of input, as a character

// luaToken is a token with what the parser needs of it: a name's text,
// a string's contents or a number's value.
type luaToken struct {
	kind int
	str  string
	num  float64
}

// luaSynError carries the first error out of the parser's recursion.
type luaSynError struct{ msg string }

// luaSyntaxError checks src as Lua 5.1 would compile it, with chunk as the
// name messages show, and returns the first error in Lua 5.1.5's words.
// found is false when Lua would compile src.
func luaSyntaxError(src, chunk string) (msg string, found bool) {
	return luaSyntaxErrorFrom(src, chunk, 0)
}

// luaSyntaxErrorFrom is luaSyntaxError for a compile that starts depth C
// calls deep (loadstring from a script starts one deep), which Lua counts
// against its nesting limit.
func luaSyntaxErrorFrom(src, chunk string, depth int) (msg string, found bool) {
	_, msg, found = luaCheck(src, chunk, depth)
	return msg, found
}

// gopherSource is a script Lua would compile as gopher-lua is to compile
// it.
type gopherSource struct {
	code   string // the source for gopher-lua's parser (forGopherLua)
	gotoAs string // the name goto has in code, "" if none
	// zeroSigns are the signs of Lua's constant 0 in each function, in
	// the order their source starts (the main chunk first): 0 for none,
	// else 1 or -1 (fixZeroConstants)
	zeroSigns []int8
	lines     *luaLines // the lines Lua gives instructions (applyLuaLines)
}

// luaCheck is luaSyntaxErrorFrom that also returns, for a src Lua would
// compile, what gopher-lua needs to compile it as Lua.
func luaCheck(src, chunk string, depth int) (out gopherSource, msg string, found bool) {
	p := &luaParser{src: src, name: chunk, pos: -1, line: 1, lastLine: 1, level: depth}
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(luaSynError)
			if !ok {
				panic(r)
			}
			out, msg, found = gopherSource{}, e.msg, true
		}
	}()
	p.step()
	p.parseMain()
	out.code, out.gotoAs = p.forGopherLua()
	out.lines = &p.lines
	out.zeroSigns = make([]int8, len(p.funcs))
	for i, f := range p.funcs {
		out.zeroSigns[i] = f.zeroSign
	}
	return out, "", false
}

// luaParser holds the lexer's and the parser's state.
type luaParser struct {
	src      string
	name     string   // the chunk as messages name it
	pos      int      // index of the current character in src
	cur      int      // the current character, or luaEOZ
	line     int      // line of the current character
	lastLine int      // line of the last token consumed
	buf      []byte   // the token being read, as Lua keeps it for messages
	t        luaToken // the current token
	ahead    luaToken // the token after it, when hasAhead
	hasAhead bool
	level    int // nesting, against luaMaxCalls
	fs       *luaFunc
	// edits are the tokens gopher-lua's lexer would read otherwise than
	// Lua's, in source order, with what to give it instead (forGopherLua)
	edits []sourceEdit
	// funcs are the functions parsed, in the order their source starts
	funcs []*luaFunc
	// lines are the lines Lua gives the instructions of noted nodes
	lines luaLines
}

// sourceEdit replaces src[start:end] for gopher-lua's lexer with text, or
// with the name goto is given (isGoto).
type sourceEdit struct {
	start, end int
	text       string
	isGoto     bool
}

// ---- lexer ----

// step moves to the next character (pos starts before the first).
func (p *luaParser) step() {
	if p.pos < len(p.src) {
		p.pos++
	}
	if p.pos < len(p.src) {
		p.cur = int(p.src[p.pos])
	} else {
		p.cur = luaEOZ
	}
}

func (p *luaParser) save(c int) { p.buf = append(p.buf, byte(c)) }

func (p *luaParser) saveStep() {
	p.save(p.cur)
	p.step()
}

func (p *luaParser) atNewline() bool { return p.cur == '\n' || p.cur == '\r' }

// newline passes a line break: \n, \r, \n\r or \r\n.
func (p *luaParser) newline() {
	old := p.cur
	p.step()
	if p.atNewline() && p.cur != old {
		p.step()
	}
	p.line++
}

// checkNext takes the current character when it is in set. As in C's
// strchr, a NUL character is always "in" the set.
func (p *luaParser) checkNext(set string) bool {
	if p.cur == luaEOZ || (p.cur != 0 && strings.IndexByte(set, byte(p.cur)) < 0) {
		return false
	}
	p.saveStep()
	return true
}

func luaIsDigit(c int) bool { return c >= '0' && c <= '9' }
func luaIsAlpha(c int) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func luaIsAlnum(c int) bool { return luaIsAlpha(c) || luaIsDigit(c) }

// bufText is the token text messages show: the buffer up to its first NUL
// (C strings end there).
func (p *luaParser) bufText() string {
	b := p.buf
	for i, c := range b {
		if c == 0 {
			b = b[:i]
			break
		}
	}
	return string(b)
}

func (p *luaParser) tokenText(t int) string {
	switch t {
	case tkName, tkString, tkNumber:
		return p.bufText()
	}
	return luaTokenString(t)
}

// lexError stops at an error; token 0 shows no "near" part.
func (p *luaParser) lexError(msg string, token int) {
	m := p.name + ":" + strconv.Itoa(p.line) + ": " + msg
	if token != 0 {
		m += " near '" + p.tokenText(token) + "'"
	}
	panic(luaSynError{m})
}

func (p *luaParser) syntaxError(msg string) { p.lexError(msg, p.t.kind) }

// lex reads the next token.
func (p *luaParser) lex() luaToken {
	p.buf = p.buf[:0]
	for {
		c := p.cur
		switch c {
		case '\n', '\r':
			p.newline()
			continue
		case '-':
			p.step()
			if p.cur != '-' {
				return luaToken{kind: '-'}
			}
			p.step()
			if p.cur == '[' {
				bracket := p.pos
				sep := p.skipSep()
				p.buf = p.buf[:0]
				if sep >= 0 {
					p.longString(sep, false)
					p.buf = p.buf[:0]
					continue
				}
				// a short comment to Lua ("--[=x"), a bad long one to
				// gopher-lua
				p.edit(sourceEdit{start: bracket, end: bracket + 1, text: " "})
			}
			for !p.atNewline() && p.cur != luaEOZ {
				p.step()
			}
			continue
		case '[':
			sep := p.skipSep()
			if sep >= 0 {
				s := p.longString(sep, true)
				return luaToken{kind: tkString, str: s}
			}
			if sep == -1 {
				return luaToken{kind: '['}
			}
			p.lexError("invalid long string delimiter", tkString)
		case '=', '<', '>', '~':
			p.step()
			if p.cur != '=' {
				return luaToken{kind: c}
			}
			p.step()
			switch c {
			case '=':
				return luaToken{kind: tkEq}
			case '<':
				return luaToken{kind: tkLe}
			case '>':
				return luaToken{kind: tkGe}
			}
			return luaToken{kind: tkNe}
		case '"', '\'':
			return luaToken{kind: tkString, str: p.readString(c)}
		case '.':
			from := p.pos
			p.saveStep()
			if p.checkNext(".") {
				tok := luaToken{kind: tkConcat}
				if p.checkNext(".") {
					tok.kind = tkDots
				}
				if strings.IndexByte(p.src[from:p.pos], 0) >= 0 {
					// a NUL taken for a dot (check_next): ".\x00" is ".."
					p.edit(sourceEdit{start: from, end: p.pos, text: strings.Repeat(".", p.pos-from)})
				}
				return tok
			}
			if !luaIsDigit(p.cur) {
				return luaToken{kind: '.'}
			}
			return luaToken{kind: tkNumber, num: p.readNumber(from)}
		case luaEOZ:
			return luaToken{kind: tkEOS}
		}
		switch {
		case c == ' ' || c >= '\t' && c <= '\r':
			if c == '\v' || c == '\f' {
				// spaces to Lua (isspace), not to gopher-lua's lexer
				p.edit(sourceEdit{start: p.pos, end: p.pos + 1, text: " "})
			}
			p.step()
		case luaIsDigit(c):
			return luaToken{kind: tkNumber, num: p.readNumber(p.pos)}
		case luaIsAlpha(c) || c == '_':
			from := p.pos
			for luaIsAlnum(p.cur) || p.cur == '_' {
				p.saveStep()
			}
			w := p.src[from:p.pos]
			if k := luaReserved(w); k != 0 {
				return luaToken{kind: k}
			}
			if w == "goto" {
				p.edit(sourceEdit{start: from, end: p.pos, isGoto: true})
			}
			return luaToken{kind: tkName, str: w}
		default:
			p.step()
			return luaToken{kind: c}
		}
	}
}

// skipSep reads a long bracket's "[==" or "]==": the level (count of '=')
// when the same bracket follows, otherwise minus the level minus one.
func (p *luaParser) skipSep() int {
	s := p.cur
	p.saveStep()
	n := 0
	for p.cur == '=' {
		p.saveStep()
		n++
	}
	if p.cur == s {
		return n
	}
	return -n - 1
}

// longString reads a long string or comment after its "[==", up to the
// closing bracket of the same level.
func (p *luaParser) longString(sep int, isString bool) string {
	p.saveStep()
	if p.atNewline() {
		p.newline()
	}
	for {
		switch p.cur {
		case luaEOZ:
			if isString {
				p.lexError("unfinished long string", tkEOS)
			}
			p.lexError("unfinished long comment", tkEOS)
		case '[':
			// Redis builds Lua without LUA_COMPAT_LSTR: "[[" inside a
			// long string is plain text, not an error or a nesting.
			if p.skipSep() == sep {
				p.saveStep()
			}
		case ']':
			if p.skipSep() == sep {
				p.saveStep()
				if !isString {
					return ""
				}
				return string(p.buf[sep+2 : len(p.buf)-sep-2])
			}
		case '\n', '\r':
			p.save('\n')
			p.newline()
			if !isString {
				p.buf = p.buf[:0]
			}
		default:
			if isString {
				p.saveStep()
			} else {
				p.step()
			}
		}
	}
}

// readString reads a quoted string. The buffer keeps the opening quote
// and the characters escapes stand for, as messages show them.
func (p *luaParser) readString(del int) string {
	p.saveStep()
	for p.cur != del {
		switch p.cur {
		case luaEOZ:
			p.lexError("unfinished string", tkEOS)
		case '\n', '\r':
			p.lexError("unfinished string", tkString)
		case '\\':
			p.step()
			var c int
			switch p.cur {
			case 'a':
				c = '\a'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'v':
				c = '\v'
			case '\n', '\r':
				p.save('\n')
				p.newline()
				continue
			case luaEOZ:
				continue // the loop reports the unfinished string
			default:
				if !luaIsDigit(p.cur) {
					p.saveStep() // \\, \", \' and any other character stand for themselves
					continue
				}
				for i := 0; i < 3 && luaIsDigit(p.cur); i++ {
					c = 10*c + p.cur - '0'
					p.step()
				}
				if c > 255 {
					p.lexError("escape sequence too large", tkString)
				}
				p.save(c)
				continue
			}
			p.save(c)
			p.step()
		default:
			p.saveStep()
		}
	}
	p.saveStep()
	return string(p.buf[1 : len(p.buf)-1])
}

// readNumber reads a numeral as Lua 5.1 does: digits and dots, an optional
// exponent sign, then any letters, digits and underscores; the C library's
// strtod must then accept all of it.
func (p *luaParser) readNumber(start int) float64 {
	for luaIsDigit(p.cur) || p.cur == '.' {
		p.saveStep()
	}
	if p.checkNext("Ee") {
		p.checkNext("+-")
	}
	for luaIsAlnum(p.cur) || p.cur == '_' {
		p.saveStep()
	}
	s := p.bufText()
	v, ok := luaStrtod(s)
	if !ok {
		p.lexError("malformed number", tkNumber)
	}
	// Lua's check_next finds a NUL in any set (strchr), so "1\x00" is a
	// numeral, whose NUL strtod does not see.
	if len(s) > 2 && s[1]|0x20 == 'x' && strings.ContainsAny(s, "pP") || strings.IndexByte(p.src[start:p.pos], 0) >= 0 {
		text := strconv.FormatFloat(v, 'g', -1, 64)
		if math.IsInf(v, 1) {
			text = "1e400" // the exponent is never negative
		}
		// a space after: "0x1p4..s" must not become the numeral "16.."
		p.edit(sourceEdit{start: start, end: p.pos, text: text + " "})
	}
	return v
}

// edit notes e, unless the token was read before (as the token ahead).
func (p *luaParser) edit(e sourceEdit) {
	if n := len(p.edits); n == 0 || p.edits[n-1].start < e.start {
		p.edits = append(p.edits, e)
	}
}

// forGopherLua returns src as gopher-lua's lexer can read it, on the same
// lines (edits): numerals it cannot read in decimal, a NUL Lua took into a
// token left out, and each name goto as gotoAs, a name src does not hold,
// which the parsed tree must call goto again (renameGoto); gotoAs is ""
// without one.
func (p *luaParser) forGopherLua() (code, gotoAs string) {
	if len(p.edits) == 0 {
		return p.src, ""
	}
	var b strings.Builder
	last := 0
	for _, e := range p.edits {
		b.WriteString(p.src[last:e.start])
		text := e.text
		if e.isGoto {
			if gotoAs == "" {
				gotoAs = "goto_"
				for strings.Contains(p.src, gotoAs) {
					gotoAs += "_"
				}
			}
			text = gotoAs
		}
		b.WriteString(text)
		last = e.end
	}
	b.WriteString(p.src[last:])
	return b.String(), gotoAs
}

// luaStrtod converts a numeral that starts with a digit or a dot as glibc's
// strtod does, reporting whether it takes the whole text: decimal with an
// optional exponent, or hexadecimal with an optional binary exponent.
func luaStrtod(s string) (float64, bool) {
	i, hex := 0, false
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		hex, i = true, 2
	}
	isDig := func(c byte) bool {
		if hex {
			return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
		}
		return c >= '0' && c <= '9'
	}
	digits := 0
	for i < len(s) && isDig(s[i]) {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDig(s[i]) {
			i++
			digits++
		}
	}
	if digits == 0 {
		return 0, false // "0x" alone is the number 0 followed by junk
	}
	exp := byte('e')
	if hex {
		exp = 'p'
	}
	hasExp := false
	if i < len(s) && (s[i]|0x20) == exp {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		k := j
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if k > j {
			i, hasExp = k, true
		}
	}
	if i != len(s) {
		return 0, false
	}
	if hex && !hasExp {
		s += "p0"
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
			return 0, false
		}
	}
	return v, true
}
