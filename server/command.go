package server

import (
	"sort"
	"strings"
)

// Flag is a command flag, as COMMAND INFO reports it.
type Flag uint32

// Command flags, named as in Redis's command table.
const (
	FlagWrite Flag = 1 << iota
	FlagReadonly
	FlagDenyOOM
	FlagAdmin
	FlagPubSub
	FlagNoScript
	FlagBlocking
	FlagLoading
	FlagStale
	FlagSkipMonitor
	FlagSkipSlowlog
	FlagAsking
	FlagFast
	FlagNoAuth
	FlagMayReplicate
	FlagNoMandatoryKeys
	FlagNoAsyncLoading
	FlagNoMulti
	FlagAllowBusy
	FlagMovableKeys // derived: the command has a KeysFunc
)

var flagNames = []struct {
	f    Flag
	name string
}{
	{FlagWrite, "write"}, {FlagReadonly, "readonly"}, {FlagDenyOOM, "denyoom"},
	{FlagAdmin, "admin"}, {FlagPubSub, "pubsub"}, {FlagNoScript, "noscript"},
	{FlagBlocking, "blocking"}, {FlagLoading, "loading"}, {FlagStale, "stale"},
	{FlagSkipMonitor, "skip_monitor"}, {FlagSkipSlowlog, "skip_slowlog"},
	{FlagAsking, "asking"}, {FlagFast, "fast"}, {FlagNoAuth, "no_auth"},
	{FlagMayReplicate, "may_replicate"}, {FlagNoMandatoryKeys, "no_mandatory_keys"},
	{FlagNoAsyncLoading, "no_async_loading"}, {FlagNoMulti, "no_multi"},
	{FlagAllowBusy, "allow_busy"}, {FlagMovableKeys, "movablekeys"},
}

// Names returns the flags' names in COMMAND INFO's order. Redis 7.0 does
// not report may_replicate, though its commands carry it.
func (f Flag) Names() []string {
	var out []string
	for _, fn := range flagNames {
		if f&fn.f != 0 && fn.f != FlagMayReplicate {
			out = append(out, fn.name)
		}
	}
	return out
}

// LockMode says which part of the keyspace a command needs locked while it
// runs.
type LockMode uint8

const (
	// LockKeys locks the shards of the command's keys in the selected
	// database (none if it has no keys).
	LockKeys LockMode = iota
	// LockDB locks every shard of the selected database.
	LockDB
	// LockAll locks every shard of every database.
	LockAll
	// LockSelf leaves locking to the handler, which walks shards one at a
	// time (SCAN, RANDOMKEY); inside EXEC everything is already locked.
	LockSelf
)

// Handler runs a command. It writes exactly one reply through the Ctx.
type Handler func(x *Ctx)

// Command is one entry of the command table.
type Command struct {
	Name  string // lower case; "config|get" for a subcommand
	Arity int    // argument count including the name; negative means at least -Arity
	Flags Flag
	ACL   []string // ACL categories without '@'

	// Key positions as COMMAND INFO reports them: the first key, the last
	// (negative counts from the end) and the step. 0,0,0 when keyless.
	FirstKey, LastKey, Step int
	// KeysFunc returns the argument positions of the keys of commands whose
	// keys cannot be described by FirstKey/LastKey/Step.
	KeysFunc func(args [][]byte) []int

	Lock LockMode
	// LockFunc, when set, chooses the lock mode from the arguments instead
	// of Lock (SORT locks the whole database only when BY or GET patterns
	// make it read keys it cannot name in advance).
	LockFunc func(args [][]byte) LockMode
	// ServerLockFunc is LockFunc for modes that depend on the server's
	// state: a script known to touch undeclared keys locks everything.
	ServerLockFunc func(s *Server, args [][]byte) LockMode
	Handler        Handler
	// Writes, when set, captures for a running snapshot what the command
	// is about to change, for commands whose locks do not say it: MOVE and
	// COPY lock every database to reach another, SWAPDB changes what no
	// key names, scripts and EXEC capture per command they run. Otherwise
	// the command's keys, or the shards it locks, are captured
	// (snapshotCaptureLocked). The caller holds the command's locks, ls.
	Writes func(s *Server, c *Client, cmd *Command, ls *lockSet, args [][]byte, db int)

	// Subcommands by lower-case name, for container commands (CONFIG, CLIENT...).
	Subcommands map[string]*Command
	parent      *Command

	stats *cmdStats
}

