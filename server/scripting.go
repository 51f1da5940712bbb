package server

import (
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"petrel/internal/num"
	"petrel/resp"
	"petrel/scripting"
	"petrel/store"
)

// Lua scripts: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT, on package
// scripting (the Lua side). A script runs as one command: the shards of the
// keys it declares (KEYS) are locked for its whole run, and every command it
// calls runs on a fake client of its own against those locks, as queued
// commands run inside EXEC.
//
// Undeclared keys. Redis lets a script outside cluster mode touch keys it
// did not declare. The first run of a script (by SHA1) locks every shard
// and notes how far the script reached (scriptReach): within the shards of
// its KEYS, within the database it started in, or beyond. Afterwards it
// runs on the locks of what it reached: its KEYS' shards, or every shard of
// its database (job queues build their job keys from ARGV: a database's
// 256 locks cost a sixteenth of every database's). If such a script later
// reaches a shard it does not hold (its keys depend on data):
//   - if it has written nothing yet, it is stopped and run again from the
//     start with every shard locked (nothing it did is visible: reads have
//     no effect), and it is no longer trusted to stay within its KEYS;
//   - if it has written already, it cannot start again: the missing shard is
//     locked now. A shard above every one it holds is simply waited for (the
//     ascending lock order still holds); one below is only tried, for up to
//     undeclaredLockWait, since waiting could deadlock with a command that
//     holds it and waits for ours. If it stays busy the command fails with an
//     error the script sees, after the script's earlier writes: the one case
//     where a script is not atomic, and only for a script whose undeclared
//     keys depend on data after a first run that did not touch them.
// INFO petrel's scripts_undeclared_keys_fallbacks counts both.
//
// Effects: the script's commands propagate as their own effects, wrapped in
// MULTI/EXEC with the rest of the script's (Redis 7's effects replication);
// EVAL itself is never written to the AOF.

// undeclaredLockWait bounds the wait for a shard a script did not declare
// and can only take out of order.
const undeclaredLockWait = time.Second

// Reply texts of the scripting commands.
const (
	errNumKeysNegative = "ERR Number of keys can't be negative"
	errNumKeysTooMany  = "ERR Number of keys can't be greater than number of args"
	errNotBusy         = "NOTBUSY No scripts in execution right now."
	errUnkillable      = "UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command."
	errBusyScript      = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."
	errBusyFunction    = "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE."
	errUndeclaredBusy  = "ERR Script attempted to access a key it did not declare, after writing, and another client held it; declare every key in KEYS"
)

// scriptState is the server's scripting state.
type scriptState struct {
	engine *scripting.Engine

	knownMu   sync.RWMutex
	known     map[string]scriptReach // by SHA1 (functions by "f:" and name)
	nUndecl   atomic.Int32           // known scripts that reach beyond their KEYS
	fallbacks atomic.Int64           // runs that locked beyond their KEYS

	fakes  sync.Pool // *Client for scripts' commands
	hosts0 sync.Pool // *scriptHost

	// stopOnBusy is engine.BusySignal, made once: a lock wait that a busy
	// script ends (lockUnlessBusy)
	stopOnBusy func() <-chan struct{}
}

func (ss *scriptState) init(busyThreshold func() time.Duration) {
	ss.engine = scripting.NewEngine()
	ss.engine.BusyThreshold = busyThreshold
	ss.stopOnBusy = ss.engine.BusySignal
	ss.known = make(map[string]scriptReach)
}

// scriptReach is how far a script's runs have been seen to reach, which
// decides the locks its next run takes; the zero value is nothing known.
type scriptReach uint8

const (
	reachUnknown  scriptReach = iota
	reachDeclared             // the shards of its KEYS
	reachDB                   // the database it starts in
	reachAll                  // other databases, or commands over all of them
)

// lockMode is the lock mode of a run of a script that reached r.
func (r scriptReach) lockMode() LockMode {
	switch r {
	case reachDeclared:
		return LockKeys
	case reachDB:
		return LockDB
	}
	return LockAll
}

