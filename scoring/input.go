package scoring

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// Project is a project as scoring sees it: an ID, and the cooperative that
// carries it, which excludes the scores of judges from the same cooperative.
type Project struct {
	ID          string // ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$, unique
	Cooperative string // if empty, no judge shares it
}

// Judge is a member of the jury.
type Judge struct {
	ID          string   // same form as a project ID, unique
	Cooperative string   // the judge's own cooperative, if any
	Conflicts   []string // IDs of projects the judge must not score
	Abstains    []string // IDs of projects the judge declares not being competent to judge
}

// Excludes returns why the scores of judge j on project p do not count
// (SPEC.md sections 2 and 7.2): the first that holds of [Conflict] (p is
// in j's conflicts), [SameCooperative] (both name the same non-empty
// cooperative) and [Abstained] (p is in j's abstentions), or "" when they
// count. Evaluate decides each score's exclusion by this rule, with the
// jury listed; without a listed jury nothing is excluded.
func (j *Judge) Excludes(p *Project) Reason {
	for _, c := range j.Conflicts {
		if c == p.ID {
			return Conflict
		}
	}
	if j.Cooperative != "" && j.Cooperative == p.Cooperative {
		return SameCooperative
	}
	for _, a := range j.Abstains {
		if a == p.ID {
			return Abstained
		}
	}
	return ""
}

// Score is one judge's score of one project on one criterion.
type Score struct {
	Judge, Project, Criterion string
	Value                     decimal.Decimal // the score, within the criterion's range and on its step
}

// Input is what a jury produced: the projects, the judges and their scores.
type Input struct {
	// Projects in input order: results come back in this order, and it
	// is the last word among projects still tied. If nil (and ProjectList
	// nil), they are the distinct projects named by Scores, in order of
	// first appearance, with no cooperative (as a table of scores without
	// a list of projects gives them), and a score naming an ID not of the
	// form ValidID accepts is reported as such.
	Projects []Project
	// ProjectList, if not nil, gives the projects instead of Projects,
	// which it overrides: for a caller that keeps its projects in a form
	// of its own, and would otherwise copy them into Projects (32 bytes a
	// project). It means what a Projects of the same projects means.
	ProjectList ProjectList
	// Judges, if nil, are the distinct judges named by Scores, with no
	// cooperative and no conflicts.
	Judges []Judge
	// Scores in any order; exclusions are reported in this order.
	Scores Scores
}

// A ProjectList gives an Input's projects by index: Len of them, At(i)
// the i-th, 0 ≤ i < Len(). Evaluate, ValidateInput and ValidateInputOnly
// read them only while they run, from one goroutine, and may ask for a
// project more than once: Len and each At must not change meanwhile. A
// ProjectList that is not nil lists projects, even none: a nil slice of
// a type that implements it lists none, unlike an Input with neither
// Projects nor ProjectList.
type ProjectList interface {
	Len() int
	At(i int) Project
}

// projectSlice is a []Project as a ProjectList.
type projectSlice []Project

func (s projectSlice) Len() int         { return len(s) }
func (s projectSlice) At(i int) Project { return s[i] }

// projects returns the input's projects as a ProjectList: ProjectList,
// else Projects, or nil when both are nil (the projects the scores name).
func (in *Input) projects() ProjectList {
	switch {
	case in.ProjectList != nil:
		return in.ProjectList
	case in.Projects != nil:
		return projectSlice(in.Projects)
	}
	return nil
}

// ValidID reports whether s has the form of a project or judge ID,
// ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$: an ASCII letter or digit, then up to
// 63 letters, digits, '.', '_' and '-'.
func ValidID(s string) bool {
	if len(s) == 0 || len(s) > 64 || !isAlnum(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '.' && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

// validCriterionID reports whether s has the form of a criterion ID,
// ^[a-z][a-z0-9_-]{0,31}$.
func validCriterionID(s string) bool {
	if len(s) == 0 || len(s) > 32 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !('a' <= c && c <= 'z') && !('0' <= c && c <= '9') && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// idParams returns the parameters of a problem with the id s: id, unless
// s is empty.
func idParams(s string) Params {
	if s == "" {
		return nil
	}
	return Params{"id": s}
}

func describeID(s string) string {
	return fmt.Sprintf("%q is not an id (expected a letter or digit, then up to 63 of A-Z, a-z, 0-9, '.', '_' and '-')", s)
}
