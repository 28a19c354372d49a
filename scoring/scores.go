package scoring

import (
	"iter"
	"slices"
	"sync/atomic"

	"github.com/shopspring/decimal"
)

// Scores is a table of scores in input order, held compactly: each
// distinct judge, project and criterion ID is stored once, as is each
// distinct value of up to 18 digits. A run of consecutive scores of one
// project is stored once (its first score and its project), and each
// distinct (judge, criterion, value) of the table, a cell, once too, so that
// a score is a 16-bit cell code: two bytes a score when scores come grouped
// by project (each project's run holds its judges' scores) and from a grid
// of values, as scores do. A table whose cells outgrow the 16-bit codes (more
// than 65,536 distinct (judge, criterion, value), say arbitrary decimals)
// switches inside, once, to three 32-bit columns, 12 bytes a score; one whose
// projects come interleaved costs 8 bytes a run. Nothing the garbage
// collector has to scan either way.
//
// The zero Scores is empty and ready to use. Once it holds a score, a
// Scores refers to its table, as a map does: copies share it, and Append
// through one is seen through all (Clone makes an independent copy).
// Methods that only read may be called from any number of goroutines at
// once; Append and Set must not run while anything else uses the table. A
// [Result] keeps the scores it was computed from: a later Set copies the
// table's columns first (once), so the Result never sees it.
type Scores struct {
	t *scoreTable
}

type scoreTable struct {
	judges, projects, criteria ids
	values                     []decimal.Decimal
	valueOf                    map[valueKey]int32 // values of up to 18 digits, while maxSharedValues is not reached
	recent                     [64]recentValue    // a cache of valueOf, by a hash of the key
	n                          int                // the number of scores
	// Runs of consecutive scores of one project: run r is the scores
	// [runStart[r], runStart[r+1]) (the last up to n), of project
	// runProject[r].
	runStart, runProject []int32
	// The coded form, while wide is false: score i is cells[code[i]].
	code       []uint16
	cells      []cell
	cellOf     map[cell]uint16
	recentCell [4096]recentCell // a cache of cellOf, by a hash of the cell
	// The wide form: score i is the judge, criterion and value indices
	// judge[i], criterion[i], value[i].
	wide                    bool
	judge, criterion, value []int32
	// frozen says that a snapshot shares the columns: Set copies them
	// before writing.
	frozen atomic.Bool
}

// cell is a score without its project: the indices of its judge,
// criterion and value.
type cell struct{ judge, criterion, value int32 }

// recentCell is an entry of a table's cache of cells: code+1 (0 for an
// empty entry) and the cell.
type recentCell struct {
	cell cell
	code int32
}

// maxCells is the number of distinct cells that 16-bit codes can name.
const maxCells = 1 << 16

// projectIndex returns the table's map of its project IDs to their
// indices, nil if it has none (an empty table, or one joined by AppendAll
// and not added to since). The caller must not modify it, nor keep it
// beyond a time when nothing may change the table.
func (s Scores) projectIndex() map[string]int32 {
	if s.t == nil {
		return nil
	}
	return s.t.projects.index
}

// snapshot returns a view of the table as it is: Append and Set on s are
// not seen through it.
func (s Scores) snapshot() Scores {
	t := s.t
	if t == nil {
		return s
	}
	t.frozen.Store(true)
	capped := func(col []int32) []int32 { return col[:len(col):len(col)] }
	list := func(d ids) ids { return ids{list: d.list[:len(d.list):len(d.list)]} }
	return Scores{&scoreTable{
		judges: list(t.judges), projects: list(t.projects), criteria: list(t.criteria),
		values: t.values[:len(t.values):len(t.values)],
		n:      t.n, runStart: capped(t.runStart), runProject: capped(t.runProject),
		code: t.code[:len(t.code):len(t.code)], cells: t.cells[:len(t.cells):len(t.cells)],
		wide:  t.wide,
		judge: capped(t.judge), criterion: capped(t.criterion), value: capped(t.value),
	}}
}

// maxSharedValues bounds the values a table looks up to store each once:
// scores come from a grid of a few dozen values, and a table of arbitrary
// values should not pay for a map of millions.
const maxSharedValues = 1 << 16

// valueKey identifies a decimal of up to 18 digits: 17.5 and 17.50 differ.
type valueKey struct {
	coef int64
	exp  int32
}

// recentValue is an entry of a table's cache of values: index+1 (0 for an
// empty entry) and key.
type recentValue struct {
	key   valueKey
	index int32
}

// ids is a list of distinct IDs with their index.
type ids struct {
	list  []string
	index map[string]int32
	last  int32 // index of the last ID added or found: scores come grouped
}

