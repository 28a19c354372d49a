// Package bridge is the JSON-in, JSON-out layer between the Afkar engine
// and JavaScript: the WebAssembly program (package main in the folder
// above) exposes these functions to the page as they are. It is plain Go,
// so its tests run on the host and, unchanged, under GOOS=js.
//
// Every function takes and returns JSON text; decimals are strings. A
// failure is never a Go panic or a JavaScript exception but the answer
//
//	{"error": {"problems": [{"path": "scores[3].score", "message": "…"}]}}
//
// with a JSON path and a message for every problem found.
package bridge

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"testing/fstest"
	"time"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/analysis/swing"
	"github.com/afkarlab/afkar/internal/dectext"
	"github.com/afkarlab/afkar/internal/sample"
	"github.com/afkarlab/afkar/scoring"
	"github.com/afkarlab/afkar/tour"
	"github.com/shopspring/decimal"
)

// Version returns the dataset format the engine reads.
func Version() string { return afkar.Format }

// Sample returns the built-in synthetic sample dataset.
func Sample() []byte { return sample.JSON() }

// Evaluate scores and ranks a dataset: the result JSON, byte for byte what
// the library and the command line give, or the error answer.
func Evaluate(dataset []byte) []byte {
	return guard(func() ([]byte, error) {
		// Evaluate validates the dataset, with the problems Decode would
		// report: once is enough.
		ds, err := afkar.DecodeOptions{NoValidate: true}.Decode(dataset)
		if err != nil {
			return nil, err
		}
		res, err := afkar.Evaluate(context.Background(), ds)
		if err != nil {
			return nil, err
		}
		return res.MarshalJSON()
	})
}

// Validate answers {"valid": true} for a valid dataset, else the error
// answer with every problem.
func Validate(dataset []byte) []byte {
	return guard(func() ([]byte, error) {
		if _, err := afkar.Decode(dataset); err != nil {
			return nil, err
		}
		return []byte(`{"valid": true}`), nil
	})
}

// ScoreRequest is one judge's sheet for one project, being typed:
// {"rubric": <a dataset's rubric>, "scores": {"social": "15.5", ...}}.
// A criterion whose score is absent, null or "" is not yet scored.
type ScoreRequest struct {
	Rubric json.RawMessage            `json:"rubric"`
	Scores map[string]json.RawMessage `json:"scores"`
}

// SheetScore is the answer to a ScoreRequest.
type SheetScore struct {
	Total    *string          `json:"total"` // the sum of the scored criteria's contributions, rounded once
	TotalMax string           `json:"total_max"`
	Complete bool             `json:"complete"` // every criterion has a score
	Criteria []CriterionScore `json:"criteria"`
}

// CriterionScore is one criterion of a live sheet.
type CriterionScore struct {
	ID              string  `json:"id"`
	Score           *string `json:"score"`
	Min             string  `json:"min"`
	Max             string  `json:"max"`
	Step            *string `json:"step"`
	Weight          string  `json:"weight"`
	Contribution    *string `json:"contribution"`     // its share of the total, rounded as the rubric says
	ContributionMax string  `json:"contribution_max"` // its share at the maximum score
}

