package widget

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/scoring"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// These tests run static/problems.js under Node (which the WebAssembly
// tests need anyway), and are skipped where there is none.

// runProblemsJS runs body, the end of an ES module that has imported
// problems.js's exports and read its standard input into the JSON value
// input, and returns what it prints.
func runProblemsJS(t *testing.T, input any, body string) []byte {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed")
	}
	abs, err := filepath.Abs(filepath.Join("static", "problems.js"))
	require.NoError(t, err)
	// Read here too, so that go test's cache knows the result depends on it.
	_, err = os.ReadFile(abs)
	require.NoError(t, err)
	module := (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
	script := `import { CODES, PROBLEM_LANGUAGES, problemMessage } from ` + strconvQuote(module) + `;
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString("utf8"));
` + body
	in, err := json.Marshal(input)
	require.NoError(t, err)
	cmd := exec.Command(node, "--input-type=module", "-e", script)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "node: %s", stderr.String())
	return out
}

func strconvQuote(s string) string {
	b, _ := json.Marshal(s) // a JSON string is a JavaScript string literal
	return string(b)
}

// every holds a value for every parameter name a Code may have: with all
// of them, every message must come out of its table, not the fallback.
var every = map[string]string{
	"value": "1.5", "min": "0", "max": "20", "step": "0.5", "below": "1.5", "above": "2", "sum": "0.9",
	"criterion": "social", "project": "P1", "judge": "J1", "first": "scores[0]", "text": "x", "found": ",",
	"id": "-P", "key": "k", "field": "weight", "rule": "coin", "expected": "object", "allowed": "a, b",
	"count": "3", "length": "300", "digits": "65", "line": "2", "column": "14", "bytes": "10", "items": "scores",
	"places": "2", "other": "agri", "closest": "agri", "char": "U+001B",
	"stage": "dakhla", "file": "dakhla.json", "error": "file does not exist", "problem": "rubric: required, missing",
	"what": "dataset_digest", "listed": "P2", "listed_stage": "oriental", "listed_by": "top", "by": "wildcard",
	"juries": "J1 (P1) | J2 (P2)", "needed": "1", "bridges": "J1 → P2",
}

// TestProblemsJSKnowsEveryCode: every code the engine emits has a message
// in Arabic, French and English, and problems.js knows no other code.
func TestProblemsJSKnowsEveryCode(t *testing.T) {
	var codes []string
	for _, c := range scoring.Codes() {
		codes = append(codes, string(c))
	}
	out := runProblemsJS(t, map[string]any{"codes": codes, "params": every}, `
const messages = {};
for (const code of input.codes) {
  messages[code] = {};
  for (const lang of PROBLEM_LANGUAGES) {
    messages[code][lang] = problemMessage(lang, { code, params: input.params, message: "FALLBACK" });
  }
}
console.log(JSON.stringify({ codes: CODES, languages: PROBLEM_LANGUAGES, messages }));
`)
	var got struct {
		Codes     []string
		Languages []string
		Messages  map[string]map[string]string
	}
	require.NoError(t, json.Unmarshal(out, &got), "%s", out)
	require.Equal(t, []string{"ar", "fr", "en"}, got.Languages)
	if diff := cmp.Diff(slices.Sorted(slices.Values(codes)), slices.Sorted(slices.Values(got.Codes))); diff != "" {
		t.Errorf("scoring.Codes() and problems.js's CODES differ (-engine +problems.js):\n%s", diff)
	}
	for _, code := range codes {
		for _, lang := range got.Languages {
			msg := got.Messages[code][lang]
			require.NotEqual(t, "FALLBACK", msg, "%s has no %s message", code, lang)
			require.NotContains(t, msg, "undefined", "%s in %s", code, lang)
			require.NotContains(t, msg, "[object", "%s in %s", code, lang)
			if lang != "ar" {
				require.NotContains(t, msg, "\u2068", "%s in %s: isolates are for Arabic", code, lang)
			}
		}
	}
}

