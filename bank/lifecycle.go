package bank

import (
	"fmt"
	"strings"
	"time"
)

// Status is where an idea stands in the bank's lifecycle:
//
//	submitted → eligible | ineligible
//	eligible → shortlisted → awarded → adopted | archived
//	adopted → archived
//
// Submitted ideas are screened (eligible or ineligible); eligible ones may
// be shortlisted by a jury, shortlisted ones awarded, and awarded ones
// adopted by a named cooperative or archived. Ineligible and archived are
// final. The empty Status means StatusSubmitted.
type Status string

// The statuses, in lifecycle order.
const (
	StatusSubmitted   Status = "submitted"
	StatusEligible    Status = "eligible"
	StatusIneligible  Status = "ineligible"
	StatusShortlisted Status = "shortlisted"
	StatusAwarded     Status = "awarded"
	StatusAdopted     Status = "adopted"
	StatusArchived    Status = "archived"
)

// Statuses returns every status in lifecycle order. The slice is built
// afresh on every call: the caller owns it.
func Statuses() []Status {
	return []Status{StatusSubmitted, StatusEligible, StatusIneligible, StatusShortlisted, StatusAwarded, StatusAdopted, StatusArchived}
}

// Valid reports whether s is one of [Statuses] or empty (submitted).
func (s Status) Valid() bool {
	switch s {
	case "", StatusSubmitted, StatusEligible, StatusIneligible, StatusShortlisted, StatusAwarded, StatusAdopted, StatusArchived:
		return true
	}
	return false
}

// Next returns the statuses an idea of status s may move to, in
// lifecycle order: none for a final status or an unknown one. The empty
// Status is StatusSubmitted. The slice is built afresh on every call.
func (s Status) Next() []Status {
	switch s {
	case "", StatusSubmitted:
		return []Status{StatusEligible, StatusIneligible}
	case StatusEligible:
		return []Status{StatusShortlisted}
	case StatusShortlisted:
		return []Status{StatusAwarded}
	case StatusAwarded:
		return []Status{StatusAdopted, StatusArchived}
	case StatusAdopted:
		return []Status{StatusArchived}
	}
	return nil
}

// Allowed reports whether an idea may move from status from to status to
// in one step.
func Allowed(from, to Status) bool {
	for _, s := range from.Next() {
		if s == to {
			return true
		}
	}
	return false
}

// orSubmitted returns s, or StatusSubmitted for the empty Status.
func (s Status) orSubmitted() Status {
	if s == "" {
		return StatusSubmitted
	}
	return s
}

// path returns the statuses that lead from from to to, to included, and
// whether to can be reached from from at all. The lifecycle is a tree, so
// the path is unique; from itself gives an empty path.
func path(from, to Status) ([]Status, bool) {
	from, to = from.orSubmitted(), to.orSubmitted()
	if from == to {
		return nil, true
	}
	for _, s := range from.Next() {
		if rest, ok := path(s, to); ok {
			return append([]Status{s}, rest...), true
		}
	}
	return nil, false
}

// Transition is one change of an idea's status, as its history records it.
type Transition struct {
	// From is the status the idea left; empty when the idea entered the
	// bank with this transition (submitted, or imported with its status).
	From Status `json:"from,omitempty"`
	// To is the status the idea took.
	To Status `json:"to"`
	// At is when the change was made, from the caller's clock.
	At time.Time `json:"at"`
	// By names who made the change: a person, or a program acting for one.
	By string `json:"by"`
	// Note says why, such as "afkar result sha256:…"; empty means not
	// said.
	Note string `json:"note,omitempty"`
	// Cooperative is the ID of the adopting cooperative, for a change to
	// [StatusAdopted]; empty otherwise.
	Cooperative string `json:"cooperative,omitempty"`
	// Award is what was awarded, for a change to [StatusAwarded]; nil
	// means not described.
	Award *Award `json:"award,omitempty"`
}

