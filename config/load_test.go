package config

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func writeConf(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func mustLoad(t *testing.T, opts LoadOptions) *Result {
	t.Helper()
	res, err := Load(opts)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return res
}

func get(t *testing.T, c *Config, name string) string {
	t.Helper()
	v, ok := c.Get(name)
	if !ok {
		t.Fatalf("no directive %s", name)
	}
	return v
}

func TestLoadGrammar(t *testing.T) {
	dir := t.TempDir()
	writeConf(t, dir, "inc2.conf", "timeout 7\n")
	writeConf(t, dir, "inc1.conf", "maxmemory 1mb\ninclude "+filepath.Join(dir, "inc2.conf")+"\n")
	conf := writeConf(t, dir, "main.conf", strings.Join([]string{
		"# a comment",
		"   # an indented comment",
		"",
		"PORT 7000",                        // names are case-insensitive
		"  maxmemory-policy allkeys-lru  ", // surrounding blanks trimmed
		`requirepass "pass word\x21\n"`,    // double quotes with escapes
		`masteruser 'it\'s'`,               // single quotes, \' only
		"save 100 1",                       // the first save replaces the defaults
		"save 200 2 300 3",                 // later ones add
		"include " + filepath.Join(dir, "inc1.conf"),
		"maxmemory 2gb", // the last one wins over the include
		"hz 1000",       // clamped to 500 as Redis does
		"slaveof 10.0.0.1 6380",
		"lua-time-limit 100",
		"list-max-ziplist-entries 5", // deprecated, ignored
		"maxmemory-clients 10%",
		"unixsocketperm 700",
		"notify-keyspace-events KEA",
		"\r",
	}, "\n"))
	res := mustLoad(t, LoadOptions{File: conf, NoEnv: true})
	c := res.Config
	for _, tc := range []struct{ name, want string }{
		{"port", "7000"},
		{"maxmemory-policy", "allkeys-lru"},
		{"requirepass", "pass word!\n"},
		{"masteruser", "it's"},
		{"save", "100 1 200 2 300 3"},
		{"timeout", "7"},
		{"maxmemory", "2147483648"},
		{"hz", "500"},
		{"replicaof", "10.0.0.1 6380"},
		{"slaveof", "10.0.0.1 6380"},
		{"busy-reply-threshold", "100"},
		{"maxmemory-clients", "10%"},
		{"unixsocketperm", "700"},
		{"notify-keyspace-events", "AKE"},
	} {
		if got := get(t, c, tc.name); got != tc.want {
			t.Errorf("%s = %q, want %q", tc.name, got, tc.want)
		}
	}
	if c.Port != 7000 || c.MaxMemory != 2<<30 || c.UnixSocketPerm != 0o700 || c.Hz != 500 {
		t.Errorf("typed fields: port %d maxmemory %d perm %o hz %d", c.Port, c.MaxMemory, c.UnixSocketPerm, c.Hz)
	}
	if c.ConfigFile != conf {
		t.Errorf("ConfigFile = %q, want %q", c.ConfigFile, conf)
	}
	if ln := res.Explicit["timeout"]; ln == nil || ln.Num != 1 || !strings.HasSuffix(ln.File, "inc2.conf") {
		t.Errorf("timeout came from %+v, want inc2.conf line 1", ln)
	}
}

func TestLoadSaveRules(t *testing.T) {
	for _, tc := range []struct{ lines, want string }{
		{"port 1\n", "3600 1 300 100 60 10000"},
		{"save 100 1\nsave \"\"\n", ""},
		{"save \"\"\nsave 100 1\n", "100 1"},
		{"save 100 1 200 2\nsave 5 5\n", "100 1 200 2 5 5"},
		// one argument holding the points, as --save "3600 1" gives it
		{"save \"3600 1\"\n", "3600 1"},
		{"save \"3600 1 60 5\"\nsave 7 7\n", "3600 1 60 5 7 7"},
	} {
		conf := writeConf(t, t.TempDir(), "s.conf", tc.lines)
		c := mustLoad(t, LoadOptions{File: conf, NoEnv: true}).Config
		if got := get(t, c, "save"); got != tc.want {
			t.Errorf("%q: save = %q, want %q", tc.lines, got, tc.want)
		}
	}
}

func TestLoadRelativeIncludeFollowsDir(t *testing.T) {
	dir := t.TempDir()
	writeConf(t, dir, "extra.conf", "databases 4\n")
	conf := writeConf(t, t.TempDir(), "main.conf", "dir "+dir+"\ninclude extra.conf\n")
	c := mustLoad(t, LoadOptions{File: conf, NoEnv: true}).Config
	if c.Databases != 4 || get(t, c, "dir") != dir {
		t.Errorf("databases %d dir %q", c.Databases, get(t, c, "dir"))
	}
}

func TestCommandLineOptions(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want CommandLine
	}{
		{nil, CommandLine{NoArgs: true}},
		{[]string{"-v"}, CommandLine{Version: true}},
		{[]string{"--help"}, CommandLine{Help: true}},
		{[]string{"/etc/r.conf"}, CommandLine{File: "/etc/r.conf"}},
		{[]string{"--port", "7777"}, CommandLine{Options: `port "7777" `}},
		{[]string{"r.conf", "--port", "1", "--save", "--loglevel", "verbose"},
			CommandLine{File: "r.conf", Options: "port \"1\" \nsave \"\"\nloglevel \"verbose\" "}},
		{[]string{"--save"}, CommandLine{Options: `save ""`}},
		{[]string{"--bind", "127.0.0.1", "::1", "-"}, CommandLine{Stdin: true, Options: `bind "127.0.0.1" "::1" `}},
		{[]string{"-", "--port", "--x"}, CommandLine{Stdin: true, Options: `port "--x" `}},
		{[]string{"--port 7000", "--hz", "5"}, CommandLine{Options: "port 7000 \nhz \"5\" "}},
		{[]string{"--requirepass", "a\"b"}, CommandLine{Options: `requirepass "a\"b" `}},
	} {
		if got := ParseCommandLine(tc.args); got != tc.want {
			t.Errorf("%q: got %+v, want %+v", tc.args, got, tc.want)
		}
	}
}