// Score computes a live sheet (see ScoreRequest): each scored criterion's
// contribution to the total, exactly, rounded as the rubric publishes
// values, and their total.
func Score(request []byte) []byte {
	return guard(func() ([]byte, error) {
		var req ScoreRequest
		dec := json.NewDecoder(bytes.NewReader(request))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			return nil, afkar.Problems{{Path: "$", Message: "expected {\"rubric\": {...}, \"scores\": {...}}: " + err.Error()}}
		}
		if len(req.Rubric) == 0 {
			return nil, afkar.Problems{{Path: "rubric", Message: "required, missing"}}
		}
		ds, err := afkar.DecodeOptions{Partial: true}.Decode(append(append([]byte(`{"rubric":`), req.Rubric...), '}'))
		if err != nil {
			return nil, err
		}
		r := &ds.Rubric
		if err := r.Validate(); err != nil {
			return nil, err.(afkar.Problems).Prefix("rubric")
		}
		var ps afkar.Problems
		for _, id := range slices.Sorted(maps.Keys(req.Scores)) {
			if r.Index(id) < 0 {
				ps = append(ps, afkar.Problem{Path: "scores." + id, Message: fmt.Sprintf("unknown criterion %q", id),
					Code: scoring.CodeCriterionUnknown, Params: scoring.Params{"criterion": id}})
			}
		}
		out := SheetScore{Complete: true, Criteria: make([]CriterionScore, len(r.Criteria))}
		total := new(big.Rat)
		places := int32(r.Places())
		fixed := func(x *big.Rat) string { return r.Round(x).StringFixed(places) }
		for i, c := range r.Criteria {
			lo, hi, step := r.Range(i)
			cs := CriterionScore{ID: c.ID, Min: lo.String(), Max: hi.String(), Weight: c.Weight.String(),
				ContributionMax: fixed(r.Contribution(i, hi))}
			if !step.IsZero() {
				s := step.String()
				cs.Step = &s
			}
			v, present, err := scoreValue(req.Scores[c.ID])
			switch {
			case err != nil:
				ps = append(ps, afkar.ProblemAt("scores."+c.ID, err))
			case !present:
				out.Complete = false
			default:
				if err := r.CheckScore(i, v); err != nil {
					ps = append(ps, afkar.ProblemAt("scores."+c.ID, err))
					break
				}
				s := v.String()
				cs.Score = &s
				contrib := r.Contribution(i, v)
				total.Add(total, contrib)
				f := fixed(contrib)
				cs.Contribution = &f
			}
			out.Criteria[i] = cs
		}
		if len(ps) > 0 {
			return nil, ps
		}
		out.TotalMax = ds.Rubric.TotalMax.String()
		if ds.Rubric.TotalMax.IsZero() {
			out.TotalMax = "100"
		}
		t := fixed(total)
		out.Total = &t
		return json.Marshal(out)
	})
}

// scoreValue reads a score given as a JSON string or number; null, "" or
// absence mean "not scored".
func scoreValue(raw json.RawMessage) (decimal.Decimal, bool, error) {
	text := string(bytes.TrimSpace(raw))
	switch {
	case text == "" || text == "null" || text == `""`:
		return decimal.Decimal{}, false, nil
	case text[0] == '"':
		if err := json.Unmarshal(raw, &text); err != nil {
			return decimal.Decimal{}, false, err
		}
		if text == "" {
			return decimal.Decimal{}, false, nil
		}
	}
	v, err := dectext.Parse(text)
	return v, err == nil, err
}

// MergeRequest asks to merge judges' sheets into a dataset:
// {"dataset": <a dataset>, "sheets": [<sheet>, ...]}; see
// [afkar.DecodeSheet]. Merge with no sheets rewrites a dataset with every
// decimal as a string and every default spelled out.
type MergeRequest struct {
	Dataset json.RawMessage   `json:"dataset"`
	Sheets  []json.RawMessage `json:"sheets"`
}

// Merge returns the dataset with the sheets' scores merged in (see
// [afkar.Dataset.Merge]), as JSON. It is not validated: Evaluate does that.
// A dataset is required: sheets alone do not say the rubric and the rules.
func Merge(request []byte) []byte {
	return guard(func() ([]byte, error) {
		var req MergeRequest
		dec := json.NewDecoder(bytes.NewReader(request))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			return nil, afkar.Problems{{Path: "$", Message: "expected {\"dataset\": {...}, \"sheets\": [...]}: " + err.Error()}}
		}
		ds, err := partialDataset(req.Dataset)
		if err != nil {
			return nil, err
		}
		var ps afkar.Problems
		sheets := make([]*afkar.Sheet, 0, len(req.Sheets))
		for i, raw := range req.Sheets {
			sh, err := afkar.DecodeSheet(raw)
			if err != nil {
				ps = append(ps, prefix(err, fmt.Sprintf("sheets[%d]", i)).(afkar.Problems)...)
				continue
			}
			sheets = append(sheets, sh)
		}
		if len(ps) > 0 {
			return nil, ps
		}
		ds.Merge(sheets...)
		return ds.MarshalJSON()
	})
}

// partialDataset decodes a request's dataset, which must be there.
func partialDataset(raw json.RawMessage) (*afkar.Dataset, error) {
	text := bytes.TrimSpace(raw)
	if len(text) == 0 || string(text) == "null" {
		return nil, afkar.Problems{{Path: "dataset", Message: "required, missing: load the stage's dataset first (its rubric and rules decide how sheets are scored)"}}
	}
	ds, err := afkar.DecodeOptions{Partial: true}.Decode(text)
	if err != nil {
		return nil, prefix(err, "dataset")
	}
	return ds, nil
}

