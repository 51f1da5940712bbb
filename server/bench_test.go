package server

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"io"
	"math/rand/v2"
	"net"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"petrel/config"
)

// Benchmarks of the command path without the network: pre-encoded RESP is
// served by an in-memory connection to the client's parser, and every
// command goes through the same Next / dispatch / flush / Fill loop as
// serveClient, replies included (written to a discarding connection).
//
// ns/op and allocs/op are per command in every benchmark, pipelined or not,
// so P1 and P16 figures compare directly.

// benchConn is a net.Conn whose reads hand out pre-encoded batches of
// commands, one batch per Read, cycling forever, and whose writes are
// discarded (counted, and optionally captured).
type benchConn struct {
	batches [][]byte
	next    int
	written int64
	capture *bytes.Buffer
}

func (c *benchConn) Read(p []byte) (int, error) {
	b := c.batches[c.next]
	c.next++
	if c.next == len(c.batches) {
		c.next = 0
	}
	if len(b) > len(p) {
		panic("benchConn: batch larger than the parser's buffer")
	}
	return copy(p, b), nil
}

func (c *benchConn) Write(p []byte) (int, error) {
	c.written += int64(len(p))
	if c.capture != nil {
		c.capture.Write(p)
	}
	return len(p), nil
}

func (c *benchConn) Close() error        { return nil }
func (c *benchConn) LocalAddr() net.Addr { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 6379} }
func (c *benchConn) RemoteAddr() net.Addr {
	return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000}
}
func (c *benchConn) SetDeadline(time.Time) error      { return nil }
func (c *benchConn) SetReadDeadline(time.Time) error  { return nil }
func (c *benchConn) SetWriteDeadline(time.Time) error { return nil }

// newBenchServer returns a server that is never started: the benchmarks
// drive dispatch directly.
func newBenchServer() *Server {
	return New(config.Defaults(), NewLogger(io.Discard, LogWarning))
}

// benchKeyspace is how many distinct keys the workloads touch, like
// redis-benchmark -r; large enough to spread over every shard.
const benchKeyspace = 100000

// benchValue is a 64-byte value, as in redis-benchmark -d 64.
var benchValue = bytes.Repeat([]byte("x"), 64)

// genFunc returns the arguments of the i-th command of a workload.
type genFunc func(rng *rand.Rand) []string

func randKey(rng *rand.Rand) string {
	return "key:" + strconv.Itoa(rng.IntN(benchKeyspace))
}

var (
	genPing = func(*rand.Rand) []string { return []string{"PING"} }
	genGet  = func(r *rand.Rand) []string { return []string{"GET", randKey(r)} }
	genSet  = func(r *rand.Rand) []string { return []string{"SET", randKey(r), string(benchValue)} }
	genIncr = func(r *rand.Rand) []string { return []string{"INCR", "counter:" + strconv.Itoa(r.IntN(benchKeyspace))} }
	genMset = func(r *rand.Rand) []string {
		args := []string{"MSET"}
		for range 10 {
			args = append(args, randKey(r), string(benchValue))
		}
		return args
	}
)

// encodeBatches pre-encodes nbatches batches of pipeline commands each.
func encodeBatches(gen genFunc, pipeline, nbatches int, seed uint64) [][]byte {
	rng := rand.New(rand.NewPCG(seed, 1))
	out := make([][]byte, nbatches)
	for i := range out {
		var b []byte
		for range pipeline {
			b = appendCommand(b, gen(rng)...)
		}
		out[i] = b
	}
	return out
}

// appendCommand appends args encoded as a RESP array of bulk strings;
// unlike the harness's encode it avoids fmt, which would otherwise show up in
// CPU profiles taken with these benchmarks.
func appendCommand(b []byte, args ...string) []byte {
	b = append(b, '*')
	b = strconv.AppendInt(b, int64(len(args)), 10)
	b = append(b, "\r\n"...)
	for _, a := range args {
		b = append(b, '$')
		b = strconv.AppendInt(b, int64(len(a)), 10)
		b = append(b, "\r\n"...)
		b = append(b, a...)
		b = append(b, "\r\n"...)
	}
	return b
}

// benchClient registers a client reading the given batches.
func benchClient(s *Server, batches [][]byte) (*Client, *benchConn) {
	conn := &benchConn{batches: batches}
	return s.newClient(conn, false), conn
}

