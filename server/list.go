package server

import (
	"bytes"
	"math"
	"time"

	"petrel/internal/num"
	"petrel/store"
	"petrel/types"
)

// The list command family. Lists are types.List values (a quicklist of
// packed nodes). An emptied list is deleted at once, as in Redis, so a list
// in the keyspace always has an element: the blocking commands rely on it.
//
// Reading methods of types.List return slices into the list's memory,
// valid until the list changes, so a handler writes each value to the reply
// (which copies it) before the next mutation.

const (
	errListIndexRange = "ERR index out of range"
	errListPositive   = "ERR value is out of range, must be positive"
	errListRankZero   = "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list"
	errListCountNeg   = "ERR COUNT can't be negative"
	errListMaxlenNeg  = "ERR MAXLEN can't be negative"
	errListNumkeys    = "ERR numkeys should be greater than 0"
	errListCountPos   = "ERR count should be greater than 0"
)

func listFill(x *Ctx) int { return x.Limits().ListMaxListpackSize }

// listOf returns the list held by e (nil for a missing key); on another
// type it replies WRONGTYPE and reports false.
func listOf(x *Ctx, e *store.Entry) (*types.List, bool) {
	if e == nil {
		return nil, true
	}
	if l, ok := e.Obj().(*types.List); ok {
		return l, true
	}
	x.Error(ErrWrongType)
	return nil, false
}

// listAt returns the non-empty list at key, or nil, without replying: what
// a blocked client's serve function needs.
func listAt(x *Ctx, key []byte) *types.List {
	e := x.LookupWrite(key)
	if e == nil {
		return nil
	}
	if l, ok := e.Obj().(*types.List); ok && l.Len() > 0 {
		return l
	}
	return nil
}

// listCreate stores a new empty list at key. As in Redis, the list keeps
// the list-compress-depth in force now: CONFIG SET changes only the lists
// created after it.
func listCreate(x *Ctx, key []byte) *types.List {
	l := types.NewList()
	l.SetCompressDepth(x.Limits().ListCompressDepth)
	x.DB.SetObject(key, l)
	return l
}

// listChanged records n changes to key (Redis counts one per element
// pushed or popped) after the command raised its event, deleting the key
// (and raising "del") if the list is now empty.
func listChanged(x *Ctx, key []byte, l *types.List, n int) {
	if l.Len() == 0 {
		x.DB.Delete(key)
		x.Notify(NotifyGeneric, "del", key)
	}
	x.Modified(key)
	if n > 1 {
		x.Dirty(int64(n - 1))
	}
}

// listPushEvent and listPopEvent name the keyspace events of a push or pop
// at the head or tail.
func listPushEvent(tail bool) string {
	if tail {
		return "rpush"
	}
	return "lpush"
}

func listPopEvent(tail bool) string {
	if tail {
		return "rpop"
	}
	return "lpop"
}

// listWhere parses LEFT or RIGHT; tail is true for RIGHT.
func listWhere(arg []byte) (tail, ok bool) {
	switch {
	case strEqFold(arg, "left"):
		return false, true
	case strEqFold(arg, "right"):
		return true, true
	}
	return false, false
}

// normIndex turns a possibly negative index into a position, reporting
// whether it falls within a list of n elements.
func normIndex(i int64, n int) (int, bool) {
	if i < 0 {
		i += int64(n)
	}
	return int(i), i >= 0 && i < int64(n)
}

// --- push ---

func cmdLpush(x *Ctx)  { listPush(x, false, false) }
func cmdRpush(x *Ctx)  { listPush(x, true, false) }
func cmdLpushx(x *Ctx) { listPush(x, false, true) }
func cmdRpushx(x *Ctx) { listPush(x, true, true) }

