package comparability_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/analysis/comparability"
	"github.com/afkarlab/afkar/scoring"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// dataset builds a one-criterion zscore dataset: judges lists the jury
// (JSON, may be empty for none), and each "J:P:score" of scores one score.
func dataset(t *testing.T, method, judges string, projects []string, scores ...string) *afkar.Dataset {
	t.Helper()
	var ps, ss []string
	for _, p := range projects {
		ps = append(ps, fmt.Sprintf(`{"id": %q}`, p))
	}
	for _, s := range scores {
		f := strings.Split(s, ":")
		ss = append(ss, fmt.Sprintf(`{"judge": %q, "project": %q, "criterion": "social", "score": %q}`, f[0], f[1], f[2]))
	}
	js := ""
	if judges != "" {
		js = `"judges": ` + judges + `,`
	}
	ds, err := afkar.Decode([]byte(`{"rubric": {"criteria": [{"id": "social", "weight": "1"}], "aggregation": {"method": "` + method + `"}},` +
		js + `"projects": [` + strings.Join(ps, ",") + `], "scores": [` + strings.Join(ss, ",") + `]}`))
	require.NoError(t, err)
	return ds
}

var four = []string{"P1", "P2", "P3", "P4"}

// twoJuries: J1, J2 score P1, P2; J3, J4 score P3, P4.
var twoJuries = []string{"J1:P1:10", "J2:P1:12", "J1:P2:14", "J2:P2:9", "J3:P3:15", "J4:P3:11", "J3:P4:8", "J4:P4:16"}

