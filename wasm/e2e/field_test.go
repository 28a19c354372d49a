package e2e

import (
	"bytes"
	"compress/flate"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/internal/sample"
	"github.com/afkarlab/afkar/tour"
	"github.com/afkarlab/afkar/wasm/bridge"
	"github.com/chromedp/chromedp"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// These tests play the regional meeting: jurors sharing a phone, sheets
// carried to the organiser's laptop, a phone's screen in three languages.

// acceptDialogs makes the page's confirm() answer OK and count its
// questions in window.__confirms (until the next load).
func acceptDialogs(t *testing.T, ctx context.Context) {
	t.Helper()
	js[any](t, ctx, `window.__confirms = 0; window.confirm = () => (window.__confirms++, true); 0`)
}

// scoreField is the input of a criterion on the judge's sheet.
func scoreField(criterion string) string { return fmt.Sprintf(`[data-testid="score:%s"]`, criterion) }

// openJudge types a judge id and opens that judge's sheet.
func openJudge(t *testing.T, ctx context.Context, id string) {
	t.Helper()
	js[any](t, ctx, `(() => { const el = document.querySelector("#judge-id"); el.value = `+quote(id)+`;
		el.dispatchEvent(new Event("input", {bubbles: true})); })()`)
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#judge-open`))))
	require.Eventually(t, func() bool {
		return strings.Contains(js[string](t, ctx, `document.querySelector("#judge-current").textContent`), id)
	}, 5*time.Second, 50*time.Millisecond, "the sheet of %s did not open", id)
}

// typeScore replaces a criterion's entry as a juror typing would.
func typeScore(t *testing.T, ctx context.Context, criterion, value string) {
	t.Helper()
	js[any](t, ctx, `(() => { const el = document.querySelector(`+quote(scoreField(criterion))+`); el.value = `+quote(value)+`;
		el.dispatchEvent(new Event("input", {bubbles: true})); })()`)
}

func fieldValue(t *testing.T, ctx context.Context, criterion string) string {
	return js[string](t, ctx, `(document.querySelector(`+quote(scoreField(criterion))+`)||{}).value ?? ""`)
}

func setLang(t *testing.T, ctx context.Context, lang string) {
	t.Helper()
	js[any](t, ctx, `(() => { const el = document.querySelector("#lang"); el.value = `+quote(lang)+`;
		el.dispatchEvent(new Event("change", {bubbles: true})); })()`)
}

func TestJurorsSharingAPhone(t *testing.T) {
	ctx, url := browser(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(url)))
	waitReady(t, ctx)
	acceptDialogs(t, ctx)
	dialogs := func() int { return js[int](t, ctx, `window.__confirms`) }
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#mode-judge`)), chromedp.Click(chromedp.CSS(`#use-sample`)),
		chromedp.WaitVisible(chromedp.CSS(`#judge-id`))))
	require.False(t, js[bool](t, ctx, `!document.querySelector("#sheet-work").hidden`), "no scoring before a judge opens a sheet")

	openJudge(t, ctx, "J-A")
	typeScore(t, ctx, "social", "15")
	require.Equal(t, 0, dialogs())

	// J-B takes the phone: asked first, then an empty sheet of J-B's own.
	openJudge(t, ctx, "J-B")
	require.Equal(t, 1, dialogs(), "switching away from a sheet with scores asks first")
	require.Equal(t, "", fieldValue(t, ctx, "social"), "J-A's score must not appear on J-B's sheet")
	typeScore(t, ctx, "social", "9")

	// Back to J-A: J-A's score, never re-attributed.
	openJudge(t, ctx, "J-A")
	require.Equal(t, "15", fieldValue(t, ctx, "social"))
	keys := js[[]string](t, ctx, `Object.keys(localStorage).filter(k => k.startsWith("afkar.sheet.")).sort()`)
	require.Len(t, keys, 2, "one stored sheet per judge")
	require.True(t, strings.HasSuffix(keys[0], ".J-A") && strings.HasSuffix(keys[1], ".J-B"), "%v", keys)

	// A second tab on the same judge: an edit there reaches this tab
	// through the storage event, and neither tab undoes the other.
	tab2, cancel := chromedp.NewContext(ctx)
	defer cancel()
	require.NoError(t, chromedp.Do(tab2, chromedp.Navigate(url)))
	waitReady(t, tab2)
	require.Eventually(t, func() bool { return fieldValue(t, tab2, "social") == "15" }, 10*time.Second, 100*time.Millisecond, "the second tab opens J-A's sheet")
	typeScore(t, tab2, "youth", "12")
	require.Eventually(t, func() bool { return fieldValue(t, ctx, "youth") == "12" }, 5*time.Second, 50*time.Millisecond, "the first tab sees the second's edit")
	require.Equal(t, "15", fieldValue(t, ctx, "social"))
	cancel()

	// Sign-off, then an edit: the sheet says a later version is due.
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#sign-off`))))
	require.Eventually(t, func() bool {
		return js[string](t, ctx, `document.querySelector("#sheet-status").dataset.signed`) == "true"
	}, 5*time.Second, 50*time.Millisecond)
	require.Equal(t, "1", js[string](t, ctx, `document.querySelector("#sheet-status").dataset.seq`))
	typeScore(t, ctx, "social", "16")
	require.Equal(t, "false", js[string](t, ctx, `document.querySelector("#sheet-status").dataset.signed`))
	require.Contains(t, js[string](t, ctx, `document.querySelector("#sheet-status").textContent`), "2")
	screenshot(t, ctx, "handover.png")
}