func listPush(x *Ctx, tail, onlyExisting bool) {
	key := x.Args[1]
	l, ok := listOf(x, x.LookupWrite(key))
	if !ok {
		return
	}
	if l == nil {
		if onlyExisting {
			x.W.WriteInt(0)
			return
		}
		l = listCreate(x, key)
	}
	fill := listFill(x)
	for _, v := range x.Args[2:] {
		l.Push(v, tail, fill)
	}
	x.W.WriteInt(int64(l.Len()))
	x.Notify(NotifyList, listPushEvent(tail), key)
	listChanged(x, key, l, len(x.Args)-2)
}

// --- pop ---

func cmdLpop(x *Ctx) { listPop(x, false) }
func cmdRpop(x *Ctx) { listPop(x, true) }

// listPop is LPOP/RPOP: one element as a bulk string, or with a count an
// array of up to count elements. A missing key is a null bulk without a
// count and a null array with one (even a zero count).
func listPop(x *Ctx, tail bool) {
	if len(x.Args) > 3 {
		x.Errorf("ERR wrong number of arguments for '%s' command", x.Cmd.Name)
		return
	}
	key := x.Args[1]
	count := int64(-1)
	if len(x.Args) == 3 {
		c, ok := num.ParseInt(x.Args[2])
		if !ok || c < 0 {
			x.Error(errListPositive)
			return
		}
		count = c
	}
	l, ok := listOf(x, x.LookupWrite(key))
	if !ok {
		return
	}
	if l == nil {
		if count < 0 {
			x.W.WriteNull()
		} else {
			x.W.WriteNullArray()
		}
		return
	}
	var sc types.Scratch
	if count < 0 {
		v, _ := l.Pop(tail, &sc)
		x.W.WriteBulk(v)
		x.Notify(NotifyList, listPopEvent(tail), key)
		listChanged(x, key, l, 1)
		return
	}
	n := int(min(count, int64(l.Len())))
	x.W.WriteArrayLen(n)
	if n == 0 {
		return
	}
	listPopN(x, l, tail, n)
	x.Notify(NotifyList, listPopEvent(tail), key)
	listChanged(x, key, l, n)
}

// listPopN pops n elements into the reply, whose array header the caller
// wrote.
func listPopN(x *Ctx, l *types.List, tail bool, n int) {
	var sc types.Scratch
	for i := 0; i < n; i++ {
		v, _ := l.Pop(tail, &sc)
		x.W.WriteBulk(v)
	}
}

// --- reads ---

func cmdLlen(x *Ctx) {
	l, ok := listOf(x, x.Lookup(x.Args[1]))
	if !ok {
		return
	}
	if l == nil {
		x.W.WriteInt(0)
		return
	}
	x.W.WriteInt(int64(l.Len()))
}

func cmdLrange(x *Ctx) {
	start, ok1 := num.ParseInt(x.Args[2])
	end, ok2 := num.ParseInt(x.Args[3])
	if !ok1 || !ok2 {
		x.Error(ErrNotInt)
		return
	}
	l, ok := listOf(x, x.Lookup(x.Args[1]))
	if !ok {
		return
	}
	if l == nil {
		x.W.WriteArrayLen(0)
		return
	}
	n := int64(l.Len())
	if start < 0 {
		start += n
	}
	if end < 0 {
		end += n
	}
	start = max(start, 0)
	if start > end || start >= n {
		x.W.WriteArrayLen(0)
		return
	}
	end = min(end, n-1)
	count := int(end - start + 1)
	x.W.WriteArrayLen(count)
	it := l.Iter(int(start), count)
	for v, ok := it.Next(); ok; v, ok = it.Next() {
		x.W.WriteBulk(v)
	}
}

func cmdLindex(x *Ctx) {
	l, ok := listOf(x, x.Lookup(x.Args[1]))
	if !ok {
		return
	}
	if l == nil {
		x.W.WriteNull()
		return
	}
	idx, ok := num.ParseInt(x.Args[2])
	if !ok {
		x.Error(ErrNotInt)
		return
	}
	i, in := normIndex(idx, l.Len())
	if !in {
		x.W.WriteNull()
		return
	}
	var sc types.Scratch
	x.W.WriteBulk(l.Index(i, &sc))
}

