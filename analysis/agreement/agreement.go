// Package agreement measures how much an ideathon's judges agree, and how
// lenient each one is, on designs where not every judge scores every
// project.
//
// [Analyze] scores a dataset as afkar.Evaluate does (conflicted scores are
// excluded first: only counted scores are analysed) and reports, for each
// criterion and for the judges' own totals (the total's formula applied to
// one judge's scores alone, as head_to_head compares them):
//
//   - Krippendorff's alpha, interval metric, missing values allowed: the
//     units are the projects with at least two counted values ([Alpha]);
//   - ICC(2,1) and ICC(2,k) (Shrout and Fleiss 1979, two-way random
//     effects, absolute agreement) when every judge scored every eligible
//     project, and otherwise none, with the reason ([ICC]), which says how
//     many of the missing values are conflict exclusions (or abstentions);
//
// and for each judge the projects scored and the leniency: the mean of
// (the judge's value − the mean of the other judges' values on the same
// project), per criterion and on totals, with the number of such pairs.
// With [Config.GroupBy], it also measures the agreement within each group
// (each stage of a tour, with "region").
//
// Scores are exact decimals and totals exact rationals; alpha, the ICCs'
// mean squares and the leniencies are computed from them with exact
// rationals, and each statistic is converted to float64 once, at the end.
// A statistic whose exact denominator is 0 is undefined (NaN), with the
// reason, never the noise of a float64 difference that should be 0.
// [LandisKoch] and [KooLi] read a coefficient in words.
//
// # Concurrency
//
// Analyze reads the dataset and writes only its report: it may run in many
// goroutines at once, on the same dataset too.
package agreement

import (
	"context"
	"fmt"
	"math"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/analysis/internal/scored"
	"github.com/afkarlab/afkar/exact"
	"github.com/afkarlab/afkar/scoring"
)

// FewProjects is the number of projects under which a judge is flagged:
// a leniency over fewer projects says little.
const FewProjects = 3

// Report is the agreement of a dataset's judges.
type Report struct {
	// Criteria holds one Reliability per criterion, in rubric order.
	Criteria []Reliability
	// Totals is the reliability of the judges' own totals.
	Totals Reliability
	// Judges holds every judge, in the order of the dataset's judges (or
	// of first appearance in the scores when it lists none).
	Judges []Judge
	// Groups holds the agreement within each group of Config.GroupBy, in
	// the order of the groups' first projects in the dataset; nil without
	// GroupBy.
	Groups []Group
}

// Group is the agreement of the judges within one group of projects: one
// stage of a tour, grouped by region.
type Group struct {
	// Value is the group's value of the GroupBy field; "" for the projects
	// without one.
	Value string
	// Projects is the number of the dataset's projects in the group.
	Projects int
	// Criteria and Totals are as in [Report], over the group's projects
	// alone.
	Criteria []Reliability
	Totals   Reliability
}

// Reliability is how much the judges agree on one criterion, or on their
// own totals.
type Reliability struct {
	// Criterion is the criterion's ID; "" for the judges' totals.
	Criterion string
	// Units is the number of projects with at least two counted values
	// (alpha's units), Values the number of values in them.
	Units, Values int
	// Alpha is Krippendorff's alpha, interval metric; NaN when undefined,
	// with AlphaNote saying why.
	Alpha     float64
	AlphaNote string
	// Projects and Raters are the size of the ICC's design: the eligible
	// projects and the judges with a counted value on one of them.
	Projects, Raters int
	// ICC1 and ICCK are ICC(2,1) and ICC(2,k) with k = Raters; NaN when the
	// design is incomplete or too small, or when the coefficient's exact
	// denominator is 0, with ICCNote saying why.
	ICC1, ICCK float64
	ICCNote    string
	// Missing is the number of the design's (eligible project, judge)
	// cells with no counted value, and Excluded how many of them are
	// exclusions: the judge's scores of that project do not count (a
	// declared conflict, the judge's own cooperative, or an abstention,
	// SPEC.md section 7.2). When Missing equals Excluded and is not 0,
	// the ICCs are missing because of exclusions alone.
	Missing, Excluded int
}

// Judge is one judge's share of the scores and leniency.
type Judge struct {
	ID string
	// Projects is the number of projects with a counted score of the
	// judge.
	Projects int
	// Criteria holds the leniency on each criterion, in rubric order, in
	// points of that criterion's scale.
	Criteria []Leniency
	// Total is the leniency of the judge's own totals, in points of
	// total_max.
	Total Leniency
	// FewProjects reports a judge with fewer than [FewProjects] projects;
	// Isolated one who shares no project with any other judge.
	FewProjects, Isolated bool
}

// Leniency is the mean of (a judge's value − the mean of the other judges'
// values on the same project), over the Pairs projects where the judge and
// at least one other judge have a value. Positive: more generous than the
// others. Mean is computed exactly and converted to float64 once; it is
// NaN when Pairs is 0.
type Leniency struct {
	Mean  float64
	Pairs int
}

