package spreadsheet

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/bank"
)

// Project is one row of a projects file, with where it came from.
type Project struct {
	bank.Project
	// Line is the line on which the row starts.
	Line int
	// Columns holds the column of each field's cell: under "id", "title",
	// "region", "sector", "cooperative", "submitted_at" and "attributes"
	// (a cell of JSON, as the bank exports it), 0 if the file has no such
	// column, and under "attributes.<key>" for each attribute column. All
	// the projects of a file share one map: treat it as read-only.
	Columns map[string]int
}

// projectFields are the columns a projects file may have, id first.
var projectFields = []string{"id", "title", "region", "sector", "cooperative", "submitted_at", "attributes"}

// projectsExpected is what a projects header may have, for messages.
const projectsExpected = "id and any of title,region,sector,cooperative,submitted_at,attributes,attributes.<key>"

// attributePrefix starts the name of an attribute column.
const attributePrefix = "attributes."

// ReadProjects reads a projects file with the options o (its name, its
// dialect; o.Criteria plays no part): a header with an id column and any
// of the columns below, in any order, then a project a row.
//
//	id, title, region, sector, cooperative   text
//	submitted_at                            an RFC 3339 timestamp, as in 2025-04-16T09:30:00Z
//	attributes.<key>                        the project's attribute <key>
//	attributes                              attributes as a JSON object of strings, as the bank exports them
//
// Every row must have an id; the rest may be empty, and an empty attribute
// cell means no such attribute. Text cells that a writer prefixed with '
// to keep a spreadsheet from running them as formulas ('=x) read as they
// were (=x). Other columns are ignored, with one notice in the [Layout],
// unless o.ExtraAsAttributes says to read them as attributes. The
// bank's ideas export (package bank/store) is such a file.
//
// The projects come back in file order, with the file's layout. The error
// is [Problems] when the input is bad (and then there are no projects), or
// an I/O error.
func ReadProjects(r io.Reader, o Options) ([]Project, Layout, error) {
	rd, err := newReader(r, inputSize(r), o)
	layout := func() Layout { return rd.layout(newNumbers(0).decimalOf(o.Dialect.Decimal, rd.dialect.Comma)) }
	if err != nil {
		return nil, layout(), rd.finish(err)
	}
	names, line, err := rd.readHeader()
	if err != nil {
		return nil, layout(), rd.finish(err)
	}
	fields, err := readProjectsHeader(rd, names, line, o.ExtraAsAttributes)
	if err != nil {
		return nil, layout(), rd.finish(err)
	}
	projects, err := rd.readProjects(fields)
	if err := rd.finish(err); err != nil {
		return nil, layout(), err
	}
	return projects, layout(), nil
}

// readProjectsHeader returns the field of each column of a projects file:
// one of projectFields, attributes.<key>, or "" for a column not read.
func readProjectsHeader(rd *reader, names []string, line int, extra bool) ([]string, error) {
	if len(names) == 1 && names[0] != "id" && oneName(names[0]) {
		rd.add(line, 0, "%s", oneNameMessage(names[0]))
		return nil, errStop
	}
	fields := make([]string, len(names))
	h := newHeader(rd, line)
	attrs := map[string]int{} // the column of each attribute
	// attribute reads column i, named name, as the attribute key.
	attribute := func(i int, name, key string) error {
		if first, dup := attrs[key]; dup {
			return rd.add(line, i+1, "column %q fills attribute %q, as column %d does: expected each attribute once", name, key, first)
		}
		attrs[key] = i + 1
		fields[i] = attributePrefix + key
		return nil
	}
	var unknowns []unknown
	for i, name := range names {
		if ok, err := h.checkName(i+1, name); !ok {
			if err != nil {
				return nil, err
			}
			continue
		}
		k, m, err := h.matchAny(i+1, name, projectFields)
		if err != nil {
			return nil, err
		}
		switch m {
		case matched:
			fields[i] = projectFields[k]
			continue
		case reported:
			continue
		}
		key, prefixed := strings.CutPrefix(name, attributePrefix)
		switch {
		case prefixed && key == "":
			err = rd.add(line, i+1, "column %q: expected a key after %q, as in attributes.women_led", name, attributePrefix)
		case !prefixed && len(name) > len(attributePrefix) && strings.EqualFold(name[:len(attributePrefix)], attributePrefix):
			err = rd.add(line, i+1, "column %q: expected %q (names are case-sensitive)", name, attributePrefix+name[len(attributePrefix):])
		case prefixed:
			err = attribute(i, name, key)
		default:
			unknowns = append(unknowns, unknown{i + 1, name})
		}
		if err != nil {
			return nil, err
		}
	}
	if !extra {
		if err := h.ignore(unknowns, projectFields, "not project fields (name a column attributes.<key>, or use --extra-as-attributes, to read it as an attribute)"); err != nil {
			return nil, err
		}
		return fields, h.missing(projectsExpected, "id")
	}
	// A typo of a field is no attribute, even with extra.
	unknowns, err := h.typos(unknowns, projectFields)
	if err != nil {
		return nil, err
	}
	var unnamed []unknown
	for _, u := range unknowns {
		if u.name == "" {
			unnamed = append(unnamed, u)
		} else if err := attribute(u.col-1, u.name, u.name); err != nil {
			return nil, err
		}
	}
	if err := h.ignore(unnamed, nil, "an attribute needs a name"); err != nil {
		return nil, err
	}
	return fields, h.missing(projectsExpected, "id")
}

