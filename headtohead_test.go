package afkar_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/ranking"
	"github.com/afkarlab/afkar/scoring"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// tiedDataset returns n projects that all total 50 under head_to_head:
// judge J1 gives project i the score a(i) and J2 gives it 20 − a(i), so
// that their mean is 10. distinct says whether a(i) differs from project
// to project (every ballot differs, and every pair must be compared) or
// is 10 for all (an equal-score flood: one ballot, shared).
func tiedDataset(n int, distinct bool) *afkar.Dataset {
	ds := &afkar.Dataset{
		Rubric:  scoring.Rubric{Criteria: []scoring.Criterion{{ID: "c", Weight: decimal.NewFromInt(1)}}},
		Ranking: afkar.Ranking{TieBreak: []ranking.Rule{{Kind: ranking.HeadToHead}}},
	}
	ds.Scores.Grow(2 * n)
	twenty := decimal.NewFromInt(20)
	for i := range n {
		id := fmt.Sprintf("P%06d", i)
		ds.Projects = append(ds.Projects, bank.Project{ID: id})
		a := decimal.NewFromInt(10)
		if distinct {
			a = decimal.New(int64(i), -4) // 0.0000, 0.0001, …: below 20 for n ≤ 200,000
		}
		ds.Scores.Append(scoring.Score{Judge: "J1", Project: id, Criterion: "c", Value: a},
			scoring.Score{Judge: "J2", Project: id, Criterion: "c", Value: twenty.Sub(a)})
	}
	return ds
}

// TestEvaluateHeadToHeadPairsLimit: head_to_head past
// Limits.MaxHeadToHeadPairs is a problem at the rule, naming the limit,
// and the caller can raise it; an equal-score flood of the same size
// costs no pair at all.
func TestEvaluateHeadToHeadPairsLimit(t *testing.T) {
	ds := tiedDataset(100, true) // 4,950 pairs
	_, err := afkar.EvaluateOptions{Limits: afkar.Limits{MaxHeadToHeadPairs: 4949}}.Evaluate(context.Background(), ds)
	var ps afkar.Problems
	require.ErrorAs(t, err, &ps)
	require.Equal(t, afkar.Problems{{Path: "ranking.tie_break[0]", Code: scoring.CodeHeadToHeadPairs,
		Params: scoring.Params{"count": "4950", "max": "4949"},
		Message: "head_to_head would compare at least 4950 pairs of distinct ballots (100 tied projects with 100 distinct ballots), " +
			"more than the limit of 4949 (Limits.MaxHeadToHeadPairs)"}}, ps)

	res, err := afkar.EvaluateOptions{Limits: afkar.Limits{MaxHeadToHeadPairs: 4950}}.Evaluate(context.Background(), ds)
	require.NoError(t, err)
	require.Equal(t, res.Len(), 100)

	res, err = afkar.EvaluateOptions{Limits: afkar.Limits{MaxHeadToHeadPairs: 1}}.Evaluate(context.Background(), tiedDataset(100, false))
	require.NoError(t, err, "identical ballots are one class: no pair")
	require.Equal(t, ranking.Whole(1), res.Project(99).Rank)
}

// TestEvaluateHeadToHeadCancels: Evaluate stops a head_to_head that would
// take about a minute (200,000 tied projects whose ballots all differ,
// 2·10¹⁰ pairs, the limit raised past them; the dense comparison does
// some 4·10⁸ pairs a second on two cores here) soon after its context is
// cancelled. The bound, two seconds, is generous for a loaded machine
// (the rule looks at the context every millisecond or so of work);
// before, the rule never looked, and Evaluate returned minutes later.
// With 40,000 projects (8·10⁸ pairs) the test had become flaky: the
// pairs took about two seconds, and Evaluate sometimes finished before
// the cancellation.
func TestEvaluateHeadToHeadCancels(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 200,000 projects")
	}
	ds := tiedDataset(200_000, true)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := afkar.EvaluateOptions{Limits: afkar.Limits{MaxHeadToHeadPairs: 1 << 40}}.Evaluate(ctx, ds)
		done <- err
	}()
	time.Sleep(time.Second) // scored, and well into the pairs
	cancel()
	cancelled := time.Now()
	select {
	case err := <-done:
		require.ErrorIs(t, err, context.Canceled)
		t.Logf("returned %v after the cancellation", time.Since(cancelled))
	case <-time.After(2 * time.Second):
		t.Fatal("Evaluate did not return within two seconds of its cancellation")
	}
}
