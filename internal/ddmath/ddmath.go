// Package ddmath is double-double arithmetic: a number carried as the
// unevaluated sum of two float64s, about 106 significant bits. Functions
// that must round as glibc's do (geo distances, Lua's pow) compute in it
// and round once.
package ddmath

import "math"

// DD is the number Hi+Lo with |Lo| at most half an ulp of Hi, so Hi is the
// sum rounded to a float64.
type DD struct{ Hi, Lo float64 }

// TwoSum is a+b exactly: the rounded sum and its error.
func TwoSum(a, b float64) DD {
	s := a + b
	bb := s - a
	return DD{s, (a - (s - bb)) + (b - bb)}
}

// FastTwoSum is TwoSum for |a| >= |b| (or a == 0).
func FastTwoSum(a, b float64) DD {
	s := a + b
	return DD{s, b - (s - a)}
}

// TwoProd is a*b exactly: the rounded product and its error.
func TwoProd(a, b float64) DD {
	p := a * b
	return DD{p, math.FMA(a, b, -p)}
}

// Add is x+y.
func (x DD) Add(y DD) DD {
	s := TwoSum(x.Hi, y.Hi)
	t := TwoSum(x.Lo, y.Lo)
	s = FastTwoSum(s.Hi, s.Lo+t.Hi)
	return FastTwoSum(s.Hi, s.Lo+t.Lo)
}

// Mul is x*y.
func (x DD) Mul(y DD) DD {
	p := TwoProd(x.Hi, y.Hi)
	return FastTwoSum(p.Hi, p.Lo+(x.Hi*y.Lo+x.Lo*y.Hi))
}

// MulFloat is x*y for a float64 y.
func (x DD) MulFloat(y float64) DD {
	p := TwoProd(x.Hi, y)
	return FastTwoSum(p.Hi, p.Lo+x.Lo*y)
}

// MulAdd is x*y + a with one rounding for the sum's low parts: exact
// enough where no cancellation happens, as in the Horner steps of a series
// whose terms fall fast.
func (x DD) MulAdd(y, a DD) DD {
	p := x.Mul(y)
	s := TwoSum(p.Hi, a.Hi)
	return FastTwoSum(s.Hi, s.Lo+p.Lo+a.Lo)
}

// Div is x/y, by three quotient digits.
func (x DD) Div(y DD) DD {
	q1 := x.Hi / y.Hi
	r := x.Add(y.MulFloat(-q1))
	q2 := r.Hi / y.Hi
	r = r.Add(y.MulFloat(-q2))
	q3 := r.Hi / y.Hi
	return FastTwoSum(q1, q2).Add(DD{q3, 0})
}

// Sqrt is the square root of x > 0, by one Newton step from float64's.
func (x DD) Sqrt() DD {
	y := math.Sqrt(x.Hi)
	r := x.Add(TwoProd(-y, y)) // x - y*y
	return FastTwoSum(y, r.Hi/(2*y))
}
