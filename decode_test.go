package afkar_test

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/scoring"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
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

// codesOf returns the code and parameters of each problem, as
// "code name=value ..." with the names in order.
func codesOf(t *testing.T, err error) []string {
	t.Helper()
	var ps afkar.Problems
	require.True(t, errors.As(err, &ps), "want Problems, got %v", err)
	var out []string
	for _, p := range ps {
		s := string(p.Code)
		for _, k := range slices.Sorted(maps.Keys(p.Params)) {
			s += " " + k + "=" + p.Params[k]
		}
		out = append(out, s)
	}
	return out
}

func TestDecodeProblems(t *testing.T) {
	tests := []struct {
		name                   string
		rubric, project, score string
		want                   []string
		codes                  []string // each problem's codesOf
	}{
		{"duplicate key", "", "", `"1", "score": "2"`, []string{`scores[0].score: duplicate key "score"`},
			[]string{"json.duplicate_key key=score"}},
		{"boolean score", "", "", `true`, []string{`scores[0].score: expected a decimal (a number or a string such as "15.5"), found a boolean (true)`},
			[]string{"json.type expected=decimal found=boolean"}},
		{"number with exponent is read from its text", "", "", `155e-1`, nil, nil},
		{"huge exponent", "", "", `1e400`, []string{`scores[0].score: "1e400" is out of range: its magnitude must lie within 1e-60 and 1e60`},
			[]string{"decimal.magnitude max=60 text=1e400"}},
		{"decimal comma", "", "", `"14,5"`, []string{`scores[0].score: "14,5" is not a decimal: unexpected ","`},
			[]string{"decimal.syntax found=, text=14,5"}},
		{"Arabic decimal separator", "", "", `"14٫5"`, []string{`scores[0].score: "14٫5" is not a decimal: unexpected "\xd9"`},
			[]string{"decimal.syntax found=٫ text=14٫5"}},
		{"not a number", "", "", `"abc"`, []string{`scores[0].score: "abc" is not a decimal: expected a digit before the point`},
			[]string{"decimal.syntax text=abc"}},
		{"empty score", "", "", `""`, []string{`scores[0].score: empty string is not a decimal`}, []string{"decimal.empty"}},
		{"NaN", "", "", `"NaN"`, []string{`scores[0].score: "NaN" is not allowed, expected a finite decimal`},
			[]string{"decimal.not_finite text=NaN"}},
		{"too many digits", "", "", `"` + strings.Repeat("1", 65) + `"`,
			[]string{`scores[0].score: "11111111111111111111…1111111111" has 65 significant digits, more than the 64 a decimal may have`},
			[]string{"decimal.digits digits=65 max=64 text=11111111111111111111…1111111111"}},
		{"integer field given a fraction", `, "min_judges": 1.5`, "", `"1"`, []string{`rubric.min_judges: expected an integer >= 1, found 1.5`},
			[]string{"integer.range min=1 value=1.5"}},
		{"integer field given a string", `, "rounding": {"places": "2", "mode": "down"}`, "", `"1"`, []string{`rubric.rounding.places: expected an integer 0 to 12, found the string "2"`},
			[]string{"json.type expected=integer found=string"}},
		{"places out of range", `, "rounding": {"places": 13, "mode": "down"}`, "", `"1"`, []string{`rubric.rounding.places: expected an integer 0 to 12, found 13`},
			[]string{"integer.range max=12 min=0 value=13"}},
		{"unknown method", `, "aggregation": {"method": "mode"}`, "", `"1"`, []string{`rubric.aggregation.method: expected one of mean, median, trimmed_mean, zscore, found "mode"`},
			[]string{"enum.invalid allowed=mean, median, trimmed_mean, zscore found=mode"}},
		{"attributes must be strings", "", `, {"id": "P2", "attributes": {"women_led": true}}`, `"1"`, []string{`projects[1].attributes.women_led: expected a string, found a boolean (true)`},
			[]string{"json.type expected=string found=boolean"}},
		{"unknown key inside attributes is fine", "", `, {"id": "P2", "attributes": {"anything": "x"}}`, `"1"`, nil, nil},
		{"bad project id", "", `, {"id": "-P2"}`, `"1"`, []string{`projects[1].id: "-P2" is not an id (expected a letter or digit, then up to 63 of A-Z, a-z, 0-9, '.', '_' and '-')`},
			[]string{"project.invalid_id id=-P2"}},
		{"criterion range from the scale", `, "scale": {"min": "1", "max": "5"}`, "", `"0"`, []string{`scores[0].score: 0 is below the minimum 1 of criterion "social"`},
			[]string{"score.below_min criterion=social max=5 min=1 value=0"}},
		{"off the step", `, "scale": {"step": "0.5"}`, "", `"14.30"`, []string{`scores[0].score: 14.3 is not min 0 plus a whole multiple of step 0.5 of criterion "social"`},
			[]string{"score.step above=14.5 below=14 criterion=social max=20 min=0 step=0.5 value=14.3"}},
		{"unknown key", `, "weigths": "exact"`, "", `"1"`, []string{`rubric.weigths: unknown key "weigths" (expected one of criteria, scale, weights, aggregation, min_judges, total_max, total_threshold, rounding)`},
			[]string{"json.unknown_key expected=criteria, scale, weights, aggregation, min_judges, total_max, total_threshold, rounding key=weigths"}},
		{"missing project id", "", `, {"title": "x"}`, `"1"`, []string{`projects[1].id: required, missing`}, []string{"field.required field=id"}},
		{"bad timestamp", "", `, {"id": "P2", "submitted_at": "yesterday"}`, `"1"`, []string{`projects[1].submitted_at: "yesterday" is not an RFC 3339 timestamp (expected e.g. 2025-04-16T09:30:00Z)`},
			[]string{"time.invalid text=yesterday"}},
		{"total_max of zero", `, "total_max": 0`, "", `"1"`, []string{`rubric.total_max: expected a decimal > 0, found 0`}, []string{"total_max.not_positive value=0"}},
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
			if diff := cmp.Diff(tt.codes, codesOf(t, err)); diff != "" {
				t.Errorf("codes (-want +got):\n%s", diff)
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
	require.Equal(t, []string{"field.required field=rubric", "field.required field=projects", "field.required field=scores",
		"format.unsupported expected=afkar/1 found=afkar/2"}, codesOf(t, err))
	_, err = afkar.Decode([]byte(`[]`))
	require.Equal(t, []string{`$: expected an object, found an array`}, problemsOf(t, err))
	require.Equal(t, []string{"json.type expected=object found=array"}, codesOf(t, err))
}

func TestDecodeMalformed(t *testing.T) {
	_, err := afkar.Decode([]byte("{\n  \"rubric\": {,\n}"))
	require.Equal(t, []string{`$: malformed JSON: line 2, column 14: expected a string key or '}' after '{', found ','`}, problemsOf(t, err))
	require.Equal(t, []string{"json.syntax column=14 line=2"}, codesOf(t, err))
	_, err = afkar.DecodeOptions{Limits: afkar.Limits{MaxBytes: 10}}.Decode([]byte(`{"rubric": {}}`))
	require.Equal(t, []string{"input.too_large bytes=14 max=10"}, codesOf(t, err))
}

func TestValidateRankingCodes(t *testing.T) {
	_, err := afkar.Decode([]byte(`{
  "rubric": {"criteria": [{"id": "social", "weight": "1"}]},
  "ranking": {"tie_break": ["criterion:pitch", "criterion:", "lottery:", "coin"], "style": "olympic", "top": 0, "group_by": "town"},
  "projects": [{"id": "P1"}],
  "scores": [{"judge": "J1", "project": "P1", "criterion": "social", "score": "1"}]
}`))
	require.Equal(t, []string{
		`ranking.tie_break[1]: rule "criterion:" names no criterion (expected criterion:<id>)`,
		`ranking.tie_break[2]: rule "lottery:" has an empty seed (expected lottery:<seed>)`,
		`ranking.tie_break[3]: unknown tie-break rule "coin" (expected criterion:<id>, head_to_head, submitted_at, id or lottery:<seed>)`,
		`ranking.top: expected an integer >= 1, found 0`,
		`ranking.tie_break[0]: rule "criterion:pitch" names an unknown criterion "pitch"`,
		`ranking.style: expected one of competition, modified, dense, ordinal, fractional, found "olympic"`,
		`ranking.group_by: expected region, sector, cooperative or attributes.<key>, found "town"`,
	}, problemsOf(t, err))
	require.Equal(t, []string{
		"rule.no_criterion rule=criterion:",
		"rule.empty_seed rule=lottery:",
		"rule.unknown rule=coin",
		"integer.range min=1 value=0",
		"rule.unknown_criterion criterion=pitch rule=criterion:pitch",
		"enum.invalid allowed=competition, modified, dense, ordinal, fractional found=olympic",
		"enum.invalid allowed=region, sector, cooperative, attributes.<key> found=town",
	}, codesOf(t, err))
}

// TestProblemAt: errors of the engine's readers keep their code; others
// keep their message.
func TestProblemAt(t *testing.T) {
	r := &scoring.Rubric{Criteria: []scoring.Criterion{{ID: "social", Weight: decimal.NewFromInt(1)}}}
	err := r.CheckScore(0, decimal.NewFromInt(21))
	require.Equal(t, afkar.Problem{Path: "scores.social", Message: `21 is above the maximum 20 of criterion "social"`,
		Code: scoring.CodeScoreAboveMax, Params: scoring.Params{"value": "21", "criterion": "social", "min": "0", "max": "20"}},
		afkar.ProblemAt("scores.social", err))
	require.Equal(t, afkar.Problem{Path: "$", Message: "boom"}, afkar.ProblemAt("$", errors.New("boom")))
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

// TestDecodeKeyProblems pins the order and the paths of the problems with
// keys: an unknown key once, then each repeat of it as a duplicate; keys
// that are not plain names in brackets; a decimal read once and met again
// (the decoder keeps the decimals it has read).
func TestDecodeKeyProblems(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{{
		name: "unknown and duplicate keys",
		in:   `{"rubric": {"criteria": [{"id": "a", "weight": 1, "x": 1, "x": 2, "weight": 3}]}, "projects": [], "scores": [], "zz": 1, "zz": 2, "scores": 3}`,
		want: []string{
			`rubric.criteria[0].x: unknown key "x" (expected one of id, label, weight, min, max, step, threshold)`,
			`rubric.criteria[0].x: duplicate key "x"`,
			`rubric.criteria[0].weight: duplicate key "weight"`,
			`zz: unknown key "zz" (expected one of format, ideathon, rubric, ranking, projects, judges, scores)`,
			`zz: duplicate key "zz"`,
			`scores: duplicate key "scores"`,
		},
	}, {
		name: "keys that are not plain names",
		in:   `{"rubric": {"criteria": [{"id": "a", "weight": 1}]}, "projects": [{"id": "p", "a b": 1, "": 2, "é": 3}], "scores": [{"judge": 1, "project": "p", "criterion": "a", "score": "x", "score": "1", "q": 1}]}`,
		want: []string{
			`projects[0]["a b"]: unknown key "a b" (expected one of id, title, region, sector, cooperative, submitted_at, attributes)`,
			`projects[0][""]: unknown key "" (expected one of id, title, region, sector, cooperative, submitted_at, attributes)`,
			`projects[0].é: unknown key "é" (expected one of id, title, region, sector, cooperative, submitted_at, attributes)`,
			`scores[0].judge: expected a string, found the number 1`,
			`scores[0].score: "x" is not a decimal: expected a digit before the point`,
			`scores[0].score: duplicate key "score"`,
			`scores[0].q: unknown key "q" (expected one of judge, project, criterion, score)`,
		},
	}, {
		name: "a bad decimal met twice",
		in:   `{"rubric": {"criteria": [{"id": "a", "weight": 1}]}, "projects": [{"id": "p"}], "scores": [{"judge": "j", "project": "p", "criterion": "a", "score": "1.50"}, {"judge": "k", "project": "p", "criterion": "a", "score": 1.50}, {"judge": "l", "project": "p", "criterion": "a", "score": "1e400"}, {"judge": "m", "project": "p", "criterion": "a", "score": "1e400"}]}`,
		want: []string{
			`scores[2].score: "1e400" is out of range: its magnitude must lie within 1e-60 and 1e60`,
			`scores[3].score: "1e400" is out of range: its magnitude must lie within 1e-60 and 1e60`,
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := afkar.Decode([]byte(tt.in))
			if diff := cmp.Diff(tt.want, problemsOf(t, err)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}