// SheetFile is one sheet given to [MergeSheets]: its file name (for the
// organiser's eyes) and its text, JSON (as [afkar.DecodeSheet] reads) or
// CSV (as [afkar.DecodeSheetCSV] reads).
type SheetFile struct {
	Name string `json:"name"`
	Text string `json:"text"`
}

// MergeSheetsRequest is {"dataset": <a dataset>, "sheets": [{"name", "text"}, ...]}.
type MergeSheetsRequest struct {
	Dataset json.RawMessage `json:"dataset"`
	Sheets  []SheetFile     `json:"sheets"`
}

// SheetReport is what became of one sheet in [MergeSheets].
type SheetReport struct {
	Name       string  `json:"name"`
	Judge      string  `json:"judge"`
	Seq        int     `json:"seq"`        // 0: not versioned
	Time       *string `json:"time"`       // RFC 3339, or null
	SignedOff  bool    `json:"signed_off"` // the judge signed it off
	Scores     int     `json:"scores"`     // how many scores it holds
	Status     string  `json:"status"`     // merged, superseded or duplicate
	By         *string `json:"by"`         // the name of the sheet kept instead, or null
	Unverified bool    `json:"unverified"` // the sheet names no dataset
	Format     string  `json:"format"`     // "json" or "csv"
}

// MergeSheetsAnswer is the answer of [MergeSheets].
type MergeSheetsAnswer struct {
	Dataset     json.RawMessage `json:"dataset"`      // the merged dataset, decimals as strings
	StageDigest string          `json:"stage_digest"` // the dataset's [afkar.Dataset.StageDigest]
	Sheets      []SheetReport   `json:"sheets"`       // one per sheet, in order
}

// MergeSheets merges judges' sheets, JSON or CSV, into a stage's dataset
// as [afkar.Dataset.MergeSheets] does: a sheet for another dataset is
// refused, of two versions of one judge's sheet the later is kept, and a
// duplicate is merged once; the answer says which. Problems are at
// sheets[i].
func MergeSheets(request []byte) []byte {
	return guard(func() ([]byte, error) {
		var req MergeSheetsRequest
		dec := json.NewDecoder(bytes.NewReader(request))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			return nil, afkar.Problems{{Path: "$", Message: "expected {\"dataset\": {...}, \"sheets\": [{\"name\": ..., \"text\": ...}]}: " + err.Error()}}
		}
		ds, err := partialDataset(req.Dataset)
		if err != nil {
			return nil, err
		}
		var ps afkar.Problems
		sheets := make([]*afkar.Sheet, len(req.Sheets))
		formats := make([]string, len(req.Sheets))
		for i, f := range req.Sheets {
			text := bytes.TrimSpace(bytes.TrimPrefix([]byte(f.Text), []byte("\ufeff")))
			decode, format := afkar.DecodeSheetCSV, "csv"
			if len(text) > 0 && text[0] == '{' {
				decode, format = afkar.DecodeSheet, "json"
			}
			sh, err := decode(text)
			if err != nil {
				ps = append(ps, prefix(err, fmt.Sprintf("sheets[%d]", i)).(afkar.Problems)...)
				continue
			}
			sheets[i], formats[i] = sh, format
		}
		if len(ps) > 0 {
			return nil, ps
		}
		reports, err := ds.MergeSheets(sheets)
		if err != nil {
			return nil, err
		}
		out := MergeSheetsAnswer{StageDigest: ds.StageDigest(), Sheets: make([]SheetReport, len(reports))}
		for i, r := range reports {
			sr := SheetReport{Name: req.Sheets[i].Name, Judge: r.Judge, Seq: r.Seq, SignedOff: r.SignedOff,
				Scores: r.Scores, Status: string(r.Status), Unverified: r.Unverified, Format: formats[i]}
			if !r.Time.IsZero() {
				t := r.Time.UTC().Format(time.RFC3339)
				sr.Time = &t
			}
			if r.By >= 0 {
				sr.By = &req.Sheets[r.By].Name
			}
			out.Sheets[i] = sr
		}
		if out.Dataset, err = ds.MarshalJSON(); err != nil {
			return nil, err
		}
		return json.Marshal(out)
	})
}

