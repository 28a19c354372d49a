package spreadsheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/scoring"
)

// writeDialects are the dialects the writers are tried in.
var writeDialects = []Dialect{{}, {Comma: ';', Decimal: ',', BOM: true}, {Comma: ',', Decimal: ','}, {Comma: '\t'}, {Comma: '\t', Decimal: ','}}

// TestAppendCellMatchesEncodingCSV: a cell is quoted exactly when
// encoding/csv quotes it, for each delimiter.
func TestAppendCellMatchesEncodingCSV(t *testing.T) {
	cells := []string{"", "plain", "a,b", "a;b", "a\tb", `a "q"`, "line\nbreak", "cr\rhere", " lead", "\u00a0nbsp", `\.`, "تعاونية", "15,5"}
	for _, comma := range []rune{',', ';', '\t'} {
		for _, c := range cells {
			var want bytes.Buffer
			w := csv.NewWriter(&want)
			w.Comma = comma
			require.NoError(t, w.Write([]string{c}))
			w.Flush()
			got := string(Dialect{Comma: comma}.AppendCell(nil, c)) + "\n"
			require.Equal(t, want.String(), got, "comma %q, cell %q", comma, c)
		}
	}
}

func TestAppendDecimal(t *testing.T) {
	tests := []struct {
		d        Dialect
		in, want string
	}{
		{Dialect{}, "15.50", "15.50"},
		{Dialect{Comma: ';', Decimal: ','}, "15.50", "15,50"},
		{Dialect{Decimal: ','}, "15.50", `"15,50"`},
		{Dialect{Decimal: ','}, "15", "15"},
		{Dialect{Comma: '\t', Decimal: ','}, "-0.5", "-0,5"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, string(tt.d.AppendDecimal(nil, tt.in)), "%+v %s", tt.d, tt.in)
	}
}

// TestWriteReadBack: in every dialect, what the writers write the readers
// read back as it was, and detect the dialect it was written in.
func TestWriteReadBack(t *testing.T) {
	var scores scoring.Scores
	for i, v := range []string{"15.50", "0", "20", "0.125", "1.500", "-2.5", "7"} {
		scores.Append(scoring.Score{Judge: []string{"J1", "J2"}[i%2], Project: []string{"P1", "P2", "P3"}[i%3], Criterion: "social", Value: decimal.RequireFromString(v)})
	}
	at := time.Date(2025, 4, 16, 10, 30, 0, 500, time.FixedZone("", 3600))
	projects := []bank.Project{
		{ID: "P1", Title: "Séchage solaire du poisson, Dakhla", Region: "dakhla-oued-ed-dahab", Sector: "fishing", Cooperative: "coop-042",
			SubmittedAt: at, Attributes: map[string]string{"women_led": "yes", "track; 2": "agri\ttech"}},
		{ID: "P2", Title: "=SUM(A1:A9)", Region: "+x", Sector: "-y", Cooperative: "@z", Attributes: map[string]string{"women_led": "no"}},
		{ID: "P3", Title: "تعاونية الأركان \"الذهبية\"\nسطر ثان"},
	}
	judges := []bank.Judge{
		{ID: "J1", Name: "Amina Idrissi", Cooperative: "coop-017", Conflicts: []string{"P2", "P3"}},
		{ID: "J2", Name: "'=quoted", Conflicts: nil},
	}
	for _, d := range writeDialects {
		var sb, pb, jb bytes.Buffer
		require.NoError(t, WriteScores(&sb, scores, d))
		require.NoError(t, WriteProjects(&pb, projects, d))
		require.NoError(t, WriteJudges(&jb, judges, d))
		want := d.writing()
		ss, layout, err := ReadScores(&sb, Options{})
		require.NoError(t, err, "%+v", d)
		require.Equal(t, want, layout.Dialect, "scores layout, %+v", d)
		got := make([]scoring.Score, len(ss))
		for i, s := range ss {
			got[i] = s.Score
		}
		if diff := cmp.Diff(scores.Slice(), got, equalDecimal); diff != "" {
			t.Errorf("scores, %+v (-want +got):\n%s", d, diff)
		}
		ps, layout, err := ReadProjects(&pb, Options{})
		require.NoError(t, err, "%+v", d)
		require.Equal(t, want.Comma, layout.Dialect.Comma)
		require.Equal(t, want.BOM, layout.Dialect.BOM)
		back := make([]bank.Project, len(ps))
		for i, p := range ps {
			back[i] = p.Project
		}
		if diff := cmp.Diff(projects, back); diff != "" {
			t.Errorf("projects, %+v (-want +got):\n%s", d, diff)
		}
		js, _, err := ReadJudges(&jb, Options{})
		require.NoError(t, err, "%+v", d)
		if diff := cmp.Diff(judges, judgesOf(js), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("judges, %+v (-want +got):\n%s", d, diff)
		}
	}
}

// equalDecimal compares decimals by value: the writer spells them
// shortest, as Dataset.MarshalJSON does ("15.50" as 15.5), which the
// digest does not tell apart.
var equalDecimal = cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })

