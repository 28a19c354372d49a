package afkar

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/internal/dectext"
	"github.com/afkarlab/afkar/internal/jsontree"
	"github.com/afkarlab/afkar/scoring"
)

// Sheet is one judge's scoring sheet, as the browser calculator exports
// it:
//
//	{"judge": "J1", "dataset": "sha256:…", "seq": 3, "time": "2026-12-06T18:02:11Z",
//	 "signed_off": true, "scores": [{"judge", "project", "criterion", "score"}, ...]}
//
// Only scores is required. A sheet that names its dataset and its version
// (Seq) is the judge's whole sheet at that moment: [Dataset.MergeSheets]
// checks it against the dataset and keeps the judge's latest version.
type Sheet struct {
	// Judge is the judge whose sheet it is; if empty, each score names its
	// own judge.
	Judge string
	// Project is informative: the project on screen when it was exported.
	Project string
	// Dataset is the [Dataset.StageDigest] of the dataset the sheet was
	// made for; if empty, the sheet does not say (older calculators).
	Dataset string
	// Seq is the sheet's version: each export of a judge's sheet has a
	// larger one. If zero, the sheet is not versioned.
	Seq int
	// Time is when the sheet was exported, by the device's clock; zero when
	// absent. It is informative: Seq, not Time, orders versions.
	Time time.Time
	// SignedOff is true when the judge signed the sheet off as final.
	SignedOff bool
	// Scores are the judge's scores.
	Scores []scoring.Score
}

// maxSheetSeq bounds a sheet's version number.
const maxSheetSeq = 1<<31 - 1

// maxSheetProblems bounds the problems DecodeSheetCSV lists: a file of a
// million bad lines is reported by its first thousand.
const maxSheetProblems = 1000

// DecodeSheet reads a sheet as strictly as [Decode] reads a dataset: every
// problem at once, each at its JSON path (scores[2].score). The scores are
// checked against a rubric only when merged into a dataset and validated.
func DecodeSheet(data []byte) (*Sheet, error) {
	d, root, ps := parse(data, DefaultLimits())
	if ps != nil {
		return nil, ps
	}
	sh := &Sheet{}
	hasScores := false
	keys := []string{"judge", "project", "dataset", "seq", "time", "signed_off", "scores"}
	ok := d.object(root, "", keys, func(key string, v *jsontree.Value, at string) {
		switch key {
		case "judge":
			sh.Judge = d.str(v, at)
		case "project":
			sh.Project = d.str(v, at)
		case "dataset":
			if sh.Dataset = d.str(v, at); v.Kind == jsontree.String && !validDigest(sh.Dataset) {
				d.add(at, "expected a dataset digest such as \"sha256:\" and 64 hex digits, found %q", abbreviate(sh.Dataset))
			}
		case "seq":
			sh.Seq, _ = d.integer(v, at, 1, maxSheetSeq, "a whole number from 1 (the sheet's version)")
		case "time":
			if s := d.str(v, at); v.Kind == jsontree.String {
				t, err := ParseTime(s)
				if err != nil {
					d.add(at, "%s", err.Error())
				}
				sh.Time = t
			}
		case "signed_off":
			if v.Kind != jsontree.Bool {
				d.add(at, "expected true or false, found %s", describe(v))
			}
			sh.SignedOff = v.Kind == jsontree.Bool && v.Bool
		case "scores":
			hasScores = true
			d.scores(v, at, (*scoreList)(&sh.Scores))
		}
	})
	if ok && !hasScores {
		d.add("scores", "required, missing")
	}
	if len(d.ps) > 0 {
		return nil, d.ps
	}
	return sh, nil
}

