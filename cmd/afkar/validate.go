package main

import (
	"flag"
	"fmt"
)

const validateUsage = `Usage: afkar validate [flags] DATASET|-

Checks a dataset (JSON, format afkar/1) against every rule of the format.
Exits 0 when it is valid; otherwise prints every problem on stderr, one per
line as "path: message" and exits 2. With CSV inputs, a problem in a CSV
file is "FILE:LINE:COLUMN: message" (a wide row's problem once, a repeated
row naming the line of the first), and one in DATASET names it:
"rubric.json: path: message".

` + csvInputUsage + `
Examples:
  afkar validate dakhla.json
  afkar validate --scores notes.csv --projects ideas.csv --judges jury.csv rubric.json

Flags:
`

func (e *env) validate(args []string) error {
	var in inputFlags
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	in.register(fs)
	fs.Usage = func() { fmt.Fprint(fs.Output(), validateUsage); fs.PrintDefaults() }
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := in.check(); err != nil {
		return err
	}
	if len(rest) != 1 {
		return &usageError{"validate takes one dataset (a file, or - for standard input)"}
	}
	e.limits = in.over(e.limits)
	data, err := e.readInput(rest[0])
	if err != nil {
		return err
	}
	// Without CSV inputs, decoding validates.
	ds, src, err := e.loadCSV(data, rest[0], &in)
	if err != nil {
		return err
	}
	if err := ds.Validate(); err != nil {
		return problemsError(err, src)
	}
	fmt.Fprintln(e.stdout, "valid")
	return nil
}