// TestWriteProblems: what a cell cannot hold as it is is reported at its
// dataset path, and nothing is written.
func TestWriteProblems(t *testing.T) {
	var out bytes.Buffer
	err := WriteProjects(&out, []bank.Project{
		{ID: "P1", Title: " padded"},
		{ID: "P2", Region: "a\rb", Attributes: map[string]string{"empty": "", "": "x", "k ": "v"}},
	}, Dialect{})
	require.Empty(t, out.String())
	var ps afkar.Problems
	require.True(t, errors.As(err, &ps), "%v", err)
	require.Equal(t, []string{
		`projects[0].title: " padded" starts or ends with white space, which a spreadsheet cell does not keep`,
		`projects[1].region: "a\rb" holds a carriage return, which a CSV file does not keep`,
		`projects[1].attributes.: attribute key "" cannot be a column name (attributes.<key>, trimmed)`,
		`projects[1].attributes.empty: an empty value, which a spreadsheet reads as no attribute`,
		`projects[1].attributes.k : attribute key "k " cannot be a column name (attributes.<key>, trimmed)`,
	}, strings.Split(ps.Error(), "\n"))

	err = WriteJudges(&out, []bank.Judge{{ID: "J1", Name: "x ", Conflicts: []string{"P1|P2", ""}}}, Dialect{})
	require.Empty(t, out.String())
	require.True(t, errors.As(err, &ps), "%v", err)
	require.Equal(t, []string{
		`judges[0].name: "x " starts or ends with white space, which a spreadsheet cell does not keep`,
		`judges[0].conflicts[0]: "P1|P2" holds one of | ; ,, which separate conflicts`,
		`judges[0].conflicts[1]: an empty project id, which a spreadsheet cell cannot hold`,
	}, strings.Split(ps.Error(), "\n"))

	var bad scoring.Scores
	bad.Append(scoring.Score{Judge: "J\xff", Project: "P1", Criterion: "c", Value: decimal.New(1, 0)})
	err = WriteScores(&out, bad, Dialect{})
	require.Empty(t, out.String())
	require.EqualError(t, err, `scores[0].judge: "J\xff" is not valid UTF-8`)

	require.EqualError(t, WriteScores(&out, scoring.Scores{}, Dialect{Comma: '|'}), `spreadsheet: Dialect.Comma '|': expected ',', ';' or a tab`)
	require.EqualError(t, WriteJudges(&out, nil, Dialect{Decimal: '٫'}), `spreadsheet: Dialect.Decimal '٫': expected '.' or ','`)
	_, _, err = ReadScores(strings.NewReader("project,judge,c\n"), Options{Dialect: Dialect{Comma: ':'}})
	require.EqualError(t, err, `spreadsheet: Dialect.Comma ':': expected ',', ';' or a tab`)
}

// FuzzWriteProjects: a project written in any dialect either reads back
// as it was, dialect detected, or is refused with a problem at its path.
func FuzzWriteProjects(f *testing.F) {
	f.Add("Solar drying, Dakhla", "dakhla-oued-ed-dahab", "women_led", "yes")
	f.Add("=1+2", "-x", "a;b", "c\td")
	f.Add(" x", "y\r", "", "")
	f.Add("\"quoted\"\nline", "'@", "k", "'=v")
	f.Fuzz(func(t *testing.T, title, region, key, val string) {
		p := bank.Project{ID: "P1", Title: title, Region: region, Attributes: map[string]string{key: val}}
		for _, d := range writeDialects {
			var b bytes.Buffer
			err := WriteProjects(&b, []bank.Project{p, {ID: "P2"}}, d)
			if err != nil {
				var ps afkar.Problems
				if !errors.As(err, &ps) || b.Len() > 0 {
					t.Fatalf("%+v: %v, %d bytes written", d, err, b.Len())
				}
				return
			}
			got, layout, err := ReadProjects(&b, Options{})
			if err != nil {
				t.Fatalf("%+v: reading back: %v", d, err)
			}
			if layout.Dialect.Comma != d.writing().Comma {
				t.Fatalf("%+v: read as %q", d, layout.Dialect.Comma)
			}
			if diff := cmp.Diff([]bank.Project{p, {ID: "P2"}}, []bank.Project{got[0].Project, got[1].Project}); diff != "" {
				t.Fatalf("%+v (-written +read):\n%s", d, diff)
			}
		}
	})
}

// TestWriteJudgesAbstains: the abstains column is written only when some
// judge abstains, and reads back.
func TestWriteJudgesAbstains(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, WriteJudges(&out, []bank.Judge{{ID: "J1", Conflicts: []string{"P1"}}}, Dialect{}))
	require.Equal(t, "id,name,cooperative,conflicts\nJ1,,,P1\n", out.String())

	out.Reset()
	judges := []bank.Judge{{ID: "J1", Conflicts: []string{"P1"}, Abstains: []string{"P2", "P3"}}, {ID: "J2"}}
	require.NoError(t, WriteJudges(&out, judges, Dialect{Comma: ';'}))
	require.Equal(t, "id;name;cooperative;conflicts;abstains\nJ1;;;P1;P2|P3\nJ2;;;;\n", out.String())
	back, _, err := ReadJudges(&out, Options{})
	require.NoError(t, err)
	require.Equal(t, []string{"P2", "P3"}, back[0].Abstains)
	require.Nil(t, back[1].Abstains)

	err = WriteJudges(&out, []bank.Judge{{ID: "J1", Abstains: []string{"P;2"}}}, Dialect{})
	require.EqualError(t, err, `judges[0].abstains[0]: "P;2" holds one of | ; ,, which separate abstains`)
}
