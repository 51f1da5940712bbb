package server

import (
	"strings"
	"testing"
	"time"
)

// A command that came before the script passed busy-reply-threshold and
// waits for a key the script holds is refused with -BUSY once the script
// passes it, as Redis refuses the commands it read meanwhile: it does not
// wait for the script's end. Once the script is gone, the key serves
// again.
func TestCommandsWaitingForABusyScriptsKeysAreRefused(t *testing.T) {
	const (
		loop = "local function ms() local n = redis.call('TIME') return n[1]*1000 + n[2]/1000 end " +
			"redis.call('GET', KEYS[1]) local s = ms() while ms() - s < 10000 do end return 1"
		busy = "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n"
	)
	s := startTestServer(t)
	script, getter, execer, admin := dialRaw(t, s), dialRaw(t, s), dialRaw(t, s), dialRaw(t, s)
	admin.Do("SET", "held", "v")
	admin.Do("CONFIG", "SET", "busy-reply-threshold", "300")
	execer.Do("MULTI")
	execer.Do("SET", "held", "w")

	script.Send(encode("EVAL", loop, "1", "held"))
	for end := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		if _, ok := s.scripts.engine.Running(); ok {
			break
		}
		if time.Now().After(end) {
			t.Fatal("the script never started")
		}
	}
	if s.scripts.engine.Busy() {
		t.Log("the script was busy before the commands were sent: they were refused on arrival")
	}
	getter.Send(encode("GET", "held"))
	execer.Send(encode("EXEC"))
	if got := getter.Read(); got != busy {
		t.Errorf("GET: %q, want %q", got, busy)
	}
	want := "-EXECABORT Transaction discarded because of: " + strings.TrimPrefix(busy, "-")
	if got := execer.Read(); got != want {
		t.Errorf("EXEC: %q, want %q", got, want)
	}
	if _, ok := s.scripts.engine.Running(); !ok {
		t.Fatal("the script ended before the commands were refused")
	}

	runCases(t, admin, []replyCase{{[]string{"SCRIPT", "KILL"}, "+OK\r\n"}})
	if got := script.Read(); !strings.HasPrefix(got, "-ERR Script killed by user") {
		t.Fatalf("EVAL: %q", got)
	}
	runCases(t, getter, []replyCase{{[]string{"GET", "held"}, "$1\r\nv\r\n"}})
	// The refused EXEC ended the transaction.
	runCases(t, execer, []replyCase{{[]string{"EXEC"}, "-ERR EXEC without MULTI\r\n"}})
	// Each counts as a rejected call of its command and an error of its
	// kind, as in Redis.
	stats := admin.Do("INFO", "commandstats") + admin.Do("INFO", "errorstats")
	for _, want := range [][2]string{
		{"cmdstat_get:calls=2,", "rejected_calls=1,failed_calls=0"},  // the script's GET and the last
		{"cmdstat_exec:calls=1,", "rejected_calls=1,failed_calls=1"}, // EXEC without MULTI failed
		{"errorstat_BUSY:count=1", ""},
		{"errorstat_EXECABORT:count=1", ""},
	} {
		found := false
		for _, line := range strings.Split(stats, "\r\n") {
			if strings.HasPrefix(line, want[0]) && strings.HasSuffix(line, want[1]) {
				found = true
			}
		}
		if !found {
			t.Errorf("INFO has no line %s...%s:\n%s", want[0], want[1], stats)
		}
	}
}

// WATCH, UNWATCH and DISCARD are allow-busy: Redis answers them while a
// script is busy, even for a key the script holds. UNWATCH and DISCARD
// forget the watched keys as in Redis. A key WATCHed while a busy script
// holds its shard cannot be registered then, so Petrel takes it as
// written: the EXEC after it fails. (Redis registers it, and its EXEC
// fails only if the script writes the key afterwards: a safe difference,
// the client retries; before, the WATCH waited for the script's end.)
func TestWatchFamilyAnswersWhileAScriptIsBusy(t *testing.T) {
	const loop = "local function ms() local n = redis.call('TIME') return n[1]*1000 + n[2]/1000 end " +
		"redis.call('GET', KEYS[1]) local s = ms() while ms() - s < 10000 do end return 1"
	s := startTestServer(t)
	script, unwatcher, discarder, watcher, admin := dialRaw(t, s), dialRaw(t, s), dialRaw(t, s), dialRaw(t, s), dialRaw(t, s)
	admin.Do("SET", "held", "v")
	admin.Do("CONFIG", "SET", "busy-reply-threshold", "100")
	runCases(t, unwatcher, []replyCase{{[]string{"WATCH", "held"}, "+OK\r\n"}})
	runCases(t, discarder, []replyCase{{[]string{"WATCH", "held"}, "+OK\r\n"}, {[]string{"MULTI"}, "+OK\r\n"}})

	script.Send(encode("EVAL", loop, "1", "held"))
	for end := time.Now().Add(5 * time.Second); !strings.HasPrefix(admin.Do("PING"), "-BUSY"); time.Sleep(time.Millisecond) {
		if time.Now().After(end) {
			t.Fatal("the script never got busy")
		}
	}
	runCases(t, unwatcher, []replyCase{{[]string{"UNWATCH"}, "+OK\r\n"}})
	runCases(t, discarder, []replyCase{{[]string{"DISCARD"}, "+OK\r\n"}})
	runCases(t, watcher, []replyCase{{[]string{"WATCH", "held", "other"}, "+OK\r\n"}})
	runCases(t, admin, []replyCase{{[]string{"SCRIPT", "KILL"}, "+OK\r\n"}})
	if got := script.Read(); !strings.HasPrefix(got, "-ERR Script killed by user") {
		t.Fatalf("EVAL: %q", got)
	}

	tx := func(want string) []replyCase {
		return []replyCase{
			{[]string{"MULTI"}, "+OK\r\n"},
			{[]string{"SET", "held", "w"}, "+QUEUED\r\n"},
			{[]string{"EXEC"}, want},
		}
	}
	// The watches forgotten during the script leave nothing behind.
	runCases(t, unwatcher, tx("*1\r\n+OK\r\n"))
	runCases(t, discarder, tx("*1\r\n+OK\r\n"))
	runCases(t, watcher, tx("*-1\r\n"))
	// And once the script is gone, WATCH registers as ever.
	runCases(t, watcher, []replyCase{{[]string{"WATCH", "held"}, "+OK\r\n"}})
	runCases(t, admin, []replyCase{{[]string{"SET", "held", "x"}, "+OK\r\n"}})
	runCases(t, watcher, tx("*-1\r\n"))
	runCases(t, watcher, append([]replyCase{{[]string{"WATCH", "held"}, "+OK\r\n"}}, tx("*1\r\n+OK\r\n")...))
}
