package scoring

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestContributionAndCheckScore(t *testing.T) {
	r := &Rubric{
		Criteria: []Criterion{{ID: "a", Weight: d("3")}, {ID: "b", Weight: d("1"), Min: d("1"), Max: d("5"), Step: d("1")}},
		Weights:  RelativeWeights,
	}
	// a: 100 · 3/4 · 15/20 = 56.25; b: 100 · 1/4 · (4−1)/(5−1) = 18.75.
	require.Equal(t, "56.25", r.Round(r.Contribution(0, d("15"))).StringFixed(2))
	require.Equal(t, "18.75", r.Round(r.Contribution(1, d("4"))).StringFixed(2))
	require.NoError(t, r.CheckScore(1, d("3")))
	require.EqualError(t, r.CheckScore(1, d("3.5")), `3.5 is not min 1 plus a whole multiple of step 1 of criterion "b"`)
	require.EqualError(t, r.CheckScore(0, d("20.5")), `20.5 is above the maximum 20 of criterion "a"`)
}
