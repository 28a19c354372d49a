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
// project, judge and criterion each distinct ID of the score table names,
// where each project's scores are, and the judges' IDs (listed ones first,
// then those discovered in the scores). It holds nothing per score when
// the table is coded and grouped by project, and a value per score (8
// bytes) only when values are too many to scale once each.
type index struct {
	t                               *scoreTable
	judgeOf, projectOf, criterionOf []int32 // per distinct ID of the table: the index in the input, or −1
	judgeIDs                        []string
	// projects maps each valid project ID to its index in the input (in);
	// made on first use (project) when validation had no need of it. With
	// byTable, the table's own map of its project IDs, it holds only the
	// projects the table does not name, and projectOf the others.
	projects map[string]int
	byTable  map[string]int32
	in       ProjectList // nil: the projects the scores name; read only while Evaluate runs
	ids      []string    // the projects' IDs, by index
	// In the coded form, per cell: its judge and criterion (indices in the
	// input, or −1).
	cellJudge, cellCriterion []int32
	// Where each project's scores are. Grouped (seq nil): project p's
	// scores are the run first[p] of the table (first[p] = −1: none).
	// Otherwise they are seq[start[p]:start[p+1]], in input order.
	first, start, seq []int32
	// val holds each score times 10^exp[c] of its criterion c, unless
	// slow[c]: some score of c was not checked on int64s. When val is nil,
	// byValue holds them per distinct value of the table instead: score i
	// of criterion c is byValue[v*nc+c] for its value v.
	val     []int64
	byValue []int64
	nc      int
	exp     []int
	slow    []bool
}

// project returns the index of the input's project id. It is called
// only while Evaluate (or a validation) runs: evaluate drops the maps
// after, and a later call would make one without a lock.
func (x *index) project(id string) (int, bool) {
	if x.byTable != nil {
		if j, ok := x.byTable[id]; ok {
			p := x.projectOf[j]
			return int(p), p >= 0
		}
		i, ok := x.projects[id]
		return i, ok
	}
	if x.projects == nil {
		x.projects = make(map[string]int, x.numProjects())
		for i := range x.numProjects() {
			if id := x.projectID(i); ValidID(id) {
				x.projects[id] = i
			}
		}
	}
	i, ok := x.projects[id]
	return i, ok
}

// numProjects returns the number of projects: the input's, or when it
// lists none, of the projects the scores name.
func (x *index) numProjects() int { return len(x.ids) }

// projectID returns the ID of project p, 0 ≤ p < numProjects().
func (x *index) projectID(p int) string { return x.ids[p] }

// sameIDs reports whether the projects' IDs are ids, in order.
func sameIDs(projects ProjectList, ids []string) bool {
	if projects.Len() != len(ids) {
		return false
	}
	for i := range ids {
		if projects.At(i).ID != ids[i] {
			return false
		}
	}
	return true
}

// ref returns the input indices of score i's judge and criterion (−1 when
// unknown) and the index of its value in the table.
func (x *index) ref(i int) (judge, criterion, value int32) {
	t := x.t
	if !t.wide {
		k := t.code[i]
		return x.cellJudge[k], x.cellCriterion[k], t.cells[k].value
	}
	return x.judgeOf[t.judge[i]], x.criterionOf[t.criterion[i]], t.value[i]
}

// span returns where project p's scores are: the indices [a, b) of the
// table when seq is nil, else seq[a:b].
func (x *index) span(p int) (a, b int, seq []int32) {
	if x.seq == nil {
		r := int(x.first[p])
		if r < 0 {
			return 0, 0, nil
		}
		return int(x.t.runStart[r]), x.t.runEnd(r), nil
	}
	return int(x.start[p]), int(x.start[p+1]), x.seq
}

// layout finds where each of the np projects' scores are (index.first,
// start and seq): one run each when the table is grouped by project, and
// a list of indices otherwise.
func (x *index) layout(np int) {
	t := x.t
	x.first = make([]int32, np)
	for p := range x.first {
		x.first[p] = -1
	}
	grouped := true
	for r, tp := range t.runProject {
		p := x.projectOf[tp]
		if p < 0 {
			continue
		}
		if x.first[p] >= 0 {
			grouped = false
			break
		}
		x.first[p] = int32(r)
	}
	if grouped {
		return
	}
	x.first = nil
	x.start = make([]int32, np+1)
	for r, tp := range t.runProject {
		if p := x.projectOf[tp]; p >= 0 {
			x.start[p+1] += int32(t.runEnd(r) - int(t.runStart[r]))
		}
	}
	for p := range np {
		x.start[p+1] += x.start[p]
	}
	x.seq = make([]int32, x.start[np])
	next := slices.Clone(x.start[:np])
	for r, tp := range t.runProject {
		p := x.projectOf[tp]
		if p < 0 {
			continue
		}
		for i := int(t.runStart[r]); i < t.runEnd(r); i++ {
			x.seq[next[p]] = int32(i)
			next[p]++
		}
	}
}

// indexed is a problem of the score at index i.
type indexed struct {
	i int
	p Problem
}