// Digests answers {"digest": ..., "stage_digest": ...} for a dataset,
// which may lack its projects and scores (a judge's rubric file): its
// [afkar.Dataset.Digest] and [afkar.Dataset.StageDigest].
func Digests(dataset []byte) []byte {
	return guard(func() ([]byte, error) {
		ds, err := afkar.DecodeOptions{Partial: true}.Decode(dataset)
		if err != nil {
			return nil, err
		}
		return json.Marshal(map[string]string{"digest": ds.Digest(), "stage_digest": ds.StageDigest()})
	})
}

// TourRequest is a tour to verify offline: {"tour": <an afkar-tour/1
// document>, "files": {"stages/dakhla.json": <its dataset>, ...}}, each
// file by the path the tour names, as a JSON object or a string of JSON.
type TourRequest struct {
	Tour  json.RawMessage            `json:"tour"`
	Files map[string]json.RawMessage `json:"files"`
}

// TourAnswer is the answer to a TourRequest.
type TourAnswer struct {
	Verified bool `json:"verified"`
	// Mismatches lists every place where the tour does not match its
	// files, the first first, as problems ({path, message, code, params}).
	Mismatches []Problem `json:"mismatches"`
	// Advanced is the advancement recomputed; null when a stage could
	// not be evaluated.
	Advanced []TourAdvance `json:"advanced"`
	// Ties are the cut-offs that only an id or a lottery decided.
	Ties []TourTie `json:"ties"`
}

// TourAdvance is one advanced project.
type TourAdvance struct {
	Project string `json:"project"`
	Stage   string `json:"stage"`
	By      string `json:"by"`
}

// TourTie is a cut-off decided by an id or a lottery alone.
type TourTie struct {
	Stage     string `json:"stage"` // "" for the wildcard cut
	Cut       string `json:"cut"`   // "top" or "wildcard"
	In        string `json:"in"`
	Out       string `json:"out"`
	DecidedBy string `json:"decided_by"`
}

// Problem is one problem as the error answer writes it.
type Problem struct {
	Path    string            `json:"path"`
	Message string            `json:"message"`
	Code    string            `json:"code,omitempty"`
	Params  map[string]string `json:"params,omitempty"`
}

// VerifyTour verifies a published tour offline (see TourRequest and
// package tour): it recomputes every stage from the files given and
// checks every digest and every advanced project. A tour that does not
// decode, or a request that is not of that form, gets the error answer;
// a tour that does not match its files gets verified false and its
// mismatches.
func VerifyTour(request []byte) []byte {
	return guard(func() ([]byte, error) {
		var req TourRequest
		dec := json.NewDecoder(bytes.NewReader(request))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			return nil, afkar.Problems{{Path: "$", Message: "expected {\"tour\": {...}, \"files\": {...}}: " + err.Error()}}
		}
		if len(req.Tour) == 0 {
			return nil, afkar.Problems{{Path: "tour", Message: "required, missing", Code: scoring.CodeFieldRequired,
				Params: scoring.Params{"field": "tour"}}}
		}
		t, err := tour.Decode(req.Tour)
		if err != nil {
			return nil, prefix(err, "tour")
		}
		fsys := fstest.MapFS{}
		for name, raw := range req.Files {
			data := []byte(raw)
			var text string
			if json.Unmarshal(raw, &text) == nil {
				data = []byte(text)
			}
			fsys[name] = &fstest.MapFile{Data: data}
		}
		rep, err := tour.Verify(context.Background(), t, fsys)
		if err != nil {
			return nil, err
		}
		ans := TourAnswer{Verified: rep.OK(), Mismatches: []Problem{}, Ties: []TourTie{}}
		for _, p := range rep.Mismatches {
			ans.Mismatches = append(ans.Mismatches, Problem{p.Path, p.Message, string(p.Code), p.Params})
		}
		for _, a := range rep.Advanced {
			ans.Advanced = append(ans.Advanced, TourAdvance{a.Project, a.Stage, string(a.By)})
		}
		for _, x := range rep.Ties {
			ans.Ties = append(ans.Ties, TourTie{x.Stage, string(x.Cut), x.In, x.Out, x.DecidedBy})
		}
		return json.Marshal(ans)
	})
}

