package afkar_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/afkarlab/afkar"
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
	require.EqualError(t, err, "scores[0].score: \"x\" is not a decimal: expected a digit before the point\nextra: unknown key \"extra\" (expected one of judge, project, scores)")
}
