package scoring

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/afkarlab/afkar/exact"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// oneCriterion is a rubric with a single criterion "c" on 0..20, so that
// the total is 5 × the aggregate (total_max 100 over a range of 20).
func oneCriterion(m Aggregation) *Rubric {
	return &Rubric{
		Criteria:    []Criterion{{ID: "c", Weight: d("1"), Min: d("0"), Max: d("20")}},
		Aggregation: m,
		Rounding:    Rounding{Places: 4, Mode: HalfUp},
	}
}

func scoresOf(project string, values ...string) Scores {
	var out Scores
	for i, v := range values {
		out.Append(Score{Judge: string(rune('A' + i)), Project: project, Criterion: "c", Value: d(v)})
	}
	return out
}

func TestAggregationMethods(t *testing.T) {
	tests := []struct {
		name   string
		agg    Aggregation
		scores []string
		want   string // published aggregate, 4 places; "" for undefined
	}{
		{"mean", Aggregation{Method: Mean}, []string{"10", "11", "15"}, "12.0000"},
		{"mean of thirds", Aggregation{}, []string{"10", "10", "11"}, "10.3333"},
		{"median odd", Aggregation{Method: Median}, []string{"3", "19", "7"}, "7.0000"},
		{"median even is the mean of the middle two", Aggregation{Method: Median}, []string{"3", "19", "7", "8"}, "7.5000"},
		{"trimmed drops one at each end", Aggregation{Method: TrimmedMean, Trim: 1}, []string{"0", "10", "12", "20"}, "11.0000"},
		{"trimmed needs more than 2·trim scores", Aggregation{Method: TrimmedMean, Trim: 1}, []string{"10", "12"}, ""},
		{"decimal scores", Aggregation{}, []string{"15.5", "14.25"}, "14.8750"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := oneCriterion(tt.agg)
			res, err := r.Evaluate(context.Background(), Input{Projects: []Project{{ID: "P"}}, Scores: scoresOf("P", tt.scores...)})
			require.NoError(t, err)
			a := outcomes(res)[0].Criteria[0]
			if tt.want == "" {
				require.False(t, a.Value.Valid)
				require.False(t, a.Rounded().Valid)
				require.False(t, outcomes(res)[0].Total.Valid)
				require.Equal(t, []string{"quorum:c"}, outcomes(res)[0].Reasons)
				return
			}
			require.Equal(t, tt.want, a.Rounded().Num.Text(4))
		})
	}
}

func TestZScore(t *testing.T) {
	// Judge A is lenient, judge B severe; both rank X above Y. After
	// normalisation both judges' scores have the pooled mean and spread.
	r := oneCriterion(Aggregation{Method: ZScore})
	in := Input{
		Projects: []Project{{ID: "X"}, {ID: "Y"}},
		Scores: ScoresOf([]Score{
			{Judge: "A", Project: "X", Criterion: "c", Value: d("18")},
			{Judge: "A", Project: "Y", Criterion: "c", Value: d("16")},
			{Judge: "B", Project: "X", Criterion: "c", Value: d("8")},
			{Judge: "B", Project: "Y", Criterion: "c", Value: d("4")},
		}...),
	}
	res, err := r.Evaluate(context.Background(), in)
	require.NoError(t, err)
	// μ(c) = 11.5, σ(c)² = 165 − 11.5² = 32.75, σ(c) = 5.72276157…;
	// A: μ 17, σ 1; B: μ 6, σ 2. Every X score becomes μ(c) + σ(c),
	// every Y score μ(c) − σ(c).
	require.Equal(t, "17.2228", outcomes(res)[0].Criteria[0].Rounded().Num.Text(4))
	require.Equal(t, "5.7772", outcomes(res)[1].Criteria[0].Rounded().Num.Text(4))
}

func TestZScoreClampsAndConstantJudge(t *testing.T) {
	r := oneCriterion(Aggregation{Method: ZScore})
	in := Input{
		Projects: []Project{{ID: "X"}, {ID: "Y"}, {ID: "Z"}},
		Scores: ScoresOf([]Score{
			{Judge: "A", Project: "X", Criterion: "c", Value: d("20")},
			{Judge: "A", Project: "Y", Criterion: "c", Value: d("0")},
			{Judge: "A", Project: "Z", Criterion: "c", Value: d("0")},
			{Judge: "B", Project: "X", Criterion: "c", Value: d("7")}, // σ(B) = 0
			{Judge: "B", Project: "Y", Criterion: "c", Value: d("7")},
		}...),
	}
	res, err := r.Evaluate(context.Background(), in)
	require.NoError(t, err)
	for _, o := range outcomes(res) {
		for _, a := range o.Criteria {
			require.True(t, a.Value.Num.Cmp(exact.Int(0)) >= 0 && a.Value.Num.Cmp(exact.Int(20)) <= 0, "aggregate %s out of range", a.Value)
		}
	}
}

