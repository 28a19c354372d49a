package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/internal/atomicfile"
	"github.com/afkarlab/afkar/internal/csvdata"
	"github.com/afkarlab/afkar/internal/sample"
	"github.com/afkarlab/afkar/scoring"
)

const rankUsage = `Usage: afkar rank [flags] [DATASET|-]

Ranks a dataset (JSON, format afkar/1) and prints the result. With no
DATASET, ranks the built-in sample: a synthetic Afkar tour of 12 stages.
"-" reads the dataset from standard input.

Scores may come from CSV instead: --scores with the header
project,judge,criterion,score (long form) or project,judge,<criterion ids…>
(wide form), --projects with the header id and any of
title,region,sector,cooperative,submitted_at. The rubric and ranking rules
then come from DATASET (which needs no projects or scores; any it has are
replaced), or from the built-in sample when no DATASET is given. Without
--projects, the projects are the distinct projects of the scores, in order
of first appearance.

Examples:
  afkar rank
  afkar rank --format json -o result.json dakhla.json
  afkar rank --scores scores.csv --projects projects.csv rubric.json

Flags:
`

type rankFlags struct {
	format, out, scores, projects, lang string
}

// parseRankFlags reads rank's command line: its flags, anywhere, and at
// most one dataset. Help output and flag errors go to stderr.
func parseRankFlags(args []string, stderr io.Writer) (rankFlags, []string, error) {
	var f rankFlags
	fs := flag.NewFlagSet("rank", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.format, "format", "table", "output `format`: table, json or csv")
	fs.StringVar(&f.out, "o", "", "write the result to `FILE` (replaced only when the whole result is ready)")
	fs.StringVar(&f.scores, "scores", "", "read the scores from CSV `FILE` (long or wide form)")
	fs.StringVar(&f.projects, "projects", "", "read the projects from CSV `FILE`")
	fs.StringVar(&f.lang, "lang", "en", "`language` of region names in tables: ar, fr or en")
	fs.Usage = func() { fmt.Fprint(fs.Output(), rankUsage); fs.PrintDefaults() }
	rest, err := parseFlags(fs, args)
	if err != nil {
		return f, nil, err
	}
	switch f.format {
	case "table", "json", "csv":
	default:
		return f, nil, &usageError{fmt.Sprintf("--format: expected table, json or csv, found %q", f.format)}
	}
	if len(rest) > 1 {
		return f, nil, &usageError{fmt.Sprintf("rank takes at most one dataset, found %d: %s", len(rest), strings.Join(rest, " "))}
	}
	if f.projects != "" && f.scores == "" {
		return f, nil, &usageError{"--projects goes with --scores"}
	}
	return f, rest, nil
}

func (e *env) rank(args []string) error {
	f, rest, err := parseRankFlags(args, e.stderr)
	if err != nil {
		return err
	}
	var ds *afkar.Dataset
	var src *csvSources
	if len(rest) == 0 {
		what := "the built-in sample (synthetic data)"
		if f.scores != "" {
			what = "the built-in sample's rubric and ranking rules"
		}
		fmt.Fprintf(e.stderr, "afkar: no dataset given: using %s\n", what)
		ds, src, err = e.loadCSV(sample.JSON(), f, true)
	} else {
		var data []byte
		data, err = e.readInput(rest[0])
		if err != nil {
			return err
		}
		ds, src, err = e.loadCSV(data, f, false)
	}
	if err != nil {
		return err
	}
	// A CSV of the standings carries no digest: it is not computed.
	res, err := afkar.EvaluateOptions{NoDigest: f.format == "csv"}.Evaluate(e.ctx, ds)
	if err != nil {
		return problemsError(err, src)
	}
	var buf bytes.Buffer
	switch f.format {
	case "json":
		b, err := res.MarshalJSON()
		if err != nil {
			return err
		}
		buf.Write(b)
	case "csv":
		if err := writeCSV(&buf, res); err != nil {
			return err
		}
	default:
		writeTable(&buf, res, ds, f.lang)
	}
	if f.out == "" {
		_, err := e.stdout.Write(buf.Bytes())
		return err
	}
	return atomicfile.Write(f.out, buf.Bytes(), 0o644)
}

