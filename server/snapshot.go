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
// notes, at shard granularity.
//
// A snapshot starts with a barrier: every shard lock is taken for a moment,
// the snapshot is marked active and the databases' sizes are recorded. From
// then on, the first command that is about to change a shard (it holds the
// shard's lock) serializes the shard's keys as they are into a side buffer
// before it runs: the shard is "captured". A walker goes through the shards
// in order, capturing each one not captured yet under its lock, and writes
// the captured bytes out. So the file holds every shard as it was at the
// barrier, while clients keep writing; the extra memory is the serialized
// form of the shards written before the walker reached them.
//
// Concurrency: capturing happens with the shard's lock held, so a shard is
// captured exactly once; snapshotState.mu guards only the map of captured
// shards and is taken with shard locks held (after them, never before).

type snapshotState struct {
	active atomic.Bool
	mu     sync.Mutex
	// captured holds, per shard id (db << ShardBits | shard), its serialized
	// keys; a nil entry that is present means written out already.
	captured map[uint32][]byte
	opts     *rdb.Options
	busy     sync.Mutex // one snapshot at a time
	// capturedEarly counts the shards that writers captured (INFO-style
	// figure for tests and benchmarks).
	capturedEarly atomic.Int64
	capturedBytes atomic.Int64 // their serialized size
	arena         snapArena    // the captured shards' bytes; guarded by mu
	scratch       sync.Pool    // *[]byte buffers writers serialize into
}

// snapshotCapture captures shard i of database db if a snapshot is running
// and has not captured it yet. The caller holds the shard's lock and is
// about to change the shard.
func (s *Server) snapshotCapture(db, i int) {
	if !s.snap.active.Load() {
		return
	}
	id := uint32(db<<store.ShardBits | i)
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
	b := s.serializeShardInto(*bp, s.store.DB(db), i, s.snap.opts)
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

// snapshotCaptureLocked captures the shards a command about to write has
// locked: every shard it holds (a whole-keyspace command) or its list.
func (s *Server) snapshotCaptureLocked(ls *lockSet, cmd *Command, args [][]byte, db int) {
	if !s.snap.active.Load() {
		return
	}
	if !ls.all {
		for _, id := range ls.shards {
			s.snapshotCapture(int(id>>store.ShardBits), int(id&(store.NumShards-1)))
		}
		return
	}
	if cmd != nil && strings.HasPrefix(cmd.Name, "function|") {
		// They lock everything to stay on one side of the barrier, where
		// the snapshot takes the libraries; they change no key.
		return
	}
	if cmd != nil && (cmd.Name == "move" || cmd.Name == "copy") {
		// They lock everything only because the other database is an
		// argument; they change one key's shard in some databases.
		i := store.ShardIndex(args[1])
		if cmd.Name == "copy" && len(args) > 2 {
			i2 := store.ShardIndex(args[2])
			for d := 0; d < s.store.NumDBs(); d++ {
				s.snapshotCapture(d, i2)
			}
		}
		for d := 0; d < s.store.NumDBs(); d++ {
			s.snapshotCapture(d, i)
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
			var b []byte
			if so.locked {
				b = s.serializeShardInto(scratch, db, i, opts)
				scratch = b
			} else {
				b, scratch = s.walkShard(db, d, i, scratch)
			}
			rw.WriteRaw(b)
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

// walkShard returns shard i's bytes as of the barrier, capturing it now
// unless a writer did, and marks it written out.
func (s *Server) walkShard(db *store.DB, d, i int, scratch []byte) (b, scratchOut []byte) {
	id := uint32(d<<store.ShardBits | i)
	sh := db.Shard(i)
	sh.Lock()
	s.snap.mu.Lock()
	b, done := s.snap.captured[id]
	s.snap.mu.Unlock()
	scratchOut = scratch
	if !done {
		b = s.serializeShardInto(scratch, db, i, s.snap.opts)
		scratchOut = b
	}
	s.snap.mu.Lock()
	s.snap.captured[id] = nil // written: writers need not capture it again
	s.snap.mu.Unlock()
	sh.Unlock()
	return b, scratchOut
}
