package server

import (
	"bytes"
	"slices"
	"strconv"
	"strings"

	"petrel/internal/geohash"
	"petrel/internal/num"
	"petrel/types"
)

// Geo commands. A geo set is a sorted set whose scores are 52-bit
// geohashes (internal/geohash computes them, and every coordinate and
// distance, exactly as Redis does). Replies, errors, the order in which
// arguments are checked and the order of unsorted search results follow
// Redis 7.0.15's geo.c as observed on the real server.

const (
	errGeoUnit       = "ERR unsupported unit provided. please use M, KM, FT, MI"
	errGeoMember     = "ERR could not decode requested zset member"
	errGeoRadius     = "ERR need numeric radius"
	errGeoRadiusNeg  = "ERR radius cannot be negative"
	errGeoWidth      = "ERR need numeric width"
	errGeoHeight     = "ERR need numeric height"
	errGeoBoxNeg     = "ERR height or width cannot be negative"
	errGeoCount      = "ERR COUNT must be > 0"
	errGeoAny        = "ERR the ANY argument requires COUNT argument"
	errGeoStoreWith  = "ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options"
	errGeoSStoreWith = "ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options"
)

// geoParseLonLat reads a longitude and a latitude, refusing positions a
// geo set cannot hold.
func geoParseLonLat(x *Ctx, lonArg, latArg []byte) (lon, lat float64, ok bool) {
	if lon, ok = num.ParseFloat(lonArg); !ok {
		x.Error(ErrNotFloat)
		return 0, 0, false
	}
	if lat, ok = num.ParseFloat(latArg); !ok {
		x.Error(ErrNotFloat)
		return 0, 0, false
	}
	if !geohash.ValidLonLat(lon, lat) {
		b := append([]byte("ERR invalid longitude,latitude pair "), geohash.AppendCFloat(nil, lon)...)
		b = append(b, ',')
		x.Error(string(geohash.AppendCFloat(b, lat)))
		return 0, 0, false
	}
	return lon, lat, true
}

// geoParseUnit returns the size of a unit in meters.
func geoParseUnit(x *Ctx, u []byte) (float64, bool) {
	switch {
	case strEqFold(u, "m"):
		return 1, true
	case strEqFold(u, "km"):
		return 1000, true
	case strEqFold(u, "ft"):
		return 0.3048, true
	case strEqFold(u, "mi"):
		return 1609.34, true
	}
	x.Error(errGeoUnit)
	return 0, false
}

// geoParseRadius reads "<radius> <unit>".
func geoParseRadius(x *Ctx, args [][]byte, sh *geohash.Shape) bool {
	r, ok := num.ParseFloat(args[0])
	if !ok {
		x.Error(errGeoRadius)
		return false
	}
	if r < 0 {
		x.Error(errGeoRadiusNeg)
		return false
	}
	conv, ok := geoParseUnit(x, args[1])
	if !ok {
		return false
	}
	sh.Box, sh.Radius, sh.Conversion = false, r, conv
	return true
}

// geoParseBox reads "<width> <height> <unit>".
func geoParseBox(x *Ctx, args [][]byte, sh *geohash.Shape) bool {
	w, ok := num.ParseFloat(args[0])
	if !ok {
		x.Error(errGeoWidth)
		return false
	}
	h, ok := num.ParseFloat(args[1])
	if !ok {
		x.Error(errGeoHeight)
		return false
	}
	if h < 0 || w < 0 {
		x.Error(errGeoBoxNeg)
		return false
	}
	conv, ok := geoParseUnit(x, args[2])
	if !ok {
		return false
	}
	sh.Box, sh.Width, sh.Height, sh.Conversion = true, w, h, conv
	return true
}

// geoMemberPos returns the position of member, as the center of its cell.
func geoMemberPos(z *types.ZSet, member []byte) (lon, lat float64, ok bool) {
	s, ok := z.Score(member)
	if !ok {
		return 0, 0, false
	}
	lon, lat = geohash.Decode(s)
	return lon, lat, true
}

