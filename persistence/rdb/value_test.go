package rdb

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"petrel/internal/num"
	"petrel/types"
)

// loadPayloads reads a testdata file of "name hex" lines.
func loadPayloads(t testing.TB, file string) map[string][]byte {
	t.Helper()
	f, err := os.Open("testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][]byte{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		name, h, _ := strings.Cut(line, " ")
		b, err := hex.DecodeString(h)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = b
	}
	return out
}

// describeStream lists a stream's entries, counters, groups, pending
// entries and consumers.
func describeStream(s *types.Stream) described {
	d := described{typ: "stream", enc: s.Encoding()}
	it := s.Iter(types.StreamID{}, types.MaxStreamID, false)
	for id, fv, ok := it.Next(); ok; id, fv, ok = it.Next() {
		d.items = append(d.items, fmt.Sprintf("%s %q", id, fv))
	}
	d.items = append(d.items, fmt.Sprintf("len=%d last=%s first=%s maxdel=%s added=%d nodes=%d",
		s.Len(), s.LastID, s.FirstID, s.MaxDeletedID, s.EntriesAdded, s.NodeCount()))
	for _, g := range s.Groups() {
		d.items = append(d.items, fmt.Sprintf("group %s last=%s read=%d", g.Name, g.LastID, g.EntriesRead))
		g.PEL.Ascend(types.StreamID{}, func(pe *types.PendingEntry) bool {
			d.items = append(d.items, fmt.Sprintf("  pending %s %s %d %d", pe.ID, pe.Consumer.Name, pe.DeliveryTime, pe.DeliveryCount))
			return true
		})
		for _, c := range g.Consumers() {
			d.items = append(d.items, fmt.Sprintf("  consumer %s seen=%d pel=%d", c.Name, c.SeenTime, c.PEL.Len()))
		}
	}
	return d
}

// described is a value reduced to comparable text: its type, encoding
// and elements (a list in order, a set sorted, a sorted set in order with
// scores as "%.17g", a hash sorted, with "@expiry" for fields that have
// one).
type described struct {
	typ, enc string
	items    []string
}

func describe(o Object) described {
	switch v := o.Val.(type) {
	case nil:
		return described{"string", "", []string{string(o.Str)}}
	case *types.List:
		d := described{typ: "list", enc: v.Encoding()}
		it := v.Iter(0, v.Len())
		for e, ok := it.Next(); ok; e, ok = it.Next() {
			d.items = append(d.items, string(e))
		}
		return d
	case *types.Set:
		d := described{typ: "set", enc: v.Encoding()}
		v.Members(func(m []byte) bool {
			d.items = append(d.items, string(m))
			return true
		})
		slices.Sort(d.items)
		return d
	case *types.ZSet:
		d := described{typ: "zset", enc: v.Encoding()}
		v.Each(func(m []byte, s float64) {
			d.items = append(d.items, string(m)+"="+num.FormatFloat17(s))
		})
		return d
	case *types.Hash:
		d := described{typ: "hash", enc: v.Encoding()}
		v.EachWithExpiry(func(f, val []byte, at int64) bool {
			item := string(f) + "=" + string(val)
			if at != 0 {
				item += "@" + strconv.FormatInt(at, 10)
			}
			d.items = append(d.items, item)
			return true
		})
		slices.Sort(d.items)
		return d
	case *types.Stream:
		return describeStream(v)
	}
	panic("unknown value")
}

func (d described) String() string {
	items := slices.Clone(d.items)
	if len(items) > 12 {
		items = append(items[:12:12], fmt.Sprintf("... %d more", len(d.items)-12))
	}
	for i, s := range items {
		if len(s) > 40 {
			items[i] = fmt.Sprintf("%s...(%d bytes)", s[:20], len(s))
		}
	}
	return fmt.Sprintf("%s/%s %q", d.typ, d.enc, items)
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

func seq(format string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf(format, i)
	}
	return out
}

func pairs(f, v string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf(f+"="+v, i, i)
	}
	return sortedCopy(out)
}

var listInts = []string{"a", "b", "1", "200", "-1", "-4096", "4095", "-4097", "32767", "-32768", "32768",
	"8388607", "-8388608", "8388608", "2147483647", "-2147483648", "2147483648",
	"9223372036854775807", "-9223372036854775808", "01", "+1", "-0"}

