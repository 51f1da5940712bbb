package scripting

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	lua "github.com/yuin/gopher-lua"

	"petrel/internal/glob"
	"petrel/resp"
)

// Errors of the FUNCTION and FCALL commands, as Redis 7.0.15 words them.
const (
	ErrFunctionNotFound = "ERR Function not found"
	ErrLibraryNotFound  = "ERR Library not found"
	ErrFlushOption      = "ERR FUNCTION FLUSH only supports SYNC|ASYNC option"
	ErrRestorePolicy    = "ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE."
	ErrBadPayload       = "ERR DUMP payload version or checksum are wrong"
	ErrNoLibraryName    = "ERR library name argument was not given"
	// ErrBusyScript is the reply to commands a busy EVAL script blocks
	// (FUNCTION STATS, FUNCTION KILL...); ErrBusyFunction while a function
	// is the busy one.
	ErrBusyScript   = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."
	ErrBusyFunction = "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE."
)

// Library is a loaded function library. Its fields never change once it
// is registered; replacing a library registers a new one.
type Library struct {
	Name      string
	Code      string
	Functions []*Function // in name order
	proto     *lua.FunctionProto
	dead      atomic.Bool // no longer registered: interpreters drop its closures
}

// Function is a function a library registered.
type Function struct {
	Name           string
	Description    string
	HasDescription bool // description given (FUNCTION LIST shows null otherwise)
	Flags          Flags
	Library        *Library
}

// Libraries is the function library registry behind FUNCTION and FCALL.
// It is safe for concurrent use. Methods that fail return an *Error whose
// Msg is the whole error reply ("ERR Library not found"); the server
// replies with it through x.Error.
type Libraries struct {
	e   *Engine
	mu  sync.RWMutex
	set libSet
	gen atomic.Uint64 // bumped whenever a library stops being registered

	// Log receives the redis.log lines of library bodies as they load
	// (LogDebug..LogWarning). Set it before the registry is used.
	Log func(level int, msg string)
}

// libSet is a set of libraries and the functions they register. Library
// names are case-sensitive; function names are not, across libraries (a
// library may register two names differing in case, and the first one
// registered wins the lookup, as in Redis).
type libSet struct {
	libs  map[string]*Library
	funcs map[string]*Function // by foldName(name)
}

func newLibSet() libSet {
	return libSet{libs: make(map[string]*Library), funcs: make(map[string]*Function)}
}

func newLibraries(e *Engine) *Libraries { return &Libraries{e: e, set: newLibSet()} }

func (s *libSet) link(lib *Library) {
	s.libs[lib.Name] = lib
	for _, f := range lib.Functions {
		k := foldName(f.Name)
		if _, taken := s.funcs[k]; !taken {
			s.funcs[k] = f
		}
	}
}

func (s *libSet) unlink(lib *Library) {
	delete(s.libs, lib.Name)
	for _, f := range lib.Functions {
		k := foldName(f.Name)
		if s.funcs[k] == f {
			delete(s.funcs, k)
		}
	}
}

// conflict returns the error for a function of lib whose name another
// library in s already registers.
func (s *libSet) conflict(lib *Library) *Error {
	for _, f := range lib.Functions {
		if s.funcs[foldName(f.Name)] != nil {
			return errf("ERR Function " + f.Name + " already exists")
		}
	}
	return nil
}

