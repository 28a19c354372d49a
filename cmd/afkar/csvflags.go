package main

import (
	"flag"
	"fmt"
	"strconv"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/spreadsheet"
)

// inputFlags are the CSV inputs that every command reading a dataset
// takes, and how to read them.
type inputFlags struct {
	scores, projects, judges string
	// delimiter is "" (detect), ",", ";" or "tab", as given.
	delimiter string
	// decimalComma, when set, says whether decimals are written 15,5
	// (true) or 15.5 (false); unset, either is read.
	decimalComma optBool
	// extraAsAttributes reads unknown projects columns as attributes.
	extraAsAttributes bool
	// limits raise or lower afkar.Limits: a zero field keeps the limit
	// the command runs with.
	limits afkar.Limits
	// evaluated says that the command evaluates the dataset at once,
	// which validates it: a JSON dataset is then not validated as it is
	// decoded too (afkar.DecodeOptions.NoValidate).
	evaluated bool
}

// csvInputUsage describes the CSV inputs in a command's help.
const csvInputUsage = `Scores may come from CSV instead: --scores with the header
project,judge,criterion,score (long form) or project,judge,<criterion ids…>
(wide form), --projects with the header id and any of
title,region,sector,cooperative,submitted_at and attributes.<key> columns,
--judges with the header id and any of name,cooperative,conflicts,abstains
(conflicts separated by | or ; inside the cell). The rubric and ranking
rules then come from DATASET (which needs no projects or scores; any it
has are replaced), or from the built-in sample when no DATASET is given.
Without --projects, the projects are the distinct projects of the scores,
in order of first appearance. Files from Excel in any locale, Google
Sheets and LibreOffice are read as they are: ',', ';' or tab between
cells (found in the header), decimal points or commas, with or without a
byte order mark; other columns are ignored, with a notice naming them.
`

// register defines the flags on fs.
func (f *inputFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.scores, "scores", "", "read the scores from CSV `FILE` (long or wide form)")
	fs.StringVar(&f.projects, "projects", "", "read the projects from CSV `FILE`")
	fs.StringVar(&f.judges, "judges", "", "read the judges and their conflicts from CSV `FILE`")
	fs.StringVar(&f.delimiter, "delimiter", "", "the CSV inputs' `delimiter`: ',', ';' or tab (default: found in each file's header)")
	fs.Var(&f.decimalComma, "decimal-comma", "the CSV inputs' decimals are written 15,5 (=false: 15.5) (default: either)")
	fs.BoolVar(&f.extraAsAttributes, "extra-as-attributes", false, "read every projects column that names no field as an attribute of that name\n(default: only attributes.<key> columns)")
	d := afkar.DefaultLimits()
	limit := func(name string, field *int, def int, what string) {
		fs.Func(name, fmt.Sprintf("accept up to `N` %s (default %d: afkar.Limits)", what, def), func(v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n <= 0 {
				return fmt.Errorf("expected a whole number above 0, found %q", v)
			}
			*field = n
			return nil
		})
	}
	limit("max-bytes", &f.limits.MaxBytes, d.MaxBytes, "bytes in an input file")
	limit("max-projects", &f.limits.MaxProjects, d.MaxProjects, "projects")
	limit("max-scores", &f.limits.MaxScores, d.MaxScores, "scores")
	limit("max-head-to-head-pairs", &f.limits.MaxHeadToHeadPairs, d.MaxHeadToHeadPairs, "pairs of ballots compared by the head_to_head tie-break")
}

// over returns l with the limits the flags set.
func (f *inputFlags) over(l afkar.Limits) afkar.Limits {
	for _, x := range []struct {
		dst *int
		v   int
	}{
		{&l.MaxBytes, f.limits.MaxBytes}, {&l.MaxProjects, f.limits.MaxProjects},
		{&l.MaxScores, f.limits.MaxScores}, {&l.MaxHeadToHeadPairs, f.limits.MaxHeadToHeadPairs},
	} {
		if x.v != 0 {
			*x.dst = x.v
		}
	}
	return l
}

