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

// writeFiles writes name → content files in a new directory and returns
// the directory.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	return dir
}

// One problem, one line, where the organiser looks: every message word
// for word.
func TestCSVOneProblemOneLine(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"rubric.json": `{"rubric": {"criteria": [{"id": "social", "weight": "30"}, {"id": "economic", "weight": "30"}, {"id": "youth", "weight": "30"}]},
		                 "ranking": {"group_by": "region", "top": 1}}`,
		// Line 3: an unknown project on a wide row (once, not three
		// times); line 5 repeats line 2 (one line naming both); line 6
		// repeats one score of line 4.
		"wide.csv": "project,judge,social,economic,youth\n" +
			"P1,J1,10,11,12\n" +
			"P9,J1,10,11,12\n" +
			"P2,J1,9,,\n" +
			"P1,J1,10,11,12\n" +
			"P2,J1,8,,\n",
		"long.csv": "project,judge,criterion,score\n" +
			"P1,J1,social,10\n" +
			"P1,J2,social,10\n" +
			"P1,J1,social,11\n",
		// Line 3 repeats P1's id; line 4's region is a city.
		"projects.csv": "id,title,region,sector\n" +
			"P1,One,dakhla-oued-ed-dahab,agri\n" +
			"P1,Again,dakhla-oued-ed-dahab,agri\n" +
			"P2,Two,Dakhla,Agri\n",
	})
	at := func(name string) string { return filepath.Join(dir, name) }
	r := afkarCmd(t, "", "rank", "--scores", at("wide.csv"), "--projects", at("projects.csv"), at("rubric.json"))
	require.Equal(t, 2, r.code)
	want := []string{
		at("rubric.json") + `: rubric.criteria: weights must sum to exactly 1 under "exact" weights, they sum to 90 (set "weights": "relative" to divide each weight by their sum)`,
		at("projects.csv") + `:3:1: duplicate project id "P1" (first on line 2)`,
		at("wide.csv") + `:3:1: unknown project "P9"`,
		at("wide.csv") + `:5: duplicate scores of judge "J1" on project "P1", criteria "social", "economic", "youth" (first on line 2)`,
		at("wide.csv") + `:6:3: duplicate score of judge "J1" on project "P2", criterion "social" (first on line 4)`,
		at("projects.csv") + `:4:3: "Dakhla": did you mean dakhla-oued-ed-dahab? (a region is one of the 12 region codes, unless ranking.groups lists the dataset's own)`,
	}
	require.Equal(t, want, strings.Split(strings.TrimSpace(r.stderr), "\n"))

	// Long form: each score on its own line; a group value that differs
	// in case names the line of the first.
	ranking := `"ranking": {"group_by": "sector"}`
	require.NoError(t, os.WriteFile(at("rubric.json"), []byte(`{"rubric": {"criteria": [{"id": "social", "weight": "1"}]}, `+ranking+`}`), 0o644))
	require.NoError(t, os.WriteFile(at("projects.csv"), []byte("id,sector\nP1,agri\nP2,Agri\n"), 0o644))
	r = afkarCmd(t, "", "rank", "--scores", at("long.csv"), "--projects", at("projects.csv"), at("rubric.json"))
	require.Equal(t, 2, r.code)
	want = []string{
		at("long.csv") + `:4:4: duplicate score of judge "J1" on project "P1", criterion "social" (first on line 2)`,
		at("projects.csv") + `:3:2: "Agri" differs only in letter case from "agri" (first on line 2): they would be two groups`,
	}
	require.Equal(t, want, strings.Split(strings.TrimSpace(r.stderr), "\n"))

	// A judge id that is not an id, on a wide row of three scores: once.
	require.NoError(t, os.WriteFile(at("rubric3.json"), []byte(`{"rubric": {"criteria": [{"id": "a", "weight": "1"}, {"id": "b", "weight": "0"}, {"id": "c", "weight": "0"}]}}`), 0o644))
	require.NoError(t, os.WriteFile(at("wide.csv"), []byte("project,judge,a,b,c\nP1,J 1,10,11,12\n"), 0o644))
	r = afkarCmd(t, "", "rank", "--scores", at("wide.csv"), at("rubric3.json"))
	require.Equal(t, 2, r.code)
	require.Equal(t, at("wide.csv")+`:2:2: "J 1" is not an id (expected a letter or digit, then up to 63 of A-Z, a-z, 0-9, '.', '_' and '-')`+"\n", r.stderr)

	// Problems reading the rubric file name it too.
	require.NoError(t, os.WriteFile(at("rubric.json"), []byte(`{"rubric": {"criteria": [{"id": "social", "weight": "1"}], "scale": {"min": 3, "max": 2}}}`), 0o644))
	r = afkarCmd(t, "", "rank", "--scores", at("long.csv"), at("rubric.json"))
	require.Equal(t, 2, r.code)
	require.Equal(t, at("rubric.json")+": rubric.scale.max: min 3 must be below max 2\n", r.stderr)
	require.NoError(t, os.WriteFile(at("rubric.json"), []byte(`{"rubric": `), 0o644))
	r = afkarCmd(t, "", "rank", "--scores", at("long.csv"), at("rubric.json"))
	require.Equal(t, 2, r.code)
	require.Equal(t, at("rubric.json")+": malformed JSON: line 1, column 12: unexpected end of input: unterminated object starting at line 1, column 1\n", r.stderr)

	// A JSON dataset alone keeps "path: message" (SPEC.md section 6).
	r = afkarCmd(t, "", "validate", at("rubric.json"))
	require.Equal(t, "$: malformed JSON: line 1, column 12: unexpected end of input: unterminated object starting at line 1, column 1\n", r.stderr)
}

