package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/analysis/comparability"
	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/internal/atomicfile"
	"github.com/afkarlab/afkar/internal/freetext"
	"github.com/afkarlab/afkar/internal/parallel"
	"github.com/afkarlab/afkar/scoring"
	"github.com/afkarlab/afkar/spreadsheet"
)

const rankUsage = `Usage: afkar rank [flags] [DATASET|-]

Ranks a dataset (JSON, format afkar/1) and prints the result. With no
DATASET, ranks the built-in sample: a synthetic Afkar tour of 12 stages.
"-" reads the dataset from standard input.

` + csvInputUsage + `
With --format csv, the output is written in the dialect of the scores CSV
(its delimiter, decimal separator and byte order mark), so that the
spreadsheet that wrote it opens it; --out-delimiter, --out-decimal-comma
and --out-bom set it otherwise.

The table (--format table) says what decided each place, why a project is
not ranked, and how many scores each project has against the number
expected (its stage's judges × the criteria, less conflicts of interest and
abstentions), marking "short" the rows with fewer; it ends with the rules
in force. --lang fr or ar writes it in French or Arabic (laid out for a
terminal that lays text out right to left).

Under the zscore aggregation, rank refuses juries that share no project
(the juror–idea graph splits into components: per-judge normalisation
cannot tell a lenient jury from a strong one), naming them and the bridge
assignments that would connect them, unless --allow-disconnected-zscore,
which ranks anyway with a notice. It also prints a notice for each judge
with fewer than 5 counted scores on a criterion (afkar analyze shows both).

Examples:
  afkar rank
  afkar rank --lang fr dakhla.json
  afkar rank --format json -o result.json dakhla.json
  afkar rank --scores scores.csv --projects projects.csv rubric.json
  afkar rank --scores notes.csv --judges jury.csv --format csv -o result.csv rubric.json

Flags:
`

type rankFlags struct {
	format, out, lang string
	allowDisconnected bool // --allow-disconnected-zscore
	inputFlags
	csvOut outputFlags
}

// parseRankFlags reads rank's command line: its flags, anywhere, and at
// most one dataset. Help output and flag errors go to stderr.
func parseRankFlags(args []string, stderr io.Writer) (rankFlags, []string, error) {
	var f rankFlags
	fs := flag.NewFlagSet("rank", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.format, "format", "table", "output `format`: table, json or csv")
	fs.StringVar(&f.out, "o", "", "write the result to `FILE` (replaced only when the whole result is ready)")
	f.inputFlags.register(fs)
	f.csvOut.register(fs)
	fs.BoolVar(&f.allowDisconnected, "allow-disconnected-zscore", false, "rank by zscore even across juries that share no project (with a notice)")
	fs.StringVar(&f.lang, "lang", "en", "`language` of the table: ar, fr or en (Arabic laid out right to left)")
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
	if err := f.inputFlags.check(); err != nil {
		return f, nil, err
	}
	if err := f.csvOut.check(); err != nil {
		return f, nil, err
	}
	if f.csvOut.given() && f.format != "csv" {
		return f, nil, &usageError{"--out-delimiter, --out-decimal-comma and --out-bom go with --format csv"}
	}
	if f.lang, err = parseLang(f.lang); err != nil {
		return f, nil, err
	}
	return f, rest, nil
}

