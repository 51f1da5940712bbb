package server

import (
	"petrel/store"
)

// Propagation: what a command's effects look like in the AOF (and, later,
// the replication stream), as Redis's call() and alsoPropagate decide it.
//
// A command that changed something (it called Modified or Dirty) is written
// as it was sent, unless its handler replaced that form (PropagateAs: SET EX
// becomes SET PXAT, INCRBYFLOAT a SET KEEPTTL) or suppressed it
// (PropagateNone) in favour of other commands (Also: SPOP's SREMs, a served
// BLPOP's LPOP). Effects are gathered per top-level command, a whole EXEC
// counting as one, and written out together with the keys' shard locks still
// held, so the log holds them in the order they happened; more than one is
// wrapped in MULTI/EXEC as Redis 7 does, so a replay is atomic too.

// propOp is one command to write to the log, in database db.
type propOp struct {
	db   int
	args [][]byte
}

// propState is a Ctx's propagation state.
type propState struct {
	dirty int64      // changes this command counted
	as    [][]byte   // the form to write instead of Args, if any
	none  bool       // write nothing for the command itself
	force bool       // write the command even though it counted no change
	open  bool       // a top-level command is gathering ops (lazy expiry joins them)
	ops   []propOp   // gathered effects of the top-level command so far
	spare [][][]byte // reusable argument vectors for PropagateAs
}

// PropagateAs makes args, instead of the command as sent, what is written to
// the AOF if the command changes something (Redis's
// rewriteClientCommandVector). args must stay valid until the command ends.
func (x *Ctx) PropagateAs(args ...[]byte) {
	x.prop.as = args
}

// ForcePropagate writes the command even if it changed nothing, as Redis
// does for some (FLUSHALL on an empty server, SWAPDB 0 0): Redis's
// forceCommandPropagation.
func (x *Ctx) ForcePropagate() { x.prop.force = true }

// PropagateNone writes nothing for the command itself; Also adds what
// happened instead (Redis's preventCommandPropagation).
func (x *Ctx) PropagateNone() { x.prop.none = true }

// Also adds args, in the command's current database, to what the command
// propagates, before the command itself (Redis's alsoPropagate).
func (x *Ctx) Also(args ...[]byte) {
	if !x.s.propagating() {
		return
	}
	x.prop.ops = append(x.prop.ops, propOp{db: x.DB.ID, args: args})
}

// AlsoIn is Also for a command in database db (MOVE, SWAPDB's other side).
func (x *Ctx) AlsoIn(db int, args ...[]byte) {
	if !x.s.propagating() {
		return
	}
	x.prop.ops = append(x.prop.ops, propOp{db: db, args: args})
}

// propagating reports whether effects are being recorded (the AOF is on).
func (s *Server) propagating() bool { return s.aof.on.Load() }

// beginProp resets the per-command part of x's propagation state.
func (x *Ctx) beginProp() {
	x.prop.dirty = 0
	x.prop.as = nil
	x.prop.none = false
	x.prop.force = false
}

// collectProp adds the command's own propagated form to the gathered ops.
func (s *Server) collectProp(x *Ctx) {
	p := &x.prop
	if (p.dirty == 0 && !p.force) || p.none || x.Cmd.Name == "exec" || !s.propagating() {
		return
	}
	args := p.as
	if args == nil {
		args = x.Args
	}
	if len(args) == 0 {
		// A serve function that set no form (its Ctx has no Args): an
		// empty entry would make the log unloadable.
		return
	}
	p.ops = append(p.ops, propOp{db: x.DB.ID, args: args})
}

// flushProp writes the gathered ops to the log, wrapped in MULTI/EXEC when
// there are several, and remembers the log offset the client's reply waits
// for. The caller still holds the locks of every key the ops touch.
func (s *Server) flushProp(c *Client, x *Ctx) {
	p := &x.prop
	if len(p.ops) == 0 {
		p.open = false
		return
	}
	if s.propagating() {
		end := s.aof.appendOps(p.ops)
		if c != nil {
			c.waitLogged(end)
		}
	}
	clear(p.ops)
	p.ops = p.ops[:0]
	p.open = false
}

// propagateDeletion logs the removal of an expired or evicted key as Redis
// does: DEL, or UNLINK when lazyOption (lazyfree-lazy-expire or -eviction)
// is on. The caller holds the key's shard lock.
func (s *Server) propagateDeletion(db *store.DB, key []byte, lazyOption string) {
	if !s.propagating() {
		return
	}
	// Expired lazily inside a command: logged with the command's effects,
	// before them and in the same MULTI, as Redis does.
	owner := shardOwner(db, key)
	name := argDel
	if s.cfgYes(lazyOption) {
		name = argUnlink
	}
	k := append([]byte(nil), key...)
	if owner != nil && owner.prop.open {
		owner.prop.ops = append(owner.prop.ops, propOp{db: db.ID, args: [][]byte{name, k}})
		return
	}
	s.aof.appendOps([]propOp{{db: db.ID, args: [][]byte{name, k}}})
}

// Command names and words the server writes into the log itself.
var (
	argDel       = []byte("DEL")
	argUnlink    = []byte("UNLINK")
	argMulti     = []byte("MULTI")
	argExec      = []byte("EXEC")
	argSet       = []byte("SET")
	argPXAT      = []byte("PXAT")
	argKeepTTL   = []byte("KEEPTTL")
	argPexpireat = []byte("PEXPIREAT")
	argPersist   = []byte("PERSIST")
)
