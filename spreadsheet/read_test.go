package spreadsheet

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/internal/dectext"
	"github.com/afkarlab/afkar/scoring"
)

// criteria is the rubric of most tests.
var criteria = []string{"social", "economic"}

// equalDecimals compares decimals by value and by exponent, so that "7.50"
// read as 7.5 would show.
var equalDecimals = cmp.Comparer(func(a, b decimal.Decimal) bool {
	return a.Equal(b) && a.Exponent() == b.Exponent()
})

// ignorePositions compares scores by what they say, not where.
var ignorePositions = cmpopts.IgnoreFields(Score{}, "Line", "Column", "ProjectColumn", "JudgeColumn", "CriterionColumn")

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// readScores reads with ReadScores, with the name and criteria of most
// tests, and checks that a result comes with its layout.
func readScores(r io.Reader, name string, criteria []string) ([]Score, error) {
	ss, _, err := ReadScores(r, Options{Name: name, Criteria: criteria})
	return ss, err
}

// readProjects reads with ReadProjects under name.
func readProjects(r io.Reader, name string) ([]Project, error) {
	ps, _, err := ReadProjects(r, Options{Name: name})
	return ps, err
}

// score returns a Score; columns are the score's, the project's, the
// judge's and the criterion's.
func score(project, judge, crit string, v decimal.Decimal, line, col, pcol, jcol, ccol int) Score {
	return Score{Score: scoring.Score{Project: project, Judge: judge, Criterion: crit, Value: v}, Line: line, Column: col,
		ProjectColumn: pcol, JudgeColumn: jcol, CriterionColumn: ccol}
}

// brief writes scores as "project/judge/criterion=value@line:column".
func brief(ss []Score) []string {
	var out []string
	for _, s := range ss {
		out = append(out, fmt.Sprintf("%s/%s/%s=%s@%d:%d", s.Project, s.Judge, s.Criterion, s.Value, s.Line, s.Column))
	}
	return out
}

// decErr returns dectext's message for s, so that the tests do not copy
// it.
func decErr(t *testing.T, s string) string {
	t.Helper()
	_, err := dectext.Parse(s)
	require.Error(t, err, "%q", s)
	return err.Error()
}

// problems returns the lines of err, which must be Problems.
func problems(t *testing.T, err error) []string {
	t.Helper()
	var ps Problems
	require.True(t, errors.As(err, &ps), "want Problems, got %T %v", err, err)
	return strings.Split(ps.Error(), "\n")
}

func TestReadScoresForms(t *testing.T) {
	// The same four scores in both forms; P1's social score from J2 is
	// missing.
	const long = "project,judge,criterion,score\n" +
		"P1,J1,social,8\n" +
		"P1,J1,economic,7.5\n" +
		"P1,J2,social,\n" +
		"P1,J2,economic,6\n" +
		"P2,J1,social,9\n"
	const wide = "project,judge,social,economic\n" +
		"P1,J1,8,7.5\n" +
		"P1,J2,,6\n" +
		"P2,J1,9,\n"
	wantLong := []Score{
		score("P1", "J1", "social", dec("8"), 2, 4, 1, 2, 3),
		score("P1", "J1", "economic", dec("7.5"), 3, 4, 1, 2, 3),
		score("P1", "J2", "economic", dec("6"), 5, 4, 1, 2, 3),
		score("P2", "J1", "social", dec("9"), 6, 4, 1, 2, 3),
	}
	// In wide form the criterion is named by the header above the score.
	wantWide := []Score{
		score("P1", "J1", "social", dec("8"), 2, 3, 1, 2, 3),
		score("P1", "J1", "economic", dec("7.5"), 2, 4, 1, 2, 4),
		score("P1", "J2", "economic", dec("6"), 3, 4, 1, 2, 4),
		score("P2", "J1", "social", dec("9"), 4, 3, 1, 2, 3),
	}
	for _, crit := range [][]string{criteria, nil} {
		gotLong, err := readScores(strings.NewReader(long), "long.csv", crit)
		require.NoError(t, err)
		if diff := cmp.Diff(wantLong, gotLong, equalDecimals); diff != "" {
			t.Errorf("long form, criteria %v (-want +got):\n%s", crit, diff)
		}
		gotWide, err := readScores(strings.NewReader(wide), "wide.csv", crit)
		require.NoError(t, err)
		if diff := cmp.Diff(wantWide, gotWide, equalDecimals); diff != "" {
			t.Errorf("wide form, criteria %v (-want +got):\n%s", crit, diff)
		}
		if diff := cmp.Diff(gotLong, gotWide, equalDecimals, ignorePositions); diff != "" {
			t.Errorf("forms differ, criteria %v (-long +wide):\n%s", crit, diff)
		}
	}
}

