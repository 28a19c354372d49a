package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/internal/sample"
	"github.com/afkarlab/afkar/tour"
)

// TestTourBuildVerify: the sample's 12 regional stages as files, a draft
// tour sealed by build, verified, then one score altered in one stage.
func TestTourBuildVerify(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(dir, "stages"), 0o755))
	var stages []string
	for _, s := range sample.Stages() {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "stages", s.Region+".json"), s.JSON, 0o644))
		stages = append(stages, `{"id": "`+s.Region+`", "dataset": "stages/`+s.Region+`.json"}`)
	}
	draft := filepath.Join(dir, "draft.json")
	require.NoError(t, os.WriteFile(draft, []byte(`{"format": "afkar-tour/1", "stages": [`+strings.Join(stages, ",")+
		`], "advancement": {"top": 2, "wildcards": 4, "max_per_stage": 3}}`), 0o644))
	sealed, final := filepath.Join(dir, "tour.json"), filepath.Join(dir, "final.json")

	r := afkarCmd(t, "", "tour", "verify", draft)
	require.Equal(t, 2, r.code)
	require.True(t, strings.HasPrefix(r.stderr, draft+`: stages[0].dataset_digest: stage "oriental": the tour records no digest of the dataset "stages/oriental.json" (run afkar tour build)`+"\n"), r.stderr)

	r = afkarCmd(t, "", "tour", "build", "--seal", sealed, "-o", final, draft)
	require.Equal(t, 0, r.code, r.stderr)
	require.Empty(t, r.stderr)
	data, err := os.ReadFile(final)
	require.NoError(t, err)
	ds, err := afkar.DecodeOptions{Partial: true}.Decode(data)
	require.NoError(t, err)
	require.Len(t, ds.Projects, 28)

	r = afkarCmd(t, "", "tour", "verify", sealed)
	require.Equal(t, ran{0, "verified: 12 stages, 28 advanced projects\n", ""}, r)

	// One score of Fès-Meknès (the 6th stage) set to 0: the second
	// project's first score.
	name := filepath.Join(dir, "stages", "fes-meknes.json")
	data, err = os.ReadFile(name)
	require.NoError(t, err)
	ds, err = afkar.Decode(data)
	require.NoError(t, err)
	sealedData, err := os.ReadFile(sealed)
	require.NoError(t, err)
	tr, err := tour.Decode(sealedData)
	require.NoError(t, err)
	second := tr.Advanced[11].Project
	i := 0
	for ds.Scores.At(i).Project != second {
		i++
	}
	sc := ds.Scores.At(i)
	sc.Value = sc.Value.Sub(sc.Value)
	ds.Scores = ds.Scores.Clone()
	ds.Scores.Set(i, sc)
	altered, err := ds.MarshalJSON()
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(name, altered, 0o644))
	res, err := afkar.Evaluate(t.Context(), ds)
	require.NoError(t, err)

	r = afkarCmd(t, "", "tour", "verify", sealed)
	require.Equal(t, 2, r.code)
	require.Empty(t, r.stdout)
	want := sealed + `: stages[5].dataset_digest: stage "fes-meknes": the dataset "stages/fes-meknes.json" has digest ` + res.InputDigest +
		`, the tour records ` + tr.Stages[5].DatasetDigest + "\n" +
		sealed + `: stages[5].result_digest: stage "fes-meknes": the result of "stages/fes-meknes.json" has digest ` + tour.ResultDigest(res) +
		`, the tour records ` + tr.Stages[5].ResultDigest + "\n" +
		sealed + `: advanced[11]: the tour lists project "` + second + `" of stage "fes-meknes" (top), the rule advances project "` +
		res.Project(1).ID + `" of stage "fes-meknes" (top)` + "\n"
	require.Equal(t, want, r.stderr)
}

// TestTourTieNotices: the notices for cut-offs decided by id or lottery,
// word for word.
func TestTourTieNotices(t *testing.T) {
	var b strings.Builder
	(&env{stderr: &b}).ties([]tour.Tie{
		{Stage: "oriental", Cut: tour.ByTop, In: "OUJ-02", Out: "OUJ-05", DecidedBy: "lottery:2025"},
		{Cut: tour.ByWildcard, In: "FES-06", Out: "TAN-04", DecidedBy: "id"},
	})
	require.Equal(t, `afkar: notice: at the cut of the top of stage "oriental", OUJ-02 advances ahead of OUJ-05 by lottery:2025 alone
afkar: notice: at the cut of the last wildcard, FES-06 advances ahead of TAN-04 by id alone
`, b.String())
}
