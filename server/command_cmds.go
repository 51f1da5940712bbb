package server

import (
	"bytes"
	"slices"
	"strings"

	"petrel/internal/glob"
	"petrel/internal/num"
	"petrel/resp"
)

// COMMAND and its subcommands describe the command table. Names, arity,
// flags, ACL categories and key positions come from table.go; key specs,
// tips and documentation from the recorded commandmeta.json.

// cmdCommand is COMMAND without a subcommand: every command's INFO entry.
func cmdCommand(x *Ctx) {
	writeAllCommandInfo(x.W, x.s.cmds)
}

func writeAllCommandInfo(w *resp.Writer, t commandTable) {
	cmds := t.sorted()
	w.WriteArrayLen(len(cmds))
	for _, c := range cmds {
		writeCommandInfo(w, c)
	}
}

// cmdCommandCount counts top-level commands; subcommands are not counted.
func cmdCommandCount(x *Ctx) { x.W.WriteInt(int64(len(x.s.cmds))) }

// cmdCommandInfo replies with the entries of the named commands ("config|get"
// names a subcommand), a null for each unknown name, or every command's entry
// when no name is given.
func cmdCommandInfo(x *Ctx) {
	if len(x.Args) == 2 {
		writeAllCommandInfo(x.W, x.s.cmds)
		return
	}
	names := x.Args[2:]
	x.W.WriteArrayLen(len(names))
	for _, name := range names {
		if c := x.s.cmds.lookupFullName(name); c != nil {
			writeCommandInfo(x.W, c)
		} else {
			x.W.WriteNull()
		}
	}
}

// cmdCommandDocs replies with a map from command name to documentation.
// Unknown names are left out, not answered with a null.
func cmdCommandDocs(x *Ctx) {
	var cmds []*Command
	if len(x.Args) == 2 {
		cmds = x.s.cmds.sorted()
	} else {
		for _, name := range x.Args[2:] {
			if c := x.s.cmds.lookupFullName(name); c != nil {
				cmds = append(cmds, c)
			}
		}
	}
	x.W.WriteMapLen(len(cmds))
	for _, c := range cmds {
		x.W.WriteBulkString(c.Name)
		writeCommandDocs(x.W, c)
	}
}

// cmdCommandList lists the names of every command and subcommand, or of those
// in an ACL category, whose name matches a pattern, or from a module (Petrel
// has none).
func cmdCommandList(x *Ctx) {
	var match func(c *Command) bool
	switch {
	case len(x.Args) == 2:
		match = func(*Command) bool { return true }
	case len(x.Args) == 5 && strings.EqualFold(string(x.Args[2]), "filterby"):
		val := string(x.Args[4])
		switch strings.ToLower(string(x.Args[3])) {
		case "module":
			match = func(*Command) bool { return false }
		case "aclcat":
			match = func(c *Command) bool {
				return slices.ContainsFunc(c.ACL, func(cat string) bool { return strings.EqualFold(cat, val) })
			}
		case "pattern":
			match = func(c *Command) bool { return glob.MatchString(val, c.Name, true) }
		}
	}
	if match == nil {
		x.Error(ErrSyntax)
		return
	}
	var names []string
	for _, c := range x.s.cmds.sorted() {
		if match(c) {
			names = append(names, c.Name)
		}
		for _, sc := range c.orderedSubcommands() {
			if match(sc) {
				names = append(names, sc.Name)
			}
		}
	}
	x.W.WriteStringArray(names)
}

// cmdCommandGetkeys extracts the keys of a full command line.
func cmdCommandGetkeys(x *Ctx) { commandGetKeys(x, false) }

// cmdCommandGetkeysandflags extracts the keys of a full command line with
// the access flags of each.
func cmdCommandGetkeysandflags(x *Ctx) { commandGetKeys(x, true) }

func commandGetKeys(x *Ctx, withFlags bool) {
	args := x.Args[2:]
	c := x.s.cmds.lookup(args[0])
	if c != nil && len(c.Subcommands) > 0 {
		// COMMAND GETKEYS needs at least two words of the command, so a
		// container always names one of its subcommands.
		c = c.Subcommands[strings.ToLower(string(args[1]))]
	}
	switch {
	case c == nil:
		x.Error("ERR Invalid command specified")
		return
	case !c.hasKeys():
		x.Error("ERR The command has no key arguments")
		return
	case !c.checkArity(len(args)):
		x.Error("ERR Invalid number of arguments specified for command")
		return
	}
	pos := c.KeyPositions(args, nil)
	if len(pos) == 0 {
		if c.Is(FlagNoMandatoryKeys) {
			x.W.WriteArrayLen(0)
		} else {
			x.Error("ERR Invalid arguments specified for command")
		}
		return
	}
	x.W.WriteArrayLen(len(pos))
	var specs []KeySpec
	if withFlags {
		if m := commandMeta(c.Name); m != nil {
			specs = m.KeySpecs
		}
	}
	for _, p := range pos {
		if !withFlags {
			x.W.WriteBulk(args[p])
			continue
		}
		x.W.WriteArrayLen(2)
		x.W.WriteBulk(args[p])
		flags := keyFlags(c, specs, args, p)
		n := 0
		for _, f := range flags {
			if isKeyAccessFlag(f) {
				n++
			}
		}
		x.W.WriteSetLen(n)
		for _, f := range flags {
			if isKeyAccessFlag(f) {
				x.W.WriteSimple(f)
			}
		}
	}
}

