package scripting

import (
	"math"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"petrel/internal/num"
	"petrel/resp"
)

// redisTable builds the redis table of scripts and functions' run time.
func (st *state) redisTable(loading bool) *lua.LTable {
	L := st.L
	t := L.NewTable()
	set := func(name string, fn lua.LGFunction) { t.RawSetString(name, L.NewFunction(fn)) }
	for name, v := range map[string]int{"LOG_DEBUG": LogDebug, "LOG_VERBOSE": LogVerbose, "LOG_NOTICE": LogNotice, "LOG_WARNING": LogWarning} {
		t.RawSetString(name, lua.LNumber(v))
	}
	t.RawSetString("REDIS_VERSION", lua.LString(Version))
	t.RawSetString("REDIS_VERSION_NUM", lua.LNumber(versionNum))
	set("log", st.luaLog)
	if loading {
		set("register_function", st.registerFunction)
		return t
	}
	for name, v := range map[string]int{"REPL_NONE": ReplNone, "REPL_AOF": ReplAOF, "REPL_SLAVE": ReplSlave, "REPL_REPLICA": ReplSlave, "REPL_ALL": ReplAll} {
		t.RawSetString(name, lua.LNumber(v))
	}
	set("call", func(L *lua.LState) int { return st.command(L, true) })
	set("pcall", func(L *lua.LState) int { return st.command(L, false) })
	set("error_reply", func(L *lua.LState) int { return replyTable(L, "err") })
	set("status_reply", func(L *lua.LState) int { return replyTable(L, "ok") })
	set("sha1hex", func(L *lua.LState) int {
		if L.GetTop() != 1 {
			raiseRedisError(L, "ERR wrong number of arguments")
		}
		s := ""
		switch v := L.Get(1).(type) {
		case lua.LString:
			s = string(v)
		case lua.LNumber:
			s = formatNumber(float64(v))
		}
		L.Push(lua.LString(SHA1Hex([]byte(s))))
		return 1
	})
	set("setresp", func(L *lua.LState) int {
		if L.GetTop() != 1 {
			raiseRedisError(L, "ERR redis.setresp() requires one argument.")
		}
		n, ok := toNumber(L.Get(1))
		if !ok || (int(n) != 2 && int(n) != 3) {
			raiseRedisError(L, "ERR RESP version must be 2 or 3.")
		}
		st.resp = int(n)
		return 0
	})
	set("set_repl", func(L *lua.LState) int {
		if L.GetTop() != 1 {
			raiseRedisError(L, "ERR redis.set_repl() requires two arguments.")
		}
		n, _ := toNumber(L.Get(1))
		flags := int(n)
		if flags&^(ReplAOF|ReplSlave) != 0 {
			raiseRedisError(L, "ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.")
		}
		if st.host != nil {
			st.host.SetRepl(flags)
		}
		return 0
	})
	set("replicate_commands", func(L *lua.LState) int { L.Push(lua.LTrue); return 1 })
	set("breakpoint", func(L *lua.LState) int { L.Push(lua.LFalse); return 1 })
	set("debug", func(L *lua.LState) int { return 0 })
	set("acl_check_cmd", st.aclCheckCmd)
	return t
}

// toNumber converts as lua_tonumber does (numbers and numeric strings).
func toNumber(v lua.LValue) (float64, bool) {
	switch x := v.(type) {
	case lua.LNumber:
		return float64(x), true
	case lua.LString:
		return parseLuaNumber(strings.TrimSpace(string(x)))
	}
	return 0, false
}

func parseLuaNumber(s string) (float64, bool) {
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		u, err := strconv.ParseUint(s[2:], 16, 64)
		return float64(u), err == nil
	}
	return num.ParseFloat([]byte(s))
}

func replyTable(L *lua.LState, field string) int {
	s, ok := L.Get(1).(lua.LString)
	if L.GetTop() != 1 || !ok {
		L.Push(errorTable(L, "ERR wrong number or type of arguments"))
		return 1
	}
	t := L.NewTable()
	msg := string(s)
	if field == "err" {
		msg = errorBuff(cString(msg)) // Redis formats it with %s
	}
	t.RawSetString(field, lua.LString(msg))
	L.Push(t)
	return 1
}

