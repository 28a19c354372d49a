package scoring_test

import (
	"context"
	"fmt"

	"github.com/afkarlab/afkar/scoring"
	"github.com/shopspring/decimal"
)

func ExampleRubric_Evaluate() {
	d := decimal.RequireFromString
	rubric := &scoring.Rubric{
		Criteria: []scoring.Criterion{
			{ID: "social", Weight: d("0.6")},
			{ID: "innovation", Weight: d("0.4"), Threshold: decimal.NewNullDecimal(d("8"))},
		},
		Scale: scoring.Scale{Min: d("0"), Max: d("20"), Step: d("0.5")},
	}
	in := scoring.Input{
		Projects: []scoring.Project{{ID: "P1", Cooperative: "coop-7"}, {ID: "P2"}},
		Judges:   []scoring.Judge{{ID: "J1"}, {ID: "J2", Cooperative: "coop-7"}},
		Scores: scoring.ScoresOf([]scoring.Score{
			{Judge: "J1", Project: "P1", Criterion: "social", Value: d("15")},
			{Judge: "J1", Project: "P1", Criterion: "innovation", Value: d("12.5")},
			{Judge: "J2", Project: "P1", Criterion: "social", Value: d("20")}, // same cooperative: excluded
			{Judge: "J2", Project: "P1", Criterion: "innovation", Value: d("20")},
			{Judge: "J1", Project: "P2", Criterion: "social", Value: d("18")},
			{Judge: "J1", Project: "P2", Criterion: "innovation", Value: d("6")},
			{Judge: "J2", Project: "P2", Criterion: "social", Value: d("17")},
			{Judge: "J2", Project: "P2", Criterion: "innovation", Value: d("7.5")},
		}...),
	}
	res, err := rubric.Evaluate(context.Background(), in)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, o := range res.Outcomes() {
		fmt.Printf("%s total %s eligible %t %v\n", o.ID, o.Rounded.Num.Text(2), o.Eligible, o.Reasons)
	}
	for _, x := range res.Excluded {
		fmt.Printf("excluded: %s on %s (%s): %s\n", x.Judge, x.Project, x.Criterion, x.Reason)
	}
	// Output:
	// P1 total 70.00 eligible true []
	// P2 total 66.00 eligible false [threshold:innovation]
	// excluded: J2 on P1 (social): same_cooperative
	// excluded: J2 on P1 (innovation): same_cooperative
}
