// Package e2e drives the browser calculator in a real headless Chromium.
// It is a module of its own so that library users never download
// chromedp. Without Chromium the test skips, saying how to install it;
// with AFKAR_E2E_REQUIRED=1 (as .ci/run sets) it fails instead.
package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/afkarlab/afkar/wasm/bridge"
	"github.com/afkarlab/afkar/wasm/widget"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// chromium returns the browser to drive, or skips the test.
func chromium(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "Chromium not found: install it (apt-get install -y --no-install-recommends chromium) or set CHROMIUM to its path"
	if os.Getenv("AFKAR_E2E_REQUIRED") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// outDir is where the screenshots go: $AFKAR_E2E_OUT, or out/ here.
func outDir(t *testing.T) string {
	dir := os.Getenv("AFKAR_E2E_OUT")
	if dir == "" {
		dir = "out"
	}
	require.NoError(t, os.MkdirAll(dir, 0o755))
	return dir
}

// browser serves the widget with httptest and returns a chromedp context
// on a fresh headless Chromium, and the page's URL.
func browser(t *testing.T) (context.Context, string) { return browserFor(t) }

func browserFor(t testing.TB) (context.Context, string) {
	t.Helper()
	exe := chromium(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	t.Cleanup(cancel)
	build := t.TempDir()
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	require.NoError(t, widget.Build(ctx, root, build))
	srv := httptest.NewServer(widget.Handler(build))
	t.Cleanup(srv.Close)

	opts := []chromedp.ExecAllocatorOption{
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
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(alloc)
	t.Cleanup(cancelBrowser)
	return bctx, srv.URL + "/"
}

// js runs an expression in the page and returns its value.
func js[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	require.NoError(t, err, expr)
	return v
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func waitReady(t *testing.T, ctx context.Context) {
	t.Helper()
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`body`)),
		chromedp.WaitReady(chromedp.CSS(`#ready[data-ready="true"]`))))
}

func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()) // the 1280×900 viewport, as PNG
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(outDir(t), name), png, 0o644))
}

