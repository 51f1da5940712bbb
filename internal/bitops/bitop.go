package bitops

// Op is a BITOP operation.
type Op uint8

// The operations of BITOP. The last four come from Redis 8.2; X is the
// first source and Y1..Yn the others.
const (
	And   Op = iota // bits set in every source
	Or              // bits set in any source
	Xor             // bits set in an odd number of sources
	Not             // the complement of the only source
	Diff            // X and not (Y1 or Y2 ...)
	Diff1           // (Y1 or Y2 ...) and not X
	AndOr           // X and (Y1 or Y2 ...)
	One             // bits set in exactly one source
)

// chunk is how much of the result is finished before moving on: every
// source is applied to one chunk while it sits in the L1 cache, so the
// result is written to memory once however many sources there are.
const chunk = 4096

// Apply stores op over srcs in dst. len(dst) must be the length of the
// longest source; shorter sources read as if padded with zero bytes. Not
// takes one source; Diff, Diff1 and AndOr at least two; the others one or
// more. dst may not overlap a source.
func Apply(op Op, dst []byte, srcs [][]byte) {
	var more [chunk]byte // One: bits seen in two sources or more
	for off := 0; off < len(dst); off += chunk {
		end := min(off+chunk, len(dst))
		d := dst[off:end]
		switch op {
		case And:
			copyPad(d, part(srcs[0], off, end))
			for _, s := range srcs[1:] {
				andInto(d, part(s, off, end))
			}
		case Or, Xor:
			copyPad(d, part(srcs[0], off, end))
			for _, s := range srcs[1:] {
				if op == Or {
					orInto(d, part(s, off, end))
				} else {
					xorInto(d, part(s, off, end))
				}
			}
		case Not:
			copyPad(d, part(srcs[0], off, end))
			notInPlace(d)
		case Diff, Diff1, AndOr:
			copyPad(d, part(srcs[1], off, end))
			for _, s := range srcs[2:] {
				orInto(d, part(s, off, end))
			}
			x := part(srcs[0], off, end)
			switch op {
			case Diff:
				keepNotIn(d, x)
			case Diff1:
				clearIn(d, x)
			default:
				andInto(d, x)
			}
		case One:
			copyPad(d, part(srcs[0], off, end))
			m := more[:len(d)]
			clear(m)
			for _, s := range srcs[1:] {
				oneStep(d, m, part(s, off, end))
			}
		}
	}
}

// part returns the bytes of s in [off, end), fewer or none where s is
// shorter.
func part(s []byte, off, end int) []byte {
	if off >= len(s) {
		return nil
	}
	return s[off:min(end, len(s))]
}

// copyPad sets d to s followed by zero bytes.
func copyPad(d, s []byte) {
	n := copy(d, s)
	clear(d[n:])
}

// andInto ands s into d, d being longer: what s lacks reads as zero.
func andInto(d, s []byte) {
	rest := d[len(s):]
	d = d[:len(s)]
	for len(s) >= 32 {
		le.PutUint64(d[0:8], le.Uint64(d[0:8])&le.Uint64(s[0:8]))
		le.PutUint64(d[8:16], le.Uint64(d[8:16])&le.Uint64(s[8:16]))
		le.PutUint64(d[16:24], le.Uint64(d[16:24])&le.Uint64(s[16:24]))
		le.PutUint64(d[24:32], le.Uint64(d[24:32])&le.Uint64(s[24:32]))
		d, s = d[32:], s[32:]
	}
	for len(s) >= 8 {
		le.PutUint64(d[:8], le.Uint64(d[:8])&le.Uint64(s[:8]))
		d, s = d[8:], s[8:]
	}
	for i := range s {
		d[i] &= s[i]
	}
	clear(rest)
}

// orInto ors s into the start of d.
func orInto(d, s []byte) {
	d = d[:len(s)]
	for len(s) >= 32 {
		le.PutUint64(d[0:8], le.Uint64(d[0:8])|le.Uint64(s[0:8]))
		le.PutUint64(d[8:16], le.Uint64(d[8:16])|le.Uint64(s[8:16]))
		le.PutUint64(d[16:24], le.Uint64(d[16:24])|le.Uint64(s[16:24]))
		le.PutUint64(d[24:32], le.Uint64(d[24:32])|le.Uint64(s[24:32]))
		d, s = d[32:], s[32:]
	}
	for len(s) >= 8 {
		le.PutUint64(d[:8], le.Uint64(d[:8])|le.Uint64(s[:8]))
		d, s = d[8:], s[8:]
	}
	for i := range s {
		d[i] |= s[i]
	}
}