// One problem, one line, with spreadsheets of any dialect and a judges
// file, in every command that reads a dataset: a French-locale export
// (';' and decimal commas), a repeated judge naming the line of the first,
// a conflict and an abstention naming no project at their cells, the
// rubric file's problem after its name.
func TestCSVOneProblemOneLineEveryCommand(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"rubric.json": `{"rubric": {"criteria": [{"id": "social", "weight": "30"}, {"id": "economic", "weight": "30"}, {"id": "youth", "weight": "30"}]},
		                 "ranking": {"group_by": "region", "top": 1}}`,
		"wide.csv": "\ufeffproject;judge;social;economic;youth\r\n" +
			"P1;J1;10;11;12,5\r\n" +
			"P9;J1;10;11;12\r\n" +
			"P2;J1;9;;\r\n" +
			"P1;J1;10;11;12,5\r\n" +
			"P2;J1;8;;\r\n",
		"projects.csv": "id;title;region\r\n" +
			"P1;One;dakhla-oued-ed-dahab\r\n" +
			"P1;Again;dakhla-oued-ed-dahab\r\n" +
			"P2;Two;Dakhla\r\n",
		"judges.csv": "id;name;conflicts;abstains\r\n" +
			"J1;Amina;P2|P7;P8\r\n" +
			"J1;Badr;;\r\n",
	})
	at := func(name string) string { return filepath.Join(dir, name) }
	want := []string{
		at("rubric.json") + `: rubric.criteria: weights must sum to exactly 1 under "exact" weights, they sum to 90 (set "weights": "relative" to divide each weight by their sum)`,
		at("projects.csv") + `:3:1: duplicate project id "P1" (first on line 2)`,
		at("judges.csv") + `:2:3: unknown project "P7"`,
		at("judges.csv") + `:2:4: unknown project "P8"`,
		at("judges.csv") + `:3:1: duplicate judge id "J1" (first on line 2)`,
		at("wide.csv") + `:3:1: unknown project "P9"`,
		at("wide.csv") + `:5: duplicate scores of judge "J1" on project "P1", criteria "social", "economic", "youth" (first on line 2)`,
		at("wide.csv") + `:6:3: duplicate score of judge "J1" on project "P2", criterion "social" (first on line 4)`,
		at("projects.csv") + `:4:3: "Dakhla": did you mean dakhla-oued-ed-dahab? (a region is one of the 12 region codes, unless ranking.groups lists the dataset's own)`,
	}
	for _, cmd := range []string{"rank", "validate", "analyze", "sensitivity", "convert"} {
		r := afkarCmd(t, "", cmd, "--scores", at("wide.csv"), "--projects", at("projects.csv"), "--judges", at("judges.csv"), at("rubric.json"))
		require.Equal(t, 2, r.code, cmd)
		require.Equal(t, want, strings.Split(strings.TrimSpace(r.stderr), "\n"), cmd)
	}

	// The rubric file's own problems name it in every command, and the
	// built-in sample is named as such.
	require.NoError(t, os.WriteFile(at("rubric.json"), []byte(`{"rubric": {"criteria": [{"id": "social", "weight": "1"}], "scale": {"min": 3, "max": 2}}}`), 0o644))
	require.NoError(t, os.WriteFile(at("long.csv"), []byte("project,judge,criterion,score\nP1,J1,social,3\n"), 0o644))
	for _, cmd := range []string{"rank", "validate", "analyze", "sensitivity", "convert"} {
		r := afkarCmd(t, "", cmd, "--scores", at("long.csv"), at("rubric.json"))
		require.Equal(t, 2, r.code, cmd)
		require.Equal(t, at("rubric.json")+": rubric.scale.max: min 3 must be below max 2\n", r.stderr, cmd)
	}
	r := afkarCmd(t, `{"rubric": {"criteria": [{"id": "social", "weight": "2"}]}}`, "analyze", "--scores", at("long.csv"), "-")
	require.Equal(t, 2, r.code)
	require.Equal(t, `standard input: rubric.criteria: weights must sum to exactly 1 under "exact" weights, they sum to 2 (set "weights": "relative" to divide each weight by their sum)`+"\n", r.stderr)
	r = afkarCmd(t, "", "rank", "--scores", at("long.csv"), "--judges", at("judges.csv"))
	require.Equal(t, 2, r.code)
	require.Contains(t, r.stderr, at("judges.csv")+`:3:1: duplicate judge id "J1" (first on line 2)`)
}