func prefix(err error, path string) error {
	var ps afkar.Problems
	if errors.As(err, &ps) {
		return ps.Prefix(path)
	}
	return err
}

// guard runs f and turns its error, or a panic, into the error answer.
func guard(f func() ([]byte, error)) (out []byte) {
	defer func() {
		if p := recover(); p != nil {
			out = errorAnswer(afkar.Problems{{Path: "$", Message: fmt.Sprintf("internal error: %v", p)}})
		}
	}()
	b, err := f()
	if err != nil {
		var ps afkar.Problems
		if !errors.As(err, &ps) {
			ps = afkar.Problems{{Path: "$", Message: err.Error()}}
		}
		return errorAnswer(ps)
	}
	return b
}

// errorAnswer is {"error": {"problems": [...]}}: each problem's path and
// English message, and its code and params (a JSON object of strings)
// when it has them, for the page to say it in the reader's language.
func errorAnswer(ps afkar.Problems) []byte {
	type problem struct {
		Path    string            `json:"path"`
		Message string            `json:"message"`
		Code    string            `json:"code,omitempty"`
		Params  map[string]string `json:"params,omitempty"`
	}
	var ans struct {
		Error struct {
			Problems []problem `json:"problems"`
		} `json:"error"`
	}
	ans.Error.Problems = make([]problem, len(ps))
	for i, p := range ps {
		ans.Error.Problems[i] = problem{p.Path, p.Message, string(p.Code), p.Params}
	}
	b, _ := json.Marshal(ans) // strings only: cannot fail
	return b
}

// SwingAnswer is the answer of [Swing]: the one-juror swing of every
// selection boundary (package analysis/swing), decimals as strings.
type SwingAnswer struct {
	Covered    bool            `json:"covered"`
	Reason     string          `json:"reason,omitempty"`
	Boundaries []SwingBoundary `json:"boundaries"`
}

// SwingBoundary is one group's selection boundary.
type SwingBoundary struct {
	Group  string       `json:"group"`
	Last   string       `json:"last"`  // the last selected project
	First  string       `json:"first"` // the first project not selected
	Swings []JurorSwing `json:"swings"`
}

// JurorSwing is the least change of one juror's scores that flips a
// boundary.
type JurorSwing struct {
	Judge     string        `json:"judge"`
	Flips     bool          `json:"flips"`
	Undecided bool          `json:"undecided"`
	Size      *string       `json:"size"` // in score points; null when it does not flip
	Changes   []SwingChange `json:"changes"`
}

// SwingChange is one changed score.
type SwingChange struct {
	Project   string `json:"project"`
	Criterion string `json:"criterion"`
	From      string `json:"from"`
	To        string `json:"to"`
}

// Swing answers, for a valid dataset, how much one juror decides each
// selection boundary: for each juror, the smallest change of that
// juror's scores, within the scale and its step, that would flip the
// boundary (see package analysis/swing for the exact definition and what
// it covers).
func Swing(dataset []byte) []byte {
	return guard(func() ([]byte, error) {
		ds, err := afkar.Decode(dataset)
		if err != nil {
			return nil, err
		}
		rep, err := swing.Analyze(context.Background(), ds)
		if err != nil {
			return nil, err
		}
		out := SwingAnswer{Covered: rep.Covered, Reason: rep.Reason, Boundaries: make([]SwingBoundary, len(rep.Boundaries))}
		for i, b := range rep.Boundaries {
			sb := SwingBoundary{Group: b.Group, Last: b.Last, First: b.First, Swings: make([]JurorSwing, len(b.Swings))}
			for k, s := range b.Swings {
				js := JurorSwing{Judge: s.Judge, Flips: s.Flips, Undecided: s.Undecided, Changes: make([]SwingChange, len(s.Changes))}
				if s.Flips {
					size := s.Size.String()
					js.Size = &size
				}
				for c, ch := range s.Changes {
					js.Changes[c] = SwingChange{Project: ch.Project, Criterion: ch.Criterion, From: ch.From.String(), To: ch.To.String()}
				}
				sb.Swings[k] = js
			}
			out.Boundaries[i] = sb
		}
		return json.Marshal(out)
	})
}