// errorBuff normalises an error text as Redis's Lua error tables hold it:
// "-CODE msg" and "CODE msg" keep their code, a single word gets ERR, and
// trailing line breaks go.
func errorBuff(msg string) string {
	msg = strings.TrimPrefix(msg, "-")
	code, rest, found := strings.Cut(msg, " ")
	if !found {
		code, rest = "ERR", msg
	}
	return code + " " + strings.Trim(rest, "\r\n")
}

func (st *state) luaLog(L *lua.LState) int {
	n := L.GetTop()
	if n < 2 {
		raiseRedisError(L, "ERR redis.log() requires two arguments or more.")
	}
	lv, ok := L.Get(1).(lua.LNumber)
	if !ok {
		raiseRedisError(L, "ERR First argument must be a number (log level).")
	}
	level := int(lv)
	if level < LogDebug || level > LogWarning {
		raiseRedisError(L, "ERR Invalid debug level.")
	}
	var b strings.Builder
	for i := 2; i <= n; i++ {
		if i > 2 {
			b.WriteByte(' ')
		}
		switch v := L.Get(i).(type) {
		case lua.LString:
			b.WriteString(string(v))
		case lua.LNumber:
			b.WriteString(formatNumber(float64(v)))
		}
	}
	if st.host != nil {
		st.host.Log(level, b.String())
	}
	return 0
}

func (st *state) aclCheckCmd(L *lua.LState) int {
	if L.GetTop() == 0 {
		return st.commandError(L, ErrNoArgs, true)
	}
	if !st.buildArgv(L) {
		return st.commandError(L, ErrArgType, true)
	}
	// Without the optional ACLChecker every command is taken as allowed.
	if ac, ok := st.host.(ACLChecker); ok {
		exists, allowed := ac.CheckCommand(st.argv)
		if !exists {
			return st.commandError(L, "ERR Invalid command passed to redis.acl_check_cmd()", true)
		}
		L.Push(lua.LBool(allowed))
		return 1
	}
	L.Push(lua.LTrue)
	return 1
}

// ACLChecker is an optional Host extension for redis.acl_check_cmd: exists
// reports whether args[0] names a command, allowed whether the running user
// may run args.
type ACLChecker interface {
	CheckCommand(args [][]byte) (exists, allowed bool)
}

// buildArgv converts the call's Lua arguments into st.argv, formatting
// numbers with "%.17g" as Redis does. It reports false for a bad type.
func (st *state) buildArgv(L *lua.LState) bool {
	n := L.GetTop()
	st.argBuf = st.argBuf[:0]
	st.argOff = st.argOff[:0]
	for i := 1; i <= n; i++ {
		switch v := L.Get(i).(type) {
		case lua.LString:
			st.argBuf = append(st.argBuf, v...)
		case lua.LNumber:
			st.argBuf = num.AppendG(st.argBuf, float64(v), 17)
		default:
			return false
		}
		st.argOff = append(st.argOff, len(st.argBuf))
	}
	st.argv = st.argv[:0]
	start := 0
	for _, end := range st.argOff {
		st.argv = append(st.argv, st.argBuf[start:end:end])
		start = end
	}
	return true
}

// errorTable is an error reply as scripts see one: {err=msg}.
func errorTable(L *lua.LState, msg string) *lua.LTable {
	t := L.CreateTable(0, 1)
	t.RawSetString("err", lua.LString(msg))
	return t
}

// raiseRedisError raises msg as the redis library raises its own errors:
// an error reply, which pcall gives back as msg.
func raiseRedisError(L *lua.LState, msg string) { L.Error(errorTable(L, msg), 0) }

// command is redis.call (raise) and redis.pcall.
func (st *state) command(L *lua.LState, raise bool) int {
	if L.GetTop() == 0 {
		return st.commandError(L, ErrNoArgs, raise)
	}
	if !st.buildArgv(L) {
		return st.commandError(L, ErrArgType, raise)
	}
	st.w.Reset()
	st.w.Proto = st.resp
	if st.host == nil {
		return st.commandError(L, ErrNotAllowed, raise)
	}
	st.host.Call(&st.w, st.argv)
	if reply := st.w.Bytes(); len(reply) > 0 && reply[0] != '-' && resultsDiscarded(L) {
		// a statement such as redis.call('HSET', ...): the reply's Lua
		// value would be garbage at once
		L.SetTop(0)
		return 0
	}
	st.rr.Reset(st.w.Bytes())
	v, isErr := st.pushReply(0)
	L.SetTop(0)
	if isErr && raise {
		L.Error(v, 0)
	}
	L.Push(v)
	return 1
}