func (e *env) rank(args []string) error {
	f, rest, err := parseRankFlags(args, e.stderr)
	if err != nil {
		return err
	}
	if err := e.checkOutputs(f.files(rest), []namedFile{{"-o", f.out}}); err != nil {
		return err
	}
	f.evaluated = true // just below
	ds, src, err := e.loadDataset("rank", rest, &f.inputFlags)
	if err != nil {
		return err
	}
	// A CSV of the standings carries no digest: it is not computed.
	res, err := afkar.EvaluateOptions{NoDigest: f.format == "csv", Limits: e.limits}.Evaluate(e.ctx, ds)
	if err != nil {
		return problemsError(err, src)
	}
	if err := e.checkZScore(ds, f.allowDisconnected); err != nil {
		err = problemsError(err, src)
		if inv, ok := err.(*invalidError); ok {
			inv.lines = append(inv.lines, "afkar: rank each jury on its own, connect them, or rank anyway with --allow-disconnected-zscore")
		}
		return err
	}
	if f.format == "csv" {
		// Written as it is formatted: a CSV of a million projects is not
		// held whole.
		write := func(w io.Writer) error { return writeCSV(w, res, f.csvOut.dialect(src.dialect())) }
		if f.out == "" {
			bw := bufio.NewWriterSize(e.stdout, 1<<16)
			if err := write(bw); err != nil {
				return err
			}
			return bw.Flush()
		}
		return atomicfile.WriteFunc(f.out, 0o644, write)
	}
	var buf bytes.Buffer
	switch f.format {
	case "json":
		b, err := res.MarshalJSON()
		if err != nil {
			return err
		}
		buf.Write(b)
	default:
		writeTable(&buf, res, ds, textsFor(f.lang))
	}
	if f.out == "" {
		out := buf.Bytes()
		if f.format == "table" && f.lang == "ar" && isTerminal(e.stdout) {
			out = forBidiTerminal(out)
		}
		_, err := e.stdout.Write(out)
		return err
	}
	return atomicfile.Write(f.out, buf.Bytes(), 0o644)
}

// loadCSV decodes the dataset data, read from the file name ("" for the
// built-in sample, "-" for standard input), and, with --scores, completes
// it from the CSV files, which src then names in problems, with the
// dataset file; the files' notices go to stderr. The sample's own judges
// are dropped: they do not fit the CSV's scores. A dataset completed from
// CSV files is not validated, nor one read whole when f.evaluated:
// Evaluate does that.
func (e *env) loadCSV(data []byte, name string, f *inputFlags) (*afkar.Dataset, *csvSources, error) {
	if f.scores == "" {
		ds, err := afkar.DecodeOptions{Limits: e.limits, NoValidate: f.evaluated}.Decode(data)
		return ds, nil, problemsError(err, nil)
	}
	src := &csvSources{datasetFile: name, Origin: spreadsheet.Origin{ScoresFile: f.scores, ProjectsFile: f.projects, JudgesFile: f.judges}}
	ds, err := afkar.DecodeOptions{Partial: true, Limits: e.limits}.Decode(data)
	if err != nil {
		return nil, nil, problemsError(err, src)
	}
	if name == "" {
		ds.Judges = nil
	}
	criteria := make([]string, len(ds.Rubric.Criteria))
	for i, c := range ds.Rubric.Criteria {
		criteria[i] = c.ID
	}
	var layout spreadsheet.Layout
	if ds.Scores, layout, err = e.readScores(f.options(f.scores, criteria), src); err != nil {
		return nil, nil, err
	}
	e.notify(layout)
	src.scoresDialect = layout.Dialect
	if f.projects != "" {
		if src.Projects, err = e.readProjects(f.options(f.projects, nil)); err != nil {
			return nil, nil, err
		}
		ds.Projects = make([]bank.Project, len(src.Projects))
		for i, p := range src.Projects {
			ds.Projects[i] = p.Project
		}
	} else {
		// The table's projects are the distinct projects of the scores, in
		// order of first appearance.
		ds.Projects = nil
		if _, ids, _, _ := ds.Scores.Distinct(); len(ids) > 0 {
			ds.Projects = make([]bank.Project, len(ids))
			// On every core: a million projects are 264 MB to write.
			err := parallel.For(e.ctx, len(ids), 1<<14, func(lo, hi int) error {
				for i := lo; i < hi; i++ {
					ds.Projects[i].ID = ids[i]
				}
				return nil
			})
			if err != nil {
				return nil, nil, err
			}
		}
	}
	if f.judges != "" {
		if src.Judges, err = e.readJudges(f.options(f.judges, nil)); err != nil {
			return nil, nil, err
		}
		ds.Judges = make([]bank.Judge, len(src.Judges)) // not nil: the jury is listed, maybe empty
		for i, j := range src.Judges {
			ds.Judges[i] = j.Judge
		}
	}
	// The counts, in the files they came from: "scores.csv: 100001
	// judges named by the scores, more than the limit of 100000
	// (Limits.MaxJudges)".
	if err := e.limits.Check(ds); err != nil {
		var lines []string
		for _, p := range err.(afkar.Problems) {
			lines = append(lines, src.fileOf(p.Path)+": "+p.Message)
		}
		return nil, nil, &invalidError{lines}
	}
	return ds, src, nil
}

