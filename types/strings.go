// Package types holds the pure algorithms behind Petrel's value types: no
// keyspace, no networking, just the computations the command handlers need
// to reproduce Redis's results exactly.
package types

import (
	"math/big"
	"math/bits"
)

// x87 80-bit extended precision, the C long double Redis's INCRBYFLOAT
// computes in on x86-64: a 64-bit significand and a 15-bit exponent. The
// exponents use big.Float's MantExp convention (x = mant × 2^exp with
// 0.5 <= mant < 1).
const (
	ldPrec = 64
	// ldMaxExp is the largest MantExp of a finite value (max ≈ 1.19e4932).
	ldMaxExp = 16384
	// ldMinNormExp is the MantExp of the smallest normal value, 2^-16382.
	ldMinNormExp = -16381
	// ldSubnormShift: the smallest subnormal value is 2^-ldSubnormShift.
	ldSubnormShift = 16445
	// maxLongDoubleChars is the longest input Redis parses (exclusive),
	// its MAX_LONG_DOUBLE_CHARS buffer.
	maxLongDoubleChars = 5 * 1024
)

// ParseLongDouble parses s as Redis's INCRBYFLOAT reads numbers: C's strtold
// on x86-64 with the whole input consumed, no leading space, and neither NaN
// nor a result out of range (overflow, or underflow to zero). It accepts
// decimal and hexadecimal floats and "inf"/"infinity" in any case. The
// value is rounded to nearest-even at the long double's precision; infinity
// is returned as an infinite big.Float.
func ParseLongDouble(s []byte) (*big.Float, bool) {
	if len(s) == 0 || len(s) >= maxLongDoubleChars {
		return nil, false
	}
	neg := false
	if s[0] == '+' || s[0] == '-' {
		neg = s[0] == '-'
		s = s[1:]
	}
	if foldEq(s, "inf") || foldEq(s, "infinity") {
		return new(big.Float).SetInf(neg), true
	}
	var num, den *big.Int
	var ok bool
	if len(s) >= 2 && s[0] == '0' && s[1]|0x20 == 'x' {
		num, den, ok = scanHexFloat(s[2:])
	} else {
		num, den, ok = scanDecFloat(s)
	}
	if !ok || num == nil {
		return nil, false
	}
	z := new(big.Float).SetPrec(ldPrec)
	if num.Sign() != 0 {
		if !roundLongDouble(z, num, den) {
			return nil, false
		}
	}
	if neg {
		z.Neg(z)
	}
	return z, true
}

// scanDecFloat reads digits[.digits][e[±]digits] in full and returns the
// exact value as num/den; num is nil when the value is certainly out of
// range (it is refused either way, as strtold reports ERANGE), and 0 for a
// zero mantissa.
func scanDecFloat(s []byte) (num, den *big.Int, ok bool) {
	digits := make([]byte, 0, len(s))
	i, frac, seen := 0, 0, false
	for ; i < len(s) && isDigit(s[i]); i++ {
		seen = true
		digits = append(digits, s[i])
	}
	if i < len(s) && s[i] == '.' {
		for i++; i < len(s) && isDigit(s[i]); i++ {
			seen = true
			digits = append(digits, s[i])
			frac++
		}
	}
	if !seen {
		return nil, nil, false
	}
	exp := int64(0)
	if i < len(s) && s[i]|0x20 == 'e' {
		var eok bool
		exp, i, eok = scanExponent(s, i+1)
		if !eok {
			return nil, nil, false
		}
	}
	if i != len(s) {
		return nil, nil, false
	}
	for len(digits) > 0 && digits[0] == '0' {
		digits = digits[1:]
	}
	if len(digits) == 0 {
		return new(big.Int), nil, true
	}
	e := exp - int64(frac)
	nd := int64(len(digits))
	// The value lies in [10^(e+nd-1), 10^(e+nd)): far enough outside
	// [1.8e-4951, 1.19e4932] it needs no exact arithmetic to be refused.
	if e+nd-1 > 4932 || e+nd < -4951 {
		return nil, nil, true
	}
	num, _ = new(big.Int).SetString(string(digits), 10)
	den = big.NewInt(1)
	p := new(big.Int).Exp(big.NewInt(10), big.NewInt(abs64(e)), nil)
	if e >= 0 {
		num.Mul(num, p)
	} else {
		den = p
	}
	return num, den, true
}

