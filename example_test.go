package afkar_test

import (
	"context"
	"fmt"

	"github.com/afkarlab/afkar"
)

func ExampleEvaluate() {
	ds, err := afkar.Decode([]byte(`{
	  "rubric": {
	    "criteria": [
	      {"id": "social", "weight": "0.5"},
	      {"id": "innovation", "weight": "0.5", "threshold": "8"}
	    ],
	    "rounding": {"places": 2, "mode": "half_up"}
	  },
	  "ranking": {"tie_break": ["criterion:social", "id"], "top": 2},
	  "projects": [
	    {"id": "OUJ-01", "title": "Olive oil traceability"},
	    {"id": "DAK-02", "title": "Solar fish drying"},
	    {"id": "FES-03", "title": "Zellige e-shop"},
	    {"id": "AGA-04", "title": "Argan amlou"}
	  ],
	  "scores": [
	    {"judge": "J1", "project": "OUJ-01", "criterion": "social", "score": 14},
	    {"judge": "J1", "project": "OUJ-01", "criterion": "innovation", "score": "12"},
	    {"judge": "J1", "project": "DAK-02", "criterion": "social", "score": "16"},
	    {"judge": "J1", "project": "DAK-02", "criterion": "innovation", "score": "10"},
	    {"judge": "J1", "project": "FES-03", "criterion": "social", "score": "11.5"},
	    {"judge": "J1", "project": "FES-03", "criterion": "innovation", "score": "9"},
	    {"judge": "J1", "project": "AGA-04", "criterion": "social", "score": "19"},
	    {"judge": "J1", "project": "AGA-04", "criterion": "innovation", "score": "7.5"}
	  ]
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := afkar.Evaluate(context.Background(), ds)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range res.Projects() {
		fmt.Printf("%-2s %s %s selected=%t decided_by=%q reasons=%v\n",
			p.Rank, p.ID, res.Format(p.Total), p.Selected, p.DecidedBy, p.Reasons)
	}
	// Output:
	// 1  DAK-02 65.00 selected=true decided_by="criterion:social" reasons=[]
	// 2  OUJ-01 65.00 selected=true decided_by="total" reasons=[]
	// 3  FES-03 51.25 selected=false decided_by="" reasons=[]
	//    AGA-04 66.25 selected=false decided_by="" reasons=[threshold:innovation]
}

func ExampleDecode_problems() {
	_, err := afkar.Decode([]byte(`{
	  "rubric": {"criteria": [{"id": "social", "weight": "1", "max": "10"}], "rounding": {"places": 2, "mod": "down"}},
	  "projects": [{"id": "P1"}],
	  "scores": [
	    {"judge": "J1", "project": "P1", "criterion": "social", "score": "12"},
	    {"judge": "J1", "project": "P2", "criterion": "social", "score": "NaN"}
	  ]
	}`))
	fmt.Println(err)
	// Output:
	// rubric.rounding.mod: unknown key "mod" (expected one of places, mode)
	// scores[1].score: "NaN" is not allowed, expected a finite decimal
	// scores[0].score: 12 is above the maximum 10 of criterion "social"
	// scores[1].project: unknown project "P2"
}
