// Package repr quotes bytes as Redis's sdscatrepr does: the form MONITOR,
// CONFIG REWRITE and redis-cli use for arbitrary binary strings.
package repr

// Append appends b in double quotes, escaping \ " \n \r \t \a \b and
// writing other non-printable bytes as \xHH.
func Append(dst, b []byte) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for _, ch := range b {
		switch ch {
		case '\\', '"':
			dst = append(dst, '\\', ch)
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
			if ch >= 0x20 && ch < 0x7f {
				dst = append(dst, ch)
			} else {
				dst = append(dst, '\\', 'x', hex[ch>>4], hex[ch&15])
			}
		}
	}
	return append(dst, '"')
}

// String returns s quoted.
func String(s string) string { return string(Append(make([]byte, 0, len(s)+2), []byte(s))) }
