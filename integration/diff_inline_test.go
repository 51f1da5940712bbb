package integration

import (
	"strings"
	"testing"
)

// inline sends one inline command line (CRLF added) and reads one reply.
func inline(line string) step { return raw(1, line+"\r\n", 1) }

// TestDiffInlineCommands compares inline (telnet-style) commands: quoting,
// escapes, whitespace, line endings and mixing with RESP arrays.
func TestDiffInlineCommands(t *testing.T) {
	runSequences(t, []sequence{
		{name: "basic", steps: steps(
			inline("PING"), inline("ping hello"), inline("SET k v"), inline("GET k"), inline("  GET   k  "),
			inline("\tECHO\tx\t"), raw(1, "PING\n", 1), raw(1, "ECHO a\nECHO b\r\n", 2), inline("NOSUCH a b"),
			inline("GET"), inline("SET k"), inline("MGET k missing"),
		)},
		{name: "quotes-and-escapes", steps: steps(
			inline(`SET k "hello world"`), inline("GET k"), inline(`SET k 'single quoted'`), inline("GET k"),
			inline(`SET k "\x41\x42\x00\xff"`), inline("GET k"), inline(`ECHO "a\nb\tc\\d\"e"`),
			inline(`ECHO "\xZZ"`), inline(`ECHO "\x4"`), inline(`ECHO 'it\'s'`), inline(`ECHO 'a\nb'`),
			inline(`ECHO ""`), inline(`SET "" empty`), inline(`GET ""`), inline(`ECHO "\a\b\r"`),
			inline(`ECHO "x\"y"`), inline(`"ECHO" "quoted command"`), inline(`ECHO "one" 'two'`),
			inline(`ECHO  "spaced"   `), inline(`ECHO "caf\xc3\xa9"`),
		)},
		{name: "binary-and-long", steps: steps(
			raw(1, "ECHO \x01\x02\r\n", 1),
			inline("ECHO "+strings.Repeat("a", 60*1024)), inline("SET big "+strings.Repeat("b", 30*1024)),
			"STRLEN big",
		)},
		// Redis looks for the end of an inline line with strchr, which stops
		// at a NUL byte: the line never ends, until it is too long.
		{name: "nul-byte-hides-the-line-end", steps: steps(
			raw(1, "ECHO a\x00b\r\n", -1), "!state", raw(1, "PING\r\n", -1), protoErr(strings.Repeat("x", 65*1024)),
		)},
		{name: "mixed-with-multibulk", steps: steps(
			raw(1, "SET a 1\r\n*2\r\n$3\r\nGET\r\n$1\r\na\r\nINCR a\r\n*1\r\n$4\r\nPING\r\n", 4), inline("GET a"),
		)},
		{name: "inline-in-transaction", steps: steps(
			inline("MULTI"), inline("SET a 1"), inline("INCR a"), inline("EXEC"),
		)},
	})
}
