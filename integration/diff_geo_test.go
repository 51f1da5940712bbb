package integration

import (
	"fmt"
	"math/rand"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Geo commands: every option and error, scores, positions, hashes and
// distances to the printed digit, the order of unsorted search results
// (Redis's cell scan order), sorting with ties, STORE and STOREDIST, the
// poles and the antimeridian, and a seeded random walk over worldwide
// points. Distances come from sin, cos and asin: Petrel's are correctly
// rounded and glibc's are nearly so, so a printed distance can differ in
// its last digit in about one case in ten million (a value within a hair
// of a rounding boundary), and a STOREDIST score in its last bit in about
// one case in four hundred; the random walk reads STOREDIST results back
// without their scores for that reason.

// geoSicily and geoWorld are data sets the sequences share.
const (
	geoSicily = "GEOADD Sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania 13.583333 37.316667 Agrigento"
	geoWorld  = "GEOADD w 179.99 0 east 179.99999 1 east2 -179.99 0 west -180 0.5 west2 180 -0.5 east3 " +
		"0 85.05112878 top 90 84.9 nearTop -90 -85.05112878 bottom 45 -84.99 nearBottom 0 0 origin " +
		"0.0001 0.0001 origin2 -0.0001 -0.0001 origin3 2.3522 48.8566 paris -0.1276 51.5072 london " +
		"-74.006 40.7128 nyc 139.6917 35.6895 tokyo 151.2093 -33.8688 sydney -58.3816 -34.6037 ba"
)

// geoGrid adds a grid of points around (lon, lat), spacing step degrees,
// so that searches there cross cell borders in every direction.
func geoGrid(key string, lon, lat, step float64, n int) string {
	var b strings.Builder
	b.WriteString("GEOADD " + key)
	for i := -n; i <= n; i++ {
		for j := -n; j <= n; j++ {
			fmt.Fprintf(&b, " %.6f %.6f p%d_%d", lon+float64(i)*step, lat+float64(j)*step, i, j)
		}
	}
	return b.String()
}

var geoCore = []sequence{
	{name: "geoadd", steps: steps(
		geoSicily, "GEOADD Sicily 13.361389 38.115556 Palermo", "GEOADD Sicily CH 13.361389 38.115556 Palermo",
		"GEOADD Sicily CH 13.4 38.1 Palermo 1 1 new", "GEOADD Sicily NX 1 2 Palermo 3 4 other",
		"GEOADD Sicily XX 5 6 Palermo 7 8 never", "GEOADD Sicily XX CH 5 6 Palermo", "GEOADD Sicily NX CH 9 9 x",
		"GEOADD Sicily ch nx 9 9 y", "ZRANGE Sicily 0 -1 WITHSCORES", "GEOADD nokey XX 1 1 a", "EXISTS nokey",
		"GEOADD Sicily NX XX 1 2 a", "GEOADD Sicily GT 1 2 a", "GEOADD Sicily GT 1 2", "GEOADD Sicily CH CH CH",
		"GEOADD Sicily 1 2 a 3", "GEOADD Sicily 1 2 a 3 4", "GEOADD Sicily 1", "GEOADD Sicily 1 2",
		"GEOADD Sicily abc 2 a", "GEOADD Sicily 1 abc a", "GEOADD Sicily 1 nan a", "GEOADD Sicily 200 10 a",
		"GEOADD Sicily 10 86 a", "GEOADD Sicily 180.0000001 0 a", "GEOADD Sicily -180.0000001 0 a",
		"GEOADD Sicily 0 -85.05112879 a", "GEOADD Sicily inf 0 a", "GEOADD Sicily -inf 0 a", "GEOADD Sicily 0 -inf a",
		"GEOADD Sicily 1e300 -1e300 a", "GEOADD Sicily 1e-320 0 a", `GEOADD Sicily " 1" 0 a`, "GEOADD Sicily 1 2 ok 200 0 bad",
		"EXISTS ok", "ZSCORE Sicily ok", "GEOADD Sicily 0x10 1e1 hex -0 -0 negzero", "ZSCORE Sicily hex",
		"ZSCORE Sicily negzero", "GEOADD b 180 85.05112878 a -180 -85.05112878 b 180 0 c 0 85.05112878 d",
		"ZRANGE b 0 -1 WITHSCORES", "GEOPOS b a b c d", "GEOHASH b a b c d", "TYPE Sicily", "OBJECT ENCODING Sicily",
		"SET s v", "GEOADD s 1 2 a", "GEOADD s 200 2 a", "GEOADD s abc 2 a", "GEOADD s NX XX 1 2 a",
	)},
	{name: "positions", steps: steps(
		geoSicily, geoWorld,
		"GEOPOS Sicily Palermo Catania nosuch Agrigento", "GEOPOS nokey a b", "GEOPOS Sicily",
		"GEOHASH Sicily Palermo Catania nosuch Agrigento", "GEOHASH nokey a b", "GEOHASH Sicily",
		"GEOPOS w east east2 west west2 east3 top nearTop bottom nearBottom origin origin2 origin3",
		"GEOHASH w east east2 west west2 east3 top nearTop bottom nearBottom origin origin2 origin3",
		"GEOPOS w paris london nyc tokyo sydney ba", "GEOHASH w paris london nyc tokyo sydney ba",
		"GEODIST Sicily Palermo Catania", "GEODIST Sicily Palermo Catania m", "GEODIST Sicily Palermo Catania KM",
		"GEODIST Sicily Palermo Catania ft", "GEODIST Sicily Palermo Catania Mi", "GEODIST Sicily Palermo Palermo",
		"GEODIST Sicily Palermo nosuch", "GEODIST Sicily nosuch Palermo km", "GEODIST nokey a b",
		"GEODIST Sicily Palermo Catania yd", "GEODIST Sicily Palermo Catania km extra", "GEODIST nokey a b yd",
		"GEODIST w east west", "GEODIST w east west2 km", "GEODIST w top bottom km", "GEODIST w nyc tokyo mi",
		"GEODIST w sydney london ft", "GEODIST w origin origin2", "GEODIST w origin2 origin3", "GEODIST w paris ba km",
		"ZADD odd -1 a 1e19 b 1e20 c inf d -inf e -1e19 f 0 g 4503599627370495 h 4503599627370496 i 1.5 j -0.5 k 9007199254740993 l",
		"GEOPOS odd a b c d e f g h i j k l", "GEOHASH odd a b c d e f g h i j k l", "GEODIST odd a b",
		"GEODIST odd g h", "GEODIST odd a g km", "GEODIST odd j k",
		"SET s v", "GEOPOS s a", "GEOHASH s a", "GEODIST s a b", "GEODIST s a b yd", "GEODIST s a b km x",
	)},
	{name: "search-options", steps: steps(
		geoSicily,
		"GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km", "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km ASC",
		"GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km DESC", "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km COUNT 1",
		"GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km COUNT 2 DESC", "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km COUNT 1 ANY",
		"GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km COUNT 5 ANY DESC",
		"GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km WITHDIST WITHHASH WITHCOORD",
		"GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km withcoord withdist", "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km WITHHASH",
		"GEOSEARCH Sicily FROMMEMBER Palermo BYRADIUS 100 mi WITHDIST", "GEOSEARCH Sicily FROMMEMBER Palermo BYBOX 400 400 km ASC WITHCOORD WITHDIST WITHHASH",
		"GEOSEARCH Sicily FROMMEMBER Palermo BYBOX 0 0 km", "GEOSEARCH Sicily FROMMEMBER Palermo BYRADIUS 0 m WITHDIST",
		"GEOSEARCH Sicily FROMLONLAT 13.36138933897018433 38.11555639549629859 BYRADIUS 0 km",
		"GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS inf km", "GEOSEARCH Sicily FROMLONLAT 15 37 BYBOX inf inf km",
		"GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 1e300 km WITHDIST", "GEOSEARCH Sicily FROMLONLAT 15 37 BYBOX 200000 100 m",
		"GEOSEARCH Sicily FROMLONLAT 15 37 BYBOX 100 200000 ft", "GEOSEARCH Sicily FROMLONLAT 15 37 BYBOX 3 3 KM",
		"GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km COUNT 9223372036854775807",
		"GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km COUNT 9223372036854775807 ANY",
		"GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km COUNT 1 COUNT 3", "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km ASC DESC",
		"GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km WITHDIST WITHDIST ANY ANY COUNT 2",
		"GEOSEARCH Sicily FROMLONLAT 1 2 BYRADIUS 1 km WITHDIST", "GEOSEARCH nokey FROMLONLAT 1 2 BYRADIUS 1 km",
		"GEOSEARCH nokey FROMMEMBER nosuch BYRADIUS 1 km", "GEOSEARCH nokey FROMMEMBER nosuch BYBOX 1 1 km WITHDIST",
		// errors, in Redis's order of checks
		"GEOSEARCH Sicily FROMMEMBER nosuch BYRADIUS 1 km", "GEOSEARCH Sicily FROMMEMBER Palermo BYRADIUS 10 km COUNT 0",
		"GEOSEARCH Sicily FROMMEMBER Palermo BYRADIUS 10 km COUNT -1", "GEOSEARCH Sicily FROMMEMBER Palermo BYRADIUS 10 km COUNT x",
		"GEOSEARCH Sicily FROMMEMBER Palermo BYRADIUS 10 km COUNT", "GEOSEARCH Sicily FROMMEMBER Palermo BYRADIUS 10 km ANY",
		"GEOSEARCH Sicily FROMMEMBER Palermo", "GEOSEARCH Sicily FROMMEMBER Palermo FROMLONLAT 1 2 BYRADIUS 1 km",
		"GEOSEARCH Sicily FROMLONLAT 1 2 FROMMEMBER Palermo BYRADIUS 1 km", "GEOSEARCH Sicily FROMLONLAT 1 2 FROMLONLAT 1 2 BYRADIUS 1 km",
		"GEOSEARCH Sicily FROMMEMBER Palermo FROMMEMBER Catania BYRADIUS 1 km",
		"GEOSEARCH Sicily FROMMEMBER Palermo BYRADIUS 1 km BYBOX 1 1 km", "GEOSEARCH Sicily FROMMEMBER Palermo BYBOX 1 1 km BYRADIUS 1 km",
		"GEOSEARCH Sicily FROMMEMBER Palermo BYRADIUS 1 km BYRADIUS 2 km",
		"GEOSEARCH Sicily BYRADIUS 1 km WITHDIST WITHHASH", "GeoSearch Sicily BYRADIUS 1 km WITHDIST WITHHASH",
		"GEOSEARCH Sicily FROMLONLAT 1 2 WITHDIST", "GEOSEARCH Sicily FROMLONLAT 1 2 WITHDIST WITHDIST",
		"geosearch Sicily FROMLONLAT 1 2 WITHDIST WITHDIST", "GEOSEARCH Sicily WITHDIST WITHDIST WITHDIST WITHDIST WITHDIST",
		"GEOSEARCH Sicily FROMLONLAT 1 2 BYRADIUS x km", "GEOSEARCH Sicily FROMLONLAT 1 2 BYRADIUS -1 km",
		"GEOSEARCH Sicily FROMLONLAT 1 2 BYRADIUS 1 yd", "GEOSEARCH Sicily FROMLONLAT 1 2 BYRADIUS -1 yd",
		"GEOSEARCH Sicily FROMLONLAT 1 2 BYBOX x 1 km", "GEOSEARCH Sicily FROMLONLAT 1 2 BYBOX 1 x km",
		"GEOSEARCH Sicily FROMLONLAT 1 2 BYBOX -1 x km", "GEOSEARCH Sicily FROMLONLAT 1 2 BYBOX -1 1 km",
		"GEOSEARCH Sicily FROMLONLAT 1 2 BYBOX 1 -1 yd", "GEOSEARCH Sicily FROMLONLAT 1 2 BYBOX 1 1 yd",
		"GEOSEARCH Sicily FROMLONLAT 1 2 BYBOX 1 1", "GEOSEARCH Sicily FROMLONLAT 200 2 BYRADIUS 1 km",
		"GEOSEARCH Sicily FROMLONLAT x 2 BYRADIUS 1 km", "GEOSEARCH Sicily FROMLONLAT 1 BYRADIUS 1 km",
		"GEOSEARCH Sicily FROMLONLAT 1 2 BYRADIUS 1 km STORE x", "GEOSEARCH Sicily FROMLONLAT 1 2 BYRADIUS 1 km STOREDIST",
		"GEOSEARCH Sicily FROMLONLAT 1 2 BYRADIUS 1 km foo", "GEOSEARCH Sicily FROMLONLAT 1 2 BYRADIUS 1 km COUNT 0 foo",
		"GEOSEARCH Sicily FROMLONLAT 1 2 BYRADIUS 1 km foo COUNT 0", "GEOSEARCH nokey FROMLONLAT 1 2 BYRADIUS 1 km ANY",
		"GEOSEARCH nokey FROMLONLAT 1 2 BYRADIUS x km", "GEOSEARCH nokey WITHDIST WITHDIST WITHDIST WITHDIST WITHDIST",
		"SET s v", "GEOSEARCH s FROMLONLAT 1 2 BYRADIUS 1 km", "GEOSEARCH s FROMLONLAT 1 2 BYRADIUS x km",
		"GEOSEARCH s FROMMEMBER nosuch BYRADIUS 1 km",
	)},
	{name: "georadius", steps: steps(
		geoSicily,
		"GEORADIUS Sicily 15 37 200 km", "GEORADIUS Sicily 15 37 200 km WITHDIST WITHCOORD WITHHASH",
		"GEORADIUS Sicily 15 37 200 km ASC COUNT 2", "GEORADIUS Sicily 15 37 200 km DESC", "GEORADIUS Sicily 15 37 200 km COUNT 1 ANY",
		"GEORADIUS_RO Sicily 15 37 200 km WITHDIST", "GEORADIUS_RO Sicily 15 37 200 km ASC", "GEORADIUSBYMEMBER Sicily Agrigento 100 km",
		"GEORADIUSBYMEMBER Sicily Agrigento 100 km WITHDIST DESC", "GEORADIUSBYMEMBER_RO Sicily Palermo 1000 km WITHCOORD COUNT 2",
		"GEORADIUS Sicily 15 37 200 km STORE d", "ZRANGE d 0 -1 WITHSCORES", "GEORADIUS Sicily 15 37 200 km STOREDIST d",
		"ZRANGE d 0 -1 WITHSCORES", "GEORADIUS Sicily 15 37 200 mi STOREDIST d COUNT 2 DESC", "ZRANGE d 0 -1 WITHSCORES",
		"GEORADIUS Sicily 15 37 200 km STORE d STOREDIST e", "ZRANGE e 0 -1 WITHSCORES", "EXISTS d",
		"GEORADIUS Sicily 15 37 200 km STOREDIST e STORE d", "ZRANGE d 0 -1 WITHSCORES",
		"GEORADIUSBYMEMBER Sicily Palermo 200 ft STORE d", "EXISTS d", "GEORADIUSBYMEMBER Sicily Palermo 200 km STORE d",
		"ZRANGE d 0 -1 WITHSCORES",
		// errors
		"GEORADIUS Sicily 15 37 200 km STORE", "GEORADIUS Sicily 15 37 200 km WITHDIST STORE d",
		"GEORADIUS Sicily 15 37 200 km STOREDIST d WITHHASH", "GEORADIUS Sicily 15 37 200 km WITHCOORD STORE d",
		"GEORADIUS_RO Sicily 15 37 200 km STORE d", "GEORADIUSBYMEMBER_RO Sicily Palermo 200 km STOREDIST d",
		"GEORADIUS Sicily 15 37 200 km ANY", "GEORADIUS Sicily 15 37 200 km COUNT 0", "GEORADIUS Sicily 15 37 200 km FROMLONLAT 1 2",
		"GEORADIUS Sicily 15 37 200 km BYRADIUS 1 km", "GEORADIUS Sicily 15 37 x km", "GEORADIUS Sicily 15 37 -1 km",
		"GEORADIUS Sicily 15 37 1 yd", "GEORADIUS Sicily 200 37 1 km", "GEORADIUS Sicily x 37 1 km",
		"GEORADIUS nokey 15 37 x km", "GEORADIUS nokey 200 37 1 km", "GEORADIUS nokey 15 37 1 km",
		"GEORADIUS nokey 15 37 1 km STORE d", "EXISTS d", "GEORADIUS nokey 15 37 1 km WITHDIST STORE d",
		"GEORADIUSBYMEMBER Sicily nosuch 1 km", "GEORADIUSBYMEMBER Sicily nosuch x yd", "GEORADIUSBYMEMBER Sicily Palermo x yd",
		"GEORADIUSBYMEMBER Sicily Palermo 1 yd", "GEORADIUSBYMEMBER Sicily Palermo -1 km",
		"GEORADIUSBYMEMBER nokey m x yd", "GEORADIUSBYMEMBER nokey m 1 km withdist STORE x", "GEORADIUSBYMEMBER nokey m 1 km foo",
		"GEORADIUSBYMEMBER nokey m 1 km ANY", "GEORADIUSBYMEMBER_RO nokey m x yd", "SET s v",
		"GEORADIUS s 15 37 x km", "GEORADIUSBYMEMBER s m 1 km", "GEORADIUSBYMEMBER_RO s m x km", "GEORADIUS Sicily 15 37 200 km STORE s",
		"TYPE s", "GEORADIUS Sicily 15 37 1 m STORE s", "EXISTS s",
	)},
	{name: "store", steps: steps(
		geoSicily,
		"GEOSEARCHSTORE d Sicily FROMLONLAT 15 37 BYRADIUS 200 km", "ZRANGE d 0 -1 WITHSCORES", "OBJECT ENCODING d",
		"GEOSEARCHSTORE d Sicily FROMLONLAT 15 37 BYRADIUS 200 km STOREDIST", "ZRANGE d 0 -1 WITHSCORES",
		"GEOSEARCHSTORE d Sicily FROMLONLAT 15 37 BYRADIUS 200 km STOREDIST COUNT 1", "ZRANGE d 0 -1 WITHSCORES",
		"GEOSEARCHSTORE d Sicily FROMMEMBER Palermo BYBOX 500 500 km STOREDIST DESC COUNT 2 ANY", "ZRANGE d 0 -1 WITHSCORES",
		"GEOSEARCHSTORE d Sicily FROMLONLAT 15 37 BYRADIUS 200 mi STOREDIST STOREDIST", "ZRANGE d 0 -1 WITHSCORES",
		"GEOSEARCHSTORE d Sicily FROMLONLAT 0 0 BYRADIUS 1 km", "EXISTS d", "GEOSEARCHSTORE d Sicily FROMLONLAT 0 0 BYRADIUS 1 km",
		"GEOSEARCHSTORE d nokey FROMLONLAT 0 0 BYRADIUS 1 km", "SET d x", "GEOSEARCHSTORE d nokey FROMLONLAT 0 0 BYRADIUS 1 km",
		"EXISTS d", "SET d x", "EXPIRE d 100", "GEOSEARCHSTORE d Sicily FROMLONLAT 15 37 BYRADIUS 200 km", "TTL d", "TYPE d",
		"GEOSEARCHSTORE Sicily Sicily FROMMEMBER Palermo BYRADIUS 100 km STOREDIST", "ZRANGE Sicily 0 -1 WITHSCORES",
		geoSicily, "CONFIG SET zset-max-listpack-entries 2", "GEOSEARCHSTORE d Sicily FROMLONLAT 15 37 BYRADIUS 500 km",
		"OBJECT ENCODING d", "GEOSEARCHSTORE d Sicily FROMLONLAT 15 37 BYRADIUS 500 km COUNT 2", "OBJECT ENCODING d",
		"CONFIG SET zset-max-listpack-value 3", "GEOSEARCHSTORE d Sicily FROMLONLAT 15 37 BYRADIUS 500 km COUNT 1",
		"OBJECT ENCODING d", "ZRANGE d 0 -1 WITHSCORES",
		// errors
		"GEOSEARCHSTORE d Sicily FROMLONLAT 1 2 BYRADIUS 1 km WITHDIST", "GEOSEARCHSTORE d Sicily FROMLONLAT 1 2 BYRADIUS 1 km STORE x",
		"GEOSEARCHSTORE d Sicily WITHDIST WITHDIST WITHDIST WITHDIST WITHDIST", "GEOSEARCHSTORE d Sicily FROMLONLAT 1 2 STOREDIST STOREDIST",
		"GEOsearchstore d Sicily FROMLONLAT 1 2 STOREDIST STOREDIST", "GEOSEARCHSTORE d Sicily BYRADIUS 1 km STOREDIST STOREDIST",
		"GEOSEARCHSTORE d Sicily FROMLONLAT 1 2 BYRADIUS 1 km ANY", "GEOSEARCHSTORE d Sicily FROMLONLAT 1 2 BYRADIUS 1",
		"SET s v", "GEOSEARCHSTORE d s FROMLONLAT 1 2 BYRADIUS 1 km", "GEOSEARCHSTORE s Sicily FROMLONLAT 15 37 BYRADIUS 1 m",
		"EXISTS s",
	)},
	{name: "order-and-ties", steps: steps(
		"GEOADD tie 10 10 a 10 10 b 10 10 c 10 10 d 10 10 e 10 10 f 10 10 g 10 10 h 10 10 i 10 10 j 10.1 10.1 k 10.2 10 l",
		"GEOSEARCH tie FROMLONLAT 10 10 BYRADIUS 100 km", "GEOSEARCH tie FROMLONLAT 10 10 BYRADIUS 100 km ASC",
		"GEOSEARCH tie FROMLONLAT 10 10 BYRADIUS 100 km DESC", "GEOSEARCH tie FROMLONLAT 10 10 BYRADIUS 100 km COUNT 3",
		"GEOSEARCH tie FROMLONLAT 10 10 BYRADIUS 100 km COUNT 3 DESC", "GEOSEARCH tie FROMLONLAT 10 10 BYRADIUS 100 km COUNT 7 DESC",
		"GEOSEARCH tie FROMLONLAT 10 10 BYRADIUS 100 km COUNT 9 DESC", "GEOSEARCH tie FROMLONLAT 10 10 BYRADIUS 100 km COUNT 11 DESC",
		"GEOSEARCH tie FROMLONLAT 10 10 BYRADIUS 100 km COUNT 1 DESC", "GEOSEARCH tie FROMLONLAT 10.2 10 BYRADIUS 100 km COUNT 5",
		"GEOSEARCH tie FROMLONLAT 10 10 BYRADIUS 100 km COUNT 4 ANY", "GEOSEARCH tie FROMLONLAT 10 10 BYRADIUS 100 km COUNT 4 ANY DESC",
		"GEOSEARCHSTORE dst tie FROMLONLAT 10 10 BYRADIUS 100 km COUNT 9 DESC STOREDIST", "ZRANGE dst 0 -1 WITHSCORES",
		geoGrid("grid", 10, 10, 0.05, 6),
		"GEOSEARCH grid FROMLONLAT 10 10 BYRADIUS 10 km", "GEOSEARCH grid FROMLONLAT 10.01 9.98 BYRADIUS 25 km",
		"GEOSEARCH grid FROMLONLAT 10.01 9.98 BYRADIUS 25 km COUNT 50", "GEOSEARCH grid FROMLONLAT 10.01 9.98 BYRADIUS 25 km DESC COUNT 40",
		"GEOSEARCH grid FROMLONLAT 10.01 9.98 BYRADIUS 25 km COUNT 10 ANY", "GEOSEARCH grid FROMLONLAT 10.12 10.2 BYBOX 30 20 km WITHDIST",
		"GEOSEARCH grid FROMLONLAT 10.12 10.2 BYBOX 30 20 km COUNT 7", "GEOSEARCH grid FROMMEMBER p0_0 BYBOX 10 10 km WITHDIST",
		"GEOSEARCH grid FROMMEMBER p3_-2 BYRADIUS 15 km DESC WITHDIST", "GEOSEARCH grid FROMLONLAT 9.7 9.7 BYRADIUS 5 km",
		"GEOSEARCH grid FROMLONLAT 10 10 BYRADIUS 2000 km COUNT 30", "GEOSEARCH grid FROMLONLAT 10 10 BYBOX 60 1 km",
		"GEORADIUS grid 10 10 20 km", "GEORADIUSBYMEMBER grid p1_1 20 km COUNT 12 DESC",
	)},
	{name: "poles-and-antimeridian", steps: steps(
		geoWorld, geoGrid("n", 0, 84, 0.3, 3), geoGrid("e", 179.5, -20, 0.2, 3),
		"GEOSEARCH w FROMLONLAT 180 0 BYRADIUS 100 km WITHDIST", "GEOSEARCH w FROMLONLAT -180 0 BYRADIUS 100 km WITHDIST",
		"GEOSEARCH w FROMLONLAT 179.999 0.2 BYBOX 200 200 km WITHDIST", "GEOSEARCH w FROMMEMBER west BYRADIUS 5 km",
		"GEOSEARCH w FROMMEMBER east BYRADIUS 5000 m WITHDIST", "GEOSEARCH w FROMLONLAT 0 85.05112878 BYRADIUS 100 km WITHDIST",
		"GEOSEARCH w FROMLONLAT 0 85.05112878 BYRADIUS 1000 km WITHDIST", "GEOSEARCH w FROMLONLAT 180 85.05112878 BYRADIUS 1000 km WITHDIST",
		"GEOSEARCH w FROMLONLAT 45 -85.05112878 BYBOX 100 3000 km", "GEOSEARCH w FROMMEMBER top BYRADIUS 20 km WITHDIST",
		"GEOSEARCH w FROMMEMBER bottom BYRADIUS 2000 km WITHDIST", "GEOSEARCH w FROMLONLAT 0 0 BYRADIUS 30 m WITHDIST",
		"GEOSEARCH w FROMLONLAT 0 0 BYRADIUS 20000 km", "GEOSEARCH w FROMLONLAT 0 0 BYRADIUS 20000 km ASC WITHDIST",
		"GEOSEARCH w FROMLONLAT 0 0 BYRADIUS 10000 km DESC", "GEOSEARCH w FROMLONLAT 100 -40 BYBOX 40000 40000 km",
		"GEOSEARCH w FROMLONLAT 100 -40 BYBOX 40000 40000 km WITHDIST ASC", "GEOSEARCH w FROMMEMBER tokyo BYRADIUS 8000 km WITHDIST",
		"GEOSEARCH w FROMMEMBER sydney BYRADIUS 12000 km ASC COUNT 3 WITHDIST", "GEOSEARCH w FROMMEMBER london BYRADIUS 6000 km",
		"GEOSEARCH n FROMLONLAT 0 84 BYRADIUS 50 km", "GEOSEARCH n FROMLONLAT 0.5 84.5 BYRADIUS 100 km",
		"GEOSEARCH n FROMLONLAT 0 84.9 BYBOX 100 100 km WITHDIST", "GEOSEARCH n FROMLONLAT 0 83 BYRADIUS 150 km COUNT 8",
		"GEOSEARCH e FROMLONLAT 180 -20 BYRADIUS 60 km", "GEOSEARCH e FROMLONLAT -179.9 -20.1 BYRADIUS 100 km WITHDIST",
		"GEOSEARCH e FROMLONLAT 179.9 -19.5 BYBOX 150 80 km", "GEOSEARCH e FROMMEMBER p3_3 BYRADIUS 100 km",
	)},
	{name: "transactions-and-watch", steps: steps(
		geoSicily, "WATCH d", "@2 GEOSEARCHSTORE d Sicily FROMLONLAT 15 37 BYRADIUS 200 km", "MULTI", "GET x", "EXEC",
		"WATCH Sicily", "@2 GEOADD Sicily 1 1 Palermo", "MULTI", "GET x", "EXEC",
		"WATCH Sicily", "@2 GEOADD Sicily 1 1 Palermo", "MULTI", "GET x", "EXEC",
		"WATCH d", "@2 GEORADIUS Sicily 0 0 1 m STORE d", "MULTI", "GET x", "EXEC",
		"MULTI", "GEOADD m 1 2 a", "GEOPOS m a", "GEOSEARCHSTORE m2 m FROMMEMBER a BYRADIUS 1 km", "GEOADD m 200 0 b",
		"GEORADIUS m 1 2 1 km STORE m3", "ZRANGE m3 0 -1 WITHSCORES", "EXEC", "MULTI", "GEOSEARCH m FROMMEMBER", "EXEC",
	)},
	{name: "keyspace-events", steps: steps(
		"CONFIG SET notify-keyspace-events KEA", "@2 PSUBSCRIBE __keyevent@*",
		"GEOADD g 10 10 a 11 11 b", "@2 !read", "GEOADD g 10 10 a", "GEOADD g XX 10 10 c", "GEOADD g CH 10 10.5 a", "@2 !read",
		"GEOADD g NX 10 10.7 a", "GEOSEARCHSTORE d g FROMLONLAT 10 10 BYRADIUS 500 km", "@2 !read",
		"GEORADIUS g 10 10 500 km STORE d", "@2 !read", "GEORADIUS g 10 10 500 km STOREDIST d", "@2 !read",
		"GEORADIUSBYMEMBER g a 500 km STORE d", "@2 !read", "GEOSEARCHSTORE d g FROMLONLAT 50 50 BYRADIUS 1 km", "@2 !read",
		"GEOSEARCHSTORE d g FROMLONLAT 50 50 BYRADIUS 1 km", "GEORADIUS nokey 10 10 5 km STORE d2", "SET d2 x", "@2 !read",
		"GEORADIUS nokey 10 10 5 km STORE d2", "@2 !read", "GEOSEARCH g FROMMEMBER a BYRADIUS 500 km", "GEOPOS g a",
		"GEORADIUSBYMEMBER g a 500 km WITHDIST", "GEOADD g 200 0 x", "SET end x", "@2 !read",
	)},
	{name: "stats-and-getkeys", protos: []int{2}, steps: steps(
		geoSicily, "GEOADD Sicily CH 1 1 Palermo 2 2 n1 3 3 n2", "GEOSEARCHSTORE d Sicily FROMLONLAT 15 37 BYRADIUS 200 km",
		"GEORADIUS Sicily 15 37 200 km STOREDIST d", "GEOSEARCHSTORE d Sicily FROMLONLAT 0 0 BYRADIUS 1 m",
		"GEOSEARCHSTORE d nokey FROMLONLAT 0 0 BYRADIUS 1 m", "INFO persistence", "GEOPOS Sicily a", "GEOPOS nokey a",
		"GEODIST nokey a b", "GEOHASH Sicily a", "GEOSEARCH nokey FROMLONLAT 1 2 BYRADIUS 1 km", "GEORADIUSBYMEMBER Sicily n1 1 km",
		"INFO stats",
		"COMMAND GETKEYS GEORADIUS k 1 2 3 m STORE d", "COMMAND GETKEYS GEORADIUS k 1 2 3 m STORE d STOREDIST e",
		"COMMAND GETKEYS GEORADIUS k 1 2 STORE m STORE", "COMMAND GETKEYS GEORADIUS k 1 2 3 STORE",
		"COMMAND GETKEYS GEORADIUS k 1 2 3 m COUNT 3 STORE d", "COMMAND GETKEYS GEORADIUSBYMEMBER k m 3 km STORE d",
		"COMMAND GETKEYS GEORADIUSBYMEMBER k store 3 km store d", "COMMAND GETKEYS GEORADIUSBYMEMBER k m store d",
		"COMMAND GETKEYS GEORADIUS k 1 2 3 m STOREDIST store d", "COMMAND GETKEYS GEORADIUS k 1 2 3 m store d store e",
		"COMMAND GETKEYSANDFLAGS GEORADIUS k 1 2 3 m storedist store d", "COMMAND GETKEYS GEOSEARCHSTORE a b FROMLONLAT 1 2 BYRADIUS 3 km",
		"COMMAND GETKEYSANDFLAGS GEOSEARCHSTORE a b FROMLONLAT 1 2 BYRADIUS 3 km", "COMMAND GETKEYS GEORADIUS_RO k 1 2 3 m STORE d",
		"COMMAND INFO geoadd geodist geohash geopos geosearch geosearchstore georadius georadiusbymember georadius_ro georadiusbymember_ro",
		"COMMAND DOCS geoadd geosearch georadius",
	)},
	{name: "store-destination-locking", steps: steps(
		// The destination written is the last STORE option, not the first
		// one the key specs name: it must still be locked and written.
		geoSicily, "GEORADIUS Sicily 15 37 200 km STORE d1 STORE d2", "EXISTS d1", "ZRANGE d2 0 -1",
		"GEORADIUSBYMEMBER Sicily Palermo 300 km STOREDIST d1 STORE d3 STOREDIST d4", "EXISTS d1 d3", "ZRANGE d4 0 -1",
	)},
}

func TestDiffGeo(t *testing.T) {
	runSequences(t, geoCore)
	var skiplist []sequence
	for _, sq := range geoCore {
		sq.name += "/skiplist"
		sq.args = []string{"--zset-max-listpack-entries", "0"}
		skiplist = append(skiplist, sq)
	}
	runSequences(t, skiplist)
}

// TestDiffGeoRandom drives both servers with seeded random geo commands
// over points all over the world (the poles, the antimeridian, tight
// clusters and repeated positions included), with searches of every shape,
// size, unit and option. PETREL_DIFF_SEED=n replays one seed.
func TestDiffGeoRandom(t *testing.T) {
	type run struct {
		seed  int64
		proto int
		limit string // zset-max-listpack-entries
	}
	runs := []run{{31, 2, "128"}, {32, 3, "16"}, {33, 2, "0"}}
	if v := os.Getenv("PETREL_DIFF_SEED"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			t.Fatalf("PETREL_DIFF_SEED: %v", err)
		}
		runs = []run{{n, 2, "128"}, {n, 3, "0"}}
	} else if !testing.Short() {
		runs = append(runs, run{time.Now().UnixNano() % 1_000_000, 3, "128"})
	}
	budget := 1500
	if testing.Short() {
		budget = 300
	}
	if v := os.Getenv("PETREL_DIFF_COMMANDS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			t.Fatalf("PETREL_DIFF_COMMANDS: %v", err)
		}
		budget = n
	}
	for _, r := range runs {
		seed, proto, limit := r.seed, r.proto, r.limit
		t.Run(fmt.Sprintf("seed=%d/resp%d/entries%s", seed, proto, limit), func(t *testing.T) {
			t.Parallel()
			s := newSession(t, startPair(t, "--zset-max-listpack-entries", limit), proto)
			var first string
			s.onMismatch = func(msg string) {
				if first == "" {
					first = msg
				}
			}
			g := &geoGen{rng: rand.New(rand.NewSource(seed))}
			var history []string
			n := 0
			for n < budget {
				for _, args := range g.next() {
					n++
					st := cmd(args...)
					history = append(history, fmt.Sprintf("%5d  %s", n, st.text))
					s.run([]step{st})
					if first != "" {
						from := max(0, len(history)-30)
						t.Fatalf("seed %d: first difference at command %d; replay with PETREL_DIFF_SEED=%d\n%s\n--- preceding commands ---\n%s",
							seed, n, seed, first, strings.Join(history[from:], "\n"))
					}
				}
			}
		})
	}
}

