package server

import (
	"bytes"
	"fmt"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"petrel/resp"
	"petrel/store"
)

// Ctx is what a command handler sees: its arguments, the selected database,
// the reply writer, and the command's fixed time. The keyspace locks the
// command needs are held for the handler's whole run.
type Ctx struct {
	s    *Server
	c    *Client
	Cmd  *Command
	Args [][]byte
	W    *resp.Writer
	DB   *store.DB
	// Now is the command's time in unix milliseconds; it does not move while
	// the command (or a whole EXEC) runs, as in Redis.
	Now int64

	allLocked bool           // every shard is locked (EXEC with whole-keyspace commands)
	ready     []dbKey        // keys written while clients are blocked (blocking.go)
	bcast     []bcastPending // writes under BCAST tracking prefixes (tracking.go)
	failed    bool           // the command replied with an error
	prop      propState      // what the command writes to the AOF (propagate.go)
	// retryAllLocks asks the executor to run the command again with every
	// shard locked (a script touching keys it did not declare, scripting.go)
	retryAllLocks bool
	rerun         bool     // this is that second run
	held          *lockSet // the shards the command (or its EXEC) holds
	// refused: the handler refused the command as dispatch would have
	// (reject), so it counts as rejected, not as a call
	refused bool
}

// Server returns the server running the command.
func (x *Ctx) Server() *Server { return x.s }

// Client returns the client running the command.
func (x *Ctx) Client() *Client { return x.c }

// Error replies with an error; msg carries its code ("ERR ...").
func (x *Ctx) Error(msg string) {
	x.W.WriteError(msg)
	x.failed = true
	x.s.countError(errorCode(msg))
}

// Errorf replies with a formatted error.
func (x *Ctx) Errorf(format string, a ...any) { x.Error(fmt.Sprintf(format, a...)) }

// Common error replies, with Redis's texts.
const (
	ErrSyntax     = "ERR syntax error"
	ErrWrongType  = "WRONGTYPE Operation against a key holding the wrong kind of value"
	ErrNotInt     = "ERR value is not an integer or out of range"
	ErrNotFloat   = "ERR value is not a valid float"
	ErrNoSuchKey  = "ERR no such key"
	ErrOverflow   = "ERR increment or decrement would overflow"
	ErrDBIndex    = "ERR DB index is out of range"
	ErrInvalidExp = "ERR invalid expire time in '%s' command"
)

// Modified records that the command changed key: watchers are touched and
// the change is counted for persistence (Redis's signalModifiedKey plus
// server.dirty++).
func (x *Ctx) Modified(key []byte) {
	x.signalModified(x.DB, key)
	x.s.stats.dirty.add(x.c.statID(), 1)
	x.prop.dirty++
	x.noteReady(key)
}

// signalModified is Redis's signalModifiedKey for key in db: its watchers
// are touched and the clients tracking it told (tracking knows keys by
// name only, in whichever database); nothing is counted.
func (x *Ctx) signalModified(db *store.DB, key []byte) {
	db.Touch(key)
	if x.s.trackingOn() {
		writer := x.c
		if caller := writer.scriptCaller; caller != nil {
			writer = caller.c // NOLOOP spares the client running the script
		}
		x.s.trackingInvalidate(key, writer, &x.bcast, selfOf(x))
	}
}

// Dirty counts n changes that touched no single key (FLUSHALL, ...).
func (x *Ctx) Dirty(n int64) {
	x.s.stats.dirty.add(x.c.statID(), n)
	x.prop.dirty += n
}

// Lookup returns the live entry for key for a read, counting keyspace hits
// and misses as Redis's lookupKeyRead does.
func (x *Ctx) Lookup(key []byte) *store.Entry {
	e := x.DB.Lookup(key, x.Now)
	x.countLookup(key, e)
	return e
}

// countLookup does what a read lookup of key that found e does besides
// finding it: count a hit or a miss, raise keymiss, touch the LRU clock.
// A command that reads a key twice, as Redis's does, finds it once.
func (x *Ctx) countLookup(key []byte, e *store.Entry) {
	if e == nil {
		x.s.stats.keyspaceMisses.add(x.c.statID(), 1)
		x.Notify(NotifyKeyMiss, "keymiss", key)
	} else {
		x.s.stats.keyspaceHits.add(x.c.statID(), 1)
		x.touchLRU(e)
	}
}

