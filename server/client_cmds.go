package server

import (
	"math"
	"net"
	"petrel/pubsub"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"petrel/internal/num"
)

// CLIENT and its subcommands, the CLIENT LIST line, and CLIENT REPLY's
// effect on dispatch.

// clientShown is the part of a client's state that CLIENT LIST and INFO
// show to other goroutines. The client's own goroutine publishes it after
// every command; each field is stored only when it changed, so a steady
// client pays a few loads per command.
type clientShown struct {
	db       atomic.Int32
	multi    atomic.Int32 // commands queued in MULTI plus one; 0 outside MULTI
	multiMem atomic.Int64
	resp     atomic.Int32 // 0 before the first command, meaning RESP2
	qbufCap  atomic.Int64
	rbs      atomic.Int64 // reply buffer capacity
	rbp      atomic.Int64 // largest reply batch built so far
}

func storeIfChanged32(a *atomic.Int32, v int32) {
	if a.Load() != v {
		a.Store(v)
	}
}

func storeIfChanged64(a *atomic.Int64, v int64) {
	if a.Load() != v {
		a.Store(v)
	}
}

// publishShown copies the goroutine-owned state CLIENT LIST shows into
// c.shown. Only the client's own goroutine calls it.
func (c *Client) publishShown() {
	sh := &c.shown
	storeIfChanged32(&sh.db, int32(c.db))
	storeIfChanged32(&sh.resp, int32(c.w.Proto))
	var m int32
	if c.inMulti {
		m = int32(len(c.queue)) + 1
	}
	if old := sh.multi.Load(); old != m {
		var mem int64
		switch {
		case m <= 1:
		case old == m-1 && old > 0: // one more command queued
			mem = sh.multiMem.Load() + queuedMem(c.queue[m-2])
		default:
			for _, q := range c.queue {
				mem += queuedMem(q)
			}
		}
		sh.multiMem.Store(mem)
		sh.multi.Store(m)
	}
	storeIfChanged64(&sh.qbufCap, int64(c.parser.BufferCap()))
	// Once a blocking command has parked the client, whoever serves or
	// unblocks it writes its reply buffer: leave the buffer alone then.
	if c.blockedOn == nil {
		storeIfChanged64(&sh.rbs, int64(cap(c.w.Bytes())))
		if n := int64(c.w.Len()); n > sh.rbp.Load() {
			sh.rbp.Store(n)
		}
	}
	// RESET clears these modes without touching the flags.
	if c.noEvict != c.hasFlag(cflagNoEvict) {
		c.setFlag(cflagNoEvict, c.noEvict)
	}
	if c.noTouch != c.hasFlag(cflagNoTouch) {
		c.setFlag(cflagNoTouch, c.noTouch)
	}
}

// queuedMem is what Redis counts as multi-mem for one queued command: its
// arguments plus one pointer per argument.
func queuedMem(q queued) int64 {
	n := int64(len(q.args)) * 8
	for _, a := range q.args {
		n += int64(len(a))
	}
	return n
}

// setLastCmd records the command CLIENT LIST shows as cmd=. Redis records
// it when the command is looked up, so rejected and queued commands count;
// "NULL" stands for an unknown one.
func (c *Client) setLastCmd(name string) {
	c.infoMu.Lock()
	c.lastCmd = name
	c.infoMu.Unlock()
}

// dispatchQuiet runs a command under CLIENT REPLY OFF or SKIP. Whatever the
// command writes is dropped unless it turned replies back on (CLIENT REPLY
// ON replies +OK), as Redis drops replies for such clients at write time.
func (s *Server) dispatchQuiet(c *Client, args [][]byte) {
	// Send earlier replies first, so the buffer holds only this command's.
	c.flush()
	if c.replyMode == replySkipNext {
		c.replyMode = replySkip // the command after CLIENT REPLY SKIP
	}
	c.pushedReply = false
	s.dispatchCommand(c, args)
	// Subscribe confirmations go out, as in Redis.
	if (c.replyMode == replyOff || c.replyMode == replySkip) && !c.pushedReply {
		c.w.Reset()
	}
	if c.replyMode == replySkip {
		c.replyMode = replyOn
	}
	if c.quietPushes.Len() > 0 {
		c.w.WriteRaw(c.quietPushes.Bytes())
		c.quietPushes.Reset()
	}
}

