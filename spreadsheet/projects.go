package spreadsheet

import (
	"io"
	"strings"
	"unicode/utf8"
)

// projectFields are the columns a projects file may have, id first.
var projectFields = []string{"id", "title", "region", "sector", "cooperative", "submitted_at"}

// projectsExpected is what a projects header may have, for messages.
const projectsExpected = "id and any of title,region,sector,cooperative,submitted_at"

// ReadProjects reads a projects file: a header with an id column and any of
// title, region, sector, cooperative and submitted_at, in any order, then a
// project a row (see the package doc); file names the file in messages.
// Every row must have an id; the rest may be empty. The projects come back
// in file order. The error is [Problems] when the input is bad (and then
// there are no projects), or an I/O error.
func ReadProjects(r io.Reader, file string) ([]Project, error) {
	rd, err := newReader(r, inputSize(r), file)
	if err != nil {
		return nil, rd.finish(err)
	}
	names, line, err := rd.readHeader()
	if err != nil {
		return nil, rd.finish(err)
	}
	fields, err := readProjectsHeader(rd, names, line)
	if err != nil {
		return nil, rd.finish(err)
	}
	projects, err := rd.readProjects(fields)
	if err := rd.finish(err); err != nil {
		return nil, err
	}
	return projects, nil
}

// readProjectsHeader returns the field of each column of a projects file,
// "" for a column whose name is a problem.
func readProjectsHeader(rd *reader, names []string, line int) ([]string, error) {
	fields := make([]string, len(names))
	h := newHeader(rd, line)
	for i, name := range names {
		if ok, err := h.checkName(i+1, name, projectsExpected); !ok {
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
		case noMatch:
			if err := rd.add(line, i+1, "unknown column %q (expected %s)", name, projectsExpected); err != nil {
				return nil, err
			}
		}
	}
	return fields, h.missing(projectsExpected, "id")
}

// readProjects reads the rows after the header. It returns the projects so
// far with errStop or an I/O error.
func (rd *reader) readProjects(fields []string) ([]Project, error) {
	columns := make(map[string]int, len(projectFields))
	for _, f := range projectFields {
		columns[f] = 0
	}
	for i, f := range fields {
		if f != "" {
			columns[f] = i + 1
		}
	}
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
		line, _ := rd.csv.FieldPos(0)
		p := Project{Line: line, Columns: columns}
		good := true
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
			if err != nil {
				return out, err
			}
			good = good && ok
			p.set(f, s)
		}
		if good {
			out = append(out, p)
		}
	}
}

// set sets the field of p that column f holds (one of projectFields).
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
	case "submitted_at":
		p.SubmittedAt = s
	}
}

// text returns cell i of rec, trimmed, interned when in is not nil, else
// copied, reporting it when it is not UTF-8. It may be empty.
func (rd *reader) text(rec []string, i int, what string, in *interner) (string, bool, error) {
	s := strings.TrimSpace(rec[i])
	var ok bool
	if in != nil {
		s, ok = in.get(s)
	} else if ok = utf8.ValidString(s); ok {
		s = strings.Clone(s)
	}
	if !ok {
		line, col := rd.at(i)
		return "", false, rd.add(line, col, notUTF8, what)
	}
	return s, true, nil
}
