//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestScoresFromAPipe: a named pipe cannot be read twice, so its scores are
// read the careful way at once, and a problem still gets its place (the
// fast path would have to reopen the pipe, and wait for a writer forever).
func TestScoresFromAPipe(t *testing.T) {
	rubric, projects, long, _ := splitSample(t)
	b, err := os.ReadFile(long)
	require.NoError(t, err)
	lines := strings.Split(string(b), "\n")
	cells := strings.Split(lines[1], ",")
	cells[3] = "25" // out of range
	lines[1] = strings.Join(cells, ",")
	fifo := filepath.Join(t.TempDir(), "scores.csv")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		f.WriteString(strings.Join(lines, "\n"))
		f.Close()
	}()
	r := afkarCmd(t, "", "rank", "--scores", fifo, "--projects", projects, rubric)
	require.Equal(t, 2, r.code, r.stderr)
	require.Contains(t, r.stderr, fifo+`:2:4: 25 is above the maximum 20 of criterion "social"`)
}
