package store

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

func lockAll(db *DB) func() {
	db.LockShards()
	return db.UnlockShards
}

func TestSetLookupDeleteRoundTrip(t *testing.T) {
	s := New(1, Hooks{})
	db := s.DB(0)
	defer lockAll(db)()
	db.SetString([]byte("k"), []byte("v"), EncAuto, false)
	e := db.Lookup([]byte("k"), 0)
	if e == nil || string(e.Str()) != "v" || string(e.Key()) != "k" {
		t.Fatalf("lookup after set: %v", e)
	}
	db.SetString([]byte("k"), []byte("longer value"), EncAuto, false)
	if got := string(db.Lookup([]byte("k"), 0).Str()); got != "longer value" {
		t.Fatalf("overwrite: got %q", got)
	}
	if !db.Delete([]byte("k")) || db.Lookup([]byte("k"), 0) != nil || db.Delete([]byte("k")) {
		t.Fatal("delete did not remove the key exactly once")
	}
	db.SetString(nil, nil, EncAuto, false)
	if e := db.Lookup([]byte{}, 0); e == nil || len(e.Str()) != 0 {
		t.Fatal("the empty key with an empty value must be storable")
	}
}

func TestStringEncodingFollowsRedisThresholds(t *testing.T) {
	s := New(1, Hooks{})
	db := s.DB(0)
	defer lockAll(db)()
	tests := []struct {
		val  string
		enc  StringEnc
		want string
	}{
		{"123", EncAuto, "int"},
		{"-9223372036854775808", EncAuto, "int"},
		{"9223372036854775808", EncAuto, "embstr"},
		{"0123", EncAuto, "embstr"},
		{"-0", EncAuto, "embstr"},
		{string(make([]byte, 44)), EncAuto, "embstr"},
		{string(make([]byte, 45)), EncAuto, "raw"},
		{"abc", EncRaw, "raw"},
		{"12", EncInt, "int"},
	}
	for _, tc := range tests {
		e := db.SetString([]byte("k"), []byte(tc.val), tc.enc, false)
		if got := e.StringEncoding(); got != tc.want {
			t.Errorf("%q (enc %d): got %s, want %s", tc.val, tc.enc, got, tc.want)
		}
	}
}

func TestExpiryIsLazyOnLookupAndActiveBySampling(t *testing.T) {
	var expired []string
	s := New(1, Hooks{Expired: func(_ *DB, key []byte) { expired = append(expired, string(key)) }})
	db := s.DB(0)
	unlock := lockAll(db)
	e := db.SetString([]byte("a"), []byte("1"), EncAuto, false)
	db.SetExpireAt(e, 100)
	if db.Lookup([]byte("a"), 99) == nil {
		t.Fatal("key expired before its time")
	}
	if db.Lookup([]byte("a"), 100) != nil {
		t.Fatal("key still visible at its expiry time")
	}
	for i := 0; i < 1000; i++ {
		e := db.SetString([]byte(fmt.Sprint("k", i)), []byte("v"), EncAuto, false)
		db.SetExpireAt(e, 50)
	}
	unlock()
	for i := 0; i < NumShards; i++ {
		for {
			sampled, _ := db.ActiveExpireShard(i, 60, 20)
			if sampled == 0 {
				break
			}
		}
	}
	if n := db.Size(); n != 0 {
		t.Fatalf("active expiry left %d keys", n)
	}
	if len(expired) != 1001 || s.ExpiredKeys.Load() != 1001 {
		t.Fatalf("expired hook ran %d times, counter %d", len(expired), s.ExpiredKeys.Load())
	}
}

func TestPersistAndOverwriteClearTTLUnlessKept(t *testing.T) {
	s := New(1, Hooks{})
	db := s.DB(0)
	defer lockAll(db)()
	e := db.SetString([]byte("k"), []byte("v"), EncAuto, false)
	db.SetExpireAt(e, 1000)
	db.SetString([]byte("k"), []byte("w"), EncAuto, true)
	if db.ExpireAt(e) != 1000 {
		t.Fatal("KEEPTTL overwrite lost the TTL")
	}
	db.SetString([]byte("k"), []byte("x"), EncAuto, false)
	if db.ExpireAt(e) != 0 {
		t.Fatal("plain overwrite kept the TTL")
	}
	db.SetExpireAt(e, 1000)
	if !db.Persist(e) || db.Persist(e) || db.ExpireAt(e) != 0 {
		t.Fatal("persist must clear the TTL once")
	}
}

