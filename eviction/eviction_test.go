package eviction

import (
	"testing"
	"time"
)

func TestPoolKeepsTheBestCandidatesBestLast(t *testing.T) {
	var p Pool
	for i := 0; i < 40; i++ {
		p.Offer(Candidate{Key: string(rune('a'+i%26)) + string(rune('0'+i/26)), Score: uint64((i * 7) % 40)})
	}
	if p.Len() != PoolSize {
		t.Fatalf("len %d", p.Len())
	}
	prev := ^uint64(0)
	for p.Len() > 0 {
		c, _ := p.PopBest()
		if c.Score > prev {
			t.Fatalf("not best first: %d after %d", c.Score, prev)
		}
		prev = c.Score
	}
	if prev != 40-PoolSize {
		t.Fatalf("kept a worse candidate: lowest %d", prev)
	}
	if _, ok := p.PopBest(); ok {
		t.Fatal("empty pool popped")
	}
}

func TestPoolUpdatesAKeyOfferedTwice(t *testing.T) {
	var p Pool
	p.Offer(Candidate{DB: 0, Key: "k", Score: 1})
	p.Offer(Candidate{DB: 1, Key: "k", Score: 2})
	p.Offer(Candidate{DB: 0, Key: "k", Score: 9})
	if p.Len() != 2 {
		t.Fatalf("len %d", p.Len())
	}
	if c, _ := p.PopBest(); c.DB != 0 || c.Score != 9 {
		t.Fatalf("best %+v", c)
	}
}

func TestPolicies(t *testing.T) {
	cases := []struct {
		name                       string
		volatile, random, lfu, ttl bool
	}{
		{"noeviction", false, false, false, false},
		{"allkeys-lru", false, false, false, false},
		{"allkeys-lfu", false, false, true, false},
		{"allkeys-random", false, true, false, false},
		{"volatile-lru", true, false, false, false},
		{"volatile-lfu", true, false, true, false},
		{"volatile-random", true, true, false, false},
		{"volatile-ttl", true, false, false, true},
	}
	for _, c := range cases {
		p := ParsePolicy(c.name)
		if p.Volatile() != c.volatile || p.Random() != c.random || p.LFU() != c.lfu || p.TTL() != c.ttl {
			t.Errorf("%s: %v %v %v %v", c.name, p.Volatile(), p.Random(), p.LFU(), p.TTL())
		}
	}
}

func TestTimeLimitFollowsTenacity(t *testing.T) {
	cases := []struct {
		tenacity int
		want     time.Duration
	}{
		{0, 0}, {1, 50 * time.Microsecond}, {10, 500 * time.Microsecond},
		{11, 575 * time.Microsecond}, {20, 2022 * time.Microsecond},
	}
	for _, c := range cases {
		if got := TimeLimit(c.tenacity); got != c.want {
			t.Errorf("tenacity %d: %v, want %v", c.tenacity, got, c.want)
		}
	}
	if TimeLimit(100) < time.Hour {
		t.Error("tenacity 100 must not limit")
	}
}
