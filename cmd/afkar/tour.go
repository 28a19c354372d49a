package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/afkarlab/afkar/tour"
)

const tourUsage = `Usage: afkar tour build  [flags] TOUR
       afkar tour verify [flags] TOUR

A tour document (format afkar-tour/1, see docs/tour.md) lists the stages of
an ideathon tour, each with its dataset file (a path relative to the tour
file's folder) and the digests of that dataset and of its result, the
advancement rule to the final, and the projects that advanced.

build evaluates every stage, writes the final's dataset skeleton (the
advanced projects, the first stage's rubric and ranking, no scores) to
standard output or -o, and the sealed tour (digests and advanced projects
filled in) to --seal.

verify evaluates every stage again and checks every digest and every
advanced project. It prints "verified" and exits 0, or prints every
mismatch, the first first, as "TOUR: path: message", and exits 2.

Both print a notice on standard error for each advancement cut-off that
only an id or a lottery decided.

Examples:
  afkar tour build --seal tour.json -o final.json tour-draft.json
  afkar tour verify tour.json

Flags:
`

func (e *env) tour(args []string) error {
	if len(args) == 0 || (args[0] != "build" && args[0] != "verify") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
			fmt.Fprint(e.stderr, tourUsage)
			return errHelp
		}
		return &usageError{"tour takes a subcommand: build or verify"}
	}
	sub := args[0]
	var out, seal string
	fs := flag.NewFlagSet("tour "+sub, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	if sub == "build" {
		fs.StringVar(&out, "o", "", "write the final's dataset skeleton to `FILE` (replaced only when it is ready)")
		fs.StringVar(&seal, "seal", "", "write the sealed tour to `FILE` (replaced only when it is ready)")
	}
	fs.Usage = func() { fmt.Fprint(fs.Output(), tourUsage); fs.PrintDefaults() }
	rest, err := parseFlags(fs, args[1:])
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return &usageError{fmt.Sprintf("tour %s takes one tour file, found %d", sub, len(rest))}
	}
	name := rest[0]
	data, err := e.readInput(name)
	if err != nil {
		return err
	}
	t, err := tour.Decode(data)
	if err != nil {
		return prefixed(name, err)
	}
	dir := "."
	if name != "-" {
		dir = filepath.Dir(name)
	}
	fsys := os.DirFS(dir)
	if sub == "build" {
		built, err := tour.Build(e.ctx, t, fsys)
		if err != nil {
			return prefixed(name, err)
		}
		e.ties(built.Ties)
		if seal != "" {
			sealed, _ := built.Tour.MarshalJSON()
			if err := e.emit(seal, sealed); err != nil {
				return err
			}
		}
		final, err := built.Final.MarshalJSON()
		if err != nil {
			return err
		}
		return e.emit(out, final)
	}
	rep, err := tour.Verify(e.ctx, t, fsys)
	if err != nil {
		return err
	}
	e.ties(rep.Ties)
	if !rep.OK() {
		return prefixed(name, rep.Mismatches)
	}
	fmt.Fprintf(e.stdout, "verified: %d stages, %d advanced projects\n", len(t.Stages), len(t.Advanced))
	return nil
}

// ties prints a notice for each cut-off that only an id or a lottery
// decided.
func (e *env) ties(ties []tour.Tie) {
	for _, t := range ties {
		where := "the last wildcard"
		if t.Cut == tour.ByTop {
			where = fmt.Sprintf("the top of stage %q", t.Stage)
		}
		fmt.Fprintf(e.stderr, "afkar: notice: at the cut of %s, %s advances ahead of %s by %s alone\n", where, t.In, t.Out, t.DecidedBy)
	}
}

// prefixed turns problems into invalid input, each line after the name
// of the file they are in.
func prefixed(name string, err error) error {
	if name == "-" {
		name = "standard input"
	}
	inv, ok := problemsError(err, nil).(*invalidError)
	if !ok {
		return err
	}
	for i, l := range inv.lines {
		inv.lines[i] = name + ": " + l
	}
	return inv
}
