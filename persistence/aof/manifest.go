package aof

import (
	"bufio"
	"bytes"
	"io"
	"strconv"
	"strings"
)

// FileType is the type of a file in the manifest.
type FileType byte

// The file types of the manifest.
const (
	TypeBase    FileType = 'b' // the base: an RDB snapshot or AOF commands
	TypeHistory FileType = 'h' // made obsolete by a rewrite, to be deleted
	TypeIncr    FileType = 'i' // incremental: commands since the base
)

// FileInfo is one line of the manifest.
type FileInfo struct {
	Name string
	Seq  int64
	Type FileType
}

// Manifest is the content of the AOF manifest: which files make up the AOF,
// in load order, and which are history waiting to be deleted.
//
// Besides the files it remembers the highest base and incremental sequence
// numbers issued, as Redis does, so that numbers keep increasing even when
// the files that used them are gone (see NextBaseSeq, CarrySeqs).
type Manifest struct {
	Base    *FileInfo
	Incrs   []FileInfo // oldest first; the last one is being appended to
	History []FileInfo

	baseSeq int64 // last base sequence number issued
	incrSeq int64 // last incremental sequence number issued
}

// File name suffixes, as Redis names the files.
const (
	baseRDBSuffix  = ".base.rdb"
	baseAOFSuffix  = ".base.aof"
	incrSuffix     = ".incr.aof"
	manifestSuffix = ".manifest"
	tempPrefix     = "temp-"
)

// BaseName returns the name of the base file with sequence seq:
// "appendonly.aof.1.base.rdb", or ".base.aof" without the RDB preamble.
func BaseName(appendfilename string, seq int64, rdbPreamble bool) string {
	suffix := baseAOFSuffix
	if rdbPreamble {
		suffix = baseRDBSuffix
	}
	return appendfilename + "." + strconv.FormatInt(seq, 10) + suffix
}

// IncrName returns the name of the incremental file with sequence seq:
// "appendonly.aof.1.incr.aof".
func IncrName(appendfilename string, seq int64) string {
	return appendfilename + "." + strconv.FormatInt(seq, 10) + incrSuffix
}

// ManifestName returns the manifest's name: "appendonly.aof.manifest".
func ManifestName(appendfilename string) string {
	return appendfilename + manifestSuffix
}

// TempManifestName returns the name Redis writes a new manifest under
// before renaming it over the manifest: "temp-appendonly.aof.manifest".
func TempManifestName(appendfilename string) string {
	return tempPrefix + appendfilename + manifestSuffix
}

// TempIncrName returns the name of the incremental file written while a
// rewrite that turns the AOF on runs: "temp-appendonly.aof.incr".
func TempIncrName(appendfilename string) string {
	return tempPrefix + appendfilename + ".incr"
}

// TempRewriteName returns the name a rewrite writes the new base under
// before renaming it: "temp-rewriteaof-bg-<pid>.aof".
func TempRewriteName(pid int) string {
	return "temp-rewriteaof-bg-" + strconv.Itoa(pid) + ".aof"
}

// NextBaseSeq returns the sequence number of the next base file: one more
// than the highest issued (0 for a new manifest, so the first is 1).
func (m *Manifest) NextBaseSeq() int64 {
	seq := m.baseSeq
	if m.Base != nil && m.Base.Seq > seq {
		seq = m.Base.Seq
	}
	return seq + 1
}

// NextIncrSeq returns the sequence number of the next incremental file: one
// more than the highest issued.
func (m *Manifest) NextIncrSeq() int64 {
	seq := m.incrSeq
	if n := len(m.Incrs); n > 0 && m.Incrs[n-1].Seq > seq {
		seq = m.Incrs[n-1].Seq
	}
	return seq + 1
}

// CarrySeqs makes m issue sequence numbers after those old issued, for a
// manifest built afresh to replace old.
func (m *Manifest) CarrySeqs(old *Manifest) {
	if s := old.NextBaseSeq() - 1; s > m.baseSeq {
		m.baseSeq = s
	}
	if s := old.NextIncrSeq() - 1; s > m.incrSeq {
		m.incrSeq = s
	}
}

// Clone returns a deep copy of m, so a changed manifest can be persisted
// before it replaces the one in use.
func (m *Manifest) Clone() *Manifest {
	c := &Manifest{baseSeq: m.baseSeq, incrSeq: m.incrSeq}
	if m.Base != nil {
		b := *m.Base
		c.Base = &b
	}
	if m.Incrs != nil {
		c.Incrs = append([]FileInfo(nil), m.Incrs...)
	}
	if m.History != nil {
		c.History = append([]FileInfo(nil), m.History...)
	}
	return c
}