// redisDumps are the values of testdata/redis-7.0.15-dump.txt, with the
// encoding Redis 7.0 restores each in under its default limits.
var redisDumps = map[string]described{
	"str_raw":          {"string", "", []string{"hello"}},
	"str_empty":        {"string", "", []string{""}},
	"str_int8":         {"string", "", []string{"-5"}},
	"str_int16":        {"string", "", []string{"12345"}},
	"str_int32":        {"string", "", []string{"100000"}},
	"str_int64text":    {"string", "", []string{"12345678901"}},
	"str_lzf":          {"string", "", []string{strings.Repeat("x", 100)}},
	"str_long_raw":     {"string", "", []string{strings.Repeat("0123456789abcdefghij", 3)}},
	"list_ints":        {"list", "quicklist", listInts},
	"list_longstr":     {"list", "quicklist", []string{strings.Repeat("y", 5000), strings.Repeat("z", 100), strings.Repeat("w", 4095)}},
	"list_big":         {"list", "quicklist", seq("v%d", 1000)},
	"list_compressed":  {"list", "quicklist", seq("e%d", 2000)},
	"set_intset16":     {"set", "intset", sortedCopy([]string{"1", "2", "3", "-7"})},
	"set_intset32":     {"set", "intset", sortedCopy([]string{"1", "100000", "-100000"})},
	"set_intset64":     {"set", "intset", sortedCopy([]string{"1", "5000000000", "-5000000000"})},
	"set_hashtable":    {"set", "hashtable", sortedCopy([]string{"a", "b", "c", "1"})},
	"set_bigints":      {"set", "hashtable", sortedCopy(seq("%d", 600))},
	"zset_listpack":    {"zset", "listpack", []string{"e=-inf", "c=-3", "g=0.10000000000000001", "a=1", "b=2.5", "f=1e+20", "d=inf"}},
	"zset_skiplist":    {"zset", "skiplist", []string{"e=-inf", "c=-3", "g=0.10000000000000001", "a=1", "b=2.5", strings.Repeat("x", 100) + "=3", "f=1e+20", "d=inf"}},
	"hash_listpack":    {"hash", "listpack", sortedCopy([]string{"f=v", "n=123", "big=-70000"})},
	"hash_hashtable":   {"hash", "hashtable", sortedCopy([]string{"f=v", "long=" + strings.Repeat("q", 100)})},
	"hash_listpack200": {"hash", "listpack", pairs("f%d", "v%d", 200)},
	"hash_big":         {"hash", "hashtable", pairs("f%d", "v%d", 600)},
}

func init() {
	const at = 1795632513315
	redisDumps["stream_groups"] = described{"stream", "stream", []string{
		`1-1 ["a" "1" "b" "x"]`, `2-0 ["c" "3"]`, `3-5 ["a" "100000" "b" "z"]`,
		"len=3 last=3-5 first=1-1 maxdel=1-2 added=4 nodes=1",
		"group g1 last=3-5 read=4",
		fmt.Sprintf("  pending 1-1 alice %d 1", at), fmt.Sprintf("  pending 2-0 alice %d 1", at),
		fmt.Sprintf("  pending 3-5 bob %d 1", at),
		fmt.Sprintf("  consumer alice seen=%d pel=2", at), fmt.Sprintf("  consumer bob seen=%d pel=1", at),
		fmt.Sprintf("  consumer carol seen=%d pel=0", at),
		"group g2 last=3-5 read=-1",
	}}
	var z []string
	for i := range 200 {
		z = append(z, fmt.Sprintf("m%d=%s", i, num.FormatFloat17(float64(i)*0.5)))
	}
	redisDumps["zset_big"] = described{"zset", "skiplist", z}
}

// oldEncodings are the values of testdata/old-encodings.txt.
var oldEncodings = map[string]described{
	"ziplist_list":   {"list", "quicklist", oldList},
	"quicklist1":     {"list", "quicklist", oldList},
	"linkedlist":     {"list", "quicklist", []string{"a", "5", "zz"}},
	"intset_old":     {"set", "intset", []string{"-3", "1", "5"}},
	"zset_ziplist":   {"zset", "listpack", []string{"c=-inf", "a=1", "b=2.5", "7=3"}},
	"hash_ziplist":   {"hash", "listpack", []string{"5=x", "f=v", "n=123"}},
	"hash_zipmap":    {"hash", "hashtable", []string{"f=v", "long=" + strings.Repeat("L", 300), "name=value"}},
	"zset_v1":        {"zset", "listpack", []string{"c=-inf", "a=1.5", "b=inf"}},
	"set_plain_old":  {"set", "hashtable", []string{"7", "a", "b"}},
	"hash_plain_old": {"hash", "listpack", []string{"a=1", "b=2"}},
}

