package server

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"time"

	"petrel/internal/num"
	"petrel/store"
	"petrel/types"
)

// The stream command family. Streams are types.Stream values. As in Redis
// 7.0, only XADD, XDEL and XTRIM touch a stream key's watchers; the
// consumer-group commands and XSETID count as changes (dirty) without
// invalidating WATCH, and an emptied stream stays in the keyspace.

// Error texts of this family.
const (
	errStreamID          = "ERR Invalid stream ID specified as stream command argument"
	errStreamXaddZero    = "ERR The ID specified in XADD must be greater than 0-0"
	errStreamXaddSmall   = "ERR The ID specified in XADD is equal or smaller than the target stream top item"
	errStreamExhausted   = "ERR The stream has exhausted the last possible ID, unable to add more items"
	errStreamMaxlenNeg   = "ERR The MAXLEN argument must be >= 0."
	errStreamLimitNeg    = "ERR The LIMIT argument must be >= 0."
	errStreamBothTrim    = "ERR syntax error, MAXLEN and MINID options at the same time are not compatible"
	errStreamLimitNoTrim = "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy"
	errStreamLimitExact  = "ERR syntax error, LIMIT cannot be used without the special ~ option"
	errStreamXtrimNoTrim = "ERR syntax error, XTRIM must be called with a trimming strategy"
	errStreamStartID     = "ERR invalid start ID for the interval"
	errStreamEndID       = "ERR invalid end ID for the interval"
	errStreamNeedKey     = "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically."
	errStreamBusyGroup   = "BUSYGROUP Consumer Group name already exists"
	errStreamEntriesRead = "ERR value for ENTRIESREAD must be positive or -1"
	errStreamUnblockDel  = "UNBLOCKED the stream key no longer exists"
	errStreamUnblockGrp  = "NOGROUP the consumer group this client was blocked on no longer exists"
)

// xreadBlockedDefaultCount caps what a blocked XREAD without COUNT gets
// when it is served (Redis's XREAD_BLOCKED_DEFAULT_COUNT).
const xreadBlockedDefaultCount = 1000

// xautoclaimMaxCount is the largest COUNT for which the reference Redis
// 7.0 could allocate XAUTOCLAIM's scratch list; above it, it reports it is
// out of memory.
const xautoclaimMaxCount = 1 << 42

func streamLimits(x *Ctx) types.StreamLimits {
	l := x.Limits()
	return types.StreamLimits{MaxBytes: l.StreamNodeMaxBytes, MaxEntries: l.StreamNodeMaxEntries}
}

// streamOf returns the stream held by e (nil for a missing key); on another
// type it replies WRONGTYPE and reports false.
func streamOf(x *Ctx, e *store.Entry) (*types.Stream, bool) {
	if e == nil {
		return nil, true
	}
	if s, ok := e.Obj().(*types.Stream); ok {
		return s, true
	}
	x.Error(ErrWrongType)
	return nil, false
}

// string2ull is Redis's string2ull: string2ll's strict form for values in
// range, else C's strtoull (leading blanks, a sign, no trailing bytes).
func string2ull(b []byte) (uint64, bool) {
	if v, ok := num.ParseInt(b); ok {
		if v < 0 {
			return 0, false
		}
		return uint64(v), true
	}
	i := 0
	for i < len(b) && (b[i] == ' ' || (b[i] >= '\t' && b[i] <= '\r')) {
		i++
	}
	neg := false
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		neg = b[i] == '-'
		i++
	}
	start := i
	var v uint64
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		d := uint64(b[i] - '0')
		if v > (math.MaxUint64-d)/10 {
			return 0, false
		}
		v = v*10 + d
	}
	if i == start || i != len(b) {
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

// parseStreamID is Redis's streamGenericParseIDOrReply: "ms-seq", or "ms"
// with missingSeq; unless strict, "-" and "+" are the smallest and largest
// IDs; with seqStar, "ms-*" is accepted and reported by seqGiven false.
func parseStreamID(b []byte, strict bool, missingSeq uint64, seqStar bool) (id types.StreamID, seqGiven, ok bool) {
	if len(b) > 127 {
		return id, false, false
	}
	if !strict && len(b) == 1 {
		switch b[0] {
		case '-':
			return types.StreamID{}, true, true
		case '+':
			return types.MaxStreamID, true, true
		}
	}
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i] // Redis reads the argument as a C string
	}
	msPart, seqPart, dash := bytes.Cut(b, []byte{'-'})
	ms, okMs := string2ull(msPart)
	if !okMs {
		return id, false, false
	}
	id.Ms = ms
	if !dash {
		id.Seq = missingSeq
		return id, true, true
	}
	if seqStar && len(seqPart) == 1 && seqPart[0] == '*' {
		return id, false, true
	}
	seq, okSeq := string2ull(seqPart)
	if !okSeq {
		return id, false, false
	}
	id.Seq = seq
	return id, true, true
}

// streamStrictIDs parses every one of args as streamStrictID does, before
// anything is changed, as Redis checks XDEL's and XACK's IDs.
func streamStrictIDs(x *Ctx, args [][]byte) ([]types.StreamID, bool) {
	ids := make([]types.StreamID, 0, len(args))
	for _, a := range args {
		id, ok := streamStrictID(x, a)
		if !ok {
			return nil, false
		}
		ids = append(ids, id)
	}
	return ids, true
}

// streamStrictID parses an exact ID ("-" and "+" refused) or replies with
// the invalid-ID error.
func streamStrictID(x *Ctx, b []byte) (types.StreamID, bool) {
	id, _, ok := parseStreamID(b, true, 0, false)
	if !ok {
		x.Error(errStreamID)
	}
	return id, ok
}

// streamIntervalID parses a range bound: "(" makes it exclusive, which
// moves it one ID inward (start) or outward (end) as Redis does.
func streamIntervalID(x *Ctx, b []byte, end bool) (types.StreamID, bool) {
	missing := uint64(0)
	if end {
		missing = math.MaxUint64
	}
	if len(b) > 1 && b[0] == '(' {
		id, _, ok := parseStreamID(b[1:], true, missing, false)
		if !ok {
			x.Error(errStreamID)
			return id, false
		}
		var okStep bool
		if end {
			id, okStep = id.Prev()
		} else {
			id, okStep = id.Next()
		}
		if !okStep {
			if end {
				x.Error(errStreamEndID)
			} else {
				x.Error(errStreamStartID)
			}
			return id, false
		}
		return id, true
	}
	id, _, ok := parseStreamID(b, false, missing, false)
	if !ok {
		x.Error(errStreamID)
	}
	return id, ok
}

func writeStreamID(x *Ctx, id types.StreamID) {
	var buf [48]byte
	x.W.WriteBulk(id.Append(buf[:0]))
}

func writeStreamEntry(x *Ctx, id types.StreamID, fv [][]byte) {
	x.W.WriteArrayLen(2)
	writeStreamID(x, id)
	x.W.WriteArrayLen(len(fv))
	for _, b := range fv {
		x.W.WriteBulk(b)
	}
}