// cmdLpos is LPOS key element [RANK rank] [COUNT num] [MAXLEN len].
func cmdLpos(x *Ctx) {
	args := x.Args
	rank, count, maxlen := int64(1), int64(-1), int64(0)
	for j := 3; j < len(args); j++ {
		more := j+1 < len(args)
		switch {
		case more && strEqFold(args[j], "rank"):
			j++
			v, ok := num.ParseInt(args[j])
			if !ok {
				x.Error(ErrNotInt)
				return
			}
			if v == 0 {
				x.Error(errListRankZero)
				return
			}
			rank = v
		case more && strEqFold(args[j], "count"):
			j++
			v, ok := num.ParseInt(args[j])
			if !ok || v < 0 {
				x.Error(errListCountNeg)
				return
			}
			count = v
		case more && strEqFold(args[j], "maxlen"):
			j++
			v, ok := num.ParseInt(args[j])
			if !ok || v < 0 {
				x.Error(errListMaxlenNeg)
				return
			}
			maxlen = v
		default:
			x.Error(ErrSyntax)
			return
		}
	}
	l, ok := listOf(x, x.Lookup(args[1]))
	if !ok {
		return
	}
	if l == nil {
		if count >= 0 {
			x.W.WriteArrayLen(0)
		} else {
			x.W.WriteNull()
		}
		return
	}
	reverse := rank < 0
	skip := rank - 1
	if reverse {
		skip = -rank - 1
	}
	if rank == math.MinInt64 {
		// Redis negates the rank in a C long: the minimum stays negative,
		// so every match counts from the first, and the COUNT test
		// (matches-rank+1 >= count) overflows and never stops the walk.
		skip = 0
		if count > 0 {
			count = 0
		}
	}
	if count < 0 {
		found := -1
		l.Pos(args[2], reverse, int(skip), int(maxlen), func(i int) bool {
			found = i
			return false
		})
		if found < 0 {
			x.W.WriteNull()
		} else {
			x.W.WriteInt(int64(found))
		}
		return
	}
	var buf [16]int
	found := buf[:0]
	l.Pos(args[2], reverse, int(skip), int(maxlen), func(i int) bool {
		found = append(found, i)
		return count == 0 || int64(len(found)) < count
	})
	x.W.WriteArrayLen(len(found))
	for _, i := range found {
		x.W.WriteInt(int64(i))
	}
}

// --- in-place changes ---

func cmdLset(x *Ctx) {
	key := x.Args[1]
	l, ok := listOf(x, x.LookupWrite(key))
	if !ok {
		return
	}
	if l == nil {
		x.Error(ErrNoSuchKey)
		return
	}
	idx, ok := num.ParseInt(x.Args[2])
	if !ok {
		x.Error(ErrNotInt)
		return
	}
	i, in := normIndex(idx, l.Len())
	if !in {
		x.Error(errListIndexRange)
		return
	}
	l.Set(i, x.Args[3], listFill(x))
	x.W.WriteOK()
	x.Modified(key)
	x.Notify(NotifyList, "lset", key)
}

// cmdLinsert is LINSERT key BEFORE|AFTER pivot element: the new length, 0
// for a missing key, -1 when the pivot is not there.
func cmdLinsert(x *Ctx) {
	var after bool
	switch {
	case strEqFold(x.Args[2], "after"):
		after = true
	case strEqFold(x.Args[2], "before"):
	default:
		x.Error(ErrSyntax)
		return
	}
	key := x.Args[1]
	l, ok := listOf(x, x.LookupWrite(key))
	if !ok {
		return
	}
	if l == nil {
		x.W.WriteInt(0)
		return
	}
	if !l.Insert(x.Args[3], after, x.Args[4], listFill(x)) {
		x.W.WriteInt(-1)
		return
	}
	x.W.WriteInt(int64(l.Len()))
	x.Modified(key)
	x.Notify(NotifyList, "linsert", key)
}

