package parallel

import (
	"context"
	"errors"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestForCoversEveryItemOnce(t *testing.T) {
	for _, n := range []int{0, 1, 7, 1000, 100_003} {
		hits := make([]int32, n)
		err := For(context.Background(), n, 64, func(lo, hi int) error {
			for i := lo; i < hi; i++ {
				atomic.AddInt32(&hits[i], 1)
			}
			return nil
		})
		require.NoError(t, err)
		for i, h := range hits {
			require.EqualValues(t, 1, h, "item %d of %d", i, n)
		}
	}
}

func TestForStopsOnError(t *testing.T) {
	boom := errors.New("boom")
	err := For(context.Background(), 1_000_000, 10, func(lo, hi int) error {
		if lo >= 5000 {
			return boom
		}
		return nil
	})
	require.ErrorIs(t, err, boom)
}

// TestForOneCore: on one core the ranges still have minChunk items, in
// order, and a cancelled context stops the loop between them.
func TestForOneCore(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	var ranges [][2]int
	ctx, cancel := context.WithCancel(context.Background())
	err := For(ctx, 10, 3, func(lo, hi int) error {
		ranges = append(ranges, [2]int{lo, hi})
		if hi == 6 {
			cancel()
		}
		return nil
	})
	require.ErrorIs(t, err, context.Canceled)
	require.Equal(t, [][2]int{{0, 3}, {3, 6}}, ranges)
}

func TestForCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	calls := 0
	err := For(ctx, 10, 100, func(lo, hi int) error { calls++; return nil })
	require.ErrorIs(t, err, context.Canceled)
	require.Zero(t, calls)
	err = For(ctx, 1_000_000, 10, func(lo, hi int) error { return nil })
	require.ErrorIs(t, err, context.Canceled)
}
