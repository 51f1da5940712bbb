package scripting

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	lua "github.com/yuin/gopher-lua"

	"petrel/internal/num"
	"petrel/resp"
)

// errKilled is what the VM sees once a run's kill context is cancelled.
var errKilled = &killError{}

type killError struct{}

// ErrKilledText is the error a killed script ends with (without its code
// and location).
const ErrKilledText = "Script killed by user with SCRIPT KILL..."

func (*killError) Error() string { return ErrKilledText }

// killCtx is a reusable context.Context: gopher-lua polls Done on every
// instruction, and cancel stops the run. Done is nil until then, not an
// open channel: a select on a nil channel falls through at once, where one
// on an open channel costs a few nanoseconds per instruction. A killed
// state is never reused, so a kill is for good.
//
// Every busyCheckEvery instructions Done also lists the run for other
// goroutines to find (runSlot) and looks at how long it has taken, as
// Redis's Lua hook does, marking the engine busy once it is past the
// threshold: other clients look for a busy script only then.
type killCtx struct {
	killed atomic.Bool
	st     *state
	ticks  uint32 // instructions polled; only the run's goroutine counts
	busy   bool   // this run counts in the engine's busyRuns
}

// busyCheckEvery is a power of two: a few hundred microseconds of Lua.
const busyCheckEvery = 1 << 14

// closedDone is the Done of every killed run; it never changes after init.
var closedDone = func() chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}()

func (k *killCtx) Deadline() (time.Time, bool) { return time.Time{}, false }
func (k *killCtx) Value(any) any               { return nil }
func (k *killCtx) Done() <-chan struct{} {
	if k.killed.Load() {
		return closedDone
	}
	if k.ticks++; k.ticks%busyCheckEvery == 0 {
		k.check()
	}
	return nil
}

// check lists a script's run for other goroutines to find (runSlot), and
// marks the engine busy once the run is past its threshold.
func (k *killCtx) check() {
	st := k.st
	e := st.e
	if st.slot.host == nil {
		return // not a script's run (a library's body, say)
	}
	if !st.slot.listed {
		e.listRun(st)
	}
	if k.busy || e.BusyThreshold == nil {
		return
	}
	limit := e.BusyThreshold()
	if limit > 0 && time.Since(e.born)-st.slot.start >= limit {
		k.busy = true
		e.becameBusy()
	}
}

func (k *killCtx) Err() error {
	if k.killed.Load() {
		return errKilled
	}
	return nil
}

func (k *killCtx) cancel() { k.killed.Store(true) }

var _ context.Context = (*killCtx)(nil)

// state is one pooled interpreter with Redis's environment.
type state struct {
	e       *Engine
	L       *lua.LState
	epoch   uint64
	broken  bool
	globals *lua.LTable // the table scripts see as _G: always empty, reads go to real
	real    *lua.LTable // the actual globals
	direct  *lua.LTable // real with the libraries themselves in place of their proxies
	gmeta   *lua.LTable // globals' metatable; its __index switches to loadReal while a library loads
	proxies map[*lua.LTable]*lua.LTable
	orders  tableOrders // the last traversals' orders (tableorder.go), for the run
	notes   tableNotes  // constructors' room, keys set to nil (tableorder.go), for the run
	scratch orderScratch
	libs    map[*lua.LTable]bool // the library tables behind proxies: read-only too
	strMeta *lua.LTable          // proxy of the string metatable, for getmetatable
	gview   *lua.LTable          // what getmetatable(_G) returns: Redis's __index only
	errh    *lua.LFunction
	namer   *lua.LFunction // pcall's message handler (nameError)
	fns     map[*Script]*lua.LFunction
	hoisted map[*lua.FunctionProto]*hoisted // the chunks in fns that read globals from upvalues
	through map[*lua.LFunction]bool         // functions a wrapper calls on (installBase)
	lib     libCache
	// the KEYS and ARGV tables in real and in direct
	realArgs, directArgs argTables
	// chunkNames: the names of the chunks loadstring made this run
	chunkNames map[*lua.FunctionProto]string

	// per run
	slot     runSlot
	kill     killCtx
	host     Host
	resp     int
	w        resp.Writer
	rr       resp.ReplyReader
	nums     numBox
	argv     [][]byte
	argOff   []int
	argBuf   []byte
	errLine  int
	errSrc   string
	loading  *libLoad // non-nil while a library's body runs
	numBuf   []byte
	depthErr bool
	cCalls   int // pcalls, xpcalls and coroutine resumes in progress
}

const roTableMsg = "Attempt to modify a readonly table"

