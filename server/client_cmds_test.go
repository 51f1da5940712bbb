package server

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestClientArgumentErrors(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	wrongPause := "-ERR unknown subcommand or wrong number of arguments for 'pause'. Try CLIENT HELP.\r\n"
	runCases(t, c, []replyCase{
		{[]string{"CLIENT"}, "-ERR wrong number of arguments for 'client' command\r\n"},
		{[]string{"CLIENT", "bogus"}, "-ERR unknown subcommand 'bogus'. Try CLIENT HELP.\r\n"},
		{[]string{"CLIENT", "id", "x"}, "-ERR wrong number of arguments for 'client|id' command\r\n"},
		{[]string{"CLIENT", "getname", "x"}, "-ERR wrong number of arguments for 'client|getname' command\r\n"},
		{[]string{"CLIENT", "setname"}, "-ERR wrong number of arguments for 'client|setname' command\r\n"},
		{[]string{"CLIENT", "kill"}, "-ERR wrong number of arguments for 'client|kill' command\r\n"},
		{[]string{"CLIENT", "no-evict"}, "-ERR wrong number of arguments for 'client|no-evict' command\r\n"},
		{[]string{"CLIENT", "no-evict", "maybe"}, "-ERR syntax error\r\n"},
		{[]string{"CLIENT", "no-evict", "on"}, "+OK\r\n"},
		{[]string{"CLIENT", "no-evict", "OFF"}, "+OK\r\n"},
		{[]string{"CLIENT", "reply"}, "-ERR wrong number of arguments for 'client|reply' command\r\n"},
		{[]string{"CLIENT", "reply", "maybe"}, "-ERR syntax error\r\n"},
		{[]string{"CLIENT", "pause"}, "-ERR wrong number of arguments for 'client|pause' command\r\n"},
		{[]string{"CLIENT", "pause", "x"}, "-ERR timeout is not an integer or out of range\r\n"},
		{[]string{"CLIENT", "pause", "-1"}, "-ERR timeout is negative\r\n"},
		{[]string{"CLIENT", "pause", "10", "bogus"}, "-ERR CLIENT PAUSE mode must be WRITE or ALL\r\n"},
		{[]string{"CLIENT", "pause", "x", "bogus"}, "-ERR CLIENT PAUSE mode must be WRITE or ALL\r\n"},
		{[]string{"CLIENT", "pause", "1", "write", "extra"}, wrongPause},
		{[]string{"CLIENT", "unpause"}, "+OK\r\n"},
		{[]string{"CLIENT", "unblock"}, "-ERR wrong number of arguments for 'client|unblock' command\r\n"},
		{[]string{"CLIENT", "unblock", "x"}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"CLIENT", "unblock", "5"}, ":0\r\n"},
		{[]string{"CLIENT", "unblock", "5", "bogus"}, "-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n"},
		{[]string{"CLIENT", "unblock", "x", "bogus"}, "-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n"},
		{[]string{"CLIENT", "unblock", "5", "timeout"}, ":0\r\n"},
		{[]string{"CLIENT", "unblock", "5", "ERROR"}, ":0\r\n"},
		{[]string{"CLIENT", "unblock", "5", "a", "b"}, "-ERR unknown subcommand or wrong number of arguments for 'unblock'. Try CLIENT HELP.\r\n"},
		{[]string{"CLIENT", "list", "type", "bogus"}, "-ERR Unknown client type 'bogus'\r\n"},
		{[]string{"CLIENT", "list", "type"}, "-ERR syntax error\r\n"},
		{[]string{"CLIENT", "list", "id", "abc"}, "-ERR Invalid client ID\r\n"},
		{[]string{"CLIENT", "list", "id"}, "-ERR syntax error\r\n"},
		{[]string{"CLIENT", "list", "bogus"}, "-ERR syntax error\r\n"},
		{[]string{"CLIENT", "list", "id", "0"}, "$0\r\n\r\n"},
		{[]string{"CLIENT", "list", "type", "master"}, "$0\r\n\r\n"},
		{[]string{"CLIENT", "list", "type", "replica"}, "$0\r\n\r\n"},
		{[]string{"CLIENT", "list", "type", "slave"}, "$0\r\n\r\n"},
		{[]string{"CLIENT", "list", "type", "pubsub"}, "$0\r\n\r\n"},
	})
}

