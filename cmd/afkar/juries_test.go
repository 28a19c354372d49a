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

One-juror swing: not computed: the aggregation is zscore: only the mean is covered.
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

// swing.json is analysis/swing's hand-solved case: each juror flips the
// boundary by 3 points.
func TestAnalyzeSwing(t *testing.T) {
	r := afkarCmd(t, "", "analyze", "testdata/swing.json")
	require.Equal(t, 0, r.code, r.stderr)
	_, tail, ok := strings.Cut(r.stdout, "\nOne-juror swing")
	require.True(t, ok, r.stdout)
	want := `: the least total change of one juror's scores of the last selected and the first not selected
(in score points, within each scale and step) that puts the first not selected above the last selected.

P1 (last selected) vs P2 (first not selected)
judge  swing  change
J1     3      P1 social 12 → 9
J2     3      P1 social 14 → 11
`
	if diff := cmp.Diff(want, tail); diff != "" {
		t.Errorf("swing table (-want +got):\n%s", diff)
	}

	r = afkarCmd(t, "", "analyze", "--format", "json", "testdata/swing.json")
	require.Equal(t, 0, r.code, r.stderr)
	var doc struct {
		Swing json.RawMessage `json:"swing"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &doc))
	var got, wantJSON any
	require.NoError(t, json.Unmarshal(doc.Swing, &got))
	require.NoError(t, json.Unmarshal([]byte(`{"covered": true, "reason": null, "boundaries": [
	  {"group": null, "last_selected": "P1", "first_not_selected": "P2", "swings": [
	    {"judge": "J1", "flips": true, "undecided": false, "size": "3", "changes": [{"project": "P1", "criterion": "social", "from": "12", "to": "9"}]},
	    {"judge": "J2", "flips": true, "undecided": false, "size": "3", "changes": [{"project": "P1", "criterion": "social", "from": "14", "to": "11"}]}]}]}`), &wantJSON))
	if diff := cmp.Diff(wantJSON, got); diff != "" {
		t.Errorf("swing JSON (-want +got):\n%s", diff)
	}

	// Not covered: the reason.
	r = afkarCmd(t, "", "analyze", "testdata/two-juries.json")
	require.Equal(t, 0, r.code, r.stderr)
	require.True(t, strings.HasSuffix(r.stdout, "\nOne-juror swing: not computed: the aggregation is zscore: only the mean is covered.\n"), r.stdout)
}

// withdrawal.json is analysis/withdrawal's hand-solved zscore case.
func TestAnalyzeWithdrawal(t *testing.T) {
	r := afkarCmd(t, "", "analyze", "--withdrawal", "testdata/withdrawal.json")
	require.Equal(t, 0, r.code, r.stderr)
	_, tail, ok := strings.Cut(r.stdout, "\nWithdrawals:")
	require.True(t, ok, r.stdout)
	want := ` each project withdrawn in turn, the others ranked again; places among the remaining, in each group.
withdrawn  selection         moves
P1         unchanged         none
P2         changes: +P4 −P1  P1 2 → 3, P4 3 → 2
P3         unchanged         none
P4         unchanged         P2 1 → 2, P3 2 → 1
`
	if diff := cmp.Diff(want, tail); diff != "" {
		t.Errorf("withdrawal table (-want +got):\n%s", diff)
	}

	r = afkarCmd(t, "", "analyze", "--withdrawal", "--format", "json", "testdata/withdrawal.json")
	require.Equal(t, 0, r.code, r.stderr)
	var doc struct {
		Withdrawals json.RawMessage `json:"withdrawals"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &doc))
	var got, wantJSON any
	require.NoError(t, json.Unmarshal(doc.Withdrawals, &got))
	require.NoError(t, json.Unmarshal([]byte(`[
	  {"project": "P1", "selection_changes": false, "selected": [], "unselected": [], "moves": []},
	  {"project": "P2", "selection_changes": true, "selected": ["P4"], "unselected": ["P1"],
	   "moves": [{"project": "P1", "from": 2, "to": 3}, {"project": "P4", "from": 3, "to": 2}]},
	  {"project": "P3", "selection_changes": false, "selected": [], "unselected": [], "moves": []},
	  {"project": "P4", "selection_changes": false, "selected": [], "unselected": [],
	   "moves": [{"project": "P2", "from": 1, "to": 2}, {"project": "P3", "from": 2, "to": 1}]}]`), &wantJSON))
	if diff := cmp.Diff(wantJSON, got); diff != "" {
		t.Errorf("withdrawals JSON (-want +got):\n%s", diff)
	}

	// Without --withdrawal, no key.
	r = afkarCmd(t, "", "analyze", "--format", "json", "testdata/withdrawal.json")
	require.Equal(t, 0, r.code, r.stderr)
	require.NotContains(t, r.stdout, `"withdrawals"`)
}