func newState(e *Engine) *state {
	// Lua 5.1 (Redis's) lets a C function see 8000 stack slots and Lua
	// calls nest 20000 deep; gopher-lua's defaults are far lower, and its
	// stacks grow on demand up to these limits.
	L := lua.NewState(lua.Options{SkipOpenLibs: true, CallStackSize: 20000, RegistrySize: 1024,
		RegistryMaxSize: 1 << 20, MinimizeStackMemory: true})
	st := &state{e: e, L: L, proxies: make(map[*lua.LTable]*lua.LTable), libs: make(map[*lua.LTable]bool), fns: make(map[*Script]*lua.LFunction), hoisted: make(map[*lua.FunctionProto]*hoisted), through: make(map[*lua.LFunction]bool), resp: 2}
	st.w.Proto = 2
	st.kill.st = st
	for _, lib := range []struct {
		name string
		fn   lua.LGFunction
	}{{lua.BaseLibName, lua.OpenBase}, {lua.TabLibName, lua.OpenTable}, {lua.StringLibName, lua.OpenString}, {lua.MathLibName, lua.OpenMath}, {lua.CoroutineLibName, lua.OpenCoroutine}} {
		L.Push(L.NewFunction(lib.fn))
		L.Push(lua.LString(lib.name))
		L.Call(1, 0)
	}
	G := L.G.Global
	for _, name := range []string{"dofile", "loadfile", "print", "getfenv", "setfenv", "newproxy", "module", "require", "_GOPHER_LUA_VERSION", "package", "_printregs", "channel"} {
		G.RawSetString(name, lua.LNil)
	}
	st.installBase(G)
	fixLibraryArgs(L, G)
	if co, ok := G.RawGetString("coroutine").(*lua.LTable); ok {
		st.fixCoroutine(co)
	}
	G.RawSetString("redis", st.redisTable(false))
	G.RawSetString("cjson", openCjson(L))
	G.RawSetString("cmsgpack", openCmsgpack(L))
	G.RawSetString("bit", openBit(L))
	G.RawSetString("struct", openStruct(L))
	st.errh = L.NewFunction(st.errHandler)
	st.namer = L.NewFunction(st.nameError)
	G.RawSetString("__redis__err__handler", st.errh)

	// Move everything into real and make G an empty proxy of it, so every
	// assignment (even to an existing name) reaches __newindex.
	real, direct := L.NewTable(), L.NewTable()
	G.ForEach(func(k, v lua.LValue) { real.RawSet(k, v); direct.RawSet(k, v) })
	for _, name := range []string{"string", "table", "math", "coroutine", "redis", "cjson", "cmsgpack", "bit", "struct"} {
		lib := real.RawGetString(name).(*lua.LTable)
		st.libs[lib] = true
		real.RawSetString(name, st.proxy(lib))
	}
	keys := make([]lua.LValue, 0, 64)
	G.ForEach(func(k, _ lua.LValue) { keys = append(keys, k) })
	for _, k := range keys {
		G.RawSet(k, lua.LNil)
	}
	real.RawSetString("_G", G)
	realMeta := L.NewTable()
	missing := L.NewFunction(nonexistentGlobal)
	realMeta.RawSetString("__index", missing)
	st.gview = L.NewTable()
	st.gview.RawSetString("__index", missing)
	realMeta.RawSetString("__newindex", L.NewFunction(readonlyNewIndex))
	L.SetMetatable(real, realMeta)
	L.SetMetatable(direct, realMeta)
	st.gmeta = L.NewTable()
	st.gmeta.RawSetString("__index", real)
	st.gmeta.RawSetString("__newindex", L.NewFunction(readonlyNewIndex))
	L.SetMetatable(G, st.gmeta)
	st.proxies[G] = real
	st.globals, st.real, st.direct = G, real, direct
	if mt, ok := L.GetMetatable(lua.LString("")).(*lua.LTable); ok {
		// getmetatable shows Redis's string metatable: __index only
		view := L.NewTable()
		view.RawSetString("__index", mt.RawGetString("__index"))
		st.strMeta = st.proxy(view)
		for event, fn := range stringArithFns {
			mt.RawSetString(event, fn)
		}
	}
	L.SetContext(&st.kill)
	return st
}

// proxy returns an empty read-only stand-in for t.
func (st *state) proxy(t *lua.LTable) *lua.LTable {
	p := st.L.NewTable()
	mt := st.L.NewTable()
	mt.RawSetString("__index", t)
	mt.RawSetString("__newindex", st.L.NewFunction(readonlyNewIndex))
	st.L.SetMetatable(p, mt)
	st.proxies[p] = t
	return p
}

// target returns the table behind a proxy, or t itself.
func (st *state) target(t *lua.LTable) *lua.LTable {
	if r, ok := st.proxies[t]; ok {
		if t == st.globals {
			if idx, ok := st.gmeta.RawGetString("__index").(*lua.LTable); ok {
				return idx
			}
		}
		return r
	}
	return t
}

func readonlyNewIndex(L *lua.LState) int {
	L.RaiseError(roTableMsg)
	return 0
}

func nonexistentGlobal(L *lua.LState) int {
	L.RaiseError("Script attempted to access nonexistent global variable '%s'", lua.LVAsString(L.Get(2)))
	return 0
}

// roError raises Redis's readonly error without a position, as Redis's
// C-level checks do.
func roError(L *lua.LState) {
	L.Error(lua.LString(roTableMsg), 0)
}

// isReadonly reports whether v is a table scripts may not change: a proxy,
// or a library table a script reads directly (see envDirect).
func (st *state) isReadonly(v lua.LValue) bool {
	t, ok := v.(*lua.LTable)
	if !ok {
		return false
	}
	_, ok = st.proxies[t]
	return ok || st.libs[t]
}

