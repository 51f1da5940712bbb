package server

import (
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"petrel/pubsub"
	"petrel/resp"
	"petrel/store"
)

// Client is one connection. Its fields are owned by the goroutine serving it
// (its own, or the runner of the event loop it is attached to),
// except where a comment says otherwise.
type Client struct {
	ID      int64
	conn    net.Conn
	parser  *resp.Parser
	w       *resp.Writer
	srv     *Server
	created time.Time
	addr    string // ip:port of the peer, as CLIENT LIST shows it
	laddr   string
	isUnix  bool

	db            int
	authenticated bool
	closeAfter    bool // QUIT, CLIENT KILL of itself, protocol errors
	deadlineSet   bool // a read deadline for the idle timeout is armed

	// set by other goroutines (CLIENT LIST, INFO); guarded by infoMu
	infoMu     sync.Mutex
	name       string
	libName    string
	libVer     string
	lastCmd    string
	lastActive time.Time

	flags atomic.Uint32 // clientFlag bits visible to other goroutines

	// MULTI state
	inMulti    bool
	multiError bool
	queue      []queued
	// watch is the client's WATCH state, made on first use; UNWATCH during a
	// busy script replaces it (unwatchAll)
	watch   atomic.Pointer[store.Watch]
	watched []watchedKey

	replyMode replyMode
	// pushedReply marks a command whose replies were (un)subscribe
	// confirmations: pushes, which CLIENT REPLY OFF and SKIP let through.
	pushedReply bool
	// quietPushes holds the messages and events a command under CLIENT
	// REPLY OFF or SKIP raised for its own client, kept when its reply
	// is dropped.
	quietPushes resp.Writer
	noEvict     bool
	noTouch     bool
	// oomBefore is whether memory was over maxmemory when the running
	// command was dispatched (Redis's pre_command_oom_state)
	oomBefore bool
	// scriptCaller is, for a script's internal client, the EVAL or FCALL
	// running it: messages the script's commands publish to that client
	// go inline, before the script's reply.
	scriptCaller *Ctx

	// out serialises writes to conn between the client's goroutine and
	// pushes from others (MONITOR).
	outMu      sync.Mutex
	async      []byte // pushes waiting to be written; guarded by infoMu
	asyncSig   chan struct{}
	busy       atomic.Bool // running commands: pushes wait for flush
	softSince  time.Time   // over the soft output limit since; guarded by infoMu
	flushSpare []byte      // a drained push buffer kept for reuse
	closed     atomic.Bool
	// proto mirrors w.Proto for goroutines that encode pushes
	proto atomic.Int32
	// tracking (tracking.go): the mode, read by writers on any goroutine
	trackConf   atomic.Pointer[trackingConf]
	trackBroken atomic.Bool // the redirect target went away
	// CLIENT CACHING YES/NO for the next command
	cachingYes, cachingNo bool

	// toWake holds the subscribers this client's commands queued messages
	// for, woken at its flush; owned by the client's goroutine, as are
	// lastToWake (the last added), wakeLaterFn (wakeLater as a func, made
	// by newClient) and scratchDelivery (what its publishes reuse)
	toWake          map[*Client]struct{}
	lastToWake      *Client
	wakeLaterFn     func(pubsub.Subscriber)
	scratchDelivery pubsub.Delivery

	// cmdCache speeds up finding the commands the client repeats; owned
	// by the client's goroutine
	cmdCache cmdCache

	// nsub counts subscriptions per pubsub.Scope; written by the client's
	// goroutine only
	nsub [3]atomic.Int32

	// shown is the state CLIENT LIST shows to other goroutines, published
	// after each command (client_cmds.go).
	shown clientShown

	// blocking commands (blocking.go)
	blockedOn    *waiter       // set while the client waits in a blocking command
	closedCh     chan struct{} // closed by kill
	inExec       bool          // running the queued commands of EXEC
	retryBlocked bool          // woken without being served: run the command again
	// turn orders this client, once served by a push, after the clients
	// served before it (Server.nextTurn); released when its input is done.
	turn *turnTicket

	// loader marks the AOF loader's client (aof_load.go)
	loader bool
	// aofAt is the AOF offset this client's pending replies wait for
	// (aof.go); a command serving it while blocked may raise it.
	aofAt atomic.Int64

	// loop is the event loop serving the client, nil while it has its own
	// goroutine; raw and io make the loop's system calls (eventloop_linux.go)
	loop atomic.Pointer[eventLoop]
	raw  syscall.RawConn
	io   rawIO
	// loopTurn is set by the loop's runner while it runs c's input: the
	// replies then wait in c.w for the end of the runner's batch, and
	// flushDue says they do (owned by whoever serves c). flushQueued says
	// c is in its loop's list of clients to flush (guarded by the loop's mu).
	loopTurn, flushDue, flushQueued bool
	// aff is the batch's use of shards, which decides the loop c moves to
	// (affinity.go); owned by whoever serves c.
	aff loopAffinity

	ctx    Ctx     // reused for every command to avoid an allocation
	locks  lockSet // the running command's shard locks, reused likewise
	keyBuf []int
}

