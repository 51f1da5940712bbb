// Package num parses and formats numbers exactly as Redis does, so that
// replies and error decisions match byte for byte.
package num

import (
	"math"
	"strconv"
)

// ParseInt parses b as Redis's string2ll: an optional '-', no leading zeros
// ("-0" and "+1" are refused), no spaces, within int64.
func ParseInt(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 20 {
		return 0, false
	}
	if len(b) == 1 && b[0] == '0' {
		return 0, true
	}
	neg := b[0] == '-'
	if neg {
		b = b[1:]
		if len(b) == 0 {
			return 0, false
		}
	}
	if b[0] < '1' || b[0] > '9' {
		return 0, false
	}
	var v uint64
	if len(b) <= 19 {
		// 19 digits fit in a uint64: no overflow to check digit by digit
		for _, c := range b {
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + uint64(c-'0')
		}
	} else {
		for _, c := range b {
			if c < '0' || c > '9' {
				return 0, false
			}
			d := uint64(c - '0')
			if v > (math.MaxUint64-d)/10 {
				return 0, false
			}
			v = v*10 + d
		}
	}
	if neg {
		if v > 1<<63 {
			return 0, false
		}
		return int64(-v), true
	}
	if v > math.MaxInt64 {
		return 0, false
	}
	return int64(v), true
}

// ParseFloat parses b as Redis's getDoubleFromObject (C strtod): no leading
// space, the whole input consumed, no NaN, no overflow and no underflow to
// zero. "inf", "-inf" and "+inf" are accepted.
func ParseFloat(b []byte) (float64, bool) {
	if len(b) == 0 || isSpace(b[0]) {
		return 0, false
	}
	if v, ok := parseDigits(b); ok {
		return v, true
	}
	for _, c := range b {
		if c == '_' {
			return 0, false // Go accepts digit separators; C does not
		}
	}
	s := string(b)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, false
		}
		// C also reads hexadecimal without a binary exponent ("0x1A").
		if hv, ok := parseHexNoExp(s); ok {
			return hv, true
		}
		return 0, false
	}
	if math.IsNaN(v) {
		return 0, false
	}
	if v == 0 && hasNonZeroDigit(s) {
		return 0, false // underflow: strtod sets ERANGE and Redis refuses it
	}
	return v, true
}

// parseDigits is ParseFloat's fast path: an optionally signed run of at most
// 18 decimal digits, leading zeros allowed (redis-benchmark's scores have
// them). The integer is exact in a uint64, so converting it rounds once, to
// nearest, as strtod's result is rounded.
func parseDigits(b []byte) (float64, bool) {
	neg := false
	if b[0] == '-' || b[0] == '+' {
		neg = b[0] == '-'
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var u uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		u = u*10 + uint64(c-'0')
	}
	v := float64(u)
	if neg {
		v = -v
	}
	return v, true
}

func hasNonZeroDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == 'e' || c == 'E' || c == 'p' || c == 'P' {
			return false
		}
		if c >= '1' && c <= '9' {
			return true
		}
	}
	return false
}

func parseHexNoExp(s string) (float64, bool) {
	neg := false
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if len(s) < 3 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X') {
		return 0, false
	}
	v, err := strconv.ParseFloat("0x"+s[2:]+"p0", 64)
	if err != nil {
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// FormatFloat17 formats d as C's "%.17g", Redis 7.0's format for doubles in
// replies (inf and -inf spelled out).
func FormatFloat17(d float64) string {
	var tmp [40]byte
	return string(AppendFloat17(tmp[:0], d))
}

// AppendFloat17 appends d formatted as C's "%.17g".
func AppendFloat17(dst []byte, d float64) []byte {
	if math.IsNaN(d) {
		return append(dst, "nan"...) // whatever its sign
	}
	return AppendG(dst, d, 17)
}

// AppendG appends d formatted as C's "%.<prec>g".
func AppendG(dst []byte, d float64, prec int) []byte {
	switch {
	case math.IsInf(d, 1):
		return append(dst, "inf"...)
	case math.IsInf(d, -1):
		return append(dst, "-inf"...)
	case math.IsNaN(d):
		if math.Signbit(d) { // as C's printf shows x86's default NaN
			return append(dst, "-nan"...)
		}
		return append(dst, "nan"...)
	}
	if d == 0 {
		if math.Signbit(d) {
			return append(dst, "-0"...)
		}
		return append(dst, '0')
	}
	var tmp [64]byte
	e := strconv.AppendFloat(tmp[:0], d, 'e', prec-1, 64)
	i := len(e) - 1
	for e[i] != 'e' {
		i--
	}
	exp, _ := strconv.Atoi(string(e[i+1:]))
	if exp < -4 || exp >= prec {
		dst = append(dst, trimFracZeros(e[:i])...)
		dst = append(dst, 'e')
		if exp < 0 {
			dst = append(dst, '-')
			exp = -exp
		} else {
			dst = append(dst, '+')
		}
		if exp < 10 {
			dst = append(dst, '0')
		}
		return strconv.AppendInt(dst, int64(exp), 10)
	}
	f := strconv.AppendFloat(tmp[:0], d, 'f', prec-1-exp, 64)
	return append(dst, trimFracZeros(f)...)
}

func trimFracZeros(b []byte) []byte {
	dot := -1
	for i, c := range b {
		if c == '.' {
			dot = i
			break
		}
	}
	if dot < 0 {
		return b
	}
	end := len(b)
	for end > dot+1 && b[end-1] == '0' {
		end--
	}
	if end == dot+1 {
		end = dot
	}
	return b[:end]
}