// loadCSV decodes the dataset data and, with --scores, completes it from
// the CSV files, which src then names in problems. fromSample drops the
// sample's own judges, which do not fit the CSV's scores. The dataset is
// not validated: Evaluate does that.
func (e *env) loadCSV(data []byte, f rankFlags, fromSample bool) (*afkar.Dataset, *csvSources, error) {
	if f.scores == "" {
		ds, err := afkar.Decode(data)
		return ds, nil, problemsError(err, nil)
	}
	ds, err := afkar.DecodeOptions{Partial: true}.Decode(data)
	if err != nil {
		return nil, nil, problemsError(err, nil)
	}
	if fromSample {
		ds.Judges = nil
	}
	criteria := make([]string, len(ds.Rubric.Criteria))
	for i, c := range ds.Rubric.Criteria {
		criteria[i] = c.ID
	}
	src := &csvSources{scoresFile: f.scores, projectsFile: f.projects}
	if ds.Scores, err = e.readScores(f.scores, criteria, src); err != nil {
		return nil, nil, err
	}
	if max := afkar.DefaultLimits().MaxScores; ds.Scores.Len() > max {
		return nil, nil, &invalidError{[]string{fmt.Sprintf("%s: %d scores, more than the limit of %d (Limits.MaxScores)", f.scores, ds.Scores.Len(), max)}}
	}
	if f.projects != "" {
		if src.projects, err = e.readProjects(f.projects); err != nil {
			return nil, nil, err
		}
		ds.Projects = make([]bank.Project, len(src.projects))
		var bad []string
		for i, p := range src.projects {
			ds.Projects[i] = bank.Project{ID: p.ID, Title: p.Title, Region: p.Region, Sector: p.Sector, Cooperative: p.Cooperative}
			if p.SubmittedAt != "" {
				t, err := afkar.ParseTime(p.SubmittedAt)
				if err != nil {
					bad = append(bad, csvdata.Problem{File: f.projects, Line: p.Line, Column: p.Columns["submitted_at"], Msg: err.Error()}.Error())
				}
				ds.Projects[i].SubmittedAt = t
			}
		}
		if len(bad) > 0 {
			return nil, nil, &invalidError{bad}
		}
	} else {
		// The table's projects are the distinct projects of the scores, in
		// order of first appearance.
		ds.Projects = nil
		if _, ids, _, _ := ds.Scores.Distinct(); len(ids) > 0 {
			ds.Projects = make([]bank.Project, len(ids))
			for i, id := range ids {
				ds.Projects[i].ID = id
			}
		}
	}
	return ds, src, nil
}

// readScores reads the scores CSV file name. A regular file with plain
// contents is read whole and parsed on every core
// (csvdata.ReadScoresFast), and src re-reads it from disk, the careful
// way, only if a problem needs a place in it (holding the bytes until then
// would raise the peak memory; should the file no longer hold the same
// scores, the problems keep their dataset paths). Any other file (a pipe
// cannot be read twice) and standard input are read the careful way at
// once.
func (e *env) readScores(name string, criteria []string, src *csvSources) (scoring.Scores, error) {
	if name != "-" {
		fi, statErr := os.Stat(name)
		data, err := e.readInput(name)
		if err != nil {
			return scoring.Scores{}, err
		}
		if statErr != nil || !fi.Mode().IsRegular() {
			return e.readScoresCarefully(bytes.NewReader(data), name, criteria, src)
		}
		if scores, ok := csvdata.ReadScoresFast(data, criteria); ok {
			src.load = func() []csvdata.Score { return e.rereadScores(name, criteria, scores) }
			return scores, nil
		}
		return e.readScoresCarefully(bytes.NewReader(data), name, criteria, src)
	}
	r, err := e.open(name)
	if err != nil {
		return scoring.Scores{}, err
	}
	defer r.Close()
	return e.readScoresCarefully(r, name, criteria, src)
}

// rereadScores reads the scores file name the careful way, for the places
// of its scores, or returns nil if it no longer holds the scores read
// first.
func (e *env) rereadScores(name string, criteria []string, first scoring.Scores) []csvdata.Score {
	r, err := e.open(name)
	if err != nil {
		return nil
	}
	defer r.Close()
	ss, err := csvdata.ReadScores(r, name, criteria)
	if err != nil || len(ss) != first.Len() {
		return nil
	}
	for i, s := range ss {
		f := first.At(i)
		if s.Judge != f.Judge || s.Project != f.Project || s.Criterion != f.Criterion || !s.Value.Equal(f.Value) {
			return nil
		}
	}
	return ss
}

// readProjects reads the projects CSV file name: a plain file on every
// core (csvdata.ReadProjectsFast), any other, and standard input, the
// careful way.
func (e *env) readProjects(name string) ([]csvdata.Project, error) {
	var r io.Reader
	if name != "-" {
		data, err := e.readInput(name)
		if err != nil {
			return nil, err
		}
		if ps, ok := csvdata.ReadProjectsFast(data); ok {
			return ps, nil
		}
		r = bytes.NewReader(data)
	} else {
		rc, err := e.open(name)
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		r = rc
	}
	ps, err := csvdata.ReadProjects(r, name)
	if err != nil {
		return nil, csvError(err)
	}
	return ps, nil
}

