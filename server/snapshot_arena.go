package server

// snapArena holds the shards writers capture during a snapshot, outside the
// Go heap where the platform allows (snapshot_arena_unix.go). Captures are
// a burst of allocation as large as the part of the dataset written during
// the snapshot; on the heap they drive the collector into long mark phases
// whose assists stall the very clients doing the capturing (hundreds of ms
// at 5 million keys), and grow the heap target for good. Kept apart, they
// cost their own size only, and are handed back whole when the snapshot
// ends. The snapshot's mutex guards the arena.
type snapArena struct {
	chunks [][]byte
	free   []byte // the unused rest of the last chunk
}

// arenaChunk is the size of the arena's allocations.
const arenaChunk = 8 << 20

// copy returns a copy of b in the arena.
func (a *snapArena) copy(b []byte) []byte {
	if len(b) > len(a.free) {
		c := allocOffHeap(max(arenaChunk, len(b)))
		a.chunks = append(a.chunks, c)
		a.free = c
	}
	out := a.free[:len(b):len(b)]
	copy(out, b)
	a.free = a.free[len(b):]
	return out
}

// release returns every chunk; nothing may use the copies afterwards.
func (a *snapArena) release() {
	for _, c := range a.chunks {
		freeOffHeap(c)
	}
	a.chunks, a.free = nil, nil
}