type clientFlag uint32

const (
	cflagMonitor clientFlag = 1 << iota
	cflagMulti
	cflagBlocked
	cflagCloseASAP
	cflagNoEvict  // CLIENT NO-EVICT on
	cflagNoTouch  // CLIENT NO-TOUCH on
	cflagPushable // may receive pushes (pub/sub, tracking, MONITOR)
)

type replyMode uint8

const (
	replyOn replyMode = iota
	replyOff
	replySkipNext
	replySkip // the current command's reply is being skipped
)

type queued struct {
	cmd  *Command
	args [][]byte
}

// watchState returns the client's WATCH state, made on first use.
func (c *Client) watchState() *store.Watch {
	if w := c.watch.Load(); w != nil {
		return w
	}
	c.watch.CompareAndSwap(nil, new(store.Watch))
	return c.watch.Load()
}

type watchedKey struct {
	db      int
	key     string
	expired bool // the key was missing or expired when WATCHed
}

func (c *Client) setFlag(f clientFlag, on bool) {
	for {
		old := c.flags.Load()
		nw := old &^ uint32(f)
		if on {
			nw |= uint32(f)
		}
		if c.flags.CompareAndSwap(old, nw) {
			return
		}
	}
}

func (c *Client) hasFlag(f clientFlag) bool { return c.flags.Load()&uint32(f) != 0 }

// Output ordering. Replies are built in c.w by the client's own goroutine;
// pushes from other goroutines (pub/sub messages, invalidations, MONITOR
// lines) queue in c.async. While the client's goroutine is running commands
// (busy), pushes wait for its flush, which writes the replies first and the
// pushes after them: a message that a SUBSCRIBE made possible can never
// overtake the SUBSCRIBE's reply. While it is idle, the async writer sends
// pushes at once. Lock order: outMu before infoMu.

// waitLogged makes the client's pending replies wait until the AOF holds
// everything up to offset end.
func (c *Client) waitLogged(end int64) { raiseTo(&c.aofAt, end) }

// flush writes the buffered replies, then any pushes queued meanwhile.
func (c *Client) flush() error {
	c.flushDue = false
	if len(c.toWake) > 0 {
		defer c.wakeAll() // after this client's own writes
	}
	if at := c.aofAt.Load(); at > 0 {
		// Nothing is acknowledged before the log holds it.
		c.srv.waitDurable(at)
		c.aofAt.CompareAndSwap(at, 0)
	}
	if c.w.Len() == 0 && !c.busy.Load() {
		return nil
	}
	c.outMu.Lock()
	var pushes []byte
	if c.hasFlag(cflagPushable) {
		c.infoMu.Lock()
		pushes, c.async = c.async, c.flushSpare[:0]
		c.busy.Store(false)
		c.infoMu.Unlock()
	}
	var n int
	var err error
	if c.w.Len() > 0 {
		n, err = c.writeOut(c.w.Bytes())
	}
	if len(pushes) > 0 && err == nil {
		var m int
		m, err = c.writeOut(pushes)
		n += m
	}
	c.flushSpare = pushes
	c.outMu.Unlock()
	c.srv.stats.netOutputBytes.add(c.ID, int64(n))
	c.srv.stats.writes.add(c.ID, 1)
	c.w.Reset()
	if cap(c.w.Bytes()) > 1<<20 {
		*c.w = resp.Writer{Proto: c.w.Proto}
	}
	return err
}

