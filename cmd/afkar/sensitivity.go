package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	"os"
	"runtime"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/analysis/sensitivity"
	"github.com/afkarlab/afkar/internal/atomicfile"
	"github.com/afkarlab/afkar/internal/freetext"
	"github.com/afkarlab/afkar/ranking"
	"github.com/afkarlab/afkar/scoring"
	"github.com/shopspring/decimal"
)

const sensitivityUsage = `Usage: afkar sensitivity [flags] [DATASET|-]

Asks whether the selection would change under other criterion weights.

Exact weight stability: for each criterion with a weight strictly between 0
and 1, its weight moves to t and the others are rescaled by (1 − t)/(1 − w);
the interval [lo, hi] of t is where every selected project's exact total
stays at least every unselected project's of its group (without top: the
first of each group). Computed with exact fractions: lo is printed rounded
up and hi rounded down to 6 places (so the printed interval lies inside the
exact one), with the fractions in JSON, and the pair of projects whose
totals meet at each bound. The margin is how far, relative to itself, the
weight can move before a pair of totals crosses; a bound at 0 or 1 with no
pair is not a crossing, and a criterion whose bounds have no pair (its
interval is [0, 1]) cannot change the selection alone: it has no margin
("-"). The most critical criterion is the one with the least margin.
Eligibility is held fixed.

Monte Carlo: --samples sets of weights, drawn either as w·(1 + u), u
uniform in [−spread, +spread], renormalised (--weights perturb), or
uniformly over the weights that sum to 1 (--weights uniform, as in SMAA-2).
Each sample is ranked exactly, with the dataset's rules, as "afkar rank"
would rank it. Per project: the probability of rank 1 and of being
selected, and the 5th, 50th and 95th percentiles of its rank. The output
for a seed is the same for any number of workers; Ctrl-C stops cleanly.
A progress bar is drawn on stderr when it is a terminal.

With no DATASET, uses the built-in sample (synthetic data); "-" reads the
dataset from standard input.

` + csvInputUsage + `
Examples:
  afkar sensitivity dakhla.json
  afkar sensitivity --scores notes.csv --projects ideas.csv rubric.json
  afkar sensitivity --samples 10000 --seed 7 --weights uniform --svg ranks.svg dakhla.json
  afkar sensitivity --samples 0 --format json dakhla.json     (the exact intervals alone)

Flags:
`

type sensitivityFlags struct {
	format, out, svg, weights, spread string
	samples, workers                  int
	seed                              uint64
	inputFlags
}

