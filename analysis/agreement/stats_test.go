package agreement

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/afkarlab/afkar/exact"
	"github.com/stretchr/testify/require"
)

// krippendorff2011 is the reliability data of Krippendorff, "Computing
// Krippendorff's Alpha-Reliability" (2011), section C (4 observers, 12
// units, missing values), one unit a row, the missing values left out:
//
//	unit        1 2 3 4 5 6 7 8 9 10 11 12
//	observer A  1 2 3 3 2 1 4 1 2 .  .  .
//	observer B  1 2 3 3 2 2 4 1 2 5  .  3
//	observer C  . 3 3 3 2 3 4 2 2 5  1  .
//	observer D  1 2 3 3 2 4 4 1 2 5  1  .
//
// Unit 12 has a single value and is not pairable.
var krippendorff2011 = [][]float64{
	{1, 1, 1}, {2, 2, 3, 2}, {3, 3, 3, 3}, {3, 3, 3, 3}, {2, 2, 2, 2}, {1, 2, 3, 4},
	{4, 4, 4, 4}, {1, 1, 2, 1}, {2, 2, 2, 2}, {5, 5, 5}, {1, 1}, {3},
}

func TestAlphaKrippendorff2011(t *testing.T) {
	// The paper gives α = 0.849 for interval data (and 0.743 nominal,
	// 0.815 ordinal, 0.797 ratio) on this matrix.
	a, err := Alpha(krippendorff2011)
	require.NoError(t, err)
	require.InDelta(t, 0.849, a, 0.0005, "alpha = %.6f", a)
}

func TestAlphaPerfectAndUndefined(t *testing.T) {
	a, err := Alpha([][]float64{{1, 1}, {3, 3, 3}, {7, 7}})
	require.NoError(t, err)
	require.Equal(t, 1.0, a, "identical values within every unit")

	_, err = Alpha([][]float64{{1}, {2}, {}})
	require.ErrorContains(t, err, "no project has two counted values")
	_, err = Alpha([][]float64{{4, 4}, {4, 4}})
	require.ErrorContains(t, err, "no variation")
}

// shroutFleiss1979 is the data of Shrout and Fleiss (1979), Table 2: 6
// targets rated by 4 judges.
var shroutFleiss1979 = [][]float64{
	{9, 2, 5, 8},
	{6, 1, 3, 2},
	{8, 4, 6, 8},
	{7, 1, 2, 6},
	{10, 5, 6, 9},
	{6, 2, 4, 7},
}

func TestICCShroutFleiss1979(t *testing.T) {
	// Table 4 of the paper: ICC(2,1) = .29, ICC(2,4) = .62. The mean
	// squares of Table 3 are BMS = 11.24, JMS = 32.49, EMS = 1.02, so
	// ICC(2,1) = (11.24 − 1.02)/(11.24 + 3·1.02 + 4·(32.49 − 1.02)/6)
	//          = 10.22/35.28 = 0.2898 and
	// ICC(2,4) = 10.22/(11.24 + (32.49 − 1.02)/6) = 10.22/16.49 = 0.6200.
	single, average, err := ICC(shroutFleiss1979)
	require.NoError(t, err)
	require.InDelta(t, 0.29, single, 0.005, "ICC(2,1) = %.6f", single)
	require.InDelta(t, 0.62, average, 0.005, "ICC(2,4) = %.6f", average)
	require.InDelta(t, 0.2898, single, 0.0001)
	require.InDelta(t, 0.6200, average, 0.0001)
}

func TestICCErrors(t *testing.T) {
	tests := []struct {
		name    string
		ratings [][]float64
		err     string
	}{
		{"one target", [][]float64{{1, 2}}, "fewer than 2 projects"},
		{"one judge", [][]float64{{1}, {2}}, "fewer than 2 judges"},
		{"ragged", [][]float64{{1, 2}, {2}}, "incomplete design"},
		{"constant", [][]float64{{3, 3}, {3, 3}}, "no variance"},
		{"constant decimals", [][]float64{{0.1, 0.1, 0.1}, {0.1, 0.1, 0.1}}, "no variance"},
		{"not finite", [][]float64{{1, math.NaN()}, {2, 3}}, "value NaN of row 0 is not a finite number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, a, err := ICC(tt.ratings)
			require.ErrorContains(t, err, tt.err)
			require.True(t, math.IsNaN(s) && math.IsNaN(a))
		})
	}
}