func cmdLrem(x *Ctx) {
	count, ok := num.ParseInt(x.Args[2])
	if !ok {
		x.Error(ErrNotInt)
		return
	}
	key := x.Args[1]
	l, ok := listOf(x, x.LookupWrite(key))
	if !ok {
		return
	}
	if l == nil {
		x.W.WriteInt(0)
		return
	}
	if count == math.MinInt64 {
		// Redis negates it in a C long long, where it stays negative and
		// never equals the number removed: every match goes.
		count = 0
	}
	n := l.Remove(x.Args[3], int(count), listFill(x))
	x.W.WriteInt(int64(n))
	if n > 0 {
		x.Notify(NotifyList, "lrem", key)
		listChanged(x, key, l, n)
	}
}

func cmdLtrim(x *Ctx) {
	start, ok1 := num.ParseInt(x.Args[2])
	end, ok2 := num.ParseInt(x.Args[3])
	if !ok1 || !ok2 {
		x.Error(ErrNotInt)
		return
	}
	key := x.Args[1]
	l, ok := listOf(x, x.LookupWrite(key))
	if !ok {
		return
	}
	if l == nil {
		x.W.WriteOK()
		return
	}
	n := int64(l.Len())
	if start < 0 {
		start += n
	}
	if end < 0 {
		end += n
	}
	start = max(start, 0)
	var head, tail int64
	if start > end || start >= n {
		head = n
	} else {
		end = min(end, n-1)
		head, tail = start, n-end-1
	}
	l.Trim(int(head), int(tail))
	x.W.WriteOK()
	// Redis signals the key and raises "ltrim" even when nothing goes.
	x.Notify(NotifyList, "ltrim", key)
	if head+tail == 0 {
		// No change is counted then, but watchers and tracking learn of it.
		x.signalModified(x.DB, key)
		return
	}
	listChanged(x, key, l, int(head+tail))
}

// --- moves ---

func cmdLmove(x *Ctx) {
	from, ok1 := listWhere(x.Args[3])
	to, ok2 := listWhere(x.Args[4])
	if !ok1 || !ok2 {
		x.Error(ErrSyntax)
		return
	}
	listMove(x, x.Args[1], x.Args[2], from, to)
}

func cmdRpoplpush(x *Ctx) { listMove(x, x.Args[1], x.Args[2], true, false) }

// listMove is LMOVE's non-blocking path: the element as a bulk string, or
// a null bulk when the source is missing.
func listMove(x *Ctx, src, dst []byte, fromTail, toTail bool) {
	sl, ok := listOf(x, x.LookupWrite(src))
	if !ok {
		return
	}
	if sl == nil {
		x.W.WriteNull()
		return
	}
	dl, ok := listOf(x, x.LookupWrite(dst))
	if !ok {
		return
	}
	listDoMove(x, src, sl, dst, dl, fromTail, toTail)
}

// listDoMove pops from sl (non-empty) and pushes onto dl (created at dst
// when nil), replying with the element.
func listDoMove(x *Ctx, src []byte, sl *types.List, dst []byte, dl *types.List, fromTail, toTail bool) {
	var sc types.Scratch
	v, _ := sl.Pop(fromTail, &sc)
	// The popped bytes live in the source's memory, which the push may
	// reuse when both are the same list.
	var buf [64]byte
	v = append(buf[:0], v...)
	if dl == nil {
		dl = listCreate(x, dst)
	}
	dl.Push(v, toTail, listFill(x))
	x.W.WriteBulk(v)
	x.Modified(dst)
	// Redis 7.0 raises the push on the destination before the pop on the
	// source (whatever its documentation says), then "del" if the source
	// is now empty.
	x.Notify(NotifyList, listPushEvent(toTail), dst)
	x.Notify(NotifyList, listPopEvent(fromTail), src)
	listChanged(x, src, sl, 1)
}

// --- multi-key pops ---

func cmdLmpop(x *Ctx)  { listMpop(x, false) }
func cmdBlmpop(x *Ctx) { listMpop(x, true) }

