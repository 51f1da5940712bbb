package geohash

import "math"

// Shape is the area of a GEOSEARCH or GEORADIUS query: a circle of Radius
// or a Width x Height box around (Lon, Lat). Sizes are in the query's unit;
// Conversion is the unit in meters.
type Shape struct {
	Lon, Lat      float64
	Box           bool
	Radius        float64
	Width, Height float64
	Conversion    float64

	// Computed once per search (prepare): the center's terms of the
	// distance formula, and the bounds of the rough tests.
	ready          bool
	lonRad, latRad float64
	cosLat         float64
	hOut, hIn      float64 // haversine bounds: surely outside, surely inside
}

// bounds returns the longitude and latitude limits of the shape
// (approximately: the box's sides are arcs of meridians and parallels).
func (s *Shape) bounds() (minLon, minLat, maxLon, maxLat float64) {
	var height, width float64
	if s.Box {
		height = s.Conversion * (s.Height / 2)
		width = s.Conversion * (s.Width / 2)
	} else {
		height = s.Conversion * s.Radius
		width = s.Conversion * s.Radius
	}
	latDelta := radDeg(height / EarthRadius)
	lonDeltaTop := radDeg(width / EarthRadius / Cos(degRad(s.Lat+latDelta)))
	lonDeltaBottom := radDeg(width / EarthRadius / Cos(degRad(s.Lat-latDelta)))
	// Meridians converge toward the pole: the widest edge is the one
	// nearer the equator.
	if s.Lat < 0 {
		minLon, maxLon = s.Lon-lonDeltaBottom, s.Lon+lonDeltaBottom
	} else {
		minLon, maxLon = s.Lon-lonDeltaTop, s.Lon+lonDeltaTop
	}
	return minLon, s.Lat - latDelta, maxLon, s.Lat + latDelta
}

// estimateStep picks the grid step of a search of rangeMeters around
// latitude lat: about the finest whose cells still span the range, one or
// two steps coarser toward the poles, where cells narrow.
func estimateStep(rangeMeters, lat float64) uint8 {
	if rangeMeters == 0 {
		return StepMax
	}
	step := 1
	for rangeMeters < mercatorMax {
		rangeMeters *= 2
		step++
	}
	step -= 2
	if lat > 66 || lat < -66 {
		step--
		if lat > 80 || lat < -80 {
			step--
		}
	}
	return uint8(min(max(step, 1), StepMax))
}

// Cell is a score interval [Min, Max) to scan.
type Cell struct{ Min, Max float64 }

// Cells returns the score intervals a search of s scans, in Redis's
// order: the cell around the center, then its neighbours north, south,
// east, west, north-east, north-west, south-east and south-west, without
// the neighbours the shape cannot reach and without a neighbour equal to
// the one scanned just before it (huge radii wrap the grid around). The
// members found and their order follow from scanning the intervals in
// this order, each by ascending score.
func (s *Shape) Cells(dst []Cell) []Cell {
	minLon, minLat, maxLon, maxLat := s.bounds()
	radius := s.Radius
	if s.Box {
		w, h := s.Width/2, s.Height/2
		radius = math.Sqrt(float64(w*w) + float64(h*h))
	}
	radius *= s.Conversion

	step := estimateStep(radius, s.Lat)
	center, _ := encode(lonRange, latRange, s.Lon, s.Lat, step)
	area := decode(lonRange, latRange, center)

	// The estimated step is too fine when a side neighbour does not reach
	// the shape's edge: then one step coarser.
	north := decode(lonRange, latRange, center.move(0, 1))
	south := decode(lonRange, latRange, center.move(0, -1))
	east := decode(lonRange, latRange, center.move(1, 0))
	west := decode(lonRange, latRange, center.move(-1, 0))
	if step > 1 && (north.Lat.Max < maxLat || south.Lat.Min > minLat ||
		east.Lon.Max < maxLon || west.Lon.Min > minLon) {
		step--
		center, _ = encode(lonRange, latRange, s.Lon, s.Lat, step)
		area = decode(lonRange, latRange, center)
	}

	cells := [9]Hash{
		center,
		center.move(0, 1),   // north
		center.move(0, -1),  // south
		center.move(1, 0),   // east
		center.move(-1, 0),  // west
		center.move(1, 1),   // north-east
		center.move(-1, 1),  // north-west
		center.move(1, -1),  // south-east
		center.move(-1, -1), // south-west
	}
	// Neighbours on a side the center cell already covers are useless.
	if step >= 2 {
		if area.Lat.Min < minLat {
			cells[2], cells[7], cells[8] = Hash{}, Hash{}, Hash{}
		}
		if area.Lat.Max > maxLat {
			cells[1], cells[5], cells[6] = Hash{}, Hash{}, Hash{}
		}
		if area.Lon.Min < minLon {
			cells[4], cells[8], cells[6] = Hash{}, Hash{}, Hash{}
		}
		if area.Lon.Max > maxLon {
			cells[3], cells[7], cells[5] = Hash{}, Hash{}, Hash{}
		}
	}
	last := 0
	for i, h := range cells {
		if h.zero() {
			continue
		}
		// Redis compares with the previous scanned neighbour, never with
		// the center: a neighbour equal to the center is scanned twice.
		if last != 0 && h == cells[last] {
			continue
		}
		next := h
		next.Bits++
		dst = append(dst, Cell{Min: float64(h.align52()), Max: float64(next.align52())})
		last = i
	}
	return dst
}

