package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/analysis/agreement"
	"github.com/afkarlab/afkar/analysis/comparability"
	"github.com/afkarlab/afkar/analysis/swing"
	"github.com/afkarlab/afkar/analysis/withdrawal"
	"github.com/afkarlab/afkar/internal/atomicfile"
	"github.com/afkarlab/afkar/internal/freetext"
	"github.com/afkarlab/afkar/internal/sample"
	"github.com/afkarlab/afkar/scoring"
)

const analyzeUsage = `Usage: afkar analyze [flags] [DATASET|-]

Measures how much the judges agree, on the counted scores (conflicts and
abstentions excluded), for each criterion and for the judges' own totals
(the total's formula on one judge's scores alone):

  alpha     Krippendorff's alpha, interval metric, missing scores allowed
            (units: the projects with at least two counted scores), read
            in the words of Landis & Koch (1977): poor < 0 ≤ slight ≤ 0.20
            < fair ≤ 0.40 < moderate ≤ 0.60 < substantial ≤ 0.80 < almost
            perfect
  ICC       ICC(2,1) and ICC(2,k), Shrout & Fleiss (1979), when every judge
            scored every eligible project; otherwise "-" and the reason
            (which says how many missing scores are conflict exclusions
            or abstentions), read in the words of Koo & Li (2016): poor
            < 0.50 ≤ moderate < 0.75 ≤ good ≤ 0.90 < excellent

Every statistic is computed exactly from the exact scores and converted
to a float once: one whose exact denominator is 0 is "-", with the reason.
With --by FIELD (region, sector, cooperative or attributes.<key>), the
agreement is also measured within each group: each stage of a tour, with
--by region.

and, per judge, the projects scored and the leniency: the mean of (the
judge's score − the mean of the other judges' scores on the same project),
per criterion (in its points) and on totals (in points of total_max), with
the number of such pairs. Judges with fewer than 3 projects, or who share
no project with another judge, are flagged.

It then reports the juries: the components of the juror–idea graph (judges
and projects joined by counted scores), the fewest bridge assignments (a
judge scoring a project of another jury) that would connect them, and the
judges with fewer than 5 counted scores on a criterion. Under zscore,
juries that share no project cannot be compared (afkar rank refuses them).

Last, the one-juror swing of each selection boundary (the last selected
project against the first not selected, in each group): for each juror
who scored one of them, the least total change of that juror's scores of
the two projects (the sum of |new − old|, in score points, each score kept
within its range and on its step) that puts the first not selected above
the last selected under the dataset's own rules, and one such change;
exact, verified by ranking the changed dataset. Computed under the mean,
for criteria with a step; otherwise the reason.

And, with --withdrawal, each project withdrawn in turn (the dataset ranked
again without it): whether the selection of the others changes, and which
places move. Under zscore, a withdrawal changes the judges' means and
spreads and may reorder the others.

With no DATASET, analyses the built-in sample (synthetic data); "-" reads
the dataset from standard input.

` + csvInputUsage + `
Examples:
  afkar analyze dakhla.json
  afkar analyze --scores notes.csv --judges jury.csv rubric.json
  afkar analyze --format json -o agreement.json --svg leniency.svg dakhla.json
  afkar analyze --by region tour.json

Flags:
`

type analyzeFlags struct {
	format, out, svg, by string
	withdrawal           bool
	inputFlags
}

// reportFlags defines the flags the report commands share: --format
// (table or json), -o and --svg, described by svgUsage.
func reportFlags(fs *flag.FlagSet, format, out, svg *string, svgUsage string) {
	fs.StringVar(format, "format", "table", "output `format`: table or json")
	fs.StringVar(out, "o", "", "write the report to `FILE` (replaced only when the whole report is ready)")
	fs.StringVar(svg, "svg", "", svgUsage)
}

