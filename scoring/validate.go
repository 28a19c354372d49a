package scoring

import (
	"fmt"
	"math/big"
	"strconv"

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
}

// cachedLookup looks s up in m, remembering the last hit: scores usually
// come grouped by project or judge, so most lookups skip the map.
type cachedLookup struct {
	m    map[string]int
	last string
	at   int
	ok   bool
}

func (c *cachedLookup) get(s string) (int, bool) {
	if c.ok && s == c.last {
		return c.at, true
	}
	at, ok := c.m[s]
	if ok {
		c.last, c.at, c.ok = s, at, true
	}
	return at, ok
}

func (r *Rubric) validateInput(in Input) (Problems, *index) {
	var ps Problems
	add := func(p Problem) {
		if len(ps) < maxProblems {
			ps = append(ps, p)
		} else if len(ps) == maxProblems {
			ps = append(ps, problemf("$", "more than %d problems; the rest are not listed", maxProblems))
		}
	}
	projects := make(map[string]int, len(in.Projects))
	for i, p := range in.Projects {
		switch j, dup := projects[p.ID]; {
		case !ValidID(p.ID):
			add(problemf(fmt.Sprintf("projects[%d].id", i), "%s", describeID(p.ID)))
		case dup:
			add(problemf(fmt.Sprintf("projects[%d].id", i), "duplicate project id %q (first at projects[%d])", p.ID, j))
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
				add(problemf(fmt.Sprintf("judges[%d].id", i), "%s", describeID(j.ID)))
			case dup:
				add(problemf(fmt.Sprintf("judges[%d].id", i), "duplicate judge id %q (first at judges[%d])", j.ID, k))
			default:
				judges[j.ID] = i
			}
			for k, c := range j.Conflicts {
				if _, ok := projects[c]; !ok {
					add(problemf(fmt.Sprintf("judges[%d].conflicts[%d]", i, k), "unknown project %q", c))
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
	// Duplicates are found on (judge, project, criterion) indices.
	if judges == nil {
		judges = make(map[string]int)
	}
	listed := in.Judges != nil
	seen := make(map[[3]int32]int, len(in.Scores))
	idx := &index{
		proj:     make([]int32, len(in.Scores)),
		judge:    make([]int32, len(in.Scores)),
		crit:     make([]int32, len(in.Scores)),
		projects: projects,
	}
	for _, j := range in.Judges {
		idx.judgeIDs = append(idx.judgeIDs, j.ID)
	}
	judgeOf := cachedLookup{m: judges}
	projectOf := cachedLookup{m: projects}
	criterionOf := cachedLookup{m: criteria}
	bounds := make([]scoreBounds, len(r.Criteria))
	for i := range r.Criteria {
		bounds[i] = r.bounds(i)
	}
	for i, s := range in.Scores {
		at := func() string { return "scores[" + strconv.Itoa(i) + "]" }
		ok := true
		ji, known := judgeOf.get(s.Judge)
		switch {
		case known:
		case listed:
			add(problemf(at()+".judge", "unknown judge %q (not in judges)", s.Judge))
			ok = false
		case !ValidID(s.Judge):
			add(problemf(at()+".judge", "%s", describeID(s.Judge)))
			ok = false
		default:
			ji = len(judges)
			judges[s.Judge] = ji
			idx.judgeIDs = append(idx.judgeIDs, s.Judge)
		}
		pi, known := projectOf.get(s.Project)
		if !known {
			add(problemf(at()+".project", "unknown project %q", s.Project))
			ok = false
		}
		ci, known := criterionOf.get(s.Criterion)
		if !known {
			add(problemf(at()+".criterion", "unknown criterion %q", s.Criterion))
			ok = false
		} else if !bounds[ci].fastOK(s.Value) {
			if msg := r.checkScore(ci, s); msg != "" {
				add(problemf(at()+".score", "%s", msg))
			}
		}
		idx.proj[i], idx.judge[i], idx.crit[i] = int32(pi), int32(ji), int32(ci)
		if ok {
			k := [3]int32{int32(ji), int32(pi), int32(ci)}
			if first, dup := seen[k]; dup {
				add(problemf(at(), "duplicate score of judge %q on project %q, criterion %q (first at scores[%d])", s.Judge, s.Project, s.Criterion, first))
			} else {
				seen[k] = i
			}
		}
	}
	return ps, idx
}

// checkScore returns what is wrong with s as a score of criterion ci, or "".
func (r *Rubric) checkScore(ci int, s Score) string {
	c := &r.Criteria[ci]
	lo, hi, step := r.criterionRange(c)
	switch {
	case s.Value.LessThan(lo):
		return fmt.Sprintf("%s is below the minimum %s of criterion %q", s.Value, lo, c.ID)
	case s.Value.GreaterThan(hi):
		return fmt.Sprintf("%s is above the maximum %s of criterion %q", s.Value, hi, c.ID)
	case step.IsPositive() && !onStep(s.Value, lo, step):
		return fmt.Sprintf("%s is not min %s plus a whole multiple of step %s of criterion %q", s.Value, lo, step, c.ID)
	}
	return ""
}

// onStep reports whether v − lo is a whole multiple of step, exactly.
func onStep(v, lo, step decimal.Decimal) bool {
	q := new(big.Rat).Quo(ratOf(v.Sub(lo)), ratOf(step))
	return q.IsInt()
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

// fastOK reports whether v is certainly a valid score: in range and on the
// step. False means "check the slow way", not "invalid".
func (b *scoreBounds) fastOK(v decimal.Decimal) bool {
	if !b.ok {
		return false
	}
	x, ok := scaled(v, b.exp)
	if !ok || x < b.lo || x > b.hi {
		return false
	}
	return b.step == 0 || (x-b.lo)%b.step == 0
}
