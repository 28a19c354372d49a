// Package feedback computes, for every idea of a stage, what its carriers
// are told after the ranking: its profile on each criterion against the
// stage (its group's projects when the ranking has groups), its rank, and,
// when it was not selected, the margin to selection.
//
// Everything is exact: aggregates, quartiles and margins are rationals
// (exact.Num); nothing is rounded but for display, which names its rule.
//
// # Quartiles
//
// The median and quartiles of a criterion are those of the published
// aggregates (ProjectResult.Criteria[c].Rounded()) of the projects of the
// group, eligible or not, that have one. They follow definition 7 of
// Hyndman and Fan, "Sample quantiles in statistical packages", The
// American Statistician 50(4), 1996, pp. 361–365 (R's default, and
// QUARTILE.INC of spreadsheets, so an organiser can check them): with the
// n values sorted x[0] ≤ … ≤ x[n−1] and h = (n−1)·p,
//
//	Q(p) = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋])
//
// for p = 1/4, 1/2 and 3/4. Hand-solved: 10, 12, 15, 19 gives h = 3/4,
// 3/2, 9/4 and Q1 = 10 + 3/4·2 = 11.5, median = 12 + 1/2·3 = 13.5,
// Q3 = 15 + 1/4·4 = 16.
//
// # Margin to selection
//
// For an eligible idea F not selected, L is the last selected project of
// its group (the selected project of the largest group rank, the later in
// the result's order among equals, as in package swing). The gap is
// Total(L) − Total(F), the published totals, ≥ 0 (0 when a tie-break
// decided). The total is linear in each aggregate (SPEC.md section 4):
//
//	T = total_max · Σ_c w'(c) · (a(c) − min_c)/(max_c − min_c)
//
// so raising F's aggregate on criterion c alone by d raises F's total by
// k(c)·d, k(c) = total_max·w'(c)/(max_c − min_c), and the gap is closed by
// d(c) = gap / k(c). It is reachable when F's published aggregate plus
// d(c) is at most max_c; a criterion of weight 0 never closes a positive
// gap. Closing the gap makes the totals equal: the tie-breaks then decide,
// and rounding of the new total may differ by one unit of the last place.
//
// Hand-solved: two criteria on 0..20, weights 1/2 each, total_max 100:
// k = 100·(1/2)/20 = 5/2 points of total per point of aggregate. F at
// 60.00, L at 65.00: gap 5, d = 5/(5/2) = 2 points on either criterion.
package feedback

import (
	"math/big"
	"slices"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/exact"
	"github.com/afkarlab/afkar/ranking"
	"github.com/shopspring/decimal"
)

// Report is the feedback of every idea of a stage, in the result's order.
// It holds no reference to the dataset and is safe to read from many
// goroutines.
type Report struct {
	// Criteria names the criteria in rubric order.
	Criteria []string
	// Ideas holds one Idea per project, in the result's order.
	Ideas []Idea
}

// Idea is one project's feedback.
type Idea struct {
	// Project is the project's line of the result.
	Project afkar.ProjectResult
	// GroupSize is the number of projects of its group (of the stage
	// without groups), eligible or not.
	GroupSize int
	// Profile holds one Position per criterion, in rubric order.
	Profile []Position
	// Margin is the margin to selection; nil when the idea is selected,
	// ineligible, or its group selects nobody.
	Margin *Margin
	// Comments are the anonymised juror comments. Datasets and sheets
	// record none today (the afkar/1 format has no field for them): it is
	// always empty, and reports say that no comments were recorded.
	Comments []string
}

// Position places an idea's aggregate on one criterion among its group's.
type Position struct {
	// Value is the idea's published aggregate; invalid when undefined.
	Value exact.NullNum
	// Min and Max bound the criterion's scores.
	Min, Max exact.Num
	// Spread is the group's published aggregates summarised; N is zero
	// (and the quartiles zero) when no project of the group has one.
	Spread Spread
}

// Spread is the five-number summary of a group's published aggregates on
// one criterion, quartiles by Hyndman and Fan's definition 7 (see the
// package doc).
type Spread struct {
	N                         int
	Low, Q1, Median, Q3, High exact.Num
}

// Margin is how far an eligible idea not selected is from selection.
type Margin struct {
	// Last is the ID of the last selected project of the group.
	Last string
	// LastTotal is its published total.
	LastTotal exact.Num
	// Gap is LastTotal minus the idea's published total, ≥ 0.
	Gap exact.Num
	// Criteria holds, in rubric order, what each criterion alone would
	// take to close the gap.
	Criteria []Closing
}

// Closing is what raising one criterion's aggregate alone does to a gap.
type Closing struct {
	// Need is the rise of the aggregate that closes the gap exactly
	// (Gap/k, see the package doc); zero when the weight is zero.
	Need exact.Num
	// PerPoint is k: the points of total one point of aggregate is worth.
	PerPoint exact.Num
	// Possible reports whether the aggregate plus Need stays within the
	// criterion's maximum (false for a weight of zero and a positive
	// gap).
	Possible bool
}

