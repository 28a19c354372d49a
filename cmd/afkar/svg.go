package main

import (
	"bytes"
	"cmp"
	"fmt"
	"html"
	"math"
	"slices"
	"strconv"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/analysis/agreement"
	"github.com/afkarlab/afkar/analysis/sensitivity"
	"github.com/afkarlab/afkar/internal/freetext"
)

// The charts are plain SVG, written by hand: one row per project or judge,
// labels on the left, a value axis with ticks and grid lines.

const (
	chartWidth  = 1000
	chartLeft   = 150 // room for the row labels
	chartRight  = 84  // room for the right-hand notes
	chartRow    = 16  // height of a row
	chartHeader = 104 // title, subtitle, legend and axis
	chartFooter = 44  // axis label
	maxRows     = 100 // rows drawn at most
	font        = `font-family="DejaVu Sans, Helvetica, Arial, sans-serif"`
)

type svg struct{ bytes.Buffer }

func newSVG(height int) *svg {
	s := &svg{}
	fmt.Fprintf(s, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" %s font-size="12">`+"\n",
		chartWidth, height, chartWidth, height, font)
	fmt.Fprintf(s, `<rect width="%d" height="%d" fill="#ffffff"/>`+"\n", chartWidth, height)
	return s
}

// text writes a text element. Its text is shown as freetext.Visible
// shows it, then escaped for XML: whatever the text (controls, bytes that
// are not UTF-8, U+FFFE), the document stays well-formed XML, and nothing
// in it reorders or hides the chart's text.
func (s *svg) text(x, y float64, anchor, attrs, text string) {
	fmt.Fprintf(s, `<text x="%.1f" y="%.1f" text-anchor="%s" %s>%s</text>`+"\n", x, y, anchor, attrs,
		html.EscapeString(freetext.Visible(text)))
}

func (s *svg) line(x1, y1, x2, y2 float64, attrs string) {
	fmt.Fprintf(s, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" %s/>`+"\n", x1, y1, x2, y2, attrs)
}

func (s *svg) end() []byte {
	s.WriteString("</svg>\n")
	return s.Bytes()
}

// header writes the title and subtitle lines.
func (s *svg) header(title string, subtitles ...string) {
	s.text(20, 28, "start", `font-size="17" font-weight="bold" fill="#1a1a1a"`, title)
	for i, sub := range subtitles {
		s.text(20, 48+float64(i)*16, "start", `fill="#555"`, sub)
	}
}

// niceStep returns a step of 1, 2 or 5 times a power of ten giving about
// target intervals over span.
func niceStep(span float64, target int) float64 {
	if span <= 0 {
		return 1
	}
	raw := span / float64(target)
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw {
			return m * p
		}
	}
	return 10 * p
}

// axis draws vertical grid lines and tick labels at ticks, from top to
// bottom, with labels above top and below bottom.
func (s *svg) axis(ticks []float64, x func(float64) float64, top, bottom float64, label func(float64) string) {
	for _, t := range ticks {
		xt := x(t)
		s.line(xt, top, xt, bottom, `stroke="#e3e5e8" stroke-width="1"`)
		s.text(xt, top-6, "middle", `fill="#444"`, label(t))
		s.text(xt, bottom+16, "middle", `fill="#444"`, label(t))
	}
	s.line(chartLeft, top, chartWidth-chartRight, top, `stroke="#888" stroke-width="1"`)
	s.line(chartLeft, bottom, chartWidth-chartRight, bottom, `stroke="#888" stroke-width="1"`)
}

func rankFloat(halves int) float64 { return float64(halves) / 2 }

