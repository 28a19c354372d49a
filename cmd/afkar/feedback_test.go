package main

import (
	"context"
	"encoding/xml"
	"errors"
	"html"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/afkarlab/afkar"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// feedbackStage is the hand-solved stage of package feedback's tests:
// criteria a and b on 0..20, weights 1/2, k = 5/2; top 1. P1 87.50
// selected; P2 72.50, gap 15, +6 on a (21 > 20) or b (20); P3 55.00; P4
// ineligible (b 4 below its threshold 5). P2's title tries to inject a
// script.
const feedbackStage = `{"ideathon": {"title": "Stage & <test>"},
  "rubric": {"criteria": [
    {"id": "a", "label": {"en": "Social", "fr": "Social", "ar": "اجتماعي"}, "weight": "0.5", "step": "1"},
    {"id": "b", "weight": "0.5", "step": "1", "threshold": "5"}]},
  "ranking": {"top": 1},
  "projects": [{"id": "P1", "title": "One"}, {"id": "P2", "title": "<script>alert(1)</script>"},
    {"id": "P3", "title": "Three"}, {"id": "P4", "title": "Four"}],
  "scores": [
    {"judge": "J1", "project": "P1", "criterion": "a", "score": "19"},
    {"judge": "J1", "project": "P1", "criterion": "b", "score": "16"},
    {"judge": "J1", "project": "P2", "criterion": "a", "score": "15"},
    {"judge": "J1", "project": "P2", "criterion": "b", "score": "14"},
    {"judge": "J1", "project": "P3", "criterion": "a", "score": "12"},
    {"judge": "J1", "project": "P3", "criterion": "b", "score": "10"},
    {"judge": "J1", "project": "P4", "criterion": "a", "score": "10"},
    {"judge": "J1", "project": "P4", "criterion": "b", "score": "4"}]}`

func renderFeedback(t *testing.T, js []byte, lang string) map[string]string {
	t.Helper()
	ds, err := afkar.Decode(js)
	require.NoError(t, err)
	res, err := afkar.Evaluate(context.Background(), ds)
	require.NoError(t, err)
	pages, err := feedbackPages(ds, res, lang)
	require.NoError(t, err)
	out := map[string]string{}
	for _, p := range pages {
		out[p.name] = string(p.data)
	}
	return out
}

// visible is a page's text without tags, spaces collapsed, and without the
// bidi isolates of Arabic.
func visible(page string) string {
	s := regexp.MustCompile(`(?s)<style>.*?</style>|<[^>]*>`).ReplaceAllString(page, " ")
	s = strings.NewReplacer(lri, "", pdi, "", fsi, "").Replace(html.UnescapeString(s))
	return strings.Join(strings.Fields(s), " ")
}

// TestFeedbackMessages checks the sentences word for word.
func TestFeedbackMessages(t *testing.T) {
	tests := []struct {
		lang, file string
		want       []string
	}{
		{"en", "P2.html", []string{
			"Not selected", "Total 72.50 / 100", "Rank Rank 2 of 3 ranked ideas",
			"Social 15.00 13.50 11.50 to 16.00", "b 14.00 12.00 8.50 to 14.50",
			"15.00 points of total separate this idea from P1, the last selected (total 87.50).",
			"Social +6.00 not enough: beyond the maximum 20", "b +6.00 enough",
			"No comments were recorded.", "rounded to 2 places"}},
		{"en", "P4.html", []string{"Not ranked", "Reasons: b 4.00 is below the threshold 5"}},
		{"en", "P1.html", []string{"Selected", "Rank Rank 1 of 3 ranked ideas"}},
		{"fr", "P2.html", []string{
			"Non retenue", "Total 72,50 / 100", "Rang Rang 2 sur 3 idées classées", "Social 15,00 13,50 11,50 à 16,00",
			"15,00 points de total séparent cette idée de P1, la dernière retenue (total 87,50).",
			"Social +6,00 ne suffit pas : dépasserait le maximum 20", "b +6,00 suffit",
			"Aucun commentaire n'a été enregistré."}},
		{"fr", "P4.html", []string{"Non classée", "Motifs: b 4,00 sous le seuil 5"}},
		{"ar", "P2.html", []string{
			"غير مختارة", "اجتماعي 15,00 13,50 من 11,50 إلى 16,00",
			"تفصل 15,00 نقطة من المجموع هذه الفكرة عن P1، آخر فكرة مختارة (المجموع 87,50).",
			"اجتماعي +6,00 لا يكفي: يتجاوز الحد الأقصى 20", "b +6,00 يكفي", "لم تُسجَّل أي ملاحظات."}},
	}
	pages := map[string]map[string]string{}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.file, func(t *testing.T) {
			if pages[tt.lang] == nil {
				pages[tt.lang] = renderFeedback(t, []byte(feedbackStage), tt.lang)
			}
			got := visible(pages[tt.lang][tt.file])
			for _, w := range tt.want {
				require.Contains(t, got, w)
			}
		})
	}
}

