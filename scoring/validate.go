package scoring

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"strconv"
	"sync"

	"github.com/afkarlab/afkar/internal/parallel"
	"github.com/shopspring/decimal"
)

// maxProblems caps the problems one validation reports, so that a file
// with a million bad rows yields a readable answer.
const maxProblems = 1000

// ValidateInput reports every problem of the rubric and of in, with JSON paths
// (rubric.criteria[2].weight, projects[3].id, scores[12].score). It returns
// nil or a [Problems].
func (r *Rubric) ValidateInput(in Input) error {
	var ps Problems
	if err := r.Validate(); err != nil {
		ps = append(ps, err.(Problems).Prefix("rubric")...)
	}
	inputProblems, _ := r.validateInput(in)
	ps = append(ps, inputProblems...)
	if len(ps) == 0 {
		return nil
	}
	return ps
}

// ValidateInputOnly is ValidateInput without the rubric's own problems, for
// callers that report those under another path.
func (r *Rubric) ValidateInputOnly(in Input) error {
	if ps, _ := r.validateInput(in); len(ps) > 0 {
		return ps
	}
	return nil
}

// index is what validation learns of a valid input, for evaluation: the
// project, judge and criterion index of every score, and the judges' IDs
// (listed ones first, then those discovered in the scores).
type index struct {
	proj, judge, crit []int32
	judgeIDs          []string
	projects          map[string]int
	// val holds each score times 10^exp[c] of its criterion c, unless
	// slow[c]: some score of c was not checked on int64s. When val is nil,
	// byValue holds them per distinct value of the table instead: score i
	// of criterion c is byValue[value[i]*nc+c].
	val     []int64
	byValue []int64
	value   []int32
	nc      int
	exp     []int
	slow    []bool
}

// indexed is a problem of the score at index i.
type indexed struct {
	i int
	p Problem
}

