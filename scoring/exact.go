package scoring

import (
	"math"
	"math/big"
	"math/bits"

	"github.com/shopspring/decimal"
)

// Round rounds x to places decimal places with mode, exactly, and returns
// the result as a decimal. It never returns a negative zero. An empty mode
// means HalfUp.
func Round(x *big.Rat, places int, mode RoundingMode) decimal.Decimal {
	if d, ok := roundInt64(x, places, mode); ok {
		return d
	}
	return roundBig(x, places, mode)
}

// roundBig is Round on big integers, for any x.
func roundBig(x *big.Rat, places int, mode RoundingMode) decimal.Decimal {
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

// powers10 holds 10^0 … 10^18, the powers of ten an int64 holds.
var powers10 = [19]int64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

func pow10(n int) *big.Int {
	if n < len(powers10) {
		return big.NewInt(powers10[n])
	}
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}

// roundInt64 is Round on int64s, for the usual case where x's numerator
// times 10^places and its denominator fit; ok is false otherwise.
func roundInt64(x *big.Rat, places int, mode RoundingMode) (decimal.Decimal, bool) {
	if places >= len(powers10) || !x.Num().IsInt64() || !x.Denom().IsInt64() {
		return decimal.Decimal{}, false
	}
	num, den, p := x.Num().Int64(), x.Denom().Int64(), powers10[places]
	neg := num < 0
	if neg {
		num = -num // num > MinInt64: a normalised Rat with an int64 numerator
	}
	hi, n := bits.Mul64(uint64(num), uint64(p))
	if hi != 0 || n > math.MaxInt64 {
		return decimal.Decimal{}, false
	}
	q, r := int64(n)/den, int64(n)%den
	if r != 0 {
		switch twice := 2 * uint64(r); mode {
		case Down:
		case HalfEven:
			if twice > uint64(den) || (twice == uint64(den) && q%2 == 1) {
				q++
			}
		default: // HalfUp
			if twice >= uint64(den) {
				q++
			}
		}
	}
	if neg {
		q = -q
	}
	return decimal.New(q, -int32(places)), true
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
