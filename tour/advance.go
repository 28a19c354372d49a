package tour

import (
	"cmp"
	"slices"
	"strings"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/ranking"
)

// StageResult is one stage's result, as [Rule.Advance] reads it.
type StageResult struct {
	Stage  string        // the stage id
	Result *afkar.Result // the stage's evaluated result
}

// Tie is a cut-off of the advancement that only an id or a lottery
// decided: the last project in and the first project out were equal on
// everything else.
type Tie struct {
	Stage string // the stage of a top cut; "" for the wildcard cut
	Cut   Way    // ByTop: a stage's top; ByWildcard: the last wildcard
	// In is the last project that advanced at the cut, Out the first
	// that did not.
	In, Out string
	// DecidedBy is the rule that separated them: "id", or "lottery:<seed>"
	// (a stage's own tie-break chain), or "id" for the wildcard order.
	DecidedBy string
}

// Advance returns the projects that advance from the stages under rule r,
// in the order of [Tour.Advanced], and the cut-offs that only an id or a
// lottery decided. Stage project ids are expected to be distinct across
// the stages (Build and Verify check it first).
//
// A stage sends its eligible projects with an overall rank at most Top.
// The wildcards are then taken from the eligible projects left, across
// the stages, in this order: the higher published total (compared
// exactly), the better rank in its stage, the smaller id (bytes); a
// project whose stage already sends MaxPerStage projects is passed over.
func (r Rule) Advance(stages []StageResult) ([]Advance, []Tie) {
	var out []Advance
	var ties []Tie
	type candidate struct {
		stage int
		p     *afkar.ProjectResult
	}
	var rest []candidate
	sent := make([]int, len(stages))
	top := ranking.Whole(r.Top)
	for s, st := range stages {
		var eligible []*afkar.ProjectResult
		for _, p := range st.Result.Projects() {
			if p.Eligible {
				eligible = append(eligible, &p)
			}
		}
		n := 0
		for _, p := range eligible {
			if p.Rank.Compare(top) > 0 {
				break
			}
			out = append(out, Advance{Project: p.ID, Stage: st.Stage, By: ByTop})
			n++
		}
		sent[s] = n
		if n > 0 && n < len(eligible) && byChance(eligible[n-1].DecidedBy) {
			ties = append(ties, Tie{Stage: st.Stage, Cut: ByTop, In: eligible[n-1].ID, Out: eligible[n].ID,
				DecidedBy: eligible[n-1].DecidedBy})
		}
		for _, p := range eligible[n:] {
			rest = append(rest, candidate{s, p})
		}
	}
	if r.Wildcards == 0 {
		return out, ties
	}
	slices.SortFunc(rest, func(a, b candidate) int {
		return cmp.Or(
			b.p.Total.Num.Cmp(a.p.Total.Num), // eligible: the total is defined
			a.p.Rank.Compare(b.p.Rank),
			strings.Compare(a.p.ID, b.p.ID),
		)
	})
	var last *candidate
	taken := 0
	for i := range rest {
		c := &rest[i]
		if r.MaxPerStage > 0 && sent[c.stage] >= r.MaxPerStage {
			continue
		}
		if taken == r.Wildcards {
			// The first project left out that the quota did not stop.
			if last != nil && last.p.Total.Num.Cmp(c.p.Total.Num) == 0 && last.p.Rank.Compare(c.p.Rank) == 0 {
				ties = append(ties, Tie{Cut: ByWildcard, In: last.p.ID, Out: c.p.ID, DecidedBy: "id"})
			}
			break
		}
		out = append(out, Advance{Project: c.p.ID, Stage: stages[c.stage].Stage, By: ByWildcard})
		sent[c.stage]++
		taken++
		last = c
	}
	return out, ties
}

// byChance reports whether a stage's decided_by is a rule of chance or of
// naming rather than merit: the id, or a lottery.
func byChance(rule string) bool {
	return rule == "id" || strings.HasPrefix(rule, "lottery:")
}