// writeStreamRange replies with up to count (0: all) entries between start
// and end, as Redis's streamReplyWithRange without a group. It counts the
// entries first, since the reply's length comes first.
func writeStreamRange(x *Ctx, s *types.Stream, start, end types.StreamID, count int64, rev bool) {
	var it types.StreamIter
	var fields [16][]byte // enough for entries of up to 8 fields
	n := int64(0)
	s.InitIter(&it, start, end, rev)
	for count == 0 || n < count {
		if _, ok := it.NextID(); !ok {
			break
		}
		n++
	}
	x.W.WriteArrayLen(int(n))
	s.InitIter(&it, start, end, rev)
	for i := int64(0); i < n; i++ {
		id, fv, _ := it.NextInto(fields[:0])
		writeStreamEntry(x, id, fv)
	}
}

// streamTrimArgs are XADD's and XTRIM's trimming options.
type streamTrimArgs struct {
	strategy  int // 0: none, types.TrimMaxLen or types.TrimMinID
	maxLen    int64
	minID     types.StreamID
	approx    bool
	limit     int64
	noMkQueue bool // XADD NOMKSTREAM
	idGiven   bool // XADD: an ID other than "*"
	seqGiven  bool
	id        types.StreamID
	// Where the "~" and the threshold are in the arguments, for the exact
	// form an approximate trim is logged as.
	approxAt, thresholdAt int
}

// parseStreamTrimArgs parses options from x.Args[2] on, as Redis's
// streamParseAddOrTrimArgsOrReply does; for XADD it stops at the ID and
// returns its position. It returns -1 after an error reply.
func parseStreamTrimArgs(x *Ctx, a *streamTrimArgs, xadd bool) int {
	args := x.Args
	limitGiven := false
	i := 2
	for ; i < len(args); i++ {
		more := len(args) - 1 - i
		opt := args[i]
		switch {
		case xadd && len(opt) == 1 && opt[0] == '*':
			goto done
		case (strings.EqualFold(string(opt), "maxlen") || strings.EqualFold(string(opt), "minid")) && more > 0:
			if a.strategy != 0 {
				x.Error(errStreamBothTrim)
				return -1
			}
			a.approx = false
			next := args[i+1]
			if more >= 2 && len(next) == 1 && (next[0] == '~' || next[0] == '=') {
				a.approx = next[0] == '~'
				a.approxAt = i + 1
				i++
			}
			a.thresholdAt = i + 1
			if strings.EqualFold(string(opt), "maxlen") {
				n, ok := nonNegativeArg(x, args[i+1], ErrNotInt, errStreamMaxlenNeg)
				if !ok {
					return -1
				}
				a.maxLen = n
				a.strategy = types.TrimMaxLen
			} else {
				id, ok := streamStrictID(x, args[i+1])
				if !ok {
					return -1
				}
				a.minID = id
				a.strategy = types.TrimMinID
			}
			i++
		case strings.EqualFold(string(opt), "limit") && more > 0:
			n, ok := nonNegativeArg(x, args[i+1], ErrNotInt, errStreamLimitNeg)
			if !ok {
				return -1
			}
			a.limit = n
			limitGiven = true
			i++
		case xadd && strings.EqualFold(string(opt), "nomkstream"):
			a.noMkQueue = true
		case xadd:
			id, seqGiven, ok := parseStreamID(opt, true, 0, true)
			if !ok {
				x.Error(errStreamID)
				return -1
			}
			a.id, a.seqGiven, a.idGiven = id, seqGiven, true
			goto done
		default:
			x.Error(ErrSyntax)
			return -1
		}
	}
done:
	if a.limit != 0 && a.strategy == 0 {
		x.Error(errStreamLimitNoTrim)
		return -1
	}
	if !xadd && a.strategy == 0 {
		x.Error(errStreamXtrimNoTrim)
		return -1
	}
	if limitGiven {
		if !a.approx {
			x.Error(errStreamLimitExact)
			return -1
		}
	} else if a.approx {
		a.limit = 100 * x.Limits().StreamNodeMaxEntries
		if a.limit <= 0 || a.limit > 10000 {
			a.limit = 10000
		}
	} else {
		a.limit = 0
	}
	return i
}

func (a *streamTrimArgs) trim(s *types.Stream) int64 {
	if a.strategy == 0 {
		return 0
	}
	return s.Trim(a.strategy, uint64(a.maxLen), a.minID, a.approx, a.limit)
}

// exactForm turns args, a copy of XADD's or XTRIM's arguments, into what
// Redis logs for an approximate trim: "~" becomes "=" and the threshold
// what was actually kept (the length, or the first ID left, the largest
// ID when none is), so a replay trims exactly as this run did. Anything
// else, LIMIT included, stays as sent.
func (a *streamTrimArgs) exactForm(args [][]byte, s *types.Stream) {
	if !a.approx {
		return
	}
	args[a.approxAt] = argEq
	if a.strategy == types.TrimMaxLen {
		args[a.thresholdAt] = propInt(int64(s.Len()))
		return
	}
	first, ok := s.Edge(false)
	if !ok {
		first = types.MaxStreamID
	}
	args[a.thresholdAt] = first.Append(nil)
}

func cmdXadd(x *Ctx) {
	var a streamTrimArgs
	idPos := parseStreamTrimArgs(x, &a, true)
	if idPos < 0 {
		return
	}
	var fields [][]byte
	if idPos < len(x.Args) { // else the options took every argument
		fields = x.Args[idPos+1:]
	}
	if len(fields) < 2 || len(fields)%2 == 1 {
		x.Errorf("ERR wrong number of arguments for '%s' command", x.Cmd.Name)
		return
	}
	if a.idGiven && a.seqGiven && a.id.IsZero() {
		x.Error(errStreamXaddZero)
		return
	}
	key := x.Args[1]
	s, ok := streamOf(x, x.LookupWrite(key))
	if !ok {
		return
	}
	created := false
	if s == nil {
		if a.noMkQueue {
			x.W.WriteNull()
			return
		}
		s = types.NewStream()
		created = true
	}
	if s.LastID == types.MaxStreamID {
		x.Error(errStreamExhausted)
		return
	}
	var id types.StreamID
	switch {
	case !a.idGiven:
		id, _ = s.NextID(uint64(x.Now))
	case a.seqGiven:
		id = a.id
	case a.id.Ms == s.LastID.Ms:
		if s.LastID.Seq == math.MaxUint64 {
			x.Error(errStreamXaddSmall)
			return
		}
		id = types.StreamID{Ms: s.LastID.Ms, Seq: s.LastID.Seq + 1}
	default:
		id = a.id
	}
	if !s.LastID.Less(id) {
		x.Error(errStreamXaddSmall)
		return
	}
	if created {
		x.DB.SetObject(key, s)
	}
	s.Add(id, fields, streamLimits(x))
	writeStreamID(x, id)
	x.Modified(key)
	x.Notify(NotifyStream, "xadd", key)
	if a.trim(s) > 0 {
		x.Notify(NotifyStream, "xtrim", key)
	}
	if x.propagating() && (!a.idGiven || !a.seqGiven || a.approx) {
		// Logged with the ID it got (an ID the clock or the sequence
		// chose would differ on replay) and an exact trim.
		args := slices.Clone(x.Args)
		if !a.idGiven || !a.seqGiven {
			args[idPos] = id.Append(nil)
		}
		a.exactForm(args, s)
		x.PropagateAs(args...)
	}
}

func cmdXlen(x *Ctx) {
	s, ok := streamOf(x, x.Lookup(x.Args[1]))
	if !ok {
		return
	}
	if s == nil {
		x.W.WriteInt(0)
		return
	}
	x.W.WriteInt(int64(s.Len()))
}

