package integration

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"petrel/integration/harness"
)

// What lands in the append-only file: every case runs the same commands on
// a redis-server and on Petrel, each started with --appendonly yes
// --appendfsync always in its own --dir, then reads both incremental AOF
// files back as command lists and compares them exactly. The log holds
// effects, not commands (SET EX as SET PXAT, SPOP as SREM, blocking pops as
// their plain form, expired keys as DEL, MULTI/EXEC around several effects,
// SELECT when the database changes), and nothing for commands that changed
// nothing. Only what legitimately differs between two runs is normalised:
// absolute millisecond times near the wall clock (PXAT, PEXPIREAT, XCLAIM
// TIME), when both servers wrote times within aofTimeTolerance of each
// other, and stream IDs generated from "*", numbered by first appearance.
// /tmp/effects.md catalogues what Redis 7.0.15 writes and why.

// aofTimeTolerance is how far apart the two servers' absolute times for the
// same effect may be: they run each command within milliseconds of each
// other, but a loaded CI machine or the race detector stretches that.
const aofTimeTolerance = 3000 // ms

// effCase is one sequence run on a fresh pair of servers.
type effCase struct {
	name  string
	args  []string // server arguments beyond the AOF ones
	steps []step
	// activeExpiry leaves active expiry on; otherwise the first step turns
	// it off, so an expired key is deleted only where a command touches it
	// and its DEL lands at a deterministic place in the log.
	activeExpiry bool
	// background marks effects written outside any command (active
	// expiry): the log is read again for a moment until it matches.
	background bool
	// mask hides what is random in one logged command (SPOP's members).
	mask func(cmd []string) []string
}

// TestDiffAOFEffects compares the incremental AOF each server writes for
// the same commands.
func TestDiffAOFEffects(t *testing.T) {
	harness.RequireRedis(t)
	for _, c := range effCases() {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			runEffCase(t, c)
		})
	}
}

// TestDiffAOFLayout compares the appendonly directory (file names and the
// manifest's text) after start-up and after BGREWRITEAOF, the first entry
// of the new incremental file, and with aof-use-rdb-preamble no the
// rewritten base file itself.
func TestDiffAOFLayout(t *testing.T) {
	harness.RequireRedis(t)
	cases := []struct {
		name    string
		args    []string
		dirname string
		plain   bool // base file in AOF format, compared command by command
	}{
		{name: "defaults", dirname: "appendonlydir"},
		{name: "named-plain-base", dirname: "aof-here", plain: true,
			args: []string{"--appenddirname", "aof-here", "--appendfilename", "petrel.aof", "--aof-use-rdb-preamble", "no"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p, dirs := effStartPair(t, c.args...)
			srv := [2]*harness.Server{p.redis, p.petrel}
			var aofDirs [2]string
			for i := range dirs {
				aofDirs[i] = filepath.Join(dirs[i], c.dirname)
			}
			start := time.Now()
			if !effCompareLayout(t, "after start-up", aofDirs) {
				return
			}
			if c.plain {
				effCompareFile(t, "base file after start-up", aofDirs, start, "b")
			}
			var conns [2]*harness.Conn
			for i := range srv {
				conns[i] = srv[i].Dial(t)
			}
			var setup []string
			if c.plain {
				setup = effRewriteDataset()
			} else {
				setup = []string{"SET a 1", "SELECT 3", "SET b 2"}
			}
			for _, line := range setup {
				for _, cn := range conns {
					cn.Do(harness.MustSplit(line)...)
				}
			}
			var before [2]string
			for i := range aofDirs {
				before[i], _ = effManifestText(aofDirs[i])
			}
			for i, cn := range conns {
				if r := cn.Do("BGREWRITEAOF"); !strings.HasPrefix(r, "+") {
					t.Errorf("%s: BGREWRITEAOF replied %q", sideNames[i], r)
				}
			}
			for i := range srv {
				if err := effWaitRewrite(t, srv[i], aofDirs[i], before[i]); err != nil {
					t.Errorf("%s: %v", sideNames[i], err)
				}
			}
			effCompareLayout(t, "after BGREWRITEAOF", aofDirs)
			if c.plain {
				effCompareFile(t, "rewritten base file", aofDirs, start, "b")
			}
			// The new incremental file starts with a SELECT of its own.
			for _, srv := range srv {
				srv.Dial(t).Do("SET", "after-rewrite", "1")
			}
			effCompareFile(t, "incremental file after the rewrite", aofDirs, start, "i")
		})
	}
}

// effRewriteDataset holds one key per database, so the rewritten base's
// order does not depend on either server's hash table order.
func effRewriteDataset() []string {
	big := make([]string, 70)
	for i := range big {
		big[i] = strconv.Itoa(i)
	}
	return []string{
		"SET s v",
		"SELECT 1", "SET t v EX 100",
		"SELECT 2", "RPUSH l a b c",
		"SELECT 3", "SADD s m",
		"SELECT 4", "ZADD z 1 a 2 b",
		"SELECT 5", "HSET h f v",
		"SELECT 6", "XADD x 1-1 f v", "XADD x 2-1 f v", "XGROUP CREATE x g 0",
		"XREADGROUP GROUP g c COUNT 1 STREAMS x >", "XGROUP CREATECONSUMER x g c2",
		"SELECT 7", "PFADD p a",
		"SELECT 8", "SADD i 1 2 3",
		"SELECT 9", "SET n 12345",
		"SELECT 10", "RPUSH big " + strings.Join(big, " "),
		"SELECT 11", "XADD e 1-1 f v", "XDEL e 1-1",
	}
}

// effStartPair starts the reference and Petrel (another redis-server with
// PETREL_DIFF_SELFCHECK=1, which proves the normalisation) with the AOF on,
// each in its own directory, and returns those directories.
func effStartPair(t *testing.T, extra ...string) (*pair, [2]string) {
	t.Helper()
	harness.RequireRedis(t)
	var dirs [2]string
	args := func(i int) []string {
		dirs[i] = t.TempDir()
		return append([]string{"--appendonly", "yes", "--appendfsync", "always", "--dir", dirs[i]}, extra...)
	}
	p := &pair{redis: harness.StartRedis(t, args(0)...)}
	if os.Getenv("PETREL_DIFF_SELFCHECK") == "1" {
		p.petrel = harness.StartRedis(t, args(1)...)
	} else {
		p.petrel = harness.StartPetrel(t, args(1)...)
	}
	return p, dirs
}