// rats converts decimal texts to exact rationals.
func rats(rows ...[]string) [][]*big.Rat {
	out := make([][]*big.Rat, len(rows))
	for i, r := range rows {
		for _, v := range r {
			x, ok := new(big.Rat).SetString(v)
			if !ok {
				panic(v)
			}
			out[i] = append(out[i], x)
		}
	}
	return out
}

func nums(rows [][]*big.Rat) [][]exact.Num {
	out := make([][]exact.Num, len(rows))
	for i, r := range rows {
		for _, x := range r {
			out[i] = append(out[i], exact.FromRat(x))
		}
	}
	return out
}

func ratString(x *big.Rat) string {
	if x == nil {
		return "undefined"
	}
	return x.RatString()
}

func TestICCHandSolved(t *testing.T) {
	tests := []struct {
		name            string
		rows            [][]*big.Rat
		single, average string
		err             string
	}{
		{
			// 3 targets × 2 judges. Grand mean 3; row means 1.5, 3, 4.5:
			// SS_rows = 2·(2.25 + 0 + 2.25) = 9, BMS = 9/2. Column means 3
			// and 3: JMS = 0. SS_total = 4+1+0+0+4+1 = 10, SS_error = 1,
			// EMS = 1/2.
			//   ICC(2,1) = (9/2 − 1/2)/(9/2 + 1/2 + 2·(0 − 1/2)/3) = 4/(14/3) = 6/7
			//   ICC(2,2) = 4/(9/2 − 1/6) = 4/(26/6) = 12/13
			name: "3 × 2", rows: rats([]string{"1", "2"}, []string{"3", "3"}, []string{"5", "4"}),
			single: "6/7", average: "12/13",
		},
		{
			// Shrout and Fleiss (1979), Table 2: grand mean 127/24;
			// SS_rows = 1349/24, SS_cols = 2339/24, SS_total = 4055/24,
			// SS_error = 367/24; so Table 3's mean squares exactly: BMS =
			// 1349/120 (11.24), JMS = 2339/72 (32.49), EMS = 367/360
			// (1.02). BMS − EMS = 92/9;
			//   ICC(2,1) = (92/9)/(1349/120 + 3·367/360 + 4·(2339/72 − 367/360)/6)
			//            = (92/9)/(635/18) = 184/635 ≈ 0.2898
			//   ICC(2,4) = (92/9)/(1349/120 + (2339/72 − 367/360)/6)
			//            = (92/9)/(1187/72) = 736/1187 ≈ 0.6201
			name: "Shrout and Fleiss", rows: rats(
				[]string{"9", "2", "5", "8"}, []string{"6", "1", "3", "2"}, []string{"8", "4", "6", "8"},
				[]string{"7", "1", "2", "6"}, []string{"10", "5", "6", "9"}, []string{"6", "2", "4", "7"}),
			single: "184/635", average: "736/1187",
		},
		{
			// 2 targets × 3 judges, a design that float64 got wrong: ×10,
			// [[10, 12, 11], [12, 12, 9]]. Grand mean 11; row means 11 and
			// 11: BMS = 0. Column means 11, 12, 10: SS_cols = 2·(0+1+1) = 4,
			// JMS = 2. SS_total = 1+1+0+1+1+4 = 8, SS_error = 4, EMS =
			// 4/2 = 2 (all ×1/100 in the original units, which cancels).
			//   ICC(2,1) = (0 − 2)/(0 + 2·2 + 3·(2 − 2)/2) = −1/2
			//   ICC(2,3): denominator 0 + (2 − 2)/2 = 0 exactly: undefined.
			// In float64 the denominator came out as 1.5e-31 and ICC(2,3)
			// as −1.35e29.
			name: "denominator 0", rows: rats([]string{"1", "1.2", "1.1"}, []string{"1.2", "1.2", "0.9"}),
			single: "-1/2", average: "undefined",
			err: "ICC(2,k) undefined: its denominator BMS + (JMS − EMS)/n is exactly 0",
		},
		{
			// Row means equal (1.5, 1.5) and column means equal: BMS = JMS
			// = 0, EMS = 1/((2 − 1)(2 − 1))·Σ(x − 1.5)² = 1. ICC(2,1)'s
			// denominator is 0 + 1·1 + 2·(0 − 1)/2 = 0; ICC(2,2) = (0 −
			// 1)/(0 + (0 − 1)/2) = 2.
			name: "ICC(2,1) undefined", rows: rats([]string{"1", "2"}, []string{"2", "1"}),
			single: "undefined", average: "2",
			err: "ICC(2,1) undefined: its denominator BMS + (k−1)·EMS + k·(JMS − EMS)/n is exactly 0 (no variance between projects nor between judges)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			single, average, err := icc(nums(tt.rows))
			require.Equal(t, tt.single, ratString(single))
			require.Equal(t, tt.average, ratString(average))
			if tt.err == "" {
				require.NoError(t, err)
			} else {
				require.EqualError(t, err, tt.err)
			}
			// The float64 API gives the same, converted once, when the
			// ratings are binary fractions (0.1 is not: a float64 0.1 is
			// another number, and the exact denominator of its design
			// another too).
			floats := make([][]float64, len(tt.rows))
			for i, r := range tt.rows {
				for _, x := range r {
					f, exact := x.Float64()
					if !exact {
						return
					}
					floats[i] = append(floats[i], f)
				}
			}
			fs, fa, _ := ICC(floats)
			for _, c := range []struct {
				want string
				got  float64
			}{{tt.single, fs}, {tt.average, fa}} {
				if c.want == "undefined" {
					require.True(t, math.IsNaN(c.got))
					continue
				}
				w, _ := new(big.Rat).SetString(c.want)
				wf, _ := w.Float64()
				require.InDelta(t, wf, c.got, 1e-12)
			}
		})
	}
}

