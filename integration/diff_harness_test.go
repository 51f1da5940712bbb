package integration

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"petrel/integration/harness"
)

// This file is the differential-test engine: it replays a sequence of steps
// on a redis-server and on Petrel started with the same arguments, over one
// raw connection per logical client on each, and compares every reply byte
// for byte (after the per-command normalisers of diff_normalise_test.go mask
// what legitimately differs between two runs, such as TIME).

// pair is a reference redis-server and a Petrel started with the same
// arguments.
type pair struct {
	redis, petrel *harness.Server
}

// startPair starts both servers; the test is skipped (or fails under
// PETREL_REQUIRE_REDIS=1) when redis-server is missing.
//
// With PETREL_DIFF_SELFCHECK=1 the second server is another redis-server:
// every comparison must then pass, which proves the sequences and the
// normalisers are deterministic and differences are Petrel's.
func startPair(t testing.TB, args ...string) *pair {
	t.Helper()
	harness.RequireRedis(t)
	if os.Getenv("PETREL_DIFF_SELFCHECK") == "1" {
		return &pair{redis: harness.StartRedis(t, args...), petrel: harness.StartRedis(t, args...)}
	}
	return &pair{redis: harness.StartRedis(t, args...), petrel: harness.StartPetrel(t, args...)}
}

// diffReplyTimeout bounds the wait for one reply in a comparison; a
// server that never replies costs this once, then the connection is dropped.
const diffReplyTimeout = 5 * time.Second

// sideNames index the two halves of every exchange: 0 is the reference.
var sideNames = [2]string{"redis", "petrel"}

// step is one action of a sequence, on one logical connection.
type step struct {
	conn    int           // logical connection, 1 by default
	args    []string      // a command sent as an array of bulk strings
	raw     []byte        // bytes sent as they are (inline, pipelined, malformed)
	chunk   int           // if > 0, raw is written in pieces of this size
	replies int           // replies to read after raw; -1 reads until quiet or closed
	sleep   time.Duration // pause, for expiry
	read    bool          // read one reply without sending (MONITOR output)
	state   bool          // compare whether the connection is open or closed
	minute  bool          // wait until the next steps cannot straddle a minute
	text    string        // the step as written, for failure messages
}

// steps builds a step list from command lines (see parseStep) and steps.
func steps(items ...any) []step {
	var out []step
	for _, it := range items {
		switch v := it.(type) {
		case string:
			out = append(out, parseStep(v))
		case step:
			out = append(out, v)
		case []step:
			out = append(out, v...)
		default:
			panic(fmt.Sprintf("steps: unexpected %T", it))
		}
	}
	return out
}

// parseStep reads one line of a sequence:
//
//	SET k "a b"     a command, split with redis-cli's quoting rules
//	@2 GET k        the same on logical connection 2
//	!sleep 1100     sleep for that many milliseconds
//	@2 !read        read one more reply on connection 2 (MONITOR)
//	!state          check that both connections are open, or both closed
//	!midminute      wait until the clock is well inside a minute: LFU
//	                counters decay by whole minutes of the wall clock
func parseStep(line string) step {
	st := step{conn: 1, text: line}
	rest := line
	if strings.HasPrefix(rest, "@") {
		sp := strings.IndexByte(rest, ' ')
		n, err := strconv.Atoi(rest[1:sp])
		if err != nil {
			panic("bad connection prefix in " + line)
		}
		st.conn, rest = n, rest[sp+1:]
	}
	switch {
	case strings.HasPrefix(rest, "!sleep "):
		ms, err := strconv.Atoi(strings.TrimSpace(rest[len("!sleep "):]))
		if err != nil {
			panic("bad sleep in " + line)
		}
		st.sleep = time.Duration(ms) * time.Millisecond
	case rest == "!read":
		st.read = true
	case rest == "!state":
		st.state = true
	case rest == "!midminute":
		st.minute = true
	default:
		st.args = harness.MustSplit(rest)
	}
	return st
}

// cmd is a command step on connection 1 built from literal arguments, for
// arguments awkward to quote (long or binary values).
func cmd(args ...string) step {
	return step{conn: 1, args: args, text: truncate(fmt.Sprintf("%q", args), 160)}
}

// raw is a step sending bytes as they are on connection conn and reading
// replies replies (-1: until the server is quiet or closes).
func raw(conn int, data string, replies int) step {
	return step{conn: conn, raw: []byte(data), replies: replies, text: fmt.Sprintf("raw %q", truncate(data, 120))}
}

// sequence is a named list of steps run on a fresh pair of servers.
type sequence struct {
	name   string
	args   []string // server arguments for both servers
	protos []int    // protocols to run in; RESP2 and RESP3 by default
	steps  []step
}

