//go:build unix

package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// pipeReader reads a named pipe for a test: it opens it for reading and
// writing (which does not wait for a writer, and holds the pipe itself,
// whatever becomes of its path) and reads it until read returns the text
// read once the writer is done.
func pipeReader(t *testing.T, fifo string) (read func() string) {
	t.Helper()
	f, err := os.OpenFile(fifo, os.O_RDWR, 0)
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	got := make(chan []byte, 1)
	go func() {
		var all []byte
		buf := make([]byte, 64<<10)
		for {
			n, err := f.Read(buf)
			all = append(all, buf[:n]...)
			if err != nil {
				got <- all
				return
			}
		}
	}()
	return func() string {
		// The writer has written all and gone: what is left in the pipe
		// comes at once.
		require.NoError(t, f.SetReadDeadline(time.Now().Add(500*time.Millisecond)))
		return string(<-got)
	}
}

// TestOutputToSpecialFiles: -o and --svg write into a named pipe and a
// character device, which stay what they are; before, they were replaced
// by regular files (as root, "afkar rank -o /dev/null" replaced
// /dev/null). The device is a private /dev/null (made with mknod), never
// the real one; the test skips it where devices cannot be made.
func TestOutputToSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	dataset := conformance + "037/dataset.json"
	want := afkarCmd(t, "", "rank", "--format", "json", dataset)
	require.Equal(t, 0, want.code, want.stderr)

	for _, args := range [][]string{{"rank", "--format", "json", "-o"}, {"analyze", "--svg"}} {
		fifo := filepath.Join(dir, args[0]+".fifo")
		require.NoError(t, syscall.Mkfifo(fifo, 0o600))
		read := pipeReader(t, fifo)
		r := afkarCmd(t, "", append(args, fifo, dataset)...)
		require.Equal(t, 0, r.code, r.stderr)
		got := read()
		if args[0] == "rank" {
			require.Equal(t, want.stdout, got)
		} else {
			require.Contains(t, got, "<svg")
		}
		fi, err := os.Lstat(fifo)
		require.NoError(t, err)
		require.NotZero(t, fi.Mode()&fs.ModeNamedPipe, "still a pipe, not %v", fi.Mode())
	}

	null := filepath.Join(dir, "null")
	if err := syscall.Mknod(null, syscall.S_IFCHR|0o666, 1<<8|3); err != nil {
		t.Skipf("cannot make a device here: %v", err)
	}
	r := afkarCmd(t, "", "rank", "-o", null, dataset)
	require.Equal(t, 0, r.code, r.stderr)
	fi, err := os.Lstat(null)
	require.NoError(t, err)
	require.NotZero(t, fi.Mode()&fs.ModeCharDevice, "still a character device, not %v", fi.Mode())
	b, err := os.ReadFile(null)
	require.NoError(t, err)
	require.Empty(t, b, "still /dev/null")

	r = afkarCmd(t, "", "rank", "-o", dir, dataset)
	require.Equal(t, 1, r.code)
	require.Equal(t, "afkar: writing "+dir+": it is a directory (expected a regular file to replace, a character device or a named pipe)\n", r.stderr)
}
