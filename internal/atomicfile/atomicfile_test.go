package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestWriteReplacesAndKeepsMode(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.json")
	require.NoError(t, os.WriteFile(path, []byte("old"), 0o600))
	require.NoError(t, Write(path, []byte("new"), 0o644))
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, "new", string(b))
	fi, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1, "no temporary file left behind")
}

func TestWriteIntoMissingDirectoryFails(t *testing.T) {
	err := Write(filepath.Join(t.TempDir(), "no", "such", "file"), []byte("x"), 0o644)
	require.Error(t, err)
}

// TestWriteRefusesDirectory: a directory is neither replaced nor written
// into, and the error says what it is.
func TestWriteRefusesDirectory(t *testing.T) {
	dir := t.TempDir()
	err := Write(dir, []byte("x"), 0o644)
	require.EqualError(t, err, "writing "+dir+": it is a directory (expected a regular file to replace, a character device or a named pipe)")
	fi, err := os.Stat(dir)
	require.NoError(t, err)
	require.True(t, fi.IsDir())
}

// TestWriteFollowsLinks: a link to a regular file replaces the file it
// names, and stays a link.
func TestWriteFollowsLinks(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "result.json")
	require.NoError(t, os.WriteFile(target, []byte("old"), 0o600))
	link := filepath.Join(dir, "latest.json")
	if err := os.Symlink("result.json", link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	require.NoError(t, Write(link, []byte("new"), 0o644))
	b, err := os.ReadFile(target)
	require.NoError(t, err)
	require.Equal(t, "new", string(b))
	fi, err := os.Lstat(link)
	require.NoError(t, err)
	require.NotZero(t, fi.Mode()&os.ModeSymlink, "still a link")
	fi, err = os.Stat(target)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
}

// TestWriteFuncFailureKeepsFile: a write that fails halfway, after more
// than a buffer's worth, leaves the old file whole and no temporary file.
func TestWriteFuncFailureKeepsFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	require.NoError(t, os.WriteFile(path, []byte("old"), 0o644))
	broken := errors.New("disk of the mind full")
	err := WriteFunc(path, 0o644, func(w io.Writer) error {
		for range 100 {
			if _, err := w.Write(make([]byte, 4096)); err != nil {
				return err
			}
		}
		return broken
	})
	require.ErrorIs(t, err, broken)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, "old", string(b))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1, "no temporary file left behind")
}

// TestWriteFuncStreams: what the function writes, in many small writes,
// is the file.
func TestWriteFuncStreams(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.csv")
	var want []byte
	require.NoError(t, WriteFunc(path, 0o640, func(w io.Writer) error {
		for i := range 50000 {
			line := []byte(strconv.Itoa(i) + "\n")
			want = append(want, line...)
			if _, err := w.Write(line); err != nil {
				return err
			}
		}
		return nil
	}))
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, want, b)
	fi, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o640), fi.Mode().Perm())
}
