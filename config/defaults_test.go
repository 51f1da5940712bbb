package config

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// TestDefaultsMatchRedis compares every directive's default with CONFIG GET *
// of a Redis 7.0.15 started with only --port (testdata), so no directive is
// missing, extra or different.
func TestDefaultsMatchRedis(t *testing.T) {
	f, err := os.Open("testdata/redis-7.0.15-config-get.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// Where Petrel differs on purpose, or the value depends on how the
	// reference was started.
	differs := map[string]string{
		"bind": "127.0.0.1 -::1", // loopback only without a config file
		"port": "6379",
		"dir":  "",
	}
	c := Defaults()
	want := make(map[string]bool)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, val, _ := strings.Cut(sc.Text(), "\t")
		want[name] = true
		if v, ok := differs[name]; ok {
			if v == "" {
				continue
			}
			val = v
		}
		got, ok := c.Get(name)
		if !ok {
			t.Errorf("%s: missing", name)
			continue
		}
		if got != val {
			t.Errorf("%s: default %q, Redis has %q", name, got, val)
		}
	}
	for _, p := range c.Match([]string{"*"}) {
		if !want[p.Name] {
			t.Errorf("%s: CONFIG GET * shows it, Redis does not", p.Name)
		}
	}
}

// TestSetRepliesMatchRedis replays CONFIG SET with three bad-ish values on
// every directive against the replies a Redis 7.0.15 gave (testdata), which
// pins each directive's type, bounds, enum list and mutability.
func TestSetRepliesMatchRedis(t *testing.T) {
	f, err := os.Open("testdata/redis-7.0.15-config-set.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c := Defaults()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		f := strings.SplitN(sc.Text(), "\t", 3)
		name, val, want := f[0], f[1], f[2]
		got := c.Set([]Pair{{name, val}}, false, nil)
		if got == "" {
			got = "+OK"
		} else {
			got = "-" + got
		}
		if got != want {
			t.Errorf("CONFIG SET %s %s:\n got %s\nwant %s", name, val, got, want)
		}
		n++
	}
	if n < 500 {
		t.Errorf("only %d cases", n)
	}
}

// What CONFIG SET leaves behind where Redis's apply functions adjust the
// value: repl-backlog-size is raised to 16 KiB, and an empty
// client-output-buffer-limit is no arguments, a change to nothing.
// Observed on Redis 7.0.15.
func TestSetStoresWhatRedisApplies(t *testing.T) {
	for _, tc := range []struct{ name, value, want string }{
		{"repl-backlog-size", "100", "16384"},
		{"repl-backlog-size", "16383", "16384"},
		{"repl-backlog-size", "16385", "16385"},
		{"repl-backlog-size", "1mb", "1048576"},
		{"client-output-buffer-limit", "", "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"},
		{"client-output-buffer-limit", "pubsub 1 2 3", "normal 0 0 0 slave 268435456 67108864 60 pubsub 1 2 3"},
	} {
		c := Defaults()
		if msg := c.Set([]Pair{{tc.name, tc.value}}, false, nil); msg != "" {
			t.Errorf("CONFIG SET %s %q: %s", tc.name, tc.value, msg)
			continue
		}
		if got := get(t, c, tc.name); got != tc.want {
			t.Errorf("CONFIG SET %s %q: CONFIG GET gives %q, want %q", tc.name, tc.value, got, tc.want)
		}
	}
}

// The config file's repl-backlog-size stays as written, as in Redis, which
// raises it only when CONFIG SET applies it.
func TestLoadKeepsASmallReplBacklogSize(t *testing.T) {
	c := mustLoad(t, LoadOptions{Stdin: strings.NewReader("repl-backlog-size 100\n"), NoEnv: true}).Config
	if got := get(t, c, "repl-backlog-size"); got != "100" {
		t.Errorf("repl-backlog-size 100 in the file: CONFIG GET gives %q", got)
	}
}

// proc-title-template is checked as Redis expands it with an empty title:
// a known variable or {{ after each {, a lone } kept, something besides
// spaces left. Replies from Redis 7.0.15 (no unix socket, no config file).
func TestProcTitleTemplateIsCheckedAsRedisExpandsIt(t *testing.T) {
	const invalid = "ERR CONFIG SET failed (possibly related to argument 'proc-title-template') - template format is invalid or contains unknown variables"
	for _, tc := range []struct{ value, want string }{
		{"{title}", invalid},
		{"  ", invalid},
		{"{title} {server-mode}", invalid},
		{"{unixsocket}", invalid},
		{"{config-file}", ""},
		{"{port}", ""},
		{"{tls-port}", ""},
		{"{{x}}", ""},
		{"{title", invalid},
		{"}", ""},
		{"}}", ""},
		{"{}", invalid},
		{"{{title}}", ""},
		{"{", invalid},
		{"a{", invalid},
		{"{{", ""},
		{" {title} ", invalid},
		{"{title} {listen-addr} {server-mode}", ""},
	} {
		if got := Defaults().Set([]Pair{{"proc-title-template", tc.value}}, false, nil); got != tc.want {
			t.Errorf("CONFIG SET proc-title-template %q:\n got %q\nwant %q", tc.value, got, tc.want)
		}
	}
}

// Redis reads notify-keyspace-events' classes as a C string: a NUL ends
// them (CONFIG SET notify-keyspace-events "KE\0x" is KE).
func TestKeyspaceEventClassesEndAtANul(t *testing.T) {
	c := Defaults()
	if msg := c.Set([]Pair{{"notify-keyspace-events", "KE\x00x"}}, false, nil); msg != "" {
		t.Fatalf("CONFIG SET: %s", msg)
	}
	if got := get(t, c, "notify-keyspace-events"); got != "KE" {
		t.Errorf("CONFIG GET: %q, want KE", got)
	}
}
