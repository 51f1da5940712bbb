package config

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"petrel/internal/num"
)

// ErrDaemonize is the reason "daemonize yes" is refused.
const ErrDaemonize = "daemonize yes is not supported: Petrel is a Go program and cannot fork safely. " +
	"Run petrel-server in the foreground under a supervisor (systemd, a container, nohup) instead"

func checkDaemonize(_ *Config, v string) string {
	if on, _ := yesNo(v); on {
		return ErrDaemonize
	}
	return ""
}

func checkHostname(_ *Config, v string) string {
	if len(v) >= 256 {
		return "Hostnames must be less than 256 characters"
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return "Hostnames may only contain alphanumeric characters, hyphens or dots"
		}
	}
	return ""
}

func checkBaseName(pathErr, emptyErr string) func(*Config, string) string {
	return func(_ *Config, v string) string {
		if emptyErr != "" && v == "" {
			return emptyErr
		}
		if strings.ContainsRune(v, '/') {
			return pathErr
		}
		return ""
	}
}

// checkProcTitle validates a proc-title-template as Redis does: expanded
// with an empty title ({var} with a known name, {{ for a literal brace, a
// lone } kept as it is), it must leave something besides spaces.
func checkProcTitle(c *Config, v string) string {
	const bad = "template format is invalid or contains unknown variables"
	var out strings.Builder
	for p := v; p != ""; {
		i := strings.IndexByte(p, '{')
		if i < 0 {
			out.WriteString(p)
			break
		}
		out.WriteString(p[:i])
		p = p[i+1:]
		switch {
		case p == "":
			return bad
		case p[0] == '{':
			out.WriteByte('{')
			p = p[1:]
			continue
		}
		end := strings.IndexByte(p, '}')
		if end < 0 {
			return bad
		}
		val, ok := procTitleVar(c, p[:end])
		if !ok {
			return bad
		}
		out.WriteString(val)
		p = p[end+1:]
	}
	if strings.Trim(out.String(), " ") == "" {
		return bad
	}
	return ""
}

// procTitleVar is what a proc-title-template variable stands for while a
// template is checked: the title is empty, a standalone server has no
// mode, the unix socket may be unset, and the rest always print something
// (an address, a port number, "-" without a config file).
func procTitleVar(c *Config, name string) (string, bool) {
	switch name {
	case "title", "server-mode":
		return "", true
	case "unixsocket":
		return c.UnixSocket, true
	case "listen-addr", "config-file", "port", "tls-port":
		return "-", true
	}
	return "", false
}

// clampHz keeps hz within Redis's 1..500, as Redis does after any change.
func clampHz(c *Config) {
	if c.Hz < 1 {
		c.Hz = 1
	}
	if c.Hz > 500 {
		c.Hz = 500
	}
}

// ErrnoText renders an error as C's strerror does ("No such file or
// directory"), for messages that must match Redis's.
func ErrnoText(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		s := errno.Error()
		if s != "" {
			return strings.ToUpper(s[:1]) + s[1:]
		}
	}
	return err.Error()
}

func setDir(c *Config, args []string) string {
	if len(args) != 1 {
		return "wrong number of arguments"
	}
	p := args[0]
	if !filepath.IsAbs(p) {
		p = filepath.Join(c.AbsDir(), p)
	}
	p = filepath.Clean(p)
	if c.Chdir {
		if err := os.Chdir(p); err != nil {
			return ErrnoText(err)
		}
	} else if st, err := os.Stat(p); err != nil {
		return ErrnoText(err)
	} else if !st.IsDir() {
		return ErrnoText(syscall.ENOTDIR)
	}
	c.Dir = p
	return ""
}

func getDir(c *Config) string { return c.AbsDir() }

func rewriteDir(c *Config, d *Directive, st *rewriteState) {
	st.rewriteLine(d.Name, d.Name+" "+Repr(c.AbsDir()), true)
}

// parseSavePoints checks "<seconds> <changes> ..." pairs as Redis does:
// seconds at least 1, changes at least 0, C strtoll syntax.
func parseSavePoints(args []string) ([]SavePoint, string) {
	if len(args)%2 != 0 {
		return nil, "Invalid save parameters"
	}
	out := make([]SavePoint, 0, len(args)/2)
	for j := 0; j < len(args); j += 2 {
		secs, ok1 := cStrtoll(args[j])
		changes, ok2 := cStrtoll(args[j+1])
		if !ok1 || !ok2 || secs < 1 || changes < 0 {
			return nil, "Invalid save parameters"
		}
		out = append(out, SavePoint{secs, changes})
	}
	return out, ""
}

