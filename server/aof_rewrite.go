package server

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"petrel/persistence/aof"
)

// AOF rewriting: BGREWRITEAOF, the automatic rewrite, and turning the AOF on
// at run time (CONFIG SET appendonly yes), which is a rewrite whose base
// starts the log. See aof.go for how the new incremental file and the
// snapshot share one moment.

// Reply texts of BGREWRITEAOF.
const (
	msgRewriteStarted   = "Background append only file rewriting started"
	msgRewriteScheduled = "Background append only file rewriting scheduled"
	errRewriteRunning   = "ERR Background append only file rewriting already in progress"
)

// cmdBgrewriteaof is BGREWRITEAOF.
func cmdBgrewriteaof(x *Ctx) {
	s := x.s
	rw := &s.aof.rw
	rw.mu.Lock()
	switch {
	case rw.running:
		rw.mu.Unlock()
		x.Error(errRewriteRunning)
		return
	case s.bgsaveRunning():
		// A snapshot at a time, as Redis runs one child at a time.
		rw.scheduled = true
		rw.mu.Unlock()
		x.W.WriteSimple(msgRewriteScheduled)
		return
	}
	rw.mu.Unlock()
	if !s.startAOFRewrite(false) {
		x.Error(errRewriteRunning)
		return
	}
	x.W.WriteSimple(msgRewriteStarted)
}

// startAOFRewrite starts a background rewrite unless one runs; enabling
// means it turns appendonly on when its barrier passes.
func (s *Server) startAOFRewrite(enabling bool) bool {
	rw := &s.aof.rw
	rw.mu.Lock()
	if rw.running {
		rw.mu.Unlock()
		return false
	}
	ctx, cancel := context.WithCancel(context.Background())
	rw.running, rw.scheduled, rw.enabling = true, false, enabling
	rw.cancel, rw.done, rw.start = cancel, make(chan struct{}), time.Now()
	done := rw.done
	rw.mu.Unlock()
	s.logf(LogNotice, "Background append only file rewriting started")
	go func() {
		defer close(done)
		err := s.rewriteAOF(ctx, enabling)
		rw.mu.Lock()
		rw.running = false
		rw.lastSecs = int64(time.Since(rw.start).Seconds())
		rw.lastOK = err == nil
		if err == nil {
			rw.count++
			rw.failures = 0
		} else {
			rw.failures++
		}
		rw.mu.Unlock()
	}()
	return true
}

// waitAOFRewrite cancels (if cancel) and waits for a running rewrite.
func (s *Server) waitAOFRewrite(cancel bool) {
	rw := &s.aof.rw
	rw.mu.Lock()
	done, stop := rw.done, rw.cancel
	running := rw.running
	rw.mu.Unlock()
	if !running {
		return
	}
	if cancel && stop != nil {
		stop()
	}
	<-done
}

// rewriteAOF writes a new base file of the keyspace at one moment and
// makes the manifest name it with the incremental file opened at that
// moment; older files are removed.
func (s *Server) rewriteAOF(ctx context.Context, enabling bool) (err error) {
	dir, name := s.aofNames()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		s.logf(LogWarning, "Can't open or create append-only dir %s: %s", filepath.Base(dir), errnoText(err))
		return err
	}
	preamble := s.cfgYes("aof-use-rdb-preamble")
	temp := filepath.Join(dir, aof.TempRewriteName(os.Getpid()))
	tempIncr := filepath.Join(dir, aof.TempIncrName(name))
	var barrierErr error
	atBarrier := func() { barrierErr = s.aofSwitchAtBarrier(dir, name, tempIncr, enabling) }
	err = s.writeAOFBase(ctx, temp, preamble, atBarrier)
	if err == nil {
		err = barrierErr
	}
	if err != nil {
		os.Remove(temp)
		if enabling {
			s.abortEnabling(tempIncr)
		}
		if !errors.Is(err, context.Canceled) {
			s.logf(LogWarning, "Background AOF rewrite failed: %s", errnoText(err))
		}
		return err
	}
	s.logf(LogNotice, "Successfully created the temporary AOF base file %s", filepath.Base(temp))
	if enabling {
		// Logging began at the barrier into a file no manifest names
		// yet: if the rewrite fails from here, it must stop again.
		defer func() {
			if err != nil {
				s.abortEnabling(tempIncr)
				os.Remove(temp)
				s.logf(LogWarning, "Background AOF rewrite failed: the append only file stays off: %s", errnoText(err))
			}
		}()
	}
	return s.installAOFRewrite(dir, name, temp, tempIncr, preamble)
}

// abortEnabling turns logging off again after a rewrite that was turning
// the AOF on failed: the temporary incremental file it logged into is no
// one's.
func (s *Server) abortEnabling(tempIncr string) {
	s.stopAOF()
	s.aof.wmu.Lock()
	s.aof.tempIncr = false
	s.aof.wmu.Unlock()
	os.Remove(tempIncr)
}

