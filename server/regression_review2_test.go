package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"petrel/config"
	"petrel/store"
)

// An expiring (or evicted) key under a BCAST prefix sends its invalidation
// with the prefix registry's read lock held; taking that read lock a second
// time while CLIENT TRACKING (or a disconnect) waits for the write lock
// deadlocked, with the expiring key's shard lock held.
func TestRegressionBcastInvalidationUnderPrefixLockNoDeadlock(t *testing.T) {
	s := startTestServer(t)
	conn, err := net.Dial("tcp", s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.Write(encode("HELLO", "3"))
	conn.Write(encode("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "k"))
	go io.Copy(io.Discard, conn) // keep the pushes flowing
	deadline := time.Now().Add(2 * time.Second)
	for s.trackingPrefixCount() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("tracking never turned on")
		}
		time.Sleep(time.Millisecond)
	}

	done := make(chan struct{})
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { // the expiry path: no command to batch the message in
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			s.trackingInvalidate([]byte("k1"), nil, nil, nil)
		}
	}()
	go func() { // another client switching BCAST tracking
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			s.tracking.prefMu.Lock()
			s.tracking.prefMu.Unlock()
		}
	}()
	go func() { wg.Wait(); close(done) }()
	time.Sleep(200 * time.Millisecond)
	close(stop)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("deadlock: BCAST invalidation re-took the prefix read lock while a writer waited")
	}
}

// evictRandom read the cached "databases with keys" slice after releasing
// the eviction mutex while another evicting goroutine rewrote it in place
// (a data race under -race).
func TestRegressionEvictRandomDBCacheRace(t *testing.T) {
	s := startTestServer(t)
	for d := 0; d < 2; d++ {
		db := s.store.DB(d)
		for i := 0; i < 4000; i++ {
			k := []byte(fmt.Sprintf("k%d", i))
			sh := db.Shard(store.ShardIndex(k))
			sh.Lock()
			db.SetString(k, []byte("v"), store.EncAuto, false)
			sh.Unlock()
		}
	}
	var wg sync.WaitGroup
	for g := 0; g < 2; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 1500; i++ {
				s.evictRandom(false, nil)
			}
		}()
	}
	wg.Add(1)
	go func() { // a refresh of the cache, as the next eviction after 100ms does
		defer wg.Done()
		for i := 0; i < 1500; i++ {
			s.evict.mu.Lock()
			s.evict.dbsAt = time.Time{}
			s.dbsWithKeys()
			s.evict.mu.Unlock()
		}
	}()
	wg.Wait()
}

// gateWriter blocks its first Write until released, so a test can act
// while a snapshot's walker is parked between shards.
type gateWriter struct {
	buf     bytes.Buffer
	reached chan struct{}
	release chan struct{}
	once    sync.Once
}

func newGateWriter() *gateWriter {
	return &gateWriter{reached: make(chan struct{}), release: make(chan struct{})}
}

func (g *gateWriter) Write(p []byte) (int, error) {
	g.once.Do(func() {
		close(g.reached)
		<-g.release
	})
	return g.buf.Write(p)
}

// keyInShard returns a key name with the given prefix in shard i.
func keyInShard(prefix string, i int) string {
	for n := 0; ; n++ {
		k := fmt.Sprintf("%s%d", prefix, n)
		if store.ShardIndex([]byte(k)) == i {
			return k
		}
	}
}

// startParkedSnapshot puts a value bigger than the writer's buffer in shard
// 0 of database 0 and starts a snapshot whose walker parks on writing that
// shard, before any other shard is walked. It returns the writer and a
// channel that yields the snapshot's error.
func startParkedSnapshot(t *testing.T, s *Server, c *rawClient) (*gateWriter, chan error) {
	t.Helper()
	big := strings.Repeat("x", 100<<10)
	if r := c.Do("SET", keyInShard("big", 0), big); r != "+OK\r\n" {
		t.Fatalf("SET big: %q", r)
	}
	g := newGateWriter()
	errc := make(chan error, 1)
	go func() {
		_, err := s.WriteSnapshot(context.Background(), g, false)
		errc <- err
	}()
	select {
	case <-g.reached:
	case <-time.After(5 * time.Second):
		t.Fatal("snapshot walker never reached its first write")
	}
	return g, errc
}

func finishParkedSnapshot(t *testing.T, g *gateWriter, errc chan error) []byte {
	t.Helper()
	close(g.release)
	select {
	case err := <-errc:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("snapshot did not finish")
	}
	return g.buf.Bytes()
}

// DEBUG POPULATE creates keys but has no write flag, so a running snapshot
// did not capture the shards first and the file got keys created after its
// barrier.
func TestRegressionSnapshotCapturesDebugPopulate(t *testing.T) {
	s := startTestServer(t, func(c *config.Config) { c.EnableDebugCommand = "yes" })
	c := dialRaw(t, s)
	g, errc := startParkedSnapshot(t, s, c)
	if r := c.Do("DEBUG", "POPULATE", "200", "populated"); r != "+OK\r\n" {
		t.Fatalf("DEBUG POPULATE: %q", r)
	}
	out := finishParkedSnapshot(t, g, errc)
	if bytes.Contains(out, []byte("populated:")) {
		t.Fatal("snapshot holds keys DEBUG POPULATE created after its barrier")
	}
}

// A blocked BLMOVE served by a MOVE into its database pushes to a shard the
// MOVE holds (it locks everything) but never captured: the snapshot got the
// destination list created after its barrier.
func TestRegressionSnapshotCapturesBlockedServeDestination(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	src := keyInShard("src", 7)
	dst := keyInShard("blmove-dst", 9)
	c.Do("SELECT", "1")
	if r := c.Do("SET", "filler", "1"); r != "+OK\r\n" { // db 1 is not empty at the barrier
		t.Fatalf("SET filler: %q", r)
	}
	c.Do("SELECT", "0")
	w := dialRaw(t, s)
	w.Do("SELECT", "1")
	w.Send(encode("BLMOVE", src, dst, "LEFT", "RIGHT", "0"))
	deadline := time.Now().Add(5 * time.Second)
	for s.blocked.count.Load() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("BLMOVE never blocked")
		}
		time.Sleep(time.Millisecond)
	}
	g, errc := startParkedSnapshot(t, s, c)
	c.Do("RPUSH", src, "elem")
	if r := c.Do("MOVE", src, "1"); r != ":1\r\n" {
		t.Fatalf("MOVE: %q", r)
	}
	if r := w.Read(); r != "$4\r\nelem\r\n" {
		t.Fatalf("BLMOVE: %q", r)
	}
	out := finishParkedSnapshot(t, g, errc)
	if bytes.Contains(out, []byte("blmove-dst")) {
		t.Fatal("snapshot holds a list created by serving a blocked client after its barrier")
	}
}