func (r *Rubric) validateInput(in Input) (Problems, *index) {
	var ps Problems
	add := func(p Problem) {
		if len(ps) < maxProblems {
			ps = append(ps, p)
		} else if len(ps) == maxProblems {
			ps = append(ps, problemf("$", CodeProblemsTruncated, Params{"max": strconv.Itoa(maxProblems)},
				"more than %d problems; the rest are not listed", maxProblems))
		}
	}
	projects := make(map[string]int, len(in.Projects))
	for i, p := range in.Projects {
		switch j, dup := projects[p.ID]; {
		case !ValidID(p.ID):
			add(problemf(fmt.Sprintf("projects[%d].id", i), CodeProjectInvalidID, idParams(p.ID), "%s", describeID(p.ID)))
		case dup:
			add(problemf(fmt.Sprintf("projects[%d].id", i), CodeProjectDuplicate,
				Params{"project": p.ID, "first": fmt.Sprintf("projects[%d]", j)},
				"duplicate project id %q (first at projects[%d])", p.ID, j))
		default:
			projects[p.ID] = i
		}
	}
	var judges map[string]int
	if in.Judges != nil {
		judges = make(map[string]int, len(in.Judges))
		for i, j := range in.Judges {
			switch k, dup := judges[j.ID]; {
			case !ValidID(j.ID):
				add(problemf(fmt.Sprintf("judges[%d].id", i), CodeJudgeInvalidID, idParams(j.ID), "%s", describeID(j.ID)))
			case dup:
				add(problemf(fmt.Sprintf("judges[%d].id", i), CodeJudgeDuplicate,
					Params{"judge": j.ID, "first": fmt.Sprintf("judges[%d]", k)},
					"duplicate judge id %q (first at judges[%d])", j.ID, k))
			default:
				judges[j.ID] = i
			}
			for _, list := range []struct {
				key  string
				ids  []string
				code Code
			}{{"conflicts", j.Conflicts, CodeConflictUnknownProject}, {"abstains", j.Abstains, CodeAbstentionUnknownProject}} {
				for k, c := range list.ids {
					if _, ok := projects[c]; !ok {
						params := Params{"project": c}
						if j.ID != "" {
							params["judge"] = j.ID
						}
						add(problemf(fmt.Sprintf("judges[%d].%s[%d]", i, list.key, k), list.code, params,
							"unknown project %q", c))
					}
				}
			}
		}
	}
	criteria := make(map[string]int, len(r.Criteria))
	for i, c := range r.Criteria {
		if _, dup := criteria[c.ID]; !dup {
			criteria[c.ID] = i
		}
	}
	listed := in.Judges != nil
	n := in.Scores.Len()
	t := in.Scores.table()
	idx := &index{projects: projects}
	for _, j := range in.Judges {
		idx.judgeIDs = append(idx.judgeIDs, j.ID)
	}
	// Each distinct ID of the table is looked up once: the index of the
	// project, judge and criterion it names, or −1.
	remap := func(list []string, of func(string) int) []int32 {
		out := make([]int32, len(list))
		for i, id := range list {
			out[i] = int32(of(id))
		}
		return out
	}
	lookup := func(m map[string]int) func(string) int {
		return func(id string) int {
			if i, ok := m[id]; ok {
				return i
			}
			return -1
		}
	}
	projectOf := remap(t.projects.list, lookup(projects))
	criterionOf := remap(t.criteria.list, lookup(criteria))
	var judgeOf []int32
	if listed {
		judgeOf = remap(t.judges.list, lookup(judges))
	} else {
		// Discovered in the order the scores first name them (which is the
		// table's order unless Set changed a judge): one pass over the
		// column.
		judgeOf = make([]int32, len(t.judges.list))
		for i := range judgeOf {
			judgeOf[i] = -2 // not met yet
		}
		for _, j := range t.judge[:n] {
			if judgeOf[j] != -2 {
				continue
			}
			judgeOf[j] = -1
			if id := t.judges.list[j]; ValidID(id) {
				judgeOf[j] = int32(len(idx.judgeIDs))
				idx.judgeIDs = append(idx.judgeIDs, id)
			}
		}
	}
	// A column whose IDs map to themselves (projects scored in list order,
	// judges discovered in order, criteria in rubric order) is the table's
	// own, read-only; the others are written by scan.
	identity := func(m []int32) bool {
		for i, x := range m {
			if x != int32(i) {
				return false
			}
		}
		return true
	}
	sameP, sameJ, sameC := identity(projectOf), identity(judgeOf), identity(criterionOf)
	column := func(same bool, own []int32) []int32 {
		if same {
			return own[:n:n]
		}
		return make([]int32, n)
	}
	idx.proj, idx.judge, idx.crit = column(sameP, t.project), column(sameJ, t.judge), column(sameC, t.criterion)
	bounds := make([]scoreBounds, len(r.Criteria))
	idx.slow = make([]bool, len(r.Criteria))
	idx.exp = make([]int, len(r.Criteria))
	for i := range r.Criteria {
		bounds[i] = r.bounds(i)
		idx.slow[i] = !bounds[i].ok
		idx.exp[i] = -int(bounds[i].exp)
	}
	valid := make([]bool, n) // judge, project and criterion known
	// check is bounds[c].fastOK of value v of the table, worked out once
	// for each distinct value when there are not too many.
	// The scaled scores go to idx.val, one per score, unless they are
	// worked out per distinct value (idx.byValue).
	check := func(v, c int32) (int64, bool) { return bounds[c].fastOK(t.values[v]) }
	if nv, nc := len(t.values), len(r.Criteria); nv*nc <= 1<<20 {
		idx.byValue = make([]int64, nv*nc)
		fast := make([]bool, nv*nc)
		for v := range nv {
			for c := range nc {
				idx.byValue[v*nc+c], fast[v*nc+c] = bounds[c].fastOK(t.values[v])
			}
		}
		idx.value, idx.nc = t.value, nc
		check = func(v, c int32) (int64, bool) { return 0, fast[int(v)*nc+int(c)] }
	} else {
		idx.val = make([]int64, n)
	}
	// scan checks the scores [lo, hi): it writes their entries of idx and
	// valid, and returns their problems in input order (at most
	// maxProblems+1, enough to say that there are more) and the criteria
	// with a score not checked on int64s. It only reads what it shares.
	scan := func(lo, hi int) ([]indexed, []bool) {
		var problems []indexed
		addScore := func(i int, p Problem) {
			if len(problems) <= maxProblems {
				problems = append(problems, indexed{i, p})
			}
		}
		slow := make([]bool, len(r.Criteria))
		for i := lo; i < hi; i++ {
			at := func() string { return "scores[" + strconv.Itoa(i) + "]" }
			ok := true
			ji, pi, ci := judgeOf[t.judge[i]], projectOf[t.project[i]], criterionOf[t.criterion[i]]
			if ji < 0 {
				ok = false
				if id := t.judges.list[t.judge[i]]; listed {
					addScore(i, problemf(at()+".judge", CodeJudgeUnknown, Params{"judge": id}, "unknown judge %q (not in judges)", id))
				} else {
					addScore(i, problemf(at()+".judge", CodeJudgeInvalidID, idParams(id), "%s", describeID(id)))
				}
			}
			if pi < 0 {
				ok = false
				id := t.projects.list[t.project[i]]
				addScore(i, problemf(at()+".project", CodeProjectUnknown, Params{"project": id}, "unknown project %q", id))
			}
			if ci < 0 {
				ok = false
				id := t.criteria.list[t.criterion[i]]
				addScore(i, problemf(at()+".criterion", CodeCriterionUnknown, Params{"criterion": id}, "unknown criterion %q", id))
			} else if x, fast := check(t.value[i], ci); fast {
				if idx.val != nil {
					idx.val[i] = x
				}
			} else {
				v := t.values[t.value[i]]
				slow[ci] = true
				if e := r.checkScore(int(ci), v); e != nil {
					addScore(i, e.At(at()+".score"))
				}
			}
			if !sameP {
				idx.proj[i] = pi
			}
			if !sameJ {
				idx.judge[i] = ji
			}
			if !sameC {
				idx.crit[i] = ci
			}
			valid[i] = ok
		}
		return problems, slow
	}
	var scoreProblems []indexed
	var mu sync.Mutex
	chunks := map[int][]indexed{}
	parallel.For(context.Background(), n, 1<<16, func(lo, hi int) error {
		problems, slow := scan(lo, hi)
		mu.Lock()
		defer mu.Unlock()
		chunks[lo] = problems
		for c, sl := range slow {
			idx.slow[c] = idx.slow[c] || sl
		}
		return nil
	})
	for _, lo := range slices.Sorted(maps.Keys(chunks)) {
		scoreProblems = append(scoreProblems, chunks[lo]...)
	}
	dups := duplicates(in, idx, valid, len(in.Projects), len(idx.judgeIDs), len(r.Criteria))
	// Merge both lists by score index; a duplicate comes after the other
	// problems of its score.
	for len(scoreProblems) > 0 || len(dups) > 0 {
		if len(dups) == 0 || len(scoreProblems) > 0 && scoreProblems[0].i <= dups[0].i {
			add(scoreProblems[0].p)
			scoreProblems = scoreProblems[1:]
		} else {
			add(dups[0].p)
			dups = dups[1:]
		}
	}
	return ps, idx
}