// runSequences runs each sequence in RESP2 and in RESP3 (HELLO 3 first on
// every connection), each on its own pair of servers.
func runSequences(t *testing.T, seqs []sequence) {
	t.Helper()
	harness.RequireRedis(t)
	for _, sq := range seqs {
		protos := sq.protos
		if protos == nil {
			protos = []int{2, 3}
		}
		for _, proto := range protos {
			sq, proto := sq, proto
			t.Run(fmt.Sprintf("%s/resp%d", sq.name, proto), func(t *testing.T) {
				t.Parallel()
				s := newSession(t, startPair(t, sq.args...), proto)
				s.run(sq.steps)
			})
		}
	}
}

// diffConn is one logical client: a connection to each server.
type diffConn struct {
	c       [2]*harness.Conn
	inMulti bool
	queued  [][]string // commands queued in the open MULTI, for EXEC's rules
	dead    bool
}

// session replays steps on a pair and reports every difference.
type session struct {
	t     testing.TB
	p     *pair
	proto int
	conns map[int]*diffConn
	// mismatches counts differences; the random test stops at the first.
	mismatches int
	// onMismatch, when set, receives each difference instead of t.Errorf.
	onMismatch func(msg string)
	// quiet is how long a raw step with unknown reply count waits for more.
	quiet time.Duration
}

func newSession(t testing.TB, p *pair, proto int) *session {
	return &session{t: t, p: p, proto: proto, conns: map[int]*diffConn{}, quiet: 300 * time.Millisecond}
}

func (s *session) report(format string, args ...any) {
	s.mismatches++
	msg := fmt.Sprintf(format, args...)
	if s.onMismatch != nil {
		s.onMismatch(msg)
		return
	}
	s.t.Errorf("%s", msg)
}

func (s *session) conn(n int) *diffConn {
	if dc := s.conns[n]; dc != nil {
		return dc
	}
	dc := &diffConn{}
	dc.c[0] = s.p.redis.Dial(s.t)
	dc.c[1] = s.p.petrel.Dial(s.t)
	for _, c := range dc.c {
		c.Timeout = diffReplyTimeout
	}
	s.conns[n] = dc
	if s.proto == 3 {
		s.command(n, []string{"HELLO", "3"}, "HELLO 3 (connection set-up)")
	}
	return dc
}

func (s *session) run(list []step) {
	for i, st := range list {
		where := fmt.Sprintf("step %d [conn %d] %s", i+1, st.conn, st.text)
		switch {
		case st.sleep > 0:
			time.Sleep(st.sleep)
		case st.minute:
			for sec := time.Now().Second(); sec < 2 || sec > 50; sec = time.Now().Second() {
				time.Sleep(100 * time.Millisecond)
			}
		case st.read:
			s.readOnly(st.conn, where)
		case st.state:
			s.compareState(st.conn, where)
		case st.raw != nil:
			s.rawExchange(st, where)
		default:
			s.command(st.conn, st.args, where)
		}
	}
}

// command sends args on both servers and compares the replies.
func (s *session) command(n int, args []string, where string) {
	dc := s.conn(n)
	if dc.dead {
		return
	}
	var replies [2][]byte
	var errs [2]error
	b := harness.Encode(args...)
	// Write to both before reading either, so time-dependent replies
	// (TTL) are computed as close together as possible.
	for i := range dc.c {
		errs[i] = dc.c[i].Write(b)
	}
	for i := range dc.c {
		if errs[i] == nil {
			replies[i], errs[i] = dc.c[i].Read()
		}
	}
	rl := ruleFor(args)
	if isCommand(args, "EXEC") && dc.inMulti {
		rl = execRule(dc.queued)
	}
	s.compare(dc, where, args, rl, replies, errs)
	s.track(dc, args, replies[0])
}

// track follows MULTI on the reference's replies, so EXEC's reply can be
// compared with the rules of the queued commands.
func (s *session) track(dc *diffConn, args []string, reply []byte) {
	r := string(reply)
	switch {
	case isCommand(args, "MULTI") && r == "+OK\r\n":
		dc.inMulti, dc.queued = true, nil
	case dc.inMulti && r == "+QUEUED\r\n":
		dc.queued = append(dc.queued, args)
	case isCommand(args, "EXEC"), isCommand(args, "DISCARD"), isCommand(args, "RESET"):
		if !strings.HasPrefix(r, "-ERR EXEC without") && !strings.HasPrefix(r, "-ERR DISCARD without") {
			dc.inMulti, dc.queued = false, nil
		}
	}
}

func isCommand(args []string, name string) bool {
	return len(args) > 0 && strings.EqualFold(args[0], name)
}