func TestExclusions(t *testing.T) {
	r := oneCriterion(Aggregation{})
	in := Input{
		Projects: []Project{{ID: "P1", Cooperative: "coop-1"}, {ID: "P2", Cooperative: "coop-2"}},
		Judges: []Judge{
			{ID: "A", Cooperative: "coop-1", Conflicts: []string{"P1"}}, // both reasons: conflict wins
			{ID: "B", Cooperative: "coop-2"},
			{ID: "C"},
		},
		Scores: ScoresOf([]Score{
			{Judge: "A", Project: "P1", Criterion: "c", Value: d("20")},
			{Judge: "B", Project: "P2", Criterion: "c", Value: d("20")},
			{Judge: "C", Project: "P1", Criterion: "c", Value: d("10")},
			{Judge: "C", Project: "P2", Criterion: "c", Value: d("10")},
			{Judge: "B", Project: "P1", Criterion: "c", Value: d("12")},
		}...),
	}
	res, err := r.Evaluate(context.Background(), in)
	require.NoError(t, err)
	want := []Exclusion{
		{Score: 0, Judge: "A", Project: "P1", Criterion: "c", Reason: Conflict},
		{Score: 1, Judge: "B", Project: "P2", Criterion: "c", Reason: SameCooperative},
	}
	if diff := cmp.Diff(want, res.Excluded); diff != "" {
		t.Fatalf("exclusions (-want +got):\n%s", diff)
	}
	require.Equal(t, "11.0000", outcomes(res)[0].Criteria[0].Rounded().Num.Text(4))
	require.Equal(t, 2, outcomes(res)[0].Judges)
	require.Equal(t, 1, outcomes(res)[1].Judges)
}

// Judge.Excludes gives every score the exclusion Evaluate gives it: a
// random jury, cooperatives, conflicts and abstentions (some on the same
// projects as conflicts), every judge scoring every project.
func TestExcludesMatchesEvaluate(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	r := oneCriterion(Aggregation{})
	// How often an abstention met each other reason, and none: each case
	// must come up.
	seen := map[Reason]int{}
	for range 50 {
		var in Input
		coop := func() string { return []string{"", "", "k1", "k2"}[rng.IntN(4)] }
		for p := range 6 {
			in.Projects = append(in.Projects, Project{ID: string(rune('P')) + string(rune('0'+p)), Cooperative: coop()})
		}
		for j := range 4 {
			jd := Judge{ID: string(rune('A' + j)), Cooperative: coop()}
			for _, p := range in.Projects {
				if rng.IntN(4) == 0 {
					jd.Conflicts = append(jd.Conflicts, p.ID)
				}
				if rng.IntN(4) == 0 {
					jd.Abstains = append(jd.Abstains, p.ID)
				}
			}
			in.Judges = append(in.Judges, jd)
			for _, p := range in.Projects {
				in.Scores.Append(Score{Judge: jd.ID, Project: p.ID, Criterion: "c", Value: d("10")})
			}
		}
		res, err := r.Evaluate(context.Background(), in)
		require.NoError(t, err)
		var want []Exclusion
		for i, s := range in.Scores.All() {
			j, p := &in.Judges[i/len(in.Projects)], &in.Projects[i%len(in.Projects)]
			why := j.Excludes(p)
			if why != "" {
				want = append(want, Exclusion{Score: i, Judge: s.Judge, Project: s.Project, Criterion: "c", Reason: why})
			}
			if slices.Contains(j.Abstains, p.ID) {
				seen[why]++
			}
		}
		if diff := cmp.Diff(want, res.Excluded); diff != "" {
			t.Fatalf("exclusions (-Excludes +Evaluate):\n%s", diff)
		}
	}
	for _, why := range []Reason{Conflict, SameCooperative, Abstained} {
		require.Positive(t, seen[why], "no abstention with the reason %q", why)
	}
}

