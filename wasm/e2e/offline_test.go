package e2e

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/afkarlab/afkar/wasm/widget"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// server serves a build of the widget on an address that stays the same
// when it is stopped and started again (a service worker belongs to its
// origin), counts the bytes it sends, and logs what it answered.
type server struct {
	t     testing.TB
	build string
	addr  string
	srv   *httptest.Server
	sent  atomic.Int64 // bytes written to the connections, headers included
	mu    sync.Mutex
	log   []served

	// acceptEncoding, when not empty, replaces the requests' Accept-Encoding.
	acceptEncoding string
}

// served is one response, as the server sent it.
type served struct {
	Method, Path, Query string
	Status              int
	Encoding, Vary      string
	CacheControl        string
	Bytes               int64 // the body, as sent (compressed)
}

// buildWidget builds the engine once for a test.
func buildWidget(t testing.TB) string {
	t.Helper()
	chromium(t) // skip before building when there is no browser
	build := t.TempDir()
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	require.NoError(t, widget.Build(ctx, root, build))
	return build
}

// startServer serves build on a new local port.
func startServer(t testing.TB, build string) *server {
	t.Helper()
	s := &server{t: t, build: build, addr: "127.0.0.1:0"}
	s.start()
	t.Cleanup(s.stop)
	return s
}

func (s *server) url() string { return "http://" + s.addr + "/" }

// start serves a new widget.Handler of the build (so a changed build is a
// new version) on the server's address.
func (s *server) start() {
	s.t.Helper()
	var ln net.Listener
	var err error
	for range 50 { // the port of a stopped server can take a moment to free
		if ln, err = net.Listen("tcp", s.addr); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	require.NoError(s.t, err)
	s.addr = ln.Addr().String()
	s.srv = httptest.NewUnstartedServer(s.record(widget.Handler(s.build)))
	s.srv.Listener = countingListener{ln, &s.sent}
	s.srv.Start()
}

// stop closes the listener and every connection.
func (s *server) stop() {
	if s.srv != nil {
		s.srv.Close()
		s.srv = nil
	}
}

func (s *server) record(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.acceptEncoding != "" {
			r.Header.Set("Accept-Encoding", s.acceptEncoding)
		}
		rw := &recorder{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rw, r)
		s.mu.Lock()
		defer s.mu.Unlock()
		s.log = append(s.log, served{
			Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Status: rw.status,
			Encoding: w.Header().Get("Content-Encoding"), Vary: w.Header().Get("Vary"),
			CacheControl: w.Header().Get("Cache-Control"), Bytes: rw.bytes,
		})
	})
}

// responses returns the log since the last call, and empties it.
func (s *server) responses() []served {
	s.mu.Lock()
	defer s.mu.Unlock()
	log := s.log
	s.log = nil
	return log
}