// Client types, as CLIENT LIST TYPE and CLIENT KILL TYPE name them.
const (
	clientTypeNormal = iota
	clientTypeReplica
	clientTypePubSub
	clientTypeMaster
)

func parseClientType(name []byte) (int, bool) {
	switch strings.ToLower(string(name)) {
	case "normal":
		return clientTypeNormal, true
	case "slave", "replica":
		return clientTypeReplica, true
	case "pubsub":
		return clientTypePubSub, true
	case "master":
		return clientTypeMaster, true
	}
	return 0, false
}

// clientTypeOf classifies a client. Petrel has no replication links, and
// MONITOR clients count as normal ones, as in Redis; a client with any
// subscription, in either protocol, is a pubsub one.
func clientTypeOf(c *Client) int {
	if c.subscriptions() > 0 {
		return clientTypePubSub
	}
	return clientTypeNormal
}

// snapshotClients returns the connected clients ordered by ID, which is the
// order Redis lists them in (connection order).
func (s *Server) snapshotClients() []*Client {
	s.clientsMu.Lock()
	out := make([]*Client, 0, len(s.clients))
	for _, c := range s.clients {
		out = append(out, c)
	}
	s.clientsMu.Unlock()
	slices.SortFunc(out, func(a, b *Client) int { return int(a.ID - b.ID) })
	return out
}

func (s *Server) clientByID(id int64) *Client {
	s.clientsMu.Lock()
	defer s.clientsMu.Unlock()
	return s.clients[id]
}

// killClient disconnects another client and takes it out of the client list
// and its subscriptions at once, so that CLIENT LIST, INFO and PUBLISH no
// longer count it when CLIENT KILL returns, as with Redis's synchronous
// freeClient. Its goroutine finishes the cleanup.
func (s *Server) killClient(c *Client) {
	c.kill()
	if c.hasFlag(cflagMonitor) {
		s.removeMonitor(c)
	}
	s.pubsub.RemoveAll(c) // the hub locks; c's counters stay c's to reset
	s.clientsMu.Lock()
	delete(s.clients, c.ID)
	s.clientsMu.Unlock()
}

// fd returns the connection's file descriptor, or -1.
func (c *Client) fd() int {
	sc, ok := c.conn.(syscall.Conn)
	if !ok {
		return -1
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return -1
	}
	fd := -1
	if rc.Control(func(f uintptr) { fd = int(f) }) != nil {
		return -1
	}
	return fd
}

const clientStructSize = int64(unsafe.Sizeof(Client{}))

