package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/afkarlab/afkar"
	"github.com/stretchr/testify/require"
)

// The command is tested as users run it: built once, run as a subprocess.

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "afkar-cli")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "afkar")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		panic("building afkar: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type ran struct {
	code           int
	stdout, stderr string
}

func afkarCmd(t *testing.T, stdin string, args ...string) ran {
	t.Helper()
	cmd := exec.CommandContext(context.Background(), binary, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return ran{code: code, stdout: out.String(), stderr: errb.String()}
}

const conformance = "../../testdata/conformance/"

func TestRankSample(t *testing.T) {
	r := afkarCmd(t, "", "rank")
	require.Equal(t, 0, r.code, r.stderr)
	require.Contains(t, r.stderr, "built-in sample")
	require.Contains(t, r.stdout, "Dakhla-Oued Ed-Dahab (dakhla-oued-ed-dahab)")
	require.Contains(t, r.stdout, "Not ranked")
	for _, f := range []string{"json", "csv"} {
		r := afkarCmd(t, "", "rank", "--format", f)
		require.Equal(t, 0, r.code, r.stderr)
	}
}

func TestRankJSONMatchesLibrary(t *testing.T) {
	path := conformance + "037/dataset.json"
	r := afkarCmd(t, "", "rank", "--format", "json", path)
	require.Equal(t, 0, r.code, r.stderr)
	require.Empty(t, r.stderr)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	ds, err := afkar.Decode(data)
	require.NoError(t, err)
	res, err := afkar.Evaluate(context.Background(), ds)
	require.NoError(t, err)
	want, err := res.MarshalJSON()
	require.NoError(t, err)
	require.Equal(t, string(want), r.stdout)

	// Flags after the dataset, and the dataset on stdin.
	r2 := afkarCmd(t, string(data), "rank", "-", "--format", "json")
	require.Equal(t, 0, r2.code, r2.stderr)
	require.Equal(t, r.stdout, r2.stdout)
}

func TestValidate(t *testing.T) {
	r := afkarCmd(t, "", "validate", conformance+"000/dataset.json")
	require.Equal(t, 0, r.code, r.stderr)

	r = afkarCmd(t, "", "validate", conformance+"bad-024/dataset.json")
	require.Equal(t, 2, r.code)
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	require.Len(t, lines, 7, r.stderr)
	for _, l := range lines {
		path, msg, ok := strings.Cut(l, ": ")
		require.True(t, ok && path != "" && msg != "", "line %q is not path: message", l)
	}
	require.Contains(t, r.stderr, `scores[17].judge: unknown judge "J7" (not in judges)`)

	r = afkarCmd(t, "", "validate", conformance+"bad-017/dataset.json")
	require.Equal(t, 2, r.code)
	require.Contains(t, r.stderr, "$: malformed JSON: line 39, column 29")
}

func TestExitCodes(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"no command", nil, 2, "Usage"},
		{"unknown command", []string{"rnak"}, 2, `unknown command "rnak"`},
		{"unknown flag", []string{"rank", "--fromat", "json"}, 2, "flag provided but not defined"},
		{"bad format", []string{"rank", "--format", "xml"}, 2, `--format: expected table, json or csv, found "xml"`},
		{"missing file", []string{"rank", "no-such-file.json"}, 1, "no-such-file.json"},
		{"validate without dataset", []string{"validate"}, 2, "validate takes one dataset"},
		{"help", []string{"rank", "--help"}, 0, "Examples:"},
		{"validate help", []string{"validate", "-h"}, 0, "Examples:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := afkarCmd(t, "", tt.args...)
			require.Equal(t, tt.code, r.code, r.stderr)
			require.Contains(t, r.stderr, tt.err)
		})
	}
}

func TestOutputFileIsReplacedOnlyOnSuccess(t *testing.T) {
	out := filepath.Join(t.TempDir(), "result.json")
	require.NoError(t, os.WriteFile(out, []byte("previous result\n"), 0o644))

	r := afkarCmd(t, "", "rank", "--format", "json", "-o", out, conformance+"bad-003/dataset.json")
	require.Equal(t, 2, r.code)
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	require.Equal(t, "previous result\n", string(b), "a failed run leaves the file as it was")

	r = afkarCmd(t, "", "rank", "--format", "json", "-o", out, conformance+"000/dataset.json")
	require.Equal(t, 0, r.code, r.stderr)
	require.Empty(t, r.stdout)
	b, err = os.ReadFile(out)
	require.NoError(t, err)
	var v map[string]any
	require.NoError(t, json.Unmarshal(b, &v))
	require.Equal(t, "afkar-result/1", v["format"])
}

func TestRankCSVOutput(t *testing.T) {
	r := afkarCmd(t, "", "rank", "--format", "csv", conformance+"006/dataset.json")
	require.Equal(t, 0, r.code, r.stderr)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	require.True(t, strings.HasPrefix(lines[0], "rank,id,title,group,group_rank,total,"), lines[0])
	require.True(t, strings.HasSuffix(lines[0], ",judges,eligible,selected,decided_by,reasons"), lines[0])
	require.Equal(t, 33+1, len(lines), "a row per project")
}

// TestRankReportsWhatValidateReports: rank, which leaves the validation
// of a JSON dataset to the evaluation, reports on every invalid dataset
// exactly what validate (which validates as it decodes) reports.
func TestRankReportsWhatValidateReports(t *testing.T) {
	bad, err := filepath.Glob("../../testdata/bad/*.json")
	require.NoError(t, err)
	cases, err := filepath.Glob(conformance + "bad-*/dataset.json")
	require.NoError(t, err)
	inputs := append(bad, cases...)
	require.Greater(t, len(inputs), 20)
	for _, in := range inputs {
		v := afkarCmd(t, "", "validate", in)
		r := afkarCmd(t, "", "rank", in)
		require.Equal(t, 2, v.code, "%s: %s", in, v.stderr)
		require.Equal(t, v.code, r.code, in)
		require.Equal(t, v.stderr, r.stderr, in)
		require.Empty(t, r.stdout, in)
	}
}
