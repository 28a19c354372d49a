package scoring

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// widened returns a copy of s in the wide form, whatever its cells.
func widened(s Scores) Scores {
	c := s.Clone()
	if c.t != nil && !c.t.wide {
		c.t.widen()
	}
	return c
}

// interleaved returns the scores of s in another order: one score of each
// project in turn, so that every project's scores come in several runs.
func interleaved(s Scores) Scores {
	byProject := map[string][]Score{}
	var order []string
	for _, sc := range s.All() {
		if _, ok := byProject[sc.Project]; !ok {
			order = append(order, sc.Project)
		}
		byProject[sc.Project] = append(byProject[sc.Project], sc)
	}
	var out Scores
	for k := 0; ; k++ {
		more := false
		for _, p := range order {
			if k < len(byProject[p]) {
				out.Append(byProject[p][k])
				more = true
			}
		}
		if !more {
			return out
		}
	}
}

// exclusionText renders a result's exclusions as a sorted list, which the
// order of the scores does not change.
func exclusionText(res *Result) []string {
	var out []string
	for _, x := range res.Excluded {
		out = append(out, fmt.Sprint(x.Judge, x.Project, x.Criterion, x.Reason))
	}
	slices.Sort(out)
	return out
}

// anyMethodCase returns randomCase by the i-th method of Methods in turn,
// with z-scores rounded to 2 places (their exact values take square
// roots to 256 bits: rounded, they compare).
func anyMethodCase(rng *rand.Rand, i int) (*Rubric, Input) {
	m := Methods()[i%len(Methods())]
	r, in := randomCase(rng, m)
	if m == ZScore {
		r.Rounding = Rounding{Places: 2, Mode: HalfUp}
	}
	return r, in
}

// TestTableFormsMatch: the coded table, the same scores in the wide form,
// and the scores interleaved (every project in several runs, evaluated
// through a list of indices rather than one run each) give the same
// exact results, by every method, on the int64 and the big.Rat paths.
func TestTableFormsMatch(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 13))
	for i := range 400 {
		r, in := anyMethodCase(rng, i)
		if in.Scores.Len() == 0 {
			continue
		}
		require.False(t, in.Scores.t.wide, "case %d: a grid's scores are coded", i)
		base, err := r.Evaluate(context.Background(), in)
		require.NoError(t, err, "case %d", i)
		require.Nil(t, base.idx.seq, "case %d: generated scores come grouped", i)
		for name, scores := range map[string]Scores{"wide": widened(in.Scores), "interleaved": interleaved(in.Scores)} {
			other := in
			other.Scores = scores
			res, err := r.Evaluate(context.Background(), other)
			require.NoError(t, err, "case %d", i)
			if _, scored, _, _ := scores.Distinct(); len(scores.t.runStart) > len(scored) {
				require.NotNil(t, res.idx.seq, "case %d: interleaved scores take the list of indices", i)
			}
			if diff := cmp.Diff(outcomeText(base), outcomeText(res)); diff != "" {
				t.Fatalf("case %d (%s, %s): (-coded +%s):\n%s", i, r.Aggregation.Method, name, name, diff)
			}
			require.Equal(t, exclusionText(base), exclusionText(res), "case %d (%s)", i, name)
			for p := range in.Projects {
				require.Equal(t, breakdownText(base.Breakdown(p)), breakdownText(res.Breakdown(p)), "case %d (%s)", i, name)
			}
		}
	}
}

// breakdownText renders a breakdown's counted scores per criterion, sorted
// by judge, and its aggregates.
func breakdownText(b Breakdown) []string {
	var out []string
	for _, c := range b.Criteria {
		var counted []string
		for _, x := range c.Counted {
			counted = append(counted, x.Judge+"="+x.Value.String())
		}
		slices.Sort(counted)
		out = append(out, fmt.Sprint(c.Criterion, counted, c.Value.Valid, c.Value.Num, c.Contribution.Num))
	}
	return out
}