// projectColumns returns the Columns map of the projects of a file whose
// columns hold fields.
func projectColumns(fields []string) map[string]int {
	columns := make(map[string]int, len(fields)+len(projectFields))
	for _, f := range projectFields {
		columns[f] = 0
	}
	for i, f := range fields {
		if f != "" {
			columns[f] = i + 1
		}
	}
	return columns
}

// readProjects reads the rows after the header. It returns the projects so
// far with errStop or an I/O error.
func (rd *reader) readProjects(fields []string) ([]Project, error) {
	columns := projectColumns(fields)
	// Ids, regions, sectors and cooperatives repeat from row to row (ids
	// only if the file is wrong, which the dataset validator will say).
	interned := map[string]*interner{"id": newInterner(), "region": newInterner(), "sector": newInterner(), "cooperative": newInterner()}
	var out []Project
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
		p := Project{Line: line, Columns: columns}
		good := true
		var fromJSON map[string]string
		for i, f := range fields {
			if f == "" {
				continue
			}
			var (
				s   string
				ok  bool
				err error
			)
			if f == "id" {
				s, ok, err = rd.id(rec, i, "id", "project", interned[f])
			} else {
				s, ok, err = rd.text(rec, i, f, interned[f])
			}
			if err == nil && ok {
				switch f {
				case "submitted_at":
					if p.SubmittedAt, err = parseTime(s); err != nil {
						l, c := rd.at(i)
						ok, err = false, rd.add(l, c, "%s", err)
					}
				case "attributes":
					if fromJSON, err = attributesCell(s); err != nil {
						l, c := rd.at(i)
						ok, err = false, rd.add(l, c, "%s", err)
					}
				}
			}
			if err != nil {
				return out, err
			}
			good = good && ok
			p.set(f, s)
		}
		if k, msg := p.mergeAttributes(fromJSON); msg != "" {
			l, _ := rd.at(0)
			if err := rd.add(l, columns[attributePrefix+k], "%s", msg); err != nil {
				return out, err
			}
			good = false
		}
		if good {
			out = append(out, p)
		}
	}
}

// parseTime reads a submitted_at cell: empty, or an RFC 3339 timestamp
// read as a dataset's are.
func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return afkar.ParseTime(s)
}

// attributesCell reads an attributes cell of JSON: empty, or an object of
// strings. An empty object is no attributes.
func attributesCell(s string) (map[string]string, error) {
	if s == "" {
		return nil, nil
	}
	var m map[string]string
	if err := json.Unmarshal([]byte(s), &m); err != nil || m == nil {
		return nil, fmt.Errorf("attributes cell: expected a JSON object of strings, such as {\"women_led\":\"yes\"}, found %q", abbreviate(s))
	}
	if len(m) == 0 {
		return nil, nil
	}
	return m, nil
}

// mergeAttributes adds the attributes of the JSON cell to p's, which come
// from attribute columns. An attribute that a column and the JSON cell
// both set differently is a problem: mergeAttributes returns the key and
// the message.
func (p *Project) mergeAttributes(fromJSON map[string]string) (string, string) {
	if len(fromJSON) == 0 {
		return "", ""
	}
	if p.Attributes == nil {
		p.Attributes = fromJSON
		return "", ""
	}
	for k, v := range fromJSON {
		if w, ok := p.Attributes[k]; ok && w != v {
			return k, fmt.Sprintf("attribute %q is %q in column %s and %q in the attributes cell: expected one value", k, abbreviate(w), attributePrefix+k, abbreviate(v))
		}
		p.Attributes[k] = v
	}
	return "", ""
}

// set sets the field of p that column f holds (see readProjectsHeader)
// to the cell's text s; submitted_at and attributes are set by their
// readers.
func (p *Project) set(f, s string) {
	switch f {
	case "id":
		p.ID = s
	case "title":
		p.Title = s
	case "region":
		p.Region = s
	case "sector":
		p.Sector = s
	case "cooperative":
		p.Cooperative = s
	default:
		if key, ok := strings.CutPrefix(f, attributePrefix); ok && s != "" {
			if p.Attributes == nil {
				p.Attributes = make(map[string]string)
			}
			p.Attributes[key] = s
		}
	}
}
