package spreadsheet

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
)

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
// doc); file names the file in messages.
//
// criteria, if not nil, are the rubric's criterion ids, and each criterion
// column of the wide form must be one of them. In long form the criterion
// cells are not checked against criteria: the dataset validator does that.
// With a nil criteria, a header is in long form if it has a criterion or a
// score column, else in wide form with every other column a criterion.
//
// The scores come back in file order, a wide row's in column order. The
// error is [Problems] when the input is bad (and then there are no scores),
// or an I/O error.
func ReadScores(r io.Reader, file string, criteria []string) ([]Score, error) {
	size := inputSize(r) // before reading
	rd, err := newReader(r, size, file)
	if err != nil {
		return nil, rd.finish(err)
	}
	names, line, err := rd.readHeader()
	if err != nil {
		return nil, rd.finish(err)
	}
	h, err := readScoresHeader(rd, names, line, criteria)
	if err != nil {
		return nil, rd.finish(err)
	}
	scores, err := rd.readScores(h, size)
	if err := rd.finish(err); err != nil {
		return nil, err
	}
	return scores, nil
}

// readScoresHeader works out the layout of a scores file from its header
// names, reporting the problems with them.
func readScoresHeader(rd *reader, names []string, line int, criteria []string) (*scoresHeader, error) {
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
	for i, name := range names {
		if ok, err := h.checkName(i+1, name, "one of "+strings.Join(longColumns, ",")); !ok {
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
			if err := h.rd.add(h.line, i+1, "unknown column %q: expected only project,judge,criterion,score in long form", name); err != nil {
				return err
			}
		}
	}
	return h.missing(scoresExpected, longColumns...)
}

// readWide reads the header names of a wide-form file.
func (sh *scoresHeader) readWide(h *header, names []string, criteria []string) error {
	others := 0 // columns other than project and judge, good or bad
	for i, name := range names {
		if ok, err := h.checkName(i+1, name, "project, judge or a criterion id"); !ok {
			if err != nil {
				return err
			}
			others++
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
		others++
		if criteria == nil {
			// Any name is a criterion id: the dataset validator checks it.
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
			sh.roles[i], sh.names[i] = value, criteria[k]
		case noMatch:
			if err := h.rd.add(h.line, i+1, "unknown column %q: expected a criterion id (one of %s)", name, strings.Join(criteria, ",")); err != nil {
				return err
			}
		}
	}
	if err := h.missing(scoresExpected, longColumns[:2]...); err != nil {
		return err
	}
	if others == 0 {
		return h.rd.add(h.line, 0, "header: no criterion column (expected %s)", scoresExpected)
	}
	return nil
}

// pending is a score read from a row that may yet prove bad.
type pending struct {
	column int // 0-based
	value  decimal.Decimal
}

// readScores reads the rows after the header; size is the input's size in
// bytes, or -1 if unknown. It returns the scores so far with errStop or an
// I/O error.
func (rd *reader) readScores(sh *scoresHeader, size int64) ([]Score, error) {
	var (
		out                            []Score
		row                            []pending
		projects, judges, criterionIDs = newInterner(), newInterner(), newInterner()
		values                         = make(decimals)
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
				if d, err = values.parse(text); err == nil {
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
			s := Score{Project: project, Judge: judge, Criterion: crit, Value: p.value, Line: line, Column: col,
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
