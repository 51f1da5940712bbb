// Package server is Petrel's core: it accepts connections, parses commands,
// dispatches them through the command table with the right shard locks held,
// and holds the state Redis keeps in its server object (clients, statistics,
// configuration). Command implementations live in one file per family:
// strings.go, keys.go, connection.go, server_cmds.go, ...
package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"petrel/config"
	"petrel/internal/tsc"
	"petrel/pubsub"
	"petrel/resp"
	"petrel/store"
)

// Version is the Redis version Petrel reports and is compatible with.
const Version = "7.0.15"

// Server is one Petrel instance. All mutable state lives here or below it.
type Server struct {
	cfg   *config.Config
	store *store.Store
	cmds  commandTable
	log   *Logger

	runID string
	clock wallClock  // commands' time; clock.base is when the server started
	timer *tsc.Timer // commands' durations

	clientsMu sync.Mutex
	clients   map[int64]*Client
	nextID    atomic.Int64

	// hot configuration values, refreshed by applyConfig
	maxClients   atomic.Int64
	requirePass  atomic.Pointer[string]
	protoMaxBulk atomic.Int64
	queryBufMax  atomic.Int64
	idleTimeout  atomic.Int64 // seconds

	stats serverStats

	listeners []net.Listener
	// loops serve connected clients (eventloop_linux.go); loopCount is how
	// many Serve starts: none, when it is not positive, leaves each client
	// its own goroutine
	loops     []*eventLoop
	loopCount int
	// activeLoops is how many of loops take clients (SetProcessors), 0
	// for all; maxProcs is GOMAXPROCS when the server was made.
	activeLoops atomic.Int32
	maxProcs    int
	homes       loopHomes // which loop serves each hot shard's clients (affinity.go)
	// loopsMu orders startLoops and stopLoops (Serve and Close); other
	// readers of loops run after Serve set it
	loopsMu      sync.Mutex
	loopsStopped bool
	wg           sync.WaitGroup
	shutdown     chan struct{}
	shutOnce     sync.Once
	ctx          context.Context
	cancel       context.CancelFunc

	monitorsMu   sync.RWMutex
	monitors     []*Client
	monitorCount atomic.Int32

	pause pauseState
	// turnMu guards turnLast, the latest client served by a push.
	turnMu   sync.Mutex
	turnLast *turnTicket

	pubsub      *pubsub.Hub  // subscriptions (pubsub.go)
	notifyFlags atomic.Int32 // notify-keyspace-events, cached for Notify
	obufLimits  atomic.Pointer[[3]config.OutputBufferLimit]

	evict           evictState    // maxmemory (evict.go)
	tracking        trackingTable // client-side caching (tracking.go)
	snap            snapshotState // forkless snapshots (snapshot.go)
	persist         persistState  // SAVE, BGSAVE, save points, loading (persist.go)
	aof             aofState      // the append-only file (aof.go)
	scripts         scriptState   // Lua scripts and functions (scripting.go)
	trackingMaxKeys atomic.Int64

	slowlog   slowLog
	blocked   blockRegistry        // clients waiting in blocking commands (blocking.go)
	encLimits encodingLimitsHolder // compact-encoding thresholds (limits.go)
	access    accessPolicy         // LRU or LFU access data (lru.go)
	latency   latencyMonitor
	info      infoState // INFO's sampled metrics and replication id (info.go)

	shut shutdownState // SHUTDOWN and signal state (shutdown.go)

	// ShutdownHook lets the process decide what SHUTDOWN does after the
	// listeners close (exit code); tests leave it nil.
	ShutdownHook func()
}

type serverStats struct {
	totalConnections    atomic.Int64
	rejectedConnections atomic.Int64
	// Counters every command or socket operation bumps are striped by
	// client: the loops would pass a shared one's line back and forth.
	totalCommands  stripedCounter
	netInputBytes  stripedCounter
	netOutputBytes stripedCounter
	keyspaceHits   stripedCounter
	keyspaceMisses stripedCounter
	reads          stripedCounter // socket reads (INFO total_reads_processed)
	writes         stripedCounter // socket writes (INFO total_writes_processed)
	dirty          stripedCounter // changes since the last save

	errorsMu          sync.Mutex
	errors            map[string]int64 // errorstats by error code
	totalErrorReplies atomic.Int64
	lastSave          atomic.Int64 // unix seconds
}

