package server

// commandmeta.json is the public interface description of each command
// Petrel implements (subcommands included): its key specs and command tips as
// COMMAND INFO reports them, and its documentation as COMMAND DOCS reports it
// (summary, since, group, complexity, doc flags, deprecation, history and the
// nested argument structure that redis-cli turns into hints). It was recorded
// from Redis 7.0.15's COMMAND INFO and COMMAND DOCS replies. Everything else
// COMMAND reports (name, arity, flags, ACL categories, first/last/step key
// positions) comes from the command table in table.go, which stays the source
// of truth for how commands run. The few commands Petrel takes from later
// Redis versions (CLIENT NO-TOUCH, CLIENT SETINFO) are described by hand from
// those versions' documentation; regenerating keeps such entries.
//
// To regenerate it, after adding commands to table.go, start a Redis 7.0.15
// server and run from the module root:
//
//	redis-server --port 6399 --save '' --appendonly no --daemonize yes
//	go run ./tools/gencommandmeta -redis 127.0.0.1:6399
//
// The generator takes the command list from Petrel's own table, so only
// commands Petrel implements are recorded. With -verify it then compares a
// running Petrel's COMMAND INFO and COMMAND DOCS replies with Redis's.

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"petrel/resp"
)

//go:embed commandmeta.json
var commandMetaJSON []byte

// CommandMeta is the recorded interface description of one command.
type CommandMeta struct {
	// Tips are the command tips, such as "nondeterministic_output".
	Tips []string `json:"tips,omitempty"`
	// KeySpecs describe where the keys are and how they are accessed.
	KeySpecs []KeySpec `json:"key_specs,omitempty"`
	// Docs is the command's COMMAND DOCS entry, less its subcommands.
	Docs CommandDocs `json:"docs"`
	// Subcommands lists a container's subcommands in the order Redis replied
	// with when the data was recorded (Redis's own order is its hash table's,
	// which changes from run to run).
	Subcommands []string `json:"subcommands,omitempty"`
}

// KeySpec is one key specification of a command.
type KeySpec struct {
	Notes       string      `json:"notes,omitempty"`
	Flags       []string    `json:"flags"`
	BeginSearch BeginSearch `json:"begin_search"`
	FindKeys    FindKeys    `json:"find_keys"`
}

// BeginSearch says where a key spec's keys start: at a fixed index, after a
// keyword searched for from StartFrom (negative counts from the end, searching
// backwards), or somewhere only the command knows ("unknown").
type BeginSearch struct {
	Type      string `json:"type"`
	Index     int    `json:"index,omitempty"`
	Keyword   string `json:"keyword,omitempty"`
	StartFrom int    `json:"startfrom,omitempty"`
}

// FindKeys says which arguments from the start are keys: a range up to
// LastKey (relative to the start, or from the end when negative) every
// KeyStep arguments, Limit dividing the remaining arguments when LastKey is
// -1; or a count of keys at KeyNumIdx with the first key at FirstKey; or
// "unknown". The type decides which fields apply; absent ones are zero.
type FindKeys struct {
	Type      string `json:"type"`
	LastKey   int    `json:"lastkey,omitempty"`
	KeyStep   int    `json:"keystep,omitempty"`
	Limit     int    `json:"limit,omitempty"`
	KeyNumIdx int    `json:"keynumidx,omitempty"`
	FirstKey  int    `json:"firstkey,omitempty"`
}

// CommandDocs is a command's documentation. Empty fields are left out of
// the reply, as Redis does.
type CommandDocs struct {
	Summary         string      `json:"summary,omitempty"`
	Since           string      `json:"since,omitempty"`
	Group           string      `json:"group,omitempty"`
	Complexity      string      `json:"complexity,omitempty"`
	DocFlags        []string    `json:"doc_flags,omitempty"`
	DeprecatedSince string      `json:"deprecated_since,omitempty"`
	ReplacedBy      string      `json:"replaced_by,omitempty"`
	History         [][2]string `json:"history,omitempty"`
	Arguments       []DocArg    `json:"arguments,omitempty"`
}

// DocArg is one documented argument; blocks and one-ofs nest Arguments.
type DocArg struct {
	Name            string   `json:"name"`
	Type            string   `json:"type"`
	KeySpecIndex    *int     `json:"key_spec_index,omitempty"`
	Token           string   `json:"token,omitempty"`
	Since           string   `json:"since,omitempty"`
	DeprecatedSince string   `json:"deprecated_since,omitempty"`
	Flags           []string `json:"flags,omitempty"`
	Arguments       []DocArg `json:"arguments,omitempty"`
}

var (
	commandMetaOnce sync.Once
	commandMetaMap  map[string]*CommandMeta
)

