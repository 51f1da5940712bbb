//go:build cgo

package integration

// serverHasSystemLibm reports that the server under test, built as this
// test is, computes Lua's math with the C library's libm, as Redis does
// (scripting/libm_cgo.go), so its results are compared to the bit.
const serverHasSystemLibm = true
