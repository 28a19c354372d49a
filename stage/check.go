package stage

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/scoring"
)

// The rules every Store applies the same way, whatever keeps the data:
// what an idea may hold, what a stage's dataset is, and what a sync does.
// Stores read their state inside their transaction and call these.

// IdeaProblems checks an idea's own fields, at path at (ideas[3]): an ID
// of the project form, texts of at most 4096 bytes without control or
// direction-override characters.
func IdeaProblems(at string, p Idea) scoring.Problems {
	var ps scoring.Problems
	if !scoring.ValidID(p.ID) {
		ps = append(ps, scoring.Problem{Path: at + ".id", Message: fmt.Sprintf("%q is not a project id (expected ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$)", p.ID)})
	}
	for _, f := range []struct{ name, v string }{{"title", p.Title}, {"summary", p.Summary}, {"region", p.Region}, {"sector", p.Sector}, {"cooperative", p.Cooperative}} {
		if len(f.v) > 4096 {
			ps = append(ps, scoring.Problem{Path: at + "." + f.name, Message: fmt.Sprintf("%d bytes, more than 4096", len(f.v))})
		}
		if strings.ContainsFunc(f.v, func(r rune) bool {
			return r < 0x20 && r != '\t' || r == 0x7f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
		}) {
			ps = append(ps, scoring.Problem{Path: at + "." + f.name, Message: "control or direction-override characters are not allowed"})
		}
	}
	return ps
}

// Dataset builds a stage's dataset: its rules (as ParseRules gives them),
// the stage as ideathon, its ideas as projects in the order given (no
// carrier), its jurors as judges (no names), and the scores in the order
// given. It is what a store ranks, seals and publishes.
func Dataset(st Stage, rules *afkar.Dataset, ideas []Idea, jurors []Juror, scores []scoring.Score) *afkar.Dataset {
	ds := &afkar.Dataset{
		Format:   afkar.Format,
		Ideathon: &afkar.Ideathon{ID: st.Slug, Title: st.Title, Stage: &afkar.Stage{Region: st.Region, Date: st.Date}},
		Rubric:   rules.Rubric,
		Ranking:  rules.Ranking,
		Projects: make([]bank.Project, 0, len(ideas)),
		Judges:   make([]bank.Judge, 0, len(jurors)),
	}
	for _, p := range ideas {
		ds.Projects = append(ds.Projects, bank.Project{ID: p.ID, Title: p.Title, Region: p.Region, Sector: p.Sector,
			Cooperative: p.Cooperative, SubmittedAt: p.SubmittedAt, Attributes: p.Attributes})
	}
	for _, j := range jurors {
		ds.Judges = append(ds.Judges, bank.Judge{ID: j.ID, Cooperative: j.Cooperative, Conflicts: j.Conflicts, Abstains: j.Abstains})
	}
	for _, s := range scores {
		ds.Scores.Append(s)
	}
	return ds
}

// SyncState is what a store knows, inside its transaction, when a sheet
// arrives.
type SyncState struct {
	Current   Sheet           // the juror's sheet on the server
	Published bool            // the stage's result is published
	Dropped   bool            // the juror dropped out
	Digest    string          // the stage digest now
	Rules     *afkar.Dataset  // the stage's rules
	Assigned  map[string]bool // the ideas assigned to the juror
}

// Changes is what a sync does to a juror's scores.
type Changes struct {
	// Duplicate is true for a retried upload: nothing to do.
	Duplicate bool
	// Set are the scores new or changed, in the sheet's order.
	Set []scoring.Score
	// Withdraw are the scores the sheet no longer has, in the current
	// sheet's order.
	Withdraw []scoring.Score
}

// Sheet versions. A sheet's seq (afkar.Sheet.Seq) is at most
// MaxVersion, 2^31−1, and an organiser's withdrawal moves the sheet's
// version on by one. So that withdrawals never leave a juror without a
// version to send, a juror may jump to any seq up to MaxSeq, but above it
// only to the next version (as the calculator always does); and
// [CheckWithdraw] refuses a withdrawal that would leave the juror no
// version to send, which takes a million single steps past MaxSeq.
const (
	// MaxVersion is the largest version a sheet may have.
	MaxVersion = 1<<31 - 1
	// MaxSeq is the largest seq a juror may jump to (a higher one must be
	// the next version): 2^20 versions below MaxVersion.
	MaxSeq = MaxVersion - 1<<20
)

// CheckWithdraw says whether a withdrawal may give a sheet at version
// current one version more: only if the juror can still send one above
// it.
func CheckWithdraw(current int) error {
	if current+2 > MaxVersion {
		return fmt.Errorf("%w: the sheet is at version %d: a withdrawal would leave the juror no version to send", ErrInvalid, current)
	}
	return nil
}