func cmdXrange(x *Ctx)    { streamRangeCommand(x, false) }
func cmdXrevrange(x *Ctx) { streamRangeCommand(x, true) }

func streamRangeCommand(x *Ctx, rev bool) {
	startArg, endArg := x.Args[2], x.Args[3]
	if rev {
		startArg, endArg = endArg, startArg
	}
	start, ok := streamIntervalID(x, startArg, false)
	if !ok {
		return
	}
	end, ok := streamIntervalID(x, endArg, true)
	if !ok {
		return
	}
	count := int64(-1)
	for j := 4; j < len(x.Args); j++ {
		if strings.EqualFold(string(x.Args[j]), "count") && j+1 < len(x.Args) {
			n, ok := num.ParseInt(x.Args[j+1])
			if !ok {
				x.Error(ErrNotInt)
				return
			}
			count = max(n, 0)
			j++
			continue
		}
		x.Error(ErrSyntax)
		return
	}
	s, ok := streamOf(x, x.Lookup(x.Args[1]))
	if !ok {
		return
	}
	if s == nil {
		x.W.WriteArrayLen(0)
		return
	}
	if count == 0 {
		x.W.WriteNullArray()
		return
	}
	writeStreamRange(x, s, start, end, max(count, 0), rev)
}

func cmdXdel(x *Ctx) {
	// The key first, then every ID, before anything is deleted.
	key := x.Args[1]
	s, ok := streamOf(x, x.LookupWrite(key))
	if !ok {
		return
	}
	if s == nil {
		x.W.WriteInt(0)
		return
	}
	ids, ok := streamStrictIDs(x, x.Args[2:])
	if !ok {
		return
	}
	deleted := int64(0)
	for _, id := range ids {
		if s.Delete(id) {
			if s.MaxDeletedID.Less(id) {
				s.MaxDeletedID = id
			}
			deleted++
		}
	}
	if deleted > 0 {
		s.RefreshFirstID()
		x.Modified(key)
		x.Dirty(deleted - 1)
		x.Notify(NotifyStream, "xdel", key)
	}
	x.W.WriteInt(deleted)
}

func cmdXtrim(x *Ctx) {
	var a streamTrimArgs
	if parseStreamTrimArgs(x, &a, false) < 0 {
		return
	}
	key := x.Args[1]
	s, ok := streamOf(x, x.LookupWrite(key))
	if !ok {
		return
	}
	if s == nil {
		x.W.WriteInt(0)
		return
	}
	n := a.trim(s)
	if n > 0 {
		x.Notify(NotifyStream, "xtrim", key)
		x.Modified(key)
		x.Dirty(n - 1)
		if a.approx && x.propagating() {
			args := slices.Clone(x.Args)
			a.exactForm(args, s)
			x.PropagateAs(args...)
		}
	}
	x.W.WriteInt(n)
}

func cmdXsetid(x *Ctx) {
	id, ok := streamStrictID(x, x.Args[2])
	if !ok {
		return
	}
	entriesAdded := int64(-1)
	var maxDel types.StreamID
	maxDelGiven := false
	for i := 3; i < len(x.Args); i++ {
		more := len(x.Args) - 1 - i
		switch {
		case strings.EqualFold(string(x.Args[i]), "entriesadded") && more > 0:
			n, ok := nonNegativeArg(x, x.Args[i+1], ErrNotInt, "ERR entries_added must be positive")
			if !ok {
				return
			}
			entriesAdded = n
			i++
		case strings.EqualFold(string(x.Args[i]), "maxdeletedid") && more > 0:
			m, ok := streamStrictID(x, x.Args[i+1])
			if !ok {
				return
			}
			if id.Less(m) {
				x.Error("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id")
				return
			}
			maxDel, maxDelGiven = m, true
			i++
		default:
			x.Error(ErrSyntax)
			return
		}
	}
	key := x.Args[1]
	s, ok := streamOf(x, x.LookupWrite(key))
	if !ok {
		return
	}
	if s == nil {
		x.Error(ErrNoSuchKey)
		return
	}
	if s.Len() > 0 {
		if last, _ := s.Edge(true); id.Less(last) {
			x.Error("ERR The ID specified in XSETID is smaller than the target stream top item")
			return
		}
		if entriesAdded != -1 && s.Len() > uint64(entriesAdded) {
			x.Error("ERR The entries_added specified in XSETID is smaller than the target stream length")
			return
		}
	}
	s.LastID = id
	if entriesAdded != -1 {
		s.EntriesAdded = uint64(entriesAdded)
	}
	if maxDelGiven && !maxDel.IsZero() { // 0-0 leaves it, as in Redis
		s.MaxDeletedID = maxDel
	}
	x.Dirty(1)
	x.Notify(NotifyStream, "xsetid", key)
	x.W.WriteOK()
}

// streamReadState is one XREAD or XREADGROUP call, kept for serving it
// later when it blocks.
type streamReadState struct {
	keys     [][]byte
	ids      []types.StreamID // per key: entries must be greater; MaxStreamID is ">"
	count    int64
	group    []byte // nil for XREAD
	consumer []byte
	noack    bool
}

func cmdXread(x *Ctx)      { streamReadCommand(x, false) }
func cmdXreadgroup(x *Ctx) { streamReadCommand(x, true) }

// streamReadKeys returns the key positions of XREAD and XREADGROUP: the
// first half of what follows STREAMS (options before it are skipped by
// their arity, so a key named like an option is still found).
func streamReadKeys(args [][]byte) []int {
	for i := 1; i < len(args); i++ {
		o := string(args[i])
		switch {
		case strings.EqualFold(o, "streams"):
			n := (len(args) - i - 1) / 2
			out := make([]int, n)
			for k := range out {
				out[k] = i + 1 + k
			}
			return out
		case strings.EqualFold(o, "block") || strings.EqualFold(o, "count"):
			i++
		case strings.EqualFold(o, "group"):
			i += 2
		}
	}
	return nil
}

