package correlation_test

import (
	"fmt"

	"github.com/afkarlab/afkar/analysis/correlation"
	"github.com/afkarlab/afkar/ranking"
)

func ExampleCompare() {
	before := []correlation.Ranked{{ID: "DAK-01", Rank: ranking.Whole(1)}, {ID: "AGA-02", Rank: ranking.Whole(2)},
		{ID: "FES-03", Rank: ranking.Whole(3)}, {ID: "OUJ-04", Rank: ranking.Whole(4)}}
	after := []correlation.Ranked{{ID: "AGA-02", Rank: ranking.Whole(1)}, {ID: "DAK-01", Rank: ranking.Whole(2)},
		{ID: "OUJ-04", Rank: ranking.Whole(3)}, {ID: "RAB-05", Rank: ranking.Whole(4)}}
	c := correlation.Compare(before, after)
	fmt.Printf("n=%d tau-b=%.3f rho=%.3f only before %v, only after %v\n", c.N, c.TauB, c.Rho, c.OnlyA, c.OnlyB)
	for _, m := range c.Moves {
		fmt.Printf("%s %s → %s (%+g)\n", m.ID, m.From, m.To, m.By())
	}
	// Output:
	// n=3 tau-b=0.333 rho=0.500 only before [FES-03], only after [RAB-05]
	// AGA-02 2 → 1 (-1)
	// DAK-01 1 → 2 (+1)
	// OUJ-04 4 → 3 (-1)
}

func ExampleKendallTauB() {
	// Two judges' ranks of five projects, with a tie in the second.
	fmt.Printf("%.4f\n", correlation.KendallTauB([]float64{1, 2, 3, 4, 5}, []float64{1, 3, 2, 4, 4}))
	// Output:
	// 0.7379
}

func ExampleSpearman() {
	fmt.Printf("%.4f\n", correlation.Spearman([]float64{1, 2, 3, 4, 5}, []float64{1, 3, 2, 4, 4}))
	// Output:
	// 0.8721
}

func ExampleReadRanks() {
	ranks, err := correlation.ReadRanks([]byte(`{"format": "afkar-result/1", "input_digest": "sha256:…", "projects": [
	  {"id": "P1", "eligible": true, "rank": 1}, {"id": "P2", "eligible": true, "rank": 1},
	  {"id": "P3", "eligible": false, "rank": null}], "excluded_scores": []}`))
	fmt.Println(ranks, err)
	// Output:
	// [{P1 1} {P2 1}] <nil>
}
