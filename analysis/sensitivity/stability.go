package sensitivity

import (
	"cmp"
	"context"
	"math/big"
	"slices"

	"github.com/afkarlab/afkar/ranking"
)

// Pair is a project of the protected set and one outside it, of the same
// group (see [Model.Stability]).
type Pair struct {
	Selected, Unselected string
}

// Bound is one end of a stability interval.
type Bound struct {
	// Value is the bound, an exact rational in [0, 1].
	Value *big.Rat
	// Pair is the pair whose exact totals meet at Value: past it, the
	// unselected project's total is above the selected one's. It is zero
	// when the interval reaches 0 or 1 with no pair crossing.
	Pair Pair
}

// Interval is how far one criterion's weight can move.
type Interval struct {
	Criterion string
	// Weight is the criterion's effective weight w'(c), in (0, 1).
	Weight *big.Rat
	// Lo ≤ Weight ≤ Hi bound the weights t of the criterion for which
	// every protected project's exact total is at least every other
	// project's of its group, the other criteria's weights rescaled by
	// (1 − t)/(1 − Weight).
	Lo, Hi Bound
	// Margin is how far, relative to itself, the weight can move before a
	// pair's totals cross: (Weight − Lo)/Weight when Lo has a pair,
	// (Hi − Weight)/Weight when Hi has one, the lesser when both do. A
	// bound at 0 or 1 with no pair is not a crossing and plays no part.
	// Margin is nil when neither bound has a pair: no weight of this
	// criterion alone changes the selection.
	Margin *big.Rat
}

// Stability is how far each criterion's weight can move before the
// selection changes.
type Stability struct {
	// Intervals holds one Interval per criterion whose effective weight is
	// strictly between 0 and 1, in rubric order.
	Intervals []Interval
	// MostCritical is the index in Intervals of the smallest Margin (the
	// first on ties): the criterion whose weight, moved alone, changes the
	// selection soonest. It is −1 when no interval has a Margin (none
	// can change the selection), or Intervals is empty.
	MostCritical int
	// Waived lists the pairs whose exact totals are already in the other
	// order at the current weights: under tie_on: rounded, their published
	// totals tie and a tie-break put the selected one first. They set no
	// bound.
	Waived []Pair
}

// Stability computes, exactly, for each criterion c with 0 < w'(c) < 1,
// the interval [Lo, Hi] ∋ w'(c) of weights t of c for which, when the
// other criteria's weights are rescaled by (1 − t)/(1 − w'(c)), every
// protected project's exact total stays at least every unprotected
// project's of the same group (all of them without group_by). The
// protected projects are the selected ones under top, and without top
// the first of each group (the winner, without group_by). Eligibility is
// held fixed.
//
// The interval is about exact totals. Inside it the totals keep their
// order; the selection can still change where they meet (at a bound, or
// for projects whose totals are equal all along) if a tie-break that
// depends on the weights (head_to_head) decides, or, under tie_on:
// rounded, where rounding ties them. [Model.MonteCarlo] ranks with the
// engine itself.
//
// Each total is linear in t, T(P, t) = t·A(P) + (1 − t)·B(P), so the
// difference of a pair is too, and the least difference over the pairs,
// f(t), is concave, with f(w'(c)) ≥ 0: the set where f ≥ 0 is an
// interval. Its ends are found by Newton's method on f, which is exact on
// a piecewise-linear concave function and ends after finitely many steps.
// Stability returns ctx.Err() if ctx is done first.
func (m *Model) Stability(ctx context.Context) (*Stability, error) {
	groups := m.protectedSets()
	st := &Stability{MostCritical: -1}
	waived := map[[2]int]bool{}
	for k := range groups {
		g := &groups[k]
		byTotal := slices.Clone(g.others)
		slices.SortFunc(byTotal, func(a, b int) int { return m.projects[b].total.Cmp(m.projects[a].total) })
		for _, p := range g.protected {
			for _, q := range byTotal {
				if m.projects[q].total.Cmp(m.projects[p].total) <= 0 {
					break
				}
				waived[[2]int{p, q}] = true
				g.waived = true
				st.Waived = append(st.Waived, Pair{m.projects[p].id, m.projects[q].id})
			}
		}
	}
	one := big.NewRat(1, 1)
	for c, w := range m.weights {
		if w.Sign() == 0 || w.Cmp(one) == 0 {
			continue
		}
		l := m.lines(c)
		s := &solver{m: m, groups: groups, waived: waived, lines: l}
		lo, err := s.bound(ctx, new(big.Rat))
		if err != nil {
			return nil, err
		}
		hi, err := s.bound(ctx, big.NewRat(1, 1))
		if err != nil {
			return nil, err
		}
		margin := marginOf(w, lo, hi)
		st.Intervals = append(st.Intervals, Interval{
			Criterion: m.criteria[c], Weight: new(big.Rat).Set(w), Lo: lo, Hi: hi, Margin: margin,
		})
		if margin == nil {
			continue
		}
		if k := len(st.Intervals) - 1; st.MostCritical < 0 || margin.Cmp(st.Intervals[st.MostCritical].Margin) < 0 {
			st.MostCritical = k
		}
	}
	return st, nil
}

