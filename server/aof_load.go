package server

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"petrel/persistence/aof"
	"petrel/resp"
)

// Loading the AOF: the base file (RDB or commands) and the incremental
// files are replayed, in the manifest's order, through a client of the
// server's own that runs each command as a client's would, with every shard
// lock held by the loader for the whole replay.

// replayAOF loads every file the manifest names.
func (s *Server) replayAOF(dir string, m *aof.Manifest) error {
	s.store.LockAll()
	defer s.store.UnlockAll()
	return s.replayAOFLocked(dir, m)
}

// replayAOFLocked is replayAOF for a caller holding every shard lock.
func (s *Server) replayAOFLocked(dir string, m *aof.Manifest) error {
	var files []aof.FileInfo
	if m.Base != nil {
		files = append(files, *m.Base)
	}
	files = append(files, m.Incrs...)
	c := s.newLoaderClient()
	for i, fi := range files {
		start := time.Now()
		last := i == len(files)-1
		path := filepath.Join(dir, fi.Name)
		if err := s.replayAOFFile(c, path, fi, last); err != nil {
			return err
		}
		kind := "incr"
		if fi.Type == aof.TypeBase {
			kind = "base"
		}
		s.logf(LogNotice, "DB loaded from %s file %s: %.3f seconds", kind, fi.Name, time.Since(start).Seconds())
	}
	return nil
}

// replayAOFFile loads one file; last allows a truncated tail to be cut
// (aof-load-truncated).
func (s *Server) replayAOFFile(c *Client, path string, fi aof.FileInfo, last bool) error {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			s.logf(LogWarning, "The AOF file %s doesn't exist", fi.Name)
		} else {
			s.logf(LogWarning, "Fatal error: can't open the append log file %s for reading: %s", fi.Name, errnoText(err))
		}
		return &loadError{err}
	}
	defer f.Close()
	isRDB, r := peekRDB(bufio.NewReaderSize(f, 64<<10))
	if isRDB {
		s.logf(LogNotice, "Reading RDB base file on AOF loading...")
		if err := s.loadRDBFrom(r, true, false); err != nil {
			return err
		}
		s.logf(LogNotice, "Reading the remaining AOF tail...")
		return nil
	}
	return s.replayCommands(c, r, path, fi.Name, last)
}

// replayCommands runs the commands of an AOF stream.
func (s *Server) replayCommands(c *Client, r io.Reader, path, name string, last bool) error {
	rd := aof.NewReader(r)
	held := &lockSet{all: true}
	for {
		args, err := rd.Next()
		if err == io.EOF {
			return nil
		}
		var te *aof.TruncatedError
		if errors.As(err, &te) {
			c.inMulti = false // an open transaction never happened
			c.queue = c.queue[:0]
			return s.aofTruncatedTail(path, name, last, te)
		}
		var fe *aof.FormatError
		if errors.As(err, &fe) {
			s.logf(LogWarning, "%s", fe.LogLine(name))
			return &loadError{err}
		}
		if err != nil {
			s.logf(LogWarning, aof.LogReadError, name, errnoText(err))
			return &loadError{err}
		}
		cmd := s.cmds.lookup(args[0])
		if cmd != nil && len(cmd.Subcommands) > 0 && len(args) >= 2 {
			cmd = cmd.Subcommands[strings.ToLower(string(args[1]))]
		}
		if cmd == nil || !cmd.checkArity(len(args)) {
			s.logf(LogWarning, aof.LogUnknownCommand, cString(args[0]), name)
			return &loadError{fmt.Errorf("unknown command %q in the AOF", args[0])}
		}
		switch {
		case cmd.Name == "multi":
			c.inMulti = true
			c.queue = c.queue[:0]
		case cmd.Name == "exec" && c.inMulti:
			c.inMulti = false
			c.inExec = true
			for _, q := range c.queue {
				s.call(c, q.cmd, q.args, 0, held)
			}
			c.inExec = false
			c.queue = c.queue[:0]
		case c.inMulti:
			c.queue = append(c.queue, queued{cmd: cmd, args: args}) // the reader's args are ours
		default:
			s.call(c, cmd, args, 0, held)
		}
		c.w.Reset()
	}
}

// aofTruncatedTail handles a file that ends inside a command (or a
// transaction): with aof-load-truncated yes and the last file, the file is
// cut back to where it is whole and loading goes on, as in Redis.
func (s *Server) aofTruncatedTail(path, name string, last bool, te *aof.TruncatedError) error {
	loadTruncated := s.cfgYes("aof-load-truncated")
	if !last {
		s.logf(LogWarning, aof.LogTruncatedNotLast)
		return &loadError{te}
	}
	for _, line := range te.LogLines(name, loadTruncated) {
		s.logf(LogWarning, "%s", line)
	}
	if !loadTruncated {
		return &loadError{te}
	}
	if err := os.Truncate(path, te.Offset); err != nil {
		s.logf(LogWarning, "Error truncating the AOF file %s: %s", name, errnoText(err))
		return &loadError{err}
	}
	return nil
}

// newLoaderClient is the client AOF commands run on: no connection, every
// permission, replies dropped.
func (s *Server) newLoaderClient() *Client {
	c := &Client{ID: -1, w: resp.NewWriter(), srv: s, created: time.Now(), authenticated: true, loader: true}
	c.addr, c.laddr = "", ""
	c.ctx.c = c
	c.ctx.s = s
	c.closedCh = make(chan struct{})
	return c
}

// debugLoadAOF is DEBUG LOADAOF: flush the log to disk, empty the keyspace
// and load it again from the AOF. The caller holds every shard lock.
func debugLoadAOF(x *Ctx) {
	s := x.s
	a := &s.aof
	if !a.on.Load() {
		x.W.WriteOK() // Redis does nothing without an AOF
		return
	}
	a.wmu.Lock()
	if a.man == nil || a.tempIncr {
		// Being turned on: the base that starts the log is still being
		// written, and its rewrite needs the locks this command holds.
		a.wmu.Unlock()
		x.Error("ERR Background AOF rewrite in progress, the AOF can be loaded once it is done")
		return
	}
	s.aofWriteLocked(true)
	// wmu stays held through the replay: a rewrite finishing meanwhile
	// would rename and delete the files being read.
	dir, m := a.dir, a.man.Clone()
	for d := 0; d < s.store.NumDBs(); d++ {
		s.store.DB(d).Flush()
	}
	a.on.Store(false) // the replay must not log itself again
	err := s.replayAOFLocked(dir, m)
	a.on.Store(true)
	a.wmu.Unlock()
	if err != nil {
		x.Error("ERR Error loading the AOF, check the server log")
		return
	}
	s.logf(LogNotice, "Append Only File loaded by DEBUG LOADAOF")
	x.W.WriteOK()
}
