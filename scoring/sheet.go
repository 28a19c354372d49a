package scoring

import (
	"math/big"

	"github.com/shopspring/decimal"
)

// Contribution returns the exact share of the total that a value v of
// criterion i (an aggregate, or one judge's score) brings:
// total_max · w'(i) · (v − min) / (max − min). The rubric must be valid.
func (r *Rubric) Contribution(i int, v decimal.Decimal) *big.Rat {
	lo, hi, _ := r.criterionRange(&r.Criteria[i])
	k := new(big.Rat).Mul(ratOf(r.totalMax()), ratOf(r.Criteria[i].Weight))
	if r.Weights == RelativeWeights {
		sum := new(big.Rat)
		for _, c := range r.Criteria {
			sum.Add(sum, ratOf(c.Weight))
		}
		k.Quo(k, sum)
	}
	k.Quo(k, ratOf(hi.Sub(lo)))
	return k.Mul(k, ratOf(v.Sub(lo)))
}

// CheckScore reports whether v is a valid score of criterion i: within its
// range and on its step. The error, a *[ValueError], says what was
// expected and found; its code is one of [CodeScoreBelowMin],
// [CodeScoreAboveMax] and [CodeScoreStep].
func (r *Rubric) CheckScore(i int, v decimal.Decimal) error {
	if e := r.checkScore(i, v); e != nil {
		return e
	}
	return nil
}

// Round rounds x as the rubric publishes values: to its places, with its
// mode.
func (r *Rubric) Round(x *big.Rat) decimal.Decimal {
	places, mode := r.Rounding.effective()
	return Round(x, places, mode)
}