// appendClientLine appends the client's CLIENT LIST line, without the
// newline, with Redis 7.0's fields in its order. x is the running command's
// context: the calling client's own line shows its live state.
func (s *Server) appendClientLine(dst []byte, c *Client, x *Ctx, now time.Time) []byte {
	self := c == x.c
	c.infoMu.Lock()
	name, lastCmd, lastActive := c.name, c.lastCmd, c.lastActive
	pending := int64(len(c.async))
	c.infoMu.Unlock()

	var db, multi, resp int
	var multiMem, qbuf, qbufFree, argvMem, rbs, rbp int64
	if self {
		db, resp = c.db, c.w.Proto
		multi = -1
		if c.hasFlag(cflagMulti) {
			multi = len(c.queue)
			for _, q := range c.queue {
				multiMem += queuedMem(q)
			}
		}
		// The query buffer still holds the running command, as in Redis.
		qbuf = int64(c.parser.Buffered()) + respSize(x.Args)
		qbufFree = max(0, int64(c.parser.BufferCap())-qbuf)
		for _, a := range x.Args {
			argvMem += int64(len(a))
		}
		rbs, rbp = int64(cap(c.w.Bytes())), max(c.shown.rbp.Load(), int64(c.w.Len()))
		lastCmd = x.Cmd.Name
		if c.inExec {
			lastCmd = "exec" // Redis shows the EXEC that runs the queued command
		}
		lastActive = now
	} else {
		sh := &c.shown
		db, multi, resp = int(sh.db.Load()), int(sh.multi.Load())-1, int(sh.resp.Load())
		multiMem = sh.multiMem.Load()
		qbufFree = sh.qbufCap.Load()
		rbs, rbp = sh.rbs.Load(), sh.rbp.Load()
	}
	if resp == 0 {
		resp = 2
	}
	if lastCmd == "" {
		lastCmd = "NULL"
	}
	var oll int64
	if pending > 0 {
		oll = 1
	}
	totMem := qbuf + qbufFree + argvMem + multiMem + rbs + pending + clientStructSize

	dst = append(dst, "id="...)
	dst = strconv.AppendInt(dst, c.ID, 10)
	dst = append(dst, " addr="...)
	dst = append(dst, c.addr...)
	dst = append(dst, " laddr="...)
	dst = append(dst, c.laddr...)
	dst = append(dst, " fd="...)
	dst = strconv.AppendInt(dst, int64(c.fd()), 10)
	dst = append(dst, " name="...)
	dst = append(dst, name...)
	dst = append(dst, " age="...)
	dst = strconv.AppendInt(dst, int64(now.Sub(c.created)/time.Second), 10)
	dst = append(dst, " idle="...)
	dst = strconv.AppendInt(dst, int64(max(0, now.Sub(lastActive))/time.Second), 10)
	dst = append(dst, " flags="...)
	dst = appendClientFlags(dst, c)
	dst = append(dst, " db="...)
	dst = strconv.AppendInt(dst, int64(db), 10)
	dst = append(dst, " sub="...)
	dst = strconv.AppendInt(dst, int64(c.nsub[pubsub.Channels].Load()), 10)
	dst = append(dst, " psub="...)
	dst = strconv.AppendInt(dst, int64(c.nsub[pubsub.Patterns].Load()), 10)
	dst = append(dst, " ssub="...)
	dst = strconv.AppendInt(dst, int64(c.nsub[pubsub.ShardChannels].Load()), 10)
	dst = append(dst, " multi="...)
	dst = strconv.AppendInt(dst, int64(multi), 10)
	dst = append(dst, " qbuf="...)
	dst = strconv.AppendInt(dst, qbuf, 10)
	dst = append(dst, " qbuf-free="...)
	dst = strconv.AppendInt(dst, qbufFree, 10)
	dst = append(dst, " argv-mem="...)
	dst = strconv.AppendInt(dst, argvMem, 10)
	dst = append(dst, " multi-mem="...)
	dst = strconv.AppendInt(dst, multiMem, 10)
	dst = append(dst, " rbs="...)
	dst = strconv.AppendInt(dst, rbs, 10)
	dst = append(dst, " rbp="...)
	dst = strconv.AppendInt(dst, rbp, 10)
	dst = append(dst, " obl=0 oll="...)
	dst = strconv.AppendInt(dst, oll, 10)
	dst = append(dst, " omem="...)
	dst = strconv.AppendInt(dst, pending, 10)
	dst = append(dst, " tot-mem="...)
	dst = strconv.AppendInt(dst, totMem, 10)
	dst = append(dst, " events=r"...)
	if pending > 0 {
		dst = append(dst, 'w')
	}
	dst = append(dst, " cmd="...)
	dst = append(dst, lastCmd...)
	dst = append(dst, " user=default redir="...)
	redir := int64(-1)
	if conf := c.trackConf.Load(); conf != nil {
		redir = conf.redirect
	}
	dst = strconv.AppendInt(dst, redir, 10)
	dst = append(dst, " resp="...)
	dst = strconv.AppendInt(dst, int64(resp), 10)
	return dst
}

// appendClientFlags writes the flags= letters in Redis's order.
func appendClientFlags(dst []byte, c *Client) []byte {
	start := len(dst)
	f := clientFlag(c.flags.Load())
	if f&cflagMonitor != 0 {
		dst = append(dst, 'O')
	}
	if c.subscriptions() > 0 {
		dst = append(dst, 'P')
	}
	if f&cflagMulti != 0 {
		dst = append(dst, 'x')
	}
	if f&cflagBlocked != 0 {
		dst = append(dst, 'b')
	}
	if conf := c.trackConf.Load(); conf != nil {
		dst = append(dst, 't')
		if c.trackBroken.Load() {
			dst = append(dst, 'R')
		}
		if conf.bcast {
			dst = append(dst, 'B')
		}
	}
	if w := c.watch.Load(); w != nil && w.Dirty.Load() {
		dst = append(dst, 'd')
	}
	if f&cflagCloseASAP != 0 || c.closed.Load() {
		dst = append(dst, 'A')
	}
	if c.isUnix {
		dst = append(dst, 'U')
	}
	if f&cflagNoEvict != 0 {
		dst = append(dst, 'e')
	}
	if f&cflagNoTouch != 0 {
		dst = append(dst, 'T')
	}
	if len(dst) == start {
		dst = append(dst, 'N')
	}
	return dst
}