// geoWriteCoord writes a coordinate: a bulk string in RESP2, a double in
// RESP3, with Redis's seventeen-decimal digits either way.
func geoWriteCoord(x *Ctx, v float64) {
	var tmp [48]byte
	if x.W.Proto >= 3 {
		b := append(tmp[:0], ',')
		b = geohash.AppendCoord(b, v)
		x.W.WriteRaw(append(b, '\r', '\n'))
		return
	}
	x.W.WriteBulk(geohash.AppendCoord(tmp[:0], v))
}

func geoWriteDistance(x *Ctx, d float64) {
	var tmp [32]byte
	x.W.WriteBulk(geohash.AppendDistance(tmp[:0], d))
}

// ---- GEOADD ----

// cmdGeoadd turns the positions into scores and runs ZADD, as Redis does,
// so the reply, the encoding changes and the "zadd" event are ZADD's.
func cmdGeoadd(x *Ctx) {
	args := x.Args
	i := 2
	nx, xx := false, false
opts:
	for ; i < len(args); i++ {
		switch {
		case strEqFold(args[i], "nx"):
			nx = true
		case strEqFold(args[i], "xx"):
			xx = true
		case strEqFold(args[i], "ch"):
		default:
			break opts
		}
	}
	if (len(args)-i)%3 != 0 || (nx && xx) {
		x.Error(ErrSyntax)
		return
	}
	n := (len(args) - i) / 3
	zargs := make([][]byte, 0, i+2*n)
	zargs = append(zargs, argZaddLower)
	zargs = append(zargs, args[1:i]...)
	scores := make([]byte, 0, 17*n)
	for j := i; j < len(args); j += 3 {
		lon, lat, ok := geoParseLonLat(x, args[j], args[j+1])
		if !ok {
			return
		}
		start := len(scores)
		scores = strconv.AppendUint(scores, geohash.Encode(lon, lat), 10)
		zargs = append(zargs, scores[start:len(scores):len(scores)], args[j+2])
	}
	x.Args = zargs
	cmdZadd(x)
	x.Args = args
	// Logged as the ZADD it became (lower-case, as Redis writes it).
	x.PropagateAs(zargs...)
}

// ---- GEODIST, GEOHASH, GEOPOS ----

func cmdGeodist(x *Ctx) {
	toMeters := 1.0
	switch {
	case len(x.Args) == 5:
		var ok bool
		if toMeters, ok = geoParseUnit(x, x.Args[4]); !ok {
			return
		}
	case len(x.Args) > 5:
		x.Error(ErrSyntax)
		return
	}
	z, ok := zLookup(x, x.Args[1], false)
	if !ok {
		return
	}
	if z == nil {
		x.W.WriteNull()
		return
	}
	lon1, lat1, ok1 := geoMemberPos(z, x.Args[2])
	lon2, lat2, ok2 := geoMemberPos(z, x.Args[3])
	if !ok1 || !ok2 {
		x.W.WriteNull()
		return
	}
	geoWriteDistance(x, geohash.Distance(lon1, lat1, lon2, lat2)/toMeters)
}

func cmdGeohash(x *Ctx) {
	z, ok := zLookup(x, x.Args[1], false)
	if !ok {
		return
	}
	members := x.Args[2:]
	x.W.WriteArrayLen(len(members))
	for _, m := range members {
		var s float64
		found := false
		if z != nil {
			s, found = z.Score(m)
		}
		if !found {
			x.W.WriteNull()
			continue
		}
		h := geohash.String(s)
		x.W.WriteBulk(h[:])
	}
}

func cmdGeopos(x *Ctx) {
	z, ok := zLookup(x, x.Args[1], false)
	if !ok {
		return
	}
	members := x.Args[2:]
	x.W.WriteArrayLen(len(members))
	for _, m := range members {
		var lon, lat float64
		found := false
		if z != nil {
			lon, lat, found = geoMemberPos(z, m)
		}
		if !found {
			x.W.WriteNullArray()
			continue
		}
		x.W.WriteArrayLen(2)
		geoWriteCoord(x, lon)
		geoWriteCoord(x, lat)
	}
}

// ---- GEOSEARCH, GEOSEARCHSTORE, GEORADIUS, GEORADIUSBYMEMBER ----

// geoCmd says which search command runs.
type geoCmd uint8

const (
	geoRadius         geoCmd = 1 << iota // GEORADIUS[_RO]: center and radius are arguments
	geoRadiusByMember                    // GEORADIUSBYMEMBER[_RO]: the center is a member
	geoSearch                            // GEOSEARCH[STORE]: FROM... and BY... options
	geoStoreDst                          // GEOSEARCHSTORE: the destination is argument 1
	geoNoStore                           // the _RO forms: no STORE option
)

func cmdGeosearch(x *Ctx)           { geoSearchCommand(x, geoSearch) }
func cmdGeosearchstore(x *Ctx)      { geoSearchCommand(x, geoSearch|geoStoreDst) }
func cmdGeoradius(x *Ctx)           { geoSearchCommand(x, geoRadius) }
func cmdGeoradiusRo(x *Ctx)         { geoSearchCommand(x, geoRadius|geoNoStore) }
func cmdGeoradiusbymember(x *Ctx)   { geoSearchCommand(x, geoRadiusByMember) }
func cmdGeoradiusbymemberRo(x *Ctx) { geoSearchCommand(x, geoRadiusByMember|geoNoStore) }

// geoBaseArgs is the position of the first option.
func geoBaseArgs(cmd geoCmd) int {
	switch {
	case cmd&geoRadius != 0:
		return 6
	case cmd&geoRadiusByMember != 0:
		return 5
	case cmd&geoStoreDst != 0:
		return 3
	}
	return 2
}

// geoSort is the order of search results.
type geoSort uint8

const (
	geoUnsorted geoSort = iota
	geoAsc
	geoDesc
)

// geoPoint is a search result. member points into the searched set,
// which the command's lock keeps unchanged until the reply is written.
type geoPoint struct {
	member []byte
	score  float64
	dist   float64 // meters until the reply converts it to the unit
}