// New builds a server from a configuration.
func New(cfg *config.Config, log *Logger) *Server {
	if log == nil {
		log = NewLogger(os.Stdout, LogNotice)
	}
	s := &Server{
		cfg:       cfg,
		log:       log,
		clients:   make(map[int64]*Client),
		shutdown:  make(chan struct{}),
		pubsub:    pubsub.NewHub(),
		loopCount: loopCountFromEnv(),
		maxProcs:  runtime.GOMAXPROCS(0),
	}
	var id [20]byte
	rand.Read(id[:])
	s.runID = hex.EncodeToString(id[:])
	s.clock.init(time.Now())
	s.timer = tsc.New()
	s.stats.errors = make(map[string]int64)
	s.stats.lastSave.Store(time.Now().Unix())
	cfg.RLock()
	dbs := cfg.Databases
	cfg.RUnlock()
	s.store = store.New(dbs, store.Hooks{Expired: s.onExpired, NewAccessData: s.newAccessData, Added: s.onAdded,
		KeepExpired: s.pause.active})
	s.cmds = newCommandTable(allCommands())
	s.scripts.init(s.busyThreshold)
	s.aof.init()
	s.applyConfig()
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s
}

// applyConfig refreshes the cached copies of hot configuration values.
func (s *Server) applyConfig() {
	s.applyLockedConfig()
	s.refreshAccessPolicy() // takes the config lock itself
}

func (s *Server) applyLockedConfig() {
	s.cfg.RLock()
	defer s.cfg.RUnlock()
	s.maxClients.Store(int64(s.cfg.MaxClients))
	pw := s.cfg.RequirePass
	s.requirePass.Store(&pw)
	s.protoMaxBulk.Store(s.cfg.ProtoMaxBulkLen)
	s.queryBufMax.Store(s.cfg.ClientQueryBufferLimit)
	s.idleTimeout.Store(int64(s.cfg.Timeout))
	s.notifyFlags.Store(int32(s.cfg.NotifyKeyspaceEvents))
	obuf := s.cfg.ClientOutputBufferLimits
	s.obufLimits.Store(&obuf)
	s.trackingMaxKeys.Store(s.cfg.TrackingTableMaxKeys)
	s.slowlog.configure(s.cfg.SlowlogLogSlowerThan, s.cfg.SlowlogMaxLen)
	s.latency.threshold.Store(s.cfg.LatencyMonitorThreshold)
	s.refreshEncodingLimits()
	s.refreshEvictConfig()
}

// Store returns the keyspace.
func (s *Server) Store() *store.Store { return s.store }

// Config returns the configuration.
func (s *Server) Config() *config.Config { return s.cfg }

// Listen opens the configured TCP and Unix sockets. It returns an error
// naming the address that failed, as Redis logs it.
func (s *Server) Listen() error {
	s.cfg.RLock()
	port, binds := s.cfg.Port, append([]string(nil), s.cfg.Bind...)
	unixPath, unixPerm := s.cfg.UnixSocket, s.cfg.UnixSocketPerm
	s.cfg.RUnlock()
	if port != 0 {
		lns, err := s.listenTCP(port, binds) // config_cmds.go
		if err != nil {
			return fmt.Errorf("Failed listening on port %d (TCP), aborting.", port)
		}
		s.listeners = append(s.listeners, lns...)
	}
	if unixPath != "" {
		os.Remove(unixPath)
		ln, err := net.Listen("unix", unixPath)
		if err != nil {
			s.closeListeners()
			return fmt.Errorf("Failed opening Unix socket: %w", err)
		}
		if unixPerm != 0 {
			os.Chmod(unixPath, os.FileMode(unixPerm))
		}
		s.listeners = append(s.listeners, ln)
	}
	if len(s.listeners) == 0 {
		return errors.New("Configured to not listen anywhere, exiting.")
	}
	return nil
}

