package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/exact"
	"github.com/afkarlab/afkar/internal/csvsafe"
	"github.com/afkarlab/afkar/internal/parallel"
	"github.com/afkarlab/afkar/spreadsheet"
)

// writeCSV writes one row per project in the order of the result, with
// the header of SPEC.md section 6, in the dialect d (its delimiter, its
// decimal separator for totals, aggregates and fractional ranks, its byte
// order mark); null values are empty cells. Titles and groups that start
// with =, +, -, @ are prefixed with ' (csvsafe). Cells are quoted as
// encoding/csv quotes them with d's delimiter; the rows are formatted on
// every core, in chunks written in order.
func writeCSV(w io.Writer, res *afkar.Result, d spreadsheet.Dialect) error {
	header := []string{"rank", "id", "title", "group", "group_rank", "total"}
	header = append(header, res.Criteria()...)
	header = append(header, "judges", "eligible", "selected", "decided_by", "reasons")
	var head []byte
	if d.BOM {
		head = append(head, "\ufeff"...)
	}
	for i, h := range header {
		if i > 0 {
			head = append(head, byte(d.Comma))
		}
		head = d.AppendCell(head, h)
	}
	if _, err := w.Write(append(head, '\n')); err != nil {
		return err
	}
	const rows = 8192
	chunks := make([][]byte, (len(res.Projects)+rows-1)/rows)
	parallel.For(context.Background(), len(chunks), 1, func(lo, hi int) error {
		for k := lo; k < hi; k++ {
			var b []byte
			for _, p := range res.Projects[k*rows : min((k+1)*rows, len(res.Projects))] {
				b = appendCSVRow(b, res, &p, d)
			}
			chunks[k] = b
		}
		return nil
	})
	for _, c := range chunks {
		if _, err := w.Write(c); err != nil {
			return err
		}
	}
	return nil
}

// appendCSVRow appends project p's row in d.
func appendCSVRow(b []byte, res *afkar.Result, p *afkar.ProjectResult, d spreadsheet.Dialect) []byte {
	group := ""
	if p.Group != nil {
		group = *p.Group
	}
	comma := byte(d.Comma)
	b = appendCSVDecimal(b, p.Rank.String(), d)
	b = d.AppendCell(append(b, comma), p.ID)
	// Free text may come from anyone: keep it from running as a
	// spreadsheet formula.
	b = d.AppendCell(append(b, comma), csvsafe.Text(p.Title))
	b = d.AppendCell(append(b, comma), csvsafe.Text(group))
	b = appendCSVDecimal(append(b, comma), p.GroupRank.String(), d)
	b = appendFormatted(append(b, comma), res, p.Total, d)
	for _, c := range p.Criteria {
		b = appendFormatted(append(b, comma), res, c.Rounded, d)
	}
	b = strconv.AppendInt(append(b, comma), int64(p.Judges), 10)
	b = strconv.AppendBool(append(b, comma), p.Eligible)
	b = strconv.AppendBool(append(b, comma), p.Selected)
	b = d.AppendCell(append(b, comma), p.DecidedBy)
	b = append(b, comma)
	if comma == ',' {
		for i, r := range p.Reasons {
			if i > 0 {
				b = append(b, ';')
			}
			b = append(b, r...) // quorum:<id>, threshold:<id>, total_threshold: nothing to quote
		}
	} else {
		b = d.AppendCell(b, strings.Join(p.Reasons, ";")) // quoted when ';' is the delimiter
	}
	return append(b, '\n')
}

// appendFormatted appends x as the result publishes it, in d.
func appendFormatted(b []byte, res *afkar.Result, x exact.NullNum, d spreadsheet.Dialect) []byte {
	if d.Decimal != ',' {
		return res.AppendFormat(b, x) // digits, a sign and a point: nothing to quote
	}
	var num [64]byte
	return d.AppendDecimal(b, string(res.AppendFormat(num[:0], x)))
}

