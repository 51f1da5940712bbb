//go:build linux

package server

import (
	"io"
	"os"
	"runtime"
	"sync"
	"syscall"
	"time"
	"unsafe"
)

// eventLoop serves the clients attached to it from one goroutine, as Redis's
// event loop does: epoll reports which clients have input, and each gets one
// read and runs its complete commands, with no goroutine switch in between;
// when the whole batch has run, each gets one write. A goroutine per client
// pays a third system call per request (the read that finds nothing before
// parking) and a trip through the scheduler; on a busy machine that is a
// quarter of the work. Writing after the batch rather than after each
// client, as Redis does before it sleeps, lets one wake-up of a client
// program cover many replies: a write that wakes a sleeping reader costs the
// writer that wake-up (an interrupt to another processor), and replies
// spread over the batch woke redis-benchmark once per connection
// (EVALSHA -P 16: three times Redis's system time, 0.73 of its throughput).
//
// Concurrency contract. An attached client is owned by the loop's runner
// goroutine while it is l.current, and by nobody otherwise. Whenever the
// runner would wait (a blocking command, a pause, a full socket, or anything
// the watchdog sees taking long: a slow script, a contended lock), the client
// is detached: it leaves the epoll set, a new runner takes over the loop, and
// the old one carries on as the client's own goroutine (serveClient), which
// attaches the client again once it has no input left. So no client ever
// waits behind another one's wait for long. A client whose replies wait
// for the end of the batch is owned by nobody until its turn to write,
// which whichever runner is the loop's then gives it. mu guards clients,
// current, gen, seq, seen, closed, flushes, flushHead and the attached
// clients' flushQueued; it is taken after Server.loopsMu, Client.outMu and
// Client.infoMu, and no other lock is taken while it is held.
type eventLoop struct {
	s    *Server
	epfd int
	file *os.File // epfd, so an idle runner parks in Go's poller
	raw  syscall.RawConn

	mu      sync.Mutex
	clients map[int64]*Client
	current *Client
	gen     uint64 // the running runner's number
	seq     uint64 // clients served so far: the watchdog's mark of progress
	seen    uint64 // seq when the watchdog last looked
	closed  bool   // stopLoops closed epfd
	// flushes[flushHead:] were served this batch and have replies to write
	flushes   []*Client
	flushHead int
}

// loopStuckAfter is how often the watchdog looks at the loops: a client that
// holds its loop's runner over two looks is detached.
const loopStuckAfter = 10 * time.Millisecond

// loopYieldEvery is how many clients a runner serves without parking
// before it yields.
const loopYieldEvery = 64

// loopEvents is how many ready clients one epoll_wait returns at most.
const loopEvents = 128

func newEventLoop(s *Server) (*eventLoop, error) {
	epfd, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return nil, os.NewSyscallError("epoll_create1", err)
	}
	if err := syscall.SetNonblock(epfd, true); err != nil {
		syscall.Close(epfd)
		return nil, os.NewSyscallError("fcntl", err)
	}
	l := &eventLoop{s: s, epfd: epfd, clients: make(map[int64]*Client)}
	// A non-blocking descriptor given to os.NewFile joins Go's poller: an
	// epoll descriptor is readable while it has events to report.
	l.file = os.NewFile(uintptr(epfd), "epoll")
	if l.raw, err = l.file.SyscallConn(); err != nil {
		l.file.Close()
		return nil, err
	}
	return l, nil
}

// startLoops starts the event loops, and the watchdog. Serve calls it
// before accepting; Close may run concurrently.
func (s *Server) startLoops() {
	n := s.loopCount
	var loops []*eventLoop
	for i := 0; i < n; i++ {
		l, err := newEventLoop(s)
		if err != nil {
			s.logf(LogWarning, "Event loop unavailable, serving each client on its own goroutine: %v", err)
			break
		}
		loops = append(loops, l)
	}
	s.loopsMu.Lock()
	defer s.loopsMu.Unlock()
	if s.loopsStopped {
		for _, l := range loops {
			l.file.Close()
		}
		return
	}
	s.loops = loops
	for _, l := range loops {
		go l.run(0)
	}
	if len(loops) > 0 {
		go s.watchLoops()
	}
}

