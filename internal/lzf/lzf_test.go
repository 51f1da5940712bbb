package lzf

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

// roundTrip compresses src with room for len(src)+len(src)/32+1 bytes (the
// worst case: all literals) and checks that the result decompresses back.
func roundTrip(t testing.TB, src []byte) []byte {
	t.Helper()
	c := Compress(make([]byte, len(src)+len(src)/32+1), src)
	if c == nil {
		t.Fatalf("%d bytes did not fit in the worst-case bound", len(src))
	}
	got, err := Decompress(nil, c, len(src))
	if err != nil {
		t.Fatalf("%d bytes compressed to %d: %v", len(src), len(c), err)
	}
	if !bytes.Equal(got, src) {
		t.Fatalf("%d bytes compressed to %d: round trip differs", len(src), len(c))
	}
	return c
}

func TestRoundTripRandomAndRepetitiveData(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	shapes := map[string]func(n int) []byte{
		"random": func(n int) []byte {
			b := make([]byte, n)
			r.Read(b)
			return b
		},
		"zeros": func(n int) []byte { return make([]byte, n) },
		"smallAlphabet": func(n int) []byte {
			b := make([]byte, n)
			for i := range b {
				b[i] = "ab"[r.Intn(2)]
			}
			return b
		},
		"period7": func(n int) []byte {
			b := make([]byte, n)
			for i := range b {
				b[i] = byte(i % 7)
			}
			return b
		},
		// Repeats 8 to 16 bytes back: references that overlap what
		// they write.
		"period11": func(n int) []byte {
			b := make([]byte, n)
			for i := range b {
				b[i] = byte(i%11) + byte(i/1000)
			}
			return b
		},
		"words": func(n int) []byte {
			var sb strings.Builder
			for sb.Len() < n {
				fmt.Fprintf(&sb, "element-%d,", r.Intn(500))
			}
			return []byte(sb.String()[:n])
		},
		// Repeats farther apart than a reference can reach.
		"farRepeat": func(n int) []byte {
			blk := make([]byte, 9000)
			r.Read(blk)
			var b []byte
			for len(b) < n {
				b = append(b, blk...)
			}
			return b[:n]
		},
	}
	for name, gen := range shapes {
		for _, n := range []int{0, 1, 2, 3, 4, 31, 32, 33, 64, 100, 264, 265, 1000, 8192, 8193, 20000, 100000} {
			src := gen(n)
			c := roundTrip(t, src)
			if name == "zeros" && n >= 1000 && len(c)*50 > n {
				t.Errorf("%d zeros compressed to %d bytes", n, len(c))
			}
		}
	}
}

func TestCompressIsDeterministic(t *testing.T) {
	a := []byte(strings.Repeat("determinism-", 200))
	b := []byte(strings.Repeat("other-input-", 300))
	first := bytes.Clone(roundTrip(t, a))
	roundTrip(t, b) // leaves entries in the pooled table
	if again := roundTrip(t, a); !bytes.Equal(first, again) {
		t.Fatalf("same input compressed differently")
	}
}

func TestCompressRespectsDstLength(t *testing.T) {
	src := []byte(strings.Repeat("abcdefgh", 100))
	full := Compress(make([]byte, len(src)), src)
	if full == nil {
		t.Fatal("repetitive data did not compress")
	}
	if got := Compress(make([]byte, len(full)), src); !bytes.Equal(got, full) {
		t.Fatalf("exact room: %x, want %x", got, full)
	}
	for room := 0; room < len(full); room++ {
		if got := Compress(make([]byte, room, len(src)), src); got != nil {
			t.Fatalf("%d bytes of room: got %d bytes", room, len(got))
		}
	}
	random := make([]byte, 500)
	rand.New(rand.NewSource(2)).Read(random)
	if got := Compress(make([]byte, len(random)-1), random); got != nil {
		t.Fatalf("random data compressed to %d bytes", len(got))
	}
	if got := Compress(make([]byte, 4), nil); got == nil || len(got) != 0 {
		t.Fatalf("empty input: %v", got)
	}
}

func TestDecompressAppendsToDst(t *testing.T) {
	src := []byte(strings.Repeat("xyz", 50))
	c := roundTrip(t, src)
	got, err := Decompress([]byte("prefix:"), c, len(src))
	if err != nil || string(got) != "prefix:"+string(src) {
		t.Fatalf("got %q, %v", got, err)
	}
}