// installBase adds and replaces base functions to match Redis's Lua.
func (st *state) installBase(G *lua.LTable) {
	L := st.L
	base := func(name string) lua.LValue { return G.RawGetString(name) }
	// through marks the gopher-lua functions a wrapper calls on with its
	// arguments: their argument errors name the wrapper's caller.
	through := func(orig lua.LValue) *lua.LFunction {
		f := orig.(*lua.LFunction)
		st.through[f] = true
		return f
	}
	wrapRO := func(orig lua.LValue) lua.LGFunction {
		f := through(orig)
		return func(L *lua.LState) int {
			if st.isReadonly(L.Get(1)) {
				roError(L)
			}
			return callThrough(L, f)
		}
	}
	wrapRead := func(orig lua.LValue) lua.LGFunction {
		f := through(orig)
		return func(L *lua.LState) int {
			if t, ok := L.Get(1).(*lua.LTable); ok {
				if r := st.target(t); r != t {
					L.Replace(1, r)
				}
			}
			return callThrough(L, f)
		}
	}
	set := func(t *lua.LTable, name string, fn lua.LGFunction) { t.RawSetString(name, L.NewFunction(fn)) }
	rawset := wrapRO(base("rawset"))
	set(G, "rawset", func(L *lua.LState) int {
		t := checkTable(L, 1)
		for i := 2; i <= 3; i++ {
			if L.GetTop() < i {
				argError(L, i, "value expected") // luaL_checkany
			}
		}
		// Lua's own checks of the key, raised from C: no position.
		switch k := L.Get(2).(type) {
		case *lua.LNilType:
			L.Error(lua.LString("table index is nil"), 0)
		case lua.LNumber:
			if k != k {
				L.Error(lua.LString("table index is NaN"), 0)
			}
		}
		rawset(L)
		L.Push(t) // Lua 5.1's rawset returns its table
		return 1
	})
	setmt := wrapRO(base("setmetatable"))
	set(G, "setmetatable", func(L *lua.LState) int {
		// Lua 5.1 takes only tables; gopher-lua would also change the
		// metatable of a userdata such as cjson.null, shared by every
		// interpreter.
		checkTable(L, 1)
		// a missing argument is none, not nil
		if mt := L.Get(2).Type(); L.GetTop() < 2 || mt != lua.LTNil && mt != lua.LTTable {
			argError(L, 2, "nil or table expected")
		}
		if L.GetMetaField(L.Get(1), "__metatable") != lua.LNil {
			libRaise(L, "cannot change a protected metatable")
		}
		return setmt(L)
	})
	set(G, "tonumber", luaToNumber)
	set(G, "select", luaSelect)
	set(G, "rawget", wrapRead(base("rawget")))
	next := wrapRead(base("next"))
	luaNext := func(L *lua.LState) int {
		if t, ok := L.Get(1).(*lua.LTable); ok {
			t = st.target(t)
			k := L.Get(2)
			if k != lua.LNil && t.RawGet(k) == lua.LNil {
				if has, ok := tableHasSlot(t, k); ok && !has {
					L.Error(lua.LString("invalid key to 'next'"), 0)
				}
			}
			if key, value, ok := st.orderedNext(t, k); ok {
				L.Push(key)
				if key == lua.LNil {
					return 1
				}
				L.Push(value)
				return 2
			}
		}
		return next(L)
	}
	set(G, "next", luaNext)
	// pairs gives a next of its own, as Lua's does
	pairsNext := L.NewFunction(luaNext)
	set(G, "pairs", func(L *lua.LState) int {
		checkTable(L, 1)
		L.Push(pairsNext)
		L.Push(L.Get(1))
		L.Push(lua.LNil)
		return 3
	})
	unpack := wrapRead(base("unpack"))
	set(G, "unpack", func(L *lua.LState) int {
		// Lua 5.1's range is two C ints, and it refuses a count that
		// overflows or that would fill its frame past LUAI_MAXCSTACK.
		t := checkTable(L, 1)
		i, e := int32(optInteger(L, 2, 1)), int32(0)
		if L.Get(3) == lua.LNil {
			e = int32(st.target(t).Len())
		} else {
			e = checkInt(L, 3)
		}
		if i > e {
			return 0
		}
		if n := e - i + 1; n <= 0 || int(n)+L.GetTop() > luaMaxCStack {
			libRaise(L, "too many results to unpack")
		}
		L.SetTop(1)
		L.Push(lua.LNumber(i))
		L.Push(lua.LNumber(e))
		return unpack(L)
	})
	set(G, "ipairs", wrapRead(base("ipairs")))
	getmt := through(base("getmetatable"))
	set(G, "getmetatable", func(L *lua.LState) int {
		v := L.Get(1)
		if _, ok := v.(lua.LString); ok && st.strMeta != nil {
			L.Push(st.strMeta)
			return 1
		}
		if st.isReadonly(v) {
			// Redis's read-only tables have no metatable, except the
			// globals, whose __index raises the nonexistent-global error.
			if v == st.globals {
				L.Push(st.gview)
			} else {
				L.Push(lua.LNil)
			}
			return 1
		}
		return callThrough(L, getmt)
	})
	set(G, "pcall", st.pcall)
	set(G, "xpcall", st.xpcall)
	set(G, "loadstring", st.loadstring)
	load := through(base("load"))
	set(G, "load", func(L *lua.LState) int {
		if L.Get(1).Type() != lua.LTFunction {
			typeError(L, 1, "function")
		}
		return callThrough(L, load)
	})
	set(G, "tostring", luaToString)
	set(G, "gcinfo", func(L *lua.LState) int { L.Push(lua.LNumber(60)); return 1 })
	set(G, "collectgarbage", collectGarbage)

	tbl := G.RawGetString("table").(*lua.LTable)
	set(tbl, "remove", func(L *lua.LState) int { return tableRemove(L, st.isReadonly(L.Get(1))) })
	set(tbl, "sort", func(L *lua.LState) int { return tableSort(L, st.isReadonly(L.Get(1))) })
	set(tbl, "insert", func(L *lua.LState) int { return tableInsert(L, st.isReadonly(L.Get(1))) })
	set(tbl, "concat", func(L *lua.LState) int { return tableConcat(L, st.target) })
	set(tbl, "getn", wrapRead(tbl.RawGetString("getn")))
	set(tbl, "maxn", func(L *lua.LState) int { return tableMaxn(L, st.target) })
	set(tbl, "setn", tableSetn)
	set(tbl, "foreach", func(L *lua.LState) int { return tableForeach(L, st, false) })
	set(tbl, "foreachi", func(L *lua.LState) int { return tableForeach(L, st, true) })

	str := G.RawGetString("string").(*lua.LTable)
	set(str, "find", luaStrFind)
	set(str, "match", luaStrMatch)
	set(str, "gmatch", luaStrGmatch)
	set(str, "gsub", luaStrGsub)
	str.RawSetString("gfind", str.RawGetString("gmatch"))
	set(str, "dump", func(L *lua.LState) int {
		L.CheckFunction(1)
		L.RaiseError("unable to dump given function")
		return 0
	})

	set(str, "format", luaStringFormat)
	set(str, "char", luaStringChar)
	set(str, "upper", luaStringCase(true))
	set(str, "lower", luaStringCase(false))
	set(G, "error", luaError)
	set(G, "assert", luaAssert)

	m := G.RawGetString("math").(*lua.LTable)
	if systemLibm {
		for name, f := range libm1 {
			set(m, name, func(L *lua.LState) int {
				L.Push(lua.LNumber(f(checkNumber(L, 1))))
				return 1
			})
		}
		for name, f := range libm2 {
			set(m, name, func(L *lua.LState) int {
				y := checkNumber(L, 2) // the second first, as Redis's build reads them
				L.Push(lua.LNumber(f(checkNumber(L, 1), y)))
				return 1
			})
		}
	} else {
		// Go's math package, where it differs from glibc's put right
		m.RawSetString("log", L.NewFunction(luaLog))
		m.RawSetString("cosh", L.NewFunction(luaCosh))
		m.RawSetString("acos", L.NewFunction(luaAcos))
		set(m, "sinh", luaSinh)
		for _, name := range []string{"fmod", "log", "sin", "cos", "tan", "cosh"} {
			set(m, name, glibcNaN(through(m.RawGetString(name)), nanNeg, false))
		}
		set(m, "atan2", glibcNaN(through(m.RawGetString("atan2")), nanNeg, true))
		for _, name := range []string{"asin", "acos"} {
			set(m, name, glibcNaN(through(m.RawGetString(name)), nanPos, false))
		}
		set(m, "log10", luaLog10)
	}
	set(m, "pow", func(L *lua.LState) int {
		y := checkNumber(L, 2) // the second first, as Redis's build reads them
		L.Push(lua.LNumber(numPow(checkNumber(L, 1), y)))
		return 1
	})
	set(m, "deg", luaDeg)
	set(m, "rad", luaRad)
	set(m, "ldexp", luaLdexp)
	set(m, "modf", luaModf)
	set(m, "max", func(L *lua.LState) int { return mathExtreme(L, func(d, best float64) bool { return d > best }) })
	set(m, "min", func(L *lua.LState) int { return mathExtreme(L, func(d, best float64) bool { return d < best }) })
	m.RawSetString("mod", m.RawGetString("fmod"))
	m.RawSetString("huge", lua.LNumber(math.Inf(1))) // gopher-lua's is the largest finite number
	set(m, "random", st.e.mathRandom)
	set(m, "randomseed", st.e.mathRandomseed)
}

