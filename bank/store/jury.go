package store

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/bank/validation"
	"github.com/afkarlab/afkar/scoring"
)

// Jury is what the jury of one stage of the tour has given the bank: its
// judges and their scores.
type Jury struct {
	Stage int // the stage's number
	// Judges are the stage's judges, with their cooperatives and declared
	// conflicts; nil means the judges named by the scores, with neither.
	Judges []bank.Judge
	// Scores are the judges' scores, in the order first given: a later
	// score for the same judge, project and criterion replaced the
	// earlier one in place.
	Scores []scoring.Score
}

type jury struct {
	judges []bank.Judge
	scores []scoring.Score
	at     map[scoreKey]int // index in scores
}

type scoreKey struct{ judge, project, criterion string }

func (j *jury) copy(stage int) Jury {
	out := Jury{Stage: stage, Scores: slices.Clone(j.scores)}
	if j.judges != nil {
		out.Judges = make([]bank.Judge, len(j.judges))
		for i, jd := range j.judges {
			out.Judges[i] = jd.Clone()
		}
	}
	return out
}

// tourStage returns the stage of the tour numbered n.
func tourStage(n int) (bank.Stage, error) {
	for _, s := range bank.Tour() {
		if s.Number == n {
			return s, nil
		}
	}
	return bank.Stage{}, fmt.Errorf("stage %d: %w (the tour has stages 1 to %d)", n, ErrNotFound, len(bank.Tour()))
}