func (st *state) commandError(L *lua.LState, msg string, raise bool) int {
	t := errorTable(L, msg)
	if raise {
		L.Error(t, 0)
	}
	L.Push(t)
	return 1
}

// pushReply converts the next reply element to a Lua value as Redis 7.0
// does for the script's protocol. isErr reports a top-level error reply.
func (st *state) pushReply(depth int) (v lua.LValue, isErr bool) {
	L := st.L
	kind, n, data, err := st.rr.Next()
	if err != nil {
		return lua.LNil, false
	}
	switch kind {
	case ':':
		i, _ := num.ParseInt(data)
		return st.nums.box(lua.LNumber(i)), false
	case '$':
		if n < 0 {
			return lua.LFalse, false
		}
		return lua.LString(data), false
	case '+':
		t := L.CreateTable(0, 1)
		t.RawSetString("ok", lua.LString(data))
		return t, false
	case '-':
		// A command's error the server counted already, marked so as Redis
		// marks it: returned or raised as the script's error, it is not
		// counted again (errorCounted).
		t := L.CreateTable(0, 2)
		t.RawSetString("err", lua.LString(data))
		t.RawSetString(ignoreErrorStats, lua.LTrue)
		return t, true
	case '*', '>':
		if n < 0 {
			return lua.LFalse, false
		}
		t := L.CreateTable(n, 0)
		for i := 1; i <= n; i++ {
			e, _ := st.pushReply(depth + 1)
			if e != lua.LNil {
				t.RawSetInt(i, e)
			}
		}
		return t, false
	case '%':
		m := L.CreateTable(0, n)
		for i := 0; i < n; i++ {
			k, _ := st.pushReply(depth + 1)
			val, _ := st.pushReply(depth + 1)
			if k != lua.LNil {
				m.RawSet(k, val)
			}
		}
		t := L.CreateTable(0, 1)
		t.RawSetString("map", m)
		return t, false
	case '~':
		s := L.CreateTable(0, n)
		for i := 0; i < n; i++ {
			k, _ := st.pushReply(depth + 1)
			if k != lua.LNil {
				s.RawSet(k, lua.LTrue)
			}
		}
		t := L.CreateTable(0, 1)
		t.RawSetString("set", s)
		return t, false
	case '|':
		for i := 0; i < 2*n; i++ {
			st.rr.Skip()
		}
		return st.pushReply(depth)
	case ',':
		f, ok := num.ParseFloat(data)
		if !ok {
			switch string(data) {
			case "inf":
				f = math.Inf(1)
			case "-inf":
				f = math.Inf(-1)
			default:
				f = math.NaN()
			}
		}
		t := L.CreateTable(0, 1)
		t.RawSetString("double", lua.LNumber(f))
		return t, false
	case '#':
		return lua.LBool(len(data) > 0 && data[0] == 't'), false
	case '_':
		return lua.LNil, false
	case '(':
		t := L.CreateTable(0, 1)
		t.RawSetString("big_number", lua.LString(data))
		return t, false
	case '=':
		vt := L.CreateTable(0, 2)
		format, s := "", data
		if len(data) >= 4 && data[3] == ':' {
			format, s = string(data[:3]), data[4:]
		}
		vt.RawSetString("format", lua.LString(format))
		vt.RawSetString("string", lua.LString(s))
		t := L.CreateTable(0, 1)
		t.RawSetString("verbatim_string", vt)
		return t, false
	}
	return lua.LNil, false
}

// maxReplyDepth bounds the nesting of a converted reply (self-referencing
// tables would never end).
const maxReplyDepth = 1000

// writeValue converts a script's return value to the client's reply.
func (st *state) writeValue(w *resp.Writer, v lua.LValue, depth int) {
	if depth > maxReplyDepth {
		w.WriteError("ERR reached lua stack limit")
		return
	}
	switch x := v.(type) {
	case lua.LString:
		w.WriteBulkString(string(x))
	case lua.LNumber:
		w.WriteInt(luaToInt(float64(x)))
	case lua.LBool:
		if st.resp == 3 {
			w.WriteBool(bool(x))
		} else if x {
			w.WriteInt(1)
		} else {
			w.WriteNull()
		}
	case *lua.LTable:
		st.writeTable(w, x, depth)
	default:
		w.WriteNull()
	}
}

