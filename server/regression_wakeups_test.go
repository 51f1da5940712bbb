package server

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"petrel/store"
)

func TestRegressionChainedServeRace2(t *testing.T) {
	s := startTestServer(t)
	// keys in dst's shard, different from src's shard
	var same []string
	for i := 0; len(same) < 50; i++ {
		k := fmt.Sprintf("h%d", i)
		if store.ShardIndex([]byte(k)) == store.ShardIndex([]byte("dst")) {
			same = append(same, k)
		}
	}
	t.Logf("shard src=%d dst=%d", store.ShardIndex([]byte("src")), store.ShardIndex([]byte("dst")))
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		d := dialRaw(t, s)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			k := same[i%len(same)]
			d.Do("SET", k, "v")
			d.Do("DEL", k)
		}
	}()
	got := map[string]int{}
	for i := 0; i < 100; i++ {
		a := dialRaw(t, s)
		b := dialRaw(t, s)
		p := dialRaw(t, s)
		a.Send(encode("BLMOVE", "src", "dst", "LEFT", "LEFT", "2"))
		time.Sleep(2 * time.Millisecond)
		b.Send(encode("BLPOP", "dst", "2"))
		time.Sleep(2 * time.Millisecond)
		p.Do("RPUSH", "src", "x")
		a.Read()
		got[b.Read()]++
		a.conn.Close()
		b.conn.Close()
		p.conn.Close()
	}
	t.Logf("BLPOP replies: %v", got)
	close(stop)
	wg.Wait()
}
