package scoring

import (
	"math/big"

	"fmt"
	"github.com/afkarlab/afkar/exact"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func TestScoresTable(t *testing.T) {
	var s Scores
	require.Zero(t, s.Len())
	in := []Score{
		{Judge: "J1", Project: "P1", Criterion: "social", Value: d("17.5")},
		{Judge: "J1", Project: "P1", Criterion: "youth", Value: d("17.50")}, // not 17.5: the digits stay
		{Judge: "J2", Project: "P2", Criterion: "social", Value: d("123456789012345678901234.5")},
		{Judge: "J1", Project: "P2", Criterion: "social", Value: d("17.5")},
	}
	s.Append(in...)
	text := func(ss []Score) []string {
		var out []string
		for _, x := range ss {
			out = append(out, fmt.Sprintf("%s %s %s %s", x.Judge, x.Project, x.Criterion, x.Value.String()+"e"+fmt.Sprint(x.Value.Exponent())))
		}
		return out
	}
	require.Equal(t, text(in), text(s.Slice()))
	require.Len(t, s.t.values, 3, "17.5 is stored once")
	require.Len(t, s.t.judges.list, 2)

	// Copies share the table; Clone does not.
	c, shared := s.Clone(), s
	shared.Set(0, Score{Judge: "J3", Project: "P1", Criterion: "social", Value: d("1")})
	require.Equal(t, "J3", s.At(0).Judge)
	require.Equal(t, "J1", c.At(0).Judge)

	// AppendScores gives what appending one by one gives, from another
	// table and from the table itself.
	var u Scores
	u.Append(Score{Judge: "J9", Project: "P9", Criterion: "youth", Value: d("2")})
	u.AppendScores(c)
	u.AppendScores(u)
	want := append([]Score{{Judge: "J9", Project: "P9", Criterion: "youth", Value: d("2")}}, c.Slice()...)
	want = append(want, want...)
	require.Equal(t, text(want), text(u.Slice()))

	var n int
	for i, x := range u.All() {
		require.Equal(t, u.At(i), x)
		n++
	}
	require.Equal(t, u.Len(), n)
}

// TestScoresSharedValuesBound: past maxSharedValues distinct values, a
// table stores each further value as it comes, and still gives it back.
func TestScoresSharedValuesBound(t *testing.T) {
	var s Scores
	for i := range maxSharedValues + 10 {
		s.Append(Score{Judge: "J", Project: "P", Criterion: "c", Value: decimal.New(int64(i), -3)})
	}
	s.Append(Score{Judge: "J", Project: "P", Criterion: "c", Value: decimal.New(7, -3)})
	require.Len(t, s.t.valueOf, maxSharedValues)
	require.Equal(t, "0.007", s.At(s.Len()-1).Value.String())
	require.Equal(t, "65.545", s.At(maxSharedValues+9).Value.String())
}

// TestScoresEvaluateSame: a table built in one go, one by one or by
// joining parts gives the same results.
func TestScoresEvaluateSame(t *testing.T) {
	r := oneCriterion(Aggregation{})
	var parts [3]Scores
	var all []Score
	for i := range 30 {
		sc := Score{Judge: fmt.Sprint("J", i%4), Project: fmt.Sprint("P", i/4), Criterion: "c", Value: decimal.New(int64(i%21), 0)}
		parts[i%3].Append(sc)
		all = append(all, sc)
	}
	var joined Scores
	for _, p := range parts {
		joined.AppendScores(p)
	}
	var projects []Project
	for p := range 8 {
		projects = append(projects, Project{ID: fmt.Sprint("P", p)})
	}
	var ordered []Score
	for _, p := range parts {
		ordered = append(ordered, p.Slice()...)
	}
	a, err := r.Evaluate(t.Context(), Input{Projects: projects, Scores: ScoresOf(ordered...)})
	require.NoError(t, err)
	b, err := r.Evaluate(t.Context(), Input{Projects: projects, Scores: joined})
	require.NoError(t, err)
	if diff := cmp.Diff(outcomeText(a), outcomeText(b)); diff != "" {
		t.Fatal(diff)
	}
	// In their first order: the same totals (the order of scores changes
	// none).
	c, err := r.Evaluate(t.Context(), Input{Projects: projects, Scores: ScoresOf(all...)})
	require.NoError(t, err)
	if diff := cmp.Diff(outcomeText(a), outcomeText(c)); diff != "" {
		t.Fatal(diff)
	}
}

// TestManyDistinctValues: past 2^20 (value, criterion) pairs, validation
// scales each score on its own (idx.val) rather than each distinct value;
// the totals are the same exact ones.
func TestManyDistinctValues(t *testing.T) {
	const nc, np = 8, 17_000 // 136,000 distinct values × 8 criteria > 2^20
	r := &Rubric{Scale: Scale{Min: d("0"), Max: d("1000")}, Rounding: Rounding{Places: 6, Mode: HalfEven}}
	for c := range nc {
		r.Criteria = append(r.Criteria, Criterion{ID: fmt.Sprint("c", c), Weight: d("0.125")})
	}
	var in Input
	for p := range np {
		id := fmt.Sprint("P", p)
		in.Projects = append(in.Projects, Project{ID: id})
		for c := range nc {
			in.Scores.Append(Score{Judge: "J", Project: id, Criterion: fmt.Sprint("c", c), Value: decimal.New(int64(p*nc+c), -3)})
		}
	}
	res, err := r.Evaluate(t.Context(), in)
	require.NoError(t, err)
	for _, p := range []int{0, 1, 4999, np - 1} {
		// total = Σ_c 100·(1/8)·v/1000 with v = (8p+c)/1000.
		sum := new(big.Rat)
		for c := range nc {
			sum.Add(sum, big.NewRat(int64(p*nc+c), 1000))
		}
		want := sum.Mul(sum, big.NewRat(100, 8*1000))
		require.Equal(t, 0, outcomes(res)[p].Total.Num.Cmp(exact.FromRat(want)), "project %d", p)
	}
}

// TestResultKeepsItsScores: changing the table after Evaluate (a new
// value, a new judge) changes nothing in the Result, and does not break
// it; the table itself takes the change.
func TestResultKeepsItsScores(t *testing.T) {
	r := oneCriterion(Aggregation{})
	in := Input{Projects: []Project{{ID: "P"}}, Scores: scoresOf("P", "10", "12")}
	res, err := r.Evaluate(t.Context(), in)
	require.NoError(t, err)
	before := outcomeText(res)
	in.Scores.Set(0, Score{Judge: "Z", Project: "P", Criterion: "c", Value: d("7.25")})
	in.Scores.Append(Score{Judge: "Y", Project: "P", Criterion: "c", Value: d("19.5")})
	require.Equal(t, before, outcomeText(res))
	b := res.Breakdown(0)
	require.Equal(t, []Counted{{"A", d("10")}, {"B", d("12")}}, b.Criteria[0].Counted)
	require.Equal(t, "Z 7.25", in.Scores.At(0).Judge+" "+in.Scores.At(0).Value.String())
	require.Equal(t, 3, in.Scores.Len())
	// The table now names judge A in no score: A is not a judge of the
	// new evaluation.
	again, err := r.Evaluate(t.Context(), in)
	require.NoError(t, err)
	require.Equal(t, 3, again.Outcome(0).Judges)
	require.Len(t, again.judgeIDs, 3)
}
