package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/analysis/correlation"
	"github.com/afkarlab/afkar/internal/freetext"
	"github.com/afkarlab/afkar/ranking"
)

const compareUsage = `Usage: afkar compare [flags] RESULT_A RESULT_B

Compares the overall ranks of two results (afkar-result/1 JSON, as
"afkar rank --format json" writes them) over the projects ranked in both:
Kendall's tau-b and Spearman's rho (ties get average ranks), their number
n, the projects ranked in one result only, and the 10 projects that moved
most. "-" reads one of the results from standard input.

Example:
  afkar rank --format json -o before.json dakhla.json
  afkar rank --format json -o after.json dakhla-reweighted.json
  afkar compare before.json after.json

Flags:
`

// compareMoves is the number of largest moves shown.
const compareMoves = 10

func (e *env) compare(args []string) error {
	var format, out string
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.StringVar(&format, "format", "table", "output `format`: table or json")
	fs.StringVar(&out, "o", "", "write the comparison to `FILE` (replaced only when it is ready)")
	fs.Usage = func() { fmt.Fprint(fs.Output(), compareUsage); fs.PrintDefaults() }
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := checkFormat(format); err != nil {
		return err
	}
	if len(rest) != 2 {
		return &usageError{fmt.Sprintf("compare takes two results (files, or - for standard input), found %d", len(rest))}
	}
	if rest[0] == "-" && rest[1] == "-" {
		return &usageError{"compare reads at most one result from standard input"}
	}
	if err := e.checkOutputs([]namedFile{{"", rest[0]}, {"", rest[1]}}, []namedFile{{"-o", out}}); err != nil {
		return err
	}
	var ranks [2][]correlation.Ranked
	var bad []string
	for i, name := range rest {
		data, err := e.readInput(name)
		if err != nil {
			return err
		}
		ranks[i], err = correlation.ReadRanks(data)
		var ps afkar.Problems
		switch {
		case errors.As(err, &ps):
			for _, p := range ps {
				bad = append(bad, name+": "+p.Error())
			}
		case err != nil:
			return err
		}
	}
	if len(bad) > 0 {
		return &invalidError{bad}
	}
	c := correlation.Compare(ranks[0], ranks[1])
	var buf bytes.Buffer
	if format == "json" {
		if err := writeCompareJSON(&buf, rest, c); err != nil {
			return err
		}
	} else {
		writeCompareTable(&buf, rest, c)
	}
	return e.emit(out, buf.Bytes())
}

// largestMoves returns the largest moves, at most compareMoves, leaving
// out projects that did not move.
func largestMoves(c correlation.Comparison) []correlation.Move {
	var out []correlation.Move
	for _, m := range c.Moves {
		if len(out) == compareMoves || m.By() == 0 {
			break
		}
		out = append(out, m)
	}
	return out
}

func writeCompareJSON(w io.Writer, names []string, c correlation.Comparison) error {
	type moveJSON struct {
		ID string       `json:"id"`
		A  ranking.Rank `json:"rank_a"`
		B  ranking.Rank `json:"rank_b"`
		By float64      `json:"by"`
	}
	doc := struct {
		A     string     `json:"a"`
		B     string     `json:"b"`
		N     int        `json:"n"`
		TauB  *float64   `json:"tau_b"`
		Rho   *float64   `json:"rho"`
		OnlyA []string   `json:"only_a"`
		OnlyB []string   `json:"only_b"`
		Moved []moveJSON `json:"moved"`
	}{A: names[0], B: names[1], N: c.N, TauB: number(c.TauB), Rho: number(c.Rho), OnlyA: c.OnlyA, OnlyB: c.OnlyB, Moved: []moveJSON{}}
	if doc.OnlyA == nil {
		doc.OnlyA = []string{}
	}
	if doc.OnlyB == nil {
		doc.OnlyB = []string{}
	}
	for _, m := range largestMoves(c) {
		doc.Moved = append(doc.Moved, moveJSON{m.ID, m.From, m.To, m.By()})
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

func writeCompareTable(w io.Writer, names []string, c correlation.Comparison) {
	// The ids come from the results read, which nothing checked: shown,
	// never acting on the terminal.
	fmt.Fprintf(w, "A: %s\nB: %s\n%d projects ranked in both.\n\n", freetext.Visible(names[0]), freetext.Visible(names[1]), c.N)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "Kendall's tau-b\t%s\n", fixed(c.TauB, 4))
	fmt.Fprintf(tw, "Spearman's rho\t%s\n", fixed(c.Rho, 4))
	tw.Flush()
	only := func(label string, ids []string) {
		if len(ids) > 0 {
			fmt.Fprintf(w, "Ranked in %s only (%d): %s\n", label, len(ids), freetext.Visible(strings.Join(ids, ", ")))
		}
	}
	only("A", c.OnlyA)
	only("B", c.OnlyB)
	moves := largestMoves(c)
	if len(moves) == 0 {
		fmt.Fprintln(w, "\nNo project moved.")
		return
	}
	fmt.Fprintf(w, "\nLargest moves (%d)\n", len(moves))
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "id\trank A\trank B\tmove (+: fell)")
	for _, m := range moves {
		by := strconv.FormatFloat(m.By(), 'f', -1, 64)
		if m.By() > 0 {
			by = "+" + by
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", freetext.Visible(m.ID), m.From, m.To, by)
	}
	tw.Flush()
}
