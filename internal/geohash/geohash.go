// Package geohash is the geometry behind Redis's geo commands: the 52-bit
// interleaved geohash that geo sets keep as sorted-set scores, the standard
// base32 geohash strings GEOHASH prints, the grid cells a radius or box
// search scans, and the haversine distance. Every result is computed with
// the same floating-point steps as Redis 7.0, so scores, decoded
// coordinates, distances and the cells searched (hence which members are
// found, and in which order) agree with it bit for bit.
package geohash

import "math"

// The coordinate limits of Redis's geo sets: the latitude range is the one
// of the Web Mercator projection, so only 85.05112878 degrees either side
// of the equator can be indexed.
const (
	LonMin = -180.0
	LonMax = 180.0
	LatMin = -85.05112878
	LatMax = 85.05112878

	// StepMax is the precision of a stored position: 26 bits per
	// coordinate, 52 bits in all.
	StepMax = 26

	// EarthRadius is the radius, in meters, that Redis's distances use.
	EarthRadius = 6372797.560856

	// mercatorMax is half the Earth's circumference as Web Mercator sees it.
	mercatorMax = 20037726.37
)

// Range is an interval of one coordinate.
type Range struct{ Min, Max float64 }

var (
	lonRange = Range{LonMin, LonMax}
	latRange = Range{LatMin, LatMax}
	// The standard geohash covers latitudes -90..90; GEOHASH re-encodes
	// with it so that its strings work with other geohash tools.
	stdLatRange = Range{-90, 90}
)

// Hash is a cell of the grid at some step: Bits holds step bits of each
// coordinate, interleaved, longitude bits in the odd positions.
type Hash struct {
	Bits uint64
	Step uint8
}

// zero reports whether h is an excluded neighbour (Redis's GZERO).
func (h Hash) zero() bool { return h.Bits == 0 && h.Step == 0 }

// Area is the extent of a cell.
type Area struct {
	Hash     Hash
	Lon, Lat Range
}

// ValidLonLat reports whether a position can be stored in a geo set.
func ValidLonLat(lon, lat float64) bool {
	return !(lon < LonMin || lon > LonMax || lat < LatMin || lat > LatMax)
}

// spread moves the 32 bits of v to the even bit positions.
func spread(v uint32) uint64 {
	x := uint64(v)
	x = (x | x<<16) & 0x0000ffff0000ffff
	x = (x | x<<8) & 0x00ff00ff00ff00ff
	x = (x | x<<4) & 0x0f0f0f0f0f0f0f0f
	x = (x | x<<2) & 0x3333333333333333
	x = (x | x<<1) & 0x5555555555555555
	return x
}

// squash is spread's inverse: it gathers the even bits of x.
func squash(x uint64) uint32 {
	x &= 0x5555555555555555
	x = (x | x>>1) & 0x3333333333333333
	x = (x | x>>2) & 0x0f0f0f0f0f0f0f0f
	x = (x | x>>4) & 0x00ff00ff00ff00ff
	x = (x | x>>8) & 0x0000ffff0000ffff
	x = (x | x>>16) & 0x00000000ffffffff
	return uint32(x)
}

func interleave(lat, lon uint32) uint64 { return spread(lat) | spread(lon)<<1 }

func deinterleave(bits uint64) (lat, lon uint32) { return squash(bits), squash(bits >> 1) }

// cToUint32 converts a non-negative double to uint32 as C does on x86-64
// (through a 64-bit integer, keeping the low 32 bits).
func cToUint32(f float64) uint32 { return uint32(int64(f)) }

// encode is the cell of (lon, lat) at step within the given ranges; ok is
// false, as in Redis, when the position is outside them. A coordinate
// exactly at a range's maximum lands one past the last cell (an extra
// bit), which Redis keeps too.
func encode(lonR, latR Range, lon, lat float64, step uint8) (Hash, bool) {
	if !ValidLonLat(lon, lat) {
		return Hash{}, false
	}
	if lat < latR.Min || lat > latR.Max || lon < lonR.Min || lon > lonR.Max {
		return Hash{Step: step}, false
	}
	latOff := (lat - latR.Min) / (latR.Max - latR.Min)
	lonOff := (lon - lonR.Min) / (lonR.Max - lonR.Min)
	scale := float64(uint64(1) << step)
	latOff *= scale
	lonOff *= scale
	return Hash{Bits: interleave(cToUint32(latOff), cToUint32(lonOff)), Step: step}, true
}

// decode is the extent of cell h within the given ranges. Coordinates past
// the step's width (from corrupt scores) wrap as Redis's 32-bit arithmetic
// does.
func decode(lonR, latR Range, h Hash) Area {
	lat, lon := deinterleave(h.Bits)
	latScale := latR.Max - latR.Min
	lonScale := lonR.Max - lonR.Min
	div := float64(uint64(1) << h.Step)
	return Area{
		Hash: h,
		Lat: Range{
			Min: latR.Min + float64(float64(lat)*1.0/div*latScale),
			Max: latR.Min + float64(float64(lat+1)*1.0/div*latScale),
		},
		Lon: Range{
			Min: lonR.Min + float64(float64(lon)*1.0/div*lonScale),
			Max: lonR.Min + float64(float64(lon+1)*1.0/div*lonScale),
		},
	}
}