// A key present for the whole scan must be returned even when the table
// grows and shrinks between calls.
func TestScanReturnsStableKeysAcrossResizes(t *testing.T) {
	var tb table
	put := func(k string) { tb.insert(hashKey([]byte(k)), newEntry([]byte(k), nil, nil, EncAuto)) }
	del := func(k string) { tb.remove(hashKey([]byte(k)), []byte(k)) }
	stable := map[string]bool{}
	for i := 0; i < 500; i++ {
		k := fmt.Sprint("stable", i)
		put(k)
		stable[k] = false
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	var churn []string
	cursor := uint64(0)
	for step := 0; ; step++ {
		cursor = tb.scan(cursor, func(e *Entry) {
			if _, ok := stable[string(e.Key())]; ok {
				stable[string(e.Key())] = true
			}
		})
		if cursor == 0 {
			break
		}
		// alternately grow and shrink the table
		if (step/40)%2 == 0 {
			for i := 0; i < 50; i++ {
				k := fmt.Sprint("churn", rnd.Int())
				put(k)
				churn = append(churn, k)
			}
		} else {
			for i := 0; i < 60 && len(churn) > 0; i++ {
				del(churn[len(churn)-1])
				churn = churn[:len(churn)-1]
			}
		}
	}
	for k, seen := range stable {
		if !seen {
			t.Fatalf("scan missed %s", k)
		}
	}
}

func TestWatchIsTouchedByWritesExpiryAndFlush(t *testing.T) {
	s := New(1, Hooks{})
	db := s.DB(0)
	defer lockAll(db)()
	var w Watch
	db.SetString([]byte("k"), []byte("v"), EncAuto, false)
	db.WatchKey([]byte("k"), &w, false)
	db.Touch([]byte("other"))
	if w.Dirty.Load() {
		t.Fatal("touching another key dirtied the watch")
	}
	db.Touch([]byte("k"))
	if !w.Dirty.Load() {
		t.Fatal("touch did not dirty the watch")
	}
	w.Dirty.Store(false)
	db.Flush()
	if !w.Dirty.Load() {
		t.Fatal("flushing a watched key did not dirty the watch")
	}
	db.UnwatchKey([]byte("k"), &w)
	w.Dirty.Store(false)
	db.Touch([]byte("k"))
	if w.Dirty.Load() {
		t.Fatal("unwatched key still dirties")
	}
}

// Touch skips its lookup while no key of the database is watched; the count
// behind that must follow every watcher in and out.
func TestWatchCountFollowsWatchersOfAKey(t *testing.T) {
	s := New(1, Hooks{})
	db := s.DB(0)
	defer lockAll(db)()
	var a, b Watch
	k := []byte("k")
	db.UnwatchKey([]byte("never-watched"), &a)
	db.WatchKey(k, &a, false)
	db.WatchKey(k, &a, false)
	db.WatchKey(k, &b, false)
	db.UnwatchKey(k, &a)
	db.Touch(k)
	if a.Dirty.Load() || !b.Dirty.Load() {
		t.Fatalf("after one of two watchers left: dirty a=%v b=%v, want false true", a.Dirty.Load(), b.Dirty.Load())
	}
	db.UnwatchKey(k, &b)
	if n := db.watchedKeys.Load(); n != 0 {
		t.Fatalf("watched keys = %d once every watcher left, want 0", n)
	}
	b.Dirty.Store(false)
	db.WatchKey(k, &b, false)
	db.Touch(k)
	if !b.Dirty.Load() {
		t.Fatal("a key watched again is not touched")
	}
}

func BenchmarkLookup(b *testing.B) {
	s := New(1, Hooks{})
	db := s.DB(0)
	keys := make([][]byte, 100000)
	for i := range keys {
		keys[i] = []byte(fmt.Sprintf("key:%012d", i))
		db.SetString(keys[i], make([]byte, 64), EncAuto, false)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := keys[i%len(keys)]
		sh := db.Shard(ShardIndex(k))
		sh.Lock()
		db.Lookup(k, 0)
		sh.Unlock()
	}
}

func BenchmarkSetOverwrite(b *testing.B) {
	s := New(1, Hooks{})
	db := s.DB(0)
	keys := make([][]byte, 100000)
	for i := range keys {
		keys[i] = []byte(fmt.Sprintf("key:%012d", i))
	}
	val := make([]byte, 64)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := keys[i%len(keys)]
		sh := db.Shard(ShardIndex(k))
		sh.Lock()
		db.SetString(k, val, EncAuto, false)
		sh.Unlock()
	}
}