// stageSheet is a judge's sheet for the built-in sample's stage.
func stageSheet(t *testing.T, judge string, seq int, stage string, scores map[string]string) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, `{"judge": %q, "dataset": %q, "seq": %d, "time": "2026-12-06T18:0%d:00Z", "signed_off": false, "scores": [`, judge, stage, seq, seq)
	first := true
	for _, c := range []string{"social", "economic", "innovation", "territorial", "youth"} {
		if v, ok := scores[c]; ok {
			if !first {
				b.WriteString(",")
			}
			first = false
			fmt.Fprintf(&b, `{"judge": %q, "project": "DAK-01", "criterion": %q, "score": %q}`, judge, c, v)
		}
	}
	b.WriteString("]}")
	return b.String()
}

func TestOrganiserMergesSheets(t *testing.T) {
	ctx, url := browser(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(url)))
	waitReady(t, ctx)
	ds, err := afkar.Decode(bridge.Sample())
	require.NoError(t, err)
	stage := ds.StageDigest()
	judge := ds.Judges[0].ID
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
		return p
	}
	v1 := write("v1.json", stageSheet(t, judge, 1, stage, map[string]string{"social": "10"}))
	v2 := write("v2.json", stageSheet(t, judge, 2, stage, map[string]string{"social": "19.5", "youth": "18"}))
	other := write("other.json", stageSheet(t, judge, 3, "sha256:"+strings.Repeat("0", 64), map[string]string{"social": "1"}))
	csvSheet := write("j2.csv", "project,judge,criterion,score,dataset,seq,time,signed_off\n"+
		"DAK-01,"+ds.Judges[1].ID+",social,17,"+stage+",1,2026-12-06T18:30:00Z,true\n")

	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#mode-organiser`)), chromedp.WaitVisible(chromedp.CSS(`#dataset-text`))))
	status := func() string { return js[string](t, ctx, `document.querySelector("#org-status").textContent`) }
	problems := func() string { return js[string](t, ctx, `document.querySelector("#problems").textContent`) }
	result := func() string { return js[string](t, ctx, `document.querySelector("#result-json").textContent`) }

	// Sheets with no dataset: refused, not ranked with stand-in rules.
	require.NoError(t, chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(`#sheets-file`), []string{v1})))
	require.Eventually(t, func() bool { return strings.Contains(status(), "before merging sheets") }, 5*time.Second, 50*time.Millisecond, status())
	require.Equal(t, "", result())

	// The stage's dataset, and a sheet made for another dataset: refused by name.
	js[any](t, ctx, `(() => { const el = document.querySelector("#dataset-text"); el.value = `+quote(string(bridge.Sample()))+`;
		el.dispatchEvent(new Event("input", {bubbles: true})); })()`)
	require.NoError(t, chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(`#sheets-file`), []string{other})))
	require.Eventually(t, func() bool { return strings.Contains(problems(), "other.json") }, 5*time.Second, 50*time.Millisecond, problems())
	require.Contains(t, problems(), "another dataset")
	require.Equal(t, "", result())

	// Remove it; add the later version and a CSV sheet: the later version
	// wins, the CSV counts, and the page says so.
	js[any](t, ctx, `[...document.querySelectorAll("#sheets-list li")].find(li => li.textContent.includes("other.json")).querySelector("button").click()`)
	require.NoError(t, chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(`#sheets-file`), []string{v2, csvSheet})))
	statuses := func() []string {
		return js[[]string](t, ctx, `[...document.querySelectorAll("#sheets-list li")].map(li => li.dataset.status || "")`)
	}
	require.Eventually(t, func() bool { return len(statuses()) == 3 && result() != "" }, 10*time.Second, 50*time.Millisecond, problems())
	require.Equal(t, []string{"superseded", "merged", "merged"}, statuses())
	require.Contains(t, js[string](t, ctx, `document.querySelector("#sheets-list").textContent`), "v2.json")

	// The browser's result is the native engine's, byte for byte.
	files := []bridge.SheetFile{}
	for _, p := range []string{v1, v2, csvSheet} {
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		files = append(files, bridge.SheetFile{Name: filepath.Base(p), Text: string(data)})
	}
	req, err := json.Marshal(bridge.MergeSheetsRequest{Dataset: bridge.Sample(), Sheets: files})
	require.NoError(t, err)
	var merged bridge.MergeSheetsAnswer
	require.NoError(t, json.Unmarshal(bridge.MergeSheets(req), &merged))
	require.Equal(t, string(bridge.Evaluate(merged.Dataset)), result())
	screenshot(t, ctx, "organiser-sheets.png")
}