// geoGen produces geo commands over three keys. Positions come from a
// few regions (anywhere, near a pole, near the antimeridian, a cluster
// around one of a few centers, exactly on a limit); members come from a
// small pool so that positions get updated and repeated.
type geoGen struct {
	rng *rand.Rand
}

func (g *geoGen) pick(list ...string) string { return list[g.rng.Intn(len(list))] }

func (g *geoGen) key() string { return "g" + strconv.Itoa(g.rng.Intn(3)) }

func (g *geoGen) member() string { return "m" + strconv.Itoa(g.rng.Intn(150)) }

func (g *geoGen) uniform(lo, hi float64) float64 { return lo + g.rng.Float64()*(hi-lo) }

var geoCenters = [][2]float64{{13.4, 38.1}, {-0.1, 51.5}, {179.9, -16.5}, {-179.95, 65}, {20, 84.5}, {-60, -84.9}, {0, 0}}

// position returns a longitude and latitude, as text.
func (g *geoGen) position() (string, string) {
	var lon, lat float64
	switch g.rng.Intn(6) {
	case 0:
		lon, lat = g.uniform(-180, 180), g.uniform(-85.05112878, 85.05112878)
	case 1:
		lon, lat = g.uniform(-180, 180), g.uniform(80, 85.05112878)*float64(1-2*g.rng.Intn(2))
	case 2:
		lon, lat = g.uniform(179, 180)*float64(1-2*g.rng.Intn(2)), g.uniform(-85, 85)
	case 3:
		c := geoCenters[g.rng.Intn(len(geoCenters))]
		spread := []float64{0.0001, 0.01, 0.3, 3}[g.rng.Intn(4)]
		lon = max(-180, min(180, c[0]+g.uniform(-spread, spread)))
		lat = max(-85.05112878, min(85.05112878, c[1]+g.uniform(-spread, spread)))
	case 4:
		p := [][2]string{{"180", "0"}, {"-180", "0"}, {"0", "85.05112878"}, {"0", "-85.05112878"}, {"180", "85.05112878"},
			{"-180", "-85.05112878"}, {"13.4", "38.1"}, {"0", "0"}}[g.rng.Intn(8)]
		return p[0], p[1]
	default:
		lon, lat = float64(g.rng.Intn(361)-180), float64(g.rng.Intn(171)-85)
	}
	return strconv.FormatFloat(lon, 'f', -1, 64), strconv.FormatFloat(lat, 'f', -1, 64)
}