type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (r *recorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(p []byte) (int, error) {
	n, err := r.ResponseWriter.Write(p)
	r.bytes += int64(n)
	return n, err
}

type countingListener struct {
	net.Listener
	sent *atomic.Int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return countingConn{c, l.sent}, nil
}

type countingConn struct {
	net.Conn
	sent *atomic.Int64
}

func (c countingConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.sent.Add(int64(n))
	return n, err
}

// newBrowser starts a headless Chromium with a profile of its own, as
// browserFor does, and returns its first tab.
func newBrowser(t testing.TB) context.Context {
	t.Helper()
	exe := chromium(t)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	t.Cleanup(cancel)
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(alloc)
	t.Cleanup(cancelBrowser)
	return bctx
}

// awaitJS runs an expression that may return a promise, and returns the
// value it settles to.
func awaitJS[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	require.NoError(t, err, expr)
	return v
}

// offlineReadyJS is true once a service worker controls the page and its
// cache holds the page.
const offlineReadyJS = `(async () => Boolean(navigator.serviceWorker.controller) &&
	Boolean(await caches.match(new URL("./", location.href).href)))()`

func waitOfflineReady(t *testing.T, ctx context.Context) {
	t.Helper()
	require.Eventually(t, func() bool { return awaitJS[bool](t, ctx, offlineReadyJS) }, 60*time.Second, 200*time.Millisecond,
		"the service worker did not take the page in charge")
}

func netStatus(t *testing.T, ctx context.Context) string {
	return js[string](t, ctx, `document.querySelector("#net-status").dataset.online`)
}

// step runs actions, failing the test after 30 s rather than waiting for
// ever for an element that never shows.
func step(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	require.NoError(t, chromedp.Do(c, actions...))
}

// scoreSocial is the sample's first score field.
const scoreSocial = `[data-testid="score:social"], #score-social`

// judgeSample scores the sample in judge mode and waits for the total.
func judgeSample(t *testing.T, ctx context.Context) {
	t.Helper()
	step(t, ctx, chromedp.Click(chromedp.CSS(`#mode-judge`)), chromedp.Click(chromedp.CSS(`#use-sample`)),
		chromedp.WaitVisible(chromedp.CSS(`#judge-id`)))
	if js[bool](t, ctx, `(() => { const scoreSocial = `+quote(scoreSocial)+`; const b = document.querySelector("#judge-open"); return Boolean(b) && !document.querySelector(scoreSocial)?.checkVisibility(); })()`) {
		// The page asks for the judge's id before it opens a sheet.
		js[any](t, ctx, `document.querySelector("#judge-id").value = ""`)
		step(t, ctx, chromedp.SendKeys(chromedp.CSS(`#judge-id`), "J-OFFLINE"), chromedp.Click(chromedp.CSS(`#judge-open`)))
	}
	step(t, ctx, chromedp.WaitVisible(chromedp.CSS(scoreSocial)))
	js[any](t, ctx, `document.querySelector(`+quote(scoreSocial)+`).value = ""`)
	step(t, ctx, chromedp.SendKeys(chromedp.CSS(scoreSocial), "14"))
	require.Eventually(t, func() bool {
		return js[string](t, ctx, `document.querySelector('[data-testid="total"]').textContent.trim()`) != ""
	}, 10*time.Second, 100*time.Millisecond, "no total for the sample")
}

// organiserSample evaluates the sample in organiser mode.
func organiserSample(t *testing.T, ctx context.Context) {
	t.Helper()
	js[any](t, ctx, `document.querySelector("#result-json").textContent = ""`)
	step(t, ctx,
		chromedp.Click(chromedp.CSS(`#mode-organiser`)),
		chromedp.Click(chromedp.CSS(`#org-use-sample`)),
		chromedp.Click(chromedp.CSS(`#evaluate`)),
	)
	require.Eventually(t, func() bool {
		return strings.Contains(js[string](t, ctx, `document.querySelector("#result-json").textContent`), `"input_digest"`)
	}, 10*time.Second, 100*time.Millisecond, "no result for the sample")
}

// TestOffline loads the page once, stops the server, and uses the page in
// both modes: reloaded, opened with a ?dataset= query, and opened again in
// the mode it was left in.
func TestOffline(t *testing.T) {
	s := startServer(t, buildWidget(t))
	ctx := newBrowser(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(s.url())))
	waitReady(t, ctx)
	waitOfflineReady(t, ctx)
	require.Eventually(t, func() bool {
		return js[bool](t, ctx, `(() => { const n = document.querySelector("#net-status");
			return n.dataset.online === "true" && n.dataset.cached === "true" && !document.querySelector("#net-cached").hidden; })()`)
	}, 10*time.Second, 100*time.Millisecond, "the page does not say it is saved for offline use")
	screenshot(t, ctx, "online.png")

	t.Run("installable", func(t *testing.T) {
		errs, err := chromedp.Run(ctx, func(ctx context.Context, target *chromedp.Target) ([]*page.InstallabilityError, error) {
			res, err := cdp.Call(ctx, target, page.GetInstallabilityErrors, cdp.Empty{})
			return res.InstallabilityErrors, err
		})
		require.NoError(t, err)
		var ids []string
		for _, e := range errs {
			ids = append(ids, e.ErrorID)
		}
		require.Empty(t, ids, "Chromium's installability errors")
	})

	s.stop()

	t.Run("judge mode, reloaded with the server stopped", func(t *testing.T) {
		require.NoError(t, chromedp.Do(ctx, chromedp.Reload()))
		waitReady(t, ctx)
		require.Eventually(t, func() bool { return netStatus(t, ctx) == "false" }, 10*time.Second, 100*time.Millisecond,
			"the page does not say it is offline")
		judgeSample(t, ctx)
		js[any](t, ctx, `window.scrollTo(0, 0)`)
		screenshot(t, ctx, "offline-judge.png")
		js[any](t, ctx, `document.querySelector(`+quote(scoreSocial)+`).scrollIntoView({block: "start"})`)
		screenshot(t, ctx, "offline-judge-scores.png")
	})

	t.Run("organiser mode", func(t *testing.T) {
		organiserSample(t, ctx)
		js[any](t, ctx, `document.querySelector("#result-summary").scrollIntoView({block: "start"})`)
		screenshot(t, ctx, "offline-organiser.png")
	})

	t.Run("reopened in organiser mode", func(t *testing.T) {
		require.NoError(t, chromedp.Do(ctx, chromedp.Reload()))
		waitReady(t, ctx)
		require.False(t, js[bool](t, ctx, `document.querySelector("#panel-organiser").hidden`), "the organiser panel is shown")
		organiserSample(t, ctx)
	})

	t.Run("a ?dataset= link opens the cached page", func(t *testing.T) {
		require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(s.url()+"?dataset=stage.json")))
		waitReady(t, ctx)
		require.Equal(t, "false", netStatus(t, ctx))
		judgeSample(t, ctx)
	})

	t.Run("in French and English too", func(t *testing.T) {
		for _, lang := range []string{"fr", "en", "ar"} {
			require.NoError(t, chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(`#lang`), lang)))
			js[any](t, ctx, `document.querySelector("#lang").dispatchEvent(new Event("change", {bubbles: true}))`)
			require.Equal(t, "net.offline", js[string](t, ctx, `document.querySelector("#net-state").dataset.i18n`))
			require.NotEmpty(t, js[string](t, ctx, `document.querySelector("#net-state").textContent`))
			js[any](t, ctx, `window.scrollTo(0, 0)`)
			screenshot(t, ctx, fmt.Sprintf("offline-judge-%s.png", lang))
		}
	})
}