// AddIncr appends a new incremental file with the next sequence number, as
// a rewrite does when it starts (and the server on start-up when there is
// none), and returns it.
func (m *Manifest) AddIncr(appendfilename string) FileInfo {
	seq := m.NextIncrSeq()
	fi := FileInfo{Name: IncrName(appendfilename, seq), Seq: seq, Type: TypeIncr}
	m.Incrs = append(m.Incrs, fi)
	m.incrSeq = seq
	return fi
}

// NewBase makes a new base file with the next sequence number the base, as
// a finished rewrite does, turning the old base into history (first in the
// history list, where Redis puts it), and returns it.
func (m *Manifest) NewBase(appendfilename string, rdbPreamble bool) FileInfo {
	seq := m.NextBaseSeq()
	if m.Base != nil {
		old := *m.Base
		old.Type = TypeHistory
		m.History = append([]FileInfo{old}, m.History...)
	}
	fi := FileInfo{Name: BaseName(appendfilename, seq, rdbPreamble), Seq: seq, Type: TypeBase}
	m.Base = &fi
	m.baseSeq = seq
	return fi
}

// MarkRewrittenIncrs turns the incremental files a finished rewrite covers
// into history: all of them but the last when keepLast (the AOF is on and
// appends to the last one, opened when the rewrite started), else all.
// Like Redis it puts them, oldest first, at the front of the history list.
func (m *Manifest) MarkRewrittenIncrs(keepLast bool) {
	n := len(m.Incrs)
	if keepLast && n > 0 {
		n--
	}
	moved := make([]FileInfo, 0, n+len(m.History))
	for _, fi := range m.Incrs[:n] {
		fi.Type = TypeHistory
		moved = append(moved, fi)
	}
	m.History = append(moved, m.History...)
	m.Incrs = append(m.Incrs[:0:0], m.Incrs[n:]...)
}

// TakeHistory removes the history files from m and returns them: Redis
// persists the manifest without them, then deletes the files.
func (m *Manifest) TakeHistory() []FileInfo {
	h := m.History
	m.History = nil
	return h
}

// Encode returns the manifest as Redis writes it: the base, the history
// files, then the incremental files, one "file <name> seq <n> type <t>"
// line each, the name quoted when it has spaces or special bytes. Like
// Redis it leaves a name whose only special character is a single quote
// unquoted, which ParseManifest (like Redis) then refuses.
func (m *Manifest) Encode() []byte {
	var b []byte
	if m.Base != nil {
		b = appendFileInfo(b, *m.Base)
	}
	for _, fi := range m.History {
		b = appendFileInfo(b, fi)
	}
	for _, fi := range m.Incrs {
		b = appendFileInfo(b, fi)
	}
	return b
}

func appendFileInfo(b []byte, fi FileInfo) []byte {
	b = append(b, "file "...)
	if needsRepr(fi.Name) {
		b = appendRepr(b, fi.Name)
	} else {
		b = append(b, fi.Name...)
	}
	b = append(b, " seq "...)
	b = strconv.AppendInt(b, fi.Seq, 10)
	b = append(b, " type "...)
	return append(b, byte(fi.Type), '\n')
}

// MaxManifestLine is the longest manifest line Redis reads, newline
// included; a longer line is an error, a longer comment continues as a
// line of its own.
const MaxManifestLine = 1024

// Manifest errors, with Redis's texts.
const (
	msgManifestEmpty     = "Found an empty AOF manifest"
	msgManifestReadFail  = "Read AOF manifest failed"
	msgManifestLongLine  = "The AOF manifest file contains too long line"
	msgManifestInvalid   = "Invalid AOF manifest file format"
	msgManifestPath      = "File can't be a path, just a filename"
	msgManifestDupBase   = "Found duplicate base file information"
	msgManifestNonMonoto = "Found a non-monotonic sequence number"
	msgManifestType      = "Unknown AOF file type"
)

// ManifestError is a manifest Redis refuses to load. Error returns Redis's
// message; Line (1-based, counting comment lines) and Text (the line,
// trimmed) say where, when Redis says so too.
type ManifestError struct {
	Msg  string
	Line int // 0 when Redis reports no line
	Text string
	Err  error // the read error, for msgManifestReadFail
}

func (e *ManifestError) Error() string { return e.Msg }

func (e *ManifestError) Unwrap() error { return e.Err }

// LogLines returns the lines Redis logs (at warning level) before exiting
// on this error.
func (e *ManifestError) LogLines() []string {
	lines := []string{"\n*** FATAL AOF MANIFEST FILE ERROR ***\n"}
	if e.Line > 0 {
		lines = append(lines,
			"Reading the manifest file, at line "+strconv.Itoa(e.Line)+"\n",
			">>> '"+e.Text+"'\n")
	}
	return append(lines, e.Msg+"\n")
}

