package correlation

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/afkarlab/afkar/ranking"
	"github.com/afkarlab/afkar/scoring"
	"github.com/stretchr/testify/require"
)

// The reference values come from scipy 1.10.1 (Debian's python3-scipy),
// scipy.stats.kendalltau (tau-b) and scipy.stats.spearmanr (average ranks),
// computed by this script:
//
//	import scipy, scipy.stats as st
//	cases = {
//	    "no ties": ([1, 2, 3, 4, 5, 6, 7, 8], [2, 1, 4, 3, 6, 5, 8, 7]),
//	    "reversed": ([1, 2, 3, 4, 5], [5, 4, 3, 2, 1]),
//	    "ties both": ([1, 2, 2, 4, 5, 6, 6, 8, 9, 10], [1, 3, 2, 2, 6, 5, 7, 7, 10, 9]),
//	    "fractional": ([1, 2.5, 2.5, 4, 5, 6], [2, 1, 3.5, 3.5, 6, 5]),
//	    "with moves": ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [3, 1, 2, 4, 12, 6, 7, 5, 9, 10, 11, 8]),
//	}
//	for name, (x, y) in cases.items():
//	    print(f"{name!r}: tau_b={st.kendalltau(x, y).statistic!r} rho={st.spearmanr(x, y).statistic!r}")
//
// which printed:
//
//	'no ties': tau_b=0.7142857142857142 rho=0.9047619047619048
//	'reversed': tau_b=-0.9999999999999999 rho=-0.9999999999999999
//	'ties both': tau_b=0.8139534883720931 rho=0.932515337423313
//	'fractional': tau_b=0.6428571428571429 rho=0.8088235294117647
//	'with moves': tau_b=0.5757575757575757 rho=0.7202797202797203
var scipyCases = []struct {
	name      string
	x, y      []float64
	tauB, rho float64
}{
	{"no ties", []float64{1, 2, 3, 4, 5, 6, 7, 8}, []float64{2, 1, 4, 3, 6, 5, 8, 7}, 0.7142857142857142, 0.9047619047619048},
	{"reversed", []float64{1, 2, 3, 4, 5}, []float64{5, 4, 3, 2, 1}, -0.9999999999999999, -0.9999999999999999},
	{"ties both", []float64{1, 2, 2, 4, 5, 6, 6, 8, 9, 10}, []float64{1, 3, 2, 2, 6, 5, 7, 7, 10, 9}, 0.8139534883720931, 0.932515337423313},
	{"fractional", []float64{1, 2.5, 2.5, 4, 5, 6}, []float64{2, 1, 3.5, 3.5, 6, 5}, 0.6428571428571429, 0.8088235294117647},
	{"with moves", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, []float64{3, 1, 2, 4, 12, 6, 7, 5, 9, 10, 11, 8}, 0.5757575757575757, 0.7202797202797203},
}

func TestAgainstScipy(t *testing.T) {
	for _, tt := range scipyCases {
		t.Run(tt.name, func(t *testing.T) {
			require.InDelta(t, tt.tauB, KendallTauB(tt.x, tt.y), 1e-12)
			require.InDelta(t, tt.rho, Spearman(tt.x, tt.y), 1e-12)
		})
	}
}

// bruteTauB counts concordant, discordant and tied pairs one by one.
func bruteTauB(x, y []float64) float64 {
	var nc, nd, tx, ty, n0 float64
	for i := range x {
		for j := i + 1; j < len(x); j++ {
			n0++
			dx, dy := x[i]-x[j], y[i]-y[j]
			switch {
			case dx == 0 && dy == 0:
				tx++
				ty++
			case dx == 0:
				tx++
			case dy == 0:
				ty++
			case (dx > 0) == (dy > 0):
				nc++
			default:
				nd++
			}
		}
	}
	return (nc - nd) / math.Sqrt((n0-tx)*(n0-ty))
}

// Knight's O(n log n) count agrees with counting pairs, with many ties.
func TestKendallTauBIsPairCount(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 5))
	for range 200 {
		n := 2 + rng.IntN(60)
		x, y := make([]float64, n), make([]float64, n)
		for i := range x {
			x[i] = float64(rng.IntN(n/2 + 1))
			y[i] = float64(rng.IntN(n/2+1)) / 2
		}
		want := bruteTauB(x, y)
		got := KendallTauB(x, y)
		if math.IsNaN(want) {
			require.True(t, math.IsNaN(got))
			continue
		}
		require.InDelta(t, want, got, 1e-12, "x=%v y=%v", x, y)
	}
}

