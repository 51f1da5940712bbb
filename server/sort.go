package server

import (
	"bytes"
	"math"
	"slices"

	"petrel/internal/num"
	"petrel/store"
	"petrel/types"
)

// SORT and SORT_RO sort a list, set or sorted set, numerically (each
// element or BY value read as a C double) or with ALPHA as strings, and
// reply or STORE the elements (or the GET values they point at) as a list.
//
// Ordering follows Redis exactly: numeric ties are broken by comparing the
// elements as binary strings, and DESC reverses the whole comparison;
// ALPHA compares with strcoll (Redis runs in the C locale unless its
// environment says otherwise, where strcoll compares C strings byte by
// byte: up to the first NUL), except under STORE, which compares binary
// strings; a missing BY value sorts before any other under ALPHA and
// counts as 0 otherwise. The sort is stable, as glibc's qsort (a merge
// sort) is, so equal elements keep the order they were read in.
//
// BY and GET patterns substitute each element for the first '*' of the
// pattern and read the resulting string key, or, with "->field" after the
// '*', that field of the resulting hash; "#" is the element itself. A BY
// pattern without '*' means no sorting at all. Such patterns read keys no
// one can name in advance, so SORT locks the whole database when it has
// any (sortLockMode).

const errSortScore = "ERR One or more scores can't be converted into double"

// sortOptions is a parsed SORT command line.
type sortOptions struct {
	desc, alpha, dontsort bool
	limitStart            int64
	limitCount            int64
	by                    []byte
	gets                  [][]byte
	store                 []byte
	storePos              int
}

// parseSortOptions reads SORT's options as Redis does: left to right, later
// ASC/DESC and LIMIT and STORE winning, an option without enough arguments
// a syntax error. It returns the error text on failure. SORT_RO (ro) has
// no STORE.
func parseSortOptions(args [][]byte, ro bool) (o sortOptions, errMsg string) {
	o.limitCount = -1
	for j := 2; j < len(args); j++ {
		left := len(args) - j - 1
		switch opt := args[j]; {
		case strEqFold(opt, "asc"):
			o.desc = false
		case strEqFold(opt, "desc"):
			o.desc = true
		case strEqFold(opt, "alpha"):
			o.alpha = true
		case strEqFold(opt, "limit") && left >= 2:
			start, ok1 := num.ParseInt(args[j+1])
			count, ok2 := num.ParseInt(args[j+2])
			if !ok1 || !ok2 {
				return o, ErrNotInt
			}
			o.limitStart, o.limitCount = start, count
			j += 2
		case !ro && strEqFold(opt, "store") && left >= 1:
			o.store = args[j+1]
			o.storePos = j + 1
			j++
		case strEqFold(opt, "by") && left >= 1:
			o.by = args[j+1]
			if bytes.IndexByte(cString(o.by), '*') < 0 {
				o.dontsort = true
			}
			j++
		case strEqFold(opt, "get") && left >= 1:
			o.gets = append(o.gets, args[j+1])
			j++
		default:
			return o, ErrSyntax
		}
	}
	return o, ""
}

// sortStoreKeyPos finds the STORE destination as Redis's key extraction
// for SORT does (for COMMAND GETKEYS and locking): skipping LIMIT's two
// arguments and GET's and BY's one, the last STORE followed by an argument.
func sortStoreKeyPos(args [][]byte) int {
	pos := 0
	for i := 2; i < len(args); i++ {
		switch a := args[i]; {
		case strEqFold(a, "limit"):
			i += 2
		case strEqFold(a, "get"), strEqFold(a, "by"):
			i++
		case strEqFold(a, "store") && i+1 < len(args):
			pos = i + 1
		}
	}
	return pos
}

// sortKeys is SORT's KeysFunc: the sorted key and the STORE destination.
func sortKeys(args [][]byte) []int {
	if len(args) < 2 {
		return nil
	}
	if p := sortStoreKeyPos(args); p > 0 {
		return []int{1, p}
	}
	return []int{1}
}

// sortRoKeys is SORT_RO's KeysFunc: the sorted key only.
func sortRoKeys(args [][]byte) []int {
	if len(args) < 2 {
		return nil
	}
	return []int{1}
}

// sortLockMode is SORT's LockFunc: BY or GET patterns read arbitrary keys
// of the database, so any BY or GET word locks all of it; so does a STORE
// destination that key extraction places elsewhere than the parser does
// (odd argument lists, which fail anyway).
func sortLockMode(args [][]byte) LockMode {
	if sortRoLockMode(args) == LockDB {
		return LockDB
	}
	if o, msg := parseSortOptions(args, false); msg == "" && o.storePos != sortStoreKeyPos(args) {
		return LockDB
	}
	return LockKeys
}

// sortStorePos returns the position of the key SORT stores into, as its
// parser finds it, or 0: for its snapshot capture.
func sortStorePos(args [][]byte) int {
	if o, msg := parseSortOptions(args, false); msg == "" {
		return o.storePos
	}
	return 0
}

