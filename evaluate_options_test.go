package afkar_test

import (
	"context"
	"runtime"
	"testing"
	"time"

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
// lines, and a ProjectResult is the caller's to change, its reasons
// included.
func TestResultOutlivesDataset(t *testing.T) {
	ds := synth.Dataset(synth.Config{Projects: 200, Seed: 9})
	ds.Ranking.GroupBy = "region"
	for i := range ds.Projects {
		ds.Projects[i].Title = "Idea " + ds.Projects[i].ID
	}
	ds.Rubric.MinJudges = 5 // some projects fall short: ineligible, with reasons
	res, err := afkar.Evaluate(context.Background(), ds)
	require.NoError(t, err)
	require.Less(t, res.NumRanked(), res.Len(), "an ineligible project")
	before, err := res.MarshalJSON()
	require.NoError(t, err)
	first, last := res.Project(0), res.Project(res.Len()-1)
	require.NotEmpty(t, last.Reasons)

	for i := range ds.Projects {
		ds.Projects[i].ID, ds.Projects[i].Title, ds.Projects[i].Region = "X", "changed", "elsewhere"
	}
	for i := range ds.Judges {
		ds.Judges[i].ID, ds.Judges[i].Cooperative = "JX", "changed"
		for k := range ds.Judges[i].Conflicts {
			ds.Judges[i].Conflicts[k] = "changed"
		}
	}
	ds.Rubric.Criteria[0].ID = "changed"
	sc := ds.Scores.At(0)
	sc.Value = sc.Value.Add(sc.Value)
	ds.Scores.Set(0, sc)
	ds.Scores.Append(sc)
	p := res.Project(0)
	p.Criteria[0] = p.Criteria[1]
	*p.Group = "changed"
	q := res.Project(res.Len() - 1)
	q.Reasons[0] = "changed"

	after, err := res.MarshalJSON()
	require.NoError(t, err)
	require.Equal(t, string(before), string(after))
	require.Equal(t, first, res.Project(0))
	require.Equal(t, last, res.Project(res.Len()-1))
	require.Equal(t, "Idea "+first.ID, first.Title)
}

// TestResultKeepsNoDataset: a Result does not keep its dataset alive (it
// keeps the scores' snapshot, and copies of the rest it shows).
func TestResultKeepsNoDataset(t *testing.T) {
	freed := make(chan struct{})
	res := func() *afkar.Result {
		ds := synth.Dataset(synth.Config{Projects: 100, Seed: 3})
		runtime.SetFinalizer(ds, func(*afkar.Dataset) { close(freed) })
		res, err := afkar.Evaluate(context.Background(), ds)
		require.NoError(t, err)
		return res
	}()
	for range 50 {
		runtime.GC()
		select {
		case <-freed:
			require.Equal(t, 100, res.Len())
			return
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatal("the dataset is still reachable from its Result")
}
