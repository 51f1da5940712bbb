package server

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"petrel/persistence/rdb"
	"petrel/types"
)

// loadSnapshot reads a snapshot back into db -> key -> value (strings) or
// type name.
func loadSnapshot(t *testing.T, b []byte) map[int]map[string]string {
	t.Helper()
	out := map[int]map[string]string{}
	_, err := rdb.ReadFile(rdb.NewBytesReader(b, nil), rdb.FileHandler{Key: func(k *rdb.Key) error {
		if out[k.DB] == nil {
			out[k.DB] = map[string]string{}
		}
		v := string(k.Value.Str)
		if k.Value.Val != nil {
			v = k.Value.Val.Type()
			if l, ok := k.Value.Val.(*types.List); ok {
				v += fmt.Sprint(l.Len())
			}
		}
		if k.ExpireAt != 0 {
			v += " ttl"
		}
		out[k.DB][string(k.Key)] = v
		return nil
	}})
	if err != nil {
		t.Fatalf("reading the snapshot back: %v", err)
	}
	return out
}

func TestSnapshotHoldsEveryTypeAndDatabase(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	for _, cmd := range [][]string{
		{"SET", "s", "v"}, {"SET", "n", "12345"}, {"SET", "t", "x", "EX", "100"},
		{"RPUSH", "l", "a", "b", "c"}, {"SADD", "set", "1", "2"}, {"HSET", "h", "f", "v"},
		{"ZADD", "z", "1", "m"}, {"XADD", "x", "1-1", "f", "v"}, {"SELECT", "5"}, {"SET", "other", "db5"},
	} {
		c.Do(cmd...)
	}
	var buf bytes.Buffer
	info, err := s.WriteSnapshot(context.Background(), &buf, true)
	if err != nil {
		t.Fatal(err)
	}
	got := loadSnapshot(t, buf.Bytes())
	want := map[int]map[string]string{
		0: {"s": "v", "n": "12345", "t": "x ttl", "l": "list3", "set": "set", "h": "hash", "z": "zset", "x": "stream"},
		5: {"other": "db5"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got %v\nwant %v", got, want)
	}
	if info.Keys != 9 || !bytes.HasPrefix(buf.Bytes(), []byte("REDIS0010")) {
		t.Fatalf("info %+v", info)
	}
}

// TestSnapshotIsOnePointInTime pins the versioned cut: writers keep pairs of
// keys in different shards equal with MSET while the snapshot runs, so a
// snapshot that mixed moments would show a pair that differs.
func TestSnapshotIsOnePointInTime(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	const pairs = 2000
	for i := 0; i < pairs; i++ {
		c.Do("MSET", fmt.Sprint("a", i), "0", fmt.Sprint("b", i), "0")
	}
	var stop atomic.Bool
	var writes atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			wc := dialRaw(t, s)
			for n := 1; !stop.Load(); n++ {
				i := (n*7 + w*131) % pairs
				v := fmt.Sprint(n*10 + w)
				wc.Do("MSET", fmt.Sprint("a", i), v, fmt.Sprint("b", i), v)
				writes.Add(1)
				if n%50 == 0 {
					wc.Do("DEL", fmt.Sprint("gone", w))
					wc.Do("RPUSH", fmt.Sprint("list", w), v)
				}
			}
		}(w)
	}
	for writes.Load() < 100 { // the writers are running
		time.Sleep(time.Millisecond)
	}
	var early int64
	for round := 0; round < 50 && (round < 5 || early == 0); round++ {
		var buf bytes.Buffer
		info, err := s.WriteSnapshot(context.Background(), &buf, false)
		if err != nil {
			t.Fatal(err)
		}
		got := loadSnapshot(t, buf.Bytes())[0]
		for i := 0; i < pairs; i++ {
			a, b := got[fmt.Sprint("a", i)], got[fmt.Sprint("b", i)]
			if a != b {
				stop.Store(true)
				wg.Wait()
				t.Fatalf("round %d: a%d=%q b%d=%q: not one point in time", round, i, a, i, b)
			}
		}
		early += info.CapturedEarly
		if int64(len(got)) != info.Keys {
			t.Fatalf("RESIZEDB said %d keys, file has %d", info.Keys, len(got))
		}
	}
	stop.Store(true)
	wg.Wait()
	if early == 0 {
		t.Fatal("no writer had to capture a shard: the test did not exercise the cut")
	}
	t.Logf("shards captured by writers: %d", early)
}

