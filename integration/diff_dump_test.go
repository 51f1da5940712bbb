package integration

import (
	"fmt"
	"math/rand"
	"slices"
	"strconv"
	"strings"
	"testing"

	"petrel/integration/harness"
)

// DUMP and RESTORE across implementations: values of every type and
// encoding are built on both servers, each server's DUMP of them is
// RESTOREd on both, and the copies are compared with type-specific reads
// and OBJECT ENCODING. Redis thereby checks Petrel's payloads (deeply,
// with sanitize-dump-payload yes) and Petrel reads Redis's.

// dumpValues builds the values: keys named type:encoding.
func dumpValues() [][]string {
	rng := rand.New(rand.NewSource(7))
	words := func(prefix string, n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = prefix + strconv.Itoa(i)
		}
		return out
	}
	binary := func(n int) string {
		b := make([]byte, n)
		rng.Read(b)
		return string(b)
	}
	// Integers at the edges of every listpack and intset encoding, and
	// strings that only look like integers.
	edges := []string{"0", "127", "128", "-1", "-4096", "-4097", "4095", "4096", "32767", "32768", "-32768",
		"-32769", "8388607", "8388608", "-8388608", "-8388609", "2147483647", "2147483648", "-2147483648",
		"-2147483649", "9223372036854775807", "-9223372036854775808", "9223372036854775808", "007", "+1",
		"-0", "1.5", " 1", ""}
	var zset, bigZset, hash, bigHash, intset64, bigIntset []string
	for i, e := range edges {
		zset = append(zset, strconv.Itoa(i-10)+".25", "m"+e)
		hash = append(hash, "f"+e, e)
	}
	zset = append(zset, "inf", "+inf", "-inf", "-inf", "0", "zero", "1e300", "tiny", "-0.1", "neg")
	for i := range 300 {
		bigZset = append(bigZset, strconv.FormatFloat(rng.NormFloat64()*1e6, 'g', -1, 64), "member:"+strconv.Itoa(i))
		bigHash = append(bigHash, "field:"+strconv.Itoa(i), binary(rng.Intn(40)))
	}
	for i := range 700 {
		bigIntset = append(bigIntset, strconv.Itoa(i*37-9000))
	}
	for range 20 {
		intset64 = append(intset64, strconv.FormatInt(rng.Int63()-rng.Int63(), 10))
	}
	long := strings.Repeat("long value ", 20)
	var vals [][]string
	// Streams: several nodes, deleted entries, entries with and without
	// the node's master fields, consumer groups with pending entries.
	for i := range 700 {
		id := fmt.Sprintf("%d-%d", 1000+i/2, i%2*(1+i%7))
		if i%5 == 0 {
			vals = append(vals, []string{"XADD", "stream:big", id, "f", strconv.Itoa(i), "other", binary(i % 30)})
		} else {
			vals = append(vals, []string{"XADD", "stream:big", id, "f", strconv.Itoa(i)})
		}
	}
	for i := 0; i < 700; i += 3 {
		vals = append(vals, []string{"XDEL", "stream:big", fmt.Sprintf("%d-%d", 1000+i/2, i%2*(1+i%7))})
	}
	vals = append(vals,
		[]string{"XADD", "stream:groups", "1-1", "a", "1", "b", "x"},
		[]string{"XADD", "stream:groups", "1-2", "a", "2", "b", "y"},
		[]string{"XADD", "stream:groups", "2-0", "c", "3"},
		[]string{"XADD", "stream:groups", "3-5", "a", "100000", "b", "z"},
		[]string{"XDEL", "stream:groups", "1-2"},
		[]string{"XGROUP", "CREATE", "stream:groups", "g1", "0"},
		[]string{"XGROUP", "CREATE", "stream:groups", "g2", "$"},
		[]string{"XREADGROUP", "GROUP", "g1", "alice", "COUNT", "2", "STREAMS", "stream:groups", ">"},
		[]string{"XREADGROUP", "GROUP", "g1", "bob", "COUNT", "1", "STREAMS", "stream:groups", ">"},
		[]string{"XGROUP", "CREATECONSUMER", "stream:groups", "g1", "carol"},
		[]string{"XACK", "stream:groups", "g1", "2-0"},
		[]string{"XADD", "stream:emptied", "5-5", "a", "b"},
		[]string{"XDEL", "stream:emptied", "5-5"},
		[]string{"XGROUP", "CREATE", "stream:created", "g", "$", "MKSTREAM"},
	)
	vals = append(vals, [][]string{
		{"SET", "string:embstr", "hello"},
		{"SET", "string:int", "12345"},
		{"SET", "string:bigint", "-9223372036854775808"},
		{"SET", "string:notint", "0123"},
		{"SET", "string:empty", ""},
		{"SET", "string:raw", long},
		{"SET", "string:binary", binary(300)},
		{"SET", "string:lzf", strings.Repeat("a", 5000)},
		{"APPEND", "string:appended", "x"},
		append([]string{"RPUSH", "list:edges"}, edges...),
		append([]string{"RPUSH", "list:big"}, words("element-", 3000)...),
		{"RPUSH", "list:longelems", strings.Repeat("p", 10000), "q", binary(5000), strings.Repeat("r", 70000)},
		{"SADD", "set:intset16", "1", "-2", "300"},
		{"SADD", "set:intset32", "1", "-2", "3000000"},
		append([]string{"SADD", "set:intset64"}, intset64...),
		append([]string{"SADD", "set:bigints"}, bigIntset...),
		append([]string{"SADD", "set:strings"}, edges...),
		append([]string{"SADD", "set:words"}, words("w", 200)...),
		append([]string{"ZADD", "zset:listpack"}, zset...),
		append([]string{"ZADD", "zset:skiplist"}, bigZset...),
		{"ZADD", "zset:longmember", "1", "a", "2", long},
		append([]string{"HSET", "hash:listpack"}, hash...),
		append([]string{"HSET", "hash:hashtable"}, bigHash...),
		{"HSET", "hash:longvalue", "a", "1", "b", long},
	}...)
	return vals
}

