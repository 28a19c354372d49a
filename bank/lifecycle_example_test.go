package bank_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/afkarlab/afkar/bank"
)

// An idea moves through the lifecycle one step at a time; each step is
// recorded with its time and who made it.
func ExampleProject_Advance() {
	at := time.Date(2025, 4, 17, 9, 0, 0, 0, time.UTC)
	p := bank.Project{ID: "DAK-02", Title: "Solar fish drying"}
	fmt.Println(p.Advance(bank.Transition{To: bank.StatusEligible, At: at, By: "screening committee"}))

	err := p.Advance(bank.Transition{To: bank.StatusAwarded, At: at, By: "jury"})
	var te *bank.TransitionError
	fmt.Println(errors.As(err, &te), err)

	for _, t := range p.History {
		fmt.Println(t.From, "→", t.To, t.At.Format(time.RFC3339), t.By)
	}
	// Output:
	// <nil>
	// true project DAK-02: cannot go from eligible to awarded (allowed: shortlisted)
	// submitted → eligible 2025-04-17T09:00:00Z screening committee
}

// Promote walks an idea to a later status through every status in between,
// as applying a jury's result does; promoting again changes nothing.
func ExampleProject_Promote() {
	at := time.Date(2025, 4, 17, 18, 0, 0, 0, time.UTC)
	p := bank.Project{ID: "AGA-05"}
	n, err := p.Promote(bank.Transition{To: bank.StatusAwarded, At: at, By: "Agadir jury",
		Award: &bank.Award{Stage: 12, Rank: "1", Total: "88.18"}})
	fmt.Println(n, err, p.Status, p.Award.Rank, p.Award.Total)
	n, err = p.Promote(bank.Transition{To: bank.StatusShortlisted, At: at, By: "Agadir jury"})
	fmt.Println(n, err, p.Status)
	// Output:
	// 3 <nil> awarded 1 88.18
	// 0 <nil> awarded
}

func ExampleStatus_Next() {
	for _, s := range bank.Statuses() {
		fmt.Println(s, "→", s.Next())
	}
	// Output:
	// submitted → [eligible ineligible]
	// eligible → [shortlisted]
	// ineligible → []
	// shortlisted → [awarded]
	// awarded → [adopted archived]
	// adopted → [archived]
	// archived → []
}

func ExampleCooperative_WomenShare() {
	c := bank.Cooperative{ID: "coop-042", Name: "Tafyoucht", Members: 12, WomenMembers: 9, YoungMembers: 5}
	fmt.Println(c.WomenShare(), c.YouthShare())
	// Output:
	// 75 41.67
}
