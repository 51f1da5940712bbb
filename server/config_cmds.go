package server

import (
	"context"
	"errors"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"petrel/config"
)

// CONFIG GET, SET, RESETSTAT, REWRITE and HELP. The configuration itself
// (types, validation, rewriting) lives in package config; this file connects
// it to the running server.

var configHelp = []string{
	"CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"GET <pattern>",
	"    Return parameters matching the glob-like <pattern> and their values.",
	"SET <directive> <value>",
	"    Set the configuration <directive> to <value>.",
	"RESETSTAT",
	"    Reset statistics reported by the INFO command.",
	"REWRITE",
	"    Rewrite the configuration file.",
	"HELP",
	"    Prints this help.",
}

func cmdConfigHelp(x *Ctx) { writeHelp(x, configHelp) }

func cmdConfigGet(x *Ctx) {
	args := make([]string, len(x.Args)-2)
	for i, a := range x.Args[2:] {
		args[i] = string(a)
	}
	pairs := x.s.cfg.Match(args)
	x.W.WriteMapLen(len(pairs))
	for _, p := range pairs {
		x.W.WriteBulkString(p.Name)
		x.W.WriteBulkString(p.Value)
	}
}

// redacted replaces the values of sensitive directives in the command's
// arguments, so SLOWLOG and MONITOR never show passwords.
var redacted = []byte("(redacted)")

func cmdConfigSet(x *Ctx) {
	if len(x.Args)%2 != 0 {
		x.Error(ErrSyntax)
		return
	}
	pairs := make([]config.Pair, 0, (len(x.Args)-2)/2)
	for i := 2; i+1 < len(x.Args); i += 2 {
		pairs = append(pairs, config.Pair{Name: string(x.Args[i]), Value: string(x.Args[i+1])})
		if d := config.Lookup(string(x.Args[i])); d != nil && d.Sensitive() {
			x.Args[i+1] = redacted
		}
	}
	s := x.s
	s.cfg.RLock()
	allow := config.AllowProtected(s.cfg.EnableProtectedConfigs, isLocalClient(x.c))
	s.cfg.RUnlock()
	if msg := s.cfg.Set(pairs, allow, s.applyConfigChange); msg != "" {
		x.Error(msg)
		return
	}
	x.W.WriteOK()
	// As in Redis, setting maxmemory evicts at once, and this client's own
	// evicted events follow its OK. Inside EXEC the transaction may hold
	// shards eviction needs: the next command evicts instead.
	if !x.c.inExec && slices.ContainsFunc(pairs, func(p config.Pair) bool { return strings.EqualFold(p.Name, "maxmemory") }) {
		s.overMaxmemory(false, x)
	}
}

// applyConfigChange puts changed directives into effect after CONFIG SET:
// listeners move for port and bind, the logger follows loglevel, and the
// server's cached values refresh.
func (s *Server) applyConfigChange(changed []*config.Directive) (*config.Directive, string) {
	for _, d := range changed {
		switch d.Name {
		case "port", "bind":
			if err := s.rebindTCP(); err != nil {
				if d.Name == "port" {
					return d, "Unable to listen on this port. Check server logs."
				}
				return d, "Failed to bind to specified addresses."
			}
		case "loglevel":
			s.cfg.RLock()
			lvl, _ := ParseLogLevel(s.cfg.LogLevel)
			s.cfg.RUnlock()
			s.log.SetLevel(lvl)
		case "appendfsync", "aof-timestamp-enabled":
			s.aofSettings()
		case "appendonly":
			if msg := s.setAppendonly(s.cfgYes("appendonly")); msg != "" {
				return d, msg
			}
		}
	}
	s.applyConfig()
	return nil, ""
}

func cmdConfigResetstat(x *Ctx) {
	x.s.ResetStats()
	x.W.WriteOK()
}

// ResetStats zeroes what CONFIG RESETSTAT resets in Redis: the server's
// counters (commands, connections, keyspace hits and misses, expired keys,
// network bytes, reads and writes, rejected connections, error replies),
// the instantaneous metrics, the memory peak, every command's statistics and
// the error statistics. Counters added later belong here too. The slow log, the latency monitor
// and the dataset are left alone, as in Redis.
func (s *Server) ResetStats() {
	st := &s.stats
	st.totalConnections.Store(0)
	st.rejectedConnections.Store(0)
	st.totalCommands.reset()
	st.netInputBytes.reset()
	st.netOutputBytes.reset()
	st.totalErrorReplies.Store(0)
	st.errorsMu.Lock()
	clear(st.errors)
	st.errorsMu.Unlock()
	st.reads.reset()
	st.writes.reset()
	s.store.ExpiredKeys.Store(0)
	st.keyspaceHits.reset()
	st.keyspaceMisses.reset()
	// The instantaneous metrics restart from the zeroed counters, and the
	// memory peak is measured afresh, as Redis's resetServerStats does.
	s.info.mu.Lock()
	s.info.lastSample = time.Now()
	s.info.lastOps, s.info.lastIn, s.info.lastOut = 0, 0, 0
	s.info.ops, s.info.netIn, s.info.netOut = rateSampler{}, rateSampler{}, rateSampler{}
	s.info.mu.Unlock()
	s.info.peakMem.Store(0)
	for _, c := range s.cmds {
		c.resetStats()
	}
}