// callThrough calls a Lua-visible function with the current arguments and
// returns all its results.
func callThrough(L *lua.LState, f *lua.LFunction) int {
	n := L.GetTop()
	L.Insert(f, 1)
	L.Call(n, lua.MultRet)
	return L.GetTop()
}

func tableForeach(L *lua.LState, st *state, indexed bool) int {
	t := st.target(L.CheckTable(1))
	f := L.CheckFunction(2)
	call := func(k, v lua.LValue) (lua.LValue, bool) {
		L.Push(f)
		L.Push(k)
		L.Push(v)
		L.Call(2, 1)
		r := L.Get(-1)
		L.Pop(1)
		return r, r != lua.LNil
	}
	if indexed {
		n := t.Len()
		for i := 1; i <= n; i++ {
			if r, stop := call(lua.LNumber(i), t.RawGetInt(i)); stop {
				L.Push(r)
				return 1
			}
		}
		return 0
	}
	k, v := t.Next(lua.LNil)
	for k != lua.LNil {
		if r, stop := call(k, v); stop {
			L.Push(r)
			return 1
		}
		k, v = t.Next(k)
	}
	return 0
}

// luaToString is tostring with Lua 5.1's "%.14g" for numbers.
func luaToString(L *lua.LState) int {
	v := L.CheckAny(1)
	if n, ok := v.(lua.LNumber); ok {
		L.Push(lua.LString(formatNumber(float64(n))))
		return 1
	}
	if v == cjsonNull {
		L.Push(lua.LString("userdata: (nil)"))
		return 1
	}
	// Lua 5.1 calls whatever __tostring holds; gopher-lua skips what it
	// cannot call.
	if tm := L.GetMetaField(v, "__tostring"); tm != lua.LNil {
		if !callable(L, tm) {
			L.Error(uncallable(tm), 0)
		}
		// Its result, whatever it is, as luaL_callmeta leaves it.
		L.Push(tm)
		L.Push(v)
		L.Call(1, 1)
		return 1
	}
	L.Push(lua.LString(L.ToStringMeta(v).String()))
	return 1
}

