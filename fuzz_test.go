package afkar_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/exact"
	"github.com/afkarlab/afkar/ranking"
	"github.com/afkarlab/afkar/scoring"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

// FuzzDecode feeds the decoder anything. Properties: it never panics; an
// error is a list of problems, each with a path, a message and no code or
// one of scoring.Codes(), whose line holds no control character nor bidi
// control (it goes to a terminal); a decoded dataset evaluates, every published
// total lies in [0, total_max], and ranks never go down along the result.
func FuzzDecode(f *testing.F) {
	dirs, _ := filepath.Glob("testdata/conformance/*")
	for _, dir := range dirs {
		if data, err := os.ReadFile(filepath.Join(dir, "dataset.json")); err == nil && len(data) < 64<<10 {
			f.Add(data)
		}
	}
	// Group values and lists (SPEC.md section 7.1), valid and not.
	f.Add([]byte(`{"rubric": {"criteria": [{"id": "c", "weight": 1}]}, "ranking": {"group_by": "region", "groups": ["Dakhla", "agri", "Agri", ""]},
	  "projects": [{"id": "P1", "region": "Dakhla"}, {"id": "P2", "region": "dakhla"}], "scores": [{"judge": "J", "project": "P1", "criterion": "c", "score": 1}]}`))
	f.Add([]byte(`{"rubric": {"criteria": [{"id": "c", "weight": 1}]}, "ranking": {"group_by": "attributes.k", "groups": ["x"]},
	  "projects": [{"id": "P1", "attributes": {"k": "x"}}, {"id": "P2"}], "scores": [{"judge": "J", "project": "P1", "criterion": "c", "score": 1}]}`))
	// Free text that acts on a terminal or shows nothing (issue 16).
	f.Add([]byte(`{"ideathon": {"title": "\u001b[2J\u001b[HFAKE"}, "rubric": {"criteria": [{"id": "c", "weight": 1, "label": {"en": "\u202eyap"}}]},
	  "ranking": {"group_by": "attributes.k\u0000", "groups": ["\u2066x", "   "]},
	  "projects": [{"id": "P1", "title": "\u200b\u200c", "attributes": {"k\u202e": "\t"}}], "judges": [{"id": "J", "name": "a\nb"}],
	  "scores": [{"judge": "J", "project": "P1", "criterion": "c", "score": 1}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ds, err := afkar.Decode(data)
		// Decoded with NoValidate, then evaluated (as the WebAssembly
		// bridge does), the input gets Decode's problems, in its order.
		if lazy, lazyErr := (afkar.DecodeOptions{NoValidate: true}).Decode(data); err != nil && lazyErr == nil {
			_, lazyErr = afkar.Evaluate(context.Background(), lazy)
			if diff := cmp.Diff(err, lazyErr); diff != "" {
				t.Fatalf("problems (-Decode +NoValidate then Evaluate):\n%s", diff)
			}
		}
		if err != nil {
			ps, ok := err.(afkar.Problems)
			if !ok || len(ps) == 0 {
				t.Fatalf("error is not a list of problems: %T %v", err, err)
			}
			for _, p := range ps {
				if p.Path == "" || p.Message == "" {
					t.Fatalf("problem without a path or message: %+v", p)
				}
				// A problem's line goes to a terminal: it only shows.
				for _, r := range p.Error() {
					if r < 0x20 || 0x7f <= r && r < 0xa0 || 0x202a <= r && r <= 0x202e || 0x2066 <= r && r <= 0x2069 {
						t.Fatalf("problem holds %U: %q", r, p.Error())
					}
				}
				if p.Code != "" && !slices.Contains(scoring.Codes(), p.Code) {
					t.Fatalf("problem with a code missing from scoring.Codes(): %+v", p)
				}
			}
			return
		}
		res, err := afkar.Evaluate(context.Background(), ds)
		if err != nil {
			t.Fatalf("a decoded dataset does not evaluate: %v", err)
		}
		// Encoding and decoding again gives the same dataset.
		enc, err := ds.MarshalJSON()
		if err != nil {
			t.Fatalf("encoding: %v", err)
		}
		back, err := afkar.Decode(enc)
		if err != nil {
			t.Fatalf("the encoded dataset does not decode: %v\n%s", err, enc)
		}
		if back.Digest() != ds.Digest() {
			t.Fatalf("decode(encode(ds)) differs from ds:\n%s", enc)
		}
		// Reversing the scores changes nothing but the order of exclusions.
		rev := *ds
		reversed := ds.Scores.Slice()
		slices.Reverse(reversed)
		rev.Scores = scoring.ScoresOf(reversed...)
		res2, err := afkar.Evaluate(context.Background(), &rev)
		if err != nil {
			t.Fatalf("reversed scores do not evaluate: %v", err)
		}
		if a, b := projectsOnly(t, res), projectsOnly(t, res2); a != b {
			t.Fatalf("reversing the scores changed the result:\n%s\n%s", a, b)
		}
		max := ds.Rubric.TotalMax
		if max.IsZero() {
			max = decimal.NewFromInt(100)
		}
		for i, p := range res.Projects() {
			if p.Total.Valid && (p.Total.Num.Sign() < 0 || p.Total.Num.Cmp(exact.FromDecimal(max)) > 0) {
				t.Fatalf("total %s of %s outside [0, %s]", p.Total.Num, p.ID, max)
			}
			if i > 0 && p.Eligible && res.Project(i-1).Rank.Compare(p.Rank) > 0 {
				t.Fatalf("rank goes down from %s to %s at %s", res.Project(i-1).Rank, p.Rank, p.ID)
			}
			// Ranks follow the style: a tied pair (decided_by null) shares a
			// rank except under ordinal; a decided pair never does.
			if i > 0 && p.Eligible {
				prev := res.Project(i - 1)
				tied := prev.DecidedBy == ""
				same := prev.Rank.Compare(p.Rank) == 0
				if style := ds.Ranking.Style; style != ranking.Ordinal && tied != same {
					t.Fatalf("%s and %s: tied=%t but same rank=%t under %q", prev.ID, p.ID, tied, same, style)
				}
			}
		}
	})
}

// projectsOnly returns the result's JSON without the excluded scores and
// the digest, which keep the input order of scores.
func projectsOnly(t *testing.T, res *afkar.Result) string {
	r := *res
	r.Excluded, r.InputDigest = nil, ""
	b, err := r.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// FuzzDecodeSheet: a sheet, JSON or CSV, decodes or gives problems that
// each name a place; a decoded sheet merges into a dataset without a panic.
func FuzzDecodeSheet(f *testing.F) {
	f.Add([]byte(`{"judge": "J1", "seq": 2, "scores": [{"judge": "J1", "project": "P1", "criterion": "c", "score": "10"}]}`))
	f.Add([]byte("project,judge,criterion,score,seq\nP1,J1,c,10,2\n"))
	f.Add([]byte("\ufeffproject,judge,criterion,score\r\nP1,J1,c,\"1,5\"\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, decode := range []func([]byte) (*afkar.Sheet, error){afkar.DecodeSheet, afkar.DecodeSheetCSV} {
			sh, err := decode(data)
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
				continue
			}
			ds, err := afkar.DecodeOptions{Partial: true}.Decode([]byte(`{"rubric": {"criteria": [{"id": "c", "weight": "1"}]}}`))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := ds.MergeSheets([]*afkar.Sheet{sh, sh}); err == nil && sh.Seq > 0 && ds.Scores.Len() > len(sh.Scores) {
				t.Fatalf("a sheet merged twice holds %d scores, more than its %d", ds.Scores.Len(), len(sh.Scores))
			}
		}
	})
}
