// Package scancursor holds Redis's reverse-binary SCAN cursor, shared by every
// power-of-two hash table in Petrel (the keyspace and the big encodings of
// hashes, sets and sorted sets).
package scancursor

import "math/bits"

// Next returns the cursor after the bucket cursor&mask: the bucket index is
// incremented from its high bits down, so a walk started before the table
// grew or shrank still visits every bucket that holds an element present for
// the whole walk. 0 means the walk is complete.
func Next(cursor, mask uint64) uint64 {
	cursor |= ^mask
	cursor = bits.Reverse64(cursor)
	cursor++
	return bits.Reverse64(cursor)
}
