// Package synth generates synthetic datasets of any size for benchmarks
// and property tests: n projects, c criteria, j judges who each score every
// project on every criterion, on a 0–20 grid of half points, with a few
// conflicts and shared cooperatives so that exclusions happen.
package synth

import (
	"fmt"
	"math/rand/v2"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/ranking"
	"github.com/afkarlab/afkar/scoring"
	"github.com/shopspring/decimal"
)

// Config says what to generate. Zero fields take the defaults named.
type Config struct {
	Projects int    // if zero, 1000
	Criteria int    // if zero, 6
	Judges   int    // if zero, 5
	Seed     uint64 // the random seed; the same Config gives the same dataset
}

// Dataset returns a synthetic dataset: mean aggregation, a tie-break chain
// of three rules (criterion, submitted_at, id), group_by region and top 3.
func Dataset(cfg Config) *afkar.Dataset {
	n, nc, nj := cmpOr(cfg.Projects, 1000), cmpOr(cfg.Criteria, 6), cmpOr(cfg.Judges, 5)
	rng := rand.New(rand.NewPCG(cfg.Seed, 0xafca))
	ds := &afkar.Dataset{
		Rubric: scoring.Rubric{
			Scale:     scoring.Scale{Min: decimal.Zero, Max: decimal.NewFromInt(20), Step: decimal.New(5, -1)},
			Weights:   scoring.RelativeWeights,
			MinJudges: 2,
			Rounding:  scoring.Rounding{Places: 2, Mode: scoring.HalfUp},
		},
		Ranking: afkar.Ranking{
			TieBreak: []ranking.Rule{{Kind: ranking.ByCriterion, Criterion: "c0"}, {Kind: ranking.SubmittedAt}, {Kind: ranking.ByID}},
			GroupBy:  "region",
			Top:      3,
		},
	}
	for c := range nc {
		ds.Rubric.Criteria = append(ds.Rubric.Criteria, scoring.Criterion{
			ID: fmt.Sprintf("c%d", c), Weight: decimal.NewFromInt(int64(1 + c%3)),
		})
	}
	regions := bank.Regions()
	for p := range n {
		ds.Projects = append(ds.Projects, bank.Project{
			ID:          fmt.Sprintf("P%07d", p),
			Region:      regions[rng.IntN(len(regions))].Code,
			Cooperative: fmt.Sprintf("coop-%d", rng.IntN(max(n/4, 1))),
		})
	}
	for j := range nj {
		judge := bank.Judge{ID: fmt.Sprintf("J%d", j), Cooperative: fmt.Sprintf("coop-%d", rng.IntN(max(n/4, 1)))}
		if n > 0 {
			judge.Conflicts = []string{ds.Projects[rng.IntN(n)].ID}
		}
		ds.Judges = append(ds.Judges, judge)
	}
	// Half points: a project's quality plus a judge's leniency plus noise.
	halves := make([]decimal.Decimal, 41)
	for i := range halves {
		halves[i] = decimal.New(int64(i*5), -1)
	}
	ds.Scores.Grow(n * nc * nj)
	for p := range n {
		quality := 8 + rng.IntN(25)
		for j := range nj {
			lenient := j%3 - 1
			for c := range nc {
				v := min(max(quality+lenient*2+rng.IntN(7)-3, 0), 40)
				ds.Scores.Append(scoring.Score{
					Judge: ds.Judges[j].ID, Project: ds.Projects[p].ID,
					Criterion: ds.Rubric.Criteria[c].ID, Value: halves[v],
				})
			}
		}
	}
	return ds
}

func cmpOr(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}