func TestRulesAndTiesExplained(t *testing.T) {
	ctx, url := browser(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(url)))
	waitReady(t, ctx)
	setLang(t, ctx, "en")
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#mode-organiser`)), chromedp.Click(chromedp.CSS(`#org-use-sample`))))
	require.Eventually(t, func() bool { return js[string](t, ctx, `document.querySelector("#result-json").textContent`) != "" }, 10*time.Second, 50*time.Millisecond)
	rules := js[string](t, ctx, `document.querySelector('[data-testid="rules"]').textContent`)
	for _, want := range []string{"Selected: the top 3 of each region", "Equal totals (as published, rounded) are separated by:", "head to head", "submitted earlier", "smaller id"} {
		require.Contains(t, rules, want)
	}
	// MAR-08 and MAR-01 tie on total; social decides. Both rows say so.
	row := func(id string) string {
		return js[string](t, ctx, `document.querySelector('#res-overall tr[data-id="`+id+`"] td.why').textContent`)
	}
	require.Contains(t, row("MAR-08"), "ahead of MAR-01: tie on total, higher Social")
	require.Contains(t, row("MAR-01"), "behind MAR-08: tie on total, higher Social")
}

// phone emulates a 390×844 phone screen with touch.
func phone(t *testing.T, ctx context.Context) {
	t.Helper()
	require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(390, 844,
		chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(3))))
}

