package widget

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/andybalholm/brotli"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// fakeBuild writes what Build writes, with a small stand-in for the
// engine, and returns the folder.
func fakeBuild(t *testing.T, execJS string) string {
	t.Helper()
	dir := t.TempDir()
	// A module with no section but a name: valid WebAssembly, and long
	// enough for compression to pay.
	wasm := append([]byte("\x00asm\x01\x00\x00\x00"), bytes.Repeat([]byte("\x00\x05\x04name"), 200)...)
	require.NoError(t, os.WriteFile(filepath.Join(dir, wasmFile), wasm, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, execFile), []byte(execJS), 0o644))
	require.NoError(t, compressBuild(context.Background(), dir, []string{wasmFile, execFile}, ""))
	return dir
}

const execJS = "// wasm_exec.js stand-in\n" + "globalThis.Go = class { constructor() { this.importObject = {}; } };\n"

func get(t *testing.T, h http.Handler, target string, header ...string) *http.Response {
	t.Helper()
	return do(t, h, http.MethodGet, target, header...)
}

func do(t *testing.T, h http.Handler, method, target string, header ...string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, res *http.Response) []byte {
	t.Helper()
	data, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return data
}

// decoded is the response's body, decompressed as its Content-Encoding says.
func decoded(t *testing.T, res *http.Response) []byte {
	t.Helper()
	raw := body(t, res)
	switch res.Header.Get("Content-Encoding") {
	case "br":
		data, err := io.ReadAll(brotli.NewReader(bytes.NewReader(raw)))
		require.NoError(t, err)
		return data
	case "gzip":
		r, err := gzip.NewReader(bytes.NewReader(raw))
		require.NoError(t, err)
		data, err := io.ReadAll(r)
		require.NoError(t, err)
		return data
	case "":
		return raw
	}
	t.Fatalf("unexpected Content-Encoding %q", res.Header.Get("Content-Encoding"))
	return nil
}

func TestNegotiate(t *testing.T) {
	for _, tc := range []struct {
		name     string
		accept   []string
		br, gzip bool
		want     string
	}{
		{"no header: the plain file", nil, true, true, ""},
		{"Chrome over HTTPS", []string{"gzip, deflate, br, zstd"}, true, true, "br"},
		{"Chrome over HTTP", []string{"gzip, deflate"}, true, true, "gzip"},
		{"brotli only when the file has it", []string{"gzip, br"}, false, true, "gzip"},
		{"neither available", []string{"gzip, br"}, false, false, ""},
		{"higher q wins over server order", []string{"br;q=0.5, gzip;q=0.8"}, true, true, "gzip"},
		{"q=0 refuses", []string{"br;q=0, gzip"}, true, true, "gzip"},
		{"star accepts the codings not named", []string{"*"}, true, true, "br"},
		{"star with q=0 but gzip named", []string{"gzip;q=0.2, *;q=0"}, true, true, "gzip"},
		{"identity preferred by name", []string{"identity;q=1, gzip;q=0.5"}, true, true, ""},
		{"case and spaces", []string{" GZIP ; Q=0.7 , Br ;q=0.6"}, true, true, "gzip"},
		{"several header lines", []string{"deflate", "br"}, true, true, "br"},
		{"malformed q accepts nothing", []string{"br;q=high, gzip"}, true, true, "gzip"},
		{"q above 1 is malformed", []string{"br;q=2"}, true, true, ""},
		{"the first of two mentions counts", []string{"br;q=0, br"}, true, false, ""},
		{"empty parts are skipped", []string{", ,gzip,"}, true, true, "gzip"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, negotiate(tc.accept, tc.br, tc.gzip))
		})
	}
}