// check reports what the flags cannot mean.
func (f *inputFlags) check() error {
	if f.scores == "" {
		switch {
		case f.projects != "":
			return &usageError{"--projects goes with --scores"}
		case f.judges != "":
			return &usageError{"--judges goes with --scores"}
		}
	}
	_, err := parseDelimiter("--delimiter", f.delimiter)
	return err
}

// dialect returns the dialect the flags ask the readers for: zero fields
// are detected.
func (f *inputFlags) dialect() spreadsheet.Dialect {
	var d spreadsheet.Dialect
	d.Comma, _ = parseDelimiter("", f.delimiter) // checked
	if f.decimalComma.set {
		d.Decimal = '.'
		if f.decimalComma.v {
			d.Decimal = ','
		}
	}
	return d
}

// options returns the options to read the file name with.
func (f *inputFlags) options(name string, criteria []string) spreadsheet.Options {
	return spreadsheet.Options{Name: name, Dialect: f.dialect(), Criteria: criteria, ExtraAsAttributes: f.extraAsAttributes}
}

// outputFlags set the dialect of the CSV files a command writes; unset,
// they follow the dialect of the scores read (so that the spreadsheet that
// wrote them opens the answer), or the canonical one.
type outputFlags struct {
	delimiter         string // "" (follow), ",", ";" or "tab"
	decimalComma, bom optBool
}

// register defines the flags on fs.
func (f *outputFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.delimiter, "out-delimiter", "", "the CSV output's `delimiter`: ',', ';' or tab (default: the scores CSV's, else ',')")
	fs.Var(&f.decimalComma, "out-decimal-comma", "write the CSV output's decimals 15,5 (=false: 15.5) (default: as the scores CSV, else 15.5)")
	fs.Var(&f.bom, "out-bom", "start the CSV output with a byte order mark, which Excel needs for Arabic (default: as the scores CSV, else no)")
}

// given reports whether any of the flags was given.
func (f *outputFlags) given() bool { return f.delimiter != "" || f.decimalComma.set || f.bom.set }

// check reports what the flags cannot mean.
func (f *outputFlags) check() error {
	_, err := parseDelimiter("--out-delimiter", f.delimiter)
	return err
}

// dialect returns the dialect to write in: in, the dialect of the scores
// read (zero without a scores CSV), with what the flags set.
func (f *outputFlags) dialect(in spreadsheet.Dialect) spreadsheet.Dialect {
	d := in
	if r, _ := parseDelimiter("", f.delimiter); r != 0 { // checked
		d.Comma = r
	}
	if f.decimalComma.set {
		d.Decimal = '.'
		if f.decimalComma.v {
			d.Decimal = ','
		}
	}
	if f.bom.set {
		d.BOM = f.bom.v
	}
	if d.Comma == 0 {
		d.Comma = ','
	}
	if d.Decimal == 0 {
		d.Decimal = '.'
	}
	return d
}

// parseDelimiter reads a delimiter flag's value: "" (none), ",", ";",
// "tab" or a tab; flag names the flag in the error.
func parseDelimiter(flag, s string) (rune, error) {
	switch s {
	case "":
		return 0, nil
	case ",", "comma":
		return ',', nil
	case ";", "semicolon":
		return ';', nil
	case "tab", "\t", `\t`:
		return '\t', nil
	}
	return 0, &usageError{fmt.Sprintf("%s: expected ',', ';' or tab, found %q", flag, s)}
}

// optBool is a boolean flag that knows whether it was given:
// "--decimal-comma", "--decimal-comma=false", or neither.
type optBool struct{ set, v bool }

func (b *optBool) String() string {
	if b == nil || !b.set {
		return ""
	}
	return strconv.FormatBool(b.v)
}

func (b *optBool) Set(s string) error {
	v, err := strconv.ParseBool(s)
	if err != nil {
		return fmt.Errorf("expected true or false, found %q", s)
	}
	b.set, b.v = true, v
	return nil
}

// IsBoolFlag lets the flag be given without a value.
func (b *optBool) IsBoolFlag() bool { return true }
