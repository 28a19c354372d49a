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
