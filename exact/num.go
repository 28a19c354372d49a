// Package exact provides Num, an exact rational number that holds the
// usual values of scoring (a sum of scaled scores over a count, a total
// over a common denominator) in two machine words (plus a pointer, nil for
// them), and falls back to math/big only when a value does not fit. Arithmetic on Nums never rounds
// unless asked to: Round names its places and its mode.
//
// A Num is a value: copying it is cheap and safe, and no method modifies
// its receiver, so Nums may be shared between goroutines.
package exact

import (
	"cmp"
	"math"
	"math/big"
	"math/bits"
	"strconv"

	"github.com/shopspring/decimal"
)

// Num is an exact rational number. The zero Num is 0.
//
// Small values are held inline as n/d with int64 n and uint64 d, not
// necessarily in lowest terms; larger ones in a big.Rat that is never
// modified once set. Compare Nums with Cmp, never with ==.
type Num struct {
	n   int64    // numerator when r is nil; never math.MinInt64
	d   uint64   // denominator when r is nil, 1 ≤ d ≤ MaxInt64; 0 means 1
	big *big.Rat // the value, when it does not fit inline
}

// NullNum is a Num that may be undefined, as decimal.NullDecimal is a
// Decimal that may be null. The zero NullNum is undefined.
type NullNum struct {
	Num   Num  // the value, when Valid
	Valid bool // false: undefined
}

// Mode says how Round treats the part it drops.
type Mode int

// The rounding modes. The zero Mode is HalfUp.
const (
	HalfUp   Mode = iota // to nearest, ties away from zero
	HalfEven             // to nearest, ties to the even neighbour
	Down                 // toward zero
)

// Int returns the Num v.
func Int(v int64) Num {
	if v == math.MinInt64 {
		return Num{big: new(big.Rat).SetInt64(v)}
	}
	return Num{n: v}
}

// Frac returns the Num n/d. It panics if d is 0, as big.NewRat does.
func Frac(n, d int64) Num {
	switch {
	case d == 0:
		panic("exact: zero denominator")
	case n == math.MinInt64 || d == math.MinInt64:
		return Num{big: big.NewRat(n, d)}
	case d < 0:
		n, d = -n, -d
	}
	return Num{n: n, d: uint64(d)}
}

// FromRat returns the Num r. It copies r, so later changes to r do not
// change the Num.
func FromRat(r *big.Rat) Num {
	num, den := r.Num(), r.Denom()
	if num.IsInt64() && den.IsInt64() {
		if n := num.Int64(); n != math.MinInt64 {
			return Num{n: n, d: uint64(den.Int64())}
		}
	}
	return Num{big: new(big.Rat).Set(r)}
}

// FromDecimal returns the Num d.
func FromDecimal(d decimal.Decimal) Num {
	if exp := d.Exponent(); exp >= -18 && exp <= 0 {
		if c := d.Coefficient(); c.IsInt64() && c.Int64() != math.MinInt64 {
			return Num{n: c.Int64(), d: pow10[-exp]}
		}
	}
	return FromRat(d.Rat())
}

// Frac64 returns x as num/den, not necessarily in lowest terms, with
// den > 0, when x is held inline; ok is false otherwise. Values with a
// common den compare as their nums do.
func (x Num) Frac64() (num, den int64, ok bool) {
	if x.big != nil {
		return 0, 0, false
	}
	return x.n, int64(x.den()), true
}

// Inline reports whether x is held in machine words, without math/big.
func (x Num) Inline() bool { return x.big == nil }

func (x Num) den() uint64 {
	if x.d == 0 {
		return 1
	}
	return x.d
}

// Rat returns x as a new big.Rat, which the caller may modify.
func (x Num) Rat() *big.Rat {
	if x.big != nil {
		return new(big.Rat).Set(x.big)
	}
	return new(big.Rat).SetFrac(big.NewInt(x.n), new(big.Int).SetUint64(x.den()))
}

// rat returns x as a big.Rat the caller must not modify.
func (x Num) rat() *big.Rat {
	if x.big != nil {
		return x.big
	}
	return x.Rat()
}

// Sign returns −1, 0 or +1 as x is negative, zero or positive.
func (x Num) Sign() int {
	switch {
	case x.big != nil:
		return x.big.Sign()
	case x.n < 0:
		return -1
	case x.n > 0:
		return 1
	}
	return 0
}

// Cmp returns −1, 0 or +1 as x is less than, equal to or greater than y.
// It allocates only when x or y is held in a big.Rat.
func (x Num) Cmp(y Num) int {
	if x.big != nil || y.big != nil {
		return x.rat().Cmp(y.rat())
	}
	if x.d == y.d { // a common denominator, as rounded values share
		return cmp.Compare(x.n, y.n)
	}
	sx, sy := x.Sign(), y.Sign()
	if sx != sy || sx == 0 {
		return cmp.Compare(sx, sy)
	}
	// Same sign: compare |x.n|·y.d with |y.n|·x.d, in 128 bits.
	h1, l1 := bits.Mul64(abs(x.n), y.den())
	h2, l2 := bits.Mul64(abs(y.n), x.den())
	c := cmp128(h1, l1, h2, l2)
	if sx < 0 {
		c = -c
	}
	return c
}

