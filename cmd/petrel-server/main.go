// Command petrel-server runs Petrel, a Redis-compatible server. Its command
// line is redis-server's: an optional redis.conf first ("-" reads it from
// stdin), then "--directive value ..." options applied after the file.
// PETREL_<DIRECTIVE> environment variables override both.
package main

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"petrel/config"
	"petrel/internal/procs"
	"petrel/server"
)

func main() {
	os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr))
}

const usage = `Usage: ./petrel-server [/path/to/redis.conf] [options] [-]
       ./petrel-server - (read config from stdin)
       ./petrel-server -v or --version
       ./petrel-server -h or --help

Examples:
       ./petrel-server (run the server with default conf)
       echo 'maxmemory 128mb' | ./petrel-server -
       ./petrel-server /etc/redis/6379.conf
       ./petrel-server --port 7777
       ./petrel-server --port 7777 --replicaof 127.0.0.1 8888
       ./petrel-server /etc/myredis.conf --loglevel verbose -
       ./petrel-server /etc/myredis.conf --loglevel verbose

Environment overrides: PETREL_<DIRECTIVE>=value, dashes as underscores
(PETREL_MAXMEMORY_POLICY=allkeys-lru).
`

// run is the whole program; it returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cl := config.ParseCommandLine(args[1:])
	if cl.Version {
		fmt.Fprintln(stdout, versionLine())
		return 0
	}
	if cl.Help {
		fmt.Fprint(stderr, usage)
		return 1
	}

	log := server.NewLogger(stdout, server.LogNotice)
	log.SetRole('C')
	opts := config.LoadOptions{File: cl.File, Options: cl.Options, RenameCommand: renameChecker()}
	if cl.Stdin {
		log.Logf(server.LogWarning, "Reading config from stdin")
		opts.Stdin = stdin
	}
	res, err := config.Load(opts)
	if err != nil {
		var open *config.OpenError
		if errors.As(err, &open) {
			log.Logf(server.LogWarning, "%s", err.Error())
		} else {
			fmt.Fprint(stderr, err.Error())
		}
		return 1
	}
	cfg := res.Config
	cfg.Chdir = true
	if err := os.Chdir(cfg.AbsDir()); err != nil {
		fmt.Fprint(stderr, (&config.FatalError{Msg: "Can't chdir to '" + cfg.Dir + "': " + config.ErrnoText(err)}).Error())
		return 1
	}

	level, _ := server.ParseLogLevel(cfg.LogLevel)
	log.SetLevel(level)
	if cfg.LogFile != "" {
		log.SetOutput(server.LogFile{Path: cfg.LogFile})
	}
	if cfg.SyslogEnabled {
		if err := log.EnableSyslog(cfg.SyslogIdent, cfg.SyslogFacility); err != nil {
			log.Logf(server.LogWarning, "Can't open the system log: %v", err)
		}
	}

	sha, dirty := commit()
	log.Logf(server.LogWarning, "oO0OoO0OoO0Oo Petrel is starting oO0OoO0OoO0Oo")
	log.Logf(server.LogWarning, "Petrel version=%s, bits=64, commit=%s, modified=%d, pid=%d, just started",
		server.Version, sha, dirty, os.Getpid())
	if cl.NoArgs {
		log.Logf(server.LogWarning, "Warning: no config file specified, using the default config. "+
			"In order to specify a config file use %s /path/to/redis.conf", args[0])
	} else {
		log.Logf(server.LogWarning, "Configuration loaded")
	}
	logNoEffect(log, res)

	// Signals wait in the channel until the handler below runs.
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	s := server.New(cfg, log)
	for _, ln := range res.Renames {
		s.RenameCommand(ln.Args[0], ln.Args[1]) // checked while loading
	}
	log.SetRole('M')
	if err := s.Listen(); err != nil {
		log.Logf(server.LogWarning, "%s", err.Error())
		return 1
	}
	s.CreatePidFile()
	showLogo(log, cfg)
	log.Logf(server.LogWarning, "Server initialized")
	// PETREL_CPUPROFILE names a file for a CPU profile of the whole run,
	// written at shutdown: a developer's tool for the bench scripts.
	stopProfile := func() {}
	if path := os.Getenv("PETREL_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil && pprof.StartCPUProfile(f) == nil {
			stopProfile = func() { pprof.StopCPUProfile(); f.Close() }
		}
	}
	// Set before serving: a client's SHUTDOWN reads it.
	s.ShutdownHook = func() { stopProfile(); os.Exit(0) }
	// Clients connecting while the dataset loads get -LOADING, as in Redis:
	// loading is on before the first client can be served.
	aof, _ := cfg.Get("appendonly")
	s.MarkLoading(aof == "yes")
	go s.Serve()
	if aof != "yes" {
		if err := s.LoadRDB(s.RDBPath()); err != nil {
			s.Close()
			return 1
		}
	} else if err := s.LoadAOF(); err != nil {
		s.Close()
		return 1
	}
	log.Logf(server.LogNotice, "Ready to accept connections")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tuneProcs(ctx, s, log)
	if cfg.UnixSocket != "" {
		log.Logf(server.LogNotice, "The server is now ready to accept connections at %s", cfg.UnixSocket)
	}

	go func() {
		for sig := range sigs {
			if s.HandleSignal(sig) {
				stopProfile()
				os.Exit(1)
			}
		}
	}()
	<-s.Done()
	stopProfile()
	return 0
}