// sorted returns the libraries in name order. (Redis lists them in the
// order of a hash table seeded at random when the server starts, so no
// order is Redis's; this one is at least stable.)
func (s *libSet) sorted() []*Library {
	out := make([]*Library, 0, len(s.libs))
	for _, lib := range s.libs {
		out = append(out, lib)
	}
	slices.SortFunc(out, func(a, b *Library) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// create compiles code and runs its body in st, giving the library it
// defines (not yet registered) and the closures it made there. exists
// reports whether a library of that name is registered where it would go;
// it is consulted before running anything, as Redis refuses an existing
// name (without REPLACE) first.
func (l *Libraries) create(st *state, code string, exists func(name string) bool) (*Library, map[string]*lua.LFunction, *Error) {
	name, body, err := libraryMeta(code)
	if err != nil {
		return nil, nil, err
	}
	if exists(name) {
		return nil, nil, errf("ERR Library '" + name + "' already exists")
	}
	proto, cerr := compile(body, "user_function")
	if cerr != nil {
		return nil, nil, errf("ERR Error compiling function: " + cerr.Error())
	}
	lib := &Library{Name: name, Code: code, proto: proto}
	ld, err := st.loadLibrary(lib, l.e.LoadTimeout, l.Log)
	if err != nil {
		return nil, nil, err
	}
	for _, f := range ld.fns {
		f.Library = lib
	}
	lib.Functions = ld.fns
	slices.SortStableFunc(lib.Functions, func(a, b *Function) int { return strings.Compare(a.Name, b.Name) })
	return lib, ld.cbs, nil
}

// Load is FUNCTION LOAD [REPLACE]: it creates the library code defines
// and registers it, replacing a library of the same name if replace is
// set. It returns the library's name, which FUNCTION LOAD replies with as
// a bulk string.
func (l *Libraries) Load(code []byte, replace bool) (string, *Error) {
	lib, err := l.load(string(code), replace)
	if err != nil {
		return "", err
	}
	return lib.Name, nil
}

// ParseLoadArgs reads FUNCTION LOAD's arguments (those after LOAD):
// [REPLACE] code.
func ParseLoadArgs(args [][]byte) (code []byte, replace bool, err *Error) {
	i := 0
	for ; i < len(args)-1; i++ {
		if !strings.EqualFold(string(args[i]), "replace") {
			return nil, false, errf("ERR Unknown option given: " + string(args[i]))
		}
		replace = true
	}
	if i >= len(args) {
		return nil, false, errf("ERR Function code is missing")
	}
	return args[i], replace, nil
}

// LoadCode registers a library read from an RDB file's FUNCTION2 record:
// the same as Load, error texts included (an *Error). It returns a plain
// error so that it fits rdb.FileHandler.Function as it is.
func (l *Libraries) LoadCode(code []byte, replace bool) error {
	if _, err := l.load(string(code), replace); err != nil {
		return err
	}
	return nil
}

func (l *Libraries) load(code string, replace bool) (*Library, *Error) {
	st := l.e.get()
	defer l.e.put(st)
	lib, cbs, err := l.create(st, code, func(name string) bool {
		if replace {
			return false
		}
		l.mu.RLock()
		defer l.mu.RUnlock()
		return l.set.libs[name] != nil
	})
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	old := l.set.libs[lib.Name]
	if old != nil && !replace {
		// registered by a concurrent load meanwhile
		return nil, errf("ERR Library '" + lib.Name + "' already exists")
	}
	if old != nil {
		l.set.unlink(old)
	}
	if err := l.set.conflict(lib); err != nil {
		if old != nil {
			l.set.link(old)
		}
		return nil, err
	}
	l.set.link(lib)
	if old != nil {
		old.dead.Store(true)
		l.gen.Add(1)
	}
	st.keepCallbacks(lib, cbs)
	return lib, nil
}

// Delete is FUNCTION DELETE: it unregisters the library of that exact
// name (the server replies +OK).
func (l *Libraries) Delete(name []byte) *Error {
	l.mu.Lock()
	defer l.mu.Unlock()
	lib := l.set.libs[string(name)]
	if lib == nil {
		return errf(ErrLibraryNotFound)
	}
	l.set.unlink(lib)
	lib.dead.Store(true)
	l.gen.Add(1)
	return nil
}

// Flush is FUNCTION FLUSH: it unregisters every library.
func (l *Libraries) Flush() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.swap(newLibSet())
}

// swap makes s the registered set. l.mu must be held.
func (l *Libraries) swap(s libSet) {
	for _, lib := range l.set.libs {
		lib.dead.Store(true)
	}
	l.set = s
	l.gen.Add(1)
}

// Lookup returns the function FCALL and FCALL_RO name (without regard to
// case), or nil (ErrFunctionNotFound).
func (l *Libraries) Lookup(name []byte) *Function {
	l.mu.RLock()
	f := l.set.funcs[foldName(string(name))]
	l.mu.RUnlock()
	return f
}

// Count returns how many libraries and functions are registered
// (FUNCTION STATS, INFO).
func (l *Libraries) Count() (libraries, functions int) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	// Redis counts every library's functions, names that differ only in
	// case included, though only one of those is reachable.
	for _, lib := range l.set.libs {
		functions += len(lib.Functions)
	}
	return len(l.set.libs), functions
}

// Memory estimates the bytes the registry holds (INFO used_memory_functions).
func (l *Libraries) Memory() int64 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	var n int64
	for _, lib := range l.set.libs {
		n += int64(len(lib.Code)) + 200
		for _, f := range lib.Functions {
			n += int64(len(f.Name)+len(f.Description)) + 100
		}
	}
	return n
}

// Libraries returns the registered libraries in name order, for RDB and
// AOF persistence (each library's Code is what a FUNCTION2 record or a
// FUNCTION LOAD command holds).
func (l *Libraries) Libraries() []*Library {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.set.sorted()
}

// Codes returns every registered library's code, in name order.
func (l *Libraries) Codes() []string {
	libs := l.Libraries()
	out := make([]string, len(libs))
	for i, lib := range libs {
		out[i] = lib.Code
	}
	return out
}

