package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkRankFile runs `afkar rank --scores $AFKAR_BENCH_SCORES --format
// csv -o OUT $AFKAR_BENCH_RUBRIC` in process, for profiles of the command
// on a researcher's file (scripts/bench-vs-duckdb.sh generates them). It
// is skipped without the variables.
func BenchmarkRankFile(b *testing.B) {
	scores, rubric := os.Getenv("AFKAR_BENCH_SCORES"), os.Getenv("AFKAR_BENCH_RUBRIC")
	if scores == "" || rubric == "" {
		b.Skip("set AFKAR_BENCH_SCORES and AFKAR_BENCH_RUBRIC")
	}
	out := filepath.Join(b.TempDir(), "out.csv")
	for b.Loop() {
		if code := run(context.Background(), []string{"rank", "--scores", scores, "--format", "csv", "-o", out, rubric}, nil, io.Discard, os.Stderr); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}