// validDigest reports whether s is "sha256:" and 64 lowercase hex digits.
func validDigest(s string) bool {
	hex, ok := strings.CutPrefix(s, "sha256:")
	if !ok || len(hex) != 64 {
		return false
	}
	for _, c := range []byte(hex) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// The columns of a sheet written as CSV. The first four are required; the
// others, when present, hold the same value on every row.
var sheetColumns = []string{"project", "judge", "criterion", "score", "dataset", "seq", "time", "signed_off"}

// DecodeSheetCSV reads a sheet written as CSV, as the browser calculator
// exports it: a header, then one score a line,
//
//	project,judge,criterion,score,dataset,seq,time,signed_off
//	DAK-01,J1,social,15.5,sha256:…,3,2026-12-06T18:02:11Z,false
//
// The columns may come in any order; project, judge, criterion and score
// are required, the sheet's identity (dataset, seq, time, signed_off) is
// optional and must be the same on every line. Other columns are ignored.
// A byte order mark and CRLF line ends are accepted. Every problem is
// reported at once, at "line L, column C (name)".
func DecodeSheetCSV(data []byte) (*Sheet, error) {
	lim := DefaultLimits()
	if len(data) > lim.MaxBytes {
		return nil, Problems{{Path: "$", Message: fmt.Sprintf("the input is %d bytes, more than the limit of %d (Limits.MaxBytes)", len(data), lim.MaxBytes)}}
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	var ps Problems
	add := func(line, col int, name, format string, args ...any) {
		if len(ps) < maxSheetProblems {
			ps = append(ps, Problem{Path: fmt.Sprintf("line %d, column %d (%s)", line, col, name), Message: fmt.Sprintf(format, args...)})
		}
	}
	header, err := r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, Problems{{Path: "line 1", Message: "expected a header (project,judge,criterion,score), found an empty file"}}
		}
		return nil, Problems{csvProblem(err)}
	}
	at := make(map[string]int, len(sheetColumns))
	for i, name := range header {
		name = strings.TrimSpace(name)
		if slices.Contains(sheetColumns, name) {
			if _, dup := at[name]; dup {
				add(1, i+1, name, "duplicate column %q", name)
				continue
			}
			at[name] = i
		}
	}
	for _, name := range sheetColumns[:4] {
		if _, ok := at[name]; !ok {
			ps = append(ps, Problem{Path: "line 1", Message: fmt.Sprintf("missing column %q (expected a header with project,judge,criterion,score)", name)})
		}
	}
	if len(ps) > 0 {
		return nil, ps
	}
	sh := &Sheet{}
	identity := map[string]string{} // column → the value of the first line
	dec := dectext.Limits{MaxDigits: lim.MaxDecimalDigits, MaxExponent: lim.MaxDecimalMagnitude}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// FieldsPerRecord is -1: the only errors are about quotes, and
			// the reader cannot go on past one.
			ps = append(ps, csvProblem(err))
			break
		}
		line, _ := r.FieldPos(0)
		if len(sh.Scores) >= lim.MaxScores {
			add(line, 1, "project", "more than %d scores (Limits.MaxScores)", lim.MaxScores)
			break
		}
		cell := func(name string) (string, int) {
			i := at[name]
			if i >= len(rec) {
				return "", i + 1
			}
			return strings.TrimSpace(rec[i]), i + 1
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		var s scoring.Score
		for _, name := range sheetColumns[:3] {
			v, col := cell(name)
			if v == "" {
				add(line, col, name, "required, empty")
			}
			switch name {
			case "project":
				s.Project = v
			case "judge":
				s.Judge = v
			case "criterion":
				s.Criterion = v
			}
		}
		if v, col := cell("score"); v == "" {
			add(line, col, "score", "required, empty")
		} else if x, err := dectext.ParseLimited(v, dec); err != nil {
			add(line, col, "score", "%s", err.Error())
		} else {
			s.Value = x
		}
		sh.Scores = append(sh.Scores, s)
		for _, name := range sheetColumns[4:] {
			if _, ok := at[name]; !ok {
				continue
			}
			v, col := cell(name)
			first, seen := identity[name]
			if !seen {
				identity[name] = v
				sheetIdentity(sh, name, v, func(format string, args ...any) { add(line, col, name, format, args...) })
			} else if v != first {
				add(line, col, name, "expected %q, as on the first line: a sheet has one %s", first, name)
			}
		}
	}
	if len(ps) > 0 {
		return nil, ps
	}
	if len(sh.Scores) > 0 {
		sh.Judge = sh.Scores[0].Judge
	}
	return sh, nil
}

