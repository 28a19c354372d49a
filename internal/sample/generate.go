package sample

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/afkarlab/afkar/bank"
)

// Seed is the seed sample.json is generated with.
const Seed uint64 = 20250417

// Indexes of the rubric's criteria, in rubric order; ncrit counts them.
const (
	social = iota
	economic
	innovation
	territorial
	youth
	ncrit
)

// criterionIDs returns the criteria's IDs.
func criterionIDs() [ncrit]string {
	return [ncrit]string{"social", "economic", "innovation", "territorial", "youth"}
}

// weights returns the criteria's weights in hundredths.
func weights() [ncrit]int { return [ncrit]int{25, 25, 20, 15, 15} }

// Scores are kept as half-points, integers 0..40 for 0..20 by steps of 0.5.
const maxHalf = 40

// Generate builds the sample dataset (the bytes of sample.json) from seed.
// It is deterministic: it reads no clock and draws every random number from
// a PCG source seeded with seed, and only integers, so the same seed gives
// the same bytes on every platform.
//
// Generate panics if the built-in plan cannot be met with this seed (a tie
// it cannot build); with [Seed] it never does.
func Generate(seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, 0x41666b6172)) // "Afkar"
	rl := sampleRoles()
	plans := stagePlans()
	tour := bank.Tour()
	if len(plans) != len(tour) {
		panic("sample: the plan does not have one stage per tour stage")
	}
	g := &generator{
		rng:   rng,
		roles: rl,
		coops: rng.Perm(399),
		names: map[string]bool{},
	}
	var stages []*stage
	for i, p := range plans {
		if p.region != tour[i].Region {
			panic("sample: stage " + p.code + " is not in the tour's order")
		}
		stages = append(stages, g.stage(p))
	}
	return encode(stages)
}

// generator draws the stages of the sample one after the other from one
// random source.
type generator struct {
	rng   *rand.Rand
	roles roles
	coops []int // cooperative numbers, drawn without replacement
	names map[string]bool
}

// stage is one generated stage.
type stage struct {
	plan     stagePlan
	projects []bank.Project
	judges   []bank.Judge
	scores   [][][ncrit]int // [project][judge][criterion], half-points
	ties     []builtTie
}

// builtTie is a tie built by stage.tie: x's scores were rebuilt to tie y's.
type builtTie struct {
	x, y int
	rule string
}

// stage draws the projects, judges and scores of one stage, builds its
// planned ties and sets the submission times.
func (g *generator) stage(p stagePlan) *stage {
	rng := g.rng
	s := &stage{plan: p}

	// Projects.
	for i, id := range p.ideas {
		pr := bank.Project{
			ID:     fmt.Sprintf("%s-%02d", p.code, i+1),
			Title:  id.title,
			Region: p.region,
			Sector: string(id.sector),
			Attributes: map[string]string{
				"women_led": yesNo(id.women || rng.IntN(100) < 25),
				"youth_led": yesNo(id.youth || rng.IntN(100) < 35),
				"members":   strconv.Itoa(7 + rng.IntN(34)),
			},
		}
		if !g.roles.noCoop[pr.ID] {
			pr.Cooperative = fmt.Sprintf("coop-%03d", g.coops[0]+1)
			g.coops = g.coops[1:]
		}
		s.projects = append(s.projects, pr)
	}

	// Judges.
	first, last := judgeNames()
	for j := range p.judges {
		jd := bank.Judge{ID: fmt.Sprintf("J-%s-%d", p.code, j+1)}
		for jd.Name == "" || g.names[jd.Name] {
			jd.Name = first[rng.IntN(len(first))] + " " + last[rng.IntN(len(last))]
		}
		g.names[jd.Name] = true
		if rng.IntN(100) < 20 {
			// A cooperative with no project in the sample.
			jd.Cooperative = fmt.Sprintf("coop-%03d", 400+rng.IntN(100))
		}
		if pid, ok := g.roles.sameCoop[jd.ID]; ok {
			jd.Cooperative = s.projects[s.index(pid)].Cooperative
		}
		jd.Conflicts = g.roles.conflicts[jd.ID]
		s.judges = append(s.judges, jd)
	}

	// Scores: a project's quality and profile, a judge's leniency, noise.
	leniency := make([]int, p.judges)
	for j := range leniency {
		leniency[j] = rng.IntN(7) - 3
	}
	for i, pr := range s.projects {
		quality := 23 + rng.IntN(12) // 11.5 to 17 out of 20
		if g.roles.weak[pr.ID] {
			quality = 15 + rng.IntN(3) // 7.5 to 8.5: under the threshold
		}
		var profile [ncrit]int
		for c := range profile {
			profile[c] = rng.IntN(7) - 3
		}
		bonus(&profile, p.ideas[i], pr.Attributes)
		m := make([][ncrit]int, p.judges)
		for j := range m {
			for c := range m[j] {
				m[j][c] = min(max(quality+profile[c]+leniency[j]+rng.IntN(7)-3, 0), maxHalf)
			}
		}
		s.scores = append(s.scores, m)
	}
	s.separate(-1, -1)

	for _, t := range g.roles.ties {
		if t.stage == p.code {
			s.tie(rng, t)
		}
	}
	g.submissions(s)
	return s
}

