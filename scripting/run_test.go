package scripting

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"petrel/resp"
)

func TestKillStopsALoopingScriptWithRedisText(t *testing.T) {
	e := NewEngine()
	s, err := e.Load([]byte("local i = 0\nwhile true do i = i + 1 end"))
	if err != nil {
		t.Fatal(err.Msg)
	}
	done := make(chan *Error)
	go func() { done <- e.Run(s, &fakeHost{}, nil, nil, resp.NewWriter()) }()
	var r Running
	for deadline := time.Now().Add(2 * time.Second); ; {
		var ok bool
		if r, ok = e.Running(); ok || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if r.Name != s.SHA || r.Function {
		t.Fatalf("Running = %+v", r)
	}
	if !e.Kill(r.ID) {
		t.Fatal("Kill found nothing to kill")
	}
	got := <-done
	want := "ERR Script killed by user with SCRIPT KILL... script: " + s.SHA + ", on @user_script:2."
	if got == nil || got.Msg != want {
		t.Fatalf("got %+v, want %q", got, want)
	}
	if _, ok := e.Running(); ok {
		t.Fatal("still running after the kill")
	}
}

// Busy turns on once a run has gone past BusyThreshold, for a loop in Lua
// and in a coroutine alike, and off when the run ends; a run that ends in
// time never turns it on.
func TestBusyReportsARunPastItsThreshold(t *testing.T) {
	for _, tc := range []struct{ name, script string }{
		{"loop", "local i = 0 while true do i = i + 1 end"},
		{"coroutine", "coroutine.wrap(function() while true do end end)()"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := NewEngine()
			e.BusyThreshold = func() time.Duration { return 20 * time.Millisecond }
			quick, _ := e.Load([]byte("return 1"))
			if e.Run(quick, &fakeHost{}, nil, nil, resp.NewWriter()); e.Busy() {
				t.Fatal("busy after a quick run")
			}
			s, _ := e.Load([]byte(tc.script))
			done := make(chan *Error)
			start := time.Now()
			go func() { done <- e.Run(s, &fakeHost{}, nil, nil, resp.NewWriter()) }()
			for !e.Busy() {
				if time.Since(start) > 2*time.Second {
					t.Fatal("never busy")
				}
				time.Sleep(time.Millisecond)
			}
			if d := time.Since(start); d < 20*time.Millisecond {
				t.Fatalf("busy after %v, before the threshold", d)
			}
			r, _ := e.Running()
			e.Kill(r.ID)
			<-done
			if e.Busy() {
				t.Fatal("still busy after the run ended")
			}
		})
	}
}

func TestKilledScriptCannotCatchTheKillWithPcall(t *testing.T) {
	killLoopingScript(t, "while true do pcall(function() while true do end end) end")
}

