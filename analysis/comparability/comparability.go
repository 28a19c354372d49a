// Package comparability asks whether the judges of a stage can be compared
// with one another: whether per-judge normalisation (the zscore
// aggregation, SPEC.md section 3) means what it claims.
//
// [Analyze] builds the juror–idea graph of a dataset: its nodes are the
// judges and the projects, and each counted score joins its judge and its
// project (an excluded score, for a conflict, the judge's own cooperative
// or an abstention, joins nothing). A judge or a project without a counted
// score is no node. The graph's connected components are the juries that
// share no idea. zscore rescales each judge's scores to the mean and
// spread of all the scores: across two components that cannot tell a
// lenient jury from a jury that drew strong ideas, since no idea was seen
// by both.
//
// When there are k > 1 components, [Report.Bridges] proposes k − 1 bridge
// assignments, a judge scoring one project of another jury, that would
// connect them; fewer cannot (each assignment is one edge, and an edge
// joins at most two components). The rule, deterministic: components are
// ordered by their first project in the dataset; for each component i ≥ 1
// in that order, the first judge of component i−1 (in the dataset's judge
// order) scores the first project of component i (in the dataset's
// project order) that the judge may score (one the judge does not exclude
// by a conflict, a shared cooperative or an abstention); when the judge
// may score none, the next judge is tried; when no judge of component i−1
// may score a project of component i, a judge of component i scores a
// project of component i−1 by the same rule. When that fails too, no
// bridge is proposed for component i and [Report.Unbridged] names it.
//
// A component is also too small for normalisation to mean anything when
// one of its judges has fewer than [MinScores] counted scores on a
// criterion: zscore divides by that judge's standard deviation on the
// criterion, and the relative standard error of a standard deviation
// estimated from n normal scores is about 1/√(2(n−1)) (Ahn and Fessler
// 2003, "Standard errors of mean, variance, and standard deviation
// estimators"): 41% at n = 4, 35% at n = 5.
//
// Hand-solved case (the test's "two juries"): judges J1, J2 score P1 and
// P2, judges J3, J4 score P3 and P4. The components are {J1, J2 | P1, P2}
// and {J3, J4 | P3, P4}; the one bridge is J1 → P3 (the first judge of the
// first component, the first project of the second). If J1 declares a
// conflict with P3, it is J1 → P4; if J1 conflicts with both, J2 → P3.
//
// # Concurrency
//
// Analyze reads the dataset and writes only its report: it may run in many
// goroutines at once.
package comparability

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/analysis/internal/scored"
	"github.com/afkarlab/afkar/scoring"
)

// MinScores is the number of counted scores on every criterion under
// which a judge's standard deviation, and so its normalisation, says too
// little (see the package doc for the reason).
const MinScores = 5

// Report is the comparability of a dataset's judges.
type Report struct {
	// Method is the dataset's aggregation method; the empty Method is the
	// mean.
	Method scoring.Method
	// Components are the juries that share no project, ordered by their
	// first project in the dataset. A dataset without counted scores has
	// none.
	Components []Component
	// Bridges are the proposed bridge assignments, by the rule of the
	// package doc: one for each component but the first, less those of
	// Unbridged.
	Bridges []Bridge
	// Unbridged lists the indexes of the components for which no bridge
	// could be proposed, in order; nil when there is none.
	Unbridged []int
}

// Component is one jury: judges and projects joined by counted scores.
type Component struct {
	// Judges in the dataset's judge order, Projects in its project order.
	Judges, Projects []string
	// Scores is the number of counted scores in the component.
	Scores int
	// Few lists the component's judges with fewer than MinScores counted
	// scores on some criterion, in judge order.
	Few []Few
}

// Few is a judge with too few counted scores for normalisation.
type Few struct {
	Judge string
	// Criterion is the first criterion, in rubric order, on which the
	// judge has the fewest counted scores, and Scores their number.
	Criterion string
	Scores    int
}

// Bridge is one proposed assignment: Judge, of component From, scores
// Project, of component To (indexes in Report.Components).
type Bridge struct {
	Judge, Project string
	From, To       int
}

// Connected reports whether the dataset's counted scores form at most one
// component: every judge can be compared with every other.
func (r *Report) Connected() bool { return len(r.Components) <= 1 }

// TooSmall reports whether some component has a judge with fewer than
// MinScores counted scores on a criterion.
func (r *Report) TooSmall() bool {
	for _, c := range r.Components {
		if len(c.Few) > 0 {
			return true
		}
	}
	return false
}

