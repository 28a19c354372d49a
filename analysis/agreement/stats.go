package agreement

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"math/big"
	"slices"

	"github.com/afkarlab/afkar/exact"
)

// Alpha returns Krippendorff's alpha with the interval metric, δ²(a, b) =
// (a − b)², of values grouped by unit: units[u] holds the values the
// observers gave unit u, in any order, a missing value simply absent.
// Units with fewer than two values are not pairable and play no part.
//
// It follows Klaus Krippendorff, "Computing Krippendorff's
// Alpha-Reliability" (2011), section C: with n the number of pairable
// values and m_u those of unit u,
//
//	α = 1 − D_o / D_e
//	D_o = (1/n) Σ_u Σ_{i≠j∈u} δ²(v_i, v_j) / (m_u − 1)
//	D_e = 1/(n(n−1)) Σ_{i≠j} δ²(v_i, v_j)     (over all pairable values)
//
// computed with Σ_{i≠j} (v_i − v_j)² = 2m Σ v² − 2(Σ v)². The values are
// taken as the exact binary fractions they are (a float64 0.1 is not 1/10:
// [Analyze] works from the exact decimal scores), and alpha is computed
// with exact rationals and converted to float64 once, at the end. It
// reports an error when no unit has two values, when every pairable value
// is the same (D_e = 0, exactly), or when a value is not finite.
func Alpha(units [][]float64) (float64, error) {
	cells, err := cellsOf(units)
	if err != nil {
		return math.NaN(), err
	}
	a, err := alpha(cells)
	if err != nil {
		return math.NaN(), err
	}
	f, _ := a.Float64()
	return f, nil
}

// ICC returns the intraclass correlations ICC(2,1) and ICC(2,k) of a
// complete design: ratings[i][j] is judge j's rating of target i, every
// target rated by the same k judges. They are Shrout and Fleiss's
// two-way random effects, absolute agreement coefficients (P. E. Shrout,
// J. L. Fleiss, "Intraclass Correlations: Uses in Assessing Rater
// Reliability", Psychological Bulletin 86(2), 1979, Table 1):
//
//	ICC(2,1) = (BMS − EMS) / (BMS + (k−1)·EMS + k·(JMS − EMS)/n)
//	ICC(2,k) = (BMS − EMS) / (BMS + (JMS − EMS)/n)
//
// from the mean squares between targets (BMS), between judges (JMS) and
// of the residual (EMS) of the two-way analysis of variance. The mean
// squares are computed exactly, with rationals, from the ratings taken as
// the exact binary fractions they are (a float64 0.1 is not 1/10:
// [Analyze] works from the exact decimal scores); each coefficient is
// converted to float64 once, at the end. A denominator is therefore 0 exactly or not
// at all: a coefficient whose denominator is 0 is NaN, never the float
// noise of a near-zero difference.
//
// It reports an error when there are fewer than 2 targets or 2 judges,
// when the rows differ in length, when a rating is not finite, or when a
// denominator is 0. In the last case the other coefficient, if its
// denominator is not 0, is still returned, and the error says which is
// undefined.
func ICC(ratings [][]float64) (single, average float64, err error) {
	cells, err := cellsOf(ratings)
	if err != nil {
		return math.NaN(), math.NaN(), err
	}
	rows := make([][]exact.Num, len(cells))
	for i, r := range cells {
		rows[i] = make([]exact.Num, len(r))
		for j, c := range r {
			rows[i][j] = c.x
		}
	}
	s, a, err := icc(rows)
	return float(s), float(a), err
}

// float converts an exact coefficient to float64, NaN when undefined.
func float(x *big.Rat) float64 {
	if x == nil {
		return math.NaN()
	}
	f, _ := x.Float64()
	return f
}

// cell is one judge's value of one unit, exactly.
type cell struct {
	judge int
	x     exact.Num
}

// cellsOf converts float64 values to exact ones (a float64 is a binary
// fraction: the conversion is exact), each value's judge its index in its
// row.
func cellsOf(values [][]float64) ([][]cell, error) {
	out := make([][]cell, len(values))
	for i, row := range values {
		out[i] = make([]cell, len(row))
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("value %v of row %d is not a finite number", v, i)
			}
			out[i][j] = cell{judge: j, x: exact.FromRat(new(big.Rat).SetFloat64(v))}
		}
	}
	return out, nil
}

// scaler turns a statistic's exact values into integers: each value times
// D, the least common multiple of their denominators. Alpha and the ICCs
// do not change when every value is multiplied by the same positive
// number, so they are computed on these integers, with sums of integers
// rather than of fractions; a leniency is divided by D at the end.
type scaler struct {
	den     *big.Int
	factors map[int64]*big.Int // D/d for each inline denominator d
}

