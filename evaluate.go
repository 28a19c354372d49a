package afkar

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/exact"
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
	scored, err := rubric.Evaluate(ctx, ds.evaluationInput())
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

	// Rank the eligible projects, read through a rankTable: their totals,
	// and the values of the criteria that criterion: rules compare.
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
	n := scored.Len()
	eligible := 0
	for p := range n {
		if scored.Eligible(p) {
			eligible++
		}
	}
	// Each project's group value, read once: the result shows it, and
	// the ranking reads it.
	if by := ds.Ranking.GroupBy; by != "" {
		res.groupOf = make([]int32, n)
		var groups interned
		for p := range n {
			res.groupOf[p] = int32(groups.index(GroupValue(&ds.Projects[p], by)))
		}
		res.groups = groups.list
	}
	t := &rankTable{ds: ds, scored: scored, from: make([]int32, 0, eligible), compared: compared,
		exact: ds.Ranking.TieOn == TieOnExact, places: res.places, mode: res.mode,
		groupOf: res.groupOf, groups: res.groups}
	for p := range n {
		if scored.Eligible(p) {
			t.from = append(t.from, int32(p))
		}
	}
	ordering, err := ranking.OrderTable(ctx, t, cfg)
	var pe *ranking.PairsError
	switch {
	case errors.As(err, &pe):
		return nil, Problems{pairsProblem(pe, ds.Ranking.TieBreak)}
	case err != nil:
		return nil, err
	}

	// The result's order: the ranked projects, then the others in input
	// order.
	res.scored = scored
	res.ranked = ordering
	res.order = make([]int32, 0, n)
	for k := range ordering.Len() {
		res.order = append(res.order, t.from[ordering.Entry(k)])
	}
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
	<-digested
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res.InputDigest = digest
	return res, nil
}

// rankTable is the ranking.Table of the eligible projects of a dataset:
// their totals and the values of the criteria its criterion: rules
// compare, exact or published as its ranking.tie_on says.
type rankTable struct {
	ds       *Dataset
	scored   *scoring.Result
	from     []int32 // the dataset index of each entry
	compared []int   // the rubric index of each of ranking.Config.Criteria
	exact    bool    // compare exact values, not published ones
	places   int
	mode     exact.Mode
	// groupOf and groups are the Result's: each project's group value,
	// by dataset index, as an index in groups; nil without group_by.
	groupOf []int32
	groups  []string
}

func (t *rankTable) Len() int        { return len(t.from) }
func (t *rankTable) ID(i int) string { return t.ds.Projects[t.from[i]].ID }

func (t *rankTable) Total(i int) exact.Num {
	v := t.scored.Total(int(t.from[i])).Num
	if !t.exact { // the published total, as scored.Rounded gives it
		v = v.Round(t.places, t.mode)
	}
	return v
}

func (t *rankTable) Criterion(i, c int) exact.NullNum {
	a := t.scored.Aggregate(int(t.from[i]), t.compared[c])
	return pick(a.Value, a.Rounded(), t.exact)
}

func (t *rankTable) SubmittedAt(i int) time.Time { return t.ds.Projects[t.from[i]].SubmittedAt }

func (t *rankTable) Group(i int) string { return t.groups[t.groupOf[t.from[i]]] }

func (t *rankTable) AppendBallots(b []ranking.Ballot, i int) []ranking.Ballot {
	for _, x := range t.scored.Ballots(int(t.from[i])) {
		b = append(b, ranking.Ballot{Judge: x.Judge, Total: x.Total})
	}
	return b
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
