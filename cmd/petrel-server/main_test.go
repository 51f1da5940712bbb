package main

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds petrel-server once for the tests that run it as a process.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "petrel-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "petrel-server")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// runOnce runs the binary to completion and returns its output and status.
func runOnce(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Env = append(os.Environ(), env...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return o.String(), e.String(), ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return o.String(), e.String(), 0
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func TestVersionAndHelp(t *testing.T) {
	out, _, code := runOnce(t, nil, "--version")
	if code != 0 || !regexp.MustCompile(`^Petrel server v=7\.0\.15 sha=[0-9a-f]{8}:[01] malloc=go bits=64 build=[0-9a-f]+\n$`).MatchString(out) {
		t.Errorf("--version: %d %q", code, out)
	}
	if out2, _, _ := runOnce(t, nil, "-v"); out2 != out {
		t.Errorf("-v: %q", out2)
	}
	_, errOut, code := runOnce(t, nil, "--help")
	if code != 1 || !strings.HasPrefix(errOut, "Usage: ./petrel-server [/path/to/redis.conf] [options] [-]\n") {
		t.Errorf("--help: %d %q", code, errOut)
	}
}

func TestBadConfigIsFatal(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.conf")
	os.WriteFile(bad, []byte("port 7999\nfoo bar\n"), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{bad}, "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 2\n" +
			">>> 'foo bar'\nBad directive or wrong number of arguments\n"},
		{[]string{"--port", "7999", "--save", "--loglevel", "x"}, "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\n" +
			"Reading the configuration file, at line 4\n>>> 'loglevel \"x\"'\n" +
			"argument(s) must be one of the following: debug, verbose, notice, warning\n"},
		{[]string{"--daemonize", "yes"}, "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\n" +
			"Reading the configuration file, at line 2\n>>> 'daemonize \"yes\"'\n" +
			"daemonize yes is not supported: Petrel is a Go program and cannot fork safely. " +
			"Run petrel-server in the foreground under a supervisor (systemd, a container, nohup) instead\n"},
	} {
		out, errOut, code := runOnce(t, nil, tc.args...)
		if code != 1 || out != "" || errOut != tc.want {
			t.Errorf("%q: exit %d stdout %q stderr\n%q\nwant\n%q", tc.args, code, out, errOut, tc.want)
		}
	}
	out, _, code := runOnce(t, nil, filepath.Join(dir, "missing.conf"))
	if code != 1 || !strings.HasSuffix(out, " # Fatal error, can't open config file '"+filepath.Join(dir, "missing.conf")+
		"': No such file or directory\n") {
		t.Errorf("missing file: %d %q", code, out)
	}
}

// proc is a running petrel-server process and its log lines.
type proc struct {
	t     *testing.T
	cmd   *exec.Cmd
	lines chan string
	log   []string
}

func start(t *testing.T, env []string, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Dir = t.TempDir() // what the server saves stays out of the source tree
	pr, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &proc{t: t, cmd: cmd, lines: make(chan string, 100)}
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			s.lines <- sc.Text()
		}
		close(s.lines)
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	return s
}

// waitFor reads log lines until one ends with suffix.
func (s *proc) waitFor(suffix string) {
	s.t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case l, ok := <-s.lines:
			if !ok {
				s.t.Fatalf("exited before %q; log:\n%s", suffix, strings.Join(s.log, "\n"))
			}
			s.log = append(s.log, l)
			if strings.HasSuffix(l, suffix) {
				return
			}
		case <-timeout:
			s.t.Fatalf("no %q; log:\n%s", suffix, strings.Join(s.log, "\n"))
		}
	}
}

// exit waits for the process to end and returns its status.
func (s *proc) exit() int {
	s.t.Helper()
	for l := range s.lines {
		s.log = append(s.log, l)
	}
	err := s.cmd.Wait()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return 0
}

// messages strips the "pid:role date time level" prefix of log lines.
func (s *proc) messages() []string {
	prefix := regexp.MustCompile(`^\d+:[CM] \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d\.\d{3} [.\-*#] `)
	var out []string
	for _, l := range s.log {
		if loc := prefix.FindStringIndex(l); loc != nil {
			out = append(out, l[loc[1]:])
		}
	}
	return out
}