// tuneProcs keeps s on the processors other programs leave free
// (internal/procs), unless the environment sets GOMAXPROCS: that is the
// operator's choice.
func tuneProcs(ctx context.Context, s *server.Server, log *server.Logger) {
	if os.Getenv("GOMAXPROCS") != "" || runtime.GOMAXPROCS(0) == 1 {
		return
	}
	r, err := procs.NewReader()
	if err != nil {
		log.Logf(server.LogVerbose, "Using every processor: %v", err)
		return
	}
	t := &procs.Tuner{CPUs: r.CPUs(), Max: runtime.GOMAXPROCS(0)}
	go func() {
		err := procs.Run(ctx, t, 250*time.Millisecond, r.Read, func(n int) {
			s.SetProcessors(n)
			if n == t.Max {
				log.Logf(server.LogVerbose, "Running on all %d processors again", n)
			} else {
				log.Logf(server.LogVerbose, "Running on %d of %d processors: other programs keep the rest busy", n, t.Max)
			}
		})
		if err != nil {
			log.Logf(server.LogWarning, "Processor use no longer sampled: %v", err)
		}
	}()
}

// renameChecker validates rename-command lines against the command table as
// the earlier lines left it.
func renameChecker() func(from, to string) string {
	names := make(map[string]bool)
	for _, n := range server.CommandNames() {
		if !strings.Contains(n, "|") {
			names[n] = true
		}
	}
	return func(from, to string) string {
		from, to = strings.ToLower(from), strings.ToLower(to)
		if !names[from] {
			return "No such command in rename-command"
		}
		delete(names, from)
		if to != "" {
			if names[to] {
				return "Target command name already exists"
			}
			names[to] = true
		}
		return ""
	}
}

// logNoEffect says, once, which configured directives Petrel accepts but
// does not act on. Values at their default only rate a verbose line.
func logNoEffect(log *server.Logger, res *config.Result) {
	for _, d := range config.Directives() {
		ln := res.Explicit[d.Name]
		if d.Effective() || ln == nil {
			continue
		}
		level := server.LogNotice
		if v, _ := res.Config.Get(d.Name); v == d.Default() {
			level = server.LogVerbose
		}
		log.Logf(level, "Config directive '%s' (%s) has no effect in this version of Petrel", ln.Name, where(ln))
	}
	for _, env := range res.Env {
		name, _, _ := strings.Cut(env, "=")
		if d := config.Lookup(name); d != nil && !d.Effective() {
			log.Logf(server.LogNotice, "Config directive '%s' (environment) has no effect in this version of Petrel", name)
		}
	}
	for _, ln := range res.Ignored {
		log.Logf(server.LogNotice, "Config directive '%s' (%s) has no effect in this version of Petrel", ln.Name, where(ln))
	}
}

// where says where a directive was read, for start-up notices.
func where(ln *config.Line) string {
	switch ln.File {
	case "":
		return "command line"
	case "-":
		return "stdin, line " + strconv.Itoa(ln.Num)
	}
	return ln.File + ":" + strconv.Itoa(ln.Num)
}

// showLogo prints the logo when Redis would: always-show-logo, or logging to
// a terminal without syslog. Otherwise one line says the mode and port.
func showLogo(log *server.Logger, cfg *config.Config) {
	show := cfg.AlwaysShowLogo || (!cfg.SyslogEnabled && cfg.LogFile == "" && isTerminal(os.Stdout))
	if !show {
		log.Logf(server.LogNotice, "Running mode=standalone, port=%d.", cfg.Port)
		return
	}
	if !log.Enabled(server.LogNotice) {
		return
	}
	sha, dirty := commit()
	log.Plain(fmt.Sprintf(logo, server.Version, sha, dirty, cfg.Port, os.Getpid()))
}

const logo = `
             .-~~~-.                  
      __.--~~       ~~--.__           Petrel %s (%s/%d) 64 bit
  _.-~                     ~-._       Redis-compatible server
 ~~~~~~~~~~~~--.   .--~~~~~~~~~~~     
                \ /                   Running in standalone mode
                 V                    Port: %d
                                      PID: %d

`

func isTerminal(f *os.File) bool {
	_, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	return err == nil
}

// commit returns the VCS revision the binary was built from (8 hex digits,
// zeros when unknown) and whether the tree had local changes.
func commit() (string, int) {
	sha, dirty := "00000000", 0
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if len(s.Value) >= 8 {
					sha = s.Value[:8]
				}
			case "vcs.modified":
				if s.Value == "true" {
					dirty = 1
				}
			}
		}
	}
	return sha, dirty
}

// versionLine is redis-server --version's line with Petrel's name; v= is
// the Redis version Petrel is compatible with.
func versionLine() string {
	sha, dirty := commit()
	h := fnv.New64a()
	fmt.Fprintf(h, "%s %s %s/%s", sha, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return fmt.Sprintf("Petrel server v=%s sha=%s:%d malloc=go bits=64 build=%x", server.Version, sha, dirty, h.Sum64())
}