// ListenOn opens one extra listener, for tests and embedding ("tcp",
// "127.0.0.1:0").
func (s *Server) ListenOn(network, addr string) error {
	ln, err := net.Listen(network, addr)
	if err != nil {
		return err
	}
	s.listeners = append(s.listeners, ln)
	return nil
}

func (s *Server) closeListeners() {
	for _, ln := range s.listeners {
		ln.Close()
	}
}

// Addr returns the address of the first listener (for tests that bind port 0).
func (s *Server) Addr() net.Addr { return s.listeners[0].Addr() }

// Serve accepts connections until Shutdown. It starts the background jobs
// (active expiry) and returns when every listener is closed.
func (s *Server) Serve() {
	go s.cron()
	s.startLoops()
	var wg sync.WaitGroup
	for _, ln := range s.listeners {
		wg.Add(1)
		go func(ln net.Listener) {
			defer wg.Done()
			s.acceptLoop(ln)
		}(ln)
	}
	wg.Wait()
}

// Done is closed when the server shuts down.
func (s *Server) Done() <-chan struct{} { return s.shutdown }

// Close stops accepting, disconnects every client and stops background work.
func (s *Server) Close() {
	s.shutOnce.Do(func() {
		close(s.shutdown)
		s.cancel()
		s.closeListeners()
		s.stopLoops()
		s.clientsMu.Lock()
		for _, c := range s.clients {
			c.kill()
		}
		s.clientsMu.Unlock()
		// The log's writer goroutine would keep the server alive. Closing
		// the log waits for every shard lock, and a running script holds
		// some: scripts are killed, even those that wrote (SHUTDOWN NOSAVE
		// is the way out of an unkillable one), until the log is closed.
		stopped := make(chan struct{})
		go func() {
			s.waitAOFRewrite(true)
			s.stopAOF()
			close(stopped)
		}()
		for closed := false; !closed; {
			s.scripts.engine.KillAll()
			select {
			case <-stopped:
				closed = true
			case <-time.After(10 * time.Millisecond):
			}
		}
		s.cfg.RLock()
		if s.cfg.UnixSocket != "" {
			os.Remove(s.cfg.UnixSocket)
		}
		s.cfg.RUnlock()
	})
}

func (s *Server) acceptLoop(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			select {
			case <-s.shutdown:
				return
			default:
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			if strings.Contains(err.Error(), "use of closed") {
				return
			}
			s.logf(LogWarning, "Accepting client connection: %v", err)
			time.Sleep(10 * time.Millisecond)
			continue
		}
		s.accept(conn)
	}
}

func (s *Server) accept(conn net.Conn) {
	s.clientsMu.Lock()
	n := len(s.clients)
	s.clientsMu.Unlock()
	if int64(n) >= s.maxClients.Load() {
		conn.Write([]byte("-ERR max number of clients reached\r\n"))
		conn.Close()
		s.stats.rejectedConnections.Add(1)
		return
	}
	_, isUnix := conn.(*net.UnixConn)
	if !isUnix && s.protectedModeDenies(conn) {
		conn.Write([]byte(protectedModeError))
		conn.Close()
		s.stats.rejectedConnections.Add(1)
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetNoDelay(true)
		s.cfg.RLock()
		ka := s.cfg.TCPKeepalive
		s.cfg.RUnlock()
		if ka > 0 {
			tc.SetKeepAliveConfig(net.KeepAliveConfig{Enable: true, Idle: time.Duration(ka) * time.Second,
				Interval: time.Duration(ka/3+1) * time.Second, Count: 3})
		}
	}
	c := s.newClient(conn, isUnix)
	s.stats.totalConnections.Add(1)
	if !s.attach(c) {
		go s.serveClient(c)
	}
}