func do(t *testing.T, port int, cmd string) string {
	t.Helper()
	conn, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprintf(conn, "%s\r\n", cmd)
	buf := make([]byte, 512)
	n, _ := conn.Read(buf)
	return string(buf[:n])
}

func TestStartupAndShutdown(t *testing.T) {
	dir := t.TempDir()
	port := freePort(t)
	pid := filepath.Join(dir, "petrel.pid")
	conf := filepath.Join(dir, "petrel.conf")
	os.WriteFile(conf, []byte("bind 127.0.0.1\nlazyfree-lazy-server-del yes\n"), 0o644)
	s := start(t, nil, conf, "--port", strconv.Itoa(port), "--pidfile", pid, "--loglevel", "notice", "--dir", dir)
	s.waitFor("Ready to accept connections")
	got := strings.Join(s.messages(), "\n")
	want := regexp.MustCompile(`^oO0OoO0OoO0Oo Petrel is starting oO0OoO0OoO0Oo
Petrel version=7\.0\.15, bits=64, commit=[0-9a-f]{8}, modified=[01], pid=` + strconv.Itoa(s.cmd.Process.Pid) + `, just started
Configuration loaded
Config directive 'lazyfree-lazy-server-del' \(` + regexp.QuoteMeta(conf) + `:2\) has no effect in this version of Petrel
Running mode=standalone, port=` + strconv.Itoa(port) + `\.
Server initialized
Ready to accept connections$`)
	if !want.MatchString(got) {
		t.Errorf("start-up log:\n%s", got)
	}
	if b, err := os.ReadFile(pid); err != nil || string(b) != strconv.Itoa(s.cmd.Process.Pid)+"\n" {
		t.Errorf("pid file: %q %v", b, err)
	}
	if r := do(t, port, "PING"); r != "+PONG\r\n" {
		t.Errorf("PING: %q", r)
	}
	do(t, port, "SHUTDOWN NOSAVE")
	if code := s.exit(); code != 0 {
		t.Errorf("exit status %d", code)
	}
	msgs := s.messages()
	tail := strings.Join(msgs[len(msgs)-3:], "\n")
	if tail != "User requested shutdown...\nRemoving the pid file.\nPetrel is now ready to exit, bye bye..." {
		t.Errorf("shutdown log:\n%s", tail)
	}
	if _, err := os.Stat(pid); !os.IsNotExist(err) {
		t.Errorf("pid file left behind: %v", err)
	}
}

func TestSigtermWithoutConfigFile(t *testing.T) {
	port := freePort(t)
	// No arguments: the port comes from the environment.
	s := start(t, []string{"PETREL_PORT=" + strconv.Itoa(port)})
	s.waitFor("Ready to accept connections")
	if !strings.Contains(strings.Join(s.messages(), "\n"), "Warning: no config file specified, using the default config. "+
		"In order to specify a config file use "+binary(t)+" /path/to/redis.conf") {
		t.Errorf("log:\n%s", strings.Join(s.log, "\n"))
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	if code := s.exit(); code != 0 {
		t.Errorf("exit status %d", code)
	}
	if !regexp.MustCompile(`(?m)^\d+:signal-handler \(\d+\) Received SIGTERM scheduling shutdown\.\.\.$`).MatchString(strings.Join(s.log, "\n")) ||
		s.messages()[len(s.messages())-1] != "Petrel is now ready to exit, bye bye..." {
		t.Errorf("log:\n%s", strings.Join(s.log, "\n"))
	}
}

func TestPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	s := start(t, nil, "--port", strconv.Itoa(port), "--bind", "127.0.0.1")
	if code := s.exit(); code != 1 {
		t.Errorf("exit status %d", code)
	}
	msgs := s.messages()
	want := fmt.Sprintf("Warning: Could not create server TCP listening socket 127.0.0.1:%d: bind: Address already in use\n"+
		"Failed listening on port %d (TCP), aborting.", port, port)
	if len(msgs) < 2 || strings.Join(msgs[len(msgs)-2:], "\n") != want {
		t.Errorf("log:\n%s", strings.Join(s.log, "\n"))
	}
}
