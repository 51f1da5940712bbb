package rdb

import "hash/crc64"

// Redis checksums RDB files and DUMP payloads with CRC-64-Jones: the
// polynomial 0xad93d23594c935a9, reflected input and output, an initial
// value of 0 and no final XOR. The standard library computes reflected
// CRC-64s from the bit-reversed polynomial, but with an initial value and
// final XOR of all ones; complementing before and after cancels both.

// jonesReflected is 0xad93d23594c935a9 with its bits reversed.
const jonesReflected = 0x95ac9329ac4bc9b5

var jonesTable = crc64.MakeTable(jonesReflected)

// CRC64 extends the running checksum crc (0 to start) with p and returns
// the result, as Redis's crc64(crc, p, len) does.
func CRC64(crc uint64, p []byte) uint64 {
	return ^crc64.Update(^crc, jonesTable, p)
}
