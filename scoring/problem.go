package scoring

import (
	"fmt"
	"strings"
)

// Problem is one problem of an input, at a JSON path such as
// scores[12].score or criteria[2].weight.
//
// Message is the English text, the reference the command line prints.
// Code and Params say the same for a program, such as a page that shows
// the problem in the reader's language: Code names its kind and Params
// the values the message names, by name (each [Code] constant lists its
// own). A problem not yet given a code has an empty Code and nil Params;
// show its Message. Params is shared, not copied, by the problems made
// from a problem ([Problems.Prefix]): treat it as read-only.
type Problem struct {
	Path    string // where: a JSON path; "$" for the whole input
	Message string // what was expected and what was found, lowercase
	Code    Code   // what kind of problem; "" if not yet coded
	Params  Params // the values Message names, by name; nil when none
}

// Params are the values a problem's message names, by parameter name
// ("value", "criterion", "min"...; see [Code]). Values are strings:
// decimals as the engine prints them, ids and JSON paths as they are.
// It marshals to a JSON object of strings.
type Params map[string]string

// ValueError is what is wrong with one value before it is placed at a
// path: [Rubric.CheckScore] returns one. Error returns the Message alone.
type ValueError struct {
	Code    Code
	Params  Params
	Message string
}

// Error returns the message.
func (e *ValueError) Error() string { return e.Message }

// At returns the problem at path.
func (e *ValueError) At(path string) Problem {
	return Problem{Path: path, Message: e.Message, Code: e.Code, Params: e.Params}
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
		p.Path = join(prefix, p.Path)
		out[i] = p
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

// problemf returns the problem at path with its code, params and the
// message format fills.
func problemf(path string, code Code, params Params, format string, args ...any) Problem {
	return Problem{Path: path, Message: fmt.Sprintf(format, args...), Code: code, Params: params}
}