// size returns a radius or box side in some unit.
func (g *geoGen) size() (string, string) {
	unit := g.pick("m", "km", "ft", "mi", "KM")
	meters := map[string]float64{"m": 1, "km": 1000, "KM": 1000, "ft": 0.3048, "mi": 1609.34}[unit]
	var m float64
	switch g.rng.Intn(10) {
	case 0:
		return g.pick("0", "inf", "1e300", "-1", "x"), unit
	case 1:
		m = g.uniform(0, 100)
	default:
		m = []float64{1e3, 1e4, 1e5, 5e5, 2e6, 8e6, 2.5e7}[g.rng.Intn(7)] * g.rng.Float64()
	}
	return strconv.FormatFloat(m/meters, 'g', 8, 64), unit
}

// options returns the reply options of a search.
func (g *geoGen) options(store bool) []string {
	var out []string
	if !store {
		for _, o := range []string{"WITHDIST", "WITHCOORD", "WITHHASH"} {
			if g.rng.Intn(3) == 0 {
				out = append(out, o)
			}
		}
	}
	if g.rng.Intn(2) == 0 {
		out = append(out, g.pick("ASC", "DESC"))
	}
	if g.rng.Intn(2) == 0 {
		out = append(out, "COUNT", strconv.Itoa(1+g.rng.Intn(12)))
		if g.rng.Intn(3) == 0 {
			out = append(out, "ANY")
		}
	}
	return out
}