// rankChart draws each project's rank interval over the samples: a bar
// from the 5th to the 95th percentile, a dot at the median and a tick at
// the current rank, the projects in current order.
func rankChart(sim *sensitivity.Simulation, ds *afkar.Dataset) []byte {
	rows := sim.Projects[:min(len(sim.Projects), maxRows)]
	height := chartHeader + len(rows)*chartRow + chartFooter
	s := newSVG(height)
	how := "weights uniform over the simplex"
	if sim.Weights == sensitivity.Perturb {
		how = "weights perturbed by up to ±" + sim.Spread.String() + " and renormalised"
	}
	shown := fmt.Sprintf("all %d eligible projects, in current order", len(sim.Projects))
	if len(rows) < len(sim.Projects) {
		shown = fmt.Sprintf("the first %d of %d eligible projects, in current order", len(rows), len(sim.Projects))
	}
	s.header("Rank under other weights: "+title(ds),
		fmt.Sprintf("%d samples (seed %d), %s; %s.", sim.Samples, sim.Seed, how, shown))
	// Legend.
	ly := 80.0
	s.line(20, ly-4, 44, ly-4, `stroke="#1f6fb4" stroke-width="5" stroke-linecap="round"`)
	s.text(50, ly, "start", `fill="#333"`, "5th–95th percentile of the rank (blue: selected now, grey: not)")
	s.WriteString(fmt.Sprintf(`<circle cx="452" cy="%.1f" r="4" fill="#0b3d6b"/>`+"\n", ly-4))
	s.text(460, ly, "start", `fill="#333"`, "median")
	s.line(520, ly-10, 520, ly+2, `stroke="#d12f2f" stroke-width="2"`)
	s.text(527, ly, "start", `fill="#333"`, "current rank")

	maxRank := 1.0
	for _, o := range rows {
		maxRank = max(maxRank, rankFloat(o.P95.Halves()), rankFloat(o.Rank.Halves()))
	}
	step := niceStep(maxRank-1, 10)
	hi := math.Max(math.Ceil(maxRank/step)*step, 2)
	plotW := float64(chartWidth - chartLeft - chartRight)
	x := func(r float64) float64 { return chartLeft + (r-1)/(hi-1)*plotW }
	top := float64(chartHeader)
	bottom := top + float64(len(rows)*chartRow)
	ticks := []float64{1}
	for t := step; t <= hi; t += step {
		if t > 1 {
			ticks = append(ticks, t)
		}
	}
	for i := range rows {
		if i%2 == 1 {
			fmt.Fprintf(s, `<rect x="%d" y="%.1f" width="%d" height="%d" fill="#f5f6f8"/>`+"\n", 10, top+float64(i*chartRow), chartWidth-20, chartRow)
		}
	}
	s.axis(ticks, x, top, bottom, func(t float64) string { return strconv.FormatFloat(t, 'f', -1, 64) })
	for i, o := range rows {
		y := top + float64(i*chartRow) + chartRow/2
		colour, dark := "#a3a9b1", "#4a5058"
		if o.Selected {
			colour, dark = "#1f6fb4", "#0b3d6b"
		}
		s.text(chartLeft-10, y+4, "end", `fill="#222"`, o.ID)
		x5, x95 := x(rankFloat(o.P5.Halves())), x(rankFloat(o.P95.Halves()))
		if x95-x5 < 2 {
			x5, x95 = x5-1, x95+1
		}
		s.line(x5, y, x95, y, fmt.Sprintf(`stroke="%s" stroke-width="6" stroke-linecap="round"`, colour))
		fmt.Fprintf(s, `<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s"/>`+"\n", x(rankFloat(o.P50.Halves())), y, dark)
		xc := x(rankFloat(o.Rank.Halves()))
		s.line(xc, y-6, xc, y+6, `stroke="#d12f2f" stroke-width="2"`)
		s.text(chartWidth-chartRight+8, y+4, "start", `fill="#666" font-size="11"`, fmt.Sprintf("P(sel) %.2f", o.PSelected))
	}
	s.text(chartLeft+plotW/2, bottom+36, "middle", `fill="#222" font-size="13"`, "overall rank over the samples (1 = first)")
	return s.end()
}

