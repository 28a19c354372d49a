package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/afkarlab/afkar"
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

// endless is standard input that never ends: it counts what is read.
type endless struct{ read int }

func (r *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	r.read += len(p)
	return len(p), nil
}

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestOversizedFileRefusedByItsSize: a file past Limits.MaxBytes, as
// its size says, is refused before it is read, named or redirected to
// standard input; before, 1 GiB of a 2 GB file was read first (1.6-3.4
// s, 1.05 GB RSS). The file is sparse: it takes no room on disk.
func TestOversizedFileRefusedByItsSize(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huge.json")
	f, err := os.Create(path)
	require.NoError(t, err)
	require.NoError(t, f.Truncate(2<<30))
	require.NoError(t, f.Close())
	const want = ": 2147483648 bytes, more than the limit of 1073741824 (Limits.MaxBytes)"

	e := &env{ctx: context.Background(), stdin: strings.NewReader("")}
	var readErr error
	n := allocated(func() { _, readErr = e.readInput(path) })
	require.Equal(t, &invalidError{[]string{path + want}}, readErr)
	require.Less(t, n, uint64(1<<20), "bytes allocated")

	in, err := os.Open(path)
	require.NoError(t, err)
	defer in.Close()
	e.stdin = in
	n = allocated(func() { _, readErr = e.readInput("-") })
	require.Equal(t, &invalidError{[]string{"standard input" + want}}, readErr)
	require.Less(t, n, uint64(1<<20), "bytes allocated")

	r := afkarCmd(t, "", "validate", path)
	require.Equal(t, 2, r.code)
	require.Equal(t, path+want+"\n", r.stderr)
}

// TestStdinStreamedAgainstTheLimit: standard input of unknown size is
// read no further than the limit and a byte, into a buffer that never
// holds more; before, a 2 GB stream took 7.6 s and 4.2 GB RSS to be
// refused. An input of exactly the limit is read whole.
func TestStdinStreamedAgainstTheLimit(t *testing.T) {
	const max = 1 << 20
	in := &endless{}
	e := &env{ctx: context.Background(), stdin: in, limits: afkar.Limits{MaxBytes: max}}
	var err error
	n := allocated(func() { _, err = e.readInput("-") })
	require.Equal(t, &invalidError{[]string{"standard input: more than 1048576 bytes, the limit (Limits.MaxBytes)"}}, err)
	require.LessOrEqual(t, in.read, max+1, "bytes read")
	// Chunks of 64 KiB, 64 KiB, 128 KiB, … up to the limit and a byte:
	// nothing copied.
	require.Less(t, n, uint64(max+(64<<10)), "bytes allocated")

	e.stdin = io.LimitReader(&endless{}, max)
	data, err := e.readInput("-")
	require.NoError(t, err)
	require.Len(t, data, max)
	require.LessOrEqual(t, cap(data), max+1)

	path := filepath.Join(t.TempDir(), "at-the-limit.json")
	require.NoError(t, os.WriteFile(path, data, 0o644))
	data, err = e.readInput(path)
	require.NoError(t, err)
	require.Len(t, data, max)
	require.NoError(t, os.WriteFile(path, append(data, ' '), 0o644))
	_, err = e.readInput(path)
	require.Equal(t, &invalidError{[]string{path + ": 1048577 bytes, more than the limit of 1048576 (Limits.MaxBytes)"}}, err)
}