// CheckSync decides what req does to a juror's sheet in state st, in this
// order: a sheet for another juror is ErrForbidden, so is a dropped
// juror's; the same version with the same scores and sign-off as the
// server's is a duplicate; a sheet not built on the server's version is a
// *StaleError; a published stage is ErrPublished; a signed-off sheet is
// ErrSignedOff; a version not above the base, or above MaxSeq and not
// the next, and scores on ideas not
// assigned, on unknown criteria, out of the rubric or given twice, are
// scoring.Problems (at most MaxProblems); a sheet for another stage digest
// is a *StageChangedError.
func CheckSync(req SyncRequest, st SyncState) (Changes, error) {
	sh := req.Sheet
	if sh == nil {
		return Changes{}, fmt.Errorf("%w: no sheet", ErrInvalid)
	}
	if sh.Judge != req.Judge {
		return Changes{}, fmt.Errorf("%w: the sheet is judge %q's, the session is judge %q's", ErrForbidden, sh.Judge, req.Judge)
	}
	if st.Dropped {
		return Changes{}, fmt.Errorf("%w: juror %s dropped out", ErrForbidden, req.Judge)
	}
	cur := st.Current
	if cur.Version == sh.Seq && cur.Version > 0 && cur.SignedOff == sh.SignedOff && sameScores(cur.Scores, sh.Scores) {
		return Changes{Duplicate: true}, nil
	}
	if cur.Version != req.Base {
		return Changes{}, &StaleError{Base: req.Base, Current: cur}
	}
	if st.Published {
		return Changes{}, ErrPublished
	}
	if cur.SignedOff {
		return Changes{}, ErrSignedOff
	}
	if sh.Seq <= cur.Version {
		return Changes{}, scoring.Problems{{Path: "seq", Message: fmt.Sprintf("expected a version above %d, the one it is built on, found %d", cur.Version, sh.Seq)}}
	}
	if sh.Seq > MaxSeq && sh.Seq != cur.Version+1 {
		return Changes{}, scoring.Problems{{Path: "seq", Message: fmt.Sprintf("expected a version of at most %d, or %d (the next), found %d", MaxSeq, cur.Version+1, sh.Seq)}}
	}
	if sh.Dataset != st.Digest {
		return Changes{}, &StageChangedError{Sheet: sh.Dataset, Current: st.Digest}
	}
	type key struct{ project, criterion string }
	next := map[key]bool{}
	var ps scoring.Problems
	for i, s := range sh.Scores {
		at := "scores[" + strconv.Itoa(i) + "]"
		k := key{s.Project, s.Criterion}
		c := st.Rules.Rubric.Index(s.Criterion)
		switch {
		case s.Judge != req.Judge:
			return Changes{}, fmt.Errorf("%w: %s names judge %q in judge %q's sheet", ErrForbidden, at, s.Judge, req.Judge)
		case !st.Assigned[s.Project]:
			ps = append(ps, scoring.Problem{Path: at + ".project", Message: fmt.Sprintf("idea %q is not assigned to juror %s", s.Project, req.Judge)})
		case c < 0:
			ps = append(ps, scoring.Problem{Path: at + ".criterion", Message: fmt.Sprintf("unknown criterion %q", s.Criterion)})
		default:
			if err := st.Rules.Rubric.CheckScore(c, s.Value); err != nil {
				ps = append(ps, scoring.Problem{Path: at + ".score", Message: err.Error()})
			} else if next[k] {
				ps = append(ps, scoring.Problem{Path: at, Message: fmt.Sprintf("a second score for idea %s, criterion %s", s.Project, s.Criterion)})
			}
		}
		next[k] = true
		if len(ps) >= MaxProblems {
			break
		}
	}
	if len(ps) > 0 {
		return Changes{}, ps
	}
	have := map[key]decimal.Decimal{}
	for _, s := range cur.Scores {
		have[key{s.Project, s.Criterion}] = s.Value
	}
	var ch Changes
	for _, s := range sh.Scores {
		if old, ok := have[key{s.Project, s.Criterion}]; !ok || !old.Equal(s.Value) {
			ch.Set = append(ch.Set, s)
		}
	}
	for _, s := range cur.Scores {
		if !next[key{s.Project, s.Criterion}] {
			ch.Withdraw = append(ch.Withdraw, s)
		}
	}
	return ch, nil
}

// sameScores reports whether a sheet's scores equal the stored ones, by
// value.
func sameScores(have, sheet []scoring.Score) bool {
	if len(have) != len(sheet) {
		return false
	}
	type key struct{ project, criterion string }
	m := make(map[key]decimal.Decimal, len(have))
	for _, s := range have {
		m[key{s.Project, s.Criterion}] = s.Value
	}
	for _, s := range sheet {
		if v, ok := m[key{s.Project, s.Criterion}]; !ok || !v.Equal(s.Value) {
			return false
		}
	}
	return true
}