func TestClientKillErrors(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"CLIENT", "kill", "1.2.3.4:5"}, "-ERR No such client\r\n"},
		{[]string{"CLIENT", "kill", "id"}, "-ERR No such client\r\n"},
		{[]string{"CLIENT", "kill", "id", "999"}, ":0\r\n"},
		{[]string{"CLIENT", "kill", "id", "abc"}, "-ERR client-id should be greater than 0\r\n"},
		{[]string{"CLIENT", "kill", "id", "0", "id", "1"}, "-ERR client-id should be greater than 0\r\n"},
		{[]string{"CLIENT", "kill", "type", "normal", "id", "x"}, "-ERR client-id should be greater than 0\r\n"},
		{[]string{"CLIENT", "kill", "bogus", "x"}, "-ERR syntax error\r\n"},
		{[]string{"CLIENT", "kill", "id", "1", "type"}, "-ERR syntax error\r\n"},
		{[]string{"CLIENT", "kill", "id", "1", "skipme"}, "-ERR syntax error\r\n"},
		{[]string{"CLIENT", "kill", "skipme", "maybe"}, "-ERR syntax error\r\n"},
		{[]string{"CLIENT", "kill", "maxage", "100000"}, "-ERR syntax error\r\n"},
		{[]string{"CLIENT", "kill", "type", "bogus"}, "-ERR Unknown client type 'bogus'\r\n"},
		{[]string{"CLIENT", "kill", "user", "nobody"}, "-ERR No such user 'nobody'\r\n"},
		{[]string{"CLIENT", "kill", "type", "normal", "skipme", "yes"}, ":0\r\n"},
		{[]string{"CLIENT", "kill", "user", "default", "skipme", "yes"}, ":0\r\n"},
		{[]string{"CLIENT", "kill", "addr", "1.1.1.1:1"}, ":0\r\n"},
		{[]string{"CLIENT", "kill", "laddr", "1.1.1.1:1"}, ":0\r\n"},
	})
}

func TestClientNameAndID(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	id := c.Do("CLIENT", "ID")
	if !regexp.MustCompile(`^:[1-9]\d*\r\n$`).MatchString(id) {
		t.Fatalf("CLIENT ID: %q", id)
	}
	runCases(t, c, []replyCase{
		{[]string{"CLIENT", "ID"}, id},
		{[]string{"CLIENT", "GETNAME"}, "$-1\r\n"},
		{[]string{"CLIENT", "SETNAME", "a b"}, "-ERR Client names cannot contain spaces, newlines or special characters.\r\n"},
		{[]string{"CLIENT", "SETNAME", "a\nb"}, "-ERR Client names cannot contain spaces, newlines or special characters.\r\n"},
		{[]string{"CLIENT", "SETNAME", "foo"}, "+OK\r\n"},
		{[]string{"CLIENT", "GETNAME"}, "$3\r\nfoo\r\n"},
		{[]string{"CLIENT", "SETNAME", ""}, "+OK\r\n"},
		{[]string{"CLIENT", "GETNAME"}, "$-1\r\n"},
	})
}

func TestClientSetinfo(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"CLIENT", "SETINFO", "lib-name"}, "-ERR wrong number of arguments for 'client|setinfo' command\r\n"},
		{[]string{"CLIENT", "SETINFO", "badger", "hamster"}, "-ERR Unrecognized option 'badger'\r\n"},
		{[]string{"CLIENT", "SETINFO", "lib-name", "redis py"}, "-ERR lib-name cannot contain spaces, newlines or special characters.\r\n"},
		{[]string{"CLIENT", "SETINFO", "LIB-VER", "1\n"}, "-ERR LIB-VER cannot contain spaces, newlines or special characters.\r\n"},
		{[]string{"CLIENT", "SETINFO", "lib-name", "redis-py"}, "+OK\r\n"},
		{[]string{"CLIENT", "SETINFO", "LIB-VER", "1.2.3"}, "+OK\r\n"},
	})
	if info := bulkBody(t, c.Do("CLIENT", "INFO")); strings.Contains(info, "lib-") {
		t.Errorf("CLIENT INFO shows lib fields, unlike Redis 7.0: %q", info)
	}
}