// luaToInt truncates as C's (long long) cast does on x86-64, where
// out-of-range values and NaN become the minimum.
func luaToInt(f float64) int64 {
	if math.IsNaN(f) || f >= 9.223372036854775807e18 || f < -9.223372036854775808e18 {
		return math.MinInt64
	}
	return int64(f)
}

func (st *state) writeTable(w *resp.Writer, t *lua.LTable, depth int) {
	if s, ok := t.RawGetString("err").(lua.LString); ok {
		w.WriteError(errorReplyText(s))
		return
	}
	if s, ok := t.RawGetString("ok").(lua.LString); ok {
		st.writeStatus(w, cString(string(s)))
		return
	}
	if d, ok := t.RawGetString("double").(lua.LNumber); ok {
		writeDouble(w, float64(d))
		return
	}
	if s, ok := t.RawGetString("big_number").(lua.LString); ok {
		if w.Proto >= 3 {
			w.WriteBigNumber(sanitize(string(s)))
		} else {
			w.WriteBulkString(sanitize(string(s)))
		}
		return
	}
	// Redis looks for a verbatim string before a map or a set.
	if vt, ok := t.RawGetString("verbatim_string").(*lua.LTable); ok {
		format, fok := vt.RawGetString("format").(lua.LString)
		str, sok := vt.RawGetString("string").(lua.LString)
		if fok && sok {
			f := string(format)
			if len(f) > 3 {
				f = f[:3]
			}
			w.WriteVerbatim(f, []byte(str))
			return
		}
	}
	if m, ok := t.RawGetString("map").(*lua.LTable); ok {
		w.WriteMapLen(countPairs(m))
		eachPair(st.L, m, func(k, v lua.LValue) {
			st.writeValue(w, k, depth+1)
			st.writeValue(w, v, depth+1)
		})
		return
	}
	if s, ok := t.RawGetString("set").(*lua.LTable); ok {
		w.WriteSetLen(countPairs(s))
		eachPair(st.L, s, func(k, _ lua.LValue) {
			st.writeValue(w, k, depth+1)
		})
		return
	}
	n := 0
	for t.RawGetInt(n+1) != lua.LNil {
		n++
	}
	w.WriteArrayLen(n)
	for i := 1; i <= n; i++ {
		st.writeValue(w, t.RawGetInt(i), depth+1)
	}
}

func (st *state) writeStatus(w *resp.Writer, s string) { w.WriteSimple(sanitize(s)) }

// sanitize replaces line breaks with spaces, as Redis does for status
// replies and big numbers; bytes, not runes: the text may be binary.
func sanitize(s string) string {
	if strings.IndexAny(s, "\r\n") < 0 {
		return s
	}
	b := []byte(s)
	for i, c := range b {
		if c == '\r' || c == '\n' {
			b[i] = ' '
		}
	}
	return string(b)
}

// ignoreErrorStats marks an error table made from a command's error reply,
// which the server counted already (redisProtocolToLuaType_Error).
const ignoreErrorStats = "ignore_error_stats_update"

// errorCounted reports whether t, returned or raised as a script's error,
// is one the server counted already: Redis reads the mark, whoever set it.
func errorCounted(t *lua.LTable) bool {
	return t.RawGetString(ignoreErrorStats) == lua.LTrue
}

// errorReplyText is an err field as Redis writes it as an error reply: a
// C string (a NUL ends it) with trailing line breaks trimmed; the writer
// turns the others into spaces.
func errorReplyText(s lua.LString) string {
	return strings.TrimRight(cString(string(s)), "\r\n")
}

// writeDouble writes a double as Redis's "%.17g", with C's spelling of NaN.
func writeDouble(w *resp.Writer, d float64) {
	if !math.IsNaN(d) {
		w.WriteDouble(d)
		return
	}
	s := "nan"
	if math.Signbit(d) {
		s = "-nan"
	}
	if w.Proto >= 3 {
		w.WriteRaw([]byte("," + s + "\r\n"))
		return
	}
	w.WriteBulkString(s)
}

// countPairs counts a table's entries; Next walks them in a stable order
// (unlike ForEach, which ranges over Go maps).
func countPairs(t *lua.LTable) int {
	n := 0
	for k, _ := t.Next(lua.LNil); k != lua.LNil; k, _ = t.Next(k) {
		n++
	}
	return n
}
