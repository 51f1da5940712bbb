package scripting

import (
	"strings"
	"sync"
	"time"

	lua "github.com/yuin/gopher-lua"

	"petrel/resp"
)

// Texts of FUNCTION LOAD's errors, as Redis 7.0.15 words them.
const (
	errMissingMeta    = "ERR Missing library metadata"
	errInvalidMeta    = "ERR Invalid library metadata"
	errNameTwice      = "ERR Invalid metadata value, name argument was given multiple times"
	errNoName         = "ERR Library name was not given"
	errBadName        = "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long"
	errNoFunctions    = "ERR No functions registered"
	errLoadTimeout    = "ERR FUNCTION LOAD timeout"
	errRegisterPrefix = "ERR Error registering functions: "
)

// libraryMeta reads a library's "#!<engine> name=<name>" first line. It
// returns the library name and the code to compile: everything from the
// line break on, so line numbers stay those of the whole text.
func libraryMeta(code string) (name, body string, err *Error) {
	if !strings.HasPrefix(code, "#!") {
		return "", "", errf(errMissingMeta)
	}
	// Redis finds the line's end with strchr, which stops at a NUL.
	nl := strings.IndexByte(code, '\n')
	if nl < 0 || strings.IndexByte(code[:nl], 0) >= 0 {
		return "", "", errf(errInvalidMeta)
	}
	parts, ok := splitArgs(code[:nl])
	if !ok || len(parts) == 0 || !strings.HasPrefix(parts[0], "#!") {
		return "", "", errf(errInvalidMeta)
	}
	engine := parts[0][2:]
	named := false
	for _, p := range parts[1:] {
		if len(p) >= 5 && strings.EqualFold(p[:5], "name=") {
			if named {
				return "", "", errf(errNameTwice)
			}
			name, named = p[5:], true
			continue
		}
		return "", "", errf("ERR Invalid metadata value given: " + p)
	}
	if !named {
		return "", "", errf(errNoName)
	}
	if !validName(name) {
		return "", "", errf("ERR " + errBadName)
	}
	if !strings.EqualFold(engine, "lua") {
		return "", "", errf("ERR Engine '" + engine + "' not found")
	}
	return name, code[nl:], nil
}

