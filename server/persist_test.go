package server

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"petrel/config"
	"petrel/persistence/rdb"
)

func withDebug(c *config.Config) { c.EnableDebugCommand = "yes" }

// infoField returns one field of INFO persistence.
func infoField(t *testing.T, c *rawClient, name string) string {
	t.Helper()
	for _, ln := range strings.Split(c.Do("INFO", "persistence"), "\r\n") {
		if v, ok := strings.CutPrefix(ln, name+":"); ok {
			return v
		}
	}
	t.Fatalf("INFO has no %s", name)
	return ""
}

// waitInfo waits until INFO persistence's field has the value.
func waitInfo(t *testing.T, c *rawClient, name, want string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for infoField(t, c, name) != want {
		if time.Now().After(deadline) {
			t.Fatalf("%s stayed %s, want %s", name, infoField(t, c, name), want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// fillAllTypes writes every type, compact and big encodings, in two
// databases, with TTLs.
func fillAllTypes(t *testing.T, c *rawClient) {
	t.Helper()
	big := strings.Repeat("abcdefgh", 1000) // compressible
	cmds := [][]string{
		{"SET", "str", "hello"}, {"SET", "int", "12345"}, {"SET", "big", big},
		{"SET", "ttl", "v", "PX", "600000"},
		{"RPUSH", "list", "a", "b", "1"}, {"SADD", "intset", "1", "2", "3"}, {"SADD", "set", "x", "y"},
		{"HSET", "hash", "f", "v", "n", "1"}, {"ZADD", "zset", "1", "a", "2.5", "b"},
		{"XADD", "stream", "1-1", "f", "v"}, {"PFADD", "hll", "a", "b"},
		{"SELECT", "2"}, {"SET", "db2", "yes"}, {"EXPIRE", "db2", "1000"}, {"SELECT", "0"},
	}
	for _, cmd := range cmds {
		if r := c.Do(cmd...); strings.HasPrefix(r, "-") {
			t.Fatalf("%q: %q", cmd, r)
		}
	}
	for i := 0; i < 300; i++ { // past every listpack threshold
		n := strconv.Itoa(i)
		c.Do("RPUSH", "biglist", n+big[:20])
		c.Do("SADD", "bigset", "m"+n)
		c.Do("HSET", "bighash", "f"+n, n)
		c.Do("ZADD", "bigzset", n, "m"+n)
	}
}

func TestSaveBgsaveLastsaveReplies(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"SET", "k", "v"}, "+OK\r\n"},
		{[]string{"SAVE"}, "+OK\r\n"},
		{[]string{"SAVE", "x"}, "-ERR wrong number of arguments for 'save' command\r\n"},
		{[]string{"BGSAVE", "x"}, "-ERR syntax error\r\n"},
		{[]string{"BGSAVE", "schedule", "x"}, "-ERR syntax error\r\n"},
		{[]string{"BGSAVE"}, "+Background saving started\r\n"},
	})
	waitInfo(t, c, "rdb_bgsave_in_progress", "0")
	runCases(t, c, []replyCase{
		{[]string{"MULTI"}, "+OK\r\n"},
		{[]string{"SAVE"}, "-ERR Command not allowed inside a transaction\r\n"},
		{[]string{"DISCARD"}, "+OK\r\n"},
		{[]string{"MULTI"}, "+OK\r\n"},
		{[]string{"BGSAVE"}, "+QUEUED\r\n"},
		{[]string{"EXEC"}, "*1\r\n+Background saving scheduled\r\n"},
	})
	waitInfo(t, c, "rdb_saves", "3") // the cron starts the scheduled one
	waitInfo(t, c, "rdb_bgsave_in_progress", "0")
	if got := c.Do("LASTSAVE"); got != ":"+strconv.FormatInt(s.stats.lastSave.Load(), 10)+"\r\n" {
		t.Errorf("LASTSAVE %q", got)
	}
	for name, want := range map[string]string{"rdb_changes_since_last_save": "0", "rdb_last_bgsave_status": "ok",
		"rdb_last_bgsave_time_sec": "0", "rdb_current_bgsave_time_sec": "-1"} {
		if got := infoField(t, c, name); got != want {
			t.Errorf("%s:%s, want %s", name, got, want)
		}
	}
	if _, err := os.Stat(filepath.Join(s.cfg.Dir, "dump.rdb")); err != nil {
		t.Error(err)
	}
	if m, _ := filepath.Glob(filepath.Join(s.cfg.Dir, "temp-*.rdb")); len(m) != 0 {
		t.Errorf("temp files left: %v", m)
	}
}

