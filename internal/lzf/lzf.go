// Package lzf implements the LZF compression format of Marc Lehmann's
// liblzf, which Redis uses for long strings in RDB files and DUMP payloads
// and for the inner nodes of compressed lists.
//
// An LZF stream is a sequence of chunks, each introduced by a control byte:
//
//	000LLLLL                  a literal run: the next L+1 bytes (1..32) are copied
//	LLLooooo oooooooo         a back reference of L+2 bytes (L = 1..6)
//	111ooooo LLLLLLLL oooooooo a back reference of L+9 bytes (L = 0..255)
//
// A back reference copies bytes already produced, starting o+1 bytes
// (1..8192) before the current end of the output; source and destination
// may overlap, which repeats a short pattern. The stream does not record
// the uncompressed size: users store it beside the data.
package lzf

import (
	"encoding/binary"
	"errors"
	"math"
	"math/bits"
	"slices"
	"sync"
)

const (
	maxLiteral  = 1 << 5         // bytes in one literal run
	maxDistance = 1 << 13        // how far back a reference reaches
	minMatch    = 3              // shortest back reference
	maxMatch    = 7 + 255 + 2    // longest back reference
	maxRatio    = maxMatch/3 + 1 // output bytes per input byte, at most (a 3-byte reference of 264)

	hashBits = 14
)

// ErrCorrupt reports compressed input that is not a valid LZF stream: a
// chunk cut short or a reference before the start of the output.
var ErrCorrupt = errors.New("lzf: corrupt input")

// ErrSize reports compressed input whose decompressed size is not the
// expected one.
var ErrSize = errors.New("lzf: decompressed size mismatch")

// table is the compressor's hash table from 3-byte sequences to where they
// were last seen. Instead of clearing it for every input, each input gets
// a range of position stamps above base: an entry at or below base is left
// over from an earlier input and reads as empty, so the output depends on
// the input alone.
type table struct {
	slot [1 << hashBits]uint32
	base uint32
}

var tables = sync.Pool{New: func() any { return new(table) }}

// hash3 hashes the three bytes at b[i:] into a table index of 32-shift
// bits.
func hash3(b []byte, i int, shift uint) uint32 {
	v := uint32(b[i])<<16 | uint32(b[i+1])<<8 | uint32(b[i+2])
	return v * 2654435761 >> shift
}

// matchLen returns how many bytes a[i:] and a[j:] have in common, counting
// up to limit.
func matchLen(a []byte, i, j, limit int) int {
	m := 0
	for m+8 <= limit {
		x := binary.LittleEndian.Uint64(a[i+m:]) ^ binary.LittleEndian.Uint64(a[j+m:])
		if x != 0 {
			return m + bits.TrailingZeros64(x)/8
		}
		m += 8
	}
	for m < limit && a[i+m] == a[j+m] {
		m++
	}
	return m
}

