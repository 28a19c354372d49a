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
	"unicode"
	"unicode/utf8"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/internal/csvsafe"
	"github.com/afkarlab/afkar/internal/parallel"
)

// writeCSV writes one row per project in the order of the result, with
// the header of SPEC.md section 6; null values are empty cells. Titles and
// groups that start with =, +, - or @ are prefixed with ' (csvsafe). Cells
// are quoted as encoding/csv quotes them; the rows are formatted on every
// core, in chunks written in order.
func writeCSV(w io.Writer, res *afkar.Result) error {
	header := []string{"rank", "id", "title", "group", "group_rank", "total"}
	header = append(header, res.Criteria()...)
	header = append(header, "judges", "eligible", "selected", "decided_by", "reasons")
	var head []byte
	for i, h := range header {
		if i > 0 {
			head = append(head, ',')
		}
		head = appendCSVField(head, h)
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
				b = appendCSVRow(b, res, &p)
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

// appendCSVRow appends project p's row.
func appendCSVRow(b []byte, res *afkar.Result, p *afkar.ProjectResult) []byte {
	group := ""
	if p.Group != nil {
		group = *p.Group
	}
	b = append(b, p.Rank.String()...)
	b = appendCSVField(append(b, ','), p.ID)
	// Free text may come from anyone: keep it from running as a
	// spreadsheet formula.
	b = appendCSVField(append(b, ','), csvsafe.Text(p.Title))
	b = appendCSVField(append(b, ','), csvsafe.Text(group))
	b = append(append(b, ','), p.GroupRank.String()...)
	b = res.AppendFormat(append(b, ','), p.Total)
	for _, c := range p.Criteria {
		b = res.AppendFormat(append(b, ','), c.Rounded)
	}
	b = strconv.AppendInt(append(b, ','), int64(p.Judges), 10)
	b = strconv.AppendBool(append(b, ','), p.Eligible)
	b = strconv.AppendBool(append(b, ','), p.Selected)
	b = appendCSVField(append(b, ','), p.DecidedBy)
	b = append(b, ',')
	for i, r := range p.Reasons {
		if i > 0 {
			b = append(b, ';')
		}
		b = append(b, r...) // quorum:<id>, threshold:<id>, total_threshold: nothing to quote
	}
	return append(b, '\n')
}

// appendCSVField appends s as a CSV cell, quoted exactly when
// encoding/csv's Writer would quote it: when it holds a comma, a quote, a
// CR or LF, begins with white space, or is \. .
func appendCSVField(b []byte, s string) []byte {
	quote := s == `\.`
	for i := 0; i < len(s) && !quote; i++ {
		switch s[i] {
		case ',', '"', '\r', '\n':
			quote = true
		}
	}
	if !quote && s != "" {
		r, _ := utf8.DecodeRuneInString(s)
		quote = unicode.IsSpace(r)
	}
	if !quote {
		return append(b, s...)
	}
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
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
