package spreadsheet

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/bank"
)

func TestReadJudges(t *testing.T) {
	all := map[string]int{"id": 1, "name": 2, "cooperative": 3, "conflicts": 4, "abstains": 0}
	tests := []struct {
		name   string
		in     string
		want   []Judge
		layout Layout
	}{
		{name: "abstentions, written as conflicts are",
			in: "id,abstains,conflicts\nJ1,P4|P5,P3\n",
			want: []Judge{{Judge: bank.Judge{ID: "J1", Conflicts: []string{"P3"}, Abstains: []string{"P4", "P5"}}, Line: 2,
				Columns: map[string]int{"id": 1, "name": 0, "cooperative": 0, "conflicts": 3, "abstains": 2}}},
			layout: Layout{Dialect: Dialect{Comma: ',', Decimal: '.'}}},
		{name: "every column, conflicts by | and by ;",
			in: "id,name,cooperative,conflicts\n" +
				"J1,Amina Idrissi,coop-017,P3|P7\n" +
				"J2,\"Alami, Youssef\",,P1; P2 ;\n" +
				"J3,,,\n",
			want: []Judge{
				{Judge: bank.Judge{ID: "J1", Name: "Amina Idrissi", Cooperative: "coop-017", Conflicts: []string{"P3", "P7"}}, Line: 2, Columns: all},
				{Judge: bank.Judge{ID: "J2", Name: "Alami, Youssef", Conflicts: []string{"P1", "P2"}}, Line: 3, Columns: all},
				{Judge: bank.Judge{ID: "J3"}, Line: 4, Columns: all},
			},
			layout: Layout{Dialect: Dialect{Comma: ',', Decimal: '.'}}},
		{name: "French Excel: the conflicts cell quoted for its ';'",
			in: "\ufeffconflicts;id;email\r\n\"P3;P7\";J1;a@b.ma\r\n",
			want: []Judge{{Judge: bank.Judge{ID: "J1", Conflicts: []string{"P3", "P7"}}, Line: 2,
				Columns: map[string]int{"id": 2, "name": 0, "cooperative": 0, "conflicts": 1, "abstains": 0}}},
			layout: Layout{Dialect: Dialect{Comma: ';', Decimal: ',', BOM: true}, Ignored: []string{"email"},
				Notices: []Problem{{File: "j.csv", Line: 1, Msg: `ignored column "email": not judge fields (id, name, cooperative, conflicts, abstains)`}}}},
		{name: "a name kept from running as a formula",
			in:     "id,name\nJ1,'=Amina\n",
			want:   []Judge{{Judge: bank.Judge{ID: "J1", Name: "=Amina"}, Line: 2, Columns: map[string]int{"id": 1, "name": 2, "cooperative": 0, "conflicts": 0, "abstains": 0}}},
			layout: Layout{Dialect: Dialect{Comma: ',', Decimal: '.'}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, layout, err := ReadJudges(strings.NewReader(tt.in), Options{Name: "j.csv"})
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

func TestReadJudgesProblems(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty file", "", []string{"j.csv:1: empty file: expected a header line"}},
		{"a typo, no id", "name,conflict\nx,P1\n", []string{
			`j.csv:1:2: unknown column "conflict": did you mean "conflicts"?`,
			`j.csv:1: header: missing column "id" (expected id and any of name,cooperative,conflicts,abstains)`}},
		{"empty id, not UTF-8", "id,name\n,x\nJ2,\xe9\n", []string{
			"j.csv:2:1: empty id cell: expected a judge id",
			`j.csv:3:2: name cell is not valid UTF-8: expected UTF-8 (save the file as "CSV UTF-8")`}},
		{"one name", "id name conflicts\nJ1 x P1\n", []string{
			`j.csv:1: the header is one name, "id name conflicts": expected names separated by ',', ';' or a tab`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := ReadJudges(strings.NewReader(tt.in), Options{Name: "j.csv"})
			require.Nil(t, got)
			if diff := cmp.Diff(tt.want, problems(t, err)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzReadJudges: no panic; a problem has a place; a judge has an id, a
// line after the header, and no empty conflict; the judges written back
// read back the same.
func FuzzReadJudges(f *testing.F) {
	f.Add("id,name,cooperative,conflicts\nJ1,Amina,coop-017,P3|P7\n")
	f.Add("\ufeffconflicts;id\r\n\"P3;P7\";J1\r\n")
	f.Add("id\tname\nJ1\t'=x\n")
	f.Add("name,conflict\nx,P1\n")
	f.Fuzz(func(t *testing.T, in string) {
		got, _, err := ReadJudges(strings.NewReader(in), Options{Name: "j.csv"})
		if err != nil {
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("not Problems: %v", err)
			}
			for _, p := range ps {
				if p.Line < 1 || p.Msg == "" {
					t.Fatalf("problem without a place or message: %+v", p)
				}
			}
			return
		}
		js := make([]bank.Judge, len(got))
		for i, j := range got {
			// An id's form (no carriage return, say) is checked by the
			// dataset's validation, which places its problem at the cell.
			if j.ID == "" || j.Line < 2 || j.Columns["id"] < 1 {
				t.Fatalf("bad judge %+v", j)
			}
			for _, c := range j.Conflicts {
				if c == "" {
					t.Fatalf("empty conflict in %+v", j)
				}
			}
			js[i] = j.Judge
		}
		for _, d := range []Dialect{{}, {Comma: ';', BOM: true}, {Comma: '\t'}} {
			var b strings.Builder
			if err := WriteJudges(&b, js, d); err != nil {
				var ps afkar.Problems
				if !errors.As(err, &ps) {
					t.Fatalf("writing: %v", err)
				}
				return // a value a cell cannot hold as it is: reported
			}
			back, _, err := ReadJudges(strings.NewReader(b.String()), Options{})
			if err != nil {
				t.Fatalf("reading back %q: %v", b.String(), err)
			}
			if diff := cmp.Diff(js, judgesOf(back), cmpopts.EquateEmpty(), foldLineEnds); diff != "" {
				t.Fatalf("dialect %+v (-first +second):\n%s", d, diff)
			}
		}
	})
}

// judgesOf returns the bank judges of js.
func judgesOf(js []Judge) []bank.Judge {
	out := make([]bank.Judge, len(js))
	for i, j := range js {
		out[i] = j.Judge
	}
	return out
}

// An Origin places a judge's conflicts and abstentions at their cells, and
// Locate gives the line of a whole row.
func TestOriginJudges(t *testing.T) {
	const judges = "id;name;conflicts;abstains\nJ1;Amina;P1|P7;P8\nJ2;Badr;;\n"
	js, _, err := ReadJudges(strings.NewReader(judges), Options{})
	require.NoError(t, err)
	o := &Origin{JudgesFile: "jury.csv", Judges: js}
	require.Equal(t, "jury.csv:2:3", o.Place("judges[0].conflicts[1]"))
	require.Equal(t, "jury.csv:2:4", o.Place("judges[0].abstains[0]"))
	require.Equal(t, "jury.csv:3:1", o.Place("judges[1].id"))
	p, ok := o.Locate("judges[1]")
	require.True(t, ok)
	require.Equal(t, Problem{File: "jury.csv", Line: 3}, p)
	_, ok = o.Locate("judges[2]")
	require.False(t, ok)
	require.Equal(t, "", o.Place("scores[0]"))
	var none *Origin
	_, ok = none.Locate("judges[0]")
	require.False(t, ok)
}
