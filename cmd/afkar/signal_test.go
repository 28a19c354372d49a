package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/afkarlab/afkar/internal/synth"
	"github.com/stretchr/testify/require"
)

// TestInterruptLeavesOutputIntact stops a long run with SIGINT, SIGTERM or
// SIGKILL at several moments: the file named by -o keeps its old content,
// and after a clean stop no temporary file is left beside it.
func TestInterruptLeavesOutputIntact(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a 20,000-project dataset")
	}
	dir := t.TempDir()
	data, err := synth.Dataset(synth.Config{Projects: 20_000, Seed: 3}).MarshalJSON()
	require.NoError(t, err)
	input := filepath.Join(dir, "big.json")
	require.NoError(t, os.WriteFile(input, data, 0o644))

	for _, tc := range []struct {
		sig   syscall.Signal
		after time.Duration
	}{
		{syscall.SIGINT, 200 * time.Millisecond},
		{syscall.SIGTERM, 700 * time.Millisecond},
		{syscall.SIGKILL, 400 * time.Millisecond},
		{syscall.SIGKILL, 1200 * time.Millisecond},
	} {
		t.Run(tc.sig.String()+"@"+tc.after.String(), func(t *testing.T) {
			outDir := t.TempDir()
			out := filepath.Join(outDir, "result.json")
			require.NoError(t, os.WriteFile(out, []byte("the previous result\n"), 0o644))
			cmd := exec.Command(binary, "rank", "--format", "json", "-o", out, input)
			require.NoError(t, cmd.Start())
			time.Sleep(tc.after)
			require.NoError(t, cmd.Process.Signal(tc.sig))
			err := cmd.Wait()
			b, readErr := os.ReadFile(out)
			require.NoError(t, readErr)
			if err == nil {
				// The run finished before the signal: the new result is whole.
				require.Contains(t, string(b), `"format": "afkar-result/1"`)
				return
			}
			require.Equal(t, "the previous result\n", string(b), "an interrupted run must leave the file as it was")
			if tc.sig != syscall.SIGKILL {
				entries, err := os.ReadDir(outDir)
				require.NoError(t, err)
				require.Len(t, entries, 1, "no temporary file left after a clean stop")
			}
		})
	}
}
