package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"sort"
	"strconv"
	"strings"
	"time"
)

// node is one parsed reply, keeping its RESP type so that replies can be
// compared exactly and turned back into protocol text.
type node struct {
	typ   byte // '+', '-', ':', '$', '_', '*', '~', '%', ...
	str   string
	elems []*node // aggregate elements; a map holds key, value, key, value...
	null  bool    // _, $-1 or *-1
}

func (n *node) isNull() bool { return n.null }

func (n *node) isAggregate() bool { return strings.IndexByte("*~%>|", n.typ) >= 0 }

// encode writes the node back as protocol text.
func (n *node) encode(b *strings.Builder) {
	switch {
	case n.null && n.typ != '_':
		fmt.Fprintf(b, "%c-1\r\n", n.typ)
	case n.typ == '$' || n.typ == '=' || n.typ == '!':
		fmt.Fprintf(b, "%c%d\r\n%s\r\n", n.typ, len(n.str), n.str)
	case n.typ == '%' || n.typ == '|':
		fmt.Fprintf(b, "%c%d\r\n", n.typ, len(n.elems)/2)
		for _, e := range n.elems {
			e.encode(b)
		}
	case n.isAggregate():
		fmt.Fprintf(b, "%c%d\r\n", n.typ, len(n.elems))
		for _, e := range n.elems {
			e.encode(b)
		}
	default:
		fmt.Fprintf(b, "%c%s\r\n", n.typ, n.str)
	}
}

func (n *node) String() string {
	var b strings.Builder
	n.encode(&b)
	return b.String()
}

// conn is a minimal RESP client.
type conn struct {
	addr string
	c    net.Conn
	rd   *bufio.Reader
}

func dial(addr string, proto int) (*conn, error) {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	cn := &conn{addr: addr, c: c, rd: bufio.NewReader(c)}
	if proto == 3 {
		if _, err := cn.do("HELLO", "3"); err != nil {
			c.Close()
			return nil, err
		}
	}
	return cn, nil
}

func (cn *conn) close() { cn.c.Close() }

// do sends a command and returns its reply; an error reply is returned as a
// node, not as an error.
func (cn *conn) do(args ...string) (*node, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	cn.c.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := io.WriteString(cn.c, b.String()); err != nil {
		return nil, fmt.Errorf("%s: %w", cn.addr, err)
	}
	n, err := readNode(cn.rd)
	if err != nil {
		return nil, fmt.Errorf("%s: reading reply to %q: %w", cn.addr, args, err)
	}
	return n, nil
}

func readNode(rd *bufio.Reader) (*node, error) {
	line, err := rd.ReadString('\n')
	if err != nil {
		return nil, err
	}
	if len(line) < 3 || !strings.HasSuffix(line, "\r\n") {
		return nil, fmt.Errorf("bad line %q", line)
	}
	n := &node{typ: line[0], str: line[1 : len(line)-2]}
	switch n.typ {
	case '_':
		n.null = true
	case '$', '=', '!':
		size, err := strconv.Atoi(n.str)
		if err != nil {
			return nil, fmt.Errorf("bad length in %q", line)
		}
		if size < 0 {
			n.null = true
			return n, nil
		}
		buf := make([]byte, size+2)
		if _, err := io.ReadFull(rd, buf); err != nil {
			return nil, err
		}
		n.str = string(buf[:size])
	case '*', '~', '>', '%', '|':
		size, err := strconv.Atoi(n.str)
		if err != nil {
			return nil, fmt.Errorf("bad length in %q", line)
		}
		if size < 0 {
			n.null = true
			return n, nil
		}
		if n.typ == '%' || n.typ == '|' {
			size *= 2
		}
		n.elems = make([]*node, size)
		for i := range n.elems {
			if n.elems[i], err = readNode(rd); err != nil {
				return nil, err
			}
		}
		n.str = ""
	}
	return n, nil
}

// canonical returns a copy of a COMMAND INFO or COMMAND DOCS reply with the
// subcommands sorted by name (Redis lists them in its hash table's order,
// which changes from one run of redis-server to the next) and those named in
// drop left out.
func canonical(n *node, docs bool, drop map[string]bool) *node {
	if n == nil || !n.isAggregate() {
		return n
	}
	cp := *n
	cp.elems = make([]*node, len(n.elems))
	for i, e := range n.elems {
		cp.elems[i] = canonical(e, docs, drop)
	}
	switch {
	case !docs && len(cp.elems) == 10 && cp.elems[0].typ == '$' && cp.elems[9].isAggregate():
		// A COMMAND INFO entry: element 9 holds the subcommands' entries.
		subs := *cp.elems[9]
		subs.elems = nil
		for _, e := range cp.elems[9].elems {
			if len(e.elems) > 0 && !drop[e.elems[0].str] {
				subs.elems = append(subs.elems, e)
			}
		}
		sort.SliceStable(subs.elems, func(i, j int) bool { return subs.elems[i].elems[0].str < subs.elems[j].elems[0].str })
		cp.elems[9] = &subs
	case docs && cp.typ == '%' || docs && cp.typ == '*' && len(cp.elems)%2 == 0:
		for i := 0; i+1 < len(cp.elems); i += 2 {
			if cp.elems[i].str == "subcommands" && cp.elems[i+1].isAggregate() {
				cp.elems[i+1] = sortPairs(cp.elems[i+1], drop)
			}
		}
	}
	return &cp
}

func sortPairs(m *node, drop map[string]bool) *node {
	type pair struct{ k, v *node }
	var ps []pair
	for i := 0; i+1 < len(m.elems); i += 2 {
		if !drop[m.elems[i].str] {
			ps = append(ps, pair{m.elems[i], m.elems[i+1]})
		}
	}
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].k.str < ps[j].k.str })
	cp := *m
	cp.elems = nil
	for _, p := range ps {
		cp.elems = append(cp.elems, p.k, p.v)
	}
	return &cp
}