func streamReadCommand(x *Ctx, xgroup bool) {
	var st streamReadState
	timeout := int64(-1)
	streamsArg := 0
	args := x.Args
	for i := 1; i < len(args); i++ {
		more := len(args) - 1 - i
		o := string(args[i])
		switch {
		case strings.EqualFold(o, "block") && more > 0:
			if x.c.scriptCaller != nil {
				// Refused before its value is read, where Redis refuses
				// it (not as the non-blocking form, as in MULTI).
				x.Error("ERR " + string(x.Args[0]) + " command is not allowed with BLOCK option from scripts")
				return
			}
			i++
			n, ok := nonNegativeArg(x, args[i], "ERR timeout is not an integer or out of range", "ERR timeout is negative")
			if !ok {
				return
			}
			timeout = n
		case strings.EqualFold(o, "count") && more > 0:
			i++
			n, ok := num.ParseInt(args[i])
			if !ok {
				x.Error(ErrNotInt)
				return
			}
			st.count = max(n, 0)
		case strings.EqualFold(o, "streams") && more > 0:
			streamsArg = i + 1
			if (len(args)-streamsArg)%2 != 0 {
				// Redis 7.0 words it so for XREADGROUP too.
				x.Error("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.")
				return
			}
			i = len(args)
		case strings.EqualFold(o, "group") && more >= 2:
			if !xgroup {
				x.Error("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.")
				return
			}
			st.group, st.consumer = args[i+1], args[i+2]
			i += 2
		case strings.EqualFold(o, "noack"):
			if !xgroup {
				x.Error("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.")
				return
			}
			st.noack = true
		default:
			x.Error(ErrSyntax)
			return
		}
	}
	if streamsArg == 0 {
		x.Error(ErrSyntax)
		return
	}
	if xgroup && st.group == nil {
		x.Error("ERR Missing GROUP option for XREADGROUP")
		return
	}
	if xgroup {
		// What XREADGROUP changed is logged as XCLAIMs or XGROUP SETID
		// (streamDelivery.deliver); reading history logs nothing.
		x.PropagateNone()
	}
	n := (len(args) - streamsArg) / 2
	st.keys = args[streamsArg : streamsArg+n]
	st.ids = make([]types.StreamID, n)
	// what the first lookup of each key found, kept for the second
	found := make([]struct {
		entry  *store.Entry
		stream *types.Stream
		group  *types.StreamGroup
	}, n)
	for k := 0; k < n; k++ {
		key, arg := st.keys[k], args[streamsArg+n+k]
		found[k].entry = x.Lookup(key)
		s, ok := streamOf(x, found[k].entry)
		if !ok {
			return
		}
		found[k].stream = s
		if xgroup {
			var g *types.StreamGroup
			if s != nil {
				g = s.Group(st.group)
			}
			if g == nil {
				x.Errorf("NOGROUP No such key '%s' or consumer group '%s' in XREADGROUP with GROUP option", cString(key), cString(st.group))
				return
			}
			found[k].group = g
		}
		switch {
		case len(arg) == 1 && arg[0] == '$':
			if xgroup {
				x.Error("ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.")
				return
			}
			if s != nil {
				st.ids[k] = s.LastID
			}
		case len(arg) == 1 && arg[0] == '>':
			if !xgroup {
				x.Error("ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.")
				return
			}
			st.ids[k] = types.MaxStreamID
		case len(arg) == 1 && arg[0] == '+' && !xgroup:
			// Redis 7.4: the last entry, read as "after the ID before it".
			if s != nil && !s.LastID.IsZero() {
				st.ids[k], _ = s.LastID.Prev()
			}
		default:
			id, ok := streamStrictID(x, arg)
			if !ok {
				return
			}
			st.ids[k] = id
		}
	}

	// Serve at once what can be served: the reply lists the keys served.
	served := 0
	mark := x.W.Len()
	var body []byte
	for k := 0; k < n; k++ {
		// Redis looks every key up again here, after the loop above: each
		// counts twice in keyspace_hits or keyspace_misses, and a missing
		// one raises keymiss twice.
		x.countLookup(st.keys[k], found[k].entry)
		s := found[k].stream
		if s == nil {
			continue
		}
		gt := st.ids[k]
		history := false
		serve := false
		if xgroup {
			g := found[k].group
			if gt != types.MaxStreamID {
				serve, history = true, true
			} else if s.Len() > 0 {
				if last, _ := s.Edge(true); g.LastID.Less(last) {
					serve = true
					gt = g.LastID
				}
			}
		} else if s.Len() > 0 {
			if last, _ := s.Edge(true); gt.Less(last) {
				serve = true
			}
		}
		if !serve {
			continue
		}
		// As in Redis, a consumer is created only by a read that serves it.
		var c *types.StreamConsumer
		created := false
		if xgroup {
			created = found[k].group.Consumer(st.consumer) == nil
			c = streamConsumerFor(x, found[k].group, st.consumer, st.keys[k])
		}
		served++
		if x.W.Proto == 2 {
			x.W.WriteArrayLen(2)
		}
		x.W.WriteBulk(st.keys[k])
		start, _ := gt.Next()
		switch {
		case history:
			streamWriteHistory(x, s, found[k].group, c, start, st.count)
		case xgroup:
			d := streamDelivery{key: st.keys[k], group: st.group, created: created, noack: st.noack}
			d.deliver(x, s, found[k].group, c, start, st.count)
		default:
			writeStreamRange(x, s, start, types.MaxStreamID, st.count, false)
		}
		if xgroup {
			x.Dirty(1)
		}
	}
	if served > 0 {
		// The reply's length goes before the parts written above.
		body = append(body, x.W.Bytes()[mark:]...)
		x.W.Truncate(mark)
		if x.W.Proto == 2 {
			x.W.WriteArrayLen(served)
		} else {
			x.W.WriteMapLen(served)
		}
		x.W.WriteRaw(body)
		return
	}
	if timeout < 0 || x.InExec() {
		x.W.WriteNullArray()
		return
	}
	if st.count == 0 {
		st.count = xreadBlockedDefaultCount
	}
	st.keys = cloneArgs(st.keys)
	if xgroup {
		st.group = bytes.Clone(st.group)
		st.consumer = bytes.Clone(st.consumer)
	}
	d := time.Duration(math.MaxInt64) // beyond Duration's range: for ever in practice
	if timeout < math.MaxInt64/int64(time.Millisecond) {
		d = time.Duration(timeout) * time.Millisecond
	}
	x.Block(st.keys, d, st.serve)
}

// serve answers a blocked XREAD or XREADGROUP from key once it has entries
// past the client's ID (the group's last delivered ID for XREADGROUP). A
// waiting XREADGROUP fails when its stream or group goes away.
func (st *streamReadState) serve(x *Ctx, key []byte) bool {
	k := 0
	for k < len(st.keys) && !bytes.Equal(st.keys[k], key) {
		k++
	}
	if k == len(st.keys) {
		return false
	}
	e := x.DB.Lookup(key, x.Now)
	var s *types.Stream
	if e != nil {
		s, _ = e.Obj().(*types.Stream)
	}
	if s == nil {
		if st.group != nil {
			x.Error(errStreamUnblockDel)
			return true
		}
		return false
	}
	gt := st.ids[k]
	var g *types.StreamGroup
	if st.group != nil {
		if g = s.Group(st.group); g == nil {
			x.Error(errStreamUnblockGrp)
			return true
		}
		gt = g.LastID
	}
	if !gt.Less(s.LastID) {
		return false
	}
	if x.W.Proto == 2 {
		x.W.WriteArrayLen(1)
		x.W.WriteArrayLen(2)
	} else {
		x.W.WriteMapLen(1)
	}
	x.W.WriteBulk(key)
	start, _ := gt.Next()
	if g == nil {
		writeStreamRange(x, s, start, types.MaxStreamID, st.count, false)
		return true
	}
	x.PropagateNone()
	created := g.Consumer(st.consumer) == nil
	c := streamConsumerFor(x, g, st.consumer, key)
	d := streamDelivery{key: key, group: st.group, created: created, noack: st.noack}
	d.deliver(x, s, g, c, start, st.count)
	x.Dirty(1)
	return true
}

// streamConsumerFor looks a consumer up, creating it if needed, and marks
// it seen now.
func streamConsumerFor(x *Ctx, g *types.StreamGroup, name, key []byte) *types.StreamConsumer {
	c := g.Consumer(name)
	if c == nil {
		c = g.CreateConsumer(name, x.Now)
		x.Dirty(1)
		x.Notify(NotifyStream, "xgroup-createconsumer", key)
	}
	c.SeenTime = x.Now
	return c
}

// streamDelivery is one stream's part of an XREADGROUP that delivers new
// entries: the key and group as the client named them, whether the read
// created the consumer, and NOACK.
type streamDelivery struct {
	key, group []byte
	created    bool
	noack      bool
}

