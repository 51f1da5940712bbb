package aof

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
)

// IsRDBPreamble reports whether a base file starting with first5 (its
// first five bytes, or all of a shorter file) is an RDB: it starts with the
// "REDIS" magic. Such a file is an RDB snapshot, possibly followed by AOF
// commands; any other file is AOF commands from its first byte.
func IsRDBPreamble(first5 []byte) bool {
	return len(first5) >= 5 && string(first5[:5]) == "REDIS"
}

// ErrTruncated is matched (errors.Is) by the errors Next returns when the
// file ends inside a command, or inside a MULTI/EXEC transaction: the
// file was cut short, as by a crash during a write. See TruncatedError.
var ErrTruncated = errors.New("aof: unexpected end of file")

// ErrBadFormat is matched (errors.Is) by the errors Next returns when the
// file is not AOF: see FormatError.
var ErrBadFormat = errors.New("aof: bad file format")

// TruncatedError is an AOF that ends in the middle of a command or of a
// transaction. Redis, with aof-load-truncated yes and when this is the last
// file, truncates the file at Offset and keeps what it loaded, except the
// open transaction, which it discards.
type TruncatedError struct {
	// Offset is where the file is good up to: the end of the last complete
	// command, or the start of the open transaction's MULTI (after the last
	// command before it).
	Offset int64
	// Multi is set when the file ended cleanly, but inside a transaction:
	// its MULTI and the commands after it must not be applied.
	Multi bool
}

func (e *TruncatedError) Error() string {
	if e.Multi {
		return fmt.Sprintf("aof: incomplete MULTI/EXEC transaction at end of file, valid up to offset %d", e.Offset)
	}
	return fmt.Sprintf("aof: unexpected end of file, valid up to offset %d", e.Offset)
}

func (e *TruncatedError) Unwrap() error { return ErrTruncated }

// LogLines returns the warnings Redis logs for this error while loading
// file (its name in the AOF directory): with loadTruncated
// (aof-load-truncated yes) when it truncated the file and went on, without
// when it refuses to start.
func (e *TruncatedError) LogLines(file string, loadTruncated bool) []string {
	var lines []string
	if e.Multi {
		lines = append(lines, "Revert incomplete MULTI/EXEC transaction in AOF file "+file)
	}
	if loadTruncated {
		return append(lines,
			"!!! Warning: short read while loading the AOF file "+file+"!!!",
			"!!! Truncating the AOF "+file+" at offset "+strconv.FormatInt(e.Offset, 10)+" !!!",
			"AOF "+file+" loaded anyway because aof-load-truncated is enabled")
	}
	return append(lines, "Unexpected end of file reading the append only file "+file+
		". You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>."+
		" 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.")
}

// Texts Redis logs about AOF files the Reader cannot tell alone, for the
// server to log with the file name (fmt verbs as shown).
const (
	// LogUnknownCommand: the command name, the file.
	LogUnknownCommand = "Unknown command '%s' reading the append only file %s"
	// LogTruncatedNotLast: a file other than the last one is truncated,
	// which aof-load-truncated does not repair.
	LogTruncatedNotLast = "Fatal error: the truncated file is not the last file"
	// LogReadError: the file, the error.
	LogReadError = "Unrecoverable error reading the append only file %s: %s"
)

// FormatError is an AOF that is not made of commands: Redis refuses to
// load it whatever aof-load-truncated says.
type FormatError struct {
	Offset int64  // where the bad line starts
	Reason string // what was wrong there
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("aof: bad file format at offset %d: %s", e.Offset, e.Reason)
}

func (e *FormatError) Unwrap() error { return ErrBadFormat }

// LogLine returns the warning Redis logs for this error while loading file.
func (e *FormatError) LogLine(file string) string {
	return "Bad file format reading the append only file " + file +
		": make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>"
}

// MaxLine is the longest line the loader reads at once, newline included:
// a longer annotation line continues as a line of its own, which is not a
// command, so the file is refused (as Redis does).
const MaxLine = 1023

// Preallocation caps: a hostile header claims up to 2^31 arguments or 2^63
// bytes, and memory must only grow with the data actually read.
const (
	maxArgsPrealloc = 1024
	bulkChunk       = 1 << 20
)

// Reader reads commands from an AOF file: an incremental file, a base
// without RDB preamble, or the AOF tail after an RDB preamble. It accepts
// what Redis's loader accepts (see Next).
type Reader struct {
	br      *bufio.Reader
	off     int64 // bytes consumed
	valid   int64 // end of the last complete command
	multiAt int64 // where the open transaction's MULTI starts, -1 if none
	err     error // sticky
	ends    []int
}

// NewReader returns a Reader reading commands from r. Offsets count bytes
// read from r, so a caller that consumed a preamble first adds its size.
func NewReader(r io.Reader) *Reader {
	return &Reader{br: bufio.NewReaderSize(r, 64<<10), multiAt: -1}
}

// Offset returns the offset just past the last complete command Next
// returned (0 before the first).
func (r *Reader) Offset() int64 { return r.valid }

// InMulti reports whether the last command returned opened a transaction
// (MULTI) that no EXEC has closed yet.
func (r *Reader) InMulti() bool { return r.multiAt >= 0 }

