package spreadsheet

import (
	"io"
	"strings"

	"github.com/afkarlab/afkar/bank"
)

// Judge is one row of a judges file, with where it came from.
type Judge struct {
	bank.Judge
	// Line is the line on which the row starts.
	Line int
	// Columns holds the column of each field's cell under "id", "name",
	// "cooperative", "conflicts" and "abstains", 0 if the file has no such column. All
	// the judges of a file share one map: treat it as read-only.
	Columns map[string]int
}

// judgeFields are the columns a judges file may have, id first.
var judgeFields = []string{"id", "name", "cooperative", "conflicts", "abstains"}

// judgesExpected is what a judges header may have, for messages.
const judgesExpected = "id and any of name,cooperative,conflicts,abstains"

// conflictSeparators separate the project ids of a conflicts cell.
const conflictSeparators = "|;,"

// ReadJudges reads a judges file with the options o (its name, its
// dialect): a header with an id column and any of name, cooperative,
// conflicts and abstains, in any order, then a judge a row:
//
//	id,name,cooperative,conflicts
//	J1,Amina Idrissi,coop-017,DAK-03|DAK-05
//
// conflicts lists the projects the judge has declared a conflict of
// interest with, separated by '|' or ';' (or ',') inside the cell, and
// abstains, written the same way, the projects the judge declares not
// being competent to judge (SPEC.md section 7); a cell
// holding the file's delimiter is quoted, as spreadsheets write it. Every
// row must have an id; the rest may be empty. Text cells read as
// [ReadProjects] reads them, and other columns are ignored with one
// notice in the [Layout].
//
// The judges come back in file order, with the file's layout. The error is
// [Problems] when the input is bad (and then there are no judges), or an
// I/O error.
func ReadJudges(r io.Reader, o Options) ([]Judge, Layout, error) {
	rd, err := newReader(r, inputSize(r), o)
	layout := func() Layout { return rd.layout(newNumbers(0).decimalOf(o.Dialect.Decimal, rd.dialect.Comma)) }
	if err != nil {
		return nil, layout(), rd.finish(err)
	}
	names, line, err := rd.readHeader()
	if err != nil {
		return nil, layout(), rd.finish(err)
	}
	fields, err := readJudgesHeader(rd, names, line)
	if err != nil {
		return nil, layout(), rd.finish(err)
	}
	judges, err := rd.readJudges(fields)
	if err := rd.finish(err); err != nil {
		return nil, layout(), err
	}
	return judges, layout(), nil
}

// readJudgesHeader returns the field of each column of a judges file, ""
// for a column not read.
func readJudgesHeader(rd *reader, names []string, line int) ([]string, error) {
	if len(names) == 1 && names[0] != "id" && oneName(names[0]) {
		rd.add(line, 0, "%s", oneNameMessage(names[0]))
		return nil, errStop
	}
	fields := make([]string, len(names))
	h := newHeader(rd, line)
	var unknowns []unknown
	for i, name := range names {
		if ok, err := h.checkName(i+1, name); !ok {
			if err != nil {
				return nil, err
			}
			continue
		}
		k, m, err := h.matchAny(i+1, name, judgeFields)
		if err != nil {
			return nil, err
		}
		switch m {
		case matched:
			fields[i] = judgeFields[k]
		case noMatch:
			unknowns = append(unknowns, unknown{i + 1, name})
		}
	}
	if err := h.ignore(unknowns, judgeFields, "not judge fields ("+strings.Join(judgeFields, ", ")+")"); err != nil {
		return nil, err
	}
	return fields, h.missing(judgesExpected, "id")
}

// readJudges reads the rows after the header. It returns the judges so far
// with errStop or an I/O error.
func (rd *reader) readJudges(fields []string) ([]Judge, error) {
	columns := make(map[string]int, len(judgeFields))
	for _, f := range judgeFields {
		columns[f] = 0
	}
	for i, f := range fields {
		if f != "" {
			columns[f] = i + 1
		}
	}
	ids, coops, conflicts := newInterner(), newInterner(), newInterner()
	var out []Judge
	for {
		rec, err := rd.read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		if ok, err := rd.checkWidth(rec, len(fields)); !ok {
			if err != nil {
				return out, err
			}
			continue
		}
		if isBlank(rec[0]) && allBlank(rec) {
			continue
		}
		line, _ := rd.at(0)
		j := Judge{Line: line, Columns: columns}
		good := true
		for i, f := range fields {
			var (
				s   string
				ok  bool
				err error
			)
			switch f {
			case "":
				continue
			case "id":
				s, ok, err = rd.id(rec, i, "id", "judge", ids)
				j.ID = s
			case "name":
				s, ok, err = rd.text(rec, i, f, nil)
				j.Name = s
			case "cooperative":
				s, ok, err = rd.text(rec, i, f, coops)
				j.Cooperative = s
			case "conflicts":
				s, ok, err = rd.text(rec, i, f, nil)
				j.Conflicts = splitConflicts(s, conflicts)
			case "abstains":
				s, ok, err = rd.text(rec, i, f, nil)
				j.Abstains = splitConflicts(s, conflicts)
			}
			if err != nil {
				return out, err
			}
			good = good && ok
		}
		if good {
			out = append(out, j)
		}
	}
}

// splitConflicts returns the project ids of a conflicts cell, interned in
// in, or nil for none.
func splitConflicts(s string, in *interner) []string {
	var out []string
	for len(s) > 0 {
		i := strings.IndexAny(s, conflictSeparators)
		part := s
		if i >= 0 {
			part, s = s[:i], s[i+1:]
		} else {
			s = ""
		}
		if part = strings.TrimSpace(part); part != "" {
			id, _ := in.get(part) // the cell is UTF-8, so is each part
			out = append(out, id)
		}
	}
	return out
}
