package sensitivity

import (
	"context"
	"fmt"
	"math/big"
	"os"
	"testing"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/internal/synth"
	"github.com/afkarlab/afkar/ranking"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// scoresOf writes one judge's scores of projects on criteria a and b.
func scoresOf(projects ...[3]string) string {
	s := ""
	for i, p := range projects {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf(`{"judge": "J1", "project": %q, "criterion": "a", "score": %q}, {"judge": "J1", "project": %q, "criterion": "b", "score": %q}`, p[0], p[1], p[0], p[2])
	}
	return s
}

type interval struct {
	Criterion, Weight, Lo, Hi, Margin string
	LoPair, HiPair                    Pair
}

func intervals(st *Stability) []interval {
	var out []interval
	for _, iv := range st.Intervals {
		margin := "-" // no crossing either way
		if iv.Margin != nil {
			margin = iv.Margin.RatString()
		}
		out = append(out, interval{iv.Criterion, iv.Weight.RatString(), iv.Lo.Value.RatString(), iv.Hi.Value.RatString(), margin, iv.Lo.Pair, iv.Hi.Pair})
	}
	return out
}

func TestStabilityHandSolved(t *testing.T) {
	// Two criteria on 0–10 with total_max 10, so that N(P,c) is the score
	// itself; one judge, so that the aggregate is the score.
	const rubric = `"rubric": {"criteria": [{"id": "a", "weight": %q}, {"id": "b", "weight": %q}], "scale": {"min": "0", "max": "10"}, "total_max": "10"%s}`
	tests := []struct {
		name    string
		dataset string
		want    []interval
		waived  []Pair
		// critical is the index of the most critical interval, −1 for none.
		critical int
	}{
		{
			// w(a) = w(b) = 1/2, top 1. When a's weight is t and b's 1 − t:
			//   P1 (8, 4): 8t + 4(1 − t) = 4 + 4t
			//   P2 (4, 7): 4t + 7(1 − t) = 7 − 3t
			//   P3 (2, 2): 2
			// P1 ≥ P2 ⇔ 7t ≥ 3 ⇔ t ≥ 3/7; P1 ≥ P3 always. So a ∈ [3/7, 1],
			// margin min(1/2 − 3/7, 1/2)/(1/2) = (1/14)/(1/2) = 1/7.
			// When b's weight is t: P1 = 8 − 4t, P2 = 4 + 3t, P1 ≥ P2 ⇔
			// t ≤ 4/7: b ∈ [0, 4/7], margin (4/7 − 1/2)/(1/2) = 1/7. Equal
			// margins: the first, a, is the most critical.
			name: "winner",
			dataset: `{` + fmt.Sprintf(rubric, "0.5", "0.5", "") + `, "ranking": {"tie_on": "exact", "top": 1},
			  "projects": [{"id": "P1"}, {"id": "P2"}, {"id": "P3"}],
			  "scores": [` + scoresOf([3]string{"P1", "8", "4"}, [3]string{"P2", "4", "7"}, [3]string{"P3", "2", "2"}) + `]}`,
			want: []interval{
				{"a", "1/2", "3/7", "1", "1/7", Pair{"P1", "P2"}, Pair{}},
				{"b", "1/2", "0", "4/7", "1/7", Pair{}, Pair{"P1", "P2"}},
			},
		},
		{
			// w(a) = 3/4, w(b) = 1/4 (relative 3:1), groups, top 1.
			// Group g1: P1 (8, 4) total 7, P2 (4, 8) total 5.
			// Group g2: Q1 (6, 6) total 6, Q2 (5, 8) total 5.75.
			// a's weight t: P1 = 4 + 4t ≥ P2 = 8 − 4t ⇔ t ≥ 1/2;
			//               Q1 = 6 ≥ Q2 = 8 − 3t ⇔ t ≥ 2/3.
			// So a ∈ [2/3, 1], set by (Q1, Q2); margin (3/4 − 2/3)/(3/4) = 1/9.
			// b's weight t: P1 = 8 − 4t ≥ P2 = 4 + 4t ⇔ t ≤ 1/2;
			//               Q1 = 6 ≥ Q2 = 5 + 3t ⇔ t ≤ 1/3.
			// So b ∈ [0, 1/3], set by (Q1, Q2); margin (1/3 − 1/4)/(1/4) = 1/3.
			name: "groups",
			dataset: `{` + fmt.Sprintf(rubric, "3", "1", `, "weights": "relative"`) + `, "ranking": {"tie_on": "exact", "group_by": "sector", "top": 1},
			  "projects": [{"id": "P1", "sector": "g1"}, {"id": "P2", "sector": "g1"}, {"id": "Q1", "sector": "g2"}, {"id": "Q2", "sector": "g2"}],
			  "scores": [` + scoresOf([3]string{"P1", "8", "4"}, [3]string{"P2", "4", "8"}, [3]string{"Q1", "6", "6"}, [3]string{"Q2", "5", "8"}) + `]}`,
			want: []interval{
				{"a", "3/4", "2/3", "1", "1/9", Pair{"Q1", "Q2"}, Pair{}},
				{"b", "1/4", "0", "1/3", "1/3", Pair{}, Pair{"Q1", "Q2"}},
			},
		},
		{
			// Published totals with 0 places: P1 (8.4, 4) is 6.2 → 6 and
			// P2 (4, 8.8) is 6.4 → 6: tied, and the id rule puts P1 first,
			// selected, though its exact total is lower. The pair is waived.
			// P1 against P3 (2, 2): 4 + 4.4t ≥ 2 and 8.4 − 4.4t ≥ 2 for every
			// t in [0, 1]: both intervals are [0, 1], with no pair at either
			// end: no margin, and no criterion is critical.
			name: "waived",
			dataset: `{` + fmt.Sprintf(rubric, "0.5", "0.5", `, "rounding": {"places": 0, "mode": "half_up"}`) + `, "ranking": {"tie_break": ["id"], "top": 1},
			  "projects": [{"id": "P1"}, {"id": "P2"}, {"id": "P3"}],
			  "scores": [` + scoresOf([3]string{"P1", "8.4", "4"}, [3]string{"P2", "4", "8.8"}, [3]string{"P3", "2", "2"}) + `]}`,
			want: []interval{
				{"a", "1/2", "0", "1", "-", Pair{}, Pair{}},
				{"b", "1/2", "0", "1", "-", Pair{}, Pair{}},
			},
			waived:   []Pair{{"P1", "P2"}},
			critical: -1,
		},
		{
			// A bound at 0 or 1 with no pair is no crossing. w(a) = 1/5,
			// w(b) = 4/5 (relative 1:4), top 1: P1 (2, 8) total 6.8, Q (6, 2)
			// 2.8, R (1, 1) 1.
			// a's weight t: P1 = 8 − 6t, Q = 2 + 4t, R = 1: Q passes P1
			// past t = 3/5 and nothing passes as t falls to 0. So a ∈
			// [0, 3/5], the pair at hi alone: margin (3/5 − 1/5)/(1/5) = 2,
			// not min(1/5, 2/5)/(1/5) = 1 as it would be if 0 counted.
			// b's weight is 1 − a's: b ∈ [2/5, 1], the pair at lo: margin
			// (4/5 − 2/5)/(4/5) = 1/2 (not 1/4, the way to 1). b is the
			// most critical.
			name: "one side",
			dataset: `{` + fmt.Sprintf(rubric, "1", "4", `, "weights": "relative"`) + `, "ranking": {"tie_on": "exact", "top": 1},
			  "projects": [{"id": "P1"}, {"id": "Q"}, {"id": "R"}],
			  "scores": [` + scoresOf([3]string{"P1", "2", "8"}, [3]string{"Q", "6", "2"}, [3]string{"R", "1", "1"}) + `]}`,
			want: []interval{
				{"a", "1/5", "0", "3/5", "2", Pair{}, Pair{"P1", "Q"}},
				{"b", "4/5", "2/5", "1", "1/2", Pair{"P1", "Q"}, Pair{}},
			},
			critical: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := New(context.Background(), decode(t, tt.dataset))
			require.NoError(t, err)
			st, err := m.Stability(context.Background())
			require.NoError(t, err)
			require.Equal(t, tt.want, intervals(st))
			require.Equal(t, tt.critical, st.MostCritical)
			require.Equal(t, tt.waived, st.Waived)
		})
	}
}