// leniencyChart draws each judge's leniency on totals: a bar from 0, to
// the right for judges more generous than the others, to the left for
// stricter ones, with the number of projects compared.
func leniencyChart(rep *agreement.Report, ds *afkar.Dataset) []byte {
	var rows []agreement.Judge
	for _, j := range rep.Judges {
		if j.Total.Pairs > 0 {
			rows = append(rows, j)
		}
	}
	hidden := len(rep.Judges) - len(rows)
	slices.SortFunc(rows, func(a, b agreement.Judge) int {
		return cmp.Or(cmp.Compare(b.Total.Mean, a.Total.Mean), cmp.Compare(a.ID, b.ID))
	})
	cut := ""
	if len(rows) > maxRows {
		cut = fmt.Sprintf(" Only the %d most lenient of %d judges are shown.", maxRows, len(rows))
		rows = rows[:maxRows]
	}
	height := chartHeader + len(rows)*chartRow + chartFooter
	s := newSVG(height)
	totalMax := ds.Rubric.TotalMax.String()
	if ds.Rubric.TotalMax.IsZero() {
		totalMax = "100"
	}
	note := fmt.Sprintf("Mean of (the judge's own total − the other judges' mean total on the same project), in points of %s.", totalMax)
	more := "n: projects compared. Pale bars: judges with fewer than 3 projects or sharing none with another judge." + cut
	if hidden > 0 {
		more += fmt.Sprintf(" %d judges with no project to compare are not shown.", hidden)
	}
	s.header("Judge leniency on totals: "+title(ds), note, more)

	m := 0.0
	for _, j := range rows {
		m = math.Max(m, math.Abs(j.Total.Mean))
	}
	step := niceStep(2*m, 8)
	bound := math.Max(math.Ceil(m/step)*step, step)
	plotW := float64(chartWidth - chartLeft - chartRight)
	x := func(v float64) float64 { return chartLeft + (v+bound)/(2*bound)*plotW }
	top := float64(chartHeader)
	bottom := top + float64(len(rows)*chartRow)
	var ticks []float64
	for t := -bound; t <= bound+step/2; t += step {
		ticks = append(ticks, math.Round(t/step)*step)
	}
	for i := range rows {
		if i%2 == 1 {
			fmt.Fprintf(s, `<rect x="%d" y="%.1f" width="%d" height="%d" fill="#f5f6f8"/>`+"\n", 10, top+float64(i*chartRow), chartWidth-20, chartRow)
		}
	}
	s.axis(ticks, x, top, bottom, func(t float64) string {
		v := strconv.FormatFloat(t, 'f', -1, 64)
		if t > 0 {
			v = "+" + v
		}
		return v
	})
	s.line(x(0), top, x(0), bottom, `stroke="#333" stroke-width="1.5"`)
	for i, j := range rows {
		y := top + float64(i*chartRow) + chartRow/2
		colour := "#d9822b"
		if j.Total.Mean < 0 {
			colour = "#2b7bb9"
		}
		opacity := "1"
		if j.FewProjects || j.Isolated {
			opacity = "0.4"
		}
		s.text(chartLeft-10, y+4, "end", `fill="#222"`, j.ID)
		x0, x1 := x(0), x(j.Total.Mean)
		fmt.Fprintf(s, `<rect x="%.1f" y="%.1f" width="%.1f" height="%d" fill="%s" fill-opacity="%s"/>`+"\n",
			math.Min(x0, x1), y-5, math.Max(math.Abs(x1-x0), 1), 10, colour, opacity)
		s.text(chartWidth-chartRight+8, y+4, "start", `fill="#666" font-size="11"`, fmt.Sprintf("n=%d", j.Total.Pairs))
	}
	s.text(x(-bound/2), bottom+36, "middle", `fill="#2b7bb9" font-size="13"`, "← stricter than the others")
	s.text(x(bound/2), bottom+36, "middle", `fill="#b8651a" font-size="13"`, "more generous than the others →")
	return s.end()
}