// reach is what is known of the script (by lowercase SHA1) so far.
func (ss *scriptState) reach(sha []byte) scriptReach {
	ss.knownMu.RLock()
	r := ss.known[string(sha)]
	ss.knownMu.RUnlock()
	return r
}

// learn records how far a run reached. The known reach only widens.
func (ss *scriptState) learn(sha string, r scriptReach) {
	// Nearly every run confirms what is known: a read lock, not a write
	// lock every client's runs would queue on.
	ss.knownMu.RLock()
	old := ss.known[sha]
	ss.knownMu.RUnlock()
	if r <= old {
		return
	}
	ss.knownMu.Lock()
	if old = ss.known[sha]; r > old {
		ss.known[sha] = r
		if old <= reachDeclared && r > reachDeclared {
			ss.nUndecl.Add(1)
		}
	}
	ss.knownMu.Unlock()
}

// evalKeyPositions is 3, 4, 5, ...: evalKeys returns a prefix of it, capped
// so that no append can write into it, instead of allocating on every call.
var evalKeyPositions = func() []int {
	p := make([]int, 64)
	for i := range p {
		p[i] = 3 + i
	}
	return p
}()

// evalKeys is EVAL's key positions: numkeys keys after the numkeys argument.
// The result is read-only.
func evalKeys(args [][]byte) []int {
	if len(args) < 3 {
		return nil
	}
	n, ok := num.ParseInt(args[2])
	if !ok || n < 0 || n > int64(len(args)-3) {
		return nil
	}
	if n <= int64(len(evalKeyPositions)) {
		return evalKeyPositions[:n:n]
	}
	out := make([]int, n)
	for i := range out {
		out[i] = 3 + i
	}
	return out
}

// evalLockMode locks the declared keys of a script known to stay within
// them, and everything for the others (a first run learns which it is).
func evalLockMode(s *Server, args [][]byte) LockMode {
	if len(args) < 2 {
		return LockKeys
	}
	var buf [40]byte
	var sha []byte
	if len(args[0]) >= 7 && strEqFold(args[0][:7], "evalsha") {
		if len(args[1]) != len(buf) {
			return LockAll // no such script: the handler says so
		}
		sha = buf[:]
		for i, c := range args[1] {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			sha[i] = c
		}
	} else {
		sha = append(buf[:0], scripting.SHA1Hex(args[1])...)
	}
	return s.scripts.reach(sha).lockMode()
}

func cmdEval(x *Ctx)      { evalCommand(x, false, false) }
func cmdEvalsha(x *Ctx)   { evalCommand(x, true, false) }
func cmdEvalRo(x *Ctx)    { evalCommand(x, false, true) }
func cmdEvalshaRo(x *Ctx) { evalCommand(x, true, true) }

// numKeysArg reads EVAL's and FCALL's numkeys (the third argument), or
// replies with Redis's error.
func numKeysArg(x *Ctx) (int, bool) {
	n, ok := num.ParseInt(x.Args[2])
	switch {
	case !ok:
		x.Error(ErrNotInt)
		return 0, false
	case n < 0:
		x.Error(errNumKeysNegative)
		return 0, false
	case n > int64(len(x.Args)-3):
		x.Error(errNumKeysTooMany)
		return 0, false
	}
	return int(n), true
}

// monitorScript shows a script's command to MONITOR before the commands
// the script runs, as Redis's EVAL and FCALL do: the command table's
// skip-monitor flag keeps it from the usual feed, which follows a command.
func monitorScript(x *Ctx) {
	if !x.rerun && !x.c.loader && x.s.hasMonitors() {
		x.s.feedMonitors(x.c, x.Args)
	}
}

