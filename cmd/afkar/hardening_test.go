package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/afkarlab/afkar/spreadsheet"
)

func TestCSVOutputNeutralisesFormulas(t *testing.T) {
	ds := `{"rubric": {"criteria": [{"id": "c", "weight": "1"}]}, "ranking": {"group_by": "sector"},
	  "projects": [{"id": "P1", "title": "=HYPERLINK(\"http://x\",\"win\")", "sector": "@evil"}, {"id": "P2", "title": "-2+3"}],
	  "scores": [{"judge": "J", "project": "P1", "criterion": "c", "score": "10"}, {"judge": "J", "project": "P2", "criterion": "c", "score": "5"}]}`
	path := filepath.Join(t.TempDir(), "ds.json")
	require.NoError(t, os.WriteFile(path, []byte(ds), 0o644))
	r := afkarCmd(t, "", "rank", "--format", "csv", path)
	require.Equal(t, 0, r.code, r.stderr)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	require.Equal(t, `1,P1,"'=HYPERLINK(""http://x"",""win"")",'@evil,1,50.00,10.00,1,true,false,total,`, lines[1])
	require.Equal(t, `2,P2,'-2+3,,1,25.00,5.00,1,true,false,,`, lines[2])
}

// FuzzRankFlags: any command line is parsed without a panic, and what is
// accepted is consistent.
func FuzzRankFlags(f *testing.F) {
	for _, s := range []string{"--format json data.json", "-o out.csv --format=csv", "--scores s.csv --projects p.csv r.json",
		"data.json --format", "-- -x", "--format=xml", "a b", "-h", "--lang=ar",
		"--scores s.csv --judges j.csv --delimiter ; --decimal-comma r.json", "--out-delimiter tab --out-decimal-comma=false --out-bom --format csv", "--out-bom",
		"--judges j.csv", "--delimiter | --scores s.csv", "--decimal-comma=oui"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		f, rest, err := parseRankFlags(strings.Fields(line), io.Discard)
		if err != nil {
			return
		}
		if f.format != "table" && f.format != "json" && f.format != "csv" {
			t.Fatalf("accepted format %q", f.format)
		}
		if len(rest) > 1 || ((f.projects != "" || f.judges != "") && f.scores == "") {
			t.Fatalf("accepted %+v %q", f, rest)
		}
		if d := f.dialect(); d.Comma != 0 && d.Comma != ',' && d.Comma != ';' && d.Comma != '\t' {
			t.Fatalf("accepted the delimiter %q", d.Comma)
		}
		if d := f.csvOut.dialect(spreadsheet.Dialect{}); d.Comma != ',' && d.Comma != ';' && d.Comma != '\t' {
			t.Fatalf("accepted the output delimiter %q", d.Comma)
		}
		if f.csvOut.given() && f.format != "csv" {
			t.Fatalf("accepted an output dialect for --format %s", f.format)
		}
	})
}