// sortRoLockMode is SORT_RO's LockFunc.
func sortRoLockMode(args [][]byte) LockMode {
	for _, a := range args[min(2, len(args)):] {
		if strEqFold(a, "by") || strEqFold(a, "get") {
			return LockDB
		}
	}
	return LockKeys
}

// sortItem is one element being sorted.
type sortItem struct {
	elem   []byte
	score  float64
	cmp    []byte // the BY value under ALPHA
	hasCmp bool
}

func cmdSort(x *Ctx)   { sortGeneric(x, false) }
func cmdSortRo(x *Ctx) { sortGeneric(x, true) }

func sortGeneric(x *Ctx, ro bool) {
	o, msg := parseSortOptions(x.Args, ro)
	if msg != "" {
		x.Error(msg)
		return
	}
	e := x.Lookup(x.Args[1])
	var (
		list *types.List
		set  *types.Set
		zset *types.ZSet
	)
	if e != nil {
		switch v := e.Obj().(type) {
		case *types.List:
			list = v
		case *types.Set:
			set = v
		case *types.ZSet:
			zset = v
		}
		if list == nil && set == nil && zset == nil {
			x.Error(ErrWrongType)
			return
		}
	}
	if o.dontsort && set != nil && o.store != nil {
		// A set has no order of its own to keep: what is stored is sorted
		// so that it does not depend on the set's layout.
		o.dontsort, o.alpha, o.by = false, true, nil
	}
	if zset != nil && zset.IsCompact() {
		// Redis's SORT converts a compact sorted set to a skiplist for
		// good; OBJECT ENCODING shows it.
		zset = sortToSkiplist(e, zset)
	}

	vectorlen := 0
	switch {
	case list != nil:
		vectorlen = list.Len()
	case set != nil:
		vectorlen = set.Len()
	case zset != nil:
		vectorlen = zset.Len()
	}
	// LIMIT, clamped to the element count as Redis 7.0 does.
	start := int(min(max(o.limitStart, 0), int64(vectorlen)))
	count := int(min(max(o.limitCount, -1), int64(vectorlen)))
	end := vectorlen - 1
	if count >= 0 {
		end = start + count - 1
	}
	if start >= vectorlen {
		start, end = vectorlen-1, vectorlen-2
	}
	if end >= vectorlen {
		end = vectorlen - 1
	}
	// Without sorting, a list or sorted set loads just the range wanted.
	if (zset != nil || list != nil) && o.dontsort && (start != 0 || end != vectorlen-1) {
		vectorlen = end - start + 1
	}

	var buf []byte
	var ends []int
	load := func(m []byte) {
		buf = append(buf, m...)
		ends = append(ends, len(buf))
	}
	switch {
	case list != nil && o.dontsort:
		if end >= start {
			n := list.Len()
			from := start
			if o.desc {
				from = n - start - vectorlen
			}
			it := list.Iter(from, vectorlen)
			for v, ok := it.Next(); ok; v, ok = it.Next() {
				load(v)
			}
			end -= start
			start = 0
		}
	case list != nil:
		it := list.Iter(0, list.Len())
		for v, ok := it.Next(); ok; v, ok = it.Next() {
			load(v)
		}
	case set != nil:
		set.Members(func(m []byte) bool {
			load(m)
			return true
		})
	case zset != nil && o.dontsort:
		if vectorlen > 0 {
			zset.RangeByRank(start, start+vectorlen-1, o.desc, func(m []byte, _ float64) { load(m) })
		}
		end -= start
		start = 0
	case zset != nil:
		zset.Each(func(m []byte, _ float64) { load(m) })
	}
	items := make([]sortItem, len(ends))
	prev := 0
	for i, stop := range ends {
		items[i].elem = buf[prev:stop:stop]
		prev = stop
	}
	if list != nil && o.dontsort && o.desc {
		// The range was read forwards; DESC walks it from its end.
		slices.Reverse(items)
	}

	var keyBuf []byte
	if !o.dontsort {
		convErr := false
		for i := range items {
			it := &items[i]
			v := it.elem
			if o.by != nil {
				var found bool
				v, found = sortLookup(x, o.by, it.elem, &keyBuf)
				if !found {
					continue
				}
			}
			if o.alpha {
				if o.by != nil {
					it.cmp, it.hasCmp = v, true
				}
				continue
			}
			s, ok := sortScore(v)
			if !ok {
				convErr = true
			}
			it.score = s
		}
		if convErr {
			x.Error(errSortScore)
			return
		}
		slices.SortStableFunc(items, sortCompare(o))
	}

	outputlen := end - start + 1
	if len(o.gets) > 0 {
		outputlen *= len(o.gets)
	}
	if o.store == nil {
		x.W.WriteArrayLen(outputlen)
		for j := start; j <= end; j++ {
			if len(o.gets) == 0 {
				x.W.WriteBulk(items[j].elem)
			}
			for _, g := range o.gets {
				if v, ok := sortLookup(x, g, items[j].elem, &keyBuf); ok {
					x.W.WriteBulk(v)
				} else {
					x.W.WriteNull()
				}
			}
		}
		return
	}
	dst := types.NewList()
	fill := x.Limits().ListMaxListpackSize
	for j := start; j <= end; j++ {
		if len(o.gets) == 0 {
			dst.Push(items[j].elem, true, fill)
		}
		for _, g := range o.gets {
			v, _ := sortLookup(x, g, items[j].elem, &keyBuf)
			dst.Push(v, true, fill)
		}
	}
	if outputlen > 0 {
		strStampNew(x, x.DB.SetObject(o.store, dst))
		x.Modified(o.store)
		x.Dirty(int64(outputlen - 1))
		x.Notify(NotifyList, "sortstore", o.store)
	} else if x.DB.Delete(o.store) {
		x.Modified(o.store)
		x.Notify(NotifyGeneric, "del", o.store)
	}
	x.W.WriteInt(int64(outputlen))
}