var oldList = []string{"a", "b", "1", "200", "-1", "-4096", "12", "13", "70000", "-9000000", "3000000000",
	strings.Repeat("x", 300), strings.Repeat("y", 20000)}

func checkPayloads(t *testing.T, file string, want map[string]described) {
	payloads := loadPayloads(t, file)
	if len(payloads) != len(want) {
		t.Errorf("%s has %d payloads, the test expects %d", file, len(payloads), len(want))
	}
	for name, p := range payloads {
		w, ok := want[name]
		if !ok {
			t.Errorf("%s: no expectation", name)
			continue
		}
		for _, deep := range []bool{false, true} {
			o, err := ParseDump(p, &Options{Deep: deep})
			if err != nil {
				t.Errorf("%s (deep %v): %v", name, deep, err)
				continue
			}
			if got := describe(o); got.String() != w.String() || !slices.Equal(got.items, w.items) {
				t.Errorf("%s (deep %v):\n got %v\nwant %v", name, deep, got, w)
			}
		}
	}
}

func TestDecodeRedis7Payloads(t *testing.T) {
	checkPayloads(t, "redis-7.0.15-dump.txt", redisDumps)
}

func TestDecodeOlderEncodings(t *testing.T) {
	checkPayloads(t, "old-encodings.txt", oldEncodings)
}

// build makes a value of d's type with d's elements, under lim.
func build(t testing.TB, d described, lim *Limits) Object {
	switch d.typ {
	case "string":
		return Object{Str: []byte(d.items[0])}
	case "list":
		l := types.NewList()
		for _, s := range d.items {
			l.Push([]byte(s), true, lim.ListMaxListpackSize)
		}
		return Object{Val: l}
	case "set":
		s := types.NewSet()
		for _, m := range d.items {
			s.Add([]byte(m), lim.SetMaxIntsetEntries)
		}
		return Object{Val: s}
	case "zset":
		z := types.NewZSet(false)
		zl := types.ZLimits{MaxEntries: lim.ZsetMaxListpackEntries, MaxValue: lim.ZsetMaxListpackValue}
		for _, it := range d.items {
			i := strings.LastIndexByte(it, '=')
			f, ok := num.ParseFloat([]byte(it[i+1:]))
			if !ok {
				t.Fatalf("bad score in %q", it)
			}
			z.Add(f, []byte(it[:i]), 0, zl)
		}
		return Object{Val: z}
	case "hash":
		h := types.NewHash()
		hl := types.HashLimits{MaxEntries: lim.HashMaxListpackEntries, MaxValue: lim.HashMaxListpackValue}
		for _, it := range d.items {
			fv, at, _ := strings.Cut(it, "@")
			f, v, _ := strings.Cut(fv, "=")
			h.Set([]byte(f), []byte(v), false, 0, hl)
			if at != "" {
				ms, _ := strconv.ParseInt(at, 10, 64)
				h.EnableFieldExpiry()
				h.SetFieldExpire([]byte(f), ms, 0, math.MinInt64)
			}
		}
		return Object{Val: h}
	}
	t.Fatalf("unknown type %s", d.typ)
	return Object{}
}

