package server

import (
	"bytes"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"petrel/config"
)

func bulk(s string) string { return "$" + strconv.Itoa(len(s)) + "\r\n" + s + "\r\n" }

func kv(pairs ...string) string {
	var b strings.Builder
	for _, p := range pairs {
		b.WriteString(bulk(p))
	}
	return b.String()
}

const (
	immutable = "can't set immutable config"
	protected = "can't set protected config"
)

func setFailed(arg, msg string) string {
	return "-ERR CONFIG SET failed (possibly related to argument '" + arg + "') - " + msg + "\r\n"
}

// Replies checked against redis-server 7.0.15. Redis orders CONFIG GET's
// matches by its hash table, differently on every start; Petrel keeps the
// arguments' order and sorts each pattern's matches.
func TestConfigGet(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"CONFIG", "GET", "maxmemory", "port"}, "*4\r\n" + kv("maxmemory", "0", "port", "0")},
		{[]string{"CONFIG", "GET", "PORT"}, "*2\r\n" + kv("PORT", "0")},
		{[]string{"CONFIG", "GET", "Po*"}, "*2\r\n" + kv("port", "0")},
		{[]string{"CONFIG", "GET", "port", "port"}, "*2\r\n" + kv("port", "0")},
		{[]string{"CONFIG", "GET", "h?", "HZ", "Hz"}, "*2\r\n" + kv("hz", "10")}, // a name once, in any case
		{[]string{"CONFIG", "GET", "PORT", "port"}, "*2\r\n" + kv("PORT", "0")},
		{[]string{"CONFIG", "GET", "slaveof", "replicaof"}, "*4\r\n" + kv("slaveof", "", "replicaof", "")},
		{[]string{"CONFIG", "GET", "*ziplist*"}, "*10\r\n" + kv("hash-max-ziplist-entries", "512",
			"hash-max-ziplist-value", "64", "list-max-ziplist-size", "-2", "zset-max-ziplist-entries", "128",
			"zset-max-ziplist-value", "64")},
		{[]string{"CONFIG", "GET", "sl*-len", "slowlog-max-len"}, "*2\r\n" + kv("slowlog-max-len", "128")},
		{[]string{"CONFIG", "GET", "nosuch"}, "*0\r\n"},
		{[]string{"CONFIG", "GET", "key-load-delay"}, "*2\r\n" + kv("key-load-delay", "0")}, // hidden: exact only
		{[]string{"CONFIG", "GET", "key-load-*"}, "*0\r\n"},
		{[]string{"CONFIG", "GET", "save", "client-output-buffer-limit"}, "*4\r\n" + kv("save", "3600 1 300 100 60 10000",
			"client-output-buffer-limit", "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60")},
		{[]string{"CONFIG", "GET"}, "-ERR wrong number of arguments for 'config|get' command\r\n"},
		{[]string{"CONFIG"}, "-ERR wrong number of arguments for 'config' command\r\n"},
		{[]string{"CONFIG", "foo"}, "-ERR unknown subcommand 'foo'. Try CONFIG HELP.\r\n"},
	})
	c.Do("HELLO", "3")
	runCases(t, c, []replyCase{
		{[]string{"CONFIG", "GET", "maxmemory", "bind"}, "%2\r\n" + kv("maxmemory", "0", "bind", "127.0.0.1")},
		{[]string{"CONFIG", "GET", "nosuch"}, "%0\r\n"},
	})
	if n := len(s.cfg.Match([]string{"*"})); n != 192 {
		t.Errorf("CONFIG GET * has %d entries, Redis 7.0.15 has 192", n)
	}
}