func (d *ids) add(s string) int32 {
	if len(d.list) > 0 {
		if d.list[d.last] == s {
			return d.last
		}
		// Judges and criteria come round in turn: try the next one.
		next := d.last + 1
		if int(next) == len(d.list) {
			next = 0
		}
		if d.list[next] == s {
			d.last = next
			return next
		}
	}
	d.indexed()
	i, ok := d.index[s]
	if !ok {
		if d.index == nil {
			d.index = make(map[string]int32)
		}
		i = int32(len(d.list))
		d.list = append(d.list, s)
		d.index[s] = i
	}
	d.last = i
	return i
}

// indexed makes the index of the list again if it was dropped (see
// AppendAll).
func (d *ids) indexed() {
	if d.index == nil && len(d.list) > 0 {
		d.index = make(map[string]int32, len(d.list))
		for i, id := range d.list {
			d.index[id] = int32(i)
		}
	}
}

// ScoresOf returns a table of the scores ss.
func ScoresOf(ss ...Score) Scores {
	var t Scores
	t.Append(ss...)
	return t
}

func (s *Scores) table() *scoreTable {
	if s.t == nil {
		s.t = &scoreTable{}
	}
	return s.t
}

// Append adds ss at the end of the table.
func (s *Scores) Append(ss ...Score) {
	t := s.table()
	for _, sc := range ss {
		j, p, c := t.judges.add(sc.Judge), t.projects.add(sc.Project), t.criteria.add(sc.Criterion)
		t.push(p, cell{j, c, t.addValue(sc.Value)})
	}
}

// push appends a score of project p and cell x.
func (t *scoreTable) push(p int32, x cell) {
	if len(t.runProject) == 0 || t.runProject[len(t.runProject)-1] != p {
		t.runStart = append(t.runStart, int32(t.n))
		t.runProject = append(t.runProject, p)
	}
	t.n++
	if !t.wide {
		if k, ok := t.codeOf(x); ok {
			t.code = append(t.code, k)
			return
		}
		t.widen()
	}
	t.judge = append(t.judge, x.judge)
	t.criterion = append(t.criterion, x.criterion)
	t.value = append(t.value, x.value)
}

// codeOf returns the code of cell x, adding it; ok is false when the codes
// are all taken.
func (t *scoreTable) codeOf(x cell) (uint16, bool) {
	slot := &t.recentCell[(uint64(x.judge)*0x9E3779B97F4A7C15^uint64(x.criterion)*0xC2B2AE3D27D4EB4F^uint64(x.value)*0x165667B19E3779F9)>>52]
	if slot.code > 0 && slot.cell == x {
		return uint16(slot.code - 1), true
	}
	k, ok := t.cellOf[x]
	if !ok {
		if len(t.cells) == maxCells {
			return 0, false
		}
		if t.cellOf == nil {
			t.cellOf = make(map[cell]uint16)
		}
		k = uint16(len(t.cells))
		t.cells = append(t.cells, x)
		t.cellOf[x] = k
	}
	*slot = recentCell{x, int32(k) + 1}
	return k, true
}

// widen switches the table to the wide form: the coded scores move to
// three columns.
func (t *scoreTable) widen() {
	m := len(t.code)
	t.judge, t.criterion, t.value = make([]int32, m, m+m/4+1), make([]int32, m, m+m/4+1), make([]int32, m, m+m/4+1)
	for i, k := range t.code {
		x := t.cells[k]
		t.judge[i], t.criterion[i], t.value[i] = x.judge, x.criterion, x.value
	}
	t.wide, t.code, t.cells, t.cellOf = true, nil, nil, nil
	t.recentCell = [4096]recentCell{}
}

// cellAt returns score i without its project.
func (t *scoreTable) cellAt(i int) cell {
	if t.wide {
		return cell{t.judge[i], t.criterion[i], t.value[i]}
	}
	return t.cells[t.code[i]]
}

// runOf returns the run that holds score i.
func (t *scoreTable) runOf(i int) int {
	r, found := slices.BinarySearch(t.runStart, int32(i))
	if !found {
		r--
	}
	return r
}

// runEnd returns the end of run r: one past its last score.
func (t *scoreTable) runEnd(r int) int {
	if r+1 < len(t.runStart) {
		return int(t.runStart[r+1])
	}
	return t.n
}

// Grow makes room for n more scores, so that appending them does not copy
// the table.
func (s *Scores) Grow(n int) {
	t := s.table()
	if t.wide {
		grow := func(col []int32) []int32 { return slices.Grow(col, n) }
		t.judge, t.criterion, t.value = grow(t.judge), grow(t.criterion), grow(t.value)
		return
	}
	t.code = slices.Grow(t.code, n)
}