func evalCommand(x *Ctx, bySHA, ro bool) {
	monitorScript(x)
	e := x.s.scripts.engine
	if bySHA && len(x.Args[1]) != 40 {
		x.Error(scripting.ErrNoScript) // before numkeys, as in Redis
		return
	}
	if x.c.oomBefore && scriptDeniedOOM(e, x.Args[1], bySHA) {
		x.Error(errOOM)
		return
	}
	n, ok := numKeysArg(x)
	if !ok {
		return
	}
	var sc *scripting.Script
	if bySHA {
		if sc = e.LookupBytes(x.Args[1]); sc == nil {
			x.Error(scripting.ErrNoScript)
			return
		}
	} else {
		var err *scripting.Error
		if sc, err = e.Load(x.Args[1]); err != nil {
			x.Error(err.Msg)
			return
		}
	}
	if ro {
		if err := scripting.CheckRO(sc.Flags); err != nil {
			x.Error(err.Msg)
			return
		}
	}
	keys := x.Args[3 : 3+n]
	argv := x.Args[3+n:]
	x.s.runScript(x, sc.SHA, ro || sc.Flags&scripting.FlagNoWrites != 0, sc.Flags&scripting.FlagAllowOOM != 0, func(h *scriptHost) *scripting.Error {
		return e.Run(sc, h, keys, argv, x.W)
	})
}

// deniesOOM reports whether a script or function with these flags is
// refused while memory is over maxmemory before it runs, as Redis judges
// the command by the flags it declares: unless it declares allow-oom or
// no-writes. A script without a shebang is judged by its commands instead.
func deniesOOM(f scripting.Flags) bool {
	return f&(scripting.FlagEvalCompat|scripting.FlagAllowOOM|scripting.FlagNoWrites) == 0
}

// scriptDeniedOOM is deniesOOM for EVAL's body or EVALSHA's SHA1: flags
// from the cached script, or from an uncached body's shebang; an unknown
// SHA1 or a line that does not parse declares nothing.
func scriptDeniedOOM(e *scripting.Engine, arg []byte, bySHA bool) bool {
	if bySHA {
		sc := e.LookupBytes(arg)
		return sc != nil && deniesOOM(sc.Flags)
	}
	if sc := e.Lookup(scripting.SHA1Hex(arg)); sc != nil {
		return deniesOOM(sc.Flags)
	}
	flags, ok := scripting.DeclaredFlags(arg)
	return ok && deniesOOM(flags)
}

// runScript runs a script or function through run with a host serving its
// commands, then replies with its error if it failed. readOnly refuses
// write commands; allowOOM lets denyoom commands run over maxmemory.
func (s *Server) runScript(x *Ctx, name string, readOnly, allowOOM bool, run func(*scriptHost) *scripting.Error) {
	h := s.newScriptHost(x, name, readOnly)
	h.allowOOM = allowOOM
	err := run(h)
	// A run on its KEYS' locks that stayed within them teaches nothing:
	// every other run tells how far it reached.
	switch {
	case h.leftDB:
		s.scripts.learn(name, reachAll)
	case h.strayed:
		s.scripts.learn(name, reachDB)
	case x.allLocked:
		s.scripts.learn(name, reachDeclared)
	}
	if h.strayed {
		s.scripts.fallbacks.Add(1)
	}
	retry := h.retry
	s.releaseScriptHost(h)
	// The script's effects are in x's ops; the command itself is not logged.
	x.PropagateNone()
	if retry {
		x.retryAllLocks = true
		return
	}
	if err != nil {
		if err.Counted {
			x.W.WriteError(err.Msg)
			x.failed = true
		} else {
			x.Error(err.Msg)
		}
	}
}

// scriptHost runs the commands of one script execution (scripting.Host).
type scriptHost struct {
	s        *Server
	x        *Ctx // the EVAL or FCALL
	fc       *Client
	name     string // SHA1 or function name
	readOnly bool
	allowOOM bool // allow-oom: denyoom commands run over maxmemory
	runID    uint64
	// killMu orders SCRIPT KILL against the script's first write: a write
	// command marks wrote before it runs, and a killed script runs none.
	killMu   sync.Mutex
	wrote    bool // a write command ran or is running: SCRIPT KILL refuses
	killed   bool
	effects  bool    // something others can see happened: no restart
	retry    bool    // stopped to run again with every shard locked
	strayed  bool    // a command needed shards beyond the declared keys'
	leftDB   bool    // ... beyond the database its caller is in
	declared lockSet // the shards of the declared keys, when not x.held
	need     lockSet
	snapNeed lockSet // what a command captures for a running snapshot
	keyBuf   []int
	argv     [][]byte
	noAOF    bool // redis.set_repl left the AOF out

	haveDeclared bool
	haveKeyPos   bool // keyBuf holds where x.Args has the declared keys
}

