package server

import (
	"fmt"
	"io"
	"log/syslog"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// LogLevel is Redis's loglevel.
type LogLevel int32

// Redis's log levels, most verbose first.
const (
	LogDebug LogLevel = iota
	LogVerbose
	LogNotice
	LogWarning
	LogNothing
)

// ParseLogLevel maps a loglevel directive's value to a level.
func ParseLogLevel(s string) (LogLevel, bool) {
	switch s {
	case "debug":
		return LogDebug, true
	case "verbose":
		return LogVerbose, true
	case "notice":
		return LogNotice, true
	case "warning":
		return LogWarning, true
	case "nothing":
		return LogNothing, true
	}
	return 0, false
}

// Logger writes lines in Redis's format:
//
//	pid:role dd Mon yyyy hh:mm:ss.mmm <level char> message
type Logger struct {
	mu    sync.Mutex
	out   io.Writer
	level atomic.Int32
	pid   int
	role  atomic.Int32 // the role character of the prefix (SetRole)
	// Syslog, when set, also receives each line with its level.
	Syslog func(level LogLevel, msg string)
}

// NewLogger returns a logger writing to out at the given level.
func NewLogger(out io.Writer, level LogLevel) *Logger {
	l := &Logger{out: out, pid: os.Getpid()}
	l.role.Store('M')
	l.level.Store(int32(level))
	return l
}

// SetLevel changes the level (CONFIG SET loglevel).
func (l *Logger) SetLevel(level LogLevel) { l.level.Store(int32(level)) }

// SetOutput changes the destination (CONFIG SET logfile is not allowed in
// Redis, but start-up may switch from stdout to the file).
func (l *Logger) SetOutput(w io.Writer) {
	l.mu.Lock()
	l.out = w
	l.mu.Unlock()
}

// Enabled reports whether a message at level would be written.
func (l *Logger) Enabled(level LogLevel) bool { return level >= LogLevel(l.level.Load()) }

// Logf writes one line at level.
func (l *Logger) Logf(level LogLevel, format string, a ...any) {
	if !l.Enabled(level) {
		return
	}
	msg := fmt.Sprintf(format, a...)
	l.Raw(level, msg)
}

// Raw writes msg as one log line without formatting it.
func (l *Logger) Raw(level LogLevel, msg string) {
	now := time.Now()
	c := ".-*#"[min(int(level), 3)]
	line := fmt.Sprintf("%d:%c %s.%03d %c %s\n", l.pid, rune(l.role.Load()),
		now.Format("02 Jan 2006 15:04:05"), now.Nanosecond()/1e6, c, msg)
	l.mu.Lock()
	io.WriteString(l.out, line)
	l.mu.Unlock()
	if l.Syslog != nil {
		l.Syslog(level, msg)
	}
}

// Plain writes text without the line prefix (the logo).
func (l *Logger) Plain(text string) {
	l.mu.Lock()
	io.WriteString(l.out, text)
	l.mu.Unlock()
}

func (s *Server) logf(level LogLevel, format string, a ...any) { s.log.Logf(level, format, a...) }

// Logger returns the server's logger.
func (s *Server) Logger() *Logger { return s.log }

// SetRole sets the role character of the line prefix: Redis writes C while
// the process is still reading its configuration and M once the server is
// built.
func (l *Logger) SetRole(role byte) { l.role.Store(int32(role)) }

// SignalLine writes a warning the way Redis logs from its signal handler:
// "pid:signal-handler (unix time) message".
func (l *Logger) SignalLine(msg string) {
	if !l.Enabled(LogWarning) {
		return
	}
	line := fmt.Sprintf("%d:signal-handler (%d) %s\n", l.pid, time.Now().Unix(), msg)
	l.mu.Lock()
	io.WriteString(l.out, line)
	l.mu.Unlock()
	if l.Syslog != nil {
		l.Syslog(LogWarning, msg)
	}
}

// LogFile is an io.Writer appending to a file it opens for each write, as
// Redis opens its logfile for every line, so rotating the log needs no
// signal.
type LogFile struct{ Path string }

func (f LogFile) Write(p []byte) (int, error) {
	fh, err := os.OpenFile(f.Path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return 0, err
	}
	defer fh.Close()
	return fh.Write(p)
}

// syslogFacilities maps syslog-facility's values.
var syslogFacilities = map[string]syslog.Priority{
	"user": syslog.LOG_USER, "local0": syslog.LOG_LOCAL0, "local1": syslog.LOG_LOCAL1,
	"local2": syslog.LOG_LOCAL2, "local3": syslog.LOG_LOCAL3, "local4": syslog.LOG_LOCAL4,
	"local5": syslog.LOG_LOCAL5, "local6": syslog.LOG_LOCAL6, "local7": syslog.LOG_LOCAL7,
}

// EnableSyslog also sends every line to the system log with the given ident
// and facility (syslog-enabled, syslog-ident, syslog-facility), mapping
// Redis's levels to debug, info, notice and warning.
func (l *Logger) EnableSyslog(ident, facility string) error {
	w, err := syslog.New(syslogFacilities[facility]|syslog.LOG_NOTICE, ident)
	if err != nil {
		return err
	}
	l.Syslog = func(level LogLevel, msg string) {
		switch level {
		case LogDebug:
			w.Debug(msg)
		case LogVerbose:
			w.Info(msg)
		case LogNotice:
			w.Notice(msg)
		default:
			w.Warning(msg)
		}
	}
	return nil
}
