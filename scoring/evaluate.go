package scoring

import (
	"cmp"
	"context"
	"maps"
	"math/big"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/afkarlab/afkar/exact"
	"github.com/afkarlab/afkar/internal/parallel"
	"github.com/shopspring/decimal"
)

// Reason says why a score was excluded.
type Reason string

// The reasons a score is excluded.
const (
	// Conflict: the project is in the judge's conflicts.
	Conflict Reason = "conflict"
	// SameCooperative: the judge and the project name the same cooperative.
	SameCooperative Reason = "same_cooperative"
	// Abstained: the project is in the judge's abstentions (SPEC.md
	// section 7), and neither of the reasons above holds.
	Abstained Reason = "abstained"
)

// Exclusion is a score that does not count, and why.
type Exclusion struct {
	Score                     int // index in Input.Scores
	Judge, Project, Criterion string
	Reason                    Reason // the first that holds of Conflict, SameCooperative, Abstained
}

// Aggregate is one project's result on one criterion.
type Aggregate struct {
	// Value is the exact aggregate of the counted scores, undefined when
	// there is no counted score or too few to trim. Under ZScore it is
	// exact but for the square roots (see the package doc).
	Value exact.NullNum
	// Rounded is Value rounded to the rubric's places with its mode.
	Rounded exact.NullNum
	// Counted is the number of counted scores.
	Counted int
}

// Outcome is one project's scores, total and eligibility.
type Outcome struct {
	ID string
	// Total is the exact total, undefined when some aggregate is.
	Total exact.NullNum
	// Rounded is the published total: Total rounded once to the rubric's
	// places with its mode.
	Rounded exact.NullNum
	// Criteria holds one Aggregate per rubric criterion, in rubric order.
	Criteria []Aggregate
	// Judges counts the distinct judges with at least one counted score.
	Judges int
	// Eligible reports whether the project meets the quorum and every
	// threshold; only eligible projects are ranked.
	Eligible bool
	// Reasons lists each failed rule, quorum:<id> in criterion order, then
	// threshold:<id> in criterion order, then total_threshold. A threshold
	// on an undefined value is not reported.
	Reasons []string
}

// Result is the outcome of scoring: one Outcome per project in input
// order, and the excluded scores in input order.
type Result struct {
	Projects []Outcome
	Excluded []Exclusion

	rubric   *Rubric
	in       Input
	judgeIDs []string
	ncrit    int
	coef     []*big.Rat // per criterion: total_max·w'(c)/(max−min)
	lo       []*big.Rat // per criterion: its minimum
	off      []int32    // counted scores of (p, c) are [off[p*ncrit+c], off[p*ncrit+c+1])
	judge    []int32    // judge index of each counted score
	score    []int32    // index in in.Scores of each counted score
	scaled   *scaledScores
	fast     *fastRubric // nil: every project takes the big path
	slow     int         // projects that took the big path, for tests
}

// Evaluate scores in: it validates the rubric and the input (returning
// every problem as [Problems]), excludes conflicted scores, aggregates the
// counted scores of every project on every criterion, computes exact
// totals, rounds them once, and decides eligibility. It returns ctx.Err()
// if ctx is done before it finishes.
func (r *Rubric) Evaluate(ctx context.Context, in Input) (*Result, error) {
	return r.evaluate(ctx, in, false)
}

// evaluate is Evaluate; noFast makes every project take the big.Rat path,
// for the tests that compare both paths.
func (r *Rubric) evaluate(ctx context.Context, in Input, noFast bool) (*Result, error) {
	in.Scores = in.Scores.snapshot() // the Result keeps the scores as they are now
	var ps Problems
	if err := r.Validate(); err != nil {
		ps = append(ps, err.(Problems).Prefix("rubric")...)
	}
	inputProblems, idx := r.validateInput(in)
	if ps = append(ps, inputProblems...); len(ps) > 0 {
		return nil, ps
	}
	e := newEvaluation(r, in, idx)
	e.noFast = noFast
	if err := e.aggregate(ctx); err != nil {
		return nil, err
	}
	return e.res, nil
}

type evaluation struct {
	r      *Rubric
	res    *Result
	places int
	mode   exact.Mode
	z      *zscores // under ZScore: the adjusted scores
	idx    *index   // what validation learnt
	noFast bool     // tests: take the big.Rat path for every project
	crit   []int32  // criterion index of each score of in.Scores (valid input)
	proj   []int32  // project index of each score
	judge  []int32  // judge index of each score
	los    []decimal.Decimal
	his    []decimal.Decimal
	counts []int32
}