// bonus shapes a project's profile by what it is: women-led projects do
// better on social impact, youth-led ones on youth inclusion, and so on.
func bonus(profile *[ncrit]int, id idea, attrs map[string]string) {
	if attrs["women_led"] == "yes" {
		profile[social] += 2
	}
	if attrs["youth_led"] == "yes" {
		profile[youth] += 3
	}
	switch id.sector {
	case bank.SectorDigital:
		profile[innovation] += 3
		profile[territorial] -= 2
	case bank.SectorRecycling, bank.SectorEnergy:
		profile[territorial] += 2
		profile[innovation] += 1
	case bank.SectorFishing, bank.SectorArgan, bank.SectorAgriFood:
		profile[territorial] += 2
	case bank.SectorTourism:
		profile[economic] += 1
	case bank.SectorHandicrafts:
		profile[social] += 1
	}
}

// yesNo formats b as an attribute value.
func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// index returns the index of project id in s; there must be one.
func (s *stage) index(id string) int {
	i := slices.IndexFunc(s.projects, func(p bank.Project) bool { return p.ID == id })
	if i < 0 {
		panic("sample: no project " + id + " in stage " + s.plan.code)
	}
	return i
}

// counted reports whether judge j's scores on project p count (SPEC.md
// section 2).
func (s *stage) counted(p, j int) bool {
	pr, jd := &s.projects[p], &s.judges[j]
	if slices.Contains(jd.Conflicts, pr.ID) {
		return false
	}
	return pr.Cooperative == "" || pr.Cooperative != jd.Cooperative
}

// judgePoints is a judge's weighted sum Σ_c w_c·h_c, in hundredths of
// half-points: the judge's own total is judgePoints/40.
func judgePoints(row [ncrit]int) int {
	w, sum := weights(), 0
	for c := range row {
		sum += w[c] * row[c]
	}
	return sum
}

// points returns a project's summed judge points over its n counted judges.
// With w_c in hundredths and scores in half-points, the exact total
// 100·Σ_c (w_c/100)·(mean score_c)/20 is Σ_c w_c·(mean half-points_c)/40,
// that is points/(40·n): in this sample a judge counts on every criterion
// of a project or on none.
func (s *stage) points(p int) (points, n int) {
	for j, row := range s.scores[p] {
		if s.counted(p, j) {
			points += judgePoints(row)
			n++
		}
	}
	return points, n
}

// rounded returns a project's total in hundredths, rounded half up (the
// rubric's rounding), or -1 without counted judges: 100·points/(40·n) =
// 5·points/(2n), and half up is floor(x + 1/2).
func (s *stage) rounded(p int) int {
	pts, n := s.points(p)
	if n == 0 {
		return -1
	}
	return (5*pts + n) / (2 * n)
}

// eligible reports whether p meets the quorum (min_judges 2) and the total
// threshold (50).
func (s *stage) eligible(p int) bool {
	_, n := s.points(p)
	return n >= 2 && s.rounded(p) >= 5000
}

// separate nudges eligible projects apart until no two of them have the
// same rounded total, except the pair (a, b), so that the sample's only
// ties are the ones built on purpose.
func (s *stage) separate(a, b int) {
	for range 1000 {
		moved := false
	search:
		for p := range s.projects {
			for q := p + 1; q < len(s.projects); q++ {
				if (p == a && q == b) || (p == b && q == a) || !s.eligible(p) || !s.eligible(q) || s.rounded(p) != s.rounded(q) {
					continue
				}
				victim := q
				if q == a || q == b {
					victim = p
				}
				s.nudge(victim)
				moved = true
				break search
			}
		}
		if !moved {
			return
		}
	}
	panic("sample: cannot separate the totals of stage " + s.plan.code)
}

// nudge moves one youth score of p by half a point.
func (s *stage) nudge(p int) {
	for j := range s.judges {
		if s.counted(p, j) {
			if s.scores[p][j][youth] < maxHalf {
				s.scores[p][j][youth]++
			} else {
				s.scores[p][j][youth]--
			}
			return
		}
	}
}

