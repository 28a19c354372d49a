package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image/png"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/afkarlab/afkar/wasm/widget"
	"github.com/chromedp/chromedp"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/stretchr/testify/require"
)

// jsAwait runs an expression that gives a promise, and returns what the
// promise resolves to.
func jsAwait[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	require.NoError(t, err, "%.300s", expr)
	return v
}

// qrSheet is a juror's sheet of about 20 KB, in Arabic, French and
// English, with an emoji (four UTF-8 bytes) and a leading byte-order mark,
// which must come back too.
func qrSheet(t *testing.T) string {
	t.Helper()
	type score struct {
		Project string            `json:"project"`
		Title   string            `json:"title"`
		Scores  map[string]string `json:"scores"`
		Note    string            `json:"note,omitempty"`
	}
	rng := rand.New(rand.NewPCG(7, 7))
	titles := []string{"تعاونية أركان للنساء بتزنيت", "Coopérative d'élevage caprin", "Solar dryers for dates 🌴"}
	var scores []score
	for i := range 110 {
		s := score{
			Project: fmt.Sprintf("P-%04d", i),
			Title:   titles[i%3],
			Scores: map[string]string{
				"social":   fmt.Sprintf("%d.%d", rng.IntN(20), rng.IntN(2)*5),
				"economic": fmt.Sprintf("%d.%d", rng.IntN(20), rng.IntN(2)*5),
				"youth":    fmt.Sprint(rng.IntN(21)),
			},
		}
		if i%7 == 0 {
			s.Note = "مشروع واعد، يحتاج إلى دراسة السوق"
		}
		scores = append(scores, s)
	}
	data, err := json.MarshalIndent(map[string]any{"judge": "J-07", "stage": "dakhla", "scores": scores}, "", " ")
	require.NoError(t, err)
	return "\uFEFF" + string(data)
}

// readQR decodes a PNG's QR code with gozxing, a Go port of ZXing: a
// decoder that shares nothing with the page's.
func readQR(t *testing.T, pngData []byte) string {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(pngData))
	require.NoError(t, err)
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	require.NoError(t, err)
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	require.NoError(t, err)
	return res.GetText()
}

