package aof

// The manifest quotes file names the way redis-cli and redis.conf quote
// arguments: Redis writes them with its "repr" quoting when needed and reads
// lines with its argument splitter. Both are reimplemented here from their
// observable behaviour.

// isCSpace reports whether c is a C isspace character.
func isCSpace(c byte) bool {
	return c == ' ' || (c >= '\t' && c <= '\r')
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func hexVal(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// splitArgs splits line into arguments as Redis's argument splitter does:
// whitespace-separated words; "double quotes" with \xHH, \n, \r, \t, \b, \a
// and \<char> escapes; 'single quotes' with only \' escaped. A quoted part
// may start in the middle of a word, but a closing quote must be followed
// by whitespace or the end of the line; an unterminated quote is an error.
// line must hold no NUL byte (Redis sees a C string).
func splitArgs(line string) ([]string, bool) {
	var args []string
	i := 0
	for {
		for i < len(line) && isCSpace(line[i]) {
			i++
		}
		if i >= len(line) {
			return args, true
		}
		var cur []byte
		inDouble, inSingle := false, false
	word:
		for {
			switch {
			case inDouble:
				if i >= len(line) {
					return nil, false // unterminated quotes
				}
				c := line[i]
				switch {
				case c == '\\' && i+3 < len(line) && line[i+1] == 'x' && isHex(line[i+2]) && isHex(line[i+3]):
					cur = append(cur, hexVal(line[i+2])<<4|hexVal(line[i+3]))
					i += 3
				case c == '\\' && i+1 < len(line):
					i++
					switch e := line[i]; e {
					case 'n':
						cur = append(cur, '\n')
					case 'r':
						cur = append(cur, '\r')
					case 't':
						cur = append(cur, '\t')
					case 'b':
						cur = append(cur, '\b')
					case 'a':
						cur = append(cur, '\a')
					default:
						cur = append(cur, e)
					}
				case c == '"':
					if i+1 < len(line) && !isCSpace(line[i+1]) {
						return nil, false
					}
					i++
					break word
				default:
					cur = append(cur, c)
				}
				i++
			case inSingle:
				if i >= len(line) {
					return nil, false
				}
				c := line[i]
				switch {
				case c == '\\' && i+1 < len(line) && line[i+1] == '\'':
					cur = append(cur, '\'')
					i++
				case c == '\'':
					if i+1 < len(line) && !isCSpace(line[i+1]) {
						return nil, false
					}
					i++
					break word
				default:
					cur = append(cur, c)
				}
				i++
			default:
				if i >= len(line) {
					break word
				}
				switch c := line[i]; c {
				case ' ', '\n', '\r', '\t':
					break word
				case '"':
					inDouble = true
				case '\'':
					inSingle = true
				default:
					cur = append(cur, c)
				}
				i++
			}
		}
		args = append(args, string(cur))
	}
}

// needsRepr reports whether Redis quotes s when it writes it to the
// manifest: it holds a space, a quote, a backslash or a byte that is not
// printable ASCII.
func needsRepr(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' || c == '"' || isCSpace(c) || c < 0x20 || c > 0x7e {
			return true
		}
	}
	return false
}

// appendRepr appends s double-quoted as Redis's repr writes it: \\, \",
// \n, \r, \t, \a, \b, printable ASCII as is, other bytes as \xhh.
func appendRepr(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\', '"':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		case '\a':
			dst = append(dst, '\\', 'a')
		case '\b':
			dst = append(dst, '\\', 'b')
		default:
			if c >= 0x20 && c <= 0x7e {
				dst = append(dst, c)
			} else {
				dst = append(dst, '\\', 'x', hex[c>>4], hex[c&15])
			}
		}
	}
	return append(dst, '"')
}
