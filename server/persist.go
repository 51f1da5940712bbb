package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"petrel/persistence/rdb"
	"petrel/scripting"
	"petrel/store"
	"petrel/types"
)

// RDB persistence: SAVE, BGSAVE, the save points, loading at start-up and
// DEBUG RELOAD, on top of the forkless snapshots of snapshot.go.
//
// A "background save" is a goroutine running WriteSnapshot into
// <dir>/temp-<pid>.rdb and renaming it over <dir>/<dbfilename>; clients
// keep running meanwhile. Saves that hold every shard lock already (DEBUG
// RELOAD, FLUSHALL) cannot wait for a background save, whose walker needs
// those locks: they cancel it instead (Redis kills its child for the same
// commands) and write the file themselves. fileMu orders the renames: a
// foreground save holds it from creating its temp file to renaming it, and
// a background save takes it only to rename or clean up, after checking it
// was not cancelled, so a cancelled save never renames an older dataset
// over a newer one, nor removes another save's temp file.

// persistState is the RDB persistence state (INFO persistence).
type persistState struct {
	mu          sync.Mutex
	bgRunning   bool
	bgCancel    context.CancelFunc
	bgDone      chan struct{}
	bgStart     time.Time
	bgScheduled bool  // BGSAVE inside MULTI: start from cron
	dirtyBefore int64 // changes counted when the running save began

	lastBgErr  atomic.Bool // the last background save failed (MISCONF)
	lastBgTry  time.Time   // when the last background save started
	lastBgSecs int64       // its duration, -1 before the first
	lastCow    int64       // bytes writers had to capture in the last one
	saves      int64       // saves started (INFO rdb_saves)

	fileMu sync.Mutex

	loading     atomic.Bool
	loadedKeys  atomic.Int64
	expiredKeys atomic.Int64
}

// Reply texts of the persistence commands.
const (
	errBgsaveInProgress = "ERR Background save already in progress"
	errMisconf          = "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error."
	errLoading          = "LOADING Redis is loading the dataset in memory"
	errLoadFailed       = "ERR Error trying to load the RDB dump"
)

// bgsaveRetryDelay is how long after a failed background save the save
// points wait before trying again (Redis's CONFIG_BGSAVE_RETRY_DELAY).
const bgsaveRetryDelay = 5 * time.Second

// rdbPaths returns the final file and the temp file saves write first.
func (s *Server) rdbPaths() (final, temp string) {
	name, _ := s.cfg.Get("dbfilename")
	s.cfg.RLock()
	dir := s.cfg.AbsDir()
	s.cfg.RUnlock()
	return filepath.Join(dir, name), filepath.Join(dir, fmt.Sprintf("temp-%d.rdb", os.Getpid()))
}

// cfgYes reads a yes/no directive.
func (s *Server) cfgYes(name string) bool {
	v, _ := s.cfg.Get(name)
	return v == "yes"
}

// snapOptsFromConfig are the file settings in force.
func (s *Server) snapOptsFromConfig(locked bool) snapshotOpts {
	return snapshotOpts{compress: s.cfgYes("rdbcompression"), checksum: s.cfgYes("rdbchecksum"), locked: locked}
}

// keySaveDelay is rdb-key-save-delay, a testing aid in Redis that slows a
// save down by that many microseconds per key; Petrel, which serializes a
// shard at a time, sleeps that long per shard instead.
func (s *Server) keySaveDelay() time.Duration {
	v, _ := s.cfg.Get("rdb-key-save-delay")
	n, _ := strconv.ParseInt(v, 10, 64)
	return time.Duration(max(n, 0)) * time.Microsecond
}

// slowCtx applies the save delay where WriteSnapshot checks its context:
// between shards.
type slowCtx struct {
	context.Context
	d time.Duration
}

func (c slowCtx) Err() error {
	time.Sleep(c.d)
	return c.Context.Err()
}