// formatNumber formats n as Lua 5.1's tostring does ("%.14g"; NaN as C's
// printf spells the default NaN).
func formatNumber(n float64) string {
	var scratch [32]byte
	return string(appendNumber(scratch[:0], n))
}

// appendNumber appends n as formatNumber prints it.
func appendNumber(dst []byte, n float64) []byte {
	if math.IsNaN(n) {
		if math.Signbit(n) {
			return append(dst, "-nan"...)
		}
		return append(dst, "nan"...)
	}
	if math.IsInf(n, 0) {
		if n > 0 {
			return append(dst, "inf"...)
		}
		return append(dst, "-inf"...)
	}
	if n == math.Trunc(n) && math.Abs(n) < 1e14 { // %.14g prints at most 14 digits
		if n == 0 && math.Signbit(n) {
			return append(dst, "-0"...)
		}
		return strconv.AppendInt(dst, int64(n), 10)
	}
	return num.AppendG(dst, n, 14)
}

func collectGarbage(L *lua.LState) int {
	opt := L.OptString(1, "collect")
	switch opt {
	case "count":
		L.Push(lua.LNumber(60))
		return 1
	case "step":
		L.Push(lua.LFalse)
		return 1
	case "collect", "stop", "restart", "setpause", "setstepmul":
		L.Push(lua.LNumber(0))
		return 1
	}
	L.ArgError(1, "invalid option '"+opt+"'")
	return 0
}

// Lua 5.1 counts the calls it makes from C (nCcalls): the script's own
// call is the first, and a call that makes the count maxCCalls fails with
// errCStack, or past an eighth more with errErrorHandling. pcall, xpcall
// and coroutine.resume count here; without the bound, pcalls nested
// thousands deep ran for minutes (SCRIPT KILL included) and could
// overflow Go's stack.
const (
	maxCCalls        = 200
	errCStack        = "C stack overflow"
	errErrorHandling = "error in error handling"
)

// enterCCall counts a call pcall or xpcall makes, or returns Lua's error
// for one nested too deep. The caller undoes the count when the call ends.
func (st *state) enterCCall() (errMsg string, ok bool) {
	switch level := 1 + st.cCalls + 1; {
	case level == maxCCalls:
		return errCStack, false
	case level >= maxCCalls+maxCCalls/8:
		return errErrorHandling, false
	}
	st.cCalls++
	return "", true
}

// pcall is Redis's: an error table with an err field comes back as the
// err string.
func (st *state) pcall(L *lua.LState) int {
	if msg, ok := st.enterCCall(); !ok {
		return failure(L, lua.LString(msg))
	}
	defer func() { st.cCalls-- }()
	n := L.GetTop()
	if n == 0 {
		// Redis's pcall puts its result's placeholder, true, before the
		// arguments and calls what is first: with none, that is true.
		return failure(L, uncallable(lua.LTrue))
	}
	if f := L.Get(1); !callable(L, f) {
		return failure(L, uncallable(f))
	}
	if err := L.PCall(n-1, lua.MultRet, st.namer); err != nil {
		obj := st.caught(L, err)
		if t, ok := obj.(*lua.LTable); ok {
			// Redis's pcall gives a table's err field in its place when
			// that is a string (or number); otherwise the field it read
			// stays on its stack and is returned after the table.
			switch ev := t.RawGetString("err").(type) {
			case lua.LString, lua.LNumber:
				obj = ev
			default:
				n := failure(L, obj)
				L.Push(ev)
				return n + 1
			}
		} else if s, ok := obj.(lua.LString); ok {
			obj = lua.LString(translateRuntimeError(string(s)))
		}
		return failure(L, obj)
	}
	L.Insert(lua.LTrue, 1)
	return L.GetTop()
}

// caught returns the error value of a call pcall or xpcall caught, unless
// it is the script's kill, which it raises again: a killed script must not
// be able to catch its kill.
func (st *state) caught(L *lua.LState, err error) lua.LValue {
	if st.kill.killed.Load() {
		L.Error(lua.LString(errKilled.Error()), 0)
	}
	if ae, ok := err.(*lua.ApiError); ok {
		return ae.Object
	}
	return lua.LString(err.Error())
}

