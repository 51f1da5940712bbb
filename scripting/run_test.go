package scripting

import (
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

func TestKilledScriptCannotCatchTheKillWithPcall(t *testing.T) {
	e := NewEngine()
	s, _ := e.Load([]byte("while true do pcall(function() while true do end end) end"))
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
		t.Fatal("pcall caught the kill: the script kept running")
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
	e := NewEngine()
	s, err := e.Load([]byte("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end"))
	if err != nil {
		b.Fatal(err.Msg)
	}
	keys, args := [][]byte{[]byte("lock:1")}, [][]byte{[]byte("token")}
	w := resp.NewWriter()
	b.ReportAllocs()
	for b.Loop() {
		w.Reset()
		if err := e.Run(s, lockHost{}, keys, args, w); err != nil {
			b.Fatal(err.Msg)
		}
	}
	if string(w.Bytes()) != ":1\r\n" {
		b.Fatalf("reply %q", w.Bytes())
	}
}