func (e *env) analyze(args []string) error {
	var f analyzeFlags
	fs := flag.NewFlagSet("analyze", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	reportFlags(fs, &f.format, &f.out, &f.svg, "draw each judge's leniency on totals to `FILE` (SVG)")
	fs.StringVar(&f.by, "by", "", "also measure the agreement within each group of `FIELD`: region, sector, cooperative or attributes.<key>")
	fs.BoolVar(&f.withdrawal, "withdrawal", false, "also rank the dataset without each project in turn and report what moves")
	f.inputFlags.register(fs)
	fs.Usage = func() { fmt.Fprint(fs.Output(), analyzeUsage); fs.PrintDefaults() }
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := checkFormat(f.format); err != nil {
		return err
	}
	if f.by != "" && !afkar.ValidGroupBy(f.by) {
		return &usageError{fmt.Sprintf("--by: expected region, sector, cooperative or attributes.<key>, found %q", f.by)}
	}
	if err := f.inputFlags.check(); err != nil {
		return err
	}
	if err := e.checkOutputs(f.files(rest), []namedFile{{"-o", f.out}, {"--svg", f.svg}}); err != nil {
		return err
	}
	ds, src, err := e.loadDataset("analyze", rest, &f.inputFlags)
	if err != nil {
		return err
	}
	rep, err := agreement.Config{GroupBy: f.by}.Analyze(e.ctx, ds)
	if err != nil {
		return problemsError(err, src)
	}
	juries, err := comparability.Analyze(e.ctx, ds)
	if err != nil {
		return problemsError(err, src)
	}
	swings, err := swing.Analyze(e.ctx, ds)
	if err != nil {
		return problemsError(err, src)
	}
	var withdrawals *withdrawal.Report
	if f.withdrawal {
		if withdrawals, err = withdrawal.Analyze(e.ctx, ds); err != nil {
			return problemsError(err, src)
		}
	}
	var buf bytes.Buffer
	if f.format == "json" {
		if err := writeAnalysisJSON(&buf, rep, juries, swings, withdrawals, ds); err != nil {
			return err
		}
	} else {
		writeAnalysisTable(&buf, rep, ds, f.by)
		writeJuriesTable(&buf, juries)
		writeSwingTable(&buf, swings)
		if withdrawals != nil {
			writeWithdrawalTable(&buf, withdrawals)
		}
	}
	if f.svg != "" {
		if err := atomicfile.Write(f.svg, leniencyChart(rep, ds), 0o644); err != nil {
			return err
		}
	}
	return e.emit(f.out, buf.Bytes())
}

// checkFormat accepts the formats of the research commands.
func checkFormat(format string) error {
	switch format {
	case "table", "json":
		return nil
	}
	return &usageError{fmt.Sprintf("--format: expected table or json, found %q", format)}
}

// loadDataset decodes the dataset named by the command line (at most
// one), or the built-in sample when none is named, and completes it from
// the CSV inputs in (see loadCSV), which src then names in problems.
func (e *env) loadDataset(cmd string, rest []string, in *inputFlags) (*afkar.Dataset, *csvSources, error) {
	e.limits = in.over(e.limits)
	var data []byte
	switch len(rest) {
	case 0:
		what := "the built-in sample (synthetic data)"
		if in.scores != "" {
			what = "the built-in sample's rubric and ranking rules"
		}
		fmt.Fprintf(e.stderr, "afkar: no dataset given: using %s\n", what)
		return e.loadCSV(sample.JSON(), "", in)
	case 1:
		var err error
		if data, err = e.readInput(rest[0]); err != nil {
			return nil, nil, err
		}
		return e.loadCSV(data, rest[0], in)
	}
	return nil, nil, &usageError{fmt.Sprintf("%s takes at most one dataset, found %d: %s", cmd, len(rest), strings.Join(rest, " "))}
}

// emit writes a command's output to stdout, or replaces the file out with
// it.
func (e *env) emit(out string, data []byte) error {
	if out == "" {
		_, err := e.stdout.Write(data)
		return err
	}
	return atomicfile.Write(out, data, 0o644)
}

// title is the dataset's title for report headings, as it may be shown
// (freetext.Visible).
func title(ds *afkar.Dataset) string {
	if ds.Ideathon != nil && ds.Ideathon.Title != "" {
		return freetext.Visible(ds.Ideathon.Title)
	}
	return "Afkar ranking"
}

// number is a statistic in JSON: null when undefined.
func number(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// nullString is a string in JSON: null when empty.
func nullString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

type reliabilityJSON struct {
	Criterion    *string  `json:"criterion"`
	Units        int      `json:"units"`
	Values       int      `json:"values"`
	Alpha        *float64 `json:"alpha"`
	AlphaReading *string  `json:"alpha_reading"` // Landis & Koch (1977)
	AlphaNote    *string  `json:"alpha_note"`
	Projects     int      `json:"projects"`
	Raters       int      `json:"raters"`
	ICC21        *float64 `json:"icc_2_1"`
	ICC21Reading *string  `json:"icc_2_1_reading"` // Koo & Li (2016)
	ICC2k        *float64 `json:"icc_2_k"`
	ICC2kReading *string  `json:"icc_2_k_reading"` // Koo & Li (2016)
	ICCNote      *string  `json:"icc_note"`
	// The design's empty cells, and how many are exclusions (conflicts,
	// abstentions).
	ICCMissing  int `json:"icc_missing"`
	ICCExcluded int `json:"icc_missing_excluded"`
}

type groupJSON struct {
	Group    string            `json:"group"`
	Projects int               `json:"projects"`
	Criteria []reliabilityJSON `json:"criteria"`
	Totals   reliabilityJSON   `json:"totals"`
}

type leniencyJSON struct {
	Criterion string   `json:"criterion,omitempty"`
	Mean      *float64 `json:"mean"`
	Pairs     int      `json:"pairs"`
}

type judgeJSON struct {
	ID       string         `json:"id"`
	Projects int            `json:"projects"`
	Total    leniencyJSON   `json:"total_leniency"`
	Criteria []leniencyJSON `json:"leniency"`
	Flags    []string       `json:"flags"`
}

func reliabilityOf(r agreement.Reliability) reliabilityJSON {
	return reliabilityJSON{
		Criterion: nullString(r.Criterion), Units: r.Units, Values: r.Values,
		Alpha: number(r.Alpha), AlphaReading: nullString(agreement.LandisKoch(r.Alpha)), AlphaNote: nullString(r.AlphaNote),
		Projects: r.Projects, Raters: r.Raters,
		ICC21: number(r.ICC1), ICC21Reading: nullString(agreement.KooLi(r.ICC1)),
		ICC2k: number(r.ICCK), ICC2kReading: nullString(agreement.KooLi(r.ICCK)),
		ICCNote: nullString(r.ICCNote), ICCMissing: r.Missing, ICCExcluded: r.Excluded,
	}
}

// flags names a judge's flags.
func flags(j agreement.Judge) []string {
	out := []string{}
	if j.FewProjects {
		out = append(out, "few_projects")
	}
	if j.Isolated {
		out = append(out, "isolated")
	}
	return out
}

func writeAnalysisJSON(w io.Writer, rep *agreement.Report, juries *comparability.Report, swings *swing.Report, withdrawals *withdrawal.Report, ds *afkar.Dataset) error {
	doc := struct {
		InputDigest string            `json:"input_digest"`
		Criteria    []reliabilityJSON `json:"criteria"`
		Totals      reliabilityJSON   `json:"totals"`
		Judges      []judgeJSON       `json:"judges"`
		Groups      []groupJSON       `json:"groups,omitempty"` // with --by
		Juries      juriesJSON        `json:"juries"`
		Swing       swingReportJSON   `json:"swing"`
		Withdrawals []withdrawalJSON  `json:"withdrawals,omitempty"` // with --withdrawal
	}{InputDigest: ds.Digest(), Totals: reliabilityOf(rep.Totals), Juries: juriesOf(juries), Swing: swingOf(swings)}
	if withdrawals != nil {
		doc.Withdrawals = withdrawalsOf(withdrawals)
	}
	for _, r := range rep.Criteria {
		doc.Criteria = append(doc.Criteria, reliabilityOf(r))
	}
	for _, g := range rep.Groups {
		gj := groupJSON{Group: g.Value, Projects: g.Projects, Totals: reliabilityOf(g.Totals)}
		for _, r := range g.Criteria {
			gj.Criteria = append(gj.Criteria, reliabilityOf(r))
		}
		doc.Groups = append(doc.Groups, gj)
	}
	for _, j := range rep.Judges {
		jj := judgeJSON{ID: j.ID, Projects: j.Projects, Total: leniencyJSON{Mean: number(j.Total.Mean), Pairs: j.Total.Pairs}, Flags: flags(j)}
		for c, l := range j.Criteria {
			jj.Criteria = append(jj.Criteria, leniencyJSON{Criterion: ds.Rubric.Criteria[c].ID, Mean: number(l.Mean), Pairs: l.Pairs})
		}
		doc.Judges = append(doc.Judges, jj)
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// fixed formats a statistic with places decimals, "-" when undefined.
func fixed(v float64, places int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "-"
	}
	return strconv.FormatFloat(v, 'f', places, 64)
}

// signed formats a leniency with its sign, "-" when undefined.
func signed(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	s := strconv.FormatFloat(v, 'f', 2, 64)
	if s == "-0.00" {
		s = "0.00"
	}
	if !strings.HasPrefix(s, "-") {
		s = "+" + s
	}
	return s
}

// read writes a statistic with three decimals and its reading, "-" when
// undefined.
func read(v float64, reading func(float64) string) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "-"
	}
	return fixed(v, 3) + " " + reading(v)
}

// writeReliabilities writes the table of the criteria's and the totals'
// reliabilities.
func writeReliabilities(w io.Writer, crits []agreement.Reliability, totals agreement.Reliability) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "criterion\talpha\tunits\tvalues\tICC(2,1)\tICC(2,k)\tk\tnote")
	row := func(name string, r agreement.Reliability) {
		note := strings.TrimSpace(strings.Join([]string{r.AlphaNote, r.ICCNote}, " "))
		k := "-"
		if !math.IsNaN(r.ICC1) || !math.IsNaN(r.ICCK) {
			k = strconv.Itoa(r.Raters)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%s\t%s\t%s\n", name, read(r.Alpha, agreement.LandisKoch), r.Units, r.Values,
			read(r.ICC1, agreement.KooLi), read(r.ICCK, agreement.KooLi), k, note)
	}
	for _, r := range crits {
		row(r.Criterion, r)
	}
	row("judges' totals", totals)
	tw.Flush()
}

