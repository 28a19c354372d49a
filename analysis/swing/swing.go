// Package swing measures how much one juror decides a selection: for each
// selection boundary, the smallest change to one juror's scores that would
// flip it.
//
// A boundary is, in each group (the whole ranking without group_by), the
// last selected project L (the selected project of the largest group
// rank, the later in the result's order among equals) and the first
// project not selected F (the eligible project not selected of the
// smallest group rank, the earlier among equals). It flips when, after
// the change, F's rank (group rank with group_by) is smaller than L's:
// F ranks above L under the dataset's own rules, tie-breaks included. A
// tie that leaves them sharing a rank does not flip it.
//
// The change allowed to juror J: new values of J's counted scores of L
// and F, each within its criterion's range and on its step. Its size is
// the sum of |new − old| over those scores, in score points; the swing of
// J is the least size that flips the boundary, and one change of that
// size (the first found, in a fixed order). Scores of other projects, and
// of other jurors, stay as they are.
//
// # How it is computed, exactly
//
// Covered: the mean aggregation, and every criterion with a step. Other
// datasets get a [Report] with Covered false and the reason: under the
// median, the trimmed mean and zscore one score's effect is not linear
// (zscore moves every project of the judge), and without a step the least
// change is an infimum that no change attains. L may also flip by falling
// below a threshold (it is then not ranked, and F ranks above it).
//
// Under the mean, raising J's score of F on criterion c by one step s
// raises F's exact total by g = k(c)·s/n(F,c), where k(c) =
// total_max·w'(c)/(max−min) and n(F,c) is F's number of counted scores on
// c; lowering J's score of L lowers L's likewise. Only F and L change, and
// each such move helps F on every rule (its total, its aggregates, J's own
// total of it for head_to_head), so the least change moves F's scores up
// and L's down only. Every change whose gain (the sum of those g) is below
// the bound cannot flip: the bound is Δ = T(L) − T(F) (the exact totals)
// under tie_on exact, and Δ − 10^−places under tie_on rounded (two exact
// totals further apart than one unit of the last place never round
// equal), or less when L is that close to falling below a threshold
// (lowerBound says how much less). The search visits the sizes in increasing order, in units of
// the greatest common divisor of the steps; at each size it skips at once
// when the fractional relaxation (the greedy fill, best gain per point
// first) cannot reach the bound, and otherwise enumerates the changes of
// that size whose gain can reach it, best gain per point first, and
// verifies each by ranking the changed dataset with afkar.Evaluate. The
// first that flips is the swing: no smaller size can flip (its gain is
// below the bound, or it was verified not to), and this one does.
// [MaxEvaluations] bounds the verifications per juror; past it, the swing
// is reported undecided.
//
// Hand-solved case (the test's "one criterion"): scale 0..20, step 1,
// weight 1, total_max 100, top 1; P1 has 12 (J1) and 14 (J2), mean 13,
// total 65; P2 has 12 (J1) and 12 (J2), total 60. L = P1, F = P2, Δ = 5,
// tie_on rounded with 2 places: bound 4.99. One step of one score moves
// a total by 100·1/20/2 = 2.5, on either project. Sizes 1 cannot reach
// the bound; size 2 reaches 5.00 exactly, a tie at 65 (or 62.5 each),
// which no tie-break separates, so F does not rank above L; size 3 gains
// 7.5 and flips. J1's swing is 3: P1 12 → 9 (lowering P1 comes first: at
// equal gain per point, the earlier score). With tie_break ["id"] and F's
// id the smaller, the tie of size 2 goes to F: the swing is 2.
package swing

import (
	"cmp"
	"context"
	"math/big"
	"slices"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/analysis/internal/scored"
	"github.com/afkarlab/afkar/ranking"
	"github.com/afkarlab/afkar/scoring"
	"github.com/shopspring/decimal"
)

// MaxEvaluations bounds the changed datasets ranked to find one juror's
// swing on one boundary.
const MaxEvaluations = 2000

// Report is the one-juror swing of every selection boundary.
type Report struct {
	// Covered is false when the dataset is outside what the package
	// computes (see the package doc), Reason saying why.
	Covered bool
	Reason  string
	// Boundaries in the order of their groups' first projects in the
	// result.
	Boundaries []Boundary
}

// Boundary is one group's selection boundary and its jurors' swings.
type Boundary struct {
	// Group is the group's value; "" without group_by.
	Group string
	// Last is the last selected project, First the first not selected.
	Last, First string
	// Swings holds one Swing per juror with a counted score of Last or
	// First, in the dataset's judge order.
	Swings []Swing
}

