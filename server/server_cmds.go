package server

import (
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"petrel/persistence/rdb"
	"strconv"
	"strings"
	"time"

	"petrel/internal/num"
	"petrel/store"
	"petrel/types"
)

// Server commands: INFO (info.go builds the text), TIME, LASTSAVE, DBSIZE,
// MONITOR, SWAPDB, FLUSHDB, FLUSHALL and DEBUG.

func cmdInfo(x *Ctx) {
	x.W.WriteVerbatim("txt", x.s.genInfo(x, x.Args[1:]))
}

func cmdTime(x *Ctx) {
	now := time.Now()
	x.W.WriteArrayLen(2)
	x.W.WriteBulkInt(now.Unix())
	x.W.WriteBulkInt(int64(now.Nanosecond() / 1000))
}

func cmdLastsave(x *Ctx) { x.W.WriteInt(x.s.stats.lastSave.Load()) }

func cmdDbsize(x *Ctx) { x.W.WriteInt(int64(x.DB.Size())) }

func cmdMonitor(x *Ctx) {
	c := x.c
	if c.hasFlag(cflagMulti) {
		// Only EXEC runs a command of a client in MULTI: a transaction
		// must get one reply per command, which a monitor cannot give.
		x.Error("ERR MONITOR isn't allowed for DENY BLOCKING client")
		return
	}
	if c.hasFlag(cflagMonitor) {
		return // Redis ignores a second MONITOR without replying
	}
	x.s.addMonitor(c)
	x.W.WriteOK()
}

// parseDBIndex parses a database number as Redis's getIntFromObject: a
// 32-bit integer.
func parseDBIndex(b []byte) (int, bool) {
	n, ok := num.ParseInt(b)
	if !ok || n < math.MinInt32 || n > math.MaxInt32 {
		return 0, false
	}
	return int(n), true
}

func cmdSwapdb(x *Ctx) {
	a, ok := parseDBIndex(x.Args[1])
	if !ok {
		x.Error("ERR invalid first DB index")
		return
	}
	b, ok := parseDBIndex(x.Args[2])
	if !ok {
		x.Error("ERR invalid second DB index")
		return
	}
	n := x.s.store.NumDBs()
	if a < 0 || a >= n || b < 0 || b >= n {
		x.Error(ErrDBIndex)
		return
	}
	if a != b {
		x.s.store.DB(a).SwapContents(x.s.store.DB(b))
		x.noteBlockedKeysIn(a, b) // clients blocked in either may now be served
	}
	x.Dirty(1)
	x.W.WriteOK()
}

// flushArgOK checks FLUSHDB's and FLUSHALL's optional ASYNC|SYNC. Both
// modes free synchronously: Go's collector reclaims the memory anyway.
func flushArgOK(x *Ctx) bool {
	if len(x.Args) > 2 {
		x.Error(ErrSyntax)
		return false
	}
	if len(x.Args) == 2 {
		m := strings.ToLower(string(x.Args[1]))
		if m != "sync" && m != "async" {
			x.Error(ErrSyntax)
			return false
		}
	}
	return true
}

func cmdFlushdb(x *Ctx) {
	if !flushArgOK(x) {
		return
	}
	removed := x.DB.Size()
	x.DB.Flush()
	x.noteBlockedKeysIn(x.DB.ID) // a group reader of a stream gone is told
	x.s.trackingFlushed(selfOf(x))
	x.Dirty(int64(removed))
	x.ForcePropagate() // logged even when the database was already empty
	x.W.WriteOK()
}

func cmdFlushall(x *Ctx) {
	if !flushArgOK(x) {
		return
	}
	removed := 0
	dbs := make([]int, x.s.store.NumDBs())
	for i := range dbs {
		db := x.s.store.DB(i)
		removed += db.Size()
		db.Flush()
		dbs[i] = i
	}
	x.noteBlockedKeysIn(dbs...) // a group reader of a stream gone is told
	x.s.trackingFlushed(selfOf(x))
	x.Dirty(int64(removed))
	x.ForcePropagate() // logged even when every database was already empty
	x.s.cfg.RLock()
	savePoints := len(x.s.cfg.Save)
	x.s.cfg.RUnlock()
	if savePoints > 0 {
		// Redis saves the (now empty) dataset right away when save points
		// are configured, which resets the change count and LASTSAVE.
		x.s.saveRDBLocked() // persist.go; a failure is logged, as in Redis
	}
	x.W.WriteOK()
}

