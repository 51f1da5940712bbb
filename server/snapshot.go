package server

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"petrel/internal/num"
	"petrel/persistence/rdb"
	"petrel/scripting"
	"petrel/store"
	"petrel/types"
)

// Point-in-time snapshots without fork: the versioned cut of the design
// notes.
//
// A snapshot starts with a barrier: every shard lock is taken for a moment,
// the snapshot is marked active and the databases' sizes are recorded. From
// then on, a command about to change a key (it holds the key's shard lock)
// first copies the key's entry as it is, or notes that it did not exist,
// into a side table: the key is "captured". A walker goes through the
// shards, a segment (store.KeyUnit: a 64th of a shard, by bits of the key's
// hash) at a time under the shard's lock, and writes each segment as it was
// at the barrier: its live keys except the captured ones, plus the captured
// copies that existed. Commands that change keys they cannot name
// (FLUSHALL, FLUSHDB, SWAPDB, DEBUG POPULATE and LOADAOF) capture whole
// segments. So the file holds the keyspace as it was at the barrier while
// clients keep writing; a write pays for copying one entry, the extra
// memory is the serialized form of the keys written before the walker
// reached them, and the longest a writer waits for the walker is the time
// it takes to serialize a segment.
//
// Concurrency: a segment's state is read and changed only by holders of its
// shard's lock, so a key or segment is captured exactly once;
// snapshotState.mu guards the map of segment states and the arena, and is
// taken with shard locks held (after them, never before).

type snapshotState struct {
	active atomic.Bool
	mu     sync.Mutex
	// units holds the state of each segment (unitID) the snapshot has
	// captured from or written out; a segment not in it is untouched.
	units map[uint32]*unitState
	opts  *rdb.Options
	busy  sync.Mutex // one snapshot at a time
	// capturedEarly counts the keys and segments writers captured, and
	// capturedBytes their serialized size (figures for tests and
	// benchmarks).
	capturedEarly atomic.Int64
	capturedBytes atomic.Int64
	arena         snapArena // the captured bytes; guarded by mu
	scratch       sync.Pool // *[]byte buffers writers serialize into
}

// unitState is what a snapshot holds of one segment.
type unitState struct {
	written bool   // the walker wrote the segment out
	whole   bool   // captured whole: at is the segment at the barrier
	at      []byte // (in the arena)
	// keys holds the keys changed since the barrier, each with its entry
	// as it was then in RDB form, or nil if it did not exist.
	keys map[string][]byte
}

// unitID names segment seg of shard i of database db.
func unitID(db, i, seg int) uint32 {
	return uint32(db)<<(store.ShardBits+store.SegmentBits) | uint32(i)<<store.SegmentBits | uint32(seg)
}

// unit returns segment id's state, creating it; ok is false once the
// snapshot has ended. mu is held.
func (sn *snapshotState) unit(id uint32) (u *unitState, ok bool) {
	if sn.units == nil {
		return nil, false
	}
	if u = sn.units[id]; u == nil {
		u = &unitState{}
		sn.units[id] = u
	}
	return u, true
}

// open returns segment id's state if the snapshot still needs writers to
// capture from it: it runs, and the segment is neither written out nor
// captured whole. The caller holds the segment's shard lock.
func (sn *snapshotState) open(id uint32) *unitState {
	sn.mu.Lock()
	u, ok := sn.unit(id)
	sn.mu.Unlock()
	if !ok || u.written || u.whole {
		return nil
	}
	return u
}

// snapshotCapture captures every segment of shard i of database db that a
// running snapshot has neither captured nor written yet. The caller holds
// the shard's lock and is about to change keys it cannot name.
func (s *Server) snapshotCapture(db, i int) {
	if !s.snap.active.Load() {
		return
	}
	for seg := 0; seg < store.NumSegments; seg++ {
		s.snapshotCaptureUnit(db, i, seg)
	}
}

