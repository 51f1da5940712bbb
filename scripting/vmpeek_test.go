package scripting

import (
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// redis.call skips making the Lua value of a reply only where the calling
// code keeps no result; this fails if gopher-lua's frame layout moves.
func TestResultsDiscardedOnlyByCallStatements(t *testing.T) {
	if !frameNRetOK {
		t.Fatal("gopher-lua's call frame layout moved: currentFrame.NRet not found")
	}
	for _, c := range []struct {
		code      string
		discarded bool
	}{
		{"f()", true},
		{"local function g() return f() end g()", true},
		{"local function g() f() return 1 end local x = g()", true},
		{"local x = f()", false},
		{"local a, b = f()", false},
		{"local t = {f()}", false},
		{"return f()", false},
		{"local function g() return f() end local x = g()", false},
		{"pcall(f)", false},
		{"local x = f() == 1", false},
	} {
		L := lua.NewState()
		var got []bool
		L.SetGlobal("f", L.NewFunction(func(L *lua.LState) int {
			got = append(got, resultsDiscarded(L))
			return 0
		}))
		if err := L.DoString(c.code); err != nil {
			t.Fatalf("%s: %v", c.code, err)
		}
		L.Close()
		if len(got) != 1 || got[0] != c.discarded {
			t.Errorf("%s: discarded %v, want %v", c.code, got, c.discarded)
		}
	}
}

// A redis.call statement, whose reply is not made into a Lua value, acts as
// the same call kept in a local: errors raise, with the same text.
func TestCallStatementsActAsKeptCalls(t *testing.T) {
	for _, call := range []string{
		"redis.call('INCR', 's')",
		"redis.pcall('INCR', 's')",
		"redis.call('SET', 'x', '1')",
		"redis.call('GET', 'nosuch')",
		"redis.call('HGETALL', 'h')",
		"redis.call()",
		"redis.pcall()",
		"redis.call('EVAL', 'return 1', '0')",
		"redis.call({})",
	} {
		for _, proto := range []int{2, 3} {
			statement := evalReply(t, NewEngine(), proto, call+" return 1", nil, nil)
			kept := evalReply(t, NewEngine(), proto, "local r = "+call+" return 1", nil, nil)
			// the two scripts differ, and so do their SHA1s in error texts
			if errorWords(statement) != errorWords(kept) {
				t.Errorf("RESP%d %s: statement %q, kept %q", proto, call, statement, kept)
			}
		}
	}
}

// errorWords is a reply without the script SHA1 an error reply names.
func errorWords(reply string) string {
	if i := strings.Index(reply, " script: "); i >= 0 {
		return reply[:i]
	}
	return reply
}
