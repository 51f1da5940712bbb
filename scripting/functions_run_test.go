package scripting

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"petrel/persistence/rdb"
	"petrel/resp"
)

func mustLoad(t testing.TB, e *Engine, code string) {
	t.Helper()
	if _, err := e.Functions().Load([]byte(code), false); err != nil {
		t.Fatalf("load: %s", err.Msg)
	}
}

// waitRunning waits for an execution to be in progress.
func waitRunning(t *testing.T, e *Engine) Running {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if r, ok := e.Running(); ok {
			return r
		}
	}
	t.Fatal("nothing started running")
	return Running{}
}

func TestFunctionLoadTimeoutStopsTheBodyWithRedisText(t *testing.T) {
	e := NewEngine()
	e.LoadTimeout = 50 * time.Millisecond
	start := time.Now()
	_, err := e.Functions().Load([]byte("#!lua name=h26\nredis.register_function('f26', function() return 1 end)\nwhile true do end"), false)
	if err == nil || err.Msg != "ERR Error registering functions: ERR FUNCTION LOAD timeout" {
		t.Fatalf("got %+v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("the load ran %v", d)
	}
	if l, f := e.Functions().Count(); l != 0 || f != 0 {
		t.Fatalf("a timed out library was registered: %d %d", l, f)
	}
	// the interpreter that timed out is not reused: the next load works
	mustLoad(t, e, "#!lua name=ok\nredis.register_function('ok', function() return 1 end)")
	if got := fnReply(t, e, 2, "FCALL", "ok", "0"); got != ":1\r\n" {
		t.Fatalf("FCALL after a timeout: %q", got)
	}
}

// argvHost is a fakeHost that knows the caller's command line.
type argvHost struct {
	fakeHost
	argv [][]byte
}

func (h *argvHost) Argv() [][]byte { return h.argv }

func TestFunctionKillAndStatsWhileBusy(t *testing.T) {
	e := NewEngine()
	mustLoad(t, e, "#!lua name=loop\nredis.register_function('loop', function(keys, args) local i = 0 while true do i = i + 1 end end)")
	f := e.Functions().Lookup([]byte("LOOP"))
	if f == nil {
		t.Fatal("loop not found")
	}
	for _, withArgv := range []bool{true, false} {
		done := make(chan *Error)
		keys, args := toBytes([]string{"k1", "k2"}), toBytes([]string{"a1"})
		var h Host = &fakeHost{}
		if withArgv {
			h = &argvHost{argv: toBytes([]string{"fcall", "loop", "2", "k1", "k2", "a1"})}
		}
		go func() { done <- e.Call(f, h, keys, args, resp.NewWriter()) }()
		r := waitRunning(t, e)
		if r.Name != "loop" || !r.Function {
			t.Fatalf("Running = %+v", r)
		}
		l := e.Functions()
		w := resp.NewWriter()
		if err := l.Stats(w, time.Hour); err != nil || string(w.Bytes()) != "*4\r\n$14\r\nrunning_script\r\n$-1\r\n$7\r\nengines\r\n*2\r\n$3\r\nLUA\r\n*4\r\n$15\r\nlibraries_count\r\n:1\r\n$15\r\nfunctions_count\r\n:1\r\n" {
			t.Fatalf("before busy-reply-threshold: %q %+v", w.Bytes(), err)
		}
		time.Sleep(20 * time.Millisecond)
		cmd := "*6\r\n$5\r\nFCALL\r\n$4\r\nloop\r\n$1\r\n2\r\n$2\r\nk1\r\n$2\r\nk2\r\n$2\r\na1\r\n"
		if withArgv {
			cmd = strings.Replace(cmd, "FCALL", "fcall", 1)
		}
		for _, proto := range []int{2, 3} {
			w = resp.NewWriter()
			w.Proto = proto
			if err := l.Stats(w, 10*time.Millisecond); err != nil {
				t.Fatal(err.Msg)
			}
			// duration_ms varies: compare around it
			got := string(w.Bytes())
			var head, tail string
			if proto == 2 {
				head = "*4\r\n$14\r\nrunning_script\r\n*6\r\n$4\r\nname\r\n$4\r\nloop\r\n$7\r\ncommand\r\n" + cmd + "$11\r\nduration_ms\r\n:"
				tail = "\r\n$7\r\nengines\r\n*2\r\n$3\r\nLUA\r\n*4\r\n$15\r\nlibraries_count\r\n:1\r\n$15\r\nfunctions_count\r\n:1\r\n"
			} else {
				head = "%2\r\n$14\r\nrunning_script\r\n%3\r\n$4\r\nname\r\n$4\r\nloop\r\n$7\r\ncommand\r\n" + cmd + "$11\r\nduration_ms\r\n:"
				tail = "\r\n$7\r\nengines\r\n%1\r\n$3\r\nLUA\r\n%2\r\n$15\r\nlibraries_count\r\n:1\r\n$15\r\nfunctions_count\r\n:1\r\n"
			}
			ms, ok := strings.CutPrefix(got, head)
			if ok {
				ms, ok = strings.CutSuffix(ms, tail)
			}
			if n, err := strconv.Atoi(ms); !ok || err != nil || n < 10 {
				t.Fatalf("RESP%d FUNCTION STATS while busy:\n got %q\nwant %q<ms>%q", proto, got, head, tail)
			}
		}
		if !e.Kill(r.ID) {
			t.Fatal("Kill found nothing")
		}
		err := <-done
		if want := "ERR Script killed by user with SCRIPT KILL... script: loop, on @user_function:2."; err == nil || err.Msg != want {
			t.Fatalf("killed function: got %+v want %q", err, want)
		}
	}
	// the killed interpreter was dropped; the function still runs elsewhere
	mustLoad(t, e, "#!lua name=one\nredis.register_function('one', function() return 1 end)")
	if got := fnReply(t, e, 2, "FCALL", "one", "0"); got != ":1\r\n" {
		t.Fatalf("FCALL after a kill: %q", got)
	}
}

func TestFunctionStatsWhileAScriptIsBusyIsBusyError(t *testing.T) {
	e := NewEngine()
	s, _ := e.Load([]byte("while true do end"))
	done := make(chan *Error)
	go func() { done <- e.Run(s, &fakeHost{}, nil, nil, resp.NewWriter()) }()
	r := waitRunning(t, e)
	time.Sleep(5 * time.Millisecond)
	w := resp.NewWriter()
	if err := e.Functions().Stats(w, time.Millisecond); err == nil || err.Msg != ErrBusyScript || w.Len() != 0 {
		t.Fatalf("got %+v %q", err, w.Bytes())
	}
	e.Kill(r.ID)
	<-done
}

func TestFunctionLibraryLogsOnlyWhenLoaded(t *testing.T) {
	e := NewEngine()
	var mu sync.Mutex
	var logs []string
	e.Functions().Log = func(level int, msg string) {
		mu.Lock()
		logs = append(logs, strconv.Itoa(level)+" "+msg)
		mu.Unlock()
	}
	mustLoad(t, e, "#!lua name=l\nredis.log(redis.LOG_NOTICE, 'loading', 1)\nredis.register_function('l', function() return 1 end)")
	// Hold the interpreter the library loaded in, so the call takes a new
	// one, which runs the body again, silently.
	held := e.get()
	w := resp.NewWriter()
	if err := e.Call(e.Functions().Lookup([]byte("l")), concHost{}, nil, nil, w); err != nil || string(w.Bytes()) != ":1\r\n" {
		t.Fatalf("FCALL: %q %+v", w.Bytes(), err)
	}
	if _, ok := held.lib.libs[e.Functions().Lookup([]byte("l")).Library]; !ok {
		t.Fatal("the held interpreter is not the one the library loaded in")
	}
	e.put(held)
	if len(logs) != 1 || logs[0] != "2 loading 1" {
		t.Fatalf("logs = %q", logs)
	}
}

// runConcurrently runs f(i) for i < n in each of g goroutines.
func runConcurrently(t *testing.T, g, n int, f func(int)) {
	t.Helper()
	var wg sync.WaitGroup
	for range g {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range n {
				f(i)
			}
		}()
	}
	wg.Wait()
}