// dumpKey is the key a setup command writes.
func dumpKey(v []string) string {
	switch strings.ToUpper(v[0]) {
	case "XGROUP":
		return v[2]
	case "XREADGROUP":
		return v[len(v)-2]
	}
	return v[1]
}

// dumpRead is a read compared for a key: sorted when the reply's order
// is unspecified, copiesOnly when it shows times (XINFO STREAM FULL), which
// only copies of one payload share.
type dumpRead struct {
	args       []string
	sorted     bool
	copiesOnly bool
}

// dumpReads are the reads compared for a key of each type.
var dumpReads = map[string][]dumpRead{
	"string": {{[]string{"GET"}, false, false}, {[]string{"STRLEN"}, false, false}},
	"list":   {{[]string{"LRANGE", "", "0", "-1"}, false, false}, {[]string{"LLEN"}, false, false}},
	"set":    {{[]string{"SMEMBERS"}, true, false}, {[]string{"SCARD"}, false, false}},
	"zset":   {{[]string{"ZRANGE", "", "0", "-1", "WITHSCORES"}, false, false}, {[]string{"ZCARD"}, false, false}},
	"hash":   {{[]string{"HGETALL"}, true, false}, {[]string{"HLEN"}, false, false}},
	"stream": {{[]string{"XRANGE", "", "-", "+"}, false, false}, {[]string{"XLEN"}, false, false},
		{[]string{"XINFO", "STREAM", ""}, false, false}, {[]string{"XINFO", "GROUPS", ""}, false, false},
		{[]string{"XINFO", "STREAM", "", "FULL"}, false, true}},
}

func bulkOf(t *testing.T, reply string) string {
	t.Helper()
	v, _, err := harness.Parse([]byte(reply))
	if err != nil || v.Type != '$' || v.Null {
		t.Fatalf("not a bulk string: %q", truncate(reply, 100))
	}
	return v.Str
}

