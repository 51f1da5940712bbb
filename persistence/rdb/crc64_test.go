package rdb

import "testing"

func TestCRC64MatchesRedisTestVector(t *testing.T) {
	if got := CRC64(0, []byte("123456789")); got != 0xe9c6d914c4b8d9ca {
		t.Fatalf("CRC64(123456789) = %#x, want 0xe9c6d914c4b8d9ca", got)
	}
}

func TestCRC64IsIncremental(t *testing.T) {
	data := []byte("This is a test of the emergency broadcast system.")
	whole := CRC64(0, data)
	for i := range data {
		if got := CRC64(CRC64(0, data[:i]), data[i:]); got != whole {
			t.Fatalf("split at %d: %#x, want %#x", i, got, whole)
		}
	}
}
