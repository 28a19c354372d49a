package ranking

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/afkarlab/afkar/exact"
)

// Ballot is one judge's own total of a project, for head_to_head.
type Ballot struct {
	Judge string
	Total exact.Num
}

// Entry is one project to rank.
type Entry struct {
	ID string
	// Total orders the entries, highest first.
	Total exact.Num
	// Criteria holds the values the criterion: rules compare, in the
	// order of Config.Criteria; an undefined value comes after every
	// other.
	Criteria []exact.NullNum
	// SubmittedAt is when the project was submitted; zero if unknown.
	SubmittedAt time.Time
	// Group is the entry's group when Config.GroupBy is set.
	Group string
	// Ballots are judges' own totals of the entry, for head_to_head, in
	// any order; a judge appears at most once.
	Ballots []Ballot
}

// Config says how entries are ordered and ranked. The zero Config orders by
// total alone, in competition style, selects nothing and forms no groups.
type Config struct {
	TieBreak []Rule   // applied in order to split ties; nil: no tie-break
	Style    Style    // if empty, Competition
	Criteria []string // names of Entry.Criteria, for criterion: rules
	GroupBy  bool     // also rank each group (Entry.Group) alone
	Top      int      // select the first Top of each group (or overall without GroupBy); 0: none
	// MaxHeadToHeadPairs bounds the work of head_to_head: the pairs of
	// distinct ballots it compares, summed over every tied set it splits,
	// overall and in each group (entries with identical ballots count as
	// one, and a set of k distinct ballots as k(k−1)/2 pairs). Past it,
	// Order returns a [*PairsError] instead of comparing them. If zero,
	// there is no bound.
	MaxHeadToHeadPairs int
}

// Standing is an entry's place in the order.
type Standing struct {
	Entry int    // index of the entry in the slice given to Order
	ID    string // the entry's ID
	Rank  Rank   // overall rank
	// DecidedBy says what put this entry ahead of the next one: "total",
	// the String of the rule that first separated them, or "" when nothing
	// did (still tied) and for the last entry.
	DecidedBy string
	// Group, GroupRank and GroupDecidedBy are the same within the entry's
	// group; GroupRank is zero without Config.GroupBy.
	Group          string
	GroupRank      Rank
	GroupDecidedBy string
	// Selected reports whether the rank within the group (or overall
	// without GroupBy) is at most Config.Top.
	Selected bool
}

// Table is what [OrderTable] ranks: Len() entries, read by index
// 0 ≤ i < Len(), each method giving what the [Entry] field of the same
// name holds. A caller that keeps its entries in its own form, in
// columns say, gives them through a Table instead of making an Entry
// each. OrderTable reads Criterion only for a criterion: rule,
// SubmittedAt only for submitted_at, Group only with Config.GroupBy and
// AppendBallots only for head_to_head. It may read an entry more than
// once, and from several goroutines at once.
type Table interface {
	Len() int
	ID(i int) string
	Total(i int) exact.Num
	// Criterion returns entry i's value of Config.Criteria[c].
	Criterion(i, c int) exact.NullNum
	SubmittedAt(i int) time.Time
	Group(i int) string
	// AppendBallots appends entry i's ballots to b and returns the
	// extended slice.
	AppendBallots(b []Ballot, i int) []Ballot
}

// Order ranks entries: it returns one Standing per entry, in the final
// order (ties in input order). It reports an error for a Config that names
// an unknown style or criterion, or entries whose Criteria do not match
// Config.Criteria when a criterion: rule needs them, and a [*PairsError]
// when head_to_head would pass Config.MaxHeadToHeadPairs.
func Order(entries []Entry, cfg Config) ([]Standing, error) {
	return OrderContext(context.Background(), entries, cfg)
}

