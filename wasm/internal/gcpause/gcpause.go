// Package gcpause holds Go's garbage collector off while the WebAssembly
// engine answers a call, and collects once after a call that allocated
// much.
//
// In the browser the engine has one thread, and a call's working set is
// nearly all in use until the call ends: a collection during the call
// finds little to free, and the heap it paces itself by has grown with
// the call's garbage. Held off, the heap grows by what the call
// allocates, and one collection after it, when nearly all of that is
// garbage, frees it for the next call. In Chromium, evaluating the
// benchmark's 10k-project dataset (33.6 MB of JSON) again and again, the
// engine's memory stays at 74 MB instead of 132 MB (1k projects: 13 MB
// instead of 20), in the same time (BENCHMARKS.md, "Fifth round"):
// WebAssembly memory, once grown, is never given back to the device.
//
// Above a soft limit of memory (Limit) the collector runs anyway, as Go
// lets it (runtime/debug.SetMemoryLimit): a call on a dataset too large
// for the device is slowed, not made to fail sooner.
package gcpause

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

const (
	// Limit is the soft memory limit while the collector is held off.
	Limit = 1 << 30
	// CollectAfter is how many bytes the calls since the last collection
	// a Pauser made allocate before one follows them: the collector's own
	// minimum heap. Calls that allocate less, such as scoring one sheet
	// as it is typed, are collected after a few of them: in the browser
	// Go runs only inside calls, with the collector held off, and nothing
	// else would ever collect their garbage.
	CollectAfter = 4 << 20
)

// A Pauser runs calls with the collector held off. Its zero value is
// ready to use. It is safe for concurrent use: the collector is held off
// from the first call that starts to the last that ends, and the settings
// found before are then restored.
type Pauser struct {
	mu        sync.Mutex
	running   int    // calls in progress
	percent   int    // GOGC before the first call
	limit     int64  // the memory limit before the first call
	collected uint64 // the bytes allocated by the program at the last collection, or 0
}

// Do runs f with the collector held off, then restores the collector's
// settings and, when the program has allocated more than CollectAfter
// bytes since the last collection Do made (or its first call), collects.
func (p *Pauser) Do(f func()) {
	p.start()
	defer p.end()
	f()
}

func (p *Pauser) start() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.running++; p.running > 1 {
		return
	}
	if p.collected == 0 {
		p.collected = allocated()
	}
	p.percent = debug.SetGCPercent(-1)
	p.limit = debug.SetMemoryLimit(-1)
	debug.SetMemoryLimit(min(p.limit, Limit))
}

func (p *Pauser) end() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.running--; p.running > 0 {
		return
	}
	debug.SetGCPercent(p.percent)
	debug.SetMemoryLimit(p.limit)
	if allocated()-p.collected > CollectAfter {
		runtime.GC()
		p.collected = allocated()
	}
}

// allocated returns the bytes allocated on the heap since the program
// started.
func allocated() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