// Round returns x rounded to places decimal places with mode: a multiple
// of 10^−places, never a negative zero. It panics if places is negative.
func (x Num) Round(places int, mode Mode) Num {
	if places < 0 {
		panic("exact: negative places")
	}
	if x.big == nil && places < len(pow10) {
		if r, ok := x.roundInline(places, mode); ok {
			return r
		}
	}
	return roundBig(x.rat(), places, mode)
}

func (x Num) roundInline(places int, mode Mode) (Num, bool) {
	p, den := pow10[places], x.den()
	hi, lo := bits.Mul64(abs(x.n), p)
	if hi >= den {
		return Num{}, false // the quotient would not fit in 64 bits
	}
	q, r := bits.Div64(hi, lo, den)
	if q >= math.MaxInt64 {
		return Num{}, false // no room to round up
	}
	if r != 0 {
		switch twice := 2 * r; mode { // r < den ≤ MaxInt64: no overflow
		case Down:
		case HalfEven:
			if twice > den || (twice == den && q%2 == 1) {
				q++
			}
		default:
			if twice >= den {
				q++
			}
		}
	}
	n := int64(q)
	if x.n < 0 {
		n = -n
	}
	return Num{n: n, d: p}, true
}

func roundBig(x *big.Rat, places int, mode Mode) Num {
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil)
	n := new(big.Int).Mul(x.Num(), scale)
	q, r := new(big.Int).QuoRem(n, x.Denom(), new(big.Int))
	if r.Sign() != 0 {
		twice := new(big.Int).Lsh(new(big.Int).Abs(r), 1)
		c := twice.Cmp(x.Denom())
		up := false
		switch mode {
		case Down:
		case HalfEven:
			up = c > 0 || (c == 0 && q.Bit(0) == 1)
		default:
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
	return FromRat(new(big.Rat).SetFrac(q, scale))
}

// Decimal returns x rounded to places decimal places half up, as a
// decimal.Decimal with exponent −places. It is exact when x has at most
// places decimals, as a value returned by Round(places, ...) has.
func (x Num) Decimal(places int) decimal.Decimal {
	r := x.Round(places, HalfUp)
	if r.scaled(places) {
		return decimal.New(r.n, -int32(places))
	}
	rat := r.rat() // a whole multiple of 10^−places
	q := new(big.Int).Mul(rat.Num(), new(big.Int).Quo(pow10Big(places), rat.Denom()))
	return decimal.NewFromBigInt(q, -int32(places))
}

// scaled reports whether x is inline with the denominator 10^places.
func (x Num) scaled(places int) bool {
	return x.big == nil && places < len(pow10) && x.den() == pow10[places]
}

// AppendText appends to dst x rounded to places decimal places half up, in
// decimal with exactly places digits after the point ("12.50", "-3",
// "0.07"), and returns the extended slice. It is exact when x has at most
// places decimals.
func (x Num) AppendText(dst []byte, places int) []byte {
	r := x.Round(places, HalfUp)
	if !r.scaled(places) {
		return append(dst, r.Decimal(places).StringFixed(int32(places))...)
	}
	if r.n < 0 {
		dst = append(dst, '-')
	}
	var digits [24]byte
	ds := strconv.AppendUint(digits[:0], abs(r.n), 10)
	if places == 0 {
		return append(dst, ds...)
	}
	if len(ds) <= places { // pad 7 to 0.07
		dst = append(dst, '0', '.')
		for range places - len(ds) {
			dst = append(dst, '0')
		}
		return append(dst, ds...)
	}
	cut := len(ds) - places
	dst = append(dst, ds[:cut]...)
	dst = append(dst, '.')
	return append(dst, ds[cut:]...)
}

// Text returns x as AppendText writes it.
func (x Num) Text(places int) string { return string(x.AppendText(nil, places)) }

// String returns x as a fraction in lowest terms, "7/2", or as an integer,
// "3".
func (x Num) String() string { return x.rat().RatString() }

// pow10 holds 10^0 … 10^18, the powers of ten a uint64 holds below
// MaxInt64.
var pow10 = [19]uint64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

func pow10Big(n int) *big.Int {
	if n < len(pow10) {
		return new(big.Int).SetUint64(pow10[n])
	}
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}

func abs(v int64) uint64 {
	if v < 0 {
		return uint64(-v)
	}
	return uint64(v)
}

func cmp128(h1, l1, h2, l2 uint64) int {
	switch {
	case h1 != h2:
		if h1 < h2 {
			return -1
		}
		return 1
	case l1 != l2:
		if l1 < l2 {
			return -1
		}
		return 1
	}
	return 0
}