func runEffCase(t *testing.T, c effCase) {
	args := append([]string{"--enable-debug-command", "yes"}, c.args...)
	p, dirs := effStartPair(t, args...)
	s := newSession(t, p, 2)
	var replyDiffs []string
	s.onMismatch = func(msg string) { replyDiffs = append(replyDiffs, msg) }
	start := time.Now()
	list := c.steps
	if !c.activeExpiry {
		list = append(steps("DEBUG SET-ACTIVE-EXPIRE 0"), list...)
	}
	s.run(list)

	var logs [2][]effCmd
	var errs [2]error
	deadline := time.Now().Add(time.Second)
	for {
		for i := range dirs {
			var cmds [][]string
			cmds, errs[i] = effReadLog(filepath.Join(dirs[i], "appendonlydir"), "i")
			logs[i] = effNormalise(cmds, c.mask, start)
		}
		same := errs[0] == nil && errs[1] == nil && effEqual(logs[0], logs[1])
		if same || !c.background || errs[0] != nil || errs[1] != nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if errs[0] != nil {
		t.Fatalf("reading redis's AOF: %v", errs[0])
	}
	var b strings.Builder
	switch {
	case errs[1] != nil:
		fmt.Fprintf(&b, "petrel's AOF: %v\nredis wrote:\n", errs[1])
		for _, cmd := range logs[0] {
			fmt.Fprintf(&b, "    %s\n", cmd.text())
		}
	case !effEqual(logs[0], logs[1]):
		b.WriteString("the AOFs differ (- only redis, + only petrel):\n")
		b.WriteString(effDiff(logs[0], logs[1]))
	default:
		for _, d := range replyDiffs {
			t.Logf("reply difference (not an AOF difference): %s", d)
		}
		return
	}
	b.WriteString("commands sent:\n")
	for _, st := range list {
		fmt.Fprintf(&b, "    [conn %d] %s\n", st.conn, st.text)
	}
	for _, d := range replyDiffs {
		fmt.Fprintf(&b, "reply difference: %s\n", d)
	}
	t.Errorf("%s", b.String())
}

// effCmd is one logged command: its arguments as written, and as shown and
// compared after normalisation.
type effCmd struct {
	raw, norm []string
}

func (c effCmd) text() string {
	parts := make([]string, len(c.norm))
	for i, a := range c.norm {
		parts[i] = a
		if a == "" || strings.ContainsAny(a, " \"\\") || strings.ContainsFunc(a, func(r rune) bool { return !strconv.IsPrint(r) }) {
			parts[i] = strconv.Quote(a)
		}
	}
	return strings.Join(parts, " ")
}

var (
	effMillisRe   = regexp.MustCompile(`^[0-9]{13}$`)
	effStreamIDRe = regexp.MustCompile(`^([0-9]{13})-([0-9]+)$`)
)

// effNearNow reports whether a is a unix time in milliseconds within a day
// of now: only those can come from the clock rather than from the commands.
func effNearNow(a string) (int64, bool) {
	if !effMillisRe.MatchString(a) {
		return 0, false
	}
	v, err := strconv.ParseInt(a, 10, 64)
	if err != nil {
		return 0, false
	}
	now := time.Now().UnixMilli()
	return v, v > now-86_400_000 && v < now+86_400_000
}

// effNormalise applies the case's mask, numbers stream IDs generated from
// the clock by first appearance, and labels clock times by their offset
// from the case's start (the comparison itself uses the raw times).
func effNormalise(cmds [][]string, mask func([]string) []string, start time.Time) []effCmd {
	ids := map[string]string{}
	out := make([]effCmd, 0, len(cmds))
	for _, raw := range cmds {
		if mask != nil {
			raw = mask(slices.Clone(raw))
		}
		norm := slices.Clone(raw)
		for i, a := range norm {
			if m := effStreamIDRe.FindStringSubmatch(a); m != nil {
				if _, near := effNearNow(m[1]); near {
					if ids[a] == "" {
						ids[a] = fmt.Sprintf("<id%d>", len(ids)+1)
					}
					norm[i] = ids[a]
				}
				continue
			}
			if v, near := effNearNow(a); near {
				off := math.Round(float64(v-start.UnixMilli()) / 1000)
				norm[i] = fmt.Sprintf("<now%+.0fs>", off)
			}
		}
		out = append(out, effCmd{raw: raw, norm: norm})
	}
	return out
}

// effSame compares two logged commands: equal after normalisation, except
// that two clock times match when within aofTimeTolerance of each other
// (their labels may round differently).
func effSame(a, b effCmd) bool {
	if len(a.norm) != len(b.norm) {
		return false
	}
	for i := range a.norm {
		if a.norm[i] == b.norm[i] {
			continue
		}
		va, na := effNearNow(a.raw[i])
		vb, nb := effNearNow(b.raw[i])
		if !na || !nb || va-vb > aofTimeTolerance || vb-va > aofTimeTolerance {
			return false
		}
	}
	return true
}

// effEqual reports whether two logs hold the same commands in order.
func effEqual(a, b []effCmd) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !effSame(a[i], b[i]) {
			return false
		}
	}
	return true
}

// effDiff renders a line diff of the two logs (longest common
// subsequence), "  " for shared lines, "- " redis only, "+ " petrel only.
func effDiff(a, b []effCmd) string {
	n, m := len(a), len(b)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if effSame(a[i], b[j]) {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out strings.Builder
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && effSame(a[i], b[j]):
			fmt.Fprintf(&out, "      %s\n", a[i].text())
			i, j = i+1, j+1
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			fmt.Fprintf(&out, "    - %s\n", a[i].text())
			i++
		default:
			fmt.Fprintf(&out, "    + %s\n", b[j].text())
			j++
		}
	}
	return out.String()
}

// effManifestText reads the manifest of the AOF directory dir (the one file
// there named *.manifest).
func effManifestText(dir string) (string, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.manifest"))
	if err != nil {
		return "", err
	}
	if len(names) != 1 {
		if _, err := os.Stat(dir); err != nil {
			return "", fmt.Errorf("no AOF directory: %v", err)
		}
		return "", fmt.Errorf("%d manifest files in %s", len(names), dir)
	}
	b, err := os.ReadFile(names[0])
	return string(b), err
}

