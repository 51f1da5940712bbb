package server

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"petrel/config"
)

// The replyCase tables at the end of this file were recorded from Redis
// 7.0.15, each on a fresh server with the default zset-max-listpack-*
// settings.

// geoAnyHello marks a HELLO step, whose reply carries a connection id.
const geoAnyHello = "<hello>"

// geoRun runs a recorded table on one connection of a fresh server.
func geoRun(t *testing.T, cases []replyCase, mutate ...func(*config.Config)) {
	t.Helper()
	s := startTestServer(t, mutate...)
	c := dialRaw(t, s)
	for _, tc := range cases {
		got := c.Do(tc.cmd...)
		if tc.want == geoAnyHello {
			if !strings.HasPrefix(got, "%") {
				t.Fatalf("HELLO 3: %q", got)
			}
			continue
		}
		if got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.cmd, got, tc.want)
		}
	}
}

func TestGeoaddOptionsScoresAndErrors(t *testing.T)         { geoRun(t, geoAddCases) }
func TestGeoposGeohashGeodistPrintRedisDigits(t *testing.T) { geoRun(t, geoPosCases) }
func TestGeoRepliesInResp3(t *testing.T)                    { geoRun(t, geoResp3Cases) }
func TestGeosearchOrderOptionsAndErrors(t *testing.T)       { geoRun(t, geoSearchCases) }
func TestGeoradiusFamilyStoreAndErrors(t *testing.T)        { geoRun(t, geoRadiusCases) }
func TestGeosearchstoreStoresReplacesAndDeletes(t *testing.T) {
	geoRun(t, geoStoreCases)
}

// TestGeoCountSortsEqualDistancesAsRedis pins the order of members at the
// same distance: a stable sort when every result is returned, Redis 7.0's
// partial quicksort when COUNT keeps fewer.
func TestGeoCountSortsEqualDistancesAsRedis(t *testing.T) { geoRun(t, geoTieCases) }

// Searches scan the same cells in the same order whatever the encoding:
// replay the tables that do not show it with every set a skiplist.
func TestGeoSkiplistEncodingAnswersAlike(t *testing.T) {
	for _, table := range [][]replyCase{geoPosCases, geoResp3Cases, geoSearchCases, geoRadiusCases, geoTieCases} {
		geoRun(t, table, func(c *config.Config) { c.ZsetMaxListpackEntries = 0 })
	}
}

// TestGeoradiusKeysFollowKeySpecs checks the key positions (as Redis's key
// specs find them, for COMMAND GETKEYS) and that the destination actually
// written, the last STORE option, is always covered by the locks.
func TestGeoradiusKeysFollowKeySpecs(t *testing.T) {
	tests := []struct {
		line string
		base int
		keys []int
		lock LockMode
	}{
		{"GEORADIUS k 1 2 3 m", 6, []int{1}, LockKeys},
		{"GEORADIUS k 1 2 3 m STORE d", 6, []int{1, 7}, LockKeys},
		{"GEORADIUS k 1 2 3 m store d STOREDIST e", 6, []int{1, 7, 9}, LockKeys},
		{"GEORADIUS k 1 2 3 m STOREDIST store d", 6, []int{1, 8, 7}, LockKeys},
		{"GEORADIUS k 1 2 3 m COUNT 3 STORE d", 6, []int{1, 9}, LockKeys},
		{"GEORADIUS k 1 2 3 m STORE", 6, []int{1}, LockKeys},
		{"GEORADIUS k 1 2 STORE m STORE", 6, []int{1}, LockKeys},
		{"GEORADIUS k 1 2 3 m STORE d STORE e", 6, []int{1, 7}, LockDB},
		{"GEORADIUS k 1 2 3 m STORE d STORE d", 6, []int{1, 7}, LockKeys},
		{"GEORADIUS k 1 2 3 m COUNT STORE STORE d", 6, []int{1, 8}, LockDB}, // COUNT takes "STORE"
		{"GEORADIUSBYMEMBER k m 3 km STORE d", 5, []int{1, 6}, LockKeys},
		{"GEORADIUSBYMEMBER k store 3 km store d", 5, []int{1, 6}, LockKeys},
		{"GEORADIUSBYMEMBER k m store d", 5, []int{1}, LockKeys},
	}
	for _, tc := range tests {
		var args [][]byte
		for _, f := range strings.Fields(tc.line) {
			args = append(args, []byte(f))
		}
		if got := geoRadiusKeys(tc.base)(args); !slices.Equal(got, tc.keys) {
			t.Errorf("%s: keys %v, want %v", tc.line, got, tc.keys)
		}
		if got := geoRadiusLock(tc.base)(args); got != tc.lock {
			t.Errorf("%s: lock mode %v, want %v", tc.line, got, tc.lock)
		}
	}
}

// TestGeoStoresUnderConcurrentWriters runs stores (one naming a second
// destination, which locks the whole database) against concurrent writers
// of their sources and destinations; run with -race it checks that every
// key a store touches is locked.
func TestGeoStoresUnderConcurrentWriters(t *testing.T) {
	s := startTestServer(t)
	cmds := [][]string{
		{"GEOADD", "src", "13.36", "38.11", "a", "15.08", "37.50", "b", "13.58", "37.31", "c"},
		{"GEOSEARCHSTORE", "d1", "src", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "STOREDIST"},
		{"GEORADIUS", "src", "15", "37", "200", "km", "STORE", "d1", "STORE", "d2"},
		{"GEORADIUSBYMEMBER", "src", "a", "300", "km", "STORE", "d2"},
		{"GEOADD", "d2", "1", "1", "x"},
		{"ZREM", "src", "a", "b", "c"},
		{"GEOSEARCH", "d1", "FROMLONLAT", "15", "37", "BYRADIUS", "500", "km", "ASC"},
	}
	done := make(chan struct{})
	for w := 0; w < 4; w++ {
		go func(w int) {
			defer func() { done <- struct{}{} }()
			c := dialRaw(t, s)
			for i := 0; i < 150; i++ {
				cmd := cmds[(i*7+w)%len(cmds)]
				if got := c.Do(cmd...); strings.HasPrefix(got, "-") && !strings.HasPrefix(got, "-WRONGTYPE") &&
					!strings.HasPrefix(got, "-ERR could not decode") {
					t.Errorf("%q: %q", cmd, got)
					return
				}
			}
		}(w)
	}
	for w := 0; w < 4; w++ {
		<-done
	}
}

