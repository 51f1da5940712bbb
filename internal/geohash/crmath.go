package geohash

import (
	"math"
	"math/big"

	"petrel/internal/ddmath"
)

// Redis computes distances with the C library's sin, cos and asin. glibc's
// are within a hair of correctly rounded (one or two results in a thousand
// are off by one unit in the last place), while Go's math package differs
// from them in the last bit for about a quarter of all arguments, which is
// enough to change a printed distance now and then. The versions below
// evaluate in double-double arithmetic (about 106 significant bits) and
// round once, so they return the correctly rounded result, which is what
// glibc returns nearly always.

type dd = ddmath.DD

// kernelTerms is enough Taylor terms for 2^-110 relative accuracy on
// |r| <= pi/4 (the largest omitted term of either series is below 1e-35).
const kernelTerms = 16

var (
	// sinCoef[k] = (-1)^k/(2k+1)!, cosCoef[k] = (-1)^k/(2k)!.
	sinCoef, cosCoef [kernelTerms]dd
	// pi/2 as the sum of three doubles, for the argument reduction.
	pio2 = [3]float64{
		0x1.921fb54442d18p+0,
		0x1.1a62633145c07p-54,
		-0x1.f1976b7ed8fbcp-110,
	}
)

const twoOverPi = 0x1.45f306dc9c883p-1

func init() {
	const prec = 256
	fact := new(big.Float).SetPrec(prec).SetInt64(1)
	one := new(big.Float).SetPrec(prec).SetInt64(1)
	term := func(n int) dd {
		v := new(big.Float).SetPrec(prec).Quo(one, fact)
		if n%4 >= 2 {
			v.Neg(v)
		}
		hi, _ := v.Float64()
		rest := new(big.Float).SetPrec(prec).Sub(v, new(big.Float).SetFloat64(hi))
		lo, _ := rest.Float64()
		return dd{Hi: hi, Lo: lo}
	}
	for n := 0; n < 2*kernelTerms; n++ {
		if n > 0 {
			fact.Mul(fact, new(big.Float).SetInt64(int64(n)))
		}
		if n%2 == 0 {
			cosCoef[n/2] = term(n)
		} else {
			sinCoef[n/2] = term(n)
		}
	}
}

// reduce returns r = x - k*pi/2 and k mod 4, for |x| below 2^40.
func reduce(x float64) (dd, int) {
	if math.Abs(x) <= math.Pi/4 {
		return dd{Hi: x}, 0
	}
	k := math.Round(x * twoOverPi)
	r := dd{Hi: x}.Add(ddmath.TwoProd(-k, pio2[0])).Add(ddmath.TwoProd(-k, pio2[1]))
	r = r.Add(dd{Hi: -k * pio2[2]})
	return r, int(int64(k) & 3)
}

// series evaluates sum c[k]*z^k in double-double by Horner's rule.
func series(c *[kernelTerms]dd, z dd) dd {
	p := c[kernelTerms-1]
	for k := kernelTerms - 2; k >= 0; k-- {
		p = p.Mul(z).Add(c[k])
	}
	return p
}

// kernel returns sin(r) (cos(r) if cos) for |r| <= pi/4 in double-double,
// good to about 2^-104: the slow path, and the source of the tables.
func kernel(r dd, cos bool) dd {
	z := r.Mul(r)
	if cos {
		return series(&cosCoef, z)
	}
	return series(&sinCoef, z).Mul(r)
}

// The fast path splits r = a + b with a = i/64 and |b| <= 1/128, takes
// sin(a) and cos(a) from tables (double-double) and sums
// sin(a+b) = sin(a) + cos(a)*b + [cos(a)*(sin(b)-b) + sin(a)*(cos(b)-1)]
// (likewise for cos), the bracket, tiny, in plain float64.
const tabScale = 64

var sinTab, cosTab [52]dd

func init() {
	for i := range sinTab {
		a := dd{Hi: float64(i) / tabScale}
		sinTab[i] = kernel(a, false)
		cosTab[i] = kernel(a, true)
	}
}