// DEBUG.

const errDebugNotAllowed = "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server."

// debugAllowed applies enable-debug-command; dispatch refuses DEBUG before
// it runs (or is queued) when it says no.
func (s *Server) debugAllowed(c *Client) bool {
	s.cfg.RLock()
	setting := s.cfg.EnableDebugCommand
	s.cfg.RUnlock()
	return setting == "yes" || (setting == "local" && isLocalClient(c))
}

var debugHelp = []string{
	"DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"CHANGE-REPL-ID",
	"    Change the replication IDs of the instance.",
	"    Dangerous: should be used only for testing the replication subsystem.",
	"DIGEST",
	"    Output a hex signature representing the current DB content.",
	"DIGEST-VALUE <key> [<key> ...]",
	"    Output a hex signature of the values of all the specified keys.",
	"ERROR <string>",
	"    Return a Redis protocol error with <string> as message. Useful for clients",
	"    unit tests to simulate Redis errors.",
	"LOG <message>",
	"    Write <message> to the server log.",
	"OBJECT <key>",
	"    Show low level info about `key` and associated value.",
	"POPULATE <count> [<prefix>] [<size>]",
	"    Create <count> string keys named key:<num>. If <prefix> is specified then",
	"    it is used instead of the 'key' prefix. These are not propagated to",
	"    replicas. Cluster slots are not respected so keys not belonging to the",
	"    current node can be created in cluster mode.",
	"PROTOCOL <type>",
	"    Reply with a test value of the specified type. <type> can be: string,",
	"    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
	"    true, false.",
	"RELOAD [option ...]",
	"    Save the RDB on disk and reload it back to memory. Valid <option> values:",
	"    * MERGE: conflicting keys will be loaded from RDB.",
	"    * NOFLUSH: the existing database will not be removed before load, but",
	"      conflicting keys will generate an exception and kill the server.",
	"    * NOSAVE: the database will be loaded from an existing RDB file.",
	"    Examples:",
	"    * DEBUG RELOAD: verify that the server is able to persist, flush and reload",
	"      the database.",
	"    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an",
	"      existing RDB file.",
	"    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB",
	"      file to the database.",
	"SET-ACTIVE-EXPIRE <0|1>",
	"    Setting it to 0 disables expiring keys in background when they are not",
	"    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
	"    default.",
	"SLEEP <seconds>",
	"    Stop the server for <seconds>. Decimals allowed.",
	"HELP",
	"    Prints this help.",
}

// cmdDebug runs the DEBUG subcommands that make sense for an in-memory
// server; those that crash, persist or inspect C structures are refused or
// unknown. DEBUG holds every keyspace lock (LockAll), so DEBUG SLEEP stalls
// the keyspace as it stalls all of Redis.
func cmdDebug(x *Ctx) {
	sub := strings.ToLower(string(x.Args[1]))
	argc := len(x.Args)
	switch {
	case sub == "help" && argc == 2:
		writeHelp(x, debugHelp)
	case sub == "sleep" && argc == 3:
		d := strtodPrefix(x.Args[2])
		if d > 0 {
			time.Sleep(time.Duration(d * float64(time.Second)))
		}
		x.W.WriteOK()
	case sub == "object" && argc == 3:
		debugObject(x)
	case sub == "set-active-expire" && argc == 3:
		x.s.cfg.SetActiveExpire(atoi(x.Args[2]) != 0)
		x.W.WriteOK()
	case sub == "digest" && argc == 2:
		d := x.s.datasetDigest()
		x.W.WriteSimple(hex.EncodeToString(d[:]))
	case sub == "digest-value" && argc >= 2:
		x.W.WriteArrayLen(argc - 2)
		for _, k := range x.Args[2:] {
			var d [20]byte
			if e := x.DB.Lookup(k, x.Now); e != nil {
				d = valueDigest(d, x.DB, e)
			}
			x.W.WriteSimple(hex.EncodeToString(d[:]))
		}
	case sub == "change-repl-id" && argc == 2:
		x.s.info.changeReplID()
		x.s.logf(LogWarning, "Changing replication IDs after receiving DEBUG change-repl-id")
		x.W.WriteOK()
	case sub == "log" && argc == 3:
		x.s.logf(LogWarning, "DEBUG LOG: %s", x.Args[2])
		x.W.WriteOK()
	case sub == "error" && argc == 3:
		// A simulated error: Redis sends it as given ("-" and the text) and
		// counts it in no error or command statistics.
		x.W.WriteError(string(x.Args[2]))
	case sub == "populate" && argc >= 3 && argc <= 5:
		debugPopulate(x)
	case sub == "protocol" && argc == 3:
		debugProtocol(x)
	case sub == "reload":
		debugReload(x) // persist.go
	case sub == "loadaof":
		debugLoadAOF(x) // aof_load.go
	case sub == "panic", sub == "segfault", sub == "assert", sub == "oom",
		sub == "crash-and-recover", sub == "restart":
		x.Errorf("ERR DEBUG %s refused: Petrel does not crash or restart on request", strings.ToUpper(sub))
	default:
		subcommandSyntaxError(x)
	}
}

