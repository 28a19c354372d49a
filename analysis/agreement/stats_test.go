package agreement

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// krippendorff2011 is the reliability data of Krippendorff, "Computing
// Krippendorff's Alpha-Reliability" (2011), section C (4 observers, 12
// units, missing values), one unit a row, the missing values left out:
//
//	unit        1 2 3 4 5 6 7 8 9 10 11 12
//	observer A  1 2 3 3 2 1 4 1 2 .  .  .
//	observer B  1 2 3 3 2 2 4 1 2 5  .  3
//	observer C  . 3 3 3 2 3 4 2 2 5  1  .
//	observer D  1 2 3 3 2 4 4 1 2 5  1  .
//
// Unit 12 has a single value and is not pairable.
var krippendorff2011 = [][]float64{
	{1, 1, 1}, {2, 2, 3, 2}, {3, 3, 3, 3}, {3, 3, 3, 3}, {2, 2, 2, 2}, {1, 2, 3, 4},
	{4, 4, 4, 4}, {1, 1, 2, 1}, {2, 2, 2, 2}, {5, 5, 5}, {1, 1}, {3},
}

func TestAlphaKrippendorff2011(t *testing.T) {
	// The paper gives α = 0.849 for interval data (and 0.743 nominal,
	// 0.815 ordinal, 0.797 ratio) on this matrix.
	a, err := Alpha(krippendorff2011)
	require.NoError(t, err)
	require.InDelta(t, 0.849, a, 0.0005, "alpha = %.6f", a)
}

func TestAlphaPerfectAndUndefined(t *testing.T) {
	a, err := Alpha([][]float64{{1, 1}, {3, 3, 3}, {7, 7}})
	require.NoError(t, err)
	require.Equal(t, 1.0, a, "identical values within every unit")

	_, err = Alpha([][]float64{{1}, {2}, {}})
	require.ErrorContains(t, err, "no project has two counted values")
	_, err = Alpha([][]float64{{4, 4}, {4, 4}})
	require.ErrorContains(t, err, "no variation")
}

// shroutFleiss1979 is the data of Shrout and Fleiss (1979), Table 2: 6
// targets rated by 4 judges.
var shroutFleiss1979 = [][]float64{
	{9, 2, 5, 8},
	{6, 1, 3, 2},
	{8, 4, 6, 8},
	{7, 1, 2, 6},
	{10, 5, 6, 9},
	{6, 2, 4, 7},
}

func TestICCShroutFleiss1979(t *testing.T) {
	// Table 4 of the paper: ICC(2,1) = .29, ICC(2,4) = .62. The mean
	// squares of Table 3 are BMS = 11.24, JMS = 32.49, EMS = 1.02, so
	// ICC(2,1) = (11.24 − 1.02)/(11.24 + 3·1.02 + 4·(32.49 − 1.02)/6)
	//          = 10.22/35.28 = 0.2898 and
	// ICC(2,4) = 10.22/(11.24 + (32.49 − 1.02)/6) = 10.22/16.49 = 0.6200.
	single, average, err := ICC(shroutFleiss1979)
	require.NoError(t, err)
	require.InDelta(t, 0.29, single, 0.005, "ICC(2,1) = %.6f", single)
	require.InDelta(t, 0.62, average, 0.005, "ICC(2,4) = %.6f", average)
	require.InDelta(t, 0.2898, single, 0.0001)
	require.InDelta(t, 0.6200, average, 0.0001)
}

func TestICCErrors(t *testing.T) {
	tests := []struct {
		name    string
		ratings [][]float64
		err     string
	}{
		{"one target", [][]float64{{1, 2}}, "fewer than 2 projects"},
		{"one judge", [][]float64{{1}, {2}}, "fewer than 2 judges"},
		{"ragged", [][]float64{{1, 2}, {2}}, "incomplete design"},
		{"constant", [][]float64{{3, 3}, {3, 3}}, "no variance"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, a, err := ICC(tt.ratings)
			require.ErrorContains(t, err, tt.err)
			require.True(t, math.IsNaN(s) && math.IsNaN(a))
		})
	}
}
