// Package spreadsheet reads the CSV inputs of afkar rank, for organisers who
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
// Both files above hold the same three scores. In both forms an empty cell,
// or one holding only spaces, is a missing score: it is skipped, not
// reported. A row whose cells are all empty (a spreadsheet writes its blank
// rows as ",,,") is skipped too. Spaces around a cell are ignored. Scores
// are decimals in the strict grammar of [dectext.Parse]: "7.5" and "07" are
// read; "7,5", "NaN" and "1e3x" are problems.
//
// A projects file has a header with an id column and any of title, region,
// sector, cooperative and submitted_at:
//
//	id,title,region
//	P001,"Solar fish drying, Dakhla",dakhla-oued-ed-dahab
//
// The files are UTF-8, with or without a byte order mark, with LF or CRLF
// line endings, quoted as RFC 4180 says. Header names may have spaces around
// them; they are matched case-sensitively. Lines are counted from 1, the
// header's; a column is the 1-based number of a cell in its row (column 3 is
// the spreadsheet's column C), except in a problem with the CSV syntax
// itself, where it counts bytes from the start of the line.
//
// The readers check the shape of a file: its header, the number of cells in
// each row, the ids that must be present and the decimals, and report every
// problem they find rather than the first. They do not look for duplicate
// scores, unknown ids or scores out of range: the dataset validator does,
// and the caller maps its messages back to the file through the positions
// kept in each [Score] and [Project].
package spreadsheet

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
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
	// ProjectColumn, JudgeColumn and CriterionColumn are the columns of the
	// cells that name the score's project, judge and criterion, on the same
	// row. In wide form the criterion is named by the header above the
	// score, so CriterionColumn is Column.
	ProjectColumn, JudgeColumn, CriterionColumn int
}

// Project is one row of a projects file. Absent columns are "". Cells are
// kept as written but for the spaces around them; the dataset validator
// checks them.
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

// Error returns "FILE:LINE:COLUMN: message", "FILE:LINE: message" when
// Column is 0.
func (p Problem) Error() string { return p.Place() + ": " + p.Msg }

// Place returns "FILE:LINE:COLUMN", leaving out the column when it is 0 and
// the line too when that is 0. A caller uses it to place the dataset
// validator's messages about a [Score] or a [Project].
func (p Problem) Place() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.Column == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	default:
		return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
	}
}

// Problems is every problem found in a file, in file order: the readers
// report all they can, not only the first, up to [MaxProblems] and one
// more that says they stopped.
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

// MaxProblems is the number of problems after which a reader stops reading,
// adding one last problem that says so.
const MaxProblems = 1000

