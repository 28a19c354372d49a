package bridge

import (
	"encoding/json"
	"testing"
)

// FuzzBridge feeds every function of the bridge anything: each answers
// valid JSON, a result or {"error": …}, and never panics (guard would turn
// a panic into an "internal error" answer, which fails here too).
func FuzzBridge(f *testing.F) {
	// Small seeds: the fuzzer minimises what it finds, and large
	// conformance datasets make that crawl.
	f.Add([]byte(`{"rubric": ` + rubric + `, "ranking": {"tie_break": ["head_to_head", "id"], "top": 1},
		"projects": [{"id": "P1"}, {"id": "P2"}],
		"scores": [{"judge": "J1", "project": "P1", "criterion": "social", "score": "15"},
		{"judge": "J1", "project": "P2", "criterion": "youth", "score": 5}]}`))
	f.Add([]byte(`{"rubric": ` + rubric + `, "scores": {"social": "15.5", "youth": 3}}`))
	f.Add([]byte(`{"dataset": null, "sheets": [{"scores": [{"judge": "J", "project": "P", "criterion": "social", "score": "1"}]}]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		for name, fn := range map[string]func([]byte) []byte{"Evaluate": Evaluate, "Validate": Validate, "Score": Score, "Merge": Merge} {
			out := fn(in)
			if !json.Valid(out) {
				t.Fatalf("%s answered invalid JSON: %s", name, out)
			}
			var ans struct {
				Error *struct {
					Problems []struct{ Path, Message string } `json:"problems"`
				} `json:"error"`
			}
			if json.Unmarshal(out, &ans) == nil && ans.Error != nil {
				if len(ans.Error.Problems) == 0 {
					t.Fatalf("%s: an error answer without problems", name)
				}
				for _, p := range ans.Error.Problems {
					if p.Path == "" || p.Message == "" || len(p.Message) > 13 && p.Message[:14] == "internal error" {
						t.Fatalf("%s: %+v", name, p)
					}
				}
			}
		}
	})
}
