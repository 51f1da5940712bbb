//go:build !cgo

package integration

// serverHasSystemLibm reports that the server under test computes Lua's
// math with the C library's libm: built without cgo it does not, and the
// results of libm's functions are compared to 12 digits (steer B).
const serverHasSystemLibm = false