// byTotal orders the eligible projects of s but skip by exact total,
// highest first, then input order.
func (s *stage) byTotal(skip int) []int {
	var ps []int
	for p := range s.projects {
		if p != skip && s.eligible(p) {
			ps = append(ps, p)
		}
	}
	slices.SortFunc(ps, func(p, q int) int {
		pp, pn := s.points(p)
		qp, qn := s.points(q)
		return cmp.Or(cmp.Compare(qp*pn, pp*qn), cmp.Compare(p, q))
	})
	return ps
}

// tie rebuilds the scores of t.x so that it ties with the project at group
// rank t.rank among the others, and only t.rule separates them.
//
// Each criterion's column of scores is the base project's, shuffled among
// the judges: the sums per criterion, hence the aggregates and the total,
// stay the same, while each judge's own preference between the two changes.
func (s *stage) tie(rng *rand.Rand, t tiePlan) {
	x := s.index(t.x)
	y := -1
	for i, p := range s.byTotal(x) {
		if i+1 >= t.rank && s.fullJury(p) {
			y = p
			break
		}
	}
	if y < 0 || !s.fullJury(x) {
		panic("sample: no base project for the tie in stage " + s.plan.code)
	}
	base := s.scores[y]
	var accept func(m [][ncrit]int) bool
	switch t.rule {
	case "criterion:social":
		accept = func([][ncrit]int) bool { return true }
	case "head_to_head":
		accept = func(m [][ncrit]int) bool { px, py := prefer(m, base); return px > py }
	case "submitted_at", "id":
		accept = func(m [][ncrit]int) bool { px, py := prefer(m, base); return px == py && px > 0 }
	default:
		panic("sample: unknown tie rule " + t.rule)
	}
	for range 10000 {
		m := shuffled(rng, base)
		if !accept(m) {
			continue
		}
		if t.rule == "criterion:social" && !moveSocial(m) {
			continue
		}
		s.scores[x] = m
		s.separate(x, y)
		s.ties = append(s.ties, builtTie{x, y, t.rule})
		return
	}
	panic("sample: cannot build the " + t.rule + " tie in stage " + s.plan.code)
}

// fullJury reports whether every judge of the stage counts on p.
func (s *stage) fullJury(p int) bool {
	_, n := s.points(p)
	return n == len(s.judges)
}

// shuffled returns m with each criterion's column shuffled among the judges.
func shuffled(rng *rand.Rand, m [][ncrit]int) [][ncrit]int {
	out := make([][ncrit]int, len(m))
	for c := range ncrit {
		for j, from := range rng.Perm(len(m)) {
			out[j][c] = m[from][c]
		}
	}
	return out
}

// prefer counts the judges whose own total is higher for scores x than for
// scores y, and the other way round (head_to_head, SPEC.md section 4).
func prefer(x, y [][ncrit]int) (px, py int) {
	for j := range x {
		switch cmp.Compare(judgePoints(x[j]), judgePoints(y[j])) {
		case 1:
			px++
		case -1:
			py++
		}
	}
	return px, py
}

// moveSocial moves half a point from economic to social impact for two
// judges. Both weigh 0.25, so no judge's total changes, but the social sum
// grows by a point: the social aggregate is then higher by 1/n.
func moveSocial(m [][ncrit]int) bool {
	moved := 0
	for j := range m {
		if moved < 2 && m[j][social] < maxHalf && m[j][economic] > 0 {
			m[j][social]++
			m[j][economic]--
			moved++
		}
	}
	return moved == 2
}

// submissions sets the projects' submission times: within the 14 days
// before the stage, in Morocco's usual offset (+01:00) or in UTC, except
// for paper submissions and the ties that must leave the decision to a
// later rule.
func (g *generator) submissions(s *stage) {
	rng := g.rng
	morocco := time.FixedZone("", 3600)
	for i := range s.projects {
		zone := time.UTC
		if rng.IntN(100) < 60 {
			zone = morocco
		}
		d := s.plan.date.AddDate(0, 0, -1-rng.IntN(14))
		t := time.Date(d.Year(), d.Month(), d.Day(), 8+rng.IntN(15), rng.IntN(60), rng.IntN(60), 0, zone)
		if !g.roles.paper[s.projects[i].ID] {
			s.projects[i].SubmittedAt = t
		}
	}
	for _, t := range s.ties {
		x, y := &s.projects[t.x], &s.projects[t.y]
		switch t.rule {
		case "id":
			x.SubmittedAt, y.SubmittedAt = time.Time{}, time.Time{}
		case "submitted_at":
			// The larger ID is the earlier submission, so that the id rule
			// would have decided the other way; its local clock time is
			// the later one, so that comparing text would too.
			if x.ID < y.ID {
				x, y = y, x
			}
			d := s.plan.date.AddDate(0, 0, -3)
			x.SubmittedAt = time.Date(d.Year(), d.Month(), d.Day(), 10, 20, 0, 0, morocco) // 09:20Z
			y.SubmittedAt = time.Date(d.Year(), d.Month(), d.Day(), 9, 40, 0, 0, time.UTC)
		}
	}
}

