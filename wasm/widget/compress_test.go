package widget

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/stretchr/testify/require"
)

func TestCompressBuild(t *testing.T) {
	dir := t.TempDir()
	data := bytes.Repeat([]byte("afkar "), 1000)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.txt"), data, 0o644))
	require.NoError(t, compressBuild(context.Background(), dir, []string{"a.txt"}, ""))

	br, err := os.ReadFile(filepath.Join(dir, "a.txt.br"))
	require.NoError(t, err)
	got, err := io.ReadAll(brotli.NewReader(bytes.NewReader(br)))
	require.NoError(t, err)
	require.Equal(t, data, got)

	gz, err := os.ReadFile(filepath.Join(dir, "a.txt.gz"))
	require.NoError(t, err)
	r, err := gzip.NewReader(bytes.NewReader(gz))
	require.NoError(t, err)
	got, err = io.ReadAll(r)
	require.NoError(t, err)
	require.Equal(t, data, got)
	require.Equal(t, compressGzip(data), gz, "gzip output is the same for the same input")

	require.Error(t, compressBuild(context.Background(), dir, []string{"missing"}, ""))
}

func TestCachedBrotli(t *testing.T) {
	ctx := context.Background()
	cache := t.TempDir()
	data := bytes.Repeat([]byte("the cache keeps what brotli made "), 100)
	first := cachedBrotli(ctx, data, cache)
	entries, err := os.ReadDir(cache)
	require.NoError(t, err)
	require.Len(t, entries, 1, "one file, named after the input")
	path := filepath.Join(cache, entries[0].Name())

	// A second call reads the file: put another encoding of the same
	// input there (quality 1), and see it come back.
	var fast bytes.Buffer
	w := brotli.NewWriterLevel(&fast, 1)
	_, err = w.Write(data)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	require.NotEqual(t, first, fast.Bytes())
	require.NoError(t, os.WriteFile(path, fast.Bytes(), 0o644))
	require.Equal(t, fast.Bytes(), cachedBrotli(ctx, data, cache), "the cached file is used")

	// A file that does not decode to the input is made again, and replaced.
	for _, bad := range [][]byte{[]byte("not brotli"), compressBrotli([]byte("other input"))} {
		require.NoError(t, os.WriteFile(path, bad, 0o644))
		require.Equal(t, first, cachedBrotli(ctx, data, cache))
		again, err := os.ReadFile(path)
		require.NoError(t, err)
		require.Equal(t, first, again)
	}

	// Use renews a file's time, at most once an hour.
	old := time.Now().Add(-2 * time.Hour)
	require.NoError(t, os.Chtimes(path, old, old))
	require.Equal(t, first, cachedBrotli(ctx, data, cache))
	fi, err := os.Stat(path)
	require.NoError(t, err)
	require.WithinDuration(t, time.Now(), fi.ModTime(), time.Minute)

	require.Equal(t, first, cachedBrotli(ctx, data, ""), "no cache: the same bytes")
	other := cachedBrotli(ctx, []byte("other"), cache)
	require.True(t, decompressesTo(other, []byte("other")))
	entries, err = os.ReadDir(cache)
	require.NoError(t, err)
	require.Len(t, entries, 2)

	// Writing a new file removes those unused for cacheMaxAge.
	stale := time.Now().Add(-cacheMaxAge - time.Hour)
	require.NoError(t, os.Chtimes(path, stale, stale))
	cachedBrotli(ctx, []byte("a third input"), cache)
	_, err = os.Stat(path)
	require.ErrorIs(t, err, os.ErrNotExist)
	entries, err = os.ReadDir(cache)
	require.NoError(t, err)
	require.Len(t, entries, 2)
}
