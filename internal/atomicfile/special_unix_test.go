//go:build unix

package atomicfile

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
)

// NullDevice makes, in dir, a character device that is /dev/null in all
// but its path (major 1, minor 3), or skips the test where making devices
// is not permitted. Tests never write to the real /dev/null: were the
// code wrong, as root they would replace it for the whole machine.
func NullDevice(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "null")
	if err := syscall.Mknod(path, syscall.S_IFCHR|0o666, 1<<8|3); err != nil {
		t.Skipf("cannot make a device here: %v", err)
	}
	return path
}

// TestWriteThroughCharDevice: a character device is written to, not
// replaced: as root, "afkar rank -o /dev/null" used to turn /dev/null
// into a regular file.
func TestWriteThroughCharDevice(t *testing.T) {
	dir := t.TempDir()
	null := NullDevice(t, dir)
	require.NoError(t, Write(null, []byte("result"), 0o644))
	fi, err := os.Stat(null)
	require.NoError(t, err)
	require.NotZero(t, fi.Mode()&fs.ModeCharDevice, "still a character device, not %v", fi.Mode())
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1, "no temporary file")
}

// TestWriteThroughNamedPipe: a named pipe is written to, for its reader,
// and stays a pipe. The read end is opened first, without waiting, so
// that the test cannot hang whatever Write does.
func TestWriteThroughNamedPipe(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "out")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	fd, err := syscall.Open(fifo, syscall.O_RDONLY|syscall.O_NONBLOCK, 0)
	require.NoError(t, err)
	r := os.NewFile(uintptr(fd), fifo)
	defer r.Close()
	require.NoError(t, Write(fifo, []byte("result"), 0o644))
	got, err := io.ReadAll(r) // what the pipe holds; then EOF, the writer gone
	require.NoError(t, err)
	require.Equal(t, "result", string(got))
	fi, err := os.Lstat(fifo)
	require.NoError(t, err)
	require.NotZero(t, fi.Mode()&fs.ModeNamedPipe, "still a named pipe, not %v", fi.Mode())
}