// scanHexFloat reads hexdigits[.hexdigits][p[±]digits] (after "0x") in full.
func scanHexFloat(s []byte) (num, den *big.Int, ok bool) {
	mant := new(big.Int)
	i, frac, seen := 0, 0, false
	var d big.Int
	addDigit := func(c byte) {
		mant.Lsh(mant, 4)
		mant.Or(mant, d.SetUint64(uint64(hexVal(c))))
	}
	for ; i < len(s) && isHex(s[i]); i++ {
		seen = true
		addDigit(s[i])
	}
	if i < len(s) && s[i] == '.' {
		for i++; i < len(s) && isHex(s[i]); i++ {
			seen = true
			addDigit(s[i])
			frac++
		}
	}
	if !seen {
		return nil, nil, false
	}
	exp := int64(0)
	if i < len(s) && s[i]|0x20 == 'p' {
		var eok bool
		exp, i, eok = scanExponent(s, i+1)
		if !eok {
			return nil, nil, false
		}
	}
	if i != len(s) {
		return nil, nil, false
	}
	if mant.Sign() == 0 {
		return mant, nil, true
	}
	e := exp - 4*int64(frac)
	top := int64(mant.BitLen()) + e // the value lies in [2^(top-1), 2^top)
	if top-1 >= ldMaxExp || top <= -ldSubnormShift-1 {
		return nil, nil, true
	}
	den = big.NewInt(1)
	if e >= 0 {
		mant.Lsh(mant, uint(e))
	} else {
		den.Lsh(den, uint(-e))
	}
	return mant, den, true
}

// scanExponent reads [±]digits at s[i:], saturating far beyond any
// exponent that matters, and returns the position after it.
func scanExponent(s []byte, i int) (int64, int, bool) {
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	v := int64(0)
	for ; i < len(s) && isDigit(s[i]); i++ {
		if v < 1<<40 {
			v = v*10 + int64(s[i]-'0')
		}
	}
	if i == start {
		return 0, i, false
	}
	if neg {
		v = -v
	}
	return v, i, true
}

// roundLongDouble sets z to num/den (positive) rounded to the nearest long
// double, and reports false if that overflows or underflows to zero.
func roundLongDouble(z *big.Float, num, den *big.Int) bool {
	nf := new(big.Float).SetInt(num)
	df := new(big.Float).SetInt(den)
	z.SetMode(big.ToNearestEven).Quo(nf, df)
	e := z.MantExp(nil)
	if e > ldMaxExp {
		return false
	}
	if e > ldMinNormExp {
		return true
	}
	// Subnormal range (or the lowest normal binade, where the step is the
	// same): round to a multiple of 2^-16445 from the exact value, so there
	// is no double rounding.
	q, r := new(big.Int).QuoRem(new(big.Int).Lsh(num, ldSubnormShift), den, new(big.Int))
	switch c := r.Lsh(r, 1).Cmp(den); {
	case c > 0, c == 0 && q.Bit(0) == 1:
		q.Add(q, big.NewInt(1))
	}
	if q.Sign() == 0 {
		return false
	}
	z.SetInt(q)
	z.SetMantExp(z, -ldSubnormShift)
	return true
}

// AddLongDouble returns a+b computed as a long double addition, and false if
// the result is infinite (including either operand being infinite), as
// INCRBYFLOAT refuses such results.
func AddLongDouble(a, b *big.Float) (*big.Float, bool) {
	if a.IsInf() || b.IsInf() {
		return nil, false
	}
	z := new(big.Float).SetPrec(ldPrec).SetMode(big.ToNearestEven).Add(a, b)
	if z.MantExp(nil) > ldMaxExp {
		return nil, false
	}
	return z, true
}

// AppendLongDoubleHuman appends f as Redis stores INCRBYFLOAT results:
// printf's "%.17Lf" with trailing fractional zeros (and a bare dot) removed,
// and "-0" written as "0".
func AppendLongDoubleHuman(dst []byte, f *big.Float) []byte {
	start := len(dst)
	dst = f.Append(dst, 'f', 17)
	end := len(dst)
	for end > start && dst[end-1] == '0' {
		end--
	}
	if end > start && dst[end-1] == '.' {
		end--
	}
	dst = dst[:end]
	if string(dst[start:]) == "-0" {
		dst = append(dst[:start], '0')
	}
	return dst
}

