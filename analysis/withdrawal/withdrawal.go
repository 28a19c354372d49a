// Package withdrawal asks whether the ranking of the others depends on one
// project's presence: under zscore, withdrawing one idea changes the
// judges' means and spreads, and can reorder the ideas that stay.
//
// [Analyze] withdraws each project in turn: the dataset without the
// project, its scores, and its mentions in the judges' conflicts and
// abstentions, ranked again by afkar.Evaluate, exactly as the dataset
// itself. It compares the new ranked order with the original one with the
// withdrawn project taken out, group by group (the whole ranking without
// group_by):
//
//   - a project moves when its position (from 1) among the remaining
//     ranked projects of its group changes, or it becomes ranked or
//     unranked;
//   - the selection changes when the N projects of a group selected after
//     the withdrawal are not the first N of the original order with the
//     withdrawn project taken out. Withdrawing a selected project lets the
//     next one in: that alone is no change.
//
// Under the mean and the median nothing moves but through head_to_head
// (the withdrawn project may have been in a tied set); under zscore
// anything may.
//
// Hand-solved case (the test's "zscore"): one criterion 0..20, top 2,
// tie_break id; J1 scores P1 10 and P3 20, J2 scores P2 12 and P4 8. Each
// judge's z-scores are −1 and +1, so P2 = P3 = μ + σ and P1 = P4 = μ − σ
// (μ = 12.5, σ = √20.75 over the four scores): the order is P2, P3, P1, P4
// by id, P2 and P3 selected.
//
//   - Withdraw P2: J2 has P4 alone, σ(J2) = 0, so P4 = μ = 38/3 ≈ 12.67;
//     σ over 10, 20, 8 is √(248/9) ≈ 5.25, so P1 ≈ 12.67 − 5.25 = 7.42
//     and P3 ≈ 17.92. New order P3, P4, P1 against P3, P1, P4: P1 moves
//     2 → 3, P4 3 → 2, and P4 is selected instead of P1.
//   - Withdraw P4: P2 = 14 (J2 alone), σ over 10, 20, 12 is √(56/3) ≈
//     4.32, P1 ≈ 9.68, P3 ≈ 18.32: order P3, P2, P1 against P2, P3, P1:
//     P2 and P3 swap places, the selection stays {P2, P3}.
//   - Withdraw P1 or P3: the order of the others stays (P2, P3, P4 and
//     P2, P1, P4).
//
// # Concurrency
//
// Analyze reads the dataset and writes only its report.
package withdrawal

import (
	"context"
	"slices"

	"github.com/afkarlab/afkar"
	"github.com/afkarlab/afkar/bank"
	"github.com/afkarlab/afkar/scoring"
)

// Report holds one Withdrawal per project, in the dataset's project order.
type Report struct {
	Withdrawals []Withdrawal
}

// Withdrawal is what withdrawing one project changes.
type Withdrawal struct {
	// Project is the withdrawn project's ID.
	Project string
	// SelectionChanges reports whether the set of selected projects
	// among the others changes.
	SelectionChanges bool
	// Selected are the projects selected after the withdrawal that the
	// original order would not select, Unselected those it would select
	// and that are not, in the dataset's project order.
	Selected, Unselected []string
	// Moves are the other projects whose place changes, in the dataset's
	// project order.
	Moves []Move
}

// Move is one project's place before and after a withdrawal: its
// position among the remaining projects (in its group with group_by),
// from 1; 0 when it is not ranked.
type Move struct {
	Project  string
	From, To int
}

// Analyze ranks ds, then ds without each project in turn. It returns
// ctx.Err() if ctx is done first, and ds's problems if it is invalid.
func Analyze(ctx context.Context, ds *afkar.Dataset) (*Report, error) {
	base, err := afkar.Evaluate(ctx, ds)
	if err != nil {
		return nil, err
	}
	rep := &Report{}
	for _, p := range ds.Projects {
		res, err := afkar.Evaluate(ctx, without(ds, p.ID))
		if err != nil {
			return nil, err
		}
		rep.Withdrawals = append(rep.Withdrawals, compare(ds, base, res, p.ID))
	}
	return rep, nil
}

// without returns ds without project id: its scores and its mentions in
// the judges' conflicts and abstentions are gone too.
func without(ds *afkar.Dataset, id string) *afkar.Dataset {
	out := *ds
	out.Projects = slices.DeleteFunc(slices.Clone(ds.Projects), func(p bank.Project) bool { return p.ID == id })
	if ds.Judges != nil {
		out.Judges = make([]bank.Judge, len(ds.Judges))
		for i, j := range ds.Judges {
			j.Conflicts = drop(j.Conflicts, id)
			j.Abstains = drop(j.Abstains, id)
			out.Judges[i] = j
		}
	}
	out.Scores = scoring.Scores{}
	for _, s := range ds.Scores.All() {
		if s.Project != id {
			out.Scores.Append(s)
		}
	}
	return &out
}

// drop returns ids without id; nil stays nil.
func drop(ids []string, id string) []string {
	if ids == nil {
		return nil
	}
	return slices.DeleteFunc(slices.Clone(ids), func(s string) bool { return s == id })
}

// orders returns the ranked projects of each group in order, skipping
// gone, and the groups in order of their first ranked project.
func orders(res *afkar.Result, gone string) (map[string][]string, []string) {
	out := map[string][]string{}
	var groups []string
	for _, p := range res.Projects() {
		if !p.Eligible || p.ID == gone {
			continue
		}
		g := ""
		if p.Group != nil {
			g = *p.Group
		}
		if _, ok := out[g]; !ok {
			groups = append(groups, g)
		}
		out[g] = append(out[g], p.ID)
	}
	return out, groups
}

// compare says what the withdrawal of gone changed from base to res.
func compare(ds *afkar.Dataset, base, res *afkar.Result, gone string) Withdrawal {
	w := Withdrawal{Project: gone}
	before, _ := orders(base, gone)
	after, groups := orders(res, "")
	from, to := map[string]int{}, map[string]int{}
	for _, ids := range before {
		for i, id := range ids {
			from[id] = i + 1
		}
	}
	for _, ids := range after {
		for i, id := range ids {
			to[id] = i + 1
		}
	}
	selected := map[string]bool{}
	for _, p := range res.Projects() {
		selected[p.ID] = p.Selected
	}
	expected := map[string]bool{} // the first N of the original order
	for _, g := range groups {
		n := 0
		for _, id := range after[g] {
			if selected[id] {
				n++
			}
		}
		for _, id := range before[g][:min(n, len(before[g]))] {
			expected[id] = true
		}
	}
	for _, p := range ds.Projects {
		if p.ID == gone {
			continue
		}
		switch {
		case selected[p.ID] && !expected[p.ID]:
			w.Selected = append(w.Selected, p.ID)
		case expected[p.ID] && !selected[p.ID]:
			w.Unselected = append(w.Unselected, p.ID)
		}
		if from[p.ID] != to[p.ID] {
			w.Moves = append(w.Moves, Move{Project: p.ID, From: from[p.ID], To: to[p.ID]})
		}
	}
	w.SelectionChanges = len(w.Selected)+len(w.Unselected) > 0
	return w
}