func TestRoundTripEveryTypeAndEncoding(t *testing.T) {
	cases := map[string]described{}
	for name, d := range redisDumps {
		cases[name] = d
	}
	for name, d := range oldEncodings {
		cases["old_"+name] = d
	}
	cases["hash_listpackex"] = described{"hash", "listpackex", []string{"a=1@1700000000000", "b=2", "c=3@1800000000000"}}
	cases["hash_listpackex_no_ttl"] = described{"hash", "listpackex", []string{"a=1"}}
	cases["hash_hashtable_ttl"] = described{"hash", "hashtable", []string{"a=1@1700000000000", "b=2", "long=" + strings.Repeat("z", 80) + "@1700000000001"}}
	cases["list_huge_values"] = described{"list", "quicklist", []string{strings.Repeat("a", 70000), "b", strings.Repeat("c", 9000)}}
	cases["zset_negzero_and_big"] = described{"zset", "listpack", []string{"a=-4503599627370496", "b=-1.5", "c=4503599627370495", "d=4503599627370496", "e=9007199254740993"}}
	payloads := loadPayloads(t, "redis-7.0.15-dump.txt")
	for name, d := range cases {
		for _, compress := range []bool{false, true} {
			opts := &Options{Compress: compress}
			var o Object
			if d.typ == "stream" {
				var err error
				if o, err = ParseDump(payloads[name], nil); err != nil {
					t.Fatal(err)
				}
			} else {
				o = build(t, d, &DefaultLimits)
			}
			if d.enc != "" && o.Val.Encoding() != d.enc && d.enc != "listpackex" {
				t.Fatalf("%s: built as %s, want %s", name, o.Val.Encoding(), d.enc)
			}
			p, err := AppendDump(nil, o, opts)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			got, err := ParseDump(p, &Options{Deep: true})
			if err != nil {
				t.Fatalf("%s (compress %v): %v\npayload %x", name, compress, err, p)
			}
			want := describe(o)
			if g := describe(got); g.String() != want.String() || !slices.Equal(g.items, want.items) {
				t.Errorf("%s (compress %v):\n got %v\nwant %v", name, compress, g, want)
			}
		}
	}
}

// TestWriteMatchesRedisBytes checks that values Redis and Petrel encode
// the same way come out byte for byte as Redis's DUMP: strings in every
// encoding, listpacks, intsets.
// TestStreamRoundTrip writes and reads back a stream of many nodes with
// deleted entries, entries with and without the master fields, sequence
// numbers below the master's, and groups with pending entries.
func TestStreamRoundTrip(t *testing.T) {
	s := types.NewStream()
	lim := types.StreamLimits{MaxBytes: 4096, MaxEntries: 10}
	for i := range 500 {
		id := types.StreamID{Ms: uint64(1000 + i), Seq: uint64(i * 37 % 100)}
		fv := [][]byte{[]byte("field"), []byte(strconv.Itoa(i))}
		if i%7 == 0 {
			fv = append(fv, []byte("extra"), []byte(strings.Repeat("v", i)))
		}
		s.Add(id, fv, lim)
	}
	for i := 0; i < 500; i += 4 {
		s.Delete(types.StreamID{Ms: uint64(1000 + i), Seq: uint64(i * 37 % 100)})
	}
	s.RefreshFirstID()
	g := s.CreateGroup([]byte("grp"), types.StreamID{Ms: 1100}, 50)
	s.CreateGroup([]byte("other"), types.StreamID{}, -1)
	c := g.CreateConsumer([]byte("c1"), 12345)
	for i := range 20 {
		pe := &types.PendingEntry{ID: types.StreamID{Ms: uint64(1000 + i), Seq: uint64(i * 37 % 100)}, Consumer: c, DeliveryTime: int64(i), DeliveryCount: uint64(i)}
		g.PEL.Set(pe)
		c.PEL.Set(pe)
	}
	g.CreateConsumer([]byte("idle"), 999)
	for _, compress := range []bool{false, true} {
		p, err := AppendDump(nil, Object{Val: s}, &Options{Compress: compress})
		if err != nil {
			t.Fatal(err)
		}
		o, err := ParseDump(p, &Options{Deep: true})
		if err != nil {
			t.Fatal(err)
		}
		if a, b := describe(Object{Val: s}), describe(o); !slices.Equal(a.items, b.items) {
			t.Fatalf("stream round trip:\n got %v\nwant %v", b, a)
		}
		n1, n2 := 0, 0
		s.EachNode(func(types.StreamNodeView) bool { n1++; return true })
		o.Val.(*types.Stream).EachNode(func(types.StreamNodeView) bool { n2++; return true })
		if n1 != n2 {
			t.Errorf("%d nodes became %d", n1, n2)
		}
	}
}

