package freetext

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		fault Fault
		r     rune
		at    int
	}{
		{"empty: no text", "", 0, 0, 0},
		{"Latin", "Solar fish drying", 0, 0, 0},
		{"Arabic with a mark", "تثمين الطحالب\u200f 2025", 0, 0, 0},
		{"joiners inside words", "می\u200cخواهم 👨\u200d👩", 0, 0, 0},
		{"spaces around", "  x  ", 0, 0, 0},
		{"escape sequence", "P1\x1b[2J\x1b[HFAKE: P2 WINS", Control, 0x1b, 2},
		{"NUL", "a\x00b", Control, 0, 1},
		{"tab", "a\tb", Control, '\t', 1},
		{"line feed", "a\nb", Control, '\n', 1},
		{"C1 CSI", "a\u009b2J", Control, 0x9b, 1},
		{"DEL", "a\x7f", Control, 0x7f, 1},
		{"right-to-left override", "abc\u202edcb", Bidi, 0x202e, 3},
		{"isolate", "\u2066x\u2069", Bidi, 0x2066, 0},
		{"only spaces", "   ", Blank, 0, 0},
		{"only no-break and ideographic spaces", "\u00a0\u3000", Blank, 0, 0},
		{"only zero-width characters", "\u200b\u200c\u200d\u2060\ufeff", Blank, 0, 0},
		{"only marks and fillers", "\u200e\u200f\u3164\u2800", Blank, 0, 0},
		{"invalid UTF-8", "ab\xffc", InvalidUTF8, utf8.RuneError, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fault, r, at := Check(tt.text)
			require.Equal(t, tt.fault, fault)
			require.Equal(t, tt.r, r)
			require.Equal(t, tt.at, at)
		})
	}
}

func TestName(t *testing.T) {
	require.Equal(t, "U+001B ESCAPE", Name(0x1b))
	require.Equal(t, "U+202E RIGHT-TO-LEFT OVERRIDE", Name(0x202e))
	require.Equal(t, "U+0001", Name(1))
}

func TestVisible(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Solar fish drying", "Solar fish drying"},
		{"تثمين الطحالب", "تثمين الطحالب"},
		{"P1\x1b[2J\x1b[HFAKE: P2 WINS", `P1\x1b[2J\x1b[HFAKE: P2 WINS`},
		{"a\x00b\tc\nd\re", `a\x00b\tc\nd\re`},
		{"abc\u202edcb", `abc\u202edcb`},
		{"\u200b\u200f\ufeff", `\u200b\u200f\ufeff`},
		{"soft\u00adhyphen, NEL\u0085", `soft\u00adhyphen, NEL\u0085`},
		{"tag \U000e0041", `tag \U000e0041`},
		{"ab\xffc", `ab\xffc`},
		{`back\slash \x1b`, `back\slash \x1b`},
		{"no-break\u00a0space", "no-break\u00a0space"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, Visible(tt.in), "%q", tt.in)
	}
}

// FuzzVisible: what Visible returns is valid UTF-8, holds no character
// that acts or shows nothing but spaces, keeps every other character of
// the input in order, and is its own Visible; text Check accepts keeps
// its visible characters.
func FuzzVisible(f *testing.F) {
	for _, s := range []string{"", "Solar", "P1\x1b[2J\x1b[HFAKE", "abc\u202edcb", "\u200b", "ab\xffc", "تثمين\u200f", `\x1b`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v := Visible(s)
		if !utf8.ValidString(v) {
			t.Fatalf("Visible(%q) = %q: not UTF-8", s, v)
		}
		for _, r := range v {
			if shownEscaped(r) {
				t.Fatalf("Visible(%q) = %q holds %U", s, v, r)
			}
		}
		if Visible(v) != v {
			t.Fatalf("Visible(Visible(%q)) = %q, not %q", s, Visible(v), v)
		}
		var kept, shown []rune
		for i, r := range s {
			if !(r == utf8.RuneError && !strings.HasPrefix(s[i:], "\ufffd")) && !shownEscaped(r) {
				kept = append(kept, r)
			}
		}
		for _, r := range v {
			if r != '\\' && !unicode.IsDigit(r) && !unicode.IsLetter(r) {
				shown = append(shown, r)
			}
		}
		for _, r := range kept {
			if r == '\\' || unicode.IsDigit(r) || unicode.IsLetter(r) {
				continue // escapes are made of these
			}
			if len(shown) == 0 || shown[0] != r {
				t.Fatalf("Visible(%q) = %q lost %q", s, v, r)
			}
			shown = shown[1:]
		}
		if fault, _, _ := Check(s); fault == 0 && s != "" && strings.TrimFunc(v, unicode.IsSpace) == "" {
			t.Fatalf("Check accepts %q, which shows as blank %q", s, v)
		}
	})
}