// Every way a command can change keys keeps the cut: keys a script names,
// keys a script reaches without naming them, a transaction (switching
// databases on the way), and a plain multi-key write. Each writer updates a
// pair of keys at once; in the snapshot both keys of a pair must agree.
func TestSnapshotIsOnePointInTimeForEveryWriter(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	const pairs = 500
	for _, db := range []string{"0", "1"} {
		c.Do("SELECT", db)
		for i := 0; i < pairs; i++ {
			c.Do("MSET", fmt.Sprint("a", i), "0", fmt.Sprint("b", i), "0")
		}
	}
	c.Do("SELECT", "0")
	const declared = "redis.call('SET', KEYS[1], ARGV[1]) redis.call('SET', KEYS[2], ARGV[1])"
	const undeclared = "redis.call('SET', 'a'..ARGV[1], ARGV[2]) redis.call('SET', 'b'..ARGV[1], ARGV[2])"
	writers := []func(wc *rawClient, i int, v string){
		func(wc *rawClient, i int, v string) {
			wc.Do("MSET", fmt.Sprint("a", i), v, fmt.Sprint("b", i), v)
		},
		func(wc *rawClient, i int, v string) {
			wc.Do("EVAL", declared, "2", fmt.Sprint("a", i), fmt.Sprint("b", i), v)
		},
		func(wc *rawClient, i int, v string) {
			wc.Do("EVAL", undeclared, "0", fmt.Sprint(i), v)
		},
		func(wc *rawClient, i int, v string) {
			wc.Send(append(append(append(append(append(append(
				encode("MULTI"),
				encode("SET", fmt.Sprint("a", i), v)...),
				encode("SELECT", "1")...),
				encode("SET", fmt.Sprint("a", i), v)...),
				encode("SET", fmt.Sprint("b", i), v)...),
				encode("SELECT", "0")...),
				encode("SET", fmt.Sprint("b", i), v)...))
			wc.Send(encode("EXEC"))
			for r := 0; r < 7; r++ {
				wc.Read()
			}
		},
	}
	var stop atomic.Bool
	var writes atomic.Int64
	var wg sync.WaitGroup
	for w, write := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wc := dialRaw(t, s)
			for n := 1; !stop.Load(); n++ {
				write(wc, (n*7+w*131)%pairs, fmt.Sprint(n*10+w))
				writes.Add(1)
			}
		}()
	}
	// Serving a blocked client changes keys the writer did not name: every
	// element pushed (and counted in the same transaction) is in one of
	// the two lists.
	wg.Add(2)
	go func() {
		defer wg.Done()
		wc := dialRaw(t, s)
		for !stop.Load() {
			wc.Do("BLMOVE", "from", "to", "LEFT", "RIGHT", "0.05")
		}
	}()
	go func() {
		defer wg.Done()
		wc := dialRaw(t, s)
		for !stop.Load() {
			wc.Send(append(append(append(encode("MULTI"), encode("LPUSH", "from", "x")...), encode("INCR", "pushed")...), encode("EXEC")...))
			for r := 0; r < 4; r++ {
				wc.Read()
			}
			time.Sleep(100 * time.Microsecond)
		}
	}()
	for writes.Load() < 100 {
		time.Sleep(time.Millisecond)
	}
	defer func() {
		stop.Store(true)
		wg.Wait()
	}()
	var early int64
	for round := 0; round < 30; round++ {
		var buf bytes.Buffer
		info, err := s.WriteSnapshot(context.Background(), &buf, false)
		if err != nil {
			t.Fatal(err)
		}
		early += info.CapturedEarly
		snap := loadSnapshot(t, buf.Bytes())
		listLen := func(k string) int {
			n, _ := strconv.Atoi(strings.TrimPrefix(snap[0][k], "list"))
			return n
		}
		if pushed, _ := strconv.Atoi(snap[0]["pushed"]); listLen("from")+listLen("to") != pushed {
			t.Fatalf("round %d: from %q + to %q != pushed %q: serving a blocked client broke the cut", round, snap[0]["from"], snap[0]["to"], snap[0]["pushed"])
		}
		for _, db := range []int{0, 1} {
			got := snap[db]
			for i := 0; i < pairs; i++ {
				if a, b := got[fmt.Sprint("a", i)], got[fmt.Sprint("b", i)]; a != b || a == "" {
					t.Fatalf("round %d, db %d: a%d=%q b%d=%q: not one point in time", round, db, i, a, i, b)
				}
			}
		}
	}
	if early == 0 {
		t.Fatal("no writer had to capture a segment: the test did not exercise the cut")
	}
}
