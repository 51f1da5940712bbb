// Command evictbench measures how well a server's maxmemory eviction keeps
// the keys a workload needs. It works with any server speaking RESP2
// (Petrel, Redis).
//
// The default mode replays a cache-aside trace: every request picks a key
// from a Zipfian distribution over -keys keys and GETs it; on a miss it SETs
// the key to a -value byte value, as an application filling its cache would.
// With a keyspace larger than maxmemory holds, the hit ratio says how well
// eviction kept the hot keys. The trace depends only on -seed, -keys,
// -zipf, -requests and -clients, so two servers given the same flags see
// the same requests (with one client, in the same order):
//
//	go run ./tools/evictbench -addr 127.0.0.1:6379 -keys 200000 -zipf 0.99 -pid $(pidof redis-server)
//
// -mode fill writes only SETs of new keys (-requests of them, pipelined
// -pipeline deep per client): a sustained write load past the cap, to see
// how far the process's memory goes past maxmemory.
//
// With -pid, the server's VmRSS is sampled every 5 ms during the run (the
// peak) and read again at the end and after -settle.
//
// Output, one line of name=value pairs: hit ratios over the whole trace and
// over its second half (the steady state, once the cache has filled),
// requests and commands per second, error replies, then INFO's
// evicted_keys and used_memory, DBSIZE, and with -pid the RSS figures and
// the server's CPU time over the run, in all and per command (GET or SET).
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type options struct {
	addr     string
	mode     string
	keys     int
	requests int
	zipf     float64
	value    int
	clients  int
	pipeline int
	seed     uint64
	pid      int
	settle   time.Duration
}

func main() {
	var o options
	flag.StringVar(&o.addr, "addr", "127.0.0.1:6379", "server address")
	flag.StringVar(&o.mode, "mode", "trace", "trace (cache-aside GET, SET on miss) or fill (SETs of new keys only)")
	flag.IntVar(&o.keys, "keys", 200000, "keyspace size of the trace")
	flag.IntVar(&o.requests, "requests", 1000000, "requests in all (trace: GETs; fill: SETs)")
	flag.Float64Var(&o.zipf, "zipf", 0.99, "Zipf exponent s of key popularity (s > 0)")
	flag.IntVar(&o.value, "value", 1024, "value size in bytes")
	flag.IntVar(&o.clients, "clients", 50, "concurrent connections")
	flag.IntVar(&o.pipeline, "pipeline", 16, "fill mode: SETs each client sends before reading their replies")
	flag.Uint64Var(&o.seed, "seed", 1, "seed of the trace")
	flag.IntVar(&o.pid, "pid", 0, "the server's process id, to read its RSS from /proc (0: not read)")
	flag.DurationVar(&o.settle, "settle", 0, "wait this long after the run and read the RSS again")
	flag.Parse()
	if o.keys < 1 || o.requests < 1 || o.clients < 1 || o.pipeline < 1 || o.value < 0 || !(o.zipf > 0) {
		fmt.Fprintln(os.Stderr, "evictbench: -keys, -requests, -clients and -pipeline must be at least 1, -zipf above 0")
		os.Exit(2)
	}
	if o.mode != "trace" && o.mode != "fill" {
		fmt.Fprintln(os.Stderr, "evictbench: -mode must be trace or fill")
		os.Exit(2)
	}
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "evictbench:", err)
		os.Exit(1)
	}
}

// tally is one client's counts, padded so clients do not share a cache line.
type tally struct {
	gets, hits   int64
	gets2, hits2 int64 // the second half of the client's requests
	sets, errs   int64
	firstErr     string
	_            [64]byte
}

