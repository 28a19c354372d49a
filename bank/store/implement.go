package store

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/bank/validation"
	"github.com/afkarlab/afkar/scoring"
)

// This file holds the checks and the decisions every [Catalogue] makes,
// for its implementations: [Bank] and package bank/store/sqlite call the
// same functions, so that they refuse the same things with the same
// errors. A lookup function says what the catalogue holds at the time of
// the change; an error it returns stops the check and is returned as is.

// CheckIdea checks p before a catalogue keeps it: the rules of package
// validation, then the cooperatives it names (Cooperative and Adopter),
// which known says whether the catalogue holds. It returns
// [validation.Errors], or the error of known.
func CheckIdea(v *validation.Validator, p *bank.Project, known func(id string) (bool, error)) error {
	err := v.Project(p)
	var es validation.Errors
	if err != nil && !errors.As(err, &es) {
		return err
	}
	for _, ref := range []struct{ path, id string }{{"cooperative", p.Cooperative}, {"adopter", p.Adopter}} {
		if ref.id == "" || slices.ContainsFunc(es, func(e validation.Error) bool { return e.Path == ref.path }) {
			continue
		}
		ok, err := known(ref.id)
		if err != nil {
			return err
		}
		if !ok {
			es = append(es, UnknownCooperative(ref.path, ref.id))
		}
	}
	if len(es) > 0 {
		return es
	}
	return nil
}

// UnknownCooperative is the error of a field at path naming a cooperative
// id that the catalogue does not hold.
func UnknownCooperative(path, id string) validation.Error {
	return validation.Error{Path: path, Rule: "known_cooperative", Param: id, Message: bank.Names{
		AR: fmt.Sprintf("يشير %s إلى التعاونية %s، وهي غير مسجلة في البنك", path, id),
		FR: fmt.Sprintf("%s désigne la coopérative %s, qui n'est pas dans la banque", path, id),
		EN: fmt.Sprintf("%s names cooperative %s, which is not in the bank", path, id),
	}}
}

// TourStage returns the stage of the tour numbered n, or an error wrapping
// [ErrNotFound].
func TourStage(n int) (bank.Stage, error) {
	for _, s := range bank.Tour() {
		if s.Number == n {
			return s, nil
		}
	}
	return bank.Stage{}, fmt.Errorf("stage %d: %w (the tour has stages 1 to %d)", n, ErrNotFound, len(bank.Tour()))
}

// CheckJudges checks the judges of a stage's jury: each by the rules of
// package validation, and no ID twice. It returns a deep copy of judges
// (nil for nil), or [validation.Errors] with paths judges[i]....
func CheckJudges(v *validation.Validator, judges []bank.Judge) ([]bank.Judge, error) {
	var es validation.Errors
	seen := map[string]bool{}
	copied := make([]bank.Judge, len(judges))
	for i, j := range judges {
		copied[i] = j.Clone()
		at := "judges[" + strconv.Itoa(i) + "]"
		var jes validation.Errors
		if err := v.Judge(&j); errors.As(err, &jes) {
			for _, e := range jes {
				e.Path = at + "." + e.Path
				es = append(es, e)
			}
		} else if err != nil {
			return nil, err
		}
		if seen[j.ID] {
			es = append(es, validation.Error{Path: at + ".id", Rule: "unique", Param: j.ID, Message: bank.Names{
				AR: fmt.Sprintf("المحكّم %s مذكور أكثر من مرة", j.ID),
				FR: fmt.Sprintf("le juge %s figure plus d'une fois", j.ID),
				EN: fmt.Sprintf("judge %s is listed more than once", j.ID),
			}})
		}
		seen[j.ID] = true
	}
	if len(es) > 0 {
		return nil, es
	}
	if judges == nil {
		return nil, nil
	}
	return copied, nil
}