// failure returns pcall's or xpcall's result for a failed call: false and
// the error value.
func failure(L *lua.LState, errValue lua.LValue) int {
	L.SetTop(0)
	L.Push(lua.LFalse)
	L.Push(errValue)
	return 2
}

// uncallable is the error of calling v from C code (pcall and xpcall),
// which Lua gives no position.
func uncallable(v lua.LValue) lua.LString {
	return lua.LString("attempt to call " + article(v.Type().String()) + " value")
}

// xpcall is Lua 5.1's xpcall(f, handler): f runs with no arguments, and
// an error reaches handler worded as Lua words it (nameRuntimeError).
func (st *state) xpcall(L *lua.LState) int {
	L.CheckAny(2)
	L.SetTop(2)
	f, handler := L.Get(1), L.Get(2)
	L.SetTop(0)
	switch msg, ok := st.enterCCall(); {
	case !ok && msg == errCStack: // raised where the handler runs
		return failure(L, st.handleError(L, handler, lua.LString(msg)))
	case !ok:
		return failure(L, lua.LString(msg))
	}
	defer func() { st.cCalls-- }()
	if !callable(L, f) {
		return failure(L, st.handleError(L, handler, uncallable(f)))
	}
	wrapped := L.NewFunction(func(L *lua.LState) int {
		msg := st.wordError(L, L.Get(1))
		if s, ok := msg.(lua.LString); ok {
			msg = lua.LString(translateRuntimeError(string(s)))
		}
		// raised, not returned: see nameError
		L.Error(st.handleError(L, handler, msg), 0)
		return 0
	})
	L.Push(f)
	if err := L.PCall(0, lua.MultRet, wrapped); err != nil {
		return failure(L, st.caught(L, err))
	}
	L.Insert(lua.LTrue, 1)
	return L.GetTop()
}

// maxHandlerCalls is how many times xpcall's handler is called for one
// error: Lua 5.1 calls it again with the error it raises itself, until the
// C stack limit makes that errErrorHandling.
const maxHandlerCalls = maxCCalls

// handleError calls xpcall's handler with msg and returns what it returns,
// as Lua 5.1's luaG_errormsg does.
func (st *state) handleError(L *lua.LState, handler, msg lua.LValue) lua.LValue {
	fn, ok := handler.(*lua.LFunction)
	if !ok {
		return lua.LString(errErrorHandling)
	}
	for range maxHandlerCalls {
		L.Push(fn)
		L.Push(msg)
		err := L.PCall(1, 1, st.namer)
		if err == nil {
			v := L.Get(-1)
			L.Pop(1)
			return v
		}
		msg = st.caught(L, err)
	}
	return lua.LString(errErrorHandling)
}

// callable reports whether Lua can call v: a function, or a value with a
// __call metamethod.
func callable(L *lua.LState, v lua.LValue) bool {
	if _, ok := v.(*lua.LFunction); ok {
		return true
	}
	return L.GetMetaField(v, "__call") != lua.LNil
}

// nameError is the message handler of pcall, of xpcall's handler and of a
// library's loading: it words a runtime error as Lua 5.1 does while the
// erroring frame is still there to read. It raises the result rather than
// returning it. gopher-lua closes the open upvalues of the frames a caught
// error unwinds only when the error is raised with no handler active, and
// it counts none active while the handler itself runs; returned, a closure
// made in the failed call would keep reading registers later code reuses.
func (st *state) nameError(L *lua.LState) int {
	L.Error(st.wordError(L, L.Get(1)), 0)
	return 0
}

// wordError returns an error value as Lua 5.1 words it (nameRuntimeError);
// it marks the interpreter broken when the error is a Go panic inside
// gopher-lua, which a message handler receives as an ordinary error: the
// interpreter may be left inconsistent, so it goes once the run ends.
func (st *state) wordError(L *lua.LState, v lua.LValue) lua.LValue {
	msg, ok := v.(lua.LString)
	if !ok {
		return v
	}
	for _, panicText := range []string{"runtime error: ", "lua callstack overflow", "should not reach here"} {
		if strings.Contains(string(msg), panicText) {
			st.broken = true
		}
	}
	return lua.LString(st.nameRuntimeError(L, string(msg)))
}

// errHandler records where an error was raised: the erroring function, or
// its caller when that is a Go function (redis.call, error, ...).
func (st *state) errHandler(L *lua.LState) int {
	st.errLine, st.errSrc = 0, ""
	L.Push(st.wordError(L, L.Get(1)))
	for level := 1; level <= 3; level++ { // 3: past a wrapper of a gopher-lua function
		dbg, ok := L.GetStack(level)
		if !ok {
			break
		}
		f, err := L.GetInfo("Slf", dbg, lua.LNil)
		if err != nil {
			break
		}
		if dbg.What == "G" || dbg.CurrentLine < 0 {
			continue
		}
		st.errLine, st.errSrc = dbg.CurrentLine, "@"+dbg.Source
		if fn, ok := f.(*lua.LFunction); ok && fn.Proto != nil {
			if name, ok := st.chunkNames[fn.Proto]; ok {
				st.errSrc = name
			}
		}
		break
	}
	return 1
}

