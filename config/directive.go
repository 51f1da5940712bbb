package config

import (
	"strconv"
	"strings"

	"petrel/internal/num"
	"petrel/internal/repr"
)

// Directive describes one configuration directive: its names, type, bounds,
// default, whether it may change at run time, and where its value lives.
type Directive struct {
	Name  string
	Alias string // older name accepted everywhere ("slaveof" for "replicaof")

	kind  kind
	flags dflag
	def   string // default, as CONFIG GET prints it
	idx   int    // position in table, for directives stored in Config.gen

	boolean func(*Config) *bool
	str     func(*Config) *string
	num     *numAccess
	nk      numKind
	min     int64
	max     int64
	uns     bool // unsigned C type: bounds compare as uint64
	enum    []enumItem
	enumPtr func(*Config) *string
	flagPtr func(*Config) *int // bit-flag enums (shutdown-on-sigterm)

	// special directives
	setFn     func(c *Config, args []string) string
	getFn     func(c *Config) string
	rewriteFn func(c *Config, d *Directive, st *rewriteState)
	// exactFn, where getFn prints less than the value holds (as Redis
	// prints it), gives a string that sets the value back exactly: the
	// start-up merge passes values through strings.
	exactFn func(c *Config) string

	// check validates a new value further (after type parsing); it returns
	// an error text or "".
	check func(c *Config, v string) string
	// after runs once a value is stored (hz clamps itself).
	after func(c *Config)
	// setMin is what CONFIG SET raises a smaller number to, as Redis's
	// apply function does (repl-backlog-size); the config file's value
	// stays as written.
	setMin int64
}

type kind uint8

const (
	kBool kind = iota
	kNum
	kEnum
	kFlags
	kString
	kSpecial
)

type dflag uint16

const (
	fImmutable dflag = 1 << iota // CONFIG SET refuses it
	fProtected                   // CONFIG SET needs enable-protected-configs
	fHidden                      // CONFIG GET patterns skip it; exact names work
	fMultiArg                    // the value is several space-separated arguments
	fSensitive                   // redacted from logs
	fEffect                      // Petrel acts on it
	fEmptyNull                   // string whose empty value means unset (not rewritten)
)

type numKind uint8

const (
	nInt    numKind = iota // plain integer (Redis's string2ll)
	nMem                   // memory value: 1gb, 100mb, 5k ...
	nMemPct                // memory value or a percentage (stored negated)
	nOctal                 // octal (unixsocketperm)
)

type numAccess struct {
	get func(*Config) int64
	set func(*Config, int64)
}

// field binds a numeric directive to a typed Config field.
func field[T ~int | ~int64 | ~uint32 | ~uint64](f func(*Config) *T) *numAccess {
	return &numAccess{
		get: func(c *Config) int64 { return int64(*f(c)) },
		set: func(c *Config, v int64) { *f(c) = T(v) },
	}
}

type enumItem struct {
	name string
	val  int
}

func names(list ...string) []enumItem {
	out := make([]enumItem, len(list))
	for i, n := range list {
		out[i] = enumItem{n, i}
	}
	return out
}

// Immutable reports whether CONFIG SET refuses the directive.
func (d *Directive) Immutable() bool { return d.flags&fImmutable != 0 }

// Protected reports whether CONFIG SET needs enable-protected-configs.
func (d *Directive) Protected() bool { return d.flags&fProtected != 0 }

// Sensitive reports whether the value must not be logged (passwords).
func (d *Directive) Sensitive() bool { return d.flags&fSensitive != 0 }

// Effective reports whether Petrel acts on the directive; the others are
// accepted and kept for compatibility only.
func (d *Directive) Effective() bool { return d.flags&fEffect != 0 }

// MultiArg reports whether the value is a list of arguments (save, bind...).
func (d *Directive) MultiArg() bool { return d.flags&fMultiArg != 0 }

// Default returns the default value as CONFIG GET prints it.
func (d *Directive) Default() string { return d.def }

// setValue stores a value in CONFIG GET's form (defaults, merged layers,
// rollbacks). An empty replicaof means no master, which no line can say.
func (d *Directive) setValue(c *Config, v string) string {
	if v == "" && d.Name == "replicaof" {
		c.ReplicaOfHost, c.ReplicaOfPort = "", 0
		return ""
	}
	return d.set(c, d.splitValue(v))
}

// splitValue turns a CONFIG SET value into the directive's arguments: a
// multi-argument directive splits on single spaces, as Redis does.
func (d *Directive) splitValue(v string) []string {
	if d.flags&fMultiArg != 0 {
		return strings.Split(v, " ")
	}
	return []string{v}
}