func TestPhoneLayout(t *testing.T) {
	ctx, url := browser(t)
	phone(t, ctx)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(url)))
	waitReady(t, ctx)
	acceptDialogs(t, ctx)
	// What must be on screen on every card: rank, total, selection, reason.
	const offscreen = `[...document.querySelectorAll("#res-overall table.ranking tr[data-id]")].slice(0, 30).flatMap(tr =>
		[...tr.querySelectorAll("td.rank, td.total, td.sel, td.why")].filter(td => {
			const r = td.getBoundingClientRect(); return r.width > 0 && (r.left < -1 || r.right > window.innerWidth + 1);
		}).map(td => tr.dataset.id + " " + td.className))`
	const overflow = `document.documentElement.scrollWidth - document.documentElement.clientWidth`
	// Finger-sized targets: every visible button, link of a list of links,
	// select and text field is at least 44 CSS px high.
	const small = `[...document.querySelectorAll("button, select, input[type=text], .result-nav a, .problems a")].filter(el => {
		const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && r.height < 44;
	}).map(el => el.id || el.textContent.trim().slice(0, 30))`
	for _, lang := range []string{"ar", "fr", "en"} {
		setLang(t, ctx, lang)
		require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#mode-organiser`)), chromedp.Click(chromedp.CSS(`#org-use-sample`))))
		require.Eventually(t, func() bool { return js[string](t, ctx, `document.querySelector("#result-json").textContent`) != "" }, 10*time.Second, 50*time.Millisecond)
		require.Equal(t, 0, js[int](t, ctx, overflow), "%s: the organiser page scrolls sideways", lang)
		require.Empty(t, js[[]string](t, ctx, offscreen), "%s: rank, total, selected or why off-screen", lang)
		require.Empty(t, js[[]string](t, ctx, small), "%s: touch targets under 44 px", lang)
		js[any](t, ctx, `document.querySelector("#res-overall").scrollIntoView({block: "start"})`)
		screenshot(t, ctx, fmt.Sprintf("phone-organiser-%s.png", lang))

		require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#mode-judge`)), chromedp.Click(chromedp.CSS(`#use-sample`))))
		openJudge(t, ctx, "J-PHONE")
		typeScore(t, ctx, "economic", "14.3")
		fieldError := func() string {
			return js[string](t, ctx, `[...document.querySelectorAll("#criteria .error")].map(e => e.textContent).join("")`)
		}
		require.Eventually(t, func() bool { return fieldError() != "" }, 5*time.Second, 50*time.Millisecond)
		// In the juror's language, the criterion by its label, the
		// locale's decimal mark; never the engine's English.
		want := map[string][]string{
			"ar": {"الأثر الاقتصادي", "14,3", "14,5"},
			"fr": {"Impact économique", "14,3", "14,5"},
			"en": {"Economic impact", "14.3", "14.5"},
		}[lang]
		for _, w := range want {
			require.Contains(t, fieldError(), w, lang)
		}
		require.NotContains(t, fieldError(), "whole multiple", lang)
		require.Equal(t, 0, js[int](t, ctx, overflow), "%s: the judge page scrolls sideways", lang)
		require.Empty(t, js[[]string](t, ctx, small), "%s: touch targets under 44 px", lang)
		js[any](t, ctx, `document.querySelector('`+scoreField("economic")+`').scrollIntoView({block: "center"})`)
		screenshot(t, ctx, fmt.Sprintf("phone-judge-%s.png", lang))
	}
}

func TestPrototypeKeysAndCollidingIDs(t *testing.T) {
	ctx, url := browser(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(url)))
	waitReady(t, ctx)
	dataset := `{"rubric": {"criteria": [{"id": "social", "weight": "0.5"}, {"id": "max-social", "weight": "0.25", "max": "10"},
		{"id": "constructor", "weight": "0.25"}]}, "projects": [{"id": "constructor"}, {"id": "toString"}], "scores": []}`
	dir := t.TempDir()
	p := filepath.Join(dir, "stage.json")
	require.NoError(t, os.WriteFile(p, []byte(dataset), 0o644))
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#mode-judge`)),
		chromedp.SetUploadFiles(chromedp.CSS(`#rubric-file`), []string{p}), chromedp.WaitVisible(chromedp.CSS(`#judge-id`))))
	openJudge(t, ctx, "J1")
	for _, project := range []string{"constructor", "toString"} {
		js[any](t, ctx, `(() => { const el = document.querySelector("#project"); el.value = `+quote(project)+`;
			el.dispatchEvent(new Event("change", {bubbles: true})); })()`)
		typeScore(t, ctx, "constructor", "12")
		typeScore(t, ctx, "social", "20")
	}
	require.NoError(t, chromedp.Do(ctx, chromedp.Reload()))
	waitReady(t, ctx)
	js[any](t, ctx, `(() => { const el = document.querySelector("#project"); el.value = "constructor";
		el.dispatchEvent(new Event("change", {bubbles: true})); })()`)
	require.Equal(t, "12", fieldValue(t, ctx, "constructor"), "a project and a criterion called constructor keep their scores")
	// social's maximum contribution is 50.00, max-social's 25.00: no DOM id is shared.
	require.Equal(t, "50.00", js[string](t, ctx, `document.querySelector('[data-testid="contrib-max:social"]').textContent`))
	require.Equal(t, "25.00", js[string](t, ctx, `document.querySelector('[data-testid="contrib-max:max-social"]').textContent`))
}

