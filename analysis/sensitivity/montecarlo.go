package sensitivity

import (
	"cmp"
	"context"
	"fmt"
	"math/big"
	"math/bits"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/afkarlab/afkar/exact"
	"github.com/afkarlab/afkar/ranking"
	"github.com/afkarlab/afkar/scoring"
	"github.com/shopspring/decimal"
)

// Sampling says how MonteCarlo draws weights.
type Sampling string

// The ways of drawing weights. The empty Sampling means Perturb.
const (
	// Perturb multiplies each effective weight w'(c) by 1 + u(c), u(c)
	// uniform in [−spread, +spread] and independent, then divides the
	// weights by their sum.
	Perturb Sampling = "perturb"
	// Uniform draws the weights of the criteria of positive weight
	// uniformly over the simplex (they are ≥ 0 and sum to 1), as SMAA-2
	// does when nothing is known of the weights (R. Lahdelma, P. Salminen,
	// "SMAA-2: Stochastic Multicriteria Acceptability Analysis for Group
	// Decision Making", Operations Research 49(3), 2001): the gaps between
	// sorted uniform cut points. Criteria of weight 0 keep weight 0.
	Uniform Sampling = "uniform"
)

// Grid is the resolution of the random numbers behind the weights: a
// uniform u in [0, 1] is k/Grid for a uniform integer k in [0, Grid], so
// every sampled weight is an exact rational.
const Grid = 1_000_000

// DefaultSamples is the number of samples of a Config that sets none.
const DefaultSamples = 1000

// Config says how MonteCarlo samples. The zero Config draws 1000 samples
// with seed 0, perturbing the weights by up to ±20%, on every core.
type Config struct {
	// Samples is the number of samples; if zero, DefaultSamples.
	Samples int
	// Seed seeds the random numbers: sample i draws from a PCG seeded with
	// (Seed, i), so that the results for a seed do not depend on Workers.
	Seed uint64
	// Weights says how weights are drawn; if empty, Perturb.
	Weights Sampling
	// Spread is Perturb's spread, in [0, 1); if not valid, 0.2.
	Spread decimal.NullDecimal
	// Workers is the number of goroutines ranking samples; if zero,
	// runtime.GOMAXPROCS(0).
	Workers int
	// Progress, if not nil, is called after each sample with the number of
	// samples done so far, from the goroutine that called MonteCarlo.
	Progress func(done int)
}

// Simulation is what MonteCarlo found.
type Simulation struct {
	Samples  int
	Seed     uint64
	Weights  Sampling
	Spread   decimal.Decimal // Perturb's spread; zero under Uniform
	Projects []Odds          // the eligible projects, in their current order
}

// Odds is one project's standing over the samples.
type Odds struct {
	ID    string
	Group string // its group_by value; "" without group_by
	// Rank and Selected are its current overall rank and selection.
	Rank     ranking.Rank
	Selected bool
	// First counts the samples where its overall rank is 1, Chosen those
	// where it is selected; PFirst and PSelected are the same divided by
	// the number of samples.
	First, Chosen     int
	PFirst, PSelected float64
	// P5, P50 and P95 are the 5th, 50th and 95th percentiles of its
	// overall rank over the samples, nearest-rank definition: the smallest
	// rank r such that at least ⌈p·N/100⌉ of the N samples rank it r or
	// better.
	P5, P50, P95 ranking.Rank
}

