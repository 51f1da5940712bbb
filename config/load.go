package config

import (
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/viper"
)

// EnvPrefix prefixes environment overrides: PETREL_MAXMEMORY=1gb,
// PETREL_MAXMEMORY_POLICY=allkeys-lru.
const EnvPrefix = "PETREL"

// LoadOptions says where the configuration comes from.
type LoadOptions struct {
	File    string    // configuration file, "" for none
	Stdin   io.Reader // read after the file when non-nil ("-" on the command line)
	Options string    // extra lines appended last (the --name value options)
	// RenameCommand validates a rename-command line as the server would
	// apply it, returning Redis's error text or "".
	RenameCommand func(from, to string) string
	// NoEnv disables the PETREL_* environment overrides.
	NoEnv bool
}

// Result is a loaded configuration and what was read to build it.
type Result struct {
	Config *Config
	// Lines lists every directive read, in order, includes expanded.
	Lines []*Line
	// Explicit maps each directive set by the file or the command line to
	// the last line that set it.
	Explicit map[string]*Line
	// Env lists the directives overridden from the environment, as
	// "name=VARIABLE".
	Env []string
	// Renames are the rename-command lines, in order.
	Renames []*Line
	// Ignored are accepted lines Petrel does not act on (user, loadmodule,
	// module configs).
	Ignored []*Line
}

// Load reads the configuration as redis-server does, then merges defaults,
// the values read and PETREL_* environment overrides through viper into a
// fresh Config. Errors are *FatalError or *OpenError.
func Load(opts LoadOptions) (*Result, error) {
	res := &Result{Explicit: make(map[string]*Line)}
	scratch := Defaults()
	r := &reader{cfg: scratch, opts: &opts, res: res, readFile: readFileOS, globFiles: filepath.Glob}

	var text strings.Builder
	if opts.File != "" {
		if strings.ContainsAny(opts.File, "*?[") {
			matches, _ := filepath.Glob(opts.File)
			for _, m := range matches {
				data, err := os.ReadFile(m)
				if err != nil {
					return nil, &OpenError{Path: m, Err: err}
				}
				text.Write(data)
			}
		} else {
			data, err := os.ReadFile(opts.File)
			if err != nil {
				return nil, &OpenError{Path: opts.File, Err: err}
			}
			text.Write(data)
		}
	}
	if opts.Stdin != nil {
		data, err := io.ReadAll(opts.Stdin)
		if err != nil {
			return nil, &OpenError{Path: "-", Err: err}
		}
		text.Write(data)
	}
	source := opts.File
	if source == "" && opts.Stdin != nil {
		source = "-"
	}
	cmdlineFrom := strings.Count(text.String(), "\n") + 2
	text.WriteString("\n")
	text.WriteString(opts.Options)
	if err := r.apply(text.String(), source, cmdlineFrom); err != nil {
		return nil, err
	}
	if err := checkLoaded(scratch); err != nil {
		return nil, err
	}

	final, err := merge(scratch, res, opts.NoEnv)
	if err != nil {
		return nil, err
	}
	if opts.File != "" {
		if abs, err := filepath.Abs(opts.File); err == nil {
			final.ConfigFile = abs
		}
	}
	res.Config = final
	return res, nil
}

// checkLoaded runs Redis's checks on the configuration as a whole.
func checkLoaded(c *Config) error {
	if c.LogFile != "" {
		// Relative to dir, where the server will be when it logs.
		path := c.LogFile
		if !filepath.IsAbs(path) {
			path = filepath.Join(c.AbsDir(), path)
		}
		f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			return &FatalError{Msg: "Can't open the log file: " + ErrnoText(err)}
		}
		f.Close()
	}
	if on, _ := c.Get("cluster-enabled"); on == "yes" && c.ReplicaOfHost != "" {
		return &FatalError{Msg: "replicaof directive not allowed in cluster mode"}
	}
	return nil
}

// EnvName is the environment variable overriding a directive.
func EnvName(directive string) string {
	return EnvPrefix + "_" + strings.ToUpper(strings.ReplaceAll(directive, "-", "_"))
}

// merge layers defaults, the values read (scratch) and the environment in
// viper, then applies the result to a fresh Config with the typed setters.
func merge(scratch *Config, res *Result, noEnv bool) (*Config, error) {
	v := viper.New()
	read := make(map[string]any, len(res.Explicit))
	for _, d := range table {
		v.SetDefault(d.Name, d.def)
		if res.Explicit[d.Name] != nil {
			read[d.Name] = d.exact(scratch)
		}
	}
	if err := v.MergeConfigMap(read); err != nil {
		return nil, &FatalError{Msg: err.Error()}
	}
	if !noEnv {
		v.SetEnvPrefix(EnvPrefix)
		v.SetEnvKeyReplacer(strings.NewReplacer("-", "_"))
		v.AutomaticEnv()
	}
	final := Defaults()
	for _, d := range table {
		val := v.GetString(d.Name)
		fromEnv := false
		if !noEnv {
			if ev, ok := os.LookupEnv(EnvName(d.Name)); ok && ev != "" {
				fromEnv = true
				res.Env = append(res.Env, d.Name+"="+EnvName(d.Name))
			}
		}
		if !fromEnv && res.Explicit[d.Name] == nil {
			continue // the default, already in place
		}
		if err := d.setValue(final, val); err != "" {
			if fromEnv {
				return nil, &FatalError{Msg: "Bad value for " + d.Name + " in the environment (" +
					EnvName(d.Name) + "=" + val + "): " + err}
			}
			return nil, &FatalError{Msg: "Bad value for " + d.Name + ": " + err}
		}
	}
	return final, nil
}
