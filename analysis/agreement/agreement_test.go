package agreement

import (
	"context"
	"math"
	"testing"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/internal/sample"
	"github.com/afkarlab/afkar/scoring"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// shroutFleissDataset is Table 2 of Shrout and Fleiss as a dataset: 6
// projects scored by 4 judges on one criterion of 0–10 with total_max 10,
// so that a judge's own total is the score itself; and judge J5, who
// scores one project of its own, J6 two projects that J1 also scores.
const shroutFleissDataset = `{
  "rubric": {"criteria": [{"id": "c", "weight": "1"}], "scale": {"min": "0", "max": "10"}, "total_max": "10"},
  "projects": [{"id": "T1"}, {"id": "T2"}, {"id": "T3"}, {"id": "T4"}, {"id": "T5"}, {"id": "T6"}, {"id": "X"}],
  "judges": [{"id": "J1"}, {"id": "J2"}, {"id": "J3"}, {"id": "J4"}, {"id": "J5"}],
  "scores": [
    {"judge": "J1", "project": "T1", "criterion": "c", "score": 9}, {"judge": "J2", "project": "T1", "criterion": "c", "score": 2}, {"judge": "J3", "project": "T1", "criterion": "c", "score": 5}, {"judge": "J4", "project": "T1", "criterion": "c", "score": 8},
    {"judge": "J1", "project": "T2", "criterion": "c", "score": 6}, {"judge": "J2", "project": "T2", "criterion": "c", "score": 1}, {"judge": "J3", "project": "T2", "criterion": "c", "score": 3}, {"judge": "J4", "project": "T2", "criterion": "c", "score": 2},
    {"judge": "J1", "project": "T3", "criterion": "c", "score": 8}, {"judge": "J2", "project": "T3", "criterion": "c", "score": 4}, {"judge": "J3", "project": "T3", "criterion": "c", "score": 6}, {"judge": "J4", "project": "T3", "criterion": "c", "score": 8},
    {"judge": "J1", "project": "T4", "criterion": "c", "score": 7}, {"judge": "J2", "project": "T4", "criterion": "c", "score": 1}, {"judge": "J3", "project": "T4", "criterion": "c", "score": 2}, {"judge": "J4", "project": "T4", "criterion": "c", "score": 6},
    {"judge": "J1", "project": "T5", "criterion": "c", "score": 10}, {"judge": "J2", "project": "T5", "criterion": "c", "score": 5}, {"judge": "J3", "project": "T5", "criterion": "c", "score": 6}, {"judge": "J4", "project": "T5", "criterion": "c", "score": 9},
    {"judge": "J1", "project": "T6", "criterion": "c", "score": 6}, {"judge": "J2", "project": "T6", "criterion": "c", "score": 2}, {"judge": "J3", "project": "T6", "criterion": "c", "score": 4}, {"judge": "J4", "project": "T6", "criterion": "c", "score": 7}
  ]
}`

func TestAnalyzeCompleteDesign(t *testing.T) {
	ds, err := afkar.Decode([]byte(shroutFleissDataset))
	require.NoError(t, err)
	// Without X and J5: the complete 6 × 4 design of the paper.
	ds.Projects = ds.Projects[:6]
	ds.Judges = ds.Judges[:4]
	rep, err := Analyze(context.Background(), ds)
	require.NoError(t, err)
	for _, r := range []Reliability{rep.Criteria[0], rep.Totals} {
		require.Empty(t, r.ICCNote)
		require.Equal(t, 6, r.Projects)
		require.Equal(t, 4, r.Raters)
		require.InDelta(t, 0.2898, r.ICC1, 0.0001)
		require.InDelta(t, 0.6200, r.ICCK, 0.0001)
		require.Equal(t, 6, r.Units)
		require.Equal(t, 24, r.Values)
		want, err := Alpha(shroutFleiss1979)
		require.NoError(t, err)
		require.InDelta(t, want, r.Alpha, 1e-12)
	}
	require.Equal(t, "c", rep.Criteria[0].Criterion)
	require.Equal(t, "", rep.Totals.Criterion)

	// Leniency of J1 on T1: 9 − (2 + 5 + 8)/3 = 4; over the six projects
	// J1's scores sum to 46 and the others' means to (15 + 6 + 18 + 9 +
	// 20 + 13)/3 = 27: (46 − 27)/6 = 19/6.
	j1 := rep.Judges[0]
	require.Equal(t, 6, j1.Projects)
	require.Equal(t, 6, j1.Criteria[0].Pairs)
	require.InDelta(t, 19.0/6, j1.Criteria[0].Mean, 1e-12)
	require.InDelta(t, 19.0/6, j1.Total.Mean, 1e-12, "one criterion on 0–10, total_max 10: the total is the score")
	// The four leniencies sum to zero: each project's differences do.
	var sum float64
	for _, j := range rep.Judges {
		sum += j.Criteria[0].Mean
		require.False(t, j.FewProjects || j.Isolated)
	}
	require.InDelta(t, 0, sum, 1e-12)
}

func TestAnalyzeIncompleteDesign(t *testing.T) {
	ds, err := afkar.Decode([]byte(shroutFleissDataset))
	require.NoError(t, err)
	// J5 scores X alone; J1 has a conflict with T6.
	ds.Judges[0].Conflicts = []string{"T6"}
	extra := ds.Scores.At(0)
	extra.Judge, extra.Project = "J5", "X"
	ds.Scores.Append(extra)
	rep, err := Analyze(context.Background(), ds)
	require.NoError(t, err)
	c := rep.Criteria[0]
	require.True(t, math.IsNaN(c.ICC1) && math.IsNaN(c.ICCK))
	// 7 eligible projects × 5 judges = 35 cells, 24 − 1 + 1 = 24 scores.
	require.Equal(t, "incomplete design: 11 of the 35 (eligible project, judge) cells have no counted value, 1 of them because of conflict exclusions", c.ICCNote)
	require.Equal(t, 11, c.Missing)
	require.Equal(t, 1, c.Excluded, "J1 on T6")
	require.Equal(t, 6, c.Units, "X has a single value")
	require.Equal(t, 23, c.Values)
	require.False(t, math.IsNaN(c.Alpha))
	j5 := rep.Judges[4]
	require.Equal(t, "J5", j5.ID)
	require.Equal(t, 1, j5.Projects)
	require.True(t, j5.FewProjects && j5.Isolated)
	require.Zero(t, j5.Criteria[0].Pairs)
	require.Zero(t, j5.Total.Pairs)
	require.True(t, math.IsNaN(j5.Criteria[0].Mean) && math.IsNaN(j5.Total.Mean))
	require.Equal(t, 5, rep.Judges[0].Criteria[0].Pairs, "J1's T6 score does not count")
}

func TestAnalyzeSample(t *testing.T) {
	ds, err := afkar.Decode(sample.JSON())
	require.NoError(t, err)
	rep, err := Analyze(context.Background(), ds)
	require.NoError(t, err)
	require.Len(t, rep.Criteria, 5)
	require.Len(t, rep.Judges, 48)
	for _, r := range append(rep.Criteria, rep.Totals) {
		// Every stage has its own jury: the design is incomplete.
		require.Contains(t, r.ICCNote, "incomplete design")
		require.Greater(t, r.Alpha, 0.0)
		require.Less(t, r.Alpha, 1.0)
	}
}

func TestAnalyzeInvalid(t *testing.T) {
	ds, err := afkar.DecodeOptions{Partial: true}.Decode([]byte(`{"rubric": {"criteria": [{"id": "c", "weight": "2"}]}}`))
	require.NoError(t, err)
	_, err = Analyze(context.Background(), ds)
	var ps afkar.Problems
	require.ErrorAs(t, err, &ps)
	require.Equal(t, `rubric.criteria: weights must sum to exactly 1 under "exact" weights, they sum to 2 (set "weights": "relative" to divide each weight by their sum)`, ps[0].Error())
}

// An ICC missing because of conflict exclusions alone says so: J1 has a
// conflict with T6 (and did score it), and J2 is of T3's cooperative.
func TestAnalyzeMissingForConflicts(t *testing.T) {
	ds, err := afkar.Decode([]byte(shroutFleissDataset))
	require.NoError(t, err)
	ds.Projects, ds.Judges = ds.Projects[:6], ds.Judges[:4]
	ds.Judges[0].Conflicts = []string{"T6"}
	ds.Judges[1].Cooperative, ds.Projects[2].Cooperative = "coop-7", "coop-7"
	rep, err := Analyze(context.Background(), ds)
	require.NoError(t, err)
	for _, r := range []Reliability{rep.Criteria[0], rep.Totals} {
		require.Equal(t, "incomplete design: 2 of the 24 (eligible project, judge) cells have no counted value, all because of conflict exclusions", r.ICCNote)
		require.Equal(t, 2, r.Missing)
		require.Equal(t, 2, r.Excluded)
		require.True(t, math.IsNaN(r.ICC1) && math.IsNaN(r.ICCK))
	}
}

// An abstention (SPEC.md section 7.2) is an exclusion too, and the note
// names abstentions once a judge has some: J3 abstains on T2 (and scored
// it), J1 has a conflict with T6.
func TestAnalyzeMissingForAbstentions(t *testing.T) {
	ds, err := afkar.Decode([]byte(shroutFleissDataset))
	require.NoError(t, err)
	ds.Projects, ds.Judges = ds.Projects[:6], ds.Judges[:4]
	ds.Judges[0].Conflicts = []string{"T6"}
	ds.Judges[2].Abstains = []string{"T2", "T6"}
	rep, err := Analyze(context.Background(), ds)
	require.NoError(t, err)
	for _, r := range []Reliability{rep.Criteria[0], rep.Totals} {
		require.Equal(t, "incomplete design: 3 of the 24 (eligible project, judge) cells have no counted value, all because of conflict exclusions or abstentions", r.ICCNote)
		require.Equal(t, 3, r.Missing)
		require.Equal(t, 3, r.Excluded)
	}
}

// With GroupBy, each group gets its own reliabilities: sector a is the
// complete 6 × 4 design of Shrout and Fleiss; sector b, two more projects
// by J1 and J2 alone, one of them with a conflict of J2.
func TestAnalyzeGroups(t *testing.T) {
	ds, err := afkar.Decode([]byte(shroutFleissDataset))
	require.NoError(t, err)
	ds.Projects, ds.Judges = ds.Projects[:6], ds.Judges[:4]
	for i := range ds.Projects {
		ds.Projects[i].Sector = "a"
	}
	add := func(judge, project, score string) {
		ds.Scores.Append(scoring.Score{Judge: judge, Project: project, Criterion: "c", Value: decimal.RequireFromString(score)})
	}
	ds.Projects = append(ds.Projects, bank.Project{ID: "U1", Sector: "b"}, bank.Project{ID: "U2", Sector: "b"}, bank.Project{ID: "U3"})
	add("J1", "U1", "4")
	add("J2", "U1", "5")
	add("J1", "U2", "8")
	add("J2", "U2", "6") // excluded: J2 declares a conflict with U2
	add("J1", "U3", "7")
	ds.Judges[1].Conflicts = []string{"U2"}

	_, err = Config{GroupBy: "sectr"}.Analyze(context.Background(), ds)
	require.EqualError(t, err, `agreement: group by "sectr": expected region, sector, cooperative or attributes.<key>`)
	rep, err := Config{GroupBy: "sector"}.Analyze(context.Background(), ds)
	require.NoError(t, err)
	require.Len(t, rep.Groups, 3)
	a, b, none := rep.Groups[0], rep.Groups[1], rep.Groups[2]
	require.Equal(t, "a", a.Value)
	require.Equal(t, 6, a.Projects)
	require.InDelta(t, 0.2898, a.Criteria[0].ICC1, 0.0001, "the paper's ICC(2,1), the group alone")
	require.Empty(t, a.Criteria[0].ICCNote)

	require.Equal(t, "b", b.Value)
	require.Equal(t, 2, b.Projects)
	require.Equal(t, 1, b.Criteria[0].Units, "U1 alone has two values")
	require.Equal(t, "incomplete design: 1 of the 4 (eligible project, judge) cells have no counted value, all because of conflict exclusions", b.Criteria[0].ICCNote)
	require.Equal(t, "", none.Value, "U3 has no sector")
	require.Equal(t, "fewer than 2 eligible projects (1)", none.Criteria[0].ICCNote)
	require.Equal(t, "no project has two counted values", none.Criteria[0].AlphaNote)

	// Without GroupBy, no groups; the whole is the same either way.
	whole, err := Analyze(context.Background(), ds)
	require.NoError(t, err)
	require.Nil(t, whole.Groups)
	if diff := cmp.Diff(whole.Criteria, rep.Criteria, cmpopts.EquateNaNs()); diff != "" {
		t.Fatalf("the whole (-without groups +with):\n%s", diff)
	}
}

// Scores that float64 cannot hold make a design whose ICC(2,k)
// denominator is exactly 0 (TestICCHandSolved, "denominator 0"): from
// the exact scores, ICC(2,k) is undefined and says why, not −1.35e29.
func TestAnalyzeExactDenominator(t *testing.T) {
	ds, err := afkar.Decode([]byte(`{
	  "rubric": {"criteria": [{"id": "c", "weight": "1"}]},
	  "projects": [{"id": "P1"}, {"id": "P2"}],
	  "scores": [
	    {"judge": "J1", "project": "P1", "criterion": "c", "score": "1"},
	    {"judge": "J2", "project": "P1", "criterion": "c", "score": "1.2"},
	    {"judge": "J3", "project": "P1", "criterion": "c", "score": "1.1"},
	    {"judge": "J1", "project": "P2", "criterion": "c", "score": "1.2"},
	    {"judge": "J2", "project": "P2", "criterion": "c", "score": "1.2"},
	    {"judge": "J3", "project": "P2", "criterion": "c", "score": "0.9"}
	  ]}`))
	require.NoError(t, err)
	rep, err := Analyze(context.Background(), ds)
	require.NoError(t, err)
	// The judges' totals are the scores times 5: the same design.
	for _, r := range []Reliability{rep.Criteria[0], rep.Totals} {
		require.Equal(t, -0.5, r.ICC1)
		require.True(t, math.IsNaN(r.ICCK), "ICC(2,k) = %v", r.ICCK)
		require.Equal(t, "ICC(2,k) undefined: its denominator BMS + (JMS − EMS)/n is exactly 0", r.ICCNote)
	}
}