// LookupWrite returns the live entry for key for a write (no hit/miss count).
func (x *Ctx) LookupWrite(key []byte) *store.Entry {
	e := x.DB.Lookup(key, x.Now)
	if e != nil {
		x.touchLRU(e)
	}
	return e
}

// LockShardSelf is used by LockSelf handlers to lock one shard of the
// selected database; it is a no-op when the caller already holds everything.
func (x *Ctx) LockShardSelf(i int) {
	if !x.allLocked {
		x.DB.Shard(i).Lock()
	}
}

// UnlockShardSelf releases what LockShardSelf took.
func (x *Ctx) UnlockShardSelf(i int) {
	if !x.allLocked {
		x.DB.Shard(i).Unlock()
	}
}

// errorCode is the errorstats name of an error reply: its first word, as
// Redis's afterErrorReply takes it (a space within 32 bytes, possibly the
// first), else ERR. Line breaks count as the spaces the reply turns them
// into.
func errorCode(msg string) string {
	if i := strings.IndexAny(msg[:min(len(msg), 32)], " \r\n"); i >= 0 {
		return msg[:i]
	}
	return "ERR"
}

func (s *Server) countError(code string) {
	s.stats.totalErrorReplies.Add(1)
	s.stats.errorsMu.Lock()
	if len(s.stats.errors) < 128 || s.stats.errors[code] > 0 {
		s.stats.errors[code]++
	}
	s.stats.errorsMu.Unlock()
}

// dispatch runs one command from a client, then publishes the client's
// state for CLIENT LIST. Under CLIENT REPLY OFF or SKIP the whole reply,
// even a rejection, is dropped (dispatchQuiet, client_cmds.go).
func (s *Server) dispatch(c *Client, args [][]byte) {
	c.markBusy()
	if c.replyMode == replyOn {
		s.dispatchCommand(c, args)
	} else {
		s.dispatchQuiet(c, args)
	}
	c.publishShown()
}