func newEvaluation(r *Rubric, in Input, idx *index) *evaluation {
	nc := len(r.Criteria)
	places, mode := r.Rounding.effective()
	res := &Result{rubric: r, in: in, ncrit: nc}
	e := &evaluation{r: r, res: res, places: places, mode: mode.Exact(), idx: idx}

	// Effective weights and the coefficients of the total's formula.
	sum := new(big.Rat)
	for _, c := range r.Criteria {
		sum.Add(sum, ratOf(c.Weight))
	}
	relative := r.Weights == RelativeWeights
	totalMax := ratOf(r.totalMax())
	res.coef = make([]*big.Rat, nc)
	res.lo = make([]*big.Rat, nc)
	e.los = make([]decimal.Decimal, nc)
	e.his = make([]decimal.Decimal, nc)
	for i := range r.Criteria {
		lo, hi, _ := r.criterionRange(&r.Criteria[i])
		e.los[i], e.his[i] = lo, hi
		w := ratOf(r.Criteria[i].Weight)
		if relative {
			w.Quo(w, sum)
		}
		k := new(big.Rat).Mul(totalMax, w)
		k.Quo(k, ratOf(hi.Sub(lo)))
		res.coef[i] = k
		res.lo[i] = ratOf(lo)
	}

	res.judgeIDs = idx.judgeIDs
	// Conflicts are few: a project with none (the usual case) skips the
	// map.
	type pair struct{ j, p int32 }
	conflicts := make(map[pair]Reason)
	conflicted := make([]bool, len(in.Projects))
	for i, j := range in.Judges {
		for _, c := range j.Conflicts {
			p := idx.projects[c]
			conflicts[pair{int32(i), int32(p)}] = Conflict
			conflicted[p] = true
		}
		for _, a := range j.Abstains {
			p := idx.projects[a]
			if _, c := conflicts[pair{int32(i), int32(p)}]; !c {
				conflicts[pair{int32(i), int32(p)}] = Abstained
			}
			conflicted[p] = true
		}
	}
	// Cooperatives as numbers: a judge's, or −1 for none; a project's, if
	// some judge shares it, else −1.
	judgeCoop := make([]int32, len(in.Judges))
	coops := map[string]int32{}
	for i, j := range in.Judges {
		judgeCoop[i] = -1
		if j.Cooperative != "" {
			if _, ok := coops[j.Cooperative]; !ok {
				coops[j.Cooperative] = int32(len(coops))
			}
			judgeCoop[i] = coops[j.Cooperative]
		}
	}
	projectCoop := make([]int32, len(in.Projects))
	for i, p := range in.Projects {
		projectCoop[i] = -1
		if k, ok := coops[p.Cooperative]; ok {
			projectCoop[i] = k
		}
	}

	// Exclusions, decided across cores; each chunk's in input order.
	n := in.Scores.Len()
	e.crit, e.proj, e.judge = idx.crit, idx.proj, idx.judge
	counted := make([]bool, n)
	var mu sync.Mutex
	excluded := map[int][]Exclusion{}
	parallel.For(context.Background(), n, 1<<16, func(lo, hi int) error {
		var out []Exclusion
		for i := lo; i < hi; i++ {
			ji, pi := e.judge[i], e.proj[i]
			var reason Reason
			if in.Judges != nil {
				var declared Reason // Conflict or Abstained
				if conflicted[pi] {
					declared = conflicts[pair{ji, pi}]
				}
				switch jc := judgeCoop[ji]; {
				case declared == Conflict:
					reason = Conflict
				case jc >= 0 && jc == projectCoop[pi]:
					reason = SameCooperative
				default:
					reason = declared
				}
			}
			if reason != "" {
				s := in.Scores.At(i)
				out = append(out, Exclusion{Score: i, Judge: s.Judge, Project: s.Project, Criterion: s.Criterion, Reason: reason})
				continue
			}
			counted[i] = true
		}
		if len(out) > 0 {
			mu.Lock()
			excluded[lo] = out
			mu.Unlock()
		}
		return nil
	})
	for _, lo := range slices.Sorted(maps.Keys(excluded)) {
		res.Excluded = append(res.Excluded, excluded[lo]...)
	}
	e.counts = make([]int32, len(in.Projects)*nc+1)
	for i, ok := range counted {
		if ok {
			e.counts[int(e.proj[i])*nc+int(e.crit[i])]++
		}
	}

	// Counting sort of the counted scores by (project, criterion).
	res.off = make([]int32, len(e.counts))
	var at int32
	for k, c := range e.counts {
		res.off[k] = at
		at += c
	}
	res.judge = make([]int32, at)
	res.score = make([]int32, at)
	next := slices.Clone(res.off)
	for i := range n {
		if !counted[i] {
			continue
		}
		k := int(e.proj[i])*nc + int(e.crit[i])
		res.judge[next[k]] = e.judge[i]
		res.score[next[k]] = int32(i)
		next[k]++
	}
	return e
}