// bruteBounds computes the interval of criterion c pair by pair: each
// pair's difference D(t) = D(w) + (t − w)·s bounds t from below when s > 0
// and from above when s < 0.
func bruteBounds(m *Model, c int) (lo, hi *big.Rat) {
	w := m.weights[c]
	lo, hi = new(big.Rat), big.NewRat(1, 1)
	l := m.lines(c)
	for _, g := range m.protectedSets() {
		for _, p := range g.protected {
			for _, q := range g.others {
				d := new(big.Rat).Sub(m.projects[p].total, m.projects[q].total)
				if d.Sign() < 0 {
					continue // waived
				}
				s := new(big.Rat).Sub(l[p].slope, l[q].slope)
				if s.Sign() == 0 {
					continue
				}
				root := new(big.Rat).Quo(d, s)
				root.Sub(w, root)
				if s.Sign() > 0 && root.Cmp(lo) > 0 {
					lo = root
				}
				if s.Sign() < 0 && root.Cmp(hi) < 0 {
					hi = root
				}
			}
		}
	}
	return lo, hi
}

// at returns the weights with criterion c at t and the others rescaled.
func at(m *Model, c int, t *big.Rat) []*big.Rat {
	scale := new(big.Rat).Sub(big.NewRat(1, 1), t)
	scale.Quo(scale, new(big.Rat).Sub(big.NewRat(1, 1), m.weights[c]))
	w := make([]*big.Rat, len(m.weights))
	for d, x := range m.weights {
		w[d] = new(big.Rat).Mul(x, scale)
	}
	w[c] = t
	return w
}