func (s *Server) snapshotCaptureUnit(db, i, seg int) {
	sn := &s.snap
	u := sn.open(unitID(db, i, seg))
	if u == nil {
		return
	}
	bp := sn.scratchBuf()
	b := s.segmentAtBarrier(*bp, s.store.DB(db), i, seg, u.keys)
	sn.mu.Lock()
	if sn.units != nil { // else the snapshot ended meanwhile
		u.whole, u.at, u.keys = true, sn.arena.copy(b), nil
		sn.capturedEarly.Add(1)
		sn.capturedBytes.Add(int64(len(b)))
	}
	sn.mu.Unlock()
	*bp = b
	sn.scratch.Put(bp)
}

// snapshotCaptureKey captures key of database db if a snapshot is running
// and has neither captured it nor written its segment yet. The caller
// holds the key's shard lock and is about to change the key.
func (s *Server) snapshotCaptureKey(db int, key []byte) {
	sn := &s.snap
	if !sn.active.Load() {
		return
	}
	i, seg := store.KeyUnit(key)
	u := sn.open(unitID(db, i, seg))
	if u == nil {
		return
	}
	if _, done := u.keys[string(key)]; done {
		return
	}
	d := s.store.DB(db)
	var b []byte
	bp := sn.scratchBuf()
	if e := d.LookupNoExpire(key); e != nil {
		w := rdb.NewAppendWriter((*bp)[:0], sn.opts)
		writeEntry(w, d, e)
		b = w.Bytes()
	}
	sn.mu.Lock()
	if sn.units != nil { // else the snapshot ended meanwhile
		if u.keys == nil {
			u.keys = make(map[string][]byte)
		}
		var at []byte
		if b != nil {
			at = sn.arena.copy(b)
		}
		u.keys[string(key)] = at
		sn.capturedEarly.Add(1)
		sn.capturedBytes.Add(int64(len(b)))
	}
	sn.mu.Unlock()
	if b != nil {
		*bp = b
	}
	sn.scratch.Put(bp)
}

func (sn *snapshotState) scratchBuf() *[]byte {
	bp, _ := sn.scratch.Get().(*[]byte)
	if bp == nil {
		bp = new([]byte)
	}
	return bp
}

// segmentAtBarrier writes segment seg of shard i as it was at the
// snapshot's barrier into dst's memory: its keys, except those changed
// since (changed), whose copies from then follow. The caller holds the
// shard's lock.
func (s *Server) segmentAtBarrier(dst []byte, db *store.DB, i, seg int, changed map[string][]byte) []byte {
	w := rdb.NewAppendWriter(dst[:0], s.snap.opts)
	db.EachInSegment(i, seg, func(e *store.Entry) bool {
		if _, ok := changed[string(e.Key())]; !ok {
			writeEntry(w, db, e)
		}
		return true
	})
	for _, b := range changed {
		w.WriteRaw(b)
	}
	return w.Bytes()
}

// snapshotCaptureLocked captures what a command about to write may change:
// what its table entry's Writes captures, if it has one; else the keys it
// names when its locks come from them, or every segment of every shard it
// holds.
func (s *Server) snapshotCaptureLocked(c *Client, ls *lockSet, cmd *Command, args [][]byte, db int) {
	if !s.snap.active.Load() {
		return
	}
	switch {
	case cmd == nil:
		// EXEC: what each queued command may change.
		var one lockSet
		s.eachQueued(c, func(q queued, db int) {
			if commandMayWrite(q.cmd, q.args) {
				s.locksFor(c, q.cmd, q.args, db, &one)
				s.snapshotCaptureLocked(c, &one, q.cmd, q.args, db)
			}
		})
		return
	case cmd.Writes != nil:
		cmd.Writes(s, c, cmd, ls, args, db)
		return
	case !ls.all && lockModeOf(s, cmd, args) == LockKeys:
		c.keyBuf = cmd.KeyPositions(args, c.keyBuf[:0])
		for _, p := range c.keyBuf {
			s.snapshotCaptureKey(db, args[p])
		}
		return
	case !ls.all:
		for _, id := range ls.shards {
			s.snapshotCapture(int(id>>store.ShardBits), int(id&(store.NumShards-1)))
		}
		return
	}
	s.snapshotCaptureAll()
}