// Payloads captured from redis-server 7.0.15: DUMP of strings holding the
// value (0xC3 encoding: the LZF data after the two lengths), and one node of
// a list with list-compress-depth 1 and list-max-listpack-size 5.
var redisBlobs = []struct {
	name string
	want func() []byte
	hex  string
}{
	{"200 bytes of abcdefghij", func() []byte { return bytes.Repeat([]byte("abcdefghij"), 20) },
		"0a6162636465666768696a61e0b20901696a"},
	{"300 zero bytes", func() []byte { return make([]byte, 300) },
		"010000e0ff00e01700010000"},
	{"English text", func() []byte {
		return []byte(strings.Repeat("The quick brown fox jumps over the lazy dog. ", 6)[:250])
	}, "1f54686520717569636b2062726f776e20666f78206a756d7073206f7665722074201e0a6c617a7920646f672e2054200de0be2c017073"},
	{"mixed", func() []byte {
		b := make([]byte, 0, 328)
		for i := 0; i < 200; i++ {
			b = append(b, byte(i*7%13+65))
		}
		return append(b, strings.Repeat("petrel-redis-lzf", 8)...)
	}, "0d41484249434a444b454c464d4741e0b10c0f70657472656c2d72656469732d6c7a66e0650f017a66"},
	{"numbered elements", func() []byte {
		var b []byte
		for i := 0; i < 60; i++ {
			b = fmt.Appendf(b, "element-%05d,", i)
		}
		return b
	}, "08656c656d656e742d304000012c65e0020d0031e0040d0032e0040d0033e0040d0034e0040d0035e0040d0036e0040d0037e0040d0038e0040d0039e0030d0031e0048b0031e0048b0031e0048b0031e0048b0031e0048b0031e0048b0031e0048b0031e0048b0031e0048b0031e0048b0032e0048b0032e0048b0032e0048b0032e0048b0032e0048b0032e0048b0032e0048b0032e0048b0032e0048b0032e0048b0033e0048b0033e0048b0033e0048b0033e0048b0033e0048b0033e0048b0033e0048b0033e0048b0033e0048b0033e0048b0034e0048b0034e0048b0034e0048b0034e0048b0034e0048b0034e0048b0034e0048b0034e0048b0034e0048b0034e0048b0035e0048b0035e0048b0035e0048b0035e0048b0035e0048b0035e0048b0035e0048b0035e0048b0035e0048b0235392c"},
	{"list node", nil,
		"0d290100000500b86974656d2d352de028060039803900368039e02306a03900378039e02306a03900388039e02306a03900398039e023060139ff"},
}

func TestDecompressRedisPayloads(t *testing.T) {
	for _, tc := range redisBlobs {
		t.Run(tc.name, func(t *testing.T) {
			blob, err := hex.DecodeString(tc.hex)
			if err != nil {
				t.Fatal(err)
			}
			if tc.want == nil {
				// A listpack of 297 bytes holding five "item-J-" x 8
				// strings: its header gives its size and count, and it
				// ends with 0xff.
				got, err := Decompress(nil, blob, 297)
				if err != nil {
					t.Fatal(err)
				}
				if binary.LittleEndian.Uint32(got) != 297 || binary.LittleEndian.Uint16(got[4:]) != 5 || got[296] != 0xff {
					t.Fatalf("not the listpack: %x", got[:8])
				}
				for j := 5; j < 10; j++ {
					if item := strings.Repeat(fmt.Sprintf("item-%d-", j), 8); !bytes.Contains(got, []byte(item)) {
						t.Fatalf("element %q missing", item)
					}
				}
				return
			}
			want := tc.want()
			got, err := Decompress(nil, blob, len(want))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("got %q\nwant %q", got, want)
			}
			// Our compressor finds an encoding about as small (within an eighth).
			if c := Compress(make([]byte, len(blob)+len(blob)/8), want); c == nil || len(c) > len(blob)+len(blob)/8 {
				t.Fatalf("ours: %d bytes, Redis: %d", len(c), len(blob))
			}
			if _, err := Decompress(nil, blob, len(want)-1); err != ErrSize {
				t.Fatalf("one byte short: %v", err)
			}
			if _, err := Decompress(nil, blob, len(want)+1); err != ErrSize {
				t.Fatalf("one byte long: %v", err)
			}
		})
	}
}