// newScaler returns the scaler of the values of units.
func newScaler(units [][]cell) *scaler {
	s := &scaler{den: big.NewInt(1), factors: map[int64]*big.Int{}}
	var g, r big.Int
	lcm := func(d *big.Int) {
		if r.Rem(s.den, d).Sign() == 0 {
			return
		}
		g.GCD(nil, nil, s.den, d)
		s.den.Mul(s.den, r.Quo(d, &g))
	}
	for _, u := range units {
		for _, c := range u {
			if _, d, ok := c.x.Frac64(); ok {
				if _, seen := s.factors[d]; !seen {
					s.factors[d] = nil // worked out below, once D is known
					lcm(big.NewInt(d))
				}
				continue
			}
			lcm(c.x.Rat().Denom())
		}
	}
	for d := range s.factors {
		s.factors[d] = new(big.Int).Quo(s.den, big.NewInt(d))
	}
	return s
}

// num sets dst to x·D and returns it.
func (s *scaler) num(x exact.Num, dst *big.Int) *big.Int {
	if n, d, ok := x.Frac64(); ok {
		return dst.Mul(dst.SetInt64(n), s.factors[d])
	}
	r := x.Rat()
	f := new(big.Int).Quo(s.den, r.Denom())
	return dst.Mul(r.Num(), f)
}

// alpha is Alpha on exact values: α = 1 − (n − 1)·W / V, with, in the
// integers X = value·D,
//
//	W = Σ_u (m_u Σ X² − (Σ X)²) / (m_u − 1)   (over the pairable units)
//	V = n Σ X² − (Σ X)²                        (over all pairable values)
//
// which is Krippendorff's 1 − D_o/D_e multiplied through by n·D².
func alpha(units [][]cell) (*big.Rat, error) {
	sc := newScaler(units)
	var n int64
	var sum, sumSq, x, sx, sxx, t big.Int
	within := map[int]*big.Int{} // by m: Σ m·ΣX² − (ΣX)² over the units of m values
	for _, u := range units {
		m := len(u)
		if m < 2 {
			continue
		}
		n += int64(m)
		sx.SetInt64(0)
		sxx.SetInt64(0)
		for _, c := range u {
			sc.num(c.x, &x)
			sx.Add(&sx, &x)
			sxx.Add(&sxx, t.Mul(&x, &x))
		}
		sum.Add(&sum, &sx)
		sumSq.Add(&sumSq, &sxx)
		w := within[m]
		if w == nil {
			w = new(big.Int)
			within[m] = w
		}
		t.Mul(big.NewInt(int64(m)), &sxx)
		w.Add(w, t.Sub(&t, x.Mul(&sx, &sx)))
	}
	if n == 0 {
		return nil, errors.New("no project has two counted values")
	}
	v := new(big.Int).Mul(big.NewInt(n), &sumSq)
	v.Sub(v, t.Mul(&sum, &sum))
	if v.Sign() == 0 {
		return nil, errors.New("every counted value is the same: there is no variation to agree on")
	}
	w := new(big.Rat)
	for _, m := range slices.Sorted(maps.Keys(within)) {
		w.Add(w, new(big.Rat).SetFrac(within[m], big.NewInt(int64(m-1))))
	}
	w.Mul(w, new(big.Rat).SetInt64(n-1))
	w.Quo(w, new(big.Rat).SetInt(v))
	return w.Sub(big.NewRat(1, 1), w), nil
}

// meanSquares are the mean squares of a complete two-way design, each
// multiplied by the same positive factor n·k·D² (which cancels in the
// ICCs).
type meanSquares struct {
	bms, jms, ems *big.Rat
}

// anova returns the mean squares of rows, n targets × k judges, from the
// integers X = value·D: with S = Σ X, Q = Σ X², R = Σ_i (row sum)² and
// C = Σ_j (column sum)²,
//
//	nk·SS_rows  = n·R − S²
//	nk·SS_cols  = k·C − S²
//	nk·SS_total = nk·Q − S²
//	SS_error    = SS_total − SS_rows − SS_cols
//
// and BMS = SS_rows/(n − 1), JMS = SS_cols/(k − 1), EMS = SS_error/((n −
// 1)(k − 1)).
func anova(rows [][]exact.Num) meanSquares {
	n, k := len(rows), len(rows[0])
	sc := newScaler(cellsFromRows(rows))
	var s, q, r, x, row, t big.Int
	cols := make([]big.Int, k)
	for _, rw := range rows {
		row.SetInt64(0)
		for j, v := range rw {
			sc.num(v, &x)
			row.Add(&row, &x)
			cols[j].Add(&cols[j], &x)
			q.Add(&q, t.Mul(&x, &x))
		}
		s.Add(&s, &row)
		r.Add(&r, t.Mul(&row, &row))
	}
	var c big.Int
	for j := range cols {
		c.Add(&c, t.Mul(&cols[j], &cols[j]))
	}
	s2 := new(big.Int).Mul(&s, &s)
	bn, bk := big.NewInt(int64(n)), big.NewInt(int64(k))
	ssRows := new(big.Int).Mul(bn, &r)
	ssRows.Sub(ssRows, s2)
	ssCols := new(big.Int).Mul(bk, &c)
	ssCols.Sub(ssCols, s2)
	ssErr := new(big.Int).Mul(bn, bk)
	ssErr.Mul(ssErr, &q)
	ssErr.Sub(ssErr, s2)
	ssErr.Sub(ssErr, ssRows)
	ssErr.Sub(ssErr, ssCols)
	return meanSquares{
		bms: new(big.Rat).SetFrac(ssRows, big.NewInt(int64(n-1))),
		jms: new(big.Rat).SetFrac(ssCols, big.NewInt(int64(k-1))),
		ems: new(big.Rat).SetFrac(ssErr, big.NewInt(int64((n-1)*(k-1)))),
	}
}