const (
	// bufferSize is the size of the read buffer: large, because the files
	// may have millions of rows.
	bufferSize = 1 << 20
	// minBufferSize is the size of the read buffer for a file known to be
	// smaller than bufferSize, at least.
	minBufferSize = 4 << 10
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

// newReader returns a reader over r, of size bytes (-1 if unknown), the
// byte order mark skipped. The error is errStop after a problem, or an I/O
// error; either way the reader is not nil, and its finish method returns
// the error to give the caller.
func newReader(r io.Reader, size int64, file string) (*reader, error) {
	rd := &reader{file: file}
	n := bufferSize
	if size >= 0 {
		// A small file needs no large buffer: allocating and clearing one
		// would cost more than reading the file.
		n = int(min(max(size, minBufferSize), bufferSize))
	}
	br := bufio.NewReaderSize(r, n)
	head, err := br.Peek(len(utf8BOM))
	if err != nil && err != io.EOF {
		return rd, fmt.Errorf("reading %s: %w", file, err)
	}
	switch {
	case bytes.HasPrefix(head, utf8BOM):
		br.Discard(len(utf8BOM)) // cannot fail: the bytes are buffered
	case bytes.HasPrefix(head, utf16LEBOM), bytes.HasPrefix(head, utf16BEBOM):
		rd.add(1, 0, "the file is UTF-16: expected UTF-8 (save it as \"CSV UTF-8\")")
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
	if len(rd.problems) >= MaxProblems {
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
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		rd.add(pe.Line, pe.Column, `bare " in an unquoted cell: expected the whole cell quoted and the quote doubled, as in "a""b"`)
	case errors.Is(pe.Err, csv.ErrQuote) && pe.StartLine != pe.Line:
		// Most likely a quote left open, which ran on to where the reader
		// gave up: the place to look at is where the row starts.
		rd.add(pe.StartLine, 0, `extraneous or missing " in a quoted cell of the row that starts here, found on line %d, column %d: `+
			`is a quote left open? (expected "" for a quote inside a cell and " at its end)`, pe.Line, pe.Column)
	case errors.Is(pe.Err, csv.ErrQuote):
		rd.add(pe.Line, pe.Column, `extraneous or missing " in a quoted cell: expected "" for a quote inside it and " at its end`)
	default:
		rd.add(pe.Line, pe.Column, "%s", pe.Err)
	}
	return nil, errStop
}

// readHeader returns the header names, trimmed, and the header's line.
func (rd *reader) readHeader() ([]string, int, error) {
	rec, err := rd.read()
	if err == io.EOF {
		rd.add(1, 0, "empty file: expected a header line")
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

// header matches the names of a header line to the columns a file may have.
type header struct {
	rd   *reader
	line int
	seen map[string]int // the column of each expected name met, exactly or but for case
}

func newHeader(rd *reader, line int) *header {
	return &header{rd: rd, line: line, seen: make(map[string]int)}
}

// match is how a header name compares with an expected one.
type match uint8

const (
	noMatch  match = iota // another name
	matched               // the name, for the first time
	reported              // the name but for case, or again: a problem, reported
)

// match compares name, in column col (1-based), with want. A name that is
// want but for case, or that repeats an earlier column, is reported.
func (h *header) match(col int, name, want string) (match, error) {
	if name == want {
		if first, ok := h.seen[want]; ok {
			return reported, h.rd.add(h.line, col, "duplicate column %q: expected each column once (first in column %d)", name, first)
		}
		h.seen[want] = col
		return matched, nil
	}
	if strings.EqualFold(name, want) {
		if _, ok := h.seen[want]; !ok {
			h.seen[want] = col // reported here, so not again as missing
		}
		return reported, h.rd.add(h.line, col, "column %q: expected %q (names are case-sensitive)", name, want)
	}
	return noMatch, nil
}

// matchAny compares name with each of wants in turn, returning the index
// of the first that it matches, exactly or but for case.
func (h *header) matchAny(col int, name string, wants []string) (int, match, error) {
	for k, want := range wants {
		if m, err := h.match(col, name, want); m != noMatch || err != nil {
			return k, m, err
		}
	}
	return -1, noMatch, nil
}

// checkName reports a header name that is empty or not UTF-8, returning
// false for it; expected says what the column could have been.
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

// interner interns the cells of one column, so that five million rows for
// judge "J1" hold one string "J1", and no string kept pins the whole record
// it was cut from.
type interner struct {
	m    map[string]string
	last string // the last string returned: rows for a project come together
}

func newInterner() *interner { return &interner{m: make(map[string]string)} }

// get returns s interned, or false if s is not valid UTF-8.
func (in *interner) get(s string) (string, bool) {
	if s == in.last && s != "" {
		return in.last, true
	}
	v, ok := in.m[s]
	if !ok {
		if !utf8.ValidString(s) {
			return "", false
		}
		v = strings.Clone(s)
		in.m[v] = v
	}
	in.last = v
	return v, true
}

// id returns cell i of rec, trimmed and interned, reporting it when it is
// empty or not UTF-8; column names the column in the messages, and kind
// what the id is of.
func (rd *reader) id(rec []string, i int, column, kind string, in *interner) (string, bool, error) {
	s := strings.TrimSpace(rec[i])
	if s == "" {
		line, col := rd.at(i)
		return "", false, rd.add(line, col, "empty %s cell: expected a %s id", column, kind)
	}
	v, ok := in.get(s)
	if !ok {
		line, col := rd.at(i)
		return "", false, rd.add(line, col, notUTF8, column)
	}
	return v, true, nil
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

// isBlank reports whether s is empty or holds only white space, as
// strings.TrimSpace sees it.
func isBlank(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ' ', '\t' <= c && c <= '\r':
		case c < utf8.RuneSelf:
			return false
		default:
			return strings.TrimSpace(s[i:]) == ""
		}
	}
	return true
}

// allBlank reports whether every cell of rec is blank.
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

// notUTF8 is the message for a cell that is not UTF-8, given the column's
// name: most likely the file was saved in a legacy code page.
const notUTF8 = "%s cell is not valid UTF-8: expected UTF-8 (save the file as \"CSV UTF-8\")"

// inputSize returns the number of bytes left in r, or -1 if r does not
// tell: a *bytes.Reader or *strings.Reader does, and so does an *os.File
// of a regular file.
func inputSize(r io.Reader) int64 {
	switch r := r.(type) {
	case interface{ Len() int }:
		return int64(r.Len())
	case interface {
		Stat() (fs.FileInfo, error)
		Seek(int64, int) (int64, error)
	}:
		fi, err := r.Stat()
		if err != nil || !fi.Mode().IsRegular() {
			return -1
		}
		at, err := r.Seek(0, io.SeekCurrent)
		if err != nil {
			return -1
		}
		return fi.Size() - at
	}
	return -1
}