// installAOFRewrite makes the written base, and the incremental file opened
// at its barrier, the AOF: renamed into place and named by the manifest.
func (s *Server) installAOFRewrite(dir, name, temp, tempIncr string, preamble bool) error {
	a := &s.aof
	a.wmu.Lock()
	next := &aof.Manifest{}
	if a.man != nil {
		next = a.man.Clone()
	}
	if a.tempIncr {
		// The log was turned on by this rewrite: its temp file becomes the
		// first incremental file after the new base.
		fi := next.AddIncr(name)
		if err := os.Rename(tempIncr, filepath.Join(dir, fi.Name)); err != nil {
			a.wmu.Unlock()
			s.logf(LogWarning, "Error trying to rename the temporary AOF incr file %s into %s: %s",
				filepath.Base(tempIncr), fi.Name, errnoText(err))
			return err
		}
		s.logf(LogNotice, "Successfully renamed the temporary AOF incr file %s into %s", filepath.Base(tempIncr), fi.Name)
		a.tempIncr = false
	}
	base := next.NewBase(name, preamble)
	if err := os.Rename(temp, filepath.Join(dir, base.Name)); err != nil {
		a.wmu.Unlock()
		os.Remove(temp)
		s.logf(LogWarning, "Error trying to rename the temporary AOF base file %s into %s: %s",
			filepath.Base(temp), base.Name, errnoText(err))
		return err
	}
	s.logf(LogNotice, "Successfully renamed the temporary AOF base file %s into %s", filepath.Base(temp), base.Name)
	next.MarkRewrittenIncrs(a.on.Load())
	// As Redis: the manifest lists the old files as history first, so a
	// crash before they are deleted still finds them to delete.
	if err := persistManifest(dir, name, next); err != nil {
		a.wmu.Unlock()
		s.logf(LogWarning, "Can't persist the AOF manifest after the rewrite: %s", errnoText(err))
		return err
	}
	history := next.TakeHistory()
	a.man, a.dir = next, dir
	for _, fi := range history {
		s.logf(LogNotice, "Removing the history file %s in the background", fi.Name)
		os.Remove(filepath.Join(dir, fi.Name))
	}
	if len(history) > 0 {
		if err := persistManifest(dir, name, next); err != nil {
			s.logf(LogWarning, "Can't persist the AOF manifest without its history files: %s", errnoText(err))
		}
	}
	a.wmu.Unlock()
	s.aofRecountSizes()
	a.rewriteBase.Store(a.curSize.Load())
	s.logf(LogNotice, "Background AOF rewrite terminated with success")
	s.logf(LogNotice, "Background AOF rewrite finished successfully")
	return nil
}