// cStrtoll parses as C's strtoll(s, &end, 10) requiring the whole string to
// be used: leading spaces and a sign are allowed, an empty string is 0,
// overflow saturates.
func cStrtoll(s string) (int64, bool) {
	t := strings.TrimLeft(s, " \t\n\v\f\r")
	neg := false
	if t != "" && (t[0] == '+' || t[0] == '-') {
		neg = t[0] == '-'
		t = t[1:]
	}
	if t == "" {
		return 0, s == ""
	}
	for i := 0; i < len(t); i++ {
		if t[i] < '0' || t[i] > '9' {
			return 0, false
		}
	}
	u, err := strconv.ParseUint(t, 10, 64)
	if err != nil || (!neg && u > 1<<63-1) {
		if neg {
			return -1 << 63, true
		}
		return 1<<63 - 1, true
	}
	if neg {
		if u >= 1<<63 {
			return -1 << 63, true
		}
		return -int64(u), true
	}
	return int64(u), true
}

// setSave replaces the save points (CONFIG SET semantics; the file loader
// accumulates repeated lines itself).
func setSave(c *Config, args []string) string {
	if len(args) == 1 && args[0] == "" {
		c.Save = nil
		return ""
	}
	pts, err := parseSavePoints(args)
	if err != "" {
		return err
	}
	c.Save = pts
	return ""
}

func getSave(c *Config) string {
	var b strings.Builder
	for i, p := range c.Save {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.FormatInt(p.Seconds, 10))
		b.WriteByte(' ')
		b.WriteString(strconv.FormatInt(p.Changes, 10))
	}
	return b.String()
}

func rewriteSave(c *Config, d *Directive, st *rewriteState) {
	if len(c.Save) == 0 {
		st.rewriteLine(d.Name, `save ""`, true)
	}
	for _, p := range c.Save {
		st.rewriteLine(d.Name, "save "+strconv.FormatInt(p.Seconds, 10)+" "+strconv.FormatInt(p.Changes, 10), true)
	}
	st.markProcessed(d.Name)
}

var obufClassNames = [3]string{"normal", "slave", "pubsub"}

var obufDefaults = [3]OutputBufferLimit{{0, 0, 0}, {256 << 20, 64 << 20, 60}, {32 << 20, 8 << 20, 60}}

func obufClass(name string) int {
	switch strings.ToLower(name) {
	case "normal":
		return ClientNormal
	case "slave", "replica":
		return ClientReplica
	case "pubsub":
		return ClientPubSub
	}
	return -1
}

func setOutputBufferLimit(c *Config, args []string) string {
	if len(args) == 1 && args[0] == "" {
		return "" // Redis splits "" into no arguments: nothing to change
	}
	if len(args)%4 != 0 {
		return "Wrong number of arguments in buffer limit configuration."
	}
	vals := c.ClientOutputBufferLimits
	for j := 0; j < len(args); j += 4 {
		class := obufClass(args[j])
		if class < 0 {
			return "Invalid client class specified in buffer limit configuration."
		}
		hard, ok1 := ParseMemory(args[j+1])
		soft, ok2 := ParseMemory(args[j+2])
		secs, ok3 := cStrtoll(args[j+3])
		if !ok1 || !ok2 || !ok3 || secs < 0 {
			return "Error in hard, soft or soft_seconds setting in buffer limit configuration."
		}
		vals[class] = OutputBufferLimit{hard, soft, secs}
	}
	c.ClientOutputBufferLimits = vals
	return ""
}

func getOutputBufferLimit(c *Config) string {
	var b strings.Builder
	for i, l := range c.ClientOutputBufferLimits {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(obufClassNames[i] + " " + strconv.FormatUint(l.Hard, 10) + " " +
			strconv.FormatUint(l.Soft, 10) + " " + strconv.FormatInt(l.SoftSeconds, 10))
	}
	return b.String()
}