func (e *env) sensitivity(args []string) error {
	var f sensitivityFlags
	fs := flag.NewFlagSet("sensitivity", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	reportFlags(fs, &f.format, &f.out, &f.svg, "draw each project's rank interval to `FILE` (SVG; needs samples)")
	fs.IntVar(&f.samples, "samples", sensitivity.DefaultSamples, "number of Monte Carlo `samples`; 0: the exact intervals alone")
	fs.Uint64Var(&f.seed, "seed", 1, "random `seed`: the same seed gives the same output")
	fs.StringVar(&f.weights, "weights", "perturb", "how weights are drawn: perturb or uniform")
	fs.StringVar(&f.spread, "spread", "0.2", "perturb's spread, a decimal in [0, 1): each weight times 1 ± up to `spread`")
	fs.IntVar(&f.workers, "workers", runtime.GOMAXPROCS(0), "number of `workers` (default: every core)")
	f.inputFlags.register(fs)
	fs.Usage = func() { fmt.Fprint(fs.Output(), sensitivityUsage); fs.PrintDefaults() }
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := checkFormat(f.format); err != nil {
		return err
	}
	cfg := sensitivity.Config{Samples: f.samples, Seed: f.seed, Weights: sensitivity.Sampling(f.weights), Workers: f.workers}
	switch {
	case f.samples < 0:
		return &usageError{fmt.Sprintf("--samples: expected a number >= 0, found %d", f.samples)}
	case f.workers < 1:
		return &usageError{fmt.Sprintf("--workers: expected a number >= 1, found %d", f.workers)}
	case cfg.Weights != sensitivity.Perturb && cfg.Weights != sensitivity.Uniform:
		return &usageError{fmt.Sprintf("--weights: expected perturb or uniform, found %q", f.weights)}
	case f.svg != "" && f.samples == 0:
		return &usageError{"--svg draws the Monte Carlo rank intervals: it needs --samples > 0"}
	}
	spread, err := decimal.NewFromString(f.spread)
	if err != nil || spread.IsNegative() || spread.GreaterThanOrEqual(decimal.NewFromInt(1)) {
		return &usageError{fmt.Sprintf("--spread: expected a decimal in [0, 1), found %q", f.spread)}
	}
	cfg.Spread = decimal.NewNullDecimal(spread)
	if err := f.inputFlags.check(); err != nil {
		return err
	}
	if err := e.checkOutputs(f.files(rest), []namedFile{{"-o", f.out}, {"--svg", f.svg}}); err != nil {
		return err
	}

	ds, src, err := e.loadDataset("sensitivity", rest, &f.inputFlags)
	if err != nil {
		return err
	}
	m, err := sensitivity.New(e.ctx, ds)
	if err != nil {
		return problemsError(err, src)
	}
	st, err := m.Stability(e.ctx)
	if err != nil {
		return interrupted(err, "")
	}
	var sim *sensitivity.Simulation
	if f.samples > 0 {
		bar := newProgress(e.stderr, f.samples)
		cfg.Progress = bar.update
		sim, err = m.MonteCarlo(e.ctx, cfg)
		bar.finish()
		if err != nil {
			return interrupted(err, fmt.Sprintf(" after %d of %d samples", bar.done, f.samples))
		}
	}
	var buf bytes.Buffer
	if f.format == "json" {
		if err := writeSensitivityJSON(&buf, ds, st, sim); err != nil {
			return err
		}
	} else {
		writeSensitivityTable(&buf, ds, st, sim)
	}
	if f.svg != "" {
		if err := atomicfile.Write(f.svg, rankChart(sim, ds), 0o644); err != nil {
			return err
		}
	}
	return e.emit(f.out, buf.Bytes())
}

// interrupted names a cancelled run.
func interrupted(err error, what string) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("interrupted%s", what)
	}
	return err
}

// progress draws a progress bar on stderr when it is a terminal, and
// nothing otherwise.
type progress struct {
	w           io.Writer // nil: not a terminal
	total, done int
	start, last time.Time
}

func newProgress(stderr io.Writer, total int) *progress {
	p := &progress{total: total, start: time.Now()}
	if isTerminal(stderr) {
		p.w = stderr
	}
	return p
}

// isTerminal reports whether w is a terminal: a character device. (A
// character device that is not a terminal, such as /dev/null, gets a bar
// nobody sees.)
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func (p *progress) update(done int) {
	p.done = done
	if p.w == nil || (done < p.total && time.Since(p.last) < 100*time.Millisecond) {
		return
	}
	p.last = time.Now()
	const width = 30
	filled := width * done / p.total
	rate := float64(done) / max(time.Since(p.start).Seconds(), 1e-9)
	fmt.Fprintf(p.w, "\rsampling [%s%s] %3d%% %d/%d  %.0f samples/s", strings.Repeat("#", filled), strings.Repeat(".", width-filled),
		100*done/p.total, done, p.total, rate)
}