// TestTableSwitchesToWide: a table codes up to maxCells distinct (judge,
// criterion, value) cells in 16 bits; the next one moves it, once, to the
// wide form, which gives back every score as it came; evaluation gives the
// same totals on either side of the boundary.
func TestTableSwitchesToWide(t *testing.T) {
	var s Scores
	var want []Score
	// 4 judges × 2 criteria × 8,192 values = 65,536 cells.
	for v := range 8192 {
		for j := range 4 {
			for c := range 2 {
				sc := Score{Judge: fmt.Sprint("J", j), Project: fmt.Sprint("P", v), Criterion: fmt.Sprint("c", c), Value: decimal.New(int64(v), -3)}
				s.Append(sc)
				want = append(want, sc)
			}
		}
	}
	require.False(t, s.t.wide)
	require.Len(t, s.t.cells, maxCells)
	// A cell seen before keeps the codes.
	again := Score{Judge: "J0", Project: "P8192", Criterion: "c0", Value: decimal.New(5, -3)}
	s.Append(again)
	want = append(want, again)
	require.False(t, s.t.wide)
	extra := Score{Judge: "J9", Project: "P7", Criterion: "c1", Value: decimal.New(1, 0)}
	s.Append(extra)
	want = append(want, extra)
	require.True(t, s.t.wide, "cell 65,537 widens the table")
	require.Nil(t, s.t.code)
	require.Equal(t, len(want), s.Len())
	for i, sc := range s.All() {
		require.Equal(t, want[i].Judge+want[i].Project+want[i].Criterion+want[i].Value.String(), sc.Judge+sc.Project+sc.Criterion+sc.Value.String(), "score %d", i)
		require.Equal(t, s.At(i), sc)
	}

	// Just below and just past the boundary, the same exact results.
	r := &Rubric{Scale: Scale{Min: d("0"), Max: d("10")}, Weights: RelativeWeights,
		Criteria: []Criterion{{ID: "c0", Weight: d("1")}, {ID: "c1", Weight: d("2")}}}
	var projects []Project
	for p := range 8193 {
		projects = append(projects, Project{ID: fmt.Sprint("P", p)})
	}
	coded := ScoresOf(want[:len(want)-1]...)
	require.False(t, coded.t.wide)
	a, err := r.Evaluate(t.Context(), Input{Projects: projects, Scores: coded})
	require.NoError(t, err)
	b, err := r.Evaluate(t.Context(), Input{Projects: projects, Scores: widened(coded)})
	require.NoError(t, err)
	if diff := cmp.Diff(outcomeText(a), outcomeText(b)); diff != "" {
		t.Fatalf("(-coded +wide):\n%s", diff)
	}
}

// TestTableRuns: a table stores runs of one project's scores; Set that
// changes a score's project cuts its run and joins runs again, and every
// reader (At, Ref, Refs, All) agrees with the scores as set.
func TestTableRuns(t *testing.T) {
	var s Scores
	var want []Score
	for p := range 3 {
		for j := range 3 {
			sc := Score{Judge: fmt.Sprint("J", j), Project: fmt.Sprint("P", p), Criterion: "c", Value: decimal.NewFromInt(int64(p + j))}
			s.Append(sc)
			want = append(want, sc)
		}
	}
	require.Len(t, s.t.runStart, 3)
	check := func() {
		t.Helper()
		judges, projects, criteria, values := s.Distinct()
		for i, r := range s.Refs() {
			j, p, c, v := s.Ref(i)
			require.Equal(t, Ref{j, p, c, v}, r)
			got := Score{Judge: judges[r.Judge], Project: projects[r.Project], Criterion: criteria[r.Criterion], Value: values[r.Value]}
			require.Equal(t, want[i], got, "score %d", i)
			require.Equal(t, want[i], s.At(i))
		}
		require.Equal(t, want, s.Slice())
	}
	check()
	for _, step := range []struct {
		i       int
		project string
		runs    int
	}{
		{4, "P9", 5},  // the middle of P1's run: P1, P9, P1
		{4, "P1", 3},  // back: one run again
		{3, "P0", 3},  // the first of P1's run joins P0's
		{8, "P3", 4},  // the last score
		{0, "P1", 5},  // the first score
		{5, "P0", 5},  // P0 P0 P0 P0(3) P1(4) P0(5)... see check()
		{6, "P0", 5},  // joins the run before
		{7, "P0", -1}, // any
	} {
		sc := want[step.i]
		sc.Project = step.project
		s.Set(step.i, sc)
		want[step.i] = sc
		check()
		runs := 1
		for i := 1; i < len(want); i++ {
			if want[i].Project != want[i-1].Project {
				runs++
			}
		}
		require.Len(t, s.t.runStart, runs, "after setting score %d: one run per change of project", step.i)
	}
}