// Compress compresses src into dst, using at most len(dst) bytes, and
// returns the compressed data, a prefix of dst. It returns nil when the
// compressed form does not fit in len(dst) bytes, so callers that only
// want a worthwhile saving pass a dst shorter than src. An empty src
// compresses to dst[:0].
func Compress(dst, src []byte) []byte {
	n := len(src)
	if n == 0 {
		return dst[:0]
	}
	t := tables.Get().(*table)
	defer tables.Put(t)
	if uint64(t.base)+uint64(n)+1 > math.MaxUint32 {
		clear(t.slot[:])
		t.base = 0
	}
	base := t.base
	// Positions whose stamp would overflow (inputs past 4 GiB) are simply
	// not indexed: they are emitted as literals or matched from earlier.
	indexable := min(n, int(math.MaxUint32-base-1))
	t.base += uint32(indexable) + 1
	// Small inputs hash into a prefix of the table, which stays in the
	// cache.
	shift := uint(32 - min(max(bits.Len(uint(n)), 10), hashBits))

	out := dst
	op := 1   // the first literal run's control byte is out[0]
	ctrl := 0 // where the current literal run's control byte goes
	lit := 0  // bytes in the current literal run
	ip := 0
	for ip < n {
		if ip+minMatch <= n && ip < indexable {
			h := hash3(src, ip, shift)
			cand := t.slot[h]
			t.slot[h] = base + uint32(ip) + 1
			if cand > base {
				ref := int(cand-base) - 1
				dist := ip - ref
				if dist <= maxDistance && src[ref] == src[ip] && src[ref+1] == src[ip+1] && src[ref+2] == src[ip+2] {
					m := minMatch + matchLen(src, ref+minMatch, ip+minMatch, min(n-ip, maxMatch)-minMatch)
					// Close the literal run, or take back its unused
					// control byte.
					if lit > 0 {
						out[ctrl] = byte(lit - 1)
					} else {
						op--
					}
					l, o := m-2, dist-1
					if l < 7 {
						if op+2 > len(out) {
							return nil
						}
						out[op] = byte(l<<5 | o>>8)
						out[op+1] = byte(o)
						op += 2
					} else {
						if op+3 > len(out) {
							return nil
						}
						out[op] = byte(7<<5 | o>>8)
						out[op+1] = byte(l - 7)
						out[op+2] = byte(o)
						op += 3
					}
					ip += m
					// Index the match's last two positions, so the data
					// right after it can refer into it.
					for j := ip - 2; j < ip; j++ {
						if j+minMatch <= n && j < indexable {
							t.slot[hash3(src, j, shift)] = base + uint32(j) + 1
						}
					}
					ctrl, op, lit = op, op+1, 0
					continue
				}
			}
		}
		if op >= len(out) {
			return nil
		}
		out[op] = src[ip]
		op++
		ip++
		if lit++; lit == maxLiteral {
			out[ctrl] = maxLiteral - 1
			ctrl, op, lit = op, op+1, 0
		}
	}
	if lit > 0 {
		out[ctrl] = byte(lit - 1)
	} else {
		op--
	}
	return out[:op]
}

// Decompress appends the decompression of src, which must be exactly
// outLen bytes, to dst and returns the extended slice. It returns
// ErrCorrupt or ErrSize (and dst unchanged) for input that is not an LZF
// stream of outLen bytes; no input makes it panic, and an outLen that src
// could not possibly expand to is refused before anything is allocated.
func Decompress(dst, src []byte, outLen int) ([]byte, error) {
	if outLen < 0 || outLen/maxRatio > len(src) {
		return dst, ErrSize
	}
	start := len(dst)
	out := slices.Grow(dst, outLen)[:start+outLen]
	end := start + outLen
	op, ip := start, 0
	for ip < len(src) {
		c := int(src[ip])
		ip++
		if c < maxLiteral {
			k := c + 1
			if ip+k > len(src) {
				return dst, ErrCorrupt
			}
			if op+k > end {
				return dst, ErrSize
			}
			copy(out[op:], src[ip:ip+k])
			ip += k
			op += k
			continue
		}
		k := c >> 5
		if k == 7 {
			if ip >= len(src) {
				return dst, ErrCorrupt
			}
			k += int(src[ip])
			ip++
		}
		if ip >= len(src) {
			return dst, ErrCorrupt
		}
		dist := (c&0x1f)<<8 | int(src[ip]) + 1
		ip++
		k += 2
		if dist > op-start {
			return dst, ErrCorrupt
		}
		if op+k > end {
			return dst, ErrSize
		}
		ref := op - dist
		switch {
		case k <= 16 && dist >= 8 && op+16 <= len(out):
			// Short and common: two words, written past the end when k is
			// shorter (the next chunk overwrites them; out has the room).
			binary.LittleEndian.PutUint64(out[op:], binary.LittleEndian.Uint64(out[ref:]))
			binary.LittleEndian.PutUint64(out[op+8:], binary.LittleEndian.Uint64(out[ref+8:]))
		case dist >= k:
			copy(out[op:op+k], out[ref:ref+k])
		default:
			// Overlapping: each copy doubles the repeated pattern.
			for done := 0; done < k; {
				done += copy(out[op+done:op+k], out[ref:op+done])
			}
		}
		op += k
	}
	if op != end {
		return dst, ErrSize
	}
	return out, nil
}
