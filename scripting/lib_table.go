package scripting

import (
	"strconv"

	lua "github.com/yuin/gopher-lua"
)

// tableSort is Lua 5.1's table.sort. gopher-lua sorts with Go's sort
// package, which puts equal elements in another order than Lua's
// quicksort, so a script sorting records by a field with ties returned
// them in another order than Redis; and it sorted anything a comparator
// said, where Lua raises "invalid order function for sorting" or hands the
// comparator the nil beyond the array's end. This is the algorithm Lua 5.1
// uses (median of three, pivot parked next to the end, the smaller part
// sorted first), so the comparator sees the same calls in the same order.
func tableSort(L *lua.LState, readonly bool) int {
	t := checkTable(L, 1)
	s := luaSorter{L: L, t: t, readonly: readonly}
	if f := L.Get(2); f != lua.LNil {
		fn, ok := f.(*lua.LFunction)
		if !ok {
			typeError(L, 2, "function")
		}
		s.fn = fn
	}
	s.sort(1, t.Len())
	return 0
}

// luaSorter sorts t's elements in place, reading and writing them raw as
// Lua does, by fn or else by Lua's < operator.
type luaSorter struct {
	L        *lua.LState
	t        *lua.LTable
	fn       *lua.LFunction
	readonly bool // t may not change: the first swap raises the error
}

func (s *luaSorter) get(i int) lua.LValue { return s.t.RawGet(lua.LNumber(i)) }

func (s *luaSorter) swap(i, j int) {
	if s.readonly {
		roError(s.L)
	}
	vi, vj := s.get(i), s.get(j)
	s.t.RawSetInt(i, vj)
	s.t.RawSetInt(j, vi)
}

func (s *luaSorter) less(a, b lua.LValue) bool {
	if s.fn == nil {
		return lessThanC(s.L, a, b)
	}
	s.L.Push(s.fn)
	s.L.Push(a)
	s.L.Push(b)
	s.L.Call(2, 1)
	r := s.L.Get(-1)
	s.L.Pop(1)
	return lua.LVAsBool(r)
}

func (s *luaSorter) badOrder() { libRaise(s.L, "invalid order function for sorting") }

// sort orders t[lo..hi]. It recurses into the smaller part and loops on
// the larger, so its depth stays logarithmic whatever the comparator does.
func (s *luaSorter) sort(lo, hi int) {
	for lo < hi {
		// Order the first, middle and last elements; the middle one is
		// the pivot.
		if s.less(s.get(hi), s.get(lo)) {
			s.swap(lo, hi)
		}
		if hi-lo == 1 {
			return
		}
		mid := (lo + hi) / 2
		if s.less(s.get(mid), s.get(lo)) {
			s.swap(mid, lo)
		} else if s.less(s.get(hi), s.get(mid)) {
			s.swap(mid, hi)
		}
		if hi-lo == 2 {
			return
		}
		pivot := s.get(mid)
		s.swap(mid, hi-1)
		// t[lo] <= pivot == t[hi-1] <= t[hi]: partition t[lo+1..hi-2].
		i, j := lo, hi-1
		for {
			for i++; s.less(s.get(i), pivot); i++ {
				if i > hi {
					s.badOrder()
				}
			}
			for j--; s.less(pivot, s.get(j)); j-- {
				if j < lo {
					s.badOrder()
				}
			}
			if j < i {
				break
			}
			s.swap(i, j)
		}
		s.swap(hi-1, i)
		if i-lo < hi-i {
			s.sort(lo, i-1)
			lo = i + 1
		} else {
			s.sort(i+1, hi)
			hi = i - 1
		}
	}
}

// lessThanC is Lua's < as a C function such as table.sort meets it: its
// errors carry no position, where gopher-lua's name the calling line.
func lessThanC(L *lua.LState, a, b lua.LValue) bool {
	switch x := a.(type) {
	case lua.LNumber:
		if y, ok := b.(lua.LNumber); ok {
			return x < y
		}
	case lua.LString:
		if y, ok := b.(lua.LString); ok {
			return x < y
		}
	}
	if a.Type() == b.Type() {
		// Lua calls __lt only when both operands share the handler.
		if lt := L.GetMetaField(a, "__lt"); lt != lua.LNil && L.RawEqual(lt, L.GetMetaField(b, "__lt")) {
			return L.LessThan(a, b)
		}
	}
	ta, tb := a.Type().String(), b.Type().String()
	if ta == tb {
		L.Error(lua.LString("attempt to compare two "+ta+" values"), 0)
	}
	L.Error(lua.LString("attempt to compare "+ta+" with "+tb), 0)
	return false
}