// tableKernel returns sin(r) (cos(r) if cos) for |r| <= pi/4 plus a
// rounding error of r's reduction, with a bound on its error.
func tableKernel(r dd, cos bool) (dd, float64) {
	neg := r.Hi < 0
	x, l := r.Hi, r.Lo
	if neg {
		x, l = -x, -l
	}
	i := int(x*tabScale + 0.5)
	b := x - float64(i)/tabScale // exact
	S, C := sinTab[i], cosTab[i]
	b2 := b * b
	sm := b * b2 * (-1.0/6 + b2*(1.0/120+b2*(-1.0/5040))) // sin(b) - b
	cm := b2 * (-0.5 + b2*(1.0/24+b2*(-1.0/720)))         // cos(b) - 1
	var s, e, pe, t1, t2, t3, t4 float64
	if !cos {
		p := ddmath.TwoProd(C.Hi, b)
		se := ddmath.TwoSum(S.Hi, p.Hi)
		s, e, pe = se.Hi, se.Lo, p.Lo
		t1, t2 = C.Hi*sm, S.Hi*cm
		t3 = l * (C.Hi - S.Hi*b)
		t4 = C.Lo*b + S.Lo + pe
	} else {
		p := ddmath.TwoProd(S.Hi, b)
		se := ddmath.TwoSum(C.Hi, -p.Hi)
		s, e, pe = se.Hi, se.Lo, p.Lo
		t1, t2 = C.Hi*cm, -(S.Hi * sm)
		t3 = -(l * (S.Hi + C.Hi*b))
		t4 = C.Lo - S.Lo*b - pe
	}
	sum := ddmath.FastTwoSum(s, e+(t1+t2+t3+t4))
	hi, lo := sum.Hi, sum.Lo
	// Bounds: the float64 terms' rounding, the series' truncation (the
	// next terms, b^8/8! and b^9/9!), the second-order terms of l, and
	// the tables' own error.
	mag := math.Abs(t1) + math.Abs(t2) + math.Abs(t3) + math.Abs(t4) + math.Abs(e)
	err := mag*0x1p-50 + b2*b2*b2*b2*(1.0/40000) + math.Abs(l)*(b2+math.Abs(b)+math.Abs(l)) +
		(math.Abs(S.Hi)+math.Abs(C.Hi))*0x1p-100 + math.Abs(hi)*0x1p-100
	if neg && !cos {
		hi, lo = -hi, -lo
	}
	return dd{Hi: hi, Lo: lo}, err
}

// rounded returns v's nearest float64 when every value within eb of v has
// the same one.
func rounded(v dd, eb float64) (float64, bool) {
	a := v.Hi + (v.Lo - eb)
	b := v.Hi + (v.Lo + eb)
	return a, a == b
}

// reducible bounds the arguments reduce handles; beyond it (where Redis's
// results do not depend on the value) the math package answers.
const reducible = 0x1p40

// sinCos returns sin(x), or cos(x) if cos, in double-double: with fast
// from the tables, with a bound on the error; otherwise from the full
// series, good to about 2^-100 (the bound returned is then 0).
func sinCos(x float64, cos, fast bool) (dd, float64) {
	r, q := reduce(x)
	if cos {
		q++
	}
	var v dd
	var e float64
	if fast {
		v, e = tableKernel(r, q&1 == 1)
		e += math.Abs(x) * 0x1p-100
	} else {
		v = kernel(r, q&1 == 1)
	}
	if q&2 != 0 {
		v = dd{Hi: -v.Hi, Lo: -v.Lo}
	}
	return v, e
}

// trig is Sin and Cos: the tables first, the full series when they cannot
// decide the rounding (about one call in a few hundred).
func trig(x float64, cos bool) float64 {
	v, e := sinCos(x, cos, true)
	if y, ok := rounded(v, e); ok {
		return y
	}
	v, _ = sinCos(x, cos, false)
	return v.Hi
}

// Sin returns sin(x) correctly rounded.
func Sin(x float64) float64 {
	if x == 0 || !(math.Abs(x) < reducible) {
		return math.Sin(x)
	}
	return trig(x, false)
}

// Cos returns cos(x) correctly rounded.
func Cos(x float64) float64 {
	if !(math.Abs(x) < reducible) {
		return math.Cos(x)
	}
	return trig(x, true)
}

// negNaN is the NaN x86 arithmetic produces for an invalid operation
// (sign bit set), which is what glibc's asin returns outside [-1, 1] and
// what C's printf then prints as "-nan".
var negNaN = math.Float64frombits(0xfff8000000000000)

// Asin returns asin(x) correctly rounded: one Newton step on sin(y) = x
// from the math package's estimate y, with the residual sin(y)-x in
// double-double.
func Asin(x float64) float64 {
	switch {
	case x != x || x > 1 || x < -1:
		return negNaN
	case x == 0:
		return x
	case x == 1 || x == -1:
		return math.Copysign(pio2[0], x)
	}
	y := math.Asin(x)
	c := math.Sqrt((1 - x) * (1 + x)) // cos(y), to a few ulps
	s, e := sinCos(y, false, true)
	res := s.Add(dd{Hi: -x})
	d := (res.Hi + res.Lo) / c
	// Bounds: the residual's error, the quotient's error (c is off by a
	// few ulps), and Newton's quadratic term tan(y)*d^2/2 (doubled).
	eb := e/c*1.01 + math.Abs(d)*0x1p-48 + math.Abs(x/c)*d*d
	if lo, hi := y-(d-eb), y-(d+eb); lo == hi {
		return lo
	}
	s, _ = sinCos(y, false, false)
	res = s.Add(dd{Hi: -x})
	return y - (res.Hi+res.Lo)/c
}