func (s *Server) newScriptHost(x *Ctx, name string, readOnly bool) *scriptHost {
	fc, _ := s.scripts.fakes.Get().(*Client)
	if fc == nil {
		fc = &Client{ID: -1, srv: s, created: time.Now(), authenticated: true}
		fc.ctx.c = fc
		fc.ctx.s = s
		fc.closedCh = make(chan struct{})
	}
	fc.db = x.c.db
	fc.scriptCaller = x
	fc.inExec = true // blocking commands act as their non-blocking forms
	fc.w = nil
	h, _ := s.scripts.hosts0.Get().(*scriptHost)
	if h == nil {
		h = &scriptHost{}
	}
	h.s, h.x, h.fc, h.name, h.readOnly, h.argv = s, x, fc, name, readOnly, x.Args
	h.retry, h.strayed, h.haveDeclared, h.noAOF = false, false, false, false
	h.leftDB = false
	h.haveKeyPos = false
	h.effects = false
	h.killMu.Lock() // SCRIPT KILL may still hold this host from its last run
	h.runID, h.wrote, h.killed = 0, false, false
	h.killMu.Unlock()
	return h
}

// onlyDeclaredKeys reports whether cmd touches no keys but some of the
// script's declared ones, in the script's database: the script holds their
// shards, so the command needs no lock of its own, and hashing its keys to
// find that out would cost what the command does.
func (h *scriptHost) onlyDeclaredKeys(cmd *Command, args [][]byte) bool {
	x, fc := h.x, h.fc
	if fc.db != x.c.db || cmd.Lock == LockSelf || lockModeOf(h.s, cmd, args) != LockKeys {
		return false
	}
	declared := h.declaredKeyPositions()
	fc.keyBuf = cmd.KeyPositions(args, fc.keyBuf[:0])
next:
	for _, p := range fc.keyBuf {
		for _, q := range declared {
			if string(x.Args[q]) == string(args[p]) {
				continue next
			}
		}
		return false
	}
	return true
}

// declaredKeyPositions returns where the script's command has its declared
// keys (KEYS), worked out once per run.
func (h *scriptHost) declaredKeyPositions() []int {
	if !h.haveKeyPos {
		h.keyBuf = h.x.Cmd.KeyPositions(h.x.Args, h.keyBuf[:0])
		h.haveKeyPos = true
	}
	return h.keyBuf
}

// declaredShards returns the shards of the script's declared keys: those
// the command holds, unless it holds everything (a first run).
func (h *scriptHost) declaredShards() *lockSet {
	if held := h.x.held; !held.all {
		return held
	}
	if !h.haveDeclared {
		x := h.x
		h.declared.all = false
		h.declared.shards = h.declared.shards[:0]
		for _, p := range h.declaredKeyPositions() {
			h.declared.shards = append(h.declared.shards, uint32(x.c.db<<store.ShardBits|store.ShardIndex(x.Args[p])))
		}
		h.haveDeclared = true
	}
	return &h.declared
}

func (s *Server) releaseScriptHost(h *scriptHost) {
	fc := h.fc
	fc.w, fc.scriptCaller = nil, nil
	fc.ctx.Args, fc.ctx.W = nil, nil
	s.scripts.fakes.Put(fc)
	h.x, h.fc, h.argv = nil, nil, nil
	s.scripts.hosts0.Put(h)
}

// Argv is the command line that runs the script, for FUNCTION STATS
// (scripting.ArgvHost); it does not change while the script runs.
func (h *scriptHost) Argv() [][]byte { return h.argv }

// Started records the execution id, for SCRIPT KILL (scripting.RunTracker).
func (h *scriptHost) Started(id uint64) {
	h.killMu.Lock()
	h.runID = id
	h.killMu.Unlock()
}

// Log writes redis.log lines to the server log.
func (h *scriptHost) Log(level int, msg string) {
	lvl := LogDebug
	switch level {
	case scripting.LogVerbose:
		lvl = LogVerbose
	case scripting.LogNotice:
		lvl = LogNotice
	case scripting.LogWarning:
		lvl = LogWarning
	}
	h.s.logf(lvl, "%s", msg)
}