// readScoresCarefully reads scores with csvdata.ReadScores, which places
// every problem, and keeps their places in src.
func (e *env) readScoresCarefully(r io.Reader, name string, criteria []string, src *csvSources) (scoring.Scores, error) {
	var scores scoring.Scores
	ss, err := csvdata.ReadScores(r, name, criteria)
	if err != nil {
		return scores, csvError(err)
	}
	src.scores = ss
	scores.Grow(len(ss))
	for _, s := range ss {
		scores.Append(scoring.Score{Judge: s.Judge, Project: s.Project, Criterion: s.Criterion, Value: s.Value})
	}
	return scores, nil
}

// csvSources remembers where the scores and projects of a dataset came
// from, to report their problems at their place in the CSV files.
type csvSources struct {
	scoresFile, projectsFile string
	scores                   []csvdata.Score
	projects                 []csvdata.Project
	// load, if not nil, reads the scores' places when a problem first
	// needs them.
	load func() []csvdata.Score
}

// place returns the CSV place of a dataset path such as scores[3].score,
// or "" when the path is not in a CSV file.
func (src *csvSources) place(path string) string {
	if src == nil {
		return ""
	}
	if src.load != nil && strings.HasPrefix(path, "scores[") {
		src.scores, src.load = src.load(), nil
	}
	var i int
	var field string
	if n, _ := fmt.Sscanf(path, "scores[%d]", &i); n == 1 && i >= 0 && i < len(src.scores) {
		s := src.scores[i]
		_, field, _ = strings.Cut(path, "].")
		col := s.Column
		switch field {
		case "judge":
			col = s.JudgeColumn
		case "project":
			col = s.ProjectColumn
		case "criterion":
			col = s.CriterionColumn
		case "":
			col = 0
		}
		return csvdata.Problem{File: src.scoresFile, Line: s.Line, Column: col}.Place()
	}
	if n, _ := fmt.Sscanf(path, "projects[%d]", &i); n == 1 && i >= 0 && i < len(src.projects) {
		p := src.projects[i]
		_, field, _ = strings.Cut(path, "].")
		return csvdata.Problem{File: src.projectsFile, Line: p.Line, Column: p.Columns[field]}.Place()
	}
	return ""
}

// problemsError turns a dataset's problems into invalid input, one line
// each, placed in the CSV files they came from when they did.
func problemsError(err error, src *csvSources) error {
	var ps afkar.Problems
	if !errors.As(err, &ps) {
		return err
	}
	lines := make([]string, len(ps))
	for i, p := range ps {
		if place := src.place(p.Path); place != "" {
			lines[i] = place + ": " + p.Message
		} else {
			lines[i] = p.Error()
		}
	}
	return &invalidError{lines}
}

func csvError(err error) error {
	var ps csvdata.Problems
	if !errors.As(err, &ps) {
		return err
	}
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Error()
	}
	return &invalidError{lines}
}

// readInput reads the dataset named on the command line; "-" is stdin.
func (e *env) readInput(name string) ([]byte, error) {
	r, err := e.open(name)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	// A file's size is known: read it into a buffer of that size (and a
	// byte more, to see the end) rather than one grown by copying.
	var buf bytes.Buffer
	if fi, err := os.Stat(name); name != "-" && err == nil && fi.Mode().IsRegular() {
		// ReadFrom wants MinRead bytes free before each read, the last
		// one (which finds the end) too.
		buf.Grow(int(min(fi.Size(), int64(afkar.DefaultLimits().MaxBytes))) + bytes.MinRead)
	}
	_, err = buf.ReadFrom(r)
	return buf.Bytes(), err
}

// open opens a named input, "-" for stdin, reading at most
// Limits.MaxBytes from it: past that, reads fail with an invalid-input
// error rather than filling the memory.
func (e *env) open(name string) (io.ReadCloser, error) {
	var rc io.ReadCloser = io.NopCloser(e.stdin)
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		rc = f
	}
	max := afkar.DefaultLimits().MaxBytes
	return &boundedReader{rc: rc, name: name, left: int64(max), max: max}, nil
}

// boundedReader fails, instead of ending, past max bytes, so that a
// truncated file is never taken for a whole one.
type boundedReader struct {
	rc   io.ReadCloser
	name string
	left int64
	max  int
}

func (b *boundedReader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One byte more tells a file of exactly max bytes from a larger one.
		var one [1]byte
		if n, _ := b.rc.Read(one[:]); n == 0 {
			return 0, io.EOF
		}
		return 0, &invalidError{[]string{fmt.Sprintf("%s: more than %d bytes, the limit (Limits.MaxBytes)", b.name, b.max)}}
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *boundedReader) Close() error { return b.rc.Close() }

// parseFlags parses args with fs, allowing flags after the positional
// arguments ("afkar rank data.json --format json").
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, errHelp
			}
			return nil, &usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return rest, nil
		}
		rest = append(rest, args[0])
		args = args[1:]
		if len(args) > 0 && args[0] == "--" {
			return append(rest, args[1:]...), nil
		}
	}
}