// aggregate computes every project's aggregates, total and eligibility,
// projects spread over the machine's cores. Each project takes the int64
// path (fast.go) when its numbers fit, and the big.Rat path otherwise; both
// give the same exact values.
func (e *evaluation) aggregate(ctx context.Context) error {
	r, res := e.r, e.res
	nc := res.ncrit
	in := res.in
	if r.method() == ZScore {
		e.z = e.zscores()
	} else {
		res.scaled = e.scale()
		res.fast = e.fastRubric()
	}
	if e.noFast {
		res.fast = nil
	}
	minJudges := r.minJudges()
	trim := 0
	if r.method() == TrimmedMean {
		trim = r.Aggregation.Trim
	}
	thresholds := make([]exact.NullNum, nc)
	for c := range nc {
		if t := r.Criteria[c].Threshold; t.Valid {
			thresholds[c] = exact.NullNum{Num: exact.FromDecimal(t.Decimal), Valid: true}
		}
	}
	var totalThreshold exact.NullNum
	if t := r.TotalThreshold; t.Valid {
		totalThreshold = exact.NullNum{Num: exact.FromDecimal(t.Decimal), Valid: true}
	}
	res.Projects = make([]Outcome, len(in.Projects))
	aggs := make([]Aggregate, len(in.Projects)*nc)
	var slow atomic.Int64
	err := parallel.For(ctx, len(in.Projects), 2048, func(lo, hi int) error {
		seen := make([]int, len(res.judgeIDs)) // project index + 1 that last counted each judge
		var buf []int64
		for p := lo; p < hi; p++ {
			o := &res.Projects[p]
			o.ID = in.Projects[p].ID
			o.Criteria = aggs[p*nc : (p+1)*nc : (p+1)*nc]
			var quorum, threshold []string
			for c := range nc {
				k := p*nc + c
				a, b := res.off[k], res.off[k+1]
				for _, j := range res.judge[a:b] {
					if seen[j] != p+1 {
						seen[j] = p + 1
						o.Judges++
					}
				}
				o.Criteria[c].Counted = int(b - a)
				if int(b-a) < minJudges || int(b-a) <= 2*trim {
					quorum = append(quorum, "quorum:"+r.Criteria[c].ID)
				}
			}
			var ok bool
			if res.fast != nil {
				ok, buf = e.fastValues(p, o, trim, buf)
			}
			if !ok {
				e.bigValues(p, o, trim)
				slow.Add(1)
			}
			for c := range nc {
				agg := &o.Criteria[c]
				if t := thresholds[c]; t.Valid && agg.Rounded.Valid && agg.Rounded.Num.Cmp(t.Num) < 0 {
					threshold = append(threshold, "threshold:"+r.Criteria[c].ID)
				}
			}
			o.Reasons = append(quorum, threshold...)
			if t := totalThreshold; t.Valid && o.Rounded.Valid && o.Rounded.Num.Cmp(t.Num) < 0 {
				o.Reasons = append(o.Reasons, "total_threshold")
			}
			o.Eligible = len(o.Reasons) == 0
			if o.Reasons == nil {
				o.Reasons = []string{}
			}
		}
		return nil
	})
	res.slow = int(slow.Load())
	return err
}