func TestWriteMatchesRedisBytes(t *testing.T) {
	payloads := loadPayloads(t, "redis-7.0.15-dump.txt")
	// Hashes in Redis's insertion order.
	inOrder := map[string]described{
		"hash_listpack":    {"hash", "listpack", []string{"f=v", "n=123", "big=-70000"}},
		"hash_listpack200": {"hash", "listpack", nil},
	}
	for i := range 200 {
		d := inOrder["hash_listpack200"]
		d.items = append(d.items, fmt.Sprintf("f%d=v%d", i, i))
		inOrder["hash_listpack200"] = d
	}
	value := func(name string) described {
		if d, ok := inOrder[name]; ok {
			return d
		}
		return redisDumps[name]
	}
	for _, name := range []string{"str_raw", "str_empty", "str_int8", "str_int16", "str_int32", "str_int64text",
		"set_intset16", "set_intset32", "hash_listpack"} {
		o := build(t, value(name), &DefaultLimits)
		got, err := AppendDump(nil, o, &Options{Compress: true})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, payloads[name]) {
			t.Errorf("%s: got %x\nwant %x", name, got, payloads[name])
		}
	}
	// A stream, decoded and encoded again (Redis did not compress it).
	o, err := ParseDump(payloads["stream_groups"], nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := AppendDump(nil, o, nil); !bytes.Equal(got, payloads["stream_groups"]) {
		t.Errorf("stream: got %x\nwant %x", got, payloads["stream_groups"])
	}
	// Listpacks hidden under LZF: compare them decompressed.
	// (Petrel's LZF compressor finds other matches than Redis's.)
	for _, name := range []string{"list_ints", "list_longstr", "list_big", "zset_listpack", "hash_listpack200", "set_intset64"} {
		o := build(t, value(name), &DefaultLimits)
		mine, err := AppendDump(nil, o, nil)
		if err != nil {
			t.Fatal(err)
		}
		if a, b := listpacksOf(t, mine), listpacksOf(t, payloads[name]); !slices.EqualFunc(a, b, bytes.Equal) {
			t.Errorf("%s: blobs differ", name)
		}
	}
}

// listpacksOf returns the listpacks a list, sorted set or hash payload
// holds, decompressed.
func listpacksOf(t *testing.T, p []byte) [][]byte {
	r := NewBytesReader(p, nil)
	typ, _ := r.ReadType()
	n := uint64(1)
	if typ == TypeListQuicklist2 {
		n, _ = r.ReadLen()
	}
	var out [][]byte
	for range n {
		if typ == TypeListQuicklist2 {
			r.ReadLen()
		}
		s, err := r.ReadString()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, bytes.Clone(s))
	}
	return out
}

func TestDecodeAppliesLimits(t *testing.T) {
	payloads := loadPayloads(t, "redis-7.0.15-dump.txt")
	small := DefaultLimits
	small.HashMaxListpackEntries = 2
	small.ZsetMaxListpackEntries = 2
	small.SetMaxIntsetEntries = 2
	cases := []struct {
		payload string
		lim     Limits
		enc     string
	}{
		{"hash_listpack", small, "hashtable"},
		{"zset_listpack", small, "skiplist"},
		{"set_intset16", small, "hashtable"},
		// Redis converts a skiplist or plain hash back when it fits...
		{"zset_skiplist", Limits{ZsetMaxListpackEntries: 100, ZsetMaxListpackValue: 200}, "listpack"},
		{"hash_hashtable", Limits{HashMaxListpackEntries: 100, HashMaxListpackValue: 200}, "listpack"},
		{"set_bigints", Limits{SetMaxIntsetEntries: 1000}, "intset"},
		// ...but keeps a listpack whatever its values' sizes.
		{"hash_listpack", Limits{HashMaxListpackEntries: 100, HashMaxListpackValue: 1}, "listpack"},
		{"zset_listpack", Limits{ZsetMaxListpackEntries: 100, ZsetMaxListpackValue: 1}, "listpack"},
	}
	for _, c := range cases {
		o, err := ParseDump(payloads[c.payload], &Options{Limits: &c.lim})
		if err != nil {
			t.Fatalf("%s: %v", c.payload, err)
		}
		if got := o.Val.Encoding(); got != c.enc {
			t.Errorf("%s under %+v: %s, want %s", c.payload, c.lim, got, c.enc)
		}
	}
}

