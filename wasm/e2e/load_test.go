package e2e

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// The page's load on throttled networks, first visit and later ones:
//
//	cd wasm/e2e && go test -run=TestLoadTimes -load-runs=5 -v -timeout=60m .
//
// (-load-encoding=gzip or identity serves the page as to a browser that
// accepts only that, for comparison.)
//
// Each run opens a fresh browser context (empty HTTP cache, no service
// worker), then measures
//   - cold: the first visit;
//   - warm (service worker): the next visit, with the worker in charge;
//   - warm (HTTP cache only): the same with the worker bypassed, so that
//     only the HTTP cache (hashed files immutable, the rest revalidated)
//     saves downloads.
//
// Time to ready is performance.now() when #ready gets data-ready="true"
// (the engine answered), from the start of the navigation. Bytes are what
// the server wrote to its connections, headers included, from the start of
// the navigation to ready; for the cold visit, "total" also counts the
// service worker's precache, which follows. The service worker's own
// requests are not throttled: Chromium throttles the page's.
var (
	loadRuns     = flag.Int("load-runs", 0, "measure the page's load this many times on each network (0: skip TestLoadTimes)")
	loadEncoding = flag.String("load-encoding", "", "the Accept-Encoding the server sees in TestLoadTimes, to compare (gzip, identity); empty: the browser's")
)

// netProfile is a network as Chromium DevTools' presets define it
// (front_end/core/sdk/NetworkManager.ts), and a CPU slowdown.
type netProfile struct {
	name     string
	latency  float64 // ms, added to each request
	down, up float64 // bytes per second
	cpu      float64 // slowdown factor, 1 for none
}

func netProfiles() []netProfile {
	return []netProfile{
		// "Fast 3G" (called "Slow 4G" in recent DevTools, and Lighthouse's
		// mobile preset): 1.6 Mbit/s × 0.9 down, 750 kbit/s × 0.9 up,
		// 150 ms × 3.75; with the CPU 4× slower, as Lighthouse does.
		{"Fast 3G, CPU ×4", 562.5, 1.6e6 / 8 * 0.9, 750e3 / 8 * 0.9, 4},
		// "Fast 4G": 9 Mbit/s × 0.9 down, 1.5 Mbit/s × 0.9 up, 60 ms × 2.75.
		{"Fast 4G", 165, 9e6 / 8 * 0.9, 1.5e6 / 8 * 0.9, 1},
	}
}

// readyProbe records, in every document, when #ready says the engine is ready.
const readyProbe = `new MutationObserver((_, observer) => {
	const ready = document.getElementById("ready");
	if (ready && ready.dataset.ready === "true") {
		window.__afkarReadyAt = performance.now();
		observer.disconnect();
	}
}).observe(document, {subtree: true, attributes: true, attributeFilter: ["data-ready"]});`

// loadSample is one measured visit.
type loadSample struct {
	ms           float64 // navigation to ready
	bytesToReady int64
	bytesTotal   int64 // cold only: with the service worker's precache
}

