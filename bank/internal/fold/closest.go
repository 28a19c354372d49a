package fold

import (
	"cmp"
	"strings"
	"unicode/utf8"
)

// maxCompared is the number of runes of each key that the edit distance
// compares: enough for any name, and it bounds the work on a long input.
const maxCompared = 32

// Closest returns the index of the candidate whose names are closest to s,
// the first on ties, or −1 when there are no candidates. A candidate is a
// list of names that all stand for it (a region's code, its names in three
// languages, its cities).
//
// Closeness compares search keys ([Key]: case, accents, tashkeel and
// Arabic letter variants ignored, punctuation as spaces) and ranks each
// name, best first, by
//
//  1. an equal key: "Souss Massa" for souss-massa, "dakhla" for Dakhla;
//  2. a key that begins a word of the other, or the other's begins one
//     of its words ("casablanca" begins "casablanca settat", "tetouan" a
//     word of "tanger tetouan al hoceima"), the nearer in length first;
//  3. any other, by the edit distance (Levenshtein: insertions,
//     deletions and substitutions of runes) between the keys' first 32
//     runes: "dakla" is 1 from "dakhla".
//
// A candidate is as close as its closest name.
func Closest(s string, candidates [][]string) int {
	return NewCandidates(candidates).Closest(s)
}

// Candidates holds the search keys of candidates' names, for many
// [Candidates.Closest] queries. It is read-only once made: any number of
// goroutines may query it at once.
type Candidates struct {
	keys [][]string
}

// NewCandidates returns the candidates with their names' keys worked out.
func NewCandidates(candidates [][]string) *Candidates {
	c := &Candidates{keys: make([][]string, len(candidates))}
	for i, names := range candidates {
		c.keys[i] = make([]string, len(names))
		for k, name := range names {
			c.keys[i][k] = Key(name)
		}
	}
	return c
}

// Closest returns the index of the candidate closest to s, as [Closest]
// does.
func (c *Candidates) Closest(s string) int {
	key := Key(s)
	best, bestScore := -1, score{}
	for i, keys := range c.keys {
		for _, k := range keys {
			if sc := closeness(key, k, bestScore, best >= 0); best < 0 || sc.less(bestScore) {
				best, bestScore = i, sc
			}
		}
	}
	return best
}

// score is how close a name is: tier first (0 equal, 1 a word prefix, 2
// other), then distance within the tier.
type score struct{ tier, distance int }

func (a score) less(b score) bool {
	return cmp.Or(cmp.Compare(a.tier, b.tier), cmp.Compare(a.distance, b.distance)) < 0
}

// closeness scores the key a against the key b. When bounded, a score no
// better than bound may be returned as bound itself: the edit distance is
// not worked out when it cannot beat it.
func closeness(a, b string, bound score, bounded bool) score {
	if a == b {
		return score{0, 0}
	}
	short, long := a, b
	if len(short) > len(long) {
		short, long = long, short
	}
	if short != "" && beginsWord(long, short) {
		return score{1, utf8.RuneCountInString(long) - utf8.RuneCountInString(short)}
	}
	if bounded && bound.tier < 2 {
		return bound
	}
	ra, rb := runes(a), runes(b)
	// The distance is at least the difference of the lengths.
	if bounded && abs(len(ra)-len(rb)) >= bound.distance {
		return bound
	}
	return score{2, levenshtein(ra, rb)}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// beginsWord reports whether sub occurs in s at the start of a word: at 0
// or after a space.
func beginsWord(s, sub string) bool {
	for from := 0; from < len(s); {
		i := strings.Index(s[from:], sub)
		if i < 0 {
			return false
		}
		if at := from + i; at == 0 || s[at-1] == ' ' {
			return true
		}
		from += i + 1
	}
	return false
}

// levenshtein returns the edit distance between ra and rb.
func levenshtein(ra, rb []rune) int {
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			sub := prev[j-1]
			if ra[i-1] != rb[j-1] {
				sub++
			}
			cur[j] = min(sub, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// runes returns the first maxCompared runes of s.
func runes(s string) []rune {
	out := make([]rune, 0, min(len(s), maxCompared))
	for _, r := range s {
		if len(out) == maxCompared {
			break
		}
		out = append(out, r)
	}
	return out
}