// bigValues sets the aggregates, contributions and total of project p on
// big.Rat, for any input.
func (e *evaluation) bigValues(p int, o *Outcome, trim int) {
	res := e.res
	total := new(big.Rat)
	defined := true
	for c := range res.ncrit {
		k := p*res.ncrit + c
		a, b := res.off[k], res.off[k+1]
		agg := &o.Criteria[c]
		var v *big.Rat
		switch {
		case a == b || int(b-a) <= 2*trim:
			// undefined
		case e.z != nil:
			v = e.z.aggregate(c, a, b)
		default:
			v = res.scaled.aggregateBig(c, res.score[a:b], e.r.method(), trim)
		}
		if v == nil {
			agg.Value, agg.Rounded = exact.NullNum{}, exact.NullNum{}
			defined = false
			continue
		}
		contribution := new(big.Rat).Sub(v, res.lo[c])
		contribution.Mul(contribution, res.coef[c])
		total.Add(total, contribution)
		agg.Value = valid(exact.FromRat(v))
		agg.Rounded = valid(agg.Value.Num.Round(e.places, e.mode))
	}
	o.Total, o.Rounded = exact.NullNum{}, exact.NullNum{}
	if defined {
		o.Total = valid(exact.FromRat(total))
		o.Rounded = valid(o.Total.Num.Round(e.places, e.mode))
	}
}

func valid(x exact.Num) exact.NullNum { return exact.NullNum{Num: x, Valid: true} }

// scaledScores holds every counted score of each criterion as an integer:
// the score times 10^exp[c], where exp[c] covers every counted score and
// the criterion's bounds. Criteria whose scaled scores would not fit in
// maxFastDigits digits are held as big integers instead.
type scaledScores struct {
	exp  []int      // per criterion
	ints []int64    // per score of Input.Scores, when its criterion is narrow
	bigs []*big.Int // per score of Input.Scores, when its criterion is wide
	// Without ints, score i of criterion c is byValue[value[i]*nc+c].
	byValue []int64
	value   []int32
	nc      int
	wide    []bool     // per criterion
	denom   []*big.Int // per criterion: 10^exp[c]
}

// maxFastDigits bounds the digits of a scaled score on the int64 path, so
// that sums of scores can be checked for overflow cheaply.
const maxFastDigits = 17

func (e *evaluation) scale() *scaledScores {
	res := e.res
	nc := res.ncrit
	s := &scaledScores{exp: make([]int, nc), wide: make([]bool, nc), denom: make([]*big.Int, nc)}
	in := res.in.Scores
	if !slices.Contains(e.idx.slow, true) {
		// Validation scaled every score already.
		copy(s.exp, e.idx.exp)
		s.ints, s.byValue, s.value, s.nc = e.idx.val, e.idx.byValue, e.idx.value, e.idx.nc
		for c := range nc {
			s.denom[c] = pow10(s.exp[c])
		}
		return s
	}
	for c := range nc {
		s.exp[c] = max(0, -int(e.los[c].Exponent()), -int(e.his[c].Exponent()))
	}
	for _, i := range res.score {
		c := e.crit[i]
		if ex := -int(in.value(int(i)).Exponent()); ex > s.exp[c] {
			s.exp[c] = ex
		}
	}
	for c := range nc {
		for _, v := range []decimal.Decimal{e.los[c], e.his[c]} {
			if v.NumDigits()+s.exp[c]+int(v.Exponent()) > maxFastDigits {
				s.wide[c] = true
			}
		}
	}
	for _, i := range res.score {
		v := in.value(int(i))
		c := e.crit[i]
		if v.NumDigits()+s.exp[c]+int(v.Exponent()) > maxFastDigits {
			s.wide[c] = true
		}
	}
	s.ints = make([]int64, in.Len())
	if slices.Contains(s.wide, true) {
		s.bigs = make([]*big.Int, in.Len())
	}
	for _, i := range res.score {
		v := in.value(int(i))
		c := e.crit[i]
		shift := s.exp[c] + int(v.Exponent())
		if s.wide[c] {
			s.bigs[i] = new(big.Int).Mul(v.Coefficient(), pow10(shift))
		} else {
			s.ints[i] = v.CoefficientInt64() * powers10[shift]
		}
	}
	for c := range nc {
		s.denom[c] = pow10(s.exp[c])
	}
	return s
}

// at returns score i of criterion c, scaled, when c is narrow.
func (s *scaledScores) at(i int32, c int) int64 {
	if s.ints != nil {
		return s.ints[i]
	}
	return s.byValue[int(s.value[i])*s.nc+c]
}

