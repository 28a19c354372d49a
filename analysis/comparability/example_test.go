package comparability_test

import (
	"context"
	"fmt"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/analysis/comparability"
)

func ExampleAnalyze() {
	// J1 and J2 judge P1 and P2; J3 judges P3 alone.
	ds, err := afkar.Decode([]byte(`{
	  "rubric": {"criteria": [{"id": "social", "weight": "1"}], "aggregation": {"method": "zscore"}},
	  "projects": [{"id": "P1"}, {"id": "P2"}, {"id": "P3"}],
	  "scores": [
	    {"judge": "J1", "project": "P1", "criterion": "social", "score": "16"},
	    {"judge": "J2", "project": "P1", "criterion": "social", "score": "15"},
	    {"judge": "J1", "project": "P2", "criterion": "social", "score": "9"},
	    {"judge": "J2", "project": "P2", "criterion": "social", "score": "8"},
	    {"judge": "J3", "project": "P3", "criterion": "social", "score": "12"}
	  ]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := comparability.Analyze(context.Background(), ds)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("juries:", rep.Names())
	fmt.Println("bridges:", rep.BridgeList())
	fmt.Println(rep.Check())
	// Output:
	// juries: J1, J2 (P1, P2) | J3 (P3)
	// bridges: J1 → P3
	// rubric.aggregation.method: zscore across 2 juries that share no project (J1, J2 (P1, P2) | J3 (P3)): per-judge normalisation cannot tell a lenient jury from a strong one; 1 bridge assignment would connect them: J1 → P3
}
