package spreadsheet

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/afkarlab/afkar/scoring"
)

// Score is one score read from a scores file, with where it came from.
type Score struct {
	scoring.Score
	// Line and Column are the 1-based position of the score's cell: the line
	// on which the cell starts and the number of the cell in its row.
	Line, Column int
	// ProjectColumn, JudgeColumn and CriterionColumn are the columns of the
	// cells that name the score's project, judge and criterion, on the same
	// row. In wide form the criterion is named by the header above the
	// score, so CriterionColumn is Column.
	ProjectColumn, JudgeColumn, CriterionColumn int
}

// scoresExpected is what a scores header may be, for messages.
const scoresExpected = "project,judge,criterion,score or project,judge,<criterion ids…>"

// longColumns are the columns of a long-form scores file.
var longColumns = []string{"project", "judge", "criterion", "score"}

// role is what the cells of a scores file's column hold.
type role uint8

const (
	ignored   role = iota // a column whose name is a problem: its cells are not read
	projectID             // project ids
	judgeID               // judge ids
	criterion             // criterion ids, in long form
	value                 // scores: the long form's score column, or a wide form's criterion column
)

// scoresHeader is the layout of a scores file, read from its header.
type scoresHeader struct {
	long  bool
	roles []role
	// names holds the criterion id of each value column in wide form.
	names []string
	// project, judge and criterion are the 0-based indices of those
	// columns, -1 when there is none (in wide form, always for criterion).
	project, judge, criterion int
}

// ReadScores reads a scores file in long or wide form (see the package
// doc) with the options o: its name in problems, its dialect (zero fields
// detected) and the rubric's criteria.
//
// o.Criteria, if not nil, are the rubric's criterion ids, and the wide
// form's score columns are those of them the header names; its other
// columns are ignored. In long form the criterion cells are not checked
// against o.Criteria: the dataset validator does that. With a nil
// o.Criteria, a header is in long form if it has a criterion or a score
// column, else in wide form with every other column a criterion.
//
// The scores come back in file order, a wide row's in column order, with
// the file's [Layout], which a caller gets even with problems. The error
// is [Problems] when the input is bad (and then there are no scores), or
// an I/O error.
func ReadScores(r io.Reader, o Options) ([]Score, Layout, error) {
	size := inputSize(r) // before reading
	rd, err := newReader(r, size, o)
	nums := newNumbers(o.Dialect.Decimal)
	layout := func() Layout { return rd.layout(nums.decimalOf(o.Dialect.Decimal, rd.dialect.Comma)) }
	if err != nil {
		return nil, layout(), rd.finish(err)
	}
	names, line, err := rd.readHeader()
	if err != nil {
		return nil, layout(), rd.finish(err)
	}
	h, err := readScoresHeader(rd, names, line, o.Criteria)
	if err != nil {
		return nil, layout(), rd.finish(err)
	}
	var amb *ambiguity
	if rd.dialect.Comma == ',' && o.Dialect.Decimal == 0 {
		amb = &ambiguity{}
	}
	scores, err := rd.readScores(h, size, nums, amb)
	amb.note(rd)
	if err := rd.finish(err); err != nil {
		return nil, layout(), err
	}
	return scores, layout(), nil
}

// ambiguity keeps the decimals read with a comma that could also be
// numbers with a thousands separator ("1,500"), for one notice.
type ambiguity struct {
	first       Problem
	text, value string
	count       int
}

// add records the cell at line and column, text read as d.
func (a *ambiguity) add(file string, line, col int, text string, d decimal.Decimal) {
	if a.count == 0 {
		a.first = Problem{File: file, Line: line, Column: col}
		a.text, a.value = text, d.String()
	}
	a.count++
}

// note adds the notice about the cells recorded, if any, to rd's.
func (a *ambiguity) note(rd *reader) {
	if a == nil || a.count == 0 {
		return
	}
	p := a.first
	p.Msg = fmt.Sprintf("read %q as %s, with a decimal comma: if it means %s, write it without the comma", a.text, a.value, strings.Replace(a.text, ",", "", 1))
	if a.count > 1 {
		p.Msg += fmt.Sprintf(" (and %d more cells like it)", a.count-1)
	}
	rd.notices = append(rd.notices, p)
}