// marginOf returns how far, relative to w, the weight can move before a
// pair crosses: the distance to the nearer bound that has a pair, over w;
// nil when neither has one. A bound reached with no pair (the interval
// runs to 0 or 1) is where the weights end, not where the selection
// changes: counting it would make a criterion that cannot change anything
// look critical.
func marginOf(w *big.Rat, lo, hi Bound) *big.Rat {
	var margin *big.Rat
	if lo.Pair != (Pair{}) {
		margin = new(big.Rat).Sub(w, lo.Value)
	}
	if hi.Pair != (Pair{}) {
		if above := new(big.Rat).Sub(hi.Value, w); margin == nil || above.Cmp(margin) < 0 {
			margin = above
		}
	}
	if margin == nil {
		return nil
	}
	return margin.Quo(margin, w)
}

// group is a group's protected projects and the others, as indexes of
// m.projects in the current order.
type group struct {
	protected, others []int
	waived            bool // some pair of the group is waived
}

// protectedSets returns the groups with both protected and other
// projects, in the order of their first project in the current order.
func (m *Model) protectedSets() []group {
	k := ranking.Whole(max(m.cfg.Top, 1))
	var names []string
	sets := map[string]*group{}
	for _, s := range m.current {
		name, rank := "", s.Rank
		if m.cfg.GroupBy {
			name, rank = s.Group, s.GroupRank
		}
		g := sets[name]
		if g == nil {
			g = &group{}
			sets[name] = g
			names = append(names, name)
		}
		if rank.Compare(k) <= 0 {
			g.protected = append(g.protected, s.Entry)
		} else {
			g.others = append(g.others, s.Entry)
		}
	}
	var out []group
	for _, name := range names {
		if g := sets[name]; len(g.protected) > 0 && len(g.others) > 0 {
			out = append(out, *g)
		}
	}
	return out
}

// line is a project's total as a function of t: at + b·(1 − t), held as
// value(t) = b + t·slope.
type line struct {
	b, slope *big.Rat
}

// lines returns the line of every project when criterion c's weight moves.
func (m *Model) lines(c int) []line {
	w := m.weights[c]
	rest := new(big.Rat).Sub(big.NewRat(1, 1), w)
	out := make([]line, len(m.projects))
	for i, p := range m.projects {
		a := p.norm[c]
		// T(w) = w·A + (1 − w)·B, so B = (T(w) − w·A)/(1 − w).
		b := new(big.Rat).Mul(w, a)
		b.Sub(p.total, b)
		b.Quo(b, rest)
		out[i] = line{b: b, slope: new(big.Rat).Sub(a, b)}
	}
	return out
}

// solver finds the ends of one criterion's interval.
type solver struct {
	m      *Model
	groups []group
	waived map[[2]int]bool
	lines  []line
	vals   []*big.Rat
}

// bound runs Newton's method from start (0 or 1) toward the current
// weight: at t, take a pair with the least difference f(t); if f(t) < 0,
// move to where that pair's totals meet. The pair's difference is at
// least f everywhere and is ≥ 0 at the current weight, so its root lies
// between t and the bound: t only moves toward the bound, and each step
// takes a new pair.
func (s *solver) bound(ctx context.Context, start *big.Rat) (Bound, error) {
	t := start
	var pair Pair
	for {
		if err := ctx.Err(); err != nil {
			return Bound{}, err
		}
		d, p, q, ok := s.least(t)
		if !ok || d.Sign() >= 0 {
			return Bound{Value: t, Pair: pair}, nil
		}
		slope := new(big.Rat).Sub(s.lines[p].slope, s.lines[q].slope)
		step := new(big.Rat).Quo(d, slope)
		t = new(big.Rat).Sub(t, step)
		pair = Pair{s.m.projects[p].id, s.m.projects[q].id}
	}
}

// least returns the least difference T(P, t) − T(Q, t) over the pairs of
// a protected P and an unprotected Q of the same group that are not
// waived, and that pair; ok is false when there is none. Among equal
// differences it takes the first group, the first P in the current order,
// and the Q with the highest total (the first in current order on ties).
func (s *solver) least(t *big.Rat) (d *big.Rat, p, q int, ok bool) {
	if s.vals == nil {
		s.vals = make([]*big.Rat, len(s.lines))
	}
	for _, g := range s.groups {
		for _, lists := range [][]int{g.protected, g.others} {
			for _, i := range lists {
				v := new(big.Rat).Mul(t, s.lines[i].slope)
				s.vals[i] = v.Add(v, s.lines[i].b)
			}
		}
		if !g.waived {
			// The best Q for every P: the highest total, the first in
			// current order on ties.
			best := g.others[0]
			for _, qi := range g.others[1:] {
				if s.vals[qi].Cmp(s.vals[best]) > 0 {
					best = qi
				}
			}
			for _, pi := range g.protected {
				diff := new(big.Rat).Sub(s.vals[pi], s.vals[best])
				if !ok || diff.Cmp(d) < 0 {
					d, p, q, ok = diff, pi, best, true
				}
			}
			continue
		}
		pos := make(map[int]int, len(g.others))
		for k, i := range g.others {
			pos[i] = k
		}
		others := slices.Clone(g.others)
		slices.SortFunc(others, func(a, b int) int {
			return cmp.Or(s.vals[b].Cmp(s.vals[a]), cmp.Compare(pos[a], pos[b]))
		})
		for _, pi := range g.protected {
			for _, qi := range others {
				if s.waived[[2]int{pi, qi}] {
					continue
				}
				diff := new(big.Rat).Sub(s.vals[pi], s.vals[qi])
				if !ok || diff.Cmp(d) < 0 {
					d, p, q, ok = diff, pi, qi, true
				}
				break
			}
		}
	}
	return d, p, q, ok
}
