package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/internal/atomicfile"
	"github.com/afkarlab/afkar/scoring"
	"github.com/afkarlab/afkar/spreadsheet"
)

const convertUsage = `Usage: afkar convert [flags] [DATASET|-]

Writes a dataset in its other form: spreadsheets to one JSON file, or a
JSON dataset to spreadsheets that can be published. Either way the dataset
is checked against every rule first, and nothing is written unless it is
valid.

To JSON (--to json, the default with --scores): the dataset (afkar/1) made
of DATASET's rubric and ranking rules and the CSV files --scores,
--projects and --judges, to standard output or -o FILE.

To CSV (--to csv, the default without --scores): DATASET's scores (long
form, in the dataset's order), projects and judges as CSV files, and the
rest of the dataset (rubric, ranking rules, ideathon) as JSON:

  --dir DIR      writes DIR/scores.csv, DIR/projects.csv, DIR/judges.csv
                 (when the dataset lists its judges) and DIR/rubric.json
  --out-scores FILE, --out-projects FILE, --out-judges FILE,
  --out-rubric FILE
                 name a file (without --dir, only the files named are
                 written)

The CSV files are in the dialect of the scores CSV read, if any, else
',' with decimal points; --out-delimiter, --out-decimal-comma and --out-bom
set it. Converted back, they give a dataset with the same digest. A text
that a cell cannot hold as it is (white space at its ends, an empty
attribute) is a problem, with its place in the dataset.

` + csvInputUsage + `
Examples:
  afkar convert --scores notes.csv --projects ideas.csv --judges jury.csv -o dakhla.json rubric.json
  afkar convert --dir published/ dakhla.json
  afkar convert --scores published/scores.csv --projects published/projects.csv --judges published/judges.csv published/rubric.json
  afkar convert --dir excel/ --out-delimiter ';' --out-decimal-comma --out-bom dakhla.json

Flags:
`

type convertFlags struct {
	to, out, dir           string
	scoresOut, projectsOut string
	judgesOut, rubricOut   string
	inputFlags
	csvOut outputFlags
}