func TestReadScores(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		criteria []string // nil: the rubric of social and economic; see noRubric
		noRubric bool
		want     []string
	}{
		{name: "BOM and CRLF, long",
			in:   "\ufeffproject,judge,criterion,score\r\nP1,J1,social,8\r\nP1,J1,economic,7\r\n",
			want: []string{"P1/J1/social=8@2:4", "P1/J1/economic=7@3:4"}},
		{name: "BOM and CRLF, wide, spaces around header names",
			in:   "\ufeff project , judge ,social\r\nP1,J1,8\r\n",
			want: []string{"P1/J1/social=8@2:3"}},
		{name: "quoted cells with commas and quotes",
			in:   "project,judge,criterion,score\n\"P,1\",\"J \"\"1\"\"\",social,\"8\"\n",
			want: []string{`P,1/J "1"/social=8@2:4`}},
		{name: "a quoted cell over two lines: the score's line is its own",
			in:   "project,judge,social\n\"P\n1\",J1,8\n",
			want: []string{"P\n1/J1/social=8@3:3"}},
		{name: "empty and blank cells are missing scores",
			in:   "project,judge,social,economic\nP1,J1,,  \nP2,J1, 8 ,\t\nP3,J1,\"\",\" \"\n",
			want: []string{"P2/J1/social=8@3:3"}},
		{name: "empty score cell in long form",
			in:   "project,judge,criterion,score\nP1,J1,social,\nP1,J1,economic, \n",
			want: nil},
		{name: "blank rows of any width are skipped",
			in:   "project,judge,social\n,,\n\n  ,\t,\nP1,J1,8\n,\n",
			want: []string{"P1/J1/social=8@5:3"}},
		{name: "spaces around cells are ignored",
			in:   "project,judge,criterion,score\n P1 ,J1\t, social , 8 \n",
			want: []string{"P1/J1/social=8@2:4"}},
		{name: "columns in any order",
			in:   "score,criterion,judge,project\n8,social,J1,P1\n",
			want: []string{"P1/J1/social=8@2:1"}},
		{name: "long form leaves unknown criteria to the dataset validator",
			in:   "project,judge,criterion,score\nP1,J1,impact,8\n",
			want: []string{"P1/J1/impact=8@2:4"}},
		{name: "wide form without a rubric takes any criterion column",
			in:       "project,judge,impact,reach\nP1,J1,1,2\n",
			noRubric: true,
			want:     []string{"P1/J1/impact=1@2:3", "P1/J1/reach=2@2:4"}},
		{name: "a criterion named score makes a wide file",
			in:       "project,judge,score\nP1,J1,5\n",
			criteria: []string{"score"},
			want:     []string{"P1/J1/score=5@2:3"}},
		{name: "decimals in the strict grammar, as written",
			in:   "project,judge,criterion,score\nP1,J1,a,07\nP1,J1,b,+1.50\nP1,J1,c,1e1\nP1,J1,d,-0\n",
			want: []string{"P1/J1/a=7@2:4", "P1/J1/b=1.5@3:4", "P1/J1/c=10@4:4", "P1/J1/d=0@5:4"}},
		{name: "a header and no rows",
			in:   "project,judge,criterion,score\n",
			want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			crit := criteria
			if tt.criteria != nil || tt.noRubric {
				crit = tt.criteria
			}
			got, err := readScores(strings.NewReader(tt.in), "s.csv", crit)
			require.NoError(t, err)
			if diff := cmp.Diff(tt.want, brief(got)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadScoresKeepsTheDigits(t *testing.T) {
	got, err := readScores(strings.NewReader("project,judge,social\nP1,J1,7.50\n"), "s.csv", criteria)
	require.NoError(t, err)
	require.Len(t, got, 1)
	// 7.50 is 750×10⁻², as dectext reads it: the reader neither rounds nor
	// normalises.
	require.Equal(t, int32(-2), got[0].Value.Exponent())
}

func TestReadScoresProblems(t *testing.T) {
	const missing = `(expected project,judge,criterion,score or project,judge,<criterion ids…>)`
	const notUTF8 = `cell is not valid UTF-8: expected UTF-8 (save the file as "CSV UTF-8")`
	tests := []struct {
		name string
		in   string
		want func(t *testing.T) []string
	}{
		{"empty file", "", lines(
			"s.csv:1: empty file: expected a header line")},
		{"only a BOM", "\ufeff", lines(
			"s.csv:1: empty file: expected a header line")},
		{"UTF-16", "\xff\xfep\x00r\x00", lines(
			`s.csv:1: the file is UTF-16: expected UTF-8 (save it as "CSV UTF-8")`)},
		{"header missing a column", "project,criterion,score\nP1,social,1\n", lines(
			`s.csv:1: header: missing column "judge" ` + missing)},
		{"header missing two columns, wide", "social,economic\n1,2\n", lines(
			`s.csv:1: header: missing column "project" `+missing,
			`s.csv:1: header: missing column "judge" `+missing)},
		{"case-different header", "Project,judge,criterion,score\nP1,J1,social,1\n", lines(
			`s.csv:1:1: column "Project": expected "project" (names are case-sensitive)`)},
		{"case-different long form", "project,judge,Criterion,SCORE\nP1,J1,social,1\n", lines(
			`s.csv:1:3: column "Criterion": expected "criterion" (names are case-sensitive)`,
			`s.csv:1:4: column "SCORE": expected "score" (names are case-sensitive)`)},
		{"case-different criterion", "project,judge,Social\nP1,J1,1\n", lines(
			`s.csv:1:3: column "Social": expected "social" (names are case-sensitive)`)},
		{"a typo of a criterion", "project,judge,economic,socail\nP1,J1,1,2\n", lines(
			`s.csv:1:4: unknown column "socail": did you mean "social"?`)},
		{"a typo of project", "projet,judge,social\nP1,J1,1\n", lines(
			`s.csv:1:1: unknown column "projet": did you mean "project"?`)},
		{"duplicate column", "project,judge,social,social\nP1,J1,1,2\n", lines(
			`s.csv:1:4: duplicate column "social": expected each column once (first in column 3)`)},
		{"no criterion column", "project,judge\nP1,J1\n", lines(
			`s.csv:1: header: no criterion column ` + missing)},
		{"bad decimals; an empty cell is no problem", "project,judge,criterion,score\nP1,J1,social,NaN\nP1,J1,economic,\"1.500,5\"\nP1,J2,social,\n",
			func(t *testing.T) []string {
				return []string{
					`s.csv:2:4: score for criterion "social": ` + decErr(t, "NaN"),
					`s.csv:3:4: score for criterion "economic": "1.500,5" has both a point and a comma: expected a single decimal separator and no thousands separator`,
				}
			}},
		{"bad decimal without a criterion", "project,judge,criterion,score\nP1,J1,,1.\n",
			func(t *testing.T) []string {
				return []string{
					`s.csv:2:3: empty criterion cell: expected a criterion id`,
					`s.csv:2:4: score: ` + decErr(t, "1."),
				}
			}},
		{"ragged rows", "project,judge,criterion,score\nP1,J1,social\nP1,J1,social,1,2\nP1,J1,social,1\n", lines(
			"s.csv:2: expected 4 cells, found 3",
			"s.csv:3:5: expected 4 cells, found 5")},
		{"unclosed quote", "project,judge,criterion,score\nP1,\"J1,social,1\nP2,J1,social,2\n", lines(
			`s.csv:2: extraneous or missing " in a quoted cell of the row that starts here, found on line 3, column 16: ` +
				`is a quote left open? (expected "" for a quote inside a cell and " at its end)`)},
		{"quote after a quoted cell", "project,judge,criterion,score\nP1,\"J1\"x,social,1\nP2,J1,social,NaN\n", lines(
			`s.csv:2:7: extraneous or missing " in a quoted cell: expected "" for a quote inside it and " at its end`)},
		{"bare quote", "project,judge,criterion,score\nP1,J\"1,social,1\n", lines(
			`s.csv:2:5: bare " in an unquoted cell: expected the whole cell quoted and the quote doubled, as in "a""b"`)},
		{"empty ids", "project,judge,criterion,score\n,J1,social,1\nP1, ,social,1\nP1,J1,,1\n", lines(
			"s.csv:2:1: empty project cell: expected a project id",
			"s.csv:3:2: empty judge cell: expected a judge id",
			"s.csv:4:3: empty criterion cell: expected a criterion id")},
		{"not UTF-8", "project,judge,social\nP\xff,J1,1\nP2,J\xe91,2\n", lines(
			"s.csv:2:1: project "+notUTF8,
			"s.csv:3:2: judge "+notUTF8)},
		{"several problems at once", "project,judge,social,economic\n" +
			"P1,J1,NaN,7\n" + // line 2
			"\"P\n2\",,5,x\n" + // lines 3 and 4: the judge and x cells start on line 4
			"P3,J1,1\n" + // line 5
			"P4,J1,1,2\n", // line 6: good, but no scores come back
			func(t *testing.T) []string {
				return []string{
					`s.csv:2:3: score for criterion "social": ` + decErr(t, "NaN"),
					`s.csv:4:2: empty judge cell: expected a judge id`,
					`s.csv:4:4: score for criterion "economic": ` + decErr(t, "x"),
					`s.csv:5: expected 4 cells, found 3`,
				}
			}},
		{"header problems, then row problems", "Project,judge,economic,socail\nP1,,1,x\n", lines(
			`s.csv:1:1: column "Project": expected "project" (names are case-sensitive)`,
			`s.csv:1:4: unknown column "socail": did you mean "social"?`,
			`s.csv:2:2: empty judge cell: expected a judge id`)},
		{"one name", "project|judge|social\nP1|J1|1\nP2|J1|1\n", lines(
			`s.csv:1: the header is one name, "project|judge|social": expected names separated by ',', ';' or a tab`)},
		{"tied delimiters", "project,judge;social;economic,x\nP1,J1;1;2,3\n", lines(
			`s.csv:1: cannot tell what separates the header's names: it has 2 ',' and 2 ';': set --delimiter`)},
		{"tied delimiters, tabs", "project\tjudge,social\nP1\tJ1,1\n", lines(
			`s.csv:1: cannot tell what separates the header's names: it has 1 ',' and 1 tab: set --delimiter`)},
		{"a sep= line, then an empty file", "sep=;\r\n", lines(
			`s.csv:2: empty file: expected a header line`)},
		{"a sep= line shifts the lines", "sep=\t\nproject\tjudge\tsocial\nP1\t\t1\n", lines(
			`s.csv:3:2: empty judge cell: expected a judge id`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readScores(strings.NewReader(tt.in), "s.csv", criteria)
			require.Nil(t, got, "no scores with problems")
			if diff := cmp.Diff(tt.want(t), problems(t, err)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestReadScoresDialects: each spreadsheet's way of writing the same
// scores reads as the same decimals, with the dialect it was written in;
// settings override the detection, and a wrong setting says what the
// header shows.
func TestReadScoresDialects(t *testing.T) {
	const rubric = "social"
	canonical := []string{"P1/J1/social=15.5@2:3", "P1/J2/social=12@3:3", "P2/J1/social=0.25@4:3"}
	tests := []struct {
		name     string
		in       string
		d        Dialect
		want     []string // the scores, or
		problems []string // the problems
		layout   Layout
	}{
		{name: "canonical", in: "project,judge,social\nP1,J1,15.5\nP1,J2,12\nP2,J1,0.25\n",
			want: canonical, layout: Layout{Dialect: Dialect{Comma: ',', Decimal: '.'}}},
		{name: "French Excel: BOM, ';', decimal commas, CRLF",
			in:   "\ufeffproject;judge;social\r\nP1;J1;15,5\r\nP1;J2;12\r\nP2;J1;0,25\r\n",
			want: canonical, layout: Layout{Dialect: Dialect{Comma: ';', Decimal: ',', BOM: true}}},
		{name: "';' with points (a LibreOffice set to ';'), and a sep= line",
			in:     "sep=;\nproject;judge;social\nP1;J1;15.5\nP1;J2;12\nP2;J1;0.25\n",
			want:   []string{"P1/J1/social=15.5@3:3", "P1/J2/social=12@4:3", "P2/J1/social=0.25@5:3"},
			layout: Layout{Dialect: Dialect{Comma: ';', Decimal: '.'}}},
		{name: "';' and whole numbers only: a decimal comma, as the locale writes it",
			in:   "project;judge;social\nP1;J1;15\n",
			want: []string{"P1/J1/social=15@2:3"}, layout: Layout{Dialect: Dialect{Comma: ';', Decimal: ','}}},
		{name: "LibreOffice, French locale: ',' and quoted decimal commas",
			in:   "project,judge,social\nP1,J1,\"15,5\"\nP1,J2,12\nP2,J1,\"0,25\"\n",
			want: canonical, layout: Layout{Dialect: Dialect{Comma: ',', Decimal: ','}}},
		{name: "tabs", in: "project\tjudge\tsocial\nP1\tJ1\t15.5\nP1\tJ2\t12\nP2\tJ1\t0.25\n",
			want: canonical, layout: Layout{Dialect: Dialect{Comma: '\t', Decimal: '.'}}},
		{name: "tabs with decimal commas", in: "project\tjudge\tsocial\nP1\tJ1\t15,5\nP1\tJ2\t12\nP2\tJ1\t0,25\n",
			want: canonical, layout: Layout{Dialect: Dialect{Comma: '\t', Decimal: ','}}},
		{name: "names holding ',' inside quotes do not count",
			in:   "project;judge;social;\"total, /20\"\nP1;J1;15,5;\"15,5\"\n",
			want: []string{"P1/J1/social=15.5@2:3"},
			layout: Layout{Dialect: Dialect{Comma: ';', Decimal: ','}, Ignored: []string{"total, /20"},
				Notices: []Problem{{File: "s.csv", Line: 1, Msg: `ignored column "total, /20": not criteria of the rubric (social)`}}}},
		{name: "a decimal comma that could be thousands gets a notice",
			in:   "project,judge,social\nP1,J1,\"1,500\"\nP1,J2,\"1,250\"\nP1,J3,\"1,5\"\n",
			want: []string{"P1/J1/social=1.5@2:3", "P1/J2/social=1.25@3:3", "P1/J3/social=1.5@4:3"},
			layout: Layout{Dialect: Dialect{Comma: ',', Decimal: ','},
				Notices: []Problem{{File: "s.csv", Line: 2, Column: 3,
					Msg: `read "1,500" as 1.5, with a decimal comma: if it means 1500, write it without the comma (and 1 more cells like it)`}}}},
		{name: "no notice when the decimal comma is set",
			in: "project,judge,social\nP1,J1,\"1,500\"\n", d: Dialect{Decimal: ','},
			want: []string{"P1/J1/social=1.5@2:3"}, layout: Layout{Dialect: Dialect{Comma: ',', Decimal: ','}}},
		{name: "the delimiter set", in: "project;judge;social\nP1;J1;15,5\n", d: Dialect{Comma: ';'},
			want: []string{"P1/J1/social=15.5@2:3"}, layout: Layout{Dialect: Dialect{Comma: ';', Decimal: ','}}},
		{name: "the delimiter set to ',' on a French Excel file",
			in: "\ufeffproject;judge;social\r\nP1;J1;15,5\r\nP2;J1;12\r\nP3;J1;11\r\n", d: Dialect{Comma: ','},
			problems: []string{`s.csv:1: the header has ';' between names, not ',' (--delimiter): is this a French-locale Excel export? ` +
				`Leave out --delimiter to detect it, or set --delimiter ';'`}},
		{name: "the delimiter set to ';' on a tab-separated file",
			in: "project\tjudge\tsocial\nP1\tJ1\t15\n", d: Dialect{Comma: ';'},
			problems: []string{`s.csv:1: the header has tabs between names, not ';' (--delimiter): is this a tab-separated export? ` +
				`Leave out --delimiter to detect it, or set --delimiter tab`}},
		{name: "the delimiter set to tab on a ',' file",
			in: "project,judge,social\nP1,J1,15\n", d: Dialect{Comma: '\t'},
			problems: []string{`s.csv:1: the header has ',' between names, not tabs (--delimiter): is this an English-locale export? ` +
				`Leave out --delimiter to detect it, or set --delimiter ','`}},
		{name: "the decimal comma set: a point is a problem",
			in: "project;judge;social\nP1;J1;15.5\nP1;J2;15,5\n", d: Dialect{Decimal: ','},
			problems: []string{`s.csv:2:3: score for criterion "social": "15.5" has a decimal point, but the file is read with a decimal comma (as in 7,5)`}},
		{name: "the decimal point set: a comma is a problem",
			in: "project;judge;social\nP1;J1;15.5\nP1;J2;15,5\n", d: Dialect{Decimal: '.'},
			problems: []string{`s.csv:3:3: score for criterion "social": "15,5" has a decimal comma, but the file is read with a decimal point (as in 7.5)`}},
		{name: "a decimal comma that is not a decimal",
			in:       "project;judge;social\nP1;J1;15,\nP1;J2;1,5,5\n",
			problems: []string{`s.csv:2:3: score for criterion "social": "15," is not a decimal: expected a digit after the comma`, `s.csv:3:3: score for criterion "social": "1,5,5" is not a decimal: unexpected ","`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, layout, err := ReadScores(strings.NewReader(tt.in), Options{Name: "s.csv", Criteria: []string{rubric}, Dialect: tt.d})
			if tt.problems != nil {
				if diff := cmp.Diff(tt.problems, problems(t, err)); diff != "" {
					t.Errorf("problems (-want +got):\n%s", diff)
				}
				return
			}
			require.NoError(t, err)
			if diff := cmp.Diff(tt.want, brief(got)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.layout, layout, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("layout (-want +got):\n%s", diff)
			}
		})
	}
}

// TestReadScoresIgnoresColumns: columns that name nothing a scores file
// has are ignored, with one notice naming them all.
func TestReadScoresIgnoresColumns(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
		notice   string
	}{
		{"wide, extra columns and one without a name",
			"project,judge,social,total,comment,\nP1,J1,1,1,ok,x\n", []string{"P1/J1/social=1@2:3"},
			`s.csv:1: ignored columns "total", "comment" and 1 without a name: not criteria of the rubric (social, economic)`},
		{"long, a comment", "project,judge,criterion,score,comment\nP1,J1,social,1,ok\n", []string{"P1/J1/social=1@2:4"},
			`s.csv:1: ignored column "comment": a long-form scores file reads project, judge, criterion and score`},
		{"two columns without a name", "project,judge,social,,\nP1,J1,1,,\n", []string{"P1/J1/social=1@2:3"},
			`s.csv:1: ignored 2 columns without a name: not criteria of the rubric (social, economic)`},
		{"a column whose cells are not read may hold anything", "project,judge,social,note\nP1,J1,1,\xff\n", []string{"P1/J1/social=1@2:3"},
			`s.csv:1: ignored column "note": not criteria of the rubric (social, economic)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, layout, err := ReadScores(strings.NewReader(tt.in), Options{Name: "s.csv", Criteria: criteria})
			require.NoError(t, err)
			if diff := cmp.Diff(tt.want, brief(got)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			require.Len(t, layout.Notices, 1)
			require.Equal(t, tt.notice, layout.Notices[0].Error())
		})
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"social", "social", 0},
		{"socail", "social", 1}, // a swap
		{"socal", "social", 1},
		{"regoin", "region", 1},
		{"titre", "title", 1},
		{"youht", "youth", 1},
		{"innovaton", "innovation", 1},
		{"", "id", 2},
		{"total", "social", 3}, // too far to be a typo
		{"a", "abcdefgh", 1 << 10},
	}
	for _, tt := range tests {
		t.Run(tt.a+"/"+tt.b, func(t *testing.T) {
			require.Equal(t, tt.want, distance(tt.a, tt.b))
		})
	}
}

// lines returns a want function for messages that do not depend on
// dectext's.
func lines(want ...string) func(*testing.T) []string {
	return func(*testing.T) []string { return want }
}

func TestReadScoresTooManyProblems(t *testing.T) {
	var b strings.Builder
	b.WriteString("project,judge,social\n")
	for range 2 * MaxProblems {
		b.WriteString("P1,,1\n")
	}
	_, err := readScores(strings.NewReader(b.String()), "s.csv", criteria)
	var ps Problems
	require.ErrorAs(t, err, &ps)
	// MaxProblems problems, and the one that says the reader stopped: at
	// the row of the last, line MaxProblems+1.
	require.Len(t, ps, MaxProblems+1)
	require.Equal(t, "s.csv:2:2: empty judge cell: expected a judge id", ps[0].Error())
	require.Equal(t, fmt.Sprintf("s.csv:%d: too many problems; stopping", MaxProblems+1), ps[MaxProblems].Error())
}

func TestReadScoresIOError(t *testing.T) {
	boom := errors.New("boom")
	in := io.MultiReader(strings.NewReader("project,judge,social\nP1,J1,1\n"), iotest.ErrReader(boom))
	_, err := readScores(in, "s.csv", criteria)
	require.ErrorIs(t, err, boom)
	var ps Problems
	require.False(t, errors.As(err, &ps), "an I/O error is not a problem of the file")
	require.EqualError(t, err, "reading s.csv: boom")

	_, err = readProjects(iotest.ErrReader(boom), "p.csv")
	require.ErrorIs(t, err, boom)
}

// TestReadScoresSized reads a file large enough for readScores to size its
// result from the input's size, given three ways: the results agree.
func TestReadScoresSized(t *testing.T) {
	data := wideFile(3000) // 60 projects of 50 judges, past sampleRows
	rubric := []string{"social", "economic", "innovation", "territorial", "youth"}
	path := filepath.Join(t.TempDir(), "wide.csv")
	require.NoError(t, os.WriteFile(path, data, 0o644))
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	require.Equal(t, int64(len(data)), inputSize(f))
	fromFile, err := readScores(f, "w.csv", rubric)
	require.NoError(t, err)

	// A reader that tells no size: the result grows as it goes.
	require.Equal(t, int64(-1), inputSize(struct{ io.Reader }{bytes.NewReader(data)}))
	unsized, err := readScores(struct{ io.Reader }{bytes.NewReader(data)}, "w.csv", rubric)
	require.NoError(t, err)
	sized, err := readScores(bytes.NewReader(data), "w.csv", rubric)
	require.NoError(t, err)

	require.Len(t, unsized, 3000*5*19/20) // one cell in 20 is empty
	if diff := cmp.Diff(unsized, fromFile, equalDecimals); diff != "" {
		t.Errorf("from a file (-unsized +file):\n%s", diff)
	}
	if diff := cmp.Diff(unsized, sized, equalDecimals); diff != "" {
		t.Errorf("from bytes (-unsized +sized):\n%s", diff)
	}
}

func TestEstimate(t *testing.T) {
	tests := []struct {
		name         string
		n            int
		offset, size int64
		want         int
	}{
		{"same density, a sixteenth more", 1000, 10_000, 100_000, 10_625},
		{"at most a score in two bytes", 1000, 1000, 100_000, 50_000},
		{"nothing read", 0, 0, 100, 0},
		{"all read", 10, 100, 100, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, estimate(tt.n, tt.offset, tt.size))
		})
	}
}

// columns returns the Columns of a projects file with the fields named,
// in order, after the fixed fields at 0.
func columns(fields ...string) map[string]int {
	m := map[string]int{"id": 0, "title": 0, "region": 0, "sector": 0, "cooperative": 0, "submitted_at": 0, "attributes": 0}
	for i, f := range fields {
		if f != "" {
			m[f] = i + 1
		}
	}
	return m
}

func TestReadProjects(t *testing.T) {
	all := columns("id", "title", "region", "sector", "cooperative", "submitted_at")
	at := time.Date(2025, 4, 16, 9, 30, 0, 0, time.UTC)
	tests := []struct {
		name   string
		in     string
		extra  bool
		want   []Project
		layout Layout
	}{
		{name: "every column",
			in: "id,title,region,sector,cooperative,submitted_at\n" +
				"P1,\"Solar drying, Dakhla\",dakhla-oued-ed-dahab,fishing,coop-017,2025-04-16T09:30:00Z\n" +
				"P2,,,,,\n",
			want: []Project{
				{Project: bank.Project{ID: "P1", Title: "Solar drying, Dakhla", Region: "dakhla-oued-ed-dahab", Sector: "fishing",
					Cooperative: "coop-017", SubmittedAt: at}, Line: 2, Columns: all},
				{Project: bank.Project{ID: "P2"}, Line: 3, Columns: all},
			},
			layout: Layout{Dialect: Dialect{Comma: ',', Decimal: '.'}}},
		{name: "some columns in any order, BOM, CRLF, blank rows",
			in: "\ufefftitle, id \r\n,\r\n Fish , P1 \r\n\r\nOlives,P2\r\n",
			want: []Project{
				{Project: bank.Project{ID: "P1", Title: "Fish"}, Line: 3, Columns: columns("title", "id")},
				{Project: bank.Project{ID: "P2", Title: "Olives"}, Line: 5, Columns: columns("title", "id")},
			},
			layout: Layout{Dialect: Dialect{Comma: ',', Decimal: '.', BOM: true}}},
		{name: "French Excel: ';', attribute columns, an extra column, a formula kept inert",
			in: "\ufeffid;titre;attributes.women_led;title;attributes.track\r\nP1;x;yes;'=1+2;\r\nP2;y;;Fès;agri\r\n",
			want: []Project{
				{Project: bank.Project{ID: "P1", Title: "=1+2", Attributes: map[string]string{"women_led": "yes"}}, Line: 2,
					Columns: columns("id", "", "attributes.women_led", "title", "attributes.track")},
				{Project: bank.Project{ID: "P2", Title: "Fès", Attributes: map[string]string{"track": "agri"}}, Line: 3,
					Columns: columns("id", "", "attributes.women_led", "title", "attributes.track")},
			},
			layout: Layout{Dialect: Dialect{Comma: ';', Decimal: ',', BOM: true}, Ignored: []string{"titre"},
				Notices: []Problem{{File: "p.csv", Line: 1, Msg: `ignored column "titre": ` + notProjectFields}}}},
		{name: "extra columns as attributes",
			in:    "id\twomen_led\t\nP1\tyes\t\n",
			extra: true,
			want: []Project{{Project: bank.Project{ID: "P1", Attributes: map[string]string{"women_led": "yes"}}, Line: 2,
				Columns: columns("id", "attributes.women_led")}},
			layout: Layout{Dialect: Dialect{Comma: '\t', Decimal: '.'}, Ignored: []string{""},
				Notices: []Problem{{File: "p.csv", Line: 1, Msg: `ignored 1 column without a name: an attribute needs a name`}}}},
		{name: "the bank's attributes cell, with a column that agrees",
			in: "id,attributes,attributes.a\nP1,\"{\"\"a\"\":\"\"1\"\",\"\"b\"\":\"\"2\"\"}\",1\nP2,{},\n",
			want: []Project{
				{Project: bank.Project{ID: "P1", Attributes: map[string]string{"a": "1", "b": "2"}}, Line: 2, Columns: columns("id", "attributes", "attributes.a")},
				{Project: bank.Project{ID: "P2"}, Line: 3, Columns: columns("id", "attributes", "attributes.a")},
			},
			layout: Layout{Dialect: Dialect{Comma: ',', Decimal: '.'}}},
		{name: "a sep= line names the delimiter; lines count it",
			in:     "sep=;\nid;title\nP1;a,b\n",
			want:   []Project{{Project: bank.Project{ID: "P1", Title: "a,b"}, Line: 3, Columns: columns("id", "title")}},
			layout: Layout{Dialect: Dialect{Comma: ';', Decimal: ','}}},
		{name: "only a header", in: "id\n", layout: Layout{Dialect: Dialect{Comma: ',', Decimal: '.'}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, layout, err := ReadProjects(strings.NewReader(tt.in), Options{Name: "p.csv", ExtraAsAttributes: tt.extra})
			require.NoError(t, err)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.layout, layout, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("layout (-want +got):\n%s", diff)
			}
		})
	}
}

// notProjectFields ends the notice about ignored projects columns.
const notProjectFields = "not project fields (name a column attributes.<key>, or use --extra-as-attributes, to read it as an attribute)"

func TestReadProjectsProblems(t *testing.T) {
	const allowed = "(expected id and any of title,region,sector,cooperative,submitted_at,attributes,attributes.<key>)"
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty file", "", []string{"p.csv:1: empty file: expected a header line"}},
		{"a typo, missing id", "title,regoin\nx,y\n", []string{
			`p.csv:1:2: unknown column "regoin": did you mean "region"?`,
			`p.csv:1: header: missing column "id" ` + allowed}},
		{"case-different", "ID,title,Region,Attributes.x\nP1,x,y,z\n", []string{
			`p.csv:1:1: column "ID": expected "id" (names are case-sensitive)`,
			`p.csv:1:3: column "Region": expected "region" (names are case-sensitive)`,
			`p.csv:1:4: column "Attributes.x": expected "attributes.x" (names are case-sensitive)`}},
		{"duplicate column", "id,title,title\nP1,x,y\n", []string{
			`p.csv:1:3: duplicate column "title": expected each column once (first in column 2)`}},
		{"attribute columns", "id,attributes.,attributes.a,attributes.a\nP1,x,y,z\n", []string{
			`p.csv:1:2: column "attributes.": expected a key after "attributes.", as in attributes.women_led`,
			`p.csv:1:4: column "attributes.a" fills attribute "a", as column 3 does: expected each attribute once`}},
		{"empty id, ragged rows", "id,title\n,x\nP2\nP3,a,b\nP4,ok\n", []string{
			"p.csv:2:1: empty id cell: expected a project id",
			"p.csv:3: expected 2 cells, found 1",
			"p.csv:4:3: expected 2 cells, found 3"}},
		{"not UTF-8", "id,title\nP1,\xe9t\xe9\n", []string{
			`p.csv:2:2: title cell is not valid UTF-8: expected UTF-8 (save the file as "CSV UTF-8")`}},
		{"unclosed quote", "id,title\nP1,\"Fish\n", []string{
			`p.csv:2:10: extraneous or missing " in a quoted cell: expected "" for a quote inside it and " at its end`}},
		{"bad timestamp and attributes", "id,submitted_at,attributes,attributes.a\nP1,16/04/2025,[1],\nP2,,\"{\"\"a\"\":\"\"1\"\"}\",2\n", []string{
			`p.csv:2:2: "16/04/2025" is not an RFC 3339 timestamp (expected e.g. 2025-04-16T09:30:00Z)`,
			`p.csv:2:3: attributes cell: expected a JSON object of strings, such as {"women_led":"yes"}, found "[1]"`,
			`p.csv:3:4: attribute "a" is "2" in column attributes.a and "1" in the attributes cell: expected one value`}},
		{"one name", "id|title\nP1|x\n", []string{
			`p.csv:1: the header is one name, "id|title": expected names separated by ',', ';' or a tab`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readProjects(strings.NewReader(tt.in), "p.csv")
			require.Nil(t, got)
			if diff := cmp.Diff(tt.want, problems(t, err)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	// Extra columns read as attributes: a typo of a field is still a
	// problem, and an attribute still comes once.
	for name, tt := range map[string]struct {
		in   string
		want []string
	}{
		"a typo":             {"id,regoin,women_led\nP1,x,y\n", []string{`p.csv:1:2: unknown column "regoin": did you mean "region"?`}},
		"the same key twice": {"id,women_led,attributes.women_led\nP1,x,y\n", []string{`p.csv:1:2: column "women_led" fills attribute "women_led", as column 3 does: expected each attribute once`}},
	} {
		t.Run(name, func(t *testing.T) {
			got, _, err := ReadProjects(strings.NewReader(tt.in), Options{Name: "p.csv", ExtraAsAttributes: true})
			require.Nil(t, got)
			if diff := cmp.Diff(tt.want, problems(t, err)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestProblemError(t *testing.T) {
	tests := []struct {
		name string
		p    Problem
		want string
	}{
		{"line and column", Problem{"s.csv", 3, 4, "bad"}, "s.csv:3:4: bad"},
		{"no column", Problem{"s.csv", 3, 0, "bad"}, "s.csv:3: bad"},
		{"no line", Problem{"s.csv", 0, 0, "bad"}, "s.csv: bad"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, tt.p.Error())
		})
	}
	ps := Problems{{"a.csv", 1, 0, "x"}, {"a.csv", 2, 3, "y"}}
	require.Equal(t, "a.csv:1: x\na.csv:2:3: y", ps.Error())
}

// FuzzReadScores checks invariants, in each dialect: no panic; problems
// have a line and a message; scores have a position below the header; and
// the scores written back in the dialect read read back the same, with the
// dialect detected.
func FuzzReadScores(f *testing.F) {
	for _, s := range []string{
		"project,judge,criterion,score\nP1,J1,social,15.5\nP1,J2,economic,\n",
		"project,judge,social,economic\nP1,J1,15.5,14\nP2,J1,,9\n",
		"\ufeffproject,judge,social\r\n\"P,1\",J1,1e1\r\n",
		"project,judge,social\n\"P\n1\",J1,0e-999999\n",
		"project,judge,criterion,score\nP1,\"J1,social,1\n",
		"project,judge,social,economic\nP1,J1,NaN,7\n,,\nP3,J1,1\n",
		"score,criterion,judge,project\n-0.000,x, J , P \n",
		"\ufeffproject;judge;social;total\r\nP1;J1;15,5;x\r\n",
		"sep=\t\nproject\tjudge\tsocial\nP1\tJ1\t\"1,500\"\n",
	} {
		f.Add([]byte(s), true)
		f.Add([]byte(s), false)
	}
	f.Fuzz(func(t *testing.T, in []byte, withRubric bool) {
		var crit []string
		if withRubric {
			crit = criteria
		}
		for _, d := range dialects {
			got, layout, err := ReadScores(bytes.NewReader(in), Options{Name: "f.csv", Criteria: crit, Dialect: d})
			if err != nil {
				var ps Problems
				if !errors.As(err, &ps) {
					t.Fatalf("not Problems: %v", err)
				}
				if len(ps) == 0 || len(ps) > MaxProblems+1 {
					t.Fatalf("%d problems", len(ps))
				}
				for _, p := range ps {
					if p.Line < 1 || p.Column < 0 || p.Msg == "" {
						t.Fatalf("problem without a place or message: %+v", p)
					}
				}
				if got != nil {
					t.Fatalf("scores with problems: %v", got)
				}
				continue
			}
			var table scoring.Scores
			for _, s := range got {
				if s.Line < 2 || s.Column < 1 || s.ProjectColumn < 1 || s.JudgeColumn < 1 || s.CriterionColumn < 1 {
					t.Fatalf("bad position: %+v", s)
				}
				table.Append(s.Score)
			}
			var buf bytes.Buffer
			if err := WriteScores(&buf, table, layout.Dialect); err != nil {
				var ps afkar.Problems
				if !errors.As(err, &ps) {
					t.Fatalf("writing back: %v", err)
				}
				continue // an id a cell cannot hold as it is ("a\rb")
			}
			back, backLayout, err := ReadScores(&buf, Options{Name: "back.csv"})
			if err != nil {
				t.Fatalf("reading back %q: %v", buf.String(), err)
			}
			if backLayout.Dialect.Comma != layout.Dialect.Comma || backLayout.Dialect.BOM != layout.Dialect.BOM {
				t.Fatalf("written in %+v, read back as %+v", layout.Dialect, backLayout.Dialect)
			}
			// encoding/csv reads "\r\n" inside a quoted cell as "\n", so a
			// cell holding "\r\r\n" reads as "\r\n" once and as "\n" the
			// second time: compare cells with line endings folded.
			if diff := cmp.Diff(got, back, equalValues, ignorePositions, cmpopts.EquateEmpty(), foldLineEnds); diff != "" {
				t.Fatalf("round trip in %+v (-first +second):\n%s", layout.Dialect, diff)
			}
		}
	})
}

// equalValues compares decimals by value.
var equalValues = cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })

// foldLineEnds compares strings with every "\r\n" folded to "\n", to a
// fixed point.
var foldLineEnds = cmp.Comparer(func(a, b string) bool { return foldCRLF(a) == foldCRLF(b) })

func foldCRLF(s string) string {
	for strings.Contains(s, "\r\n") {
		s = strings.ReplaceAll(s, "\r\n", "\n")
	}
	return s
}

// wideFile returns a wide-form scores file of rows rows: 2000 projects of
// 50 judges each for 100,000 rows, scores on a 0 to 10 scale in halves,
// one in 20 missing.
func wideFile(rows int) []byte {
	var b bytes.Buffer
	b.WriteString("project,judge,social,economic,innovation,territorial,youth\n")
	for i := range rows {
		fmt.Fprintf(&b, "DAK-%04d,J%02d", i/50, i%50)
		for c := range 5 {
			b.WriteByte(',')
			if k := i*5 + c; k%20 != 7 {
				b.WriteString(decimal.New(int64(k*7%21), 0).Div(decimal.NewFromInt(2)).String())
			}
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

func BenchmarkReadScoresWide(b *testing.B) {
	data := wideFile(100_000)
	rubric := []string{"social", "economic", "innovation", "territorial", "youth"}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		ss, err := readScores(bytes.NewReader(data), "w.csv", rubric)
		if err != nil {
			b.Fatal(err)
		}
		if len(ss) != 475_000 { // 500,000 cells, one in 20 empty
			b.Fatalf("%d scores", len(ss))
		}
	}
}

// FuzzReadProjects: no panic; a problem has a place; a project has an id,
// a line after the header, and the columns of its file.
func FuzzReadProjects(f *testing.F) {
	f.Add("id,title,region\nP1,\"Solar drying, Dakhla\",dakhla-oued-ed-dahab\n")
	f.Add("\ufeffid,submitted_at\r\nP1,2025-04-16T09:30:00Z\r\n")
	f.Add("title,regoin\nx,y\n")
	f.Add("\ufeffid;attributes.women_led;attributes;summary\r\nP1;yes;\"{\"\"a\"\":\"\"b\"\"}\";x\r\n")
	f.Fuzz(func(t *testing.T, in string) {
		got, _, err := ReadProjects(strings.NewReader(in), Options{Name: "p.csv", ExtraAsAttributes: len(in)%2 == 0})
		if err != nil {
			var ps Problems
			if errors.As(err, &ps) {
				for _, p := range ps {
					if p.Line < 1 || p.Msg == "" {
						t.Fatalf("problem without a place or message: %+v", p)
					}
				}
			}
			return
		}
		for _, p := range got {
			if p.ID == "" || p.Line < 2 || p.Columns["id"] < 1 {
				t.Fatalf("bad project %+v", p)
			}
		}
	})
}
