// Command service-rubric shows a Go service scoring and ranking projects
// through the Go API alone, without any JSON: it builds the Afkar rubric in
// code, scores three projects with packages scoring and ranking, and prints
// the standings.
//
//	go run ./examples/service-rubric
package main

import (
	"context"
	"fmt"
	"log"

	"github.com/afkarlab/afkar/ranking"
	"github.com/afkarlab/afkar/scoring"
	"github.com/shopspring/decimal"
)

func main() {
	d := decimal.RequireFromString
	rubric := &scoring.Rubric{
		Criteria: []scoring.Criterion{
			{ID: "social", Weight: d("0.25")},
			{ID: "economic", Weight: d("0.25")},
			{ID: "innovation", Weight: d("0.20")},
			{ID: "territorial", Weight: d("0.15")},
			{ID: "youth", Weight: d("0.15")},
		},
		Scale:     scoring.Scale{Min: d("0"), Max: d("20"), Step: d("0.5")},
		MinJudges: 2,
		Rounding:  scoring.Rounding{Places: 2, Mode: scoring.HalfUp},
	}

	// Two judges score three projects on every criterion.
	sheets := map[string]map[string][5]string{
		"J1": {"DAK-01": {"16", "15", "14", "17", "12"}, "AGA-02": {"14", "16", "15", "12", "16"}, "FES-03": {"12", "11", "17", "10", "14"}},
		"J2": {"DAK-01": {"15", "16", "13", "16", "13"}, "AGA-02": {"15", "15", "16", "13", "15"}, "FES-03": {"13", "12", "16.5", "11", "14"}},
	}
	in := scoring.Input{Projects: []scoring.Project{{ID: "DAK-01"}, {ID: "AGA-02"}, {ID: "FES-03"}}}
	for _, judge := range []string{"J1", "J2"} {
		for _, p := range in.Projects {
			for c, v := range sheets[judge][p.ID] {
				in.Scores.Append(scoring.Score{Judge: judge, Project: p.ID, Criterion: rubric.Criteria[c].ID, Value: d(v)})
			}
		}
	}

	scored, err := rubric.Evaluate(context.Background(), in)
	if err != nil {
		log.Fatal(err)
	}

	// Rank the eligible projects on their published totals.
	var entries []ranking.Entry
	for p, o := range scored.Outcomes() {
		if !o.Eligible {
			continue
		}
		e := ranking.Entry{ID: o.ID, Total: o.Rounded.Num}
		for _, a := range o.Criteria {
			e.Criteria = append(e.Criteria, a.Rounded())
		}
		for _, b := range scored.Ballots(p) {
			e.Ballots = append(e.Ballots, ranking.Ballot{Judge: b.Judge, Total: b.Total})
		}
		entries = append(entries, e)
	}
	standings, err := ranking.Order(entries, ranking.Config{
		TieBreak: []ranking.Rule{{Kind: ranking.ByCriterion, Criterion: "social"}, {Kind: ranking.HeadToHead}, {Kind: ranking.ByID}},
		Criteria: []string{"social", "economic", "innovation", "territorial", "youth"},
		Top:      2,
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range standings {
		total := entries[s.Entry].Total
		fmt.Printf("%s  %-7s %s  selected=%t  decided_by=%s\n", s.Rank, s.ID, total.Text(2), s.Selected, s.DecidedBy)
	}
}
