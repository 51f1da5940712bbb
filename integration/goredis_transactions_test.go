package integration

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/redis/go-redis/v9"

	"petrel/integration/harness"
)

// TestGoRedisWatchCounterRace is the classic optimistic-locking counter:
// 8 goroutines each add 1 two hundred times with WATCH/GET/MULTI/SET/EXEC,
// retrying when EXEC aborts. Any lost update or spurious success shows up
// in the final count.
func TestGoRedisWatchCounterRace(t *testing.T) {
	const workers, increments = 8, 200
	forEachServerAndProtocol(t, func(t *testing.T, _ *harness.Server, rdb *redis.Client) {
		ctx := ctxT(t)
		if err := rdb.Set(ctx, "counter", 0, 0).Err(); err != nil {
			t.Fatal(err)
		}
		var aborted atomic.Int64
		incr := func(ctx context.Context) error {
			for {
				err := rdb.Watch(ctx, func(tx *redis.Tx) error {
					n, err := tx.Get(ctx, "counter").Int()
					if err != nil {
						return err
					}
					_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
						p.Set(ctx, "counter", strconv.Itoa(n+1), 0)
						return nil
					})
					return err
				}, "counter")
				if errors.Is(err, redis.TxFailedErr) {
					aborted.Add(1)
					continue
				}
				return err
			}
		}
		var wg sync.WaitGroup
		errc := make(chan error, workers)
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < increments; i++ {
					if err := incr(ctx); err != nil {
						errc <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			t.Fatalf("increment failed: %v", err)
		}
		n, err := rdb.Get(ctx, "counter").Int()
		eq(t, "final counter", n, err, workers*increments)
		t.Logf("%d EXECs aborted by concurrent writers and retried", aborted.Load())
	})
}

// TestGoRedisWatchAbortsOnOtherConnectionWrite checks that EXEC fails when
// another connection modifies a watched key between WATCH and EXEC, and
// succeeds when nobody does.
func TestGoRedisWatchAbortsOnOtherConnectionWrite(t *testing.T) {
	forEachServerAndProtocol(t, func(t *testing.T, srv *harness.Server, rdb *redis.Client) {
		ctx := ctxT(t)
		other := newGoRedis(t, srv, rdb.Options().Protocol)
		rdb.Set(ctx, "w", "1", 0)
		err := rdb.Watch(ctx, func(tx *redis.Tx) error {
			if err := other.Set(ctx, "w", "2", 0).Err(); err != nil {
				return err
			}
			_, err := tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
				p.Set(ctx, "w", "3", 0)
				return nil
			})
			return err
		}, "w")
		if !errors.Is(err, redis.TxFailedErr) {
			t.Errorf("EXEC after another connection's write: %v, want redis.TxFailedErr", err)
		}
		s, err := rdb.Get(ctx, "w").Result()
		eq(t, "value after aborted EXEC", s, err, "2")

		// Watching a missing key that another connection creates aborts too.
		err = rdb.Watch(ctx, func(tx *redis.Tx) error {
			other.Set(ctx, "fresh", "x", 0)
			_, err := tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
				p.Set(ctx, "fresh", "y", 0)
				return nil
			})
			return err
		}, "fresh")
		if !errors.Is(err, redis.TxFailedErr) {
			t.Errorf("EXEC after another connection created the watched key: %v, want redis.TxFailedErr", err)
		}

		// A read by the other connection does not abort.
		err = rdb.Watch(ctx, func(tx *redis.Tx) error {
			other.Get(ctx, "w")
			_, err := tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
				p.Set(ctx, "w", "4", 0)
				return nil
			})
			return err
		}, "w")
		if err != nil {
			t.Errorf("EXEC after another connection's read: %v, want success", err)
		}
		s, err = rdb.Get(ctx, "w").Result()
		eq(t, "value after EXEC", s, err, "4")
	})
}
