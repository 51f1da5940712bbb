package integration

import (
	"bytes"
	"regexp"
	"sort"
	"strings"
	"testing"

	"petrel/integration/harness"
)

// Replies that legitimately differ between two servers run side by side
// (clocks, client ids, addresses, memory sizes, hash-table order) are
// normalised per command before comparing: the varying part is masked and
// everything else, including the reply's type and shape, must still match.
// Nothing is skipped.

// rule says how to compare one command's replies.
type rule struct {
	// norm rewrites a reply before comparison; it is applied to both.
	norm func(args []string, v harness.Value) harness.Value
	// tol lets non-negative integer replies differ by up to tol (TTLs
	// measured a few milliseconds apart, rounded to seconds).
	tol int64
	// each compares an aggregate element by element with these rules (EXEC).
	each []rule
}

func (r rule) equal(args []string, a, b harness.Value) bool {
	if r.each != nil {
		if a.Type != b.Type || a.Null != b.Null || len(a.Elems) != len(b.Elems) || len(a.Elems) != len(r.each) {
			return bytes.Equal(a.Raw(), b.Raw())
		}
		for i := range a.Elems {
			if !r.each[i].equal(nil, a.Elems[i], b.Elems[i]) {
				return false
			}
		}
		return true
	}
	if r.norm != nil {
		a, b = r.norm(args, a), r.norm(args, b)
	}
	if r.tol > 0 {
		ai, aok := a.Int()
		bi, bok := b.Int()
		if aok && bok && ai >= 0 && bi >= 0 {
			d := ai - bi
			return d <= r.tol && -d <= r.tol
		}
	}
	return bytes.Equal(a.Raw(), b.Raw())
}

// execRule compares an EXEC reply element by element with the rules of
// the queued commands.
func execRule(queued [][]string) rule {
	each := make([]rule, len(queued))
	for i, q := range queued {
		each[i] = ruleFor(q)
		if each[i].norm != nil {
			q, norm := q, each[i].norm
			each[i].norm = func(_ []string, v harness.Value) harness.Value { return norm(q, v) }
		}
	}
	return rule{each: each}
}

// ruleFor returns the comparison rule for a command ("CONFIG|GET" for
// container commands).
func ruleFor(args []string) rule {
	if len(args) == 0 {
		return rule{}
	}
	name := strings.ToUpper(args[0])
	if len(args) > 1 {
		if r, ok := rules[name+"|"+strings.ToUpper(args[1])]; ok {
			return r
		}
	}
	return rules[name]
}

// Tolerances: both servers run the same command within a few milliseconds
// of each other, but a TTL in seconds may round differently, and a busy CI
// machine (or the race detector) can stretch the gap.
const (
	tolSeconds = 1
	tolMillis  = 500
)

var rules = map[string]rule{
	"TTL":         {tol: tolSeconds},
	"EXPIRETIME":  {tol: tolSeconds},
	"PTTL":        {tol: tolMillis},
	"PEXPIRETIME": {tol: tolMillis},
	"LASTSAVE":    {tol: 2},
	// Idle time counts seconds since the key's last access on each server.
	"OBJECT|IDLETIME":     {tol: 2},
	"TIME":                {norm: maskAll},
	"RANDOMKEY":           {norm: maskAll},
	"CLIENT|ID":           {norm: maskAll},
	"MEMORY|USAGE":        {norm: maskAll},
	"MEMORY|STATS":        {norm: maskMapValues},
	"MEMORY|MALLOC-STATS": {norm: maskAll},
	"MEMORY|DOCTOR":       {norm: maskAll},
	"HELLO":               {norm: maskMapKeys("id")},
	"KEYS":                {norm: sortElems},
	"SCAN":                {norm: normScan},
	"COMMAND":             {norm: sortIfNoArgs},
	"COMMAND|LIST":        {norm: sortElems},
	"COMMAND|DOCS":        {norm: sortPairsIfNoArgs},
	"COMMAND|INFO":        {norm: normCommandInfo},
	"CONFIG|GET":          {norm: normConfigGet},
	"INFO":                {norm: normInfo},
	"CLIENT|LIST":         {norm: normClientList},
	"CLIENT|INFO":         {norm: normClientList},
	"SLOWLOG|GET":         {norm: normSlowlog},
	"LATENCY|HISTOGRAM":   {norm: normLatencyHistogram},
	"LATENCY|LATEST":      {norm: maskAll},
	"LATENCY|HISTORY":     {norm: maskAll},
	"!READ":               {norm: normMonitorLine},
}