// aggregateBig returns the aggregate of the scores xs (indices in
// Input.Scores) of criterion c by method m, on big integers.
func (s *scaledScores) aggregateBig(c int, xs []int32, m Method, trim int) *big.Rat {
	vs := make([]*big.Int, len(xs))
	for k, i := range xs {
		if s.wide[c] {
			vs[k] = s.bigs[i]
		} else {
			vs[k] = big.NewInt(s.at(i, c))
		}
	}
	lo, hi := 0, len(vs)
	switch m {
	case Median:
		slices.SortFunc(vs, (*big.Int).Cmp)
		mid := len(vs) / 2
		if len(vs)%2 == 1 {
			return new(big.Rat).SetFrac(vs[mid], s.denom[c])
		}
		lo, hi = mid-1, mid+1
	case TrimmedMean:
		slices.SortFunc(vs, (*big.Int).Cmp)
		lo, hi = trim, len(vs)-trim
	}
	sum := new(big.Int)
	for _, v := range vs[lo:hi] {
		sum.Add(sum, v)
	}
	den := new(big.Int).Mul(big.NewInt(int64(hi-lo)), s.denom[c])
	return new(big.Rat).SetFrac(sum, den)
}

// zscores holds, per counted score, its z-score-adjusted value.
type zscores struct {
	adjusted []*big.Rat
}

// zscores adjusts every counted score: s becomes
// μ(c) + σ(c)·(s − μ(J,c))/σ(J,c), or μ(c) when σ(J,c) = 0, clamped to the
// criterion's range (SPEC.md section 3).
func (e *evaluation) zscores() *zscores {
	res := e.res
	nc := res.ncrit
	nj := len(res.judgeIDs)
	in := res.in.Scores
	type moments struct {
		n         int64
		sum, sum2 big.Rat
	}
	perJudge := make([]moments, nj*nc)
	perCrit := make([]moments, nc)
	vals := make([]*big.Rat, len(res.score))
	for k, i := range res.score {
		v := ratOf(in.value(int(i)))
		vals[k] = v
		c := int(e.crit[i])
		sq := new(big.Rat).Mul(v, v)
		for _, m := range []*moments{&perJudge[int(res.judge[k])*nc+c], &perCrit[c]} {
			m.n++
			m.sum.Add(&m.sum, v)
			m.sum2.Add(&m.sum2, sq)
		}
	}
	// mean and population variance: E[s], E[s²] − E[s]².
	stats := func(m *moments) (mean, variance *big.Rat) {
		n := new(big.Rat).SetInt64(m.n)
		mean = new(big.Rat).Quo(&m.sum, n)
		variance = new(big.Rat).Quo(&m.sum2, n)
		variance.Sub(variance, new(big.Rat).Mul(mean, mean))
		return mean, variance
	}
	type adjust struct{ muJ, ratio *big.Rat } // ratio nil: σ(J,c) = 0
	cache := make([]*adjust, nj*nc)
	muC := make([]*big.Rat, nc)
	varC := make([]*big.Rat, nc)
	for c := range nc {
		if perCrit[c].n > 0 {
			muC[c], varC[c] = stats(&perCrit[c])
		}
	}
	z := &zscores{adjusted: make([]*big.Rat, len(res.score))}
	for k, i := range res.score {
		c := int(e.crit[i])
		ji := int(res.judge[k])*nc + c
		if cache[ji] == nil {
			mu, v := stats(&perJudge[ji])
			a := &adjust{muJ: mu}
			if v.Sign() != 0 {
				a.ratio = sqrtRat(new(big.Rat).Quo(varC[c], v))
			}
			cache[ji] = a
		}
		a := cache[ji]
		adj := new(big.Rat).Set(muC[c])
		if a.ratio != nil {
			d := new(big.Rat).Sub(vals[k], a.muJ)
			adj.Add(adj, d.Mul(d, a.ratio))
		}
		if lo := e.res.lo[c]; adj.Cmp(lo) < 0 {
			adj.Set(lo)
		} else if hi := ratOf(e.his[c]); adj.Cmp(hi) > 0 {
			adj.Set(hi)
		}
		z.adjusted[k] = adj
	}
	return z
}