func (t *scoreTable) addValue(v decimal.Decimal) int32 {
	if v.NumDigits() <= 18 {
		k := valueKey{v.CoefficientInt64(), v.Exponent()}
		slot := &t.recent[(uint64(k.coef)*0x9E3779B97F4A7C15+uint64(k.exp))>>58]
		if slot.index > 0 && slot.key == k {
			return slot.index - 1
		}
		if i, ok := t.valueOf[k]; ok {
			*slot = recentValue{k, i + 1}
			return i
		}
		if len(t.valueOf) < maxSharedValues {
			if t.valueOf == nil {
				t.valueOf = make(map[valueKey]int32)
			}
			t.valueOf[k] = int32(len(t.values))
			*slot = recentValue{k, int32(len(t.values)) + 1}
		}
	}
	t.values = append(t.values, v)
	return int32(len(t.values) - 1)
}

// AppendScores adds the scores of o at the end of the table, as Append
// would one by one, looking up each of o's distinct IDs, values and cells
// once.
func (s *Scores) AppendScores(o Scores) {
	if o.Len() == 0 {
		return
	}
	t, u := s.table(), o.t
	if t == u {
		o = o.Clone()
		u = o.t
	}
	remap := func(dst *ids, src []string) []int32 {
		out := make([]int32, len(src))
		dst.list = slices.Grow(dst.list, len(src))
		for i, id := range src {
			out[i] = dst.add(id)
		}
		return out
	}
	judges, projects, criteria := remap(&t.judges, u.judges.list), remap(&t.projects, u.projects.list), remap(&t.criteria, u.criteria.list)
	values := make([]int32, len(u.values))
	for i, v := range u.values {
		values[i] = t.addValue(v)
	}
	t.runStart, t.runProject = slices.Grow(t.runStart, len(u.runStart)), slices.Grow(t.runProject, len(u.runProject))
	mapped := func(x cell) cell { return cell{judges[x.judge], criteria[x.criterion], values[x.value]} }
	// A coded part's cells are looked up once each.
	var codes []int32 // code in t + 1 of each of u's cells; 0: not yet
	if !u.wide {
		codes = make([]int32, len(u.cells))
	}
	for r := range u.runStart {
		p := projects[u.runProject[r]]
		for i := int(u.runStart[r]); i < u.runEnd(r); i++ {
			if codes == nil || t.wide {
				t.push(p, mapped(u.cellAt(i)))
				continue
			}
			k := u.code[i]
			if codes[k] == 0 {
				c, ok := t.codeOf(mapped(u.cells[k]))
				if !ok {
					t.push(p, mapped(u.cells[k])) // widens t
					continue
				}
				codes[k] = int32(c) + 1
			}
			if len(t.runProject) == 0 || t.runProject[len(t.runProject)-1] != p {
				t.runStart = append(t.runStart, int32(t.n))
				t.runProject = append(t.runProject, p)
			}
			t.n++
			t.code = append(t.code, uint16(codes[k]-1))
		}
	}
}

// AppendAll adds the scores of each part at the end of the table, in turn,
// as AppendScores would, with room made once for all of them and their
// distinct IDs (a reader that parses a file in chunks joins them so).
func (s *Scores) AppendAll(parts ...Scores) {
	t := s.table()
	var n, judges, projects, criteria int
	for _, p := range parts {
		if p.t == nil {
			continue
		}
		n += p.Len()
		judges += len(p.t.judges.list)
		projects += len(p.t.projects.list)
		criteria += len(p.t.criteria.list)
	}
	s.Grow(n)
	t.judges.reserve(judges)
	t.projects.reserve(projects)
	t.criteria.reserve(criteria)
	for _, p := range parts {
		s.AppendScores(p)
	}
	// A reader's table is read, seldom added to: the map of its project
	// IDs (some 50 bytes a project) is dropped, and made again by the
	// next Append or Set that needs it.
	t.projects.index = nil
}

// reserve makes room for up to n more IDs, so that adding them does not
// grow the index again and again.
func (d *ids) reserve(n int) {
	if n < 1024 {
		return
	}
	d.list = slices.Grow(d.list, n)
	d.indexed()
	index := make(map[string]int32, len(d.index)+n)
	for k, v := range d.index {
		index[k] = v
	}
	d.index = index
}