// TestOutputIsNotAnInput: an output that is the same file as an input
// (by device and inode: through another path or a link too) is refused
// before any work, with a message, and the input is left as it was;
// before, "afkar rank -o same.json same.json" replaced the dataset with
// its result and exited 0.
func TestOutputIsNotAnInput(t *testing.T) {
	rubric, projects, long, _ := splitSample(t)
	dir := filepath.Dir(rubric)
	dataset := filepath.Join(dir, "dataset.json")
	data, err := os.ReadFile(conformance + "037/dataset.json")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(dataset, data, 0o644))
	link := filepath.Join(dir, "link.json")
	require.NoError(t, os.Symlink("dataset.json", link))
	judges := filepath.Join(dir, "judges.csv")
	require.NoError(t, os.WriteFile(judges, []byte("id\nJ1\n"), 0o644))
	result := filepath.Join(dir, "result.json")
	require.NoError(t, os.WriteFile(result, []byte(afkarCmd(t, "", "rank", "--format", "json", dataset).stdout), 0o644))
	pub := filepath.Join(dir, "pub")
	require.NoError(t, os.Mkdir(pub, 0o755))
	published := filepath.Join(pub, "rubric.json")
	require.NoError(t, os.WriteFile(published, data, 0o644))
	same := func(out, in string) string {
		return "afkar: " + out + " is the same file as " + in + ": writing it would replace that input (write to another file)\n"
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"rank, the dataset", []string{"rank", "-o", dataset, dataset}, same("-o "+dataset, "the dataset "+dataset)},
		{"rank, through a link", []string{"rank", "-o", link, dataset}, same("-o "+link, "the dataset "+dataset)},
		{"rank, the scores", []string{"rank", "--scores", long, "-o", long, rubric}, same("-o "+long, "--scores "+long)},
		{"rank, the projects", []string{"rank", "--scores", long, "--projects", projects, "-o", projects, rubric}, same("-o "+projects, "--projects "+projects)},
		{"rank, the judges", []string{"rank", "--scores", long, "--judges", judges, "-o", judges, rubric}, same("-o "+judges, "--judges "+judges)},
		{"analyze -o", []string{"analyze", "-o", dataset, dataset}, same("-o "+dataset, "the dataset "+dataset)},
		{"analyze --svg", []string{"analyze", "--svg", dataset, dataset}, same("--svg "+dataset, "the dataset "+dataset)},
		{"sensitivity --svg", []string{"sensitivity", "--samples", "10", "--svg", long, "--scores", long, rubric}, same("--svg "+long, "--scores "+long)},
		{"compare", []string{"compare", "-o", result, result, result}, same("-o "+result, "the dataset "+result)},
		{"convert to JSON", []string{"convert", "--scores", long, "-o", rubric, rubric}, same("-o "+rubric, "the dataset "+rubric)},
		{"convert to CSV, --dir", []string{"convert", "--dir", pub, published}, same("--dir "+published, "the dataset "+published)},
		{"convert to CSV, two outputs", []string{"convert", "--out-scores", result + ".csv", "--out-projects", result + ".csv", dataset},
			"afkar: --out-projects " + result + ".csv is the same file as --out-scores " + result + ".csv: one would replace the other\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := map[string][]byte{}
			for _, p := range []string{dataset, long, projects, judges, rubric, result, published} {
				before[p], err = os.ReadFile(p)
				require.NoError(t, err)
			}
			r := afkarCmd(t, "", tt.args...)
			require.Equal(t, 2, r.code, r.stderr)
			require.Equal(t, tt.want, strings.ReplaceAll(r.stderr, "afkar: no dataset given: using the built-in sample's rubric and ranking rules\n", ""))
			for p, b := range before {
				after, err := os.ReadFile(p)
				require.NoError(t, err)
				require.Equal(t, string(b), string(after), "%s changed", p)
			}
		})
	}

	// Standard input redirected from the output.
	in, err := os.Open(dataset)
	require.NoError(t, err)
	defer in.Close()
	cmd := exec.Command(binary, "rank", "-o", dataset, "-")
	cmd.Stdin = in
	var stderr strings.Builder
	cmd.Stderr = &stderr
	require.Error(t, cmd.Run())
	require.Equal(t, 2, cmd.ProcessState.ExitCode())
	require.Equal(t, same("-o "+dataset, "standard input"), stderr.String())
	after, err := os.ReadFile(dataset)
	require.NoError(t, err)
	require.Equal(t, string(data), string(after))
}

// trickle is standard input that gives at most n bytes a read, and counts
// what is read.
type trickle struct {
	data []byte
	n    int
	read int
}

func (r *trickle) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	k := copy(p[:min(len(p), r.n)], r.data)
	r.data = r.data[k:]
	r.read += k
	return k, nil
}

// FuzzReadInput: standard input within the limit is read whole, as it
// was, whatever the sizes of the reads; past it, it is refused, and no
// more than the limit and a byte is read.
func FuzzReadInput(f *testing.F) {
	f.Add([]byte(`{"rubric": {}}`), uint16(100), uint16(3))
	f.Add([]byte(""), uint16(1), uint16(1))
	f.Add(make([]byte, 70_000), uint16(65_535), uint16(4096))
	f.Add(make([]byte, 65_536), uint16(65_535), uint16(65_535))
	f.Fuzz(func(t *testing.T, data []byte, limit, chunk uint16) {
		max := int(limit) + 1
		in := &trickle{data: data, n: int(chunk) + 1}
		e := &env{ctx: context.Background(), stdin: in, limits: afkar.Limits{MaxBytes: max}}
		got, err := e.readInput("-")
		if in.read > max+1 {
			t.Fatalf("read %d bytes, past the limit %d and a byte", in.read, max)
		}
		if len(data) > max {
			want := &invalidError{[]string{fmt.Sprintf("standard input: more than %d bytes, the limit (Limits.MaxBytes)", max)}}
			if fmt.Sprint(err) != fmt.Sprint(want) {
				t.Fatalf("%d bytes, limit %d: got %v, want %v", len(data), max, err, want)
			}
			return
		}
		if err != nil || string(got) != string(data) {
			t.Fatalf("%d bytes, limit %d: got %d bytes, %v", len(data), max, len(got), err)
		}
	})
}