// FullName is the name COMMAND and error messages use ("config|get").
func (c *Command) FullName() string { return c.Name }

// ShortName is the subcommand's own name ("get" for "config|get").
func (c *Command) ShortName() string {
	if i := strings.IndexByte(c.Name, '|'); i >= 0 {
		return c.Name[i+1:]
	}
	return c.Name
}

// Is reports whether the command has all of the given flags.
func (c *Command) Is(f Flag) bool { return c.Flags&f == f }

// checkArity reports whether argc satisfies the command's arity.
func (c *Command) checkArity(argc int) bool {
	if c.Arity > 0 {
		return argc == c.Arity
	}
	return argc >= -c.Arity
}

// KeyPositions returns the argument positions of the command's keys in args.
func (c *Command) KeyPositions(args [][]byte, dst []int) []int {
	if c.KeysFunc != nil {
		return append(dst, c.KeysFunc(args)...)
	}
	if c.FirstKey <= 0 {
		return dst
	}
	last := c.LastKey
	if last < 0 {
		last = len(args) + last
	}
	step := c.Step
	if step <= 0 {
		step = 1
	}
	for i := c.FirstKey; i <= last && i < len(args); i += step {
		dst = append(dst, i)
	}
	return dst
}

// commandTable maps lower-case names to commands.
type commandTable map[string]*Command

func newCommandTable(cmds []*Command) commandTable {
	t := make(commandTable, len(cmds))
	for _, c := range cmds {
		c.init(nil)
		t[c.Name] = c
	}
	return t
}

func (c *Command) init(parent *Command) {
	c.parent = parent
	c.stats = &cmdStats{}
	if c.KeysFunc != nil {
		c.Flags |= FlagMovableKeys
	}
	for _, sc := range c.Subcommands {
		sc.init(c)
	}
}

// lookup finds a command by name without allocating.
func (t commandTable) lookup(name []byte) *Command {
	var buf [32]byte
	if len(name) > len(buf) {
		return t[strings.ToLower(string(name))]
	}
	b := buf[:len(name)]
	for i, ch := range name {
		if ch >= 'A' && ch <= 'Z' {
			ch += 'a' - 'A'
		}
		b[i] = ch
	}
	return t[string(b)]
}

// cmdCache remembers the commands a client named last, by the exact bytes
// it sent: clients mostly repeat a few commands, and the table costs a
// lowercasing and a map probe that often misses the CPU cache. The table
// does not change once the server serves (rename-command comes before).
type cmdCache struct {
	names [2][16]byte
	lens  [2]uint8
	cmds  [2]*Command
	next  uint8
}

func (cc *cmdCache) lookup(t commandTable, name []byte) *Command {
	for i, cmd := range cc.cmds {
		if cmd != nil && int(cc.lens[i]) == len(name) && string(cc.names[i][:len(name)]) == string(name) {
			return cmd
		}
	}
	cmd := t.lookup(name)
	if cmd != nil && len(name) <= len(cc.names[0]) {
		i := cc.next
		cc.next ^= 1
		copy(cc.names[i][:], name)
		cc.lens[i] = uint8(len(name))
		cc.cmds[i] = cmd
	}
	return cmd
}

// sorted returns every command and subcommand, sorted by name.
func (t commandTable) sorted() []*Command {
	out := make([]*Command, 0, len(t))
	for _, c := range t {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// subcommand builds a subcommand entry; its name is "parent|sub".
func sub(parent, name string, arity int, flags Flag, acl []string, h Handler) *Command {
	return &Command{Name: parent + "|" + name, Arity: arity, Flags: flags, ACL: acl, Handler: h}
}

func subs(list ...*Command) map[string]*Command {
	m := make(map[string]*Command, len(list))
	for _, c := range list {
		m[c.ShortName()] = c
	}
	return m
}
