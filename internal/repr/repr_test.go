package repr

import "testing"

func TestStringEscapesLikeSdscatrepr(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", `"plain"`},
		{"a b", `"a b"`},
		{"q\"\\", `"q\"\\"`},
		{"\n\r\t\a\b", `"\n\r\t\a\b"`},
		{"\x00\x7f\xff", `"\x00\x7f\xff"`},
		{"", `""`},
	}
	for _, tc := range tests {
		if got := String(tc.in); got != tc.want {
			t.Errorf("String(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}