// set parses and stores args; it returns Redis's error text or "".
func (d *Directive) set(c *Config, args []string) string {
	if d.kind != kSpecial && d.kind != kFlags && len(args) != 1 {
		return "wrong number of arguments"
	}
	switch d.kind {
	case kBool:
		v, ok := yesNo(args[0])
		if !ok {
			return "argument must be 'yes' or 'no'"
		}
		if d.check != nil {
			if err := d.check(c, args[0]); err != "" {
				return err
			}
		}
		*d.boolean(c) = v
	case kNum:
		v, err := d.parseNum(args[0])
		if err != "" {
			return err
		}
		if d.check != nil {
			if err := d.check(c, args[0]); err != "" {
				return err
			}
		}
		d.num.set(c, v)
	case kEnum:
		name, ok := d.enumCanonical(args)
		if !ok {
			return d.enumError()
		}
		*d.enumPtr(c) = name
	case kFlags:
		v, ok := d.flagsValue(args)
		if !ok {
			return d.enumError()
		}
		if v&ShutdownSave != 0 && v&ShutdownNoSave != 0 {
			return "shutdown options SAVE and NOSAVE can't be used simultaneously"
		}
		*d.flagPtr(c) = v
	case kString:
		if d.check != nil {
			if err := d.check(c, args[0]); err != "" {
				return err
			}
		}
		*d.str(c) = args[0]
	case kSpecial:
		if err := d.setFn(c, args); err != "" {
			return err
		}
	}
	if d.after != nil {
		d.after(c)
	}
	return ""
}

// get formats the value as CONFIG GET shows it.
// exact is get, except where get shortens the value (exactFn).
func (d *Directive) exact(c *Config) string {
	if d.exactFn != nil {
		return d.exactFn(c)
	}
	return d.get(c)
}

func (d *Directive) get(c *Config) string {
	switch d.kind {
	case kBool:
		return yesNoString(*d.boolean(c))
	case kNum:
		return d.formatNum(d.num.get(c))
	case kEnum:
		return *d.enumPtr(c)
	case kFlags:
		return d.flagsString(*d.flagPtr(c))
	case kString:
		return *d.str(c)
	default:
		return d.getFn(c)
	}
}

func yesNo(s string) (bool, bool) {
	switch {
	case strings.EqualFold(s, "yes"):
		return true, true
	case strings.EqualFold(s, "no"):
		return false, true
	}
	return false, false
}

