package integration

import (
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"petrel/integration/harness"
)

// TestGoRedisExpiryCommands checks TTLs set and read through go-redis.
func TestGoRedisExpiryCommands(t *testing.T) {
	forEachServerAndProtocol(t, func(t *testing.T, _ *harness.Server, rdb *redis.Client) {
		ctx := ctxT(t)
		rdb.Set(ctx, "k", "v", 0)
		d, err := rdb.TTL(ctx, "k").Result()
		eq(t, "TTL without expiry", d, err, time.Duration(-1))
		d, err = rdb.TTL(ctx, "missing").Result()
		eq(t, "TTL missing", d, err, time.Duration(-2))
		ok, err := rdb.Expire(ctx, "k", 100*time.Second).Result()
		eq(t, "EXPIRE", ok, err, true)
		ok, err = rdb.ExpireNX(ctx, "k", 200*time.Second).Result()
		eq(t, "EXPIRE NX with a TTL", ok, err, false)
		ok, err = rdb.ExpireGT(ctx, "k", 200*time.Second).Result()
		eq(t, "EXPIRE GT", ok, err, true)
		if d, err := rdb.PTTL(ctx, "k").Result(); err != nil || d <= 199*time.Second || d > 200*time.Second {
			t.Errorf("PTTL after EXPIRE GT 200 = %v, %v", d, err)
		}
		at := time.Unix(4102444800, 0)
		ok, err = rdb.ExpireAt(ctx, "k", at).Result()
		eq(t, "EXPIREAT", ok, err, true)
		d, err = rdb.ExpireTime(ctx, "k").Result()
		eq(t, "EXPIRETIME", d, err, 4102444800*time.Second)
		ok, err = rdb.Persist(ctx, "k").Result()
		eq(t, "PERSIST", ok, err, true)
		d, err = rdb.TTL(ctx, "k").Result()
		eq(t, "TTL after PERSIST", d, err, time.Duration(-1))
	})
}

// TestGoRedisKeysExpire checks that PX keys disappear for readers, and
// that active expiry removes keys nobody touches: DBSIZE, which does not
// look at the keys, must drop within about a second.
func TestGoRedisKeysExpire(t *testing.T) {
	forEachServerAndProtocol(t, func(t *testing.T, _ *harness.Server, rdb *redis.Client) {
		ctx := ctxT(t)
		if err := rdb.Set(ctx, "short", "v", 100*time.Millisecond).Err(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(250 * time.Millisecond)
		if _, err := rdb.Get(ctx, "short").Result(); err != redis.Nil {
			t.Errorf("GET of a PX 100 key after 250ms: %v, want nil", err)
		}

		pipe := rdb.Pipeline()
		for i := 0; i < 200; i++ {
			pipe.Set(ctx, "vol:"+strconv.Itoa(i), i, 200*time.Millisecond)
		}
		pipe.Set(ctx, "stays", 1, 0)
		if _, err := pipe.Exec(ctx); err != nil {
			t.Fatal(err)
		}
		n, err := rdb.DBSize(ctx).Result()
		eq(t, "DBSIZE after setting", n, err, int64(201))
		deadline := time.Now().Add(200*time.Millisecond + 1500*time.Millisecond)
		for {
			n, err = rdb.DBSize(ctx).Result()
			if err != nil || n == 1 || time.Now().After(deadline) {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		eq(t, "DBSIZE ~1.5s after the keys expired, none accessed", n, err, int64(1))
	})
}