// xorInto xors s into the start of d.
func xorInto(d, s []byte) {
	d = d[:len(s)]
	for len(s) >= 32 {
		le.PutUint64(d[0:8], le.Uint64(d[0:8])^le.Uint64(s[0:8]))
		le.PutUint64(d[8:16], le.Uint64(d[8:16])^le.Uint64(s[8:16]))
		le.PutUint64(d[16:24], le.Uint64(d[16:24])^le.Uint64(s[16:24]))
		le.PutUint64(d[24:32], le.Uint64(d[24:32])^le.Uint64(s[24:32]))
		d, s = d[32:], s[32:]
	}
	for len(s) >= 8 {
		le.PutUint64(d[:8], le.Uint64(d[:8])^le.Uint64(s[:8]))
		d, s = d[8:], s[8:]
	}
	for i := range s {
		d[i] ^= s[i]
	}
}

// notInPlace complements every bit of d.
func notInPlace(d []byte) {
	for len(d) >= 32 {
		le.PutUint64(d[0:8], ^le.Uint64(d[0:8]))
		le.PutUint64(d[8:16], ^le.Uint64(d[8:16]))
		le.PutUint64(d[16:24], ^le.Uint64(d[16:24]))
		le.PutUint64(d[24:32], ^le.Uint64(d[24:32]))
		d = d[32:]
	}
	for len(d) >= 8 {
		le.PutUint64(d[:8], ^le.Uint64(d[:8]))
		d = d[8:]
	}
	for i := range d {
		d[i] = ^d[i]
	}
}

// keepNotIn sets d to x and not d (DIFF's last step); past the end of x the
// result is zero.
func keepNotIn(d, x []byte) {
	rest := d[len(x):]
	d = d[:len(x)]
	for len(x) >= 32 {
		le.PutUint64(d[0:8], le.Uint64(x[0:8])&^le.Uint64(d[0:8]))
		le.PutUint64(d[8:16], le.Uint64(x[8:16])&^le.Uint64(d[8:16]))
		le.PutUint64(d[16:24], le.Uint64(x[16:24])&^le.Uint64(d[16:24]))
		le.PutUint64(d[24:32], le.Uint64(x[24:32])&^le.Uint64(d[24:32]))
		d, x = d[32:], x[32:]
	}
	for len(x) >= 8 {
		le.PutUint64(d[:8], le.Uint64(x[:8])&^le.Uint64(d[:8]))
		d, x = d[8:], x[8:]
	}
	for i := range x {
		d[i] = x[i] &^ d[i]
	}
	clear(rest)
}

// clearIn clears in d the bits set in x (DIFF1's last step); past the end
// of x, d stays as it is.
func clearIn(d, x []byte) {
	d = d[:len(x)]
	for len(x) >= 32 {
		le.PutUint64(d[0:8], le.Uint64(d[0:8])&^le.Uint64(x[0:8]))
		le.PutUint64(d[8:16], le.Uint64(d[8:16])&^le.Uint64(x[8:16]))
		le.PutUint64(d[16:24], le.Uint64(d[16:24])&^le.Uint64(x[16:24]))
		le.PutUint64(d[24:32], le.Uint64(d[24:32])&^le.Uint64(x[24:32]))
		d, x = d[32:], x[32:]
	}
	for len(x) >= 8 {
		le.PutUint64(d[:8], le.Uint64(d[:8])&^le.Uint64(x[:8]))
		d, x = d[8:], x[8:]
	}
	for i := range x {
		d[i] &^= x[i]
	}
}

// oneStep adds source s to ONE's running state: once holds the bits seen
// in exactly one source so far, more those seen in two or more.
func oneStep(once, more, s []byte) {
	once, more = once[:len(s)], more[:len(s)]
	for len(s) >= 8 {
		o, m, v := le.Uint64(once[:8]), le.Uint64(more[:8]), le.Uint64(s[:8])
		m |= o & v
		le.PutUint64(more[:8], m)
		le.PutUint64(once[:8], (o^v)&^m)
		once, more, s = once[8:], more[8:], s[8:]
	}
	for i := range s {
		m := more[i] | once[i]&s[i]
		more[i] = m
		once[i] = (once[i] ^ s[i]) &^ m
	}
}
