package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"petrel/resp"
)

// RedisVersion is the Redis release whose configuration Petrel follows; it
// appears in the FATAL CONFIG FILE ERROR banner exactly as Redis prints it.
const RedisVersion = "7.0.15"

// Line is one directive as read from a configuration source.
type Line struct {
	File string   // the file it came from; "-" for stdin, "" for the command line
	Num  int      // 1-based line number, counted as Redis counts it
	Text string   // the line, trimmed
	Name string   // the directive name, lower case
	Args []string // the arguments after the name
}

// FatalError is a configuration error; its text is what Redis prints to
// stderr before exiting with status 1.
type FatalError struct {
	Line *Line // nil for errors not tied to one line
	Msg  string
}

func (e *FatalError) Error() string {
	var b strings.Builder
	b.WriteString("\n*** FATAL CONFIG FILE ERROR (Redis " + RedisVersion + ") ***\n")
	if e.Line != nil {
		fmt.Fprintf(&b, "Reading the configuration file, at line %d\n", e.Line.Num)
		fmt.Fprintf(&b, ">>> '%s'\n", e.Line.Text)
	}
	b.WriteString(e.Msg + "\n")
	return b.String()
}

// OpenError is a configuration file that cannot be read. Redis logs it as a
// warning line ("Fatal error, can't open config file ...") and exits 1.
type OpenError struct {
	Path string
	Err  error
}

func (e *OpenError) Error() string {
	return fmt.Sprintf("Fatal error, can't open config file '%s': %s", e.Path, ErrnoText(e.Err))
}

// CommandLine is redis-server's command line, split into its parts.
type CommandLine struct {
	File    string // the configuration file, "" if none
	Stdin   bool   // "-" asked for configuration on standard input
	Options string // the --name value options, as redis.conf lines
	Version bool   // -v / --version
	Help    bool   // -h / --help
	NoArgs  bool   // started without any argument
}

// ParseCommandLine reads arguments as redis-server does: an optional config
// file first, "-" (first or last) for stdin, then "--name value ..." options
// that become config lines appended after the file. Values are quoted with
// Repr, so any byte survives; "--save" without a value means save "".
func ParseCommandLine(args []string) CommandLine {
	var cl CommandLine
	if len(args) == 0 {
		cl.NoArgs = true
		return cl
	}
	switch args[0] {
	case "-v", "--version":
		cl.Version = true
		return cl
	case "-h", "--help":
		cl.Help = true
		return cl
	}
	j := 0
	if !strings.HasPrefix(args[0], "-") {
		cl.File = args[0]
		j = 1
	}
	var opts strings.Builder
	handledLast := true
	for ; j < len(args); j++ {
		a := args[j]
		last := j == len(args)-1
		switch {
		case a == "-" && (j == 0 || last):
			cl.Stdin = true
		case handledLast && strings.HasPrefix(a, "--"):
			if opts.Len() > 0 {
				opts.WriteByte('\n')
			}
			opts.WriteString(a[2:])
			opts.WriteByte(' ')
			if parts, _ := resp.SplitArgs([]byte(a)); len(parts) == 1 {
				// Only a name: its values follow, unless this is a bare
				// --save, which stands for save "".
				handledLast = false
				if strings.EqualFold(a, "--save") && (last || strings.HasPrefix(args[j+1], "--")) {
					opts.WriteString(`""`)
					handledLast = true
				} else if strings.EqualFold(a, "--sentinel") && !last && strings.HasPrefix(args[j+1], "--") {
					handledLast = true
				}
			} else {
				handledLast = true
			}
		default:
			opts.WriteString(Repr(a))
			opts.WriteByte(' ')
			handledLast = true
		}
	}
	cl.Options = opts.String()
	return cl
}

// deprecated directives Redis still accepts and ignores, with their
// argument count (name included).
var deprecated = map[string]int{
	"list-max-ziplist-entries": 2,
	"list-max-ziplist-value":   2,
	"lua-replicate-commands":   2,
}

// reader applies configuration text to a Config line by line, as Redis's
// loadServerConfigFromString does.
type reader struct {
	cfg *Config
	// cmdlineFrom is the first line number of the command-line options in
	// the top-level text (0 when applying an included file).
	cmdlineFrom int
	opts        *LoadOptions
	res         *Result
	saveSeen    bool
	depth       int
	readFile    func(path string) ([]byte, error)
	globFiles   func(pattern string) ([]string, error)
}