// OrderContext is [Order], given up with ctx.Err() once ctx is done.
// head_to_head, the one rule whose work can grow with the square of a
// tied set, looks at ctx at least every millisecond or so of its work.
func OrderContext(ctx context.Context, entries []Entry, cfg Config) ([]Standing, error) {
	rules, err := cfg.compile()
	if err != nil {
		return nil, err
	}
	if slices.ContainsFunc(rules, func(r rule) bool { return r.Kind == ByCriterion }) {
		for i := range entries {
			if len(entries[i].Criteria) != len(cfg.Criteria) {
				return nil, fmt.Errorf("ranking: entry %d (%q) has %d criterion values, Config.Criteria names %d",
					i, entries[i].ID, len(entries[i].Criteria), len(cfg.Criteria))
			}
		}
	}
	o, err := orderTable(ctx, entryTable(entries), cfg, rules)
	if err != nil {
		return nil, err
	}
	out := make([]Standing, o.Len())
	for k := range out {
		out[k] = o.standing(k)
		out[k].ID = entries[out[k].Entry].ID
	}
	return out, nil
}

// OrderTable ranks the entries of t as [OrderContext] ranks a slice of
// them, and returns their standings in columns: a few bytes an entry
// where OrderContext's Standings take about a hundred. It reports the
// errors OrderContext reports for cfg, and one for a Table of more than
// math.MaxInt32 entries.
func OrderTable(ctx context.Context, t Table, cfg Config) (*Ordering, error) {
	rules, err := cfg.compile()
	if err != nil {
		return nil, err
	}
	if t.Len() > math.MaxInt32 {
		return nil, fmt.Errorf("ranking: %d entries, more than %d", t.Len(), math.MaxInt32)
	}
	return orderTable(ctx, t, cfg, rules)
}

func orderTable(ctx context.Context, t Table, cfg Config, rules []rule) (*Ordering, error) {
	o := newOrdering(t, cfg, rules)
	if !slices.ContainsFunc(rules, func(r rule) bool { return r.Kind == HeadToHead }) {
		flatOrder(o, t, cfg, rules)
		return o, nil
	}
	if err := blockOrder(ctx, o, t, cfg, rules); err != nil {
		return nil, err
	}
	return o, nil
}

// Ordering is [OrderTable]'s result: the standings of a Table's entries in
// the final order, held in columns (12 bytes an entry, 24 with groups).
// Position k, 0 ≤ k < Len(), is the one [Order] would give as its k-th
// Standing; each method returns that Standing's field of the same name.
// An Ordering is not changed once returned: its methods may be called
// from several goroutines at once.
type Ordering struct {
	entry   []int32  // the entry at each position
	rank    []uint32 // each position's rank, in halves
	decided []uint32 // each position's DecidedBy, as an index in names
	names   []string // "", "total", then each rule's name
	top     int
	groupBy bool
	// With Config.GroupBy: each entry's group, as an index in groups, and
	// each position's GroupRank and GroupDecidedBy.
	groupOf      []int32
	groups       []string
	groupRank    []uint32
	groupDecided []uint32
}

// The first indices of Ordering.names: no separation, and the total's.
const (
	decidedNone  = 0
	decidedTotal = 1
)

// Len returns the number of entries ranked.
func (o *Ordering) Len() int { return len(o.entry) }

// Entry returns the index in the Table of the entry at position k.
func (o *Ordering) Entry(k int) int { return int(o.entry[k]) }

// Rank returns the overall rank of position k.
func (o *Ordering) Rank(k int) Rank { return Rank{halves: int(o.rank[k])} }

// DecidedBy returns what put position k ahead of the next: "total", a
// rule's String, or "" when nothing did and for the last position.
func (o *Ordering) DecidedBy(k int) string { return o.names[o.decided[k]] }

// Group returns the group of position k's entry; "" without
// Config.GroupBy.
func (o *Ordering) Group(k int) string {
	if !o.groupBy {
		return ""
	}
	return o.groups[o.groupOf[o.entry[k]]]
}

// GroupRank returns position k's rank within its group; the zero Rank
// without Config.GroupBy.
func (o *Ordering) GroupRank(k int) Rank {
	if !o.groupBy {
		return Rank{}
	}
	return Rank{halves: int(o.groupRank[k])}
}