func (p *progress) finish() {
	if p.w != nil {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

// ceil6 and floor6 round x ≥ 0 to 6 places up and down; half6 to nearest.
func ceil6(x *big.Rat) string {
	d := scoring.Round(x, 6, scoring.Down)
	if d.Rat().Cmp(x) < 0 {
		d = d.Add(decimal.New(1, -6))
	}
	return d.StringFixed(6)
}

func floor6(x *big.Rat) string { return scoring.Round(x, 6, scoring.Down).StringFixed(6) }

func half6(x *big.Rat) string { return scoring.Round(x, 6, scoring.HalfUp).StringFixed(6) }

type pairJSON struct {
	Selected   string `json:"selected"`
	Unselected string `json:"unselected"`
}

func pairOf(p sensitivity.Pair) *pairJSON {
	if p.Selected == "" {
		return nil
	}
	return &pairJSON{p.Selected, p.Unselected}
}

type intervalJSON struct {
	Criterion   string    `json:"criterion"`
	Weight      string    `json:"weight"`
	WeightExact string    `json:"weight_exact"`
	Lo          string    `json:"lo"`
	LoExact     string    `json:"lo_exact"`
	LoPair      *pairJSON `json:"lo_pair"`
	Hi          string    `json:"hi"`
	HiExact     string    `json:"hi_exact"`
	HiPair      *pairJSON `json:"hi_pair"`
	Margin      *string   `json:"margin"`       // null: no crossing
	MarginExact *string   `json:"margin_exact"` // null: no crossing
}

type oddsJSON struct {
	ID        string       `json:"id"`
	Group     *string      `json:"group"`
	Rank      ranking.Rank `json:"rank"`
	Selected  bool         `json:"selected"`
	PFirst    float64      `json:"p_first"`
	PSelected float64      `json:"p_selected"`
	RankP5    ranking.Rank `json:"rank_p5"`
	RankP50   ranking.Rank `json:"rank_p50"`
	RankP95   ranking.Rank `json:"rank_p95"`
}

func writeSensitivityJSON(w io.Writer, ds *afkar.Dataset, st *sensitivity.Stability, sim *sensitivity.Simulation) error {
	type stabilityJSON struct {
		Criteria     []intervalJSON `json:"criteria"`
		MostCritical *string        `json:"most_critical"`
		Waived       []pairJSON     `json:"waived"`
	}
	type monteCarloJSON struct {
		Samples  int        `json:"samples"`
		Seed     uint64     `json:"seed"`
		Weights  string     `json:"weights"`
		Spread   *string    `json:"spread"`
		Projects []oddsJSON `json:"projects"`
	}
	doc := struct {
		InputDigest string          `json:"input_digest"`
		Stability   stabilityJSON   `json:"stability"`
		MonteCarlo  *monteCarloJSON `json:"monte_carlo"`
	}{InputDigest: ds.Digest(), Stability: stabilityJSON{Criteria: []intervalJSON{}, Waived: []pairJSON{}}}
	for _, iv := range st.Intervals {
		ij := intervalJSON{
			Criterion: iv.Criterion, Weight: half6(iv.Weight), WeightExact: iv.Weight.RatString(),
			Lo: ceil6(iv.Lo.Value), LoExact: iv.Lo.Value.RatString(), LoPair: pairOf(iv.Lo.Pair),
			Hi: floor6(iv.Hi.Value), HiExact: iv.Hi.Value.RatString(), HiPair: pairOf(iv.Hi.Pair),
		}
		if iv.Margin != nil {
			ij.Margin, ij.MarginExact = nullString(floor6(iv.Margin)), nullString(iv.Margin.RatString())
		}
		doc.Stability.Criteria = append(doc.Stability.Criteria, ij)
	}
	if st.MostCritical >= 0 {
		doc.Stability.MostCritical = &st.Intervals[st.MostCritical].Criterion
	}
	for _, p := range st.Waived {
		doc.Stability.Waived = append(doc.Stability.Waived, pairJSON{p.Selected, p.Unselected})
	}
	if sim != nil {
		mc := &monteCarloJSON{Samples: sim.Samples, Seed: sim.Seed, Weights: string(sim.Weights), Projects: []oddsJSON{}}
		if sim.Weights == sensitivity.Perturb {
			s := sim.Spread.String()
			mc.Spread = &s
		}
		grouped := ds.Ranking.GroupBy != ""
		for _, o := range sim.Projects {
			oj := oddsJSON{ID: o.ID, Rank: o.Rank, Selected: o.Selected, PFirst: o.PFirst, PSelected: o.PSelected, RankP5: o.P5, RankP50: o.P50, RankP95: o.P95}
			if grouped {
				g := o.Group
				oj.Group = &g
			}
			mc.Projects = append(mc.Projects, oj)
		}
		doc.MonteCarlo = mc
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// protectedSet says in words which projects the stability protects.
func protectedSet(ds *afkar.Dataset) string {
	switch top, grouped := ds.Ranking.Top, ds.Ranking.GroupBy != ""; {
	case top > 0 && grouped:
		return fmt.Sprintf("the top %d of each %s", top, freetext.Visible(ds.Ranking.GroupBy))
	case top > 0:
		return fmt.Sprintf("the top %d", top)
	case grouped:
		return "the first of each " + freetext.Visible(ds.Ranking.GroupBy)
	}
	return "the winner"
}

// percent writes a margin as a percentage with one decimal, "-" for none
// (no crossing).
func percent(margin *big.Rat) string {
	if margin == nil {
		return "-"
	}
	m, _ := new(big.Rat).Mul(margin, big.NewRat(100, 1)).Float64()
	return strconv.FormatFloat(m, 'f', 1, 64) + "%"
}

func pairText(p sensitivity.Pair) string {
	if p.Selected == "" {
		return "-"
	}
	return p.Unselected + " passes " + p.Selected
}

func writeSensitivityTable(w io.Writer, ds *afkar.Dataset, st *sensitivity.Stability, sim *sensitivity.Simulation) {
	fmt.Fprintf(w, "%s\n%s\n\n", title(ds), ds.Digest())
	fmt.Fprintf(w, "Exact weight stability of %s: one criterion's weight moves to t, the others\n", protectedSet(ds))
	fmt.Fprintln(w, "rescale by (1 − t)/(1 − w), eligibility fixed; inside [lo, hi] no unselected project's exact")
	fmt.Fprintln(w, "total passes a selected one's of its group; past a bound, the pair named passes.")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "criterion\tweight\tlo\thi\tmargin\tat lo\tat hi")
	for _, iv := range st.Intervals {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", iv.Criterion, half6(iv.Weight), ceil6(iv.Lo.Value), floor6(iv.Hi.Value),
			percent(iv.Margin), pairText(iv.Lo.Pair), pairText(iv.Hi.Pair))
	}
	tw.Flush()
	switch {
	case st.MostCritical >= 0:
		iv := st.Intervals[st.MostCritical]
		fmt.Fprintf(w, "Most critical: %s (its weight can move %s of itself before the selection's totals cross).\n", iv.Criterion, percent(iv.Margin))
	case len(st.Intervals) > 0:
		fmt.Fprintln(w, "No criterion's weight, moved alone anywhere in [0, 1], changes the selection: no pair's totals cross.")
	default:
		fmt.Fprintln(w, "No criterion has a weight strictly between 0 and 1.")
	}
	if len(st.Waived) > 0 {
		fmt.Fprintf(w, "%d pairs set no bound: their published totals tie and a tie-break selected the lower exact total:", len(st.Waived))
		for _, p := range st.Waived {
			fmt.Fprintf(w, " %s/%s", p.Selected, p.Unselected)
		}
		fmt.Fprintln(w)
	}
	if sim == nil {
		return
	}
	how := "drawn uniformly over the weights that sum to 1"
	if sim.Weights == sensitivity.Perturb {
		how = fmt.Sprintf("each w·(1 + u), u uniform in [−%s, +%s], renormalised", sim.Spread, sim.Spread)
	}
	fmt.Fprintf(w, "\nMonte Carlo: %d samples (seed %d), weights %s.\n", sim.Samples, sim.Seed, how)
	fmt.Fprintln(w, "Rank percentiles: 5th, 50th, 95th of the overall rank over the samples.")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	grouped := ds.Ranking.GroupBy != ""
	head := "rank\tid\t"
	if grouped {
		head += "group\t"
	}
	fmt.Fprintln(tw, head+"selected\tP(rank 1)\tP(selected)\tp5\tp50\tp95")
	for _, o := range sim.Projects {
		sel := ""
		if o.Selected {
			sel = "yes"
		}
		row := o.Rank.String() + "\t" + o.ID + "\t"
		if grouped {
			row += freetext.Visible(o.Group) + "\t"
		}
		fmt.Fprintf(tw, "%s%s\t%s\t%s\t%s\t%s\t%s\n", row, sel, fixed(o.PFirst, 3), fixed(o.PSelected, 3), o.P5, o.P50, o.P95)
	}
	tw.Flush()
}