func TestCheckDumpFooter(t *testing.T) {
	p := loadPayloads(t, "redis-7.0.15-dump.txt")["str_raw"]
	if _, v, err := CheckDump(p, Version); err != nil || v != 10 {
		t.Fatalf("CheckDump = %d, %v", v, err)
	}
	bad := bytes.Clone(p)
	bad[len(bad)-1] ^= 1
	if _, _, err := CheckDump(bad, MaxVersion); err != ErrDumpFooter {
		t.Errorf("wrong checksum: %v", err)
	}
	for _, short := range [][]byte{nil, p[:9]} {
		if _, _, err := CheckDump(short, MaxVersion); err != ErrDumpFooter {
			t.Errorf("%d bytes: %v", len(short), err)
		}
	}
	newer := reversion(p, 13)
	if _, _, err := CheckDump(newer, MaxVersion); err != ErrDumpFooter {
		t.Errorf("version 13: %v", err)
	}
	v12 := reversion(p, 12)
	if _, _, err := CheckDump(v12, Version); err != ErrDumpFooter {
		t.Errorf("version 12 against a maximum of 10: %v", err)
	}
	if _, err := ParseDump(v12, nil); err != nil {
		t.Errorf("version 12: %v", err)
	}
}

// reversion rewrites a payload's version and checksum.
func reversion(p []byte, v int) []byte {
	q := bytes.Clone(p[:len(p)-8])
	q[len(q)-2], q[len(q)-1] = byte(v), byte(v>>8)
	crc := CRC64(0, q)
	for i := range 8 {
		q = append(q, byte(crc>>(8*i)))
	}
	return q
}