// TestMutableStrGrowsInPlaceWithSpareRoom pins amortised growth: a value
// grown a byte at a time keeps its bytes, copies only when a class fills,
// and renames and copies of a grown value are exact.
func TestMutableStrGrowsInPlaceWithSpareRoom(t *testing.T) {
	s := New(1, Hooks{})
	db := s.DB(0)
	e := db.SetString([]byte("k"), []byte("ab"), EncAuto, false)
	moves := 0
	prev := e.kv
	for n := 3; n <= 5000; n++ {
		b := e.MutableStr(n)
		b[n-1] = byte(n)
		if e.kv != prev {
			moves++
			prev = e.kv
		}
	}
	if moves > 12 {
		t.Fatalf("value moved %d times growing to 5000 bytes", moves)
	}
	got := e.Str()
	if len(got) != 5000 || got[0] != 'a' || got[1] != 'b' || got[4999] != byte(5000%256) || got[2] != 3 {
		t.Fatalf("bytes lost: len %d", len(got))
	}
	if e.StringEncoding() != "raw" {
		t.Fatalf("encoding %s", e.StringEncoding())
	}
	if !db.Rename([]byte("k"), []byte("k2")) {
		t.Fatal("rename")
	}
	r := db.LookupNoExpire([]byte("k2"))
	if r.meta&flagSpare != 0 || string(r.Str()) != string(got) {
		t.Fatal("renamed value not exact")
	}
	b := r.MutableStr(5001) // grows again from an exact allocation
	b[5000] = 'z'
	if string(r.Str()[:5000]) != string(got) || r.Str()[5000] != 'z' {
		t.Fatal("growth after rename lost bytes")
	}
	c := db.CopyTo(r, db, []byte("k3"), nil, 0)
	if c.meta&flagSpare != 0 || string(c.Str()) != string(r.Str()) {
		t.Fatal("copy not exact")
	}
	db.SetString([]byte("k2"), []byte("x"), EncAuto, true)
	if r.meta&flagSpare != 0 || string(r.Str()) != "x" {
		t.Fatal("SET did not reset the spare room")
	}
}

func BenchmarkAppendByteAtATime(b *testing.B) {
	s := New(1, Hooks{})
	db := s.DB(0)
	e := db.SetString([]byte("k"), nil, EncAuto, false)
	for i := 0; i < b.N; i++ {
		if i%(1<<20) == 0 {
			e = db.SetString([]byte("k"), nil, EncAuto, false)
		}
		n := int(e.vlen)
		e.MutableStr(n + 1)[n] = 1
	}
}

// A shard's segments split its keys: each key is visited once, in the
// segment KeyUnit names, whether the shard's table is smaller than the
// number of segments or many times larger.
func TestSegmentsPartitionEachShard(t *testing.T) {
	for _, n := range []int{0, 300, 20000, 200000} {
		s := New(1, Hooks{})
		db := s.DB(0)
		unlock := lockAll(db)
		for i := 0; i < n; i++ {
			db.SetString([]byte(fmt.Sprint("key:", i)), []byte("v"), EncAuto, false)
		}
		seen := 0
		for i := 0; i < NumShards; i++ {
			inShard := 0
			db.EachInShard(i, func(*Entry) bool { inShard++; return true })
			inSegments := 0
			for seg := 0; seg < NumSegments; seg++ {
				db.EachInSegment(i, seg, func(e *Entry) bool {
					if si, sg := KeyUnit(e.Key()); si != i || sg != seg {
						t.Fatalf("%d keys: %q visited in shard %d segment %d, KeyUnit says %d/%d", n, e.Key(), i, seg, si, sg)
					}
					inSegments++
					return true
				})
			}
			if inSegments != inShard {
				t.Fatalf("%d keys: shard %d has %d keys, its segments %d", n, i, inShard, inSegments)
			}
			seen += inSegments
		}
		unlock()
		if seen != n {
			t.Fatalf("segments visited %d keys of %d", seen, n)
		}
	}
}

