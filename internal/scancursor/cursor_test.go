package scancursor

import "testing"

func TestNextVisitsEveryBucketOnce(t *testing.T) {
	for _, size := range []uint64{1, 2, 8, 64} {
		seen := map[uint64]int{}
		c := uint64(0)
		for {
			seen[c&(size-1)]++
			c = Next(c, size-1)
			if c == 0 {
				break
			}
		}
		if uint64(len(seen)) != size {
			t.Fatalf("size %d: visited %d buckets", size, len(seen))
		}
		for b, n := range seen {
			if n != 1 {
				t.Fatalf("size %d: bucket %d visited %d times", size, b, n)
			}
		}
	}
}

func TestNextAcrossGrowthKeepsUnvisitedBuckets(t *testing.T) {
	// Walk half of an 8-bucket table, then continue on 16 buckets: every
	// 16-bucket index whose 8-bucket parent was not yet visited must come.
	c := uint64(0)
	visited8 := map[uint64]bool{}
	for i := 0; i < 4; i++ {
		visited8[c&7] = true
		c = Next(c, 7)
	}
	seen16 := map[uint64]bool{}
	for c != 0 {
		seen16[c&15] = true
		c = Next(c, 15)
	}
	for b := uint64(0); b < 16; b++ {
		if !visited8[b&7] && !seen16[b] {
			t.Fatalf("bucket %d lost after growth", b)
		}
	}
}
