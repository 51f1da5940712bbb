package scripting

import "strings"

// Flags are a script's or function's flags (shebang flags=, or
// register_function's flags).
type Flags uint32

// Script and function flags.
const (
	FlagNoWrites Flags = 1 << iota
	FlagAllowOOM
	FlagAllowStale
	FlagNoCluster
	FlagAllowCrossSlotKeys
	// FlagEvalCompat marks a script without a shebang, which Redis runs
	// with EVAL's historical rules (writes allowed, checks per command).
	FlagEvalCompat
)

var flagNames = []struct {
	name string
	flag Flags
}{
	{"no-writes", FlagNoWrites},
	{"allow-oom", FlagAllowOOM},
	{"allow-stale", FlagAllowStale},
	{"no-cluster", FlagNoCluster},
	{"allow-cross-slot-keys", FlagAllowCrossSlotKeys},
}

// Names lists the flags' names in Redis's order (FUNCTION LIST).
func (f Flags) Names() []string {
	var out []string
	for _, fn := range flagNames {
		if f&fn.flag != 0 {
			out = append(out, fn.name)
		}
	}
	return out
}

func flagByName(name string) (Flags, bool) {
	for _, fn := range flagNames {
		if fn.name == name {
			return fn.flag, true
		}
	}
	return 0, false
}

// CheckRO returns the error for running a script with the given flags
// through EVAL_RO, EVALSHA_RO or FCALL_RO, or nil.
func CheckRO(f Flags) *Error {
	if f&FlagEvalCompat == 0 && f&FlagNoWrites == 0 {
		return errf(ErrWriteFlagRO)
	}
	return nil
}

// DeclaredFlags returns the flags an EVAL body's shebang line declares, as
// Redis reads them before running a script to judge the command
// (FlagEvalCompat without a shebang). ok is false for an invalid line, which
// the script's compilation then reports.
func DeclaredFlags(body []byte) (flags Flags, ok bool) {
	if len(body) < 2 || body[0] != '#' || body[1] != '!' {
		return FlagEvalCompat, true
	}
	f, _, err := parseShebang(string(body))
	return f, err == nil
}

// parseShebang reads an EVAL script's "#!lua flags=..." line. It returns
// the flags and the code to compile: the shebang line blanked, so line
// numbers stay those of the body.
func parseShebang(body string) (Flags, string, *Error) {
	// Redis finds the line's end with strchr, which stops at a NUL.
	nl := strings.IndexByte(body, '\n')
	if nl < 0 || strings.IndexByte(body[:nl], 0) >= 0 {
		return 0, "", errf("ERR Invalid script shebang")
	}
	parts, ok := splitArgs(body[:nl])
	if !ok {
		return 0, "", errf("ERR Invalid engine in script shebang") // unbalanced quotes
	}
	if len(parts) == 0 || parts[0] != "#!lua" {
		engine := body[:nl]
		if len(parts) > 0 {
			engine = parts[0]
		}
		return 0, "", errf("ERR Unexpected engine in script shebang: " + engine)
	}
	var flags Flags
	for _, p := range parts[1:] {
		v, found := strings.CutPrefix(p, "flags=")
		if !found {
			return 0, "", errf("ERR Unknown lua shebang option: " + p)
		}
		flags = 0
		if v == "" {
			continue
		}
		for _, name := range strings.Split(v, ",") {
			f, ok := flagByName(name)
			if !ok {
				return 0, "", errf("ERR Unexpected flag in script shebang: " + name)
			}
			flags |= f
		}
	}
	return flags, body[nl:], nil
}

// splitArgs splits a line into words as Redis's sdssplitargs does: spaces
// separate, double quotes allow escapes, single quotes are literal. ok is
// false for unbalanced quotes.
func splitArgs(line string) (args []string, ok bool) {
	i := 0
	for {
		for i < len(line) && isSpace(line[i]) {
			i++
		}
		if i >= len(line) {
			return args, true
		}
		var cur []byte
		inDQ, inSQ, done := false, false, false
		for !done {
			if inDQ {
				if i >= len(line) {
					return nil, false
				}
				c := line[i]
				switch {
				case c == '\\' && i+3 < len(line) && line[i+1] == 'x' && isHex(line[i+2]) && isHex(line[i+3]):
					cur = append(cur, hexVal(line[i+2])<<4|hexVal(line[i+3]))
					i += 3
				case c == '\\' && i+1 < len(line):
					i++
					switch line[i] {
					case 'n':
						cur = append(cur, '\n')
					case 'r':
						cur = append(cur, '\r')
					case 't':
						cur = append(cur, '\t')
					case 'b':
						cur = append(cur, '\b')
					case 'a':
						cur = append(cur, '\a')
					default:
						cur = append(cur, line[i])
					}
				case c == '"':
					if i+1 < len(line) && !isSpace(line[i+1]) {
						return nil, false
					}
					inDQ, done = false, true
				default:
					cur = append(cur, c)
				}
			} else if inSQ {
				if i >= len(line) {
					return nil, false
				}
				c := line[i]
				switch {
				case c == '\\' && i+1 < len(line) && line[i+1] == '\'':
					i++
					cur = append(cur, '\'')
				case c == '\'':
					if i+1 < len(line) && !isSpace(line[i+1]) {
						return nil, false
					}
					inSQ, done = false, true
				default:
					cur = append(cur, c)
				}
			} else {
				if i >= len(line) {
					break
				}
				switch c := line[i]; {
				case isSpace(c):
					done = true
				case c == '"':
					inDQ = true
				case c == '\'':
					inSQ = true
				default:
					cur = append(cur, c)
				}
			}
			if i < len(line) {
				i++
			}
			if i >= len(line) && !inDQ && !inSQ {
				done = true
			}
		}
		args = append(args, string(cur))
	}
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f'
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func hexVal(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