// SetJudges sets the judges of the stage numbered stage, replacing any it
// had; nil means the judges named by the scores. It returns an error
// wrapping [ErrNotFound] for a stage not in the tour, and
// [validation.Errors] (paths judges[i]...) for invalid or repeated judges.
func (b *Bank) SetJudges(stage int, judges []bank.Judge) error {
	if _, err := tourStage(stage); err != nil {
		return err
	}
	var es validation.Errors
	seen := map[string]bool{}
	copied := make([]bank.Judge, len(judges))
	for i, j := range judges {
		copied[i] = j.Clone()
		at := "judges[" + strconv.Itoa(i) + "]"
		var jes validation.Errors
		if err := b.validator.Judge(&j); errors.As(err, &jes) {
			for _, e := range jes {
				e.Path = at + "." + e.Path
				es = append(es, e)
			}
		} else if err != nil {
			return err
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
		return es
	}
	if judges == nil {
		copied = nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.juryOf(stage).judges = copied
	return nil
}

// juryOf returns the jury of stage, made empty if it has none. The caller
// holds b.mu for writing.
func (b *Bank) juryOf(stage int) *jury {
	j, ok := b.juries[stage]
	if !ok {
		j = &jury{at: map[scoreKey]int{}}
		b.juries[stage] = j
	}
	return j
}

// AddScores adds scores to the jury of the stage numbered stage, and
// returns how many scores the stage then has. A score for a judge, project
// and criterion the stage has already replaces it in place. Every score
// must name a judge of the ID form, a criterion, and an idea of that stage
// that is not ineligible; its value is checked against the rubric only when
// the stage is ranked. On any problem AddScores adds nothing and returns
// [scoring.Problems], each at its path (scores[3].project), or an error
// wrapping [ErrNotFound] for a stage not in the tour.
func (b *Bank) AddScores(stage int, scores []scoring.Score) (int, error) {
	if _, err := tourStage(stage); err != nil {
		return 0, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	var ps scoring.Problems
	for i, s := range scores {
		at := "scores[" + strconv.Itoa(i) + "]"
		if !scoring.ValidID(s.Judge) {
			ps = append(ps, scoring.Problem{Path: at + ".judge", Message: fmt.Sprintf("%q is not a judge id (expected ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$)", s.Judge)})
		}
		if s.Criterion == "" {
			ps = append(ps, scoring.Problem{Path: at + ".criterion", Message: "required, missing"})
		}
		r, ok := b.ideas[s.Project]
		switch {
		case !ok:
			ps = append(ps, scoring.Problem{Path: at + ".project", Message: fmt.Sprintf("unknown idea %q", s.Project)})
		case r.p.Stage != stage:
			ps = append(ps, scoring.Problem{Path: at + ".project", Message: fmt.Sprintf("idea %s is not pitched at stage %d (its stage is %d)", s.Project, stage, r.p.Stage)})
		case r.p.Status == bank.StatusIneligible:
			ps = append(ps, scoring.Problem{Path: at + ".project", Message: fmt.Sprintf("idea %s is ineligible: it is not scored", s.Project)})
		}
	}
	if len(ps) > 0 {
		return 0, ps
	}
	j := b.juryOf(stage)
	for _, s := range scores {
		k := scoreKey{s.Judge, s.Project, s.Criterion}
		if i, ok := j.at[k]; ok {
			j.scores[i] = s
			continue
		}
		j.at[k] = len(j.scores)
		j.scores = append(j.scores, s)
	}
	return len(j.scores), nil
}

// Jury returns the jury of the stage numbered stage; one with no judges
// and no scores when the bank has none for it.
func (b *Bank) Jury(stage int) Jury {
	b.mu.RLock()
	defer b.mu.RUnlock()
	j, ok := b.juries[stage]
	if !ok {
		return Jury{Stage: stage}
	}
	return j.copy(stage)
}

// Dataset returns the dataset of the stage numbered stage, ready for
// [afkar.Evaluate]: the rubric and ranking rules of rules, the stage as
// its ideathon, the stage's ideas that are not ineligible as its projects
// (in the bank's order, which settles the ties that the rules leave), and
// the stage's judges and their scores of those ideas. Scores of ideas that
// became ineligible after being scored are left out. Dataset returns an
// error wrapping [ErrNotFound] for a stage not in the tour.
func (b *Bank) Dataset(stage int, rules *afkar.Dataset) (*afkar.Dataset, error) {
	s, err := tourStage(stage)
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
	b.mu.RLock()
	defer b.mu.RUnlock()
	in := map[string]bool{}
	for _, r := range b.order {
		if r.p.Stage == stage && r.p.Status != bank.StatusIneligible {
			p := r.p
			ds.Projects = append(ds.Projects, bank.Project{
				ID: p.ID, Title: p.Title, Region: p.Region, Sector: p.Sector,
				Cooperative: p.Cooperative, SubmittedAt: p.SubmittedAt, Attributes: p.Attributes,
			}.Clone())
			in[p.ID] = true
		}
	}
	if j, ok := b.juries[stage]; ok {
		jc := j.copy(stage)
		ds.Judges = jc.Judges
		for _, sc := range jc.Scores {
			if in[sc.Project] {
				ds.Scores.Append(sc)
			}
		}
	}
	return ds, nil
}

// Apply says how [Bank.ApplyResult] records a result.
type Apply struct {
	// To is the status the selected ideas take: bank.StatusShortlisted or
	// bank.StatusAwarded; empty means shortlisted.
	To bank.Status
	// By names who applies the result; it must not be empty.
	By string
	// Note is recorded with every change; empty means "afkar result " and
	// the result's input digest.
	Note string
	// Stage is the number of the stage the result ranks, recorded in the
	// awards; zero means none.
	Stage int
}

// Applied says what [Bank.ApplyResult] did.
type Applied struct {
	// Moved lists the selected ideas whose status changed, in the result's
	// order.
	Moved []string `json:"moved"`
	// Unchanged lists the selected ideas already at the status or beyond
	// it (an awarded idea when shortlisting).
	Unchanged []string `json:"unchanged"`
}

// ApplyResult records res in the bank: every project that res selects
// moves forward to a.To through the statuses in between (a submitted idea
// becomes eligible, then shortlisted), each step recorded with the bank's
// clock time, a.By and a.Note, as [bank.Project.Promote] does. Ideas
// awarded get an [bank.Award] with a.Stage and the rank, total and input
// digest of res. Projects that res does not select are left as they are.
// Applying the same result twice changes nothing the second time.
//
// It is all or nothing: when a selected project is not in the bank, or
// cannot reach a.To (it is ineligible), ApplyResult changes nothing and
// returns every such problem, joined.
func (b *Bank) ApplyResult(res *afkar.Result, a Apply) (Applied, error) {
	to := a.To
	if to == "" {
		to = bank.StatusShortlisted
	}
	if to != bank.StatusShortlisted && to != bank.StatusAwarded {
		return Applied{}, fmt.Errorf("applying a result: status %q is neither shortlisted nor awarded", to)
	}
	if strings.TrimSpace(a.By) == "" {
		return Applied{}, ErrNoActor
	}
	note := a.Note
	if note == "" {
		note = "afkar result " + res.InputDigest
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.clock()
	applied := Applied{Moved: []string{}, Unchanged: []string{}}
	type change struct {
		r *record
		p bank.Project
	}
	var changes []change
	var errs []error
	for _, pr := range res.Projects {
		if !pr.Selected {
			continue
		}
		r, ok := b.ideas[pr.ID]
		if !ok {
			errs = append(errs, fmt.Errorf("idea %s: %w", pr.ID, ErrNotFound))
			continue
		}
		t := bank.Transition{To: to, At: now, By: a.By, Note: note}
		if to == bank.StatusAwarded {
			t.Award = &bank.Award{Stage: a.Stage, Rank: pr.Rank.String(), Total: res.Format(pr.Total), Result: res.InputDigest}
		}
		p := r.p.Clone()
		n, err := p.Promote(t)
		switch {
		case err != nil:
			errs = append(errs, err)
		case n == 0:
			applied.Unchanged = append(applied.Unchanged, pr.ID)
		default:
			applied.Moved = append(applied.Moved, pr.ID)
			changes = append(changes, change{r, p})
		}
	}
	if len(errs) > 0 {
		return Applied{}, fmt.Errorf("applying result %s: nothing changed: %w", res.InputDigest, errors.Join(errs...))
	}
	for _, c := range changes {
		b.replace(c.r, c.p)
	}
	return applied, nil
}
