package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/afkarlab/afkar/stage"
	stagehttp "github.com/afkarlab/afkar/stage/http"
	"github.com/afkarlab/afkar/stage/sqlite"
	"github.com/afkarlab/afkar/wasm/widget"
)

const serveUsage = `Usage:
  afkar serve  [flags]                 run the stage server
  afkar serve user   --db FILE --login NAME --role ROLE [--stage N] [--name NAME]
                                       add an account; the password is read from stdin
  afkar serve backup --db FILE --out FILE
                                       write a consistent copy while the server runs
  afkar serve check  --db FILE         PRAGMA integrity_check and foreign_key_check
  afkar serve wasm   --out DIR         build the calculator's engine (from a checkout
                                       of this module, with the Go toolchain) for --wasm

The stage server: organisers run their stages (ideas, jurors, one-time
codes, assignment, live progress and ranking, publication), jurors score on
their phones, and every published stage has a public page. Everything is
kept in one SQLite file (WAL; every change one transaction, on disk before
it is answered).

TLS comes from --cert and --key. Without them the server speaks plain HTTP,
and only on a loopback address (127.0.0.1, ::1) unless --insecure-http says
otherwise (behind a TLS proxy). Behind a proxy, name it with
--trusted-proxy so that rate limits count per client (from its
X-Forwarded-For) rather than lumping every client together; the links
the server builds are https (--insecure-http means TLS is terminated in
front), on the request's host unless --public-url names scheme and host.
Strict-Transport-Security is sent over TLS, and when the public scheme is
https (--insecure-http, or an https --public-url). SIGINT or SIGTERM stops it gracefully.

Examples:
  echo 'a long passphrase' | afkar serve user --db afkar.db --login admin --role admin
  afkar serve --db afkar.db --addr 127.0.0.1:8080 --wasm build/
  afkar serve --db afkar.db --addr :443 --cert fullchain.pem --key privkey.pem --wasm build/
  afkar serve --db afkar.db --addr 10.0.0.5:8080 --insecure-http --trusted-proxy 10.0.0.1 \
      --public-url https://stage.example.org --wasm build/
  afkar serve backup --db afkar.db --out afkar-$(date +%F).db

Flags:
`

func (e *env) serve(args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "user":
			return e.serveUser(args[1:])
		case "backup":
			return e.serveBackup(args[1:])
		case "check":
			return e.serveCheck(args[1:])
		case "wasm":
			return e.serveWasm(args[1:])
		}
	}
	flags := flag.NewFlagSet("serve", flag.ContinueOnError)
	flags.SetOutput(e.stderr)
	flags.Usage = func() { io.WriteString(flags.Output(), serveUsage); flags.PrintDefaults() }
	db := flags.String("db", "afkar.db", "the SQLite database `file`, created if missing")
	addr := flags.String("addr", "127.0.0.1:8080", "`address` to listen on (port 0: any free port, printed)")
	cert := flags.String("cert", "", "TLS certificate `file` (PEM); with --key")
	key := flags.String("key", "", "TLS key `file` (PEM); with --cert")
	insecure := flags.Bool("insecure-http", false, "allow plain HTTP on a non-loopback address (only behind a TLS-terminating proxy)")
	wasmDir := flags.String("wasm", "", "`dir`ectory of the calculator's engine, as afkar serve wasm --out DIR builds it (afkar.wasm, wasm_exec.js): the jurors' calculator and the public pages' recomputation need it")
	var proxies []netip.Prefix
	flags.Func("trusted-proxy", "a reverse proxy's address or `CIDR` (repeatable, or comma-separated): from these peers the client's address is taken from X-Forwarded-For (its right-most hop not a trusted proxy), which the rate limits count per client", func(v string) error {
		for part := range strings.SplitSeq(v, ",") {
			part = strings.TrimSpace(part)
			p, err := netip.ParsePrefix(part)
			if err != nil {
				a, aerr := netip.ParseAddr(part)
				if aerr != nil {
					return fmt.Errorf("%q is neither a CIDR nor an address", part)
				}
				p = netip.PrefixFrom(a, a.BitLen())
			}
			proxies = append(proxies, p.Masked())
		}
		return nil
	})
	publicURL := flags.String("public-url", "", "the `URL` (scheme and host, e.g. https://stage.example.org) that jurors' join links and QR codes start with; by default the request's host, over https with --cert or --insecure-http (TLS terminated in front)")
	sessionTTL := flags.Duration("session-ttl", 12*time.Hour, "how long a session lasts")
	rest, err := parseFlags(flags, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return &usageError{fmt.Sprintf("serve takes no arguments, found %q", rest)}
	}
	if (*cert == "") != (*key == "") {
		return &usageError{"--cert and --key go together"}
	}
	useTLS := *cert != ""
	if !useTLS && !*insecure && !loopback(*addr) {
		return &usageError{fmt.Sprintf("%s is not a loopback address: give --cert and --key, or --insecure-http behind a TLS proxy", *addr)}
	}
	var public *url.URL
	if *publicURL != "" {
		if public, err = stagehttp.ParsePublicURL(*publicURL); err != nil {
			return &usageError{"--public-url " + err.Error()}
		}
	}
	var calculator http.Handler
	if *wasmDir != "" {
		for _, name := range []string{"afkar.wasm", "wasm_exec.js"} {
			if _, err := os.Stat(*wasmDir + "/" + name); err != nil {
				return fmt.Errorf("--wasm %s: %w", *wasmDir, err)
			}
		}
		calculator = widget.Handler(*wasmDir)
	}
	log := slog.New(slog.NewTextHandler(e.stderr, nil))
	store, err := sqlite.Open(e.ctx, *db, sqlite.Config{})
	if err != nil {
		return err
	}
	defer store.Close()
	srv := stagehttp.New(stagehttp.Config{Store: store, Log: log, SessionTTL: *sessionTTL, Widget: calculator, TLS: useTLS,
		TrustedProxies: proxies, ProxyTLS: *insecure, PublicURL: public})
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       60 * time.Second, // a 32 MiB import on a slow line
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	scheme := "http"
	if useTLS {
		scheme = "https"
		pair, err := tls.LoadX509KeyPair(*cert, *key)
		if err != nil {
			ln.Close()
			return fmt.Errorf("TLS: %w", err)
		}
		hs.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{pair}}
		ln = tls.NewListener(ln, hs.TLSConfig)
	}
	fmt.Fprintf(e.stdout, "afkar: serving %s on %s://%s/\n", *db, scheme, ln.Addr())
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-e.ctx.Done():
	}
	// Requests in flight finish (10 s at most); every change they make is
	// a committed transaction or none.
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	fmt.Fprintln(e.stdout, "afkar: stopped")
	return nil
}