// writeRDBFile writes the dataset to the temp file, syncs it, renames it
// over the RDB file and syncs the directory. bg is a background save: ctx
// is its cancellation, checked before the rename.
func (s *Server) writeRDBFile(ctx context.Context, so snapshotOpts, bg bool) (SnapshotInfo, error) {
	final, temp := s.rdbPaths()
	if !bg {
		s.persist.fileMu.Lock()
		defer s.persist.fileMu.Unlock()
		// A cancelled background save may still write into a temp file of
		// this name: start a new one rather than share it.
		os.Remove(temp)
	}
	f, err := os.OpenFile(temp, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		s.logf(LogWarning, "Failed opening the temp RDB file %s (in server root dir %s) for saving: %s",
			filepath.Base(temp), filepath.Dir(temp), errnoText(err))
		return SnapshotInfo{}, err
	}
	if d := s.keySaveDelay(); d > 0 {
		ctx = slowCtx{ctx, d}
	}
	info, err := s.writeSnapshot(ctx, f, so)
	if err == nil {
		err = f.Sync()
	}
	fst, _ := f.Stat()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if bg {
		s.persist.fileMu.Lock()
		defer s.persist.fileMu.Unlock()
		if err == nil {
			err = context.Cause(ctx)
		}
	}
	if err != nil {
		if !errors.Is(err, context.Canceled) {
			s.logf(LogWarning, "Write error saving DB on disk: %s", errnoText(err))
		}
		if !bg {
			os.Remove(temp)
		} else if st, serr := os.Stat(temp); serr == nil && fst != nil && os.SameFile(st, fst) {
			os.Remove(temp)
		}
		return info, err
	}
	if err := os.Rename(temp, final); err != nil {
		s.logf(LogWarning, "Error moving temp DB file %s on the final destination %s (in server root dir %s): %s",
			filepath.Base(temp), filepath.Base(final), filepath.Dir(temp), errnoText(err))
		os.Remove(temp)
		return info, err
	}
	if d, err := os.Open(filepath.Dir(final)); err == nil {
		d.Sync()
		d.Close()
	}
	s.logf(LogNotice, "DB saved on disk")
	return info, nil
}

// errnoText is an error as strerror words it where the error is a system
// call's.
func errnoText(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		err = le.Err
	}
	msg := err.Error()
	if msg != "" {
		msg = strings.ToUpper(msg[:1]) + msg[1:]
	}
	return msg
}

// saveRDB is a foreground save (SAVE, SHUTDOWN): it writes the file while
// clients keep running, and on success resets the change count and the
// last save time as Redis's rdbSave does.
func (s *Server) saveRDB(ctx context.Context) error {
	return s.saveRDBWith(ctx, false)
}

// saveRDBLocked is a foreground save by a caller that holds every shard
// lock; a running background save is cancelled first.
func (s *Server) saveRDBLocked() error {
	s.killBackgroundSave(false)
	return s.saveRDBWith(context.Background(), true)
}

func (s *Server) saveRDBWith(ctx context.Context, locked bool) error {
	s.persist.mu.Lock()
	s.persist.saves++
	s.persist.mu.Unlock()
	dirty := s.stats.dirty.load()
	if _, err := s.writeRDBFile(ctx, s.snapOptsFromConfig(locked), false); err != nil {
		return err
	}
	s.stats.dirty.add(0, -dirty)
	s.stats.lastSave.Store(time.Now().Unix())
	s.persist.lastBgErr.Store(false)
	return nil
}

// bgsaveRunning reports whether a background save is in progress.
func (s *Server) bgsaveRunning() bool {
	s.persist.mu.Lock()
	defer s.persist.mu.Unlock()
	return s.persist.bgRunning
}

