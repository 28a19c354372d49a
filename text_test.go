package afkar_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/afkarlab/afkar"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// TestFreeTextProblems: free text (titles, names, labels, regions,
// sectors, cooperatives, attributes, groups, the ideathon's description)
// may hold no control character and no bidi embedding, override or
// isolate, and text that is not empty must show something. Before, NUL,
// escape sequences, overrides and titles of spaces or zero-width
// characters were accepted, and reached the organiser's terminal.
func TestFreeTextProblems(t *testing.T) {
	dataset := func(ideathon, label, project, judge, groups string) string {
		return `{"ideathon": {"id": "x", ` + ideathon + `}, "rubric": {"criteria": [{"id": "social", "weight": "1", "label": ` + label + `}]},
			"ranking": {"group_by": "sector", "groups": ` + groups + `},
			"projects": [{"id": "P1", "sector": "agri", ` + project + `}, {"id": "P2", "sector": "agri"}],
			"judges": [{"id": "J1", ` + judge + `}],
			"scores": [{"judge": "J1", "project": "P1", "criterion": "social", "score": "10"}]}`
	}
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	tests := []struct {
		name    string
		dataset string
		want    []string
		codes   []string
	}{
		{"accepted: Arabic with marks, emoji with joiners, spaces inside",
			dataset(`"title": "Afkar  2025"`, q("الأثر\u200f الاجتماعي"), `"title": `+q("👨\u200d👩 تثمين"), `"name": "Ahmed"`, `["agri"]`), nil, nil},
		{"escape sequences in a title",
			dataset(`"title": "x"`, `"Social"`, `"title": `+q("P1\x1b[2J\x1b[H FAKE: P2 WINS"), `"name": "A"`, `["agri"]`),
			[]string{"projects[0].title: contains U+001B ESCAPE, a control character (expected plain text: no escape sequences, tabs or line breaks)"},
			[]string{"text.control char=U+001B"}},
		{"NUL in a name, a line break in the ideathon's title",
			dataset(`"title": "a\nb"`, `"Social"`, `"title": "t"`, `"name": "A\u0000"`, `["agri"]`),
			[]string{
				"ideathon.title: contains U+000A LINE FEED, a control character (expected plain text: no escape sequences, tabs or line breaks)",
				"judges[0].name: contains U+0000 NULL, a control character (expected plain text: no escape sequences, tabs or line breaks)",
			},
			[]string{"text.control char=U+000A", "text.control char=U+0000"}},
		{"a bidi override in a label, an isolate in a group",
			dataset(`"title": "x"`, `{"en": `+q("Social \u202eyap")+`}`, `"title": "t"`, `"name": "A"`, `["agri", `+q("\u2066b\u2069")+`]`),
			[]string{
				"rubric.criteria[0].label.en: contains U+202E RIGHT-TO-LEFT OVERRIDE, which reorders the text after it " +
					"(expected text without bidirectional embeddings, overrides or isolates; the marks U+200E and U+200F are allowed)",
				"ranking.groups[1]: contains U+2066 LEFT-TO-RIGHT ISOLATE, which reorders the text after it " +
					"(expected text without bidirectional embeddings, overrides or isolates; the marks U+200E and U+200F are allowed)",
			},
			[]string{"text.bidi char=U+202E", "text.bidi char=U+2066"}},
		{"blank: spaces, zero-width characters",
			dataset(`"title": "   "`, `"Social"`, `"title": `+q("\u200b\u200c\ufeff"), `"name": "A"`, `["agri"]`),
			[]string{
				`ideathon.title: "   " shows nothing: only spaces or invisible characters (expected visible text, or none)`,
				`projects[0].title: "\u200b\u200c\ufeff" shows nothing: only spaces or invisible characters (expected visible text, or none)`,
			},
			[]string{"text.blank", "text.blank"}},
		{"attributes: keys and values",
			dataset(`"title": "x"`, `"Social"`, `"attributes": {"ok": "\t", `+q("k\u202e")+`: "v"}`, `"name": "A"`, `["agri"]`),
			[]string{
				`projects[0].attributes["k\u202e"]: contains U+202E RIGHT-TO-LEFT OVERRIDE, which reorders the text after it ` +
					"(expected text without bidirectional embeddings, overrides or isolates; the marks U+200E and U+200F are allowed)",
				"projects[0].attributes.ok: contains U+0009 CHARACTER TABULATION, a control character (expected plain text: no escape sequences, tabs or line breaks)",
			},
			[]string{"text.bidi char=U+202E", "text.control char=U+0009"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := afkar.Decode([]byte(tt.dataset))
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
			for _, p := range problemsOf(t, err) {
				require.NotContains(t, p, "\u202e", "a problem's line only shows")
				require.NotContains(t, p, "\x1b")
			}
		})
	}
}

// TestGroupByKeyText: the key of group_by attributes.<key> is free text
// too: tables show it.
func TestGroupByKeyText(t *testing.T) {
	_, err := afkar.Decode([]byte(`{"rubric": {"criteria": [{"id": "social", "weight": "1"}]}, "ranking": {"group_by": "attributes.a\u001b[2J"},
		"projects": [{"id": "P1"}], "scores": []}`))
	require.Equal(t, []string{"text.control char=U+001B"}, codesOf(t, err))
}

// TestFreeTextProblemsCapped: a thousand problems of text, then one line
// says the rest are not listed.
func TestFreeTextProblemsCapped(t *testing.T) {
	var ps []string
	for i := range 1500 {
		ps = append(ps, fmt.Sprintf(`{"id": "P%d", "title": "\u0007"}`, i))
	}
	_, err := afkar.Decode([]byte(`{"rubric": {"criteria": [{"id": "social", "weight": "1"}]}, "projects": [` +
		strings.Join(ps, ", ") + `], "scores": []}`))
	got := problemsOf(t, err)
	require.Len(t, got, 1001)
	require.Equal(t, "$: more than 1000 problems of text; the rest are not listed", got[1000])
}
