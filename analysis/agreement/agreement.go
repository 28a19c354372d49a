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
//     project, and otherwise none, with the reason ([ICC]);
//
// and for each judge the projects scored and the leniency: the mean of
// (the judge's value − the mean of the other judges' values on the same
// project), per criterion and on totals, with the number of such pairs.
//
// Scores are exact decimals, totals exact rationals; the statistics are
// estimates and are computed in float64 from them.
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
	// design is incomplete or too small, with ICCNote saying why.
	ICC1, ICCK float64
	ICCNote    string
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
// others. Mean is NaN when Pairs is 0.
type Leniency struct {
	Mean  float64
	Pairs int
}

// value is one judge's value of one project.
type value struct {
	judge int
	v     float64
}

// Analyze scores ds and measures its judges' agreement. An invalid dataset
// yields an afkar.Problems listing every problem; Analyze returns ctx.Err()
// if ctx is done first.
func Analyze(ctx context.Context, ds *afkar.Dataset) (*Report, error) {
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
	np := len(res.Projects)
	// byCrit[c][p]: the counted scores of project p on criterion c;
	// totals[p]: the judges' own totals of p.
	byCrit := make([][][]value, nc)
	for c := range byCrit {
		byCrit[c] = make([][]value, np)
	}
	totals := make([][]value, np)
	projects := make([]int, len(ids))
	shares := make([]bool, len(ids))
	var seen []int
	for p := range res.Projects {
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
				byCrit[c][p] = append(byCrit[c][p], value{j, s.Value.InexactFloat64()})
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
			t, _ := bl.Total.Rat().Float64()
			totals[p] = append(totals[p], value{judgeIndex[bl.Judge], t})
		}
	}
	eligible := make([]bool, np)
	for p, o := range res.Projects {
		eligible[p] = o.Eligible
	}

	rep := &Report{Criteria: make([]Reliability, nc), Judges: make([]Judge, len(ids))}
	for j, id := range ids {
		rep.Judges[j] = Judge{
			ID: id, Projects: projects[j], Criteria: make([]Leniency, nc),
			FewProjects: projects[j] < FewProjects, Isolated: !shares[j],
		}
	}
	for c := range nc {
		rep.Criteria[c] = reliability(byCrit[c], eligible, len(ids))
		rep.Criteria[c].Criterion = ds.Rubric.Criteria[c].ID
		for j, l := range leniency(byCrit[c], len(ids)) {
			rep.Judges[j].Criteria[c] = l
		}
	}
	rep.Totals = reliability(totals, eligible, len(ids))
	for j, l := range leniency(totals, len(ids)) {
		rep.Judges[j].Total = l
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

// reliability computes alpha over every project and the ICCs over the
// eligible ones.
func reliability(units [][]value, eligible []bool, nj int) Reliability {
	var r Reliability
	plain := make([][]float64, 0, len(units))
	for _, u := range units {
		if len(u) >= 2 {
			r.Units++
			r.Values += len(u)
		}
		vs := make([]float64, len(u))
		for i, x := range u {
			vs[i] = x.v
		}
		plain = append(plain, vs)
	}
	var err error
	if r.Alpha, err = Alpha(plain); err != nil {
		r.AlphaNote = err.Error()
	}

	// The ICC's design: eligible projects × judges who rated any of them.
	col := make([]int, nj)
	for j := range col {
		col[j] = -1
	}
	var rows [][]value
	cells := 0
	for p, u := range units {
		if !eligible[p] {
			continue
		}
		rows = append(rows, u)
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
	switch missing := r.Projects*r.Raters - cells; {
	case r.Projects < 2:
		r.ICCNote = fmt.Sprintf("fewer than 2 eligible projects (%d)", r.Projects)
	case r.Raters < 2:
		r.ICCNote = fmt.Sprintf("fewer than 2 judges (%d)", r.Raters)
	case missing > 0:
		r.ICCNote = fmt.Sprintf("incomplete design: %d of the %d (eligible project, judge) cells have no counted value", missing, r.Projects*r.Raters)
	default:
		matrix := make([][]float64, len(rows))
		for i, u := range rows {
			matrix[i] = make([]float64, r.Raters)
			for _, x := range u {
				matrix[i][col[x.judge]] = x.v
			}
		}
		if r.ICC1, r.ICCK, err = ICC(matrix); err != nil {
			r.ICCNote = err.Error()
		}
	}
	return r
}

// leniency returns each judge's mean difference from the other judges'
// mean, over the units where the judge and at least one other have a
// value.
func leniency(units [][]value, nj int) []Leniency {
	sum := make([]float64, nj)
	out := make([]Leniency, nj)
	for _, u := range units {
		m := len(u)
		if m < 2 {
			continue
		}
		var total float64
		for _, x := range u {
			total += x.v
		}
		for _, x := range u {
			others := (total - x.v) / float64(m-1)
			sum[x.judge] += x.v - others
			out[x.judge].Pairs++
		}
	}
	for j := range out {
		out[j].Mean = math.NaN()
		if out[j].Pairs > 0 {
			out[j].Mean = sum[j] / float64(out[j].Pairs)
		}
	}
	return out
}