// next returns one or a few commands: a change, a search, or a store and
// the read of what it stored.
func (g *geoGen) next() [][]string {
	k := g.key()
	switch g.rng.Intn(20) {
	case 0, 1, 2, 3, 4:
		a := []string{"GEOADD", k}
		if g.rng.Intn(5) == 0 {
			a = append(a, g.pick("NX", "XX", "CH", "NX CH", "XX CH"))
			a = strings.Fields(strings.Join(a, " "))
		}
		for n := 1 + g.rng.Intn(8); n > 0; n-- {
			lon, lat := g.position()
			a = append(a, lon, lat, g.member())
		}
		return [][]string{a}
	case 5:
		return [][]string{{g.pick("ZREM", "ZSCORE"), k, g.member()}}
	case 6:
		return [][]string{{"GEOPOS", k, g.member(), g.member(), g.member()}, {"GEOHASH", k, g.member(), g.member()}}
	case 7:
		return [][]string{{"GEODIST", k, g.member(), g.member(), g.pick("m", "km", "ft", "mi")}}
	case 8:
		return [][]string{{g.pick("ZCARD", "TYPE", "EXISTS"), k}}
	case 9:
		if g.rng.Intn(4) == 0 {
			return [][]string{{"DEL", k}}
		}
		return [][]string{{"ZRANGE", k, "0", "5", "WITHSCORES"}}
	}
	// A search.
	var from []string
	if g.rng.Intn(2) == 0 {
		from = []string{"FROMMEMBER", g.member()}
	} else {
		lon, lat := g.position()
		from = []string{"FROMLONLAT", lon, lat}
	}
	r, unit := g.size()
	by := []string{"BYRADIUS", r, unit}
	if g.rng.Intn(2) == 0 {
		w, _ := g.size()
		by = []string{"BYBOX", w, r, unit}
	}
	store := g.rng.Intn(4) == 0
	storeDist := store && g.rng.Intn(2) == 0
	// Distances and geohashes go to different keys, so that a failed
	// store never leaves distances where geohashes are read back.
	dst := "dsthash"
	if storeDist {
		dst = "dstdist"
	}
	var a []string
	switch variant := g.rng.Intn(3); {
	case variant == 0 && store:
		a = append(append(append([]string{"GEOSEARCHSTORE", dst, k}, from...), by...), g.options(true)...)
		if storeDist {
			a = append(a, "STOREDIST")
		}
	case variant == 0:
		a = append(append(append([]string{"GEOSEARCH", k}, from...), by...), g.options(false)...)
	case from[0] == "FROMLONLAT":
		a = append([]string{"GEORADIUS", k, from[1], from[2], r, unit}, g.options(store)...)
		if !store && g.rng.Intn(2) == 0 {
			a[0] = "GEORADIUS_RO"
		}
	default:
		a = append([]string{"GEORADIUSBYMEMBER", k, from[1], r, unit}, g.options(store)...)
		if !store && g.rng.Intn(2) == 0 {
			a[0] = "GEORADIUSBYMEMBER_RO"
		}
	}
	if store && a[0] != "GEOSEARCHSTORE" {
		a = append(a, map[bool]string{false: "STORE", true: "STOREDIST"}[storeDist], dst)
	}
	if !store {
		return [][]string{a}
	}
	// A STOREDIST score is a distance, which may differ in its last bit
	// (see the top of the file): read those back without scores.
	read := []string{"ZRANGE", dst, "0", "-1", "WITHSCORES"}
	if storeDist {
		read = read[:4]
	}
	return [][]string{a, read, {"ZCARD", dst}}
}
