package scripting

import (
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// loadstring as Lua 5.1 (and so Redis) has it: a chunk is named after its
// source unless it is given a name, messages show that name shortened as
// luaO_chunkid shortens it, and a syntax error is returned, not raised.

// The room for a chunk's name in messages: LUA_IDSIZE in runtime errors,
// and the lexer's MAXSRC in compile errors.
const (
	luaIDSize = 60
	luaMaxSrc = 80
)

// chunkID is luaO_chunkid with room for width bytes (with C's NUL): "=name"
// shows as name, "@file" as file (its end, if long), and anything else as
// [string "its first line"]. Lua's strings stop at a NUL here.
func chunkID(source string, width int) string {
	if i := strings.IndexByte(source, 0); i >= 0 {
		source = source[:i]
	}
	if s, ok := strings.CutPrefix(source, "="); ok {
		return s[:min(len(s), width-1)]
	}
	if s, ok := strings.CutPrefix(source, "@"); ok {
		if room := width - len(" '...' ") - 1; len(s) > room {
			return "..." + s[len(s)-room:]
		}
		return s
	}
	n := strings.IndexAny(source, "\n\r")
	if n < 0 {
		n = len(source)
	}
	n = min(n, width-len(` [string "..."] `)-1)
	if n < len(source) {
		return `[string "` + source[:n] + `..."]`
	}
	return `[string "` + source + `"]`
}

func (st *state) loadstring(L *lua.LState) int {
	src := checkLString(L, 1)
	name := src
	if L.GetTop() >= 2 && L.Get(2) != lua.LNil {
		name = checkLString(L, 2)
	}
	// A compile error names the chunk with more room than a runtime one.
	proto, err := compileNamed(src, chunkID(name, luaIDSize), chunkID(name, luaMaxSrc))
	if err != nil {
		L.Push(lua.LNil)
		L.Push(lua.LString(err.Error()))
		return 2
	}
	if i := strings.IndexByte(name, 0); i >= 0 {
		name = name[:i] // Redis prints it as a C string
	}
	st.nameChunk(proto, name)
	L.Push(L.NewFunctionFromProto(proto))
	return 1
}

// nameChunk remembers the name a loaded chunk was given, for the "on
// name:line" part of a script's error; Lua's debug information has only
// the shortened form.
func (st *state) nameChunk(p *lua.FunctionProto, name string) {
	if st.chunkNames == nil {
		st.chunkNames = make(map[*lua.FunctionProto]string)
	}
	st.chunkNames[p] = name
	for _, sub := range p.FunctionPrototypes {
		st.nameChunk(sub, name)
	}
}
