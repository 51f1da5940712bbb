package scripting

import (
	"testing"

	"petrel/resp"
)

func TestScriptEnvironmentIsTheFastestThatKeepsTablesReadonly(t *testing.T) {
	for _, c := range []struct {
		body string
		want scriptEnv
	}{
		{"return redis.call('GET', KEYS[1])", envDirect},
		{"local t = {1, 2} return t", envDirect}, // SETLIST fills its own new table
		{"local t = {} t[1] = 1 return t", envReal},
		{"local t = {} t.x = 1 return t", envReal},
		{"return function() local t = {} t.x = 1 end", envReal},
		{"return loadstring('return 1')()", envReal},
		{"return _G.redis", envReal},
		{"x = 1", envProxy},
		{"local t = {} t.x = 1 local f = function() y = 2 end", envProxy},
	} {
		e := NewEngine()
		s, err := e.Load([]byte(c.body))
		if err != nil {
			t.Fatalf("%s: %s", c.body, err.Msg)
		}
		if s.env != c.want {
			t.Errorf("%s: environment %d, want %d", c.body, s.env, c.want)
		}
	}
}

// Scripts given the libraries themselves still cannot change them through
// the functions that write to a table argument.
func TestDirectEnvironmentKeepsLibrariesReadonly(t *testing.T) {
	for _, c := range []struct{ body, want string }{
		{"rawset(redis, 'call', 1)", "-ERR Attempt to modify a readonly table"},
		{"table.insert(string, 1)", "-ERR Attempt to modify a readonly table"},
		{"setmetatable(cjson, nil)", "-ERR Attempt to modify a readonly table"},
		{"return type(getmetatable(redis))", "$3\r\nnil\r\n"},
		{"return rawget(redis, 'call') == redis.call", ":1\r\n"},
	} {
		e := NewEngine()
		s, err := e.Load([]byte(c.body))
		if err != nil {
			t.Fatalf("%s: %s", c.body, err.Msg)
		}
		if s.env != envDirect {
			t.Fatalf("%s: not run in the direct environment", c.body)
		}
		w := resp.NewWriter()
		got := ""
		if err := e.Run(s, lockHost{}, nil, nil, w); err != nil {
			got = "-" + err.Msg
		} else {
			got = string(w.Bytes())
		}
		if len(got) < len(c.want) || got[:len(c.want)] != c.want {
			t.Errorf("%s: got %q, want %q...", c.body, got, c.want)
		}
	}
}

// A script's KEYS and ARGV stay in the interpreter after it ends; a
// function run next in the same interpreter still must not see them.
func TestFunctionDoesNotSeeTheLastScriptsKeys(t *testing.T) {
	e := NewEngine()
	mustLoad(t, e, "#!lua name=k\nredis.register_function('readkeys', function() return KEYS[1] end)")
	for _, body := range []string{"return KEYS[1]", "local t = {} t.x = 1 return KEYS[1]", "k = 1"} {
		s, err := e.Load([]byte(body))
		if err != nil {
			t.Fatal(err.Msg)
		}
		e.Run(s, lockHost{}, [][]byte{[]byte("stale")}, nil, resp.NewWriter())
		got := fnReply(t, e, 2, "FCALL", "readkeys", "0")
		if want := "-ERR user_function:2: Script attempted to access nonexistent global variable 'KEYS'"; len(got) < len(want) || got[:len(want)] != want {
			t.Errorf("after %q: FCALL replied %q, want %q...", body, got, want)
		}
	}
}
