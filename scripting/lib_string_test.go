package scripting

import "testing"

// string.format and math.huge, replies from Redis 7.0.15: Lua 5.1's
// str_format, not Go's fmt.
var stringFormatCases = []libCase{
	{2, `return string.format('%q', 'a\0b')`, "$8\r\n\"a\\000b\"\r\n"},
	{2, `return tostring(math.huge)`, "$3\r\ninf\r\n"},
	{2, `return tostring(-math.huge)`, "$4\r\n-inf\r\n"},
	{2, `return string.format('%q', 'a\tb\rc\nd"e\\f\1g\127')`, "$20\r\n\"a\tb\\rc\\\nd\\\"e\\\\f\x01g\x7f\"\r\n"},
	{2, `return string.format('%q', 1/3)`, "$18\r\n\"0.33333333333333\"\r\n"},
	{2, `return string.format('%u', 42)`, "$2\r\n42\r\n"},
	{2, `return string.format('%s', 1e15)`, "$5\r\n1e+15\r\n"},
	{2, `return string.format('%d')`, "-ERR user_script:1: bad argument #2 to 'format' (no value) script: 05feaa4990f14508c855a12844d0665b829def5d, on @user_script:1.\r\n"},
	{2, `return string.format('%s', {})`, "-ERR user_script:1: bad argument #2 to 'format' (string expected, got table) script: 3c9c328b683d6b87a64824dbbb55beda22972a19, on @user_script:1.\r\n"},
	{2, `return string.format('%y', 1)`, "-ERR user_script:1: invalid option '%y' to 'format' script: 5f049edbcb538c8748f6d1d19449a7474c6106bf, on @user_script:1.\r\n"},
	{2, `return string.format('%d', 'x')`, "-ERR user_script:1: bad argument #2 to 'format' (number expected, got string) script: cd4fadd5027450767b6391819f084394d5c4916f, on @user_script:1.\r\n"},
	{2, `return string.format('%123d', 1)`, "-ERR user_script:1: invalid format (width or precision too long) script: 475062df53820d5b6542e3c4f4d7fdce9130e51a, on @user_script:1.\r\n"},
	{2, `return string.format('%------d', 1)`, "-ERR user_script:1: invalid format (repeated flags) script: 2064020ab422770ed832035c410626d931281393, on @user_script:1.\r\n"},
	{2, `return string.format('%-+ #0d', 1)`, "$2\r\n+1\r\n"},
	{2, `return string.format('%s')`, "-ERR user_script:1: bad argument #2 to 'format' (no value) script: cf510df316aa2a8bf28399bd97b441488fb61f9e, on @user_script:1.\r\n"},
	{2, `return string.format('%s', true)`, "-ERR user_script:1: bad argument #2 to 'format' (string expected, got boolean) script: a26d9591869184cf02f7173e93fd3cd8c6962f37, on @user_script:1.\r\n"},
	{2, `return string.format('%5.1f', 1/0)`, "$5\r\n  inf\r\n"},
	{2, `return string.format('%f', -1/0)`, "$4\r\n-inf\r\n"},
	{2, `return string.format('%f', 0/0)`, "$4\r\n-nan\r\n"},
	{2, `return string.format('%x', -1)`, "$16\r\nffffffffffffffff\r\n"},
	{2, `return string.format('%c', 256+65)`, "$1\r\nA\r\n"},
	{2, `return string.format()`, "-ERR user_script:1: bad argument #1 to 'format' (string expected, got no value) script: ddb6e5ff8bc518fef03b57c74ce0c5114dc72779, on @user_script:1.\r\n"},
	{2, `return string.format(12)`, "$2\r\n12\r\n"},
	{2, `return string.format('%q', {})`, "-ERR user_script:1: bad argument #2 to 'format' (string expected, got table) script: 5df44c75c071b5bc1134e706702fe3ed4a42dcfc, on @user_script:1.\r\n"},
	{2, `return string.format('%5q', 'a')`, "$3\r\n\"a\"\r\n"},
	{2, `return string.format('%5s|%-5s|', 'ab', 'cd')`, "$12\r\n   ab|cd   |\r\n"},
	{2, `return string.format('%.3s', 'abcdef')`, "$3\r\nabc\r\n"},
	{2, `return string.format('%d', '12')`, "$2\r\n12\r\n"},
	{2, `return string.format('%.20f', 0.1)`, "$22\r\n0.10000000000000000555\r\n"},
	{2, `return string.format('%#x %#o %#X', 255, 8, 0)`, "$10\r\n0xff 010 0\r\n"},
	{2, `return string.format('% d', 5)`, "$2\r\n 5\r\n"},
	{2, `return string.format('%05d', -42)`, "$5\r\n-0042\r\n"},
	{2, `return string.format('%.3d', 7)`, "$3\r\n007\r\n"},
	{2, `return string.format('%g', 100000)`, "$6\r\n100000\r\n"},
	{2, `return string.format('%g', 1000000)`, "$5\r\n1e+06\r\n"},
	{2, `return string.format('%g', 0.0001)`, "$6\r\n0.0001\r\n"},
	{2, `return string.format('%g', 0.00001)`, "$5\r\n1e-05\r\n"},
	{2, `return string.format('%#g', 1.5)`, "$7\r\n1.50000\r\n"},
	{2, `return string.format('%#.3g', 100)`, "$4\r\n100.\r\n"},
	{2, `return string.format('%#.0e', 5)`, "$6\r\n5.e+00\r\n"},
	{2, `return string.format('%#.0f', 5)`, "$2\r\n5.\r\n"},
	{2, `return string.format('%G', 1e-10)`, "$5\r\n1E-10\r\n"},
	{2, `return string.format('%e', 0)`, "$12\r\n0.000000e+00\r\n"},
	{2, `return string.format('%+.3e', -12345.6789)`, "$10\r\n-1.235e+04\r\n"},
	{2, `return string.format('%010.3f', -3.14159)`, "$10\r\n-00003.142\r\n"},
	{2, `return string.format('%-10.2f|', 2.5)`, "$11\r\n2.50      |\r\n"},
	{2, `return string.format('%+5d|% 5d|%-5d|', 3, 3, 3)`, "$18\r\n   +3|    3|3    |\r\n"},
	{2, `return string.format('%.0d', 0)`, "$0\r\n\r\n"},
	{2, `return string.format('%5.0d|', 0)`, "$6\r\n     |\r\n"},
	{2, `return string.format('%o', 8)`, "$2\r\n10\r\n"},
	{2, `return string.format('%X', 3735928559)`, "$8\r\nDEADBEEF\r\n"},
	{2, `return string.format('%d', 2^63)`, "$20\r\n-9223372036854775808\r\n"},
	{2, `return string.format('%d', -2^63)`, "$20\r\n-9223372036854775808\r\n"},
	{2, `return string.format('%d', 3.99)`, "$1\r\n3\r\n"},
	{2, `return string.format('%d', -3.99)`, "$2\r\n-3\r\n"},
	{2, `return string.format('%x', 2^53)`, "$14\r\n20000000000000\r\n"},
	{2, `return string.format('%c', 0)`, "$0\r\n\r\n"},
	{2, `return string.format('%5c|', 0)`, "$5\r\n    |\r\n"},
	{2, `return string.format('%s', 'a\0b')`, "$1\r\na\r\n"},
	{2, `return string.format('%.1s', 'a\0b')`, "$1\r\na\r\n"},
	{2, `return string.format('%s', string.rep('a\0', 60))`, "$120\r\na\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00a\x00\r\n"},
	{2, `return string.format('%', 1)`, "-ERR user_script:1: invalid option '%' to 'format' script: 33e39762b58c8d3749f9c101b7ca17511b053fda, on @user_script:1.\r\n"},
	{2, `return string.format('%')`, "-ERR user_script:1: bad argument #2 to 'format' (no value) script: 84043fe815d9bb4ba161d6a72e635de06d51317d, on @user_script:1.\r\n"},
	{2, `return string.format('abc %% def')`, "$9\r\nabc % def\r\n"},
	{2, `return string.format('%5%')`, "-ERR user_script:1: bad argument #2 to 'format' (no value) script: 9862f2c45b7a2d8c8357a913819bf45278121ad0, on @user_script:1.\r\n"},
	{2, `return string.format('%s %s', 1, 2.5)`, "$5\r\n1 2.5\r\n"},
	{2, `return string.format('%s', -0)`, "$2\r\n-0\r\n"},
	{2, `return string.format('%d', -0)`, "$1\r\n0\r\n"},
	{2, `return string.format('%.14g', 2^53)`, "$18\r\n9.007199254741e+15\r\n"},
	{2, `return string.format('%.99f', 1)`, "$101\r\n1.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000\r\n"},
	{2, `return string.format('%99.2f|', 1)`, "$100\r\n                                                                                               1.00|\r\n"},
	{2, `return string.format('%s', 0/0)`, "$4\r\n-nan\r\n"},
	{2, `return string.format('%i', 7)`, "$1\r\n7\r\n"},
	{2, `return string.format('%5.2s|', 'xyz')`, "$6\r\n   xy|\r\n"},
	{2, `return ('%d items'):format(3)`, "$7\r\n3 items\r\n"},
	{2, `return string.format('%E', 1/0)`, "$3\r\nINF\r\n"},
	{2, `return string.format('%G', 0/0)`, "$4\r\n-NAN\r\n"},
	{2, `return string.format('%q', 'x\r\n')`, "$7\r\n\"x\\r\\\n\"\r\n"},
	{2, `return string.format('%q', 5)`, "$3\r\n\"5\"\r\n"},
	{2, `return string.format('[%10s]', 'hi')`, "$12\r\n[        hi]\r\n"},
	{2, `return string.format('[%-10s]', 'hi')`, "$12\r\n[hi        ]\r\n"},
	{2, `return string.format('%010s', 'hi')`, "$10\r\n        hi\r\n"},
	{2, `return string.format('%.3q', 'hi')`, "$4\r\n\"hi\"\r\n"},
	{2, `return string.format('%h', 1)`, "-ERR user_script:1: invalid option '%h' to 'format' script: 053e27cb0ef561d2c749075d8fb1dcf82471089c, on @user_script:1.\r\n"},
	{2, `return string.format('%l', 1)`, "-ERR user_script:1: invalid option '%l' to 'format' script: 33e1f4db49ac09fb05ecfc0d7ddbf22458704f5f, on @user_script:1.\r\n"},
	{2, `return string.format('%n', 1)`, "-ERR user_script:1: invalid option '%n' to 'format' script: 26fad8b4e4c50fe34203d6a7009044885243fe05, on @user_script:1.\r\n"},
	{2, `return string.format('%p', 1)`, "-ERR user_script:1: invalid option '%p' to 'format' script: 09220d44ce047b4660512f5a6295bd379e098f97, on @user_script:1.\r\n"},
	{2, `return string.format('%a', 1)`, "-ERR user_script:1: invalid option '%a' to 'format' script: b8ec46ce2a9f4a7c7ce64a2f18a8a02fadb02493, on @user_script:1.\r\n"},
	{2, `return string.format('%s %s', 'only one')`, "-ERR user_script:1: bad argument #3 to 'format' (no value) script: 11106b8f11997625218349fe123404a6b176d33e, on @user_script:1.\r\n"},
}

