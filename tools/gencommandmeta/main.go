// Command gencommandmeta records server/commandmeta.json: the key specs, tips
// and documentation of every command Petrel implements, as a running Redis
// 7.0.15 reports them with COMMAND INFO and COMMAND DOCS. The command list
// comes from Petrel's own table (server.CommandNames); entries for commands
// Redis 7.0.15 lacks (from later versions, written by hand) are kept as they
// are. After adding commands to server/table.go a developer reruns it from
// the module root:
//
//	redis-server --port 6399 --save '' --appendonly no --daemonize yes
//	go run ./tools/gencommandmeta -redis 127.0.0.1:6399
//
// With -verify ADDR it instead compares a running Petrel's COMMAND INFO,
// COMMAND DOCS and COMMAND GETKEYSANDFLAGS replies with Redis's, in RESP2 and
// RESP3, for every command Petrel lists, and exits non-zero on differences:
//
//	go build -o /tmp/petrel ./cmd/petrel-server && /tmp/petrel --port 6400 &
//	go run ./tools/gencommandmeta -redis 127.0.0.1:6399 -verify 127.0.0.1:6400
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"petrel/server"
)

// redisVersion is the version whose replies Petrel reproduces.
const redisVersion = "7.0.15"

func main() {
	redisAddr := flag.String("redis", "127.0.0.1:6379", "address of a running Redis "+redisVersion)
	out := flag.String("out", "server/commandmeta.json", "file to write")
	verify := flag.String("verify", "", "address of a running Petrel to compare with Redis instead of generating")
	anyVersion := flag.Bool("any-version", false, "accept a Redis other than "+redisVersion)
	flag.Parse()

	rd, err := dial(*redisAddr, 3)
	if err != nil {
		fatal(err)
	}
	defer rd.close()
	if v := serverVersion(rd); v != redisVersion && !*anyVersion {
		fatal(fmt.Errorf("%s runs Redis %q, not %s (use -any-version to accept it)", *redisAddr, v, redisVersion))
	}

	if *verify != "" {
		diffs, total := verifyPetrel(*redisAddr, *verify)
		if diffs > 0 {
			fmt.Fprintf(os.Stderr, "%d of %d replies differ\n", diffs, total)
			os.Exit(1)
		}
		fmt.Printf("all %d replies are identical\n", total)
		return
	}

	previous := readPrevious(*out)
	names := server.CommandNames()
	metas := map[string]*server.CommandMeta{}
	for _, name := range names {
		m, err := recordCommand(rd, name)
		if err != nil {
			fatal(fmt.Errorf("%s: %w", name, err))
		}
		old := previous[name]
		switch {
		case m == nil && old != nil:
			// A command from a later Redis, described by hand: keep it.
			m = old
		case m == nil:
			fmt.Fprintf(os.Stderr, "warning: Redis %s has no command %q: describe it by hand in %s\n",
				redisVersion, name, *out)
			continue
		case old != nil:
			m.Subcommands = keepOrder(old.Subcommands, m.Subcommands)
		}
		// Subcommands Petrel has and Redis lacks go last.
		for _, sub := range names {
			if strings.HasPrefix(sub, name+"|") && !slices.Contains(m.Subcommands, sub) {
				m.Subcommands = append(m.Subcommands, sub)
			}
		}
		metas[name] = m
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(metas); err != nil {
		fatal(err)
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		fatal(err)
	}
	fmt.Printf("wrote %d commands to %s\n", len(metas), *out)
}

// readPrevious loads the file being replaced, if it can: Redis lists
// subcommands in an order that changes with every redis-server run, and
// keeping the recorded order avoids needless churn in the file and in the
// tests that pin whole replies.
func readPrevious(path string) map[string]*server.CommandMeta {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var m map[string]*server.CommandMeta
	if json.Unmarshal(data, &m) != nil {
		return nil
	}
	return m
}

// keepOrder orders names as in old, those not in old last in their order.
func keepOrder(old, names []string) []string {
	var out []string
	for _, n := range old {
		if slices.Contains(names, n) {
			out = append(out, n)
		}
	}
	for _, n := range names {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "gencommandmeta:", err)
	os.Exit(1)
}

func serverVersion(c *conn) string {
	n, err := c.do("HELLO", "3")
	if err != nil {
		fatal(err)
	}
	for i := 0; i+1 < len(n.elems); i += 2 {
		if n.elems[i].str == "version" {
			return n.elems[i+1].str
		}
	}
	return ""
}

// recordCommand reads one command's COMMAND INFO and COMMAND DOCS entries;
// nil means Redis does not know the command.
func recordCommand(rd *conn, name string) (*server.CommandMeta, error) {
	info, err := rd.do("COMMAND", "INFO", name)
	if err != nil {
		return nil, err
	}
	if info.typ != '*' || len(info.elems) != 1 {
		return nil, fmt.Errorf("unexpected COMMAND INFO reply %q", info)
	}
	e := info.elems[0]
	if e.isNull() {
		return nil, nil
	}
	if e.typ != '*' || len(e.elems) != 10 {
		return nil, fmt.Errorf("unexpected COMMAND INFO entry %q", e)
	}
	m := &server.CommandMeta{}
	if m.Tips, err = strings_(e.elems[7], '$'); err != nil {
		return nil, fmt.Errorf("tips: %w", err)
	}
	for _, ks := range e.elems[8].elems {
		spec, err := parseKeySpec(ks)
		if err != nil {
			return nil, fmt.Errorf("key spec: %w", err)
		}
		m.KeySpecs = append(m.KeySpecs, spec)
	}
	for _, sc := range e.elems[9].elems {
		m.Subcommands = append(m.Subcommands, sc.elems[0].str)
	}

	docs, err := rd.do("COMMAND", "DOCS", name)
	if err != nil {
		return nil, err
	}
	if docs.typ != '%' || len(docs.elems) != 2 || docs.elems[0].str != name {
		return nil, fmt.Errorf("unexpected COMMAND DOCS reply %q", docs)
	}
	if m.Docs, err = parseDocs(docs.elems[1]); err != nil {
		return nil, fmt.Errorf("docs: %w", err)
	}
	return m, nil
}

// fields checks that a map reply has only known keys, in the order Petrel
// writes them (so that re-encoding gives Redis's bytes), and returns them.
func fields(n *node, order ...string) (map[string]*node, error) {
	if n.typ != '%' {
		return nil, fmt.Errorf("expected a map, got %q", n)
	}
	out := map[string]*node{}
	last := -1
	for i := 0; i+1 < len(n.elems); i += 2 {
		k := n.elems[i].str
		idx := slices.Index(order, k)
		if idx < 0 {
			return nil, fmt.Errorf("unknown field %q (Petrel's encoder must learn it)", k)
		}
		if idx <= last {
			return nil, fmt.Errorf("field %q out of the expected order %v", k, order)
		}
		last = idx
		out[k] = n.elems[i+1]
	}
	return out, nil
}

// strings_ returns the elements of a set of strings of the given type.
func strings_(n *node, typ byte) ([]string, error) {
	if n.typ != '~' {
		return nil, fmt.Errorf("expected a set, got %q", n)
	}
	var out []string
	for _, e := range n.elems {
		if e.typ != typ {
			return nil, fmt.Errorf("expected %c elements, got %q", typ, e)
		}
		out = append(out, e.str)
	}
	return out, nil
}

func str(n *node) (string, error) {
	if n == nil {
		return "", nil
	}
	if n.typ != '$' {
		return "", fmt.Errorf("expected a bulk string, got %q", n)
	}
	return n.str, nil
}

func integer(n *node) (int, error) {
	if n == nil {
		return 0, nil
	}
	if n.typ != ':' {
		return 0, fmt.Errorf("expected an integer, got %q", n)
	}
	return strconv.Atoi(n.str)
}

func parseKeySpec(n *node) (server.KeySpec, error) {
	var ks server.KeySpec
	f, err := fields(n, "notes", "flags", "begin_search", "find_keys")
	if err != nil {
		return ks, err
	}
	if ks.Notes, err = str(f["notes"]); err != nil {
		return ks, err
	}
	if ks.Flags, err = strings_(f["flags"], '+'); err != nil {
		return ks, err
	}
	if f["begin_search"] == nil || f["find_keys"] == nil {
		return ks, fmt.Errorf("incomplete key spec %q", n)
	}

	bs, err := fields(f["begin_search"], "type", "spec")
	if err != nil {
		return ks, err
	}
	ks.BeginSearch.Type, _ = str(bs["type"])
	var spec map[string]*node
	switch ks.BeginSearch.Type {
	case "index":
		spec, err = fields(bs["spec"], "index")
	case "keyword":
		spec, err = fields(bs["spec"], "keyword", "startfrom")
	case "unknown":
		spec, err = fields(bs["spec"])
	default:
		err = fmt.Errorf("unknown begin_search type %q", ks.BeginSearch.Type)
	}
	if err != nil {
		return ks, err
	}
	ks.BeginSearch.Index, _ = integer(spec["index"])
	ks.BeginSearch.Keyword, _ = str(spec["keyword"])
	ks.BeginSearch.StartFrom, _ = integer(spec["startfrom"])

	fk, err := fields(f["find_keys"], "type", "spec")
	if err != nil {
		return ks, err
	}
	ks.FindKeys.Type, _ = str(fk["type"])
	switch ks.FindKeys.Type {
	case "range":
		spec, err = fields(fk["spec"], "lastkey", "keystep", "limit")
	case "keynum":
		spec, err = fields(fk["spec"], "keynumidx", "firstkey", "keystep")
	case "unknown":
		spec, err = fields(fk["spec"])
	default:
		err = fmt.Errorf("unknown find_keys type %q", ks.FindKeys.Type)
	}
	if err != nil {
		return ks, err
	}
	ks.FindKeys.LastKey, _ = integer(spec["lastkey"])
	ks.FindKeys.KeyStep, _ = integer(spec["keystep"])
	ks.FindKeys.Limit, _ = integer(spec["limit"])
	ks.FindKeys.KeyNumIdx, _ = integer(spec["keynumidx"])
	ks.FindKeys.FirstKey, _ = integer(spec["firstkey"])
	return ks, nil
}

func parseDocs(n *node) (server.CommandDocs, error) {
	var d server.CommandDocs
	f, err := fields(n, "summary", "since", "group", "complexity", "doc_flags",
		"deprecated_since", "replaced_by", "history", "arguments", "subcommands")
	if err != nil {
		return d, err
	}
	for _, s := range []struct {
		dst  *string
		name string
	}{{&d.Summary, "summary"}, {&d.Since, "since"}, {&d.Group, "group"}, {&d.Complexity, "complexity"},
		{&d.DeprecatedSince, "deprecated_since"}, {&d.ReplacedBy, "replaced_by"}} {
		if *s.dst, err = str(f[s.name]); err != nil {
			return d, fmt.Errorf("%s: %w", s.name, err)
		}
	}
	if h := f["doc_flags"]; h != nil {
		if d.DocFlags, err = strings_(h, '+'); err != nil {
			return d, err
		}
	}
	if h := f["history"]; h != nil {
		if h.typ != '~' {
			return d, fmt.Errorf("history: expected a set, got %q", h)
		}
		for _, e := range h.elems {
			if e.typ != '*' || len(e.elems) != 2 || e.elems[0].typ != '$' || e.elems[1].typ != '$' {
				return d, fmt.Errorf("history: unexpected entry %q", e)
			}
			d.History = append(d.History, [2]string{e.elems[0].str, e.elems[1].str})
		}
	}
	if a := f["arguments"]; a != nil {
		if d.Arguments, err = parseArgs(a); err != nil {
			return d, err
		}
	}
	return d, nil
}

func parseArgs(n *node) ([]server.DocArg, error) {
	if n.typ != '*' {
		return nil, fmt.Errorf("arguments: expected an array, got %q", n)
	}
	var out []server.DocArg
	for _, e := range n.elems {
		f, err := fields(e, "name", "type", "key_spec_index", "token", "since",
			"deprecated_since", "flags", "arguments")
		if err != nil {
			return nil, fmt.Errorf("argument: %w", err)
		}
		var a server.DocArg
		for _, s := range []struct {
			dst  *string
			name string
		}{{&a.Name, "name"}, {&a.Type, "type"}, {&a.Token, "token"}, {&a.Since, "since"},
			{&a.DeprecatedSince, "deprecated_since"}} {
			if *s.dst, err = str(f[s.name]); err != nil {
				return nil, fmt.Errorf("argument %s: %w", s.name, err)
			}
		}
		if k := f["key_spec_index"]; k != nil {
			i, err := integer(k)
			if err != nil {
				return nil, err
			}
			a.KeySpecIndex = &i
		}
		if fl := f["flags"]; fl != nil {
			if a.Flags, err = strings_(fl, '+'); err != nil {
				return nil, err
			}
		}
		if sub := f["arguments"]; sub != nil {
			if a.Arguments, err = parseArgs(sub); err != nil {
				return nil, err
			}
		}
		out = append(out, a)
	}
	return out, nil
}

// verifyPetrel compares Petrel's replies with Redis's for every command
// Petrel lists and returns the number of replies that differ and compared.
func verifyPetrel(redisAddr, petrelAddr string) (diffs, total int) {
	var rds, pts [4]*conn
	for proto := 2; proto <= 3; proto++ {
		var err error
		if rds[proto], err = dial(redisAddr, proto); err != nil {
			fatal(err)
		}
		if pts[proto], err = dial(petrelAddr, proto); err != nil {
			fatal(err)
		}
	}
	list, err := pts[2].do("COMMAND", "LIST")
	if err != nil {
		fatal(err)
	}
	// Commands from later Redis versions cannot be compared; they are left
	// out of their containers' replies too.
	petrelOnly := map[string]bool{}
	for _, e := range list.elems {
		info, err := rds[2].do("COMMAND", "INFO", e.str)
		if err != nil {
			fatal(err)
		}
		if info.typ == '*' && len(info.elems) == 1 && info.elems[0].isNull() {
			fmt.Printf("skipping %s: Redis %s does not have it\n", e.str, redisVersion)
			petrelOnly[e.str] = true
		}
	}
	compare := func(proto int, docs bool, args ...string) {
		total++
		want, err := rds[proto].do(args...)
		if err != nil {
			fatal(err)
		}
		got, err := pts[proto].do(args...)
		if err != nil {
			fatal(err)
		}
		w, g := canonical(want, docs, petrelOnly).String(), canonical(got, docs, petrelOnly).String()
		if w != g {
			diffs++
			i := 0
			for i < len(w) && i < len(g) && w[i] == g[i] {
				i++
			}
			from := max(0, i-80)
			fmt.Printf("RESP%d %q differs at byte %d:\n  redis:  %q\n  petrel: %q\n",
				proto, args, i, w[from:min(len(w), i+80)], g[from:min(len(g), i+80)])
		}
	}
	for _, e := range list.elems {
		name := e.str
		if petrelOnly[name] {
			continue
		}
		for proto := 2; proto <= 3; proto++ {
			compare(proto, false, "COMMAND", "INFO", name)
			compare(proto, true, "COMMAND", "DOCS", name)
		}
		// Key extraction: the command's words followed by placeholder
		// arguments, at and just above its minimum argument count.
		words := strings.Split(name, "|")
		info, err := pts[2].do("COMMAND", "INFO", name)
		if err != nil {
			fatal(err)
		}
		arity, _ := strconv.Atoi(info.elems[0].elems[1].str)
		counts := []int{arity}
		if arity < 0 {
			counts = []int{-arity, -arity + 1, -arity + 2}
		}
		for _, argc := range counts {
			args := append([]string{"COMMAND", "GETKEYSANDFLAGS"}, words...)
			for i := len(words); i < max(argc, 2); i++ {
				args = append(args, "k"+strconv.Itoa(i))
			}
			for proto := 2; proto <= 3; proto++ {
				compare(proto, false, args...)
			}
		}
	}
	return diffs, total
}