// notify writes a file's notices to stderr, one a line.
func (e *env) notify(layout spreadsheet.Layout) {
	for _, n := range layout.Notices {
		fmt.Fprintln(e.stderr, "afkar: "+freetext.Visible(n.Error()))
	}
}

// readScores reads the scores CSV file o.Name. A regular file with plain
// contents is read whole and parsed on every core
// (spreadsheet.ReadScoresFast), and src re-reads it from disk, the careful
// way, only if a problem needs a place in it (holding the bytes until then
// would raise the peak memory; should the file no longer hold the same
// scores, the problems keep their dataset paths). Any other file (a pipe
// cannot be read twice) and standard input are read the careful way at
// once.
func (e *env) readScores(o spreadsheet.Options, src *csvSources) (scoring.Scores, spreadsheet.Layout, error) {
	if o.Name != "-" {
		fi, statErr := os.Stat(o.Name)
		data, err := e.readInput(o.Name)
		if err != nil {
			return scoring.Scores{}, spreadsheet.Layout{}, err
		}
		if statErr != nil || !fi.Mode().IsRegular() {
			return e.readScoresCarefully(bytes.NewReader(data), o, src)
		}
		if scores, layout, ok := spreadsheet.ReadScoresFast(data, o); ok {
			src.load = func() []spreadsheet.Score { return e.rereadScores(o, scores) }
			return scores, layout, nil
		}
		return e.readScoresCarefully(bytes.NewReader(data), o, src)
	}
	r, err := e.open(o.Name)
	if err != nil {
		return scoring.Scores{}, spreadsheet.Layout{}, err
	}
	defer r.Close()
	return e.readScoresCarefully(r, o, src)
}

