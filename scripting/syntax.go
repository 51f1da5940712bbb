package scripting

import (
	"regexp"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// gopher-lua reports "name line:N(column:M) near 'tok':   message"; Lua
// 5.1 says "name:N: message near 'tok'".
var parseErrRe = regexp.MustCompile(`^(.*) line:(\d+)\(column:\d+\) near '(.*)':\s*(.*)$`)

// syntaxError rewrites a compile error into Lua 5.1's form.
func syntaxError(err error, name string, lines int) error {
	msg := err.Error()
	if ae, ok := err.(*lua.ApiError); ok {
		msg = ae.Object.String()
	}
	msg = strings.TrimSpace(msg)
	if m := parseErrRe.FindStringSubmatch(msg); m != nil {
		tok, text := m[3], m[4]
		if tok == "EOF" {
			tok = "<eof>"
		}
		switch text {
		case "syntax error", "parse error":
			text = "unexpected symbol"
		}
		return plainError(m[1] + ":" + m[2] + ": " + text + " near '" + tok + "'")
	}
	if rest, ok := strings.CutPrefix(msg, name+" at EOF:"); ok {
		text := strings.TrimSpace(rest)
		switch text {
		case "unterminated string":
			text = "unfinished string"
		case "unterminated multiline string":
			text = "unfinished long string"
		case "syntax error", "parse error":
			text = "unexpected symbol"
		}
		return plainError(name + ":" + strconv.Itoa(lines) + ": " + text + " near '<eof>'")
	}
	if !strings.HasPrefix(msg, name) {
		msg = name + ":1: " + msg
	}
	return plainError(msg)
}

type plainError string

func (e plainError) Error() string { return string(e) }