func foldEq(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		if b[i]|0x20 != s[i] {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHex(c byte) bool { return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'f') }

func hexVal(c byte) byte {
	if isDigit(c) {
		return c - '0'
	}
	return c | 0x20 - 'a' + 10
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// LCSMatch is one run of consecutive matching bytes of a longest common
// subsequence, as LCS IDX reports it: inclusive ranges in each string.
type LCSMatch struct {
	AStart, AEnd, BStart, BEnd int
}

// Len returns the length of the run.
func (m LCSMatch) Len() int { return m.AEnd - m.AStart + 1 }

// LCSTableBytes returns the memory Redis would allocate for the LCS table
// of strings of lengths alen and blen (4 bytes per cell), and false if that
// overflows.
func LCSTableBytes(alen, blen int) (uint64, bool) {
	hi, cells := bits.Mul64(uint64(alen)+1, uint64(blen)+1)
	if hi != 0 || cells > (1<<64-1)/4 {
		return 0, false
	}
	return cells * 4, true
}

// LCSLen returns the length of the longest common subsequence of a and b,
// in memory linear in len(b).
func LCSLen(a, b []byte) int {
	prev := make([]uint32, len(b)+1)
	cur := make([]uint32, len(b)+1)
	for i := 1; i <= len(a); i++ {
		ac := a[i-1]
		for j := 1; j <= len(b); j++ {
			switch {
			case ac == b[j-1]:
				cur[j] = prev[j-1] + 1
			case prev[j] >= cur[j-1]:
				cur[j] = prev[j]
			default:
				cur[j] = cur[j-1]
			}
		}
		prev, cur = cur, prev
	}
	return int(prev[len(b)])
}

// LCS returns the longest common subsequence of a and b, chosen as Redis
// chooses among equally long ones, and its runs of consecutive matches,
// last run first, keeping only runs at least minMatchLen long (all when
// minMatchLen <= 0). wantMatches false skips collecting the runs.
func LCS(a, b []byte, minMatchLen int64, wantMatches bool) ([]byte, []LCSMatch) {
	// The table's cells never exceed min(len(a), len(b)): use the
	// narrowest cell type that holds that.
	switch n := min(len(a), len(b)); {
	case n <= 1<<8-1:
		return lcsBacktrack(a, b, lcsTable[uint8](a, b), minMatchLen, wantMatches)
	case n <= 1<<16-1:
		return lcsBacktrack(a, b, lcsTable[uint16](a, b), minMatchLen, wantMatches)
	default:
		return lcsBacktrack(a, b, lcsTable[uint32](a, b), minMatchLen, wantMatches)
	}
}

type lcsCell interface{ ~uint8 | ~uint16 | ~uint32 }

// lcsTable fills t[i*(len(b)+1)+j] with the LCS length of a[:i] and b[:j].
func lcsTable[T lcsCell](a, b []byte) []T {
	w := len(b) + 1
	t := make([]T, (len(a)+1)*w)
	for i := 1; i <= len(a); i++ {
		ac := a[i-1]
		prev := t[(i-1)*w : i*w]
		cur := t[i*w : (i+1)*w]
		for j := 1; j <= len(b); j++ {
			switch {
			case ac == b[j-1]:
				cur[j] = prev[j-1] + 1
			case prev[j] >= cur[j-1]:
				cur[j] = prev[j]
			default:
				cur[j] = cur[j-1]
			}
		}
	}
	return t
}

// lcsBacktrack walks the table back from the end: a byte match is always
// taken; otherwise it steps back in a only when that keeps a strictly longer
// subsequence, else in b. That tie rule decides which LCS Redis reports.
func lcsBacktrack[T lcsCell](a, b []byte, t []T, minMatchLen int64, wantMatches bool) ([]byte, []LCSMatch) {
	w := len(b) + 1
	i, j := len(a), len(b)
	n := int(t[i*w+j])
	out := make([]byte, n)
	var matches []LCSMatch
	var run LCSMatch
	inRun := false
	emit := func() {
		if wantMatches && (minMatchLen <= 0 || int64(run.Len()) >= minMatchLen) {
			matches = append(matches, run)
		}
		inRun = false
	}
	for i > 0 && j > 0 {
		if a[i-1] == b[j-1] {
			n--
			out[n] = a[i-1]
			if inRun {
				run.AStart, run.BStart = i-1, j-1
			} else {
				run = LCSMatch{i - 1, i - 1, j - 1, j - 1}
				inRun = true
			}
			i, j = i-1, j-1
			if i == 0 || j == 0 {
				emit()
			}
			continue
		}
		if t[(i-1)*w+j] > t[i*w+j-1] {
			i--
		} else {
			j--
		}
		if inRun {
			emit()
		}
	}
	return out, matches
}