// Config adjusts [Config.Analyze]. The zero Config analyses the dataset as
// a whole, as [Analyze] does.
type Config struct {
	// GroupBy, if not empty, also measures the agreement within each
	// group of projects (Report.Groups): a group_by field, region, sector,
	// cooperative or attributes.<key>; "region" gives the stages of a tour.
	GroupBy string
}

// Analyze scores ds and measures its judges' agreement. An invalid dataset
// yields an afkar.Problems listing every problem; Analyze returns ctx.Err()
// if ctx is done first.
func Analyze(ctx context.Context, ds *afkar.Dataset) (*Report, error) {
	return Config{}.Analyze(ctx, ds)
}

// Analyze is [Analyze] with the configuration c. A GroupBy that is not a
// group_by field is an error.
func (c Config) Analyze(ctx context.Context, ds *afkar.Dataset) (*Report, error) {
	if c.GroupBy != "" && !afkar.ValidGroupBy(c.GroupBy) {
		return nil, fmt.Errorf("agreement: group by %q: expected region, sector, cooperative or attributes.<key>", c.GroupBy)
	}
	res, err := scored.Evaluate(ctx, ds)
	if err != nil {
		return nil, err
	}
	ids := scored.Judges(ds)
	judgeIndex := make(map[string]int, len(ids))
	for i, id := range ids {
		judgeIndex[id] = i
	}
	nc := len(ds.Rubric.Criteria)
	np := res.Len()
	// byCrit[c][p]: the counted scores of project p on criterion c;
	// totals[p]: the judges' own totals of p.
	byCrit := make([][][]cell, nc)
	for c := range byCrit {
		byCrit[c] = make([][]cell, np)
	}
	totals := make([][]cell, np)
	projects := make([]int, len(ids))
	shares := make([]bool, len(ids))
	var seen []int
	for p := range res.Len() {
		if p%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		b := res.Breakdown(p)
		seen = seen[:0]
		for c, cb := range b.Criteria {
			for _, s := range cb.Counted {
				j := judgeIndex[s.Judge]
				byCrit[c][p] = append(byCrit[c][p], cell{j, exact.FromDecimal(s.Value)})
				if !contains(seen, j) {
					seen = append(seen, j)
				}
			}
		}
		for _, j := range seen {
			projects[j]++
			shares[j] = shares[j] || len(seen) > 1
		}
		for _, bl := range res.Ballots(p) {
			totals[p] = append(totals[p], cell{judgeIndex[bl.Judge], bl.Total})
		}
	}
	d := &design{eligible: make([]bool, np), nj: len(ids), in: scored.Input(ds)}
	for p, o := range res.Outcomes() {
		d.eligible[p] = o.Eligible
	}
	d.index()

	rep := &Report{Judges: make([]Judge, len(ids))}
	for j, id := range ids {
		rep.Judges[j] = Judge{
			ID: id, Projects: projects[j], Criteria: make([]Leniency, nc),
			FewProjects: projects[j] < FewProjects, Isolated: !shares[j],
		}
	}
	all := make([]int, np)
	for p := range all {
		all[p] = p
	}
	rep.Criteria, rep.Totals = d.reliabilities(ds, byCrit, totals, all)
	for c := range nc {
		for j, l := range leniencies(byCrit[c], len(ids)) {
			rep.Judges[j].Criteria[c] = l
		}
	}
	for j, l := range leniencies(totals, len(ids)) {
		rep.Judges[j].Total = l
	}
	if c.GroupBy != "" {
		var order []string
		members := map[string][]int{}
		for p := range ds.Projects {
			g := afkar.GroupValue(&ds.Projects[p], c.GroupBy)
			if _, ok := members[g]; !ok {
				order = append(order, g)
			}
			members[g] = append(members[g], p)
		}
		rep.Groups = []Group{}
		for _, g := range order {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			gr := Group{Value: g, Projects: len(members[g])}
			gr.Criteria, gr.Totals = d.reliabilities(ds, byCrit, totals, members[g])
			rep.Groups = append(rep.Groups, gr)
		}
	}
	return rep, nil
}