// tableConcat is Lua 5.1's table.concat(t [, sep [, i [, j]]]): strings
// and numbers (as "%.14g") only, anything else an error naming its index,
// raised with the caller's position as luaL_error does. target gives the
// table a read-only proxy stands for.
func tableConcat(L *lua.LState, target func(*lua.LTable) *lua.LTable) int {
	sep := ""
	if L.Get(2) != lua.LNil {
		sep = checkLString(L, 2)
	}
	t := checkTable(L, 1)
	t = target(t)
	i := int64(int32(optInteger(L, 3, 1))) // C ints, as luaL_optint reads them
	var last int64
	if L.Get(4) == lua.LNil {
		last = int64(t.Len())
	} else {
		last = int64(checkInt(L, 4))
	}
	var b []byte
	for ; i <= last; i++ {
		switch v := t.RawGet(lua.LNumber(i)).(type) {
		case lua.LString:
			b = append(b, v...)
		case lua.LNumber:
			b = appendNumberG(b, float64(v), 14)
		default:
			libRaise(L, "invalid value ("+v.Type().String()+") at index "+strconv.FormatInt(i, 10)+" in table for 'concat'")
		}
		if i < last {
			b = append(b, sep...)
		}
	}
	L.Push(lua.LString(b))
	return 1
}

// tableInsert is Lua 5.1's table.insert(t, [pos,] v): pos is a C int, a
// position past the end grows the range moved, and elements move up one
// by one from the end, as Lua moves them (so a position below 1 shifts
// the array too). gopher-lua's ignored positions outside the array.
func tableInsert(L *lua.LState, readonly bool) int {
	t := checkTable(L, 1)
	e := int64(t.Len()) + 1
	var pos int64
	switch L.GetTop() {
	case 2:
		pos = e
	case 3:
		pos = int64(checkInt(L, 2))
		e = max(e, pos)
		if readonly && e > pos {
			roError(L)
		}
		for i := e; i > pos; i-- {
			t.RawSet(lua.LNumber(i), t.RawGet(lua.LNumber(i-1)))
			if (e-i)&0xffff == 0xffff {
				checkKilled(L) // a position far below 1 moves for a long time
			}
		}
	default:
		libRaise(L, "wrong number of arguments to 'insert'")
	}
	if readonly {
		roError(L)
	}
	t.RawSet(lua.LNumber(pos), L.Get(-1))
	return 0
}

// tableRemove is Lua 5.1's table.remove(t [, pos]): pos defaults to the
// last element; a position outside 1..#t removes nothing and returns
// nothing.
func tableRemove(L *lua.LState, readonly bool) int {
	t := checkTable(L, 1)
	e := int64(t.Len())
	pos := e
	if L.Get(2) != lua.LNil {
		pos = int64(checkInt(L, 2))
	}
	if pos < 1 || pos > e {
		return 0
	}
	if readonly {
		roError(L)
	}
	L.Push(t.RawGet(lua.LNumber(pos)))
	for ; pos < e; pos++ {
		t.RawSet(lua.LNumber(pos), t.RawGet(lua.LNumber(pos+1)))
	}
	t.RawSet(lua.LNumber(e), lua.LNil)
	return 1
}

// tableSetn is Lua 5.1's table.setn, which only checks its table before
// saying it is obsolete.
func tableSetn(L *lua.LState) int {
	checkTable(L, 1)
	libRaise(L, "'setn' is obsolete")
	return 0
}

// tableMaxn is Lua 5.1's table.maxn: the largest positive number among
// t's keys, fractions included, 0 if none. gopher-lua's looked at integer
// keys only.
func tableMaxn(L *lua.LState, target func(*lua.LTable) *lua.LTable) int {
	t := checkTable(L, 1)
	largest := lua.LNumber(0)
	target(t).ForEach(func(k, _ lua.LValue) {
		if n, ok := k.(lua.LNumber); ok && n > largest {
			largest = n
		}
	})
	L.Push(largest)
	return 1
}

// checkKilled raises SCRIPT KILL's error in a long loop of a library
// function, which the interpreter's own check between instructions does
// not reach.
func checkKilled(L *lua.LState) {
	ctx := L.Context()
	if k, ok := ctx.(*killCtx); ok {
		k.check() // long work in Go lists its run and turns busy as Lua's does
	}
	if ctx != nil && ctx.Err() != nil {
		L.RaiseError("%s", ctx.Err().Error())
	}
}