// SetRepl is redis.set_repl: the commands that follow are logged only if
// the flags include the AOF (Petrel has no replicas yet).
func (h *scriptHost) SetRepl(flags int) { h.noAOF = flags&scripting.ReplAOF == 0 }

// Call runs one command of the script and writes its reply to w.
func (h *scriptHost) Call(w *resp.Writer, args [][]byte) {
	s := h.s
	if h.retry {
		w.WriteError("ERR the script is being restarted")
		return
	}
	cmd := h.fc.cmdCache.lookup(s.cmds, args[0])
	if cmd != nil && len(cmd.Subcommands) > 0 {
		if len(args) < 2 {
			cmd = nil
		} else {
			cmd = cmd.Subcommands[strings.ToLower(string(args[1]))]
		}
	}
	switch {
	case cmd == nil:
		h.refuse(w, nil, scripting.ErrUnknownCommand)
		return
	case !cmd.checkArity(len(args)):
		h.refuse(w, cmd, scripting.ErrWrongArity)
		return
	case cmd.Is(FlagNoScript):
		h.refuse(w, cmd, scripting.ErrNotAllowed)
		return
	case cmd.Is(FlagWrite) && h.readOnly:
		h.refuse(w, cmd, scripting.ErrWriteInRO)
		return
	case cmd.Is(FlagDenyOOM) && h.x.c.oomBefore && !h.allowOOM && !h.wrote:
		// Memory as it was when the script's command began, as Redis
		// decides: evicting here would lock shards the script holds.
		// Once the script has written, it must not stop halfway.
		h.refuse(w, cmd, errOOM)
		return
	case cmd.Is(FlagWrite) && !h.x.c.loader && s.diskErrorStopsWrites():
		h.refuse(w, cmd, errMisconf)
		return
	}
	fc := h.fc
	held := h.x.held
	haveNeed := (!h.strayed || !held.all) && !h.onlyDeclaredKeys(cmd, args)
	if haveNeed {
		s.locksFor(fc, cmd, args, fc.db, &h.need)
		if cmd.Lock == LockSelf {
			// SCAN, RANDOMKEY, INFO keyspace... lock shard after shard
			// themselves unless everything is held already.
			h.need.all = true
		}
		if !h.covered(h.declaredShards()) {
			h.strayed = true
			if !h.leftDB && !h.withinDB(h.x.c.db) {
				h.leftDB = true
			}
		}
		if !held.all && !h.covered(held) && !h.lockMissing(w, held) {
			return
		}
	}
	// Past the point of a restart: what runs now is the script's for good.
	if cmd.Is(FlagWrite) && !h.markWrite() {
		w.WriteError("ERR " + scripting.ErrKilledText)
		return
	}
	if cmd.Flags&(FlagWrite|FlagPubSub) != 0 {
		h.effects = true
	}
	if s.snap.active.Load() && commandMayWrite(cmd, args) {
		// A running snapshot keeps what this command changes as it was
		// (the script's own command captured nothing).
		need := &h.need
		if !haveNeed {
			need = &h.snapNeed
			s.locksFor(fc, cmd, args, fc.db, need)
		}
		s.snapshotCaptureLocked(fc, need, cmd, args, fc.db)
	}
	fc.w = w
	s.call(fc, cmd, args, h.x.Now, held)
	fx, x := &fc.ctx, h.x
	// What the command did joins the script's command: effects to log,
	// keys that may serve blocked clients, tracking broadcasts.
	if !h.noAOF {
		for _, op := range fx.prop.ops {
			// The engine reuses the arguments' memory for the next call;
			// the log is written when the script ends.
			x.prop.ops = append(x.prop.ops, propOp{db: op.db, args: cloneArgs(op.args)})
		}
	}
	clear(fx.prop.ops)
	fx.prop.ops = fx.prop.ops[:0]
	x.ready = append(x.ready, fx.ready...)
	fx.ready = fx.ready[:0]
	x.bcast = append(x.bcast, fx.bcast...)
	fx.bcast = fx.bcast[:0]
}

