package afkar_test

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/internal/sample"
	"github.com/stretchr/testify/require"
)

// TestConcurrentEvaluate: one Dataset evaluated by many goroutines at once
// (run under -race) gives the same bytes everywhere, and no goroutine is
// left behind.
func TestConcurrentEvaluate(t *testing.T) {
	before := runtime.NumGoroutine()
	ds, err := afkar.Decode(sample.JSON())
	require.NoError(t, err)
	want, err := afkar.Evaluate(context.Background(), ds)
	require.NoError(t, err)
	wantJSON, err := want.MarshalJSON()
	require.NoError(t, err)

	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for range 32 {
		wg.Go(func() {
			res, err := afkar.Evaluate(context.Background(), ds)
			if err != nil {
				errs <- err
				return
			}
			got, _ := res.MarshalJSON()
			if string(got) != string(wantJSON) {
				errs <- errDiffers
			}
			_ = ds.Digest()
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	// Poll here: require.Eventually runs its condition on a goroutine of
	// its own, which would count.
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	require.LessOrEqual(t, runtime.NumGoroutine(), before, "goroutines left behind")
}

var errDiffers = errorString("a concurrent result differs")

type errorString string

func (e errorString) Error() string { return string(e) }
