package sample

import (
	"bytes"
	"encoding/json"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/bank"
)

func TestJSONIsValid(t *testing.T) {
	var doc map[string]any
	require.NoError(t, json.Unmarshal(JSON(), &doc))
	var keys []string
	for k := range doc {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := []string{"format", "ideathon", "judges", "projects", "ranking", "rubric", "scores"}
	if diff := cmp.Diff(want, keys); diff != "" {
		t.Errorf("top-level keys (-want +got):\n%s", diff)
	}
	require.Equal(t, "afkar/1", doc["format"])
}

func TestGenerateIsReproducible(t *testing.T) {
	got := Generate(Seed)
	if !bytes.Equal(got, JSON()) {
		t.Fatal("Generate(Seed) differs from sample.json: run go run ./internal/sample/gen > internal/sample/sample.json")
	}
	require.Equal(t, got, Generate(Seed), "two runs with the same seed differ")
	require.NotEqual(t, got, Generate(Seed+1), "the seed plays no part")
}

func TestJSONReturnsACopy(t *testing.T) {
	b := JSON()
	b[0] = 'x'
	require.Equal(t, byte('{'), JSON()[0])
}

func TestLayout(t *testing.T) {
	lines := strings.Split(strings.TrimSuffix(string(JSON()), "\n"), "\n")
	i := slices.Index(lines, `  "scores": [`)
	require.Positive(t, i, "no scores array")
	for _, l := range lines[i+1 : len(lines)-2] {
		require.Regexp(t, `^    \{"judge": "[^"]+", "project": "[^"]+", "criterion": "[a-z]+", "score": "\d+(\.5)?"\},?$`, l)
	}
	require.Equal(t, []string{"  ]", "}"}, lines[len(lines)-2:])
}

// dataset is the sample as SPEC.md section 1 defines it, decoded strictly:
// an unknown key anywhere is an error.
type dataset struct {
	Format   string `json:"format"`
	Ideathon struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	} `json:"ideathon"`
	Rubric struct {
		Criteria []struct {
			ID     string            `json:"id"`
			Label  map[string]string `json:"label"`
			Weight string            `json:"weight"`
		} `json:"criteria"`
		Scale          struct{ Min, Max, Step string } `json:"scale"`
		Weights        string                          `json:"weights"`
		Aggregation    struct{ Method string }         `json:"aggregation"`
		MinJudges      int                             `json:"min_judges"`
		TotalMax       string                          `json:"total_max"`
		TotalThreshold string                          `json:"total_threshold"`
		Rounding       struct {
			Places int    `json:"places"`
			Mode   string `json:"mode"`
		} `json:"rounding"`
	} `json:"rubric"`
	Ranking struct {
		TieBreak []string `json:"tie_break"`
		Style    string   `json:"style"`
		TieOn    string   `json:"tie_on"`
		GroupBy  string   `json:"group_by"`
		Top      int      `json:"top"`
	} `json:"ranking"`
	Projects []bank.Project `json:"projects"`
	Judges   []bank.Judge   `json:"judges"`
	Scores   []struct {
		Judge     string `json:"judge"`
		Project   string `json:"project"`
		Criterion string `json:"criterion"`
		Score     string `json:"score"`
	} `json:"scores"`
}

func decode(t *testing.T) *dataset {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(JSON()))
	d.DisallowUnknownFields()
	var ds dataset
	require.NoError(t, d.Decode(&ds))
	return &ds
}