// respSize is the size of args encoded as a RESP array of bulk strings.
func respSize(args [][]byte) int64 {
	n := int64(1 + len(strconv.Itoa(len(args))) + 2)
	for _, a := range args {
		n += int64(1+len(strconv.Itoa(len(a)))+2) + int64(len(a)) + 2
	}
	return n
}

func cmdClientId(x *Ctx) { x.W.WriteInt(x.c.ID) }

func cmdClientSetname(x *Ctx) {
	name := x.Args[2]
	if !validClientName(name) {
		x.Error(errClientName)
		return
	}
	x.c.infoMu.Lock()
	x.c.name = string(name)
	x.c.infoMu.Unlock()
	x.W.WriteOK()
}

func cmdClientGetname(x *Ctx) {
	if name := x.c.getName(); name != "" {
		x.W.WriteBulkString(name)
		return
	}
	x.W.WriteNull()
}

// cmdClientSetinfo is Redis 7.2's CLIENT SETINFO. The values are kept but,
// to keep CLIENT LIST identical to Redis 7.0's, not listed.
func cmdClientSetinfo(x *Ctx) {
	attr, val := x.Args[2], x.Args[3]
	lower := strings.ToLower(string(attr))
	if lower != "lib-name" && lower != "lib-ver" {
		x.Errorf("ERR Unrecognized option '%s'", attr)
		return
	}
	if !validClientName(val) {
		x.Errorf("ERR %s cannot contain spaces, newlines or special characters.", attr)
		return
	}
	x.c.infoMu.Lock()
	if lower == "lib-name" {
		x.c.libName = string(val)
	} else {
		x.c.libVer = string(val)
	}
	x.c.infoMu.Unlock()
	x.W.WriteOK()
}

func cmdClientInfo(x *Ctx) {
	line := x.s.appendClientLine(nil, x.c, x, time.Now())
	x.W.WriteVerbatim("txt", append(line, '\n'))
}

func cmdClientList(x *Ctx) {
	var clients []*Client
	args := x.Args
	switch {
	case len(args) == 2:
		clients = x.s.snapshotClients()
	case len(args) == 4 && strings.EqualFold(string(args[2]), "type"):
		t, ok := parseClientType(args[3])
		if !ok {
			x.Errorf("ERR Unknown client type '%s'", args[3])
			return
		}
		for _, c := range x.s.snapshotClients() {
			if clientTypeOf(c) == t {
				clients = append(clients, c)
			}
		}
	case len(args) > 3 && strings.EqualFold(string(args[2]), "id"):
		// Listed in argument order, repeats included, as Redis does.
		for _, a := range args[3:] {
			id, ok := num.ParseInt(a)
			if !ok {
				x.Error("ERR Invalid client ID")
				return
			}
			if c := x.s.clientByID(id); c != nil {
				clients = append(clients, c)
			}
		}
	default:
		x.Error(ErrSyntax)
		return
	}
	now := time.Now()
	var out []byte
	for _, c := range clients {
		out = x.s.appendClientLine(out, c, x, now)
		out = append(out, '\n')
	}
	x.W.WriteVerbatim("txt", out)
}

// clientKillFilter is the set of CLIENT KILL filters; unset ones match all.
type clientKillFilter struct {
	id         int64 // 0: any
	typ        int   // -1: any
	addr       string
	laddr      string
	user       string
	haveAddr   bool
	haveLaddr  bool
	haveUser   bool
	skipMe     bool
	legacyAddr bool // CLIENT KILL ip:port
}

func (f *clientKillFilter) match(c *Client) bool {
	switch {
	case f.haveAddr && c.addr != f.addr,
		f.haveLaddr && c.laddr != f.laddr,
		f.typ >= 0 && clientTypeOf(c) != f.typ,
		f.id != 0 && c.ID != f.id:
		return false
	}
	// Every client is the default user until ACL users exist.
	return !f.haveUser || f.user == "default"
}

