package afkar

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/afkarlab/afkar/scoring"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// deferredCases are datasets where the scores and projects, read one at a
// time from the input, could differ from the tree of the whole input:
// members in any order, twice, of the wrong type, holding what is not an
// object, past a limit, or malformed.
var deferredCases = []struct{ name, json string }{
	{"scores first", `{"scores": [{"judge": "J1", "project": "P1", "criterion": "c", "score": 7}], "projects": [{"id": "P1"}],
		"rubric": {"criteria": [{"id": "c", "weight": 1}]}}`},
	{"projects first, extra keys", `{"projects": [{"id": "P1", "x": 1, "attributes": {"a": "b", "a": "c"}}, {"title": "no id"}],
		"rubric": {"criteria": [{"id": "c", "weight": 1}]}, "scores": [{"judge": "J1", "project": "P1", "criterion": "c", "score": "7.50", "extra": null}]}`},
	{"duplicate scores", `{"rubric": {"criteria": [{"id": "c", "weight": 1}]}, "projects": [{"id": "P1"}],
		"scores": [{"judge": "J1", "project": "P1", "criterion": "c", "score": 7}], "scores": [{"bad": 1}]}`},
	{"duplicate projects", `{"projects": [], "projects": [1], "scores": [], "rubric": {"criteria": [{"id": "c", "weight": 1}]}}`},
	{"scores not an array", `{"rubric": {"criteria": [{"id": "c", "weight": 1}]}, "projects": {"id": "P1"}, "scores": {"judge": "J1"}}`},
	{"elements not objects", `{"rubric": {"criteria": [{"id": "c", "weight": 1}]}, "projects": ["P1", null, [{"id": "P2"}]],
		"scores": [1, "x", true, null, [], [{"judge": "J1"}], {}]}`},
	{"fields of the wrong type", `{"rubric": {"criteria": [{"id": "c", "weight": 1}]}, "projects": [{"id": 1, "submitted_at": "yesterday"}],
		"scores": [{"judge": 1, "project": ["P1"], "criterion": {}, "score": "abc"}, {"judge": "J", "project": "P1", "criterion": "c", "score": 1e999999},
		{"judge": "J", "project": "P1", "criterion": "c", "score": 123456789012345678901234567890123456789012345678901234567890}]}`},
	{"keys to quote", `{"rubric": {"criteria": [{"id": "c", "weight": 1}]}, "projects": [{"id": "P1", "a b": 1, "": 2}],
		"scores": [{"judge": "J1", "project": "P1", "criterion": "c", "score": 7, "\u202e": 1, "x.y": 2, "score": 8}]}`},
	{"escapes", `{"rubric": {"criteria": [{"id": "c", "weight": 1}]}, "projects": [{"id": "P\u00e91"}],
		"scores": [{"judge": "J\"1", "project": "P\u00e91", "criterion": "c", "score": "7"}]}`},
	{"almost plain scores", `{"rubric": {"criteria": [{"id": "c", "weight": 1}]}, "projects": [{"id": "P1"}], "scores": [
		{"judge": "J1", "project": "P1", "criterion": "c", "score": 7},
		{"judge": 1, "project": "P1", "criterion": "c", "score": 7},
		{"judge": "J1", "judge": "J2", "criterion": "c", "score": 7},
		{"judge": "J1", "project": "P1", "criterion": "c", "score": 7, "score": 8},
		{"judge": "J1", "project": "P1", "criterion": "c", "score": "7", "score": "x"},
		{"judge": "J1", "project": "P1", "criterion": "c", "scores": 7},
		{"judge": "J1", "project": "P1", "criterion": "c", "score": true},
		{"judge": "J1", "project": "P1", "criterion": "c", "score": "1e40"},
		{"judge": "J1", "project": "P1", "criterion": null, "score": "7"},
		{"judge": "J1", "project": "P1", "score": "7.0", "criterion": "c"},
		{"project": "P1", "judge": "J2", "criterion": "c"}]}`},
	{"flat scores", `{"rubric": {"criteria": [{"id": "c", "weight": 1}, {"id": "مشروع", "weight": 1}]},
		"projects": [{"id": "P1"}, {"id": "P\u00e92"}, {"id": "Pé3"}], "scores": [` + flatScores + `]}`},
	{"flat scores past the batch", `{"rubric": {"criteria": [{"id": "c", "weight": 1}, {"id": "مشروع", "weight": 1}]},
		"projects": [{"id": "P1"}, {"id": "P\u00e92"}, {"id": "Pé3"}], "scores": [` +
		strings.Repeat(flatScores+", ", 12) + `{"judge": "J1", "project": "P1", "criterion": "c", "score": 7}]}`},
	{"many problems", `{"rubric": {"criteria": [{"id": "c", "weight": 1}]}, "projects": [{"id": "P1"}], "scores": [` +
		strings.Repeat(`{"judge": 1}, `, 400) + `{}]}`},
	{"empty", `{"scores": [], "projects": [], "rubric": {"criteria": []}}`},
	{"no scores", `{"projects": [{"id": "P1"}], "rubric": {"criteria": [{"id": "c", "weight": 1}]}}`},
	{"root an array", `[{"scores": [1]}]`},
	{"nested scores", `{"ideathon": {"scores": [1]}, "ranking": {"groups": [], "scores": []}, "scores": [], "projects": [], "rubric": {"criteria": []}}`},
	{"malformed in scores", `{"rubric": {}, "scores": [{"judge": "J1",}]}`},
	{"deep in scores", `{"scores": [[[[[[[[1]]]]]]]]}`},
	{"long string in scores", `{"scores": [{"judge": "` + strings.Repeat("j", 80) + `"}]}`},
	{"truncated", `{"scores": [{"judge": "J1"}`},
}

