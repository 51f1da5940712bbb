package scripting

import (
	"reflect"
	"slices"
	"unsafe"
	"weak"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/ast"
)

// Lua 5.1's next visits a table's array part, then its hash part in the
// order of the nodes, where each key sits at its hash's main position or,
// after a collision, in the last free node, and every time the nodes run
// out they double and the keys go in again. gopher-lua's next visits keys
// in the order they were first set. So pairs, and cjson.encode's objects,
// came out in another order than Redis's ({name=..., age=...} encoded as
// {"a":..,"name":..} in Redis). For a table whose hash part holds string
// keys only, after an array part without holes or none, luaKeyOrder places
// the keys as Lua 5.1's ltable.c would, given that they were set one by one
// in the order gopher-lua keeps, after the array's, into an empty table or,
// for a table constructor, into the room it makes for its keyed fields
// (sizedTable notes it); a key set to nil keeps its node, as in Lua, and
// its first place when set again. Not followed: integer keys set after
// string keys (Lua holds them in the hash part until the nodes grow), and
// keys added after a removal (Lua gives a removed key's node to a new key
// whose main position it is, and drops removed keys when the nodes grow):
// the first keep gopher-lua's order, the second are placed as though the
// removal came last.

// luaStringHash is Lua 5.1's hash of a string (lstring.c): seeded with
// its length, over at most 32 of its bytes, from the end.
func luaStringHash(s string) uint32 {
	h := uint32(len(s))
	step := len(s)>>5 + 1
	for l := len(s); l >= step; l -= step {
		h ^= (h << 5) + (h >> 2) + uint32(s[l-1])
	}
	return h
}

// luaNodes is the hash part of a Lua 5.1 table holding string keys: each
// node the index of its key in keys (-1 when free) and the next node of
// its collision chain (-1 for none).
type luaNodes struct {
	key, next []int32
	lastFree  int
	hashes    []uint32 // of the keys, by index
	live      []bool   // whether each key, by index, has a value
}

// reset empties t to size nodes (a power of two, or 0), in buf's memory.
func (t *luaNodes) reset(size int, buf []int32) []int32 {
	if cap(buf) < 2*size {
		buf = make([]int32, 2*size)
	}
	buf = buf[:2*size]
	for i := range buf {
		buf[i] = -1
	}
	t.key, t.next, t.lastFree = buf[:size], buf[size:], size
	return buf
}

func (t *luaNodes) mainPosition(k int32) int { return int(t.hashes[k] & uint32(len(t.key)-1)) }

func (t *luaNodes) freePos() int {
	for t.lastFree > 0 {
		t.lastFree--
		if t.key[t.lastFree] < 0 {
			return t.lastFree
		}
	}
	return -1
}

// insert adds key k, new to the table, as ltable.c's newkey does; it
// reports false when no node is free (the table must grow).
func (t *luaNodes) insert(k int32) bool {
	if len(t.key) == 0 {
		return false
	}
	mp := t.mainPosition(k)
	// A node whose key has no value is taken over, its link kept: Lua
	// looks at the value, not the key.
	if t.key[mp] >= 0 && t.live[t.key[mp]] {
		n := t.freePos()
		if n < 0 {
			return false
		}
		other := t.mainPosition(t.key[mp])
		if other != mp {
			// the colliding key is not in its main position: it moves
			for int(t.next[other]) != mp {
				other = int(t.next[other])
			}
			t.next[other] = int32(n)
			t.key[n], t.next[n] = t.key[mp], t.next[mp]
			t.key[mp], t.next[mp] = -1, -1
		} else {
			t.next[n] = t.next[mp]
			t.next[mp] = int32(n)
			mp = n
		}
	}
	t.key[mp] = k
	return true
}

// nodeCount is Lua's node count for room for n keys: the power of two
// not below n, 0 for none.
func nodeCount(n int) int {
	if n == 0 {
		return 0
	}
	size := 1
	for size < n {
		size <<= 1
	}
	return size
}

// maxNotedTables bounds the tables a run notes.
const maxNotedTables = 1 << 16

// tableNote is what a run noted of one table that gopher-lua's table does
// not keep: the room its constructor made for keyed fields, and the keys a
// script set to nil (deadKey).
type tableNote struct {
	room int
	dead []deadKey
}

// tableNotes are the run's notes, by table. The tables are held weakly: a
// script that drops one lets it go.
type tableNotes map[weak.Pointer[lua.LTable]]tableNote

func (n tableNotes) of(t *lua.LTable) tableNote {
	if len(n) == 0 {
		return tableNote{}
	}
	return n[weak.Make(t)]
}

// updateNote changes t's note with f, unless the run has noted as many tables
// as it may already.
func (st *state) updateNote(t *lua.LTable, f func(*tableNote)) {
	w := weak.Make(t)
	note, seen := st.notes[w]
	if !seen && len(st.notes) >= maxNotedTables {
		return
	}
	if st.notes == nil {
		st.notes = make(tableNotes)
	}
	f(&note)
	st.notes[w] = note
}

// sizedTable is a table constructor with keyed fields: it notes the
// number of those, Lua's room for them, and gives the table back.
func sizedTable(L *lua.LState) int {
	t := L.Get(1)
	if k, ok := L.Context().(*killCtx); ok {
		room := int(L.Get(2).(lua.LNumber))
		k.st.updateNote(t.(*lua.LTable), func(n *tableNote) { n.room = room })
	}
	L.Push(t)
	return 1
}

// keyedFields counts a constructor's keyed fields.
func keyedFields(e *ast.TableExpr) int {
	n := 0
	for _, f := range e.Fields {
		if f.Key != nil {
			n++
		}
	}
	return n
}

// A key set to nil where the table has none takes a node in Lua 5.1 too
// (luaH_set makes it before storing the value), which may make the nodes
// grow; dead from the start, it is neither counted nor kept when they next
// grow. gopher-lua keeps no trace of such a set, so where scripts make one
// (t.k = nil, cmsgpack.unpack of a map with a nil value) it is noted.

// deadKey is a string key a script set to nil, after its table's first at
// keys (hashKeysSet): where the table had none, or, removed, where it had
// one.
type deadKey struct {
	at      int
	key     lua.LString
	removed bool // the key had a value: it was removed then
}

// noteDeadKey notes key set to nil in t: a dead key if t has none and
// had none (a key removed keeps its node) and no __newindex takes the set,
// a removal if it has one.
func (st *state) noteDeadKey(t *lua.LTable, key lua.LString) {
	present := t.RawGetString(string(key)) != lua.LNil
	if !present && st.L.GetMetaField(t, "__newindex") != lua.LNil {
		return
	}
	set, known := hashKeysSet(t)
	if !known || !present && slices.Contains(set, lua.LValue(key)) {
		return
	}
	if !present && slices.ContainsFunc(st.notes.of(t).dead, func(d deadKey) bool { return d.key == key }) {
		return
	}
	st.updateNote(t, func(n *tableNote) {
		if present {
			// the last removal is the one that counts
			n.dead = slices.DeleteFunc(n.dead, func(d deadKey) bool { return d.removed && d.key == key })
		}
		n.dead = append(n.dead, deadKey{at: len(set), key: key, removed: present})
	})
}

// setDeadKey is the hidden call before t.k = nil (rewrite.go): it notes k
// for t (noteDeadKey), and gives nothing.
func setDeadKey(L *lua.LState) int {
	t, isTable := L.Get(1).(*lua.LTable)
	key, isString := L.Get(2).(lua.LString)
	if k, ok := L.Context().(*killCtx); ok && isTable && isString {
		k.st.noteDeadKey(t, key)
	}
	return 0
}

// orderScratch is memory luaKeyOrder reuses from one call to the next.
type orderScratch struct {
	keys      []lua.LValue
	hashes    []uint32
	live      []bool
	cur, next []int32
}