// Swing is the smallest change of one juror's scores that flips a
// boundary.
type Swing struct {
	Judge string
	// Flips is false when no change of the juror's scores flips the
	// boundary; Size and Changes are then zero.
	Flips bool
	// Undecided: the search stopped at MaxEvaluations; Flips is false.
	Undecided bool
	// Size is the sum of |new − old| over the changed scores, in points.
	Size decimal.Decimal
	// Changes are the changed scores, in the order of the dataset's
	// scores.
	Changes []Change
}

// Change is one changed score.
type Change struct {
	Project, Criterion string
	From, To           decimal.Decimal
}

// Analyze ranks ds with afkar.Evaluate and reports, for each selection
// boundary, each juror's swing. It returns ctx.Err() if ctx is done first.
func Analyze(ctx context.Context, ds *afkar.Dataset) (*Report, error) {
	res, err := afkar.Evaluate(ctx, ds)
	if err != nil {
		return nil, err
	}
	r := &ds.Rubric
	switch {
	case r.Aggregation.Method != "" && r.Aggregation.Method != scoring.Mean:
		return &Report{Reason: "the aggregation is " + string(r.Aggregation.Method) + ": only the mean is covered"}, nil
	case ds.Ranking.Top == 0:
		return &Report{Reason: "the ranking has no top: nothing is selected"}, nil
	}
	for i, c := range r.Criteria {
		if _, _, step := r.Range(i); step.Sign() == 0 {
			return &Report{Reason: "criterion " + c.ID + " has no step: not covered"}, nil
		}
	}
	rep := &Report{Covered: true}
	grouped := ds.Ranking.GroupBy != ""
	rankOf := func(p *afkar.ProjectResult) ranking.Rank {
		if grouped {
			return p.GroupRank
		}
		return p.Rank
	}
	groupOf := func(p *afkar.ProjectResult) string {
		if p.Group != nil {
			return *p.Group
		}
		return ""
	}
	projects := make([]afkar.ProjectResult, 0, res.Len())
	for _, p := range res.Projects() {
		projects = append(projects, p)
	}
	type bound struct{ last, first int } // indexes in projects; −1: none
	var groups []string
	bounds := map[string]*bound{}
	for i := range projects {
		p := &projects[i]
		if !p.Eligible {
			continue
		}
		g := groupOf(p)
		b := bounds[g]
		if b == nil {
			b = &bound{-1, -1}
			bounds[g] = b
			groups = append(groups, g)
		}
		if p.Selected {
			if b.last < 0 || rankOf(&projects[b.last]).Compare(rankOf(p)) <= 0 {
				b.last = i
			}
		} else if b.first < 0 || rankOf(p).Compare(rankOf(&projects[b.first])) < 0 {
			b.first = i
		}
	}
	judges := scored.Judges(ds)
	excluded, err := excludedScores(ctx, ds)
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		b := bounds[g]
		if b.last < 0 || b.first < 0 {
			continue
		}
		L, F := &projects[b.last], &projects[b.first]
		bd := Boundary{Group: g, Last: L.ID, First: F.ID}
		s := &search{ds: ds, last: L.ID, first: F.ID, grouped: grouped, excluded: excluded, n: [2][]int{counts(L), counts(F)}}
		s.delta = lowerBound(ds, L, F)
		for _, j := range judges {
			sw, ok, err := s.juror(ctx, j)
			if err != nil {
				return nil, err
			}
			if ok {
				bd.Swings = append(bd.Swings, sw)
			}
		}
		rep.Boundaries = append(rep.Boundaries, bd)
	}
	return rep, nil
}

// lowerBound returns the least gain a change needs to flip the boundary
// of L and F (see the package doc): the least of Δ (less one unit of the
// last place under tie_on rounded), and of what L must lose to fall below
// a threshold: T(L) − total_threshold − u for the total, k(c)·(a(L,c) −
// threshold(c) − u) for a criterion c, where u = 10^−places (a published
// value below a threshold needs the exact one below the threshold plus u,
// whatever the rounding mode). Never below 0.
func lowerBound(ds *afkar.Dataset, L, F *afkar.ProjectResult) *big.Rat {
	r := &ds.Rubric
	u := new(big.Rat).SetFrac(big.NewInt(1), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(r.Places())), nil))
	tl := total(r, L)
	b := new(big.Rat).Sub(tl, total(r, F))
	if ds.Ranking.TieOn != afkar.TieOnExact {
		b.Sub(b, u)
	}
	least := func(x *big.Rat) {
		if x.Cmp(b) < 0 {
			b = x
		}
	}
	if r.TotalThreshold.Valid {
		x := new(big.Rat).Sub(tl, r.TotalThreshold.Decimal.Rat())
		least(x.Sub(x, u))
	}
	for c, cr := range r.Criteria {
		if cr.Threshold.Valid {
			x := L.Criteria[c].Value.Num.Rat()
			x.Sub(x, cr.Threshold.Decimal.Rat())
			x.Sub(x, u)
			least(x.Mul(x, coef(r, c)))
		}
	}
	if b.Sign() < 0 {
		b.SetInt64(0)
	}
	return b
}