// dispatchCommand does lookup, arity and permission checks, MULTI queueing,
// then execution with locks held.
func (s *Server) dispatchCommand(c *Client, args [][]byte) {
	x := &c.ctx
	x.W = c.w
	x.Args = args
	x.failed = false
	x.allLocked = false

	cmd := c.cmdCache.lookup(s.cmds, args[0])
	if cmd != nil && len(cmd.Subcommands) > 0 && len(args) >= 2 {
		if sc := cmd.Subcommands[strings.ToLower(string(args[1]))]; sc != nil {
			cmd = sc
		} else {
			// Redis rejects an unknown subcommand before running anything,
			// even for COMMAND, whose container also runs on its own.
			// Like an unknown command, it counts in no command's stats.
			s.reject(c, nil, args, fmt.Sprintf("ERR unknown subcommand '%.128s'. Try %s HELP.",
				cString(args[1]), strings.ToUpper(cmd.Name)))
			return
		}
	}
	if cmd == nil {
		var b strings.Builder
		for i := 1; i < len(args) && b.Len() < 128; i++ {
			fmt.Fprintf(&b, "'%.*s' ", max(0, 128-b.Len()), cString(args[i]))
		}
		s.reject(c, nil, args, fmt.Sprintf("ERR unknown command '%.128s', with args beginning with: %s", cString(args[0]), b.String()))
		return
	}
	x.Cmd = cmd
	if !cmd.checkArity(len(args)) || (cmd.Handler == nil && len(args) < 2) {
		s.reject(c, cmd, args, fmt.Sprintf("ERR wrong number of arguments for '%s' command", cmd.Name))
		return
	}
	if cmd.Name == "debug" && !s.debugAllowed(c) {
		s.reject(c, cmd, args, errDebugNotAllowed)
		return
	}
	if !c.authenticated && !cmd.Is(FlagNoAuth) {
		s.reject(c, cmd, args, "NOAUTH Authentication required.")
		return
	}
	if s.rejectedForMemory(c, cmd) {
		s.reject(c, cmd, args, errOOM)
		return
	}
	if s.writesDeniedByDiskError(c, cmd) {
		s.reject(c, cmd, args, errMisconf)
		return
	}
	if c.inPubSubContext() && !allowedInPubSubContext(cmd) {
		s.reject(c, cmd, args, fmt.Sprintf("ERR Can't execute '%s': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context", cmd.FullName()))
		return
	}
	if c.hasFlag(cflagMonitor) && cmd.Flags&(FlagWrite|FlagReadonly|FlagMayReplicate) != 0 {
		// A MONITOR client counts as a replica in Redis, checked after
		// the pub/sub context.
		s.reject(c, cmd, args, "ERR Replica can't interact with the keyspace")
		return
	}
	if s.scripts.engine.Busy() && !cmd.Is(FlagAllowBusy) {
		if msg, busy := s.scriptBusy(); busy {
			s.reject(c, cmd, args, msg)
			return
		}
	}
	if s.persist.loading.Load() && !cmd.Is(FlagLoading) {
		s.reject(c, cmd, args, errLoading)
		return
	}
	queue := c.inMulti && !isMultiControl(cmd)
	if queue && cmd.Is(FlagNoMulti) {
		s.reject(c, cmd, args, "ERR Command not allowed inside a transaction")
		return
	}
	// As in Redis, a pause postpones even the queueing of a command it covers.
	if s.pause.active() {
		t := s.waitUnpaused(c, cmd, args)
		if c.closed.Load() {
			t.release()
			return
		}
		if t != nil {
			defer t.release() // the next held client runs after this command
		}
	}
	if queue {
		// A transaction already doomed (an error, or a watched key
		// changed) queues nothing more, as in Redis: CLIENT LIST's multi=
		// stops counting, though the reply is still QUEUED.
		if !c.multiError && !c.watchState().Dirty.Load() {
			c.queue = append(c.queue, queued{cmd: cmd, args: cloneArgs(args)})
		}
		c.setLastCmd(cmd.Name)
		c.w.WriteSimple("QUEUED")
		return
	}
	s.call(c, cmd, args, 0, nil)
	if s.aof.on.Load() {
		// What the command read may be another client's write that the
		// log does not hold yet; Redis answers no one before its fsync
		// either. The offset is loaded after the command's locks: any
		// write it saw was appended under them.
		c.waitLogged(s.aof.end.Load())
	}
}

// reject answers a command refused before it ran; inside MULTI it also
// dooms the transaction (EXECABORT).
func (s *Server) reject(c *Client, cmd *Command, args [][]byte, msg string) {
	if cmd != nil && cmd.Name == "exec" {
		// A refused EXEC answers EXECABORT and ends any transaction, even
		// outside MULTI, as Redis's execCommandAbort does.
		c.discardMulti()
		s.unwatchAll(c)
		cmd.stats.of(c.ID).rejected.Add(1)
		c.setLastCmd(cmd.Name)
		if s.hasMonitors() && !c.loader {
			s.feedMonitors(c, args) // as Redis's execCommandAbort does
		}
		msg = "EXECABORT Transaction discarded because of: " + strings.TrimPrefix(msg, "ERR ")
		c.w.WriteError(msg)
		s.countError("EXECABORT")
		return
	}
	if c.inMulti {
		c.multiError = true
	}
	if cmd != nil {
		cmd.stats.of(c.ID).rejected.Add(1)
		c.setLastCmd(cmd.Name)
	} else {
		c.setLastCmd("NULL")
	}
	c.w.WriteError(msg)
	s.countError(errorCode(msg))
}

// cString cuts b at its first NUL byte, as C's printf("%s") does with the
// arguments Redis quotes in error messages.
func cString(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}

func isMultiControl(cmd *Command) bool {
	switch cmd.Name {
	case "exec", "discard", "multi", "watch", "quit", "reset":
		return true
	}
	return false
}

func cloneArgs(args [][]byte) [][]byte {
	n := 0
	for _, a := range args {
		n += len(a)
	}
	buf := make([]byte, 0, n)
	out := make([][]byte, len(args))
	for i, a := range args {
		start := len(buf)
		buf = append(buf, a...)
		out[i] = buf[start:len(buf):len(buf)]
	}
	return out
}