// effReadLog parses the last file of type typ ("b" base, "i" incremental)
// that the manifest of dir names.
func effReadLog(dir, typ string) ([][]string, error) {
	text, err := effManifestText(dir)
	if err != nil {
		return nil, err
	}
	var name string
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) == 6 && f[0] == "file" && f[4] == "type" && f[5] == typ {
			name = f[1]
		}
	}
	if name == "" {
		return nil, fmt.Errorf("the manifest names no file of type %s:\n%s", typ, text)
	}
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return nil, err
	}
	cmds, err := effParseAOF(data)
	if err != nil {
		return cmds, fmt.Errorf("%s: %v", name, err)
	}
	return cmds, nil
}

// effParseAOF splits an AOF file (RESP arrays of bulk strings, with
// optional #TS annotations) into commands.
func effParseAOF(data []byte) ([][]string, error) {
	rd := bufio.NewReader(bytes.NewReader(data))
	var out [][]string
	line := func() (string, error) {
		s, err := rd.ReadString('\n')
		if err != nil {
			if len(s) > 0 {
				return "", fmt.Errorf("truncated line %q", s)
			}
			return "", err
		}
		if !strings.HasSuffix(s, "\r\n") {
			return "", fmt.Errorf("line %q does not end in CRLF", s)
		}
		return s[:len(s)-2], nil
	}
	for {
		hdr, err := line()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return out, fmt.Errorf("after %d commands: %v", len(out), err)
		}
		if strings.HasPrefix(hdr, "#") {
			continue
		}
		n, err := strconv.Atoi(strings.TrimPrefix(hdr, "*"))
		if !strings.HasPrefix(hdr, "*") || err != nil || n < 1 {
			return out, fmt.Errorf("after %d commands: bad array header %q", len(out), hdr)
		}
		cmd := make([]string, n)
		for i := range cmd {
			h, err := line()
			size, perr := strconv.Atoi(strings.TrimPrefix(h, "$"))
			if err != nil || !strings.HasPrefix(h, "$") || perr != nil || size < 0 {
				return out, fmt.Errorf("after %d commands: bad bulk header %q (%v)", len(out), h, err)
			}
			buf := make([]byte, size+2)
			if _, err := io.ReadFull(rd, buf); err != nil || string(buf[size:]) != "\r\n" {
				return out, fmt.Errorf("after %d commands: truncated bulk string", len(out))
			}
			cmd[i] = string(buf[:size])
		}
		out = append(out, cmd)
	}
}

// effListDir returns the names of the files in dir, sorted.
func effListDir(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(ents))
	for _, e := range ents {
		names = append(names, e.Name())
	}
	slices.Sort(names)
	return names, nil
}

// effCompareLayout compares the file names in both AOF directories and
// their manifests' text, and reports whether Petrel's directory exists.
func effCompareLayout(t *testing.T, when string, dirs [2]string) bool {
	t.Helper()
	var lists [2][]string
	var texts [2]string
	var errs [2]error
	for i, d := range dirs {
		lists[i], errs[i] = effListDir(d)
		if errs[i] == nil {
			texts[i], errs[i] = effManifestText(d)
		}
	}
	if errs[0] != nil {
		t.Fatalf("redis's AOF directory %s: %v", when, errs[0])
	}
	if errs[1] != nil {
		t.Errorf("petrel's AOF directory %s: %v\nredis has %q with manifest:\n%s", when, errs[1], lists[0], texts[0])
		return false
	}
	if !slices.Equal(lists[0], lists[1]) {
		t.Errorf("files in the AOF directory %s:\n  redis:  %q\n  petrel: %q", when, lists[0], lists[1])
	}
	if texts[0] != texts[1] {
		t.Errorf("manifest %s:\n  redis:  %q\n  petrel: %q", when, texts[0], texts[1])
	}
	return true
}

// effCompareFile compares the last file of type typ that each manifest
// names, command by command.
func effCompareFile(t *testing.T, what string, dirs [2]string, start time.Time, typ string) {
	t.Helper()
	var logs [2][]effCmd
	for i, d := range dirs {
		cmds, err := effReadLog(d, typ)
		if err != nil {
			t.Errorf("%s: %s's: %v", what, sideNames[i], err)
			return
		}
		logs[i] = effNormalise(cmds, nil, start)
	}
	if !effEqual(logs[0], logs[1]) {
		t.Errorf("%s differs (- only redis, + only petrel):\n%s", what, effDiff(logs[0], logs[1]))
	}
}

