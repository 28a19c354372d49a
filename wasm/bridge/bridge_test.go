package bridge

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/internal/sample"
	"github.com/afkarlab/afkar/tour"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// These tests run on the host and, unchanged, under GOOS=js GOARCH=wasm
// (see .ci/run). The golden digests of every conformance result are
// written on the host with -update; the WebAssembly run must reproduce
// them byte for byte.

var update = flag.Bool("update", false, "rewrite testdata/evaluate.golden from this platform's results")

const golden = "testdata/evaluate.golden"

func TestEvaluateGolden(t *testing.T) {
	dirs, err := filepath.Glob("../../testdata/conformance/*")
	require.NoError(t, err)
	inputs := map[string][]byte{"sample": Sample()}
	var names []string
	for _, dir := range dirs {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			continue // README.md, index.json
		}
		data, err := os.ReadFile(filepath.Join(dir, "dataset.json"))
		require.NoError(t, err)
		inputs[filepath.Base(dir)] = data
	}
	for name := range inputs {
		names = append(names, name)
	}
	slicesSort(names)
	got := map[string]string{}
	var lines []string
	for _, name := range names {
		out := Evaluate(inputs[name])
		sum := sha256.Sum256(out)
		got[name] = hex.EncodeToString(sum[:])
		lines = append(lines, name+" "+got[name])
	}
	if *update {
		require.Equal(t, "amd64", runtime.GOARCH, "write the golden file on the host")
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(golden, []byte(strings.Join(lines, "\n")+"\n"), 0o644))
		return
	}
	f, err := os.Open(golden)
	require.NoError(t, err, "run go test -update on the host first")
	defer f.Close()
	want := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, sum, _ := strings.Cut(sc.Text(), " ")
		want[name] = sum
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("results differ from the host's (%s/%s) (-host +here):\n%s", runtime.GOOS, runtime.GOARCH, diff)
	}
}