func TestQR(t *testing.T) {
	ctx, url := browser(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(url)))
	waitReady(t, ctx)
	// qr.js is imported as app.js would: a module of the page's origin,
	// under its CSP. Every violation of that policy is kept, to be checked
	// at the end.
	require.True(t, jsAwait[bool](t, ctx, `(async () => {
		window.cspViolations = [];
		document.addEventListener("securitypolicyviolation", (e) => cspViolations.push(e.violatedDirective + " " + e.blockedURI));
		window.qr = await import("/qr.js");
		window.qrt = {};
		return true;
	})()`))

	text := qrSheet(t)
	require.Greater(t, len(text), 18_000)
	frames := jsAwait[[]string](t, ctx, `qr.encodeChunks(`+quote(text)+`).then(f => (qrt.frames = f))`)
	t.Logf("%d bytes of JSON in %d frames", len(text), len(frames))
	// Compressed about 4 to 1, 20 KB of JSON is a dozen frames or so.
	require.GreaterOrEqual(t, len(frames), 2)
	require.LessOrEqual(t, len(frames), 30)
	for _, f := range frames {
		require.LessOrEqual(t, len(f), 500, f)
		require.True(t, strings.HasPrefix(f, "AFK1:"), f)
	}

	pngs := js[[]string](t, ctx, `qrt.pngs = qrt.frames.map(f => qr.renderQR(f).toDataURL("image/png"))`)
	require.Len(t, pngs, len(frames))

	t.Run("every frame, drawn as a QR code, reads back in ZXing", func(t *testing.T) {
		// 85 modules + 2×4 of quiet zone: version 17 at most.
		require.LessOrEqual(t, js[int](t, ctx, `Math.max(...qrt.frames.map(f => +qr.renderQR(f).dataset.modules))`), 93)
		for i, u := range pngs {
			data, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(u, "data:image/png;base64,"))
			require.NoError(t, err)
			if i == 0 {
				require.NoError(t, os.WriteFile(filepath.Join(outDir(t), "qr-frame-1.png"), data, 0o644))
			}
			require.Equal(t, frames[i], readQR(t, data), "frame %d", i+1)
		}
		// The SVG form draws the same modules.
		require.Equal(t, js[string](t, ctx, `qr.renderQR(qrt.frames[0]).dataset.modules`),
			js[string](t, ctx, `qr.renderQR(qrt.frames[0], {svg: true}).getAttribute("viewBox").split(" ")[2]`))
	})

	t.Run("shuffled frames with a repeat come back byte for byte", func(t *testing.T) {
		order := append([]string(nil), frames...)
		rng := rand.New(rand.NewPCG(1, 2))
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		order = append(order[:3], append([]string{order[1]}, order[3:]...)...) // frame order[1] twice
		var got struct {
			Have  []int
			Done  []bool
			Error []string
			Text  string
		}
		raw := jsAwait[string](t, ctx, `(async () => {
			const c = new qr.ChunkCollector();
			const st = `+mustJSON(t, order)+`.map(f => c.add(f));
			return JSON.stringify({
				have: st.map(s => s.have), done: st.map(s => s.done),
				error: st.map(s => s.error ? s.error.code : ""), text: await c.text(),
			});
		})()`)
		require.NoError(t, json.Unmarshal([]byte(raw), &got))
		n := len(frames)
		wantHave := []int{1, 2, 3, 3}
		for i := 4; i <= n; i++ {
			wantHave = append(wantHave, i)
		}
		require.Equal(t, wantHave, got.Have, "the repeat adds nothing")
		require.Equal(t, make([]string, n+1), got.Error, "a repeat is not an error")
		require.True(t, got.Done[n])
		require.False(t, got.Done[n-1])
		require.Equal(t, text, got.Text)
	})

	t.Run("the set's id is the SHA-256 that crypto.subtle computes", func(t *testing.T) {
		// The page is on 127.0.0.1, a secure context: crypto.subtle is there
		// to check qr.js's own SHA-256 against.
		for _, s := range []string{text, "", "x", strings.Repeat("a", 55), strings.Repeat("é", 64)} {
			require.True(t, jsAwait[bool](t, ctx, `(async () => {
				const s = `+quote(s)+`;
				const d = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s)));
				const hex = Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("").slice(0, 8);
				const [f] = await qr.encodeChunks(s, {maxChunk: 2000});
				return qr.parseFrame(f).setId === hex;
			})()`), "%.40q", s)
		}
	})

	t.Run("decodeImage reads a PNG, and a blurred, tilted, noisy JPEG", func(t *testing.T) {
		got := jsAwait[string](t, ctx, `(async () => {
			const bytes = Uint8Array.from(atob(qrt.pngs[0].split(",")[1]), (c) => c.charCodeAt(0));
			return qr.decodeImage(new Blob([bytes], {type: "image/png"}));
		})()`)
		require.Equal(t, frames[0], got)

		// A photo of a screen, roughly: a 1600×1200 JPEG at quality 0.7 of
		// the code turned by 8°, sheared, blurred and on a gradient, with
		// noise.
		photo := jsAwait[string](t, ctx, `(async () => {
			const code = qr.renderQR(qrt.frames[1], {size: 420});
			const c = document.createElement("canvas");
			c.width = 1600; c.height = 1200;
			const g = c.getContext("2d");
			const grad = g.createLinearGradient(0, 0, 1600, 1200);
			grad.addColorStop(0, "#9a9a9a"); grad.addColorStop(1, "#404040");
			g.fillStyle = grad; g.fillRect(0, 0, 1600, 1200);
			g.filter = "blur(1px) brightness(0.85)";
			g.setTransform(1, 0.06, -0.04, 0.95, 0, 0);
			g.translate(820, 560); g.rotate(8 * Math.PI / 180);
			g.drawImage(code, -code.width / 2, -code.height / 2);
			g.setTransform(1, 0, 0, 1, 0, 0); g.filter = "none";
			const px = g.getImageData(0, 0, 1600, 1200);
			let s = 42;
			for (let i = 0; i < px.data.length; i += 4) {
				s = (s * 1103515245 + 12345) & 0x7fffffff;
				const d = (s % 25) - 12;
				px.data[i] += d; px.data[i + 1] += d; px.data[i + 2] += d;
			}
			g.putImageData(px, 0, 0);
			const blob = await new Promise((r) => c.toBlob(r, "image/jpeg", 0.7));
			qrt.photo = blob;
			const b = new Uint8Array(await blob.arrayBuffer());
			let bin = "";
			for (let i = 0; i < b.length; i += 8192) bin += String.fromCharCode(...b.subarray(i, i + 8192));
			return btoa(bin);
		})()`)
		jpeg, err := base64.StdEncoding.DecodeString(photo)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(outDir(t), "qr-photo.jpg"), jpeg, 0o644))
		require.Equal(t, frames[1], jsAwait[string](t, ctx, `qr.decodeImage(qrt.photo, {native: false}).then((s) => s ?? "null")`))

		require.True(t, jsAwait[bool](t, ctx, `(async () => {
			const c = document.createElement("canvas");
			c.width = 300; c.height = 200;
			const g = c.getContext("2d"); g.fillStyle = "#fff"; g.fillRect(0, 0, 300, 200);
			return (await qr.decodeImage(c)) === null;
		})()`), "a picture without a code gives null")
		require.Equal(t, "image", jsAwait[string](t, ctx,
			`qr.decodeImage(new Blob(["not an image"], {type: "image/png"})).then(() => "resolved", (e) => e.code)`))
	})

	t.Run("decodeImage reads every code of a 50-frame set", func(t *testing.T) {
		// The JavaScript decoder misreads a few sharp codes in a hundred at
		// one size (see SCALES in qr.js); decodeImage must read them all.
		var got struct{ Frames, OneSizeMisses int }
		raw := jsAwait[string](t, ctx, `(async () => {
			const { decodeQR } = await import("/vendor/paulmillr-qr-0.3.0/decode.js");
			let s = 1, text = "";
			for (let i = 0; i < 18000; i++) { s = (s * 48271) % 2147483647; text += String.fromCharCode(33 + (s % 94)); }
			const frames = await qr.encodeChunks(text, {compress: false});
			let oneSizeMisses = 0;
			for (const f of frames) {
				const code = qr.renderQR(f, {size: 300});
				const px = code.getContext("2d").getImageData(0, 0, code.width, code.height);
				try { if (decodeQR(px) !== f) oneSizeMisses++; } catch { oneSizeMisses++; }
				if ((await qr.decodeImage(code, {native: false})) !== f) throw new Error("not read: " + f.slice(0, 20));
			}
			return JSON.stringify({frames: frames.length, oneSizeMisses});
		})()`)
		require.NoError(t, json.Unmarshal([]byte(raw), &got))
		require.GreaterOrEqual(t, got.Frames, 50)
		t.Logf("%d frames, all read; %d of them the decoder misreads at their drawn size alone", got.Frames, got.OneSizeMisses)
	})

	t.Run("a frame of another set is refused while a set is being read", func(t *testing.T) {
		var got struct {
			Code  string
			SetID string
			Have  int
			Other string
		}
		raw := jsAwait[string](t, ctx, `(async () => {
			const other = await qr.encodeChunks(`+quote(strings.Replace(text, "J-07", "J-08", 1))+`);
			const c = new qr.ChunkCollector();
			c.add(qrt.frames[0]);
			const st = c.add(other[0]);
			return JSON.stringify({code: st.error.code, setID: st.setId, have: st.have, other: qr.parseFrame(other[0]).setId});
		})()`)
		require.NoError(t, json.Unmarshal([]byte(raw), &got))
		require.Equal(t, "other-set", got.Code)
		require.Equal(t, frames[0][5:13], got.SetID)
		require.NotEqual(t, got.SetID, got.Other)
		require.Equal(t, 1, got.Have)
	})

	t.Run("a damaged payload gives an error, never a wrong text", func(t *testing.T) {
		// One character changed in the first, a middle and the last frame,
		// and two frames' payloads swapped under intact headers.
		codes := jsAwait[[]string](t, ctx, `(async () => {
			const fs = qrt.frames, n = fs.length, out = [];
			const payloadAt = (f) => f.length - qr.parseFrame(f).payload.length;
			const change = (f, k) => {
				const at = payloadAt(f) + k;
				return f.slice(0, at) + (f[at] === "Q" ? "R" : "Q") + f.slice(at + 1);
			};
			const sets = [
				fs.map((f, i) => (i === 0 ? change(f, 10) : f)),
				fs.map((f, i) => (i === n >> 1 ? change(f, 0) : f)),
				fs.map((f, i) => (i === n - 1 ? change(f, 3) : f)),
				fs.map((f, i) => (i === 1 ? f.slice(0, payloadAt(f)) + qr.parseFrame(fs[2]).payload
					: i === 2 ? f.slice(0, payloadAt(f)) + qr.parseFrame(fs[1]).payload : f)),
			];
			for (const set of sets) {
				const c = new qr.ChunkCollector();
				set.forEach((f) => c.add(f));
				out.push(await c.text().then((t) => "text of " + t.length, (e) => e.code));
			}
			return out;
		})()`)
		for i, code := range codes {
			require.Contains(t, []string{"corrupt", "integrity"}, code, "damage %d", i)
		}
	})

	t.Run("showSequence cycles the codes, pauses, steps and stops", func(t *testing.T) {
		require.True(t, js[bool](t, ctx, `(() => {
			const box = document.createElement("div");
			box.id = "qr-box";
			document.body.prepend(box);
			qrt.stop = qr.showSequence(box, qrt.frames, {intervalMs: 150, size: 300,
				labels: {previous: "السابق", next: "التالي", pause: "إيقاف", play: "تشغيل"},
				count: (i, n) => i + " / " + n});
			return true;
		})()`))
		index := func() string {
			return js[string](t, ctx, `document.querySelector("#qr-box .qr-sequence").dataset.index`)
		}
		require.Eventually(t, func() bool { return index() == "3" }, 5*time.Second, 20*time.Millisecond, "the codes cycle")
		require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#qr-box .qr-sequence-toggle`))))
		require.Equal(t, "تشغيل", js[string](t, ctx, `document.querySelector("#qr-box .qr-sequence-toggle").textContent`))
		held := index()
		time.Sleep(400 * time.Millisecond)
		require.Equal(t, held, index(), "paused")
		require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#qr-box .qr-sequence-next`))))
		want := fmt.Sprint(atoi(t, held)%len(frames) + 1)
		require.Equal(t, want, index())
		require.Equal(t, want+" / "+fmt.Sprint(len(frames)), js[string](t, ctx, `document.querySelector("#qr-box .qr-sequence-count").textContent`))
		// The code shown is the frame it says.
		shot, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(`#qr-box canvas`)))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(outDir(t), "qr-sequence.png"), shot, 0o644))
		require.Equal(t, frames[atoi(t, want)-1], readQR(t, shot))
		require.Equal(t, []string{"السابق", "تشغيل", "التالي"}, js[[]string](t, ctx, `[...document.querySelectorAll("#qr-box button")].map(b => b.textContent)`))
		require.True(t, js[bool](t, ctx, `qrt.stop(), document.querySelector("#qr-box").childElementCount === 0`))
	})

	require.Empty(t, js[[]string](t, ctx, `cspViolations`), "the page's CSP refused something")
}