func TestStringFormatMatchesRedis(t *testing.T) { runLibCases(t, stringFormatCases) }

// string.char, replies from Redis 7.0.15.
var stringCharCases = []libCase{
	{2, `return string.char(72, 101)`, "$2\r\nHe\r\n"},
	{2, `return string.char(256)`, "-ERR user_script:1: bad argument #1 to 'char' (invalid value) script: 3d9288df94e38fc1669acdaeb8b94be37e5c7bf8, on @user_script:1.\r\n"},
	{2, `return string.char(-1)`, "-ERR user_script:1: bad argument #1 to 'char' (invalid value) script: da84441c4b5197fde6ed9b5902123b28d7c90db0, on @user_script:1.\r\n"},
	{2, `return string.char()`, "$0\r\n\r\n"},
	{2, `return string.char(65.9)`, "$1\r\nA\r\n"},
	{2, `return string.char('66')`, "$1\r\nB\r\n"},
	{2, `return string.char('x')`, "-ERR user_script:1: bad argument #1 to 'char' (number expected, got string) script: f32ae05d512bc3c55c4854f6d6600d746907347e, on @user_script:1.\r\n"},
	{2, `return string.char(0, 255)`, "$2\r\n\x00\xff\r\n"},
	{2, `return string.char(1, 2, 300)`, "-ERR user_script:1: bad argument #3 to 'char' (invalid value) script: c5548b506ceb6e0087a85a9fb1845b278916b30d, on @user_script:1.\r\n"},
	{2, `return string.char(2^32 + 65)`, "$1\r\nA\r\n"},
}

