package afkar

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/exact"
	"github.com/afkarlab/afkar/ranking"
	"github.com/afkarlab/afkar/scoring"
)

// Evaluate validates ds, scores it and ranks it (SPEC.md sections 2 to 5).
// An invalid dataset yields a [Problems] listing every problem. Evaluate
// returns ctx.Err() if ctx is done first. It does not modify ds.
func Evaluate(ctx context.Context, ds *Dataset) (*Result, error) {
	// Package scoring validates the rubric and the input as it evaluates;
	// the rest of the dataset is checked here, and all problems reported
	// together.
	// The digest reads only ds: it is computed on another core meanwhile.
	var digest string
	digested := make(chan struct{})
	go func() { defer close(digested); digest = ds.Digest() }()
	defer func() { <-digested }() // no goroutine outlives Evaluate
	ps := ds.validateOwn()
	scored, err := ds.Rubric.Evaluate(ctx, ds.ScoringInput())
	var scoringProblems Problems
	switch {
	case errors.As(err, &scoringProblems):
		return nil, append(ps, scoringProblems...)
	case err != nil:
		return nil, err
	case len(ps) > 0:
		return nil, ps
	}
	res := &Result{
		places:   ds.Rubric.Places(),
		criteria: make([]string, len(ds.Rubric.Criteria)),
		Excluded: make([]ExcludedScore, len(scored.Excluded)),
	}
	for i, c := range ds.Rubric.Criteria {
		res.criteria[i] = c.ID
	}
	for i, x := range scored.Excluded {
		res.Excluded[i] = ExcludedScore{Judge: x.Judge, Project: x.Project, Criterion: x.Criterion, Reason: x.Reason}
	}

	// Rank the eligible projects.
	cfg := ranking.Config{
		TieBreak: ds.Ranking.TieBreak,
		Style:    ds.Ranking.Style,
		Criteria: res.criteria,
		GroupBy:  ds.Ranking.GroupBy != "",
		Top:      ds.Ranking.Top,
	}
	tieExact := ds.Ranking.TieOn == TieOnExact
	h2h := slices.ContainsFunc(cfg.TieBreak, func(r ranking.Rule) bool { return r.Kind == ranking.HeadToHead })
	var entries []ranking.Entry
	var from []int // project index of each entry
	for p, o := range scored.Projects {
		if !o.Eligible {
			continue
		}
		e := ranking.Entry{
			ID:          o.ID,
			Total:       pick(o.Total, o.Rounded, tieExact).Num,
			Criteria:    make([]exact.NullNum, len(o.Criteria)),
			SubmittedAt: ds.Projects[p].SubmittedAt,
			Group:       GroupValue(&ds.Projects[p], ds.Ranking.GroupBy),
		}
		for c, a := range o.Criteria {
			e.Criteria[c] = pick(a.Value, a.Rounded, tieExact)
		}
		if h2h {
			for _, b := range scored.Ballots(p) {
				e.Ballots = append(e.Ballots, ranking.Ballot{Judge: b.Judge, Total: b.Total})
			}
		}
		entries = append(entries, e)
		from = append(from, p)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	standings, err := ranking.Order(entries, cfg)
	if err != nil {
		return nil, err
	}

	res.Projects = make([]ProjectResult, 0, len(ds.Projects))
	<-digested
	res.InputDigest = digest
	grouped := ds.Ranking.GroupBy != ""
	for _, s := range standings {
		p := from[s.Entry]
		pr := projectResult(ds, &scored.Projects[p], p, grouped)
		pr.Rank, pr.DecidedBy = s.Rank, s.DecidedBy
		pr.GroupRank, pr.GroupDecidedBy = s.GroupRank, s.GroupDecidedBy
		pr.Selected = s.Selected
		res.Projects = append(res.Projects, pr)
	}
	for p := range scored.Projects {
		if !scored.Projects[p].Eligible {
			res.Projects = append(res.Projects, projectResult(ds, &scored.Projects[p], p, grouped))
		}
	}
	return res, nil
}

func pick(value, rounded exact.NullNum, useExact bool) exact.NullNum {
	if useExact {
		return value
	}
	return rounded
}

func projectResult(ds *Dataset, o *scoring.Outcome, p int, grouped bool) ProjectResult {
	pr := ProjectResult{
		ID:       o.ID,
		Title:    ds.Projects[p].Title,
		Eligible: o.Eligible,
		Total:    o.Rounded,
		Criteria: make([]CriterionResult, len(o.Criteria)),
		Judges:   o.Judges,
		Reasons:  o.Reasons,
	}
	for c, a := range o.Criteria {
		pr.Criteria[c] = CriterionResult{ID: ds.Rubric.Criteria[c].ID, Value: a.Rounded}
	}
	if grouped {
		g := GroupValue(&ds.Projects[p], ds.Ranking.GroupBy)
		pr.Group = &g
	}
	return pr
}

// GroupValue returns the value of the group_by field by of p, "" when it
// has none (SPEC.md section 4): the group Evaluate ranks p in.
func GroupValue(p *bank.Project, by string) string {
	switch by {
	case "region":
		return p.Region
	case "sector":
		return p.Sector
	case "cooperative":
		return p.Cooperative
	}
	if key, ok := strings.CutPrefix(by, "attributes."); ok {
		return p.Attributes[key]
	}
	return ""
}