// counts returns a project's number of counted scores on each criterion.
func counts(p *afkar.ProjectResult) []int {
	out := make([]int, len(p.Criteria))
	for c, a := range p.Criteria {
		out[c] = a.Counted
	}
	return out
}

// total returns a project's exact total: Σ k(c)·(a(c) − min(c)).
func total(r *scoring.Rubric, p *afkar.ProjectResult) *big.Rat {
	t := new(big.Rat)
	for c, a := range p.Criteria {
		lo, _, _ := r.Range(c)
		x := a.Value.Num.Rat()
		x.Sub(x, lo.Rat())
		t.Add(t, x.Mul(x, coef(r, c)))
	}
	return t
}

// coef returns k(c) = total_max·w'(c)/(max−min).
func coef(r *scoring.Rubric, c int) *big.Rat {
	lo, _, _ := r.Range(c)
	return r.Contribution(c, lo.Add(decimal.NewFromInt(1)))
}

// search finds the jurors' swings on one boundary.
type search struct {
	ds          *afkar.Dataset
	last, first string
	grouped     bool
	n           [2][]int     // counted scores of last, first on each criterion
	delta       *big.Rat     // the bound the gain must reach
	excluded    map[int]bool // the dataset's excluded scores
}

// item is one of the juror's scores that the search may move: up for
// first, down for last.
type item struct {
	score       int // index in the dataset's scores
	criterion   int
	value       decimal.Decimal
	dir         int      // +1 or −1
	step        int64    // in units
	steps       int64    // how many steps the range allows
	gain        *big.Rat // per step
	rate        *big.Rat // gain per unit
	stepSize    decimal.Decimal
	projectID   string
	criterionID string
}

// juror returns the swing of judge j, and false when j has no counted
// score of either project.
func (s *search) juror(ctx context.Context, j string) (Swing, bool, error) {
	r := &s.ds.Rubric
	var items []item
	for i, sc := range s.ds.Scores.All() {
		if sc.Judge != j || (sc.Project != s.last && sc.Project != s.first) || s.excluded[i] {
			continue
		}
		c := r.Index(sc.Criterion)
		lo, hi, step := r.Range(c)
		it := item{score: i, criterion: c, value: sc.Value, stepSize: step, projectID: sc.Project, criterionID: sc.Criterion}
		side := 0
		if sc.Project == s.first {
			side, it.dir = 1, 1
			it.steps = hi.Sub(sc.Value).Div(step).IntPart()
		} else {
			it.dir = -1
			it.steps = sc.Value.Sub(lo).Div(step).IntPart()
		}
		g := coef(r, c)
		g.Mul(g, step.Rat())
		it.gain = g.Quo(g, new(big.Rat).SetInt64(int64(s.n[side][c])))
		items = append(items, it)
	}
	if len(items) == 0 {
		return Swing{}, false, nil
	}
	// The unit: the greatest common divisor of the steps, scaled to
	// integers by a common power of ten.
	exp := int32(0)
	for _, it := range items {
		exp = min(exp, it.stepSize.Exponent())
	}
	unit := int64(0)
	for i := range items {
		items[i].step = items[i].stepSize.Shift(-exp).IntPart()
		unit = gcd(unit, items[i].step)
	}
	var most int64
	for i := range items {
		it := &items[i]
		it.step /= unit
		it.rate = new(big.Rat).Quo(it.gain, new(big.Rat).SetInt64(it.step))
		most += it.step * it.steps
	}
	slices.SortStableFunc(items, func(a, b item) int { return cmp.Or(b.rate.Cmp(a.rate), cmp.Compare(a.score, b.score)) })
	sw := Swing{Judge: j}
	evals := 0
	k := make([]int64, len(items))
	for size := int64(1); size <= most; size++ {
		if relaxed(items, 0, size).Cmp(s.delta) < 0 {
			continue
		}
		found, err := s.enumerate(ctx, items, k, 0, size, new(big.Rat), &evals)
		if err != nil {
			return Swing{}, false, err
		}
		if evals > MaxEvaluations {
			sw.Undecided = true
			return sw, true, nil
		}
		if found {
			sw.Flips = true
			sw.Size = decimal.NewFromInt(size * unit).Shift(exp)
			sw.Changes = changes(items, k)
			return sw, true, nil
		}
	}
	return sw, true, nil
}