// Build computes the feedback of every project of res, the result of
// [afkar.Evaluate] on ds. It reads ds and res and changes neither.
func Build(ds *afkar.Dataset, res *afkar.Result) *Report {
	r := &ds.Rubric
	nc := len(r.Criteria)
	rep := &Report{Criteria: res.Criteria(), Ideas: make([]Idea, res.Len())}
	projects := make([]afkar.ProjectResult, 0, res.Len())
	for _, p := range res.Projects() {
		projects = append(projects, p)
	}

	// k(c) and the ranges: Contribution(c, min+1) is total_max·w'(c)·1/(max−min).
	per := make([]*big.Rat, nc)
	lows, highs := make([]exact.Num, nc), make([]exact.Num, nc)
	for c := range nc {
		lo, hi, _ := r.Range(c)
		per[c] = r.Contribution(c, lo.Add(decimal.NewFromInt(1)))
		lows[c], highs[c] = exact.FromDecimal(lo), exact.FromDecimal(hi)
	}

	groups := map[string][]int{} // group key → indexes in projects
	for i := range projects {
		k := groupKey(&projects[i])
		groups[k] = append(groups[k], i)
	}
	spreads := map[string][]Spread{}
	lasts := map[string]int{} // group key → index of the last selected
	for k, members := range groups {
		s := make([]Spread, nc)
		for c := range nc {
			var vals []*big.Rat
			for _, i := range members {
				if a := projects[i].Criteria[c].Rounded(); a.Valid {
					vals = append(vals, a.Num.Rat())
				}
			}
			s[c] = spread(vals)
		}
		spreads[k] = s
		last := -1
		for _, i := range members {
			p := &projects[i]
			if p.Selected && (last < 0 || groupRank(p).Compare(groupRank(&projects[last])) >= 0) {
				last = i
			}
		}
		lasts[k] = last
	}

	for i := range projects {
		p := &projects[i]
		k := groupKey(p)
		idea := Idea{Project: *p, GroupSize: len(groups[k]), Profile: make([]Position, nc), Comments: []string{}}
		for c := range nc {
			idea.Profile[c] = Position{Value: p.Criteria[c].Rounded(), Min: lows[c], Max: highs[c], Spread: spreads[k][c]}
		}
		if l := lasts[k]; p.Eligible && !p.Selected && l >= 0 && p.Total.Valid && projects[l].Total.Valid {
			idea.Margin = margin(p, &projects[l], per, highs)
		}
		rep.Ideas[i] = idea
	}
	return rep
}

// margin is F's margin to L (see the package doc).
func margin(f, l *afkar.ProjectResult, per []*big.Rat, highs []exact.Num) *Margin {
	gap := new(big.Rat).Sub(l.Total.Num.Rat(), f.Total.Num.Rat())
	if gap.Sign() < 0 { // not reached for a result of Evaluate: L ranks above F
		gap.SetInt64(0)
	}
	m := &Margin{Last: l.ID, LastTotal: l.Total.Num, Gap: exact.FromRat(gap), Criteria: make([]Closing, len(per))}
	for c, k := range per {
		cl := Closing{PerPoint: exact.FromRat(k)}
		switch {
		case gap.Sign() == 0:
			cl.Need, cl.Possible = exact.Int(0), true
		case k.Sign() == 0:
			cl.Need = exact.Int(0)
		default:
			need := new(big.Rat).Quo(gap, k)
			cl.Need = exact.FromRat(need)
			if a := f.Criteria[c].Rounded(); a.Valid {
				cl.Possible = new(big.Rat).Add(a.Num.Rat(), need).Cmp(highs[c].Rat()) <= 0
			}
		}
		m.Criteria[c] = cl
	}
	return m
}

// spread summarises vals (unsorted; sorted here) with Hyndman and Fan's
// definition 7.
func spread(vals []*big.Rat) Spread {
	if len(vals) == 0 {
		return Spread{}
	}
	slices.SortFunc(vals, func(a, b *big.Rat) int { return a.Cmp(b) })
	n := len(vals)
	return Spread{
		N: n, Low: exact.FromRat(vals[0]), High: exact.FromRat(vals[n-1]),
		Q1: quantile(vals, 1), Median: quantile(vals, 2), Q3: quantile(vals, 3),
	}
}

// quantile returns Q(q/4) of the sorted vals by definition 7:
// h = (n−1)·q/4, Q = x[⌊h⌋] + (h−⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
func quantile(sorted []*big.Rat, q int) exact.Num {
	h4 := (len(sorted) - 1) * q // 4h
	j, frac := h4/4, h4%4
	if frac == 0 {
		return exact.FromRat(sorted[j])
	}
	d := new(big.Rat).Sub(sorted[j+1], sorted[j])
	d.Mul(d, big.NewRat(int64(frac), 4))
	return exact.FromRat(d.Add(d, sorted[j]))
}

// groupKey names p's group: "-" without groups, "=" and the value
// otherwise.
func groupKey(p *afkar.ProjectResult) string {
	if p.Group == nil {
		return "-"
	}
	return "=" + *p.Group
}

// groupRank is p's rank within its group: GroupRank, or Rank without
// groups.
func groupRank(p *afkar.ProjectResult) ranking.Rank {
	if !p.GroupRank.IsZero() {
		return p.GroupRank
	}
	return p.Rank
}
