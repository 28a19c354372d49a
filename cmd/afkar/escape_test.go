package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/analysis/agreement"
	"github.com/afkarlab/afkar/analysis/correlation"
	"github.com/afkarlab/afkar/analysis/sensitivity"
	"github.com/afkarlab/afkar/ranking"
	"github.com/stretchr/testify/require"
)

// hostile is text a competitor might get into a title: escape sequences
// that clear the screen and print a fake verdict, a right-to-left
// override, zero-width characters, NUL, a line break, a byte that is not
// UTF-8, a noncharacter and markup.
const hostile = "\x1b[2J\x1b[HFAKE: P2 WINS\u202e\u200b\x00\n\xff\ufffe<b>&"

// shown is hostile as tables and charts show it.
const shown = `\x1b[2J\x1b[HFAKE: P2 WINS\u202e\u200b\x00\n\xff\ufffe<b>&`

// actsOnATerminal reports the first character of s that would act on a
// terminal or reorder text: a control character but the line feed ending
// a line, or a bidi control that is not one of allowed (the Arabic
// table's own marks and isolates).
func actsOnATerminal(s string, allowed string) (rune, bool) {
	for _, r := range s {
		switch {
		case r == '\n':
		case r < 0x20 || 0x7f <= r && r < 0xa0, 0x202a <= r && r <= 0x202e, 0x2066 <= r && r <= 0x2069, r == 0x200b:
			if !strings.ContainsRune(allowed, r) {
				return r, true
			}
		}
	}
	return 0, false
}

// hostileResult ranks a clean dataset, then puts hostile text wherever
// the rank table shows free text: the title of the ideathon, of a
// project and of a group (in the projects' lines it returns), and a
// criterion's label. Validation refuses such text (TestFreeTextProblems):
// the table must show it anyway, for results and datasets that come from
// elsewhere.
func hostileResult(t *testing.T) (*afkar.Result, []afkar.ProjectResult, *afkar.Dataset) {
	t.Helper()
	ds, err := afkar.Decode([]byte(`{"ideathon": {"title": "x"}, "rubric": {"criteria": [{"id": "social", "weight": "1", "label": "Social"}]},
	  "ranking": {"group_by": "sector"},
	  "projects": [{"id": "P1", "title": "Solar", "sector": "g"}, {"id": "P2", "title": "Salt", "sector": "g"}],
	  "scores": [{"judge": "J1", "project": "P1", "criterion": "social", "score": "15"},
	             {"judge": "J1", "project": "P2", "criterion": "social", "score": "12"}]}`))
	require.NoError(t, err)
	res, err := afkar.Evaluate(context.Background(), ds)
	require.NoError(t, err)
	ds.Ideathon.Title = hostile
	ds.Rubric.Criteria[0].Label = map[string]string{"": hostile}
	projects := []afkar.ProjectResult{res.Project(0), res.Project(1)}
	projects[1].Title = hostile
	g := hostile // both projects' group: one table, under a hostile heading
	projects[0].Group, projects[1].Group = &g, &g
	return res, projects, ds
}

// TestTableShowsEscapes: in every language, the rank table shows control
// characters, bidi controls and zero-width characters of free text as
// escapes, never acting on the terminal, and its columns line up on the
// text as shown. Before, a title's escape sequences cleared the
// organiser's screen and printed a fake verdict.
func TestTableShowsEscapes(t *testing.T) {
	for _, lang := range []string{"en", "fr", "ar"} {
		t.Run(lang, func(t *testing.T) {
			res, projects, ds := hostileResult(t)
			var b bytes.Buffer
			writeTableOf(&b, res, projects, ds, textsFor(lang))
			out := b.String()
			allowed := ""
			if lang == "ar" {
				allowed = rlm + lri + fsi + pdi
			}
			if r, ok := actsOnATerminal(out, allowed); ok {
				t.Fatalf("the table holds %U:\n%s", r, out)
			}
			require.Contains(t, out, shown, "the title, as shown")
			require.Contains(t, out, clip(shown, 40), "the project's title, clipped as shown")
			// The rows of the table: the total column starts at the same
			// terminal column in each.
			var at []int
			for _, line := range strings.Split(out, "\n") {
				for _, total := range []string{"60.00", "75.00", "60,00", "75,00"} {
					if i := strings.Index(line, total); i >= 0 && (strings.Contains(line, "P1") || strings.Contains(line, "P2")) {
						at = append(at, displayWidth(line[:i]))
					}
				}
			}
			require.Len(t, at, 2, out)
			require.Equal(t, at[0], at[1], "the total column lines up:\n%s", out)
		})
	}
}