// refuse answers a command the script may not run, counted as Redis
// counts a rejected call.
func (h *scriptHost) refuse(w *resp.Writer, cmd *Command, msg string) {
	w.WriteError(msg)
	if cmd != nil {
		cmd.stats.of(h.fc.ID).rejected.Add(1)
	}
	h.s.countError(errorCode(msg))
}

// withinDB reports whether h.need is shards of database db only.
func (h *scriptHost) withinDB(db int) bool {
	if h.need.all {
		return false
	}
	for _, id := range h.need.shards {
		if int(id>>store.ShardBits) != db {
			return false
		}
	}
	return true
}

// covered reports whether held has every shard of h.need.
func (h *scriptHost) covered(held *lockSet) bool {
	if h.need.all {
		return false
	}
	for _, id := range h.need.shards {
		if !held.has(id) {
			return false
		}
	}
	return true
}

// lockMissing handles a command needing shards the script does not hold
// (see the file comment); it reports whether the command may run now.
func (h *scriptHost) lockMissing(w *resp.Writer, held *lockSet) bool {
	s := h.s
	if !h.effects && !h.x.c.inExec {
		h.retry = true
		s.scripts.engine.Kill(h.runID)
		w.WriteError("ERR the script is being restarted")
		return false
	}
	var missing []uint32
	if h.need.all {
		for d := 0; d < s.store.NumDBs(); d++ {
			for i := 0; i < store.NumShards; i++ {
				if id := uint32(d<<store.ShardBits | i); !held.has(id) {
					missing = append(missing, id)
				}
			}
		}
	} else {
		for _, id := range h.need.shards {
			if !held.has(id) {
				missing = append(missing, id)
			}
		}
	}
	top := uint32(0)
	if len(held.shards) > 0 {
		top = slices.Max(held.shards)
	}
	for _, id := range missing {
		d, i := int(id>>store.ShardBits), int(id&(store.NumShards-1))
		sh := s.store.DB(d).Shard(i)
		if id > top {
			sh.Lock() // in ascending order: safe to wait
			top = id
		} else if !tryLockFor(sh, undeclaredLockWait) {
			h.refuse(w, nil, errUndeclaredBusy)
			return false
		}
		held.shards = append(held.shards, id)
		if held.owned {
			sh.Owner = h.x
		}
	}
	return true
}

// tryLockFor takes sh's lock if it comes free within d.
func tryLockFor(sh *store.Shard, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for !sh.TryLock() {
		if time.Now().After(deadline) {
			return false
		}
		runtime.Gosched()
		time.Sleep(50 * time.Microsecond)
	}
	return true
}

// busyThreshold is busy-reply-threshold: how long a script runs before
// other clients are told BUSY; 0 and below is never.
func (s *Server) busyThreshold() time.Duration {
	return time.Duration(s.cfgInt("busy-reply-threshold")) * time.Millisecond
}

// scriptBusy reports whether a script has run longer than
// busy-reply-threshold, and what to answer other clients.
func (s *Server) scriptBusy() (string, bool) {
	r, ok := s.scripts.engine.Running()
	if !ok {
		return "", false
	}
	limit := s.busyThreshold()
	if limit <= 0 || time.Since(r.Start) < limit {
		return "", false
	}
	if r.Function {
		return errBusyFunction, true
	}
	return errBusyScript, true
}

// scriptKill is SCRIPT KILL and FUNCTION KILL: stop the running script
// unless it wrote. Each kills only its own kind, and names the other for
// the other kind, after the write check, as Redis does.
func (s *Server) scriptKill(x *Ctx, function bool) {
	r, ok := s.scripts.engine.Running()
	if !ok {
		x.Error(errNotBusy)
		return
	}
	h, isHost := r.Host.(*scriptHost)
	if isHost {
		h.killMu.Lock()
		defer h.killMu.Unlock()
		if h.runID != r.ID {
			// The run ended and its host went to another script.
			x.Error(errNotBusy)
			return
		}
		if h.wrote {
			x.Error(errUnkillable)
			return
		}
	}
	if r.Function != function {
		if r.Function {
			x.Error(errBusyFunction)
		} else {
			x.Error(errBusyScript)
		}
		return
	}
	if isHost {
		h.killed = true
	}
	s.scripts.engine.Kill(r.ID)
	x.W.WriteOK()
}