func cmdClientKill(x *Ctx) {
	args := x.Args
	f := clientKillFilter{typ: -1, skipMe: true}
	if len(args) == 3 {
		// The old form: kill by address, reply +OK or an error.
		f.addr, f.haveAddr, f.skipMe, f.legacyAddr = string(args[2]), true, false, true
	} else {
		for i := 2; i < len(args); i += 2 {
			opt := strings.ToLower(string(args[i]))
			if i+1 >= len(args) {
				x.Error(ErrSyntax)
				return
			}
			val := args[i+1]
			switch opt {
			case "id":
				id, ok := num.ParseInt(val)
				if !ok || id < 1 {
					x.Error("ERR client-id should be greater than 0")
					return
				}
				f.id = id
			case "type":
				t, ok := parseClientType(val)
				if !ok {
					x.Errorf("ERR Unknown client type '%s'", val)
					return
				}
				f.typ = t
			case "addr":
				f.addr, f.haveAddr = string(val), true
			case "laddr":
				f.laddr, f.haveLaddr = string(val), true
			case "user":
				if string(val) != "default" {
					x.Errorf("ERR No such user '%s'", val)
					return
				}
				f.user, f.haveUser = string(val), true
			case "skipme":
				switch strings.ToLower(string(val)) {
				case "yes":
					f.skipMe = true
				case "no":
					f.skipMe = false
				default:
					x.Error(ErrSyntax)
					return
				}
			default:
				x.Error(ErrSyntax)
				return
			}
		}
	}
	killed := 0
	for _, c := range x.s.snapshotClients() {
		if !f.match(c) || (c == x.c && f.skipMe) {
			continue
		}
		if c == x.c {
			// Killing itself: the reply goes out first.
			x.c.closeAfter = true
		} else {
			x.s.killClient(c)
		}
		killed++
	}
	if f.legacyAddr {
		if killed == 0 {
			x.Error("ERR No such client")
			return
		}
		x.W.WriteOK()
		return
	}
	x.W.WriteInt(int64(killed))
}

// onOff parses CLIENT's ON|OFF arguments.
func onOff(b []byte) (on, ok bool) {
	switch strings.ToLower(string(b)) {
	case "on":
		return true, true
	case "off":
		return false, true
	}
	return false, false
}

func cmdClientNoEvict(x *Ctx) {
	on, ok := onOff(x.Args[2])
	if !ok {
		x.Error(ErrSyntax)
		return
	}
	x.c.noEvict = on
	x.c.setFlag(cflagNoEvict, on)
	x.W.WriteOK()
}

// cmdClientNoTouch is Redis 7.2's CLIENT NO-TOUCH: the client's reads leave
// keys' LRU/LFU data alone (Ctx.touchLRU).
func cmdClientNoTouch(x *Ctx) {
	on, ok := onOff(x.Args[2])
	if !ok {
		x.Error(ErrSyntax)
		return
	}
	x.c.noTouch = on
	x.c.setFlag(cflagNoTouch, on)
	x.W.WriteOK()
}

// subcommandSyntaxError is Redis's reply to a known subcommand given the
// wrong arguments.
func subcommandSyntaxError(x *Ctx) {
	parent, _, _ := strings.Cut(x.Cmd.Name, "|")
	x.Errorf("ERR unknown subcommand or wrong number of arguments for '%.128s'. Try %s HELP.",
		cString(x.Args[1]), strings.ToUpper(parent))
}

// maxPause bounds CLIENT PAUSE's timeout so that the deadline stays
// representable; it is longer than any server lives.
const maxPause = 100 * 365 * 24 * time.Hour

func cmdClientPause(x *Ctx) {
	if len(x.Args) > 4 {
		subcommandSyntaxError(x)
		return
	}
	all := true
	if len(x.Args) == 4 {
		switch strings.ToLower(string(x.Args[3])) {
		case "write":
			all = false
		case "all":
		default:
			x.Error("ERR CLIENT PAUSE mode must be WRITE or ALL")
			return
		}
	}
	ms, ok := nonNegativeArg(x, x.Args[2], "ERR timeout is not an integer or out of range", "ERR timeout is negative")
	if !ok {
		return
	}
	if ms > math.MaxInt64-time.Now().UnixMilli() {
		// Redis's deadline overflows into the past: the pause is a no-op.
		x.W.WriteOK()
		return
	}
	d := maxPause
	if ms < int64(maxPause/time.Millisecond) {
		d = time.Duration(ms) * time.Millisecond
	}
	x.s.pauseClients(d, all)
	x.W.WriteOK()
}

