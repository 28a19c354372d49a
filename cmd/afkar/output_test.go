package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/internal/csvsafe"
	"github.com/afkarlab/afkar/internal/sample"
	"github.com/afkarlab/afkar/spreadsheet"
	"github.com/stretchr/testify/require"
)

// writeCSVReference is writeCSV as encoding/csv writes it, in d: the
// oracle.
func writeCSVReference(res *afkar.Result, d spreadsheet.Dialect) string {
	var b bytes.Buffer
	if d.BOM {
		b.WriteString("\ufeff")
	}
	cw := csv.NewWriter(&b)
	cw.Comma = d.Comma
	num := func(s string) string {
		if d.Decimal == ',' {
			return strings.Replace(s, ".", ",", 1)
		}
		return s
	}
	header := []string{"rank", "id", "title", "group", "group_rank", "total"}
	header = append(header, res.Criteria()...)
	cw.Write(append(header, "judges", "eligible", "selected", "decided_by", "reasons"))
	for _, p := range res.Projects() {
		group := ""
		if p.Group != nil {
			group = *p.Group
		}
		row := []string{num(p.Rank.String()), p.ID, csvsafe.Text(p.Title), csvsafe.Text(group), num(p.GroupRank.String()), num(res.Format(p.Total))}
		for _, c := range p.Criteria {
			row = append(row, num(res.Format(c.Rounded())))
		}
		row = append(row, strconv.Itoa(p.Judges), strconv.FormatBool(p.Eligible), strconv.FormatBool(p.Selected),
			p.DecidedBy, strings.Join(p.Reasons, ";"))
		cw.Write(row)
	}
	cw.Flush()
	return b.String()
}

// TestWriteCSVMatchesEncodingCSV: the row writer quotes as encoding/csv
// does, on titles and groups that need it, and keeps formulas inert. A
// dataset's titles hold no line break (validation refuses control
// characters): results from elsewhere may, and are given them after
// Evaluate.
func TestWriteCSVMatchesEncodingCSV(t *testing.T) {
	ds, err := afkar.Decode(sample.JSON())
	require.NoError(t, err)
	titles := []string{`a "quoted" word`, "comma, inside", " leading space", "\u00a0nbsp first",
		`\.`, "=SUM(A1:A2)", "+1", "-2", "@cmd", "تعاونية الأركان", "", "plain"}
	for i := range ds.Projects {
		if i%5 == 0 {
			ds.Projects[i].Attributes = map[string]string{"k": fmt.Sprint("g", i%3)}
		}
	}
	dialects := []spreadsheet.Dialect{{Comma: ',', Decimal: '.'}, {Comma: ';', Decimal: ',', BOM: true}, {Comma: ',', Decimal: ','}, {Comma: '\t', Decimal: '.'}}
	for _, by := range []string{"sector", "attributes.k"} {
		ds.Ranking.GroupBy = by
		ds.Ranking.Style = "fractional" // ranks such as 2.5
		for i := range ds.Projects {
			p := &ds.Projects[i]
			p.Title = titles[i%len(titles)]
			switch g := titles[(i+3)%len(titles)]; {
			case by == "sector":
				p.Sector = g
			case p.Attributes["k"] != "":
				p.Attributes["k"] = g
			}
		}
		res, err := afkar.Evaluate(context.Background(), ds)
		require.NoError(t, err)
		for _, d := range dialects {
			var got bytes.Buffer
			require.NoError(t, writeCSV(&got, res, d))
			require.Equal(t, writeCSVReference(res, d), got.String(), fmt.Sprintf("group_by %s, %+v", by, d))
		}
	}
}

// TestRereadScores: the places of scores come from the file only while it
// holds the same scores as when it was first read.
func TestRereadScores(t *testing.T) {
	path := t.TempDir() + "/s.csv"
	require.NoError(t, os.WriteFile(path, []byte("project,judge,social\nP1,J1,3\nP1,J2,4.5\n"), 0o644))
	e := &env{ctx: context.Background()}
	o := spreadsheet.Options{Name: path, Criteria: []string{"social"}}
	first, _, ok := spreadsheet.ReadScoresFast([]byte("project,judge,social\nP1,J1,3\nP1,J2,4.5\n"), o)
	require.True(t, ok)
	ss := e.rereadScores(o, first)
	require.Len(t, ss, 2)
	require.Equal(t, 3, ss[1].Line)
	// The same number of scores, one value changed: no places.
	require.NoError(t, os.WriteFile(path, []byte("project,judge,social\nP1,J1,3\nP1,J2,5\n"), 0o644))
	require.Nil(t, e.rereadScores(o, first))
}