// readScoresHeader works out the layout of a scores file from its header
// names, reporting the problems with them.
func readScoresHeader(rd *reader, names []string, line int, criteria []string) (*scoresHeader, error) {
	if len(names) == 1 && oneName(names[0]) {
		rd.add(line, 0, "%s", oneNameMessage(names[0]))
		return nil, errStop
	}
	sh := &scoresHeader{roles: make([]role, len(names)), names: make([]string, len(names)), project: -1, judge: -1, criterion: -1}
	for _, name := range names {
		// A rubric may name a criterion "score": its column is then a
		// criterion column.
		if (strings.EqualFold(name, "criterion") || strings.EqualFold(name, "score")) && !slices.Contains(criteria, name) {
			sh.long = true
		}
	}
	h := newHeader(rd, line)
	var err error
	if sh.long {
		err = sh.readLong(h, names)
	} else {
		err = sh.readWide(h, names, criteria)
	}
	if err != nil {
		return nil, err
	}
	for i, r := range sh.roles {
		switch r {
		case projectID:
			sh.project = i
		case judgeID:
			sh.judge = i
		case criterion:
			sh.criterion = i
		}
	}
	return sh, nil
}

// longRoles are the roles of longColumns.
var longRoles = []role{projectID, judgeID, criterion, value}

// readLong reads the header names of a long-form file.
func (sh *scoresHeader) readLong(h *header, names []string) error {
	var unknowns []unknown
	for i, name := range names {
		if ok, err := h.checkName(i+1, name); !ok {
			if err != nil {
				return err
			}
			continue
		}
		k, m, err := h.matchAny(i+1, name, longColumns)
		if err != nil {
			return err
		}
		switch m {
		case matched:
			sh.roles[i] = longRoles[k]
		case noMatch:
			unknowns = append(unknowns, unknown{i + 1, name})
		}
	}
	if err := h.ignore(unknowns, longColumns, "a long-form scores file reads project, judge, criterion and score"); err != nil {
		return err
	}
	return h.missing(scoresExpected, longColumns...)
}

// readWide reads the header names of a wide-form file.
func (sh *scoresHeader) readWide(h *header, names []string, criteria []string) error {
	var unknowns []unknown
	scores := 0 // criterion columns, good or bad
	for i, name := range names {
		if ok, err := h.checkName(i+1, name); !ok {
			if err != nil {
				return err
			}
			scores++
			continue
		}
		k, m, err := h.matchAny(i+1, name, longColumns[:2])
		if err != nil {
			return err
		}
		switch m {
		case matched:
			sh.roles[i] = longRoles[k]
			continue
		case reported:
			continue
		}
		if name == "" {
			unknowns = append(unknowns, unknown{i + 1, name})
			continue
		}
		if criteria == nil {
			// Any name is a criterion id: the dataset validator checks it.
			scores++
			if m, err := h.match(i+1, name, name); m == matched {
				sh.roles[i], sh.names[i] = value, name
			} else if err != nil {
				return err
			}
			continue
		}
		k, m, err = h.matchAny(i+1, name, criteria)
		if err != nil {
			return err
		}
		switch m {
		case matched:
			scores++
			sh.roles[i], sh.names[i] = value, criteria[k]
		case reported:
			scores++
		case noMatch:
			unknowns = append(unknowns, unknown{i + 1, name})
		}
	}
	why := "a wide scores file reads project, judge and the criteria"
	if len(criteria) > 0 {
		why = "not criteria of the rubric (" + strings.Join(criteria, ", ") + ")"
	}
	n := len(h.rd.problems)
	if err := h.ignore(unknowns, append(slices.Clip(criteria), longColumns[:2]...), why); err != nil {
		return err
	}
	scores += len(h.rd.problems) - n // the typos, which were meant as criteria
	if err := h.missing(scoresExpected, longColumns[:2]...); err != nil {
		return err
	}
	if scores == 0 {
		return h.rd.add(h.line, 0, "header: no criterion column (expected %s)", scoresExpected)
	}
	return nil
}

// pending is a score read from a row that may yet prove bad.
type pending struct {
	column int // 0-based
	value  decimal.Decimal
}