// TestHeadToHeadLimitNamed: past Limits.MaxHeadToHeadPairs (50,000,000 by
// default), rank refuses with the limit named, at the rule, before
// comparing: 10,001 projects tie, each with a ballot of its own
// (50,005,000 pairs). Before, there was no limit: the pairwise rule
// compared them all (about 260 ns a pair here, 13 s), and a larger tied
// set took as long as its square.
func TestHeadToHeadLimitNamed(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"rubric": {"criteria": [{"id": "c", "weight": "1"}]}, "ranking": {"tie_break": ["head_to_head", "id"]}, "projects": [`)
	var scores []string
	for i := range 10_001 {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, `{"id": "P%05d"}`, i)
		// J1 and J2 mean 10 on every project: all tied; J1's scores all differ.
		scores = append(scores, fmt.Sprintf(`{"judge": "J1", "project": "P%05d", "criterion": "c", "score": "%d.%04d"}`, i, i/10000, i%10000),
			fmt.Sprintf(`{"judge": "J2", "project": "P%05d", "criterion": "c", "score": "%d.%04d"}`, i, 19-i/10000+(10000-i%10000)/10000, (10000-i%10000)%10000))
	}
	b.WriteString(`], "scores": [` + strings.Join(scores, ", ") + `]}`)
	path := filepath.Join(t.TempDir(), "tied.json")
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
	r := afkarCmd(t, "", "rank", path)
	require.Equal(t, 2, r.code, r.stderr)
	require.Equal(t, "ranking.tie_break[0]: head_to_head would compare at least 50005000 pairs of distinct ballots "+
		"(10001 tied projects with 10001 distinct ballots), more than the limit of 50000000 (Limits.MaxHeadToHeadPairs)\n", r.stderr)
}

// TestLimitFlags: --max-bytes, --max-projects, --max-scores and
// --max-head-to-head-pairs lower or raise afkar.Limits for one run (a
// national registry of 10M projects needs them raised), on the JSON and
// the CSV path; a value that is not a whole number above 0 is a usage
// error.
func TestLimitFlags(t *testing.T) {
	dir := t.TempDir()
	rubric, scores := filepath.Join(dir, "rubric.json"), filepath.Join(dir, "scores.csv")
	require.NoError(t, os.WriteFile(rubric, []byte(`{"rubric": {"criteria": [{"id": "c", "weight": "1"}]}, "ranking": {"tie_break": ["head_to_head", "id"]}}`), 0o644))
	require.NoError(t, os.WriteFile(scores, []byte("project,judge,c\nP1,J1,10\nP1,J2,12\nP2,J1,12\nP2,J2,10\nP3,J1,11\nP3,J2,11\n"), 0o644))

	r := afkarCmd(t, "", "rank", "--max-bytes", "50", "--scores", scores, rubric)
	require.Equal(t, 2, r.code, r.stderr)
	require.Contains(t, r.stderr, rubric+": 104 bytes, more than the limit of 50 (Limits.MaxBytes)")

	r = afkarCmd(t, "", "rank", "--max-projects", "2", "--scores", scores, rubric)
	require.Equal(t, 2, r.code, r.stderr)
	require.Contains(t, r.stderr, "more than the limit of 2 (Limits.MaxProjects)")

	r = afkarCmd(t, "", "validate", "--max-scores", "5", "--scores", scores, rubric)
	require.Equal(t, 2, r.code, r.stderr)
	require.Contains(t, r.stderr, "more than the limit of 5 (Limits.MaxScores)")

	r = afkarCmd(t, "", "rank", "--max-projects", "3", "--max-scores", "6", "--format", "csv", "--scores", scores, rubric)
	require.Equal(t, 0, r.code, r.stderr)
	require.Equal(t, 4, strings.Count(r.stdout, "\n"), r.stdout)

	// P1, P2 and P3 tie on the total (11) with three distinct ballots:
	// three pairs for head_to_head.
	r = afkarCmd(t, "", "rank", "--max-head-to-head-pairs", "2", "--scores", scores, rubric)
	require.Equal(t, 2, r.code, r.stderr)
	require.Contains(t, r.stderr, "head_to_head would compare at least 3 pairs of distinct ballots (3 tied projects with 3 distinct ballots), more than the limit of 2 (Limits.MaxHeadToHeadPairs)")
	r = afkarCmd(t, "", "rank", "--max-head-to-head-pairs", "3", "--format", "csv", "--scores", scores, rubric)
	require.Equal(t, 0, r.code, r.stderr)

	for _, bad := range []string{"0", "-5", "1e9", "lots"} {
		r = afkarCmd(t, "", "rank", "--max-bytes", bad)
		require.Equal(t, 2, r.code, bad)
		require.Contains(t, r.stderr, `invalid value "`+bad+`" for flag -max-bytes: expected a whole number above 0, found "`+bad+`"`)
	}
}