func TestAccessibility(t *testing.T) {
	axe, err := os.ReadFile(filepath.Join("node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		msg := "axe-core not installed: run npm ci in wasm/e2e"
		if os.Getenv("AFKAR_E2E_REQUIRED") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	ctx, url := browser(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(url)))
	waitReady(t, ctx)
	// DevTools' evaluation is not subject to the page's CSP.
	js[any](t, ctx, string(axe)+";0")
	check := func(where string) {
		type violation struct {
			ID, Impact, Help string
			Nodes            []struct{ Target []any }
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[[]violation](`axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations)`,
			chromedp.EvalAwaitPromise))
		require.NoError(t, err)
		var serious []string
		for _, v := range got {
			if v.Impact == "serious" || v.Impact == "critical" {
				serious = append(serious, fmt.Sprintf("%s (%s): %s %v", v.ID, v.Impact, v.Help, v.Nodes))
			}
		}
		require.Empty(t, serious, where)
	}
	for _, lang := range []string{"ar", "fr", "en"} {
		setLang(t, ctx, lang)
		require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#mode-judge`)), chromedp.Click(chromedp.CSS(`#use-sample`))))
		openJudge(t, ctx, "J-AXE")
		typeScore(t, ctx, "social", "25")
		check(lang + " judge")
		require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#mode-organiser`)), chromedp.Click(chromedp.CSS(`#org-use-sample`))))
		require.Eventually(t, func() bool { return js[string](t, ctx, `document.querySelector("#result-json").textContent`) != "" }, 10*time.Second, 50*time.Millisecond)
		check(lang + " organiser")
	}
}

// TestSheetByQRCodes: a juror shows the sheet as QR codes; each code, as
// the page drew it, is read by a decoder that shares nothing with the
// page's (gozxing), and the organiser's page reads the same pictures as
// photos, merges the sheet, and ranks as the native engine does.
func TestSheetByQRCodes(t *testing.T) {
	ctx, url := browser(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(url)))
	waitReady(t, ctx)
	setLang(t, ctx, "fr")
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#mode-judge`)), chromedp.Click(chromedp.CSS(`#use-sample`)),
		chromedp.WaitVisible(chromedp.CSS(`#judge-id`))))
	ds, err := afkar.Decode(bridge.Sample())
	require.NoError(t, err)
	judge := ds.Judges[0].ID
	openJudge(t, ctx, judge)
	projects := js[[]string](t, ctx, `[...document.querySelectorAll("#project option")].map(o => o.value).slice(0, 12)`)
	for i, p := range projects {
		js[any](t, ctx, `(() => { const el = document.querySelector("#project"); el.value = `+quote(p)+`;
			el.dispatchEvent(new Event("change", {bubbles: true})); })()`)
		for k, c := range []string{"social", "economic", "innovation", "territorial", "youth"} {
			typeScore(t, ctx, c, fmt.Sprintf("%d,5", 8+(i+k)%12)) // a French juror's decimal comma
		}
	}
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#export-qr`))))
	require.Eventually(t, func() bool { return js[int](t, ctx, `document.querySelectorAll("#qr-box canvas").length`) > 0 }, 10*time.Second, 50*time.Millisecond)
	n := js[int](t, ctx, `Math.max(1, document.querySelectorAll("#qr-box .qr-sequence-next").length ? +document.querySelector("#qr-box .qr-sequence-count").textContent.match(/(\d+)\D*$/)[1] : 1)`)
	require.Greater(t, n, 1, "a sheet of 60 scores takes several codes")
	js[any](t, ctx, `document.querySelector("#qr-box .qr-sequence-toggle")?.click(); 0`) // pause the cycle
	dir := t.TempDir()
	var files []string
	seen := map[string]bool{}
	for len(seen) < n {
		data := js[string](t, ctx, `document.querySelector("#qr-box canvas").toDataURL("image/png")`)
		pngData, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(data, "data:image/png;base64,"))
		require.NoError(t, err)
		frame := readRenderedQR(t, pngData)
		require.True(t, strings.HasPrefix(frame, "AFK1:"), frame)
		if !seen[frame] {
			seen[frame] = true
			p := filepath.Join(dir, fmt.Sprintf("code-%d.png", len(seen)))
			require.NoError(t, os.WriteFile(p, pngData, 0o644))
			files = append(files, p)
		}
		js[any](t, ctx, `document.querySelector("#qr-box .qr-sequence-next").click(); 0`)
		require.LessOrEqual(t, len(files), n)
	}
	screenshot(t, ctx, "judge-sheet-qr.png")

	// The organiser's laptop: the stage's dataset, then the codes as photos.
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#mode-organiser`)), chromedp.Click(chromedp.CSS(`#org-use-sample`)),
		chromedp.Click(chromedp.CSS(`#scan-sheets`)), chromedp.WaitReady(chromedp.CSS(`#org-scan-box-photo`))))
	require.NoError(t, chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(`#org-scan-box-photo`), files)))
	require.Eventually(t, func() bool {
		return strings.Contains(js[string](t, ctx, `document.querySelector("#sheets-list").textContent`), "qr-"+judge+"-v1.json")
	}, 20*time.Second, 100*time.Millisecond, js[string](t, ctx, `document.querySelector("#org-scan-box").textContent`))
	require.Eventually(t, func() bool {
		return js[string](t, ctx, `document.querySelector("#sheets-list li").dataset.status || ""`) == "merged"
	}, 10*time.Second, 50*time.Millisecond, js[string](t, ctx, `document.querySelector("#problems").textContent`))
	// The sheet, reassembled here from the codes gozxing read, merged and
	// ranked natively: the page's result is the same, byte for byte.
	name := "qr-" + judge + "-v1.json"
	req, err := json.Marshal(bridge.MergeSheetsRequest{Dataset: bridge.Sample(), Sheets: []bridge.SheetFile{{Name: name, Text: joinFrames(t, seen)}}})
	require.NoError(t, err)
	var merged bridge.MergeSheetsAnswer
	require.NoError(t, json.Unmarshal(bridge.MergeSheets(req), &merged), "%s", bridge.MergeSheets(req))
	require.Equal(t, string(bridge.Evaluate(merged.Dataset)), js[string](t, ctx, `document.querySelector("#result-json").textContent`))
	require.Len(t, merged.Sheets, 1)
	require.Equal(t, len(projects)*5, merged.Sheets[0].Scores)
}

