package main

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestLoadShort is the load test in small, as CI runs it: 20 jurors for
// 3 seconds, no error, no lost write. The full run (200 jurors, 60 s) is
// `go run ./internal/stageload`; its figures are in BENCHMARKS.md.
func TestLoadShort(t *testing.T) {
	rep, err := Run(context.Background(), Config{Jurors: 20, Ideas: 60, K: 3, Duration: 3 * time.Second}, os.Stderr)
	require.NoError(t, err)
	t.Log("\n" + rep.String())
	require.Zero(t, rep.Errors)
	require.Zero(t, rep.Lost)
	require.Greater(t, rep.Requests, 20)
}
