package afkar_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/exact"
	"github.com/afkarlab/afkar/internal/sample"
	"github.com/stretchr/testify/require"
)

// TestEncodeRoundTrip: a decoded dataset, encoded and decoded again, has
// the same digest, for every valid conformance case and the sample.
func TestEncodeRoundTrip(t *testing.T) {
	dirs, err := filepath.Glob("testdata/conformance/[0-9]*")
	require.NoError(t, err)
	inputs := map[string][]byte{"sample": sample.JSON()}
	for _, dir := range dirs {
		data, err := os.ReadFile(filepath.Join(dir, "dataset.json"))
		require.NoError(t, err)
		inputs[filepath.Base(dir)] = data
	}
	for name, data := range inputs {
		ds, err := afkar.Decode(data)
		require.NoError(t, err, name)
		out, err := ds.MarshalJSON()
		require.NoError(t, err, name)
		back, err := afkar.Decode(out)
		require.NoError(t, err, "%s: re-decoding\n%s", name, out)
		require.Equal(t, ds.Digest(), back.Digest(), name)
	}
}

func TestSheetMerge(t *testing.T) {
	ds, err := afkar.DecodeOptions{Partial: true}.Decode([]byte(`{"rubric": {"criteria": [{"id": "c", "weight": "1"}]}}`))
	require.NoError(t, err)
	a, err := afkar.DecodeSheet([]byte(`{"judge": "J1", "scores": [{"judge": "J1", "project": "P1", "criterion": "c", "score": "10"},
		{"judge": "J1", "project": "P2", "criterion": "c", "score": 12}]}`))
	require.NoError(t, err)
	b, err := afkar.DecodeSheet([]byte(`{"scores": [{"judge": "J1", "project": "P1", "criterion": "c", "score": "11"}]}`))
	require.NoError(t, err)
	ds.Merge(a, b)
	require.NoError(t, ds.Validate())
	require.Equal(t, 2, ds.Scores.Len(), "the later sheet replaces J1's score of P1")
	require.Equal(t, "11", ds.Scores.At(0).Value.String())
	require.Equal(t, "P2", ds.Projects[1].ID)

	_, err = afkar.DecodeSheet([]byte(`{"scores": [{"judge": "J1", "project": "P1", "criterion": "c", "score": "x"}], "extra": 1}`))
	require.EqualError(t, err, "scores[0].score: \"x\" is not a decimal: expected a digit before the point\nextra: unknown key \"extra\" (expected one of judge, project, dataset, seq, time, signed_off, scores)")
}

// TestFormatRoundsAsTheRubric: Format rounds an exact value with the
// rubric's mode, and leaves a published one as it is.
func TestFormatRoundsAsTheRubric(t *testing.T) {
	ds, err := afkar.Decode([]byte(`{"format": "afkar/1",
		"rubric": {"criteria": [{"id": "c", "weight": "1"}], "rounding": {"places": 2, "mode": "half_even"}},
		"projects": [{"id": "P"}],
		"scores": [{"judge": "J", "project": "P", "criterion": "c", "score": "4.69"}]}`))
	require.NoError(t, err)
	res, err := afkar.Evaluate(context.Background(), ds)
	require.NoError(t, err)
	p := res.Project(0)
	require.Equal(t, "23.45", res.Format(p.Total))                                                // 100·4.69/20 = 23.45 exactly
	require.Equal(t, "2.34", res.Format(exact.NullNum{Num: exact.Frac(2345, 1000), Valid: true})) // half even
	require.Equal(t, "4.69", res.Format(p.Criteria[0].Value))
	require.Equal(t, "", res.Format(exact.NullNum{}))
}