// A same-length string is written over the old bytes: no allocation, and
// the encoding, TTL rules and access data are those of any overwrite.
func TestSameLengthOverwriteIsInPlace(t *testing.T) {
	s := New(1, Hooks{})
	db := s.DB(0)
	defer lockAll(db)()
	key := []byte("k")
	e := db.SetString(key, []byte("12"), EncAuto, false)
	db.SetExpireAt(e, 1<<40)
	e.SetLRU(77)
	for _, c := range []struct {
		val     string
		enc     StringEnc
		keepTTL bool
		wantEnc string
		wantTTL bool
	}{
		{"ab", EncAuto, true, "embstr", true},
		{"34", EncAuto, true, "int", true},
		{"cd", EncRaw, false, "raw", false},
		{"56", EncStr, false, "embstr", false},
	} {
		got := db.SetString(key, []byte(c.val), c.enc, c.keepTTL)
		if got != e || string(got.Str()) != c.val || got.StringEncoding() != c.wantEnc || string(got.Key()) != "k" {
			t.Fatalf("after %q: entry %p (want %p), value %q, encoding %s (want %s)", c.val, got, e, got.Str(), got.StringEncoding(), c.wantEnc)
		}
		if has := db.ExpireAt(got) > 0; has != c.wantTTL {
			t.Fatalf("after %q: TTL kept %v, want %v", c.val, has, c.wantTTL)
		}
		if got.LRU() != 77 {
			t.Fatalf("after %q: access data %d, want 77", c.val, got.LRU())
		}
	}
	val := []byte("xy")
	if n := testing.AllocsPerRun(100, func() { db.SetString(key, val, EncAuto, false) }); n != 0 {
		t.Fatalf("a same-length overwrite allocated %v times", n)
	}
}

// LockOr waits for a held lock until stop's channel closes, then gives up
// without the lock; the lock it gave up on is free again once its holder
// lets go, and a LockOr that is not stopped gets it when it comes free.
func TestLockOrGivesUpWhenStopped(t *testing.T) {
	var sh Shard
	sh.Lock()
	stop := make(chan struct{})
	gaveUp := make(chan bool)
	go func() { gaveUp <- !sh.LockOr(func() <-chan struct{} { return stop }) }()
	close(stop)
	if !<-gaveUp {
		t.Fatal("LockOr took a held lock")
	}
	sh.Unlock()
	// The helper that waited for the lock gives it back.
	for end := time.Now().Add(5 * time.Second); !sh.TryLock(); time.Sleep(time.Millisecond) {
		if time.Now().After(end) {
			t.Fatal("the lock stayed taken after LockOr gave up")
		}
	}
	got := make(chan bool)
	go func() { got <- sh.LockOr(func() <-chan struct{} { return make(chan struct{}) }) }()
	time.Sleep(10 * time.Millisecond)
	sh.Unlock()
	if !<-got {
		t.Fatal("LockOr gave up without being stopped")
	}
	sh.Unlock()
	if !sh.LockOr(func() <-chan struct{} { panic("stop asked for a free lock") }) {
		t.Fatal("LockOr failed on a free lock")
	}
}

// LockAllOr releases what it took when it gives up.
func TestLockAllOrReleasesWhatItTookWhenStopped(t *testing.T) {
	s := New(2, Hooks{})
	held := s.DB(1).Shard(5)
	held.Lock()
	stop := make(chan struct{})
	close(stop)
	if s.LockAllOr(func() <-chan struct{} { return stop }) {
		t.Fatal("LockAllOr took a held lock")
	}
	held.Unlock()
	s.LockAll() // would deadlock if any lock were left taken
	s.UnlockAll()
}
