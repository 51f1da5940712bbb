package integration

import (
	"strings"
	"testing"
)

// protoErr is a raw step sending malformed input: the reply and whether
// the connection is then closed must match (Redis replies once and closes).
func protoErr(data string) step { return raw(1, data, -1) }

// TestDiffProtocolErrors sends malformed requests and compares the error
// reply and that the connection gets closed.
func TestDiffProtocolErrors(t *testing.T) {
	over := strings.Repeat("1", 70*1024)
	runSequences(t, []sequence{
		{name: "invalid-multibulk-length", steps: steps(protoErr("*abc\r\n"))},
		{name: "multibulk-length-plus-sign", steps: steps(protoErr("*+1\r\n$4\r\nPING\r\n"))},
		{name: "multibulk-length-too-large", steps: steps(protoErr("*3000000000\r\n"))},
		{name: "multibulk-length-leading-zero", steps: steps(protoErr("*01\r\n$4\r\nPING\r\n"))},
		{name: "invalid-bulk-length", steps: steps(protoErr("*1\r\n$abc\r\n"))},
		{name: "negative-bulk-length", steps: steps(protoErr("*1\r\n$-1\r\n"))},
		{name: "bulk-length-leading-zero", steps: steps(protoErr("*1\r\n$04\r\nPING\r\n"))},
		{name: "bulk-length-over-proto-max", steps: steps(protoErr("*1\r\n$536870913\r\n"))},
		{name: "expected-dollar", steps: steps(protoErr("*1\r\nfoo\r\n"))},
		{name: "expected-dollar-got-colon", steps: steps(protoErr("*2\r\n$3\r\nGET\r\n:5\r\n"))},
		{name: "expected-dollar-after-command", steps: steps("PING", protoErr("*1\r\n*1\r\n"), "PING")},
		{name: "unbalanced-double-quote", steps: steps(protoErr("SET \"foo bar\r\n"))},
		{name: "unbalanced-single-quote", steps: steps(protoErr("SET 'foo bar\r\n"))},
		{name: "quote-not-followed-by-space", steps: steps(protoErr("SET \"a\"b c\r\n"))},
		{name: "too-big-inline", steps: steps(protoErr(strings.Repeat("a", 65*1024)))},
		{name: "too-big-mbulk-count", steps: steps(protoErr("*" + over))},
		{name: "too-big-bulk-count", steps: steps(protoErr("*1\r\n$" + over))},
		{name: "replies-before-error-are-kept", steps: steps(
			protoErr("PING\r\n*1\r\n$4\r\nECHO\r\n*1\r\n$x\r\nPING\r\n"))},
		{name: "empty-and-negative-multibulk-ignored", steps: steps(
			raw(1, "*0\r\n*-1\r\n*-5\r\n\r\n   \r\n\n*1\r\n$4\r\nPING\r\n", 1), "PING", "!state")},
		{name: "bulk-not-followed-by-crlf", steps: steps(raw(1, "*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n", 2), "!state")},
		{name: "unauthenticated-multibulk-length", args: []string{"--requirepass", "pw"},
			steps: steps(raw(1, "*10\r\n$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n", 1),
				protoErr("*11\r\n"))},
		{name: "unauthenticated-bulk-length", args: []string{"--requirepass", "pw"},
			steps: steps(raw(1, "*1\r\n$16384\r\n"+strings.Repeat("a", 16384)+"\r\n", 1), protoErr("*1\r\n$16385\r\n"))},
		{name: "authenticated-limits-lifted", args: []string{"--requirepass", "pw"},
			steps: steps("AUTH pw", raw(1, "*1\r\n$16385\r\n"+strings.Repeat("a", 16385)+"\r\n", 1), "PING")},
		{name: "proto-max-bulk-len-directive", args: []string{"--proto-max-bulk-len", "1mb"},
			steps: steps(cmd("SET", "k", strings.Repeat("v", 1<<20)), "STRLEN k", protoErr("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048577\r\n"))},
	})
}
