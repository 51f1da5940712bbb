package aof

import "strconv"

// AppendCommand appends args to dst as Redis writes a command to the AOF:
// a RESP multibulk, "*<n>\r\n" then "$<len>\r\n<arg>\r\n" per argument.
func AppendCommand(dst []byte, args [][]byte) []byte {
	dst = append(dst, '*')
	dst = strconv.AppendInt(dst, int64(len(args)), 10)
	dst = append(dst, '\r', '\n')
	for _, a := range args {
		dst = appendBulk(dst, a)
	}
	return dst
}

// AppendCommandStrings is AppendCommand for string arguments.
func AppendCommandStrings(dst []byte, args ...string) []byte {
	dst = append(dst, '*')
	dst = strconv.AppendInt(dst, int64(len(args)), 10)
	dst = append(dst, '\r', '\n')
	for _, a := range args {
		dst = append(dst, '$')
		dst = strconv.AppendInt(dst, int64(len(a)), 10)
		dst = append(dst, '\r', '\n')
		dst = append(dst, a...)
		dst = append(dst, '\r', '\n')
	}
	return dst
}

func appendBulk(dst, a []byte) []byte {
	dst = append(dst, '$')
	dst = strconv.AppendInt(dst, int64(len(a)), 10)
	dst = append(dst, '\r', '\n')
	dst = append(dst, a...)
	return append(dst, '\r', '\n')
}

// AppendSelect appends the SELECT Redis writes before a command of another
// database than the last one: "*2\r\n$6\r\nSELECT\r\n$<n>\r\n<db>\r\n".
func AppendSelect(dst []byte, db int) []byte {
	var num [20]byte
	n := strconv.AppendInt(num[:0], int64(db), 10)
	dst = append(dst, "*2\r\n$6\r\nSELECT\r\n"...)
	return appendBulk(dst, n)
}

// AppendTimestamp appends the annotation Redis writes with
// aof-timestamp-enabled yes before the first command of each new second:
// "#TS:<unix seconds>\r\n". Loaders skip it; redis-check-aof
// --truncate-to-timestamp cuts the file at one.
func AppendTimestamp(dst []byte, unixSeconds int64) []byte {
	dst = append(dst, "#TS:"...)
	dst = strconv.AppendInt(dst, unixSeconds, 10)
	return append(dst, '\r', '\n')
}
