package server

import "strconv"

// Helpers for the command families' propagated forms (propagate.go): what
// a command writes to the AOF when Redis writes its effect rather than the
// command as sent. A handler builds such a form only when x.propagating(),
// so a server without an AOF pays nothing for it.

// Words of the forms the families build, upper-case as Redis writes them.
var (
	argLpop       = []byte("LPOP")
	argRpop       = []byte("RPOP")
	argLmove      = []byte("LMOVE")
	argRpoplpush  = []byte("RPOPLPUSH")
	argLeftLower  = []byte("left")
	argRightLower = []byte("right")
	argSrem       = []byte("SREM")
	argZpopmin    = []byte("ZPOPMIN")
	argZpopmax    = []byte("ZPOPMAX")
	argZaddLower  = []byte("zadd") // GEOADD's rewrite, lower-case in Redis
	argHset       = []byte("HSET")
	argHpexpireat = []byte("HPEXPIREAT")
	argAbsTTL     = []byte("ABSTTL")
	argEq         = []byte("=")
	argXclaim     = []byte("XCLAIM")
	argXgroup     = []byte("XGROUP")
	argSetid      = []byte("SETID")
	argCreateCon  = []byte("CREATECONSUMER")
	argEntRead    = []byte("ENTRIESREAD")
	argTime       = []byte("TIME")
	argRetry      = []byte("RETRYCOUNT")
	argForce      = []byte("FORCE")
	argJustID     = []byte("JUSTID")
	argLastID     = []byte("LASTID")
	argZero       = []byte("0")
)

// propagating reports whether the command's effects are being recorded:
// only then is a rewritten form worth building.
func (x *Ctx) propagating() bool { return x.s.propagating() }

// propInt formats n as a fresh argument.
func propInt(n int64) []byte { return strconv.AppendInt(nil, n, 10) }

// propDelete is the command Redis writes for a key a command deleted
// itself: DEL, or UNLINK when lazyOption (a lazyfree-lazy-* setting) is on.
func (x *Ctx) propDelete(key []byte, lazyOption string) {
	name := argDel
	if lazyOption != "" && x.s.cfgYes(lazyOption) {
		name = argUnlink
	}
	x.PropagateAs(name, key)
}