func TestLoadTimes(t *testing.T) {
	if *loadRuns <= 0 {
		t.Skip("measure with -load-runs=N")
	}
	s := startServer(t, buildWidget(t))
	s.acceptEncoding = *loadEncoding
	browser := newBrowser(t)
	require.NoError(t, chromedp.Do(browser, chromedp.Navigate("about:blank")))

	var report strings.Builder
	fmt.Fprintf(&report, "| network | visit | time to ready | bytes to ready | bytes in all |\n|---|---|---:|---:|---:|\n")
	for _, p := range netProfiles() {
		var cold, warm, httpOnly []loadSample
		for run := range *loadRuns {
			tab, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
			require.NoError(t, chromedp.Do(tab, emulate(p), chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
				_, err := cdp.Call(ctx, target, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: readyProbe})
				return err
			})))
			start := s.sent.Load()
			c := visit(t, tab, s)
			waitOfflineReady(t, tab)
			c.bytesTotal = s.sent.Load() - start
			cold = append(cold, c)
			w := visit(t, tab, s)
			warm = append(warm, w)
			require.NoError(t, chromedp.Do(tab, bypassWorker(true)))
			h := visit(t, tab, s)
			httpOnly = append(httpOnly, h)
			cancel()
			t.Logf("%s, run %d: cold %.0f ms %d B (%d B in all), warm %.0f ms %d B, HTTP cache only %.0f ms %d B",
				p.name, run+1, c.ms, c.bytesToReady, c.bytesTotal, w.ms, w.bytesToReady, h.ms, h.bytesToReady)
		}
		row := func(visit string, samples []loadSample, total bool) {
			ms := median(samples, func(s loadSample) float64 { return s.ms })
			toReady := median(samples, func(s loadSample) float64 { return float64(s.bytesToReady) })
			all := "—"
			if total {
				all = kb(median(samples, func(s loadSample) float64 { return float64(s.bytesTotal) }))
			}
			fmt.Fprintf(&report, "| %s | %s | %.2f s | %s | %s |\n", p.name, visit, ms/1000, kb(toReady), all)
		}
		row("first (cold)", cold, true)
		row("again (service worker)", warm, false)
		row("again (HTTP cache only)", httpOnly, false)
	}
	sizes := buildSizes(t, s.build)
	if *loadEncoding != "" {
		sizes += "; served as if the browser sent Accept-Encoding: " + *loadEncoding
	}
	t.Logf("medians of %d runs; %s\n%s", *loadRuns, sizes, report.String())
	if dir := outDir(t); dir != "" {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "load.md"), []byte(sizes+"\n\n"+report.String()), 0o644))
	}
}

// visit navigates to the page and waits until it is ready.
func visit(t *testing.T, ctx context.Context, s *server) loadSample {
	t.Helper()
	start := s.sent.Load()
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(s.url())))
	var ms float64
	deadline := time.Now().Add(2 * time.Minute)
	for {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`window.__afkarReadyAt || 0`))
		require.NoError(t, err)
		if v > 0 {
			ms = v
			break
		}
		require.True(t, time.Now().Before(deadline), "the page was not ready in 2 minutes")
		time.Sleep(20 * time.Millisecond)
	}
	return loadSample{ms: ms, bytesToReady: s.sent.Load() - start}
}

// emulate throttles the tab's network and CPU.
func emulate(p netProfile) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
		if _, err := cdp.Call(ctx, target, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		// Chromium 148 wants the top-level "offline" of the protocol's
		// earlier revision, which cdproto's newer params lack.
		params := struct {
			Offline bool                  `json:"offline"`
			Rules   []*network.Conditions `json:"matchedNetworkConditions"`
		}{Rules: []*network.Conditions{{Latency: p.latency, DownloadThroughput: p.down, UploadThroughput: p.up}}}
		if err := target.Call(ctx, network.CommandEmulateNetworkConditionsByRule, params, nil); err != nil {
			return fmt.Errorf("%s: %w", network.CommandEmulateNetworkConditionsByRule, err)
		}
		_, err := cdp.Call(ctx, target, emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: p.cpu})
		return err
	})
}

func bypassWorker(bypass bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
		_, err := cdp.Call(ctx, target, network.SetBypassServiceWorker, network.SetBypassServiceWorkerParams{Bypass: bypass})
		return err
	})
}

func median[T any](xs []T, f func(T) float64) float64 {
	v := make([]float64, len(xs))
	for i, x := range xs {
		v[i] = f(x)
	}
	slices.SortFunc(v, cmp.Compare)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

func kb(bytes float64) string { return fmt.Sprintf("%.0f KB", bytes/1000) }

// buildSizes describes the engine's three forms.
func buildSizes(t *testing.T, build string) string {
	size := func(name string) int64 {
		fi, err := os.Stat(filepath.Join(build, name))
		require.NoError(t, err)
		return fi.Size()
	}
	return fmt.Sprintf("afkar.wasm: %d B plain, %d B brotli, %d B gzip", size("afkar.wasm"), size("afkar.wasm.br"), size("afkar.wasm.gz"))
}