func TestAnalyze(t *testing.T) {
	jury := func(conflicts1 string) string {
		return `[{"id": "J1", "conflicts": [` + conflicts1 + `]}, {"id": "J2"}, {"id": "J3"}, {"id": "J4"}]`
	}
	few := func(js ...string) []comparability.Few {
		var out []comparability.Few
		for _, j := range js {
			out = append(out, comparability.Few{Judge: j, Criterion: "social", Scores: 2})
		}
		return out
	}
	first := comparability.Component{Judges: []string{"J1", "J2"}, Projects: []string{"P1", "P2"}, Scores: 4, Few: few("J1", "J2")}
	second := comparability.Component{Judges: []string{"J3", "J4"}, Projects: []string{"P3", "P4"}, Scores: 4, Few: few("J3", "J4")}
	tests := []struct {
		name string
		ds   *afkar.Dataset
		want *comparability.Report
	}{{
		// The package doc's case: the first judge of the first jury
		// scores the first project of the second.
		name: "two juries",
		ds:   dataset(t, "zscore", "", four, twoJuries...),
		want: &comparability.Report{Method: scoring.ZScore, Components: []comparability.Component{first, second},
			Bridges: []comparability.Bridge{{Judge: "J1", Project: "P3", From: 0, To: 1}}},
	}, {
		// J1 may not score P3: the next project of the second jury.
		name: "conflict moves the bridge to the next project",
		ds:   dataset(t, "zscore", jury(`"P3"`), four, twoJuries...),
		want: &comparability.Report{Method: scoring.ZScore, Components: []comparability.Component{first, second},
			Bridges: []comparability.Bridge{{Judge: "J1", Project: "P4", From: 0, To: 1}}},
	}, {
		// J1 may score neither: the next judge.
		name: "conflicts move the bridge to the next judge",
		ds:   dataset(t, "zscore", jury(`"P3", "P4"`), four, twoJuries...),
		want: &comparability.Report{Method: scoring.ZScore, Components: []comparability.Component{first, second},
			Bridges: []comparability.Bridge{{Judge: "J2", Project: "P3", From: 0, To: 1}}},
	}, {
		// J2 scored P3 too, but J2 declared a conflict with it: the
		// excluded score joins nothing, the juries stay apart.
		name: "an excluded score does not connect",
		ds: dataset(t, "mean", `[{"id": "J1"}, {"id": "J2", "conflicts": ["P3"]}, {"id": "J3"}, {"id": "J4"}]`, four,
			append([]string{"J2:P3:10"}, twoJuries...)...),
		want: &comparability.Report{Method: scoring.Mean, Components: []comparability.Component{first, second},
			Bridges: []comparability.Bridge{{Judge: "J1", Project: "P3", From: 0, To: 1}}},
	}, {
		// One counted score of J2 on P3 joins the juries: one component
		// of 9 scores.
		name: "one shared project connects",
		ds:   dataset(t, "zscore", "", four, append([]string{"J2:P3:10"}, twoJuries...)...),
		want: &comparability.Report{Method: scoring.ZScore, Components: []comparability.Component{{
			Judges: []string{"J2", "J1", "J3", "J4"}, Projects: four, Scores: 9,
			// J2 has 3 scores (P3, P1, P2), the others 2.
			Few: []comparability.Few{{Judge: "J2", Criterion: "social", Scores: 3}, {Judge: "J1", Criterion: "social", Scores: 2},
				{Judge: "J3", Criterion: "social", Scores: 2}, {Judge: "J4", Criterion: "social", Scores: 2}},
		}}},
	}, {
		// Three juries, the second's only judge J3 on P3: a chain of two
		// bridges, J1 → P3 then J3 → P4. P5 has no counted score: no node.
		name: "three juries, a chain",
		ds:   dataset(t, "zscore", "", []string{"P1", "P5", "P3", "P4"}, "J1:P1:10", "J3:P3:12", "J4:P4:7"),
		want: &comparability.Report{Method: scoring.ZScore, Components: []comparability.Component{
			{Judges: []string{"J1"}, Projects: []string{"P1"}, Scores: 1, Few: []comparability.Few{{Judge: "J1", Criterion: "social", Scores: 1}}},
			{Judges: []string{"J3"}, Projects: []string{"P3"}, Scores: 1, Few: []comparability.Few{{Judge: "J3", Criterion: "social", Scores: 1}}},
			{Judges: []string{"J4"}, Projects: []string{"P4"}, Scores: 1, Few: []comparability.Few{{Judge: "J4", Criterion: "social", Scores: 1}}},
		}, Bridges: []comparability.Bridge{{Judge: "J1", Project: "P3", From: 0, To: 1}, {Judge: "J3", Project: "P4", From: 1, To: 2}}},
	}, {
		// J1 may score nothing of the second jury, but J3 may score P1:
		// the bridge goes the other way.
		name: "the bridge the other way",
		ds:   dataset(t, "zscore", `[{"id": "J1", "conflicts": ["P3"]}, {"id": "J3"}]`, []string{"P1", "P3"}, "J1:P1:10", "J3:P3:12"),
		want: &comparability.Report{Method: scoring.ZScore, Components: []comparability.Component{
			{Judges: []string{"J1"}, Projects: []string{"P1"}, Scores: 1, Few: []comparability.Few{{Judge: "J1", Criterion: "social", Scores: 1}}},
			{Judges: []string{"J3"}, Projects: []string{"P3"}, Scores: 1, Few: []comparability.Few{{Judge: "J3", Criterion: "social", Scores: 1}}},
		}, Bridges: []comparability.Bridge{{Judge: "J3", Project: "P1", From: 1, To: 0}}},
	}, {
		// Neither may score the other's project: no bridge.
		name: "unbridged",
		ds: dataset(t, "zscore", `[{"id": "J1", "conflicts": ["P3"]}, {"id": "J3", "conflicts": ["P1"]}]`, []string{"P1", "P3"},
			"J1:P1:10", "J3:P3:12"),
		want: &comparability.Report{Method: scoring.ZScore, Components: []comparability.Component{
			{Judges: []string{"J1"}, Projects: []string{"P1"}, Scores: 1, Few: []comparability.Few{{Judge: "J1", Criterion: "social", Scores: 1}}},
			{Judges: []string{"J3"}, Projects: []string{"P3"}, Scores: 1, Few: []comparability.Few{{Judge: "J3", Criterion: "social", Scores: 1}}},
		}, Unbridged: []int{1}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := comparability.Analyze(context.Background(), tt.ds)
			require.NoError(t, err)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Analyze (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFew: five scores on every criterion are enough; four are not.
func TestFew(t *testing.T) {
	var scores []string
	ps := []string{"P1", "P2", "P3", "P4", "P5"}
	for _, p := range ps {
		scores = append(scores, "J1:"+p+":10", "J2:"+p+":12")
	}
	rep, err := comparability.Analyze(context.Background(), dataset(t, "zscore", "", ps, scores...))
	require.NoError(t, err)
	require.False(t, rep.TooSmall())
	require.True(t, rep.Connected())
	require.NoError(t, rep.Check())
	rep, err = comparability.Analyze(context.Background(), dataset(t, "zscore", "", ps, scores[1:]...))
	require.NoError(t, err)
	require.True(t, rep.TooSmall())
	require.Equal(t, []comparability.Few{{Judge: "J1", Criterion: "social", Scores: 4}}, rep.Components[0].Few)
}

// TestCheck: the refusal, word for word, only under zscore.
func TestCheck(t *testing.T) {
	rep, err := comparability.Analyze(context.Background(), dataset(t, "zscore", "", four, twoJuries...))
	require.NoError(t, err)
	want := afkar.Problems{{
		Path: "rubric.aggregation.method",
		Message: "zscore across 2 juries that share no project (J1, J2 (P1, P2) | J3, J4 (P3, P4)): per-judge normalisation " +
			"cannot tell a lenient jury from a strong one; 1 bridge assignment would connect them: J1 → P3",
		Code:   scoring.CodeZScoreDisconnected,
		Params: scoring.Params{"count": "2", "juries": "J1, J2 (P1, P2) | J3, J4 (P3, P4)", "needed": "1", "bridges": "J1 → P3"},
	}}
	if diff := cmp.Diff(error(want), rep.Check()); diff != "" {
		t.Errorf("Check (-want +got):\n%s", diff)
	}

	rep, err = comparability.Analyze(context.Background(), dataset(t, "zscore", "", []string{"P1", "P5", "P3", "P4"}, "J1:P1:10", "J3:P3:12", "J4:P4:7"))
	require.NoError(t, err)
	require.EqualError(t, rep.Check(), "rubric.aggregation.method: zscore across 3 juries that share no project (J1 (P1) | J3 (P3) | J4 (P4)): "+
		"per-judge normalisation cannot tell a lenient jury from a strong one; 2 bridge assignments would connect them: J1 → P3, J3 → P4")

	rep, err = comparability.Analyze(context.Background(), dataset(t, "zscore", `[{"id": "J1", "conflicts": ["P3"]}, {"id": "J3", "conflicts": ["P1"]}]`,
		[]string{"P1", "P3"}, "J1:P1:10", "J3:P3:12"))
	require.NoError(t, err)
	require.EqualError(t, rep.Check(), "rubric.aggregation.method: zscore across 2 juries that share no project (J1 (P1) | J3 (P3)): "+
		"per-judge normalisation cannot tell a lenient jury from a strong one; no bridge assignment can connect them all (proposed: none)")

	rep, err = comparability.Analyze(context.Background(), dataset(t, "mean", "", four, twoJuries...))
	require.NoError(t, err)
	require.NoError(t, rep.Check(), "the mean does not normalise per judge")
}

// TestConformanceZScoreConnected: the conformance datasets that aggregate
// by zscore have connected juries, so the refusal, which afkar.Evaluate
// never applies anyway, could not change their expected results.
func TestConformanceZScoreConnected(t *testing.T) {
	files, err := filepath.Glob("../../testdata/conformance/*/dataset.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	zscore := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		ds, err := afkar.Decode(data)
		if err != nil || ds.Rubric.Aggregation.Method != scoring.ZScore {
			continue
		}
		zscore++
		rep, err := comparability.Analyze(context.Background(), ds)
		require.NoError(t, err, f)
		require.NoError(t, rep.Check(), f)
	}
	require.NotZero(t, zscore)
}