// sheetIdentity sets the sheet's identity field name from a CSV cell.
func sheetIdentity(sh *Sheet, name, v string, fail func(format string, args ...any)) {
	if v == "" {
		return
	}
	switch name {
	case "dataset":
		if !validDigest(v) {
			fail("expected a dataset digest such as \"sha256:\" and 64 hex digits, found %q", abbreviate(v))
		}
		sh.Dataset = v
	case "seq":
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxSheetSeq {
			fail("expected a whole number from 1 (the sheet's version), found %q", abbreviate(v))
		}
		sh.Seq = n
	case "time":
		t, err := ParseTime(v)
		if err != nil {
			fail("%s", err.Error())
		}
		sh.Time = t
	case "signed_off":
		b, err := strconv.ParseBool(v)
		if err != nil || (v != "true" && v != "false") {
			fail("expected true or false, found %q", abbreviate(v))
		}
		sh.SignedOff = b
	}
}

// csvProblem places encoding/csv's error at its line and column.
func csvProblem(err error) Problem {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return Problem{Path: fmt.Sprintf("line %d, column %d", pe.Line, pe.Column), Message: pe.Err.Error()}
	}
	return Problem{Path: "line 1", Message: err.Error()}
}

// Merge adds the sheets' scores to the dataset's, in order: a score for a
// (judge, project, criterion) already present replaces it in place. When
// the dataset has no projects, they become the distinct projects of the
// scores, in order of first appearance. The result is not validated: call
// [Dataset.Validate] or [Evaluate]. Merge does not look at the sheets'
// identity: [Dataset.MergeSheets] does.
func (ds *Dataset) Merge(sheets ...*Sheet) {
	type key struct{ j, p, c string }
	at := make(map[key]int, ds.Scores.Len())
	for i, s := range ds.Scores.All() {
		at[key{s.Judge, s.Project, s.Criterion}] = i
	}
	for _, sh := range sheets {
		for _, s := range sh.Scores {
			k := key{s.Judge, s.Project, s.Criterion}
			if i, ok := at[k]; ok {
				ds.Scores.Set(i, s)
				continue
			}
			at[k] = ds.Scores.Len()
			ds.Scores.Append(s)
		}
	}
	if len(ds.Projects) == 0 {
		seen := map[string]bool{}
		for _, s := range ds.Scores.All() {
			if !seen[s.Project] {
				seen[s.Project] = true
				ds.Projects = append(ds.Projects, bank.Project{ID: s.Project})
			}
		}
	}
}

// StageDigest returns the digest ([Dataset.Digest]) of the dataset without
// its scores: the rubric, the rules, the projects and the judges. A judge's
// sheet names it to say which stage it was made for. Merging scores leaves
// it unchanged; changing anything else changes it.
func (ds *Dataset) StageDigest() string {
	stage := *ds
	stage.Scores = scoring.Scores{}
	return stage.Digest()
}

// SheetStatus says what [Dataset.MergeSheets] did with a sheet.
type SheetStatus string

// The sheet statuses.
const (
	// SheetMerged: the sheet's scores were merged.
	SheetMerged SheetStatus = "merged"
	// SheetSuperseded: a later version of the same judge's sheet was
	// merged instead.
	SheetSuperseded SheetStatus = "superseded"
	// SheetDuplicate: the same version of the same judge's sheet, with the
	// same scores, came earlier and was merged once.
	SheetDuplicate SheetStatus = "duplicate"
)

// SheetReport is what [Dataset.MergeSheets] did with one sheet.
type SheetReport struct {
	Judge     string      // the sheet's judge
	Seq       int         // its version; 0 if not versioned
	Time      time.Time   // when it was exported; zero if it does not say
	SignedOff bool        // signed off by the judge
	Scores    int         // how many scores it holds
	Status    SheetStatus // what was done with it
	// By is, for a superseded or duplicate sheet, the index of the sheet
	// merged instead; -1 otherwise.
	By int
	// Unverified is true when the sheet names no dataset: nothing shows it
	// was made for this one.
	Unverified bool
}