func TestDiffDumpRestoreBothWays(t *testing.T) {
	configs := [][]string{
		nil,
		{"--sanitize-dump-payload", "yes", "--list-compress-depth", "1", "--list-max-listpack-size", "5",
			"--rdbcompression", "no", "--hash-max-listpack-entries", "16", "--zset-max-listpack-entries", "16",
			"--set-max-intset-entries", "10"},
	}
	for i, args := range configs {
		args := args
		t.Run(fmt.Sprintf("config%d", i), func(t *testing.T) {
			t.Parallel()
			testDumpBothWays(t, args)
		})
	}
}

func testDumpBothWays(t *testing.T, args []string) {
	p := startPair(t, args...)
	r, q := p.redis.Dial(t), p.petrel.Dial(t)
	sides := []*harness.Conn{r, q}
	var keys []string
	for _, v := range dumpValues() {
		for _, c := range sides {
			if reply := c.Do(v...); strings.HasPrefix(reply, "-") {
				t.Fatalf("%s: %q", truncate(strings.Join(v, " "), 80), reply)
			}
		}
		if k := dumpKey(v); len(keys) == 0 || keys[len(keys)-1] != k {
			keys = append(keys, k)
		}
	}
	// Every server's dump of every key goes to both servers.
	var copies []string
	for _, key := range keys {
		for si, from := range sides {
			payload := bulkOf(t, from.Do("DUMP", key))
			copy := key + "@" + sideNames[si]
			for ti, to := range sides {
				if got := to.Do("RESTORE", copy, "0", payload); got != "+OK\r\n" {
					t.Errorf("RESTORE of %s's DUMP %s into %s: %q", sideNames[si], key, sideNames[ti], got)
				}
			}
			copies = append(copies, copy)
		}
	}
	// Each read of each key, by server: copies must read as their
	// originals do (OBJECT ENCODING aside: a restored value takes the
	// encoding a load gives it), and everything as on the other server.
	results := map[string][2]string{} // by read and key
	for _, key := range append(keys, copies...) {
		typ := r.Do("TYPE", key)
		if got := q.Do("TYPE", key); got != typ {
			t.Errorf("TYPE %s: redis %q, petrel %q", key, typ, got)
			continue
		}
		reads := dumpReads[strings.TrimSpace(strings.TrimPrefix(typ, "+"))]
		reads = append(reads, dumpRead{args: []string{"OBJECT", "ENCODING"}})
		orig, source, isCopy := strings.Cut(key, "@")
		for ri, rd := range reads {
			args := append([]string{}, rd.args...)
			if i := slices.Index(args, ""); i >= 0 {
				args[i] = key
			} else {
				args = append(args, key)
			}
			var out [2]string
			for i, c := range sides {
				v, _, err := harness.Parse([]byte(c.Do(args...)))
				if err != nil {
					t.Fatalf("%q on %s: %v", args, sideNames[i], err)
				}
				if rd.sorted {
					v = v.SortPairs()
					if args[0] != "HGETALL" {
						v = v.SortElems()
					}
				}
				out[i] = string(v.Raw())
			}
			if out[0] != out[1] && (isCopy || !rd.copiesOnly) {
				t.Errorf("%q: redis %q, petrel %q", args, truncate(out[0], 200), truncate(out[1], 200))
			}
			results[fmt.Sprint(ri, key)] = out
			if isCopy && args[0] != "OBJECT" {
				from := slices.Index(sideNames[:], source)
				for i := range sides {
					// Times travel with the payload: compare them
					// with the original on the server it came from.
					if rd.copiesOnly && i != from {
						continue
					}
					if o := results[fmt.Sprint(ri, orig)][i]; out[i] != o {
						t.Errorf("%q on %s: the copy reads %q, the original %q", args, sideNames[i], truncate(out[i], 200), truncate(o, 200))
					}
				}
			}
		}
	}
}
