package sensitivity

import (
	"context"
	"fmt"
	"math/big"
	"testing"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/internal/synth"
	"github.com/afkarlab/afkar/ranking"
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
		out = append(out, interval{iv.Criterion, iv.Weight.RatString(), iv.Lo.Value.RatString(), iv.Hi.Value.RatString(), iv.Margin.RatString(), iv.Lo.Pair, iv.Hi.Pair})
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
			// t in [0, 1]: both intervals are [0, 1], margin 1.
			name: "waived",
			dataset: `{` + fmt.Sprintf(rubric, "0.5", "0.5", `, "rounding": {"places": 0, "mode": "half_up"}`) + `, "ranking": {"tie_break": ["id"], "top": 1},
			  "projects": [{"id": "P1"}, {"id": "P2"}, {"id": "P3"}],
			  "scores": [` + scoresOf([3]string{"P1", "8.4", "4"}, [3]string{"P2", "4", "8.8"}, [3]string{"P3", "2", "2"}) + `]}`,
			want: []interval{
				{"a", "1/2", "0", "1", "1", Pair{}, Pair{}},
				{"b", "1/2", "0", "1", "1", Pair{}, Pair{}},
			},
			waived: []Pair{{"P1", "P2"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := New(context.Background(), decode(t, tt.dataset))
			require.NoError(t, err)
			st, err := m.Stability(context.Background())
			require.NoError(t, err)
			require.Equal(t, tt.want, intervals(st))
			require.Equal(t, 0, st.MostCritical)
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