// Set replaces score i. It costs a copy of the runs when it changes the
// project of a score.
func (s *Scores) Set(i int, sc Score) {
	t := s.table()
	if i < 0 || i >= t.n {
		panic("scoring: Set index out of range")
	}
	if t.frozen.Load() {
		t.runStart, t.runProject = slices.Clone(t.runStart), slices.Clone(t.runProject)
		t.code = slices.Clone(t.code)
		t.judge, t.criterion, t.value = slices.Clone(t.judge), slices.Clone(t.criterion), slices.Clone(t.value)
		t.frozen.Store(false)
	}
	j, p, c := t.judges.add(sc.Judge), t.projects.add(sc.Project), t.criteria.add(sc.Criterion)
	x := cell{j, c, t.addValue(sc.Value)}
	if r := t.runOf(i); t.runProject[r] != p {
		t.setProject(i, r, p)
	}
	if !t.wide {
		if k, ok := t.codeOf(x); ok {
			t.code[i] = k
			return
		}
		t.widen()
	}
	t.judge[i], t.criterion[i], t.value[i] = x.judge, x.criterion, x.value
}

// setProject makes score i, of run r, a score of project p: the run is cut
// around it and runs of the same project joined again.
func (t *scoreTable) setProject(i, r int, p int32) {
	var starts, projects []int32
	starts = append(starts, t.runStart[:r]...)
	projects = append(projects, t.runProject[:r]...)
	push := func(start int, proj int32) {
		if len(projects) > 0 && projects[len(projects)-1] == proj {
			return
		}
		starts, projects = append(starts, int32(start)), append(projects, proj)
	}
	if int(t.runStart[r]) < i {
		push(int(t.runStart[r]), t.runProject[r])
	}
	push(i, p)
	if i+1 < t.runEnd(r) {
		push(i+1, t.runProject[r])
	}
	for k := r + 1; k < len(t.runStart); k++ {
		push(int(t.runStart[k]), t.runProject[k])
	}
	t.runStart, t.runProject = starts, projects
}

// Len returns the number of scores.
func (s Scores) Len() int {
	if s.t == nil {
		return 0
	}
	return s.t.n
}

// At returns score i, 0 ≤ i < Len(). It finds the project's run in a
// binary search: All and Refs read the scores in order faster.
func (s Scores) At(i int) Score {
	t := s.t
	return t.score(i, t.runProject[t.runOf(i)])
}

// score returns score i of project p (an index in the table's projects).
func (t *scoreTable) score(i int, p int32) Score {
	x := t.cellAt(i)
	return Score{
		Judge:     t.judges.list[x.judge],
		Project:   t.projects.list[p],
		Criterion: t.criteria.list[x.criterion],
		Value:     t.values[x.value],
	}
}

// Distinct returns the table's judge, project and criterion IDs, each
// once, in the order they were first added, and its values (each value of
// up to 18 digits once while there are fewer than 65,536 of them; others
// as they came). After Set they may hold IDs and values no score has any
// more. Ref and Refs say which of them each score has. The slices are the
// table's own: do not modify them.
func (s Scores) Distinct() (judges, projects, criteria []string, values []decimal.Decimal) {
	if s.t == nil {
		return nil, nil, nil, nil
	}
	return s.t.judges.list, s.t.projects.list, s.t.criteria.list, s.t.values
}

// Ref is a score as the indices of its judge, project, criterion and value
// in the slices Distinct returns.
type Ref struct {
	Judge, Project, Criterion, Value int32
}

// Ref returns the indices of score i's judge, project, criterion and value
// in the slices Distinct returns. Like At, it finds the project's run in a
// binary search: Refs reads the scores in order faster.
func (s Scores) Ref(i int) (judge, project, criterion, value int32) {
	t := s.t
	x := t.cellAt(i)
	return x.judge, t.runProject[t.runOf(i)], x.criterion, x.value
}

// Refs yields each score with its index, in order, as Ref returns it.
func (s Scores) Refs() iter.Seq2[int, Ref] {
	return func(yield func(int, Ref) bool) {
		if s.t == nil {
			return
		}
		t := s.t
		for r, p := range t.runProject {
			for i := int(t.runStart[r]); i < t.runEnd(r); i++ {
				x := t.cellAt(i)
				if !yield(i, Ref{x.judge, p, x.criterion, x.value}) {
					return
				}
			}
		}
	}
}

// All yields each score with its index, in order.
func (s Scores) All() iter.Seq2[int, Score] {
	return func(yield func(int, Score) bool) {
		if s.t == nil {
			return
		}
		t := s.t
		for r, p := range t.runProject {
			for i := int(t.runStart[r]); i < t.runEnd(r); i++ {
				if !yield(i, t.score(i, p)) {
					return
				}
			}
		}
	}
}

// Slice returns the scores as a slice, in order.
func (s Scores) Slice() []Score {
	out := make([]Score, 0, s.Len())
	for _, sc := range s.All() {
		out = append(out, sc)
	}
	return out
}

// Clone returns an independent copy of the table.
func (s Scores) Clone() Scores {
	var c Scores
	c.Grow(s.Len())
	for _, sc := range s.All() {
		c.Append(sc)
	}
	return c
}