// concHost answers PING; it is safe for concurrent use.
type concHost struct{}

func (concHost) Call(w *resp.Writer, args [][]byte) { w.WriteSimple("PONG") }
func (concHost) Log(int, string)                    {}
func (concHost) SetRepl(int)                        {}

func TestFunctionCallsWhileLibrariesChange(t *testing.T) {
	e := NewEngine()
	l := e.Functions()
	mustLoad(t, e, "#!lua name=stable\nredis.register_function('stable', function(keys, args) return {keys[1], args[1], redis.call('ping')} end)")
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			code := fmt.Sprintf("#!lua name=moving\nredis.register_function('moving', function() return %d end)", i)
			if _, err := l.Load([]byte(code), true); err != nil {
				t.Errorf("replace: %s", err.Msg)
				return
			}
			if i%3 == 0 {
				l.Delete([]byte("moving"))
			}
			if i%7 == 0 {
				p := l.Dump(true)
				if err := l.Restore(p, RestoreReplace); err != nil {
					t.Errorf("restore: %s", err.Msg)
					return
				}
			}
		}
	}()
	runConcurrently(t, 8, 200, func(i int) {
		w := resp.NewWriter()
		f := l.Lookup([]byte("stable"))
		if err := e.Call(f, concHost{}, toBytes([]string{"k"}), toBytes([]string{"a"}), w); err != nil {
			t.Errorf("stable: %s", err.Msg)
			return
		}
		if got := string(w.Bytes()); got != "*3\r\n$1\r\nk\r\n$1\r\na\r\n+PONG\r\n" {
			t.Errorf("stable: %q", got)
		}
		if f := l.Lookup([]byte("moving")); f != nil {
			w.Reset()
			if err := e.Call(f, concHost{}, nil, nil, w); err != nil {
				t.Errorf("moving: %s", err.Msg)
			} else if w.Bytes()[0] != ':' {
				t.Errorf("moving: %q", w.Bytes())
			}
		}
		if i%50 == 0 {
			l.List(resp.NewWriter(), nil, true)
			l.Stats(resp.NewWriter(), time.Hour)
		}
	})
	close(stop)
	wg.Wait()
}