// drive runs n commands through c as serveClient would: dispatch every
// complete command, and when the input runs dry, flush the replies and read.
func drive(tb testing.TB, s *Server, c *Client, n int) {
	for done := 0; done < n; {
		args, ok, err := c.parser.Next()
		if err != nil {
			tb.Fatalf("parse: %v", err)
		}
		if !ok {
			if err := c.flush(); err != nil {
				tb.Fatal(err)
			}
			if err := c.parser.Fill(); err != nil {
				tb.Fatal(err)
			}
			continue
		}
		s.dispatch(c, args)
		done++
	}
	c.flush()
}

// mustReply runs one command and fails the benchmark unless the reply
// starts with want, so a benchmark never silently measures an error path.
func mustReply(tb testing.TB, s *Server, want string, args ...string) {
	tb.Helper()
	c, conn := benchClient(s, [][]byte{encode(args...)})
	conn.capture = new(bytes.Buffer)
	drive(tb, s, c, 1)
	s.removeClient(c)
	if got := conn.capture.String(); len(got) < len(want) || got[:len(want)] != want {
		tb.Fatalf("%q replied %q, want a reply starting with %q", args, got, want)
	}
}

// preload fills the keys GET reads so that it measures hits.
func preload(tb testing.TB, s *Server) {
	tb.Helper()
	var batches [][]byte
	for i := 0; i < benchKeyspace; i += 100 {
		var b []byte
		for j := i; j < i+100 && j < benchKeyspace; j++ {
			b = appendCommand(b, "SET", "key:"+strconv.Itoa(j), string(benchValue))
		}
		batches = append(batches, b)
	}
	c, _ := benchClient(s, batches)
	drive(tb, s, c, benchKeyspace)
	s.removeClient(c)
}

// benchDispatch measures one workload at one pipeline depth on one client.
func benchDispatch(b *testing.B, gen genFunc, pipeline int, check func(testing.TB, *Server)) {
	s := newBenchServer()
	if check != nil {
		check(b, s)
	}
	c, conn := benchClient(s, encodeBatches(gen, pipeline, 4096/pipeline+1, 42))
	drive(b, s, c, pipeline*8) // warm the buffers
	b.ReportAllocs()
	b.ResetTimer()
	start := conn.written
	drive(b, s, c, b.N)
	b.StopTimer()
	b.ReportMetric(float64(conn.written-start)/float64(b.N), "replyB/op")
}

func checkPing(tb testing.TB, s *Server) { mustReply(tb, s, "+PONG", "PING") }

func checkGet(tb testing.TB, s *Server) {
	preload(tb, s)
	mustReply(tb, s, "$64\r\n", "GET", "key:1")
}

func checkSet(tb testing.TB, s *Server) { mustReply(tb, s, "+OK", "SET", "key:1", "v") }

func checkIncr(tb testing.TB, s *Server) { mustReply(tb, s, ":1", "INCR", "counter:check") }

func checkMset(tb testing.TB, s *Server) { mustReply(tb, s, "+OK", "MSET", "key:1", "v", "key:2", "w") }

// BenchmarkDispatchPing is the floor: the per-command cost of parsing,
// lookup, locking bookkeeping, statistics and reply without keyspace work.
func BenchmarkDispatchPing(b *testing.B) { benchDispatch(b, genPing, 1, checkPing) }

// BenchmarkDispatchGet reads existing 64-byte values.
func BenchmarkDispatchGet(b *testing.B) { benchDispatch(b, genGet, 1, checkGet) }

// BenchmarkDispatchSet overwrites random keys of a 100k keyspace.
func BenchmarkDispatchSet(b *testing.B) { benchDispatch(b, genSet, 1, checkSet) }

// BenchmarkDispatchIncr increments random counters.
func BenchmarkDispatchIncr(b *testing.B) { benchDispatch(b, genIncr, 1, checkIncr) }

// BenchmarkDispatchMset sets 10 random keys per command (redis-benchmark's
// MSET); its keys span many shards, so it pays for multi-shard locking.
func BenchmarkDispatchMset(b *testing.B) { benchDispatch(b, genMset, 1, checkMset) }

// BenchmarkDispatchPipelined16 runs each workload with 16 commands per read
// and per flush, as redis-benchmark -P 16 sends them.
func BenchmarkDispatchPipelined16(b *testing.B) {
	for _, w := range []struct {
		name  string
		gen   genFunc
		check func(testing.TB, *Server)
	}{
		{"ping", genPing, checkPing},
		{"get", genGet, checkGet},
		{"set", genSet, checkSet},
		{"incr", genIncr, checkIncr},
		{"mset", genMset, checkMset},
	} {
		b.Run(w.name, func(b *testing.B) { benchDispatch(b, w.gen, 16, w.check) })
	}
}