// seal adds a footer to a type byte and value.
func seal(body []byte) []byte {
	return reversion(append(bytes.Clone(body), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 10)
}

func TestDecodeRefusesCorruptValues(t *testing.T) {
	lp := func(elems ...string) []byte {
		var b lpBuilder
		b.reset(nil)
		for _, e := range elems {
			b.add([]byte(e))
		}
		return b.finish()
	}
	str := func(b []byte) []byte { return append(appendLen(nil, uint64(len(b))), b...) }
	withCount := func(b []byte, n int) []byte {
		b = bytes.Clone(b)
		b[4], b[5] = byte(n), byte(n>>8)
		return b
	}
	intset := func(w int, vals ...int64) []byte {
		b := []byte{byte(w), 0, 0, 0, byte(len(vals)), 0, 0, 0}
		for _, v := range vals {
			for i := range w {
				b = append(b, byte(v>>(8*i)))
			}
		}
		return b
	}
	// A stream of one entry 1-1 (f=v) in a node keyed key, with groups.
	stream := func(key []byte, lpCount string, groups []byte) []byte {
		b := append([]byte{byte(TypeStreamListpacks2), 1}, str(key)...)
		b = append(b, str(lp("1", "0", "1", "f", "0", "2", "0", "0", "v", lpCount))...)
		b = append(b, 1, 1, 1, 1, 1, 0, 0, 1) // length, last, first, max deleted, added
		return append(b, groups...)
	}
	id11 := []byte{0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1}
	group := func(name string, pel, consumerPEL []byte) []byte {
		b := append(str([]byte(name)), 1, 1, 1) // last 1-1, entries read 1
		b = append(b, pel...)
		return append(append(b, 1), append(append(str([]byte("c")), make([]byte, 8)...), consumerPEL...)...)
	}
	pel11 := append(append([]byte{1}, id11...), 0, 0, 0, 0, 0, 0, 0, 0, 1)
	cases := []struct {
		name    string
		body    []byte
		shallow bool // accepted without deep validation
	}{
		{"stream valid", stream(id11, "4", []byte{0}), true},
		{"stream with a group", stream(id11, "4", append([]byte{1}, group("g", pel11, append([]byte{1}, id11...))...)), true},
		{"stream lp-count wrong", stream(id11, "5", []byte{0}), false},
		{"stream node key short", stream(id11[:15], "4", []byte{0}), false},
		{"stream entry before its master", stream(append(id11[:15:15], 2), "4", []byte{0}), false},
		{"stream duplicate group", stream(id11, "4", append(append([]byte{2}, group("g", []byte{0}, []byte{0})...), group("g", []byte{0}, []byte{0})...)), false},
		{"stream consumer entry not pending", stream(id11, "4", append([]byte{1}, group("g", []byte{0}, append([]byte{1}, id11...))...)), false},
		{"stream pending entry without consumer", stream(id11, "4", append([]byte{1}, group("g", pel11, []byte{0})...)), true},
		{"empty list", []byte{byte(TypeListQuicklist2), 0}, false},
		{"empty set", []byte{byte(TypeSet), 0}, false},
		{"empty hash listpack", append([]byte{byte(TypeHashListpack)}, str(lp())...), false},
		{"empty intset", append([]byte{byte(TypeSetIntset)}, str(intset(2))...), false},
		{"intset bad width", append([]byte{byte(TypeSetIntset)}, str(intset(3, 1))...), false},
		{"intset unsorted", append([]byte{byte(TypeSetIntset)}, str(intset(2, 5, 1))...), true},
		{"intset duplicate", append([]byte{byte(TypeSetIntset)}, str(intset(2, 1, 1))...), true},
		{"zset listpack duplicate", append([]byte{byte(TypeZsetListpack)}, str(lp("a", "1", "a", "2"))...), true},
		{"zset listpack odd", append([]byte{byte(TypeZsetListpack)}, str(lp("a", "1", "b"))...), false},
		{"zset listpack NaN", append([]byte{byte(TypeZsetListpack)}, str(lp("a", "nan"))...), false},
		{"zset listpack bad score", append([]byte{byte(TypeZsetListpack)}, str(lp("a", "x"))...), false},
		{"hash listpack duplicate", append([]byte{byte(TypeHashListpack)}, str(lp("f", "1", "f", "2"))...), true},
		{"hash listpack odd", append([]byte{byte(TypeHashListpack)}, str(lp("f", "1", "g"))...), false},
		{"listpack count wrong", append([]byte{byte(TypeHashListpack)}, str(withCount(lp("f", "1"), 3))...), true},
		{"listpack size field wrong", append([]byte{byte(TypeListQuicklist2), 1, 2}, str(append(lp("a"), 0))...), false},
		{"listpackex unsorted expiries", append([]byte{byte(TypeHashListpackEx), 0, 0, 0, 0, 0, 0, 0, 0}, str(lp("a", "1", "20", "b", "2", "10"))...), true},
		{"listpackex expiry after none", append([]byte{byte(TypeHashListpackEx), 0, 0, 0, 0, 0, 0, 0, 0}, str(lp("a", "1", "0", "b", "2", "10"))...), true},
		{"listpackex expiry not an integer", append([]byte{byte(TypeHashListpackEx), 0, 0, 0, 0, 0, 0, 0, 0}, str(lp("a", "1", "x"))...), false},
		{"listpackex expiry negative", append([]byte{byte(TypeHashListpackEx), 0, 0, 0, 0, 0, 0, 0, 0}, str(lp("a", "1", "-5"))...), false},
		{"plain set duplicate", []byte{byte(TypeSet), 2, 1, 'a', 1, 'a'}, false},
		{"plain hash duplicate", []byte{byte(TypeHash), 2, 1, 'a', 1, '1', 1, 'a', 1, '2'}, true},
		{"zset2 duplicate", append(append([]byte{byte(TypeZset2), 2, 1, 'a'}, make([]byte, 8)...), append([]byte{1, 'a'}, make([]byte, 8)...)...), false},
		{"quicklist bad container", append([]byte{byte(TypeListQuicklist2), 1, 3}, str(lp("a"))...), false},
		{"module value", []byte{byte(TypeModule2), 1, 0}, false},
		{"unknown type", []byte{8, 0}, false},
		{"string past the end", []byte{byte(TypeString), 5, 'a'}, false},
		{"length marker", []byte{byte(TypeString), 0x82}, false},
		{"list count past the end", []byte{byte(TypeList), 0x80, 0xff, 0xff, 0xff, 0xff}, false},
		{"lzf length lie", []byte{byte(TypeString), 0xC3, 2, 0x80, 0x7f, 0xff, 0xff, 0xff, 1, 'a'}, false},
	}
	for _, c := range cases {
		p := seal(c.body)
		if strings.HasPrefix(c.name, "stream valid") || c.name == "stream with a group" {
			if _, err := ParseDump(p, &Options{Deep: true}); err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		if _, err := ParseDump(p, &Options{Deep: true}); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s, deep: %v, want corrupt", c.name, err)
		}
		_, err := ParseDump(p, nil)
		if c.shallow && err != nil {
			t.Errorf("%s, shallow: %v, want accepted", c.name, err)
		}
		if !c.shallow && !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s, shallow: %v, want corrupt", c.name, err)
		}
	}
}