// GroupDecidedBy is [Ordering.DecidedBy] within position k's group; ""
// without Config.GroupBy.
func (o *Ordering) GroupDecidedBy(k int) string {
	if !o.groupBy {
		return ""
	}
	return o.names[o.groupDecided[k]]
}

// Selected reports whether position k's rank within its group (or
// overall without Config.GroupBy) is at most Config.Top.
func (o *Ordering) Selected(k int) bool {
	if o.top <= 0 {
		return false
	}
	r := o.rank[k]
	if o.groupBy {
		r = o.groupRank[k]
	}
	return int64(r) <= 2*int64(o.top)
}

// standing returns position k's Standing, but for its ID.
func (o *Ordering) standing(k int) Standing {
	return Standing{Entry: o.Entry(k), Rank: o.Rank(k), DecidedBy: o.DecidedBy(k),
		Group: o.Group(k), GroupRank: o.GroupRank(k), GroupDecidedBy: o.GroupDecidedBy(k),
		Selected: o.Selected(k)}
}

// newOrdering returns the Ordering of t under cfg and its rules, with
// its names and groups, before the order.
func newOrdering(t Table, cfg Config, rules []rule) *Ordering {
	o := &Ordering{names: []string{"", "total"}, top: cfg.Top, groupBy: cfg.GroupBy}
	for _, r := range rules {
		o.names = append(o.names, r.name)
	}
	if cfg.GroupBy {
		o.internGroups(t)
	}
	return o
}

// internGroups sets o.groupOf and o.groups from t's groups.
func (o *Ordering) internGroups(t Table) {
	o.groupOf = make([]int32, t.Len())
	at := map[string]int32{}
	last := int32(-1)
	for i := range o.groupOf {
		g := t.Group(i)
		if last >= 0 && o.groups[last] == g { // neighbours often share one
			o.groupOf[i] = last
			continue
		}
		k, ok := at[g]
		if !ok {
			k = int32(len(o.groups))
			at[g] = k
			o.groups = append(o.groups, g)
		}
		o.groupOf[i], last = k, k
	}
}

// byGroup returns the positions of each group, in order: group g's are
// pos[start[g]:start[g+1]].
func (o *Ordering) byGroup() (pos, start []int32) {
	start = make([]int32, len(o.groups)+1)
	for _, i := range o.entry {
		start[o.groupOf[i]+1]++
	}
	for g := range o.groups {
		start[g+1] += start[g]
	}
	pos = make([]int32, len(o.entry))
	fill := slices.Clone(start[:len(o.groups)])
	for k, i := range o.entry {
		g := o.groupOf[i]
		pos[fill[g]] = int32(k)
		fill[g]++
	}
	return pos, start
}

// blockOrder is Order for any chain: it sorts by total, then splits each
// tied set with the rules in turn, and orders each group on its own, as
// head_to_head needs (its verdicts depend on the tied set).
func blockOrder(ctx context.Context, o *Ordering, t Table, cfg Config, rules []rule) error {
	n := t.Len()
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	totalCmp := numComparer(n, t.Total)
	s := &splitter{table: t, h2h: &headToHead{ctx: ctx, table: t, max: cfg.MaxHeadToHeadPairs}}
	order, decided, err := s.orderOf(idx, rules, totalCmp)
	if err != nil {
		return err
	}
	o.entry = make([]int32, n)
	pos := make([]int32, n) // entry → position
	for k, i := range order {
		o.entry[k], pos[i] = int32(i), int32(k)
	}
	o.decided = decided
	o.rank = make([]uint32, n)
	assignRanks(decided, cfg.Style, o.rank)
	if !cfg.GroupBy {
		return nil
	}
	o.groupRank, o.groupDecided = make([]uint32, n), make([]uint32, n)
	gpos, start := o.byGroup()
	// The groups in the order they first come in the overall order:
	// head_to_head charges their tied sets to one budget of pairs in
	// turn, and which passes it first is part of the error.
	seen := make([]bool, len(o.groups))
	for _, i := range o.entry {
		g := o.groupOf[i]
		if seen[g] {
			continue
		}
		seen[g] = true
		m := make([]int, start[g+1]-start[g])
		for k, at := range gpos[start[g]:start[g+1]] {
			m[k] = order[at]
		}
		slices.Sort(m) // input order, as Order's own input
		gorder, gdecided, err := s.orderOf(m, rules, totalCmp)
		if err != nil {
			return err
		}
		granks := make([]uint32, len(gorder))
		assignRanks(gdecided, cfg.Style, granks)
		for k, i := range gorder {
			o.groupRank[pos[i]], o.groupDecided[pos[i]] = granks[k], gdecided[k]
		}
	}
	return nil
}

