// Command widget serves the Afkar browser calculator on localhost: it
// builds the engine to WebAssembly with the Go toolchain on the PATH
// (compressed with brotli and gzip: the first build takes some 20 s more,
// later builds of the same engine reuse the compression), copies that
// toolchain's wasm_exec.js, and prints the address to open.
//
//	go run ./examples/widget            # http://127.0.0.1:8080/
//	go run ./examples/widget -addr :0   # any free port
//
// After one visit the page works with the server stopped: its service
// worker keeps this version's files. A new build is a new version, which
// the page picks up on the visit after the next (the first serves the
// cached page while the new version downloads). A browser counts
// 127.0.0.1 and localhost as secure, as a service worker requires; on
// another address, serve the page over HTTPS.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/afkarlab/afkar/wasm/widget"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *addr); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, addr string) error {
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	root, err := widget.ModuleRoot(ctx, wd)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "afkar-widget")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	fmt.Fprintln(os.Stderr, "building the engine for the browser…")
	if err := widget.Build(ctx, root, dir); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: widget.Handler(dir), ReadHeaderTimeout: 10 * time.Second}
	fmt.Printf("Afkar calculator: http://%s/\n", ln.Addr())
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