// Next returns the next command's arguments, which the caller owns. It
// returns io.EOF at the clean end of the file; a *TruncatedError
// (ErrTruncated) when the file ends inside a command or inside a
// MULTI/EXEC transaction; a *FormatError (ErrBadFormat) on corruption; or
// the underlying reader's error. Errors are sticky.
//
// Like Redis's loader it skips lines starting with '#' (annotations such as
// "#TS:"), reads header lines ("*<n>", "$<len>") as C's atoi/strtol do
// (digits after the marker, anything after them ignored), and skips the two
// bytes after each argument without looking at them. A line is at most
// MaxLine bytes. Where Redis would crash (negative lengths) Next reports a
// FormatError.
//
// One deviation: when the file ends inside a command that is itself inside
// a transaction, Redis truncates after the last complete command, which
// leaves a MULTI without EXEC in the file that swallows every command
// appended later on the next load. TruncatedError.Offset is then the start
// of the MULTI.
func (r *Reader) Next() ([][]byte, error) {
	if r.err != nil {
		return nil, r.err
	}
	args, err := r.next()
	if err != nil {
		r.err = err
		return nil, err
	}
	return args, nil
}

func (r *Reader) next() ([][]byte, error) {
	var start int64
	var line []byte
	for {
		start = r.off
		var err error
		line, err = r.readLine()
		if err == io.EOF {
			if r.multiAt >= 0 {
				return nil, &TruncatedError{Offset: r.multiAt, Multi: true}
			}
			return nil, io.EOF
		}
		if err != nil {
			return nil, err
		}
		if line[0] != '#' {
			break
		}
	}
	if line[0] != '*' {
		return nil, &FormatError{Offset: start, Reason: "expected '*' at the start of a command, got " + quoteByte(line[0])}
	}
	if len(line) == 1 { // "*" and the end of the file
		return nil, r.truncated()
	}
	// Redis reads the count with atoi: a long, cut to an int.
	argc := int32(atoll(cString(line[1:])))
	if argc < 1 {
		return nil, &FormatError{Offset: start, Reason: "invalid multibulk length"}
	}
	var data []byte
	ends := slices.Grow(r.ends[:0], int(min(argc, maxArgsPrealloc)))
	for j := 0; j < int(argc); j++ {
		at := r.off
		line, err := r.readLine()
		if err == io.EOF {
			return nil, r.truncated()
		}
		if err != nil {
			return nil, err
		}
		if line[0] != '$' {
			return nil, &FormatError{Offset: at, Reason: fmt.Sprintf("expected '$' before argument %d, got %s", j+1, quoteByte(line[0]))}
		}
		n := atoll(cString(line[1:]))
		if n < 0 {
			return nil, &FormatError{Offset: at, Reason: "invalid bulk length"}
		}
		if data, err = r.readBulk(data, n); err != nil {
			return nil, err
		}
		ends = append(ends, len(data))
		// Redis discards the two bytes after the argument unread.
		k, err := r.br.Discard(2)
		r.off += int64(k)
		if err != nil {
			return nil, r.readErr(err)
		}
	}
	r.ends = ends
	args := make([][]byte, len(ends))
	prev := 0
	for i, e := range ends {
		args[i] = data[prev:e:e]
		prev = e
	}
	before := r.valid
	r.valid = r.off
	switch {
	case r.multiAt < 0 && isCommand(args[0], "multi"):
		r.multiAt = before
	case r.multiAt >= 0 && isCommand(args[0], "exec"):
		r.multiAt = -1
	}
	return args, nil
}

// readLine reads what C's fgets reads into a 1024-byte buffer: up to
// MaxLine bytes, through a newline. The line is valid until the next read.
// It returns io.EOF only when nothing is left.
func (r *Reader) readLine() ([]byte, error) {
	b, err := r.br.Peek(MaxLine)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, err
	}
	if len(b) == 0 {
		return nil, io.EOF
	}
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i+1]
	}
	r.br.Discard(len(b))
	r.off += int64(len(b))
	return b, nil
}

// readBulk appends n bytes to data, growing it only as the bytes arrive.
func (r *Reader) readBulk(data []byte, n int64) ([]byte, error) {
	for n > 0 {
		chunk := int(min(n, bulkChunk))
		data = slices.Grow(data, chunk)
		k, err := io.ReadFull(r.br, data[len(data):len(data)+chunk])
		data = data[:len(data)+k]
		r.off += int64(k)
		n -= int64(k)
		if err != nil {
			return nil, r.readErr(err)
		}
	}
	return data, nil
}

// readErr maps a short read to a TruncatedError.
func (r *Reader) readErr(err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return r.truncated()
	}
	return err
}

func (r *Reader) truncated() error {
	if r.multiAt >= 0 {
		return &TruncatedError{Offset: r.multiAt}
	}
	return &TruncatedError{Offset: r.valid}
}

// cString returns b up to its first NUL byte, as C sees a string.
func cString(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return b
}

func quoteByte(c byte) string { return strconv.Quote(string([]byte{c})) }

// isCommand reports whether arg is name, ignoring ASCII case.
func isCommand(arg []byte, name string) bool {
	return len(arg) == len(name) && bytes.EqualFold(arg, []byte(name))
}
