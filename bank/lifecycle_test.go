package bank

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2025, 4, 17, 9, 0, 0, 0, time.UTC)

// TestEveryTransition tries every pair of statuses: the allowed ones are
// exactly those the Status doc draws.
func TestEveryTransition(t *testing.T) {
	allowed := map[[2]Status]bool{
		{StatusSubmitted, StatusEligible}:   true,
		{StatusSubmitted, StatusIneligible}: true,
		{StatusEligible, StatusShortlisted}: true,
		{StatusShortlisted, StatusAwarded}:  true,
		{StatusAwarded, StatusAdopted}:      true,
		{StatusAwarded, StatusArchived}:     true,
		{StatusAdopted, StatusArchived}:     true,
		{"", StatusEligible}:                true, // the empty Status is submitted
		{"", StatusIneligible}:              true,
	}
	from := append([]Status{""}, Statuses()...)
	to := append(Statuses(), "", "bogus")
	n := 0
	for _, f := range from {
		for _, s := range to {
			name := fmt.Sprintf("%q to %q", f, s)
			want := allowed[[2]Status{f, s}]
			if want {
				n++
			}
			t.Run(name, func(t *testing.T) {
				require.Equal(t, want, Allowed(f, s))
				p := Project{ID: "DAK-01", Status: f, History: []Transition{{To: f.orSubmitted(), At: t0, By: "seed"}}}
				tr := Transition{To: s, At: t0.Add(time.Hour), By: "organiser"}
				if s == StatusAdopted {
					tr.Cooperative = "coop-042"
				}
				err := p.Advance(tr)
				if !want {
					var te *TransitionError
					require.ErrorAs(t, err, &te)
					require.Equal(t, TransitionError{Project: "DAK-01", From: f.orSubmitted(), To: s}, *te)
					require.Equal(t, f, p.Status, "a refused move changes nothing")
					require.Len(t, p.History, 1)
					return
				}
				require.NoError(t, err)
				require.Equal(t, s, p.Status)
				want := Transition{From: f.orSubmitted(), To: s, At: t0.Add(time.Hour), By: "organiser", Cooperative: tr.Cooperative}
				if diff := cmp.Diff(want, p.History[1]); diff != "" {
					t.Errorf("recorded transition (-want +got):\n%s", diff)
				}
			})
		}
	}
	require.Equal(t, len(allowed), n, "every allowed pair was tried")
}

