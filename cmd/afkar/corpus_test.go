package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files: the expected errors of testdata/bad and the tables of testdata/table")

const bad = "../../testdata/bad/"

// TestBadInputCorpus runs every file of testdata/bad through the command as
// a user would (validate for JSON, rank --scores for CSV) and compares
// stderr with the file's .err twin, exactly; the exit code must be 2. Large
// inputs (a 100 MB string, 10,000-digit decimals, 100,000 nested arrays,
// 100,001 judges named by a scores CSV, a 2 GiB file) are generated here
// rather than committed.
func TestBadInputCorpus(t *testing.T) {
	dir := t.TempDir()
	generated := map[string]string{
		"huge-string.json": `{"rubric": {"criteria": [{"id": "social", "weight": "1"}]}, "projects": [{"id": "P1", "title": "` +
			strings.Repeat("x", 100<<20) + `"}], "scores": []}`,
		"long-decimal.json": `{"rubric": {"criteria": [{"id": "social", "weight": "1"}]}, "projects": [{"id": "P1"}],
			"scores": [{"judge": "J1", "project": "P1", "criterion": "social", "score": 1.` + strings.Repeat("5", 10_000) + `},
			{"judge": "J2", "project": "P1", "criterion": "social", "score": "` + strings.Repeat("9", 10_000) + `"}]}`,
		"deep-nesting.json": strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000),
		"many-judges.csv":   manyJudges(),
		"oversized.json":    "", // sparse, below
	}
	for name, content := range generated {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	// 2 GiB, refused by its size before it is read: a sparse file takes
	// no room on disk.
	require.NoError(t, os.Truncate(filepath.Join(dir, "oversized.json"), 2<<30))
	files, err := filepath.Glob(bad + "*")
	require.NoError(t, err)
	var cases []string
	for _, f := range files {
		if !strings.HasSuffix(f, ".err") && filepath.Base(f) != "rubric.json" {
			cases = append(cases, f)
		}
	}
	for name := range generated {
		cases = append(cases, filepath.Join(dir, name))
	}
	for _, path := range cases {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			var r ran
			if strings.HasSuffix(name, ".csv") {
				r = afkarCmd(t, "", "rank", "--scores", path, bad+"rubric.json")
			} else {
				r = afkarCmd(t, "", "validate", path)
			}
			require.Equal(t, 2, r.code, "exit code; stderr:\n%s", r.stderr)
			got := strings.ReplaceAll(r.stderr, path, "FILE")
			golden := bad + name + ".err"
			if *update {
				require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
				return
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "no expected error; run go test -update")
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("stderr (-want +got):\n%s", diff)
			}
		})
	}
}

// manyJudges is a scores CSV naming 100,001 judges, one past
// Limits.MaxJudges.
func manyJudges() string {
	var b strings.Builder
	b.WriteString("project,judge,social,economic\n")
	for j := range 100_001 {
		fmt.Fprintf(&b, "P1,J%06d,10,10\n", j)
	}
	return b.String()
}