// TransitionError is a change of status that the lifecycle refuses.
type TransitionError struct {
	Project  string // the idea's ID
	From, To Status
	// Reason says what is wrong when the move itself is allowed but the
	// transition is incomplete (no time, no actor, no cooperative); empty
	// when the move is not allowed.
	Reason string
}

// Error says which move was refused, and why or which moves are allowed.
func (e *TransitionError) Error() string {
	if e.Reason != "" {
		return fmt.Sprintf("project %s: %s to %s: %s", e.Project, e.From, e.To, e.Reason)
	}
	next := e.From.Next()
	if len(next) == 0 {
		return fmt.Sprintf("project %s: cannot go from %s to %s (%s is final)", e.Project, e.From, e.To, e.From)
	}
	allowed := make([]string, len(next))
	for i, s := range next {
		allowed[i] = string(s)
	}
	return fmt.Sprintf("project %s: cannot go from %s to %s (allowed: %s)", e.Project, e.From, e.To, strings.Join(allowed, ", "))
}

// Advance moves p one step along the lifecycle to t.To and appends t to
// p.History, with t.From set to p's status. It refuses, with a
// [*TransitionError] and p unchanged, a move that [Allowed] refuses, a
// zero t.At, a t.At before the last recorded transition, an empty t.By,
// and a move to [StatusAdopted] without t.Cooperative (or any other move
// with one). A move to adopted sets p.Adopter; a move to awarded sets
// p.Award to a copy of t.Award when it is not nil.
func (p *Project) Advance(t Transition) error {
	from := p.Status.orSubmitted()
	fail := func(reason string) error {
		return &TransitionError{Project: p.ID, From: from, To: t.To, Reason: reason}
	}
	if !Allowed(from, t.To) {
		return fail("")
	}
	switch {
	case t.At.IsZero():
		return fail("no time given")
	case len(p.History) > 0 && t.At.Before(p.History[len(p.History)-1].At):
		return fail(fmt.Sprintf("time %s is before the last change, at %s",
			t.At.Format(time.RFC3339Nano), p.History[len(p.History)-1].At.Format(time.RFC3339Nano)))
	case strings.TrimSpace(t.By) == "":
		return fail("no actor given (who made the change)")
	case t.To == StatusAdopted && t.Cooperative == "":
		return fail("no adopting cooperative given")
	case t.To != StatusAdopted && t.Cooperative != "":
		return fail(fmt.Sprintf("a cooperative (%q) is given for a change that is not an adoption", t.Cooperative))
	case t.To != StatusAwarded && t.Award != nil:
		return fail("an award is given for a change that is not an award")
	}
	t.From = from
	if t.Award != nil {
		a := *t.Award
		t.Award = &a
		award := a
		p.Award = &award
	}
	if t.To == StatusAdopted {
		p.Adopter = t.Cooperative
	}
	p.Status = t.To
	p.History = append(p.History, t)
	return nil
}

// Promote moves p forward to t.To through every status in between (a
// submitted idea promoted to awarded becomes eligible, shortlisted, then
// awarded), recording one transition per step with t's time, actor and
// note; t.Award goes with the step to awarded. It returns the number of
// steps taken: zero, with no error, when p already is at t.To or beyond it
// (an awarded idea promoted to shortlisted), so that promoting twice
// changes nothing. It refuses, with a [*TransitionError] and p unchanged,
// a t.To that p cannot reach (an ineligible idea, or a target of
// [StatusAdopted], which needs [Project.Advance] and a cooperative), and a
// step that Advance refuses.
func (p *Project) Promote(t Transition) (int, error) {
	from := p.Status.orSubmitted()
	if _, beyond := path(t.To, from); beyond {
		return 0, nil
	}
	steps, ok := path(from, t.To)
	if !ok || t.To == StatusAdopted {
		return 0, &TransitionError{Project: p.ID, From: from, To: t.To}
	}
	q := p.Clone()
	for _, s := range steps {
		step := t
		step.To = s
		if s != StatusAwarded {
			step.Award = nil
		}
		if err := q.Advance(step); err != nil {
			return 0, err
		}
	}
	*p = q
	return len(steps), nil
}