func yesNoString(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// parseNum parses a numeric value the way the directive's type demands and
// checks its bounds, with Redis's error texts.
func (d *Directive) parseNum(s string) (int64, string) {
	var v int64
	ok := false
	if d.nk == nMem || d.nk == nMemPct {
		if u, good := ParseMemory(s); good {
			v, ok = int64(u), true
		}
	}
	if !ok && d.nk == nMemPct && len(s) > 1 && s[len(s)-1] == '%' {
		if p, good := num.ParseInt([]byte(s[:len(s)-1])); good && p >= 0 {
			v, ok = -p, true
		}
	}
	if !ok && d.nk == nOctal {
		if o, good := parseOctal(s); good {
			v, ok = o, true
		}
	}
	if !ok && d.nk == nInt {
		v, ok = num.ParseInt([]byte(s))
	}
	if !ok {
		switch d.nk {
		case nMemPct:
			return 0, "argument must be a memory or percent value"
		case nMem:
			return 0, "argument must be a memory value"
		case nOctal:
			return 0, "argument couldn't be parsed as an octal number"
		default:
			return 0, "argument couldn't be parsed into an integer"
		}
	}
	if d.uns {
		u := uint64(v)
		if u > uint64(d.max) || u < uint64(d.min) {
			if d.nk == nOctal {
				return 0, "argument must be between " + strconv.FormatUint(uint64(d.min), 8) +
					" and " + strconv.FormatUint(uint64(d.max), 8) + " inclusive"
			}
			return 0, "argument must be between " + strconv.FormatUint(uint64(d.min), 10) +
				" and " + strconv.FormatUint(uint64(d.max), 10) + " inclusive"
		}
		return v, ""
	}
	if d.nk == nMemPct && v < 0 {
		if v < d.min {
			return 0, "percentage argument must be less or equal to " + strconv.FormatInt(-d.min, 10)
		}
		return v, ""
	}
	if v > d.max || v < d.min {
		return 0, "argument must be between " + strconv.FormatInt(d.min, 10) + " and " +
			strconv.FormatInt(d.max, 10) + " inclusive"
	}
	return v, ""
}

func (d *Directive) formatNum(v int64) string {
	switch {
	case d.nk == nMemPct && v < 0:
		return strconv.FormatInt(-v, 10) + "%"
	case d.nk == nMem || d.nk == nMemPct:
		return strconv.FormatUint(uint64(v), 10)
	case d.nk == nOctal:
		return strconv.FormatUint(uint64(v), 8)
	}
	return strconv.FormatInt(v, 10)
}

// parseOctal parses as C's strtoll(s, &end, 8) with the whole string used.
func parseOctal(s string) (int64, bool) {
	t := strings.TrimLeft(s, " \t\n\v\f\r")
	neg := false
	if t != "" && (t[0] == '+' || t[0] == '-') {
		neg = t[0] == '-'
		t = t[1:]
	}
	if t == "" {
		return 0, false
	}
	u, err := strconv.ParseUint(t, 8, 64)
	if err != nil || u > 1<<63 {
		return 0, false
	}
	if neg {
		return -int64(u), true
	}
	if u == 1<<63 {
		return 0, false
	}
	return int64(u), true
}

// ParseMemory parses a memory amount as Redis's memtoull does: digits
// optionally followed by a unit, b, k (1000), kb (1024), m, mb, g, gb, in any
// case. Overflow saturates in the digits and wraps in the multiplication, as
// in Redis.
func ParseMemory(s string) (uint64, bool) {
	if strings.HasPrefix(s, "-") {
		return 0, false
	}
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	var mul uint64
	switch strings.ToLower(s[i:]) {
	case "", "b":
		mul = 1
	case "k":
		mul = 1000
	case "kb":
		mul = 1024
	case "m":
		mul = 1000 * 1000
	case "mb":
		mul = 1024 * 1024
	case "g":
		mul = 1000 * 1000 * 1000
	case "gb":
		mul = 1024 * 1024 * 1024
	default:
		return 0, false
	}
	if i >= 128 {
		return 0, false
	}
	var v uint64
	if i > 0 {
		var err error
		v, err = strconv.ParseUint(s[:i], 10, 64)
		if err != nil {
			v = ^uint64(0) // strtoull saturates on overflow
		}
	}
	return v * mul, true
}

// FormatMemory writes bytes with the largest exact unit, as CONFIG REWRITE
// does (1gb, 100mb, 5kb, 1000).
func FormatMemory(v int64) string {
	const kb, mb, gb = 1024, 1024 * 1024, 1024 * 1024 * 1024
	switch {
	case v != 0 && v%gb == 0:
		return strconv.FormatInt(v/gb, 10) + "gb"
	case v != 0 && v%mb == 0:
		return strconv.FormatInt(v/mb, 10) + "mb"
	case v != 0 && v%kb == 0:
		return strconv.FormatInt(v/kb, 10) + "kb"
	}
	return strconv.FormatInt(v, 10)
}

// enumCanonical maps an enum value to the first name with the same meaning
// ("relative" reads back as "yes" for oom-score-adj, as in Redis).
func (d *Directive) enumCanonical(args []string) (string, bool) {
	if len(args) != 1 {
		return "", false
	}
	for _, it := range d.enum {
		if strings.EqualFold(it.name, args[0]) {
			for _, first := range d.enum {
				if first.val == it.val {
					return first.name, true
				}
			}
		}
	}
	return "", false
}

func (d *Directive) flagsValue(args []string) (int, bool) {
	v := 0
	for _, a := range args {
		found := false
		for _, it := range d.enum {
			if strings.EqualFold(it.name, a) {
				v |= it.val
				found = true
				break
			}
		}
		if !found {
			return 0, false
		}
	}
	return v, true
}

func (d *Directive) flagsString(v int) string {
	if v == 0 {
		for _, it := range d.enum {
			if it.val == 0 {
				return it.name
			}
		}
	}
	var parts []string
	for _, it := range d.enum {
		if it.val != 0 && v&it.val == it.val {
			parts = append(parts, it.name)
		}
	}
	return strings.Join(parts, " ")
}

func (d *Directive) enumError() string {
	var b strings.Builder
	b.WriteString("argument(s) must be one of the following: ")
	for i, it := range d.enum {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(it.name)
	}
	return b.String()
}

// Repr quotes s as Redis's sdscatrepr does, for CONFIG REWRITE and the
// command-line options.
func Repr(s string) string { return repr.String(s) }
