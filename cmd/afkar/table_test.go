package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/afkarlab/afkar"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// The rank table of testdata/table/dataset.json, the Dakhla stage with
// what an organiser meets: a conflict of interest (J4 on DAK-02), a judge
// of a project's cooperative (J2 and DAK-06), a forgotten score (J3 on
// DAK-05's youth: 19 of 20, short), a project short of the quorum
// (DAK-09: 9 of 20, one social score of the 2 needed), one below an
// innovation threshold of 10.5 and the total threshold of 55 (DAK-08), a
// tie broken by the social criterion (DAK-10 over DAK-04), and a listed
// judge who scored nothing (J5). Every project's expected count is its
// stage's jury, J1 to J4, times 5 criteria, less its conflicts: 15 for
// DAK-02 and DAK-06, 20 for the others. Run with -update to rewrite.
func TestTableGolden(t *testing.T) {
	for _, lang := range []string{"en", "fr", "ar"} {
		t.Run(lang, func(t *testing.T) {
			r := afkarCmd(t, "", "rank", "--lang", lang, "testdata/table/dataset.json")
			require.Equal(t, 0, r.code, r.stderr)
			golden := filepath.Join("testdata", "table", lang+".golden")
			if *update {
				require.NoError(t, os.WriteFile(golden, []byte(r.stdout), 0o644))
				return
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test -update first")
			if diff := cmp.Diff(string(want), r.stdout); diff != "" {
				t.Fatalf("the %s table differs from %s (-want +got):\n%s", lang, golden, diff)
			}
		})
	}
}

func sp(n int) string { return strings.Repeat(" ", n) }

// A project below the total threshold says so in words, with its values,
// in each language.
func TestTableReasonsInWords(t *testing.T) {
	const dataset = `{
	  "rubric": {"criteria": [{"id": "social", "weight": "1", "threshold": "10"}], "total_threshold": "50", "min_judges": 2},
	  "projects": [{"id": "P1", "title": "Fish"}, {"id": "P2", "title": "Salt"}, {"id": "P3", "title": "Argan"}, {"id": "P4", "title": "Honey"}],
	  "scores": [
	    {"judge": "J1", "project": "P1", "criterion": "social", "score": 9},
	    {"judge": "J2", "project": "P1", "criterion": "social", "score": 9},
	    {"judge": "J1", "project": "P2", "criterion": "social", "score": 12},
	    {"judge": "J1", "project": "P3", "criterion": "social", "score": 15},
	    {"judge": "J2", "project": "P3", "criterion": "social", "score": 16},
	    {"judge": "J1", "project": "P4", "criterion": "social", "score": 15},
	    {"judge": "J2", "project": "P4", "criterion": "social", "score": 16}
	  ]}`
	for lang, want := range map[string][]string{
		"en": {
			"P1  Fish   45.00  2/2        social 9.00 is below the threshold 10; total 45.00 is below the threshold 50\n",
			"P2  Salt   60.00  1/2 short  social: 1 counted score, 2 needed\n",
			"1     P3  Argan  77.50  15.50   2       2/2               -\n",
		},
		"fr": {
			"P1  Fish   45,00  2/2            social 9,00 sous le seuil 10 ; total 45,00 sous le seuil 50\n",
			"P2  Salt   60,00  1/2 incomplet  social : 1 note comptée, 2 requises\n",
		},
		"ar": {
			// Cells padded to the Arabic headers' widths: المعرّف takes 6
			// columns (the shadda none), العنوان and المجموع 7, التقييمات 9.
			rlm + ltr("P1") + sp(6) + fsi + "Fish" + pdi + sp(5) + ltr("45,00") + sp(4) + ltr("2/2") + sp(8) + ltr("social") + " " + ltr("9,00") +
				" أقل من العتبة " + ltr("10") + "؛ المجموع " + ltr("45,00") + " أقل من العتبة " + ltr("50") + "\n",
		},
	} {
		r := afkarCmd(t, dataset, "rank", "--lang", lang, "-")
		require.Equal(t, 0, r.code, r.stderr)
		for _, w := range want {
			require.Contains(t, r.stdout, w, lang)
		}
	}
}

func TestTableLang(t *testing.T) {
	r := afkarCmd(t, "", "rank", "--lang", "de", conformance+"000/dataset.json")
	require.Equal(t, 2, r.code)
	require.Equal(t, "afkar: --lang: expected ar, fr or en, found \"de\"\n", r.stderr)
	for _, tag := range []string{"fr-MA", "FR", "ar_MA"} {
		r = afkarCmd(t, "", "rank", "--lang", tag, conformance+"000/dataset.json")
		require.Equal(t, 0, r.code, r.stderr)
	}
}

// The Arabic table: every line a right-to-left paragraph; ids and numbers
// isolated; its columns line up as a terminal shows them (the controls
// take no column).
func TestTableArabicLayout(t *testing.T) {
	r := afkarCmd(t, "", "rank", "--lang", "ar", "testdata/table/dataset.json")
	require.Equal(t, 0, r.code, r.stderr)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	for _, l := range lines {
		if l != "" {
			require.True(t, strings.HasPrefix(l, rlm), "line %q starts with RLM", l)
		}
	}
	require.Contains(t, r.stdout, lri+"DAK-01"+pdi)
	require.Contains(t, r.stdout, lri+"77,75"+pdi)
	require.Equal(t, strings.Count(r.stdout, lri)+strings.Count(r.stdout, fsi), strings.Count(r.stdout, pdi), "every isolate is closed")
	// The header's columns and a row's start at the same terminal columns.
	var head, row string
	for _, l := range lines {
		switch {
		case strings.Contains(l, "الرتبة"):
			head = l
		case strings.Contains(l, "DAK-01"):
			row = l
		}
	}
	starts := func(l string) []int {
		var out []int
		col, spaces := 0, 2 // a cell starts at the line's start, or after two spaces or more
		for _, c := range l {
			w := displayWidth(string(c))
			if w == 0 {
				continue
			}
			if c == ' ' {
				spaces++
			} else {
				if spaces >= 2 {
					out = append(out, col)
				}
				spaces = 0
			}
			col += w
		}
		return out
	}
	require.Equal(t, starts(head), starts(row), "the columns line up:\n%s\n%s", head, row)
}

func TestDisplayWidth(t *testing.T) {
	for _, tt := range []struct {
		s    string
		want int
	}{
		{"DAK-01", 6},
		{lri + "DAK-01" + pdi, 6},
		{rlm + "نعم", 3},
		{"تَعَاوُنِيَّة", 7}, // the tashkeel takes no column
		{"Fès", 3},
		{"Fe\u0300s", 3}, // a combining grave
		{"漢字", 4},
	} {
		require.Equal(t, tt.want, displayWidth(tt.s), "%q", tt.s)
	}
	require.Equal(t, "Solar fish drying for artisanal fishers…", clip("Solar fish drying for artisanal fishers and their families", 40))
	require.Equal(t, 40, utf8.RuneCountInString(clip(strings.Repeat("a", 50), 40)))
}

// Expected scores: every judge times every criterion, less the judges who
// may not score the project (a conflict, the judge's cooperative, an
// abstention); with group_by, the group's judges.
func TestCoverage(t *testing.T) {
	const dataset = `{
	  "rubric": {"criteria": [{"id": "a", "weight": "0.5"}, {"id": "b", "weight": "0.5"}]},
	  "ranking": %s,
	  "projects": [{"id": "P1", "sector": "x"}, {"id": "P2", "sector": "x", "cooperative": "k"}, {"id": "Q1", "sector": "y"}],
	  "judges": [{"id": "J1", "conflicts": ["P1"]}, {"id": "J2", "cooperative": "k"}, {"id": "J3"}, {"id": "J4", "abstains": ["P2"]}],
	  "scores": [
	    {"judge": "J1", "project": "P2", "criterion": "a", "score": 1}, {"judge": "J1", "project": "P2", "criterion": "b", "score": 1},
	    {"judge": "J2", "project": "P1", "criterion": "a", "score": 1}, {"judge": "J2", "project": "P1", "criterion": "b", "score": 1},
	    {"judge": "J2", "project": "P2", "criterion": "a", "score": 1},
	    {"judge": "J3", "project": "Q1", "criterion": "a", "score": 1}, {"judge": "J3", "project": "Q1", "criterion": "b", "score": 1},
	    {"judge": "J1", "project": "P1", "criterion": "a", "score": 1}
	  ]}`
	tests := []struct {
		ranking string
		want    map[string]count
	}{
		// No groups: J1 to J4 are every project's jury; J1 may not score
		// P1 (a conflict), J2 and J4 may not score P2 (its cooperative,
		// an abstention). P1 has J2's 2 (J1's is excluded), P2 J1's 2
		// (J2's is excluded).
		{`{}`, map[string]count{"P1": {2, 6}, "P2": {2, 4}, "Q1": {2, 8}}},
		// By sector: x's jury is J1 and J2 (they scored in it), y's J3.
		{`{"group_by": "sector"}`, map[string]count{"P1": {2, 2}, "P2": {2, 2}, "Q1": {2, 2}}},
	}
	for _, tt := range tests {
		ds, err := afkar.Decode([]byte(strings.Replace(dataset, "%s", tt.ranking, 1)))
		require.NoError(t, err)
		res, err := afkar.Evaluate(context.Background(), ds)
		require.NoError(t, err)
		cov := coverageOf(ds, res)
		require.Equal(t, tt.want, cov.of, tt.ranking)
		require.Equal(t, []string{"J4"}, cov.silent)
	}
}

// Abstentions (SPEC.md section 7.2) are counted apart from conflicts of
// interest, in each language, and the rules in force name them when a
// judge abstains.
func TestTableAbstentions(t *testing.T) {
	const dataset = `{
	  "rubric": {"criteria": [{"id": "social", "weight": "1"}], "min_judges": 1},
	  "projects": [{"id": "P1"}, {"id": "P2"}],
	  "judges": [{"id": "J1", "conflicts": ["P1"]}, {"id": "J2", "abstains": ["P1", "P2"]}, {"id": "J3"}],
	  "scores": [
	    {"judge": "J1", "project": "P1", "criterion": "social", "score": 9},
	    {"judge": "J2", "project": "P1", "criterion": "social", "score": 9},
	    {"judge": "J2", "project": "P2", "criterion": "social", "score": 12},
	    {"judge": "J3", "project": "P1", "criterion": "social", "score": 15},
	    {"judge": "J3", "project": "P2", "criterion": "social", "score": 16}
	  ]}`
	for lang, want := range map[string][]string{
		"en": {
			// P1: J1's conflict and J2's abstention leave J3 alone; P2:
			// J2 abstains, J1 did not score it.
			"1     P2         80.00  16.00   1       1/2 short            total\n2     P1         75.00  15.00   1       1/1                  -\n",
			"1 score excluded for conflicts of interest.\n2 scores excluded for abstentions.\n",
			"  scores: counted / expected (the group's judges × criteria, less conflicts of interest and abstentions); short: fewer than expected\n",
			"  excluded: a judge's scores of a project in the judge's conflicts, or of the judge's own cooperative, or in the judge's abstentions\n",
		},
		"fr": {
			"1 note exclue pour conflit d'intérêts.\n2 notes exclues pour abstention.\n",
			"hors conflits d'intérêts et abstentions",
		},
		"ar": {
			rlm + "تقييمات مستبعدة بسبب الامتناع عن التقييم: " + ltr("2") + ".\n",
			"دون حالات تضارب المصالح والامتناع",
		},
	} {
		r := afkarCmd(t, dataset, "rank", "--lang", lang, "-")
		require.Equal(t, 0, r.code, r.stderr)
		for _, w := range want {
			require.Contains(t, r.stdout, w, lang)
		}
	}
}

// An Arabic table to a terminal is framed by the sequences that turn a
// VTE terminal's direction detection on and off; to a pipe (as in every
// test above) it is not.
func TestTableForBidiTerminal(t *testing.T) {
	require.Equal(t, "\x1b[?2501h"+rlm+"x\n\x1b[?2501l", string(forBidiTerminal([]byte(rlm+"x\n"))))
	r := afkarCmd(t, "", "rank", "--lang", "ar", "testdata/table/dataset.json")
	require.Equal(t, 0, r.code, r.stderr)
	require.NotContains(t, r.stdout, "\x1b")
}
