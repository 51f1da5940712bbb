package scripting

import (
	"strings"
	"testing"

	"petrel/resp"
)

// fakeHost answers commands with canned replies taken from Redis 7.0.15,
// keyed by the space-joined arguments; RESP3 variants are keyed with a
// "3|" prefix.
type fakeHost struct {
	replies map[string]string
	calls   []string
	logs    []string
	repl    int
	kv      map[string]string
}

func (h *fakeHost) Call(w *resp.Writer, args [][]byte) {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = string(a)
	}
	key := strings.Join(parts, " ")
	h.calls = append(h.calls, key)
	if w.Proto == 3 {
		if r, ok := h.replies["3|"+key]; ok {
			w.WriteRaw([]byte(r))
			return
		}
	}
	if r, ok := h.replies[key]; ok {
		w.WriteRaw([]byte(r))
		return
	}
	switch strings.ToLower(parts[0]) {
	case "set":
		if len(parts) == 3 {
			if h.kv == nil {
				h.kv = map[string]string{}
			}
			h.kv[parts[1]] = parts[2]
			w.WriteOK()
			return
		}
	case "get":
		if v, ok := h.kv[parts[1]]; ok {
			w.WriteBulkString(v)
			return
		}
	case "multi", "subscribe", "debug", "eval":
		w.WriteError(ErrNotAllowed)
		return
	}
	w.WriteError(ErrUnknownCommand)
}

func (h *fakeHost) Log(level int, msg string) { h.logs = append(h.logs, msg) }
func (h *fakeHost) SetRepl(flags int)         { h.repl = flags }

var cannedReplies = map[string]string{
	"ping":                       "+PONG\r\n",
	"incr s":                     "-ERR value is not an integer or out of range\r\n",
	"get":                        "-" + ErrWrongArity + "\r\n",
	"GET":                        "-" + ErrWrongArity + "\r\n",
	"get nosuch":                 "$-1\r\n",
	"3|get nosuch":               "_\r\n",
	"get 1.5":                    "$-1\r\n",
	"eval return 1 0":            "-" + ErrNotAllowed + "\r\n",
	"lpush s x":                  "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
	"hgetall h":                  "*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n",
	"3|hgetall h":                "%2\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n",
	"3|smembers st":              "~1\r\n$1\r\nx\r\n",
	"3|zscore z m":               ",1.5\r\n",
	"zscore z m":                 "$3\r\n1.5\r\n",
	"3|zrange z 0 -1 withscores": "*1\r\n*2\r\n$1\r\nm\r\n,1.5\r\n",
	"3|exists h":                 ":1\r\n",
	"3|set x 1":                  "+OK\r\n",
	"3|incr h":                   "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
	"3|debug bignum":             "(1234567999999999999999999999999999999\r\n",
	"3|debug verbatim":           "=15\r\ntxt:hello world\r\n",
	"3|debug true":               "#t\r\n",
	"3|debug false":              "#f\r\n",
	"3|debug null":               "_\r\n",
	"set a b":                    "-" + ErrWriteInRO + "\r\n",
	"set s x ex":                 "-ERR syntax error\r\n",
	"set s x ex y":               "-ERR value is not an integer or out of range\r\n",
	"3|hgetall nosuch":           "%0\r\n",
}

// evalReply runs script as EVAL would with the client in protocol proto
// and returns the exact reply bytes a client gets (errors as x.Error
// writes them).
func evalReply(t *testing.T, e *Engine, proto int, script string, keys, args []string) string {
	t.Helper()
	w := resp.NewWriter()
	w.Proto = proto
	s, err := e.Load([]byte(script))
	if err != nil {
		w.WriteError(err.Msg)
		return string(w.Bytes())
	}
	h := hostFor(e)
	if err := e.Run(s, h, toBytes(keys), toBytes(args), w); err != nil {
		w.WriteError(err.Msg)
	}
	return string(w.Bytes())
}

func toBytes(ss []string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}

var hosts = map[*Engine]*fakeHost{}

// hostFor returns one fake host per engine, so a SET in one case is seen
// by a GET in a later one, as on the real server.
func hostFor(e *Engine) *fakeHost {
	h := hosts[e]
	if h == nil {
		h = &fakeHost{replies: cannedReplies}
		hosts[e] = h
	}
	return h
}