func TestEligibilityReasons(t *testing.T) {
	r := &Rubric{
		Criteria: []Criterion{
			{ID: "a", Weight: d("0.5"), Threshold: decimal.NewNullDecimal(d("10"))},
			{ID: "b", Weight: d("0.5"), Threshold: decimal.NewNullDecimal(d("5"))},
		},
		MinJudges:      2,
		TotalThreshold: decimal.NewNullDecimal(d("60")),
	}
	in := Input{
		Projects: []Project{{ID: "P"}, {ID: "Q"}},
		Scores: ScoresOf([]Score{
			{Judge: "A", Project: "P", Criterion: "a", Value: d("8")},
			{Judge: "B", Project: "P", Criterion: "a", Value: d("9")},
			{Judge: "A", Project: "P", Criterion: "b", Value: d("4")},
			{Judge: "A", Project: "Q", Criterion: "a", Value: d("20")},
			{Judge: "B", Project: "Q", Criterion: "a", Value: d("20")},
			{Judge: "A", Project: "Q", Criterion: "b", Value: d("20")},
			{Judge: "B", Project: "Q", Criterion: "b", Value: d("20")},
		}...),
	}
	res, err := r.Evaluate(context.Background(), in)
	require.NoError(t, err)
	require.Equal(t, []string{"quorum:b", "threshold:a", "threshold:b", "total_threshold"}, outcomes(res)[0].Reasons)
	require.False(t, outcomes(res)[0].Eligible)
	require.Equal(t, "31.25", outcomes(res)[0].Rounded.Num.Text(2), "a quorum failure still publishes a defined total")
	require.True(t, outcomes(res)[1].Eligible)
	require.Empty(t, outcomes(res)[1].Reasons)
}

func TestValidateInputReportsEverything(t *testing.T) {
	r := &Rubric{Criteria: []Criterion{{ID: "c", Weight: d("1"), Step: d("0.5")}}}
	in := Input{
		Projects: []Project{{ID: "P"}, {ID: "P"}, {ID: "bad id"}},
		Judges:   []Judge{{ID: "J", Conflicts: []string{"nope"}}},
		Scores: ScoresOf([]Score{
			{Judge: "J", Project: "P", Criterion: "c", Value: d("21")},
			{Judge: "K", Project: "P", Criterion: "c", Value: d("1")},
			{Judge: "J", Project: "Q", Criterion: "x", Value: d("1")},
			{Judge: "J", Project: "P", Criterion: "c", Value: d("1.25")},
		}...),
	}
	err := r.ValidateInput(in)
	var ps Problems
	require.True(t, errors.As(err, &ps))
	var paths []string
	for _, p := range ps {
		paths = append(paths, p.Path)
	}
	want := []string{"projects[1].id", "projects[2].id", "judges[0].conflicts[0]", "scores[0].score",
		"scores[1].judge", "scores[2].project", "scores[2].criterion", "scores[3].score", "scores[3]"}
	if diff := cmp.Diff(want, paths); diff != "" {
		t.Fatalf("paths (-want +got):\n%s\n%s", diff, err)
	}
}

// TestWideScoresMatchNarrow checks the boundary of the int64 path: scores
// with more digits than it takes give the same results through big
// integers as the same values written short.
func TestWideScoresMatchNarrow(t *testing.T) {
	for _, m := range Methods()[:3] {
		r := oneCriterion(Aggregation{Method: m, Trim: 1})
		short := Input{Projects: []Project{{ID: "P"}}, Scores: scoresOf("P", "1.5", "2", "19.75", "7")}
		// The same values with 20 trailing zeros: 22 significant digits.
		long := Input{Projects: []Project{{ID: "P"}}, Scores: scoresOf("P",
			"1.50000000000000000000", "2.00000000000000000000", "19.75000000000000000000", "7.00000000000000000000")}
		a, err := r.Evaluate(context.Background(), short)
		require.NoError(t, err)
		b, err := r.Evaluate(context.Background(), long)
		require.NoError(t, err)
		require.Equal(t, 0, outcomes(a)[0].Total.Num.Cmp(outcomes(b)[0].Total.Num), string(m))
	}
}

