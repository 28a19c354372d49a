package exact

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// TestRoundPaths: the inline path and the big path agree, on values that
// take either.
func TestRoundPaths(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	for range 20000 {
		x := Frac(rng.Int64N(2_000_001)-1_000_000, rng.Int64N(1000)+1)
		places := rng.IntN(8)
		for _, mode := range []Mode{HalfUp, HalfEven, Down} {
			fast, ok := x.roundInline(places, mode)
			require.True(t, ok)
			slow := roundBig(x.Rat(), places, mode)
			require.Zero(t, fast.Cmp(slow), "%s at %d places, mode %d: %s vs %s", x, places, mode, fast, slow)
		}
	}
}

func TestRound(t *testing.T) {
	for _, tt := range []struct {
		x      Num
		places int
		mode   Mode
		want   string
	}{
		{Frac(2345, 1000), 2, HalfUp, "2.35"},
		{Frac(-2345, 1000), 2, HalfUp, "-2.35"},
		{Frac(2345, 1000), 2, HalfEven, "2.34"},
		{Frac(2355, 1000), 2, HalfEven, "2.36"},
		{Frac(2349, 1000), 2, Down, "2.34"},
		{Frac(-2349, 1000), 2, Down, "-2.34"},
		{Frac(-1, 1000), 2, HalfUp, "0.00"}, // no negative zero
		{Frac(2, 3), 0, HalfUp, "1"},        // 0 places
		{Frac(1, 3), 12, HalfUp, "0.333333333333"},
		{Frac(7, 100), 2, HalfUp, "0.07"},
		{Int(math.MaxInt64), 2, HalfUp, "9223372036854775807.00"}, // past int64 once scaled: the big path
		{Frac(math.MaxInt64, 3), 18, HalfEven, "3074457345618258602.333333333333333333"},
		{Int(math.MinInt64), 0, HalfUp, "-9223372036854775808"},
	} {
		require.Equal(t, tt.want, tt.x.Round(tt.places, tt.mode).Text(tt.places), "%s", tt.x)
	}
}

// TestCmp agrees with big.Rat, on inline values (with shared and with
// different denominators) and on big ones.
func TestCmp(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	pick := func() Num {
		switch rng.IntN(4) {
		case 0:
			return Frac(rng.Int64N(21)-10, 100)
		case 1:
			return Frac(rng.Int64()-rng.Int64(), rng.Int64N(math.MaxInt64)+1)
		case 2:
			r, _ := new(big.Rat).SetString("123456789012345678901234567890/7")
			if rng.IntN(2) == 0 {
				r.Neg(r)
			}
			return FromRat(r)
		}
		return Int(rng.Int64N(5) - 2)
	}
	for range 50000 {
		x, y := pick(), pick()
		require.Equal(t, x.Rat().Cmp(y.Rat()), x.Cmp(y), "%s vs %s", x, y)
	}
}

func TestConversions(t *testing.T) {
	require.Equal(t, "7/2", Frac(-7, -2).String())
	require.Equal(t, "12.50", FromDecimal(decimal.RequireFromString("12.5")).Text(2))
	require.Equal(t, "-0.125", FromDecimal(decimal.RequireFromString("-0.125")).Text(3))
	huge := decimal.RequireFromString("123456789012345678901234567890.5")
	require.False(t, FromDecimal(huge).Inline())
	require.Equal(t, "123456789012345678901234567890.50", FromDecimal(huge).Text(2))
	require.True(t, FromDecimal(huge).Decimal(1).Equal(huge))
	require.True(t, Frac(1, 8).Decimal(3).Equal(decimal.RequireFromString("0.125")))
	r := big.NewRat(3, 4)
	x := FromRat(r)
	r.SetInt64(9) // FromRat copied r
	require.Equal(t, "3/4", x.String())
	require.Panics(t, func() { Frac(1, 0) })
	var zero Num
	require.Equal(t, 0, zero.Sign())
	require.Equal(t, "0", zero.String())
}

// TestNoAllocs: inline values are compared, rounded and formatted without
// touching the heap.
func TestNoAllocs(t *testing.T) {
	x, y := Frac(71250, 1000), Frac(2137, 30)
	buf := make([]byte, 0, 32)
	allocs := testing.AllocsPerRun(100, func() {
		_ = x.Cmp(y)
		_ = y.Round(2, HalfEven)
		buf = y.AppendText(buf[:0], 2)
	})
	require.Zero(t, allocs)
}