// startBackgroundSave starts a background save unless one runs; it reports
// whether it started one.
func (s *Server) startBackgroundSave() bool {
	p := &s.persist
	p.mu.Lock()
	if p.bgRunning {
		p.mu.Unlock()
		return false
	}
	ctx, cancel := context.WithCancel(s.ctx)
	done := make(chan struct{})
	p.bgRunning, p.bgCancel, p.bgDone = true, cancel, done
	p.bgScheduled = false
	p.bgStart = time.Now()
	p.lastBgTry = p.bgStart
	p.dirtyBefore = s.stats.dirty.load()
	p.saves++
	p.mu.Unlock()
	s.logf(LogNotice, "Background saving started by pid %d", os.Getpid())
	go func() {
		defer close(done)
		defer cancel()
		info, err := s.writeRDBFile(ctx, s.snapOptsFromConfig(false), true)
		p.mu.Lock()
		p.bgRunning, p.bgCancel = false, nil
		p.lastBgSecs = int64(time.Since(p.bgStart).Seconds())
		switch {
		case err == nil:
			p.lastCow = info.CapturedBytes
			p.lastBgErr.Store(false)
			s.stats.dirty.add(0, -p.dirtyBefore)
			s.stats.lastSave.Store(time.Now().Unix())
		case errors.Is(err, context.Canceled):
			// Killed on purpose (DEBUG RELOAD, FLUSHALL, SHUTDOWN): not a
			// failure to persist, as with Redis's SIGUSR1.
		default:
			p.lastBgErr.Store(true)
		}
		p.mu.Unlock()
		switch {
		case err == nil:
			s.logf(LogNotice, "Background saving terminated with success")
		case errors.Is(err, context.Canceled):
			s.logf(LogWarning, "Background saving terminated by signal 10")
		default:
			s.logf(LogWarning, "Background saving error")
		}
	}()
	return true
}

// killBackgroundSave cancels a running background save and, if wait, waits
// for it to end.
func (s *Server) killBackgroundSave(wait bool) {
	s.persist.mu.Lock()
	cancel, done := s.persist.bgCancel, s.persist.bgDone
	running := s.persist.bgRunning
	s.persist.mu.Unlock()
	if !running || cancel == nil {
		return
	}
	s.logf(LogWarning, "There is a child saving an .rdb. Killing it!")
	cancel()
	if wait {
		<-done
	}
}

// waitBackgroundSave waits for a running background save to end (tests,
// DEBUG RELOAD).
func (s *Server) waitBackgroundSave() {
	s.persist.mu.Lock()
	done, running := s.persist.bgDone, s.persist.bgRunning
	s.persist.mu.Unlock()
	if running {
		<-done
	}
}

// writesDeniedByDiskError is Redis's writeCommandsDeniedByDiskError for
// RDB applied to a command: it refuses cmd when writes are stopped
// (diskErrorStopsWrites) and Redis counts the command as a write.
func (s *Server) writesDeniedByDiskError(c *Client, cmd *Command) bool {
	if !s.persist.lastBgErr.Load() {
		return false
	}
	// Redis refuses PING too, so that monitoring notices.
	if cmd.Name != "ping" && !s.declaresWrite(c, cmd) {
		return false
	}
	return s.diskErrorStopsWrites()
}

// diskErrorStopsWrites reports whether writes are refused with MISCONF:
// stop-writes-on-bgsave-error, save points, and a failed last background
// save.
func (s *Server) diskErrorStopsWrites() bool {
	if !s.persist.lastBgErr.Load() {
		return false
	}
	s.cfg.RLock()
	points := len(s.cfg.Save)
	s.cfg.RUnlock()
	return points > 0 && s.cfgYes("stop-writes-on-bgsave-error")
}

// declaresWrite reports whether Redis's command flags make cmd (or, for
// EXEC, a queued command) a write: write commands, and a script or function
// by the flags it declares. A script without a shebang is not one: Redis
// judges each command it calls (scriptHost.Call).
func (s *Server) declaresWrite(c *Client, cmd *Command) bool {
	return thisOrQueued(c, cmd, s.commandDeclaresWrite)
}

func (s *Server) commandDeclaresWrite(cmd *Command, args [][]byte) bool {
	if cmd.Is(FlagWrite) {
		return true
	}
	var flags scripting.Flags
	e := s.scripts.engine
	switch {
	case len(args) < 2:
		return false
	case cmd.Name == "eval":
		var ok bool
		if flags, ok = scripting.DeclaredFlags(args[1]); !ok {
			return false
		}
	case cmd.Name == "evalsha":
		sc := e.Lookup(strings.ToLower(string(args[1])))
		if sc == nil {
			return false
		}
		flags = sc.Flags
	case cmd.Name == "fcall":
		f := e.Functions().Lookup(args[1])
		if f == nil {
			return false
		}
		flags = f.Flags
	default:
		return false
	}
	return flags&(scripting.FlagEvalCompat|scripting.FlagNoWrites) == 0
}