// ParseManifest reads a manifest, accepting exactly what Redis 7.0.15
// accepts:
//
//   - lines of key/value pairs, at least the three keys file, seq and type
//     (keys case-insensitive, in any order, the last of a repeated key
//     winning; unknown keys ignored for forward compatibility), split and
//     unquoted like redis-cli arguments;
//   - seq is read like C's atoll (leading digits, "12ab" is 12) and must
//     not be 0; type is the value's first byte: b, h or i;
//   - lines whose first byte is '#' are comments; empty lines are errors;
//   - every line must end with a newline and hold at most MaxManifestLine
//     bytes with it;
//   - at most one base; incremental sequence numbers strictly increase;
//     names may not contain '/' or '\'.
//
// Errors are *ManifestError with Redis's messages (or the reader's error).
func ParseManifest(r io.Reader) (*Manifest, error) {
	br := bufio.NewReaderSize(r, 4096)
	m := &Manifest{}
	var buf []byte
	lineNum := 0
	maxIncr := int64(0)
	for {
		var err error
		buf, err = readLineMax(br, buf[:0], MaxManifestLine)
		if err != nil && err != io.EOF {
			return nil, &ManifestError{Msg: msgManifestReadFail, Err: err}
		}
		if len(buf) == 0 {
			if lineNum == 0 {
				return nil, &ManifestError{Msg: msgManifestEmpty}
			}
			return m, nil
		}
		lineNum++
		// Redis handles the line as a C string: it ends at a NUL byte.
		cs := buf
		if i := bytes.IndexByte(cs, 0); i >= 0 {
			cs = cs[:i]
		}
		if len(cs) > 0 && cs[0] == '#' {
			continue
		}
		if bytes.IndexByte(cs, '\n') < 0 {
			return nil, &ManifestError{Msg: msgManifestLongLine}
		}
		line := strings.Trim(string(cs), " \t\r\n")
		fail := func(msg string) (*Manifest, error) {
			return nil, &ManifestError{Msg: msg, Line: lineNum, Text: line}
		}
		if line == "" {
			return fail(msgManifestInvalid)
		}
		argv, ok := splitArgs(line)
		if !ok || len(argv) < 6 || len(argv)%2 != 0 {
			return fail(msgManifestInvalid)
		}
		var fi FileInfo
		hasName := false
		for i := 0; i < len(argv); i += 2 {
			k, v := argv[i], argv[i+1]
			switch {
			case strings.EqualFold(k, "file"):
				if strings.ContainsAny(v, "/\\") {
					return fail(msgManifestPath)
				}
				fi.Name, hasName = v, true
			case strings.EqualFold(k, "seq"):
				fi.Seq = atoll(v)
			case strings.EqualFold(k, "type"):
				fi.Type = 0
				if v != "" {
					fi.Type = FileType(v[0])
				}
			}
		}
		if !hasName || fi.Seq == 0 || fi.Type == 0 {
			return fail(msgManifestInvalid)
		}
		switch fi.Type {
		case TypeBase:
			if m.Base != nil {
				return fail(msgManifestDupBase)
			}
			m.Base = &fi
			m.baseSeq = fi.Seq
		case TypeHistory:
			m.History = append(m.History, fi)
		case TypeIncr:
			if fi.Seq <= maxIncr {
				return fail(msgManifestNonMonoto)
			}
			m.Incrs = append(m.Incrs, fi)
			m.incrSeq, maxIncr = fi.Seq, fi.Seq
		default:
			return fail(msgManifestType)
		}
	}
}

// readLineMax appends to dst what C's fgets reads with a buffer of max+1
// bytes: up to max bytes, stopping after a newline. It returns io.EOF only
// with nothing read.
func readLineMax(br *bufio.Reader, dst []byte, max int) ([]byte, error) {
	for len(dst) < max {
		c, err := br.ReadByte()
		if err != nil {
			if err == io.EOF && len(dst) > 0 {
				return dst, nil
			}
			return dst, err
		}
		dst = append(dst, c)
		if c == '\n' {
			break
		}
	}
	return dst, nil
}

// atoll parses s as C's atoll/strtoll do: leading whitespace, an optional
// sign, then as many decimal digits as there are (none gives 0), saturating
// at the int64 limits.
func atoll[T string | []byte](s T) int64 {
	i := 0
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	var v uint64
	const limit = 1 << 63
	over := false
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		if over {
			continue
		}
		if v > limit/10+1 {
			over = true
			continue
		}
		v = v*10 + uint64(s[i]-'0')
		over = v > limit
	}
	switch {
	case neg && (over || v >= limit):
		return -1 << 63
	case neg:
		return -int64(v)
	case over || v >= limit:
		return 1<<63 - 1
	}
	return int64(v)
}
