package spreadsheet

import (
	"strconv"
	"strings"
)

// Origin is where the scores, projects and judges of a dataset were read
// from, so that a problem that the dataset validator finds at a path such
// as scores[3].score can be shown at its cell, as scores.csv:5:4. A part
// not read from a file has a nil slice. Origin only reads its fields: any
// number of goroutines may call Place at once.
type Origin struct {
	ScoresFile string
	Scores     []Score // the dataset's scores, in its order
	// ProjectsFile and Projects are the projects file and what it held.
	ProjectsFile string
	Projects     []Project
	// JudgesFile and Judges are the judges file and what it held.
	JudgesFile string
	Judges     []Judge
}

// Place returns the place in a file of the dataset path, as
// "FILE:LINE:COLUMN" (or "FILE:LINE" for a whole row), or "" when the path
// is not in a file of o. The paths are those of the dataset validator:
// scores[i] and its fields judge, project, criterion and score;
// projects[i] and its fields, attributes.<key> included; judges[i] and its
// fields, conflicts[k] and abstains[k] in their cells. A nil Origin
// places nothing.
func (o *Origin) Place(path string) string {
	if p, ok := o.Locate(path); ok {
		return p.Place()
	}
	return ""
}

// Locate returns the file, line and column of the dataset path as Place
// reads it, in a Problem without a message (Column 0 for a whole row), and
// whether the path is in a file of o: a caller that reports two places of
// one file, such as a duplicate and the row it repeats, names the second
// by its line.
func (o *Origin) Locate(path string) (Problem, bool) {
	if o == nil {
		return Problem{}, false
	}
	if i, field, ok := element(path, "scores", len(o.Scores)); ok {
		s := o.Scores[i]
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
		return Problem{File: o.ScoresFile, Line: s.Line, Column: col}, true
	}
	if i, field, ok := element(path, "projects", len(o.Projects)); ok {
		p := o.Projects[i]
		col := p.Columns[field]
		if col == 0 && strings.HasPrefix(field, attributePrefix) {
			col = p.Columns["attributes"]
		}
		return Problem{File: o.ProjectsFile, Line: p.Line, Column: col}, true
	}
	if i, field, ok := element(path, "judges", len(o.Judges)); ok {
		j := o.Judges[i]
		field, _, _ = strings.Cut(field, "[") // conflicts[k], abstains[k]: their cell
		return Problem{File: o.JudgesFile, Line: j.Line, Column: j.Columns[field]}, true
	}
	return Problem{}, false
}

// element reads a path "name[i]" or "name[i].field", with i below n.
func element(path, name string, n int) (i int, field string, ok bool) {
	rest, ok := strings.CutPrefix(path, name+"[")
	if !ok {
		return 0, "", false
	}
	num, rest, ok := strings.Cut(rest, "]")
	if !ok {
		return 0, "", false
	}
	i, err := strconv.Atoi(num)
	if err != nil || i < 0 || i >= n {
		return 0, "", false
	}
	if rest == "" {
		return i, "", true
	}
	field, ok = strings.CutPrefix(rest, ".")
	return i, field, ok
}
