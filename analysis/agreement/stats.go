package agreement

import (
	"errors"
	"math"
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
// computed with Σ_{i≠j} (v_i − v_j)² = 2m Σ (v − v̄)², around each mean
// (two passes) for accuracy. It reports an error when no unit has two
// values, or when every pairable value is the same (D_e = 0).
func Alpha(units [][]float64) (float64, error) {
	var n int
	var within, sum float64
	for _, u := range units {
		m := len(u)
		if m < 2 {
			continue
		}
		n += m
		within += float64(m) * sumSquares(u, mean(u)) / float64(m-1)
		for _, v := range u {
			sum += v
		}
	}
	if n == 0 {
		return math.NaN(), errors.New("no project has two counted values")
	}
	grand := sum / float64(n)
	var total float64
	for _, u := range units {
		if len(u) >= 2 {
			total += sumSquares(u, grand)
		}
	}
	if total == 0 {
		return math.NaN(), errors.New("every counted value is the same: there is no variation to agree on")
	}
	// D_o = 2·within/n and D_e = 2·total/(n−1).
	return 1 - float64(n-1)*within/(float64(n)*total), nil
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
// of the residual (EMS) of the two-way analysis of variance. It reports an
// error when there are fewer than 2 targets or 2 judges, when the rows
// differ in length, or when a denominator is zero.
func ICC(ratings [][]float64) (single, average float64, err error) {
	n := len(ratings)
	if n < 2 {
		return math.NaN(), math.NaN(), errors.New("fewer than 2 projects")
	}
	k := len(ratings[0])
	if k < 2 {
		return math.NaN(), math.NaN(), errors.New("fewer than 2 judges")
	}
	var sum float64
	for _, row := range ratings {
		if len(row) != k {
			return math.NaN(), math.NaN(), errors.New("an incomplete design: rows of different lengths")
		}
		for _, v := range row {
			sum += v
		}
	}
	grand := sum / float64(n*k)
	colMeans := make([]float64, k)
	var ssRows, ssTotal float64
	for _, row := range ratings {
		d := mean(row) - grand
		ssRows += d * d
		for j, v := range row {
			colMeans[j] += v / float64(n)
			ssTotal += (v - grand) * (v - grand)
		}
	}
	ssRows *= float64(k)
	ssCols := float64(n) * sumSquares(colMeans, grand)
	ssErr := ssTotal - ssRows - ssCols
	bms := ssRows / float64(n-1)
	jms := ssCols / float64(k-1)
	ems := ssErr / float64((n-1)*(k-1))
	d1 := bms + float64(k-1)*ems + float64(k)*(jms-ems)/float64(n)
	dk := bms + (jms-ems)/float64(n)
	if d1 == 0 || dk == 0 {
		return math.NaN(), math.NaN(), errors.New("no variance between projects or judges")
	}
	return (bms - ems) / d1, (bms - ems) / dk, nil
}

func mean(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

func sumSquares(v []float64, around float64) float64 {
	var s float64
	for _, x := range v {
		s += (x - around) * (x - around)
	}
	return s
}