// TestDecodeSurvivesDamage truncates and flips bits in every captured
// payload: decoding must fail or succeed, never panic.
func TestDecodeSurvivesDamage(t *testing.T) {
	all := loadPayloads(t, "redis-7.0.15-dump.txt")
	for name, p := range loadPayloads(t, "old-encodings.txt") {
		all[name] = p
	}
	for name, p := range all {
		body := p[:len(p)-10]
		for n := 0; n < len(body); n += 1 + n/64 {
			if _, _, err := NewBytesReader(body[:n], nil).ReadObject(); err == nil {
				t.Errorf("%s cut to %d of %d bytes decoded without error", name, n, len(body))
			}
		}
		for i := 0; i < len(body) && i < 300; i++ {
			for _, bit := range []byte{1, 0x40, 0x80} {
				q := bytes.Clone(body)
				q[i] ^= bit
				NewBytesReader(q, &Options{Deep: i%2 == 0}).ReadObject()
			}
		}
	}
}

func TestStreamReaderMatchesBytesReader(t *testing.T) {
	for name, p := range loadPayloads(t, "redis-7.0.15-dump.txt") {
		body := p[:len(p)-10]
		a, _, err1 := NewBytesReader(body, nil).ReadObject()
		b, _, err2 := NewReader(bytes.NewReader(body), nil).ReadObject()
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: %v, %v", name, err1, err2)
		}
		if describe(a).String() != describe(b).String() {
			t.Errorf("%s: stream reader read %v, bytes reader %v", name, describe(b), describe(a))
		}
		// Cut short, the stream reader fails without allocating for the
		// lengths it was promised.
		if _, _, err := NewReader(bytes.NewReader(body[:len(body)/2]), nil).ReadObject(); err == nil {
			t.Errorf("%s: half a payload read without error", name)
		}
	}
}

func TestWriterStreamsWithChecksum(t *testing.T) {
	var out bytes.Buffer
	w := NewWriter(&out, &Options{Compress: true})
	w.WriteRaw([]byte("REDIS0010"))
	l := types.NewList()
	for i := range 50000 {
		l.Push([]byte(fmt.Sprintf("element-%d", i)), true, -2)
	}
	if _, err := w.WriteObject(Object{Val: l}); err != nil {
		t.Fatal(err)
	}
	w.WriteString([]byte("tail"))
	sum := w.Sum()
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if got := CRC64(0, out.Bytes()); got != sum {
		t.Fatalf("Sum %#x, checksum of the output %#x", sum, got)
	}
	if int64(out.Len()) != w.Written() {
		t.Fatalf("Written %d, output %d bytes", w.Written(), out.Len())
	}
	r := NewReader(&out, nil)
	r.StartChecksum()
	if magic, err := r.ReadRaw(9); err != nil || string(magic) != "REDIS0010" {
		t.Fatalf("magic: %q %v", magic, err)
	}
	o, _, err := r.ReadObject()
	if err != nil {
		t.Fatal(err)
	}
	if o.Val.(*types.List).Len() != 50000 {
		t.Fatalf("read back %d elements", o.Val.(*types.List).Len())
	}
	if s, err := r.ReadString(); err != nil || string(s) != "tail" {
		t.Fatalf("tail: %q %v", s, err)
	}
	if r.Checksum() != sum {
		t.Fatalf("reader checksum %#x, writer %#x", r.Checksum(), sum)
	}
}

func FuzzDecodeValue(f *testing.F) {
	for _, file := range []string{"redis-7.0.15-dump.txt", "old-encodings.txt"} {
		for _, p := range loadPayloads(f, file) {
			f.Add(p[:len(p)-10], false)
		}
	}
	f.Fuzz(func(t *testing.T, body []byte, deep bool) {
		lim := Limits{ListMaxListpackSize: -2, SetMaxIntsetEntries: 8, HashMaxListpackEntries: 8,
			HashMaxListpackValue: 16, ZsetMaxListpackEntries: 8, ZsetMaxListpackValue: 16}
		o, _, err := NewBytesReader(body, &Options{Deep: deep, Limits: &lim}).ReadObject()
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error %v does not wrap ErrCorrupt", err)
			}
			return
		}
		// Whatever decodes must encode and decode again to the same value.
		p, err := AppendDump(nil, o, &Options{Compress: true})
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseDump(p, &Options{Limits: &lim})
		if err != nil {
			t.Fatalf("re-encoded value does not decode: %v", err)
		}
		if a, b := describe(o), describe(again); !slices.Equal(a.items, b.items) || a.typ != b.typ {
			t.Fatalf("round trip changed the value:\n%v\n%v", a, b)
		}
	})
}
