package swing_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/analysis/swing"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func decode(t *testing.T, s string) *afkar.Dataset {
	t.Helper()
	ds, err := afkar.Decode([]byte(s))
	require.NoError(t, err)
	return ds
}

// oneCriterion is the package doc's hand-solved case.
const oneCriterion = `{"rubric": {"criteria": [{"id": "social", "weight": "1", "step": "1"}]},
  "ranking": {"top": 1},
  "projects": [{"id": "P1"}, {"id": "P2"}],
  "scores": [
    {"judge": "J1", "project": "P1", "criterion": "social", "score": "12"},
    {"judge": "J2", "project": "P1", "criterion": "social", "score": "14"},
    {"judge": "J1", "project": "P2", "criterion": "social", "score": "12"},
    {"judge": "J2", "project": "P2", "criterion": "social", "score": "12"}]}`

func TestAnalyze(t *testing.T) {
	tests := []struct {
		name string
		ds   string
		want *swing.Report
	}{{
		// The package doc's case: three points of one score, on either
		// project; J1 and J2 alike.
		name: "one criterion",
		ds:   oneCriterion,
		want: &swing.Report{Covered: true, Boundaries: []swing.Boundary{{Last: "P1", First: "P2", Swings: []swing.Swing{
			{Judge: "J1", Flips: true, Size: dec("3"), Changes: []swing.Change{{Project: "P1", Criterion: "social", From: dec("12"), To: dec("9")}}},
			{Judge: "J2", Flips: true, Size: dec("3"), Changes: []swing.Change{{Project: "P1", Criterion: "social", From: dec("14"), To: dec("11")}}},
		}}}},
	}, {
		// The same with tie_break id and F's id the smaller: the tie
		// of size 2 goes to F.
		name: "a tie-break that favours the first not selected",
		ds: strings.ReplaceAll(strings.Replace(oneCriterion, `"top": 1`, `"top": 1, "tie_break": ["id"]`, 1),
			`"P2"`, `"A2"`),
		want: &swing.Report{Covered: true, Boundaries: []swing.Boundary{{Last: "P1", First: "A2", Swings: []swing.Swing{
			{Judge: "J1", Flips: true, Size: dec("2"), Changes: []swing.Change{{Project: "P1", Criterion: "social", From: dec("12"), To: dec("10")}}},
			{Judge: "J2", Flips: true, Size: dec("2"), Changes: []swing.Change{{Project: "P1", Criterion: "social", From: dec("14"), To: dec("12")}}},
		}}}},
	}, {
		name: "median is not covered",
		ds:   strings.Replace(oneCriterion, `"step": "1"}]`, `"step": "1"}], "aggregation": {"method": "median"}`, 1),
		want: &swing.Report{Reason: "the aggregation is median: only the mean is covered"},
	}, {
		name: "no step is not covered",
		ds:   strings.Replace(oneCriterion, `, "step": "1"`, ``, 1),
		want: &swing.Report{Reason: "criterion social has no step: not covered"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := swing.Analyze(context.Background(), decode(t, tt.ds))
			require.NoError(t, err)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Analyze (-want +got):\n%s", diff)
			}
		})
	}
}

// generate writes a small random dataset: 3 to 4 projects, 2 to 3 judges
// (each scoring every project but a few), in sectors a and b, grouped by
// sector or not, 1 or 2 criteria on 0..4 with
// step 1 or 0..2 with step 0.5, top 1 or 2, random tie rules.
func generate(rng *rand.Rand) string {
	np, nj, nc := 3+rng.IntN(2), 2+rng.IntN(2), 1+rng.IntN(2)
	var crit, ps, ss []string
	scales := []string{`"min": "0", "max": "4", "step": "1"`, `"min": "0", "max": "2", "step": "0.5"`}
	grids := [][]string{{"0", "1", "2", "3", "4"}, {"0", "0.5", "1", "1.5", "2"}}
	kinds := make([]int, nc)
	weights := []string{"1"}
	if nc == 2 {
		weights = []string{"0.6", "0.4"}
	}
	for c := range nc {
		kinds[c] = rng.IntN(2)
		crit = append(crit, fmt.Sprintf(`{"id": "c%d", "weight": %q, %s}`, c, weights[c], scales[kinds[c]]))
	}
	for p := range np {
		ps = append(ps, fmt.Sprintf(`{"id": "P%d", "sector": %q}`, p, []string{"a", "b"}[rng.IntN(2)]))
	}
	for j := range nj {
		for p := range np {
			if rng.IntN(6) == 0 && j > 0 {
				continue // a missing score, but every project keeps J0's
			}
			for c := range nc {
				g := grids[kinds[c]]
				ss = append(ss, fmt.Sprintf(`{"judge": "J%d", "project": "P%d", "criterion": "c%d", "score": %q}`, j, p, c, g[rng.IntN(len(g))]))
			}
		}
	}
	tieBreaks := []string{`[]`, `["id"]`, `["head_to_head", "id"]`, `["criterion:c0"]`}
	tieOn := []string{"rounded", "exact"}
	groupBy := ""
	if rng.IntN(2) == 0 {
		groupBy = `"group_by": "sector", `
	}
	thresholds := []string{``, `"total_threshold": "40", `, `"total_threshold": "55.5", `}
	if rng.IntN(3) == 0 {
		crit[0] = strings.Replace(crit[0], `"weight"`, `"threshold": "1", "weight"`, 1)
	}
	return fmt.Sprintf(`{"rubric": {"criteria": [%s], %s"rounding": {"places": %d, "mode": "half_up"}},
	  "ranking": {%s"top": %d, "tie_break": %s, "tie_on": %q},
	  "projects": [%s], "scores": [%s]}`,
		strings.Join(crit, ", "), thresholds[rng.IntN(3)], rng.IntN(3), groupBy, 1+rng.IntN(2), tieBreaks[rng.IntN(len(tieBreaks))], tieOn[rng.IntN(2)],
		strings.Join(ps, ", "), strings.Join(ss, ", "))
}