// TestTableBytesPerScore: scores grouped by project from a grid take two
// bytes each (a 16-bit code), plus 8 bytes a project's run, and nothing
// per score in the wide columns.
func TestTableBytesPerScore(t *testing.T) {
	var s Scores
	const np, nj, nc = 2000, 5, 6
	for p := range np {
		for j := range nj {
			for c := range nc {
				s.Append(Score{Judge: fmt.Sprint("J", j), Project: fmt.Sprint("P", p), Criterion: fmt.Sprint("c", c),
					Value: decimal.New(int64((p*7+j*3+c)%41*5), -1)})
			}
		}
	}
	tb := s.t
	require.False(t, tb.wide)
	require.Nil(t, tb.judge)
	require.Len(t, tb.code, np*nj*nc)
	require.Len(t, tb.runStart, np)
	require.LessOrEqual(t, len(tb.cells), nj*nc*41)
	perScore := float64(2*len(tb.code)+8*len(tb.runStart)) / float64(s.Len())
	require.Less(t, perScore, 2.3, "bytes a score in the columns")
}

// TestAppendAll: joining parts at once gives what appending them one by
// one gives.
func TestAppendAll(t *testing.T) {
	var parts []Scores
	var want []Score
	for k := range 5 {
		var part Scores
		for p := range 700 {
			for j := range 3 {
				sc := Score{Judge: fmt.Sprint("J", (j+k)%4), Project: fmt.Sprint("P", p+k*500), Criterion: "c", Value: decimal.New(int64(p%9), -1)}
				part.Append(sc)
				want = append(want, sc)
			}
		}
		parts = append(parts, part)
	}
	var all Scores
	all.AppendAll(append(parts, Scores{})...)
	require.Equal(t, want, all.Slice())
	var one Scores
	for _, p := range parts {
		one.AppendScores(p)
	}
	j1, p1, c1, v1 := all.Distinct()
	j2, p2, c2, v2 := one.Distinct()
	require.Equal(t, [][]string{j2, p2, c2}, [][]string{j1, p1, c1})
	require.Equal(t, v2, v1)
}

// TestProjectsAsTableIDs: projects listed as the table's own distinct IDs
// in its order take validation's path without a map of IDs; listed in
// another order, the same projects take the map. Both give the same
// outcomes, exclusions (conflicts and cooperatives included) and problems.
func TestProjectsAsTableIDs(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 17))
	for i := range 300 {
		r, in := anyMethodCase(rng, i)
		_, ids, _, _ := in.Scores.Distinct()
		if len(ids) == 0 {
			continue
		}
		coop := map[string]string{}
		for _, p := range in.Projects {
			coop[p.ID] = p.Cooperative
		}
		in.Projects = nil
		for _, id := range ids {
			in.Projects = append(in.Projects, Project{ID: id, Cooperative: coop[id]})
		}
		if i%10 == 0 { // an invalid ID among them: a problem either way
			in.Scores.Set(0, Score{Judge: in.Scores.At(0).Judge, Project: "bad id", Criterion: in.Scores.At(0).Criterion, Value: in.Scores.At(0).Value})
			_, ids, _, _ = in.Scores.Distinct()
			in.Projects = append(in.Projects[:0:0], in.Projects...)
			for len(in.Projects) < len(ids) {
				in.Projects = append(in.Projects, Project{ID: ids[len(in.Projects)]})
			}
		}
		reversed := in
		reversed.Projects = slices.Clone(in.Projects)
		slices.Reverse(reversed.Projects)
		a, errA := r.Evaluate(context.Background(), in)
		b, errB := r.Evaluate(context.Background(), reversed)
		if errA != nil || errB != nil {
			require.Error(t, errA, "case %d", i)
			require.Error(t, errB, "case %d", i)
			require.ElementsMatch(t, problemCodes(errA), problemCodes(errB), "case %d", i)
			continue
		}
		if !slices.ContainsFunc(in.Judges, func(j Judge) bool { return len(j.Conflicts)+len(j.Abstains) > 0 }) {
			require.Nil(t, a.idx.projects, "case %d: no map of IDs without conflicts to look up", i)
		}
		textA, textB := outcomeText(a), outcomeText(b)
		slices.Sort(textA)
		slices.Sort(textB)
		require.Equal(t, textA, textB, "case %d", i)
		require.Equal(t, exclusionText(a), exclusionText(b), "case %d", i)
	}
}

// problemCodes lists the codes of err's problems.
func problemCodes(err error) []Code {
	var codes []Code
	for _, p := range err.(Problems) {
		codes = append(codes, p.Code)
	}
	return codes
}

