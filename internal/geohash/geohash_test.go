package geohash

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// The expected values below were captured from Redis 7.0.15 (GEOADD, then
// ZSCORE, GEOPOS, GEOHASH and GEODIST), except the trigonometric ones,
// computed with 300-bit arithmetic (mpmath) and rounded once.

var redisPoints = []struct {
	lon, lat float64
	score    float64
	posLon   string
	posLat   string
	hash     string
}{
	{13.361389, 38.115556, 3479099956230698, "13.36138933897018433", "38.11555639549629859", "sqc8b49rny0"},
	{15.087269, 37.502669, 3479447370796909, "15.08726745843887329", "37.50266842333162032", "sqdtr74hyu0"},
	{-180, -85.05112878, 0, "-179.99999731779098511", "-85.05112751263942528", "00bh0hbj200"},
	{180, 85.05112878, 13510798882111488, "180", "85.0511287799999991", "bp05b5048p0"},
	{180, 0, 10133099161583616, "180", "0.00000126736058093", "80000000000"},
	{0, 85.05112878, 6755399441055744, "0.00000268220901489", "85.0511287799999991", "up05b5048p0"},
	{math.Copysign(0, -1), math.Copysign(0, -1), 3377699720527872, "0.00000268220901489", "0.00000126736058093", "s0000000000"},
	{179.99999, 1, 4128385558883304, "179.99999195337295532", "0.99999945914297683", "xbpvxypcrv0"},
	{-73.985656, 40.748433, 1791875672649880, "-73.98565381765365601", "40.74843209700949132", "dr5ru6j2c60"},
	{151.2093, -33.8688, 3252046221964352, "151.20929986238479614", "-33.86880091934155956", "r3gx2f77bj0"},
	{0.0001, 0.0001, 3377699720529437, "0.00009924173355103", "0.00010012148579364", "s0000000d60"},
	{-0.0001, -0.0001, 1125899906841058, "-0.00009924173355103", "-0.00010012148579364", "7zzzzzzzmt0"},
	{45, -84.99, 2392537592759568, "45.00000268220901489", "-84.99000017716079469", "j0bh8001250"},
	{-179.99999, -60.5, 71491077358658, "-179.99999195337295532", "-60.50000086320581261", "0j0pb421bn0"},
}

func TestEncodeDecodeAndStringMatchRedis(t *testing.T) {
	for _, p := range redisPoints {
		score := float64(Encode(p.lon, p.lat))
		if score != p.score {
			t.Errorf("Encode(%v, %v) = %.17g, want %.17g", p.lon, p.lat, score, p.score)
			continue
		}
		lon, lat := Decode(score)
		if got := string(AppendCoord(nil, lon)); got != p.posLon {
			t.Errorf("(%v, %v): longitude %s, want %s", p.lon, p.lat, got, p.posLon)
		}
		if got := string(AppendCoord(nil, lat)); got != p.posLat {
			t.Errorf("(%v, %v): latitude %s, want %s", p.lon, p.lat, got, p.posLat)
		}
		if h := String(score); string(h[:]) != p.hash {
			t.Errorf("(%v, %v): geohash %s, want %s", p.lon, p.lat, h, p.hash)
		}
	}
}

func TestDistanceMatchesRedis(t *testing.T) {
	tests := []struct {
		a, b       int
		meters, mi string
	}{
		{0, 1, "166274.1516", "103.3182"},
		{2, 3, "18919844.5891", "11756.2756"},
		{4, 7, "111226.0989", "69.1129"},
		{8, 9, "15995249.9143", "9939.0122"},
		{10, 11, "31.3597", "0.0195"},
		{12, 13, "3694361.4703", "2295.5755"},
		{0, 0, "0.0000", "0.0000"},
		{3, 5, "1100889.2700", "684.0626"},
	}
	for _, tc := range tests {
		lon1, lat1 := Decode(redisPoints[tc.a].score)
		lon2, lat2 := Decode(redisPoints[tc.b].score)
		d := Distance(lon1, lat1, lon2, lat2)
		if got := string(AppendDistance(nil, d)); got != tc.meters {
			t.Errorf("points %d-%d: %s m, want %s", tc.a, tc.b, got, tc.meters)
		}
		if got := string(AppendDistance(nil, d/1609.34)); got != tc.mi {
			t.Errorf("points %d-%d: %s mi, want %s", tc.a, tc.b, got, tc.mi)
		}
	}
	// Two positions on one meridian take Redis's latitude-only shortcut,
	// which this pair tells from the full haversine formula in the
	// fourth decimal.
	lon1, lat1 := Decode(float64(Encode(10, -37.60844423168614)))
	lon2, lat2 := Decode(float64(Encode(10, 44.20531833968377)))
	if got := string(AppendDistance(nil, Distance(lon1, lat1, lon2, lat2))); got != "9099842.1073" {
		t.Errorf("same meridian: %s, want 9099842.1073", got)
	}
}