// scriptFn returns s's function in this interpreter.
func (st *state) scriptFn(s *Script) *lua.LFunction {
	if fn := st.fns[s]; fn != nil {
		return fn
	}
	// Closures the script makes inherit its environment; loadstring's
	// chunks always get the proxy (the state's own Env).
	env, globals := st.direct, st.direct
	switch s.env {
	case envProxy:
		env, globals = st.globals, st.real
	case envReal:
		env, globals = st.real, st.real
	}
	var fn *lua.LFunction
	if s.hoist != nil {
		if fn = s.hoist.function(st.L, env, globals, st.target, st.isReadonly); fn != nil {
			st.hoisted[s.hoist.proto] = s.hoist
		}
	}
	if fn == nil {
		fn = st.L.NewFunctionFromProto(s.proto)
	}
	fn.Env = env
	st.fns[s] = fn
	return fn
}

// hoistedOf returns how p, a chunk this interpreter runs, reads globals
// from upvalues, or nil.
func (st *state) hoistedOf(p *lua.FunctionProto) *hoisted { return st.hoisted[p] }

// setKeysArgv gives the script's globals its KEYS and ARGV. They stay there
// after the run, until the next script refills them: removing them would
// delete and re-add two map entries per run, and functions, which must not
// see them, read other globals (funcGlobals).
func (st *state) setKeysArgv(s *Script, fn *lua.LFunction, keys, args [][]byte) {
	env := fn.Env
	if env == st.globals {
		env = st.real // the proxy reads them there
	}
	at := &st.realArgs
	if env == st.direct {
		at = &st.directArgs
	}
	at.keys.set(st, env, "KEYS", keys)
	at.argv.set(st, env, "ARGV", args)
	if s.hoist != nil && fn.Proto == s.hoist.proto {
		s.hoist.setArgs(fn, at.keys.t, at.argv.t)
	}
}

// argTables are the KEYS and ARGV tables of one globals table.
type argTables struct{ keys, argv argTable }

// argTable is a KEYS or ARGV table, refilled in place by the next run: a
// script cannot keep a reference past its run (it has no globals of its own
// and no upvalues survive it), so only what the last run did to the table
// needs undoing.
type argTable struct {
	t *lua.LTable
	n int // elements the last run was given
}

// maxRefilled bounds the tables kept for refilling, so one huge call does
// not leave a huge table in a pooled interpreter.
const maxRefilled = 256

func (a *argTable) set(st *state, env *lua.LTable, name string, items [][]byte) {
	if !a.refill(items) {
		a.t = st.stringTable(items)
		env.RawSetString(name, a.t)
	}
	a.n = len(items)
}

// refill puts items in the table in place, reporting false (a new table is
// needed) when the last run changed it beyond its elements' values: a
// metatable, keys past its elements, a last element removed, or a size past
// maxRefilled.
func (a *argTable) refill(items [][]byte) bool {
	t := a.t
	if t == nil || t.Metatable != lua.LNil || a.n > maxRefilled || len(items) > maxRefilled {
		return false
	}
	var after lua.LValue = lua.LNil // Next(nil) is the first key
	if a.n > 0 {
		// Next from a.n finds what follows only while the table still
		// reaches a.n (table.remove shortens it)
		if t.RawGetInt(a.n) == lua.LNil {
			return false
		}
		after = lua.LNumber(a.n)
	}
	if k, _ := t.Next(after); k != lua.LNil {
		return false
	}
	for i, b := range items {
		if s, ok := t.RawGetInt(i + 1).(lua.LString); !ok || string(s) != string(b) {
			t.RawSetInt(i+1, lua.LString(b))
		}
	}
	for i := len(items) + 1; i <= a.n; i++ {
		if t.RawGetInt(i) != lua.LNil {
			t.RawSetInt(i, lua.LNil)
		}
	}
	return true
}

func (st *state) stringTable(items [][]byte) *lua.LTable {
	t := st.L.CreateTable(len(items), 0)
	for i, b := range items {
		t.RawSetInt(i+1, lua.LString(b))
	}
	return t
}

// run calls fn (already given its arguments by the caller through extra,
// pushed after fn) and turns the outcome into a reply or an *Error.
// protectedCall calls the function pushed with its n arguments. gopher-lua can
// panic past its own protected call (an error raised while its stack is
// exhausted): that becomes the script's error, and the interpreter, left in
// an unknown state, is thrown away instead of going back to the pool.
func (st *state) protectedCall(n int) (err error) {
	defer func() {
		if r := recover(); r != nil {
			st.broken = true
			msg := fmt.Sprint(r)
			if strings.Contains(msg, "callstack overflow") || strings.Contains(msg, "registry overflow") {
				msg = "stack overflow" // what Lua 5.1 says when its stacks run out
			}
			err = &lua.ApiError{Type: lua.ApiErrorRun, Object: lua.LString(msg)}
		}
	}()
	return st.L.PCall(n, 1, st.errh)
}

