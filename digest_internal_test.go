package afkar

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// TestAppendDecimal spells decimals as decimal.String does, on values of
// every sign, size and exponent, including those past its fast path.
func TestAppendDecimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 2))
	cases := []decimal.Decimal{decimal.Zero, decimal.New(0, -3), decimal.New(-5, 0), decimal.New(120, 2),
		decimal.RequireFromString("123456789012345678901234.5"), decimal.RequireFromString("-0.0000000000000000000001")}
	for range 20000 {
		c := rng.Int64() >> rng.IntN(64)
		if rng.IntN(2) == 0 {
			c = -c
		}
		cases = append(cases, decimal.New(c, -int32(rng.IntN(22))+2))
	}
	for _, d := range cases {
		require.Equal(t, d.String(), string(appendDecimal(nil, d)), "coefficient %s exponent %d", d.Coefficient(), d.Exponent())
	}
}

func TestAppendQuoted(t *testing.T) {
	for _, s := range []string{"", "P-001", `a"b`, `a\b`, "tab\t", "عربي", "\x7f", "ok.id_1"} {
		require.Equal(t, strconv.Quote(s), string(appendQuoted(nil, s)))
	}
}