// TestPermutationInvariance: the order of scores changes no total.
func TestPermutationInvariance(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	r := &Rubric{Criteria: []Criterion{{ID: "a", Weight: d("0.3")}, {ID: "b", Weight: d("0.7"), Step: d("0.5")}}}
	var in Input
	for p := range 20 {
		in.Projects = append(in.Projects, Project{ID: string(rune('A' + p))})
		for j := range 4 {
			for _, c := range []string{"a", "b"} {
				v := decimal.New(int64(rng.IntN(41)), -1).Mul(d("5")) // 0..20 by 0.5
				in.Scores.Append(Score{Judge: string(rune('a' + j)), Project: in.Projects[p].ID, Criterion: c, Value: v})
			}
		}
	}
	for _, m := range Methods() {
		r.Aggregation = Aggregation{Method: m, Trim: 1}
		base, err := r.Evaluate(context.Background(), in)
		require.NoError(t, err)
		for range 5 {
			shuffled := in
			ss := in.Scores.Slice()
			rng.Shuffle(len(ss), func(i, j int) { ss[i], ss[j] = ss[j], ss[i] })
			shuffled.Scores = ScoresOf(ss...)
			got, err := r.Evaluate(context.Background(), shuffled)
			require.NoError(t, err)
			for p := range outcomes(base) {
				require.Equal(t, 0, outcomes(base)[p].Total.Num.Cmp(outcomes(got)[p].Total.Num), "%s: project %d", m, p)
			}
		}
	}
}

func TestEvaluateCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := oneCriterion(Aggregation{}).Evaluate(ctx, Input{Projects: []Project{{ID: "P"}}})
	require.ErrorIs(t, err, context.Canceled)
}

func TestIDForms(t *testing.T) {
	for _, tt := range []struct {
		id            string
		project, crit bool
	}{
		{"P001", true, false}, {"a", true, true}, {"social", true, true}, {"scale-up", true, true},
		{"x_1.b-Z", true, false}, {"-P", false, false}, {".P", false, false}, {"", false, false},
		{"P 1", false, false}, {"Pé", false, false}, {"1abc", true, false},
		{string(make([]byte, 65)), false, false},
		{"a" + "bcdefghijklmnopqrstuvwxyz012345", true, true},   // 32 characters
		{"a" + "bcdefghijklmnopqrstuvwxyz0123456", true, false}, // 33
	} {
		require.Equal(t, tt.project, ValidID(tt.id), "ValidID(%q)", tt.id)
		require.Equal(t, tt.crit, validCriterionID(tt.id), "validCriterionID(%q)", tt.id)
	}
}

// TestBreakdown: the counted scores in input order, the excluded ones with
// their reason, and each criterion's contribution, which sum to the total.
func TestBreakdown(t *testing.T) {
	r := &Rubric{Criteria: []Criterion{{ID: "a", Weight: d("0.25")}, {ID: "b", Weight: d("0.75")}}}
	in := Input{
		Projects: []Project{{ID: "P", Cooperative: "k"}},
		Judges:   []Judge{{ID: "J1"}, {ID: "J2", Cooperative: "k"}, {ID: "J3"}},
		Scores: ScoresOf([]Score{
			{Judge: "J1", Project: "P", Criterion: "a", Value: d("10")},
			{Judge: "J2", Project: "P", Criterion: "a", Value: d("20")},
			{Judge: "J3", Project: "P", Criterion: "a", Value: d("15")},
			{Judge: "J1", Project: "P", Criterion: "b", Value: d("4")},
		}...),
	}
	res, err := r.Evaluate(context.Background(), in)
	require.NoError(t, err)
	b := res.Breakdown(0)
	require.Equal(t, []Counted{{"J1", d("10")}, {"J3", d("15")}}, b.Criteria[0].Counted)
	require.Len(t, b.Excluded, 1)
	require.Equal(t, SameCooperative, b.Excluded[0].Reason)
	// a: mean 12.5 → 100·0.25·12.5/20 = 15.625; b: 100·0.75·4/20 = 15.
	require.Equal(t, "15.625", b.Criteria[0].Contribution.Num.Text(3))
	require.Equal(t, "15.000", b.Criteria[1].Contribution.Num.Text(3))
	require.Equal(t, "30.63", outcomes(res)[0].Rounded.Num.Text(2))
}

// outcomes returns every outcome of res, in input order.
func outcomes(res *Result) []Outcome {
	out := make([]Outcome, 0, res.Len())
	for _, o := range res.Outcomes() {
		out = append(out, o)
	}
	return out
}
