package main

import (
	"bytes"
	"embed"
	"flag"
	"fmt"
	"html/template"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/exact"
	"github.com/afkarlab/afkar/feedback"
	"github.com/afkarlab/afkar/internal/atomicfile"
)

const feedbackUsage = `usage: afkar feedback [--lang ar|fr|en] --out DIR [flags] [DATASET|-]

Writes one printable HTML report per idea into DIR (ID.html) and an index
(index.html): the idea's aggregates against its stage's (its group's)
median and quartiles, its rank, the margin to selection on each criterion,
or why it was not ranked. The pages are self-contained: no script, no
external resource.

Example:
  afkar feedback --lang fr --out reports testdata/dakhla/dataset.json

Flags:
`

//go:embed feedback.html.tmpl
var feedbackFS embed.FS

// feedbackPage is the report template; it is parsed for each command run,
// so no template is package state.
func feedbackPage() *template.Template {
	return template.Must(template.New("feedback.html.tmpl").
		Funcs(template.FuncMap{"width": func(a, b float64) float64 { return b - a }}).
		ParseFS(feedbackFS, "feedback.html.tmpl"))
}

func (e *env) feedback(args []string) error {
	var in inputFlags
	var lang, out string
	fs := flag.NewFlagSet("feedback", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.StringVar(&lang, "lang", "en", "`language` of the reports: ar, fr or en")
	fs.StringVar(&out, "out", "", "write the reports into `DIR` (created if needed)")
	in.register(fs)
	fs.Usage = func() { fmt.Fprint(fs.Output(), feedbackUsage); fs.PrintDefaults() }
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if lang, err = parseLang(lang); err != nil {
		return err
	}
	if out == "" {
		return &usageError{"feedback: --out DIR is required"}
	}
	if err := in.check(); err != nil {
		return err
	}
	ds, src, err := e.loadDataset("feedback", rest, &in)
	if err != nil {
		return err
	}
	res, err := afkar.Evaluate(e.ctx, ds)
	if err != nil {
		return problemsError(err, src)
	}
	pages, err := feedbackPages(ds, res, lang)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for _, p := range pages {
		if err := atomicfile.Write(filepath.Join(out, p.name), p.data, 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stderr, "afkar: %d feedback reports and index.html written to %s\n", len(pages)-1, out)
	return nil
}

// page is one file of the feedback reports.
type page struct {
	name string
	data []byte
}

// safeName matches the project IDs that are file names as they are.
var safeName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// fileName is the report's file name: the ID, or its place in the result
// when the ID is not a plain file name.
func fileName(id string, i int) string {
	if safeName.MatchString(id) && !strings.EqualFold(id, "index") {
		return id + ".html"
	}
	return fmt.Sprintf("idea-%d.html", i+1)
}

// feedbackPages renders every idea's report and the index.
func feedbackPages(ds *afkar.Dataset, res *afkar.Result, lang string) ([]page, error) {
	rep := feedback.Build(ds, res)
	v := newFeedbackView(ds, res, lang)
	tmpl := feedbackPage()
	var pages []page
	var index []indexRow
	for i := range rep.Ideas {
		iv := v.idea(&rep.Ideas[i])
		iv.File = fileName(rep.Ideas[i].Project.ID, i)
		var b bytes.Buffer
		if err := tmpl.ExecuteTemplate(&b, "idea", iv); err != nil {
			return nil, err
		}
		pages = append(pages, page{iv.File, b.Bytes()})
		index = append(index, indexRow{Rank: iv.Rank, ID: iv.ID, Title: iv.Title, Total: iv.Total, Status: iv.Status, File: iv.File})
	}
	var b bytes.Buffer
	if err := tmpl.ExecuteTemplate(&b, "index", struct {
		*feedbackView
		Rows []indexRow
	}{v, index}); err != nil {
		return nil, err
	}
	return append(pages, page{"index.html", b.Bytes()}), nil
}

// feedbackView holds what every page shows.
type feedbackView struct {
	T              *feedbackTexts
	Lang, Dir      string
	Stage, Digest  string
	TotalMax       string
	Places         int
	ds             *afkar.Dataset
	res            *afkar.Result
	words          *texts
	criteriaLabels []string
}

func newFeedbackView(ds *afkar.Dataset, res *afkar.Result, lang string) *feedbackView {
	t := feedbackTextsFor(lang)
	v := &feedbackView{T: t, Lang: lang, Dir: "ltr", ds: ds, res: res, words: textsFor(lang), Places: res.Places()}
	if lang == "ar" {
		v.Dir = "rtl"
	}
	v.Stage = v.words.defaultTitle
	if ds.Ideathon != nil && ds.Ideathon.Title != "" {
		v.Stage = ds.Ideathon.Title
	}
	v.Digest = res.InputDigest
	tm := ds.Rubric.TotalMax
	if tm.IsZero() {
		v.TotalMax = v.dec("100")
	} else {
		v.TotalMax = v.dec(tm.String())
	}
	for _, c := range ds.Rubric.Criteria {
		v.criteriaLabels = append(v.criteriaLabels, c.Label.In(lang, c.ID))
	}
	return v
}

// dec writes a decimal text with the language's decimal mark; digits stay
// Latin (0-9), as in CLDR's fr-MA and ar-MA.
func (v *feedbackView) dec(s string) string {
	if v.words.decimalComma {
		return strings.Replace(s, ".", ",", 1)
	}
	return s
}

// pub writes x as published: the rubric's places and rounding mode.
func (v *feedbackView) pub(x exact.Num) string {
	return v.dec(v.res.Format(exact.NullNum{Num: x, Valid: true}))
}

// up writes x ≥ 0 rounded up to the rubric's places, so that the figure
// shown is always enough.
func (v *feedbackView) up(x exact.Num) string {
	p := v.res.Places()
	r := x.Round(p, exact.Down)
	if r.Cmp(x) < 0 {
		unit := new(big.Rat).SetFrac(big.NewInt(1), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(p)), nil))
		r = exact.FromRat(unit.Add(unit, r.Rat()))
	}
	return v.dec(r.Text(p))
}