// geoSearchCommand runs every search command. The checks come in Redis's
// order: the source's type; the center and shape of GEORADIUS and
// GEORADIUSBYMEMBER (not when the source is missing: then the member's
// radius is never read); the options left to right (FROMMEMBER looks the
// member up at once); then STORE against WITH*, the missing FROM and BY
// options, ANY without COUNT; only then does a missing source answer.
func geoSearchCommand(x *Ctx, cmd geoCmd) {
	args := x.Args
	srcIdx := 1
	var storeKey []byte
	if cmd&geoStoreDst != 0 {
		srcIdx = 2
		storeKey = args[1]
	}
	z, ok := zLookup(x, args[srcIdx], false)
	if !ok {
		return
	}
	var sh geohash.Shape
	base := geoBaseArgs(cmd)
	switch {
	case cmd&geoRadius != 0:
		if sh.Lon, sh.Lat, ok = geoParseLonLat(x, args[2], args[3]); !ok {
			return
		}
		if !geoParseRadius(x, args[4:6], &sh) {
			return
		}
	case cmd&geoRadiusByMember != 0 && z != nil:
		if sh.Lon, sh.Lat, ok = geoMemberPos(z, args[2]); !ok {
			x.Error(errGeoMember)
			return
		}
		if !geoParseRadius(x, args[3:5], &sh) {
			return
		}
	}

	var withDist, withHash, withCoord, anyOpt, storeDist bool
	var fromMember, fromLonLat, byRadius, byBox bool
	order := geoUnsorted
	count := int64(0)
	search := cmd&geoSearch != 0
	for i := base; i < len(args); i++ {
		a := args[i]
		left := len(args) - i - 1
		switch {
		case strEqFold(a, "withdist"):
			withDist = true
		case strEqFold(a, "withhash"):
			withHash = true
		case strEqFold(a, "withcoord"):
			withCoord = true
		case strEqFold(a, "any"):
			anyOpt = true
		case strEqFold(a, "asc"):
			order = geoAsc
		case strEqFold(a, "desc"):
			order = geoDesc
		case strEqFold(a, "count") && left >= 1:
			n, ok := num.ParseInt(args[i+1])
			if !ok {
				x.Error(ErrNotInt)
				return
			}
			if n <= 0 {
				x.Error(errGeoCount)
				return
			}
			count = n
			i++
		case (strEqFold(a, "store") || strEqFold(a, "storedist")) && left >= 1 && cmd&(geoNoStore|geoSearch) == 0:
			storeKey = args[i+1]
			storeDist = strEqFold(a, "storedist")
			i++
		case strEqFold(a, "storedist") && cmd&geoStoreDst != 0:
			storeDist = true
		case strEqFold(a, "frommember") && left >= 1 && search && !fromLonLat:
			if z != nil {
				if sh.Lon, sh.Lat, ok = geoMemberPos(z, args[i+1]); !ok {
					x.Error(errGeoMember)
					return
				}
			}
			fromMember = true
			i++
		case strEqFold(a, "fromlonlat") && left >= 2 && search && !fromMember:
			if sh.Lon, sh.Lat, ok = geoParseLonLat(x, args[i+1], args[i+2]); !ok {
				return
			}
			fromLonLat = true
			i += 2
		case strEqFold(a, "byradius") && left >= 2 && search && !byBox:
			if !geoParseRadius(x, args[i+1:i+3], &sh) {
				return
			}
			byRadius = true
			i += 2
		case strEqFold(a, "bybox") && left >= 3 && search && !byRadius:
			if !geoParseBox(x, args[i+1:i+4], &sh) {
				return
			}
			byBox = true
			i += 3
		default:
			x.Error(ErrSyntax)
			return
		}
	}
	switch {
	case storeKey != nil && (withDist || withHash || withCoord):
		if cmd&geoStoreDst != 0 {
			x.Error(errGeoSStoreWith)
		} else {
			x.Error(errGeoStoreWith)
		}
		return
	case search && !fromMember && !fromLonLat:
		x.Errorf("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for %s", args[0])
		return
	case search && !byRadius && !byBox:
		x.Errorf("ERR exactly one of BYRADIUS and BYBOX can be specified for %s", args[0])
		return
	case anyOpt && count == 0:
		x.Error(errGeoAny)
		return
	}

	if z == nil {
		if storeKey != nil {
			geoStoreResult(x, storeKey, nil, false, 1, cmd)
			return
		}
		x.W.WriteArrayLen(0)
		return
	}
	// COUNT keeps the nearest results, so it sorts unless ANY asks for the
	// first ones found.
	if count != 0 && order == geoUnsorted && !anyOpt {
		order = geoAsc
	}
	limit := 0
	if anyOpt {
		limit = int(min(count, int64(z.Len())))
	}
	// The distance is computed only for what uses it: computing it exactly
	// costs more than deciding membership.
	needDist := withDist || storeDist || order != geoUnsorted
	found := geoMembersWithin(z, &sh, limit, needDist)
	if len(found) == 0 && storeKey == nil {
		x.W.WriteArrayLen(0)
		return
	}
	n := len(found)
	if count != 0 && count < int64(n) {
		n = int(count)
	}
	if order != geoUnsorted {
		geoSortPoints(found, n, order == geoDesc)
	}
	found = found[:n]
	if storeKey != nil {
		geoStoreResult(x, storeKey, found, storeDist, sh.Conversion, cmd)
		return
	}

	opts := 0
	for _, on := range [...]bool{withDist, withHash, withCoord} {
		if on {
			opts++
		}
	}
	x.W.WriteArrayLen(n)
	for i := range found {
		p := &found[i]
		if opts > 0 {
			x.W.WriteArrayLen(opts + 1)
		}
		x.W.WriteBulk(p.member)
		if withDist {
			geoWriteDistance(x, p.dist/sh.Conversion)
		}
		if withHash {
			x.W.WriteInt(int64(p.score))
		}
		if withCoord {
			lon, lat := geohash.Decode(p.score)
			x.W.WriteArrayLen(2)
			geoWriteCoord(x, lon)
			geoWriteCoord(x, lat)
		}
	}
}

