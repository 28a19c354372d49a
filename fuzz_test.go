package afkar_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/afkarlab/afkar"
	"github.com/shopspring/decimal"
)

// FuzzDecode feeds the decoder anything. Properties: it never panics; an
// error is a list of problems, each with a path and a message; a decoded
// dataset evaluates, every published total lies in [0, total_max], and
// ranks never go down along the result.
func FuzzDecode(f *testing.F) {
	dirs, _ := filepath.Glob("testdata/conformance/*")
	for _, dir := range dirs {
		if data, err := os.ReadFile(filepath.Join(dir, "dataset.json")); err == nil && len(data) < 64<<10 {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ds, err := afkar.Decode(data)
		if err != nil {
			ps, ok := err.(afkar.Problems)
			if !ok || len(ps) == 0 {
				t.Fatalf("error is not a list of problems: %T %v", err, err)
			}
			for _, p := range ps {
				if p.Path == "" || p.Message == "" {
					t.Fatalf("problem without a path or message: %+v", p)
				}
			}
			return
		}
		res, err := afkar.Evaluate(context.Background(), ds)
		if err != nil {
			t.Fatalf("a decoded dataset does not evaluate: %v", err)
		}
		max := ds.Rubric.TotalMax
		if max.IsZero() {
			max = decimal.NewFromInt(100)
		}
		for i, p := range res.Projects {
			if p.Total.Valid && (p.Total.Decimal.IsNegative() || p.Total.Decimal.GreaterThan(max)) {
				t.Fatalf("total %s of %s outside [0, %s]", p.Total.Decimal, p.ID, max)
			}
			if i > 0 && p.Eligible && res.Projects[i-1].Rank.Compare(p.Rank) > 0 {
				t.Fatalf("rank goes down from %s to %s at %s", res.Projects[i-1].Rank, p.Rank, p.ID)
			}
		}
	})
}