func cellsFromRows(rows [][]exact.Num) [][]cell {
	out := make([][]cell, len(rows))
	for i, r := range rows {
		out[i] = make([]cell, len(r))
		for j, x := range r {
			out[i][j] = cell{judge: j, x: x}
		}
	}
	return out
}

// icc is ICC on exact values: each coefficient is nil when undefined, and
// err says why.
func icc(rows [][]exact.Num) (single, average *big.Rat, err error) {
	n := len(rows)
	if n < 2 {
		return nil, nil, errors.New("fewer than 2 projects")
	}
	k := len(rows[0])
	if k < 2 {
		return nil, nil, errors.New("fewer than 2 judges")
	}
	for _, row := range rows {
		if len(row) != k {
			return nil, nil, errors.New("an incomplete design: rows of different lengths")
		}
	}
	ms := anova(rows)
	// JMS − EMS over n, shared by both denominators.
	spread := new(big.Rat).Sub(ms.jms, ms.ems)
	spread.Quo(spread, new(big.Rat).SetInt64(int64(n)))
	num := new(big.Rat).Sub(ms.bms, ms.ems)
	// d1 = BMS + (k − 1)·EMS + k·(JMS − EMS)/n
	d1 := new(big.Rat).Mul(ms.ems, new(big.Rat).SetInt64(int64(k-1)))
	d1.Add(d1, ms.bms)
	d1.Add(d1, new(big.Rat).Mul(spread, new(big.Rat).SetInt64(int64(k))))
	// dk = BMS + (JMS − EMS)/n
	dk := new(big.Rat).Add(ms.bms, spread)
	switch {
	case d1.Sign() == 0 && dk.Sign() == 0:
		// Both are 0 only when every mean square is: BMS, JMS, EMS ≥ 0
		// and d1 ≥ BMS + k·JMS/n for n, k ≥ 2.
		return nil, nil, errors.New("no variance between projects or judges: every counted value is the same")
	case d1.Sign() == 0:
		return nil, new(big.Rat).Quo(num, dk), errors.New("ICC(2,1) undefined: its denominator BMS + (k−1)·EMS + k·(JMS − EMS)/n is exactly 0 (no variance between projects nor between judges)")
	case dk.Sign() == 0:
		return new(big.Rat).Quo(num, d1), nil, errors.New("ICC(2,k) undefined: its denominator BMS + (JMS − EMS)/n is exactly 0")
	}
	return new(big.Rat).Quo(num, d1), new(big.Rat).Quo(num, dk), nil
}

// leniencies returns each judge's mean difference from the other judges'
// mean, over the units where the judge and at least one other have a
// value, exactly, converted to float64 once. In a unit of m values with
// sum T, the difference of value x is x − (T − x)/(m − 1) = (m·x − T)/(m −
// 1): the integers m·X − T are summed per judge and per m, and divided at
// the end.
func leniencies(units [][]cell, nj int) []Leniency {
	sc := newScaler(units)
	out := make([]Leniency, nj)
	sums := map[int][]big.Int{} // by m: per judge, Σ (m·X − T)
	var x, total, t big.Int
	for _, u := range units {
		m := len(u)
		if m < 2 {
			continue
		}
		acc := sums[m]
		if acc == nil {
			acc = make([]big.Int, nj)
			sums[m] = acc
		}
		total.SetInt64(0)
		for _, c := range u {
			total.Add(&total, sc.num(c.x, &x))
		}
		bm := big.NewInt(int64(m))
		for _, c := range u {
			t.Mul(bm, sc.num(c.x, &x))
			acc[c.judge].Add(&acc[c.judge], t.Sub(&t, &total))
			out[c.judge].Pairs++
		}
	}
	ms := slices.Sorted(maps.Keys(sums))
	for j := range out {
		out[j].Mean = math.NaN()
		if out[j].Pairs == 0 {
			continue
		}
		mean := new(big.Rat)
		for _, m := range ms {
			mean.Add(mean, new(big.Rat).SetFrac(&sums[m][j], big.NewInt(int64(m-1))))
		}
		d := new(big.Int).Mul(sc.den, big.NewInt(int64(out[j].Pairs)))
		mean.Quo(mean, new(big.Rat).SetInt(d))
		out[j].Mean, _ = mean.Float64()
	}
	return out
}
