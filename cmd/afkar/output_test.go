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

// writeCSVReference is writeCSV as encoding/csv writes it: the oracle.
func writeCSVReference(res *afkar.Result) string {
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	header := []string{"rank", "id", "title", "group", "group_rank", "total"}
	header = append(header, res.Criteria()...)
	cw.Write(append(header, "judges", "eligible", "selected", "decided_by", "reasons"))
	for _, p := range res.Projects {
		group := ""
		if p.Group != nil {
			group = *p.Group
		}
		row := []string{p.Rank.String(), p.ID, csvsafe.Text(p.Title), csvsafe.Text(group), p.GroupRank.String(), res.Format(p.Total)}
		for _, c := range p.Criteria {
			row = append(row, res.Format(c.Rounded))
		}
		row = append(row, strconv.Itoa(p.Judges), strconv.FormatBool(p.Eligible), strconv.FormatBool(p.Selected),
			p.DecidedBy, strings.Join(p.Reasons, ";"))
		cw.Write(row)
	}
	cw.Flush()
	return b.String()
}

// TestWriteCSVMatchesEncodingCSV: the row writer quotes as encoding/csv
// does, on titles and groups that need it, and keeps formulas inert.
func TestWriteCSVMatchesEncodingCSV(t *testing.T) {
	ds, err := afkar.Decode(sample.JSON())
	require.NoError(t, err)
	titles := []string{`a "quoted" word`, "comma, inside", "line\nbreak", "cr\rhere", " leading space", "\u00a0nbsp first",
		`\.`, "=SUM(A1:A2)", "+1", "-2", "@cmd", "تعاونية الأركان", "", "plain"}
	for i := range ds.Projects {
		ds.Projects[i].Title = titles[i%len(titles)]
		if i%5 == 0 {
			ds.Projects[i].Attributes = map[string]string{"k": titles[(i+3)%len(titles)]}
		}
	}
	for _, by := range []string{"region", "attributes.k"} {
		ds.Ranking.GroupBy = by
		res, err := afkar.Evaluate(context.Background(), ds)
		require.NoError(t, err)
		var got bytes.Buffer
		require.NoError(t, writeCSV(&got, res))
		require.Equal(t, writeCSVReference(res), got.String(), fmt.Sprint("group_by ", by))
	}
}

// TestRereadScores: the places of scores come from the file only while it
// holds the same scores as when it was first read.
func TestRereadScores(t *testing.T) {
	path := t.TempDir() + "/s.csv"
	require.NoError(t, os.WriteFile(path, []byte("project,judge,social\nP1,J1,3\nP1,J2,4.5\n"), 0o644))
	e := &env{ctx: context.Background()}
	first, ok := spreadsheet.ReadScoresFast([]byte("project,judge,social\nP1,J1,3\nP1,J2,4.5\n"), []string{"social"})
	require.True(t, ok)
	ss := e.rereadScores(path, []string{"social"}, first)
	require.Len(t, ss, 2)
	require.Equal(t, 3, ss[1].Line)
	// The same number of scores, one value changed: no places.
	require.NoError(t, os.WriteFile(path, []byte("project,judge,social\nP1,J1,3\nP1,J2,5\n"), 0o644))
	require.Nil(t, e.rereadScores(path, []string{"social"}, first))
}
