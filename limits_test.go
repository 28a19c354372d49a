package afkar_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/scoring"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// scoredBy returns a dataset of one project scored by judges J0…J(n−1),
// listed or not.
func scoredBy(n int, listed bool) string {
	var scores, judges []string
	for j := range n {
		scores = append(scores, fmt.Sprintf(`{"judge": "J%d", "project": "P1", "criterion": "social", "score": "10"}`, j))
		judges = append(judges, fmt.Sprintf(`{"id": "J%d"}`, j))
	}
	jury := ""
	if listed {
		jury = `, "judges": [` + strings.Join(judges, ", ") + `]`
	}
	return `{"rubric": {"criteria": [{"id": "social", "weight": "1"}]}, "projects": [{"id": "P1"}]` + jury +
		`, "scores": [` + strings.Join(scores, ", ") + `]}`
}

// TestMaxJudgesOfScores: Limits.MaxJudges bounds the jury whether it is
// listed or, when it is not, named by the scores alone (before, a million
// judges named only in scores were accepted).
func TestMaxJudgesOfScores(t *testing.T) {
	opts := afkar.DecodeOptions{Limits: afkar.Limits{MaxJudges: 3}}
	_, err := opts.Decode([]byte(scoredBy(3, false)))
	require.NoError(t, err, "three judges, the limit")
	_, err = opts.Decode([]byte(scoredBy(4, false)))
	require.Equal(t, []string{"scores: 4 judges named by the scores, more than the limit of 3 (Limits.MaxJudges)"}, problemsOf(t, err))
	require.Equal(t, []string{"input.too_many count=4 items=judges max=3"}, codesOf(t, err))
	_, err = opts.Decode([]byte(scoredBy(4, true)))
	require.Equal(t, []string{"judges: 4 judges, more than the limit of 3 (Limits.MaxJudges)"}, problemsOf(t, err), "a list: as before")
}

// TestLimitsCheck: a dataset put together in Go (as the command line
// does from CSV files) is checked against the same counts, with the same
// problems as Decode's.
func TestLimitsCheck(t *testing.T) {
	ds := &afkar.Dataset{Rubric: scoring.Rubric{Criteria: []scoring.Criterion{{ID: "c", Weight: decimal.NewFromInt(1)}}}}
	for i := range 3 {
		id := fmt.Sprint("P", i)
		ds.Projects = append(ds.Projects, bank.Project{ID: id})
		ds.Scores.Append(scoring.Score{Judge: fmt.Sprint("J", i), Project: id, Criterion: "c", Value: decimal.NewFromInt(1)},
			scoring.Score{Judge: "J0", Project: id, Criterion: "c", Value: decimal.NewFromInt(2)})
	}
	require.NoError(t, afkar.Limits{}.Check(ds))
	require.NoError(t, afkar.Limits{MaxJudges: 3, MaxProjects: 3, MaxScores: 6}.Check(ds))
	err := afkar.Limits{MaxJudges: 2, MaxProjects: 2, MaxScores: 5}.Check(ds)
	require.Equal(t, []string{
		"projects: 3 projects, more than the limit of 2 (Limits.MaxProjects)",
		"scores: 6 scores, more than the limit of 5 (Limits.MaxScores)",
		"scores: 3 judges named by the scores, more than the limit of 2 (Limits.MaxJudges)",
	}, problemsOf(t, err))
	ds.Judges = []bank.Judge{{ID: "J0"}, {ID: "J1"}, {ID: "J2"}}
	require.Equal(t, []string{"judges: 3 judges, more than the limit of 2 (Limits.MaxJudges)"},
		problemsOf(t, afkar.Limits{MaxJudges: 2}.Check(ds)), "a listed jury counts as listed")
}
