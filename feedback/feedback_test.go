package feedback_test

import (
	"context"
	"testing"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/exact"
	"github.com/afkarlab/afkar/feedback"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// stage is the hand-solved stage of the tests: criteria a and b on 0..20,
// weights 1/2 each, total_max 100, so k = 100·(1/2)/20 = 5/2 points of
// total per point of aggregate; b has a threshold of 5; top 1; one judge.
//
//	P1 a 19, b 16: total 5/2·35 = 87.5, rank 1, selected
//	P2 a 15, b 14: total 72.5, gap 15, need 6 on a (21 > 20: no) or b (20: yes)
//	P3 a 12, b 10: total 55, gap 32.5, need 13 on a (25) or b (23): neither
//	P4 a 10, b 4: b below its threshold 5, ineligible
//
// Quartiles (Hyndman and Fan 7) of a: 10, 12, 15, 19 → 11.5, 13.5, 16; of
// b: 4, 10, 14, 16 → h = 3/4, 3/2, 9/4: 4 + 3/4·6 = 8.5, 10 + 1/2·4 = 12,
// 14 + 1/4·2 = 14.5.
const stage = `{"rubric": {"criteria": [
    {"id": "a", "weight": "0.5", "step": "1"},
    {"id": "b", "weight": "0.5", "step": "1", "threshold": "5"}]},
  "ranking": {"top": 1},
  "projects": [{"id": "P1"}, {"id": "P2"}, {"id": "P3"}, {"id": "P4"}],
  "scores": [
    {"judge": "J1", "project": "P1", "criterion": "a", "score": "19"},
    {"judge": "J1", "project": "P1", "criterion": "b", "score": "16"},
    {"judge": "J1", "project": "P2", "criterion": "a", "score": "15"},
    {"judge": "J1", "project": "P2", "criterion": "b", "score": "14"},
    {"judge": "J1", "project": "P3", "criterion": "a", "score": "12"},
    {"judge": "J1", "project": "P3", "criterion": "b", "score": "10"},
    {"judge": "J1", "project": "P4", "criterion": "a", "score": "10"},
    {"judge": "J1", "project": "P4", "criterion": "b", "score": "4"}]}`

// summary is an Idea in words, for cmp.
type summary struct {
	ID        string
	Spread    [][5]string // low, Q1, median, Q3, high per criterion
	Gap, Last string
	Need      []string
	Possible  []bool
}

func text(x exact.Num) string { return x.String() }

func summarise(i feedback.Idea) summary {
	s := summary{ID: i.Project.ID}
	for _, p := range i.Profile {
		sp := p.Spread
		s.Spread = append(s.Spread, [5]string{text(sp.Low), text(sp.Q1), text(sp.Median), text(sp.Q3), text(sp.High)})
	}
	if m := i.Margin; m != nil {
		s.Gap, s.Last = text(m.Gap), m.Last
		for _, c := range m.Criteria {
			s.Need = append(s.Need, text(c.Need))
			s.Possible = append(s.Possible, c.Possible)
		}
	}
	return s
}

func build(t *testing.T, js string) *feedback.Report {
	t.Helper()
	ds, err := afkar.Decode([]byte(js))
	require.NoError(t, err)
	res, err := afkar.Evaluate(context.Background(), ds)
	require.NoError(t, err)
	return feedback.Build(ds, res)
}

func TestBuild(t *testing.T) {
	rep := build(t, stage)
	spread := [][5]string{{"10", "23/2", "27/2", "16", "19"}, {"4", "17/2", "12", "29/2", "16"}}
	want := []summary{
		{ID: "P1", Spread: spread},
		{ID: "P2", Spread: spread, Gap: "15", Last: "P1", Need: []string{"6", "6"}, Possible: []bool{false, true}},
		{ID: "P3", Spread: spread, Gap: "65/2", Last: "P1", Need: []string{"13", "13"}, Possible: []bool{false, false}},
		{ID: "P4", Spread: spread}, // ineligible: no margin
	}
	var got []summary
	for _, i := range rep.Ideas {
		got = append(got, summarise(i))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Build (-want +got):\n%s", diff)
	}
	require.Equal(t, []string{"threshold:b"}, rep.Ideas[3].Project.Reasons)
	require.Empty(t, rep.Ideas[1].Comments, "the format records no comments")
	require.Equal(t, "5/2", rep.Ideas[1].Margin.Criteria[0].PerPoint.String())
}

// TestGroups: with group_by, the spread and the last selected are the
// group's. Region A: P1 (selected), P2; region B: P3 (selected), P4.
func TestGroups(t *testing.T) {
	js := `{"rubric": {"criteria": [{"id": "a", "weight": "1", "step": "1"}]},
  "ranking": {"top": 1, "group_by": "region"},
  "projects": [{"id": "P1", "region": "oriental"}, {"id": "P2", "region": "oriental"},
    {"id": "P3", "region": "souss-massa"}, {"id": "P4", "region": "souss-massa"}],
  "scores": [
    {"judge": "J1", "project": "P1", "criterion": "a", "score": "20"},
    {"judge": "J1", "project": "P2", "criterion": "a", "score": "18"},
    {"judge": "J1", "project": "P3", "criterion": "a", "score": "8"},
    {"judge": "J1", "project": "P4", "criterion": "a", "score": "4"}]}`
	rep := build(t, js)
	got := map[string]summary{}
	for _, i := range rep.Ideas {
		got[i.Project.ID] = summarise(i)
	}
	// Two values: h = 1/4, 1/2, 3/4 of the way. P4: gap 100·4/20 = 20,
	// k = 5: need 4 (4 + 4 = 8 ≤ 20).
	want := map[string]summary{
		"P1": {ID: "P1", Spread: [][5]string{{"18", "37/2", "19", "39/2", "20"}}},
		"P2": {ID: "P2", Spread: [][5]string{{"18", "37/2", "19", "39/2", "20"}}, Gap: "10", Last: "P1", Need: []string{"2"}, Possible: []bool{true}},
		"P3": {ID: "P3", Spread: [][5]string{{"4", "5", "6", "7", "8"}}},
		"P4": {ID: "P4", Spread: [][5]string{{"4", "5", "6", "7", "8"}}, Gap: "20", Last: "P3", Need: []string{"4"}, Possible: []bool{true}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Build (-want +got):\n%s", diff)
	}
}
