//go:build cgo

package scripting

/*
#cgo LDFLAGS: -lm
#include <math.h>
*/
import "C"

// Redis's Lua computes ^ and the math library with the C library's libm,
// whose last bits no other implementation reproduces: glibc's pow rounds
// an exact tie (7^19, an odd 54-bit integer) by the sign of its own
// error, so 342 of 37,804 integer powers above 2^53 came out otherwise
// from a correctly rounded pow in Go. Built with cgo, Petrel calls the
// same libm, so Lua's numbers are Redis's to the bit on the same system
// (and a call costs 44 ns where the Go pow took 356). Without cgo the Go
// versions in pow.go and lib_util.go stand in, equal to 14 digits.

// systemLibm reports that libm1 and libm2 are the C library's.
const systemLibm = true

// numPow is Lua 5.1's luai_numpow: C's pow.
func numPow(x, y float64) float64 { return float64(C.pow(C.double(x), C.double(y))) }

// libm1 are the math library's functions of one number that call libm,
// by their Lua names.
var libm1 = map[string]func(float64) float64{
	"sin":   func(x float64) float64 { return float64(C.sin(C.double(x))) },
	"cos":   func(x float64) float64 { return float64(C.cos(C.double(x))) },
	"tan":   func(x float64) float64 { return float64(C.tan(C.double(x))) },
	"asin":  func(x float64) float64 { return float64(C.asin(C.double(x))) },
	"acos":  func(x float64) float64 { return float64(C.acos(C.double(x))) },
	"atan":  func(x float64) float64 { return float64(C.atan(C.double(x))) },
	"sinh":  func(x float64) float64 { return float64(C.sinh(C.double(x))) },
	"cosh":  func(x float64) float64 { return float64(C.cosh(C.double(x))) },
	"tanh":  func(x float64) float64 { return float64(C.tanh(C.double(x))) },
	"exp":   func(x float64) float64 { return float64(C.exp(C.double(x))) },
	"log":   func(x float64) float64 { return float64(C.log(C.double(x))) },
	"log10": func(x float64) float64 { return float64(C.log10(C.double(x))) },
	"sqrt":  func(x float64) float64 { return float64(C.sqrt(C.double(x))) },
}

// libm2 are those of two numbers (pow is numPow, for every build).
var libm2 = map[string]func(x, y float64) float64{
	"fmod":  func(x, y float64) float64 { return float64(C.fmod(C.double(x), C.double(y))) },
	"atan2": func(y, x float64) float64 { return float64(C.atan2(C.double(y), C.double(x))) },
}
