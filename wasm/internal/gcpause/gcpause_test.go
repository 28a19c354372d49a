package gcpause

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// garbage allocates n bytes in blocks that hold no pointers, and keeps
// them until it returns.
func garbage(n int) {
	var kept [][]byte
	for n > 0 {
		kept = append(kept, make([]byte, 64<<10))
		n -= 64 << 10
	}
	runtime.KeepAlive(kept)
}

func numGC() uint32 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.NumGC
}

// forced returns the collections the program asked for (runtime.GC).
func forced() uint64 {
	s := []metrics.Sample{{Name: "/gc/cycles/forced:gc-cycles"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

func settings() (percent int, limit int64) {
	percent = debug.SetGCPercent(-1)
	debug.SetGCPercent(percent)
	return percent, debug.SetMemoryLimit(-1)
}

// TestDo: no collection starts during a call, even one that allocates
// many times the heap; one follows it; the settings found before are
// restored; and a call that allocates little is not followed by one.
func TestDo(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64)) // a GOMEMLIMIT set around the test would collect
	percent, limit := settings()
	var p Pauser
	runtime.GC()
	var during uint32
	var after uint64
	p.Do(func() {
		before := numGC()
		garbage(64 << 20)
		during = numGC() - before
		p, l := settings()
		require.Equal(t, -1, p, "GOGC during a call")
		require.Equal(t, min(limit, Limit), l, "the memory limit during a call")
		after = forced()
	})
	require.Zero(t, during, "collections during the call")
	require.Equal(t, after+1, forced(), "a collection after a call that allocated 64 MB")
	gotPercent, gotLimit := settings()
	require.Equal(t, percent, gotPercent)
	require.Equal(t, limit, gotLimit)

	p.Do(func() { after = forced(); garbage(1 << 20) })
	require.Equal(t, after, forced(), "a collection after a call that allocated 1 MB")
}

// TestDoSmallCalls: calls that each allocate less than CollectAfter are
// collected once they have allocated more together, as in the browser,
// where nothing outside the calls allocates and starts a collection.
func TestDoSmallCalls(t *testing.T) {
	var p Pauser
	runtime.GC()
	before := forced()
	for range 40 {
		p.Do(func() { garbage(1 << 20) })
	}
	require.GreaterOrEqual(t, forced()-before, uint64(5), "collections after 40 calls of 1 MB")
	require.LessOrEqual(t, forced()-before, uint64(10))
}

// TestDoKeepsALowerLimit: a memory limit below Limit stays in force.
func TestDoKeepsALowerLimit(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(512 << 20))
	var p Pauser
	p.Do(func() {
		_, l := settings()
		require.Equal(t, int64(512<<20), l)
	})
	_, l := settings()
	require.Equal(t, int64(512<<20), l)
}

// TestDoConcurrent: calls that overlap restore the settings once the
// last ends, whatever the order they end in.
func TestDoConcurrent(t *testing.T) {
	percent, limit := settings()
	var p Pauser
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				p.Do(func() { garbage(1 << 16) })
			}
		})
	}
	wg.Wait()
	gotPercent, gotLimit := settings()
	require.Equal(t, percent, gotPercent)
	require.Equal(t, limit, gotLimit)
}