// compare checks one exchange and reports a difference.
func (s *session) compare(dc *diffConn, where string, args []string, rl rule, replies [2][]byte, errs [2]error) {
	if errs[0] != nil || errs[1] != nil {
		closed := [2]bool{errs[0] != nil && harness.IsClosed(errs[0]), errs[1] != nil && harness.IsClosed(errs[1])}
		if closed[0] && closed[1] && bytes.Equal(replies[0], replies[1]) {
			dc.dead = true
			return
		}
		s.report("%s:\n  redis:  %s\n  petrel: %s", where, describe(replies[0], errs[0]), describe(replies[1], errs[1]))
		dc.dead = true
		return
	}
	var vals [2]harness.Value
	for i := range replies {
		v, rest, err := harness.Parse(replies[i])
		if err != nil || len(rest) > 0 {
			s.report("%s: %s reply does not parse (%v): %q", where, sideNames[i], err, replies[i])
			return
		}
		vals[i] = v
	}
	if !rl.equal(args, vals[0], vals[1]) {
		var na, nb []byte
		if rl.norm != nil {
			na, nb = rl.norm(args, vals[0]).Raw(), rl.norm(args, vals[1]).Raw()
		}
		if na == nil || (bytes.Equal(na, replies[0]) && bytes.Equal(nb, replies[1])) {
			s.report("%s:\n  redis:  %q\n  petrel: %q", where, replies[0], replies[1])
			return
		}
		s.report("%s:\n  redis:  %q\n  petrel: %q\n  normalised redis:  %q\n  normalised petrel: %q", where,
			replies[0], replies[1], na, nb)
	}
}

func describe(reply []byte, err error) string {
	if err == nil {
		return strconv.Quote(string(reply))
	}
	if harness.IsClosed(err) {
		return fmt.Sprintf("%q then connection closed", reply)
	}
	return fmt.Sprintf("%q then error: %v", reply, err)
}

// rawExchange sends bytes as they are and compares everything that comes
// back, and whether the connection is closed afterwards when the count of
// replies is unknown.
func (s *session) rawExchange(st step, where string) {
	dc := s.conn(st.conn)
	if dc.dead {
		return
	}
	var got [2][]byte
	var errs [2]error
	var closed [2]bool
	for i := range dc.c {
		errs[i] = writeChunked(dc.c[i], st.raw, st.chunk)
	}
	for i := range dc.c {
		if st.replies >= 0 {
			if errs[i] == nil {
				got[i], errs[i] = dc.c[i].ReadN(st.replies)
			}
		} else {
			got[i], closed[i] = dc.c[i].ReadAvailable(s.quiet)
			if errs[i] != nil && harness.IsClosed(errs[i]) {
				closed[i], errs[i] = true, nil
			}
		}
	}
	if st.replies >= 0 {
		// Several replies: compare the raw stream, byte for byte.
		if !bytes.Equal(got[0], got[1]) || (errs[0] == nil) != (errs[1] == nil) {
			s.report("%s:\n  redis:  %s\n  petrel: %s", where, describe(got[0], errs[0]), describe(got[1], errs[1]))
		}
		if errs[0] != nil || errs[1] != nil {
			dc.dead = true
		}
		return
	}
	if !bytes.Equal(got[0], got[1]) || closed[0] != closed[1] || errs[0] != nil || errs[1] != nil {
		s.report("%s:\n  redis:  %s (closed: %v)\n  petrel: %s (closed: %v)", where,
			describe(got[0], errs[0]), closed[0], describe(got[1], errs[1]), closed[1])
	}
	if closed[0] || closed[1] {
		dc.dead = true
	}
}

// readOnly reads one reply on each side without sending anything.
func (s *session) readOnly(n int, where string) {
	dc := s.conn(n)
	if dc.dead {
		return
	}
	var replies [2][]byte
	var errs [2]error
	for i := range dc.c {
		replies[i], errs[i] = dc.c[i].Read()
	}
	s.compare(dc, where, []string{"!read"}, ruleFor([]string{"!read"}), replies, errs)
}

// compareState checks that both connections are open, or both closed.
func (s *session) compareState(n int, where string) {
	dc := s.conn(n)
	if dc.dead {
		return
	}
	var st [2]harness.State
	for i := range dc.c {
		st[i] = dc.c[i].Probe(s.quiet)
	}
	if st[0] != st[1] {
		s.report("%s:\n  redis:  %s\n  petrel: %s", where, st[0], st[1])
	}
	if st[0] != harness.Open || st[1] != harness.Open {
		dc.dead = true
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + fmt.Sprintf("...(%d bytes)", len(s))
}

// writeChunked writes b in pieces of size n (all at once if n <= 0), so the
// server's parser sees commands split at every possible point.
func writeChunked(c *harness.Conn, b []byte, n int) error {
	if n <= 0 {
		return c.Write(b)
	}
	for len(b) > 0 {
		k := min(n, len(b))
		if err := c.Write(b[:k]); err != nil {
			return err
		}
		b = b[k:]
	}
	return nil
}