// deliver replies with up to count new entries from start on and records
// them as delivered to c: the group moves past them and, unless noack, they
// enter the pending lists. As Redis does, it logs each pending entry made
// as an XCLAIM, or under NOACK the group's new position as XGROUP SETID
// (after an XGROUP CREATECONSUMER if the read created the consumer).
func (d *streamDelivery) deliver(x *Ctx, s *types.Stream, g *types.StreamGroup, c *types.StreamConsumer, start types.StreamID, count int64) {
	noack := d.noack
	prop := x.propagating()
	var it types.StreamIter
	var fields [16][]byte
	n := int64(0)
	s.InitIter(&it, start, types.MaxStreamID, false)
	for count == 0 || n < count {
		if _, ok := it.NextID(); !ok {
			break
		}
		n++
	}
	x.W.WriteArrayLen(int(n))
	s.InitIter(&it, start, types.MaxStreamID, false)
	for i := int64(0); i < n; i++ {
		id, fv, _ := it.NextInto(fields[:0])
		s.MarkDelivered(g, id)
		if !noack {
			pe := g.PEL.Get(id)
			if pe == nil {
				pe = &types.PendingEntry{ID: id}
				g.PEL.Set(pe)
			} else if pe.Consumer != c {
				pe.Consumer.PEL.Delete(id)
			}
			pe.Consumer = c
			pe.DeliveryTime = x.Now
			pe.DeliveryCount = 1
			c.PEL.Set(pe)
			c.ActiveTime = x.Now
			if prop {
				streamAlsoClaim(x, d.key, d.group, g, pe, id.Append(nil))
			}
		}
		writeStreamEntry(x, id, fv)
	}
	if noack && n > 0 && prop {
		if d.created {
			x.Also(argXgroup, argCreateCon, d.key, d.group, []byte(c.Name))
		}
		streamAlsoSetID(x, d.key, d.group, g)
	}
}

// streamAlsoClaim logs pe, a pending entry of group g at key, as the XCLAIM
// that recreates it exactly (owner, delivery time and count) and moves the
// group to its last ID, as Redis's streamPropagateXCLAIM. key and group are
// as the client named them, id as the client spelled it where it did.
func streamAlsoClaim(x *Ctx, key, group []byte, g *types.StreamGroup, pe *types.PendingEntry, id []byte) {
	x.Also(argXclaim, key, group, []byte(pe.Consumer.Name), argZero, id,
		argTime, propInt(pe.DeliveryTime), argRetry, propInt(int64(pe.DeliveryCount)),
		argForce, argJustID, argLastID, g.LastID.Append(nil))
}

// streamAlsoSetID logs the position of group g at key as XGROUP SETID, as
// Redis's streamPropagateGroupID.
func streamAlsoSetID(x *Ctx, key, group []byte, g *types.StreamGroup) {
	x.Also(argXgroup, argSetid, key, group, g.LastID.Append(nil), argEntRead, propInt(g.EntriesRead))
}

// streamWriteHistory replies with c's pending entries from start on: an
// entry deleted from the stream shows as its ID with a null, the others
// count as delivered again.
func streamWriteHistory(x *Ctx, s *types.Stream, g *types.StreamGroup, c *types.StreamConsumer, start types.StreamID, count int64) {
	var pes []*types.PendingEntry
	c.PEL.Ascend(start, func(pe *types.PendingEntry) bool {
		if count != 0 && int64(len(pes)) >= count {
			return false
		}
		pes = append(pes, pe)
		return true
	})
	x.W.WriteArrayLen(len(pes))
	for _, pe := range pes {
		fv, ok := s.Get(pe.ID)
		if !ok {
			x.W.WriteArrayLen(2)
			writeStreamID(x, pe.ID)
			x.W.WriteNullArray()
			continue
		}
		pe.DeliveryTime = x.Now
		pe.DeliveryCount++
		writeStreamEntry(x, pe.ID, fv)
	}
}

// streamGroupOf finds key's stream and its group name for XPENDING, XCLAIM
// and XAUTOCLAIM, replying NOGROUP when either is missing.
func streamGroupOf(x *Ctx, key, name []byte) (*types.Stream, *types.StreamGroup, bool) {
	// A read lookup, as Redis's XCLAIM and XAUTOCLAIM make: a missing key
	// counts a miss and raises keymiss.
	s, ok := streamOf(x, x.Lookup(key))
	if !ok {
		return nil, nil, false
	}
	var g *types.StreamGroup
	if s != nil {
		g = s.Group(name)
	}
	if g == nil {
		x.Errorf("NOGROUP No such key '%s' or consumer group '%s'", cString(key), cString(name))
		return nil, nil, false
	}
	return s, g, true
}

func cmdXack(x *Ctx) {
	s, ok := streamOf(x, x.Lookup(x.Args[1]))
	if !ok {
		return
	}
	var g *types.StreamGroup
	if s != nil {
		g = s.Group(x.Args[2])
	}
	if g == nil {
		x.W.WriteInt(0)
		return
	}
	ids, ok := streamStrictIDs(x, x.Args[3:])
	if !ok {
		return
	}
	acked := int64(0)
	for _, id := range ids {
		if pe := g.PEL.Delete(id); pe != nil {
			pe.Consumer.PEL.Delete(id)
			acked++
		}
	}
	x.Dirty(acked)
	x.W.WriteInt(acked)
}

func cmdXpending(x *Ctx) {
	args := x.Args
	if len(args) != 3 && (len(args) < 6 || len(args) > 9) {
		x.Error(ErrSyntax)
		return
	}
	var start, end types.StreamID
	var count, minIdle int64
	var consumerName []byte
	if len(args) >= 6 {
		si := 3
		if strings.EqualFold(string(args[3]), "idle") {
			n, ok := num.ParseInt(args[4])
			if !ok {
				x.Error(ErrNotInt)
				return
			}
			minIdle = n
			if len(args) < 8 {
				x.Error(ErrSyntax)
				return
			}
			si += 2
		}
		n, ok := num.ParseInt(args[si+2])
		if !ok {
			x.Error(ErrNotInt)
			return
		}
		count = max(n, 0)
		if start, ok = streamIntervalID(x, args[si], false); !ok {
			return
		}
		if end, ok = streamIntervalID(x, args[si+1], true); !ok {
			return
		}
		if si+3 < len(args) {
			consumerName = args[si+3]
		}
	}
	s, ok := streamOf(x, x.Lookup(args[1]))
	if !ok {
		return
	}
	var g *types.StreamGroup
	if s != nil {
		g = s.Group(args[2])
	}
	if g == nil {
		x.Errorf("NOGROUP No such key '%s' or consumer group '%s'", cString(args[1]), cString(args[2]))
		return
	}
	if len(args) == 3 {
		x.W.WriteArrayLen(4)
		x.W.WriteInt(int64(g.PEL.Len()))
		if g.PEL.Len() == 0 {
			x.W.WriteNull()
			x.W.WriteNull()
			x.W.WriteNullArray()
			return
		}
		writeStreamID(x, g.PEL.First().ID)
		writeStreamID(x, g.PEL.Last().ID)
		n := 0
		for _, c := range g.Consumers() {
			if c.PEL.Len() > 0 {
				n++
			}
		}
		x.W.WriteArrayLen(n)
		for _, c := range g.Consumers() {
			if c.PEL.Len() > 0 {
				x.W.WriteArrayLen(2)
				x.W.WriteBulkString(c.Name)
				x.W.WriteBulkInt(int64(c.PEL.Len()))
			}
		}
		return
	}
	pel := &g.PEL
	if consumerName != nil {
		c := g.Consumer(consumerName)
		if c == nil {
			x.W.WriteArrayLen(0)
			return
		}
		pel = &c.PEL
	}
	var out []*types.PendingEntry
	pel.Ascend(start, func(pe *types.PendingEntry) bool {
		if int64(len(out)) >= count || end.Less(pe.ID) {
			return false
		}
		if minIdle != 0 && x.Now-pe.DeliveryTime < minIdle {
			return true
		}
		out = append(out, pe)
		return true
	})
	x.W.WriteArrayLen(len(out))
	for _, pe := range out {
		x.W.WriteArrayLen(4)
		writeStreamID(x, pe.ID)
		x.W.WriteBulkString(pe.Consumer.Name)
		x.W.WriteInt(max(x.Now-pe.DeliveryTime, 0))
		x.W.WriteInt(int64(pe.DeliveryCount))
	}
}