// stopLoops ends the runners; clients are closed separately.
func (s *Server) stopLoops() {
	s.loopsMu.Lock()
	defer s.loopsMu.Unlock()
	s.loopsStopped = true
	for _, l := range s.loops {
		l.mu.Lock()
		l.closed = true // its descriptor number may be reused from now on
		l.file.Close()
		l.mu.Unlock()
	}
}

// run is the loop's runner number gen. It returns when the loop closes or
// when it has become the goroutine of a detached client and that client's
// goroutine has ended.
func (l *eventLoop) run(gen uint64) {
	events := make([]syscall.EpollEvent, loopEvents)
	var n, served int
	wait := func(fd uintptr) bool {
		for {
			var err error
			n, err = epollPoll(int(fd), events)
			if err != syscall.EINTR {
				if n <= 0 {
					served = 0 // parking: other goroutines get the processor
				}
				return n > 0
			}
		}
	}
	for {
		// Before waiting: this runner's batch, or what a runner detached
		// in the middle of its batch left.
		if !l.flushServed(gen) {
			return
		}
		if err := l.raw.Read(wait); err != nil {
			return // closed
		}
		for i := 0; i < n; i++ {
			id := int64(uint32(events[i].Fd)) | int64(events[i].Pad)<<32
			if !l.serve(id, gen) {
				return
			}
		}
		// Let other goroutines have the processor now and then: while the
		// collector's worker holds one, a runner waiting for a processor
		// would otherwise wait for this one's time slice (10 ms), with all
		// its clients (redis-benchmark -P 16: p99 16 ms before, 7 ms after).
		// Only a runner that has not parked for a while yields: yielding
		// after every batch cost a tenth of the throughput at -P 1.
		if served += n; served >= loopYieldEvery {
			served = 0
			runtime.Gosched()
		}
	}
}

// serve runs the commands of the client with this ID, if still attached. It
// returns false when the runner has stopped being the loop's.
func (l *eventLoop) serve(id int64, gen uint64) bool {
	l.mu.Lock()
	c := l.clients[id]
	if c == nil {
		l.mu.Unlock()
		return true
	}
	l.current = c
	l.seq++
	l.mu.Unlock()

	c.loopTurn = true
	keep := l.s.serveInput(c)
	c.loopTurn = false
	return l.after(c, gen, keep)
}

// after ends the runner's turn with c, the current client: keep says
// whether c stays connected. Replies c has not written yet (flushDue) wait
// for the end of the batch. It returns false when the runner has stopped
// being the loop's (c was detached meanwhile), having served c as its own
// goroutine.
func (l *eventLoop) after(c *Client, gen uint64, keep bool) bool {
	l.mu.Lock()
	if l.gen != gen {
		// Detached meanwhile: this goroutine is now the client's.
		l.mu.Unlock()
		if keep && c.flushDue {
			keep = c.flush() == nil
		}
		if keep {
			l.s.serveClient(c)
		} else {
			l.s.removeClient(c)
		}
		return false
	}
	l.current = nil
	if keep && !c.closed.Load() {
		to := l.s.destination(c, l)
		if c.flushDue {
			if !c.flushQueued {
				c.flushQueued = true
				l.flushes = append(l.flushes, c)
			}
			if to != l {
				c.aff.moveTo = to
			}
			l.mu.Unlock()
			return true
		}
		if to != l {
			l.removeLocked(c)
			l.mu.Unlock()
			if !to.attach(c) {
				go l.s.serveClient(c)
			}
			return true
		}
		l.mu.Unlock()
		return true
	}
	l.removeLocked(c)
	l.mu.Unlock()
	go l.s.removeClient(c) // it may wait for locks; the loop must not
	return true
}