func TestStringCharMatchesRedis(t *testing.T) { runLibCases(t, stringCharCases) }

// string.upper and lower change ASCII letters only, byte by byte, as C's
// toupper in the C locale: binary data passes through. Replies from Redis
// 7.0.15.
var stringCaseCases = []libCase{
	{2, `return string.upper("caf\233")`, "$4\r\nCAF\xe9\r\n"},
	{2, `return string.lower("CAF\201\255ÉA")`, "$8\r\ncaf\xc9\xff\xc3\x89a\r\n"},
	{2, `return ("aBc\0dE"):upper()`, "$6\r\nABC\x00DE\r\n"},
	{2, `return ("aBc\0dE"):lower()`, "$6\r\nabc\x00de\r\n"},
	{2, `return string.upper(1e15)`, "$5\r\n1E+15\r\n"},
	{2, `return string.lower()`, "-ERR user_script:1: bad argument #1 to 'lower' (string expected, got no value) script: 02b6d6c2186ed251e33ef5fa3972c15d2e2a142c, on @user_script:1.\r\n"},
	{2, `return {pcall(string.upper, {})}`, "*2\r\n$-1\r\n$51\r\nbad argument #1 to '?' (string expected, got table)\r\n"},
	{2, `return #string.upper(string.rep("\255", 10))`, ":10\r\n"},
}

