package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The red-team findings of issue 16 against the command line, each a
// regression test.

// TestMaxJudgesFromScores: judges named only by a scores CSV count
// against Limits.MaxJudges (100,000) as a listed jury does; before, a
// million ran.
func TestMaxJudgesFromScores(t *testing.T) {
	var b strings.Builder
	b.WriteString("project,judge,social,economic\n")
	for j := range 100_001 {
		fmt.Fprintf(&b, "P1,J%06d,10,10\n", j)
	}
	scores := filepath.Join(t.TempDir(), "scores.csv")
	require.NoError(t, os.WriteFile(scores, []byte(b.String()), 0o644))
	for _, cmd := range []string{"rank", "validate"} {
		r := afkarCmd(t, "", cmd, "--scores", scores, bad+"rubric.json")
		require.Equal(t, 2, r.code, r.stderr)
		require.Equal(t, scores+": 100001 judges named by the scores, more than the limit of 100000 (Limits.MaxJudges)\n", r.stderr)
	}
}
