package afkar

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/afkarlab/afkar/scoring"
	"github.com/shopspring/decimal"
)

// Digest returns "sha256:" and the hex SHA-256 of the dataset's canonical
// form: JSON with sorted keys and no spaces, every default filled in,
// decimals in their shortest spelling ("15.50" and 155e-1 are both 15.5),
// and timestamps in UTC. Datasets that differ only in key order,
// whitespace, the spelling of equal decimals or defaults left implicit have
// the same digest; any other difference (a score, a weight, a rule, a
// title) changes it. The list orders of projects, judges and scores are
// kept, since input order settles remaining ties.
func (ds *Dataset) Digest() string {
	b, err := json.Marshal(ds.canonical())
	if err != nil { // only strings, numbers, maps and slices: cannot fail
		panic("afkar: canonical form: " + err.Error())
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

type object = map[string]any

func dec(d decimal.Decimal) string { return d.String() }

func nullDec(d decimal.NullDecimal) any {
	if !d.Valid {
		return nil
	}
	return d.Decimal.String()
}

func (ds *Dataset) canonical() object {
	r := &ds.Rubric
	criteria := make([]any, len(r.Criteria))
	for i, c := range r.Criteria {
		lo, hi, step := r.Range(i)
		label := map[string]string(c.Label)
		if len(label) == 0 {
			label = map[string]string{"": c.ID}
		}
		criteria[i] = object{"id": c.ID, "label": label, "weight": dec(c.Weight),
			"min": dec(lo), "max": dec(hi), "step": dec(step), "threshold": nullDec(c.Threshold)}
	}
	method := r.Aggregation.Method
	if method == "" {
		method = scoring.Mean
	}
	weights := r.Weights
	if weights == "" {
		weights = scoring.ExactWeights
	}
	places, mode := r.Places(), r.Rounding.Mode
	if mode == "" {
		mode = scoring.HalfUp
	}
	totalMax := r.TotalMax
	if totalMax.IsZero() {
		totalMax = decimal.NewFromInt(100)
	}
	rules := make([]string, len(ds.Ranking.TieBreak))
	for i, t := range ds.Ranking.TieBreak {
		rules[i] = t.String()
	}
	style, tieOn := string(ds.Ranking.Style), string(ds.Ranking.TieOn)
	if style == "" {
		style = "competition"
	}
	if tieOn == "" {
		tieOn = string(TieOnRounded)
	}
	projects := make([]any, len(ds.Projects))
	for i, p := range ds.Projects {
		var at any
		if !p.SubmittedAt.IsZero() {
			at = p.SubmittedAt.UTC().Format(time.RFC3339Nano)
		}
		projects[i] = object{"id": p.ID, "title": p.Title, "region": p.Region, "sector": p.Sector,
			"cooperative": p.Cooperative, "submitted_at": at, "attributes": p.Attributes}
	}
	var judges any
	if ds.Judges != nil {
		js := make([]any, len(ds.Judges))
		for i, j := range ds.Judges {
			js[i] = object{"id": j.ID, "name": j.Name, "cooperative": j.Cooperative, "conflicts": j.Conflicts}
		}
		judges = js
	}
	scores := make([]any, len(ds.Scores))
	for i, s := range ds.Scores {
		scores[i] = []string{s.Judge, s.Project, s.Criterion, dec(s.Value)}
	}
	var ideathon any
	if ds.Ideathon != nil {
		id := object{"id": ds.Ideathon.ID, "title": ds.Ideathon.Title}
		if st := ds.Ideathon.Stage; st != nil {
			id["stage"] = object{"city": st.City, "region": st.Region, "date": st.Date}
		}
		ideathon = id
	}
	return object{
		"format":   Format,
		"ideathon": ideathon,
		"rubric": object{
			"criteria":        criteria,
			"weights":         weights,
			"aggregation":     object{"method": method, "trim": r.Aggregation.Trim},
			"min_judges":      max(r.MinJudges, 1),
			"total_max":       dec(totalMax),
			"total_threshold": nullDec(r.TotalThreshold),
			"rounding":        object{"places": places, "mode": mode},
		},
		"ranking": object{"tie_break": rules, "style": style, "tie_on": tieOn,
			"group_by": ds.Ranking.GroupBy, "top": ds.Ranking.Top},
		"projects": projects,
		"judges":   judges,
		"scores":   scores,
	}
}