// MonteCarlo ranks the eligible projects under cfg.Samples random weights
// (see [Sampling]) and returns, per project, how often it ranks first and
// is selected, and the percentiles of its rank. Each sample is ranked by
// [Model.Rank]'s rules, with exact totals. Samples run on cfg.Workers
// goroutines; the result for a seed is the same whatever their number.
// MonteCarlo returns ctx.Err() if ctx is done first, after its goroutines
// have stopped.
func (m *Model) MonteCarlo(ctx context.Context, cfg Config) (*Simulation, error) {
	d, err := m.drawer(cfg)
	if err != nil {
		return nil, err
	}
	n := cmp.Or(cfg.Samples, DefaultSamples)
	workers := cfg.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(min(workers, n), 1)
	fast := m.fast != nil && m.fast.fits(d.maxSum, m.places, m.h2h)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		next     atomic.Int64
		firstErr error
		errOnce  sync.Once
		wg       sync.WaitGroup
	)
	// Each worker counts its own samples' ranks (the histograms are most of
	// the work after the ranking) and says when it has done one; the
	// counts are summed at the end, so the result does not depend on the
	// number of workers.
	tallies := make([]*tally, workers)
	progress := make(chan struct{}, 64*workers)
	for k := range workers {
		tallies[k] = newTally(len(m.projects))
		wg.Go(func() {
			w := m.newWorker(fast)
			t := tallies[k]
			out := &outcome{ranks: make([]int32, len(m.projects)), selected: make([]bool, len(m.projects))}
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				if err := w.sample(d, i, out); err != nil {
					errOnce.Do(func() { firstErr = err })
					cancel()
					return
				}
				t.add(out)
				select {
				case progress <- struct{}{}:
				case <-ctx.Done():
					return
				}
			}
		})
	}
	go func() { wg.Wait(); close(progress) }()
	done := 0
	for range progress {
		done++
		if cfg.Progress != nil {
			cfg.Progress(done)
		}
	}
	if firstErr != nil {
		return nil, firstErr
	}
	if done < n {
		return nil, context.Cause(ctx)
	}
	all := tallies[0]
	for _, t := range tallies[1:] {
		all.merge(t)
	}
	hists, first, chosen := all.hists, all.first, all.chosen

	sim := &Simulation{Samples: n, Seed: cfg.Seed, Weights: d.sampling, Projects: make([]Odds, len(m.current))}
	if d.sampling == Perturb {
		sim.Spread = d.spread
	}
	for k, s := range m.current {
		e := s.Entry
		sim.Projects[k] = Odds{
			ID: s.ID, Group: m.projects[e].group, Rank: s.Rank, Selected: s.Selected,
			First: first[e], Chosen: chosen[e],
			PFirst: float64(first[e]) / float64(n), PSelected: float64(chosen[e]) / float64(n),
			P5: hists[e].percentile(5, n), P50: hists[e].percentile(50, n), P95: hists[e].percentile(95, n),
		}
	}
	return sim, nil
}

// SampleWeights returns the effective weights of sample i of cfg, in
// rubric order: exact rationals, ≥ 0, summing to 1. [Model.Rank] of them
// is the ranking of that sample.
func (m *Model) SampleWeights(cfg Config, i int) ([]*big.Rat, error) {
	d, err := m.drawer(cfg)
	if err != nil {
		return nil, err
	}
	omega, sum := d.draw(i)
	w := make([]*big.Rat, len(omega))
	for c, o := range omega {
		w[c] = new(big.Rat).SetFrac(o, sum)
	}
	return w, nil
}

// drawer draws the integer weights of samples.
type drawer struct {
	sampling Sampling
	seed     uint64
	spread   decimal.Decimal
	sn, sd   *big.Int   // spread = sn/sd
	num      []*big.Int // w'(c) = num[c]/den
	positive []int      // criteria of positive weight
	maxSum   *big.Int   // the largest sum of a sample's integer weights
}

func (m *Model) drawer(cfg Config) (*drawer, error) {
	d := &drawer{sampling: cmp.Or(cfg.Weights, Perturb), seed: cfg.Seed, spread: decimal.New(2, -1)}
	if cfg.Samples < 0 {
		return nil, fmt.Errorf("sensitivity: %d samples (expected a number >= 0)", cfg.Samples)
	}
	if cfg.Workers < 0 {
		return nil, fmt.Errorf("sensitivity: %d workers (expected a number >= 0)", cfg.Workers)
	}
	if cfg.Spread.Valid {
		d.spread = cfg.Spread.Decimal
	}
	if d.spread.IsNegative() || d.spread.GreaterThanOrEqual(decimal.NewFromInt(1)) {
		return nil, fmt.Errorf("sensitivity: spread %s is outside [0, 1)", d.spread)
	}
	s := d.spread.Rat()
	d.sn, d.sd = s.Num(), s.Denom()
	den := big.NewInt(1)
	for _, w := range m.weights {
		g := new(big.Int).GCD(nil, nil, den, w.Denom())
		den.Mul(den, new(big.Int).Quo(w.Denom(), g))
	}
	for c, w := range m.weights {
		n := new(big.Int).Mul(w.Num(), den)
		d.num = append(d.num, n.Quo(n, w.Denom()))
		if w.Sign() > 0 {
			d.positive = append(d.positive, c)
		}
	}
	grid := big.NewInt(Grid)
	switch d.sampling {
	case Perturb:
		// Σ num[c]·(sd·Grid + sn·(2k − Grid)) ≤ den·(sd + sn)·Grid.
		d.maxSum = new(big.Int).Add(d.sd, d.sn)
		d.maxSum.Mul(d.maxSum, grid).Mul(d.maxSum, den)
	case Uniform:
		d.maxSum = grid
	default:
		return nil, fmt.Errorf("sensitivity: unknown sampling %q (expected perturb or uniform)", d.sampling)
	}
	return d, nil
}

