package integration

import (
	"strconv"
	"testing"

	"github.com/redis/go-redis/v9"

	"petrel/integration/harness"
)

// TestGoRedisPipeline1000Commands sends 1000 commands in one go-redis
// pipeline and checks every result, in order.
func TestGoRedisPipeline1000Commands(t *testing.T) {
	forEachServerAndProtocol(t, func(t *testing.T, _ *harness.Server, rdb *redis.Client) {
		ctx := ctxT(t)
		pipe := rdb.Pipeline()
		sets := make([]*redis.StatusCmd, 250)
		incrs := make([]*redis.IntCmd, 250)
		gets := make([]*redis.StringCmd, 250)
		errs := make([]*redis.IntCmd, 250)
		for i := 0; i < 250; i++ {
			k := "p:" + strconv.Itoa(i)
			sets[i] = pipe.Set(ctx, k, i, 0)
			incrs[i] = pipe.Incr(ctx, k)
			gets[i] = pipe.Get(ctx, k)
			errs[i] = pipe.Incr(ctx, "p:text") // text after the first SET below
			if i == 0 {
				pipe.Set(ctx, "p:text", "abc", 0)
			}
		}
		cmds, err := pipe.Exec(ctx)
		if len(cmds) != 1001 {
			t.Fatalf("pipeline returned %d results, want 1001 (err %v)", len(cmds), err)
		}
		for i := 0; i < 250; i++ {
			if v, err := sets[i].Result(); v != "OK" || err != nil {
				t.Fatalf("SET #%d = %q, %v", i, v, err)
			}
			if v, err := incrs[i].Result(); v != int64(i+1) || err != nil {
				t.Fatalf("INCR #%d = %d, %v", i, v, err)
			}
			if v, err := gets[i].Result(); v != strconv.Itoa(i+1) || err != nil {
				t.Fatalf("GET #%d = %q, %v", i, v, err)
			}
			want := "ERR value is not an integer or out of range"
			if i == 0 {
				// The first INCR ran before p:text was set.
				if v, err := errs[i].Result(); v != 1 || err != nil {
					t.Fatalf("INCR p:text #0 = %d, %v", v, err)
				}
				continue
			}
			if err := errs[i].Err(); err == nil || err.Error() != want {
				t.Fatalf("INCR p:text #%d: %v, want %q", i, err, want)
			}
		}
		n, err := rdb.DBSize(ctx).Result()
		eq(t, "DBSIZE", n, err, int64(251))
	})
}

// TestGoRedisTxPipeline runs a MULTI/EXEC pipeline, and one with a command
// that fails at queue time (EXECABORT).
func TestGoRedisTxPipeline(t *testing.T) {
	forEachServerAndProtocol(t, func(t *testing.T, _ *harness.Server, rdb *redis.Client) {
		ctx := ctxT(t)
		var incr *redis.IntCmd
		var get *redis.StringCmd
		_, err := rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.Set(ctx, "tx", 10, 0)
			incr = p.IncrBy(ctx, "tx", 5)
			get = p.Get(ctx, "tx")
			return nil
		})
		if err != nil {
			t.Fatalf("TxPipelined: %v", err)
		}
		v, err := incr.Result()
		eq(t, "INCRBY in EXEC", v, err, int64(15))
		s, err := get.Result()
		eq(t, "GET in EXEC", s, err, "15")

		_, err = rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.Set(ctx, "tx", 99, 0)
			p.Do(ctx, "SET", "tx") // wrong arity: rejected while queuing
			return nil
		})
		if err == nil {
			t.Fatal("EXEC after a queuing error succeeded")
		}
		s, err = rdb.Get(ctx, "tx").Result()
		eq(t, "GET after EXECABORT", s, err, "15")
	})
}