// commandMeta returns the recorded description of the command with the given
// full name, or nil if none was recorded.
func commandMeta(name string) *CommandMeta {
	commandMetaOnce.Do(func() {
		m, err := parseCommandMeta(commandMetaJSON)
		if err != nil {
			// The file is embedded and checked by the tests, so this is a
			// build defect, not something a client can cause.
			panic(err)
		}
		commandMetaMap = m
	})
	return commandMetaMap[name]
}

func parseCommandMeta(data []byte) (map[string]*CommandMeta, error) {
	var m map[string]*CommandMeta
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("server/commandmeta.json: %w", err)
	}
	return m, nil
}

// CommandNames returns the full names of every command and subcommand in
// Petrel's table, sorted; the metadata generator records exactly these.
func CommandNames() []string {
	// Not through orderedSubcommands: the generator must work even when
	// the recorded file is missing or stale.
	var names []string
	for _, c := range allCommands() {
		names = append(names, c.Name)
		for _, sc := range c.Subcommands {
			names = append(names, sc.Name)
		}
	}
	sort.Strings(names)
	return names
}

// orderedSubcommands returns a container's subcommands in the recorded
// order, followed by any not yet recorded, sorted.
func (c *Command) orderedSubcommands() []*Command {
	if len(c.Subcommands) == 0 {
		return nil
	}
	out := make([]*Command, 0, len(c.Subcommands))
	if m := commandMeta(c.Name); m != nil {
		for _, name := range m.Subcommands {
			if sc := c.Subcommands[name[strings.IndexByte(name, '|')+1:]]; sc != nil && sc.Name == name {
				out = append(out, sc)
			}
		}
	}
	if len(out) == len(c.Subcommands) {
		return out
	}
	start := len(out)
	for _, sc := range c.Subcommands {
		if !slices.Contains(out[:start], sc) {
			out = append(out, sc)
		}
	}
	rest := out[start:]
	sort.Slice(rest, func(i, j int) bool { return rest[i].Name < rest[j].Name })
	return out
}

// hasKeys reports whether the command takes key arguments at all.
func (c *Command) hasKeys() bool {
	if c.KeysFunc != nil {
		return true
	}
	if m := commandMeta(c.Name); m != nil && len(m.KeySpecs) > 0 {
		// Redis's doesCommandHaveKeys: a spec that is a key. SPUBLISH's
		// channel has a spec (and a first key) that is not one.
		for _, ks := range m.KeySpecs {
			if !slices.Contains(ks.Flags, "not_key") {
				return true
			}
		}
		return false
	}
	return c.FirstKey > 0
}

// writeCommandInfo writes the command's COMMAND INFO entry: name, arity,
// flags, first key, last key, step, ACL categories, tips, key specs and
// subcommands.
func writeCommandInfo(w *resp.Writer, c *Command) {
	m := commandMeta(c.Name)
	w.WriteArrayLen(10)
	w.WriteBulkString(c.Name)
	w.WriteInt(int64(c.Arity))
	flags := c.Flags.Names()
	w.WriteSetLen(len(flags))
	for _, f := range flags {
		w.WriteSimple(f)
	}
	w.WriteInt(int64(c.FirstKey))
	w.WriteInt(int64(c.LastKey))
	w.WriteInt(int64(c.Step))
	w.WriteSetLen(len(c.ACL))
	for _, cat := range c.ACL {
		w.WriteSimple("@" + cat)
	}
	var tips []string
	var specs []KeySpec
	if m != nil {
		tips, specs = m.Tips, m.KeySpecs
	}
	w.WriteSetLen(len(tips))
	for _, t := range tips {
		w.WriteBulkString(t)
	}
	w.WriteSetLen(len(specs))
	for i := range specs {
		writeKeySpec(w, &specs[i])
	}
	if len(c.Subcommands) == 0 {
		w.WriteSetLen(0)
		return
	}
	w.WriteArrayLen(len(c.Subcommands))
	for _, sc := range c.orderedSubcommands() {
		writeCommandInfo(w, sc)
	}
}

