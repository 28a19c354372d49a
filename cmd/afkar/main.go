// Command afkar scores and ranks the project ideas of an ideathon, exactly,
// by the rules of the Afkar dataset contract (SPEC.md).
//
// Usage:
//
//	afkar rank     [flags] [DATASET|-]   rank a dataset; none given: the built-in sample
//	afkar validate [flags] DATASET|-     exit 0 when valid, else 2 and the problems
//	afkar analyze  [flags] [DATASET|-]   judge agreement (alpha, ICC) and leniency
//	afkar sensitivity [flags] [DATASET|-]  would the selection change under other weights?
//	afkar compare  [flags] RESULT_A RESULT_B  rank correlation of two results
//	afkar convert  [flags] [DATASET|-]   CSV files to a JSON dataset, or back
//	afkar tour     build|verify [flags] TOUR  seal a tour of stages, or verify one
//	afkar feedback [flags] --out DIR [DATASET|-]  a printable report for every idea (ar/fr/en)
//	afkar version                       the version, and the formats read and written
//	afkar serve    [flags]               the stage server (accounts, jurors' phones, publication)
//
// Run "afkar COMMAND -h" for a command's flags and an example.
//
// Exit codes: 0 success, 2 invalid input (every problem on stderr, one per
// line, as "path: message" or "FILE:LINE:COLUMN: message"), 1 anything else.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/internal/freetext"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1
	exitInvalid = 2
)

func main() {
	// A batch command's heap is mostly its input, live to the end:
	// collecting after 50% of growth rather than Go's 100% lowers the
	// peak (10M projects: 6.9 GB instead of 8.1) at no cost in time
	// measurable on this work (see BENCHMARKS.md). The stage server, a
	// long run with a small heap, keeps Go's default; GOGC, when set,
	// decides for every command.
	if os.Getenv("GOGC") == "" && (len(os.Args) < 2 || os.Args[1] != "serve") {
		debug.SetGCPercent(gcPercent)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// gcPercent is the GOGC the batch commands run with when the
// environment sets none.
const gcPercent = 50

const usage = `afkar scores and ranks cooperative project ideas exactly (dataset format afkar/1).

Usage:
  afkar rank     [flags] [DATASET|-]   rank a dataset; none given: the built-in sample
  afkar validate [flags] DATASET|-     exit 0 when valid, else 2 and the problems
  afkar analyze  [flags] [DATASET|-]   judge agreement (alpha, ICC) and leniency
  afkar sensitivity [flags] [DATASET|-]  would the selection change under other weights?
  afkar compare  [flags] RESULT_A RESULT_B  rank correlation of two results
  afkar convert  [flags] [DATASET|-]   CSV files to a JSON dataset, or back
  afkar tour     build|verify [flags] TOUR  seal a tour of stages, or verify one
  afkar feedback [flags] --out DIR [DATASET|-]  a printable report for every idea (ar/fr/en)
  afkar version                       the version, and the formats read and written
  afkar serve    [flags]               the stage server (accounts, jurors' phones, publication)

Every command that reads a dataset also reads CSV files: --scores,
--projects and --judges (see "afkar rank -h").
Run "afkar COMMAND -h" for a command's flags and an example.
Exit codes: 0 success, 2 invalid input (problems on stderr), 1 anything else.
`

// run is the whole command, with its environment passed in; it returns the
// exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitInvalid
	}
	env := &env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr}
	var err error
	switch args[0] {
	case "rank":
		err = env.rank(args[1:])
	case "validate":
		err = env.validate(args[1:])
	case "analyze":
		err = env.analyze(args[1:])
	case "sensitivity":
		err = env.sensitivity(args[1:])
	case "compare":
		err = env.compare(args[1:])
	case "convert":
		err = env.convert(args[1:])
	case "tour":
		err = env.tour(args[1:])
	case "feedback":
		err = env.feedback(args[1:])
	case "version", "-version", "--version":
		err = env.version(args[1:])
	case "serve":
		err = env.serve(args[1:])
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(stderr, "afkar: unknown command %q\n\n%s", args[0], usage)
		return exitInvalid
	}
	return report(stderr, err)
}

// env is what a command reads and writes.
type env struct {
	ctx            context.Context
	stdin          io.Reader
	stdout, stderr io.Writer
	// limits bound the inputs (afkar.Limits); the zero Limits, as the
	// command runs, applies the defaults.
	limits afkar.Limits
}

// invalidError is invalid input: its lines are printed as they are, and the
// exit code is 2.
type invalidError struct{ lines []string }

func (e *invalidError) Error() string { return fmt.Sprint(e.lines) }

// usageError is a mistake in the command line: exit code 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// report writes err to stderr and returns the exit code. Its lines quote
// the input, which may hold anything: they are shown
// (freetext.Visible), never acting on the terminal.
func report(stderr io.Writer, err error) int {
	var inv *invalidError
	var use *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errHelp):
		return exitOK
	case errors.As(err, &inv):
		for _, l := range inv.lines {
			fmt.Fprintln(stderr, freetext.Visible(l))
		}
		return exitInvalid
	case errors.As(err, &use):
		fmt.Fprintln(stderr, "afkar: "+freetext.Visible(use.msg))
		return exitInvalid
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "afkar: interrupted; nothing was written")
		return exitFailure
	}
	fmt.Fprintln(stderr, "afkar: "+freetext.Visible(err.Error()))
	return exitFailure
}

var errHelp = errors.New("help requested")