// strtodPrefix reads the longest numeric prefix of b as C's strtod does
// (DEBUG SLEEP takes "1.5", "0x10" or even "2abc"); no number reads as 0.
func strtodPrefix(b []byte) float64 {
	for i := len(b); i > 0; i-- {
		if v, ok := num.ParseFloat(b[:i]); ok {
			return v
		}
	}
	return 0
}

// atoi reads a leading integer as C's atoi does: garbage reads as 0.
func atoi(b []byte) int64 {
	i, neg := 0, false
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	if i < len(b) && (b[i] == '-' || b[i] == '+') {
		neg = b[i] == '-'
		i++
	}
	var n int64
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		n = n*10 + int64(b[i]-'0')
	}
	if neg {
		return -n
	}
	return n
}

// sharedIntRefcount is the refcount Redis reports for its shared integer
// objects (0..9999), which a string holding such a number uses unless the
// maxmemory policy needs per-key LRU/LFU data.
const sharedIntRefcount = math.MaxInt32

func debugObject(x *Ctx) {
	// Like OBJECT, it counts no keyspace hit or miss and leaves the LRU.
	e := x.DB.Lookup(x.Args[2], x.Now)
	if e == nil {
		x.Error(ErrNoSuchKey)
		return
	}
	refcount := 1
	lru := e.LRU()
	var encoding string
	if e.IsString() {
		encoding = e.StringEncoding()
		if encoding == "int" && x.s.sharedIntegers() {
			if v, _ := num.ParseInt(e.Str()); v >= 0 && v < 10000 {
				refcount = sharedIntRefcount
				// A shared object was made at start-up.
				lru = uint32(x.s.clock.base.Unix()) & (1<<24 - 1)
			}
		}
	} else if v, ok := e.Obj().(types.Value); ok {
		encoding = v.Encoding()
	}
	now := lruClock()
	idle := now - lru
	if now < lru {
		idle = now + (1<<24 - 1 - lru)
	}
	x.W.WriteSimple(fmt.Sprintf("Value at:%p refcount:%d encoding:%s serializedlength:%d lru:%d lru_seconds_idle:%d",
		e, refcount, encoding, serializedLength(e), lru, idle))
}

// sharedIntegers reports whether Redis would use its shared integers:
// not when maxmemory is set with an LRU or LFU policy.
func (s *Server) sharedIntegers() bool {
	s.cfg.RLock()
	defer s.cfg.RUnlock()
	p := s.cfg.MaxMemoryPolicy
	return s.cfg.MaxMemory == 0 || !(strings.HasSuffix(p, "-lru") || strings.HasSuffix(p, "-lfu"))
}

// serializedLength estimates the value's RDB size as DEBUG OBJECT reports
// it. Strings follow Redis's rules (integer encodings, length prefix)
// except that long strings are counted uncompressed; other types count
// each element with its length prefix.
func serializedLength(e *store.Entry) int64 {
	if e.IsString() {
		s := e.Str()
		if len(s) <= 11 {
			if v, ok := num.ParseInt(s); ok && strconv.FormatInt(v, 10) == string(s) {
				switch {
				case v >= math.MinInt8 && v <= math.MaxInt8:
					return 2
				case v >= math.MinInt16 && v <= math.MaxInt16:
					return 3
				case v >= math.MinInt32 && v <= math.MaxInt32:
					return 5
				}
			}
		}
		return int64(rdb.LenSize(uint64(len(s))) + len(s))
	}
	d, ok := e.Obj().(digestElements)
	if !ok {
		return 0
	}
	var n, count int64
	d.DigestEach(func(parts ...[]byte) {
		count++
		for _, p := range parts {
			n += int64(rdb.LenSize(uint64(len(p))) + len(p))
		}
	})
	return int64(rdb.LenSize(uint64(count))) + n
}

