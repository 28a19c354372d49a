package scoring

import (
	"fmt"
	"strings"
)

// Problem is one problem of an input, at a JSON path such as
// scores[12].score or criteria[2].weight.
type Problem struct {
	Path    string // where: a JSON path; "$" for the whole input
	Message string // what was expected and what was found, lowercase
}

// Error returns "path: message".
func (p Problem) Error() string { return p.Path + ": " + p.Message }

// Problems is every problem found in an input, in the order found.
type Problems []Problem

// Error returns the problems one per line.
func (ps Problems) Error() string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.Error())
	}
	return b.String()
}

// Unwrap returns the problems as errors, for errors.Is and errors.As.
func (ps Problems) Unwrap() []error {
	errs := make([]error, len(ps))
	for i, p := range ps {
		errs[i] = p
	}
	return errs
}

// Prefix returns the problems with prefix put before every path: the
// problems of a rubric become those of rubric.criteria[0].weight.
func (ps Problems) Prefix(prefix string) Problems {
	out := make(Problems, len(ps))
	for i, p := range ps {
		out[i] = Problem{Path: join(prefix, p.Path), Message: p.Message}
	}
	return out
}

func join(prefix, path string) string {
	switch {
	case prefix == "":
		return path
	case path == "" || path == "$":
		return prefix
	case path[0] == '[':
		return prefix + path
	}
	return prefix + "." + path
}

func problemf(path, format string, args ...any) Problem {
	return Problem{Path: path, Message: fmt.Sprintf(format, args...)}
}
