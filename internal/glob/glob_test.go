package glob

import (
	"strings"
	"testing"
	"time"
)

// The expectations below were checked against Redis 7.0.15 (KEYS for the
// case-sensitive matcher, COMMAND LIST FILTERBY PATTERN for the folding one).
func TestMatch(t *testing.T) {
	cases := []struct {
		pattern, s string
		want       bool
	}{
		// literals and the empty cases
		{"", "", true},
		{"", "a", false},
		{"a", "", false},
		{"abc", "abc", true},
		{"abc", "abd", false},
		{"abc", "ab", false},
		{"ab", "abc", false},
		// star
		{"*", "", false}, // as in Redis: the empty string only matches ""
		{"*", "anything", true},
		{"**", "", false},
		{"a*", "a", true},
		{"a*", "abc", true},
		{"a*", "ba", false},
		{"*a", "bba", true},
		{"*a", "ab", false},
		{"a*c", "abbbc", true},
		{"a*c", "abbbd", false},
		{"a**c", "ac", true},
		{"*b*", "abc", true},
		{"*b*", "ac", false},
		{"a*b*c*", "aXbYc", true},
		{"a*b*c*d", "aXbYcZ", false},
		{"h*llo", "hllo", true},
		// question mark
		{"?", "a", true},
		{"?", "", false},
		{"?", "ab", false},
		{"h?llo", "hello", true},
		{"h?llo", "hllo", false},
		{"??*", "a", false},
		{"??*", "ab", true},
		// classes
		{"h[ae]llo", "hello", true},
		{"h[ae]llo", "hallo", true},
		{"h[ae]llo", "hillo", false},
		{"h[^e]llo", "hallo", true},
		{"h[^e]llo", "hello", false},
		{"h[a-b]llo", "hbllo", true},
		{"h[a-b]llo", "hcllo", false},
		{"[b-a]", "a", true}, // reversed range
		{"[z-a]", "m", true},
		{"[z-a]", "A", false},
		{"[^a-c]", "d", true},
		{"[^a-c]", "b", false},
		{"[abc", "b", true}, // unterminated: runs to the end
		{"[abc", "d", false},
		{"[abcx", "bx", false},
		{"[", "a", false},
		{"[^", "a", true},
		{"[]", "a", false},
		{"[]]", "]", false}, // "[]" is an empty class, then a literal ']'
		{"[]a]", "a", false},
		{"[a-]", "]", true}, // 'a'..']' reversed: 0x5d..0x61
		{"[a-]", "^", true},
		{"[a-]", "-", false},
		{"[-a]", "-", true},
		{"[\\]]", "]", true},
		{"[\\-]", "-", true},
		{"[a\\-c]", "b", false},
		{"[\\", "\\", true},
		{"[*]", "*", true},
		{"[*]", "x", false},
		{"[?]", "x", false},
		// escapes
		{"\\*", "*", true},
		{"\\*", "a", false},
		{"\\?", "?", true},
		{"\\[a]", "[a]", true},
		{"a\\", "a\\", true}, // a trailing backslash is literal
		{"\\\\", "\\", true},
		{"*\\*", "abc*", true},
		// star backtracking
		{"*a*a*a*b", "aaaaaaaaab", true},
		{"*a*a*a*b", "aaaaaaaaaa", false},
		{"a*a", "aaa", true},
		// binary and signed-char ranges
		{"\x00*", "\x00abc", true},
		{"[\x80-\xff]", "\x90", true},
		{"[a-\xff]", "\x00", true}, // 0xff is -1 as a C char: -1..'a'
		{"[a-\xff]", "b", false},
		{"[a-\xff]", "\x80", false},
	}
	for _, c := range cases {
		if got := MatchString(c.pattern, c.s, false); got != c.want {
			t.Errorf("MatchString(%q, %q) = %v, want %v", c.pattern, c.s, got, c.want)
		}
		if got := Match([]byte(c.pattern), []byte(c.s), false); got != c.want {
			t.Errorf("Match(%q, %q) = %v, want %v", c.pattern, c.s, got, c.want)
		}
	}
}

func TestMatchNoCase(t *testing.T) {
	cases := []struct {
		pattern, s string
		want       bool
	}{
		{"GET", "get", true},
		{"get", "GET", true},
		{"G?T", "gEt", true},
		{"g*T", "GeT", true},
		{"[G]et", "get", true},
		{"[^G]et", "get", false},
		{"[A-Z]et", "get", true},
		{"[a-z]ET", "GET", true},
		{"[Z-A]", "m", true},
		{"\\G", "g", true},    // escapes outside brackets still fold
		{"[\\G]", "g", false}, // escapes inside brackets compare exactly
		{"[\\g]", "g", true},
		{"GET", "set", false},
		{"[A-z]", "_", false}, // folded to a-z first
	}
	for _, c := range cases {
		if got := MatchString(c.pattern, c.s, true); got != c.want {
			t.Errorf("MatchString(%q, %q, nocase) = %v, want %v", c.pattern, c.s, got, c.want)
		}
	}
	if MatchString("GET", "get", false) {
		t.Error("case-sensitive match folded case")
	}
}

// TestMatchNestingLimit pins Redis's cap on star recursion: a pattern that
// needs more than 1000 nested stars does not match.
func TestMatchNestingLimit(t *testing.T) {
	s := strings.Repeat("a", 1100)
	if !MatchString(strings.Repeat("*a", 1000), s, false) {
		t.Error("1000 stars: want a match")
	}
	if MatchString(strings.Repeat("*a", 1001), s, false) {
		t.Error("1001 stars: want no match past the nesting limit")
	}
}

// TestMatchPathological pins that failing patterns with many stars are cut
// short instead of backtracking exponentially.
func TestMatchPathological(t *testing.T) {
	s := strings.Repeat("a", 5000)
	patterns := []string{
		strings.Repeat("a*", 900) + "b",
		strings.Repeat("*a", 900) + "b",
		strings.Repeat("*?", 900) + "b",
		strings.Repeat("*[a]", 900) + "[b]",
	}
	for _, p := range patterns {
		start := time.Now()
		if MatchString(p, s, false) {
			t.Errorf("pattern of %d bytes matched", len(p))
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("pattern of %d bytes took %v", len(p), d)
		}
	}
}

// FuzzMatch checks that no pattern panics or takes long, and that the two
// entry points agree.
func FuzzMatch(f *testing.F) {
	f.Add("*a*b?[c-d]\\", "aXbYc", false)
	f.Add("[^", "x", true)
	f.Add(strings.Repeat("*a", 50)+"b", strings.Repeat("a", 200), false)
	f.Add("[\\", "\\", true)
	f.Fuzz(func(t *testing.T, pattern, s string, nocase bool) {
		start := time.Now()
		got := MatchString(pattern, s, nocase)
		if d := time.Since(start); d > time.Second {
			t.Fatalf("MatchString(%q, %q) took %v", pattern, s, d)
		}
		if Match([]byte(pattern), []byte(s), nocase) != got {
			t.Fatalf("Match and MatchString disagree on %q, %q", pattern, s)
		}
		if pattern == "*" && s != "" && !got {
			t.Fatal(`"*" must match every non-empty string`)
		}
		if pattern == s && !strings.ContainsAny(pattern, "*?[\\") && !got {
			t.Fatalf("literal %q must match itself", pattern)
		}
	})
}