// geoMembersWithin scans the cells of the shape in Redis's order, each by
// ascending score, and returns the members within the shape in the order
// found, with their distances if needDist; with a limit (ANY) it stops
// once it has that many.
func geoMembersWithin(z *types.ZSet, sh *geohash.Shape, limit int, needDist bool) []geoPoint {
	var cellBuf [9]geohash.Cell
	var found []geoPoint
	for _, c := range sh.Cells(cellBuf[:0]) {
		if limit > 0 && len(found) >= limit {
			break
		}
		r := types.ScoreRange{Min: c.Min, Max: c.Max, MaxEx: true}
		z.RangeBy(types.ByScore(&r), false, 0, -1, func(m []byte, s float64) {
			if limit > 0 && len(found) >= limit {
				return
			}
			lon, lat := geohash.Decode(s)
			if !needDist {
				if sh.Within(lon, lat) {
					found = append(found, geoPoint{member: m, score: s})
				}
				return
			}
			if d, ok := sh.Contains(lon, lat); ok {
				found = append(found, geoPoint{member: m, score: s, dist: d})
			}
		})
	}
	return found
}

// geoStoreResult stores the results at key as a sorted set scored by
// geohash, or by distance in the query's unit with STOREDIST, and replies
// with their number; no results delete key. The event is Redis's.
func geoStoreResult(x *Ctx, key []byte, found []geoPoint, byDist bool, conv float64, cmd geoCmd) {
	if len(found) == 0 {
		if x.DB.Delete(key) {
			x.Modified(key)
			x.Notify(NotifyGeneric, "del", key)
		}
		x.W.WriteInt(0)
		return
	}
	entries := make([]types.ZEntry, len(found))
	for i := range found {
		p := &found[i]
		s := p.score
		if byDist {
			s = p.dist / conv
		}
		entries[i] = types.ZEntry{Member: string(p.member), Score: s}
	}
	slices.SortFunc(entries, func(a, b types.ZEntry) int {
		switch {
		case a.Score < b.Score:
			return -1
		case a.Score > b.Score:
			return 1
		}
		return strings.Compare(a.Member, b.Member)
	})
	// A member is found once: the cells scanned never overlap.
	entries = slices.CompactFunc(entries, func(a, b types.ZEntry) bool { return a.Member == b.Member })
	zStore(x, key, types.NewZSetFromSorted(entries, zLimits(x)))
	x.Modified(key)
	if len(found) > 1 {
		x.Dirty(int64(len(found) - 1))
	}
	event := "georadiusstore"
	if cmd&geoSearch != 0 {
		event = "geosearchstore"
	}
	x.Notify(NotifyZset, event, key)
	x.W.WriteInt(int64(len(found)))
}

// geoSortPoints puts the first n points in order of distance (descending
// if desc), as Redis does: when all of them are wanted, with glibc's qsort,
// a stable merge sort; when COUNT keeps fewer, with its partial quicksort,
// whose handling of equal distances decides which members make the cut and
// in which order, so it is followed step for step (geoPartialSort).
func geoSortPoints(p []geoPoint, n int, desc bool) {
	cmp := func(a, b *geoPoint) int {
		c := -1
		if a.dist > b.dist {
			c = 1
		} else if a.dist == b.dist {
			c = 0
		}
		if desc {
			c = -c
		}
		return c
	}
	if n == len(p) {
		slices.SortStableFunc(p, func(a, b geoPoint) int { return cmp(&a, &b) })
		return
	}
	ps := geoPartialSorter{p: p, k: n, cmp: cmp}
	ps.sort(0, len(p))
}

// geoPartialSorter is the partial quicksort of Redis 7.0's pqsort:
// Bentley and McIlroy's "Engineering a Sort Function" (median of three, or
// the ninther beyond 40 elements; equal elements gathered at both ends,
// then swapped to the middle; insertion sort below 7 elements), skipping
// the partitions that lie wholly past the first k elements. (The switch to
// insertion sort after a pass without swaps, in later versions, is not in
// 7.0: with it, equal elements come out in another order.)
type geoPartialSorter struct {
	p   []geoPoint
	k   int
	cmp func(a, b *geoPoint) int
}

func (s *geoPartialSorter) less(i, j int) int { return s.cmp(&s.p[i], &s.p[j]) }
func (s *geoPartialSorter) swap(i, j int)     { s.p[i], s.p[j] = s.p[j], s.p[i] }

func (s *geoPartialSorter) swapRange(i, j, n int) {
	for t := 0; t < n; t++ {
		s.swap(i+t, j+t)
	}
}