// aofSwitchAtBarrier runs while every shard is locked, at the moment the
// new base captures: what was logged so far is flushed to the current
// incremental file, and logging continues in a new one.
func (s *Server) aofSwitchAtBarrier(dir, name, tempIncr string, enabling bool) error {
	a := &s.aof
	a.wmu.Lock()
	defer a.wmu.Unlock()
	if enabling {
		f, err := os.OpenFile(tempIncr, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
		if err != nil {
			return err
		}
		a.f, a.dir, a.tempIncr = f, dir, true
		a.mu.Lock()
		a.db = -1
		a.buf = a.buf[:0]
		a.mu.Unlock()
		s.aofSettings()
		a.stop = make(chan struct{})
		go s.aofWriterLoop(a.stop)
		a.on.Store(true)
		return nil
	}
	if !a.on.Load() || a.man == nil {
		return nil
	}
	s.aofWriteLocked(true)
	next := a.man.Clone()
	incr := next.AddIncr(name).Name
	f, err := os.OpenFile(filepath.Join(dir, incr), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	if err := persistManifest(dir, name, next); err != nil {
		f.Close()
		os.Remove(filepath.Join(dir, incr))
		return err
	}
	s.logf(LogNotice, "Creating AOF incr file %s on background rewrite", incr)
	a.man = next
	a.syncMu.Lock()
	a.f.Close()
	a.syncMu.Unlock()
	a.f = f
	// A new file starts with its own SELECT, so each file replays alone.
	a.mu.Lock()
	a.db = -1
	a.mu.Unlock()
	return nil
}

// writeAOFBase writes a base file of the keyspace at one moment to path:
// an RDB (preamble) or AOF commands. atBarrier runs at that moment, with
// every shard lock held.
func (s *Server) writeAOFBase(ctx context.Context, path string, preamble bool, atBarrier func()) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	so := s.snapOptsFromConfig(false)
	so.aofBase, so.atBarrier = true, atBarrier
	if preamble {
		_, err = s.writeSnapshot(ctx, f, so)
	} else {
		err = s.writeAOFCommandsBase(ctx, f, so)
	}
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

// writeAOFCommandsBase writes the keyspace as AOF commands
// (aof-use-rdb-preamble no): a snapshot goes through a pipe into the
// converter, which writes each key as the commands that rebuild it.
func (s *Server) writeAOFCommandsBase(ctx context.Context, f *os.File, so snapshotOpts) error {
	pr, pw := io.Pipe()
	errc := make(chan error, 1)
	go func() {
		_, err := s.writeSnapshot(ctx, pw, so)
		pw.CloseWithError(err)
		errc <- err
	}()
	bw := bufio.NewWriterSize(f, 64<<10)
	err := aof.RewriteRDB(bw, bufio.NewReaderSize(pr, 64<<10), s.rdbReadOptions())
	pr.CloseWithError(err)
	if serr := <-errc; err == nil {
		err = serr
	}
	if err == nil {
		err = bw.Flush()
	}
	return err
}

// aofCron starts what is due: a rewrite scheduled behind a BGSAVE, or the
// automatic rewrite when the log grew by auto-aof-rewrite-percentage over
// its size after the last rewrite (and is at least
// auto-aof-rewrite-min-size).
func (s *Server) aofCron() {
	a := &s.aof
	rw := &a.rw
	rw.mu.Lock()
	running, scheduled := rw.running, rw.scheduled
	rw.mu.Unlock()
	if running || s.bgsaveRunning() {
		return
	}
	if scheduled {
		s.startAOFRewrite(false)
		return
	}
	if !a.on.Load() {
		return
	}
	pct := s.cfgInt("auto-aof-rewrite-percentage")
	minSize := s.cfgInt("auto-aof-rewrite-min-size")
	cur, base := a.curSize.Load(), max(a.rewriteBase.Load(), 1)
	if pct > 0 && cur > minSize && (cur-base)*100/base >= pct {
		s.logf(LogNotice, "Starting automatic rewriting of AOF on %d%% growth", (cur-base)*100/base)
		s.startAOFRewrite(false)
	}
}

// infoPersistenceAOF writes INFO's AOF fields.
func (s *Server) infoPersistenceAOF(g *infoGen, tail bool) {
	a := &s.aof
	rw := &a.rw
	rw.mu.Lock()
	running, scheduled, start := rw.running, rw.scheduled, rw.start
	lastSecs, lastOK, count, failures := rw.lastSecs, rw.lastOK, rw.count, rw.failures
	rw.mu.Unlock()
	on := a.on.Load()
	if tail {
		if !on {
			return
		}
		g.int("aof_current_size", a.curSize.Load())
		g.int("aof_base_size", a.baseSize.Load())
		g.int("aof_pending_rewrite", b2i(scheduled))
		a.mu.Lock()
		buffered := len(a.buf)
		a.mu.Unlock()
		g.int("aof_buffer_length", int64(buffered))
		g.int("aof_pending_bio_fsync", 0)
		g.int("aof_delayed_fsync", 0)
		return
	}
	g.int("aof_enabled", b2i(on))
	g.int("aof_rewrite_in_progress", b2i(running))
	g.int("aof_rewrite_scheduled", b2i(scheduled))
	if count == 0 && failures == 0 {
		lastSecs = -1
	}
	g.int("aof_last_rewrite_time_sec", lastSecs)
	cur := int64(-1)
	if running {
		cur = int64(time.Since(start).Seconds())
	}
	g.int("aof_current_rewrite_time_sec", cur)
	status := "ok"
	if !lastOK && failures > 0 {
		status = "err"
	}
	g.str("aof_last_bgrewrite_status", status)
	g.int("aof_rewrites", count)
	g.int("aof_rewrites_consecutive_failures", failures)
	ws := "ok"
	if a.writeErr.Load() != nil {
		ws = "err"
	}
	g.str("aof_last_write_status", ws)
	g.int("aof_last_cow_size", 0)
}

// setAppendonly turns the AOF on (a rewrite whose base starts the log) or
// off at run time, as CONFIG SET appendonly does; it returns CONFIG SET's
// error text on failure.
func (s *Server) setAppendonly(on bool) string {
	if !on {
		s.waitAOFRewrite(true)
		s.stopAOF()
		return ""
	}
	if s.aof.on.Load() {
		return ""
	}
	s.waitAOFRewrite(true)
	if !s.startAOFRewrite(true) {
		return "Unable to turn on AOF. Check server logs."
	}
	return ""
}

// cfgInt reads a numeric directive.
func (s *Server) cfgInt(name string) int64 {
	v, _ := s.cfg.Get(name)
	n, _ := strconv.ParseInt(v, 10, 64)
	return n
}