func rewriteOutputBufferLimit(c *Config, d *Directive, st *rewriteState) {
	for i, l := range c.ClientOutputBufferLimits {
		name := obufClassNames[i]
		if name == "slave" {
			name = "replica"
		}
		line := d.Name + " " + name + " " + FormatMemory(int64(l.Hard)) + " " +
			FormatMemory(int64(l.Soft)) + " " + strconv.FormatInt(l.SoftSeconds, 10)
		st.rewriteLine(d.Name, line, l != obufDefaults[i])
	}
}

func setOOMScoreAdjValues(c *Config, args []string) string {
	if len(args) != 3 {
		return "wrong number of arguments"
	}
	var vals [3]int64
	for i, a := range args {
		v, ok := cStrtoll(a)
		if !ok || v < -2000 || v > 2000 {
			return "Invalid oom-score-adj-values, elements must be between -2000 and 2000."
		}
		vals[i] = v
	}
	c.oomScoreAdjValues = vals
	return ""
}

func getOOMScoreAdjValues(c *Config) string {
	v := c.oomScoreAdjValues
	return strconv.FormatInt(v[0], 10) + " " + strconv.FormatInt(v[1], 10) + " " + strconv.FormatInt(v[2], 10)
}

func rewriteOOMScoreAdjValues(c *Config, d *Directive, st *rewriteState) {
	st.rewriteLine(d.Name, d.Name+" "+getOOMScoreAdjValues(c), c.oomScoreAdjValues != [3]int64{0, 200, 800})
}

// Keyspace notification classes (notify-keyspace-events), with Redis's bits.
const (
	NotifyKeyspace = 1 << iota // K
	NotifyKeyevent             // E
	NotifyGeneric              // g
	NotifyString               // $
	NotifyList                 // l
	NotifySet                  // s
	NotifyHash                 // h
	NotifyZset                 // z
	NotifyExpired              // x
	NotifyEvicted              // e
	NotifyStream               // t
	NotifyKeyMiss              // m
	NotifyLoaded               // module key loaded (not configurable)
	NotifyModule               // d
	NotifyNew                  // n

	// NotifyAll is what A stands for.
	NotifyAll = NotifyGeneric | NotifyString | NotifyList | NotifySet | NotifyHash |
		NotifyZset | NotifyExpired | NotifyEvicted | NotifyStream | NotifyModule
)

// ParseKeyspaceEvents parses a notify-keyspace-events class string.
func ParseKeyspaceEvents(s string) (int, bool) {
	flags := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case 'A':
			flags |= NotifyAll
		case 'g':
			flags |= NotifyGeneric
		case '$':
			flags |= NotifyString
		case 'l':
			flags |= NotifyList
		case 's':
			flags |= NotifySet
		case 'h':
			flags |= NotifyHash
		case 'z':
			flags |= NotifyZset
		case 'x':
			flags |= NotifyExpired
		case 'e':
			flags |= NotifyEvicted
		case 'K':
			flags |= NotifyKeyspace
		case 'E':
			flags |= NotifyKeyevent
		case 't':
			flags |= NotifyStream
		case 'm':
			flags |= NotifyKeyMiss
		case 'd':
			flags |= NotifyModule
		case 'n':
			flags |= NotifyNew
		default:
			return 0, false
		}
	}
	return flags, true
}

// KeyspaceEventsString formats flags as Redis does ("AKE", "gxE").
func KeyspaceEventsString(flags int) string {
	var b []byte
	if flags&NotifyAll == NotifyAll {
		b = append(b, 'A')
	} else {
		for _, f := range []struct {
			bit int
			c   byte
		}{{NotifyGeneric, 'g'}, {NotifyString, '$'}, {NotifyList, 'l'}, {NotifySet, 's'},
			{NotifyHash, 'h'}, {NotifyZset, 'z'}, {NotifyExpired, 'x'}, {NotifyEvicted, 'e'},
			{NotifyStream, 't'}, {NotifyModule, 'd'}, {NotifyNew, 'n'}} {
			if flags&f.bit != 0 {
				b = append(b, f.c)
			}
		}
	}
	if flags&NotifyKeyspace != 0 {
		b = append(b, 'K')
	}
	if flags&NotifyKeyevent != 0 {
		b = append(b, 'E')
	}
	if flags&NotifyKeyMiss != 0 {
		b = append(b, 'm')
	}
	return string(b)
}

