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
	// The scoring's Result, which the Result keeps, points to its rubric:
	// a copy, not ds's, so that it keeps nothing else of ds alive.
	rubric := ds.Rubric
	scored, err := rubric.Evaluate(ctx, ds.ScoringInput())
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
	n := scored.Len()
	var from []int32 // project index of each entry: the eligible ones
	for p := range n {
		if scored.Eligible(p) {
			from = append(from, int32(p))
		}
	}
	var groupValue func(p int) string
	if by := ds.Ranking.GroupBy; by != "" {
		groupValue = func(p int) string { return GroupValue(&ds.Projects[p], by) }
	}
	nc := len(compared)
	entries := make([]ranking.Entry, len(from))
	values := make([]exact.NullNum, len(from)*nc)
	err = parallel.For(ctx, len(from), 4096, func(lo, hi int) error {
		for k := lo; k < hi; k++ {
			p := int(from[k])
			e := &entries[k]
			*e = ranking.Entry{
				ID:          ds.Projects[p].ID,
				Total:       scored.Total(p).Num,
				Criteria:    values[k*nc : (k+1)*nc : (k+1)*nc],
				SubmittedAt: ds.Projects[p].SubmittedAt,
			}
			if !tieExact { // the published total, as scored.Rounded(p) gives it
				e.Total = e.Total.Round(res.places, res.mode)
			}
			if groupValue != nil {
				e.Group = groupValue(p)
			}
			for k, c := range compared {
				a := scored.Aggregate(p, c)
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
	entries, values = nil, nil // for the collector

	// The result's order: the ranked projects, then the others in input
	// order; and the ranked ones' standings.
	res.scored = scored
	res.order = make([]int32, 0, n)
	res.ranked = make([]standing, len(standings))
	var decided interned
	decided.index("")
	for k := range standings {
		s := &standings[k]
		res.order = append(res.order, from[s.Entry])
		res.ranked[k] = standing{rank: s.Rank, groupRank: s.GroupRank, selected: s.Selected,
			decidedBy: decided.index(s.DecidedBy), groupDecidedBy: decided.index(s.GroupDecidedBy)}
	}
	res.decided = decided.list
	for p := range n {
		if !scored.Eligible(p) {
			res.order = append(res.order, int32(p))
		}
	}
	if slices.ContainsFunc(ds.Projects, func(p bank.Project) bool { return p.Title != "" }) {
		res.titles = make([]string, n)
		for p := range ds.Projects {
			res.titles[p] = ds.Projects[p].Title
		}
	}
	if groupValue != nil {
		res.groupOf = make([]int32, n)
		var groups interned
		for p := range n {
			res.groupOf[p] = int32(groups.index(groupValue(p)))
		}
		res.groups = groups.list
	}
	<-digested
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res.InputDigest = digest
	return res, nil
}

// interned lists distinct strings in the order they come, each once.
type interned struct {
	list []string
	at   map[string]uint32 // index in list
	last uint32            // the index index returned last: often the next one's
}

// index returns s's index in the list, adding s if it is new.
func (l *interned) index(s string) uint32 {
	if len(l.list) > 0 && l.list[l.last] == s {
		return l.last
	}
	i, ok := l.at[s]
	if !ok {
		if l.at == nil {
			l.at = make(map[string]uint32)
		}
		i = uint32(len(l.list))
		l.at[s] = i
		l.list = append(l.list, s)
	}
	l.last = i
	return i
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