// flushServed writes the replies of the clients served in the batch. Each
// is the current client while its replies go out, so a write the socket
// cannot take at once detaches it as during its commands. It returns false
// when the runner has stopped being the loop's.
func (l *eventLoop) flushServed(gen uint64) bool {
	for {
		l.mu.Lock()
		var c *Client
		for c == nil && l.flushHead < len(l.flushes) {
			c = l.flushes[l.flushHead]
			l.flushes[l.flushHead] = nil
			l.flushHead++
			c.flushQueued = false
			if l.clients[c.ID] != c {
				c = nil // gone from the loop, with its replies
			}
		}
		if c == nil {
			l.flushes, l.flushHead = l.flushes[:0], 0
			l.mu.Unlock()
			return true
		}
		l.current = c
		l.seq++
		l.mu.Unlock()
		keep := l.s.flushTurn(c)
		if !l.after(c, gen, keep) {
			return false
		}
	}
}

// attach adds c, which has no complete command buffered and a RawConn
// (Server.attach checks), to the loop. It fails when the connection is
// already closed.
func (l *eventLoop) attach(c *Client) bool {
	c.loop.Store(l)
	ev := syscall.EpollEvent{Events: syscall.EPOLLIN, Fd: int32(uint32(c.ID)), Pad: int32(c.ID >> 32)}
	var err error
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		c.loop.Store(nil)
		return false
	}
	cerr := c.raw.Control(func(fd uintptr) {
		err = syscall.EpollCtl(l.epfd, syscall.EPOLL_CTL_ADD, int(fd), &ev)
	})
	if cerr != nil || err != nil {
		l.mu.Unlock()
		c.loop.Store(nil)
		return false
	}
	l.clients[c.ID] = c
	l.mu.Unlock()
	if c.closed.Load() { // killed meanwhile: kill may have missed the loop
		l.dropKilled(c)
	}
	return true
}

// removeLocked takes c out of the loop. A closed connection has left the
// epoll set already, or will when its last reference goes; its descriptor
// number may belong to another connection by now, so it is not touched.
func (l *eventLoop) removeLocked(c *Client) {
	if !l.closed {
		c.raw.Control(func(fd uintptr) {
			syscall.EpollCtl(l.epfd, syscall.EPOLL_CTL_DEL, int(fd), nil)
		})
	}
	delete(l.clients, c.ID)
	c.loop.Store(nil)
}

// detachLocked takes the current client out of the loop and starts a new
// runner; the old runner continues as the client's goroutine.
func (l *eventLoop) detachLocked() {
	l.removeLocked(l.current)
	l.current = nil
	l.gen++
	go l.run(l.gen)
}

// dropKilled removes a killed client that no goroutine is serving and ends
// it; a client being served is ended by its runner.
func (l *eventLoop) dropKilled(c *Client) {
	l.mu.Lock()
	if l.clients[c.ID] != c || l.current == c {
		l.mu.Unlock()
		return
	}
	l.removeLocked(c)
	l.mu.Unlock()
	go l.s.removeClient(c)
}

// leaveLoop detaches c from its loop before its runner waits; the caller,
// c's runner, becomes c's own goroutine. It does nothing for a client
// served on its own goroutine.
func (c *Client) leaveLoop() {
	l := c.loop.Load()
	if l == nil {
		return
	}
	l.mu.Lock()
	if l.current == c {
		l.detachLocked()
	}
	l.mu.Unlock()
}

// watchLoops detaches a client that keeps its loop's runner busy, and moves
// idle clients: to their own goroutines while the idle timeout is on, since
// it is the read deadline of such a goroutine that enforces it (attach
// refuses them a loop), and from loops no longer in use to one that is.
func (s *Server) watchLoops() {
	t := time.NewTicker(loopStuckAfter)
	defer t.Stop()
	for {
		select {
		case <-s.shutdown:
			return
		case <-t.C:
		}
		timeout := s.idleTimeout.Load() > 0
		for _, l := range s.loops {
			retired := s.retired(l)
			l.mu.Lock()
			if l.current != nil && l.seq == l.seen {
				l.detachLocked()
			}
			l.seen = l.seq
			var idle []*Client
			if timeout || retired {
				for _, c := range l.clients {
					// one with replies to write goes at the next look
					if c != l.current && !c.flushQueued {
						idle = append(idle, c)
					}
				}
				for _, c := range idle {
					l.removeLocked(c)
				}
			}
			l.mu.Unlock()
			for _, c := range idle {
				if !s.attach(c) {
					go s.serveClient(c)
				}
			}
		}
	}
}