func TestWidget(t *testing.T) {
	ctx, url := browser(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(url)))
	waitReady(t, ctx)
	require.Equal(t, "afkar/1", js[string](t, ctx, `afkar.version()`))

	t.Run("judge sheet updates as you type and survives a reload", func(t *testing.T) {
		require.NoError(t, chromedp.Do(ctx,
			chromedp.Click(chromedp.CSS(`#mode-judge`)),
			chromedp.Click(chromedp.CSS(`#use-sample`)),
			chromedp.WaitVisible(chromedp.CSS(`#judge-id`)),
			chromedp.SendKeys(chromedp.CSS(`#judge-id`), "J-TEST-1"),
			chromedp.Click(chromedp.CSS(`#judge-open`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="score:social"]`)),
			chromedp.SendKeys(chromedp.CSS(`[data-testid="score:social"]`), "15.5"),
			chromedp.SendKeys(chromedp.CSS(`[data-testid="score:youth"]`), "12"),
		))
		// What the native engine says of the same sheet.
		var ds struct{ Rubric json.RawMessage }
		require.NoError(t, json.Unmarshal(bridge.Sample(), &ds))
		var want bridge.SheetScore
		require.NoError(t, json.Unmarshal(bridge.Score([]byte(`{"rubric": `+string(ds.Rubric)+`, "scores": {"social": "15.5", "youth": "12"}}`)), &want))
		require.NotNil(t, want.Total)
		total := func() string { return js[string](t, ctx, `document.querySelector("#total").textContent.trim()`) }
		require.Eventually(t, func() bool { return strings.Contains(total(), *want.Total) }, 10*time.Second, 100*time.Millisecond,
			"total %q, want %q", total(), *want.Total)
		require.Equal(t, *want.Criteria[0].Contribution, js[string](t, ctx, `document.querySelector('[data-testid="contrib:social"]').textContent.trim()`))

		require.NoError(t, chromedp.Do(ctx, chromedp.Reload()))
		waitReady(t, ctx)
		require.Eventually(t, func() bool {
			return js[string](t, ctx, `(document.querySelector('[data-testid="score:social"]')||{}).value||""`) == "15.5"
		}, 10*time.Second, 100*time.Millisecond, "the typed score is lost after a reload")
		require.Eventually(t, func() bool { return strings.Contains(total(), *want.Total) }, 10*time.Second, 100*time.Millisecond)
	})

	t.Run("every conformance dataset gives the native result byte for byte", func(t *testing.T) {
		dirs, err := filepath.Glob("../../testdata/conformance/*/dataset.json")
		require.NoError(t, err)
		require.NotEmpty(t, dirs)
		require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#mode-organiser`)),
			chromedp.WaitVisible(chromedp.CSS(`#dataset-text`))))
		for _, path := range dirs {
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			want := string(bridge.Evaluate(data))
			// Through the page: paste the dataset, press evaluate.
			js[any](t, ctx, `(() => { const el = document.querySelector("#dataset-text"); el.value = `+quote(string(data))+`;
				el.dispatchEvent(new Event("input", {bubbles: true}));
				document.querySelector("#result-json").textContent = "";
				document.querySelector("#problems").textContent = ""; })()`)
			require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#evaluate`))))
			var got, shown string
			require.Eventually(t, func() bool {
				got = js[string](t, ctx, `document.querySelector("#result-json").textContent`)
				shown = js[string](t, ctx, `document.querySelector("#problems").textContent`)
				return got != "" || shown != ""
			}, 20*time.Second, 50*time.Millisecond, path)
			if strings.HasPrefix(want, `{"error"`) {
				// An invalid dataset: the page lists the engine's problems.
				var ans struct {
					Error struct {
						Problems []struct{ Path, Message string }
					}
				}
				require.NoError(t, json.Unmarshal([]byte(want), &ans))
				for _, p := range ans.Error.Problems {
					if p.Path == "$" {
						continue // the whole input: no place to name
					}
					require.Contains(t, shown, p.Path, "%s: problem not shown", path)
				}
				continue
			}
			require.Equal(t, want, got, "%s: the browser's result differs from the native one", path)
		}
	})

	t.Run("titles are text, never HTML", func(t *testing.T) {
		ds := `{"rubric": {"criteria": [{"id": "c", "weight": "1"}]}, "projects": [{"id": "P1", "title": "<img src=x onerror=\"window.__xss=1\">"}],
			"scores": [{"judge": "J1", "project": "P1", "criterion": "c", "score": "10"}]}`
		js[any](t, ctx, `(() => { const el = document.querySelector("#dataset-text"); el.value = `+quote(ds)+`;
			el.dispatchEvent(new Event("input", {bubbles: true})); })()`)
		require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#evaluate`)), chromedp.Sleep(500*time.Millisecond)))
		require.True(t, js[bool](t, ctx, `document.body.textContent.includes("<img src=x")`), "the title is shown as text")
		require.False(t, js[bool](t, ctx, `window.__xss === 1`), "the title ran as HTML")
		require.Equal(t, 0, js[int](t, ctx, `document.querySelectorAll("img[src=x]").length`))
	})

	t.Run("three languages, right to left in Arabic, screenshots", func(t *testing.T) {
		for _, lang := range []string{"en", "fr", "ar"} {
			require.NoError(t, chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(`#lang`), lang)))
			js[any](t, ctx, `document.querySelector("#lang").dispatchEvent(new Event("change", {bubbles: true}))`)
			wantDir := "ltr"
			if lang == "ar" {
				wantDir = "rtl"
			}
			require.Eventually(t, func() bool {
				return js[string](t, ctx, `document.documentElement.dir || "ltr"`) == wantDir &&
					js[string](t, ctx, `document.documentElement.lang`) == lang
			}, 5*time.Second, 50*time.Millisecond, lang)
			require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#mode-organiser`)), chromedp.Click(chromedp.CSS(`#org-use-sample`)),
				chromedp.Click(chromedp.CSS(`#evaluate`))))
			require.Eventually(t, func() bool {
				return js[string](t, ctx, `document.querySelector("#result-json").textContent`) != ""
			}, 10*time.Second, 50*time.Millisecond)
			js[any](t, ctx, `document.querySelector("#result-summary").scrollIntoView({block: "start"})`)
			screenshot(t, ctx, fmt.Sprintf("organiser-%s.png", lang))
			require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#mode-judge`)), chromedp.Sleep(300*time.Millisecond)))
			js[any](t, ctx, `window.scrollTo(0, 0)`)
			screenshot(t, ctx, fmt.Sprintf("judge-%s.png", lang))
		}
	})
}