func TestClientTrackingOptionParsing(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	id := strings.TrimSuffix(strings.TrimPrefix(c.Do("CLIENT", "ID"), ":"), "\r\n")
	caching := "-ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled\r\n"
	runCases(t, c, []replyCase{
		{[]string{"CLIENT", "TRACKINGINFO"}, "*6\r\n$5\r\nflags\r\n*1\r\n$3\r\noff\r\n$8\r\nredirect\r\n:-1\r\n$8\r\nprefixes\r\n*0\r\n"},
		{[]string{"CLIENT", "GETREDIR"}, ":-1\r\n"},
		{[]string{"CLIENT", "CACHING", "yes"}, caching},
		{[]string{"CLIENT", "CACHING", "maybe"}, caching},
		{[]string{"CLIENT", "TRACKING"}, "-ERR wrong number of arguments for 'client|tracking' command\r\n"},
		{[]string{"CLIENT", "TRACKING", "off"}, "+OK\r\n"},
		{[]string{"CLIENT", "TRACKING", "OFF", "bcast"}, "+OK\r\n"},
		{[]string{"CLIENT", "TRACKING", "off", "prefix", "a", "optin", "optout", "noloop"}, "+OK\r\n"},
		{[]string{"CLIENT", "TRACKING", "off", "redirect", id}, "+OK\r\n"},
		{[]string{"CLIENT", "TRACKING", "maybe"}, "-ERR syntax error\r\n"},
		{[]string{"CLIENT", "TRACKING", "off", "bogus"}, "-ERR syntax error\r\n"},
		{[]string{"CLIENT", "TRACKING", "off", "prefix"}, "-ERR syntax error\r\n"},
		{[]string{"CLIENT", "TRACKING", "off", "redirect"}, "-ERR syntax error\r\n"},
		{[]string{"CLIENT", "TRACKING", "off", "redirect", "abc"}, "-ERR value is not an integer or out of range\r\n"},
		{[]string{"CLIENT", "TRACKING", "off", "redirect", "9999"}, "-ERR The client ID you want redirect to does not exist\r\n"},
		{[]string{"CLIENT", "TRACKING", "off", "redirect", id, "redirect", id}, "-ERR A client can only redirect to a single other client\r\n"},
		{[]string{"HELLO", "3"}, c.helloReply(t)},
		{[]string{"CLIENT", "TRACKINGINFO"}, "%3\r\n$5\r\nflags\r\n~1\r\n$3\r\noff\r\n$8\r\nredirect\r\n:-1\r\n$8\r\nprefixes\r\n*0\r\n"},
		{[]string{"CLIENT", "TRACKING", "on"}, "+OK\r\n"},
		{[]string{"CLIENT", "TRACKINGINFO"}, "%3\r\n$5\r\nflags\r\n~1\r\n$2\r\non\r\n$8\r\nredirect\r\n:0\r\n$8\r\nprefixes\r\n*0\r\n"},
		{[]string{"CLIENT", "CACHING", "maybe"}, "-ERR syntax error\r\n"}, // tracking on: the argument is checked
	})
}

func TestClientHelp(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	got := c.Do("CLIENT", "HELP")
	if !strings.HasPrefix(got, "*48\r\n+CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+CACHING (YES|NO)\r\n") ||
		!strings.Contains(got, "+TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]\r\n+         [OPTIN] [OPTOUT] [NOLOOP]\r\n") ||
		!strings.HasSuffix(got, "+NO-EVICT (ON|OFF)\r\n+    Protect current client connection from eviction.\r\n+HELP\r\n+    Prints this help.\r\n") {
		t.Errorf("CLIENT HELP: %q", got)
	}
}

// clientListFields is Redis 7.0.15's CLIENT LIST field order.
var clientListFields = strings.Fields("id addr laddr fd name age idle flags db sub psub ssub multi qbuf qbuf-free argv-mem multi-mem rbs rbp obl oll omem tot-mem events cmd user redir resp")

var clientListValues = map[string]string{
	"id": `[1-9]\d*`, "addr": `127\.0\.0\.1:\d+`, "laddr": `127\.0\.0\.1:\d+`, "fd": `\d+`, "name": `[!-~]*`,
	"age": `\d+`, "idle": `\d+`, "flags": `[OxbdAUeTN]+`, "db": `\d+`, "sub": `0`, "psub": `0`, "ssub": `0`,
	"multi": `-1|\d+`, "qbuf": `\d+`, "qbuf-free": `\d+`, "argv-mem": `\d+`, "multi-mem": `\d+`, "rbs": `\d+`,
	"rbp": `\d+`, "obl": `\d+`, "oll": `\d+`, "omem": `\d+`, "tot-mem": `\d+`, "events": `rw?`,
	"cmd": `NULL|[a-z-]+(\|[a-z-]+)?`, "user": `default`, "redir": `-1`, "resp": `[23]`,
}

// parseClientLine checks a CLIENT LIST line's fields and formats and
// returns its values.
func parseClientLine(t *testing.T, line string) map[string]string {
	t.Helper()
	parts := strings.Split(line, " ")
	if len(parts) != len(clientListFields) {
		t.Fatalf("CLIENT LIST line has %d fields, want %d: %q", len(parts), len(clientListFields), line)
	}
	v := map[string]string{}
	for i, p := range parts {
		k, val, _ := strings.Cut(p, "=")
		if k != clientListFields[i] {
			t.Fatalf("field %d is %q, want %q in %q", i, k, clientListFields[i], line)
		}
		if !regexp.MustCompile(`^(` + clientListValues[k] + `)$`).MatchString(val) {
			t.Errorf("%s=%s has the wrong format", k, val)
		}
		v[k] = val
	}
	return v
}