// masked replaces a scalar with a marker of the same type; nulls and
// aggregates keep their shape, errors are kept so they still compare.
func masked(v harness.Value) harness.Value {
	if v.Null || v.Type == '_' || v.IsError() {
		return v
	}
	if v.IsAggregate() {
		out := v
		out.Elems = make([]harness.Value, len(v.Elems))
		for i, e := range v.Elems {
			out.Elems[i] = masked(e)
		}
		return out
	}
	out := v
	switch v.Type {
	case ':':
		out.Str = "0"
	case '=':
		out.Str = "txt:<masked>"
	default:
		out.Str = "<masked>"
	}
	return out
}

func maskAll(_ []string, v harness.Value) harness.Value { return masked(v) }

func sortElems(_ []string, v harness.Value) harness.Value { return v.SortElems() }

// sortIfNoArgs sorts the reply of COMMAND and COMMAND INFO without
// names, which list every command in hash-table order.
func sortIfNoArgs(args []string, v harness.Value) harness.Value {
	if len(args) == 1 || (len(args) == 2 && strings.EqualFold(args[0], "COMMAND") && strings.EqualFold(args[1], "INFO")) {
		return v.SortElems()
	}
	return v
}

// normCommandInfo sorts the list of all commands (COMMAND INFO without
// names) and each container command's subcommand list, both kept in
// hash-table order.
func normCommandInfo(args []string, v harness.Value) harness.Value {
	v = sortIfNoArgs(args, v)
	if v.Type != '*' {
		return v
	}
	out := v
	out.Elems = make([]harness.Value, len(v.Elems))
	for i, info := range v.Elems {
		if len(info.Elems) >= 10 {
			info.Elems = append([]harness.Value(nil), info.Elems...)
			info.Elems[9] = info.Elems[9].SortElems()
		}
		out.Elems[i] = info
	}
	return out
}

// sortPairsIfNoArgs sorts COMMAND DOCS without names by command.
func sortPairsIfNoArgs(args []string, v harness.Value) harness.Value {
	if len(args) == 2 {
		return v.SortPairs()
	}
	return v
}

// opaque stands for a value whose shape, not only content, may differ
// (a latency histogram's buckets).
var opaque = harness.Value{Type: '+', Str: "<opaque>"}

// maskMapValues keeps a map's (or RESP2 flat array's) keys and masks its
// values.
func maskMapValues(_ []string, v harness.Value) harness.Value {
	if !v.IsAggregate() {
		return v
	}
	out := v
	out.Elems = append([]harness.Value(nil), v.Elems...)
	for i := 1; i < len(out.Elems); i += 2 {
		out.Elems[i] = masked(out.Elems[i])
	}
	return out
}

// maskMapKeys masks the values of the named keys of a map or flat array.
func maskMapKeys(keys ...string) func([]string, harness.Value) harness.Value {
	return func(_ []string, v harness.Value) harness.Value {
		if !v.IsAggregate() {
			return v
		}
		out := v
		out.Elems = append([]harness.Value(nil), v.Elems...)
		for i := 0; i+1 < len(out.Elems); i += 2 {
			for _, k := range keys {
				if out.Elems[i].Str == k {
					out.Elems[i+1] = masked(out.Elems[i+1])
				}
			}
		}
		return out
	}
}

// normScan masks a non-zero cursor (its value depends on the hash table)
// and sorts the keys of the page.
func normScan(_ []string, v harness.Value) harness.Value {
	if v.Type != '*' || len(v.Elems) != 2 {
		return v
	}
	out := v
	out.Elems = []harness.Value{v.Elems[0], v.Elems[1].SortElems()}
	if v.Elems[0].Str != "0" {
		out.Elems[0] = masked(v.Elems[0])
	}
	return out
}

// normConfigGet masks parameters whose values are per-process: the port
// and the working directory each test server gets.
func normConfigGet(args []string, v harness.Value) harness.Value {
	v = maskMapKeys("port", "dir")(args, v)
	// CONFIG GET with patterns replies in hash-table order.
	return v.SortPairs()
}

// infoExact are INFO fields whose values must be equal; every other field
// must exist on both servers in the same order but its value is masked.
var infoExact = map[string]bool{
	"redis_version": true, "redis_mode": true, "arch_bits": true, "role": true,
	"connected_slaves": true, "loading": true, "async_loading": true,
	"rdb_changes_since_last_save": true, "aof_enabled": true, "cluster_enabled": true,
	"blocked_clients": true, "tracking_clients": true, "maxclients": true,
	"hz": true, "configured_hz": true, "maxmemory": true, "maxmemory_policy": true,
	"expired_keys": true, "evicted_keys": true, "keyspace_hits": true, "keyspace_misses": true,
	"pubsub_channels": true, "pubsub_patterns": true,
}

// infoUnordered are INFO sections listed in hash-table order; their lines
// are sorted before comparing.
var infoUnordered = map[string]bool{"# Commandstats": true, "# Errorstats": true, "# Latencystats": true}