// flatScores are scores that jsontree.Reader.Flat reads, and others as
// close to them as can be: what decoder.flatScore reads, or leaves to
// the tree, and the problems they make, if any.
const flatScores = `{"judge": "J1", "project": "P1", "criterion": "c", "score": "12.5"},
	{"judge":"J1","project":"P1","criterion":"c","score":12.5},
	{ "score" : 7 ,"criterion"` + "\t:\r\n" + `"c", "project": "P1", "judge": "J2" },
	{"project": "P1", "score": "7.50", "judge": "J2", "criterion": "c"},
	{"judge": "J3", "project": "Pé3", "criterion": "مشروع", "score": "0"},
	{"judge": "J3", "project": "P\u00e92", "criterion": "c", "score": "1"},
	{"judge": "J\u0033", "project": "P1", "criterion": "c", "score": "1"},
	{"judg\u0065": "J3", "project": "P1", "criterion": "c", "score": "1"},
	{"judge": "J3", "project": "P1", "criterion": "c", "score": 1e1},
	{"judge": "J3", "project": "P1", "criterion": "c", "score": 1.5E0},
	{"judge": "J3", "project": "P1", "criterion": "c", "score": -0},
	{"judge": "J3", "project": "P1", "criterion": "c", "score": -2.5},
	{"judge": "J3", "project": "P1", "criterion": "c", "score": "-0.0"},
	{"judge": "J3", "project": "P1", "criterion": "c", "score": "+1"},
	{"judge": "J3", "project": "P1", "criterion": "c", "score": " 1"},
	{"judge": "J3", "project": "P1", "criterion": "c", "score": ""},
	{"judge": "J3", "project": "P1", "criterion": "c", "score": "1e1"},
	{"judge": "J3", "project": "P1", "criterion": "c", "score": "1,5"},
	{"judge": "J3", "project": "P1", "criterion": "c", "score": "abc"},
	{"judge": "J3", "project": "P1", "criterion": "c", "score": "123456789012345678901234567890"},
	{"judge": "J3", "project": "P1", "criterion": "c", "score": 123456789012345678901234567890},
	{"judge": "J3", "project": "P1", "criterion": "c", "score": null},
	{"judge": "J3", "project": "P1", "criterion": "c", "score": true},
	{"judge": "J3", "project": "P1", "criterion": "c", "score": {}},
	{"judge": "J3", "project": "P1", "criterion": 1, "score": "1"},
	{"judge": "", "project": "", "criterion": "", "score": "1"},
	{"judge": "J3", "project": "P1", "criterion": "c"},
	{"judge": "J3", "project": "P1", "criterion": "c", "score": "1", "x": "y"},
	{"judge": "J3", "project": "P1", "criterion": "c", "note": "1"},
	{"judge": "J3", "project": "P1", "criterion": "c", "score": "1", "score": "2"},
	{"judge": "J3", "judge": "J4", "criterion": "c", "score": "1"},
	{"judge": "J3", "project": "P1", "criterion": "c", "Score": "1"},
	{"judge": "J3", "project": "P1", "criterion": "c", "score": "1", "judge": "J3", "project": "P1", "criterion": "c", "score": "1"},
	{}, [], "J1", 7, null,
	{"judge": "` + "0123456789012345678901234567890123456789012345678901234567890123" + `", "project": "P1", "criterion": "c", "score": "2"},
	{"judge": "J5", "project": "P1", "criterion": "c", "score": "20.5"},
	{"judge": "J5", "project": "P9", "criterion": "d", "score": "3"}`

