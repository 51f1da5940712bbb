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
