package tour_test

import (
	"testing"

	"github.com/afkarlab/afkar/tour"
	"github.com/google/go-cmp/cmp"
)

// FuzzDecode: Decode never panics, and a tour it accepts writes out
// (MarshalJSON) to a document that decodes to the same tour.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"format": "afkar-tour/1", "id": "t", "stages": [{"id": "a", "dataset": "a.json"}], "advancement": {"top": 2, "wildcards": 1, "max_per_stage": 3}}`))
	f.Add([]byte(`{"stages": [{"id": "a", "dataset": "x/a.json", "dataset_digest": "sha256:0000000000000000000000000000000000000000000000000000000000000000"}], "advancement": {"top": 1}, "advanced": [{"project": "P", "stage": "a", "by": "top"}]}`))
	f.Add([]byte(`{"stages": [], "advancement": {"top": 0}, "advanced": []}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		tr, err := tour.Decode(data)
		if err != nil {
			return
		}
		out, err := tr.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		again, err := tour.Decode(out)
		if err != nil {
			t.Fatalf("the written tour does not decode: %v\n%s", err, out)
		}
		tr.Format, again.Format = "", ""
		if diff := cmp.Diff(tr, again); diff != "" {
			t.Fatalf("round trip (-first +again):\n%s", diff)
		}
	})
}
