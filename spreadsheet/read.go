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

	"github.com/afkarlab/afkar/internal/csvsafe"
)

// Options says how to read a file. The zero Options reads a file of any
// dialect, names it "" in problems, and takes any criterion column.
type Options struct {
	// Name names the file in problems and notices, as "Name:LINE:COLUMN".
	Name string
	// Dialect is the file's dialect; its zero fields are detected (see
	// [Dialect]). Its BOM is not read: a byte order mark is always
	// accepted.
	Dialect Dialect
	// Criteria, if not nil, are the rubric's criterion ids: in a wide
	// scores file, the columns that are scores. Other columns are ignored
	// (see [Layout]). With a nil Criteria every column of a wide file but
	// project and judge is a criterion.
	Criteria []string
	// ExtraAsAttributes, when true, reads every column of a projects file
	// that names no project field as an attribute of that name; when
	// false, only attributes.<key> columns fill attributes and the other
	// columns are ignored.
	ExtraAsAttributes bool
}

// Layout is what a reader learnt about a file besides its rows.
type Layout struct {
	// Dialect is the file's dialect as read: the delimiter, the decimal
	// separator (see [Dialect]; as the cells showed it when it was not
	// set), and whether the file started with a byte order mark. Writing
	// an answer in this dialect gives a file the same spreadsheet opens.
	Dialect Dialect
	// Ignored names the columns that were not read, in file order ("" for
	// a column without a name).
	Ignored []string
	// Notices are what a person should hear about the file that is not a
	// problem: the columns ignored (one notice for them all), decimals
	// that may have been meant otherwise. They come in file order.
	Notices []Problem
}

// Problem is one problem in a CSV file, or a notice about it.
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
// validator's messages about a [Score], a [Project] or a [Judge].
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

// reader is what the readers share: the CSV reader over a buffered input,
// the dialect found, and the problems and notices found so far.
type reader struct {
	file     string
	csv      *csv.Reader
	problems Problems
	notices  []Problem
	ignored  []string
	dialect  Dialect
	// offset is the number of lines before those the CSV reader reads: 1
	// after a "sep=;" line.
	offset int
}

// newReader returns a reader over r, of size bytes (-1 if unknown), the
// byte order mark skipped and the delimiter found (see [sniff]). The error
// is errStop after a problem, an I/O error, or an error in o's dialect;
// either way the reader is not nil, and its finish method returns the
// error to give the caller.
func newReader(r io.Reader, size int64, o Options) (*reader, error) {
	rd := &reader{file: o.Name}
	if err := o.Dialect.check(); err != nil {
		return rd, err
	}
	n := bufferSize
	if size >= 0 {
		// A small file needs no large buffer: allocating and clearing one
		// would cost more than reading the file.
		n = int(min(max(size, minBufferSize), bufferSize))
	}
	br := bufio.NewReaderSize(r, n)
	head, err := br.Peek(len(utf8BOM))
	if err != nil && err != io.EOF {
		return rd, fmt.Errorf("reading %s: %w", o.Name, err)
	}
	switch {
	case bytes.HasPrefix(head, utf8BOM):
		br.Discard(len(utf8BOM)) // cannot fail: the bytes are buffered
		rd.dialect.BOM = true
	case bytes.HasPrefix(head, utf16LEBOM), bytes.HasPrefix(head, utf16BEBOM):
		rd.add(1, 0, "the file is UTF-16: expected UTF-8 (save it as \"CSV UTF-8\")")
		return rd, errStop
	}
	// The header is in the buffer, unless it is longer than the buffer:
	// then the delimiter is found in the buffer's worth of it.
	head, err = br.Peek(br.Size())
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return rd, fmt.Errorf("reading %s: %w", o.Name, err)
	}
	s := sniff(head, o.Dialect.Comma)
	rd.dialect.Comma = s.comma
	if s.sepLine > 0 {
		line := firstLine(head)
		skip := len(line)
		if rest := head[skip:]; bytes.HasPrefix(rest, []byte("\r\n")) {
			skip += 2
		} else if len(rest) > 0 {
			skip++
		}
		br.Discard(skip) // buffered
		rd.offset = 1
	}
	if s.problem != "" {
		rd.add(1+rd.offset, 0, "%s", s.problem)
		return rd, errStop
	}
	rd.csv = csv.NewReader(br)
	rd.csv.Comma = s.comma
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
	line, start := pe.Line+rd.offset, pe.StartLine+rd.offset
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		rd.add(line, pe.Column, `bare " in an unquoted cell: expected the whole cell quoted and the quote doubled, as in "a""b"`)
	case errors.Is(pe.Err, csv.ErrQuote) && start != line:
		// Most likely a quote left open, which ran on to where the reader
		// gave up: the place to look at is where the row starts.
		rd.add(start, 0, `extraneous or missing " in a quoted cell of the row that starts here, found on line %d, column %d: `+
			`is a quote left open? (expected "" for a quote inside a cell and " at its end)`, line, pe.Column)
	case errors.Is(pe.Err, csv.ErrQuote):
		rd.add(line, pe.Column, `extraneous or missing " in a quoted cell: expected "" for a quote inside it and " at its end`)
	default:
		rd.add(line, pe.Column, "%s", pe.Err)
	}
	return nil, errStop
}

