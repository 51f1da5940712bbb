package server

import (
	"crypto/subtle"
	"strings"

	"petrel/internal/num"
)

// Connection commands: PING, ECHO, QUIT, RESET, HELLO, AUTH, SELECT.

func cmdPing(x *Ctx) {
	if len(x.Args) > 2 {
		x.Errorf("ERR wrong number of arguments for '%s' command", x.Cmd.Name)
		return
	}
	if x.c.inPubSubContext() {
		// a subscribed RESP2 client gets PING's answer as a message
		x.W.WriteArrayLen(2)
		x.W.WriteBulkString("pong")
		if len(x.Args) == 2 {
			x.W.WriteBulk(x.Args[1])
		} else {
			x.W.WriteBulkString("")
		}
		return
	}
	if len(x.Args) == 2 {
		x.W.WriteBulk(x.Args[1])
		return
	}
	x.W.WriteSimple("PONG")
}

func cmdEcho(x *Ctx) { x.W.WriteBulk(x.Args[1]) }

func cmdQuit(x *Ctx) {
	x.W.WriteOK()
	x.c.closeAfter = true
}

func cmdReset(x *Ctx) {
	c, s := x.c, x.s
	c.discardMulti()
	s.unwatchAll(c)
	s.unsubscribeAll(c)
	if c.trackConf.Load() != nil {
		s.setTracking(c, nil)
	}
	if c.hasFlag(cflagMonitor) {
		s.removeMonitor(c)
	}
	c.db = 0
	c.setProto(2)
	if c.replyMode != replySkip {
		// Redis clears REPLY OFF and SKIP's pending next, but a skip in
		// force goes on: RESET's own reply is skipped.
		c.replyMode = replyOn
	}
	c.noTouch = false // CLIENT NO-EVICT stays, as Redis's RESET keeps it
	c.infoMu.Lock()
	c.name = ""
	c.infoMu.Unlock()
	c.authenticated = *s.requirePass.Load() == ""
	x.W.WriteSimple("RESET")
}

// checkPassword verifies credentials for the default user (ACL users come
// with the ACL issue). With no requirepass the default user takes any
// password, as Redis's nopass user does.
func (s *Server) checkPassword(user, pass string) bool {
	if user != "default" {
		return false
	}
	want := *s.requirePass.Load()
	if want == "" {
		return true
	}
	return subtle.ConstantTimeCompare([]byte(want), []byte(pass)) == 1
}

const errWrongPass = "WRONGPASS invalid username-password pair or user is disabled."

func cmdAuth(x *Ctx) {
	if len(x.Args) > 3 {
		x.Error(ErrSyntax)
		return
	}
	user, pass := "default", string(x.Args[len(x.Args)-1])
	if len(x.Args) == 3 {
		user = string(x.Args[1])
	}
	// As in Redis, MONITOR and the slow log show no password.
	for i := 1; i < len(x.Args); i++ {
		x.Args[i] = redacted
	}
	if len(x.Args) == 2 && *x.s.requirePass.Load() == "" {
		x.Error("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?")
		return
	}
	if !x.s.checkPassword(user, pass) {
		x.s.logf(LogWarning, "Failed authentication attempt from client %s", x.c.describe())
		x.Error(errWrongPass)
		return
	}
	x.c.authenticated = true
	x.W.WriteOK()
}

// validClientName reports whether name may be set with CLIENT SETNAME or
// HELLO SETNAME: printable ASCII without spaces.
func validClientName(name []byte) bool {
	for _, ch := range name {
		if ch < '!' || ch > '~' {
			return false
		}
	}
	return true
}

const errClientName = "ERR Client names cannot contain spaces, newlines or special characters."

func cmdHello(x *Ctx) {
	c, s := x.c, x.s
	proto := c.w.Proto
	args := x.Args
	if len(args) >= 2 {
		v, ok := num.ParseInt(args[1])
		if !ok {
			x.Error("ERR Protocol version is not an integer or out of range")
			return
		}
		if v < 2 || v > 3 {
			x.Error("NOPROTO unsupported protocol version")
			return
		}
		proto = int(v)
	}
	// Redis 7.0 acts on each option as it reads it: an AUTH that fails, or
	// a bad name, stops HELLO before the options after it are read, and a
	// name given before a syntax error stays.
	for i := 2; i < len(args); i++ {
		opt := strings.ToLower(string(args[i]))
		switch {
		case opt == "auth" && i+2 < len(args):
			user, pass := string(args[i+1]), string(args[i+2])
			args[i+1], args[i+2] = redacted, redacted // as in Redis, for MONITOR and the slow log
			if !s.checkPassword(user, pass) {
				x.Error(errWrongPass)
				return
			}
			c.authenticated = true
			i += 2
		case opt == "setname" && i+1 < len(args):
			name := args[i+1]
			if !validClientName(name) {
				x.Error(errClientName)
				return
			}
			c.infoMu.Lock()
			c.name = string(name)
			c.infoMu.Unlock()
			i++
		default:
			x.Errorf("ERR Syntax error in HELLO option '%s'", args[i])
			return
		}
	}
	if !c.authenticated {
		x.Error("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time")
		return
	}
	c.setProto(proto)
	w := x.W
	w.WriteMapLen(7)
	w.WriteBulkString("server")
	w.WriteBulkString("redis")
	w.WriteBulkString("version")
	w.WriteBulkString(Version)
	w.WriteBulkString("proto")
	w.WriteInt(int64(proto))
	w.WriteBulkString("id")
	w.WriteInt(c.ID)
	w.WriteBulkString("mode")
	w.WriteBulkString("standalone")
	w.WriteBulkString("role")
	w.WriteBulkString("master")
	w.WriteBulkString("modules")
	w.WriteArrayLen(0)
}

func cmdSelect(x *Ctx) {
	n, ok := targetDB(x, x.Args[1]) // Redis reads an int, then checks the range
	if !ok {
		return
	}
	x.c.db = n
	x.W.WriteOK()
}
