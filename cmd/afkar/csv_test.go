package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/afkarlab/afkar/internal/sample"
	"github.com/stretchr/testify/require"
)

// splitSample writes the built-in sample as a spreadsheet user keeps it: a
// rubric-only dataset, a projects CSV, and the scores in long and in wide
// form. It returns the paths.
func splitSample(t *testing.T) (rubric, projects, long, wide string) {
	t.Helper()
	dir := t.TempDir()
	var ds map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(sample.JSON(), &ds))
	var ps []map[string]any
	require.NoError(t, json.Unmarshal(ds["projects"], &ps))
	var scores []map[string]string
	require.NoError(t, json.Unmarshal(ds["scores"], &scores))
	var rub struct {
		Criteria []struct{ ID string } `json:"criteria"`
	}
	require.NoError(t, json.Unmarshal(ds["rubric"], &rub))

	delete(ds, "projects")
	delete(ds, "scores")
	rubric = filepath.Join(dir, "rubric.json")
	b, err := json.Marshal(ds)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(rubric, b, 0o644))

	write := func(name string, rows [][]string) string {
		path := filepath.Join(dir, name)
		f, err := os.Create(path)
		require.NoError(t, err)
		w := csv.NewWriter(f)
		require.NoError(t, w.WriteAll(rows))
		require.NoError(t, f.Close())
		return path
	}
	cols := []string{"id", "title", "region", "sector", "cooperative", "submitted_at"}
	rows := [][]string{cols}
	for _, p := range ps {
		var row []string
		for _, c := range cols {
			s, _ := p[c].(string)
			row = append(row, s)
		}
		rows = append(rows, row)
	}
	projects = write("projects.csv", rows)

	rows = [][]string{{"project", "judge", "criterion", "score"}}
	for _, s := range scores {
		rows = append(rows, []string{s["project"], s["judge"], s["criterion"], s["score"]})
	}
	long = write("long.csv", rows)

	header := []string{"project", "judge"}
	for _, c := range rub.Criteria {
		header = append(header, c.ID)
	}
	rows = [][]string{header}
	index := map[[2]string]int{}
	for _, s := range scores {
		k := [2]string{s["project"], s["judge"]}
		i, ok := index[k]
		if !ok {
			i = len(rows)
			index[k] = i
			rows = append(rows, append([]string{k[0], k[1]}, make([]string, len(rub.Criteria))...))
		}
		for c, crit := range rub.Criteria {
			if crit.ID == s["criterion"] {
				rows[i][2+c] = s["score"]
			}
		}
	}
	wide = write("wide.csv", rows)
	return rubric, projects, long, wide
}

var digestLine = regexp.MustCompile(`"input_digest": "[^"]*"`)

func TestCSVFormsMatchJSON(t *testing.T) {
	rubric, projects, long, wide := splitSample(t)
	want := afkarCmd(t, "", "rank", "--format", "json")
	require.Equal(t, 0, want.code, want.stderr)
	strip := func(s string) string { return digestLine.ReplaceAllString(s, "") }
	for name, scores := range map[string]string{"long": long, "wide": wide} {
		t.Run(name, func(t *testing.T) {
			got := afkarCmd(t, "", "rank", "--format", "json", "--scores", scores, "--projects", projects, rubric)
			require.Equal(t, 0, got.code, got.stderr)
			// The sample's projects carry attributes that a projects CSV
			// cannot: only the digest may differ.
			require.Equal(t, strip(want.stdout), strip(got.stdout))
		})
	}
}

func TestCSVProblemsArePlaced(t *testing.T) {
	rubric, projects, long, _ := splitSample(t)
	b, err := os.ReadFile(long)
	require.NoError(t, err)
	lines := strings.Split(string(b), "\n")
	// Line 2 of the file is the first score: make it out of range; line 3
	// names an unknown project.
	cells := strings.Split(lines[1], ",")
	cells[3] = "25"
	lines[1] = strings.Join(cells, ",")
	cells = strings.Split(lines[2], ",")
	cells[0] = "NOPE-1"
	lines[2] = strings.Join(cells, ",")
	require.NoError(t, os.WriteFile(long, []byte(strings.Join(lines, "\n")), 0o644))

	r := afkarCmd(t, "", "rank", "--scores", long, "--projects", projects, rubric)
	require.Equal(t, 2, r.code)
	require.Contains(t, r.stderr, long+`:2:4: 25 is above the maximum 20 of criterion "social"`)
	require.Contains(t, r.stderr, long+`:3:1: unknown project "NOPE-1"`)
}
