// Package sensitivity asks whether a ranking would change under other
// criterion weights, exactly where it can and by simulation where it
// cannot.
//
// A [Model] is a dataset scored once: the exact criterion aggregates of
// its eligible projects, its ranking rules and its current standings.
// Totals are linear in the weights,
//
//	T(P) = Σ_c w'(c) · N(P,c),  N(P,c) = total_max · (a(P,c) − min_c) / (max_c − min_c),
//
// so any other effective weights give exact totals without scoring again.
// Eligibility is held as published: the quorum and the criterion
// thresholds do not depend on weights, and the total threshold, which
// does, is not applied again, so that every set of weights ranks the same
// projects.
//
// [Model.Stability] moves one criterion's weight at a time to t and
// rescales the others by (1 − t)/(1 − w'(c)); it finds, exactly, with
// rationals, the interval of t around w'(c) over which every selected
// project's exact total stays at least every unselected project's of the
// same group. [Model.MonteCarlo] draws weights at random and ranks each
// sample with package ranking's Order, as afkar.Evaluate would rank the
// dataset with those weights; [Model.Rank] ranks one set of weights.
//
// No float64 touches a total, a weight or a rank: random weights are drawn
// as exact rationals from random integers, and totals are computed and
// rounded exactly. Only the summaries of the simulation (probabilities)
// are float64.
//
// # Concurrency
//
// A Model is immutable once built: its methods may run in many goroutines
// at once. MonteCarlo runs its own worker goroutines and returns only when
// they have all stopped.
package sensitivity

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"time"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/analysis/internal/scored"
	"github.com/afkarlab/afkar/exact"
	"github.com/afkarlab/afkar/ranking"
	"github.com/afkarlab/afkar/scoring"
)

// Model is a dataset scored once, ready to be ranked again under other
// weights. Build one with [New].
type Model struct {
	criteria []string
	weights  []*big.Rat // effective weights w'(c)
	places   int
	mode     scoring.RoundingMode
	exact    bool // tie_on: exact
	h2h      bool // head_to_head is in the tie-break chain
	cfg      ranking.Config
	projects []project // the eligible projects, in input order
	current  []ranking.Standing
	fast     *integers // nil: the exact rationals need big integers
	// Without head_to_head, every tie-break rule compares two projects on
	// values the weights do not change: class[p] is project p's place in
	// the order of the tie-break chain alone (projects still tied share
	// it), so that a sample's order is (total, class, input order).
	class   []int32
	chain   []int32 // the projects in that order, ties in input order
	at      []int32 // project p's position in chain
	groupOf []int32 // project p's group, an index; all 0 without group_by
	groups  int
}

// project is an eligible project as the model ranks it.
type project struct {
	id        string
	group     string
	submitted time.Time
	total     *big.Rat        // exact total at the dataset's weights
	norm      []*big.Rat      // N(P,c) per criterion: the total is Σ w'(c)·norm[c]
	crit      []exact.NullNum // the values criterion: rules compare (exact or rounded, as tie_on says)
	judges    []judgeScores
}

// judgeScores is one judge's counted scores of a project, as N(P,c) of
// that judge's score alone; nil where the judge has no counted score.
type judgeScores struct {
	judge string
	norm  []*big.Rat
}

