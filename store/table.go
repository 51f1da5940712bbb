package store

import (
	"bytes"
	"math/bits"

	"github.com/cespare/xxhash/v2"

	"petrel/internal/scancursor"
)

// table is a chained hash table whose buckets are a power of two, so that
// SCAN can walk it with Redis's reverse-binary cursor: a key present for the
// whole scan is returned at least once even if the table grows or shrinks
// between calls. It is resized in one step; a shard holds a small part of the
// keyspace, so the pause is short.
type table struct {
	buckets []*Entry
	count   int
}

const minBuckets = 4

func hashKey(key []byte) uint64 { return xxhash.Sum64(key) }

func (t *table) mask() uint64 { return uint64(len(t.buckets) - 1) }

func (t *table) find(h uint64, key []byte) *Entry {
	if t.count == 0 {
		return nil
	}
	for e := t.buckets[h&t.mask()]; e != nil; e = e.next {
		if e.klen == uint32(len(key)) && bytes.Equal(e.Key(), key) {
			return e
		}
	}
	return nil
}

// insert adds e, which must not already be present.
func (t *table) insert(h uint64, e *Entry) {
	if t.count >= len(t.buckets) {
		t.resize(max(minBuckets, len(t.buckets)*2))
	}
	i := h & t.mask()
	e.next = t.buckets[i]
	t.buckets[i] = e
	t.count++
}

// remove unlinks the entry with this key and returns it.
func (t *table) remove(h uint64, key []byte) *Entry {
	if t.count == 0 {
		return nil
	}
	p := &t.buckets[h&t.mask()]
	for e := *p; e != nil; e = e.next {
		if e.klen == uint32(len(key)) && bytes.Equal(e.Key(), key) {
			*p = e.next
			e.next = nil
			t.count--
			if len(t.buckets) > minBuckets && t.count*10 < len(t.buckets) {
				t.resize(max(minBuckets, 1<<bits.Len(uint(t.count))))
			}
			return e
		}
		p = &e.next
	}
	return nil
}

func (t *table) resize(n int) {
	nb := make([]*Entry, n)
	m := uint64(n - 1)
	for _, e := range t.buckets {
		for e != nil {
			next := e.next
			i := hashKey(e.Key()) & m
			e.next = nb[i]
			nb[i] = e
			e = next
		}
	}
	t.buckets = nb
}

// scan visits every entry in the bucket named by cursor and returns the next
// cursor, 0 when the walk is complete.
func (t *table) scan(cursor uint64, fn func(*Entry)) uint64 {
	if len(t.buckets) == 0 {
		return 0
	}
	m := t.mask()
	for e := t.buckets[cursor&m]; e != nil; e = e.next {
		fn(e)
	}
	return scancursor.Next(cursor, m)
}

// random returns a random entry, picking a random non-empty bucket and then a
// random entry in its chain, as Redis's dictGetRandomKey does.
func (t *table) random(rnd func() uint64) *Entry {
	if t.count == 0 {
		return nil
	}
	m := t.mask()
	var head *Entry
	for head == nil {
		head = t.buckets[rnd()&m]
	}
	n := 0
	for e := head; e != nil; e = e.next {
		n++
	}
	k := int(rnd() % uint64(n))
	e := head
	for ; k > 0; k-- {
		e = e.next
	}
	return e
}

// eachInSegment calls fn for the entries whose hash's low SegmentBits are
// seg. With at least NumSegments buckets they fill exactly every
// NumSegments-th bucket from seg, whatever the table's size; a smaller
// table has them mixed with others in one bucket.
func (t *table) eachInSegment(seg int, fn func(*Entry) bool) bool {
	n := len(t.buckets)
	if n >= NumSegments {
		for b := seg; b < n; b += NumSegments {
			for e := t.buckets[b]; e != nil; {
				next := e.next
				if !fn(e) {
					return false
				}
				e = next
			}
		}
		return true
	}
	if n == 0 {
		return true
	}
	for e := t.buckets[seg&(n-1)]; e != nil; {
		next := e.next
		if int(hashKey(e.Key())&(NumSegments-1)) == seg && !fn(e) {
			return false
		}
		e = next
	}
	return true
}

func (t *table) each(fn func(*Entry) bool) bool {
	for _, e := range t.buckets {
		for e != nil {
			next := e.next
			if !fn(e) {
				return false
			}
			e = next
		}
	}
	return true
}