func setNotifyKeyspaceEvents(c *Config, args []string) string {
	if len(args) != 1 {
		return "wrong number of arguments"
	}
	classes := args[0]
	if i := strings.IndexByte(classes, 0); i >= 0 {
		classes = classes[:i] // Redis reads the classes as a C string
	}
	f, ok := ParseKeyspaceEvents(classes)
	if !ok {
		return "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."
	}
	c.NotifyKeyspaceEvents = f
	return ""
}

func getNotifyKeyspaceEvents(c *Config) string { return KeyspaceEventsString(c.NotifyKeyspaceEvents) }

// keyspaceEventsExact is KeyspaceEventsString with the n class Redis 7.0
// leaves out after A.
func keyspaceEventsExact(flags int) string {
	s := KeyspaceEventsString(flags)
	if flags&NotifyAll == NotifyAll && flags&NotifyNew != 0 {
		s += "n"
	}
	return s
}

func rewriteNotifyKeyspaceEvents(c *Config, d *Directive, st *rewriteState) {
	st.rewriteLine(d.Name, d.Name+" "+Repr(getNotifyKeyspaceEvents(c)), c.NotifyKeyspaceEvents != 0)
}

// maxBindAddrs is Redis's CONFIG_BINDADDR_MAX.
const maxBindAddrs = 16

func setBind(c *Config, args []string) string {
	if len(args) > maxBindAddrs {
		return "Too many bind addresses specified."
	}
	if len(args) == 1 && args[0] == "" {
		args = nil
	}
	c.Bind = append([]string(nil), args...)
	return ""
}

func getBind(c *Config) string { return strings.Join(c.Bind, " ") }

func rewriteBind(c *Config, d *Directive, st *rewriteState) {
	if getBind(c) == d.def {
		st.markProcessed(d.Name)
		return
	}
	addrs := `""`
	if len(c.Bind) > 0 {
		addrs = strings.Join(c.Bind, " ")
	}
	st.rewriteLine(d.Name, d.Name+" "+addrs, true)
}

func setReplicaOf(c *Config, args []string) string {
	if len(args) != 2 {
		return "wrong number of arguments"
	}
	c.ReplicaOfHost, c.ReplicaOfPort = "", 0
	if strings.EqualFold(args[0], "no") && strings.EqualFold(args[1], "one") {
		return ""
	}
	port, ok := cStrtoll(args[1])
	if !ok || port < 0 || port > 65535 {
		return "Invalid master port"
	}
	c.ReplicaOfHost, c.ReplicaOfPort = args[0], int(port)
	return ""
}

func getReplicaOf(c *Config) string {
	if c.ReplicaOfHost == "" {
		return ""
	}
	return c.ReplicaOfHost + " " + strconv.Itoa(c.ReplicaOfPort)
}

func rewriteReplicaOf(c *Config, d *Directive, st *rewriteState) {
	if c.ReplicaOfHost == "" {
		st.markProcessed(d.Name)
		return
	}
	st.rewriteLine(d.Name, d.Name+" "+getReplicaOf(c), true)
}

func setPercentiles(c *Config, args []string) string {
	if len(args) == 1 && args[0] == "" {
		c.LatencyTrackingInfoPercentiles = []float64{}
		return ""
	}
	out := make([]float64, 0, len(args))
	for _, a := range args {
		p, ok := num.ParseFloat([]byte(a))
		if !ok {
			return "Invalid latency-tracking-info-percentiles parameters"
		}
		if p > 100 || p < 0 {
			return "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]"
		}
		out = append(out, p)
	}
	c.LatencyTrackingInfoPercentiles = out
	return ""
}

// formatPercentile prints like C's "%f" with trailing zeros trimmed.
func formatPercentile(p float64) string {
	s := strconv.FormatFloat(p, 'f', 6, 64)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

func getPercentiles(c *Config) string {
	parts := make([]string, len(c.LatencyTrackingInfoPercentiles))
	for i, p := range c.LatencyTrackingInfoPercentiles {
		parts[i] = formatPercentile(p)
	}
	return strings.Join(parts, " ")
}

func rewritePercentiles(c *Config, d *Directive, st *rewriteState) {
	v := getPercentiles(c)
	if v == "" {
		v = `""`
	}
	st.rewriteLine(d.Name, d.Name+" "+v, true)
}
