package scoring

import (
	"context"
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/afkarlab/afkar/exact"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// outcomeText renders every exact value of a result, its ballots included,
// so that two results can be compared with cmp.Diff.
func outcomeText(res *Result) []string {
	var out []string
	for p, o := range outcomes(res) {
		line := fmt.Sprintf("%s total=%v/%v rounded=%v judges=%d eligible=%t %v", o.ID,
			o.Total.Valid, o.Total.Num, o.Rounded.Num.Text(12), o.Judges, o.Eligible, o.Reasons)
		for _, a := range o.Criteria {
			line += fmt.Sprintf(" [%v %v %s %d]", a.Value.Valid, a.Value.Num, a.Rounded().Num.Text(12), a.Counted)
		}
		for _, b := range res.Ballots(p) {
			line += fmt.Sprintf(" %s:%v", b.Judge, b.Total)
		}
		out = append(out, line)
	}
	return out
}

// randomCase returns a random rubric and input: odd weights (thirds,
// sevenths), bounds and steps with decimals, missing scores, conflicts.
func randomCase(rng *rand.Rand, m Method) (*Rubric, Input) {
	r := &Rubric{
		Aggregation: Aggregation{Method: m},
		TotalMax:    []decimal.Decimal{d("100"), d("7.5"), d("1000"), d("33")}[rng.IntN(4)],
		Rounding:    Rounding{Places: rng.IntN(4), Mode: []RoundingMode{HalfUp, HalfEven, Down}[rng.IntN(3)]},
		MinJudges:   1 + rng.IntN(2),
	}
	if m == TrimmedMean {
		r.Aggregation.Trim = 1 + rng.IntN(2)
	}
	if rng.IntN(2) == 0 {
		r.Weights = RelativeWeights
	}
	nc := 1 + rng.IntN(4)
	for c := range nc {
		lo := decimal.New(int64(rng.IntN(5)), -int32(rng.IntN(3)))
		step := []decimal.Decimal{d("1"), d("0.5"), d("0.25"), d("0.01"), {}}[rng.IntN(5)]
		hi := lo.Add(decimal.NewFromInt(int64(5 + rng.IntN(20))))
		w := []decimal.Decimal{d("1"), d("2"), d("3"), d("0.7"), d("0.125"), d("0")}[rng.IntN(6)]
		if c == 0 && w.IsZero() {
			w = d("2")
		}
		if r.Weights != RelativeWeights {
			w = decimal.NewFromInt(1).Div(decimal.NewFromInt(int64(nc))).Truncate(3)
		}
		r.Criteria = append(r.Criteria, Criterion{ID: fmt.Sprintf("c%d", c), Weight: w, Min: lo, Max: hi, Step: step})
	}
	if r.Weights != RelativeWeights {
		// exact weights must sum to 1: give the rest to the first
		sum := decimal.Zero
		for _, c := range r.Criteria[1:] {
			sum = sum.Add(c.Weight)
		}
		r.Criteria[0].Weight = decimal.NewFromInt(1).Sub(sum)
	}
	var in Input
	np, nj := 1+rng.IntN(12), 1+rng.IntN(6)
	for p := range np {
		in.Projects = append(in.Projects, Project{ID: fmt.Sprintf("P%d", p), Cooperative: fmt.Sprintf("k%d", rng.IntN(4))})
	}
	for j := range nj {
		judge := Judge{ID: fmt.Sprintf("J%d", j), Cooperative: fmt.Sprintf("k%d", rng.IntN(8))}
		if rng.IntN(3) == 0 {
			judge.Conflicts = []string{in.Projects[rng.IntN(np)].ID}
		}
		in.Judges = append(in.Judges, judge)
	}
	for p := range np {
		for j := range nj {
			for c, crit := range r.Criteria {
				if rng.IntN(6) == 0 {
					continue // missing
				}
				lo, hi, step := r.criterionRange(&r.Criteria[c])
				v := lo
				if step.IsPositive() {
					n := hi.Sub(lo).Div(step).IntPart()
					v = lo.Add(step.Mul(decimal.NewFromInt(rng.Int64N(n + 1))))
				} else {
					v = lo.Add(decimal.New(rng.Int64N(hi.Sub(lo).IntPart()*1000+1), -3))
				}
				in.Scores.Append(Score{Judge: in.Judges[j].ID, Project: in.Projects[p].ID, Criterion: crit.ID, Value: v})
			}
		}
	}
	return r, in
}

// TestFastMatchesBig: the int64 path gives exactly what the big.Rat path
// gives, on random rubrics and inputs, and is the path taken.
func TestFastMatchesBig(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	fastProjects := 0
	for i := range 600 {
		m := []Method{Mean, Median, TrimmedMean}[i%3]
		r, in := randomCase(rng, m)
		require.NoError(t, r.Validate(), "case %d", i)
		fast, err := r.evaluate(context.Background(), in, false)
		require.NoError(t, err, "case %d", i)
		slow, err := r.evaluate(context.Background(), in, true)
		require.NoError(t, err)
		require.NotNil(t, fast.fast, "case %d: the int64 path is off", i)
		require.Equal(t, len(outcomes(slow)), slow.slow)
		fastProjects += len(outcomes(fast)) - fast.slow
		if diff := cmp.Diff(outcomeText(slow), outcomeText(fast)); diff != "" {
			t.Fatalf("case %d (%s): (-big +int64):\n%s", i, m, diff)
		}
	}
	require.Positive(t, fastProjects)
}

// TestFastFallsBack: where the int64 numbers overflow, a project takes the
// big.Rat path, with the same results; the others keep the fast path.
func TestFastFallsBack(t *testing.T) {
	// With weights 1/7 and 6/7, D = 7·(10^17 − 1), K(a) = 100 and
	// K(b) = 6·10^18 (so b's scores are 0): P0's numbers fit, but P1's sum of five 17-digit
	// scores times K(a) = 100 does not.
	r := &Rubric{
		Weights: RelativeWeights,
		Criteria: []Criterion{
			{ID: "a", Weight: d("1"), Min: d("0"), Max: d("99999999999999999")},
			{ID: "b", Weight: d("6"), Min: d("0"), Max: d("10")},
		},
		Rounding: Rounding{Places: 4, Mode: HalfEven},
	}
	in := Input{}
	big := []string{"99999999999999999", "99999999999999998", "99999999999999997", "99999999999999993", "99999999999999991"}
	for p, vs := range [][]string{{"1", "2", "3", "4", "5"}, big} {
		id := fmt.Sprintf("P%d", p)
		in.Projects = append(in.Projects, Project{ID: id})
		for j, v := range vs {
			judge := fmt.Sprintf("J%d", j)
			in.Scores.Append(Score{Judge: judge, Project: id, Criterion: "a", Value: d(v)},
				Score{Judge: judge, Project: id, Criterion: "b", Value: d("0")})
		}
	}
	fast, err := r.evaluate(context.Background(), in, false)
	require.NoError(t, err)
	slow, err := r.evaluate(context.Background(), in, true)
	require.NoError(t, err)
	require.NotNil(t, fast.fast)
	require.Equal(t, 1, fast.slow, "the project of big scores overflows, the other does not")
	if diff := cmp.Diff(outcomeText(slow), outcomeText(fast)); diff != "" {
		t.Fatalf("(-big +int64):\n%s", diff)
	}
}

// TestCompactBoundary: a project's aggregate is held in its cell while
// its exact value's denominator fits 32 bits, and apart beyond; its total
// in its column while it fits int64s, and apart beyond. Either way the
// Outcome holds the exact values, computed here on big.Rat.
func TestCompactBoundary(t *testing.T) {
	tests := []struct {
		decimals int
		counts   []int // scores of each project
		big      []bool
		bigTotal bool
	}{
		// The mean of n scores of 9 decimals is over n·10⁹: 4·10⁹ fits
		// 32 bits, 5·10⁹ does not.
		{9, []int{1, 4, 5, 6}, []bool{false, false, true, true}, false},
		// 30 decimals: the scores, the means and the totals pass int64.
		{30, []int{1, 3}, []bool{true, true}, true},
	}
	rng := rand.New(rand.NewPCG(7, 13))
	for _, tt := range tests {
		step := decimal.New(1, -int32(tt.decimals))
		r := &Rubric{
			Criteria:  []Criterion{{ID: "c", Weight: d("1"), Min: d("0"), Max: d("10"), Step: step}},
			TotalMax:  d("100"),
			MinJudges: 1,
		}
		var in Input
		want := make([]*big.Rat, len(tt.counts))
		for p, n := range tt.counts {
			id := fmt.Sprintf("P%d", p)
			in.Projects = append(in.Projects, Project{ID: id})
			want[p] = new(big.Rat)
			for j := range n {
				// A score of every decimal: 1 to 9, then 0.1…, with the
				// last digit never 0.
				v := decimal.New(rng.Int64N(1e8)*10+int64(1+rng.IntN(9)), -int32(tt.decimals)).Add(decimal.NewFromInt(int64(rng.IntN(9))))
				in.Scores.Append(Score{Judge: fmt.Sprintf("J%d", j), Project: id, Criterion: "c", Value: v})
				want[p].Add(want[p], v.Rat())
			}
			want[p].Quo(want[p], new(big.Rat).SetInt64(int64(n)))
		}
		res, err := r.Evaluate(t.Context(), in)
		require.NoError(t, err)
		for p, n := range tt.counts {
			o := res.Outcome(p)
			a := o.Criteria[0]
			require.Equal(t, n, a.Counted)
			require.Equal(t, 0, a.Value.Num.Rat().Cmp(want[p]), "decimals %d, %d scores: aggregate %v, want %v", tt.decimals, n, a.Value.Num, want[p])
			total := new(big.Rat).Mul(want[p], big.NewRat(10, 1)) // 100·mean/10
			require.Equal(t, 0, o.Total.Num.Rat().Cmp(total), "decimals %d, %d scores: total", tt.decimals, n)
			require.Equal(t, exact.FromRat(total).Round(2, exact.HalfUp).Text(2), o.Rounded.Num.Text(2))
			require.Equal(t, tt.big[p], res.cells[p].den == bigCell, "decimals %d, %d scores: held apart", tt.decimals, n)
			require.Equal(t, tt.bigTotal, res.totals[p].den == bigTotal, "decimals %d, %d scores: total held apart", tt.decimals, n)
			require.Equal(t, 0, res.Aggregate(p, 0).Value.Num.Cmp(a.Value.Num))
			require.Equal(t, 0, res.Total(p).Num.Cmp(o.Total.Num))
		}
	}
}

// TestSmallCells: a Result holds its aggregates in 8 bytes exactly when
// smallFits says every one fits, on both sides of each of its bounds (the
// judges times the scale, and the judges times the largest bound), and
// every aggregate reads back exact in either form. A value that does not
// fit 8 bytes is held apart.
func TestSmallCells(t *testing.T) {
	tests := []struct {
		name   string
		step   string
		max    string
		judges int
		small  bool
	}{
		{"2 judges × 10⁹", "1", "1000000000", 2, true},
		{"3 judges × 10⁹", "1", "1000000000", 3, false},
		{"6 judges × scale 10⁴", "0.0001", "10", 6, true},
		{"7 judges × scale 10⁴", "0.0001", "10", 7, false},
		{"5 judges on a half grid", "0.5", "20", 5, true},
	}
	rng := rand.New(rand.NewPCG(5, 21))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			top := d(tt.max)
			r := &Rubric{
				Criteria: []Criterion{
					{ID: "a", Weight: d("1"), Min: d("0"), Max: top, Step: d(tt.step)},
					{ID: "b", Weight: d("2"), Min: d("0"), Max: top, Step: d(tt.step)},
				},
				Weights:   RelativeWeights,
				TotalMax:  d("100"),
				MinJudges: 1,
			}
			for _, m := range []Method{Mean, Median} {
				r.Aggregation.Method = m
				var in Input
				want := map[[2]int][]*big.Rat{}
				for p := range 20 {
					id := fmt.Sprintf("P%d", p)
					in.Projects = append(in.Projects, Project{ID: id})
					judges := 1 + rng.IntN(tt.judges)
					if p == 19 { // every judge, so that the count reaches the bound
						judges = tt.judges
					}
					for j := range judges {
						for c, crit := range []string{"a", "b"} {
							// Near the top of the range, where the sums are largest.
							steps := top.Div(d(tt.step)).IntPart()
							v := decimal.New(steps-rng.Int64N(min(steps, 3)), 0).Mul(d(tt.step))
							in.Scores.Append(Score{Judge: fmt.Sprintf("J%d", j), Project: id, Criterion: crit, Value: v})
							want[[2]int{p, c}] = append(want[[2]int{p, c}], v.Rat())
						}
					}
				}
				res, err := r.Evaluate(t.Context(), in)
				require.NoError(t, err)
				require.Len(t, res.judgeIDs, tt.judges)
				require.Equal(t, tt.small, res.small != nil, "%s: small cells", m)
				require.NotEqual(t, res.small != nil, res.cells != nil, "one form of cells")
				big := new(Rubric)
				*big = *r
				slow, err := big.evaluate(t.Context(), in, true)
				require.NoError(t, err)
				require.Nil(t, slow.small, "the big.Rat path keeps 16-byte cells")
				for p := range 20 {
					for c := range 2 {
						a, s := res.Aggregate(p, c), slow.Aggregate(p, c)
						require.Equal(t, s.Counted, a.Counted)
						require.True(t, a.Value.Valid)
						require.Equal(t, 0, a.Value.Num.Cmp(s.Value.Num), "%s, project %d, criterion %d: %v, want %v", m, p, c, a.Value.Num, s.Value.Num)
					}
					require.Equal(t, 0, res.Total(p).Num.Cmp(slow.Total(p).Num))
				}
			}
		})
	}

	// A value past 8 bytes, stored into small cells, is held apart.
	res := &Result{ncrit: 1, small: make([]smallCell, 3), totals: make([]total, 3), judges: make([]int32, 3)}
	values := []exact.Num{exact.Frac(1<<31, 3), exact.Frac(7, 1<<16), exact.Frac(-(1 << 31), 7)}
	for p, v := range values {
		res.store(p, &Outcome{Criteria: []Aggregate{{Value: valid(v), Counted: 4}}, Total: valid(v)})
	}
	for p, v := range values {
		require.Equal(t, p < 2, res.small[p].den == bigSmall, "value %v held apart", v)
		require.Equal(t, 0, res.Aggregate(p, 0).Value.Num.Cmp(v))
		require.Equal(t, 4, res.Aggregate(p, 0).Counted)
	}
}