// persistCron is the part of Redis's serverCron that starts background
// saves: a scheduled BGSAVE, or the first save point whose change count
// and time have both been reached, not sooner than bgsaveRetryDelay after
// a failed attempt.
func (s *Server) persistCron() {
	if s.persist.loading.Load() {
		return
	}
	now := time.Now()
	p := &s.persist
	p.mu.Lock()
	running, scheduled := p.bgRunning, p.bgScheduled
	mayRetry := !p.lastBgErr.Load() || now.Sub(p.lastBgTry) > bgsaveRetryDelay
	p.mu.Unlock()
	if running || !mayRetry {
		return
	}
	if scheduled {
		s.startBackgroundSave()
		return
	}
	s.cfg.RLock()
	points := s.cfg.Save
	s.cfg.RUnlock()
	dirty := s.stats.dirty.load()
	since := now.Unix() - s.stats.lastSave.Load()
	for _, sp := range points {
		if dirty >= sp.Changes && since > sp.Seconds {
			s.logf(LogNotice, "%d changes in %d seconds. Saving...", sp.Changes, sp.Seconds)
			s.startBackgroundSave()
			return
		}
	}
}

// SAVE.
func cmdSave(x *Ctx) {
	if x.s.bgsaveRunning() {
		x.Error(errBgsaveInProgress)
		return
	}
	if err := x.s.saveRDB(x.s.ctx); err != nil {
		x.Error("ERR")
		return
	}
	x.W.WriteOK()
}

// BGSAVE [SCHEDULE].
func cmdBgsave(x *Ctx) {
	if len(x.Args) > 1 && (len(x.Args) > 2 || !strEqFold(x.Args[1], "schedule")) {
		x.Error(ErrSyntax)
		return
	}
	if x.s.bgsaveRunning() {
		x.Error(errBgsaveInProgress)
		return
	}
	if x.InExec() {
		// As in Redis: a save started from a transaction waits for the
		// cron, after the transaction.
		x.s.persist.mu.Lock()
		x.s.persist.bgScheduled = true
		x.s.persist.mu.Unlock()
		x.W.WriteSimple("Background saving scheduled")
		return
	}
	if !x.s.startBackgroundSave() {
		x.Error(errBgsaveInProgress)
		return
	}
	x.W.WriteSimple("Background saving started")
}