func cmdClientUnpause(x *Ctx) {
	x.s.unpauseClients()
	x.W.WriteOK()
}

func cmdClientReply(x *Ctx) {
	c := x.c
	switch strings.ToLower(string(x.Args[2])) {
	case "on":
		c.replyMode = replyOn
		x.W.WriteOK()
	case "off":
		c.replyMode = replyOff
	case "skip":
		if c.replyMode != replyOff {
			c.replyMode = replySkipNext
		}
	default:
		x.Error(ErrSyntax)
	}
}

// cmdClientUnblock releases a client blocked by a blocking command, as if
// its timeout had passed or, with ERROR, with an -UNBLOCKED error. Clients
// waiting out CLIENT PAUSE are not released, as in Redis.
func cmdClientUnblock(x *Ctx) {
	if len(x.Args) > 4 {
		subcommandSyntaxError(x)
		return
	}
	withError := false
	if len(x.Args) == 4 {
		switch strings.ToLower(string(x.Args[3])) {
		case "timeout":
		case "error":
			withError = true
		default:
			x.Error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR")
			return
		}
	}
	id, ok := num.ParseInt(x.Args[2])
	if !ok {
		x.Error(ErrNotInt)
		return
	}
	if c := x.s.clientByID(id); c != nil && x.s.unblockClient(c, withError) {
		x.W.WriteInt(1)
		return
	}
	x.W.WriteInt(0)
}

var clientHelp = []string{
	"CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"CACHING (YES|NO)",
	"    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
	"GETREDIR",
	"    Return the client ID we are redirecting to when tracking is enabled.",
	"GETNAME",
	"    Return the name of the current connection.",
	"ID",
	"    Return the ID of the current connection.",
	"INFO",
	"    Return information about the current client connection.",
	"KILL <ip:port>",
	"    Kill connection made from <ip:port>.",
	"KILL <option> <value> [<option> <value> [...]]",
	"    Kill connections. Options are:",
	"    * ADDR (<ip:port>|<unixsocket>:0)",
	"      Kill connections made from the specified address",
	"    * LADDR (<ip:port>|<unixsocket>:0)",
	"      Kill connections made to specified local address",
	"    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
	"      Kill connections by type.",
	"    * USER <username>",
	"      Kill connections authenticated by <username>.",
	"    * SKIPME (YES|NO)",
	"      Skip killing current connection (default: yes).",
	"LIST [options ...]",
	"    Return information about client connections. Options:",
	"    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
	"      Return clients of specified type.",
	"UNPAUSE",
	"    Stop the current client pause, resuming traffic.",
	"PAUSE <timeout> [WRITE|ALL]",
	"    Suspend all, or just write, clients for <timeout> milliseconds.",
	"REPLY (ON|OFF|SKIP)",
	"    Control the replies sent to the current connection.",
	"SETNAME <name>",
	"    Assign the name <name> to the current connection.",
	"UNBLOCK <clientid> [TIMEOUT|ERROR]",
	"    Unblock the specified blocked client.",
	"TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
	"         [OPTIN] [OPTOUT] [NOLOOP]",
	"    Control server assisted client side caching.",
	"TRACKINGINFO",
	"    Report tracking status for the current connection.",
	"NO-EVICT (ON|OFF)",
	"    Protect current client connection from eviction.",
	"HELP",
	"    Prints this help.",
}

func cmdClientHelp(x *Ctx) { writeHelp(x, clientHelp) }

// writeHelp writes a HELP reply: an array of status lines.
func writeHelp(x *Ctx, lines []string) {
	x.W.WriteArrayLen(len(lines))
	for _, l := range lines {
		x.W.WriteSimple(l)
	}
}

// isLocalClient reports whether the client connects over a Unix socket or
// from a loopback address, the "local" of enable-debug-command.
func isLocalClient(c *Client) bool {
	if c.isUnix {
		return true
	}
	ta, ok := c.conn.RemoteAddr().(*net.TCPAddr)
	return ok && (ta.IP.Equal(net.IPv4(127, 0, 0, 1)) || ta.IP.Equal(net.IPv6loopback))
}
