package tour

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"strconv"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/scoring"
)

// ResultDigest returns "sha256:" and the hex SHA-256 of res as
// [afkar.Result.MarshalJSON] writes it (afkar-result/1): the bytes a stage
// publishes.
func ResultDigest(res *afkar.Result) string {
	data, _ := res.MarshalJSON() // never fails
	return bytesDigest(data)
}

func bytesDigest(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// stage is one stage read and evaluated.
type stage struct {
	ds      *afkar.Dataset
	res     *afkar.Result
	problem *afkar.Problem // why it could not be read or evaluated; nil if it was
}

// evaluate reads and evaluates every stage of t from fsys, and checks that
// no project id is in two stages. It returns ctx.Err() if ctx is done.
func evaluate(ctx context.Context, t *Tour, fsys fs.FS) ([]stage, afkar.Problems, error) {
	stages := make([]stage, len(t.Stages))
	var ps afkar.Problems
	at := map[string]int{} // project id → stage index
	for i, s := range t.Stages {
		path := index("stages", i) + ".dataset"
		params := scoring.Params{"stage": s.ID, "file": s.Dataset}
		data, err := fs.ReadFile(fsys, s.Dataset)
		if err != nil {
			stages[i].problem = &afkar.Problem{Path: path, Code: scoring.CodeTourFile, Params: with(params, "error", err.Error()),
				Message: fmt.Sprintf("stage %q: cannot read %q: %v", s.ID, s.Dataset, err)}
			ps = append(ps, *stages[i].problem)
			continue
		}
		ds, err := afkar.Decode(data)
		var res *afkar.Result
		if err == nil {
			res, err = afkar.Evaluate(ctx, ds)
		}
		if cerr := ctx.Err(); cerr != nil {
			return nil, nil, cerr
		}
		if err != nil {
			first, n := err.Error(), 1
			if dps, ok := err.(afkar.Problems); ok && len(dps) > 0 {
				first, n = dps[0].Error(), len(dps)
			}
			more := ""
			if n > 1 {
				more = fmt.Sprintf(" (and %d more)", n-1)
			}
			stages[i].problem = &afkar.Problem{Path: path, Code: scoring.CodeTourDatasetInvalid,
				Params:  with(with(params, "problem", first), "count", strconv.Itoa(n)),
				Message: fmt.Sprintf("stage %q: %q is not a valid dataset: %s%s", s.ID, s.Dataset, first, more)}
			ps = append(ps, *stages[i].problem)
			continue
		}
		stages[i].ds, stages[i].res = ds, res
		for _, p := range ds.Projects {
			if j, ok := at[p.ID]; ok {
				ps = append(ps, afkar.Problem{Path: path, Code: scoring.CodeTourProjectRepeated,
					Params:  with(with(params, "project", p.ID), "other", t.Stages[j].ID),
					Message: fmt.Sprintf("stage %q: project %q is also in stage %q", s.ID, p.ID, t.Stages[j].ID)})
				continue
			}
			at[p.ID] = i
		}
	}
	return stages, ps, nil
}

// with returns a copy of params with key set to value.
func with(params scoring.Params, key, value string) scoring.Params {
	out := make(scoring.Params, len(params)+1)
	for k, v := range params {
		out[k] = v
	}
	out[key] = value
	return out
}

// Built is what [Build] makes of a tour.
type Built struct {
	// Tour is the sealed tour: the input's stages with their digests,
	// and the projects that advance.
	Tour *Tour
	// Final is the final stage's dataset skeleton: the first stage's
	// rubric and ranking rules, the advanced projects in the order of
	// Tour.Advanced, and no judges or scores yet. It is meant to be
	// completed, and decodes with [afkar.DecodeOptions] Partial.
	Final *afkar.Dataset
	// Results holds each stage's result, in stage order.
	Results []*afkar.Result
	// Ties lists the cut-offs that only an id or a lottery decided.
	Ties []Tie
}

// Build evaluates every stage of t, reading the datasets from fsys, and
// seals the tour: it returns a copy of t with every stage's digests and
// the projects that advance under t.Rule, and the final's dataset
// skeleton. Digests already in t are replaced, not checked (that is
// [Verify]'s job). A stage that cannot be read, is not a valid dataset,
// or shares a project id with another stage makes Build fail with an
// [afkar.Problems] naming every such stage. Build does not modify t.
func Build(ctx context.Context, t *Tour, fsys fs.FS) (*Built, error) {
	stages, ps, err := evaluate(ctx, t, fsys)
	if err != nil {
		return nil, err
	}
	if len(ps) > 0 {
		return nil, ps
	}
	sealed := *t
	sealed.Format = Format
	sealed.Stages = append([]Stage(nil), t.Stages...)
	results := make([]StageResult, len(stages))
	b := &Built{Tour: &sealed, Results: make([]*afkar.Result, len(stages))}
	for i, s := range stages {
		sealed.Stages[i].DatasetDigest = s.res.InputDigest
		sealed.Stages[i].ResultDigest = ResultDigest(s.res)
		results[i] = StageResult{Stage: t.Stages[i].ID, Result: s.res}
		b.Results[i] = s.res
	}
	sealed.Advanced, b.Ties = t.Rule.Advance(results)
	if sealed.Advanced == nil {
		sealed.Advanced = []Advance{}
	}
	b.Final = final(t, stages, sealed.Advanced)
	return b, nil
}

// final is the final's dataset skeleton.
func final(t *Tour, stages []stage, advanced []Advance) *afkar.Dataset {
	first := stages[0].ds
	ds := &afkar.Dataset{Rubric: first.Rubric, Ranking: first.Ranking}
	ds.Ideathon = &afkar.Ideathon{ID: t.ID, Title: t.Title}
	if t.ID != "" {
		ds.Ideathon.ID = t.ID + "-final"
	}
	byID := map[string]*bank.Project{}
	for _, s := range stages {
		for k := range s.ds.Projects {
			byID[s.ds.Projects[k].ID] = &s.ds.Projects[k]
		}
	}
	for _, a := range advanced {
		ds.Projects = append(ds.Projects, byID[a.Project].Clone())
	}
	return ds
}

// Report is the outcome of [Verify].
type Report struct {
	// Mismatches lists every place where the tour does not match its
	// files, in the order checked: stage by stage, the dataset file, its
	// digest, then its result's digest; then the project ids shared by two
	// stages; then the advanced projects, the first position that differs.
	// Empty when the tour is verified. Each is an [afkar.Problem] with a
	// tour.* code, at the JSON path of the tour's entry
	// ("stages[4].dataset_digest", "advanced[7]").
	Mismatches afkar.Problems
	// Advanced is the advancement recomputed from the files; nil when a
	// stage could not be evaluated.
	Advanced []Advance
	// Ties lists the cut-offs that only an id or a lottery decided.
	Ties []Tie
}

// OK reports whether the tour matched every file.
func (r *Report) OK() bool { return len(r.Mismatches) == 0 }

// Verify recomputes every stage of t from the datasets in fsys
// ([afkar.Evaluate]) and checks every digest and every advancement the
// tour records. A tour whose digests or advanced list are absent (not
// sealed) does not verify. Verify returns an error only if ctx is done;
// every mismatch is in the report. It does not modify t.
func Verify(ctx context.Context, t *Tour, fsys fs.FS) (*Report, error) {
	stages, problems, err := evaluate(ctx, t, fsys)
	if err != nil {
		return nil, err
	}
	rep := &Report{}
	// Stage by stage: its file's problem, or its digests.
	shared := problems[:0:0]
	for _, p := range problems {
		if p.Code == scoring.CodeTourProjectRepeated {
			shared = append(shared, p)
		}
	}
	ok := true
	for i, s := range stages {
		st := t.Stages[i]
		if s.problem != nil {
			rep.Mismatches = append(rep.Mismatches, *s.problem)
			ok = false
			continue
		}
		check := func(key, what, recorded, found string) {
			params := scoring.Params{"stage": st.ID, "file": st.Dataset, "what": key, "found": found, "expected": recorded}
			path := index("stages", i) + "." + key
			switch {
			case recorded == "":
				rep.Mismatches = append(rep.Mismatches, afkar.Problem{Path: path, Code: scoring.CodeTourNotSealed, Params: params,
					Message: fmt.Sprintf("stage %q: the tour records no digest of %s %q (run afkar tour build)", st.ID, what, st.Dataset)})
			case recorded != found:
				rep.Mismatches = append(rep.Mismatches, afkar.Problem{Path: path, Code: scoring.CodeTourDigest, Params: params,
					Message: fmt.Sprintf("stage %q: %s %q has digest %s, the tour records %s", st.ID, what, st.Dataset, found, recorded)})
			}
		}
		check("dataset_digest", "the dataset", st.DatasetDigest, s.res.InputDigest)
		check("result_digest", "the result of", st.ResultDigest, ResultDigest(s.res))
	}
	rep.Mismatches = append(rep.Mismatches, shared...)
	if !ok || len(shared) > 0 {
		return rep, nil
	}
	results := make([]StageResult, len(stages))
	for i, s := range stages {
		results[i] = StageResult{Stage: t.Stages[i].ID, Result: s.res}
	}
	rep.Advanced, rep.Ties = t.Rule.Advance(results)
	if p := compareAdvanced(t.Advanced, rep.Advanced); p != nil {
		rep.Mismatches = append(rep.Mismatches, *p)
	}
	return rep, nil
}

// compareAdvanced returns the first position where the recorded advanced
// list differs from the recomputed one, or nil.
func compareAdvanced(recorded, computed []Advance) *afkar.Problem {
	if recorded == nil {
		return &afkar.Problem{Path: "advanced", Code: scoring.CodeTourNotSealed, Params: scoring.Params{"what": "advanced"},
			Message: "the tour records no advanced projects (run afkar tour build)"}
	}
	for i := range max(len(recorded), len(computed)) {
		path := index("advanced", i)
		switch {
		case i >= len(recorded):
			c := computed[i]
			return &afkar.Problem{Path: "advanced", Code: scoring.CodeTourAdvancedMissing,
				Params:  scoring.Params{"project": c.Project, "stage": c.Stage, "by": string(c.By), "count": strconv.Itoa(len(recorded))},
				Message: fmt.Sprintf("the tour lists %d advanced projects, the rule advances more: next, project %q of stage %q (%s)", len(recorded), c.Project, c.Stage, c.By)}
		case i >= len(computed):
			r := recorded[i]
			return &afkar.Problem{Path: path, Code: scoring.CodeTourAdvancedExtra,
				Params:  scoring.Params{"listed": r.Project, "count": strconv.Itoa(len(computed))},
				Message: fmt.Sprintf("the tour lists project %q, but the rule advances only %d projects", r.Project, len(computed))}
		case recorded[i] != computed[i]:
			r, c := recorded[i], computed[i]
			return &afkar.Problem{Path: path, Code: scoring.CodeTourAdvanced,
				Params: scoring.Params{"listed": r.Project, "listed_stage": r.Stage, "listed_by": string(r.By),
					"project": c.Project, "stage": c.Stage, "by": string(c.By)},
				Message: fmt.Sprintf("the tour lists project %q of stage %q (%s), the rule advances project %q of stage %q (%s)",
					r.Project, r.Stage, r.By, c.Project, c.Stage, c.By)}
		}
	}
	return nil
}