// flatOrder is Order for a chain without head_to_head. Every other rule
// compares two entries on their own, so the order is one sort on the key
// (total, rule 1, …, rule n, input order); what separates two neighbours
// is the first part of the key on which they differ; and a group's order
// is the overall order restricted to the group.
func flatOrder(o *Ordering, t Table, cfg Config, rules []rule) {
	n := t.Len()
	all := make([]int32, n)
	for i := range all {
		all[i] = int32(i)
	}
	totalCmp := numComparer(n, t.Total)
	cmps := make([]func(a, b int) int, len(rules))
	for k, r := range rules {
		cmps[k] = r.flatComparer(t)
	}
	o.entry = sortOnCores(all, func(a, b int32) int {
		if c := totalCmp(int(b), int(a)); c != 0 {
			return c
		}
		for _, c := range cmps {
			if d := c(int(a), int(b)); d != 0 {
				return d
			}
		}
		return cmp.Compare(a, b)
	}, runtime.GOMAXPROCS(0), 1<<15)
	// separator says what puts a ahead of b, its follower, as an index in
	// o.names.
	separator := func(a, b int32) uint32 {
		if totalCmp(int(a), int(b)) != 0 {
			return decidedTotal
		}
		for k, c := range cmps {
			if c(int(a), int(b)) != 0 {
				return rules[k].at
			}
		}
		return decidedNone
	}
	o.decided = make([]uint32, n)
	for k := 1; k < n; k++ {
		o.decided[k-1] = separator(o.entry[k-1], o.entry[k])
	}
	o.rank = make([]uint32, n)
	assignRanks(o.decided, cfg.Style, o.rank)
	if !cfg.GroupBy {
		return
	}
	o.groupRank, o.groupDecided = make([]uint32, n), make([]uint32, n)
	pos, start := o.byGroup()
	largest := 0
	for g := range o.groups {
		largest = max(largest, int(start[g+1]-start[g]))
	}
	decidedBuf, ranksBuf := make([]uint32, largest), make([]uint32, largest)
	for g := range o.groups {
		members := pos[start[g]:start[g+1]]
		decided, ranks := decidedBuf[:len(members)], ranksBuf[:len(members)]
		for k := 1; k < len(members); k++ {
			decided[k-1] = separator(o.entry[members[k-1]], o.entry[members[k]])
		}
		decided[len(members)-1] = decidedNone
		assignRanks(decided, cfg.Style, ranks)
		for k, at := range members {
			o.groupRank[at], o.groupDecided[at] = ranks[k], decided[k]
		}
	}
}

// entryTable is the Table of a slice of entries.
type entryTable []Entry

func (t entryTable) Len() int                                 { return len(t) }
func (t entryTable) ID(i int) string                          { return t[i].ID }
func (t entryTable) Total(i int) exact.Num                    { return t[i].Total }
func (t entryTable) Criterion(i, c int) exact.NullNum         { return t[i].Criteria[c] }
func (t entryTable) SubmittedAt(i int) time.Time              { return t[i].SubmittedAt }
func (t entryTable) Group(i int) string                       { return t[i].Group }
func (t entryTable) AppendBallots(b []Ballot, i int) []Ballot { return append(b, t[i].Ballots...) }

