// Package scripting is Petrel's Lua engine: EVAL scripts and Redis 7
// functions, in Redis 7.0.15's environment, on github.com/yuin/gopher-lua
// (Lua 5.1, as Redis's). It knows nothing of the keyspace: commands a script
// runs go through a Host the server implements, and replies come back as RESP
// bytes that the engine turns into Lua values.
//
// # Scripts (EVAL, EVALSHA, SCRIPT)
//
//	e := scripting.NewEngine()
//	s, err := e.Load(body)          // EVAL and SCRIPT LOAD: compile and cache by SHA1
//	s := e.Lookup(sha)              // EVALSHA: nil means -NOSCRIPT (ErrNoScript)
//	err := e.Run(s, host, keys, args, w)
//
// Load returns *Error values whose Msg is the whole reply text
// ("ERR Error compiling script (new function): user_script:1: ...",
// "ERR Unexpected flag in script shebang: bad", ...). Script.Flags holds the
// shebang flags (FlagNoWrites, ...) and Script.Shebang tells whether the body
// had one, for the server's checks before running (see CheckRO). Exists,
// Flush, Count and Memory serve SCRIPT EXISTS / FLUSH and INFO.
//
// # Running
//
// Run executes a script with KEYS and ARGV and writes its reply to w, whose
// Proto is the client's protocol. It returns nil when a reply was written, or
// an *Error that the server must reply with its x.Error(err.Msg) (Msg carries
// its code: "ERR user_script:1: x script: <sha>, on @user_script:1.",
// "WRONGTYPE ... script: ..."). Error.Counted is true when the error came
// from a command the script ran, which the server already counted in
// errorstats (Redis does not count those twice): reply then without counting.
// Nothing is written to w when Run returns an error.
//
// Several Runs may execute at once (each takes an interpreter from a pool);
// the server decides what may run concurrently.
//
// # The Host contract
//
// redis.call / redis.pcall call Host.Call(w, args) with the script's
// arguments (args[0] is the command name as the script spelled it) and a
// Writer whose Proto is the script's redis.setresp protocol (2 unless the
// script asked for 3). The host runs the command as the script's fake client
// would and writes exactly one reply to w. The args slices are only valid
// during the call and may be modified by the host; it must copy what it
// keeps. Refusals are the host's, written as error replies with Redis's
// texts, e.g. ErrUnknownCommand, ErrWrongArity, ErrNotAllowed, ErrWriteInRO:
// the engine adds the " script: ..., on @user_script:N." suffix and turns
// errors into Lua errors (call) or {err=...} tables (pcall) itself.
// Host.Log receives redis.log lines (LogDebug..LogWarning) and Host.SetRepl
// redis.set_repl flags (ReplNone..ReplAll).
//
// # Time limits and kills
//
// Running reports the oldest execution in progress (its ID, name, whether
// it is a function, and start time) so the server can answer BUSY once it
// has run for busy-reply-threshold and fill FUNCTION STATS' running_script.
// Kill(id) stops it: the script gets a Lua error on its next instruction, and
// Run returns "ERR Script killed by user with SCRIPT KILL... script: ...". The
// server decides whether a kill is allowed (UNKILLABLE when the script wrote,
// SCRIPT KILL vs FUNCTION KILL), since it sees the commands. KillAll is for
// shutdown. Library loading is stopped after LoadTimeout by the engine
// itself ("ERR FUNCTION LOAD timeout").
//
// # Functions (FUNCTION, FCALL)
//
// Engine.Functions returns the Libraries registry; its methods serve the
// FUNCTION subcommands and write Redis's reply or return an *Error:
//
//	code, replace, err := scripting.ParseLoadArgs(args)  // FUNCTION LOAD
//	name, err := l.Load(code, replace)                   // bulk reply: name
//	err := l.Delete(name)                                // +OK
//	l.Flush()                                            // +OK
//	pattern, withCode, err := scripting.ParseListArgs(args)
//	l.List(w, pattern, withCode)
//	err := l.Stats(w, busyReplyThreshold)                // BUSY under EVAL
//	payload := l.Dump(rdbCompression)                    // bulk reply
//	policy, err := scripting.ParseRestorePolicy(arg)
//	err := l.Restore(payload, policy)                    // +OK
//
// FCALL and FCALL_RO look the function up (f := l.Lookup(name), nil is
// ErrFunctionNotFound), check CheckRO(f.Flags) for FCALL_RO, and run it
// with Engine.Call, which behaves as Run; errors read "script: <name>, on
// @user_function:N.". A library body runs with only the loading redis
// table (register_function, log and the constants) and is stopped after
// LoadTimeout; functions run with a script's globals minus KEYS, ARGV and
// the EVAL-only redis.breakpoint, debug and replicate_commands. WriteRDB,
// Codes and LoadCode serve RDB files (FUNCTION2 records) and the AOF.
//
// # Differences from Redis that remain
//
// gopher-lua words some runtime error messages differently (errnames.go
// translates the common cases to Lua 5.1's, with the variable names), and
// iterates tables in insertion order rather than Lua's hash order (maps
// returned to clients keep that order). Numbers joined by .. are printed as
// Lua 5.1 prints them because each chain of .. is compiled as a call of the
// engine's own join (concat.go). Interpreters are
// pooled, so upvalues of a library's functions are per interpreter (an
// interpreter runs a library's body the first time it calls one of its
// functions). FUNCTION LIST and DUMP order libraries and functions by
// name, where Redis's order comes from a hash table seeded at random.
package scripting
