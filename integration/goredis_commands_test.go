package integration

import (
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"petrel/integration/harness"
)

func TestGoRedisConnectHandshake(t *testing.T) {
	forEachServerAndProtocol(t, func(t *testing.T, srv *harness.Server, rdb *redis.Client) {
		ctx := ctxT(t)
		v, err := rdb.Ping(ctx).Result()
		eq(t, "PING", v, err, "PONG")
		hello, err := rdb.Do(ctx, "HELLO").Result()
		if err != nil {
			t.Fatalf("HELLO: %v", err)
		}
		// go-redis decodes a RESP3 map as a map and a RESP2 reply as a flat
		// list: either way the negotiated protocol is reported.
		proto := int64(0)
		switch h := hello.(type) {
		case map[interface{}]interface{}:
			proto, _ = h["proto"].(int64)
		case []interface{}:
			for i := 0; i+1 < len(h); i += 2 {
				if h[i] == "proto" {
					proto, _ = h[i+1].(int64)
				}
			}
		}
		want := int64(rdb.Options().Protocol)
		if proto != want {
			t.Errorf("HELLO reports proto %d (%#v), want %d", proto, hello, want)
		}
		// A client name given in the options travels in HELLO's SETNAME.
		named := newGoRedis(t, srv, rdb.Options().Protocol, func(o *redis.Options) { o.ClientName = "e2e-client" })
		name, err := named.ClientGetName(ctx).Result()
		eq(t, "CLIENT GETNAME", name, err, "e2e-client")
	})
}

func TestGoRedisStringCommands(t *testing.T) {
	forEachServerAndProtocol(t, func(t *testing.T, _ *harness.Server, rdb *redis.Client) {
		ctx := ctxT(t)
		s, err := rdb.Set(ctx, "s", "hello", 0).Result()
		eq(t, "SET", s, err, "OK")
		s, err = rdb.Get(ctx, "s").Result()
		eq(t, "GET", s, err, "hello")
		if _, err := rdb.Get(ctx, "missing").Result(); err != redis.Nil {
			t.Errorf("GET missing: error %v, want redis.Nil", err)
		}
		b, err := rdb.SetNX(ctx, "s", "x", 0).Result()
		eq(t, "SETNX existing", b, err, false)
		old, err := rdb.SetArgs(ctx, "s", "world", redis.SetArgs{Get: true, KeepTTL: true}).Result()
		eq(t, "SET GET KEEPTTL", old, err, "hello")
		n, err := rdb.Append(ctx, "s", "!").Result()
		eq(t, "APPEND", n, err, int64(6))
		n, err = rdb.StrLen(ctx, "s").Result()
		eq(t, "STRLEN", n, err, int64(6))
		s, err = rdb.GetRange(ctx, "s", 1, -2).Result()
		eq(t, "GETRANGE", s, err, "orld")
		n, err = rdb.SetRange(ctx, "s", 7, "x").Result()
		eq(t, "SETRANGE", n, err, int64(8))
		s, err = rdb.Get(ctx, "s").Result()
		eq(t, "GET after SETRANGE", s, err, "world!\x00x")

		s, err = rdb.MSet(ctx, "a", "1", "b", "2").Result()
		eq(t, "MSET", s, err, "OK")
		vals, err := rdb.MGet(ctx, "a", "b", "missing").Result()
		eq(t, "MGET", vals, err, []interface{}{"1", "2", nil})
		b, err = rdb.MSetNX(ctx, "a", "9", "c", "3").Result()
		eq(t, "MSETNX", b, err, false)
		n, err = rdb.Incr(ctx, "a").Result()
		eq(t, "INCR", n, err, int64(2))
		n, err = rdb.IncrBy(ctx, "a", -12).Result()
		eq(t, "INCRBY", n, err, int64(-10))
		n, err = rdb.Decr(ctx, "a").Result()
		eq(t, "DECR", n, err, int64(-11))
		f, err := rdb.IncrByFloat(ctx, "fl", 0.1).Result()
		eq(t, "INCRBYFLOAT", f, err, 0.1)
		f, err = rdb.IncrByFloat(ctx, "fl", 0.2).Result()
		eq(t, "INCRBYFLOAT again", f, err, 0.3)
		isErr(t, "INCR on text", rdb.Incr(ctx, "s").Err(), "ERR value is not an integer or out of range")
		s, err = rdb.GetSet(ctx, "b", "20").Result()
		eq(t, "GETSET", s, err, "2")
		s, err = rdb.GetDel(ctx, "b").Result()
		eq(t, "GETDEL", s, err, "20")
		n, err = rdb.Exists(ctx, "b").Result()
		eq(t, "EXISTS after GETDEL", n, err, int64(0))
		s, err = rdb.GetEx(ctx, "a", time.Hour).Result()
		eq(t, "GETEX", s, err, "-11")
		d, err := rdb.TTL(ctx, "a").Result()
		if err != nil || d < 59*time.Minute || d > time.Hour {
			t.Errorf("TTL after GETEX 1h = %v, %v", d, err)
		}
		rdb.MSet(ctx, "l1", "ohmytext", "l2", "mynewtext")
		lcs, err := rdb.LCS(ctx, &redis.LCSQuery{Key1: "l1", Key2: "l2"}).Result()
		if err != nil || lcs.MatchString != "mytext" {
			t.Errorf("LCS = %+v, %v; want mytext", lcs, err)
		}
		lcs, err = rdb.LCS(ctx, &redis.LCSQuery{Key1: "l1", Key2: "l2", Len: true}).Result()
		if err != nil || lcs.Len != 6 {
			t.Errorf("LCS LEN = %+v, %v; want 6", lcs, err)
		}
		big := make([]byte, 1<<20)
		for i := range big {
			big[i] = byte(i)
		}
		s, err = rdb.Set(ctx, "big", big, 0).Result()
		eq(t, "SET 1MiB binary", s, err, "OK")
		got, err := rdb.Get(ctx, "big").Bytes()
		if err != nil || string(got) != string(big) {
			t.Errorf("GET 1MiB binary value: %d bytes, %v", len(got), err)
		}
	})
}