func TestBgsaveInProgressRefusesOtherSaves(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"SET", "k", "v"}, "+OK\r\n"},
		{[]string{"CONFIG", "SET", "rdb-key-save-delay", "20000"}, "+OK\r\n"}, // 20 ms a shard
		{[]string{"BGSAVE"}, "+Background saving started\r\n"},
		{[]string{"BGSAVE"}, "-ERR Background save already in progress\r\n"},
		{[]string{"BGSAVE", "SCHEDULE"}, "-ERR Background save already in progress\r\n"},
		{[]string{"SAVE"}, "-ERR Background save already in progress\r\n"},
		{[]string{"SET", "k", "changed"}, "+OK\r\n"}, // writers keep going
	})
	if got := infoField(t, c, "rdb_bgsave_in_progress"); got != "1" {
		t.Errorf("rdb_bgsave_in_progress:%s", got)
	}
	if got := infoField(t, c, "rdb_current_bgsave_time_sec"); got == "-1" {
		t.Errorf("rdb_current_bgsave_time_sec:%s", got)
	}
	s.killBackgroundSave(true)
	if got := infoField(t, c, "rdb_last_bgsave_status"); got != "ok" {
		t.Errorf("a killed save is no failure: %s", got)
	}
	if m, _ := filepath.Glob(filepath.Join(s.cfg.Dir, "*.rdb")); len(m) != 0 {
		t.Errorf("a killed save left files: %v", m)
	}
}

func TestFailedBgsaveDeniesWritesWithMisconf(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "missing")
	s := startTestServer(t, func(c *config.Config) { c.Dir = dir })
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"SET", "k", "v"}, "+OK\r\n"},
		{[]string{"SAVE"}, "-ERR\r\n"},
		{[]string{"SET", "k", "v"}, "+OK\r\n"}, // a failed SAVE does not deny writes
		{[]string{"FUNCTION", "LOAD", "#!lua name=l\nredis.register_function('w', function() return 1 end)\n" +
			"redis.register_function{function_name='r', callback=function() return redis.call('get','k') end, flags={'no-writes'}}"}, "$1\r\nl\r\n"},
		{[]string{"BGSAVE"}, "+Background saving started\r\n"},
	})
	waitInfo(t, c, "rdb_last_bgsave_status", "err")
	misconf := "-" + errMisconf + "\r\n"
	runCases(t, c, []replyCase{
		{[]string{"CONFIG", "RESETSTAT"}, "+OK\r\n"},
		{[]string{"SET", "k", "v"}, misconf},
		{[]string{"PING"}, misconf},
		{[]string{"GET", "k"}, "$1\r\nv\r\n"},
		// Scripts as Redis judges them: one without a shebang runs, and
		// only its write calls fail; a shebang script or a function that
		// does not declare no-writes is refused before it starts.
		{[]string{"EVAL", "return redis.call('get','k')", "0"}, "$1\r\nv\r\n"},
		{[]string{"EVAL", "return redis.call('set','k','w')", "0"}, "-" + errMisconf + " script: 7822ea6ad7bd20a3f95a07458fc7088142fcfc19, on @user_script:1.\r\n"},
		{[]string{"EVAL", "return redis.pcall('set','k','w')", "0"}, misconf},
		{[]string{"EVAL", "return redis.call('publish','c','m')", "0"}, ":0\r\n"},
		{[]string{"EVAL", "#!lua\nreturn 1", "0"}, misconf},
		{[]string{"EVAL", "#!lua flags=no-writes\nreturn redis.call('get','k')", "0"}, "$1\r\nv\r\n"},
		{[]string{"FCALL", "w", "0"}, misconf},
		{[]string{"FCALL", "r", "0"}, "$1\r\nv\r\n"},
		{[]string{"FCALL_RO", "r", "0"}, "$1\r\nv\r\n"},
		{[]string{"FUNCTION", "DELETE", "l"}, misconf},
		{[]string{"INFO", "errorstats"}, "$41\r\n# Errorstats\r\nerrorstat_MISCONF:count=7\r\n\r\n"},
		{[]string{"MULTI"}, "+OK\r\n"},
		{[]string{"DEL", "k"}, "-" + errMisconf + "\r\n"},
		{[]string{"EXEC"}, "-EXECABORT Transaction discarded because of previous errors.\r\n"},
		{[]string{"CONFIG", "SET", "stop-writes-on-bgsave-error", "no"}, "+OK\r\n"},
		{[]string{"SET", "k", "w"}, "+OK\r\n"},
		{[]string{"CONFIG", "SET", "stop-writes-on-bgsave-error", "yes"}, "+OK\r\n"},
		{[]string{"CONFIG", "SET", "save", ""}, "+OK\r\n"}, // no save points: writes allowed
		{[]string{"SET", "k", "x"}, "+OK\r\n"},
	})
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	runCases(t, c, []replyCase{
		{[]string{"CONFIG", "SET", "save", "3600 1"}, "+OK\r\n"},
		{[]string{"SET", "k", "v"}, "-" + errMisconf + "\r\n"},
		{[]string{"SAVE"}, "+OK\r\n"}, // a good save clears the error
		{[]string{"SET", "k", "v"}, "+OK\r\n"},
	})
}

