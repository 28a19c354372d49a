package bridge

import (
	"bufio"
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
		problems(t, Merge([]byte(`{"dataset": null, "sheets": [{"scores": [{"judge": "J", "project": "P", "criterion": "social", "score": "x"}]}]}`))))
}