// sortOnCores sorts s by compare, a total order, and returns it (maybe in
// another slice): up to cores parts of at least minPart elements are
// sorted at once, then merged.
func sortOnCores[E any](s []E, compare func(a, b E) int, cores, minPart int) []E {
	parts := min(cores, len(s)/max(minPart, 1))
	if parts < 2 {
		slices.SortFunc(s, compare)
		return s
	}
	bounds := make([]int, parts+1)
	for k := range bounds {
		bounds[k] = k * len(s) / parts
	}
	var wg sync.WaitGroup
	for k := range parts {
		wg.Go(func() { slices.SortFunc(s[bounds[k]:bounds[k+1]], compare) })
	}
	wg.Wait()
	// Merge the sorted runs pairwise until one is left.
	runs := make([][]E, parts)
	for k := range parts {
		runs[k] = s[bounds[k]:bounds[k+1]]
	}
	for len(runs) > 1 {
		var next [][]E
		for k := 0; k < len(runs); k += 2 {
			if k+1 == len(runs) {
				next = append(next, runs[k])
				continue
			}
			a, b := runs[k], runs[k+1]
			m := make([]E, 0, len(a)+len(b))
			for len(a) > 0 && len(b) > 0 {
				if compare(b[0], a[0]) < 0 {
					m, b = append(m, b[0]), b[1:]
				} else {
					m, a = append(m, a[0]), a[1:]
				}
			}
			next = append(next, append(append(m, a...), b...))
		}
		runs = next
	}
	return runs[0]
}

// numComparer returns a comparison (ascending) of the values num(0) …
// num(n−1). When every value is held inline over one denominator, as
// published values are, it compares int64 keys; otherwise the Nums.
func numComparer(n int, num func(i int) exact.Num) func(a, b int) int {
	keys := make([]int64, n)
	var den int64
	for i := range n {
		k, d, ok := num(i).Frac64()
		if !ok || (den != 0 && d != den) {
			return func(a, b int) int { return num(a).Cmp(num(b)) }
		}
		keys[i], den = k, d
	}
	return func(a, b int) int { return cmp.Compare(keys[a], keys[b]) }
}

// criterionComparer returns the comparison of a criterion: rule on the
// values of criterion c of t's entries, on int64 keys when every defined
// value is held inline over one denominator, else slow. An undefined
// value's key is math.MinInt64, which no inline Num has: it comes last.
func criterionComparer(t Table, c int, slow func(a, b int) int) func(a, b int) int {
	keys := make([]int64, t.Len())
	var den int64
	for i := range keys {
		v := t.Criterion(i, c)
		if !v.Valid {
			keys[i] = math.MinInt64
			continue
		}
		k, d, ok := v.Num.Frac64()
		if !ok || (den != 0 && d != den) {
			return slow
		}
		keys[i], den = k, d
	}
	return func(a, b int) int { return cmp.Compare(keys[b], keys[a]) }
}

// idComparer returns the comparison of the id rule as one of ranks: each
// entry's place in ID order. When the entries come sorted by ID, as
// generated IDs usually do, the places are their indices.
func idComparer(t Table) func(a, b int) int {
	n := t.Len()
	increasing := true // strictly: sorted, no ID twice
	for i := 1; i < n && increasing; i++ {
		increasing = t.ID(i-1) < t.ID(i)
	}
	if increasing {
		return func(a, b int) int { return cmp.Compare(a, b) }
	}
	byID := make([]int32, n)
	for i := range byID {
		byID[i] = int32(i)
	}
	slices.SortFunc(byID, func(a, b int32) int { return cmp.Compare(t.ID(int(a)), t.ID(int(b))) })
	place := make([]int32, n) // equal IDs share a place
	for k, i := range byID {
		place[i] = int32(k)
		if k > 0 && t.ID(int(byID[k-1])) == t.ID(int(i)) {
			place[i] = place[byID[k-1]]
		}
	}
	return func(a, b int) int { return cmp.Compare(place[a], place[b]) }
}