// joinFrames reassembles a set of AFK1 frames (AFK1:set:i/n:method:payload)
// as the format says, without the page's code: payloads in order, base64url
// without padding, then raw DEFLATE when the method is "z".
func joinFrames(t *testing.T, frames map[string]bool) string {
	t.Helper()
	parts := map[int]string{}
	method, total := "", 0
	for f := range frames {
		fields := strings.SplitN(f, ":", 5)
		require.Len(t, fields, 5, f)
		var i, n int
		_, err := fmt.Sscanf(fields[2], "%d/%d", &i, &n)
		require.NoError(t, err)
		parts[i], method, total = fields[4], fields[3], n
	}
	require.Len(t, parts, total)
	var b strings.Builder
	for i := 1; i <= total; i++ {
		b.WriteString(parts[i])
	}
	raw, err := base64.RawURLEncoding.DecodeString(b.String())
	require.NoError(t, err)
	if method == "z" {
		raw, err = io.ReadAll(flate.NewReader(bytes.NewReader(raw)))
		require.NoError(t, err)
	}
	return string(raw)
}

// collectCodes steps through the QR sequence in box and returns each
// distinct code as a PNG file in dir, checked by gozxing.
func collectCodes(t *testing.T, ctx context.Context, box, dir string) []string {
	t.Helper()
	require.Eventually(t, func() bool { return js[int](t, ctx, `document.querySelectorAll("`+box+` canvas").length`) > 0 }, 10*time.Second, 50*time.Millisecond)
	n := 1
	if js[bool](t, ctx, `!!document.querySelector("`+box+` .qr-sequence-count")`) {
		n = js[int](t, ctx, `+document.querySelector("`+box+` .qr-sequence-count").textContent.match(/(\d+)\D*$/)[1]`)
		js[any](t, ctx, `document.querySelector("`+box+` .qr-sequence-toggle").click(); 0`)
	}
	var files []string
	seen := map[string]bool{}
	for len(seen) < n {
		data := js[string](t, ctx, `document.querySelector("`+box+` canvas").toDataURL("image/png")`)
		pngData, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(data, "data:image/png;base64,"))
		require.NoError(t, err)
		if frame := readRenderedQR(t, pngData); !seen[frame] {
			seen[frame] = true
			p := filepath.Join(dir, fmt.Sprintf("%s-%d.png", strings.Trim(box, "#"), len(seen)))
			require.NoError(t, os.WriteFile(p, pngData, 0o644))
			files = append(files, p)
		}
		if n > 1 {
			js[any](t, ctx, `document.querySelector("`+box+` .qr-sequence-next").click(); 0`)
		}
	}
	return files
}

