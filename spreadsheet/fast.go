package spreadsheet

import (
	"bytes"
	"context"
	"runtime"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/afkarlab/afkar/internal/parallel"
	"github.com/afkarlab/afkar/scoring"
	"github.com/shopspring/decimal"
)

// ReadScoresFast reads the scores file data as ReadScores does, with the
// file split in chunks of whole lines that the cores parse at once. It
// takes the plain files that programs write, in any dialect: no quotes, no
// space around a cell, no empty project or judge cell, every row as wide
// as the header, lines ending in LF or CRLF, no "sep=" line. For any other
// file, or a problem of any kind (a bad header, a score that is not a
// decimal), ok is false: ReadScores then reads the file and places every
// problem at its line and column.
//
// The scores come back in file order, a wide row's in column order,
// exactly as ReadScores gives them, without their places in the file, and
// with the same [Layout].
func ReadScoresFast(data []byte, o Options) (scores scoring.Scores, layout Layout, ok bool) {
	rd, names, line, body, ok := plainHeader(data, o)
	if !ok {
		return scores, layout, false
	}
	sh, err := readScoresHeader(rd, names, line, o.Criteria)
	if err != nil || len(rd.problems) > 0 {
		return scores, layout, false
	}

	chunks := splitLines(body)
	// Each chunk is parsed into a table of its own; the tables are then
	// joined in order, each distinct ID and value looked up once.
	parts := make([]scoring.Scores, len(chunks))
	good := make([]bool, len(chunks))
	var wg sync.WaitGroup
	next := make(chan int, len(chunks))
	for k := range chunks {
		next <- k
	}
	close(next)
	parsers := make([]*chunkParser, min(runtime.GOMAXPROCS(0), len(chunks)))
	for w := range parsers {
		p := newChunkParser(sh, byte(rd.dialect.Comma), o.Dialect.Decimal)
		parsers[w] = p
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range next {
				parts[k], good[k] = p.parse(chunks[k])
			}
		}()
	}
	wg.Wait()
	for k := range chunks {
		if !good[k] {
			return scoring.Scores{}, layout, false
		}
	}
	nums := newNumbers(o.Dialect.Decimal)
	for _, p := range parsers {
		nums.merge(p.nums)
	}
	scores.AppendAll(parts...)
	return scores, rd.layout(nums.decimalOf(o.Dialect.Decimal, rd.dialect.Comma)), true
}

// chunkParser parses lines of one scores file on one goroutine, interning
// IDs and caching decimals by their text as the careful reader does.
type chunkParser struct {
	sh               *scoresHeader
	comma            byte // the delimiter
	judges, criteria *interner
	lastProject      string
	nums             *numbers
	cells            [][]byte
	// Caches in front of the maps, by a hash of the cell: judges, criteria
	// and values come round in turn.
	recent       [256]string
	recentValues [256]recentValue
}

type recentValue struct {
	text  string
	value decimal.Decimal
}

func newChunkParser(sh *scoresHeader, comma byte, sep rune) *chunkParser {
	return &chunkParser{sh: sh, comma: comma, judges: newInterner(), criteria: newInterner(), nums: newNumbers(sep)}
}

// parse returns the scores of the lines in chunk, or false if a line is
// not plain (see ReadScoresFast).
func (p *chunkParser) parse(chunk []byte) (scoring.Scores, bool) {
	sh := p.sh
	width := len(sh.roles)
	perRow := width - 2 // wide: every column but project and judge
	if sh.long {
		perRow = 1
	}
	var out scoring.Scores
	out.Grow((bytes.Count(chunk, []byte{'\n'}) + 1) * perRow)
	fail := scoring.Scores{}
	for len(chunk) > 0 {
		var line []byte
		if i := bytes.IndexByte(chunk, '\n'); i >= 0 {
			line, chunk = chunk[:i], chunk[i+1:]
		} else {
			line, chunk = chunk, nil
		}
		line = bytes.TrimSuffix(line, []byte{'\r'})
		if len(line) == 0 {
			continue // a blank line, which the CSV reader skips too
		}
		p.cells = p.cells[:0]
		for {
			i := bytes.IndexByte(line, p.comma)
			if i < 0 {
				p.cells = append(p.cells, line)
				break
			}
			p.cells = append(p.cells, line[:i])
			line = line[i+1:]
		}
		if len(p.cells) != width {
			return fail, false
		}
		var project, judge, crit string
		blank := true
		for _, c := range p.cells {
			if len(c) > 0 {
				blank = false
			}
			if len(c) > 0 && padded(c) {
				return fail, false
			}
		}
		if blank {
			continue // a row of empty cells, which ReadScores skips
		}
		var ok bool
		for i, r := range sh.roles {
			switch r {
			case projectID:
				project, ok = p.project(p.cells[i])
			case judgeID:
				judge, ok = p.id(p.cells[i], p.judges)
			case criterion:
				crit, ok = p.id(p.cells[i], p.criteria)
			default:
				continue
			}
			if !ok {
				return fail, false
			}
		}
		for i, r := range sh.roles {
			if r != value || len(p.cells[i]) == 0 { // an empty cell: a missing score
				continue
			}
			d, ok := p.value(p.cells[i])
			if !ok {
				return fail, false
			}
			if !sh.long {
				crit = sh.names[i]
			}
			out.Append(scoring.Score{Project: project, Judge: judge, Criterion: crit, Value: d})
		}
	}
	return out, true
}