// submittedComparer returns slow, the comparison of the submitted_at rule
// over all of t's entries, or the same on int64 keys, the instants'
// UnixNano with none last, when every instant has one; when no entry has
// an instant, one that finds every pair equal.
func submittedComparer(t Table, slow func(a, b int) int) func(a, b int) int {
	n := t.Len()
	i := 0
	for i < n && t.SubmittedAt(i).IsZero() {
		i++
	}
	if i == n {
		return func(a, b int) int { return 0 }
	}
	first, last := time.Unix(0, math.MinInt64), time.Unix(0, math.MaxInt64)
	keys := make([]int64, n)
	for i := range keys {
		at := t.SubmittedAt(i)
		switch {
		case at.IsZero():
			keys[i] = math.MaxInt64 // after every key below
		case at.Before(first) || !at.Before(last):
			return slow
		default:
			keys[i] = at.UnixNano()
		}
	}
	return func(a, b int) int { return cmp.Compare(keys[a], keys[b]) }
}

// lotteryComparer returns the comparison of a lottery rule over all of
// t's entries: on the first 8 bytes of each draw, kept for every entry,
// and on the whole draws, computed again, when those are equal.
func lotteryComparer(t Table, seed string) func(a, b int) int {
	draw := func(i int) [sha256.Size]byte { return sha256.Sum256([]byte(seed + ":" + t.ID(i))) }
	keys := make([]uint64, t.Len())
	for i := range keys {
		d := draw(i)
		keys[i] = binary.BigEndian.Uint64(d[:8])
	}
	return func(a, b int) int {
		if c := cmp.Compare(keys[a], keys[b]); c != 0 {
			return c
		}
		x, y := draw(a), draw(b)
		return bytes.Compare(x[:], y[:])
	}
}

// rule is a compiled rule: its text and how it splits a tied set.
type rule struct {
	Rule
	name string
	at   uint32 // the index of name in Ordering.names
	crit int    // for ByCriterion: the index in Config.Criteria
}

func (cfg *Config) compile() ([]rule, error) {
	switch cfg.Style {
	case "", Competition, Modified, Dense, Ordinal, Fractional:
	default:
		return nil, fmt.Errorf("ranking: unknown style %q", cfg.Style)
	}
	if cfg.Top < 0 {
		return nil, fmt.Errorf("ranking: top %d is negative", cfg.Top)
	}
	rules := make([]rule, len(cfg.TieBreak))
	for k, r := range cfg.TieBreak {
		rules[k] = rule{Rule: r, name: r.String(), at: uint32(2 + k), crit: -1}
		switch r.Kind {
		case ByCriterion:
			rules[k].crit = slices.Index(cfg.Criteria, r.Criterion)
			if rules[k].crit < 0 {
				return nil, fmt.Errorf("ranking: rule %q names an unknown criterion %q", r, r.Criterion)
			}
		case HeadToHead, SubmittedAt, ByID:
		case Lottery:
			if r.Seed == "" {
				return nil, fmt.Errorf("ranking: a lottery rule needs a seed")
			}
		default:
			return nil, fmt.Errorf("ranking: invalid rule kind %d", r.Kind)
		}
	}
	return rules, nil
}

// splitter orders tied sets for blockOrder.
type splitter struct {
	table Table
	h2h   *headToHead // head_to_head's work, shared by every tied set
}

// orderOf orders the entries idx (in input order) and returns them with,
// for each position, what separated it from the next (an index in
// Ordering.names).
func (s *splitter) orderOf(idx []int, rules []rule, totalCmp func(a, b int) int) (order []int, decided []uint32, err error) {
	order = slices.Clone(idx)
	slices.SortFunc(order, func(a, b int) int {
		return cmp.Or(totalCmp(b, a), cmp.Compare(a, b))
	})
	decided = make([]uint32, len(order))
	start := 0
	for k := 1; k <= len(order); k++ {
		if k < len(order) && totalCmp(order[k], order[k-1]) == 0 {
			continue
		}
		if k < len(order) {
			decided[k-1] = decidedTotal
		}
		if err := s.refine(order[start:k], decided[start:k], rules); err != nil {
			return nil, nil, err
		}
		start = k
	}
	return order, decided, nil
}