// The document's parts that bank does not define, in the order of SPEC.md
// section 1.
type (
	ideathon struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	}
	criterion struct {
		ID     string     `json:"id"`
		Label  bank.Names `json:"label"`
		Weight string     `json:"weight"`
	}
	scale struct {
		Min  string `json:"min"`
		Max  string `json:"max"`
		Step string `json:"step"`
	}
	aggregation struct {
		Method string `json:"method"`
	}
	rounding struct {
		Places int    `json:"places"`
		Mode   string `json:"mode"`
	}
	rubric struct {
		Criteria       []criterion `json:"criteria"`
		Scale          scale       `json:"scale"`
		Weights        string      `json:"weights"`
		Aggregation    aggregation `json:"aggregation"`
		MinJudges      int         `json:"min_judges"`
		TotalMax       string      `json:"total_max"`
		TotalThreshold string      `json:"total_threshold"`
		Rounding       rounding    `json:"rounding"`
	}
	ranking struct {
		TieBreak []string `json:"tie_break"`
		Style    string   `json:"style"`
		TieOn    string   `json:"tie_on"`
		GroupBy  string   `json:"group_by"`
		Top      int      `json:"top"`
	}
)

func sampleRubric() rubric {
	labels := [ncrit]bank.Names{
		{AR: "الأثر الاجتماعي", FR: "Impact social", EN: "Social impact"},
		{AR: "الأثر الاقتصادي", FR: "Impact économique", EN: "Economic impact"},
		{AR: "الابتكار", FR: "Innovation", EN: "Innovation"},
		{AR: "الأثر الترابي والمستدام", FR: "Impact territorial et durable", EN: "Territorial and sustainable impact"},
		{AR: "تمكين الشباب وإدماجهم", FR: "Autonomisation et inclusion des jeunes", EN: "Youth empowerment and inclusion"},
	}
	r := rubric{
		Scale:          scale{Min: "0", Max: "20", Step: "0.5"},
		Weights:        "exact",
		Aggregation:    aggregation{Method: "mean"},
		MinJudges:      2,
		TotalMax:       "100",
		TotalThreshold: "50",
		Rounding:       rounding{Places: 2, Mode: "half_up"},
	}
	ids, w := criterionIDs(), weights()
	for c := range ncrit {
		r.Criteria = append(r.Criteria, criterion{ID: ids[c], Label: labels[c], Weight: fmt.Sprintf("0.%02d", w[c])})
	}
	return r
}

// encode writes the dataset: two-space indentation, one score per line.
func encode(stages []*stage) []byte {
	var b bytes.Buffer
	field := func(key string, v any, last bool) {
		var e bytes.Buffer
		enc := json.NewEncoder(&e)
		enc.SetEscapeHTML(false)
		enc.SetIndent("  ", "  ")
		if err := enc.Encode(v); err != nil {
			panic(err) // plain structs of strings: cannot fail
		}
		fmt.Fprintf(&b, "  %q: %s", key, bytes.TrimSuffix(e.Bytes(), []byte("\n")))
		if !last {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	var projects []bank.Project
	var judges []bank.Judge
	for _, s := range stages {
		projects = append(projects, s.projects...)
		judges = append(judges, s.judges...)
	}
	b.WriteString("{\n")
	field("format", "afkar/1", false)
	field("ideathon", ideathon{ID: "afkar-tour-2025", Title: "Afkar ideathon tour 2025 (synthetic sample)"}, false)
	field("rubric", sampleRubric(), false)
	field("ranking", ranking{
		TieBreak: []string{"criterion:social", "head_to_head", "submitted_at", "id"},
		Style:    "competition",
		TieOn:    "rounded",
		GroupBy:  "region",
		Top:      3,
	}, false)
	field("projects", projects, false)
	field("judges", judges, false)
	b.WriteString("  \"scores\": [")
	ids := criterionIDs()
	sep := "\n"
	for _, s := range stages {
		for p, m := range s.scores {
			for j, row := range m {
				for c, h := range row {
					// IDs are ASCII letters, digits and '-': %q is their JSON form.
					fmt.Fprintf(&b, "%s    {\"judge\": %q, \"project\": %q, \"criterion\": %q, \"score\": %q}",
						sep, s.judges[j].ID, s.projects[p].ID, ids[c], halfPoints(h))
					sep = ",\n"
				}
			}
		}
	}
	b.WriteString("\n  ]\n}\n")
	return b.Bytes()
}

// halfPoints formats h/2 as a decimal: 31 is "15.5", 30 is "15".
func halfPoints(h int) string {
	s := strconv.Itoa(h / 2)
	if h%2 == 1 {
		s += ".5"
	}
	return s
}