// TestQRCamera scans a set of codes from a camera: Chromium's fake
// capture device plays a Y4M video of the frames' codes, each held a
// third of a second, and scanCamera feeds a ChunkCollector until the set
// is complete, then the signal stops it and the camera is released.
func TestQRCamera(t *testing.T) {
	exe := chromium(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)

	// The codes, drawn by Go's own encoder would be a second encoder to
	// trust; drawn by the page first, then played back, they test the path
	// a phone takes. So: one browser to draw them, one to scan them.
	text := qrSheet(t)
	srv := httptest.NewServer(http.FileServerFS(widget.Static())) // the static files alone: no engine needed
	t.Cleanup(srv.Close)
	drawCtx := newChromium(t, ctx, exe)
	require.NoError(t, chromedp.Do(drawCtx, chromedp.Navigate(srv.URL+"/qr.js")))
	pngs := jsAwait[[]string](t, drawCtx, `(async () => {
		const qr = await import("/qr.js");
		const frames = await qr.encodeChunks(`+quote(text)+`);
		return frames.map((f) => qr.renderQR(f, {size: 400}).toDataURL("image/png"));
	})()`)
	require.GreaterOrEqual(t, len(pngs), 2)

	const w, h, fps, hold = 480, 480, 12, 4 // 4 video frames a code, at 12 a second
	video := filepath.Join(t.TempDir(), "codes.y4m")
	f, err := os.Create(video)
	require.NoError(t, err)
	fmt.Fprintf(f, "YUV4MPEG2 W%d H%d F%d:1 Ip A1:1 C420jpeg\n", w, h, fps)
	chroma := bytes.Repeat([]byte{128}, w*h/2) // U and V, grey
	for _, u := range pngs {
		data, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(u, "data:image/png;base64,"))
		require.NoError(t, err)
		img, err := png.Decode(bytes.NewReader(data))
		require.NoError(t, err)
		luma := bytes.Repeat([]byte{90}, w*h) // a dim room around the screen
		b := img.Bounds()
		x0, y0 := (w-b.Dx())/2, (h-b.Dy())/2
		for y := range b.Dy() {
			for x := range b.Dx() {
				r, _, _, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
				luma[(y0+y)*w+x0+x] = byte(16 + (r>>8)*219/255) // studio range, as a camera gives
			}
		}
		for range hold {
			_, err := f.WriteString("FRAME\n")
			require.NoError(t, err)
			_, err = f.Write(luma)
			require.NoError(t, err)
			_, err = f.Write(chroma)
			require.NoError(t, err)
		}
	}
	require.NoError(t, f.Close())

	camCtx := newChromium(t, ctx, exe,
		chromedp.Flag("use-fake-ui-for-media-stream", true),
		chromedp.Flag("use-fake-device-for-media-stream", true),
		chromedp.Flag("use-file-for-fake-video-capture", video),
	)
	require.NoError(t, chromedp.Do(camCtx, chromedp.Navigate(srv.URL+"/qr.js")))
	var got struct {
		Text     string
		Seen     []int
		Released bool
		Detector string
	}
	raw := jsAwait[string](t, camCtx, `(async () => {
		const qr = await import("/qr.js");
		const streams = [];
		const gum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
		navigator.mediaDevices.getUserMedia = async (c) => { const s = await gum(c); streams.push(s); return s; };
		const video = document.createElement("video");
		document.body.append(video);
		const c = new qr.ChunkCollector();
		const ac = new AbortController();
		const timeout = setTimeout(() => ac.abort(), 60000);
		const seen = [];
		await qr.scanCamera(video, (t) => {
			seen.push((qr.parseFrame(t) || {}).index);
			if (c.add(t).done) ac.abort();
		}, {signal: ac.signal, fps: 15});
		clearTimeout(timeout);
		return JSON.stringify({
			text: await c.text().catch((e) => "error: " + e.message + " missing " + c.missing()),
			seen,
			released: video.srcObject === null && streams.length === 1 && streams[0].getTracks().every((t) => t.readyState === "ended"),
			detector: typeof BarcodeDetector,
		});
	})()`)
	require.NoError(t, json.Unmarshal([]byte(raw), &got))
	t.Logf("codes read from the camera, in order: %v; BarcodeDetector: %s", got.Seen, got.Detector)
	require.Equal(t, text, got.Text)
	require.True(t, got.Released, "the camera is released")
}