func selection(t *testing.T, m *Model, w []*big.Rat) map[string]bool {
	t.Helper()
	st, err := m.Rank(w)
	require.NoError(t, err)
	sel := map[string]bool{}
	k := ranking.Whole(max(m.cfg.Top, 1))
	for _, s := range st {
		r := s.Rank
		if m.cfg.GroupBy {
			r = s.GroupRank
		}
		if r.Compare(k) <= 0 {
			sel[s.ID] = true
		}
	}
	return sel
}

// Newton's bounds are the pairwise ones; just past them the selection
// changes, and inside it does not.
func TestStabilityBruteForce(t *testing.T) {
	eps := big.NewRat(1, 1_000_000_000)
	crossings := 0
	for seed := range uint64(12) {
		ds := synth.Dataset(synth.Config{Projects: 40 + int(seed)*15, Criteria: 3 + int(seed%3), Judges: 3, Seed: seed})
		ds.Ranking.TieOn = afkar.TieOnExact
		switch seed % 3 {
		case 1:
			ds.Ranking.GroupBy, ds.Ranking.Top = "", 0 // the winner alone
		case 2:
			ds.Ranking.Top = 2
		}
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			m, err := New(context.Background(), ds)
			require.NoError(t, err)
			st, err := m.Stability(context.Background())
			require.NoError(t, err)
			require.Empty(t, st.Waived, "exact ties: nothing to waive")
			now := selection(t, m, m.weights)
			for k, iv := range st.Intervals {
				c := m.Criteria()
				ci := k
				for c[ci] != iv.Criterion {
					ci++
				}
				lo, hi := bruteBounds(m, ci)
				require.Equal(t, lo.RatString(), iv.Lo.Value.RatString(), "%s lo", iv.Criterion)
				require.Equal(t, hi.RatString(), iv.Hi.Value.RatString(), "%s hi", iv.Criterion)
				w := m.weights[ci]
				require.True(t, lo.Cmp(w) <= 0 && w.Cmp(hi) <= 0)
				inside := []*big.Rat{
					new(big.Rat).Quo(new(big.Rat).Add(lo, w), big.NewRat(2, 1)),
					new(big.Rat).Quo(new(big.Rat).Add(w, hi), big.NewRat(2, 1)),
					new(big.Rat).Add(lo, eps), new(big.Rat).Sub(hi, eps),
				}
				for _, x := range inside {
					if x.Cmp(lo) > 0 && x.Cmp(hi) < 0 {
						require.Equal(t, now, selection(t, m, at(m, ci, x)), "%s at %s, inside [%s, %s]", iv.Criterion, x.FloatString(9), lo.FloatString(9), hi.FloatString(9))
					}
				}
				if lo.Sign() > 0 {
					require.NotEqual(t, now, selection(t, m, at(m, ci, new(big.Rat).Sub(lo, eps))), "%s just below lo %s", iv.Criterion, lo.FloatString(9))
					require.NotEmpty(t, iv.Lo.Pair.Selected)
					crossings++
				}
				if hi.Cmp(big.NewRat(1, 1)) < 0 {
					require.NotEqual(t, now, selection(t, m, at(m, ci, new(big.Rat).Add(hi, eps))), "%s just above hi %s", iv.Criterion, hi.FloatString(9))
					require.NotEmpty(t, iv.Hi.Pair.Selected)
					crossings++
				}
			}
		})
	}
	require.Greater(t, crossings, 20, "bounds inside (0, 1) were checked")
}