var infoKeyspaceLine = regexp.MustCompile(`^(db\d+:keys=\d+,expires=\d+,avg_ttl=)\d+(.*)$`)

// normInfo keeps INFO's sections and field names, the values of the fields
// in infoExact and of the keyspace section (except avg_ttl), and masks the
// rest (clocks, pids, memory, addresses).
func normInfo(_ []string, v harness.Value) harness.Value {
	if v.Type != '$' && v.Type != '=' {
		return v
	}
	text, prefix := v.Str, ""
	if v.Type == '=' && len(text) >= 4 {
		prefix, text = text[:4], text[4:]
	}
	lines := strings.Split(text, "\r\n")
	section := 0
	for i, l := range lines {
		if strings.HasPrefix(l, "#") {
			section = i + 1
			continue
		}
		if l == "" {
			if section > 0 && infoUnordered[lines[section-1]] {
				sort.Strings(lines[section:i])
			}
			section = 0
			continue
		}
		if m := infoKeyspaceLine.FindStringSubmatch(l); m != nil {
			lines[i] = m[1] + "<masked>" + m[2]
			continue
		}
		k, _, ok := strings.Cut(l, ":")
		if ok && !infoExact[k] {
			lines[i] = k + ":<masked>"
		}
	}
	out := v
	out.Str = prefix + strings.Join(lines, "\r\n")
	return out
}

// clientExact are CLIENT LIST fields compared by value; the others (ids,
// addresses, ages, buffer and memory sizes, which depend on how each
// server buffers) are masked.
var clientExact = map[string]bool{
	"name": true, "flags": true, "db": true, "sub": true, "psub": true, "ssub": true,
	"multi": true, "events": true, "cmd": true, "user": true, "redir": true, "resp": true,
}

func normClientList(_ []string, v harness.Value) harness.Value {
	if v.Type != '$' && v.Type != '=' {
		return v
	}
	text, prefix := v.Str, ""
	if v.Type == '=' && len(text) >= 4 {
		prefix, text = text[:4], text[4:]
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		fields := strings.Split(l, " ")
		for j, f := range fields {
			k, _, ok := strings.Cut(f, "=")
			if ok && !clientExact[k] {
				fields[j] = k + "=<masked>"
			}
		}
		lines[i] = strings.Join(fields, " ")
	}
	out := v
	out.Str = prefix + strings.Join(lines, "\n")
	return out
}

// normSlowlog masks each entry's timestamp, duration and client address;
// the id, the arguments and the client name must match.
func normSlowlog(_ []string, v harness.Value) harness.Value {
	if v.Type != '*' {
		return v
	}
	out := v
	out.Elems = make([]harness.Value, len(v.Elems))
	for i, e := range v.Elems {
		if e.Type == '*' && len(e.Elems) == 6 {
			e.Elems = append([]harness.Value(nil), e.Elems...)
			e.Elems[1] = masked(e.Elems[1])
			e.Elems[2] = masked(e.Elems[2])
			e.Elems[4] = masked(e.Elems[4])
		}
		out.Elems[i] = e
	}
	return out
}

// normLatencyHistogram keeps each command's call count and masks its
// histogram buckets, which depend on timing.
func normLatencyHistogram(_ []string, v harness.Value) harness.Value {
	v = v.SortPairs()
	if !v.IsAggregate() {
		return v
	}
	out := v
	out.Elems = append([]harness.Value(nil), v.Elems...)
	for i := 1; i < len(out.Elems); i += 2 {
		e := out.Elems[i]
		if !e.IsAggregate() {
			continue
		}
		e.Elems = append([]harness.Value(nil), e.Elems...)
		for j := 0; j+1 < len(e.Elems); j += 2 {
			if e.Elems[j].Str == "histogram_usec" {
				e.Elems[j+1] = opaque
			}
		}
		out.Elems[i] = e
	}
	return out
}

var monitorLine = regexp.MustCompile(`^\d+\.\d{6} \[(\d+) ([^\]]*)\] `)

// normMonitorLine masks the timestamp and client address of a MONITOR line;
// a script's commands keep their "lua".
func normMonitorLine(_ []string, v harness.Value) harness.Value {
	m := monitorLine.FindStringSubmatch(v.Str)
	if v.Type != '+' || m == nil {
		return v
	}
	addr := "<addr>"
	if m[2] == "lua" {
		addr = m[2]
	}
	out := v
	out.Str = "<time> [" + m[1] + " " + addr + "] " + v.Str[len(m[0]):]
	return out
}