// listMpopKeys is LMPOP's and BLMPOP's KeysFunc: the numkeys keys after
// the numkeys argument, read as Redis's key extraction does (C atoi), and
// none when they do not fit in the arguments (the handler then replies
// with the error, and COMMAND GETKEYS with "Invalid arguments").
func listMpopKeys(first int) func(args [][]byte) []int {
	return func(args [][]byte) []int {
		if len(args) <= first {
			return nil
		}
		n := listAtoi(args[first])
		if n < 1 || n > int64(len(args)-first-1) {
			return nil
		}
		out := make([]int, n)
		for i := range out {
			out[i] = first + 1 + i
		}
		return out
	}
}

// listAtoi reads a number as C's atoi: leading blanks, a sign, then digits
// up to the first non-digit (saturating instead of overflowing).
func listAtoi(b []byte) int64 {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] >= '\t' && b[i] <= '\r') {
		i++
	}
	neg := false
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		neg = b[i] == '-'
		i++
	}
	var v int64
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		if v < math.MaxInt32 {
			v = v*10 + int64(b[i]-'0')
		}
	}
	if neg {
		return -v
	}
	return v
}

// listMpop is [B]LMPOP [timeout] numkeys key... LEFT|RIGHT [COUNT count]:
// the first non-empty list's key and up to count elements.
func listMpop(x *Ctx, block bool) {
	args := x.Args
	idx := 1
	if block {
		idx = 2
	}
	numkeys, ok := num.ParseInt(args[idx])
	if !ok || numkeys < 1 {
		x.Error(errListNumkeys)
		return
	}
	if numkeys > int64(len(args)-idx-2) {
		x.Error(ErrSyntax)
		return
	}
	whereAt := idx + int(numkeys) + 1
	tail, ok := listWhere(args[whereAt])
	if !ok {
		x.Error(ErrSyntax)
		return
	}
	count := int64(-1)
	for j := whereAt + 1; j < len(args); j++ {
		if count == -1 && j+1 < len(args) && strEqFold(args[j], "count") {
			j++
			c, ok := num.ParseInt(args[j])
			if !ok || c < 1 {
				x.Error(errListCountPos)
				return
			}
			count = c
			continue
		}
		x.Error(ErrSyntax)
		return
	}
	if count < 0 {
		count = 1
	}
	var timeout time.Duration
	if block {
		if timeout, ok = x.ParseTimeout(args[1]); !ok {
			return
		}
	}
	keys := args[idx+1 : whereAt]
	for _, key := range keys {
		l, ok := listOf(x, x.LookupWrite(key))
		if !ok {
			return
		}
		if l != nil {
			listServeMpop(x, key, l, tail, count)
			return
		}
	}
	if !block || x.InExec() {
		x.W.WriteNullArray()
		return
	}
	x.Block(keys, timeout, func(x *Ctx, key []byte) bool {
		l := listAt(x, key)
		if l == nil {
			return false
		}
		listServeMpop(x, key, l, tail, count)
		return true
	})
}

// listServeMpop pops up to count elements from l at key and replies
// [key, [elements...]].
//
// It is logged as LPOP or RPOP key n, n the number actually popped.
func listServeMpop(x *Ctx, key []byte, l *types.List, tail bool, count int64) {
	n := int(min(count, int64(l.Len())))
	x.W.WriteArrayLen(2)
	x.W.WriteBulk(key)
	x.W.WriteArrayLen(n)
	listPopN(x, l, tail, n)
	x.Notify(NotifyList, listPopEvent(tail), key)
	listChanged(x, key, l, n)
	if x.propagating() {
		x.PropagateAs(listPopName(tail), key, propInt(int64(n)))
	}
}

// listPopName is the plain pop a blocking or multi-key pop is logged as.
func listPopName(tail bool) []byte {
	if tail {
		return argRpop
	}
	return argLpop
}

// --- blocking ---

func cmdBlpop(x *Ctx) { listBlockingPop(x, false) }
func cmdBrpop(x *Ctx) { listBlockingPop(x, true) }