// New scores ds as afkar.Evaluate does and returns its model. An invalid
// dataset yields an afkar.Problems listing every problem; New returns
// ctx.Err() if ctx is done first.
func New(ctx context.Context, ds *afkar.Dataset) (*Model, error) {
	res, err := scored.Evaluate(ctx, ds)
	if err != nil {
		return nil, err
	}
	r := &ds.Rubric
	nc := len(r.Criteria)
	m := &Model{
		criteria: make([]string, nc),
		weights:  make([]*big.Rat, nc),
		exact:    ds.Ranking.TieOn == afkar.TieOnExact,
	}
	m.places = r.Places()
	m.mode = r.Rounding.Mode
	if m.mode == "" {
		m.mode = scoring.HalfUp
	}
	sum := new(big.Rat)
	for i, c := range r.Criteria {
		m.criteria[i] = c.ID
		m.weights[i] = c.Weight.Rat()
		sum.Add(sum, m.weights[i])
	}
	if r.Weights == scoring.RelativeWeights {
		for _, w := range m.weights {
			w.Quo(w, sum)
		}
	}
	totalMax := r.TotalMax.Rat()
	if r.TotalMax.IsZero() {
		totalMax.SetInt64(100)
	}
	// N(P,c) = scale[c]·(a − lo[c]).
	lo := make([]*big.Rat, nc)
	scale := make([]*big.Rat, nc)
	for c := range nc {
		l, h, _ := r.Range(c)
		lo[c] = l.Rat()
		scale[c] = new(big.Rat).Quo(totalMax, h.Sub(l).Rat())
	}
	norm := func(v *big.Rat, c int) *big.Rat {
		n := new(big.Rat).Sub(v, lo[c])
		return n.Mul(n, scale[c])
	}
	m.cfg = ranking.Config{
		TieBreak: ds.Ranking.TieBreak,
		Style:    ds.Ranking.Style,
		Criteria: m.criteria,
		GroupBy:  ds.Ranking.GroupBy != "",
		Top:      ds.Ranking.Top,
	}
	m.h2h = slices.ContainsFunc(m.cfg.TieBreak, func(r ranking.Rule) bool { return r.Kind == ranking.HeadToHead })
	for p, o := range res.Outcomes() {
		if p%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if !o.Eligible {
			continue
		}
		pr := project{
			id:        o.ID,
			group:     scored.Group(&ds.Projects[p], ds.Ranking.GroupBy),
			submitted: ds.Projects[p].SubmittedAt,
			total:     o.Total.Num.Rat(),
			norm:      make([]*big.Rat, nc),
			crit:      make([]exact.NullNum, nc),
		}
		for c, a := range o.Criteria {
			pr.norm[c] = norm(a.Value.Num.Rat(), c)
			pr.crit[c] = a.Value
			if !m.exact {
				pr.crit[c] = a.Rounded()
			}
		}
		if m.h2h {
			slot := map[string]int{}
			for c, cb := range res.Breakdown(p).Criteria {
				for _, s := range cb.Counted {
					k, ok := slot[s.Judge]
					if !ok {
						k = len(pr.judges)
						slot[s.Judge] = k
						pr.judges = append(pr.judges, judgeScores{judge: s.Judge, norm: make([]*big.Rat, nc)})
					}
					pr.judges[k].norm[c] = norm(s.Value.Rat(), c)
				}
			}
			slices.SortFunc(pr.judges, func(a, b judgeScores) int { return cmp.Compare(a.judge, b.judge) })
		}
		m.projects = append(m.projects, pr)
	}
	m.current, err = m.Rank(m.weights)
	if err != nil {
		return nil, err
	}
	m.fast = newIntegers(m)
	if !m.h2h {
		if err := m.classes(); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// classes sets m.class, m.groupOf and m.groups: the projects ordered by the
// tie-break chain alone (every total equal), by ranking.Order itself.
func (m *Model) classes() error {
	entries := m.entries()
	st, err := ranking.Order(entries, m.cfg)
	if err != nil {
		return err
	}
	m.class = make([]int32, len(entries))
	m.chain = make([]int32, len(entries))
	m.at = make([]int32, len(entries))
	var k int32
	for pos, s := range st {
		m.class[s.Entry] = k
		m.chain[pos], m.at[s.Entry] = int32(s.Entry), int32(pos)
		if s.DecidedBy != "" {
			k++
		}
	}
	m.groupOf = make([]int32, len(entries))
	index := map[string]int32{}
	for p, e := range entries {
		g, ok := index[e.Group]
		if !ok {
			g = int32(len(index))
			index[e.Group] = g
		}
		m.groupOf[p] = g
	}
	m.groups = max(len(index), 1)
	return nil
}

// Criteria returns the criterion IDs, in rubric order.
func (m *Model) Criteria() []string { return slices.Clone(m.criteria) }

// Weights returns the effective weights w'(c) of the dataset, in rubric
// order: the weights, divided by their sum under relative weights. They
// sum to 1.
func (m *Model) Weights() []*big.Rat {
	out := make([]*big.Rat, len(m.weights))
	for i, w := range m.weights {
		out[i] = new(big.Rat).Set(w)
	}
	return out
}

// Standings returns the current standings of the eligible projects, as
// [Model.Rank] gives them at the dataset's weights (and afkar.Evaluate
// does): in the final order, Standing.Entry indexing the eligible
// projects in input order.
func (m *Model) Standings() []ranking.Standing { return slices.Clone(m.current) }

// Rank ranks the eligible projects under the effective weights w, one per
// criterion in rubric order, each ≥ 0, summing to 1: exact totals Σ
// w(c)·N(P,c), rounded with the rubric's rounding under tie_on: rounded,
// ordered by package ranking with the dataset's tie-break chain (judges'
// own totals for head_to_head under w too), style, groups and top.
// Standing.Entry indexes the eligible projects in input order.
func (m *Model) Rank(w []*big.Rat) ([]ranking.Standing, error) {
	if len(w) != len(m.criteria) {
		return nil, fmt.Errorf("sensitivity: %d weights for %d criteria", len(w), len(m.criteria))
	}
	sum := new(big.Rat)
	for i, x := range w {
		if x == nil || x.Sign() < 0 {
			return nil, fmt.Errorf("sensitivity: weight of %q must be >= 0", m.criteria[i])
		}
		sum.Add(sum, x)
	}
	if sum.Cmp(big.NewRat(1, 1)) != 0 {
		return nil, errors.New("sensitivity: weights must sum to 1, they sum to " + sum.RatString())
	}
	entries := m.entries()
	for i := range entries {
		t := m.projects[i].totalAt(w)
		if !m.exact {
			t = scoring.Round(t, m.places, m.mode).Rat()
		}
		entries[i].Total = exact.FromRat(t)
		if m.h2h {
			entries[i].Ballots = m.projects[i].ballotsAt(w)
		}
	}
	return ranking.Order(entries, m.cfg)
}

// entries returns the ranking entries of the eligible projects, without
// totals or ballots.
func (m *Model) entries() []ranking.Entry {
	entries := make([]ranking.Entry, len(m.projects))
	for i, p := range m.projects {
		entries[i] = ranking.Entry{ID: p.id, Criteria: p.crit, SubmittedAt: p.submitted, Group: p.group}
	}
	return entries
}

// totalAt returns Σ w(c)·N(P,c).
func (p *project) totalAt(w []*big.Rat) *big.Rat {
	t, x := new(big.Rat), new(big.Rat)
	for c, n := range p.norm {
		t.Add(t, x.Mul(w[c], n))
	}
	return t
}

// ballotsAt returns the judges' own totals of p under w: those of the
// judges with a counted score on every criterion of positive weight (as
// scoring.Result.Ballots), ordered by judge ID.
func (p *project) ballotsAt(w []*big.Rat) []ranking.Ballot {
	var out []ranking.Ballot
	x := new(big.Rat)
next:
	for _, j := range p.judges {
		t := new(big.Rat)
		for c, n := range j.norm {
			if w[c].Sign() == 0 {
				continue
			}
			if n == nil {
				continue next
			}
			t.Add(t, x.Mul(w[c], n))
		}
		out = append(out, ranking.Ballot{Judge: j.judge, Total: exact.FromRat(t)})
	}
	slices.SortFunc(out, func(a, b ranking.Ballot) int { return cmp.Compare(a.Judge, b.Judge) })
	return out
}
