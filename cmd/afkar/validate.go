package main

import (
	"flag"
	"fmt"

	"github.com/afkarlab/afkar"
)

const validateUsage = `Usage: afkar validate DATASET|-

Checks a dataset (JSON, format afkar/1) against every rule of the format.
Exits 0 when it is valid; otherwise prints every problem on stderr, one per
line as "path: message", and exits 2.

Example:
  afkar validate dakhla.json
`

func (e *env) validate(args []string) error {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() { fmt.Fprint(fs.Output(), validateUsage); fs.PrintDefaults() }
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return &usageError{"validate takes one dataset (a file, or - for standard input)"}
	}
	data, err := e.readInput(rest[0])
	if err != nil {
		return err
	}
	if _, err := afkar.Decode(data); err != nil {
		return problemsError(err, nil)
	}
	fmt.Fprintln(e.stdout, "valid")
	return nil
}