// rereadScores reads the scores file o.Name the careful way, for the
// places of its scores, or returns nil if it no longer holds the scores
// read first.
func (e *env) rereadScores(o spreadsheet.Options, first scoring.Scores) []spreadsheet.Score {
	r, err := e.open(o.Name)
	if err != nil {
		return nil
	}
	defer r.Close()
	ss, _, err := spreadsheet.ReadScores(r, o)
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

// readProjects reads the projects CSV file o.Name: a plain file on every
// core (spreadsheet.ReadProjectsFast), any other, and standard input, the
// careful way. Its notices go to stderr.
func (e *env) readProjects(o spreadsheet.Options) ([]spreadsheet.Project, error) {
	var r io.Reader
	if o.Name != "-" {
		data, err := e.readInput(o.Name)
		if err != nil {
			return nil, err
		}
		if ps, layout, ok := spreadsheet.ReadProjectsFast(data, o); ok {
			e.notify(layout)
			return ps, nil
		}
		r = bytes.NewReader(data)
	} else {
		rc, err := e.open(o.Name)
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		r = rc
	}
	ps, layout, err := spreadsheet.ReadProjects(r, o)
	e.notify(layout)
	if err != nil {
		return nil, csvError(err)
	}
	return ps, nil
}

// readJudges reads the judges CSV file o.Name. Its notices go to stderr.
func (e *env) readJudges(o spreadsheet.Options) ([]spreadsheet.Judge, error) {
	r, err := e.open(o.Name)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	js, layout, err := spreadsheet.ReadJudges(r, o)
	e.notify(layout)
	if err != nil {
		return nil, csvError(err)
	}
	return js, nil
}

// readScoresCarefully reads scores with spreadsheet.ReadScores, which
// places every problem, and keeps their places in src.
func (e *env) readScoresCarefully(r io.Reader, o spreadsheet.Options, src *csvSources) (scoring.Scores, spreadsheet.Layout, error) {
	var scores scoring.Scores
	ss, layout, err := spreadsheet.ReadScores(r, o)
	if err != nil {
		e.notify(layout)
		return scores, layout, csvError(err)
	}
	src.Scores = ss
	scores.Grow(len(ss))
	for _, s := range ss {
		scores.Append(s.Score)
	}
	return scores, layout, nil
}

// csvSources remembers where the scores, projects and judges of a dataset
// came from, to report their problems at their place in the CSV files.
type csvSources struct {
	spreadsheet.Origin
	// datasetFile is the file of the rubric and ranking rules ("-" for
	// standard input, "" for the built-in sample).
	datasetFile string
	// load, if not nil, reads the scores' places when a problem first
	// needs them.
	load func() []spreadsheet.Score
	// scoresDialect is the dialect of the scores file.
	scoresDialect spreadsheet.Dialect
}

// place returns the CSV place of a dataset path such as scores[3].score,
// or "" when the path is not in a CSV file.
func (src *csvSources) place(path string) string {
	if p, ok := src.position(path); ok {
		return p.Place()
	}
	return ""
}

// position returns the CSV file, line and column of a dataset path such
// as scores[3].score (the column 0 for scores[3] itself), and whether the
// path is in a CSV file.
func (src *csvSources) position(path string) (spreadsheet.Problem, bool) {
	if src == nil {
		return spreadsheet.Problem{}, false
	}
	if src.load != nil && strings.HasPrefix(path, "scores[") {
		src.Scores, src.load = src.load(), nil
	}
	return src.Origin.Locate(path)
}

// dialect returns the dialect of the scores CSV, or the zero Dialect when
// there is none.
func (src *csvSources) dialect() spreadsheet.Dialect {
	if src == nil {
		return spreadsheet.Dialect{}
	}
	return src.scoresDialect
}

func csvError(err error) error {
	var ps spreadsheet.Problems
	if !errors.As(err, &ps) {
		return err
	}
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Error()
	}
	return &invalidError{lines}
}