// ideaView is one report.
type ideaView struct {
	*feedbackView
	File, ID, Title string
	Rank, Total     string
	Status          string
	Selected        bool
	Placement       []fact // the rank, and the group rank
	Reasons         string
	Rows            []criterionRow
	Margin          *marginView
	MarginNote      string // when there is no margin table: why
	Comments        []string
}

// criterionRow is one criterion of the profile.
type criterionRow struct {
	Label, Value, Median, Quartiles string
	Chart                           chart
}

// chart is the coordinates of one criterion's bar, in pixels of a 300×28
// box: the range is the track, the box the quartiles, the tick the median
// and the dot the idea. The exact values are converted to float64 here,
// once, to draw.
type chart struct {
	Low, High, Q1, Q3, Median, Dot float64
	HasSpread, HasDot              bool
}

// marginView is the margin to selection.
type marginView struct {
	Lead string
	Rows []closingRow
	Note string
}

type closingRow struct {
	Label, Need, Verdict string
	Possible             bool
}

// fact is one labelled figure of a report's heading.
type fact struct{ Label, Text string }

type indexRow struct{ Rank, ID, Title, Total, Status, File string }

const chartX0, chartW = 8.0, 284.0

func (v *feedbackView) idea(i *feedback.Idea) *ideaView {
	t, p := v.T, &i.Project
	iso := v.words.ltr // ids and numbers in Arabic sentences
	iv := &ideaView{feedbackView: v, ID: p.ID, Title: p.Title, Selected: p.Selected, Comments: i.Comments}
	if iv.Title == "" {
		iv.Title = p.ID
	}
	if p.Total.Valid {
		iv.Total = v.pub(p.Total.Num)
	}
	switch {
	case !p.Eligible:
		iv.Status = t.NotRanked
		iv.Rank = "—"
		iv.Reasons = v.words.reasonsOf(p, v.res, v.ds)
	case p.Selected:
		iv.Status = t.Selected
	default:
		iv.Status = t.NotSelected
	}
	if p.Eligible {
		iv.Rank = p.Rank.String()
		iv.Placement = append(iv.Placement, fact{t.Rank, fmt.Sprintf(t.RankOf, iso(p.Rank.String()), v.res.NumRanked())})
		if p.Group != nil && !p.GroupRank.IsZero() {
			iv.Placement = append(iv.Placement, fact{t.InGroup, fmt.Sprintf(t.GroupRankOf, v.words.free(v.groupName(*p.Group)), iso(p.GroupRank.String()), i.GroupSize)})
		}
	}
	for c, pos := range i.Profile {
		row := criterionRow{Label: v.criteriaLabels[c], Value: "—", Median: "—", Quartiles: "—"}
		lo, hi := toFloat(pos.Min), toFloat(pos.Max)
		x := func(n exact.Num) float64 { return chartX0 + chartW*(toFloat(n)-lo)/(hi-lo) }
		row.Chart = chart{Low: chartX0, High: chartX0 + chartW}
		if pos.Value.Valid {
			row.Value = v.pub(pos.Value.Num)
			row.Chart.Dot, row.Chart.HasDot = x(pos.Value.Num), true
		}
		if s := pos.Spread; s.N > 0 {
			row.Median = v.pub(s.Median)
			row.Quartiles = fmt.Sprintf(t.Between, iso(v.pub(s.Q1)), iso(v.pub(s.Q3)))
			row.Chart.Q1, row.Chart.Q3, row.Chart.Median, row.Chart.HasSpread = x(s.Q1), x(s.Q3), x(s.Median), true
		}
		iv.Rows = append(iv.Rows, row)
	}
	switch m := i.Margin; {
	case m != nil && m.Gap.Sign() == 0:
		iv.MarginNote = fmt.Sprintf(t.Tied, iso(m.Last))
	case m != nil:
		mv := &marginView{Lead: fmt.Sprintf(t.Gap, iso(v.pub(m.Gap)), iso(m.Last), iso(v.pub(m.LastTotal))), Note: t.MarginNote}
		for c, cl := range m.Criteria {
			row := closingRow{Label: v.criteriaLabels[c], Need: "—", Possible: cl.Possible}
			_, hi, _ := v.ds.Rubric.Range(c)
			switch {
			case cl.PerPoint.Sign() == 0:
				row.Verdict = t.ZeroWeight
			case cl.Possible:
				row.Need = "+" + v.up(cl.Need)
				row.Verdict = t.Possible
			default:
				row.Need = "+" + v.up(cl.Need)
				row.Verdict = fmt.Sprintf(t.Impossible, iso(v.dec(hi.String())))
			}
			mv.Rows = append(mv.Rows, row)
		}
		iv.Margin = mv
	case p.Eligible && !p.Selected && v.ds.Ranking.Top <= 0:
		iv.MarginNote = t.NoSelection
	}
	return iv
}

// groupName is a group's name in the view's language: a region's name,
// or the value as it is.
func (v *feedbackView) groupName(g string) string {
	if v.ds.Ranking.GroupBy == "region" {
		if r, ok := bank.LookupRegion(g); ok {
			return r.Name.In(v.Lang)
		}
	}
	return g
}

// toFloat converts an exact value to draw it.
func toFloat(x exact.Num) float64 {
	f, _ := x.Rat().Float64()
	return f
}

// Fmt formats a coordinate for the SVG, to a tenth of a pixel.
func (c chart) Fmt(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }
