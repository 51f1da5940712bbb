package scripting

import (
	"crypto/sha1"
	"encoding/hex"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/ast"
	"github.com/yuin/gopher-lua/parse"

	"petrel/resp"
)

// Error replies the server sends for commands a script may not run; the host
// writes them from Call and the engine adds the script position.
const (
	ErrUnknownCommand = "ERR Unknown Redis command called from script"
	ErrWrongArity     = "ERR Wrong number of args calling Redis command from script"
	ErrNotAllowed     = "ERR This Redis command is not allowed from script"
	ErrWriteInRO      = "ERR Write commands are not allowed from read-only scripts."
	ErrNoScript       = "NOSCRIPT No matching script. Please use EVAL."
	ErrWriteFlagRO    = "ERR Can not execute a script with write flag using *_ro command."
	ErrNoArgs         = "ERR Please specify at least one argument for this redis lib call"
	ErrArgType        = "ERR Lua redis lib command arguments must be strings or integers"
)

// Log levels of redis.log, as the Host receives them.
const (
	LogDebug   = 0
	LogVerbose = 1
	LogNotice  = 2
	LogWarning = 3
)

// Replication flags of redis.set_repl.
const (
	ReplNone  = 0
	ReplAOF   = 1
	ReplSlave = 2
	ReplAll   = 3
)

// Version is what redis.REDIS_VERSION says.
const Version = "7.0.15"

// versionNum is redis.REDIS_VERSION_NUM: 0x00MMmmpp.
const versionNum = 7<<16 | 0<<8 | 15

// Host runs the commands of a script; see the package documentation.
type Host interface {
	Call(w *resp.Writer, args [][]byte)
	Log(level int, msg string)
	SetRepl(flags int)
}

// RunTracker is an optional Host interface: Started receives the id of the
// execution the host serves as it starts, the id Kill takes, so a host can
// stop its own script (or tell another client which one runs).
type RunTracker interface {
	Started(id uint64)
}

// Error is a reply a script or function produced as an error. Msg carries
// its code ("ERR ...", "WRONGTYPE ..."). Counted is true when the error is a
// command's error reply that the server already counted in errorstats.
type Error struct {
	Msg     string
	Counted bool
}

func (e *Error) Error() string { return e.Msg }

func errf(msg string) *Error { return &Error{Msg: msg} }

// Script is a compiled EVAL script.
type Script struct {
	SHA     string // lowercase hex SHA1 of Body
	Body    string
	Flags   Flags
	Shebang bool // the body starts with a #! line
	proto   *lua.FunctionProto
	hoist   *hoisted // proto with its globals read from upvalues, if any
	env     scriptEnv
}

// scriptEnv is the globals table a script runs in. Redis's globals and
// libraries are read-only: Petrel gives scripts empty proxies whose
// metatables refuse writes and pass reads on, at the price of two more
// table lookups per access. A script whose code cannot write to a table
// it did not make is given the tables themselves.
type scriptEnv uint8

const (
	// envDirect: the globals table with the libraries in it, for a script
	// with no table or global assignment in its code and no way to run
	// code that has one (loadstring, load, _G).
	envDirect scriptEnv = iota
	// envReal: the globals table with the libraries' proxies, for a script
	// that assigns to tables but never to a global; an assignment to a
	// name it lacks still reaches __newindex and fails.
	envReal
	// envProxy: the empty proxy of the globals, for a script that assigns
	// a global somewhere (which always fails, as in Redis).
	envProxy
)

// Engine holds the script cache, the function libraries and a pool of Lua
// interpreters. It is safe for concurrent use.
type Engine struct {
	mu      sync.RWMutex
	scripts map[string]*Script
	memory  int64 // bytes of cached script bodies

	poolMu sync.Mutex
	pool   []*state
	epoch  uint64 // bumped by Flush: pooled states drop their compiled functions

	rngMu sync.Mutex
	rng   uint64

	runMu   sync.Mutex
	runs    []*runSlot
	nextRun atomic.Uint64
	born    time.Time // runs' start times are kept as durations since born

	libs *Libraries

	// busyRuns counts the executions past BusyThreshold. Every command
	// reads it (Busy): it has a cache line of its own, away from what runs
	// write.
	_        [64]byte
	busyRuns atomic.Int32
	_        [60]byte

	// busyMu guards busyCh, which BusySignal hands out and the first run
	// past the threshold closes.
	busyMu sync.Mutex
	busyCh chan struct{}

	// LoadTimeout bounds how long loading a library's body may run.
	LoadTimeout time.Duration
	// BusyThreshold returns how long an execution runs before Busy reports
	// it (busy-reply-threshold); nil, or 0 and below, is never.
	BusyThreshold func() time.Duration
}

