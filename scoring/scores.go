package scoring

import (
	"iter"
	"slices"
	"sync/atomic"

	"github.com/shopspring/decimal"
)

// Scores is a table of scores in input order, held compactly: each
// distinct judge, project and criterion ID is stored once, as is each
// distinct value of up to 18 digits, and a score is four integers that
// refer to them. A million projects scored by five judges on six criteria
// take about 480 MB as a []Score and 16 bytes a score here, none of it
// memory the garbage collector has to scan.
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
	// One entry per score: the indices of its judge, project, criterion
	// and value.
	judge, project, criterion, value []int32
	// frozen says that a snapshot shares the columns: Set copies them
	// before writing.
	frozen atomic.Bool
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
		judge:  capped(t.judge), project: capped(t.project), criterion: capped(t.criterion), value: capped(t.value),
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
		t.judge = append(t.judge, t.judges.add(sc.Judge))
		t.project = append(t.project, t.projects.add(sc.Project))
		t.criterion = append(t.criterion, t.criteria.add(sc.Criterion))
		t.value = append(t.value, t.addValue(sc.Value))
	}
}

// Grow makes room for n more scores, so that appending them does not copy
// the table.
func (s *Scores) Grow(n int) {
	t := s.table()
	grow := func(col []int32) []int32 {
		if cap(col)-len(col) >= n {
			return col
		}
		return append(make([]int32, 0, len(col)+n), col...)
	}
	t.judge, t.project, t.criterion, t.value = grow(t.judge), grow(t.project), grow(t.criterion), grow(t.value)
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
// would one by one, looking up each of o's distinct IDs and values once.
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
	for i := range u.judge {
		t.judge = append(t.judge, judges[u.judge[i]])
		t.project = append(t.project, projects[u.project[i]])
		t.criterion = append(t.criterion, criteria[u.criterion[i]])
		t.value = append(t.value, values[u.value[i]])
	}
}

// Set replaces score i.
func (s *Scores) Set(i int, sc Score) {
	t := s.table()
	_ = t.judge[i] // bounds
	if t.frozen.Load() {
		t.judge, t.project = slices.Clone(t.judge), slices.Clone(t.project)
		t.criterion, t.value = slices.Clone(t.criterion), slices.Clone(t.value)
		t.frozen.Store(false)
	}
	t.judge[i] = t.judges.add(sc.Judge)
	t.project[i] = t.projects.add(sc.Project)
	t.criterion[i] = t.criteria.add(sc.Criterion)
	t.value[i] = t.addValue(sc.Value)
}

// Len returns the number of scores.
func (s Scores) Len() int {
	if s.t == nil {
		return 0
	}
	return len(s.t.judge)
}

// At returns score i, 0 ≤ i < Len().
func (s Scores) At(i int) Score {
	t := s.t
	return Score{
		Judge:     t.judges.list[t.judge[i]],
		Project:   t.projects.list[t.project[i]],
		Criterion: t.criteria.list[t.criterion[i]],
		Value:     t.values[t.value[i]],
	}
}

// value returns the value of score i.
func (s Scores) value(i int) decimal.Decimal { return s.t.values[s.t.value[i]] }

// Distinct returns the table's judge, project and criterion IDs, each
// once, in the order they were first added, and its values (each value of
// up to 18 digits once while there are fewer than 65,536 of them; others
// as they came). After Set they may hold IDs and values no score has any
// more. Ref says which of them each score has. The slices are the table's
// own: do not modify them.
func (s Scores) Distinct() (judges, projects, criteria []string, values []decimal.Decimal) {
	if s.t == nil {
		return nil, nil, nil, nil
	}
	return s.t.judges.list, s.t.projects.list, s.t.criteria.list, s.t.values
}

// Ref returns the indices of score i's judge, project, criterion and value
// in the slices Distinct returns.
func (s Scores) Ref(i int) (judge, project, criterion, value int32) {
	t := s.t
	return t.judge[i], t.project[i], t.criterion[i], t.value[i]
}

// All yields each score with its index, in order.
func (s Scores) All() iter.Seq2[int, Score] {
	return func(yield func(int, Score) bool) {
		for i := range s.Len() {
			if !yield(i, s.At(i)) {
				return
			}
		}
	}
}

// Slice returns the scores as a slice, in order.
func (s Scores) Slice() []Score {
	out := make([]Score, s.Len())
	for i := range out {
		out[i] = s.At(i)
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