func TestConfigSet(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	allPolicies := "argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, " +
		"volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction"
	runCases(t, c, []replyCase{
		{[]string{"CONFIG", "SET", "port"}, "-ERR wrong number of arguments for 'config|set' command\r\n"},
		{[]string{"CONFIG", "SET", "a", "b", "c"}, "-ERR syntax error\r\n"},
		{[]string{"CONFIG", "SET", "nosuch", "1"}, "-ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'\r\n"},
		{[]string{"CONFIG", "SET", "maxmemory", "1gb", "maxmemory", "2gb"}, setFailed("maxmemory", "duplicate parameter")},
		{[]string{"CONFIG", "SET", "daemonize", "no"}, setFailed("daemonize", immutable)},
		{[]string{"CONFIG", "SET", "slaveof", "no"}, setFailed("slaveof", immutable)},
		{[]string{"CONFIG", "SET", "dir", "/tmp"}, setFailed("dir", protected)},
		{[]string{"CONFIG", "SET", "dbfilename", "x.rdb"}, setFailed("dbfilename", protected)},
		{[]string{"CONFIG", "SET", "port", "abc"}, setFailed("port", "argument couldn't be parsed into an integer")},
		{[]string{"CONFIG", "SET", "PORT", "70000"}, setFailed("port", "argument must be between 0 and 65535 inclusive")},
		{[]string{"CONFIG", "SET", "maxmemory-policy", "foo"}, setFailed("maxmemory-policy", allPolicies)},
		{[]string{"CONFIG", "SET", "maxmemory-policy", "noeviction noeviction"}, setFailed("maxmemory-policy", allPolicies)},
		{[]string{"CONFIG", "SET", "loglevel", "foo"}, setFailed("loglevel", "argument(s) must be one of the following: debug, verbose, notice, warning")},
		{[]string{"CONFIG", "SET", "lua-time-limit", "x"}, setFailed("lua-time-limit", "argument couldn't be parsed into an integer")},
		// first problem wins: unknown names before everything, then in order
		{[]string{"CONFIG", "SET", "maxmemory", "10mb", "nosuch", "1"}, "-ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'\r\n"},
		{[]string{"CONFIG", "SET", "daemonize", "no", "nosuch", "1"}, setFailed("daemonize", immutable)},
		{[]string{"CONFIG", "SET", "maxmemory", "1x", "daemonize", "no"}, setFailed("daemonize", immutable)},
		// all or nothing
		{[]string{"CONFIG", "SET", "maxmemory", "10mb", "maxmemory-policy", "bad"}, setFailed("maxmemory-policy", allPolicies)},
		{[]string{"CONFIG", "GET", "maxmemory"}, "*2\r\n" + kv("maxmemory", "0")},
		// an alias and its name are different parameters, applied in order
		{[]string{"CONFIG", "SET", "lua-time-limit", "100", "busy-reply-threshold", "200"}, "+OK\r\n"},
		{[]string{"CONFIG", "GET", "lua-time-limit"}, "*2\r\n" + kv("lua-time-limit", "200")},
		{[]string{"CONFIG", "SET", "save", "1 2 3"}, setFailed("save", "Invalid save parameters")},
		{[]string{"CONFIG", "SET", "save", "  "}, setFailed("save", "Invalid save parameters")},
		{[]string{"CONFIG", "SET", "save", "100 10 20 5"}, "+OK\r\n"},
		{[]string{"CONFIG", "GET", "save"}, "*2\r\n" + kv("save", "100 10 20 5")},
		{[]string{"CONFIG", "SET", "save", ""}, "+OK\r\n"},
		{[]string{"CONFIG", "GET", "save"}, "*2\r\n" + kv("save", "")},
		{[]string{"CONFIG", "SET", "protected-mode", "maybe"}, setFailed("protected-mode", "argument must be 'yes' or 'no'")},
		{[]string{"CONFIG", "SET", "hz", "1000"}, "+OK\r\n"},
		{[]string{"CONFIG", "GET", "hz"}, "*2\r\n" + kv("hz", "500")},
		{[]string{"CONFIG", "SET", "maxmemory-clients", "200%"}, setFailed("maxmemory-clients", "percentage argument must be less or equal to 100")},
		{[]string{"CONFIG", "SET", "maxmemory-clients", "10%"}, "+OK\r\n"},
		{[]string{"CONFIG", "GET", "maxmemory-clients"}, "*2\r\n" + kv("maxmemory-clients", "10%")},
		{[]string{"CONFIG", "SET", "maxmemory", "-1"}, setFailed("maxmemory", "argument must be a memory value")},
		{[]string{"CONFIG", "SET", "maxmemory", "1.5gb"}, setFailed("maxmemory", "argument must be a memory value")},
		{[]string{"CONFIG", "SET", "maxmemory", "1KB"}, "+OK\r\n"},
		{[]string{"CONFIG", "GET", "maxmemory"}, "*2\r\n" + kv("maxmemory", "1024")},
		{[]string{"CONFIG", "SET", "maxmemory", "5k"}, "+OK\r\n"},
		{[]string{"CONFIG", "GET", "maxmemory"}, "*2\r\n" + kv("maxmemory", "5000")},
		{[]string{"CONFIG", "SET", "maxmemory", "18446744073709551616"}, "+OK\r\n"},
		{[]string{"CONFIG", "GET", "maxmemory"}, "*2\r\n" + kv("maxmemory", "18446744073709551615")},
		{[]string{"CONFIG", "SET", "maxmemory", "99999999999gb"}, "+OK\r\n"},
		{[]string{"CONFIG", "GET", "maxmemory"}, "*2\r\n" + kv("maxmemory", "15140462030378500096")},
		{[]string{"CONFIG", "SET", "maxmemory", ""}, "+OK\r\n"},
		{[]string{"CONFIG", "GET", "maxmemory"}, "*2\r\n" + kv("maxmemory", "0")},
		{[]string{"CONFIG", "SET", "proto-max-bulk-len", "1"}, setFailed("proto-max-bulk-len", "argument must be between 1048576 and 9223372036854775807 inclusive")},
		{[]string{"CONFIG", "SET", "proto-max-bulk-len", "18446744073709551615"}, setFailed("proto-max-bulk-len", "argument must be between 1048576 and 9223372036854775807 inclusive")},
		{[]string{"CONFIG", "SET", "maxclients", "-1"}, setFailed("maxclients", "argument must be between 1 and 4294967295 inclusive")},
		{[]string{"CONFIG", "SET", "port", "+1"}, setFailed("port", "argument couldn't be parsed into an integer")},
		{[]string{"CONFIG", "SET", "timeout", "1.5"}, setFailed("timeout", "argument couldn't be parsed into an integer")},
		{[]string{"CONFIG", "SET", "shutdown-on-sigint", "now nosave force"}, "+OK\r\n"},
		{[]string{"CONFIG", "GET", "shutdown-on-sigint"}, "*2\r\n" + kv("shutdown-on-sigint", "nosave now force")},
		{[]string{"CONFIG", "SET", "shutdown-on-sigint", "default now"}, "+OK\r\n"},
		{[]string{"CONFIG", "GET", "shutdown-on-sigint"}, "*2\r\n" + kv("shutdown-on-sigint", "now")},
		{[]string{"CONFIG", "SET", "shutdown-on-sigint", "save nosave"}, setFailed("shutdown-on-sigint", "shutdown options SAVE and NOSAVE can't be used simultaneously")},
		{[]string{"CONFIG", "SET", "notify-keyspace-events", "Egx"}, "+OK\r\n"},
		{[]string{"CONFIG", "GET", "notify-keyspace-events"}, "*2\r\n" + kv("notify-keyspace-events", "gxE")},
		{[]string{"CONFIG", "SET", "notify-keyspace-events", "g$lshzxetd"}, "+OK\r\n"},
		{[]string{"CONFIG", "GET", "notify-keyspace-events"}, "*2\r\n" + kv("notify-keyspace-events", "A")},
		{[]string{"CONFIG", "SET", "notify-keyspace-events", "Q"}, setFailed("notify-keyspace-events", "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.")},
		{[]string{"CONFIG", "SET", "client-output-buffer-limit", "normal 1mb 2mb 3 replica 1 2 3"}, "+OK\r\n"},
		{[]string{"CONFIG", "GET", "client-output-buffer-limit"}, "*2\r\n" + kv("client-output-buffer-limit", "normal 1048576 2097152 3 slave 1 2 3 pubsub 33554432 8388608 60")},
		{[]string{"CONFIG", "SET", "oom-score-adj-values", "0 200"}, setFailed("oom-score-adj-values", "wrong number of arguments")},
		{[]string{"CONFIG", "SET", "oom-score-adj-values", "0 200 3000"}, setFailed("oom-score-adj-values", "Invalid oom-score-adj-values, elements must be between -2000 and 2000.")},
		{[]string{"CONFIG", "SET", "latency-tracking-info-percentiles", "50 99.9 100"}, "+OK\r\n"},
		{[]string{"CONFIG", "GET", "latency-tracking-info-percentiles"}, "*2\r\n" + kv("latency-tracking-info-percentiles", "50 99.9 100")},
		{[]string{"CONFIG", "SET", "proc-title-template", "{title} {foo}"}, setFailed("proc-title-template", "template format is invalid or contains unknown variables")},
		{[]string{"CONFIG", "SET", "cluster-announce-hostname", "a_b"}, setFailed("cluster-announce-hostname", "Hostnames may only contain alphanumeric characters, hyphens or dots")},
		{[]string{"CONFIG", "SET", "unixsocketperm", "700"}, setFailed("unixsocketperm", immutable)},
		{[]string{"CONFIG", "SET", "loglevel", "NOTICE"}, "+OK\r\n"},
		{[]string{"CONFIG", "GET", "loglevel"}, "*2\r\n" + kv("loglevel", "notice")},
		{[]string{"CONFIG", "SET", "oom-score-adj", "relative"}, "+OK\r\n"},
		{[]string{"CONFIG", "GET", "oom-score-adj"}, "*2\r\n" + kv("oom-score-adj", "yes")},
	})
}