func TestCommandLineOverridesFile(t *testing.T) {
	conf := writeConf(t, t.TempDir(), "r.conf", "port 7000\nsave 1 1\n")
	cl := ParseCommandLine([]string{conf, "--port", "7001", "--save", "--bind", "127.0.0.1", "::1"})
	c := mustLoad(t, LoadOptions{File: cl.File, Options: cl.Options, NoEnv: true}).Config
	if c.Port != 7001 || len(c.Save) != 0 || get(t, c, "bind") != "127.0.0.1 ::1" {
		t.Errorf("port %d save %v bind %q", c.Port, c.Save, get(t, c, "bind"))
	}
}

func TestLoadStdin(t *testing.T) {
	c := mustLoad(t, LoadOptions{Stdin: strings.NewReader("maxmemory 128mb\n"), Options: `port "1234" `, NoEnv: true}).Config
	if c.MaxMemory != 128<<20 || c.Port != 1234 {
		t.Errorf("maxmemory %d port %d", c.MaxMemory, c.Port)
	}
}

func TestEnvironmentOverrides(t *testing.T) {
	t.Setenv("PETREL_MAXMEMORY_POLICY", "allkeys-lfu")
	t.Setenv("PETREL_PORT", "7100")
	t.Setenv("PETREL_SAVE", "60 5")
	conf := writeConf(t, t.TempDir(), "r.conf", "port 7000\nmaxmemory 5mb\n")
	res := mustLoad(t, LoadOptions{File: conf})
	c := res.Config
	if c.Port != 7100 || c.MaxMemoryPolicy != "allkeys-lfu" || c.MaxMemory != 5<<20 || get(t, c, "save") != "60 5" {
		t.Errorf("port %d policy %q maxmemory %d save %q", c.Port, c.MaxMemoryPolicy, c.MaxMemory, get(t, c, "save"))
	}
	if len(res.Env) != 3 {
		t.Errorf("Env = %v", res.Env)
	}

	t.Setenv("PETREL_PORT", "abc")
	_, err := Load(LoadOptions{File: conf})
	want := "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\n" +
		"Bad value for port in the environment (PETREL_PORT=abc): argument couldn't be parsed into an integer\n"
	if err == nil || err.Error() != want {
		t.Errorf("bad env: got %v", err)
	}
}

