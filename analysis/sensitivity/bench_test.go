package sensitivity

import (
	"context"
	"fmt"
	"testing"

	"github.com/afkarlab/afkar/internal/synth"
)

// BenchmarkMonteCarlo ranks samples of generated datasets (n projects × 6
// criteria × 5 judges, group_by region, top 3) on every core:
//
//	go test -run=NONE -bench=MonteCarlo -benchtime=200x ./analysis/sensitivity
func BenchmarkMonteCarlo(b *testing.B) {
	for _, n := range []int{100, 10_000} {
		b.Run(fmt.Sprintf("projects=%d", n), func(b *testing.B) {
			m, err := New(context.Background(), synth.Dataset(synth.Config{Projects: n, Seed: 1}))
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			if _, err := m.MonteCarlo(context.Background(), Config{Samples: b.N, Seed: 1}); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "samples/s")
		})
	}
}

// BenchmarkStability computes the exact intervals of a generated dataset.
func BenchmarkStability(b *testing.B) {
	m, err := New(context.Background(), synth.Dataset(synth.Config{Projects: 10_000, Seed: 1}))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := m.Stability(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}
