package scripting

import (
	"math"

	"petrel/internal/ddmath"
)

// luaPowNumbers is x^y as Lua 5.1 computes it in Redis: glibc's pow, which rounds
// to the nearest double (worst case 0.52 ulp). Go's math.Pow is less
// exact: for an integer exponent it multiplies squares, losing about a bit
// per squaring (1.0042^41318 differed in the 12th digit), and 3.7% of
// 1.1^n with |n| <= 100 differed from glibc's at 14 digits. Here the
// result is exp(y*log(x)) carried in double-double arithmetic (about 100
// bits) and rounded once. NaN results follow glibc's on x86-64: an
// invalid operation gives the processor's default NaN, which prints
// "-nan"; a NaN operand is passed on.
func luaPowNumbers(x, y float64) float64 {
	switch {
	case y == 0 || x == 1:
		return 1 // even for a NaN operand, as C99 says
	case math.IsNaN(x):
		// glibc squares a NaN base (which keeps it) and negates the square
		// of a base with the sign bit for an odd exponent, as it would for
		// a negative number.
		if oddInteger(y) {
			return math.Abs(x)
		}
		return x
	case math.IsNaN(y):
		return y
	case x == 0 || math.IsInf(x, 0) || math.IsInf(y, 0):
		return math.Pow(x, y) // exact special values, as C99 gives them
	case y == 1:
		return x
	case x == math.Trunc(x) && y == math.Trunc(y) && y > 0 && y <= 64:
		// An integer's power below 2^53 is exact through Go's squarings
		// (2^10, 10^3): no rounding, glibc's value, at a tenth the cost.
		if r := math.Pow(x, y); math.Abs(r) < 1<<53 {
			return r
		}
	}
	negate := false
	if x < 0 {
		if y != math.Trunc(y) {
			return nanNeg // (x-x)/(x-x) in glibc: the default NaN
		}
		negate = oddInteger(y)
		x = -x
	}
	r := powPositive(x, y)
	if negate {
		r = -r
	}
	return r
}

// oddInteger reports whether y is an odd integer (no double of 2^53 or
// more is).
func oddInteger(y float64) bool {
	return y == math.Trunc(y) && math.Abs(y) < 1<<53 && int64(y)%2 != 0
}

// powPositive is x^y for a finite x > 0 other than 1 and a finite y other
// than 0.
func powPositive(x, y float64) float64 {
	l := ddLog(x)
	if zh := l.Hi * y; zh > 710 {
		return math.Inf(1) // past the largest double's logarithm, 709.78
	} else if zh < -746 {
		return 0 // below half the smallest subnormal's, -745.13
	}
	return ddExp(l.MulFloat(y))
}

type dd = ddmath.DD

// ln2DD is log(2) to about 107 bits.
var ln2DD = dd{Hi: 0x1.62e42fefa39efp-1, Lo: 0x1.abc9e3b39803fp-56}

// atanhTerms holds 1/(2j+1) as double-doubles, for log(m) = 2 atanh(s) =
// 2 sum s^(2j+1)/(2j+1), with s = (m-c)/(m+c) for log(m/c). For the
// table's c (|s| <= 0.172) 22 terms reach 2^-106; ddLog's |s| <= 0.0056
// needs 8.
var atanhTerms = func() (t [22]dd) {
	for j := range t {
		d := float64(2*j + 1)
		hi := 1 / d
		t[j] = dd{Hi: hi, Lo: -math.FMA(hi, d, -1) / d}
	}
	return t
}()

// logOfRatio is log(m/c) = 2 atanh((m-c)/(m+c)), by the first terms of
// atanhTerms, for m and c within a factor 2 of each other (m-c is exact).
func logOfRatio(m, c float64, terms int) dd {
	s := dd{Hi: m - c}.Div(ddmath.TwoSum(m, c))
	s2 := s.Mul(s)
	t := atanhTerms[terms-1]
	for j := terms - 2; j >= 0; j-- {
		t = t.MulAdd(s2, atanhTerms[j])
	}
	l := s.Mul(t)
	return dd{Hi: 2 * l.Hi, Lo: 2 * l.Lo}
}

// logSteps divides [1/sqrt2, sqrt2] by 1/logSteps: ddLog takes the log of
// a mantissa m as log(c) + log(m/c) for the nearest c = 1 + i/logSteps.
const logSteps = 64

// logTable holds log(1 + i/logSteps) for i from -19 to 27.
var logTable = func() (t [47]dd) {
	for i := range t {
		t[i] = logOfRatio(1+float64(i-19)/logSteps, 1, len(atanhTerms))
	}
	return t
}()

// ddLog is log(x) for a finite x > 0.
func ddLog(x float64) dd {
	m, k := math.Frexp(x) // m in [0.5, 1), subnormals included
	if m < math.Sqrt2/2 {
		m *= 2
		k--
	}
	i := math.Round((m - 1) * logSteps)
	c := 1 + i/logSteps
	l := logTable[int(i)+19].Add(logOfRatio(m, c, 8))
	fk := float64(k)
	return ddmath.TwoProd(fk, ln2DD.Hi).Add(ddmath.TwoProd(fk, ln2DD.Lo)).Add(l)
}

// expSteps divides ln 2 by 1/expSteps: ddExp takes exp(z) as 2^(n/expSteps)
// exp(r) with |r| <= ln2/(2 expSteps).
const expSteps = 64

// exp2Table holds 2^(j/expSteps) for j from 0 to expSteps-1, as products
// of the square roots of 2.
var exp2Table = func() (t [expSteps]dd) {
	var roots [6]dd // 2^(1/2), 2^(1/4), ... 2^(1/64)
	r := dd{Hi: 2}
	for i := range roots {
		r = r.Sqrt()
		roots[i] = r
	}
	for j := range t {
		p := dd{Hi: 1}
		for i := range roots {
			if j&(32>>i) != 0 {
				p = p.Mul(roots[i])
			}
		}
		t[j] = p
	}
	return t
}()

// expTerms holds 1/k! for k = 2..13 as double-doubles: with |r| <= 0.0055,
// r^13/13! is below 2^-106 of exp(r)-1.
var expTerms = func() (t [12]dd) {
	f := dd{Hi: 1}
	for k := 2; k <= 13; k++ {
		f = f.MulFloat(float64(k))
		hi := 1 / f.Hi
		e := dd{Hi: 1}.Add(f.Mul(dd{Hi: -hi}))  // 1 - f*hi
		t[k-2] = ddmath.FastTwoSum(hi, hi*e.Hi) // a Newton step on 1/f
	}
	return t
}()

// ddExp is exp(z) rounded to a double, for z within [-746, 710].
func ddExp(z dd) float64 {
	n := math.Round(z.Hi * (expSteps / math.Ln2))
	step := dd{Hi: ln2DD.Hi / expSteps, Lo: ln2DD.Lo / expSteps} // exact scalings
	r := z.Add(ddmath.TwoProd(-n, step.Hi)).Add(ddmath.TwoProd(-n, step.Lo))
	// u = exp(r)-1 = r + r^2/2! + ... + r^13/13!
	u := expTerms[len(expTerms)-1]
	for k := len(expTerms) - 2; k >= 0; k-- {
		u = u.MulAdd(r, expTerms[k])
	}
	u = r.Add(u.Mul(r).Mul(r))
	q, j := math.Floor(n/expSteps), int(n)&(expSteps-1)
	e := exp2Table[j].Add(exp2Table[j].Mul(u))
	return math.Ldexp(e.Hi, int(q))
}