func (s *geoPartialSorter) med3(a, b, c int) int {
	if s.less(a, b) < 0 {
		switch {
		case s.less(b, c) < 0:
			return b
		case s.less(a, c) < 0:
			return c
		}
		return a
	}
	switch {
	case s.less(b, c) > 0:
		return b
	case s.less(a, c) < 0:
		return a
	}
	return c
}

func (s *geoPartialSorter) insertion(lo, n int) {
	for i := lo + 1; i < lo+n; i++ {
		for j := i; j > lo && s.less(j-1, j) > 0; j-- {
			s.swap(j, j-1)
		}
	}
}

// sort orders p[lo:lo+n] as far as the first k elements need.
func (s *geoPartialSorter) sort(lo, n int) {
	for {
		if n < 7 {
			s.insertion(lo, n)
			return
		}
		m := lo + n/2
		if n > 7 {
			l, r := lo, lo+n-1
			if n > 40 {
				d := n / 8
				l = s.med3(l, l+d, l+2*d)
				m = s.med3(m-d, m, m+d)
				r = s.med3(r-2*d, r-d, r)
			}
			m = s.med3(l, m, r)
		}
		s.swap(lo, m)
		pa, pb := lo+1, lo+1
		pc, pd := lo+n-1, lo+n-1
		for {
			for pb <= pc {
				c := s.less(pb, lo)
				if c > 0 {
					break
				}
				if c == 0 {
					s.swap(pa, pb)
					pa++
				}
				pb++
			}
			for pb <= pc {
				c := s.less(pc, lo)
				if c < 0 {
					break
				}
				if c == 0 {
					s.swap(pc, pd)
					pd--
				}
				pc--
			}
			if pb > pc {
				break
			}
			s.swap(pb, pc)
			pb++
			pc--
		}
		end := lo + n
		r := min(pa-lo, pb-pa)
		s.swapRange(lo, pb-r, r)
		r = min(pd-pc, end-pd-1)
		s.swapRange(pb, end-r, r)
		if r = pb - pa; r > 1 && lo < s.k {
			s.sort(lo, r)
		}
		if r = pd - pc; r > 1 {
			lo, n = end-r, r
			if lo < s.k {
				continue
			}
		}
		return
	}
}

// ---- key positions of GEORADIUS and GEORADIUSBYMEMBER ----

// geoRadiusKeys returns the key positions of GEORADIUS (options from 6)
// or GEORADIUSBYMEMBER (from 5) as Redis's key specs find them: the
// source, then the word after the first STORE and the word after the first
// STOREDIST found from the options on (a keyword in the last argument
// names nothing).
func geoRadiusKeys(base int) func(args [][]byte) []int {
	return func(args [][]byte) []int {
		keys := []int{1}
		for _, kw := range [...]string{"store", "storedist"} {
			for i := base; i < len(args)-1; i++ {
				if strEqFold(args[i], kw) {
					keys = append(keys, i+1)
					break
				}
			}
		}
		return keys
	}
}

// geoRadiusStorePos returns the position of the key GEORADIUS (options
// from base) stores into, as its parser finds it, or -1.
func geoRadiusStorePos(args [][]byte, base int) int {
	dst := -1
	for i := base; i < len(args)-1; i++ {
		switch {
		case strEqFold(args[i], "store") || strEqFold(args[i], "storedist"):
			dst = i + 1
			i++
		case strEqFold(args[i], "count"):
			i++
		}
	}
	return dst
}

// geoRadiusStore returns the position of the key GEORADIUS (options from
// base) stores into, or 0, for its snapshot capture.
func geoRadiusStore(base int) func(args [][]byte) int {
	return func(args [][]byte) int { return max(geoRadiusStorePos(args, base), 0) }
}

// geoRadiusLock locks the keys named by geoRadiusKeys, unless the
// destination the command would write (the last STORE or STOREDIST
// option, which "STORE a STORE b" makes differ from the first) is not
// among them: then the whole database, a rare case.
func geoRadiusLock(base int) func(args [][]byte) LockMode {
	keysOf := geoRadiusKeys(base)
	return func(args [][]byte) LockMode {
		dst := geoRadiusStorePos(args, base)
		if dst < 0 {
			return LockKeys
		}
		for _, p := range keysOf(args) {
			if bytes.Equal(args[p], args[dst]) {
				return LockKeys
			}
		}
		return LockDB
	}
}
