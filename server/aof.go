package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"petrel/persistence/aof"
)

// The append-only file: Redis 7's multi-part AOF.
//
// <dir>/<appenddirname>/ holds a manifest naming one base file (an RDB
// snapshot with aof-use-rdb-preamble yes, AOF commands with no) and the
// incremental files written since, oldest first. Loading replays the base
// and then every incremental file.
//
// Writing: commands append their effects (propagate.go) to an in-memory
// buffer under aofState.mu, with their shard locks held, so the buffer is in
// execution order. Before a client's replies go out, the client writes the
// buffer to the file up to its last effect (and with appendfsync always
// fsyncs it): whoever holds wmu writes everything pending, so concurrent
// clients share one write and one fsync (group commit). A process crash
// then loses nothing acknowledged, as the data is in the kernel; with
// everysec a background goroutine fsyncs once a second, bounding what a
// machine crash loses.
//
// Rewriting (BGREWRITEAOF) opens a new incremental file at the barrier of a
// forkless snapshot (snapshot.go), while every shard is locked: effects
// before the barrier are in the old files, effects after it in the new one,
// and the snapshot, written meanwhile as the new base, is the keyspace at
// the barrier. The manifest then names the new base and the new
// incremental file, and the old files are deleted.
//
// Lock order: shard locks → wmu → mu; syncMu is taken alone or after wmu.

// aofState is the AOF's state.
type aofState struct {
	on atomic.Bool // effects are logged

	mu  sync.Mutex // guards buf, off, db, ts
	buf []byte
	off int64 // bytes appended since start-up: the log's logical offset
	// end mirrors off for readers without mu: a command that read what a
	// write left waits, like the writer, for the log to hold it.
	end atomic.Int64
	db  int   // the database the log last selected; -1 forces a SELECT
	ts  int64 // last #TS annotation's second (aof-timestamp-enabled)

	wmu      sync.Mutex // one writer at a time; guards the fields below
	f        *os.File   // the incremental file being appended to
	spare    []byte
	dir      string // <dir>/<appenddirname>
	man      *aof.Manifest
	tempIncr bool // f is the temp incr file of a rewrite that turns the AOF on
	written  atomic.Int64
	synced   atomic.Int64
	policy   atomic.Int32 // appendfsync
	stamps   atomic.Bool  // aof-timestamp-enabled

	syncMu sync.Mutex // one fsync at a time (everysec's background sync)

	leadMu  sync.Mutex // guards leading; led waits on it (waitDurable)
	leading bool
	led     *sync.Cond

	baseSize    atomic.Int64 // INFO aof_base_size
	rewriteBase atomic.Int64 // the log's size after the last rewrite (auto-aof-rewrite-percentage)
	curSize     atomic.Int64 // INFO aof_current_size: base plus incremental files
	writeErr    atomic.Pointer[string]
	lastSync    atomic.Int64 // unix ms of the last fsync

	rw aofRewrite

	stop chan struct{} // ends the background writer
}

// aofRewrite is the state of background rewrites (INFO persistence).
type aofRewrite struct {
	mu        sync.Mutex
	running   bool
	scheduled bool
	cancel    context.CancelFunc
	done      chan struct{}
	start     time.Time
	lastSecs  int64
	lastOK    bool
	count     int64
	failures  int64
	enabling  bool // the rewrite turns appendonly on (CONFIG SET appendonly yes)
}

// raiseTo sets v to x unless it already holds as much: log offsets only
// grow, and several goroutines may raise one at once.
func raiseTo(v *atomic.Int64, x int64) {
	for cur := v.Load(); cur < x && !v.CompareAndSwap(cur, x); cur = v.Load() {
	}
}

// appendfsync policies.
const (
	fsyncEverysec = iota
	fsyncAlways
	fsyncNo
)