// CheckScores checks scores given to the jury of stage: each names a judge
// of the ID form, a criterion, and an idea of that stage that is not
// ineligible, which idea looks up. It returns [scoring.Problems], or the
// error of idea.
func CheckScores(stage int, scores []scoring.Score, idea func(id string) (bank.Project, bool, error)) error {
	var ps scoring.Problems
	for i, s := range scores {
		at := "scores[" + strconv.Itoa(i) + "]"
		if !scoring.ValidID(s.Judge) {
			ps = append(ps, scoring.Problem{Path: at + ".judge", Message: fmt.Sprintf("%q is not a judge id (expected ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$)", s.Judge)})
		}
		if s.Criterion == "" {
			ps = append(ps, scoring.Problem{Path: at + ".criterion", Message: "required, missing"})
		}
		p, ok, err := idea(s.Project)
		if err != nil {
			return err
		}
		switch {
		case !ok:
			ps = append(ps, scoring.Problem{Path: at + ".project", Message: fmt.Sprintf("unknown idea %q", s.Project)})
		case p.Stage != stage:
			ps = append(ps, scoring.Problem{Path: at + ".project", Message: fmt.Sprintf("idea %s is not pitched at stage %d (its stage is %d)", s.Project, stage, p.Stage)})
		case p.Status == bank.StatusIneligible:
			ps = append(ps, scoring.Problem{Path: at + ".project", Message: fmt.Sprintf("idea %s is ineligible: it is not scored", s.Project)})
		}
	}
	if len(ps) > 0 {
		return ps
	}
	return nil
}

// NewDataset returns the dataset of the stage numbered stage (see
// [Bank.Dataset]) from the rules, the ideas of the stage in the
// catalogue's order, and its jury.
func NewDataset(stage int, rules *afkar.Dataset, ideas []bank.Project, jury Jury) (*afkar.Dataset, error) {
	s, err := TourStage(stage)
	if err != nil {
		return nil, err
	}
	ds := &afkar.Dataset{
		Format: afkar.Format,
		Ideathon: &afkar.Ideathon{
			ID:    "afkar-stage-" + strconv.Itoa(stage),
			Title: "Afkar ideathon, " + s.City.EN + " stage",
			Stage: &afkar.Stage{City: s.City.EN, Region: s.Region},
		},
		Rubric:  rules.Rubric,
		Ranking: rules.Ranking,
	}
	if !s.Date.IsZero() {
		ds.Ideathon.Stage.Date = s.Date.Format("2006-01-02")
	}
	in := map[string]bool{}
	for _, p := range ideas {
		if p.Stage == stage && p.Status != bank.StatusIneligible {
			ds.Projects = append(ds.Projects, bank.Project{
				ID: p.ID, Title: p.Title, Region: p.Region, Sector: p.Sector,
				Cooperative: p.Cooperative, SubmittedAt: p.SubmittedAt, Attributes: p.Attributes,
			}.Clone())
			in[p.ID] = true
		}
	}
	ds.Judges = jury.Judges
	for _, sc := range jury.Scores {
		if in[sc.Project] {
			ds.Scores.Append(sc)
		}
	}
	return ds, nil
}

// PlanResult decides what [Bank.ApplyResult] does with res at the time
// clock gives (read once, after the checks of a),
// the ideas looked up by idea: what it says it did, and the ideas as they
// become (each with the steps added to its history), in the result's
// order. Nothing is changed: the caller stores the ideas, one version
// more each.
func PlanResult(res *afkar.Result, a Apply, clock func() time.Time, idea func(id string) (bank.Project, bool, error)) (Applied, []bank.Project, error) {
	to := a.To
	if to == "" {
		to = bank.StatusShortlisted
	}
	if to != bank.StatusShortlisted && to != bank.StatusAwarded {
		return Applied{}, nil, fmt.Errorf("applying a result: status %q is neither shortlisted nor awarded", to)
	}
	if strings.TrimSpace(a.By) == "" {
		return Applied{}, nil, ErrNoActor
	}
	note := a.Note
	if note == "" {
		note = "afkar result " + res.InputDigest
	}
	now := clock()
	applied := Applied{Moved: []string{}, Unchanged: []string{}}
	var changed []bank.Project
	var errs []error
	for _, pr := range res.Projects() {
		if !pr.Selected {
			continue
		}
		p, ok, err := idea(pr.ID)
		if err != nil {
			return Applied{}, nil, err
		}
		if !ok {
			errs = append(errs, fmt.Errorf("idea %s: %w", pr.ID, ErrNotFound))
			continue
		}
		t := bank.Transition{To: to, At: now, By: a.By, Note: note}
		if to == bank.StatusAwarded {
			t.Award = &bank.Award{Stage: a.Stage, Rank: pr.Rank.String(), Total: res.Format(pr.Total), Result: res.InputDigest}
		}
		p = p.Clone()
		n, err := p.Promote(t)
		switch {
		case err != nil:
			errs = append(errs, err)
		case n == 0:
			applied.Unchanged = append(applied.Unchanged, pr.ID)
		default:
			applied.Moved = append(applied.Moved, pr.ID)
			changed = append(changed, p)
		}
	}
	if len(errs) > 0 {
		return Applied{}, nil, fmt.Errorf("applying result %s: nothing changed: %w", res.InputDigest, errors.Join(errs...))
	}
	return applied, changed, nil
}