// call executes cmd with the locks it needs. held is non-nil inside EXEC,
// where the transaction already holds every lock its commands need. now is
// the command's time in unix milliseconds, or 0 to take it from the clock.
func (s *Server) call(c *Client, cmd *Command, args [][]byte, now int64, held *lockSet) {
	x := &c.ctx
	x.Cmd = cmd
	x.Args = args
	x.W = c.w
	x.failed = false
	x.rerun = false
	x.refused = false
	x.DB = s.store.DB(c.db)

	// A top-level command reads the clock, which gives its time and its
	// duration's start. A command of a script or EXEC is given the
	// script's or EXEC's time, and its duration comes from the timer,
	// cheaper than the clock where the processor's counter serves.
	inner := now != 0 && held != nil
	var mono time.Duration
	var started uint64
	if inner {
		started = s.timer.Now()
	} else if held != nil {
		mono = s.clock.elapsed()
		if now == 0 {
			now = s.clock.unixMilli(mono)
		}
	}
	x.Now = now
	x.beginProp()
	if held == nil {
		ls := &c.locks
		s.locksFor(c, cmd, args, c.db, ls)
		if msg, ok := ls.lockUnlessBusy(s, cmd); !ok {
			s.reject(c, cmd, args, msg)
			return
		}
		// The clock is read once the keys are ours: a command's time and
		// duration start when it runs, not when it began to wait.
		mono = s.clock.elapsed()
		if now == 0 {
			x.Now = s.clock.unixMilli(mono)
		}
		if s.ownsShards() {
			ls.setOwner(s, x)
			x.prop.open = s.propagating()
		}
		// A panic past the handler's own recovery (snapshot capture,
		// tracking, serving blocked clients) must not leave shards locked
		// for ever: the client goes, the server stays usable.
		released := false
		defer func() {
			if !released {
				ls.unlock(s)
			}
		}()
		x.allLocked = ls.all
		x.held = ls
		if s.snap.active.Load() && mayWrite(c, cmd) {
			s.snapshotCaptureLocked(c, ls, cmd, args, c.db)
		}
		s.runHandler(x)
		if x.retryAllLocks {
			x.retryAllLocks, x.rerun = false, true
			ls.unlock(s)
			ls.all, ls.shards = true, ls.shards[:0]
			ls.lock(s)
			if s.ownsShards() {
				ls.setOwner(s, x)
			}
			x.allLocked = true
			if s.snap.active.Load() {
				s.snapshotCaptureLocked(c, ls, cmd, args, c.db)
			}
			s.runHandler(x)
		}
		// With clients to serve, the BCAST message waits for their
		// commands' keys to join it.
		s.afterHandler(c, x, len(x.ready) == 0)
		if s.propagating() {
			s.collectProp(x)
			s.flushProp(c, x)
		}
		if len(x.ready) > 0 {
			// blocked clients get their element before anyone else runs
			ready := x.ready
			x.ready = x.ready[:0]
			s.serveReady(ready, ls, &x.bcast)
			if len(x.bcast) > 0 {
				s.sendBcast(x.bcast)
				x.bcast = x.bcast[:0]
			}
		}
		ls.unlock(s)
		released = true
	} else {
		x.allLocked = held.all
		x.held = held
		s.runHandler(x)
		s.afterHandler(c, x, false)
		if s.propagating() {
			s.collectProp(x)
		}
	}
	start, end := mono, time.Duration(0)
	if inner {
		startNs, endNs := s.timer.Span(started, s.timer.Now())
		start, end = time.Duration(startNs), time.Duration(endNs)
	} else {
		end = s.clock.elapsed()
	}
	dur := max(end-start, 0)
	usec := max(usecBetween(start, end), 0)
	if held == nil && c.loopTurn {
		c.aff.note(&c.locks, cmd.Is(FlagReadonly), dur)
	}
	if c.loader || x.refused {
		return // loading the AOF counts in no statistics, as in Redis
	}

	sid := c.statID()
	ctr := cmd.stats.of(sid)
	ctr.calls.Add(1)
	ctr.usec.Add(usec)
	cmd.stats.hist.record(dur)
	if x.failed {
		ctr.failed.Add(1)
	}
	s.stats.totalCommands.add(sid, 1)
	if !cmd.Is(FlagSkipSlowlog) {
		s.slowlog.maybeAdd(c, args, usec)
	}
	s.latency.observe("command", time.Duration(usec)*time.Microsecond, cmd.Is(FlagFast))
	// QUIT reaches the other monitors (Redis 7.0 runs it as a command); a
	// monitor's own has retired it already, as Redis writes nothing more
	// to a client closing after its reply.
	if cmd.Flags&(FlagSkipMonitor|FlagAdmin) == 0 && s.hasMonitors() {
		s.feedMonitors(c, args)
	}
	if held == nil { // inside EXEC, CLIENT LIST keeps showing exec
		c.infoMu.Lock()
		c.lastCmd = cmd.Name
		c.lastActive = s.clock.at(mono)
		c.infoMu.Unlock()
	}
}

