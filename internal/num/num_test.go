package num

import (
	"math"
	"strconv"
	"testing"
)

func TestParseIntFollowsString2ll(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true},
		{"12", 12, true},
		{"-12", -12, true},
		{"9223372036854775807", math.MaxInt64, true},
		{"-9223372036854775808", math.MinInt64, true},
		{"9223372036854775808", 0, false},
		{"-9223372036854775809", 0, false},
		{"9999999999999999999", 0, false},
		{"-9999999999999999999", 0, false},
		{"18446744073709551615", 0, false},
		{"18446744073709551616", 0, false},
		{"99999999999999999999", 0, false},
		{"100000000000000000000", 0, false},
		{"-0", 0, false},
		{"+1", 0, false},
		{"01", 0, false},
		{" 1", 0, false},
		{"1 ", 0, false},
		{"", 0, false},
		{"-", 0, false},
		{"1e3", 0, false},
	}
	for _, tc := range tests {
		got, ok := ParseInt([]byte(tc.in))
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("ParseInt(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestParseFloatFollowsRedisStrtodRules(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"1.5", 1.5, true},
		{"-2", -2, true},
		{"1e3", 1000, true},
		{"inf", math.Inf(1), true},
		{"-inf", math.Inf(-1), true},
		{"+inf", math.Inf(1), true},
		{"0x10", 16, true},
		{"0x1p4", 16, true},
		{"nan", 0, false},
		{" 1", 0, false},
		{"1 ", 0, false},
		{"", 0, false},
		{"1e400", 0, false},  // overflow
		{"1e-400", 0, false}, // underflow to zero
		{"1_000", 0, false},
		{"abc", 0, false},
	}
	for _, tc := range tests {
		got, ok := ParseFloat([]byte(tc.in))
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("ParseFloat(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestFormatFloat17MatchesPrintfG17(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{1.1, "1.1000000000000001"},
		{3, "3"},
		{0.5, "0.5"},
		{math.Copysign(0, -1), "-0"},
		{1e20, "1e+20"},
		{1e-5, "1.0000000000000001e-05"},
		{0.0001, "0.0001"},
		{123456789012345678, "1.2345678901234568e+17"},
		{math.Inf(1), "inf"},
		{math.Inf(-1), "-inf"},
	}
	for _, tc := range tests {
		if got := FormatFloat17(tc.in); got != tc.want {
			t.Errorf("FormatFloat17(%v) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

// AppendG spells infinities and NaNs as C's printf does, the sign of a NaN
// included; it once indexed out of range on them.
func TestAppendGSpellsInfinitiesAndNaNs(t *testing.T) {
	for _, tc := range []struct {
		in   float64
		want string
	}{
		{math.Inf(1), "inf"}, {math.Inf(-1), "-inf"},
		{math.NaN(), "nan"}, {math.Copysign(math.NaN(), -1), "-nan"},
		{2.5, "2.5"},
	} {
		if got := string(AppendG(nil, tc.in, 17)); got != tc.want {
			t.Errorf("AppendG(%v, 17) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

// TestDigitOnlyFloatsParseAsStrtodReadsThem pins ParseFloat's digits-only
// fast path to the general parser, bit for bit, including signed zero and
// integers past 2^53 that round.
func TestDigitOnlyFloatsParseAsStrtodReadsThem(t *testing.T) {
	for _, in := range []string{
		"0", "-0", "+0", "7", "+5", "-12", "000000000123", "-000000000123",
		"9007199254740993", "999999999999999999", "-999999999999999999",
		"1234567890123456789", "1e3", "1.5", "inf", "-inf",
	} {
		got, ok := ParseFloat([]byte(in))
		want, err := strconv.ParseFloat(in, 64)
		if !ok || err != nil || math.Float64bits(got) != math.Float64bits(want) {
			t.Errorf("ParseFloat(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "-", "+", "1a", " 1", "1 ", "--1", "0x", "nan"} {
		if v, ok := ParseFloat([]byte(in)); ok {
			t.Errorf("ParseFloat(%q) = %v, want an error", in, v)
		}
	}
}

// BenchmarkParseFloatDigits parses redis-benchmark's zero-padded scores.
func BenchmarkParseFloatDigits(b *testing.B) {
	in := []byte("000000123456")
	for i := 0; i < b.N; i++ {
		if _, ok := ParseFloat(in); !ok {
			b.Fatal("not parsed")
		}
	}
}