func TestGoRedisKeyCommands(t *testing.T) {
	forEachServerAndProtocol(t, func(t *testing.T, _ *harness.Server, rdb *redis.Client) {
		ctx := ctxT(t)
		rdb.MSet(ctx, "a", "1", "b", "2", "c", "3")
		n, err := rdb.Exists(ctx, "a", "b", "nope", "a").Result()
		eq(t, "EXISTS", n, err, int64(3))
		s, err := rdb.Type(ctx, "a").Result()
		eq(t, "TYPE", s, err, "string")
		s, err = rdb.Rename(ctx, "a", "a2").Result()
		eq(t, "RENAME", s, err, "OK")
		isErr(t, "RENAME missing", rdb.Rename(ctx, "a", "x").Err(), "ERR no such key")
		ok, err := rdb.RenameNX(ctx, "a2", "b").Result()
		eq(t, "RENAMENX onto existing", ok, err, false)
		n, err = rdb.Copy(ctx, "b", "b2", 0, false).Result()
		eq(t, "COPY", n, err, int64(1))
		n, err = rdb.Copy(ctx, "b", "b", 1, false).Result()
		eq(t, "COPY to db 1", n, err, int64(1))
		ok, err = rdb.Move(ctx, "c", 2).Result()
		eq(t, "MOVE", ok, err, true)
		keys, err := rdb.Keys(ctx, "*").Result()
		sort.Strings(keys)
		eq(t, "KEYS *", keys, err, []string{"a2", "b", "b2"})
		s, err = rdb.ObjectEncoding(ctx, "b").Result()
		eq(t, "OBJECT ENCODING", s, err, "int")
		n, err = rdb.Touch(ctx, "a2", "b", "nope").Result()
		eq(t, "TOUCH", n, err, int64(2))
		n, err = rdb.Del(ctx, "a2", "b", "nope").Result()
		eq(t, "DEL", n, err, int64(2))
		n, err = rdb.DBSize(ctx).Result()
		eq(t, "DBSIZE", n, err, int64(1))
		s, err = rdb.RandomKey(ctx).Result()
		eq(t, "RANDOMKEY", s, err, "b2")

		// SCAN over 1000 keys must return every key, in any order.
		pipe := rdb.Pipeline()
		for i := 0; i < 1000; i++ {
			pipe.Set(ctx, "scan:"+strconv.Itoa(i), i, 0)
		}
		if _, err := pipe.Exec(ctx); err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		it := rdb.Scan(ctx, 0, "scan:*", 37).Iterator()
		for it.Next(ctx) {
			seen[it.Val()] = true
		}
		if err := it.Err(); err != nil || len(seen) != 1000 {
			t.Errorf("SCAN MATCH scan:* found %d distinct keys (err %v), want 1000", len(seen), err)
		}
		s, err = rdb.FlushDB(ctx).Result()
		eq(t, "FLUSHDB", s, err, "OK")
		n, err = rdb.DBSize(ctx).Result()
		eq(t, "DBSIZE after FLUSHDB", n, err, int64(0))
		s, err = rdb.Do(ctx, "SWAPDB", 0, 1).Text()
		eq(t, "SWAPDB", s, err, "OK")
		s, err = rdb.Get(ctx, "b").Result()
		eq(t, "GET after SWAPDB", s, err, "2")
	})
}
