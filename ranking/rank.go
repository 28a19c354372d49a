package ranking

import (
	"fmt"
	"strconv"
)

// Style says which rank a run of tied projects gets.
type Style string

// The rank styles. The empty Style means Competition. Over positions
// 1..n, a tied run spans positions i..j.
const (
	Competition Style = "competition" // i: 1 2 2 4
	Modified    Style = "modified"    // j: 1 3 3 4
	Dense       Style = "dense"       // 1 + the number of runs before it: 1 2 2 3
	Ordinal     Style = "ordinal"     // each its own position: 1 2 3 4
	Fractional  Style = "fractional"  // (i + j) / 2: 1 2.5 2.5 4
)

// Styles lists the rank styles.
func Styles() []Style { return []Style{Competition, Modified, Dense, Ordinal, Fractional} }

// Rank is a rank: a whole number, or under Fractional a whole number and a
// half. The zero Rank means "no rank".
type Rank struct {
	halves int // twice the rank
}

// Whole returns the rank n.
func Whole(n int) Rank { return Rank{halves: 2 * n} }

// Mid returns the rank (i + j) / 2.
func Mid(i, j int) Rank { return Rank{halves: i + j} }

// IsZero reports whether r is no rank.
func (r Rank) IsZero() bool { return r.halves == 0 }

// Halves returns twice the rank: 5 for 2.5.
func (r Rank) Halves() int { return r.halves }

// Compare returns −1, 0 or +1 as r is before, equal to or after s.
func (r Rank) Compare(s Rank) int {
	switch {
	case r.halves < s.halves:
		return -1
	case r.halves > s.halves:
		return 1
	}
	return 0
}

// AppendText appends the rank as String writes it to b: it implements
// [encoding.TextAppender], and never fails.
func (r Rank) AppendText(b []byte) ([]byte, error) {
	if r.halves == 0 {
		return b, nil
	}
	b = strconv.AppendInt(b, int64(r.halves/2), 10)
	if r.halves%2 != 0 {
		b = append(b, ".5"...)
	}
	return b, nil
}

// String returns "3" or "2.5"; "" for the zero Rank.
func (r Rank) String() string {
	switch {
	case r.halves == 0:
		return ""
	case r.halves%2 == 0:
		return strconv.Itoa(r.halves / 2)
	}
	return strconv.Itoa(r.halves/2) + ".5"
}

// MarshalJSON returns the rank as a JSON number (3, 2.5), or null.
func (r Rank) MarshalJSON() ([]byte, error) {
	if r.halves == 0 {
		return []byte("null"), nil
	}
	return []byte(r.String()), nil
}

// UnmarshalJSON reads a JSON number such as 3 or 2.5, or null.
func (r *Rank) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		*r = Rank{}
		return nil
	}
	whole, half := s, false
	if len(s) > 2 && s[len(s)-2:] == ".5" {
		whole, half = s[:len(s)-2], true
	} else if len(s) > 2 && s[len(s)-2:] == ".0" {
		whole = s[:len(s)-2]
	}
	n, err := strconv.Atoi(whole)
	if err != nil || n < 0 || (n == 0 && !half) {
		return fmt.Errorf("ranking: %q is not a rank", s)
	}
	r.halves = 2 * n
	if half {
		r.halves++
	}
	return nil
}