func TestConfigSetTakesEffect(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"CONFIG", "SET", "loglevel", "debug", "maxclients", "7", "slowlog-log-slower-than", "-1"}, "+OK\r\n"},
	})
	if !s.log.Enabled(LogDebug) || s.maxClients.Load() != 7 || s.slowlog.threshold.Load() != -1 {
		t.Errorf("debug %v maxclients %d slowlog %d", s.log.Enabled(LogDebug), s.maxClients.Load(), s.slowlog.threshold.Load())
	}
	runCases(t, c, []replyCase{{[]string{"CONFIG", "SET", "requirepass", "secret"}, "+OK\r\n"}})
	c2 := dialRaw(t, s)
	runCases(t, c2, []replyCase{
		{[]string{"PING"}, "-NOAUTH Authentication required.\r\n"},
		{[]string{"AUTH", "secret"}, "+OK\r\n"},
		{[]string{"CONFIG", "SET", "requirepass", ""}, "+OK\r\n"},
	})
}

func freePort(t *testing.T) (int, net.Listener) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln.Addr().(*net.TCPAddr).Port, ln
}

func TestConfigSetPortMovesListener(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	port, ln := freePort(t)
	ln.Close()
	p := strconv.Itoa(port)
	runCases(t, c, []replyCase{
		{[]string{"CONFIG", "SET", "port", p}, "+OK\r\n"},
		{[]string{"CONFIG", "GET", "port"}, "*2\r\n" + kv("port", p)},
		{[]string{"PING"}, "+PONG\r\n"}, // established connections stay
	})
	conn, err := net.Dial("tcp", "127.0.0.1:"+p)
	if err != nil {
		t.Fatalf("new port: %v", err)
	}
	conn.Close()

	busy, held := freePort(t)
	defer held.Close()
	runCases(t, c, []replyCase{
		{[]string{"CONFIG", "SET", "port", strconv.Itoa(busy)}, setFailed("port", "Unable to listen on this port. Check server logs.")},
		{[]string{"CONFIG", "GET", "port"}, "*2\r\n" + kv("port", p)},
	})
	if conn, err := net.Dial("tcp", "127.0.0.1:"+p); err != nil {
		t.Errorf("old port after a failed move: %v", err)
	} else {
		conn.Close()
	}
}

