// Package widget serves the Afkar browser calculator: the static page
// (HTML, CSS, JavaScript, embedded in this package) next to the engine
// compiled to WebAssembly and the toolchain's wasm_exec.js.
//
// [Build] compiles the engine with the Go toolchain found on the PATH, and
// [Handler] serves the page and the build. examples/widget runs both; the
// browser test in wasm/e2e does the same against httptest.
//
// To embed the calculator in another page, serve the files of [Static]
// with afkar.wasm and wasm_exec.js next to them, and put it in an iframe,
// or load wasm_exec.js, afkar.wasm and app.js from your own page (see
// index.html for the markup app.js expects).
package widget

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

//go:embed static
var static embed.FS

// Static returns the page's files: index.html, app.js, i18n.js, style.css.
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
func Build(ctx context.Context, moduleRoot, dir string) error {
	goroot, err := goEnv(ctx, moduleRoot, "GOROOT")
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(dir, "afkar.wasm"), "./wasm")
	cmd.Dir = moduleRoot
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("building the wasm engine: %v\n%s", err, stderr.String())
	}
	execJS, err := os.ReadFile(filepath.Join(goroot, "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		return fmt.Errorf("copying wasm_exec.js from the toolchain: %w", err)
	}
	return os.WriteFile(filepath.Join(dir, "wasm_exec.js"), execJS, 0o644)
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

// Handler serves the page's files, and afkar.wasm and wasm_exec.js from
// buildDir (as Build wrote them). Nothing is fetched from elsewhere: the
// page works offline once loaded.
func Handler(buildDir string) http.Handler {
	mux := http.NewServeMux()
	built := http.FileServer(http.Dir(buildDir))
	mux.Handle("GET /afkar.wasm", built)
	mux.Handle("GET /wasm_exec.js", built)
	mux.Handle("GET /", http.FileServerFS(Static()))
	return mux
}
