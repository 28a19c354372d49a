// Package csvdata reads the CSV inputs of "afkar rank", for organisers who
// keep their scores in spreadsheets.
//
// A scores file comes in one of two forms. Long form, one score a row:
//
//	project,judge,criterion,score
//	DAK-02,J1,social,15.5
//	DAK-02,J1,economic,14
//
// Wide form, one judge's sheet for one project a row, a column per
// criterion:
//
//	project,judge,social,economic
//	DAK-02,J1,15.5,14
//
// Empty cells are missing scores. A projects file has a header with id and
// any of title, region, sector, cooperative and submitted_at.
//
// Problems come back as [Problems], each with the file, line and column,
// every problem found rather than the first; the rules that need the rubric
// (ranges, steps, duplicates) are checked later by the dataset validator,
// which the caller maps back to the positions kept in [Score] and
// [Project].
package csvdata

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/afkarlab/afkar/internal/dectext"
	"github.com/shopspring/decimal"
)

// Score is one score read from a CSV file, with where it came from.
type Score struct {
	Project, Judge, Criterion string
	Value                     decimal.Decimal
	// Line is the 1-based line of the row, Column the 1-based column of
	// the score's cell; ProjectColumn, JudgeColumn and CriterionColumn
	// are those of the cells naming them (in wide form, the criterion is
	// named by the header above the score: CriterionColumn is Column).
	Line, Column                                int
	ProjectColumn, JudgeColumn, CriterionColumn int
}

// Project is one row of a projects file. Absent columns are "".
type Project struct {
	ID, Title, Region, Sector, Cooperative string
	SubmittedAt                            string // as written; the caller validates it
	Line                                   int    // the 1-based line of the row
	// Columns gives the 1-based column of each field's cell, by field
	// name (id, title, region, sector, cooperative, submitted_at); a field
	// the file lacks is absent.
	Columns map[string]int
}

// Problem is one problem of a CSV file.
type Problem struct {
	File         string
	Line, Column int // 1-based; Column 0 when the problem is the whole line
	Msg          string
}

// Place returns "FILE:LINE:COLUMN", or "FILE:LINE" when Column is 0.
func (p Problem) Place() string {
	if p.Column == 0 {
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
}

// Error returns "FILE:LINE:COLUMN: message".
func (p Problem) Error() string { return p.Place() + ": " + p.Msg }

// Problems is every problem found in a file, in file order.
type Problems []Problem

// Error returns the problems one per line.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// MaxProblems is the most problems a read reports before it stops.
const MaxProblems = 1000

// reader wraps a csv.Reader with problem collection and interning.
type reader struct {
	file   string
	csv    *csv.Reader
	ps     Problems
	intern map[string]string
	line   int
}

func newReader(r io.Reader, file string) *reader {
	br := bufio.NewReaderSize(r, 1<<20)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		br.Discard(3) // spreadsheets write a byte order mark
	}
	c := csv.NewReader(br)
	c.FieldsPerRecord = -1
	c.ReuseRecord = true
	return &reader{file: file, csv: c, intern: make(map[string]string)}
}

func (r *reader) add(line, col int, format string, args ...any) bool {
	if len(r.ps) < MaxProblems {
		r.ps = append(r.ps, Problem{File: r.file, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)})
		return true
	}
	if len(r.ps) == MaxProblems {
		r.ps = append(r.ps, Problem{File: r.file, Line: line, Msg: fmt.Sprintf("more than %d problems; stopping", MaxProblems)})
	}
	return false
}

