package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/scoring"
	"github.com/afkarlab/afkar/spreadsheet"
)

// problemsError turns a dataset's problems into invalid input, one line
// each: "path: message" for a dataset read from JSON alone (SPEC.md
// section 6). With CSV inputs (src not nil), each problem is put where the
// organiser looks:
//
//   - a problem of a score or a project at its FILE:LINE:COLUMN, and an
//     earlier occurrence it names ("first at scores[3]") by its line;
//   - a problem of the rubric file (the dataset that gives the rubric and
//     the ranking rules) after that file's name: "rubric.json:
//     rubric.criteria: ...";
//   - one problem one line: the same problem of every criterion of a wide
//     row (an unknown project, an unknown judge) once, and the duplicates
//     of a wide row's scores, repeating one earlier row, as one line that
//     names both rows.
func problemsError(err error, src *csvSources) error {
	var ps afkar.Problems
	if !errors.As(err, &ps) {
		return err
	}
	if src == nil {
		lines := make([]string, len(ps))
		for i, p := range ps {
			lines[i] = p.Error()
		}
		return &invalidError{lines}
	}
	return &invalidError{src.lines(ps)}
}

// lines places the problems ps in the files they came from.
func (src *csvSources) lines(ps afkar.Problems) []string {
	var lines []string
	seen := map[string]bool{}
	add := func(l string) {
		if !seen[l] {
			seen[l] = true
			lines = append(lines, l)
		}
	}
	// Duplicates of one wide row repeating another: one line, at the
	// place of the first of them.
	type rowPair struct {
		line, first     int
		judge, project  string
		criteria, paths []string
	}
	at := map[string]*rowPair{} // by "line first judge project"
	slot := map[int]*rowPair{}  // lines index → the pair written there
	for _, p := range ps {
		if p.Code == scoring.CodeScoreDuplicate {
			line, first := src.line(p.Path), src.line(p.Params["first"])
			if line > 0 && first > 0 {
				key := fmt.Sprint(line, " ", first, " ", p.Params["judge"], " ", p.Params["project"])
				d := at[key]
				if d == nil {
					d = &rowPair{line: line, first: first, judge: p.Params["judge"], project: p.Params["project"]}
					at[key] = d
					slot[len(lines)] = d
					lines = append(lines, "") // written below
				}
				d.criteria = append(d.criteria, p.Params["criterion"])
				d.paths = append(d.paths, p.Path)
				continue
			}
		}
		add(src.placed(p))
	}
	for i, d := range slot {
		if len(d.criteria) == 1 {
			lines[i] = fmt.Sprintf("%s: duplicate score of judge %q on project %q, criterion %q (first on line %d)",
				src.place(d.paths[0]+".score"), d.judge, d.project, d.criteria[0], d.first)
			continue
		}
		quoted := make([]string, len(d.criteria))
		for k, c := range d.criteria {
			quoted[k] = strconv.Quote(c)
		}
		lines[i] = fmt.Sprintf("%s: duplicate scores of judge %q on project %q, criteria %s (first on line %d)",
			spreadsheet.Problem{File: src.ScoresFile, Line: d.line}.Place(), d.judge, d.project, strings.Join(quoted, ", "), d.first)
	}
	return lines
}

// placed is the line of one problem: at its place in a CSV file, or after
// the rubric file's name.
func (src *csvSources) placed(p afkar.Problem) string {
	place := src.place(p.Path)
	if place == "" {
		if p.Path == "$" {
			return src.datasetName() + ": " + p.Message
		}
		return src.fileOf(p.Path) + ": " + p.Error()
	}
	msg := p.Message
	if first := p.Params["first"]; first != "" {
		if n := src.line(first); n > 0 {
			msg = strings.Replace(msg, "(first at "+first+")", fmt.Sprintf("(first on line %d)", n), 1)
		}
	}
	return place + ": " + msg
}

// line returns the line in its CSV file of the score or project at path
// (scores[3], projects[2].region), or 0.
func (src *csvSources) line(path string) int {
	p, _ := src.position(path)
	return p.Line
}

// fileOf names the file a problem at path without a place is in: the
// scores file for the scores (whose places may be lost if the file
// changed since it was read), the projects or judges file for the
// projects or judges read from one, else the rubric file.
func (src *csvSources) fileOf(path string) string {
	switch {
	case strings.HasPrefix(path, "scores"):
		return src.ScoresFile
	case strings.HasPrefix(path, "projects") && src.ProjectsFile != "":
		return src.ProjectsFile
	case strings.HasPrefix(path, "judges") && src.JudgesFile != "":
		return src.JudgesFile
	}
	return src.datasetName()
}

// datasetName names the rubric file in problems.
func (src *csvSources) datasetName() string {
	switch src.datasetFile {
	case "":
		return "the built-in sample"
	case "-":
		return "standard input"
	}
	return src.datasetFile
}