// ParseListArgs reads FUNCTION LIST's arguments (those after LIST):
// [WITHCODE] [LIBRARYNAME pattern] in any order. pattern is nil when none
// was given (a given empty pattern is an empty, non-nil slice, which
// matches nothing).
func ParseListArgs(args [][]byte) (pattern []byte, withCode bool, err *Error) {
	for i := 0; i < len(args); i++ {
		a := string(args[i])
		switch {
		case !withCode && strings.EqualFold(a, "withcode"):
			withCode = true
		case pattern == nil && strings.EqualFold(a, "libraryname"):
			if i == len(args)-1 {
				return nil, false, errf(ErrNoLibraryName)
			}
			i++
			pattern = args[i]
			if pattern == nil {
				pattern = []byte{}
			}
		default:
			return nil, false, errf("ERR Unknown argument " + a)
		}
	}
	return pattern, withCode, nil
}

// List writes FUNCTION LIST's reply: the libraries whose name matches
// pattern (without regard to case; nil for all), each a map of its name,
// engine, functions (name, description, flags) and, with withCode, code.
func (l *Libraries) List(w *resp.Writer, pattern []byte, withCode bool) {
	l.mu.RLock()
	libs := l.set.sorted()
	l.mu.RUnlock()
	if pattern != nil {
		kept := libs[:0]
		for _, lib := range libs {
			if glob.Match(pattern, []byte(lib.Name), true) {
				kept = append(kept, lib)
			}
		}
		libs = kept
	}
	w.WriteArrayLen(len(libs))
	for _, lib := range libs {
		if withCode {
			w.WriteMapLen(4)
		} else {
			w.WriteMapLen(3)
		}
		w.WriteBulkString("library_name")
		w.WriteBulkString(lib.Name)
		w.WriteBulkString("engine")
		w.WriteBulkString("LUA")
		w.WriteBulkString("functions")
		w.WriteArrayLen(len(lib.Functions))
		for _, f := range lib.Functions {
			w.WriteMapLen(3)
			w.WriteBulkString("name")
			w.WriteBulkString(f.Name)
			w.WriteBulkString("description")
			if f.HasDescription {
				w.WriteBulkString(f.Description)
			} else {
				w.WriteNull()
			}
			w.WriteBulkString("flags")
			names := f.Flags.Names()
			w.WriteSetLen(len(names))
			for _, n := range names {
				w.WriteSimple(n)
			}
		}
		if withCode {
			w.WriteBulkString("library_code")
			w.WriteBulkString(lib.Code)
		}
	}
}

// ArgvHost is an optional Host extension: Argv returns the command line
// of the client that called the running function (FCALL name numkeys
// ...), as FUNCTION STATS shows it. It is called from another goroutine
// than the function's, so it must only read what does not change during
// the call.
type ArgvHost interface {
	Argv() [][]byte
}

// Stats writes FUNCTION STATS' reply. A function is reported running only
// once it has run for busyAfter (busy-reply-threshold): before that Redis,
// which runs one command at a time, could not answer at all. When the busy
// execution is an EVAL script, Stats writes nothing and returns Redis's
// BUSY error instead.
func (l *Libraries) Stats(w *resp.Writer, busyAfter time.Duration) *Error {
	e := l.e
	var (
		running  bool
		name     string
		argv     [][]byte
		duration time.Duration
	)
	e.runMu.Lock()
	if r := e.oldestRun(); r != nil {
		if d := time.Since(e.born) - r.start; d >= busyAfter {
			if !r.function {
				e.runMu.Unlock()
				return errf(ErrBusyScript)
			}
			running, name, duration = true, r.name, d
			// the run's host and keys are set before it is listed and
			// cleared after it is removed, both under runMu
			if ah, ok := r.host.(ArgvHost); ok {
				argv = ah.Argv()
			} else {
				argv = fcallArgv(name, r.st.lib.keys, r.st.lib.args)
			}
		}
	}
	e.runMu.Unlock()
	libs, funcs := l.Count()
	w.WriteMapLen(2)
	w.WriteBulkString("running_script")
	if running {
		w.WriteMapLen(3)
		w.WriteBulkString("name")
		w.WriteBulkString(name)
		w.WriteBulkString("command")
		w.WriteArrayLen(len(argv))
		for _, a := range argv {
			w.WriteBulk(a)
		}
		w.WriteBulkString("duration_ms")
		w.WriteInt(duration.Milliseconds())
	} else {
		w.WriteNull()
	}
	w.WriteBulkString("engines")
	w.WriteMapLen(1)
	w.WriteBulkString("LUA")
	w.WriteMapLen(2)
	w.WriteBulkString("libraries_count")
	w.WriteInt(int64(libs))
	w.WriteBulkString("functions_count")
	w.WriteInt(int64(funcs))
	return nil
}

// fcallArgv rebuilds an FCALL command line for hosts without Argv.
func fcallArgv(name string, keys, args [][]byte) [][]byte {
	out := make([][]byte, 0, 3+len(keys)+len(args))
	out = append(out, []byte("FCALL"), []byte(name), strconv.AppendInt(nil, int64(len(keys)), 10))
	out = append(out, keys...)
	return append(out, args...)
}