// appendCSVDecimal appends the decimal text num (a rank, "" for none) in d.
func appendCSVDecimal(b []byte, num string, d spreadsheet.Dialect) []byte {
	if d.Decimal != ',' {
		return append(b, num...)
	}
	return d.AppendDecimal(b, num)
}

// writeTable writes the result for people: a table per group (one table
// without group_by), then the projects that are not ranked and why.
func writeTable(w io.Writer, res *afkar.Result, ds *afkar.Dataset, lang string) {
	crits := res.Criteria()
	var groups []string
	members := map[string][]afkar.ProjectResult{}
	var ineligible []afkar.ProjectResult
	for _, p := range res.Projects {
		if !p.Eligible {
			ineligible = append(ineligible, p)
			continue
		}
		g := ""
		if p.Group != nil {
			g = *p.Group
		}
		if _, ok := members[g]; !ok {
			groups = append(groups, g)
		}
		members[g] = append(members[g], p)
	}
	if ds.Ranking.GroupBy == "region" {
		sortByTour(groups)
	}
	title := "Afkar ranking"
	if ds.Ideathon != nil && ds.Ideathon.Title != "" {
		title = ds.Ideathon.Title
	}
	fmt.Fprintf(w, "%s\n%s\n", title, res.InputDigest)
	grouped := ds.Ranking.GroupBy != ""
	for _, g := range groups {
		if grouped {
			fmt.Fprintf(w, "\n%s\n", groupName(g, ds.Ranking.GroupBy, lang))
		} else {
			fmt.Fprintln(w)
		}
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		head := []string{"rank", "id", "title", "total"}
		head = append(head, crits...)
		head = append(head, "judges", "selected", "decided by")
		fmt.Fprintln(tw, strings.Join(head, "\t"))
		for _, p := range members[g] {
			rank := p.Rank.String()
			decided := p.DecidedBy
			if grouped {
				rank, decided = p.GroupRank.String(), p.GroupDecidedBy
			}
			if decided == "" {
				decided = "-"
			}
			sel := ""
			if p.Selected {
				sel = "yes"
			}
			row := []string{rank, p.ID, clip(p.Title, 40), res.Format(p.Total)}
			for _, c := range p.Criteria {
				row = append(row, res.Format(c.Rounded))
			}
			row = append(row, strconv.Itoa(p.Judges), sel, decided)
			fmt.Fprintln(tw, strings.Join(row, "\t"))
		}
		tw.Flush()
	}
	if len(ineligible) > 0 {
		fmt.Fprintf(w, "\nNot ranked (%d)\n", len(ineligible))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "id\ttitle\ttotal\treasons")
		for _, p := range ineligible {
			total := res.Format(p.Total)
			if total == "" {
				total = "-"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", p.ID, clip(p.Title, 40), total, strings.Join(p.Reasons, ", "))
		}
		tw.Flush()
	}
	if n := len(res.Excluded); n > 0 {
		fmt.Fprintf(w, "\n%d scores excluded for conflicts of interest.\n", n)
	}
}

// groupName names a group in a table heading.
func groupName(g, by, lang string) string {
	if g == "" {
		return by + ": (none)"
	}
	if by == "region" {
		if r, ok := bank.LookupRegion(g); ok {
			return r.Name.In(lang) + " (" + g + ")"
		}
	}
	return by + ": " + g
}

// clip shortens s to at most n characters.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// sortByTour puts region groups in the order of the ideathon tour (Oujda
// first, Agadir last); other groups keep their order, after them.
func sortByTour(groups []string) {
	stage := map[string]int{}
	for i, s := range bank.Tour() {
		stage[s.Region] = i
	}
	slices.SortStableFunc(groups, func(a, b string) int {
		ia, oka := stage[a]
		ib, okb := stage[b]
		switch {
		case oka && okb:
			return cmp.Compare(ia, ib)
		case oka:
			return -1
		case okb:
			return 1
		}
		return 0
	})
}
