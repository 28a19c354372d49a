package feedback_test

import (
	"context"
	"fmt"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/feedback"
)

// The package doc's hand-solved margin: k = 5/2 points of total per point
// of aggregate, a gap of 15 points, 6 points on either criterion; a's
// maximum 20 does not allow it, b's does.
func ExampleBuild() {
	ds, err := afkar.Decode([]byte(stage))
	if err != nil {
		panic(err)
	}
	res, err := afkar.Evaluate(context.Background(), ds)
	if err != nil {
		panic(err)
	}
	rep := feedback.Build(ds, res)
	p2 := rep.Ideas[1]
	fmt.Println(p2.Project.ID, "behind", p2.Margin.Last, "by", p2.Margin.Gap)
	for c, cl := range p2.Margin.Criteria {
		s := p2.Profile[c].Spread
		fmt.Printf("%s: median %s, quartiles %s and %s; +%s possible: %t\n",
			rep.Criteria[c], s.Median, s.Q1, s.Q3, cl.Need, cl.Possible)
	}
	// Output:
	// P2 behind P1 by 15
	// a: median 27/2, quartiles 23/2 and 16; +6 possible: false
	// b: median 12, quartiles 17/2 and 29/2; +6 possible: true
}