func TestConfigSetProtected(t *testing.T) {
	dir := t.TempDir()
	s := startTestServer(t, func(c *config.Config) { c.EnableProtectedConfigs = "local" })
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"CONFIG", "SET", "dir", dir}, "+OK\r\n"},
		{[]string{"CONFIG", "GET", "dir"}, "*2\r\n" + kv("dir", dir)},
		{[]string{"CONFIG", "SET", "dir", "/nonexistent/petrel"}, setFailed("dir", "No such file or directory")},
		{[]string{"CONFIG", "SET", "dbfilename", "a/b"}, setFailed("dbfilename", "dbfilename can't be a path, just a filename")},
		{[]string{"CONFIG", "SET", "dbfilename", "x.rdb"}, "+OK\r\n"},
		{[]string{"CONFIG", "SET", "enable-protected-configs", "yes"}, setFailed("enable-protected-configs", immutable)},
	})
}

func TestConfigHelpResetstatRewrite(t *testing.T) {
	conf := filepath.Join(t.TempDir(), "petrel.conf")
	os.WriteFile(conf, []byte("# mine\nmaxmemory 1mb\n"), 0o644)
	s := startTestServer(t, func(c *config.Config) { c.ConfigFile = conf })
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"CONFIG", "HELP"}, "*11\r\n+CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n" +
			"+GET <pattern>\r\n+    Return parameters matching the glob-like <pattern> and their values.\r\n" +
			"+SET <directive> <value>\r\n+    Set the configuration <directive> to <value>.\r\n" +
			"+RESETSTAT\r\n+    Reset statistics reported by the INFO command.\r\n" +
			"+REWRITE\r\n+    Rewrite the configuration file.\r\n+HELP\r\n+    Prints this help.\r\n"},
		{[]string{"CONFIG", "RESETSTAT", "x"}, "-ERR wrong number of arguments for 'config|resetstat' command\r\n"},
		{[]string{"CONFIG", "SET", "maxmemory", "2mb", "hz", "20"}, "+OK\r\n"},
		{[]string{"CONFIG", "REWRITE"}, "+OK\r\n"},
	})
	got, _ := os.ReadFile(conf)
	// The test server's port and bind differ from the defaults too.
	want := "# mine\nmaxmemory 2mb\n\n# Generated by CONFIG REWRITE\nport 0\nhz 20\ndir \"" + s.cfg.AbsDir() +
		"\"\nsave 3600 1\nsave 300 100\nsave 60 10000\nbind 127.0.0.1\nlatency-tracking-info-percentiles 50 99 99.9\n"
	if string(got) != want {
		t.Errorf("rewritten file:\n%s\nwant:\n%s", got, want)
	}

	// RESETSTAT zeroes counters, command and error statistics.
	runCases(t, c, []replyCase{{[]string{"NOPE"}, "-ERR unknown command 'NOPE', with args beginning with: \r\n"}})
	if s.stats.totalCommands.load() == 0 || configSetCalls(s) == 0 {
		t.Fatal("no statistics to reset")
	}
	runCases(t, c, []replyCase{{[]string{"CONFIG", "RESETSTAT"}, "+OK\r\n"}})
	s.stats.errorsMu.Lock()
	nerr := len(s.stats.errors)
	s.stats.errorsMu.Unlock()
	if s.stats.totalCommands.load() != 1 || s.stats.totalConnections.Load() != 0 || nerr != 0 ||
		s.stats.totalErrorReplies.Load() != 0 || configSetCalls(s) != 0 {
		t.Errorf("after RESETSTAT: commands %d connections %d errors %d", s.stats.totalCommands.load(),
			s.stats.totalConnections.Load(), nerr)
	}

	s2 := startTestServer(t)
	runCases(t, dialRaw(t, s2), []replyCase{
		{[]string{"CONFIG", "REWRITE"}, "-ERR The server is running without a config file\r\n"},
	})
}