func run(o options) error {
	var peak atomic.Int64
	stopSampling := make(chan struct{})
	var sampler sync.WaitGroup
	if o.pid > 0 {
		if _, err := rss(o.pid); err != nil {
			return err
		}
		sampler.Add(1)
		go func() {
			defer sampler.Done()
			tick := time.NewTicker(5 * time.Millisecond)
			defer tick.Stop()
			for {
				if v, err := rss(o.pid); err == nil && v > peak.Load() {
					peak.Store(v)
				}
				select {
				case <-stopSampling:
					return
				case <-tick.C:
				}
			}
		}()
	}

	var pickers func(r *rand.Rand) func() int
	if o.mode == "trace" {
		pickers = keyPicker(o)
	}
	value := make([]byte, o.value)
	for i := range value {
		value[i] = 'a' + byte(i%26)
	}

	conns := make([]*client, o.clients)
	for i := range conns {
		c, err := dial(o.addr)
		if err != nil {
			return err
		}
		defer c.nc.Close()
		conns[i] = c
	}
	var cpu0 time.Duration
	if o.pid > 0 {
		cpu0, _ = cpuTime(o.pid)
	}
	tallies := make([]tally, o.clients)
	var wg sync.WaitGroup
	errc := make(chan error, o.clients)
	start := time.Now()
	for i := range conns {
		n := o.requests / o.clients
		if i < o.requests%o.clients {
			n++
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			if o.mode == "trace" {
				r := rand.New(rand.NewPCG(o.seed, uint64(i)+1))
				err = conns[i].trace(pickers(r), n, value, &tallies[i])
			} else {
				err = conns[i].fill(i, n, o.pipeline, value, &tallies[i])
			}
			if err != nil {
				errc <- err
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	var cpu time.Duration
	if o.pid > 0 {
		c, _ := cpuTime(o.pid)
		cpu = c - cpu0
	}
	close(errc)
	if err := <-errc; err != nil {
		return err
	}

	var t tally
	for _, c := range tallies {
		t.gets += c.gets
		t.hits += c.hits
		t.gets2 += c.gets2
		t.hits2 += c.hits2
		t.sets += c.sets
		t.errs += c.errs
		if t.firstErr == "" {
			t.firstErr = c.firstErr
		}
	}
	var rssEnd, rssSettled int64
	if o.pid > 0 {
		rssEnd, _ = rss(o.pid)
		if o.settle > 0 {
			time.Sleep(o.settle)
		}
		rssSettled, _ = rss(o.pid)
		close(stopSampling)
		sampler.Wait()
		peak.Store(max(peak.Load(), rssEnd, rssSettled))
	}
	info, err := conns[0].do("INFO")
	if err != nil {
		return err
	}
	dbsize, err := conns[0].do("DBSIZE")
	if err != nil {
		return err
	}
	fields := infoFields(info)

	secs := elapsed.Seconds()
	var b strings.Builder
	fmt.Fprintf(&b, "mode=%s keys=%d requests=%d zipf=%g value=%d clients=%d seconds=%.2f", o.mode, o.keys, o.requests, o.zipf, o.value, o.clients, secs)
	if o.mode == "trace" {
		fmt.Fprintf(&b, " hit_ratio=%.4f hit_ratio_2nd_half=%.4f", ratio(t.hits, t.gets), ratio(t.hits2, t.gets2))
	}
	fmt.Fprintf(&b, " requests/s=%.0f ops/s=%.0f gets=%d sets=%d errors=%d", float64(o.requests)/secs, float64(t.gets+t.sets)/secs, t.gets, t.sets, t.errs)
	fmt.Fprintf(&b, " evicted_keys=%s used_memory=%s maxmemory=%s dbsize=%s", orNA(fields["evicted_keys"]), orNA(fields["used_memory"]), orNA(fields["maxmemory"]), strings.TrimPrefix(dbsize, ":"))
	if o.pid > 0 {
		fmt.Fprintf(&b, " rss=%d rss_settled=%d peak_rss=%d server_cpu_s=%.2f cpu_us/op=%.2f", rssEnd, rssSettled, peak.Load(),
			cpu.Seconds(), float64(cpu.Microseconds())/float64(max(t.gets+t.sets, 1)))
	}
	fmt.Println(b.String())
	if t.firstErr != "" {
		fmt.Fprintf(os.Stderr, "evictbench: %d error replies, the first: %s\n", t.errs, t.firstErr)
	}
	return nil
}

func ratio(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func orNA(s string) string {
	if s == "" {
		return "n/a"
	}
	return s
}

// keyPicker returns a maker of key samplers, one per client over that
// client's generator: rank k (0 the most popular) has probability
// proportional to 1/(k+1)^s, and ranks are mapped to keys through a
// permutation fixed by the seed, so the hot keys are spread over the key
// names rather than being key:0, key:1, ...
func keyPicker(o options) func(r *rand.Rand) func() int {
	perm := rand.New(rand.NewPCG(o.seed, 0)).Perm(o.keys)
	if o.zipf > 1 {
		return func(r *rand.Rand) func() int {
			z := rand.NewZipf(r, o.zipf, 1, uint64(o.keys-1))
			return func() int { return perm[z.Uint64()] }
		}
	}
	// rand.NewZipf needs s > 1; for s <= 1 invert the cumulative
	// distribution of the finite keyspace by binary search.
	cdf := make([]float64, o.keys)
	var sum float64
	for k := range cdf {
		sum += math.Pow(float64(k+1), -o.zipf)
		cdf[k] = sum
	}
	return func(r *rand.Rand) func() int {
		return func() int { return perm[min(sort.SearchFloat64s(cdf, r.Float64()*sum), o.keys-1)] }
	}
}

func rss(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb * 1024, err
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}

// cpuTime is the CPU time (user and system, all threads) the process has
// used so far, from /proc/PID/stat in USER_HZ ticks (100 a second on
// Linux).
func cpuTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name may hold spaces: fields count from its closing ")".
	i := strings.LastIndexByte(string(b), ')')
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("short /proc/%d/stat", pid)
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond, nil
}

func infoFields(info string) map[string]string {
	m := map[string]string{}
	for _, line := range strings.Split(info, "\r\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			m[k] = v
		}
	}
	return m
}

// client is a raw RESP2 connection.
type client struct {
	nc net.Conn
	w  *bufio.Writer
	r  *bufio.Reader
}

func dial(addr string) (*client, error) {
	nc, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	return &client{nc: nc, w: bufio.NewWriterSize(nc, 64<<10), r: bufio.NewReaderSize(nc, 64<<10)}, nil
}

func (c *client) trace(pick func() int, n int, value []byte, t *tally) error {
	var key []byte
	for i := 0; i < n; i++ {
		key = strconv.AppendInt(append(key[:0], "key:"...), int64(pick()), 10)
		writeCommand(c.w, []byte("GET"), key)
		if err := c.w.Flush(); err != nil {
			return err
		}
		hit, err := c.readGet()
		if err != nil {
			return err
		}
		t.gets++
		second := i >= n/2
		if second {
			t.gets2++
		}
		if hit {
			t.hits++
			if second {
				t.hits2++
			}
			continue
		}
		writeCommand(c.w, []byte("SET"), key, value)
		if err := c.w.Flush(); err != nil {
			return err
		}
		t.sets++
		if err := c.readStatus(t); err != nil {
			return err
		}
	}
	return nil
}

// fill SETs n new keys, depth at a time.
func (c *client) fill(id, n, depth int, value []byte, t *tally) error {
	var key []byte
	for done := 0; done < n; {
		batch := min(depth, n-done)
		for j := 0; j < batch; j++ {
			key = strconv.AppendInt(append(strconv.AppendInt(append(key[:0], "fill:"...), int64(id), 10), ':'), int64(done+j), 10)
			writeCommand(c.w, []byte("SET"), key, value)
		}
		if err := c.w.Flush(); err != nil {
			return err
		}
		for j := 0; j < batch; j++ {
			if err := c.readStatus(t); err != nil {
				return err
			}
		}
		t.sets += int64(batch)
		done += batch
	}
	return nil
}

func writeCommand(w *bufio.Writer, args ...[]byte) {
	w.WriteByte('*')
	w.WriteString(strconv.Itoa(len(args)))
	w.WriteString("\r\n")
	for _, a := range args {
		w.WriteByte('$')
		w.WriteString(strconv.Itoa(len(a)))
		w.WriteString("\r\n")
		w.Write(a)
		w.WriteString("\r\n")
	}
}

func (c *client) line() (string, error) {
	s, err := c.r.ReadSlice('\n')
	if err != nil {
		return "", err
	}
	if len(s) < 2 || s[len(s)-2] != '\r' {
		return "", fmt.Errorf("malformed reply line %q", s)
	}
	return string(s[:len(s)-2]), nil
}

// readGet reads a GET reply and reports whether the key was there.
func (c *client) readGet() (bool, error) {
	l, err := c.line()
	if err != nil {
		return false, err
	}
	switch {
	case l == "$-1":
		return false, nil
	case strings.HasPrefix(l, "$"):
		n, err := strconv.Atoi(l[1:])
		if err != nil {
			return false, fmt.Errorf("bad bulk length %q", l)
		}
		_, err = c.r.Discard(n + 2)
		return true, err
	}
	return false, fmt.Errorf("GET replied %q", l)
}

// readStatus reads a SET reply; an error reply (OOM) is counted, not fatal.
func (c *client) readStatus(t *tally) error {
	l, err := c.line()
	if err != nil {
		return err
	}
	switch {
	case l == "+OK":
		return nil
	case strings.HasPrefix(l, "-"):
		t.errs++
		if t.firstErr == "" {
			t.firstErr = l[1:]
		}
		return nil
	}
	return fmt.Errorf("SET replied %q", l)
}

// do sends one command and returns its reply as text (a bulk string's
// contents, or a status, integer or error line as it came).
func (c *client) do(args ...string) (string, error) {
	bs := make([][]byte, len(args))
	for i, a := range args {
		bs[i] = []byte(a)
	}
	writeCommand(c.w, bs...)
	if err := c.w.Flush(); err != nil {
		return "", err
	}
	l, err := c.line()
	if err != nil {
		return "", err
	}
	if strings.HasPrefix(l, "$") {
		n, err := strconv.Atoi(l[1:])
		if err != nil || n < 0 {
			return "", errors.New("bad bulk reply " + l)
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(c.r, buf); err != nil {
			return "", err
		}
		return string(buf[:n]), nil
	}
	return l, nil
}
