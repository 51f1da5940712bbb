package scripting

import "testing"

// EVAL's shebang line ends at its newline, or at a NUL, which Redis's
// strchr stops at first; quotes that do not close make an invalid engine.
// Replies from Redis 7.0.15.
func TestShebangLineErrorsAsRedis(t *testing.T) {
	e := NewEngine()
	for _, tc := range []struct{ body, want string }{
		{"#!lua\x00\nreturn 1", "ERR Invalid script shebang"},
		{"#!lua flags=no-writes\x00x\nreturn 1", "ERR Invalid script shebang"},
		{"#!lua", "ERR Invalid script shebang"},
		{"#!lua \"x\nreturn 1", "ERR Invalid engine in script shebang"},
		{"#!lua 'a\nreturn 1", "ERR Invalid engine in script shebang"},
		{"#!notlua\nreturn 1", "ERR Unexpected engine in script shebang: #!notlua"},
		{"#!lua flags=bogus\nreturn 1", "ERR Unexpected flag in script shebang: bogus"},
	} {
		if _, err := e.Load([]byte(tc.body)); err == nil || err.Msg != tc.want {
			t.Errorf("EVAL %q: got %+v, want %q", tc.body, err, tc.want)
		}
	}
}