// newChromium starts a headless Chromium of its own, with flags beyond
// the usual ones, and returns its context.
func newChromium(t *testing.T, ctx context.Context, exe string, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	opts := append([]chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(800, 600),
	}, extra...)
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(alloc)
	t.Cleanup(cancelBrowser)
	return bctx
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	var n int
	_, err := fmt.Sscan(s, &n)
	require.NoError(t, err)
	return n
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// TestQRNode runs qr.test.mjs, the tests of qr.js's pure functions, under
// Node's test runner.
func TestQRNode(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("AFKAR_E2E_REQUIRED") != "" {
			t.Fatal("node not found: install Node 20 or later")
		}
		t.Skip("node not found: install Node 20 or later")
	}
	// Node before 22.7 reads qr.js (an ES module in a folder without a
	// package.json) as CommonJS unless told to detect the syntax.
	out, err := exec.Command(node, "--experimental-detect-module", "--test", "qr.test.mjs").CombinedOutput()
	if err != nil && bytes.Contains(out, []byte("bad option")) {
		out, err = exec.Command(node, "--test", "qr.test.mjs").CombinedOutput()
	}
	require.NoError(t, err, "%s", out)
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "# pass") || strings.HasPrefix(line, "# fail") {
			t.Log(strings.TrimPrefix(line, "# "))
		}
	}
}
