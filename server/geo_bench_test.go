package server

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"petrel/internal/geohash"
	"petrel/types"
)

// BenchmarkGeoSearch measures searches among 100k points, about 8000 of
// them in the cells scanned.
func BenchmarkGeoSearch(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 7))
	z := types.NewZSet(true)
	lim := types.ZLimits{MaxEntries: 128, MaxValue: 64}
	for i := 0; i < 100000; i++ {
		lon, lat := -10+rng.Float64()*30, 35+rng.Float64()*25
		z.Add(float64(geohash.Encode(lon, lat)), []byte("m"+strconv.Itoa(i)), 0, lim)
	}
	b.Run("count", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			sh := geohash.Shape{Lon: 5, Lat: 47, Radius: 200, Conversion: 1000}
			geoSortPoints(geoMembersWithin(z, &sh, 0, true), 10, false)
		}
	})
	b.Run("members", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			sh := geohash.Shape{Lon: 5, Lat: 47, Radius: 200, Conversion: 1000}
			geoMembersWithin(z, &sh, 0, false)
		}
	})
	b.Run("box", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			sh := geohash.Shape{Lon: 5, Lat: 47, Box: true, Width: 400, Height: 300, Conversion: 1000}
			geoMembersWithin(z, &sh, 0, false)
		}
	})
}