// project returns the project cell as a string, or false if it is empty
// or not UTF-8. Rows for a project come together: the string of the row
// before is used again when it is the same. A project seen earlier, not
// just before, gets a string of its own, which the chunk's table
// (scoring.Scores.Append) maps to the same project: the IDs are hashed
// there, once, and not here too.
func (p *chunkParser) project(cell []byte) (string, bool) {
	if len(cell) == 0 {
		return "", false
	}
	if p.lastProject == string(cell) {
		return p.lastProject, true
	}
	if !utf8.Valid(cell) {
		return "", false
	}
	p.lastProject = string(cell)
	return p.lastProject, true
}

// id returns the cell interned, or false if it is empty or not UTF-8.
func (p *chunkParser) id(cell []byte, in *interner) (string, bool) {
	if len(cell) == 0 {
		return "", false
	}
	if len(in.last) == len(cell) && in.last == string(cell) {
		return in.last, true
	}
	slot := &p.recent[hashCell(cell)]
	if *slot == string(cell) {
		in.last = *slot
		return *slot, true
	}
	if v, ok := in.m[string(cell)]; ok {
		in.last, *slot = v, v
		return v, true
	}
	if !utf8.Valid(cell) {
		return "", false
	}
	v, ok := in.get(string(cell))
	*slot = v
	return v, ok
}

// value returns the decimal the cell spells, or false if it is not one.
func (p *chunkParser) value(cell []byte) (decimal.Decimal, bool) {
	slot := &p.recentValues[hashCell(cell)]
	if slot.text == string(cell) && slot.text != "" {
		return slot.value, true
	}
	d, hit := p.nums.cache[string(cell)] // no copy of the text
	if !hit {
		var err error
		if d, err = p.nums.parse(string(cell)); err != nil {
			return d, false
		}
	}
	*slot = recentValue{string(cell), d}
	return d, true
}

// hashCell returns a slot of a chunkParser's caches for cell (FNV-1a).
func hashCell(cell []byte) uint8 {
	h := uint32(2166136261)
	for _, c := range cell {
		h = (h ^ uint32(c)) * 16777619
	}
	return uint8(h ^ h>>8 ^ h>>16 ^ h>>24)
}

// padded reports whether the cell c (not empty) begins or ends with white
// space that strings.TrimSpace would remove.
func padded(c []byte) bool {
	first, _ := utf8.DecodeRune(c)
	last, _ := utf8.DecodeLastRune(c)
	return unicode.IsSpace(first) || unicode.IsSpace(last)
}

// ReadProjectsFast reads the projects file data as ReadProjects does, with
// the file split in chunks of whole lines that the cores parse at once. It
// takes plain files only, as ReadScoresFast does (and an empty id cell, a
// bad timestamp or attributes cell is not plain); for any other, ok is
// false and ReadProjects reads the file and places every problem.
// Projects come back in file order, with their line, and the file's
// [Layout].
func ReadProjectsFast(data []byte, o Options) (projects []Project, layout Layout, ok bool) {
	rd, names, line, body, ok := plainHeader(data, o)
	if !ok {
		return nil, layout, false
	}
	fields, err := readProjectsHeader(rd, names, line, o.ExtraAsAttributes)
	if err != nil || len(rd.problems) > 0 {
		return nil, layout, false
	}
	layout = rd.layout(newNumbers(0).decimalOf(o.Dialect.Decimal, rd.dialect.Comma))
	columns := projectColumns(fields)
	chunks := splitLines(body)
	first := make([]int, len(chunks)) // the line each chunk starts on
	at := 2
	for k, c := range chunks {
		first[k] = at
		at += bytes.Count(c, []byte{'\n'})
	}
	parts := make([][]Project, len(chunks))
	good := make([]bool, len(chunks))
	comma := byte(rd.dialect.Comma)
	parallel.For(context.Background(), len(chunks), 1, func(lo, hi int) error {
		for k := lo; k < hi; k++ {
			parts[k], good[k] = parseProjects(chunks[k], first[k], fields, columns, comma)
		}
		return nil
	})
	n := 0
	for k := range parts {
		if !good[k] {
			return nil, Layout{}, false
		}
		n += len(parts[k])
	}
	if n == 0 {
		return nil, layout, true // as ReadProjects
	}
	projects = make([]Project, 0, n)
	for _, p := range parts {
		projects = append(projects, p...)
	}
	return projects, layout, true
}