// BenchmarkDispatchParallel runs one client per goroutine (GOMAXPROCS of
// them) against one server, so shared state on the path (shard locks,
// statistics counters, the clients map) shows up as contention.
func BenchmarkDispatchParallel(b *testing.B) {
	for _, w := range []struct {
		name  string
		gen   genFunc
		check func(testing.TB, *Server)
	}{
		{"ping", genPing, checkPing},
		{"get", genGet, checkGet},
		{"set", genSet, checkSet},
		{"evalsha", genEvalshaLock, checkEvalshaLock},
	} {
		b.Run(w.name, func(b *testing.B) {
			s := newBenchServer()
			w.check(b, s)
			var seed atomic.Uint64
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				c, _ := benchClient(s, encodeBatches(w.gen, 1, 4096, seed.Add(1)))
				for pb.Next() {
					drive(b, s, c, 1)
				}
			})
		})
	}
}

// The scripts of bench/compare.sh's evalsha_lock and evalsha_10 tests.
const (
	benchLockScript = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"
	benchTenScript  = "for i = 1, 5 do redis.call('INCR', KEYS[1]) redis.call('GET', KEYS[2]) end return 1"
)

// BenchmarkDispatchEvalsha runs EVALSHA of the lock-release script (one GET
// per call, on a key holding another token) and of a script running 10
// commands, as bench/compare.sh does against Redis; noop (no command) is a
// script's fixed cost and get1 that of one redis.call.
func BenchmarkDispatchEvalsha(b *testing.B) {
	for _, w := range []struct {
		name, script string
		args         []string
		want         string
	}{
		{"lock", benchLockScript, []string{"1", "bench:lock", "token"}, ":0"},
		{"ten", benchTenScript, []string{"2", "bench:a", "bench:b"}, ":1"},
		{"noop", "return 1", []string{"0"}, ":1"},
		{"get1", "return redis.call('GET', KEYS[1])", []string{"1", "bench:lock"}, "$5"},
	} {
		b.Run(w.name, func(b *testing.B) {
			sha := sha1hex(w.script)
			check := func(tb testing.TB, s *Server) {
				mustReply(tb, s, "$40\r\n"+sha, "SCRIPT", "LOAD", w.script)
				mustReply(tb, s, "+OK", "SET", "bench:lock", "other")
				mustReply(tb, s, w.want, append([]string{"EVALSHA", sha}, w.args...)...)
			}
			gen := func(*rand.Rand) []string { return append([]string{"EVALSHA", sha}, w.args...) }
			benchDispatch(b, gen, 1, check)
		})
	}
}

// genEvalshaLock runs the lock-release script on random keys: in
// BenchmarkDispatchParallel, what the clients share is the scripting
// machinery, not a shard.
func genEvalshaLock(rng *rand.Rand) []string {
	return []string{"EVALSHA", sha1hex(benchLockScript), "1", randKey(rng), "token"}
}

func checkEvalshaLock(tb testing.TB, s *Server) {
	mustReply(tb, s, "$40\r\n", "SCRIPT", "LOAD", benchLockScript)
	mustReply(tb, s, ":0", genEvalshaLock(rand.New(rand.NewPCG(1, 2)))...)
}

func sha1hex(s string) string {
	sum := sha1.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// BenchmarkDispatchPublish runs PUBLISH of 64-byte messages, 16 per batch
// as bench/pubsub.sh's publishers send them, to a channel with 1 and 10
// subscribers whose connections discard what they are sent.
func BenchmarkDispatchPublish(b *testing.B) {
	for _, subs := range []int{1, 10} {
		b.Run(strconv.Itoa(subs), func(b *testing.B) {
			check := func(tb testing.TB, s *Server) {
				for range subs {
					c, _ := benchClient(s, [][]byte{encode("SUBSCRIBE", "bench:channel")})
					drive(tb, s, c, 1)
				}
				mustReply(tb, s, ":"+strconv.Itoa(subs), "PUBLISH", "bench:channel", string(benchValue))
			}
			gen := func(*rand.Rand) []string { return []string{"PUBLISH", "bench:channel", string(benchValue)} }
			benchDispatch(b, gen, 16, check)
		})
	}
}
