package scripting

import "testing"

// libCase is one EVAL <script> 0 and the exact reply Redis 7.0.15 gave, the
// client speaking the protocol proto says.
type libCase struct {
	proto  int
	script string
	want   string
}

// runLibCases runs cases in order on a fresh engine, like one client's
// successive EVALs on a fresh Redis: library settings (cjson's) a script
// changes stay for the scripts after it.
func runLibCases(t *testing.T, cases []libCase) {
	t.Helper()
	e := NewEngine()
	for _, c := range cases {
		if got := evalReply(t, e, c.proto, c.script, nil, nil); got != c.want {
			t.Errorf("RESP%d %s:\n got %q\nwant %q", c.proto, c.script, got, c.want)
		}
	}
}

// Lua 5.1 lets a C function fill 8000 stack slots; gopher-lua's stack is
// fixed and shared by every frame, so unpacking a few thousand values can
// run out of room before Redis would. The script must then get the
// library's stack overflow error (or Redis's reply, should the stack grow
// enough), the process must not crash, and the interpreter must stay
// usable.
func TestUnpackingMoreValuesThanTheStackHoldsFailsTheScriptOnly(t *testing.T) {
	e := NewEngine()
	for _, c := range []struct {
		script string
		redis  string // Redis 7.0.15's reply
		petrel string // the overflow error when the stack runs out first
	}{
		{`local t = {cmsgpack.unpack(string.rep('\1', 6000))} return #t`, ":6000\r\n",
			"-ERR user_script:1: stack overflow (too many return values at once; use unpack_one or unpack_limit instead.) script: 07174fb138b9c034fdbb61a0f9d62bfdf99ba874, on @user_script:1.\r\n"},
		{`local ok, e = pcall(cmsgpack.unpack, string.rep('\1', 6000)) return e`, ":1\r\n",
			"$88\r\nstack overflow (too many return values at once; use unpack_one or unpack_limit instead.)\r\n"},
		{`local t = {cmsgpack.unpack_limit(string.rep('\1', 6000), 6000)} return #t`, ":6001\r\n",
			"-ERR user_script:1: stack overflow (too many return values at once; use unpack_one or unpack_limit instead.) script: 12fde1da4eaa13123bb684543f5cfb3d27f998e2, on @user_script:1.\r\n"},
		{`local t = {struct.unpack(string.rep('b', 6000), string.rep('a', 6000))} return #t`, ":6001\r\n",
			"-ERR user_script:1: stack overflow (too many results) script: eeba479c2ae3141fa9d665c877a7c023cbc0bde9, on @user_script:1.\r\n"},
	} {
		if got := evalReply(t, e, 2, c.script, nil, nil); got != c.redis && got != c.petrel {
			t.Errorf("%s:\n got %q\nwant %q\n  or %q", c.script, got, c.redis, c.petrel)
		}
		if got := evalReply(t, e, 2, `return {cmsgpack.unpack('\1\2')}`, nil, nil); got != "*2\r\n:1\r\n:2\r\n" {
			t.Fatalf("after %s: the next script got %q", c.script, got)
		}
	}
}