// TestReportsShowEscapes: analyze's and sensitivity's tables and
// compare's show free text as escapes too.
func TestReportsShowEscapes(t *testing.T) {
	_, _, ds := hostileResult(t)
	var b bytes.Buffer
	writeAnalysisTable(&b, &agreement.Report{}, ds, "")
	writeSensitivityTable(&b, ds, &sensitivity.Stability{MostCritical: -1},
		&sensitivity.Simulation{Samples: 1, Projects: []sensitivity.Odds{{ID: "P1", Group: hostile, Rank: ranking.Whole(1)}}})
	writeCompareTable(&b, []string{"a.json", hostile}, compareOf(t))
	if r, ok := actsOnATerminal(b.String(), ""); ok {
		t.Fatalf("the reports hold %U:\n%s", r, b.String())
	}
	require.Contains(t, b.String(), shown)
}

// compareOf compares two results whose ids are hostile, with the command
// (whose table must show them) and in process.
func compareOf(t *testing.T) correlation.Comparison {
	t.Helper()
	dir := t.TempDir()
	id, err := json.Marshal(hostile)
	require.NoError(t, err)
	a := `{"format": "afkar-result/1", "projects": [{"id": ` + string(id) + `, "rank": 1}, {"id": "Q", "rank": 2}]}`
	b := `{"format": "afkar-result/1", "projects": [{"id": "Q", "rank": 1}, {"id": ` + string(id) + `, "rank": 2}, {"id": "R\u202e", "rank": 3}]}`
	var ranks [2][]correlation.Ranked
	for i, doc := range []string{a, b} {
		path := filepath.Join(dir, []string{"a.json", "b.json"}[i])
		require.NoError(t, os.WriteFile(path, []byte(doc), 0o644))
		ranks[i], err = correlation.ReadRanks([]byte(doc))
		require.NoError(t, err)
	}
	r := afkarCmd(t, "", "compare", filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json"))
	require.Equal(t, 0, r.code, r.stderr)
	if c, ok := actsOnATerminal(r.stdout, ""); ok {
		t.Fatalf("compare's table holds %U:\n%s", c, r.stdout)
	}
	require.Contains(t, r.stdout, `\x1b[2J\x1b[HFAKE: P2 WINS\u202e`) // JSON spells \xff as U+FFFD
	return correlation.Compare(ranks[0], ranks[1])
}

// TestChartsAreXML: the SVG charts stay well-formed XML whatever the text
// of their titles and labels (NUL and ESC are not XML characters, nor is
// a byte that is not UTF-8, nor U+FFFE), and show it as escapes.
func TestChartsAreXML(t *testing.T) {
	_, _, ds := hostileResult(t)
	for name, chart := range map[string][]byte{
		"leniency": leniencyChart(&agreement.Report{Judges: []agreement.Judge{{ID: hostile, Total: agreement.Leniency{Mean: 1, Pairs: 3}}}}, ds),
		"ranks":    rankChart(&sensitivity.Simulation{Samples: 1, Projects: []sensitivity.Odds{{ID: hostile, Rank: ranking.Whole(1)}}}, ds),
	} {
		require.NoError(t, parseXML(chart), "%s:\n%s", name, chart)
		require.Contains(t, string(chart), `\x1b[2J\x1b[HFAKE: P2 WINS\u202e\u200b\x00\n\xff\ufffe&lt;b&gt;&amp;`, name)
	}
}

// parseXML reads every token of doc with encoding/xml.
func parseXML(doc []byte) error {
	d := xml.NewDecoder(bytes.NewReader(doc))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// FuzzChartText: a chart is well-formed XML whatever its title.
func FuzzChartText(f *testing.F) {
	for _, s := range []string{"", "Dakhla", hostile, "]]>", "<!--", "\ud7ff\ue000\U0010ffff", "\xed\xa0\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, title string) {
		ds := &afkar.Dataset{Ideathon: &afkar.Ideathon{Title: title}}
		chart := leniencyChart(&agreement.Report{Judges: []agreement.Judge{{ID: title, Total: agreement.Leniency{Mean: -1, Pairs: 1}}}}, ds)
		if err := parseXML(chart); err != nil {
			t.Fatalf("title %q: %v\n%s", title, err, chart)
		}
	})
}
