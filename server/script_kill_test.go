package server

import (
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// SCRIPT KILL finds the running script's host, but the script may end and
// its pooled host serve another EVAL before the kill takes the host's lock:
// the kill then leaves the new script alone (and -race sees no unguarded
// access to the host's kill state).
func TestScriptKillRacesWithHostReuse(t *testing.T) {
	s := startTestServer(t)
	var stop atomic.Bool
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := dialRaw(t, s)
			for !stop.Load() {
				// long enough to be listed where SCRIPT KILL finds it
				got := c.Do("EVAL", "for i = 1, 20000 do end return 1", "0")
				if got != ":1\r\n" && !strings.Contains(got, "killed") {
					t.Errorf("EVAL: %q", got)
					return
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		c := dialRaw(t, s)
		for !stop.Load() {
			c.Do("SCRIPT", "KILL")
		}
	}()
	time.Sleep(3 * time.Second)
	stop.Store(true)
	wg.Wait()
}

// SCRIPT KILL stops only EVAL scripts and FUNCTION KILL only functions;
// each answers the other kind with the BUSY error naming the right kill,
// but a script that wrote is UNKILLABLE to both first. Replies from Redis
// 7.0.15.
func TestKillCommandsNameTheRunningKind(t *testing.T) {
	const loop = "local function ms() local n = redis.call('TIME') return n[1]*1000 + n[2]/1000 end " +
		"local s = ms() while ms() - s < 400 do end return 1"
	const (
		busyEval = "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n"
		busyFunc = "-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.\r\n"
		unkill   = "-UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.\r\n"
	)
	s := startTestServer(t)
	c, k := dialRaw(t, s), dialRaw(t, s)
	k.Do("CONFIG", "SET", "busy-reply-threshold", "20")
	k.Do("FUNCTION", "LOAD", "#!lua name=kl\nredis.register_function('loop', function() "+loop+" end)")
	for _, tc := range []struct {
		name       string
		run        []string
		kills      []replyCase
		wantPrefix string
	}{
		{"function", []string{"FCALL", "loop", "0"},
			[]replyCase{{[]string{"SCRIPT", "KILL"}, busyFunc}, {[]string{"FUNCTION", "KILL"}, "+OK\r\n"}},
			"-ERR Script killed by user with SCRIPT KILL... script: loop, on @user_function:2."},
		{"eval", []string{"EVAL", loop, "0"},
			[]replyCase{{[]string{"FUNCTION", "KILL"}, busyEval}, {[]string{"SCRIPT", "KILL"}, "+OK\r\n"}},
			"-ERR Script killed by user with SCRIPT KILL..."},
		{"eval-that-wrote", []string{"EVAL", "redis.call('set','w','1') " + loop, "0"},
			[]replyCase{{[]string{"FUNCTION", "KILL"}, unkill}, {[]string{"SCRIPT", "KILL"}, unkill}},
			":1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.Send(encode(tc.run...))
			for end := time.Now().Add(2 * time.Second); !strings.HasPrefix(k.Do("PING"), "-BUSY"); time.Sleep(time.Millisecond) {
				if time.Now().After(end) {
					t.Fatal("the script never got past busy-reply-threshold")
				}
			}
			runCases(t, k, tc.kills)
			if got := c.Read(); !strings.HasPrefix(got, tc.wantPrefix) {
				t.Fatalf("%s replied %q, want %s...", tc.run[0], got, tc.wantPrefix)
			}
		})
	}
}