// TestAppendAllDropsProjectIndex: a table joined from parts keeps no map
// of its project IDs, and makes it again when added to: a project seen
// before keeps its index, through Append, Set and AppendAll alike.
func TestAppendAllDropsProjectIndex(t *testing.T) {
	var a, b Scores
	a.Append(Score{Judge: "J1", Project: "P1", Criterion: "c", Value: d("1")}, Score{Judge: "J1", Project: "P2", Criterion: "c", Value: d("2")})
	b.Append(Score{Judge: "J1", Project: "P3", Criterion: "c", Value: d("3")}, Score{Judge: "J1", Project: "P1", Criterion: "c", Value: d("4")})
	var s Scores
	s.AppendAll(a, b)
	require.Nil(t, s.t.projects.index)
	s.Append(Score{Judge: "J2", Project: "P2", Criterion: "c", Value: d("5")})
	s.Set(0, Score{Judge: "J1", Project: "P3", Criterion: "c", Value: d("1")})
	s.AppendAll(ScoresOf(Score{Judge: "J2", Project: "P1", Criterion: "c", Value: d("6")}))
	_, projects, _, _ := s.Distinct()
	require.Equal(t, []string{"P1", "P2", "P3"}, projects)
	var got []string
	for _, sc := range s.All() {
		got = append(got, sc.Project+":"+sc.Value.String())
	}
	require.Equal(t, []string{"P3:1", "P2:2", "P3:3", "P1:4", "P2:5", "P1:6"}, got)
	for i := range s.Len() {
		_, p, _, _ := s.Ref(i)
		require.Equal(t, got[i][:2], projects[p])
	}
}

// TestProjectsThroughTableIndex: validation finds the projects the score
// table names through the table's own map of IDs, and only the others
// through a map of its own; without the table's map (a snapshot has
// none), every project goes through its own map. Both give the same
// outcomes, exclusions and problems, with projects listed as the table's
// own IDs or not, duplicate projects, projects without scores, invalid IDs
// and conflicts naming unknown projects.
func TestProjectsThroughTableIndex(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 5))
	compared := 0
	defer func() { require.Greater(t, compared, 120, "valid cases whose outcomes are compared") }()
	for i := range 300 {
		r, in := anyMethodCase(rng, i)
		in.Projects = slices.Clone(in.Projects)
		rng.Shuffle(len(in.Projects), func(a, b int) { in.Projects[a], in.Projects[b] = in.Projects[b], in.Projects[a] })
		switch i % 6 {
		case 0: // the table's own IDs, in its order, and a conflict naming one
			_, ids, _, _ := in.Scores.Distinct()
			in.Projects = in.Projects[:0]
			for _, id := range ids {
				in.Projects = append(in.Projects, Project{ID: id})
			}
			if len(ids) > 0 {
				in.Judges = append(slices.Clone(in.Judges), Judge{ID: "JX", Conflicts: []string{ids[rng.IntN(len(ids))]}})
			}
		case 1: // shuffled only
		case 2: // a project without scores, and conflicts naming it and a scored one
			in.Projects = append(in.Projects, Project{ID: "idle"})
			conflicts := []string{"idle"}
			if len(in.Projects) > 1 {
				conflicts = append(conflicts, in.Projects[0].ID)
			}
			in.Judges = append(slices.Clone(in.Judges), Judge{ID: "JX", Conflicts: conflicts})
		case 3: // a project twice
			if len(in.Projects) > 0 {
				in.Projects = append(in.Projects, in.Projects[rng.IntN(len(in.Projects))])
			}
		case 4: // a project without scores, twice; an invalid ID
			in.Projects = append(in.Projects, Project{ID: "idle"}, Project{ID: "idle"}, Project{ID: "bad id"})
		case 5: // a conflict naming an unknown project
			in.Judges = append(slices.Clone(in.Judges), Judge{ID: "JX", Conflicts: []string{"nowhere"}})
		}
		if in.Scores.Len() == 0 {
			continue // no table, no map
		}
		require.NotNil(t, in.Scores.projectIndex(), "case %d: a table built by Append has its map", i)
		own := in
		own.Scores = in.Scores.snapshot()
		require.Nil(t, own.Scores.projectIndex())
		a, errA := r.Evaluate(context.Background(), in)
		b, errB := r.Evaluate(context.Background(), own)
		if errA != nil || errB != nil {
			require.Equal(t, errB, errA, "case %d", i)
			continue
		}
		compared++
		require.Equal(t, outcomeText(b), outcomeText(a), "case %d", i)
		require.Equal(t, exclusionText(b), exclusionText(a), "case %d", i)
	}
}