// relaxed returns the largest gain of items[from:] with at most size
// units when steps may be split: the greedy fill, best rate first (items
// are sorted so).
func relaxed(items []item, from int, size int64) *big.Rat {
	g := new(big.Rat)
	left := size
	for _, it := range items[from:] {
		if left == 0 {
			break
		}
		take := min(left, it.step*it.steps)
		g.Add(g, new(big.Rat).Mul(it.rate, new(big.Rat).SetInt64(take)))
		left -= take
	}
	return g
}

// enumerate sets k[i:] to each way of spending exactly left units on
// items[i:], most steps first on the best rate, whose gain can reach the
// bound, and verifies each; it reports whether one flips (k then holds
// it).
func (s *search) enumerate(ctx context.Context, items []item, k []int64, i int, left int64, gain *big.Rat, evals *int) (bool, error) {
	if left == 0 {
		for x := i; x < len(k); x++ {
			k[x] = 0
		}
		if gain.Cmp(s.delta) < 0 {
			return false, nil
		}
		*evals++
		if *evals > MaxEvaluations {
			return false, nil
		}
		return s.flips(ctx, items, k)
	}
	if i == len(items) || new(big.Rat).Add(gain, relaxed(items, i, left)).Cmp(s.delta) < 0 {
		return false, nil
	}
	it := &items[i]
	for n := min(it.steps, left/it.step); n >= 0; n-- {
		k[i] = n
		g := new(big.Rat).Mul(it.gain, new(big.Rat).SetInt64(n))
		found, err := s.enumerate(ctx, items, k, i+1, left-n*it.step, g.Add(g, gain), evals)
		if found || err != nil || *evals > MaxEvaluations {
			return found, err
		}
	}
	return false, nil
}

// flips ranks the dataset with the changes k and reports whether first
// ranks above last.
func (s *search) flips(ctx context.Context, items []item, k []int64) (bool, error) {
	ds := *s.ds
	ds.Scores = s.ds.Scores.Clone()
	for i, it := range items {
		if k[i] == 0 {
			continue
		}
		sc := ds.Scores.At(it.score)
		sc.Value = moved(it, k[i])
		ds.Scores.Set(it.score, sc)
	}
	res, err := afkar.Evaluate(ctx, &ds)
	if err != nil {
		return false, err
	}
	var rl, rf ranking.Rank
	var p afkar.ProjectResult // its storage of criteria used again
	for k := range res.Len() {
		res.ReadProject(k, &p)
		rk := p.Rank
		if s.grouped {
			rk = p.GroupRank
		}
		switch p.ID {
		case s.last:
			rl = rk
		case s.first:
			rf = rk
		}
	}
	switch {
	case rf.IsZero(): // not ranked: not above anything
		return false, nil
	case rl.IsZero():
		return true, nil
	}
	return rf.Compare(rl) < 0, nil
}

// moved returns an item's score moved by n steps.
func moved(it item, n int64) decimal.Decimal {
	d := it.stepSize.Mul(decimal.NewFromInt(n))
	if it.dir < 0 {
		return it.value.Sub(d)
	}
	return it.value.Add(d)
}

// changes lists the changed scores of k, in the order of the dataset's
// scores.
func changes(items []item, k []int64) []Change {
	var out []Change
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(items[a].score, items[b].score) })
	for _, i := range order {
		if k[i] == 0 {
			continue
		}
		it := items[i]
		out = append(out, Change{Project: it.projectID, Criterion: it.criterionID, From: it.value, To: moved(it, k[i])})
	}
	return out
}

// excludedScores marks the dataset's excluded scores, by index.
func excludedScores(ctx context.Context, ds *afkar.Dataset) (map[int]bool, error) {
	res, err := scored.Evaluate(ctx, ds)
	if err != nil {
		return nil, err
	}
	out := map[int]bool{}
	for _, x := range res.Excluded {
		out[x.Score] = true
	}
	return out, nil
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
