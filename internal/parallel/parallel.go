// Package parallel splits a loop over n items across the machine's cores.
package parallel

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// For calls body on consecutive ranges [lo, hi) that cover [0, n), with at
// most GOMAXPROCS calls at once and ranges of minChunk items or more (all
// but the last; one range when n is small; none when n is 0). With one
// core, the ranges run in order on the calling goroutine. body must only
// write state of its own range. For checks ctx before each range and
// returns ctx.Err() if it is done, or the first error of body; it returns
// once every call has returned.
func For(ctx context.Context, n, minChunk int, body func(lo, hi int) error) error {
	workers := runtime.GOMAXPROCS(0)
	minChunk = max(minChunk, 1)
	if n <= minChunk || workers == 1 {
		for lo := 0; lo < n || lo == 0; lo += minChunk {
			if err := ctx.Err(); err != nil || n == 0 {
				return err
			}
			if err := body(lo, min(lo+minChunk, n)); err != nil {
				return err
			}
		}
		return nil
	}
	// Several ranges per worker, so that a slow range does not leave the
	// other cores idle.
	chunk := max(minChunk, n/(workers*8))
	var next atomic.Int64
	var (
		mu    sync.Mutex
		first error
		wg    sync.WaitGroup
	)
	fail := func(err error) {
		mu.Lock()
		if first == nil {
			first = err
		}
		mu.Unlock()
	}
	failed := func() bool {
		mu.Lock()
		defer mu.Unlock()
		return first != nil
	}
	for range min(workers, (n+chunk-1)/chunk) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !failed() {
				lo := int(next.Add(int64(chunk))) - chunk
				if lo >= n {
					return
				}
				if err := ctx.Err(); err != nil {
					fail(err)
					return
				}
				if err := body(lo, min(lo+chunk, n)); err != nil {
					fail(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	return first
}
