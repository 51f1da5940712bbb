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

	"petrel/persistence/rdb"
	"petrel/scripting"
	"petrel/store"
	"petrel/types"
)

// Point-in-time snapshots without fork: the versioned cut of the design
// notes, at the granularity of a shard's segment (store.KeyUnit): a
// 64th of a shard, chosen by bits of the key's hash.
//
// A snapshot starts with a barrier: every shard lock is taken for a moment,
// the snapshot is marked active and the databases' sizes are recorded. From
// then on, a command about to change a key (it holds the key's shard lock)
// first serializes the key's segment as it is into a side buffer: the
// segment is "captured". Commands that change keys they do not name (FLUSHALL,
// a script's undeclared keys, serving blocked clients) capture whole shards.
// A walker goes through the segments in order, capturing each one not
// captured yet under its shard's lock, and writes the captured bytes out. So
// the file holds every segment as it was at the barrier, while clients keep
// writing; the extra memory is the serialized form of the segments written
// before the walker reached them, and the longest a writer waits for a
// capture (or the walker) is the time to serialize one segment.
//
// Concurrency: capturing happens with the shard's lock held, so a segment is
// captured exactly once; snapshotState.mu guards only the map of captured
// segments and is taken with shard locks held (after them, never before).

type snapshotState struct {
	active atomic.Bool
	mu     sync.Mutex
	// captured holds, per segment (unitID), its serialized keys; a nil
	// entry that is present means written out already.
	captured map[uint32][]byte
	opts     *rdb.Options
	busy     sync.Mutex // one snapshot at a time
	// capturedEarly counts the segments that writers captured (a figure
	// for tests and benchmarks).
	capturedEarly atomic.Int64
	capturedBytes atomic.Int64 // their serialized size
	arena         snapArena    // the captured segments' bytes; guarded by mu
	scratch       sync.Pool    // *[]byte buffers writers serialize into
}

// unitID names segment seg of shard i of database db.
func unitID(db, i, seg int) uint32 {
	return uint32(db)<<(store.ShardBits+store.SegmentBits) | uint32(i)<<store.SegmentBits | uint32(seg)
}

// snapshotCapture captures every segment of shard i of database db that a
// running snapshot has not captured yet. The caller holds the shard's lock
// and is about to change keys it cannot name.
func (s *Server) snapshotCapture(db, i int) {
	if !s.snap.active.Load() {
		return
	}
	for seg := 0; seg < store.NumSegments; seg++ {
		s.snapshotCaptureUnit(db, i, seg)
	}
}

// snapshotCaptureKey captures the segment of key in database db if a
// snapshot is running and has not captured it yet. The caller holds the
// key's shard lock and is about to change the key.
func (s *Server) snapshotCaptureKey(db int, key []byte) {
	if !s.snap.active.Load() {
		return
	}
	i, seg := store.KeyUnit(key)
	s.snapshotCaptureUnit(db, i, seg)
}

func (s *Server) snapshotCaptureUnit(db, i, seg int) {
	id := unitID(db, i, seg)
	s.snap.mu.Lock()
	_, done := s.snap.captured[id]
	s.snap.mu.Unlock()
	if done {
		return
	}
	bp, _ := s.snap.scratch.Get().(*[]byte)
	if bp == nil {
		bp = new([]byte)
	}
	b := s.serializeSegmentInto(*bp, s.store.DB(db), i, seg, s.snap.opts)
	s.snap.mu.Lock()
	// captured is nil once the snapshot has ended while this writer was
	// serializing; a later snapshot's map cannot be here yet, since its
	// barrier needs this shard's lock.
	if _, done := s.snap.captured[id]; !done && s.snap.captured != nil {
		s.snap.captured[id] = s.snap.arena.copy(b)
		s.snap.capturedEarly.Add(1)
		s.snap.capturedBytes.Add(int64(len(b)))
	}
	s.snap.mu.Unlock()
	*bp = b
	s.snap.scratch.Put(bp)
}