func cmdXclaim(x *Ctx) {
	args := x.Args
	key := args[1]
	s, g, ok := streamGroupOf(x, key, args[2])
	if !ok {
		return
	}
	minIdle, ok := num.ParseInt(args[4])
	if !ok {
		x.Error("ERR Invalid min-idle-time argument for XCLAIM")
		return
	}
	minIdle = max(minIdle, 0)
	j := 5
	var ids []types.StreamID
	for ; j < len(args); j++ {
		id, _, ok := parseStreamID(args[j], true, 0, false)
		if !ok {
			break
		}
		ids = append(ids, id)
	}
	now := x.Now
	deliveryTime := int64(-1)
	retryCount := int64(-1)
	force, justID := false, false
	var lastID types.StreamID
	for ; j < len(args); j++ {
		more := len(args) - 1 - j
		o := string(args[j])
		switch {
		case strings.EqualFold(o, "force"):
			force = true
		case strings.EqualFold(o, "justid"):
			justID = true
		case strings.EqualFold(o, "idle") && more > 0:
			j++
			n, ok := num.ParseInt(args[j])
			if !ok {
				x.Error("ERR Invalid IDLE option argument for XCLAIM")
				return
			}
			deliveryTime = now - n
		case strings.EqualFold(o, "time") && more > 0:
			j++
			n, ok := num.ParseInt(args[j])
			if !ok {
				x.Error("ERR Invalid TIME option argument for XCLAIM")
				return
			}
			deliveryTime = n
		case strings.EqualFold(o, "retrycount") && more > 0:
			j++
			n, ok := num.ParseInt(args[j])
			if !ok {
				x.Error("ERR Invalid RETRYCOUNT option argument for XCLAIM")
				return
			}
			retryCount = n
		case strings.EqualFold(o, "lastid") && more > 0:
			j++
			id, ok := streamStrictID(x, args[j])
			if !ok {
				return
			}
			lastID = id
		default:
			x.Errorf("ERR Unrecognized XCLAIM option '%s'", cString(args[j]))
			return
		}
	}
	// Logged as one XCLAIM per pending entry changed (which carries the
	// group's last ID), or an XGROUP SETID when only LASTID moved the group.
	x.PropagateNone()
	prop := x.propagating()
	movedGroup := false
	if g.LastID.Less(lastID) {
		g.LastID = lastID
		x.Dirty(1)
		movedGroup = true
	}
	if deliveryTime < 0 || deliveryTime > now {
		deliveryTime = now
	}
	var c *types.StreamConsumer
	var claimed []types.StreamID
	for i, id := range ids {
		pe := g.PEL.Get(id)
		if _, exists := s.Get(id); !exists {
			if pe != nil {
				if prop {
					// The entry as it was: replaying the claim drops it.
					streamAlsoClaim(x, key, args[2], g, pe, args[5+i])
					movedGroup = false
				}
				g.PEL.Delete(id)
				pe.Consumer.PEL.Delete(id)
				x.Dirty(1)
			}
			continue
		}
		if force && pe == nil {
			pe = &types.PendingEntry{ID: id, DeliveryCount: 1, DeliveryTime: now}
			g.PEL.Set(pe)
		}
		if pe == nil {
			continue
		}
		if pe.Consumer != nil && minIdle != 0 && now-pe.DeliveryTime < minIdle {
			continue
		}
		if c == nil {
			c = streamConsumerFor(x, g, args[3], key)
		}
		if pe.Consumer != c && pe.Consumer != nil {
			pe.Consumer.PEL.Delete(id)
		}
		pe.DeliveryTime = deliveryTime
		if retryCount >= 0 {
			pe.DeliveryCount = uint64(retryCount)
		} else if !justID {
			pe.DeliveryCount++
		}
		if pe.Consumer != c {
			pe.Consumer = c
			c.PEL.Set(pe)
		}
		c.ActiveTime = now
		claimed = append(claimed, id)
		x.Dirty(1)
		if prop {
			streamAlsoClaim(x, key, args[2], g, pe, args[5+i])
			movedGroup = false
		}
	}
	if movedGroup && prop {
		streamAlsoSetID(x, key, args[2], g)
	}
	x.W.WriteArrayLen(len(claimed))
	for _, id := range claimed {
		if justID {
			writeStreamID(x, id)
		} else {
			fv, _ := s.Get(id)
			writeStreamEntry(x, id, fv)
		}
	}
}

func cmdXautoclaim(x *Ctx) {
	args := x.Args
	key := args[1]
	minIdle, ok := num.ParseInt(args[4])
	if !ok {
		x.Error("ERR Invalid min-idle-time argument for XAUTOCLAIM")
		return
	}
	minIdle = max(minIdle, 0)
	start, ok := streamIntervalID(x, args[5], false)
	if !ok {
		return
	}
	count := int64(100)
	justID := false
	for j := 6; j < len(args); j++ {
		more := len(args) - 1 - j
		o := string(args[j])
		switch {
		case strings.EqualFold(o, "count") && more > 0:
			n, ok := num.ParseInt(args[j+1])
			if !ok || n < 1 || n > math.MaxInt64/16 {
				x.Error("ERR COUNT must be > 0")
				return
			}
			if n > xautoclaimMaxCount {
				x.Error("ERR Insufficient memory, failed allocating transient memory, COUNT too high.")
				return
			}
			count = n
			j++
		case strings.EqualFold(o, "justid"):
			justID = true
		default:
			x.Error(ErrSyntax)
			return
		}
	}
	s, g, ok := streamGroupOf(x, key, args[2])
	if !ok {
		return
	}
	now := x.Now
	attempts := count * 10
	var c *types.StreamConsumer
	var claimed, deleted []types.StreamID
	next := types.StreamID{}
	// Logged as one XCLAIM per pending entry changed, as XCLAIM is.
	x.PropagateNone()
	prop := x.propagating()
	g.PEL.Ascend(start, func(pe *types.PendingEntry) bool {
		if attempts == 0 || count == 0 {
			next = pe.ID
			return false
		}
		attempts--
		id := pe.ID
		if _, exists := s.Get(id); !exists {
			if prop {
				streamAlsoClaim(x, key, args[2], g, pe, id.Append(nil))
			}
			g.PEL.Delete(id)
			pe.Consumer.PEL.Delete(id)
			deleted = append(deleted, id)
			count--
			x.Dirty(1)
			return true
		}
		if minIdle != 0 && now-pe.DeliveryTime < minIdle {
			return true
		}
		if c == nil {
			c = streamConsumerFor(x, g, args[3], key)
		}
		if pe.Consumer != c {
			pe.Consumer.PEL.Delete(id)
		}
		pe.DeliveryTime = now
		if !justID {
			pe.DeliveryCount++
		}
		if pe.Consumer != c {
			pe.Consumer = c
			c.PEL.Set(pe)
		}
		c.ActiveTime = now
		claimed = append(claimed, id)
		count--
		x.Dirty(1)
		if prop {
			streamAlsoClaim(x, key, args[2], g, pe, id.Append(nil))
		}
		return true
	})
	x.W.WriteArrayLen(3)
	writeStreamID(x, next)
	x.W.WriteArrayLen(len(claimed))
	for _, id := range claimed {
		if justID {
			writeStreamID(x, id)
		} else {
			fv, _ := s.Get(id)
			writeStreamEntry(x, id, fv)
		}
	}
	x.W.WriteArrayLen(len(deleted))
	for _, id := range deleted {
		writeStreamID(x, id)
	}
}

