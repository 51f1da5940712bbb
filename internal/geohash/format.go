package geohash

import (
	"math"
	"strconv"
)

// AppendCoord appends a coordinate as Redis prints it (its "human" long
// double format): seventeen decimals, trailing zeros and a trailing point
// dropped. The double converts exactly to a long double, so these are the
// decimals of the double itself.
func AppendCoord(dst []byte, v float64) []byte {
	switch {
	case math.IsInf(v, 1):
		return append(dst, "inf"...)
	case math.IsInf(v, -1):
		return append(dst, "-inf"...)
	case v != v:
		return appendNaN(dst, v)
	}
	start := len(dst)
	dst = strconv.AppendFloat(dst, v, 'f', 17, 64)
	end := len(dst)
	for dst[end-1] == '0' {
		end--
	}
	if dst[end-1] == '.' {
		end--
	}
	dst = dst[:end]
	if string(dst[start:]) == "-0" {
		dst = append(dst[:start], '0')
	}
	return dst
}

// AppendDistance appends a distance as Redis 7.0 prints it: scaled by
// 10^4, rounded to an integer (to even on a tie of the scaled double, as
// C's llrint), then written with four decimals. This differs from
// printf("%.4f") when scaling rounds: 1.23455 can print as 1.2346 here
// and 1.2345 there. A NaN or a value out of the int64 range prints as
// llrint's result on x86-64, the most negative integer.
func AppendDistance(dst []byte, v float64) []byte {
	if v == 0 {
		return append(dst, "0.0000"...)
	}
	s := v * 10000
	var u uint64
	neg := false
	if r := math.RoundToEven(s); r >= -0x1p63 && r < 0x1p63 {
		i := int64(r)
		neg = i < 0
		u = uint64(i)
		if neg {
			u = -u
		}
	} else {
		neg, u = true, 1<<63
	}
	if neg {
		dst = append(dst, '-')
	}
	dst = strconv.AppendUint(dst, u/10000, 10)
	frac := u % 10000
	return append(dst, '.', byte('0'+frac/1000), byte('0'+frac/100%10), byte('0'+frac/10%10), byte('0'+frac%10))
}

// AppendCFloat appends v as C's printf("%f") does (the coordinates of
// Redis's invalid-position error).
func AppendCFloat(dst []byte, v float64) []byte {
	switch {
	case math.IsInf(v, 1):
		return append(dst, "inf"...)
	case math.IsInf(v, -1):
		return append(dst, "-inf"...)
	case v != v:
		return appendNaN(dst, v)
	}
	return strconv.AppendFloat(dst, v, 'f', 6, 64)
}

// appendNaN prints a NaN as glibc does, with its sign.
func appendNaN(dst []byte, v float64) []byte {
	if math.Signbit(v) {
		return append(dst, "-nan"...)
	}
	return append(dst, "nan"...)
}