// Analyze validates ds (every problem at once, as afkar.Problems), scores
// it as afkar.Evaluate does, and reports its juries.
func Analyze(ctx context.Context, ds *afkar.Dataset) (*Report, error) {
	res, err := scored.Evaluate(ctx, ds)
	if err != nil {
		return nil, err
	}
	judges := scored.Judges(ds)
	jx := make(map[string]int, len(judges))
	for i, id := range judges {
		jx[id] = i
	}
	nj, np := len(judges), len(ds.Projects)
	// Union-find over judges (0..nj−1) and projects (nj..nj+np−1).
	parent := make([]int, nj+np)
	for i := range parent {
		parent[i] = i
	}
	find := func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	nc := len(ds.Rubric.Criteria)
	counts := make([]int, nj*nc) // counted scores of judge j on criterion c
	node := make([]bool, nj+np)
	scores := make([]int, nj+np) // counted scores, at each node's root later
	for p := range ds.Projects {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b := res.Breakdown(p)
		for c, cb := range b.Criteria {
			for _, s := range cb.Counted {
				j := jx[s.Judge]
				counts[j*nc+c]++
				node[j], node[nj+p] = true, true
				scores[nj+p]++
				if a, b := find(j), find(nj+p); a != b {
					parent[a] = b
				}
			}
		}
	}
	rep := &Report{Method: ds.Rubric.Aggregation.Method}
	comp := map[int]int{} // root → component index
	var members [][]int   // per component: its judges, then projects, as nodes
	for p := range np {   // components in the order of their first project
		if x := nj + p; node[x] {
			if _, ok := comp[find(x)]; !ok {
				comp[find(x)] = len(rep.Components)
				rep.Components = append(rep.Components, Component{})
				members = append(members, nil)
			}
		}
	}
	for j := range nj {
		if node[j] {
			k := comp[find(j)]
			c := &rep.Components[k]
			c.Judges = append(c.Judges, judges[j])
			members[k] = append(members[k], j)
			least := 0
			for i := range nc {
				if counts[j*nc+i] < counts[j*nc+least] {
					least = i
				}
			}
			if n := counts[j*nc+least]; n < MinScores {
				c.Few = append(c.Few, Few{Judge: judges[j], Criterion: ds.Rubric.Criteria[least].ID, Scores: n})
			}
		}
	}
	for p := range np {
		if x := nj + p; node[x] {
			k := comp[find(x)]
			rep.Components[k].Projects = append(rep.Components[k].Projects, ds.Projects[p].ID)
			rep.Components[k].Scores += scores[x]
			members[k] = append(members[k], x)
		}
	}

	in := ds.ScoringInput()
	byID := make(map[string]*scoring.Judge, len(in.Judges))
	for i := range in.Judges {
		byID[in.Judges[i].ID] = &in.Judges[i]
	}
	// bridge finds the first (judge of from, project of to) the judge may
	// score.
	bridge := func(from, to int) (Bridge, bool) {
		for _, j := range members[from] {
			if j >= nj {
				break // the judges come first
			}
			for _, x := range members[to] {
				if x < nj {
					continue
				}
				if jj := byID[judges[j]]; jj != nil && jj.Excludes(&in.Projects[x-nj]) != "" {
					continue
				}
				return Bridge{Judge: judges[j], Project: ds.Projects[x-nj].ID, From: from, To: to}, true
			}
		}
		return Bridge{}, false
	}
	for i := 1; i < len(rep.Components); i++ {
		b, ok := bridge(i-1, i)
		if !ok {
			b, ok = bridge(i, i-1)
		}
		if ok {
			rep.Bridges = append(rep.Bridges, b)
		} else {
			rep.Unbridged = append(rep.Unbridged, i)
		}
	}
	return rep, nil
}

// Names writes the components as "J1, J2 (P1, P2) | J3 (P3)": each
// component's judges, then its projects in brackets.
func (r *Report) Names() string {
	parts := make([]string, len(r.Components))
	for i, c := range r.Components {
		parts[i] = strings.Join(c.Judges, ", ") + " (" + strings.Join(c.Projects, ", ") + ")"
	}
	return strings.Join(parts, " | ")
}

// BridgeList writes the bridges as "J1 → P3, J3 → P5"; "none" when there
// is none.
func (r *Report) BridgeList() string {
	if len(r.Bridges) == 0 {
		return "none"
	}
	parts := make([]string, len(r.Bridges))
	for i, b := range r.Bridges {
		parts[i] = b.Judge + " → " + b.Project
	}
	return strings.Join(parts, ", ")
}

// Check is the refusal of zscore across components: it returns nil unless
// the dataset aggregates by zscore and its judges form more than one
// component, and then an afkar.Problems with one problem of code
// [scoring.CodeZScoreDisconnected] at rubric.aggregation.method, which
// names the components and the bridges. afkar.Evaluate never refuses: a
// caller that wants the refusal calls Check (the command afkar rank does,
// unless --allow-disconnected-zscore).
func (r *Report) Check() error {
	if r.Method != scoring.ZScore || r.Connected() {
		return nil
	}
	n := len(r.Components)
	would := fmt.Sprintf("%d bridge assignments would connect them: %s", len(r.Bridges), r.BridgeList())
	switch {
	case len(r.Unbridged) > 0:
		would = fmt.Sprintf("no bridge assignment can connect them all (proposed: %s)", r.BridgeList())
	case len(r.Bridges) == 1:
		would = "1 bridge assignment would connect them: " + r.BridgeList()
	}
	msg := fmt.Sprintf("zscore across %d juries that share no project (%s): per-judge normalisation cannot tell a lenient jury from a strong one; %s",
		n, r.Names(), would)
	return afkar.Problems{{
		Path: "rubric.aggregation.method", Message: msg, Code: scoring.CodeZScoreDisconnected,
		Params: scoring.Params{"count": strconv.Itoa(n), "juries": r.Names(), "bridges": r.BridgeList(), "needed": strconv.Itoa(len(r.Bridges))},
	}}
}
