package main

import (
	"fmt"
	"os"
	"path/filepath"
)

// namedFile is a file the command line names: its flag ("-o",
// "--scores"; "" for the dataset argument) and its path ("-" for standard
// input).
type namedFile struct{ flag, path string }

// String names the file in a message: "--scores s.csv", "the dataset
// d.json", "standard input".
func (f namedFile) String() string {
	switch {
	case f.path == "-":
		return "standard input"
	case f.flag == "":
		return "the dataset " + f.path
	}
	return f.flag + " " + f.path
}

// files returns the inputs a command reads: the dataset named in rest (if
// any) and the CSV files of the flags.
func (f *inputFlags) files(rest []string) []namedFile {
	var out []namedFile
	for _, p := range rest {
		out = append(out, namedFile{"", p})
	}
	for _, nf := range []namedFile{{"--scores", f.scores}, {"--projects", f.projects}, {"--judges", f.judges}} {
		if nf.path != "" {
			out = append(out, nf)
		}
	}
	return out
}

// checkOutputs refuses, before any work, an output that is an input (the
// same file, by device and inode, whatever the path: "afkar rank -o
// d.json d.json" would replace the dataset with its result) or that
// another output names too (the second would replace the first). Outputs
// with an empty path are not written, and outputs that are not regular
// files (a terminal, /dev/null, a pipe) are written to, never replaced:
// they are not compared with the inputs.
func (e *env) checkOutputs(inputs, outputs []namedFile) error {
	for k, out := range outputs {
		if out.path == "" {
			continue
		}
		ofi, err := os.Stat(out.path)
		if err == nil && ofi.Mode().IsRegular() {
			for _, in := range inputs {
				if ifi, ok := e.stat(in.path); ok && os.SameFile(ofi, ifi) {
					return &usageError{fmt.Sprintf("%s is the same file as %s: writing it would replace that input (write to another file)", out, in)}
				}
			}
		}
		for _, other := range outputs[:k] {
			if other.path != "" && sameOutput(out.path, other.path) {
				return &usageError{fmt.Sprintf("%s is the same file as %s: one would replace the other", out, other)}
			}
		}
	}
	return nil
}

// stat returns what os.Stat says of an input, "-" being standard input
// when it is a file.
func (e *env) stat(path string) (os.FileInfo, bool) {
	if path == "-" {
		f, ok := e.stdin.(*os.File)
		if !ok {
			return nil, false
		}
		fi, err := f.Stat()
		return fi, err == nil
	}
	fi, err := os.Stat(path)
	return fi, err == nil
}

// sameOutput reports whether two outputs are one file: the same existing
// file, or the same path.
func sameOutput(a, b string) bool {
	afi, aerr := os.Stat(a)
	bfi, berr := os.Stat(b)
	if aerr == nil && berr == nil {
		return os.SameFile(afi, bfi)
	}
	abs := func(p string) string {
		if q, err := filepath.Abs(p); err == nil {
			return q
		}
		return filepath.Clean(p)
	}
	return abs(a) == abs(b)
}
