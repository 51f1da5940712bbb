package harness

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// MissingRedisMessage is the skip message of tests that need redis-server.
const MissingRedisMessage = "redis-server not installed: differential tests skipped; " +
	"install redis-server (apt-get install redis-server redis-tools) or run .ci/run"

// RequireRedisEnv, set to 1, turns missing reference tools into failures
// instead of skips, so CI cannot pass without running the comparisons.
const RequireRedisEnv = "PETREL_REQUIRE_REDIS"

// RequireRedis skips the test when redis-server is not installed, or fails
// it when PETREL_REQUIRE_REDIS=1.
func RequireRedis(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		missing(t, MissingRedisMessage)
	}
}

// RequireTool skips (or with PETREL_REQUIRE_REDIS=1 fails) a test that
// needs a command-line tool such as redis-cli or redis-benchmark.
func RequireTool(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		missing(t, name+" not installed: test skipped; install redis-tools (apt-get install redis-tools) or run .ci/run")
	}
	return path
}

// Missing skips the test with msg, or fails it when PETREL_REQUIRE_REDIS=1.
func Missing(t testing.TB, msg string) {
	t.Helper()
	missing(t, msg)
}

func missing(t testing.TB, msg string) {
	t.Helper()
	if os.Getenv(RequireRedisEnv) == "1" {
		t.Fatalf("%s (failing because %s=1)", msg, RequireRedisEnv)
	}
	t.Skip(msg)
}

// Server is a running petrel-server or redis-server process.
type Server struct {
	// Name is "petrel" or "redis".
	Name string
	// Port and Addr are where it listens on the loopback interface.
	Port int
	Addr string

	t        testing.TB
	cmd      *exec.Cmd
	out      *tailBuffer
	exited   chan struct{}
	waitErr  error
	stopOnce sync.Once
	mayExit  bool
}

// StartPetrel builds Petrel if needed and starts it on a free port with
// extra "--directive value" arguments. Like the reference (StartRedis) it
// runs without persistence, so both servers report the same configuration.
// It is stopped when the test ends.
func StartPetrel(t testing.TB, args ...string) *Server {
	t.Helper()
	bin := PetrelBinary(t)
	return start(t, "petrel", bin, func(port int) []string {
		return append([]string{"--port", strconv.Itoa(port), "--save", "", "--appendonly", "no",
			"--bind", "127.0.0.1"}, args...)
	})
}

// StartRedis starts the reference redis-server on a free port, without
// persistence, with extra "--directive value" arguments. The test is
// skipped when redis-server is missing (see RequireRedis).
func StartRedis(t testing.TB, args ...string) *Server {
	t.Helper()
	RequireRedis(t)
	return start(t, "redis", "redis-server", func(port int) []string {
		return append([]string{"--port", strconv.Itoa(port), "--save", "", "--appendonly", "no",
			"--bind", "127.0.0.1"}, args...)
	})
}

func start(t testing.TB, name, bin string, argv func(port int) []string) *Server {
	t.Helper()
	var lastLog string
	for attempt := 0; attempt < 5; attempt++ {
		port := FreePort(t)
		s := &Server{Name: name, Port: port, Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
			t: t, out: &tailBuffer{max: 1 << 20}, exited: make(chan struct{})}
		s.cmd = exec.Command(bin, argv(port)...)
		// A private working directory keeps anything the server writes
		// (dump.rdb, appendonlydir) out of the source tree.
		s.cmd.Dir = t.TempDir()
		s.cmd.Stdout = s.out
		s.cmd.Stderr = s.out
		s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		if err := s.cmd.Start(); err != nil {
			t.Fatalf("starting %s: %v", name, err)
		}
		go func() {
			s.waitErr = s.cmd.Wait()
			close(s.exited)
		}()
		err := s.waitReady(30 * time.Second)
		if err == nil {
			t.Cleanup(s.Stop)
			return s
		}
		s.kill()
		lastLog = s.Log()
		if !strings.Contains(lastLog, "ddress already in use") {
			t.Fatalf("%s %q did not start: %v\n--- log ---\n%s", name, s.cmd.Args, err, lastLog)
		}
	}
	t.Fatalf("%s: no free port after 5 attempts\n%s", name, lastLog)
	return nil
}

// waitReady polls until the server answers PING (+PONG, or -NOAUTH when a
// password is required). The probe then sends QUIT and waits for the server
// to close the connection, so the probe is gone from CLIENT LIST and from the
// maxclients count before the test starts.
func (s *Server) waitReady(limit time.Duration) error {
	deadline := time.Now().Add(limit)
	var last error
	for time.Now().Before(deadline) {
		select {
		case <-s.exited:
			return fmt.Errorf("exited: %v", s.waitErr)
		default:
		}
		last = ping(s.Addr, s.cmd.Process.Pid)
		if last == nil {
			return nil
		}
		time.Sleep(15 * time.Millisecond)
	}
	return fmt.Errorf("no PONG within %v: %v", limit, last)
}

