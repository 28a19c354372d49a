package afkar_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/internal/synth"
)

// BenchmarkEvaluate scores and ranks generated datasets: n projects × 6
// criteria × 5 judges, mean aggregation, three tie-break rules, group_by
// region, top 3. Run the 1M case alone with -benchtime=1x (it holds 30M
// scores):
//
//	go test -run=NONE -bench=Evaluate -benchmem -count=6 .
func BenchmarkEvaluate(b *testing.B) {
	for _, n := range []int{1_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("projects=%d", n), func(b *testing.B) {
			if n >= 1_000_000 && testing.Short() {
				b.Skip("1M projects in -short mode")
			}
			ds := synth.Dataset(synth.Config{Projects: n, Seed: 1})
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := afkar.Evaluate(context.Background(), ds); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n*30*b.N)/b.Elapsed().Seconds()/1e6, "Mscores/s")
		})
	}
}