// Busy reports whether an execution has run past BusyThreshold, noticed
// within a few hundred microseconds of Lua: only then need other clients
// look at Running. It is a read of a word no run writes until then.
func (e *Engine) Busy() bool { return e.busyRuns.Load() > 0 }

// BusySignal returns a channel that is closed once an execution is past
// BusyThreshold: at once if one is now. A command waiting for keys a
// script holds stops waiting then, to be refused as Redis refuses it.
func (e *Engine) BusySignal() <-chan struct{} {
	e.busyMu.Lock()
	defer e.busyMu.Unlock()
	if e.Busy() {
		return closedDone
	}
	if e.busyCh == nil {
		e.busyCh = make(chan struct{})
	}
	return e.busyCh
}

// becameBusy counts a run past its threshold and wakes BusySignal's
// waiters.
func (e *Engine) becameBusy() {
	e.busyRuns.Add(1)
	e.busyMu.Lock()
	if e.busyCh != nil {
		close(e.busyCh)
		e.busyCh = nil
	}
	e.busyMu.Unlock()
}

// NewEngine returns an empty engine.
func NewEngine() *Engine {
	e := &Engine{scripts: make(map[string]*Script), rng: rand48Seed, LoadTimeout: 500 * time.Millisecond, born: time.Now()}
	e.libs = newLibraries(e)
	return e
}

// SHA1Hex returns the lowercase hex SHA1 of b, as scripts are named.
func SHA1Hex(b []byte) string {
	sum := sha1.Sum(b)
	return hex.EncodeToString(sum[:])
}

// Load compiles body (EVAL, SCRIPT LOAD) unless a script with its SHA1 is
// cached, and caches it.
func (e *Engine) Load(body []byte) (*Script, *Error) {
	sha := SHA1Hex(body)
	e.mu.RLock()
	s := e.scripts[sha]
	e.mu.RUnlock()
	if s != nil {
		return s, nil
	}
	s = &Script{SHA: sha, Body: string(body)}
	code := s.Body
	if strings.HasPrefix(code, "#!") {
		flags, rest, err := parseShebang(code)
		if err != nil {
			return nil, err
		}
		s.Flags, s.Shebang, code = flags, true, rest
	} else {
		s.Flags = FlagEvalCompat
	}
	proto, err := compile(code, "user_script")
	if err != nil {
		return nil, errf("ERR Error compiling script (new function): " + err.Error())
	}
	s.proto = proto
	s.env = envFor(proto)
	s.hoist = hoistGlobals(proto)
	e.mu.Lock()
	if old := e.scripts[sha]; old != nil {
		s = old
	} else {
		e.scripts[sha] = s
		e.memory += int64(len(s.Body))
	}
	e.mu.Unlock()
	return s, nil
}

// Lookup returns the cached script with the given SHA1 (any case), or nil.
func (e *Engine) Lookup(sha string) *Script { return lookupSHA(e, sha) }

// LookupBytes is Lookup for a SHA1 given as bytes (EVALSHA's argument): the
// common, lowercase case looks them up without copying them to a string.
func (e *Engine) LookupBytes(sha []byte) *Script { return lookupSHA(e, sha) }

