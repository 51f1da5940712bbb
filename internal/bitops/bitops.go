// Package bitops holds the bit kernels of Redis's bitmap commands: counting
// set bits, finding the first set or clear bit, combining strings bit by bit
// (BITOP) and reading or writing integers of any width at any bit offset
// (BITFIELD). Bits are numbered as Redis numbers them: bit 0 is the most
// significant bit of the first byte.
//
// The bulk kernels work on 8-byte words, four at a time, so a count or a
// combination over a large bitmap runs at memory speed; only the edges of a
// range are handled byte by byte. Words are loaded through encoding/binary,
// which compiles to single unaligned loads and stays legal for values that
// start at any address (a string's bytes follow its key in the keyspace).
package bitops

import (
	"encoding/binary"
	"math/bits"
)

var (
	le = binary.LittleEndian
	be = binary.BigEndian
)

// Count returns the number of set bits in b.
func Count(b []byte) int64 {
	// Four independent sums let the CPU overlap the population counts.
	var c0, c1, c2, c3 int
	for len(b) >= 32 {
		c0 += bits.OnesCount64(le.Uint64(b[0:8]))
		c1 += bits.OnesCount64(le.Uint64(b[8:16]))
		c2 += bits.OnesCount64(le.Uint64(b[16:24]))
		c3 += bits.OnesCount64(le.Uint64(b[24:32]))
		b = b[32:]
	}
	for len(b) >= 8 {
		c0 += bits.OnesCount64(le.Uint64(b[:8]))
		b = b[8:]
	}
	for _, c := range b {
		c1 += bits.OnesCount8(c)
	}
	return int64(c0 + c1 + c2 + c3)
}

// Pos returns the position of the first bit of b equal to bit (0 or 1), or
// -1 when b has none.
func Pos(b []byte, bit int) int64 {
	// skip is a word with no bit worth finding; x ^ skip has a 1 exactly
	// where x holds the bit sought.
	var skip uint64
	if bit == 0 {
		skip = ^uint64(0)
	}
	i := 0
	for ; i+32 <= len(b); i += 32 {
		w := b[i : i+32]
		w0, w1, w2, w3 := le.Uint64(w[0:8]), le.Uint64(w[8:16]), le.Uint64(w[16:24]), le.Uint64(w[24:32])
		if bit == 0 {
			if w0&w1&w2&w3 != skip {
				break
			}
		} else if w0|w1|w2|w3 != 0 {
			break
		}
	}
	for ; i+8 <= len(b); i += 8 {
		if w := be.Uint64(b[i:i+8]) ^ skip; w != 0 {
			return int64(i)*8 + int64(bits.LeadingZeros64(w))
		}
	}
	for ; i < len(b); i++ {
		if c := b[i] ^ byte(skip); c != 0 {
			return int64(i)*8 + int64(bits.LeadingZeros8(c))
		}
	}
	return -1
}

// GetUnsigned reads the n-bit (1 to 64) unsigned integer stored most
// significant bit first at bit offset off of p. Bits past the end of p read
// as zero.
func GetUnsigned(p []byte, off uint64, n uint) uint64 {
	var v uint64
	i := off >> 3
	skip := uint(off & 7) // bits of the first byte before the field
	for n > 0 {
		var c byte
		if i < uint64(len(p)) {
			c = p[i]
		}
		avail := 8 - skip
		take := min(avail, n)
		v = v<<take | uint64(c>>(avail-take))&(1<<take-1)
		n -= take
		skip = 0
		i++
	}
	return v
}

// GetSigned reads an n-bit two's complement integer like GetUnsigned.
func GetSigned(p []byte, off uint64, n uint) int64 {
	v := GetUnsigned(p, off, n)
	// Shifting the field's sign bit to the top and back extends it.
	return int64(v<<(64-n)) >> (64 - n)
}

// SetUnsigned writes the low n bits (1 to 64) of v most significant bit
// first at bit offset off of p, which must be long enough to hold them.
func SetUnsigned(p []byte, off uint64, n uint, v uint64) {
	i := off >> 3
	skip := uint(off & 7)
	for n > 0 {
		avail := 8 - skip
		take := min(avail, n)
		shift := avail - take
		mask := byte((1<<take - 1) << shift)
		chunk := byte(v>>(n-take)) << shift & mask
		p[i] = p[i]&^mask | chunk
		n -= take
		skip = 0
		i++
	}
}