// loopback reports whether addr listens on a loopback address only.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (e *env) serveUser(args []string) error {
	fs := flag.NewFlagSet("serve user", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	db := fs.String("db", "afkar.db", "the database `file`")
	login := fs.String("login", "", "the account's login")
	role := fs.String("role", "", "admin, organiser or observer")
	stageID := fs.Int64("stage", 0, "the stage of an organiser or observer; 0: every stage")
	name := fs.String("name", "", "the person's name")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	r := stage.Role(*role)
	if !r.Valid() || r == stage.RoleJuror {
		return &usageError{"--role is admin, organiser or observer (jurors come in with codes)"}
	}
	pw, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	hash, err := stagehttp.HashPassword(strings.TrimRight(pw, "\r\n"), stagehttp.Argon2{})
	if err != nil {
		return &usageError{err.Error()}
	}
	store, err := sqlite.Open(e.ctx, *db, sqlite.Config{})
	if err != nil {
		return err
	}
	defer store.Close()
	u, err := store.CreateUser(e.ctx, stage.User{Login: *login, Name: *name, Role: r, Stage: *stageID, PasswordHash: hash}, stage.Actor{Login: "afkar serve user"})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "user %d: %s (%s)\n", u.ID, u.Login, u.Role)
	return nil
}

func (e *env) serveBackup(args []string) error {
	fs := flag.NewFlagSet("serve backup", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	db := fs.String("db", "afkar.db", "the database `file`")
	out := fs.String("out", "", "the copy's `file`; must not exist")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return &usageError{"--out is required"}
	}
	if err := sqlite.Backup(e.ctx, *db, *out); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "afkar: %s copied to %s (integrity checked)\n", *db, *out)
	return nil
}

func (e *env) serveCheck(args []string) error {
	fs := flag.NewFlagSet("serve check", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	db := fs.String("db", "afkar.db", "the database `file`")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if _, err := os.Stat(*db); err != nil {
		return err
	}
	if err := sqlite.IntegrityCheck(e.ctx, *db); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "ok")
	return nil
}

func (e *env) serveWasm(args []string) error {
	fs := flag.NewFlagSet("serve wasm", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	out := fs.String("out", "", "the `dir`ectory to write afkar.wasm and wasm_exec.js to")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return &usageError{"--out is required"}
	}
	root, err := widget.ModuleRoot(e.ctx, ".")
	if err != nil {
		return fmt.Errorf("the engine is built from a checkout of github.com/afkarlab/afkar: %w", err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	if err := widget.Build(e.ctx, root, *out); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "afkar: the engine is in %s: afkar serve --wasm %s\n", *out, *out)
	return nil
}