// textbookICC computes ICC(2,1) and ICC(2,k) from their definitions, with
// deviations from the means (Shrout and Fleiss, Table 1), in exact
// rationals: an independent recomputation of icc's sums of integers.
func textbookICC(rows [][]*big.Rat) (single, average *big.Rat) {
	n, k := len(rows), len(rows[0])
	r := func(v int) *big.Rat { return big.NewRat(int64(v), 1) }
	sq := func(x *big.Rat) *big.Rat { return new(big.Rat).Mul(x, x) }
	grand := new(big.Rat)
	for _, row := range rows {
		for _, x := range row {
			grand.Add(grand, x)
		}
	}
	grand.Quo(grand, r(n*k))
	ssRows, ssCols, ssTotal := new(big.Rat), new(big.Rat), new(big.Rat)
	for _, row := range rows {
		m := new(big.Rat)
		for _, x := range row {
			m.Add(m, x)
			ssTotal.Add(ssTotal, sq(new(big.Rat).Sub(x, grand)))
		}
		m.Quo(m, r(k))
		ssRows.Add(ssRows, sq(m.Sub(m, grand)))
	}
	ssRows.Mul(ssRows, r(k))
	for j := range k {
		m := new(big.Rat)
		for _, row := range rows {
			m.Add(m, row[j])
		}
		m.Quo(m, r(n))
		ssCols.Add(ssCols, sq(m.Sub(m, grand)))
	}
	ssCols.Mul(ssCols, r(n))
	ssErr := new(big.Rat).Sub(ssTotal, ssRows)
	ssErr.Sub(ssErr, ssCols)
	bms := new(big.Rat).Quo(ssRows, r(n-1))
	jms := new(big.Rat).Quo(ssCols, r(k-1))
	ems := new(big.Rat).Quo(ssErr, r((n-1)*(k-1)))
	num := new(big.Rat).Sub(bms, ems)
	spread := new(big.Rat).Quo(new(big.Rat).Sub(jms, ems), r(n))
	d1 := new(big.Rat).Add(bms, new(big.Rat).Mul(r(k-1), ems))
	d1.Add(d1, new(big.Rat).Mul(r(k), spread))
	dk := new(big.Rat).Add(bms, spread)
	if d1.Sign() != 0 {
		single = new(big.Rat).Quo(num, d1)
	}
	if dk.Sign() != 0 {
		average = new(big.Rat).Quo(num, dk)
	}
	return single, average
}

