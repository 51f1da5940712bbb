package scripting

import (
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// Lua 5.1's coroutine library refuses and reports in its own words where
// gopher-lua's uses others ("cannot resume dead coroutine", "Lua function
// expected"), and its coroutine.wrap puts the caller's position before an
// error it passes on, as auxwrap does. These functions check what Lua 5.1
// checks, then leave the running of threads to gopher-lua's.

// A thread's errors are worded as Lua 5.1 words them when they are
// raised (threadPanic), since the erroring frame is gone by the time
// resume returns. gopher-lua gives a thread its own raising function when
// the thread starts, so a coroutine starts at once, in a trampoline that
// yields before it calls the body: the first resume's arguments reach the
// body as yield's results. It does not tail-call the body: gopher-lua
// would then show the body twice to error(msg, 2).
const coroutineTrampoline = `local yield = ...
local function pass(...) return ... end
return function(f) return function() return pass(f(yield())) end end`

// coroutineChunk names the trampoline's chunk. Its frame, at the bottom
// of a coroutine's stack, is not the script's: error positions skip it, as
// Lua 5.1 has no frame there (luaWhere).
const coroutineChunk = "petrel coroutine"

// coStatus is Lua 5.1's costatus: th as seen from L, the running thread. A
// thread that resumed, directly or not, the one running is "normal".
func coStatus(L, th *lua.LState) string {
	switch {
	case th.Dead:
		return "dead"
	case th == L:
		return "running"
	}
	for p := L.Parent; p != nil; p = p.Parent {
		if p == th {
			return "normal"
		}
	}
	return "suspended"
}

// errYieldAcross is Lua 5.1's refusal of a yield outside a coroutine, or
// from below a call made by C: it has no position, as C raises it.
const errYieldAcross = "attempt to yield across metamethod/C-call boundary"

// yieldable reports whether L may yield: only a running coroutine may,
// and Lua 5.1 cannot yield across a call that C makes (pcall, table.sort,
// tostring's __tostring) or that the VM makes from C (metamethods, for-in
// iterators), where gopher-lua can.
func yieldable(L *lua.LState) bool {
	if L.Parent == nil {
		return false
	}
	dbg, ok := L.GetStack(0)
	if !ok {
		return true
	}
	calls, ok := callersCall(dbg)
	return calls || !ok
}

// checkCoroutine returns argument 1, which must be a coroutine.
func checkCoroutine(L *lua.LState) *lua.LState {
	th, ok := L.Get(1).(*lua.LState)
	if !ok {
		L.ArgError(1, "coroutine expected")
	}
	return th
}

// fixCoroutine replaces create, resume, yield, status and wrap in co,
// gopher-lua's coroutine table.
func (st *state) fixCoroutine(co *lua.LTable) {
	L := st.L
	create, okc := co.RawGetString("create").(*lua.LFunction)
	resume, okr := co.RawGetString("resume").(*lua.LFunction)
	yield, oky := co.RawGetString("yield").(*lua.LFunction)
	if !okc || !okr || !oky || !create.IsG || !resume.IsG {
		return
	}
	chunk, err := L.Load(strings.NewReader(coroutineTrampoline), coroutineChunk)
	if err != nil {
		return
	}
	L.Push(chunk)
	L.Push(yield)
	L.Call(1, 1)
	trampoline := L.Get(-1)
	L.Pop(1)
	newCoroutine := func(L *lua.LState) *lua.LState {
		if fn, ok := L.Get(1).(*lua.LFunction); !ok || fn.IsG {
			L.ArgError(1, "Lua function expected")
		}
		L.SetTop(1)
		L.Insert(trampoline, 1)
		L.Call(1, 1) // the trampoline's closure of the body
		// gopher-lua would give the thread a context derived from its
		// creator's: one goroutine per coroutine until it ends (killCtx
		// is not a standard context), and a coroutine that outlives its
		// creator cancelled with it. The thread gets the script's own.
		ctx := L.RemoveContext()
		create.GFunction(L)
		if ctx != nil {
			L.SetContext(ctx)
		}
		th := L.Get(-1).(*lua.LState)
		th.SetContext(&st.kill)
		L.SetTop(0)
		L.Push(th)
		resume.GFunction(L) // up to the trampoline's yield
		L.SetTop(0)
		th.Panic = st.threadPanic
		return th
	}
	// resumeThread is auxresume for the thread at index 1 and the
	// arguments after it: it leaves true and the results, or false and
	// the error, and returns how many values.
	resumeThread := func(L *lua.LState) int {
		th := checkCoroutine(L)
		if status := coStatus(L, th); status != "suspended" {
			return failure(L, lua.LString("cannot resume "+status+" coroutine"))
		}
		if 1+st.cCalls >= maxCCalls { // lua_resume checks before it counts
			return failure(L, lua.LString(errCStack))
		}
		st.cCalls++
		defer func() { st.cCalls-- }()
		return resume.GFunction(L)
	}
	co.RawSetString("yield", L.NewFunction(func(L *lua.LState) int {
		if !yieldable(L) {
			L.Error(lua.LString(errYieldAcross), 0)
		}
		return yield.GFunction(L)
	}))
	co.RawSetString("status", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LString(coStatus(L, checkCoroutine(L))))
		return 1
	}))
	co.RawSetString("create", L.NewFunction(func(L *lua.LState) int {
		L.Push(newCoroutine(L))
		return 1
	}))
	co.RawSetString("resume", L.NewFunction(resumeThread))
	co.RawSetString("wrap", L.NewFunction(func(L *lua.LState) int {
		th := newCoroutine(L)
		L.Push(L.NewFunction(func(L *lua.LState) int {
			L.Insert(th, 1)
			n := resumeThread(L)
			first := L.GetTop() - n + 1
			if L.Get(first) == lua.LTrue {
				return n - 1
			}
			msg := L.Get(first + 1)
			switch msg.(type) {
			case lua.LString, lua.LNumber:
				msg = lua.LString(luaWhere(L, 1) + luaString(msg))
			}
			L.Error(msg, 0)
			return 0
		}))
		return 1
	}))
}

// threadPanic raises an error in a coroutine, worded as Lua 5.1 words it
// while the erroring frame still exists (nameRuntimeErrorAt).
func (st *state) threadPanic(T *lua.LState) {
	msg := T.Get(-1)
	if s, ok := msg.(lua.LString); ok {
		msg = lua.LString(st.nameRuntimeErrorAt(T, string(s), 0))
	}
	panic(&lua.ApiError{Type: lua.ApiErrorRun, Object: msg})
}