// TestLoadingProgress loads the page on a slow network: while the engine
// downloads, #ready shows the bytes received out of the engine's size,
// #main is inert, and the tabs can be used without harm.
func TestLoadingProgress(t *testing.T) {
	s := startServer(t, buildWidget(t))
	ctx := newBrowser(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate("about:blank"),
		emulate(netProfile{name: "slow", latency: 100, down: 400_000, up: 100_000, cpu: 1})))
	// Navigate without waiting for the load event, which waits for the engine.
	require.NoError(t, chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
		_, err := cdp.Call(ctx, target, page.Navigate, page.NavigateParams{URL: s.url()})
		return err
	})))
	var received, total int
	require.Eventually(t, func() bool {
		got := js[[]int](t, ctx, `(() => { const b = document.querySelector("#engine-bytes");
			return b ? [Number(b.dataset.received || 0), Number(b.dataset.total || 0)] : [0, 0]; })()`)
		received, total = got[0], got[1]
		return received > 0 && received < total/2
	}, 60*time.Second, 20*time.Millisecond, "no progress shown while the engine downloads")
	require.True(t, js[bool](t, ctx, `document.querySelector("#main").inert`), "#main is inert while loading")
	require.Equal(t, "false", js[string](t, ctx, `document.querySelector("#ready").dataset.ready`))
	require.Greater(t, js[float64](t, ctx, `document.querySelector("#engine-progress").value`), 0.0)
	require.Regexp(t, `^\d+\s?% · \d+[.,]\d`, js[string](t, ctx, `document.querySelector("#engine-bytes").textContent`))
	screenshot(t, ctx, "loading.png")
	// The language can be changed during the load; the progress follows.
	require.NoError(t, chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(`#lang`), "ar")))
	js[any](t, ctx, `document.querySelector("#lang").dispatchEvent(new Event("change", {bubbles: true}))`)
	time.Sleep(200 * time.Millisecond)
	screenshot(t, ctx, "loading-ar.png")
	t.Logf("progress at the screenshot: %d of %d bytes", received, total)

	// The tabs work during the load, and the page comes up in the chosen mode.
	step(t, ctx, chromedp.Click(chromedp.CSS(`#mode-organiser`)))
	step(t, ctx, chromedp.WaitReady(chromedp.CSS(`#ready[data-ready="true"]`)))
	require.False(t, js[bool](t, ctx, `document.querySelector("#main").inert`))
	require.False(t, js[bool](t, ctx, `document.querySelector("#panel-organiser").hidden`))
	organiserSample(t, ctx)
}