// IdeasOfCSV reads the ideas of a CSV file for [Bank.ImportIdeasCSV], as
// imported by by at time now: each checked (see [CheckIdea]), its
// history the import. It returns the ideas in the file's order, or a
// [LineErrors] naming every problem's line: a cell of the wrong type, a
// rule broken, an ID repeated in the file or one the catalogue holds
// (idea says), a cooperative it does not hold (cooperative says).
func IdeasOfCSV(v *validation.Validator, r io.Reader, by string, now time.Time, cooperative, idea func(id string) (bool, error)) ([]bank.Project, error) {
	if strings.TrimSpace(by) == "" {
		return nil, ErrNoActor
	}
	rows, errs := readRows(r, ideaColumns(), "id")
	seen := map[string]int{}
	var ps []bank.Project
	for _, rw := range rows {
		n := len(errs)
		p := ideaOfRow(rw, &errs)
		if len(errs) > n {
			continue
		}
		if p.SubmittedAt.IsZero() {
			p.SubmittedAt = now
		}
		if p.Status == "" {
			p.Status = bank.StatusSubmitted
		}
		p.History = []bank.Transition{{To: p.Status, At: now, By: by, Note: "imported from CSV line " + strconv.Itoa(rw.line)}}
		if p.Status == bank.StatusAdopted {
			p.History[0].Cooperative = p.Adopter
		}
		if err := CheckIdea(v, &p, cooperative); err != nil {
			var es validation.Errors
			if !errors.As(err, &es) {
				return nil, err
			}
			for _, e := range es {
				errs = append(errs, &LineError{Line: rw.line, Path: e.Path, Err: e})
			}
			continue
		}
		if line, dup := seen[p.ID]; dup {
			errs = append(errs, &LineError{Line: rw.line, Path: "id", Err: fmt.Errorf("idea %s is also on line %d", p.ID, line)})
			continue
		}
		seen[p.ID] = rw.line
		held, err := idea(p.ID)
		if err != nil {
			return nil, err
		}
		if held {
			errs = append(errs, &LineError{Line: rw.line, Path: "id", Err: fmt.Errorf("idea %s: %w", p.ID, ErrExists)})
			continue
		}
		ps = append(ps, p)
	}
	if len(errs) > 0 {
		return nil, errs.sorted()
	}
	return ps, nil
}

// CooperativesOfCSV reads the cooperatives of a CSV file for
// [Bank.ImportCooperativesCSV], each checked, none repeated nor held by
// the catalogue (known says), or returns a [LineErrors].
func CooperativesOfCSV(v *validation.Validator, r io.Reader, known func(id string) (bool, error)) ([]bank.Cooperative, error) {
	rows, errs := readRows(r, cooperativeColumns(), "id")
	var cs []bank.Cooperative
	var lines []int
	for _, rw := range rows {
		n := len(errs)
		coop := cooperativeOfRow(rw, &errs)
		if len(errs) > n {
			continue
		}
		if err := v.Cooperative(&coop); err != nil {
			var es validation.Errors
			errors.As(err, &es)
			for _, e := range es {
				errs = append(errs, &LineError{Line: rw.line, Path: e.Path, Err: e})
			}
			continue
		}
		cs = append(cs, coop)
		lines = append(lines, rw.line)
	}
	seen := map[string]int{}
	for i, c := range cs {
		if line, dup := seen[c.ID]; dup {
			errs = append(errs, &LineError{Line: lines[i], Path: "id", Err: fmt.Errorf("cooperative %s is also on line %d", c.ID, line)})
			continue
		}
		seen[c.ID] = lines[i]
		held, err := known(c.ID)
		if err != nil {
			return nil, err
		}
		if held {
			errs = append(errs, &LineError{Line: lines[i], Path: "id", Err: fmt.Errorf("cooperative %s: %w", c.ID, ErrExists)})
		}
	}
	if len(errs) > 0 {
		return nil, errs.sorted()
	}
	return cs, nil
}