// TestFeedbackPagesAreSafe: every page of every language is well-formed
// (the HTML is written as XML-compatible HTML, so encoding/xml parses it
// strictly, SVG included), has lang and dir, forbids scripts, loads
// nothing, and escapes user text.
func TestFeedbackPagesAreSafe(t *testing.T) {
	dakhla, err := os.ReadFile("../../testdata/dakhla/dataset.json")
	require.NoError(t, err)
	for _, js := range [][]byte{[]byte(feedbackStage), dakhla} {
		for _, lang := range []string{"ar", "fr", "en"} {
			for name, page := range renderFeedback(t, js, lang) {
				d := xml.NewDecoder(strings.NewReader(page))
				svgs := 0
				for {
					tok, err := d.Token()
					if errors.Is(err, io.EOF) {
						break
					}
					require.NoError(t, err, "%s %s", lang, name)
					if s, ok := tok.(xml.StartElement); ok {
						require.NotEqual(t, "script", s.Name.Local, name)
						if s.Name.Local == "svg" {
							svgs++
						}
					}
				}
				if name != "index.html" {
					require.Positive(t, svgs, name)
				}
				dir := map[string]string{"ar": "rtl", "fr": "ltr", "en": "ltr"}[lang]
				require.Contains(t, page, `<html lang="`+lang+`" dir="`+dir+`">`)
				require.Contains(t, page, `content="default-src 'none'; style-src 'unsafe-inline'`)
				require.NotContains(t, page, "<script")
				require.NotRegexp(t, `(src|href)="(https?:)?//`, page)
			}
		}
	}
	en := renderFeedback(t, []byte(feedbackStage), "en")
	require.Contains(t, en["P2.html"], "&lt;script&gt;alert(1)&lt;/script&gt;")
	require.Contains(t, en["P2.html"], "Stage &amp; &lt;test&gt;")
}

// TestFeedbackGolden compares one report per language with
// testdata/feedback; -update rewrites them.
func TestFeedbackGolden(t *testing.T) {
	dakhla, err := os.ReadFile("../../testdata/dakhla/dataset.json")
	require.NoError(t, err)
	for _, lang := range []string{"ar", "fr", "en"} {
		t.Run(lang, func(t *testing.T) {
			got := renderFeedback(t, dakhla, lang)["DAK-04.html"]
			golden := filepath.Join("testdata", "feedback", "DAK-04."+lang+".html")
			if *update {
				require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err)
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("DAK-04.html (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFeedbackCommand runs the command as users do.
func TestFeedbackCommand(t *testing.T) {
	dir := t.TempDir()
	r := afkarCmd(t, feedbackStage, "feedback", "--lang", "fr-MA", "--out", dir, "-")
	require.Equal(t, 0, r.code, r.stderr)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if diff := cmp.Diff([]string{"P1.html", "P2.html", "P3.html", "P4.html", "index.html"}, names); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	r = afkarCmd(t, feedbackStage, "feedback", "-")
	require.Equal(t, exitInvalid, r.code)
	require.Contains(t, r.stderr, "--out DIR is required")
}