func (s *Server) newClient(conn net.Conn, isUnix bool) *Client {
	c := &Client{
		ID:      s.nextID.Add(1),
		conn:    conn,
		w:       resp.NewWriter(),
		srv:     s,
		created: time.Now(),
		isUnix:  isUnix,
	}
	c.lastActive = c.created
	c.parser = resp.NewParser(clientReader{c})
	if sc, ok := conn.(syscall.Conn); ok && len(s.loops) > 0 {
		c.raw, _ = sc.SyscallConn()
		c.io.init()
	}
	c.wakeLaterFn = c.wakeLater // one closure per client, not per publish
	if isUnix {
		s.cfg.RLock()
		c.addr = s.cfg.UnixSocket + ":0"
		c.laddr = c.addr
		s.cfg.RUnlock()
	} else {
		c.addr = conn.RemoteAddr().String()
		c.laddr = conn.LocalAddr().String()
	}
	c.authenticated = *s.requirePass.Load() == ""
	s.setLimits(c)
	c.ctx.c = c
	c.closedCh = make(chan struct{})
	c.ctx.s = s
	s.clientsMu.Lock()
	s.clients[c.ID] = c
	s.clientsMu.Unlock()
	return c
}

const protectedModeError = "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Set up an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n"

// protectedModeDenies applies Redis's protected mode: with no password set,
// only loopback peers are accepted.
func (s *Server) protectedModeDenies(conn net.Conn) bool {
	s.cfg.RLock()
	on := s.cfg.ProtectedMode
	s.cfg.RUnlock()
	if !on || *s.requirePass.Load() != "" {
		return false
	}
	ta, ok := conn.RemoteAddr().(*net.TCPAddr)
	return ok && !ta.IP.IsLoopback()
}

// serveClient serves c on its own goroutine until the connection closes or
// c, out of input, can be attached to an event loop again.
func (s *Server) serveClient(c *Client) {
	done := true
	defer func() {
		if done {
			s.removeClient(c)
		}
	}()
	defer func() {
		if r := recover(); r != nil {
			s.logf(LogWarning, "Client %s: connection handler panicked: %v", c.describe(), r)
		}
	}()
	for {
		if !s.runBuffered(c) {
			return
		}
		if s.attach(c) {
			done = false
			return
		}
		if t := s.idleTimeout.Load(); t > 0 && !c.hasFlag(cflagBlocked|cflagMonitor) {
			c.conn.SetReadDeadline(time.Now().Add(time.Duration(t) * time.Second))
			c.deadlineSet = true
		} else if c.deadlineSet {
			c.conn.SetReadDeadline(time.Time{})
			c.deadlineSet = false
		}
		if !s.fill(c) {
			return
		}
	}
}

// serveInput is an event loop's turn for c: one read, then the commands it
// completed. It returns false when the connection must close.
func (s *Server) serveInput(c *Client) (keep bool) {
	defer s.recoverTurn(c, &keep)
	return s.fill(c) && s.runBuffered(c)
}

// flushTurn writes the replies c's loop held back for the end of its batch.
// It returns false when the connection must close.
func (s *Server) flushTurn(c *Client) (keep bool) {
	defer s.recoverTurn(c, &keep)
	return c.flush() == nil
}

// recoverTurn, deferred, turns a panic in a loop's turn with c into the
// end of c's connection rather than of the server.
func (s *Server) recoverTurn(c *Client, keep *bool) {
	if r := recover(); r != nil {
		s.logf(LogWarning, "Client %s: connection handler panicked: %v", c.describe(), r)
		*keep = false
	}
}

// fill reads more of c's input. It returns false when the connection must
// close; for a client served by a loop, finding nothing to read is not that.
func (s *Server) fill(c *Client) bool {
	before := c.parser.Buffered()
	err := c.parser.Fill()
	if err == errWouldBlock {
		return true
	}
	s.stats.netInputBytes.add(c.ID, int64(c.parser.Buffered()-before))
	s.stats.reads.add(c.ID, 1)
	if err != nil {
		var ne net.Error
		if errors.Is(err, resp.ErrQueryBufferLimit) {
			s.logf(LogWarning, "Closing client that reached max query buffer length: %s", c.describe())
		} else if errors.As(err, &ne) && ne.Timeout() {
			s.logf(LogVerbose, "Closing idle client")
		}
		return false
	}
	return true
}

