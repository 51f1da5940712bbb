package scripting

import (
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// string.find, match, gmatch and gsub with Lua 5.1's pattern matching
// (lstrlib.c), which Redis's scripts get. gopher-lua's own matcher differs:
// %f misreads the start of the subject, a start position at the end of the
// subject never matches the empty pattern, gsub accepts true from a table
// and its errors are worded differently.

const (
	luaMaxCaptures = 32
	capUnfinished  = -1
	capPosition    = -2
	patSpecials    = "^$*+?.([%-"
)

type capture struct{ init, len int }

// matchState is one match of pat against src. Lua 5.1 reads patterns as C
// strings, so pat ends at its first NUL; the subject is read whole, with
// the NUL C puts after it where a pattern looks one past its end.
type matchState struct {
	L       *lua.LState
	src     string
	pat     string
	level   int
	depth   int
	capture [luaMaxCaptures]capture
}

func (ms *matchState) srcAt(i int) byte {
	if i < len(ms.src) {
		return ms.src[i]
	}
	return 0
}

func (ms *matchState) patAt(i int) byte {
	if i < len(ms.pat) {
		return ms.pat[i]
	}
	return 0
}

// classEnd returns the index after the single-character class at p.
func (ms *matchState) classEnd(p int) int {
	c := ms.patAt(p)
	p++
	switch c {
	case '%':
		if p >= len(ms.pat) {
			libRaise(ms.L, "malformed pattern (ends with '%')")
		}
		return p + 1
	case '[':
		if ms.patAt(p) == '^' {
			p++
		}
		for { // the first character is in the set even if it is ']'
			if p >= len(ms.pat) {
				libRaise(ms.L, "malformed pattern (missing ']')")
			}
			c := ms.pat[p]
			p++
			if c == '%' && p < len(ms.pat) {
				p++ // an escape, such as %]
			}
			if ms.patAt(p) == ']' {
				return p + 1
			}
		}
	}
	return p
}

// matchClass reports whether c is in the class %cl.
func matchClass(c, cl byte) bool {
	var res bool
	switch cl | 0x20 {
	case 'a':
		res = isAlpha(c)
	case 'c':
		res = c < 32 || c == 127
	case 'd':
		res = isDigit(c)
	case 'l':
		res = c >= 'a' && c <= 'z'
	case 'p':
		res = c > 32 && c < 127 && !isAlnum(c)
	case 's':
		res = c == ' ' || (c >= '\t' && c <= '\r')
	case 'u':
		res = c >= 'A' && c <= 'Z'
	case 'w':
		res = isAlnum(c)
	case 'x':
		res = isHexDigit(c)
	case 'z':
		res = c == 0
	default:
		return cl == c
	}
	if cl >= 'A' && cl <= 'Z' {
		return !res
	}
	return res
}

func isAlpha(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// matchBracketClass reports whether c is in the set from p ('[') to ec
// (its ']').
func (ms *matchState) matchBracketClass(c byte, p, ec int) bool {
	sig := true
	if ms.patAt(p+1) == '^' {
		sig = false
		p++
	}
	for p++; p < ec; p++ {
		switch {
		case ms.pat[p] == '%':
			p++
			if matchClass(c, ms.patAt(p)) {
				return sig
			}
		case ms.patAt(p+1) == '-' && p+2 < ec:
			p += 2
			if ms.pat[p-2] <= c && c <= ms.pat[p] {
				return sig
			}
		case ms.pat[p] == c:
			return sig
		}
	}
	return !sig
}

// singleMatch reports whether the subject's byte at s matches the class
// from p to ep; there is none past the subject's end.
func (ms *matchState) singleMatch(s, p, ep int) bool {
	if s >= len(ms.src) {
		return false
	}
	c := ms.src[s]
	switch ms.pat[p] {
	case '.':
		return true
	case '%':
		return matchClass(c, ms.patAt(p+1))
	case '[':
		return ms.matchBracketClass(c, p, ep-1)
	}
	return ms.pat[p] == c
}

// luaMaxMatchDepth bounds how deeply matching recurses (once per '?',
// '*', '+', '-' or capture being tried): a pattern of a million "a?"
// would otherwise grow the goroutine's stack past Go's limit, which ends
// the process. Lua 5.1 has no bound (its C stack overflows); Lua 5.2's,
// 200, would refuse patterns Redis's Lua runs.
const luaMaxMatchDepth = 10000

// match returns where a match of the pattern from p, starting at s, ends,
// or -1.
func (ms *matchState) match(s, p int) int {
	if ms.depth++; ms.depth > luaMaxMatchDepth {
		libRaise(ms.L, "pattern too complex")
	}
	r := ms.doMatch(s, p)
	ms.depth--
	return r
}

func (ms *matchState) doMatch(s, p int) int {
	for {
		if p >= len(ms.pat) {
			return s
		}
		switch ms.pat[p] {
		case '(':
			if ms.patAt(p+1) == ')' {
				return ms.startCapture(s, p+2, capPosition)
			}
			return ms.startCapture(s, p+1, capUnfinished)
		case ')':
			return ms.endCapture(s, p+1)
		case '%':
			switch next := ms.patAt(p + 1); {
			case next == 'b':
				if s = ms.matchBalance(s, p+2); s < 0 {
					return -1
				}
				p += 4
				continue
			case next == 'f':
				p += 2
				if ms.patAt(p) != '[' {
					libRaise(ms.L, "missing '[' after '%f' in pattern")
				}
				ep := ms.classEnd(p)
				var prev byte
				if s > 0 {
					prev = ms.src[s-1]
				}
				if ms.matchBracketClass(prev, p, ep-1) || !ms.matchBracketClass(ms.srcAt(s), p, ep-1) {
					return -1
				}
				p = ep
				continue
			case isDigit(next):
				if s = ms.matchCapture(s, next); s < 0 {
					return -1
				}
				p += 2
				continue
			}
		case '$':
			if p+1 == len(ms.pat) {
				if s == len(ms.src) {
					return s
				}
				return -1
			}
		}
		ep := ms.classEnd(p)
		m := ms.singleMatch(s, p, ep)
		switch ms.patAt(ep) {
		case '?':
			if m {
				if res := ms.match(s+1, ep+1); res >= 0 {
					return res
				}
			}
			p = ep + 1
		case '*':
			return ms.maxExpand(s, p, ep)
		case '+':
			if !m {
				return -1
			}
			return ms.maxExpand(s+1, p, ep)
		case '-':
			return ms.minExpand(s, p, ep)
		default:
			if !m {
				return -1
			}
			s++
			p = ep
		}
	}
}

func (ms *matchState) maxExpand(s, p, ep int) int {
	i := 0
	for ms.singleMatch(s+i, p, ep) {
		i++
	}
	for ; i >= 0; i-- {
		if res := ms.match(s+i, ep+1); res >= 0 {
			return res
		}
	}
	return -1
}

func (ms *matchState) minExpand(s, p, ep int) int {
	for {
		if res := ms.match(s, ep+1); res >= 0 {
			return res
		}
		if !ms.singleMatch(s, p, ep) {
			return -1
		}
		s++
	}
}

func (ms *matchState) startCapture(s, p, what int) int {
	if ms.level >= luaMaxCaptures {
		libRaise(ms.L, "too many captures")
	}
	ms.capture[ms.level] = capture{s, what}
	ms.level++
	res := ms.match(s, p)
	if res < 0 {
		ms.level--
	}
	return res
}

func (ms *matchState) endCapture(s, p int) int {
	l := -1
	for i := ms.level - 1; i >= 0; i-- {
		if ms.capture[i].len == capUnfinished {
			l = i
			break
		}
	}
	if l < 0 {
		libRaise(ms.L, "invalid pattern capture")
	}
	ms.capture[l].len = s - ms.capture[l].init
	res := ms.match(s, p)
	if res < 0 {
		ms.capture[l].len = capUnfinished
	}
	return res
}

func (ms *matchState) matchBalance(s, p int) int {
	if p+1 >= len(ms.pat) {
		libRaise(ms.L, "unbalanced pattern")
	}
	b, e := ms.pat[p], ms.pat[p+1]
	if ms.srcAt(s) != b || s >= len(ms.src) {
		return -1
	}
	cont := 1
	for s++; s < len(ms.src); s++ {
		switch ms.src[s] {
		case e:
			if cont--; cont == 0 {
				return s + 1
			}
		case b:
			cont++
		}
	}
	return -1
}

func (ms *matchState) matchCapture(s int, digit byte) int {
	l := int(digit) - '1'
	if l < 0 || l >= ms.level || ms.capture[l].len == capUnfinished {
		libRaise(ms.L, "invalid capture index")
	}
	c := ms.capture[l]
	if c.len < 0 || len(ms.src)-s < c.len || ms.src[c.init:c.init+c.len] != ms.src[s:s+c.len] {
		return -1
	}
	return s + c.len
}

// captureValue is capture i of a match from s to e: the whole match when
// the pattern has no captures.
func (ms *matchState) captureValue(i, s, e int) lua.LValue {
	if i >= ms.level {
		if i != 0 {
			libRaise(ms.L, "invalid capture index")
		}
		return lua.LString(ms.src[s:e])
	}
	c := ms.capture[i]
	switch c.len {
	case capUnfinished:
		libRaise(ms.L, "unfinished capture")
	case capPosition:
		return lua.LNumber(c.init + 1)
	}
	return lua.LString(ms.src[c.init : c.init+c.len])
}

// pushCaptures pushes the captures of a match from s to e (the whole match
// if there are none and wholeIfNone) and returns how many.
func (ms *matchState) pushCaptures(s, e int, wholeIfNone bool) int {
	n := ms.level
	if n == 0 && wholeIfNone {
		n = 1
	}
	for i := 0; i < n; i++ {
		ms.L.Push(ms.captureValue(i, s, e))
	}
	return n
}

// startPosition is string.find's and match's init argument made a 0-based
// offset within a subject of n bytes.
func startPosition(L *lua.LState, n int) int {
	init := optInteger(L, 3, 1)
	if init < 0 {
		init += int64(n) + 1
	}
	init--
	switch {
	case init < 0:
		return 0
	case init > int64(n):
		return n
	}
	return int(init)
}

func luaStrFind(L *lua.LState) int  { return strFindAux(L, true) }
func luaStrMatch(L *lua.LState) int { return strFindAux(L, false) }

func strFindAux(L *lua.LState, find bool) int {
	src := checkLString(L, 1)
	whole := checkLString(L, 2)
	pat := cString(whole)
	init := startPosition(L, len(src))
	if find && (lua.LVAsBool(L.Get(4)) || !strings.ContainsAny(pat, patSpecials)) {
		// A plain search looks for the whole pattern, NULs and all.
		if i := strings.Index(src[init:], whole); i >= 0 {
			L.Push(lua.LNumber(init + i + 1))
			L.Push(lua.LNumber(init + i + len(whole)))
			return 2
		}
		L.Push(lua.LNil)
		return 1
	}
	anchor := strings.HasPrefix(pat, "^")
	if anchor {
		pat = pat[1:]
	}
	ms := &matchState{L: L, src: src, pat: pat}
	for s := init; ; s++ {
		ms.level = 0
		if e := ms.match(s, 0); e >= 0 {
			if find {
				L.Push(lua.LNumber(s + 1))
				L.Push(lua.LNumber(e))
				return ms.pushCaptures(-1, -1, false) + 2
			}
			return ms.pushCaptures(s, e, true)
		}
		if s >= len(src) || anchor {
			break
		}
	}
	L.Push(lua.LNil)
	return 1
}

// luaStrGmatch is string.gmatch: '^' is no anchor there, as in Lua 5.1.
func luaStrGmatch(L *lua.LState) int {
	src := checkLString(L, 1)
	pat := cString(checkLString(L, 2))
	pos := 0
	ms := &matchState{src: src, pat: pat}
	L.Push(L.NewFunction(func(L *lua.LState) int {
		ms.L = L
		for s := pos; s <= len(src); s++ {
			ms.level = 0
			if e := ms.match(s, 0); e >= 0 {
				pos = e
				if e == s {
					pos++ // an empty match: move on at least one
				}
				return ms.pushCaptures(s, e, true)
			}
		}
		pos = len(src) + 1
		return 0
	}))
	return 1
}

// luaStrGsub is string.gsub.
func luaStrGsub(L *lua.LState) int {
	src := checkLString(L, 1)
	pat := cString(checkLString(L, 2))
	repl := L.Get(3)
	// luaL_optint: read before the replacement's type is checked, and cut
	// to a C int
	maxN := int64(int32(optInteger(L, 4, int64(len(src))+1)))
	switch repl.(type) {
	case lua.LNumber, lua.LString, *lua.LFunction, *lua.LTable:
	default:
		argError(L, 3, "string/function/table expected")
	}
	anchor := strings.HasPrefix(pat, "^")
	if anchor {
		pat = pat[1:]
	}
	ms := &matchState{L: L, src: src, pat: pat}
	var b []byte
	s, n := 0, int64(0)
	for n < maxN {
		ms.level = 0
		e := ms.match(s, 0)
		if e >= 0 {
			n++
			b = ms.addValue(b, s, e, repl)
		}
		switch {
		case e > s:
			s = e
		case s < len(src):
			b = append(b, src[s])
			s++
		default:
			goto done
		}
		if anchor {
			break
		}
	}
done:
	b = append(b, src[s:]...)
	L.Push(lua.LString(b))
	L.Push(lua.LNumber(n))
	return 2
}

// addValue appends the replacement of the match from s to e.
func (ms *matchState) addValue(b []byte, s, e int, repl lua.LValue) []byte {
	L := ms.L
	var v lua.LValue
	switch r := repl.(type) {
	case lua.LString, lua.LNumber:
		return ms.addString(b, s, e, luaString(r))
	case *lua.LFunction:
		top := L.GetTop()
		L.Push(r)
		n := ms.pushCaptures(s, e, true)
		L.Call(n, 1)
		v = L.Get(-1)
		L.SetTop(top)
	case *lua.LTable:
		v = L.GetTable(r, ms.captureValue(0, s, e))
	}
	switch v.(type) {
	case lua.LString, lua.LNumber:
		return append(b, luaString(v)...)
	}
	if !lua.LVAsBool(v) {
		return append(b, ms.src[s:e]...) // nil or false keeps the original text
	}
	libRaise(L, "invalid replacement value (a "+v.Type().String()+")")
	return b
}

// addString appends a string replacement: %0 is the match, %1-%9 its
// captures, % and any other character that character; a % at the end
// adds the NUL that ends the C string.
func (ms *matchState) addString(b []byte, s, e int, news string) []byte {
	for i := 0; i < len(news); i++ {
		c := news[i]
		if c != '%' {
			b = append(b, c)
			continue
		}
		i++
		var d byte
		if i < len(news) {
			d = news[i]
		}
		switch {
		case !isDigit(d):
			b = append(b, d)
		case d == '0':
			b = append(b, ms.src[s:e]...)
		default:
			b = append(b, luaString(ms.captureValue(int(d-'1'), s, e))...)
		}
	}
	return b
}