// TestGeoKeyspaceEventsFollowRedis pins the events Redis 7.0.15 raises:
// GEOADD's are ZADD's, the stores raise geosearchstore or georadiusstore,
// an empty result deletes the destination with del, reads raise nothing.
func TestGeoKeyspaceEventsFollowRedis(t *testing.T) {
	s := startTestServer(t)
	n := newNotifyClient(t, s)
	tests := []struct {
		cmd  string
		want []string
	}{
		{"GEOADD g 10 10 a 11 11 b", []string{"zadd g"}},
		{"GEOADD g 10 10 a", nil},
		{"GEOADD g XX 10 10 c", nil},
		{"GEOADD g CH 10 10.5 a", []string{"zadd g"}},
		{"GEOADD g NX 10 10.7 a", nil},
		{"GEOADD g 200 0 x", nil},
		{"GEOSEARCHSTORE d g FROMLONLAT 10 10 BYRADIUS 500 km", []string{"geosearchstore d"}},
		{"GEORADIUS g 10 10 500 km STORE d", []string{"georadiusstore d"}},
		{"GEORADIUS g 10 10 500 km STOREDIST d", []string{"georadiusstore d"}},
		{"GEORADIUSBYMEMBER g a 500 km STORE d", []string{"georadiusstore d"}},
		{"GEOSEARCHSTORE d g FROMLONLAT 50 50 BYRADIUS 1 km", []string{"del d"}},
		{"GEOSEARCHSTORE d g FROMLONLAT 50 50 BYRADIUS 1 km", nil},
		{"SET d x", []string{"set d"}},
		{"GEORADIUS nokey 10 10 5 km STORE d", []string{"del d"}},
		{"GEOSEARCH g FROMMEMBER a BYRADIUS 500 km", nil},
		{"GEORADIUSBYMEMBER g a 500 km WITHDIST", nil},
		{"GEOPOS g a", nil},
	}
	for _, tc := range tests {
		if got := n.events(strings.Fields(tc.cmd)...); !slices.Equal(got, tc.want) {
			t.Errorf("%s: events %q, want %q", tc.cmd, got, tc.want)
		}
	}
}

// TestGeoPartialSortAgreesWithFullSort checks the partial quicksort on
// random distances, many of them equal: its first k points are the k
// smallest, in order, and nothing is lost or duplicated.
func TestGeoPartialSortAgreesWithFullSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 2000; round++ {
		n := 1 + rng.IntN(120)
		pts := make([]geoPoint, n)
		for i := range pts {
			pts[i] = geoPoint{member: []byte{byte(i), byte(i >> 8)}, dist: float64(rng.IntN(1 + n/3))}
		}
		k := 1 + rng.IntN(n)
		desc := rng.IntN(2) == 0
		want := slices.Clone(pts)
		geoSortPoints(want, n, desc)
		got := slices.Clone(pts)
		geoSortPoints(got, k, desc)
		for i := 0; i < k; i++ {
			if got[i].dist != want[i].dist {
				t.Fatalf("n=%d k=%d desc=%v: position %d has distance %v, want %v", n, k, desc, i, got[i].dist, want[i].dist)
			}
		}
		seen := map[string]bool{}
		for _, p := range got {
			seen[string(p.member)] = true
		}
		if len(seen) != n {
			t.Fatalf("n=%d k=%d: %d distinct points after sorting", n, k, len(seen))
		}
	}
}

