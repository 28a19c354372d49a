package ranking

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
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
	rules, err := cfg.compile(entries)
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(rules, func(r rule) bool { return r.Kind == HeadToHead }) {
		return flatOrder(entries, cfg, rules), nil
	}
	return blockOrder(ctx, entries, cfg, rules)
}

// blockOrder is Order for any chain: it sorts by total, then splits each
// tied set with the rules in turn, and orders each group on its own, as
// head_to_head needs (its verdicts depend on the tied set).
func blockOrder(ctx context.Context, entries []Entry, cfg Config, rules []rule) ([]Standing, error) {
	idx := make([]int, len(entries))
	for i := range idx {
		idx[i] = i
	}
	totalCmp := func(a, b int) int { return entries[a].Total.Cmp(entries[b].Total) }
	s := &splitter{entries: entries, h2h: &headToHead{ctx: ctx, entries: entries, max: cfg.MaxHeadToHeadPairs}}
	order, decided, err := s.orderOf(idx, rules, totalCmp)
	if err != nil {
		return nil, err
	}
	out := make([]Standing, len(order))
	ranks := assignRanks(decided, cfg.Style)
	pos := make([]int, len(entries)) // entry → position in out
	for k, i := range order {
		out[k] = Standing{Entry: i, ID: entries[i].ID, Rank: ranks[k], DecidedBy: decided[k]}
		pos[i] = k
	}
	if cfg.GroupBy {
		groups, positions := groupsOf(entries, order)
		for _, g := range groups {
			m := make([]int, len(positions[g]))
			for k, at := range positions[g] {
				m[k] = order[at]
			}
			slices.Sort(m) // input order, as Order's own input
			gorder, gdecided, err := s.orderOf(m, rules, totalCmp)
			if err != nil {
				return nil, err
			}
			granks := assignRanks(gdecided, cfg.Style)
			for k, i := range gorder {
				s := &out[pos[i]]
				s.Group, s.GroupRank, s.GroupDecidedBy = g, granks[k], gdecided[k]
			}
		}
	}
	selectTop(out, cfg)
	return out, nil
}

// flatOrder is Order for a chain without head_to_head. Every other rule
// compares two entries on their own, so the order is one sort on the key
// (total, rule 1, …, rule n, input order); what separates two neighbours
// is the first part of the key on which they differ; and a group's order
// is the overall order restricted to the group.
func flatOrder(entries []Entry, cfg Config, rules []rule) []Standing {
	all := make([]int, len(entries))
	for i := range all {
		all[i] = i
	}
	totalCmp := numComparer(len(entries), func(i int) exact.Num { return entries[i].Total })
	cmps := make([]func(a, b int) int, len(rules))
	for k, r := range rules {
		cmps[k] = r.comparer(entries, all)
		switch r.Kind {
		case ByCriterion:
			cmps[k] = criterionComparer(entries, r.crit, cmps[k])
		case ByID:
			cmps[k] = idComparer(entries)
		}
	}
	order := sortOnCores(all, func(a, b int) int {
		if c := totalCmp(b, a); c != 0 {
			return c
		}
		for _, c := range cmps {
			if d := c(a, b); d != 0 {
				return d
			}
		}
		return cmp.Compare(a, b)
	}, runtime.GOMAXPROCS(0), 1<<15)
	// separator says what puts a ahead of b, its follower: "" if nothing.
	separator := func(a, b int) string {
		if totalCmp(a, b) != 0 {
			return "total"
		}
		for k, c := range cmps {
			if c(a, b) != 0 {
				return rules[k].name
			}
		}
		return ""
	}
	decidedOf := func(members []int) []string {
		decided := make([]string, len(members))
		for k := 1; k < len(members); k++ {
			decided[k-1] = separator(members[k-1], members[k])
		}
		return decided
	}
	decided := decidedOf(order)
	ranks := assignRanks(decided, cfg.Style)
	out := make([]Standing, len(order))
	for k, i := range order {
		out[k] = Standing{Entry: i, ID: entries[i].ID, Rank: ranks[k], DecidedBy: decided[k]}
	}
	if cfg.GroupBy {
		groups, positions := groupsOf(entries, order)
		for _, g := range groups {
			pos := positions[g]
			m := make([]int, len(pos))
			for k, at := range pos {
				m[k] = order[at]
			}
			gdecided := decidedOf(m)
			granks := assignRanks(gdecided, cfg.Style)
			for k, at := range pos {
				s := &out[at]
				s.Group, s.GroupRank, s.GroupDecidedBy = g, granks[k], gdecided[k]
			}
		}
	}
	selectTop(out, cfg)
	return out
}

