// Package glob matches strings against Redis's glob-style patterns, with the
// exact semantics of Redis's stringmatchlen (KEYS, SCAN MATCH, CONFIG GET,
// PSUBSCRIBE...):
//
//   - "*" matches any sequence of bytes, including none;
//   - "?" matches any one byte;
//   - "[abc]" matches one byte of the set, "[^abc]" one byte not in it;
//   - "[a-z]" is a range, which may also be written reversed ("[z-a]");
//   - "\x" matches the byte x itself, in and out of brackets.
//
// An unterminated bracket runs to the end of the pattern. The empty string
// matches only the empty pattern, not even "*" (KEYS and SCAN special-case a
// lone "*" before matching). Range bounds compare as C's signed char, and
// the case-insensitive variant folds ASCII letters only, so results match
// Redis even for binary patterns.
//
// Matching is bounded: a failed match of the pattern's tail after a '*'
// stops the search for longer matches of earlier stars, so the work stays
// near len(pattern)*len(s), and recursion through stars stops at
// a depth of 1000, past which the pattern does not match, as in Redis.
package glob

// maxNesting is how deep stars may recurse before a match is abandoned.
const maxNesting = 1000

// Match reports whether s matches pattern. nocase folds ASCII letters.
func Match(pattern, s []byte, nocase bool) bool {
	skip := false
	return match(pattern, s, nocase, &skip, 0)
}

// MatchString is Match for strings.
func MatchString(pattern, s string, nocase bool) bool {
	skip := false
	return match(pattern, s, nocase, &skip, 0)
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// signed widens a byte as C's signed char does, which decides how ranges
// with bytes of 0x80 and above behave.
func signed(c byte) int { return int(int8(c)) }

func match[T ~string | ~[]byte](p, s T, nocase bool, skipLonger *bool, nesting int) bool {
	if nesting > maxNesting {
		return false
	}
	for len(p) > 0 && len(s) > 0 {
		switch p[0] {
		case '*':
			for len(p) >= 2 && p[1] == '*' {
				p = p[1:]
			}
			if len(p) == 1 {
				return true
			}
			for len(s) > 0 {
				if match(p[1:], s, nocase, skipLonger, nesting+1) {
					return true
				}
				if *skipLonger {
					return false
				}
				s = s[1:]
			}
			// The rest of the pattern matched nowhere in the rest of s, so
			// no earlier star can succeed by swallowing more of it.
			*skipLonger = true
			return false
		case '?':
			p = p[1:]
		case '[':
			var ok bool
			if p, ok = matchClass(p[1:], s[0], nocase); !ok {
				return false
			}
		default:
			if p[0] == '\\' && len(p) >= 2 {
				p = p[1:]
			}
			if nocase {
				if lower(p[0]) != lower(s[0]) {
					return false
				}
			} else if p[0] != s[0] {
				return false
			}
			p = p[1:]
		}
		s = s[1:]
		if len(s) == 0 {
			for len(p) > 0 && p[0] == '*' {
				p = p[1:]
			}
			break
		}
	}
	return len(p) == 0 && len(s) == 0
}

// matchClass matches c against the bracket expression that p starts just
// after '['. It returns the pattern after the closing ']'; an unterminated
// bracket takes the rest of the pattern.
func matchClass[T ~string | ~[]byte](p T, c byte, nocase bool) (T, bool) {
	not := len(p) > 0 && p[0] == '^'
	if not {
		p = p[1:]
	}
	hit := false
	for len(p) > 0 && p[0] != ']' {
		switch {
		case p[0] == '\\' && len(p) >= 2:
			// An escaped byte compares exactly, even when folding case.
			p = p[1:]
			if p[0] == c {
				hit = true
			}
		case len(p) >= 3 && p[1] == '-':
			lo, hi, x := signed(p[0]), signed(p[2]), signed(c)
			if lo > hi {
				lo, hi = hi, lo
			}
			if nocase {
				lo, hi, x = lowerInt(lo), lowerInt(hi), lowerInt(x)
			}
			p = p[2:]
			if x >= lo && x <= hi {
				hit = true
			}
		case nocase:
			if lower(p[0]) == lower(c) {
				hit = true
			}
		default:
			if p[0] == c {
				hit = true
			}
		}
		p = p[1:]
	}
	if len(p) > 0 {
		p = p[1:] // the closing ']'
	}
	return p, hit != not
}

func lowerInt(c int) int {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