// draw returns sample i's integer weights and their sum (> 0): the
// effective weight of criterion c is omega[c]/sum.
func (d *drawer) draw(i int) (omega []*big.Int, sum *big.Int) {
	rng := rand.New(rand.NewPCG(d.seed, uint64(i)))
	omega = make([]*big.Int, len(d.num))
	for c := range omega {
		omega[c] = new(big.Int)
	}
	switch d.sampling {
	case Uniform:
		cuts := make([]uint64, len(d.positive)-1)
		for k := range cuts {
			cuts[k] = rng.Uint64N(Grid + 1)
		}
		slices.Sort(cuts)
		prev := uint64(0)
		for k, c := range d.positive {
			end := uint64(Grid)
			if k < len(cuts) {
				end = cuts[k]
			}
			omega[c].SetUint64(end - prev)
			prev = end
		}
		return omega, big.NewInt(Grid)
	default: // Perturb
		sum = new(big.Int)
		base := new(big.Int).Mul(d.sd, big.NewInt(Grid))
		var f big.Int
		for c, n := range d.num {
			// u = spread·(2k − Grid)/Grid, so that w'(c)·(1 + u) is
			// num[c]·(sd·Grid + sn·(2k − Grid)) / (den·sd·Grid).
			k := int64(rng.Uint64N(Grid + 1))
			f.Mul(d.sn, big.NewInt(2*k-Grid))
			f.Add(&f, base)
			omega[c].Mul(n, &f)
			sum.Add(sum, omega[c])
		}
		return omega, sum
	}
}

// outcome is one sample's ranking: the overall rank (in halves) and
// selection of every eligible project.
type outcome struct {
	ranks    []int32
	selected []bool
}

// worker ranks samples; each goroutine has its own.
type worker struct {
	m       *Model
	fast    bool
	entries []ranking.Entry
	keys    []int64
	order   []int
	omega   []int64
	ballots [][]ranking.Ballot // per project: a ballot per judge slot
	picked  [][]ranking.Ballot // per project: the ballots of the sample
	weights []*big.Rat
	// flatRank's scratch space: each group's members in order.
	groupStart, groupNext, members []int
	packed                         []uint64
}

func (m *Model) newWorker(fast bool) *worker {
	w := &worker{m: m, fast: fast, entries: m.entries()}
	if fast {
		w.keys = make([]int64, len(m.projects))
		w.order = make([]int, len(m.projects))
		w.omega = make([]int64, len(m.criteria))
		if m.h2h {
			w.ballots = make([][]ranking.Ballot, len(m.projects))
			w.picked = make([][]ranking.Ballot, len(m.projects))
			for i, p := range m.projects {
				w.ballots[i] = make([]ranking.Ballot, len(p.judges))
				for k, j := range p.judges {
					w.ballots[i][k] = ranking.Ballot{Judge: j.judge}
				}
				w.picked[i] = make([]ranking.Ballot, 0, len(p.judges))
			}
		}
	} else {
		w.weights = make([]*big.Rat, len(m.criteria))
	}
	return w
}

// sample ranks sample i into out.
func (w *worker) sample(d *drawer, i int, out *outcome) error {
	m := w.m
	omega, sum := d.draw(i)
	if w.fast {
		w.fastTotals(omega, sum)
	} else {
		for c, o := range omega {
			w.weights[c] = new(big.Rat).SetFrac(o, sum)
		}
		for p := range m.projects {
			t := m.projects[p].totalAt(w.weights)
			if !m.exact {
				t = scoring.Round(t, m.places, m.mode).Rat()
			}
			w.entries[p].Total = exact.FromRat(t)
			if m.h2h {
				w.entries[p].Ballots = m.projects[p].ballotsAt(w.weights)
			}
		}
	}
	if w.fast && !m.h2h {
		w.flatRank(out)
		return nil
	}
	st, err := ranking.Order(w.entries, m.cfg)
	if err != nil {
		return err
	}
	for _, s := range st {
		out.ranks[s.Entry] = int32(s.Rank.Halves())
		out.selected[s.Entry] = s.Selected
	}
	return nil
}

