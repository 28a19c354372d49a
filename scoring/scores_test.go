package scoring

import (
	"fmt"
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
}