// syncBuffer is a log destination tests can read while the server writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

// messages returns the logged messages without their prefixes.
func (b *syncBuffer) messages() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(b.b.String()), "\n") {
		if f := strings.SplitN(l, " ", 7); len(f) == 7 {
			out = append(out, f[6])
		}
	}
	return out
}

func startLoggedServer(t *testing.T, mutate func(*config.Config)) (*Server, *syncBuffer, chan struct{}) {
	t.Helper()
	cfg := config.Defaults()
	cfg.Port = 0
	cfg.Bind = []string{"127.0.0.1"}
	cfg.Dir = t.TempDir() // SHUTDOWN saves there with the default save points
	if mutate != nil {
		mutate(cfg)
	}
	logs := &syncBuffer{}
	s := New(cfg, NewLogger(logs, LogNotice))
	if err := s.ListenOn("tcp", "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	hooked := make(chan struct{})
	s.ShutdownHook = func() { close(hooked) }
	go s.Serve()
	t.Cleanup(s.Close)
	return s, logs, hooked
}

func waitClosed(t *testing.T, c *rawClient) {
	t.Helper()
	c.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.rd.ReadByte(); err != io.EOF {
		t.Errorf("connection not closed by SHUTDOWN: %v", err)
	}
}

// unsavable points the dump directory at a directory that does not exist,
// so that saves fail.
func unsavable(t *testing.T) func(*config.Config) {
	dir := filepath.Join(t.TempDir(), "missing")
	return func(c *config.Config) { c.Dir = dir }
}

func TestShutdownErrors(t *testing.T) {
	s, logs, _ := startLoggedServer(t, unsavable(t))
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"SHUTDOWN", "ABORT"}, "-ERR No shutdown in progress.\r\n"},
		{[]string{"SHUTDOWN", "abort", "abort"}, "-ERR No shutdown in progress.\r\n"},
		{[]string{"SHUTDOWN", "SAVE", "NOSAVE"}, "-ERR syntax error\r\n"},
		{[]string{"SHUTDOWN", "ABORT", "NOW"}, "-ERR syntax error\r\n"},
		{[]string{"SHUTDOWN", "foo"}, "-ERR syntax error\r\n"},
		{[]string{"MULTI"}, "+OK\r\n"},
		{[]string{"SHUTDOWN"}, "-ERR Command not allowed inside a transaction\r\n"},
		{[]string{"DISCARD"}, "+OK\r\n"},
		// The save fails: the server stays up.
		{[]string{"SHUTDOWN", "SAVE"}, "-ERR Errors trying to SHUTDOWN. Check logs.\r\n"},
		{[]string{"PING"}, "+PONG\r\n"},
	})
	want := []string{
		"User requested shutdown...",
		"Saving the final RDB snapshot before exiting.",
		"Failed opening the temp RDB file temp-" + strconv.Itoa(os.Getpid()) + ".rdb (in server root dir " + s.cfg.Dir + ") for saving: No such file or directory",
		"Error trying to save the DB, can't exit.",
		"Errors trying to shut down the server. Check the logs for more information.",
	}
	if got := logs.messages(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("log:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestShutdownCommand(t *testing.T) {
	dir := t.TempDir()
	pid, sock := filepath.Join(dir, "p.pid"), filepath.Join(dir, "p.sock")
	s, logs, hooked := startLoggedServer(t, func(c *config.Config) { c.PidFile = pid; c.UnixSocket = sock })
	s.CreatePidFile()
	if b, err := os.ReadFile(pid); err != nil || string(b) != strconv.Itoa(os.Getpid())+"\n" {
		t.Fatalf("pid file: %q %v", b, err)
	}
	c := dialRaw(t, s)
	c.Send(encode("SHUTDOWN"))
	waitClosed(t, c)
	<-hooked
	<-s.Done()
	if _, err := os.Stat(pid); !os.IsNotExist(err) {
		t.Errorf("pid file left: %v", err)
	}
	want := []string{
		"User requested shutdown...",
		"Saving the final RDB snapshot before exiting.",
		"DB saved on disk",
		"Removing the pid file.",
		"Removing the unix socket file.",
		"Petrel is now ready to exit, bye bye...",
	}
	if got := logs.messages(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("log:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestShutdownSaveForceAndNosave(t *testing.T) {
	for _, args := range [][]string{{"SHUTDOWN", "SAVE", "FORCE"}, {"shutdown", "nosave", "now"}} {
		bad := unsavable(t)
		s, logs, hooked := startLoggedServer(t, func(c *config.Config) { c.Save = nil; bad(c) })
		c := dialRaw(t, s)
		c.Send(encode(args...))
		waitClosed(t, c)
		<-hooked
		got := strings.Join(logs.messages(), "\n")
		if !strings.HasSuffix(got, "Petrel is now ready to exit, bye bye...") ||
			strings.Contains(got, "Removing") || (args[1] == "SAVE") != strings.Contains(got, "Exit anyway.") {
			t.Errorf("%q log:\n%s", args, got)
		}
	}
}

func TestShutdownSignal(t *testing.T) {
	bad := unsavable(t)
	s, logs, hooked := startLoggedServer(t, func(c *config.Config) { c.ShutdownOnSigterm = config.ShutdownSave; bad(c) })
	// shutdown-on-sigterm save cannot save: the server stays up.
	if s.HandleSignal(syscall.SIGTERM) {
		t.Fatal("asked to exit at once")
	}
	runCases(t, dialRaw(t, s), []replyCase{{[]string{"PING"}, "+PONG\r\n"}})
	if got := strings.Join(logs.messages(), "\n"); !strings.Contains(got, "SIGTERM received but errors trying to shut down the server, check the logs for more information") ||
		!strings.Contains(logs.b.String(), ":signal-handler (") {
		t.Errorf("log:\n%s", logs.b.String())
	}
	s.cfg.ShutdownOnSigterm = config.ShutdownNoSave
	s.HandleSignal(syscall.SIGTERM)
	<-hooked
	<-s.Done()
}

func configSetCalls(s *Server) int64 {
	calls, _, _, _ := s.cmds["config"].Subcommands["set"].stats.totals()
	return calls
}
