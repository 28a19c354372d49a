package afkar

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/exact"
	"github.com/afkarlab/afkar/internal/parallel"
	"github.com/afkarlab/afkar/ranking"
	"github.com/afkarlab/afkar/scoring"
)

// Evaluate validates ds, scores it and ranks it (SPEC.md sections 2 to 5).
// An invalid dataset yields a [Problems] listing every problem, and a
// ranking past a limit of [DefaultLimits] (the head_to_head tie-break's
// pairs) a [Problems] naming the limit. Evaluate returns ctx.Err() if ctx
// is done first. It does not modify ds.
func Evaluate(ctx context.Context, ds *Dataset) (*Result, error) {
	return EvaluateOptions{}.Evaluate(ctx, ds)
}

// EvaluateOptions changes what [EvaluateOptions.Evaluate] computes. The
// zero EvaluateOptions is [Evaluate]'s: within the default limits, with
// the input digest.
type EvaluateOptions struct {
	// NoDigest leaves Result.InputDigest empty: the SHA-256 of the
	// dataset's canonical form (a pass over every score) is not computed,
	// for a caller that does not publish it, such as a CSV of the
	// standings. Every other part of the result is the same.
	NoDigest bool
	// Limits bound the work; Evaluate applies MaxHeadToHeadPairs. The
	// zero Limits applies the defaults.
	Limits Limits
}