// duplicates returns the scores that repeat an earlier one's judge,
// project and criterion, in input order (at most maxProblems+1 of them).
// It visits the scores project by project, marking each (judge, criterion)
// pair with the project it was last seen in: no map. Scores grouped by
// project (the usual order) take one pass; others are sorted by project
// first.
func duplicates(in Input, idx *index, valid []bool, np, nj, nc int) []indexed {
	seenIn := make([]int32, nj*nc) // project index + 1 last seen in
	first := make([]int32, nj*nc)  // the score seen there
	var out []indexed
	visit := func(p int32, i int32) {
		k := int(idx.judge[i])*nc + int(idx.crit[i])
		if seenIn[k] != p+1 {
			seenIn[k], first[k] = p+1, i
			return
		}
		s := in.Scores.At(int(i))
		firstAt := "scores[" + strconv.Itoa(int(first[k])) + "]"
		out = append(out, indexed{int(i), problemf("scores["+strconv.Itoa(int(i))+"]", CodeScoreDuplicate,
			Params{"judge": s.Judge, "project": s.Project, "criterion": s.Criterion, "first": firstAt},
			"duplicate score of judge %q on project %q, criterion %q (first at scores[%d])", s.Judge, s.Project, s.Criterion, first[k])})
	}
	if !groupedByProject(idx.proj, valid, np) {
		off := make([]int32, np+1)
		for i, ok := range valid {
			if ok {
				off[idx.proj[i]+1]++
			}
		}
		for p := range np {
			off[p+1] += off[p]
		}
		order := make([]int32, off[np])
		next := slices.Clone(off[:np])
		for i, ok := range valid {
			if ok {
				p := idx.proj[i]
				order[next[p]] = int32(i)
				next[p]++
			}
		}
		for p := range np {
			for _, i := range order[off[p]:off[p+1]] {
				visit(int32(p), i)
			}
		}
		slices.SortFunc(out, func(a, b indexed) int { return cmp.Compare(a.i, b.i) })
	} else {
		for i, ok := range valid {
			if ok {
				visit(idx.proj[i], int32(i))
			}
		}
	}
	if len(out) > maxProblems+1 {
		out = out[:maxProblems+1]
	}
	return out
}