// usecBetween is a duration in whole microseconds as Redis measures one:
// the difference of two readings of a microsecond clock. Unlike truncating
// the difference, that adds up right over many sub-microsecond commands.
func usecBetween(start, end time.Duration) int64 {
	return int64(end/time.Microsecond - start/time.Microsecond)
}

// afterHandler does, with the command's locks still held, what client-side
// caching needs: remember the keys a tracking client read, spend a CLIENT
// CACHING flag, and at the end of a top-level command (a whole EXEC) send
// the BCAST invalidations it caused, as Redis batches them per event loop.
func (s *Server) afterHandler(c *Client, x *Ctx, topLevel bool) {
	if caller := c.scriptCaller; caller != nil {
		// A script's reads are remembered for the client running it, as
		// Redis remembers them for its current client.
		if caller.c.trackConf.Load() != nil && x.Cmd.Is(FlagReadonly) {
			s.trackingRemember(caller.c, x.Cmd, x.Args)
		}
	} else if c.trackConf.Load() != nil {
		// EVAL_RO and FCALL_RO are read-only, but only the commands they
		// run read keys.
		if x.Cmd.Is(FlagReadonly) && !isReadonlyScript(x.Cmd) {
			s.trackingRemember(c, x.Cmd, x.Args)
		}
		// As in Redis, any CLIENT subcommand leaves the flag for the next
		// command, and so does a transaction until its EXEC ends.
		if !strings.HasPrefix(x.Cmd.Name, "client|") && !c.inMulti && !c.inExec {
			c.cachingYes, c.cachingNo = false, false
		}
	}
	if topLevel && len(x.bcast) > 0 {
		s.sendBcast(x.bcast)
		x.bcast = x.bcast[:0]
	}
}

// isReadonlyScript reports whether cmd runs a read-only script or function.
func isReadonlyScript(cmd *Command) bool {
	switch cmd.Name {
	case "eval_ro", "evalsha_ro", "fcall_ro":
		return true
	}
	return false
}

// runHandler runs the handler, turning a panic into an error reply so one
// bad command cannot take the server down.
func (s *Server) runHandler(x *Ctx) {
	mark := x.W.Len()
	defer func() {
		if r := recover(); r != nil {
			s.logf(LogWarning, "Panic in command '%s': %v\n%s", x.Cmd.Name, r, debug.Stack())
			x.W.Truncate(mark)
			x.Error(fmt.Sprintf("ERR internal error while running '%s': %v", x.Cmd.Name, r))
		}
	}()
	x.Cmd.Handler(x)
}

// lockSet is the set of shards a command or transaction locks, as sorted
// (database << store.ShardBits | shard) numbers, or every shard.
type lockSet struct {
	all    bool
	owned  bool // setOwner marked the shards
	shards []uint32
}

// locksFor fills ls (reusing its memory) with the shards cmd locks.
func (s *Server) locksFor(c *Client, cmd *Command, args [][]byte, db int, ls *lockSet) {
	ls.all = false
	ls.shards = ls.shards[:0]
	switch lockModeOf(s, cmd, args) {
	case LockAll:
		ls.all = true
	case LockDB:
		for i := 0; i < store.NumShards; i++ {
			ls.shards = append(ls.shards, uint32(db<<store.ShardBits|i))
		}
	case LockKeys:
		c.keyBuf = cmd.KeyPositions(args, c.keyBuf[:0])
		for _, p := range c.keyBuf {
			ls.shards = append(ls.shards, uint32(db<<store.ShardBits|store.ShardIndex(args[p])))
		}
		if cmd.Is(FlagWrite) && s.blocked.moving.Load() > 0 {
			for _, p := range c.keyBuf {
				ls.shards = s.blocked.extraShards(db, args[p], ls.shards)
			}
		}
		ls.normalize()
	}
}

