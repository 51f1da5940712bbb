package server

import (
	"strconv"
	"testing"

	"petrel/config"
	"petrel/store"
)

// BenchmarkEvictOne measures choosing and deleting one victim in a keyspace
// of 50,000 1 KiB strings kept at that size (a key is added per eviction),
// the work every write does once memory is at the cap.
func BenchmarkEvictOne(b *testing.B) {
	for _, policy := range []string{"allkeys-lru", "allkeys-lfu", "allkeys-random"} {
		b.Run(policy, func(b *testing.B) {
			s := startTestServer(b, func(c *config.Config) { c.MaxMemoryPolicy = policy })
			s.refreshAccessPolicy()
			db := s.store.DB(0)
			val := make([]byte, 1024)
			add := func(i int) {
				key := []byte("key:" + strconv.Itoa(i))
				sh := db.Shard(store.ShardIndex(key))
				sh.Lock()
				db.SetString(key, val, store.EncAuto, false)
				sh.Unlock()
			}
			const keys = 50000
			for i := 0; i < keys; i++ {
				add(i)
			}
			pol := s.evictPolicy()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, ok := s.evictOne(pol, nil); !ok {
					b.Fatal("nothing evicted")
				}
				add(keys + i)
			}
		})
	}
}