// readInput reads the input named on the command line ("-" is standard
// input) whole, within Limits.MaxBytes: a file whose size is known (a
// regular file, or standard input redirected from one) and past the limit
// is refused before it is read; any other input is read in chunks, each
// as large as the chunks before it together, until the limit and a byte
// (which tells an input of exactly the limit from a larger one), and
// refused once that byte comes. A refused input is never read further,
// nor copied: no more of it than the limit and that byte is ever held.
// An input within the limit is copied once from its chunks into one
// buffer, as the readers need it.
func (e *env) readInput(name string) ([]byte, error) {
	r, size, err := e.openSized(name)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	limit := e.limits.OrDefault().MaxBytes
	if size >= 0 {
		// A known size: one buffer of that size and a byte more, to see
		// the end (or that the file grew).
		size = min(size, limit)
	}
	var chunks [][]byte
	total := 0
	for {
		if len(chunks) == 0 || len(chunks[len(chunks)-1]) == cap(chunks[len(chunks)-1]) {
			if total > limit {
				return nil, e.tooLarge(name, -1)
			}
			n := max(total, 64<<10)
			if size >= 0 && len(chunks) == 0 {
				n = size + 1
			}
			chunks = append(chunks, make([]byte, 0, min(n, limit+1-total)))
		}
		c := chunks[len(chunks)-1]
		n, err := r.Read(c[len(c):cap(c)])
		chunks[len(chunks)-1] = c[:len(c)+n]
		total += n
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if total > limit {
		return nil, e.tooLarge(name, -1)
	}
	if len(chunks) == 1 {
		return chunks[0], nil
	}
	data := make([]byte, 0, total)
	for k, c := range chunks {
		data = append(data, c...)
		chunks[k] = nil // garbage as soon as copied
	}
	return data, nil
}

// open opens a named input, "-" for standard input, for a reader that
// streams it: a file whose size is known and past Limits.MaxBytes is
// refused at once, and reads past the limit fail with an invalid-input
// error rather than filling the memory.
func (e *env) open(name string) (io.ReadCloser, error) {
	rc, _, err := e.openSized(name)
	if err != nil {
		return nil, err
	}
	max := e.limits.OrDefault().MaxBytes
	return &boundedReader{rc: rc, left: int64(max), tooLarge: func() error { return e.tooLarge(name, -1) }}, nil
}

// openSized opens a named input, "-" for standard input, and returns the
// size left to read when it is known (a regular file), else −1. An input
// whose size is past Limits.MaxBytes is refused, and closed.
func (e *env) openSized(name string) (io.ReadCloser, int, error) {
	f, _ := e.stdin.(*os.File)
	var rc io.ReadCloser = io.NopCloser(e.stdin)
	if name != "-" {
		var err error
		if f, err = os.Open(name); err != nil {
			return nil, 0, err
		}
		rc = f
	}
	size := int64(-1)
	if f != nil {
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			size = fi.Size()
			if at, err := f.Seek(0, io.SeekCurrent); err == nil { // standard input may be read already
				size = max(size-at, 0)
			}
		}
	}
	if max := e.limits.OrDefault().MaxBytes; size > int64(max) {
		rc.Close()
		return nil, 0, e.tooLarge(name, size)
	}
	return rc, int(size), nil
}

// tooLarge is the invalid input of a named input past Limits.MaxBytes:
// size bytes, or −1 when its size is not known.
func (e *env) tooLarge(name string, size int64) error {
	max := e.limits.OrDefault().MaxBytes
	if name == "-" {
		name = "standard input"
	}
	if size < 0 {
		return &invalidError{[]string{fmt.Sprintf("%s: more than %d bytes, the limit (Limits.MaxBytes)", name, max)}}
	}
	return &invalidError{[]string{fmt.Sprintf("%s: %d bytes, more than the limit of %d (Limits.MaxBytes)", name, size, max)}}
}

// boundedReader fails, instead of ending, past left bytes, so that a
// truncated file is never taken for a whole one.
type boundedReader struct {
	rc       io.ReadCloser
	left     int64
	tooLarge func() error
}

func (b *boundedReader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One byte more tells a file of exactly the limit from a larger one.
		var one [1]byte
		if n, _ := b.rc.Read(one[:]); n == 0 {
			return 0, io.EOF
		}
		return 0, b.tooLarge()
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

// checkZScore applies, under the zscore aggregation, the refusal of juries
// that share no project (comparability.Report.Check), or with allow only
// prints it as a notice; and prints a notice for each judge with too few
// scores for its normalisation to mean much.
func (e *env) checkZScore(ds *afkar.Dataset, allow bool) error {
	if ds.Rubric.Aggregation.Method != scoring.ZScore {
		return nil
	}
	rep, err := comparability.Analyze(e.ctx, ds)
	if err != nil {
		return err
	}
	for _, c := range rep.Components {
		for _, f := range c.Few {
			fmt.Fprintf(e.stderr, "afkar: notice: zscore: judge %s has %d counted scores on %s, fewer than %d: its spread says too little for the normalisation to mean much\n",
				f.Judge, f.Scores, f.Criterion, comparability.MinScores)
		}
	}
	if err := rep.Check(); err != nil {
		if !allow {
			return err
		}
		var ps afkar.Problems
		errors.As(err, &ps)
		fmt.Fprintf(e.stderr, "afkar: notice: ranked anyway (--allow-disconnected-zscore): %s\n", ps[0].Message)
	}
	return nil
}
