package afkar

import (
	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/internal/jsontree"
	"github.com/afkarlab/afkar/scoring"
)

// Sheet is one judge's scoring sheet, as the browser calculator exports
// it: {"judge": "J1", "project": "P1", "scores": [{"judge", "project",
// "criterion", "score"}, ...]}. Judge and Project are informative; each
// score names its own judge and project.
type Sheet struct {
	Judge, Project string
	Scores         []scoring.Score
}

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
	ok := d.object(root, "", map[string]func(*jsontree.Value, string){
		"judge":   func(v *jsontree.Value, at string) { sh.Judge = d.str(v, at) },
		"project": func(v *jsontree.Value, at string) { sh.Project = d.str(v, at) },
		"scores":  func(v *jsontree.Value, at string) { hasScores = true; sh.Scores = d.scores(v, at) },
	}, "judge", "project", "scores")
	if ok && !hasScores {
		d.add("scores", "required, missing")
	}
	if len(d.ps) > 0 {
		return nil, d.ps
	}
	return sh, nil
}

// Merge adds the sheets' scores to the dataset's, in order: a score for a
// (judge, project, criterion) already present replaces it in place. When
// the dataset has no projects, they become the distinct projects of the
// scores, in order of first appearance. The result is not validated: call
// [Dataset.Validate] or [Evaluate].
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
