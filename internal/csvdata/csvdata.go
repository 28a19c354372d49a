// Package csvdata reads the CSV inputs of afkar rank, for organisers who
// keep their scores in a spreadsheet.
//
// A scores file comes in one of two forms. The long form has one score per
// row, under a header of exactly the columns project, judge, criterion and
// score, in any order:
//
//	project,judge,criterion,score
//	P001,J1,social,8
//	P001,J1,economic,7.5
//	P001,J2,social,
//
// The wide form has one row per project and judge, and one column per
// criterion, named by the criterion id:
//
//	project,judge,social,economic
//	P001,J1,8,7.5
//	P001,J2,,6
//
// In both forms an empty cell, or one holding only spaces, is a missing
// score: it is skipped, not reported. A row whose cells are all empty (a
// spreadsheet writes its blank rows as ",,,") is skipped too. Scores are
// decimals in the strict grammar of [dectext.Parse]: "7.5" and "07" are
// read, "7,5", "NaN" and " 7" are problems.
//
// A projects file has a header with an id column and any of title, region,
// sector, cooperative and submitted_at:
//
//	id,title,region
//	P001,"Solar fish drying, Dakhla",dakhla-oued-ed-dahab
//
// The files are UTF-8, with or without a byte order mark, with LF or CRLF
// line endings, quoted as RFC 4180 says. Header names may have spaces around
// them; they are matched case-sensitively. Lines are counted from 1 for the
// header; a column is the 1-based number of a cell in its row (column 3 is
// the spreadsheet's column C), except in a problem with the CSV syntax
// itself, where it counts bytes from the start of the line.
//
// The readers check the shape of a file: its header, the number of cells in
// each row, the ids that must be present and the decimals. They do not look
// for duplicate scores, unknown projects or scores out of range; the dataset
// validator does, and its messages are mapped back to the file through the
// Line and Column of each [Score] and [Project].
package csvdata

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/afkarlab/afkar/internal/dectext"
)

// Score is one score read from a CSV file, with where it came from.
type Score struct {
	Project, Judge, Criterion string
	Value                     decimal.Decimal
	// Line and Column are the 1-based position of the score's cell: the line
	// on which the cell starts and the number of the cell in its row.
	Line, Column int
}

// Project is one row of a projects file. Absent columns are "". Cells are
// kept as written, spaces included; the dataset validator checks them.
type Project struct {
	ID, Title, Region, Sector, Cooperative, SubmittedAt string // SubmittedAt as written; validated later
	// Line is the line on which the row starts.
	Line int
	// Columns holds the column of each field's cell under the keys "id",
	// "title", "region", "sector", "cooperative" and "submitted_at", 0 if the
	// file has no such column. All the projects of a file share one map:
	// treat it as read-only.
	Columns map[string]int
}

// Problem is one problem in a CSV file.
type Problem struct {
	File         string
	Line, Column int // 1-based; 0 when the problem has no line or no column
	Msg          string
}

// Error returns "FILE:LINE:COLUMN: message", leaving out the column when it
// is 0 and the line too when that is 0.
func (p Problem) Error() string {
	switch {
	case p.Line == 0:
		return fmt.Sprintf("%s: %s", p.File, p.Msg)
	case p.Column == 0:
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
	default:
		return fmt.Sprintf("%s:%d:%d: %s", p.File, p.Line, p.Column, p.Msg)
	}
}

// Problems is every problem found in a file, in file order: the readers
// report all they can, not only the first, up to [maxProblems].
type Problems []Problem

// Error returns one Problem per line, joined by "\n".
func (ps Problems) Error() string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.Error())
	}
	return b.String()
}

const (
	// bufferSize is the size of the read buffer: large, because the files
	// may have millions of rows.
	bufferSize = 1 << 20
	// maxProblems is the number of problems after which a reader stops
	// reading, adding one last problem that says so.
	maxProblems = 1000
	// maxCachedValues bounds the cache of decimals by their text. Scores take
	// few distinct values (a 0 to 10 scale in halves has 21), so a small
	// cache saves parsing, and allocating, nearly every cell.
	maxCachedValues = 4096
)