// TestScoreBitsFollowsX86Cast: any score decodes to some position, as in
// Redis, through C's double to uint64 conversion on x86-64.
func TestScoreBitsFollowsX86Cast(t *testing.T) {
	tests := []struct {
		score float64
		want  uint64
	}{
		{0, 0}, {1.5, 1}, {-0.5, 0}, {-1, math.MaxUint64}, {1e19, 0x8ac7230489e80000},
		{1e20, 0}, {math.Inf(1), 0}, {math.Inf(-1), 1 << 63}, {-1e19, 1 << 63}, {math.NaN(), 0},
		{0x1p63, 1 << 63}, {0x1p62, 1 << 62},
	}
	for _, tc := range tests {
		if got := ScoreBits(tc.score); got != tc.want {
			t.Errorf("ScoreBits(%v) = %#x, want %#x", tc.score, got, tc.want)
		}
	}
	// Redis's GEOPOS of such scores: wrapped 32-bit cell arithmetic, then
	// clamping.
	for _, tc := range []struct {
		score    float64
		lon, lat string
	}{
		{-1, "180", "85.0511287799999991"},
		{math.Inf(-1), "180", "-85.05112751263942528"},
		{1.5, "-179.99999731779098511", "-85.05112497791824921"},
		{9007199254740993, "180", "-85.05112751263942528"},
	} {
		lon, lat := Decode(tc.score)
		if got := string(AppendCoord(nil, lon)) + " " + string(AppendCoord(nil, lat)); got != tc.lon+" "+tc.lat {
			t.Errorf("Decode(%v) = %s, want %s %s", tc.score, got, tc.lon, tc.lat)
		}
	}
}

func TestAppendDistanceRoundsTheScaledValueToEven(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{0, "0.0000"},
		{math.Copysign(0, -1), "0.0000"},
		{0.00004, "0.0000"},
		{0.00006, "0.0001"},
		{0.00005, "0.0000"}, // 0.5 after scaling: to even
		{0.00025, "0.0002"},
		{1.5, "1.5000"},
		{166274.15164, "166274.1516"},
		// 12140191.461850000545...: "%.4f" would print ...4619, but the
		// scaled double is exactly ...618.5, which rounds to even.
		{3700330.3575718803 / 0.3048, "12140191.4618"},
		{math.NaN(), "-922337203685477.5808"},
		{1e300, "-922337203685477.5808"},
	}
	for _, tc := range tests {
		if got := string(AppendDistance(nil, tc.v)); got != tc.want {
			t.Errorf("AppendDistance(%v) = %s, want %s", tc.v, got, tc.want)
		}
	}
}

func TestAppendCoordAndCFloat(t *testing.T) {
	for _, tc := range []struct {
		v          float64
		coord, cfl string
	}{
		{180, "180", "180.000000"},
		{-0.5, "-0.5", "-0.500000"},
		{math.Copysign(0, -1), "0", "-0.000000"},
		{0.1, "0.10000000000000001", "0.100000"},
		{math.Inf(1), "inf", "inf"},
		{math.Inf(-1), "-inf", "-inf"},
		{1e-20, "0", "0.000000"},
	} {
		if got := string(AppendCoord(nil, tc.v)); got != tc.coord {
			t.Errorf("AppendCoord(%v) = %s, want %s", tc.v, got, tc.coord)
		}
		if got := string(AppendCFloat(nil, tc.v)); got != tc.cfl {
			t.Errorf("AppendCFloat(%v) = %s, want %s", tc.v, got, tc.cfl)
		}
	}
}