// fastTotals sets the entries' totals (and ballots) from integer sums:
// the total of P is Σ omega[c]·n(P,c) / (den·sum), rounded as the rubric
// says under tie_on: rounded. fits has checked that nothing overflows.
func (w *worker) fastTotals(omega []*big.Int, sum *big.Int) {
	m, f := w.m, w.m.fast
	nc := len(m.criteria)
	for c, o := range omega {
		w.omega[c] = o.Int64()
	}
	s := sum.Int64()
	den := f.den * s
	pow := pow10(m.places)
	for p := range m.projects {
		var x int64
		for c, n := range f.n[p*nc : (p+1)*nc] {
			x += w.omega[c] * n
		}
		if m.exact {
			w.keys[p] = x
			w.entries[p].Total = exact.Frac(x, den)
		} else {
			q := roundQuo(x*pow, den, m.mode)
			w.keys[p] = q
			w.entries[p].Total = exact.Frac(q, pow)
		}
	}
	if !m.h2h {
		return
	}
	// head_to_head only ever compares projects tied on total: only they
	// need ballots.
	for p := range w.order {
		w.order[p] = p
	}
	slices.SortFunc(w.order, func(a, b int) int { return cmp.Compare(w.keys[a], w.keys[b]) })
	jden := f.judgeDen * s
	for k := 0; k < len(w.order); {
		l := k + 1
		for l < len(w.order) && w.keys[w.order[l]] == w.keys[w.order[k]] {
			l++
		}
		for _, p := range w.order[k:l] {
			w.entries[p].Ballots = nil
			if l-k > 1 {
				w.entries[p].Ballots = w.fastBallots(p, jden)
			}
		}
		k = l
	}
}

// fastBallots returns the ballots of project p: those of the judges with
// a counted score on every criterion of positive weight.
func (w *worker) fastBallots(p int, jden int64) []ranking.Ballot {
	nc := len(w.m.criteria)
	row := w.m.fast.judgeN[p]
	out := w.picked[p][:0]
next:
	for k := range w.m.projects[p].judges {
		var x int64
		for c, n := range row[k*nc : (k+1)*nc] {
			if w.omega[c] == 0 {
				continue
			}
			if n < 0 {
				continue next
			}
			x += w.omega[c] * n
		}
		b := w.ballots[p][k]
		b.Total = exact.Frac(x, jden)
		out = append(out, b)
	}
	return out
}

// flatRank ranks a sample whose totals fastTotals set in w.keys, without
// head_to_head: the order is (total, highest first; the tie-break chain,
// as m.class holds it; input order), one sort of integers, and the ranks
// and selection are ranking.Order's (TestFastPathIsRank compares them).
// Only the top matters to selection, but the percentiles of every
// project's rank need the whole order.
func (w *worker) flatRank(out *outcome) {
	m := w.m
	keys, class := w.keys, m.class
	order := w.order
	if !w.packedSort() {
		for p := range order {
			order[p] = p
		}
		slices.SortFunc(order, func(a, b int) int {
			if keys[a] != keys[b] {
				return cmp.Compare(keys[b], keys[a])
			}
			return cmp.Or(cmp.Compare(class[a], class[b]), cmp.Compare(a, b))
		})
	}
	tied := func(a, b int) bool { return keys[a] == keys[b] && class[a] == class[b] }
	rankRuns(order, tied, m.cfg.Style, func(p int, halves int32) { out.ranks[p] = halves })
	top := int32(2 * m.cfg.Top)
	if !m.cfg.GroupBy {
		for _, p := range order {
			out.selected[p] = top > 0 && out.ranks[p] <= top
		}
		return
	}
	// Each group's members in order, by a counting sort of the order.
	if w.groupStart == nil {
		w.groupStart = make([]int, m.groups+1)
		w.members = make([]int, len(order))
	}
	clear(w.groupStart)
	for _, p := range order {
		w.groupStart[m.groupOf[p]+1]++
	}
	for g := range m.groups {
		w.groupStart[g+1] += w.groupStart[g]
	}
	next := w.groupNext[:0]
	next = append(next, w.groupStart[:m.groups]...)
	w.groupNext = next
	for _, p := range order {
		g := m.groupOf[p]
		w.members[next[g]] = p
		next[g]++
	}
	for g := range m.groups {
		rankRuns(w.members[w.groupStart[g]:w.groupStart[g+1]], tied, m.cfg.Style, func(p int, halves int32) {
			out.selected[p] = top > 0 && halves <= top
		})
	}
}