// TestFatalErrors pins the exact text redis-server 7.0.15 prints for each
// kind of bad configuration.
func TestFatalErrors(t *testing.T) {
	fatal := func(line int, text, msg string) string {
		return "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line " +
			strconv.Itoa(line) + "\n>>> '" + text + "'\n" + msg + "\n"
	}
	for _, tc := range []struct {
		file, options string
		want          string
	}{
		{"port 7999\nfoo bar\n", "", fatal(2, "foo bar", "Bad directive or wrong number of arguments")},
		{"port abc\n", "", fatal(1, "port abc", "argument couldn't be parsed into an integer")},
		{"maxmemory-policy foo\n", "", fatal(1, "maxmemory-policy foo", "argument(s) must be one of the following: "+
			"volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction")},
		{"loglevel x\n", "", fatal(1, "loglevel x", "argument(s) must be one of the following: debug, verbose, notice, warning")},
		{"  port 1 2\n", "", fatal(1, "port 1 2", "wrong number of arguments")},
		{"save 1\n", "", fatal(1, "save 1", "Invalid save parameters")},
		{"save \"3600\"\n", "", fatal(1, `save "3600"`, "Invalid save parameters")},
		{"bind \"unbal\n", "", fatal(1, `bind "unbal`, "Unbalanced quotes in configuration line")},
		{"maxmemory 1xb\n", "", fatal(1, "maxmemory 1xb", "argument must be a memory value")},
		{"protected-mode maybe\n", "", fatal(1, "protected-mode maybe", "argument must be 'yes' or 'no'")},
		{"databases 0\n", "", fatal(1, "databases 0", "argument must be between 1 and 2147483647 inclusive")},
		{"port 70000\n", "", fatal(1, "port 70000", "argument must be between 0 and 65535 inclusive")},
		{"maxclients 0\n", "", fatal(1, "maxclients 0", "argument must be between 1 and 4294967295 inclusive")},
		{"unixsocketperm 999\n", "", fatal(1, "unixsocketperm 999", "argument couldn't be parsed as an octal number")},
		{"notify-keyspace-events Q\n", "", fatal(1, "notify-keyspace-events Q", "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.")},
		{"client-output-buffer-limit foo 1 2 3\n", "", fatal(1, "client-output-buffer-limit foo 1 2 3",
			"Invalid client class specified in buffer limit configuration.")},
		{"maxmemory-clients 200%\n", "", fatal(1, "maxmemory-clients 200%", "percentage argument must be less or equal to 100")},
		{"daemonize 1\n", "", fatal(1, "daemonize 1", "argument must be 'yes' or 'no'")},
		{"daemonize yes\n", "", fatal(1, "daemonize yes", ErrDaemonize)},
		{"shutdown-on-sigterm save nosave\n", "", fatal(1, "shutdown-on-sigterm save nosave",
			"shutdown options SAVE and NOSAVE can't be used simultaneously")},
		{"foo.bar\n", "", fatal(1, "foo.bar", "Module config specified without value")},
		{"sentinel monitor x\n", "", fatal(1, "sentinel monitor x", "sentinel directive while not in sentinel mode")},
		{"rename-command NOPE x\n", "", fatal(1, "rename-command NOPE x", "No such command in rename-command")},
		// command-line options continue the file's line numbers
		{"\n", `port`, fatal(3, "port", "wrong number of arguments")},
		{"\n", "port \"1\" \nfoo", fatal(4, "foo", "Bad directive or wrong number of arguments")},
		{"# c\n", `port "x" `, fatal(3, `port "x"`, "argument couldn't be parsed into an integer")},
		{"", ParseCommandLine([]string{"--port", "--foo"}).Options, fatal(2, `port "--foo"`, "argument couldn't be parsed into an integer")},
	} {
		conf := writeConf(t, t.TempDir(), "bad.conf", tc.file)
		rename := func(from, to string) string {
			if strings.ToLower(from) != "get" {
				return "No such command in rename-command"
			}
			return ""
		}
		_, err := Load(LoadOptions{File: conf, Options: tc.options, RenameCommand: rename, NoEnv: true})
		if err == nil {
			t.Errorf("%q %q: loaded", tc.file, tc.options)
			continue
		}
		if err.Error() != tc.want {
			t.Errorf("%q %q:\n got %q\nwant %q", tc.file, tc.options, err.Error(), tc.want)
		}
	}
}

