package store

import (
	"context"
	"slices"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/bank"
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

// SetJudges sets the judges of the stage numbered stage, replacing any it
// had; nil means the judges named by the scores. It returns an error
// wrapping [ErrNotFound] for a stage not in the tour, and
// [validation.Errors] (paths judges[i]...) for invalid or repeated judges.
func (b *Bank) SetJudges(ctx context.Context, stage int, judges []bank.Judge) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if _, err := TourStage(stage); err != nil {
		return err
	}
	copied, err := CheckJudges(&b.validator, judges)
	if err != nil {
		return err
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
func (b *Bank) AddScores(ctx context.Context, stage int, scores []scoring.Score) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if _, err := TourStage(stage); err != nil {
		return 0, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := CheckScores(stage, scores, b.project); err != nil {
		return 0, err
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
func (b *Bank) Jury(ctx context.Context, stage int) (Jury, error) {
	if err := ctx.Err(); err != nil {
		return Jury{}, err
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	j, ok := b.juries[stage]
	if !ok {
		return Jury{Stage: stage}, nil
	}
	return j.copy(stage), nil
}

// Dataset returns the dataset of the stage numbered stage, ready for
// [afkar.Evaluate]: the rubric and ranking rules of rules, the stage as
// its ideathon, the stage's ideas that are not ineligible as its projects
// (in the bank's order, which settles the ties that the rules leave), and
// the stage's judges and their scores of those ideas. Scores of ideas that
// became ineligible after being scored are left out. Dataset returns an
// error wrapping [ErrNotFound] for a stage not in the tour.
func (b *Bank) Dataset(ctx context.Context, stage int, rules *afkar.Dataset) (*afkar.Dataset, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	var ideas []bank.Project
	for _, r := range b.order {
		if r.p.Stage == stage {
			ideas = append(ideas, r.p)
		}
	}
	jury := Jury{Stage: stage}
	if j, ok := b.juries[stage]; ok {
		jury = j.copy(stage)
	}
	return NewDataset(stage, rules, ideas, jury)
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
func (b *Bank) ApplyResult(ctx context.Context, res *afkar.Result, a Apply) (Applied, error) {
	if err := ctx.Err(); err != nil {
		return Applied{}, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	applied, changed, err := PlanResult(res, a, b.clock, b.project)
	if err != nil {
		return Applied{}, err
	}
	for _, p := range changed {
		b.replace(b.ideas[p.ID], p)
	}
	return applied, nil
}