// TestCompressedAndCached checks, through the browser, that the engine
// comes compressed and once, with a year of caching, and that a reload
// costs a revalidation of the page and nothing else.
func TestCompressedAndCached(t *testing.T) {
	s := startServer(t, buildWidget(t))
	ctx := newBrowser(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(s.url())))
	waitReady(t, ctx)
	waitOfflineReady(t, ctx)
	first := s.responses()

	downloads := map[string]int{}
	for _, r := range first {
		if r.Method == http.MethodGet && r.Status == http.StatusOK {
			downloads[r.Path]++
		}
	}
	for path, n := range downloads {
		require.Equal(t, 1, n, "%s is downloaded %d times on the first visit (the worker's precache must reuse the page's downloads): %+v", path, n, first)
	}
	var engine []served
	for _, r := range first {
		if r.Path == "/afkar.wasm" {
			engine = append(engine, r)
		}
	}
	require.Len(t, engine, 1, "the engine is downloaded once (the preload, boot.js and the worker's precache share it): %+v", first)
	require.Contains(t, []string{"br", "gzip"}, engine[0].Encoding)
	require.Equal(t, "Accept-Encoding", engine[0].Vary)
	require.Equal(t, "public, max-age=31536000, immutable", engine[0].CacheControl)
	require.Regexp(t, `^v=[0-9a-f]{16}$`, engine[0].Query)
	plain, err := os.Stat(filepath.Join(s.build, "afkar.wasm"))
	require.NoError(t, err)
	t.Logf("engine: %d bytes sent with %s for %d plain", engine[0].Bytes, engine[0].Encoding, plain.Size())
	require.Less(t, engine[0].Bytes, plain.Size()/3)

	shown := js[string](t, ctx, `document.querySelector("#engine-bytes").dataset.total`)
	require.Equal(t, fmt.Sprint(plain.Size()), shown, "the progress counts to the engine's plain size")

	require.NoError(t, chromedp.Do(ctx, chromedp.Reload()))
	waitReady(t, ctx)
	time.Sleep(time.Second) // the worker's background revalidation of the page
	var again []string
	for _, r := range s.responses() {
		again = append(again, fmt.Sprintf("%s %s %d", r.Method, r.Path, r.Status))
	}
	require.Contains(t, again, "GET / 304", "the page is revalidated: %v", again)
	for _, r := range again {
		require.True(t, slices.Contains([]string{"GET / 304", "GET /sw.js 200", "GET /sw.js 304", "HEAD /boot.js 200"}, r),
			"a reload fetches nothing but the page's revalidation, the worker's update check and the online probe: %v", again)
	}
	require.Equal(t, 0, js[int](t, ctx, `performance.getEntriesByType("resource").filter((e) => e.name.includes("afkar.wasm") && e.transferSize > 0).length`),
		"the engine comes from the cache")
}

// TestUpdate serves a changed build on the same address: the service
// worker of the new version replaces the old one's cache.
func TestUpdate(t *testing.T) {
	s := startServer(t, buildWidget(t))
	ctx := newBrowser(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(s.url())))
	waitReady(t, ctx)
	waitOfflineReady(t, ctx)
	oldVersion := version(t, s)
	require.Equal(t, []string{"afkar-" + oldVersion}, cacheNames(t, ctx))
	oldEngine := scriptHash(t, ctx)

	// A new wasm_exec.js: a new hash, so a new page and a new version.
	s.stop()
	execJS := filepath.Join(s.build, "wasm_exec.js")
	data, err := os.ReadFile(execJS)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(execJS, append(data, "\n// the next version\n"...), 0o644))
	for _, ext := range []string{".br", ".gz"} {
		require.NoError(t, os.Remove(execJS+ext)) // stale: served uncompressed
	}
	s.start()
	newVersion := version(t, s)
	require.NotEqual(t, oldVersion, newVersion)

	// The next visit still gets the cached page, and the browser installs
	// the new worker, which precaches the new version and deletes the old.
	require.NoError(t, chromedp.Do(ctx, chromedp.Reload()))
	waitReady(t, ctx)
	require.Eventually(t, func() bool {
		return slices.Equal([]string{"afkar-" + newVersion}, cacheNames(t, ctx))
	}, 60*time.Second, 200*time.Millisecond, "the new version's cache does not replace the old one")
	s.responses()

	require.NoError(t, chromedp.Do(ctx, chromedp.Reload()))
	waitReady(t, ctx)
	require.NotEqual(t, oldEngine, scriptHash(t, ctx), "the page now loads the new wasm_exec.js")
	for _, r := range s.responses() {
		require.NotEqual(t, "/wasm_exec.js", r.Path, "from the cache, not the network")
	}

	// And offline, the new version opens.
	s.stop()
	require.NoError(t, chromedp.Do(ctx, chromedp.Reload()))
	waitReady(t, ctx)
	require.Contains(t, js[string](t, ctx, `document.querySelector('script[src*="wasm_exec.js"]').getAttribute("src")`), scriptHash(t, ctx))
}

// version asks the server for the version it serves.
func version(t *testing.T, s *server) string {
	t.Helper()
	res, err := http.Get(s.url())
	require.NoError(t, err)
	res.Body.Close()
	s.responses()
	v := res.Header.Get("X-Afkar-Version")
	require.Regexp(t, `^[0-9a-f]{16}$`, v)
	return v
}

// cacheNames lists the page's caches of precached files (not datasets).
func cacheNames(t *testing.T, ctx context.Context) []string {
	return awaitJS[[]string](t, ctx, `caches.keys().then((names) => names.filter((n) => n !== "afkar-datasets").sort())`)
}

// scriptHash is the ?v= of the page's wasm_exec.js.
func scriptHash(t *testing.T, ctx context.Context) string {
	src := js[string](t, ctx, `document.querySelector('script[src*="wasm_exec.js"]').getAttribute("src")`)
	_, hash, ok := strings.Cut(src, "?v=")
	require.True(t, ok, src)
	return hash
}
