// Package widget serves the Afkar browser calculator: the static page
// (HTML, CSS, JavaScript, a web app manifest, icons and a service worker,
// embedded in this package) next to the engine compiled to WebAssembly and
// the toolchain's wasm_exec.js.
//
// [Build] compiles the engine with the Go toolchain found on the PATH and
// compresses it (brotli and gzip, next to the plain file), and [Handler]
// serves the page and the build. examples/widget runs both; the browser
// tests in wasm/e2e do the same against httptest.
//
// # Offline and caching
//
// The files keep their plain names (app.js, afkar.wasm), so that [Static]
// and a build folder can be served by any file server. [Handler] adds what
// makes the page fast to load and usable offline:
//
//   - Each file has a content hash, the first 16 hex digits of its SHA-256.
//     In the page it serves, Handler appends ?v=<hash> to every src and href
//     that names one of its files (app.js?v=…, afkar.wasm?v=…). A request
//     that carries the file's current hash is answered with
//     "Cache-Control: public, max-age=31536000, immutable"; any other (no
//     hash, or an old one) with "Cache-Control: no-cache" and an ETag, so
//     the browser revalidates it and gets 304 Not Modified when nothing
//     changed. The page itself and sw.js are always revalidated.
//   - The page's version is a hash of every file's hash. Handler serves
//     sw.js with its PRECACHE line replaced by the version and the list of
//     files (URL and Subresource Integrity digest), so a new version is a
//     new service worker: it downloads what changed, checks every file
//     against its digest, and deletes the caches of older versions when it
//     activates. Every response names the version in X-Afkar-Version.
//   - Text files and the engine are sent with brotli or gzip, as the
//     request's Accept-Encoding allows (Vary: Accept-Encoding), with the
//     length of the plain file in X-Uncompressed-Length, which the page
//     uses to show the engine's download progress.
//   - Every response forbids framing (X-Frame-Options: DENY and
//     Content-Security-Policy: frame-ancestors 'none'), MIME sniffing
//     (X-Content-Type-Options: nosniff) and referrers (Referrer-Policy:
//     no-referrer).
//
// Served by another file server, from Static and a build folder, the page
// works the same online but is not cached for offline use: its sw.js, left
// with an empty PRECACHE list, caches nothing and answers no request.
//
// # Embedding
//
// To embed the calculator in another page, serve the files of [Static] with
// afkar.wasm and wasm_exec.js next to them (Handler refuses to be framed,
// so an iframe needs your own server and headers), or load wasm_exec.js
// and app.js from your own page, with the markup app.js expects (see
// index.html): app.js loads the engine through boot.js, from the URL in
// <link id="engine-wasm" href="…">, else from afkar.wasm next to boot.js.
package widget

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

//go:embed static
var static embed.FS

// Static returns the page's files: index.html, its scripts (app.js, the
// page; i18n.js, its strings in three languages; problems.js, the
// engine's problems in those languages from their codes; qr.js, QR codes
// for the stage and the sheets, over the vendored @paulmillr/qr in
// vendor/; boot.js, the engine's loading), styles, the service worker
// sw.js, the web app manifest and its icons (icons/, drawn by
// internal/icon).
func Static() fs.FS {
	sub, err := fs.Sub(static, "static")
	if err != nil { // the embedded tree always has static/
		panic(err)
	}
	return sub
}

// Build compiles the engine (the module's ./wasm program) to dir/afkar.wasm
// with GOOS=js GOARCH=wasm, stripped of debug information, and copies the
// same toolchain's lib/wasm/wasm_exec.js to dir. moduleRoot is the folder
// of the module's go.mod.
//
// Next to each of the two files, Build writes its brotli (.br, quality 11)
// and gzip (.gz, level 9) compressions, which [Handler] sends to browsers
// that accept them. Brotli at quality 11 takes some 20 s for the engine, so
// Build keeps each brotli file in the user's cache directory
// (os.UserCacheDir()/afkar/widget), named after the SHA-256 of its input,
// and reuses it when the same bytes are built again (a file unused for 30
// days is removed); without a usable cache directory it compresses every
// time.
func Build(ctx context.Context, moduleRoot, dir string) error {
	goroot, err := goEnv(ctx, moduleRoot, "GOROOT")
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(dir, wasmFile), "./wasm")
	cmd.Dir = moduleRoot
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("building the wasm engine: %w\n%s", err, stderr.String())
	}
	execJS, err := os.ReadFile(filepath.Join(goroot, "lib", "wasm", execFile))
	if err != nil {
		return fmt.Errorf("copying wasm_exec.js from the toolchain: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, execFile), execJS, 0o644); err != nil {
		return fmt.Errorf("copying wasm_exec.js from the toolchain: %w", err)
	}
	return compressBuild(ctx, dir, []string{wasmFile, execFile}, brotliCacheDir())
}

// ModuleRoot returns the folder of the go.mod of the module that holds dir.
func ModuleRoot(ctx context.Context, dir string) (string, error) {
	gomod, err := goEnv(ctx, dir, "GOMOD")
	if err != nil {
		return "", err
	}
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("%s is not inside a Go module", dir)
	}
	return filepath.Dir(gomod), nil
}

func goEnv(ctx context.Context, dir, name string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "env", name)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go env %s: %w", name, err)
	}
	return strings.TrimSpace(string(out)), nil
}