// xgroupLookup does what every XGROUP subcommand but HELP starts with: the
// key must hold a stream (unless mkstream) and, except for CREATE and
// DESTROY, the group must exist.
func xgroupLookup(x *Ctx, mkstream, needGroup bool) (*types.Stream, *types.StreamGroup, bool) {
	s, ok := streamOf(x, x.LookupWrite(x.Args[2]))
	if !ok {
		return nil, nil, false
	}
	if mkstream {
		return s, nil, true
	}
	if s == nil {
		x.Error(errStreamNeedKey)
		return nil, nil, false
	}
	g := s.Group(x.Args[3])
	if g == nil && needGroup {
		x.Errorf("NOGROUP No such consumer group '%s' for key name '%s'", cString(x.Args[3]), cString(x.Args[2]))
		return nil, nil, false
	}
	return s, g, true
}

func parseEntriesRead(x *Ctx, b []byte) (int64, bool) {
	n, ok := num.ParseInt(b)
	if !ok {
		x.Error(ErrNotInt)
		return 0, false
	}
	if n < 0 && n != -1 {
		x.Error(errStreamEntriesRead)
		return 0, false
	}
	return n, true
}

func cmdXgroupCreate(x *Ctx) {
	mkstream := false
	entriesRead := int64(-1)
	for i := 5; i < len(x.Args); {
		switch {
		case strings.EqualFold(string(x.Args[i]), "mkstream"):
			mkstream = true
			i++
		case strings.EqualFold(string(x.Args[i]), "entriesread") && i+1 < len(x.Args):
			n, ok := parseEntriesRead(x, x.Args[i+1])
			if !ok {
				return
			}
			entriesRead = n
			i += 2
		default:
			subcommandSyntaxError(x)
			return
		}
	}
	s, _, ok := xgroupLookup(x, mkstream, false)
	if !ok {
		return
	}
	if len(x.Args) > 8 {
		subcommandSyntaxError(x)
		return
	}
	var id types.StreamID
	if a := x.Args[4]; len(a) == 1 && a[0] == '$' {
		if s != nil {
			id = s.LastID
		}
	} else if id, ok = streamStrictID(x, a); !ok {
		return
	}
	key := x.Args[2]
	if s == nil {
		s = types.NewStream()
		x.DB.SetObject(key, s)
		x.Modified(key)
	}
	if s.CreateGroup(x.Args[3], id, entriesRead) == nil {
		x.Error(errStreamBusyGroup)
		return
	}
	x.W.WriteOK()
	x.Dirty(1)
	x.Notify(NotifyStream, "xgroup-create", key)
}

func cmdXgroupSetid(x *Ctx) {
	// Options are read before the key, as XGROUP CREATE's are.
	entriesRead := int64(-1)
	for i := 5; i < len(x.Args); i += 2 {
		if !strings.EqualFold(string(x.Args[i]), "entriesread") || i+1 == len(x.Args) {
			subcommandSyntaxError(x)
			return
		}
		n, ok := parseEntriesRead(x, x.Args[i+1])
		if !ok {
			return
		}
		entriesRead = n
	}
	s, g, ok := xgroupLookup(x, false, true)
	if !ok {
		return
	}
	if len(x.Args) != 5 && len(x.Args) != 7 {
		subcommandSyntaxError(x)
		return
	}
	var id types.StreamID
	if a := x.Args[4]; len(a) == 1 && a[0] == '$' {
		id = s.LastID
	} else {
		var okID bool
		if id, _, okID = parseStreamID(a, false, 0, false); !okID {
			x.Error(errStreamID)
			return
		}
	}
	g.LastID = id
	g.EntriesRead = entriesRead
	x.W.WriteOK()
	x.Dirty(1)
	x.Notify(NotifyStream, "xgroup-setid", x.Args[2])
}

func cmdXgroupDestroy(x *Ctx) {
	s, g, ok := xgroupLookup(x, false, false)
	if !ok {
		return
	}
	if g == nil {
		x.W.WriteInt(0)
		return
	}
	s.DestroyGroup(x.Args[3])
	x.W.WriteInt(1)
	x.Dirty(1)
	x.Notify(NotifyStream, "xgroup-destroy", x.Args[2])
	x.noteReady(x.Args[2]) // blocked XREADGROUPs of the group fail
}

func cmdXgroupCreateconsumer(x *Ctx) {
	_, g, ok := xgroupLookup(x, false, true)
	if !ok {
		return
	}
	if g.CreateConsumer(x.Args[4], x.Now) == nil {
		x.W.WriteInt(0)
		return
	}
	x.W.WriteInt(1)
	x.Dirty(1)
	x.Notify(NotifyStream, "xgroup-createconsumer", x.Args[2])
}

func cmdXgroupDelconsumer(x *Ctx) {
	_, g, ok := xgroupLookup(x, false, true)
	if !ok {
		return
	}
	n := g.DeleteConsumer(x.Args[4])
	if n < 0 {
		x.W.WriteInt(0)
		return
	}
	x.W.WriteInt(n)
	x.Dirty(1)
	x.Notify(NotifyStream, "xgroup-delconsumer", x.Args[2])
}

var xgroupHelp = []string{
	"XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"CREATE <key> <groupname> <id|$> [option]",
	"    Create a new consumer group. Options are:",
	"    * MKSTREAM",
	"      Create the empty stream if it does not exist.",
	"    * ENTRIESREAD entries_read",
	"      Set the group's entries_read counter (internal use).",
	"CREATECONSUMER <key> <groupname> <consumer>",
	"    Create a new consumer in the specified group.",
	"DELCONSUMER <key> <groupname> <consumer>",
	"    Remove the specified consumer.",
	"DESTROY <key> <groupname>",
	"    Remove the specified group.",
	"SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
	"    Set the current group ID and entries_read counter.",
	"HELP",
	"    Prints this help.",
}

var xinfoHelp = []string{
	"XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"CONSUMERS <key> <groupname>",
	"    Show consumers of <groupname>.",
	"GROUPS <key>",
	"    Show the stream consumer groups.",
	"STREAM <key> [FULL [COUNT <count>]",
	"    Show information about the stream.",
	"HELP",
	"    Prints this help.",
}

func cmdXgroupHelp(x *Ctx) { streamWriteHelp(x, xgroupHelp) }
func cmdXinfoHelp(x *Ctx)  { streamWriteHelp(x, xinfoHelp) }