func TestStringCaseChangesASCIILettersOnly(t *testing.T) { runLibCases(t, stringCaseCases) }

// %o, %u, %x and %X convert as gcc's (unsigned long) of a double does on
// x86-64. Replies from Redis 7.0.15.
var formatUnsignedCases = []libCase{
	{2, `return string.format("% -066o[%.s",2^64,"hello")`, "$67\r\n0                                                                 [\r\n"},
	{2, `return string.format(" %-15o",2^1024)`, "$16\r\n 0              \r\n"},
	{2, `return string.format("%x", 1e300)`, "$1\r\n0\r\n"},
	{2, `return string.format("%x|%X|%o|%u", 2^63, 2^63+2^11, 2^64-2^11, 2^63-1024)`, "$76\r\n8000000000000000|8000000000000800|1777777777777777774000|9223372036854774784\r\n"},
	{2, `return string.format("%x|%u", -1, -1)`, "$37\r\nffffffffffffffff|18446744073709551615\r\n"},
	{2, `return string.format("%x|%u", -2^63, -2^64)`, "$36\r\n8000000000000000|9223372036854775808\r\n"},
	{2, `return string.format("%x|%u|%o", 0/0, -1/0, 1/0)`, "$38\r\n8000000000000000|9223372036854775808|0\r\n"},
	{2, `return string.format("%x", 255.9)`, "$2\r\nff\r\n"},
	{2, `return string.format("%#x|%#o", 255, 8)`, "$8\r\n0xff|010\r\n"},
	{2, `return string.format("%u", 2^53+1)`, "$16\r\n9007199254740992\r\n"},
}

func TestFormatUnsignedConvertsAsC(t *testing.T) { runLibCases(t, formatUnsignedCases) }

// %#g as glibc prints it (checked against glibc 2.36's printf on 20,000
// values): when rounding to the precision carries into a new digit, a
// fixed-point number loses a decimal, or turns exponential with none, and
// 9.999e-05 turns fixed-point.
func TestAltGFormatsAsGlibc(t *testing.T) {
	for _, c := range []struct {
		v    float64
		prec int
		want string
	}{
		{99.5, 2, "1.e+02"}, {9.96, 2, "10."}, {999.7, 2, "1.0e+03"}, {999.7, 3, "1.e+03"},
		{9.5, 1, "1.e+01"}, {9.5, 2, "9.5"}, {0.0009999, 2, "0.0010"}, {9.999e-05, 2, "0.00010"},
		{99999.5, 3, "1.00e+05"}, {100, 3, "100."}, {0, 3, "0.00"}, {95, 2, "95."}, {0.0001, 2, "0.00010"},
		{123456789, 4, "1.235e+08"}, {0.995, 2, "0.99"}, {99.95, 3, "100."},
	} {
		if got := string(appendAltG(nil, c.v, c.prec)); got != c.want {
			t.Errorf("%%#.%dg of %v: %q, want %q", c.prec, c.v, got, c.want)
		}
	}
}