// luaKeyOrder returns the keys of t's hash part in the order Lua 5.1's
// next visits them (keys set to nil since included), after arrayLen keys
// 1, 2, ... of its array part. ok is false unless the array part has no
// hole and the hash part only string keys (placed as though set after the
// array's). note is what the run noted of t: the room its constructor made
// for keys, the keys set to nil; sc, if not nil, lends memory.
func luaKeyOrder(t *lua.LTable, note tableNote, sc *orderScratch) (arrayLen int, order []lua.LValue, ok bool) {
	// Every key ever set, removed ones too, in the order first set: a key
	// set to nil keeps its node in Lua until the nodes grow, so the keys
	// are placed as though any removal came after the last key was added.
	dead := note.dead
	all, known := hashKeysSet(t)
	if !known || len(all) < 2 {
		return 0, nil, false // with one key or none, gopher-lua's order is Lua's
	}
	arrayLen = t.MaxN()
	for i := 1; i <= arrayLen; i++ {
		if t.RawGetInt(i) == lua.LNil {
			return 0, nil, false
		}
	}
	if sc == nil {
		sc = &orderScratch{}
	}
	keys, hashes, live := sc.keys[:0], sc.hashes[:0], sc.live[:0]
	defer func() { sc.keys, sc.hashes, sc.live = keys[:0], hashes[:0], live[:0] }()
	d := 0 // notes taken so far
	type removal struct {
		step int   // the number of keys placed before it
		idx  int32 // the key's, in keys
	}
	var removals []removal
	takeNotes := func(upTo int) {
		for ; d < len(dead) && dead[d].at <= upTo; d++ {
			k := dead[d].key
			if dead[d].removed {
				// a key set again since keeps its node, as far as is known
				if t.RawGetString(string(k)) == lua.LNil {
					if j := slices.Index(keys, lua.LValue(k)); j >= 0 {
						removals = append(removals, removal{len(keys), int32(j)})
					}
				}
				continue
			}
			// set later, the key keeps the node it took: live from there
			keys = append(keys, k)
			hashes = append(hashes, luaStringHash(string(k)))
			live = append(live, upTo < len(all) && slices.Contains(all[upTo:], lua.LValue(k)))
		}
	}
	for i, k := range all {
		s, isStr := k.(lua.LString)
		if !isStr {
			return 0, nil, false
		}
		if d < len(dead) {
			takeNotes(i)
			if slices.ContainsFunc(dead[:d], func(n deadKey) bool { return !n.removed && n.key == s }) {
				continue // placed as a dead key's node, set again since
			}
		}
		keys = append(keys, k)
		hashes = append(hashes, luaStringHash(string(s)))
		live = append(live, true)
	}
	takeNotes(len(all))
	nodes := &luaNodes{hashes: hashes, live: live}
	cur := nodes.reset(nodeCount(note.room), sc.cur)
	spare := sc.next
	defer func() { sc.cur, sc.next = cur, spare }()
	liveSoFar, r := 0, 0
	for i := range keys {
		for ; r < len(removals) && removals[r].step <= i; r++ {
			if j := removals[r].idx; live[j] {
				live[j] = false
				liveSoFar--
			}
		}
		for !nodes.insert(int32(i)) {
			// rehash: room for the live keys so far and this one (the
			// array's keys stay in the array), then the old live nodes go
			// in again from the last
			old := nodes.key
			spare, cur = cur, nodes.reset(nodeCount(liveSoFar+1), spare)
			for j := len(old) - 1; j >= 0; j-- {
				if old[j] >= 0 && live[old[j]] {
					nodes.insert(old[j])
				}
			}
		}
		if live[i] {
			liveSoFar++
		}
	}
	order = make([]lua.LValue, 0, len(keys))
	for _, k := range nodes.key {
		if k >= 0 {
			order = append(order, keys[k]) // removed ones too: callers skip nil values
		}
	}
	return arrayLen, order, true
}

// hashKeysSet returns the keys ever set in t's hash part, in the order
// first set: gopher-lua's LTable keeps them, unexported, in its field
// keys (removed keys stay). Its offset is found once by reflection;
// known is false if gopher-lua's layout has no such field (an upgrade:
// TestTablesOfStringKeysGoInLuasOrder then fails).
func hashKeysSet(t *lua.LTable) (keys []lua.LValue, known bool) {
	if tableKeysOffset == ^uintptr(0) {
		return nil, false
	}
	return *(*[]lua.LValue)(unsafe.Add(unsafe.Pointer(t), tableKeysOffset)), true
}

// tableKeysOffset is the offset of LTable's keys, all ones if there is
// none of the expected type.
var tableKeysOffset = func() uintptr {
	f, ok := reflect.TypeFor[lua.LTable]().FieldByName("keys")
	if !ok || f.Type != reflect.TypeFor[[]lua.LValue]() {
		return ^uintptr(0)
	}
	return f.Offset
}()