func clientLines(t *testing.T, raw string) []map[string]string {
	t.Helper()
	body := bulkBody(t, raw)
	if body == "" {
		return nil
	}
	if !strings.HasSuffix(body, "\n") {
		t.Fatalf("CLIENT LIST does not end with a newline: %q", body)
	}
	var out []map[string]string
	for _, l := range strings.Split(strings.TrimSuffix(body, "\n"), "\n") {
		out = append(out, parseClientLine(t, l))
	}
	return out
}

func TestClientListShowsEachClient(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	idle := dialRaw(t, s) // connected, never sent a command
	inMulti := dialRaw(t, s)
	mon := dialRaw(t, s)
	c.Do("CLIENT", "SETNAME", "me")
	c.Do("SELECT", "3")
	inMulti.Do("MULTI")
	inMulti.Do("GET", "a")
	mon.Do("MONITOR")
	_ = idle
	lines := clientLines(t, c.Do("CLIENT", "LIST"))
	if len(lines) != 4 {
		t.Fatalf("CLIENT LIST has %d clients, want 4", len(lines))
	}
	for i := 1; i < len(lines); i++ {
		a, _ := strconv.Atoi(lines[i-1]["id"])
		b, _ := strconv.Atoi(lines[i]["id"])
		if a >= b {
			t.Errorf("clients not in ID order: %d before %d", a, b)
		}
	}
	me, fresh, multi, monitor := lines[0], lines[1], lines[2], lines[3]
	for _, tc := range []struct {
		line       map[string]string
		field, val string
	}{
		{me, "name", "me"}, {me, "db", "3"}, {me, "flags", "N"}, {me, "cmd", "client|list"},
		{me, "multi", "-1"}, {me, "argv-mem", "10"}, {me, "qbuf", "26"},
		{fresh, "cmd", "NULL"}, {fresh, "db", "0"}, {fresh, "resp", "2"}, {fresh, "multi", "-1"},
		{multi, "flags", "x"}, {multi, "multi", "1"}, {multi, "multi-mem", "20"}, {multi, "cmd", "get"},
		{monitor, "flags", "O"}, {monitor, "cmd", "monitor"},
	} {
		if tc.line[tc.field] != tc.val {
			t.Errorf("client %s: %s=%s, want %s", tc.line["id"], tc.field, tc.line[tc.field], tc.val)
		}
	}
	// Filters: by type (everyone is normal, monitors included) and by ID.
	if n := len(clientLines(t, c.Do("CLIENT", "LIST", "TYPE", "normal"))); n != 4 {
		t.Errorf("CLIENT LIST TYPE normal: %d clients, want 4", n)
	}
	byID := clientLines(t, c.Do("CLIENT", "LIST", "ID", multi["id"], "999", me["id"], multi["id"]))
	if len(byID) != 3 || byID[0]["id"] != multi["id"] || byID[1]["id"] != me["id"] || byID[2]["id"] != multi["id"] {
		t.Errorf("CLIENT LIST ID: %v", byID)
	}
}

func TestClientInfoAndFlags(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	c.Do("CLIENT", "NO-EVICT", "on")
	c.Do("CLIENT", "NO-TOUCH", "on")
	info := clientLines(t, c.Do("CLIENT", "INFO"))
	if len(info) != 1 || info[0]["flags"] != "eT" || info[0]["cmd"] != "client|info" {
		t.Fatalf("CLIENT INFO: %v", info)
	}
	other := dialRaw(t, s)
	lines := clientLines(t, other.Do("CLIENT", "LIST", "ID", info[0]["id"]))
	if len(lines) != 1 || lines[0]["flags"] != "eT" {
		t.Errorf("another client sees %v", lines)
	}
	// RESET clears NO-TOUCH but, as in Redis 7.0, keeps NO-EVICT.
	c.Do("RESET")
	lines = clientLines(t, other.Do("CLIENT", "LIST", "ID", info[0]["id"]))
	if len(lines) != 1 || lines[0]["flags"] != "e" || lines[0]["cmd"] != "reset" {
		t.Errorf("after RESET: %v", lines)
	}
	runCases(t, c, []replyCase{
		{[]string{"CLIENT", "NO-TOUCH", "maybe"}, "-ERR syntax error\r\n"},
		{[]string{"CLIENT", "NO-TOUCH", "OFF"}, "+OK\r\n"},
		{[]string{"HELLO", "3"}, c.helloReply(t)},
	})
	raw := c.Do("CLIENT", "INFO")
	if !strings.HasPrefix(raw, "=") {
		t.Errorf("CLIENT INFO in RESP3 is not a verbatim string: %q", raw)
	}
	if l := clientLines(t, raw); l[0]["resp"] != "3" {
		t.Errorf("resp=%s after HELLO 3", l[0]["resp"])
	}
	if !strings.HasPrefix(c.Do("CLIENT", "LIST"), "=") {
		t.Errorf("CLIENT LIST in RESP3 is not a verbatim string")
	}
}