func TestTrigIsCorrectlyRounded(t *testing.T) {
	for _, tc := range []struct{ x, sin, cos float64 }{
		{0x1.56e1fc2f8f359p-997, 0x1.56e1fc2f8f359p-997, 0x1.0000000000000p+0},
		{0x1.5798ee2308c3ap-27, 0x1.5798ee2308c3ap-27, 0x1.0000000000000p+0},
		{0x1.999999999999ap-4, 0x1.98eaecb8bcb2cp-4, 0x1.fd712f9a817c1p-1},
		{0x1.0000000000000p-1, 0x1.eaee8744b05f0p-2, 0x1.c1528065b7d50p-1},
		{0x1.921fb54442d18p-1, 0x1.6a09e667f3bccp-1, 0x1.6a09e667f3bcdp-1},
		{0x1.be425aee631f9p-1, 0x1.87dd395cbd424p-1, 0x1.49864e4198a15p-1},
		{0x1.0000000000000p+0, 0x1.aed548f090ceep-1, 0x1.14a280fb5068cp-1},
		{0x1.7c031862362b8p+0, 0x1.fe175fa292810p-1, 0x1.61593b3e09a33p-4},
		{0x1.921fb54442d18p+0, 0x1.0000000000000p+0, 0x1.1a62633145c07p-54},
		{0x1.4000000000000p+1, 0x1.326af0dcfcab1p-1, -0x1.9a2f7ef858b7dp-1},
		{0x1.921fb54442d18p+1, 0x1.1a62633145c07p-53, -0x1.0000000000000p+0},
		{-0x1.3333333333333p-2, -0x1.2e9cd95baba33p-2, 0x1.e921dd42f09bap-1},
		// sin is within 2^-70 of a rounding boundary here: the table
		// path cannot decide and the full series must.
		{0x1.be37f9c2a5d80p-1, 0x1.87d68b1e8074bp-1, 0x1.498e3fe144ed2p-1},
	} {
		if got := Sin(tc.x); got != tc.sin {
			t.Errorf("Sin(%x) = %x, want %x", tc.x, got, tc.sin)
		}
		if got := Cos(tc.x); got != tc.cos {
			t.Errorf("Cos(%x) = %x, want %x", tc.x, got, tc.cos)
		}
	}
	for _, tc := range []struct{ x, asin float64 }{
		{0x1.56e1fc2f8f359p-997, 0x1.56e1fc2f8f359p-997},
		{0x1.12e0be826d695p-30, 0x1.12e0be826d695p-30},
		{0x1.999999999999ap-4, 0x1.9a49276037884p-4},
		{0x1.0000000000000p-1, 0x1.0c152382d7366p-1},
		{0x1.6a09e667f3bcdp-1, 0x1.921fb54442d19p-1},
		{0x1.ccccccccccccdp-1, 0x1.1ea93705fa172p+0},
		{0x1.ffffde7210be9p-1, 0x1.91c306b2c13adp+0},
		{0x1.fffffffffe000p-1, 0x1.921f9ea3a46b0p+0},
		{0x1.ffffffffffffep-1, 0x1.921fb4e9c057fp+0},
		{0x1.8bdc9ce199915p-1, 0x1.c48420a024223p-1},
		{1, 0x1.921fb54442d18p+0},
		{0, 0},
	} {
		if got := Asin(tc.x); got != tc.asin {
			t.Errorf("Asin(%x) = %x, want %x", tc.x, got, tc.asin)
		}
	}
	if got := Asin(1 + 0x1p-52); !math.IsNaN(got) || !math.Signbit(got) {
		t.Errorf("Asin(1+ulp) = %v, want glibc's -nan", got)
	}
}

// TestTrigFastPathAgreesWithFullSeries: whenever the table path decides
// a rounding, the full double-double series agrees with it.
func TestTrigFastPathAgreesWithFullSeries(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	undecided := 0
	const n = 200000
	for i := 0; i < n; i++ {
		x := (rng.Float64()*2 - 1) * 3.3
		if i%4 == 0 {
			x = (rng.Float64()*2 - 1) * 0x1p-6
		}
		for _, cos := range []bool{false, true} {
			v, e := sinCos(x, cos, true)
			y, ok := rounded(v, e)
			if !ok {
				undecided++
				continue
			}
			if w, _ := sinCos(x, cos, false); y != w.Hi {
				t.Fatalf("x=%x cos=%v: table path %x, series %x", x, cos, y, w.Hi)
			}
		}
	}
	if undecided > n/50 {
		t.Errorf("the table path left %d of %d roundings undecided", undecided, 2*n)
	}
}

