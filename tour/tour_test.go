package tour_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/internal/sample"
	"github.com/afkarlab/afkar/scoring"
	"github.com/afkarlab/afkar/tour"
	"github.com/shopspring/decimal"
)

// sampleTour is the built-in sample split into its 12 regional stages,
// one dataset file each, under the rule: the top 2 of each stage, and 4
// wildcards, at most 3 projects a stage.
func sampleTour(t *testing.T) (*tour.Tour, fstest.MapFS) {
	t.Helper()
	fsys := fstest.MapFS{}
	tr := &tour.Tour{ID: "afkar-2025", Title: "Afkar tour 2025", Rule: tour.Rule{Top: 2, Wildcards: 4, MaxPerStage: 3}}
	for _, s := range sample.Stages() {
		name := "stages/" + s.Region + ".json"
		fsys[name] = &fstest.MapFile{Data: s.JSON}
		tr.Stages = append(tr.Stages, tour.Stage{ID: s.Region, Dataset: name})
	}
	require.Len(t, tr.Stages, 12)
	return tr, fsys
}

func TestBuildThenVerify(t *testing.T) {
	ctx := context.Background()
	tr, fsys := sampleTour(t)
	built, err := tour.Build(ctx, tr, fsys)
	require.NoError(t, err)
	// 12 stages × top 2, and 4 wildcards.
	require.Len(t, built.Tour.Advanced, 28)
	require.Len(t, built.Final.Projects, 28)
	for i, a := range built.Tour.Advanced {
		require.Equal(t, a.Project, built.Final.Projects[i].ID)
	}
	require.Empty(t, tr.Advanced, "Build does not modify its tour")

	// The sealed tour survives its own format.
	data, err := built.Tour.MarshalJSON()
	require.NoError(t, err)
	sealed, err := tour.Decode(data)
	require.NoError(t, err)
	sealed.Format = ""
	built.Tour.Format = ""
	if diff := cmp.Diff(built.Tour, sealed); diff != "" {
		t.Fatalf("decoded sealed tour (-built +decoded):\n%s", diff)
	}
	rep, err := tour.Verify(ctx, sealed, fsys)
	require.NoError(t, err)
	require.True(t, rep.OK(), "%v", rep.Mismatches)
	require.Equal(t, built.Tour.Advanced, rep.Advanced)

	// The final skeleton reads as a partial dataset.
	final, err := built.Final.MarshalJSON()
	require.NoError(t, err)
	_, err = afkar.DecodeOptions{Partial: true}.Decode(final)
	require.NoError(t, err)
}