func TestFunctionUpvaluesLiveInTheInterpreter(t *testing.T) {
	e := NewEngine()
	mustLoad(t, e, "#!lua name=c\nlocal n = 0\nredis.register_function('c', function() n = n + 1 return n end)")
	// one caller at a time gets the same pooled interpreter, as Redis's one
	for i := 1; i <= 3; i++ {
		if got, want := fnReply(t, e, 2, "FCALL", "c", "0"), ":"+strconv.Itoa(i)+"\r\n"; got != want {
			t.Fatalf("call %d: %q want %q", i, got, want)
		}
	}
	// a replaced library starts afresh
	if _, err := e.Functions().Load([]byte("#!lua name=c\nlocal n = 10\nredis.register_function('c', function() n = n + 1 return n end)"), true); err != nil {
		t.Fatal(err.Msg)
	}
	if got := fnReply(t, e, 2, "FCALL", "c", "0"); got != ":11\r\n" {
		t.Fatalf("after REPLACE: %q", got)
	}
}

// redisDumps are FUNCTION DUMP payloads of redis-server 7.0.15, LZF
// compressed as by default.
var redisDumps = []struct {
	payload string
	libs    []string // library names, in name order
}{
	{"\xf58#!lua name=x3\nredis.register_function(1, function() end)\xf5\xc3@S@X\x1f#!lua name=x9\nredis.register_fun\nction('m', \xe0\x00\r\x07) return \x06@.\x14call('incr','h') end)\xf5\xc3@a@l\x1f#!lua name=x6\nredis.register_fun\nction('j', \xe0\x00\r\x13keys, args) return {\xe0\x01\x13\x00, \x13@E\x11call('ping')} end)\xf5>#!lua name=x7\nredis.register_function('k', function() x=1 end)\xf5\xc3@^@i\x1f#!lua name=x4\nredis.register_fun\x05ction{\xc0\x08\x00_`(\r'h', callback=\xc0\x1b\x17() return 2 end, descrip@@\x02=1}\xf5\xc3@E@h\x1f#!lua name=x10\nredis.register_fu\x0bnction('n', \xe0\x00\r\x01) \xe0\x10'\x00z\xe0\x05'\x02end@\x04\x01d)\xf5@H#!lua name=x8\nredis.register_function('l', function() error('boom') end)\n\x00\x1f\xe5B\x03[\xd2\x08~",
		[]string{"x10", "x3", "x4", "x6", "x7", "x8", "x9"}},
	{"\xf5\xc3@Y@c\x1f#!lua name=y\nredis.register_func\x04tion{\xc0\x08\x00_`'\r'g', callback=\xc0\x1b\x19() return 1 end, flags={}}\xf5\xc3@\xac@\xc2\x1f#!lua name=x\nredis.register_func\x04tion{\xc0\x08\x00_`'\r'f', callback=\xc0\x1b\x1f() return 1 end, flags={'no-writ\x04es',' 4\x05ow-oom\xe0\x00\x0b\x04stale \r %\x02clu@v \x0c\x80&\x19cross-slot-keys'}, descrip@\x94\x03='he M\x01'}\n\x00\xe3\xe0\xc1\xb4a\"\x11\x8c",
		[]string{"x", "y"}},
}