func (e *env) convert(args []string) error {
	var f convertFlags
	fs := flag.NewFlagSet("convert", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.StringVar(&f.to, "to", "", "write `json` or csv (default: json with --scores, else csv)")
	fs.StringVar(&f.out, "o", "", "write the JSON dataset to `FILE` (replaced only when it is ready; default: standard output)")
	fs.StringVar(&f.dir, "dir", "", "write the CSV files and rubric.json into `DIR` (made if missing)")
	fs.StringVar(&f.scoresOut, "out-scores", "", "write the scores CSV to `FILE`")
	fs.StringVar(&f.projectsOut, "out-projects", "", "write the projects CSV to `FILE`")
	fs.StringVar(&f.judgesOut, "out-judges", "", "write the judges CSV to `FILE`")
	fs.StringVar(&f.rubricOut, "out-rubric", "", "write the rest of the dataset (rubric, ranking rules, ideathon) as JSON to `FILE`")
	f.inputFlags.register(fs)
	f.csvOut.register(fs)
	fs.Usage = func() { fmt.Fprint(fs.Output(), convertUsage); fs.PrintDefaults() }
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := f.check(); err != nil {
		return err
	}
	if err := e.checkOutputs(f.files(rest), f.outputs()); err != nil {
		return err
	}
	ds, src, err := e.loadDataset("convert", rest, &f.inputFlags)
	if err != nil {
		return err
	}
	if err := ds.Validate(); err != nil {
		return problemsError(err, src)
	}
	if f.to == "json" {
		b, err := ds.MarshalJSON()
		if err != nil {
			return err
		}
		return e.emit(f.out, append(b, '\n'))
	}
	return e.writeSheets(ds, src, &f)
}

// check reports what the flags cannot mean, and settles --to.
func (f *convertFlags) check() error {
	if err := f.inputFlags.check(); err != nil {
		return err
	}
	if err := f.csvOut.check(); err != nil {
		return err
	}
	if f.to == "" {
		f.to = "csv"
		if f.scores != "" {
			f.to = "json"
		}
	}
	named := f.scoresOut != "" || f.projectsOut != "" || f.judgesOut != "" || f.rubricOut != ""
	switch f.to {
	case "json":
		if f.dir != "" || named {
			return &usageError{"--dir and --out-scores, --out-projects, --out-judges, --out-rubric go with --to csv"}
		}
		if f.csvOut.given() {
			return &usageError{"--out-delimiter, --out-decimal-comma and --out-bom go with --to csv"}
		}
	case "csv":
		if f.out != "" {
			return &usageError{"-o goes with --to json; with --to csv, use --dir or --out-scores, --out-projects, --out-judges, --out-rubric"}
		}
		if f.dir == "" && !named {
			return &usageError{"--to csv needs --dir DIR, or the files to write (--out-scores, --out-projects, --out-judges, --out-rubric)"}
		}
	default:
		return &usageError{fmt.Sprintf("--to: expected json or csv, found %q", f.to)}
	}
	return nil
}

// sheetPath is the path convert --to csv writes a part to: the file named
// by its flag, else base in --dir, else "" (not written).
func (f *convertFlags) sheetPath(named, base string) string {
	if named != "" || f.dir == "" {
		return named
	}
	return filepath.Join(f.dir, base)
}

// outputs returns the files convert writes: -o, or the parts to CSV.
func (f *convertFlags) outputs() []namedFile {
	if f.to == "json" {
		return []namedFile{{"-o", f.out}}
	}
	flag := func(named, name string) string {
		if named != "" {
			return name
		}
		return "--dir"
	}
	return []namedFile{
		{flag(f.scoresOut, "--out-scores"), f.sheetPath(f.scoresOut, "scores.csv")},
		{flag(f.projectsOut, "--out-projects"), f.sheetPath(f.projectsOut, "projects.csv")},
		{flag(f.judgesOut, "--out-judges"), f.sheetPath(f.judgesOut, "judges.csv")},
		{flag(f.rubricOut, "--out-rubric"), f.sheetPath(f.rubricOut, "rubric.json")},
	}
}

// writeSheets writes the dataset's parts as convert --to csv says, each
// file replaced only once every file is ready.
func (e *env) writeSheets(ds *afkar.Dataset, src *csvSources, f *convertFlags) error {
	d := f.csvOut.dialect(src.dialect())
	path := f.sheetPath
	type file struct {
		path, what string
		data       []byte
	}
	var files []file
	var problems afkar.Problems
	add := func(p, what string, write func(*bytes.Buffer) error) error {
		if p == "" {
			return nil
		}
		var b bytes.Buffer
		if err := write(&b); err != nil {
			var ps afkar.Problems
			if !errors.As(err, &ps) {
				return err
			}
			problems = append(problems, ps...)
		}
		files = append(files, file{p, what, b.Bytes()})
		return nil
	}
	err := add(path(f.scoresOut, "scores.csv"), quantity(ds.Scores.Len(), "score"), func(b *bytes.Buffer) error {
		return spreadsheet.WriteScores(b, ds.Scores, d)
	})
	if err == nil {
		err = add(path(f.projectsOut, "projects.csv"), quantity(len(ds.Projects), "project"), func(b *bytes.Buffer) error {
			return spreadsheet.WriteProjects(b, ds.Projects, d)
		})
	}
	if err == nil {
		judges := path(f.judgesOut, "judges.csv")
		if ds.Judges == nil && judges != "" {
			if f.judgesOut != "" {
				return &usageError{"--out-judges: the dataset lists no judges (its judges are those its scores name)"}
			}
			fmt.Fprintln(e.stderr, "afkar: the dataset lists no judges (its judges are those its scores name): no judges.csv written")
			judges = ""
		}
		err = add(judges, quantity(len(ds.Judges), "judge"), func(b *bytes.Buffer) error {
			return spreadsheet.WriteJudges(b, ds.Judges, d)
		})
	}
	if err == nil {
		err = add(path(f.rubricOut, "rubric.json"), "the rubric and ranking rules", func(b *bytes.Buffer) error {
			rest := *ds
			rest.Projects, rest.Judges, rest.Scores = nil, nil, scoring.Scores{}
			data, err := rest.MarshalJSON()
			b.Write(data)
			b.WriteByte('\n')
			return err
		})
	}
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return problemsError(problems, src)
	}
	if f.dir != "" {
		if err := os.MkdirAll(f.dir, 0o755); err != nil {
			return err
		}
	}
	var done []string
	for _, file := range files {
		if err := atomicfile.Write(file.path, file.data, 0o644); err != nil {
			if len(done) > 0 {
				return fmt.Errorf("%w (already written: %s)", err, strings.Join(done, ", "))
			}
			return err
		}
		done = append(done, file.path)
		fmt.Fprintf(e.stdout, "wrote %s (%s)\n", file.path, file.what)
	}
	return nil
}

// quantity says "1 score" or "96 scores".
func quantity(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