// captureNothing is Writes for commands that capture nothing themselves:
// scripts and EXEC (each command they run captures what it changes), and
// FUNCTION's writers, which lock everything to stay on one side of the
// barrier, where the snapshot takes the libraries, and change no key.
func captureNothing(*Server, *Client, *Command, *lockSet, [][]byte, int) {}

// captureKeyInEveryDB is Writes for MOVE and COPY, which lock everything
// only because the other database is an argument: they change their keys
// in some databases.
func captureKeyInEveryDB(s *Server, c *Client, cmd *Command, _ *lockSet, args [][]byte, _ int) {
	for _, p := range cmd.KeyPositions(args, c.keyBuf[:0]) {
		for d := 0; d < s.store.NumDBs(); d++ {
			s.snapshotCaptureKey(d, args[p])
		}
	}
}

// captureSwapped is Writes for SWAPDB, which locks everything and changes
// the two databases it swaps.
func captureSwapped(s *Server, _ *Client, _ *Command, _ *lockSet, args [][]byte, _ int) {
	for _, a := range args[1:3] {
		if d, ok := num.ParseInt(a); ok && d >= 0 && d < int64(s.store.NumDBs()) {
			s.snapshotCaptureDB(int(d))
		}
	}
}

// captureDebug is Writes for DEBUG's writing subcommands: POPULATE adds keys
// to the client's database; the others may change anything.
func captureDebug(s *Server, _ *Client, _ *Command, _ *lockSet, args [][]byte, db int) {
	if len(args) > 1 && strings.EqualFold(string(args[1]), "populate") {
		s.snapshotCaptureDB(db)
		return
	}
	s.snapshotCaptureAll()
}

// captureStoreKey makes the Writes of SORT, GEORADIUS and GEORADIUSBYMEMBER,
// which may lock their database to read keys their patterns name but write
// only the key they store into, at pos(args) (0 for none).
func captureStoreKey(pos func(args [][]byte) int) func(*Server, *Client, *Command, *lockSet, [][]byte, int) {
	return func(s *Server, _ *Client, _ *Command, ls *lockSet, args [][]byte, db int) {
		if ls.all {
			s.snapshotCaptureAll()
			return
		}
		if p := pos(args); p > 0 {
			s.snapshotCaptureKey(db, args[p])
		}
	}
}

// snapshotCaptureAll captures every database.
func (s *Server) snapshotCaptureAll() {
	for d := 0; d < s.store.NumDBs(); d++ {
		s.snapshotCaptureDB(d)
	}
}

// snapshotCaptureDB captures every segment of database d.
func (s *Server) snapshotCaptureDB(d int) {
	for i := 0; i < store.NumShards; i++ {
		s.snapshotCapture(d, i)
	}
}

// mayWrite reports whether running cmd (or, for EXEC, the transaction) may
// change the keyspace, which is when a running snapshot must capture first.
func mayWrite(c *Client, cmd *Command) bool {
	return thisOrQueued(c, cmd, commandMayWrite)
}

// thisOrQueued reports whether test holds for cmd with the client's
// arguments or, for EXEC, for one of the queued commands.
func thisOrQueued(c *Client, cmd *Command, test func(*Command, [][]byte) bool) bool {
	if cmd.Name != "exec" {
		return test(cmd, c.ctx.Args)
	}
	for _, q := range c.queue {
		if test(q.cmd, q.args) {
			return true
		}
	}
	return false
}

// commandMayWrite reports whether cmd with args may change the keyspace:
// write commands, scripts, and the DEBUG subcommands that write.
func commandMayWrite(cmd *Command, args [][]byte) bool {
	switch {
	case cmd.Is(FlagWrite):
		return true
	case cmd.Name == "eval", cmd.Name == "evalsha", cmd.Name == "fcall":
		return true
	case cmd.Name == "debug":
		return debugWrites(args)
	}
	return false
}