// appendOps encodes ops at the end of the buffer, wrapped in MULTI/EXEC
// when there are several, and returns the log offset after them.
func (a *aofState) appendOps(ops []propOp) int64 {
	a.mu.Lock()
	if a.stamps.Load() {
		if now := time.Now().Unix(); now > a.ts {
			a.ts = now
			a.buf = aof.AppendTimestamp(a.buf, now)
		}
	}
	start := len(a.buf)
	wrap := len(ops) > 1
	if wrap {
		a.selectDB(ops[0].db)
		a.buf = aof.AppendCommand(a.buf, [][]byte{argMulti})
	}
	for _, op := range ops {
		a.selectDB(op.db)
		a.buf = aof.AppendCommand(a.buf, op.args)
	}
	if wrap {
		a.buf = aof.AppendCommand(a.buf, [][]byte{argExec})
	}
	a.off += int64(len(a.buf) - start)
	end := a.off
	a.end.Store(end)
	a.mu.Unlock()
	return end
}

func (a *aofState) selectDB(db int) {
	if a.db != db {
		a.buf = aof.AppendSelect(a.buf, db)
		a.db = db
	}
}

// waitDurable makes the log durable up to off as appendfsync promises
// before a reply is sent: written to the file, and fsynced with always.
//
// One client at a time writes (the leader), taking everything buffered;
// the others wait on a condition and are all woken together when it is
// done, most of them then covered by its write. (Queueing them on wmu
// instead hands the lock from one to the next, each waking only to find
// its data already written.)
func (s *Server) waitDurable(off int64) {
	a := &s.aof
	always := a.policy.Load() == fsyncAlways
	durable := func() bool { return a.written.Load() >= off && (!always || a.synced.Load() >= off) }
	if durable() {
		return
	}
	a.leadMu.Lock()
	for !durable() {
		if a.leading {
			a.led.Wait()
			continue
		}
		a.leading = true
		a.leadMu.Unlock()
		a.wmu.Lock()
		if !durable() {
			s.aofWriteLocked(always)
		}
		a.wmu.Unlock()
		a.leadMu.Lock()
		a.leading = false
		a.led.Broadcast()
		if a.writeErr.Load() != nil {
			break // not written: the reply goes out, as Redis's does, and writes are refused
		}
	}
	a.leadMu.Unlock()
}

// aofWriteLocked writes the buffer to the file, and fsyncs it when sync is
// set. The caller holds wmu.
func (s *Server) aofWriteLocked(sync bool) {
	a := &s.aof
	a.mu.Lock()
	buf, end := a.buf, a.off
	a.buf = a.spare[:0]
	a.mu.Unlock()
	if a.f == nil {
		// Logging was turned off after these effects were buffered:
		// nothing is owed to the clients waiting for them.
		a.spare = buf[:0]
		a.written.Store(end)
		raiseTo(&a.synced, end)
		return
	}
	if len(buf) > 0 {
		n, err := a.f.Write(buf)
		a.curSize.Add(int64(n))
		if err != nil {
			s.aofWriteFailed(buf[n:], err)
			return
		}
		if a.writeErr.Load() != nil {
			a.writeErr.Store(nil)
			s.logf(LogWarning, "AOF write error looks solved, Redis can write again.")
		}
	}
	a.spare = buf[:0]
	a.written.Store(end)
	if sync && a.synced.Load() < end {
		a.syncMu.Lock()
		if err := a.f.Sync(); err != nil {
			s.logf(LogWarning, "Can't persist append only file with fsync: %s", errnoText(err))
		} else {
			raiseTo(&a.synced, end)
			a.lastSync.Store(time.Now().UnixMilli())
		}
		a.syncMu.Unlock()
	}
}

// aofWriteFailed keeps what could not be written at the front of the buffer
// for the next attempt and refuses writes until one succeeds, as Redis does
// with appendfsync everysec or no (with always it exits: the promise is
// broken).
func (s *Server) aofWriteFailed(rest []byte, err error) {
	a := &s.aof
	msg := errnoText(err)
	if a.writeErr.Load() == nil {
		s.logf(LogWarning, "Error writing to the AOF file: %s", msg)
	}
	a.writeErr.Store(&msg)
	if a.policy.Load() == fsyncAlways {
		s.logf(LogWarning, "Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...")
		os.Exit(1)
	}
	a.mu.Lock()
	a.buf = append(append(a.spare[:0:0], rest...), a.buf...)
	a.mu.Unlock()
}