// TestNilProjects: an Input without Projects scores the projects its
// scores name, in order of first appearance, as the same Input listing
// them (without cooperatives) does, by every method; and reports a score
// naming an ID of the wrong form as such, where a list would make it
// unknown.
func TestNilProjects(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 21))
	for i := range 300 {
		r, in := anyMethodCase(rng, i)
		_, named, _, _ := in.Scores.Distinct()
		// Conflicts only with the projects the scores name.
		in.Judges = slices.Clone(in.Judges)
		for j := range in.Judges {
			in.Judges[j].Conflicts = slices.DeleteFunc(slices.Clone(in.Judges[j].Conflicts),
				func(id string) bool { return !slices.Contains(named, id) })
		}
		listed := in
		listed.Projects = nil
		for _, id := range named {
			listed.Projects = append(listed.Projects, Project{ID: id})
		}
		bare := in
		bare.Projects = nil
		want, err := r.Evaluate(t.Context(), listed)
		require.NoError(t, err)
		got, err := r.Evaluate(t.Context(), bare)
		require.NoError(t, err)
		require.Equal(t, len(named), got.Len())
		if diff := cmp.Diff(outcomeText(want), outcomeText(got)); diff != "" {
			t.Fatalf("case %d (%s): (-listed +nil):\n%s", i, r.method(), diff)
		}
		require.Equal(t, want.Excluded, got.Excluded)
		for p := range got.Len() {
			require.Equal(t, want.Breakdown(p), got.Breakdown(p))
		}
	}

	r, in := randomCase(rng, Mean)
	bad := in.Scores.At(0)
	bad.Project = "P 1"
	in.Scores.Append(bad)
	listed := in
	_, err := r.Evaluate(t.Context(), listed)
	require.ErrorContains(t, err, `unknown project "P 1"`)
	in.Projects = nil
	_, err = r.Evaluate(t.Context(), in)
	var ps Problems
	require.ErrorAs(t, err, &ps)
	require.Len(t, ps, 1)
	require.Equal(t, CodeProjectInvalidID, ps[0].Code)
	require.Equal(t, fmt.Sprintf("scores[%d].project", in.Scores.Len()-1), ps[0].Path)
}

// listOf is a ProjectList of its own, as a caller keeps it.
type listOf struct{ ids, coops []string }

func (l listOf) Len() int { return len(l.ids) }

func (l listOf) At(i int) Project { return Project{ID: l.ids[i], Cooperative: l.coops[i]} }

// TestProjectList: projects given as a ProjectList mean what the same
// Projects mean (results, exclusions, breakdowns, problems), ProjectList
// overrides Projects, and the Result does not read the list once Evaluate
// returns.
func TestProjectList(t *testing.T) {
	rng := rand.New(rand.NewPCG(22, 22))
	for i := range 300 {
		r, in := anyMethodCase(rng, i)
		switch i % 4 {
		case 1: // listed in another order than the scores name them
			rng.Shuffle(len(in.Projects), func(a, b int) { in.Projects[a], in.Projects[b] = in.Projects[b], in.Projects[a] })
		case 2: // a project without scores
			in.Projects = append(in.Projects, Project{ID: "Q0", Cooperative: "k1"})
		case 3: // problems: a duplicate and an invalid ID
			if i%8 == 3 {
				in.Projects = append(in.Projects, in.Projects[0], Project{ID: "Q 1"})
			}
		}
		var l listOf
		for _, p := range in.Projects {
			l.ids, l.coops = append(l.ids, p.ID), append(l.coops, p.Cooperative)
		}
		viaList := in
		viaList.Projects = []Project{{ID: "ignored"}}
		viaList.ProjectList = l
		want, wantErr := r.Evaluate(t.Context(), in)
		got, err := r.Evaluate(t.Context(), viaList)
		if wantErr != nil {
			require.Equal(t, wantErr, err, "case %d", i)
			continue
		}
		require.NoError(t, err, "case %d", i)
		before := outcomeText(got)
		for k := range l.ids {
			l.ids[k], l.coops[k] = "changed", "changed"
		}
		if diff := cmp.Diff(outcomeText(want), before); diff != "" {
			t.Fatalf("case %d (%s): (-Projects +ProjectList):\n%s", i, r.method(), diff)
		}
		require.Equal(t, before, outcomeText(got), "case %d: the Result read the list after Evaluate", i)
		require.Equal(t, want.Excluded, got.Excluded)
		for p := range got.Len() {
			require.Equal(t, want.Breakdown(p), got.Breakdown(p))
		}
	}
}