func (z *zscores) aggregate(c int, a, b int32) *big.Rat {
	sum := new(big.Rat)
	for _, v := range z.adjusted[a:b] {
		sum.Add(sum, v)
	}
	return sum.Quo(sum, new(big.Rat).SetInt64(int64(b-a)))
}

// Ballot is one judge's own weighted total of a project: the formula of the
// total applied to that judge's counted scores alone, exactly.
type Ballot struct {
	Judge string
	Total exact.Num
}

// Ballots returns the ballots of the judges who have a counted score of
// project p (an index in Input.Projects) on every criterion of positive
// weight, ordered by judge ID. The head_to_head tie-break compares them.
func (res *Result) Ballots(p int) []Ballot {
	nc := res.ncrit
	type vote struct {
		judge int32
		c     int
		x     int32 // index of the counted score
	}
	var votes []vote
	need := 0
	for c := range nc {
		if res.coef[c].Sign() == 0 {
			continue
		}
		need++
		k := p*nc + c
		for x := res.off[k]; x < res.off[k+1]; x++ {
			votes = append(votes, vote{res.judge[x], c, x})
		}
	}
	slices.SortFunc(votes, func(a, b vote) int { return cmp.Compare(a.judge, b.judge) })
	var out []Ballot
	for i := 0; i < len(votes); {
		j := i
		for j < len(votes) && votes[j].judge == votes[i].judge {
			j++
		}
		if j-i == need { // a judge scores a criterion at most once
			xs := make([]int32, 0, j-i)
			cs := make([]int, 0, j-i)
			for _, v := range votes[i:j] {
				xs, cs = append(xs, v.x), append(cs, v.c)
			}
			out = append(out, Ballot{Judge: res.judgeIDs[votes[i].judge], Total: res.ballot(cs, xs)})
		}
		i = j
	}
	slices.SortFunc(out, func(x, y Ballot) int { return cmp.Compare(x.Judge, y.Judge) })
	return out
}

// ballot returns Σ coef(c)·(s − min(c)) over one judge's counted scores
// xs of criteria cs.
func (res *Result) ballot(cs []int, xs []int32) exact.Num {
	if t, ok := res.fast.ballot(res.scaled, cs, xs, res.score); ok {
		return t
	}
	total := new(big.Rat)
	for i, x := range xs {
		d := ratOf(res.in.Scores.At(int(res.score[x])).Value)
		d.Sub(d, res.lo[cs[i]])
		total.Add(total, d.Mul(d, res.coef[cs[i]]))
	}
	return exact.FromRat(total)
}

// Counted is one counted score in a breakdown.
type Counted struct {
	Judge string
	Value decimal.Decimal
}

// CriterionBreakdown is how one criterion's aggregate came about.
type CriterionBreakdown struct {
	Criterion string
	Counted   []Counted // the counted scores, in input order
	Aggregate           // the aggregate
	// Contribution is the criterion's exact share of the total,
	// total_max·w'(c)·(a − min)/(max − min); undefined with the aggregate.
	Contribution exact.NullNum
}

// Breakdown explains one project's result: for every criterion, which
// judges' scores counted and what each criterion contributed to the total;
// and which of its scores were excluded, and why.
type Breakdown struct {
	Project  string
	Criteria []CriterionBreakdown // in rubric order
	Excluded []Exclusion          // in input order
}

// Breakdown returns the breakdown of project p, an index in
// Input.Projects.
func (res *Result) Breakdown(p int) Breakdown {
	nc := res.ncrit
	b := Breakdown{Project: res.Projects[p].ID, Criteria: make([]CriterionBreakdown, nc)}
	for c := range nc {
		k := p*nc + c
		cb := &b.Criteria[c]
		cb.Criterion = res.rubric.Criteria[c].ID
		cb.Aggregate = res.Projects[p].Criteria[c]
		if v := cb.Aggregate.Value; v.Valid {
			x := v.Num.Rat()
			x.Sub(x, res.lo[c])
			cb.Contribution = valid(exact.FromRat(x.Mul(x, res.coef[c])))
		}
		for x := res.off[k]; x < res.off[k+1]; x++ {
			s := res.in.Scores.At(int(res.score[x]))
			cb.Counted = append(cb.Counted, Counted{Judge: s.Judge, Value: s.Value})
		}
	}
	for _, x := range res.Excluded {
		if x.Project == b.Project {
			b.Excluded = append(b.Excluded, x)
		}
	}
	return b
}