// infoPersistenceRDB fills INFO's RDB fields.
func (s *Server) infoPersistenceRDB(g *infoGen) {
	p := &s.persist
	p.mu.Lock()
	running, start := p.bgRunning, p.bgStart
	status, lastSecs, cow, saves := "ok", p.lastBgSecs, p.lastCow, p.saves
	if p.lastBgErr.Load() {
		status = "err"
	}
	ever := !p.lastBgTry.IsZero()
	p.mu.Unlock()
	if !ever {
		lastSecs = -1
	}
	cur := int64(-1)
	if running {
		cur = int64(time.Since(start).Seconds())
	}
	g.int("rdb_changes_since_last_save", s.stats.dirty.load())
	g.int("rdb_bgsave_in_progress", b2i(running))
	g.int("rdb_last_save_time", s.stats.lastSave.Load())
	g.str("rdb_last_bgsave_status", status)
	g.int("rdb_last_bgsave_time_sec", lastSecs)
	g.int("rdb_current_bgsave_time_sec", cur)
	g.int("rdb_saves", saves)
	g.int("rdb_last_cow_size", cow)
	g.int("rdb_last_load_keys_expired", p.expiredKeys.Load())
	g.int("rdb_last_load_keys_loaded", p.loadedKeys.Load())
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// rdbReadOptions are the settings for loading a file: the encoding
// thresholds in force, and deep checks only with sanitize-dump-payload yes
// (Redis's "clients" covers RESTORE, not files).
func (s *Server) rdbReadOptions() *rdb.Options {
	l := s.encodingLimits()
	sanitize, _ := s.cfg.Get("sanitize-dump-payload")
	return &rdb.Options{
		Deep: sanitize == "yes",
		Limits: &rdb.Limits{
			ListMaxListpackSize:    l.ListMaxListpackSize,
			ListCompressDepth:      l.ListCompressDepth,
			SetMaxIntsetEntries:    l.SetMaxIntsetEntries,
			HashMaxListpackEntries: l.HashMaxListpackEntries,
			HashMaxListpackValue:   l.HashMaxListpackValue,
			ZsetMaxListpackEntries: l.ZsetMaxListpackEntries,
			ZsetMaxListpackValue:   l.ZsetMaxListpackValue,
		},
	}
}

// loadError is a failed load, already logged.
type loadError struct{ err error }

func (e *loadError) Error() string { return e.err.Error() }
func (e *loadError) Unwrap() error { return e.err }

// MarkLoading makes commands without the loading flag answer -LOADING
// until LoadRDB or LoadAOF finishes: called before serving clients, so no
// client slips in before the load starts. As in Redis, a missing RDB file
// is no load at all, and clients are served at once; aof says LoadAOF
// comes instead, which always loads (or writes a first base).
func (s *Server) MarkLoading(aof bool) {
	if aof || rdbFileExists(s.RDBPath()) {
		s.persist.loading.Store(true)
	}
}

func rdbFileExists(path string) bool {
	_, err := os.Stat(path)
	return !errors.Is(err, os.ErrNotExist)
}

// LoadRDB loads the RDB file at path into the (empty) keyspace, as Redis
// does at start-up: keys whose TTL has passed are skipped, duplicate keys
// and unreadable files are errors, which it logs as Redis does. A missing
// file is no error. While it runs, INFO says loading:1 and commands
// without the loading flag get -LOADING.
func (s *Server) LoadRDB(path string) error {
	defer s.persist.loading.Store(false)
	if !rdbFileExists(path) {
		return nil // a missing file: no loading state at all, as in Redis
	}
	s.persist.loading.Store(true)
	start := time.Now()
	err := s.loadRDBFile(path, false, false)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	s.logf(LogNotice, "DB loaded from disk: %.3f seconds", time.Since(start).Seconds())
	return nil
}

// RDBPath returns <dir>/<dbfilename>.
func (s *Server) RDBPath() string {
	final, _ := s.rdbPaths()
	return final
}

// loadRDBFile reads the file into the keyspace. locked means the caller
// holds every shard lock; merge lets the file's keys replace existing ones
// (otherwise an existing key is a duplicate, fatal as in Redis).
func (s *Server) loadRDBFile(path string, locked, merge bool) error {
	f, err := os.Open(path)
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			s.logf(LogWarning, "Fatal error loading the DB: %s. Exiting.", errnoText(err))
		}
		return err
	}
	defer f.Close()
	return s.loadRDBFrom(f, locked, merge)
}

