package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/exact"
	"github.com/afkarlab/afkar/internal/csvsafe"
	"github.com/afkarlab/afkar/internal/freetext"
	"github.com/afkarlab/afkar/internal/parallel"
	"github.com/afkarlab/afkar/ranking"
	"github.com/afkarlab/afkar/scoring"
	"github.com/afkarlab/afkar/spreadsheet"
	"github.com/shopspring/decimal"
	"golang.org/x/text/width"
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
	// Batches of chunks, a chunk a core, formatted at once and written in
	// order into buffers used again: the output is never held whole.
	const rows = 8192
	bufs := make([][]byte, max(1, runtime.GOMAXPROCS(0)))
	for lo := 0; lo < res.Len(); lo += rows * len(bufs) {
		hi := min(lo+rows*len(bufs), res.Len())
		n := (hi - lo + rows - 1) / rows
		parallel.For(context.Background(), n, 1, func(from, to int) error {
			var p afkar.ProjectResult // its storage of criteria used again
			for k := from; k < to; k++ {
				b := bufs[k][:0]
				for i := lo + k*rows; i < min(lo+(k+1)*rows, hi); i++ {
					res.ReadProject(i, &p)
					b = appendCSVRow(b, res, &p, d)
				}
				bufs[k] = b
			}
			return nil
		})
		for _, b := range bufs[:n] {
			if _, err := w.Write(b); err != nil {
				return err
			}
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
	b = appendCSVRank(b, p.Rank, d)
	b = d.AppendCell(append(b, comma), p.ID)
	// Free text may come from anyone: keep it from running as a
	// spreadsheet formula.
	b = d.AppendCell(append(b, comma), csvsafe.Text(p.Title))
	b = d.AppendCell(append(b, comma), csvsafe.Text(group))
	b = appendCSVRank(append(b, comma), p.GroupRank, d)
	b = appendFormatted(append(b, comma), res, p.Total, d)
	for _, c := range p.Criteria {
		b = appendFormatted(append(b, comma), res, c.Rounded(), d)
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

// appendCSVRank appends the rank r ("" for none) in d.
func appendCSVRank(b []byte, r ranking.Rank, d spreadsheet.Dialect) []byte {
	if d.Decimal != ',' {
		b, _ = r.AppendText(b)
		return b
	}
	var num [24]byte
	text, _ := r.AppendText(num[:0])
	return d.AppendDecimal(b, string(text))
}

// writeTable writes the result for people, in the language t: a table
// per group (one table without group_by), the projects that are not
// ranked and why, what is missing or excluded, and the rules in force.
// Each row says how many scores the project has against the number
// expected, and flags it when it has fewer (see coverageOf).
//
// Arabic (t.rtl) is laid out for a terminal that applies the Unicode
// bidirectional algorithm (UAX #9): every line starts with RLM, so that it
// is a right-to-left paragraph whose first cell, the rank, stands at the
// right margin; cells are padded at their logical end, which such a
// terminal shows on their left, so that columns line up on the right;
// ids, numbers and codes sit in left-to-right isolates (LRI … PDI) and
// free text in first-strong isolates (FSI … PDI), so that "DAK-01",
// "77,75" or a French title keep their order whatever surrounds them.
// Widths count what a terminal shows: the isolates and marks take no
// column. Written to a terminal, the table is framed by the escape
// sequences that turn on a VTE terminal's detection of each line's
// direction (forBidiTerminal) and turn it off after. The text stays in
// logical order, so that it reads right when copied, piped or opened in
// an editor; a terminal without bidi support shows the Arabic words in
// logical order, left to right.
func writeTable(w io.Writer, res *afkar.Result, ds *afkar.Dataset, t *texts) {
	projects := make([]afkar.ProjectResult, 0, res.Len())
	for _, p := range res.Projects() {
		projects = append(projects, p)
	}
	writeTableOf(w, res, projects, ds, t)
}

// writeTableOf is writeTable, the projects' lines of res given apart (the
// escape tests give it lines with text no valid dataset has).
func writeTableOf(w io.Writer, res *afkar.Result, projects []afkar.ProjectResult, ds *afkar.Dataset, t *texts) {
	crits := res.Criteria()
	cov := coverageOf(ds, res)
	var groups []string
	members := map[string][]afkar.ProjectResult{}
	var ineligible []afkar.ProjectResult
	for _, p := range projects {
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
	switch {
	case ds.Ranking.Groups != nil:
		sortByList(groups, ds.Ranking.Groups)
	case ds.Ranking.GroupBy == "region":
		sortByTour(groups)
	}
	title := t.defaultTitle
	if ds.Ideathon != nil && ds.Ideathon.Title != "" {
		title = t.free(ds.Ideathon.Title)
	}
	nl := "\n" + t.line()
	fmt.Fprintf(w, "%s%s%s%s\n", t.line(), title, nl, t.ltr(res.InputDigest))
	grouped := ds.Ranking.GroupBy != ""
	scores := func(p *afkar.ProjectResult) string {
		c := cov.of[p.ID]
		s := t.ltr(fmt.Sprintf("%d/%d", c.has, c.expected))
		if c.short() {
			s += " " + t.short
		}
		return s
	}
	for _, g := range groups {
		if grouped {
			fmt.Fprintf(w, "\n%s%s\n", t.line(), t.groupHeading(g, ds.Ranking.GroupBy))
		} else {
			fmt.Fprintln(w)
		}
		var tb grid
		head := []string{t.rank, t.id, t.title, t.total}
		for _, c := range crits {
			head = append(head, t.ltr(c))
		}
		tb.add(append(head, t.judges, t.scores, t.selected, t.decidedBy)...)
		for _, p := range members[g] {
			rank, decided := p.Rank, p.DecidedBy
			if grouped {
				rank, decided = p.GroupRank, p.GroupDecidedBy
			}
			sel := ""
			if p.Selected {
				sel = t.yes
			}
			row := []string{t.num(rank.String()), t.ltr(p.ID), t.free(clip(freetext.Visible(p.Title), 40)), t.num(res.Format(p.Total))}
			for _, c := range p.Criteria {
				row = append(row, t.num(res.Format(c.Rounded())))
			}
			tb.add(append(row, t.ltr(strconv.Itoa(p.Judges)), scores(&p), sel, t.decided(decided))...)
		}
		tb.write(w, t.line())
	}
	if len(ineligible) > 0 {
		fmt.Fprintf(w, "\n%s"+t.notRanked+"\n", t.line(), len(ineligible))
		var tb grid
		tb.add(t.id, t.title, t.total, t.scores, t.reasons)
		for _, p := range ineligible {
			total := "-"
			if p.Total.Valid {
				total = t.num(res.Format(p.Total))
			}
			tb.add(t.ltr(p.ID), t.free(clip(freetext.Visible(p.Title), 40)), total, scores(&p), t.reasonsOf(&p, res, ds))
		}
		tb.write(w, t.line())
	}
	var notes []string
	abstained := 0
	for _, x := range res.Excluded {
		if x.Reason == scoring.Abstained {
			abstained++
		}
	}
	if n := len(res.Excluded) - abstained; n > 0 {
		notes = append(notes, t.excluded(n))
	}
	if abstained > 0 {
		notes = append(notes, t.abstained(abstained))
	}
	if len(cov.silent) > 0 {
		ids := make([]string, len(cov.silent))
		for i, id := range cov.silent {
			ids[i] = t.ltr(id)
		}
		notes = append(notes, fmt.Sprintf(t.noScore, t.list(ids)))
	}
	var short []string
	for _, p := range projects {
		if c := cov.of[p.ID]; c.short() {
			short = append(short, t.ltr(p.ID)+" ("+t.ltr(fmt.Sprintf("%d/%d", c.has, c.expected))+")")
		}
	}
	if len(short) > 0 {
		const listed = 10
		if len(short) > listed {
			short = append(short[:listed], fmt.Sprintf(t.more, len(short)-listed))
		}
		notes = append(notes, fmt.Sprintf(t.fewerScores, t.list(short)))
	}
	if len(notes) > 0 {
		fmt.Fprintln(w)
		for _, n := range notes {
			fmt.Fprintln(w, t.line()+n)
		}
	}
	writeLegend(w, ds, t)
}

// groupHeading names a group above its table.
func (t *texts) groupHeading(g, by string) string {
	field := t.fields[by]
	if key, ok := strings.CutPrefix(by, "attributes."); ok {
		field = t.ltr(key)
	}
	colon := ": "
	if t.lang == "fr" {
		colon = " : "
	}
	if g == "" {
		return field + colon + t.none
	}
	if by == "region" {
		if r, ok := bank.LookupRegion(g); ok {
			return t.free(r.Name.In(t.lang)) + " (" + t.ltr(g) + ")"
		}
	}
	return field + colon + t.free(g)
}

// groupName names a group in a report heading, in the language lang.
func groupName(g, by, lang string) string {
	return textsFor(lang).groupHeading(g, by)
}

// decided says in words what decided a place: a tie-break rule, or "-"
// when nothing did.
func (t *texts) decided(rule string) string {
	switch {
	case rule == "":
		return "-"
	case strings.HasPrefix(rule, "criterion:"):
		return fmt.Sprintf(t.criterion, t.ltr(strings.TrimPrefix(rule, "criterion:")))
	case strings.HasPrefix(rule, "lottery:"):
		return fmt.Sprintf(t.lottery, t.free(strings.TrimPrefix(rule, "lottery:")))
	}
	if w, ok := t.rules[rule]; ok {
		return w
	}
	return t.ltr(rule)
}

// reasonsOf says in words why p is not ranked, each failed rule with the
// values it compared: "total 45.00 is below the threshold 50"; criteria
// short of the quorum by the same count share one reason ("social,
// economic: 1 counted score, 2 needed").
func (t *texts) reasonsOf(p *afkar.ProjectResult, res *afkar.Result, ds *afkar.Dataset) string {
	r := &ds.Rubric
	var out []string
	// Quorum reasons come first, one per criterion: the criteria with the
	// same number of counted scores share one.
	var quorums []string
	counted := map[int][]string{}
	for _, reason := range p.Reasons {
		if kind, id, _ := strings.Cut(reason, ":"); kind == "quorum" {
			if c := r.Index(id); c >= 0 {
				n := p.Criteria[c].Counted
				if counted[n] == nil {
					quorums = append(quorums, strconv.Itoa(n))
				}
				counted[n] = append(counted[n], t.ltr(id))
			}
		}
	}
	for _, q := range quorums {
		n, _ := strconv.Atoi(q)
		out = append(out, t.quorum(t.list(counted[n]), n, quorum(r)))
	}
	for _, reason := range p.Reasons {
		kind, id, _ := strings.Cut(reason, ":")
		c := r.Index(id)
		switch {
		case kind == "quorum" && c >= 0: // above
		case kind == "total_threshold":
			out = append(out, fmt.Sprintf(t.totalBelow, t.num(res.Format(p.Total)), t.num(r.TotalThreshold.Decimal.String())))
		case kind == "threshold" && c >= 0:
			out = append(out, fmt.Sprintf(t.criterionBelow, t.ltr(id), t.num(res.Format(p.Criteria[c].Rounded())),
				t.num(r.Criteria[c].Threshold.Decimal.String())))
		default:
			out = append(out, t.ltr(reason))
		}
	}
	return strings.Join(out, t.sep)
}

// quorum is the least number of counted scores an eligible project has on
// each criterion: min_judges, and more than twice the trim for the
// trimmed mean (SPEC.md section 3).
func quorum(r *scoring.Rubric) int {
	n := max(r.MinJudges, 1)
	if r.Aggregation.Method == scoring.TrimmedMean {
		n = max(n, 2*r.Aggregation.Trim+1)
	}
	return n
}

// writeLegend writes the rules in force: the criteria with their labels,
// weights, ranges and thresholds, how totals are made, who is eligible,
// how projects are ordered, ranked and selected, and what the scores
// column counts.
func writeLegend(w io.Writer, ds *afkar.Dataset, t *texts) {
	l := &t.legend
	r := &ds.Rubric
	fmt.Fprintf(w, "\n%s%s\n", t.line(), l.heading)
	var tb grid
	sum := decimal.Zero
	thresholds := false
	for i, c := range r.Criteria {
		lo, hi, step := r.Range(i)
		rng := fmt.Sprintf(l.range_, t.num(lo.String()), t.num(hi.String()))
		if step.IsPositive() {
			rng += t.comma + fmt.Sprintf(l.step, t.num(step.String()))
		}
		thr := ""
		if c.Threshold.Valid {
			thr = fmt.Sprintf(l.threshold, t.num(c.Threshold.Decimal.String()))
			thresholds = true
		}
		tb.add("", t.ltr(c.ID), t.free(c.Label.In(t.lang, c.ID)), fmt.Sprintf(l.weight, t.num(c.Weight.String())), rng, thr)
		sum = sum.Add(c.Weight)
	}
	tb.write(w, t.line())
	lines := []string{l.exact}
	if r.Weights == scoring.RelativeWeights {
		lines[0] = fmt.Sprintf(l.relative, t.num(sum.String()))
	}
	method := r.Aggregation.Method
	if method == "" {
		method = scoring.Mean
	}
	agg := l.methods[string(method)]
	if method == scoring.TrimmedMean {
		agg = fmt.Sprintf(l.trimmed, t.ltr(strconv.Itoa(r.Aggregation.Trim)))
	}
	totalMax := r.TotalMax
	if totalMax.IsZero() {
		totalMax = decimal.NewFromInt(100)
	}
	lines = append(lines, fmt.Sprintf(l.total, t.num(totalMax.String()), agg, t.ltr(strconv.Itoa(r.Places())), l.rounding[string(r.Mode())]))
	eligible := l.eligible(quorum(r))
	if thresholds {
		eligible += l.eachThreshold
	}
	if r.TotalThreshold.Valid {
		eligible += fmt.Sprintf(l.totalMin, t.num(r.TotalThreshold.Decimal.String()))
	}
	lines = append(lines, eligible)
	tied := l.tiedRounded
	if ds.Ranking.TieOn == afkar.TieOnExact {
		tied = l.tiedExact
	}
	rules := make([]string, len(ds.Ranking.TieBreak))
	for i, rule := range ds.Ranking.TieBreak {
		rules[i] = t.decided(rule.String())
	}
	breaks := l.noTieBreak
	if len(rules) > 0 {
		breaks = t.list(rules)
	}
	lines = append(lines, fmt.Sprintf(l.order, tied, breaks))
	style := string(ds.Ranking.Style)
	if style == "" {
		style = "competition"
	}
	example := map[string]string{"competition": "1 2 2 4", "modified": "1 3 3 4", "dense": "1 2 2 3", "ordinal": "1 2 3 4",
		"fractional": "1 " + t.num("2.5") + " " + t.num("2.5") + " 4"}[style]
	lines = append(lines, fmt.Sprintf(l.ranks, l.styles[style], t.ltr(example)))
	switch top, by := ds.Ranking.Top, ds.Ranking.GroupBy; {
	case top > 0 && by != "":
		field := t.each[by]
		if key, ok := strings.CutPrefix(by, "attributes."); ok {
			field = t.ltr(key)
		}
		lines = append(lines, fmt.Sprintf(l.selected, t.ltr(strconv.Itoa(top)), field))
	case top > 0:
		lines = append(lines, fmt.Sprintf(l.selectedAll, t.ltr(strconv.Itoa(top))))
	default:
		lines = append(lines, l.nothingSelected)
	}
	if abstentions(ds) {
		lines = append(lines, l.scoresAbstentions, l.excludedAbstentions)
	} else {
		lines = append(lines, l.scores, l.excluded)
	}
	for _, s := range lines {
		fmt.Fprintf(w, "%s  %s\n", t.line(), s)
	}
}

// abstentions reports whether some judge of ds abstains.
func abstentions(ds *afkar.Dataset) bool {
	for _, j := range ds.Judges {
		if len(j.Abstains) > 0 {
			return true
		}
	}
	return false
}

// grid is a table for people: each column as wide as its widest cell, as a
// terminal shows it (displayWidth), columns two spaces apart, the last
// cell of a row not padded and empty cells at the end of a row left out
// (no trailing spaces).
type grid struct {
	rows [][]string
}

func (g *grid) add(cells ...string) { g.rows = append(g.rows, cells) }

// write writes the rows, each after prefix.
func (g *grid) write(w io.Writer, prefix string) {
	var widths []int
	for _, row := range g.rows {
		for i, c := range row {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	var b strings.Builder
	for _, row := range g.rows {
		for len(row) > 0 && row[len(row)-1] == "" {
			row = row[:len(row)-1] // no padding at the end of a line
		}
		b.Reset()
		b.WriteString(prefix)
		for i, c := range row {
			b.WriteString(c)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(c)+2))
			}
		}
		b.WriteByte('\n')
		io.WriteString(w, b.String())
	}
}

// displayWidth is the number of terminal columns s takes: no column for
// combining marks (Arabic tashkeel, accents written apart) and format
// characters (bidi controls, joiners), two for wide East Asian characters,
// one for any other.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		case isWide(r):
			n += 2
		default:
			n++
		}
	}
	return n
}

// isWide reports whether r is East Asian wide or fullwidth.
func isWide(r rune) bool {
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return true
	}
	return false
}

// clip shortens s to at most n columns, as displayWidth counts them: the
// text as shown (freetext.Visible), so that an escape counts as the
// columns it takes.
func clip(s string, n int) string {
	if displayWidth(s) <= n {
		return s
	}
	w := 0
	for i, r := range s {
		cw := displayWidth(string(r))
		if w+cw > n-1 {
			return s[:i] + "…"
		}
		w += cw
	}
	return s
}

// sortByList puts groups in the order of list (ranking.groups); the
// others keep their order, after them.
func sortByList(groups, list []string) {
	pos := make(map[string]int, len(list))
	for i, g := range list {
		pos[g] = i
	}
	slices.SortStableFunc(groups, func(a, b string) int {
		ia, oka := pos[a]
		ib, okb := pos[b]
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