func TestFunctionRestoreReadsRedisDumpsAndDumpsThemBack(t *testing.T) {
	for _, d := range redisDumps {
		e := NewEngine()
		if err := e.Functions().Restore([]byte(d.payload), RestoreAppend); err != nil {
			t.Fatal(err.Msg)
		}
		var names []string
		for _, lib := range e.Functions().Libraries() {
			names = append(names, lib.Name)
		}
		if strings.Join(names, ",") != strings.Join(d.libs, ",") {
			t.Fatalf("restored %q, want %q", names, d.libs)
		}
		// our payloads, compressed or not, give the same libraries back
		for _, compress := range []bool{true, false} {
			e2 := NewEngine()
			if err := e2.Functions().Restore(e.Functions().Dump(compress), RestoreFlush); err != nil {
				t.Fatal(err.Msg)
			}
			if a, b := e.Functions().Codes(), e2.Functions().Codes(); strings.Join(a, "\x00") != strings.Join(b, "\x00") {
				t.Fatalf("compress=%v: round trip changed the libraries:\n%q\n%q", compress, a, b)
			}
		}
	}
}

func TestFunctionRDBRecordsLoadBack(t *testing.T) {
	e := NewEngine()
	if err := e.Functions().Restore([]byte(redisDumps[0].payload), RestoreAppend); err != nil {
		t.Fatal(err.Msg)
	}
	// an RDB file with the libraries and no keys
	w := rdb.NewWriter(nil, &rdb.Options{Compress: true})
	w.WriteRaw([]byte("REDIS0010"))
	e.Functions().WriteRDB(w)
	w.WriteByte(rdb.OpEOF)
	file := binary.LittleEndian.AppendUint64(w.Bytes(), w.Sum())

	e2 := NewEngine()
	_, err := rdb.ReadFile(rdb.NewBytesReader(file, nil), rdb.FileHandler{
		Key:      func(*rdb.Key) error { return fmt.Errorf("no keys expected") },
		Function: func(code []byte) error { return e2.Functions().LoadCode(code, false) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if a, b := e.Functions().Codes(), e2.Functions().Codes(); strings.Join(a, "\x00") != strings.Join(b, "\x00") {
		t.Fatalf("RDB records changed the libraries:\n%q\n%q", a, b)
	}
	if err := e2.Functions().LoadCode([]byte(e.Functions().Codes()[0]), false); err == nil || err.Error() != "ERR Library 'x10' already exists" {
		t.Fatalf("duplicate library: %v", err)
	}
	if err := e2.Functions().LoadCode([]byte(e.Functions().Codes()[0]), true); err != nil {
		t.Fatalf("duplicate library with replace: %v", err)
	}
}

// refServer is a redis-server started for one test.
type refServer struct {
	dir  string // its working directory, where SAVE writes dump.rdb
	cmd  *exec.Cmd
	conn net.Conn
	br   *bufio.Reader
}

func startRefServer(t *testing.T) *refServer {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("redis-server not installed: the exchange with the reference server is not checked")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	dir := t.TempDir()
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	var conn net.Conn
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if conn, err = net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(port)); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("redis-server did not start: %v", err)
		}
	}
	t.Cleanup(func() { conn.Close() })
	return &refServer{dir: dir, cmd: cmd, conn: conn, br: bufio.NewReader(conn)}
}