// debugWrites reports whether a DEBUG command changes the keyspace though
// DEBUG has no write flag: POPULATE adds keys, RELOAD replaces them all.
func debugWrites(args [][]byte) bool {
	if len(args) < 2 {
		return false
	}
	sub := string(args[1])
	return strings.EqualFold(sub, "populate") || strings.EqualFold(sub, "reload") || strings.EqualFold(sub, "loadaof")
}

// serializeShardInto writes shard i's keys in RDB form into dst's memory:
// for each key, its expiry if it has one, then type, key and value. The
// caller holds the shard lock.
func (s *Server) serializeShardInto(dst []byte, db *store.DB, i int, opts *rdb.Options) []byte {
	w := rdb.NewAppendWriter(dst[:0], opts)
	db.EachInShard(i, func(e *store.Entry) bool {
		writeEntry(w, db, e)
		return true
	})
	return w.Bytes()
}

func writeEntry(w *rdb.Writer, db *store.DB, e *store.Entry) {
	if at := db.ExpireAt(e); at != 0 {
		w.WriteByte(rdb.OpExpireTimeMS)
		w.WriteMillis(at)
	}
	var o rdb.Object
	if e.IsString() {
		o.Str = e.Str()
	} else {
		v, ok := e.Obj().(types.Value)
		if !ok {
			return
		}
		o.Val = v
	}
	t, _, err := rdb.ObjectType(o)
	if err != nil {
		return
	}
	w.WriteType(t)
	w.WriteString(e.Key())
	w.WriteValue(t, o)
}

// SnapshotInfo describes a written snapshot.
type SnapshotInfo struct {
	Keys    int64 // keys written
	Bytes   int64 // file size
	Started time.Time
	// CapturedEarly counts keys and segments writers had to capture before the
	// walker reached them: the extra memory the snapshot needed.
	CapturedEarly int64
	CapturedBytes int64 // the serialized size of those
}

// WriteSnapshot writes an RDB file (version 10, as Redis 7.0 writes) of the
// whole keyspace as it was at one moment, while clients keep reading and
// writing. It returns when the file is written to w; it does not sync or
// rename anything. ctx cancels it between shards.
func (s *Server) WriteSnapshot(ctx context.Context, w io.Writer, compress bool) (SnapshotInfo, error) {
	return s.writeSnapshot(ctx, w, snapshotOpts{compress: compress, checksum: true})
}

// snapshotOpts are writeSnapshot's settings.
type snapshotOpts struct {
	compress bool // rdbcompression
	checksum bool // rdbchecksum; without it the trailer is zero, as Redis writes it
	// locked means the caller already holds every shard lock (DEBUG
	// RELOAD, FLUSHALL): nothing can change, so no barrier or capture.
	locked bool
	// aofBase marks an AOF base file (the aof-base AUX field); atBarrier,
	// if set, runs at the barrier with every shard locked (aof_rewrite.go).
	aofBase   bool
	atBarrier func()
}