// readScores reads the rows after the header, with nums; size is the
// input's size in bytes, or -1 if unknown. Decimals read with a comma
// that could be thousands are recorded in amb, if not nil. It returns the
// scores so far with errStop or an I/O error.
func (rd *reader) readScores(sh *scoresHeader, size int64, nums *numbers, amb *ambiguity) ([]Score, error) {
	var (
		out                            []Score
		row                            []pending
		projects, judges, criterionIDs = newInterner(), newInterner(), newInterner()
		projectCol, judgeCol, critCol  = sh.project + 1, sh.judge + 1, sh.criterion + 1
		width                          = len(sh.roles)
		rows                           int
	)
	for {
		rec, err := rd.read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		if ok, err := rd.checkWidth(rec, width); !ok {
			if err != nil {
				return out, err
			}
			continue
		}
		if isBlank(rec[0]) && allBlank(rec) {
			continue
		}
		var project, judge, crit string
		good := true
		row = row[:0]
		for i, r := range sh.roles {
			var ok bool
			switch r {
			case projectID:
				project, ok, err = rd.id(rec, i, "project", "project", projects)
			case judgeID:
				judge, ok, err = rd.id(rec, i, "judge", "judge", judges)
			case criterion:
				crit, ok, err = rd.id(rec, i, "criterion", "criterion", criterionIDs)
			case value:
				text := strings.TrimSpace(rec[i])
				if text == "" {
					continue // a missing score
				}
				var d decimal.Decimal
				if d, err = nums.parse(text); err == nil {
					if amb != nil && strings.IndexByte(text, ',') >= 0 && ambiguous(text) {
						line, col := rd.at(i)
						amb.add(rd.file, line, col, text, d)
					}
					row = append(row, pending{i, d})
					continue
				}
				line, col := rd.at(i)
				err = rd.add(line, col, "%s%s", sh.scoreLabel(rec, i), err)
			default:
				continue
			}
			if err != nil {
				return out, err
			}
			good = good && ok
		}
		if !good || len(rd.problems) > 0 {
			continue // no scores come back: keep none
		}
		rows++
		if rows == sampleRows && size > 0 {
			if n := estimate(len(out), rd.csv.InputOffset(), size); n > cap(out) {
				out = slices.Grow(out, n-len(out))
			}
		}
		if len(out)+len(row) > cap(out) {
			// Double: append grows a large slice by a quarter at a time,
			// which for millions of scores copies them over and over.
			out = slices.Grow(out, max(len(out), 1024))
		}
		for _, p := range row {
			line, col := rd.at(p.column)
			s := Score{Score: scoring.Score{Project: project, Judge: judge, Criterion: crit, Value: p.value}, Line: line, Column: col,
				ProjectColumn: projectCol, JudgeColumn: judgeCol, CriterionColumn: critCol}
			if !sh.long {
				s.Criterion, s.CriterionColumn = sh.names[p.column], col
			}
			out = append(out, s)
		}
	}
}

// scoreLabel returns what to put before the message about the score in
// column i of rec, a bad decimal: the criterion, when there is one.
func (sh *scoresHeader) scoreLabel(rec []string, i int) string {
	if !sh.long {
		return fmt.Sprintf("score for criterion %q: ", sh.names[i])
	}
	if sh.criterion >= 0 {
		if c := strings.TrimSpace(rec[sh.criterion]); c != "" && len(c) <= 64 {
			return fmt.Sprintf("score for criterion %q: ", c)
		}
	}
	return "score: "
}

// sampleRows is the number of rows after which readScores estimates how
// many scores the whole file holds.
const sampleRows = 1024

// estimate returns how many scores a file of size bytes holds when its
// first offset bytes hold n: the same density, and a sixteenth more for
// the differences from row to row. Allocating the scores once saves copying
// them, and nearly halves the memory that a file of millions of rows needs
// at its peak; a file that is sparser after its first rows than in them is
// given more room than it needs, as doubling could too.
func estimate(n int, offset, size int64) int {
	if offset <= 0 || size <= offset {
		return n
	}
	e := float64(n) * float64(size) / float64(offset) * 17 / 16
	// At most a score in every two bytes ("1,"): a bound on a bad guess.
	return int(min(e, float64(size/2), math.MaxInt32))
}
