package csvdata

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

var criteria = []string{"social", "economic"}

// values returns scores without their positions, to compare forms.
func values(ss []Score) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Project+"/"+s.Judge+"/"+s.Criterion+"="+s.Value.String())
	}
	return out
}

func TestLongAndWideAgree(t *testing.T) {
	long := "project,judge,criterion,score\nP1,J1,social,15.5\nP1,J1,economic,14\nP2,J1,social,\nP2,J1,economic,9\n"
	wide := "project,judge,social,economic\nP1,J1,15.5,14\nP2,J1,,9\n"
	a, err := ReadScores(strings.NewReader(long), "long.csv", criteria)
	require.NoError(t, err)
	b, err := ReadScores(strings.NewReader(wide), "wide.csv", criteria)
	require.NoError(t, err)
	want := []string{"P1/J1/social=15.5", "P1/J1/economic=14", "P2/J1/economic=9"}
	if diff := cmp.Diff(want, values(a)); diff != "" {
		t.Errorf("long (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, values(b)); diff != "" {
		t.Errorf("wide (-want +got):\n%s", diff)
	}
	// Positions: the economic score of P2 is line 3, column 4 in wide form.
	require.Equal(t, [2]int{3, 4}, [2]int{b[2].Line, b[2].Column})
	require.Equal(t, [2]int{5, 4}, [2]int{a[2].Line, a[2].Column})
}

func TestReadScoresAccepts(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"BOM and CRLF", "\ufeffproject,judge,criterion,score\r\nP1,J1,social,1\r\n", []string{"P1/J1/social=1"}},
		{"columns in any order", "score,criterion,judge,project\n2.50,social,J1,P1\n", []string{"P1/J1/social=2.5"}},
		{"quoted cells", "project,judge,criterion,score\n\"P,1\",J1,social,\"3\"\n", []string{"P,1/J1/social=3"}},
		{"spaces around cells", "project , judge,social\n P1 , J1 , 4 \n", []string{"P1/J1/social=4"}},
		{"blank line", "project,judge,social\nP1,J1,4\n\nP2,J1,5\n", []string{"P1/J1/social=4", "P2/J1/social=5"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadScores(strings.NewReader(tt.in), "s.csv", criteria)
			require.NoError(t, err)
			if diff := cmp.Diff(tt.want, values(got)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadScoresProblems(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"empty file", "", []string{"s.csv:1: empty file: expected a header line"}},
		{"header missing a column", "project,criterion,score\nP1,social,1\n",
			[]string{`s.csv:1: header: missing column "judge" (expected project,judge,criterion,score or project,judge,<criterion ids…>)`}},
		{"case-different header", "Project,judge,social\nP1,J1,1\n", []string{
			`s.csv:1:1: column "Project": expected "project" (names are case-sensitive)`,
			`s.csv:1: header: missing column "project" (expected project,judge,criterion,score or project,judge,<criterion ids…>)`}},
		{"criterion differing in case", "project,judge,Social\nP1,J1,1\n",
			[]string{`s.csv:1:3: column "Social": expected "social" (names are case-sensitive)`}},
		{"unknown wide column", "project,judge,impact\nP1,J1,1\n",
			[]string{`s.csv:1:3: unknown criterion column "impact" (expected one of social, economic)`}},
		{"ragged rows and bad decimals, all reported", "project,judge,social,economic\nP1,J1,1\nP2,J1,NaN,1,5\nP3,J1,1e999,x\n", []string{
			"s.csv:2: expected 4 cells, found 3",
			"s.csv:3: expected 4 cells, found 5",
			`s.csv:4:3: "1e999" is out of range: its magnitude must lie within 1e-60 and 1e60`,
			`s.csv:4:4: "x" is not a decimal: expected a digit before the point`}},
		{"decimal comma", "project,judge,social\nP1,J1,\"1,5\"\n", []string{`s.csv:2:3: "1,5" is not a decimal: unexpected ","`}},
		{"empty judge", "project,judge,social\nP1,,1\n", []string{"s.csv:2:2: empty judge cell"}},
		{"unclosed quote", "project,judge,social\nP1,\"J1,1\n", []string{
			`s.csv:2:10: unclosed or misplaced quote (a quoted cell must end with " before the next comma)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadScores(strings.NewReader(tt.in), "s.csv", criteria)
			var ps Problems
			require.True(t, errors.As(err, &ps), "got %v", err)
			if diff := cmp.Diff(tt.want, strings.Split(ps.Error(), "\n")); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadProjects(t *testing.T) {
	in := "id,title,region,submitted_at\nP1,\"Solar drying, Dakhla\",dakhla-oued-ed-dahab,2025-04-16T09:30:00Z\nP2,,,\n"
	got, err := ReadProjects(strings.NewReader(in), "p.csv")
	require.NoError(t, err)
	require.Len(t, got, 2)
	require.Equal(t, "Solar drying, Dakhla", got[0].Title)
	require.Equal(t, 4, got[0].Columns["submitted_at"])
	require.Equal(t, 3, got[1].Line)

	_, err = ReadProjects(strings.NewReader("title,regoin\nx,y\n"), "p.csv")
	require.EqualError(t, err, "p.csv:1:2: unknown column \"regoin\" (expected id and any of title, region, sector, cooperative, submitted_at)\n"+
		"p.csv:1: header: missing column \"id\" (expected id and any of title, region, sector, cooperative, submitted_at)")
}

// FuzzReadScores: no panic; a success has sane positions, and writing the
// scores back in long form reads back the same scores.
func FuzzReadScores(f *testing.F) {
	f.Add("project,judge,criterion,score\nP1,J1,social,15.5\n")
	f.Add("project,judge,social,economic\nP1,J1,15.5,14\nP2,J1,,9\n")
	f.Add("\ufeffproject,judge,social\r\n\"P,1\",J1,1e1\r\n")
	f.Fuzz(func(t *testing.T, in string) {
		got, err := ReadScores(strings.NewReader(in), "f.csv", criteria)
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
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.Write([]string{"project", "judge", "criterion", "score"})
		for _, s := range got {
			if s.Line < 2 || s.Column < 1 {
				t.Fatalf("bad position %+v", s)
			}
			w.Write([]string{s.Project, s.Judge, s.Criterion, s.Value.String()})
		}
		w.Flush()
		back, err := ReadScores(&buf, "back.csv", nil)
		if err != nil {
			t.Fatalf("re-reading %q: %v", buf.String(), err)
		}
		if diff := cmp.Diff(values(got), values(back)); diff != "" {
			t.Fatalf("round trip (-first +second):\n%s", diff)
		}
	})
}

func BenchmarkReadScoresWide(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("project,judge,social,economic\n")
	for i := range 100_000 {
		buf.WriteString("P")
		buf.WriteString(decimal.NewFromInt(int64(i / 5)).String())
		buf.WriteString(",J")
		buf.WriteString(decimal.NewFromInt(int64(i % 5)).String())
		buf.WriteString(",15.5,14\n")
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadScores(bytes.NewReader(data), "w.csv", criteria); err != nil {
			b.Fatal(err)
		}
	}
}
