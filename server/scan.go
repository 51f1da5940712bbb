package server

import (
	"bytes"
	"strconv"

	"petrel/internal/glob"
	"petrel/internal/num"
)

// The cursor and options SCAN, HSCAN, SSCAN and ZSCAN share, read as Redis's
// scanGenericCommand reads them.

// scanOptions are a scan's COUNT, MATCH and the per-command extras.
type scanOptions struct {
	count    int64
	pattern  []byte // nil when every element matches
	typ      []byte // SCAN's TYPE
	noValues bool   // HSCAN's NOVALUES (Redis 7.4)
}

// scanExtras says which options beyond COUNT and MATCH a command takes.
type scanExtras uint8

const (
	scanWithType scanExtras = 1 << iota
	scanWithNoValues
)

// parseScanOptions reads the options in args, replying with Redis's error
// when one is wrong. A lone "*" pattern is dropped, as it matches everything.
func parseScanOptions(x *Ctx, args [][]byte, extras scanExtras) (scanOptions, bool) {
	o := scanOptions{count: 10}
	for i := 0; i < len(args); {
		opt, more := args[i], len(args)-i-1
		switch {
		case extras&scanWithNoValues != 0 && strEqFold(opt, "novalues"):
			o.noValues = true
			i++
			continue
		case more < 1:
			x.Error(ErrSyntax)
			return o, false
		case strEqFold(opt, "count"):
			n, ok := num.ParseInt(args[i+1])
			if !ok {
				x.Error(ErrNotInt)
				return o, false
			}
			if n < 1 {
				x.Error(ErrSyntax)
				return o, false
			}
			o.count = n
		case strEqFold(opt, "match"):
			o.pattern = args[i+1]
		case extras&scanWithType != 0 && strEqFold(opt, "type"):
			o.typ = args[i+1]
		default:
			x.Error(ErrSyntax)
			return o, false
		}
		i += 2
	}
	if o.pattern != nil && isMatchAll(o.pattern) {
		o.pattern = nil
	}
	return o, true
}

// matches reports whether b passes MATCH.
func (o *scanOptions) matches(b []byte) bool {
	return o.pattern == nil || glob.Match(o.pattern, b, false)
}

// writeScanHeader starts a scan reply: the next cursor, then an array of n.
func writeScanHeader(x *Ctx, next uint64, n int) {
	x.W.WriteArrayLen(2)
	var tmp [20]byte
	x.W.WriteBulk(strconv.AppendUint(tmp[:0], next, 10))
	x.W.WriteArrayLen(n)
}

// parseScanCursor reads a cursor as Redis does with strtoul: an optional
// sign ("-1" wraps around), digits, nothing else, no leading space and no
// overflow. The empty string is cursor 0. Redis reads the argument as a C
// string, so a NUL ends it.
func parseScanCursor(b []byte) (uint64, bool) {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	neg := false
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		neg = b[0] == '-'
		b = b[1:]
		if len(b) == 0 {
			return 0, false
		}
	}
	var v uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		d := uint64(c - '0')
		if v > (^uint64(0)-d)/10 {
			return 0, false
		}
		v = v*10 + d
	}
	if neg {
		v = -v
	}
	return v, true
}