// snapshotCaptureLocked captures what a command about to write may change:
// the segments of the keys it names when its locks come from them, or
// every shard it holds otherwise.
func (s *Server) snapshotCaptureLocked(c *Client, ls *lockSet, cmd *Command, args [][]byte, db int) {
	if !s.snap.active.Load() {
		return
	}
	switch {
	case cmd == nil:
		// EXEC: what each queued command may change.
		var one lockSet
		s.eachQueued(c, func(q queued, db int) {
			if q.cmd.Is(FlagWrite) || (q.cmd.Name == "debug" && debugWrites(q.args)) {
				s.locksFor(c, q.cmd, q.args, db, &one)
				s.snapshotCaptureLocked(c, &one, q.cmd, q.args, db)
			}
		})
		return
	case runsScript(cmd):
		// Each command of the script captures what it changes.
		return
	case strings.HasPrefix(cmd.Name, "function|"):
		// They lock everything to stay on one side of the barrier, where
		// the snapshot takes the libraries; they change no key.
		return
	case cmd.Name == "move" || cmd.Name == "copy":
		// They lock everything only because the other database is an
		// argument; they change one key in some databases.
		for _, p := range cmd.KeyPositions(args, c.keyBuf[:0]) {
			for d := 0; d < s.store.NumDBs(); d++ {
				s.snapshotCaptureKey(d, args[p])
			}
		}
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
	for d := 0; d < s.store.NumDBs(); d++ {
		for i := 0; i < store.NumShards; i++ {
			s.snapshotCapture(d, i)
		}
	}
}

// mayWrite reports whether running cmd (or, for EXEC, the transaction) may
// change the keyspace, which is when a running snapshot must capture first.
func mayWrite(c *Client, cmd *Command) bool {
	if cmd.Is(FlagWrite) {
		return true
	}
	switch cmd.Name {
	case "eval", "evalsha", "fcall":
		return true
	case "debug":
		return debugWrites(c.ctx.Args)
	case "exec":
		for _, q := range c.queue {
			if q.cmd.Is(FlagWrite) || q.cmd.Name == "eval" || q.cmd.Name == "evalsha" || q.cmd.Name == "fcall" ||
				(q.cmd.Name == "debug" && debugWrites(q.args)) {
				return true
			}
		}
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
	return strings.EqualFold(sub, "populate") || strings.EqualFold(sub, "reload")
}

// serializeSegmentInto writes the keys of segment seg of shard i in RDB
// form into dst's memory, as serializeShardInto does for a whole shard.
func (s *Server) serializeSegmentInto(dst []byte, db *store.DB, i, seg int, opts *rdb.Options) []byte {
	w := rdb.NewAppendWriter(dst[:0], opts)
	db.EachInSegment(i, seg, func(e *store.Entry) bool {
		writeEntry(w, db, e)
		return true
	})
	return w.Bytes()
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
	// CapturedEarly counts shards that writers had to capture before the
	// walker reached them: the extra memory the snapshot needed.
	CapturedEarly int64
	CapturedBytes int64 // the serialized size of those shards
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
		s.snap.captured = make(map[uint32][]byte)
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
			s.snap.captured = nil
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
			// The shards the walker serializes itself share one buffer,
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
// barrier, capturing it now unless a writer did, and marks it written out.
func (s *Server) walkSegment(db *store.DB, d, i, seg int, scratch []byte) (b, scratchOut []byte) {
	id := unitID(d, i, seg)
	sh := db.Shard(i)
	sh.Lock()
	s.snap.mu.Lock()
	b, done := s.snap.captured[id]
	s.snap.mu.Unlock()
	scratchOut = scratch
	if !done {
		b = s.serializeSegmentInto(scratch, db, i, seg, s.snap.opts)
		scratchOut = b
	}
	s.snap.mu.Lock()
	s.snap.captured[id] = nil // written: writers need not capture it again
	s.snap.mu.Unlock()
	sh.Unlock()
	return b, scratchOut
}