// killLoopingScript runs script, which loops for ever, kills it once it
// runs, and fails unless it ends with the kill's error within 2 s.
func killLoopingScript(t *testing.T, script string) {
	t.Helper()
	e := NewEngine()
	s, _ := e.Load([]byte(script))
	done := make(chan *Error)
	go func() { done <- e.Run(s, &fakeHost{}, nil, nil, resp.NewWriter()) }()
	for {
		if r, ok := e.Running(); ok {
			e.Kill(r.ID)
			break
		}
		time.Sleep(time.Millisecond)
	}
	select {
	case got := <-done:
		if got == nil || !strings.HasPrefix(got.Msg, "ERR Script killed by user with SCRIPT KILL...") {
			t.Fatalf("got %+v", got)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the kill was caught: the script kept running")
	}
}

func TestCallErrorIsCountedOnlyOnce(t *testing.T) {
	e := NewEngine()
	s, _ := e.Load([]byte("return redis.call('incr','s')"))
	err := e.Run(s, hostFor(e), nil, nil, resp.NewWriter())
	if err == nil || !err.Counted {
		t.Fatalf("redis.call's error should be marked counted: %+v", err)
	}
	s, _ = e.Load([]byte("error('x')"))
	if err := e.Run(s, hostFor(e), nil, nil, resp.NewWriter()); err == nil || err.Counted {
		t.Fatalf("a script's own error is not counted yet: %+v", err)
	}
}

func TestKeysAndArgvReachTheScript(t *testing.T) {
	e := NewEngine()
	got := evalReply(t, e, 2, "return {KEYS, ARGV}", []string{"a", "b"}, []string{"c", "d"})
	if want := "*2\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n*2\r\n$1\r\nc\r\n$1\r\nd\r\n"; got != want {
		t.Fatalf("got %q want %q", got, want)
	}
}

// KEYS and ARGV tables are refilled between runs of one interpreter: what a
// script did to them must not reach the next script, in any environment.
func TestKeysAndArgvChangedByAScriptAreFreshForTheNext(t *testing.T) {
	// The first check has no assignment (it reads the libraries directly),
	// the second assigns to a table (it reads the proxied globals), the
	// third assigns a global.
	checks := []string{
		"local n = 0 for _ in pairs(KEYS) do n = n + 1 end for _ in pairs(ARGV) do n = n + 1 end " +
			"return {n, getmetatable(KEYS) == nil and 1 or 0, KEYS, ARGV}",
		"local t = {} t[1] = 1 local n = 0 for _ in pairs(KEYS) do n = n + 1 end for _ in pairs(ARGV) do n = n + 1 end " +
			"return {n, getmetatable(KEYS) == nil and 1 or 0, KEYS, ARGV}",
		"pcall(function() g = 1 end) local n = 0 for _ in pairs(KEYS) do n = n + 1 end for _ in pairs(ARGV) do n = n + 1 end " +
			"return {n, getmetatable(KEYS) == nil and 1 or 0, KEYS, ARGV}",
	}
	const want = "*4\r\n:3\r\n:1\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n*1\r\n$1\r\nc\r\n"
	mutators := []string{
		"table.insert(KEYS, 'x') table.insert(ARGV, 1, 'y')",
		"table.remove(KEYS) table.remove(ARGV)",
		"table.remove(KEYS) table.remove(ARGV) local t = {} t[1] = 1",
		"table.remove(KEYS) KEYS.x = 1 table.remove(ARGV) ARGV.y = 1",
		"KEYS[1] = nil ARGV[1] = 'changed'",
		"KEYS.x = 1 ARGV[10] = 'far'",
		"KEYS.x = 1 KEYS.x = nil ARGV[-1] = 'negative'",
		"setmetatable(KEYS, {__index = function() return 'meta' end})",
		"pcall(function() g = 1 end) KEYS[#KEYS + 1] = 'z' ARGV.y = 2",
		"for i = 1, 300 do KEYS[i] = 'k' .. i end",
	}
	keySets := [][]string{nil, {"k1"}, {"k1", "k2", "k3", "k4"}}
	for _, m := range mutators {
		for _, ks := range keySets {
			e := NewEngine() // one interpreter: runs in sequence reuse it
			for range 2 {
				evalReply(t, e, 2, m, ks, ks)
				for i, c := range checks {
					if got := evalReply(t, e, 2, c, []string{"a", "b"}, []string{"c"}); got != want {
						t.Fatalf("after %q with %d keys, check %d: got %q want %q", m, len(ks), i, got, want)
					}
				}
			}
		}
	}
}

// lockHost answers the lock-release script's GET and DEL.
type lockHost struct{}

func (lockHost) Call(w *resp.Writer, args [][]byte) {
	if len(args[0]) == 3 && (args[0][0] == 'G' || args[0][0] == 'g') {
		w.WriteBulkString("token")
		return
	}
	w.WriteInt(1)
}
func (lockHost) Log(int, string) {}
func (lockHost) SetRepl(int)     {}

func BenchmarkRunLockRelease(b *testing.B) {
	benchRun(b, "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end",
		[]string{"lock:1"}, []string{"token"})
}

// BenchmarkRunTenCommands is bench/compare.sh's evalsha_10 script on a host
// that answers at once: the interpreter's share of each call.
func BenchmarkRunTenCommands(b *testing.B) {
	benchRun(b, "for i = 1, 5 do redis.call('INCR', KEYS[1]) redis.call('GET', KEYS[2]) end return 1",
		[]string{"bench:a", "bench:b"}, nil)
}

// benchRun runs script on lockHost, whose replies make both benchmarks'
// scripts return 1.
func benchRun(b *testing.B, script string, keys, args []string) {
	e := NewEngine()
	s, err := e.Load([]byte(script))
	if err != nil {
		b.Fatal(err.Msg)
	}
	k, a := toBytes(keys), toBytes(args)
	w := resp.NewWriter()
	b.ReportAllocs()
	for b.Loop() {
		w.Reset()
		if err := e.Run(s, lockHost{}, k, a, w); err != nil {
			b.Fatal(err.Msg)
		}
	}
	if string(w.Bytes()) != ":1\r\n" {
		b.Fatalf("reply %q", w.Bytes())
	}
}

// A script that overflows the call stack, whose error handler cannot run,
// must not report the place of an earlier script's error in the same
// pooled interpreter (it said user_function:4 of another function).
func TestStackOverflowDoesNotReportAnEarlierErrorsPlace(t *testing.T) {
	e := NewEngine()
	first, _ := e.Load([]byte("\n\n\nerror('x')"))
	deep, _ := e.Load([]byte("local function f() return 1+f() end return f()"))
	for i := 0; i < 3; i++ {
		if err := e.Run(first, &fakeHost{}, nil, nil, resp.NewWriter()); err == nil || !strings.Contains(err.Msg, "user_script:4: x") {
			t.Fatalf("first script: %+v", err)
		}
		err := e.Run(deep, &fakeHost{}, nil, nil, resp.NewWriter())
		if err == nil || !strings.Contains(err.Msg, "stack overflow") || strings.Contains(err.Msg, ":4") {
			t.Fatalf("run %d: the overflow replied %+v", i, err)
		}
	}
}

// BenchmarkRunConcatNumbers joins numbers into strings, which Lua 5.1
// formats with "%.14g" (concat.go).
func BenchmarkRunConcatNumbers(b *testing.B) {
	benchRun(b, "local n = 0 for i = 1, 100 do local s = 'k' .. i .. ':' .. (i * 0.5) n = n + #s end return 1", nil, nil)
}

// BenchmarkRunConcatKeys builds key names from KEYS and ARGV strings, as
// queue libraries' scripts do.
func BenchmarkRunConcatKeys(b *testing.B) {
	benchRun(b, "local p = KEYS[1] .. ':' local n = 0 for i = 1, 20 do local k = p .. ARGV[1] .. ':' .. 'x' n = n + #k end return 1",
		[]string{"bull:queue"}, []string{"job42"})
}

// BenchmarkRunModulo takes 100 remainders, which Lua 5.1 computes as
// a - floor(a/b)*b (arith.go), and loops to a bound from ARGV.
func BenchmarkRunModulo(b *testing.B) {
	benchRun(b, "local n = 0 for i = 1, ARGV[1] do n = n + i % 7 end return 1", nil, []string{"100"})
}

// preludeScript opens as queue libraries' scripts do: a local for
// redis.call, then helper functions, most of which no run calls.
func preludeScript(helpers int) string {
	var b strings.Builder
	b.WriteString("local rcall = redis.call\n")
	for i := range helpers {
		fmt.Fprintf(&b, "local function helper%d(key, n)\n  local v = rcall('GET', key)\n", i)
		if i > 0 {
			fmt.Fprintf(&b, "  if n > 0 then return helper%d(key, n - 1) end\n", i-1)
		}
		b.WriteString("  return v\nend\n")
	}
	fmt.Fprintf(&b, "if helper%d(KEYS[1], 2) == ARGV[1] then return rcall('DEL', KEYS[1]) end\nreturn 0\n", helpers-1)
	return b.String()
}

// BenchmarkRunLibraryPrelude runs a script that defines 30 helper
// functions and calls three of them, as BullMQ's scripts do.
func BenchmarkRunLibraryPrelude(b *testing.B) {
	benchRun(b, preludeScript(30), []string{"lock:1"}, []string{"token"})
}
