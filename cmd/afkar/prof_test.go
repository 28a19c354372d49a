package main

import (
	"context"
	"io"
	"os"
	"testing"
)

func TestProfileRank(t *testing.T) {
	if os.Getenv("AFKAR_PROF") == "" {
		t.Skip()
	}
	d := "/tmp/ab1m/"
	code := run(context.Background(), []string{"rank", "--scores", d + os.Getenv("AFKAR_PROF"), "--projects", d + "projects.csv", "--format", "csv", "-o", d + "out-prof.csv", d + "rubric.json"}, nil, io.Discard, os.Stderr)
	if code != 0 {
		t.Fatal(code)
	}
}