// tableOrder is a traversal of a table in Lua's order: keys 1 to
// arrayLen, then keys. It stays right while no key is added to the hash
// part (gopher-lua's keys field then keeps setKeys keys; a key set to nil
// keeps its place) and the array part keeps its length.
type tableOrder struct {
	arrayLen, setKeys int
	deadKeys          int // dead keys noted when it was worked out
	keys              []lua.LValue
	pos               map[lua.LValue]int
	gopher            bool // luaKeyOrder does not place t: gopher-lua's next serves it
}

// current reports whether o is still t's order, deadKeys the dead keys
// now noted of t.
func (o *tableOrder) current(t *lua.LTable, deadKeys int) bool {
	set, known := hashKeysSet(t)
	return known && len(set) == o.setKeys && t.MaxN() == o.arrayLen && deadKeys == o.deadKeys
}

// tableOrders keeps the orders of the tables traversed last, a few: a
// traversal's steps find theirs, and the tables it holds stay bounded.
type tableOrders struct {
	tables [8]*lua.LTable
	orders [8]*tableOrder
	next   int // the entry to replace next
}

func (c *tableOrders) get(t *lua.LTable) *tableOrder {
	for i, u := range c.tables {
		if u == t {
			return c.orders[i]
		}
	}
	return nil
}

func (c *tableOrders) put(t *lua.LTable, o *tableOrder) {
	for i, u := range c.tables {
		if u == t {
			c.orders[i] = o
			return
		}
	}
	c.tables[c.next], c.orders[c.next] = t, o
	c.next = (c.next + 1) % len(c.tables)
}

// orderedNext is Lua 5.1's next(t, k) for the tables luaKeyOrder places;
// ok is false for other tables. The order is worked out when a traversal
// starts, unless the one kept in st.orders is still current: so a loop of
// next(t) costs no more than it does in Lua.
func (st *state) orderedNext(t *lua.LTable, k lua.LValue) (key, value lua.LValue, ok bool) {
	o := st.orders.get(t)
	note := st.notes.of(t)
	if o == nil || k == lua.LNil && !o.current(t, len(note.dead)) {
		// A table luaKeyOrder does not place is noted too, so that the
		// steps of its traversal do not look at it again each.
		n, keys, placed := luaKeyOrder(t, note, &st.scratch)
		set, _ := hashKeysSet(t)
		o = &tableOrder{arrayLen: t.MaxN(), setKeys: len(set), deadKeys: len(note.dead), gopher: !placed}
		if placed {
			o.arrayLen, o.keys, o.pos = n, keys, make(map[lua.LValue]int, len(keys))
			for i, key := range keys {
				o.pos[key] = i
			}
		}
		st.orders.put(t, o)
	}
	if o.gopher {
		return nil, nil, false
	}
	ai, hi := 1, 0 // the next array index and hash key to look at
	switch k := k.(type) {
	case *lua.LNilType:
	case lua.LNumber:
		n := int(k)
		if float64(n) != float64(k) || n < 1 || n > o.arrayLen {
			return nil, nil, false
		}
		ai = n + 1
	default:
		p, found := o.pos[k]
		if !found {
			return nil, nil, false
		}
		ai, hi = o.arrayLen+1, p+1
	}
	for ; ai <= o.arrayLen; ai++ {
		if v := t.RawGetInt(ai); v != lua.LNil {
			return lua.LNumber(ai), v, true
		}
	}
	for ; hi < len(o.keys); hi++ {
		if v := t.RawGet(o.keys[hi]); v != lua.LNil {
			return o.keys[hi], v, true
		}
	}
	return lua.LNil, lua.LNil, true
}

// eachPair calls f for each key and value of t in the order Lua's next
// visits them (as far as luaKeyOrder follows it), in the run of L.
func eachPair(L *lua.LState, t *lua.LTable, f func(k, v lua.LValue)) {
	note, sc := tableNote{}, (*orderScratch)(nil)
	if k, ok := L.Context().(*killCtx); ok {
		note, sc = k.st.notes.of(t), &k.st.scratch
	}
	if n, keys, ok := luaKeyOrder(t, note, sc); ok {
		for i := 1; i <= n; i++ {
			f(lua.LNumber(i), t.RawGetInt(i))
		}
		for _, k := range keys {
			if v := t.RawGet(k); v != lua.LNil {
				f(k, v)
			}
		}
		return
	}
	for k, v := t.Next(lua.LNil); k != lua.LNil; k, v = t.Next(k) {
		f(k, v)
	}
}