// MergeSheets merges judges' sheets into the dataset as a stage's
// organiser does, checking them first:
//
//   - a sheet that names a dataset must name this one (its Dataset equal to
//     ds.StageDigest());
//   - a sheet that names its judge holds only that judge's scores;
//   - of the versioned sheets (Seq > 0) of one judge, the latest is merged
//     and the others are reported superseded; two of the same version are
//     a duplicate when their scores are the same, else a problem;
//   - a versioned sheet is the judge's whole sheet: that judge's scores
//     already in the dataset are dropped before it is merged, so a score the
//     judge withdrew does not stay.
//
// Sheets are then merged in input order, as [Dataset.Merge] merges them.
// On any problem nothing is merged, and every problem is returned, each at
// sheets[i]. The report has one entry per sheet, in input order.
func (ds *Dataset) MergeSheets(sheets []*Sheet) ([]SheetReport, error) {
	stage := ds.StageDigest()
	var ps Problems
	reports := make([]SheetReport, len(sheets))
	latest := map[string]int{} // judge → index of its latest versioned sheet
	for i, sh := range sheets {
		at := fmt.Sprintf("sheets[%d]", i)
		reports[i] = SheetReport{Judge: sh.Judge, Seq: sh.Seq, Time: sh.Time, SignedOff: sh.SignedOff,
			Scores: len(sh.Scores), Status: SheetMerged, By: -1, Unverified: sh.Dataset == ""}
		if sh.Dataset != "" && sh.Dataset != stage {
			ps = append(ps, Problem{Path: at + ".dataset", Message: fmt.Sprintf(
				"this sheet was made for another dataset (%s), not this one (%s): ask the judge to load this stage's dataset and export again",
				shortDigest(sh.Dataset), shortDigest(stage))})
		}
		if sh.Judge != "" {
			for k, s := range sh.Scores {
				if s.Judge != sh.Judge {
					ps = append(ps, Problem{Path: fmt.Sprintf("%s.scores[%d].judge", at, k), Message: fmt.Sprintf(
						"a score of judge %q in the sheet of judge %q: a sheet holds one judge's scores", s.Judge, sh.Judge)})
					break
				}
			}
		}
		if sh.Seq == 0 {
			continue
		}
		if sh.Judge == "" {
			ps = append(ps, Problem{Path: at + ".judge", Message: "required with seq: a versioned sheet names its judge"})
			continue
		}
		j, ok := latest[sh.Judge]
		switch {
		case !ok:
			latest[sh.Judge] = i
		case sheets[j].Seq < sh.Seq:
			latest[sh.Judge] = i
		case sheets[j].Seq == sh.Seq && !sameScores(sheets[j].Scores, sh.Scores):
			ps = append(ps, Problem{Path: at, Message: fmt.Sprintf(
				"judge %q has two different sheets with version %d (sheets[%d] and this one): keep the right one and remove the other",
				sh.Judge, sh.Seq, j)})
		}
	}
	if len(ps) > 0 {
		return nil, ps
	}
	var keep []*Sheet
	for i, sh := range sheets {
		if sh.Seq > 0 {
			if j := latest[sh.Judge]; j != i {
				reports[i].By = j
				if sheets[j].Seq == sh.Seq {
					reports[i].Status = SheetDuplicate
				} else {
					reports[i].Status = SheetSuperseded
				}
				continue
			}
		}
		keep = append(keep, sh)
	}
	if len(latest) > 0 {
		var others []scoring.Score
		for _, s := range ds.Scores.All() {
			if _, replaced := latest[s.Judge]; !replaced {
				others = append(others, s)
			}
		}
		if len(others) != ds.Scores.Len() {
			ds.Scores = scoring.ScoresOf(others...)
		}
	}
	ds.Merge(keep...)
	return reports, nil
}

// sameScores reports whether a and b hold the same scores, in any order.
func sameScores(a, b []scoring.Score) bool {
	if len(a) != len(b) {
		return false
	}
	order := func(x, y scoring.Score) int {
		return cmp.Or(cmp.Compare(x.Project, y.Project), cmp.Compare(x.Criterion, y.Criterion), cmp.Compare(x.Judge, y.Judge), x.Value.Cmp(y.Value))
	}
	a, b = slices.Clone(a), slices.Clone(b)
	slices.SortFunc(a, order)
	slices.SortFunc(b, order)
	return slices.EqualFunc(a, b, func(x, y scoring.Score) bool { return order(x, y) == 0 })
}

// shortDigest abbreviates a digest for a message: "sha256:" and 12 hex digits.
func shortDigest(d string) string {
	if len(d) > len("sha256:")+12 {
		return d[:len("sha256:")+12] + "…"
	}
	return d
}