// plainHeader reads the header line of a plain file (no quote anywhere, no
// "sep=" line) with the careful reader, so that both readers see the same
// dialect and names; it returns the reader, which holds any problem, and
// the lines after the header. ok is false for a file that is not plain or
// has no header line.
func plainHeader(data []byte, o Options) (rd *reader, names []string, line int, body []byte, ok bool) {
	bom := bytes.HasPrefix(data, utf8BOM)
	data = bytes.TrimPrefix(data, utf8BOM)
	end := bytes.IndexByte(data, '\n')
	// A second BOM is the careful reader's to read (as part of the header).
	if end < 0 || bytes.IndexByte(data, '"') >= 0 || bytes.HasPrefix(data, utf8BOM) || bytes.HasPrefix(data, []byte("sep=")) {
		return nil, nil, 0, nil, false
	}
	rd, err := newReader(bytes.NewReader(data[:end+1]), int64(end+1), o)
	if err != nil {
		return nil, nil, 0, nil, false
	}
	rd.dialect.BOM = bom
	names, line, err = rd.readHeader()
	if err != nil {
		return nil, nil, 0, nil, false
	}
	return rd, names, line, data[end+1:], true
}

// splitLines cuts body into chunks of whole lines, several per core.
func splitLines(body []byte) [][]byte {
	size := max(len(body)/(runtime.GOMAXPROCS(0)*4), 1<<20)
	var chunks [][]byte
	for len(body) > 0 {
		cut := min(size, len(body))
		if i := bytes.IndexByte(body[cut:], '\n'); i >= 0 {
			cut += i + 1
		} else {
			cut = len(body)
		}
		chunks = append(chunks, body[:cut])
		body = body[cut:]
	}
	return chunks
}

// parseProjects returns the projects of the lines in chunk, the first on
// line first, or false if a line is not plain.
func parseProjects(chunk []byte, first int, fields []string, columns map[string]int, comma byte) ([]Project, bool) {
	interned := map[string]*interner{"region": newInterner(), "sector": newInterner(), "cooperative": newInterner()}
	var out []Project
	var cells [][]byte
	for line := first; len(chunk) > 0; line++ {
		var row []byte
		if i := bytes.IndexByte(chunk, '\n'); i >= 0 {
			row, chunk = chunk[:i], chunk[i+1:]
		} else {
			row, chunk = chunk, nil
		}
		row = bytes.TrimSuffix(row, []byte{'\r'})
		if len(row) == 0 {
			continue
		}
		cells = cells[:0]
		for {
			i := bytes.IndexByte(row, comma)
			if i < 0 {
				cells = append(cells, row)
				break
			}
			cells = append(cells, row[:i])
			row = row[i+1:]
		}
		if len(cells) != len(fields) {
			return nil, false
		}
		blank := true
		for _, c := range cells {
			if len(c) > 0 {
				blank = false
				if padded(c) || !utf8.Valid(c) {
					return nil, false
				}
			}
		}
		if blank {
			continue
		}
		p := Project{Line: line, Columns: columns}
		var fromJSON map[string]string
		for i, f := range fields {
			if f == "" {
				continue
			}
			s, _ := textCell(string(cells[i]), interned[f])
			var err error
			switch f {
			case "id":
				if s == "" {
					return nil, false
				}
			case "submitted_at":
				p.SubmittedAt, err = parseTime(s)
			case "attributes":
				fromJSON, err = attributesCell(s)
			}
			if err != nil {
				return nil, false
			}
			p.set(f, s)
		}
		if _, msg := p.mergeAttributes(fromJSON); msg != "" {
			return nil, false
		}
		out = append(out, p)
	}
	return out, true
}