var geoAddCases = []replyCase{
	{[]string{"GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"}, ":2\r\n"},
	{[]string{"GEOADD", "Sicily", "13.361389", "38.115556", "Palermo"}, ":0\r\n"},
	{[]string{"GEOADD", "Sicily", "CH", "13.4", "38.1", "Palermo", "1", "1", "new"}, ":2\r\n"},
	{[]string{"GEOADD", "Sicily", "NX", "1", "2", "Palermo", "3", "4", "other"}, ":1\r\n"},
	{[]string{"GEOADD", "Sicily", "XX", "CH", "5", "6", "Palermo", "7", "8", "never"}, ":1\r\n"},
	{[]string{"GEOADD", "Sicily", "ch", "nx", "9", "9", "y"}, ":1\r\n"},
	{[]string{"ZRANGE", "Sicily", "0", "-1", "WITHSCORES"}, "*10\r\n$3\r\nnew\r\n$16\r\n3377822707026402\r\n$5\r\nother\r\n$16\r\n3379626039612548\r\n$7\r\nPalermo\r\n$16\r\n3382888239524122\r\n$1\r\ny\r\n$16\r\n3386042809045974\r\n$7\r\nCatania\r\n$16\r\n3479447370796909\r\n"},
	{[]string{"GEOADD", "nokey", "XX", "1", "1", "a"}, ":0\r\n"},
	{[]string{"EXISTS", "nokey"}, ":0\r\n"},
	{[]string{"TYPE", "Sicily"}, "+zset\r\n"},
	{[]string{"OBJECT", "ENCODING", "Sicily"}, "$8\r\nlistpack\r\n"},
	{[]string{"GEOADD", "Sicily", "NX", "XX", "1", "2", "a"}, "-ERR syntax error\r\n"},
	{[]string{"GEOADD", "Sicily", "GT", "1", "2", "a"}, "-ERR syntax error\r\n"},
	{[]string{"GEOADD", "Sicily", "GT", "1", "2"}, "-ERR value is not a valid float\r\n"},
	{[]string{"GEOADD", "Sicily", "CH", "CH", "CH"}, "-ERR syntax error\r\n"},
	{[]string{"GEOADD", "Sicily", "1", "2", "a", "3"}, "-ERR syntax error\r\n"},
	{[]string{"GEOADD", "Sicily", "abc", "2", "a"}, "-ERR value is not a valid float\r\n"},
	{[]string{"GEOADD", "Sicily", "1", "nan", "a"}, "-ERR value is not a valid float\r\n"},
	{[]string{"GEOADD", "Sicily", "200", "10", "a"}, "-ERR invalid longitude,latitude pair 200.000000,10.000000\r\n"},
	{[]string{"GEOADD", "Sicily", "10", "86", "a"}, "-ERR invalid longitude,latitude pair 10.000000,86.000000\r\n"},
	{[]string{"GEOADD", "Sicily", "180.0000001", "0", "a"}, "-ERR invalid longitude,latitude pair 180.000000,0.000000\r\n"},
	{[]string{"GEOADD", "Sicily", "0", "-85.05112879", "a"}, "-ERR invalid longitude,latitude pair 0.000000,-85.051129\r\n"},
	{[]string{"GEOADD", "Sicily", "inf", "0", "a"}, "-ERR invalid longitude,latitude pair inf,0.000000\r\n"},
	{[]string{"GEOADD", "Sicily", "1e300", "0", "a"}, "-ERR invalid longitude,latitude pair 1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160.000000,0.000000\r\n"},
	{[]string{"GEOADD", "Sicily", "1", "2", "ok", "200", "0", "bad"}, "-ERR invalid longitude,latitude pair 200.000000,0.000000\r\n"},
	{[]string{"ZSCORE", "Sicily", "ok"}, "$-1\r\n"},
	{[]string{"GEOADD", "edge", "180", "85.05112878", "a", "-180", "-85.05112878", "b", "180", "0", "c", "0", "85.05112878", "d", "-0", "-0", "z", "0x10", "1e1", "hex"}, ":6\r\n"},
	{[]string{"ZRANGE", "edge", "0", "-1", "WITHSCORES"}, "*12\r\n$1\r\nb\r\n$1\r\n0\r\n$1\r\nz\r\n$16\r\n3377699720527872\r\n$3\r\nhex\r\n$16\r\n3393034985994133\r\n$1\r\nd\r\n$16\r\n6755399441055744\r\n$1\r\nc\r\n$17\r\n10133099161583616\r\n$1\r\na\r\n$17\r\n13510798882111488\r\n"},
	{[]string{"SET", "s", "v"}, "+OK\r\n"},
	{[]string{"GEOADD", "s", "1", "2", "a"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{[]string{"GEOADD", "s", "200", "2", "a"}, "-ERR invalid longitude,latitude pair 200.000000,2.000000\r\n"},
	{[]string{"GEOADD", "s", "NX", "XX", "1", "2", "a"}, "-ERR syntax error\r\n"},
}
var geoPosCases = []replyCase{
	{[]string{"GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"}, ":2\r\n"},
	{[]string{"GEOADD", "w", "179.99999", "1", "east", "-180", "0.5", "west", "0", "85.05112878", "top", "-90", "-85.05112878", "bottom", "0.0001", "0.0001", "o1", "-0.0001", "-0.0001", "o2"}, ":6\r\n"},
	{[]string{"GEOPOS", "Sicily", "Palermo", "Catania", "nosuch"}, "*3\r\n*2\r\n$20\r\n13.36138933897018433\r\n$20\r\n38.11555639549629859\r\n*2\r\n$20\r\n15.08726745843887329\r\n$20\r\n37.50266842333162032\r\n*-1\r\n"},
	{[]string{"GEOPOS", "nokey", "a", "b"}, "*2\r\n*-1\r\n*-1\r\n"},
	{[]string{"GEOHASH", "Sicily", "Palermo", "Catania", "nosuch"}, "*3\r\n$11\r\nsqc8b49rny0\r\n$11\r\nsqdtr74hyu0\r\n$-1\r\n"},
	{[]string{"GEOHASH", "nokey", "a", "b"}, "*2\r\n$-1\r\n$-1\r\n"},
	{[]string{"GEOPOS", "w", "east", "west", "top", "bottom", "o1", "o2"}, "*6\r\n*2\r\n$21\r\n179.99999195337295532\r\n$19\r\n0.99999945914297683\r\n*2\r\n$22\r\n-179.99999731779098511\r\n$19\r\n0.50000036325177888\r\n*2\r\n$19\r\n0.00000268220901489\r\n$19\r\n85.0511287799999991\r\n*2\r\n$21\r\n-89.99999731779098511\r\n$21\r\n-85.05112751263942528\r\n*2\r\n$19\r\n0.00009924173355103\r\n$19\r\n0.00010012148579364\r\n*2\r\n$20\r\n-0.00009924173355103\r\n$20\r\n-0.00010012148579364\r\n"},
	{[]string{"GEOHASH", "w", "east", "west", "top", "bottom", "o1", "o2"}, "*6\r\n$11\r\nxbpvxypcrv0\r\n$11\r\n8004b5008n0\r\n$11\r\nup05b5048p0\r\n$11\r\n40bh0hbj200\r\n$11\r\ns0000000d60\r\n$11\r\n7zzzzzzzmt0\r\n"},
	{[]string{"GEODIST", "Sicily", "Palermo", "Catania"}, "$11\r\n166274.1516\r\n"},
	{[]string{"GEODIST", "Sicily", "Palermo", "Catania", "KM"}, "$8\r\n166.2742\r\n"},
	{[]string{"GEODIST", "Sicily", "Palermo", "Catania", "ft"}, "$11\r\n545518.8700\r\n"},
	{[]string{"GEODIST", "Sicily", "Palermo", "Catania", "mi"}, "$8\r\n103.3182\r\n"},
	{[]string{"GEODIST", "Sicily", "Palermo", "Palermo"}, "$6\r\n0.0000\r\n"},
	{[]string{"GEODIST", "Sicily", "Palermo", "nosuch"}, "$-1\r\n"},
	{[]string{"GEODIST", "nokey", "a", "b"}, "$-1\r\n"},
	{[]string{"GEODIST", "Sicily", "Palermo", "Catania", "yd"}, "-ERR unsupported unit provided. please use M, KM, FT, MI\r\n"},
	{[]string{"GEODIST", "Sicily", "Palermo", "Catania", "km", "extra"}, "-ERR syntax error\r\n"},
	{[]string{"GEODIST", "nokey", "a", "b", "yd"}, "-ERR unsupported unit provided. please use M, KM, FT, MI\r\n"},
	{[]string{"GEODIST", "w", "east", "west"}, "$10\r\n55613.0495\r\n"},
	{[]string{"GEODIST", "w", "top", "bottom", "km"}, "$10\r\n19242.7722\r\n"},
	{[]string{"GEODIST", "w", "o1", "o2"}, "$7\r\n31.3597\r\n"},
	{[]string{"ZADD", "odd", "-1", "a", "1e19", "b", "1e20", "c", "inf", "d", "-inf", "e", "1.5", "f", "-0.5", "g", "9007199254740993", "h"}, ":8\r\n"},
	{[]string{"GEOPOS", "odd", "a", "b", "c", "d", "e", "f", "g", "h"}, "*8\r\n*2\r\n$3\r\n180\r\n$19\r\n85.0511287799999991\r\n*2\r\n$3\r\n180\r\n$19\r\n85.0511287799999991\r\n*2\r\n$22\r\n-179.99999731779098511\r\n$21\r\n-85.05112751263942528\r\n*2\r\n$22\r\n-179.99999731779098511\r\n$21\r\n-85.05112751263942528\r\n*2\r\n$3\r\n180\r\n$21\r\n-85.05112751263942528\r\n*2\r\n$22\r\n-179.99999731779098511\r\n$21\r\n-85.05112497791824921\r\n*2\r\n$22\r\n-179.99999731779098511\r\n$21\r\n-85.05112751263942528\r\n*2\r\n$3\r\n180\r\n$21\r\n-85.05112751263942528\r\n"},
	{[]string{"GEOHASH", "odd", "a", "b", "c", "d", "e", "f", "g", "h"}, "*8\r\n$11\r\nbp05b5048p0\r\n$11\r\nbp05b5048p0\r\n$11\r\n00bh0hbj200\r\n$11\r\n00bh0hbj200\r\n$11\r\n00bh0hbj200\r\n$11\r\n00bh0hbj210\r\n$11\r\n00bh0hbj200\r\n$11\r\n00bh0hbj200\r\n"},
	{[]string{"GEODIST", "odd", "a", "c"}, "$13\r\n18919844.5891\r\n"},
	{[]string{"SET", "s", "v"}, "+OK\r\n"},
	{[]string{"GEOPOS", "s", "a"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{[]string{"GEOHASH", "s", "a"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{[]string{"GEODIST", "s", "a", "b"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{[]string{"GEODIST", "s", "a", "b", "yd"}, "-ERR unsupported unit provided. please use M, KM, FT, MI\r\n"},
}
var geoResp3Cases = []replyCase{
	{[]string{"HELLO", "3"}, geoAnyHello},
	{[]string{"GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"}, ":2\r\n"},
	{[]string{"GEOPOS", "Sicily", "Palermo", "nosuch"}, "*2\r\n*2\r\n,13.36138933897018433\r\n,38.11555639549629859\r\n_\r\n"},
	{[]string{"GEOPOS", "nokey", "a"}, "*1\r\n_\r\n"},
	{[]string{"GEOHASH", "Sicily", "Palermo", "nosuch"}, "*2\r\n$11\r\nsqc8b49rny0\r\n_\r\n"},
	{[]string{"GEOHASH", "nokey", "a"}, "*1\r\n_\r\n"},
	{[]string{"GEODIST", "Sicily", "Palermo", "Catania"}, "$11\r\n166274.1516\r\n"},
	{[]string{"GEODIST", "Sicily", "Palermo", "nosuch"}, "_\r\n"},
	{[]string{"GEODIST", "nokey", "a", "b"}, "_\r\n"},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "WITHDIST", "WITHHASH", "WITHCOORD"}, "*2\r\n*4\r\n$7\r\nPalermo\r\n$8\r\n190.4424\r\n:3479099956230698\r\n*2\r\n,13.36138933897018433\r\n,38.11555639549629859\r\n*4\r\n$7\r\nCatania\r\n$7\r\n56.4413\r\n:3479447370796909\r\n*2\r\n,15.08726745843887329\r\n,37.50266842333162032\r\n"},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "km", "WITHCOORD"}, "*0\r\n"},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHCOORD", "COUNT", "1"}, "*1\r\n*2\r\n$7\r\nCatania\r\n*2\r\n,15.08726745843887329\r\n,37.50266842333162032\r\n"},
}
var geoSearchCases = []replyCase{
	{[]string{"GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania", "13.583333", "37.316667", "Agrigento"}, ":3\r\n"},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km"}, "*3\r\n$9\r\nAgrigento\r\n$7\r\nPalermo\r\n$7\r\nCatania\r\n"},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "ASC"}, "*3\r\n$7\r\nCatania\r\n$9\r\nAgrigento\r\n$7\r\nPalermo\r\n"},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "DESC"}, "*3\r\n$7\r\nPalermo\r\n$9\r\nAgrigento\r\n$7\r\nCatania\r\n"},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT", "1"}, "*1\r\n$7\r\nCatania\r\n"},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT", "2", "DESC"}, "*2\r\n$7\r\nPalermo\r\n$9\r\nAgrigento\r\n"},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT", "1", "ANY"}, "*1\r\n$9\r\nAgrigento\r\n"},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT", "5", "ANY", "DESC"}, "*3\r\n$7\r\nPalermo\r\n$9\r\nAgrigento\r\n$7\r\nCatania\r\n"},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "withcoord", "withdist"}, "*3\r\n*3\r\n$9\r\nAgrigento\r\n$8\r\n130.4235\r\n*2\r\n$19\r\n13.5833314061164856\r\n$20\r\n37.31666804993816555\r\n*3\r\n$7\r\nPalermo\r\n$8\r\n190.4424\r\n*2\r\n$20\r\n13.36138933897018433\r\n$20\r\n38.11555639549629859\r\n*3\r\n$7\r\nCatania\r\n$7\r\n56.4413\r\n*2\r\n$20\r\n15.08726745843887329\r\n$20\r\n37.50266842333162032\r\n"},
	{[]string{"GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "BYBOX", "400", "400", "km", "ASC", "WITHHASH"}, "*3\r\n*2\r\n$7\r\nPalermo\r\n:3479099956230698\r\n*2\r\n$9\r\nAgrigento\r\n:3479030013248308\r\n*2\r\n$7\r\nCatania\r\n:3479447370796909\r\n"},
	{[]string{"GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "BYBOX", "0", "0", "km"}, "*1\r\n$7\r\nPalermo\r\n"},
	{[]string{"GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "100", "mi", "WITHDIST"}, "*2\r\n*2\r\n$9\r\nAgrigento\r\n$7\r\n56.5311\r\n*2\r\n$7\r\nPalermo\r\n$6\r\n0.0000\r\n"},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "200000", "100", "m"}, "*0\r\n"},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "inf", "km"}, "*3\r\n$9\r\nAgrigento\r\n$7\r\nPalermo\r\n$7\r\nCatania\r\n"},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT", "9223372036854775807", "ANY"}, "*3\r\n$9\r\nAgrigento\r\n$7\r\nPalermo\r\n$7\r\nCatania\r\n"},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "1", "2", "BYRADIUS", "1", "km", "WITHDIST"}, "*0\r\n"},
	{[]string{"GEOSEARCH", "nokey", "FROMMEMBER", "nosuch", "BYRADIUS", "1", "km"}, "*0\r\n"},
	{[]string{"GEOSEARCH", "Sicily", "FROMMEMBER", "nosuch", "BYRADIUS", "1", "km"}, "-ERR could not decode requested zset member\r\n"},
	{[]string{"GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "10", "km", "COUNT", "0"}, "-ERR COUNT must be > 0\r\n"},
	{[]string{"GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "10", "km", "COUNT", "x"}, "-ERR value is not an integer or out of range\r\n"},
	{[]string{"GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "10", "km", "ANY"}, "-ERR the ANY argument requires COUNT argument\r\n"},
	{[]string{"GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "10", "km", "COUNT"}, "-ERR syntax error\r\n"},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "1", "2", "FROMMEMBER", "Palermo", "BYRADIUS", "1", "km"}, "-ERR syntax error\r\n"},
	{[]string{"GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "BYBOX", "1", "1", "km", "BYRADIUS", "1", "km"}, "-ERR syntax error\r\n"},
	{[]string{"GeoSearch", "Sicily", "BYRADIUS", "1", "km", "WITHDIST", "WITHHASH"}, "-ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for GeoSearch\r\n"},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "1", "2", "WITHDIST", "WITHDIST"}, "-ERR exactly one of BYRADIUS and BYBOX can be specified for GEOSEARCH\r\n"},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "1", "2", "BYRADIUS", "x", "km"}, "-ERR need numeric radius\r\n"},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "1", "2", "BYRADIUS", "-1", "km"}, "-ERR radius cannot be negative\r\n"},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "1", "2", "BYRADIUS", "1", "yd"}, "-ERR unsupported unit provided. please use M, KM, FT, MI\r\n"},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "1", "2", "BYBOX", "x", "1", "km"}, "-ERR need numeric width\r\n"},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "1", "2", "BYBOX", "1", "x", "km"}, "-ERR need numeric height\r\n"},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "1", "2", "BYBOX", "-1", "1", "km"}, "-ERR height or width cannot be negative\r\n"},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "200", "2", "BYRADIUS", "1", "km"}, "-ERR invalid longitude,latitude pair 200.000000,2.000000\r\n"},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "1", "2", "BYRADIUS", "1", "km", "STORE", "x"}, "-ERR syntax error\r\n"},
	{[]string{"GEOSEARCH", "Sicily", "FROMLONLAT", "1", "2", "BYRADIUS", "1", "km", "STOREDIST"}, "-ERR syntax error\r\n"},
	{[]string{"SET", "s", "v"}, "+OK\r\n"},
	{[]string{"GEOSEARCH", "s", "FROMLONLAT", "1", "2", "BYRADIUS", "x", "km"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{[]string{"GEOADD", "grid", "9.850000", "9.850000", "p-3_-3", "9.850000", "9.900000", "p-3_-2", "9.850000", "9.950000", "p-3_-1", "9.850000", "10.000000", "p-3_0", "9.850000", "10.050000", "p-3_1", "9.850000", "10.100000", "p-3_2", "9.850000", "10.150000", "p-3_3", "9.900000", "9.850000", "p-2_-3", "9.900000", "9.900000", "p-2_-2", "9.900000", "9.950000", "p-2_-1", "9.900000", "10.000000", "p-2_0", "9.900000", "10.050000", "p-2_1", "9.900000", "10.100000", "p-2_2", "9.900000", "10.150000", "p-2_3", "9.950000", "9.850000", "p-1_-3", "9.950000", "9.900000", "p-1_-2", "9.950000", "9.950000", "p-1_-1", "9.950000", "10.000000", "p-1_0", "9.950000", "10.050000", "p-1_1", "9.950000", "10.100000", "p-1_2", "9.950000", "10.150000", "p-1_3", "10.000000", "9.850000", "p0_-3", "10.000000", "9.900000", "p0_-2", "10.000000", "9.950000", "p0_-1", "10.000000", "10.000000", "p0_0", "10.000000", "10.050000", "p0_1", "10.000000", "10.100000", "p0_2", "10.000000", "10.150000", "p0_3", "10.050000", "9.850000", "p1_-3", "10.050000", "9.900000", "p1_-2", "10.050000", "9.950000", "p1_-1", "10.050000", "10.000000", "p1_0", "10.050000", "10.050000", "p1_1", "10.050000", "10.100000", "p1_2", "10.050000", "10.150000", "p1_3", "10.100000", "9.850000", "p2_-3", "10.100000", "9.900000", "p2_-2", "10.100000", "9.950000", "p2_-1", "10.100000", "10.000000", "p2_0", "10.100000", "10.050000", "p2_1", "10.100000", "10.100000", "p2_2", "10.100000", "10.150000", "p2_3", "10.150000", "9.850000", "p3_-3", "10.150000", "9.900000", "p3_-2", "10.150000", "9.950000", "p3_-1", "10.150000", "10.000000", "p3_0", "10.150000", "10.050000", "p3_1", "10.150000", "10.100000", "p3_2", "10.150000", "10.150000", "p3_3"}, ":49\r\n"},
	{[]string{"GEOSEARCH", "grid", "FROMLONLAT", "10.01", "9.98", "BYRADIUS", "12", "km"}, "*14\r\n$5\r\np-1_0\r\n$4\r\np0_0\r\n$5\r\np-1_1\r\n$4\r\np0_1\r\n$4\r\np1_0\r\n$4\r\np2_0\r\n$4\r\np1_1\r\n$6\r\np-1_-2\r\n$5\r\np0_-2\r\n$6\r\np-1_-1\r\n$5\r\np0_-1\r\n$5\r\np1_-2\r\n$5\r\np1_-1\r\n$5\r\np2_-1\r\n"},
	{[]string{"GEOSEARCH", "grid", "FROMLONLAT", "10.01", "9.98", "BYRADIUS", "12", "km", "COUNT", "6", "ANY"}, "*6\r\n$5\r\np-1_0\r\n$4\r\np0_0\r\n$5\r\np-1_1\r\n$4\r\np0_1\r\n$4\r\np1_0\r\n$4\r\np2_0\r\n"},
	{[]string{"GEOSEARCH", "grid", "FROMLONLAT", "10.01", "9.98", "BYRADIUS", "12", "km", "COUNT", "4"}, "*4\r\n$4\r\np0_0\r\n$5\r\np0_-1\r\n$4\r\np1_0\r\n$5\r\np1_-1\r\n"},
	{[]string{"GEOSEARCH", "grid", "FROMLONLAT", "10.12", "10.2", "BYBOX", "30", "20", "km"}, "*4\r\n$4\r\np0_3\r\n$4\r\np1_3\r\n$4\r\np2_3\r\n$4\r\np3_3\r\n"},
	{[]string{"GEOSEARCH", "grid", "FROMMEMBER", "p0_0", "BYBOX", "11", "11", "km", "DESC"}, "*3\r\n$5\r\np-1_0\r\n$4\r\np1_0\r\n$4\r\np0_0\r\n"},
}
var geoRadiusCases = []replyCase{
	{[]string{"GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania", "13.583333", "37.316667", "Agrigento"}, ":3\r\n"},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHDIST", "WITHCOORD", "WITHHASH"}, "*3\r\n*4\r\n$9\r\nAgrigento\r\n$8\r\n130.4235\r\n:3479030013248308\r\n*2\r\n$19\r\n13.5833314061164856\r\n$20\r\n37.31666804993816555\r\n*4\r\n$7\r\nPalermo\r\n$8\r\n190.4424\r\n:3479099956230698\r\n*2\r\n$20\r\n13.36138933897018433\r\n$20\r\n38.11555639549629859\r\n*4\r\n$7\r\nCatania\r\n$7\r\n56.4413\r\n:3479447370796909\r\n*2\r\n$20\r\n15.08726745843887329\r\n$20\r\n37.50266842333162032\r\n"},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "ASC", "COUNT", "2"}, "*2\r\n$7\r\nCatania\r\n$9\r\nAgrigento\r\n"},
	{[]string{"GEORADIUS_RO", "Sicily", "15", "37", "200", "km", "DESC"}, "*3\r\n$7\r\nPalermo\r\n$9\r\nAgrigento\r\n$7\r\nCatania\r\n"},
	{[]string{"GEORADIUSBYMEMBER", "Sicily", "Agrigento", "100", "km", "WITHDIST", "DESC"}, "*2\r\n*2\r\n$7\r\nPalermo\r\n$7\r\n90.9778\r\n*2\r\n$9\r\nAgrigento\r\n$6\r\n0.0000\r\n"},
	{[]string{"GEORADIUSBYMEMBER_RO", "Sicily", "Palermo", "1000", "km", "WITHCOORD", "COUNT", "2"}, "*2\r\n*2\r\n$7\r\nPalermo\r\n*2\r\n$20\r\n13.36138933897018433\r\n$20\r\n38.11555639549629859\r\n*2\r\n$9\r\nAgrigento\r\n*2\r\n$19\r\n13.5833314061164856\r\n$20\r\n37.31666804993816555\r\n"},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "d"}, ":3\r\n"},
	{[]string{"ZRANGE", "d", "0", "-1", "WITHSCORES"}, "*6\r\n$9\r\nAgrigento\r\n$16\r\n3479030013248308\r\n$7\r\nPalermo\r\n$16\r\n3479099956230698\r\n$7\r\nCatania\r\n$16\r\n3479447370796909\r\n"},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "mi", "STOREDIST", "d", "COUNT", "2", "DESC"}, ":2\r\n"},
	{[]string{"ZRANGE", "d", "0", "-1", "WITHSCORES"}, "*4\r\n$9\r\nAgrigento\r\n$18\r\n81.041599082323827\r\n$7\r\nPalermo\r\n$18\r\n118.33573380874013\r\n"},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "d", "STOREDIST", "e"}, ":3\r\n"},
	{[]string{"EXISTS", "d"}, ":1\r\n"},
	{[]string{"ZRANGE", "e", "0", "-1", "WITHSCORES"}, "*6\r\n$7\r\nCatania\r\n$18\r\n56.441257870158204\r\n$9\r\nAgrigento\r\n$18\r\n130.42348706714702\r\n$7\r\nPalermo\r\n$18\r\n190.44242984775784\r\n"},
	{[]string{"GEORADIUSBYMEMBER", "Sicily", "Palermo", "200", "ft", "STORE", "e"}, ":1\r\n"},
	{[]string{"EXISTS", "e"}, ":1\r\n"},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE"}, "-ERR syntax error\r\n"},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHDIST", "STORE", "d"}, "-ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options\r\n"},
	{[]string{"GEORADIUS_RO", "Sicily", "15", "37", "200", "km", "STORE", "d"}, "-ERR syntax error\r\n"},
	{[]string{"GEORADIUSBYMEMBER_RO", "Sicily", "Palermo", "200", "km", "STOREDIST", "d"}, "-ERR syntax error\r\n"},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "ANY"}, "-ERR the ANY argument requires COUNT argument\r\n"},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "FROMLONLAT", "1", "2"}, "-ERR syntax error\r\n"},
	{[]string{"GEORADIUS", "Sicily", "15", "37", "x", "km"}, "-ERR need numeric radius\r\n"},
	{[]string{"GEORADIUS", "Sicily", "200", "37", "1", "km"}, "-ERR invalid longitude,latitude pair 200.000000,37.000000\r\n"},
	{[]string{"GEORADIUS", "nokey", "15", "37", "x", "km"}, "-ERR need numeric radius\r\n"},
	{[]string{"GEORADIUS", "nokey", "15", "37", "1", "km"}, "*0\r\n"},
	{[]string{"GEORADIUS", "nokey", "15", "37", "1", "km", "STORE", "d"}, ":0\r\n"},
	{[]string{"GEORADIUSBYMEMBER", "Sicily", "nosuch", "x", "yd"}, "-ERR could not decode requested zset member\r\n"},
	{[]string{"GEORADIUSBYMEMBER", "Sicily", "Palermo", "x", "yd"}, "-ERR need numeric radius\r\n"},
	{[]string{"GEORADIUSBYMEMBER", "Sicily", "Palermo", "1", "yd"}, "-ERR unsupported unit provided. please use M, KM, FT, MI\r\n"},
	{[]string{"GEORADIUSBYMEMBER", "nokey", "m", "x", "yd"}, "*0\r\n"},
	{[]string{"GEORADIUSBYMEMBER", "nokey", "m", "1", "km", "WITHDIST", "STORE", "x"}, "-ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options\r\n"},
	{[]string{"GEORADIUSBYMEMBER", "nokey", "m", "1", "km", "foo"}, "-ERR syntax error\r\n"},
	{[]string{"SET", "s", "v"}, "+OK\r\n"},
	{[]string{"GEORADIUS", "s", "15", "37", "x", "km"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{[]string{"GEORADIUSBYMEMBER", "s", "m", "1", "km"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
}
var geoStoreCases = []replyCase{
	{[]string{"GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania", "13.583333", "37.316667", "Agrigento"}, ":3\r\n"},
	{[]string{"GEOSEARCHSTORE", "d", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km"}, ":3\r\n"},
	{[]string{"ZRANGE", "d", "0", "-1", "WITHSCORES"}, "*6\r\n$9\r\nAgrigento\r\n$16\r\n3479030013248308\r\n$7\r\nPalermo\r\n$16\r\n3479099956230698\r\n$7\r\nCatania\r\n$16\r\n3479447370796909\r\n"},
	{[]string{"OBJECT", "ENCODING", "d"}, "$8\r\nlistpack\r\n"},
	{[]string{"GEOSEARCHSTORE", "d", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "STOREDIST", "COUNT", "2"}, ":2\r\n"},
	{[]string{"ZRANGE", "d", "0", "-1", "WITHSCORES"}, "*4\r\n$7\r\nCatania\r\n$18\r\n56.441257870158204\r\n$9\r\nAgrigento\r\n$18\r\n130.42348706714702\r\n"},
	{[]string{"GEOSEARCHSTORE", "d", "Sicily", "FROMMEMBER", "Palermo", "BYBOX", "500", "500", "km", "STOREDIST", "DESC", "COUNT", "2", "ANY"}, ":2\r\n"},
	{[]string{"ZRANGE", "d", "0", "-1", "WITHSCORES"}, "*4\r\n$7\r\nPalermo\r\n$1\r\n0\r\n$9\r\nAgrigento\r\n$18\r\n90.977753537996037\r\n"},
	{[]string{"GEOSEARCHSTORE", "d", "Sicily", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km"}, ":0\r\n"},
	{[]string{"EXISTS", "d"}, ":0\r\n"},
	{[]string{"GEOSEARCHSTORE", "d", "nokey", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km"}, ":0\r\n"},
	{[]string{"SET", "d", "x"}, "+OK\r\n"},
	{[]string{"EXPIRE", "d", "100"}, ":1\r\n"},
	{[]string{"GEOSEARCHSTORE", "d", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km"}, ":3\r\n"},
	{[]string{"TTL", "d"}, ":-1\r\n"},
	{[]string{"TYPE", "d"}, "+zset\r\n"},
	{[]string{"GEOSEARCHSTORE", "Sicily", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "100", "km", "STOREDIST"}, ":2\r\n"},
	{[]string{"ZRANGE", "Sicily", "0", "-1", "WITHSCORES"}, "*4\r\n$7\r\nPalermo\r\n$1\r\n0\r\n$9\r\nAgrigento\r\n$18\r\n90.977753537996037\r\n"},
	{[]string{"GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania", "13.583333", "37.316667", "Agrigento"}, ":1\r\n"},
	{[]string{"CONFIG", "SET", "zset-max-listpack-entries", "2"}, "+OK\r\n"},
	{[]string{"GEOSEARCHSTORE", "d", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "500", "km"}, ":3\r\n"},
	{[]string{"OBJECT", "ENCODING", "d"}, "$8\r\nskiplist\r\n"},
	{[]string{"GEOSEARCHSTORE", "d", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "500", "km", "COUNT", "2"}, ":2\r\n"},
	{[]string{"OBJECT", "ENCODING", "d"}, "$8\r\nlistpack\r\n"},
	{[]string{"CONFIG", "SET", "zset-max-listpack-value", "3"}, "+OK\r\n"},
	{[]string{"GEOSEARCHSTORE", "d", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "500", "km", "COUNT", "1"}, ":1\r\n"},
	{[]string{"OBJECT", "ENCODING", "d"}, "$8\r\nskiplist\r\n"},
	{[]string{"GEOSEARCHSTORE", "d", "Sicily", "FROMLONLAT", "1", "2", "BYRADIUS", "1", "km", "WITHDIST"}, "-ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options\r\n"},
	{[]string{"GEOSEARCHSTORE", "d", "Sicily", "WITHDIST", "WITHDIST", "WITHDIST", "WITHDIST", "WITHDIST"}, "-ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options\r\n"},
	{[]string{"GEOSEARCHSTORE", "d", "Sicily", "FROMLONLAT", "1", "2", "STOREDIST", "STOREDIST"}, "-ERR exactly one of BYRADIUS and BYBOX can be specified for GEOSEARCHSTORE\r\n"},
	{[]string{"GEOSEARCHSTORE", "d", "Sicily", "FROMLONLAT", "1", "2", "BYRADIUS", "1", "km", "STORE", "x"}, "-ERR syntax error\r\n"},
	{[]string{"SET", "s", "v"}, "+OK\r\n"},
	{[]string{"GEOSEARCHSTORE", "d", "s", "FROMLONLAT", "1", "2", "BYRADIUS", "1", "km"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
}
var geoTieCases = []replyCase{
	{[]string{"GEOADD", "tie", "10", "10", "a", "10", "10", "b", "10", "10", "c", "10", "10", "d", "10", "10", "e", "10", "10", "f", "10", "10", "g", "10", "10", "h", "10", "10", "i", "10", "10", "j", "10.1", "10.1", "k", "10.2", "10", "l"}, ":12\r\n"},
	{[]string{"GEOSEARCH", "tie", "FROMLONLAT", "10", "10", "BYRADIUS", "100", "km", "DESC"}, "*12\r\n$1\r\nl\r\n$1\r\nk\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\nf\r\n$1\r\ng\r\n$1\r\nh\r\n$1\r\ni\r\n$1\r\nj\r\n"},
	{[]string{"GEOSEARCH", "tie", "FROMLONLAT", "10", "10", "BYRADIUS", "100", "km", "COUNT", "3", "DESC"}, "*3\r\n$1\r\nl\r\n$1\r\nk\r\n$1\r\nc\r\n"},
	{[]string{"GEOSEARCH", "tie", "FROMLONLAT", "10", "10", "BYRADIUS", "100", "km", "COUNT", "9", "DESC"}, "*9\r\n$1\r\nl\r\n$1\r\nk\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\nf\r\n$1\r\na\r\n$1\r\nh\r\n$1\r\ni\r\n"},
	{[]string{"GEOSEARCH", "tie", "FROMLONLAT", "10.2", "10", "BYRADIUS", "100", "km", "COUNT", "5"}, "*5\r\n$1\r\nl\r\n$1\r\nk\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n"},
	{[]string{"GEOSEARCH", "tie", "FROMLONLAT", "10", "10", "BYRADIUS", "100", "km", "COUNT", "3"}, "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n"},
	{[]string{"GEOSEARCH", "tie", "FROMLONLAT", "10", "10", "BYRADIUS", "100", "km", "COUNT", "12", "DESC"}, "*12\r\n$1\r\nl\r\n$1\r\nk\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\nf\r\n$1\r\ng\r\n$1\r\nh\r\n$1\r\ni\r\n$1\r\nj\r\n"},
	{[]string{"GEOSEARCHSTORE", "d", "tie", "FROMLONLAT", "10", "10", "BYRADIUS", "100", "km", "COUNT", "9", "DESC", "STOREDIST"}, ":9\r\n"},
	{[]string{"ZRANGE", "d", "0", "-1"}, "*9\r\n$1\r\na\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\nf\r\n$1\r\nh\r\n$1\r\ni\r\n$1\r\nk\r\n$1\r\nl\r\n"},
}