// TestHugeSearchesCoverTheWorldOnce: at the coarsest step the neighbours
// wrap onto each other; the cells scanned must still cover every score
// once.
func TestHugeSearchesCoverTheWorldOnce(t *testing.T) {
	for _, sh := range []Shape{
		{Lon: 0, Lat: 0, Radius: 2e7, Conversion: 1},
		{Lon: 179.9, Lat: 85, Radius: 1e7, Conversion: 1},
		{Lon: -120, Lat: -40, Box: true, Width: 4e4, Height: 4e4, Conversion: 1000},
		{Lon: 10, Lat: 10, Radius: math.Inf(1), Conversion: 1},
	} {
		cells := sh.Cells(nil)
		total := 0.0
		for i, c := range cells {
			total += c.Max - c.Min
			for _, o := range cells[:i] {
				if c.Min < o.Max && o.Min < c.Max {
					t.Errorf("%+v: cells %v and %v overlap", sh, c, o)
				}
			}
		}
		if total != 0x1p52 {
			t.Errorf("%+v: cells cover %v scores, want 2^52", sh, strconv.FormatFloat(total, 'g', -1, 64))
		}
	}
}

func BenchmarkDistance(b *testing.B) {
	x := 0.0
	for i := 0; i < b.N; i++ {
		x += Distance(13.36+float64(i&1023)*1e-4, 38.11, 15.08, 37.5)
	}
	_ = x
}

// TestRoughTestsNeverChangeTheAnswer compares Within and Contains with
// Redis's plain definition, on random shapes and on positions placed right
// at their edge and near the antipode.
func TestRoughTestsNeverChangeTheAnswer(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	// nudge returns x, or the double just below or above it.
	nudge := func(x float64) float64 {
		switch rng.IntN(3) {
		case 0:
			return math.Nextafter(x, math.Inf(-1))
		case 1:
			return math.Nextafter(x, math.Inf(1))
		}
		return x
	}
	pos := func() (float64, float64) {
		return Decode(float64(Encode(rng.Float64()*360-180, (rng.Float64()*2-1)*LatMax)))
	}
	for round := 0; round < 20000; round++ {
		clon, clat := rng.Float64()*360-180, (rng.Float64()*2-1)*LatMax
		lon, lat := pos()
		if round%5 == 0 { // near the antipode
			lon, lat = Decode(float64(Encode(math.Remainder(clon+180, 360)+rng.Float64()*1e-3, -clat)))
		}
		size := math.Pow(10, rng.Float64()*7.5)
		conv := []float64{1, 1000, 0.3048, 1609.34}[rng.IntN(4)]
		s := Shape{Lon: clon, Lat: clat, Conversion: conv}
		d := Distance(clon, clat, lon, lat)
		along := Distance(lon, lat, clon, lat)
		switch rng.IntN(4) {
		case 0:
			s.Radius = size / conv
		case 1: // the position on the edge, give or take a rounding
			s.Radius = nudge(d / conv)
		case 2:
			s.Box, s.Width, s.Height = true, size/conv, size*rng.Float64()*2/conv
		default:
			s.Box, s.Width, s.Height = true, nudge(2*along/conv), size/conv
		}
		var want bool
		if s.Box {
			want = !(LatDistance(lat, clat) > s.Height*conv/2) && !(along > s.Width*conv/2)
		} else {
			want = !(d > s.Radius*conv)
		}
		if got := s.Within(lon, lat); got != want {
			t.Fatalf("%+v: Within(%v, %v) = %v, want %v (distance %v)", s, lon, lat, got, want, d)
		}
		gotD, got := s.Contains(lon, lat)
		if got != want || (got && math.Float64bits(gotD) != math.Float64bits(d)) {
			t.Fatalf("%+v: Contains(%v, %v) = %v, %v; want %v, %v", s, lon, lat, gotD, got, d, want)
		}
	}
}
