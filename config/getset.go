package config

import (
	"strings"

	"petrel/internal/glob"
)

// Pair is one name and value, as CONFIG GET returns them and CONFIG SET
// takes them.
type Pair struct {
	Name, Value string
}

// Match returns the directives matching CONFIG GET's arguments. An argument
// without glob characters is looked up exactly (case-insensitively, hidden
// directives included) and reported under the name as given; a pattern
// matches names and aliases case-insensitively and skips hidden ones. Each
// name is reported once, in argument order, a pattern's matches sorted.
func (c *Config) Match(args []string) []Pair {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out []Pair
	seen := make(map[string]bool) // names as given, in any case, as Redis's reply dictionary
	for _, a := range args {
		if !strings.ContainsAny(a, "[*?") {
			if seen[strings.ToLower(a)] {
				continue
			}
			if d := Lookup(a); d != nil {
				seen[strings.ToLower(a)] = true
				out = append(out, Pair{a, d.get(c)})
			}
			continue
		}
		for _, name := range sortedNames {
			d := byName[name]
			if d.flags&fHidden != 0 || seen[name] || !glob.MatchString(a, name, true) {
				continue
			}
			seen[name] = true
			out = append(out, Pair{name, d.get(c)})
		}
	}
	return out
}

// canonicalName is the spelling Redis reports a directive under: its alias
// when the alias was used.
func canonicalName(d *Directive, given string) string {
	if d.Alias != "" && strings.EqualFold(given, d.Alias) {
		return d.Alias
	}
	return d.Name
}

// ApplyFunc puts changed directives into effect once their values are
// stored. It returns the directive that could not be applied and why, or
// nil; the values are then rolled back.
type ApplyFunc func(changed []*Directive) (*Directive, string)

// Set implements CONFIG SET: every pair is validated and stored, or none is.
// allowProtected says whether protected directives (dir, dbfilename) may
// change. It returns Redis's error reply text, or "" on success.
func (c *Config) Set(pairs []Pair, allowProtected bool, apply ApplyFunc) string {
	c.setMu.Lock()
	defer c.setMu.Unlock()

	dirs := make([]*Directive, len(pairs))
	used := make([]string, len(pairs))
	unknown, errArg, errMsg := "", "", ""
	invalid := false
	for i, p := range pairs {
		d := Lookup(p.Name)
		if d == nil {
			if !invalid {
				unknown = p.Name
				invalid = true
			}
			continue
		}
		if invalid {
			continue
		}
		if d.Immutable() || (d.Protected() && !allowProtected) {
			errMsg = "can't set protected config"
			if d.Immutable() {
				errMsg = "can't set immutable config"
			}
			errArg, invalid = p.Name, true
			continue
		}
		used[i] = canonicalName(d, p.Name)
		for j := 0; j < i; j++ {
			if dirs[j] == d && used[j] == used[i] {
				errMsg, errArg, invalid = "duplicate parameter", p.Name, true
				break
			}
		}
		dirs[i] = d
	}
	if invalid {
		if unknown != "" {
			return "ERR Unknown option or number of arguments for CONFIG SET - '" + unknown + "'"
		}
		return setFailed(errArg, errMsg)
	}

	c.mu.Lock()
	old := make([]string, len(pairs))
	oldExact := make([]string, len(pairs)) // get can print less: AnE shows as AE
	for i, d := range dirs {
		old[i], oldExact[i] = d.get(c), d.exact(c)
	}
	restore := func(n int) {
		for i := n - 1; i >= 0; i-- {
			dirs[i].setValue(c, old[i])
		}
	}
	var changed []*Directive
	for i, d := range dirs {
		if err := d.set(c, d.splitValue(pairs[i].Value)); err != "" {
			restore(i + 1)
			c.mu.Unlock()
			return setFailed(used[i], err)
		}
		if d.setMin != 0 && d.num.get(c) < d.setMin {
			d.num.set(c, d.setMin)
		}
		if d.exact(c) != oldExact[i] {
			changed = append(changed, d)
		}
	}
	c.mu.Unlock()

	if apply != nil && len(changed) > 0 {
		if bad, err := apply(changed); bad != nil {
			c.mu.Lock()
			restore(len(dirs))
			c.mu.Unlock()
			apply(changed)
			name := bad.Name
			for i, d := range dirs {
				if d == bad {
					name = used[i]
				}
			}
			return setFailed(name, err)
		}
	}
	return ""
}

func setFailed(arg, msg string) string {
	if msg == "" {
		return "ERR CONFIG SET failed (possibly related to argument '" + arg + "')"
	}
	return "ERR CONFIG SET failed (possibly related to argument '" + arg + "') - " + msg
}