func TestHandlerEncoding(t *testing.T) {
	dir := fakeBuild(t, execJS)
	plain, err := os.ReadFile(filepath.Join(dir, wasmFile))
	require.NoError(t, err)
	h := Handler(dir)
	for _, tc := range []struct {
		accept, want string
	}{
		{"gzip, deflate, br, zstd", "br"},
		{"gzip, deflate", "gzip"},
		{"", ""},
		{"identity", ""},
	} {
		t.Run("Accept-Encoding "+tc.accept, func(t *testing.T) {
			res := get(t, h, "/afkar.wasm", "Accept-Encoding", tc.accept)
			require.Equal(t, http.StatusOK, res.StatusCode)
			require.Equal(t, tc.want, res.Header.Get("Content-Encoding"))
			require.Equal(t, "Accept-Encoding", res.Header.Get("Vary"))
			require.Equal(t, "application/wasm", res.Header.Get("Content-Type"))
			require.Equal(t, plain, decoded(t, res), "the body decompresses to the engine")
			require.Equal(t, itoa(len(plain)), res.Header.Get("X-Uncompressed-Length"))
		})
	}

	t.Run("the compressed files are Build's", func(t *testing.T) {
		br, err := os.ReadFile(filepath.Join(dir, wasmFile+brSuffix))
		require.NoError(t, err)
		res := get(t, h, "/afkar.wasm", "Accept-Encoding", "br")
		got := body(t, res)
		require.Equal(t, br, got)
		require.Equal(t, itoa(len(br)), res.Header.Get("Content-Length"))
		require.Less(t, len(br), len(plain))
	})

	t.Run("the page's own text files are compressed too", func(t *testing.T) {
		for _, name := range []string{"/", "/app.js", "/i18n.js", "/boot.js", "/style.css", "/sw.js", "/manifest.webmanifest"} {
			res := get(t, h, name, "Accept-Encoding", "br")
			require.Equal(t, "br", res.Header.Get("Content-Encoding"), name)
			decoded(t, res)
		}
	})

	t.Run("images are not", func(t *testing.T) {
		res := get(t, h, "/icons/icon-192.png", "Accept-Encoding", "br, gzip")
		require.Empty(t, res.Header.Get("Content-Encoding"))
		require.Empty(t, res.Header.Get("Vary"))
		require.Equal(t, "image/png", res.Header.Get("Content-Type"))
	})

	t.Run("without the build's compressed files, the plain file", func(t *testing.T) {
		require.NoError(t, os.Remove(filepath.Join(dir, wasmFile+brSuffix)))
		require.NoError(t, os.Remove(filepath.Join(dir, wasmFile+gzSuffix)))
		res := get(t, Handler(dir), "/afkar.wasm", "Accept-Encoding", "br, gzip")
		require.Empty(t, res.Header.Get("Content-Encoding"))
		require.Equal(t, plain, body(t, res))
	})
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// hashedLinks returns the page's src and href values that carry ?v=, by file.
func hashedLinks(t *testing.T, page []byte) map[string]string {
	t.Helper()
	links := map[string]string{}
	for _, m := range regexp.MustCompile(`(?:src|href)="([^"?]+)\?v=([0-9a-f]+)"`).FindAllSubmatch(page, -1) {
		links[string(m[1])] = string(m[2])
	}
	return links
}

func TestHandlerCaching(t *testing.T) {
	h := Handler(fakeBuild(t, execJS))
	page := get(t, h, "/", "Accept-Encoding", "gzip")
	require.Equal(t, http.StatusOK, page.StatusCode)
	links := hashedLinks(t, decoded(t, page))
	for _, name := range []string{"afkar.wasm", "wasm_exec.js", "app.js", "style.css", "boot.css", "manifest.webmanifest", "icons/apple-touch-icon.png", "icons/favicon-32.png"} {
		require.Len(t, links[name], hashLen, "the page links to %s by hash", name)
	}

	t.Run("a file asked for by its hash is immutable", func(t *testing.T) {
		for name, hash := range links {
			res := get(t, h, "/"+name+"?v="+hash)
			require.Equal(t, http.StatusOK, res.StatusCode, name)
			require.Equal(t, "public, max-age=31536000, immutable", res.Header.Get("Cache-Control"), name)
		}
	})

	t.Run("without its hash, or with another, it is revalidated", func(t *testing.T) {
		for _, target := range []string{"/app.js", "/app.js?v=0123456789abcdef", "/afkar.wasm", "/i18n.js", "/boot.js"} {
			res := get(t, h, target)
			require.Equal(t, http.StatusOK, res.StatusCode, target)
			require.Equal(t, "no-cache", res.Header.Get("Cache-Control"), target)
			require.NotEmpty(t, res.Header.Get("ETag"), target)
		}
	})

	t.Run("the page and the worker are always revalidated: 304 when unchanged", func(t *testing.T) {
		for _, target := range []string{"/", "/index.html", "/?dataset=stage.json", "/sw.js", "/sw.js?v=x"} {
			for _, accept := range []string{"br", "gzip", ""} {
				first := get(t, h, target, "Accept-Encoding", accept)
				require.Equal(t, http.StatusOK, first.StatusCode, target)
				require.Equal(t, "no-cache", first.Header.Get("Cache-Control"), target)
				etag := first.Header.Get("ETag")
				require.Regexp(t, `^"[0-9a-f]{16}(-br|-gzip)?"$`, etag)
				again := get(t, h, target, "Accept-Encoding", accept, "If-None-Match", etag)
				require.Equal(t, http.StatusNotModified, again.StatusCode, target)
				require.Empty(t, body(t, again))
				require.Equal(t, etag, again.Header.Get("ETag"))
				other := get(t, h, target, "Accept-Encoding", accept, "If-None-Match", `"0000000000000000"`)
				require.Equal(t, http.StatusOK, other.StatusCode, target)
			}
		}
	})

	t.Run("each encoding has its own ETag", func(t *testing.T) {
		br := get(t, h, "/", "Accept-Encoding", "br").Header.Get("ETag")
		gz := get(t, h, "/", "Accept-Encoding", "gzip").Header.Get("ETag")
		plain := get(t, h, "/").Header.Get("ETag")
		require.NotEqual(t, br, gz)
		require.NotEqual(t, br, plain)
		res := get(t, h, "/", "Accept-Encoding", "gzip", "If-None-Match", br)
		require.Equal(t, http.StatusOK, res.StatusCode, "a brotli ETag does not validate the gzip body")
	})

	t.Run("a range gets the whole file", func(t *testing.T) {
		res := get(t, h, "/afkar.wasm", "Accept-Encoding", "br", "Range", "bytes=0-9")
		require.Equal(t, http.StatusOK, res.StatusCode)
		require.Equal(t, itoa(len(body(t, get(t, h, "/afkar.wasm", "Accept-Encoding", "br")))), res.Header.Get("Content-Length"))
	})

	t.Run("HEAD", func(t *testing.T) {
		res := do(t, h, http.MethodHead, "/boot.js")
		require.Equal(t, http.StatusOK, res.StatusCode)
		require.Empty(t, body(t, res))
	})
}

func TestHandlerSecurityHeaders(t *testing.T) {
	dir := fakeBuild(t, execJS)
	for name, h := range map[string]http.Handler{"site": Handler(dir), "no build": Handler(t.TempDir())} {
		for _, req := range []struct{ method, target string }{
			{"GET", "/"}, {"GET", "/afkar.wasm"}, {"GET", "/sw.js"}, {"GET", "/missing.js"}, {"GET", "/static/app.js"},
			{"POST", "/"}, {"HEAD", "/icons/icon-192.png"},
		} {
			res := do(t, h, req.method, req.target)
			want := http.Header{
				"X-Frame-Options":         {"DENY"},
				"Content-Security-Policy": {"frame-ancestors 'none'"},
				"X-Content-Type-Options":  {"nosniff"},
				"Referrer-Policy":         {"no-referrer"},
			}
			got := http.Header{}
			for k := range want {
				got[k] = res.Header.Values(k)
			}
			require.Empty(t, cmp.Diff(want, got), "%s: %s %s (-want +got)", name, req.method, req.target)
		}
	}
	h := Handler(dir)
	require.Equal(t, http.StatusNotFound, get(t, h, "/missing.js").StatusCode)
	require.Equal(t, http.StatusNotFound, get(t, h, "/afkar.wasm.br").StatusCode, "compressed files are served under their plain name only")
	res := do(t, h, http.MethodPost, "/")
	require.Equal(t, http.StatusMethodNotAllowed, res.StatusCode)
	require.Equal(t, "GET, HEAD", res.Header.Get("Allow"))
}

func TestHandlerWithoutBuild(t *testing.T) {
	h := Handler(filepath.Join(t.TempDir(), "nothing"))
	for _, target := range []string{"/", "/afkar.wasm", "/app.js"} {
		res := get(t, h, target)
		require.Equal(t, http.StatusInternalServerError, res.StatusCode)
		require.Contains(t, string(body(t, res)), "widget: reading the build")
	}
}

// precacheOf reads the PRECACHE line of the served sw.js.
func precacheOf(t *testing.T, h http.Handler) (version string, files map[string]string) {
	t.Helper()
	res := get(t, h, "/sw.js")
	require.Equal(t, "text/javascript; charset=utf-8", res.Header.Get("Content-Type"))
	m := regexp.MustCompile(`(?m)^const PRECACHE = (.*);$`).FindSubmatch(body(t, res))
	require.NotNil(t, m, "sw.js has its PRECACHE line")
	var list struct {
		Version string
		Files   []struct{ URL, Integrity string }
	}
	require.NoError(t, json.Unmarshal(m[1], &list))
	require.Equal(t, res.Header.Get("X-Afkar-Version"), list.Version)
	files = map[string]string{}
	for _, f := range list.Files {
		files[f.URL] = f.Integrity
	}
	return list.Version, files
}

func TestServiceWorkerPrecache(t *testing.T) {
	h := Handler(fakeBuild(t, execJS))
	version, files := precacheOf(t, h)
	require.Regexp(t, `^[0-9a-f]{16}$`, version)

	// Every file of the page and the build, but sw.js, once, by its
	// hashed URL; the page as "./". Each digest is the served file's.
	var want []string
	require.NoError(t, fs.WalkDir(Static(), ".", func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && name != "sw.js" && name != "index.html" {
			want = append(want, name)
		}
		return err
	}))
	want = append(want, "afkar.wasm", "wasm_exec.js")
	require.Len(t, files, len(want)+1)
	for url, integrity := range files {
		res := get(t, h, "/"+strings.TrimPrefix(url, "./"), "Accept-Encoding", "br")
		require.Equal(t, http.StatusOK, res.StatusCode, url)
		sum := sha256.Sum256(decoded(t, res))
		require.Equal(t, "sha256-"+base64.StdEncoding.EncodeToString(sum[:]), integrity, url)
		if url != "./" {
			require.Equal(t, "public, max-age=31536000, immutable", res.Header.Get("Cache-Control"), url)
		}
	}
	require.Contains(t, files, "./")
	for _, name := range want {
		found := false
		for url := range files {
			found = found || strings.HasPrefix(url, name+"?v=")
		}
		require.True(t, found, "%s is precached", name)
	}
}