func writeAnalysisTable(w io.Writer, rep *agreement.Report, ds *afkar.Dataset, by string) {
	fmt.Fprintf(w, "%s\n%s\n\n", title(ds), ds.Digest())
	fmt.Fprintln(w, "Agreement on the counted scores (alpha: Krippendorff, interval metric, read with Landis & Koch 1977;")
	fmt.Fprintln(w, "ICC: Shrout & Fleiss 1979, two-way random, absolute agreement, read with Koo & Li 2016)")
	writeReliabilities(w, rep.Criteria, rep.Totals)

	if len(rep.Groups) > 0 {
		groups := make([]string, len(rep.Groups))
		byValue := map[string]agreement.Group{}
		for i, g := range rep.Groups {
			groups[i] = g.Value
			byValue[g.Value] = g
		}
		if by == "region" {
			sortByTour(groups)
		}
		fmt.Fprintf(w, "\nWithin each %s: the same measures on the group's projects alone.\n", by)
		for _, name := range groups {
			g := byValue[name]
			fmt.Fprintf(w, "\n%s: %d projects\n", groupName(name, by, "en"), g.Projects)
			writeReliabilities(w, g.Criteria, g.Totals)
		}
	}

	fmt.Fprintf(w, "\nJudges (%d): leniency = the judge's value − the mean of the other judges' on the same project;\n", len(rep.Judges))
	fmt.Fprintln(w, "on totals in points of total_max, on criteria in the criterion's points. Pairs: projects compared.")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := []string{"judge", "projects", "total", "pairs"}
	for _, c := range ds.Rubric.Criteria {
		head = append(head, c.ID)
	}
	head = append(head, "flags")
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, j := range rep.Judges {
		cells := []string{j.ID, strconv.Itoa(j.Projects), signed(j.Total.Mean), strconv.Itoa(j.Total.Pairs)}
		for _, l := range j.Criteria {
			cells = append(cells, signed(l.Mean))
		}
		cells = append(cells, strings.Join(flags(j), ", "))
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	tw.Flush()
}

type fewJSON struct {
	Judge     string `json:"judge"`
	Criterion string `json:"criterion"`
	Scores    int    `json:"scores"`
}

type componentJSON struct {
	Judges   []string  `json:"judges"`
	Projects []string  `json:"projects"`
	Scores   int       `json:"scores"`
	Few      []fewJSON `json:"few_scores"`
}

type bridgeJSON struct {
	Judge   string `json:"judge"`
	Project string `json:"project"`
	From    int    `json:"from"`
	To      int    `json:"to"`
}

type juriesJSON struct {
	Connected bool `json:"connected"`
	// Refused: zscore across components, which afkar rank refuses.
	Refused    bool            `json:"zscore_refused"`
	MinScores  int             `json:"min_scores"`
	Components []componentJSON `json:"components"`
	Bridges    []bridgeJSON    `json:"bridges"`
	Unbridged  []int           `json:"unbridged"`
}

func juriesOf(r *comparability.Report) juriesJSON {
	out := juriesJSON{Connected: r.Connected(), Refused: r.Check() != nil, MinScores: comparability.MinScores,
		Components: []componentJSON{}, Bridges: []bridgeJSON{}, Unbridged: []int{}}
	for _, c := range r.Components {
		cj := componentJSON{Judges: c.Judges, Projects: c.Projects, Scores: c.Scores, Few: []fewJSON{}}
		for _, f := range c.Few {
			cj.Few = append(cj.Few, fewJSON{Judge: f.Judge, Criterion: f.Criterion, Scores: f.Scores})
		}
		out.Components = append(out.Components, cj)
	}
	for _, b := range r.Bridges {
		out.Bridges = append(out.Bridges, bridgeJSON{Judge: b.Judge, Project: b.Project, From: b.From, To: b.To})
	}
	out.Unbridged = append(out.Unbridged, r.Unbridged...)
	return out
}

// writeJuriesTable writes the juries: the components of the juror–idea
// graph, the bridges that would connect them, the judges with too few
// scores.
func writeJuriesTable(w io.Writer, r *comparability.Report) {
	fmt.Fprintf(w, "\nJuries (%d): judges and projects joined by counted scores; juries that share no project cannot be compared by zscore.\n", len(r.Components))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "jury\tjudges\tprojects\tscores\tfew scores")
	for i, c := range r.Components {
		var few []string
		for _, f := range c.Few {
			few = append(few, fmt.Sprintf("%s (%d on %s)", f.Judge, f.Scores, f.Criterion))
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\n", i+1, strings.Join(c.Judges, " "), strings.Join(c.Projects, " "), c.Scores, strings.Join(few, ", "))
	}
	tw.Flush()
	if r.TooSmall() {
		fmt.Fprintf(w, "Few scores: fewer than %d counted scores on a criterion; a judge's spread from so few says too little for zscore.\n", comparability.MinScores)
	}
	if r.Connected() {
		return
	}
	fmt.Fprintf(w, "Bridges that would connect them (%d): %s\n", len(r.Bridges), r.BridgeList())
	if r.Method == scoring.ZScore {
		fmt.Fprintln(w, "Under zscore, afkar rank refuses these juries unless --allow-disconnected-zscore.")
	}
}

type changeJSON struct {
	Project   string `json:"project"`
	Criterion string `json:"criterion"`
	From      string `json:"from"`
	To        string `json:"to"`
}

type swingJSON struct {
	Judge     string       `json:"judge"`
	Flips     bool         `json:"flips"`
	Undecided bool         `json:"undecided"`
	Size      *string      `json:"size"` // null when no change flips
	Changes   []changeJSON `json:"changes"`
}

type boundaryJSON struct {
	Group  *string     `json:"group"` // null without group_by
	Last   string      `json:"last_selected"`
	First  string      `json:"first_not_selected"`
	Swings []swingJSON `json:"swings"`
}

type swingReportJSON struct {
	Covered    bool           `json:"covered"`
	Reason     *string        `json:"reason"`
	Boundaries []boundaryJSON `json:"boundaries"`
}

func swingOf(r *swing.Report) swingReportJSON {
	out := swingReportJSON{Covered: r.Covered, Reason: nullString(r.Reason), Boundaries: []boundaryJSON{}}
	for _, b := range r.Boundaries {
		bj := boundaryJSON{Group: nullString(b.Group), Last: b.Last, First: b.First, Swings: []swingJSON{}}
		for _, s := range b.Swings {
			sj := swingJSON{Judge: s.Judge, Flips: s.Flips, Undecided: s.Undecided, Changes: []changeJSON{}}
			if s.Flips {
				size := s.Size.String()
				sj.Size = &size
			}
			for _, c := range s.Changes {
				sj.Changes = append(sj.Changes, changeJSON{Project: c.Project, Criterion: c.Criterion, From: c.From.String(), To: c.To.String()})
			}
			bj.Swings = append(bj.Swings, sj)
		}
		out.Boundaries = append(out.Boundaries, bj)
	}
	return out
}

// writeSwingTable writes the one-juror swing of each boundary.
func writeSwingTable(w io.Writer, r *swing.Report) {
	if !r.Covered {
		fmt.Fprintf(w, "\nOne-juror swing: not computed: %s.\n", r.Reason)
		return
	}
	fmt.Fprintln(w, "\nOne-juror swing: the least total change of one juror's scores of the last selected and the first not selected")
	fmt.Fprintln(w, "(in score points, within each scale and step) that puts the first not selected above the last selected.")
	if len(r.Boundaries) == 0 {
		fmt.Fprintln(w, "No selection boundary.")
	}
	for _, b := range r.Boundaries {
		where := ""
		if b.Group != "" {
			where = b.Group + ": "
		}
		fmt.Fprintf(w, "\n%s%s (last selected) vs %s (first not selected)\n", where, b.Last, b.First)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "judge\tswing\tchange")
		for _, s := range b.Swings {
			size, change := "-", "no change of this judge's scores flips it"
			switch {
			case s.Undecided:
				change = fmt.Sprintf("undecided (more than %d rankings)", swing.MaxEvaluations)
			case s.Flips:
				size = s.Size.String()
				var parts []string
				for _, c := range s.Changes {
					parts = append(parts, fmt.Sprintf("%s %s %s → %s", c.Project, c.Criterion, c.From, c.To))
				}
				change = strings.Join(parts, ", ")
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\n", s.Judge, size, change)
		}
		tw.Flush()
	}
}

type moveJSON struct {
	Project string `json:"project"`
	From    *int   `json:"from"` // null: not ranked
	To      *int   `json:"to"`
}

type withdrawalJSON struct {
	Project          string     `json:"project"`
	SelectionChanges bool       `json:"selection_changes"`
	Selected         []string   `json:"selected"`
	Unselected       []string   `json:"unselected"`
	Moves            []moveJSON `json:"moves"`
}

// place is a position in JSON: null for 0 (not ranked).
func place(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}

func withdrawalsOf(r *withdrawal.Report) []withdrawalJSON {
	out := []withdrawalJSON{}
	for _, w := range r.Withdrawals {
		wj := withdrawalJSON{Project: w.Project, SelectionChanges: w.SelectionChanges,
			Selected: append([]string{}, w.Selected...), Unselected: append([]string{}, w.Unselected...), Moves: []moveJSON{}}
		for _, m := range w.Moves {
			wj.Moves = append(wj.Moves, moveJSON{Project: m.Project, From: place(m.From), To: place(m.To)})
		}
		out = append(out, wj)
	}
	return out
}

// writeWithdrawalTable writes what withdrawing each project changes.
func writeWithdrawalTable(w io.Writer, r *withdrawal.Report) {
	fmt.Fprintln(w, "\nWithdrawals: each project withdrawn in turn, the others ranked again; places among the remaining, in each group.")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "withdrawn\tselection\tmoves")
	for _, x := range r.Withdrawals {
		sel := "unchanged"
		if x.SelectionChanges {
			var parts []string
			for _, id := range x.Selected {
				parts = append(parts, "+"+id)
			}
			for _, id := range x.Unselected {
				parts = append(parts, "−"+id)
			}
			sel = "changes: " + strings.Join(parts, " ")
		}
		var moves []string
		for _, m := range x.Moves {
			moves = append(moves, fmt.Sprintf("%s %s → %s", m.Project, placeText(m.From), placeText(m.To)))
		}
		if len(moves) == 0 {
			moves = []string{"none"}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", x.Project, sel, strings.Join(moves, ", "))
	}
	tw.Flush()
}

// placeText is a position, "-" when not ranked.
func placeText(n int) string {
	if n == 0 {
		return "-"
	}
	return strconv.Itoa(n)
}