// listBlockingPop is BLPOP/BRPOP key... timeout: [key, element] from the
// first non-empty key in argument order, else waits for a push.
func listBlockingPop(x *Ctx, tail bool) {
	timeout, ok := x.ParseTimeout(x.Args[len(x.Args)-1])
	if !ok {
		return
	}
	keys := x.Args[1 : len(x.Args)-1]
	for _, key := range keys {
		l, ok := listOf(x, x.LookupWrite(key))
		if !ok {
			return
		}
		if l != nil {
			listServePop(x, key, l, tail)
			return
		}
	}
	if x.InExec() {
		x.W.WriteNullArray()
		return
	}
	x.Block(keys, timeout, func(x *Ctx, key []byte) bool {
		l := listAt(x, key)
		if l == nil {
			return false
		}
		listServePop(x, key, l, tail)
		return true
	})
}

// listServePop pops one element for BLPOP or BRPOP, logged as LPOP or
// RPOP key.
func listServePop(x *Ctx, key []byte, l *types.List, tail bool) {
	var sc types.Scratch
	v, _ := l.Pop(tail, &sc)
	x.W.WriteArrayLen(2)
	x.W.WriteBulk(key)
	x.W.WriteBulk(v)
	x.Notify(NotifyList, listPopEvent(tail), key)
	listChanged(x, key, l, 1)
	if x.propagating() {
		x.PropagateAs(listPopName(tail), key)
	}
}

func cmdBlmove(x *Ctx) {
	from, ok1 := listWhere(x.Args[3])
	to, ok2 := listWhere(x.Args[4])
	if !ok1 || !ok2 {
		x.Error(ErrSyntax)
		return
	}
	listBlockingMove(x, x.Args[5], from, to, x.Args[3:5])
}

func cmdBrpoplpush(x *Ctx) { listBlockingMove(x, x.Args[3], true, false, nil) }

// listBlockingMove is BLMOVE/BRPOPLPUSH: LMOVE, or when the source is
// missing a wait for it; the destination is locked with it when served.
// Inside MULTI a missing source answers a null bulk, as LMOVE would. It is
// logged as LMOVE with the client's directions (wheres), or RPOPLPUSH for
// BRPOPLPUSH (wheres nil).
func listBlockingMove(x *Ctx, timeoutArg []byte, fromTail, toTail bool, wheres [][]byte) {
	timeout, ok := x.ParseTimeout(timeoutArg)
	if !ok {
		return
	}
	src, dst := x.Args[1], x.Args[2]
	if x.LookupWrite(src) != nil || x.InExec() {
		listMove(x, src, dst, fromTail, toTail)
		if x.propagating() {
			listMovePropagate(x, src, dst, wheres)
		}
		return
	}
	src, dst = bytes.Clone(src), bytes.Clone(dst)
	if wheres != nil {
		// Served later, Redis logs its own lower-case words instead.
		wheres = [][]byte{listWhereWord(fromTail), listWhereWord(toTail)}
	}
	x.Block([][]byte{src}, timeout, func(x *Ctx, key []byte) bool {
		sl := listAt(x, src)
		if sl == nil {
			return false
		}
		// A destination of another type fails the served client with
		// WRONGTYPE and leaves the element where it was, as Redis does.
		dl, ok := listOf(x, x.LookupWrite(dst))
		if !ok {
			return true
		}
		listDoMove(x, src, sl, dst, dl, fromTail, toTail)
		if x.propagating() {
			listMovePropagate(x, src, dst, wheres)
		}
		return true
	}, dst)
}

// listWhereWord is the direction word Redis writes for a served BLMOVE.
func listWhereWord(tail bool) []byte {
	if tail {
		return argRightLower
	}
	return argLeftLower
}

// listMovePropagate sets the non-blocking form of BLMOVE (wheres: its two
// directions as sent) or BRPOPLPUSH (wheres nil).
func listMovePropagate(x *Ctx, src, dst []byte, wheres [][]byte) {
	if wheres == nil {
		x.PropagateAs(argRpoplpush, src, dst)
		return
	}
	x.PropagateAs(argLmove, src, dst, wheres[0], wheres[1])
}