func TestUndefined(t *testing.T) {
	for _, xy := range [][2][]float64{{{1}, {1}}, {{1, 1, 1}, {1, 2, 3}}, {{}, {}}} {
		require.True(t, math.IsNaN(KendallTauB(xy[0], xy[1])))
		require.True(t, math.IsNaN(Spearman(xy[0], xy[1])))
	}
	require.Panics(t, func() { KendallTauB([]float64{1}, nil) })
}

func TestCompare(t *testing.T) {
	a := []Ranked{{"A", ranking.Whole(1)}, {"B", ranking.Whole(2)}, {"C", ranking.Whole(3)}, {"D", ranking.Whole(4)}, {"X", ranking.Whole(5)}}
	b := []Ranked{{"D", ranking.Whole(1)}, {"A", ranking.Mid(2, 3)}, {"B", ranking.Mid(2, 3)}, {"C", ranking.Whole(4)}, {"Y", ranking.Whole(5)}}
	c := Compare(a, b)
	require.Equal(t, 4, c.N)
	require.Equal(t, []string{"X"}, c.OnlyA)
	require.Equal(t, []string{"Y"}, c.OnlyB)
	require.Equal(t, []Move{
		{"D", ranking.Whole(4), ranking.Whole(1)},   // −3
		{"A", ranking.Whole(1), ranking.Mid(2, 3)},  // +1.5
		{"C", ranking.Whole(3), ranking.Whole(4)},   // +1
		{"B", ranking.Whole(2), ranking.Mid(2, 3)}}, // +0.5
		c.Moves)
	require.Equal(t, -3.0, c.Moves[0].By())
	// On the 4 common projects: x = 1 2 3 4, y = 2.5 2.5 4 1.
	require.InDelta(t, KendallTauB([]float64{1, 2, 3, 4}, []float64{2.5, 2.5, 4, 1}), c.TauB, 0)
	require.InDelta(t, Spearman([]float64{1, 2, 3, 4}, []float64{2.5, 2.5, 4, 1}), c.Rho, 0)
}

func TestReadRanks(t *testing.T) {
	good := `{"format": "afkar-result/1", "input_digest": "sha256:x", "projects": [
	  {"id": "P1", "eligible": true, "rank": 1, "extra": "ignored"},
	  {"id": "P2", "eligible": true, "rank": 2.5},
	  {"id": "P3", "eligible": false, "rank": null}]}`
	got, err := ReadRanks([]byte(good))
	require.NoError(t, err)
	require.Equal(t, []Ranked{{"P1", ranking.Whole(1)}, {"P2", ranking.Mid(2, 3)}}, got)

	tests := []struct {
		name, doc string
		problems  []string
	}{
		{"not json", `{"format": `, []string{"$: expected a JSON object in the afkar-result/1 format: unexpected end of JSON input"}},
		{"a dataset", `{"format": "afkar/1", "rubric": {}}`, []string{`format: expected "afkar-result/1", found "afkar/1"`, "projects: missing (expected a list of projects)"}},
		{"bad projects", `{"format": "afkar-result/1", "projects": [{"id": ""}, {"id": "P1", "rank": "1"}, {"id": "P2", "eligible": true, "rank": null}, {"id": "P3", "rank": 0}, {"id": "P2", "rank": 2}, 7]}`, []string{
			`projects[0].id: expected a project id (a non-empty string), found ""`,
			`projects[1].rank: expected a rank (a positive number such as 3 or 2.5) or null, found "1"`,
			`projects[2].rank: an eligible project needs a rank, found null`,
			`projects[3].rank: expected a rank (a positive number such as 3 or 2.5) or null, found 0`,
			`projects[4].id: duplicate project id "P2" (first at projects[2])`,
			`projects[5]: expected a project object, found 7`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadRanks([]byte(tt.doc))
			var ps scoring.Problems
			require.ErrorAs(t, err, &ps)
			var lines []string
			for _, p := range ps {
				lines = append(lines, p.Error())
			}
			require.Equal(t, tt.problems, lines)
		})
	}
}