func (s *Server) writeSnapshot(ctx context.Context, w io.Writer, so snapshotOpts) (SnapshotInfo, error) {
	info := SnapshotInfo{Started: time.Now()}
	opts := &rdb.Options{Compress: so.compress}
	n := s.store.NumDBs()
	sizes := make([][2]int, n)
	shardSizes := func() {
		for d := 0; d < n; d++ {
			db := s.store.DB(d)
			for i := 0; i < store.NumShards; i++ {
				k, e := db.ShardSize(i)
				sizes[d][0] += k
				sizes[d][1] += e
			}
		}
	}
	var usedMem int64
	var libs []string // the function libraries at the snapshot's moment
	if so.locked {
		shardSizes()
		libs = s.scripts.engine.Functions().Codes()
		usedMem = s.usedMemory()
	} else {
		s.snap.busy.Lock()
		defer s.snap.busy.Unlock()
		// The barrier: one consistent moment for every shard.
		s.store.LockAll()
		s.snap.units = make(map[uint32]*unitState)
		s.snap.opts = opts
		s.snap.capturedEarly.Store(0)
		s.snap.capturedBytes.Store(0)
		shardSizes()
		// FUNCTION LOAD, DELETE, RESTORE and FLUSH lock every shard.
		libs = s.scripts.engine.Functions().Codes()
		if so.atBarrier != nil {
			so.atBarrier()
		}
		s.snap.active.Store(true)
		usedMem = s.usedMemory()
		s.store.UnlockAll()
		defer func() {
			s.snap.active.Store(false)
			s.snap.mu.Lock()
			s.snap.units = nil
			s.snap.arena.release()
			s.snap.mu.Unlock()
		}()
	}

	rw := rdb.NewWriter(w, opts)
	rw.WriteRaw([]byte(fmt.Sprintf("REDIS%04d", rdb.Version)))
	aux := func(k, v string) {
		rw.WriteByte(rdb.OpAux)
		rw.WriteString([]byte(k))
		rw.WriteString([]byte(v))
	}
	aux("redis-ver", Version)
	aux("redis-bits", "64")
	aux("ctime", strconv.FormatInt(info.Started.Unix(), 10))
	aux("used-mem", strconv.FormatInt(usedMem, 10))
	aux("aof-base", strconv.FormatInt(b2i(so.aofBase), 10))
	// Function libraries come before the keys, as Redis writes them.
	scripting.WriteFunctionRecords(rw, libs)
	var scratch []byte
	for d := 0; d < n; d++ {
		if sizes[d][0] == 0 {
			continue
		}
		rw.WriteByte(rdb.OpSelectDB)
		rw.WriteLen(uint64(d))
		rw.WriteByte(rdb.OpResizeDB)
		rw.WriteLen(uint64(sizes[d][0]))
		rw.WriteLen(uint64(sizes[d][1]))
		db := s.store.DB(d)
		for i := 0; i < store.NumShards; i++ {
			if err := ctx.Err(); err != nil {
				return info, err
			}
			// The segments the walker serializes itself share one buffer,
			// so a snapshot's garbage stays about one shard's size.
			if so.locked {
				scratch = s.serializeShardInto(scratch, db, i, opts)
				rw.WriteRaw(scratch)
			} else {
				// A segment at a time, so a writer waits for the walker
				// no longer than one segment takes.
				for seg := 0; seg < store.NumSegments; seg++ {
					var b []byte
					b, scratch = s.walkSegment(db, d, i, seg, scratch)
					rw.WriteRaw(b)
				}
			}
			if err := rw.Err(); err != nil {
				return info, fmt.Errorf("writing snapshot: %w", err)
			}
		}
		info.Keys += int64(sizes[d][0])
	}
	rw.WriteByte(rdb.OpEOF)
	var sum uint64
	if so.checksum {
		sum = rw.Sum()
	}
	var tail [8]byte
	for k := 0; k < 8; k++ {
		tail[k] = byte(sum >> (8 * k))
	}
	rw.WriteRaw(tail[:])
	if err := rw.Flush(); err != nil {
		return info, fmt.Errorf("writing snapshot: %w", err)
	}
	info.Bytes = rw.Written()
	if !so.locked {
		info.CapturedEarly = s.snap.capturedEarly.Load()
		info.CapturedBytes = s.snap.capturedBytes.Load()
	}
	return info, nil
}

// walkSegment returns the bytes of segment seg of shard i as of the
// barrier and marks the segment written out.
func (s *Server) walkSegment(db *store.DB, d, i, seg int, scratch []byte) (b, scratchOut []byte) {
	sn := &s.snap
	sh := db.Shard(i)
	sh.Lock()
	sn.mu.Lock()
	u, _ := sn.unit(unitID(d, i, seg))
	sn.mu.Unlock()
	scratchOut = scratch
	if u.whole {
		b = u.at
	} else {
		b = s.segmentAtBarrier(scratch, db, i, seg, u.keys)
		scratchOut = b
	}
	u.written, u.whole, u.at, u.keys = true, false, nil, nil
	sh.Unlock()
	return b, scratchOut
}