func (st *state) run(fn *lua.LFunction, h Host, name string, function bool, w *resp.Writer, args []lua.LValue) *Error {
	L := st.L
	st.host, st.resp = h, 2
	// Where the last error was raised: an error whose handler cannot run
	// (the call stack is full) must not report an earlier run's place.
	st.errLine, st.errSrc = 0, ""
	clear(st.chunkNames) // a chunk cannot outlive the run that loaded it
	st.e.startRun(st, h, name, function)
	L.Push(fn)
	for _, a := range args {
		L.Push(a)
	}
	err := st.protectedCall(len(args))
	st.e.endRun(st)
	killed := st.kill.killed.Load()
	if killed {
		st.broken = true
	}
	st.host = nil
	if err != nil {
		L.SetTop(0)
		return st.scriptError(err, name, killed)
	}
	v := L.Get(-1)
	L.Pop(1)
	if t, ok := v.(*lua.LTable); ok {
		// a returned {err=...} is the command's error reply
		if es, ok := t.RawGetString("err").(lua.LString); ok {
			return &Error{Msg: errorReplyText(es), Counted: errorCounted(t)}
		}
	}
	st.writeValue(w, v, 0)
	return nil
}

// scriptError composes Redis's text for a script that raised an error.
func (st *state) scriptError(err error, name string, killed bool) *Error {
	ae, ok := err.(*lua.ApiError)
	var obj lua.LValue = lua.LString(err.Error())
	if ok {
		obj = ae.Object
		if ae.Type == lua.ApiErrorPanic {
			st.broken = true
		}
	}
	out := &Error{}
	var msg string
	switch {
	case killed:
		msg = "ERR " + errKilled.Error()
	default:
		if t, isT := obj.(*lua.LTable); isT {
			switch ev := t.RawGetString("err").(type) {
			case lua.LString:
				msg = cString(string(ev))
			case lua.LNumber:
				msg = formatNumber(float64(ev))
			default:
				msg = "ERR unknown error"
			}
			out.Counted = errorCounted(t)
		} else if text := luaString(obj); text == "lua callstack overflow" && st.errSrc != "" {
			// gopher-lua's words, without a position, for Lua's own error
			msg = "ERR " + strings.TrimPrefix(st.errSrc, "@") + ":" + strconv.Itoa(st.errLine) + ": stack overflow"
		} else {
			msg = "ERR " + translateRuntimeError(cString(text))
		}
	}
	if st.errLine > 0 || st.errSrc != "" {
		msg += " script: " + name + ", on " + st.errSrc + ":" + strconv.Itoa(st.errLine) + "."
	}
	out.Msg = msg
	return out
}

// luaString is tostring for an error object.
func luaString(v lua.LValue) string {
	switch x := v.(type) {
	case lua.LString:
		return string(x)
	case lua.LNumber:
		return formatNumber(float64(x))
	case *lua.LNilType:
		return "nil"
	}
	return v.String()
}

// translateRuntimeError rewrites gopher-lua's wording of common runtime
// errors into Lua 5.1's.
func translateRuntimeError(s string) string {
	prefix, body := splitPosition(s)
	switch {
	case strings.HasPrefix(body, "cannot perform concat operation between "):
		rest := body[len("cannot perform concat operation between "):]
		l, r, _ := strings.Cut(rest, " and ")
		bad := l
		if l == "string" || l == "number" {
			bad = r
		}
		return prefix + "attempt to concatenate " + article(bad) + " value"
	case strings.HasPrefix(body, "cannot perform "):
		rest := body[len("cannot perform "):]
		if _, ops, ok := strings.Cut(rest, " operation between "); ok {
			// Lua 5.1 names the first operand unless it converts to a
			// number; a string beside a number is one that does not.
			l, r, _ := strings.Cut(ops, " and ")
			bad := l
			if (l == "number" || l == "string") && r != "number" {
				bad = r
			}
			return prefix + "attempt to perform arithmetic on " + article(bad) + " value"
		}
	case strings.HasPrefix(body, "attempt to index a non-table object("):
		rest := body[len("attempt to index a non-table object("):]
		if typ, _, ok := strings.Cut(rest, ")"); ok {
			return prefix + "attempt to index " + article(typ) + " value"
		}
	case body == gopherCall:
		return prefix + "attempt to call a nil value"
	case strings.HasPrefix(body, "for statement "):
		// gopher-lua's "for statement init must be a number"
		switch what, rest, _ := strings.Cut(body[len("for statement "):], " "); what {
		case "init":
			return prefix + "'for' initial value " + rest
		case "limit", "step":
			return prefix + "'for' " + what + " " + rest
		}
	case strings.HasSuffix(body, " in table for concat"):
		return prefix + strings.TrimSuffix(body, "concat") + "'concat'"
	case strings.HasPrefix(body, "bad argument #"):
		// gopher-lua's "bad argument #1 to select (...)": Lua 5.1 quotes
		// the function's name, and calls a nameless one '?'.
		num, rest, ok := strings.Cut(body[len("bad argument #"):], " to ")
		name, why, ok2 := strings.Cut(rest, " (")
		if ok && ok2 && !strings.HasPrefix(name, "'") {
			if name == "(anonymous)" {
				name = "?"
			}
			return prefix + "bad argument #" + num + " to '" + name + "' (" + why
		}
	}
	return s
}

func article(typ string) string {
	if typ == "" {
		return "a"
	}
	return "a " + typ
}
