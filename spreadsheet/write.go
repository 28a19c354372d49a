package spreadsheet

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/internal/csvsafe"
	"github.com/afkarlab/afkar/scoring"
)

// WriteScores writes scores to w as a long-form scores file in d:
//
//	project,judge,criterion,score
//	DAK-01,J1,social,15.5
//
// one score a row, in the order of the table, each value as
// decimal.Decimal's String spells it (15.50 as 15.5, which the digest does
// not tell apart), with d's decimal separator. See the package doc,
// Writing, for what it refuses.
func WriteScores(w io.Writer, scores scoring.Scores, d Dialect) error {
	if err := d.check(); err != nil {
		return err
	}
	d = d.writing()
	var ps afkar.Problems
	b := d.start()
	b = d.row(b, "project", "judge", "criterion", "score")
	for i, s := range scores.All() {
		for _, f := range [...]struct{ name, v string }{{"judge", s.Judge}, {"project", s.Project}, {"criterion", s.Criterion}} {
			if msg := unwritable(f.v); msg != "" {
				ps = append(ps, afkar.Problem{Path: fmt.Sprintf("scores[%d].%s", i, f.name), Message: msg})
			}
		}
		b = d.AppendCell(b, s.Project)
		b = d.AppendCell(append(b, byte(d.Comma)), s.Judge)
		b = d.AppendCell(append(b, byte(d.Comma)), s.Criterion)
		b = d.AppendDecimal(append(b, byte(d.Comma)), s.Value.String())
		b = append(b, '\n')
	}
	return flush(w, b, ps)
}

// WriteProjects writes projects to w as a projects file in d, with the
// columns id, title, region, sector, cooperative and submitted_at (an RFC
// 3339 timestamp with its offset, empty for none), then an
// attributes.<key> column for each attribute key of any project, by key.
// See the package doc, Writing, for what it refuses.
func WriteProjects(w io.Writer, projects []bank.Project, d Dialect) error {
	if err := d.check(); err != nil {
		return err
	}
	d = d.writing()
	var ps afkar.Problems
	keys := map[string]bool{}
	for _, p := range projects {
		for k := range p.Attributes {
			keys[k] = true
		}
	}
	attrs := slices.Sorted(maps.Keys(keys))
	head := []string{"id", "title", "region", "sector", "cooperative", "submitted_at"}
	for _, k := range attrs {
		head = append(head, attributePrefix+k)
	}
	b := d.start()
	b = d.row(b, head...)
	for i, p := range projects {
		submitted := ""
		if !p.SubmittedAt.IsZero() {
			submitted = p.SubmittedAt.Format(time.RFC3339Nano)
		}
		cells := []string{p.ID, p.Title, p.Region, p.Sector, p.Cooperative, submitted}
		for k, v := range cells[:5] {
			if msg := unwritable(v); msg != "" {
				ps = append(ps, afkar.Problem{Path: fmt.Sprintf("projects[%d].%s", i, head[k]), Message: msg})
			}
		}
		for _, k := range attrs {
			v, ok := p.Attributes[k]
			path := fmt.Sprintf("projects[%d].attributes.%s", i, k)
			switch {
			case !ok:
			case k == "" || strings.TrimSpace(k) != k || strings.ContainsRune(k, '\r') || !utf8.ValidString(k):
				ps = append(ps, afkar.Problem{Path: path, Message: fmt.Sprintf("attribute key %q cannot be a column name (attributes.<key>, trimmed)", k)})
			case v == "":
				ps = append(ps, afkar.Problem{Path: path, Message: "an empty value, which a spreadsheet reads as no attribute"})
			default:
				if msg := unwritable(v); msg != "" {
					ps = append(ps, afkar.Problem{Path: path, Message: msg})
				}
			}
			cells = append(cells, v)
		}
		b = d.row(b, safe(cells)...)
	}
	return flush(w, b, ps)
}

// WriteJudges writes judges to w as a judges file in d, with the columns
// id, name, cooperative and conflicts (the project ids separated by '|').
// See the package doc, Writing, for what it refuses.
func WriteJudges(w io.Writer, judges []bank.Judge, d Dialect) error {
	if err := d.check(); err != nil {
		return err
	}
	d = d.writing()
	var ps afkar.Problems
	b := d.start()
	// The abstains column only when some judge abstains: a file of a jury
	// without abstentions is the same as before they existed.
	fields := judgeFields[:4]
	for _, j := range judges {
		if len(j.Abstains) > 0 {
			fields = judgeFields
			break
		}
	}
	b = d.row(b, fields...)
	for i, j := range judges {
		cells := []string{j.ID, j.Name, j.Cooperative}
		for k, v := range cells {
			if msg := unwritable(v); msg != "" {
				ps = append(ps, afkar.Problem{Path: fmt.Sprintf("judges[%d].%s", i, judgeFields[k]), Message: msg})
			}
		}
		lists := []struct {
			key string
			ids []string
		}{{"conflicts", j.Conflicts}, {"abstains", j.Abstains}}
		for _, list := range lists[:len(fields)-3] {
			for k, c := range list.ids {
				msg := unwritable(c)
				if c == "" {
					msg = "an empty project id, which a spreadsheet cell cannot hold"
				} else if strings.ContainsAny(c, conflictSeparators) {
					msg = fmt.Sprintf("%q holds one of %s, which separate %s", abbreviate(c), strings.Join(strings.Split(conflictSeparators, ""), " "), list.key)
				}
				if msg != "" {
					ps = append(ps, afkar.Problem{Path: fmt.Sprintf("judges[%d].%s[%d]", i, list.key, k), Message: msg})
				}
			}
			cells = append(cells, strings.Join(list.ids, "|"))
		}
		b = d.row(b, safe(cells)...)
	}
	return flush(w, b, ps)
}

// start returns the start of a file in d: a byte order mark, or nothing.
func (d Dialect) start() []byte {
	if d.BOM {
		return append([]byte(nil), utf8BOM...)
	}
	return nil
}

// row appends a row of cells in d.
func (d Dialect) row(b []byte, cells ...string) []byte {
	for i, c := range cells {
		if i > 0 {
			b = append(b, byte(d.Comma))
		}
		b = d.AppendCell(b, c)
	}
	return append(b, '\n')
}

// safe returns the cells made safe for a spreadsheet (csvsafe.Text).
func safe(cells []string) []string {
	for i, c := range cells {
		cells[i] = csvsafe.Text(c)
	}
	return cells
}

// unwritable says why the text s would not read back as itself from a
// cell, or "" when it would.
func unwritable(s string) string {
	switch {
	case !utf8.ValidString(s):
		return fmt.Sprintf("%s is not valid UTF-8", strconv.QuoteToASCII(abbreviate(s)))
	case strings.TrimSpace(s) != s:
		return fmt.Sprintf("%q starts or ends with white space, which a spreadsheet cell does not keep", abbreviate(s))
	case strings.ContainsRune(s, '\r'):
		return fmt.Sprintf("%q holds a carriage return, which a CSV file does not keep", abbreviate(s))
	}
	return ""
}

// flush writes b to w, unless there are problems.
func flush(w io.Writer, b []byte, ps afkar.Problems) error {
	if len(ps) > 0 {
		return ps
	}
	_, err := w.Write(b)
	return err
}