// The exact distance needs correctly rounded trigonometry, several times
// slower than the math package's. Most positions in the cells scanned are
// far from the shape's edge, where a rough distance, from the math
// package, settles whether they are in; the exact one is computed only
// near the edge, or when the distance itself is wanted. The rough tests
// keep a metre of margin (plus 2^-30 of the size), far more than the
// rough and exact formulas can differ anywhere but near the antipode,
// which is left to the exact formula.

// sizeToHaversine returns sin(size/2R)^2, the haversine term a at which
// the distance is size, or -1 (no bound) beyond the antipode's reach.
func sizeToHaversine(size float64) float64 {
	t := size / (2 * EarthRadius)
	if !(t > 0) || t > math.Pi/2-1e-3 {
		return -1
	}
	st := math.Sin(t)
	return st * st
}

// prepare computes what every position's test shares.
func (s *Shape) prepare() {
	s.lonRad, s.latRad = degRad(s.Lon), degRad(s.Lat)
	s.cosLat = Cos(s.latRad)
	limit := s.Radius * s.Conversion
	if s.Box {
		limit = s.Width * s.Conversion / 2
	}
	s.hOut = sizeToHaversine(limit*(1+0x1p-30) + 1)
	s.hIn = sizeToHaversine(limit*(1-0x1p-30) - 1)
	s.ready = true
}

// roughHaversine is the haversine term a of the distance from the center
// (from (lon, lat) along its parallel, for a box), from the math package.
func (s *Shape) roughHaversine(lon, lat float64) float64 {
	latRad := degRad(lat)
	v := math.Sin((degRad(lon) - s.lonRad) / 2)
	if s.Box {
		c := math.Cos(latRad) * v
		return c * c
	}
	u := math.Sin((latRad - s.latRad) / 2)
	return u*u + s.cosLat*math.Cos(latRad)*v*v
}

// roughly classifies a position: -1 surely outside the shape, 1 surely
// inside, 0 too near the edge (or the antipode) to tell.
func (s *Shape) roughly(lon, lat float64) int {
	a := s.roughHaversine(lon, lat)
	switch {
	case a > 1-0x1p-20:
		// Near the antipode the exact formula can round a above 1 and
		// make the distance NaN, which Redis counts as within.
		return 0
	case s.hOut >= 0 && a > s.hOut:
		return -1
	case a < s.hIn:
		return 1
	}
	return 0
}

// distanceFromCenter is Distance(s.Lon, s.Lat, lon, lat), bit for bit,
// with the center's terms computed once.
func (s *Shape) distanceFromCenter(lon, lat float64) float64 {
	lonRad := degRad(lon)
	v := Sin((lonRad - s.lonRad) / 2)
	if v == 0 {
		return LatDistance(s.Lat, lat)
	}
	latRad := degRad(lat)
	u := Sin((latRad - s.latRad) / 2)
	a := float64(u*u) + float64(float64(float64(s.cosLat*Cos(latRad))*v)*v)
	return 2.0 * EarthRadius * Asin(math.Sqrt(a))
}

// Within reports whether the position (lon, lat) is within the shape,
// exactly as Redis decides it.
func (s *Shape) Within(lon, lat float64) bool {
	if !s.ready {
		s.prepare()
	}
	if s.Box && LatDistance(lat, s.Lat) > s.Height*s.Conversion/2 {
		return false
	}
	switch s.roughly(lon, lat) {
	case -1:
		return false
	case 1:
		return true
	}
	if s.Box {
		return !(Distance(lon, lat, s.Lon, lat) > s.Width*s.Conversion/2)
	}
	return !(s.distanceFromCenter(lon, lat) > s.Radius*s.Conversion)
}

// Contains reports whether the position (lon, lat) is within the shape,
// and its distance in meters from the center.
func (s *Shape) Contains(lon, lat float64) (float64, bool) {
	if !s.ready {
		s.prepare()
	}
	if !s.Box {
		if s.roughly(lon, lat) < 0 {
			return 0, false
		}
		d := s.distanceFromCenter(lon, lat)
		return d, !(d > s.Radius*s.Conversion)
	}
	if !s.Within(lon, lat) {
		return 0, false
	}
	return s.distanceFromCenter(lon, lat), true
}