func debugPopulate(x *Ctx) {
	count, ok := num.ParseInt(x.Args[2])
	if !ok || count < 0 {
		x.Error("ERR value is out of range, must be positive")
		return
	}
	prefix := []byte("key")
	if len(x.Args) >= 4 {
		prefix = x.Args[3]
	}
	var size int64
	if len(x.Args) == 5 {
		size, ok = num.ParseInt(x.Args[4])
		if !ok || size < 0 {
			x.Error("ERR value is out of range, must be positive")
			return
		}
	}
	var key, val []byte
	for i := int64(0); i < count; i++ {
		key = append(append(key[:0], prefix...), ':')
		key = strconv.AppendInt(key, i, 10)
		if x.DB.Lookup(key, x.Now) != nil {
			continue // existing keys are left alone, as in Redis
		}
		val = strconv.AppendInt(append(val[:0], "value:"...), i, 10)
		if size > 0 {
			// Cut or zero-padded to the requested size.
			if int64(len(val)) > size {
				val = val[:size]
			}
			for int64(len(val)) < size {
				val = append(val, 0)
			}
		}
		x.DB.SetString(key, val, store.EncAuto, false)
		// Redis's DEBUG POPULATE signals watchers but does not count dirty.
		x.DB.Touch(key)
	}
	x.W.WriteOK()
}

func debugProtocol(x *Ctx) {
	w := x.W
	switch strings.ToLower(string(x.Args[2])) {
	case "string":
		w.WriteBulkString("Hello World")
	case "integer":
		w.WriteInt(12345)
	case "double":
		w.WriteDouble(3.141)
	case "bignum":
		w.WriteBigNumber("1234567999999999999999999999999999999")
	case "null":
		w.WriteNull()
	case "array":
		w.WriteArrayLen(3)
		for i := int64(0); i < 3; i++ {
			w.WriteInt(i)
		}
	case "set":
		w.WriteSetLen(3)
		for i := int64(0); i < 3; i++ {
			w.WriteInt(i)
		}
	case "map":
		w.WriteMapLen(3)
		for i := int64(0); i < 3; i++ {
			w.WriteInt(i)
			w.WriteBool(i == 1)
		}
	case "attrib":
		if w.Proto >= 3 {
			w.WriteAttributeLen(1)
			w.WriteBulkString("key-popularity")
			w.WriteArrayLen(2)
			w.WriteBulkString("key:123")
			w.WriteInt(90)
		}
		w.WriteBulkString("Some real reply following the attribute")
	case "push":
		if w.Proto < 3 {
			x.Error("ERR RESP2 is not supported by this command")
			return
		}
		w.WritePushLen(2)
		w.WriteBulkString("server-cpu-usage")
		w.WriteInt(42)
		w.WriteBulkString("Some real reply following the push reply")
	case "verbatim":
		w.WriteVerbatim("txt", []byte("This is a verbatim\nstring"))
	case "true":
		w.WriteBool(true)
	case "false":
		w.WriteBool(false)
	default:
		x.Error("ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false")
	}
}

// DEBUG DIGEST follows Redis's scheme, so equal datasets give equal digests
// on both: SHA1-based "mix" (digest = SHA1(digest XOR SHA1(data))) for
// ordered data and XOR of SHA1s for unordered data. Each key's digest mixes
// the key, the big-endian type code and the value; every database with
// keys mixes its number into the total, then XORs in the SHA1 of each key's
// digest. An empty dataset digests to zeros.

func xorDigest(d *[20]byte, data []byte) {
	h := sha1.Sum(data)
	for i := range d {
		d[i] ^= h[i]
	}
}

func mixDigest(d *[20]byte, data []byte) {
	xorDigest(d, data)
	*d = sha1.Sum(d[:])
}

