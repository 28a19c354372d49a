package scoring

import (
	"math/big"

	"github.com/afkarlab/afkar/exact"
	"github.com/shopspring/decimal"
)

// Round rounds x to places decimal places with mode, exactly, and returns
// the result as a decimal. It never returns a negative zero. An empty mode
// means HalfUp.
func Round(x *big.Rat, places int, mode RoundingMode) decimal.Decimal {
	return exact.FromRat(x).Round(places, mode.Exact()).Decimal(places)
}

// powers10 holds 10^0 … 10^18, the powers of ten an int64 holds.
var powers10 = [19]int64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

func pow10(n int) *big.Int {
	if n < len(powers10) {
		return big.NewInt(powers10[n])
	}
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}

// ratOf returns d as an exact rational.
func ratOf(d decimal.Decimal) *big.Rat { return d.Rat() }

// sqrtRat returns the square root of x ≥ 0: exact when x is the square of a
// rational, else correct to 256 bits (about 77 significant digits).
func sqrtRat(x *big.Rat) *big.Rat {
	if x.Sign() == 0 {
		return new(big.Rat)
	}
	n, d := x.Num(), x.Denom()
	sn, sd := new(big.Int).Sqrt(n), new(big.Int).Sqrt(d)
	if new(big.Int).Mul(sn, sn).Cmp(n) == 0 && new(big.Int).Mul(sd, sd).Cmp(d) == 0 {
		return new(big.Rat).SetFrac(sn, sd)
	}
	f := new(big.Float).SetPrec(256).SetRat(x)
	f.Sqrt(f)
	r, _ := f.Rat(nil)
	return r
}
