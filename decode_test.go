package afkar_test

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/scoring"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// minimal is a valid dataset to which the decoder tests add one mistake.
const minimal = `{
  "rubric": {"criteria": [{"id": "social", "weight": "1"}]%s},
  "projects": [{"id": "P1"}%s],
  "scores": [{"judge": "J1", "project": "P1", "criterion": "social", "score": %s}]
}`

func problemsOf(t *testing.T, err error) []string {
	t.Helper()
	var ps afkar.Problems
	require.True(t, errors.As(err, &ps), "want Problems, got %v", err)
	var out []string
	for _, p := range ps {
		out = append(out, p.Error())
	}
	return out
}

func TestDecodeProblems(t *testing.T) {
	tests := []struct {
		name                   string
		rubric, project, score string
		want                   []string
	}{
		{"duplicate key", "", "", `"1", "score": "2"`, []string{`scores[0].score: duplicate key "score"`}},
		{"boolean score", "", "", `true`, []string{`scores[0].score: expected a decimal (a number or a string such as "15.5"), found a boolean (true)`}},
		{"number with exponent is read from its text", "", "", `155e-1`, nil},
		{"huge exponent", "", "", `1e400`, []string{`scores[0].score: "1e400" is out of range: its magnitude must lie within 1e-60 and 1e60`}},
		{"integer field given a fraction", `, "min_judges": 1.5`, "", `"1"`, []string{`rubric.min_judges: expected an integer >= 1, found 1.5`}},
		{"integer field given a string", `, "rounding": {"places": "2", "mode": "down"}`, "", `"1"`, []string{`rubric.rounding.places: expected an integer 0 to 12, found the string "2"`}},
		{"unknown method", `, "aggregation": {"method": "mode"}`, "", `"1"`, []string{`rubric.aggregation.method: expected one of mean, median, trimmed_mean, zscore, found "mode"`}},
		{"attributes must be strings", "", `, {"id": "P2", "attributes": {"women_led": true}}`, `"1"`, []string{`projects[1].attributes.women_led: expected a string, found a boolean (true)`}},
		{"unknown key inside attributes is fine", "", `, {"id": "P2", "attributes": {"anything": "x"}}`, `"1"`, nil},
		{"bad project id", "", `, {"id": "-P2"}`, `"1"`, []string{`projects[1].id: "-P2" is not an id (expected a letter or digit, then up to 63 of A-Z, a-z, 0-9, '.', '_' and '-')`}},
		{"criterion range from the scale", `, "scale": {"min": "1", "max": "5"}`, "", `"0"`, []string{`scores[0].score: 0 is below the minimum 1 of criterion "social"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := strings.Replace(minimal, "%s", tt.rubric, 1)
			data = strings.Replace(data, "%s", tt.project, 1)
			data = strings.Replace(data, "%s", tt.score, 1)
			_, err := afkar.Decode([]byte(data))
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			if diff := cmp.Diff(tt.want, problemsOf(t, err)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeMissingParts(t *testing.T) {
	_, err := afkar.Decode([]byte(`{"format": "afkar/2"}`))
	require.Equal(t, []string{
		`rubric: required, missing`, `projects: required, missing`, `scores: required, missing`,
		`format: expected "afkar/1", found "afkar/2"`,
	}, problemsOf(t, err), "no second report under a missing rubric")
	_, err = afkar.Decode([]byte(`[]`))
	require.Equal(t, []string{`$: expected an object, found an array`}, problemsOf(t, err))
}

func TestDecodeMalformed(t *testing.T) {
	_, err := afkar.Decode([]byte("{\n  \"rubric\": {,\n}"))
	require.Equal(t, []string{`$: malformed JSON: line 2, column 14: expected a string key or '}' after '{', found ','`}, problemsOf(t, err))
}

func TestDigest(t *testing.T) {
	a := `{"rubric": {"criteria": [{"id": "c", "weight": "1"}]}, "projects": [{"id": "P"}],
	       "scores": [{"judge": "J", "project": "P", "criterion": "c", "score": "15.50"}]}`
	// Same data: other key order, whitespace, decimal spelling and defaults.
	b := `{"scores":[{"score":155e-1,"criterion":"c","project":"P","judge":"J"}],"projects":[{"id":"P"}],
	       "rubric":{"weights":"exact","criteria":[{"weight":1.0,"id":"c","min":"0","max":"20"}]},"format":"afkar/1"}`
	c := strings.Replace(a, "15.50", "15.00", 1)
	digest := func(s string) string {
		ds, err := afkar.Decode([]byte(s))
		require.NoError(t, err)
		return ds.Digest()
	}
	require.Equal(t, digest(a), digest(b))
	require.NotEqual(t, digest(a), digest(c))
	require.True(t, strings.HasPrefix(digest(a), "sha256:"))
}

// TestPermutationInvariance: permuting scores changes nothing but the
// order of excluded scores; permuting projects changes only the order of
// projects still tied at the end and of ineligible ones, which the spec
// ties to input order.
func TestPermutationInvariance(t *testing.T) {
	data, err := os.ReadFile("testdata/conformance/037/dataset.json")
	require.NoError(t, err)
	ds, err := afkar.Decode(data)
	require.NoError(t, err)
	want, err := afkar.Evaluate(context.Background(), ds)
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(3, 4))
	for range 5 {
		shuffled := *ds
		ss := ds.Scores.Slice()
		rng.Shuffle(len(ss), func(i, j int) { ss[i], ss[j] = ss[j], ss[i] })
		shuffled.Scores = scoring.ScoresOf(ss...)
		got, err := afkar.Evaluate(context.Background(), &shuffled)
		require.NoError(t, err)
		require.ElementsMatch(t, want.Excluded, got.Excluded)
		if diff := cmp.Diff(projectsJSON(t, want), projectsJSON(t, got)); diff != "" {
			t.Fatalf("projects changed when scores were shuffled (-want +got):\n%s", diff)
		}
	}
}

func TestResultJSONRoundTrips(t *testing.T) {
	data, err := os.ReadFile("testdata/conformance/001/dataset.json")
	require.NoError(t, err)
	ds, err := afkar.Decode(data)
	require.NoError(t, err)
	res, err := afkar.Evaluate(context.Background(), ds)
	require.NoError(t, err)
	b, err := json.Marshal(res)
	require.NoError(t, err)
	var generic map[string]any
	require.NoError(t, json.Unmarshal(b, &generic), "the result is valid JSON")
	require.Equal(t, "afkar-result/1", generic["format"])
	require.Equal(t, ds.Digest(), generic["input_digest"])
}

// projectsJSON returns the result's JSON without the excluded scores, one
// project a line.
func projectsJSON(t *testing.T, res *afkar.Result) []string {
	t.Helper()
	r := *res
	r.Excluded = nil
	r.InputDigest = "" // covers the order of scores, which the output keeps for exclusions
	b, err := r.MarshalJSON()
	require.NoError(t, err)
	return strings.Split(string(b), "\n")
}