// TestStageByQRCodes: with no network, the organiser's screen shows the
// stage as QR codes and a juror's phone reads them (as photos here) into
// the same stage: the same stage digest, the same projects.
func TestStageByQRCodes(t *testing.T) {
	ctx, url := browser(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(url)))
	waitReady(t, ctx)
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#mode-organiser`)), chromedp.Click(chromedp.CSS(`#org-use-sample`)),
		chromedp.Click(chromedp.CSS(`#share-stage`))))
	files := collectCodes(t, ctx, "#share-box", t.TempDir())
	require.Greater(t, len(files), 1)
	screenshot(t, ctx, "organiser-stage-qr.png")

	phoneCtx, cancel := chromedp.NewContext(ctx)
	defer cancel()
	phone(t, phoneCtx)
	require.NoError(t, chromedp.Do(phoneCtx, chromedp.Navigate(url)))
	waitReady(t, phoneCtx)
	require.NoError(t, chromedp.Do(phoneCtx, chromedp.Click(chromedp.CSS(`#mode-judge`)), chromedp.Click(chromedp.CSS(`#judge-scan`)),
		chromedp.WaitReady(chromedp.CSS(`#judge-scan-box-photo`)), chromedp.SetUploadFiles(chromedp.CSS(`#judge-scan-box-photo`), files)))
	ds, err := afkar.Decode(bridge.Sample())
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		return strings.Contains(js[string](t, phoneCtx, `document.querySelector("#judge-stage").textContent`), ds.StageDigest()[:19])
	}, 20*time.Second, 100*time.Millisecond, js[string](t, phoneCtx, `document.querySelector("#judge-scan-box").textContent + document.querySelector("#judge-problems").textContent`))
	openJudge(t, phoneCtx, "J-PHONE")
	require.Equal(t, len(ds.Projects), js[int](t, phoneCtx, `document.querySelectorAll("#project option").length`))
}

// readRenderedQR reads a code as the page drew it (square, upright, with
// its quiet zone) with gozxing, told that it is such a pure code.
func readRenderedQR(t *testing.T, pngData []byte) string {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(pngData))
	require.NoError(t, err)
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	require.NoError(t, err)
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true})
	require.NoError(t, err)
	return res.GetText()
}