// TestBruteForce: on generated datasets, every change of one juror's
// scores of the two boundary projects, in any direction, is ranked; the
// least size among those that flip equals the swing, and the swing's own
// change flips.
func TestBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 3))
	checked := 0
	for range 60 {
		text := generate(rng)
		ds := decode(t, text)
		rep, err := swing.Analyze(context.Background(), ds)
		require.NoError(t, err)
		require.True(t, rep.Covered, rep.Reason)
		for _, b := range rep.Boundaries {
			for _, sw := range b.Swings {
				require.False(t, sw.Undecided)
				least, ok := bruteForce(t, ds, b, sw.Judge)
				require.Equal(t, ok, sw.Flips, "%s %s vs %s, %s\n%s", sw.Judge, b.Last, b.First, b.Group, text)
				if ok {
					require.True(t, least.Equal(sw.Size), "%s: brute force %s, swing %s\n%s", sw.Judge, least, sw.Size, text)
					require.True(t, flipsWith(t, ds, b, sw.Judge, sw.Changes), "the swing's change flips")
				}
				checked++
			}
		}
	}
	t.Logf("%d swings checked", checked)
	require.Greater(t, checked, 40)
}

// bruteForce returns the least size of a change of judge j's scores of
// the boundary's projects that flips it.
func bruteForce(t *testing.T, ds *afkar.Dataset, b swing.Boundary, j string) (decimal.Decimal, bool) {
	var idx []int
	for i, s := range ds.Scores.All() {
		if s.Judge == j && (s.Project == b.Last || s.Project == b.First) {
			idx = append(idx, i)
		}
	}
	var best decimal.Decimal
	found := false
	vals := make([]decimal.Decimal, len(idx))
	var rec func(k int)
	rec = func(k int) {
		if k == len(idx) {
			var ch []swing.Change
			size := decimal.Zero
			for x, i := range idx {
				s := ds.Scores.At(i)
				if !vals[x].Equal(s.Value) {
					ch = append(ch, swing.Change{Project: s.Project, Criterion: s.Criterion, From: s.Value, To: vals[x]})
					size = size.Add(vals[x].Sub(s.Value).Abs())
				}
			}
			if (!found || size.LessThan(best)) && flipsWith(t, ds, b, j, ch) {
				best, found = size, true
			}
			return
		}
		s := ds.Scores.At(idx[k])
		c := ds.Rubric.Index(s.Criterion)
		lo, hi, step := ds.Rubric.Range(c)
		for v := lo; v.LessThanOrEqual(hi); v = v.Add(step) {
			vals[k] = v
			rec(k + 1)
		}
	}
	rec(0)
	return best, found
}

// flipsWith ranks ds with judge j's changes and reports whether First
// ranks above Last.
func flipsWith(t *testing.T, ds *afkar.Dataset, b swing.Boundary, j string, ch []swing.Change) bool {
	c := *ds
	c.Scores = ds.Scores.Clone()
	for i, s := range ds.Scores.All() {
		for _, x := range ch {
			if s.Judge == j && s.Project == x.Project && s.Criterion == x.Criterion {
				s.Value = x.To
				c.Scores.Set(i, s)
			}
		}
	}
	res, err := afkar.Evaluate(context.Background(), &c)
	require.NoError(t, err)
	var rl, rf afkar.ProjectResult
	for _, p := range res.Projects() {
		switch p.ID {
		case b.Last:
			rl = p
		case b.First:
			rf = p
		}
	}
	if ds.Ranking.GroupBy != "" {
		rl.Rank, rf.Rank = rl.GroupRank, rf.GroupRank
	}
	return !rf.Rank.IsZero() && (rl.Rank.IsZero() || rf.Rank.Compare(rl.Rank) < 0)
}