// refine orders a tied set, block, in input order, with rules, and writes
// into decided[i] what separates block[i] from block[i+1], except for the
// last position, which the caller owns.
func (s *splitter) refine(block []int, decided []uint32, rules []rule) error {
	if len(block) < 2 || len(rules) == 0 {
		return nil
	}
	r := rules[0]
	var keyCmp func(a, b int) int
	if r.Kind == HeadToHead {
		// The wins of block's entries, in s.h2h.wins: the sub-blocks
		// refined below (the rule may come twice) overwrite only their
		// own entries', which the loop below no longer compares.
		if err := s.h2h.split(block); err != nil {
			return err
		}
		wins := s.h2h.wins
		keyCmp = func(a, b int) int { return cmp.Compare(wins[b], wins[a]) }
	} else {
		keyCmp = r.comparer(s.table, block)
	}
	slices.SortStableFunc(block, func(a, b int) int { return cmp.Or(keyCmp(a, b), cmp.Compare(a, b)) })
	start := 0
	for k := 1; k <= len(block); k++ {
		if k < len(block) && keyCmp(block[k-1], block[k]) == 0 {
			continue
		}
		if k < len(block) {
			decided[k-1] = r.at
		}
		if err := s.refine(block[start:k], decided[start:k], rules[1:]); err != nil {
			return err
		}
		start = k
	}
	return nil
}

// flatComparer returns how r orders any two of t's entries (not
// head_to_head, whose verdicts depend on the tied set): negative when the
// first comes first.
func (r rule) flatComparer(t Table) func(a, b int) int {
	switch r.Kind {
	case ByCriterion:
		return criterionComparer(t, r.crit, r.comparer(t, nil))
	case ByID:
		return idComparer(t)
	case Lottery:
		return lotteryComparer(t, r.Seed)
	case SubmittedAt:
		return submittedComparer(t, r.comparer(t, nil))
	}
	return r.comparer(t, nil)
}

// comparer returns how r orders two entries of a tied set, block:
// negative when the first comes first. head_to_head is splitter.refine's.
func (r rule) comparer(t Table, block []int) func(a, b int) int {
	switch r.Kind {
	case ByCriterion:
		return func(a, b int) int {
			x, y := t.Criterion(a, r.crit), t.Criterion(b, r.crit)
			switch {
			case !x.Valid && !y.Valid:
				return 0
			case !x.Valid:
				return 1
			case !y.Valid:
				return -1
			}
			return y.Num.Cmp(x.Num)
		}
	case SubmittedAt:
		return func(a, b int) int {
			x, y := t.SubmittedAt(a), t.SubmittedAt(b)
			switch {
			case x.IsZero() && y.IsZero():
				return 0
			case x.IsZero():
				return 1
			case y.IsZero():
				return -1
			}
			return x.Compare(y)
		}
	case ByID:
		return func(a, b int) int { return cmp.Compare(t.ID(a), t.ID(b)) }
	case Lottery:
		draws := make(map[int][sha256.Size]byte, len(block))
		for _, i := range block {
			draws[i] = sha256.Sum256([]byte(r.Seed + ":" + t.ID(i)))
		}
		return func(a, b int) int {
			x, y := draws[a], draws[b]
			return bytes.Compare(x[:], y[:])
		}
	}
	panic("ranking: unreachable rule kind")
}

// assignRanks sets ranks[k], in halves, to the rank in style of position
// k of an order whose decided[k] is decidedNone where position k is tied
// with k+1.
func assignRanks(decided []uint32, style Style, ranks []uint32) {
	runs := 0
	for i := 0; i < len(decided); {
		j := i
		for j < len(decided)-1 && decided[j] == decidedNone {
			j++
		}
		runs++
		for k := i; k <= j; k++ {
			var r Rank
			switch style {
			case Modified:
				r = Whole(j + 1)
			case Dense:
				r = Whole(runs)
			case Ordinal:
				r = Whole(k + 1)
			case Fractional:
				r = Mid(i+1, j+1)
			default:
				r = Whole(i + 1)
			}
			ranks[k] = uint32(r.halves)
		}
		i = j + 1
	}
}