func TestVersionFollowsContent(t *testing.T) {
	h1 := Handler(fakeBuild(t, execJS))
	v1, files1 := precacheOf(t, h1)
	again, _ := precacheOf(t, Handler(fakeBuild(t, execJS)))
	require.Equal(t, v1, again, "the same files give the same version")

	h2 := Handler(fakeBuild(t, execJS+"// changed\n"))
	v2, files2 := precacheOf(t, h2)
	require.NotEqual(t, v1, v2)
	var changed []string
	for url := range files2 {
		if _, ok := files1[url]; !ok || files1[url] != files2[url] {
			changed = append(changed, strings.SplitN(url, "?", 2)[0])
		}
	}
	require.ElementsMatch(t, []string{"./", "wasm_exec.js"}, changed, "only the changed file and the page that links to it")
	old := hashedLinks(t, body(t, get(t, h1, "/")))["wasm_exec.js"]
	res := get(t, h2, "/wasm_exec.js?v="+old)
	require.Equal(t, "no-cache", res.Header.Get("Cache-Control"), "an old hash is not cached for a year with new content")
}

func TestLinkHashes(t *testing.T) {
	assets := map[string]*asset{
		"app.js":         {hash: "aaaa"},
		"icons/x.png":    {hash: "bbbb"},
		"manifest.json":  {hash: "cccc"},
		"untouched.css":  {hash: "dddd"},
		"deep/../app.js": {hash: "never"},
	}
	page := `<script src="app.js"></script><link href="icons/x.png"><a href="#main">x</a>` +
		`<link href="data:,"><link href="/app.js"><link href="app.js?x=1"><img src="other.png">` +
		`<p data-src="app.js">app.js</p><link href="./icons/x.png"><link rel="manifest" href="manifest.json">`
	want := `<script src="app.js?v=aaaa"></script><link href="icons/x.png?v=bbbb"><a href="#main">x</a>` +
		`<link href="data:,"><link href="/app.js"><link href="app.js?x=1"><img src="other.png">` +
		`<p data-src="app.js">app.js</p><link href="./icons/x.png?v=bbbb"><link rel="manifest" href="manifest.json?v=cccc">`
	require.Equal(t, want, string(linkHashes([]byte(page), assets)))
}

func TestNewSiteChecksTheWorker(t *testing.T) {
	build := os.DirFS(fakeBuild(t, execJS))
	cache := t.TempDir()
	static := func(sw string) fs.FS {
		page, err := fs.ReadFile(Static(), "index.html")
		require.NoError(t, err)
		return fstest.MapFS{"index.html": {Data: page}, "sw.js": {Data: []byte(sw)}}
	}
	_, err := newSite(static("// no list\n"), build, cache)
	require.ErrorContains(t, err, "must hold the line")
	_, err = newSite(static(precacheLine+"\n"+precacheLine+"\n"), build, cache)
	require.ErrorContains(t, err, "must hold the line")
	s, err := newSite(static("// ok\n"+precacheLine+"\n"), build, cache)
	require.NoError(t, err)
	require.Len(t, s.assets, 4) // the page, sw.js and the build's two files
}
