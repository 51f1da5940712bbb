//go:build cgo

package scripting

import "testing"

// Built with cgo, ^ and the math library are the C library's to the last
// bit, where the Go versions differ: an exact tie of pow (7^19 is an odd
// 54-bit integer, rounded by glibc's own error), sin of a huge argument,
// exp. Replies from Redis 7.0.15 on Debian 12 (glibc 2.36).
var systemLibmCases = []libCase{
	{2, `return string.format('%.17g', 7^19)`, "$17\r\n11398895185373144\r\n"},
	{2, `local x = 3 return string.format('%.17g', x^34)`, "$17\r\n16677181699666570\r\n"},
	{2, `local x = 285 return string.format('%.17g', x^9)`, "$22\r\n1.2405199131609485e+22\r\n"},
	{2, `return string.format('%.17g', math.pow(3, 34))`, "$17\r\n16677181699666570\r\n"},
	{2, `return string.format('%.17g', math.sin(1e22))`, "$20\r\n-0.85220084976718879\r\n"},
	{2, `return string.format('%.17g', math.exp(1.5))`, "$18\r\n4.4816890703380645\r\n"},
	{2, `return string.format('%.17g', math.tan(1e300))`, "$18\r\n1.4214488238747245\r\n"},
	{2, `return string.format('%.17g', math.atan2(1, 3))`, "$19\r\n0.32175055439664219\r\n"},
	{2, `return tostring(math.asin(2)) .. tostring(math.fmod(1, 0)) .. tostring(math.log10(-1))`, "$10\r\nnan-nannan\r\n"},
}

func TestSystemLibmGivesRedissBits(t *testing.T) { runLibCases(t, systemLibmCases) }
