package rdb

import (
	"bytes"
	"os"
	"testing"
)

// FuzzReadFile feeds whole RDB files to ReadFile: whatever the bytes, it
// returns an error or the file's contents, never panics, and allocates only
// as the data it reads justifies. Seeded with a file redis-server 7.0.15
// wrote (every type, a TTL, two databases, a function library; made with
// redis-cli and SAVE) and its truncations.
func FuzzReadFile(f *testing.F) {
	seed, err := os.ReadFile("testdata/redis-7.0.15-all-types.rdb")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	for _, n := range []int{9, 30, len(seed) / 2, len(seed) - 9, len(seed) - 1} {
		f.Add(seed[:n])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := Limits{ListMaxListpackSize: -2, SetMaxIntsetEntries: 8, HashMaxListpackEntries: 8,
			HashMaxListpackValue: 16, ZsetMaxListpackEntries: 8, ZsetMaxListpackValue: 16}
		r := NewReader(bytes.NewReader(data), &Options{Deep: true, Limits: &lim})
		// Any error is fine; a panic, a hang or a huge allocation is not.
		ReadFile(r, FileHandler{
			Key:      func(k *Key) error { return nil },
			Function: func(code []byte) error { return nil },
		})
	})
}

// TestReadFileReadsRedisFile pins the fuzz seed: the file Redis wrote reads
// whole, with its 12 keys and one library.
func TestReadFileReadsRedisFile(t *testing.T) {
	seed, err := os.ReadFile("testdata/redis-7.0.15-all-types.rdb")
	if err != nil {
		t.Fatal(err)
	}
	keys, libs := 0, 0
	if _, err := ReadFile(NewReader(bytes.NewReader(seed), &Options{Deep: true}), FileHandler{
		Key:      func(k *Key) error { keys++; return nil },
		Function: func(code []byte) error { libs++; return nil },
	}); err != nil {
		t.Fatal(err)
	}
	if keys != 12 || libs != 1 {
		t.Fatalf("read %d keys and %d libraries, want 12 and 1", keys, libs)
	}
}

// FuzzParseDump is RESTORE's decoding: a DUMP payload (value, RDB version,
// CRC-64) from a client. Seeded with payloads redis-server 7.0.15 dumped;
// mutations mostly fail the checksum, which must be an error like any other.
func FuzzParseDump(f *testing.F) {
	for _, p := range loadPayloads(f, "redis-7.0.15-dump.txt") {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		lim := Limits{ListMaxListpackSize: -2, SetMaxIntsetEntries: 8, HashMaxListpackEntries: 8,
			HashMaxListpackValue: 16, ZsetMaxListpackEntries: 8, ZsetMaxListpackValue: 16}
		o, err := ParseDump(p, &Options{Deep: true, Limits: &lim})
		if err != nil {
			return
		}
		if _, err := AppendDump(nil, o, &Options{Compress: true}); err != nil {
			t.Fatalf("a payload that restores does not dump again: %v", err)
		}
	})
}
