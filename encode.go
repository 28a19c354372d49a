package afkar

import (
	"encoding/json"
	"time"

	"github.com/afkarlab/afkar/scoring"
	"github.com/shopspring/decimal"
)

// MarshalJSON writes the dataset in the afkar/1 format, with every default
// spelled out (criterion ranges, weights mode, rounding...), decimals as
// strings, and timestamps as RFC 3339 with their offset. Decoding the
// output gives a dataset with the same [Dataset.Digest].
func (ds *Dataset) MarshalJSON() ([]byte, error) {
	type criterion struct {
		ID        string  `json:"id"`
		Label     any     `json:"label,omitempty"`
		Weight    string  `json:"weight"`
		Min       string  `json:"min"`
		Max       string  `json:"max"`
		Step      string  `json:"step,omitempty"`
		Threshold *string `json:"threshold,omitempty"`
	}
	type aggregation struct {
		Method string `json:"method"`
		Trim   int    `json:"trim,omitempty"`
	}
	type rounding struct {
		Places int    `json:"places"`
		Mode   string `json:"mode"`
	}
	type scale struct {
		Min  string `json:"min"`
		Max  string `json:"max"`
		Step string `json:"step,omitempty"`
	}
	type rubric struct {
		Criteria       []criterion `json:"criteria"`
		Scale          scale       `json:"scale"`
		Weights        string      `json:"weights"`
		Aggregation    aggregation `json:"aggregation"`
		MinJudges      int         `json:"min_judges"`
		TotalMax       string      `json:"total_max"`
		TotalThreshold *string     `json:"total_threshold,omitempty"`
		Rounding       rounding    `json:"rounding"`
	}
	type rankingRules struct {
		TieBreak []string  `json:"tie_break"`
		Style    string    `json:"style"`
		TieOn    string    `json:"tie_on"`
		GroupBy  string    `json:"group_by,omitempty"`
		Groups   *[]string `json:"groups,omitempty"` // nil: not listed
		Top      int       `json:"top,omitempty"`
	}
	type project struct {
		ID          string            `json:"id"`
		Title       string            `json:"title,omitempty"`
		Region      string            `json:"region,omitempty"`
		Sector      string            `json:"sector,omitempty"`
		Cooperative string            `json:"cooperative,omitempty"`
		SubmittedAt string            `json:"submitted_at,omitempty"`
		Attributes  map[string]string `json:"attributes,omitempty"`
	}
	type judge struct {
		ID          string   `json:"id"`
		Name        string   `json:"name,omitempty"`
		Cooperative string   `json:"cooperative,omitempty"`
		Conflicts   []string `json:"conflicts,omitempty"`
		Abstains    []string `json:"abstains,omitempty"`
	}
	type score struct {
		Judge     string `json:"judge"`
		Project   string `json:"project"`
		Criterion string `json:"criterion"`
		Score     string `json:"score"`
	}
	type stage struct {
		City   string `json:"city,omitempty"`
		Region string `json:"region,omitempty"`
		Date   string `json:"date,omitempty"`
	}
	type ideathon struct {
		ID    string `json:"id,omitempty"`
		Title string `json:"title,omitempty"`
		Stage *stage `json:"stage,omitempty"`
	}
	type dataset struct {
		Format   string       `json:"format"`
		Ideathon *ideathon    `json:"ideathon,omitempty"`
		Rubric   rubric       `json:"rubric"`
		Ranking  rankingRules `json:"ranking"`
		Projects []project    `json:"projects"`
		Judges   *[]judge     `json:"judges,omitempty"` // nil: not listed; empty: an empty jury
		Scores   []score      `json:"scores"`
	}
	nullDec := func(d decimal.NullDecimal) *string {
		if !d.Valid {
			return nil
		}
		s := d.Decimal.String()
		return &s
	}
	stepOf := func(d decimal.Decimal) string {
		if d.IsZero() {
			return ""
		}
		return d.String()
	}
	r := &ds.Rubric
	canon := ds.canonical() // the defaults, filled in once
	c := canon["rubric"].(object)
	out := dataset{Format: Format, Projects: []project{}, Scores: make([]score, ds.Scores.Len())}
	if id := ds.Ideathon; id != nil {
		out.Ideathon = &ideathon{ID: id.ID, Title: id.Title}
		if st := id.Stage; st != nil {
			out.Ideathon.Stage = &stage{City: st.City, Region: st.Region, Date: st.Date}
		}
	}
	scaleMin, scaleMax := r.Scale.Min, r.Scale.Max
	if scaleMin.IsZero() && scaleMax.IsZero() {
		scaleMax = decimal.NewFromInt(20)
	}
	out.Rubric = rubric{
		Scale:          scale{Min: scaleMin.String(), Max: scaleMax.String(), Step: stepOf(r.Scale.Step)},
		Weights:        string(c["weights"].(scoring.WeightMode)),
		MinJudges:      c["min_judges"].(int),
		TotalMax:       c["total_max"].(string),
		TotalThreshold: nullDec(r.TotalThreshold),
	}
	agg := c["aggregation"].(object)
	out.Rubric.Aggregation = aggregation{Method: string(agg["method"].(scoring.Method))}
	if out.Rubric.Aggregation.Method == string(scoring.TrimmedMean) || r.Aggregation.Trim > 0 {
		out.Rubric.Aggregation.Trim = r.Aggregation.Trim
	}
	rnd := c["rounding"].(object)
	out.Rubric.Rounding = rounding{Places: rnd["places"].(int), Mode: string(rnd["mode"].(scoring.RoundingMode))}
	for i, cr := range r.Criteria {
		lo, hi, step := r.Range(i)
		var label any
		switch {
		case len(cr.Label) == 1 && cr.Label[""] != "":
			label = cr.Label[""]
		case len(cr.Label) > 0:
			label = map[string]string(cr.Label)
		}
		out.Rubric.Criteria = append(out.Rubric.Criteria, criterion{ID: cr.ID, Label: label, Weight: cr.Weight.String(),
			Min: lo.String(), Max: hi.String(), Step: stepOf(step), Threshold: nullDec(cr.Threshold)})
	}
	rk := canon["ranking"].(object)
	out.Ranking = rankingRules{TieBreak: rk["tie_break"].([]string), Style: rk["style"].(string), TieOn: rk["tie_on"].(string),
		GroupBy: ds.Ranking.GroupBy, Top: ds.Ranking.Top}
	if ds.Ranking.Groups != nil {
		groups := ds.Ranking.Groups
		out.Ranking.Groups = &groups
	}
	for _, p := range ds.Projects {
		q := project{ID: p.ID, Title: p.Title, Region: p.Region, Sector: p.Sector, Cooperative: p.Cooperative, Attributes: p.Attributes}
		if !p.SubmittedAt.IsZero() {
			q.SubmittedAt = p.SubmittedAt.Format(time.RFC3339Nano)
		}
		out.Projects = append(out.Projects, q)
	}
	if ds.Judges != nil {
		js := make([]judge, len(ds.Judges))
		for i, j := range ds.Judges {
			js[i] = judge{ID: j.ID, Name: j.Name, Cooperative: j.Cooperative, Conflicts: j.Conflicts, Abstains: j.Abstains}
		}
		out.Judges = &js
	}
	for i, s := range ds.Scores.All() {
		out.Scores[i] = score{Judge: s.Judge, Project: s.Project, Criterion: s.Criterion, Score: s.Value.String()}
	}
	return json.MarshalIndent(out, "", "  ")
}