var (
	utf8BOM    = []byte{0xEF, 0xBB, 0xBF}
	utf16LEBOM = []byte{0xFF, 0xFE}
	utf16BEBOM = []byte{0xFE, 0xFF}
)

// errStop ends a read once a problem says that nothing more can be read.
var errStop = errors.New("stop")

// reader is what both readers share: the CSV reader over a buffered input,
// and the problems found so far.
type reader struct {
	file     string
	csv      *csv.Reader
	problems Problems
}

// newReader returns a reader over r, the byte order mark skipped. The error
// is errStop after a problem, or an I/O error.
func newReader(r io.Reader, file string) (*reader, error) {
	rd := &reader{file: file}
	br := bufio.NewReaderSize(r, bufferSize)
	head, err := br.Peek(len(utf8BOM))
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("reading %s: %w", file, err)
	}
	switch {
	case bytes.HasPrefix(head, utf8BOM):
		br.Discard(len(utf8BOM)) // cannot fail: the bytes are buffered
	case bytes.HasPrefix(head, utf16LEBOM), bytes.HasPrefix(head, utf16BEBOM):
		rd.add(0, 0, "the file is UTF-16: expected UTF-8 (save it as \"CSV UTF-8\")")
		return rd, errStop
	}
	rd.csv = csv.NewReader(br)
	rd.csv.FieldsPerRecord = -1 // ragged rows are problems to report, not to stop at
	rd.csv.ReuseRecord = true
	return rd, nil
}

// add records a problem. It returns errStop when there are too many.
func (rd *reader) add(line, column int, format string, args ...any) error {
	rd.problems = append(rd.problems, Problem{File: rd.file, Line: line, Column: column, Msg: fmt.Sprintf(format, args...)})
	if len(rd.problems) >= maxProblems {
		rd.problems = append(rd.problems, Problem{File: rd.file, Line: line, Msg: "too many problems; stopping"})
		return errStop
	}
	return nil
}

// read returns the next record, or io.EOF at the end. A CSV syntax error is
// added as a problem and ends the read with errStop: the reader cannot find
// where the next record starts. Other errors are I/O errors.
func (rd *reader) read() ([]string, error) {
	rec, err := rd.csv.Read()
	if err == nil || err == io.EOF {
		return rec, err
	}
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return nil, fmt.Errorf("reading %s: %w", rd.file, err)
	}
	var msg string
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		msg = `bare " in an unquoted cell: expected the whole cell quoted and the quote doubled, as in "a""b"`
	case errors.Is(pe.Err, csv.ErrQuote):
		msg = `extraneous or missing " in a quoted cell: expected "" for a quote inside it and " at its end`
	default:
		msg = pe.Err.Error()
	}
	if pe.StartLine != pe.Line {
		msg += fmt.Sprintf(" (in the row that starts on line %d: is a quote left open?)", pe.StartLine)
	}
	rd.add(pe.Line, pe.Column, "%s", msg)
	return nil, errStop
}

// readHeader returns the header names, trimmed, and the header's line.
func (rd *reader) readHeader() ([]string, int, error) {
	rec, err := rd.read()
	if err == io.EOF {
		rd.add(0, 0, "empty file: expected a header line")
		return nil, 0, errStop
	}
	if err != nil {
		return nil, 0, err
	}
	line, _ := rd.csv.FieldPos(0)
	names := make([]string, len(rec))
	for i, name := range rec {
		names[i] = strings.Clone(strings.TrimSpace(name))
	}
	return names, line, nil
}

// header matches header names to the columns a file may have.
type header struct {
	rd    *reader
	line  int
	seen  map[string]int // column of each name matched, exactly or but for case
	width int
}

func newHeader(rd *reader, line, width int) *header {
	return &header{rd: rd, line: line, seen: make(map[string]int), width: width}
}

