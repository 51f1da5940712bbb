package scripting

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"petrel/resp"
)

// fnReply runs one FUNCTION / FCALL / FCALL_RO command the way the
// server's handlers use the package (parse helpers, registry methods,
// Lookup, CheckRO, Call) and returns the exact reply bytes. Arity and
// numkeys checks are the server's and are not exercised here.
func fnReply(t *testing.T, e *Engine, proto int, args ...string) string {
	t.Helper()
	w := resp.NewWriter()
	w.Proto = proto
	reply := func(err *Error) string {
		if err != nil {
			w.WriteError(err.Msg)
		}
		return string(w.Bytes())
	}
	argv := toBytes(args)
	l := e.Functions()
	switch strings.ToUpper(args[0]) {
	case "FCALL", "FCALL_RO":
		f := l.Lookup(argv[1])
		if f == nil {
			return reply(errf(ErrFunctionNotFound))
		}
		if strings.EqualFold(args[0], "FCALL_RO") {
			if err := CheckRO(f.Flags); err != nil {
				return reply(err)
			}
		}
		n, err := strconv.Atoi(args[2])
		if err != nil || n < 0 || n > len(args)-3 {
			t.Fatalf("bad numkeys in test case %q", args)
		}
		return reply(e.Call(f, hostFor(e), argv[3:3+n], argv[3+n:], w))
	case "FUNCTION":
	default:
		t.Fatalf("not a function command: %q", args)
	}
	switch sub, rest := strings.ToUpper(args[1]), argv[2:]; sub {
	case "LOAD":
		code, replace, err := ParseLoadArgs(rest)
		if err != nil {
			return reply(err)
		}
		name, err := l.Load(code, replace)
		if err != nil {
			return reply(err)
		}
		w.WriteBulkString(name)
	case "DELETE":
		if err := l.Delete(rest[0]); err != nil {
			return reply(err)
		}
		w.WriteOK()
	case "FLUSH":
		l.Flush()
		w.WriteOK()
	case "LIST":
		pattern, withCode, err := ParseListArgs(rest)
		if err != nil {
			return reply(err)
		}
		l.List(w, pattern, withCode)
	case "STATS":
		return reply(l.Stats(w, 100*time.Millisecond))
	case "DUMP":
		w.WriteBulk(l.Dump(true))
	case "RESTORE":
		policy := RestoreAppend
		if len(rest) > 1 {
			var err *Error
			if policy, err = ParseRestorePolicy(rest[1]); err != nil {
				return reply(err)
			}
		}
		if err := l.Restore(rest[0], policy); err != nil {
			return reply(err)
		}
		w.WriteOK()
	default:
		t.Fatalf("unknown FUNCTION subcommand in test: %q", args)
	}
	return string(w.Bytes())
}

// fnCase is a command and the exact reply Redis 7.0.15 gave to it, the
// client in RESP2 or RESP3.
type fnCase struct {
	proto int
	args  []string
	want  string
}

// runFnCases runs cases in order on one engine, as one client's session.
func runFnCases(t *testing.T, e *Engine, cases []fnCase) {
	t.Helper()
	for i, c := range cases {
		if got := fnReply(t, e, c.proto, c.args...); got != c.want {
			t.Errorf("case %d RESP%d %q:\n got %q\nwant %q", i, c.proto, c.args, got, c.want)
		}
	}
}