func TestAdvanceRefusesIncompleteTransitions(t *testing.T) {
	base := func() Project {
		return Project{ID: "AGA-05", Status: StatusAwarded, History: []Transition{{To: StatusAwarded, At: t0, By: "jury"}}}
	}
	tests := []struct {
		name   string
		t      Transition
		reason string
	}{
		{"no time", Transition{To: StatusArchived, By: "x"}, "no time given"},
		{"time before the last change", Transition{To: StatusArchived, At: t0.Add(-time.Second), By: "x"}, "time 2025-04-17T08:59:59Z is before the last change, at 2025-04-17T09:00:00Z"},
		{"no actor", Transition{To: StatusArchived, At: t0, By: " "}, "no actor given (who made the change)"},
		{"adoption without cooperative", Transition{To: StatusAdopted, At: t0, By: "x"}, "no adopting cooperative given"},
		{"cooperative on an archive", Transition{To: StatusArchived, At: t0, By: "x", Cooperative: "coop-1"}, `a cooperative ("coop-1") is given for a change that is not an adoption`},
		{"award on an archive", Transition{To: StatusArchived, At: t0, By: "x", Award: &Award{}}, "an award is given for a change that is not an award"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := base()
			err := p.Advance(tt.t)
			var te *TransitionError
			require.ErrorAs(t, err, &te)
			require.Equal(t, tt.reason, te.Reason)
			if diff := cmp.Diff(base(), p); diff != "" {
				t.Errorf("a refused move changed the project (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAdoptionSetsAdopter(t *testing.T) {
	p := Project{ID: "AGA-05", Status: StatusAwarded}
	require.NoError(t, p.Advance(Transition{To: StatusAdopted, At: t0, By: "bank", Cooperative: "coop-7"}))
	require.Equal(t, "coop-7", p.Adopter)
	require.NoError(t, p.Advance(Transition{To: StatusArchived, At: t0, By: "bank"}))
	require.Equal(t, "coop-7", p.Adopter, "archiving keeps the adopter")
}

func TestPromote(t *testing.T) {
	award := &Award{Stage: 12, Rank: "1", Total: "88.18"}
	tests := []struct {
		name    string
		from    Status
		to      Status
		steps   []Status // statuses recorded, in order
		refused bool
	}{
		{"submitted to shortlisted", "", StatusShortlisted, []Status{StatusEligible, StatusShortlisted}, false},
		{"submitted to awarded", StatusSubmitted, StatusAwarded, []Status{StatusEligible, StatusShortlisted, StatusAwarded}, false},
		{"eligible to awarded", StatusEligible, StatusAwarded, []Status{StatusShortlisted, StatusAwarded}, false},
		{"already shortlisted", StatusShortlisted, StatusShortlisted, nil, false},
		{"awarded is beyond shortlisted", StatusAwarded, StatusShortlisted, nil, false},
		{"adopted is beyond awarded", StatusAdopted, StatusAwarded, nil, false},
		{"archived is beyond awarded", StatusArchived, StatusAwarded, nil, false},
		{"ineligible cannot be shortlisted", StatusIneligible, StatusShortlisted, nil, true},
		{"adoption needs Advance", StatusAwarded, StatusAdopted, nil, true},
		{"unknown target", StatusSubmitted, "bogus", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Project{ID: "X", Status: tt.from}
			tr := Transition{To: tt.to, At: t0, By: "jury", Note: "result"}
			if tt.to == StatusAwarded {
				tr.Award = award
			}
			n, err := p.Promote(tr)
			if tt.refused {
				var te *TransitionError
				require.ErrorAs(t, err, &te)
				require.Equal(t, tt.from, p.Status, "a refused promotion changes nothing")
				return
			}
			require.NoError(t, err)
			require.Equal(t, len(tt.steps), n)
			var got []Status
			for _, h := range p.History {
				got = append(got, h.To)
				require.Equal(t, "result", h.Note)
				require.Equal(t, h.To == StatusAwarded, h.Award != nil, "only the step to awarded carries the award")
			}
			if diff := cmp.Diff(tt.steps, got); diff != "" {
				t.Errorf("steps (-want +got):\n%s", diff)
			}
			if slicesContain(tt.steps, StatusAwarded) {
				require.Equal(t, award, p.Award)
				award.Rank = "changed"
				require.Equal(t, "1", p.Award.Rank, "the project keeps a copy of the award")
				award.Rank = "1"
			}
		})
	}
}

func slicesContain(ss []Status, s Status) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func TestTransitionErrorMessages(t *testing.T) {
	tests := []struct {
		err  TransitionError
		want string
	}{
		{TransitionError{Project: "P1", From: StatusSubmitted, To: StatusAwarded}, "project P1: cannot go from submitted to awarded (allowed: eligible, ineligible)"},
		{TransitionError{Project: "P1", From: StatusArchived, To: StatusAwarded}, "project P1: cannot go from archived to awarded (archived is final)"},
		{TransitionError{Project: "P1", From: StatusAwarded, To: StatusAdopted, Reason: "no adopting cooperative given"}, "project P1: awarded to adopted: no adopting cooperative given"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, tt.err.Error())
		var te *TransitionError
		require.True(t, errors.As(error(&tt.err), &te))
	}
}

func TestCloneIsDeep(t *testing.T) {
	p := Project{
		ID: "P1", Tags: []string{"a"}, Attributes: map[string]string{"k": "v"},
		Carrier: &Carrier{Name: "n"}, Award: &Award{Rank: "1"},
		History: []Transition{{To: StatusAwarded, Award: &Award{Rank: "1"}}},
	}
	q := p.Clone()
	require.Equal(t, p, q)
	q.Tags[0], q.Attributes["k"], q.Carrier.Name, q.Award.Rank, q.History[0].Award.Rank = "x", "x", "x", "x", "x"
	q.History[0].By = "x"
	require.Equal(t, "a", p.Tags[0])
	require.Equal(t, "v", p.Attributes["k"])
	require.Equal(t, "n", p.Carrier.Name)
	require.Equal(t, "1", p.Award.Rank)
	require.Equal(t, "1", p.History[0].Award.Rank)
	require.Equal(t, "", p.History[0].By)
}

func TestShares(t *testing.T) {
	tests := []struct {
		members, women, young int
		wantWomen, wantYouth  string
	}{
		{8, 5, 2, "62.5", "25"},
		{3, 1, 2, "33.33", "66.67"}, // 100/3 = 33.333…, half up at 2 places
		{0, 0, 0, "0", "0"},         // no members: zero, not a division by zero
		{7, 7, 0, "100", "0"},
	}
	for _, tt := range tests {
		c := Cooperative{Members: tt.members, WomenMembers: tt.women, YoungMembers: tt.young}
		require.Equal(t, tt.wantWomen, c.WomenShare().String(), "%+v", tt)
		require.Equal(t, tt.wantYouth, c.YouthShare().String(), "%+v", tt)
	}
}

func TestAgeBandYouth(t *testing.T) {
	var young []AgeBand
	for _, b := range AgeBands() {
		if b.Youth() {
			young = append(young, b)
		}
	}
	require.Equal(t, []AgeBand{AgeUnder18, Age18to24, Age25to29, Age30to34}, young)
	require.False(t, AgeBand("").Youth())
	require.True(t, (&Carrier{AgeBand: Age25to29}).Youth())
}