// aofWriterLoop writes what commands left unwritten (expiry's DELs) and,
// with everysec, fsyncs once a second, until stop closes.
func (s *Server) aofWriterLoop(stop chan struct{}) {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		a := &s.aof
		a.wmu.Lock()
		policy := a.policy.Load()
		s.aofWriteLocked(policy == fsyncAlways)
		f, end := a.f, a.written.Load()
		a.wmu.Unlock()
		if policy == fsyncEverysec && f != nil && a.synced.Load() < end &&
			time.Now().UnixMilli()-a.lastSync.Load() >= 1000 {
			// Outside wmu, so clients keep writing while the disk syncs. A
			// file switched meanwhile was synced at the switch; closing it
			// waits for syncMu, so at worst this syncs a file no longer
			// written, or fails on a closed one.
			a.syncMu.Lock()
			if f.Sync() == nil {
				raiseTo(&a.synced, end)
				a.lastSync.Store(time.Now().UnixMilli())
			}
			a.syncMu.Unlock()
		}
	}
}

// aofSettings reads the AOF directives into the state.
func (s *Server) aofSettings() {
	a := &s.aof
	v, _ := s.cfg.Get("appendfsync")
	switch v {
	case "always":
		a.policy.Store(fsyncAlways)
	case "no":
		a.policy.Store(fsyncNo)
	default:
		a.policy.Store(fsyncEverysec)
	}
	a.stamps.Store(s.cfgYes("aof-timestamp-enabled"))
}

// aofNames returns the AOF directory and appendfilename.
func (s *Server) aofNames() (dir, name string) {
	s.cfg.RLock()
	root := s.cfg.Dir
	s.cfg.RUnlock()
	d, _ := s.cfg.Get("appenddirname")
	name, _ = s.cfg.Get("appendfilename")
	return filepath.Join(root, d), name
}

// persistManifest writes m to the AOF directory safely: a temp file,
// fsynced, renamed over the manifest, then the directory fsynced.
func persistManifest(dir, appendfilename string, m *aof.Manifest) error {
	final := filepath.Join(dir, aof.ManifestName(appendfilename))
	temp := filepath.Join(dir, "temp-"+aof.ManifestName(appendfilename))
	if err := writeFileSynced(temp, m.Encode()); err != nil {
		return err
	}
	if err := os.Rename(temp, final); err != nil {
		os.Remove(temp)
		return err
	}
	return syncDir(dir)
}

// writeFileSynced creates path with data and fsyncs it.
func writeFileSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
	}
	return err
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	d.Close()
	return err
}

// LoadAOF loads the dataset from the AOF directory at start-up, when
// appendonly is yes, then opens the AOF for appending (creating the
// directory, a base and an incremental file when there are none, as Redis
// 7 does). While it runs clients get -LOADING.
func (s *Server) LoadAOF() error {
	s.persist.loading.Store(true)
	defer s.persist.loading.Store(false)
	s.aofSettings()
	dir, name := s.aofNames()
	start := time.Now()
	m, err := readManifest(dir, name)
	if err != nil {
		s.logf(LogWarning, "%s", err.Error())
		return &loadError{err}
	}
	if m != nil && (m.Base != nil || len(m.Incrs) > 0) {
		if err := s.replayAOF(dir, m); err != nil {
			return err
		}
		s.logf(LogNotice, "DB loaded from append only file: %.3f seconds", time.Since(start).Seconds())
	}
	return s.openAOF(dir, name, m)
}

// readManifest reads the manifest, or returns nil when there is none.
func readManifest(dir, name string) (*aof.Manifest, error) {
	f, err := os.Open(filepath.Join(dir, aof.ManifestName(name)))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("Fatal error: can't open the AOF manifest %s for reading: %s", aof.ManifestName(name), errnoText(err))
	}
	defer f.Close()
	return aof.ParseManifest(f)
}

