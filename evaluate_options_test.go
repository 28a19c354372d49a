package afkar_test

import (
	"context"
	"testing"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/internal/synth"
	"github.com/stretchr/testify/require"
)

// TestEvaluateNoDigest: without the digest, the result is Evaluate's, its
// JSON the same but for input_digest.
func TestEvaluateNoDigest(t *testing.T) {
	ds := synth.Dataset(synth.Config{Projects: 300, Seed: 4})
	full, err := afkar.Evaluate(context.Background(), ds)
	require.NoError(t, err)
	bare, err := afkar.EvaluateOptions{NoDigest: true}.Evaluate(context.Background(), ds)
	require.NoError(t, err)
	require.Empty(t, bare.InputDigest)
	require.Equal(t, ds.Digest(), full.InputDigest)
	bare.InputDigest = full.InputDigest
	a, err := full.MarshalJSON()
	require.NoError(t, err)
	b, err := bare.MarshalJSON()
	require.NoError(t, err)
	require.Equal(t, string(a), string(b))
}

// TestResultOutlivesDataset: a Result keeps what it shows; changing the
// dataset's projects, judges and scores afterwards changes none of its
// lines, and a ProjectResult is the caller's to change.
func TestResultOutlivesDataset(t *testing.T) {
	ds := synth.Dataset(synth.Config{Projects: 200, Seed: 9})
	ds.Ranking.GroupBy = "region"
	for i := range ds.Projects {
		ds.Projects[i].Title = "Idea " + ds.Projects[i].ID
	}
	res, err := afkar.Evaluate(context.Background(), ds)
	require.NoError(t, err)
	before, err := res.MarshalJSON()
	require.NoError(t, err)
	first := res.Project(0)

	for i := range ds.Projects {
		ds.Projects[i].ID, ds.Projects[i].Title, ds.Projects[i].Region = "X", "changed", "elsewhere"
	}
	sc := ds.Scores.At(0)
	sc.Value = sc.Value.Add(sc.Value)
	ds.Scores.Set(0, sc)
	ds.Scores.Append(sc)
	p := res.Project(0)
	p.Criteria[0] = p.Criteria[1]
	*p.Group = "changed"

	after, err := res.MarshalJSON()
	require.NoError(t, err)
	require.Equal(t, string(before), string(after))
	require.Equal(t, first, res.Project(0))
	require.Equal(t, "Idea "+first.ID, first.Title)
}
