package scoring

import (
	"math/big"
	"testing"

	"github.com/stretchr/testify/require"
)

func rat(s string) *big.Rat {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		panic("bad rational " + s)
	}
	return r
}

func TestRound(t *testing.T) {
	tests := []struct {
		name   string
		x      string
		places int
		mode   RoundingMode
		want   string
	}{
		{"half up, exactly half", "2.345", 2, HalfUp, "2.35"},
		{"half up, negative half goes away from zero", "-2.345", 2, HalfUp, "-2.35"},
		{"half up, below half", "2.3449999", 2, HalfUp, "2.34"},
		{"half even, half to even below", "2.345", 2, HalfEven, "2.34"},
		{"half even, half to even above", "2.355", 2, HalfEven, "2.36"},
		{"half even, above half", "2.3450001", 2, HalfEven, "2.35"},
		{"half even, negative half", "-2.345", 2, HalfEven, "-2.34"},
		{"down truncates", "2.349", 2, Down, "2.34"},
		{"down truncates toward zero when negative", "-2.349", 2, Down, "-2.34"},
		{"one third", "1/3", 3, HalfUp, "0.333"},
		{"two thirds", "2/3", 3, HalfUp, "0.667"},
		{"zero places half", "5/2", 0, HalfUp, "3"},
		{"zero places half even", "5/2", 0, HalfEven, "2"},
		{"tiny negative rounds to zero, not -0", "-1/1000", 2, HalfUp, "0.00"},
		{"twelve places", "1/7", 12, HalfUp, "0.142857142857"},
		{"empty mode is half up", "0.125", 2, "", "0.13"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Round(rat(tt.x), tt.places, tt.mode).StringFixed(int32(tt.places))
			require.Equal(t, tt.want, got)
		})
	}
}

func TestSqrtRat(t *testing.T) {
	require.Equal(t, "2/3", sqrtRat(rat("4/9")).RatString(), "perfect squares are exact")
	require.Equal(t, "0", sqrtRat(new(big.Rat)).RatString())
	// √2 to 40 places (rounded: …785696 71… becomes …785697).
	got := sqrtRat(rat("2")).FloatString(40)
	require.Equal(t, "1.4142135623730950488016887242096980785697", got)
}