// sortToSkiplist replaces a compact sorted set with a skiplist-encoded
// copy, keeping the key's TTL.
func sortToSkiplist(e *store.Entry, z *types.ZSet) *types.ZSet {
	entries := make([]types.ZEntry, 0, z.Len())
	z.Each(func(m []byte, s float64) { entries = append(entries, types.ZEntry{Member: string(m), Score: s}) })
	nz := types.NewZSetFromSorted(entries, types.ZLimits{}) // no limits: a skiplist
	e.ReplaceObject(nz)
	return nz
}

// sortCompare is Redis's sortCompare for the options in force.
func sortCompare(o sortOptions) func(a, b sortItem) int {
	byStore := o.store != nil
	return func(a, b sortItem) int {
		var c int
		switch {
		case !o.alpha:
			switch {
			case a.score > b.score:
				c = 1
			case a.score < b.score:
				c = -1
			default:
				c = bytes.Compare(a.elem, b.elem)
			}
		case o.by != nil:
			switch {
			case !a.hasCmp || !b.hasCmp:
				if a.hasCmp == b.hasCmp {
					c = 0
				} else if !a.hasCmp {
					c = -1
				} else {
					c = 1
				}
			case byStore:
				c = bytes.Compare(a.cmp, b.cmp)
			default:
				c = bytes.Compare(cString(a.cmp), cString(b.cmp))
			}
		case byStore:
			c = bytes.Compare(a.elem, b.elem)
		default:
			c = bytes.Compare(cString(a.elem), cString(b.elem))
		}
		if o.desc {
			return -c
		}
		return c
	}
}

// sortScore reads a sort weight as Redis does with strtod: the C string
// (up to a NUL) must be consumed whole after optional leading white space;
// the empty string is 0; NaN, overflow and underflow are refused.
func sortScore(b []byte) (float64, bool) {
	b = cString(b)
	if len(b) == 0 {
		return 0, true
	}
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] >= '\t' && b[i] <= '\r') {
		i++
	}
	v, ok := num.ParseFloat(b[i:])
	if !ok {
		return 0, false
	}
	if v != 0 && math.Abs(v) < 0x1p-1022 {
		return 0, false // a subnormal result: strtod reports ERANGE
	}
	return v, true
}

// sortLookup resolves a BY or GET pattern for elem: "#" is elem itself;
// otherwise elem replaces the pattern's first '*' to make a key, whose
// string value is the result, or with "->field" after the '*', that field
// of the hash at the key. A pattern without '*', a missing key or field,
// or a key of another type give nothing. keyBuf is scratch for the key.
func sortLookup(x *Ctx, pat, elem []byte, keyBuf *[]byte) ([]byte, bool) {
	if len(pat) > 0 && pat[0] == '#' && (len(pat) == 1 || pat[1] == 0) {
		return elem, true
	}
	cpat := cString(pat)
	star := bytes.IndexByte(cpat, '*')
	if star < 0 {
		return nil, false
	}
	var field []byte
	postEnd := len(pat)
	if f := bytes.Index(cpat[star+1:], []byte("->")); f >= 0 {
		at := star + 1 + f
		if at+2 < len(cpat) {
			field = pat[at+2:]
			postEnd = at
		}
	}
	k := append((*keyBuf)[:0], pat[:star]...)
	k = append(k, elem...)
	k = append(k, pat[star+1:postEnd]...)
	*keyBuf = k
	e := x.Lookup(k)
	if e == nil {
		return nil, false
	}
	if field == nil {
		if !e.IsString() {
			return nil, false
		}
		return e.Str(), true
	}
	h, ok := e.Obj().(*types.Hash)
	if !ok {
		return nil, false
	}
	v, ok, expired := h.Get(field, x.Now)
	if !ok || expired {
		return nil, false
	}
	return v, true
}

func init() {
	// COMMAND GETKEYSANDFLAGS: Redis's key extraction for SORT marks the
	// STORE destination OW and update; the key specs (the sorted key, and
	// an unknown spec for BY and GET) cannot say so.
	variableKeyFlags["sort"] = func(_ [][]byte, pos int) []string {
		if pos == 1 {
			return []string{"RO", "access"}
		}
		return []string{"OW", "update"}
	}
}
