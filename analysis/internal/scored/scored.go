// Package scored scores a dataset as afkar.Evaluate does, and keeps what
// the analysis packages need that afkar.Result does not carry: the exact
// aggregates and totals, the judges' counted scores and their ballots
// (package scoring's Result).
package scored

import (
	"context"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/scoring"
)

// Evaluate validates ds (every problem at once, as afkar.Problems) and
// scores it: the projects of the result are those of ds, index for index.
func Evaluate(ctx context.Context, ds *afkar.Dataset) (*scoring.Result, error) {
	if err := ds.Validate(); err != nil {
		return nil, err
	}
	return ds.Rubric.Evaluate(ctx, Input(ds))
}

// Input returns the projects, judges and scores of ds as package scoring
// takes them, index for index (what afkar.Evaluate gives it).
func Input(ds *afkar.Dataset) scoring.Input { return ds.ScoringInput() }

// Judges returns the judges' IDs: those of ds.Judges, or without them the
// distinct judges of the scores in order of first appearance.
func Judges(ds *afkar.Dataset) []string {
	var ids []string
	if ds.Judges != nil {
		for _, j := range ds.Judges {
			ids = append(ids, j.ID)
		}
		return ids
	}
	seen := map[string]bool{}
	for _, s := range ds.Scores.All() {
		if !seen[s.Judge] {
			seen[s.Judge] = true
			ids = append(ids, s.Judge)
		}
	}
	return ids
}

// Group returns the value of the group_by field by of p, "" when it has
// none (SPEC.md section 4), as afkar.Evaluate groups projects.
func Group(p *bank.Project, by string) string { return afkar.GroupValue(p, by) }