// match checks the name of column col (1-based) against want: it returns
// true when name is want and the first column so named. A name that is want
// but for case, or repeats one, is a problem.
func (h *header) match(col int, name, want string) (bool, error) {
	if name == want {
		if first, ok := h.seen[want]; ok {
			return false, h.rd.add(h.line, col, "duplicate column %q: expected each column once (first at column %d)", name, first)
		}
		h.seen[want] = col
		return true, nil
	}
	if strings.EqualFold(name, want) {
		if _, ok := h.seen[want]; !ok {
			h.seen[want] = col // reported here, so not as missing
		}
		return false, h.rd.add(h.line, col, "column %q: expected %q (names are case-sensitive)", name, want)
	}
	return false, nil
}

// checkName reports a header name that is empty or not UTF-8, returning
// false for it.
func (h *header) checkName(col int, name, expected string) (bool, error) {
	switch {
	case name == "":
		return false, h.rd.add(h.line, col, "empty column name: expected %s", expected)
	case !utf8.ValidString(name):
		return false, h.rd.add(h.line, col, "column name is not valid UTF-8: expected UTF-8 (save the file as \"CSV UTF-8\")")
	}
	return true, nil
}

// missing reports each of names that no column matched.
func (h *header) missing(expected string, names ...string) error {
	for _, name := range names {
		if _, ok := h.seen[name]; !ok {
			if err := h.rd.add(h.line, 0, "header: missing column %q (expected %s)", name, expected); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkWidth reports a row whose number of cells differs from the header's.
// It returns false for such a row, which is then not read further: its cells
// cannot be told apart. A blank row of any width is skipped silently.
func (rd *reader) checkWidth(rec []string, width int) (bool, error) {
	if len(rec) == width {
		return true, nil
	}
	if allBlank(rec) {
		return false, nil
	}
	line, _ := rd.csv.FieldPos(0)
	if len(rec) > width {
		return false, rd.add(line, width+1, "expected %d cells, found %d", width, len(rec))
	}
	return false, rd.add(line, 0, "expected %d cells, found %d", width, len(rec))
}

// at returns the line of cell i of the current record and its 1-based
// column.
func (rd *reader) at(i int) (line, column int) {
	line, _ = rd.csv.FieldPos(i)
	return line, i + 1
}

// strings interns the cells of one column, so that a million rows for judge
// "J1" hold one string "J1", and no string keeps alive the record it was cut
// from.
type interner map[string]string

// get returns s interned, or false if s is not valid UTF-8.
func (in interner) get(s string) (string, bool) {
	if v, ok := in[s]; ok {
		return v, true
	}
	if !utf8.ValidString(s) {
		return "", false
	}
	v := strings.Clone(s)
	in[v] = v
	return v, true
}

// clone returns a copy of s, or false if s is not valid UTF-8.
func clone(s string) (string, bool) {
	if !utf8.ValidString(s) {
		return "", false
	}
	return strings.Clone(s), true
}

// decimals parses decimals, caching them by text. Sharing a Decimal between
// scores is safe: shopspring/decimal never changes a value in place.
type decimals map[string]decimal.Decimal

func (ds decimals) parse(s string) (decimal.Decimal, error) {
	if d, ok := ds[s]; ok {
		return d, nil
	}
	d, err := dectext.Parse(s)
	if err == nil && len(ds) < maxCachedValues {
		ds[strings.Clone(s)] = d
	}
	return d, err
}

// isBlank reports whether s is empty or holds only white space.
func isBlank(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ' ' || c == '\t':
		case c < utf8.RuneSelf:
			return false
		default:
			return strings.TrimSpace(s[i:]) == ""
		}
	}
	return true
}

func allBlank(rec []string) bool {
	for _, s := range rec {
		if !isBlank(s) {
			return false
		}
	}
	return true
}

// finish returns the problems found, if any, as the error.
func (rd *reader) finish(err error) error {
	if err != nil && err != errStop {
		return err
	}
	if len(rd.problems) > 0 {
		return rd.problems
	}
	return nil
}

const notUTF8 = "%s cell is not valid UTF-8: expected UTF-8 (save the file as \"CSV UTF-8\")"