func TestFatalErrorInInclude(t *testing.T) {
	dir := t.TempDir()
	writeConf(t, dir, "inc.conf", "port 1\n\nfoo\n")
	conf := writeConf(t, dir, "a.conf", "port 2\ninclude inc.conf\n")
	want := "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 3\n>>> 'foo'\n" +
		"Bad directive or wrong number of arguments\n"
	// A relative include is relative to the working directory, as in Redis.
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	os.Chdir(dir)
	_, err := Load(LoadOptions{File: conf, NoEnv: true})
	if err == nil || err.Error() != want {
		t.Errorf("got %v", err)
	}
}

func TestOpenErrors(t *testing.T) {
	_, err := Load(LoadOptions{File: "/nonexistent/petrel.conf", NoEnv: true})
	if err == nil || err.Error() != "Fatal error, can't open config file '/nonexistent/petrel.conf': No such file or directory" {
		t.Errorf("missing file: %v", err)
	}
	conf := writeConf(t, t.TempDir(), "a.conf", "include /nonexistent/inc.conf\n")
	_, err = Load(LoadOptions{File: conf, NoEnv: true})
	if err == nil || err.Error() != "Fatal error, can't open config file '/nonexistent/inc.conf': No such file or directory" {
		t.Errorf("missing include: %v", err)
	}
	conf = writeConf(t, t.TempDir(), "b.conf", "logfile /nonexistent/petrel.log\n")
	_, err = Load(LoadOptions{File: conf, NoEnv: true})
	if err == nil || err.Error() != "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nCan't open the log file: No such file or directory\n" {
		t.Errorf("bad logfile: %q", err)
	}
	// A wildcard include matching nothing is fine.
	conf = writeConf(t, t.TempDir(), "c.conf", "include /nonexistent/*.conf\nport 5\n")
	if c := mustLoad(t, LoadOptions{File: conf, NoEnv: true}).Config; c.Port != 5 {
		t.Errorf("port %d", c.Port)
	}
}

// TestExampleConfigLoads keeps redis.conf.example valid and at the defaults
// it documents.
func TestExampleConfigLoads(t *testing.T) {
	res := mustLoad(t, LoadOptions{File: "../redis.conf.example", NoEnv: true})
	def := Defaults()
	for _, d := range table {
		if d.Name == "dir" {
			continue
		}
		if got, want := d.get(res.Config), d.get(def); got != want {
			t.Errorf("%s = %q, default %q", d.Name, got, want)
		}
	}
}

// CONFIG GET prints "KEAn" as Redis 7.0 does ("AKE"), but the value loaded
// from the file or the command line keeps the n class.
func TestLoadKeepsKeyspaceEventsGetDoesNotShow(t *testing.T) {
	conf := writeConf(t, t.TempDir(), "n.conf", "notify-keyspace-events KEAn\n")
	c := mustLoad(t, LoadOptions{File: conf, NoEnv: true}).Config
	if got := get(t, c, "notify-keyspace-events"); got != "AKE" {
		t.Errorf("CONFIG GET shows %q, want AKE", got)
	}
	if c.NotifyKeyspaceEvents&NotifyNew == 0 || c.NotifyKeyspaceEvents&NotifyAll != NotifyAll {
		t.Errorf("loaded flags %b lack n or A", c.NotifyKeyspaceEvents)
	}
}