// TestVerifyAlteredScore: one score altered in one regional dataset makes
// the verification fail at that stage's dataset digest first, then its
// result digest, then at the first advanced place it changes.
func TestVerifyAlteredScore(t *testing.T) {
	ctx := context.Background()
	tr, fsys := sampleTour(t)
	built, err := tour.Build(ctx, tr, fsys)
	require.NoError(t, err)
	const stage = 5
	name := tr.Stages[stage].Dataset
	ds, err := afkar.Decode(fsys[name].Data)
	require.NoError(t, err)
	// The first score (in input order) that, set to 0, changes who
	// advances from the stage: the second project's first score.
	second := built.Results[stage].Project(1).ID
	i := 0
	for ds.Scores.At(i).Project != second {
		i++
	}
	sc := ds.Scores.At(i)
	require.Equal(t, "social", sc.Criterion)
	sc.Value = decimal.Zero
	ds.Scores = ds.Scores.Clone()
	ds.Scores.Set(i, sc)
	altered, err := ds.MarshalJSON()
	require.NoError(t, err)
	fsys[name] = &fstest.MapFile{Data: altered}
	again, err := afkar.Evaluate(ctx, ds)
	require.NoError(t, err)
	newSecond := again.Project(1).ID

	rep, err := tour.Verify(ctx, built.Tour, fsys)
	require.NoError(t, err)
	st := tr.Stages[stage]
	want := afkar.Problems{
		{Path: "stages[5].dataset_digest", Code: scoring.CodeTourDigest,
			Message: `stage "` + st.ID + `": the dataset "` + name + `" has digest ` + again.InputDigest + `, the tour records ` + built.Tour.Stages[stage].DatasetDigest,
			Params: scoring.Params{"stage": st.ID, "file": name, "what": "dataset_digest", "found": again.InputDigest,
				"expected": built.Tour.Stages[stage].DatasetDigest}},
		{Path: "stages[5].result_digest", Code: scoring.CodeTourDigest,
			Message: `stage "` + st.ID + `": the result of "` + name + `" has digest ` + tour.ResultDigest(again) + `, the tour records ` + built.Tour.Stages[stage].ResultDigest,
			Params: scoring.Params{"stage": st.ID, "file": name, "what": "result_digest", "found": tour.ResultDigest(again),
				"expected": built.Tour.Stages[stage].ResultDigest}},
	}
	// The second place of the stage (the 12th advanced: 5 stages of 2
	// before it) changes hands.
	k := 2*stage + 1
	old := built.Tour.Advanced[k]
	want = append(want, afkar.Problem{Path: "advanced[11]", Code: scoring.CodeTourAdvanced,
		Message: `the tour lists project "` + old.Project + `" of stage "` + st.ID + `" (top), the rule advances project "` + newSecond + `" of stage "` + st.ID + `" (top)`,
		Params: scoring.Params{"listed": old.Project, "listed_stage": st.ID, "listed_by": "top",
			"project": newSecond, "stage": st.ID, "by": "top"}})
	if diff := cmp.Diff(want, rep.Mismatches); diff != "" {
		t.Errorf("mismatches (-want +got):\n%s", diff)
	}
	require.Equal(t, "oriental", tr.Stages[0].ID, "the sample's first stage")
}

// result evaluates a stage of one judge and one criterion scored 0 to
// 100, ranked by total then the tie-break rule; rows are the projects
// as (id, rank, total, decided_by), in the order the stage must rank them,
// which result checks.
func result(t *testing.T, rule string, rows ...any) *afkar.Result {
	t.Helper()
	var projects, scores []string
	for i := 0; i < len(rows); i += 4 {
		projects = append(projects, fmt.Sprintf(`{"id": %q}`, rows[i]))
		scores = append(scores, fmt.Sprintf(`{"judge": "J", "project": %q, "criterion": "c", "score": "%d"}`, rows[i], rows[i+2]))
	}
	ds, err := afkar.Decode([]byte(`{"format": "afkar/1",
		"rubric": {"criteria": [{"id": "c", "weight": "1", "min": "0", "max": "100"}], "total_max": "100"},
		"ranking": {"tie_break": ["` + rule + `"]},
		"projects": [` + strings.Join(projects, ", ") + `],
		"scores": [` + strings.Join(scores, ", ") + `]}`))
	require.NoError(t, err)
	res, err := afkar.Evaluate(t.Context(), ds)
	require.NoError(t, err)
	require.Equal(t, len(rows)/4, res.Len())
	for k, p := range res.Projects() {
		row := rows[4*k : 4*k+4]
		require.Equal(t, row, []any{p.ID, p.Rank.String(), int(p.Total.Num.Rat().Num().Int64()), p.DecidedBy},
			"the stage's %d-th project", k)
		require.True(t, p.Total.Num.Rat().IsInt())
	}
	return res
}