// ping checks that the server with process ID pid answers on addr. INFO's
// process_id tells it from another test's server that got the port first
// (its own then fails to bind and exits); a server that requires a
// password cannot say, and is taken on its PING alone.
func ping(addr string, pid int) error {
	nc, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer nc.Close()
	nc.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := nc.Write(append(append(Encode("PING"), Encode("INFO", "server")...), Encode("QUIT")...)); err != nil {
		return err
	}
	rd := bufio.NewReader(nc)
	reply, err := ReadReply(rd)
	if err != nil {
		return err
	}
	if !strings.HasPrefix(string(reply), "+PONG\r\n") && !strings.HasPrefix(string(reply), "-NOAUTH") {
		return fmt.Errorf("PING replied %q", reply)
	}
	info, err := ReadReply(rd)
	if err != nil {
		return err
	}
	if want := "\r\nprocess_id:" + strconv.Itoa(pid) + "\r\n"; info[0] == '$' && !strings.Contains(string(info), want) {
		return fmt.Errorf("another server answers on %s", addr)
	}
	// QUIT's +OK, then the server's close.
	io.Copy(io.Discard, rd)
	return nil
}

// Dial opens a raw connection to the server.
func (s *Server) Dial(t testing.TB) *Conn {
	t.Helper()
	return Dial(t, s.Addr)
}

// Log returns the server's output so far (the last megabyte).
func (s *Server) Log() string { return s.out.String() }

// Running reports whether the process is still alive.
func (s *Server) Running() bool {
	select {
	case <-s.exited:
		return false
	default:
		return true
	}
}

// ExpectExit marks the process as allowed to exit on its own (a test
// that sends SHUTDOWN); otherwise Stop reports an early exit as a crash.
func (s *Server) ExpectExit() { s.mayExit = true }

// WaitExit waits up to d for the process to exit and reports whether it did.
func (s *Server) WaitExit(d time.Duration) bool {
	select {
	case <-s.exited:
		return true
	case <-time.After(d):
		return false
	}
}

// Stop terminates the server (SIGTERM, then SIGKILL after 10 s). It fails
// the test if the server had crashed before, or if the race detector
// reported a data race inside it.
func (s *Server) Stop() {
	s.stopOnce.Do(func() {
		crashed := !s.Running() && !s.mayExit
		if !crashed {
			s.cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-s.exited:
			case <-time.After(10 * time.Second):
				s.t.Errorf("%s on port %d ignored SIGTERM for 10s; killing it", s.Name, s.Port)
				s.kill()
			}
		}
		log := s.Log()
		switch {
		case crashed:
			s.t.Errorf("%s on port %d exited during the test (%v)\n--- log ---\n%s", s.Name, s.Port, s.waitErr, log)
		case strings.Contains(log, "WARNING: DATA RACE"):
			s.t.Errorf("%s on port %d: the race detector reported a data race\n--- log ---\n%s", s.Name, s.Port, log)
		case strings.Contains(log, "panic:") || strings.Contains(log, "fatal error:"):
			s.t.Errorf("%s on port %d panicked\n--- log ---\n%s", s.Name, s.Port, log)
		}
	})
}

// Kill ends the server with SIGKILL, as a crash would, and waits for it;
// a later Stop reports nothing about it.
func (s *Server) Kill() {
	s.stopOnce.Do(func() {
		log := s.Log()
		s.kill()
		if strings.Contains(log, "WARNING: DATA RACE") {
			s.t.Errorf("%s on port %d: the race detector reported a data race\n--- log ---\n%s", s.Name, s.Port, log)
		}
	})
}

func (s *Server) kill() {
	if s.cmd.Process != nil {
		// The process group holds only the server: Setpgid made it the leader.
		syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
	}
	<-s.exited
}

// reservedPorts are ports this test binary already handed out, so parallel
// tests never get the same one between its probe and the server's bind.
var reservedPorts sync.Map

// FreePort returns a loopback TCP port that nothing listens on, outside
// 7000-7020 (kept for people running servers by hand).
func FreePort(t testing.TB) int {
	t.Helper()
	for i := 0; i < 100; i++ {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("finding a free port: %v", err)
		}
		port := ln.Addr().(*net.TCPAddr).Port
		ln.Close()
		if port >= 7000 && port <= 7020 {
			continue
		}
		// Redis also listens on port+10000 only in cluster mode, which the
		// tests do not use, so one port is enough.
		if _, taken := reservedPorts.LoadOrStore(port, true); taken {
			continue
		}
		return port
	}
	t.Fatal("no free port found")
	return 0
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	max int
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Write(p)
	if over := b.buf.Len() - b.max; over > 0 {
		b.buf.Next(over)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
