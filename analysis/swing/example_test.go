package swing_test

import (
	"context"
	"fmt"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/analysis/swing"
)

func ExampleAnalyze() {
	ds, err := afkar.Decode([]byte(oneCriterion))
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := swing.Analyze(context.Background(), ds)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, b := range rep.Boundaries {
		for _, s := range b.Swings {
			c := s.Changes[0]
			fmt.Printf("%s vs %s: %s swings it by %s points (%s %s %s → %s)\n", b.Last, b.First, s.Judge, s.Size, c.Project, c.Criterion, c.From, c.To)
		}
	}
	// Output:
	// P1 vs P2: J1 swings it by 3 points (P1 social 12 → 9)
	// P1 vs P2: J2 swings it by 3 points (P1 social 14 → 11)
}