func TestNormalisersMaskOnlyWhatVaries(t *testing.T) {
	blk := func(s string) string { return string(harness.Encode(s)[4:]) }
	cases := []struct {
		cmd       string
		a, b      string
		wantEqual bool
	}{
		{"TTL k", ":100\r\n", ":99\r\n", true},
		{"TTL k", ":100\r\n", ":98\r\n", false},
		{"TTL k", ":-1\r\n", ":0\r\n", false},
		{"TTL k", ":-2\r\n", ":-1\r\n", false},
		{"PTTL k", ":100000\r\n", ":99800\r\n", true},
		{"TIME", "*2\r\n$10\r\n1700000000\r\n$6\r\n123456\r\n", "*2\r\n$10\r\n1700000001\r\n$5\r\n12345\r\n", true},
		{"TIME", "*2\r\n$10\r\n1700000000\r\n$6\r\n123456\r\n", "*2\r\n:1700000001\r\n:12345\r\n", false},
		{"RANDOMKEY", "$1\r\na\r\n", "$1\r\nb\r\n", true},
		{"RANDOMKEY", "$1\r\na\r\n", "$-1\r\n", false},
		{"KEYS *", "*2\r\n$1\r\na\r\n$1\r\nb\r\n", "*2\r\n$1\r\nb\r\n$1\r\na\r\n", true},
		{"KEYS *", "*2\r\n$1\r\na\r\n$1\r\nb\r\n", "*2\r\n$1\r\nb\r\n$1\r\nc\r\n", false},
		{"SCAN 0", "*2\r\n$2\r\n12\r\n*1\r\n$1\r\na\r\n", "*2\r\n$1\r\n7\r\n*1\r\n$1\r\na\r\n", true},
		{"SCAN 0", "*2\r\n$2\r\n12\r\n*1\r\n$1\r\na\r\n", "*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n", false},
		{"HELLO 3", "%2\r\n$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:5\r\n", "%2\r\n$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:9\r\n", true},
		{"HELLO 3", "%2\r\n$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:5\r\n", "%2\r\n$5\r\nproto\r\n:2\r\n$2\r\nid\r\n:5\r\n", false},
		{"CONFIG GET *", "*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n", "*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\n1\r\n", true},
		{"CONFIG GET *", "*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n", "*4\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nb\r\n$1\r\n1\r\n", false},
		{"INFO", blk("# Server\r\nuptime_in_seconds:5\r\n"), blk("# Server\r\nuptime_in_seconds:7\r\n"), true},
		{"INFO", blk("# Server\r\nuptime_in_seconds:5\r\n"), blk("# Server\r\nuptime_in_second:5\r\n"), false},
		{"INFO", blk("# Server\r\nredis_version:7.0.15\r\n"), blk("# Server\r\nredis_version:7.0.16\r\n"), false},
		{"CLIENT INFO", blk("id=3 addr=1.2.3.4:5 db=0\n"), blk("id=4 addr=1.2.3.4:6 db=0\n"), true},
		{"CLIENT INFO", blk("id=3 addr=1.2.3.4:5 db=0\n"), blk("id=3 addr=1.2.3.4:5 db=1\n"), false},
		{"!read", "+1.123456 [0 127.0.0.1:5] \"GET\"\r\n", "+2.654321 [0 127.0.0.1:6] \"GET\"\r\n", true},
		{"!read", "+1.123456 [0 127.0.0.1:5] \"GET\"\r\n", "+2.654321 [1 127.0.0.1:6] \"GET\"\r\n", false},
		{"!read", "+1.123456 [0 lua] \"GET\"\r\n", "+2.654321 [0 lua] \"GET\"\r\n", true},
		{"!read", "+1.123456 [0 lua] \"GET\"\r\n", "+2.654321 [0 ] \"GET\"\r\n", false},
		{"GET k", "$1\r\na\r\n", "+a\r\n", false},
	}
	for _, c := range cases {
		a, _, errA := harness.Parse([]byte(c.a))
		b, _, errB := harness.Parse([]byte(c.b))
		if errA != nil || errB != nil {
			t.Fatalf("%s: bad test replies: %v %v", c.cmd, errA, errB)
		}
		args := harness.MustSplit(c.cmd)
		if got := ruleFor(args).equal(args, a, b); got != c.wantEqual {
			t.Errorf("%s: %q vs %q compared equal=%v, want %v", c.cmd, c.a, c.b, got, c.wantEqual)
		}
	}
	exec := execRule([][]string{{"TTL", "k"}, {"GET", "k"}})
	x, _, _ := harness.Parse([]byte("*2\r\n:100\r\n$1\r\na\r\n"))
	y, _, _ := harness.Parse([]byte("*2\r\n:99\r\n$1\r\na\r\n"))
	z, _, _ := harness.Parse([]byte("*2\r\n:99\r\n$1\r\nb\r\n"))
	if !exec.equal(nil, x, y) || exec.equal(nil, x, z) {
		t.Errorf("EXEC replies are not compared with the queued commands' rules")
	}
}