// loadFile reads one file (or, with a wildcard, every file matching it) and
// applies it.
func (r *reader) loadFile(path string) error {
	if strings.ContainsAny(path, "*?[") {
		matches, _ := r.globFiles(r.resolve(path))
		for _, m := range matches {
			data, err := r.readFile(m)
			if err != nil {
				return &OpenError{Path: m, Err: err}
			}
			if err := r.apply(string(data), m, 0); err != nil {
				return err
			}
		}
		return nil
	}
	data, err := r.readFile(r.resolve(path))
	if err != nil {
		return &OpenError{Path: path, Err: err}
	}
	return r.apply(string(data), path, 0)
}

// resolve makes an include path absolute the way Redis's fopen sees it:
// relative to the working directory, which an earlier dir line moved.
func (r *reader) resolve(path string) string {
	if filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(r.cfg.AbsDir(), path)
}

// apply runs every line of text; file names the source for the record, and
// lines from cmdlineFrom on (when not 0) came from the command line.
func (r *reader) apply(text, file string, cmdlineFrom int) error {
	r.depth++
	defer func() { r.depth-- }()
	if r.depth > 32 {
		return &FatalError{Msg: "Too many nested include directives"}
	}
	for i, raw := range strings.Split(text, "\n") {
		t := strings.Trim(raw, " \t\r\n")
		if t == "" || t[0] == '#' {
			continue
		}
		ln := &Line{File: file, Num: i + 1, Text: t}
		if cmdlineFrom > 0 && ln.Num >= cmdlineFrom {
			ln.File = ""
		}
		parts, ok := resp.SplitArgs([]byte(t))
		if !ok {
			return &FatalError{Line: ln, Msg: "Unbalanced quotes in configuration line"}
		}
		if len(parts) == 0 {
			continue
		}
		ln.Name = strings.ToLower(string(parts[0]))
		for _, p := range parts[1:] {
			ln.Args = append(ln.Args, string(p))
		}
		if err := r.directive(ln); err != nil {
			return err
		}
	}
	return nil
}

func (r *reader) directive(ln *Line) error {
	r.res.Lines = append(r.res.Lines, ln)
	argc := len(ln.Args) + 1
	fail := func(msg string) error { return &FatalError{Line: ln, Msg: msg} }
	if d := Lookup(ln.Name); d != nil {
		if !d.MultiArg() && argc != 2 {
			return fail("wrong number of arguments")
		}
		args := ln.Args
		if d.MultiArg() && len(args) == 1 && args[0] != "" {
			// One argument holding several (--save "3600 1"): Redis splits
			// it as it splits a line.
			parts, ok := resp.SplitArgs([]byte(args[0]))
			if !ok {
				return fail("Unbalanced quotes in configuration line")
			}
			args = make([]string, len(parts))
			for i, p := range parts {
				args[i] = string(p)
			}
		}
		if d.Name == "save" {
			// The first save line replaces the defaults; later ones add
			// points, and save "" clears them.
			if !r.saveSeen {
				r.cfg.Save = nil
				r.saveSeen = true
			}
			if len(args) == 1 && args[0] == "" {
				r.cfg.Save = nil
			} else {
				pts, err := parseSavePoints(args)
				if err != "" {
					return fail(err)
				}
				r.cfg.Save = append(r.cfg.Save, pts...)
			}
		} else if err := d.set(r.cfg, args); err != "" {
			return fail(err)
		}
		r.res.Explicit[d.Name] = ln
		return nil
	}
	if n, ok := deprecated[ln.Name]; ok && n == argc {
		return nil
	}
	switch {
	case ln.Name == "include" && argc == 2:
		return r.loadFile(ln.Args[0])
	case ln.Name == "rename-command" && argc == 3:
		if r.opts.RenameCommand != nil {
			if err := r.opts.RenameCommand(ln.Args[0], ln.Args[1]); err != "" {
				return fail(err)
			}
		}
		r.res.Renames = append(r.res.Renames, ln)
	case ln.Name == "user" && argc >= 2:
		r.res.Ignored = append(r.res.Ignored, ln)
	case ln.Name == "loadmodule" && argc >= 2:
		r.res.Ignored = append(r.res.Ignored, ln)
	case strings.Contains(ln.Name, "."):
		if argc != 2 {
			return fail("Module config specified without value")
		}
		r.res.Ignored = append(r.res.Ignored, ln)
	case ln.Name == "sentinel":
		if argc != 1 {
			return fail("sentinel directive while not in sentinel mode")
		}
		return fail("Sentinel mode is not available in this version of Petrel")
	default:
		return fail("Bad directive or wrong number of arguments")
	}
	return nil
}

// readFileOS reads a configuration file.
func readFileOS(path string) ([]byte, error) { return os.ReadFile(path) }