// center is the middle of a, clamped to the valid coordinates.
func (a *Area) center() (lon, lat float64) {
	lon = (a.Lon.Min + a.Lon.Max) / 2
	lon = max(min(lon, LonMax), LonMin)
	lat = (a.Lat.Min + a.Lat.Max) / 2
	lat = max(min(lat, LatMax), LatMin)
	return lon, lat
}

// align52 is the score of a cell's first position: its bits shifted to
// the 52-bit precision of stored positions.
func (h Hash) align52() uint64 { return h.Bits << (52 - 2*uint(h.Step)) }

// Encode returns the 52-bit geohash of a valid position, the score GEOADD
// stores for it.
func Encode(lon, lat float64) uint64 {
	h, _ := encode(lonRange, latRange, lon, lat, StepMax)
	return h.align52()
}

// ScoreBits converts a sorted-set score to the geohash bits Redis reads
// from it: as C's (uint64_t) cast compiled for x86-64, which wraps
// negative values and maps values of 2^64 and up (and infinities) to 0 or
// 2^63, so that any score decodes to some position.
func ScoreBits(score float64) uint64 {
	if score < 0x1p63 {
		if score > -0x1p63 {
			return uint64(int64(score))
		}
		return 1 << 63
	}
	if score < 0x1p64 {
		return uint64(int64(score-0x1p63)) ^ 1<<63
	}
	return 0
}

// Decode returns the position a score stands for: the center of its cell,
// clamped to the valid coordinates.
func Decode(score float64) (lon, lat float64) {
	a := decode(lonRange, latRange, Hash{Bits: ScoreBits(score), Step: StepMax})
	return a.center()
}

const base32 = "0123456789bcdefghjkmnpqrstuvwxyz"

// String returns the 11-character standard geohash GEOHASH prints for a
// score: the decoded position re-encoded over latitudes -90..90. The 52
// bits fill ten characters; the eleventh is always '0'.
func String(score float64) [11]byte {
	lon, lat := Decode(score)
	h, _ := encode(lonRange, stdLatRange, lon, lat, StepMax)
	var out [11]byte
	for i := 0; i < 10; i++ {
		out[i] = base32[(h.Bits>>(52-(i+1)*5))&0x1f]
	}
	out[10] = '0'
	return out
}

// Cell neighbours come from adding or subtracting one to a coordinate's
// bits inside the interleaved word: the bits of the other coordinate are
// set to ones (or left zero) so that a carry or borrow runs through them.
// The result wraps around the grid. As in Redis, a latitude bit above the
// step (a position exactly on the northern limit) survives moves east and
// west but not moves north or south.

const (
	evenBits = 0x5555555555555555 // latitude
	oddBits  = 0xaaaaaaaaaaaaaaaa // longitude
)

func (h Hash) moveLon(d int) Hash {
	if d == 0 {
		return h
	}
	shift := 64 - 2*uint(h.Step)
	lon, lat := h.Bits&oddBits, h.Bits&evenBits
	fill := uint64(evenBits) >> shift
	if d > 0 {
		lon += fill + 1
	} else {
		lon = (lon | fill) - (fill + 1)
	}
	lon &= uint64(oddBits) >> shift
	h.Bits = lon | lat
	return h
}

func (h Hash) moveLat(d int) Hash {
	if d == 0 {
		return h
	}
	shift := 64 - 2*uint(h.Step)
	lon, lat := h.Bits&oddBits, h.Bits&evenBits
	fill := uint64(oddBits) >> shift
	if d > 0 {
		lat += fill + 1
	} else {
		lat = (lat | fill) - (fill + 1)
	}
	lat &= uint64(evenBits) >> shift
	h.Bits = lon | lat
	return h
}

// move returns the neighbour dlon cells east and dlat cells north.
func (h Hash) move(dlon, dlat int) Hash { return h.moveLon(dlon).moveLat(dlat) }

// degRad and radDeg use Redis's constant, M_PI/180 rounded to a double.
// The explicit conversion rounds the product, which Go could otherwise
// fuse with a following addition (as C compiled for x86-64 never does).
const degToRad = 0x1.1df46a2529d39p-6

func degRad(d float64) float64 { return float64(d * degToRad) }
func radDeg(r float64) float64 { return r / degToRad }

// LatDistance is the distance in meters between two latitudes on one
// meridian.
func LatDistance(lat1, lat2 float64) float64 {
	return EarthRadius * math.Abs(degRad(lat2)-degRad(lat1))
}

// Distance is the haversine distance in meters between two positions, as
// Redis computes it (with its shortcut for positions on one meridian).
func Distance(lon1, lat1, lon2, lat2 float64) float64 {
	lon1r, lon2r := degRad(lon1), degRad(lon2)
	v := Sin((lon2r - lon1r) / 2)
	if v == 0 {
		return LatDistance(lat1, lat2)
	}
	lat1r, lat2r := degRad(lat1), degRad(lat2)
	u := Sin((lat2r - lat1r) / 2)
	a := float64(u*u) + float64(float64(float64(Cos(lat1r)*Cos(lat2r))*v)*v)
	return 2.0 * EarthRadius * Asin(math.Sqrt(a))
}
