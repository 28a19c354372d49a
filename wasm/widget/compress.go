package widget

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/andybalholm/brotli"
)

// The two built files, and the suffixes of their compressed copies.
const (
	wasmFile = "afkar.wasm"
	execFile = "wasm_exec.js"
	brSuffix = ".br"
	gzSuffix = ".gz"
)

// brotliQuality and brotliWindow are brotli's best: quality 11 with a
// 16 MiB window (the most that RFC 7932 decoders must accept), which
// makes the engine 27% smaller than gzip -9 does.
const (
	brotliQuality = 11
	brotliWindow  = 24
)

// brotliCacheVersion names the compressor's settings in the cache keys:
// change it with brotliQuality, brotliWindow or the brotli module.
const brotliCacheVersion = "andybalholm-brotli-1.2.0-q11-w24"

// cacheMaxAge is how long a cached compression is kept unused: writing a
// new one removes those older (a file's time is its last use, renewed at
// most once an hour), as the Go build cache trims its own.
const (
	cacheMaxAge  = 30 * 24 * time.Hour
	cacheRenewal = time.Hour
)

// compressBrotli returns data compressed at brotliQuality.
func compressBrotli(data []byte) []byte {
	var buf bytes.Buffer
	w := brotli.NewWriterOptions(&buf, brotli.WriterOptions{Quality: brotliQuality, LGWin: brotliWindow})
	w.Write(data) // a bytes.Buffer does not fail
	w.Close()
	return buf.Bytes()
}

// compressGzip returns data compressed at gzip's best level, with no name
// and no time in the header, so the same input gives the same bytes.
func compressGzip(data []byte) []byte {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // a valid level
	w.Write(data)                                           // a bytes.Buffer does not fail
	w.Close()
	return buf.Bytes()
}

// brotliCacheDir is where Build keeps brotli files between builds, or ""
// when the user has no cache directory.
func brotliCacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "afkar", "widget")
}

// compressBuild writes name.br and name.gz next to each of dir's files
// names, compressing them in parallel (the engine's brotli is the long
// part). cacheDir, when not empty, keeps brotli outputs between builds.
func compressBuild(ctx context.Context, dir string, names []string, cacheDir string) error {
	var wg sync.WaitGroup
	errs := make([]error, 2*len(names))
	for i, name := range names {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return fmt.Errorf("compressing the build: %w", err)
		}
		wg.Go(func() {
			errs[2*i] = writeFile(filepath.Join(dir, name+brSuffix), cachedBrotli(ctx, data, cacheDir))
		})
		wg.Go(func() {
			errs[2*i+1] = writeFile(filepath.Join(dir, name+gzSuffix), compressGzip(data))
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("compressing the build: %w", err)
	}
	return errors.Join(errs...)
}

func writeFile(path string, data []byte) error {
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("compressing the build: %w", err)
	}
	return nil
}

// cachedBrotli returns data compressed with brotli, from cacheDir when an
// earlier call compressed the same bytes, and keeps a new result there.
// The cache is only a shortcut: a file that cannot be read back, or does
// not decompress to data, is compressed again, and a failure to write one
// is ignored.
func cachedBrotli(ctx context.Context, data []byte, cacheDir string) []byte {
	if cacheDir == "" {
		return compressBrotli(data)
	}
	h := sha256.New()
	h.Write([]byte(brotliCacheVersion + "\n"))
	h.Write(data)
	path := filepath.Join(cacheDir, hex.EncodeToString(h.Sum(nil))+brSuffix)
	if cached, err := os.ReadFile(path); err == nil && decompressesTo(cached, data) {
		if fi, err := os.Stat(path); err == nil && time.Since(fi.ModTime()) > cacheRenewal {
			now := time.Now()
			os.Chtimes(path, now, now) // a failure only shortens the file's life
		}
		return cached
	}
	out := compressBrotli(data)
	if ctx.Err() != nil {
		return out
	}
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return out
	}
	// Write to a temporary name and rename, so that a concurrent Build
	// never reads half a file.
	tmp, err := os.CreateTemp(cacheDir, "tmp-*")
	if err != nil {
		return out
	}
	_, werr := tmp.Write(out)
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), path) != nil {
		os.Remove(tmp.Name())
	}
	trimCache(cacheDir, time.Now().Add(-cacheMaxAge))
	return out
}

// trimCache removes the files of dir last used before cutoff.
func trimCache(dir string, cutoff time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if fi, err := e.Info(); err == nil && fi.Mode().IsRegular() && fi.ModTime().Before(cutoff) {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// decompressesTo reports whether the brotli stream br decodes to want.
func decompressesTo(br, want []byte) bool {
	var got bytes.Buffer
	got.Grow(len(want))
	if _, err := got.ReadFrom(brotli.NewReader(bytes.NewReader(br))); err != nil {
		return false
	}
	return bytes.Equal(got.Bytes(), want)
}