// variableKeyFlags gives the flags of the keys of commands whose key specs
// are marked variable_flags: their access depends on the other arguments.
var variableKeyFlags = map[string]func(args [][]byte, pos int) []string{
	// SET ... GET reads the old value before overwriting it.
	"set": func(args [][]byte, pos int) []string {
		for _, a := range args[min(3, len(args)):] {
			if bytes.EqualFold(a, []byte("get")) {
				return []string{"RW", "access", "update"}
			}
		}
		return []string{"OW", "update"}
	},
}

// keyFlags returns the flags of the key at args[pos]: those of the first key
// spec that finds it, or else of the first spec that admits it cannot find
// all keys.
func keyFlags(c *Command, specs []KeySpec, args [][]byte, pos int) []string {
	if f := variableKeyFlags[c.Name]; f != nil {
		return f(args, pos)
	}
	for i := range specs {
		if specs[i].covers(args, pos) {
			return specs[i].Flags
		}
	}
	for i := range specs {
		ks := &specs[i]
		if slices.Contains(ks.Flags, "incomplete") || ks.BeginSearch.Type == "unknown" || ks.FindKeys.Type == "unknown" {
			return ks.Flags
		}
	}
	return nil
}

// isKeyAccessFlag tells the flags that describe a key's access from those
// that describe the spec (incomplete, variable_flags, not_key).
func isKeyAccessFlag(f string) bool {
	switch f {
	case "RO", "RW", "OW", "RM", "access", "update", "insert", "delete":
		return true
	}
	return false
}

// covers reports whether the key spec finds a key at args[pos].
func (ks *KeySpec) covers(args [][]byte, pos int) bool {
	argc := len(args)
	start := 0
	switch bs := &ks.BeginSearch; bs.Type {
	case "index":
		start = bs.Index
	case "keyword":
		from, to, dir := bs.StartFrom, argc-1, 1
		if bs.StartFrom < 0 {
			from, to, dir = argc+bs.StartFrom, 1, -1
		}
		for i := from; i >= 1 && i < argc && (i-to)*dir <= 0; i += dir {
			if strings.EqualFold(string(args[i]), bs.Keyword) {
				start = i + 1
				break
			}
		}
	}
	if start <= 0 || start >= argc || pos < start {
		return false
	}
	fk := &ks.FindKeys
	step := max(fk.KeyStep, 1)
	switch fk.Type {
	case "range":
		last := start + fk.LastKey
		if fk.LastKey < 0 {
			last = argc + fk.LastKey
			if fk.LastKey == -1 && fk.Limit > 1 {
				last = start + (argc-start)/fk.Limit - 1
			}
		}
		return pos <= last && (pos-start)%step == 0
	case "keynum":
		if start+fk.KeyNumIdx >= argc {
			return false
		}
		n, ok := num.ParseInt(args[start+fk.KeyNumIdx])
		first := start + fk.FirstKey
		return ok && pos >= first && (pos-first)%step == 0 && int64((pos-first)/step) < n
	}
	return false
}

var commandHelp = []string{
	"COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"(no subcommand)",
	"    Return details about all Redis commands.",
	"COUNT",
	"    Return the total number of commands in this Redis server.",
	"LIST",
	"    Return a list of all commands in this Redis server.",
	"INFO [<command-name> ...]",
	"    Return details about multiple Redis commands.",
	"    If no command names are given, documentation details for all",
	"    commands are returned.",
	"DOCS [<command-name> ...]",
	"    Return documentation details about multiple Redis commands.",
	"    If no command names are given, documentation details for all",
	"    commands are returned.",
	"GETKEYS <full-command>",
	"    Return the keys from a full Redis command.",
	"GETKEYSANDFLAGS <full-command>",
	"    Return the keys and the access flags from a full Redis command.",
	"HELP",
	"    Prints this help.",
}

func cmdCommandHelp(x *Ctx) {
	x.W.WriteArrayLen(len(commandHelp))
	for _, line := range commandHelp {
		x.W.WriteSimple(line)
	}
}

// lookupFullName finds a command by its full name, "get" or "config|get",
// ignoring case.
func (t commandTable) lookupFullName(name []byte) *Command {
	i := bytes.IndexByte(name, '|')
	if i < 0 {
		return t.lookup(name)
	}
	parent := t.lookup(name[:i])
	if parent == nil || parent.Subcommands == nil {
		return nil
	}
	return parent.Subcommands[strings.ToLower(string(name[i+1:]))]
}