// CheckCommand is redis.acl_check_cmd's lookup, Redis's lookupCommand: a
// container command alone names itself, with a second argument its
// subcommand. Every command is allowed, since there are no users yet.
func (h *scriptHost) CheckCommand(args [][]byte) (exists, allowed bool) {
	cmd := h.s.cmds.lookup(args[0])
	if cmd != nil && len(cmd.Subcommands) > 0 && len(args) > 1 {
		cmd = cmd.Subcommands[strings.ToLower(string(args[1]))]
	}
	return cmd != nil, true
}

// markWrite records that the script is about to write, which makes it
// unkillable as in Redis; it reports false if SCRIPT KILL came first.
func (h *scriptHost) markWrite() bool {
	if h.wrote {
		// Only this goroutine sets wrote, and once it is set SCRIPT KILL
		// refuses (killed cannot follow): the later writes need no lock.
		return true
	}
	h.killMu.Lock()
	defer h.killMu.Unlock()
	if h.killed {
		return false
	}
	h.wrote = true
	return true
}

// SCRIPT subcommands.

func cmdScriptLoad(x *Ctx) {
	sc, err := x.s.scripts.engine.Load(x.Args[2])
	if err != nil {
		x.Error(err.Msg)
		return
	}
	x.W.WriteBulkString(sc.SHA)
}

func cmdScriptExists(x *Ctx) {
	x.W.WriteArrayLen(len(x.Args) - 2)
	for _, sha := range x.Args[2:] {
		x.W.WriteInt(b2i(x.s.scripts.engine.Exists(string(sha))))
	}
}

func cmdScriptFlush(x *Ctx) {
	if len(x.Args) > 3 || (len(x.Args) == 3 && !strEqFold(x.Args[2], "sync") && !strEqFold(x.Args[2], "async")) {
		x.Error("ERR SCRIPT FLUSH only support SYNC|ASYNC option")
		return
	}
	x.s.scripts.engine.Flush()
	ss := &x.s.scripts
	ss.knownMu.Lock()
	clear(ss.known)
	ss.nUndecl.Store(0)
	ss.knownMu.Unlock()
	x.W.WriteOK()
}

func cmdScriptKill(x *Ctx) { x.s.scriptKill(x, false) }

// cmdScriptDebug accepts SCRIPT DEBUG as Redis's syntax has it; Petrel has
// no Lua debugger, so YES and SYNC leave scripts running normally.
func cmdScriptDebug(x *Ctx) {
	switch strings.ToLower(string(x.Args[2])) {
	case "no", "yes", "sync":
		if x.c.inMulti || x.c.inExec {
			x.Error("ERR SCRIPT DEBUG must be called outside MULTI")
			return
		}
		x.W.WriteOK()
	default:
		x.Error("ERR Use SCRIPT DEBUG YES/SYNC/NO")
	}
}

var scriptHelp = []string{
	"SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"DEBUG (YES|SYNC|NO)",
	"    Set the debug mode for subsequent scripts executed.",
	"EXISTS <sha1> [<sha1> ...]",
	"    Return information about the existence of the scripts in the script cache.",
	"FLUSH [ASYNC|SYNC]",
	"    Flush the Lua scripts cache. Very dangerous on replicas.",
	"    When called without the optional mode argument, the behavior is determined by the",
	"    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
	"    * ASYNC: Asynchronously flush the scripts cache.",
	"    * SYNC: Synchronously flush the scripts cache.",
	"KILL",
	"    Kill the currently executing Lua script.",
	"LOAD <script>",
	"    Load a script into the scripts cache without executing it.",
	"HELP",
	"    Prints this help.",
}

func cmdScriptHelp(x *Ctx) { writeHelp(x, scriptHelp) }

// infoScripting is the scripting part of INFO memory.
func (s *Server) scriptMemory() (scripts int, memory int64) {
	e := s.scripts.engine
	return e.Count(), e.Memory()
}