// lockModeOf returns how cmd with these arguments locks the keyspace.
func lockModeOf(s *Server, cmd *Command, args [][]byte) LockMode {
	switch {
	case cmd.LockFunc != nil:
		return cmd.LockFunc(args)
	case cmd.ServerLockFunc != nil:
		return cmd.ServerLockFunc(s, args)
	}
	return cmd.Lock
}

func (ls *lockSet) add(o lockSet) {
	if o.all {
		ls.all = true
		return
	}
	ls.shards = append(ls.shards, o.shards...)
}

func (ls *lockSet) normalize() {
	if len(ls.shards) > 1 {
		slices.Sort(ls.shards)
		ls.shards = slices.Compact(ls.shards)
	}
}

// ownsShards reports whether a command marks the shards it holds as its
// own (setOwner): when what happens below it, a lazy expiry or a new key,
// joins its log entry or raises keyspace events that may be for its client.
func (s *Server) ownsShards() bool {
	// BCAST tracking: an expiry below the command joins its message.
	return s.propagating() || s.notifyFlags.Load() != 0 || s.tracking.bcast.Load() > 0
}

// setOwner marks x as the holder of ls's shards (store.Shard.Owner) until
// unlock, so lazy expiry inside the command joins its effects, and events
// raised below it reach its client in order (onExpired, onAdded).
func (ls *lockSet) setOwner(s *Server, x *Ctx) {
	ls.owned = true
	if ls.all {
		for d := 0; d < s.store.NumDBs(); d++ {
			db := s.store.DB(d)
			for i := 0; i < store.NumShards; i++ {
				db.Shard(i).Owner = x
			}
		}
		return
	}
	for _, id := range ls.shards {
		s.shardByID(id).Owner = x
	}
}

func (ls *lockSet) lock(s *Server) {
	if ls.all {
		s.store.LockAll()
		return
	}
	for _, id := range ls.shards {
		s.shardByID(id).Lock()
	}
}

// lockUnlessBusy takes ls's shards for cmd, as lock does. A command that
// Redis refuses while a script is busy (not allow-busy) gives up waiting
// once a script runs past busy-reply-threshold, as Redis's would have
// waited for that moment and been refused then: it reports false, holding
// nothing, with the BUSY error to reply.
func (ls *lockSet) lockUnlessBusy(s *Server, cmd *Command) (busyMsg string, ok bool) {
	stop := s.scripts.stopOnBusy
	if cmd.Is(FlagAllowBusy) {
		stop = neverStop
	}
	for {
		if ls.lockOr(s, stop) {
			return "", true
		}
		if msg, busy := s.scriptBusy(); busy {
			return msg, false
		}
		// the script ended between the signal and the look: wait again
	}
}

// shardByID is the shard a lockSet number names.
func (s *Server) shardByID(id uint32) *store.Shard {
	return s.store.DB(int(id >> store.ShardBits)).Shard(int(id & (store.NumShards - 1)))
}

// neverStop is a stop for store.Shard.LockOr that never says stop.
func neverStop() <-chan struct{} { return nil }

// lockOr takes ls's shards, unless stop's channel closes first: then it
// releases what it took and reports false.
func (ls *lockSet) lockOr(s *Server, stop func() <-chan struct{}) bool {
	if ls.all {
		return s.store.LockAllOr(stop)
	}
	for i, id := range ls.shards {
		if !s.shardByID(id).LockOr(stop) {
			for _, id := range ls.shards[:i] {
				s.shardByID(id).Unlock()
			}
			return false
		}
	}
	return true
}

func (ls *lockSet) unlock(s *Server) {
	if ls.owned {
		ls.setOwner(s, nil)
		ls.owned = false
	}
	if ls.all {
		s.store.UnlockAll()
		return
	}
	for _, id := range ls.shards {
		s.shardByID(id).Unlock()
	}
}