// validName reports whether s is a valid library or function name: ASCII
// letters, digits and underscores, at least one.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// foldName lowercases ASCII letters only, as Redis's case-insensitive
// function lookup compares (strcasecmp in the C locale).
func foldName(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; c >= 'A' && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// libCache is an interpreter's share of the function libraries: the
// callbacks each library registered when its body ran in this interpreter,
// and the two global environments functions use.
type libCache struct {
	gen      uint64 // Libraries.gen when dead libraries were last dropped
	libs     map[*Library]map[string]*lua.LFunction
	loadEnv  *lua.LTable // what a library body sees as globals: only redis
	funcEnv  *lua.LTable // what functions see at run time
	keys     [][]byte    // the running FCALL's keys and args, for FUNCTION STATS
	args     [][]byte
	loadHost loadHost
}

// libLoad is the library whose body is running in an interpreter.
type libLoad struct {
	fns   []*Function
	cbs   map[string]*lua.LFunction
	mu    sync.Mutex
	done  bool
	timed bool // the load timeout stopped the body
}

// loadHost receives redis.log lines while a library loads.
type loadHost struct{ log func(level int, msg string) }

func (h *loadHost) Call(w *resp.Writer, args [][]byte) { w.WriteError(ErrNotAllowed) }
func (h *loadHost) SetRepl(int)                        {}
func (h *loadHost) Log(level int, msg string) {
	if h.log != nil {
		h.log(level, msg)
	}
}

// loadGlobals returns the globals a library body runs with: the loading
// redis table and nothing else, every other name an error.
func (st *state) loadGlobals() *lua.LTable {
	if st.lib.loadEnv != nil {
		return st.lib.loadEnv
	}
	L := st.L
	missing := L.NewTable()
	missing.RawSetString("__index", L.NewFunction(nonexistentGlobal))
	rt := st.redisTable(true)
	L.SetMetatable(rt, missing)
	env := L.NewTable()
	env.RawSetString("redis", st.proxy(rt))
	L.SetMetatable(env, missing)
	st.lib.loadEnv = env
	return env
}

// funcGlobals returns the globals functions run with: a script's, without
// KEYS, ARGV and the error handler, and a redis table without the
// EVAL-only breakpoint, debug and replicate_commands.
func (st *state) funcGlobals() *lua.LTable {
	if st.lib.funcEnv != nil {
		return st.lib.funcEnv
	}
	L := st.L
	rp, _ := st.real.RawGetString("redis").(*lua.LTable)
	base := st.target(rp)
	rt := L.NewTable()
	for k, v := base.Next(lua.LNil); k != lua.LNil; k, v = base.Next(k) {
		switch k.String() {
		case "breakpoint", "debug", "replicate_commands":
			continue
		}
		rt.RawSet(k, v)
	}
	env := L.NewTable()
	for k, v := st.real.Next(lua.LNil); k != lua.LNil; k, v = st.real.Next(k) {
		switch k.String() {
		case "__redis__err__handler", "KEYS", "ARGV":
			continue
		case "redis":
			v = st.proxy(rt)
		}
		env.RawSet(k, v)
	}
	L.SetMetatable(env, L.GetMetatable(st.real))
	st.lib.funcEnv = env
	return env
}

// loadLibrary runs lib's body in this interpreter, collecting what it
// registers. logf receives its redis.log lines (nil drops them). The body
// is stopped after timeout.
func (st *state) loadLibrary(lib *Library, timeout time.Duration, logf func(int, string)) (*libLoad, *Error) {
	L := st.L
	ld := &libLoad{cbs: make(map[string]*lua.LFunction)}
	st.loading = ld
	st.lib.loadHost.log = logf
	st.host = &st.lib.loadHost
	st.gmeta.RawSetString("__index", st.loadGlobals())
	fn := L.NewFunctionFromProto(lib.proto)
	fn.Env = st.globals
	timer := time.AfterFunc(timeout, func() {
		ld.mu.Lock()
		if !ld.done {
			ld.timed = true
			st.kill.cancel()
		}
		ld.mu.Unlock()
	})
	L.Push(fn)
	err := L.PCall(0, 0, st.namer)
	timer.Stop()
	ld.mu.Lock()
	ld.done = true
	timed := ld.timed
	ld.mu.Unlock()
	st.gmeta.RawSetString("__index", st.real)
	st.loading = nil
	st.host = nil
	st.lib.loadHost.log = nil
	if timed {
		// the interpreter's kill switch is spent; it must not be reused
		st.broken = true
	}
	if err != nil {
		L.SetTop(0)
		if timed {
			return nil, errf(errRegisterPrefix + errLoadTimeout)
		}
		if ae, ok := err.(*lua.ApiError); ok && ae.Type == lua.ApiErrorPanic {
			st.broken = true
		}
		return nil, errf(errRegisterPrefix + loadErrorText(err))
	}
	if len(ld.fns) == 0 {
		return nil, errf(errNoFunctions)
	}
	return ld, nil
}

// loadErrorText is the error a library body raised, as Redis reports it:
// a string gets ERR, an error table gives its err field.
func loadErrorText(err error) string {
	var obj lua.LValue = lua.LString(err.Error())
	if ae, ok := err.(*lua.ApiError); ok {
		obj = ae.Object
	}
	switch v := obj.(type) {
	case lua.LString:
		return "ERR " + translateRuntimeError(string(v))
	case lua.LNumber:
		return "ERR " + formatNumber(float64(v))
	case *lua.LTable:
		if s, ok := v.RawGetString("err").(lua.LString); ok {
			return string(s)
		}
	}
	return "ERR unknown error"
}

// raiseRegister raises an error from redis.register_function as Redis
// does: an error table without a position.
func raiseRegister(L *lua.LState, msg string) {
	t := L.NewTable()
	t.RawSetString("err", lua.LString("ERR "+msg))
	L.Error(t, 0)
}

// luaIsString is lua_isstring: strings and numbers.
func luaIsString(v lua.LValue) (string, bool) {
	switch x := v.(type) {
	case lua.LString:
		return string(x), true
	case lua.LNumber:
		return formatNumber(float64(x)), true
	}
	return "", false
}

// registerFunction is redis.register_function: (name, callback) or a
// table of named arguments (function_name, callback, flags, description).
func (st *state) registerFunction(L *lua.LState) int {
	ld := st.loading
	if ld == nil {
		raiseRegister(L, "redis.register_function can only be called on FUNCTION LOAD command")
	}
	f := &Function{}
	var cb *lua.LFunction
	switch L.GetTop() {
	case 1:
		t, ok := L.Get(1).(*lua.LTable)
		if !ok {
			raiseRegister(L, "calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).")
		}
		named := false
		for k, v := t.Next(lua.LNil); k != lua.LNil; k, v = t.Next(k) {
			key, ok := luaIsString(k)
			if !ok {
				raiseRegister(L, "named argument key given to redis.register_function is not a string")
			}
			switch {
			case strings.EqualFold(key, "function_name"):
				s, ok := luaIsString(v)
				if !ok {
					raiseRegister(L, "function_name argument given to redis.register_function must be a string")
				}
				f.Name, named = s, true
			case strings.EqualFold(key, "description"):
				s, ok := luaIsString(v)
				if !ok {
					raiseRegister(L, "description argument given to redis.register_function must be a string")
				}
				f.Description, f.HasDescription = s, true
			case strings.EqualFold(key, "callback"):
				fn, ok := v.(*lua.LFunction)
				if !ok {
					raiseRegister(L, "callback argument given to redis.register_function must be a function")
				}
				cb = fn
			case strings.EqualFold(key, "flags"):
				ft, ok := v.(*lua.LTable)
				if !ok {
					raiseRegister(L, "flags argument to redis.register_function must be a table representing function flags")
				}
				f.Flags = st.functionFlags(L, ft)
			default:
				raiseRegister(L, "unknown argument given to redis.register_function")
			}
		}
		if !named {
			raiseRegister(L, "redis.register_function must get a function name argument")
		}
		if cb == nil {
			raiseRegister(L, "redis.register_function must get a callback argument")
		}
	case 2:
		s, ok := luaIsString(L.Get(1))
		if !ok {
			raiseRegister(L, "first argument to redis.register_function must be a string")
		}
		fn, ok := L.Get(2).(*lua.LFunction)
		if !ok {
			raiseRegister(L, "second argument to redis.register_function must be a function")
		}
		f.Name, cb = s, fn
	default:
		raiseRegister(L, "wrong number of arguments to redis.register_function")
	}
	if !validName(f.Name) {
		raiseRegister(L, errBadName)
	}
	if _, dup := ld.cbs[f.Name]; dup {
		raiseRegister(L, "Function already exists in the library")
	}
	ld.cbs[f.Name] = cb
	ld.fns = append(ld.fns, f)
	return 0
}

// functionFlags reads a flags table's array part (t[1], t[2], ... up to
// the first nil); flag names compare without case.
func (st *state) functionFlags(L *lua.LState, t *lua.LTable) Flags {
	var flags Flags
	for i := 1; ; i++ {
		v := t.RawGetInt(i)
		if v == lua.LNil {
			return flags
		}
		s, ok := v.(lua.LString)
		if !ok {
			raiseRegister(L, "unknown flag given")
		}
		f, ok := flagByName(strings.ToLower(string(s)))
		if !ok {
			raiseRegister(L, "unknown flag given")
		}
		flags |= f
	}
}

// callbacks returns lib's callbacks in this interpreter, running the body
// here first if this interpreter has not seen the library (interpreters
// are pooled; each keeps its own copy of every library's closures).
func (st *state) callbacks(l *Libraries, lib *Library) (map[string]*lua.LFunction, *Error) {
	c := &st.lib
	if gen := l.gen.Load(); c.gen != gen {
		for old := range c.libs {
			if old.dead.Load() {
				delete(c.libs, old)
			}
		}
		c.gen = gen
	}
	if cbs := c.libs[lib]; cbs != nil {
		return cbs, nil
	}
	// The body already ran within the load timeout once and sees nothing
	// that could make it behave differently here; the longer bound only
	// guards against a host too slow to finish it in time.
	ld, err := st.loadLibrary(lib, 4*st.e.LoadTimeout, nil)
	if err != nil {
		return nil, err
	}
	st.keepCallbacks(lib, ld.cbs)
	return ld.cbs, nil
}

func (st *state) keepCallbacks(lib *Library, cbs map[string]*lua.LFunction) {
	if st.lib.libs == nil {
		st.lib.libs = make(map[*Library]map[string]*lua.LFunction)
	}
	st.lib.libs[lib] = cbs
}

// Call runs function fn (FCALL, FCALL_RO) with the given keys and
// arguments, which the callback receives as its two parameters. The reply
// and error contract is Run's; error positions read
// "script: <name>, on @user_function:N.". The server checks FCALL_RO's
// rule (CheckRO(fn.Flags)) and the other flags before calling.
func (e *Engine) Call(fn *Function, h Host, keys, args [][]byte, w *resp.Writer) *Error {
	st := e.get()
	defer e.put(st)
	cbs, err := st.callbacks(e.libs, fn.Library)
	if err != nil {
		return err
	}
	cb := cbs[fn.Name]
	if cb == nil {
		return errf(ErrFunctionNotFound)
	}
	params := [2]lua.LValue{st.stringTable(keys), st.stringTable(args)}
	st.gmeta.RawSetString("__index", st.funcGlobals())
	st.lib.keys, st.lib.args = keys, args
	rerr := st.run(cb, h, fn.Name, true, w, params[:])
	st.lib.keys, st.lib.args = nil, nil
	st.gmeta.RawSetString("__index", st.real)
	return rerr
}
