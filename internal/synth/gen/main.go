// Command gen writes a synthetic dataset of any size as the files of the
// CSV pipeline, for the benchmarks against pandas (scripts/bench-vs-pandas.sh):
//
//	go run ./internal/synth/gen -projects 1000000 -dir /tmp/afkar-bench
//
// It writes, in -dir: rubric.json (the rubric and ranking rules, no
// projects or scores), projects.csv (id,region), wide.csv
// (project,judge,c0…c5: one row per judge and project) and long.csv
// (project,judge,criterion,score: one row per score). The data are those
// of internal/synth with the same -projects, -criteria, -judges and -seed:
// the datasets BenchmarkEvaluate ranks. With -json it also writes
// dataset.json, the whole dataset in the afkar/1 format. The files are
// not committed; generate them.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/afkarlab/afkar/internal/synth"
	"github.com/afkarlab/afkar/scoring"
)

func main() {
	projects := flag.Int("projects", 1_000_000, "number of `projects`")
	criteria := flag.Int("criteria", 6, "number of `criteria`")
	judges := flag.Int("judges", 5, "number of `judges`")
	seed := flag.Uint64("seed", 1, "random `seed`")
	asJSON := flag.Bool("json", false, "also write dataset.json, the whole dataset")
	dir := flag.String("dir", ".", "output `directory`")
	flag.Parse()
	if err := run(*dir, synth.Config{Projects: *projects, Criteria: *criteria, Judges: *judges, Seed: *seed}, *asJSON); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(dir string, cfg synth.Config, asJSON bool) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	ds := synth.Dataset(cfg)
	if asJSON {
		b, err := ds.MarshalJSON()
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, "dataset.json"), b, 0o644); err != nil {
			return err
		}
	}
	criteria := make([]string, len(ds.Rubric.Criteria))
	for i, c := range ds.Rubric.Criteria {
		criteria[i] = c.ID
	}
	// The rubric file: the dataset without its projects, judges and scores.
	rubric := *ds
	rubric.Projects, rubric.Judges, rubric.Scores = nil, nil, scoring.Scores{}
	b, err := rubric.MarshalJSON()
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "rubric.json"), append(b, '\n'), 0o644); err != nil {
		return err
	}
	err = write(filepath.Join(dir, "projects.csv"), func(w *bufio.Writer) {
		w.WriteString("id,region\n")
		for _, p := range ds.Projects {
			fmt.Fprintf(w, "%s,%s\n", p.ID, p.Region)
		}
	})
	if err != nil {
		return err
	}
	nc := len(criteria)
	// Scores come project by project, judge by judge, criterion by
	// criterion: a wide row is nc consecutive scores.
	err = write(filepath.Join(dir, "wide.csv"), func(w *bufio.Writer) {
		w.WriteString("project,judge")
		for _, c := range criteria {
			w.WriteString("," + c)
		}
		w.WriteByte('\n')
		for i := 0; i < ds.Scores.Len(); i += nc {
			s := ds.Scores.At(i)
			w.WriteString(s.Project + "," + s.Judge)
			for k := range nc {
				w.WriteString("," + ds.Scores.At(i+k).Value.String())
			}
			w.WriteByte('\n')
		}
	})
	if err != nil {
		return err
	}
	return write(filepath.Join(dir, "long.csv"), func(w *bufio.Writer) {
		w.WriteString("project,judge,criterion,score\n")
		for _, s := range ds.Scores.All() {
			w.WriteString(s.Project + "," + s.Judge + "," + s.Criterion + "," + s.Value.String() + "\n")
		}
	})
}

func write(path string, body func(*bufio.Writer)) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	body(w)
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
