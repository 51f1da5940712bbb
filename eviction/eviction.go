// Package eviction holds the decisions of maxmemory eviction that do not
// depend on the keyspace: the policies, the pool of best candidates that
// sampling fills (as Redis's eviction pool), and how long one eviction run
// may take (maxmemory-eviction-tenacity). The server samples keys, scores
// them and deletes the victims.
package eviction

import (
	"math"
	"time"
)

// Policy is a maxmemory-policy.
type Policy uint8

// The eight policies of maxmemory-policy.
const (
	NoEviction Policy = iota
	AllKeysLRU
	AllKeysLFU
	AllKeysRandom
	VolatileLRU
	VolatileLFU
	VolatileRandom
	VolatileTTL
)

var policyNames = map[string]Policy{
	"noeviction": NoEviction, "allkeys-lru": AllKeysLRU, "allkeys-lfu": AllKeysLFU,
	"allkeys-random": AllKeysRandom, "volatile-lru": VolatileLRU, "volatile-lfu": VolatileLFU,
	"volatile-random": VolatileRandom, "volatile-ttl": VolatileTTL,
}

// ParsePolicy returns the policy named s (as CONFIG validates it, so an
// unknown name means noeviction).
func ParsePolicy(s string) Policy { return policyNames[s] }

// Volatile reports whether the policy only evicts keys with a TTL.
func (p Policy) Volatile() bool { return p >= VolatileLRU }

// Random reports whether the policy picks victims at random.
func (p Policy) Random() bool { return p == AllKeysRandom || p == VolatileRandom }

// LFU reports whether the policy ranks keys by access frequency.
func (p Policy) LFU() bool { return p == AllKeysLFU || p == VolatileLFU }

// TTL reports whether the policy ranks keys by nearest expiry.
func (p Policy) TTL() bool { return p == VolatileTTL }

// Candidate is a sampled key and its score: the higher, the better a victim
// (idle milliseconds for LRU, 255 minus the counter for LFU, the inverse of
// the expiry time for volatile-ttl).
type Candidate struct {
	DB    int
	Key   string
	Score uint64
}

// PoolSize is how many candidates a pool keeps, as Redis's EVPOOL_SIZE.
const PoolSize = 16

// Pool keeps the best candidates seen across samplings, ordered by score
// (best last). It is not safe for concurrent use.
type Pool struct {
	c [PoolSize]Candidate
	n int
}

// Offer adds a candidate if it beats the worst one kept or there is room;
// a key already in the pool has its score updated.
func (p *Pool) Offer(c Candidate) {
	for i := 0; i < p.n; i++ {
		if p.c[i].DB == c.DB && p.c[i].Key == c.Key {
			p.remove(i)
			break
		}
	}
	if p.n == PoolSize {
		if c.Score <= p.c[0].Score {
			return
		}
		p.remove(0) // drop the worst to make room
	}
	i := p.n
	for i > 0 && p.c[i-1].Score > c.Score {
		p.c[i] = p.c[i-1]
		i--
	}
	p.c[i] = c
	p.n++
}

func (p *Pool) remove(i int) {
	copy(p.c[i:p.n-1], p.c[i+1:p.n])
	p.n--
	p.c[p.n] = Candidate{}
}

// PopBest removes and returns the best candidate.
func (p *Pool) PopBest() (Candidate, bool) {
	if p.n == 0 {
		return Candidate{}, false
	}
	p.n--
	c := p.c[p.n]
	p.c[p.n] = Candidate{}
	return c, true
}

// Admits reports whether Offer would keep a new key with this score: the
// pool has room or the score beats the worst kept. Samplers ask before
// copying a key that would only be dropped.
func (p *Pool) Admits(score uint64) bool { return p.n < PoolSize || score > p.c[0].Score }

// Len returns how many candidates the pool holds.
func (p *Pool) Len() int { return p.n }

// TimeLimit is how long one eviction run may take before the rest is left
// to the background, for a maxmemory-eviction-tenacity of 0..100: linear up
// to 500µs at 10, then 15% more per step, unlimited at 100, as Redis
// documents it.
func TimeLimit(tenacity int) time.Duration {
	switch {
	case tenacity <= 10:
		return time.Duration(50*tenacity) * time.Microsecond
	case tenacity < 100:
		return time.Duration(500*math.Pow(1.15, float64(tenacity-10))) * time.Microsecond
	}
	return time.Duration(math.MaxInt64)
}