// Evaluate validates, scores and ranks ds as [Evaluate] does, with the
// options o.
func (o EvaluateOptions) Evaluate(ctx context.Context, ds *Dataset) (*Result, error) {
	lim := o.Limits.OrDefault()
	// Package scoring validates the rubric and the input as it evaluates;
	// the rest of the dataset is checked here, and all problems reported
	// together.
	// The digest reads only ds: it is computed on another core meanwhile,
	// and given up if Evaluate fails.
	var digest string
	digested := make(chan struct{})
	digestCtx, cancel := context.WithCancel(ctx)
	if o.NoDigest {
		close(digested)
	} else {
		go func() { defer close(digested); digest, _ = ds.digest(digestCtx) }()
	}
	defer func() { cancel(); <-digested }() // no goroutine outlives Evaluate
	ps := ds.validateOwn()
	groups := ds.validateGroupValues()
	scored, err := ds.Rubric.Evaluate(ctx, ds.ScoringInput())
	var scoringProblems Problems
	switch {
	case errors.As(err, &scoringProblems):
		// In Validate's order: the rubric's problems, the dataset's own,
		// then those of the projects, judges and scores, then the
		// projects' group values.
		rubric := 0
		for rubric < len(scoringProblems) && isRubricPath(scoringProblems[rubric].Path) {
			rubric++
		}
		all := append(slices.Clone(scoringProblems[:rubric]), ps...)
		all = append(all, scoringProblems[rubric:]...)
		return nil, append(all, groups...)
	case err != nil:
		return nil, err
	case len(ps)+len(groups) > 0:
		return nil, append(ps, groups...)
	}
	res := &Result{
		places:   ds.Rubric.Places(),
		mode:     ds.Rubric.Mode().Exact(),
		criteria: make([]string, len(ds.Rubric.Criteria)),
		Excluded: make([]ExcludedScore, len(scored.Excluded)),
	}
	for i, c := range ds.Rubric.Criteria {
		res.criteria[i] = c.ID
	}
	for i, x := range scored.Excluded {
		res.Excluded[i] = ExcludedScore{Judge: x.Judge, Project: x.Project, Criterion: x.Criterion, Reason: x.Reason}
	}

	// Rank the eligible projects. The entries carry the values of the
	// criteria that criterion: rules compare, and no others.
	var compared []int // rubric index of each
	for _, r := range ds.Ranking.TieBreak {
		if i := ds.Rubric.Index(r.Criterion); r.Kind == ranking.ByCriterion && i >= 0 && !slices.Contains(compared, i) {
			compared = append(compared, i)
		}
	}
	cfg := ranking.Config{
		TieBreak: ds.Ranking.TieBreak,
		Style:    ds.Ranking.Style,
		GroupBy:  ds.Ranking.GroupBy != "",
		Top:      ds.Ranking.Top,

		MaxHeadToHeadPairs: lim.MaxHeadToHeadPairs,
	}
	for _, i := range compared {
		cfg.Criteria = append(cfg.Criteria, res.criteria[i])
	}
	tieExact := ds.Ranking.TieOn == TieOnExact
	h2h := slices.ContainsFunc(cfg.TieBreak, func(r ranking.Rule) bool { return r.Kind == ranking.HeadToHead })
	eligible := 0
	for p := range scored.Projects {
		if scored.Projects[p].Eligible {
			eligible++
		}
	}
	from := make([]int, 0, eligible) // project index of each entry: the eligible ones
	for p := range scored.Projects {
		if scored.Projects[p].Eligible {
			from = append(from, p)
		}
	}
	nc := len(compared)
	entries := make([]ranking.Entry, len(from))
	values := make([]exact.NullNum, len(from)*nc)
	err = parallel.For(ctx, len(from), 4096, func(lo, hi int) error {
		for k := lo; k < hi; k++ {
			p := from[k]
			o := &scored.Projects[p]
			e := &entries[k]
			*e = ranking.Entry{
				ID:          o.ID,
				Total:       pick(o.Total, o.Rounded, tieExact).Num,
				Criteria:    values[k*nc : (k+1)*nc : (k+1)*nc],
				SubmittedAt: ds.Projects[p].SubmittedAt,
				Group:       GroupValue(&ds.Projects[p], ds.Ranking.GroupBy),
			}
			for k, c := range compared {
				a := &o.Criteria[c]
				e.Criteria[k] = pick(a.Value, a.Rounded(), tieExact)
			}
			if h2h {
				for _, b := range scored.Ballots(p) {
					e.Ballots = append(e.Ballots, ranking.Ballot{Judge: b.Judge, Total: b.Total})
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	standings, err := ranking.OrderContext(ctx, entries, cfg)
	var pe *ranking.PairsError
	switch {
	case errors.As(err, &pe):
		return nil, Problems{pairsProblem(pe, ds.Ranking.TieBreak)}
	case err != nil:
		return nil, err
	}

	// The results in their final order: the ranked projects, then the
	// others in input order. Each is filled in on its own: the cores share
	// the work.
	order := make([]int, 0, len(ds.Projects))
	for _, s := range standings {
		order = append(order, from[s.Entry])
	}
	for p := range scored.Projects {
		if !scored.Projects[p].Eligible {
			order = append(order, p)
		}
	}
	res.Projects = make([]ProjectResult, len(order))
	b := resultBuilder{ds: ds, scored: scored}
	if ds.Ranking.GroupBy != "" {
		b.groups = make([]string, len(order))
	}
	// Projects are visited in input order, which reads the scores and the
	// dataset sequentially; each result goes straight to its place.
	pos := make([]int, len(order)) // project index → position
	for k, p := range order {
		pos[p] = k
	}
	err = parallel.For(ctx, len(order), 4096, func(lo, hi int) error {
		for p := lo; p < hi; p++ {
			k := pos[p]
			pr := &res.Projects[k]
			b.fill(pr, k, p)
			if k < len(standings) {
				s := &standings[k]
				pr.Rank, pr.DecidedBy = s.Rank, s.DecidedBy
				pr.GroupRank, pr.GroupDecidedBy = s.GroupRank, s.GroupDecidedBy
				pr.Selected = s.Selected
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	<-digested
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res.InputDigest = digest
	return res, nil
}

// pairsProblem is the problem of a head_to_head tie-break past
// Limits.MaxHeadToHeadPairs, at the rule in rules.
func pairsProblem(pe *ranking.PairsError, rules []ranking.Rule) Problem {
	at := "ranking.tie_break"
	if i := slices.IndexFunc(rules, func(r ranking.Rule) bool { return r.Kind == ranking.HeadToHead }); i >= 0 {
		at = index(at, i)
	}
	return Problem{Path: at, Code: scoring.CodeHeadToHeadPairs,
		Params: scoring.Params{"count": strconv.FormatInt(pe.Pairs, 10), "max": strconv.Itoa(pe.Max)},
		Message: fmt.Sprintf("head_to_head would compare at least %d pairs of distinct ballots (%d tied projects with %d distinct ballots), "+
			"more than the limit of %d (Limits.MaxHeadToHeadPairs)", pe.Pairs, pe.Projects, pe.Distinct, pe.Max)}
}

// resultBuilder fills in ProjectResults: their criteria are the scoring's
// aggregates, their group values carved out of one backing slice.
type resultBuilder struct {
	ds     *Dataset
	scored *scoring.Result
	groups []string // one per result; nil without group_by
}

// fill sets pr, the k-th result, to project p's scores and eligibility.
func (b *resultBuilder) fill(pr *ProjectResult, k, p int) {
	o := &b.scored.Projects[p]
	*pr = ProjectResult{
		ID:       o.ID,
		Title:    b.ds.Projects[p].Title,
		Eligible: o.Eligible,
		Total:    o.Rounded,
		Criteria: o.Criteria,
		Judges:   o.Judges,
		Reasons:  o.Reasons,
	}
	if b.groups != nil {
		b.groups[k] = GroupValue(&b.ds.Projects[p], b.ds.Ranking.GroupBy)
		pr.Group = &b.groups[k]
	}
}

// isRubricPath reports whether a problem's path is in the rubric.
func isRubricPath(path string) bool {
	return path == "rubric" || strings.HasPrefix(path, "rubric.") || strings.HasPrefix(path, "rubric[")
}

func pick(value, rounded exact.NullNum, useExact bool) exact.NullNum {
	if useExact {
		return value
	}
	return rounded
}

// ValidGroupBy reports whether field is a group_by field (SPEC.md section
// 1): region, sector, cooperative, or attributes.<key> with a non-empty
// key.
func ValidGroupBy(field string) bool {
	switch field {
	case "region", "sector", "cooperative":
		return true
	}
	key, ok := strings.CutPrefix(field, "attributes.")
	return ok && key != ""
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