// next returns the next record and its line, nil at the end or after a
// syntax error (reported), or an I/O error.
func (r *reader) next() ([]string, int, error) {
	rec, err := r.csv.Read()
	if err == io.EOF {
		return nil, 0, nil
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		msg := pe.Err.Error()
		switch {
		case errors.Is(pe.Err, csv.ErrQuote):
			msg = "unclosed or misplaced quote (a quoted cell must end with \" before the next comma)"
		case errors.Is(pe.Err, csv.ErrBareQuote):
			msg = "bare \" in an unquoted cell (quote the cell and double the quote: \"\")"
		}
		if pe.StartLine != pe.Line {
			msg += fmt.Sprintf(" in the record starting on line %d", pe.StartLine)
		}
		r.add(pe.Line, pe.Column, "%s", msg)
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	line, _ := r.csv.FieldPos(0)
	return rec, line, nil
}

// keep returns s, shared with earlier equal strings, so that five million
// rows naming "J1" hold one "J1".
func (r *reader) keep(s string) string {
	if v, ok := r.intern[s]; ok {
		return v
	}
	if len(r.intern) < 1<<20 {
		s = strings.Clone(s)
		r.intern[s] = s
	}
	return s
}

// header reads the header line and returns its trimmed names.
func (r *reader) header() ([]string, error) {
	rec, _, err := r.next()
	if err != nil || rec == nil {
		if err == nil && len(r.ps) == 0 {
			r.add(1, 0, "empty file: expected a header line")
		}
		return nil, err
	}
	names := make([]string, len(rec))
	for i, h := range rec {
		names[i] = strings.TrimSpace(h)
	}
	return names, nil
}

// checkHeader reports duplicate and case-mismatched column names; known
// lists the expected names.
func (r *reader) checkHeader(names, known []string) {
	for i, n := range names {
		if j := slices.Index(names[:i], n); j >= 0 && n != "" {
			r.add(1, i+1, "duplicate column %q (first in column %d)", n, j+1)
		}
		if !slices.Contains(known, n) {
			for _, k := range known {
				if strings.EqualFold(k, n) {
					r.add(1, i+1, "column %q: expected %q (names are case-sensitive)", n, k)
				}
			}
		}
	}
}

func cell(rec []string, i int) string {
	if i < 0 || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

// ReadScores reads a scores file in long or wide form (see the package
// doc); file names the file in messages. criteria, if not nil, are the
// rubric's criterion IDs: a wide-form column must be one of them. In long
// form, criterion names are left for the dataset validator to check.
// Scores come back in file order, a wide row's in column order. The error
// is a Problems for bad input, or the I/O error.
func ReadScores(r io.Reader, file string, criteria []string) ([]Score, error) {
	rd := newReader(r, file)
	names, err := rd.header()
	if err != nil {
		return nil, err
	}
	if names == nil {
		return nil, rd.ps
	}
	long := []string{"project", "judge", "criterion", "score"}
	isLong := slices.Contains(names, "criterion") || slices.Contains(names, "score")
	col := map[string]int{}
	for i, n := range names {
		if _, dup := col[n]; !dup {
			col[n] = i
		}
	}
	var critCols []int
	if isLong {
		rd.checkHeader(names, long)
		for i, n := range names {
			if !slices.Contains(long, n) && !slices.ContainsFunc(long, func(k string) bool { return strings.EqualFold(k, n) }) {
				rd.add(1, i+1, "unknown column %q in a long-form scores file (expected project,judge,criterion,score)", n)
			}
		}
		for _, k := range long {
			if _, ok := col[k]; !ok {
				rd.add(1, 0, "header: missing column %q (expected project,judge,criterion,score or project,judge,<criterion ids…>)", k)
			}
		}
	} else {
		known := append([]string{"project", "judge"}, criteria...)
		rd.checkHeader(names, known)
		for _, k := range []string{"project", "judge"} {
			if _, ok := col[k]; !ok {
				rd.add(1, 0, "header: missing column %q (expected project,judge,criterion,score or project,judge,<criterion ids…>)", k)
			}
		}
		for i, n := range names {
			switch {
			case n == "project" || n == "judge":
			case n == "":
				rd.add(1, i+1, "empty column name: expected a criterion id")
			case criteria != nil && !slices.Contains(criteria, n):
				if !slices.ContainsFunc(known, func(k string) bool { return strings.EqualFold(k, n) }) {
					rd.add(1, i+1, "unknown criterion column %q (expected one of %s)", n, strings.Join(criteria, ", "))
				}
			default:
				critCols = append(critCols, i)
			}
		}
		if len(critCols) == 0 && len(rd.ps) == 0 {
			rd.add(1, 0, "header: no criterion column (expected project,judge,criterion,score or project,judge,<criterion ids…>)")
		}
	}
	if len(rd.ps) > 0 {
		return nil, rd.ps
	}

	var out []Score
	for {
		rec, line, err := rd.next()
		if err != nil {
			return nil, err
		}
		if rec == nil {
			break
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if len(rec) != len(names) {
			if !rd.add(line, 0, "expected %d cells, found %d", len(names), len(rec)) {
				break
			}
			continue
		}
		pc, jc := col["project"], col["judge"]
		base := Score{Line: line, ProjectColumn: pc + 1, JudgeColumn: jc + 1}
		ok := true
		for _, k := range []struct {
			c    int
			name string
			dst  *string
		}{{pc, "project", &base.Project}, {jc, "judge", &base.Judge}} {
			if s := cell(rec, k.c); s == "" {
				ok = rd.add(line, k.c+1, "empty %s cell", k.name) && false
			} else {
				*k.dst = rd.keep(s)
			}
		}
		if isLong {
			cc, sc := col["criterion"], col["score"]
			s := base
			s.Column, s.CriterionColumn = sc+1, cc+1
			if c := cell(rec, cc); c == "" {
				rd.add(line, cc+1, "empty criterion cell")
				ok = false
			} else {
				s.Criterion = rd.keep(c)
			}
			text := cell(rec, sc)
			if text == "" {
				continue // a missing score
			}
			v, err := dectext.Parse(text)
			if err != nil {
				rd.add(line, sc+1, "%s", err.Error())
				continue
			}
			if ok {
				s.Value = v
				out = append(out, s)
			}
			continue
		}
		for _, c := range critCols {
			text := cell(rec, c)
			if text == "" {
				continue
			}
			v, err := dectext.Parse(text)
			if err != nil {
				rd.add(line, c+1, "%s", err.Error())
				continue
			}
			if ok {
				s := base
				s.Criterion, s.Value, s.Column, s.CriterionColumn = rd.keep(names[c]), v, c+1, c+1
				out = append(out, s)
			}
		}
	}
	if len(rd.ps) > 0 {
		return nil, rd.ps
	}
	return out, nil
}

// projectColumns are the columns a projects file may have.
var projectColumns = []string{"id", "title", "region", "sector", "cooperative", "submitted_at"}

// ReadProjects reads a projects file: a header with id and any of title,
// region, sector, cooperative and submitted_at. The error is a Problems
// for bad input, or the I/O error.
func ReadProjects(r io.Reader, file string) ([]Project, error) {
	rd := newReader(r, file)
	names, err := rd.header()
	if err != nil {
		return nil, err
	}
	if names == nil {
		return nil, rd.ps
	}
	rd.checkHeader(names, projectColumns)
	columns := map[string]int{}
	for i, n := range names {
		switch {
		case slices.Contains(projectColumns, n):
			if _, dup := columns[n]; !dup {
				columns[n] = i + 1
			}
		case !slices.ContainsFunc(projectColumns, func(k string) bool { return strings.EqualFold(k, n) }):
			rd.add(1, i+1, "unknown column %q (expected id and any of title, region, sector, cooperative, submitted_at)", n)
		}
	}
	if _, ok := columns["id"]; !ok {
		rd.add(1, 0, "header: missing column \"id\" (expected id and any of title, region, sector, cooperative, submitted_at)")
	}
	if len(rd.ps) > 0 {
		return nil, rd.ps
	}
	var out []Project
	for {
		rec, line, err := rd.next()
		if err != nil {
			return nil, err
		}
		if rec == nil {
			break
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != len(names) {
			if !rd.add(line, 0, "expected %d cells, found %d", len(names), len(rec)) {
				break
			}
			continue
		}
		get := func(name string) string {
			if c, ok := columns[name]; ok {
				return rd.keep(cell(rec, c-1))
			}
			return ""
		}
		p := Project{ID: get("id"), Title: get("title"), Region: get("region"), Sector: get("sector"),
			Cooperative: get("cooperative"), SubmittedAt: get("submitted_at"), Line: line, Columns: columns}
		if p.ID == "" {
			rd.add(line, columns["id"], "empty id cell")
			continue
		}
		out = append(out, p)
	}
	if len(rd.ps) > 0 {
		return nil, rd.ps
	}
	return out, nil
}