// groupedByProject reports whether the valid scores of each project are
// consecutive.
func groupedByProject(proj []int32, valid []bool, np int) bool {
	done := make([]bool, np) // a project whose run of scores has ended
	cur := int32(-1)
	for i, ok := range valid {
		if !ok || proj[i] == cur {
			continue
		}
		if done[proj[i]] {
			return false
		}
		if cur >= 0 {
			done[cur] = true
		}
		cur = proj[i]
	}
	return true
}

// checkScore returns what is wrong with v as a score of criterion ci, or
// nil.
func (r *Rubric) checkScore(ci int, v decimal.Decimal) *ValueError {
	c := &r.Criteria[ci]
	lo, hi, step := r.criterionRange(c)
	params := func() Params {
		p := Params{"value": v.String(), "criterion": c.ID, "min": lo.String(), "max": hi.String()}
		if step.IsPositive() {
			p["step"] = step.String()
		}
		return p
	}
	switch {
	case v.LessThan(lo):
		return &ValueError{CodeScoreBelowMin, params(),
			fmt.Sprintf("%s is below the minimum %s of criterion %q", v, lo, c.ID)}
	case v.GreaterThan(hi):
		return &ValueError{CodeScoreAboveMax, params(),
			fmt.Sprintf("%s is above the maximum %s of criterion %q", v, hi, c.ID)}
	case step.IsPositive():
		below, on := stepBelow(v, lo, step)
		if on {
			return nil
		}
		p := params()
		p["below"] = below.String()
		if above := below.Add(step); !above.GreaterThan(hi) {
			p["above"] = above.String()
		}
		return &ValueError{CodeScoreStep, p,
			fmt.Sprintf("%s is not min %s plus a whole multiple of step %s of criterion %q", v, lo, step, c.ID)}
	}
	return nil
}

// stepBelow returns lo + k·step for the greatest whole k with
// lo + k·step ≤ v, exactly, and whether it is v. It needs v ≥ lo and
// step > 0.
func stepBelow(v, lo, step decimal.Decimal) (decimal.Decimal, bool) {
	q := new(big.Rat).Quo(ratOf(v.Sub(lo)), ratOf(step))
	k := new(big.Int).Quo(q.Num(), q.Denom()) // q ≥ 0: truncation is the floor
	return lo.Add(step.Mul(decimal.NewFromBigInt(k, 0))), q.IsInt()
}

// scoreBounds is a criterion's range and step as integers at a common
// power of ten, to check the usual scores without big numbers.
type scoreBounds struct {
	exp          int32 // the power of ten; ok false: no fast path
	lo, hi, step int64 // step 0: none
	ok           bool
}

// maxBoundDigits keeps scaled values and their differences inside int64.
const maxBoundDigits = 17

func (r *Rubric) bounds(i int) scoreBounds {
	lo, hi, step := r.criterionRange(&r.Criteria[i])
	exp := min(lo.Exponent(), hi.Exponent(), step.Exponent(), 0)
	b := scoreBounds{exp: exp}
	var ok1, ok2, ok3 bool
	b.lo, ok1 = scaled(lo, exp)
	b.hi, ok2 = scaled(hi, exp)
	b.step, ok3 = scaled(step, exp)
	b.ok = ok1 && ok2 && ok3 && b.lo < b.hi
	return b
}

// scaled returns d × 10^−exp as an int64, if it is a whole number that
// fits in maxBoundDigits digits.
func scaled(d decimal.Decimal, exp int32) (int64, bool) {
	shift := int(d.Exponent() - exp)
	if shift < 0 || d.NumDigits()+shift > maxBoundDigits {
		return 0, false
	}
	v := d.CoefficientInt64()
	for range shift {
		v *= 10
	}
	return v, true
}

// fastOK reports whether v is certainly a valid score, in range and on the
// step, and returns it scaled to the bounds' power of ten. False means
// "check the slow way", not "invalid".
func (b *scoreBounds) fastOK(v decimal.Decimal) (int64, bool) {
	if !b.ok {
		return 0, false
	}
	x, ok := scaled(v, b.exp)
	if !ok || x < b.lo || x > b.hi {
		return 0, false
	}
	return x, b.step == 0 || (x-b.lo)%b.step == 0
}