func streamWriteHelp(x *Ctx, lines []string) {
	x.W.WriteArrayLen(len(lines))
	for _, l := range lines {
		x.W.WriteSimple(l)
	}
}

// xinfoStream looks XINFO's key up: a missing key is an error.
func xinfoStream(x *Ctx) (*types.Stream, bool) {
	s, ok := streamOf(x, x.Lookup(x.Args[2]))
	if !ok {
		return nil, false
	}
	if s == nil {
		x.Error(ErrNoSuchKey)
		return nil, false
	}
	return s, true
}

func writeStreamLag(x *Ctx, s *types.Stream, g *types.StreamGroup) {
	if lag, ok := s.Lag(g); ok {
		x.W.WriteInt(lag)
	} else {
		x.W.WriteNull()
	}
}

func writeEntriesRead(x *Ctx, g *types.StreamGroup) {
	if g.EntriesRead != -1 {
		x.W.WriteInt(g.EntriesRead)
	} else {
		x.W.WriteNull()
	}
}

func cmdXinfoStream(x *Ctx) {
	s, ok := xinfoStream(x)
	if !ok {
		return
	}
	full := false
	count := int64(10)
	if len(x.Args) > 3 {
		if (len(x.Args) != 4 && len(x.Args) != 6) || !strings.EqualFold(string(x.Args[3]), "full") {
			subcommandSyntaxError(x)
			return
		}
		full = true
		if len(x.Args) == 6 {
			if !strings.EqualFold(string(x.Args[4]), "count") {
				subcommandSyntaxError(x)
				return
			}
			n, ok := num.ParseInt(x.Args[5])
			if !ok {
				x.Error(ErrNotInt)
				return
			}
			if n >= 0 { // 0: everything; a negative COUNT keeps the default
				count = n
			}
		}
	}
	w := x.W
	if full {
		w.WriteMapLen(9)
	} else {
		w.WriteMapLen(10)
	}
	w.WriteBulkString("length")
	w.WriteInt(int64(s.Len()))
	w.WriteBulkString("radix-tree-keys")
	w.WriteInt(int64(s.NodeCount()))
	w.WriteBulkString("radix-tree-nodes")
	w.WriteInt(int64(s.RaxNodes()))
	w.WriteBulkString("last-generated-id")
	writeStreamID(x, s.LastID)
	w.WriteBulkString("max-deleted-entry-id")
	writeStreamID(x, s.MaxDeletedID)
	w.WriteBulkString("entries-added")
	w.WriteInt(int64(s.EntriesAdded))
	w.WriteBulkString("recorded-first-entry-id")
	writeStreamID(x, s.FirstID)
	if !full {
		w.WriteBulkString("groups")
		w.WriteInt(int64(len(s.Groups())))
		for _, rev := range []bool{false, true} {
			if rev {
				w.WriteBulkString("last-entry")
			} else {
				w.WriteBulkString("first-entry")
			}
			it := s.Iter(types.StreamID{}, types.MaxStreamID, rev)
			if id, fv, ok := it.Next(); ok {
				writeStreamEntry(x, id, fv)
			} else {
				w.WriteNull()
			}
		}
		return
	}
	w.WriteBulkString("entries")
	writeStreamRange(x, s, types.StreamID{}, types.MaxStreamID, count, false)
	w.WriteBulkString("groups")
	w.WriteArrayLen(len(s.Groups()))
	limited := func(m *types.PendingMap) []*types.PendingEntry {
		var out []*types.PendingEntry
		m.Ascend(types.StreamID{}, func(pe *types.PendingEntry) bool {
			if count != 0 && int64(len(out)) >= count {
				return false
			}
			out = append(out, pe)
			return true
		})
		return out
	}
	for _, g := range s.Groups() {
		w.WriteMapLen(7)
		w.WriteBulkString("name")
		w.WriteBulkString(g.Name)
		w.WriteBulkString("last-delivered-id")
		writeStreamID(x, g.LastID)
		w.WriteBulkString("entries-read")
		writeEntriesRead(x, g)
		w.WriteBulkString("lag")
		writeStreamLag(x, s, g)
		w.WriteBulkString("pel-count")
		w.WriteInt(int64(g.PEL.Len()))
		w.WriteBulkString("pending")
		pes := limited(&g.PEL)
		w.WriteArrayLen(len(pes))
		for _, pe := range pes {
			w.WriteArrayLen(4)
			writeStreamID(x, pe.ID)
			w.WriteBulkString(pe.Consumer.Name)
			w.WriteInt(pe.DeliveryTime)
			w.WriteInt(int64(pe.DeliveryCount))
		}
		w.WriteBulkString("consumers")
		w.WriteArrayLen(len(g.Consumers()))
		for _, c := range g.Consumers() {
			w.WriteMapLen(4)
			w.WriteBulkString("name")
			w.WriteBulkString(c.Name)
			w.WriteBulkString("seen-time")
			w.WriteInt(c.SeenTime)
			w.WriteBulkString("pel-count")
			w.WriteInt(int64(c.PEL.Len()))
			w.WriteBulkString("pending")
			pes := limited(&c.PEL)
			w.WriteArrayLen(len(pes))
			for _, pe := range pes {
				w.WriteArrayLen(3)
				writeStreamID(x, pe.ID)
				w.WriteInt(pe.DeliveryTime)
				w.WriteInt(int64(pe.DeliveryCount))
			}
		}
	}
}

func cmdXinfoGroups(x *Ctx) {
	s, ok := xinfoStream(x)
	if !ok {
		return
	}
	w := x.W
	w.WriteArrayLen(len(s.Groups()))
	for _, g := range s.Groups() {
		w.WriteMapLen(6)
		w.WriteBulkString("name")
		w.WriteBulkString(g.Name)
		w.WriteBulkString("consumers")
		w.WriteInt(int64(len(g.Consumers())))
		w.WriteBulkString("pending")
		w.WriteInt(int64(g.PEL.Len()))
		w.WriteBulkString("last-delivered-id")
		writeStreamID(x, g.LastID)
		w.WriteBulkString("entries-read")
		writeEntriesRead(x, g)
		w.WriteBulkString("lag")
		writeStreamLag(x, s, g)
	}
}

// cmdXinfoConsumers reports each consumer's pending count, idle time (since
// it was last seen) and, as Redis 7.2 added, its inactive time (since it
// last read or claimed an entry; -1 if never).
func cmdXinfoConsumers(x *Ctx) {
	s, ok := xinfoStream(x)
	if !ok {
		return
	}
	g := s.Group(x.Args[3])
	if g == nil {
		x.Errorf("NOGROUP No such consumer group '%s' for key name '%s'", cString(x.Args[3]), cString(x.Args[2]))
		return
	}
	w := x.W
	w.WriteArrayLen(len(g.Consumers()))
	for _, c := range g.Consumers() {
		w.WriteMapLen(4)
		w.WriteBulkString("name")
		w.WriteBulkString(c.Name)
		w.WriteBulkString("pending")
		w.WriteInt(int64(c.PEL.Len()))
		w.WriteBulkString("idle")
		w.WriteInt(max(x.Now-c.SeenTime, 0))
		w.WriteBulkString("inactive")
		if c.ActiveTime == -1 {
			w.WriteInt(-1)
		} else {
			w.WriteInt(max(x.Now-c.ActiveTime, 0))
		}
	}
}