func TestClientKillOldFormKillsOnlyThatAddress(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	victim := dialRaw(t, s)
	victim.Do("PING")
	addr := victim.conn.LocalAddr().String()
	runCases(t, c, []replyCase{
		{[]string{"CLIENT", "KILL", addr}, "+OK\r\n"},
		{[]string{"CLIENT", "KILL", addr}, "-ERR No such client\r\n"},
	})
	// Gone from the list as soon as CLIENT KILL returns.
	if n := len(clientLines(t, c.Do("CLIENT", "LIST"))); n != 1 {
		t.Errorf("%d clients listed after the kill, want 1", n)
	}
	victim.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := victim.rd.ReadByte(); err == nil {
		t.Errorf("killed client's connection still open")
	}
}

func TestClientKillFilters(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	a := dialRaw(t, s)
	b := dialRaw(t, s)
	aID := strings.TrimSuffix(strings.TrimPrefix(a.Do("CLIENT", "ID"), ":"), "\r\n")
	b.Do("PING")
	runCases(t, c, []replyCase{
		{[]string{"CLIENT", "KILL", "ID", aID}, ":1\r\n"},
		{[]string{"CLIENT", "KILL", "ID", aID}, ":0\r\n"},
		{[]string{"CLIENT", "KILL", "ADDR", b.conn.LocalAddr().String(), "SKIPME", "no"}, ":1\r\n"},
		{[]string{"CLIENT", "KILL", "LADDR", s.Addr().String()}, ":0\r\n"}, // skips itself
	})
	d := dialRaw(t, s)
	d.Do("PING")
	runCases(t, c, []replyCase{{[]string{"CLIENT", "KILL", "LADDR", s.Addr().String()}, ":1\r\n"}})
}

