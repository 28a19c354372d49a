// Package correlation measures how different two rankings are: Kendall's
// tau-b and Spearman's rho between the overall ranks of the projects ranked
// in both, and which projects moved most.
//
// Ranks are exact ([ranking.Rank], whole numbers or halves); the
// coefficients are statistics, computed in float64. Ties are handled as
// the usual definitions say: tau-b corrects for ties in either ranking
// (Kendall 1945), and rho is Pearson's correlation of average ranks
// (ties share the mean of the positions they span), as
// scipy.stats.kendalltau and scipy.stats.spearmanr compute them.
//
// # Concurrency
//
// Every function reads its arguments and writes only its result: they may
// run in many goroutines at once.
package correlation

import (
	"cmp"
	"math"
	"slices"

	"github.com/afkarlab/afkar/ranking"
)

// Ranked is one project's overall rank in a result.
type Ranked struct {
	ID   string
	Rank ranking.Rank // not zero
}

// Move is how far one project moved from the first ranking to the second.
type Move struct {
	ID       string
	From, To ranking.Rank
}

// By returns To − From: positive when the project fell (a larger rank),
// negative when it rose. It is a whole number or a half.
func (m Move) By() float64 { return float64(m.To.Halves()-m.From.Halves()) / 2 }

// Comparison is how two rankings of the same projects differ.
type Comparison struct {
	// N is the number of projects ranked in both; the coefficients are
	// computed on them alone.
	N int
	// TauB is Kendall's tau-b and Rho Spearman's rho of the two rankings
	// of those N projects, in [−1, 1]; NaN when undefined (N < 2, or every
	// project tied in one of the rankings).
	TauB, Rho float64
	// OnlyA and OnlyB list the projects ranked in one ranking but not the
	// other, in the order of that ranking.
	OnlyA, OnlyB []string
	// Moves holds the N common projects, the largest move (either way)
	// first, then by ID.
	Moves []Move
}

// Compare compares two rankings, each a list of projects with their rank
// in any order. IDs are unique within a list: a repeated ID keeps its
// first rank.
func Compare(a, b []Ranked) Comparison {
	inB := make(map[string]ranking.Rank, len(b))
	for _, r := range b {
		if _, dup := inB[r.ID]; !dup {
			inB[r.ID] = r.Rank
		}
	}
	var c Comparison
	seenA := make(map[string]bool, len(a))
	var x, y []float64
	for _, r := range a {
		if seenA[r.ID] {
			continue
		}
		seenA[r.ID] = true
		to, ok := inB[r.ID]
		if !ok {
			c.OnlyA = append(c.OnlyA, r.ID)
			continue
		}
		c.Moves = append(c.Moves, Move{ID: r.ID, From: r.Rank, To: to})
		x = append(x, float64(r.Rank.Halves())/2)
		y = append(y, float64(to.Halves())/2)
	}
	seenB := make(map[string]bool, len(b))
	for _, r := range b {
		if !seenA[r.ID] && !seenB[r.ID] {
			c.OnlyB = append(c.OnlyB, r.ID)
		}
		seenB[r.ID] = true
	}
	c.N = len(x)
	c.TauB = KendallTauB(x, y)
	c.Rho = Spearman(x, y)
	slices.SortFunc(c.Moves, func(p, q Move) int {
		return cmp.Or(cmp.Compare(abs(q.By()), abs(p.By())), cmp.Compare(p.ID, q.ID))
	})
	return c
}

func abs(v float64) float64 { return math.Abs(v) }