// TestAdvance: hand-solved cuts.
//
// Stage a: A1 90, A2 80, A3 80 (A2 ahead of A3 by id), A4 70. Top 2: A1
// and A2, and the cut A2|A3 was decided by id alone: a tie.
// Stage b: B1 85, B2 84 (by total), B3 80, B4 80 (by lottery). Top 2: B1
// and B2, the cut decided by total.
// Wildcards 2, at most 3 a stage. Left: A3 80 (rank 3), A4 70 (rank 4),
// B3 80 (rank 3), B4 80 (rank 4). Ordered by total, then rank, then id:
// A3 (80, 3), B3 (80, 3), B4 (80, 4), A4. A3 and B3 go; the cut B3|B4
// was decided by rank: no tie. With 1 wildcard, A3 goes and the cut A3|B3
// (same total, same rank) was decided by id: a tie.
// With at most 2 a stage, no wildcard can go.
func TestAdvance(t *testing.T) {
	stages := []tour.StageResult{
		{Stage: "a", Result: result(t, "id", "A1", "1", 90, "total", "A2", "2", 80, "id", "A3", "3", 80, "total", "A4", "4", 70, "")},
		{Stage: "b", Result: result(t, "lottery:x", "B1", "1", 85, "total", "B2", "2", 84, "total", "B3", "3", 80, "lottery:x", "B4", "4", 80, "")},
	}
	top := []tour.Advance{{"A1", "a", tour.ByTop}, {"A2", "a", tour.ByTop}, {"B1", "b", tour.ByTop}, {"B2", "b", tour.ByTop}}
	topTie := tour.Tie{Stage: "a", Cut: tour.ByTop, In: "A2", Out: "A3", DecidedBy: "id"}
	tests := []struct {
		name     string
		rule     tour.Rule
		advanced []tour.Advance
		ties     []tour.Tie
	}{
		{"two wildcards", tour.Rule{Top: 2, Wildcards: 2, MaxPerStage: 3},
			append(top[:4:4], tour.Advance{"A3", "a", tour.ByWildcard}, tour.Advance{"B3", "b", tour.ByWildcard}),
			[]tour.Tie{topTie}},
		{"one wildcard", tour.Rule{Top: 2, Wildcards: 1},
			append(top[:4:4], tour.Advance{"A3", "a", tour.ByWildcard}),
			[]tour.Tie{topTie, {Cut: tour.ByWildcard, In: "A3", Out: "B3", DecidedBy: "id"}}},
		{"quota", tour.Rule{Top: 2, Wildcards: 2, MaxPerStage: 2}, top, []tour.Tie{topTie}},
		{"top 1", tour.Rule{Top: 1}, []tour.Advance{top[0], top[2]}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			advanced, ties := tt.rule.Advance(stages)
			if diff := cmp.Diff(tt.advanced, advanced); diff != "" {
				t.Errorf("advanced (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.ties, ties); diff != "" {
				t.Errorf("ties (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeProblems(t *testing.T) {
	tests := []struct {
		name, json string
		want       afkar.Problems
	}{
		{"not an object", `[]`, afkar.Problems{{Path: "$", Message: "expected an object, found an array",
			Code: scoring.CodeJSONType, Params: scoring.Params{"expected": "object", "found": "array"}}}},
		{"missing", `{"format": "afkar-tour/2"}`, afkar.Problems{
			{Path: "format", Message: `expected "afkar-tour/1", found "afkar-tour/2"`, Code: scoring.CodeFormatUnsupported,
				Params: scoring.Params{"expected": "afkar-tour/1", "found": "afkar-tour/2"}},
			{Path: "stages", Message: "required, missing", Code: scoring.CodeFieldRequired, Params: scoring.Params{"field": "stages"}},
			{Path: "advancement", Message: "required, missing", Code: scoring.CodeFieldRequired, Params: scoring.Params{"field": "advancement"}},
		}},
		{"stages", `{"stages": [{"id": "A", "dataset": "../a.json"}, {"id": "b", "dataset": "b.json", "dataset_digest": "sha256:00"},
			{"id": "b", "dataset": "c.json", "extra": 1}], "advancement": {"top": 2, "max_per_stage": 1},
			"advanced": [{"project": "P", "stage": "z", "by": "luck"}]}`, afkar.Problems{
			{Path: "stages[0].dataset", Message: `"../a.json" is not a relative slash-separated path inside the tour's folder`,
				Code: scoring.CodeTourPathInvalid, Params: scoring.Params{"text": "../a.json"}},
			{Path: "stages[1].dataset_digest", Message: `"sha256:00" is not a digest (expected "sha256:" and 64 lowercase hex digits)`,
				Code: scoring.CodeTourDigestForm, Params: scoring.Params{"text": "sha256:00"}},
			{Path: "stages[2].extra", Message: `unknown key "extra" (expected one of id, dataset, dataset_digest, result_digest)`,
				Code: scoring.CodeJSONUnknownKey, Params: scoring.Params{"key": "extra", "expected": "id, dataset, dataset_digest, result_digest"}},
			{Path: "advanced[0].by", Message: `expected one of top, wildcard, found "luck"`, Code: scoring.CodeEnumInvalid,
				Params: scoring.Params{"found": "luck", "allowed": "top, wildcard"}},
			{Path: "stages[0].id", Message: `"A" is not a stage id (expected a lowercase letter or digit, then up to 63 of a-z, 0-9, _ and -)`,
				Code: scoring.CodeTourStageInvalidID, Params: scoring.Params{"id": "A"}},
			{Path: "stages[2].id", Message: `duplicate stage id "b" (first at stages[1])`, Code: scoring.CodeTourStageDuplicate,
				Params: scoring.Params{"stage": "b", "first": "stages[1]"}},
			{Path: "advancement.max_per_stage", Message: "expected an integer >= top (2), found 1", Code: scoring.CodeIntegerRange,
				Params: scoring.Params{"value": "1", "min": "2"}},
			{Path: "advanced[0].stage", Message: `unknown stage "z" (not in stages)`, Code: scoring.CodeTourStageUnknown,
				Params: scoring.Params{"stage": "z"}},
		}},
		{"empty", `{"stages": [], "advancement": {"top": 0}}`, afkar.Problems{
			{Path: "advancement.top", Message: "expected an integer >= 1, found 0", Code: scoring.CodeIntegerRange,
				Params: scoring.Params{"value": "0", "min": "1"}},
			{Path: "stages", Message: "expected at least one stage, found none", Code: scoring.CodeTourStagesEmpty},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tour.Decode([]byte(tt.json))
			var got afkar.Problems
			require.ErrorAs(t, err, &got)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestVerifyFiles: a missing file, an invalid dataset and an unsealed
// tour, each named.
func TestVerifyFiles(t *testing.T) {
	ctx := context.Background()
	tr, fsys := sampleTour(t)
	tr.Stages = tr.Stages[:2]
	delete(fsys, tr.Stages[0].Dataset)
	fsys[tr.Stages[1].Dataset] = &fstest.MapFile{Data: []byte(`{"rubric": {}}`)}
	rep, err := tour.Verify(ctx, tr, fsys)
	require.NoError(t, err)
	want := afkar.Problems{
		{Path: "stages[0].dataset", Code: scoring.CodeTourFile,
			Message: `stage "oriental": cannot read "stages/oriental.json": open stages/oriental.json: file does not exist`,
			Params:  scoring.Params{"stage": "oriental", "file": "stages/oriental.json", "error": "open stages/oriental.json: file does not exist"}},
		{Path: "stages[1].dataset", Code: scoring.CodeTourDatasetInvalid,
			Message: `stage "` + tr.Stages[1].ID + `": "` + tr.Stages[1].Dataset + `" is not a valid dataset: rubric.criteria: required, missing (and 2 more)`,
			Params:  scoring.Params{"stage": tr.Stages[1].ID, "file": tr.Stages[1].Dataset, "problem": "rubric.criteria: required, missing", "count": "3"}},
	}
	if diff := cmp.Diff(want, rep.Mismatches); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	_, err = tour.Build(ctx, tr, fsys)
	require.Equal(t, want, err)

	tr, fsys = sampleTour(t)
	rep, err = tour.Verify(ctx, tr, fsys)
	require.NoError(t, err)
	require.Len(t, rep.Mismatches, 25) // two digests a stage, and the advanced list
	require.Equal(t, afkar.Problem{Path: "stages[0].dataset_digest", Code: scoring.CodeTourNotSealed,
		Message: `stage "oriental": the tour records no digest of the dataset "stages/oriental.json" (run afkar tour build)`,
		Params:  scoring.Params{"stage": "oriental", "file": "stages/oriental.json", "what": "dataset_digest", "found": rep.Mismatches[0].Params["found"], "expected": ""}},
		rep.Mismatches[0])
	require.Equal(t, afkar.Problem{Path: "advanced", Code: scoring.CodeTourNotSealed, Params: scoring.Params{"what": "advanced"},
		Message: "the tour records no advanced projects (run afkar tour build)"}, rep.Mismatches[24])
}