func writeKeySpec(w *resp.Writer, ks *KeySpec) {
	n := 3
	if ks.Notes != "" {
		n++
	}
	w.WriteMapLen(n)
	if ks.Notes != "" {
		w.WriteBulkString("notes")
		w.WriteBulkString(ks.Notes)
	}
	w.WriteBulkString("flags")
	w.WriteSetLen(len(ks.Flags))
	for _, f := range ks.Flags {
		w.WriteSimple(f)
	}

	bs := &ks.BeginSearch
	w.WriteBulkString("begin_search")
	w.WriteMapLen(2)
	w.WriteBulkString("type")
	w.WriteBulkString(bs.Type)
	w.WriteBulkString("spec")
	switch bs.Type {
	case "index":
		w.WriteMapLen(1)
		writeIntField(w, "index", bs.Index)
	case "keyword":
		w.WriteMapLen(2)
		w.WriteBulkString("keyword")
		w.WriteBulkString(bs.Keyword)
		writeIntField(w, "startfrom", bs.StartFrom)
	default:
		w.WriteMapLen(0)
	}

	fk := &ks.FindKeys
	w.WriteBulkString("find_keys")
	w.WriteMapLen(2)
	w.WriteBulkString("type")
	w.WriteBulkString(fk.Type)
	w.WriteBulkString("spec")
	switch fk.Type {
	case "range":
		w.WriteMapLen(3)
		writeIntField(w, "lastkey", fk.LastKey)
		writeIntField(w, "keystep", fk.KeyStep)
		writeIntField(w, "limit", fk.Limit)
	case "keynum":
		w.WriteMapLen(3)
		writeIntField(w, "keynumidx", fk.KeyNumIdx)
		writeIntField(w, "firstkey", fk.FirstKey)
		writeIntField(w, "keystep", fk.KeyStep)
	default:
		w.WriteMapLen(0)
	}
}

func writeIntField(w *resp.Writer, name string, v int) {
	w.WriteBulkString(name)
	w.WriteInt(int64(v))
}

// writeCommandDocs writes the command's COMMAND DOCS entry (the value; the
// caller writes the name), with its subcommands' entries nested.
func writeCommandDocs(w *resp.Writer, c *Command) {
	var d CommandDocs
	if m := commandMeta(c.Name); m != nil {
		d = m.Docs
	}
	fields := []struct {
		name, val string
	}{{"summary", d.Summary}, {"since", d.Since}, {"group", d.Group}, {"complexity", d.Complexity}}
	n := 0
	for _, f := range fields {
		if f.val != "" {
			n++
		}
	}
	for _, present := range []bool{len(d.DocFlags) > 0, d.DeprecatedSince != "", d.ReplacedBy != "",
		len(d.History) > 0, len(d.Arguments) > 0, len(c.Subcommands) > 0} {
		if present {
			n++
		}
	}
	w.WriteMapLen(n)
	for _, f := range fields {
		if f.val != "" {
			w.WriteBulkString(f.name)
			w.WriteBulkString(f.val)
		}
	}
	if len(d.DocFlags) > 0 {
		w.WriteBulkString("doc_flags")
		w.WriteSetLen(len(d.DocFlags))
		for _, f := range d.DocFlags {
			w.WriteSimple(f)
		}
	}
	if d.DeprecatedSince != "" {
		w.WriteBulkString("deprecated_since")
		w.WriteBulkString(d.DeprecatedSince)
	}
	if d.ReplacedBy != "" {
		w.WriteBulkString("replaced_by")
		w.WriteBulkString(d.ReplacedBy)
	}
	if len(d.History) > 0 {
		w.WriteBulkString("history")
		w.WriteSetLen(len(d.History))
		for _, h := range d.History {
			w.WriteArrayLen(2)
			w.WriteBulkString(h[0])
			w.WriteBulkString(h[1])
		}
	}
	if len(d.Arguments) > 0 {
		w.WriteBulkString("arguments")
		writeDocArgs(w, d.Arguments)
	}
	if len(c.Subcommands) > 0 {
		w.WriteBulkString("subcommands")
		w.WriteMapLen(len(c.Subcommands))
		for _, sc := range c.orderedSubcommands() {
			w.WriteBulkString(sc.Name)
			writeCommandDocs(w, sc)
		}
	}
}

func writeDocArgs(w *resp.Writer, args []DocArg) {
	w.WriteArrayLen(len(args))
	for i := range args {
		a := &args[i]
		n := 2
		for _, present := range []bool{a.KeySpecIndex != nil, a.Token != "", a.Since != "",
			a.DeprecatedSince != "", len(a.Flags) > 0, len(a.Arguments) > 0} {
			if present {
				n++
			}
		}
		w.WriteMapLen(n)
		w.WriteBulkString("name")
		w.WriteBulkString(a.Name)
		w.WriteBulkString("type")
		w.WriteBulkString(a.Type)
		if a.KeySpecIndex != nil {
			writeIntField(w, "key_spec_index", *a.KeySpecIndex)
		}
		if a.Token != "" {
			w.WriteBulkString("token")
			w.WriteBulkString(a.Token)
		}
		if a.Since != "" {
			w.WriteBulkString("since")
			w.WriteBulkString(a.Since)
		}
		if a.DeprecatedSince != "" {
			w.WriteBulkString("deprecated_since")
			w.WriteBulkString(a.DeprecatedSince)
		}
		if len(a.Flags) > 0 {
			w.WriteBulkString("flags")
			w.WriteSetLen(len(a.Flags))
			for _, f := range a.Flags {
				w.WriteSimple(f)
			}
		}
		if len(a.Arguments) > 0 {
			w.WriteBulkString("arguments")
			writeDocArgs(w, a.Arguments)
		}
	}
}