// sortOnCores sorts s by compare, a total order, and returns it (maybe in
// another slice): up to cores parts of at least minPart elements are
// sorted at once, then merged.
func sortOnCores(s []int, compare func(a, b int) int, cores, minPart int) []int {
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
		wg.Add(1)
		go func() {
			defer wg.Done()
			slices.SortFunc(s[bounds[k]:bounds[k+1]], compare)
		}()
	}
	wg.Wait()
	// Merge the sorted runs pairwise until one is left.
	runs := make([][]int, parts)
	for k := range parts {
		runs[k] = s[bounds[k]:bounds[k+1]]
	}
	for len(runs) > 1 {
		var next [][]int
		for k := 0; k < len(runs); k += 2 {
			if k+1 == len(runs) {
				next = append(next, runs[k])
				continue
			}
			a, b := runs[k], runs[k+1]
			m := make([]int, 0, len(a)+len(b))
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

// groupsOf returns the groups of the entries in order, in the order they
// first come, and each group's positions in order.
func groupsOf(entries []Entry, order []int) (groups []string, positions map[string][]int) {
	positions = map[string][]int{}
	for k, i := range order {
		g := entries[i].Group
		if _, ok := positions[g]; !ok {
			groups = append(groups, g)
		}
		positions[g] = append(positions[g], k)
	}
	return groups, positions
}

// selectTop marks the standings within Config.Top of their group (or
// overall without GroupBy).
func selectTop(out []Standing, cfg Config) {
	if cfg.Top <= 0 {
		return
	}
	top := Whole(cfg.Top)
	for k := range out {
		r := out[k].Rank
		if cfg.GroupBy {
			r = out[k].GroupRank
		}
		out[k].Selected = r.Compare(top) <= 0
	}
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

// criterionComparer returns slow, the comparison of a criterion: rule on
// the values of criterion c, or the same on int64 keys when every defined
// value is held inline over one denominator. An undefined value's key is
// math.MinInt64, which no inline Num has: it comes last.
func criterionComparer(entries []Entry, c int, slow func(a, b int) int) func(a, b int) int {
	keys := make([]int64, len(entries))
	var den int64
	for i := range entries {
		v := entries[i].Criteria[c]
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
func idComparer(entries []Entry) func(a, b int) int {
	increasing := true // strictly: sorted, no ID twice
	for i := 1; i < len(entries) && increasing; i++ {
		increasing = entries[i-1].ID < entries[i].ID
	}
	if increasing {
		return func(a, b int) int { return cmp.Compare(a, b) }
	}
	byID := make([]int32, len(entries))
	for i := range byID {
		byID[i] = int32(i)
	}
	slices.SortFunc(byID, func(a, b int32) int { return cmp.Compare(entries[a].ID, entries[b].ID) })
	place := make([]int32, len(entries)) // equal IDs share a place
	for k, i := range byID {
		place[i] = int32(k)
		if k > 0 && entries[byID[k-1]].ID == entries[i].ID {
			place[i] = place[byID[k-1]]
		}
	}
	return func(a, b int) int { return cmp.Compare(place[a], place[b]) }
}

// rule is a compiled rule: its text and how it splits a tied set.
type rule struct {
	Rule
	name string
	crit int // for ByCriterion: the index in Entry.Criteria
}

func (cfg *Config) compile(entries []Entry) ([]rule, error) {
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
		rules[k] = rule{Rule: r, name: r.String(), crit: -1}
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
	byCriterion := slices.ContainsFunc(rules, func(r rule) bool { return r.Kind == ByCriterion })
	for i := range entries {
		if byCriterion && len(entries[i].Criteria) != len(cfg.Criteria) {
			return nil, fmt.Errorf("ranking: entry %d (%q) has %d criterion values, Config.Criteria names %d",
				i, entries[i].ID, len(entries[i].Criteria), len(cfg.Criteria))
		}
	}
	return rules, nil
}

// splitter orders tied sets for blockOrder.
type splitter struct {
	entries []Entry
	h2h     *headToHead // head_to_head's work, shared by every tied set
}

// orderOf orders the entries idx (in input order) and returns them with,
// for each position, what separated it from the next ("" if nothing).
func (s *splitter) orderOf(idx []int, rules []rule, totalCmp func(a, b int) int) (order []int, decided []string, err error) {
	order = slices.Clone(idx)
	slices.SortFunc(order, func(a, b int) int {
		return cmp.Or(totalCmp(b, a), cmp.Compare(a, b))
	})
	decided = make([]string, len(order))
	start := 0
	for k := 1; k <= len(order); k++ {
		if k < len(order) && totalCmp(order[k], order[k-1]) == 0 {
			continue
		}
		if k < len(order) {
			decided[k-1] = "total"
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
func (s *splitter) refine(block []int, decided []string, rules []rule) error {
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
		keyCmp = r.comparer(s.entries, block)
	}
	slices.SortStableFunc(block, func(a, b int) int { return cmp.Or(keyCmp(a, b), cmp.Compare(a, b)) })
	start := 0
	for k := 1; k <= len(block); k++ {
		if k < len(block) && keyCmp(block[k-1], block[k]) == 0 {
			continue
		}
		if k < len(block) {
			decided[k-1] = r.name
		}
		if err := s.refine(block[start:k], decided[start:k], rules[1:]); err != nil {
			return err
		}
		start = k
	}
	return nil
}

// comparer returns how r orders two entries of a tied set: negative when
// the first comes first. head_to_head is splitter.refine's.
func (r rule) comparer(entries []Entry, block []int) func(a, b int) int {
	switch r.Kind {
	case ByCriterion:
		return func(a, b int) int {
			x, y := entries[a].Criteria[r.crit], entries[b].Criteria[r.crit]
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
			x, y := entries[a].SubmittedAt, entries[b].SubmittedAt
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
		return func(a, b int) int { return cmp.Compare(entries[a].ID, entries[b].ID) }
	case Lottery:
		draws := make(map[int][sha256.Size]byte, len(block))
		for _, i := range block {
			draws[i] = sha256.Sum256([]byte(r.Seed + ":" + entries[i].ID))
		}
		return func(a, b int) int {
			x, y := draws[a], draws[b]
			return bytes.Compare(x[:], y[:])
		}
	}
	panic("ranking: unreachable rule kind")
}

// assignRanks gives ranks in style over an order whose decided[k] is ""
// where position k is tied with k+1.
func assignRanks(decided []string, style Style) []Rank {
	ranks := make([]Rank, len(decided))
	runs := 0
	for i := 0; i < len(decided); {
		j := i
		for j < len(decided)-1 && decided[j] == "" {
			j++
		}
		runs++
		for k := i; k <= j; k++ {
			switch style {
			case Modified:
				ranks[k] = Whole(j + 1)
			case Dense:
				ranks[k] = Whole(runs)
			case Ordinal:
				ranks[k] = Whole(k + 1)
			case Fractional:
				ranks[k] = Mid(i+1, j+1)
			default:
				ranks[k] = Whole(i + 1)
			}
		}
		i = j + 1
	}
	return ranks
}