// do sends a command and returns its raw reply.
func (s *refServer) do(t *testing.T, args ...[]byte) []byte {
	t.Helper()
	w := resp.NewWriter()
	w.WriteArrayLen(len(args))
	for _, a := range args {
		w.WriteBulk(a)
	}
	s.conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := s.conn.Write(w.Bytes()); err != nil {
		t.Fatal(err)
	}
	var out []byte
	var read func()
	read = func() {
		line, err := s.br.ReadBytes('\n')
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, line...)
		n, _ := strconv.Atoi(string(line[1 : len(line)-2]))
		switch line[0] {
		case '$':
			if n >= 0 {
				b := make([]byte, n+2)
				if _, err := io.ReadFull(s.br, b); err != nil {
					t.Fatal(err)
				}
				out = append(out, b...)
			}
		case '*':
			for range n {
				read()
			}
		}
	}
	read()
	return out
}

func bulk(t *testing.T, reply []byte) []byte {
	t.Helper()
	if reply[0] != '$' {
		t.Fatalf("not a bulk reply: %q", reply)
	}
	_, body, _ := bytes.Cut(reply, []byte("\r\n"))
	return body[:len(body)-2]
}

func TestFunctionDumpsMoveBothWaysWithRedisServer(t *testing.T) {
	s := startRefServer(t)
	b := func(ss ...string) [][]byte { return toBytes(ss) }
	codes := []string{
		"#!lua name=lib1\nredis.register_function{function_name='f1', callback=function(keys, args) return keys[1] end, flags={'no-writes','allow-stale'}, description='the first one, with a description long enough to be compressed by LZF'}",
		"#!lua name=lib2\nlocal function helper() return 2 end\nredis.register_function('f2', function() return helper() end)",
		"#!lua name=lib3\nredis.register_function('F3', function() return 3 end)",
		"#!lua name=s\nredis.register_function('s', function() return 1 end)",
	}
	for _, c := range codes {
		s.do(t, b("FUNCTION", "LOAD", c)...)
	}
	e := NewEngine()
	for _, c := range codes {
		mustLoad(t, e, c)
	}
	listRedis := string(s.do(t, b("FUNCTION", "LIST", "WITHCODE", "LIBRARYNAME", "s")...))
	if got := fnReply(t, e, 2, "FUNCTION", "LIST", "WITHCODE", "LIBRARYNAME", "s"); got != listRedis {
		t.Fatalf("LIST:\n got %q\nwant %q", got, listRedis)
	}

	// (Redis orders libraries, and a library's functions, at random: LIST
	// is compared one single-function library at a time.)

	// Redis's payload restores in Petrel
	payload := bulk(t, s.do(t, b("FUNCTION", "DUMP")...))
	e2 := NewEngine()
	if err := e2.Functions().Restore(payload, RestoreAppend); err != nil {
		t.Fatalf("Redis's payload: %s", err.Msg)
	}
	if a, b := e.Functions().Codes(), e2.Functions().Codes(); strings.Join(a, "\x00") != strings.Join(b, "\x00") {
		t.Fatalf("Redis's payload gave other libraries:\n%q\n%q", a, b)
	}

	// and ours restores in Redis, compressed or not
	for _, compress := range []bool{true, false} {
		if got := string(s.do(t, b("FUNCTION", "RESTORE", string(e.Functions().Dump(compress)), "FLUSH")...)); got != "+OK\r\n" {
			t.Fatalf("compress=%v: Redis refused our payload: %q", compress, got)
		}
		for _, c := range [][]string{{"FCALL", "f1", "1", "k"}, {"FCALL", "F2", "0"}, {"FCALL", "f3", "0"}, {"FCALL", "s", "0"}} {
			if got, want := string(s.do(t, b(c...)...)), fnReply(t, e, 2, c...); got != want {
				t.Fatalf("%q after restoring in Redis: %q, Petrel %q", c, got, want)
			}
		}
		for _, lib := range []string{"lib1", "lib2", "lib3", "s"} {
			want := fnReply(t, e, 2, "FUNCTION", "LIST", "WITHCODE", "LIBRARYNAME", lib)
			if got := string(s.do(t, b("FUNCTION", "LIST", "WITHCODE", "LIBRARYNAME", lib)...)); got != want {
				t.Fatalf("compress=%v: %s in Redis after restoring ours:\n got %q\nwant %q", compress, lib, got, want)
			}
		}
	}
	// Redis's RDB file holds the same libraries as FUNCTION2 records
	if got := string(s.do(t, b("SAVE")...)); got != "+OK\r\n" {
		t.Fatalf("SAVE: %q", got)
	}
	file, err := os.ReadFile(filepath.Join(s.dir, "dump.rdb"))
	if err != nil {
		t.Fatal(err)
	}
	e3 := NewEngine()
	if _, err := rdb.ReadFile(rdb.NewBytesReader(file, nil), rdb.FileHandler{
		Key:      func(*rdb.Key) error { return nil },
		Function: func(code []byte) error { return e3.Functions().LoadCode(code, false) },
	}); err != nil {
		t.Fatalf("Redis's RDB file: %v", err)
	}
	if a, b := e.Functions().Codes(), e3.Functions().Codes(); strings.Join(a, "\x00") != strings.Join(b, "\x00") {
		t.Fatalf("Redis's RDB file gave other libraries:\n%q\n%q", a, b)
	}

	// Redis's payload for a single uncompressible library is ours byte for byte
	s.do(t, b("FUNCTION", "DELETE", "lib1")...)
	s.do(t, b("FUNCTION", "DELETE", "lib2")...)
	s.do(t, b("FUNCTION", "DELETE", "lib3")...)
	for _, lib := range []string{"lib1", "lib2", "lib3"} {
		e.Functions().Delete([]byte(lib))
	}
	if got, want := e.Functions().Dump(true), bulk(t, s.do(t, b("FUNCTION", "DUMP")...)); !bytes.Equal(got, want) {
		t.Fatalf("DUMP:\n got %q\nwant %q", got, want)
	}
}

func BenchmarkCallLockRelease(b *testing.B) {
	e := NewEngine()
	mustLoad(b, e, "#!lua name=lock\nredis.register_function('unlock', function(keys, args) if redis.call('GET', keys[1]) == args[1] then return redis.call('DEL', keys[1]) else return 0 end end)")
	keys, args := [][]byte{[]byte("lock:1")}, [][]byte{[]byte("token")}
	name := []byte("unlock")
	w := resp.NewWriter()
	b.ReportAllocs()
	for b.Loop() {
		w.Reset()
		f := e.Functions().Lookup(name)
		if err := e.Call(f, lockHost{}, keys, args, w); err != nil {
			b.Fatal(err.Msg)
		}
	}
	if string(w.Bytes()) != ":1\r\n" {
		b.Fatalf("reply %q", w.Bytes())
	}
}