func TestDecompressRejectsCorruptInput(t *testing.T) {
	for _, tc := range []struct {
		name   string
		hex    string
		outLen int
		want   error
	}{
		{"literal run cut short", "0461", 5, ErrCorrupt},
		{"reference before the start", "0061" + "2001", 4, ErrCorrupt},
		{"reference with no output yet", "2000", 3, ErrCorrupt},
		{"reference missing its offset", "006120", 4, ErrCorrupt},
		{"long reference missing its length", "0061e0", 12, ErrCorrupt},
		{"long reference missing its offset", "0061e005", 12, ErrCorrupt},
		{"output longer than expected", "0361626364", 3, ErrSize},
		{"output shorter than expected", "0361626364", 5, ErrSize},
		{"reference past the expected end", "00612000", 2, ErrSize},
		{"negative size", "00", -1, ErrSize},
		{"size no input could reach", "0061", 1 << 40, ErrSize},
		{"empty input, non-empty output", "", 1, ErrSize},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, _ := hex.DecodeString(tc.hex)
			dst := []byte("keep")
			got, err := Decompress(dst, src, tc.outLen)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
			if string(got) != "keep" {
				t.Fatalf("dst changed to %q", got)
			}
		})
	}
	if got, err := Decompress(nil, nil, 0); err != nil || len(got) != 0 {
		t.Fatalf("empty: %q %v", got, err)
	}
}

func TestDecompressOverlappingReference(t *testing.T) {
	// "ab" then a reference one byte back of 264 bytes: a run of 'b'.
	src := []byte{0x01, 'a', 'b', 0xe0, 0xff, 0x00}
	got, err := Decompress(nil, src, 2+264)
	if err != nil {
		t.Fatal(err)
	}
	if want := "a" + strings.Repeat("b", 265); string(got) != want {
		t.Fatalf("got %q", got)
	}
}

func FuzzDecompress(f *testing.F) {
	for _, tc := range redisBlobs {
		b, _ := hex.DecodeString(tc.hex)
		f.Add(b, 400)
	}
	f.Add([]byte{0x01, 'a', 'b', 0xe0, 0xff, 0x00}, 266)
	f.Add([]byte{0x00}, 0)
	f.Fuzz(func(t *testing.T, src []byte, outLen int) {
		got, err := Decompress(nil, src, outLen%100000)
		if err != nil {
			return
		}
		if len(got) != outLen%100000 {
			t.Fatalf("%d bytes, asked for %d", len(got), outLen%100000)
		}
		roundTrip(t, got)
	})
}

func FuzzRoundTrip(f *testing.F) {
	f.Add([]byte("hello hello hello hello"))
	f.Add(make([]byte, 1000))
	f.Fuzz(func(t *testing.T, src []byte) {
		roundTrip(t, src)
		// With exactly the room of the full result, the same result.
		c := Compress(make([]byte, len(src)+len(src)/32+1), src)
		if again := Compress(make([]byte, len(c)), src); !bytes.Equal(again, c) {
			t.Fatalf("tight room gave %x, want %x", again, c)
		}
	})
}

// benchInput is a quicklist-node-like kilobyte and a 64 KiB mix of text
// and random bytes.
func benchInputs() map[string][]byte {
	var node []byte
	for i := 0; len(node) < 1024; i++ {
		node = fmt.Appendf(node, "\x0cuser:%06d:session\x0d", i*37)
	}
	big := make([]byte, 0, 1<<16)
	r := rand.New(rand.NewSource(3))
	for len(big) < 1<<16 {
		if r.Intn(4) == 0 {
			chunk := make([]byte, 64)
			r.Read(chunk)
			big = append(big, chunk...)
		} else {
			big = fmt.Appendf(big, "the %d-th line of a log file, level=info\n", r.Intn(1000))
		}
	}
	return map[string][]byte{"node1K": node[:1024], "mixed64K": big[:1<<16]}
}

func BenchmarkCompress(b *testing.B) {
	for name, src := range benchInputs() {
		b.Run(name, func(b *testing.B) {
			dst := make([]byte, len(src))
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				if Compress(dst, src) == nil {
					b.Fatal("did not compress")
				}
			}
		})
	}
}

func BenchmarkDecompress(b *testing.B) {
	for name, src := range benchInputs() {
		b.Run(name, func(b *testing.B) {
			c := Compress(make([]byte, len(src)), src)
			dst := make([]byte, 0, len(src))
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				if _, err := Decompress(dst[:0], c, len(src)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(c))/float64(len(src)), "ratio")
		})
	}
}