// pickLoop chooses the loop for a client.
func (s *Server) pickLoop(c *Client) *eventLoop {
	in := s.loopsInUse()
	return in[uint64(c.ID)%uint64(len(in))]
}

// readNow reads what has arrived without waiting, for a client served by a
// loop: errWouldBlock when nothing has.
func (c *Client) readNow(p []byte) (int, error) {
	c.io.buf, c.io.n, c.io.err = p, 0, nil
	err := c.raw.Read(c.io.readFn)
	n, rerr := c.io.n, c.io.err
	c.io.buf = nil
	switch {
	case err != nil:
		return 0, err
	case rerr == syscall.EAGAIN:
		return 0, errWouldBlock
	case rerr != nil:
		return 0, os.NewSyscallError("read", rerr)
	case n == 0:
		return 0, io.EOF
	}
	return n, nil
}

// writeOut writes b to the connection. A client served by a loop writes
// what the socket takes at once; if that is not all, it leaves the loop and
// waits for the rest as its own goroutine.
func (c *Client) writeOut(b []byte) (int, error) {
	if c.loop.Load() == nil {
		return c.conn.Write(b)
	}
	c.io.buf, c.io.n, c.io.err = b, 0, nil
	err := c.raw.Write(c.io.writeFn)
	n, werr := c.io.n, c.io.err
	c.io.buf = nil
	switch {
	case err != nil:
		return n, err
	case werr != nil && werr != syscall.EAGAIN:
		return n, os.NewSyscallError("write", werr)
	case n < len(b):
		c.leaveLoop()
		m, err := c.conn.Write(b[n:])
		return n + m, err
	}
	return n, nil
}

// rawIO is a client's state for system calls made through its RawConn, with
// the callbacks made once so that a call allocates nothing.
type rawIO struct {
	buf     []byte
	n       int
	err     error
	readFn  func(fd uintptr) bool
	writeFn func(fd uintptr) bool
}

func (r *rawIO) init() {
	r.readFn = func(fd uintptr) bool {
		for {
			n, err := rawReadWrite(syscall.SYS_READ, int(fd), r.buf)
			if err == syscall.EINTR {
				continue
			}
			r.n, r.err = max(n, 0), err
			return true
		}
	}
	r.writeFn = func(fd uintptr) bool {
		for r.n < len(r.buf) {
			n, err := rawReadWrite(syscall.SYS_WRITE, int(fd), r.buf[r.n:])
			if err == syscall.EINTR {
				continue
			}
			if err != nil {
				r.err = err
				break
			}
			r.n += n
		}
		return true
	}
}

// The loops' system calls never wait: sockets are non-blocking and
// epoll_wait is asked not to. So they are made as raw system calls, which
// do not hand the processor back to the scheduler around the call. Through
// syscall.Syscall every call that outlasted a tick of the runtime's monitor
// (20 µs, common for a loopback write) had its processor taken and given to
// a new thread, and the monitor itself woke every 20 µs: at redis-benchmark
// -P 1, 5 times Redis's context switches and a fifth of the throughput.
// Reads and writes are raw only without the race detector
// (rawio_linux.go): syscall.Read and Write tell it that what one goroutine
// wrote to a socket before another read it happened before.

// epollPoll returns the events epfd has ready now, without waiting.
func epollPoll(epfd int, events []syscall.EpollEvent) (int, error) {
	// epoll_pwait with no signal mask is epoll_wait, and exists on every
	// Linux architecture (arm64 has no epoll_wait).
	n, _, errno := syscall.RawSyscall6(syscall.SYS_EPOLL_PWAIT, uintptr(epfd),
		uintptr(unsafe.Pointer(&events[0])), uintptr(len(events)), 0, 0, 0)
	if errno != 0 {
		return -1, errno
	}
	return int(n), nil
}
