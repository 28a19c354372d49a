package sensitivity_test

import (
	"context"
	"fmt"
	"math/big"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/analysis/sensitivity"
	"github.com/shopspring/decimal"
)

// A jury of one scores three projects on two criteria of equal weight;
// the best project is selected.
const dataset = `{
  "rubric": {"criteria": [{"id": "social", "weight": "0.5"}, {"id": "economic", "weight": "0.5"}],
             "scale": {"min": "0", "max": "10"}, "total_max": "10"},
  "ranking": {"top": 1},
  "projects": [{"id": "P1"}, {"id": "P2"}, {"id": "P3"}],
  "scores": [
    {"judge": "J1", "project": "P1", "criterion": "social", "score": "8"}, {"judge": "J1", "project": "P1", "criterion": "economic", "score": "4"},
    {"judge": "J1", "project": "P2", "criterion": "social", "score": "4"}, {"judge": "J1", "project": "P2", "criterion": "economic", "score": "7"},
    {"judge": "J1", "project": "P3", "criterion": "social", "score": "2"}, {"judge": "J1", "project": "P3", "criterion": "economic", "score": "2"}
  ]
}`

func model() *sensitivity.Model {
	ds, err := afkar.Decode([]byte(dataset))
	if err != nil {
		panic(err)
	}
	m, err := sensitivity.New(context.Background(), ds)
	if err != nil {
		panic(err)
	}
	return m
}

func ExampleNew() {
	m := model()
	fmt.Println(m.Criteria(), m.Weights())
	for _, s := range m.Standings() {
		fmt.Println(s.Rank, s.ID, s.Selected)
	}
	// Output:
	// [social economic] [1/2 1/2]
	// 1 P1 true
	// 2 P2 false
	// 3 P3 false
}

func ExampleModel_Stability() {
	st, err := model().Stability(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	// P1 = 8t + 4(1 − t) stays ≥ P2 = 4t + 7(1 − t) for a social weight
	// t ≥ 3/7.
	for _, iv := range st.Intervals {
		fmt.Printf("%s %s in [%s, %s] margin %s lo set by %v hi by %v\n", iv.Criterion, iv.Weight.RatString(),
			iv.Lo.Value.RatString(), iv.Hi.Value.RatString(), iv.Margin.RatString(), iv.Lo.Pair, iv.Hi.Pair)
	}
	fmt.Println("most critical:", st.Intervals[st.MostCritical].Criterion)
	// Output:
	// social 1/2 in [3/7, 1] margin 1/7 lo set by {P1 P2} hi by { }
	// economic 1/2 in [0, 4/7] margin 1/7 lo set by { } hi by {P1 P2}
	// most critical: social
}

func ExampleModel_Rank() {
	m := model()
	// Social counts 0.4, economic 0.6: P2 (4·0.4 + 7·0.6 = 5.8) passes
	// P1 (8·0.4 + 4·0.6 = 5.6).
	st, err := m.Rank([]*big.Rat{big.NewRat(2, 5), big.NewRat(3, 5)})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range st {
		fmt.Println(s.Rank, s.ID, s.Selected)
	}
	// Output:
	// 1 P2 true
	// 2 P1 false
	// 3 P3 false
}

func ExampleModel_MonteCarlo() {
	sim, err := model().MonteCarlo(context.Background(), sensitivity.Config{
		Samples: 2000, Seed: 1, Weights: sensitivity.Uniform,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	// Uniform weights: P1 wins when the social weight is at least 3/7,
	// about 4 times in 7. Twice their published totals tie (no tie-break
	// rule): both rank first.
	for _, o := range sim.Projects {
		fmt.Printf("%s now %s: first in %d of %d, ranks %s–%s (median %s)\n", o.ID, o.Rank, o.First, sim.Samples, o.P5, o.P95, o.P50)
	}
	// Output:
	// P1 now 1: first in 1151 of 2000, ranks 1–2 (median 1)
	// P2 now 2: first in 851 of 2000, ranks 1–2 (median 2)
	// P3 now 3: first in 0 of 2000, ranks 3–3 (median 3)
}

func ExampleModel_SampleWeights() {
	m := model()
	cfg := sensitivity.Config{Seed: 1, Spread: decimal.NewNullDecimal(decimal.RequireFromString("0.1"))}
	w, err := m.SampleWeights(cfg, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(w[0].FloatString(6), w[1].FloatString(6))
	// Output:
	// 0.526279 0.473721
}