// runBuffered runs every complete command in c's input, waiting where a
// blocking command waits, then flushes the replies. It returns false when
// the connection must close.
func (s *Server) runBuffered(c *Client) bool {
	defer c.releaseTurn() // its input done: the next client served may go on
	for {
		args, ok, err := c.parser.Next()
		if err != nil {
			var pe *resp.ProtocolError
			if errors.As(err, &pe) {
				c.w.WriteError("ERR " + pe.Msg)
				s.countError("ERR")
				s.flushLast(c)
				s.logf(LogVerbose, "Protocol error (%s) from client: %s", pe.Msg, c.describe())
			}
			return false
		}
		if !ok {
			if c.loopTurn && c.loop.Load() != nil {
				c.flushDue = true // the loop flushes after its batch
			} else if c.flush() != nil {
				return false
			}
			s.setLimits(c)
			return true
		}
		if c.closed.Load() { // CLIENT KILL: run nothing more it sent
			return false
		}
		s.dispatch(c, args)
		// AUTH may have changed the limits for the rest of a pipelined batch
		c.parser.Limits.Unauthenticated = !c.authenticated
		if c.blockedOn != nil {
			c.releaseTurn() // blocked again: the next client served may go on
			c.leaveLoop()
			args = cloneArgs(args) // the parser's buffer is reused while blocked
		}
		for c.blockedOn != nil {
			s.waitBlocked(c)
			if c.retryBlocked {
				// woken but not served: the arguments still sit unread in
				// the parser's buffer, so the command can simply run again
				c.retryBlocked = false
				s.dispatch(c, args)
			}
		}
		if c.turn != nil && c.parser.Buffered() > 0 {
			// Served by a push, with commands after the blocking one: the
			// clients served before it run theirs first, as Redis runs
			// unblocked clients in order.
			c.turn.waitTurn(c)
		}
		if c.closeAfter {
			s.flushLast(c)
			return false
		}
	}
}

// loopCountFromEnv is the number of event loops: one per processor Go
// runs on now, before anything lowers GOMAXPROCS, unless PETREL_EVENT_LOOPS
// overrides it for diagnosis and measurement (0 serves every client on its
// own goroutine, given here as -1).
func loopCountFromEnv() int {
	n, err := strconv.Atoi(os.Getenv("PETREL_EVENT_LOOPS"))
	switch {
	case err != nil || n < 0:
		return runtime.GOMAXPROCS(0)
	case n == 0:
		return -1
	}
	return n
}

// setLimits applies the configured protocol limits to c's next reads.
func (s *Server) setLimits(c *Client) {
	c.parser.Limits.MaxBulkLen = s.protoMaxBulk.Load()
	c.parser.Limits.MaxQueryBuffer = s.queryBufMax.Load()
	c.parser.Limits.Unauthenticated = !c.authenticated
}

// attach hands c, which has no complete command left, to an event loop, unless loops
// are off or the idle timeout is on (a client's own goroutine enforces it).
func (s *Server) attach(c *Client) bool {
	if len(s.loops) == 0 || c.raw == nil || s.idleTimeout.Load() > 0 {
		return false
	}
	if c.deadlineSet {
		c.conn.SetReadDeadline(time.Time{})
		c.deadlineSet = false
	}
	return s.loopOf(c).attach(c)
}

// clientReader is what a client's parser reads from: the connection, read
// without waiting while an event loop serves the client.
type clientReader struct{ c *Client }

func (r clientReader) Read(p []byte) (int, error) {
	if r.c.loop.Load() != nil {
		return r.c.readNow(p)
	}
	return r.c.conn.Read(p)
}

// errWouldBlock is a read of a client served by a loop that found nothing.
var errWouldBlock = errors.New("no input yet")

func (s *Server) removeClient(c *Client) {
	s.retireClient(c)
	c.kill()
	c.wakeAll()
}

