package server

import (
	"context"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

	"petrel/config"
)

// shutdownState tracks SHUTDOWN and the termination signals.
type shutdownState struct {
	mu sync.Mutex // one shutdown attempt at a time
	// signalled is set when a signal asked for a shutdown, so a second
	// SIGINT exits at once.
	signalled atomic.Bool
	// inProgress would be set while a shutdown waits for replicas (SHUTDOWN
	// ABORT cancels that wait); Petrel has no replicas, so it never waits.
	inProgress atomic.Bool
}

// saveBeforeExit writes the final RDB snapshot (persist.go).
func (s *Server) saveBeforeExit() error {
	s.logf(LogNotice, "Saving the final RDB snapshot before exiting.")
	return s.saveRDB(context.Background())
}

// cmdShutdown is SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT].
func cmdShutdown(x *Ctx) {
	flags, abort := 0, false
	for _, a := range x.Args[1:] {
		switch strings.ToLower(string(a)) {
		case "nosave":
			flags |= config.ShutdownNoSave
		case "save":
			flags |= config.ShutdownSave
		case "now":
			flags |= config.ShutdownNow
		case "force":
			flags |= config.ShutdownForce
		case "abort":
			abort = true
		default:
			x.Error(ErrSyntax)
			return
		}
	}
	if (abort && flags != 0) || (flags&config.ShutdownNoSave != 0 && flags&config.ShutdownSave != 0) {
		x.Error(ErrSyntax)
		return
	}
	if abort {
		if x.s.shut.inProgress.CompareAndSwap(true, false) {
			x.s.logf(LogWarning, "Shutdown manually aborted.")
			x.W.WriteOK()
			return
		}
		x.Error("ERR No shutdown in progress.")
		return
	}
	if err := x.s.Shutdown(flags); err != nil {
		x.Error("ERR Errors trying to SHUTDOWN. Check logs.")
	}
	// On success the connection closes without a reply, as in Redis.
}

// Shutdown stops the server as Redis's SHUTDOWN does, with config.Shutdown*
// flags: it logs the steps, saves when asked (or when save points exist and
// NOSAVE was not given), removes the pid file and the Unix socket, closes
// every connection and runs ShutdownHook. It returns an error, and the
// server keeps running, when an explicit SAVE cannot be done without FORCE.
func (s *Server) Shutdown(flags int) error {
	s.shut.mu.Lock()
	defer s.shut.mu.Unlock()
	select {
	case <-s.shutdown:
		return nil // already down
	default:
	}
	s.logf(LogWarning, "User requested shutdown...")
	s.cfg.RLock()
	savePoints := len(s.cfg.Save) > 0
	pidFile, unixSocket := s.cfg.PidFile, s.cfg.UnixSocket
	s.cfg.RUnlock()

	// A background save is stopped whatever happens next, as Redis kills
	// its child; the final save, if any, replaces it.
	s.killBackgroundSave(true)
	s.waitAOFRewrite(true)
	s.flushAOFForShutdown()
	if flags&config.ShutdownSave != 0 || (savePoints && flags&config.ShutdownNoSave == 0) {
		if err := s.saveBeforeExit(); err != nil {
			if flags&config.ShutdownForce == 0 {
				s.logf(LogWarning, "Error trying to save the DB, can't exit.")
				s.logf(LogWarning, "Errors trying to shut down the server. Check the logs for more information.")
				return err
			}
			s.logf(LogWarning, "Error trying to save the DB. Exit anyway.")
		}
	}
	if pidFile != "" {
		s.logf(LogNotice, "Removing the pid file.")
		os.Remove(pidFile)
	}
	if unixSocket != "" {
		s.logf(LogNotice, "Removing the unix socket file.")
	}
	s.logf(LogWarning, "Petrel is now ready to exit, bye bye...")
	s.Close()
	if s.ShutdownHook != nil {
		s.ShutdownHook()
	}
	return nil
}

// HandleSignal runs what Redis does on SIGTERM and SIGINT: log it and shut
// down with the flags of shutdown-on-sigterm / shutdown-on-sigint. A second
// SIGINT while a shutdown is pending exits at once, as in Redis. It reports
// whether the process should exit immediately with status 1.
func (s *Server) HandleSignal(sig os.Signal) (exitNow bool) {
	name := "SIGTERM"
	if sig == syscall.SIGINT {
		name = "SIGINT"
	}
	if s.shut.signalled.Load() && sig == syscall.SIGINT {
		s.log.SignalLine("You insist... exiting now.")
		s.cfg.RLock()
		pidFile := s.cfg.PidFile
		s.cfg.RUnlock()
		if pidFile != "" {
			os.Remove(pidFile)
		}
		return true
	}
	s.shut.signalled.Store(true)
	s.log.SignalLine("Received " + name + " scheduling shutdown...")
	s.cfg.RLock()
	flags := s.cfg.ShutdownOnSigterm
	if sig == syscall.SIGINT {
		flags = s.cfg.ShutdownOnSigint
	}
	s.cfg.RUnlock()
	if err := s.Shutdown(flags); err != nil {
		s.logf(LogWarning, "%s received but errors trying to shut down the server, check the logs for more information", name)
		s.shut.signalled.Store(false)
	}
	return false
}

// CreatePidFile writes the process id to the pidfile directive's path, as
// Redis does at start-up; failures are logged, not fatal.
func (s *Server) CreatePidFile() {
	s.cfg.RLock()
	path := s.cfg.PidFile
	s.cfg.RUnlock()
	if path == "" {
		return
	}
	if err := os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		s.logf(LogWarning, "Failed to write PID file: %s", config.ErrnoText(err))
	}
}