func (c *Command) resetStats() {
	c.stats.reset()
	for _, sc := range c.Subcommands {
		sc.resetStats()
	}
}

func cmdConfigRewrite(x *Ctx) {
	err := x.s.cfg.Rewrite()
	if err == nil {
		x.s.logf(LogWarning, "CONFIG REWRITE executed with success.")
		x.W.WriteOK()
		return
	}
	x.s.cfg.RLock()
	noFile := x.s.cfg.ConfigFile == ""
	x.s.cfg.RUnlock()
	if noFile {
		x.Error("ERR The server is running without a config file")
		return
	}
	msg := config.ErrnoText(err)
	x.s.logf(LogWarning, "CONFIG REWRITE failed: %s", msg)
	x.Error("ERR Rewriting config file: " + msg)
}

// listenTCP opens a listener for every bind address on port, as Redis's
// listenToPort does: "*" is every IPv4 address and "::*" every IPv6 one,
// each failure is logged, and addresses that cannot exist on this host
// (no IPv6, address not available) are skipped.
func (s *Server) listenTCP(port int, binds []string) ([]net.Listener, error) {
	var out []net.Listener
	for _, b := range binds {
		addr := strings.TrimPrefix(b, "-")
		host, network := addr, "tcp4"
		switch {
		case addr == "*":
			host = "0.0.0.0"
		case addr == "::*":
			host, network = "::", "tcp6"
		case strings.Contains(addr, ":"):
			network = "tcp6"
		}
		lc := net.ListenConfig{Control: v6only}
		ln, err := lc.Listen(context.Background(), network, net.JoinHostPort(host, strconv.Itoa(port)))
		if err != nil {
			s.logf(LogWarning, "Warning: Could not create server TCP listening socket %s:%d: %s", addr, port, netErrText(err))
			var errno syscall.Errno
			if errors.As(err, &errno) {
				switch errno {
				case syscall.ENOPROTOOPT, syscall.EPROTONOSUPPORT, syscall.ESOCKTNOSUPPORT,
					syscall.EPFNOSUPPORT, syscall.EAFNOSUPPORT, syscall.EADDRNOTAVAIL:
					continue
				}
			}
			for _, l := range out {
				l.Close()
			}
			return nil, err
		}
		out = append(out, ln)
	}
	return out, nil
}

// v6only keeps IPv6 listeners off IPv4, as Redis sets IPV6_V6ONLY, so "*"
// and "::*" can share a port.
func v6only(network, _ string, rc syscall.RawConn) error {
	if network != "tcp6" {
		return nil
	}
	var serr error
	err := rc.Control(func(fd uintptr) {
		serr = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_IPV6, syscall.IPV6_V6ONLY, 1)
	})
	if err != nil {
		return err
	}
	return serr
}

// netErrText renders a listen error as Redis's anet does: "bind: Address
// already in use".
func netErrText(err error) string {
	var se *os.SyscallError
	if errors.As(err, &se) {
		return se.Syscall + ": " + config.ErrnoText(se.Err)
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		return config.ErrnoText(oe.Err)
	}
	return err.Error()
}

// rebindTCP replaces the TCP listeners after CONFIG SET port or bind: the
// new ones open first, so a failure leaves the old ones serving.
func (s *Server) rebindTCP() error {
	s.cfg.RLock()
	port, binds := s.cfg.Port, append([]string(nil), s.cfg.Bind...)
	s.cfg.RUnlock()
	var fresh []net.Listener
	if port != 0 {
		var err error
		if fresh, err = s.listenTCP(port, binds); err != nil {
			return err
		}
	}
	var keep []net.Listener
	for _, ln := range s.listeners {
		if _, tcp := ln.(*net.TCPListener); tcp {
			ln.Close()
		} else {
			keep = append(keep, ln)
		}
	}
	s.listeners = append(keep, fresh...)
	for _, ln := range fresh {
		go s.acceptLoop(ln)
	}
	return nil
}

// RenameCommand applies a rename-command directive before the server
// starts serving: the command answers to newName only, or to nothing when
// newName is empty. Its own name (COMMAND INFO) does not change, as in Redis.
func (s *Server) RenameCommand(from, newName string) error {
	from = strings.ToLower(from)
	c := s.cmds[from]
	if c == nil {
		return errors.New("No such command in rename-command")
	}
	delete(s.cmds, from)
	if newName == "" {
		return nil
	}
	newName = strings.ToLower(newName)
	if s.cmds[newName] != nil {
		return errors.New("Target command name already exists")
	}
	s.cmds[newName] = c
	return nil
}