// openAOF starts logging: it appends to the manifest's last incremental
// file, or creates the directory, a base of the current dataset and a first
// incremental file when the manifest names none.
func (s *Server) openAOF(dir, name string, m *aof.Manifest) error {
	a := &s.aof
	if err := os.MkdirAll(dir, 0o755); err != nil {
		s.logf(LogWarning, "Can't open or create append-only dir %s: %s", filepath.Base(dir), errnoText(err))
		return &loadError{err}
	}
	if m == nil {
		m = &aof.Manifest{}
	}
	changed := false
	if m.Base == nil && len(m.Incrs) == 0 {
		preamble := s.cfgYes("aof-use-rdb-preamble")
		base := m.NewBase(name, preamble).Name
		if err := s.writeAOFBase(context.Background(), filepath.Join(dir, base), preamble, nil); err != nil {
			s.logf(LogWarning, "Can't create the AOF base file %s: %s", base, errnoText(err))
			return &loadError{err}
		}
		s.logf(LogNotice, "Creating AOF base file %s on server start", base)
		changed = true
	}
	if len(m.Incrs) == 0 {
		incr := m.AddIncr(name).Name
		s.logf(LogNotice, "Creating AOF incr file %s on server start", incr)
		changed = true
	}
	last := m.Incrs[len(m.Incrs)-1]
	f, err := os.OpenFile(filepath.Join(dir, last.Name), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		s.logf(LogWarning, "Can't open the append-only file %s: %s", last.Name, errnoText(err))
		return &loadError{err}
	}
	if changed {
		if err := persistManifest(dir, name, m); err != nil {
			f.Close()
			s.logf(LogWarning, "Can't persist the AOF manifest: %s", errnoText(err))
			return &loadError{err}
		}
	}
	a.wmu.Lock()
	a.f, a.dir, a.man = f, dir, m
	a.wmu.Unlock()
	s.aofRecountSizes()
	a.rewriteBase.Store(a.curSize.Load())
	a.mu.Lock()
	a.db = -1
	a.mu.Unlock()
	a.stop = make(chan struct{})
	go s.aofWriterLoop(a.stop)
	a.on.Store(true)
	return nil
}

// initAOF prepares the state that outlives turning the AOF on and off.
func (a *aofState) init() { a.led = sync.NewCond(&a.leadMu) }

// aofRecountSizes sets the INFO sizes from the files the manifest names.
func (s *Server) aofRecountSizes() {
	a := &s.aof
	a.wmu.Lock()
	defer a.wmu.Unlock()
	if a.man == nil {
		return
	}
	var base, total int64
	if a.man.Base != nil {
		if st, err := os.Stat(filepath.Join(a.dir, a.man.Base.Name)); err == nil {
			base = st.Size()
		}
	}
	total = base
	for _, fi := range a.man.Incrs {
		if st, err := os.Stat(filepath.Join(a.dir, fi.Name)); err == nil {
			total += st.Size()
		}
	}
	a.baseSize.Store(base)
	a.curSize.Store(total)
}

// stopAOF stops logging and closes the file after writing and fsyncing
// what is buffered (CONFIG SET appendonly no, shutdown).
func (s *Server) stopAOF() {
	a := &s.aof
	// Under every lock: no command is between its effects and their flush,
	// and a DEBUG LOADAOF replay (which turns logging off while it runs)
	// is over.
	s.store.LockAll()
	if !a.on.Load() {
		s.store.UnlockAll()
		return
	}
	a.on.Store(false)
	s.store.UnlockAll()
	a.wmu.Lock()
	s.aofWriteLocked(true)
	if a.f != nil {
		a.syncMu.Lock()
		a.f.Close()
		a.syncMu.Unlock()
		a.f = nil
	}
	a.wmu.Unlock()
	if a.stop != nil {
		close(a.stop)
		a.stop = nil
	}
}

// flushAOFForShutdown writes and fsyncs the buffered effects, as Redis does
// before exiting.
func (s *Server) flushAOFForShutdown() {
	a := &s.aof
	if !a.on.Load() {
		return
	}
	s.logf(LogNotice, "Calling fsync() on the AOF file.")
	a.wmu.Lock()
	s.aofWriteLocked(true)
	a.wmu.Unlock()
}

// peekRDB reports whether the file at path starts with the RDB magic.
func peekRDB(r io.Reader) (bool, io.Reader) {
	var head [5]byte
	n, _ := io.ReadFull(r, head[:])
	return aof.IsRDBPreamble(head[:n]), io.MultiReader(bytes.NewReader(head[:n]), r)
}