// digestElements is implemented by value types so that DEBUG DIGEST (and
// DEBUG OBJECT's serializedlength) can walk them: DigestEach calls fn once
// per element with its parts, the element itself for lists and sets, the
// member and its score formatted "%.17g" for sorted sets, the field and
// value for hashes.
type digestElements interface {
	DigestEach(fn func(parts ...[]byte))
}

// redisTypeCode is Redis's OBJ_* number for a TYPE name.
func redisTypeCode(typ string) uint32 {
	switch typ {
	case "list":
		return 1
	case "set":
		return 2
	case "zset":
		return 3
	case "hash":
		return 4
	case "stream":
		return 6
	}
	return 0
}

// valueDigest continues digest d with one key's value and TTL; from zeros
// it is DEBUG DIGEST-VALUE's digest.
func valueDigest(d [20]byte, db *store.DB, e *store.Entry) [20]byte {
	if e.IsString() {
		var typ [4]byte // OBJ_STRING
		mixDigest(&d, typ[:])
		mixDigest(&d, e.Str())
	} else if st, ok := e.Obj().(*types.Stream); ok {
		d = streamDigestFrom(d, st)
	} else {
		var typ string
		if v, ok := e.Obj().(types.Value); ok {
			typ = v.Type()
		}
		de, _ := e.Obj().(digestElements)
		d = collectionDigestFrom(d, typ, de)
	}
	if db.ExpireAt(e) != 0 {
		xorDigest(&d, []byte("!!expire!!"))
	}
	return d
}

// collectionDigest is the digest of a non-string value of the given type.
func collectionDigest(typ string, de digestElements) [20]byte {
	return collectionDigestFrom([20]byte{}, typ, de)
}

// collectionDigestFrom continues d with the type code and the elements:
// mixed in order for lists, else each element's own digest XORed in (the
// SHA1 of a lone element, the mix of an element's parts).
func collectionDigestFrom(d [20]byte, typ string, de digestElements) [20]byte {
	var code [4]byte
	binary.BigEndian.PutUint32(code[:], redisTypeCode(typ))
	mixDigest(&d, code[:])
	if de == nil {
		return d
	}
	ordered := typ == "list"
	de.DigestEach(func(parts ...[]byte) {
		switch {
		case ordered:
			mixDigest(&d, parts[0])
		case len(parts) == 1:
			xorDigest(&d, parts[0])
		default:
			var ed [20]byte
			for _, p := range parts {
				mixDigest(&ed, p)
			}
			xorDigest(&d, ed[:])
		}
	})
	return d
}

// streamDigestFrom continues d with a stream: the type code, then each
// live entry in order, its ID as "ms.seq" and then its fields and values,
// all mixed. That is what Redis 7.0 digests: deleted entries, the node
// layout, the stream's counters and last ID and its consumer groups leave
// the digest unchanged there, so they do here.
func streamDigestFrom(d [20]byte, s *types.Stream) [20]byte {
	var code [4]byte
	binary.BigEndian.PutUint32(code[:], redisTypeCode("stream"))
	mixDigest(&d, code[:])
	var idArr [41]byte // "ms.seq" at its longest
	idBuf := idArr[:0]
	it := s.Iter(types.StreamID{}, types.MaxStreamID, false)
	for id, fv, ok := it.Next(); ok; id, fv, ok = it.Next() {
		idBuf = strconv.AppendUint(idBuf[:0], id.Ms, 10)
		idBuf = append(idBuf, '.')
		idBuf = strconv.AppendUint(idBuf, id.Seq, 10)
		mixDigest(&d, idBuf)
		for _, p := range fv {
			mixDigest(&d, p)
		}
	}
	return d
}

// datasetDigest is DEBUG DIGEST's digest of every database. The caller
// holds every shard lock.
func (s *Server) datasetDigest() [20]byte {
	var final [20]byte
	for i := 0; i < s.store.NumDBs(); i++ {
		db := s.store.DB(i)
		if db.Size() == 0 {
			continue
		}
		var id [4]byte
		binary.BigEndian.PutUint32(id[:], uint32(i))
		mixDigest(&final, id[:])
		for sh := 0; sh < store.NumShards; sh++ {
			db.EachInShard(sh, func(e *store.Entry) bool {
				var kd [20]byte
				mixDigest(&kd, e.Key())
				kd = valueDigest(kd, db, e)
				xorDigest(&final, kd[:])
				return true
			})
		}
	}
	return final
}
