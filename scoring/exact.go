package scoring

import (
	"math/big"

	"github.com/shopspring/decimal"
)

// Round rounds x to places decimal places with mode, exactly, and returns
// the result as a decimal. It never returns a negative zero. An empty mode
// means HalfUp.
func Round(x *big.Rat, places int, mode RoundingMode) decimal.Decimal {
	n := new(big.Int).Mul(x.Num(), pow10(places))
	q, r := new(big.Int).QuoRem(n, x.Denom(), new(big.Int))
	if r.Sign() != 0 {
		twice := new(big.Int).Lsh(new(big.Int).Abs(r), 1)
		c := twice.Cmp(x.Denom())
		up := false
		switch mode {
		case Down:
		case HalfEven:
			up = c > 0 || (c == 0 && q.Bit(0) == 1)
		default: // HalfUp
			up = c >= 0
		}
		if up {
			if n.Sign() < 0 {
				q.Sub(q, big.NewInt(1))
			} else {
				q.Add(q, big.NewInt(1))
			}
		}
	}
	return decimal.NewFromBigInt(q, -int32(places))
}

func pow10(n int) *big.Int {
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
