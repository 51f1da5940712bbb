package server

import (
	"strings"

	"petrel/internal/num"
	"petrel/scripting"
)

// Redis 7 functions: FUNCTION and FCALL / FCALL_RO, on package scripting's
// library registry. A function runs exactly as an EVAL script does
// (scripting.go: locks, fake client, effects, BUSY and KILL); what differs is
// where the code comes from, and that the library changes are themselves
// write commands, logged as sent and saved in RDB files (FUNCTION2 records).

// functionKey names a function in the scripts' learned-locking table.
func functionKey(name []byte) string { return "f:" + strings.ToLower(string(name)) }

// fcallLockMode is evalLockMode for functions, by function name.
func fcallLockMode(s *Server, args [][]byte) LockMode {
	if len(args) < 2 {
		return LockAll
	}
	return s.scripts.reach([]byte(functionKey(args[1]))).lockMode()
}

// functionsChanged forgets what runs of the old functions taught about
// their keys: a library may have been replaced.
func (s *Server) functionsChanged() {
	ss := &s.scripts
	ss.knownMu.Lock()
	for k, r := range ss.known {
		if strings.HasPrefix(k, "f:") {
			delete(ss.known, k)
			if r > reachDeclared {
				ss.nUndecl.Add(-1)
			}
		}
	}
	ss.knownMu.Unlock()
}

func cmdFcall(x *Ctx)   { fcallCommand(x, false) }
func cmdFcallRo(x *Ctx) { fcallCommand(x, true) }

func fcallCommand(x *Ctx, ro bool) {
	monitorScript(x)
	e := x.s.scripts.engine
	f := e.Functions().Lookup(x.Args[1])
	if f == nil { // Redis looks the function up before reading numkeys
		x.Error(scripting.ErrFunctionNotFound)
		return
	}
	if x.c.oomBefore && deniesOOM(f.Flags) {
		x.Error(errOOM) // Redis refuses it before reading numkeys
		return
	}
	if _, isInt := num.ParseInt(x.Args[2]); !isInt {
		x.Error("ERR Bad number of keys provided")
		return
	}
	n, ok := numKeysArg(x)
	if !ok {
		return
	}
	if ro {
		if err := scripting.CheckRO(f.Flags); err != nil {
			x.Error(err.Msg)
			return
		}
	}
	keys := x.Args[3 : 3+n]
	argv := x.Args[3+n:]
	x.s.runScript(x, functionKey(x.Args[1]), ro || f.Flags&scripting.FlagNoWrites != 0, f.Flags&scripting.FlagAllowOOM != 0, func(h *scriptHost) *scripting.Error {
		return e.Call(f, h, keys, argv, x.W)
	})
}

// FUNCTION subcommands.

func cmdFunctionLoad(x *Ctx) {
	code, replace, err := scripting.ParseLoadArgs(x.Args[2:])
	if err != nil {
		x.Error(err.Msg)
		return
	}
	name, err := x.s.scripts.engine.Functions().Load(code, replace)
	if err != nil {
		x.Error(err.Msg)
		return
	}
	x.s.functionsChanged()
	x.Dirty(1)
	x.W.WriteBulkString(name)
}

func cmdFunctionDelete(x *Ctx) {
	if err := x.s.scripts.engine.Functions().Delete(x.Args[2]); err != nil {
		x.Error(err.Msg)
		return
	}
	x.s.functionsChanged()
	x.Dirty(1)
	x.W.WriteOK()
}

func cmdFunctionFlush(x *Ctx) {
	if len(x.Args) > 3 {
		subcommandSyntaxError(x)
		return
	}
	if len(x.Args) == 3 && !strEqFold(x.Args[2], "sync") && !strEqFold(x.Args[2], "async") {
		x.Error(scripting.ErrFlushOption)
		return
	}
	x.s.scripts.engine.Functions().Flush()
	x.s.functionsChanged()
	x.Dirty(1)
	x.W.WriteOK()
}

func cmdFunctionList(x *Ctx) {
	pattern, withCode, err := scripting.ParseListArgs(x.Args[2:])
	if err != nil {
		x.Error(err.Msg)
		return
	}
	x.s.scripts.engine.Functions().List(x.W, pattern, withCode)
}

func cmdFunctionStats(x *Ctx) {
	if err := x.s.scripts.engine.Functions().Stats(x.W, x.s.busyThreshold()); err != nil {
		x.Error(err.Msg)
	}
}

func cmdFunctionDump(x *Ctx) {
	x.W.WriteBulk(x.s.scripts.engine.Functions().Dump(x.s.cfgYes("rdbcompression")))
}

func cmdFunctionRestore(x *Ctx) {
	policy := scripting.RestoreAppend
	if len(x.Args) > 4 {
		subcommandSyntaxError(x)
		return
	}
	if len(x.Args) == 4 {
		var err *scripting.Error
		if policy, err = scripting.ParseRestorePolicy(x.Args[3]); err != nil {
			x.Error(err.Msg)
			return
		}
	}
	if err := x.s.scripts.engine.Functions().Restore(x.Args[2], policy); err != nil {
		x.Error(err.Msg)
		return
	}
	x.s.functionsChanged()
	x.Dirty(1)
	x.W.WriteOK()
}

func cmdFunctionKill(x *Ctx) { x.s.scriptKill(x, true) }

var functionHelp = []string{
	"FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"LOAD [REPLACE] <FUNCTION CODE>",
	"    Create a new library with the given library name and code.",
	"DELETE <LIBRARY NAME>",
	"    Delete the given library.",
	"LIST [LIBRARYNAME PATTERN] [WITHCODE]",
	"    Return general information on all the libraries:",
	"    * Library name",
	"    * The engine used to run the Library",
	"    * Library description",
	"    * Functions list",
	"    * Library code (if WITHCODE is given)",
	"    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
	"STATS",
	"    Return information about the current function running:",
	"    * Function name",
	"    * Command used to run the function",
	"    * Duration in MS that the function is running",
	"    If no function is running, return nil",
	"    In addition, returns a list of available engines.",
	"KILL",
	"    Kill the current running function.",
	"FLUSH [ASYNC|SYNC]",
	"    Delete all the libraries.",
	"    When called without the optional mode argument, the behavior is determined by the",
	"    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
	"    * ASYNC: Asynchronously flush the libraries.",
	"    * SYNC: Synchronously flush the libraries.",
	"DUMP",
	"    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
	"RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
	"    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
	"    control how to handle existing libraries (default APPEND):",
	"    * FLUSH: delete all existing libraries.",
	"    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
	"    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
	"      libraries with the new libraries (notice that even on this option there is a chance of failure",
	"      in case of functions name collision with another library).",
	"HELP",
	"    Prints this help.",
}

func cmdFunctionHelp(x *Ctx) { writeHelp(x, functionHelp) }
