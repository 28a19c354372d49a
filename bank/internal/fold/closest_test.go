package fold

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestClosest(t *testing.T) {
	candidates := [][]string{
		{"agri", "agriculture"},
		{"crafts", "artisanat"},
		{"fishing", "pêche"},
		{"digital"},
		{"dakhla-oued-ed-dahab", "Dakhla"},
		{"guelmim-oued-noun", "Guelmim"},
	}
	tests := []struct {
		name, in string
		want     int
	}{
		{"equal", "crafts", 1},
		{"equal but for case", "Agri", 0},
		{"equal but for accents", "peche", 2},
		{"equal but for punctuation", "Dakhla Oued Ed Dahab", 4},
		{"a word's beginning", "digi", 3},
		{"begins the name", "dakhla", 4},
		{"the name begins it", "dakhla city", 4},
		{"a later word: the nearer length", "oued", 5},
		{"one letter off", "fishng", 2},
		{"two letters off", "craftz!", 1},
		{"nothing close: still the closest (agri, 4 edits)", "zzz", 0},
		{"empty: every name begins with it, the shortest wins", "", 0},
		{"arabic letters", "بيئة", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, Closest(tt.in, candidates), "Closest(%q)", tt.in)
		})
	}
	require.Equal(t, -1, Closest("x", nil))
}

func TestClosestTies(t *testing.T) {
	// Equal scores: the first candidate.
	require.Equal(t, 0, Closest("ab", [][]string{{"ax"}, {"ay"}}))
	// A long input compares its first 32 runes, quickly.
	long := strings.Repeat("dakhla ", 10000)
	require.Equal(t, 1, Closest(long, [][]string{{"oriental"}, {"dakhla"}}))
}

func TestLevenshtein(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"", "abc", 3}, {"kitten", "sitting", 3}, {"flaw", "lawn", 2},
		{"dakla", "dakhla", 1}, {"الداخلة", "الداخله", 1},
	} {
		require.Equal(t, tt.want, levenshtein(runes(tt.a), runes(tt.b)), "%q %q", tt.a, tt.b)
		require.Equal(t, tt.want, levenshtein(runes(tt.b), runes(tt.a)), "%q %q", tt.b, tt.a)
	}
}

// FuzzClosest: any input finds a candidate, the same one every time, and
// an input equal to a name finds that name's candidate.
func FuzzClosest(f *testing.F) {
	for _, s := range []string{"Dakhla", "", "\xff", "الداخلة", "a b c"} {
		f.Add(s)
	}
	candidates := [][]string{{"dakhla-oued-ed-dahab", "Dakhla", "الداخلة"}, {"oriental", "Oujda"}, {"souss-massa"}}
	c := NewCandidates(candidates)
	f.Fuzz(func(t *testing.T, s string) {
		i := c.Closest(s)
		if i < 0 || i >= len(candidates) || c.Closest(s) != i {
			t.Fatalf("Closest(%q) = %d", s, i)
		}
		if got := Closest(candidates[i][0], candidates); got != i {
			t.Fatalf("a candidate's own name %q finds %d, not %d", candidates[i][0], got, i)
		}
	})
}
