package store

import (
	"fmt"
	"testing"
)

type fakeValue struct{ items []string }

func TestRenameCarriesValueTTLAndMetadata(t *testing.T) {
	s := New(1, Hooks{})
	db := s.DB(0)
	defer lockAll(db)()
	e := db.SetString([]byte("src"), []byte("value"), EncRaw, false)
	e.SetLRU(1234)
	db.SetExpireAt(e, 5000)
	db.SetString([]byte("dst"), []byte("old"), EncAuto, false)
	if !db.Rename([]byte("src"), []byte("dst")) {
		t.Fatal("Rename of an existing key reported false")
	}
	if db.LookupNoExpire([]byte("src")) != nil {
		t.Fatal("source still present")
	}
	n := db.LookupNoExpire([]byte("dst"))
	if n == nil || string(n.Str()) != "value" || string(n.Key()) != "dst" {
		t.Fatalf("destination: %v", n)
	}
	if n.LRU() != 1234 || n.StringEncoding() != "raw" || db.ExpireAt(n) != 5000 {
		t.Fatalf("lru %d enc %s expire %d", n.LRU(), n.StringEncoding(), db.ExpireAt(n))
	}
	if db.Rename([]byte("nope"), []byte("x")) {
		t.Fatal("Rename of a missing key reported true")
	}
	// a non-string value keeps its object
	obj := &fakeValue{items: []string{"a"}}
	db.SetObject([]byte("o"), obj)
	db.Rename([]byte("o"), []byte("o2"))
	if got := db.LookupNoExpire([]byte("o2")); got == nil || got.Obj() != obj || string(got.Key()) != "o2" {
		t.Fatalf("object rename: %v", got)
	}
}

func TestMoveToKeepsEntryAndRefusesOccupiedTarget(t *testing.T) {
	s := New(2, Hooks{})
	a, b := s.DB(0), s.DB(1)
	s.LockAll()
	defer s.UnlockAll()
	e := a.SetString([]byte("k"), []byte("42"), EncAuto, false)
	e.SetLRU(77)
	a.SetExpireAt(e, 9000)
	if !a.MoveTo(b, []byte("k")) {
		t.Fatal("MoveTo reported false")
	}
	if a.LookupNoExpire([]byte("k")) != nil {
		t.Fatal("key still in the source database")
	}
	if keys, exp := a.ShardSize(ShardIndex([]byte("k"))); keys != 0 || exp != 0 {
		t.Fatalf("source shard keeps %d keys, %d TTLs", keys, exp)
	}
	n := b.LookupNoExpire([]byte("k"))
	if n == nil || string(n.Str()) != "42" || n.LRU() != 77 || n.StringEncoding() != "int" || b.ExpireAt(n) != 9000 {
		t.Fatalf("moved entry: %v", n)
	}
	a.SetString([]byte("k"), []byte("other"), EncAuto, false)
	if a.MoveTo(b, []byte("k")) {
		t.Fatal("MoveTo over an existing key reported true")
	}
	if string(b.LookupNoExpire([]byte("k")).Str()) != "42" || string(a.LookupNoExpire([]byte("k")).Str()) != "other" {
		t.Fatal("a refused move changed something")
	}
	if a.MoveTo(b, []byte("missing")) {
		t.Fatal("MoveTo of a missing key reported true")
	}
}

func TestCopyToDuplicatesAndMarksCopied(t *testing.T) {
	s := New(2, Hooks{})
	a, b := s.DB(0), s.DB(1)
	s.LockAll()
	defer s.UnlockAll()
	e := a.SetString([]byte("k"), []byte("7"), EncAuto, false)
	e.SetLRU(5)
	for i, dst := range []*DB{a, b} {
		dst.SetString([]byte("c"), []byte("old"), EncAuto, false)
		n := a.CopyTo(e, dst, []byte("c"), nil, int64(1000+i))
		got := dst.LookupNoExpire([]byte("c"))
		if got != n || string(got.Str()) != "7" || got.StringEncoding() != "int" || !got.Copied() || got.LRU() != 0 {
			t.Fatalf("copy into db %d: %v", i, got)
		}
		if dst.ExpireAt(got) != int64(1000+i) {
			t.Fatalf("copy into db %d: expire %d", i, dst.ExpireAt(got))
		}
	}
	if e.Copied() || string(a.LookupNoExpire([]byte("k")).Str()) != "7" {
		t.Fatal("the source changed")
	}
	// Overwriting the copy's value makes it an ordinary value again.
	a.SetString([]byte("c"), []byte("8"), EncAuto, true)
	if a.LookupNoExpire([]byte("c")).Copied() {
		t.Fatal("a new value kept the copied mark")
	}
	// Objects are the caller's duplicate; no TTL means none.
	src := a.SetObject([]byte("o"), &fakeValue{})
	dup := &fakeValue{}
	n := a.CopyTo(src, b, []byte("o"), dup, 0)
	if n.Obj() != dup || b.ExpireAt(n) != 0 || string(n.Key()) != "o" {
		t.Fatalf("object copy: %v", n)
	}
}

func TestExpired(t *testing.T) {
	s := New(1, Hooks{})
	db := s.DB(0)
	defer lockAll(db)()
	e := db.SetString([]byte("k"), []byte("v"), EncAuto, false)
	if db.Expired(e, 1<<62) {
		t.Fatal("a key without TTL expired")
	}
	db.SetExpireAt(e, 100)
	for now, want := range map[int64]bool{99: false, 100: true, 101: true} {
		if got := db.Expired(e, now); got != want {
			t.Errorf("Expired at %d = %v, want %v", now, got, want)
		}
	}
}

func TestRenameManyKeepsExpiringIndexConsistent(t *testing.T) {
	s := New(1, Hooks{})
	db := s.DB(0)
	defer lockAll(db)()
	for i := 0; i < 500; i++ {
		e := db.SetString([]byte(fmt.Sprint("k", i)), []byte("v"), EncAuto, false)
		db.SetExpireAt(e, int64(1000+i))
	}
	for i := 0; i < 500; i++ {
		if !db.Rename([]byte(fmt.Sprint("k", i)), []byte(fmt.Sprint("r", i))) {
			t.Fatal("rename failed")
		}
	}
	for i := 0; i < 500; i++ {
		e := db.LookupNoExpire([]byte(fmt.Sprint("r", i)))
		if e == nil || db.ExpireAt(e) != int64(1000+i) {
			t.Fatalf("r%d lost its TTL", i)
		}
	}
	total := 0
	for i := 0; i < NumShards; i++ {
		_, exp := db.ShardSize(i)
		total += exp
	}
	if total != 500 {
		t.Fatalf("%d TTLs indexed, want 500", total)
	}
}
