package scoring

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// TestProblemsInInputOrder: duplicates, found in a pass of their own, are
// reported among the other problems of the scores in input order, each
// after the other problems of its score.
func TestProblemsInInputOrder(t *testing.T) {
	r := oneCriterion(Aggregation{})
	in := Input{
		Projects: []Project{{ID: "P"}, {ID: "Q"}},
		Scores: ScoresOf([]Score{
			{Judge: "A", Project: "Q", Criterion: "c", Value: d("1")},
			{Judge: "A", Project: "P", Criterion: "c", Value: d("2")},
			{Judge: "A", Project: "Q", Criterion: "c", Value: d("99")}, // duplicate and out of range
			{Judge: "B", Project: "X", Criterion: "c", Value: d("3")},  // unknown project
			{Judge: "A", Project: "P", Criterion: "c", Value: d("4")},  // duplicate
			{Judge: "B", Project: "P", Criterion: "z", Value: d("5")},  // unknown criterion
		}...),
	}
	err := r.ValidateInputOnly(in)
	require.Error(t, err)
	want := Problems{
		{`scores[2].score`, `99 is above the maximum 20 of criterion "c"`,
			CodeScoreAboveMax, Params{"value": "99", "criterion": "c", "min": "0", "max": "20"}},
		{`scores[2]`, `duplicate score of judge "A" on project "Q", criterion "c" (first at scores[0])`,
			CodeScoreDuplicate, Params{"judge": "A", "project": "Q", "criterion": "c", "first": "scores[0]"}},
		{`scores[3].project`, `unknown project "X"`, CodeProjectUnknown, Params{"project": "X"}},
		{`scores[4]`, `duplicate score of judge "A" on project "P", criterion "c" (first at scores[1])`,
			CodeScoreDuplicate, Params{"judge": "A", "project": "P", "criterion": "c", "first": "scores[1]"}},
		{`scores[5].criterion`, `unknown criterion "z"`, CodeCriterionUnknown, Params{"criterion": "z"}},
	}
	if diff := cmp.Diff(want, err.(Problems)); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
}

// TestLookupSkipsInvalidKeys: the lookup's shortcut never finds a project
// whose ID is invalid or a duplicate, even when scores name it in order.
func TestLookupSkipsInvalidKeys(t *testing.T) {
	r := oneCriterion(Aggregation{})
	in := Input{
		Projects: []Project{{ID: "P"}, {ID: ""}, {ID: "P"}, {ID: "Q"}},
		Scores: ScoresOf([]Score{
			{Judge: "A", Project: "P", Criterion: "c", Value: d("1")},
			{Judge: "A", Project: "", Criterion: "c", Value: d("1")},
			{Judge: "A", Project: "Q", Criterion: "c", Value: d("1")},
		}...),
	}
	err := r.ValidateInputOnly(in)
	require.Error(t, err)
	var paths []string
	for _, p := range err.(Problems) {
		paths = append(paths, p.Path)
	}
	require.Equal(t, []string{"projects[1].id", "projects[2].id", "scores[1].project"}, paths)
}

// TestDuplicatesGroupedAndNot: the one-pass path (scores grouped by
// project) and the sorting path find the same duplicates.
func TestDuplicatesGroupedAndNot(t *testing.T) {
	r := oneCriterion(Aggregation{})
	grouped := []Score{
		{Judge: "A", Project: "P", Criterion: "c", Value: d("1")},
		{Judge: "B", Project: "P", Criterion: "c", Value: d("1")},
		{Judge: "A", Project: "P", Criterion: "c", Value: d("2")},
		{Judge: "A", Project: "Q", Criterion: "c", Value: d("1")},
		{Judge: "A", Project: "Q", Criterion: "c", Value: d("3")},
	}
	interleaved := []Score{grouped[0], grouped[3], grouped[1], grouped[4], grouped[2]}
	for _, tt := range []struct {
		scores []Score
		want   []string
	}{
		{grouped, []string{
			`scores[2]: duplicate score of judge "A" on project "P", criterion "c" (first at scores[0])`,
			`scores[4]: duplicate score of judge "A" on project "Q", criterion "c" (first at scores[3])`,
		}},
		{interleaved, []string{
			`scores[3]: duplicate score of judge "A" on project "Q", criterion "c" (first at scores[1])`,
			`scores[4]: duplicate score of judge "A" on project "P", criterion "c" (first at scores[0])`,
		}},
	} {
		err := r.ValidateInputOnly(Input{Projects: []Project{{ID: "P"}, {ID: "Q"}}, Scores: ScoresOf(tt.scores...)})
		var got []string
		for _, p := range err.(Problems) {
			got = append(got, p.Error())
		}
		require.Equal(t, tt.want, got)
	}
}

// TestProblemsInOrderAcrossChunks: the scores are checked in chunks (across
// cores when there are several); the problems still come in input order,
// and past maxProblems the list is cut as in one piece.
func TestProblemsInOrderAcrossChunks(t *testing.T) {
	r := oneCriterion(Aggregation{})
	in := Input{Judges: []Judge{{ID: "J"}}}
	const n = 300_000
	for p := range n {
		id := fmt.Sprintf("P%d", p)
		in.Projects = append(in.Projects, Project{ID: id})
		v := "1"
		if p%250 == 7 {
			v = "21" // out of range: 1200 problems in all
		}
		in.Scores.Append(Score{Judge: "J", Project: id, Criterion: "c", Value: d(v)})
	}
	ps := r.ValidateInputOnly(in).(Problems)
	require.Len(t, ps, maxProblems+1)
	for k, p := range ps[:maxProblems] {
		require.Equal(t, fmt.Sprintf("scores[%d].score", 250*k+7), p.Path)
	}
	require.Equal(t, "$", ps[maxProblems].Path)
}