// textbookAlpha computes Krippendorff's alpha from its definition, pair by
// pair (Krippendorff 2011, section C), in exact rationals.
func textbookAlpha(units [][]*big.Rat) *big.Rat {
	sq := func(a, b *big.Rat) *big.Rat { d := new(big.Rat).Sub(a, b); return d.Mul(d, d) }
	var all []*big.Rat
	do := new(big.Rat)
	for _, u := range units {
		m := len(u)
		if m < 2 {
			continue
		}
		all = append(all, u...)
		s := new(big.Rat)
		for i := range u {
			for j := range u {
				if i != j {
					s.Add(s, sq(u[i], u[j]))
				}
			}
		}
		do.Add(do, s.Quo(s, big.NewRat(int64(m-1), 1)))
	}
	n := int64(len(all))
	do.Quo(do, big.NewRat(n, 1))
	de := new(big.Rat)
	for i := range all {
		for j := range all {
			if i != j {
				de.Add(de, sq(all[i], all[j]))
			}
		}
	}
	de.Quo(de, big.NewRat(n*(n-1), 1))
	return new(big.Rat).Sub(big.NewRat(1, 1), do.Quo(do, de))
}

// Random small designs of decimal scores (steps of 0.1, 0.25 and 1/3, so
// that float64 cannot hold them): icc and alpha equal the textbook
// formulas exactly, rational for rational.
func TestExactMatchesTextbook(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 12))
	steps := []*big.Rat{big.NewRat(1, 10), big.NewRat(1, 4), big.NewRat(1, 3)}
	undefined := 0
	for trial := range 500 {
		n, k := 2+rng.IntN(5), 2+rng.IntN(4)
		step := steps[trial%len(steps)]
		levels := 1 + rng.IntN(4) // few levels: ties and zero variances happen
		rows := make([][]*big.Rat, n)
		for i := range rows {
			for range k {
				rows[i] = append(rows[i], new(big.Rat).Mul(step, big.NewRat(int64(rng.IntN(levels)), 1)))
			}
		}
		single, average, _ := icc(nums(rows))
		ws, wa := textbookICC(rows)
		require.Equal(t, ratString(ws), ratString(single), "ICC(2,1) of %v", rows)
		require.Equal(t, ratString(wa), ratString(average), "ICC(2,k) of %v", rows)
		if single == nil || average == nil {
			undefined++
		}

		units := make([][]cell, n)
		var pairable bool
		for i, row := range rows {
			for j, x := range row[:1+rng.IntN(k)] { // ragged: missing values
				units[i] = append(units[i], cell{j, exact.FromRat(x)})
			}
			pairable = pairable || len(units[i]) >= 2
		}
		a, err := alpha(units)
		if !pairable {
			require.EqualError(t, err, "no project has two counted values")
			continue
		}
		if err != nil {
			require.EqualError(t, err, "every counted value is the same: there is no variation to agree on")
			continue
		}
		plain := make([][]*big.Rat, n)
		for i, u := range units {
			for _, c := range u {
				plain[i] = append(plain[i], c.x.Rat())
			}
		}
		require.Equal(t, textbookAlpha(plain).RatString(), a.RatString(), "alpha of %v", plain)
	}
	require.Greater(t, undefined, 10, "designs with a zero denominator were met")
}

func TestReadings(t *testing.T) {
	for _, tt := range []struct {
		v                 float64
		landisKoch, kooLi string
	}{
		{math.NaN(), "", ""},
		{-0.1, "poor", "poor"},
		{0, "slight", "poor"},
		{0.2, "slight", "poor"},
		{0.21, "fair", "poor"},
		{0.4, "fair", "poor"},
		{0.5, "moderate", "moderate"},
		{0.6, "moderate", "moderate"},
		{0.7, "substantial", "moderate"},
		{0.75, "substantial", "good"},
		{0.8, "substantial", "good"},
		{0.81, "almost perfect", "good"},
		{0.9, "almost perfect", "good"},
		{0.91, "almost perfect", "excellent"},
		{1, "almost perfect", "excellent"},
	} {
		require.Equal(t, tt.landisKoch, LandisKoch(tt.v), "LandisKoch(%v)", tt.v)
		require.Equal(t, tt.kooLi, KooLi(tt.v), "KooLi(%v)", tt.v)
	}
}