func TestSaveAndLoadKeepEveryTypeAndSkipExpiredKeys(t *testing.T) {
	for _, compress := range []string{"yes", "no"} {
		t.Run("rdbcompression "+compress, func(t *testing.T) {
			dir := t.TempDir()
			// No active expiry here, so the short-lived key is still in the
			// file however long filling and saving take (-race, loaded CI).
			s := startTestServer(t, withDebug, func(c *config.Config) { c.Dir = dir; c.ActiveExpireEnabled = false })
			c := dialRaw(t, s)
			c.Do("CONFIG", "SET", "rdbcompression", compress)
			fillAllTypes(t, c)
			c.Do("SET", "soon", "gone", "PX", "30")
			runCases(t, c, []replyCase{{[]string{"SAVE"}, "+OK\r\n"}})
			time.Sleep(50 * time.Millisecond)
			s2 := startTestServer(t, withDebug, func(c *config.Config) { c.Dir = dir })
			if err := s2.LoadRDB(s2.RDBPath()); err != nil {
				t.Fatal(err)
			}
			c2 := dialRaw(t, s2)
			if got := c2.Do("EXISTS", "soon"); got != ":0\r\n" {
				t.Errorf("expired key loaded: %q", got)
			}
			if got := infoField(t, c2, "rdb_last_load_keys_expired"); got != "1" {
				t.Errorf("rdb_last_load_keys_expired:%s", got)
			}
			c2.Do("SET", "soon", "gone", "PX", "100000") // put it back to compare digests
			c.Do("SET", "soon", "gone", "PX", "100000")
			if d1, d2 := c.Do("DEBUG", "DIGEST"), c2.Do("DEBUG", "DIGEST"); d1 != d2 {
				t.Errorf("digests differ: %q %q", d1, d2)
			}
			for _, cmd := range [][]string{{"OBJECT", "ENCODING", "intset"}, {"OBJECT", "ENCODING", "bighash"},
				{"OBJECT", "ENCODING", "zset"}, {"LRANGE", "list", "0", "-1"}, {"PTTL", "ttl"}} {
				if a, b := c.Do(cmd...), c2.Do(cmd...); a != b && cmd[0] != "PTTL" {
					t.Errorf("%q: %q vs %q", cmd, a, b)
				}
			}
			if got := c2.Do("PTTL", "ttl"); !strings.HasPrefix(got, ":5") {
				t.Errorf("TTL lost: %q", got)
			}
		})
	}
}