func lookupSHA[T string | []byte](e *Engine, sha T) *Script {
	if len(sha) != 40 {
		return nil
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	if s := e.scripts[string(sha)]; s != nil {
		return s
	}
	return e.scripts[strings.ToLower(string(sha))]
}

// Exists reports whether a script is cached (SCRIPT EXISTS).
func (e *Engine) Exists(sha string) bool { return e.Lookup(sha) != nil }

// Flush empties the script cache (SCRIPT FLUSH).
func (e *Engine) Flush() {
	e.mu.Lock()
	e.scripts = make(map[string]*Script)
	e.memory = 0
	e.mu.Unlock()
	e.poolMu.Lock()
	e.epoch++
	e.poolMu.Unlock()
}

// Count returns how many scripts are cached (INFO number_of_cached_scripts).
func (e *Engine) Count() int {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return len(e.scripts)
}

// Memory estimates the bytes the script cache holds (INFO used_memory_scripts).
func (e *Engine) Memory() int64 {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.memory + int64(len(e.scripts))*200
}

// Functions returns the function library registry.
func (e *Engine) Functions() *Libraries { return e.libs }

// compile parses and compiles Lua source, giving errors in Lua 5.1's
// "name:line: message" form.
func compile(code, name string) (*lua.FunctionProto, error) {
	return compileNamed(code, name, name)
}

// compileNamed is compile for a chunk whose compile errors call it errName
// (loadstring's, shortened with more room than its runtime name).
func compileNamed(code, name, errName string) (*lua.FunctionProto, error) {
	// Lua 5.1's own checker first: gopher-lua words errors differently and
	// accepts code Lua refuses. loadstring's chunks compile one C call
	// deeper than a script's, which counts against Lua's nesting limit.
	depth := 1
	if name == "user_script" || name == "user_function" {
		depth = 0
	}
	src, msg, bad := luaCheck(code, errName, depth)
	if bad {
		return nil, plainError(msg)
	}
	code = src.code
	chunk, err := parseRewritten(code, errName, src.gotoAs, src.lines)
	if err != nil {
		return nil, syntaxError(err, errName, strings.Count(code, "\n")+1)
	}
	proto, err := lua.Compile(chunk, name)
	if err != nil {
		return nil, syntaxError(err, errName, strings.Count(code, "\n")+1)
	}
	fixScopes(proto, code, src.gotoAs, name)
	loadHidden(proto)
	fixZeroConstants(proto, src.zeroSigns)
	// The chunk has no "arg" local (Redis's neither), yet gopher-lua would
	// build Lua 5.0's arg table for it on every call: a map allocation per
	// script run for nothing. Nested vararg functions keep theirs, as in Redis.
	proto.IsVarArg &^= lua.VarArgNeedsArg
	return proto, nil
}

// parseRewritten parses code, as luaCheck gave it, with gopher-lua's
// parser, and rewrites the tree for Lua 5.1's meaning: goto a name again
// (renameGoto), Lua's lines (applyLuaLines, unless lines is nil), the
// operations of rewrite.go.
func parseRewritten(code, name, gotoAs string, lines *luaLines) ([]ast.Stmt, error) {
	chunk, err := parse.Parse(strings.NewReader(code), name)
	if err != nil {
		return nil, err
	}
	if gotoAs != "" {
		renameGoto(chunk, gotoAs)
	}
	if lines != nil {
		applyLuaLines(chunk, lines)
	}
	rewriteStmts(chunk)
	return chunk, nil
}

// envFor reads a compiled script's code, its nested functions' included,
// and picks the fastest environment that keeps every table read-only.
func envFor(p *lua.FunctionProto) scriptEnv {
	env := envDirect
	for _, inst := range p.Code {
		switch int(inst >> 26) { // the opcode: an instruction's 6 high bits
		case lua.OP_SETGLOBAL:
			return envProxy
		case lua.OP_SETTABLE, lua.OP_SETTABLEKS:
			env = envReal
		case lua.OP_GETGLOBAL:
			// A library table reached through other code could be
			// written there.
			bx := int(inst & 0x3ffff)
			if bx < len(p.Constants) {
				switch lua.LVAsString(p.Constants[bx]) {
				case "_G", "loadstring", "load", "getfenv", "setfenv":
					env = envReal
				}
			}
		}
	}
	for _, sub := range p.FunctionPrototypes {
		env = max(env, envFor(sub))
	}
	return env
}

// Run executes s with the given keys and arguments; see the package
// documentation for the reply and error contract.
func (e *Engine) Run(s *Script, h Host, keys, args [][]byte, w *resp.Writer) *Error {
	st := e.get()
	defer e.put(st)
	fn := st.scriptFn(s)
	st.setKeysArgv(s, fn, keys, args)
	return st.run(fn, h, s.SHA, false, w, nil)
}

// runSlot is the bookkeeping of one execution in progress. An execution
// is listed in Engine.runs, where SCRIPT KILL, FUNCTION STATS, BUSY and
// shutdown find it, only once it has run busyCheckEvery instructions: a
// short one, nearly every one, touches nothing other loops share. Redis
// could not see such a run either, since it serves no other command while
// a script runs until the script is past busy-reply-threshold.
//
// The running goroutine writes the fields before it lists the slot and
// clears host after unlisting it, both under runMu, which others read
// them under.
type runSlot struct {
	id       uint64 // given when listed
	name     string
	function bool
	start    time.Duration // since the engine's birth: one monotonic clock read
	st       *state
	host     Host
	listed   bool // in Engine.runs; only the running goroutine reads it
}

// Running describes an execution in progress.
type Running struct {
	ID       uint64
	Name     string // the script's SHA1 or the function's name
	Function bool
	Start    time.Time
	Host     Host // the host the execution runs its commands through
}

// Running returns the oldest listed execution in progress, if any.
func (e *Engine) Running() (Running, bool) {
	e.runMu.Lock()
	defer e.runMu.Unlock()
	r := e.oldestRun()
	if r == nil {
		return Running{}, false
	}
	return Running{ID: r.id, Name: r.name, Function: r.function, Start: e.born.Add(r.start), Host: r.host}, true
}

// oldestRun is the listed execution that started first, or nil; the
// caller holds runMu. Executions are listed in the order they reach their
// first check, not the order they started.
func (e *Engine) oldestRun() *runSlot {
	var oldest *runSlot
	for _, r := range e.runs {
		if oldest == nil || r.start < oldest.start {
			oldest = r
		}
	}
	return oldest
}

// Kill stops execution id if it is still running, reporting whether it was.
func (e *Engine) Kill(id uint64) bool {
	e.runMu.Lock()
	defer e.runMu.Unlock()
	for _, r := range e.runs {
		if r.id == id {
			r.st.kill.cancel()
			return true
		}
	}
	return false
}

// KillAll stops every execution in progress (shutdown).
func (e *Engine) KillAll() {
	e.runMu.Lock()
	defer e.runMu.Unlock()
	for _, r := range e.runs {
		r.st.kill.cancel()
	}
}

func (e *Engine) startRun(st *state, h Host, name string, function bool) {
	slot := &st.slot
	slot.name, slot.function, slot.start, slot.st, slot.host = name, function, time.Since(e.born), st, h
}

// listRun makes st's execution visible to other goroutines, with an id its
// host learns first (RunTracker), so that a kill that finds it can tell it
// from a later run of the same host.
func (e *Engine) listRun(st *state) {
	slot := &st.slot
	slot.id = e.nextRun.Add(1)
	if t, ok := slot.host.(RunTracker); ok {
		t.Started(slot.id)
	}
	e.runMu.Lock()
	e.runs = append(e.runs, slot)
	e.runMu.Unlock()
	slot.listed = true
}

func (e *Engine) endRun(st *state) {
	if st.slot.listed {
		e.runMu.Lock()
		if i := slices.Index(e.runs, &st.slot); i >= 0 {
			e.runs = slices.Delete(e.runs, i, i+1)
		}
		st.slot.host, st.slot.listed = nil, false // others read host under runMu
		e.runMu.Unlock()
	} else {
		st.slot.host = nil
	}
	if st.kill.busy {
		st.kill.busy = false
		e.busyRuns.Add(-1)
	}
}

// maxPooled bounds the idle interpreters kept.
const maxPooled = 64

func (e *Engine) get() *state {
	e.poolMu.Lock()
	epoch := e.epoch
	if n := len(e.pool); n > 0 {
		st := e.pool[n-1]
		e.pool[n-1] = nil
		e.pool = e.pool[:n-1]
		e.poolMu.Unlock()
		if st.epoch != epoch {
			clear(st.fns)
			clear(st.hoisted)
			st.epoch = epoch
		}
		return st
	}
	e.poolMu.Unlock()
	st := newState(e)
	st.epoch = epoch
	return st
}

func (e *Engine) put(st *state) {
	st.orders = tableOrders{}
	clear(st.notes)
	if st.broken || !st.clean() {
		st.L.Close()
		return
	}
	e.poolMu.Lock()
	if len(e.pool) < maxPooled {
		e.pool = append(e.pool, st)
		e.poolMu.Unlock()
		return
	}
	e.poolMu.Unlock()
	st.L.Close()
}

// clean reports whether a state may go back to the pool. The read-only
// proxies cannot be written through any function the sandbox offers, so a
// state that neither panicked nor was killed is reusable.
func (st *state) clean() bool { return !st.broken }