func TestRubricAndRanking(t *testing.T) {
	ds := decode(t)
	r := ds.Rubric
	type crit struct{ ID, AR, FR, EN, Weight string }
	var got []crit
	for _, c := range r.Criteria {
		require.Len(t, c.Label, 3, c.ID)
		got = append(got, crit{c.ID, c.Label["ar"], c.Label["fr"], c.Label["en"], c.Weight})
	}
	want := []crit{
		{"social", "الأثر الاجتماعي", "Impact social", "Social impact", "0.25"},
		{"economic", "الأثر الاقتصادي", "Impact économique", "Economic impact", "0.25"},
		{"innovation", "الابتكار", "Innovation", "Innovation", "0.20"},
		{"territorial", "الأثر الترابي والمستدام", "Impact territorial et durable", "Territorial and sustainable impact", "0.15"},
		{"youth", "تمكين الشباب وإدماجهم", "Autonomisation et inclusion des jeunes", "Youth empowerment and inclusion", "0.15"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("criteria (-want +got):\n%s", diff)
	}
	require.Equal(t, struct{ Min, Max, Step string }{"0", "20", "0.5"}, r.Scale)
	require.Equal(t, "exact", r.Weights)
	require.Equal(t, "mean", r.Aggregation.Method)
	require.Equal(t, 2, r.MinJudges)
	require.Equal(t, "100", r.TotalMax)
	require.Equal(t, "50", r.TotalThreshold)
	require.Equal(t, 2, r.Rounding.Places)
	require.Equal(t, "half_up", r.Rounding.Mode)
	require.Equal(t, []string{"criterion:social", "head_to_head", "submitted_at", "id"}, ds.Ranking.TieBreak)
	require.Equal(t, "competition", ds.Ranking.Style)
	require.Equal(t, "rounded", ds.Ranking.TieOn)
	require.Equal(t, "region", ds.Ranking.GroupBy)
	require.Equal(t, 3, ds.Ranking.Top)
}

// TestShape checks the tour's shape: projects in tour order, 6 to 10 per
// region, 3 to 5 judges per stage, each scoring every project of its stage
// once on every criterion, on the 0..20 grid by 0.5.
func TestShape(t *testing.T) {
	ds := decode(t)
	var tourRegions []string
	for _, s := range bank.Tour() {
		tourRegions = append(tourRegions, s.Region)
	}

	region := map[string]string{} // project ID → region
	var order []string            // regions in order of first appearance
	perRegion := map[string]int{}
	for _, p := range ds.Projects {
		require.NotContains(t, region, p.ID, "duplicate project ID")
		require.Regexp(t, `^[A-Z]{3}-\d\d$`, p.ID)
		require.NotEmpty(t, p.Title, p.ID)
		require.NotEmpty(t, p.Sector, p.ID)
		region[p.ID] = p.Region
		if perRegion[p.Region] == 0 {
			order = append(order, p.Region)
		}
		perRegion[p.Region]++
	}
	require.Equal(t, tourRegions, order, "projects are not grouped by stage in tour order")
	for r, n := range perRegion {
		require.GreaterOrEqual(t, n, 6, r)
		require.LessOrEqual(t, n, 10, r)
	}

	criteria := []string{"social", "economic", "innovation", "territorial", "youth"}
	type key struct{ judge, project, criterion string }
	seen := map[key]bool{}
	judgeRegion := map[string]string{}
	for _, j := range ds.Judges {
		judgeRegion[j.ID] = ""
	}
	for i, s := range ds.Scores {
		k := key{s.Judge, s.Project, s.Criterion}
		require.False(t, seen[k], "scores[%d]: a second score for %v", i, k)
		seen[k] = true
		jr, ok := judgeRegion[s.Judge]
		require.True(t, ok, "scores[%d]: unknown judge %q", i, s.Judge)
		pr, ok := region[s.Project]
		require.True(t, ok, "scores[%d]: unknown project %q", i, s.Project)
		require.Contains(t, criteria, s.Criterion, "scores[%d]", i)
		if jr == "" {
			judgeRegion[s.Judge] = pr
		} else {
			require.Equal(t, jr, pr, "scores[%d]: judge %s scores in two regions", i, s.Judge)
		}
		v, ok := new(big.Rat).SetString(s.Score)
		require.True(t, ok, "scores[%d]: %q", i, s.Score)
		half := new(big.Rat).Mul(v, big.NewRat(2, 1))
		require.True(t, half.IsInt() && half.Sign() >= 0 && half.Cmp(big.NewRat(40, 1)) <= 0, "scores[%d]: %s is off the 0..20 grid by 0.5", i, s.Score)
	}

	judges := map[string][]string{}
	for _, j := range ds.Judges {
		r := judgeRegion[j.ID]
		require.NotEmpty(t, r, "judge %s scores nothing", j.ID)
		judges[r] = append(judges[r], j.ID)
	}
	require.Len(t, judges, 12)
	for r, js := range judges {
		require.GreaterOrEqual(t, len(js), 3, r)
		require.LessOrEqual(t, len(js), 5, r)
		for _, p := range ds.Projects {
			if p.Region != r {
				continue
			}
			for _, j := range js {
				for _, c := range criteria {
					require.True(t, seen[key{j, p.ID, c}], "no score of %s on %s, %s", j, p.ID, c)
				}
			}
		}
	}
}

// TestDeliberateCases checks that the sample shows what it was built to
// show (see sampleRoles), by evaluating it exactly as SPEC.md sections 2 to
// 4 say, independently of the generator's own integer arithmetic.
func TestDeliberateCases(t *testing.T) {
	ev := evaluate(t, decode(t))

	wantExcluded := []exclusion{
		{"J-CAS-2", "CAS-04", "same_cooperative"},
		{"J-FES-1", "FES-02", "conflict"},
		{"J-GUE-1", "GUE-05", "conflict"},
		{"J-GUE-3", "GUE-05", "same_cooperative"},
		{"J-MAR-4", "MAR-07", "conflict"}, // also the same cooperative: conflict wins
		{"J-TAN-3", "TAN-06", "same_cooperative"},
		{"J-AGA-2", "AGA-03", "conflict"},
	}
	if diff := cmp.Diff(wantExcluded, ev.excluded, cmp.AllowUnexported(exclusion{})); diff != "" {
		t.Errorf("excluded (judge, project) pairs (-want +got):\n%s", diff)
	}

	wantIneligible := map[string][]string{
		// Of Guelmim's 3 judges only J-GUE-2 counts on GUE-05.
		"GUE-05": {"quorum:social", "quorum:economic", "quorum:innovation", "quorum:territorial", "quorum:youth"},
		"RAB-07": {"total_threshold"},
		"BEN-06": {"total_threshold"},
	}
	gotIneligible := map[string][]string{}
	for _, p := range ev.projects {
		if len(p.reasons) > 0 {
			gotIneligible[p.id] = p.reasons
		}
	}
	if diff := cmp.Diff(wantIneligible, gotIneligible); diff != "" {
		t.Errorf("ineligible projects (-want +got):\n%s", diff)
	}

	// The only ties inside a region are the ones built on purpose; the
	// group ranks are those of the pair, with top 3 selected.
	wantTies := []tie{
		{"marrakech-safi", 1, "MAR-08", "MAR-01", "criterion:social"},
		{"dakhla-oued-ed-dahab", 3, "DAK-05", "DAK-03", "head_to_head"},
		{"souss-massa", 3, "AGA-07", "AGA-02", "head_to_head"},
		{"draa-tafilalet", 2, "ERR-08", "ERR-06", "submitted_at"},
		{"tanger-tetouan-al-hoceima", 3, "TAN-04", "TAN-08", "id"},
	}
	gotTies := ev.groupTies()
	if diff := cmp.Diff(wantTies, gotTies, cmp.AllowUnexported(tie{})); diff != "" {
		t.Errorf("ties inside regions (-want +got):\n%s", diff)
	}
	if testing.Verbose() {
		for _, g := range ev.groups {
			for i, p := range g {
				t.Logf("%-26s %d %-7s %6s social %5s by %s", p.group, i+1, p.id, p.rounded, p.social, p.decidedBy)
			}
		}
	}
}

type exclusion struct{ judge, project, reason string }

type tie struct {
	group         string
	rank          int    // the group rank of the first of the pair
	first, second string // project IDs in final order
	rule          string // the rule that separated them
}

// evaluation is the exact evaluation of the sample's rubric (mean of scores
// on one 0..20 scale for every criterion).
type evaluation struct {
	weights  []*big.Rat
	excluded []exclusion                      // one per (judge, project), in score order
	scores   map[string]map[string][]*big.Rat // project → judge → score per criterion, counted only
	projects []*outcome
	groups   [][]*outcome // eligible projects of each region in group order, regions in tour order
}

type outcome struct {
	id, group  string
	submitted  time.Time
	total      *big.Rat
	rounded    string // total, rounded to 2 places half up
	social     string // social aggregate, rounded the same way
	reasons    []string
	decidedBy  string // what put it ahead of the next in its group
	judgeTotal map[string]*big.Rat
}

func evaluate(t *testing.T, ds *dataset) *evaluation {
	t.Helper()
	ev := &evaluation{scores: map[string]map[string][]*big.Rat{}}
	crit := map[string]int{}
	for i, c := range ds.Rubric.Criteria {
		w, ok := new(big.Rat).SetString(c.Weight)
		require.True(t, ok)
		ev.weights = append(ev.weights, w)
		crit[c.ID] = i
	}
	judges := map[string]bank.Judge{}
	for _, j := range ds.Judges {
		judges[j.ID] = j
	}
	projects := map[string]bank.Project{}
	for _, p := range ds.Projects {
		projects[p.ID] = p
	}
	seen := map[[2]string]bool{}
	for _, s := range ds.Scores {
		j, p := judges[s.Judge], projects[s.Project]
		reason := ""
		switch {
		case slices.Contains(j.Conflicts, p.ID):
			reason = "conflict"
		case p.Cooperative != "" && p.Cooperative == j.Cooperative:
			reason = "same_cooperative"
		}
		if reason != "" {
			if !seen[[2]string{j.ID, p.ID}] {
				seen[[2]string{j.ID, p.ID}] = true
				ev.excluded = append(ev.excluded, exclusion{j.ID, p.ID, reason})
			}
			continue
		}
		if ev.scores[p.ID] == nil {
			ev.scores[p.ID] = map[string][]*big.Rat{}
		}
		if ev.scores[p.ID][j.ID] == nil {
			ev.scores[p.ID][j.ID] = make([]*big.Rat, len(crit))
		}
		v, _ := new(big.Rat).SetString(s.Score)
		ev.scores[p.ID][j.ID][crit[s.Criterion]] = v
	}

	threshold := big.NewRat(50, 1)
	for _, p := range ds.Projects {
		o := &outcome{id: p.ID, group: p.Region, submitted: p.SubmittedAt, total: new(big.Rat), judgeTotal: map[string]*big.Rat{}}
		js := ev.scores[p.ID]
		for i, c := range ds.Rubric.Criteria {
			if len(js) < ds.Rubric.MinJudges {
				o.reasons = append(o.reasons, "quorum:"+c.ID)
			}
			sum := new(big.Rat)
			for _, row := range js {
				sum.Add(sum, row[i])
			}
			mean := sum.Quo(sum, big.NewRat(int64(len(js)), 1))
			if i == 0 {
				o.social = mean.FloatString(2) // halves away from zero: half_up
			}
			// T = 100 · Σ w·a/20 on the common 0..20 scale.
			o.total.Add(o.total, new(big.Rat).Mul(ev.weights[i], new(big.Rat).Mul(mean, big.NewRat(5, 1))))
		}
		o.rounded = o.total.FloatString(2)
		if r, _ := new(big.Rat).SetString(o.rounded); r.Cmp(threshold) < 0 {
			o.reasons = append(o.reasons, "total_threshold")
		}
		for j, row := range js {
			jt := new(big.Rat)
			for i, v := range row {
				jt.Add(jt, new(big.Rat).Mul(ev.weights[i], new(big.Rat).Mul(v, big.NewRat(5, 1))))
			}
			o.judgeTotal[j] = jt
		}
		ev.projects = append(ev.projects, o)
	}

	for _, s := range bank.Tour() {
		var g []*outcome
		for _, o := range ev.projects {
			if o.group == s.Region && len(o.reasons) == 0 {
				g = append(g, o)
			}
		}
		ev.order(g, 0)
		ev.groups = append(ev.groups, g)
	}
	return ev
}

// levels are the total, then the tie-break rules of the sample.
func levels() []string {
	return []string{"total", "criterion:social", "head_to_head", "submitted_at", "id"}
}

// order sorts ps, all tied on levels before level, by levels[level] and
// recursively by the next levels, and records what separated neighbours.
func (ev *evaluation) order(ps []*outcome, level int) {
	if len(ps) < 2 {
		return
	}
	if level == len(levels()) {
		for _, p := range ps[:len(ps)-1] {
			p.decidedBy = "" // still tied
		}
		return
	}
	key := ev.key(ps, levels()[level])
	slices.SortStableFunc(ps, func(p, q *outcome) int { return key(p, q) })
	start := 0
	for i := 1; i <= len(ps); i++ {
		if i < len(ps) && key(ps[i-1], ps[i]) == 0 {
			continue
		}
		// The run's own order first: it may move its last element.
		ev.order(ps[start:i], level+1)
		if i < len(ps) {
			ps[i-1].decidedBy = levels()[level]
		}
		start = i
	}
}

// key returns a comparison of two projects by one level, the one first
// being the smaller, computed among the tied set ps.
func (ev *evaluation) key(ps []*outcome, level string) func(p, q *outcome) int {
	rat := func(s string) *big.Rat { r, _ := new(big.Rat).SetString(s); return r }
	switch level {
	case "total":
		return func(p, q *outcome) int { return rat(q.rounded).Cmp(rat(p.rounded)) }
	case "criterion:social":
		return func(p, q *outcome) int { return rat(q.social).Cmp(rat(p.social)) }
	case "head_to_head":
		wins := map[string]int{}
		for _, p := range ps {
			for _, q := range ps {
				pref := 0
				for j, pt := range p.judgeTotal {
					if qt, ok := q.judgeTotal[j]; ok {
						pref += pt.Cmp(qt)
					}
				}
				if pref > 0 {
					wins[p.id]++
				}
			}
		}
		return func(p, q *outcome) int { return wins[q.id] - wins[p.id] }
	case "submitted_at":
		return func(p, q *outcome) int {
			switch {
			case p.submitted.IsZero() || q.submitted.IsZero():
				return boolInt(p.submitted.IsZero()) - boolInt(q.submitted.IsZero())
			default:
				return p.submitted.Compare(q.submitted)
			}
		}
	case "id":
		return func(p, q *outcome) int { return strings.Compare(p.id, q.id) }
	}
	panic(level)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// groupTies lists the neighbours in each group's order that the total did
// not separate.
func (ev *evaluation) groupTies() []tie {
	var ties []tie
	for _, g := range ev.groups {
		rank := 1
		for i, p := range g[:max(len(g)-1, 0)] {
			if i > 0 && g[i-1].decidedBy != "" {
				rank = i + 1 // competition ranking
			}
			if p.decidedBy != "total" {
				ties = append(ties, tie{p.group, rank, p.id, g[i+1].id, p.decidedBy})
			}
		}
	}
	// In the order sampleRoles plans them; unplanned ties first.
	plan := sampleRoles().ties
	idx := func(t tie) int {
		return slices.IndexFunc(plan, func(p tiePlan) bool { return p.x == t.first || p.x == t.second })
	}
	slices.SortStableFunc(ties, func(a, b tie) int { return idx(a) - idx(b) })
	return ties
}

// TestStages: the 12 stages are valid datasets that share out the
// sample's projects and scores between them.
func TestStages(t *testing.T) {
	stages := Stages()
	require.Len(t, stages, 12)
	projects, scores := 0, 0
	for _, s := range stages {
		ds, err := afkar.Decode(s.JSON)
		require.NoError(t, err, s.Region)
		for _, p := range ds.Projects {
			require.Equal(t, s.Region, p.Region)
		}
		projects += len(ds.Projects)
		scores += ds.Scores.Len()
	}
	all, err := afkar.Decode(JSON())
	require.NoError(t, err)
	require.Equal(t, len(all.Projects), projects)
	require.Equal(t, all.Scores.Len(), scores)
}