// deferredLimits are the limits the cases run under, besides the
// defaults: small enough for the cases to reach them.
var deferredLimits = []Limits{
	{},
	{MaxScores: 2, MaxProjects: 1},
	{MaxDepth: 6, MaxStringBytes: 64, MaxDecimalDigits: 20, MaxJudges: 1},
}

// TestDecodeDeferred checks that reading the scores and projects one at a
// time, as Decode does, gives what the tree of the whole input gave: the
// same dataset, or the same problems in the same order.
func TestDecodeDeferred(t *testing.T) {
	for _, c := range deferredCases {
		t.Run(c.name, func(t *testing.T) { checkDeferred(t, []byte(c.json)) })
	}
	dirs, err := filepath.Glob("testdata/conformance/*/dataset.json")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no conformance datasets: %v", err)
	}
	for _, path := range dirs {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(path, func(t *testing.T) { checkDeferred(t, data) })
	}
}

func FuzzDecodeDeferred(f *testing.F) {
	for _, c := range deferredCases {
		f.Add([]byte(c.json))
	}
	paths, _ := filepath.Glob("testdata/conformance/*/dataset.json")
	for _, path := range paths {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkDeferred(t, data) })
}

// FuzzDecodeScores checks scores read as Decode reads them against the
// tree of the whole input, as FuzzDecodeDeferred does, with the input
// only inside the array of scores of a dataset, twice, so that most of
// what the fuzzer writes gets as far as decoder.flatScore.
func FuzzDecodeScores(f *testing.F) {
	f.Add([]byte(`{"judge": "J1", "project": "P1", "criterion": "c", "score": "12.5"}`))
	for s := range strings.SplitSeq(flatScores, "},") {
		f.Add([]byte(strings.TrimSpace(s) + "}"))
	}
	f.Fuzz(func(t *testing.T, scores []byte) {
		data := `{"rubric": {"criteria": [{"id": "c", "weight": 1}]}, "projects": [{"id": "P1"}], "scores": [` +
			string(scores) + `, {"judge": "J1", "project": "P1", "criterion": "c", "score": 7}, ` + string(scores) + `]}`
		checkDeferred(t, []byte(data))
	})
}

func checkDeferred(t *testing.T, data []byte) {
	t.Helper()
	for _, lim := range deferredLimits {
		for _, partial := range []bool{false, true} {
			tree := DecodeOptions{Partial: partial, Limits: lim, keepArrays: true}
			deferred := DecodeOptions{Partial: partial, Limits: lim}
			want, wantErr := tree.Decode(data)
			got, gotErr := deferred.Decode(data)
			if (wantErr == nil) != (gotErr == nil) {
				t.Fatalf("partial %t, %+v: error %v, want %v", partial, lim, gotErr, wantErr)
			}
			if diff := cmp.Diff(problemsOf(wantErr), problemsOf(gotErr)); diff != "" {
				t.Fatalf("partial %t, %+v: problems (-tree +deferred):\n%s", partial, lim, diff)
			}
			if (want == nil) != (got == nil) {
				t.Fatalf("partial %t, %+v: dataset %v, want %v", partial, lim, got != nil, want != nil)
			}
			if want == nil {
				continue
			}
			if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(Dataset{}, "Scores")); diff != "" {
				t.Fatalf("partial %t, %+v: dataset (-tree +deferred):\n%s", partial, lim, diff)
			}
			if empty := (scoring.Scores{}); (want.Scores == empty) != (got.Scores == empty) {
				t.Fatalf("partial %t, %+v: a table of scores: %t, want %t", partial, lim, got.Scores != empty, want.Scores != empty)
			}
			if diff := cmp.Diff(want.Scores.Slice(), got.Scores.Slice()); diff != "" {
				t.Fatalf("partial %t, %+v: scores (-tree +deferred):\n%s", partial, lim, diff)
			}
		}
	}
}

// problemsOf returns the problems of err, a Problems or nil.
func problemsOf(err error) Problems {
	ps, ok := err.(Problems)
	if !ok && err != nil {
		return Problems{{Message: "not Problems: " + err.Error()}}
	}
	return ps
}
