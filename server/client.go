package server

import (
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"petrel/resp"
	"petrel/store"
)

// Client is one connection. Its fields are owned by the goroutine serving it,
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
	watch      store.Watch
	watched    []watchedKey

	replyMode replyMode
	noEvict   bool
	noTouch   bool

	// out serialises writes to conn between the client's goroutine and
	// pushes from others (MONITOR).
	outMu    sync.Mutex
	async    []byte // pushes waiting for the writer goroutine
	asyncSig chan struct{}
	closed   atomic.Bool

	// shown is the state CLIENT LIST shows to other goroutines, published
	// after each command (client_cmds.go).
	shown clientShown

	// blocking commands (blocking.go)
	blockedOn    *waiter       // set while the client waits in a blocking command
	closedCh     chan struct{} // closed by kill
	inExec       bool          // running the queued commands of EXEC
	retryBlocked bool          // woken without being served: run the command again

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
	cflagNoEvict // CLIENT NO-EVICT on
	cflagNoTouch // CLIENT NO-TOUCH on
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

// flush writes the buffered replies to the connection.
func (c *Client) flush() error {
	if c.w.Len() == 0 {
		return nil
	}
	c.outMu.Lock()
	n, err := c.conn.Write(c.w.Bytes())
	c.outMu.Unlock()
	c.srv.stats.netOutputBytes.Add(int64(n))
	c.srv.stats.writes.Add(1)
	c.w.Reset()
	if cap(c.w.Bytes()) > 1<<20 {
		*c.w = resp.Writer{Proto: c.w.Proto}
	}
	return err
}

// push queues server-initiated output (a MONITOR line) for the client's
// writer goroutine, so the producer never waits on a slow reader. A client
// whose pending pushes exceed limit is disconnected.
func (c *Client) push(b []byte, limit int) {
	if c.closed.Load() {
		return
	}
	c.infoMu.Lock()
	if limit > 0 && len(c.async)+len(b) > limit {
		c.infoMu.Unlock()
		c.srv.logf(LogWarning, "Client %s scheduled to be closed ASAP for overcoming of output buffer limits.", c.describe())
		c.kill()
		return
	}
	if c.closed.Load() {
		c.infoMu.Unlock()
		return
	}
	c.async = append(c.async, b...)
	if c.asyncSig == nil {
		c.asyncSig = make(chan struct{}, 1)
		go c.asyncWriter(c.asyncSig)
	}
	select { // under infoMu, so kill cannot close the channel meanwhile
	case c.asyncSig <- struct{}{}:
	default:
	}
	c.infoMu.Unlock()
}

func (c *Client) asyncWriter(sig chan struct{}) {
	var buf []byte
	for range sig {
		c.infoMu.Lock()
		buf, c.async = c.async, buf[:0]
		c.infoMu.Unlock()
		if len(buf) == 0 {
			continue
		}
		c.outMu.Lock()
		n, err := c.conn.Write(buf)
		c.outMu.Unlock()
		c.srv.stats.netOutputBytes.Add(int64(n))
		if err != nil || c.closed.Load() {
			return
		}
	}
}

// kill closes the connection; the client's goroutine then cleans up.
func (c *Client) kill() {
	c.infoMu.Lock()
	defer c.infoMu.Unlock()
	if c.closed.CompareAndSwap(false, true) {
		c.conn.Close()
		close(c.closedCh)
		if c.asyncSig != nil {
			close(c.asyncSig)
		}
	}
}

func (c *Client) describe() string {
	return "id=" + strconv.FormatInt(c.ID, 10) + " addr=" + c.addr
}

func (c *Client) getName() string {
	c.infoMu.Lock()
	defer c.infoMu.Unlock()
	return c.name
}