func (r *Rubric) validateInput(in Input) (Problems, *index) {
	return r.validateInputIndexed(in, in.Scores.projectIndex())
}

// validateInputIndexed is validateInput with tableIndex, the table's map
// of its project IDs to their indices in it, or nil if it has none: the
// projects the table names are looked up in it rather than in a map of
// their own (some 50 bytes a project).
func (r *Rubric) validateInputIndexed(in Input, tableIndex map[string]int32) (Problems, *index) {
	var ps Problems
	add := func(p Problem) {
		if len(ps) < maxProblems {
			ps = append(ps, p)
		} else if len(ps) == maxProblems {
			ps = append(ps, problemf("$", CodeProblemsTruncated, Params{"max": strconv.Itoa(maxProblems)},
				"more than %d problems; the rest are not listed", maxProblems))
		}
	}
	t := in.Scores.table()
	projects := in.projects()
	idx := &index{t: t, in: projects}
	// Projects listed as the table's own distinct IDs, in its order (as a
	// CSV of scores without a projects file gives them), are distinct,
	// and each of the table's projects is the input's project of the same
	// index: the map of IDs is made only if something asks for it.
	identity := projects == nil || sameIDs(projects, t.projects.list)
	// The IDs are the table's, which the Result keeps as they were, or a
	// copy of the input's: a Result does not read the input's projects
	// once Evaluate returns.
	idx.ids = t.projects.list
	if !identity {
		idx.ids = make([]string, projects.Len())
	}
	switch {
	case identity:
		idx.projectOf = make([]int32, len(t.projects.list))
		for i, id := range t.projects.list {
			idx.projectOf[i] = -1
			if ValidID(id) {
				idx.projectOf[i] = int32(i)
			}
		}
		// A conflict's project, if any, is looked up in the table's map
		// if it has one, else in a map made then.
		if tableIndex != nil {
			idx.byTable, idx.projects = tableIndex, map[string]int{}
		}
	case tableIndex != nil:
		idx.byTable = tableIndex
		idx.projects = make(map[string]int)
		idx.projectOf = make([]int32, len(t.projects.list))
		for j := range idx.projectOf {
			idx.projectOf[j] = -1
		}
	default:
		idx.projects = make(map[string]int, projects.Len())
	}
	np := 0 // projects listed in the input
	if projects != nil {
		np = projects.Len()
	}
	for i := range np {
		p := projects.At(i)
		if !identity {
			idx.ids[i] = p.ID
		}
		if !ValidID(p.ID) {
			add(problemf(fmt.Sprintf("projects[%d].id", i), CodeProjectInvalidID, idParams(p.ID), "%s", describeID(p.ID)))
			continue
		}
		if identity {
			continue
		}
		first := -1
		if j, ok := idx.byTable[p.ID]; ok {
			if k := idx.projectOf[j]; k >= 0 {
				first = int(k)
			} else {
				idx.projectOf[j] = int32(i)
			}
		} else if k, dup := idx.projects[p.ID]; dup {
			first = k
		} else {
			idx.projects[p.ID] = i
		}
		if first >= 0 {
			add(problemf(fmt.Sprintf("projects[%d].id", i), CodeProjectDuplicate,
				Params{"project": p.ID, "first": fmt.Sprintf("projects[%d]", first)},
				"duplicate project id %q (first at projects[%d])", p.ID, first))
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
					if _, ok := idx.project(c); !ok {
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
	if idx.projectOf == nil {
		idx.projectOf = remap(t.projects.list, lookup(idx.projects))
	}
	idx.criterionOf = remap(t.criteria.list, lookup(criteria))
	if listed {
		idx.judgeOf = remap(t.judges.list, lookup(judges))
	} else {
		// Discovered in the order the scores first name them (which is the
		// table's order unless Set changed a judge): one pass over the
		// scores, or over the cells when every judge is first met in a
		// cell's first score.
		judgeOf := make([]int32, len(t.judges.list))
		for i := range judgeOf {
			judgeOf[i] = -2 // not met yet
		}
		meet := func(j int32) {
			if judgeOf[j] != -2 {
				return
			}
			judgeOf[j] = -1
			if id := t.judges.list[j]; ValidID(id) {
				judgeOf[j] = int32(len(idx.judgeIDs))
				idx.judgeIDs = append(idx.judgeIDs, id)
			}
		}
		if t.wide {
			for _, j := range t.judge[:n] {
				meet(j)
			}
		} else {
			// A cell's first score comes before its other scores: the
			// order cells are first met is the order of codes first met.
			met := make([]bool, len(t.cells))
			left := len(t.cells)
			for _, k := range t.code[:n] {
				if !met[k] {
					met[k] = true
					meet(t.cells[k].judge)
					if left--; left == 0 {
						break
					}
				}
			}
		}
		idx.judgeOf = judgeOf
	}
	if !t.wide {
		idx.cellJudge = make([]int32, len(t.cells))
		idx.cellCriterion = make([]int32, len(t.cells))
		for k, x := range t.cells {
			idx.cellJudge[k], idx.cellCriterion[k] = idx.judgeOf[x.judge], idx.criterionOf[x.criterion]
		}
	}
	bounds := make([]scoreBounds, len(r.Criteria))
	idx.slow = make([]bool, len(r.Criteria))
	idx.exp = make([]int, len(r.Criteria))
	for i := range r.Criteria {
		bounds[i] = r.bounds(i)
		idx.slow[i] = !bounds[i].ok
		idx.exp[i] = -int(bounds[i].exp)
	}
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
		idx.nc = nc
		check = func(v, c int32) (int64, bool) { return 0, fast[int(v)*nc+int(c)] }
	} else {
		idx.val = make([]int64, n)
	}
	// scan checks the scores [lo, hi): it writes their entries of idx.val,
	// and returns their problems in input order (at most maxProblems+1,
	// enough to say that there are more) and the criteria with a score not
	// checked on int64s. It only reads what it shares.
	scan := func(lo, hi int) ([]indexed, []bool) {
		var problems []indexed
		addScore := func(i int, p Problem) {
			if len(problems) <= maxProblems {
				problems = append(problems, indexed{i, p})
			}
		}
		slow := make([]bool, len(r.Criteria))
		for run := t.runOf(lo); run < len(t.runStart) && int(t.runStart[run]) < hi; run++ {
			tp := t.runProject[run]
			pi := idx.projectOf[tp]
			for i := max(lo, int(t.runStart[run])); i < min(hi, t.runEnd(run)); i++ {
				ji, ci, v := idx.ref(i)
				if ji >= 0 && pi >= 0 && ci >= 0 {
					if x, fast := check(v, ci); fast {
						if idx.val != nil {
							idx.val[i] = x
						}
						continue
					}
				}
				at := func() string { return "scores[" + strconv.Itoa(i) + "]" }
				if ji < 0 {
					id := t.judges.list[t.cellAt(i).judge]
					if listed {
						addScore(i, problemf(at()+".judge", CodeJudgeUnknown, Params{"judge": id}, "unknown judge %q (not in judges)", id))
					} else {
						addScore(i, problemf(at()+".judge", CodeJudgeInvalidID, idParams(id), "%s", describeID(id)))
					}
				}
				if pi < 0 {
					id := t.projects.list[tp]
					if projects != nil {
						addScore(i, problemf(at()+".project", CodeProjectUnknown, Params{"project": id}, "unknown project %q", id))
					} else {
						addScore(i, problemf(at()+".project", CodeProjectInvalidID, idParams(id), "%s", describeID(id)))
					}
				}
				if ci < 0 {
					id := t.criteria.list[t.cellAt(i).criterion]
					addScore(i, problemf(at()+".criterion", CodeCriterionUnknown, Params{"criterion": id}, "unknown criterion %q", id))
				} else if x, fast := check(v, ci); fast {
					if idx.val != nil {
						idx.val[i] = x
					}
				} else {
					slow[ci] = true
					if e := r.checkScore(int(ci), t.values[v]); e != nil {
						addScore(i, e.At(at()+".score"))
					}
				}
			}
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
	idx.layout(idx.numProjects())
	dups := duplicates(in, idx, idx.numProjects(), len(idx.judgeIDs), len(r.Criteria))
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
// project (the usual order) are visited in input order; others project by
// project, and the problems sorted.
func duplicates(in Input, idx *index, np, nj, nc int) []indexed {
	seenIn := make([]int32, nj*nc) // project index + 1 last seen in
	first := make([]int32, nj*nc)  // the score seen there
	var out []indexed
	visit := func(p int, i int) {
		ji, ci, _ := idx.ref(i)
		if ji < 0 || ci < 0 {
			return
		}
		k := int(ji)*nc + int(ci)
		if seenIn[k] != int32(p+1) {
			seenIn[k], first[k] = int32(p+1), int32(i)
			return
		}
		s := in.Scores.At(i)
		firstAt := "scores[" + strconv.Itoa(int(first[k])) + "]"
		out = append(out, indexed{i, problemf("scores["+strconv.Itoa(i)+"]", CodeScoreDuplicate,
			Params{"judge": s.Judge, "project": s.Project, "criterion": s.Criterion, "first": firstAt},
			"duplicate score of judge %q on project %q, criterion %q (first at scores[%d])", s.Judge, s.Project, s.Criterion, first[k])})
	}
	t := idx.t
	if idx.seq == nil {
		for r, tp := range t.runProject {
			if p := idx.projectOf[tp]; p >= 0 {
				for i := int(t.runStart[r]); i < t.runEnd(r); i++ {
					visit(int(p), i)
				}
			}
		}
	} else {
		for p := range np {
			for _, i := range idx.seq[idx.start[p]:idx.start[p+1]] {
				visit(p, int(i))
			}
		}
		slices.SortFunc(out, func(a, b indexed) int { return cmp.Compare(a.i, b.i) })
	}
	if len(out) > maxProblems+1 {
		out = out[:maxProblems+1]
	}
	return out
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