// TestStabilityDakhla is the Dakhla-like stage of testdata/dakhla: 8
// projects, 4 judges, the five criteria of the Afkar rubric (social 0.25,
// economic 0.25, innovation 0.20, territorial 0.15, youth 0.15, on 0–20,
// total_max 100), top 3. The judges' means, and N = 5·mean:
//
//	          social economic innovation territorial youth   total
//	DAK-01    18     17       16         12          12      77.75
//	DAK-02    17     16       15         11          13      74.25
//	DAK-03    16     15       15         11.75       11      70.8125
//	DAK-04    14     13       13         12          12      64.75
//	DAK-06    12     12       13         14          12      62.5
//	DAK-07    12     11       12         11          17      61.75
//	DAK-05    13     14       12         11          10      61.5
//	DAK-08    10     10       10         10          10      50
//
// DAK-01..03 are selected. On social, economic and innovation each of them
// scores at least as high as every unselected project, and so do the
// other criteria's rescaled totals: no weight in [0, 1] changes the
// selection, so these intervals are [0, 1] with no pair, and no margin.
//
// Territorial at t: T(P, t) = t·A + (1 − t)·B, A = N(P, territorial),
// B = (T − 0.15·A)/0.85. DAK-03: A = 58.75, B = 62/0.85; DAK-06: A = 70,
// B = 52/0.85. Equal when (1 − t)·10/0.85 = 11.25·t, i.e. 10 = 19.5625·t,
// t = 160/313 ≈ 0.511. (DAK-04 meets DAK-03 later, at 6.25/7.3125 ≈ 0.855.)
// Margin (160/313 − 3/20)/(3/20) = 2261/939 ≈ 2.41.
//
// Youth: DAK-03: A = 55, B = 62.5625/0.85; DAK-07: A = 85, B = 49/0.85.
// Equal when (1 − t)·13.5625 = 30·0.85·t = 25.5·t, t = 13.5625/39.0625 =
// 217/625 = 0.3472. Margin (217/625 − 3/20)/(3/20) = 493/375 ≈ 1.31: youth
// is the most critical. The old rule, which counted the bound at 0 as a
// crossing, gave every criterion the margin 1 and named social.
func TestStabilityDakhla(t *testing.T) {
	data, err := os.ReadFile("../../testdata/dakhla/dataset.json")
	require.NoError(t, err)
	m, err := New(context.Background(), decode(t, string(data)))
	require.NoError(t, err)
	st, err := m.Stability(context.Background())
	require.NoError(t, err)
	want := []interval{
		{"social", "1/4", "0", "1", "-", Pair{}, Pair{}},
		{"economic", "1/4", "0", "1", "-", Pair{}, Pair{}},
		{"innovation", "1/5", "0", "1", "-", Pair{}, Pair{}},
		{"territorial", "3/20", "0", "160/313", "2261/939", Pair{}, Pair{"DAK-03", "DAK-06"}},
		{"youth", "3/20", "0", "217/625", "493/375", Pair{}, Pair{"DAK-03", "DAK-07"}},
	}
	if diff := cmp.Diff(want, intervals(st)); diff != "" {
		t.Fatalf("intervals (-want +got):\n%s", diff)
	}
	require.Equal(t, 4, st.MostCritical, "youth")
	require.Empty(t, st.Waived)

	// No weight of social alone changes the selection; past its bound,
	// territorial's does.
	now := selection(t, m, m.weights)
	for _, x := range []*big.Rat{big.NewRat(0, 1), big.NewRat(1, 1)} {
		require.Equal(t, now, selection(t, m, at(m, 0, x)), "social at %s", x)
	}
	require.NotEqual(t, now, selection(t, m, at(m, 3, big.NewRat(52, 100))), "territorial at 0.52")
	require.Equal(t, now, selection(t, m, at(m, 3, big.NewRat(51, 100))), "territorial at 0.51")
}