func TestClientKillItselfRepliesThenCloses(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	c.Send(append(encode("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "no"), encode("PING")...))
	if got := c.Read(); got != ":1\r\n" {
		t.Fatalf("CLIENT KILL of itself: %q", got)
	}
	c.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if b, err := c.rd.ReadByte(); err == nil {
		t.Errorf("connection still open, read %q", b)
	}
	old := dialRaw(t, s)
	old.Send(append(encode("CLIENT", "KILL", old.conn.LocalAddr().String()), encode("PING")...))
	if got := old.Read(); got != "+OK\r\n" {
		t.Fatalf("old-form CLIENT KILL of itself: %q", got)
	}
	old.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := old.rd.ReadByte(); err == nil {
		t.Errorf("connection still open after old-form kill of itself")
	}
}

// The sequence and what Redis 7.0.15 sends for it.
func TestClientReplyModes(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	cmds := [][]string{
		{"CLIENT", "REPLY", "OFF"}, {"PING"}, {"CLIENT", "REPLY", "SKIP"}, {"NOSUCH"}, {"GET"},
		{"CLIENT", "REPLY", "ON"}, {"PING", "1"},
		{"CLIENT", "REPLY", "SKIP"}, {"PING", "2"}, {"PING", "3"},
		{"CLIENT", "REPLY", "SKIP"}, {"CLIENT", "REPLY", "SKIP"}, {"PING", "4"}, {"PING", "5"},
		{"CLIENT", "REPLY", "SKIP"}, {"CLIENT", "REPLY", "OFF"}, {"PING", "6"}, {"CLIENT", "REPLY", "ON"},
		{"CLIENT", "REPLY", "SKIP"}, {"CLIENT", "REPLY", "ON"}, {"PING", "7"},
		{"CLIENT", "REPLY", "SKIP"}, {"MULTI"}, {"PING", "8"}, {"EXEC"}, {"PING", "9"},
		// RESET ends REPLY OFF and replies, but its own reply is skipped
		{"CLIENT", "REPLY", "SKIP"}, {"RESET"}, {"PING", "10"},
		{"CLIENT", "REPLY", "OFF"}, {"RESET"}, {"PING", "11"},
	}
	expectPipelined(t, c, cmds, "+OK\r\n$1\r\n1\r\n$1\r\n3\r\n$1\r\n5\r\n+OK\r\n+OK\r\n$1\r\n7\r\n+QUEUED\r\n*1\r\n$1\r\n8\r\n$1\r\n9\r\n"+
		"$2\r\n10\r\n+RESET\r\n$2\r\n11\r\n")
}

// expectPipelined sends cmds in one write and checks that the replies,
// read as they come, are exactly want.
func expectPipelined(t *testing.T, c *rawClient, cmds [][]string, want string) {
	t.Helper()
	var b []byte
	for _, cmd := range cmds {
		b = append(b, encode(cmd...)...)
	}
	c.Send(b)
	var got strings.Builder
	for got.Len() < len(want) {
		got.WriteString(c.Read())
	}
	if got.String() != want {
		t.Errorf("replies %q, want %q", got.String(), want)
	}
}

// Subscribe confirmations are pushes, which CLIENT REPLY OFF and SKIP do
// not silence; errors and other replies stay silent. The sequence and
// what Redis 7.0.15 sends for it.
func TestClientReplyOffLetsSubscribeConfirmationsThrough(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	expectPipelined(t, c, [][]string{
		{"CLIENT", "REPLY", "OFF"}, {"SUBSCRIBE", "c"}, {"PSUBSCRIBE", "p*"}, {"SUBSCRIBE"}, {"UNSUBSCRIBE", "c"},
		{"PING"}, {"PUNSUBSCRIBE"}, {"UNSUBSCRIBE"}, {"CLIENT", "REPLY", "ON"}, {"PING"},
		{"CLIENT", "REPLY", "SKIP"}, {"SUBSCRIBE", "d"}, {"PING"},
	}, "*3\r\n$9\r\nsubscribe\r\n$1\r\nc\r\n:1\r\n*3\r\n$10\r\npsubscribe\r\n$2\r\np*\r\n:2\r\n"+
		"*3\r\n$11\r\nunsubscribe\r\n$1\r\nc\r\n:1\r\n*3\r\n$12\r\npunsubscribe\r\n$2\r\np*\r\n:0\r\n"+
		"*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n+OK\r\n+PONG\r\n"+
		"*3\r\n$9\r\nsubscribe\r\n$1\r\nd\r\n:1\r\n*2\r\n$4\r\npong\r\n$0\r\n\r\n")
}

func TestClientPauseWrite(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	writer := dialRaw(t, s)
	runCases(t, c, []replyCase{{[]string{"CLIENT", "PAUSE", "5000", "WRITE"}, "+OK\r\n"}})
	runCases(t, writer, []replyCase{{[]string{"GET", "a"}, "$-1\r\n"}})
	writer.Send(encode("SET", "a", "1"))
	// The writer waits, shown blocked on its command.
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, _, v := infoFields(bulkBody(t, c.Do("INFO", "clients")))
		if v["blocked_clients"] == "1" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("blocked_clients stays %s", v["blocked_clients"])
		}
		time.Sleep(10 * time.Millisecond)
	}
	for _, l := range clientLines(t, c.Do("CLIENT", "LIST")) {
		if l["flags"] == "b" && l["cmd"] != "set" {
			t.Errorf("blocked client shows cmd=%s", l["cmd"])
		}
	}
	runCases(t, c, []replyCase{
		{[]string{"GET", "a"}, "$-1\r\n"},
		{[]string{"CLIENT", "UNPAUSE"}, "+OK\r\n"},
	})
	if got := writer.Read(); got != "+OK\r\n" {
		t.Errorf("paused SET replied %q", got)
	}
	// Inside MULTI, reads queue at once; a write waits before it is even
	// queued, as redis-server 7.0.15 does.
	runCases(t, c, []replyCase{{[]string{"CLIENT", "PAUSE", "5000", "WRITE"}, "+OK\r\n"}})
	runCases(t, writer, []replyCase{
		{[]string{"MULTI"}, "+OK\r\n"},
		{[]string{"GET", "a"}, "+QUEUED\r\n"},
		{[]string{"EXEC"}, "*1\r\n$1\r\n1\r\n"},
		{[]string{"MULTI"}, "+OK\r\n"},
	})
	writer.Send(append(encode("SET", "a", "2"), encode("EXEC")...))
	time.Sleep(50 * time.Millisecond)
	runCases(t, c, []replyCase{
		{[]string{"GET", "a"}, "$1\r\n1\r\n"},
		{[]string{"CLIENT", "UNPAUSE"}, "+OK\r\n"},
	})
	if got := writer.Read(); got != "+QUEUED\r\n" {
		t.Errorf("paused SET in MULTI replied %q", got)
	}
	if got := writer.Read(); got != "*1\r\n+OK\r\n" {
		t.Errorf("paused EXEC replied %q", got)
	}
}

func TestClientPauseAllHoldsEveryCommand(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	other := dialRaw(t, s)
	runCases(t, c, []replyCase{{[]string{"CLIENT", "PAUSE", "300", "ALL"}, "+OK\r\n"}})
	start := time.Now()
	// Even CLIENT UNPAUSE waits for the pause to end, as in Redis.
	runCases(t, other, []replyCase{{[]string{"CLIENT", "UNPAUSE"}, "+OK\r\n"}})
	if d := time.Since(start); d < 250*time.Millisecond {
		t.Errorf("command ran %v into a 300ms ALL pause", d)
	}
	// A timeout so large the deadline overflows pauses nothing.
	runCases(t, c, []replyCase{
		{[]string{"CLIENT", "PAUSE", "9223372036854775807", "ALL"}, "+OK\r\n"},
		{[]string{"PING"}, "+PONG\r\n"},
	})
}

// waitBlockedClients polls INFO until n clients are blocked.
func waitBlockedClients(t *testing.T, c *rawClient, n string) map[string]string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, _, v := infoFields(bulkBody(t, c.Do("INFO", "clients")))
		if v["blocked_clients"] == n {
			return v
		}
		if time.Now().After(deadline) {
			t.Fatalf("blocked_clients stays %s, want %s", v["blocked_clients"], n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// unblockEachWay blocks blocked with command three times, and ends each
// wait with CLIENT UNBLOCK from c: plain and TIMEOUT, which give timedOut,
// then ERROR. It returns blocked's client ID.
func unblockEachWay(t *testing.T, c, blocked *rawClient, command []string, timedOut string) string {
	t.Helper()
	id := strings.TrimSuffix(strings.TrimPrefix(blocked.Do("CLIENT", "ID"), ":"), "\r\n")
	for _, tc := range []struct {
		mode []string
		want string
	}{
		{nil, timedOut},
		{[]string{"TIMEOUT"}, timedOut},
		{[]string{"ERROR"}, "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n"},
	} {
		blocked.Send(encode(command...))
		waitBlockedClients(t, c, "1")
		l := clientLines(t, c.Do("CLIENT", "LIST", "ID", id))
		if l[0]["flags"] != "b" || l[0]["cmd"] != strings.ToLower(command[0]) {
			t.Errorf("blocked client listed as flags=%s cmd=%s", l[0]["flags"], l[0]["cmd"])
		}
		runCases(t, c, []replyCase{{append([]string{"CLIENT", "UNBLOCK", id}, tc.mode...), ":1\r\n"}})
		if got := blocked.Read(); got != tc.want {
			t.Errorf("CLIENT UNBLOCK %q: blocked client got %q, want %q", tc.mode, got, tc.want)
		}
	}
	return id
}

func TestClientUnblock(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	blocked := dialRaw(t, s)
	id := unblockEachWay(t, c, blocked, []string{"BLPOP", "l", "0"}, "*-1\r\n")
	runCases(t, c, []replyCase{{[]string{"CLIENT", "UNBLOCK", id}, ":0\r\n"}})
	_, _, v := infoFields(bulkBody(t, c.Do("INFO", "errorstats")))
	if v["errorstat_UNBLOCKED"] != "count=1" {
		t.Errorf("errorstat_UNBLOCKED:%s", v["errorstat_UNBLOCKED"])
	}
	// A blocked client with a timeout is in the timeout table.
	blocked.Send(encode("BLPOP", "l", "100"))
	if v := waitBlockedClients(t, c, "1"); v["clients_in_timeout_table"] != "1" {
		t.Errorf("clients_in_timeout_table:%s with one BLPOP waiting 100s", v["clients_in_timeout_table"])
	}
	c.Do("CLIENT", "UNBLOCK", id)
	blocked.Read()
}

// A WRITE pause also holds the commands that may replicate without being
// writes, as Redis 7.0's: a script (whatever it runs), FCALL, PUBLISH and
// PFCOUNT; their read-only forms go on.
func TestClientPauseWriteHoldsWhatMayReplicate(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	other := dialRaw(t, s)
	for _, args := range [][]string{
		{"EVAL", "return 1", "0"},
		{"PUBLISH", "ch", "x"},
		{"PFCOUNT", "h"},
	} {
		runCases(t, c, []replyCase{{[]string{"CLIENT", "PAUSE", "5000", "WRITE"}, "+OK\r\n"}})
		runCases(t, other, []replyCase{{[]string{"EVAL_RO", "return 2", "0"}, ":2\r\n"}})
		other.Send(encode(args...))
		waitBlockedClients(t, c, "1")
		runCases(t, c, []replyCase{{[]string{"CLIENT", "UNPAUSE"}, "+OK\r\n"}})
		other.Read()
		waitBlockedClients(t, c, "0")
	}
	// COMMAND INFO shows no may_replicate, as Redis 7.0 shows none.
	if got := c.Do("COMMAND", "INFO", "eval"); strings.Contains(got, "may_replicate") {
		t.Errorf("COMMAND INFO eval shows may_replicate: %q", got)
	}
}

// Messages and keyspace events a command raises for its own client are
// pushes too: they arrive under CLIENT REPLY OFF and SKIP, in order, while
// the command's reply is dropped. The bytes are Redis 7.0.15's.
func TestClientReplyOffKeepsThePushesACommandRaisesForItsClient(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{{[]string{"HELLO", "3"}, c.helloReply(t)}})
	expectPipelined(t, c, [][]string{
		{"CLIENT", "REPLY", "OFF"}, {"SUBSCRIBE", "ch"}, {"PUBLISH", "ch", "self"},
		{"CONFIG", "SET", "notify-keyspace-events", "KEA"}, {"SUBSCRIBE", "__keyevent@0__:set"}, {"SET", "k", "1"},
		{"CLIENT", "REPLY", "ON"}, {"CLIENT", "REPLY", "SKIP"}, {"PUBLISH", "ch", "one"}, {"PUBLISH", "ch", "two"},
	}, ">3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n>3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$4\r\nself\r\n"+
		">3\r\n$9\r\nsubscribe\r\n$18\r\n__keyevent@0__:set\r\n:2\r\n>3\r\n$7\r\nmessage\r\n$18\r\n__keyevent@0__:set\r\n$1\r\nk\r\n"+
		"+OK\r\n>3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$3\r\none\r\n>3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$3\r\ntwo\r\n:1\r\n")
}

// While clients are paused nothing expires: a read finds an expired key
// missing but leaves it, as Redis does, and it goes once the pause ends.
func TestClientPauseKeepsExpiredKeys(t *testing.T) {
	s := startTestServer(t, debugEnabled)
	c := dialRaw(t, s)
	c.Do("DEBUG", "SET-ACTIVE-EXPIRE", "0")
	c.Do("SET", "k", "v", "PX", "1")
	time.Sleep(5 * time.Millisecond)
	runCases(t, c, []replyCase{
		{[]string{"CLIENT", "PAUSE", "5000", "WRITE"}, "+OK\r\n"},
		{[]string{"GET", "k"}, "$-1\r\n"},
		{[]string{"EXISTS", "k"}, ":0\r\n"},
		{[]string{"DBSIZE"}, ":1\r\n"},
		{[]string{"CLIENT", "UNPAUSE"}, "+OK\r\n"},
		{[]string{"GET", "k"}, "$-1\r\n"},
		{[]string{"DBSIZE"}, ":0\r\n"},
	})
	if _, _, v := infoFields(bulkBody(t, c.Do("INFO", "stats"))); v["expired_keys"] != "1" {
		t.Errorf("expired_keys %s, want 1", v["expired_keys"])
	}
}

// Clients held by a pause run their commands in the order they were held,
// as Redis runs them, when the pause ends early or runs out.
func TestClientPauseReleasesHeldClientsInOrder(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	for round, end := range []string{"unpause", "timeout", "unpause", "timeout", "unpause"} {
		c.Do("DEL", "l")
		pause := "5000"
		if end == "timeout" {
			pause = "300"
		}
		runCases(t, c, []replyCase{{[]string{"CLIENT", "PAUSE", pause, "WRITE"}, "+OK\r\n"}})
		var held []*rawClient
		for i, v := range []string{"a", "b", "c", "d"} {
			p := dialRaw(t, s)
			p.Send(encode("RPUSH", "l", v))
			waitBlockedClients(t, c, itoa(int64(i+1)))
			held = append(held, p)
		}
		if end == "unpause" {
			c.Do("CLIENT", "UNPAUSE")
		}
		for i, p := range held {
			if got := p.Read(); got != ":"+itoa(int64(i+1))+"\r\n" {
				t.Fatalf("round %d (%s): held client %d got %q", round, end, i, got)
			}
		}
		runCases(t, c, []replyCase{{[]string{"LRANGE", "l", "0", "-1"}, "*4\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n"}})
	}
}
