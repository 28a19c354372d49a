// Package atomicfile replaces files whole or not at all.
package atomicfile

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Write replaces the file at path with data: it writes a temporary file in
// the same directory, syncs it to disk, and renames it over path, so that a
// reader, a crash or a failed run never sees a partial file. The new file
// has mode perm, or the mode of the file it replaces. A symbolic link is
// followed: the file it names is replaced, and the link kept.
//
// Only a regular file (or nothing) is replaced. A character device (such
// as /dev/null or a terminal) or a named pipe at path has nothing to
// replace, and replacing it would destroy it: data is written to it as it
// is, as a shell's redirection would. Anything else (a directory, a
// block device, a socket) is an error that names what path is, and is
// left as it was.
func Write(path string, data []byte, perm os.FileMode) error {
	return WriteFunc(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteFunc replaces the file at path, as [Write] does, with what write
// writes to w (buffered): for output too large to hold whole. If write
// returns an error, the file at path is left as it was and the error is
// returned. Into a character device or a named pipe, what write wrote
// before failing has been written.
func WriteFunc(path string, perm os.FileMode, write func(w io.Writer) error) (err error) {
	fi, err := os.Stat(path) // through links
	switch {
	case err == nil && !fi.Mode().IsRegular():
		return writeThrough(path, fi.Mode(), write)
	case err == nil:
		perm = fi.Mode().Perm()
		if target, err := filepath.EvalSymlinks(path); err == nil {
			path = target
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := writeBuffered(tmp, write); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Chmod(perm); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// writeBuffered runs write on a buffer in front of f, and flushes it.
func writeBuffered(f *os.File, write func(w io.Writer) error) error {
	bw := bufio.NewWriterSize(f, 1<<16)
	if err := write(bw); err != nil {
		return err
	}
	return bw.Flush()
}

// writeThrough writes what write writes to path, a file of the given mode
// that is not regular: into a character device or a named pipe, as it is;
// anything else is refused.
func writeThrough(path string, mode fs.FileMode, write func(w io.Writer) error) error {
	var what string
	switch {
	case mode&fs.ModeCharDevice != 0, mode&fs.ModeNamedPipe != 0:
		// No O_CREATE: the file is there; no O_TRUNC: a device or pipe
		// has nothing to truncate.
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
		if err := writeBuffered(f, write); err != nil {
			f.Close()
			return fmt.Errorf("writing %s: %w", path, err)
		}
		if err := f.Close(); err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
		return nil
	case mode.IsDir():
		what = "a directory"
	case mode&fs.ModeDevice != 0:
		what = "a block device"
	case mode&fs.ModeSocket != 0:
		what = "a socket"
	default:
		what = "not a regular file"
	}
	return fmt.Errorf("writing %s: it is %s (expected a regular file to replace, a character device or a named pipe)", path, what)
}