// readHeader returns the header names, trimmed, and the header's line.
func (rd *reader) readHeader() ([]string, int, error) {
	rec, err := rd.read()
	if err == io.EOF {
		rd.add(1+rd.offset, 0, "empty file: expected a header line")
		return nil, 0, errStop
	}
	if err != nil {
		return nil, 0, err
	}
	line, _ := rd.at(0)
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

// checkName reports a header name that is not UTF-8, returning false for
// it. An empty name is no problem: its column is ignored.
func (h *header) checkName(col int, name string) (bool, error) {
	if !utf8.ValidString(name) {
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

// unknown is a column that names nothing the file may have.
type unknown struct {
	col  int // 1-based
	name string
}

// typos reports the unknown columns that look like a typo of one of wants
// that no column matched, suggesting it, and returns the others.
func (h *header) typos(cols []unknown, wants []string) ([]unknown, error) {
	var rest []unknown
	for _, u := range cols {
		if want := h.closest(u.name, wants); want != "" {
			h.seen[want] = u.col // reported here, so not again as missing
			if err := h.rd.add(h.line, u.col, "unknown column %q: did you mean %q?", u.name, want); err != nil {
				return nil, err
			}
			continue
		}
		rest = append(rest, u)
	}
	return rest, nil
}

// ignore reports the unknown columns that look like a typo (see typos),
// and ignores the others, with one notice that ends with why.
func (h *header) ignore(cols []unknown, wants []string, why string) error {
	cols, err := h.typos(cols, wants)
	if err != nil || len(cols) == 0 {
		return err
	}
	names := make([]string, len(cols))
	for i, u := range cols {
		names[i] = u.name
	}
	h.rd.ignored = append(h.rd.ignored, names...)
	var quoted []string
	blank := 0
	for _, n := range names {
		if n == "" {
			blank++
		} else {
			quoted = append(quoted, fmt.Sprintf("%q", abbreviate(n)))
		}
	}
	var b strings.Builder
	switch {
	case len(quoted) > 0:
		if len(names) > 1 {
			b.WriteString("ignored columns ")
		} else {
			b.WriteString("ignored column ")
		}
		b.WriteString(strings.Join(quoted, ", "))
		if blank > 0 {
			fmt.Fprintf(&b, " and %d without a name", blank)
		}
	case blank == 1:
		b.WriteString("ignored 1 column without a name")
	default:
		fmt.Fprintf(&b, "ignored %d columns without a name", blank)
	}
	b.WriteString(": " + why)
	h.rd.notices = append(h.rd.notices, Problem{File: h.rd.file, Line: h.line, Msg: b.String()})
	return nil
}

// closest returns the one of wants, not yet matched by a column, that name
// is most likely a typo of (at most one letter wrong, missing, extra or
// swapped with the next for names of up to 4 letters, two for longer
// ones), or "".
func (h *header) closest(name string, wants []string) string {
	if name == "" {
		return ""
	}
	best, bestDist := "", 3
	for _, w := range wants {
		if _, ok := h.seen[w]; ok {
			continue
		}
		limit := 2
		if len(w) <= 4 {
			limit = 1
		}
		if d := distance(strings.ToLower(name), w); d <= limit && d < bestDist {
			best, bestDist = w, d
		}
	}
	return best
}

// distance returns the optimal string alignment distance between a and b:
// the fewest insertions, deletions, substitutions and swaps of adjacent
// characters (Damerau 1964) that turn a into b, counted in bytes, or a
// large number for strings far apart in length.
func distance(a, b string) int {
	if d := len(a) - len(b); d > 2 || d < -2 || len(a) > 64 || len(b) > 64 {
		return 1 << 10
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
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
	line, _ := rd.at(0)
	if len(rec) > width {
		return false, rd.add(line, width+1, "expected %d cells, found %d", width, len(rec))
	}
	return false, rd.add(line, 0, "expected %d cells, found %d", width, len(rec))
}

// at returns the line of cell i of the current record and its 1-based
// column.
func (rd *reader) at(i int) (line, column int) {
	line, _ = rd.csv.FieldPos(i)
	return line + rd.offset, i + 1
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
// what the id is of. An id of a projects or a judges file is restored, as
// their text cells are (see text); one of a scores file is not.
func (rd *reader) id(rec []string, i int, column, kind string, in *interner) (string, bool, error) {
	s := strings.TrimSpace(rec[i])
	if column == "id" {
		s = csvsafe.Restore(s)
	}
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

// text returns cell i of rec, trimmed and restored (see [csvsafe.Restore]:
// a cell written "'=x" to keep a spreadsheet from running it reads as
// "=x"), interned when in is not nil, else copied, reporting it when it
// is not UTF-8. It may be empty.
func (rd *reader) text(rec []string, i int, what string, in *interner) (string, bool, error) {
	s, ok := textCell(rec[i], in)
	if !ok {
		line, col := rd.at(i)
		return "", false, rd.add(line, col, notUTF8, what)
	}
	return s, true, nil
}

// textCell returns the text of a cell, trimmed and restored, interned in
// in when it is not nil, else copied; false if it is not UTF-8. Both
// projects readers read text cells with it.
func textCell(cell string, in *interner) (string, bool) {
	s := csvsafe.Restore(strings.TrimSpace(cell))
	if in != nil {
		return in.get(s)
	}
	if !utf8.ValidString(s) {
		return "", false
	}
	return strings.Clone(s), true
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

// layout returns the file's layout, its decimal separator decimal.
func (rd *reader) layout(decimal rune) Layout {
	d := rd.dialect
	d.Decimal = decimal
	return Layout{Dialect: d, Ignored: rd.ignored, Notices: rd.notices}
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