func contains(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// design is what the ICC's design needs to know of the dataset: which
// projects are eligible, and which (project, judge) pairs are conflict
// exclusions.
type design struct {
	eligible []bool
	nj       int
	in       scoring.Input
	// projectOf maps a project ID to its index; coops a cooperative to
	// the indexes of its projects (those only a judge's cooperative can
	// exclude).
	projectOf map[string]int
	coops     map[string][]int
	// abstentions reports a judge with abstentions: the notes then name
	// them with the conflicts.
	abstentions bool
}

func (d *design) index() {
	if d.in.Judges == nil {
		return // no listed jury: nothing is excluded
	}
	d.projectOf = make(map[string]int, len(d.in.Projects))
	d.coops = map[string][]int{}
	judgeCoops := map[string]bool{}
	for _, j := range d.in.Judges {
		if j.Cooperative != "" {
			judgeCoops[j.Cooperative] = true
		}
		if len(j.Abstains) > 0 {
			d.abstentions = true
		}
	}
	for p, pr := range d.in.Projects {
		d.projectOf[pr.ID] = p
		if judgeCoops[pr.Cooperative] {
			d.coops[pr.Cooperative] = append(d.coops[pr.Cooperative], p)
		}
	}
}

// reliabilities returns the reliability of each criterion and of the
// totals over the projects members (indexes, in input order).
func (d *design) reliabilities(ds *afkar.Dataset, byCrit [][][]cell, totals [][]cell, members []int) ([]Reliability, Reliability) {
	pick := func(units [][]cell) [][]cell {
		out := make([][]cell, len(members))
		for i, p := range members {
			out[i] = units[p]
		}
		return out
	}
	crits := make([]Reliability, len(byCrit))
	for c := range byCrit {
		crits[c] = d.reliability(pick(byCrit[c]), members)
		crits[c].Criterion = ds.Rubric.Criteria[c].ID
	}
	return crits, d.reliability(pick(totals), members)
}

// reliability computes alpha over every unit and the ICCs over the
// eligible ones; units[i] holds the values of project members[i].
func (d *design) reliability(units [][]cell, members []int) Reliability {
	var r Reliability
	for _, u := range units {
		if len(u) >= 2 {
			r.Units++
			r.Values += len(u)
		}
	}
	r.Alpha = math.NaN()
	if a, err := alpha(units); err != nil {
		r.AlphaNote = err.Error()
	} else {
		r.Alpha, _ = a.Float64()
	}

	// The ICC's design: eligible projects × judges who rated any of them.
	col := make([]int, d.nj)
	for j := range col {
		col[j] = -1
	}
	var rows [][]cell
	var rowProjects []int
	cells := 0
	for i, u := range units {
		if !d.eligible[members[i]] {
			continue
		}
		rows = append(rows, u)
		rowProjects = append(rowProjects, members[i])
		cells += len(u)
		for _, x := range u {
			if col[x.judge] < 0 {
				col[x.judge] = r.Raters
				r.Raters++
			}
		}
	}
	r.Projects = len(rows)
	r.ICC1, r.ICCK = math.NaN(), math.NaN()
	r.Missing = r.Projects*r.Raters - cells
	switch {
	case r.Projects < 2:
		r.ICCNote = fmt.Sprintf("fewer than 2 eligible projects (%d)", r.Projects)
	case r.Raters < 2:
		r.ICCNote = fmt.Sprintf("fewer than 2 judges (%d)", r.Raters)
	case r.Missing > 0:
		r.Excluded = d.excludedCells(rows, rowProjects, col)
		r.ICCNote = fmt.Sprintf("incomplete design: %d of the %d (eligible project, judge) cells have no counted value", r.Missing, r.Projects*r.Raters)
		why := "conflict exclusions"
		if d.abstentions {
			why = "conflict exclusions or abstentions"
		}
		switch {
		case r.Excluded == r.Missing:
			r.ICCNote += ", all because of " + why
		case r.Excluded > 0:
			r.ICCNote += fmt.Sprintf(", %d of them because of %s", r.Excluded, why)
		}
	default:
		matrix := make([][]exact.Num, len(rows))
		for i, u := range rows {
			matrix[i] = make([]exact.Num, r.Raters)
			for _, x := range u {
				matrix[i][col[x.judge]] = x.x
			}
		}
		single, average, err := icc(matrix)
		r.ICC1, r.ICCK = float(single), float(average)
		if err != nil {
			r.ICCNote = err.Error()
		}
	}
	return r
}

// excludedCells counts the empty cells (row i, rater j) of the design
// where j's scores of project rowProjects[i] are excluded: a conflict, the
// judge's own cooperative, or an abstention. col[j] ≥ 0 marks the raters.
// It visits each rater's conflicts, cooperative's projects and
// abstentions, not every cell.
func (d *design) excludedCells(rows [][]cell, rowProjects []int, col []int) int {
	if d.in.Judges == nil {
		return 0
	}
	row := make(map[int]int, len(rowProjects))
	for i, p := range rowProjects {
		row[p] = i
	}
	count := 0
	for j, jd := range d.in.Judges {
		if col[j] < 0 {
			continue
		}
		counted := map[int]bool{}
		visit := func(p int) {
			i, ok := row[p]
			if !ok || counted[p] {
				return
			}
			counted[p] = true
			for _, x := range rows[i] {
				if x.judge == j {
					return // scored and counted: not empty
				}
			}
			count++
		}
		for _, c := range jd.Conflicts {
			if p, ok := d.projectOf[c]; ok {
				visit(p)
			}
		}
		if jd.Cooperative != "" {
			for _, p := range d.coops[jd.Cooperative] {
				visit(p)
			}
		}
		for _, a := range jd.Abstains {
			if p, ok := d.projectOf[a]; ok {
				visit(p)
			}
		}
	}
	return count
}
