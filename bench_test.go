package afkar_test

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/internal/synth"
	"github.com/afkarlab/afkar/scoring"
)

// BenchmarkEvaluate scores and ranks generated datasets: n projects × 6
// criteria × 5 judges, mean aggregation, three tie-break rules, group_by
// region, top 3. Run the 1M case alone with -benchtime=1x (it holds 30M
// scores):
//
//	go test -run=NONE -bench=Evaluate -benchmem -count=6 .
func BenchmarkEvaluate(b *testing.B) {
	onSizes(b, func(ds *afkar.Dataset) {
		if _, err := afkar.Evaluate(context.Background(), ds); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkEvaluateScoresOnly is BenchmarkEvaluate on what a table of
// scores alone gives (`afkar rank --scores wide.csv` without a projects or
// judges file): projects with an ID only, no list of judges, no group_by.
// It reports the bytes allocated a project, its 30 scores included (issue
// 13's budget: 100 a project plus 2 a score, 160 here):
//
//	go test -run=NONE -bench=EvaluateScoresOnly -benchmem -benchtime=1x .
func BenchmarkEvaluateScoresOnly(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("projects=%d", n), func(b *testing.B) {
			if n >= 1_000_000 && testing.Short() {
				b.Skip("1M projects in -short mode")
			}
			ds := synth.Dataset(synth.Config{Projects: n, Seed: 1})
			for i := range ds.Projects {
				ds.Projects[i] = bank.Project{ID: ds.Projects[i].ID}
			}
			ds.Judges, ds.Ranking.GroupBy = nil, ""
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			b.ResetTimer()
			for b.Loop() {
				if _, err := afkar.Evaluate(context.Background(), ds); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/float64(n), "B/project")
		})
	}
}

// onSizes runs run as a benchmark on generated datasets of 1k, 100k and 1M
// projects (the last skipped in -short mode), and reports scores/s.
func onSizes(b *testing.B, run func(*afkar.Dataset)) {
	for _, n := range []int{1_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("projects=%d", n), func(b *testing.B) {
			if n >= 1_000_000 && testing.Short() {
				b.Skip("1M projects in -short mode")
			}
			ds := synth.Dataset(synth.Config{Projects: n, Seed: 1})
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				run(ds)
			}
			b.ReportMetric(float64(n*30*b.N)/b.Elapsed().Seconds()/1e6, "Mscores/s")
		})
	}
}

// BenchmarkFloat64Baseline is the floor BenchmarkEvaluate is measured
// against (issue 6): the same datasets scored and ranked in float64, as a
// careful float implementation would. It resolves each distinct ID of the
// score table once and then works on indices, converts each distinct value
// to float64 once, takes each criterion's mean, applies the quorum, sums
// the weighted contributions, and sorts by total, then criterion c0, then
// id (the synthetic dataset has no submission times), overall and within
// each region. It skips what only an exact, published result needs:
// validation, exclusions, rounding, the digest and the result's records.
// Its totals are not exact; it is a yardstick, not an alternative.
func BenchmarkFloat64Baseline(b *testing.B) {
	onSizes(b, func(ds *afkar.Dataset) { floatRank(ds) })
}