func slicesSort(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func problems(t *testing.T, answer []byte) []string {
	t.Helper()
	var ans struct {
		Error *struct {
			Problems []struct{ Path, Message string } `json:"problems"`
		} `json:"error"`
	}
	require.NoError(t, json.Unmarshal(answer, &ans), "answer is JSON: %s", answer)
	require.NotNil(t, ans.Error, "want an error answer, got %s", answer)
	var out []string
	for _, p := range ans.Error.Problems {
		out = append(out, p.Path+": "+p.Message)
	}
	return out
}

func TestErrorsAreAnswers(t *testing.T) {
	require.Equal(t, []string{`$: malformed JSON: line 1, column 1: empty input: expected a JSON value`}, problems(t, Evaluate(nil)))
	require.Equal(t, []string{`$: malformed JSON: line 1, column 2: unexpected end of input: unterminated object starting at line 1, column 1`}, problems(t, Validate([]byte("{"))))
	bad, err := os.ReadFile("../../testdata/conformance/bad-024/dataset.json")
	require.NoError(t, err)
	require.Len(t, problems(t, Evaluate(bad)), 7)
	require.Equal(t, `{"valid": true}`, string(Validate(Sample())))
}

const rubric = `{"criteria": [{"id": "social", "weight": "0.6"}, {"id": "youth", "weight": "0.4", "max": "10", "step": "0.5"}]}`

func TestScore(t *testing.T) {
	out := Score([]byte(`{"rubric": ` + rubric + `, "scores": {"social": "15.5", "youth": ""}}`))
	var got SheetScore
	require.NoError(t, json.Unmarshal(out, &got), string(out))
	// social: 100 · 0.6 · 15.5/20 = 46.5; youth not scored yet.
	require.Equal(t, "46.50", *got.Total)
	require.False(t, got.Complete)
	require.Equal(t, "46.50", *got.Criteria[0].Contribution)
	require.Nil(t, got.Criteria[1].Contribution)
	require.Equal(t, "40.00", got.Criteria[1].ContributionMax)
	require.Equal(t, "0.5", *got.Criteria[1].Step)

	out = Score([]byte(`{"rubric": ` + rubric + `, "scores": {"social": 20, "youth": "7.5"}}`))
	require.NoError(t, json.Unmarshal(out, &got), string(out))
	require.Equal(t, "90.00", *got.Total) // 60 + 40 · 7.5/10
	require.True(t, got.Complete)

	require.Equal(t, []string{
		`scores.pitch: unknown criterion "pitch"`,
		`scores.social: 21 is above the maximum 20 of criterion "social"`,
		`scores.youth: 7.25 is not min 0 plus a whole multiple of step 0.5 of criterion "youth"`,
	}, problems(t, Score([]byte(`{"rubric": `+rubric+`, "scores": {"social": "21", "youth": "7.25", "pitch": "1"}}`))))
	require.Equal(t, []string{`scores.social: "abc" is not a decimal: expected a digit before the point`},
		problems(t, Score([]byte(`{"rubric": `+rubric+`, "scores": {"social": "abc"}}`))))
	require.Equal(t, []string{`rubric.criteria[0].weight: expected a weight >= 0, found -1`},
		problems(t, Score([]byte(`{"rubric": {"criteria": [{"id": "a", "weight": "-1"}, {"id": "b", "weight": "2"}]}, "scores": {}}`))))
}

func TestMergeThenEvaluate(t *testing.T) {
	sheet := func(judge, project string, social, youth string) string {
		return fmt.Sprintf(`{"judge": %q, "project": %q, "scores": [
			{"judge": %[1]q, "project": %[2]q, "criterion": "social", "score": %[3]q},
			{"judge": %[1]q, "project": %[2]q, "criterion": "youth", "score": %[4]q}]}`, judge, project, social, youth)
	}
	req := `{"dataset": {"rubric": ` + rubric + `, "ranking": {"tie_break": ["id"]}}, "sheets": [` +
		sheet("J1", "P1", "15", "5") + "," + sheet("J1", "P2", "15", "5") + "," + sheet("J2", "P1", "16", "6") + "]}"
	merged := Merge([]byte(req))
	out := Evaluate(merged)
	var res struct {
		Projects []struct {
			ID        string `json:"id"`
			Total     string `json:"total"`
			DecidedBy *string
		} `json:"projects"`
	}
	require.NoError(t, json.Unmarshal(out, &res), "%s\n%s", merged, out)
	require.Len(t, res.Projects, 2, "%s", out)
	// P1: social (15+16)/2 → 60·15.5/20 = 46.5, youth (5+6)/2 → 40·5.5/10 = 22.
	require.Equal(t, "P1", res.Projects[0].ID)
	require.Equal(t, "68.50", res.Projects[0].Total)

	require.Equal(t, []string{`sheets[0].scores[0].score: "x" is not a decimal: expected a digit before the point`},
		problems(t, Merge([]byte(`{"dataset": {"rubric": `+rubric+`}, "sheets": [{"scores": [{"judge": "J", "project": "P", "criterion": "social", "score": "x"}]}]}`))))
	// Sheets alone do not say how to score them: no silent stand-in rules.
	require.Equal(t, []string{`dataset: required, missing: load the stage's dataset first (its rubric and rules decide how sheets are scored)`},
		problems(t, Merge([]byte(`{"dataset": null, "sheets": []}`))))
}

func TestMergeSheets(t *testing.T) {
	dataset := `{"rubric": ` + rubric + `, "projects": [{"id": "P1"}, {"id": "P2"}], "judges": [{"id": "J1"}, {"id": "J2"}], "scores": []}`
	var digests struct {
		Digest      string `json:"digest"`
		StageDigest string `json:"stage_digest"`
	}
	require.NoError(t, json.Unmarshal(Digests([]byte(dataset)), &digests))
	require.True(t, strings.HasPrefix(digests.StageDigest, "sha256:"))
	stage := digests.StageDigest
	sheetJSON := func(judge string, seq int, social string) string {
		return fmt.Sprintf(`{"judge": %q, "dataset": %q, "seq": %d, "time": "2026-12-06T18:00:0%dZ", "scores": [
			{"judge": %[1]q, "project": "P1", "criterion": "social", "score": %[5]q},
			{"judge": %[1]q, "project": "P1", "criterion": "youth", "score": "5"}]}`, judge, stage, seq, seq, social)
	}
	csvSheet := "\ufeffproject,judge,criterion,score,dataset,seq,time,signed_off\r\n" +
		"P2,J2,social,12.5," + stage + ",1,2026-12-06T18:05:00Z,true\r\n" +
		"P2,J2,youth,4," + stage + ",1,2026-12-06T18:05:00Z,true\r\n"
	files := []SheetFile{
		{Name: "j1-v1.json", Text: sheetJSON("J1", 1, "10")},
		{Name: "j1-v2.json", Text: sheetJSON("J1", 2, "16")},
		{Name: "j1-v2-copy.json", Text: sheetJSON("J1", 2, "16")},
		{Name: "j2.csv", Text: csvSheet},
	}
	req, err := json.Marshal(MergeSheetsRequest{Dataset: json.RawMessage(dataset), Sheets: files})
	require.NoError(t, err)
	out := MergeSheets(req)
	var ans MergeSheetsAnswer
	require.NoError(t, json.Unmarshal(out, &ans), "%s", out)
	str := func(s string) *string { return &s }
	want := []SheetReport{
		{Name: "j1-v1.json", Judge: "J1", Seq: 1, Time: str("2026-12-06T18:00:01Z"), Scores: 2, Status: "superseded", By: str("j1-v2.json"), Format: "json"},
		{Name: "j1-v2.json", Judge: "J1", Seq: 2, Time: str("2026-12-06T18:00:02Z"), Scores: 2, Status: "merged", Format: "json"},
		{Name: "j1-v2-copy.json", Judge: "J1", Seq: 2, Time: str("2026-12-06T18:00:02Z"), Scores: 2, Status: "duplicate", By: str("j1-v2.json"), Format: "json"},
		{Name: "j2.csv", Judge: "J2", Seq: 1, Time: str("2026-12-06T18:05:00Z"), SignedOff: true, Scores: 2, Status: "merged", Format: "csv"},
	}
	require.Empty(t, cmp.Diff(want, ans.Sheets))
	require.Equal(t, stage, ans.StageDigest)
	// The merged dataset holds J1's latest version only, and J2's CSV scores.
	var merged struct {
		Scores []struct{ Judge, Project, Criterion, Score string }
	}
	require.NoError(t, json.Unmarshal(ans.Dataset, &merged))
	require.Equal(t, []struct{ Judge, Project, Criterion, Score string }{
		{"J1", "P1", "social", "16"}, {"J1", "P1", "youth", "5"}, {"J2", "P2", "social", "12.5"}, {"J2", "P2", "youth", "4"},
	}, merged.Scores)

	// A sheet for another dataset, two different sheets with one version,
	// and a score of another judge: all refused at once, nothing merged.
	other := strings.Replace(sheetJSON("J2", 1, "10"), stage, "sha256:"+strings.Repeat("ab", 32), 1)
	forged := strings.Replace(sheetJSON("J1", 3, "10"), `"judge": "J1", "project": "P1", "criterion": "youth"`, `"judge": "J2", "project": "P1", "criterion": "youth"`, 1)
	req, err = json.Marshal(MergeSheetsRequest{Dataset: json.RawMessage(dataset), Sheets: []SheetFile{
		{Name: "other.json", Text: other},
		{Name: "a.json", Text: sheetJSON("J1", 2, "16")},
		{Name: "b.json", Text: sheetJSON("J1", 2, "17")},
		{Name: "forged.json", Text: forged},
	}})
	require.NoError(t, err)
	short := stage[:len("sha256:")+12] + "…"
	require.Equal(t, []string{
		`sheets[0].dataset: this sheet was made for another dataset (sha256:abababababab…), not this one (` + short + `): ask the judge to load this stage's dataset and export again`,
		`sheets[2]: judge "J1" has two different sheets with version 2 (sheets[1] and this one): keep the right one and remove the other`,
		`sheets[3].scores[1].judge: a score of judge "J2" in the sheet of judge "J1": a sheet holds one judge's scores`,
	}, problems(t, MergeSheets(req)))

	// A CSV sheet with its problems placed by line and column.
	req, err = json.Marshal(MergeSheetsRequest{Dataset: json.RawMessage(dataset), Sheets: []SheetFile{
		{Name: "bad.csv", Text: "project,judge,criterion,score,seq\nP1,J1,social,x,1\nP1,,youth,4,2\n"},
	}})
	require.NoError(t, err)
	require.Equal(t, []string{
		`sheets[0].line 2, column 4 (score): "x" is not a decimal: expected a digit before the point`,
		`sheets[0].line 3, column 2 (judge): required, empty`,
		`sheets[0].line 3, column 5 (seq): expected "1", as on the first line: a sheet has one seq`,
	}, problems(t, MergeSheets(req)))
}

// TestErrorAnswerCodes: each problem of an error answer carries its code
// and params when it has them, for the page to translate; a problem
// without a code has neither key.
func TestErrorAnswerCodes(t *testing.T) {
	type coded struct {
		Path    string            `json:"path"`
		Message string            `json:"message"`
		Code    string            `json:"code"`
		Params  map[string]string `json:"params"`
	}
	answer := func(out []byte) []coded {
		var ans struct {
			Error struct{ Problems []coded } `json:"error"`
		}
		require.NoError(t, json.Unmarshal(out, &ans), "%s", out)
		return ans.Error.Problems
	}
	dataset := `{"rubric": {"criteria": [{"id": "economic", "weight": "1", "step": "0.5"}]},
		"projects": [{"id": "P1"}], "scores": [{"judge": "J1", "project": "P1", "criterion": "economic", "score": "14.3"}]}`
	require.Equal(t, []coded{{"scores[0].score", `14.3 is not min 0 plus a whole multiple of step 0.5 of criterion "economic"`, "score.step",
		map[string]string{"value": "14.3", "criterion": "economic", "min": "0", "max": "20", "step": "0.5", "below": "14", "above": "14.5"}}},
		answer(Validate([]byte(dataset))))
	require.Equal(t, []coded{{"$", "malformed JSON: line 1, column 2: unexpected end of input: unterminated object starting at line 1, column 1",
		"json.syntax", map[string]string{"line": "1", "column": "2"}}}, answer(Evaluate([]byte("{"))))
	require.Equal(t, `{"error":{"problems":[{"path":"$","message":"m"}]}}`,
		string(errorAnswer(afkar.Problems{{Path: "$", Message: "m"}})), "no code, no params: neither key")
}

// TestVerifyTour: a one-stage tour sealed by package tour verifies from
// the files given; the same tour with its file changed names the stage.
func TestVerifyTour(t *testing.T) {
	st := sample.Stages()[0]
	draft := &tour.Tour{Stages: []tour.Stage{{ID: st.Region, Dataset: "a.json"}}, Rule: tour.Rule{Top: 1}}
	built, err := tour.Build(context.Background(), draft, fstest.MapFS{"a.json": {Data: st.JSON}})
	require.NoError(t, err)
	sealed, err := built.Tour.MarshalJSON()
	require.NoError(t, err)
	req := func(file []byte) []byte {
		b, err := json.Marshal(map[string]any{"tour": json.RawMessage(sealed), "files": map[string]string{"a.json": string(file)}})
		require.NoError(t, err)
		return b
	}
	var ans TourAnswer
	require.NoError(t, json.Unmarshal(VerifyTour(req(st.JSON)), &ans))
	require.True(t, ans.Verified, "%+v", ans)
	require.Equal(t, []TourAdvance{{built.Tour.Advanced[0].Project, st.Region, "top"}}, ans.Advanced)

	ds, err := afkar.Decode(st.JSON)
	require.NoError(t, err)
	ds.Projects[0].Title += "!"
	changed, err := ds.MarshalJSON()
	require.NoError(t, err)
	ans = TourAnswer{}
	require.NoError(t, json.Unmarshal(VerifyTour(req(changed)), &ans))
	require.False(t, ans.Verified)
	require.Equal(t, "stages[0].dataset_digest", ans.Mismatches[0].Path)
	require.Equal(t, "tour.digest", ans.Mismatches[0].Code)

	require.JSONEq(t, `{"error": {"problems": [{"path": "tour.advancement", "message": "required, missing",
		"code": "field.required", "params": {"field": "advancement"}}]}}`,
		string(VerifyTour([]byte(`{"tour": {"stages": [{"id": "a", "dataset": "a.json"}]}, "files": {}}`))))
}

// TestSwing: the hand-solved case of package analysis/swing ("one
// criterion"), through the bridge.
func TestSwing(t *testing.T) {
	ds := `{"rubric": {"criteria": [{"id": "c", "weight": "1", "step": "1"}]}, "ranking": {"top": 1},
		"projects": [{"id": "P1"}, {"id": "P2"}], "scores": [
		{"judge": "J1", "project": "P1", "criterion": "c", "score": "12"},
		{"judge": "J2", "project": "P1", "criterion": "c", "score": "14"},
		{"judge": "J1", "project": "P2", "criterion": "c", "score": "12"},
		{"judge": "J2", "project": "P2", "criterion": "c", "score": "12"}]}`
	var ans SwingAnswer
	out := Swing([]byte(ds))
	require.NoError(t, json.Unmarshal(out, &ans), "%s", out)
	require.True(t, ans.Covered, "%s", out)
	require.Len(t, ans.Boundaries, 1)
	b := ans.Boundaries[0]
	require.Equal(t, "P1", b.Last)
	require.Equal(t, "P2", b.First)
	require.Equal(t, "J1", b.Swings[0].Judge)
	require.True(t, b.Swings[0].Flips)
	require.Equal(t, "3", *b.Swings[0].Size)
	require.Equal(t, []SwingChange{{Project: "P1", Criterion: "c", From: "12", To: "9"}}, b.Swings[0].Changes)
	require.NotEmpty(t, problems(t, Swing([]byte(`{"rubric": {"criteria": []}}`))), "an invalid dataset gets its problems")
}

// TestEvaluateProblems: Evaluate, which leaves the validation to
// afkar.Evaluate, answers the problems of afkar.Decode, all and in order,
// for the invalid conformance cases and the invalid inputs of testdata.
func TestEvaluateProblems(t *testing.T) {
	var names []string
	for _, pattern := range []string{"../../testdata/conformance/bad-*/dataset.json", "../../testdata/bad/*.json"} {
		found, err := filepath.Glob(pattern)
		require.NoError(t, err)
		require.NotEmpty(t, found, pattern)
		names = append(names, found...)
	}
	for _, name := range names {
		data, err := os.ReadFile(name)
		require.NoError(t, err)
		_, err = afkar.Decode(data)
		require.Error(t, err, name)
		require.Equal(t, string(guard(func() ([]byte, error) { return nil, err })), string(Evaluate(data)), name)
	}
}