// TestProblemMessages renders problems the engine reports, word for word.
func TestProblemMessages(t *testing.T) {
	decode := func(dataset string) afkar.Problems {
		_, err := afkar.Decode([]byte(dataset))
		var ps afkar.Problems
		require.True(t, errors.As(err, &ps), "want problems, got %v", err)
		return ps
	}
	const rubric = `"rubric": {"criteria": [
		{"id": "economic", "label": {"ar": "الأثر الاقتصادي", "fr": "Impact économique", "en": "Economic impact"}, "weight": "0.5", "step": "0.5"},
		{"id": "youth", "weight": "0.5", "max": "10"}]}`
	scored := func(criterion, score string) afkar.Problem {
		ps := decode(`{` + rubric + `, "projects": [{"id": "P1"}], "scores": [{"judge": "J1", "project": "P1", "criterion": "` +
			criterion + `", "score": ` + score + `}]}`)
		require.Len(t, ps, 1, "%v", ps)
		return ps[0]
	}
	step := scored("economic", `"14.3"`)
	above := scored("economic", `"21"`)
	comma := scored("youth", `"7,5"`)
	unknown := scored("pitch", `"1"`)
	malformed := decode("{\n  \"rubric\": {,\n}")[0]
	weights := decode(`{"rubric": {"criteria": [{"id": "a", "weight": "0.5"}, {"id": "b", "weight": "0.25"}]}, "projects": [], "scores": []}`)[0]
	region := decode(`{"rubric": {"criteria": [{"id": "a", "weight": "1"}]}, "ranking": {"group_by": "region"},
		"projects": [{"id": "P1", "region": "Dakhla"}], "scores": []}`)[0]
	groups := decode(`{"rubric": {"criteria": [{"id": "a", "weight": "1"}]}, "ranking": {"group_by": "sector", "groups": ["agri", "2.5"]},
		"projects": [{"id": "P1", "sector": "agri"}, {"id": "P2", "sector": "2,5"}], "scores": []}`)
	letterCase := decode(`{"rubric": {"criteria": [{"id": "a", "weight": "1"}]}, "ranking": {"group_by": "sector"},
		"projects": [{"id": "P1", "sector": "agri"}, {"id": "P2", "sector": "Agri"}], "scores": []}`)[0]
	labels := map[string]map[string]string{
		"ar": {"economic": "الأثر الاقتصادي", "youth": "تمكين الشباب"},
		"fr": {"economic": "Impact économique", "youth": "Autonomisation des jeunes"},
		"en": {"economic": "Economic impact", "youth": "Youth empowerment"},
	}
	type rendering struct {
		Lang    string            `json:"lang"`
		Problem afkar.Problem     `json:"problem"`
		Labels  map[string]string `json:"labels"`
	}
	tests := []struct {
		name string
		in   rendering
		want string
	}{
		{"step in French", rendering{"fr", step, labels["fr"]},
			"14,3 n'est pas une note valide pour Impact économique : les notes vont de 0 à 20 par pas de 0,5 (par exemple 14 ou 14,5)."},
		{"step in Arabic", rendering{"ar", step, labels["ar"]},
			"النقطة \u206814,3\u2069 غير صالحة لمعيار \u2068الأثر الاقتصادي\u2069: النقط من \u20680\u2069 إلى \u206820\u2069، بخطوة \u20680,5\u2069 (مثلاً \u206814\u2069 أو \u206814,5\u2069)."},
		{"step in English", rendering{"en", step, labels["en"]},
			"14.3 is not a valid score for Economic impact: scores go from 0 to 20 in steps of 0.5 (for example 14 or 14.5)."},
		{"above the maximum in Arabic", rendering{"ar", above, labels["ar"]},
			"النقطة \u206821\u2069 تتجاوز الحد الأقصى لمعيار \u2068الأثر الاقتصادي\u2069: النقط من \u20680\u2069 إلى \u206820\u2069، بخطوة \u20680,5\u2069."},
		{"above the maximum in a regional French tag", rendering{"fr-MA", above, labels["fr"]},
			"21 dépasse le maximum pour Impact économique : les notes vont de 0 à 20 par pas de 0,5."},
		{"decimal comma in French", rendering{"fr", comma, labels["fr"]},
			"« 7,5 » n'est pas un nombre reconnu : séparez les décimales par un point (7.5)."},
		{"decimal comma in Arabic", rendering{"ar", comma, labels["ar"]},
			"«\u20687,5\u2069» ليس عدداً مقبولاً: افصل الأجزاء العشرية بنقطة (\u20687.5\u2069)."},
		{"unknown criterion keeps its id", rendering{"en", unknown, labels["en"]},
			"“pitch” is not a criterion of this rubric."},
		{"malformed JSON in French", rendering{"fr", malformed, nil},
			"Les données ne sont pas du JSON valide (ligne 2, colonne 14)."},
		{"weights in Arabic", rendering{"ar", weights, nil},
			"يجب أن يساوي مجموع الأوزان 1 بالضبط، ومجموعها الحالي \u20680,75\u2069 (اكتب \u2068\"weights\": \"relative\"\u2069 لقسمة كل وزن على مجموع الأوزان)."},
		{"weights in English", rendering{"en", weights, nil},
			`The weights must add up to exactly 1; they add up to 0.75 (set "weights": "relative" to divide each weight by their sum).`},
		{"a region that is a city, in French", rendering{"fr", region, nil},
			"« Dakhla » n'est pas un code de région : vouliez-vous dire « dakhla-oued-ed-dahab » ? Une région est l'un des 12 codes des régions du Maroc, sauf si le jeu de données donne ses propres groupes."},
		{"a group value is text, not a decimal", rendering{"fr", groups[0], nil},
			"« 2,5 » ne fait pas partie des groupes de sector que donne le jeu de données : vouliez-vous dire « 2.5 » ?"},
		{"a group value in letter case, in Arabic", rendering{"ar", letterCase, nil},
			"«\u2068Agri\u2069» لا يختلف عن «\u2068agri\u2069» (أول مرة في \u2068projects[0]\u2069) إلا في حالة الأحرف: سيصيران مجموعتين."},
		{"a problem without a code keeps its message", rendering{"fr", afkar.Problem{Path: "$", Message: "internal error: x"}, nil},
			"internal error: x"},
		{"a code unknown to the page keeps the message", rendering{"ar", afkar.Problem{Path: "$", Message: "new problem", Code: "future.code"}, nil},
			"new problem"},
		{"a known code without its params keeps the message", rendering{"fr", afkar.Problem{Path: "$", Message: "m", Code: scoring.CodeScoreStep}, nil},
			"m"},
	}
	var inputs []rendering
	for _, tt := range tests {
		inputs = append(inputs, tt.in)
	}
	// The problem goes to the page as the bridge's error answer gives it.
	out := runProblemsJS(t, inputs, `
const answers = input.map(({ lang, problem, labels }) => {
  const p = { path: problem.Path, message: problem.Message, code: problem.Code || undefined, params: problem.Params || undefined };
  return problemMessage(lang, p, labels ? { criterionLabel: (id) => labels[id] } : {});
});
console.log(JSON.stringify(answers));
`)
	var got []string
	require.NoError(t, json.Unmarshal(out, &got), "%s", out)
	require.Len(t, got, len(tests))
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, got[i]); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