// TestSwingInOrganiserView: the one-juror swing, asked for in the
// organiser's view, is the native engine's (the hand-solved case of
// package analysis/swing).
func TestSwingInOrganiserView(t *testing.T) {
	ctx, url := browser(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(url)))
	waitReady(t, ctx)
	setLang(t, ctx, "fr")
	ds := `{"rubric": {"criteria": [{"id": "c", "label": {"fr": "Critère"}, "weight": "1", "step": "1"}]}, "ranking": {"top": 1},
		"projects": [{"id": "P1"}, {"id": "P2"}], "scores": [
		{"judge": "J1", "project": "P1", "criterion": "c", "score": "12"},
		{"judge": "J2", "project": "P1", "criterion": "c", "score": "14"},
		{"judge": "J1", "project": "P2", "criterion": "c", "score": "12"},
		{"judge": "J2", "project": "P2", "criterion": "c", "score": "12"}]}`
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#mode-organiser`))))
	js[any](t, ctx, `(() => { const el = document.querySelector("#dataset-text"); el.value = `+quote(ds)+`;
		el.dispatchEvent(new Event("input", {bubbles: true})); })()`)
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#evaluate`)), chromedp.WaitVisible(chromedp.CSS(`#swing-run`)),
		chromedp.Click(chromedp.CSS(`#swing-run`))))
	row := func(judge string) string {
		return js[string](t, ctx, `(document.querySelector('#swing-box tr[data-judge="`+judge+`"]') || {}).textContent || ""`)
	}
	require.Eventually(t, func() bool { return row("J1") != "" }, 20*time.Second, 100*time.Millisecond)
	var native bridge.SwingAnswer
	require.NoError(t, json.Unmarshal(bridge.Swing([]byte(ds)), &native))
	require.Equal(t, "3", *native.Boundaries[0].Swings[0].Size)
	require.Equal(t, "J13P1, Critère : 12 → 9", row("J1"))
	require.Contains(t, js[string](t, ctx, `document.querySelector("#swing-box caption").textContent`), "P1 (dernier retenu) face à P2 (premier non retenu)")
}

// TestVerifyTourOffline: a sealed tour of the sample's 12 stages verifies
// in the organiser's page; one score altered in one stage's file makes
// it fail, naming that stage's digest.
func TestVerifyTourOffline(t *testing.T) {
	stages := sample.Stages()
	draft := &tour.Tour{Rule: tour.Rule{Top: 2, Wildcards: 2}}
	fsys := fstest.MapFS{}
	dir := t.TempDir()
	var files []string
	for _, st := range stages {
		path := "stages/" + st.Region + ".json"
		draft.Stages = append(draft.Stages, tour.Stage{ID: st.Region, Dataset: path})
		fsys[path] = &fstest.MapFile{Data: st.JSON}
		p := filepath.Join(dir, st.Region+".json")
		require.NoError(t, os.WriteFile(p, st.JSON, 0o644))
		files = append(files, p)
	}
	built, err := tour.Build(context.Background(), draft, fsys)
	require.NoError(t, err)
	sealed, err := built.Tour.MarshalJSON()
	require.NoError(t, err)
	tourPath := filepath.Join(t.TempDir(), "tour.json")
	require.NoError(t, os.WriteFile(tourPath, sealed, 0o644))

	ctx, url := browser(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(url)))
	waitReady(t, ctx)
	setLang(t, ctx, "en")
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#mode-organiser`)), chromedp.Click(chromedp.CSS(`#tour-box summary`)),
		chromedp.SetUploadFiles(chromedp.CSS(`#tour-file`), []string{tourPath}),
		chromedp.SetUploadFiles(chromedp.CSS(`#tour-datasets`), files),
		chromedp.Click(chromedp.CSS(`#tour-verify`))))
	result := func() string { return js[string](t, ctx, `document.querySelector("#tour-result").textContent`) }
	require.Eventually(t, func() bool { return result() != "" }, 30*time.Second, 100*time.Millisecond)
	require.Contains(t, result(), fmt.Sprintf("Verified: 12 stages ranked again, %d advanced projects", len(built.Tour.Advanced)))

	// One score of the sixth stage set to 0.
	ds, err := afkar.Decode(stages[5].JSON)
	require.NoError(t, err)
	s := ds.Scores.At(0)
	s.Value = decimal.Zero
	ds.Scores.Set(0, s)
	altered, err := ds.MarshalJSON()
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(files[5], altered, 0o644))
	js[any](t, ctx, `document.querySelector("#tour-result").textContent = ""; 0`)
	require.NoError(t, chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(`#tour-datasets`), files), chromedp.Click(chromedp.CSS(`#tour-verify`))))
	require.Eventually(t, func() bool { return result() != "" }, 30*time.Second, 100*time.Millisecond)
	require.Contains(t, result(), "Not verified")
	require.Contains(t, result(), "stages[5].dataset_digest")
}
