package agreement_test

import (
	"context"
	"fmt"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/analysis/agreement"
)

func ExampleAnalyze() {
	// Three judges, three projects, one criterion; J3 did not score P3.
	ds, err := afkar.Decode([]byte(`{
	  "rubric": {"criteria": [{"id": "social", "weight": "1"}]},
	  "projects": [{"id": "P1"}, {"id": "P2"}, {"id": "P3"}],
	  "scores": [
	    {"judge": "J1", "project": "P1", "criterion": "social", "score": "16"},
	    {"judge": "J2", "project": "P1", "criterion": "social", "score": "15"},
	    {"judge": "J3", "project": "P1", "criterion": "social", "score": "18"},
	    {"judge": "J1", "project": "P2", "criterion": "social", "score": "9"},
	    {"judge": "J2", "project": "P2", "criterion": "social", "score": "8"},
	    {"judge": "J3", "project": "P2", "criterion": "social", "score": "12"},
	    {"judge": "J1", "project": "P3", "criterion": "social", "score": "12"},
	    {"judge": "J2", "project": "P3", "criterion": "social", "score": "11"}
	  ]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := agreement.Analyze(context.Background(), ds)
	if err != nil {
		fmt.Println(err)
		return
	}
	c := rep.Criteria[0]
	fmt.Printf("%s: alpha %.3f over %d projects; ICC: %s\n", c.Criterion, c.Alpha, c.Units, c.ICCNote)
	for _, j := range rep.Judges {
		fmt.Printf("%s: %d projects, leniency %+.2f over %d pairs, few projects %t\n", j.ID, j.Projects, j.Criteria[0].Mean, j.Criteria[0].Pairs, j.FewProjects)
	}
	// J3 on P1: 18 − (16 + 15)/2 = 2.5; on P2: 12 − (9 + 8)/2 = 3.5.
	// Output:
	// social: alpha 0.781 over 3 projects; ICC: incomplete design: 1 of the 9 (eligible project, judge) cells have no counted value
	// J1: 3 projects, leniency -0.17 over 3 pairs, few projects false
	// J2: 3 projects, leniency -1.83 over 3 pairs, few projects false
	// J3: 2 projects, leniency +3.00 over 2 pairs, few projects true
}

func ExampleAlpha() {
	// Krippendorff (2011), section C, interval metric: one unit a row,
	// missing values left out.
	units := [][]float64{
		{1, 1, 1}, {2, 2, 3, 2}, {3, 3, 3, 3}, {3, 3, 3, 3}, {2, 2, 2, 2}, {1, 2, 3, 4},
		{4, 4, 4, 4}, {1, 1, 2, 1}, {2, 2, 2, 2}, {5, 5, 5}, {1, 1}, {3},
	}
	alpha, err := agreement.Alpha(units)
	fmt.Printf("%.3f %v\n", alpha, err)
	// Output:
	// 0.849 <nil>
}

func ExampleICC() {
	// Shrout and Fleiss (1979), Table 2: 6 targets × 4 judges.
	single, average, err := agreement.ICC([][]float64{
		{9, 2, 5, 8}, {6, 1, 3, 2}, {8, 4, 6, 8}, {7, 1, 2, 6}, {10, 5, 6, 9}, {6, 2, 4, 7},
	})
	fmt.Printf("ICC(2,1) = %.2f, ICC(2,4) = %.2f %v\n", single, average, err)
	// Output:
	// ICC(2,1) = 0.29, ICC(2,4) = 0.62 <nil>
}