// markBusy tells pushes to wait for the client's next flush. The client's
// goroutine calls it before running commands, and before a command makes
// the client a push receiver.
func (c *Client) markBusy() {
	if c.hasFlag(cflagPushable) {
		c.busy.Store(true)
	}
}

// makePushable turns the client into one that may receive pushes; the
// client's goroutine calls it from the command that subscribes.
func (c *Client) makePushable() {
	c.setFlag(cflagPushable, true)
	c.busy.Store(true)
}

// push queues server-initiated output (a MONITOR line) for the client, so
// the producer never waits on a slow reader.
func (c *Client) push(b []byte, limit int) {
	c.infoMu.Lock()
	c.async = append(c.async, b...)
	c.afterPushLocked(limit, 0, 0, true)
}

// afterPushLocked ends a push made with infoMu held: it applies the output
// buffer limits (hard, or soft for softSecs seconds; 0 is no limit),
// signals the writer if wake is set, and unlocks infoMu.
func (c *Client) afterPushLocked(hard, soft int, softSecs int64, wake bool) {
	if c.closed.Load() {
		c.async = c.async[:0]
		c.infoMu.Unlock()
		return
	}
	over := hard > 0 && len(c.async) > hard
	if soft > 0 && len(c.async) > soft {
		now := time.Now()
		if c.softSince.IsZero() {
			c.softSince = now
		} else if now.Sub(c.softSince) >= time.Duration(softSecs)*time.Second {
			over = true
		}
	} else {
		c.softSince = time.Time{}
	}
	if over {
		c.async = c.async[:0]
		c.infoMu.Unlock()
		c.srv.logf(LogWarning, "Client %s scheduled to be closed ASAP for overcoming of output buffer limits.", c.describe())
		c.kill()
		return
	}
	if wake {
		c.signalLocked()
	}
	c.infoMu.Unlock()
}

// signalLocked starts the writer on queued pushes unless the client's own
// flush will send them. infoMu is held.
func (c *Client) signalLocked() {
	if c.busy.Load() || c.closed.Load() || len(c.async) == 0 {
		return
	}
	if c.asyncSig == nil {
		c.asyncSig = make(chan struct{}, 1)
		go c.asyncWriter(c.asyncSig)
	}
	select { // under infoMu, so kill cannot close the channel meanwhile
	case c.asyncSig <- struct{}{}:
	default:
	}
}

// wake starts writing pushes queued without waking (pubsub.Origin.Later).
func (c *Client) wake() {
	c.infoMu.Lock()
	c.signalLocked()
	c.infoMu.Unlock()
}

func (c *Client) asyncWriter(sig chan struct{}) {
	var buf []byte
	for range sig {
		c.outMu.Lock()
		c.infoMu.Lock()
		if c.busy.Load() { // the client's flush will send them
			c.infoMu.Unlock()
			c.outMu.Unlock()
			continue
		}
		buf, c.async = c.async, buf[:0]
		c.infoMu.Unlock()
		var n int
		var err error
		if len(buf) > 0 {
			n, err = c.conn.Write(buf)
		}
		c.outMu.Unlock()
		c.srv.stats.netOutputBytes.add(c.ID, int64(n))
		if err != nil || c.closed.Load() {
			return
		}
	}
}

// kill closes the connection; the client's goroutine, or its event loop,
// then cleans up.
func (c *Client) kill() {
	c.infoMu.Lock()
	defer c.infoMu.Unlock()
	if c.closed.CompareAndSwap(false, true) {
		c.conn.Close()
		close(c.closedCh)
		if c.asyncSig != nil {
			close(c.asyncSig)
		}
		if l := c.loop.Load(); l != nil {
			l.dropKilled(c) // a closed socket leaves epoll without a word
		}
	}
}

// setProto switches the client's protocol (HELLO, RESET).
func (c *Client) setProto(p int) {
	c.w.Proto = p
	c.proto.Store(int32(p))
}

func (c *Client) describe() string {
	return "id=" + strconv.FormatInt(c.ID, 10) + " addr=" + c.addr
}

func (c *Client) getName() string {
	c.infoMu.Lock()
	defer c.infoMu.Unlock()
	return c.name
}

// releaseTurn lets the client served after this one go on.
func (c *Client) releaseTurn() {
	if c.turn != nil {
		c.turn.release()
		c.turn = nil
	}
}
