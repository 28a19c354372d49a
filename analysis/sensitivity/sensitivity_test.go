package sensitivity

import (
	"context"
	"math/big"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/internal/sample"
	"github.com/afkarlab/afkar/internal/synth"
	"github.com/afkarlab/afkar/ranking"
	"github.com/afkarlab/afkar/scoring"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func decode(t *testing.T, data string) *afkar.Dataset {
	t.Helper()
	ds, err := afkar.Decode([]byte(data))
	require.NoError(t, err)
	return ds
}

func sampleDataset(t *testing.T) *afkar.Dataset {
	t.Helper()
	ds, err := afkar.Decode(sample.JSON())
	require.NoError(t, err)
	return ds
}

// conformanceDatasets returns the valid datasets of the conformance suite.
func conformanceDatasets(t *testing.T) map[string]*afkar.Dataset {
	t.Helper()
	paths, err := filepath.Glob("../../testdata/conformance/[0-9]*/dataset.json")
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	out := map[string]*afkar.Dataset{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		ds, err := afkar.Decode(data)
		if err != nil {
			continue
		}
		out[filepath.Base(filepath.Dir(p))] = ds
	}
	return out
}

type standing struct {
	ID, Group, DecidedBy string
	Rank, GroupRank      string
	Selected             bool
}

func fromEvaluate(t *testing.T, ds *afkar.Dataset) []standing {
	t.Helper()
	res, err := afkar.Evaluate(context.Background(), ds)
	require.NoError(t, err)
	var out []standing
	for _, p := range res.Projects() {
		if !p.Eligible {
			continue
		}
		g := ""
		if p.Group != nil {
			g = *p.Group
		}
		out = append(out, standing{p.ID, g, p.DecidedBy, p.Rank.String(), p.GroupRank.String(), p.Selected})
	}
	return out
}

func fromStandings(st []ranking.Standing) []standing {
	var out []standing
	for _, s := range st {
		out = append(out, standing{s.ID, s.Group, s.DecidedBy, s.Rank.String(), s.GroupRank.String(), s.Selected})
	}
	return out
}

// The model's standings at the dataset's weights are afkar.Evaluate's.
func TestStandingsAreEvaluates(t *testing.T) {
	sets := conformanceDatasets(t)
	sets["sample"] = sampleDataset(t)
	sets["synth"] = synth.Dataset(synth.Config{Projects: 300, Seed: 3})
	for name, ds := range sets {
		t.Run(name, func(t *testing.T) {
			m, err := New(context.Background(), ds)
			require.NoError(t, err)
			if diff := cmp.Diff(fromEvaluate(t, ds), fromStandings(m.Standings())); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

// withWeights returns ds with relative weights omega (integers, as decimal
// strings), which afkar.Evaluate divides by their sum.
func withWeights(ds *afkar.Dataset, w []*big.Rat) *afkar.Dataset {
	den := big.NewInt(1)
	for _, x := range w {
		g := new(big.Int).GCD(nil, nil, den, x.Denom())
		den.Mul(den, new(big.Int).Quo(x.Denom(), g))
	}
	out := *ds
	out.Rubric.Criteria = slices.Clone(ds.Rubric.Criteria)
	out.Rubric.Weights = scoring.RelativeWeights
	for c, x := range w {
		n := new(big.Int).Mul(x.Num(), den)
		out.Rubric.Criteria[c].Weight = decimal.NewFromBigInt(n.Quo(n, x.Denom()), 0)
	}
	return &out
}

// Ranking a sample's weights gives what afkar.Evaluate gives for the
// dataset with those weights, when they leave eligibility as it was.
func TestRankIsEvaluateWithOtherWeights(t *testing.T) {
	sets := map[string]*afkar.Dataset{"sample": sampleDataset(t), "synth": synth.Dataset(synth.Config{Projects: 200, Seed: 5})}
	exact := synth.Dataset(synth.Config{Projects: 200, Seed: 6})
	exact.Ranking.TieOn = afkar.TieOnExact
	exact.Ranking.TieBreak = append(exact.Ranking.TieBreak[:1:1], ranking.Rule{Kind: ranking.HeadToHead}, ranking.Rule{Kind: ranking.ByID})
	sets["synth-exact-h2h"] = exact
	for name, ds := range sets {
		t.Run(name, func(t *testing.T) {
			m, err := New(context.Background(), ds)
			require.NoError(t, err)
			compared := 0
			for _, cfg := range []Config{{Seed: 7, Spread: decimal.NewNullDecimal(decimal.RequireFromString("0.5"))}, {Seed: 8, Weights: Uniform}} {
				for i := range 12 {
					w, err := m.SampleWeights(cfg, i)
					require.NoError(t, err)
					got, err := m.Rank(w)
					require.NoError(t, err)
					want := fromEvaluate(t, withWeights(ds, w))
					if len(want) != len(got) {
						continue // the total threshold changed eligibility
					}
					compared++
					if diff := cmp.Diff(want, fromStandings(got)); diff != "" {
						t.Fatalf("sample %d of %+v: (-want +got)\n%s", i, cfg, diff)
					}
				}
			}
			require.Greater(t, compared, 12)
		})
	}
}

// The integer fast path of MonteCarlo ranks every sample as Rank does.
func TestFastPathIsRank(t *testing.T) {
	sets := map[string]*afkar.Dataset{"sample": sampleDataset(t)}
	for _, mode := range []scoring.RoundingMode{scoring.HalfUp, scoring.HalfEven, scoring.Down} {
		ds := sampleDataset(t)
		ds.Rubric.Rounding = scoring.Rounding{Places: 1, Mode: mode}
		sets["sample-1-"+string(mode)] = ds
	}
	exact := sampleDataset(t)
	exact.Ranking.TieOn = afkar.TieOnExact
	sets["sample-exact"] = exact
	frac := synth.Dataset(synth.Config{Projects: 150, Seed: 9})
	frac.Ranking.Style = ranking.Fractional
	frac.Ranking.TieBreak = []ranking.Rule{{Kind: ranking.HeadToHead}}
	sets["synth-fractional-h2h"] = frac
	for name, ds := range sets {
		t.Run(name, func(t *testing.T) {
			m, err := New(context.Background(), ds)
			require.NoError(t, err)
			require.NotNil(t, m.fast)
			for _, cfg := range []Config{{Seed: 1}, {Seed: 2, Weights: Uniform}, {Seed: 3, Spread: decimal.NewNullDecimal(decimal.Zero)}} {
				d, err := m.drawer(cfg)
				require.NoError(t, err)
				require.True(t, m.fast.fits(d.maxSum, m.places, m.h2h))
				w := m.newWorker(true)
				out := &outcome{ranks: make([]int32, len(m.projects)), selected: make([]bool, len(m.projects))}
				for i := range 25 {
					require.NoError(t, w.sample(d, i, out))
					weights, err := m.SampleWeights(cfg, i)
					require.NoError(t, err)
					st, err := m.Rank(weights)
					require.NoError(t, err)
					for _, s := range st {
						require.Equal(t, int32(s.Rank.Halves()), out.ranks[s.Entry], "sample %d, %s", i, s.ID)
						require.Equal(t, s.Selected, out.selected[s.Entry], "sample %d, %s", i, s.ID)
					}
				}
			}
		})
	}
}

func TestRoundQuoIsRound(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		den := rng.Int64N(1000) + 1
		num := rng.Int64N(100 * den)
		if rng.IntN(4) == 0 {
			num = (num/den)*den + den/2 // a half, when den is even
		}
		for _, mode := range []scoring.RoundingMode{scoring.HalfUp, scoring.HalfEven, scoring.Down} {
			want := scoring.Round(big.NewRat(num, den), 0, mode)
			require.Equal(t, want.IntPart(), roundQuo(num, den, mode), "%d/%d %s", num, den, mode)
		}
	}
}

func TestSampleWeights(t *testing.T) {
	m, err := New(context.Background(), sampleDataset(t))
	require.NoError(t, err)
	one := big.NewRat(1, 1)
	for _, cfg := range []Config{{Seed: 1}, {Seed: 1, Weights: Uniform}} {
		for i := range 50 {
			w, err := m.SampleWeights(cfg, i)
			require.NoError(t, err)
			sum := new(big.Rat)
			for c, x := range w {
				require.GreaterOrEqual(t, x.Sign(), 0)
				sum.Add(sum, x)
				if cfg.Weights == "" {
					// ±20% of w, renormalised: at most 1.2/0.8 = 1.5 times
					// w, at least 0.8/1.2 of it.
					ratio := new(big.Rat).Quo(x, m.weights[c])
					require.True(t, ratio.Cmp(big.NewRat(3, 2)) <= 0 && ratio.Cmp(big.NewRat(2, 3)) >= 0, ratio.FloatString(4))
				}
			}
			require.Zero(t, sum.Cmp(one), "weights sum to exactly 1")
		}
	}
	_, err = m.SampleWeights(Config{Spread: decimal.NewNullDecimal(decimal.NewFromInt(1))}, 0)
	require.ErrorContains(t, err, "outside [0, 1)")
	_, err = m.SampleWeights(Config{Weights: "dirichlet"}, 0)
	require.ErrorContains(t, err, `unknown sampling "dirichlet"`)
}

// The result for a seed does not depend on the number of workers.
func TestMonteCarloSameForAnyWorkers(t *testing.T) {
	m, err := New(context.Background(), sampleDataset(t))
	require.NoError(t, err)
	for _, cfg := range []Config{{Samples: 300, Seed: 42}, {Samples: 300, Seed: 42, Weights: Uniform}} {
		var first *Simulation
		for _, workers := range []int{1, 2, 8} {
			cfg.Workers = workers
			sim, err := m.MonteCarlo(context.Background(), cfg)
			require.NoError(t, err)
			if first == nil {
				first = sim
				continue
			}
			require.Equal(t, first, sim, "%d workers", workers)
		}
	}
}

// With spread 0 every sample is the current ranking: every probability is
// 0 or 1, and every percentile the current rank.
func TestMonteCarloSpreadZero(t *testing.T) {
	m, err := New(context.Background(), sampleDataset(t))
	require.NoError(t, err)
	sim, err := m.MonteCarlo(context.Background(), Config{Samples: 50, Spread: decimal.NewNullDecimal(decimal.Zero)})
	require.NoError(t, err)
	for _, o := range sim.Projects {
		require.Contains(t, []float64{0, 1}, o.PFirst, o.ID)
		require.Contains(t, []float64{0, 1}, o.PSelected, o.ID)
		require.Equal(t, o.Selected, o.PSelected == 1, o.ID)
		require.Equal(t, o.Rank == ranking.Whole(1), o.PFirst == 1, o.ID)
		require.Equal(t, []ranking.Rank{o.Rank, o.Rank, o.Rank}, []ranking.Rank{o.P5, o.P50, o.P95}, o.ID)
	}
}

// Cancelling stops the workers: MonteCarlo returns the context's error and
// leaves no goroutine behind.
func TestMonteCarloCancel(t *testing.T) {
	m, err := New(context.Background(), synth.Dataset(synth.Config{Projects: 300, Seed: 1}))
	require.NoError(t, err)
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	done := 0
	_, err = m.MonteCarlo(ctx, Config{Samples: 1_000_000, Workers: 4, Progress: func(n int) {
		if done = n; n == 20 {
			cancel()
		}
	}})
	require.ErrorIs(t, err, context.Canceled)
	require.Less(t, done, 1000)
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	require.LessOrEqual(t, runtime.NumGoroutine(), before, "goroutines left behind")
}

func TestHistPercentiles(t *testing.T) {
	var h hist
	// Ranks 3, 1, 2, 2, 5 (as halves), out of order, growing both ways.
	for _, r := range []int32{6, 2, 4, 4, 10} {
		h.add(r)
	}
	// Nearest rank over 5 samples: the 5th percentile needs 1 sample (rank
	// 1), the 50th ⌈2.5⌉ = 3 (1, 2, 2: rank 2), the 95th ⌈4.75⌉ = 5 (rank 5).
	require.Equal(t, ranking.Whole(1), h.percentile(5, 5))
	require.Equal(t, ranking.Whole(2), h.percentile(50, 5))
	require.Equal(t, ranking.Whole(5), h.percentile(95, 5))
	h.add(5) // 2.5
	require.Equal(t, "2.5", h.percentile(60, 6).String(), "⌈3.6⌉ = 4 samples: 1, 2, 2, 2.5")
}

func TestModelErrors(t *testing.T) {
	bad, err := afkar.DecodeOptions{Partial: true}.Decode([]byte(`{"rubric": {"criteria": [{"id": "a", "weight": "0.5"}]}}`))
	require.NoError(t, err)
	_, err = New(context.Background(), bad)
	var ps afkar.Problems
	require.ErrorAs(t, err, &ps)
	require.Contains(t, ps.Error(), "weights must sum to exactly 1")

	m, err := New(context.Background(), sampleDataset(t))
	require.NoError(t, err)
	_, err = m.Rank(m.Weights()[:2])
	require.ErrorContains(t, err, "2 weights for 5 criteria")
	w := m.Weights()
	w[0] = big.NewRat(1, 2)
	_, err = m.Rank(w)
	require.ErrorContains(t, err, "weights must sum to 1, they sum to 5/4")
	require.True(t, strings.HasPrefix(err.Error(), "sensitivity: "))
}

// TestFlatRankIsRank: without head_to_head, a sample is ranked by one sort
// of integers (worker.flatRank); its ranks and selection are those of
// Model.Rank, which ranks with package ranking, on every conformance
// dataset the fast path takes, in every style, with and without groups.
func TestFlatRankIsRank(t *testing.T) {
	checked := 0
	for name, base := range conformanceDatasets(t) {
		for _, style := range ranking.Styles() {
			for _, groupBy := range []string{base.Ranking.GroupBy, ""} {
				ds := *base
				ds.Ranking.Style = style
				ds.Ranking.GroupBy = groupBy
				if ds.Ranking.Top == 0 {
					ds.Ranking.Top = 2
				}
				m, err := New(context.Background(), &ds)
				require.NoError(t, err, name)
				if m.h2h || m.fast == nil || len(m.projects) == 0 {
					continue
				}
				cfg := Config{Seed: 7}
				d, err := m.drawer(cfg)
				require.NoError(t, err)
				if !m.fast.fits(d.maxSum, m.places, m.h2h) {
					continue
				}
				checked++
				w := m.newWorker(true)
				out := &outcome{ranks: make([]int32, len(m.projects)), selected: make([]bool, len(m.projects))}
				for i := range 10 {
					require.NoError(t, w.sample(d, i, out))
					weights, err := m.SampleWeights(cfg, i)
					require.NoError(t, err)
					st, err := m.Rank(weights)
					require.NoError(t, err)
					for _, s := range st {
						require.Equal(t, int32(s.Rank.Halves()), out.ranks[s.Entry], "%s %s group_by %q, sample %d, %s", name, style, groupBy, i, s.ID)
						require.Equal(t, s.Selected, out.selected[s.Entry], "%s %s group_by %q, sample %d, %s", name, style, groupBy, i, s.ID)
					}
				}
			}
		}
	}
	require.Greater(t, checked, 50)
}