// floatRank is BenchmarkFloat64Baseline's pipeline; it returns the overall
// order and each project's rank in its region.
func floatRank(ds *afkar.Dataset) (order []int, groupRank []int) {
	np, nc := len(ds.Projects), len(ds.Rubric.Criteria)
	projects := make(map[string]int, np)
	for i, p := range ds.Projects {
		projects[p.ID] = i
	}
	criteria := make(map[string]int, nc)
	weights := make([]float64, nc)
	var wsum float64
	for i, c := range ds.Rubric.Criteria {
		criteria[c.ID] = i
		weights[i] = c.Weight.InexactFloat64()
		wsum += weights[i]
	}
	_, pIDs, cIDs, values := ds.Scores.Distinct()
	projectOf := make([]int, len(pIDs))
	for i, id := range pIDs {
		projectOf[i] = projects[id]
	}
	criterionOf := make([]int, len(cIDs))
	for i, id := range cIDs {
		criterionOf[i] = criteria[id]
	}
	floats := make([]float64, len(values))
	for i, v := range values {
		floats[i] = v.InexactFloat64()
	}
	sums := make([]float64, np*nc)
	counts := make([]int32, np*nc)
	for i := range ds.Scores.Len() {
		_, p, c, v := ds.Scores.Ref(i)
		k := projectOf[p]*nc + criterionOf[c]
		sums[k] += floats[v]
		counts[k]++
	}
	totals := make([]float64, np)
	eligible := make([]int, 0, np)
	for p := range np {
		ok := true
		var t float64
		for c := range nc {
			k := p*nc + c
			if int(counts[k]) < ds.Rubric.MinJudges {
				ok = false
				break
			}
			t += 100 * weights[c] / wsum * (sums[k] / float64(counts[k])) / 20
		}
		totals[p] = t
		if ok {
			eligible = append(eligible, p)
		}
	}
	less := func(a, b int) int {
		return cmp.Or(cmp.Compare(totals[b], totals[a]),
			cmp.Compare(sums[b*nc]/float64(counts[b*nc]), sums[a*nc]/float64(counts[a*nc])),
			cmp.Compare(ds.Projects[a].ID, ds.Projects[b].ID))
	}
	slices.SortFunc(eligible, less)
	groups := map[string][]int{}
	for _, p := range eligible {
		g := ds.Projects[p].Region
		groups[g] = append(groups[g], p)
	}
	groupRank = make([]int, np)
	for _, members := range groups {
		for k, p := range members { // already in order: the overall order restricted to the group
			groupRank[p] = k + 1
		}
	}
	return eligible, groupRank
}

// BenchmarkScoring measures package scoring's own work and memory, the
// engine's working state (issue 13: at most 100 bytes a project and 2 a
// score): n projects × 5 criteria × 5 judges, aggregated by mean and by
// median, validation included, ranking and the result's records not. It
// reports the bytes allocated a project, the table of scores (built
// before) aside:
//
//	go test -run=NONE -bench=Scoring -benchmem -benchtime=1x .
func BenchmarkScoring(b *testing.B) {
	for _, method := range []scoring.Method{scoring.Mean, scoring.Median} {
		for _, n := range []int{100_000, 1_000_000} {
			b.Run(fmt.Sprintf("method=%s/projects=%d", method, n), func(b *testing.B) {
				if n >= 1_000_000 && testing.Short() {
					b.Skip("1M projects in -short mode")
				}
				ds := synth.Dataset(synth.Config{Projects: n, Criteria: 5, Seed: 1})
				ds.Rubric.Aggregation.Method = method
				in := ds.ScoringInput()
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				b.ResetTimer()
				for b.Loop() {
					if _, err := ds.Rubric.Evaluate(context.Background(), in); err != nil {
						b.Fatal(err)
					}
				}
				b.StopTimer()
				runtime.ReadMemStats(&after)
				b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/float64(n), "B/project")
			})
		}
	}
}

// BenchmarkDigest hashes the canonical form of 100k generated projects
// (3M scores), with each project's scores in one run as datasets give
// them, and shuffled: every score in a run of its own.
//
//	go test -run=NONE -bench=Digest -benchmem -count=6 .
func BenchmarkDigest(b *testing.B) {
	ds := synth.Dataset(synth.Config{Projects: 100_000, Seed: 1})
	shuffled := *ds
	all := ds.Scores.Slice()
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	shuffled.Scores = scoring.Scores{}
	shuffled.Scores.Append(all...)
	for _, c := range []struct {
		name string
		ds   *afkar.Dataset
	}{{"scores=grouped", ds}, {"scores=shuffled", &shuffled}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.ds.Digest()
			}
		})
	}
}