// packedSort sets w.order to flatRank's order by sorting one uint64 per
// project: the total's distance below the highest total, then the
// project's position in the tie-break chain's order (m.at, whose ties are
// in input order). It reports false, doing nothing, when the totals spread
// over too many bits for that.
func (w *worker) packedSort() bool {
	m := w.m
	n := len(w.keys)
	if n == 0 {
		return true
	}
	shift := bits.Len(uint(n))
	hi, lo := w.keys[0], w.keys[0]
	for _, k := range w.keys {
		hi, lo = max(hi, k), min(lo, k)
	}
	if uint64(hi-lo)>>(63-shift) != 0 || hi-lo < 0 {
		return false
	}
	if cap(w.packed) < n {
		w.packed = make([]uint64, n)
	}
	packed := w.packed[:n]
	for p, k := range w.keys {
		packed[p] = uint64(hi-k)<<shift | uint64(m.at[p])
	}
	slices.Sort(packed)
	mask := uint64(1)<<shift - 1
	for i, x := range packed {
		w.order[i] = int(m.chain[x&mask])
	}
	return true
}

// rankRuns calls set with each position's rank, in halves, in style over
// order, where tied(a, b) says that neighbours a and b share a run.
func rankRuns(order []int, tied func(a, b int) bool, style ranking.Style, set func(p int, halves int32)) {
	runs := 0
	for i := 0; i < len(order); {
		j := i
		for j+1 < len(order) && tied(order[j], order[j+1]) {
			j++
		}
		runs++
		for k := i; k <= j; k++ {
			var h int
			switch style {
			case ranking.Modified:
				h = 2 * (j + 1)
			case ranking.Dense:
				h = 2 * runs
			case ranking.Ordinal:
				h = 2 * (k + 1)
			case ranking.Fractional:
				h = (i + 1) + (j + 1)
			default:
				h = 2 * (i + 1)
			}
			set(order[k], int32(h))
		}
		i = j + 1
	}
}

// roundQuo returns num/den (num ≥ 0, den > 0) rounded to an integer with
// mode, as scoring.Round rounds to 0 places.
func roundQuo(num, den int64, mode scoring.RoundingMode) int64 {
	q, r := num/den, num%den
	if r == 0 {
		return q
	}
	// Compare 2r with den without overflow: r against den − r.
	c := cmp.Compare(r, den-r)
	switch mode {
	case scoring.Down:
	case scoring.HalfEven:
		if c > 0 || (c == 0 && q%2 == 1) {
			q++
		}
	default: // HalfUp
		if c >= 0 {
			q++
		}
	}
	return q
}

func pow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}

// tally counts, per eligible project, its ranks over samples, and the
// samples where it is first and where it is selected.
type tally struct {
	hists         []hist
	first, chosen []int
}

func newTally(n int) *tally {
	return &tally{hists: make([]hist, n), first: make([]int, n), chosen: make([]int, n)}
}

// add counts one sample's ranking.
func (t *tally) add(out *outcome) {
	for e, h := range out.ranks {
		t.hists[e].add(h)
		if h == 2 {
			t.first[e]++
		}
		if out.selected[e] {
			t.chosen[e]++
		}
	}
}

// merge adds the counts of o to t.
func (t *tally) merge(o *tally) {
	for e := range t.hists {
		t.hists[e].merge(&o.hists[e])
		t.first[e] += o.first[e]
		t.chosen[e] += o.chosen[e]
	}
}

// hist counts the ranks (in halves) of one project over the samples: a
// window of counts from base.
type hist struct {
	base   int32
	counts []int64
}

func (h *hist) add(r int32) {
	switch {
	case len(h.counts) == 0:
		h.base = r
		h.counts = append(h.counts, 0)
	case r < h.base:
		grown := make([]int64, int(h.base-r)+len(h.counts))
		copy(grown[h.base-r:], h.counts)
		h.counts, h.base = grown, r
	case int(r-h.base) >= len(h.counts):
		h.counts = append(h.counts, make([]int64, int(r-h.base)-len(h.counts)+1)...)
	}
	h.counts[r-h.base]++
}

// merge adds the counts of o to h.
func (h *hist) merge(o *hist) {
	for i, c := range o.counts {
		if c == 0 {
			continue
		}
		h.add(o.base + int32(i))
		h.counts[o.base+int32(i)-h.base] += c - 1
	}
}

// percentile returns the nearest-rank pct-th percentile of n counted
// ranks: the smallest rank with at least ⌈pct·n/100⌉ ranks at or before
// it.
func (h *hist) percentile(pct, n int) ranking.Rank {
	need := max((int64(pct)*int64(n)+99)/100, 1)
	var cum int64
	for i, c := range h.counts {
		if cum += c; cum >= need {
			return halves(int(h.base) + i)
		}
	}
	return ranking.Rank{}
}

// halves returns the rank of the given number of halves.
func halves(h int) ranking.Rank {
	if h%2 == 0 {
		return ranking.Whole(h / 2)
	}
	return ranking.Mid(h/2, h/2+1)
}
