package ranking_test

import (
	"fmt"
	"math/big"

	"github.com/afkarlab/afkar/exact"

	"github.com/afkarlab/afkar/ranking"
)

func ExampleOrder() {
	total := func(s string) exact.Num { r, _ := new(big.Rat).SetString(s); return exact.FromRat(r) }
	crit := func(s string) []exact.NullNum { return []exact.NullNum{{Num: total(s), Valid: true}} }
	entries := []ranking.Entry{
		{ID: "OUJ-01", Total: total("71.25"), Criteria: crit("15")},
		{ID: "DAK-02", Total: total("78.40"), Criteria: crit("16")},
		{ID: "AGA-03", Total: total("71.25"), Criteria: crit("17.5")},
		{ID: "FES-04", Total: total("64.00"), Criteria: crit("12")},
	}
	rule, _ := ranking.ParseRule("criterion:social")
	standings, err := ranking.Order(entries, ranking.Config{
		TieBreak: []ranking.Rule{rule},
		Criteria: []string{"social"},
		Top:      2,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range standings {
		fmt.Printf("%s %s selected=%t decided_by=%q\n", s.Rank, s.ID, s.Selected, s.DecidedBy)
	}
	// Output:
	// 1 DAK-02 selected=true decided_by="total"
	// 2 AGA-03 selected=true decided_by="criterion:social"
	// 3 OUJ-01 selected=false decided_by="total"
	// 4 FES-04 selected=false decided_by=""
}