// loadRDBFrom reads an RDB stream (a file, or an AOF's RDB base) into the
// keyspace, as loadRDBFile.
func (s *Server) loadRDBFrom(src io.Reader, locked, merge bool) error {
	r := rdb.NewReader(src, s.rdbReadOptions())
	now := time.Now().UnixMilli()
	var loaded, expired int64
	ndbs := s.store.NumDBs()
	h := rdb.FileHandler{
		Aux: func(k, v []byte) error {
			switch string(k) {
			case "redis-ver":
				s.logf(LogNotice, "Loading RDB produced by version %s", v)
			case "ctime":
				if t, err := strconv.ParseInt(string(v), 10, 64); err == nil {
					age := max(time.Now().Unix()-t, 0)
					s.logf(LogNotice, "RDB age %d seconds", age)
				}
			case "used-mem":
				if n, err := strconv.ParseInt(string(v), 10, 64); err == nil {
					s.logf(LogNotice, "RDB memory usage when created %.2f Mb", float64(n)/(1024*1024))
				}
			case "redis-bits", "aof-base", "repl-stream-db", "repl-id", "repl-offset", "lua":
			default:
				s.logf(LogDebug, "Unrecognized RDB AUX field: '%s'", k)
			}
			return nil
		},
		Function: func(code []byte) error {
			// Reloading into a running server replaces what it has.
			if err := s.scripts.engine.Functions().LoadCode(code, locked); err != nil {
				s.logf(LogWarning, "Failed loading library: %s", err.Error())
				return fmt.Errorf("failed loading a function library: %w", err)
			}
			s.functionsChanged()
			return nil
		},
		Key: func(k *rdb.Key) error {
			if k.DB >= ndbs {
				return fmt.Errorf("FATAL: Data file was created with a Redis server configured to handle more than %d databases. Exiting", ndbs)
			}
			if k.ExpireAt != 0 && k.ExpireAt < now {
				expired++
				return nil
			}
			db := s.store.DB(k.DB)
			if !locked {
				sh := db.Shard(store.ShardIndex(k.Key))
				sh.Lock()
				defer sh.Unlock()
			}
			if e := db.LookupNoExpire(k.Key); e != nil {
				if !merge {
					s.logf(LogWarning, "RDB has duplicated key '%s' in DB %d", k.Key, k.DB)
					return fmt.Errorf("duplicated key found in RDB file")
				}
				db.Delete(k.Key)
			}
			var e *store.Entry
			if k.Value.Val == nil {
				e = db.SetString(k.Key, k.Value.Str, store.EncAuto, false)
			} else {
				e = db.SetObject(k.Key, k.Value.Val)
			}
			if k.ExpireAt != 0 {
				db.SetExpireAt(e, k.ExpireAt)
			}
			s.restoreAccessData(e, k.Idle, int64(k.Freq))
			if hv, ok := k.Value.Val.(*types.Hash); ok {
				if at := hv.NextExpiry(); at != 0 {
					s.hashScheduleExpiry(db, k.Key, at)
				}
			}
			loaded++
			return nil
		},
	}
	_, err := rdb.ReadFile(r, h)
	s.persist.loadedKeys.Store(loaded)
	s.persist.expiredKeys.Store(expired)
	if err != nil {
		off := r.Offset()
		msg := err.Error()
		switch {
		case strings.Contains(msg, "unexpected end of data"):
			s.logf(LogWarning, "Short read or OOM loading DB. Unrecoverable error, aborting now.")
			s.logf(LogWarning, "Internal error in RDB reading offset %d -> Unexpected EOF reading RDB file", off)
		case strings.Contains(msg, "wrong RDB checksum"):
			s.logf(LogWarning, "Wrong RDB checksum. Aborting now.")
			s.logf(LogWarning, "Internal error in RDB reading offset %d -> RDB CRC error", off)
		case strings.Contains(msg, "FUNCTION2"), strings.HasPrefix(msg, "FATAL"):
			s.logf(LogWarning, "%s", msg)
		default:
			s.logf(LogWarning, "Internal error in RDB reading offset %d -> %s", off, strings.TrimPrefix(msg, "rdb: "))
		}
		s.logf(LogWarning, "Terminating server after rdb file reading failure.")
		return &loadError{err}
	}
	s.logf(LogNotice, "Done loading RDB, keys loaded: %d, keys expired: %d.", loaded, expired)
	return nil
}

// debugReload is DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]; the caller holds
// every shard lock.
func debugReload(x *Ctx) {
	save, flush, merge := true, true, false
	for _, a := range x.Args[2:] {
		switch {
		case strEqFold(a, "merge"):
			merge = true
		case strEqFold(a, "noflush"):
			flush = false
		case strEqFold(a, "nosave"):
			save = false
		default:
			x.Error("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.")
			return
		}
	}
	s := x.s
	if save {
		if err := s.saveRDBLocked(); err != nil {
			x.Error("ERR")
			return
		}
	}
	if flush {
		for i := 0; i < s.store.NumDBs(); i++ {
			s.store.DB(i).Flush()
		}
		s.trackingFlushed(nil)
	}
	final, _ := s.rdbPaths()
	s.persist.loading.Store(true)
	err := s.loadRDBFile(final, true, merge)
	s.persist.loading.Store(false)
	if err != nil {
		x.Error(errLoadFailed)
		return
	}
	s.logf(LogWarning, "DB reloaded by DEBUG RELOAD")
	x.W.WriteOK()
}