// KendallTauB returns Kendall's tau-b of the paired observations x and y:
//
//	τ_b = (n_c − n_d) / √((n_0 − n_1)(n_0 − n_2))
//
// where n_c and n_d count the concordant and discordant pairs, n_0 =
// n(n−1)/2, and n_1, n_2 the pairs tied in x and in y. It runs in
// O(n log n) by Knight's algorithm (W. R. Knight, "A Computer Method for
// Calculating Kendall's Tau with Ungrouped Data", JASA 61, 1966), counting
// discordant pairs as the swaps of a merge sort. It returns NaN when
// n < 2 or when every observation is tied in x or in y. It panics if x
// and y differ in length.
func KendallTauB(x, y []float64) float64 {
	if len(x) != len(y) {
		panic("correlation: KendallTauB of slices of different lengths")
	}
	n := len(x)
	if n < 2 {
		return math.NaN()
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(i, j int) int { return cmp.Or(cmp.Compare(x[i], x[j]), cmp.Compare(y[i], y[j])) })

	// Pairs tied in x (n1) and tied in both (n3), over runs of the sort.
	var n1, n3 int64
	for i := 0; i < n; {
		j := i
		for j < n && x[idx[j]] == x[idx[i]] {
			j++
		}
		n1 += pairs(j - i)
		for k := i; k < j; {
			l := k
			for l < j && y[idx[l]] == y[idx[k]] {
				l++
			}
			n3 += pairs(l - k)
			k = l
		}
		i = j
	}
	// Discordant pairs: the swaps a stable merge sort of y makes (pairs
	// tied in x are in y order already, so they count as no swap).
	ys := make([]float64, n)
	for k, i := range idx {
		ys[k] = y[i]
	}
	swaps := mergeCount(ys, make([]float64, n))
	// Pairs tied in y (n2), over runs of the sorted ys.
	var n2 int64
	for i := 0; i < n; {
		j := i
		for j < n && ys[j] == ys[i] {
			j++
		}
		n2 += pairs(j - i)
		i = j
	}
	n0 := pairs(n)
	if n0 == n1 || n0 == n2 {
		return math.NaN()
	}
	num := float64(n0 - n1 - n2 + n3 - 2*swaps)
	return num / math.Sqrt(float64(n0-n1)) / math.Sqrt(float64(n0-n2))
}

func pairs(t int) int64 { return int64(t) * int64(t-1) / 2 }

// mergeCount sorts v ascending, stably, with buf as scratch space of the
// same length, and returns the number of inversions (pairs i < j with
// v[i] > v[j]).
func mergeCount(v, buf []float64) int64 {
	if len(v) < 2 {
		return 0
	}
	mid := len(v) / 2
	n := mergeCount(v[:mid], buf[:mid]) + mergeCount(v[mid:], buf[mid:])
	i, j, k := 0, mid, 0
	for i < mid && j < len(v) {
		if v[j] < v[i] {
			buf[k] = v[j]
			n += int64(mid - i) // v[j] jumps over the rest of the left half
			j++
		} else {
			buf[k] = v[i]
			i++
		}
		k++
	}
	k += copy(buf[k:], v[i:mid])
	copy(buf[k:], v[j:])
	copy(v, buf)
	return n
}

// Spearman returns Spearman's rho of the paired observations x and y: the
// Pearson correlation of their ranks, tied observations getting the mean
// of the positions they span (average ranks, 1-based). It returns NaN
// when n < 2 or when every observation is tied in x or in y. It panics if
// x and y differ in length.
func Spearman(x, y []float64) float64 {
	if len(x) != len(y) {
		panic("correlation: Spearman of slices of different lengths")
	}
	if len(x) < 2 {
		return math.NaN()
	}
	return pearson(averageRanks(x), averageRanks(y))
}

// averageRanks returns the 1-based rank of every value of v, ties taking
// the mean of the positions they span.
func averageRanks(v []float64) []float64 {
	idx := make([]int, len(v))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(i, j int) int { return cmp.Compare(v[i], v[j]) })
	r := make([]float64, len(v))
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && v[idx[j]] == v[idx[i]] {
			j++
		}
		mean := float64(i+1+j) / 2 // positions i+1 .. j
		for _, k := range idx[i:j] {
			r[k] = mean
		}
		i = j
	}
	return r
}

// pearson returns the Pearson correlation of x and y, computed around the
// means (two passes) for accuracy; NaN when either has no variance.
func pearson(x, y []float64) float64 {
	n := float64(len(x))
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= n
	my /= n
	var sxy, sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return math.NaN()
	}
	return sxy / math.Sqrt(sxx*syy)
}
