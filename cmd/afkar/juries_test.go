package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// two-juries.json: J1, J2 score P1, P2; J3, J4 score P3, P4; by zscore.

const fewNotices = `afkar: notice: zscore: judge J1 has 2 counted scores on social, fewer than 5: its spread says too little for the normalisation to mean much
afkar: notice: zscore: judge J2 has 2 counted scores on social, fewer than 5: its spread says too little for the normalisation to mean much
afkar: notice: zscore: judge J3 has 2 counted scores on social, fewer than 5: its spread says too little for the normalisation to mean much
afkar: notice: zscore: judge J4 has 2 counted scores on social, fewer than 5: its spread says too little for the normalisation to mean much
`

const refusal = "zscore across 2 juries that share no project (J1, J2 (P1, P2) | J3, J4 (P3, P4)): per-judge normalisation " +
	"cannot tell a lenient jury from a strong one; 1 bridge assignment would connect them: J1 → P3"

func TestRankRefusesDisconnectedZScore(t *testing.T) {
	r := afkarCmd(t, "", "rank", "testdata/two-juries.json")
	require.Equal(t, 2, r.code)
	require.Empty(t, r.stdout)
	want := fewNotices + "rubric.aggregation.method: " + refusal + "\n" +
		"afkar: rank each jury on its own, connect them, or rank anyway with --allow-disconnected-zscore\n"
	if diff := cmp.Diff(want, r.stderr); diff != "" {
		t.Errorf("stderr (-want +got):\n%s", diff)
	}

	r = afkarCmd(t, "", "rank", "--allow-disconnected-zscore", "--format", "json", "testdata/two-juries.json")
	require.Equal(t, 0, r.code, r.stderr)
	want = fewNotices + "afkar: notice: ranked anyway (--allow-disconnected-zscore): " + refusal + "\n"
	if diff := cmp.Diff(want, r.stderr); diff != "" {
		t.Errorf("stderr (-want +got):\n%s", diff)
	}
	require.Contains(t, r.stdout, `"format": "afkar-result/1"`)

	// The same juries under the mean: nothing to refuse, no notice.
	mean := strings.Replace(readTestdata(t, "two-juries.json"), `"zscore"`, `"mean"`, 1)
	r = afkarCmd(t, mean, "rank", "-")
	require.Equal(t, 0, r.code, r.stderr)
	require.Empty(t, r.stderr)
}

func TestAnalyzeJuries(t *testing.T) {
	r := afkarCmd(t, "", "analyze", "testdata/two-juries.json")
	require.Equal(t, 0, r.code, r.stderr)
	_, tail, ok := strings.Cut(r.stdout, "\nJuries (2)")
	require.True(t, ok, r.stdout)
	want := `: judges and projects joined by counted scores; juries that share no project cannot be compared by zscore.
jury  judges  projects  scores  few scores
1     J1 J2   P1 P2     4       J1 (2 on social), J2 (2 on social)
2     J3 J4   P3 P4     4       J3 (2 on social), J4 (2 on social)
Few scores: fewer than 5 counted scores on a criterion; a judge's spread from so few says too little for zscore.
Bridges that would connect them (1): J1 → P3
Under zscore, afkar rank refuses these juries unless --allow-disconnected-zscore.
`
	if diff := cmp.Diff(want, tail); diff != "" {
		t.Errorf("juries table (-want +got):\n%s", diff)
	}

	r = afkarCmd(t, "", "analyze", "--format", "json", "testdata/two-juries.json")
	require.Equal(t, 0, r.code, r.stderr)
	var doc struct {
		Juries json.RawMessage `json:"juries"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &doc))
	var got, wantJSON any
	require.NoError(t, json.Unmarshal(doc.Juries, &got))
	require.NoError(t, json.Unmarshal([]byte(`{"connected": false, "zscore_refused": true, "min_scores": 5,
	  "components": [
	    {"judges": ["J1", "J2"], "projects": ["P1", "P2"], "scores": 4,
	     "few_scores": [{"judge": "J1", "criterion": "social", "scores": 2}, {"judge": "J2", "criterion": "social", "scores": 2}]},
	    {"judges": ["J3", "J4"], "projects": ["P3", "P4"], "scores": 4,
	     "few_scores": [{"judge": "J3", "criterion": "social", "scores": 2}, {"judge": "J4", "criterion": "social", "scores": 2}]}],
	  "bridges": [{"judge": "J1", "project": "P3", "from": 0, "to": 1}], "unbridged": []}`), &wantJSON))
	if diff := cmp.Diff(wantJSON, got); diff != "" {
		t.Errorf("juries JSON (-want +got):\n%s", diff)
	}
}

// readTestdata returns the file testdata/name.
func readTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return string(b)
}
