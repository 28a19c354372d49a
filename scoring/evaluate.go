package scoring

import (
	"cmp"
	"context"
	"iter"
	"maps"
	"math"
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
	// Counted is the number of counted scores.
	Counted int
	// The rubric's rounding, for Rounded.
	places, mode int8
}

// Rounded returns Value rounded to the rubric's places with its mode (the
// published value), undefined when Value is. It is computed when asked:
// an Aggregate holds the exact value alone.
func (a Aggregate) Rounded() exact.NullNum {
	if !a.Value.Valid {
		return exact.NullNum{}
	}
	return valid(a.Value.Num.Round(int(a.places), exact.Mode(a.mode)))
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

// Result is the outcome of scoring: one Outcome per project, in input
// order ([Result.Outcome], [Result.Outcomes]), and the excluded scores in
// input order. It holds every project's numbers in a few bytes (about 16
// a criterion and 20 a project, for the usual values: those of a mean,
// median or trimmed mean of scores on a grid, and their totals) and makes
// an Outcome when asked; values that do not fit are held apart, exactly.
// A Result keeps what it needs of its Input as it was: the caller may
// change the Input's projects, judges and scores once Evaluate returns.
// It is safe to read from many goroutines.
type Result struct {
	Excluded []Exclusion

	rubric   *Rubric
	in       Input
	idx      *index // the scores' judges, criteria and values, and where each project's are
	judgeIDs []string
	ncrit    int
	coef     []*big.Rat // per criterion: total_max·w'(c)/(max−min)
	lo       []*big.Rat // per criterion: its minimum
	// excluded holds the index of every excluded score, in input order;
	// touched[p] says that project p has one.
	excluded []int32
	touched  []bool
	scaled   *scaledScores
	fast     *fastRubric // nil: every project takes the big path
	slow     int         // projects that took the big path, for tests

	// The projects' numbers (see store).
	places, mode int8
	// Per project p and criterion c, its aggregate: small[p·ncrit+c]
	// when every aggregate is known to fit in 8 bytes (see smallFits),
	// else cells[p·ncrit+c]. The other is nil.
	cells   []aggCell
	small   []smallCell
	totals  []total             // per project
	judges  []int32             // per project: Outcome.Judges
	reasons map[int32][]string  // the ineligible projects' Outcome.Reasons
	bigs    map[int64]exact.Num // the values that fit neither: a cell's by its index i, project p's total by −(p+1)
	bigsMu  sync.Mutex          // guards bigs while the projects are scored
}

// aggCell is one project's aggregate on one criterion: its exact value
// num/den, undefined when den is 0 and held in Result.bigs when den is
// bigCell; and its count of scores.
type aggCell struct {
	num     int64
	den     uint32
	counted uint32
}

// smallCell is aggCell in 8 bytes, for a Result whose aggregates all fit
// (see smallFits): num/den, undefined when den is 0 and held in
// Result.bigs when den is bigSmall.
type smallCell struct {
	num     int32
	den     uint16
	counted uint16
}

// total is one project's exact total, num/den: undefined when den is 0,
// held in Result.bigs when den is bigTotal.
type total struct {
	num, den int64
}

const (
	bigCell  = math.MaxUint32
	bigSmall = math.MaxUint16
	bigTotal = -1
)

// Len returns the number of projects: those of the Input, or when it
// lists none (Projects and ProjectList nil), the distinct projects its
// scores name, in order of first appearance. A project index p is an
// index in that list.
func (res *Result) Len() int { return len(res.totals) }

// Outcome returns the outcome of project p (0 ≤ p < Len(); see Len). It
// is made for the call: the caller may keep or modify it.
func (res *Result) Outcome(p int) Outcome {
	var o Outcome
	res.ReadOutcome(p, &o)
	return o
}

// ReadOutcome sets *o to Outcome(p), with its Criteria in o.Criteria's
// storage when it has room: a caller that goes through many projects
// makes no allocation for each.
func (res *Result) ReadOutcome(p int, o *Outcome) {
	*o = Outcome{
		ID:       res.idx.projectID(p),
		Total:    res.Total(p),
		Criteria: slices.Grow(o.Criteria[:0], res.ncrit)[:res.ncrit],
		Judges:   int(res.judges[p]),
		Reasons:  res.Reasons(p),
	}
	o.Rounded = res.round(o.Total)
	o.Eligible = len(o.Reasons) == 0
	for c := range o.Criteria {
		o.Criteria[c] = res.Aggregate(p, c)
	}
}

// Outcomes returns an iterator over the projects' indices (see Len) and
// outcomes, in input order.
func (res *Result) Outcomes() iter.Seq2[int, Outcome] {
	return func(yield func(int, Outcome) bool) {
		for p := range res.Len() {
			if !yield(p, res.Outcome(p)) {
				return
			}
		}
	}
}

// Aggregate returns project p's aggregate on criterion c, an index in
// the rubric's criteria (0 ≤ p < Len(), 0 ≤ c < len(Rubric.Criteria)):
// Outcome(p).Criteria[c], without making the Outcome.
func (res *Result) Aggregate(p, c int) Aggregate {
	i := p*res.ncrit + c
	var num int64
	var den, counted uint32
	big := false
	if res.small != nil {
		x := res.small[i]
		num, den, counted, big = int64(x.num), uint32(x.den), uint32(x.counted), x.den == bigSmall
	} else {
		x := res.cells[i]
		num, den, counted, big = x.num, x.den, x.counted, x.den == bigCell
	}
	a := Aggregate{Counted: int(counted), places: res.places, mode: res.mode}
	switch {
	case den == 0:
	case big:
		a.Value = valid(res.bigs[int64(i)])
	default:
		a.Value = valid(exact.Frac(num, int64(den)))
	}
	return a
}

// Total returns project p's exact total (0 ≤ p < Len()): Outcome(p).Total.
func (res *Result) Total(p int) exact.NullNum {
	switch t := res.totals[p]; t.den {
	case 0:
		return exact.NullNum{}
	case bigTotal:
		return valid(res.bigs[int64(-(p + 1))])
	default:
		return valid(exact.Frac(t.num, t.den))
	}
}

// Rounded returns project p's published total: Outcome(p).Rounded.
func (res *Result) Rounded(p int) exact.NullNum { return res.round(res.Total(p)) }

func (res *Result) round(x exact.NullNum) exact.NullNum {
	if !x.Valid {
		return x
	}
	return valid(x.Num.Round(int(res.places), exact.Mode(res.mode)))
}

// Eligible reports whether project p (0 ≤ p < Len()) is eligible:
// Outcome(p).Eligible.
func (res *Result) Eligible(p int) bool {
	_, out := res.reasons[int32(p)]
	return !out
}

// Reasons returns the failed eligibility rules of project p (0 ≤ p <
// Len()): Outcome(p).Reasons, empty (not nil) when it is eligible, made
// for the call.
func (res *Result) Reasons(p int) []string {
	if r, ok := res.reasons[int32(p)]; ok {
		return slices.Clone(r)
	}
	return []string{}
}

// store keeps project p's numbers, computed in o, in the Result's
// columns; the reasons are kept by the caller.
func (res *Result) store(p int, o *Outcome) {
	nc := res.ncrit
	for c := range nc {
		a := &o.Criteria[c]
		i := p*nc + c
		if res.small != nil {
			x := smallCell{counted: uint16(a.Counted)} // smallFits bounds the counts
			if a.Value.Valid {
				if num, den, ok := a.Value.Num.Frac64(); ok && den < bigSmall && num >= math.MinInt32 && num <= math.MaxInt32 {
					x.num, x.den = int32(num), uint16(den)
				} else {
					x.den = bigSmall
					res.putBig(int64(i), a.Value.Num)
				}
			}
			res.small[i] = x
			continue
		}
		x := aggCell{counted: uint32(a.Counted)}
		if a.Value.Valid {
			if num, den, ok := a.Value.Num.Frac64(); ok && den < bigCell {
				x.num, x.den = num, uint32(den)
			} else {
				x.den = bigCell
				res.putBig(int64(i), a.Value.Num)
			}
		}
		res.cells[i] = x
	}
	res.judges[p] = int32(o.Judges)
	var t total
	if o.Total.Valid {
		if num, den, ok := o.Total.Num.Frac64(); ok {
			t = total{num, den}
		} else {
			t.den = bigTotal
			res.putBig(int64(-(p + 1)), o.Total.Num)
		}
	}
	res.totals[p] = t
}

func (res *Result) putBig(k int64, x exact.Num) {
	res.bigsMu.Lock()
	defer res.bigsMu.Unlock()
	if res.bigs == nil {
		res.bigs = make(map[int64]exact.Num)
	}
	res.bigs[k] = x
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
	// The table's map of its project IDs, if it has one, serves while
	// Evaluate runs (nothing may change the table meanwhile); the Result
	// keeps the scores as they are now, without it.
	tableIndex := in.Scores.projectIndex()
	in.Scores = in.Scores.snapshot()
	var ps Problems
	if err := r.Validate(); err != nil {
		ps = append(ps, err.(Problems).Prefix("rubric")...)
	}
	inputProblems, idx := r.validateInputIndexed(in, tableIndex)
	if ps = append(ps, inputProblems...); len(ps) > 0 {
		return nil, ps
	}
	e := newEvaluation(r, in, idx)
	e.noFast = noFast
	err := e.aggregate(ctx)
	// The maps of project IDs are no longer needed (Breakdown and Ballots
	// go by index), and the table's may change once Evaluate returns.
	// Nor are the input's projects (their IDs are in idx.ids) and judges.
	idx.byTable, idx.projects, idx.in = nil, nil, nil
	if err != nil {
		return nil, err
	}
	e.res.in = Input{Scores: e.res.in.Scores} // only the scores are read once Evaluate returns
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
	los    []decimal.Decimal
	his    []decimal.Decimal
}

func newEvaluation(r *Rubric, in Input, idx *index) *evaluation {
	nc := len(r.Criteria)
	places, mode := r.Rounding.effective()
	res := &Result{rubric: r, in: in, ncrit: nc, idx: idx, places: int8(places), mode: int8(mode.Exact())}
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
	np := idx.numProjects()
	res.touched = make([]bool, np)
	if in.Judges == nil {
		return e // no judges list: no conflicts, no cooperatives, no exclusions
	}
	// Conflicts are few: a project with none (the usual case) skips the
	// map.
	type pair struct{ j, p int32 }
	conflicts := make(map[pair]Reason)
	conflicted := make([]bool, np)
	for i, j := range in.Judges {
		for _, c := range j.Conflicts {
			p, _ := idx.project(c)
			conflicts[pair{int32(i), int32(p)}] = Conflict
			conflicted[p] = true
		}
		for _, a := range j.Abstains {
			p, _ := idx.project(a)
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
	projectCoop := make([]int32, np)
	for i := range projectCoop {
		projectCoop[i] = -1
		if idx.in == nil || len(coops) == 0 {
			continue // the scores' projects, of no cooperative; or no judge's cooperative to share
		}
		if k, ok := coops[idx.in.At(i).Cooperative]; ok {
			projectCoop[i] = k
		}
	}

	// Exclusions, in input order: only the runs of projects with a conflict
	// or a cooperative some judge shares are read.
	t := idx.t
	for r, tp := range t.runProject {
		pi := idx.projectOf[tp]
		if !conflicted[pi] && projectCoop[pi] < 0 {
			continue
		}
		for i := int(t.runStart[r]); i < t.runEnd(r); i++ {
			ji, _, _ := idx.ref(i)
			var declared Reason // Conflict or Abstained
			if conflicted[pi] {
				declared = conflicts[pair{ji, pi}]
			}
			reason := declared
			switch jc := judgeCoop[ji]; {
			case declared == Conflict:
			case jc >= 0 && jc == projectCoop[pi]:
				reason = SameCooperative
			}
			if reason == "" {
				continue
			}
			sc := t.score(i, tp)
			res.Excluded = append(res.Excluded, Exclusion{Score: i, Judge: sc.Judge, Project: sc.Project, Criterion: sc.Criterion, Reason: reason})
			res.excluded = append(res.excluded, int32(i))
			res.touched[pi] = true
		}
	}
	return e
}

// eachCounted calls f with each counted score of project p, in input
// order: its index in Input.Scores, its judge and criterion (indices in
// the input) and its value's index in the table.
func (res *Result) eachCounted(p int, f func(i int, judge, criterion, value int32)) {
	idx := res.idx
	a, b, seq := idx.span(p)
	touched := res.touched[p]
	for x := a; x < b; x++ {
		i := x
		if seq != nil {
			i = int(seq[x])
		}
		if touched {
			if _, out := slices.BinarySearch(res.excluded, int32(i)); out {
				continue
			}
		}
		j, c, v := idx.ref(i)
		f(i, j, c, v)
	}
}

// projectScores is one project's counted scores, gathered per criterion:
// scratch space that one goroutine reuses from project to project.
type projectScores struct {
	of     [][]int32 // per criterion: the counted scores' indices in Input.Scores, in input order
	values [][]int32 // per criterion, beside of: their values' indices in the table
}

// gather collects project p's counted scores, and calls judge with each
// one's judge.
func (ps *projectScores) gather(res *Result, p int, judge func(j int32)) {
	if ps.of == nil {
		ps.of, ps.values = make([][]int32, res.ncrit), make([][]int32, res.ncrit)
	}
	for c := range ps.of {
		ps.of[c], ps.values[c] = ps.of[c][:0], ps.values[c][:0]
	}
	res.eachCounted(p, func(i int, j, c, v int32) {
		ps.of[c] = append(ps.of[c], int32(i))
		ps.values[c] = append(ps.values[c], v)
		judge(j)
	})
}

// aggregate computes every project's aggregates, total and eligibility,
// projects spread over the machine's cores. Each project takes the int64
// path (fast.go) when its numbers fit, and the big.Rat path otherwise; both
// give the same exact values.
func (e *evaluation) aggregate(ctx context.Context) error {
	r, res := e.r, e.res
	nc := res.ncrit
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
	np := res.idx.numProjects()
	if e.smallFits() {
		res.small = make([]smallCell, np*nc)
	} else {
		res.cells = make([]aggCell, np*nc)
	}
	res.totals, res.judges = make([]total, np), make([]int32, np)
	res.reasons = make(map[int32][]string)
	var reasonsMu sync.Mutex
	var slow atomic.Int64
	err := parallel.For(ctx, np, 2048, func(lo, hi int) error {
		seen := make([]int, len(res.judgeIDs)) // project index + 1 that last counted each judge
		var buf []int64
		var ps projectScores
		// o is scratch space: each project's numbers are computed in it,
		// then stored in the Result's columns.
		o := &Outcome{Criteria: make([]Aggregate, nc)}
		type ineligible struct {
			p       int32
			reasons []string
		}
		var out []ineligible
		for p := lo; p < hi; p++ {
			o.Judges = 0
			ps.gather(res, p, func(j int32) {
				if seen[j] != p+1 {
					seen[j] = p + 1
					o.Judges++
				}
			})
			var quorum, threshold []string
			for c := range nc {
				n := len(ps.of[c])
				o.Criteria[c] = Aggregate{Counted: n, places: int8(e.places), mode: int8(e.mode)}
				if n < minJudges || n <= 2*trim {
					quorum = append(quorum, "quorum:"+r.Criteria[c].ID)
				}
			}
			var ok bool
			if res.fast != nil {
				ok, buf = e.fastValues(&ps, o, trim, buf)
			}
			if !ok {
				e.bigValues(&ps, o, trim)
				slow.Add(1)
			}
			for c := range nc {
				agg := &o.Criteria[c]
				if t, a := thresholds[c], agg.Rounded(); t.Valid && a.Valid && a.Num.Cmp(t.Num) < 0 {
					threshold = append(threshold, "threshold:"+r.Criteria[c].ID)
				}
			}
			reasons := append(quorum, threshold...)
			if t := totalThreshold; t.Valid && o.Rounded.Valid && o.Rounded.Num.Cmp(t.Num) < 0 {
				reasons = append(reasons, "total_threshold")
			}
			if len(reasons) > 0 {
				out = append(out, ineligible{int32(p), reasons})
			}
			res.store(p, o)
		}
		if len(out) > 0 {
			reasonsMu.Lock()
			defer reasonsMu.Unlock()
			for _, x := range out {
				res.reasons[x.p] = x.reasons
			}
		}
		return nil
	})
	res.slow = int(slow.Load())
	return err
}

// smallFits reports whether every aggregate fits a smallCell: a count
// below 2¹⁶−1 and, on the int64 path (not z-scores), a value num/den with
// den < 2¹⁶−1 and num within 32 bits. An aggregate of k scaled scores is
// A/(k·E), |A| ≤ k·m, for the criterion's scale E and m the largest
// magnitude of its scaled bounds, which every counted score is within: it
// fits when J·E < 2¹⁶−1 and J·m < 2³¹ for J the number of judges, the
// most scores a project has on a criterion. (A median of an even count is
// (a+b)/(2E), within the same bounds.)
func (e *evaluation) smallFits() bool {
	res, f := e.res, e.res.fast
	j := int64(len(res.judgeIDs))
	if f == nil || j >= bigSmall {
		return false
	}
	for c := range res.ncrit {
		hi := new(big.Rat).Mul(ratOf(e.his[c]), new(big.Rat).SetInt(res.scaled.denom[c]))
		if !hi.IsInt() || !hi.Num().IsInt64() {
			return false
		}
		m := max(absInt(f.lo[c]), absInt(hi.Num().Int64()))
		if den, ok := mul(j, f.scale[c]); !ok || den >= bigSmall {
			return false
		}
		if m > math.MaxInt32 || uint64(j)*m > math.MaxInt32 {
			return false
		}
	}
	return true
}

// bigValues sets the aggregates, contributions and total of a project,
// whose counted scores ps holds, on big.Rat, for any input.
func (e *evaluation) bigValues(ps *projectScores, o *Outcome, trim int) {
	res := e.res
	total := new(big.Rat)
	defined := true
	for c := range res.ncrit {
		xs := ps.of[c]
		agg := &o.Criteria[c]
		var v *big.Rat
		switch {
		case len(xs) == 0 || len(xs) <= 2*trim:
			// undefined
		case e.z != nil:
			v = e.z.aggregate(res, xs)
		default:
			v = res.scaled.aggregateBig(c, xs, ps.values[c], e.r.method(), trim)
		}
		if v == nil {
			agg.Value = exact.NullNum{}
			defined = false
			continue
		}
		contribution := new(big.Rat).Sub(v, res.lo[c])
		contribution.Mul(contribution, res.coef[c])
		total.Add(total, contribution)
		agg.Value = valid(exact.FromRat(v))
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
	exp  []int              // per criterion
	ints []int64            // per score of Input.Scores, when its criterion is narrow
	bigs map[int32]*big.Int // per score of Input.Scores, when its criterion is wide
	// Without ints, a score of value v (its index in the table) and
	// criterion c is byValue[v*nc+c].
	byValue []int64
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
	t := e.idx.t
	if !slices.Contains(e.idx.slow, true) {
		// Validation scaled every score already.
		copy(s.exp, e.idx.exp)
		s.ints, s.byValue, s.nc = e.idx.val, e.idx.byValue, e.idx.nc
		for c := range nc {
			s.denom[c] = pow10(s.exp[c])
		}
		return s
	}
	for c := range nc {
		s.exp[c] = max(0, -int(e.los[c].Exponent()), -int(e.his[c].Exponent()))
	}
	// eachCounted calls f with every counted score.
	eachCounted := func(f func(i int, c int32, v decimal.Decimal)) {
		for p := range res.idx.numProjects() {
			res.eachCounted(p, func(i int, _, c, v int32) { f(i, c, t.values[v]) })
		}
	}
	eachCounted(func(_ int, c int32, v decimal.Decimal) {
		if ex := -int(v.Exponent()); ex > s.exp[c] {
			s.exp[c] = ex
		}
	})
	for c := range nc {
		for _, v := range []decimal.Decimal{e.los[c], e.his[c]} {
			if v.NumDigits()+s.exp[c]+int(v.Exponent()) > maxFastDigits {
				s.wide[c] = true
			}
		}
	}
	eachCounted(func(_ int, c int32, v decimal.Decimal) {
		if v.NumDigits()+s.exp[c]+int(v.Exponent()) > maxFastDigits {
			s.wide[c] = true
		}
	})
	s.ints = make([]int64, res.in.Scores.Len())
	if slices.Contains(s.wide, true) {
		s.bigs = make(map[int32]*big.Int)
	}
	eachCounted(func(i int, c int32, v decimal.Decimal) {
		shift := s.exp[c] + int(v.Exponent())
		if s.wide[c] {
			s.bigs[int32(i)] = new(big.Int).Mul(v.Coefficient(), pow10(shift))
		} else {
			s.ints[i] = v.CoefficientInt64() * powers10[shift]
		}
	})
	for c := range nc {
		s.denom[c] = pow10(s.exp[c])
	}
	return s
}

// at returns score i, of value v (its index in the table) and criterion
// c, scaled, when c is narrow.
func (s *scaledScores) at(i, v int32, c int) int64 {
	if s.ints != nil {
		return s.ints[i]
	}
	return s.byValue[int(v)*s.nc+c]
}

// aggregateBig returns the aggregate of the scores xs (indices in
// Input.Scores), of values vs (indices in the table), of criterion c by
// method m, on big integers.
func (s *scaledScores) aggregateBig(c int, xs, vs []int32, m Method, trim int) *big.Rat {
	ns := make([]*big.Int, len(xs))
	for k, i := range xs {
		if s.wide[c] {
			ns[k] = s.bigs[i]
		} else {
			ns[k] = big.NewInt(s.at(i, vs[k], c))
		}
	}
	lo, hi := 0, len(ns)
	switch m {
	case Median:
		slices.SortFunc(ns, (*big.Int).Cmp)
		mid := len(ns) / 2
		if len(ns)%2 == 1 {
			return new(big.Rat).SetFrac(ns[mid], s.denom[c])
		}
		lo, hi = mid-1, mid+1
	case TrimmedMean:
		slices.SortFunc(ns, (*big.Int).Cmp)
		lo, hi = trim, len(ns)-trim
	}
	sum := new(big.Int)
	for _, v := range ns[lo:hi] {
		sum.Add(sum, v)
	}
	den := new(big.Int).Mul(big.NewInt(int64(hi-lo)), s.denom[c])
	return new(big.Rat).SetFrac(sum, den)
}

// zscores holds the z-score-adjusted value of each distinct (judge,
// criterion, value) of the counted scores: the adjustment depends on
// nothing else, so scores on a grid are adjusted a few hundred times, not
// once each.
type zscores struct {
	adjusted map[zkey]*big.Rat
}

// zkey is a (judge, criterion, value) of the counted scores: indices in
// the input, and in the table for the value.
type zkey struct{ judge, criterion, value int32 }

// zscores adjusts every counted score: s becomes
// μ(c) + σ(c)·(s − μ(J,c))/σ(J,c), or μ(c) when σ(J,c) = 0, clamped to the
// criterion's range (SPEC.md section 3).
func (e *evaluation) zscores() *zscores {
	res := e.res
	nc := res.ncrit
	nj := len(res.judgeIDs)
	t := e.idx.t
	// How many counted scores each distinct (judge, criterion, value) has.
	count := map[zkey]int64{}
	for p := range res.idx.numProjects() {
		res.eachCounted(p, func(_ int, j, c, v int32) { count[zkey{j, c, v}]++ })
	}
	keys := slices.SortedFunc(maps.Keys(count), func(a, b zkey) int {
		return cmp.Or(cmp.Compare(a.judge, b.judge), cmp.Compare(a.criterion, b.criterion), cmp.Compare(a.value, b.value))
	})
	type moments struct {
		n         int64
		sum, sum2 big.Rat
	}
	perJudge := make([]moments, nj*nc)
	perCrit := make([]moments, nc)
	rats := make(map[int32]*big.Rat)
	for _, k := range keys {
		v := ratOf(t.values[k.value])
		rats[k.value] = v
		n := new(big.Rat).SetInt64(count[k])
		nv := new(big.Rat).Mul(v, n)
		nsq := new(big.Rat).Mul(nv, v)
		for _, m := range []*moments{&perJudge[int(k.judge)*nc+int(k.criterion)], &perCrit[k.criterion]} {
			m.n += count[k]
			m.sum.Add(&m.sum, nv)
			m.sum2.Add(&m.sum2, nsq)
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
	z := &zscores{adjusted: make(map[zkey]*big.Rat, len(keys))}
	for _, k := range keys {
		c := int(k.criterion)
		ji := int(k.judge)*nc + c
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
			d := new(big.Rat).Sub(rats[k.value], a.muJ)
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

// aggregate returns the mean of the adjusted values of the counted scores
// xs (indices in Input.Scores).
func (z *zscores) aggregate(res *Result, xs []int32) *big.Rat {
	sum := new(big.Rat)
	for _, i := range xs {
		j, c, v := res.idx.ref(int(i))
		sum.Add(sum, z.adjusted[zkey{j, c, v}])
	}
	return sum.Quo(sum, new(big.Rat).SetInt64(int64(len(xs))))
}

// Ballot is one judge's own weighted total of a project: the formula of the
// total applied to that judge's counted scores alone, exactly.
type Ballot struct {
	Judge string
	Total exact.Num
}

// Ballots returns the ballots of the judges who have a counted score of
// project p (a project index; see Len) on every criterion of positive
// weight, ordered by judge ID. The head_to_head tie-break compares them.
func (res *Result) Ballots(p int) []Ballot {
	type vote struct {
		judge int32
		c     int
		x, v  int32 // the score's index in Input.Scores, its value's in the table
	}
	var votes []vote
	need := 0
	for c := range res.ncrit {
		if res.coef[c].Sign() != 0 {
			need++
		}
	}
	res.eachCounted(p, func(i int, j, c, v int32) {
		if res.coef[c].Sign() != 0 {
			votes = append(votes, vote{j, int(c), int32(i), v})
		}
	})
	slices.SortStableFunc(votes, func(a, b vote) int { return cmp.Compare(a.judge, b.judge) })
	var out []Ballot
	for i := 0; i < len(votes); {
		j := i
		for j < len(votes) && votes[j].judge == votes[i].judge {
			j++
		}
		if j-i == need { // a judge scores a criterion at most once
			xs := make([]int32, 0, j-i)
			vs := make([]int32, 0, j-i)
			cs := make([]int, 0, j-i)
			for _, v := range votes[i:j] {
				xs, vs, cs = append(xs, v.x), append(vs, v.v), append(cs, v.c)
			}
			out = append(out, Ballot{Judge: res.judgeIDs[votes[i].judge], Total: res.ballot(cs, xs, vs)})
		}
		i = j
	}
	slices.SortFunc(out, func(x, y Ballot) int { return cmp.Compare(x.Judge, y.Judge) })
	return out
}

// ballot returns Σ coef(c)·(s − min(c)) over one judge's counted scores
// xs (indices in Input.Scores) of values vs (indices in the table) and
// criteria cs.
func (res *Result) ballot(cs []int, xs, vs []int32) exact.Num {
	if t, ok := res.fast.ballot(res.scaled, cs, xs, vs); ok {
		return t
	}
	total := new(big.Rat)
	for i, v := range vs {
		d := ratOf(res.idx.t.values[v])
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

// Breakdown returns the breakdown of project p, a project index (see
// Len).
func (res *Result) Breakdown(p int) Breakdown {
	nc := res.ncrit
	b := Breakdown{Project: res.idx.projectID(p), Criteria: make([]CriterionBreakdown, nc)}
	for c := range nc {
		cb := &b.Criteria[c]
		cb.Criterion = res.rubric.Criteria[c].ID
		cb.Aggregate = res.Aggregate(p, c)
		if v := cb.Aggregate.Value; v.Valid {
			x := v.Num.Rat()
			x.Sub(x, res.lo[c])
			cb.Contribution = valid(exact.FromRat(x.Mul(x, res.coef[c])))
		}
	}
	t := res.idx.t
	res.eachCounted(p, func(i int, _, c, v int32) {
		cb := &b.Criteria[c]
		cb.Counted = append(cb.Counted, Counted{Judge: t.judges.list[t.cellAt(i).judge], Value: t.values[v]})
	})
	for _, x := range res.Excluded {
		if x.Project == b.Project {
			b.Excluded = append(b.Excluded, x)
		}
	}
	return b
}