// retireClient drops what other clients can see of c: its place in the
// registry, watched keys, subscriptions, tracking and MONITOR. It may run
// more than once.
func (s *Server) retireClient(c *Client) {
	// Leave the registry before the socket closes, so a client that
	// reconnects at once is not refused by maxclients.
	s.clientsMu.Lock()
	delete(s.clients, c.ID)
	s.clientsMu.Unlock()
	s.unwatchAll(c)
	s.unsubscribeAll(c)
	if c.trackConf.Load() != nil {
		s.setTracking(c, nil)
	}
	if c.hasFlag(cflagMonitor) {
		s.removeMonitor(c)
	}
	s.homes.leave(c)
}

// flushLast sends c's last replies before its connection closes. As in
// Redis, whoever has read them finds c already gone (QUIT's subscriptions
// no longer count), so c retires first.
func (s *Server) flushLast(c *Client) {
	s.retireClient(c)
	c.flush()
}

// onExpired raises the "expired" event for a key removed by its TTL, lazily
// or by the active cycle, with the key's shard lock held.
func (s *Server) onExpired(db *store.DB, key []byte) {
	s.propagateDeletion(db, key, "lazyfree-lazy-expire")
	s.notifyIn(db, NotifyExpired, "expired", key, nil)
	owner := shardOwner(db, key) // the command that found it expired, if any
	if s.trackingOn() {
		// Inside a command, its BCAST message carries the key once, with
		// the command's own writes (Redis collects both in one set).
		var pending *[]bcastPending
		if owner != nil {
			pending = &owner.bcast
		}
		s.trackingInvalidate(key, nil, pending, nil)
	}
	if s.blocked.count.Load() > 0 {
		// A stream's group readers are told it is gone (UNBLOCKED), as
		// after a DEL: by the command that found it expired, or at once
		// under the active expiry cycle's shard lock.
		if x := owner; x != nil {
			x.noteReadyIn(db, key)
		} else {
			held := lockSet{shards: []uint32{uint32(db.ID<<store.ShardBits | store.ShardIndex(key))}}
			s.serveReady([]dbKey{{db.ID, string(key)}}, &held, nil)
		}
	}
}

// onAdded raises the "new" event for a key just created.
func (s *Server) onAdded(db *store.DB, key []byte) {
	s.notifyIn(db, NotifyNew, "new", key, nil)
}

// shardOwner returns the command holding key's shard (setOwner), or nil
// outside commands (the active expiry cycle, eviction).
func shardOwner(db *store.DB, key []byte) *Ctx {
	x, _ := db.Shard(store.ShardIndex(key)).Owner.(*Ctx)
	return x
}

// cron runs Redis's periodic jobs: the active expiry cycle.
func (s *Server) cron() {
	s.cfg.RLock()
	hz := s.cfg.Hz
	s.cfg.RUnlock()
	if hz <= 0 {
		hz = 10
	}
	t := time.NewTicker(time.Second / time.Duration(hz))
	defer t.Stop()
	for {
		select {
		case <-s.shutdown:
			return
		case <-t.C:
			s.clock.resync()
			s.timer.Calibrate()
			s.statsCron()
			s.persistCron()
			s.aofCron()
			s.cfg.RLock()
			enabled := s.cfg.ActiveExpireEnabled
			s.cfg.RUnlock()
			// Redis 7 suspends active expiry while clients are paused, so a
			// paused dataset does not change under a failover.
			if enabled && !s.pause.active() {
				s.activeExpireCycle(time.Second / time.Duration(hz) / 4)
			}
		}
	}
}

// activeExpireCycle samples keys with a TTL in every shard, removing expired
// ones, and repeats on a shard while more than a quarter of its sample had
// expired, within a time budget, as Redis's slow cycle does.
func (s *Server) activeExpireCycle(budget time.Duration) {
	start := time.Now()
	for d := 0; d < s.store.NumDBs(); d++ {
		db := s.store.DB(d)
		for i := 0; i < store.NumShards; i++ {
			if !db.HasExpiring(i) {
				continue
			}
			for {
				sampled, expired := db.ActiveExpireShard(i, time.Now().UnixMilli(), 20)
				if sampled == 0 || expired*4 <= sampled {
					break
				}
				if time.Since(start) > budget {
					return
				}
			}
		}
	}
}