func TestLoadRefusesTruncatedAndCorruptFiles(t *testing.T) {
	dir := t.TempDir()
	s := startTestServer(t, func(c *config.Config) { c.Dir = dir })
	c := dialRaw(t, s)
	fillAllTypes(t, c)
	runCases(t, c, []replyCase{{[]string{"SAVE"}, "+OK\r\n"}})
	good, err := os.ReadFile(s.RDBPath())
	if err != nil {
		t.Fatal(err)
	}
	flipped := bytes.Clone(good)
	flipped[len(flipped)-20] ^= 0xff
	for name, data := range map[string][]byte{
		"truncated": good[:len(good)/2], "header only": good[:9], "checksum": flipped,
		"empty": {}, "bad magic": []byte("REDIX0010\xff"),
	} {
		path := filepath.Join(dir, name+".rdb")
		os.WriteFile(path, data, 0o644)
		s2 := startTestServer(t)
		if err := s2.LoadRDB(path); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
	if err := s.LoadRDB(filepath.Join(dir, "none.rdb")); err != nil {
		t.Errorf("a missing file is no error: %v", err)
	}
}

func TestDebugReload(t *testing.T) {
	s := startTestServer(t, withDebug)
	c := dialRaw(t, s)
	fillAllTypes(t, c)
	digest := c.Do("DEBUG", "DIGEST")
	runCases(t, c, []replyCase{
		{[]string{"DEBUG", "RELOAD", "foo"}, "-ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.\r\n"},
		{[]string{"DEBUG", "RELOAD"}, "+OK\r\n"},
		{[]string{"DEBUG", "DIGEST"}, digest},
		{[]string{"SET", "extra", "1"}, "+OK\r\n"},
		{[]string{"DEBUG", "RELOAD", "NOSAVE"}, "+OK\r\n"}, // the file has no "extra"
		{[]string{"EXISTS", "extra"}, ":0\r\n"},
		{[]string{"SET", "str", "changed"}, "+OK\r\n"},
		{[]string{"DEBUG", "RELOAD", "NOSAVE", "NOFLUSH", "MERGE"}, "+OK\r\n"},
		{[]string{"GET", "str"}, "$5\r\nhello\r\n"},
		{[]string{"DEBUG", "RELOAD", "NOSAVE", "NOFLUSH"}, "-ERR Error trying to load the RDB dump\r\n"}, // duplicates
	})
	os.Remove(s.RDBPath())
	runCases(t, c, []replyCase{
		{[]string{"DEBUG", "RELOAD", "NOSAVE"}, "-ERR Error trying to load the RDB dump\r\n"},
	})
}

func TestSavePointFiresFromCron(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"CONFIG", "SET", "save", "3600 1 1 2"}, "+OK\r\n"},
		{[]string{"SET", "a", "1"}, "+OK\r\n"},
	})
	time.Sleep(300 * time.Millisecond)
	if got := infoField(t, c, "rdb_saves"); got != "0" {
		t.Fatalf("saved below the change count: rdb_saves:%s", got)
	}
	c.Do("SET", "b", "1")
	waitInfo(t, c, "rdb_changes_since_last_save", "0")
	if _, err := os.Stat(s.RDBPath()); err != nil {
		t.Error(err)
	}
}

func TestSnapshotWithoutChecksumEndsInZeros(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	fillAllTypes(t, c)
	var buf bytes.Buffer
	if _, err := s.writeSnapshot(context.Background(), &buf, snapshotOpts{compress: true}); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if !bytes.Equal(b[len(b)-8:], make([]byte, 8)) || b[len(b)-9] != byte(rdb.OpEOF) {
		t.Fatalf("trailer % x", b[len(b)-9:])
	}
	n := 0
	if _, err := rdb.ReadFile(rdb.NewBytesReader(b, nil), rdb.FileHandler{Key: func(*rdb.Key) error { n++; return nil }}); err != nil || n != 16 {
		t.Errorf("read back: %d keys, %v", n, err)
	}
}

// As in Redis, whose start-up never enters the loading state without an RDB
// file, a server with nothing to load serves its first clients at once;
// with a file (or an AOF to load) they get -LOADING until the load ends.
func TestStartupMarksLoadingOnlyWithSomethingToLoad(t *testing.T) {
	dir := t.TempDir()
	s := startTestServer(t, func(c *config.Config) { c.Dir = dir })
	c := dialRaw(t, s)
	s.MarkLoading(false)
	runCases(t, c, []replyCase{{[]string{"PING"}, "+PONG\r\n"}})
	if err := s.LoadRDB(s.RDBPath()); err != nil {
		t.Fatal(err)
	}
	s.MarkLoading(true)
	runCases(t, c, []replyCase{{[]string{"PING"}, "-LOADING Redis is loading the dataset in memory\r\n"}})
	s.persist.loading.Store(false)
	runCases(t, c, []replyCase{{[]string{"SAVE"}, "+OK\r\n"}})
	s.MarkLoading(false)
	runCases(t, c, []replyCase{{[]string{"PING"}, "-LOADING Redis is loading the dataset in memory\r\n"}})
	if err := s.LoadRDB(filepath.Join(dir, "missing.rdb")); err != nil {
		t.Fatal(err)
	}
	runCases(t, c, []replyCase{{[]string{"PING"}, "+PONG\r\n"}}) // LoadRDB ends the state even without its file
}

func TestLoadingRefusesCommandsWithoutLoadingFlag(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	s.persist.loading.Store(true)
	runCases(t, c, []replyCase{
		{[]string{"GET", "k"}, "-LOADING Redis is loading the dataset in memory\r\n"},
		{[]string{"PING"}, "-LOADING Redis is loading the dataset in memory\r\n"},
		{[]string{"LASTSAVE"}, ":" + strconv.FormatInt(s.stats.lastSave.Load(), 10) + "\r\n"},
	})
	if got := infoField(t, c, "loading"); got != "1" {
		t.Errorf("loading:%s", got)
	}
	s.persist.loading.Store(false)
	runCases(t, c, []replyCase{{[]string{"GET", "k"}, "$-1\r\n"}})
}
