//go:build !cgo

package scripting

// Built without cgo, Lua's numbers come from Go: see libm_cgo.go.

// systemLibm reports that libm1 and libm2 are the C library's: here they
// are empty, and installBase takes the Go versions.
const systemLibm = false

// numPow is Lua 5.1's luai_numpow: glibc's pow in Go.
func numPow(x, y float64) float64 { return luaPowNumbers(x, y) }

var (
	libm1 map[string]func(float64) float64
	libm2 map[string]func(x, y float64) float64
)