// effWaitRewrite waits until srv reports no rewrite running or scheduled
// and its manifest has changed from before, for at most 5 seconds.
func effWaitRewrite(t *testing.T, srv *harness.Server, dir, before string) error {
	if before == "" {
		return errors.New("no manifest before BGREWRITEAOF; not waiting for the rewrite")
	}
	c, err := harness.DialErr(t, srv.Addr)
	if err != nil {
		return err
	}
	defer c.Close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		r, err := c.Roundtrip(harness.Encode("INFO", "persistence"))
		if err != nil {
			return fmt.Errorf("INFO persistence: %v", err)
		}
		info := string(r)
		text, _ := effManifestText(dir)
		if strings.Contains(info, "aof_rewrite_in_progress:0\r\n") &&
			strings.Contains(info, "aof_rewrite_scheduled:0\r\n") && text != before {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("BGREWRITEAOF not finished after 5s (manifest %q)", text)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// effRestorePayload is DUMP of the string "hello" from Redis 7.0 (RDB 10).
const effRestorePayload = "\x00\x05hello\n\x00cr\xdfve4 \n"

// effMaskSREM hides the members SPOP chose at random.
func effMaskSREM(cmd []string) []string {
	if strings.EqualFold(cmd[0], "SREM") {
		for i := 2; i < len(cmd); i++ {
			cmd[i] = "<member>"
		}
	}
	return cmd
}

func effCases() []effCase {
	at := time.Now().Add(100 * time.Second)
	exat, pxat := strconv.FormatInt(at.Unix(), 10), strconv.FormatInt(at.UnixMilli(), 10)
	var bigStream []step
	for i := 1; i <= 250; i++ {
		bigStream = append(bigStream, cmd("XADD", "big", strconv.Itoa(i)+"-1", "f", "v"))
	}
	// expired runs setup giving keys a 50 ms TTL, then waits them out.
	expired := func(setup ...string) []step {
		var out []step
		for _, line := range setup {
			out = append(out, parseStep(line))
		}
		return append(out, parseStep("!sleep 120"))
	}
	return []effCase{
		// Strings.
		{name: "scripts-log-their-effects", steps: steps(
			`EVAL "redis.call('set','a','1') redis.call('incr','a') return 1" 0`,
			`EVAL "return redis.call('get','a')" 0`,
			`EVAL "redis.call('set','one','1') return 1" 0`,
			`EVAL "redis.set_repl(redis.REPL_NONE) redis.call('set','quiet','1') redis.set_repl(redis.REPL_ALL) redis.call('set','loud','2') return 1" 0`,
			`EVAL "redis.call('spop','nosuch') return redis.call('set','r','x','EX','100')" 0`,
			"FUNCTION LOAD \"#!lua name=lib\nredis.register_function('f', function(k, a) return redis.call('incrby', k[1], a[1]) end)\"",
			"FCALL f 1 cnt 5", "FUNCTION DELETE lib", "FUNCTION FLUSH",
		)},
		{name: "first-write-selects-db-and-reads-log-nothing", steps: steps(
			"GET nokey", "SELECT 5", "EXISTS nokey", "SELECT 0", "SET k v")},
		{name: "client-spelling-kept-when-verbatim", steps: steps(
			"sEt k v", "SetEx k 100 v", "Expire k 5", "getDEL k", "rPush l a", "BlPop l 1", "hSet h f v", "lMove l2 l left RIGHT")},
		{name: "set-expiry-options-become-pxat", steps: steps(
			"SET a v EX 100", "SET b v PX 100000", "SET c v EXAT "+exat, "SET d v PXAT "+pxat,
			"SET a v2 KEEPTTL", "SET e v EXAT 1000", "SET f v PXAT 1000", "SET g v EX 0", "SET g v EX 100 KEEPTTL",
			"SET g v PX 9223372036854775807", "SET g")},
		{name: "set-get-nx-xx", steps: steps(
			"SET a v", "SET a v2 GET", "SET a v3 KEEPTTL GET", "SET b v GET", "SET a v4 GET EX 100",
			"SET a x NX", "SET nokey x XX", "SET a x NX GET", "SET nokey x XX GET", "RPUSH l x", "SET l v GET",
			"SET c v XX EX 10", "SET c v NX PX 100000")},
		{name: "setnx-setex-psetex-mset-getset", steps: steps(
			"SETNX n v", "SETNX n v2", "SETEX s 100 v", "PSETEX p 100000 v", "SETEX s 0 v", "PSETEX p -5 v",
			"MSET m1 1 m2 2", "MSETNX m3 3 m4 4", "MSETNX m1 3 m5 5", "GETSET gs v", "GETSET gs v2")},
		{name: "getex-getdel", steps: steps(
			"SET k v", "GETEX k", "GETEX k EX 100", "GETEX k PX 100000", "GETEX k EXAT "+exat, "GETEX k PXAT "+pxat,
			"GETEX k PERSIST", "GETEX k PERSIST", "GETEX nokey EX 100", "GETEX k PX 0", "GETEX k EXAT 1000",
			"SET d v", "GETDEL d", "GETDEL d", "GETDEL k")},
		{name: "append-incr-setrange", steps: steps(
			"APPEND ap ab", "APPEND ap cd", `APPEND empty ""`, `APPEND ap ""`,
			"INCR i", "DECR i", "INCRBY i 5", "DECRBY i 3", "INCRBY i 0", "SET x notnum", "INCR x", "INCRBY i 9223372036854775807",
			"SETRANGE r 2 ab", `SETRANGE r 0 ""`, `SETRANGE r2 5 ""`, "SET s abc", "SETRANGE s 0 abc", "SETRANGE s -1 x")},
		{name: "incrbyfloat-becomes-set-keepttl", steps: steps(
			"INCRBYFLOAT f 1.5", "INCRBYFLOAT f 0.1", "INCRBYFLOAT g 1e3", "SET t 10.50 EX 100", "INCRBYFLOAT t 0",
			"INCRBYFLOAT t 5.0e3", "SET x notnum", "INCRBYFLOAT x 1", "INCRBYFLOAT f nan")},
		{name: "bitmaps-bitfield", steps: steps(
			"SETBIT b 7 1", "SETBIT b 7 1", "SETBIT b 7 0", "SET x a", "SET y b", "BITOP AND d x y",
			"BITOP OR e m1 m2", "BITOP AND d m1 m2", "BITOP NOT n m1",
			"BITFIELD bf SET u8 0 255 GET u8 0", "BITFIELD bf GET u8 0", "BITFIELD bf INCRBY u8 0 1 OVERFLOW FAIL INCRBY u8 0 300",
			"BITFIELD bf2 OVERFLOW FAIL INCRBY u8 0 300", "BITFIELD_RO bf GET u8 0")},
		{name: "hyperloglog-pfcount-writes-its-cache", steps: steps(
			"PFADD h a b", "PFADD h a", "PFADD h2", "PFCOUNT h", "PFCOUNT h", "PFADD h c", "PFCOUNT h h2",
			"PFCOUNT h", "PFMERGE d h h2", "PFMERGE d", "PFCOUNT nokey")},

		// Keys and expiry.
		{name: "expire-family-becomes-pexpireat", steps: steps(
			"SET a v", "EXPIRE a 100", "SET b v", "PEXPIRE b 100000", "SET c v", "EXPIREAT c "+exat,
			"SET d v", "PEXPIREAT d "+pxat, "PEXPIREAT d "+pxat, "EXPIRE nokey 100", "EXPIREAT a 99999999999",
			"EXPIRE a 9223372036854775", "PERSIST a", "PERSIST a", "PERSIST nokey")},
		{name: "expire-nx-xx-gt-lt", steps: steps(
			"SET e v", "EXPIRE e 200 NX", "EXPIRE e 300 NX", "EXPIRE e 300 XX", "SET f v", "EXPIRE f 300 XX",
			"EXPIRE e 100 GT", "EXPIRE e 400 GT", "EXPIRE e 500 LT", "EXPIRE e 50 LT", "SET g v", "EXPIRE g 100 LT",
			"EXPIRE e -5 GT", "PEXPIRE e 1000 NX XX")},
		{name: "expire-in-the-past-deletes", steps: steps(
			"SET b v", "EXPIRE b -1", "SET c v", "EXPIRE c 0", "SET h v", "EXPIREAT h 1000", "SET i v", "PEXPIREAT i 1000",
			"SET j v EX 100", "EXPIRE j -5 LT", "EXPIRE nokey -1")},
		{name: "del-unlink-rename-copy-move", steps: steps(
			"MSET a 1 b 2 c 3", "DEL a missing", "UNLINK b c", "DEL missing", "UNLINK missing",
			"SET r 1 EX 100", "RENAME r r2", "RENAME r2 r2", "RENAME missing x",
			"MSET n1 1 n2 2", "RENAMENX n1 n2", "RENAMENX n1 n3", "COPY n2 c1", "COPY n2 c1", "COPY n2 c1 REPLACE",
			"COPY n2 c3 DB 3", "COPY missing y", "COPY n2 n2", "MOVE n3 3", "MOVE n3 3", "SET n3 x", "MOVE n3 4", "MOVE nokey 3",
			"SELECT 3", "COPY n3 n3 DB 0", "SELECT 0")},
		{name: "swapdb-flush-select", steps: steps(
			"SET a 1", "SWAPDB 0 1", "SWAPDB 0 0", "SELECT 2", "SWAPDB 2 5", "SET f 1",
			"FLUSHDB", "FLUSHDB SYNC", "FLUSHDB ASYNC", "SELECT 3", "SET b 1", "FLUSHALL", "FLUSHALL SYNC",
			"FLUSHALL ASYNC", "SELECT 0", "FLUSHALL", "SET z 1")},
		{name: "select-emitted-when-db-changes", steps: steps(
			"SELECT 3", "SET a 1", "SET b 2", "SELECT 0", "SET c 3", "SELECT 0", "SET d 4", "SELECT 5", "GET x",
			"SELECT 0", "SET e 5", "@2 SELECT 7", "@2 SET f 6", "SET g 7", "@2 SET h 8")},
		{name: "restore-relative-ttl-becomes-absttl", steps: steps(
			cmd("RESTORE", "r0", "0", effRestorePayload), cmd("RESTORE", "r1", "100000", effRestorePayload),
			cmd("RESTORE", "r2", pxat, effRestorePayload, "ABSTTL"), cmd("RESTORE", "r3", "1000", effRestorePayload, "ABSTTL"),
			"SET r4 x", cmd("RESTORE", "r4", "100000", effRestorePayload, "REPLACE", "IDLETIME", "10"),
			"SET r5 x", cmd("RESTORE", "r5", "0", effRestorePayload, "replace", "freq", "5"),
			cmd("RESTORE", "r5", "0", effRestorePayload), "SET r6 x",
			cmd("RESTORE", "r6", "1000", effRestorePayload, "REPLACE", "ABSTTL"), cmd("RESTORE", "r7", "0", "bad payload"))},
		{name: "reads-errors-and-publish-log-nothing", steps: steps(
			"SET a 1", "GET a", "EXISTS a", "TYPE a", "TTL a", "TOUCH a", "OBJECT ENCODING a", "DUMP a", "PUBLISH ch msg",
			"KEYS *", "DBSIZE", "SCAN 0", "RPUSH l a", "LPOS l a", "SORT_RO l", "SADD s x", "SINTERCARD 1 s", "LPUSH a x",
			"INCR l", "HSET a f v", "SADD l x", "XADD a 1-1 f v", "SET z 1")},

		// Lists.
		{name: "list-push-pop-edit", steps: steps(
			"LPUSH l a b", "RPUSH l c", "LPUSHX l d", "RPUSHX l e", "LPUSHX m d", "RPUSHX m e",
			"LPOP l", "RPOP l", "LPOP l 2", "LPOP l 0", "RPOP l 5", "LPOP l", "LPOP l 0",
			"RPUSH k a b c a", "LSET k 0 z", "LSET k 0 z", "LINSERT k BEFORE b y", "LINSERT k BEFORE nope y", "LINSERT nokey BEFORE a b",
			"LREM k 0 a", "LREM k 0 nope", "LTRIM k 0 -1", "LTRIM k 0 0", "LTRIM k 5 10", "RPUSH q a a a", "LREM q 2 a")},
		{name: "list-move-and-mpop", steps: steps(
			"RPUSH l a b c", "LMOVE l m left right", "RPOPLPUSH l m", "RPOPLPUSH l l", "LMOVE missing m LEFT LEFT",
			"RPUSH r a b c", "LMOVE r r LEFT RIGHT", "RPUSH o a", "LMOVE o o left right",
			"RPUSH p a b c", "LMPOP 2 x p LEFT COUNT 2", "LMPOP 1 p RIGHT", "LMPOP 1 p RIGHT")},
		{name: "blocking-list-pops-served-at-once", steps: steps(
			"RPUSH l a b c d e f g", "BLPOP l 1", "BRPOP x l 1", "BLMOVE l m LEFT RIGHT 1", "BRPOPLPUSH l m 1",
			"BLMPOP 1 2 x l LEFT COUNT 2", "BLMPOP 1 1 l RIGHT", "BLPOP nokey 0.05",
			"MULTI", "BLPOP l 1", "BLPOP empty 1", "EXEC")},
		{name: "blocking-list-pops-served-after-blocking", steps: steps(
			blocked(2, "BLPOP", "l", "5"), settle, "RPUSH l a b", "@2 !read",
			blocked(2, "BRPOP", "l2", "5"), settle, "RPUSH l2 a b", "@2 !read",
			blocked(2, "BLMOVE", "l3", "m", "right", "LEFT", "5"), settle, "RPUSH l3 a b", "@2 !read",
			blocked(2, "BRPOPLPUSH", "l4", "m", "5"), settle, "RPUSH l4 a b", "@2 !read",
			blocked(2, "BLMPOP", "5", "1", "l5", "RIGHT", "COUNT", "5"), settle, "RPUSH l5 a b", "@2 !read",
			blocked(2, "BLMOVE", "l6", "l6", "LEFT", "RIGHT", "5"), settle, "RPUSH l6 a b", "@2 !read")},
		{name: "blocking-two-waiters-other-db-multi-and-lmove", steps: steps(
			blocked(2, "BLPOP", "l", "5"), settle, blocked(3, "BLPOP", "l", "5"), settle, "RPUSH l a b c", "@2 !read", "@3 !read",
			"@4 SELECT 3", blocked(4, "BLPOP", "d3", "5"), settle, "SELECT 3", "RPUSH d3 a", "@4 !read", "SELECT 0",
			blocked(2, "BLPOP", "t", "5"), settle, "MULTI", "RPUSH t a", "RPUSH t b", "EXEC", "@2 !read",
			"RPUSH s x", blocked(2, "BLPOP", "u", "5"), settle, "LMOVE s u LEFT LEFT", "@2 !read")},

		// Sets.
		{name: "set-add-remove-move-store", steps: steps(
			"SADD s a b", "SADD s a", "SREM s x", "SREM s a x", "SREM s b",
			"SADD s a b", "SMOVE s d a", "SMOVE s d x", "SADD d b", "SMOVE s d b", "SMOVE d d b", "SET str x", "SADD t y", "SMOVE t str y",
			"SADD a 1 2", "SADD b 2 3", "SINTERSTORE i a b", "SUNIONSTORE u a b", "SDIFFSTORE f a b", "SINTERSTORE g a x",
			"SINTERSTORE i a x", "SDIFFSTORE h x", "SINTERSTORE a a")},
		{name: "spop-deterministic", steps: steps(
			"SADD s a", "SPOP s", "SPOP s", "SADD t a b c", "SPOP t 0", "SPOP t 3", "SADD u a b c", "SPOP u 10",
			"SPOP nokey 3", "SADD v a", "SPOP v 1")},
		{name: "spop-count-becomes-srem-per-member", mask: effMaskSREM, steps: steps(
			"SADD s a b c d e f g h i j", "SPOP s 2", "SPOP s 6", "SADD t a b", "SPOP t",
			"SADD m a b c d e f g h i j", "MULTI", "SPOP m 2", "SET x 1", "EXEC")},

		// Sorted sets, geo, sort.
		{name: "zset-writes", steps: steps(
			"ZADD z 1 a 2 b", "ZADD z 1 a", "ZADD z NX 5 a", "ZADD z XX 5 a", "ZADD z INCR 2 a", "ZADD z NX INCR 2 a",
			"ZADD z GT 1 a", "ZADD z CH 7 a", "ZADD z INCR 0 a", "ZADD z GT CH 8 a", "ZADD z LT 9 a",
			"ZINCRBY y 1.5 a", "ZINCRBY y 0 a",
			"ZADD r 1 a 2 b 3 c 4 d", "ZREM r x", "ZREM r a", "ZREMRANGEBYRANK r 0 0", "ZREMRANGEBYSCORE r 100 200", "ZREMRANGEBYLEX r - +")},
		{name: "zset-pops", steps: steps(
			"ZADD z 1 a 2 b 3 c", "ZPOPMIN z", "ZPOPMAX z 5", "ZPOPMIN z", "ZADD o 1 a", "ZPOPMIN o 0",
			"ZADD m 1 a 2 b 3 c", "ZMPOP 2 x m MIN COUNT 2", "ZMPOP 1 m MAX", "ZMPOP 1 m MAX",
			"ZADD b 1 a 2 b 3 c 4 d", "BZPOPMIN b 1", "BZPOPMAX b 1", "BZMPOP 1 1 b MAX COUNT 5", "BZPOPMIN b 0.05",
			blocked(2, "BZPOPMIN", "w", "5"), settle, "ZADD w 1 a 2 b", "@2 !read",
			blocked(2, "BZPOPMAX", "w2", "5"), settle, "ZADD w2 1 a 2 b", "@2 !read",
			blocked(2, "BZMPOP", "5", "1", "w3", "MIN", "COUNT", "1"), settle, "ZADD w3 1 a 2 b", "@2 !read")},
		{name: "zset-store", steps: steps(
			"ZADD a 1 x 2 y", "ZRANGESTORE d a 0 -1", "ZUNIONSTORE e 1 a", "ZINTERSTORE f 2 a x", "ZDIFFSTORE g 1 a",
			"ZRANGESTORE d a 5 6", "ZUNIONSTORE h 1 x")},
		{name: "geo-becomes-zadd", steps: steps(
			"GEOADD g 13.361389 38.115556 Palermo 15.087269 37.502669 Catania", "GEOADD g 13.361389 38.115556 Palermo",
			"GEOADD g XX CH 13.5 38.1 Palermo", "GEOADD g NX 1 1 Other",
			"GEOSEARCHSTORE d g FROMLONLAT 15 37 BYRADIUS 200 km ASC", "GEOSEARCHSTORE e g FROMLONLAT 15 37 BYRADIUS 200 km ASC STOREDIST",
			"GEOSEARCHSTORE f g FROMLONLAT 0 0 BYRADIUS 1 km", "GEORADIUS g 15 37 200 km STORE h",
			"GEORADIUSBYMEMBER g Palermo 200 km STOREDIST i")},
		{name: "sort-store", steps: steps(
			"RPUSH l 3 1 2", "SORT l STORE d", "SORT l", "SORT x STORE e", "SORT l LIMIT 5 5 STORE d", "SET s x",
			"SORT m STORE s", "SORT l BY nosort GET # STORE d2")},

		// Hashes.
		{name: "hash-writes", steps: steps(
			"HSET h a 1 b 2", "HSET h a 1", "HSETNX h a 2", "HSETNX h c 3", "HMSET h d 4", "HMSET h d 4", "HDEL h x", "HDEL h a x",
			"HINCRBY h n 5", "HINCRBY h n 0", "HINCRBYFLOAT h f 1.5", "HINCRBYFLOAT h f 0.25", "HSET h i 10", "HINCRBYFLOAT h i 0",
			"HINCRBY h a 1", "HSET g a 1", "HDEL g a")},

		// Streams.
		{name: "stream-xadd-ids", steps: steps(
			"XADD s 1-1 f v", "XADD s 1-1 f v", "XADD s 2-* f v", "XADD s NOMKSTREAM 3-0 f v", "XADD t NOMKSTREAM 3-0 f v",
			"XADD a * f v", "XADD a * f v", "xadd a * g w")},
		{name: "stream-trimming-approx-becomes-exact", steps: steps(
			"XADD s 1-1 f v", "XADD s 2-1 f v", "XADD s MAXLEN 1 3-1 f v", "XADD s MAXLEN ~ 1 4-1 f v",
			"XADD s MAXLEN = 1 * f v", "XADD s MINID 100 * f v", "XADD n MAXLEN ~ 1 LIMIT 10 5-1 f v",
			"XADD t 1-1 f v", "XADD t 2-1 f v", "XADD t 3-1 f v", "XTRIM t MAXLEN 2", "XTRIM t MAXLEN 2", "XTRIM t MAXLEN ~ 1",
			"XTRIM t MINID 3", "XTRIM t MINID ~ 3 LIMIT 0")},
		{name: "stream-trimming-whole-nodes", steps: steps(bigStream,
			"XTRIM big MAXLEN ~ 120", "XTRIM big MAXLEN ~ 10", "XADD big MAXLEN ~ 5 1000-1 f v", "XTRIM big MINID ~ 240",
			"XADD big MINID ~ 1000 1001-1 f v")},
		{name: "stream-xdel-xsetid-xgroup", steps: steps(
			"XADD s 1-1 f v", "XDEL s 1-1", "XDEL s 1-1", "XADD s 2-1 f v", "XSETID s 5-5", "XSETID s 5-5",
			"XSETID s 6-6 ENTRIESADDED 10 MAXDELETEDID 2-2",
			"XGROUP CREATE s g $", "XGROUP CREATE s g2 0", "XGROUP CREATE t g $ MKSTREAM", "XGROUP CREATE s g3 $ ENTRIESREAD 1",
			"XGROUP CREATE s g $", "XGROUP CREATECONSUMER s g c", "XGROUP CREATECONSUMER s g c", "XGROUP SETID s g $",
			"XGROUP SETID s g 0 ENTRIESREAD 0", "XGROUP DELCONSUMER s g c", "XGROUP DELCONSUMER s g c",
			"XGROUP DESTROY s g", "XGROUP DESTROY s g")},
		{name: "xreadgroup-becomes-xclaim", steps: steps(
			"XADD s 1-1 f v", "XADD s 2-1 f v", "XADD s 3-1 f v", "XGROUP CREATE s g 0",
			"XREADGROUP GROUP g c COUNT 1 STREAMS s >", "XREADGROUP GROUP g c COUNT 2 STREAMS s >",
			"XREADGROUP GROUP g c STREAMS s >", "XREADGROUP GROUP g c STREAMS s 0",
			"XADD t 1-1 f v", "XGROUP CREATE t g 0", "XADD s 4-1 f v", "XREADGROUP GROUP g d STREAMS s t > >",
			"XGROUP CREATE s e $", "XREADGROUP GROUP e c STREAMS s >", "XACK s g 1-1", "XACK s g 1-1")},
		{name: "xreadgroup-noack-becomes-setid", steps: steps(
			"XADD s 1-1 f v", "XADD s 2-1 f v", "XGROUP CREATE s g 0", "XREADGROUP GROUP g c NOACK COUNT 1 STREAMS s >",
			"XREADGROUP GROUP g c NOACK STREAMS s >", "XADD s 3-1 f v", "XREADGROUP GROUP g new NOACK STREAMS s >")},
		{name: "xreadgroup-served-after-blocking", steps: steps(
			"XADD s 1-1 f v", "XGROUP CREATE s g $",
			blocked(2, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "5000", "STREAMS", "s", ">"), settle, "XADD s 2-1 f v", "@2 !read",
			"XGROUP CREATE n g $ MKSTREAM",
			blocked(2, "XREADGROUP", "GROUP", "g", "c", "BLOCK", "5000", "NOACK", "STREAMS", "n", ">"), settle, "XADD n 2-1 f v", "@2 !read")},
		{name: "xclaim-xautoclaim", steps: steps(
			"XADD s 1-1 f v", "XADD s 2-1 f v", "XGROUP CREATE s g 0", "XREADGROUP GROUP g c STREAMS s >",
			"XCLAIM s g d 0 1-1", "XCLAIM s g d 0 1-1 JUSTID", "XCLAIM s g d 100000 1-1",
			"XCLAIM s g e 0 1-1 IDLE 5 RETRYCOUNT 3 FORCE LASTID 5-5",
			"XAUTOCLAIM s g d 0 0", "XAUTOCLAIM s g d 0 0 JUSTID", "XDEL s 2-1", "XAUTOCLAIM s g e 0 0",
			"XAUTOCLAIM s g e 100000 0")},

		// Transactions.
		{name: "multi-wraps-only-several-effects", steps: steps(
			"MULTI", "EXEC", "SET a 1", "MULTI", "GET a", "EXISTS a", "EXEC",
			"MULTI", "GET a", "SET b 1", "GET b", "EXEC",
			"MULTI", "SET c 1", "INCR c", "EXPIRE c 100", "EXEC",
			"MULTI", "SET d 1 XX", "DEL nokey", "EXEC",
			"MULTI", "SET e 1", "SELECT 3", "SET f 2", "EXEC", "SET g 3")},
		{name: "multi-errors-discard-watch", steps: steps(
			"SET a 1", "MULTI", "INCR a", "LPUSH a x", "EXEC", "SET x str", "MULTI", "INCR x", "EXEC",
			"MULTI", "SET d 1", "DISCARD", "MULTI", "SET e", "SET f 1", "EXEC",
			"WATCH w", "@2 SET w 1", "MULTI", "SET w 2", "EXEC",
			"MULTI", "FLUSHALL", "SET b 1", "EXEC")},

		// Expiry and eviction.
		{name: "lazy-expiry-deletes-where-touched", steps: steps(expired(
			"SET k v PX 50", "SELECT 3", "SET k3 v PX 50", "SELECT 0", "MSET m1 1 m2 2 keep 3", "PEXPIRE m1 50", "PEXPIRE m2 50"),
			"GET k", "KEYS *", "DBSIZE", "SET x 1", "SELECT 3", "EXISTS k3", "SELECT 0", "MGET m1 m2 keep", "SET y 1")},
		{name: "lazy-expiry-inside-commands-and-multi", steps: steps(expired(
			"SET a 1 PX 50", "SET b 1 PX 50", "RPUSH l a", "PEXPIRE l 50", "MSET src 1 dst 2", "PEXPIRE dst 50",
			"SET gone 1 PX 50", "SET m 1 PX 50", "SET r 1 PX 50", "SET q 1 PX 50", "RPUSH bl x", "PEXPIRE bl 50"),
			"SET a v2", "INCR b", "LPUSH l b", "RENAME src dst", "RENAME gone x", "DEL r", "TTL q",
			"MULTI", "GET m", "SET j 1", "EXEC", "BLPOP bl 0.05")},
		{name: "lazy-expiry-in-multi-with-reads-only", steps: steps(expired("SET k v PX 50", "SET j v PX 50"),
			"MULTI", "GET k", "EXEC", "MULTI", "GET j", "GET nokey", "EXEC", "SET z 1")},
		{name: "lazy-expiry-with-lazyfree-unlinks", args: []string{"--lazyfree-lazy-expire", "yes"},
			steps: steps(expired("SET k v PX 50"), "GET k", "SET z 1")},
		{name: "active-expiry-deletes-in-the-keys-db", activeExpiry: true, background: true, steps: steps(
			"SELECT 3", "SET k v PX 50", "SELECT 0", "!sleep 400", "SET after 1")},
		{name: "active-expiry-with-lazyfree-unlinks", activeExpiry: true, background: true,
			args: []string{"--lazyfree-lazy-expire", "yes"}, steps: steps("SET k v PX 50", "!sleep 400", "SET after 1")},
		{name: "eviction-deletes", args: []string{"--maxmemory-policy", "allkeys-random"}, steps: steps(
			"SELECT 3", "SET k v", "SELECT 0", "CONFIG SET maxmemory 1", "GET x", "SET j v", "CONFIG SET maxmemory 0", "SET after 1")},
		{name: "eviction-with-lazyfree-unlinks", args: []string{"--maxmemory-policy", "allkeys-random", "--lazyfree-lazy-eviction", "yes"},
			steps: steps("SET k v", "CONFIG SET maxmemory 1", "GET x", "CONFIG SET maxmemory 0", "SET after 1")},
		{name: "noeviction-refusal-logs-nothing", steps: steps(
			"SET k v", "CONFIG SET maxmemory 1", "SET j v", "GET k", "CONFIG SET maxmemory 0", "SET after 1")},

		// Forms that depend on lazyfree settings: deleting a key in the
		// past follows lazyfree-lazy-expire, GETDEL lazyfree-lazy-user-del,
		// SPOP of the whole set and RESTORE into the past always DEL.
		{name: "past-expiry-deletions-follow-lazyfree-lazy-expire", args: []string{"--lazyfree-lazy-expire", "yes"}, steps: steps(
			"SET a v", "EXPIRE a -1", "SET b v", "GETEX b PXAT 1000", "SET c v", "GETDEL c", "SADD s m", "SPOP s 5",
			"SET r x", cmd("RESTORE", "r", "1000", effRestorePayload, "ABSTTL", "REPLACE"))},
		{name: "getdel-follows-lazyfree-lazy-user-del", args: []string{"--lazyfree-lazy-user-del", "yes", "--lazyfree-lazy-server-del", "yes"}, steps: steps(
			"SET a v", "EXPIRE a -1", "SET c v", "GETDEL c", "SET d v", "DEL d", "SADD s m", "SPOP s 5")},

		// More of the catalogue.
		{name: "set-option-spellings", steps: steps(
			"set a v get", "set a v nx get", "set a v xx GeT", "set a v xx get px 100000", "set a get",
			"set a v pxat 99999999999999 nx", "setex s 100 get", "getset g get")},
		{name: "blocking-pops-in-multi-and-other-db", steps: steps(
			"RPUSH l a b c", "MULTI", "BLMOVE l m right left 1", "BRPOPLPUSH l m 1", "BLMPOP 1 1 l LEFT COUNT 5", "EXEC",
			"SELECT 2", "@2 SELECT 2", blocked(2, "BLMPOP", "5", "1", "l", "LEFT"), settle, "RPUSH l a b", "@2 !read",
			"@3 SELECT 2", blocked(3, "BZMPOP", "5", "1", "z", "MAX", "COUNT", "5"), settle, "ZADD z 1 a 2 b 3 c", "@3 !read",
			"SELECT 0", "RPUSH q a", blocked(4, "BRPOPLPUSH", "w", "q", "5"), settle, "RPUSH w x", "@4 !read")},
		{name: "spop-count-one-and-float-increments-in-multi", mask: effMaskSREM, steps: steps(
			"SADD s a b c", "SPOP s 1", "MULTI", "INCRBYFLOAT f 2.5", "HINCRBYFLOAT h f 1e2", "SPOP s 1", "EXEC")},
		{name: "xreadgroup-creates-consumers-only-when-serving", steps: steps(
			"XADD s 1-1 f v", "XGROUP CREATE s g $", "XREADGROUP GROUP g c STREAMS s >", "XINFO CONSUMERS s g",
			"XREADGROUP GROUP g c NOACK STREAMS s >", "XADD s 2-1 f v", "XREADGROUP GROUP g c NOACK STREAMS s >",
			"XREADGROUP GROUP g h STREAMS s 0", "XADD s 3-1 f v", "XREADGROUP GROUP g h NOACK STREAMS s >",
			"XADD t 1-1 f v", "XADD u 1-1 f v", "XGROUP CREATE t g 0", "XGROUP CREATE u g 0",
			"XREADGROUP GROUP g n NOACK STREAMS t u > >",
			"MULTI", "XADD t 2-1 f v", "XREADGROUP GROUP g n NOACK STREAMS t >", "EXEC")},
		{name: "xclaim-deleted-entries-lastid-and-id-spelling", steps: steps(
			"XADD s 1-0 f v", "XADD s 2-0 f v", "XGROUP CREATE s g 0", "XREADGROUP GROUP g c STREAMS s >",
			"XCLAIM s g d 0 1 002-0", "XDEL s 1-0", "XCLAIM s g e 0 01", "XCLAIM s g e 0 1-0",
			"XCLAIM s g d 0 9-9 LASTID 5-5", "XCLAIM s g d 0 2-0 LASTID 6-6", "XCLAIM s g d 0 2-0 TIME 1000 RETRYCOUNT 7 JUSTID",
			"XADD f 1-1 f v", "XGROUP CREATE f g $", "XCLAIM f g d 0 1-1 FORCE", "XDEL f 1-1", "XCLAIM f g d 0 1-1 FORCE",
			"XADD a 1-1 f v", "XADD a 2-1 f v", "XGROUP CREATE a g 0", "XREADGROUP GROUP g c STREAMS a >",
			"XAUTOCLAIM a g d 0 0 COUNT 1", "XDEL a 1-1 2-1", "XAUTOCLAIM a g d 0 0")},
		{name: "lower-case-options-and-pops-in-multi", steps: steps(
			"set k v", "expire k 100 gt", "expire k 200 nx", "pexpire k 300000 xx", "getex k persist", "getex k exat 1000",
			"xadd s maxlen ~ 1 * f v", "xadd t minid ~ 0 5-* f v", "RPUSH l a b c", "ZADD z 1 a 2 b 3 c",
			"MULTI", "lmpop 1 l right count 2", "zmpop 1 z max", "bzmpop 1 1 z min count 9", "bzpopmax empty 1", "EXEC")},
		{name: "stream-trims-that-empty-the-stream", args: []string{"--stream-node-max-entries", "1"}, steps: steps(
			"XADD s 1-1 f v", "XADD s 2-1 f v", "XADD s 3-1 f v", "XTRIM s MINID ~ 10",
			"XADD t 1-1 f v", "XADD t 2-1 f v", "XADD t MINID ~ 10 3-* f v", "XADD m 1-1 f v", "XADD m 2-1 f v",
			"XTRIM m MAXLEN ~ 0", "XADD m MAXLEN ~ 0 LIMIT 1 3-1 f v")},
	}
}
